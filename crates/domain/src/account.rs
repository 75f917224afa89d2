//! Accounts: who may do what, and the rules for what people type about themselves.
//!
//! Roles are ordered: each can do everything the one before it can. A reader comments; a
//! reporter also writes drafts; an editor also publishes and moderates; an admin also manages
//! accounts and API tokens.

use crate::{UserId, ValidationError};
use jiff::Timestamp;
use std::fmt;
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Reader,
    Reporter,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Reporter, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Reporter => "reporter",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// Hide and restore comments, ban readers, set a story's comment mode.
    pub fn can_moderate(self) -> bool {
        self >= Role::Editor
    }

    /// Use the newsroom at all (write and submit drafts).
    pub fn is_staff(self) -> bool {
        self >= Role::Reporter
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An account as the rest of the program sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Option<String>,
    pub display_name: String,
    pub role: Role,
    pub has_password: bool,
    /// Comments are refused until then (`Timestamp::MAX` for good).
    pub banned_until: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl User {
    pub fn is_banned(&self, now: Timestamp) -> bool {
        self.banned_until.is_some_and(|until| until > now)
    }
}

/// A provider's word that this account is someone there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: Timestamp,
}

pub const MAX_DISPLAY_NAME: usize = 50;
pub const MIN_PASSWORD: usize = 10;
/// argon2 would hash a megabyte happily; a limit keeps a forged form from costing CPU.
pub const MAX_PASSWORD: usize = 128;
pub const MAX_EMAIL: usize = 254;

/// An e-mail address as stored: trimmed and lower-cased. Only the shape is checked (one `@`,
/// a dot in the domain, no spaces); whether it receives mail is the mail server's business.
pub fn normalize_email(raw: &str) -> Result<String, ValidationError> {
    let email = raw.trim().to_lowercase();
    let invalid = |why: &str| Err(ValidationError::new("email", why.to_string()));
    if email.is_empty() {
        return invalid("must not be empty");
    }
    if email.len() > MAX_EMAIL {
        return invalid("is longer than an e-mail address can be");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return invalid("is not an e-mail address (it has no @)");
    };
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return invalid("is not an e-mail address");
    }
    Ok(email)
}

/// A display name as shown beside comments: trimmed, one line, at most 50 characters as a
/// reader counts them. Names are text: markup in them is shown, never interpreted.
pub fn normalize_display_name(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ValidationError::new("display_name", "must not be empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(ValidationError::new(
            "display_name",
            "must be one line without control characters",
        ));
    }
    let count = name.graphemes(true).count();
    if count > MAX_DISPLAY_NAME {
        return Err(ValidationError::new(
            "display_name",
            format!("is {count} characters long; the limit is {MAX_DISPLAY_NAME}"),
        ));
    }
    Ok(name.to_string())
}

/// Passwords: long enough to resist guessing, not the e-mail address, not one of the
/// handful that every guessing list starts with. Length beats composition rules, so there
/// are none of those.
pub fn check_password(password: &str, email: &str) -> Result<(), ValidationError> {
    let chars = password.chars().count();
    let fail = |why: String| Err(ValidationError::new("password", why));
    if chars < MIN_PASSWORD {
        return fail(format!(
            "is {chars} characters long; use at least {MIN_PASSWORD}"
        ));
    }
    if chars > MAX_PASSWORD {
        return fail(format!(
            "is {chars} characters long; the limit is {MAX_PASSWORD}"
        ));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if local.chars().count() >= 4 && lower.contains(local) {
        return fail("must not contain your e-mail address".into());
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return fail("must not be one character repeated".into());
    }
    const COMMON: &[&str] = &[
        "1234567890",
        "12345678910",
        "0123456789",
        "password123",
        "password12",
        "password1234",
        "qwertyuiop",
        "1q2w3e4r5t",
        "iloveyou123",
        "abcdefghij",
        "qwerty12345",
        "broadsheet",
        "letmein123",
    ];
    if COMMON.contains(&lower.as_str()) {
        return fail("is one of the first passwords an attacker tries".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.can_moderate() && Role::Editor.can_moderate());
        assert!(!Role::Reporter.can_moderate() && !Role::Reader.can_moderate());
        assert!(Role::Reporter.is_staff() && !Role::Reader.is_staff());
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn emails_are_normalized_and_shapes_checked() {
        assert_eq!(
            normalize_email("  Ji-woo@Example.KR ").unwrap(),
            "ji-woo@example.kr"
        );
        for bad in [
            "",
            "no-at-sign",
            "a@b",
            "a@@b.kr",
            "@b.kr",
            "a b@c.kr",
            "a@.kr",
            "a@b.kr.",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn display_names_count_what_readers_see() {
        // 50 Hangul syllables are 50 characters, though 150 bytes.
        assert!(normalize_display_name(&"가".repeat(50)).is_ok());
        let err = normalize_display_name(&"가".repeat(51)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "display_name: is 51 characters long; the limit is 50"
        );
        assert!(normalize_display_name("  ").is_err());
        assert!(normalize_display_name("two\nlines").is_err());
        assert_eq!(
            normalize_display_name(" <b>Mina</b> ").unwrap(),
            "<b>Mina</b>"
        );
    }

    #[test]
    fn passwords_follow_the_rules() {
        assert!(check_password("correct horse battery", "mina@example.kr").is_ok());
        let short = check_password("short", "mina@example.kr").unwrap_err();
        assert_eq!(
            short.to_string(),
            "password: is 5 characters long; use at least 10"
        );
        assert!(check_password("aaaaaaaaaaaa", "x@example.kr").is_err());
        assert!(check_password("Password123", "x@example.kr").is_err());
        assert!(check_password("minaseo-2026!", "minaseo@example.kr").is_err());
        assert!(check_password(&"x1".repeat(65), "x@example.kr").is_err());
    }
}
