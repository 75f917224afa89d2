//! The page cache: rendered pages kept in memory as bytes, with their compressed variants,
//! dropped exactly when the change feed says something they show has changed.
//!
//! Every cached page carries surrogate keys naming what it shows (`story:12`, `section:3`,
//! `tag:7`, `home`, `feeds`, ...). A write names the keys it touches and every page holding
//! one of them goes (see `keys_for_story`). Pages are bounded in bytes, least recently used
//! first out.
//!
//! A render that started before a purge could finish after it and put back a stale page; a
//! purge generation counter catches that: a page rendered across a purge is served once but
//! not kept.

pub mod compress;
pub mod webhook;

use broadsheet_domain::{SectionTree, StoryId};
use broadsheet_store::{Store, StoreError};

/// The key of every search result page (and its JSON twin): any story change may change
/// any result, so one key covers them all. It is purged once the search index has taken a
/// change in, not when the change is first seen, or a search in between would keep the old
/// results.
pub const SEARCH_KEY: &str = "search";

/// The key of every page that shows story `id` (its own page, and pages listing it).
pub fn story_key(id: StoryId) -> String {
    format!("story:{id}")
}

/// What to purge when story `id` was written: pages that show it, and the lists it may
/// now enter: its section and every section above it, its tags and sources, the home page,
/// feeds and sitemaps. (Lists it left show it, so its own key covers them.)
pub async fn keys_for_story(
    store: &Store,
    tree: &SectionTree,
    id: StoryId,
) -> Result<Vec<String>, StoreError> {
    let mut keys = vec![
        story_key(id),
        "home".to_string(),
        "feeds".to_string(),
        "sitemaps".to_string(),
    ];
    if let Some(story) = store.story(id).await? {
        keys.extend(
            tree.lineage(story.section_id)
                .iter()
                .map(|s| format!("section:{}", s.id)),
        );
        keys.push(format!("section:{}", story.section_id));
        keys.extend(story.tags.iter().map(|t| format!("tag:{}", t.id)));
        keys.extend(story.sources.iter().map(|s| format!("source:{}", s.id)));
    }
    Ok(keys)
}

use axum::http::HeaderMap;
use bytes::Bytes;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// One rendered page and what is known about it.
///
/// A page is kept as rendered until it proves wanted: one asked for only once (a crawler's
/// sweep, a search nobody repeats) is soon held only gzipped, about a quarter of its size
/// (see [`PageCache::compact`]); asked for again as it is, it gets its rendered bytes back.
#[derive(Debug)]
pub struct CachedPage {
    pub status: u16,
    /// The page as rendered; `None` when only its compressed forms are kept.
    pub body: Option<Bytes>,
    /// Made on first request that accepts them (or when the page is compacted), then kept.
    pub gzip: OnceLock<Bytes>,
    pub brotli: OnceLock<Bytes>,
    /// A strong validator: a hash of the body, quoted.
    pub etag: String,
    pub keys: Vec<String>,
    /// Every header a full response carries but its length and encoding (type, validators,
    /// Cache-Control, the surrogate keys, X-Robots-Tag...), made once when the page is kept:
    /// a hit clones them rather than checking and copying each value again.
    pub headers: HeaderMap,
    /// The headers a 304 carries (validators, Cache-Control, Vary, the surrogate keys).
    pub not_modified_headers: HeaderMap,
}

/// Pages smaller than this are not worth compacting.
const COMPACT_FROM: usize = 2048;

impl CachedPage {
    /// What the page kept under `key` holds against the byte bound: the bytes it holds in
    /// each form, and each surrogate key where it is held: the page's list, the two pairs
    /// of CDN headers, and the index from key to page.
    fn weight(&self, key: &str) -> usize {
        let held = |bytes: Option<&Bytes>| bytes.map_or(0, Bytes::len);
        let keys: usize = self.keys.iter().map(|k| k.len() * 5 + key.len() + 64).sum();
        held(self.body.as_ref())
            + held(self.gzip.get())
            + held(self.brotli.get())
            + keys
            + key.len() * 2
            + 1024
    }

    /// Whether holding it gzipped only would save anything worth the work.
    pub fn compactable(&self) -> bool {
        self.body.as_ref().is_some_and(|b| b.len() >= COMPACT_FROM)
    }

