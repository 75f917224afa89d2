//! Stories through the API: reading the list's filters, turning a request body into a
//! `StoryInput`, and saving, publishing and unpublishing through `services::newsroom`.
//!
//! Rules:
//! - Every field of a body is checked before anything is written, and a refusal names the
//!   field as the API spells it (`section_id`, `lead_media_id`, `gallery`), so a client can
//!   point at it. Nothing is written when any check fails.
//! - `PUT` replaces what a writer decides (words, section, tags, sources, photos); optional
//!   fields left out are cleared. The state (draft, published...) changes only through
//!   `publish` and `unpublish`, and the revision the change was based on is required: a
//!   stale one is a conflict, exactly as for the editor's form.
//! - Publication, scheduling and unpublication follow the publishing states
//!   (`StoryStatus::can_become`); asking for a change they forbid is refused, not ignored.

use crate::app::AppState;
use crate::services::newsroom::{self, Action, Edit};
use crate::web::api::ApiError;
use axum::http::StatusCode;
use broadsheet_domain::{
    MediaId, SectionId, SourceInput, SourceKind, StoryId, StoryInput, StoryKind, StoryStatus, User,
};
use broadsheet_store::{SaveOutcome, StoryFilter, StorySummary};
use jiff::Timestamp;
use serde::Deserialize;

use super::cursor::{Cursors, pair};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// `GET /api/v1/stories` as asked: every parameter as text, checked by [`list`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    pub status: Option<String>,
    /// A section's id or path (`national/north-korea`); its subsections are included.
    pub section: Option<String>,
    /// A tag's slug.
    pub tag: Option<String>,
    /// A source's slug (wire service or staff writer).
    pub source: Option<String>,
    pub updated_since: Option<String>,
    pub updated_until: Option<String>,
    pub published_since: Option<String>,
    pub published_until: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// A page of stories and where the next one starts.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The number of items a page holds: 1 to 100, 20 when not given.
pub fn limit(text: Option<&str>) -> Result<i64, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(DEFAULT_LIMIT);
    };
    match text.parse::<i64>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(ApiError::parameter(
            "limit",
            format!("limit must be a whole number from 1 to {MAX_LIMIT}, not '{text}'"),
        )),
    }
}

/// A time given as a parameter: RFC 3339 with its offset.
pub fn time_parameter(name: &str, text: Option<&str>) -> Result<Option<Timestamp>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    text.parse::<Timestamp>().map(Some).map_err(|_| {
        ApiError::parameter(
            name,
            format!(
                "{name} must be a time with its offset, such as 2026-12-01T09:00:00+09:00, not '{text}'"
            ),
        )
    })
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A page of stories, newest first.
pub async fn list(app: &AppState, request: &ListRequest) -> Result<Page<StorySummary>, ApiError> {
    let mut filter = StoryFilter {
        limit: limit(request.limit.as_deref())?,
        ..StoryFilter::default()
    };
    if let Some(status) = given(&request.status) {
        filter.status = Some(StoryStatus::parse(status).ok_or_else(|| {
            ApiError::parameter(
                "status",
                format!(
                    "'{status}' is not a status; use draft, scheduled, published or unpublished"
                ),
            )
        })?);
    }
    if let Some(section) = given(&request.section) {
        let tree = app.sections();
        let found = match section.parse::<i64>() {
            Ok(id) => tree.get(SectionId(id)),
            Err(_) => {
                let slugs: Vec<&str> = section.trim_matches('/').split('/').collect();
                tree.find_by_slugs(&slugs)
            }
        };
        let found = found.ok_or_else(|| {
            ApiError::parameter(
                "section",
                format!("there is no section '{section}' (give its id or its path, such as national/north-korea)"),
            )
        })?;
        filter.sections = Some(tree.subtree(found.id));
    }
    if let Some(slug) = given(&request.tag) {
        let tag = app.store.tag_by_slug(slug).await?.ok_or_else(|| {
            ApiError::parameter("tag", format!("there is no tag with the slug '{slug}'"))
        })?;
        filter.tag = Some(tag.id);
    }
    if let Some(slug) = given(&request.source) {
        let source = app.store.source_by_slug(slug).await?.ok_or_else(|| {
            ApiError::parameter(
                "source",
                format!("there is no source with the slug '{slug}'"),
            )
        })?;
        filter.source = Some(source.id);
    }
    filter.modified_since = time_parameter("updated_since", request.updated_since.as_deref())?;
    filter.modified_until = time_parameter("updated_until", request.updated_until.as_deref())?;
    filter.published_since = time_parameter("published_since", request.published_since.as_deref())?;
    filter.published_until = time_parameter("published_until", request.published_until.as_deref())?;
    // The filters as resolved (ids, times), so a cursor is tied to what was asked, however
    // it was spelled; the page size may change from page to page.
    let query = format!(
        "{:?}",
        StoryFilter {
            limit: 0,
            ..filter.clone()
        }
    );
    let cursors = Cursors::load(&app.store).await?;
    filter.after = cursors
        .resume(request.cursor.as_deref(), "stories", &query, pair)
        .map_err(|e| bad_cursor(&e.to_string()))?
        .map(|(key, id)| (key, StoryId(id)));
    let wanted = filter.limit;
    // One more than asked tells whether there is a next page without a second query.
    filter.limit += 1;
    let mut items = app.store.story_page(&filter).await?;
    let next_cursor = cursors.page(&mut items, wanted, "stories", &query, |last| {
        let (key, id) = last.position;
        vec![key.to_string(), id.0.to_string()]
    });
    Ok(Page { items, next_cursor })
}

