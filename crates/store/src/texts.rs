//! Stories as text, for the search index: what indexing needs and nothing more (no photos,
//! no galleries), read in bulk so rebuilding the index of a large archive stays quick.

use crate::{Result, Store, StoreError, rows};
use broadsheet_domain::{SectionId, StoryId};
use jiff::Timestamp;
use sqlx::Row;
use std::collections::HashMap;

/// A published story's words and facets.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryText {
    pub id: StoryId,
    pub language: String,
    pub headline: String,
    pub deck: Option<String>,
    /// Markdown as written.
    pub body: String,
    pub section_id: SectionId,
    pub tag_ids: Vec<i64>,
    pub source_ids: Vec<i64>,
    pub published_at: Timestamp,
}

impl Store {
    /// Published stories with an id above `after`, in id order.
    pub async fn story_texts_after(&self, after: StoryId, limit: i64) -> Result<Vec<StoryText>> {
        let rows = sqlx::query(
            "SELECT id, language, headline, deck, body, section_id, published_at FROM stories \
             WHERE id > $1 AND status = 'published' ORDER BY id LIMIT $2",
        )
        .bind(after.0)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let mut texts = rows
            .iter()
            .map(|row| {
                let published: Option<i64> = row.try_get("published_at")?;
                Ok(StoryText {
                    id: StoryId(row.try_get("id")?),
                    language: row.try_get("language")?,
                    headline: row.try_get("headline")?,
                    deck: row.try_get("deck")?,
                    body: row.try_get("body")?,
                    section_id: SectionId(row.try_get("section_id")?),
                    tag_ids: Vec::new(),
                    source_ids: Vec::new(),
                    published_at: rows::time(published.ok_or_else(|| {
                        StoreError::Corrupt("a published story without a time".into())
                    })?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (Some(first), Some(last)) = (texts.first(), texts.last()) else {
            return Ok(texts);
        };
        let (from, to) = (first.id.0, last.id.0);
        let mut tags = self.facet("story_tags", "tag_id", from, to).await?;
        let mut sources = self.facet("story_sources", "source_id", from, to).await?;
        for text in &mut texts {
            text.tag_ids = tags.remove(&text.id.0).unwrap_or_default();
            text.source_ids = sources.remove(&text.id.0).unwrap_or_default();
        }
        Ok(texts)
    }

    /// One published story's text, or `None` when it is not published (or does not exist).
    pub async fn story_text(&self, id: StoryId) -> Result<Option<StoryText>> {
        let found = self.story_texts_after(StoryId(id.0 - 1), 1).await?;
        Ok(found.into_iter().next().filter(|t| t.id == id))
    }

    /// A link table's values for the stories with ids in `from..=to`, by story.
    async fn facet(
        &self,
        table: &str,
        column: &str,
        from: i64,
        to: i64,
    ) -> Result<HashMap<i64, Vec<i64>>> {
        let sql = format!(
            "SELECT story_id, {column} AS value FROM {table} \
             WHERE story_id >= $1 AND story_id <= $2 ORDER BY story_id, position"
        );
        let rows = sqlx::query(&sql)
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?;
        let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in rows {
            out.entry(row.try_get("story_id")?)
                .or_default()
                .push(row.try_get("value")?);
        }
        Ok(out)
    }
}
