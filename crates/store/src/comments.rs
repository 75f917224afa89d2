//! Comments, reports and moderation.
//!
//! Every write that changes what a story's comment list shows appends a `comment.changed`
//! event naming the story, so the change feed can purge that story's comment fragment and
//! nothing else: comment traffic never purges the article page. `stories.comment_count` (the
//! visible comments) is kept in the same transaction as the comment it counts.
//!
//! The rules about who may write what (length, rate, bans, the edit window) belong to the
//! app; the store keeps the ones only a transaction can keep: the story is published and
//! open, a reply's parent is a visible top-level comment of the same story, and the rate
//! limits the app names are counted in the comment's own transaction.

use crate::throttles::{self, Limited, Throttle};
use crate::{Result, Store, StoreError, events, now_micros, rows};
use broadsheet_domain::{
    Comment, CommentId, CommentStatus, CommentsMode, StoryId, StoryStatus, UserId, ValidationError,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A comment to write; the app has checked its words.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub story_id: StoryId,
    pub user_id: UserId,
    pub parent_id: Option<CommentId>,
    pub body: String,
    pub status: CommentStatus,
    pub held_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommentOrder {
    #[default]
    Newest,
    Oldest,
}

/// A top-level comment with its replies (oldest first, as a conversation reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentThread {
    pub comment: Comment,
    pub replies: Vec<Comment>,
}

/// What an editor sees in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub comment: Comment,
    pub story_headline: String,
    /// Open reports: reason and reporter's name.
    pub reports: Vec<(String, Option<String>)>,
}

/// A story's comment settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentSettings {
    pub status: StoryStatus,
    pub mode: CommentsMode,
    pub count: i64,
}

const COMMENT_COLUMNS: &str = "c.id, c.story_id, c.user_id, c.parent_id, c.body, c.status, \
     c.held_reason, c.created_at, c.edited_at, \
     CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS author";

fn comment(row: &AnyRow) -> Result<Comment> {
    let status: String = row.try_get("status")?;
    Ok(Comment {
        id: CommentId(row.try_get("id")?),
        story_id: StoryId(row.try_get("story_id")?),
        user_id: UserId(row.try_get("user_id")?),
        author: row.try_get("author")?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(CommentId),
        body: row.try_get("body")?,
        status: CommentStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("comment status '{status}'")))?,
        held_reason: row.try_get("held_reason")?,
        created_at: rows::time(row.try_get("created_at")?)?,
        edited_at: rows::opt_time(row.try_get("edited_at")?)?,
    })
}

fn count_delta(before: CommentStatus, after: CommentStatus) -> i64 {
    let visible = |s| (s == CommentStatus::Visible) as i64;
    visible(after) - visible(before)
}