/// 400 `invalid_cursor`, naming the parameter.
pub fn bad_cursor(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_cursor", message).with_field("cursor")
}

/// A source credited on a story, as a body gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    pub name: String,
    /// `wire` or `staff`.
    pub kind: String,
}

/// The body of `POST /api/v1/stories` and `PUT /api/v1/stories/{id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryBody {
    pub headline: String,
    #[serde(default)]
    pub deck: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    pub section_id: i64,
    /// `article` (the default) or `gallery`.
    #[serde(default)]
    pub kind: Option<String>,
    /// BCP 47; the site's language when left out.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub sources: Vec<SourceBody>,
    #[serde(default)]
    pub lead_media_id: Option<i64>,
    #[serde(default)]
    pub gallery: Vec<i64>,
    /// The id the story has in the system it comes from; unique.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Required by `PUT`: the revision the change was made from.
    #[serde(default)]
    pub revision: Option<i64>,
}

/// The body of `publish` and `unpublish`; all of it optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    /// `publish` only: a future time schedules the story instead.
    #[serde(default)]
    pub at: Option<String>,
    /// When given, the change is refused if the story has moved past this revision.
    #[serde(default)]
    pub revision: Option<i64>,
}

/// The field names of the domain's rules, as the API spells them.
fn api_field(field: &str) -> &str {
    match field {
        "lead_media" => "lead_media_id",
        "section" => "section_id",
        other => other,
    }
}

/// Apply a body to `input` (a new story's blank, or the story as last saved), checking every
/// field.
async fn apply(app: &AppState, input: &mut StoryInput, body: StoryBody) -> Result<(), ApiError> {
    input.headline = body.headline.trim().to_string();
    input.deck = body
        .deck
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    input.body = body.body.replace("\r\n", "\n");
    input.kind = match body.kind.as_deref().map(str::trim) {
        None | Some("") | Some("article") => StoryKind::Article,
        Some("gallery") => StoryKind::Gallery,
        Some(other) => {
            return Err(ApiError::field(
                "kind",
                format!("kind must be article or gallery, not '{other}'"),
            ));
        }
    };
    let section = SectionId(body.section_id);
    if app.sections_with([section]).await?.get(section).is_none() {
        return Err(ApiError::field(
            "section_id",
            format!(
                "there is no section {}; GET /api/v1/sections lists them",
                body.section_id
            ),
        ));
    }
    input.section_id = section;
    if let Some(language) = body.language {
        input.language = language.trim().to_string();
    }
    input.tags = body.tags.iter().map(|t| t.trim().to_string()).collect();
    input.sources = body
        .sources
        .iter()
        .map(|s| {
            let kind = SourceKind::parse(s.kind.trim()).ok_or_else(|| {
                ApiError::field(
                    "sources",
                    format!("a source's kind must be wire or staff, not '{}'", s.kind),
                )
            })?;
            Ok(SourceInput {
                name: s.name.trim().to_string(),
                kind,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    input.lead_media = match body.lead_media_id {
        Some(id) => Some(existing_media(app, "lead_media_id", id).await?),
        None => None,
    };
    let mut gallery = Vec::with_capacity(body.gallery.len());
    for id in body.gallery {
        gallery.push(existing_media(app, "gallery", id).await?);
    }
    input.gallery = gallery;
    if let Some(external) = body.external_id {
        let external = external.trim().to_string();
        if external.is_empty() || external.chars().count() > 200 {
            return Err(ApiError::field(
                "external_id",
                "external_id must be 1 to 200 characters",
            ));
        }
        input.external_id = Some(external);
    }
    input
        .validate()
        .map_err(|e| ApiError::field(api_field(e.field), e.to_string()))
}

async fn existing_media(app: &AppState, field: &str, id: i64) -> Result<MediaId, ApiError> {
    match app.store.media(MediaId(id)).await? {
        Some(media) => Ok(media.id),
        None => Err(ApiError::field(
            field,
            format!(
                "there is no image {id} in the media library; upload it first (POST /api/v1/media)"
            ),
        )),
    }
}

/// A new story, a draft, written by `user`.
pub async fn create(app: &AppState, user: &User, body: StoryBody) -> Result<SaveOutcome, ApiError> {
    if body.revision.is_some() {
        return Err(ApiError::field(
            "revision",
            "a new story has no revision yet; leave revision out",
        ));
    }
    let mut input = newsroom::blank(app, SectionId(body.section_id));
    apply(app, &mut input, body).await?;
    // Without an id the store would update the story with this external id instead.
    if let Some(external) = &input.external_id
        && let Some(existing) = app.store.story_id_by_external_id(external).await?
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "story {existing} already has the external_id '{external}'; update it with PUT /api/v1/stories/{existing}"
            ),
        ));
    }
    let edit = Edit {
        id: None,
        current: None,
        action: Action::Save,
        opened: None,
        publish_at: None,
    };
    save(app, user, input, edit).await
}

