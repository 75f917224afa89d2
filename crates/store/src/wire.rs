//! Wire ingest's memory: for each agency item that became a story, the version last taken
//! in. Written by the same [`Writer`] transaction as the story, so the record and the story
//! never disagree.

use crate::{Result, Store, Writer, now_micros, rows};
use broadsheet_domain::StoryId;
use jiff::Timestamp;
use sqlx::Row;

/// The last version of a wire item that was ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRecord {
    pub guid: String,
    pub story_id: StoryId,
    pub version: Option<String>,
    /// The item's update time, else its publication time.
    pub updated_at: Option<Timestamp>,
    pub ingested_at: Timestamp,
}

impl Store {
    /// What was last ingested under this guid, if anything.
    pub async fn wire_item(&self, guid: &str) -> Result<Option<WireRecord>> {
        let row = sqlx::query(
            "SELECT guid, story_id, version, updated_at, ingested_at FROM wire_items \
             WHERE guid = $1",
        )
        .bind(guid)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(WireRecord {
                guid: row.try_get("guid")?,
                story_id: StoryId(row.try_get("story_id")?),
                version: row.try_get("version")?,
                updated_at: rows::opt_time(row.try_get("updated_at")?)?,
                ingested_at: rows::time(row.try_get("ingested_at")?)?,
            })
        })
        .transpose()
    }
}

impl Writer {
    /// Remember that `guid` at this version is now `story`.
    pub async fn record_wire_item(
        &mut self,
        guid: &str,
        story: StoryId,
        version: Option<&str>,
        updated_at: Option<Timestamp>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO wire_items (guid, story_id, version, updated_at, ingested_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (guid) DO UPDATE SET story_id = excluded.story_id, \
             version = excluded.version, updated_at = excluded.updated_at, \
             ingested_at = excluded.ingested_at",
        )
        .bind(guid)
        .bind(story.0)
        .bind(version)
        .bind(updated_at.map(|t| t.as_microsecond()))
        .bind(now_micros())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
