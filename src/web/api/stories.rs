//! `/api/v1/stories`: the list (filters, cursor), one story, create, replace, publish,
//! unpublish, and a story as ninjs. Handlers are thin: read the request, call
//! `services::api::stories`, shape the answer.

use super::auth::Caller;
use super::json::{JsonBody, OptionalJsonBody, QueryParams};
use super::{ApiError, ApiResult};
use crate::app::AppState;
use crate::services::api::{self, stories::ListRequest, stories::StateBody, stories::StoryBody};
use crate::services::site::Site;
use crate::web::views::story_href;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use broadsheet_domain::{
    Media, MediaId, MediaVariant, SectionId, SectionTree, Story, StoryId, StoryStatus,
};
use broadsheet_store::{SaveOutcome, StorySummary};
use serde_json::{Value, json};
use std::collections::HashMap;

/// A story's id from its path segment; anything else names no story.
pub fn story_id(raw: &str) -> Result<StoryId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(StoryId)
        .ok_or_else(|| ApiError::not_found(format!("there is no story '{raw}'")))
}

/// Where a section sits, as every story answer names it.
pub fn section_json(tree: &SectionTree, id: SectionId) -> Value {
    json!({
        "id": id,
        "name": tree.get(id).map(|s| s.name.clone()),
        "path": tree.path(id),
    })
}

fn time(at: Option<jiff::Timestamp>) -> Value {
    at.map(|t| json!(t.to_string())).unwrap_or(Value::Null)
}

/// The reader's URL of a published story.
fn url(
    site: &Site,
    tree: &SectionTree,
    status: StoryStatus,
    section: SectionId,
    published: Option<jiff::Timestamp>,
    slug: &str,
    id: StoryId,
) -> Value {
    match (status, published) {
        (StoryStatus::Published, Some(at)) => {
            json!(site.absolute(&story_href(site, tree, section, at, slug, id.0)))
        }
        _ => Value::Null,
    }
}

fn summary_json(site: &Site, tree: &SectionTree, s: &StorySummary) -> Value {
    json!({
        "id": s.id,
        "revision": s.revision,
        "status": s.status,
        "kind": s.kind,
        "headline": s.headline,
        "deck": s.deck,
        "section": section_json(tree, s.section_id),
        "language": s.language,
        "external_id": s.external_id,
        "published_at": time(s.published_at),
        "updated_at": time(s.updated_at),
        "created_at": s.created_at.to_string(),
        "modified_at": s.modified_at.to_string(),
        "url": url(site, tree, s.status, s.section_id, s.published_at, &s.slug, s.id),
        "links": links(s.id),
    })
}

fn links(id: StoryId) -> Value {
    json!({
        "self": format!("/api/v1/stories/{id}"),
        "ninjs": format!("/api/v1/stories/{id}/ninjs"),
    })
}

/// An image as every API answer shows it, with its resized copies.
pub fn media_json(site: &Site, media: &Media, variants: &[MediaVariant]) -> Value {
    let src = |file: &str| site.absolute(&crate::web::views::media_src(file));
    json!({
        "id": media.id,
        "url": src(&media.file),
        "mime": media.mime,
        "width": media.width,
        "height": media.height,
        "caption": media.caption,
        "credit": media.credit,
        "alt": media.alt,
        "variants": variants.iter().map(|v| json!({
            "width": v.width,
            "height": v.height,
            "format": v.format,
            "url": src(&v.file),
        })).collect::<Vec<_>>(),
    })
}

fn story_json(
    site: &Site,
    tree: &SectionTree,
    story: &Story,
    variants: &HashMap<MediaId, Vec<MediaVariant>>,
) -> Value {
    let photo = |m: &Media| {
        media_json(
            site,
            m,
            variants.get(&m.id).map(Vec::as_slice).unwrap_or_default(),
        )
    };
    json!({
        "id": story.id,
        "revision": story.revision,
        "status": story.status,
        "kind": story.kind,
        "headline": story.headline,
        "deck": story.deck,
        "body": story.body,
        "body_html": crate::render::markdown(&story.body),
        "section": section_json(tree, story.section_id),
        "language": story.language,
        "tags": story.tags.iter().map(|t| json!({ "id": t.id, "name": t.name, "slug": t.slug })).collect::<Vec<_>>(),
        "sources": story.sources.iter().map(|s| json!({ "name": s.name, "kind": s.kind, "slug": s.slug })).collect::<Vec<_>>(),
        "lead_media": story.lead_media.as_ref().map(photo),
        "gallery": story.gallery.iter().map(photo).collect::<Vec<_>>(),
        "external_id": story.external_id,
        "published_at": time(story.published_at),
        "updated_at": time(story.updated_at),
        "created_at": story.created_at.to_string(),
        "modified_at": story.modified_at.to_string(),
        "url": url(site, tree, story.status, story.section_id, story.published_at, &story.slug, story.id),
        "links": links(story.id),
    })
}

