//! PKCE (RFC 7636) and the other random values of a sign-in.
//!
//! Why PKCE even though Broadsheet is a confidential client with a secret: the secret proves
//! *which site* redeems a code, not that the code belongs to *this browser's* sign-in. A code
//! leaked from the redirect (referrer, logs, a malicious extension) or injected into another
//! reader's callback would be redeemable by our own server. The verifier stays server-side in
//! the pending sign-in, so only the session that started the flow can redeem its code (OAuth 2.0
//! Security BCP, RFC 9700 §2.1.1). Only `S256` is used: `plain` would put the verifier itself in
//! the browser's URL.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

/// `bytes` bytes from the OS generator as unpadded base64url. 32 bytes (256 bits) gives a
/// 43-character string: unguessable, and inside PKCE's 43..=128 character range.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The OS generator failing is not something a sign-in can recover from or work around;
    // carrying on with a predictable value would be worse than stopping.
    SystemRandom::new()
        .fill(&mut buf)
        .expect("the operating system's random number generator failed");
    URL_SAFE_NO_PAD.encode(buf)
}

/// A new code verifier (RFC 7636 §4.1).
pub(crate) fn new_verifier() -> String {
    random_token(32)
}

/// The `S256` challenge for a verifier: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).
pub(crate) fn challenge_s256(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(
            challenge_s256(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_has_the_allowed_length_and_alphabet() {
        let v = new_verifier();
        assert_eq!(v.len(), 43);
        assert!(
            v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(v, new_verifier());
    }
}
