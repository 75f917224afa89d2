//! Search and related stories through the real app: the index follows the change feed, the
//! page and the API answer, and related stories are found by their words.

use crate::both_backends;
use crate::harness::{Page, TestApp};
use broadsheet_domain::{SourceInput, SourceKind, StoryId, StoryInput, StoryKind, StoryStatus};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

both_backends!(
    a_publish_edit_and_unpublish_show_in_search_within_a_second,
    the_search_page_highlights_filters_and_pages,
    korean_search_over_http,
    korean_search_over_http_with_the_dictionary,
    the_api_answers_json_and_names_bad_filters,
    related_stories_are_the_known_neighbours,
    a_corrupt_index_is_rebuilt_at_start_while_pages_serve,
    results_are_cached_until_the_index_changes,
);

fn input(
    section: broadsheet_domain::SectionId,
    headline: &str,
    body: &str,
    tags: &[&str],
    published: &str,
    language: &str,
) -> StoryInput {
    StoryInput {
        external_id: None,
        kind: StoryKind::Article,
        status: StoryStatus::Published,
        headline: headline.into(),
        deck: None,
        body: body.into(),
        section_id: section,
        language: language.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        sources: vec![SourceInput {
            name: "Harbour News Agency".into(),
            kind: SourceKind::Wire,
        }],
        lead_media: None,
        gallery: vec![],
        related_story_id: None,
        related_after: None,
        published_at: Some(published.parse().unwrap()),
        updated_at: None,
        link_refs: vec![],
    }
}

async fn section(t: &TestApp, path: &[&str]) -> broadsheet_domain::SectionId {
    let names: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    let id = t.app.store.ensure_section_path(&names, None).await.unwrap();
    t.app.reload_sections().await.unwrap();
    id
}

