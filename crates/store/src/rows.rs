//! Reading rows back into domain types, and the shared column lists that go with them.

use crate::{Result, StoreError};
use broadsheet_domain::{Media, MediaId, SectionId, StoryCard, StoryId, StoryKind};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn time(micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros)
        .map_err(|_| StoreError::Corrupt(format!("time {micros} is out of range")))
}

pub(crate) fn opt_time(micros: Option<i64>) -> Result<Option<Timestamp>> {
    micros.map(time).transpose()
}

pub(crate) fn kind(name: &str) -> Result<StoryKind> {
    StoryKind::parse(name).ok_or_else(|| StoreError::Corrupt(format!("story kind '{name}'")))
}

/// Media columns under the `m_` prefix, for joining a story's lead photo.
pub(crate) const MEDIA_COLUMNS: &str = "m.id AS m_id, m.file AS m_file, m.mime AS m_mime, \
     m.width AS m_width, m.height AS m_height, m.caption AS m_caption, m.credit AS m_credit, \
     m.alt AS m_alt";

pub(crate) fn media(row: &AnyRow) -> Result<Option<Media>> {
    let Some(id) = row.try_get::<Option<i64>, _>("m_id")? else {
        return Ok(None);
    };
    Ok(Some(Media {
        id: MediaId(id),
        file: row.try_get("m_file")?,
        mime: row.try_get("m_mime")?,
        width: dimension(row.try_get("m_width")?)?,
        height: dimension(row.try_get("m_height")?)?,
        caption: row.try_get("m_caption")?,
        credit: row.try_get("m_credit")?,
        alt: row.try_get("m_alt")?,
    }))
}

fn dimension(value: i64) -> Result<u32> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("image dimension {value}")))
}

/// Card columns of `stories s` with its lead photo `media m` (LEFT JOIN).
pub(crate) const CARD_COLUMNS: &str = "s.id, s.kind, s.headline, s.deck, s.section_id, s.slug, \
     s.published_at, s.language, s.comment_count, m.id AS m_id, m.file AS m_file, m.mime AS m_mime, m.width AS m_width, \
     m.height AS m_height, m.caption AS m_caption, m.credit AS m_credit, m.alt AS m_alt";

pub(crate) fn card(row: &AnyRow) -> Result<StoryCard> {
    let published: Option<i64> = row.try_get("published_at")?;
    Ok(StoryCard {
        id: StoryId(row.try_get("id")?),
        kind: kind(&row.try_get::<String, _>("kind")?)?,
        headline: row.try_get("headline")?,
        deck: row.try_get("deck")?,
        section_id: SectionId(row.try_get("section_id")?),
        slug: row.try_get("slug")?,
        published_at: time(published.unwrap_or_default())?,
        lead_media: media(row)?,
        language: row.try_get("language")?,
        comment_count: row.try_get("comment_count")?,
    })
}
