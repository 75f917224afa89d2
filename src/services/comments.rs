//! Comments: the rules a reader's comment meets before the store sees it, and moderation.
//!
//! Order of checks for a new comment: the account is not banned, the words are acceptable
//! (so a bad comment is refused the same way whatever else holds), the story is published
//! and open, the writer and their address are within the rate limit (checked and counted by
//! the store in the comment's own transaction). Then the comment is held for an editor when
//! the story is premoderated or the words carry a link or a listed word; staff comments are
//! never held.

use crate::app::AppState;
use crate::auth::throttle::{Limit, too_many};
use crate::web::error::WebError;
use broadsheet_domain::comment::{
    EDIT_WINDOW, normalize_comment, normalize_report_reason, reason_to_hold,
};
use broadsheet_domain::{
    Comment, CommentId, CommentStatus, CommentsMode, StoryId, StoryStatus, User, UserId,
};
use broadsheet_store::{Limited, NewComment};
use jiff::{SignedDuration, Timestamp};

fn per_account(app: &AppState) -> Limit {
    Limit {
        bucket: "comment-account",
        max: app.config.comments_per_minute,
        window: SignedDuration::from_mins(1),
    }
}

fn per_address(app: &AppState) -> Limit {
    Limit {
        bucket: "comment-address",
        max: app.config.comments_per_minute,
        window: SignedDuration::from_mins(1),
    }
}

/// Why this account may not comment now, if it may not.
pub fn ban_message(user: &User, site_zone: &broadsheet_domain::time::SiteZone) -> Option<String> {
    let until = user.banned_until?;
    if until <= Timestamp::now() {
        return None;
    }
    Some(
        if until.as_microsecond() == Timestamp::MAX.as_microsecond() {
            "Your account may no longer comment on this site.".to_string()
        } else {
            format!(
                "Your account may not comment until {}.",
                site_zone.wall(until).strftime("%-d %B %Y, %H:%M")
            )
        },
    )
}

/// A reader's new comment or reply.
pub async fn post(
    app: &AppState,
    user: &User,
    client: &str,
    story: StoryId,
    parent: Option<CommentId>,
    raw: &str,
) -> Result<Comment, WebError> {
    if let Some(message) = ban_message(user, &app.site().zone) {
        return Err(WebError::Forbidden(message));
    }
    let body = normalize_comment(raw).map_err(|e| WebError::BadRequest(sentence(&e)))?;
    let settings = app
        .store
        .comment_settings(story)
        .await?
        .filter(|s| s.status == StoryStatus::Published)
        .ok_or(WebError::NotFound)?;
    if settings.mode == CommentsMode::Closed {
        return Err(WebError::Forbidden(
            "Comments on this story are closed.".into(),
        ));
    }
    let account_key = format!("user:{}", user.id);
    let address_key = format!("ip:{client}");
    // In the order a refusal names them: the account's own limit first.
    let limits = [
        (per_account(app).on(&account_key), "comments"),
        (
            per_address(app).on(&address_key),
            "comments from your network",
        ),
    ];
    let (status, held_reason) = hold(app, user, settings.mode, &body);
    let new = NewComment {
        story_id: story,
        user_id: user.id,
        parent_id: parent,
        body,
        status,
        held_reason,
    };
    match app.store.add_comment(&new, &limits.map(|(t, _)| t)).await? {
        Limited::Done(comment) => Ok(comment),
        Limited::Refused(refusal) => Err(too_many(limits[refusal.limit].1, refusal.retry_at)),
    }
}

fn hold(
    app: &AppState,
    user: &User,
    mode: CommentsMode,
    body: &str,
) -> (CommentStatus, Option<String>) {
    if user.role.can_moderate() {
        return (CommentStatus::Visible, None);
    }
    if mode == CommentsMode::Premoderated {
        return (CommentStatus::Held, Some("premoderated".into()));
    }
    match reason_to_hold(body, &app.site().held_words) {
        Some(reason) => (CommentStatus::Held, Some(reason.into())),
        None => (CommentStatus::Visible, None),
    }
}

/// "comment: is 251 characters long..." reads better to a reader as "Your comment is ...".
fn sentence(e: &broadsheet_domain::ValidationError) -> String {
    format!("Your {} {}.", e.field, e.message.trim_end_matches('.'))
}

/// A comment its writer may act on, or the reason they may not.
async fn own(app: &AppState, user: &User, id: CommentId) -> Result<Comment, WebError> {
    let comment = app.store.comment(id).await?.ok_or(WebError::NotFound)?;
    if comment.user_id != user.id {
        return Err(WebError::Forbidden(
            "Only its writer can change a comment.".into(),
        ));
    }
    if comment.status == CommentStatus::Deleted || comment.status == CommentStatus::Hidden {
        return Err(WebError::NotFound);
    }
    Ok(comment)
}

