//! Sliding-window throttles: one row in `throttle_events` per counted action (a failed
//! sign-in, a comment), counted by bucket and key over the window.
//!
//! A limit that guards a write is checked and counted inside that write's transaction
//! (`check_and_count`), so two actions at once cannot both take the last place in the window,
//! and a refused action leaves nothing behind: on SQLite the write transaction holds the
//! database's write lock from its first statement; on PostgreSQL each key is locked for the
//! rest of the transaction (an advisory lock) before it is counted.

use crate::{Backend, Result, Store, now_micros, placeholder, rows};
use jiff::{SignedDuration, Timestamp};
use sqlx::{Any, Executor, Row, Transaction};

/// At most `max` actions under `key` in `bucket` per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle<'a> {
    pub bucket: &'a str,
    pub key: &'a str,
    pub max: i64,
    pub window: SignedDuration,
}

/// A throttled write was over a limit: which of the throttles given (its index), and when it
/// would take the action again. Nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub limit: usize,
    pub retry_at: Timestamp,
}

/// What a throttled write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limited<T> {
    /// Within every limit: written, and counted against each.
    Done(T),
    /// Over a limit: nothing written, nothing counted.
    Refused(Refusal),
}

/// How many actions since `since` (microseconds), and when the oldest of them was.
async fn count<'e, E>(
    executor: E,
    bucket: &str,
    key: &str,
    since: i64,
) -> Result<(i64, Option<Timestamp>)>
where
    E: Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM throttle_events \
         WHERE bucket = $1 AND key = $2 AND at > $3",
    )
    .bind(bucket)
    .bind(key)
    .bind(since)
    .fetch_one(executor)
    .await?;
    Ok((row.try_get("n")?, rows::opt_time(row.try_get("oldest")?)?))
}

/// Check every throttle and, when all allow the action, count it against each; the caller
/// rolls back on a refusal (nothing has been written by then).
pub(crate) async fn check_and_count(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    throttles: &[Throttle<'_>],
) -> Result<Option<Refusal>> {
    if throttles.is_empty() {
        return Ok(None);
    }
    if backend == Backend::Postgres {
        // Locks in one order whatever order the caller lists them in: two transactions
        // sharing two keys cannot each hold one and wait for the other.
        let mut keys: Vec<String> = throttles
            .iter()
            .map(|t| format!("{} {}", t.bucket, t.key))
            .collect();
        keys.sort();
        keys.dedup();
        for key in &keys {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS locked")
                .bind(key)
                .execute(&mut **tx)
                .await?;
        }
    }
    let now = now_micros();
    // Every window counted in one statement: each statement is a turn holding the writer.
    let counts = (0..throttles.len())
        .map(|i| {
            let p = |n| placeholder(backend, 3 * i + n);
            format!(
                "SELECT CAST({i} AS BIGINT) AS i, COUNT(*) AS n, MIN(at) AS oldest \
                 FROM throttle_events WHERE bucket = {} AND key = {} AND at > {}",
                p(1),
                p(2),
                p(3)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut query = sqlx::query(&counts);
    for throttle in throttles {
        let window = throttle.window.as_micros() as i64;
        query = query
            .bind(throttle.bucket)
            .bind(throttle.key)
            .bind(now - window);
    }
    let mut refusals = Vec::new();
    for row in query.fetch_all(&mut **tx).await? {
        let limit = row.try_get::<i64, _>("i")? as usize;
        let throttle = &throttles[limit];
        if row.try_get::<i64, _>("n")? >= throttle.max {
            let oldest = rows::opt_time(row.try_get("oldest")?)?;
            let retry_at = oldest.unwrap_or(rows::time(now)?) + throttle.window;
            refusals.push(Refusal { limit, retry_at });
        }
    }
    if let Some(first) = refusals.into_iter().min_by_key(|r| r.limit) {
        return Ok(Some(first));
    }
    let mut sql = String::from("INSERT INTO throttle_events (bucket, key, at) VALUES ");
    for i in 0..throttles.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        let p = |n| placeholder(backend, 3 * i + n);
        sql.push_str(&format!("({}, {}, {})", p(1), p(2), p(3)));
    }
    let mut insert = sqlx::query(&sql);
    for throttle in throttles {
        insert = insert.bind(throttle.bucket).bind(throttle.key).bind(now);
    }
    insert.execute(&mut **tx).await?;
    Ok(None)
}

impl Store {
    /// Count an action for throttling (a failed sign-in, a comment).
    pub async fn record_throttle_event(&self, bucket: &str, key: &str) -> Result<()> {
        sqlx::query("INSERT INTO throttle_events (bucket, key, at) VALUES ($1, $2, $3)")
            .bind(bucket)
            .bind(key)
            .bind(now_micros())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// How many actions of this kind and key since `since`, and when the oldest of them was
    /// (so a refusal can say when to try again).
    pub async fn throttle_count(
        &self,
        bucket: &str,
        key: &str,
        since: Timestamp,
    ) -> Result<(i64, Option<Timestamp>)> {
        count(self.pool(), bucket, key, since.as_microsecond()).await
    }

    /// Forget a key's events (a successful sign-in clears its failures).
    pub async fn clear_throttle(&self, bucket: &str, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM throttle_events WHERE bucket = $1 AND key = $2")
            .bind(bucket)
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn prune_throttle_events(&self, before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM throttle_events WHERE at <= $1")
            .bind(before.as_microsecond())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
