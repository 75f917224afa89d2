//! Password hashes: argon2id with the library's recommended cost, computed on the blocking
//! pool (a hash takes tens of milliseconds; on an async thread it would stall other requests).
//!
//! Each hash also takes 19 MiB of memory, and the blocking pool grows to hundreds of
//! threads: a crowd signing in at once (or someone guessing passwords with many
//! connections) would add that much per request. At most one hash per core runs at a time;
//! the others wait their turn, which costs them no more time than sharing the cores would.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Waits for a turn to hash; the turn ends when the permit is dropped.
async fn turn() -> tokio::sync::SemaphorePermit<'static> {
    static TURNS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    TURNS
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            tokio::sync::Semaphore::new(cores)
        })
        .acquire()
        .await
        .expect("the semaphore is never closed")
}

/// Hash a password for storing.
pub async fn hash(password: String) -> Result<String, String> {
    let _turn = turn().await;
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
    let _turn = turn().await;
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