/// The writer corrects their comment within five minutes of posting it.
pub async fn edit(
    app: &AppState,
    user: &User,
    id: CommentId,
    raw: &str,
) -> Result<Comment, WebError> {
    let comment = own(app, user, id).await?;
    if Timestamp::now().duration_since(comment.created_at) > EDIT_WINDOW {
        return Err(WebError::Forbidden(
            "A comment can be edited for five minutes after it is posted; that time has passed."
                .into(),
        ));
    }
    let body = normalize_comment(raw).map_err(|e| WebError::BadRequest(sentence(&e)))?;
    let mode = app
        .store
        .comment_settings(comment.story_id)
        .await?
        .map(|s| s.mode)
        .unwrap_or_default();
    if mode == CommentsMode::Closed {
        return Err(WebError::Forbidden(
            "Comments on this story are closed.".into(),
        ));
    }
    // A comment an editor has not yet seen stays held; new words may hold a visible one.
    let (status, reason) = match (comment.status, hold(app, user, mode, &body)) {
        (CommentStatus::Held, (CommentStatus::Visible, _)) => {
            (CommentStatus::Held, comment.held_reason.clone())
        }
        (_, held) => held,
    };
    Ok(app
        .store
        .edit_comment(id, &body, status, reason.as_deref())
        .await?)
}

/// The writer takes their comment down.
pub async fn delete(app: &AppState, user: &User, id: CommentId) -> Result<Comment, WebError> {
    own(app, user, id).await?;
    Ok(app
        .store
        .set_comment_status(id, CommentStatus::Deleted, None)
        .await?)
}

pub async fn report(
    app: &AppState,
    user: &User,
    id: CommentId,
    reason: &str,
) -> Result<Comment, WebError> {
    let comment = app.store.comment(id).await?.ok_or(WebError::NotFound)?;
    if comment.status != CommentStatus::Visible {
        return Err(WebError::NotFound);
    }
    if comment.user_id == user.id {
        return Err(WebError::BadRequest(
            "You cannot report your own comment; delete it instead.".into(),
        ));
    }
    let reason = normalize_report_reason(reason).map_err(|e| WebError::BadRequest(sentence(&e)))?;
    app.store.report_comment(id, user.id, &reason).await?;
    Ok(comment)
}

fn require_moderator(user: &User) -> Result<(), WebError> {
    if user.role.can_moderate() {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "Only editors can moderate comments.".into(),
        ))
    }
}

/// An editor hides a comment, or restores (approves) one.
pub async fn moderate(
    app: &AppState,
    editor: &User,
    id: CommentId,
    to: CommentStatus,
) -> Result<Comment, WebError> {
    require_moderator(editor)?;
    let comment = app.store.comment(id).await?.ok_or(WebError::NotFound)?;
    if comment.status == CommentStatus::Deleted {
        return Err(WebError::BadRequest(
            "Its writer deleted this comment; it cannot be restored.".into(),
        ));
    }
    Ok(app
        .store
        .set_comment_status(id, to, Some(editor.id))
        .await?)
}

/// How long a ban lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BanLength {
    Days(i64),
    ForGood,
    Lift,
}

impl BanLength {
    pub fn parse(text: &str) -> Option<BanLength> {
        match text {
            "forever" => Some(BanLength::ForGood),
            "lift" => Some(BanLength::Lift),
            days => days
                .strip_suffix('d')
                .and_then(|n| n.parse().ok())
                .filter(|n| (1..=3650).contains(n))
                .map(BanLength::Days),
        }
    }
}

pub async fn ban(
    app: &AppState,
    editor: &User,
    target: UserId,
    length: BanLength,
) -> Result<(), WebError> {
    require_moderator(editor)?;
    let user = app.store.user(target).await?.ok_or(WebError::NotFound)?;
    if user.role.can_moderate() {
        return Err(WebError::Forbidden(
            "Editors and admins cannot be banned from commenting; change their role first.".into(),
        ));
    }
    let until = match length {
        BanLength::Days(days) => Some(Timestamp::now() + SignedDuration::from_hours(24 * days)),
        BanLength::ForGood => Some(Timestamp::MAX),
        BanLength::Lift => None,
    };
    app.store.set_ban(target, until).await?;
    Ok(())
}

pub async fn set_mode(
    app: &AppState,
    editor: &User,
    story: StoryId,
    mode: CommentsMode,
) -> Result<(), WebError> {
    require_moderator(editor)?;
    Ok(app.store.set_comments_mode(story, mode).await?)
}

/// What happens to an account's comments when it is deleted: kept under "deleted reader",
/// or taken down, as the site's setting says.
pub async fn forget_account(app: &AppState, user: &User) -> Result<(), WebError> {
    if !app.site().keep_comments_of_deleted_accounts {
        app.store.remove_user_comments(user.id).await?;
    }
    Ok(())
}
