//! RSS 2.0 and Atom 1.0 (RFC 4287) feeds.
//!
//! The root element tells the two apart: `<rss>` (no namespace) is RSS, `<feed>` in the Atom
//! namespace is Atom; anything else (RSS 1.0's `<rdf:RDF>`, Atom 0.3's `<feed>` in its old
//! namespace, a web page) is refused. Elements are matched by namespace, not prefix.
//!
//! # RSS 2.0
//!
//! Everything in RSS is optional, so the rules pick the best field there is:
//!
//! * **Id.** `<guid>`, else `<link>`: a feed without guids identifies its items by their
//!   links. Neither is a problem.
//! * **Headline.** `<title>`, read as HTML (feeds escape markup and entities into it). An item
//!   with no title is a problem, although RSS allows it: a story needs a headline.
//! * **Body and deck.** `content:encoded` (the content module) holds the full story when
//!   present; `<description>` is then the deck. Without it, `<description>` is the body.
//!   Both are HTML.
//! * **Date.** `<pubDate>` is RFC 2822 (`Fri, 14 Mar 2025 09:05:00 +0900`). One that does not
//!   parse is a problem. RSS has no update time.
//! * **Byline.** `dc:creator` (names, several joined with `, `), else `<author>`, which RSS
//!   defines as an e-mail address: `desk@example.org (Kim Min-ji)` gives the name in
//!   parentheses, anything else is kept as written.
//! * **Source.** The item's `<source>` (the channel it was first published in), else the
//!   channel's `<title>`. **Language**: the channel's `<language>`.
//! * **Subjects.** Every `<category>`. **Link**: `<link>`.
//! * **Lead image.** An `<enclosure>` with an image `type`, else a Media RSS `media:content`
//!   with an image `type` or `medium="image"`. `media:description` and `media:credit` (those
//!   inside the `media:content` for the same URL, else the item's own) give caption and
//!   credit.
//!
//! # Atom 1.0
//!
//! * **Id.** `<id>`, required by the RFC; missing is a problem.
//! * **Headline.** `<title>`, a text construct: `type="text"` (the default) is taken as
//!   written, `html` is read as HTML, `xhtml` as the markup inside its `<div>`.
//! * **Body and deck.** `<content>` is the body (`text`, `html`, `xhtml`, or a `text/...`
//!   MIME type read as text; content given by `src` or in another MIME type is not in the
//!   feed and is skipped); `<summary>` is then the deck. Without content, `<summary>` is the
//!   body.
//! * **Dates.** `<published>` is the publication, else `<updated>` (which the RFC requires);
//!   `<updated>` is also the update time. RFC 3339; one that does not parse is a problem.
//! * **Byline.** The `<name>` of each `<author>` of the entry, joined with `, `; an entry
//!   without authors inherits those of its `<source>`, else the feed's (RFC 4287 4.2.1).
//! * **Source.** The title of the entry's `<source>`, else the feed's `<title>`.
//! * **Language.** `xml:lang` on the entry, else on the feed (it is inherited in XML).
//! * **Subjects.** The `term` of each `<category>`. **Link**: the first `<link>` with
//!   `rel="alternate"` or no `rel`.
//! * **Lead image.** The first `<link rel="enclosure">` with an image `type`; its `title` is
//!   the caption.

use jiff::Timestamp;
use jiff::fmt::rfc2822::DateTimeParser;

use super::html::{collapse_whitespace, html_to_markdown, html_to_text, text_to_markdown};
use super::xml::{self, Element};
use super::{
    WireBatch, WireError, WireImage, WireItem, dedup_subjects, is_image_mime, item_label, non_empty,
};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const MEDIA: &str = "http://search.yahoo.com/mrss/";

static RFC2822: DateTimeParser = DateTimeParser::new();

/// Read an RSS 2.0 or Atom 1.0 feed.
pub fn parse_feed(xml: &str) -> Result<WireBatch, WireError> {
    let root = xml::parse(xml)?;
    if root.is(None, "rss") {
        let channel = root
            .first(None, "channel")
            .ok_or(WireError::NoChannel { line: root.line })?;
        Ok(rss(channel))
    } else if root.is(Some(ATOM), "feed") {
        Ok(atom(&root))
    } else {
        Err(WireError::NotAFeed {
            line: root.line,
            root: root.name.clone(),
        })
    }
}

