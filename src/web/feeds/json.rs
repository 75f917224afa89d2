//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>), written with serde.

use super::Format;
use super::model::{Feed, Item};
use crate::web::error::WebError;
use serde::Serialize;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    icon: &'a str,
    language: &'a str,
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    /// The spec asks for `content_html` or `content_text`: the body when the site offers full
    /// text, else the summary as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    language: &'a str,
}

pub fn write(feed: &Feed) -> Result<Vec<u8>, WebError> {
    let json = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.page_url,
        feed_url: feed.self_url(Format::Json),
        description: &feed.description,
        icon: &feed.logo_url,
        language: &feed.language,
        authors: vec![JsonAuthor {
            name: &feed.publisher,
            url: &feed.base_url,
        }],
        items: feed.items.iter().map(|i| item(feed, i)).collect(),
    };
    serde_json::to_vec(&json).map_err(|e| WebError::Internal(format!("writing JSON Feed: {e}")))
}

fn item<'a>(feed: &Feed, item: &'a Item) -> JsonItem<'a> {
    JsonItem {
        id: &item.id,
        url: &item.url,
        title: &item.title,
        content_html: item.content_html.as_deref(),
        content_text: item.content_html.is_none().then_some(item.summary.as_str()),
        summary: &item.summary,
        image: item.image.as_ref().map(|i| i.url.as_str()),
        date_published: feed.zone.iso(item.published),
        date_modified: feed.zone.iso(item.updated),
        authors: item
            .authors
            .iter()
            .map(|a| JsonAuthor {
                name: &a.name,
                url: &a.url,
            })
            .collect(),
        tags: item.tags.iter().map(String::as_str).collect(),
        language: &item.language,
    }
}
