//! Sitemaps and robots.txt, read with an XML parser and checked against the sitemaps.org
//! protocol and Google's news sitemap rules.

use crate::both_backends;
use crate::feeds::{canonical, publish};
use crate::harness::TestApp;
use broadsheet_domain::StoryStatus;
use broadsheet_store::Backend;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use roxmltree::{Document, Node};

both_backends!(
    the_index_leads_to_sitemaps_that_follow_the_protocol,
    the_news_sitemap_holds_the_last_two_days,
    robots_txt_allows_all_but_print_views,
);

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// GET an XML document, checking status and content type.
async fn xml(t: &TestApp, path: &str) -> String {
    let response = t.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/xml; charset=utf-8",
        "{path}"
    );
    response.text().await.unwrap()
}

fn children<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|n| n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name)
        .collect()
}

fn child_text(node: Node<'_, '_>, ns: &str, name: &str) -> String {
    let found = children(node, ns, name);
    assert_eq!(found.len(), 1, "one {name} in {:?}", node.tag_name());
    found[0].text().unwrap_or_default().to_string()
}

/// W3C Datetime as sitemaps use it: here always the complete form with seconds and offset
/// (`2026-11-02T09:00:00+09:00`).
fn assert_w3c_datetime(text: &str) {
    let shape_ok = text.len() == 25
        && text.as_bytes()[10] == b'T'
        && matches!(text.as_bytes()[19], b'+' | b'-')
        && text.as_bytes()[22] == b':';
    assert!(shape_ok, "not a W3C datetime with offset: {text}");
    text.parse::<Timestamp>()
        .unwrap_or_else(|e| panic!("{text}: {e}"));
}

/// The path of an absolute URL of this site, asserting it is absolute.
fn local_path(t: &TestApp, url: &str) -> String {
    let base = t.app.site().base_url.clone();
    assert!(
        url.starts_with("http://") || url.starts_with("https://"),
        "not absolute: {url}"
    );
    url.strip_prefix(&base)
        .unwrap_or_else(|| panic!("{url} is not on {base}"))
        .to_string()
}

/// Check a `urlset` file by the protocol and return its `(loc, lastmod)` pairs.
fn urlset(text: &str, path: &str) -> Vec<(String, Option<String>)> {
    let doc = Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS), "{path}");
    assert_eq!(root.tag_name().name(), "urlset", "{path}");
    let urls = children(root, SITEMAP_NS, "url");
    assert!(urls.len() <= 50_000, "{path}: too many URLs");
    urls.into_iter()
        .map(|url| {
            let loc = child_text(url, SITEMAP_NS, "loc");
            assert!(loc.len() <= 2048, "{path}: loc too long");
            assert!(loc.is_ascii(), "{path}: loc must be percent-encoded: {loc}");
            let lastmod = children(url, SITEMAP_NS, "lastmod")
                .first()
                .map(|n| n.text().unwrap_or_default().to_string());
            if let Some(lastmod) = &lastmod {
                assert_w3c_datetime(lastmod);
            }
            (loc, lastmod)
        })
        .collect()
}

