//! Whole stories in bulk, for feeds: a feed carries each story's body, tags and bylines, and
//! reading thirty stories one by one would cost four queries each.

use crate::stories::{STORY_COLUMNS, source, story_from_row, tag};
use crate::{ListQuery, ListScope, Result, Store, rows};
use broadsheet_domain::{Media, Source, Story, StoryId, Tag};
use sqlx::Row;
use std::collections::HashMap;

impl Store {
    /// The newest published stories of a scope, whole, newest first (the order of
    /// [`Store::list`], so a feed and its page agree).
    pub async fn newest_stories(&self, scope: ListScope, limit: i64) -> Result<Vec<Story>> {
        let cards = self
            .list(&ListQuery {
                scope,
                exclude: None,
                limit,
                offset: 0,
            })
            .await?;
        let ids: Vec<StoryId> = cards.iter().map(|c| c.id).collect();
        self.stories(&ids).await
    }

    /// These stories, whole and in the order asked, in any status; ids with no story are
    /// left out. Four queries whatever the number of ids.
    pub async fn stories(&self, ids: &[StoryId]) -> Result<Vec<Story>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers, so listing them in the statement is safe, and it spares SQLite
        // the linear search for numbered parameters (see `placeholder`).
        let list = ids
            .iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let story_sql = format!(
            "SELECT {STORY_COLUMNS}, {} FROM stories s LEFT JOIN media m ON m.id = s.lead_media_id \
             WHERE s.id IN ({list})",
            rows::MEDIA_COLUMNS
        );
        let tag_sql = format!(
            "SELECT st.story_id, t.id, t.name, t.slug FROM story_tags st \
             JOIN tags t ON t.id = st.tag_id WHERE st.story_id IN ({list}) \
             ORDER BY st.story_id, st.position"
        );
        let source_sql = format!(
            "SELECT ss.story_id, o.id, o.name, o.slug, o.kind FROM story_sources ss \
             JOIN sources o ON o.id = ss.source_id WHERE ss.story_id IN ({list}) \
             ORDER BY ss.story_id, ss.position"
        );
        let gallery_sql = format!(
            "SELECT g.story_id, {} FROM gallery_items g JOIN media m ON m.id = g.media_id \
             WHERE g.story_id IN ({list}) ORDER BY g.story_id, g.position",
            rows::MEDIA_COLUMNS
        );
        let pool = self.pool();
        let (story_rows, tag_rows, source_rows, gallery_rows) = tokio::try_join!(
            sqlx::query(&story_sql).fetch_all(pool),
            sqlx::query(&tag_sql).fetch_all(pool),
            sqlx::query(&source_sql).fetch_all(pool),
            sqlx::query(&gallery_sql).fetch_all(pool),
        )?;

        let mut tags: HashMap<i64, Vec<Tag>> = HashMap::new();
        for row in &tag_rows {
            tags.entry(row.try_get("story_id")?)
                .or_default()
                .push(tag(row)?);
        }
        let mut sources: HashMap<i64, Vec<Source>> = HashMap::new();
        for row in &source_rows {
            sources
                .entry(row.try_get("story_id")?)
                .or_default()
                .push(source(row)?);
        }
        let mut gallery: HashMap<i64, Vec<Media>> = HashMap::new();
        for row in &gallery_rows {
            if let Some(media) = rows::media(row)? {
                gallery
                    .entry(row.try_get("story_id")?)
                    .or_default()
                    .push(media);
            }
        }
        let mut found: HashMap<i64, Story> = HashMap::with_capacity(story_rows.len());
        for row in &story_rows {
            let id: i64 = row.try_get("id")?;
            let story = story_from_row(
                row,
                tags.remove(&id).unwrap_or_default(),
                sources.remove(&id).unwrap_or_default(),
                gallery.remove(&id).unwrap_or_default(),
            )?;
            found.insert(id, story);
        }
        Ok(ids.iter().filter_map(|id| found.remove(&id.0)).collect())
    }
}
