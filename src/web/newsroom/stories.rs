//! The story desk: the list of stories in every state, and the editor.

use super::require_staff;
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::newsroom::{self, Action};
use crate::web::error::WebError;
use crate::web::forms::{Form, personal, see_other, with_status};
use crate::web::templates::{DeskRowView, DeskTemplate, EditorTemplate, SectionOption};
use crate::web::views::{Chrome, TimeView, story_href};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::{SectionId, StoryId, StoryInput, StoryStatus};
use broadsheet_store::DeskFilter;
use serde::Deserialize;

fn section_options(app: &AppState, selected: Option<SectionId>) -> Vec<SectionOption> {
    let tree = app.sections();
    let mut options = Vec::new();
    fn walk(
        tree: &broadsheet_domain::SectionTree,
        parent: Option<SectionId>,
        depth: usize,
        selected: Option<SectionId>,
        out: &mut Vec<SectionOption>,
    ) {
        for section in tree.children_of(parent) {
            out.push(SectionOption {
                id: section.id.0,
                label: format!("{}{}", "— ".repeat(depth), section.name),
                selected: Some(section.id) == selected,
            });
            walk(tree, Some(section.id), depth + 1, selected, out);
        }
    }
    walk(&tree, None, 0, selected, &mut options);
    options
}

#[derive(Debug, Deserialize)]
pub struct DeskQuery {
    pub q: Option<String>,
    pub status: Option<String>,
    pub section: Option<String>,
}

