//! What pages tell search engines and link previews: schema.org JSON-LD (parsed as JSON),
//! OpenGraph and X card tags.

use crate::both_backends;
use crate::feeds::{canonical, photo, publish};
use crate::harness::{Page, TestApp};
use broadsheet_domain::{SourceInput, SourceKind};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(
    articles_describe_themselves_to_machines,
    a_headline_cannot_break_out_of_json_ld,
    wire_stories_without_photos_still_describe_themselves,
    listing_pages_are_websites_to_link_previews,
);

/// The JSON-LD documents of a page, parsed.
fn json_ld(page: &Page) -> Vec<Value> {
    page.all("script[type=\"application/ld+json\"]")
        .into_iter()
        .map(|script| {
            let text: String = script.text().collect();
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
        })
        .collect()
}

/// The content of every `<meta>` with this property (OpenGraph) or name (X).
fn meta(page: &Page, key: &str) -> Vec<String> {
    page.all("head meta")
        .into_iter()
        .filter(|m| m.value().attr("property") == Some(key) || m.value().attr("name") == Some(key))
        .map(|m| m.value().attr("content").unwrap_or_default().to_string())
        .collect()
}

fn one_meta(page: &Page, key: &str) -> String {
    let found = meta(page, key);
    assert_eq!(found.len(), 1, "exactly one {key}: {found:?}");
    found[0].clone()
}

fn of_type<'a>(docs: &'a [Value], kind: &str) -> &'a Value {
    let found: Vec<&Value> = docs.iter().filter(|d| d["@type"] == kind).collect();
    assert_eq!(found.len(), 1, "one {kind} in {docs:?}");
    found[0]
}

async fn article_page(t: &TestApp, url: &str) -> Page {
    let path = url.strip_prefix(&t.app.site().base_url).unwrap();
    t.page(path, StatusCode::OK).await
}