async fn the_index_leads_to_sitemaps_that_follow_the_protocol(backend: Backend) {
    let t = TestApp::new(backend).await;
    let recent = (Timestamp::now() - SignedDuration::from_hours(2)).to_string();
    let old = publish(
        &t,
        &["National", "North Korea"],
        "An old story",
        &["Border"],
        "2026-01-10T00:00:00Z",
        |s| s.updated_at = Some("2026-01-12T00:00:00Z".parse().unwrap()),
    )
    .await;
    let korean = publish(
        &t,
        &["Culture"],
        "겨울 바다를 건너는 배",
        &["Ferries"],
        "2026-02-01T00:00:00Z",
        |s| s.language = "ko".into(),
    )
    .await;
    let new = publish(
        &t,
        &["Business"],
        "A new story",
        &["Ports"],
        &recent,
        |_| {},
    )
    .await;
    publish(
        &t,
        &["Business"],
        "A draft",
        &["Secret plans"],
        &recent,
        |s| s.status = StoryStatus::Draft,
    )
    .await;

    let index = xml(&t, "/sitemap.xml").await;
    let doc = Document::parse(&index).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    assert_eq!(root.tag_name().name(), "sitemapindex");
    let mut files = Vec::new();
    for sitemap in children(root, SITEMAP_NS, "sitemap") {
        let loc = child_text(sitemap, SITEMAP_NS, "loc");
        for lastmod in children(sitemap, SITEMAP_NS, "lastmod") {
            assert_w3c_datetime(lastmod.text().unwrap());
        }
        files.push(local_path(&t, &loc));
    }
    assert_eq!(
        files,
        [
            "/sitemaps/pages.xml",
            "/sitemaps/news.xml",
            "/sitemaps/stories-1.xml"
        ]
    );

    // Every URL in every file resolves to a page.
    let mut all = Vec::new();
    for file in &files {
        let text = xml(&t, file).await;
        for (loc, lastmod) in urlset(&text, file) {
            let path = local_path(&t, &loc);
            assert_eq!(t.get(&path).await.status(), StatusCode::OK, "{file}: {loc}");
            all.push((file.clone(), loc, lastmod));
        }
    }

    // The story file: every published story, oldest first, each changed when last edited.
    let stories: Vec<(String, Option<String>)> = all
        .iter()
        .filter(|(file, ..)| file == "/sitemaps/stories-1.xml")
        .map(|(_, loc, lastmod)| (loc.clone(), lastmod.clone()))
        .collect();
    let korean_url = canonical(&t, korean).await;
    let korean_loc = format!(
        "{}{}",
        t.app.site().base_url,
        percent_encoding::utf8_percent_encode(
            korean_url.strip_prefix(&t.app.site().base_url).unwrap(),
            percent_encoding::CONTROLS
        )
    );
    assert_eq!(
        stories
            .iter()
            .map(|(loc, _)| loc.clone())
            .collect::<Vec<_>>(),
        [
            canonical(&t, old).await,
            korean_loc,
            canonical(&t, new).await
        ]
    );
    assert_eq!(
        stories[0].1.as_deref(),
        Some("2026-01-12T09:00:00+09:00"),
        "lastmod is the update"
    );
    assert_eq!(stories[1].1.as_deref(), Some("2026-02-01T09:00:00+09:00"));

    // The pages file: home, every section, every tag in use.
    let pages: Vec<String> = all
        .iter()
        .filter(|(file, ..)| file == "/sitemaps/pages.xml")
        .map(|(_, loc, _)| local_path(&t, loc))
        .collect();
    for expected in [
        "/",
        "/national",
        "/national/north-korea",
        "/culture",
        "/business",
        "/tag/border",
        "/tag/ferries",
        "/tag/ports",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} in {pages:?}"
        );
    }
    assert!(
        !pages.iter().any(|p| p == "/tag/secret-plans"),
        "a draft's tag is not listed"
    );

    // Past the last file, and nonsense names, are not found.
    for path in [
        "/sitemaps/stories-2.xml",
        "/sitemaps/stories-0.xml",
        "/sitemaps/stories-x.xml",
        "/sitemaps/other.xml",
    ] {
        assert_eq!(t.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

async fn the_news_sitemap_holds_the_last_two_days(backend: Backend) {
    let t = TestApp::new(backend).await;
    let hours_ago = |h: i64| (Timestamp::now() - SignedDuration::from_hours(h)).to_string();
    publish(
        &t,
        &["National"],
        "Three days old",
        &[],
        &hours_ago(72),
        |_| {},
    )
    .await;
    let fresh = publish(
        &t,
        &["National"],
        "Ports & <harbours> reopen",
        &[],
        &hours_ago(1),
        |_| {},
    )
    .await;
    let korean = publish(
        &t,
        &["Culture"],
        "항구가 다시 열렸다",
        &[],
        &hours_ago(3),
        |s| s.language = "ko".into(),
    )
    .await;

    let text = xml(&t, "/sitemaps/news.xml").await;
    let doc = Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.lookup_namespace_uri(Some("news")), Some(NEWS_NS));
    let mut seen = Vec::new();
    for url in children(root, SITEMAP_NS, "url") {
        let loc = child_text(url, SITEMAP_NS, "loc");
        assert_eq!(
            t.get(&local_path(&t, &loc)).await.status(),
            StatusCode::OK,
            "{loc}"
        );
        let news = children(url, NEWS_NS, "news");
        assert_eq!(news.len(), 1, "{loc}");
        let publication = children(news[0], NEWS_NS, "publication");
        assert_eq!(publication.len(), 1);
        assert_eq!(
            child_text(publication[0], NEWS_NS, "name"),
            t.app.site().name
        );
        let language = child_text(publication[0], NEWS_NS, "language");
        let date = child_text(news[0], NEWS_NS, "publication_date");
        assert_w3c_datetime(&date);
        let title = child_text(news[0], NEWS_NS, "title");
        seen.push((loc, title, language));
    }
    let fresh_url = canonical(&t, fresh).await;
    let korean_url = canonical(&t, korean).await;
    let base = t.app.site().base_url.clone();
    let korean_loc = format!(
        "{base}{}",
        percent_encoding::utf8_percent_encode(
            korean_url.strip_prefix(&base).unwrap(),
            percent_encoding::CONTROLS
        )
    );
    assert_eq!(
        seen,
        [
            (
                fresh_url,
                "Ports & <harbours> reopen".to_string(),
                "en".to_string()
            ),
            (
                korean_loc,
                "항구가 다시 열렸다".to_string(),
                "ko".to_string()
            ),
        ],
        "only the last 48 hours, newest first"
    );
}

async fn robots_txt_allows_all_but_print_views(backend: Backend) {
    let t = TestApp::new(backend).await;
    let response = t.get("/robots.txt").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(lines.contains(&"User-agent: *"), "{text}");
    assert!(lines.contains(&"Disallow: /*?view=print"), "{text}");
    let disallowed: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("Disallow:"))
        .collect();
    assert_eq!(disallowed.len(), 1, "nothing else is disallowed: {text}");
    let sitemap = lines
        .iter()
        .find_map(|l| l.strip_prefix("Sitemap: "))
        .expect("a Sitemap line");
    assert_eq!(sitemap, t.app.site().absolute("/sitemap.xml"));
    assert_eq!(
        t.get(&local_path(&t, sitemap)).await.status(),
        StatusCode::OK
    );
}
