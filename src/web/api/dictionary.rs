//! `GET /api/v1/dictionary/{word}`: a word or phrase looked up in the reader's dictionary.
//!
//! `?prev=` and `?next=` may carry the words either side of a double-clicked one, so that
//! `Korea` after `North` finds North Korea; the phrase is tried first and the word alone
//! after it. Answers: 200 with the `dictionary::Entry`, 404 `word_not_found`, 400
//! `empty_word` or `word_too_long`. Found and not-found answers only change when the
//! program does, so both may be cached for a day.

use crate::dictionary::{self, Context, Dictionary, MAX_QUERY_CHARS};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::ApiError;

const CACHE_CONTROL: HeaderValue = HeaderValue::from_static("public, max-age=86400");

#[derive(Debug, Deserialize)]
pub struct Neighbours {
    prev: Option<String>,
    next: Option<String>,
}

pub async fn lookup(Path(word): Path<String>, Query(neighbours): Query<Neighbours>) -> Response {
    answer(word, neighbours)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `/api/v1/dictionary/` with nothing after it.
pub async fn empty() -> Response {
    empty_word().into_response()
}

async fn answer(word: String, neighbours: Neighbours) -> Result<Response, ApiError> {
    let word = word.trim().to_string();
    if word.is_empty() {
        return Err(empty_word());
    }
    if word.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "word_too_long",
            format!("A word to look up has at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    // Neighbours are only hints: an unusable one is ignored rather than refused.
    let usable = |w: Option<String>| w.filter(|w| w.chars().count() <= MAX_QUERY_CHARS);
    let (previous, next) = (usable(neighbours.prev), usable(neighbours.next));
    let dictionary = loaded().await?;
    let context = Context {
        previous: previous.as_deref(),
        next: next.as_deref(),
    };
    let mut response = match dictionary.lookup_in_context(&word, context) {
        Some(entry) => Json(entry).into_response(),
        None => ApiError {
            word: Some(word.clone()),
            ..ApiError::new(
                StatusCode::NOT_FOUND,
                "word_not_found",
                format!("The dictionary has no entry for \u{201c}{word}\u{201d}."),
            )
        }
        .into_response(),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, CACHE_CONTROL);
    Ok(response)
}

/// The dictionary, decompressed on a blocking thread the first time (about a tenth of a
/// second) so the request threads never stall on it.
async fn loaded() -> Result<&'static Dictionary, ApiError> {
    if let Some(dictionary) = dictionary::shipped_if_loaded() {
        return Ok(dictionary);
    }
    tokio::task::spawn_blocking(dictionary::shipped)
        .await
        .map_err(|e| {
            tracing::error!("loading the dictionary failed: {e}");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "The dictionary is not available at the moment.",
            )
        })
}

fn empty_word() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "empty_word",
        "Give a word to look up: /api/v1/dictionary/{word}.",
    )
}
