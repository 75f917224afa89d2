use super::{HOME, chrome, prepare_form, providers};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::auth::session;
use crate::services::accounts;
use crate::web::client::ClientAddr;
use crate::web::error::WebError;
use crate::web::forms::{Form, local_path, personal, see_other, with_status};
use crate::web::templates::SigninTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    pub return_to: Option<String>,
}

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
    let page = SigninTemplate {
        chrome: chrome(&app, "Sign in"),
        csrf: session.csrf().to_string(),
        return_to,
        email: String::new(),
        error: None,
        providers: providers(&app),
    };
    Ok(personal(crate::web::render(&page)?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct SigninForm {
    pub email: String,
    pub password: String,
    pub return_to: Option<String>,
}

pub async fn submit(
    State(app): State<AppState>,
    visitor: Visitor,
    ClientAddr(client): ClientAddr,
    Form(form): Form<SigninForm>,
) -> Result<Response, WebError> {
    let return_to = local_path(form.return_to.as_deref()).unwrap_or_else(|| HOME.into());
    match accounts::authenticate(&app.store, &form.email, &form.password, &client).await {
        Ok(user) => {
            let (_, cookie) = session::sign_in(&app, visitor.0.as_ref(), &user).await?;
            Ok(see_other(&return_to, Some(cookie)))
        }
        Err(WebError::Forbidden(message)) | Err(WebError::BadRequest(message)) => {
            // The guard only lets a form with a live session through.
            let csrf = visitor.0.as_ref().map(|s| s.csrf().to_string());
            let page = SigninTemplate {
                chrome: chrome(&app, "Sign in"),
                csrf: csrf.unwrap_or_default(),
                return_to,
                email: form.email,
                error: Some(message),
                providers: providers(&app),
            };
            Ok(personal(
                with_status(StatusCode::FORBIDDEN, crate::web::render(&page)?),
                None,
            ))
        }
        Err(other) => Err(other),
    }
}
