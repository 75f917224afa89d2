//! The site's URL scheme, in one place, both ways: building a URL and reading one.
//!
//! A story lives at `/national/north-korea/2024/12/27/putin-sends-new-years-message/123`:
//! section path, publication date in the site's time zone, slug, id. Only the id identifies
//! the story; a request whose other segments no longer match (the headline or section
//! changed) is redirected to the canonical URL, so old links keep working without a table of
//! redirects.

use jiff::civil::Date;

/// First path segments that belong to the application, never to a section.
pub const RESERVED_SEGMENTS: &[&str] = &[
    "api",
    "static",
    "media",
    "tag",
    "source",
    "author",
    "policy",
    "search",
    "feeds",
    "feed",
    "sitemap.xml",
    "sitemaps",
    "robots.txt",
    "newsroom",
    "account",
    "auth",
    "comments",
    "favicon.ico",
];

pub fn story_path(section_path: &str, date: Date, slug: &str, id: i64) -> String {
    format!(
        "/{section_path}/{:04}/{:02}/{:02}/{slug}/{id}",
        date.year(),
        date.month(),
        date.day()
    )
}

pub fn section_path(path: &str) -> String {
    format!("/{path}")
}

pub fn tag_path(slug: &str) -> String {
    format!("/tag/{slug}")
}

/// Wire services live under `/source/`, staff writers under `/author/`.
pub fn source_path(kind: crate::SourceKind, slug: &str) -> String {
    match kind {
        crate::SourceKind::Wire => format!("/source/{slug}"),
        crate::SourceKind::Staff => format!("/author/{slug}"),
    }
}

/// What a path below the root names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SitePath<'a> {
    /// A section page: its slugs from the top.
    Section(Vec<&'a str>),
    /// A story: only `id` is authoritative.
    Story { id: i64 },
}

/// Read a path like `national/north-korea` or `national/2024/12/27/slug/123`.
/// Returns `None` for paths that cannot name anything (empty segments and the like).
pub fn parse_site_path(path: &str) -> Option<SitePath<'_>> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    // A story path ends in yyyy/mm/dd/slug/id, with at least one section before it.
    if segments.len() >= 6 {
        let n = segments.len();
        let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        if numeric(segments[n - 5], 4)
            && numeric(segments[n - 4], 2)
            && numeric(segments[n - 3], 2)
            && let Ok(id) = segments[n - 1].parse::<i64>()
        {
            return Some(SitePath::Story { id });
        }
    }
    Some(SitePath::Section(segments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_paths_round_trip() {
        let date = Date::new(2024, 12, 27).unwrap();
        let path = story_path("national/north-korea", date, "putin-sends-message", 42);
        assert_eq!(
            path,
            "/national/north-korea/2024/12/27/putin-sends-message/42"
        );
        assert_eq!(parse_site_path(&path), Some(SitePath::Story { id: 42 }));
    }

    #[test]
    fn sections_and_nonsense() {
        assert_eq!(
            parse_site_path("/national/north-korea"),
            Some(SitePath::Section(vec!["national", "north-korea"]))
        );
        // A section whose slug happens to be numeric stays a section.
        assert_eq!(
            parse_site_path("/a/b/c/d/e/f"),
            Some(SitePath::Section(vec!["a", "b", "c", "d", "e", "f"]))
        );
        assert_eq!(parse_site_path("/national//x"), None);
    }
}
