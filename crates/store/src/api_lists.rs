//! The JSON API's lists: stories in every state with filters, the media library and tags,
//! each read in pages that resume after a position (keyset pagination) rather than at an
//! offset, so stories arriving between two pages neither repeat nor push others out of view.
//!
//! Positions are plain values here (a time and an id, a slug); the app wraps them into the
//! opaque, signed cursors clients see.

use crate::media::LibraryItem;
use crate::{Result, Store, StoreError, rows};
use broadsheet_domain::{
    MediaId, SectionId, SourceId, StoryId, StoryKind, StoryStatus, Tag, TagId,
};
use jiff::Timestamp;
use sqlx::Row;

/// Which stories a list shows, and where it resumes.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    pub status: Option<StoryStatus>,
    /// Stories in any of these sections (a section and those below it).
    pub sections: Option<Vec<SectionId>>,
    pub tag: Option<TagId>,
    pub source: Option<SourceId>,
    /// Changed (saved, published, corrected) at or after / before this time.
    pub modified_since: Option<Timestamp>,
    pub modified_until: Option<Timestamp>,
    pub published_since: Option<Timestamp>,
    pub published_until: Option<Timestamp>,
    /// Resume after this position (see [`StorySummary::position`]).
    pub after: Option<(i64, StoryId)>,
    pub limit: i64,
}

/// A story in a list: everything but its text and attachments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorySummary {
    pub id: StoryId,
    pub kind: StoryKind,
    pub status: StoryStatus,
    pub headline: String,
    pub deck: Option<String>,
    pub section_id: SectionId,
    pub language: String,
    pub slug: String,
    pub published_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    pub revision: i64,
    pub external_id: Option<String>,
    /// The list's order: publication time, or creation time for a story never published
    /// (microseconds), then id; newest first.
    pub position: (i64, StoryId),
}

/// The order key, written the same way as the index `stories_api_order`.
const ORDER_KEY: &str = "COALESCE(s.published_at, s.created_at)";