/// Wait until a search for `q` gives `expected` hits, as a reader refreshing would.
async fn until_hits(t: &TestApp, q: &str, expected: usize) -> Duration {
    let started = Instant::now();
    loop {
        let body = json(t.get(&format!("/api/v1/search?q={q}")).await).await;
        if body["total"] == expected {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "'{q}' never reached {expected} hits: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_publish_edit_and_unpublish_show_in_search_within_a_second(backend: Backend) {
    let t = TestApp::new(backend).await;
    let business = section(&t, &["Business"]).await;
    let saved = t
        .app
        .store
        .save_story(
            None,
            &input(
                business,
                "Lighthouse keepers retire",
                "The last keepers of the lighthouse handed over the keys.",
                &[],
                "2026-11-01T00:00:00Z",
                "en",
            ),
        )
        .await
        .unwrap();
    assert!(until_hits(&t, "lighthouse", 1).await < Duration::from_secs(1));
    let mut edited = input(
        business,
        "Lighthouse automated",
        "A machine now turns the lamp of the beacon.",
        &[],
        "2026-11-01T00:00:00Z",
        "en",
    );
    edited.updated_at = Some("2026-11-02T00:00:00Z".parse().unwrap());
    t.app
        .store
        .save_story(Some(saved.id), &edited)
        .await
        .unwrap();
    assert!(until_hits(&t, "beacon", 1).await < Duration::from_secs(1));
    until_hits(&t, "keepers", 0).await;
    edited.status = StoryStatus::Unpublished;
    t.app
        .store
        .save_story(Some(saved.id), &edited)
        .await
        .unwrap();
    assert!(until_hits(&t, "lighthouse", 0).await < Duration::from_secs(1));
}

async fn the_search_page_highlights_filters_and_pages(backend: Backend) {
    let t = TestApp::new(backend).await;
    let nk = section(&t, &["National", "North Korea"]).await;
    let business = section(&t, &["Business"]).await;
    for n in 0..23 {
        let s = if n % 2 == 0 { nk } else { business };
        t.app
            .store
            .save_story(
                None,
                &input(
                    s,
                    &format!("Ferry report {n:02}"),
                    &format!("Ferries carried {n} passengers between the islands."),
                    &["Ferries"],
                    &format!("2026-10-{:02}T03:00:00Z", n + 1),
                    "en",
                ),
            )
            .await
            .unwrap();
    }
    until_hits(&t, "ferry", 23).await;
    let page = t
        .page("/search?q=ferries&order=newest", StatusCode::OK)
        .await;
    assert_eq!(page.texts(".search-count"), ["23 stories for “ferries”"]);
    let results = page.all(".search-result");
    assert_eq!(results.len(), 20);
    assert_eq!(
        page.texts(".search-result .card-headline")[0],
        "Ferry report 22"
    );
    let highlighted = page.texts(".search-result .card-headline b");
    assert!(highlighted.iter().all(|h| h == "Ferry"), "{highlighted:?}");
    assert!(
        !page.all(".search-snippet b").is_empty(),
        "snippets highlight the match"
    );
    let next = page.attr(".pager a[rel=next]", "href");
    let second = t.page(&next, StatusCode::OK).await;
    assert_eq!(second.all(".search-result").len(), 3);
    // A section filter includes its subsections.
    let national = t
        .page("/search?q=ferry&section=national", StatusCode::OK)
        .await;
    assert_eq!(national.texts(".search-count"), ["12 stories for “ferry”"]);
    assert!(
        national
            .all("select[name=section] option[selected]")
            .iter()
            .any(|o| o.value().attr("value") == Some("national"))
    );
    // Date range, inclusive of both days, in the site's time zone.
    let range = t
        .page(
            "/search?q=ferry&from=2026-10-05&to=2026-10-07",
            StatusCode::OK,
        )
        .await;
    assert_eq!(range.texts(".search-count"), ["3 stories for “ferry”"]);
    let bad = t
        .page("/search?q=ferry&from=yesterday", StatusCode::BAD_REQUEST)
        .await;
    assert!(bad.0.html().contains("from must be a date"));
    let robots: Vec<String> = page
        .all("meta[name=robots]")
        .into_iter()
        .filter_map(|m| m.value().attr("content").map(str::to_string))
        .collect();
    assert_eq!(robots, ["noindex"]);
    let empty = t.page("/search", StatusCode::OK).await;
    assert!(
        empty.all(".search-count").is_empty(),
        "no results block before a search"
    );
    let nothing = t.page("/search?q=zeppelin", StatusCode::OK).await;
    assert_eq!(nothing.texts(".search-count"), ["0 stories for “zeppelin”"]);
}

async fn korean_search_over_http(backend: Backend) {
    let t = TestApp::new(backend).await;
    assert_eq!(t.app.search.korean_analysis(), "bigram");
    korean_search(&t).await;
}

/// The same with lindera, when `BROADSHEET_TEST_KO_DIC` names a dictionary built by
/// `broadsheet korean-dictionary` (`.ci/run` sets it): the app finds it in DATA_DIR/ko-dic.
async fn korean_search_over_http_with_the_dictionary(backend: Backend) {
    let Some(dictionary) = std::env::var_os("BROADSHEET_TEST_KO_DIC") else {
        eprintln!("SKIPPED: set BROADSHEET_TEST_KO_DIC to run Korean search with lindera");
        return;
    };
    let db = broadsheet_store::testing::TestDb::new(backend).await;
    let data = db.dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::os::unix::fs::symlink(&dictionary, data.join("ko-dic")).unwrap();
    let t = TestApp::on(db, false).await;
    assert_eq!(t.app.search.korean_analysis(), "lindera");
    korean_search(&t).await;
}

async fn korean_search(t: &TestApp) {
    let nk = section(t, &["National", "North Korea"]).await;
    t.app
        .store
        .save_story(
            None,
            &input(
                nk,
                "북한의 수출 다변화",
                "북한은 수출을 다변화하려는 계획을 내놓았다.",
                &["북한"],
                "2026-11-01T00:00:00Z",
                "ko",
            ),
        )
        .await
        .unwrap();
    t.app
        .store
        .save_story(
            None,
            &input(
                nk,
                "A border story in English",
                "Nothing Korean here.",
                &[],
                "2026-11-02T00:00:00Z",
                "en",
            ),
        )
        .await
        .unwrap();
    until_hits(t, "%EB%B6%81%ED%95%9C", 1).await; // 북한
    let page = t
        .page("/search?q=%EB%8B%A4%EB%B3%80%ED%99%94", StatusCode::OK)
        .await; // 다변화
    assert_eq!(
        page.texts(".search-result .card-headline"),
        ["북한의 수출 다변화"]
    );
    assert_eq!(page.attr(".search-result", "lang"), "ko");
}

async fn the_api_answers_json_and_names_bad_filters(backend: Backend) {
    let t = TestApp::new(backend).await;
    let culture = section(&t, &["Culture"]).await;
    t.app
        .store
        .save_story(
            None,
            &input(
                culture,
                "Lantern festival opens",
                "Lanterns float on the river.",
                &["Festivals"],
                "2026-11-01T00:00:00Z",
                "en",
            ),
        )
        .await
        .unwrap();
    until_hits(&t, "lantern", 1).await;
    let response = t.get("/api/v1/search?q=lanterns&tag=festivals").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(response).await;
    assert_eq!(body["total"], 1);
    let hit = &body["results"][0];
    assert_eq!(hit["headline"], "Lantern festival opens");
    assert!(
        hit["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1/culture/2026/11/01/lantern-festival-opens/")
    );
    assert!(
        hit["snippet_html"]
            .as_str()
            .unwrap()
            .contains("<b>Lanterns</b>")
    );
    assert_eq!(hit["published"], "2026-11-01T09:00:00+09:00");
    for (query, message) in [
        ("q=x&tag=nope", "there is no tag 'nope'"),
        ("q=x&section=nowhere", "there is no section 'nowhere'"),
        ("q=x&order=random", "order must be relevance or newest"),
        (
            "q=x&from=2026-11-05&to=2026-11-01",
            "from must not be later than to",
        ),
    ] {
        let response = t.get(&format!("/api/v1/search?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body = json(response).await;
        assert!(
            body["error"]["message"].as_str().unwrap().contains(message),
            "{query}: {body}"
        );
    }
    let long = "x".repeat(201);
    assert_eq!(
        t.get(&format!("/api/v1/search?q={long}")).await.status(),
        StatusCode::BAD_REQUEST
    );
}

/// Three clusters of stories about different things, no tags in common: each story's related
/// list must start with its own cluster, and a second copy of a story must not appear.
async fn related_stories_are_the_known_neighbours(backend: Backend) {
    let t = TestApp::new(backend).await;
    let news = section(&t, &["News"]).await;
    let clusters = [
        [
            (
                "Shipyard wins tanker order",
                "The shipyard in Geoje signed an order for four tankers; welders and cranes at the dry dock will work through winter.",
            ),
            (
                "Dry dock expansion approved",
                "Geoje approved a larger dry dock so the shipyard can build more tankers with bigger cranes.",
            ),
            (
                "Welders wanted at the shipyard",
                "The tanker boom leaves the Geoje shipyard short of welders for the dry dock.",
            ),
        ],
        [
            (
                "Kimchi prices climb",
                "Cabbage harvests fell after the heat, and kimchi makers pay more for cabbage and radish at market.",
            ),
            (
                "Cabbage farmers count losses",
                "A hot autumn cut the cabbage harvest; radish growers and kimchi makers feel it at market.",
            ),
            (
                "Radish glut eases kimchi costs",
                "Radish piles up at market while cabbage stays dear for kimchi makers this autumn.",
            ),
        ],
        [
            (
                "Orchestra tours the provinces",
                "The symphony orchestra brings violins, cellos and a conductor to concert halls in the provinces.",
            ),
            (
                "A new conductor for the symphony",
                "The orchestra named a conductor who will lead the symphony and its violins on tour.",
            ),
            (
                "Concert halls fill for the cellos",
                "Audiences packed concert halls to hear the orchestra's cellos and violins on its symphony tour.",
            ),
        ],
    ];
    let mut ids: Vec<Vec<StoryId>> = Vec::new();
    let mut day = 1;
    for cluster in &clusters {
        let mut cluster_ids = Vec::new();
        for (headline, body) in cluster {
            let story = input(
                news,
                headline,
                body,
                &[],
                &format!("2026-11-{day:02}T00:00:00Z"),
                "en",
            );
            cluster_ids.push(t.app.store.save_story(None, &story).await.unwrap().id);
            day += 1;
        }
        ids.push(cluster_ids);
    }
    // The same wire story again, under another id.
    let mut copy = input(
        news,
        "Shipyard wins tanker order",
        clusters[0][0].1,
        &[],
        "2026-11-20T00:00:00Z",
        "en",
    );
    copy.external_id = Some("wire:copy".into());
    let copy_id = t.app.store.save_story(None, &copy).await.unwrap().id;
    until_hits(&t, "orchestra", 3).await;
    for (c, cluster) in ids.iter().enumerate() {
        for id in cluster {
            let url = t
                .redirect(
                    &format!("/x/2000/01/01/x/{}", id.0),
                    StatusCode::MOVED_PERMANENTLY,
                )
                .await;
            let page = t.page(&url, StatusCode::OK).await;
            // The copy may stand in for its original, but never beside it or for itself.
            let original = ids[0][0].0;
            let related_raw = related_ids(&page);
            assert!(
                !(related_raw.contains(&original) && related_raw.contains(&copy_id.0)),
                "{related_raw:?}"
            );
            let related: Vec<i64> = related_raw
                .iter()
                .map(|r| if *r == copy_id.0 { original } else { *r })
                .collect();
            let neighbours: Vec<i64> = cluster.iter().filter(|n| *n != id).map(|n| n.0).collect();
            assert!(related.len() >= 2, "{url}: {related:?}");
            let mut top: Vec<i64> = related[..2].to_vec();
            top.sort();
            assert_eq!(
                top, neighbours,
                "cluster {c}, story {id}: related {related:?}"
            );
            if *id == ids[0][0] {
                assert!(
                    !related_raw.contains(&copy_id.0),
                    "a story's own copy is left out"
                );
            }
        }
    }
}

fn related_ids(page: &Page) -> Vec<i64> {
    page.all(".related-stories .card-headline a")
        .into_iter()
        .filter_map(|a| a.value().attr("href")?.rsplit('/').next()?.parse().ok())
        .collect()
}

async fn json(response: reqwest::Response) -> serde_json::Value {
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

async fn a_corrupt_index_is_rebuilt_at_start_while_pages_serve(backend: Backend) {
    let t = TestApp::new(backend).await;
    let culture = section(&t, &["Culture"]).await;
    let saved = t
        .app
        .store
        .save_story(
            None,
            &input(
                culture,
                "Potters fire the kiln",
                "The kiln burned for three days.",
                &[],
                "2026-11-01T00:00:00Z",
                "en",
            ),
        )
        .await
        .unwrap();
    until_hits(&t, "kiln", 1).await;
    let index_dir = t.app.config.search_dir();
    let db = t.stop();
    std::fs::write(index_dir.join("meta.json"), b"this is not an index").unwrap();

    let t = TestApp::on(db, true).await;
    assert_eq!(t.app.search_opened, broadsheet_search::Opened::Created);
    // Pages serve at once; search catches up as the rebuild runs.
    let url = t
        .redirect(
            &format!("/x/2000/01/01/x/{}", saved.id.0),
            StatusCode::MOVED_PERMANENTLY,
        )
        .await;
    t.page(&url, StatusCode::OK).await;
    until_hits(&t, "kiln", 1).await;
}

async fn results_are_cached_until_the_index_changes(backend: Backend) {
    let t = TestApp::new(backend).await;
    let business = section(&t, &["Business"]).await;
    let publish = |headline: &'static str, day: u32| {
        let store = t.app.store.clone();
        async move {
            let at = format!("2026-11-{day:02}T00:00:00Z");
            let story = input(
                business,
                headline,
                "Tide tables for the harbour.",
                &[],
                &at,
                "en",
            );
            store.save_story(None, &story).await.unwrap().id
        }
    };
    publish("Harbour pilots strike", 1).await;
    until_hits(&t, "harbour", 1).await;
    let cache_of = |response: &reqwest::Response| {
        response
            .headers()
            .get("x-cache")
            .map(|v| v.to_str().unwrap().to_string())
    };
    for path in ["/search?q=harbour", "/api/v1/search?q=harbour"] {
        let first = t.get(path).await;
        let again = t.get(path).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(
            cache_of(&again).as_deref(),
            Some("HIT"),
            "{path} the second time"
        );
        assert!(
            again.headers()["surrogate-key"]
                .to_str()
                .unwrap()
                .split(' ')
                .any(|k| k == "search"),
            "{path} names its key"
        );
        assert_eq!(first.text().await.unwrap(), again.text().await.unwrap());
    }
    // A refused search is answered each time, never kept.
    for _ in 0..2 {
        let bad = t.get("/api/v1/search?q=harbour&order=sideways").await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(cache_of(&bad), None);
    }
    // A publish purges the cached results once the index has it: the next search is fresh.
    let second = publish("Harbour dredging begins", 2).await;
    assert!(until_hits(&t, "harbour", 2).await < Duration::from_secs(1));
    let page = t
        .page("/search?q=harbour&order=newest", StatusCode::OK)
        .await;
    assert_eq!(page.texts(".search-count"), ["2 stories for “harbour”"]);
    let cached = t.page("/search?q=harbour", StatusCode::OK).await;
    assert_eq!(cached.texts(".search-count"), ["2 stories for “harbour”"]);
    // And so does an unpublish.
    let mut gone = input(
        business,
        "Harbour dredging begins",
        "Tide tables.",
        &[],
        "2026-11-02T00:00:00Z",
        "en",
    );
    gone.status = StoryStatus::Unpublished;
    gone.updated_at = Some("2026-11-03T00:00:00Z".parse().unwrap());
    t.app.store.save_story(Some(second), &gone).await.unwrap();
    assert!(until_hits(&t, "harbour", 1).await < Duration::from_secs(1));
    let after = t.page("/search?q=harbour", StatusCode::OK).await;
    assert_eq!(after.texts(".search-count"), ["1 story for “harbour”"]);
}
