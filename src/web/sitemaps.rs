//! Sitemaps (sitemaps.org protocol 0.9) and a Google News sitemap.
//!
//! `/sitemap.xml` is an index of: `/sitemaps/pages.xml` (home, sections, tags),
//! `/sitemaps/news.xml` (stories of the last 48 hours) and `/sitemaps/stories-{n}.xml`,
//! every published story, oldest first, [`STORIES_PER_FILE`] to a file. Oldest first keeps
//! each file's contents (and so its `lastmod`) unchanged as new stories arrive: a crawler
//! re-reads only the last file and those whose stories were edited.

use crate::app::AppState;
use crate::services::site::Site;
use crate::web::error::WebError;
use crate::web::views::story_href;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use broadsheet_domain::SectionTree;
use broadsheet_domain::urls::{section_path, tag_path};
use broadsheet_store::SitemapEntry;
use jiff::{SignedDuration, Timestamp};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::collections::HashMap;

/// Stories per story sitemap; the protocol allows 50,000, and smaller files are cheaper to
/// build and re-read.
pub const STORIES_PER_FILE: i64 = 10_000;
/// The protocol's limit of URLs in one file.
pub const MAX_URLS: usize = 50_000;
/// Google News reads stories of the last two days, at most 1,000 per sitemap.
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
const NEWS_LIMIT: i64 = 1_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
pub const INDEX_PATH: &str = "/sitemap.xml";

/// Characters escaped in a `<loc>`: the protocol wants URLs as RFC 3986 has them, so a
/// Korean slug goes out percent-encoded (non-ASCII always is).
const URL_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// `/sitemap.xml`.
pub async fn index(State(app): State<AppState>) -> Result<Response, WebError> {
    let pages = app.store.sitemap_pages(STORIES_PER_FILE).await?;
    let site = app.site();
    let mut xml = Xml::new(&format!("<sitemapindex xmlns=\"{SITEMAP_NS}\">"));
    for path in ["/sitemaps/pages.xml", "/sitemaps/news.xml"] {
        xml.push("<sitemap>");
        xml.element("loc", &loc(&site, path));
        xml.push("</sitemap>");
    }
    for (n, page) in pages.iter().enumerate() {
        xml.push("<sitemap>");
        xml.element("loc", &loc(&site, &stories_path(n + 1)));
        xml.element("lastmod", &site.zone.iso(page.last_modified));
        xml.push("</sitemap>");
    }
    Ok(xml.finish("</sitemapindex>"))
}

pub fn stories_path(n: usize) -> String {
    format!("/sitemaps/stories-{n}.xml")
}

/// `/sitemaps/{file}`.
pub async fn file(
    State(app): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    match file.as_str() {
        "pages.xml" => pages(&app).await,
        "news.xml" => news(&app).await,
        other => {
            let n = other
                .strip_prefix("stories-")
                .and_then(|rest| rest.strip_suffix(".xml"))
                .and_then(|n| n.parse::<i64>().ok())
                .filter(|n| *n >= 1)
                .ok_or(WebError::NotFound)?;
            stories(&app, n).await
        }
    }
}

async fn stories(app: &AppState, n: i64) -> Result<Response, WebError> {
    let offset = (n - 1).saturating_mul(STORIES_PER_FILE);
    let entries = app.store.sitemap_entries(offset, STORIES_PER_FILE).await?;
    // The first file exists even before anything is published; later ones only with stories.
    if entries.is_empty() && n > 1 {
        return Err(WebError::NotFound);
    }
    let site = app.site();
    let tree = app
        .sections_with(entries.iter().map(|e| e.section_id))
        .await?;
    let mut xml = Xml::new(&format!("<urlset xmlns=\"{SITEMAP_NS}\">"));
    for entry in &entries {
        xml.push("<url>");
        xml.element("loc", &story_loc(&site, &tree, entry));
        xml.element("lastmod", &site.zone.iso(entry.last_modified()));
        xml.push("</url>");
    }
    Ok(xml.finish("</urlset>"))
}

