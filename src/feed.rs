//! Following the change feed: the one way a running node learns what was written, whether
//! by itself, by a command run beside it (`broadsheet import`) or by another node.
//!
//! A task polls the store's outbox a few times a second and applies each event to the
//! node's in-memory state. Later consumers (search index, page cache) hang off the same loop.
//!
//! Event ids are not committed in order on PostgreSQL: a transaction that took id 13 may
//! commit after the one that took 14, and a rolled-back one leaves 13 unused for good. So the
//! follower does not simply remember the highest id it saw: `Cursor` remembers the highest id
//! below which it has seen everything, re-reads past any gap, and gives up on a gap only after
//! `GAP_TIMEOUT`, longer than any write transaction should stay open.

use crate::app::AppState;
use crate::cache;
use crate::services::search;
use broadsheet_domain::StoryId;
use broadsheet_store::Event;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// How often the feed is polled: well inside the one second in which a reader must see a
/// change on the same node.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// How long a missing id is waited for before it is taken to be a rolled-back transaction.
pub const GAP_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a follower is in the feed.
#[derive(Debug, Clone)]
pub struct Cursor {
    /// Every id up to this one has been applied (or given up on).
    contiguous: i64,
    /// Ids above `contiguous` already applied.
    seen: BTreeSet<i64>,
    /// When the oldest open gap was first noticed.
    gap_since: Option<Instant>,
}

impl Cursor {
    pub fn new(start: i64) -> Cursor {
        Cursor {
            contiguous: start,
            seen: BTreeSet::new(),
            gap_since: None,
        }
    }

    /// Read from here: everything above this id that has not been applied yet.
    pub fn after(&self) -> i64 {
        self.contiguous
    }

    /// Take a batch of ids read with `after()` (ascending); returns which of them are new
    /// and must be applied.
    pub fn accept(&mut self, ids: &[i64], now: Instant) -> Vec<bool> {
        let fresh: Vec<bool> = ids
            .iter()
            .map(|id| *id > self.contiguous && self.seen.insert(*id))
            .collect();
        self.advance();
        match (self.seen.first(), self.gap_since) {
            (None, _) => self.gap_since = None,
            (Some(_), None) => self.gap_since = Some(now),
            (Some(&first), Some(since)) if now.duration_since(since) >= GAP_TIMEOUT => {
                tracing::debug!(
                    "change feed: ids {}..{first} never arrived",
                    self.contiguous + 1
                );
                self.contiguous = first - 1;
                self.advance();
                self.gap_since = (!self.seen.is_empty()).then_some(now);
            }
            _ => {}
        }
        fresh
    }

    fn advance(&mut self) {
        while self.seen.first() == Some(&(self.contiguous + 1)) {
            self.seen.pop_first();
            self.contiguous += 1;
        }
    }
}

/// Follow the feed from event `start` on (see `services::search::catch_up` for where that
/// is: earlier events are already reflected in the state the app loaded and in the index).
pub fn spawn(app: AppState, start: i64) -> tokio::task::JoinHandle<()> {
    let mut cursor = Cursor::new(start);
    app.feed_position
        .store(start, std::sync::atomic::Ordering::SeqCst);
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(POLL_INTERVAL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match app.store.events_after(cursor.after(), 500).await {
                Ok(events) => {
                    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
                    let fresh = cursor.accept(&ids, Instant::now());
                    let new: Vec<Event> = events
                        .into_iter()
                        .zip(fresh)
                        .filter_map(|(event, fresh)| fresh.then_some(event))
                        .collect();
                    apply(&app, &new, cursor.after()).await;
                    app.feed_position
                        .store(cursor.after(), std::sync::atomic::Ordering::SeqCst);
                }
                Err(e) => tracing::warn!("change feed: poll failed: {e}"),
            }
        }
    })
}

async fn apply(app: &AppState, events: &[Event], position: i64) {
    let sections = events.iter().any(|e| e.kind.starts_with("section."));
    let settings = events.iter().any(|e| e.kind.starts_with("setting."));
    if sections && let Err(e) = app.reload_sections().await {
        tracing::warn!("change feed: reloading sections failed: {e}");
    }
    if settings && let Err(e) = app.reload_site().await {
        tracing::warn!("change feed: reloading site settings failed: {e}");
    }
    // Every page shows the site's name and section menu.
    if sections || settings {
        app.cache.clear();
        if let Some(hook) = &app.purge_hook {
            hook.all();
        }
    }
    // A comment changes its story's conversation fragment and nothing else: the article,
    // cached apart, is not touched however busy the comments are.
    let mut conversations: Vec<String> = events
        .iter()
        .filter(|e| e.kind == "comment.changed")
        .filter_map(|e| e.story_id)
        .map(crate::web::comments::cache_key)
        .collect();
    conversations.sort();
    conversations.dedup();
    if !conversations.is_empty() {
        app.cache.purge(&conversations);
        if let Some(hook) = &app.purge_hook {
            hook.keys(conversations);
        }
    }
    let mut stories: Vec<StoryId> = events
        .iter()
        .filter(|e| e.kind.starts_with("story."))
        .filter_map(|e| e.story_id)
        .collect();
    stories.sort();
    stories.dedup();
    let tree = app.sections();
    for id in &stories {
        match cache::keys_for_story(&app.store, &tree, *id).await {
            Ok(keys) => {
                app.cache.purge(&keys);
                if let Some(hook) = &app.purge_hook {
                    hook.keys(keys);
                }
            }
            Err(e) => {
                tracing::error!(
                    "change feed: cannot tell which pages show story {id} ({e}); dropping them all"
                );
                app.cache.clear();
            }
        }
    }
    if !stories.is_empty()
        && let Err(e) = search::apply(app, &stories, position).await
    {
        tracing::error!("change feed: updating the search index failed: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_ids_advance() {
        let mut cursor = Cursor::new(10);
        let now = Instant::now();
        assert_eq!(cursor.accept(&[11, 12], now), [true, true]);
        assert_eq!(cursor.after(), 12);
    }

    #[test]
    fn a_late_commit_is_not_missed() {
        let mut cursor = Cursor::new(10);
        let now = Instant::now();
        // 11 is still in flight when 12 commits.
        assert_eq!(cursor.accept(&[12], now), [true]);
        assert_eq!(cursor.after(), 10, "the gap is read again");
        assert_eq!(
            cursor.accept(&[11, 12], now),
            [true, false],
            "12 is not applied twice"
        );
        assert_eq!(cursor.after(), 12);
    }

    #[test]
    fn a_rolled_back_id_is_given_up_after_the_timeout() {
        let mut cursor = Cursor::new(10);
        let start = Instant::now();
        cursor.accept(&[12, 13], start);
        assert_eq!(cursor.after(), 10);
        cursor.accept(&[12, 13], start + Duration::from_secs(1));
        assert_eq!(cursor.after(), 10);
        cursor.accept(&[12, 13], start + GAP_TIMEOUT + Duration::from_secs(1));
        assert_eq!(cursor.after(), 13);
        assert_eq!(cursor.accept(&[14], start + GAP_TIMEOUT * 2), [true]);
        assert_eq!(cursor.after(), 14);
    }
}
