//! `/newsroom/audit`: who did what to which story, and when, newest first, for editors and
//! admins (reporters see their own work on the desk). Filters by action, person, story and
//! days; a filter that cannot be read is named above an empty list (400).

use super::pages::{AuditRowView, AuditTemplate, Choice};
use super::{PAGE_SIZE, day_bounds, list_page, page_number, require_staff};
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::web::error::WebError;
use crate::web::forms::{personal, with_status};
use crate::web::views::{Chrome, TimeView};
use axum::extract::{Query, State};
use axum::response::Response;
use broadsheet_domain::{StoryId, UserId};
use broadsheet_store::AuditFilter;
use serde::Deserialize;

pub const AUDIT_PATH: &str = "/newsroom/audit";

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub action: String,
    /// An account's id.
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub story: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub page: Option<String>,
}

pub async fn page(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    if !signed_in.user.role.can_moderate() {
        return Err(WebError::Forbidden(
            "The audit log is for editors and admins.".into(),
        ));
    }
    let site = app.site();
    let actions = app.store.audit_actions().await?;
    let people = app.store.audit_people().await?;
    let mut filter = AuditFilter {
        limit: PAGE_SIZE + 1,
        ..AuditFilter::default()
    };
    let mut page = 1;
    let problem = (|| -> Result<(), String> {
        match query.action.trim() {
            "" => {}
            action if actions.iter().any(|a| a == action) => {
                filter.action = Some(action.to_string());
            }
            action => return Err(format!("Nothing in the log is called '{action}'.")),
        }
        match query.user.trim() {
            "" => {}
            text => {
                let id = text
                    .parse()
                    .ok()
                    .map(UserId)
                    .ok_or_else(|| format!("'{text}' is not an account number."))?;
                filter.user = Some(id);
            }
        }
        match query.story.trim() {
            "" => {}
            text => {
                let id = text
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map(StoryId)
                    .ok_or_else(|| format!("'{text}' is not a story number."))?;
                filter.story = Some(id);
            }
        }
        (filter.from, filter.before) = day_bounds(&site, &query.from, &query.to)?;
        page = page_number(query.page.as_deref())?;
        filter.offset = (page - 1) * PAGE_SIZE;
        Ok(())
    })()
    .err();
    let listed = list_page(
        AUDIT_PATH,
        &[
            ("action", &query.action),
            ("user", &query.user),
            ("story", &query.story),
            ("from", &query.from),
            ("to", &query.to),
        ],
        page,
        problem.as_deref(),
        app.store.audit_log(&filter),
    )
    .await?;
    let rows = &listed.rows;
    let template = AuditTemplate {
        chrome: Chrome::new(&site, &app.sections(), "Audit log", None),
        error: problem.clone(),
        actions: actions
            .iter()
            .map(|a| Choice {
                value: a.clone(),
                label: a.clone(),
                selected: query.action.trim() == a,
            })
            .collect(),
        people: people
            .iter()
            .map(|p| Choice {
                value: p.id.0.to_string(),
                label: person(&p.name, p.email.as_deref()),
                selected: filter.user == Some(p.id),
            })
            .collect(),
        story: query.story.clone(),
        from: query.from.clone(),
        to: query.to.clone(),
        rows: rows
            .iter()
            .map(|e| AuditRowView {
                at: TimeView::new(&site, e.at),
                who: match (&e.user, e.user_id) {
                    (Some(name), _) => person(name, e.email.as_deref()),
                    (None, Some(_)) => "a deleted account".into(),
                    (None, None) => "the scheduler".into(),
                },
                action: e.action.clone(),
                story_id: e.story_id.map(|s| s.0),
                headline: e
                    .headline
                    .clone()
                    .or_else(|| e.story_id.map(|s| format!("story {s}")))
                    .unwrap_or_default(),
                detail: e.detail.clone(),
            })
            .collect(),
        page,
        newer: listed.newer.clone(),
        older: listed.older.clone(),
        newer_label: "Newer entries",
        older_label: "Older entries",
    };
    Ok(personal(
        with_status(listed.status, crate::web::render(&template)?),
        None,
    ))
}

/// A name with the address that tells apart two people of the same name.
fn person(name: &str, email: Option<&str>) -> String {
    match email {
        Some(email) => format!("{name} <{email}>"),
        None => name.to_string(),
    }
}
