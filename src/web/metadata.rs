//! What search engines and link previews read from a page's head: schema.org JSON-LD
//! (`NewsArticle`, `BreadcrumbList`), OpenGraph tags and X card tags.
//!
//! JSON-LD is built as `serde_json` values, never by pasting strings, and escaped for the
//! `<script>` element it goes in (see [`json_ld_script`]), so a headline holding `</script>`
//! stays text. Every URL is absolute: crawlers and link previews read these out of context.

use super::assets::{LOGO_PNG_PATH, LOGO_PNG_SIZE};
use super::views::{MetaTag, media_src};
use crate::render;
use crate::services::site::Site;
use broadsheet_domain::urls::{section_path, source_path};
use broadsheet_domain::{Media, SectionTree, SourceKind, Story};
use jiff::Timestamp;
use serde_json::{Value, json};

/// The words that describe a story where there is room for a sentence or two: its deck, else
/// the start of its text, else (a gallery with no text) its first caption, else its headline.
pub fn summary(story: &Story) -> String {
    if let Some(deck) = story.deck.as_deref().filter(|d| !d.trim().is_empty()) {
        return deck.to_string();
    }
    let text = render::plain_text(&story.body);
    if !text.is_empty() {
        return render::summary(&text, 200);
    }
    lead_image(story)
        .map(|m| m.caption.trim())
        .filter(|c| !c.is_empty())
        .map_or_else(|| story.headline.clone(), |c| render::summary(c, 200))
}

/// The picture that stands for a story: its lead photo, or a gallery's first.
pub fn lead_image(story: &Story) -> Option<&Media> {
    story.lead_media.as_ref().or(story.gallery.first())
}

/// JSON for a `<script type="application/ld+json">` element. The HTML parser ends a script
/// at the first `</script`, whatever the JSON means, so `<`, `>` and `&` are written as JSON
/// escapes (which JSON parsers read back as the same characters), and so are the two line
/// separators that older JavaScript engines refuse in strings.
pub fn json_ld_script(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// OpenGraph's locale is `language_TERRITORY`; a bare language tag stays as it is.
fn og_locale(language: &str) -> String {
    language.replace('-', "_")
}

fn og(key: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attr: "property",
        key,
        content: content.into(),
    }
}

fn x(key: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attr: "name",
        key,
        content: content.into(),
    }
}

/// The tags of a page that is not a story (home, section, tag): a website, previewed with
/// the paper's logo.
pub fn website(site: &Site, title: &str, path: &str, description: Option<&str>) -> Vec<MetaTag> {
    let mut tags = vec![
        og("og:type", "website"),
        og("og:title", title),
        og("og:url", site.absolute(path)),
        og("og:site_name", site.name.as_str()),
        og("og:locale", og_locale(&site.language)),
    ];
    if let Some(description) = description.filter(|d| !d.is_empty()) {
        tags.push(og("og:description", description));
    }
    tags.extend([
        og("og:image", site.absolute(LOGO_PNG_PATH)),
        og("og:image:width", LOGO_PNG_SIZE.0.to_string()),
        og("og:image:height", LOGO_PNG_SIZE.1.to_string()),
        x("twitter:card", "summary"),
        x("twitter:title", title),
    ]);
    tags
}

/// Everything an article page says about itself to machines.
pub struct ArticleMetadata {
    pub meta: Vec<MetaTag>,
    /// JSON-LD documents, already escaped for a script element.
    pub json_ld: Vec<String>,
}

/// What the article page has already worked out, to describe it the same way.
pub struct ArticleFacts<'a> {
    pub story: &'a Story,
    pub tree: &'a SectionTree,
    /// Absolute.
    pub canonical: &'a str,
    pub description: &'a str,
    pub published: Timestamp,
}

