//! The newsroom's story pages as typed templates: the desk, the editor, a revision
//! comparison and the audit log, with the small views they show.

use crate::services::newsroom::DiffLine;
use crate::web::views::{Chrome, FigureView, TimeView};
use askama::Template;

/// A section in a newsroom picker, indented by depth.
#[derive(Debug, Clone)]
pub struct SectionOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

/// A choice in a `<select>`: its value, its label and whether it is chosen.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A story in the newsroom's list.
#[derive(Debug, Clone)]
pub struct DeskRowView {
    pub id: i64,
    pub headline: String,
    pub status: &'static str,
    pub submitted: bool,
    pub byline: String,
    pub section: String,
    pub changed: TimeView,
}

#[derive(Template)]
#[template(path = "newsroom/desk.html")]
pub struct DeskTemplate {
    pub chrome: Chrome,
    pub editor: bool,
    pub error: Option<String>,
    pub q: String,
    /// The status filter: every status, and "submitted for editing".
    pub statuses: Vec<Choice>,
    pub sections: Vec<SectionOption>,
    pub authors: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub rows: Vec<DeskRowView>,
    pub page: i64,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub newer_label: &'static str,
    pub older_label: &'static str,
}

/// A photo as the editor shows it: a thumbnail and its words.
#[derive(Debug, Clone)]
pub struct PhotoView {
    pub id: i64,
    pub thumb: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub caption: String,
    pub credit: Option<String>,
    pub alt: String,
    /// The form names a photo the library does not have (deleted, or typed by hand).
    pub missing: bool,
}

/// A published story the related box can point at.
#[derive(Debug, Clone)]
pub struct RelatedView {
    pub id: i64,
    pub headline: String,
    pub href: String,
    pub time: TimeView,
}

/// One byline row of the editor: a name and whether it is a wire service.
#[derive(Debug, Clone)]
pub struct BylineRow {
    pub name: String,
    pub wire: bool,
}

/// The story as readers would see it, rendered from the form without saving.
#[derive(Debug, Clone)]
pub struct PreviewView {
    pub headline: String,
    pub deck: Option<String>,
    pub lang: String,
    pub lead: Option<FigureView>,
    pub body_before: String,
    /// Set when the related box stands between the two parts of the body.
    pub inline_related: Option<RelatedView>,
    pub body_after: String,
    pub gallery: Vec<FigureView>,
    pub sources: Vec<String>,
}

/// A draft's place in the editors' queue.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    pub by: Option<String>,
    pub at: TimeView,
    pub note: String,
}

#[derive(Template)]
#[template(path = "newsroom/editor.html")]
pub struct EditorTemplate {
    pub chrome: Chrome,
    pub id: Option<i64>,
    pub status: &'static str,
    /// Where the form goes, with the CSRF token in its query (the form is multipart).
    pub action: String,
    pub csrf: String,
    pub revision: i64,
    pub input: broadsheet_domain::StoryInput,
    pub deck: String,
    pub tags: String,
    /// Existing tags offered as the writer types.
    pub known_tags: Vec<String>,
    pub known_sources: Vec<String>,
    pub publish_at: String,
    pub sections: Vec<SectionOption>,
    pub kinds: Vec<Choice>,
    pub bylines: Vec<BylineRow>,
    pub editor: bool,
    /// A reporter looking at a story that is not theirs to change now.
    pub locked: Option<String>,
    pub submission: Option<SubmissionView>,
    pub note: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub live_href: Option<String>,
    pub preview: Option<PreviewView>,
    pub lead: Option<PhotoView>,
    pub gallery: Vec<PhotoView>,
    pub related: Option<RelatedView>,
    /// The related story's id as the form carries it (kept even when it is not published).
    pub related_id: String,
    pub related_after: String,
    pub photo_q: String,
    /// `None` until the writer searches.
    pub photo_results: Option<Vec<PhotoView>>,
    pub related_q: String,
    pub related_results: Option<Vec<RelatedView>>,
    pub upload_caption: String,
    pub upload_credit: String,
    pub upload_alt: String,
    pub max_mb: usize,
    /// Revision number, status, time, author.
    pub revisions: Vec<(i64, &'static str, TimeView, Option<String>)>,
}

#[derive(Template)]
#[template(path = "newsroom/diff.html")]
pub struct DiffTemplate {
    pub chrome: Chrome,
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub old_headline: String,
    pub new_headline: String,
    pub headline_changed: bool,
    pub lines: Vec<DiffLine>,
    pub editor: bool,
    pub csrf: String,
}

/// One line of the audit log.
#[derive(Debug, Clone)]
pub struct AuditRowView {
    pub at: TimeView,
    pub who: String,
    pub action: String,
    pub story_id: Option<i64>,
    pub headline: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "newsroom/audit.html")]
pub struct AuditTemplate {
    pub chrome: Chrome,
    pub error: Option<String>,
    pub actions: Vec<Choice>,
    pub people: Vec<Choice>,
    pub story: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<AuditRowView>,
    pub page: i64,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub newer_label: &'static str,
    pub older_label: &'static str,
}
