//! Reading wire copy: agency files in IPTC ninjs, RSS 2.0 or Atom 1.0 become [`WireItem`]s.
//!
//! This is the pure half of wire ingest: text in, plain items out, no I/O. The newsroom's
//! ingest fetches the files, decides which items become stories and stores them.
//!
//! # What holds for every format
//!
//! * A file that cannot be read at all (not JSON, not well-formed XML, a root element that is
//!   no feed) is a [`WireError`], naming the problem and, where there is one, the line.
//! * Inside a readable file each item stands alone: an item without an id or a headline, with
//!   a date that does not parse, or that is no text story (a standalone ninjs picture or
//!   video) becomes a [`WireProblem`] and the rest of the batch still goes in. The reasons
//!   are sentences for the ingest log, naming the field.
//! * Headlines, decks and captions are plain text on one line (entities decoded, tags
//!   stripped, white space collapsed); bodies are Markdown made by [`html::html_to_markdown`]
//!   from HTML or by [`html::text_to_markdown`] from plain text, escaped so that agency text
//!   cannot inject markup. Empty strings count as absent.
//! * The same id twice in one file is one story at two moments (an Atom feed may carry an
//!   entry's earlier revision; a ninjs array may carry the first take and its update): the
//!   batch keeps the newer, by [`WireItem::supersedes`], in the place of the first.
//!
//! The per-format rules (which field feeds which, and why) are in [`ninjs`] and [`feed`].

pub mod feed;
pub mod html;
pub mod ninjs;
mod xml;

use jiff::Timestamp;

pub use feed::parse_feed;
pub use html::{html_to_markdown, html_to_text};
pub use ninjs::parse_ninjs;

/// One piece of wire copy, as the newsroom's ingest will turn it into a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireItem {
    /// The agency's id for the story; every version of the story has the same one.
    pub guid: String,
    /// The agency's version of the story, when the format has one (ninjs).
    pub version: Option<String>,
    pub headline: String,
    pub deck: Option<String>,
    /// Markdown.
    pub body: String,
    /// A BCP 47 tag as the agency gave it (`ko`, `en-GB`).
    pub language: Option<String>,
    pub published_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub byline: Option<String>,
    /// The agency or feed the copy came from.
    pub source: Option<String>,
    pub subjects: Vec<String>,
    pub lead_image: Option<WireImage>,
    /// The story's page on the agency's site.
    pub link: Option<String>,
}

/// A picture that goes with a wire story; the pixels are fetched by ingest from `href`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireImage {
    pub href: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub alt: Option<String>,
    pub mime: Option<String>,
}

/// One item that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireProblem {
    /// Which item: its 1-based place in the file and, when known, its id or headline, as in
    /// `item 3 (urn:x:1)`.
    pub item: String,
    pub reason: String,
}

/// What one file yielded: the items that could be read and the ones that could not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WireBatch {
    pub items: Vec<WireItem>,
    pub problems: Vec<WireProblem>,
}

/// Why a whole file was refused. Lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("line {line}, column {column}: the file is not valid JSON: {detail}")]
    Json {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error(
        "the file is JSON but not ninjs: it holds {found}, not an object or an array of objects"
    )]
    NotNinjs { found: &'static str },
    #[error("line {line}: the file is not well-formed XML: {detail}")]
    Xml { line: usize, detail: String },
    #[error(
        "line {line}: the root element is <{root}>; a feed must be RSS 2.0 (<rss>) or Atom 1.0 (<feed> in the Atom namespace)"
    )]
    NotAFeed { line: usize, root: String },
    #[error("line {line}: the <rss> element holds no <channel>")]
    NoChannel { line: usize },
}

impl WireItem {
    /// Whether this item is a later version of `earlier` (same id, newer copy), so ingest
    /// should replace the story it made from `earlier`.
    ///
    /// Versions are compared as numbers when both are (`10` is after `9`; agencies count
    /// upwards), else the later `updated_at` (or `published_at`) wins. When neither tells,
    /// the item is not newer: re-ingesting the same copy must not count as an update.
    pub fn supersedes(&self, earlier: &WireItem) -> bool {
        if self.guid != earlier.guid {
            return false;
        }
        let numeric = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<u64>().ok());
        if let (Some(mine), Some(theirs)) = (numeric(&self.version), numeric(&earlier.version))
            && mine != theirs
        {
            return mine > theirs;
        }
        let stamp = |item: &WireItem| item.updated_at.or(item.published_at);
        match (stamp(self), stamp(earlier)) {
            (Some(mine), Some(theirs)) => mine > theirs,
            _ => false,
        }
    }
}

impl WireBatch {
    /// Add a read item, folding it into an earlier one with the same id (see module docs).
    fn push(&mut self, item: WireItem) {
        match self.items.iter_mut().find(|seen| seen.guid == item.guid) {
            Some(seen) if item.supersedes(seen) => *seen = item,
            Some(_) => {}
            None => self.items.push(item),
        }
    }

    fn problem(&mut self, item: String, reason: impl Into<String>) {
        self.problems.push(WireProblem {
            item,
            reason: reason.into(),
        });
    }
}

/// `item 3 (urn:x:1)`: the place in the file, and the best name known for the item.
fn item_label(index: usize, guid: Option<&str>, headline: Option<&str>) -> String {
    match guid.or(headline) {
        Some(name) => format!("item {} ({name})", index + 1),
        None => format!("item {}", index + 1),
    }
}

/// `None` for a string that is empty once trimmed; otherwise the trimmed string.
fn non_empty(text: impl AsRef<str>) -> Option<String> {
    let text = text.as_ref().trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Subject names in order, without empty ones or repeats (compared case-insensitively,
/// since agencies repeat a keyword that is also a subject).
fn dedup_subjects(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let name = html::collapse_whitespace(&name);
        if !name.is_empty() && !out.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
            out.push(name);
        }
    }
    out
}

/// Whether a MIME type names an image.
fn is_image_mime(mime: &str) -> bool {
    mime.trim().to_ascii_lowercase().starts_with("image/")
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}
