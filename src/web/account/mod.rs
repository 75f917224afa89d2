//! Accounts on the web: sign in (with a password or a provider), sign up, sign out, the
//! account page.
//!
//! Every page here is personal (it carries the visitor's CSRF token), so none is cached.

pub mod oauth;
pub mod page;
pub mod signin;
pub mod signup;

use crate::app::AppState;
use crate::auth::{Session, Visitor, session};
use crate::web::error::WebError;
use crate::web::forms::{local_path, see_other};
use crate::web::templates::ProviderLink;
use crate::web::views::Chrome;
use axum::http::HeaderValue;
use axum::response::Response;

/// Where a form returns to when it was not told.
pub const HOME: &str = "/account";

/// What a sign-in or sign-up form needs before it is shown: where to go afterwards, and a
/// session to hold the form's CSRF token (made now if the visitor has none). A visitor who is
/// signed in already is sent on instead.
async fn prepare_form(
    app: &AppState,
    visitor: &Visitor,
    asked: Option<&str>,
) -> Result<Result<(String, Session, Option<HeaderValue>), Response>, WebError> {
    let return_to = local_path(asked).unwrap_or_else(|| HOME.into());
    if visitor.user().is_some() {
        return Ok(Err(see_other(&return_to, None)));
    }
    let (session, cookie) = session::ensure(app, visitor).await?;
    Ok(Ok((return_to, session, cookie)))
}

fn chrome(app: &AppState, title: &str) -> Chrome {
    Chrome::new(&app.site(), &app.sections(), title, None)
}

/// The sign-in providers this site has configured, in the order the configuration gives.
pub fn providers(app: &AppState) -> Vec<ProviderLink> {
    app.config
        .auth
        .providers
        .iter()
        .map(|p| ProviderLink {
            name: p.name.clone(),
            label: p.label.clone(),
        })
        .collect()
}
