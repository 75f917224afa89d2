//! The page cache in front of the reader site, feeds and sitemaps (see `crate::cache`).
//!
//! A handler that wants its page cached says what the page shows by adding `SurrogateKeys`
//! to the response (search results name `search`, dropped whenever the index changes);
//! feeds, sitemaps and robots.txt are cached by path. Anything else (errors, the API's other
//! answers, static files with their own headers) passes through untouched.
//! Cached pages are served with a strong ETag (304 to a matching If-None-Match), Last-Modified,
//! brotli or gzip as the client accepts, and headers that let a CDN keep them briefly and
//! purge them precisely by key.

use crate::app::AppState;
use crate::cache::CachedPage;
use crate::cache::compress::{self, Encoding};
pub use crate::cache::story_key;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use broadsheet_domain::StoryCard;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::sync::{Arc, OnceLock};

/// What a page shows, as keys a write can purge it by.
#[derive(Debug, Clone, Default)]
pub struct SurrogateKeys(pub Vec<String>);

impl SurrogateKeys {
    pub fn new(keys: impl IntoIterator<Item = String>) -> SurrogateKeys {
        SurrogateKeys(keys.into_iter().collect())
    }

    /// Add a key for every story a list shows.
    pub fn with_cards<'a>(
        mut self,
        cards: impl IntoIterator<Item = &'a StoryCard>,
    ) -> SurrogateKeys {
        self.0.extend(cards.into_iter().map(|c| story_key(c.id)));
        self
    }

    /// Mark a response as cacheable under these keys.
    pub fn on(mut self, mut response: Response) -> Response {
        self.0.sort();
        self.0.dedup();
        response.extensions_mut().insert(self);
        response
    }
}

/// Shared caches may keep a page a minute and serve it stale for five while refetching;
/// browsers revalidate every time (cheap: a 304 against the ETag).
const CACHE_CONTROL: &str =
    "public, max-age=0, must-revalidate, s-maxage=60, stale-while-revalidate=300";
/// Pages bigger than this are not kept (nothing on the site comes close).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Keys for pages cached by their path alone.
fn path_keys(path: &str) -> Option<Vec<String>> {
    if path.starts_with("/feeds/") {
        Some(vec!["feeds".into()])
    } else if path == "/sitemap.xml" || path.starts_with("/sitemaps/") {
        Some(vec!["sitemaps".into()])
    } else if path == "/robots.txt" {
        Some(vec!["settings".into()])
    } else {
        None
    }
}

/// The middleware.
pub async fn page_cache(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        return next.run(request).await;
    }
    // A hit is answered from borrowed parts of the request: nothing is copied for it. (In
    // its own scope: a borrow of the request must not live across an await.)
    let (key, if_none_match, accept_encoding) = {
        let key = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let header_text =
            |name: header::HeaderName| request.headers().get(name).and_then(|v| v.to_str().ok());
        let asked = Asked {
            if_none_match: header_text(header::IF_NONE_MATCH),
            accept_encoding: header_text(header::ACCEPT_ENCODING),
            head,
        };
        if let Some(page) = app.cache.get(key) {
            return hit(&app, key, &page, &asked);
        }
        (
            key.to_string(),
            asked.if_none_match.map(str::to_string),
            asked.accept_encoding.map(str::to_string),
        )
    };
    let asked = Asked {
        if_none_match: if_none_match.as_deref(),
        accept_encoding: accept_encoding.as_deref(),
        head,
    };
    // A purged page is still given to readers while one request renders it anew (for at
    // most a second after the purge): a publish does not make a crowd wait for the render.
    let claim = match app.cache.stale(&key, crate::cache::STALE_AT_MOST) {
        Some(stale) => match app.in_flight.try_claim(&key) {
            Some(claim) => claim,
            None => return respond(&stale, &asked, "STALE").0,
        },
        None => app.in_flight.claim(&key).await,
    };
    // Someone else may have rendered it while we waited.
    if let Some(page) = app.cache.get(&key) {
        drop(claim);
        return hit(&app, &key, &page, &asked);
    }
    let generation = app.cache.generation();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let keys = match response.extensions().get::<SurrogateKeys>() {
        Some(keys) => Some(keys.0.clone()),
        None => path_keys(&path),
    };
    let result = match keys {
        Some(keys) if response.status() == StatusCode::OK => {
            match store(&app, &key, response, keys, generation).await {
                Ok(page) => {
                    let (response, made) = respond(&page, &asked, "MISS");
                    keep(&app, &key, &page, made);
                    compact_later(&app, &key, &page);
                    response
                }
                Err(response) => response,
            }
        }
        _ => {
            // Gone, moved or failing now: what was kept must not stand in for it.
            app.cache.discard_stale(&key);
            response
        }
    };
    drop(claim);
    result
}

