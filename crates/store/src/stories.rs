//! Stories: writing them (one at a time, or many in one transaction) and reading them back
//! whole or as cards for lists.

use crate::{Backend, Result, Store, StoreError, events, now_micros, placeholder, rows};
use broadsheet_domain::slug::{headline_key, slugify};
use broadsheet_domain::{
    LinkRef, LinkRefKind, Media, MediaId, SectionId, Source, SourceId, SourceKind, Story,
    StoryCard, StoryId, StoryInput, StoryStatus, Tag, TagId, ValidationError,
};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveOutcome {
    pub id: StoryId,
    /// False when an existing story (same id or external id) was updated.
    pub created: bool,
    pub revision: i64,
}

/// Which stories a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// The whole paper.
    All,
    /// A section and every section below it.
    Section(SectionId),
    Tag(TagId),
    Source(SourceId),
}

/// A page of published stories, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListQuery {
    pub scope: ListScope,
    /// Leave this story out (the one being read, under "More in").
    pub exclude: Option<StoryId>,
    pub limit: i64,
    pub offset: i64,
}

/// One write transaction: a story for the newsroom, a whole archive page (its sections, its
/// photo, the story) for the importer, thousands of stories for the corpus generator. Nothing
/// is visible to readers until `commit`; dropping a writer rolls everything back. It
/// remembers the tags and sources it has resolved, so a bulk write does not ask for the same
/// tag a hundred thousand times.
pub struct Writer {
    pub(crate) tx: Transaction<'static, Any>,
    backend: Backend,
    tags: HashMap<String, i64>,
    sources: HashMap<String, (i64, SourceKind)>,
    /// Each section's id and its ancestors' (a story is listed under all of them).
    lineages: HashMap<i64, Vec<i64>>,
    /// Rows of the listing tables and events, written in a few multi-row statements when the
    /// buffer fills or the writer commits: a bulk write costs a round trip per story, not
    /// one per row.
    pending: Pending,
}

impl Pending {
    fn len(&self) -> usize {
        self.tags.len() + self.sources.len() + self.sections.len() + self.events.len()
    }
}

#[derive(Default)]
struct Pending {
    tags: Vec<[Option<i64>; 4]>,
    sources: Vec<[Option<i64>; 4]>,
    sections: Vec<[Option<i64>; 3]>,
    events: Vec<events::NewEvent>,
}

/// Rows held before a flush; well inside both backends' limits on bound parameters.
const FLUSH_ROWS: usize = 1000;

struct Existing {
    id: i64,
    status: StoryStatus,
    revision: i64,
}

