//! Atom 1.0 (RFC 4287). The feed names the paper as its author, so an entry without a byline
//! still has one, as the RFC requires; the lead photo is a `link rel="enclosure"`.

use super::Format;
use super::model::{Feed, Item};
use crate::web::error::WebError;
use atom_syndication::{Category, Content, Entry, FixedDateTime, Generator, Link, Person, Text};
use broadsheet_domain::time::SiteZone;
use jiff::Timestamp;

pub fn write(feed: &Feed) -> Result<Vec<u8>, WebError> {
    let updated = feed.updated().unwrap_or_else(Timestamp::now);
    let entries = feed
        .items
        .iter()
        .map(|i| entry(feed, i))
        .collect::<Result<Vec<_>, _>>()?;
    let atom = atom_syndication::Feed {
        title: Text::plain(feed.title.clone()),
        // The feed's own address names it for good: it depends only on what it follows.
        id: feed.self_url(Format::Atom),
        updated: fixed(&feed.zone, updated)?,
        authors: vec![Person {
            name: feed.publisher.clone(),
            uri: Some(feed.base_url.clone()),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "Broadsheet".into(),
            ..Generator::default()
        }),
        icon: Some(feed.logo_url.clone()),
        links: vec![
            Link {
                href: feed.page_url.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
            Link {
                href: feed.self_url(Format::Atom),
                rel: "self".into(),
                mime_type: Some(Format::Atom.mime().into()),
                ..Link::default()
            },
        ],
        subtitle: Some(Text::plain(feed.description.clone())),
        lang: Some(feed.language.clone()),
        entries,
        ..atom_syndication::Feed::default()
    };
    atom.write_to(Vec::new())
        .map_err(|e| WebError::Internal(format!("writing Atom: {e}")))
}

fn entry(feed: &Feed, item: &Item) -> Result<Entry, WebError> {
    let mut links = vec![Link {
        href: item.url.clone(),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Link::default()
    }];
    if let Some(image) = &item.image {
        links.push(Link {
            href: image.url.clone(),
            rel: "enclosure".into(),
            mime_type: Some(image.mime.clone()),
            length: Some(image.length.to_string()),
            ..Link::default()
        });
    }
    Ok(Entry {
        title: Text::plain(item.title.clone()),
        id: item.id.clone(),
        updated: fixed(&feed.zone, item.updated)?,
        published: Some(fixed(&feed.zone, item.published)?),
        authors: item
            .authors
            .iter()
            .map(|a| Person {
                name: a.name.clone(),
                uri: Some(a.url.clone()),
                ..Person::default()
            })
            .collect(),
        categories: item
            .tags
            .iter()
            .map(|tag| Category {
                term: tag.clone(),
                ..Category::default()
            })
            .collect(),
        links,
        summary: Some(Text::plain(item.summary.clone())),
        content: item.content_html.as_ref().map(|html| Content {
            // Bodies may link within the site by path.
            base: Some(feed.base_url.clone()),
            lang: Some(item.language.clone()),
            value: Some(html.clone()),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    })
}

fn fixed(zone: &SiteZone, at: Timestamp) -> Result<FixedDateTime, WebError> {
    FixedDateTime::parse_from_rfc3339(&zone.iso(at))
        .map_err(|e| WebError::Internal(format!("feed time {at}: {e}")))
}
