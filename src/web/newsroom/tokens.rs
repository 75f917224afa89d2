//! `/newsroom/tokens`: admins list, make and revoke API tokens. A new token is shown once,
//! on the page that answers the form (a redirect would need to keep it somewhere); after
//! that only its name and dates are known. Forms carry the session's CSRF token like every
//! other form of the site.

use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::api::tokens;
use crate::web::error::WebError;
use crate::web::forms::{Form, personal, see_other, with_status};
use crate::web::views::{Chrome, TimeView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::Role;
use broadsheet_store::{ApiScope, MAX_TOKEN_NAME_CHARS, StoreError};
use serde::Deserialize;

pub const PATH: &str = "/newsroom/tokens";

/// One row of the list.
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub scope: &'static str,
    pub maker: String,
    pub created: TimeView,
    pub used: Option<TimeView>,
    pub revoked: Option<TimeView>,
}

#[derive(Template)]
#[template(path = "newsroom/tokens.html")]
pub struct TokensTemplate {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// A token just made: its only showing.
    pub secret: Option<String>,
    /// The form's values, kept when it is refused.
    pub name: String,
    pub write: bool,
    pub max_name: usize,
    pub tokens: Vec<TokenView>,
}

fn require_admin(signed_in: &SignedIn) -> Result<(), WebError> {
    if signed_in.user.role == Role::Admin {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "API tokens are made and revoked by admins.".into(),
        ))
    }
}

/// What the page shows besides the list.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    secret: Option<String>,
    name: String,
    write: bool,
}

async fn render(
    app: &AppState,
    signed_in: &SignedIn,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, WebError> {
    let site = app.site();
    let tokens = app
        .store
        .api_tokens()
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            scope: t.scope.as_str(),
            maker: t
                .user_email
                .or(t.user_name)
                .unwrap_or_else(|| "a deleted account".into()),
            created: TimeView::new(&site, t.created_at),
            used: t.last_used_at.map(|at| TimeView::new(&site, at)),
            revoked: t.revoked_at.map(|at| TimeView::new(&site, at)),
            name: t.name,
        })
        .collect();
    let template = TokensTemplate {
        chrome: Chrome::new(&site, &app.sections(), "API tokens", None),
        csrf: signed_in.session.csrf().to_string(),
        notice: shown.notice,
        error: shown.error,
        secret: shown.secret,
        name: shown.name,
        write: shown.write,
        max_name: MAX_TOKEN_NAME_CHARS,
        tokens,
    };
    Ok(personal(
        with_status(status, crate::web::render(&template)?),
        None,
    ))
}

#[derive(Debug, Deserialize)]
pub struct TokensQuery {
    pub revoked: Option<i64>,
}

/// `GET /newsroom/tokens`
pub async fn list(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<TokensQuery>,
) -> Result<Response, WebError> {
    require_admin(&signed_in)?;
    let shown = Shown {
        notice: query
            .revoked
            .map(|id| format!("Token {id} is revoked: it no longer works.")),
        ..Shown::default()
    };
    render(&app, &signed_in, shown, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub struct MakeForm {
    pub name: String,
    pub scope: String,
}

/// `POST /newsroom/tokens`
pub async fn make(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<MakeForm>,
) -> Result<Response, WebError> {
    require_admin(&signed_in)?;
    let refused = |message: String| Shown {
        error: Some(message),
        name: form.name.clone(),
        write: form.scope == "write",
        ..Shown::default()
    };
    let Some(scope) = ApiScope::parse(&form.scope) else {
        let shown = refused(format!(
            "'{}' is not a scope; choose read or write.",
            form.scope
        ));
        return render(&app, &signed_in, shown, StatusCode::BAD_REQUEST).await;
    };
    match tokens::make(&app.store, &signed_in.user, &form.name, scope).await {
        Ok((token, secret)) => {
            let shown = Shown {
                notice: Some(format!(
                    "Token {} ({}, {scope}) is made.",
                    token.id, token.name
                )),
                secret: Some(secret),
                ..Shown::default()
            };
            render(&app, &signed_in, shown, StatusCode::OK).await
        }
        Err(StoreError::Invalid(e)) => {
            let shown = refused(format!("The name {}.", e.message));
            render(&app, &signed_in, shown, StatusCode::BAD_REQUEST).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /newsroom/tokens/{id}/revoke`
pub async fn revoke(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    require_admin(&signed_in)?;
    match app
        .store
        .revoke_api_token(id, Some(signed_in.user.id))
        .await
    {
        Ok(_) => Ok(see_other(&format!("{PATH}?revoked={id}"), None)),
        Err(StoreError::Conflict(message)) => {
            let shown = Shown {
                error: Some(format!("{message}.")),
                ..Shown::default()
            };
            render(&app, &signed_in, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}
