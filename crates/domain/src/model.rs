//! The content model: sections, stories, tags, sources and media.
//!
//! Types ending in `Input` are what a writer (the importer, the demo loader, the newsroom)
//! hands to the store; they are validated here, before any I/O, so every path into the store
//! obeys the same rules. The other types are what the store hands back.

use crate::status::StoryStatus;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A story's id: the last segment of its URL, stable for life.
    StoryId
);
id_type!(SectionId);
id_type!(TagId);
id_type!(SourceId);
id_type!(MediaId);
id_type!(
    /// An account: a reader's or a member of staff's.
    UserId
);
id_type!(CommentId);

/// A section of the paper; sections form a tree of any depth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub id: SectionId,
    pub parent_id: Option<SectionId>,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    /// Order among siblings in menus.
    pub position: i64,
}

/// What a story is: prose, or an ordered set of photos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoryKind {
    Article,
    Gallery,
}

impl StoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryKind::Article => "article",
            StoryKind::Gallery => "gallery",
        }
    }

    pub fn parse(name: &str) -> Option<StoryKind> {
        match name {
            "article" => Some(StoryKind::Article),
            "gallery" => Some(StoryKind::Gallery),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub slug: String,
}

/// Whether a byline names a wire service or one of our own writers; it decides the URL of
/// the source's page (`/source/yonhap` or `/author/kim-min-ji`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Wire,
    Staff,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Wire => "wire",
            SourceKind::Staff => "staff",
        }
    }

    pub fn parse(name: &str) -> Option<SourceKind> {
        match name {
            "wire" => Some(SourceKind::Wire),
            "staff" => Some(SourceKind::Staff),
            _ => None,
        }
    }
}

/// A wire service or a staff writer credited on stories.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    pub id: SourceId,
    pub name: String,
    pub slug: String,
    pub kind: SourceKind,
}

/// An image with the words that go with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Media {
    pub id: MediaId,
    /// File name inside the data directory's media folder (content-addressed, so immutable).
    pub file: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    /// Shown in brackets after the caption: `[KOREAN CENTRAL NEWS AGENCY]`.
    pub credit: Option<String>,
    pub alt: String,
}

/// A resized copy of an uploaded image (the newsroom media library), for `srcset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaVariant {
    pub width: u32,
    pub height: u32,
    /// `webp` or `jpeg`.
    pub format: String,
    /// File name in the media folder, content-addressed like [`Media::file`].
    pub file: String,
}

/// A whole story as the store holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub id: StoryId,
    pub kind: StoryKind,
    pub status: StoryStatus,
    pub headline: String,
    pub deck: Option<String>,
    /// Markdown as written; rendered and sanitized on the way out.
    pub body: String,
    pub section_id: SectionId,
    /// BCP 47 language tag of the text (`en`, `ko`).
    pub language: String,
    pub slug: String,
    pub lead_media: Option<Media>,
    /// For galleries: the photos in order.
    pub gallery: Vec<Media>,
    pub tags: Vec<Tag>,
    pub sources: Vec<Source>,
    /// The editor's pick for the inline "Related Article" box.
    pub related_story_id: Option<StoryId>,
    /// The inline box stands after this many body paragraphs.
    pub related_after: Option<u32>,
    pub published_at: Option<Timestamp>,
    /// Set when the story changed after publication; shown as `Updated:`.
    pub updated_at: Option<Timestamp>,
    /// Counts saves, starting at 1.
    pub revision: i64,
    /// Where the story came from outside (an archive dump, a wire item), for de-duplication.
    pub external_id: Option<String>,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
}

