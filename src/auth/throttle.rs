//! Sliding-window limits kept in the store, shared by every node: sign-in failures per
//! address and per account, comments per account and per address.

use crate::web::error::WebError;
use broadsheet_store::{Store, StoreError};
use jiff::{SignedDuration, Timestamp};

/// At most `max` actions per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bucket: &'static str,
    pub max: i64,
    pub window: SignedDuration,
}

/// Failed sign-ins per e-mail address: slows guessing one account's password.
pub const SIGN_IN_PER_ACCOUNT: Limit = Limit {
    bucket: "signin-account",
    max: 5,
    window: SignedDuration::from_mins(15),
};
/// Failed sign-ins per IP address: slows one machine trying many accounts.
pub const SIGN_IN_PER_ADDRESS: Limit = Limit {
    bucket: "signin-address",
    max: 20,
    window: SignedDuration::from_mins(15),
};

impl Limit {
    /// Refuse with 429 if `key` has used up the window; otherwise say nothing.
    pub async fn check(&self, store: &Store, key: &str, what: &str) -> Result<(), WebError> {
        let now = Timestamp::now();
        let (count, oldest) = store
            .throttle_count(self.bucket, key, now - self.window)
            .await?;
        if count < self.max {
            return Ok(());
        }
        let retry_after = oldest
            .map(|t| (t + self.window).duration_since(now).as_secs().max(1))
            .unwrap_or(self.window.as_secs());
        Err(WebError::TooManyRequests {
            message: format!(
                "Too many {what} in a short time. Please wait {} and try again.",
                wait_words(retry_after)
            ),
            retry_after: retry_after as u64,
        })
    }

    pub async fn record(&self, store: &Store, key: &str) -> Result<(), StoreError> {
        store.record_throttle_event(self.bucket, key).await
    }

    pub async fn clear(&self, store: &Store, key: &str) -> Result<(), StoreError> {
        store.clear_throttle(self.bucket, key).await
    }
}

fn wait_words(secs: i64) -> String {
    if secs < 60 {
        format!("{secs} second{}", if secs == 1 { "" } else { "s" })
    } else {
        let mins = (secs + 59) / 60;
        format!("{mins} minute{}", if mins == 1 { "" } else { "s" })
    }
}
