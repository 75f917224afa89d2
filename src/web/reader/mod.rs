//! The reader site's handlers, one file per page kind.

pub mod home;
pub mod policy;
pub mod section;
pub mod site_path;
pub mod source;
pub mod story;
pub mod tag;

use super::cache::SurrogateKeys;
use super::error::WebError;
use super::templates::ListingTemplate;
use super::views::{Alternate, CardView, Chrome, Link};
use crate::app::AppState;
use crate::services::reader;
use axum::response::Response;
use broadsheet_store::ListScope;
use serde::Deserialize;

/// `?page=N` on listings.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    /// The page asked for; a value that is not a positive whole number is the reader's
    /// mistake and says so.
    pub fn number(&self) -> Result<usize, WebError> {
        match self.page.as_deref() {
            None | Some("") => Ok(1),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| {
                    WebError::BadRequest(format!(
                        "page must be a whole number from 1 to 100000, not '{text}'"
                    ))
                }),
        }
    }
}

/// What differs between the listing pages (section, tag, source).
pub struct ListingSpec {
    pub scope: ListScope,
    pub path: String,
    pub title: String,
    pub kicker: Option<String>,
    pub description: Option<String>,
    pub breadcrumb: Vec<Link>,
    pub subsections: Vec<Link>,
    pub section: Option<broadsheet_domain::SectionId>,
    /// The feeds of the same stories, if there are any.
    pub alternates: Vec<Alternate>,
}

/// Render one page of a listing; a page past the end is a 404, so crawlers stop there.
pub async fn listing_page(
    app: &AppState,
    spec: ListingSpec,
    page: usize,
) -> Result<Response, WebError> {
    let listing = reader::listing(&app.store, spec.scope, page).await?;
    if listing.cards.is_empty() && page > 1 {
        return Err(WebError::NotFound);
    }
    let site = app.site();
    let tree = app
        .sections_with(listing.cards.iter().map(|c| c.section_id))
        .await?;
    let page_href = |n: usize| {
        if n == 1 {
            spec.path.clone()
        } else {
            format!("{}?page={n}", spec.path)
        }
    };
    let canonical = page_href(page);
    let chrome = Chrome::new(&site, &tree, &spec.title, spec.section)
        .with_canonical(&site, &canonical)
        .with_description(spec.description.clone())
        .with_alternates(spec.alternates)
        .with_meta(super::metadata::website(
            &site,
            &spec.title,
            &canonical,
            spec.description.as_deref(),
        ));
    let scope_key = match spec.scope {
        ListScope::All => "home".to_string(),
        ListScope::Section(id) => format!("section:{id}"),
        ListScope::Tag(id) => format!("tag:{id}"),
        ListScope::Source(id) => format!("source:{id}"),
    };
    let keys = SurrogateKeys::new([scope_key]).with_cards(&listing.cards);
    let response = super::render(&ListingTemplate {
        chrome,
        breadcrumb: spec.breadcrumb,
        kicker: spec.kicker,
        title: spec.title,
        description: spec.description,
        subsections: spec.subsections,
        cards: CardView::list(&site, &tree, &listing.cards),
        newer: (page > 1).then(|| page_href(page - 1)),
        older: listing.has_next.then(|| page_href(page + 1)),
        page,
    })?;
    Ok(keys.on(response))
}
