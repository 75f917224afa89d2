//! What the newsroom's desk and the editor's pickers read: stories in every state with their
//! filters and pages, the editors' queue of submitted drafts, the bylines and tags in use,
//! and photos by caption.

use super::filtered::{Filtered, Value, like};
use crate::{Result, Store, StoreError, rows};
use broadsheet_domain::{SectionId, Source, SourceId, SourceKind, StoryId, StoryStatus};
use jiff::Timestamp;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;

/// A story as the newsroom's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskRow {
    pub id: StoryId,
    pub headline: String,
    pub status: StoryStatus,
    pub section_id: SectionId,
    pub published_at: Option<Timestamp>,
    pub modified_at: Timestamp,
    pub revision: i64,
    /// Set while the draft waits for an editor.
    pub submitted_at: Option<Timestamp>,
    /// The byline, in order.
    pub sources: Vec<String>,
}

/// Which stories the newsroom's list shows. Every field narrows the list; the default is
/// every story, newest change first.
#[derive(Debug, Clone, Default)]
pub struct DeskFilter {
    pub status: Option<StoryStatus>,
    pub section: Option<SectionId>,
    /// Words of the headline, any case.
    pub headline: Option<String>,
    /// Only drafts submitted for editing and not yet taken up.
    pub submitted: bool,
    /// Only stories credited to this source (a staff writer or a wire service).
    pub source: Option<SourceId>,
    /// Last changed at or after this time.
    pub changed_from: Option<Timestamp>,
    /// Last changed before this time.
    pub changed_before: Option<Timestamp>,
    pub limit: i64,
    /// Rows to skip, for later pages.
    pub offset: i64,
}

/// A draft waiting for an editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub at: Timestamp,
    /// The submitter's display name (`None` once the account is gone).
    pub by: Option<String>,
    pub note: String,
}

/// Whether a story waits in the queue, read inside a write (the save that may end it).
pub(crate) async fn submission_in(
    tx: &mut Transaction<'static, Any>,
    story: StoryId,
) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT submitted_at FROM story_submissions WHERE story_id = $1")
        .bind(story.0)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok(r.try_get("submitted_at")?)).transpose()
}

impl Store {
    /// Stories in any state, most recently changed first, for the newsroom.
    pub async fn desk(&self, filter: &DeskFilter) -> Result<Vec<DeskRow>> {
        let mut query = Filtered::new(
            "SELECT s.id, s.headline, s.status, s.section_id, s.published_at, s.modified_at, \
             s.revision, q.submitted_at FROM stories s \
             LEFT JOIN story_submissions q ON q.story_id = s.id",
        );
        if let Some(status) = filter.status {
            query.and_value("s.status = ?", Value::Text(status.as_str().into()));
        }
        if let Some(section) = filter.section {
            query.and_value("s.section_id = ?", Value::Int(section.0));
        }
        if let Some(words) = &filter.headline {
            query.and_value("LOWER(s.headline) LIKE ?", like(words));
        }
        if filter.submitted {
            query.and("q.story_id IS NOT NULL");
        }
        if let Some(source) = filter.source {
            query.and_value(
                "EXISTS (SELECT 1 FROM story_sources ss WHERE ss.story_id = s.id \
                 AND ss.source_id = ?)",
                Value::Int(source.0),
            );
        }
        if let Some(at) = filter.changed_from {
            query.and_value("s.modified_at >= ?", Value::Int(at.as_microsecond()));
        }
        if let Some(at) = filter.changed_before {
            query.and_value("s.modified_at < ?", Value::Int(at.as_microsecond()));
        }
        let rows = query
            .page(
                "s.modified_at DESC, s.id DESC",
                filter.limit,
                filter.offset,
                self.pool(),
            )
            .await?;
        let mut found = rows
            .iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(DeskRow {
                    id: StoryId(r.try_get("id")?),
                    headline: r.try_get("headline")?,
                    status: StoryStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
                    section_id: SectionId(r.try_get("section_id")?),
                    published_at: rows::opt_time(r.try_get("published_at")?)?,
                    modified_at: rows::time(r.try_get("modified_at")?)?,
                    revision: r.try_get("revision")?,
                    submitted_at: rows::opt_time(r.try_get("submitted_at")?)?,
                    sources: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut bylines = self
            .bylines(&found.iter().map(|r| r.id).collect::<Vec<_>>())
            .await?;
        for row in &mut found {
            row.sources = bylines.remove(&row.id).unwrap_or_default();
        }
        Ok(found)
    }

    /// The source names of these stories, in byline order.
    async fn bylines(&self, ids: &[StoryId]) -> Result<HashMap<StoryId, Vec<String>>> {
        let mut found: HashMap<StoryId, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(found);
        }
        // Ids are integers from the store, so listing them inline cannot inject anything.
        let list: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
        let sql = format!(
            "SELECT ss.story_id, s.name FROM story_sources ss JOIN sources s ON s.id = ss.source_id \
             WHERE ss.story_id IN ({}) ORDER BY ss.story_id, ss.position",
            list.join(", ")
        );
        for row in sqlx::query(&sql).fetch_all(self.pool()).await? {
            found
                .entry(StoryId(row.try_get("story_id")?))
                .or_default()
                .push(row.try_get("name")?);
        }
        Ok(found)
    }

    /// The story's place in the editors' queue, if it is waiting there.
    pub async fn submission(&self, story: StoryId) -> Result<Option<Submission>> {
        let row = sqlx::query(
            "SELECT q.submitted_at, q.note, \
             CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS name \
             FROM story_submissions q LEFT JOIN users u ON u.id = q.submitted_by \
             WHERE q.story_id = $1",
        )
        .bind(story.0)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Submission {
                at: rows::time(r.try_get("submitted_at")?)?,
                by: r.try_get("name")?,
                note: r.try_get("note")?,
            })
        })
        .transpose()
    }

    /// The most used tag names, for the editor's suggestions.
    pub async fn popular_tags(&self, limit: i64) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT t.name, COUNT(*) AS n FROM tags t JOIN story_tags st ON st.tag_id = t.id \
             GROUP BY t.id, t.name ORDER BY n DESC, t.name LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("name")?)).collect()
    }

    /// Every staff writer and wire service the paper has credited, by name.
    pub async fn all_sources(&self) -> Result<Vec<Source>> {
        let rows = sqlx::query("SELECT id, name, slug, kind FROM sources ORDER BY name, id")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Source {
                    id: SourceId(r.try_get("id")?),
                    name: r.try_get("name")?,
                    slug: r.try_get("slug")?,
                    kind: SourceKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("source kind '{kind}'")))?,
                })
            })
            .collect()
    }
}