async fn store(
    app: &AppState,
    key: &str,
    response: Response,
    keys: Vec<String>,
    generation: u64,
) -> Result<Arc<CachedPage>, Response> {
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        // Copied to an allocation of exactly its size: a rendered page is a String grown by
        // doubling, and kept as it came it would hold up to twice its length, unaccounted
        // for by the cache's byte bound.
        Ok(bytes) => Bytes::copy_from_slice(&bytes),
        Err(e) => {
            tracing::error!("page cache: reading the body of {key}: {e}");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let digest = Sha256::digest(&body);
    let etag = format!(
        "\"{}\"",
        digest
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let last_modified = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&jiff::Timestamp::now())
        .unwrap_or_default();
    let mut not_modified_headers = HeaderMap::new();
    let set = |headers: &mut HeaderMap, name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(&mut not_modified_headers, header::ETAG, &etag);
    set(
        &mut not_modified_headers,
        header::LAST_MODIFIED,
        &last_modified,
    );
    not_modified_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    not_modified_headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    // Fastly and others read Surrogate-Key (spaces); Cloudflare reads Cache-Tag (commas).
    set(
        &mut not_modified_headers,
        header::HeaderName::from_static("surrogate-key"),
        &keys.join(" "),
    );
    set(
        &mut not_modified_headers,
        header::HeaderName::from_static("cache-tag"),
        &keys.join(","),
    );
    let mut headers = not_modified_headers.clone();
    headers.insert(
        header::CONTENT_TYPE,
        parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("application/octet-stream")),
    );
    // Extra headers the handler set that belong to the page, not to one response.
    let robots = header::HeaderName::from_static("x-robots-tag");
    for value in parts.headers.get_all(&robots) {
        headers.append(robots.clone(), value.clone());
    }
    let page = Arc::new(CachedPage {
        status: parts.status.as_u16(),
        body: Some(body),
        gzip: OnceLock::new(),
        brotli: OnceLock::new(),
        etag,
        keys,
        headers,
        not_modified_headers,
    });
    app.cache.insert(key, Arc::clone(&page), generation);
    Ok(page)
}

/// What of the request decides the response to a cached page.
struct Asked<'a> {
    if_none_match: Option<&'a str>,
    accept_encoding: Option<&'a str>,
    head: bool,
}

/// A form of a page that a response made and the cache should now count or keep.
enum Made {
    Nothing,
    /// A compressed variant, kept in the page's `OnceLock`: count it.
    Variant,
    /// The rendered bytes of a compacted page, asked for again: keep them.
    Identity(Bytes),
}

fn hit(app: &AppState, key: &str, page: &Arc<CachedPage>, asked: &Asked<'_>) -> Response {
    let (response, made) = respond(page, asked, "HIT");
    keep(app, key, page, made);
    response
}

fn keep(app: &AppState, key: &str, page: &Arc<CachedPage>, made: Made) {
    match made {
        Made::Nothing => {}
        Made::Variant => app.cache.reweigh(key, page),
        Made::Identity(body) => {
            app.cache
                .replace(key, page, Arc::new(page.with_body(Some(body))), false);
        }
    }
}

/// After a miss is answered, hold the page compressed only unless it is asked for again.
fn compact_later(app: &AppState, key: &str, page: &Arc<CachedPage>) {
    // A small page (a fragment, a short JSON answer) is not worth a trip to the blocking pool.
    if !page.compactable() {
        return;
    }
    let (app, key, page) = (app.clone(), key.to_string(), Arc::clone(page));
    tokio::task::spawn_blocking(move || app.cache.compact(&key, &page));
}

fn respond(page: &CachedPage, asked: &Asked<'_>, outcome: &'static str) -> (Response, Made) {
    let not_modified = asked.if_none_match.is_some_and(|tags| {
        tags.split(',')
            .any(|t| t.trim() == page.etag || t.trim() == "*")
    });
    let mut made = Made::Nothing;
    let mut response = if not_modified {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.headers_mut() = page.not_modified_headers.clone();
        response
    } else {
        let encoding = Encoding::negotiate(asked.accept_encoding.unwrap_or(""));
        let variant = |lock: &OnceLock<Bytes>, make: fn(&[u8]) -> Vec<u8>, made: &mut Made| {
            lock.get_or_init(|| {
                *made = Made::Variant;
                make(&page.identity()).into()
            })
            .clone()
        };
        let bytes = match encoding {
            Encoding::Brotli => variant(&page.brotli, compress::brotli, &mut made),
            Encoding::Gzip => variant(&page.gzip, compress::gzip, &mut made),
            Encoding::Identity => match &page.body {
                Some(body) => body.clone(),
                None => {
                    let body = page.identity();
                    made = Made::Identity(body.clone());
                    body
                }
            },
        };
        let length = bytes.len();
        let mut response = if asked.head {
            Response::new(Body::empty())
        } else {
            Response::new(Body::from(bytes))
        };
        *response.status_mut() = StatusCode::from_u16(page.status).unwrap_or(StatusCode::OK);
        let headers = response.headers_mut();
        *headers = page.headers.clone();
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        if let Some(coding) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    response.headers_mut().insert(
        header::HeaderName::from_static("x-cache"),
        HeaderValue::from_static(outcome),
    );
    (response, made)
}
