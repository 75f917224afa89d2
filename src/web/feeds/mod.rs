//! Feeds of the newest stories in three formats (RSS 2.0, Atom 1.0, JSON Feed 1.1), for the
//! whole paper, a section (with its subsections, as on the section page) and a tag.
//!
//! `model.rs` gathers what a feed says; `rss.rs`, `atom.rs` and `json.rs` each write one
//! format of it. A feed of a section or tag that does not exist is a 404, like its page.

mod atom;
mod json;
mod model;
mod rss;

use super::error::WebError;
use super::views::Alternate;
use crate::app::AppState;
use crate::services::site::Site;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use broadsheet_domain::urls::{section_path, tag_path};
use broadsheet_store::ListScope;
use model::Scope;

/// One of the three formats, named by the file a feed's folder holds for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Rss, Format::Atom, Format::Json];

    pub fn file_name(self) -> &'static str {
        match self {
            Format::Rss => "rss.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }

    fn from_file_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.file_name() == name)
    }

    /// The media type, as `<link rel="alternate" type>` names it.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS",
            Format::Atom => "Atom",
            Format::Json => "JSON Feed",
        }
    }
}

/// The folder of the whole paper's feeds.
pub const SITE_DIR: &str = "/feeds";

/// The folder of a section's feeds, from its path (`national/north-korea`).
pub fn section_dir(section_path: &str) -> String {
    format!("{SITE_DIR}/section/{section_path}")
}

pub fn tag_dir(slug: &str) -> String {
    format!("{SITE_DIR}/tag/{slug}")
}

/// The `<link rel="alternate">` entries for the feeds in `dir`, titled after `label`.
pub fn alternates(site: &Site, label: &str, dir: &str) -> Vec<Alternate> {
    Format::ALL
        .into_iter()
        .map(|format| Alternate {
            mime: format.mime(),
            title: format!("{label} ({})", format.label()),
            href: site.absolute(&format!("{dir}/{}", format.file_name())),
        })
        .collect()
}

/// A section's or tag's feed title: `The Broadsheet Daily: North Korea`.
pub fn scoped_title(site: &Site, name: &str) -> String {
    format!("{}: {name}", site.name)
}

/// `/feeds/{file}`: the whole paper.
pub async fn site(
    State(app): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let format = Format::from_file_name(&file).ok_or(WebError::NotFound)?;
    let site = app.site();
    let scope = Scope {
        list: ListScope::All,
        title: site.name.clone(),
        description: site
            .tagline
            .clone()
            .unwrap_or_else(|| format!("The latest stories from {}", site.name)),
        page_path: "/".into(),
        feed_dir: SITE_DIR.into(),
    };
    respond(&app, scope, format).await
}

/// `/feeds/section/{section path}/{file}`.
pub async fn section(
    State(app): State<AppState>,
    Path(rest): Path<String>,
) -> Result<Response, WebError> {
    let (path, file) = rest.rsplit_once('/').ok_or(WebError::NotFound)?;
    let format = Format::from_file_name(file).ok_or(WebError::NotFound)?;
    let slugs: Vec<&str> = path.split('/').collect();
    let site = app.site();
    let tree = app.sections();
    let section = tree.find_by_slugs(&slugs).ok_or(WebError::NotFound)?;
    let section_path_text = tree.path(section.id);
    let scope = Scope {
        list: ListScope::Section(section.id),
        title: scoped_title(&site, &section.name),
        description: section
            .description
            .clone()
            .unwrap_or_else(|| format!("The latest stories in {}", section.name)),
        page_path: section_path(&section_path_text),
        feed_dir: section_dir(&section_path_text),
    };
    respond(&app, scope, format).await
}

/// `/feeds/tag/{slug}/{file}`.
pub async fn tag(
    State(app): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let format = Format::from_file_name(&file).ok_or(WebError::NotFound)?;
    let tag = app
        .store
        .tag_by_slug(&slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let site = app.site();
    let scope = Scope {
        list: ListScope::Tag(tag.id),
        title: scoped_title(&site, &tag.name),
        description: format!("The latest stories tagged {}", tag.name),
        page_path: tag_path(&tag.slug),
        feed_dir: tag_dir(&tag.slug),
    };
    respond(&app, scope, format).await
}

async fn respond(app: &AppState, scope: Scope, format: Format) -> Result<Response, WebError> {
    let feed = model::build(app, scope).await?;
    let body = match format {
        Format::Rss => rss::write(&feed)?,
        Format::Atom => atom::write(&feed)?,
        Format::Json => json::write(&feed)?,
    };
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    Ok(response)
}

/// The feeds of the section at `path` (for section and article pages).
pub fn section_alternates(site: &Site, name: &str, path: &str) -> Vec<Alternate> {
    alternates(site, &scoped_title(site, name), &section_dir(path))
}

/// The feeds of a tag (for its page).
pub fn tag_alternates(site: &Site, name: &str, slug: &str) -> Vec<Alternate> {
    alternates(site, &scoped_title(site, name), &tag_dir(slug))
}

/// The whole paper's feeds (for the home page).
pub fn site_alternates(site: &Site) -> Vec<Alternate> {
    alternates(site, &site.name, SITE_DIR)
}
