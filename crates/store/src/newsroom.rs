//! The newsroom's writes: saves that keep every revision and refuse a stale form, the
//! scheduler's publishing of due stories, and the audit log of publishing actions.
//!
//! Rules:
//! - A newsroom save names the revision its writer opened. If the story has moved on since,
//!   the save is a `Conflict` ("changed since you opened it") and nothing is written; the
//!   caller still has the writer's text to show again.
//! - Every newsroom save stores the whole input as a revision, with its author and time, in
//!   the same transaction as the save; a status change also goes into the audit log.
//! - `publish_due` takes due scheduled stories under a row lock (PostgreSQL `FOR UPDATE SKIP
//!   LOCKED`; SQLite has one writer at a time), so with several nodes each story is published
//!   exactly once, and a restart loses nothing: the schedule is the stories' own rows.

use crate::{Backend, Result, Store, StoreError, events, now_micros, rows};
use broadsheet_domain::{Correction, StoryId, StoryInput, StoryStatus, UserId, ValidationError};
use jiff::Timestamp;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::stories::SaveOutcome;

/// One saved revision, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionInfo {
    pub revision: i64,
    pub author: Option<String>,
    pub saved_at: Timestamp,
    pub status: StoryStatus,
}

/// A story as the newsroom's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskRow {
    pub id: StoryId,
    pub headline: String,
    pub status: StoryStatus,
    pub section_id: broadsheet_domain::SectionId,
    pub published_at: Option<Timestamp>,
    pub modified_at: Timestamp,
    pub revision: i64,
}

/// Which stories the newsroom's list shows.
#[derive(Debug, Clone, Default)]
pub struct DeskFilter {
    pub status: Option<StoryStatus>,
    pub section: Option<broadsheet_domain::SectionId>,
    /// Words of the headline, any case.
    pub headline: Option<String>,
    pub limit: i64,
}

/// One publishing action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// `None` for the scheduler.
    pub user: Option<String>,
    pub action: String,
    pub story_id: Option<StoryId>,
    pub detail: String,
}

/// What a status change is called in the audit log.
fn action(before: Option<StoryStatus>, after: StoryStatus) -> Option<&'static str> {
    use StoryStatus::*;
    match (before, after) {
        (None, _) => Some("created"),
        (Some(a), b) if a == b => None,
        (Some(_), Published) => Some("published"),
        (Some(_), Scheduled) => Some("scheduled"),
        (Some(_), Unpublished) => Some("unpublished"),
        (Some(_), Draft) => Some("returned to draft"),
    }
}

