//! Keeping the search index in step with the store, and asking it.
//!
//! The index never learns of a change by a side door: story events on the change feed say
//! which stories changed, and this module reads each from the store and replaces, or removes,
//! its document. A rebuild reads every published story in id order; it runs at start when the
//! index is missing or unusable (in the background, so pages keep being served) and on
//! `broadsheet reindex`.

use crate::app::App;
use crate::render;
use broadsheet_domain::{StoryCard, StoryId};
use broadsheet_search::{IndexDoc, Opened, SearchError};
use broadsheet_store::{StoreError, StoryText};
use std::collections::HashMap;
use std::sync::Arc;

/// Stories read and indexed per step of a rebuild.
const REBUILD_BATCH: i64 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum IndexingError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Search(#[from] SearchError),
    #[error("the indexing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

pub fn index_doc(text: &StoryText) -> IndexDoc {
    IndexDoc {
        id: text.id.0,
        language: text.language.clone(),
        headline: text.headline.clone(),
        deck: text.deck.clone().unwrap_or_default(),
        body: render::plain_text(&text.body),
        section_id: text.section_id.0,
        tag_ids: text.tag_ids.clone(),
        source_ids: text.source_ids.clone(),
        published_at: text.published_at.as_microsecond(),
    }
}

/// Re-read these stories and bring their documents up to date, recording that the index now
/// reflects the feed up to `position`.
pub async fn apply(app: &App, stories: &[StoryId], position: i64) -> Result<(), IndexingError> {
    let mut replace = Vec::new();
    let mut remove = Vec::new();
    for id in stories {
        match app.store.story_text(*id).await? {
            Some(text) => replace.push(index_doc(&text)),
            None => remove.push(id.0),
        }
    }
    let index = Arc::clone(&app.search);
    tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
        index.remove(&remove)?;
        index.replace(&replace)?;
        index.commit(position)
    })
    .await??;
    results_changed(app);
    Ok(())
}

/// Cached result pages are dropped, here and at a CDN, once the index has changed.
fn results_changed(app: &App) {
    let keys = vec![crate::cache::SEARCH_KEY.to_string()];
    app.cache.purge(&keys);
    if let Some(hook) = &app.purge_hook {
        hook.keys(keys);
    }
}

/// Build the index anew from the store. The result reflects the feed up to `position` (read
/// before the rebuild began; later changes arrive through the feed). Returns the number of
/// stories indexed.
pub async fn rebuild(
    app: &App,
    position: i64,
    mut progress: impl FnMut(u64),
) -> Result<u64, IndexingError> {
    app.search.clear()?;
    let mut after = StoryId(0);
    let mut done = 0;
    loop {
        let texts = app.store.story_texts_after(after, REBUILD_BATCH).await?;
        let Some(last) = texts.last() else { break };
        after = last.id;
        let docs: Vec<IndexDoc> = texts.iter().map(index_doc).collect();
        done += docs.len() as u64;
        let index = Arc::clone(&app.search);
        tokio::task::spawn_blocking(move || index.replace(&docs)).await??;
        progress(done);
    }
    let index = Arc::clone(&app.search);
    tokio::task::spawn_blocking(move || index.commit(position)).await??;
    results_changed(app);
    Ok(done)
}

/// Make sure the index will miss nothing, and say where the change feed must be followed
/// from. An index of known position is replayed from there; any other is rebuilt, in a
/// background task when `background` (the site serves meanwhile, with search results filling
/// in as the rebuild goes).
pub async fn catch_up(app: &Arc<App>, background: bool) -> Result<i64, IndexingError> {
    if let Opened::Existing(Some(position)) = app.search_opened {
        return Ok(position);
    }
    let position = app.store.last_event_id().await?;
    app.search.clear()?;
    if background {
        let app = Arc::clone(app);
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match rebuild(&app, position, |_| {}).await {
                Ok(n) => tracing::info!(
                    "search index rebuilt: {n} stories in {:.1} s",
                    started.elapsed().as_secs_f64()
                ),
                Err(e) => tracing::error!("search index rebuild failed: {e}"),
            }
        });
    } else {
        rebuild(app, position, |_| {}).await?;
    }
    Ok(position)
}

/// What a reader asked the search page (or the API) for, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchRequest {
    #[serde(default)]
    pub q: String,
    /// A section path (`national/north-korea`); its subsections are searched too.
    pub section: Option<String>,
    /// A tag slug.
    pub tag: Option<String>,
    /// A source slug (wire service or staff writer).
    pub source: Option<String>,
    /// First day, `YYYY-MM-DD`, in the site's time zone.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// `relevance` (default) or `newest`.
    pub order: Option<String>,
    pub page: Option<String>,
}

