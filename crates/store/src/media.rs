//! Media: images whose files live in the data directory and whose words live here.

use crate::{Result, Store, Writer, events, now_micros};
use broadsheet_domain::{Media, MediaId, MediaInput, MediaVariant, UserId};
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

/// An image in the newsroom library, with its resized copies.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryItem {
    pub media: Media,
    pub uploaded_by: Option<UserId>,
    /// Microseconds since the Unix epoch.
    pub created_at: i64,
    /// Ascending by width.
    pub variants: Vec<MediaVariant>,
}

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
        self.add_upload(input, None, &[]).await
    }

    /// Record an upload to the newsroom library: the image, who uploaded it and its resized
    /// copies (all already written to the media folder), in this writer's transaction.
    pub async fn add_upload(
        &mut self,
        input: &MediaInput,
        uploaded_by: Option<UserId>,
        variants: &[MediaVariant],
    ) -> Result<Media> {
        input.validate()?;
        let tx = &mut self.tx;
        let row = sqlx::query(
            "INSERT INTO media (file, mime, width, height, caption, credit, alt, created_at, \
             uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&input.file)
        .bind(&input.mime)
        .bind(i64::from(input.width))
        .bind(i64::from(input.height))
        .bind(&input.caption)
        .bind(&input.credit)
        .bind(&input.alt)
        .bind(now_micros())
        .bind(uploaded_by.map(|u| u.0))
        .fetch_one(&mut **tx)
        .await?;
        let id = MediaId(row.try_get("id")?);
        for variant in variants {
            sqlx::query(
                "INSERT INTO media_variants (media_id, width, height, format, file) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id.0)
            .bind(i64::from(variant.width))
            .bind(i64::from(variant.height))
            .bind(&variant.format)
            .bind(&variant.file)
            .execute(&mut **tx)
            .await?;
        }
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

impl Store {
    /// The newest images first, each with its variants.
    pub async fn library(&self, limit: i64) -> Result<Vec<LibraryItem>> {
        self.library_matching(None, limit).await
    }

    /// As [`Store::library`], only images whose caption holds `caption` (any case) when given:
    /// the story editor's photo picker.
    pub async fn library_matching(
        &self,
        caption: Option<&str>,
        limit: i64,
    ) -> Result<Vec<LibraryItem>> {
        self.library_page(caption, None, limit).await
    }

    /// The variants of these images, ascending by width (images without any are absent).
    pub async fn media_variants(
        &self,
        ids: &[MediaId],
    ) -> Result<HashMap<MediaId, Vec<MediaVariant>>> {
        let mut found: HashMap<MediaId, Vec<MediaVariant>> = HashMap::new();
        if ids.is_empty() {
            return Ok(found);
        }
        // Ids are integers from the store, so listing them inline cannot inject anything.
        let list: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
        let sql = format!(
            "SELECT media_id, width, height, format, file FROM media_variants \
             WHERE media_id IN ({}) ORDER BY media_id, width, format",
            list.join(", ")
        );
        for row in sqlx::query(&sql).fetch_all(self.pool()).await? {
            let width: i64 = row.try_get("width")?;
            let height: i64 = row.try_get("height")?;
            found
                .entry(MediaId(row.try_get("media_id")?))
                .or_default()
                .push(MediaVariant {
                    width: u32::try_from(width).unwrap_or(0),
                    height: u32::try_from(height).unwrap_or(0),
                    format: row.try_get("format")?,
                    file: row.try_get("file")?,
                });
        }
        Ok(found)
    }
}
