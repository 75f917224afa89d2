//! ID token verification (OpenID Connect Core §3.1.3.7, JWS RFC 7515, JWT RFC 7519).
//!
//! Rules, and why:
//! - Only RS256 and ES256 are accepted, and the key must be of the matching type. The algorithm
//!   is named by the token itself, so an open list would let a forger pick `none` or HS256
//!   keyed with a public key.
//! - Signature first: no claim of an unverified token is looked at.
//! - `iss` must equal the configured issuer exactly; `aud` must contain our client id; when
//!   there are several audiences, or `azp` is present, `azp` must be our client id (a token
//!   minted for another client of the same provider is not a sign-in to us).
//! - `exp` must be in the future and `iat` not in the future, each with a minute of leeway for
//!   clock skew; an `iat` more than a day old is refused too.
//! - `nonce` must equal the one we put in the authorization request: it binds the token to this
//!   sign-in, so a token captured from another sign-in cannot be replayed into ours.
//!
//! Verification uses ring directly (already in the build for TLS) rather than a JWT crate: the
//! subset an ID token needs is small, and every check is visible here.

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize;
use serde_json::Value;

use super::config::ProviderConfig;
use super::error::OAuthError;
use super::http::Http;
use super::jwks::{Key, KeyMaterial};

/// Clock skew tolerated on `exp` and `iat`.
pub(crate) const LEEWAY_SECS: i64 = 60;
/// The oldest `iat` accepted.
const MAX_AGE_SECS: i64 = 24 * 60 * 60;

/// base64url as JWS uses it: no padding, though padded input is tolerated.
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub(crate) fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    B64URL.decode(s).ok()
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    // Extensions the token says we must understand; we understand none.
    crit: Option<Value>,
}

/// What a verified token must say.
pub(crate) struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: Option<&'a str>,
    pub now: i64,
}

/// Verifies `token` for `provider` and returns its claims.
pub(crate) async fn verify_id_token(
    http: &Http,
    provider: &ProviderConfig,
    token: &str,
    expected: &Expected<'_>,
) -> Result<Value, OAuthError> {
    let jwks_url = provider
        .jwks_url
        .as_deref()
        .ok_or(OAuthError::MissingClaim("jwks_url"))?;
    let parts = Parts::split(token)?;
    let keys = http
        .jwks
        .keys(&http.client, jwks_url, parts.header.kid.as_deref())
        .await?;
    if !verify_signature(&parts, &keys) {
        return Err(OAuthError::BadSignature);
    }
    let claims: Value =
        serde_json::from_slice(&parts.payload).map_err(|_| OAuthError::BadSignature)?;
    check_claims(&claims, expected)?;
    Ok(claims)
}

/// A compact JWS taken apart.
pub(crate) struct Parts<'a> {
    header: Header,
    signing_input: &'a [u8],
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl<'a> Parts<'a> {
    /// Anything that is not three base64url parts with a JSON header is a token we cannot
    /// verify, hence `BadSignature`.
    pub(crate) fn split(token: &'a str) -> Result<Self, OAuthError> {
        let mut it = token.split('.');
        let (Some(h), Some(p), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(OAuthError::BadSignature);
        };
        let header: Header = b64url_decode(h)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(OAuthError::BadSignature)?;
        if header.crit.is_some() {
            return Err(OAuthError::BadSignature);
        }
        Ok(Parts {
            header,
            signing_input: &token.as_bytes()[..h.len() + 1 + p.len()],
            payload: b64url_decode(p).ok_or(OAuthError::BadSignature)?,
            signature: b64url_decode(s).ok_or(OAuthError::BadSignature)?,
        })
    }
}

/// True when some published key of the token's algorithm (and `kid`, when it names one)
/// verifies the signature.
fn verify_signature(parts: &Parts<'_>, keys: &[Key]) -> bool {
    let alg = parts.header.alg.as_str();
    keys.iter()
        .filter(|k| match &parts.header.kid {
            Some(kid) => k.kid.as_deref() == Some(kid),
            None => true,
        })
        .filter(|k| k.alg.as_deref().is_none_or(|a| a == alg))
        .any(|k| match (&k.material, alg) {
            (KeyMaterial::Rsa { n, e }, "RS256") => RsaPublicKeyComponents { n, e }
                .verify(
                    &signature::RSA_PKCS1_2048_8192_SHA256,
                    parts.signing_input,
                    &parts.signature,
                )
                .is_ok(),
            (KeyMaterial::P256 { point }, "ES256") => {
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(parts.signing_input, &parts.signature)
                    .is_ok()
            }
            _ => false,
        })
}

