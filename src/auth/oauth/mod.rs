//! Reader sign-in with external providers: OAuth 2.0 authorization code flow with PKCE
//! (RFC 6749, RFC 7636), and OpenID Connect ID tokens (OIDC Core 1.0) where the provider
//! offers them.
//!
//! The app (`services::signin`, `web::account::oauth`) calls [`begin`] when a reader picks a
//! provider and redirects the browser to the URL it returns, storing the [`Pending`] in the
//! reader's session row. On the callback it calls [`finish`] with that `Pending` and the
//! callback's query, and gets an [`ExternalIdentity`] or an [`OAuthError`] whose text can be
//! shown to the reader. This module knows nothing of accounts or HTTP handlers.
//!
//! What is checked, and why, is written at the top of each file:
//! - `flow.rs`: state (CSRF), expiry, cancel/errors, the code exchange and client authentication;
//! - `pkce.rs`: why PKCE although we have a client secret;
//! - `jwt.rs`: ID token signature and claims (issuer, audience, expiry, nonce);
//! - `jwks.rs`: the provider's keys, their cache and rotation;
//! - `userinfo.rs`: per-provider profile shapes;
//! - `config.rs`: the built-in providers and where their endpoints come from;
//! - `discovery.rs`: any other OpenID Connect provider from its issuer URL;
//! - `http.rs`: TLS, timeouts, no redirects.
//!
//! The subject a provider gives is the account key: (provider name, subject). An email is only
//! a hint unless `email_verified` is true, and even then linking to an existing account is the
//! app's decision.

mod config;
mod discovery;
mod error;
mod flow;
mod http;
mod jwks;
mod jwt;
mod pkce;
mod userinfo;

pub use config::{ClientAuth, EmailVerified, ProfileMapping, ProtocolKind, ProviderConfig};
pub use discovery::discover;
pub use error::OAuthError;
pub use flow::{Callback, ExternalIdentity, PENDING_LIFETIME_SECS, Pending, begin, finish};
pub use http::{Http, install_crypto_provider};
