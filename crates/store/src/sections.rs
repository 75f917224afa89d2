//! Sections: the tree the paper is organised in.

use crate::{Result, Store, StoreError, Writer, events, now_micros};
use broadsheet_domain::slug::slugify;
use broadsheet_domain::urls::RESERVED_SEGMENTS;
use broadsheet_domain::{Section, SectionId, ValidationError};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

fn section(row: &AnyRow) -> Result<Section> {
    Ok(Section {
        id: SectionId(row.try_get("id")?),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(SectionId),
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        description: row.try_get("description")?,
        position: row.try_get("position")?,
    })
}

impl Store {
    /// See [`Writer::ensure_section_path`]; in a transaction of its own.
    pub async fn ensure_section_path(
        &self,
        names: &[String],
        description: Option<&str>,
    ) -> Result<SectionId> {
        let mut writer = self.writer().await?;
        let id = writer.ensure_section_path(names, description).await?;
        writer.commit().await?;
        Ok(id)
    }

    pub async fn sections(&self) -> Result<Vec<Section>> {
        let rows = sqlx::query(
            "SELECT id, parent_id, name, slug, description, position FROM sections ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(section).collect()
    }
}

impl Writer {
    /// Find the section at this path of names, creating whatever part is missing (as an
    /// archive import must), and return the deepest one. `description` is given to a section
    /// this call creates at the end of the path.
    pub async fn ensure_section_path(
        &mut self,
        names: &[String],
        description: Option<&str>,
    ) -> Result<SectionId> {
        if names.is_empty() {
            return Err(
                ValidationError::new("section", "a section path needs at least one name").into(),
            );
        }
        let tx = &mut self.tx;
        let mut parent: Option<i64> = None;
        for (depth, name) in names.iter().enumerate() {
            let name = name.trim();
            if name.is_empty() {
                return Err(ValidationError::new("section", "a section name is empty").into());
            }
            let slug = slugify(name);
            if depth == 0 && RESERVED_SEGMENTS.contains(&slug.as_str()) {
                return Err(ValidationError::new(
                    "section",
                    format!("'{name}' cannot be a top-level section: /{slug} belongs to the site"),
                )
                .into());
            }
            let existing = sqlx::query(
                "SELECT id FROM sections WHERE COALESCE(parent_id, 0) = $1 AND slug = $2",
            )
            .bind(parent.unwrap_or(0))
            .bind(&slug)
            .fetch_optional(&mut **tx)
            .await?;
            let id: i64 = match existing {
                Some(row) => row.try_get("id")?,
                None => {
                    let last = depth + 1 == names.len();
                    let position: i64 = sqlx::query(
                        "SELECT COUNT(*) AS n FROM sections WHERE COALESCE(parent_id, 0) = $1",
                    )
                    .bind(parent.unwrap_or(0))
                    .fetch_one(&mut **tx)
                    .await?
                    .try_get("n")?;
                    let row = sqlx::query(
                        "INSERT INTO sections (parent_id, name, slug, description, position, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(parent)
                    .bind(name)
                    .bind(&slug)
                    .bind(if last { description } else { None })
                    .bind(position)
                    .bind(now_micros())
                    .fetch_one(&mut **tx)
                    .await?;
                    let id: i64 = row.try_get("id")?;
                    events::append(
                        tx,
                        "section.created",
                        None,
                        Some(SectionId(id)),
                        json!({ "name": name, "parent_id": parent }),
                    )
                    .await?;
                    id
                }
            };
            parent = Some(id);
        }
        parent
            .map(SectionId)
            .ok_or_else(|| StoreError::NotFound("section".into()))
    }
}