impl Writer {
    /// Create a story, or update the one with this `id` (or, without an id, the one with the
    /// input's external id: importing the same thing twice gives one story).
    pub async fn save(&mut self, id: Option<StoryId>, input: &StoryInput) -> Result<SaveOutcome> {
        input.validate()?;
        if let (Some(id), Some(related)) = (id, input.related_story_id)
            && id == related
        {
            return Err(ValidationError::new(
                "related_story_id",
                "a story cannot be related to itself",
            )
            .into());
        }
        let existing = self.find_existing(id, input.external_id.as_deref()).await?;
        if id.is_some() && existing.is_none() {
            return Err(StoreError::NotFound(format!(
                "story {}",
                id.map(|i| i.0).unwrap_or(0)
            )));
        }
        let now = now_micros();
        let published_at = input.published_at.map(|t| t.as_microsecond());
        let listed_at = (input.status == StoryStatus::Published)
            .then_some(published_at)
            .flatten();
        let slug = slugify(&input.headline);
        let (story_id, created, revision, previous_status) = match existing {
            Some(old) => {
                if !old.status.can_become(input.status) {
                    return Err(ValidationError::new(
                        "status",
                        format!("a {} story cannot become {}", old.status, input.status),
                    )
                    .into());
                }
                let revision = old.revision + 1;
                sqlx::query(
                    "UPDATE stories SET external_id = $1, kind = $2, status = $3, headline = $4, \
                     headline_key = $5, deck = $6, body = $7, section_id = $8, language = $9, \
                     slug = $10, lead_media_id = $11, related_story_id = $12, related_after = $13, \
                     published_at = $14, updated_at = $15, revision = $16, modified_at = $17 \
                     WHERE id = $18",
                )
                .bind(&input.external_id)
                .bind(input.kind.as_str())
                .bind(input.status.as_str())
                .bind(input.headline.trim())
                .bind(headline_key(&input.headline))
                .bind(&input.deck)
                .bind(&input.body)
                .bind(input.section_id.0)
                .bind(&input.language)
                .bind(&slug)
                .bind(input.lead_media.map(|m| m.0))
                .bind(input.related_story_id.map(|s| s.0))
                .bind(input.related_after.map(i64::from))
                .bind(published_at)
                .bind(input.updated_at.map(|t| t.as_microsecond()))
                .bind(revision)
                .bind(now)
                .bind(old.id)
                .execute(&mut *self.tx)
                .await?;
                // Rows of this story may still be buffered; write them before deleting.
                self.flush().await?;
                for table in [
                    "story_tags",
                    "story_sources",
                    "story_sections",
                    "gallery_items",
                    "link_refs",
                ] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE story_id = $1"))
                        .bind(old.id)
                        .execute(&mut *self.tx)
                        .await?;
                }
                (old.id, false, revision, Some(old.status))
            }
            None => {
                let row = sqlx::query(
                    "INSERT INTO stories (external_id, kind, status, headline, headline_key, deck, \
                     body, section_id, language, slug, lead_media_id, related_story_id, \
                     related_after, published_at, updated_at, revision, created_at, modified_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16) \
                     RETURNING id",
                )
                .bind(&input.external_id)
                .bind(input.kind.as_str())
                .bind(input.status.as_str())
                .bind(input.headline.trim())
                .bind(headline_key(&input.headline))
                .bind(&input.deck)
                .bind(&input.body)
                .bind(input.section_id.0)
                .bind(&input.language)
                .bind(&slug)
                .bind(input.lead_media.map(|m| m.0))
                .bind(input.related_story_id.map(|s| s.0))
                .bind(input.related_after.map(i64::from))
                .bind(published_at)
                .bind(input.updated_at.map(|t| t.as_microsecond()))
                .bind(now)
                .fetch_one(&mut *self.tx)
                .await?;
                (row.try_get::<i64, _>("id")?, true, 1, None)
            }
        };

        // The story is listed under its section and every section above it.
        for section in self.lineage(input.section_id).await? {
            self.pending
                .sections
                .push([Some(story_id), Some(section), listed_at]);
        }

        let mut tag_rows = Vec::new();
        for (position, name) in input.tags.iter().enumerate() {
            let tag_id = self.tag_id(name).await?;
            if !tag_rows
                .iter()
                .any(|r: &[Option<i64>; 4]| r[1] == Some(tag_id))
            {
                tag_rows.push([
                    Some(story_id),
                    Some(tag_id),
                    Some(position as i64),
                    listed_at,
                ]);
            }
        }
        self.pending.tags.extend(tag_rows);

        let mut source_rows = Vec::new();
        for (position, source) in input.sources.iter().enumerate() {
            let source_id = self.source_id(&source.name, source.kind).await?;
            if !source_rows
                .iter()
                .any(|r: &[Option<i64>; 4]| r[1] == Some(source_id))
            {
                source_rows.push([
                    Some(story_id),
                    Some(source_id),
                    Some(position as i64),
                    listed_at,
                ]);
            }
        }
        self.pending.sources.extend(source_rows);

        let gallery_rows: Vec<[Option<i64>; 3]> = input
            .gallery
            .iter()
            .enumerate()
            .map(|(position, media)| [Some(story_id), Some(position as i64), Some(media.0)])
            .collect();
        insert_int_rows(
            &mut self.tx,
            self.backend,
            "gallery_items (story_id, position, media_id)",
            &gallery_rows,
        )
        .await?;

        let mut positions: HashMap<LinkRefKind, i64> = HashMap::new();
        for link in &input.link_refs {
            let position = positions.entry(link.kind).or_default();
            sqlx::query(
                "INSERT INTO link_refs (story_id, kind, position, headline, headline_key) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(story_id)
            .bind(link.kind.as_str())
            .bind(*position)
            .bind(link.headline.trim())
            .bind(headline_key(&link.headline))
            .execute(&mut *self.tx)
            .await?;
            *position += 1;
        }

        let id = StoryId(story_id);
        self.pending.events.push(events::NewEvent::new(
            if created {
                "story.created"
            } else {
                "story.updated"
            },
            Some(id),
            Some(input.section_id),
            json!({
                "status": input.status,
                "previous_status": previous_status,
                "revision": revision,
            }),
        ));
        if self.pending.len() >= FLUSH_ROWS {
            self.flush().await?;
        }
        Ok(SaveOutcome {
            id,
            created,
            revision,
        })
    }

