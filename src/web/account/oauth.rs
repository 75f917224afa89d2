//! Sign-in with a provider: `GET /account/oauth/{provider}` sends the browser there,
//! `GET /account/oauth/{provider}/callback` brings it back. The account rules live in
//! `services::signin`; the protocol in `auth::oauth`.
//!
//! The callback is a GET, so the CSRF guard does not look at it. The defence against a forged
//! callback (login CSRF: signing a reader into the attacker's account) is the `state` value,
//! random per sign-in and kept in this browser's session row: `oauth::finish` refuses a
//! callback whose `state` is not the one this session was given, and the pending sign-in is
//! removed before the check, so no callback can be used twice.

use super::page::page;
use super::signin::ReturnTo;
use super::{HOME, chrome, providers};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::auth::oauth::{self, Callback, OAuthError};
use crate::auth::session::{self, Session, SignedIn};
use crate::services::signin::{self, Completed, PendingSignIn};
use crate::web::error::WebError;
use crate::web::forms::{local_path, personal, see_other, with_status};
use crate::web::templates::SigninTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use broadsheet_store::StoreError;

/// What a callback without a sign-in in progress is told.
pub const NOT_STARTED: &str =
    "This sign-in was not started here or has expired; start again from the sign-in page.";

/// Send the visitor to the provider, remembering the sign-in in their session.
pub async fn start(
    State(app): State<AppState>,
    visitor: Visitor,
    Path(name): Path<String>,
    Query(query): Query<ReturnTo>,
) -> Result<Response, WebError> {
    let provider = app.signin.get(&name).ok_or(WebError::NotFound)?;
    let return_to = local_path(query.return_to.as_deref()).unwrap_or_else(|| HOME.into());
    let (session, cookie) = session::ensure(&app, &visitor).await?;
    let config = match provider.config(&app.signin.http).await {
        Ok(config) => config,
        Err(e) => {
            let response = failure(&app, &visitor, &session, &return_to, &e).await?;
            return Ok(personal(response, cookie));
        }
    };
    let redirect_uri = signin::redirect_uri(&app.config.base_url, &name);
    let (url, pending) = oauth::begin(&config, &redirect_uri);
    signin::remember(&app.store, &session, &PendingSignIn { pending, return_to }).await?;
    Ok(personal(see_other(&url, None), cookie))
}

/// The provider's answer.
pub async fn callback(
    State(app): State<AppState>,
    visitor: Visitor,
    Path(name): Path<String>,
    Query(reply): Query<Callback>,
) -> Result<Response, WebError> {
    let provider = app.signin.get(&name).ok_or(WebError::NotFound)?;
    let Some(session) = visitor.0.as_ref() else {
        return Err(WebError::BadRequest(NOT_STARTED.into()));
    };
    // Taken out before anything is checked: a replayed callback finds nothing.
    let Some(PendingSignIn { pending, return_to }) = signin::take(&app.store, session).await?
    else {
        return Err(WebError::BadRequest(NOT_STARTED.into()));
    };
    let http = &app.signin.http;
    let redirect_uri = signin::redirect_uri(&app.config.base_url, &name);
    let verified = match provider.config(http).await {
        Ok(config) => oauth::finish(http, &config, &redirect_uri, &pending, &reply).await,
        Err(e) => Err(e),
    };
    let identity = match verified {
        Ok(identity) => identity,
        Err(e) => return failure(&app, &visitor, session, &return_to, &e).await,
    };
    let response = match signin::complete(&app.store, &identity, visitor.user()).await {
        Ok(Completed::Linked) => see_other("/account?done=linked", None),
        Ok(Completed::SignIn(user)) => {
            let (_, cookie) = session::sign_in(&app, Some(session), &user).await?;
            see_other(&return_to, Some(cookie))
        }
        Err(StoreError::Conflict(message)) if visitor.user().is_some() => {
            let signed_in = signed_in(&visitor, session);
            page(&app, &signed_in, None, Some(message), StatusCode::CONFLICT).await?
        }
        Err(other) => return Err(other.into()),
    };
    Ok(no_referrer(personal(response, None)))
}

/// A sign-in that failed: the reader sees the module's sentence (never the provider's words)
/// on the sign-in page, or on the account page when they were linking.
async fn failure(
    app: &AppState,
    visitor: &Visitor,
    session: &Session,
    return_to: &str,
    error: &OAuthError,
) -> Result<Response, WebError> {
    let status = status_of(error);
    if status.is_server_error() {
        tracing::warn!("sign-in failed ({}): {error:?}", error.code());
    } else {
        tracing::info!("sign-in refused ({}): {error:?}", error.code());
    }
    let message = Some(error.to_string());
    let response = if visitor.user().is_some() {
        page(app, &signed_in(visitor, session), None, message, status).await?
    } else {
        let template = SigninTemplate {
            chrome: chrome(app, "Sign in"),
            csrf: session.csrf().to_string(),
            return_to: return_to.to_string(),
            email: String::new(),
            error: message,
            providers: providers(app),
        };
        with_status(status, crate::web::render(&template)?)
    };
    Ok(no_referrer(personal(response, None)))
}

/// 400 for what the reader or their browser did (cancelled, too slow, an incomplete reply),
/// 403 for a reply that does not belong to this sign-in (a forgery or a mix-up), 401 for a
/// reply whose proof of identity does not hold, 502 when the provider failed or answered
/// what the protocol does not allow.
fn status_of(error: &OAuthError) -> StatusCode {
    match error {
        OAuthError::Cancelled
        | OAuthError::Expired
        | OAuthError::MissingState
        | OAuthError::MissingCode => StatusCode::BAD_REQUEST,
        OAuthError::StateMismatch | OAuthError::NonceMismatch | OAuthError::WrongAudience => {
            StatusCode::FORBIDDEN
        }
        OAuthError::TokenExchange(..)
        | OAuthError::BadSignature
        | OAuthError::WrongIssuer
        | OAuthError::TokenExpired => StatusCode::UNAUTHORIZED,
        OAuthError::ProviderError(..)
        | OAuthError::MissingClaim(_)
        | OAuthError::Userinfo(_)
        | OAuthError::Malformed(_)
        | OAuthError::Network(_) => StatusCode::BAD_GATEWAY,
    }
}

fn signed_in(visitor: &Visitor, session: &Session) -> SignedIn {
    SignedIn {
        user: visitor.user().cloned().expect("checked by the caller"),
        session: session.clone(),
    }
}

/// The callback's URL carries the code and state; pages shown at it must not pass them on
/// in a `Referer`.
fn no_referrer(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
