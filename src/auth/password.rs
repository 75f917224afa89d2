//! Password hashes: argon2id with the library's recommended cost, computed on the blocking
//! pool (a hash takes tens of milliseconds; on an async thread it would stall other requests).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hash a password for storing.
pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password_with_salt(password.as_bytes(), &salt())
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Whether `password` matches `stored`. With no stored hash (no such account, or one that
/// signs in through providers only) a dummy hash is checked anyway, so the answer takes as
/// long as for a real account and does not reveal which addresses have accounts.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy().to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && real
    })
    .await
    .unwrap_or(false)
}

fn salt() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
}

/// A hash of a random password, made once per process.
fn dummy() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password_with_salt(super::token::random().as_bytes(), &salt())
            .expect("hash")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let stored = super::hash("a long passphrase".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(super::verify("a long passphrase".into(), Some(stored.clone())).await);
        assert!(!super::verify("a long passphrasE".into(), Some(stored)).await);
        assert!(!super::verify("anything".into(), None).await);
    }
}
