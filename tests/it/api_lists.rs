//! The API's lists on both backends: cursor pages that hold still while stories arrive,
//! filters, refused cursors, sections and tags.

use crate::api::{admin, client, draft, section};
use crate::api_schema::Api;
use crate::both_backends;
use crate::harness::TestApp;
use broadsheet_domain::{SectionId, SourceInput, SourceKind, StoryStatus};
use broadsheet_store::{ApiScope, Backend};
use reqwest::StatusCode;
use serde_json::Value;

both_backends!(
    pages_hold_still_while_stories_arrive,
    filters_choose_the_stories,
    forged_and_foreign_cursors_are_refused,
    sections_and_tags,
);

/// `count` published stories in `section`, an hour apart, the newest first in time.
async fn publish_many(
    t: &TestApp,
    section: SectionId,
    prefix: &str,
    count: usize,
    newest: jiff::Timestamp,
) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..count {
        let mut input = crate::reader_input(section, &format!("{prefix} {i}"), &[]);
        input.published_at = Some(newest - jiff::SignedDuration::from_hours(i as i64));
        ids.push(t.app.store.save_story(None, &input).await.unwrap().id.0);
    }
    ids
}

async fn all_pages(api: &Api, first: &str, pages: &mut usize) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(cursor) => format!(
                "{first}&cursor={}",
                percent_encoding::utf8_percent_encode(cursor, percent_encoding::NON_ALPHANUMERIC)
            ),
            None => first.to_string(),
        };
        let page = api.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.json);
        *pages += 1;
        ids.extend(
            page.json["stories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap()),
        );
        match page.json["next_cursor"].as_str() {
            Some(cursor) => next = Some(cursor.to_string()),
            None => return ids,
        }
    }
}