pub fn article(site: &Site, facts: &ArticleFacts<'_>) -> ArticleMetadata {
    let story = facts.story;
    let published = site.zone.iso(facts.published);
    let modified = site.zone.iso(
        story
            .updated_at
            .filter(|u| *u > facts.published)
            .unwrap_or(facts.published),
    );
    let section_name = facts
        .tree
        .get(story.section_id)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let image = lead_image(story);

    let mut meta = vec![
        og("og:type", "article"),
        og("og:title", story.headline.as_str()),
        og("og:description", facts.description),
        og("og:url", facts.canonical),
        og("og:site_name", site.name.as_str()),
        og("og:locale", og_locale(&story.language)),
    ];
    match image {
        Some(media) => meta.extend([
            og("og:image", site.absolute(&media_src(&media.file))),
            og("og:image:width", media.width.to_string()),
            og("og:image:height", media.height.to_string()),
            og("og:image:alt", media.alt.as_str()),
        ]),
        None => meta.extend([
            og("og:image", site.absolute(LOGO_PNG_PATH)),
            og("og:image:width", LOGO_PNG_SIZE.0.to_string()),
            og("og:image:height", LOGO_PNG_SIZE.1.to_string()),
        ]),
    }
    meta.extend([
        og("article:published_time", published.as_str()),
        og("article:modified_time", modified.as_str()),
        og("article:section", section_name.as_str()),
    ]);
    meta.extend(
        story
            .tags
            .iter()
            .map(|t| og("article:tag", t.name.as_str())),
    );
    // The large card only when there is a photo; the logo would look lost in it.
    meta.push(x(
        "twitter:card",
        if image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
    ));
    meta.extend([
        x("twitter:title", story.headline.as_str()),
        x("twitter:description", facts.description),
    ]);
    match image {
        Some(media) => meta.extend([
            x("twitter:image", site.absolute(&media_src(&media.file))),
            x("twitter:image:alt", media.alt.as_str()),
        ]),
        None => meta.push(x("twitter:image", site.absolute(LOGO_PNG_PATH))),
    }

    let article = news_article(site, facts, &published, &modified, &section_name);
    let breadcrumbs = breadcrumb_list(site, facts);
    ArticleMetadata {
        meta,
        json_ld: vec![json_ld_script(&article), json_ld_script(&breadcrumbs)],
    }
}

fn news_article(
    site: &Site,
    facts: &ArticleFacts<'_>,
    published: &str,
    modified: &str,
    section_name: &str,
) -> Value {
    let story = facts.story;
    let source_url = |kind, slug: &str| site.absolute(&source_path(kind, slug));
    let people: Vec<Value> = story
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Staff)
        .map(|s| {
            json!({
                "@type": "Person",
                "name": s.name,
                "url": source_url(s.kind, &s.slug),
            })
        })
        .collect();
    let wires: Vec<Value> = story
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Wire)
        .map(|s| {
            json!({
                "@type": "Organization",
                "name": s.name,
                "url": source_url(s.kind, &s.slug),
            })
        })
        .collect();
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.headline,
        "description": facts.description,
        "url": facts.canonical,
        "mainEntityOfPage": { "@type": "WebPage", "@id": facts.canonical },
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": story.language,
        "articleSection": section_name,
        "keywords": story.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "publisher": {
            "@type": "Organization",
            "name": site.name,
            "url": site.absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": site.absolute(LOGO_PNG_PATH),
                "width": LOGO_PNG_SIZE.0,
                "height": LOGO_PNG_SIZE.1,
            },
        },
    });
    let fields = article.as_object_mut().expect("an object");
    if let Some(media) = lead_image(story) {
        fields.insert(
            "image".into(),
            json!([site.absolute(&media_src(&media.file))]),
        );
    }
    // Wire copy has no person to credit: search engines want an author, and the agency is it.
    let author = if people.is_empty() {
        wires.clone()
    } else {
        people
    };
    if !author.is_empty() {
        fields.insert("author".into(), Value::Array(author));
    }
    match wires.len() {
        0 => {}
        1 => {
            fields.insert("sourceOrganization".into(), wires[0].clone());
        }
        _ => {
            fields.insert("sourceOrganization".into(), Value::Array(wires));
        }
    }
    article
}

/// The same trail as the visible breadcrumb: Home, then each section down to the story's.
fn breadcrumb_list(site: &Site, facts: &ArticleFacts<'_>) -> Value {
    let home = (site.absolute("/"), "Home".to_string());
    let crumbs =
        std::iter::once(home).chain(facts.tree.lineage(facts.story.section_id).into_iter().map(
            |s| {
                (
                    site.absolute(&section_path(&facts.tree.path(s.id))),
                    s.name.clone(),
                )
            },
        ));
    let items: Vec<Value> = crumbs
        .enumerate()
        .map(|(i, (url, name))| {
            json!({
                "@type": "ListItem",
                "position": i + 1,
                "name": name,
                "item": url,
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let value = json!({ "headline": "a </script><script>alert(1)</script> & b\u{2028}" });
        let script = json_ld_script(&value);
        assert!(!script.contains('<') && !script.contains('>') && !script.contains('&'));
        let back: Value = serde_json::from_str(&script).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn locales() {
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert_eq!(og_locale("ko"), "ko");
    }
}