    pub async fn commit(mut self) -> Result<()> {
        self.flush().await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Write the buffered rows.
    async fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        for chunk in pending.sections.chunks(FLUSH_ROWS) {
            insert_int_rows(
                &mut self.tx,
                self.backend,
                "story_sections (story_id, section_id, listed_at)",
                chunk,
            )
            .await?;
        }
        for chunk in pending.tags.chunks(FLUSH_ROWS) {
            insert_int_rows(
                &mut self.tx,
                self.backend,
                "story_tags (story_id, tag_id, position, listed_at)",
                chunk,
            )
            .await?;
        }
        for chunk in pending.sources.chunks(FLUSH_ROWS) {
            insert_int_rows(
                &mut self.tx,
                self.backend,
                "story_sources (story_id, source_id, position, listed_at)",
                chunk,
            )
            .await?;
        }
        for chunk in pending.events.chunks(FLUSH_ROWS) {
            events::insert(&mut self.tx, self.backend, chunk).await?;
        }
        Ok(())
    }

    /// The section and its ancestors, from the store once per writer.
    async fn lineage(&mut self, section: SectionId) -> Result<Vec<i64>> {
        if let Some(ids) = self.lineages.get(&section.0) {
            return Ok(ids.clone());
        }
        let rows = sqlx::query(
            "WITH RECURSIVE up(id, parent_id, depth) AS ( \
                 SELECT id, parent_id, 0 FROM sections WHERE id = $1 \
                 UNION ALL \
                 SELECT s.id, s.parent_id, up.depth + 1 FROM sections s JOIN up ON s.id = up.parent_id \
                 WHERE up.depth < 64) \
             SELECT id FROM up",
        )
        .bind(section.0)
        .fetch_all(&mut *self.tx)
        .await?;
        let ids = rows
            .iter()
            .map(|row| row.try_get::<i64, _>("id"))
            .collect::<Result<Vec<_>, _>>()?;
        if ids.is_empty() {
            return Err(StoreError::NotFound(format!("section {section}")));
        }
        self.lineages.insert(section.0, ids.clone());
        Ok(ids)
    }