async fn pages_hold_still_while_stories_arrive(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Read).await;
    let noon: jiff::Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
    // Newest first: ids in the order the list must give them.
    let expected = publish_many(&t, national, "Archive", 25, noon).await;

    let first = api.get("/api/v1/stories?limit=10").await;
    let ids: Vec<i64> = first.json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, expected[..10]);
    let cursor = first.json["next_cursor"].as_str().unwrap().to_string();
    // New stories arrive, newer than everything, before the next page is read.
    let arrived = publish_many(
        &t,
        national,
        "Breaking",
        3,
        noon + jiff::SignedDuration::from_hours(5),
    )
    .await;
    let mut seen = ids.clone();
    let mut next = Some(cursor);
    while let Some(cursor) = next {
        let page = api
            .get(&format!("/api/v1/stories?limit=10&cursor={cursor}"))
            .await;
        seen.extend(
            page.json["stories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_i64().unwrap()),
        );
        next = page.json["next_cursor"].as_str().map(str::to_string);
    }
    assert_eq!(seen, expected, "no story repeated or skipped");
    // A fresh walk sees the new ones first, then all the rest, in pages of at most 10.
    let mut pages = 0;
    let fresh = all_pages(&api, "/api/v1/stories?limit=10", &mut pages).await;
    assert_eq!(fresh, [arrived.clone(), expected.clone()].concat());
    assert_eq!(pages, 3);
    // Stories published at the same moment (an import) page by id, none lost at the seams.
    let tied = publish_many(
        &t,
        national,
        "Tied",
        1,
        noon - jiff::SignedDuration::from_hours(100),
    )
    .await;
    let mut same = tied.clone();
    for i in 0..4 {
        let mut input = crate::reader_input(national, &format!("Tied {i}b"), &[]);
        input.published_at = Some(noon - jiff::SignedDuration::from_hours(100));
        same.push(t.app.store.save_story(None, &input).await.unwrap().id.0);
    }
    same.sort_unstable_by(|a, b| b.cmp(a));
    let mut pages = 0;
    let until = (noon - jiff::SignedDuration::from_hours(99)).to_string();
    let walked = all_pages(
        &api,
        &format!("/api/v1/stories?limit=2&published_until={until}"),
        &mut pages,
    )
    .await;
    assert_eq!(walked, same);
    assert_eq!(pages, 3);
    // Limits outside 1..=100 are refused, naming the parameter.
    for limit in ["0", "101", "ten"] {
        let answer = api.get(&format!("/api/v1/stories?limit={limit}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.field(), "limit");
    }
    let answer = api.get("/api/v1/stories?limit=100").await;
    assert_eq!(answer.json["stories"].as_array().unwrap().len(), 33);
    assert_eq!(answer.json["next_cursor"], Value::Null);
}

async fn filters_choose_the_stories(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let north_korea = section(&t, &["National", "North Korea"]).await;
    let business = section(&t, &["Business"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let mut wire = crate::reader_input(north_korea, "Talks resume", &["Diplomacy"]);
    wire.sources = vec![SourceInput {
        name: "Yonhap".into(),
        kind: SourceKind::Wire,
    }];
    wire.published_at = Some("2026-11-10T00:00:00Z".parse().unwrap());
    let wire_id = t.app.store.save_story(None, &wire).await.unwrap().id.0;
    let mut market = crate::reader_input(business, "Markets rally", &["Markets"]);
    market.published_at = Some("2026-11-12T00:00:00Z".parse().unwrap());
    let market_id = t.app.store.save_story(None, &market).await.unwrap().id.0;
    let draft_id = api
        .post("/api/v1/stories", &draft(business, "Budget draft"))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    t.settle().await;

    let ids = |answer: &crate::api_schema::Answer| -> Vec<i64> {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        answer.json["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(&api.get("/api/v1/stories").await),
        [draft_id, market_id, wire_id]
    );
    assert_eq!(
        ids(&api.get("/api/v1/stories?status=draft").await),
        [draft_id]
    );
    assert_eq!(
        ids(&api.get("/api/v1/stories?status=published").await),
        [market_id, wire_id]
    );
    // A section by path or id takes in its subsections.
    assert_eq!(
        ids(&api.get("/api/v1/stories?section=national").await),
        [wire_id]
    );
    assert_eq!(
        ids(&api
            .get("/api/v1/stories?section=national/north-korea")
            .await),
        [wire_id]
    );
    assert_eq!(
        ids(&api
            .get(&format!("/api/v1/stories?section={}", business.0))
            .await),
        [draft_id, market_id]
    );
    assert_eq!(
        ids(&api.get("/api/v1/stories?tag=markets").await),
        [market_id]
    );
    assert_eq!(
        ids(&api.get("/api/v1/stories?source=yonhap").await),
        [wire_id]
    );
    assert_eq!(
        ids(&api
            .get("/api/v1/stories?published_since=2026-11-11T00:00:00%2B09:00")
            .await),
        [market_id]
    );
    assert_eq!(
        ids(&api
            .get("/api/v1/stories?published_until=2026-11-11T00:00:00Z")
            .await),
        [wire_id]
    );
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(60);
    assert_eq!(
        ids(&api
            .get(&format!("/api/v1/stories?updated_since={}", later))
            .await),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(&api
            .get("/api/v1/stories?updated_until=2000-01-01T00:00:00Z")
            .await),
        Vec::<i64>::new()
    );
    // Filters that cannot be used are named.
    for (query, field) in [
        ("status=live", "status"),
        ("section=sports", "section"),
        ("tag=nothing", "tag"),
        ("source=nobody", "source"),
        ("updated_since=yesterday", "updated_since"),
        ("colour=red", "colour"),
    ] {
        let answer = api.get(&format!("/api/v1/stories?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer.code(), "invalid_parameter");
        assert_eq!(answer.field(), field, "{query}");
    }
    let _ = StoryStatus::Draft;
}

async fn forged_and_foreign_cursors_are_refused(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Read).await;
    publish_many(
        &t,
        national,
        "Story",
        5,
        "2026-11-20T12:00:00Z".parse().unwrap(),
    )
    .await;
    let first = api.get("/api/v1/stories?limit=2").await;
    let cursor = first.json["next_cursor"].as_str().unwrap().to_string();
    // Change one character of the position: the signature no longer fits.
    let mut chars: Vec<char> = cursor.chars().collect();
    chars[3] = if chars[3] == 'A' { 'B' } else { 'A' };
    let altered: String = chars.into_iter().collect();
    for bad in [altered.as_str(), "garbage", "e30.AAAA"] {
        let answer = api
            .get(&format!("/api/v1/stories?limit=2&cursor={bad}"))
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(answer.code(), "invalid_cursor");
        assert_eq!(answer.field(), "cursor");
    }
    // A genuine cursor used with other filters, or on another list.
    let answer = api
        .get(&format!(
            "/api/v1/stories?limit=2&status=draft&cursor={cursor}"
        ))
        .await;
    assert_eq!(answer.code(), "invalid_cursor");
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("other filters")
    );
    let answer = api.get(&format!("/api/v1/media?cursor={cursor}")).await;
    assert_eq!(answer.code(), "invalid_cursor");
    // The genuine one still works, with another page size too.
    let answer = api
        .get(&format!("/api/v1/stories?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(answer.json["stories"].as_array().unwrap().len(), 2);
    let answer = api
        .get(&format!("/api/v1/stories?limit=3&cursor={cursor}"))
        .await;
    assert_eq!(answer.json["stories"].as_array().unwrap().len(), 3);
    assert_eq!(answer.json["next_cursor"], Value::Null);
}

async fn sections_and_tags(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let north_korea = section(&t, &["National", "North Korea"]).await;
    section(&t, &["Business"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Read).await;
    let tree = api.get("/api/v1/sections").await;
    assert_eq!(tree.status, StatusCode::OK);
    let top: Vec<&str> = tree.json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["national", "business"]);
    let child = &tree.json["sections"][0]["children"][0];
    assert_eq!(
        (
            child["id"].as_i64().unwrap(),
            child["path"].as_str().unwrap()
        ),
        (north_korea.0, "national/north-korea")
    );

    let names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];
    t.app
        .store
        .save_story(None, &crate::reader_input(north_korea, "Tagged", &names))
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut path = "/api/v1/tags?limit=2".to_string();
    loop {
        let page = api.get(&path).await;
        for tag in page.json["tags"].as_array().unwrap() {
            assert_eq!(tag["stories"], 1);
            seen.push(tag["name"].as_str().unwrap().to_string());
        }
        match page.json["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/tags?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, names);
}