fn rss(channel: &Element) -> WireBatch {
    let channel_title = channel
        .child_text(None, "title")
        .and_then(|t| non_empty(html_to_text(&t)));
    let language = channel.child_text(None, "language");
    let mut batch = WireBatch::default();
    for (index, item) in channel.all(None, "item").enumerate() {
        let guid = item
            .child_text(None, "guid")
            .or_else(|| item.child_text(None, "link"));
        let headline = item
            .child_text(None, "title")
            .and_then(|t| non_empty(html_to_text(&t)));
        let label = item_label(index, guid.as_deref(), headline.as_deref());
        let Some(guid) = guid else {
            batch.problem(label, "it has no <guid> and no <link>");
            continue;
        };
        let Some(headline) = headline else {
            batch.problem(label, "it has no <title>");
            continue;
        };
        let published_at = match item.child_text(None, "pubDate") {
            None => None,
            Some(text) => match RFC2822.parse_timestamp(&text) {
                Ok(at) => Some(at),
                Err(_) => {
                    batch.problem(
                        label,
                        format!(
                            "its <pubDate> \"{text}\" is not an RFC 2822 date (like Fri, 14 Mar 2025 09:05:00 +0900)"
                        ),
                    );
                    continue;
                }
            },
        };
        let content = item.child_text(Some(CONTENT), "encoded");
        let description = item.child_text(None, "description");
        let (body, deck) = match content {
            Some(content) => (
                html_to_markdown(&content),
                description.and_then(|d| non_empty(html_to_text(&d))),
            ),
            None => (
                description
                    .map(|d| html_to_markdown(&d))
                    .unwrap_or_default(),
                None,
            ),
        };
        let creators: Vec<String> = item
            .all(Some(DC), "creator")
            .filter_map(|c| non_empty(collapse_whitespace(&c.text())))
            .collect();
        let byline = if creators.is_empty() {
            item.child_text(None, "author").map(|a| rss_author_name(&a))
        } else {
            Some(creators.join(", "))
        };
        batch.push(WireItem {
            guid,
            version: None,
            headline,
            deck,
            body,
            language: language.clone(),
            published_at,
            updated_at: None,
            byline,
            source: item
                .child_text(None, "source")
                .and_then(|s| non_empty(html_to_text(&s)))
                .or_else(|| channel_title.clone()),
            subjects: dedup_subjects(item.all(None, "category").map(Element::text)),
            lead_image: rss_image(item),
            link: item.child_text(None, "link"),
        });
    }
    batch
}

/// `desk@example.org (Kim Min-ji)` is RSS's form for an author; the name is what a byline
/// wants.
fn rss_author_name(author: &str) -> String {
    let author = collapse_whitespace(author);
    if let Some((address, rest)) = author.split_once(" (")
        && address.contains('@')
        && let Some(name) = rest.strip_suffix(')')
        && !name.trim().is_empty()
    {
        return name.trim().to_string();
    }
    author
}

fn rss_image(item: &Element) -> Option<WireImage> {
    let enclosure = item
        .all(None, "enclosure")
        .filter(|e| e.attr("type").is_some_and(is_image_mime))
        .find_map(|e| {
            Some((
                non_empty(e.attr("url")?)?,
                e.attr("type").and_then(non_empty),
            ))
        });
    let media_contents: Vec<&Element> = item
        .all(Some(MEDIA), "content")
        .chain(
            item.all(Some(MEDIA), "group")
                .flat_map(|g| g.all(Some(MEDIA), "content")),
        )
        .collect();
    let media = media_contents
        .iter()
        .filter(|m| m.attr("type").is_some_and(is_image_mime) || m.attr("medium") == Some("image"))
        .find_map(|m| {
            Some((
                non_empty(m.attr("url")?)?,
                m.attr("type").and_then(non_empty),
            ))
        });
    let (href, mime) = enclosure.or(media)?;

    let same = media_contents
        .iter()
        .find(|m| m.attr("url").map(str::trim) == Some(href.as_str()));
    let media_text = |name: &str| {
        same.and_then(|m| m.child_text(Some(MEDIA), name))
            .or_else(|| item.child_text(Some(MEDIA), name))
            .and_then(|t| non_empty(html_to_text(&t)))
    };
    Some(WireImage {
        caption: media_text("description"),
        credit: media_text("credit"),
        alt: None,
        mime,
        href,
    })
}