    async fn find_existing(
        &mut self,
        id: Option<StoryId>,
        external_id: Option<&str>,
    ) -> Result<Option<Existing>> {
        let row = match (id, external_id) {
            (Some(id), _) => {
                sqlx::query("SELECT id, status, revision FROM stories WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut *self.tx)
                    .await?
            }
            (None, Some(external)) => {
                sqlx::query("SELECT id, status, revision FROM stories WHERE external_id = $1")
                    .bind(external)
                    .fetch_optional(&mut *self.tx)
                    .await?
            }
            (None, None) => None,
        };
        row.map(|row| {
            let status: String = row.try_get("status")?;
            Ok(Existing {
                id: row.try_get("id")?,
                status: StoryStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
                revision: row.try_get("revision")?,
            })
        })
        .transpose()
    }

    async fn tag_id(&mut self, name: &str) -> Result<i64> {
        let slug = slugify(name);
        if let Some(id) = self.tags.get(&slug) {
            return Ok(*id);
        }
        // DO UPDATE (to the same value) rather than DO NOTHING so RETURNING always yields the id.
        let row = sqlx::query(
            "INSERT INTO tags (name, slug) VALUES ($1, $2) \
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(name.trim())
        .bind(&slug)
        .fetch_one(&mut *self.tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        self.tags.insert(slug, id);
        Ok(id)
    }

    async fn source_id(&mut self, name: &str, kind: SourceKind) -> Result<i64> {
        let slug = slugify(name);
        if let Some((id, known_kind)) = self.sources.get(&slug) {
            return check_source_kind(name, kind, *known_kind).map(|_| *id);
        }
        let row = sqlx::query(
            "INSERT INTO sources (name, slug, kind) VALUES ($1, $2, $3) \
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, kind",
        )
        .bind(name.trim())
        .bind(&slug)
        .bind(kind.as_str())
        .fetch_one(&mut *self.tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let stored: String = row.try_get("kind")?;
        let stored = SourceKind::parse(&stored)
            .ok_or_else(|| StoreError::Corrupt(format!("source kind '{stored}'")))?;
        self.sources.insert(slug, (id, stored));
        check_source_kind(name, kind, stored).map(|_| id)
    }
}

/// One name cannot be both a wire service and a staff writer: their pages live at different
/// URLs, and silently merging them would credit a writer's story to an agency.
fn check_source_kind(name: &str, wanted: SourceKind, stored: SourceKind) -> Result<()> {
    if wanted == stored {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "'{name}' is already a {} source, not a {} one",
            stored.as_str(),
            wanted.as_str()
        )))
    }
}

/// Insert rows of integers with one statement (a few rows per story, thousands of stories in
/// a bulk write: one round trip each instead of one per row).
async fn insert_int_rows<const N: usize>(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    table_and_columns: &str,
    rows: &[[Option<i64>; N]],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
    let mut n = 0;
    for (i, _) in rows.iter().enumerate() {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for column in 0..N {
            n += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&placeholder(backend, n));
        }
        sql.push(')');
    }
    let mut query = sqlx::query(&sql);
    for row in rows {
        for value in row {
            query = query.bind(*value);
        }
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

pub(crate) const STORY_COLUMNS: &str = "s.id, s.external_id, s.kind, s.status, s.headline, s.deck, s.body, \
     s.section_id, s.language, s.slug, s.related_story_id, s.related_after, s.published_at, \
     s.updated_at, s.revision, s.created_at, s.modified_at";

pub(crate) fn media_list(rows: &[AnyRow]) -> Result<Vec<Media>> {
    rows.iter()
        .filter_map(|row| rows::media(row).transpose())
        .collect()
}

impl Store {
    pub async fn writer(&self) -> Result<Writer> {
        Ok(Writer {
            tx: self.begin_write().await?,
            backend: self.backend(),
            tags: HashMap::new(),
            sources: HashMap::new(),
            lineages: HashMap::new(),
            pending: Pending::default(),
        })
    }

    /// Save one story in its own transaction. See [`Writer::save`].
    pub async fn save_story(&self, id: Option<StoryId>, input: &StoryInput) -> Result<SaveOutcome> {
        let mut writer = self.writer().await?;
        let outcome = writer.save(id, input).await?;
        writer.commit().await?;
        Ok(outcome)
    }

    /// A whole story, or `None` when there is no story with this id.
    pub async fn story(&self, id: StoryId) -> Result<Option<Story>> {
        let sql = format!(
            "SELECT {STORY_COLUMNS}, {} FROM stories s LEFT JOIN media m ON m.id = s.lead_media_id \
             WHERE s.id = $1",
            rows::MEDIA_COLUMNS
        );
        let gallery_sql = format!(
            "SELECT {} FROM gallery_items g JOIN media m ON m.id = g.media_id \
             WHERE g.story_id = $1 ORDER BY g.position",
            rows::MEDIA_COLUMNS
        );
        // The four reads need only the id, so they go out together: an article page waits
        // for the slowest, not for the sum of four round trips to the database.
        let (row, tags, sources, gallery) = tokio::try_join!(
            sqlx::query(&sql).bind(id.0).fetch_optional(self.pool()),
            sqlx::query(
                "SELECT t.id, t.name, t.slug FROM story_tags st JOIN tags t ON t.id = st.tag_id \
                 WHERE st.story_id = $1 ORDER BY st.position",
            )
            .bind(id.0)
            .fetch_all(self.pool()),
            sqlx::query(
                "SELECT o.id, o.name, o.slug, o.kind FROM story_sources ss \
                 JOIN sources o ON o.id = ss.source_id WHERE ss.story_id = $1 ORDER BY ss.position",
            )
            .bind(id.0)
            .fetch_all(self.pool()),
            sqlx::query(&gallery_sql).bind(id.0).fetch_all(self.pool()),
        )?;
        let Some(row) = row else {
            return Ok(None);
        };
        let tags = tags.iter().map(tag).collect::<Result<Vec<_>>>()?;
        let sources = sources.iter().map(source).collect::<Result<Vec<_>>>()?;
        let gallery = media_list(&gallery)?;
        story_from_row(&row, tags, sources, gallery).map(Some)
    }

    /// Published stories, newest first.
    pub async fn list(&self, query: &ListQuery) -> Result<Vec<StoryCard>> {
        let (join, filter) = match query.scope {
            ListScope::All => (String::new(), "s.status = 'published'".to_string()),
            ListScope::Section(_) => listing_join("story_sections", "section_id"),
            ListScope::Tag(_) => listing_join("story_tags", "tag_id"),
            ListScope::Source(_) => listing_join("story_sources", "source_id"),
        };
        let order = if join.is_empty() {
            "s.published_at DESC, s.id DESC"
        } else {
            "x.listed_at DESC, x.story_id DESC"
        };
        let sql = format!(
            "SELECT {} FROM {} LEFT JOIN media m ON m.id = s.lead_media_id \
             WHERE {filter} AND s.id <> $1 ORDER BY {order} LIMIT $2 OFFSET $3",
            rows::CARD_COLUMNS,
            if join.is_empty() {
                "stories s".to_string()
            } else {
                join
            },
        );
        let scope_id = match query.scope {
            ListScope::All => 0,
            ListScope::Section(id) => id.0,
            ListScope::Tag(id) => id.0,
            ListScope::Source(id) => id.0,
        };
        let mut q = sqlx::query(&sql)
            .bind(query.exclude.map(|s| s.0).unwrap_or(0))
            .bind(query.limit)
            .bind(query.offset);
        if query.scope != ListScope::All {
            q = q.bind(scope_id);
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(rows::card)
            .collect()
    }

    /// Published stories sharing tags with `story`, most shared tags first, then same section,
    /// then newest. Only the newest few hundred stories of each tag are considered: beyond
    /// that a story is too old to be a useful suggestion, and the bound keeps this one cheap
    /// index scan per tag however large the archive is.
    pub async fn related_by_tags(&self, story: &Story, limit: i64) -> Result<Vec<StoryCard>> {
        if story.tags.is_empty() {
            return Ok(Vec::new());
        }
        // The tag ids are bound, not written into the text: the statement then depends only
        // on how many tags there are, so it is parsed and planned once per connection and
        // kept, rather than for every article page rendered.
        let per_tag: Vec<String> = (0..story.tags.len())
            .map(|i| {
                format!(
                    "SELECT * FROM (SELECT story_id, listed_at FROM story_tags WHERE tag_id = ${} \
                     AND listed_at IS NOT NULL ORDER BY listed_at DESC, story_id DESC LIMIT 300) AS t{i}",
                    i + 4
                )
            })
            .collect();
        // Rank candidates on the tag index alone, then read only the best few stories: a
        // story row is large, and a popular tag offers hundreds of candidates.
        let sql = format!(
            "SELECT {}, c.shared FROM (SELECT story_id, COUNT(*) AS shared, MAX(listed_at) AS latest \
             FROM ({}) AS u WHERE story_id <> $1 GROUP BY story_id \
             ORDER BY shared DESC, latest DESC LIMIT 50) AS c \
             JOIN stories s ON s.id = c.story_id LEFT JOIN media m ON m.id = s.lead_media_id \
             WHERE s.status = 'published' \
             ORDER BY c.shared DESC, CASE WHEN s.section_id = $2 THEN 0 ELSE 1 END, \
             s.published_at DESC, s.id DESC LIMIT $3",
            rows::CARD_COLUMNS,
            per_tag.join(" UNION ALL ")
        );
        let mut q = sqlx::query(&sql)
            .bind(story.id.0)
            .bind(story.section_id.0)
            .bind(limit);
        for tag in &story.tags {
            q = q.bind(tag.id.0);
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(rows::card)
            .collect()
    }

    /// Published stories whose headlines match these (see `headline_key`), for resolving the
    /// headlines an imported page linked to.
    pub async fn cards_by_headlines(&self, headlines: &[String]) -> Result<Vec<StoryCard>> {
        if headlines.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=headlines.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {} FROM stories s LEFT JOIN media m ON m.id = s.lead_media_id \
             WHERE s.status = 'published' AND s.headline_key IN ({}) ORDER BY s.published_at DESC",
            rows::CARD_COLUMNS,
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for headline in headlines {
            q = q.bind(headline_key(headline));
        }
        q.fetch_all(self.pool())
            .await?
            .iter()
            .map(rows::card)
            .collect()
    }

    /// Cards for these ids that are published, in no particular order.
    pub async fn cards(&self, ids: &[StoryId]) -> Result<Vec<StoryCard>> {
        self.published_by_ids(ids, "")
            .await?
            .iter()
            .map(rows::card)
            .collect()
    }

    /// Published stories' cards with their Markdown bodies, for search results: the index
    /// keeps no text, so the passages shown under each result are cut from these.
    pub async fn cards_with_bodies(&self, ids: &[StoryId]) -> Result<Vec<(StoryCard, String)>> {
        self.published_by_ids(ids, ", s.body")
            .await?
            .iter()
            .map(|row| Ok((rows::card(row)?, row.try_get("body")?)))
            .collect()
    }

    /// The card columns (and `extra` ones) of the published stories among `ids`.
    async fn published_by_ids(&self, ids: &[StoryId], extra: &str) -> Result<Vec<AnyRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
        let sql = format!(
            "SELECT {}{extra} FROM stories s LEFT JOIN media m ON m.id = s.lead_media_id \
             WHERE s.status = 'published' AND s.id IN ({})",
            rows::CARD_COLUMNS,
            list.join(", ")
        );
        Ok(sqlx::query(&sql).fetch_all(self.pool()).await?)
    }

    pub async fn link_refs(&self, id: StoryId) -> Result<Vec<LinkRef>> {
        sqlx::query(
            "SELECT kind, headline FROM link_refs WHERE story_id = $1 ORDER BY kind, position",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(LinkRef {
                kind: LinkRefKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("link kind '{kind}'")))?,
                headline: row.try_get("headline")?,
            })
        })
        .collect()
    }

    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>> {
        sqlx::query("SELECT id, name, slug FROM tags WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(tag)
            .transpose()
    }

    /// Every tag name, for recognising multi-word names when importing.
    pub async fn tag_names(&self) -> Result<Vec<String>> {
        sqlx::query("SELECT name FROM tags ORDER BY name")
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| Ok(row.try_get("name")?))
            .collect()
    }

