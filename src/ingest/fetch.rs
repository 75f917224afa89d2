//! Fetching a feed over HTTP(S).
//!
//! - TLS is rustls on ring with Mozilla's roots compiled in, handed to reqwest directly as
//!   the sign-in client does (`auth::oauth::http`), so https feeds work on any host.
//! - 20 s for the whole exchange: a slow agency must not stall a `--watch` round for the
//!   others.
//! - 10 MB at most, checked while reading rather than trusting `Content-Length`: a feed is
//!   text, and a server sending more is broken or hostile.
//! - Up to 5 redirects: feeds move (http to https, a new host), and a GET carries no secret.

use std::sync::Arc;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(20);
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Why a feed could not be fetched; shown after the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot fetch it: {0}")]
    Network(String),
    #[error("the server answered {0}")]
    Status(reqwest::StatusCode),
    #[error("it is larger than {} MB", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("it is not UTF-8 text")]
    NotUtf8,
}

/// One client for a whole run (and every `--watch` round): connections are pooled.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    pub fn new() -> Result<Fetcher, FetchError> {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| FetchError::Network(format!("TLS setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::limited(5))
            .user_agent(concat!("broadsheet-ingest/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher { client })
    }

    /// The body of `url` as text.
    pub async fn text(&self, url: &str) -> Result<String, FetchError> {
        let network = |e: reqwest::Error| FetchError::Network(e.to_string());
        let mut response = self.client.get(url).send().await.map_err(network)?;
        if !response.status().is_success() {
            return Err(FetchError::Status(response.status()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BYTES as u64)
        {
            return Err(FetchError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            if body.len() + chunk.len() > MAX_BYTES {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|_| FetchError::NotUtf8)
    }
}