fn atom(feed: &Element) -> WireBatch {
    let feed_title = feed.first(Some(ATOM), "title").and_then(construct_text);
    let feed_authors = atom_authors(feed);
    let mut batch = WireBatch::default();
    for (index, entry) in feed.all(Some(ATOM), "entry").enumerate() {
        let guid = entry.child_text(Some(ATOM), "id");
        let headline = entry.first(Some(ATOM), "title").and_then(construct_text);
        let label = item_label(index, guid.as_deref(), headline.as_deref());
        let Some(guid) = guid else {
            batch.problem(label, "it has no <id>");
            continue;
        };
        let Some(headline) = headline else {
            batch.problem(label, "it has no <title>");
            continue;
        };
        let (published, updated) =
            match (atom_date(entry, "published"), atom_date(entry, "updated")) {
                (Ok(published), Ok(updated)) => (published, updated),
                (Err(reason), _) | (_, Err(reason)) => {
                    batch.problem(label, reason);
                    continue;
                }
            };
        let content = entry
            .first(Some(ATOM), "content")
            .and_then(content_markdown);
        let summary = entry.first(Some(ATOM), "summary");
        let (body, deck) = match content {
            Some(body) => (body, summary.and_then(construct_text)),
            None => (summary.map(construct_markdown).unwrap_or_default(), None),
        };
        let source = entry.first(Some(ATOM), "source");
        let byline = Some(atom_authors(entry))
            .filter(|a| !a.is_empty())
            .or_else(|| source.map(atom_authors).filter(|a| !a.is_empty()))
            .unwrap_or_else(|| feed_authors.clone());
        let links: Vec<&Element> = entry.all(Some(ATOM), "link").collect();
        batch.push(WireItem {
            guid,
            version: None,
            headline,
            deck,
            body,
            language: entry.xml_lang().or(feed.xml_lang()).and_then(non_empty),
            published_at: published.or(updated),
            updated_at: updated,
            byline: non_empty(byline.join(", ")),
            source: source
                .and_then(|s| s.first(Some(ATOM), "title"))
                .and_then(construct_text)
                .or_else(|| feed_title.clone()),
            subjects: dedup_subjects(
                entry
                    .all(Some(ATOM), "category")
                    .filter_map(|c| c.attr("term").map(str::to_string)),
            ),
            lead_image: links
                .iter()
                .filter(|l| l.attr("rel") == Some("enclosure"))
                .filter(|l| l.attr("type").is_some_and(is_image_mime))
                .find_map(|l| {
                    Some(WireImage {
                        href: non_empty(l.attr("href")?)?,
                        caption: l
                            .attr("title")
                            .and_then(|t| non_empty(collapse_whitespace(t))),
                        credit: None,
                        alt: None,
                        mime: l.attr("type").and_then(non_empty),
                    })
                }),
            link: links
                .iter()
                .filter(|l| matches!(l.attr("rel"), None | Some("alternate")))
                .find_map(|l| l.attr("href").and_then(non_empty)),
        });
    }
    batch
}

fn atom_authors(parent: &Element) -> Vec<String> {
    parent
        .all(Some(ATOM), "author")
        .filter_map(|a| a.child_text(Some(ATOM), "name"))
        .map(|n| collapse_whitespace(&n))
        .collect()
}

fn atom_date(entry: &Element, name: &str) -> Result<Option<Timestamp>, String> {
    let Some(text) = entry.child_text(Some(ATOM), name) else {
        return Ok(None);
    };
    text.parse::<Timestamp>().map(Some).map_err(|_| {
        format!(
            "its <{name}> \"{text}\" is not an RFC 3339 date-time (like 2025-03-14T09:05:00+09:00)"
        )
    })
}

/// The markup of an `xhtml` construct: what is inside its one `<div>` (RFC 4287 3.1.1.3).
fn xhtml_markup(construct: &Element) -> String {
    match construct.elements().next() {
        Some(div) if div.name == "div" => div.inner_markup(),
        _ => construct.inner_markup(),
    }
}

/// An Atom text construct (`title`, `summary`, `rights`) as one line of plain text.
fn construct_text(construct: &Element) -> Option<String> {
    let text = match construct.attr("type").unwrap_or("text") {
        "html" => html_to_text(&construct.text()),
        "xhtml" => html_to_text(&xhtml_markup(construct)),
        _ => collapse_whitespace(&construct.text()),
    };
    non_empty(text)
}

/// An Atom text construct as Markdown.
fn construct_markdown(construct: &Element) -> String {
    match construct.attr("type").unwrap_or("text") {
        "html" => html_to_markdown(&construct.text()),
        "xhtml" => html_to_markdown(&xhtml_markup(construct)),
        _ => text_to_markdown(&construct.text()),
    }
}

/// `<content>` as Markdown, or `None` when its content is not in the feed or not text.
fn content_markdown(content: &Element) -> Option<String> {
    if content.attr("src").is_some() {
        return None;
    }
    let kind = content.attr("type").unwrap_or("text");
    let markdown = match kind {
        "text" | "html" | "xhtml" => construct_markdown(content),
        mime if mime.to_ascii_lowercase().starts_with("text/html") => {
            html_to_markdown(&content.text())
        }
        mime if mime.to_ascii_lowercase().starts_with("text/") => text_to_markdown(&content.text()),
        _ => return None,
    };
    non_empty(markdown)
}
