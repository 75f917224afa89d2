//! Everything that can stop a sign-in, one variant per cause.
//!
//! Rules:
//! - The `Display` text of every variant is a sentence that may be shown to the reader as is. It
//!   never contains text that came from the callback URL or from the provider: anyone can craft
//!   a callback link with `error_description=...`, and echoing it would let a stranger write on
//!   our page. The provider's words are kept in the fields, for the log.
//! - [`OAuthError::code`] is a stable machine name for logs, metrics and tests.
//! - The first group (state, expiry, cancel) is the reader's or the browser's doing; the rest
//!   means a misconfigured or misbehaving provider, or an attack, and is worth a log line.

/// Why a sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The `state` in the callback is not the one this browser's session was given.
    #[error("This sign-in did not start in this browser. Please start again.")]
    StateMismatch,
    /// The callback carries no `state` at all.
    #[error("The sign-in reply was incomplete. Please start again.")]
    MissingState,
    /// The pending sign-in is older than the allowed ten minutes.
    #[error("The sign-in took too long. Please start again.")]
    Expired,
    /// The provider answered `error=access_denied`: the reader said no.
    #[error("Sign-in was cancelled.")]
    Cancelled,
    /// The provider answered the authorization request with another error code.
    /// Fields: the OAuth error code and its description, both as the provider sent them.
    #[error("The sign-in service reported a problem. Please try again later.")]
    ProviderError(String, Option<String>),
    /// The callback had a valid `state` but neither `code` nor `error`.
    #[error("The sign-in reply had no authorization code. Please start again.")]
    MissingCode,
    /// The token endpoint refused the code. Fields: HTTP status and the provider's `error`
    /// (or the start of its body).
    #[error("The sign-in service did not accept this sign-in. Please start again.")]
    TokenExchange(u16, String),
    /// The ID token's signature does not verify against the provider's published keys (or its
    /// algorithm or key is not one we accept).
    #[error("The sign-in could not be verified. Please try again.")]
    BadSignature,
    /// The ID token was issued by someone other than the configured issuer.
    #[error("The sign-in came from an unexpected service. Please try again.")]
    WrongIssuer,
    /// The ID token was not issued to this site (`aud`/`azp`).
    #[error("The sign-in was meant for another site. Please try again.")]
    WrongAudience,
    /// The ID token's `exp` has passed, or its `iat` is implausible.
    #[error("The sign-in has expired. Please try again.")]
    TokenExpired,
    /// The ID token's `nonce` is missing or not the one we sent.
    #[error("The sign-in could not be matched to this request. Please start again.")]
    NonceMismatch,
    /// A required claim or response field is absent. Field: its name.
    #[error("The sign-in service did not send the details we need. Please try again.")]
    MissingClaim(&'static str),
    /// The profile (userinfo) request failed or its answer could not be read.
    #[error("Your profile could not be read from the sign-in service. Please try again.")]
    Userinfo(String),
    /// A provider's answer (token response, JWKS) was not what the protocol says.
    #[error("The sign-in service sent a reply we could not read. Please try again later.")]
    Malformed(String),
    /// The provider could not be reached, or took longer than the timeout.
    #[error("The sign-in service could not be reached. Please try again later.")]
    Network(String),
}

impl OAuthError {
    /// A stable snake_case name for the variant.
    pub fn code(&self) -> &'static str {
        match self {
            OAuthError::StateMismatch => "state_mismatch",
            OAuthError::MissingState => "missing_state",
            OAuthError::Expired => "expired",
            OAuthError::Cancelled => "cancelled",
            OAuthError::ProviderError(..) => "provider_error",
            OAuthError::MissingCode => "missing_code",
            OAuthError::TokenExchange(..) => "token_exchange",
            OAuthError::BadSignature => "bad_signature",
            OAuthError::WrongIssuer => "wrong_issuer",
            OAuthError::WrongAudience => "wrong_audience",
            OAuthError::TokenExpired => "token_expired",
            OAuthError::NonceMismatch => "nonce_mismatch",
            OAuthError::MissingClaim(_) => "missing_claim",
            OAuthError::Userinfo(_) => "userinfo",
            OAuthError::Malformed(_) => "malformed",
            OAuthError::Network(_) => "network",
        }
    }

    /// Transport failures (connect, TLS, timeout, reading the body).
    pub(crate) fn network(err: reqwest::Error) -> Self {
        // The URL in reqwest's message names the provider's endpoint, never a secret: codes and
        // tokens travel in bodies and headers, not in the URLs we request.
        OAuthError::Network(err.to_string())
    }
}