async fn articles_describe_themselves_to_machines(backend: Backend) {
    let t = TestApp::new(backend).await;
    let site = t.app.site();
    let picture = photo(&t, b"pixels").await;
    let id = publish(
        &t,
        &["National", "North Korea"],
        "Cranes return to the border",
        &["Border", "Cranes"],
        "2026-11-02T00:00:00Z",
        |s| {
            s.deck = Some("The birds came back early this year.".into());
            s.lead_media = Some(picture.id);
            s.updated_at = Some("2026-11-03T06:00:00Z".parse().unwrap());
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
        },
    )
    .await;
    let url = canonical(&t, id).await;
    let page = article_page(&t, &url).await;
    let photo_url = site.absolute(&format!("/media/{}", picture.file));
    let docs = json_ld(&page);
    assert_eq!(docs.len(), 2);

    let article = of_type(&docs, "NewsArticle");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["headline"], "Cranes return to the border");
    assert_eq!(
        article["description"],
        "The birds came back early this year."
    );
    assert_eq!(article["datePublished"], "2026-11-02T09:00:00+09:00");
    assert_eq!(article["dateModified"], "2026-11-03T15:00:00+09:00");
    assert_eq!(
        article["author"],
        json!([{
            "@type": "Person",
            "name": "Han Ji-woo",
            "url": site.absolute("/author/han-ji-woo"),
        }])
    );
    assert_eq!(
        article["sourceOrganization"],
        json!({
            "@type": "Organization",
            "name": "Harbour News Agency",
            "url": site.absolute("/source/harbour-news-agency"),
        })
    );
    assert_eq!(article["publisher"]["@type"], "Organization");
    assert_eq!(article["publisher"]["name"], site.name.as_str());
    let logo = &article["publisher"]["logo"];
    assert_eq!(logo["@type"], "ImageObject");
    let logo_url = logo["url"].as_str().unwrap();
    assert_eq!(logo_url, site.absolute("/static/logo.png"));
    let response = t.get(logo_url.strip_prefix(&site.base_url).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/png");
    let png = response.bytes().await.unwrap();
    // The declared size is the file's (a PNG's IHDR holds width and height).
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!(
        (logo["width"].as_u64(), logo["height"].as_u64()),
        (Some(u64::from(size(16))), Some(u64::from(size(20))))
    );
    assert_eq!(article["image"], json!([photo_url]));
    assert_eq!(article["articleSection"], "North Korea");
    assert_eq!(article["keywords"], json!(["Border", "Cranes"]));
    assert_eq!(article["mainEntityOfPage"]["@id"], url.as_str());
    assert_eq!(article["url"], url.as_str());
    assert_eq!(article["inLanguage"], "en");

    // The breadcrumb list matches the visible breadcrumb.
    let crumbs = of_type(&docs, "BreadcrumbList");
    let items = crumbs["itemListElement"].as_array().unwrap();
    let listed: Vec<(u64, String, String)> = items
        .iter()
        .map(|i| {
            assert_eq!(i["@type"], "ListItem");
            (
                i["position"].as_u64().unwrap(),
                i["name"].as_str().unwrap().to_string(),
                i["item"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let visible: Vec<(u64, String, String)> = page
        .all("nav.breadcrumb a")
        .into_iter()
        .enumerate()
        .map(|(n, a)| {
            (
                n as u64 + 1,
                crate::harness::text(a),
                site.absolute(a.value().attr("href").unwrap()),
            )
        })
        .collect();
    assert_eq!(listed, visible);
    assert_eq!(listed.len(), 3, "Home > National > North Korea");

    // OpenGraph and X.
    for (key, value) in [
        ("og:type", "article"),
        ("og:title", "Cranes return to the border"),
        ("og:description", "The birds came back early this year."),
        ("og:url", url.as_str()),
        ("og:image", photo_url.as_str()),
        ("og:image:width", "1200"),
        ("og:image:height", "675"),
        ("og:site_name", site.name.as_str()),
        ("og:locale", "en"),
        ("article:published_time", "2026-11-02T09:00:00+09:00"),
        ("article:modified_time", "2026-11-03T15:00:00+09:00"),
        ("article:section", "North Korea"),
        ("twitter:card", "summary_large_image"),
        ("twitter:title", "Cranes return to the border"),
        (
            "twitter:description",
            "The birds came back early this year.",
        ),
        ("twitter:image", photo_url.as_str()),
    ] {
        assert_eq!(one_meta(&page, key), value, "{key}");
    }
    assert_eq!(meta(&page, "article:tag"), ["Border", "Cranes"]);
    for key in ["og:url", "og:image", "twitter:image"] {
        assert!(
            one_meta(&page, key).starts_with("http://"),
            "{key} is absolute"
        );
    }
}

async fn a_headline_cannot_break_out_of_json_ld(backend: Backend) {
    let t = TestApp::new(backend).await;
    let headline = "Ferry </script><script>alert(\"x\")</script> & <!-- more";
    let id = publish(
        &t,
        &["National"],
        headline,
        &["</script>"],
        "2026-11-02T00:00:00Z",
        |s| {
            s.deck = Some("A deck with </SCRIPT> in it".into());
        },
    )
    .await;
    let url = canonical(&t, id).await;
    let path = url.strip_prefix(&t.app.site().base_url).unwrap();
    let html = t.get(path).await.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "the headline broke out");
    let page = article_page(&t, &url).await;
    // Only our own scripts: files of the site, and the two JSON-LD documents.
    for script in page.all("script") {
        let element = script.value();
        assert!(
            element.attr("src").is_some() || element.attr("type") == Some("application/ld+json"),
            "a script from the headline: {html}"
        );
    }
    let docs = json_ld(&page);
    assert_eq!(docs.len(), 2);
    let article = of_type(&docs, "NewsArticle");
    assert_eq!(article["headline"], headline);
    assert_eq!(article["description"], "A deck with </SCRIPT> in it");
    assert_eq!(article["keywords"], json!(["</script>"]));
    assert_eq!(one_meta(&page, "og:title"), headline);
}

async fn wire_stories_without_photos_still_describe_themselves(backend: Backend) {
    let t = TestApp::new(backend).await;
    let site = t.app.site();
    let id = publish(
        &t,
        &["Business"],
        "Port volumes rise",
        &[],
        "2026-11-02T00:00:00Z",
        |s| {
            s.sources = vec![SourceInput {
                name: "Harbour News Agency".into(),
                kind: SourceKind::Wire,
            }]
        },
    )
    .await;
    let page = article_page(&t, &canonical(&t, id).await).await;
    let docs = json_ld(&page);
    let article = of_type(&docs, "NewsArticle");
    // A wire story has no person to credit: the agency is its author and its source.
    let agency = json!({
        "@type": "Organization",
        "name": "Harbour News Agency",
        "url": site.absolute("/source/harbour-news-agency"),
    });
    assert_eq!(article["author"], json!([agency.clone()]));
    assert_eq!(article["sourceOrganization"], agency);
    assert!(article.get("image").is_none());
    // Summed up from the body when there is no deck.
    assert_eq!(article["description"], "One. Two. Three.");
    assert_eq!(article["dateModified"], article["datePublished"]);
    // Link previews fall back to the paper's logo, in a small card.
    assert_eq!(
        one_meta(&page, "og:image"),
        site.absolute("/static/logo.png")
    );
    assert_eq!(one_meta(&page, "twitter:card"), "summary");
    assert!(meta(&page, "article:tag").is_empty());
}

async fn listing_pages_are_websites_to_link_previews(backend: Backend) {
    let t = TestApp::new(backend).await;
    let site = t.app.site();
    publish(
        &t,
        &["National", "North Korea"],
        "Cranes return",
        &["Border"],
        "2026-11-02T00:00:00Z",
        |_| {},
    )
    .await;
    for (path, title) in [
        ("/", site.name.as_str()),
        ("/national", "National"),
        ("/national/north-korea", "North Korea"),
        ("/tag/border", "Border"),
    ] {
        let page = t.page(path, StatusCode::OK).await;
        assert_eq!(one_meta(&page, "og:type"), "website", "{path}");
        assert_eq!(one_meta(&page, "og:title"), title, "{path}");
        let og_url = one_meta(&page, "og:url");
        assert_eq!(og_url, site.absolute(path), "{path}");
        assert_eq!(og_url, page.attr("link[rel=canonical]", "href"), "{path}");
        assert_eq!(one_meta(&page, "og:site_name"), site.name, "{path}");
        assert!(one_meta(&page, "og:image").starts_with("http://"), "{path}");
        assert!(json_ld(&page).is_empty(), "{path}");
    }
}