async fn adjust_count(
    tx: &mut Transaction<'static, Any>,
    story: StoryId,
    delta: i64,
) -> Result<()> {
    if delta != 0 {
        sqlx::query("UPDATE stories SET comment_count = comment_count + $1 WHERE id = $2")
            .bind(delta)
            .bind(story.0)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn changed(
    tx: &mut Transaction<'static, Any>,
    story: StoryId,
    id: Option<CommentId>,
) -> Result<()> {
    events::append(
        tx,
        "comment.changed",
        Some(story),
        None,
        json!({ "comment": id.map(|c| c.0) }),
    )
    .await
}

async fn comment_in(tx: &mut Transaction<'static, Any>, id: CommentId) -> Result<Comment> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("comment {id}")))?;
    comment(&row)
}

impl Store {
    /// A story's status, comment mode and count; `None` when there is no such story.
    pub async fn comment_settings(&self, story: StoryId) -> Result<Option<CommentSettings>> {
        let row =
            sqlx::query("SELECT status, comments_mode, comment_count FROM stories WHERE id = $1")
                .bind(story.0)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| {
            let status: String = r.try_get("status")?;
            let mode: String = r.try_get("comments_mode")?;
            Ok(CommentSettings {
                status: StoryStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
                mode: CommentsMode::parse(&mode)
                    .ok_or_else(|| StoreError::Corrupt(format!("comments mode '{mode}'")))?,
                count: r.try_get("comment_count")?,
            })
        })
        .transpose()
    }

    pub async fn set_comments_mode(&self, story: StoryId, mode: CommentsMode) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE stories SET comments_mode = $1 WHERE id = $2")
            .bind(mode.as_str())
            .bind(story.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("story {story}")));
        }
        changed(&mut tx, story, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Write a comment, counted against each of `throttles` in the same transaction; over any
    /// of them it is refused and nothing is written. An error when the story is not published
    /// or is closed to comments, or when a reply's parent is not a visible top-level comment
    /// of the same story.
    pub async fn add_comment(
        &self,
        new: &NewComment,
        throttles: &[Throttle<'_>],
    ) -> Result<Limited<Comment>> {
        let mut tx = self.begin_write().await?;
        // The writer's name comes with the story's state, so the comment written can be
        // answered without reading it back: every statement here holds SQLite's one writer.
        let story = sqlx::query(
            "SELECT status, comments_mode, (SELECT CASE WHEN u.deleted_at IS NULL \
             THEN u.display_name END FROM users u WHERE u.id = $2) AS author \
             FROM stories WHERE id = $1",
        )
        .bind(new.story_id.0)
        .bind(new.user_id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("story {}", new.story_id)))?;
        let status: String = story.try_get("status")?;
        let mode: String = story.try_get("comments_mode")?;
        if status != StoryStatus::Published.as_str() {
            return Err(StoreError::NotFound(format!("story {}", new.story_id)));
        }
        if mode == CommentsMode::Closed.as_str() {
            return Err(ValidationError::new("story", "is closed to comments").into());
        }
        if let Some(parent) = new.parent_id {
            let parent = comment_in(&mut tx, parent).await?;
            if parent.story_id != new.story_id
                || parent.parent_id.is_some()
                || parent.status != CommentStatus::Visible
            {
                return Err(ValidationError::new(
                    "parent",
                    "replies go under a visible comment of the same story, one level deep",
                )
                .into());
            }
        }
        if let Some(refusal) = throttles::check_and_count(&mut tx, self.backend, throttles).await? {
            return Ok(Limited::Refused(refusal));
        }
        let created_at = now_micros();
        let row = sqlx::query(
            "INSERT INTO comments (story_id, user_id, parent_id, body, status, held_reason, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.story_id.0)
        .bind(new.user_id.0)
        .bind(new.parent_id.map(|p| p.0))
        .bind(&new.body)
        .bind(new.status.as_str())
        .bind(&new.held_reason)
        .bind(created_at)
        .fetch_one(&mut *tx)
        .await?;
        let id = CommentId(row.try_get("id")?);
        adjust_count(
            &mut tx,
            new.story_id,
            count_delta(CommentStatus::Deleted, new.status),
        )
        .await?;
        changed(&mut tx, new.story_id, Some(id)).await?;
        tx.commit().await?;
        Ok(Limited::Done(Comment {
            id,
            story_id: new.story_id,
            user_id: new.user_id,
            author: story.try_get("author")?,
            parent_id: new.parent_id,
            body: new.body.clone(),
            status: new.status,
            held_reason: new.held_reason.clone(),
            created_at: rows::time(created_at)?,
            edited_at: None,
        }))
    }

    pub async fn comment(&self, id: CommentId) -> Result<Option<Comment>> {
        let row = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(comment).transpose()
    }

    /// Replace a comment's words (its writer's correction); `status` says whether the new
    /// words are held for review.
    pub async fn edit_comment(
        &self,
        id: CommentId,
        body: &str,
        status: CommentStatus,
        held_reason: Option<&str>,
    ) -> Result<Comment> {
        let mut tx = self.begin_write().await?;
        let before = comment_in(&mut tx, id).await?;
        sqlx::query(
            "UPDATE comments SET body = $1, status = $2, held_reason = $3, edited_at = $4 \
             WHERE id = $5",
        )
        .bind(body)
        .bind(status.as_str())
        .bind(held_reason)
        .bind(now_micros())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        adjust_count(&mut tx, before.story_id, count_delta(before.status, status)).await?;
        changed(&mut tx, before.story_id, Some(id)).await?;
        let after = comment_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Change a comment's status: its writer deletes it, an editor hides, restores or
    /// approves it. An editor's decision settles the comment's open reports.
    pub async fn set_comment_status(
        &self,
        id: CommentId,
        status: CommentStatus,
        moderator: Option<UserId>,
    ) -> Result<Comment> {
        let mut tx = self.begin_write().await?;
        let before = comment_in(&mut tx, id).await?;
        let now = now_micros();
        sqlx::query(
            "UPDATE comments SET status = $1, moderated_by = COALESCE($2, moderated_by), \
             moderated_at = CASE WHEN $2 IS NULL THEN moderated_at ELSE $3 END WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(moderator.map(|m| m.0))
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if moderator.is_some() {
            sqlx::query(
                "UPDATE comment_reports SET resolved_at = $1 \
                 WHERE comment_id = $2 AND resolved_at IS NULL",
            )
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        adjust_count(&mut tx, before.story_id, count_delta(before.status, status)).await?;
        changed(&mut tx, before.story_id, Some(id)).await?;
        let after = comment_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A page of a story's conversation: visible top-level comments (and, as placeholders
    /// with their words blanked, taken-down ones that still have visible replies), each with
    /// its visible replies; and how many top-level entries there are in all.
    pub async fn story_comments(
        &self,
        story: StoryId,
        order: CommentOrder,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<CommentThread>, i64)> {
        const SHOWN: &str = "c.story_id = $1 AND c.parent_id IS NULL AND (c.status = 'visible' \
             OR EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.status = 'visible'))";
        let direction = match order {
            CommentOrder::Newest => "DESC",
            CommentOrder::Oldest => "ASC",
        };
        let total: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM comments c WHERE {SHOWN}"
        ))
        .bind(story.0)
        .fetch_one(self.pool())
        .await?
        .try_get("n")?;
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id \
             WHERE {SHOWN} ORDER BY c.created_at {direction}, c.id {direction} LIMIT $2 OFFSET $3"
        ))
        .bind(story.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        let mut threads = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut top = comment(row)?;
            if top.status != CommentStatus::Visible {
                top.body.clear();
            }
            threads.push(CommentThread {
                comment: top,
                replies: Vec::new(),
            });
        }
        if threads.is_empty() {
            return Ok((threads, total));
        }
        let ids = threads
            .iter()
            .map(|t| t.comment.id.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        // The ids are integers read from the store, so inlining them is safe.
        let replies = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.user_id \
             WHERE c.parent_id IN ({ids}) AND c.status = 'visible' ORDER BY c.created_at, c.id"
        ))
        .fetch_all(self.pool())
        .await?;
        for row in &replies {
            let reply = comment(row)?;
            if let Some(thread) = threads
                .iter_mut()
                .find(|t| Some(t.comment.id) == reply.parent_id)
            {
                thread.replies.push(reply);
            }
        }
        Ok((threads, total))
    }

    /// A reader reports a comment. Reporting the same comment twice is a `Conflict`.
    pub async fn report_comment(
        &self,
        id: CommentId,
        reporter: UserId,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let target = comment_in(&mut tx, id).await?;
        let already =
            sqlx::query("SELECT 1 FROM comment_reports WHERE comment_id = $1 AND user_id = $2")
                .bind(id.0)
                .bind(reporter.0)
                .fetch_optional(&mut *tx)
                .await?;
        if already.is_some() {
            return Err(StoreError::Conflict(
                "you have already reported this comment".into(),
            ));
        }
        sqlx::query(
            "INSERT INTO comment_reports (comment_id, user_id, reason, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(reporter.0)
        .bind(reason)
        .bind(now_micros())
        .execute(&mut *tx)
        .await?;
        events::append(
            &mut tx,
            "comment.reported",
            Some(target.story_id),
            None,
            json!({ "comment": id.0 }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Held comments and comments with open reports, oldest first.
    pub async fn moderation_queue(&self, limit: i64) -> Result<Vec<QueueItem>> {
        let rows = sqlx::query(&format!(
            "SELECT {COMMENT_COLUMNS}, s.headline AS story_headline FROM comments c \
             JOIN users u ON u.id = c.user_id JOIN stories s ON s.id = c.story_id \
             WHERE c.status = 'held' OR (c.status = 'visible' AND EXISTS \
               (SELECT 1 FROM comment_reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL)) \
             ORDER BY c.created_at, c.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut items = rows
            .iter()
            .map(|row| {
                Ok(QueueItem {
                    comment: comment(row)?,
                    story_headline: row.try_get("story_headline")?,
                    reports: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if items.is_empty() {
            return Ok(items);
        }
        // One query for the open reports of the whole page, not one per comment. The ids are
        // integers read from the store, so inlining them is safe.
        let ids = items
            .iter()
            .map(|i| i.comment.id.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let reports = sqlx::query(&format!(
            "SELECT r.comment_id, r.reason, \
             CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS name \
             FROM comment_reports r JOIN users u ON u.id = r.user_id \
             WHERE r.comment_id IN ({ids}) AND r.resolved_at IS NULL ORDER BY r.created_at"
        ))
        .fetch_all(self.pool())
        .await?;
        for report in &reports {
            let id = CommentId(report.try_get("comment_id")?);
            if let Some(item) = items.iter_mut().find(|i| i.comment.id == id) {
                item.reports
                    .push((report.try_get("reason")?, report.try_get("name")?));
            }
        }
        Ok(items)
    }

    /// Take down every comment of an account (when its owner deletes it and the site does not
    /// keep such comments); returns how many.
    pub async fn remove_user_comments(&self, user: UserId) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT id, story_id, status FROM comments WHERE user_id = $1 AND status <> 'deleted'",
        )
        .bind(user.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut stories = Vec::new();
        for row in &rows {
            let story = StoryId(row.try_get("story_id")?);
            let status: String = row.try_get("status")?;
            if status == CommentStatus::Visible.as_str() {
                adjust_count(&mut tx, story, -1).await?;
            }
            stories.push(story);
        }
        sqlx::query("UPDATE comments SET status = 'deleted', body = '' WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        stories.sort();
        stories.dedup();
        for story in stories {
            changed(&mut tx, story, None).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Visible comment counts of these stories (the browser refreshes counts in lists).
    pub async fn comment_counts(&self, ids: &[StoryId]) -> Result<Vec<(StoryId, i64)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids
            .iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT id, comment_count FROM stories WHERE id IN ({list}) AND status = 'published'"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((StoryId(r.try_get("id")?), r.try_get("comment_count")?)))
            .collect()
    }
}
