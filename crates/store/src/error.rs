//! The store's one error type.
//!
//! Rules: a caller's mistake (a rule broken, a name already taken, a status change the state
//! machine forbids, a row that does not exist) is its own variant with a sentence a reader
//! can act on, so the web layer can answer 4xx; anything else is `Database`, which the web
//! layer logs and shows as a plain 500. A unique-constraint violation is a `Conflict`, never
//! a 500.

use broadsheet_domain::ValidationError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("{0}")]
    Conflict(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("the database URL '{0}' is not sqlite:// or postgres://")]
    UnsupportedUrl(String),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("the store holds a value it cannot read: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            return StoreError::Conflict(format!("already exists ({})", db.message()));
        }
        StoreError::Database(err)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
