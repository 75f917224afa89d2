//! The newsroom's story desk: who may do what to a story, and turning the editor's form into
//! a save.
//!
//! Rules:
//! - A reporter writes and saves drafts and submits them for editing; once submitted, the
//!   draft is the editors' until one sends it back, and a reporter never touches a story past
//!   draft. An editor or admin also publishes, schedules, unpublishes and sends drafts back.
//! - A story's photos and related story must exist and be fit to show: every photo with a
//!   caption and alt text, the related story published, its box between two paragraphs
//!   (`attachments`). A save that breaks one is refused before anything is written.
//! - Every save goes through `Store::save_story_handoff` with the revision the form was
//!   opened at, so a second editor's stale form is refused rather than overwriting the first
//!   one's work, and a submission or a sending back is written with the words it came with.

mod attachments;

pub use attachments::{Attachments, Preview, attachments, check_attachments, preview};

use crate::app::AppState;
use crate::web::error::WebError;
use broadsheet_domain::{StoryId, StoryInput, StoryKind, StoryStatus, User};
use broadsheet_store::{Handoff, SaveOutcome, StoreError};
use jiff::Timestamp;

/// What the editor asked for with the button they pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Keep the story's state (a new story is a draft).
    Save,
    Publish,
    Schedule,
    Unpublish,
    /// Save a draft and hand it to the editors.
    Submit,
    /// Save a submitted draft and hand it back to its writer.
    SendBack,
}

impl Action {
    pub fn parse(name: &str) -> Option<Action> {
        match name {
            "save" => Some(Action::Save),
            "publish" => Some(Action::Publish),
            "schedule" => Some(Action::Schedule),
            "unpublish" => Some(Action::Unpublish),
            "submit" => Some(Action::Submit),
            "send_back" => Some(Action::SendBack),
            _ => None,
        }
    }
}

/// The story as its editor last saved it (the latest revision), or as the store holds it
/// when it never went through the newsroom (imported, generated).
pub async fn editable(
    app: &AppState,
    id: StoryId,
) -> Result<(StoryInput, i64, StoryStatus), WebError> {
    let story = app.store.story(id).await?.ok_or(WebError::NotFound)?;
    let input = match app.store.revision_input(id, story.revision).await? {
        Some(input) => input,
        None => story.to_input(),
    };
    Ok((input, story.revision, story.status))
}

/// A blank story for the "new story" form.
pub fn blank(app: &AppState, section: broadsheet_domain::SectionId) -> StoryInput {
    StoryInput {
        external_id: None,
        kind: StoryKind::Article,
        status: StoryStatus::Draft,
        headline: String::new(),
        deck: None,
        body: String::new(),
        section_id: section,
        language: app.site().language.clone(),
        tags: Vec::new(),
        sources: Vec::new(),
        lead_media: None,
        gallery: Vec::new(),
        related_story_id: None,
        related_after: None,
        published_at: None,
        updated_at: None,
        link_refs: Vec::new(),
    }
}

/// What an editor's form asks of the store besides the words.
#[derive(Debug, Clone, Copy)]
pub struct Edit {
    /// `None` for a new story.
    pub id: Option<StoryId>,
    /// The story's state now (`None` for a new story).
    pub current: Option<StoryStatus>,
    pub action: Action,
    /// The revision the form was opened at.
    pub opened: Option<i64>,
    /// For scheduling.
    pub publish_at: Option<Timestamp>,
}

/// Save the editor's form.
pub async fn save(
    app: &AppState,
    user: &User,
    input: StoryInput,
    edit: Edit,
) -> Result<SaveOutcome, WebError> {
    save_with_note(app, user, input, edit, "").await
}

/// Whether `user` may do `action` to the story `id` (in state `current`; `None` for a new
/// story): the role rules above, checked before anything else is done for the save.
pub async fn may(
    app: &AppState,
    user: &User,
    id: Option<StoryId>,
    current: Option<StoryStatus>,
    action: Action,
) -> Result<(), WebError> {
    if user.role.can_moderate() {
        return Ok(());
    }
    let before = current.unwrap_or(StoryStatus::Draft);
    if !matches!(action, Action::Save | Action::Submit) || before != StoryStatus::Draft {
        return Err(WebError::Forbidden(
            "Reporters write drafts and submit them for editing; an editor publishes, \
             schedules, unpublishes and sends drafts back."
                .into(),
        ));
    }
    if let Some(id) = id
        && app.store.submission(id).await?.is_some()
    {
        return Err(WebError::Forbidden(
            "This draft is with the editors now; it can be changed again once an editor \
             sends it back."
                .into(),
        ));
    }
    Ok(())
}

