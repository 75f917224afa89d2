use super::{ListingSpec, listing_page};
use crate::app::AppState;
use crate::web::error::WebError;
use crate::web::feeds;
use crate::web::views::{Link, breadcrumb};
use axum::response::Response;
use broadsheet_domain::urls::section_path;
use broadsheet_store::ListScope;

pub async fn show(app: &AppState, slugs: &[&str], page: usize) -> Result<Response, WebError> {
    let tree = app.sections();
    let section = tree.find_by_slugs(slugs).ok_or(WebError::NotFound)?;
    let subsections = tree
        .children_of(Some(section.id))
        .into_iter()
        .map(|s| Link {
            href: section_path(&tree.path(s.id)),
            label: s.name.clone(),
        })
        .collect();
    let site = app.site();
    let spec = ListingSpec {
        scope: ListScope::Section(section.id),
        path: section_path(&tree.path(section.id)),
        title: section.name.clone(),
        kicker: None,
        description: section.description.clone(),
        breadcrumb: breadcrumb(&tree, section.id),
        subsections,
        section: Some(section.id),
        alternates: feeds::section_alternates(&site, &section.name, &tree.path(section.id)),
    };
    listing_page(app, spec, page).await
}
