//! OpenID Connect Discovery 1.0: a provider configured by its issuer alone (Keycloak and other
//! standard providers).
//!
//! The document's `issuer` must equal the issuer we asked about (Discovery §4.3): otherwise a
//! document served from one place could make us trust tokens from another.

use serde::Deserialize;

use super::config::{ClientAuth, ProfileMapping, ProtocolKind, ProviderConfig};
use super::error::OAuthError;
use super::http::Http;

#[derive(Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Vec<String>,
}

/// Reads `{issuer}/.well-known/openid-configuration` and builds the provider from it. The app
/// does this once at start and keeps the result; userinfo is left unset because the ID token
/// carries the standard claims (set it to fetch them too).
pub async fn discover(
    http: &Http,
    name: &str,
    label: &str,
    issuer: &str,
    client_id: &str,
    client_secret: &str,
) -> Result<ProviderConfig, OAuthError> {
    let issuer = issuer.trim_end_matches('/');
    let url = format!("{issuer}/.well-known/openid-configuration");
    let response = http
        .client
        .get(&url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(OAuthError::network)?;
    let status = response.status();
    if !status.is_success() {
        return Err(OAuthError::Malformed(format!(
            "{url} answered HTTP {status}"
        )));
    }
    let body = response.bytes().await.map_err(OAuthError::network)?;
    let meta: Metadata =
        serde_json::from_slice(&body).map_err(|e| OAuthError::Malformed(format!("{url}: {e}")))?;
    if meta.issuer != issuer {
        return Err(OAuthError::WrongIssuer);
    }
    // Basic is the default when the list is absent (Discovery §3); use post only if Basic is
    // not offered.
    let methods = &meta.token_endpoint_auth_methods_supported;
    let client_auth = if methods.is_empty() || methods.iter().any(|m| m == "client_secret_basic") {
        ClientAuth::Basic
    } else {
        ClientAuth::Post
    };
    Ok(ProviderConfig {
        name: name.into(),
        label: label.into(),
        kind: ProtocolKind::OpenIdConnect,
        client_id: client_id.into(),
        client_secret: client_secret.into(),
        client_auth,
        authorize_url: meta.authorization_endpoint,
        token_url: meta.token_endpoint,
        userinfo_url: None,
        jwks_url: Some(meta.jwks_uri),
        issuer: Some(meta.issuer),
        scopes: vec!["openid".into(), "email".into(), "profile".into()],
        profile: ProfileMapping::openid_standard(),
        token_request_includes_state: false,
    })
}
