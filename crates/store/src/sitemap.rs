//! What sitemaps need: every published story in a stable order, the newest ones, and when each
//! listing page last changed. These read only the short columns of a story row (never the
//! body), so walking the whole archive stays cheap.

use crate::stories::tag;
use crate::{Result, Store, rows};
use broadsheet_domain::{SectionId, StoryId, Tag};
use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A published story as a sitemap lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub id: StoryId,
    pub section_id: SectionId,
    pub slug: String,
    pub headline: String,
    pub language: String,
    pub published_at: Timestamp,
    pub updated_at: Option<Timestamp>,
}

impl SitemapEntry {
    /// When the story last changed: its update, else its publication.
    pub fn last_modified(&self) -> Timestamp {
        self.updated_at
            .map_or(self.published_at, |u| u.max(self.published_at))
    }
}

/// One page of the story sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapPage {
    pub stories: i64,
    /// The latest change among its stories.
    pub last_modified: Timestamp,
}

const ENTRY_COLUMNS: &str = "id, section_id, slug, headline, language, published_at, updated_at";

fn entry(row: &AnyRow) -> Result<SitemapEntry> {
    let published: Option<i64> = row.try_get("published_at")?;
    Ok(SitemapEntry {
        id: StoryId(row.try_get("id")?),
        section_id: SectionId(row.try_get("section_id")?),
        slug: row.try_get("slug")?,
        headline: row.try_get("headline")?,
        language: row.try_get("language")?,
        published_at: rows::time(published.unwrap_or_default())?,
        updated_at: rows::opt_time(row.try_get("updated_at")?)?,
    })
}

impl Store {
    /// How many stories readers can see.
    pub async fn published_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM stories WHERE status = 'published'")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    /// The pages of `page_size` stories that [`Store::sitemap_entries`] walks, in order, each
    /// with its size and latest change, in one pass over the archive.
    pub async fn sitemap_pages(&self, page_size: i64) -> Result<Vec<SitemapPage>> {
        let page_size = page_size.max(1);
        let rows = sqlx::query(
            "SELECT (n - 1) / $1 AS page, COUNT(*) AS stories, MAX(changed) AS changed FROM ( \
                 SELECT ROW_NUMBER() OVER (ORDER BY published_at, id) AS n, \
                 CASE WHEN updated_at > published_at THEN updated_at ELSE published_at END AS changed \
                 FROM stories WHERE status = 'published') AS numbered \
             GROUP BY page ORDER BY page",
        )
        .bind(page_size)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SitemapPage {
                    stories: row.try_get("stories")?,
                    last_modified: rows::time(row.try_get("changed")?)?,
                })
            })
            .collect()
    }

    /// Published stories, oldest first (then by id), from `offset`: a story keeps its place
    /// as newer ones arrive, so sitemap pages stay the same and crawlers need not re-read
    /// them.
    pub async fn sitemap_entries(&self, offset: i64, limit: i64) -> Result<Vec<SitemapEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM stories WHERE status = 'published' \
             ORDER BY published_at, id LIMIT $1 OFFSET $2"
        );
        sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(entry)
            .collect()
    }

    /// Stories published at or after `since`, newest first.
    pub async fn published_since(&self, since: Timestamp, limit: i64) -> Result<Vec<SitemapEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM stories WHERE status = 'published' \
             AND published_at >= $1 ORDER BY published_at DESC, id DESC LIMIT $2"
        );
        sqlx::query(&sql)
            .bind(since.as_microsecond())
            .bind(limit)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(entry)
            .collect()
    }

    /// Each section holding published stories (its own or its subsections'), with the time
    /// of its newest one.
    pub async fn sections_last_published(&self) -> Result<Vec<(SectionId, Timestamp)>> {
        sqlx::query(
            "SELECT section_id, MAX(listed_at) AS latest FROM story_sections \
             WHERE listed_at IS NOT NULL GROUP BY section_id ORDER BY section_id",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok((
                SectionId(row.try_get("section_id")?),
                rows::time(row.try_get("latest")?)?,
            ))
        })
        .collect()
    }

    /// Tags on published stories with the time of each one's newest story, most recently
    /// used first; at most `limit` (a sitemap file holds 50,000 URLs).
    pub async fn tags_in_use(&self, limit: i64) -> Result<Vec<(Tag, Timestamp)>> {
        sqlx::query(
            "SELECT t.id, t.name, t.slug, MAX(st.listed_at) AS latest FROM story_tags st \
             JOIN tags t ON t.id = st.tag_id WHERE st.listed_at IS NOT NULL \
             GROUP BY t.id, t.name, t.slug ORDER BY latest DESC, t.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| Ok((tag(row)?, rows::time(row.try_get("latest")?)?)))
        .collect()
    }
}
