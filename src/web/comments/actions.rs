//! What signed-in readers do with comments: post, reply, edit, delete, report. Each answers
//! a success with 303 back to the comments page, and a refusal with the page again, the
//! reader's words kept in the box and the reason above it.

use super::pages::render_page;
use super::{BoxState, CommentBox, ListQuery, base};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::auth::session::SignedIn;
use crate::services::comments;
use crate::web::client::ClientAddr;
use crate::web::error::WebError;
use crate::web::forms::{Form, see_other, with_status};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::{CommentId, CommentStatus, StoryId};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    pub body: String,
    pub parent_id: Option<String>,
}

pub async fn post(
    State(app): State<AppState>,
    signed_in: SignedIn,
    ClientAddr(client): ClientAddr,
    Path(story): Path<i64>,
    Form(form): Form<CommentForm>,
) -> Result<Response, WebError> {
    let story = StoryId(story);
    let parent = match form
        .parent_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(text) => Some(CommentId(text.parse().map_err(|_| {
            WebError::BadRequest("The comment being replied to is not a comment number.".into())
        })?)),
        None => None,
    };
    match comments::post(&app, &signed_in.user, &client, story, parent, &form.body).await {
        Ok(comment) => {
            let done = if comment.status == CommentStatus::Held {
                "held"
            } else {
                "posted"
            };
            Ok(see_other(
                &format!("{}?done={done}#comment-{}", base(story), comment.id),
                None,
            ))
        }
        Err(e) => refused(&app, signed_in, story, e, &form.body, parent, None).await,
    }
}

/// Show the comments page again with the refusal and the words kept; errors that are not
/// about the words (a missing story, a throttle) answer as themselves.
async fn refused(
    app: &AppState,
    signed_in: SignedIn,
    story: StoryId,
    error: WebError,
    text: &str,
    parent: Option<CommentId>,
    editing: Option<CommentId>,
) -> Result<Response, WebError> {
    let (status, message) = match error {
        WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
        WebError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
        WebError::TooManyRequests { .. } | WebError::NotFound | WebError::Internal(_) => {
            return Err(error);
        }
        other => return Err(other),
    };
    let Some(settings) = app.store.comment_settings(story).await? else {
        return Err(WebError::NotFound);
    };
    let mut comment_box =
        CommentBox::new(story, BoxState::Open(signed_in.session.csrf().to_string()))
            .with_text(text);
    comment_box.error = Some(message);
    comment_box.reply_to = parent.map(|p| p.0);
    if let Some(id) = editing {
        comment_box.editing = true;
        comment_box.action = format!("/comments/item/{id}/edit");
    }
    let visitor = Visitor(Some(signed_in.session));
    let page = render_page(
        app,
        &visitor,
        story,
        &settings,
        comment_box,
        &ListQuery::default(),
    )
    .await?;
    Ok(with_status(status, page))
}

pub async fn edit(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> Result<Response, WebError> {
    let id = CommentId(id);
    let story = app
        .store
        .comment(id)
        .await?
        .ok_or(WebError::NotFound)?
        .story_id;
    match comments::edit(&app, &signed_in.user, id, &form.body).await {
        Ok(_) => Ok(see_other(
            &format!("{}?done=edited#comment-{id}", base(story)),
            None,
        )),
        Err(e) => refused(&app, signed_in, story, e, &form.body, None, Some(id)).await,
    }
}

pub async fn delete(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let comment = comments::delete(&app, &signed_in.user, CommentId(id)).await?;
    Ok(see_other(
        &format!("{}?done=deleted", base(comment.story_id)),
        None,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReportForm {
    pub reason: String,
}

pub async fn report(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReportForm>,
) -> Result<Response, WebError> {
    let comment = comments::report(&app, &signed_in.user, CommentId(id), &form.reason).await?;
    Ok(see_other(
        &format!("{}?done=reported", base(comment.story_id)),
        None,
    ))
}
