//! Comments on the web.
//!
//! The article page (cached, the same for everyone) holds a link to the comments page and,
//! for browsers running `site.js`, two fragments fetched into it: the conversation
//! (`/comments/{story}/list`, cached apart from the article and purged by the change feed
//! when a comment on that story changes) and the comment box (`/comments/{story}/box`,
//! personal: it carries the reader's CSRF token). Without JavaScript the comments page
//! (`/comments/{story}`) does everything, so the forms work anywhere.

pub mod actions;
pub mod moderation;
pub mod pages;

use crate::app::AppState;
use crate::services::site::Site;
use crate::web::error::WebError;
use crate::web::views::{TimeView, story_href};
use broadsheet_domain::comment::{EDIT_WINDOW, MAX_COMMENT, visible_length};
use broadsheet_domain::{Comment, CommentStatus, StoryId, User};
use broadsheet_store::{CommentOrder, CommentThread};
use jiff::Timestamp;
use serde::Deserialize;

/// Top-level comments per page.
pub const PAGE_SIZE: i64 = 20;

/// The comments page of a story.
pub fn base(story: StoryId) -> String {
    format!("/comments/{story}")
}

/// The cache key of a story's conversation fragment.
pub fn cache_key(story: StoryId) -> String {
    format!("comments:{story}")
}

/// A comment as a page shows it.
#[derive(Debug, Clone)]
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub deleted_author: bool,
    pub body: String,
    /// Shown instead of a taken-down comment that still has replies.
    pub placeholder: Option<&'static str>,
    pub time: TimeView,
    pub edited: bool,
    pub held: bool,
    pub own: bool,
    pub editable: bool,
    pub can_reply: bool,
    pub replies: Vec<CommentView>,
}

impl CommentView {
    fn new(
        site: &Site,
        comment: &Comment,
        viewer: Option<&User>,
        replies: Vec<CommentView>,
    ) -> CommentView {
        let own = viewer.is_some_and(|v| v.id == comment.user_id);
        let placeholder = match comment.status {
            CommentStatus::Deleted => Some("This comment was deleted by its writer."),
            CommentStatus::Hidden => Some("This comment was removed by an editor."),
            _ => None,
        };
        CommentView {
            id: comment.id.0,
            author: comment
                .author
                .clone()
                .unwrap_or_else(|| "deleted reader".into()),
            deleted_author: comment.author.is_none(),
            body: comment.body.clone(),
            placeholder,
            time: TimeView::new(site, comment.created_at),
            edited: comment.edited_at.is_some(),
            held: comment.status == CommentStatus::Held,
            own,
            editable: own && Timestamp::now().duration_since(comment.created_at) <= EDIT_WINDOW,
            can_reply: comment.parent_id.is_none() && placeholder.is_none(),
            replies,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    pub order: Option<String>,
    pub page: Option<i64>,
    pub reply: Option<i64>,
    pub edit: Option<i64>,
    pub report: Option<i64>,
    pub done: Option<String>,
}

/// One page of the conversation, ready for `comments/list.html`.
pub struct Conversation {
    pub threads: Vec<CommentView>,
    pub total: i64,
    pub newest: bool,
    pub page: i64,
    pub newer: Option<String>,
    pub older: Option<String>,
}

pub async fn conversation(
    app: &AppState,
    story: StoryId,
    query: &ListQuery,
    viewer: Option<&User>,
) -> Result<Conversation, WebError> {
    let newest = query.order.as_deref() != Some("oldest");
    let order = if newest {
        CommentOrder::Newest
    } else {
        CommentOrder::Oldest
    };
    let page = query.page.unwrap_or(1).max(1);
    let (threads, total) = app
        .store
        .story_comments(story, order, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        .await?;
    let site = app.site();
    let threads = threads
        .iter()
        .map(|CommentThread { comment, replies }| {
            let replies = replies
                .iter()
                .map(|r| CommentView::new(&site, r, viewer, vec![]))
                .collect();
            CommentView::new(&site, comment, viewer, replies)
        })
        .collect();
    let order_param = if newest { "" } else { "order=oldest&" };
    let href = |n: i64| format!("{}?{order_param}page={n}#comments-list", base(story));
    Ok(Conversation {
        threads,
        total,
        newest,
        page,
        newer: (page > 1).then(|| href(page - 1)),
        older: (page * PAGE_SIZE < total).then(|| href(page + 1)),
    })
}

/// What the comment box shows.
#[derive(Debug, Clone)]
pub enum BoxState {
    Closed,
    Banned(String),
    SignIn,
    Open(String),
}

/// The comment box's words and state.
pub struct CommentBox {
    pub box_state: BoxState,
    pub action: String,
    pub reply_to: Option<i64>,
    pub editing: bool,
    pub text: String,
    pub text_length: usize,
    pub limit: usize,
    pub error: Option<String>,
    pub notice: Option<String>,
}

impl CommentBox {
    pub fn new(story: StoryId, box_state: BoxState) -> CommentBox {
        CommentBox {
            box_state,
            action: base(story),
            reply_to: None,
            editing: false,
            text: String::new(),
            text_length: 0,
            limit: MAX_COMMENT,
            error: None,
            notice: None,
        }
    }

    /// Keep what the reader typed (a refused comment is never lost).
    pub fn with_text(mut self, text: &str) -> CommentBox {
        self.text_length = visible_length(text);
        self.text = text.to_string();
        self
    }
}

/// The story a comments page belongs to: its headline and address (published stories only).
pub async fn story_of(app: &AppState, story: StoryId) -> Result<(String, String), WebError> {
    let card = app
        .store
        .cards(&[story])
        .await?
        .into_iter()
        .next()
        .ok_or(WebError::NotFound)?;
    let tree = app.sections_with([card.section_id]).await?;
    let href = story_href(
        &app.site(),
        &tree,
        card.section_id,
        card.published_at,
        &card.slug,
        card.id.0,
    );
    Ok((card.headline, href))
}
