//! JSON Web Key Sets (RFC 7517): parsing a provider's published signing keys, and caching them.
//!
//! Cache rules, and why:
//! - Keys are cached per JWKS URL, so each provider costs one fetch, not one per sign-in.
//! - A cached set is used for an hour, then fetched again on the next sign-in: providers rotate
//!   keys and retire old ones, and an hour bounds how long a withdrawn key is trusted.
//! - An ID token whose `kid` is not in the cached set triggers one early refetch (the provider
//!   has rotated), but at most once a minute per provider: the `kid` is chosen by whoever sent
//!   the token, and an attacker must not be able to make us hammer the provider.
//! - If a refetch fails but older keys exist, the older keys are used: a provider's brief outage
//!   should not sign everyone out of signing in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::error::OAuthError;

const MAX_AGE: Duration = Duration::from_secs(60 * 60);
const MIN_FORCED_REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// The public half of a signing key, in the form ring verifies with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyMaterial {
    /// Big-endian modulus and exponent without leading zeros.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// An uncompressed P-256 point: 0x04 || x || y.
    P256 { point: Vec<u8> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    pub kid: Option<String>,
    /// The `alg` the key is restricted to, when the JWK says.
    pub alg: Option<String>,
    pub material: KeyMaterial,
}

#[derive(Deserialize)]
struct JwkSetDoc {
    keys: Vec<JwkDoc>,
}

#[derive(Deserialize)]
struct JwkDoc {
    kty: String,
    kid: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    alg: Option<String>,
    n: Option<String>,
    e: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

fn b64(field: &Option<String>) -> Option<Vec<u8>> {
    super::jwt::b64url_decode(field.as_deref()?)
}

fn strip_leading_zeros(mut v: Vec<u8>) -> Vec<u8> {
    let zeros = v.iter().take_while(|b| **b == 0).count();
    v.drain(..zeros);
    v
}

/// The usable signing keys in a JWKS document. Keys of other types, encryption keys and
/// malformed entries are skipped rather than failing the set: one odd key must not lock every
/// reader out.
pub(crate) fn parse_jwks(body: &[u8]) -> Result<Vec<Key>, OAuthError> {
    let doc: JwkSetDoc = serde_json::from_slice(body)
        .map_err(|e| OAuthError::Malformed(format!("JWKS is not a key set: {e}")))?;
    let keys = doc
        .keys
        .into_iter()
        .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
        .filter_map(|k| {
            let material = match k.kty.as_str() {
                "RSA" => KeyMaterial::Rsa {
                    n: strip_leading_zeros(b64(&k.n)?),
                    e: strip_leading_zeros(b64(&k.e)?),
                },
                "EC" if k.crv.as_deref() == Some("P-256") => {
                    let (x, y) = (b64(&k.x)?, b64(&k.y)?);
                    if x.len() != 32 || y.len() != 32 {
                        return None;
                    }
                    let mut point = Vec::with_capacity(65);
                    point.push(0x04);
                    point.extend_from_slice(&x);
                    point.extend_from_slice(&y);
                    KeyMaterial::P256 { point }
                }
                _ => return None,
            };
            Some(Key {
                kid: k.kid,
                alg: k.alg,
                material,
            })
        })
        .collect();
    Ok(keys)
}

#[derive(Default)]
struct Entry {
    keys: Arc<Vec<Key>>,
    fetched_at: Option<Instant>,
    last_forced: Option<Instant>,
}

/// Per-URL key sets. The outer lock is held only to find an entry; each entry has its own async
/// lock, held across its fetch so that concurrent sign-ins wait for one fetch instead of each
/// starting their own, and a slow provider does not stall the others.
#[derive(Default)]
pub(crate) struct JwksCache {
    entries: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Entry>>>>,
}

impl JwksCache {
    /// The keys to verify a token with header `kid`, fetching or refetching as the rules say.
    pub(crate) async fn keys(
        &self,
        client: &reqwest::Client,
        url: &str,
        kid: Option<&str>,
    ) -> Result<Arc<Vec<Key>>, OAuthError> {
        let entry = {
            let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(url.to_string()).or_default().clone()
        };
        let mut entry = entry.lock().await;
        let now = Instant::now();
        let stale = entry
            .fetched_at
            .is_none_or(|at| now.duration_since(at) >= MAX_AGE);
        let unknown_kid =
            kid.is_some_and(|kid| !entry.keys.iter().any(|k| k.kid.as_deref() == Some(kid)));
        let may_force = entry
            .last_forced
            .is_none_or(|at| now.duration_since(at) >= MIN_FORCED_REFRESH_INTERVAL);
        if stale || (unknown_kid && may_force) {
            if !stale {
                entry.last_forced = Some(now);
            }
            match fetch(client, url).await {
                Ok(keys) => {
                    entry.keys = Arc::new(keys);
                    entry.fetched_at = Some(now);
                }
                Err(e) if entry.keys.is_empty() => return Err(e),
                Err(_) => {}
            }
        }
        Ok(entry.keys.clone())
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<Key>, OAuthError> {
    let response = client
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(OAuthError::network)?;
    let status = response.status();
    if !status.is_success() {
        return Err(OAuthError::Malformed(format!(
            "JWKS answered HTTP {status}"
        )));
    }
    let body = response.bytes().await.map_err(OAuthError::network)?;
    parse_jwks(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_encryption_and_unknown_keys_and_reads_rsa_and_ec() {
        let doc = br#"{"keys":[
            {"kty":"RSA","kid":"a","use":"sig","alg":"RS256","n":"AAEC","e":"AQAB"},
            {"kty":"RSA","kid":"enc","use":"enc","n":"AQI","e":"AQAB"},
            {"kty":"OKP","kid":"ed","crv":"Ed25519","x":"AAAA"},
            {"kty":"EC","kid":"p","crv":"P-256",
             "x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
             "y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}
        ]}"#;
        let keys = parse_jwks(doc).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys[0].material,
            KeyMaterial::Rsa {
                n: vec![1, 2],
                e: vec![1, 0, 1]
            }
        );
        assert!(matches!(&keys[1].material, KeyMaterial::P256 { point } if point.len() == 65));
    }

    #[test]
    fn a_document_without_keys_is_malformed() {
        assert!(matches!(
            parse_jwks(b"{\"nope\":1}"),
            Err(OAuthError::Malformed(_))
        ));
    }
}
