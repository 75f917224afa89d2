//! Providers: what we need to know about each one, and built-in defaults for the five we know.
//!
//! Every field is public so the app's configuration can override any endpoint (and tests point
//! them all at the local test provider). Values below come from each provider's public developer
//! documentation as of 2026; where a provider versions its URLs (Facebook) the version is a
//! default to be raised in configuration, not a promise.

use std::fmt;

/// How the provider proves who the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolKind {
    /// OpenID Connect: the token response carries a signed ID token, which we verify.
    OpenIdConnect,
    /// Plain OAuth 2.0: the reader's identity comes only from the provider's profile API.
    OAuth2,
}

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1, OIDC Core §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(client_id:client_secret)` — the RFC's preferred form.
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Post,
}

/// Whether the email a provider gives has been verified by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailVerified {
    /// A boolean (or `"true"`) at this path says so.
    Claim(String),
    /// The provider does not say; treat every email from it as unverified.
    Unverified,
}

/// Where the reader's id, email and name sit in a provider's userinfo JSON.
///
/// Paths are dot-separated object keys (`kakao_account.profile.nickname`). The subject may be a
/// string or a number (Kakao's `id` is a number); it is kept as a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileMapping {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: EmailVerified,
    /// Tried in order; the first non-empty string wins.
    pub display_name: Vec<String>,
}

impl ProfileMapping {
    /// OpenID Connect standard claims (OIDC Core §5.1): Google, Keycloak and the like.
    pub fn openid_standard() -> Self {
        Self::new(
            "sub",
            Some("email"),
            EmailVerified::Claim("email_verified".into()),
            &["name", "preferred_username", "nickname"],
        )
    }

    /// X API v2 `GET /2/users/me`: `{"data": {"id", "name", "username"}}`. X gives no email
    /// with the default user fields, so none is mapped.
    pub fn x() -> Self {
        Self::new(
            "data.id",
            None,
            EmailVerified::Unverified,
            &["data.name", "data.username"],
        )
    }

    /// Graph API `/me?fields=id,name,email`: flat. Facebook does not state that the email is
    /// verified, so it is treated as unverified.
    pub fn facebook() -> Self {
        Self::new("id", Some("email"), EmailVerified::Unverified, &["name"])
    }

    /// Kakao `GET /v2/user/me`: numeric `id`, `kakao_account.{email, is_email_verified}`,
    /// `kakao_account.profile.nickname` (older apps: `properties.nickname`).
    pub fn kakao() -> Self {
        Self::new(
            "id",
            Some("kakao_account.email"),
            EmailVerified::Claim("kakao_account.is_email_verified".into()),
            &["kakao_account.profile.nickname", "properties.nickname"],
        )
    }

    /// Naver `GET /v1/nid/me`: `{"resultcode": "00", "response": {"id", "email", "nickname",
    /// "name"}}`. Naver does not say the email is verified.
    pub fn naver() -> Self {
        Self::new(
            "response.id",
            Some("response.email"),
            EmailVerified::Unverified,
            &["response.nickname", "response.name"],
        )
    }

    fn new(subject: &str, email: Option<&str>, verified: EmailVerified, names: &[&str]) -> Self {
        ProfileMapping {
            subject: subject.into(),
            email: email.map(Into::into),
            email_verified: verified,
            display_name: names.iter().map(|s| (*s).into()).collect(),
        }
    }
}

/// One sign-in provider.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    /// Stable id: `x`, `facebook`, `google`, `kakao`, `naver`, or any other.
    pub name: String,
    /// Shown on the button.
    pub label: String,
    pub kind: ProtocolKind,
    pub client_id: String,
    pub client_secret: String,
    pub client_auth: ClientAuth,
    pub authorize_url: String,
    pub token_url: String,
    pub userinfo_url: Option<String>,
    /// Required for [`ProtocolKind::OpenIdConnect`].
    pub jwks_url: Option<String>,
    /// Required for [`ProtocolKind::OpenIdConnect`]: the exact `iss` of its ID tokens.
    pub issuer: Option<String>,
    pub scopes: Vec<String>,
    pub profile: ProfileMapping,
    /// Naver's token endpoint wants the `state` again; others ignore unknown parameters
    /// (RFC 6749 §3.2) but we send it only where asked.
    pub token_request_includes_state: bool,
}