impl Story {
    /// The input that would save this story as it is (imported headline links aside, which
    /// the store keeps apart).
    pub fn to_input(&self) -> StoryInput {
        StoryInput {
            external_id: self.external_id.clone(),
            kind: self.kind,
            status: self.status,
            headline: self.headline.clone(),
            deck: self.deck.clone(),
            body: self.body.clone(),
            section_id: self.section_id,
            language: self.language.clone(),
            tags: self.tags.iter().map(|t| t.name.clone()).collect(),
            sources: self
                .sources
                .iter()
                .map(|s| SourceInput {
                    name: s.name.clone(),
                    kind: s.kind,
                })
                .collect(),
            lead_media: self.lead_media.as_ref().map(|m| m.id),
            gallery: self.gallery.iter().map(|m| m.id).collect(),
            related_story_id: self.related_story_id,
            related_after: self.related_after,
            published_at: self.published_at,
            updated_at: self.updated_at,
            link_refs: Vec::new(),
        }
    }
}

/// What a list of stories needs of each: a card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryCard {
    pub id: StoryId,
    pub kind: StoryKind,
    pub headline: String,
    pub deck: Option<String>,
    pub section_id: SectionId,
    pub slug: String,
    pub published_at: Timestamp,
    pub lead_media: Option<Media>,
    pub language: String,
    /// Visible comments when the card was read (lists refresh it in the browser).
    pub comment_count: i64,
}

/// Which list on the original page a remembered headline came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkRefKind {
    MoreIn,
    Related,
}

impl LinkRefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkRefKind::MoreIn => "more_in",
            LinkRefKind::Related => "related",
        }
    }

    pub fn parse(name: &str) -> Option<LinkRefKind> {
        match name {
            "more_in" => Some(LinkRefKind::MoreIn),
            "related" => Some(LinkRefKind::Related),
            _ => None,
        }
    }
}

/// A dated note an editor appended to a published story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub at: Timestamp,
    pub text: String,
}

pub const MAX_CORRECTION_CHARS: usize = 1000;

impl Correction {
    /// A correction's words: not empty, at most 1,000 characters, no control characters but
    /// line breaks.
    pub fn check(text: &str) -> Result<String, ValidationError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValidationError::new("correction", "must not be empty"));
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(ValidationError::new(
                "correction",
                "contains control characters",
            ));
        }
        let chars = text.chars().count();
        if chars > MAX_CORRECTION_CHARS {
            return Err(ValidationError::new(
                "correction",
                format!("is {chars} characters long; the limit is {MAX_CORRECTION_CHARS}"),
            ));
        }
        Ok(text.to_string())
    }
}

/// A headline an imported page linked to, kept until a story with that headline exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRef {
    pub kind: LinkRefKind,
    pub headline: String,
}

/// A source as a writer names it; the store finds or creates it by slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInput {
    pub name: String,
    pub kind: SourceKind,
}

/// Everything about a story that a writer decides (also what a revision keeps, as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryInput {
    pub external_id: Option<String>,
    pub kind: StoryKind,
    pub status: StoryStatus,
    pub headline: String,
    pub deck: Option<String>,
    pub body: String,
    pub section_id: SectionId,
    pub language: String,
    /// Tag names; the store finds or creates each by slug.
    pub tags: Vec<String>,
    pub sources: Vec<SourceInput>,
    pub lead_media: Option<MediaId>,
    pub gallery: Vec<MediaId>,
    pub related_story_id: Option<StoryId>,
    pub related_after: Option<u32>,
    pub published_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub link_refs: Vec<LinkRef>,
}

/// An image file already written to the media folder, with its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInput {
    pub file: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: Option<String>,
    pub alt: String,
}

/// A rule that an input broke, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> ValidationError {
        ValidationError {
            field,
            message: message.into(),
        }
    }
}

pub const MAX_HEADLINE_CHARS: usize = 300;
pub const MAX_DECK_CHARS: usize = 600;
pub const MAX_TAG_CHARS: usize = 80;
pub const MAX_TAGS: usize = 30;

