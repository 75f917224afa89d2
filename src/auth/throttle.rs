//! Sliding-window limits kept in the store, shared by every node: sign-in failures per
//! address and per account, comments per account and per address.
//!
//! A limit on a write is handed to the store as a `Throttle` and counted in that write's
//! transaction (comments); `check` and `record` are for limits on attempts that write
//! nothing else (failed sign-ins).

use crate::web::error::WebError;
use broadsheet_store::{Store, StoreError, Throttle};
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
    /// This limit on one key, for the store to check and count in a write's transaction.
    pub fn on<'a>(&self, key: &'a str) -> Throttle<'a> {
        Throttle {
            bucket: self.bucket,
            key,
            max: self.max,
            window: self.window,
        }
    }

    /// Refuse with 429 if `key` has used up the window; otherwise say nothing.
    pub async fn check(&self, store: &Store, key: &str, what: &str) -> Result<(), WebError> {
        let now = Timestamp::now();
        let (count, oldest) = store
            .throttle_count(self.bucket, key, now - self.window)
            .await?;
        if count < self.max {
            return Ok(());
        }
        Err(too_many(what, oldest.unwrap_or(now) + self.window))
    }

    pub async fn record(&self, store: &Store, key: &str) -> Result<(), StoreError> {
        store.record_throttle_event(self.bucket, key).await
    }

    pub async fn clear(&self, store: &Store, key: &str) -> Result<(), StoreError> {
        store.clear_throttle(self.bucket, key).await
    }
}

/// The 429 for `what` ("comments", "failed sign-ins to this account") that may be tried
/// again at `retry_at`.
pub fn too_many(what: &str, retry_at: Timestamp) -> WebError {
    let retry_after = retry_at.duration_since(Timestamp::now()).as_secs().max(1);
    WebError::TooManyRequests {
        message: format!(
            "Too many {what} in a short time. Please wait {} and try again.",
            wait_words(retry_after)
        ),
        retry_after: retry_after as u64,
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