    /// The page as rendered: kept, or unpacked from its gzip form.
    pub fn identity(&self) -> Bytes {
        match (&self.body, self.gzip.get()) {
            (Some(body), _) => body.clone(),
            (None, Some(gzip)) => compress::gunzip(gzip).into(),
            (None, None) => unreachable!("a page is compacted only once gzipped"),
        }
    }

    /// The same page holding `body` as its rendered bytes (and the compressed forms made).
    pub fn with_body(&self, body: Option<Bytes>) -> CachedPage {
        let carry = |made: &OnceLock<Bytes>| {
            let lock = OnceLock::new();
            if let Some(bytes) = made.get() {
                let _ = lock.set(bytes.clone());
            }
            lock
        };
        CachedPage {
            status: self.status,
            body,
            gzip: carry(&self.gzip),
            brotli: carry(&self.brotli),
            etag: self.etag.clone(),
            keys: self.keys.clone(),
            headers: self.headers.clone(),
            not_modified_headers: self.not_modified_headers.clone(),
        }
    }
}

struct Entry {
    page: Arc<CachedPage>,
    /// What it counts against the bound, as weighed when it was last put or re-weighed.
    weight: usize,
    /// Where the entry stands in `State::order`.
    position: u64,
    /// The tick of its last use. Hits only move this (under the read lock); the entry's
    /// place in `order` catches up when eviction reaches it (see `evict_one`).
    used: AtomicU64,
    /// Whether it was asked for since it was put: only pages never asked for again are
    /// compacted. (Read before written, so a hot page's hits do not keep writing it.)
    asked_again: AtomicBool,
    /// When a purge first named it: from then on it is served only while it re-renders,
    /// and for at most [`STALE_AT_MOST`].
    stale_since: Option<Instant>,
}

/// How long after a purge a page may still be served while its new version renders: the
/// issue's bound on how old a page a reader may see after a publish.
pub const STALE_AT_MOST: Duration = Duration::from_secs(1);

#[derive(Default)]
struct State {
    pages: HashMap<String, Entry>,
    /// Use order as last recorded: position -> page key.
    order: BTreeMap<u64, String>,
    /// Surrogate key -> page keys.
    by_key: HashMap<String, HashSet<String>>,
    bytes: usize,
}

/// The cache; one per node, shared by all requests.
///
/// A hit takes the lock shared and notes its use in an atomic, so readers of cached pages
/// never wait for one another; inserts, purges and eviction take it exclusively.
pub struct PageCache {
    state: RwLock<State>,
    max_bytes: usize,
    generation: AtomicU64,
    tick: AtomicU64,
}

/// Figures for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub pages: usize,
    pub bytes: usize,
}

