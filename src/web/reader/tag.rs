use super::{ListingSpec, PageQuery, listing_page};
use crate::app::AppState;
use crate::web::error::WebError;
use crate::web::feeds;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use broadsheet_domain::urls::tag_path;
use broadsheet_store::ListScope;

pub async fn show(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = query.number()?;
    let tag = app
        .store
        .tag_by_slug(&slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let spec = ListingSpec {
        scope: ListScope::Tag(tag.id),
        path: tag_path(&tag.slug),
        title: tag.name.clone(),
        kicker: Some("Tag".into()),
        description: None,
        breadcrumb: Vec::new(),
        subsections: Vec::new(),
        section: None,
        alternates: feeds::tag_alternates(&app.site(), &tag.name, &tag.slug),
    };
    listing_page(&app, spec, page).await
}