    pub async fn source_by_slug(&self, slug: &str) -> Result<Option<Source>> {
        sqlx::query("SELECT id, name, slug, kind FROM sources WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(source)
            .transpose()
    }

    /// The story brought in from outside under this id (an archive page, a wire item).
    pub async fn story_id_by_external_id(&self, external_id: &str) -> Result<Option<StoryId>> {
        let row = sqlx::query("SELECT id FROM stories WHERE external_id = $1")
            .bind(external_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?.map(StoryId))
    }

    /// How many stories the store holds, in any status.
    pub async fn story_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM stories")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn media(&self, id: MediaId) -> Result<Option<Media>> {
        let sql = format!(
            "SELECT {} FROM media m WHERE m.id = $1",
            rows::MEDIA_COLUMNS
        );
        sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(rows::media)
            .transpose()
            .map(Option::flatten)
    }
}

/// A story from a row of `STORY_COLUMNS` and `rows::MEDIA_COLUMNS`, with its lists read apart.
pub(crate) fn story_from_row(
    row: &AnyRow,
    tags: Vec<Tag>,
    sources: Vec<Source>,
    gallery: Vec<Media>,
) -> Result<Story> {
    let status: String = row.try_get("status")?;
    let related_after: Option<i64> = row.try_get("related_after")?;
    Ok(Story {
        id: StoryId(row.try_get("id")?),
        kind: rows::kind(&row.try_get::<String, _>("kind")?)?,
        status: StoryStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("story status '{status}'")))?,
        headline: row.try_get("headline")?,
        deck: row.try_get("deck")?,
        body: row.try_get("body")?,
        section_id: SectionId(row.try_get("section_id")?),
        language: row.try_get("language")?,
        slug: row.try_get("slug")?,
        lead_media: rows::media(row)?,
        gallery,
        tags,
        sources,
        related_story_id: row
            .try_get::<Option<i64>, _>("related_story_id")?
            .map(StoryId),
        related_after: related_after.and_then(|n| u32::try_from(n).ok()),
        published_at: rows::opt_time(row.try_get("published_at")?)?,
        updated_at: rows::opt_time(row.try_get("updated_at")?)?,
        revision: row.try_get("revision")?,
        external_id: row.try_get("external_id")?,
        created_at: rows::time(row.try_get("created_at")?)?,
        modified_at: rows::time(row.try_get("modified_at")?)?,
    })
}

fn listing_join(table: &str, column: &str) -> (String, String) {
    (
        format!("{table} x JOIN stories s ON s.id = x.story_id"),
        format!("x.{column} = $4 AND x.listed_at IS NOT NULL"),
    )
}

pub(crate) fn tag(row: &AnyRow) -> Result<Tag> {
    Ok(Tag {
        id: TagId(row.try_get("id")?),
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
    })
}

pub(crate) fn source(row: &AnyRow) -> Result<Source> {
    let kind: String = row.try_get("kind")?;
    Ok(Source {
        id: SourceId(row.try_get("id")?),
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        kind: SourceKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("source kind '{kind}'")))?,
    })
}