impl Store {
    /// Stories of every status, newest first, after `filter.after`.
    pub async fn story_page(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        let mut sql = format!(
            "SELECT s.id, s.kind, s.status, s.headline, s.deck, s.section_id, s.language, \
             s.slug, s.published_at, s.updated_at, s.created_at, s.modified_at, s.revision, \
             s.external_id, {ORDER_KEY} AS position FROM stories s WHERE 1 = 1"
        );
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        let mut binds: Vec<i64> = Vec::new();
        let mut status = None;
        if let Some(s) = filter.status {
            sql += &format!(" AND s.status = {}", next());
            status = Some(s.as_str());
        }
        if let Some(sections) = &filter.sections {
            if sections.is_empty() {
                return Ok(Vec::new());
            }
            // Section ids come from the store's own tree, integers only.
            let list: Vec<String> = sections.iter().map(|s| s.0.to_string()).collect();
            sql += &format!(" AND s.section_id IN ({})", list.join(", "));
        }
        if let Some(tag) = filter.tag {
            sql += &format!(
                " AND EXISTS (SELECT 1 FROM story_tags x WHERE x.story_id = s.id AND x.tag_id = {})",
                next()
            );
            binds.push(tag.0);
        }
        if let Some(source) = filter.source {
            sql += &format!(
                " AND EXISTS (SELECT 1 FROM story_sources x WHERE x.story_id = s.id AND x.source_id = {})",
                next()
            );
            binds.push(source.0);
        }
        for (column, op, value) in [
            ("s.modified_at", ">=", filter.modified_since),
            ("s.modified_at", "<", filter.modified_until),
            ("s.published_at", ">=", filter.published_since),
            ("s.published_at", "<", filter.published_until),
        ] {
            if let Some(value) = value {
                sql += &format!(" AND {column} {op} {}", next());
                binds.push(value.as_microsecond());
            }
        }
        if let Some((key, id)) = filter.after {
            let (a, b, c) = (next(), next(), next());
            sql += &format!(" AND ({ORDER_KEY} < {a} OR ({ORDER_KEY} = {b} AND s.id < {c}))");
            binds.extend([key, key, id.0]);
        }
        sql += &format!(" ORDER BY {ORDER_KEY} DESC, s.id DESC LIMIT {}", next());
        binds.push(filter.limit);
        let mut query = sqlx::query(&sql);
        if let Some(status) = status {
            query = query.bind(status);
        }
        for value in binds {
            query = query.bind(value);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                let id = StoryId(r.try_get("id")?);
                Ok(StorySummary {
                    id,
                    kind: rows::kind(&r.try_get::<String, _>("kind")?)?,
                    status: StoryStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
                    headline: r.try_get("headline")?,
                    deck: r.try_get("deck")?,
                    section_id: SectionId(r.try_get("section_id")?),
                    language: r.try_get("language")?,
                    slug: r.try_get("slug")?,
                    published_at: rows::opt_time(r.try_get("published_at")?)?,
                    updated_at: rows::opt_time(r.try_get("updated_at")?)?,
                    created_at: rows::time(r.try_get("created_at")?)?,
                    modified_at: rows::time(r.try_get("modified_at")?)?,
                    revision: r.try_get("revision")?,
                    external_id: r.try_get("external_id")?,
                    position: (r.try_get("position")?, id),
                })
            })
            .collect()
    }

    /// Images of the media library, newest first, after `(created_at, id)`, with variants;
    /// only those whose caption holds `caption` (any case) when it is given.
    pub async fn library_page(
        &self,
        caption: Option<&str>,
        after: Option<(i64, MediaId)>,
        limit: i64,
    ) -> Result<Vec<LibraryItem>> {
        let sql = format!(
            "SELECT {}, m.uploaded_by AS m_uploaded_by, m.created_at AS m_created_at \
             FROM media m WHERE ($1 = 0 OR m.created_at < $2 OR (m.created_at = $2 AND m.id < $3)) \
             AND ($5 = '' OR LOWER(m.caption) LIKE $5) \
             ORDER BY m.created_at DESC, m.id DESC LIMIT $4",
            rows::MEDIA_COLUMNS
        );
        let (resume, at, id) = match after {
            Some((at, id)) => (1_i64, at, id.0),
            None => (0, 0, 0),
        };
        // LIKE's own wildcards in the words are read as spaces: the picker matches words.
        let pattern = caption.map_or(String::new(), |words| {
            format!("%{}%", words.to_lowercase().replace(['%', '_'], " ").trim())
        });
        let rows = sqlx::query(&sql)
            .bind(resume)
            .bind(at)
            .bind(id)
            .bind(limit)
            .bind(pattern)
            .fetch_all(self.pool())
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(media) = rows::media(row)? else {
                continue;
            };
            let uploaded_by: Option<i64> = row.try_get("m_uploaded_by")?;
            items.push(LibraryItem {
                media,
                uploaded_by: uploaded_by.map(broadsheet_domain::UserId),
                created_at: row.try_get("m_created_at")?,
                variants: Vec::new(),
            });
        }
        let ids: Vec<MediaId> = items.iter().map(|i| i.media.id).collect();
        let mut variants = self.media_variants(&ids).await?;
        for item in &mut items {
            item.variants = variants.remove(&item.media.id).unwrap_or_default();
        }
        Ok(items)
    }

    /// One image of the library with its variants.
    pub async fn library_item(&self, id: MediaId) -> Result<Option<LibraryItem>> {
        let Some(media) = self.media(id).await? else {
            return Ok(None);
        };
        let row = sqlx::query("SELECT uploaded_by, created_at FROM media WHERE id = $1")
            .bind(id.0)
            .fetch_one(self.pool())
            .await?;
        let variants = self
            .media_variants(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        Ok(Some(LibraryItem {
            media,
            uploaded_by: row
                .try_get::<Option<i64>, _>("uploaded_by")?
                .map(broadsheet_domain::UserId),
            created_at: row.try_get("created_at")?,
            variants,
        }))
    }

    /// Tags in slug order after `after`, each with how many stories carry it.
    pub async fn tag_page(&self, after: Option<&str>, limit: i64) -> Result<Vec<(Tag, i64)>> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, t.slug, (SELECT COUNT(*) FROM story_tags x WHERE x.tag_id = t.id) AS n \
             FROM tags t WHERE t.slug > $1 ORDER BY t.slug LIMIT $2",
        )
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    Tag {
                        id: TagId(r.try_get("id")?),
                        name: r.try_get("name")?,
                        slug: r.try_get("slug")?,
                    },
                    r.try_get("n")?,
                ))
            })
            .collect()
    }

    /// A secret the app keeps in the store so every node agrees on it (the key that signs
    /// the API's cursors): the value stored under `key`, or `candidate` stored there now when
    /// there is none yet. Not a site setting: it enters no change feed.
    pub async fn shared_secret(&self, key: &str, candidate: &str) -> Result<String> {
        // Read first: after the first call this is one primary-key read, never a write.
        if let Some(value) = self.setting(key).await? {
            return Ok(value);
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(candidate)
        .execute(self.pool())
        .await?;
        self.setting(key)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("the setting {key}")))
    }
}
