//! Test databases: every test gets its own, on either backend, and leaves nothing behind.
//!
//! SQLite databases are files in a temporary directory. PostgreSQL databases are created on
//! the server named by `BROADSHEET_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`) with a unique name and dropped when the handle
//! is dropped, even when the test panicked.

use crate::{Backend, Store};
use std::sync::atomic::{AtomicU64, Ordering};

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A fresh, migrated, empty store for one test.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    /// Holds the SQLite file (and anything else a test wants to put beside it).
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        let store = Store::open(&url).await.expect("open SQLite test store");
        TestDb {
            store,
            url,
            dir,
            postgres: None,
        }
    }

    pub async fn postgres() -> TestDb {
        let admin_url =
            std::env::var("BROADSHEET_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into());
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "bs_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().as_microsecond() % 1_000_000_000
        );
        admin(&admin_url, &format!("CREATE DATABASE {name}")).await;
        let url = match admin_url.rfind('/') {
            Some(at) => format!("{}/{name}", &admin_url[..at]),
            None => panic!("BROADSHEET_TEST_POSTGRES has no database part: {admin_url}"),
        };
        let store = Store::open(&url).await.expect("open PostgreSQL test store");
        TestDb {
            store,
            url,
            dir: tempfile::tempdir().expect("temporary directory"),
            postgres: Some((admin_url, name)),
        }
    }
}

impl TestDb {
    /// Another handle on an existing test database, as a second node would have, with a
    /// directory of its own; dropping it leaves the database to its owner.
    pub async fn borrowed(url: &str) -> TestDb {
        TestDb {
            store: Store::open(url).await.expect("open the shared test store"),
            url: url.to_string(),
            dir: tempfile::tempdir().expect("temporary directory"),
            postgres: None,
        }
    }
}

async fn admin(admin_url: &str, sql: &str) {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!("cannot reach the PostgreSQL test server at {admin_url}: {e} (is it running?)")
        });
    conn.execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            // Drop runs outside async; a short-lived runtime on its own thread does the work.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(admin(
                    &admin_url,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ));
            })
            .join();
        }
    }
}
