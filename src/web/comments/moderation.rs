//! Editors' moderation: the queue of held and reported comments, hide and restore, bans,
//! and each story's comment mode. Every handler checks the role through the service.

use super::base;
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::comments::{self, BanLength};
use crate::web::error::WebError;
use crate::web::forms::{Form, personal, see_other};
use crate::web::templates::{QueueTemplate, QueueView};
use crate::web::views::{Chrome, TimeView};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use broadsheet_domain::{CommentId, CommentStatus, CommentsMode, StoryId, UserId};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    pub done: Option<String>,
}

pub async fn queue(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<QueueQuery>,
) -> Result<Response, WebError> {
    if !signed_in.user.role.can_moderate() {
        return Err(WebError::Forbidden(
            "Only editors can moderate comments.".into(),
        ));
    }
    let site = app.site();
    let items = app
        .store
        .moderation_queue(200)
        .await?
        .into_iter()
        .map(|item| {
            let c = &item.comment;
            let held = c.status == CommentStatus::Held;
            QueueView {
                id: c.id.0,
                story_id: c.story_id.0,
                story_headline: item.story_headline.clone(),
                user_id: c.user_id.0,
                author: c.author.clone().unwrap_or_else(|| "deleted reader".into()),
                time: TimeView::new(&site, c.created_at),
                body: c.body.clone(),
                held,
                why: if held {
                    format!("Held: {}", c.held_reason.as_deref().unwrap_or("review"))
                } else {
                    "Reported".into()
                },
                reports: item
                    .reports
                    .iter()
                    .map(|(reason, by)| match by {
                        Some(name) => format!("{reason} (by {name})"),
                        None => reason.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let template = QueueTemplate {
        chrome: Chrome::new(&site, &app.sections(), "Comment moderation", None),
        csrf: signed_in.session.csrf().to_string(),
        notice: query.done.map(|_| "Done.".to_string()),
        items,
    };
    Ok(personal(crate::web::render(&template)?, None))
}

async fn decide(
    app: &AppState,
    editor: &SignedIn,
    id: i64,
    to: CommentStatus,
) -> Result<Response, WebError> {
    comments::moderate(app, &editor.user, CommentId(id), to).await?;
    Ok(see_other("/comments/queue?done=1", None))
}

pub async fn hide(
    State(app): State<AppState>,
    editor: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    decide(&app, &editor, id, CommentStatus::Hidden).await
}

/// Approve a held comment, keep a reported one, or bring back a hidden one.
pub async fn restore(
    State(app): State<AppState>,
    editor: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    decide(&app, &editor, id, CommentStatus::Visible).await
}

#[derive(Debug, Deserialize)]
pub struct BanForm {
    pub user_id: i64,
    pub length: String,
}

pub async fn ban(
    State(app): State<AppState>,
    editor: SignedIn,
    Form(form): Form<BanForm>,
) -> Result<Response, WebError> {
    let length = BanLength::parse(&form.length).ok_or_else(|| {
        WebError::BadRequest(format!(
            "'{}' is not a ban length: use 1d, 7d, 30d (any number of days up to 3650), forever or lift",
            form.length
        ))
    })?;
    comments::ban(&app, &editor.user, UserId(form.user_id), length).await?;
    Ok(see_other("/comments/queue?done=1", None))
}

#[derive(Debug, Deserialize)]
pub struct ModeForm {
    pub mode: String,
}

pub async fn mode(
    State(app): State<AppState>,
    editor: SignedIn,
    Path(story): Path<i64>,
    Form(form): Form<ModeForm>,
) -> Result<Response, WebError> {
    let mode = CommentsMode::parse(&form.mode).ok_or_else(|| {
        WebError::BadRequest(format!(
            "'{}' is not open, premoderated or closed",
            form.mode
        ))
    })?;
    comments::set_mode(&app, &editor.user, StoryId(story), mode).await?;
    Ok(see_other(
        &format!("{}?done=moderated", base(StoryId(story))),
        None,
    ))
}
