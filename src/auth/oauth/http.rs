//! The HTTP client the protocol uses, built once by the app and shared.
//!
//! - TLS is rustls on the ring provider with Mozilla's roots compiled in (webpki-roots): the
//!   same trust on every host, and no aws-lc-sys to build. The config is handed to reqwest
//!   directly rather than installed as a process-wide default provider, so nothing else in the
//!   program is affected.
//! - Caveat for the app: Cargo unifies features, so once this module turns on reqwest's
//!   `rustls-no-provider`, *every* `reqwest::Client` in the program is built with rustls, and
//!   one built without its own TLS config (the purge webhook's client, test clients) panics
//!   unless a process default exists. [`install_crypto_provider`] installs ring as that default;
//!   `cli::main`, `App::start` and the test harness call it before any client is built. This
//!   module's own client does not need it.
//! - 10 s timeout: a provider that hangs must not hold a reader's request for long.
//! - No redirects: a token or userinfo endpoint that redirects is misconfigured, and following
//!   it would resend the request (code, verifier, secret, bearer token) elsewhere.

use std::sync::Arc;
use std::time::Duration;

use super::error::OAuthError;
use super::jwks::JwksCache;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Makes ring the process-wide rustls crypto provider, once; later calls do nothing. Every
/// `reqwest::Client` built without a TLS config of its own needs one (see the module doc).
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err means another provider was installed first (by a library, say); any provider
        // serves the plain-HTTP clients that need one.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Shared client: connection pool plus the JWKS cache. Cheap to clone.
#[derive(Clone)]
pub struct Http {
    pub(crate) client: reqwest::Client,
    pub(crate) jwks: Arc<JwksCache>,
}

impl Http {
    /// The production client.
    pub fn new() -> Result<Http, OAuthError> {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| OAuthError::Network(format!("TLS setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("broadsheet-oauth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(OAuthError::network)?;
        Ok(Http {
            client,
            jwks: Arc::new(JwksCache::default()),
        })
    }
}