fn require_text(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(ValidationError::new(
            field,
            format!("is {chars} characters long; the limit is {max}"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(field, "contains control characters"));
    }
    Ok(())
}

impl StoryInput {
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("headline", &self.headline, MAX_HEADLINE_CHARS)?;
        if self.headline.contains('\n') {
            return Err(ValidationError::new("headline", "must be a single line"));
        }
        if let Some(deck) = &self.deck {
            require_text("deck", deck, MAX_DECK_CHARS)?;
        }
        match self.kind {
            StoryKind::Article if self.body.trim().is_empty() => {
                return Err(ValidationError::new("body", "an article needs a body"));
            }
            StoryKind::Gallery if self.gallery.is_empty() => {
                return Err(ValidationError::new(
                    "gallery",
                    "a gallery needs at least one photo",
                ));
            }
            _ => {}
        }
        if !is_language_tag(&self.language) {
            return Err(ValidationError::new(
                "language",
                format!("'{}' is not a language tag such as en or ko", self.language),
            ));
        }
        if self.tags.len() > MAX_TAGS {
            return Err(ValidationError::new(
                "tags",
                format!("{} tags given; the limit is {MAX_TAGS}", self.tags.len()),
            ));
        }
        for tag in &self.tags {
            require_text("tags", tag, MAX_TAG_CHARS)?;
        }
        for source in &self.sources {
            require_text("sources", &source.name, MAX_TAG_CHARS)?;
        }
        if self.published_at.is_none()
            && matches!(self.status, StoryStatus::Published | StoryStatus::Scheduled)
        {
            return Err(ValidationError::new(
                "published_at",
                format!("a {} story needs a publication time", self.status),
            ));
        }
        if let (Some(published), Some(updated)) = (self.published_at, self.updated_at)
            && updated < published
        {
            return Err(ValidationError::new(
                "updated_at",
                "must not be earlier than the publication time",
            ));
        }
        Ok(())
    }
}

impl MediaInput {
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("alt", &self.alt, 500)?;
        if self.caption.chars().count() > 2000 {
            return Err(ValidationError::new(
                "caption",
                "is longer than 2000 characters",
            ));
        }
        if self.width == 0 || self.height == 0 {
            return Err(ValidationError::new("file", "image has no pixels"));
        }
        if self.file.is_empty() || self.file.contains(['/', '\\']) || self.file.starts_with('.') {
            return Err(ValidationError::new("file", "must be a plain file name"));
        }
        Ok(())
    }
}

/// A loose check of BCP 47: a 2–3 letter primary subtag, then optional alphanumeric subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> StoryInput {
        StoryInput {
            external_id: None,
            kind: StoryKind::Article,
            status: StoryStatus::Published,
            headline: "Ferry returns to the islands".into(),
            deck: None,
            body: "A paragraph.".into(),
            section_id: SectionId(1),
            language: "en".into(),
            tags: vec!["Ferries".into()],
            sources: vec![],
            lead_media: None,
            gallery: vec![],
            related_story_id: None,
            related_after: None,
            published_at: Some("2026-11-20T00:00:00Z".parse().unwrap()),
            updated_at: None,
            link_refs: vec![],
        }
    }

    #[test]
    fn a_good_story_passes() {
        input().validate().unwrap();
    }

    #[test]
    fn each_rule_names_its_field() {
        type Breaker = Box<dyn Fn(&mut StoryInput)>;
        let cases: Vec<(Breaker, &str)> = vec![
            (Box::new(|s| s.headline = "  ".into()), "headline"),
            (Box::new(|s| s.headline = "x".repeat(301)), "headline"),
            (Box::new(|s| s.headline = "two\nlines".into()), "headline"),
            (Box::new(|s| s.body = String::new()), "body"),
            (Box::new(|s| s.language = "english".into()), "language"),
            (Box::new(|s| s.published_at = None), "published_at"),
            (Box::new(|s| s.tags = vec!["bell\u{7}".into()]), "tags"),
            (
                Box::new(|s| s.updated_at = Some("2026-01-01T00:00:00Z".parse().unwrap())),
                "updated_at",
            ),
            (Box::new(|s| s.kind = StoryKind::Gallery), "gallery"),
        ];
        for (break_it, field) in cases {
            let mut story = input();
            break_it(&mut story);
            assert_eq!(story.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("ko"));
        assert!(is_language_tag("en-GB"));
        assert!(!is_language_tag("EN"));
        assert!(!is_language_tag(""));
    }
}
