//! Pages of wire services (`/source/`) and staff writers (`/author/`). A source asked for under
//! the other prefix is redirected, so a link made before a source was reclassified still works.

use super::{ListingSpec, PageQuery, listing_page};
use crate::app::AppState;
use crate::web::error::WebError;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use broadsheet_domain::SourceKind;
use broadsheet_domain::urls::source_path;
use broadsheet_store::ListScope;

pub async fn wire(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    show(app, slug, query, SourceKind::Wire).await
}

pub async fn staff(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    show(app, slug, query, SourceKind::Staff).await
}

async fn show(
    app: AppState,
    slug: String,
    query: PageQuery,
    asked: SourceKind,
) -> Result<Response, WebError> {
    let page = query.number()?;
    let source = app
        .store
        .source_by_slug(&slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let path = source_path(source.kind, &source.slug);
    if source.kind != asked {
        return Ok(crate::web::moved_permanently(&path));
    }
    let kicker = match source.kind {
        SourceKind::Wire => "Wire service",
        SourceKind::Staff => "Staff writer",
    };
    let spec = ListingSpec {
        scope: ListScope::Source(source.id),
        path,
        title: source.name.clone(),
        kicker: Some(kicker.into()),
        description: None,
        breadcrumb: Vec::new(),
        subsections: Vec::new(),
        section: None,
        alternates: Vec::new(),
    };
    listing_page(&app, spec, page).await
}
