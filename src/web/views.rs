//! View models: what templates print, already formatted (URLs built, times in the site's zone
//! and house style). Templates hold no logic beyond loops and conditions.

use crate::services::site::Site;
use broadsheet_domain::urls::{section_path, source_path, story_path, tag_path};
use broadsheet_domain::{Media, MediaVariant, SectionId, SectionTree, Source, StoryCard, Tag};
use jiff::Timestamp;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// A link with its words.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

/// An entry of the section menu.
#[derive(Debug, Clone)]
pub struct MenuItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// Everything the shared layout (masthead, menu, footer, head) needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub site_name: String,
    pub tagline: Option<String>,
    pub lang: String,
    pub title: String,
    pub description: Option<String>,
    pub canonical: Option<String>,
    pub menu: Vec<MenuItem>,
    pub year: i16,
    pub print_view: bool,
    pub policy_href: &'static str,
    pub asset_version: &'static str,
    /// Feeds of what the page shows, offered with `<link rel="alternate">`.
    pub alternates: Vec<Alternate>,
    /// OpenGraph and X card tags.
    pub meta: Vec<MetaTag>,
}

/// A feed a page offers to feed readers.
#[derive(Debug, Clone)]
pub struct Alternate {
    pub mime: &'static str,
    pub title: String,
    pub href: String,
}

/// A `<meta>` tag for link previews: OpenGraph tags are keyed by `property`, X's by `name`.
#[derive(Debug, Clone)]
pub struct MetaTag {
    pub attr: &'static str,
    pub key: &'static str,
    pub content: String,
}

impl Chrome {
    /// The layout for a page titled `title`; `current` marks the top-level section the page
    /// belongs to in the menu.
    pub fn new(site: &Site, tree: &SectionTree, title: &str, current: Option<SectionId>) -> Chrome {
        let current_top = current.and_then(|id| tree.lineage(id).first().map(|s| s.id));
        let menu = tree
            .top_level()
            .into_iter()
            .map(|s| MenuItem {
                href: section_path(&tree.path(s.id)),
                label: s.name.clone(),
                current: Some(s.id) == current_top,
            })
            .collect();
        let title = if title.is_empty() || title == site.name {
            site.name.clone()
        } else {
            format!("{title} - {}", site.name)
        };
        Chrome {
            site_name: site.name.clone(),
            tagline: site.tagline.clone(),
            lang: site.language.clone(),
            title,
            description: None,
            canonical: None,
            menu,
            year: site.zone.wall(Timestamp::now()).year(),
            print_view: false,
            policy_href: super::router::COMMENT_POLICY_PATH,
            asset_version: super::assets::version(),
            alternates: Vec::new(),
            meta: Vec::new(),
        }
    }

    pub fn with_canonical(mut self, site: &Site, path: &str) -> Chrome {
        self.canonical = Some(site.absolute(path));
        self
    }

    pub fn with_description(mut self, description: Option<String>) -> Chrome {
        self.description = description.filter(|d| !d.is_empty());
        self
    }

    pub fn with_alternates(mut self, alternates: Vec<Alternate>) -> Chrome {
        self.alternates = alternates;
        self
    }

    pub fn with_meta(mut self, meta: Vec<MetaTag>) -> Chrome {
        self.meta = meta;
        self
    }
}

/// A time as a page shows it: house style for people, ISO 8601 with offset for machines.
#[derive(Debug, Clone)]
pub struct TimeView {
    pub text: String,
    pub iso: String,
}

impl TimeView {
    pub fn new(site: &Site, at: Timestamp) -> TimeView {
        TimeView {
            text: site.zone.display(at).to_string(),
            iso: site.zone.iso(at),
        }
    }
}

/// An image with its words, as a `<figure>`.
#[derive(Debug, Clone)]
pub struct FigureView {
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: Option<String>,
    /// Set for an uploaded photo with resized copies: rendered as `<picture>`.
    pub sources: Option<SourcesView>,
}

/// The `srcset` lists of a photo's variants (`file 640w, file 1280w, ...`).
#[derive(Debug, Clone)]
pub struct SourcesView {
    pub webp: String,
    pub jpeg: String,
    pub sizes: &'static str,
}

/// How wide an article photo is drawn: the story column (68ch of 1.125rem text, about
/// 44rem) on wide screens, the whole viewport on narrow ones.
pub const ARTICLE_PHOTO_SIZES: &str = "(min-width: 48em) 44rem, 100vw";

