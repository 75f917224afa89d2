//! The JSON API under `/api/v1/`: the site script's small public answers (search, the
//! dictionary, comment counts) and the newsroom's API for integrations (stories, sections,
//! tags, media), authenticated by bearer tokens that admins make.
//!
//! Every route is registered in `routes.rs`, which both builds the axum router and lists
//! the routes, so the OpenAPI document (`openapi.json`, served at `/api/v1/openapi.json`) is
//! tested against exactly what is served.
//!
//! Errors are JSON too, never the site's HTML error pages: `{"error": {"code", "message"}}`
//! plus the fields that name what was asked for (`field` for a bad parameter or body field,
//! `word` for the dictionary, `current_revision` for a stale update). `code` is stable for
//! programs to branch on; `message` is a sentence for people and may change. The codes:
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `invalid_json`, `invalid_parameter`, `invalid_cursor`, `invalid_upload` | a body or query that cannot be read; `field` names the parameter |
//! | 401 | `unauthorized` | no token, an unknown or revoked one (with `WWW-Authenticate: Bearer`) |
//! | 403 | `insufficient_scope`, `forbidden` | a read token on a write route; the token's admin may no longer do it |
//! | 404 | `not_found`, `unknown_route` | no such story or image; no such route under `/api/v1/` |
//! | 405 | `method_not_allowed` | with `Allow` |
//! | 409 | `conflict`, `invalid_transition` | a stale revision (`current_revision`), a change the publishing states forbid |
//! | 413 | `too_large` | a body or upload over its limit |
//! | 415 | `unsupported_media_type` | a body that is not `application/json` |
//! | 422 | `invalid_field`, `invalid_file` | a field breaks a rule (`field` names it); an upload that is no usable image |
//! | 500 | `internal` | our failure, logged |

pub mod auth;
pub mod catalog;
pub mod dictionary;
pub mod json;
pub mod media;
pub mod openapi;
pub mod routes;
pub mod stories;

use crate::web::error::WebError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use broadsheet_store::StoreError;
use serde::Serialize;

/// An API error: its status, stable code and sentence, and what it is about.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The word a dictionary error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// The query parameter or body field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With a `conflict`: the revision the story is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            word: None,
            field: None,
            current_revision: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// 400 `invalid_parameter` about one query parameter.
    pub fn parameter(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_parameter", message).with_field(field)
    }

    /// 422 `invalid_field` about one field of a body.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message).with_field(field)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// Our failure: logged with its detail, answered without it.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!("API request failed: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "The request failed because of an error on our side; please try again.",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::Invalid(e) => ApiError::field(e.field, e.to_string()),
            StoreError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            StoreError::NotFound(what) => ApiError::not_found(format!("{what} not found")),
            other => ApiError::internal(other),
        }
    }
}

/// The newsroom's services answer in the web layer's terms; the API keeps their meaning.
impl From<WebError> for ApiError {
    fn from(err: WebError) -> ApiError {
        match err {
            WebError::NotFound | WebError::Gone => ApiError::not_found("Not found."),
            WebError::BadRequest(message) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
            }
            WebError::Forbidden(message) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            WebError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, "conflict", message),
            WebError::PayloadTooLarge(message) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
            }
            WebError::Unauthorized | WebError::SignInRequired { .. } => {
                auth::unauthorized("Send an API token as `Authorization: Bearer TOKEN`.", None)
            }
            WebError::TooManyRequests { message, .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
            }
            WebError::Internal(detail) => ApiError::internal(detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: ApiError,
        }
        // RFC 6750: a 401 says how to authenticate; a 403 for scope says which one is needed.
        let challenge = (self.status == StatusCode::UNAUTHORIZED
            || self.code == "insufficient_scope")
            .then(|| auth::challenge(&self));
        let mut response = (self.status, Json(Body { error: self })).into_response();
        let headers = response.headers_mut();
        // API answers are for one caller and change with every write: no shared cache keeps them.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(challenge) = challenge {
            headers.insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// What every API handler returns.
pub type ApiResult<T = Response> = Result<T, ApiError>;
