//! One wire item into one story, with its `wire_items` record, in one transaction.

use super::Options;
use crate::app::App;
use broadsheet_domain::slug::slugify;
use broadsheet_domain::wire::WireItem;
use broadsheet_domain::{
    MAX_TAG_CHARS, MAX_TAGS, SectionId, SourceInput, SourceKind, Story, StoryInput, StoryKind,
    StoryStatus, is_language_tag,
};
use broadsheet_store::{StoreError, WireRecord};
use std::collections::HashSet;

/// What ingesting one item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    New,
    Updated,
    Unchanged,
}

/// Take in one item: a new story, an update of the story an earlier version made, or nothing
/// when this version is not newer than the one already taken in.
pub async fn ingest_item(
    app: &App,
    item: &WireItem,
    section: SectionId,
    options: &Options,
) -> Result<Outcome, StoreError> {
    let external_id = format!("wire:{}", item.guid);
    let record = app.store.wire_item(&item.guid).await?;
    if let Some(record) = &record
        && !item.supersedes(&as_item(record))
    {
        return Ok(Outcome::Unchanged);
    }
    let existing_id = match &record {
        Some(record) => Some(record.story_id),
        None => app.store.story_id_by_external_id(&external_id).await?,
    };
    let existing = match existing_id {
        Some(id) => app.store.story(id).await?,
        None => None,
    };
    let input = story_input(app, item, external_id, section, options, existing.as_ref());
    let mut writer = app.store.writer().await?;
    let outcome = writer.save(existing.as_ref().map(|s| s.id), &input).await?;
    writer
        .record_wire_item(
            &item.guid,
            outcome.id,
            item.version.as_deref(),
            item.updated_at.or(item.published_at),
        )
        .await?;
    writer.commit().await?;
    Ok(if outcome.created {
        Outcome::New
    } else {
        Outcome::Updated
    })
}

/// The stored record as the item it stands for, so `WireItem::supersedes` (the one rule
/// for "newer") decides; the stored time already is the update time, else the publication.
fn as_item(record: &WireRecord) -> WireItem {
    WireItem {
        guid: record.guid.clone(),
        version: record.version.clone(),
        headline: String::new(),
        deck: None,
        body: String::new(),
        language: None,
        published_at: None,
        updated_at: record.updated_at,
        byline: None,
        source: None,
        subjects: Vec::new(),
        lead_image: None,
        link: None,
    }
}

fn story_input(
    app: &App,
    item: &WireItem,
    external_id: String,
    section: SectionId,
    options: &Options,
    existing: Option<&Story>,
) -> StoryInput {
    let source = item
        .source
        .as_deref()
        .or(item.byline.as_deref())
        .map(|name| clip(name, MAX_TAG_CHARS));
    let wanted = if options.publish
        || source
            .as_deref()
            .is_some_and(|s| app.config.ingest.is_trusted(s))
    {
        StoryStatus::Published
    } else {
        StoryStatus::Draft
    };
    // Only a draft follows the wire's status: once an editor (or a trusted ingest) has
    // published, scheduled or withdrawn a story, a new version changes its words, not that.
    let status = match existing {
        Some(story) if story.status != StoryStatus::Draft => story.status,
        _ => wanted,
    };
    let published_at = item
        .published_at
        .or(item.updated_at)
        .or(existing.and_then(|s| s.published_at))
        .or_else(|| (status == StoryStatus::Published).then(jiff::Timestamp::now));
    // An "update" at or before publication says nothing a reader needs.
    let updated_at = item
        .updated_at
        .filter(|u| published_at.is_none_or(|p| *u > p));
    let language = item
        .language
        .clone()
        .filter(|l| is_language_tag(l))
        .unwrap_or_else(|| app.site().language.clone());
    // An item without body text still carries its summary; without either the story is
    // refused by validation and reported.
    let body = if item.body.trim().is_empty() {
        item.deck.clone().unwrap_or_default()
    } else {
        item.body.clone()
    };
    // The lead image (`item.lead_image`) is not fetched: pictures come with the media
    // library. An editor attaches one meanwhile, and an update keeps what they attached.
    StoryInput {
        external_id: Some(external_id),
        kind: StoryKind::Article,
        status,
        headline: item.headline.clone(),
        deck: item.deck.clone().filter(|_| !item.body.trim().is_empty()),
        body,
        // An editor may have moved the story; an update leaves it where it is.
        section_id: existing.map_or(section, |s| s.section_id),
        language,
        tags: tags(&item.subjects),
        sources: source
            .map(|name| SourceInput {
                name,
                kind: SourceKind::Wire,
            })
            .into_iter()
            .collect(),
        lead_media: existing.and_then(|s| s.lead_media.as_ref().map(|m| m.id)),
        gallery: existing.map_or_else(Vec::new, |s| s.gallery.iter().map(|m| m.id).collect()),
        related_story_id: existing.and_then(|s| s.related_story_id),
        related_after: existing.and_then(|s| s.related_after),
        published_at,
        updated_at,
        link_refs: Vec::new(),
    }
}

/// Subjects as tags: trimmed, one per slug (the store keys tags by slug), none too long to
/// be a tag, at most `MAX_TAGS` (the first ones: agencies list the main subject first).
fn tags(subjects: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    subjects
        .iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty() && s.chars().count() <= MAX_TAG_CHARS)
        .filter(|s| seen.insert(slugify(s)))
        .take(MAX_TAGS)
        .collect()
}

/// At most `max` characters, so a long agency name does not refuse the story.
fn clip(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        let subjects: Vec<String> = ["  Economy ", "economy", "Busan", "", &"x".repeat(81)]
            .into_iter()
            .map(String::from)
            .chain((0..40).map(|i| format!("topic {i}")))
            .collect();
        let tags = tags(&subjects);
        assert_eq!(&tags[..3], ["Economy", "Busan", "topic 0"]);
        assert_eq!(tags.len(), MAX_TAGS);
    }
}