// The secret stays out of logs.
impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .field("userinfo_url", &self.userinfo_url)
            .field("jwks_url", &self.jwks_url)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// Facebook versions its Graph API; each version is supported for about two years.
const FACEBOOK_GRAPH_VERSION: &str = "v24.0";

impl ProviderConfig {
    /// Built-in defaults for `x`, `facebook`, `google`, `kakao` and `naver`; `None` otherwise.
    pub fn known(name: &str, client_id: &str, client_secret: &str) -> Option<ProviderConfig> {
        let s = |v: &str| v.to_string();
        let scopes = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let base = |label: &str, kind, auth, authorize: String, token: String| ProviderConfig {
            name: name.to_string(),
            label: label.to_string(),
            kind,
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            client_auth: auth,
            authorize_url: authorize,
            token_url: token,
            userinfo_url: None,
            jwks_url: None,
            issuer: None,
            scopes: Vec::new(),
            profile: ProfileMapping::openid_standard(),
            token_request_includes_state: false,
        };
        let config = match name {
            // docs.x.com, "OAuth 2.0 Authorization Code Flow with PKCE": authorize at
            // x.com/i/oauth2/authorize (twitter.com/i/oauth2/authorize also works), token at
            // api.x.com/2/oauth2/token with HTTP Basic for confidential clients; /2/users/me
            // needs the `users.read` and `tweet.read` scopes.
            "x" => ProviderConfig {
                userinfo_url: Some(s("https://api.x.com/2/users/me")),
                scopes: scopes(&["users.read", "tweet.read"]),
                profile: ProfileMapping::x(),
                ..base(
                    "X",
                    ProtocolKind::OAuth2,
                    ClientAuth::Basic,
                    s("https://x.com/i/oauth2/authorize"),
                    s("https://api.x.com/2/oauth2/token"),
                )
            },
            // developers.facebook.com, "Manually Build a Login Flow": the dialog at
            // www.facebook.com/{version}/dialog/oauth, code exchange at
            // graph.facebook.com/{version}/oauth/access_token with the secret as a parameter.
            // Facebook accepts PKCE parameters (its "OIDC Code Flow with PKCE" guide).
            "facebook" => ProviderConfig {
                userinfo_url: Some(format!(
                    "https://graph.facebook.com/{FACEBOOK_GRAPH_VERSION}/me?fields=id,name,email"
                )),
                scopes: scopes(&["public_profile", "email"]),
                profile: ProfileMapping::facebook(),
                ..base(
                    "Facebook",
                    ProtocolKind::OAuth2,
                    ClientAuth::Post,
                    format!("https://www.facebook.com/{FACEBOOK_GRAPH_VERSION}/dialog/oauth"),
                    format!(
                        "https://graph.facebook.com/{FACEBOOK_GRAPH_VERSION}/oauth/access_token"
                    ),
                )
            },
            // Google's discovery document, accounts.google.com/.well-known/openid-configuration.
            // With `openid email profile` the ID token itself carries email, email_verified and
            // name, so no userinfo call is needed.
            "google" => ProviderConfig {
                jwks_url: Some(s("https://www.googleapis.com/oauth2/v3/certs")),
                issuer: Some(s("https://accounts.google.com")),
                scopes: scopes(&["openid", "email", "profile"]),
                ..base(
                    "Google",
                    ProtocolKind::OpenIdConnect,
                    ClientAuth::Post,
                    s("https://accounts.google.com/o/oauth2/v2/auth"),
                    s("https://oauth2.googleapis.com/token"),
                )
            },
            // developers.kakao.com, Kakao Login REST API and its OpenID Connect notes (OIDC
            // since March 2022, issuer https://kauth.kakao.com, RS256 keys at
            // kauth.kakao.com/.well-known/jwks.json). The client secret, when enabled for the
            // app, is a form parameter. The ID token has no email_verified, so the profile API
            // (kapi.kakao.com/v2/user/me) supplies `kakao_account.is_email_verified`.
            "kakao" => ProviderConfig {
                userinfo_url: Some(s("https://kapi.kakao.com/v2/user/me")),
                jwks_url: Some(s("https://kauth.kakao.com/.well-known/jwks.json")),
                issuer: Some(s("https://kauth.kakao.com")),
                scopes: scopes(&["openid", "profile_nickname", "account_email"]),
                profile: ProfileMapping::kakao(),
                ..base(
                    "Kakao",
                    ProtocolKind::OpenIdConnect,
                    ClientAuth::Post,
                    s("https://kauth.kakao.com/oauth/authorize"),
                    s("https://kauth.kakao.com/oauth/token"),
                )
            },
            // developers.naver.com, "네이버 로그인 API 명세": authorize and token under
            // nid.naver.com/oauth2.0/, the token request repeats `state` and carries the secret
            // as a parameter; profile at openapi.naver.com/v1/nid/me. Scopes are chosen in the
            // app's console, not in the request.
            "naver" => ProviderConfig {
                userinfo_url: Some(s("https://openapi.naver.com/v1/nid/me")),
                profile: ProfileMapping::naver(),
                token_request_includes_state: true,
                ..base(
                    "Naver",
                    ProtocolKind::OAuth2,
                    ClientAuth::Post,
                    s("https://nid.naver.com/oauth2.0/authorize"),
                    s("https://nid.naver.com/oauth2.0/token"),
                )
            },
            _ => return None,
        };
        Some(config)
    }

