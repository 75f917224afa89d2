//! The search page and its JSON twin.

use crate::app::AppState;
use crate::services::search::{self, SearchPage, SearchRequest, SearchRequestError};
use crate::web::cache::SurrogateKeys;
use crate::web::error::WebError;
use crate::web::templates::{SearchResultView, SearchTemplate, SelectOption};
use crate::web::views::{CardView, Chrome, MetaTag};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use broadsheet_domain::SectionTree;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;

impl From<SearchRequestError> for WebError {
    fn from(err: SearchRequestError) -> WebError {
        match err {
            SearchRequestError::Invalid(message) => WebError::BadRequest(message),
            other => WebError::Internal(other.to_string()),
        }
    }
}

/// `GET /search`
pub async fn page(
    State(app): State<AppState>,
    Query(request): Query<SearchRequest>,
) -> Result<Response, WebError> {
    let site = app.site();
    let asked = !request.q.trim().is_empty()
        || [
            &request.section,
            &request.tag,
            &request.source,
            &request.from,
            &request.to,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    let results = if asked {
        Some(search::search(&app, &request).await?)
    } else {
        None
    };
    let sections: Vec<broadsheet_domain::SectionId> = results
        .iter()
        .flat_map(|r| r.hits.iter().map(|(_, c)| c.section_id))
        .collect();
    let tree = app.sections_with(sections).await?;
    let title = if request.q.trim().is_empty() {
        "Search".to_string()
    } else {
        format!("{} - Search", request.q.trim())
    };
    let mut chrome = Chrome::new(&site, &tree, &title, None);
    // Result pages are endless variations of one page: keep them out of search engines.
    chrome.meta.push(MetaTag {
        attr: "name",
        key: "robots",
        content: "noindex".into(),
    });
    let page_href = |n: usize| format!("/search?{}", query_string(&request, Some(n)));
    let (total, page, has_next, hits) = match results {
        Some(SearchPage {
            total,
            page,
            hits,
            has_next,
        }) => (Some(total), page, has_next, hits),
        None => (None, 1, false, Vec::new()),
    };
    let page = crate::web::render(&SearchTemplate {
        chrome,
        q: request.q.trim().to_string(),
        sections: section_options(&tree, request.section.as_deref().unwrap_or("")),
        tag: request.tag.clone().unwrap_or_default(),
        source: request.source.clone().unwrap_or_default(),
        from: request.from.clone().unwrap_or_default(),
        to: request.to.clone().unwrap_or_default(),
        newest: request.order.as_deref() == Some("newest"),
        count: total.map(|n| {
            let noun = if n == 1 { "story" } else { "stories" };
            if request.q.trim().is_empty() {
                format!("{n} {noun}")
            } else {
                format!("{n} {noun} for “{}”", request.q.trim())
            }
        }),
        results: hits
            .iter()
            .map(|(hit, card)| SearchResultView {
                card: CardView::new(&site, &tree, card),
                headline_html: hit.headline_html.clone(),
                snippet_html: hit.snippet_html.clone(),
            })
            .collect(),
        newer: (page > 1).then(|| page_href(page - 1)),
        older: has_next.then(|| page_href(page + 1)),
        page,
    })?;
    Ok(results_key().on(page))
}

/// Result pages are cached like the reader's pages, until the index changes (see
/// `crate::cache::SEARCH_KEY`).
fn results_key() -> SurrogateKeys {
    SurrogateKeys::new([crate::cache::SEARCH_KEY.to_string()])
}

/// `GET /api/v1/search`: the same search as JSON.
pub async fn api(State(app): State<AppState>, Query(request): Query<SearchRequest>) -> Response {
    match search::search(&app, &request).await {
        Ok(page) => {
            let site = app.site();
            let tree = app.sections();
            let results: Vec<_> = page
                .hits
                .iter()
                .map(|(hit, card)| {
                    let view = CardView::new(&site, &tree, card);
                    json!({
                        "id": card.id,
                        "url": site.absolute(&view.href),
                        "headline": card.headline,
                        "headline_html": hit.headline_html,
                        "snippet_html": hit.snippet_html,
                        "section": view.section_name,
                        "published": view.time.iso,
                        "language": card.language,
                        "score": hit.score,
                    })
                })
                .collect();
            results_key().on(Json(json!({
                "query": request.q.trim(),
                "total": page.total,
                "page": page.page,
                "has_next": page.has_next,
                "results": results,
            }))
            .into_response())
        }
        Err(SearchRequestError::Invalid(message)) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": { "code": "invalid_search", "message": message } })),
        )
            .into_response(),
        Err(other) => {
            tracing::error!("search failed: {other}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": { "code": "internal", "message": "the search failed; please try again" } })),
            )
                .into_response()
        }
    }
}

/// Sections in menu order, subsections indented under their parents.
fn section_options(tree: &SectionTree, selected: &str) -> Vec<SelectOption> {
    let mut out = vec![SelectOption {
        value: String::new(),
        label: "All sections".into(),
        selected: selected.is_empty(),
    }];
    let mut stack: Vec<(broadsheet_domain::SectionId, usize)> =
        tree.top_level().iter().rev().map(|s| (s.id, 0)).collect();
    while let Some((id, depth)) = stack.pop() {
        let Some(section) = tree.get(id) else {
            continue;
        };
        let path = tree.path(id);
        out.push(SelectOption {
            selected: path == selected.trim_matches('/'),
            label: format!("{}{}", "\u{2014} ".repeat(depth), section.name),
            value: path,
        });
        for child in tree.children_of(Some(id)).iter().rev() {
            stack.push((child.id, depth + 1));
        }
    }
    out
}

fn query_string(request: &SearchRequest, page: Option<usize>) -> String {
    let mut parts = Vec::new();
    let mut add = |key: &str, value: Option<&str>| {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!(
                "{key}={}",
                utf8_percent_encode(value, NON_ALPHANUMERIC)
            ));
        }
    };
    add("q", Some(&request.q));
    add("section", request.section.as_deref());
    add("tag", request.tag.as_deref());
    add("source", request.source.as_deref());
    add("from", request.from.as_deref());
    add("to", request.to.as_deref());
    add("order", request.order.as_deref());
    if let Some(n) = page.filter(|n| *n > 1) {
        parts.push(format!("page={n}"));
    }
    parts.join("&")
}
