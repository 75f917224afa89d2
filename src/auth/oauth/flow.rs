//! The authorization code flow: [`begin`] sends the reader to the provider, [`finish`] turns the
//! callback into an [`ExternalIdentity`].
//!
//! Rules, and why:
//! - Every sign-in gets a fresh random `state`, PKCE verifier and (for OpenID Connect) `nonce`,
//!   kept server-side in [`Pending`] — never in a cookie the browser can read or choose.
//! - The callback's `state` is checked before anything else, even before an `error`: a callback
//!   that did not come from the sign-in this session started is a login-CSRF attempt (RFC 6749
//!   §10.12), whatever it says. The compare is constant-time so response timing cannot be used
//!   to guess the expected value byte by byte.
//! - A pending sign-in lives ten minutes: long enough for a reader to type a password and pass a
//!   second factor, short enough that a stale session row is useless.
//! - A pending sign-in belongs to one provider; a callback for another provider's pending state
//!   is refused (the "mix-up" attack, RFC 9700 §4.4).

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::config::{ClientAuth, ProfileMapping, ProtocolKind, ProviderConfig};
use super::error::OAuthError;
use super::http::Http;
use super::jwt::{self, Expected};
use super::pkce;
use super::userinfo::{self, Profile};

/// How long a pending sign-in may wait for its callback.
pub const PENDING_LIFETIME_SECS: i64 = 10 * 60;

/// What the server remembers between [`begin`] and [`finish`]. Serializable so the app can
/// keep it in the visitor's session row (never in a cookie: the verifier must not reach the
/// browser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: Option<String>,
    pub provider: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// The query of the redirect back to us.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Who signed in, as the provider vouches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// [`ProviderConfig::name`].
    pub provider: String,
    /// The provider's stable id for the reader; (provider, subject) is the account key.
    pub subject: String,
    pub email: Option<String>,
    /// True only when the provider says it verified the email.
    pub email_verified: bool,
    pub display_name: Option<String>,
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The authorization URL to redirect the browser to, and what to remember until the callback.
pub fn begin(provider: &ProviderConfig, redirect_uri: &str) -> (String, Pending) {
    let pending = Pending {
        state: pkce::random_token(32),
        pkce_verifier: pkce::new_verifier(),
        nonce: (provider.kind == ProtocolKind::OpenIdConnect).then(|| pkce::random_token(32)),
        provider: provider.name.clone(),
        created_at: unix_now(),
    };
    let challenge = pkce::challenge_s256(&pending.pkce_verifier);
    let scope = provider.scopes.join(" ");
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", provider.client_id.as_str()),
        ("redirect_uri", redirect_uri),
        ("state", pending.state.as_str()),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    if !scope.is_empty() {
        params.push(("scope", &scope));
    }
    if let Some(nonce) = &pending.nonce {
        params.push(("nonce", nonce));
    }
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    // The configured URL may carry its own query (a tenant, a version); ours is appended.
    let separator = if provider.authorize_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let url = format!("{}{separator}{}", provider.authorize_url, query.join("&"));
    (url, pending)
}

/// Checks the callback against `pending`, redeems the code and returns who signed in.
pub async fn finish(
    http: &Http,
    provider: &ProviderConfig,
    redirect_uri: &str,
    pending: &Pending,
    callback: &Callback,
) -> Result<ExternalIdentity, OAuthError> {
    let now = unix_now();
    let state = callback.state.as_deref().ok_or(OAuthError::MissingState)?;
    let same_state: bool = state.as_bytes().ct_eq(pending.state.as_bytes()).into();
    if !same_state || pending.provider != provider.name {
        return Err(OAuthError::StateMismatch);
    }
    let age = now - pending.created_at;
    if !(-jwt::LEEWAY_SECS..=PENDING_LIFETIME_SECS).contains(&age) {
        return Err(OAuthError::Expired);
    }
    if let Some(error) = &callback.error {
        // RFC 6749 §4.1.2.1: `access_denied` is the resource owner saying no.
        return Err(if error == "access_denied" {
            OAuthError::Cancelled
        } else {
            OAuthError::ProviderError(error.clone(), callback.error_description.clone())
        });
    }
    let code = callback
        .code
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or(OAuthError::MissingCode)?;

    let tokens = exchange_code(http, provider, redirect_uri, pending, code).await?;

    let mut identity = Profile::default();
    if provider.kind == ProtocolKind::OpenIdConnect {
        let id_token = tokens
            .id_token
            .as_deref()
            .ok_or(OAuthError::MissingClaim("id_token"))?;
        let expected = Expected {
            issuer: provider
                .issuer
                .as_deref()
                .ok_or(OAuthError::MissingClaim("issuer"))?,
            client_id: &provider.client_id,
            // Sent in every OIDC request by `begin`; a Pending without one cannot be matched.
            nonce: Some(pending.nonce.as_deref().ok_or(OAuthError::NonceMismatch)?),
            now,
        };
        let claims = jwt::verify_id_token(http, provider, id_token, &expected).await?;
        identity = userinfo::map_profile(&claims, &ProfileMapping::openid_standard());
    }
    if let Some(url) = &provider.userinfo_url {
        let doc = userinfo::fetch(http, url, &tokens.access_token).await?;
        let profile = userinfo::map_profile(&doc, &provider.profile);
        identity = merge(provider.kind, identity, profile)?;
    }
    let subject = identity
        .subject
        .ok_or(OAuthError::MissingClaim("subject"))?;
    Ok(ExternalIdentity {
        provider: provider.name.clone(),
        subject,
        email: identity.email,
        email_verified: identity.email_verified,
        display_name: identity.display_name,
    })
}

