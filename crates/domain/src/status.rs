//! The publishing state machine: draft -> scheduled -> published -> unpublished.
//!
//! Stories move forwards through the newsroom, and an unpublished story can come back. The
//! store refuses a write whose status change this module does not allow, so a bug in a
//! handler cannot, say, quietly turn a published story back into a draft and drop it from the
//! site without the 410 page readers are owed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a story is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryStatus {
    /// Being written; visible only in the newsroom.
    Draft,
    /// Will go live at its publication time.
    Scheduled,
    /// Live on the site.
    Published,
    /// Taken down: readers get a 410 page at its URL.
    Unpublished,
}

impl StoryStatus {
    pub const ALL: [StoryStatus; 4] = [
        StoryStatus::Draft,
        StoryStatus::Scheduled,
        StoryStatus::Published,
        StoryStatus::Unpublished,
    ];

    /// The name used in the store, URLs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            StoryStatus::Draft => "draft",
            StoryStatus::Scheduled => "scheduled",
            StoryStatus::Published => "published",
            StoryStatus::Unpublished => "unpublished",
        }
    }

    pub fn parse(name: &str) -> Option<StoryStatus> {
        StoryStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether a story may go from `self` to `next`. Staying put is always allowed (an edit).
    pub fn can_become(self, next: StoryStatus) -> bool {
        use StoryStatus::*;
        self == next
            || matches!(
                (self, next),
                (Draft, Scheduled)
                    | (Draft, Published)
                    | (Scheduled, Draft)
                    | (Scheduled, Published)
                    | (Published, Unpublished)
                    | (Unpublished, Published)
                    | (Unpublished, Draft)
            )
    }

    /// Whether readers can see the story.
    pub fn is_public(self) -> bool {
        self == StoryStatus::Published
    }
}

impl fmt::Display for StoryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::StoryStatus::*;
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in StoryStatus::ALL {
            assert_eq!(StoryStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(StoryStatus::parse("live"), None);
    }

    #[test]
    fn published_story_cannot_fall_back_to_draft() {
        assert!(!Published.can_become(Draft));
        assert!(!Published.can_become(Scheduled));
        assert!(Published.can_become(Unpublished));
        assert!(Unpublished.can_become(Published));
        assert!(Draft.can_become(Scheduled));
        assert!(Scheduled.can_become(Published));
        assert!(!Draft.can_become(Unpublished));
    }
}
