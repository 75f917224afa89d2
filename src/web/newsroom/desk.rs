//! The desk: every story in every state, filtered by status (or "submitted for editing"),
//! section, byline, headline and the days it last changed, a page at a time. A filter that
//! cannot be read is named above an empty list (400) rather than quietly ignored.

use super::pages::{Choice, DeskRowView, DeskTemplate};
use super::{PAGE_SIZE, day_bounds, list_page, page_number, require_staff, section_options};
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::web::error::WebError;
use crate::web::forms::{personal, with_status};
use crate::web::views::{Chrome, TimeView};
use axum::extract::{Query, State};
use axum::response::Response;
use broadsheet_domain::{SectionId, StoryStatus};
use broadsheet_store::DeskFilter;
use serde::Deserialize;

/// The status filter's value for drafts waiting for an editor.
const SUBMITTED: &str = "submitted";

#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub section: String,
    /// A source's slug.
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub page: Option<String>,
}

pub async fn desk(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<DeskQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let site = app.site();
    let tree = app.sections();
    let sources = app.store.all_sources().await?;
    let mut filter = DeskFilter {
        headline: Some(query.q.trim().to_string()).filter(|q| !q.is_empty()),
        limit: PAGE_SIZE + 1,
        ..DeskFilter::default()
    };
    let mut page = 1;
    let problem = (|| -> Result<(), String> {
        match query.status.trim() {
            "" => {}
            SUBMITTED => {
                filter.status = Some(StoryStatus::Draft);
                filter.submitted = true;
            }
            other => {
                filter.status = Some(StoryStatus::parse(other).ok_or_else(|| {
                    format!(
                        "'{other}' is not a status: draft, scheduled, published or unpublished."
                    )
                })?);
            }
        }
        match query.section.trim() {
            "" => {}
            text => {
                let id = text
                    .parse()
                    .ok()
                    .map(SectionId)
                    .filter(|id| tree.get(*id).is_some())
                    .ok_or_else(|| format!("There is no section '{text}'."))?;
                filter.section = Some(id);
            }
        }
        match query.author.trim() {
            "" => {}
            slug => {
                let source = sources
                    .iter()
                    .find(|s| s.slug == slug)
                    .ok_or_else(|| format!("No story has been credited to '{slug}'."))?;
                filter.source = Some(source.id);
            }
        }
        (filter.changed_from, filter.changed_before) = day_bounds(&site, &query.from, &query.to)?;
        page = page_number(query.page.as_deref())?;
        filter.offset = (page - 1) * PAGE_SIZE;
        Ok(())
    })()
    .err();
    let listed = list_page(
        "/newsroom",
        &[
            ("q", &query.q),
            ("status", &query.status),
            ("section", &query.section),
            ("author", &query.author),
            ("from", &query.from),
            ("to", &query.to),
        ],
        page,
        problem.as_deref(),
        app.store.desk(&filter),
    )
    .await?;
    let rows = &listed.rows;
    let mut statuses: Vec<Choice> = StoryStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().into(),
            label: s.as_str().into(),
            selected: query.status.trim() == s.as_str(),
        })
        .collect();
    statuses.insert(
        1,
        Choice {
            value: SUBMITTED.into(),
            label: "draft, submitted for editing".into(),
            selected: query.status.trim() == SUBMITTED,
        },
    );
    let template = DeskTemplate {
        chrome: Chrome::new(&site, &tree, "Newsroom", None),
        editor: signed_in.user.role.can_moderate(),
        error: problem.clone(),
        q: query.q.clone(),
        statuses,
        sections: section_options(&app, filter.section),
        authors: sources
            .iter()
            .map(|s| Choice {
                value: s.slug.clone(),
                label: format!("{} ({})", s.name, s.kind.as_str()),
                selected: query.author.trim() == s.slug,
            })
            .collect(),
        from: query.from.clone(),
        to: query.to.clone(),
        rows: rows
            .iter()
            .map(|r| DeskRowView {
                id: r.id.0,
                headline: r.headline.clone(),
                status: r.status.as_str(),
                submitted: r.submitted_at.is_some(),
                byline: r.sources.join(", "),
                section: tree
                    .get(r.section_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                changed: TimeView::new(&site, r.modified_at),
            })
            .collect(),
        page,
        newer: listed.newer.clone(),
        older: listed.older.clone(),
        newer_label: "Newer changes",
        older_label: "Older changes",
    };
    Ok(personal(
        with_status(listed.status, crate::web::render(&template)?),
        None,
    ))
}
