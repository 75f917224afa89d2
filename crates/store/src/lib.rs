//! Broadsheet's store: one interface over SQLite (the embedded default) and PostgreSQL.
//!
//! Both backends run the same SQL through sqlx's `Any` driver, written in the dialect the two
//! share (`$1` placeholders, `RETURNING`, `ON CONFLICT`, recursive CTEs); only the migrations
//! differ, one folder per backend. The contract tests in `tests/contract.rs` run every test
//! on both, which is what keeps the two from drifting apart.
//!
//! Every write is one transaction and appends a row to `events` (the change feed) inside it,
//! so whatever reacts to writes (search index, page cache, other nodes) sees exactly the
//! committed ones. Times are stored as microseconds since the epoch, in UTC.

mod accounts;
mod api_lists;
mod api_tokens;
mod comments;
mod error;
mod events;
mod feeds;
mod media;
mod newsroom;
mod rows;
mod sections;
mod sessions;
mod settings;
mod sitemap;
mod stories;
mod texts;
mod throttles;
mod wire;

pub use accounts::NewUser;
pub use api_lists::{StoryFilter, StorySummary};
pub use api_tokens::{ApiScope, ApiToken, MAX_TOKEN_NAME_CHARS, check_token_name};
pub use comments::{CommentOrder, CommentSettings, CommentThread, NewComment, QueueItem};
pub use error::{Result, StoreError};
pub use events::Event;
pub use media::LibraryItem;
pub use newsroom::{
    AuditEntry, AuditFilter, AuditPerson, DeskFilter, DeskRow, Handoff, RevisionInfo, Submission,
};
pub use sessions::SessionRecord;
pub use sitemap::{SitemapEntry, SitemapPage};
pub use stories::{ListQuery, ListScope, SaveOutcome, Writer};
pub use texts::StoryText;
pub use throttles::{Limited, Refusal, Throttle};
pub use wire::WireRecord;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }
}

/// A handle to the store; cheap to clone (it is a connection pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// SQLite: the one connection write transactions take turns on (see `begin_write`);
    /// PostgreSQL writes concurrently and uses `pool`.
    writer: Option<AnyPool>,
    backend: Backend,
}

impl Store {
    /// Connect, and bring the schema up to date.
    ///
    /// For SQLite the URL is `sqlite://PATH?mode=rwc` (the file is created); the journal is
    /// switched to WAL so readers never wait for the writer.
    pub async fn open(url: &str) -> Result<Store> {
        let backend = Backend::from_url(url)?;
        install_default_drivers();
        match backend {
            Backend::Sqlite => {
                // Schema and statistics are brought up to date on a connection of their
                // own before the pools open, so every pooled connection reads the planner's
                // statistics as they are left here.
                let mut conn = AnyConnection::connect(url).await?;
                // WAL is a property of the file, set once; the other pragmas are per connection.
                conn.execute("PRAGMA journal_mode = WAL;").await?;
                SQLITE_MIGRATIONS.run(&mut conn).await?;
                refresh_statistics(&mut conn).await?;
                conn.close().await?;
                Ok(Store {
                    pool: sqlite_pool(8).connect(url).await?,
                    writer: Some(sqlite_pool(1).connect(url).await?),
                    backend,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Ok(Store {
                    pool,
                    writer: None,
                    backend,
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Close every connection; pending writes have committed by the time this returns.
    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }

    /// Begin a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a transaction that read first and upgraded later could fail with
    /// SQLITE_BUSY instead of waiting its turn. SQLite lets one writer in at a time, so
    /// write transactions queue for one connection of their own and each is woken as the one
    /// before it ends; waiting on the lock itself would mean sleeping in SQLite's busy
    /// handler, whose back-off naps (up to 100 ms) leave the lock idle under load.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match &self.writer {
            Some(writer) => writer.begin_with("BEGIN IMMEDIATE").await?,
            None => self.pool.begin().await?,
        })
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// The `n`th (1-based) bind parameter of a generated statement. Hand-written SQL uses `$n` on
/// both backends, but SQLite resolves every `$n` by a linear search of the statement's
/// parameter names, which makes a multi-row insert with thousands of parameters quadratic;
/// its anonymous `?` is bound by position at no cost. Only generated multi-row statements,
/// whose parameters are all in order, use this.
pub(crate) fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

/// Now, as stored.
pub(crate) fn now_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}

#[cfg(feature = "testing")]
pub mod testing;

/// A pool of SQLite connections, each set up the same way.
fn sqlite_pool(connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;")
                    .await?;
                Ok(())
            })
        })
        // A request dropped while its BEGIN was under way (the client went away) leaves the
        // transaction open with no `Transaction` to end it, holding SQLite's write lock. Such
        // a connection is closed, which rolls it back, rather than handed to the next writer.
        // (A dropped `Transaction` is rolled back before its connection is released.)
        .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
}

/// Refresh SQLite's planner statistics where they are missing or stale, so it picks the
/// right index (SQLite has no background analyzer), keeping only the per-index averages.
///
/// ANALYZE also writes STAT4 samples (the bundled SQLite is built with them), and with
/// samples SQLite plans a statement again whenever a bound value changes: every cached
/// statement was re-parsed on every use (11 % of a cold article's time). The averages in
/// sqlite_stat1 pick the same indexes here.
async fn refresh_statistics(conn: &mut AnyConnection) -> Result<()> {
    conn.execute("PRAGMA optimize = 0x10002;").await?;
    let stat4: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'",
    )
    .fetch_optional(&mut *conn)
    .await?;
    if stat4.is_some() {
        conn.execute("DELETE FROM sqlite_stat4;").await?;
    }
    Ok(())
}