pub async fn desk(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<DeskQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let status = query.status.as_deref().and_then(StoryStatus::parse);
    let section = query
        .section
        .as_deref()
        .and_then(|s| s.parse().ok())
        .map(SectionId);
    let q = query.q.clone().unwrap_or_default();
    let rows = app
        .store
        .desk(&DeskFilter {
            status,
            section,
            headline: Some(q.trim().to_string()).filter(|q| !q.is_empty()),
            limit: 200,
        })
        .await?;
    let site = app.site();
    let tree = app.sections();
    let template = DeskTemplate {
        chrome: Chrome::new(&site, &tree, "Newsroom", None),
        editor: signed_in.user.role.can_moderate(),
        q,
        statuses: StoryStatus::ALL
            .iter()
            .map(|s| (s.as_str(), Some(*s) == status))
            .collect(),
        sections: section_options(&app, section),
        rows: rows
            .iter()
            .map(|r| DeskRowView {
                id: r.id.0,
                headline: r.headline.clone(),
                status: r.status.as_str(),
                section: tree
                    .get(r.section_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                changed: TimeView::new(&site, r.modified_at),
            })
            .collect(),
    };
    Ok(personal(crate::web::render(&template)?, None))
}

/// What the editor page shows besides the story's words.
struct Shown {
    id: Option<StoryId>,
    status: StoryStatus,
    revision: i64,
    notice: Option<String>,
    error: Option<String>,
    publish_at: String,
}

async fn render_editor(
    app: &AppState,
    signed_in: &SignedIn,
    input: &StoryInput,
    shown: Shown,
    code: StatusCode,
) -> Result<Response, WebError> {
    let site = app.site();
    let tree = app.sections();
    let revisions = match shown.id {
        Some(id) => app
            .store
            .revisions(id)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r.revision,
                    r.status.as_str(),
                    TimeView::new(&site, r.saved_at),
                    r.author,
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let live_href = match (shown.id, shown.status, input.published_at) {
        (Some(id), StoryStatus::Published, Some(at)) => {
            let slug = broadsheet_domain::slug::slugify(&input.headline);
            Some(story_href(&site, &tree, input.section_id, at, &slug, id.0))
        }
        _ => None,
    };
    let template = EditorTemplate {
        chrome: Chrome::new(&site, &tree, "Newsroom: story", None),
        id: shown.id.map(|i| i.0),
        status: shown.status.as_str(),
        action: match shown.id {
            Some(id) => format!("/newsroom/stories/{id}"),
            None => "/newsroom/stories".into(),
        },
        csrf: signed_in.session.csrf().to_string(),
        revision: shown.revision,
        input: input.clone(),
        deck: input.deck.clone().unwrap_or_default(),
        tags: input.tags.join(", "),
        known_tags: app.store.popular_tags(200).await?,
        publish_at: shown.publish_at,
        sections: section_options(app, Some(input.section_id)),
        editor: signed_in.user.role.can_moderate(),
        notice: shown.notice,
        error: shown.error,
        live_href,
        revisions,
    };
    Ok(personal(
        with_status(code, crate::web::render(&template)?),
        None,
    ))
}

pub async fn new_story(
    State(app): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let first = app
        .sections()
        .top_level()
        .first()
        .map(|s| s.id)
        .ok_or_else(|| {
            WebError::BadRequest("The paper has no sections yet; make one first.".into())
        })?;
    let input = newsroom::blank(&app, first);
    let shown = Shown {
        id: None,
        status: StoryStatus::Draft,
        revision: 0,
        notice: None,
        error: None,
        publish_at: String::new(),
    };
    render_editor(&app, &signed_in, &input, shown, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub struct EditorQuery {
    pub saved: Option<String>,
}

pub async fn edit(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<EditorQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let (input, revision, status) = newsroom::editable(&app, StoryId(id)).await?;
    let notice = query.saved.map(|what| match what.as_str() {
        "published" => "Published.".to_string(),
        "scheduled" => "Scheduled.".to_string(),
        "unpublished" => "Unpublished: readers now get a page saying it was withdrawn.".to_string(),
        "restored" => "The old revision's words are back, as a new revision.".to_string(),
        "corrected" => "The correction is on the story.".to_string(),
        _ => "Saved.".to_string(),
    });
    let publish_at = match (status, input.published_at) {
        (StoryStatus::Scheduled, Some(at)) => app.site().zone.iso(at),
        _ => String::new(),
    };
    let shown = Shown {
        id: Some(StoryId(id)),
        status,
        revision,
        notice,
        error: None,
        publish_at,
    };
    render_editor(&app, &signed_in, &input, shown, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub struct EditorForm {
    pub headline: String,
    #[serde(default)]
    pub deck: String,
    #[serde(default)]
    pub body: String,
    pub section: i64,
    #[serde(default)]
    pub tags: String,
    pub language: String,
    #[serde(default)]
    pub publish_at: String,
    pub revision: Option<i64>,
    pub action: String,
}

pub async fn create(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    submit(app, signed_in, None, form).await
}

pub async fn update(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<EditorForm>,
) -> Result<Response, WebError> {
    submit(app, signed_in, Some(StoryId(id)), form).await
}

async fn submit(
    app: AppState,
    signed_in: SignedIn,
    id: Option<StoryId>,
    form: EditorForm,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let action = Action::parse(&form.action).ok_or_else(|| {
        WebError::BadRequest(format!(
            "'{}' is not something the editor can do",
            form.action
        ))
    })?;
    let (mut input, current) = match id {
        Some(id) => {
            let (input, _, status) = newsroom::editable(&app, id).await?;
            (input, Some(status))
        }
        None => (newsroom::blank(&app, SectionId(form.section)), None),
    };
    input.headline = form.headline.clone();
    input.deck = Some(form.deck.trim().to_string()).filter(|d| !d.is_empty());
    input.body = form.body.replace("\r\n", "\n");
    input.section_id = SectionId(form.section);
    input.language = form.language.trim().to_string();
    input.tags = form
        .tags
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let publish_at = match form.publish_at.trim() {
        "" => None,
        text => Some(parse_time(text)?),
    };
    let request = newsroom::Edit {
        id,
        current,
        action,
        opened: form.revision.filter(|_| id.is_some()),
        publish_at,
    };
    match newsroom::save(&app, &signed_in.user, input.clone(), request).await {
        Ok(saved) => {
            let what = match action {
                Action::Save => "saved",
                Action::Publish => "published",
                Action::Schedule => "scheduled",
                Action::Unpublish => "unpublished",
            };
            Ok(see_other(
                &format!("/newsroom/stories/{}?saved={what}", saved.id),
                None,
            ))
        }
        Err(e @ (WebError::Conflict(_) | WebError::BadRequest(_))) => {
            // Shown again with everything the writer typed; nothing is lost.
            let code = if matches!(e, WebError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            let revision = match id {
                Some(id) => app
                    .store
                    .story(id)
                    .await?
                    .map(|s| s.revision)
                    .unwrap_or_default(),
                None => 0,
            };
            let message = match e {
                WebError::Conflict(m) | WebError::BadRequest(m) => m,
                _ => unreachable!("matched above"),
            };
            let shown = Shown {
                id,
                status: current.unwrap_or(StoryStatus::Draft),
                revision: if code == StatusCode::CONFLICT {
                    form.revision.unwrap_or(revision)
                } else {
                    revision
                },
                notice: None,
                error: Some(message),
                publish_at: form.publish_at.clone(),
            };
            render_editor(&app, &signed_in, &input, shown, code).await
        }
        Err(other) => Err(other),
    }
}

fn parse_time(text: &str) -> Result<jiff::Timestamp, WebError> {
    text.parse::<jiff::Timestamp>().map_err(|_| {
        WebError::BadRequest(format!(
            "'{text}' is not a time with its offset, such as 2026-12-01T09:00+09:00"
        ))
    })
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    pub from: i64,
    pub to: i64,
}

/// The difference between two revisions of a story's words.
pub async fn diff(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let story = StoryId(id);
    let old = app
        .store
        .revision_input(story, query.from)
        .await?
        .ok_or(WebError::NotFound)?;
    let new = app
        .store
        .revision_input(story, query.to)
        .await?
        .ok_or(WebError::NotFound)?;
    let template = crate::web::templates::DiffTemplate {
        chrome: Chrome::new(&app.site(), &app.sections(), "Newsroom: revisions", None),
        id,
        from: query.from,
        to: query.to,
        headline_changed: old.headline != new.headline,
        old_headline: old.headline.clone(),
        new_headline: new.headline.clone(),
        lines: newsroom::diff_lines(&old.body, &new.body),
        editor: signed_in.user.role.can_moderate(),
        csrf: signed_in.session.csrf().to_string(),
    };
    Ok(personal(crate::web::render(&template)?, None))
}

#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    pub revision: i64,
}

pub async fn restore(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    newsroom::restore(&app, &signed_in.user, StoryId(id), form.revision).await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}?saved=restored"),
        None,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CorrectionForm {
    pub text: String,
}

pub async fn correct(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    if !signed_in.user.role.can_moderate() {
        return Err(WebError::Forbidden("Only editors add corrections.".into()));
    }
    app.store
        .add_correction(StoryId(id), &form.text, Some(signed_in.user.id))
        .await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}?saved=corrected"),
        None,
    ))
}
