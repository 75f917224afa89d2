//! A story as IPTC ninjs 2.x ("news in JSON"), for partners and aggregators that take wire
//! formats rather than our own JSON.
//!
//! What goes where, and why:
//! - `uri` is the story's address in this API, which never changes (its page URL does when
//!   the headline or section does); `version` is the story's revision, as text, as the
//!   schema wants; `versioncreated` its last change; `firstcreated` its first publication
//!   (creation while it was never published).
//! - `pubstatus`: a published story is `usable`, an unpublished one `canceled`, a draft or a
//!   scheduled one `withheld` (a scheduled one also carries `embargoed`, its time).
//! - `headlines`: the headline (`main`) and the deck (`subheadline`); the deck is also the
//!   `summary` description, where most ninjs readers (ours among them) look for it.
//! - `bodies`: the body as the site renders it (sanitised HTML).
//! - `subjects` are the tags (with their page on the site); `by` the staff writers;
//!   `infosources` the wire services. We record no place, so there is no `located`.
//! - `associations`: the lead photo (`lead`) and a gallery's photos (`gallery-1`...), each a
//!   `picture` whose `renditions` are the original and the media library's resized copies,
//!   with absolute URLs; its caption and alt text are descriptions, its credit `by`.

use crate::services::site::Site;
use broadsheet_domain::{Media, MediaId, MediaVariant, SourceKind, Story, StoryStatus};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The schema the document declares.
pub const SCHEMA: &str = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json";

/// The document for `story`; `url` is its page on the site when it is published.
pub fn story(
    site: &Site,
    story: &Story,
    url: Option<&str>,
    variants: &HashMap<MediaId, Vec<MediaVariant>>,
) -> Value {
    let mut doc = json!({
        "$schema": SCHEMA,
        "uri": site.absolute(&format!("/api/v1/stories/{}", story.id)),
        "type": "text",
        "profile": story.kind.as_str(),
        "version": story.revision.to_string(),
        "versioncreated": story.modified_at.to_string(),
        "firstcreated": story.published_at.unwrap_or(story.created_at).to_string(),
        "pubstatus": pubstatus(story.status),
        "language": story.language,
        "copyrightholder": { "name": site.name },
    });
    let mut headlines = vec![json!({
        "role": "main", "contenttype": "text/plain", "value": story.headline,
    })];
    if let Some(deck) = &story.deck {
        headlines
            .push(json!({ "role": "subheadline", "contenttype": "text/plain", "value": deck }));
        doc["descriptions"] =
            json!([{ "role": "summary", "contenttype": "text/plain", "value": deck }]);
    }
    doc["headlines"] = Value::Array(headlines);
    doc["bodies"] = json!([{
        "role": "main",
        "contenttype": "text/html",
        "value": crate::render::markdown(&story.body),
    }]);
    if story.status == StoryStatus::Scheduled
        && let Some(at) = story.published_at
    {
        doc["embargoed"] = json!(at.to_string());
    }
    if let Some(url) = url {
        doc["webpage"] = json!(url);
    }
    if !story.tags.is_empty() {
        doc["subjects"] = story
            .tags
            .iter()
            .map(|t| json!({ "name": t.name, "uri": site.absolute(&broadsheet_domain::urls::tag_path(&t.slug)) }))
            .collect();
    }
    let staff: Vec<&str> = story
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Staff)
        .map(|s| s.name.as_str())
        .collect();
    if !staff.is_empty() {
        doc["by"] = json!(staff.join(" and "));
    }
    let wire: Vec<Value> = story
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Wire)
        .map(|s| json!({ "name": s.name, "role": "source" }))
        .collect();
    if !wire.is_empty() {
        doc["infosources"] = Value::Array(wire);
    }
    let pictures: Vec<Value> = story
        .lead_media
        .iter()
        .map(|m| ("lead".to_string(), m))
        .chain(
            story
                .gallery
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("gallery-{}", i + 1), m)),
        )
        .map(|(name, media)| picture(site, &name, media, variants.get(&media.id)))
        .collect();
    if !pictures.is_empty() {
        doc["associations"] = Value::Array(pictures);
    }
    doc
}

fn pubstatus(status: StoryStatus) -> &'static str {
    match status {
        StoryStatus::Published => "usable",
        StoryStatus::Unpublished => "canceled",
        StoryStatus::Draft | StoryStatus::Scheduled => "withheld",
    }
}

fn picture(site: &Site, name: &str, media: &Media, variants: Option<&Vec<MediaVariant>>) -> Value {
    let mut renditions = vec![json!({
        "name": "original",
        "href": site.absolute(&crate::web::views::media_src(&media.file)),
        "contenttype": media.mime,
        "width": media.width,
        "height": media.height,
    })];
    renditions.extend(variants.into_iter().flatten().map(|v| {
        json!({
            "name": format!("{}-{}", v.format, v.width),
            "href": site.absolute(&crate::web::views::media_src(&v.file)),
            "contenttype": format!("image/{}", v.format),
            "width": v.width,
            "height": v.height,
        })
    }));
    let mut descriptions = Vec::new();
    if !media.caption.trim().is_empty() {
        descriptions.push(
            json!({ "role": "caption", "contenttype": "text/plain", "value": media.caption }),
        );
    }
    descriptions.push(json!({ "role": "alt", "contenttype": "text/plain", "value": media.alt }));
    let mut picture = json!({
        "name": name,
        "uri": site.absolute(&format!("/api/v1/media/{}", media.id)),
        "type": "picture",
        "descriptions": descriptions,
        "renditions": renditions,
    });
    if let Some(credit) = &media.credit {
        picture["by"] = json!(credit);
    }
    picture
}
