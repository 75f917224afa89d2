//! API tokens: made by admins (command line or `/newsroom/tokens`), shown once, kept as a
//! SHA-256 only.
//!
//! A token is `bsk_` and 64 hex digits (256 random bits); the prefix lets secret scanners
//! and people recognise one in a log or a repository. Whoever presents it acts as the admin
//! who made it, as that account is at the time of the request: a deleted account's tokens
//! stop working, and so do those of an admin who is one no longer.

use crate::auth::token;
use broadsheet_domain::{Role, User, ValidationError};
use broadsheet_store::{ApiScope, ApiToken, Store, StoreError};
use jiff::{SignedDuration, Timestamp};

pub const PREFIX: &str = "bsk_";

/// Recording every request would make each API read a write; once a minute is plenty to
/// tell a token in use from a forgotten one.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// Make a token for `maker`, who must be an admin; returns it with its secret, which is
/// never available again.
pub async fn make(
    store: &Store,
    maker: &User,
    name: &str,
    scope: ApiScope,
) -> Result<(ApiToken, String), StoreError> {
    if maker.role != Role::Admin {
        return Err(ValidationError::new(
            "user",
            format!(
                "{} is {}, not an admin; only admins make API tokens",
                maker.email.as_deref().unwrap_or(&maker.display_name),
                maker.role
            ),
        )
        .into());
    }
    let secret = format!("{PREFIX}{}", token::random());
    let made = store
        .create_api_token(&token::digest(&secret), name, scope, maker.id)
        .await?;
    Ok((made, secret))
}

/// Why a presented token does not let its bearer in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a token this site made, or revoked.
    Unknown,
    /// Its account was deleted.
    OwnerGone,
    /// Its account is no longer an admin.
    OwnerDemoted(Role),
}

/// The live token `secret` names and the account it acts as.
pub async fn authenticate(
    store: &Store,
    secret: &str,
) -> Result<Result<(ApiToken, User), Refusal>, StoreError> {
    // Anything shaped otherwise cannot be ours; no need to ask the store.
    let well_formed = secret
        .strip_prefix(PREFIX)
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Ok(Err(Refusal::Unknown));
    }
    let Some(found) = store.api_token_by_hash(&token::digest(secret)).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    let Some(user) = store.user(found.user_id).await? else {
        return Ok(Err(Refusal::OwnerGone));
    };
    if user.role != Role::Admin {
        return Ok(Err(Refusal::OwnerDemoted(user.role)));
    }
    let now = Timestamp::now();
    if found
        .last_used_at
        .is_none_or(|at| now.duration_since(at) > TOUCH_EVERY)
    {
        // Bookkeeping: a failure to note the use must not refuse the request.
        if let Err(e) = store.touch_api_token(found.id, now).await {
            tracing::warn!(token = found.id, "could not record an API token's use: {e}");
        }
    }
    Ok(Ok((found, user)))
}
