//! Paths below the root that no fixed route claimed: a story or a section.

use super::PageQuery;
use crate::app::AppState;
use crate::web::error::WebError;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use broadsheet_domain::urls::{SitePath, parse_site_path};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SiteQuery {
    page: Option<String>,
    view: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    Path(path): Path<String>,
    Query(query): Query<SiteQuery>,
    uri: Uri,
) -> Result<Response, WebError> {
    match parse_site_path(&path).ok_or(WebError::NotFound)? {
        SitePath::Story { id } => {
            super::story::show(
                &app,
                id,
                &path,
                query.view.as_deref() == Some("print"),
                &uri,
            )
            .await
        }
        SitePath::Section(slugs) => {
            let page = PageQuery { page: query.page }.number()?;
            super::section::show(&app, &slugs, page).await
        }
    }
}
