//! The purge webhook: tells a CDN (or a relay in front of one) which surrogate keys to purge,
//! so pages cached at the edge go when the node's own copies do.
//!
//! It POSTs `{"keys": ["story:12", ...]}` (or `{"all": true}` when everything goes) to the
//! configured URL, in the background and at most a few seconds per call: a slow CDN must
//! never hold up the change feed. A failed call is logged; the CDN's own short lifetime
//! (`s-maxage`) bounds how stale an edge copy can get.

use serde_json::json;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct PurgeHook {
    url: String,
    client: reqwest::Client,
}

impl PurgeHook {
    pub fn new(url: &str) -> PurgeHook {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a client without TLS always builds");
        PurgeHook {
            url: url.to_string(),
            client,
        }
    }

    /// Ask for these keys to be purged.
    pub fn keys(&self, keys: Vec<String>) {
        self.send(json!({ "keys": keys }));
    }

    /// Ask for everything to be purged.
    pub fn all(&self) {
        self.send(json!({ "all": true }));
    }

    fn send(&self, body: serde_json::Value) {
        let request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body.to_string());
        let url = self.url.clone();
        tokio::spawn(async move {
            match request.send().await {
                Ok(response) if response.status().is_success() => {}
                Ok(response) => {
                    tracing::warn!("purge webhook {url} answered {}", response.status())
                }
                Err(e) => tracing::warn!("purge webhook {url} failed: {e}"),
            }
        });
    }
}
