//! API tokens: what newsroom integrations present to the JSON API.
//!
//! Rules:
//! - The app makes the token and hashes it; the store keeps only the SHA-256, so a copy of
//!   the database holds nothing a client could present (as with sessions).
//! - A token belongs to the admin who made it; writes made with it are attributed to them.
//!   Whether that account may still use it (not deleted, still an admin) is the app's check,
//!   made on every request with the account as it is then.
//! - Revoking keeps the row (with its time), so the list shows what was revoked and when;
//!   a revoked token is never returned by [`Store::api_token_by_hash`].
//! - Making and revoking a token go into the audit log, in the same transaction.

use crate::newsroom::audit;
use crate::{Result, Store, StoreError, now_micros, rows};
use broadsheet_domain::{UserId, ValidationError};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

/// What a token may do: `read` answers GET requests; `write` also creates, changes,
/// publishes and uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApiScope {
    Read,
    Write,
}

impl ApiScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::Read => "read",
            ApiScope::Write => "write",
        }
    }

    pub fn parse(name: &str) -> Option<ApiScope> {
        match name {
            "read" => Some(ApiScope::Read),
            "write" => Some(ApiScope::Write),
            _ => None,
        }
    }

    /// Whether a token of this scope may do what `needed` allows.
    pub fn allows(self, needed: ApiScope) -> bool {
        self >= needed
    }
}

impl std::fmt::Display for ApiScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token as stored (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: ApiScope,
    pub user_id: UserId,
    /// The maker's address and name, for lists (`None` once the account is deleted).
    pub user_email: Option<String>,
    pub user_name: Option<String>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// A token's name: what it is for ("Wire desk importer"), shown in lists.
pub fn check_token_name(name: &str) -> std::result::Result<String, ValidationError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ValidationError::new(
            "name",
            "must not be empty: say what the token is for",
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_TOKEN_NAME_CHARS {
        return Err(ValidationError::new(
            "name",
            format!("is {chars} characters long; the limit is {MAX_TOKEN_NAME_CHARS}"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ValidationError::new("name", "contains control characters"));
    }
    Ok(name.to_string())
}

const TOKEN_COLUMNS: &str = "t.id, t.name, t.scope, t.user_id, t.created_at, t.last_used_at, \
     t.revoked_at, CASE WHEN u.deleted_at IS NULL THEN u.email END AS user_email, \
     CASE WHEN u.deleted_at IS NULL THEN u.display_name END AS user_name";

fn token(row: &AnyRow) -> Result<ApiToken> {
    let scope: String = row.try_get("scope")?;
    Ok(ApiToken {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        scope: ApiScope::parse(&scope)
            .ok_or_else(|| StoreError::Corrupt(format!("API token scope '{scope}'")))?,
        user_id: UserId(row.try_get("user_id")?),
        user_email: row.try_get("user_email")?,
        user_name: row.try_get("user_name")?,
        created_at: rows::time(row.try_get("created_at")?)?,
        last_used_at: rows::opt_time(row.try_get("last_used_at")?)?,
        revoked_at: rows::opt_time(row.try_get("revoked_at")?)?,
    })
}

impl Store {
    /// Record a token made by `user`, by the hash of its secret.
    pub async fn create_api_token(
        &self,
        token_hash: &str,
        name: &str,
        scope: ApiScope,
        user: UserId,
    ) -> Result<ApiToken> {
        let name = check_token_name(name)?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (token_hash, name, scope, user_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token_hash)
        .bind(&name)
        .bind(scope.as_str())
        .bind(user.0)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        audit(
            &mut tx,
            Some(user),
            "API token made",
            None,
            &format!("{id}: {name} ({scope})"),
        )
        .await?;
        tx.commit().await?;
        self.api_token(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("the API token {id}")))
    }

    /// The token with this id, revoked or not.
    pub async fn api_token(&self, id: i64) -> Result<Option<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(token).transpose()
    }

    /// The live (unrevoked) token with this hash.
    pub async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(token).transpose()
    }

    /// Every token, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             ORDER BY t.id DESC"
        );
        sqlx::query(&sql)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(token)
            .collect()
    }

    /// Note a use of the token (callers do this sparingly: it is a write).
    pub async fn touch_api_token(&self, id: i64, at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(at.as_microsecond())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Revoke a token from now on; `by` is the admin who did (`None` from the command line).
    /// Revoking a revoked token is a `Conflict` that changes nothing.
    pub async fn revoke_api_token(&self, id: i64, by: Option<UserId>) -> Result<ApiToken> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT name, revoked_at FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("the API token {id}")))?;
        if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
            return Err(StoreError::Conflict(format!(
                "the API token {id} is already revoked"
            )));
        }
        let name: String = row.try_get("name")?;
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(now_micros())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            by,
            "API token revoked",
            None,
            &format!("{id}: {name}"),
        )
        .await?;
        tx.commit().await?;
        self.api_token(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("the API token {id}")))
    }
}