pub(crate) async fn audit(
    tx: &mut Transaction<'static, Any>,
    user: Option<UserId>,
    action: &str,
    story: Option<StoryId>,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, story_id, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_micros())
    .bind(user.map(|u| u.0))
    .bind(action)
    .bind(story.map(|s| s.0))
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn record_revision(
    tx: &mut Transaction<'static, Any>,
    story: StoryId,
    revision: i64,
    author: Option<UserId>,
    input: &StoryInput,
) -> Result<()> {
    let snapshot = serde_json::to_string(input)
        .map_err(|e| StoreError::Corrupt(format!("a story that cannot be kept as JSON: {e}")))?;
    sqlx::query(
        "INSERT INTO story_revisions (story_id, revision, author_id, saved_at, status, snapshot) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(story.0)
    .bind(revision)
    .bind(author.map(|a| a.0))
    .bind(now_micros())
    .bind(input.status.as_str())
    .bind(snapshot)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Record `revision` as the latest saved text with one change made by the store itself (the
/// scheduler publishing it, a correction dating it), so the history has no gap. A story that
/// never went through the newsroom has no saved text to carry on, and gets no row.
async fn carry_revision(
    tx: &mut Transaction<'static, Any>,
    story: StoryId,
    revision: i64,
    author: Option<UserId>,
    change: impl FnOnce(&mut StoryInput),
) -> Result<()> {
    let last = sqlx::query(
        "SELECT snapshot FROM story_revisions WHERE story_id = $1 ORDER BY revision DESC LIMIT 1",
    )
    .bind(story.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(last) = last else {
        return Ok(());
    };
    let snapshot: String = last.try_get("snapshot")?;
    // An unreadable old revision must not stop a publication or a correction.
    let mut input: StoryInput = match serde_json::from_str(&snapshot) {
        Ok(input) => input,
        Err(e) => {
            tracing::warn!(
                "the last revision of story {story} cannot be read ({e}); not carried on"
            );
            return Ok(());
        }
    };
    change(&mut input);
    record_revision(tx, story, revision, author, &input).await
}

impl Store {
    /// Save a story from the newsroom: refuse it if the story changed after revision
    /// `opened` (when given), keep the revision, log a status change.
    pub async fn save_story_as(
        &self,
        id: Option<StoryId>,
        input: &StoryInput,
        author: Option<UserId>,
        opened: Option<i64>,
    ) -> Result<SaveOutcome> {
        let mut writer = self.writer().await?;
        let before = match id {
            Some(id) => {
                // On PostgreSQL the row lock makes a second save wait for the first and
                // then see its revision; SQLite's write transaction already serialises.
                let lock = if self.backend() == Backend::Postgres {
                    " FOR UPDATE"
                } else {
                    ""
                };
                let row = sqlx::query(&format!(
                    "SELECT revision, status FROM stories WHERE id = $1{lock}"
                ))
                .bind(id.0)
                .fetch_optional(&mut *writer.tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("story {id}")))?;
                let revision: i64 = row.try_get("revision")?;
                if opened.is_some_and(|opened| opened != revision) {
                    return Err(StoreError::Conflict(format!(
                        "this story changed since you opened it (you opened revision {}, it is \
                         now at revision {revision}); your text is kept below: compare it with \
                         the latest revision before saving again",
                        opened.unwrap_or_default()
                    )));
                }
                let status: String = row.try_get("status")?;
                Some(
                    StoryStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
                )
            }
            None => None,
        };
        let outcome = writer.save(id, input).await?;
        record_revision(&mut writer.tx, outcome.id, outcome.revision, author, input).await?;
        if let Some(name) = action(before, input.status) {
            let detail = match (name, input.published_at) {
                ("scheduled", Some(at)) => format!("for {at}"),
                _ => String::new(),
            };
            audit(&mut writer.tx, author, name, Some(outcome.id), &detail).await?;
        }
        writer.commit().await?;
        Ok(outcome)
    }

    /// A story's revisions, newest first.
    pub async fn revisions(&self, story: StoryId) -> Result<Vec<RevisionInfo>> {
        let rows = sqlx::query(
            "SELECT r.revision, r.saved_at, r.status, \
             CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS author \
             FROM story_revisions r LEFT JOIN users u ON u.id = r.author_id \
             WHERE r.story_id = $1 ORDER BY r.revision DESC",
        )
        .bind(story.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(RevisionInfo {
                    revision: r.try_get("revision")?,
                    author: r.try_get("author")?,
                    saved_at: rows::time(r.try_get("saved_at")?)?,
                    status: StoryStatus::parse(&status).ok_or_else(|| {
                        StoreError::Corrupt(format!("revision status '{status}'"))
                    })?,
                })
            })
            .collect()
    }

    /// The story as it was saved at `revision`.
    pub async fn revision_input(
        &self,
        story: StoryId,
        revision: i64,
    ) -> Result<Option<StoryInput>> {
        let row = sqlx::query(
            "SELECT snapshot FROM story_revisions WHERE story_id = $1 AND revision = $2",
        )
        .bind(story.0)
        .bind(revision)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let text: String = r.try_get("snapshot")?;
            serde_json::from_str(&text).map_err(|e| {
                StoreError::Corrupt(format!("revision {revision} of story {story}: {e}"))
            })
        })
        .transpose()
    }

    /// Publish every scheduled story whose time has come; returns the ones this call
    /// published (another node's call never returns the same one).
    pub async fn publish_due(&self, now: Timestamp) -> Result<Vec<StoryId>> {
        // Most seconds nothing is due: a read finds that without taking the write lock (on
        // SQLite the whole database's), so the scheduler never queues behind a bulk import.
        let any = sqlx::query(
            "SELECT 1 AS due FROM stories WHERE status = 'scheduled' AND published_at <= $1 LIMIT 1",
        )
        .bind(now.as_microsecond())
        .fetch_optional(self.pool())
        .await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let lock = if self.backend() == Backend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let due = sqlx::query(&format!(
            "SELECT id, section_id, published_at, revision FROM stories \
             WHERE status = 'scheduled' AND published_at <= $1 ORDER BY published_at, id LIMIT 100{lock}"
        ))
        .bind(now.as_microsecond())
        .fetch_all(&mut *tx)
        .await?;
        let mut published = Vec::with_capacity(due.len());
        for row in &due {
            let id = StoryId(row.try_get("id")?);
            let at: i64 = row.try_get("published_at")?;
            let revision: i64 = row.try_get::<i64, _>("revision")? + 1;
            sqlx::query(
                "UPDATE stories SET status = 'published', revision = $1, modified_at = $2 WHERE id = $3",
            )
            .bind(revision)
            .bind(now_micros())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            for table in ["story_sections", "story_tags", "story_sources"] {
                sqlx::query(&format!(
                    "UPDATE {table} SET listed_at = $1 WHERE story_id = $2"
                ))
                .bind(at)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            }
            // The revision history goes on from the last saved text, now published.
            carry_revision(&mut tx, id, revision, None, |input| {
                input.status = StoryStatus::Published;
            })
            .await?;
            events::append(
                &mut tx,
                "story.updated",
                Some(id),
                Some(broadsheet_domain::SectionId(row.try_get("section_id")?)),
                json!({ "status": "published", "previous_status": "scheduled", "revision": revision }),
            )
            .await?;
            audit(
                &mut tx,
                None,
                "published",
                Some(id),
                "at its scheduled time",
            )
            .await?;
            published.push(id);
        }
        tx.commit().await?;
        Ok(published)
    }

    /// Append a correction to a published story: it is dated now, moves the story's
    /// `Updated:` time (and so its feeds' entries) to now, and counts as a revision.
    pub async fn add_correction(
        &self,
        story: StoryId,
        text: &str,
        editor: Option<UserId>,
    ) -> Result<Correction> {
        let text = Correction::check(text)?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT status, section_id, revision FROM stories WHERE id = $1")
            .bind(story.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("story {story}")))?;
        let status: String = row.try_get("status")?;
        if status != StoryStatus::Published.as_str() {
            return Err(ValidationError::new(
                "correction",
                "only a published story takes corrections; edit the draft instead",
            )
            .into());
        }
        let now = now_micros();
        let revision: i64 = row.try_get::<i64, _>("revision")? + 1;
        sqlx::query(
            "INSERT INTO story_corrections (story_id, at, text, editor_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(story.0)
        .bind(now)
        .bind(&text)
        .bind(editor.map(|e| e.0))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE stories SET updated_at = $1, modified_at = $1, revision = $2 WHERE id = $3",
        )
        .bind(now)
        .bind(revision)
        .bind(story.0)
        .execute(&mut *tx)
        .await?;
        let updated = rows::time(now)?;
        carry_revision(&mut tx, story, revision, editor, |input| {
            input.updated_at = Some(updated);
        })
        .await?;
        events::append(
            &mut tx,
            "story.updated",
            Some(story),
            Some(broadsheet_domain::SectionId(row.try_get("section_id")?)),
            json!({ "status": "published", "previous_status": "published", "revision": revision, "correction": true }),
        )
        .await?;
        audit(&mut tx, editor, "corrected", Some(story), &text).await?;
        tx.commit().await?;
        Ok(Correction {
            at: rows::time(now)?,
            text,
        })
    }

    /// A story's corrections, oldest first.
    pub async fn corrections(&self, story: StoryId) -> Result<Vec<Correction>> {
        let rows = sqlx::query(
            "SELECT at, text FROM story_corrections WHERE story_id = $1 ORDER BY at, id",
        )
        .bind(story.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Correction {
                    at: rows::time(r.try_get("at")?)?,
                    text: r.try_get("text")?,
                })
            })
            .collect()
    }

    /// Stories in any state, most recently changed first, for the newsroom.
    pub async fn desk(&self, filter: &DeskFilter) -> Result<Vec<DeskRow>> {
        let mut sql = String::from(
            "SELECT id, headline, status, section_id, published_at, modified_at, revision \
             FROM stories WHERE 1 = 1",
        );
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if filter.status.is_some() {
            sql += &format!(" AND status = {}", next());
        }
        if filter.section.is_some() {
            sql += &format!(" AND section_id = {}", next());
        }
        if filter.headline.is_some() {
            sql += &format!(" AND LOWER(headline) LIKE {}", next());
        }
        sql += &format!(" ORDER BY modified_at DESC, id DESC LIMIT {}", next());
        let mut query = sqlx::query(&sql);
        if let Some(status) = filter.status {
            query = query.bind(status.as_str());
        }
        if let Some(section) = filter.section {
            query = query.bind(section.0);
        }
        if let Some(words) = &filter.headline {
            let escaped = words.to_lowercase().replace(['%', '_'], " ");
            query = query.bind(format!("%{}%", escaped.trim()));
        }
        let rows = query.bind(filter.limit).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(DeskRow {
                    id: StoryId(r.try_get("id")?),
                    headline: r.try_get("headline")?,
                    status: StoryStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
                    section_id: broadsheet_domain::SectionId(r.try_get("section_id")?),
                    published_at: rows::opt_time(r.try_get("published_at")?)?,
                    modified_at: rows::time(r.try_get("modified_at")?)?,
                    revision: r.try_get("revision")?,
                })
            })
            .collect()
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

    /// The newest publishing actions first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT a.at, a.action, a.story_id, a.detail, \
             CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS name \
             FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.at DESC, a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: rows::time(r.try_get("at")?)?,
                    user: r.try_get("name")?,
                    action: r.try_get("action")?,
                    story_id: r.try_get::<Option<i64>, _>("story_id")?.map(StoryId),
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
