use super::{chrome, providers};
use crate::app::AppState;
use crate::auth::session::{self, SignedIn};
use crate::web::error::WebError;
use crate::web::forms::{Form, personal, see_other, with_status};
use crate::web::templates::{AccountTemplate, IdentityView};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::account::normalize_display_name;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Notice {
    pub done: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(notice): Query<Notice>,
) -> Result<Response, WebError> {
    let notice = match notice.done.as_deref() {
        Some("name") => Some("Your name has been changed.".to_string()),
        Some("everywhere") => Some("You have been signed out of every other browser.".to_string()),
        Some("linked") => Some("The sign-in method has been linked.".to_string()),
        _ => None,
    };
    page(&app, &signed_in, notice, None, StatusCode::OK).await
}

/// The account page, with a notice or an error (a form's, or a provider link's).
pub(super) async fn page(
    app: &AppState,
    signed_in: &SignedIn,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let user = &signed_in.user;
    let labels = providers(app);
    let identities = app
        .store
        .identities(user.id)
        .await?
        .into_iter()
        .map(|i| IdentityView {
            label: labels
                .iter()
                .find(|p| p.name == i.provider)
                .map(|p| p.label.clone())
                .unwrap_or_else(|| i.provider.clone()),
            provider: i.provider,
            email: i.email,
        })
        .collect();
    let template = AccountTemplate {
        chrome: chrome(app, "Your account"),
        csrf: signed_in.session.csrf().to_string(),
        user: user.clone(),
        identities,
        providers: labels,
        sessions: app.store.count_user_sessions(user.id).await?,
        comments_kept: app.site().keep_comments_of_deleted_accounts,
        notice,
        error,
    };
    Ok(personal(
        with_status(status, crate::web::render(&template)?),
        None,
    ))
}

#[derive(Debug, Deserialize)]
pub struct NameForm {
    pub display_name: String,
}

pub async fn rename(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<NameForm>,
) -> Result<Response, WebError> {
    match normalize_display_name(&form.display_name) {
        Ok(name) => {
            app.store.set_display_name(signed_in.user.id, &name).await?;
            Ok(see_other("/account?done=name", None))
        }
        Err(e) => {
            page(
                &app,
                &signed_in,
                None,
                Some(e.to_string()),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

pub async fn sign_out(
    State(app): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    let cookie = session::sign_out(&app, &signed_in.session).await?;
    Ok(see_other("/", Some(cookie)))
}

/// End every session of the account but this one.
pub async fn sign_out_everywhere(
    State(app): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    session::sign_out_everywhere(&app, signed_in.user.id).await?;
    let (_, cookie) = session::start(&app, Some(&signed_in.user), &serde_json::json!({})).await?;
    Ok(see_other("/account?done=everywhere", Some(cookie)))
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    pub confirm: String,
}

pub async fn delete(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    if form.confirm.trim().to_lowercase() != "delete" {
        return page(
            &app,
            &signed_in,
            None,
            Some("Type the word delete to confirm; nothing was deleted.".into()),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    crate::services::comments::forget_account(&app, &signed_in.user).await?;
    app.store
        .delete_user_personal_data(signed_in.user.id)
        .await?;
    Ok(see_other(
        "/?account=deleted",
        Some(session::expired_cookie(&app)),
    ))
}
