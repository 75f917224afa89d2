//! Cross-site request forgery: one middleware in front of every route.
//!
//! A state-changing request (anything but GET, HEAD and OPTIONS) must
//! - not be marked cross-site by the browser (`Sec-Fetch-Site`) nor carry a foreign `Origin`;
//! - belong to a live session, and carry that session's CSRF token: in the `X-CSRF-Token`
//!   header (scripts), a `csrf` query parameter (multipart uploads, whose body is not read
//!   here), or a `csrf` field of a URL-encoded form.
//!
//! Requests to the JSON API (`/api/v1/`) skip this: the API authenticates by bearer token,
//! which is not an ambient credential a forged page could borrow, and its handlers never act
//! on a session cookie (`web::api::auth`). Everywhere else an `Authorization` header changes
//! nothing: the session and its token are still required.
//!
//! The session loaded here is handed on to the handler as its `Visitor`.

use super::session::{self, Visitor};
use super::token;
use crate::app::AppState;
use crate::web::error::WebError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";
/// Where the JSON API lives; it checks its own bearer tokens.
pub const API_PREFIX: &str = "/api/v1/";

pub async fn guard(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || request.uri().path().starts_with(API_PREFIX)
    {
        return next.run(request).await;
    }
    match check(&app, request).await {
        Ok(request) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

async fn check(app: &AppState, request: Request) -> Result<Request, WebError> {
    let headers = request.headers();
    if !same_site(app, headers) {
        return Err(refuse(
            request.into_body(),
            "This request was sent from another website, so it was refused. If you meant to \
             do this, go to the page on this site and try again.",
        )
        .await);
    }
    let Some(session) = session::load(app, headers).await? else {
        return Err(refuse(
            request.into_body(),
            "Your session has expired or your browser is not keeping this site's cookie. \
             Reload the page and send the form again.",
        )
        .await);
    };
    let (parts, body) = request.into_parts();
    let mut submitted = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| query_field(parts.uri.query().unwrap_or("")));
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = if submitted.is_none() && is_form {
        let bytes = crate::web::forms::read_form(body).await?;
        submitted = form_field(&bytes);
        Body::from(bytes)
    } else {
        body
    };
    match submitted {
        Some(value) if token::same(&value, session.csrf()) => {}
        _ => {
            return Err(refuse(
                body,
                "The form's security token is missing or out of date, so nothing was \
                 changed. Reload the page and send the form again.",
            )
            .await);
        }
    }
    let mut request = Request::from_parts(parts, body);
    request.extensions_mut().insert(Visitor(Some(session)));
    Ok(request)
}

/// Bodies up to this size are read before a refusal (and thrown away).
const REFUSED_BODY_READ: usize = 64 * 1024;

/// A 403 with `message`. A small body is read to its end first: a client still sending its
/// form then gets the answer, rather than a connection closed under it (a broken pipe, and
/// no message). A larger body is left unread and its connection closed.
async fn refuse(body: Body, message: &str) -> WebError {
    let _ = axum::body::to_bytes(body, REFUSED_BODY_READ).await;
    WebError::Forbidden(message.into())
}

/// Whether the browser's own account of where the request came from (when it gives one)
/// names this site.
fn same_site(app: &AppState, headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site")) {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == app.config.base_url {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    host.is_some_and(|host| {
        origin == format!("http://{host}") || origin == format!("https://{host}")
    })
}

fn query_field(query: &str) -> Option<String> {
    form_field(query.as_bytes())
}

fn form_field(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}
