//! Sign-in with providers, in terms of accounts: which providers the site offers (built once
//! at start from `[auth.providers.NAME]`), where a sign-in in progress is kept, and what an
//! identity a provider vouches for means for accounts. The protocol itself is
//! `auth::oauth`; the HTTP side is `web::account::oauth`.
//!
//! Rules:
//! - The five known names start from `ProviderConfig::known`; every configured endpoint,
//!   issuer and scope list then overrides the built-in one. Any other name is `kind = "oidc"`
//!   (from `issuer` by OpenID Connect discovery, unless every endpoint is given) or
//!   `kind = "oauth2"` (its endpoints, with the OpenID standard claims read from userinfo).
//! - Discovery happens at the first sign-in with that provider, not at start, and a success is
//!   kept for the life of the process: the site must start and serve while a provider is down,
//!   and a failure is retried at the next sign-in. (Keys are refreshed by the JWKS cache; an
//!   endpoint change needs a restart.)
//! - A sign-in in progress (`Pending` and where to return) lives in the visitor's session row
//!   under `"oauth"`, never in a cookie: its PKCE verifier must not reach the browser. It is
//!   taken out before the callback is checked, so a callback can be used once.
//! - (provider, subject) is the account key. A visitor already signed in links the identity
//!   to their account (an identity linked to someone else is a conflict). Otherwise a linked
//!   identity signs its account in; failing that, an e-mail address the provider says it
//!   verified finds an existing account and links to it — an unverified address never does,
//!   or anyone could register someone else's address with a provider and take their
//!   account. Else a new reader account is made, with the provider's address only when it is
//!   verified and not taken.

