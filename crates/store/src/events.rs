//! The change feed: an outbox table written in the same transaction as the change it
//! describes. Readers poll `events_after` with the last id they saw; ids only grow.

use crate::{Backend, Result, Store, now_micros, placeholder, rows};
use broadsheet_domain::{SectionId, StoryId};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// One committed change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    pub occurred_at: Timestamp,
    /// `story.created`, `story.updated`, `section.created`, `media.added`, `setting.changed`.
    pub kind: String,
    pub story_id: Option<StoryId>,
    pub section_id: Option<SectionId>,
    pub data: serde_json::Value,
}

/// An event waiting in a writer's buffer.
pub(crate) struct NewEvent {
    occurred_at: i64,
    kind: &'static str,
    story_id: Option<i64>,
    section_id: Option<i64>,
    data: String,
}

impl NewEvent {
    pub(crate) fn new(
        kind: &'static str,
        story_id: Option<StoryId>,
        section_id: Option<SectionId>,
        data: serde_json::Value,
    ) -> NewEvent {
        NewEvent {
            occurred_at: now_micros(),
            kind,
            story_id: story_id.map(|id| id.0),
            section_id: section_id.map(|id| id.0),
            data: data.to_string(),
        }
    }
}

/// Insert buffered events in one statement, in order (ids follow the order given).
pub(crate) async fn insert(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    events: &[NewEvent],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let mut sql =
        String::from("INSERT INTO events (occurred_at, kind, story_id, section_id, data) VALUES ");
    for i in 0..events.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        let p: Vec<String> = (1..=5).map(|k| placeholder(backend, i * 5 + k)).collect();
        sql.push_str(&format!("({})", p.join(", ")));
    }
    let mut query = sqlx::query(&sql);
    for event in events {
        query = query
            .bind(event.occurred_at)
            .bind(event.kind)
            .bind(event.story_id)
            .bind(event.section_id)
            .bind(event.data.as_str());
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

pub(crate) async fn append(
    tx: &mut Transaction<'static, Any>,
    kind: &str,
    story_id: Option<StoryId>,
    section_id: Option<SectionId>,
    data: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (occurred_at, kind, story_id, section_id, data) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_micros())
    .bind(kind)
    .bind(story_id.map(|id| id.0))
    .bind(section_id.map(|id| id.0))
    .bind(data.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Events with an id greater than `after`, oldest first.
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<Event>> {
        let rows = sqlx::query(
            "SELECT id, occurred_at, kind, story_id, section_id, data FROM events \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let data: String = row.try_get("data")?;
                Ok(Event {
                    id: row.try_get("id")?,
                    occurred_at: rows::time(row.try_get("occurred_at")?)?,
                    kind: row.try_get("kind")?,
                    story_id: row.try_get::<Option<i64>, _>("story_id")?.map(StoryId),
                    section_id: row.try_get::<Option<i64>, _>("section_id")?.map(SectionId),
                    data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
                })
            })
            .collect()
    }

    /// The id of the newest event, or 0 on an empty feed.
    pub async fn last_event_id(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS last FROM events")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("last")?)
    }
}