    /// A generic OpenID Connect provider (Keycloak, Authentik, ...) from its endpoints. Keycloak
    /// realms serve them under `{issuer}/protocol/openid-connect/{auth,token,certs,userinfo}`.
    pub fn openid_connect(
        name: &str,
        label: &str,
        issuer: &str,
        client_id: &str,
        client_secret: &str,
    ) -> ProviderConfig {
        let issuer = issuer.trim_end_matches('/');
        let endpoint = |p: &str| format!("{issuer}/protocol/openid-connect/{p}");
        ProviderConfig {
            name: name.into(),
            label: label.into(),
            kind: ProtocolKind::OpenIdConnect,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            client_auth: ClientAuth::Basic,
            authorize_url: endpoint("auth"),
            token_url: endpoint("token"),
            userinfo_url: None,
            jwks_url: Some(endpoint("certs")),
            issuer: Some(issuer.into()),
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            profile: ProfileMapping::openid_standard(),
            token_request_includes_state: false,
        }
    }

    /// Checks the app should run when it loads configuration: every endpoint HTTPS (plain HTTP
    /// only to the loopback host, for tests and development), and what OIDC needs present.
    pub fn validate(&self) -> Result<(), String> {
        let mut urls = vec![("authorize_url", Some(&self.authorize_url))];
        urls.push(("token_url", Some(&self.token_url)));
        urls.push(("userinfo_url", self.userinfo_url.as_ref()));
        urls.push(("jwks_url", self.jwks_url.as_ref()));
        for (key, url) in urls {
            let Some(url) = url else { continue };
            let parsed = reqwest::Url::parse(url).map_err(|e| format!("{key}: {e}"))?;
            let loopback = matches!(
                parsed.host_str(),
                Some("127.0.0.1") | Some("localhost") | Some("[::1]")
            );
            if parsed.scheme() != "https" && !(parsed.scheme() == "http" && loopback) {
                return Err(format!("{key} must be an https:// URL"));
            }
        }
        if self.client_id.is_empty() {
            return Err("client_id is empty".into());
        }
        if self.kind == ProtocolKind::OAuth2 && self.userinfo_url.is_none() {
            return Err(
                "an OAuth 2.0 provider needs userinfo_url: it is the only source of identity"
                    .into(),
            );
        }
        if self.kind == ProtocolKind::OpenIdConnect {
            if self.jwks_url.is_none() || self.issuer.is_none() {
                return Err("an OpenID Connect provider needs jwks_url and issuer".into());
            }
            if !self.scopes.iter().any(|s| s == "openid") {
                return Err("an OpenID Connect provider needs the `openid` scope".into());
            }
        }
        Ok(())
    }
}