/// Combines the ID token's profile (signed, so preferred) with the userinfo profile.
fn merge(kind: ProtocolKind, signed: Profile, fetched: Profile) -> Result<Profile, OAuthError> {
    if kind == ProtocolKind::OAuth2 {
        return Ok(fetched);
    }
    // OIDC Core §5.3.4: a userinfo answer about someone else must not be used.
    if fetched.subject.is_none() || fetched.subject != signed.subject {
        return Err(OAuthError::Userinfo(
            "userinfo subject does not match the ID token".into(),
        ));
    }
    let (email, email_verified) = match signed.email {
        Some(email) => (Some(email), signed.email_verified),
        None => (fetched.email, fetched.email_verified),
    };
    Ok(Profile {
        subject: signed.subject,
        email,
        email_verified,
        display_name: signed.display_name.or(fetched.display_name),
    })
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    id_token: Option<String>,
    error: Option<String>,
}

struct Tokens {
    access_token: String,
    id_token: Option<String>,
}

/// The token request (RFC 6749 §4.1.3 with the PKCE verifier, RFC 7636 §4.5).
async fn exchange_code(
    http: &Http,
    provider: &ProviderConfig,
    redirect_uri: &str,
    pending: &Pending,
    code: &str,
) -> Result<Tokens, OAuthError> {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", pending.pkce_verifier.as_str()),
        // Sent with Basic too: X's documented token request carries it in the body as well,
        // and RFC 6749 allows it.
        ("client_id", provider.client_id.as_str()),
    ];
    if provider.client_auth == ClientAuth::Post {
        form.push(("client_secret", provider.client_secret.as_str()));
    }
    if provider.token_request_includes_state {
        form.push(("state", pending.state.as_str()));
    }
    let mut request = http
        .client
        .post(&provider.token_url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form);
    if provider.client_auth == ClientAuth::Basic {
        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding.
        request = request.basic_auth(
            encode(&provider.client_id),
            Some(encode(&provider.client_secret)),
        );
    }
    let response = request.send().await.map_err(OAuthError::network)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(OAuthError::network)?;
    let parsed: Option<TokenResponse> = serde_json::from_slice(&body).ok();
    let Some(parsed) = parsed else {
        let start = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
        return Err(if (200..300).contains(&status) {
            OAuthError::Malformed(format!("token response is not JSON: {start}"))
        } else {
            OAuthError::TokenExchange(status, start)
        });
    };
    // Naver reports errors with HTTP 200 and an `error` field.
    if !(200..300).contains(&status) || parsed.error.is_some() {
        return Err(OAuthError::TokenExchange(
            status,
            parsed.error.unwrap_or_default(),
        ));
    }
    if let Some(kind) = &parsed.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(OAuthError::Malformed(format!("token_type {kind}")));
    }
    Ok(Tokens {
        access_token: parsed
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or(OAuthError::MissingClaim("access_token"))?,
        id_token: parsed.id_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_carries_every_parameter() {
        let mut google = ProviderConfig::known("google", "id 1", "secret").unwrap();
        google.authorize_url = "https://idp.example/auth?tenant=a".into();
        let (url, pending) = begin(&google, "https://news.example/cb?x=1");
        let url = reqwest::Url::parse(&url).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["tenant"], "a");
        assert_eq!(q["client_id"], "id 1");
        assert_eq!(q["redirect_uri"], "https://news.example/cb?x=1");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["scope"], "openid email profile");
        assert_eq!(q["state"], pending.state);
        assert_eq!(q["nonce"], *pending.nonce.as_ref().unwrap());
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(
            q["code_challenge"],
            pkce::challenge_s256(&pending.pkce_verifier)
        );
        let naver = ProviderConfig::known("naver", "id", "s").unwrap();
        let (url, pending) = begin(&naver, "https://news.example/cb");
        assert!(pending.nonce.is_none());
        assert!(!url.contains("scope=") && !url.contains("nonce="));
    }

    #[test]
    fn known_providers_validate() {
        for name in ["x", "facebook", "google", "kakao", "naver"] {
            let p = ProviderConfig::known(name, "id", "secret").unwrap();
            assert_eq!(p.validate(), Ok(()), "{name}");
        }
        assert!(ProviderConfig::known("myspace", "id", "secret").is_none());
        let mut p = ProviderConfig::known("google", "id", "s").unwrap();
        p.token_url = "http://oauth2.googleapis.com/token".into();
        assert!(p.validate().is_err());
        p.token_url = "http://127.0.0.1:9/token".into();
        assert!(p.validate().is_ok());
    }
}