impl PageCache {
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache {
            state: RwLock::new(State::default()),
            max_bytes,
            generation: AtomicU64::new(0),
            tick: AtomicU64::new(0),
        }
    }

    fn next_tick(&self) -> u64 {
        self.tick.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The page under `key`, marked as just used.
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        let state = self.state.read().expect("cache lock");
        let entry = state.pages.get(key).filter(|e| e.stale_since.is_none())?;
        entry.used.store(self.next_tick(), Ordering::Relaxed);
        if !entry.asked_again.load(Ordering::Relaxed) {
            entry.asked_again.store(true, Ordering::Relaxed);
        }
        Some(Arc::clone(&entry.page))
    }

    /// A page under `key` that a purge made stale less than `within` ago: what a reader
    /// may be given while another request renders the new version.
    pub fn stale(&self, key: &str, within: Duration) -> Option<Arc<CachedPage>> {
        let state = self.state.read().expect("cache lock");
        let entry = state.pages.get(key)?;
        let since = entry.stale_since?;
        (since.elapsed() < within).then(|| Arc::clone(&entry.page))
    }

    /// Drop the stale page under `key`, if any (its new render was not kept).
    pub fn discard_stale(&self, key: &str) {
        let mut state = self.state.write().expect("cache lock");
        if state
            .pages
            .get(key)
            .is_some_and(|e| e.stale_since.is_some())
        {
            remove(&mut state, key);
        }
    }

    /// The purge generation now: pass it back to `insert` for a page rendered from here on.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keep a page rendered since `generation`, unless a purge came in between. Returns
    /// whether it was kept.
    pub fn insert(&self, key: &str, page: Arc<CachedPage>, generation: u64) -> bool {
        let weight = page.weight(key);
        if weight > self.max_bytes {
            return false;
        }
        let mut state = self.state.write().expect("cache lock");
        // Checked under the lock that purges take too, so no purge slips between.
        if self.generation.load(Ordering::SeqCst) != generation {
            return false;
        }
        remove(&mut state, key);
        let tick = self.next_tick();
        for k in &page.keys {
            state
                .by_key
                .entry(k.clone())
                .or_default()
                .insert(key.to_string());
        }
        state.bytes += weight;
        state.order.insert(tick, key.to_string());
        state.pages.insert(
            key.to_string(),
            Entry {
                page,
                weight,
                position: tick,
                used: AtomicU64::new(tick),
                asked_again: AtomicBool::new(false),
                stale_since: None,
            },
        );
        while state.bytes > self.max_bytes && evict_one(&mut state) {}
        true
    }

    /// Count `page` under `key` again, now that it holds a form it did not (a compressed
    /// variant made for a request). Nothing happens if another page has taken its place.
    pub fn reweigh(&self, key: &str, page: &Arc<CachedPage>) {
        self.swap(key, page, None, false);
    }

    /// Put `new` in the place of `old` under `key` (same keys, other bytes), keeping its
    /// place in the use order; nothing happens if `old` is no longer the page there, or if
    /// `only_if_unasked` and the page was asked for since it was put. Returns whether done.
    pub fn replace(
        &self,
        key: &str,
        old: &Arc<CachedPage>,
        new: Arc<CachedPage>,
        only_if_unasked: bool,
    ) -> bool {
        self.swap(key, old, Some(new), only_if_unasked)
    }

    fn swap(
        &self,
        key: &str,
        old: &Arc<CachedPage>,
        new: Option<Arc<CachedPage>>,
        only_if_unasked: bool,
    ) -> bool {
        let mut guard = self.state.write().expect("cache lock");
        let state = &mut *guard;
        let Some(entry) = state.pages.get_mut(key) else {
            return false;
        };
        if !Arc::ptr_eq(&entry.page, old) || (only_if_unasked && *entry.asked_again.get_mut()) {
            return false;
        }
        if let Some(new) = new {
            entry.page = new;
        }
        let before = entry.weight;
        entry.weight = entry.page.weight(key);
        let after = entry.weight;
        state.bytes = state.bytes - before + after;
        while state.bytes > self.max_bytes && evict_one(state) {}
        true
    }

    /// Hold a page that nobody has asked for again only gzipped. Run off the request path
    /// after a miss was answered (gzip costs about half a millisecond for a 25 KB page).
    pub fn compact(&self, key: &str, page: &Arc<CachedPage>) -> bool {
        let Some(body) = page.body.as_ref().filter(|_| page.compactable()) else {
            return false;
        };
        let unasked = {
            let state = self.state.read().expect("cache lock");
            state.pages.get(key).is_some_and(|e| {
                Arc::ptr_eq(&e.page, page) && !e.asked_again.load(Ordering::Relaxed)
            })
        };
        if !unasked {
            return false;
        }
        page.gzip.get_or_init(|| compress::gzip(body).into());
        self.replace(key, page, Arc::new(page.with_body(None)), true)
    }

    /// Make every page that shows any of `keys` stale: no longer a hit, only what readers
    /// get while one request renders it anew, for at most [`STALE_AT_MOST`] after the first
    /// purge that named it (one already stale longer goes). Returns how many pages were
    /// fresh until now.
    pub fn purge(&self, keys: &[String]) -> usize {
        let mut guard = self.state.write().expect("cache lock");
        let state = &mut *guard;
        self.generation.fetch_add(1, Ordering::SeqCst);
        let mut doomed: HashSet<String> = HashSet::new();
        for k in keys {
            if let Some(pages) = state.by_key.get(k) {
                doomed.extend(pages.iter().cloned());
            }
        }
        let now = Instant::now();
        let mut fresh = 0;
        for page in &doomed {
            let Some(entry) = state.pages.get_mut(page) else {
                continue;
            };
            fresh += usize::from(entry.stale_since.is_none());
            let since = *entry.stale_since.get_or_insert(now);
            if now.duration_since(since) >= STALE_AT_MOST {
                remove(state, page);
            }
        }
        fresh
    }

    /// Drop everything (settings changed: every page shows the site name).
    pub fn clear(&self) {
        let mut state = self.state.write().expect("cache lock");
        self.generation.fetch_add(1, Ordering::SeqCst);
        *state = State::default();
    }

    pub fn stats(&self) -> Stats {
        let state = self.state.read().expect("cache lock");
        Stats {
            pages: state.pages.len(),
            bytes: state.bytes,
        }
    }
}