impl FigureView {
    pub fn new(media: &Media) -> FigureView {
        FigureView {
            src: media_src(&media.file),
            alt: media.alt.clone(),
            width: media.width,
            height: media.height,
            caption: media.caption.clone(),
            credit: media.credit.clone(),
            sources: None,
        }
    }

    /// The figure with `srcset`s from the photo's variants (imported and demo photos have
    /// none and render as a plain `<img>`). The fallback `src` is the largest JPEG, which
    /// every browser shows, whatever format the original was uploaded in.
    pub fn with_variants(
        media: &Media,
        variants: &[MediaVariant],
        sizes: &'static str,
    ) -> FigureView {
        let mut figure = FigureView::new(media);
        let list = |format: &str| {
            variants
                .iter()
                .filter(|v| v.format == format)
                .map(|v| format!("{} {}w", media_src(&v.file), v.width))
                .collect::<Vec<_>>()
        };
        let (webp, jpeg) = (list("webp"), list("jpeg"));
        if webp.is_empty() || jpeg.is_empty() {
            return figure;
        }
        if let Some(largest) = variants
            .iter()
            .filter(|v| v.format == "jpeg")
            .max_by_key(|v| v.width)
        {
            figure.src = media_src(&largest.file);
        }
        figure.sources = Some(SourcesView {
            webp: webp.join(", "),
            jpeg: jpeg.join(", "),
            sizes,
        });
        figure
    }
}

pub fn media_src(file: &str) -> String {
    format!("/media/{file}")
}

/// A story in a list.
#[derive(Debug, Clone)]
pub struct CardView {
    pub href: String,
    pub headline: String,
    pub deck: Option<String>,
    pub section_name: String,
    pub section_href: String,
    pub time: TimeView,
    pub image: Option<FigureView>,
    pub gallery: bool,
    /// Set when the story's language differs from the site's, so browsers pick the right
    /// fonts and line breaking for it.
    pub lang: Option<String>,
    pub id: i64,
    /// Visible comments when the list was rendered; `site.js` refreshes it.
    pub comments: i64,
}

impl CardView {
    pub fn new(site: &Site, tree: &SectionTree, card: &StoryCard) -> CardView {
        let section = tree.get(card.section_id);
        CardView {
            href: story_href(
                site,
                tree,
                card.section_id,
                card.published_at,
                &card.slug,
                card.id.0,
            ),
            headline: card.headline.clone(),
            deck: card.deck.clone(),
            section_name: section.map(|s| s.name.clone()).unwrap_or_default(),
            section_href: section_path(&tree.path(card.section_id)),
            time: TimeView::new(site, card.published_at),
            image: card.lead_media.as_ref().map(FigureView::new),
            gallery: card.kind == broadsheet_domain::StoryKind::Gallery,
            lang: (card.language != site.language).then(|| card.language.clone()),
            id: card.id.0,
            comments: card.comment_count,
        }
    }

    pub fn list(site: &Site, tree: &SectionTree, cards: &[StoryCard]) -> Vec<CardView> {
        cards.iter().map(|c| CardView::new(site, tree, c)).collect()
    }
}

/// The canonical path of a story.
pub fn story_href(
    site: &Site,
    tree: &SectionTree,
    section: SectionId,
    published: Timestamp,
    slug: &str,
    id: i64,
) -> String {
    story_path(
        &tree.path(section),
        site.zone.wall(published).date(),
        slug,
        id,
    )
}

pub fn tag_link(tag: &Tag) -> Link {
    Link {
        href: tag_path(&tag.slug),
        label: tag.name.clone(),
    }
}

pub fn source_link(source: &Source) -> Link {
    Link {
        href: source_path(source.kind, &source.slug),
        label: source.name.clone(),
    }
}

/// The breadcrumb trail to a section, root first, each crumb a link.
pub fn breadcrumb(tree: &SectionTree, section: SectionId) -> Vec<Link> {
    tree.lineage(section)
        .into_iter()
        .map(|s| Link {
            href: section_path(&tree.path(s.id)),
            label: s.name.clone(),
        })
        .collect()
}

/// Plain share-intent links: no third-party script runs on our pages.
pub fn share_links(url: &str, headline: &str) -> (String, String) {
    let url = utf8_percent_encode(url, NON_ALPHANUMERIC);
    let text = utf8_percent_encode(headline, NON_ALPHANUMERIC);
    (
        format!("https://x.com/intent/post?text={text}&url={url}"),
        format!("https://www.facebook.com/sharer/sharer.php?u={url}"),
    )
}
