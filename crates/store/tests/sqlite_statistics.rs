//! SQLite keeps the planner's per-index averages but not its STAT4 samples: with samples,
//! every cached statement is planned again each time a bound value changes.

use broadsheet_store::Store;
use sqlx::{Connection, SqliteConnection};

async fn count(conn: &mut SqliteConnection, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn opening_the_store_drops_stat4_samples_and_keeps_stat1() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    Store::open(&url).await.unwrap().close().await;

    // Another tool (or an older Broadsheet) analysed the file, samples and all.
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    for i in 0..200 {
        sqlx::query("INSERT INTO tags (name, slug) VALUES ($1, $2)")
            .bind(format!("Tag {i}"))
            .bind(format!("tag-{i}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
    assert!(
        count(&mut conn, "sqlite_stat4").await > 0,
        "ANALYZE wrote samples"
    );
    conn.close().await.unwrap();

    Store::open(&url).await.unwrap().close().await;
    let mut conn = SqliteConnection::connect(&url).await.unwrap();
    assert_eq!(count(&mut conn, "sqlite_stat4").await, 0);
    assert!(
        count(&mut conn, "sqlite_stat1").await > 0,
        "the averages stay"
    );
}
