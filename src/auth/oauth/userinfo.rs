//! The provider's profile API, and reading a reader's id, email and name out of any JSON shape.
//!
//! Each provider nests its profile differently (X under `data`, Naver under `response`, Kakao
//! in `kakao_account.profile`); a [`ProfileMapping`] names the paths, so adding a provider is
//! configuration, not code.

use serde_json::Value;

use super::config::{EmailVerified, ProfileMapping};
use super::error::OAuthError;
use super::http::Http;

/// What a mapping read from one JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Profile {
    pub subject: Option<String>,
    pub email: Option<String>,
    pub email_verified: bool,
    pub display_name: Option<String>,
}

/// `GET` the userinfo endpoint with the access token as a Bearer credential (RFC 6750 §2.1).
pub(crate) async fn fetch(http: &Http, url: &str, access_token: &str) -> Result<Value, OAuthError> {
    let response = http
        .client
        .get(url)
        .bearer_auth(access_token)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(OAuthError::network)?;
    let status = response.status();
    if !status.is_success() {
        return Err(OAuthError::Userinfo(format!("HTTP {status}")));
    }
    let body = response.bytes().await.map_err(OAuthError::network)?;
    serde_json::from_slice(&body).map_err(|e| OAuthError::Userinfo(format!("not JSON: {e}")))
}

/// The value at a dot-separated path.
fn at<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(doc, |v, key| v.get(key))
}

/// A non-empty string at `path`; numbers become their decimal text (Kakao's numeric `id`).
fn text(doc: &Value, path: &str) -> Option<String> {
    match at(doc, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Applies `mapping` to `doc`.
pub(crate) fn map_profile(doc: &Value, mapping: &ProfileMapping) -> Profile {
    let email = mapping.email.as_deref().and_then(|p| text(doc, p));
    let email_verified = email.is_some()
        && match &mapping.email_verified {
            // Some providers send the boolean as a string.
            EmailVerified::Claim(path) => match at(doc, path) {
                Some(Value::Bool(b)) => *b,
                // Some providers send the boolean as a string.
                Some(Value::String(s)) => s == "true",
                _ => false,
            },
            EmailVerified::Unverified => false,
        };
    Profile {
        subject: text(doc, &mapping.subject),
        email,
        email_verified,
        display_name: mapping.display_name.iter().find_map(|p| text(doc, p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn provider_shapes() {
        let x = json!({"data": {"id": "2244994945", "name": "Dev", "username": "dev"}});
        let p = map_profile(&x, &ProfileMapping::x());
        assert_eq!(p.subject.as_deref(), Some("2244994945"));
        assert_eq!(p.display_name.as_deref(), Some("Dev"));
        assert_eq!(p.email, None);

        let kakao = json!({"id": 123456789, "kakao_account": {"email": "a@kakao.com",
            "is_email_verified": true, "profile": {"nickname": "홍길동"}}});
        let p = map_profile(&kakao, &ProfileMapping::kakao());
        assert_eq!(p.subject.as_deref(), Some("123456789"));
        assert_eq!(p.email.as_deref(), Some("a@kakao.com"));
        assert!(p.email_verified);
        assert_eq!(p.display_name.as_deref(), Some("홍길동"));

        let oidc = json!({"sub": "s", "email": "e@x", "email_verified": "true", "name": " "});
        let p = map_profile(&oidc, &ProfileMapping::openid_standard());
        assert!(p.email_verified);
        assert_eq!(p.display_name, None);

        let unverified = json!({"sub": "s", "email": "e@x", "email_verified": false});
        assert!(!map_profile(&unverified, &ProfileMapping::openid_standard()).email_verified);
    }
}