/// A reader's mistake in a search request, named.
#[derive(Debug, thiserror::Error)]
pub enum SearchRequestError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Search(#[from] SearchError),
    #[error("{0}")]
    Task(#[from] tokio::task::JoinError),
}

pub const MAX_QUERY_CHARS: usize = 200;
pub const RESULTS_PER_PAGE: usize = 20;

/// One page of results, each with the card the site shows for the story.
pub struct SearchPage {
    pub total: usize,
    pub page: usize,
    pub hits: Vec<(SearchHit, StoryCard)>,
    pub has_next: bool,
}

/// How a result is shown: its score and its headline and passage with the words marked.
pub struct SearchHit {
    pub score: f32,
    /// HTML: the matches in `<b>`, everything else escaped.
    pub headline_html: String,
    pub snippet_html: String,
}

fn blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn day(
    value: &str,
    field: &str,
    zone: &broadsheet_domain::time::SiteZone,
) -> Result<jiff::Timestamp, SearchRequestError> {
    let date: jiff::civil::Date = value.parse().map_err(|_| {
        SearchRequestError::Invalid(format!(
            "{field} must be a date like 2026-11-27, not '{value}'"
        ))
    })?;
    Ok(zone.instant(date.to_datetime(jiff::civil::Time::midnight())))
}

pub async fn search(app: &App, request: &SearchRequest) -> Result<SearchPage, SearchRequestError> {
    use broadsheet_search::{SearchQuery, SortOrder};
    let text = request.q.trim();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchRequestError::Invalid(format!(
            "the search is {} characters long; the limit is {MAX_QUERY_CHARS}",
            text.chars().count()
        )));
    }
    let page = match blank(&request.page) {
        None => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| {
                SearchRequestError::Invalid(format!(
                    "page must be a whole number from 1 to 500, not '{p}'"
                ))
            })?,
    };
    let mut query = SearchQuery {
        text: text.to_string(),
        offset: (page - 1) * RESULTS_PER_PAGE,
        limit: RESULTS_PER_PAGE,
        ..SearchQuery::default()
    };
    query.order = match blank(&request.order) {
        None | Some("relevance") => SortOrder::Relevance,
        Some("newest") => SortOrder::Newest,
        Some(other) => {
            return Err(SearchRequestError::Invalid(format!(
                "order must be relevance or newest, not '{other}'"
            )));
        }
    };
    let tree = app.sections();
    if let Some(path) = blank(&request.section) {
        let slugs: Vec<&str> = path.trim_matches('/').split('/').collect();
        let section = tree
            .find_by_slugs(&slugs)
            .ok_or_else(|| SearchRequestError::Invalid(format!("there is no section '{path}'")))?;
        query.sections = tree
            .subtree(section.id)
            .into_iter()
            .map(|id| id.0)
            .collect();
    }
    if let Some(slug) = blank(&request.tag) {
        let tag = app.store.tag_by_slug(slug).await?;
        query.tag = Some(
            tag.ok_or_else(|| SearchRequestError::Invalid(format!("there is no tag '{slug}'")))?
                .id
                .0,
        );
    }
    if let Some(slug) = blank(&request.source) {
        let source = app.store.source_by_slug(slug).await?;
        query.source = Some(
            source
                .ok_or_else(|| SearchRequestError::Invalid(format!("there is no source '{slug}'")))?
                .id
                .0,
        );
    }
    let site = app.site();
    if let Some(from) = blank(&request.from) {
        query.from = Some(day(from, "from", &site.zone)?.as_microsecond());
    }
    if let Some(to) = blank(&request.to) {
        let end = day(to, "to", &site.zone)? + jiff::SignedDuration::from_hours(24);
        query.until = Some(end.as_microsecond());
    }
    if let (Some(from), Some(until)) = (query.from, query.until)
        && from >= until
    {
        return Err(SearchRequestError::Invalid(
            "from must not be later than to".into(),
        ));
    }
    let index = Arc::clone(&app.search);
    let results = tokio::task::spawn_blocking(move || index.search(&query)).await??;
    // The count is exact, so it tells whether a next page exists without an extra hit (and
    // its snippets) fetched to find out.
    let has_next = results.total > page * RESULTS_PER_PAGE;
    let ids: Vec<StoryId> = results.hits.iter().map(|h| StoryId(h.id)).collect();
    // The store has the last word: a story unpublished a moment ago is not shown. It also
    // has the words: the index keeps none, and the passages are cut from the bodies here.
    let mut found: HashMap<i64, (StoryCard, String)> = app
        .store
        .cards_with_bodies(&ids)
        .await?
        .into_iter()
        .map(|(card, body)| (card.id.0, (card, body)))
        .collect();
    let hits = results
        .hits
        .iter()
        .filter_map(|hit| {
            let (card, body) = found.remove(&hit.id)?;
            let marked = results.highlighter.highlight(
                &card.language,
                &card.headline,
                &render::plain_text(&body),
            );
            let hit = SearchHit {
                score: hit.score,
                headline_html: marked.headline_html,
                snippet_html: marked.snippet_html,
            };
            Some((hit, card))
        })
        .collect();
    Ok(SearchPage {
        total: results.total,
        page,
        hits,
        has_next,
    })
}
