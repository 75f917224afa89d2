//! Media: images whose files live in the data directory and whose words live here.

use crate::{Result, Store, events, now_micros};
use broadsheet_domain::{Media, MediaId, MediaInput};
use serde_json::json;
use sqlx::Row;

impl Store {
    pub async fn add_media(&self, input: &MediaInput) -> Result<Media> {
        input.validate()?;
        let mut tx = self.begin_write().await?;
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
        .fetch_one(&mut *tx)
        .await?;
        let id = MediaId(row.try_get("id")?);
        events::append(
            &mut tx,
            "media.added",
            None,
            None,
            json!({ "media_id": id }),
        )
        .await?;
        tx.commit().await?;
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
