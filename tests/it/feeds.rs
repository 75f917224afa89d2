//! Feeds: every format of every kind of feed, read back with a feed parser (`feed-rs`), and
//! the `<link rel="alternate">` entries that lead to them.

use crate::both_backends;
use crate::harness::{Page, TestApp};
use broadsheet_domain::{MediaInput, SourceInput, SourceKind, StoryId, StoryInput, StoryStatus};
use broadsheet_store::Backend;
use feed_rs::model::{Entry, Feed};
use jiff::Timestamp;
use reqwest::StatusCode;

both_backends!(
    feeds_of_the_site_a_section_and_a_tag_in_three_formats,
    feeds_carry_summaries_when_full_text_is_off,
    unknown_sections_and_tags_have_no_feeds,
    pages_link_their_feeds,
);

pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// Publish a story in the section at `path`, adjusted by `edit`.
pub async fn publish(
    t: &TestApp,
    path: &[&str],
    headline: &str,
    tags: &[&str],
    published: &str,
    edit: impl FnOnce(&mut StoryInput),
) -> StoryId {
    let names: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    let section = t.app.store.ensure_section_path(&names, None).await.unwrap();
    let mut input = crate::reader_input(section, headline, tags);
    input.published_at = Some(at(published));
    edit(&mut input);
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.app.reload_sections().await.unwrap();
    id
}

/// The canonical absolute URL of a story: any path ending in its id redirects to the
/// canonical path, and the site's base makes it absolute.
pub async fn canonical(t: &TestApp, id: StoryId) -> String {
    let path = t
        .redirect(
            &format!("/x/2000/01/01/x/{}", id.0),
            StatusCode::MOVED_PERMANENTLY,
        )
        .await;
    t.app.site().absolute(&path)
}

/// A photo written to the media folder, as an editor's upload would be.
pub async fn photo(t: &TestApp, bytes: &[u8]) -> broadsheet_domain::Media {
    let file = t.app.media.write(bytes, "jpg").unwrap();
    t.app
        .store
        .add_media(&MediaInput {
            file,
            mime: "image/jpeg".into(),
            width: 1200,
            height: 675,
            caption: "Cranes land on a frozen field.".into(),
            credit: Some("HARBOUR NEWS AGENCY".into()),
            alt: "Cranes on a snowy field".into(),
        })
        .await
        .unwrap()
}

const FORMATS: [(&str, &str); 3] = [
    ("rss.xml", "application/rss+xml; charset=utf-8"),
    ("atom.xml", "application/atom+xml; charset=utf-8"),
    ("feed.json", "application/feed+json; charset=utf-8"),
];

/// GET a feed, check its content type, and parse it.
async fn feed(t: &TestApp, path: &str, content_type: &str) -> (Feed, String) {
    let response = t.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    assert_eq!(response.headers()["content-type"], content_type, "{path}");
    let text = response.text().await.unwrap();
    let parsed = feed_rs::parser::parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{text}"));
    (parsed, text)
}

fn titles(feed: &Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

fn entry<'a>(feed: &'a Feed, title: &str) -> &'a Entry {
    feed.entries
        .iter()
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
        .unwrap_or_else(|| panic!("no entry {title}"))
}

struct Newsroom {
    lead: StoryId,
    plain: StoryId,
    photo_url: String,
    photo_bytes: usize,
}