/// The claim checks, in the order OIDC Core §3.1.3.7 lists them.
pub(crate) fn check_claims(claims: &Value, expected: &Expected<'_>) -> Result<(), OAuthError> {
    if claims["iss"].as_str() != Some(expected.issuer) {
        return Err(OAuthError::WrongIssuer);
    }
    let audiences: Vec<&str> = match &claims["aud"] {
        Value::String(a) => vec![a.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => return Err(OAuthError::WrongAudience),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(OAuthError::WrongAudience);
    }
    match claims.get("azp").and_then(Value::as_str) {
        Some(azp) if azp != expected.client_id => return Err(OAuthError::WrongAudience),
        None if audiences.len() > 1 => return Err(OAuthError::WrongAudience),
        _ => {}
    }
    let exp = claims["exp"]
        .as_i64()
        .ok_or(OAuthError::MissingClaim("exp"))?;
    if expected.now > exp + LEEWAY_SECS {
        return Err(OAuthError::TokenExpired);
    }
    let iat = claims["iat"]
        .as_i64()
        .ok_or(OAuthError::MissingClaim("iat"))?;
    if iat > expected.now + LEEWAY_SECS || iat < expected.now - MAX_AGE_SECS {
        return Err(OAuthError::TokenExpired);
    }
    if let Some(nonce) = expected.nonce {
        // Not secret once the browser has seen the authorization URL, so a plain compare.
        if claims["nonce"].as_str() != Some(nonce) {
            return Err(OAuthError::NonceMismatch);
        }
    }
    match claims["sub"].as_str() {
        Some(sub) if !sub.is_empty() => Ok(()),
        _ => Err(OAuthError::MissingClaim("sub")),
    }
}

/// Only for tests of this module: encode a JSON value as a JWS part.
#[cfg(test)]
fn part(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expected(now: i64) -> Expected<'static> {
        Expected {
            issuer: "https://issuer.example",
            client_id: "client",
            nonce: Some("n-1"),
            now,
        }
    }

    fn good(now: i64) -> Value {
        json!({"iss": "https://issuer.example", "aud": "client", "sub": "42",
               "exp": now + 300, "iat": now, "nonce": "n-1"})
    }

    fn with(now: i64, key: &str, value: Value) -> Value {
        let mut c = good(now);
        c[key] = value;
        c
    }

    #[test]
    fn claim_rules() {
        let now = 1_800_000_000;
        let e = expected(now);
        assert!(check_claims(&good(now), &e).is_ok());
        let cases = [
            (with(now, "iss", json!("https://other")), "wrong_issuer"),
            (with(now, "aud", json!("other")), "wrong_audience"),
            (
                with(now, "aud", json!(["client", "other"])),
                "wrong_audience",
            ),
            (with(now, "azp", json!("other")), "wrong_audience"),
            (with(now, "exp", json!(now - 61)), "token_expired"),
            (with(now, "iat", json!(now + 120)), "token_expired"),
            (with(now, "iat", json!(now - 90_000)), "token_expired"),
            (with(now, "nonce", json!("n-2")), "nonce_mismatch"),
            (with(now, "nonce", Value::Null), "nonce_mismatch"),
            (with(now, "sub", json!("")), "missing_claim"),
        ];
        for (claims, code) in cases {
            let got = check_claims(&claims, &e).err().map(|e| e.code());
            assert_eq!(got, Some(code), "{claims}");
        }
        // Several audiences are fine when azp names us; exp within the leeway is fine.
        let mut multi = with(now, "aud", json!(["client", "other"]));
        multi["azp"] = json!("client");
        assert!(check_claims(&multi, &e).is_ok());
        assert!(check_claims(&with(now, "exp", json!(now - 30)), &e).is_ok());
    }

    #[test]
    fn refuses_alg_none_and_unknown_crit() {
        let none = format!("{}.{}.", part(&json!({"alg": "none"})), part(&good(0)));
        let parts = Parts::split(&none).unwrap();
        let key = Key {
            kid: None,
            alg: None,
            material: KeyMaterial::Rsa {
                n: vec![1],
                e: vec![3],
            },
        };
        assert!(!verify_signature(&parts, &[key]));
        let crit = format!(
            "{}.{}.AA",
            part(&json!({"alg": "RS256", "crit": ["exp"]})),
            part(&good(0))
        );
        assert!(matches!(Parts::split(&crit), Err(OAuthError::BadSignature)));
        assert!(matches!(Parts::split("a.b"), Err(OAuthError::BadSignature)));
    }
}