/// Save the editor's form; `note` goes with a submission or a sending back (to the editors,
/// or back to the writer) and into the audit log.
pub async fn save_with_note(
    app: &AppState,
    user: &User,
    mut input: StoryInput,
    edit: Edit,
    note: &str,
) -> Result<SaveOutcome, WebError> {
    let Edit {
        id,
        current,
        action,
        opened,
        publish_at,
    } = edit;
    may(app, user, id, current, action).await?;
    let now = Timestamp::now();
    let before = current.unwrap_or(StoryStatus::Draft);
    check_attachments(app, &input).await?;
    input.status = match action {
        Action::Save | Action::Submit | Action::SendBack => before,
        Action::Publish => StoryStatus::Published,
        Action::Schedule => StoryStatus::Scheduled,
        Action::Unpublish => StoryStatus::Unpublished,
    };
    match action {
        // Going live now, unless it went live before (a re-publication keeps its date).
        Action::Publish
            if before != StoryStatus::Published
                && (before != StoryStatus::Unpublished || input.published_at.is_none()) =>
        {
            input.published_at = Some(now);
        }
        Action::Schedule => {
            let at = publish_at.ok_or_else(|| {
                WebError::BadRequest(
                    "Give the time to publish at, such as 2026-12-01T09:00+09:00.".into(),
                )
            })?;
            if at <= now {
                return Err(WebError::BadRequest(
                    "The time to publish at has passed; choose a later one or publish now.".into(),
                ));
            }
            input.published_at = Some(at);
        }
        Action::Submit if before != StoryStatus::Draft => {
            return Err(WebError::BadRequest(format!(
                "Only a draft is submitted for editing; this story is {before}."
            )));
        }
        _ => {}
    }
    if input.status == StoryStatus::Published && before == StoryStatus::Published {
        input.updated_at = Some(now);
    }
    let handoff = match action {
        Action::Submit => Handoff::Submit { note: note.into() },
        Action::SendBack => Handoff::SendBack { note: note.into() },
        _ => Handoff::Keep,
    };
    app.store
        .save_story_handoff(id, &input, Some(user.id), opened, &handoff)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(message) => WebError::Conflict(message),
            other => other.into(),
        })
}

/// One line of a difference between two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// The lines of `old` and `new` in order, each kept, removed or added: the longest common
/// subsequence of lines (stories are a few hundred lines at most, so the quadratic table is
/// small).
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if common[i + 1][j] >= common[i][j + 1] {
            out.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed(l.to_string())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added(l.to_string())));
    out
}

/// Bring back the words of an old revision as a new revision; the story's state (published,
/// draft...) stays as it is now.
pub async fn restore(
    app: &AppState,
    user: &User,
    id: StoryId,
    revision: i64,
) -> Result<SaveOutcome, WebError> {
    if !user.role.can_moderate() {
        return Err(WebError::Forbidden(
            "Only editors restore old revisions.".into(),
        ));
    }
    let (_, current, status) = editable(app, id).await?;
    let mut old = app
        .store
        .revision_input(id, revision)
        .await?
        .ok_or(WebError::NotFound)?;
    let now = app.store.story(id).await?.ok_or(WebError::NotFound)?;
    old.status = status;
    old.published_at = now.published_at;
    old.updated_at = if status == StoryStatus::Published {
        Some(Timestamp::now())
    } else {
        now.updated_at
    };
    app.store
        .save_story_as(Some(id), &old, Some(user.id), Some(current))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(message) => WebError::Conflict(message),
            other => other.into(),
        })
}

#[cfg(test)]
mod tests {
    use super::{DiffLine, diff_lines};

    #[test]
    fn differences_are_line_by_line() {
        let diff = diff_lines("one\ntwo\nthree", "one\n2\nthree\nfour");
        assert_eq!(
            diff,
            [
                DiffLine::Same("one".into()),
                DiffLine::Removed("two".into()),
                DiffLine::Added("2".into()),
                DiffLine::Same("three".into()),
                DiffLine::Added("four".into()),
            ]
        );
        assert!(diff_lines("", "").is_empty());
    }
}