/// Three published stories and a draft:
/// `lead` (National > North Korea; staff and wire bylines, a photo, a deck, an update),
/// `plain` (National; no byline but the default wire, no photo, no deck) and
/// `port` (Business).
async fn newsroom(t: &TestApp) -> Newsroom {
    let bytes = b"not really a jpeg, but bytes on disk".repeat(10);
    let photo = photo(t, &bytes).await;
    let lead = publish(
        t,
        &["National", "North Korea"],
        "Cranes return to the border",
        &["Border", "Cranes"],
        "2026-11-02T00:00:00Z",
        |s| {
            s.deck = Some("The birds came back early this year.".into());
            s.lead_media = Some(photo.id);
            s.updated_at = Some(at("2026-11-03T06:00:00Z"));
            s.sources = vec![
                SourceInput {
                    name: "Han Ji-woo".into(),
                    kind: SourceKind::Staff,
                },
                SourceInput {
                    name: "Harbour News Agency".into(),
                    kind: SourceKind::Wire,
                },
            ];
            s.body = "First paragraph about cranes.\n\nSecond paragraph <script>alert(1)</script>.\n\nThird paragraph, only in full text.".into();
        },
    )
    .await;
    let plain = publish(
        t,
        &["National"],
        "Rice harvest ends",
        &["Border"],
        "2026-11-01T00:00:00Z",
        |s| {
            s.body = "Farmers finished the harvest on Sunday. ".repeat(20);
            s.sources = vec![SourceInput {
                name: "Harbour News Agency".into(),
                kind: SourceKind::Wire,
            }];
        },
    )
    .await;
    publish(
        t,
        &["Business"],
        "Port volumes rise",
        &["Ports"],
        "2026-11-04T00:00:00Z",
        |_| {},
    )
    .await;
    publish(
        t,
        &["National"],
        "An unfinished draft",
        &["Border", "Secret plans"],
        "2026-11-05T00:00:00Z",
        |s| s.status = StoryStatus::Draft,
    )
    .await;
    Newsroom {
        lead,
        plain,
        photo_url: t.app.site().absolute(&format!("/media/{}", photo.file)),
        photo_bytes: bytes.len(),
    }
}