use crate::auth::oauth::{
    ClientAuth, ExternalIdentity, Http, OAuthError, Pending, ProfileMapping, ProtocolKind,
    ProviderConfig, discover,
};
use crate::auth::session::Session;
use crate::config::{AuthConfig, ProviderSettings};
use broadsheet_domain::account::{MAX_DISPLAY_NAME, normalize_display_name, normalize_email};
use broadsheet_domain::{Role, User};
use broadsheet_store::{NewUser, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::OnceCell;
use unicode_segmentation::UnicodeSegmentation;

/// The key of a sign-in in progress in the session's data.
const DATA_KEY: &str = "oauth";
/// The name an account gets when the provider gives none we can use.
pub const FALLBACK_NAME: &str = "Reader";

/// The providers this site offers, and the one HTTP client they share.
pub struct Providers {
    pub http: Http,
    list: Vec<Provider>,
}

/// One configured provider.
pub struct Provider {
    pub name: String,
    source: Source,
}

enum Source {
    Ready(Arc<ProviderConfig>),
    /// An OpenID Connect provider known by its issuer, discovered at first use.
    Discovered {
        settings: Box<ProviderSettings>,
        config: OnceCell<Arc<ProviderConfig>>,
    },
}

impl Providers {
    /// Every configured provider, checked; an error names the provider and the problem.
    pub fn new(auth: &AuthConfig) -> Result<Providers, String> {
        let http = Http::new().map_err(|e| format!("the sign-in HTTP client: {e}"))?;
        let list = auth
            .providers
            .iter()
            .map(|settings| {
                let source = source(settings)
                    .map_err(|e| format!("[auth.providers.{}] {e}", settings.name))?;
                Ok(Provider {
                    name: settings.name.clone(),
                    source,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Providers { http, list })
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.name == name)
    }
}

impl Provider {
    /// The provider's configuration, discovering it first if it has not been yet.
    pub async fn config(&self, http: &Http) -> Result<Arc<ProviderConfig>, OAuthError> {
        match &self.source {
            Source::Ready(config) => Ok(config.clone()),
            Source::Discovered { settings, config } => config
                .get_or_try_init(|| async {
                    let issuer = settings.issuer.as_deref().unwrap_or_default();
                    let mut found = discover(
                        http,
                        &settings.name,
                        &settings.label,
                        issuer,
                        &settings.client_id,
                        &settings.client_secret,
                    )
                    .await
                    .inspect_err(|e| {
                        tracing::warn!("discovery for sign-in provider {} failed: {e:?}", self.name)
                    })?;
                    apply_overrides(&mut found, settings);
                    found.validate().map_err(|e| {
                        tracing::warn!("discovered sign-in provider {}: {e}", self.name);
                        OAuthError::Malformed(e)
                    })?;
                    Ok(Arc::new(found))
                })
                .await
                .cloned(),
        }
    }
}

/// Where the provider sends the reader back to; registered with the provider as is.
pub fn redirect_uri(base_url: &str, provider: &str) -> String {
    format!("{base_url}/account/oauth/{provider}/callback")
}

fn source(s: &ProviderSettings) -> Result<Source, String> {
    let config =
        if let Some(mut known) = ProviderConfig::known(&s.name, &s.client_id, &s.client_secret) {
            known.label = s.label.clone();
            apply_overrides(&mut known, s);
            known
        } else {
            let explicit = s.authorize_url.is_some() && s.token_url.is_some();
            match s.kind.as_deref() {
                Some("oidc") if s.issuer.is_some() && !(explicit && s.jwks_url.is_some()) => {
                    return Ok(Source::Discovered {
                        settings: Box::new(s.clone()),
                        config: OnceCell::new(),
                    });
                }
                Some("oidc") => generic(
                    s,
                    ProtocolKind::OpenIdConnect,
                    &["openid", "email", "profile"],
                ),
                Some("oauth2") => generic(s, ProtocolKind::OAuth2, &[]),
                // config.rs refuses other kinds; this is a second line, not a message readers see.
                other => return Err(format!("kind {other:?} is not \"oidc\" or \"oauth2\"")),
            }
        };
    config.validate()?;
    Ok(Source::Ready(Arc::new(config)))
}

/// A provider from its configured endpoints alone. Client authentication is HTTP Basic, the
/// form every OAuth 2.0 server must accept (RFC 6749 §2.3.1) and OpenID Connect's default.
fn generic(s: &ProviderSettings, kind: ProtocolKind, default_scopes: &[&str]) -> ProviderConfig {
    let mut config = ProviderConfig {
        name: s.name.clone(),
        label: s.label.clone(),
        kind,
        client_id: s.client_id.clone(),
        client_secret: s.client_secret.clone(),
        client_auth: ClientAuth::Basic,
        authorize_url: String::new(),
        token_url: String::new(),
        userinfo_url: None,
        jwks_url: None,
        issuer: None,
        scopes: default_scopes.iter().map(|s| s.to_string()).collect(),
        profile: ProfileMapping::openid_standard(),
        token_request_includes_state: false,
    };
    apply_overrides(&mut config, s);
    config
}

fn apply_overrides(config: &mut ProviderConfig, s: &ProviderSettings) {
    if let Some(issuer) = &s.issuer {
        config.issuer = Some(issuer.trim_end_matches('/').to_string());
    }
    if let Some(url) = &s.authorize_url {
        config.authorize_url = url.clone();
    }
    if let Some(url) = &s.token_url {
        config.token_url = url.clone();
    }
    if let Some(url) = &s.userinfo_url {
        config.userinfo_url = Some(url.clone());
    }
    if let Some(url) = &s.jwks_url {
        config.jwks_url = Some(url.clone());
    }
    if let Some(scopes) = &s.scopes {
        config.scopes = scopes.clone();
    }
}

/// A sign-in between the redirect to the provider and its callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub pending: Pending,
    /// A local path, checked before it was stored.
    pub return_to: String,
}

/// Keep a sign-in in progress in the session, replacing any earlier one (a reader who starts
/// twice finishes the second).
pub async fn remember(
    store: &Store,
    session: &Session,
    pending: &PendingSignIn,
) -> Result<(), StoreError> {
    let mut data = session.data();
    if !data.is_object() {
        data = serde_json::json!({});
    }
    data[DATA_KEY] = serde_json::to_value(pending)
        .map_err(|e| StoreError::Corrupt(format!("a pending sign-in: {e}")))?;
    store
        .set_session_data(&session.token_hash, &data.to_string())
        .await
}

/// Take the sign-in in progress out of the session, whatever happens next.
pub async fn take(store: &Store, session: &Session) -> Result<Option<PendingSignIn>, StoreError> {
    let mut data = session.data();
    let Some(value) = data.as_object_mut().and_then(|d| d.remove(DATA_KEY)) else {
        return Ok(None);
    };
    store
        .set_session_data(&session.token_hash, &data.to_string())
        .await?;
    // Data written by an older version that no longer parses is an expired sign-in.
    Ok(serde_json::from_value(value).ok())
}

/// What a verified identity led to.
#[derive(Debug)]
pub enum Completed {
    /// Sign this account in.
    SignIn(User),
    /// Linked to the account already signed in.
    Linked,
}

/// Apply the account rules of the module doc to a verified identity. A `Conflict` means the
/// signed-in reader tried to link an identity that belongs to another account.
pub async fn complete(
    store: &Store,
    identity: &ExternalIdentity,
    signed_in: Option<&User>,
) -> Result<Completed, StoreError> {
    let email = identity
        .email
        .as_deref()
        .and_then(|e| normalize_email(e).ok());
    let link = |user: &User| {
        store.link_identity(
            user.id,
            &identity.provider,
            &identity.subject,
            email.as_deref(),
        )
    };
    if let Some(user) = signed_in {
        link(user).await?;
        return Ok(Completed::Linked);
    }
    if let Some(user) = store
        .user_by_identity(&identity.provider, &identity.subject)
        .await?
    {
        return Ok(Completed::SignIn(user));
    }
    let verified = email.clone().filter(|_| identity.email_verified);
    if let Some(address) = &verified
        && let Some(user) = store.user_by_email(address).await?
    {
        link(&user).await?;
        return Ok(Completed::SignIn(user));
    }
    let mut new = NewUser {
        email: verified,
        display_name: display_name(identity.display_name.as_deref()),
        password_hash: None,
        role: Role::Reader,
    };
    let user = match store.create_user(&new).await {
        // Taken between the look-up above and now: the account goes without an address.
        Err(StoreError::Conflict(_)) if new.email.is_some() => {
            new.email = None;
            store.create_user(&new).await?
        }
        other => other?,
    };
    link(&user).await?;
    Ok(Completed::SignIn(user))
}

/// A provider's name made fit for the site: one line, cut to the length limit, else
/// [`FALLBACK_NAME`]. Markup stays text; templates escape it.
pub fn display_name(raw: Option<&str>) -> String {
    let Some(raw) = raw else {
        return FALLBACK_NAME.into();
    };
    let one_line = raw
        .split(char::is_control)
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    let cut: String = one_line.graphemes(true).take(MAX_DISPLAY_NAME).collect();
    normalize_display_name(&cut).unwrap_or_else(|_| FALLBACK_NAME.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_are_made_fit() {
        assert_eq!(display_name(Some("  Jane\n\tReader ")), "Jane Reader");
        assert_eq!(display_name(Some("   ")), FALLBACK_NAME);
        assert_eq!(display_name(None), FALLBACK_NAME);
        let long = "가".repeat(80);
        assert_eq!(display_name(Some(&long)).chars().count(), MAX_DISPLAY_NAME);
        assert_eq!(display_name(Some("<b>x</b>")), "<b>x</b>");
    }

    fn settings(name: &str) -> ProviderSettings {
        ProviderSettings {
            name: name.into(),
            client_id: "id".into(),
            client_secret: "secret".into(),
            label: name.into(),
            ..ProviderSettings::default()
        }
    }

    #[test]
    fn overrides_replace_the_built_in_endpoints() {
        let mut s = settings("google");
        s.token_url = Some("http://127.0.0.1:9/token".into());
        s.issuer = Some("http://127.0.0.1:9/".into());
        s.scopes = Some(vec!["openid".into()]);
        let Source::Ready(config) = source(&s).unwrap() else {
            panic!("a known provider needs no discovery");
        };
        assert_eq!(config.token_url, "http://127.0.0.1:9/token");
        assert_eq!(config.issuer.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(config.scopes, ["openid"]);
        assert_eq!(config.client_auth, ClientAuth::Post, "Google's own default");
    }

    #[test]
    fn other_providers_by_kind() {
        let mut s = settings("keycloak");
        s.kind = Some("oidc".into());
        s.issuer = Some("https://id.example/realms/news".into());
        assert!(matches!(source(&s), Ok(Source::Discovered { .. })));

        let mut s = settings("forum");
        s.kind = Some("oauth2".into());
        s.authorize_url = Some("https://forum.example/authorize".into());
        s.token_url = Some("https://forum.example/token".into());
        s.userinfo_url = Some("https://forum.example/me".into());
        let Ok(Source::Ready(config)) = source(&s) else {
            panic!("oauth2 with endpoints is ready at start");
        };
        assert_eq!(config.kind, ProtocolKind::OAuth2);
        assert_eq!(config.profile, ProfileMapping::openid_standard());

        // OpenID Connect from endpoints alone needs the issuer and keys too.
        let mut s = settings("sso");
        s.kind = Some("oidc".into());
        s.authorize_url = Some("https://sso.example/auth".into());
        s.token_url = Some("https://sso.example/token".into());
        assert!(source(&s).is_err());
    }
}