/// The story and its photos' variants, or 404.
async fn load(
    app: &AppState,
    id: StoryId,
) -> Result<(Story, HashMap<MediaId, Vec<MediaVariant>>), ApiError> {
    let story = app
        .store
        .story(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no story {id}")))?;
    let photos: Vec<MediaId> = story
        .lead_media
        .iter()
        .chain(&story.gallery)
        .map(|m| m.id)
        .collect();
    let variants = app.store.media_variants(&photos).await?;
    Ok((story, variants))
}

async fn answer(app: &AppState, id: StoryId, status: StatusCode) -> ApiResult {
    let (story, variants) = load(app, id).await?;
    let tree = app.sections_with([story.section_id]).await?;
    let mut response = (
        status,
        Json(story_json(&app.site(), &tree, &story, &variants)),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The revision is what a PUT must name; as an ETag, caches and clients can use it too.
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", story.revision)) {
        headers.insert(header::ETAG, tag);
    }
    if status == StatusCode::CREATED
        && let Ok(location) = HeaderValue::from_str(&format!("/api/v1/stories/{id}"))
    {
        headers.insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Answers are for one caller: nothing keeps them.
pub fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /api/v1/stories`
pub async fn list(
    State(app): State<AppState>,
    _: Caller,
    QueryParams(request): QueryParams<ListRequest>,
) -> ApiResult {
    let page = api::stories::list(&app, &request).await?;
    let tree = app
        .sections_with(page.items.iter().map(|s| s.section_id))
        .await?;
    let site = app.site();
    Ok(private(
        Json(json!({
            "stories": page.items.iter().map(|s| summary_json(&site, &tree, s)).collect::<Vec<_>>(),
            "next_cursor": page.next_cursor,
        }))
        .into_response(),
    ))
}

/// `GET /api/v1/stories/{id}`
pub async fn show(State(app): State<AppState>, _: Caller, Path(id): Path<String>) -> ApiResult {
    answer(&app, story_id(&id)?, StatusCode::OK).await
}

/// `POST /api/v1/stories`: a new draft.
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<StoryBody>,
) -> ApiResult {
    let saved = api::stories::create(&app, &caller.user, body).await?;
    answer(&app, saved.id, StatusCode::CREATED).await
}

/// The revision a PUT is based on may also come as `If-Match` (the `ETag` a GET gave);
/// given both ways, they must agree.
fn with_if_match(headers: &HeaderMap, mut body: StoryBody) -> Result<StoryBody, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(body);
    };
    let revision = value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| {
            ApiError::parameter(
                "If-Match",
                "If-Match must be the story's ETag, such as \"3\"",
            )
        })?;
    match body.revision {
        Some(given) if given != revision => Err(ApiError::field(
            "revision",
            format!("revision {given} and If-Match {revision} disagree; send one of them"),
        )),
        _ => {
            body.revision = Some(revision);
            Ok(body)
        }
    }
}

/// `PUT /api/v1/stories/{id}`
pub async fn replace(
    State(app): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StoryBody>,
) -> ApiResult {
    let id = story_id(&id)?;
    let body = with_if_match(&headers, body)?;
    let saved = api::stories::replace(&app, &caller.user, id, body).await?;
    saved_answer(&app, saved).await
}

async fn saved_answer(app: &AppState, saved: SaveOutcome) -> ApiResult {
    answer(app, saved.id, StatusCode::OK).await
}

/// `POST /api/v1/stories/{id}/publish`: now, or scheduled for `at`.
pub async fn publish(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    OptionalJsonBody(body): OptionalJsonBody<StateBody>,
) -> ApiResult {
    let id = story_id(&id)?;
    let saved = api::stories::publish(&app, &caller.user, id, body).await?;
    saved_answer(&app, saved).await
}

/// `POST /api/v1/stories/{id}/unpublish`
pub async fn unpublish(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    OptionalJsonBody(body): OptionalJsonBody<StateBody>,
) -> ApiResult {
    let id = story_id(&id)?;
    let saved = api::stories::unpublish(&app, &caller.user, id, body).await?;
    saved_answer(&app, saved).await
}

/// `GET /api/v1/stories/{id}/ninjs`: the story as IPTC ninjs 2.x.
pub async fn ninjs(State(app): State<AppState>, _: Caller, Path(id): Path<String>) -> ApiResult {
    let (story, variants) = load(&app, story_id(&id)?).await?;
    let tree = app.sections_with([story.section_id]).await?;
    let site = app.site();
    let page = url(
        &site,
        &tree,
        story.status,
        story.section_id,
        story.published_at,
        &story.slug,
        story.id,
    );
    let doc = api::ninjs::story(&site, &story, page.as_str(), &variants);
    let mut response = Json(doc).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(private(response))
}
