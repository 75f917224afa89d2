//! The page templates (askama, compiled into the binary and checked at build time). Each
//! struct is one page; `templates/` holds the markup.

use super::views::{CardView, Chrome, FigureView, Link, TimeView};
use askama::Template;

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticleTemplate {
    pub chrome: Chrome,
    /// The story's comments page; its fragments are fetched into the article.
    pub comments_href: String,
    /// Editors' corrections: when, and what.
    pub corrections: Vec<(TimeView, String)>,
    pub breadcrumb: Vec<Link>,
    pub lang: String,
    pub headline: String,
    pub deck: Option<String>,
    pub published: TimeView,
    pub updated: Option<TimeView>,
    pub lead: Option<FigureView>,
    pub body_before: String,
    pub inline_related: Option<CardView>,
    pub body_after: String,
    pub gallery: Vec<FigureView>,
    pub sources: Vec<Link>,
    pub tags: Vec<Link>,
    pub section_name: String,
    pub more_in: Vec<CardView>,
    pub related: Vec<CardView>,
    pub share_x: String,
    pub share_facebook: String,
    pub print_href: String,
    pub canonical_path: String,
    /// schema.org JSON-LD documents, escaped for a script element.
    pub json_ld: Vec<String>,
}

#[derive(Template)]
#[template(path = "listing.html")]
pub struct ListingTemplate {
    pub chrome: Chrome,
    /// Empty for tag and source pages.
    pub breadcrumb: Vec<Link>,
    pub kicker: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub subsections: Vec<Link>,
    pub cards: Vec<CardView>,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub page: usize,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeTemplate {
    pub chrome: Chrome,
    pub lead: Option<CardView>,
    pub sections: Vec<HomeSection>,
}

pub struct HomeSection {
    pub link: Link,
    pub cards: Vec<CardView>,
}

#[derive(Template)]
#[template(path = "policy.html")]
pub struct PolicyTemplate {
    pub chrome: Chrome,
    pub body: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    pub chrome: Chrome,
    pub status: u16,
    pub heading: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchTemplate {
    pub chrome: Chrome,
    pub q: String,
    pub sections: Vec<SelectOption>,
    pub tag: String,
    pub source: String,
    pub from: String,
    pub to: String,
    pub newest: bool,
    /// "3 stories for “ferry”"; `None` before anything was asked.
    pub count: Option<String>,
    pub results: Vec<SearchResultView>,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub page: usize,
}

pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct SearchResultView {
    pub card: CardView,
    /// From the index: text escaped, matches in `<b>`.
    pub headline_html: String,
    pub snippet_html: String,
}

/// A sign-in provider offered on the forms.
#[derive(Debug, Clone)]
pub struct ProviderLink {
    pub name: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "account/signin.html")]
pub struct SigninTemplate {
    pub chrome: Chrome,
    pub csrf: String,
    pub return_to: String,
    pub email: String,
    pub error: Option<String>,
    pub providers: Vec<ProviderLink>,
}

#[derive(Template)]
#[template(path = "account/signup.html")]
pub struct SignupTemplate {
    pub chrome: Chrome,
    pub csrf: String,
    pub return_to: String,
    pub email: String,
    pub display_name: String,
    pub error: Option<String>,
}

/// A linked provider as the account page lists it.
#[derive(Debug, Clone)]
pub struct IdentityView {
    pub provider: String,
    pub label: String,
    pub email: Option<String>,
}

#[derive(Template)]
#[template(path = "account/page.html")]
pub struct AccountTemplate {
    pub chrome: Chrome,
    pub csrf: String,
    pub user: broadsheet_domain::User,
    pub identities: Vec<IdentityView>,
    pub providers: Vec<ProviderLink>,
    pub sessions: i64,
    pub comments_kept: bool,
    pub notice: Option<String>,
    pub error: Option<String>,
}

use super::comments::{BoxState, CommentBox, Conversation};

#[derive(Template)]
#[template(path = "comments/page.html")]
pub struct CommentsPageTemplate {
    pub chrome: Chrome,
    pub headline: String,
    pub story_href: String,
    pub story_id: i64,
    pub count: i64,
    pub mode: &'static str,
    pub moderator: bool,
    /// The comment being reported, when the reader asked to report one.
    pub report: Option<i64>,
    pub csrf_value: String,
    /// The reader's token when signed in (the per-comment forms need it).
    pub csrf: Option<String>,
    pub base: String,
    pub providers: Vec<ProviderLink>,
    pub policy_href: &'static str,
    pub comment_box: CommentBox,
    pub conversation: Conversation,
}

#[derive(Template)]
#[template(path = "comments/fragment.html")]
pub struct CommentsFragmentTemplate {
    pub base: String,
    pub csrf: Option<String>,
    pub moderator: bool,
    pub conversation: Conversation,
}

#[derive(Template)]
#[template(path = "comments/box.html")]
pub struct CommentBoxTemplate {
    pub base: String,
    pub providers: Vec<ProviderLink>,
    pub policy_href: &'static str,
    pub comment_box: CommentBox,
}

/// A comment in the moderation queue.
#[derive(Debug, Clone)]
pub struct QueueView {
    pub id: i64,
    pub story_id: i64,
    pub story_headline: String,
    pub user_id: i64,
    pub author: String,
    pub time: TimeView,
    pub body: String,
    pub held: bool,
    /// Why it is here: "Held: link", "Reported".
    pub why: String,
    pub reports: Vec<String>,
}

#[derive(Template)]
#[template(path = "comments/queue.html")]
pub struct QueueTemplate {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub items: Vec<QueueView>,
}

#[derive(Template)]
#[template(path = "newsroom/media.html")]
pub struct MediaLibraryTemplate {
    pub chrome: Chrome,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// What the uploader typed, kept when an upload is refused.
    pub caption: String,
    pub credit: String,
    pub alt: String,
    pub max_mb: usize,
    pub items: Vec<LibraryItemView>,
}

/// One image in the media library's grid.
pub struct LibraryItemView {
    pub id: i64,
    pub thumb: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub original: String,
    pub caption: String,
    pub credit: Option<String>,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// The widths of its resized copies, as text ("640, 1280, 1920"); empty for none.
    pub variants: String,
}
