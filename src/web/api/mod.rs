//! The JSON API under `/api/v1/`: small read-only answers for the site's own script.
//!
//! Errors are JSON too, never the site's HTML error pages, in the shape `/api/v1/search`
//! uses: `{"error": {"code", "message"}}` plus the fields that name what was asked for.
//! `code` is stable for scripts to branch on; `message` is a sentence for people and may
//! change.

pub mod dictionary;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An API error: its status, stable code and sentence.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The word a dictionary error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: ApiError,
        }
        (self.status, Json(Body { error: self })).into_response()
    }
}
