//! The newsroom: the staff's side of the site (reporters, editors and admins). Pages here
//! are personal (`no-store`) and every handler checks the role before doing anything.
//!
//! `desk` is the list of stories, `stories` the editor (its form read by `editor_form`),
//! `history` revisions and corrections, `audit` the audit log page, `media` the library;
//! `pages` holds their templates.

pub mod audit;
pub mod desk;
pub mod editor_form;
pub mod history;
pub mod media;
pub mod pages;
pub mod stories;
pub mod tokens;

use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::site::Site;
use crate::web::error::WebError;
use broadsheet_domain::SectionId;
use jiff::Timestamp;
use pages::SectionOption;

/// Refuses anyone below reporter. Anonymous visitors never get here: `SignedIn` has already
/// sent them to sign in.
pub fn require_staff(signed_in: &SignedIn) -> Result<(), WebError> {
    if signed_in.user.role.is_staff() {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "The newsroom is for the paper's staff. Ask an editor if you need access.".into(),
        ))
    }
}

/// How many rows a page of the desk or the audit log shows.
pub const PAGE_SIZE: i64 = 50;

/// The highest page number a list accepts; deeper than this, filters serve better.
const MAX_PAGE: i64 = 1000;

/// A list's `page` parameter: 1 when absent.
pub fn page_number(text: Option<&str>) -> Result<i64, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(1),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                format!("The page must be a whole number from 1 to {MAX_PAGE}, not '{text}'.")
            }),
    }
}

/// A `from`/`to` pair of days (both inclusive, in the site's time zone) as the instants
/// that bound them: the start of `from` and the start of the day after `to`.
pub fn day_bounds(
    site: &Site,
    from: &str,
    to: &str,
) -> Result<(Option<Timestamp>, Option<Timestamp>), String> {
    let day = |text: &str, name: &str| -> Result<Option<jiff::civil::Date>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            format!("The '{name}' day must be a date such as 2026-12-01, not '{text}'.")
        })
    };
    let start = |date: jiff::civil::Date| {
        site.zone
            .instant(date.to_datetime(jiff::civil::Time::midnight()))
    };
    let (from, to) = (day(from, "from")?, day(to, "to")?);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err("The 'from' day is after the 'to' day; swap them.".into());
    }
    let end = match to {
        Some(to) => Some(start(
            to.tomorrow().map_err(|_| "The 'to' day is out of range.")?,
        )),
        None => None,
    };
    Ok((from.map(start), end))
}

/// One page of a filtered list: at most [`PAGE_SIZE`] rows, the links either side, and the
/// status to answer with (400 when a filter could not be read, and no rows then).
pub struct ListPage<T> {
    pub rows: Vec<T>,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub status: axum::http::StatusCode,
}

/// Read page `page` of a list with `fetch` (asking for one row more than a page, to know
/// whether another follows), unless a filter was refused with `problem`.
pub async fn list_page<T>(
    path: &str,
    query: &[(&str, &str)],
    page: i64,
    problem: Option<&str>,
    fetch: impl std::future::Future<Output = Result<Vec<T>, broadsheet_store::StoreError>>,
) -> Result<ListPage<T>, WebError> {
    if problem.is_some() {
        return Ok(ListPage {
            rows: Vec::new(),
            newer: None,
            older: None,
            status: axum::http::StatusCode::BAD_REQUEST,
        });
    }
    let mut rows = fetch.await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let (newer, older) = neighbours(path, query, page, more);
    Ok(ListPage {
        rows,
        newer,
        older,
        status: axum::http::StatusCode::OK,
    })
}

/// Links to the neighbouring pages of a list at `path` filtered by `query` (empty values
/// left out): newer is the page before, older the page after when `more` rows exist.
pub fn neighbours(
    path: &str,
    query: &[(&str, &str)],
    page: i64,
    more: bool,
) -> (Option<String>, Option<String>) {
    let href = |n: i64| {
        let mut parts: Vec<String> = query
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        if n > 1 {
            parts.push(format!("page={n}"));
        }
        if parts.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    };
    (
        (page > 1).then(|| href(page - 1)),
        more.then(|| href(page + 1)),
    )
}

/// Every section as an indented option, `selected` chosen.
pub fn section_options(app: &AppState, selected: Option<SectionId>) -> Vec<SectionOption> {
    fn walk(
        tree: &broadsheet_domain::SectionTree,
        parent: Option<SectionId>,
        depth: usize,
        selected: Option<SectionId>,
        out: &mut Vec<SectionOption>,
    ) {
        for section in tree.children_of(parent) {
            out.push(SectionOption {
                id: section.id.0,
                label: format!("{}{}", "— ".repeat(depth), section.name),
                selected: Some(section.id) == selected,
            });
            walk(tree, Some(section.id), depth + 1, selected, out);
        }
    }
    let mut options = Vec::new();
    walk(&app.sections(), None, 0, selected, &mut options);
    options
}

#[cfg(test)]
mod tests {
    use super::{neighbours, page_number};

    #[test]
    fn pages_are_numbers_in_range() {
        assert_eq!(page_number(None), Ok(1));
        assert_eq!(page_number(Some("3")), Ok(3));
        for bad in ["0", "-1", "x", "1001"] {
            assert!(page_number(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn neighbouring_pages_keep_the_filters() {
        let (newer, older) = neighbours("/newsroom", &[("q", "a b"), ("status", "")], 2, true);
        assert_eq!(newer.as_deref(), Some("/newsroom?q=a%20b"));
        assert_eq!(older.as_deref(), Some("/newsroom?q=a%20b&page=3"));
        assert_eq!(neighbours("/newsroom", &[], 1, false), (None, None));
    }
}
