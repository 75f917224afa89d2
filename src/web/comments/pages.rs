//! The comments page, the two fragments the article fetches, and comment counts for lists.

use super::{BoxState, CommentBox, ListQuery, base, cache_key, conversation, story_of};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::services::comments::ban_message;
use crate::web::account::providers;
use crate::web::cache::{SurrogateKeys, story_key};
use crate::web::error::WebError;
use crate::web::forms::personal;
use crate::web::router::COMMENT_POLICY_PATH;
use crate::web::templates::{CommentBoxTemplate, CommentsFragmentTemplate, CommentsPageTemplate};
use crate::web::views::Chrome;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use broadsheet_domain::{CommentId, CommentsMode, StoryId, StoryStatus};
use broadsheet_store::CommentSettings;
use serde::Deserialize;

async fn settings(app: &AppState, story: StoryId) -> Result<CommentSettings, WebError> {
    app.store
        .comment_settings(story)
        .await?
        .filter(|s| s.status == StoryStatus::Published)
        .ok_or(WebError::NotFound)
}

fn box_state(app: &AppState, visitor: &Visitor, settings: &CommentSettings) -> BoxState {
    if settings.mode == CommentsMode::Closed {
        return BoxState::Closed;
    }
    match (visitor.user(), &visitor.0) {
        (Some(user), Some(session)) => match ban_message(user, &app.site().zone) {
            Some(message) => BoxState::Banned(message),
            None => BoxState::Open(session.csrf().to_string()),
        },
        _ => BoxState::SignIn,
    }
}

/// The whole conversation with its form: what readers without JavaScript use, and where
/// replies, edits and reports happen.
pub async fn page(
    State(app): State<AppState>,
    visitor: Visitor,
    Path(story): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let story = StoryId(story);
    let settings = settings(&app, story).await?;
    let comment_box = CommentBox::new(story, box_state(&app, &visitor, &settings));
    let comment_box = with_query(&app, &visitor, story, comment_box, &query).await?;
    render_page(&app, &visitor, story, &settings, comment_box, &query).await
}

/// Apply `?reply=`, `?edit=` and `?done=` to the box.
async fn with_query(
    app: &AppState,
    visitor: &Visitor,
    story: StoryId,
    mut comment_box: CommentBox,
    query: &ListQuery,
) -> Result<CommentBox, WebError> {
    comment_box.reply_to = query.reply;
    if let (Some(edit), Some(user)) = (query.edit, visitor.user())
        && let Some(comment) = app.store.comment(CommentId(edit)).await?
        && comment.user_id == user.id
        && comment.story_id == story
    {
        comment_box = comment_box.with_text(&comment.body);
        comment_box.editing = true;
        comment_box.reply_to = None;
        comment_box.action = format!("/comments/item/{edit}/edit");
    }
    comment_box.notice = match query.done.as_deref() {
        Some("posted") => Some("Your comment has been posted.".into()),
        Some("held") => {
            Some("Thank you. Your comment will appear once an editor has reviewed it.".into())
        }
        Some("edited") => Some("Your comment has been changed.".into()),
        Some("deleted") => Some("Your comment has been deleted.".into()),
        Some("reported") => Some("Thank you. An editor will look at the comment.".into()),
        Some("moderated") => Some("Done.".into()),
        _ => None,
    };
    Ok(comment_box)
}

/// Render the comments page (also used to show a refused comment with its words kept).
pub async fn render_page(
    app: &AppState,
    visitor: &Visitor,
    story: StoryId,
    settings: &CommentSettings,
    comment_box: CommentBox,
    query: &ListQuery,
) -> Result<Response, WebError> {
    let (headline, story_href) = story_of(app, story).await?;
    let viewer = visitor.user();
    let conversation = conversation(app, story, query, viewer).await?;
    let csrf = visitor
        .0
        .as_ref()
        .filter(|s| s.user.is_some())
        .map(|s| s.csrf().to_string());
    let template = CommentsPageTemplate {
        chrome: Chrome::new(
            &app.site(),
            &app.sections(),
            &format!("Comments: {headline}"),
            None,
        ),
        headline,
        story_href,
        story_id: story.0,
        count: settings.count,
        mode: settings.mode.as_str(),
        moderator: viewer.is_some_and(|u| u.role.can_moderate()),
        report: query.report.filter(|_| csrf.is_some()),
        csrf_value: csrf.clone().unwrap_or_default(),
        csrf,
        base: base(story),
        providers: providers(app),
        policy_href: COMMENT_POLICY_PATH,
        comment_box,
        conversation,
    };
    Ok(personal(crate::web::render(&template)?, None))
}

/// The conversation alone, the same for every reader: cached until a comment on the story
/// changes.
pub async fn list(
    State(app): State<AppState>,
    Path(story): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let story = StoryId(story);
    settings(&app, story).await?;
    let conversation = conversation(&app, story, &query, None).await?;
    let template = CommentsFragmentTemplate {
        base: base(story),
        csrf: None,
        moderator: false,
        conversation,
    };
    let response = crate::web::render(&template)?;
    Ok(SurrogateKeys::new([cache_key(story), story_key(story)]).on(response))
}

/// The comment box alone, for this reader.
pub async fn comment_box(
    State(app): State<AppState>,
    visitor: Visitor,
    Path(story): Path<i64>,
) -> Result<Response, WebError> {
    let story = StoryId(story);
    let settings = settings(&app, story).await?;
    let template = CommentBoxTemplate {
        base: base(story),
        providers: providers(&app),
        policy_href: COMMENT_POLICY_PATH,
        comment_box: CommentBox::new(story, box_state(&app, &visitor, &settings)),
    };
    Ok(personal(crate::web::render(&template)?, None))
}

#[derive(Debug, Deserialize)]
pub struct CountsQuery {
    pub ids: String,
}

/// Visible comment counts of up to 100 stories: `{"12": 3, ...}`.
pub async fn counts(
    State(app): State<AppState>,
    Query(query): Query<CountsQuery>,
) -> Result<Json<serde_json::Map<String, serde_json::Value>>, WebError> {
    let ids: Vec<StoryId> = query
        .ids
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().parse().map(StoryId))
        .collect::<Result<_, _>>()
        .map_err(|_| {
            WebError::BadRequest("ids must be story numbers separated by commas".into())
        })?;
    if ids.len() > 100 {
        return Err(WebError::BadRequest(
            "ask for at most 100 stories at once".into(),
        ));
    }
    let counts = app.store.comment_counts(&ids).await?;
    Ok(Json(
        counts
            .into_iter()
            .map(|(id, n)| (id.to_string(), n.into()))
            .collect(),
    ))
}
