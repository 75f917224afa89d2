//! Who is asking: passwords, server-side sessions, CSRF protection and throttles.
//!
//! Rules:
//! - A session is a random token in an HttpOnly, SameSite=Lax cookie (Secure when the site is
//!   served over https); the store keeps only the token's SHA-256. Signing in always starts a
//!   new session and ends the one the browser had (no fixation).
//! - Every state-changing request carries the session's CSRF token (a form's `csrf` field or
//!   an `X-CSRF-Token` header) and, when the browser says where it came from, comes from this
//!   site (`csrf::guard`, one middleware for every route).
//! - Passwords are hashed with argon2id off the async threads.
//! - Throttles count in the store, so every node shares them.
//! - Sign-in with providers (`oauth`): the protocol only; what an identity means for
//!   accounts is decided in `services::signin`.

pub mod csrf;
pub mod oauth;
pub mod password;
pub mod session;
pub mod throttle;
pub mod token;

pub use session::{SESSION_COOKIE, Session, Visitor};
