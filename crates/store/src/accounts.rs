//! Accounts and the identities providers vouch for.
//!
//! Account writes do not enter the change feed: nothing a reader sees on a cached page
//! depends on them (comments name their writer at render time, and the comment module
//! writes its own events when an account's comments change).
//!
//! Password hashes are opaque strings here; hashing and checking belong to the app.

use crate::{Result, Store, StoreError, now_micros, rows};
use broadsheet_domain::{Identity, Role, User, UserId, ValidationError};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Option<String>,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub role: Role,
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash IS NOT NULL AS has_password, role, banned_until, created_at";

fn user(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    // SQLite answers `IS NOT NULL` with an integer, PostgreSQL with a boolean.
    let has_password = match row.try_get::<bool, _>("has_password") {
        Ok(b) => b,
        Err(_) => row.try_get::<i64, _>("has_password")? != 0,
    };
    Ok(User {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role '{role}'")))?,
        has_password,
        banned_until: rows::opt_time(row.try_get("banned_until")?)?,
        created_at: rows::time(row.try_get("created_at")?)?,
    })
}

impl Store {
    /// Create an account. An e-mail address already in use is a `Conflict` naming it.
    pub async fn create_user(&self, new: &NewUser) -> Result<User> {
        let mut tx = self.begin_write().await?;
        if let Some(email) = &new.email {
            let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!(
                    "an account with the e-mail address {email} already exists"
                )));
            }
        }
        let row = sqlx::query(&format!(
            "INSERT INTO users (email, display_name, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLUMNS}"
        ))
        .bind(&new.email)
        .bind(&new.display_name)
        .bind(&new.password_hash)
        .bind(new.role.as_str())
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await?;
        let created = user(&row)?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL"
        ))
        .bind(id.0)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL"
        ))
        .bind(email)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// The account and its password hash, for signing in.
    pub async fn credentials(&self, email: &str) -> Result<Option<(User, Option<String>)>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users \
             WHERE email = $1 AND deleted_at IS NULL"
        ))
        .bind(email)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE deleted_at IS NULL ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(user).collect()
    }

    pub async fn set_role(&self, id: UserId, role: Role) -> Result<()> {
        self.update_user(id, "role = $1", role.as_str()).await
    }

    pub async fn set_display_name(&self, id: UserId, name: &str) -> Result<()> {
        self.update_user(id, "display_name = $1", name).await
    }

    pub async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<()> {
        self.update_user(id, "password_hash = $1", hash).await
    }

    async fn update_user(&self, id: UserId, assignment: &str, value: &str) -> Result<()> {
        let done = sqlx::query(&format!(
            "UPDATE users SET {assignment} WHERE id = $2 AND deleted_at IS NULL"
        ))
        .bind(value)
        .bind(id.0)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("account {id}")));
        }
        Ok(())
    }

    /// Refuse the account's comments until `until` (`None` lifts a ban).
    pub async fn set_ban(&self, id: UserId, until: Option<Timestamp>) -> Result<()> {
        let done = sqlx::query("UPDATE users SET banned_until = $1 WHERE id = $2")
            .bind(until.map(|t| t.as_microsecond()))
            .bind(id.0)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("account {id}")));
        }
        Ok(())
    }

    /// Remove an account's personal data: address, name, password, linked providers and
    /// sessions. The row stays (marked deleted) so comments kept by the site's setting can
    /// say "deleted reader"; the comment module decides what happens to those.
    pub async fn delete_user_personal_data(&self, id: UserId) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET email = NULL, display_name = '', password_hash = NULL, \
             deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL",
        )
        .bind(now_micros())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("account {id}")));
        }
        for table in ["user_identities", "sessions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The account a provider's identity is linked to.
    pub async fn user_by_identity(&self, provider: &str, subject: &str) -> Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE deleted_at IS NULL AND id = \
             (SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2)"
        ))
        .bind(provider)
        .bind(subject)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user).transpose()
    }

    /// Link a provider's identity to an account. An identity already linked to another
    /// account is a `Conflict`.
    pub async fn link_identity(
        &self,
        id: UserId,
        provider: &str,
        subject: &str,
        email: Option<&str>,
    ) -> Result<()> {
        if subject.is_empty() {
            return Err(ValidationError::new("subject", "must not be empty").into());
        }
        let mut tx = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2")
                .bind(provider)
                .bind(subject)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(row) = existing {
            let owner: i64 = row.try_get("user_id")?;
            if owner == id.0 {
                return Ok(());
            }
            return Err(StoreError::Conflict(format!(
                "this {provider} account is already linked to another reader's account"
            )));
        }
        sqlx::query(
            "INSERT INTO user_identities (provider, subject, user_id, email, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(provider)
        .bind(subject)
        .bind(id.0)
        .bind(email)
        .bind(now_micros())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn identities(&self, id: UserId) -> Result<Vec<Identity>> {
        let rows = sqlx::query(
            "SELECT provider, subject, email, created_at FROM user_identities \
             WHERE user_id = $1 ORDER BY provider",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Identity {
                    provider: r.try_get("provider")?,
                    subject: r.try_get("subject")?,
                    email: r.try_get("email")?,
                    created_at: rows::time(r.try_get("created_at")?)?,
                })
            })
            .collect()
    }
}