async fn pages(app: &AppState) -> Result<Response, WebError> {
    let latest: HashMap<_, _> = app
        .store
        .sections_last_published()
        .await?
        .into_iter()
        .collect();
    let site = app.site();
    let tree = app.sections_with(latest.keys().copied()).await?;
    let room = MAX_URLS.saturating_sub(1 + tree.all().len());
    let tags = app.store.tags_in_use(room as i64).await?;

    let mut xml = Xml::new(&format!("<urlset xmlns=\"{SITEMAP_NS}\">"));
    let mut url = |path: &str, lastmod: Option<Timestamp>| {
        xml.push("<url>");
        xml.element("loc", &loc(&site, path));
        if let Some(at) = lastmod {
            xml.element("lastmod", &site.zone.iso(at));
        }
        xml.push("</url>");
    };
    url("/", latest.values().max().copied());
    for section in tree.all() {
        url(
            &section_path(&tree.path(section.id)),
            latest.get(&section.id).copied(),
        );
    }
    for (tag, at) in &tags {
        url(&tag_path(&tag.slug), Some(*at));
    }
    Ok(xml.finish("</urlset>"))
}

async fn news(app: &AppState) -> Result<Response, WebError> {
    let since = Timestamp::now() - NEWS_WINDOW;
    let entries = app.store.published_since(since, NEWS_LIMIT).await?;
    let site = app.site();
    let tree = app
        .sections_with(entries.iter().map(|e| e.section_id))
        .await?;
    let mut xml = Xml::new(&format!(
        "<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">"
    ));
    for entry in &entries {
        xml.push("<url>");
        xml.element("loc", &story_loc(&site, &tree, entry));
        xml.push("<news:news><news:publication>");
        xml.element("news:name", &site.name);
        xml.element("news:language", &news_language(&entry.language));
        xml.push("</news:publication>");
        xml.element("news:publication_date", &site.zone.iso(entry.published_at));
        xml.element("news:title", &entry.headline);
        xml.push("</news:news></url>");
    }
    Ok(xml.finish("</urlset>"))
}

fn loc(site: &Site, path: &str) -> String {
    site.absolute(&utf8_percent_encode(path, URL_ESCAPES).to_string())
}

fn story_loc(site: &Site, tree: &SectionTree, entry: &SitemapEntry) -> String {
    let path = story_href(
        site,
        tree,
        entry.section_id,
        entry.published_at,
        &entry.slug,
        entry.id.0,
    );
    loc(site, &path)
}

/// Google News takes ISO 639 codes, with `zh-cn` and `zh-tw` the only ones with a region.
fn news_language(tag: &str) -> String {
    let tag = tag.to_ascii_lowercase();
    if tag == "zh-cn" || tag == "zh-tw" {
        return tag;
    }
    tag.split('-').next().unwrap_or_default().to_string()
}

/// A small XML document written as text: the sitemap formats are a handful of flat
/// elements, and each value goes through [`escape`].
struct Xml(String);

impl Xml {
    fn new(root: &str) -> Xml {
        let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        text.push_str(root);
        text.push('\n');
        Xml(text)
    }

    fn push(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    fn element(&mut self, name: &str, value: &str) {
        self.0.push('<');
        self.0.push_str(name);
        self.0.push('>');
        escape_into(&mut self.0, value);
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
    }

    fn finish(mut self, close: &str) -> Response {
        self.0.push('\n');
        self.0.push_str(close);
        self.0.push('\n');
        let mut response = self.0.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/xml; charset=utf-8"),
        );
        response
    }
}

/// Escape text for XML, dropping the characters XML 1.0 cannot hold at all.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_languages() {
        assert_eq!(news_language("en"), "en");
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-TW"), "zh-tw");
    }

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        let mut out = String::new();
        escape_into(&mut out, "a < b & 'c'\u{1}");
        assert_eq!(out, "a &lt; b &amp; &apos;c&apos;");
    }
}