async fn feeds_of_the_site_a_section_and_a_tag_in_three_formats(backend: Backend) {
    let t = TestApp::new(backend).await;
    let n = newsroom(&t).await;
    let site = t.app.site();
    let lead_url = canonical(&t, n.lead).await;
    let plain_url = canonical(&t, n.plain).await;

    let updated = at("2026-11-03T06:00:00Z").as_second();
    let kinds = [
        (
            "/feeds",
            site.name.clone(),
            site.absolute("/"),
            at("2026-11-04T00:00:00Z").as_second(),
            vec![
                "Port volumes rise",
                "Cranes return to the border",
                "Rice harvest ends",
            ],
        ),
        // The section's feed holds its subsection's story, as its page does.
        (
            "/feeds/section/national",
            format!("{}: National", site.name),
            site.absolute("/national"),
            updated,
            vec!["Cranes return to the border", "Rice harvest ends"],
        ),
        (
            "/feeds/section/national/north-korea",
            format!("{}: North Korea", site.name),
            site.absolute("/national/north-korea"),
            updated,
            vec!["Cranes return to the border"],
        ),
        (
            "/feeds/tag/border",
            format!("{}: Border", site.name),
            site.absolute("/tag/border"),
            updated,
            vec!["Cranes return to the border", "Rice harvest ends"],
        ),
    ];
    for (dir, title, page, newest, headlines) in kinds {
        for (file, content_type) in FORMATS {
            let path = format!("{dir}/{file}");
            let (feed, text) = feed(&t, &path, content_type).await;
            assert_eq!(feed.title.as_ref().unwrap().content, title, "{path}");
            assert_eq!(titles(&feed), headlines, "{path}");
            assert!(
                feed.links.iter().any(|l| l.href == page),
                "{path} links its page {page}: {:?}",
                feed.links
            );
            assert_eq!(feed.language.as_deref(), Some("en"), "{path}");
            if file != "feed.json" {
                // The feed's time is its newest change (JSON Feed has no such field).
                assert_eq!(feed.updated.map(|d| d.timestamp()), Some(newest), "{path}");
            }
            let self_url = site.absolute(&path);
            match file {
                "rss.xml" => {
                    let doc = roxmltree::Document::parse(&text).unwrap();
                    let atom_self = doc
                        .descendants()
                        .find(|n| {
                            n.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")
                                && n.tag_name().name() == "link"
                                && n.attribute("rel") == Some("self")
                        })
                        .unwrap_or_else(|| panic!("{path} has no atom:link self"));
                    assert_eq!(atom_self.attribute("href"), Some(self_url.as_str()));
                }
                "atom.xml" => assert!(
                    feed.links
                        .iter()
                        .any(|l| l.rel.as_deref() == Some("self") && l.href == self_url),
                    "{path}: {:?}",
                    feed.links
                ),
                _ => {
                    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
                    assert_eq!(json["feed_url"], self_url.as_str());
                }
            }
        }
    }

    // One story, every format: the same facts.
    for (file, content_type) in FORMATS {
        let path = format!("/feeds/section/national/{file}");
        let (feed, text) = feed(&t, &path, content_type).await;
        let lead = entry(&feed, "Cranes return to the border");
        assert_eq!(
            lead.id,
            format!("tag:127.0.0.1,2026:story/{}", n.lead.0),
            "{path}: ids follow the story, not its URL"
        );
        assert_eq!(lead.links[0].href, lead_url, "{path}");
        assert_eq!(
            lead.published.map(|d| d.timestamp()),
            Some(at("2026-11-02T00:00:00Z").as_second()),
            "{path}"
        );
        if file != "rss.xml" {
            // RSS has no element for it (we write atom:updated, which feed-rs skips).
            assert_eq!(
                lead.updated.map(|d| d.timestamp()),
                Some(at("2026-11-03T06:00:00Z").as_second()),
                "{path}"
            );
        }
        let authors: Vec<&str> = lead.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(authors, ["Han Ji-woo", "Harbour News Agency"], "{path}");
        let tags: Vec<&str> = lead.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(tags, ["Border", "Cranes"], "{path}");
        assert_eq!(
            lead.summary.as_ref().map(|s| s.content.as_str()),
            Some("The birds came back early this year."),
            "{path}"
        );
        let content = lead.content.as_ref().and_then(|c| c.body.clone());
        let content = content.unwrap_or_else(|| panic!("{path}: full text by default"));
        assert!(
            content.contains("Third paragraph, only in full text."),
            "{path}"
        );
        assert!(!content.contains("<script"), "{path}: sanitized: {content}");

        // A story without a deck is summed up from its text.
        let plain = entry(&feed, "Rice harvest ends");
        assert_eq!(plain.links[0].href, plain_url);
        let summary = plain.summary.as_ref().unwrap().content.clone();
        assert!(
            summary.starts_with("Farmers finished the harvest on Sunday.")
                && summary.ends_with('…')
                && summary.chars().count() <= 201,
            "{path}: {summary}"
        );
        assert!(
            plain
                .authors
                .iter()
                .any(|a| a.name == "Harbour News Agency"),
            "{path}"
        );

        // The lead photo: an enclosure with its size on disk, or JSON Feed's image.
        match file {
            "rss.xml" => {
                let media = &lead.media[0].content[0];
                assert_eq!(media.url.as_ref().unwrap().as_str(), n.photo_url);
                assert_eq!(media.size, Some(n.photo_bytes as u64));
                assert_eq!(
                    media.content_type.as_ref().unwrap().to_string(),
                    "image/jpeg"
                );
                assert!(plain.media.is_empty());
            }
            "atom.xml" => {
                let enclosure = lead
                    .links
                    .iter()
                    .find(|l| l.rel.as_deref() == Some("enclosure"))
                    .expect("an enclosure link");
                assert_eq!(enclosure.href, n.photo_url);
                assert_eq!(enclosure.length, Some(n.photo_bytes as u64));
                assert_eq!(enclosure.media_type.as_deref(), Some("image/jpeg"));
            }
            _ => {
                // feed-rs does not read JSON Feed's `image`; the JSON is plain to read.
                let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                let items = json["items"].as_array().unwrap();
                let lead = items
                    .iter()
                    .find(|i| i["title"] == "Cranes return to the border")
                    .unwrap();
                assert_eq!(lead["image"], n.photo_url.as_str());
                assert_eq!(lead["date_modified"], "2026-11-03T15:00:00+09:00");
                assert_eq!(
                    lead["authors"][0]["url"],
                    site.absolute("/author/han-ji-woo")
                );
                let plain = items
                    .iter()
                    .find(|i| i["title"] == "Rice harvest ends")
                    .unwrap();
                assert!(plain.get("image").is_none());
            }
        }
    }

    // RSS dates are RFC 822, in the site's zone.
    let rss = t
        .get("/feeds/tag/cranes/rss.xml")
        .await
        .text()
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let pub_date = doc
        .descendants()
        .find(|n| n.has_tag_name("pubDate"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(pub_date, "Mon, 2 Nov 2026 09:00:00 +0900");
}

async fn feeds_carry_summaries_when_full_text_is_off(backend: Backend) {
    let t = TestApp::new(backend).await;
    newsroom(&t).await;
    t.app
        .store
        .set_setting("feeds.full_text", "false")
        .await
        .unwrap();
    t.app.reload_site().await.unwrap();
    for (file, content_type) in FORMATS {
        let path = format!("/feeds/{file}");
        let (feed, _) = feed(&t, &path, content_type).await;
        let lead = entry(&feed, "Cranes return to the border");
        assert_eq!(
            lead.summary.as_ref().unwrap().content,
            "The birds came back early this year."
        );
        let content = lead.content.as_ref().and_then(|c| c.body.as_deref());
        match file {
            // JSON Feed needs content: the summary stands in, as plain text.
            "feed.json" => assert_eq!(content, Some("The birds came back early this year.")),
            _ => assert_eq!(content, None, "{path}"),
        }
        let text = t.get(&path).await.text().await.unwrap();
        assert!(!text.contains("Third paragraph"), "{path}");
    }
}

async fn unknown_sections_and_tags_have_no_feeds(backend: Backend) {
    let t = TestApp::new(backend).await;
    newsroom(&t).await;
    for path in [
        "/feeds/section/nowhere/rss.xml",
        "/feeds/section/national/nowhere/atom.xml",
        "/feeds/tag/nothing/feed.json",
        "/feeds/section/national/feed.xml",
        "/feeds/tag/border/index.html",
        "/feeds/rss",
    ] {
        assert_eq!(t.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A tag that only a draft carries exists (it has a page), but its feeds show nothing.
    for (file, content_type) in FORMATS {
        let path = format!("/feeds/tag/secret-plans/{file}");
        let (feed, _) = feed(&t, &path, content_type).await;
        assert!(feed.entries.is_empty(), "{path}");
    }
}

/// `(type, href)` of a page's feed links.
fn alternates(page: &Page) -> Vec<(String, String)> {
    page.all("head link[rel=alternate]")
        .into_iter()
        .map(|l| {
            assert!(l.value().attr("title").is_some_and(|t| !t.is_empty()));
            (
                l.value().attr("type").unwrap().to_string(),
                l.value().attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

async fn pages_link_their_feeds(backend: Backend) {
    let t = TestApp::new(backend).await;
    let n = newsroom(&t).await;
    let site = t.app.site();
    let article = canonical(&t, n.lead).await;
    let article_path = article.strip_prefix(&site.base_url).unwrap().to_string();
    for (page, dir) in [
        ("/", "/feeds".to_string()),
        ("/national", "/feeds/section/national".into()),
        (
            "/national/north-korea",
            "/feeds/section/national/north-korea".into(),
        ),
        ("/tag/border", "/feeds/tag/border".into()),
        // An article offers its section's feeds.
        (
            article_path.as_str(),
            "/feeds/section/national/north-korea".into(),
        ),
    ] {
        let html = t.page(page, StatusCode::OK).await;
        let links = alternates(&html);
        let expected: Vec<(String, String)> = FORMATS
            .iter()
            .map(|(file, content_type)| {
                (
                    content_type.split(';').next().unwrap().to_string(),
                    site.absolute(&format!("{dir}/{file}")),
                )
            })
            .collect();
        assert_eq!(links, expected, "{page}");
        for (_, href) in links {
            let path = href.strip_prefix(&site.base_url).unwrap();
            assert_eq!(t.get(path).await.status(), StatusCode::OK, "{href}");
        }
    }
}
