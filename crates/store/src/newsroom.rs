//! The newsroom's writes: saves that keep every revision and refuse a stale form, the
//! reporters' hand-off of drafts to the desk, the scheduler's publishing of due stories, and
//! the audit log of publishing actions. The desk's lists live in `desk`, the audit page's in
//! `audit`.
//!
//! Rules:
//! - A newsroom save names the revision its writer opened. If the story has moved on since,
//!   the save is a `Conflict` ("changed since you opened it") and nothing is written; the
//!   caller still has the writer's text to show again.
//! - Every newsroom save stores the whole input as a revision, with its author and time, in
//!   the same transaction as the save; a status change also goes into the audit log.
//! - A draft may be submitted for editing with the save that submits it ([`Handoff`]); it
//!   then waits in `story_submissions` until an editor sends it back or it leaves draft
//!   (published or scheduled), which ends the wait in the same transaction. Submitting and
//!   sending back are audited.
//! - `publish_due` takes due scheduled stories under a row lock (PostgreSQL `FOR UPDATE SKIP
//!   LOCKED`; SQLite has one writer at a time), so with several nodes each story is published
//!   exactly once, and a restart loses nothing: the schedule is the stories' own rows.

mod audit;
mod desk;
mod filtered;

pub use audit::{AuditEntry, AuditFilter, AuditPerson};
pub use desk::{DeskFilter, DeskRow, Submission};

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

/// What a save does to the story's place in the editors' queue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Handoff {
    /// Leave it as it is (a story leaving draft leaves the queue all the same).
    #[default]
    Keep,
    /// A draft goes to the editors, with the writer's note to them.
    Submit { note: String },
    /// An editor hands a submitted draft back to its writer, saying why.
    SendBack { note: String },
}

/// The longest note a writer or an editor may attach to a hand-off.
pub const MAX_NOTE_CHARS: usize = 1000;

fn check_note(note: &str) -> Result<String> {
    let note = note.trim();
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(ValidationError::new(
            "note",
            format!("is {chars} characters long; the limit is {MAX_NOTE_CHARS}"),
        )
        .into());
    }
    if note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ValidationError::new("note", "contains control characters").into());
    }
    Ok(note.to_string())
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
        self.save_story_handoff(id, input, author, opened, &Handoff::Keep)
            .await
    }

    /// [`Store::save_story_as`], also submitting the draft for editing or sending it back,
    /// in the same transaction: either the words and the hand-off are both written, or
    /// neither is.
    pub async fn save_story_handoff(
        &self,
        id: Option<StoryId>,
        input: &StoryInput,
        author: Option<UserId>,
        opened: Option<i64>,
        handoff: &Handoff,
    ) -> Result<SaveOutcome> {
        let note = match handoff {
            Handoff::Keep => String::new(),
            Handoff::Submit { note } | Handoff::SendBack { note } => check_note(note)?,
        };
        if matches!(handoff, Handoff::Submit { .. }) && input.status != StoryStatus::Draft {
            return Err(ValidationError::new(
                "status",
                format!(
                    "only a draft is submitted for editing; this one would be {}",
                    input.status
                ),
            )
            .into());
        }
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
        let waiting = match id {
            Some(id) => desk::submission_in(&mut writer.tx, id).await?.is_some(),
            None => false,
        };
        if matches!(handoff, Handoff::SendBack { .. }) && !waiting {
            return Err(ValidationError::new(
                "status",
                "this story is not waiting for an editor, so there is nothing to send back",
            )
            .into());
        }
        let outcome = writer.save(id, input).await?;
        record_revision(&mut writer.tx, outcome.id, outcome.revision, author, input).await?;
        if let Some(name) = action(before, input.status) {
            let detail = match (name, input.published_at) {
                ("scheduled", Some(at)) => format!("for {at}"),
                _ => String::new(),
            };
            audit(&mut writer.tx, author, name, Some(outcome.id), &detail).await?;
        }
        let leaves_queue = waiting
            && (input.status != StoryStatus::Draft || matches!(handoff, Handoff::SendBack { .. }));
        if leaves_queue || matches!(handoff, Handoff::Submit { .. }) {
            sqlx::query("DELETE FROM story_submissions WHERE story_id = $1")
                .bind(outcome.id.0)
                .execute(&mut *writer.tx)
                .await?;
        }
        match handoff {
            Handoff::Submit { .. } => {
                sqlx::query(
                    "INSERT INTO story_submissions (story_id, submitted_by, submitted_at, note) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(outcome.id.0)
                .bind(author.map(|a| a.0))
                .bind(now_micros())
                .bind(&note)
                .execute(&mut *writer.tx)
                .await?;
                audit(&mut writer.tx, author, "submitted", Some(outcome.id), &note).await?;
            }
            Handoff::SendBack { .. } => {
                audit(&mut writer.tx, author, "sent back", Some(outcome.id), &note).await?;
            }
            Handoff::Keep => {}
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
}
