//! Timed work of the node: publishing scheduled stories when their time comes, and clearing
//! expired sessions and old throttle counts.
//!
//! Every node runs this. The schedule is the stories' own rows and `Store::publish_due` takes
//! due stories under a row lock, so however many nodes run, each story goes live once, and a
//! node that was down publishes what fell due meanwhile as soon as it is back.

use crate::app::AppState;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

/// How often due stories are looked for: a scheduled story goes live within this of its time.
pub const TICK: Duration = Duration::from_secs(1);
/// Housekeeping runs this many ticks apart (about an hour).
const HOUSEKEEPING_EVERY: u64 = 3600;
/// Throttle counts older than this can no longer matter to any limit.
const THROTTLE_MEMORY: SignedDuration = SignedDuration::from_hours(24);

pub fn spawn(app: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut ticks: u64 = 0;
        loop {
            ticker.tick().await;
            match app.store.publish_due(Timestamp::now()).await {
                Ok(published) if !published.is_empty() => {
                    tracing::info!("scheduler: published {published:?}");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("scheduler: publishing due stories failed: {e}"),
            }
            if ticks.is_multiple_of(HOUSEKEEPING_EVERY) {
                housekeeping(&app).await;
            }
            ticks += 1;
        }
    })
}

async fn housekeeping(app: &AppState) {
    if let Err(e) = app.store.prune_sessions().await {
        tracing::warn!("scheduler: removing expired sessions failed: {e}");
    }
    let before = Timestamp::now() - THROTTLE_MEMORY;
    if let Err(e) = app.store.prune_throttle_events(before).await {
        tracing::warn!("scheduler: removing old throttle counts failed: {e}");
    }
}
