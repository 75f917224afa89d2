//! Who is calling the API: a bearer token, checked by a layer the route table puts on every
//! route that needs one, and handed to the handler as its [`Caller`].
//!
//! - `Authorization: Bearer TOKEN` (RFC 6750). No token, or one the site does not know or
//!   has revoked: 401 with `WWW-Authenticate: Bearer` (and `error="invalid_token"` when one
//!   was given). A read token on a write route: 403 `insufficient_scope`, with the scope it
//!   needs. A token whose admin was deleted: 401; one who is no longer an admin: 403.
//! - A session cookie means nothing here. API handlers ask only for a `Caller`, which only
//!   this layer makes, so a browser's ambient credentials can never act through the API;
//!   that is also why the CSRF guard lets `/api/v1/` through (see `auth::csrf`).

use super::ApiError;
use crate::app::AppState;
use crate::services::api::tokens::{self, Refusal};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use broadsheet_domain::User;
use broadsheet_store::{ApiScope, ApiToken};

/// The realm the challenge names.
const REALM: &str = "broadsheet-api";

/// The token a request came with and the admin it acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: ApiToken,
    pub user: User,
}

/// 401: no usable token. `problem` is RFC 6750's error code, when a token was given.
pub fn unauthorized(message: &str, problem: Option<&'static str>) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        if problem.is_some() {
            "invalid_token"
        } else {
            "unauthorized"
        },
        message,
    )
}

/// The `WWW-Authenticate` value for a 401 or an `insufficient_scope` 403.
pub fn challenge(error: &ApiError) -> HeaderValue {
    let value = match error.code {
        "invalid_token" => format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
        "insufficient_scope" => {
            format!("Bearer realm=\"{REALM}\", error=\"insufficient_scope\", scope=\"write\"")
        }
        _ => format!("Bearer realm=\"{REALM}\""),
    };
    HeaderValue::from_str(&value).expect("an ASCII challenge")
}

/// The layer: authenticate, check the scope, and pass the caller on.
pub async fn require(
    State((app, needed)): State<(AppState, ApiScope)>,
    mut request: Request,
    next: Next,
) -> Response {
    match caller(&app, request.headers(), needed).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

async fn caller(
    app: &AppState,
    headers: &axum::http::HeaderMap,
    needed: ApiScope,
) -> Result<Caller, ApiError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or(""));
    let Some(given) = given else {
        return Err(unauthorized(
            "This needs an API token: send it as `Authorization: Bearer TOKEN`. Admins make \
             tokens with `broadsheet token add` or at /newsroom/tokens.",
            None,
        ));
    };
    // The scheme is case-insensitive (RFC 7235); the token is not.
    let secret = match given.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => {
            return Err(unauthorized(
                "The Authorization header must be `Bearer TOKEN`.",
                Some("invalid_request"),
            ));
        }
    };
    let (token, user) = match tokens::authenticate(&app.store, secret).await? {
        Ok(found) => found,
        Err(Refusal::Unknown) => {
            return Err(unauthorized(
                "The API token is not valid: it is mistyped, or it was revoked.",
                Some("invalid_token"),
            ));
        }
        Err(Refusal::OwnerGone) => {
            return Err(unauthorized(
                "The account that made this API token no longer exists, so the token no \
                 longer works.",
                Some("invalid_token"),
            ));
        }
        Err(Refusal::OwnerDemoted(role)) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "The account that made this API token is now {role}, not an admin, so \
                     the token no longer works; ask an admin for a new one."
                ),
            ));
        }
    };
    if !token.scope.allows(needed) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!(
                "This token's scope is {}; this request needs a {needed} token.",
                token.scope
            ),
        ));
    }
    Ok(Caller { token, user })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Caller, ApiError> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            ApiError::internal("an API handler that needs a token is registered without one")
        })
    }
}
