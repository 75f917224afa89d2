//! `/api/v1/sections` (the whole tree) and `/api/v1/tags` (by slug, with a cursor): what a
//! client needs to fill a story's `section_id` and `tags`.

use super::ApiResult;
use super::auth::Caller;
use super::json::QueryParams;
use super::stories::private;
use crate::app::AppState;
use crate::services::api::cursor::Cursors;
use crate::services::api::stories::{bad_cursor, limit};
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use broadsheet_domain::{SectionId, SectionTree};
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /api/v1/sections`: top-level sections in menu order, each with its children.
pub async fn sections(State(app): State<AppState>, _: Caller) -> ApiResult {
    let tree = app.sections();
    Ok(private(
        Json(json!({ "sections": children(&tree, None) })).into_response(),
    ))
}

fn children(tree: &SectionTree, parent: Option<SectionId>) -> Vec<Value> {
    tree.children_of(parent)
        .into_iter()
        .map(|s| {
            json!({
                "id": s.id,
                "name": s.name,
                "slug": s.slug,
                "path": tree.path(s.id),
                "description": s.description,
                "children": children(tree, Some(s.id)),
            })
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// `GET /api/v1/tags`: every tag in slug order, with how many stories carry it.
pub async fn tags(
    State(app): State<AppState>,
    _: Caller,
    QueryParams(query): QueryParams<TagsQuery>,
) -> ApiResult {
    let wanted = limit(query.limit.as_deref())?;
    let cursors = Cursors::load(&app.store).await?;
    let after = cursors
        .resume(query.cursor.as_deref(), "tags", "", |p| match p {
            [slug] => Some(slug.clone()),
            _ => None,
        })
        .map_err(|e| bad_cursor(&e.to_string()))?;
    let mut found = app.store.tag_page(after.as_deref(), wanted + 1).await?;
    let next = cursors.page(&mut found, wanted, "tags", "", |(tag, _)| {
        vec![tag.slug.clone()]
    });
    Ok(private(
        Json(json!({
            "tags": found.iter().map(|(t, n)| json!({ "id": t.id, "name": t.name, "slug": t.slug, "stories": n })).collect::<Vec<_>>(),
            "next_cursor": next,
        }))
        .into_response(),
    ))
}
