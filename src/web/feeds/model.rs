//! A feed as every format sees it: the newest stories of a scope, each with its link, stable
//! id, times, bylines, tags, words and picture already worked out. The format writers
//! (`rss.rs`, `atom.rs`, `json.rs`) only arrange these fields.

use super::Format;
use crate::app::AppState;
use crate::render;
use crate::services::site::Site;
use crate::web::assets::LOGO_PNG_PATH;
use crate::web::error::WebError;
use crate::web::metadata;
use crate::web::views::{media_src, story_href};
use broadsheet_domain::time::SiteZone;
use broadsheet_domain::urls::source_path;
use broadsheet_domain::{SectionTree, Story};
use broadsheet_store::ListScope;
use jiff::Timestamp;

/// How many stories a feed carries.
pub const FEED_SIZE: i64 = 30;

/// Which stories a feed follows and what it is called.
pub struct Scope {
    pub list: ListScope,
    pub title: String,
    pub description: String,
    /// The page showing the same stories.
    pub page_path: String,
    /// Where this feed's files live, e.g. `/feeds/tag/seoul`.
    pub feed_dir: String,
}

pub struct Feed {
    pub title: String,
    pub description: String,
    /// Absolute URL of the page showing the same stories.
    pub page_url: String,
    /// Absolute URL of the feed's folder; each format's file is inside it.
    pub dir_url: String,
    /// The site's root, for resolving relative links in story bodies.
    pub base_url: String,
    pub language: String,
    pub logo_url: String,
    pub publisher: String,
    /// Times are written in the site's zone, as on its pages.
    pub zone: SiteZone,
    pub items: Vec<Item>,
}

impl Feed {
    pub fn self_url(&self, format: Format) -> String {
        format!("{}/{}", self.dir_url, format.file_name())
    }

    /// The newest change among the items; `None` for an empty feed.
    pub fn updated(&self) -> Option<Timestamp> {
        self.items.iter().map(|i| i.updated).max()
    }
}

pub struct Item {
    /// Stable for the story's life (a `tag:` URI on its id), unlike its URL, which follows
    /// headline and section changes: readers must not see an edited story as a new one.
    pub id: String,
    /// The canonical page, absolute.
    pub url: String,
    pub title: String,
    /// Plain text.
    pub summary: String,
    /// The sanitized body, when the site offers full text.
    pub content_html: Option<String>,
    pub published: Timestamp,
    /// The story's update, or its publication.
    pub updated: Timestamp,
    pub authors: Vec<Author>,
    pub tags: Vec<String>,
    pub image: Option<Image>,
    pub language: String,
}

pub struct Author {
    pub name: String,
    /// The source's page, absolute.
    pub url: String,
}

pub struct Image {
    pub url: String,
    pub mime: String,
    /// Bytes on disk; 0 when the file is missing (RSS's rule for an unknown length).
    pub length: u64,
}

/// Read the scope's newest stories and describe them.
pub async fn build(app: &AppState, scope: Scope) -> Result<Feed, WebError> {
    let stories = app.store.newest_stories(scope.list, FEED_SIZE).await?;
    let site = app.site();
    let tree = app
        .sections_with(stories.iter().map(|s| s.section_id))
        .await?;
    let mut items = Vec::with_capacity(stories.len());
    for story in &stories {
        items.push(item(app, &site, &tree, story).await);
    }
    Ok(Feed {
        title: scope.title,
        description: scope.description,
        page_url: site.absolute(&scope.page_path),
        dir_url: site.absolute(&scope.feed_dir),
        base_url: site.absolute("/"),
        language: site.language.clone(),
        logo_url: site.absolute(LOGO_PNG_PATH),
        publisher: site.name.clone(),
        zone: site.zone.clone(),
        items,
    })
}

async fn item(app: &AppState, site: &Site, tree: &SectionTree, story: &Story) -> Item {
    // Listed stories are published, so they have a time; the fallback only keeps a
    // hand-edited row from taking the feed down.
    let published = story.published_at.unwrap_or(story.created_at);
    let path = story_href(
        site,
        tree,
        story.section_id,
        published,
        &story.slug,
        story.id.0,
    );
    let image = match metadata::lead_image(story) {
        Some(media) => Some(Image {
            url: site.absolute(&media_src(&media.file)),
            mime: media.mime.clone(),
            length: file_length(app, &media.file).await,
        }),
        None => None,
    };
    Item {
        id: tag_uri(&site.base_url, published, story.id.0),
        url: site.absolute(&path),
        title: story.headline.clone(),
        summary: metadata::summary(story),
        content_html: site.feeds_full_text.then(|| full_html(site, story)),
        published,
        updated: story
            .updated_at
            .filter(|u| *u > published)
            .unwrap_or(published),
        authors: story
            .sources
            .iter()
            .map(|s| Author {
                name: s.name.clone(),
                url: site.absolute(&source_path(s.kind, &s.slug)),
            })
            .collect(),
        tags: story.tags.iter().map(|t| t.name.clone()).collect(),
        image,
        language: story.language.clone(),
    }
}

async fn file_length(app: &AppState, file: &str) -> u64 {
    let Some(path) = app.media.path(file) else {
        return 0;
    };
    match tokio::fs::metadata(&path).await {
        Ok(meta) => meta.len(),
        Err(e) => {
            tracing::warn!("feed enclosure {}: {e}", path.display());
            0
        }
    }
}

/// `tag:www.example.org,2024:story/123` (RFC 4151): the site's host, the year of
/// publication and the story's id, none of which change when the story is edited.
fn tag_uri(base_url: &str, published: Timestamp, id: i64) -> String {
    let authority = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    let year = published.to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    format!("tag:{authority},{year}:story/{id}")
}

/// The story as a feed reader shows it: the body, and a gallery's photos after it.
fn full_html(site: &Site, story: &Story) -> String {
    let mut html = render::markdown(&story.body);
    for media in &story.gallery {
        html.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\"><figcaption>{}</figcaption></figure>",
            escape(&site.absolute(&media_src(&media.file))),
            escape(&media.alt),
            media.width,
            media.height,
            escape(&media.caption),
        ));
    }
    html
}

/// Text made safe to stand in HTML (RSS descriptions are HTML; so is our gallery markup).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_uris_name_the_host_only() {
        let at: Timestamp = "2024-12-27T02:22:00Z".parse().unwrap();
        assert_eq!(
            tag_uri("https://www.example.org", at, 7),
            "tag:www.example.org,2024:story/7"
        );
        assert_eq!(
            tag_uri("http://127.0.0.1:8080", at, 7),
            "tag:127.0.0.1,2024:story/7"
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