/// Evict the least recently used page. Entries are visited in recorded order; one used
/// since it was recorded moves to the place of its last use instead of going. Whatever is
/// first reached unmoved was used before every other entry: exact LRU, paid for at
/// eviction rather than on every hit. Returns false when the cache is empty.
fn evict_one(state: &mut State) -> bool {
    while let Some((position, key)) = state.order.pop_first() {
        let Some(entry) = state.pages.get_mut(&key) else {
            continue;
        };
        let used = *entry.used.get_mut();
        if used > position {
            entry.position = used;
            state.order.insert(used, key);
            continue;
        }
        state.order.insert(position, key.clone()); // `remove` takes it out again
        remove(state, &key);
        return true;
    }
    false
}

fn remove(state: &mut State, key: &str) {
    let Some(entry) = state.pages.remove(key) else {
        return;
    };
    state.order.remove(&entry.position);
    state.bytes -= entry.weight;
    for k in &entry.page.keys {
        if let Some(pages) = state.by_key.get_mut(k) {
            pages.remove(key);
            if pages.is_empty() {
                state.by_key.remove(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(size: usize, keys: &[&str]) -> Arc<CachedPage> {
        Arc::new(CachedPage {
            status: 200,
            body: Some(Bytes::from(vec![b'x'; size])),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            etag: "\"e\"".into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            headers: HeaderMap::new(),
            not_modified_headers: HeaderMap::new(),
        })
    }

    #[test]
    fn purge_drops_exactly_the_pages_showing_a_key() {
        let cache = PageCache::new(1 << 20);
        let g = cache.generation();
        cache.insert("/a", page(10, &["story:1", "section:2"]), g);
        cache.insert("/b", page(10, &["story:2", "section:2"]), g);
        cache.insert("/c", page(10, &["story:3"]), g);
        assert_eq!(cache.purge(&["story:1".into()]), 1);
        assert!(cache.get("/a").is_none());
        assert!(cache.get("/b").is_some());
        assert_eq!(cache.purge(&["section:2".into(), "nothing".into()]), 1);
        assert!(cache.get("/b").is_none());
        assert!(cache.get("/c").is_some());
    }

    #[test]
    fn a_render_across_a_purge_is_not_kept() {
        let cache = PageCache::new(1 << 20);
        let g = cache.generation();
        cache.purge(&["story:1".into()]);
        assert!(!cache.insert("/a", page(10, &["story:1"]), g));
        assert!(cache.get("/a").is_none());
        assert!(cache.insert("/a", page(10, &["story:1"]), cache.generation()));
    }

    #[test]
    fn least_recently_used_goes_first_within_the_byte_bound() {
        let one = page(100, &[]).weight("/1");
        let cache = PageCache::new(one * 3);
        let g = cache.generation();
        for key in ["/1", "/2", "/3"] {
            assert!(cache.insert(key, page(100, &[]), g));
        }
        cache.get("/1"); // now /2 is the least recently used
        cache.insert("/4", page(100, &[]), g);
        assert!(cache.get("/2").is_none());
        for key in ["/1", "/3", "/4"] {
            assert!(cache.get(key).is_some(), "{key}");
        }
        assert_eq!(
            cache.stats(),
            Stats {
                pages: 3,
                bytes: one * 3
            }
        );
        assert!(
            !cache.insert("/huge", page(one * 10, &[]), g),
            "a page over the bound is not kept"
        );
    }

    fn text_page(keys: &[&str]) -> Arc<CachedPage> {
        let body = "<p>A paragraph of the story, as a page repeats itself.</p>".repeat(100);
        Arc::new(page(0, keys).with_body(Some(Bytes::from(body))))
    }

    #[test]
    fn only_a_page_nobody_asked_for_again_is_compacted() {
        let cache = PageCache::new(1 << 20);
        let g = cache.generation();
        let (once, twice) = (text_page(&["a"]), text_page(&["b"]));
        cache.insert("/once", Arc::clone(&once), g);
        cache.insert("/twice", Arc::clone(&twice), g);
        let whole = cache.stats().bytes;
        cache.get("/twice");
        assert!(!cache.compact("/twice", &twice), "asked again: kept whole");
        assert!(cache.compact("/once", &once));
        let compacted = cache.get("/once").unwrap();
        assert!(compacted.body.is_none());
        assert_eq!(compacted.identity(), once.body.clone().unwrap());
        let saved = whole - cache.stats().bytes;
        assert!(saved > once.body.as_ref().unwrap().len() * 3 / 4, "{saved}");
        assert!(!cache.compact("/once", &once), "replaced already");
        assert_eq!(cache.purge(&["a".into()]), 1);
        assert!(cache.get("/once").is_none(), "a purged page is no hit");
        assert!(cache.stale("/once", STALE_AT_MOST).is_some());
        assert!(cache.stale("/once", Duration::ZERO).is_none());
        cache.discard_stale("/once");
        assert!(cache.stale("/once", STALE_AT_MOST).is_none());
        assert_eq!(
            cache.stats().bytes,
            cache.get("/twice").unwrap().weight("/twice")
        );
    }
    #[test]
    fn replacing_a_page_keeps_the_count_right() {
        let cache = PageCache::new(1 << 20);
        let g = cache.generation();
        cache.insert("/a", page(10, &["k"]), g);
        cache.insert("/a", page(20, &["k"]), g);
        assert_eq!(cache.stats().pages, 1);
        assert_eq!(cache.stats().bytes, page(20, &["k"]).weight("/a"));
        cache.clear();
        assert_eq!(cache.stats(), Stats { pages: 0, bytes: 0 });
    }
}

/// Requests for the same page that arrive while it renders wait for that one render
/// (single flight): a cold page wanted by a thousand readers is rendered once.
#[derive(Default)]
pub struct InFlight {
    renders: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl InFlight {
    /// The lock for `key`.
    fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut renders = self.renders.lock().expect("in-flight lock");
        Arc::clone(renders.entry(key.to_string()).or_default())
    }

    /// Forget `key`'s lock once nobody else holds or waits for it.
    fn release(&self, key: &str, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut renders = self.renders.lock().expect("in-flight lock");
        // Ours and the map's are the only references left: nobody is waiting.
        if Arc::strong_count(&lock) <= 2 {
            renders.remove(key);
        }
    }

    /// The right to render `key`, once whoever renders it now is done.
    pub async fn claim(&self, key: &str) -> Claim<'_> {
        let lock = self.lock_for(key);
        let guard = Arc::clone(&lock).lock_owned().await;
        Claim::new(self, key, lock, guard)
    }

    /// The right to render `key` if nobody is rendering it now.
    pub fn try_claim(&self, key: &str) -> Option<Claim<'_>> {
        let lock = self.lock_for(key);
        match Arc::clone(&lock).try_lock_owned() {
            Ok(guard) => Some(Claim::new(self, key, lock, guard)),
            Err(_) => {
                self.release(key, lock);
                None
            }
        }
    }
}

/// Held while rendering a page; let go (and the lock forgotten if nobody waits) on drop.
pub struct Claim<'a> {
    flight: &'a InFlight,
    key: String,
    lock: Option<Arc<tokio::sync::Mutex<()>>>,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<'a> Claim<'a> {
    fn new(
        flight: &'a InFlight,
        key: &str,
        lock: Arc<tokio::sync::Mutex<()>>,
        guard: tokio::sync::OwnedMutexGuard<()>,
    ) -> Claim<'a> {
        Claim {
            flight,
            key: key.to_string(),
            lock: Some(lock),
            guard: Some(guard),
        }
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        if let Some(lock) = self.lock.take() {
            self.flight.release(&self.key, lock);
        }
    }
}
