//! Following the change feed: the one way a running node learns what was written, whether
//! by itself, by a command run beside it (`broadsheet import`) or by another node.
//!
//! A task polls the store's outbox a few times a second and applies each event to the
//! node's in-memory state. Later consumers (search index, page cache) hang off the same loop.

use crate::app::AppState;
use broadsheet_store::Event;
use std::time::Duration;

/// How often the feed is polled: well inside the one second in which a reader must see a
/// change on the same node.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Start following from the newest event; earlier ones are already reflected in the state
/// the app loaded at start.
pub async fn spawn(app: AppState) -> tokio::task::JoinHandle<()> {
    let mut last = match app.store.last_event_id().await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!("change feed: cannot read the newest event: {e}");
            0
        }
    };
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(POLL_INTERVAL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match app.store.events_after(last, 500).await {
                Ok(events) => {
                    if let Some(newest) = events.last() {
                        last = newest.id;
                    }
                    apply(&app, &events).await;
                }
                Err(e) => tracing::warn!("change feed: poll failed: {e}"),
            }
        }
    })
}

async fn apply(app: &AppState, events: &[Event]) {
    let sections = events.iter().any(|e| e.kind.starts_with("section."));
    let settings = events.iter().any(|e| e.kind.starts_with("setting."));
    if sections && let Err(e) = app.reload_sections().await {
        tracing::warn!("change feed: reloading sections failed: {e}");
    }
    if settings && let Err(e) = app.reload_site().await {
        tracing::warn!("change feed: reloading site settings failed: {e}");
    }
}
