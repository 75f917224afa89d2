//! Accounts: registering with an e-mail address, signing in with a password (throttled),
//! and the command line's account management.

use crate::auth::{password, throttle};
use crate::web::error::WebError;
use broadsheet_domain::account::{check_password, normalize_display_name, normalize_email};
use broadsheet_domain::{Role, User, UserId};
use broadsheet_store::{NewUser, Store, StoreError};

/// Create an account with a password; the rules of the domain apply and name the field.
pub async fn register(
    store: &Store,
    email: &str,
    display_name: &str,
    password_text: &str,
    role: Role,
) -> Result<User, StoreError> {
    let email = normalize_email(email)?;
    let display_name = normalize_display_name(display_name)?;
    check_password(password_text, &email)?;
    let hash = password::hash(password_text.to_string())
        .await
        .map_err(|e| StoreError::Corrupt(format!("hashing a password failed: {e}")))?;
    store
        .create_user(&NewUser {
            email: Some(email),
            display_name,
            password_hash: Some(hash),
            role,
        })
        .await
}

/// Check an e-mail address and password. Failures are counted per address and per account;
/// past the limit the answer is 429 whatever the password, so guessing gains nothing. The
/// refusal never says whether the address has an account.
pub async fn authenticate(
    store: &Store,
    email: &str,
    password_text: &str,
    client: &str,
) -> Result<User, WebError> {
    let email = normalize_email(email).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let address_key = format!("ip:{client}");
    throttle::SIGN_IN_PER_ADDRESS
        .check(store, &address_key, "failed sign-ins from your network")
        .await?;
    throttle::SIGN_IN_PER_ACCOUNT
        .check(store, &email, "failed sign-ins to this account")
        .await?;
    let found = store.credentials(&email).await?;
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    if password::verify(password_text.to_string(), hash).await
        && let Some(user) = user
    {
        throttle::SIGN_IN_PER_ACCOUNT.clear(store, &email).await?;
        return Ok(user);
    }
    throttle::SIGN_IN_PER_ADDRESS
        .record(store, &address_key)
        .await?;
    throttle::SIGN_IN_PER_ACCOUNT.record(store, &email).await?;
    Err(WebError::Forbidden(
        "That e-mail address and password do not match an account.".into(),
    ))
}

/// Change a password after checking the rules against the account's address.
pub async fn set_password(
    store: &Store,
    user: &User,
    password_text: &str,
) -> Result<(), StoreError> {
    check_password(password_text, user.email.as_deref().unwrap_or(""))?;
    let hash = password::hash(password_text.to_string())
        .await
        .map_err(|e| StoreError::Corrupt(format!("hashing a password failed: {e}")))?;
    store.set_password_hash(user.id, &hash).await
}

/// Find an account by e-mail address or numeric id (the command line takes either).
pub async fn find(store: &Store, who: &str) -> Result<User, StoreError> {
    let found = match who.parse::<i64>() {
        Ok(id) => store.user(UserId(id)).await?,
        Err(_) => store.user_by_email(&normalize_email(who)?).await?,
    };
    found.ok_or_else(|| StoreError::NotFound(format!("the account {who}")))
}
