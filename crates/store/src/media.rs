//! Media: images whose files live in the data directory and whose words live here.

use crate::{Result, Store, Writer, events, now_micros};
use broadsheet_domain::{Media, MediaId, MediaInput};
use serde_json::json;
use sqlx::Row;

impl Store {
    /// See [`Writer::add_media`]; in a transaction of its own.
    pub async fn add_media(&self, input: &MediaInput) -> Result<Media> {
        let mut writer = self.writer().await?;
        let media = writer.add_media(input).await?;
        writer.commit().await?;
        Ok(media)
    }
}

impl Writer {
    /// Record an image already written to the media folder.
    pub async fn add_media(&mut self, input: &MediaInput) -> Result<Media> {
        input.validate()?;
        let tx = &mut self.tx;
        let row = sqlx::query(
            "INSERT INTO media (file, mime, width, height, caption, credit, alt, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&input.file)
        .bind(&input.mime)
        .bind(i64::from(input.width))
        .bind(i64::from(input.height))
        .bind(&input.caption)
        .bind(&input.credit)
        .bind(&input.alt)
        .bind(now_micros())
        .fetch_one(&mut **tx)
        .await?;
        let id = MediaId(row.try_get("id")?);
        events::append(tx, "media.added", None, None, json!({ "media_id": id })).await?;
        Ok(Media {
            id,
            file: input.file.clone(),
            mime: input.mime.clone(),
            width: input.width,
            height: input.height,
            caption: input.caption.clone(),
            credit: input.credit.clone(),
            alt: input.alt.clone(),
        })
    }
}
