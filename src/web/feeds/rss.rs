//! RSS 2.0. Bylines go in `dc:creator` (RSS's own `author` must be an e-mail address), the
//! full text in `content:encoded` beside the plain summary in `description`, the feed's own
//! address in `atom:link rel="self"`, and a story's update in `atom:updated`, since RSS has
//! no element for it.

use super::Format;
use super::model::{Feed, Item, escape};
use crate::web::error::WebError;
use broadsheet_domain::time::SiteZone;
use jiff::Timestamp;
use rss::extension::Extension;
use rss::extension::atom::AtomExtension;
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Enclosure, Guid, Image};
use std::collections::BTreeMap;

const GENERATOR: &str = "Broadsheet";

pub fn write(feed: &Feed) -> Result<Vec<u8>, WebError> {
    let channel = Channel {
        title: feed.title.clone(),
        link: feed.page_url.clone(),
        description: feed.description.clone(),
        language: Some(feed.language.clone()),
        last_build_date: feed.updated().map(|at| rfc822(&feed.zone, at)),
        generator: Some(GENERATOR.into()),
        image: Some(Image {
            url: feed.logo_url.clone(),
            title: feed.title.clone(),
            link: feed.page_url.clone(),
            ..Image::default()
        }),
        atom_ext: Some(AtomExtension {
            links: vec![atom_syndication::Link {
                href: feed.self_url(Format::Rss),
                rel: "self".into(),
                mime_type: Some(Format::Rss.mime().into()),
                ..atom_syndication::Link::default()
            }],
        }),
        items: feed.items.iter().map(|i| item(feed, i)).collect(),
        ..Channel::default()
    };
    channel
        .write_to(Vec::new())
        .map_err(|e| WebError::Internal(format!("writing RSS: {e}")))
}

fn item(feed: &Feed, item: &Item) -> rss::Item {
    let mut extensions = BTreeMap::new();
    if item.updated > item.published {
        let updated = Extension {
            name: "atom:updated".into(),
            value: Some(feed.zone.iso(item.updated)),
            ..Extension::default()
        };
        extensions.insert(
            "atom".to_string(),
            BTreeMap::from([("updated".to_string(), vec![updated])]),
        );
    }
    rss::Item {
        title: Some(item.title.clone()),
        link: Some(item.url.clone()),
        // A description is HTML to feed readers; the summary is plain text.
        description: Some(escape(&item.summary)),
        categories: item
            .tags
            .iter()
            .map(|tag| Category {
                name: tag.clone(),
                domain: None,
            })
            .collect(),
        enclosure: item.image.as_ref().map(|image| Enclosure {
            url: image.url.clone(),
            length: image.length.to_string(),
            mime_type: image.mime.clone(),
        }),
        guid: Some(Guid {
            value: item.id.clone(),
            permalink: false,
        }),
        pub_date: Some(rfc822(&feed.zone, item.published)),
        content: item.content_html.clone(),
        dublin_core_ext: (!item.authors.is_empty()).then(|| DublinCoreExtension {
            creators: item.authors.iter().map(|a| a.name.clone()).collect(),
            ..DublinCoreExtension::default()
        }),
        extensions,
        ..rss::Item::default()
    }
}

/// `Fri, 27 Dec 2024 11:22:00 +0900`: RFC 822's format (as RFC 2822 writes it), in the
/// site's zone.
fn rfc822(zone: &SiteZone, at: Timestamp) -> String {
    let zoned = at.to_zoned_datetime(zone.tz().clone());
    jiff::fmt::rfc2822::to_string(&zoned).unwrap_or_else(|_| {
        // Only years outside 0..=9999 fail; fall back to UTC's spelling of the instant.
        at.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_in_the_site_zone() {
        let seoul = SiteZone::new("Asia/Seoul").unwrap();
        let at: Timestamp = "2024-12-27T02:22:00Z".parse().unwrap();
        assert_eq!(rfc822(&seoul, at), "Fri, 27 Dec 2024 11:22:00 +0900");
    }
}
