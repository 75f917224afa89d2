//! Accounts on the web: sign in (with a password or a provider), sign up, sign out, the
//! account page.
//!
//! Every page here is personal (it carries the visitor's CSRF token), so none is cached.

pub mod oauth;
pub mod page;
pub mod signin;
pub mod signup;

use crate::app::AppState;
use crate::web::templates::ProviderLink;
use crate::web::views::Chrome;

/// Where a form returns to when it was not told.
pub const HOME: &str = "/account";

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
