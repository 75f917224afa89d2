//! The web layer's one error type, and the pages readers see for it.
//!
//! Rules: `NotFound` (404) for anything a reader asked for that is not there (including
//! drafts, which must not leak), `Gone` (410) for unpublished stories, `BadRequest` (400) with a
//! sentence naming the problem, `Forbidden` (403) for a forged or stale form and for an
//! account without the right, `Unauthorized` (401) or `SignInRequired` (a redirect to the
//! sign-in form, for pages) without an account, `TooManyRequests` (429, with Retry-After) from
//! a throttle, `PayloadTooLarge` (413), and `Internal` (500) for everything else, logged with its
//! context and shown without detail. Error responses carry an `ErrorPage` marker that the
//! `error_pages` middleware renders inside the site's chrome, so a 404 still has the masthead
//! and menu.

use crate::app::AppState;
use crate::web::templates::ErrorTemplate;
use crate::web::views::Chrome;
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use broadsheet_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    /// The thing changed under the writer (a stale form): 409.
    #[error("{0}")]
    Conflict(String),
    #[error("sign-in required")]
    Unauthorized,
    #[error("sign-in required for {return_to}")]
    SignInRequired { return_to: String },
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(err: StoreError) -> WebError {
        match err {
            StoreError::Invalid(e) => WebError::BadRequest(e.to_string()),
            StoreError::Conflict(message) => WebError::BadRequest(message),
            StoreError::NotFound(_) => WebError::NotFound,
            other => WebError::Internal(other.to_string()),
        }
    }
}

/// The marker the middleware turns into a full page.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub heading: &'static str,
    pub message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let page = match self {
            WebError::NotFound => ErrorPage {
                status: StatusCode::NOT_FOUND,
                heading: "Page not found",
                message: "There is no page at this address. It may have been mistyped, or the link that brought you here may be out of date.".into(),
            },
            WebError::Gone => ErrorPage {
                status: StatusCode::GONE,
                heading: "This story is no longer available",
                message: "The story that stood at this address has been withdrawn by the editors.".into(),
            },
            WebError::BadRequest(message) => ErrorPage {
                status: StatusCode::BAD_REQUEST,
                heading: "That request could not be understood",
                message,
            },
            WebError::Forbidden(message) => ErrorPage {
                status: StatusCode::FORBIDDEN,
                heading: "Not allowed",
                message,
            },
            WebError::Conflict(message) => ErrorPage {
                status: StatusCode::CONFLICT,
                heading: "Changed since you opened it",
                message,
            },
            WebError::Unauthorized => ErrorPage {
                status: StatusCode::UNAUTHORIZED,
                heading: "Please sign in",
                message: "You need to be signed in to do that.".into(),
            },
            WebError::SignInRequired { return_to } => {
                let location = format!(
                    "/account/signin?return_to={}",
                    percent_encoding::utf8_percent_encode(
                        &return_to,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                );
                return (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, location)],
                )
                    .into_response();
            }
            WebError::TooManyRequests {
                message,
                retry_after,
            } => {
                let page = ErrorPage {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    heading: "Please slow down",
                    message,
                };
                let mut response = (page.status, page.message.clone()).into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after.into());
                response.extensions_mut().insert(page);
                return response;
            }
            WebError::PayloadTooLarge(message) => ErrorPage {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                heading: "Too large",
                message,
            },
            WebError::Internal(detail) => {
                tracing::error!("request failed: {detail}");
                ErrorPage {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    heading: "Something went wrong",
                    message: "The page could not be shown because of an error on our side. Please try again in a moment.".into(),
                }
            }
        };
        let mut response = (page.status, page.message.clone()).into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// Middleware: give error responses the site's chrome.
pub async fn error_pages(State(app): State<AppState>, response: Response) -> Response {
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let template = ErrorTemplate {
        chrome: Chrome::new(&app.site(), &app.sections(), page.heading, None),
        status: page.status.as_u16(),
        heading: page.heading.to_string(),
        message: page.message.clone(),
    };
    match template.render() {
        Ok(html) => {
            let mut out = (page.status, Html(html)).into_response();
            out.headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
            // What the handler said beyond the page (when to retry, a cookie to clear) stays.
            for name in [header::RETRY_AFTER, header::SET_COOKIE, header::ALLOW] {
                for value in response.headers().get_all(&name) {
                    out.headers_mut().append(name.clone(), value.clone());
                }
            }
            out
        }
        Err(e) => {
            tracing::error!("rendering the error page failed: {e}");
            response
        }
    }
}

/// The router's fallback: any path nothing else claimed.
pub async fn not_found() -> WebError {
    WebError::NotFound
}
