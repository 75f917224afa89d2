//! Server-side sessions, found by the SHA-256 of the token in the reader's cookie.
//!
//! The app makes the token and hashes it; the store keeps only the hash, so a copy of the
//! database holds nothing a browser could present. An expired session is never returned, and
//! `prune_sessions` removes them.

use crate::{Result, Store, now_micros, rows};
use broadsheet_domain::UserId;
use jiff::Timestamp;
use sqlx::Row;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user_id: Option<UserId>,
    pub csrf_token: String,
    /// What the app keeps between requests (a sign-in in progress, where to return).
    pub data: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Option<UserId>,
        csrf_token: &str,
        data: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        let now = now_micros();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, data, created_at, \
             last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
        )
        .bind(token_hash)
        .bind(user_id.map(|u| u.0))
        .bind(csrf_token)
        .bind(data)
        .bind(now)
        .bind(expires_at.as_microsecond())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session with this token hash; an expired one is treated as absent.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, data, created_at, last_seen_at, expires_at \
             FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_micros())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(SessionRecord {
                user_id: r.try_get::<Option<i64>, _>("user_id")?.map(UserId),
                csrf_token: r.try_get("csrf_token")?,
                data: r.try_get("data")?,
                created_at: rows::time(r.try_get("created_at")?)?,
                last_seen_at: rows::time(r.try_get("last_seen_at")?)?,
                expires_at: rows::time(r.try_get("expires_at")?)?,
            })
        })
        .transpose()
    }

    /// Record activity (callers do this sparingly: it is a write) and extend the expiry.
    pub async fn touch_session(&self, token_hash: &str, expires_at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
            .bind(now_micros())
            .bind(expires_at.as_microsecond())
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn set_session_data(&self, token_hash: &str, data: &str) -> Result<()> {
        sqlx::query("UPDATE sessions SET data = $1 WHERE token_hash = $2")
            .bind(data)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Sign an account out everywhere; returns how many sessions ended.
    pub async fn delete_user_sessions(&self, user: UserId) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// How many live sessions an account has (the account page shows it).
    pub async fn count_user_sessions(&self, user: UserId) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM sessions WHERE user_id = $1 AND expires_at > $2",
        )
        .bind(user.0)
        .bind(now_micros())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn prune_sessions(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_micros())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
