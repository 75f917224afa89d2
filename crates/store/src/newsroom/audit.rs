//! Reading the audit log back: the newest actions first, narrowed by action, person, story
//! and time, a page at a time.

use super::filtered::{Filtered, Value};
use crate::{Result, Store, rows};
use broadsheet_domain::{StoryId, UserId};
use jiff::Timestamp;
use sqlx::Row;

/// One publishing action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    /// `None` for the scheduler (and for an account since deleted).
    pub user: Option<String>,
    pub user_id: Option<UserId>,
    /// The account's address, which tells apart two people of the same name.
    pub email: Option<String>,
    pub action: String,
    pub story_id: Option<StoryId>,
    /// The story's headline now.
    pub headline: Option<String>,
    pub detail: String,
}

/// Which entries the audit page shows; the default is all of them.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub user: Option<UserId>,
    pub story: Option<StoryId>,
    /// At or after this time.
    pub from: Option<Timestamp>,
    /// Before this time.
    pub before: Option<Timestamp>,
    pub limit: i64,
    pub offset: i64,
}

/// Someone who appears in the audit log, for the page's filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPerson {
    pub id: UserId,
    pub name: String,
    pub email: Option<String>,
}

impl Store {
    /// The newest publishing actions first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_log(&AuditFilter {
            limit,
            ..AuditFilter::default()
        })
        .await
    }

    /// The entries that match `filter`, newest first.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut query = Filtered::new(
            "SELECT a.at, a.action, a.story_id, a.detail, a.user_id, s.headline, \
             CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS name, u.email \
             FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
             LEFT JOIN stories s ON s.id = a.story_id",
        );
        if let Some(action) = &filter.action {
            query.and_value("a.action = ?", Value::Text(action.clone()));
        }
        if let Some(user) = filter.user {
            query.and_value("a.user_id = ?", Value::Int(user.0));
        }
        if let Some(story) = filter.story {
            query.and_value("a.story_id = ?", Value::Int(story.0));
        }
        if let Some(at) = filter.from {
            query.and_value("a.at >= ?", Value::Int(at.as_microsecond()));
        }
        if let Some(at) = filter.before {
            query.and_value("a.at < ?", Value::Int(at.as_microsecond()));
        }
        let rows = query
            .page(
                "a.at DESC, a.id DESC",
                filter.limit,
                filter.offset,
                self.pool(),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: rows::time(r.try_get("at")?)?,
                    user: r.try_get("name")?,
                    user_id: r.try_get::<Option<i64>, _>("user_id")?.map(UserId),
                    email: r.try_get("email")?,
                    action: r.try_get("action")?,
                    story_id: r.try_get::<Option<i64>, _>("story_id")?.map(StoryId),
                    headline: r.try_get("headline")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// The kinds of action the log holds, by name.
    pub async fn audit_actions(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("action")?)).collect()
    }

    /// The people who appear in the log (deleted accounts left out), by name.
    pub async fn audit_people(&self) -> Result<Vec<AuditPerson>> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name, u.email FROM users u WHERE u.deleted_at IS NULL AND EXISTS \
             (SELECT 1 FROM audit_log a WHERE a.user_id = u.id) ORDER BY u.display_name, u.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditPerson {
                    id: UserId(r.try_get("id")?),
                    name: r.try_get("display_name")?,
                    email: r.try_get("email")?,
                })
            })
            .collect()
    }
}
