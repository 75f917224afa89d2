//! The demo edition: original stories (`demo/edition.toml`) with procedurally painted photos,
//! loaded into an empty store on first run so a newcomer sees a working newspaper at once.
//!
//! The whole edition goes in as one transaction: a half-loaded demo is never left behind.

pub mod photos;

use crate::app::App;
use crate::services::site::keys;
use broadsheet_domain::time::SiteZone;
use broadsheet_domain::{
    MediaId, MediaInput, SourceInput, SourceKind, StoryId, StoryInput, StoryKind, StoryStatus,
};
use broadsheet_store::StoreError;
use photos::Scene;
use serde::Deserialize;
use std::collections::HashMap;

const EDITION: &str = include_str!("../../demo/edition.toml");
/// The demo's times are written as Seoul wall-clock times, whatever zone the site uses.
const EDITION_ZONE: &str = "Asia/Seoul";
pub const TAGLINE: &str = "Seoul's English-language daily — a Broadsheet demo edition";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo edition is not valid: {0}")]
    Edition(String),
    #[error("cannot write a demo photo: {0}")]
    Photo(#[from] std::io::Error),
    #[error("cannot store the demo edition: {0}")]
    Store(#[from] StoreError),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edition {
    section: Vec<SectionEntry>,
    story: Vec<StoryEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionEntry {
    path: Vec<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoryEntry {
    key: String,
    kind: String,
    section: Vec<String>,
    headline: String,
    deck: Option<String>,
    published: String,
    updated: Option<String>,
    language: String,
    #[serde(default)]
    authors: Vec<String>,
    wire: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    related: Option<String>,
    related_after: Option<u32>,
    body: String,
    photo: Option<PhotoEntry>,
    #[serde(default)]
    gallery: Vec<PhotoEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoEntry {
    scene: String,
    caption: String,
    credit: String,
    alt: String,
}

/// How the demo is painted: the site uses full-size photos; tests use small ones to stay fast.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub photo_width: u32,
}

impl Default for DemoOptions {
    fn default() -> DemoOptions {
        DemoOptions { photo_width: 1200 }
    }
}

/// What was loaded.
#[derive(Debug, Clone, Copy)]
pub struct Loaded {
    pub stories: usize,
    pub photos: usize,
}

fn edition() -> Result<Edition, DemoError> {
    toml::from_str(EDITION).map_err(|e| DemoError::Edition(e.to_string()))
}

fn wall(text: &str, zone: &SiteZone) -> Result<jiff::Timestamp, DemoError> {
    let wall: jiff::civil::DateTime = text
        .parse()
        .map_err(|e| DemoError::Edition(format!("time '{text}': {e}")))?;
    Ok(zone.instant(wall))
}

/// The stories in an order where every editor's pick is saved before the story naming it.
fn save_order(stories: &[StoryEntry]) -> Result<Vec<&StoryEntry>, DemoError> {
    let mut done: Vec<&str> = Vec::new();
    let mut order = Vec::with_capacity(stories.len());
    while order.len() < stories.len() {
        let before = order.len();
        for story in stories {
            let ready = story
                .related
                .as_deref()
                .is_none_or(|key| done.contains(&key));
            if ready && !done.contains(&story.key.as_str()) {
                done.push(&story.key);
                order.push(story);
            }
        }
        if order.len() == before {
            return Err(DemoError::Edition(
                "the related-story picks form a cycle or name a missing story".into(),
            ));
        }
    }
    Ok(order)
}

/// Load the demo edition into the store.
pub async fn load(app: &App, options: DemoOptions) -> Result<Loaded, DemoError> {
    let edition = edition()?;
    let zone = SiteZone::new(EDITION_ZONE).expect("bundled zone");
    let width = options.photo_width.max(16);
    let height = width * 9 / 16;
    let mut writer = app.store.writer().await?;
    let mut sections = HashMap::new();
    for entry in &edition.section {
        let id = writer
            .ensure_section_path(&entry.path, entry.description.as_deref())
            .await?;
        sections.insert(entry.path.clone(), id);
    }
    let mut ids: HashMap<&str, StoryId> = HashMap::new();
    let mut photos = 0;
    for (n, entry) in save_order(&edition.story)?.into_iter().enumerate() {
        let section_id = *sections.get(&entry.section).ok_or_else(|| {
            DemoError::Edition(format!(
                "story {}: section {:?} is not declared",
                entry.key, entry.section
            ))
        })?;
        let paint = |photo: &PhotoEntry, index: usize| -> Result<MediaInput, DemoError> {
            let scene: Scene = photo.scene.parse().map_err(|e: photos::UnknownScene| {
                DemoError::Edition(format!("story {}: {e}", entry.key))
            })?;
            let seed = (n as u64) << 8 | index as u64;
            let image = photos::render(scene, seed, width, height);
            let mut bytes = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82)
                .encode_image(&image)
                .map_err(|e| DemoError::Edition(format!("encoding a photo: {e}")))?;
            let file = app.media.write(&bytes, "jpg")?;
            Ok(MediaInput {
                file,
                mime: "image/jpeg".into(),
                width,
                height,
                caption: photo.caption.clone(),
                credit: Some(photo.credit.clone()),
                alt: photo.alt.clone(),
            })
        };
        let mut lead_media: Option<MediaId> = None;
        if let Some(photo) = &entry.photo {
            let input = paint(photo, 0)?;
            lead_media = Some(writer.add_media(&input).await?.id);
            photos += 1;
        }
        let mut gallery = Vec::new();
        for (i, photo) in entry.gallery.iter().enumerate() {
            let input = paint(photo, i + 1)?;
            gallery.push(writer.add_media(&input).await?.id);
            photos += 1;
        }
        let mut sources: Vec<SourceInput> = entry
            .authors
            .iter()
            .map(|name| SourceInput {
                name: name.clone(),
                kind: SourceKind::Staff,
            })
            .collect();
        if let Some(wire) = &entry.wire {
            sources.push(SourceInput {
                name: wire.clone(),
                kind: SourceKind::Wire,
            });
        }
        let related_story_id = match &entry.related {
            Some(key) => Some(*ids.get(key.as_str()).ok_or_else(|| {
                DemoError::Edition(format!(
                    "story {} names related story {key}, which is not in the edition",
                    entry.key
                ))
            })?),
            None => None,
        };
        let input = StoryInput {
            external_id: Some(format!("demo:{}", entry.key)),
            kind: StoryKind::parse(&entry.kind).ok_or_else(|| {
                DemoError::Edition(format!("story {}: kind '{}'", entry.key, entry.kind))
            })?,
            status: StoryStatus::Published,
            headline: entry.headline.clone(),
            deck: entry.deck.clone(),
            body: entry.body.trim().to_string(),
            section_id,
            language: entry.language.clone(),
            tags: entry.tags.clone(),
            sources,
            lead_media: lead_media.or(gallery.first().copied()),
            gallery,
            related_story_id,
            related_after: entry.related_after,
            published_at: Some(wall(&entry.published, &zone)?),
            updated_at: entry
                .updated
                .as_deref()
                .map(|u| wall(u, &zone))
                .transpose()?,
            link_refs: Vec::new(),
        };
        let saved = writer.save(None, &input).await?;
        ids.insert(entry.key.as_str(), saved.id);
    }
    writer.commit().await?;
    if app.store.setting(keys::TAGLINE).await?.is_none() {
        app.store.set_setting(keys::TAGLINE, TAGLINE).await?;
    }
    app.reload_sections().await?;
    app.reload_site().await?;
    Ok(Loaded {
        stories: edition.story.len(),
        photos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edition_is_complete() {
        let edition = edition().unwrap();
        assert!(edition.story.len() >= 30);
        assert!(
            edition
                .story
                .iter()
                .any(|s| s.kind == "gallery" && s.gallery.len() > 1)
        );
        assert!(
            edition
                .section
                .iter()
                .any(|s| s.path == ["National", "North Korea"])
        );
        for story in &edition.story {
            assert!(
                story.photo.is_some() || !story.gallery.is_empty(),
                "{} has no photo",
                story.key
            );
            for photo in story.photo.iter().chain(&story.gallery) {
                photo.scene.parse::<Scene>().unwrap();
            }
        }
    }
}
