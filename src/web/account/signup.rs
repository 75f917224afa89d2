use super::signin::ReturnTo;
use super::{HOME, chrome, prepare_form};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::auth::session;
use crate::services::accounts;
use crate::web::error::WebError;
use crate::web::forms::{Form, local_path, personal, see_other, with_status};
use crate::web::templates::SignupTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::Role;
use broadsheet_store::StoreError;
use serde::Deserialize;

pub async fn form(
    State(app): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ReturnTo>,
) -> Result<Response, WebError> {
    let (return_to, session, cookie) =
        match prepare_form(&app, &visitor, query.return_to.as_deref()).await? {
            Ok(ready) => ready,
            Err(elsewhere) => return Ok(elsewhere),
        };
    let page = SignupTemplate {
        chrome: chrome(&app, "Create an account"),
        csrf: session.csrf().to_string(),
        return_to,
        email: String::new(),
        display_name: String::new(),
        error: None,
    };
    Ok(personal(crate::web::render(&page)?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct SignupForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub return_to: Option<String>,
}

/// A new account is a reader, signed in at once.
pub async fn submit(
    State(app): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SignupForm>,
) -> Result<Response, WebError> {
    let return_to = local_path(form.return_to.as_deref()).unwrap_or_else(|| HOME.into());
    let registered = accounts::register(
        &app.store,
        &form.email,
        &form.display_name,
        &form.password,
        Role::Reader,
    )
    .await;
    match registered {
        Ok(user) => {
            let (_, cookie) = session::sign_in(&app, visitor.0.as_ref(), &user).await?;
            Ok(see_other(&return_to, Some(cookie)))
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => {
            let page = SignupTemplate {
                chrome: chrome(&app, "Create an account"),
                csrf: visitor
                    .0
                    .as_ref()
                    .map(|s| s.csrf().to_string())
                    .unwrap_or_default(),
                return_to,
                email: form.email,
                display_name: form.display_name,
                error: Some(e.to_string()),
            };
            let status = if matches!(e, StoreError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            Ok(personal(
                with_status(status, crate::web::render(&page)?),
                None,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
