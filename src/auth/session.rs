//! Server-side sessions behind one cookie, and the extractors handlers use to ask who is
//! there: `Visitor` (anyone, perhaps with a session) and `SignedIn` (an account, or a
//! redirect to the sign-in page).

use super::token;
use crate::app::AppState;
use crate::web::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use broadsheet_domain::{User, UserId};
use broadsheet_store::{SessionRecord, StoreError};
use jiff::{SignedDuration, Timestamp};

pub const SESSION_COOKIE: &str = "bs_session";
/// A signed-in session lives 30 days past the last visit.
pub const SIGNED_IN_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 30);
/// A session made for a sign-in form or a provider round trip: long enough to fill a form.
pub const ANONYMOUS_LIFETIME: SignedDuration = SignedDuration::from_hours(2);
/// Visits extend a session, but recording one is a write: at most this often.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(10);

/// A live session, and its account when signed in.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub record: SessionRecord,
    pub user: Option<User>,
}

impl Session {
    pub fn csrf(&self) -> &str {
        &self.record.csrf_token
    }

    /// What the app keeps in the session (a sign-in in progress, where to return to).
    pub fn data(&self) -> serde_json::Value {
        serde_json::from_str(&self.record.data).unwrap_or_default()
    }
}

/// Whoever is asking: `None` when the request names no live session.
#[derive(Debug, Clone)]
pub struct Visitor(pub Option<Session>);

impl Visitor {
    pub fn user(&self) -> Option<&User> {
        self.0.as_ref().and_then(|s| s.user.as_ref())
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Visitor, WebError> {
        if let Some(visitor) = parts.extensions.get::<Visitor>() {
            return Ok(visitor.clone());
        }
        let visitor = Visitor(load(app, &parts.headers).await?);
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}

/// A signed-in account. Asking for a page without one redirects to the sign-in form (and
/// back afterwards); any other request is refused with 401.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session: Session,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<SignedIn, WebError> {
        let Visitor(session) = Visitor::from_request_parts(parts, app).await?;
        match session {
            Some(session) if session.user.is_some() => Ok(SignedIn {
                user: session.user.clone().expect("checked"),
                session,
            }),
            _ if parts.method == Method::GET => Err(WebError::SignInRequired {
                return_to: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "/".into()),
            }),
            _ => Err(WebError::Unauthorized),
        }
    }
}

/// The session a request's cookie names, if it is live (and its account not deleted).
pub async fn load(app: &AppState, headers: &HeaderMap) -> Result<Option<Session>, StoreError> {
    let Some(token) = cookie_value(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let token_hash = token::digest(token);
    let Some(record) = app.store.session(&token_hash).await? else {
        return Ok(None);
    };
    let user = match record.user_id {
        Some(id) => match app.store.user(id).await? {
            Some(user) => Some(user),
            None => return Ok(None),
        },
        None => None,
    };
    let now = Timestamp::now();
    if user.is_some() && now.duration_since(record.last_seen_at) > TOUCH_EVERY {
        app.store
            .touch_session(&token_hash, now + SIGNED_IN_LIFETIME)
            .await?;
    }
    Ok(Some(Session {
        token_hash,
        record,
        user,
    }))
}

/// Start a session, signed in or not; returns it and the `Set-Cookie` value for it.
pub async fn start(
    app: &AppState,
    user: Option<&User>,
    data: &serde_json::Value,
) -> Result<(Session, HeaderValue), StoreError> {
    let token = token::random();
    let token_hash = token::digest(&token);
    let lifetime = if user.is_some() {
        SIGNED_IN_LIFETIME
    } else {
        ANONYMOUS_LIFETIME
    };
    let expires_at = Timestamp::now() + lifetime;
    let csrf = token::random();
    let data = data.to_string();
    app.store
        .create_session(&token_hash, user.map(|u| u.id), &csrf, &data, expires_at)
        .await?;
    let record = app
        .store
        .session(&token_hash)
        .await?
        .ok_or_else(|| StoreError::NotFound("the session just made".into()))?;
    let cookie = set_cookie(app, &token, lifetime.as_secs());
    Ok((
        Session {
            token_hash,
            record,
            user: user.cloned(),
        },
        cookie,
    ))
}

/// The visitor's session, or a new anonymous one (for a form that needs a CSRF token).
pub async fn ensure(
    app: &AppState,
    visitor: &Visitor,
) -> Result<(Session, Option<HeaderValue>), StoreError> {
    match &visitor.0 {
        Some(session) => Ok((session.clone(), None)),
        None => {
            let (session, cookie) = start(app, None, &serde_json::json!({})).await?;
            Ok((session, Some(cookie)))
        }
    }
}

/// Sign an account in: the browser's old session (whatever an attacker may have planted in
/// it) ends, and a new one with a new token and CSRF token begins.
pub async fn sign_in(
    app: &AppState,
    previous: Option<&Session>,
    user: &User,
) -> Result<(Session, HeaderValue), StoreError> {
    if let Some(old) = previous {
        app.store.delete_session(&old.token_hash).await?;
    }
    start(app, Some(user), &serde_json::json!({})).await
}

/// Sign out this browser.
pub async fn sign_out(app: &AppState, session: &Session) -> Result<HeaderValue, StoreError> {
    app.store.delete_session(&session.token_hash).await?;
    Ok(expired_cookie(app))
}

/// Sign an account out of every browser.
pub async fn sign_out_everywhere(app: &AppState, user: UserId) -> Result<u64, StoreError> {
    app.store.delete_user_sessions(user).await
}

/// A `Set-Cookie` that makes the browser forget its session cookie.
pub fn expired_cookie(app: &AppState) -> HeaderValue {
    set_cookie(app, "", 0)
}

fn set_cookie(app: &AppState, token: &str, max_age: i64) -> HeaderValue {
    let secure = if app.config.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("a cookie of hex digits")
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}
