//! Comments: what a reader may write, and what holds a comment for an editor.
//!
//! The limit is 250 characters as a reader counts them: user-perceived characters (extended
//! grapheme clusters), so a Hangul syllable, an emoji with its skin tone or a flag is one.
//! The page's counter counts the same way (`Intl.Segmenter` in `static/site.js`), so the
//! server refuses exactly what the counter shows as over.

use crate::{CommentId, StoryId, UserId, ValidationError};
use jiff::Timestamp;
use unicode_segmentation::UnicodeSegmentation;

pub const MAX_COMMENT: usize = 250;
pub const MAX_REPORT_REASON: usize = 500;
/// A writer may correct a comment this long after posting it.
pub const EDIT_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStatus {
    Visible,
    /// Waiting for an editor (it had a link or a listed word, or the story is premoderated).
    Held,
    /// Taken down by an editor.
    Hidden,
    /// Taken down by its writer.
    Deleted,
}

impl CommentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Visible => "visible",
            CommentStatus::Held => "held",
            CommentStatus::Hidden => "hidden",
            CommentStatus::Deleted => "deleted",
        }
    }

    pub fn parse(name: &str) -> Option<CommentStatus> {
        [
            CommentStatus::Visible,
            CommentStatus::Held,
            CommentStatus::Hidden,
            CommentStatus::Deleted,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// Whether a story takes comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CommentsMode {
    #[default]
    Open,
    /// Every comment waits for an editor.
    Premoderated,
    Closed,
}

impl CommentsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentsMode::Open => "open",
            CommentsMode::Premoderated => "premoderated",
            CommentsMode::Closed => "closed",
        }
    }

    pub fn parse(name: &str) -> Option<CommentsMode> {
        [
            CommentsMode::Open,
            CommentsMode::Premoderated,
            CommentsMode::Closed,
        ]
        .into_iter()
        .find(|m| m.as_str() == name)
    }
}

/// A comment as shown: its writer's current name, or `None` for a deleted account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub story_id: StoryId,
    pub user_id: UserId,
    pub author: Option<String>,
    pub parent_id: Option<CommentId>,
    pub body: String,
    pub status: CommentStatus,
    pub held_reason: Option<String>,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
}

/// How many characters a reader sees in `text`.
pub fn visible_length(text: &str) -> usize {
    text.graphemes(true).count()
}

/// A comment body as stored: line endings made `\n`, outer blank space trimmed, then checked.
/// Markup is allowed in the sense that it is just text: it is stored as typed and escaped
/// wherever it is shown.
pub fn normalize_comment(raw: &str) -> Result<String, ValidationError> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationError::new(
            "comment",
            "is empty; write something first",
        ));
    }
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(
            "comment",
            format!(
                "contains a control character (U+{:04X}) that cannot be shown",
                c as u32
            ),
        ));
    }
    let length = visible_length(text);
    if length > MAX_COMMENT {
        return Err(ValidationError::new(
            "comment",
            format!("is {length} characters long; the limit is {MAX_COMMENT}"),
        ));
    }
    Ok(text.to_string())
}

/// Why a comment should wait for an editor, if it should: it carries a link (the usual
/// vehicle of spam), or one of the site's listed words. Words match anywhere, ignoring case,
/// because Korean attaches particles to words and has no spaces to find a word's end.
pub fn reason_to_hold(text: &str, held_words: &[String]) -> Option<&'static str> {
    let lower = text.to_lowercase();
    if has_link(&lower) {
        return Some("link");
    }
    if held_words
        .iter()
        .any(|w| !w.is_empty() && lower.contains(w.as_str()))
    {
        return Some("word");
    }
    None
}

fn has_link(lower: &str) -> bool {
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return true;
    }
    // A bare domain such as example.com: a dot between letters followed by a common
    // top-level domain and then the end of the word.
    const TLDS: &[&str] = &[
        "com", "net", "org", "io", "kr", "co", "info", "biz", "xyz", "me", "ly", "gl", "to",
    ];
    lower
        .split(|c: char| c.is_whitespace() || "()[]<>\"'".contains(c))
        .any(|word| {
            let word = word.trim_end_matches(['.', ',', '!', '?', ';', ':']);
            match word.rsplit_once('.') {
                Some((name, tld)) => {
                    !name.is_empty()
                        && name
                            .chars()
                            .last()
                            .is_some_and(|c| c.is_ascii_alphanumeric())
                        && TLDS.contains(&tld.split('/').next().unwrap_or(""))
                }
                None => false,
            }
        })
}

/// A report's reason: one of the listed kinds, or a few words.
pub fn normalize_report_reason(raw: &str) -> Result<String, ValidationError> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err(ValidationError::new(
            "reason",
            "say why you are reporting the comment",
        ));
    }
    if reason.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ValidationError::new(
            "reason",
            "contains control characters",
        ));
    }
    let length = visible_length(reason);
    if length > MAX_REPORT_REASON {
        return Err(ValidationError::new(
            "reason",
            format!("is {length} characters long; the limit is {MAX_REPORT_REASON}"),
        ));
    }
    Ok(reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_what_a_reader_sees() {
        assert_eq!(visible_length("안녕하세요"), 5);
        // A family emoji joined with zero-width joiners, and a flag: one each.
        assert_eq!(visible_length("👨‍👩‍👧‍👦🇰🇷"), 2);
        assert_eq!(visible_length("e\u{301}"), 1);
        assert!(normalize_comment(&"가".repeat(250)).is_ok());
        let over = normalize_comment(&"가".repeat(251)).unwrap_err();
        assert_eq!(
            over.to_string(),
            "comment: is 251 characters long; the limit is 250"
        );
        assert!(normalize_comment(&"👍🏽".repeat(250)).is_ok());
    }

    #[test]
    fn bodies_are_trimmed_and_checked() {
        assert_eq!(normalize_comment("  hi\r\nthere \n").unwrap(), "hi\nthere");
        assert_eq!(
            normalize_comment(" \n ").unwrap_err().to_string(),
            "comment: is empty; write something first"
        );
        assert_eq!(
            normalize_comment("bell\u{7}").unwrap_err().to_string(),
            "comment: contains a control character (U+0007) that cannot be shown"
        );
        assert_eq!(
            normalize_comment("<script>alert(1)</script>").unwrap(),
            "<script>alert(1)</script>"
        );
    }

    #[test]
    fn links_and_listed_words_hold_a_comment() {
        let words = vec!["casino".to_string(), "도박".to_string()];
        assert_eq!(
            reason_to_hold("see https://spam.example", &words),
            Some("link")
        );
        assert_eq!(
            reason_to_hold("visit cheap-pills.com now", &words),
            Some("link")
        );
        assert_eq!(reason_to_hold("go to www.x.test", &words), Some("link"));
        assert_eq!(reason_to_hold("Best CASINO in town", &words), Some("word"));
        assert_eq!(reason_to_hold("불법도박은 안 됩니다", &words), Some("word"));
        assert_eq!(reason_to_hold("I agree. The port re-opened.", &words), None);
        assert_eq!(reason_to_hold("3.5 percent", &words), None);
    }
}