/// Replace a story's words and attachments, from the revision the client had.
pub async fn replace(
    app: &AppState,
    user: &User,
    id: StoryId,
    body: StoryBody,
) -> Result<SaveOutcome, ApiError> {
    let opened = body.revision.ok_or_else(|| {
        ApiError::field(
            "revision",
            "give the revision your change is based on (the story's `revision`), so a change \
             made meanwhile by someone else is not overwritten",
        )
    })?;
    let (mut input, _, status) = editable(app, id).await?;
    apply(app, &mut input, body).await?;
    if let Some(external) = &input.external_id
        && let Some(existing) = app.store.story_id_by_external_id(external).await?
        && existing != id
    {
        return Err(ApiError::field(
            "external_id",
            format!("story {existing} already has the external_id '{external}'"),
        ));
    }
    let edit = Edit {
        id: Some(id),
        current: Some(status),
        action: Action::Save,
        opened: Some(opened),
        publish_at: None,
    };
    save(app, user, input, edit).await
}

/// Publish now, or schedule for a later `at`.
pub async fn publish(
    app: &AppState,
    user: &User,
    id: StoryId,
    body: StateBody,
) -> Result<SaveOutcome, ApiError> {
    let at = match body.at.as_deref() {
        Some(text) => Some(text.trim().parse::<Timestamp>().map_err(|_| {
            ApiError::field(
                "at",
                format!("at must be a time with its offset, such as 2026-12-01T09:00:00+09:00, not '{text}'"),
            )
        })?),
        None => None,
    };
    let action = match at {
        Some(at) if at <= Timestamp::now() => {
            return Err(ApiError::field(
                "at",
                "that time has passed; leave `at` out to publish now, or give a later time to schedule",
            ));
        }
        Some(_) => Action::Schedule,
        None => Action::Publish,
    };
    change_state(app, user, id, action, at, body.revision).await
}

/// Take a published story off the site (readers get 410).
pub async fn unpublish(
    app: &AppState,
    user: &User,
    id: StoryId,
    body: StateBody,
) -> Result<SaveOutcome, ApiError> {
    if body.at.is_some() {
        return Err(ApiError::field(
            "at",
            "unpublishing happens at once; leave `at` out",
        ));
    }
    change_state(app, user, id, Action::Unpublish, None, body.revision).await
}

async fn change_state(
    app: &AppState,
    user: &User,
    id: StoryId,
    action: Action,
    at: Option<Timestamp>,
    opened: Option<i64>,
) -> Result<SaveOutcome, ApiError> {
    let (input, revision, status) = editable(app, id).await?;
    let target = match action {
        Action::Publish => StoryStatus::Published,
        Action::Schedule => StoryStatus::Scheduled,
        Action::Unpublish => StoryStatus::Unpublished,
        Action::Save | Action::Submit | Action::SendBack => status,
    };
    // Re-publishing a published story would only move its Updated: time; say so instead.
    // A scheduled story may be given another time.
    let again = target == status && action != Action::Schedule;
    if again || !status.can_become(target) {
        let message = if target == status {
            format!("story {id} is already {status}")
        } else {
            format!("a {status} story cannot become {target}")
        };
        return Err(ApiError {
            current_revision: Some(revision),
            ..ApiError::new(StatusCode::CONFLICT, "invalid_transition", message)
        });
    }
    let edit = Edit {
        id: Some(id),
        current: Some(status),
        action,
        opened,
        publish_at: at,
    };
    save(app, user, input, edit).await
}

async fn editable(app: &AppState, id: StoryId) -> Result<(StoryInput, i64, StoryStatus), ApiError> {
    newsroom::editable(app, id).await.map_err(|e| match e {
        crate::web::error::WebError::NotFound => {
            ApiError::not_found(format!("there is no story {id}"))
        }
        other => other.into(),
    })
}

async fn save(
    app: &AppState,
    user: &User,
    input: StoryInput,
    edit: Edit,
) -> Result<SaveOutcome, ApiError> {
    let id = edit.id;
    match newsroom::save(app, user, input, edit).await {
        Ok(outcome) => Ok(outcome),
        Err(crate::web::error::WebError::Conflict(message)) => {
            let current = match id {
                Some(id) => app.store.story(id).await?.map(|s| s.revision),
                None => None,
            };
            Err(ApiError {
                current_revision: current,
                ..ApiError::new(StatusCode::CONFLICT, "conflict", message)
            })
        }
        Err(other) => Err(other.into()),
    }
}
