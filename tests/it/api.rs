//! The newsroom's JSON API through the app, on both backends: tokens and scopes, stories
//! from draft to published to withdrawn, optimistic versioning, refusals that write nothing,
//! and ninjs. Lists are in `api_lists.rs`, the document against the route table in
//! `api_openapi.rs`. Every answer is checked against the document by `api_schema::Api`.

use crate::api_schema::Api;
use crate::both_backends;
use crate::harness::TestApp;
use broadsheet::services::api::tokens;
use broadsheet_domain::{Role, SectionId, User};
use broadsheet_store::{ApiScope, Backend};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

both_backends!(
    tokens_authenticate_and_scopes_limit,
    session_cookies_never_act_through_the_api,
    a_story_goes_from_draft_to_published_to_withdrawn,
    a_stale_update_is_a_conflict_and_writes_nothing,
    bad_bodies_are_refused_naming_the_field_and_write_nothing,
    a_story_as_ninjs_reads_back_through_our_parser,
);

/// An admin made through the store (as `broadsheet user add` does).
pub async fn admin(t: &TestApp, email: &str) -> User {
    broadsheet::services::accounts::register(
        &t.app.store,
        email,
        "Desk Admin",
        crate::harness::PASSWORD,
        Role::Admin,
    )
    .await
    .unwrap()
}

/// A token of `scope` for `user`, and a client using it.
pub async fn client(t: &TestApp, user: &User, scope: ApiScope) -> (Api, String) {
    let (_, secret) = tokens::make(&t.app.store, user, "test integration", scope)
        .await
        .unwrap();
    (Api::new(t, Some(&secret)).await, secret)
}

pub async fn section(t: &TestApp, names: &[&str]) -> SectionId {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let id = t.app.store.ensure_section_path(&names, None).await.unwrap();
    t.settle().await;
    id
}

/// The path of an absolute URL on the site (the tests' `base_url` has no port).
pub fn path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    after_scheme[after_scheme.find('/').unwrap_or(after_scheme.len())..].to_string()
}

pub fn draft(section: SectionId, headline: &str) -> Value {
    json!({
        "headline": headline,
        "body": "The first paragraph.\n\nThe second, with *emphasis*.",
        "section_id": section.0,
        "tags": ["Harbours", "Weather"],
    })
}

async fn tokens_authenticate_and_scopes_limit(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (reader, read_secret) = client(&t, &boss, ApiScope::Read).await;
    let (writer, _) = client(&t, &boss, ApiScope::Write).await;
    let nobody = reader.with_token(None);

    // No token: 401 with a Bearer challenge.
    let answer = nobody.get("/api/v1/stories").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), "unauthorized");
    assert!(
        answer.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer ")
    );
    // A token the site never made, and a malformed header.
    for bad in ["bsk_0000", &format!("bsk_{}", "ab".repeat(32)), "letmein"] {
        let answer = reader.with_token(Some(bad)).get("/api/v1/stories").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(answer.code(), "invalid_token");
        assert!(
            answer.headers["www-authenticate"]
                .to_str()
                .unwrap()
                .contains("error=\"invalid_token\"")
        );
    }
    let basic = nobody
        .send(
            Method::GET,
            "/api/v1/stories",
            nobody
                .request(Method::GET, "/api/v1/stories")
                .header("authorization", format!("Basic {read_secret}")),
        )
        .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);

    // A read token reads, and may not write; nothing is written.
    assert_eq!(reader.get("/api/v1/stories").await.status, StatusCode::OK);
    let refused = reader
        .post("/api/v1/stories", &draft(national, "Ferry returns"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "insufficient_scope");
    assert!(
        refused.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("insufficient_scope")
    );
    assert_eq!(t.app.store.story_count().await.unwrap(), 0);
    // A write token also reads.
    let made = writer
        .post("/api/v1/stories", &draft(national, "Ferry returns"))
        .await;
    assert_eq!(made.status, StatusCode::CREATED);
    assert_eq!(writer.get("/api/v1/sections").await.status, StatusCode::OK);

    // Use is recorded; only hashes are stored.
    let listed = t.app.store.api_tokens().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|t| t.last_used_at.is_some()));

    // Revoked: 401 from then on.
    let read_id = listed
        .iter()
        .find(|t| t.scope == ApiScope::Read)
        .unwrap()
        .id;
    t.app.store.revoke_api_token(read_id, None).await.unwrap();
    let answer = reader.get("/api/v1/stories").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), "invalid_token");

    // An admin who is one no longer: their tokens stop working.
    t.app.store.set_role(boss.id, Role::Editor).await.unwrap();
    let answer = writer.get("/api/v1/stories").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), "forbidden");
    // Only admins make tokens.
    let editor = t.app.store.user(boss.id).await.unwrap().unwrap();
    assert!(
        tokens::make(&t.app.store, &editor, "x", ApiScope::Read)
            .await
            .is_err()
    );
}

async fn session_cookies_never_act_through_the_api(backend: Backend) {
    let t = TestApp::new(backend).await;
    let national = section(&t, &["National"]).await;
    // An editor signed in with a cookie, who has a CSRF token from a newsroom page.
    let editor = t.staff("editor@example.kr", Role::Editor).await;
    let page = editor.page("/newsroom/stories/new", StatusCode::OK).await;
    let csrf = page.attr("input[name=csrf]", "value");
    let response = editor
        .client
        .post(format!("{}/api/v1/stories", editor.base()))
        .header("x-csrf-token", csrf)
        .header("content-type", "application/json")
        .body(draft(national, "Cookie story").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let response = editor.get("/api/v1/stories").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(t.app.store.story_count().await.unwrap(), 0);
    // Elsewhere a bearer header does not stand in for the CSRF token.
    let boss = admin(&t, "boss@example.kr").await;
    let (_, secret) = client(&t, &boss, ApiScope::Write).await;
    let response = editor
        .client
        .post(format!("{}/newsroom/stories", editor.base()))
        .bearer_auth(secret)
        .form(&[
            ("headline", "Forged"),
            ("body", "x"),
            ("section", &national.0.to_string()),
            ("language", "en"),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.app.store.story_count().await.unwrap(), 0);
}

async fn a_story_goes_from_draft_to_published_to_withdrawn(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;

    let mut body = draft(national, "Ferry returns to the islands");
    body["deck"] = json!("Service resumes after the storm");
    body["sources"] = json!([{ "name": "Kim Min-ji", "kind": "staff" }]);
    let made = api.post("/api/v1/stories", &body).await;
    assert_eq!(made.status, StatusCode::CREATED);
    let story = &made.json;
    let id = story["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/stories/{id}").as_str()
    );
    assert_eq!(story["status"], "draft");
    assert_eq!(story["revision"], 1);
    assert_eq!(made.headers["etag"], "\"1\"");
    assert_eq!(story["section"]["path"], "national");
    assert_eq!(story["url"], Value::Null);
    assert_eq!(story["language"], "en");
    assert_eq!(
        story["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["harbours", "weather"]
    );
    assert!(
        story["body_html"]
            .as_str()
            .unwrap()
            .contains("<em>emphasis</em>")
    );
    // A draft is not on the site.
    assert_eq!(
        t.get(&format!("/national/2026/01/01/x/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Edit from revision 1.
    let mut edit = body.clone();
    edit["headline"] = json!("Ferry returns to the outer islands");
    edit["revision"] = json!(1);
    let edited = api.put(&format!("/api/v1/stories/{id}"), &edit).await;
    assert_eq!(edited.status, StatusCode::OK);
    assert_eq!(edited.json["revision"], 2);
    assert_eq!(
        edited.json["headline"],
        "Ferry returns to the outer islands"
    );

    // Publish now: on the site at its URL.
    let published = api
        .post(&format!("/api/v1/stories/{id}/publish"), &json!({}))
        .await;
    assert_eq!(published.status, StatusCode::OK);
    assert_eq!(published.json["status"], "published");
    let path = path_of(published.json["url"].as_str().unwrap());
    t.settle().await;
    let page = t.page(&path, StatusCode::OK).await;
    assert_eq!(page.texts("h1"), ["Ferry returns to the outer islands"]);
    // Publishing twice is refused, naming the state.
    let again = api
        .post(&format!("/api/v1/stories/{id}/publish"), &json!({}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "invalid_transition");

    // Unpublish: readers are told it is gone.
    let withdrawn = api
        .post(&format!("/api/v1/stories/{id}/unpublish"), &json!({}))
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK);
    assert_eq!(withdrawn.json["status"], "unpublished");
    t.settle().await;
    assert_eq!(t.get(&path).await.status(), StatusCode::GONE);
    let again = api
        .post(&format!("/api/v1/stories/{id}/unpublish"), &json!({}))
        .await;
    assert_eq!(again.code(), "invalid_transition");

    // Every change is a revision by the token's admin, and the state changes are audited.
    let story_id = broadsheet_domain::StoryId(id);
    let revisions = t.app.store.revisions(story_id).await.unwrap();
    assert_eq!(revisions.len(), 4);
    assert!(
        revisions
            .iter()
            .all(|r| r.author.as_deref() == Some("Desk Admin"))
    );
    let audit: Vec<(String, Option<String>)> = t
        .app
        .store
        .audit_entries(20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.story_id == Some(story_id))
        .map(|e| (e.action, e.user))
        .collect();
    let admin_name = Some("Desk Admin".to_string());
    assert_eq!(
        audit,
        [
            ("unpublished".to_string(), admin_name.clone()),
            ("published".to_string(), admin_name.clone()),
            ("created".to_string(), admin_name.clone()),
        ]
    );

    // Schedule a second story for later: scheduled, embargoed, published at its time.
    let second = api
        .post(
            "/api/v1/stories",
            &draft(national, "Tide tables for the week"),
        )
        .await;
    let second_id = second.json["id"].as_i64().unwrap();
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
    let scheduled = api
        .post(
            &format!("/api/v1/stories/{second_id}/publish"),
            &json!({ "at": at.to_string(), "revision": 1 }),
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::OK);
    assert_eq!(scheduled.json["status"], "scheduled");
    let ninjs = api.get(&format!("/api/v1/stories/{second_id}/ninjs")).await;
    assert_eq!(ninjs.json["pubstatus"], "withheld");
    assert!(
        ninjs.json["embargoed"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
            >= at - jiff::SignedDuration::from_secs(1)
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = api.get(&format!("/api/v1/stories/{second_id}")).await;
        if now.json["status"] == "published" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduled story never went live"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A time that has passed is refused.
    let third = api
        .post("/api/v1/stories", &draft(national, "Late notice"))
        .await;
    let third_id = third.json["id"].as_i64().unwrap();
    let past = api
        .post(
            &format!("/api/v1/stories/{third_id}/publish"),
            &json!({ "at": "2020-01-01T00:00:00Z" }),
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past.field(), "at");
    // A scheduled story may be given another time; then published at once.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2);
    let path = format!("/api/v1/stories/{third_id}/publish");
    let first = api
        .post(
            &path,
            &json!({ "at": (later - jiff::SignedDuration::from_hours(1)).to_string() }),
        )
        .await;
    assert_eq!(first.json["status"], "scheduled");
    let moved = api.post(&path, &json!({ "at": later.to_string() })).await;
    assert_eq!(moved.status, StatusCode::OK);
    assert_eq!(
        moved.json["published_at"],
        jiff::Timestamp::from_microsecond(later.as_microsecond())
            .unwrap()
            .to_string()
    );
    // Publish with an empty body (no content type at all) works too.
    let bare = api
        .send(
            Method::POST,
            &format!("/api/v1/stories/{third_id}/publish"),
            api.request(Method::POST, &format!("/api/v1/stories/{third_id}/publish")),
        )
        .await;
    assert_eq!(bare.status, StatusCode::OK);
    assert_eq!(bare.json["status"], "published");
}

async fn a_stale_update_is_a_conflict_and_writes_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let made = api
        .post("/api/v1/stories", &draft(national, "Harbour plan"))
        .await;
    let id = made.json["id"].as_i64().unwrap();
    // Someone else saves first, in the newsroom.
    let mut first = draft(national, "Harbour plan, revised by the desk");
    first["revision"] = json!(1);
    assert_eq!(
        api.put(&format!("/api/v1/stories/{id}"), &first)
            .await
            .status,
        StatusCode::OK
    );
    // A change made from revision 1 is now stale.
    let mut stale = draft(national, "Harbour plan, from an old copy");
    stale["revision"] = json!(1);
    let answer = api.put(&format!("/api/v1/stories/{id}"), &stale).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(answer.code(), "conflict");
    assert_eq!(answer.json["error"]["current_revision"], 2);
    let now = api.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(now.json["revision"], 2);
    assert_eq!(now.json["headline"], "Harbour plan, revised by the desk");
    // A stale revision on publish is refused too.
    let answer = api
        .post(
            &format!("/api/v1/stories/{id}/publish"),
            &json!({ "revision": 1 }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(
        api.get(&format!("/api/v1/stories/{id}")).await.json["status"],
        "draft"
    );
    // The ETag of a GET does as well as `revision`: stale, then current.
    let etag = now.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, "\"2\"");
    let path = format!("/api/v1/stories/{id}");
    let put = |tag: &'static str, headline: &str| {
        let request = crate::api_schema::json_body(
            api.request(Method::PUT, &path),
            &draft(national, headline),
        )
        .header("if-match", tag);
        api.send(Method::PUT, &path, request)
    };
    let answer = put("\"1\"", "From an old tab").await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::CONFLICT, "conflict")
    );
    let answer = put("\"2\"", "Harbour plan, final").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["revision"], 3);
    let answer = put("yesterday", "Nonsense").await;
    assert_eq!(
        (answer.status, answer.field()),
        (StatusCode::BAD_REQUEST, "If-Match")
    );
    // Without a revision, a PUT is refused: it must say what it was based on.
    let answer = api
        .put(
            &format!("/api/v1/stories/{id}"),
            &draft(national, "No base"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.field(), "revision");
    assert_eq!(
        t.app
            .store
            .revisions(broadsheet_domain::StoryId(id))
            .await
            .unwrap()
            .len(),
        3
    );
}

async fn bad_bodies_are_refused_naming_the_field_and_write_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let good = draft(national, "A good headline");
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let cases = [
        (without("headline"), "headline"),
        (with("headline", json!("   ")), "headline"),
        (with("headline", json!("x".repeat(301))), "headline"),
        (with("headline", json!("two\nlines")), "headline"),
        (with("body", json!("")), "body"),
        (with("deck", json!("d".repeat(601))), "deck"),
        (with("section_id", json!(9999)), "section_id"),
        (with("section_id", json!("national")), "section_id"),
        (
            with("sources", json!([{ "name": "Yonhap" }])),
            "sources[0].kind",
        ),
        (with("language", json!("English")), "language"),
        (with("tags", json!(vec!["t"; 31])), "tags"),
        (with("kind", json!("video")), "kind"),
        (with("kind", json!("gallery")), "gallery"),
        (with("lead_media_id", json!(77)), "lead_media_id"),
        (with("gallery", json!([77])), "gallery"),
        (
            with("sources", json!([{ "name": "Yonhap", "kind": "agency" }])),
            "sources",
        ),
        (with("revision", json!(3)), "revision"),
        (with("headine", json!("typo")), "headine"),
    ];
    for (body, field) in cases {
        let answer = api.post("/api/v1/stories", &body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.json
        );
        assert_eq!(answer.field(), field, "{}", answer.json);
        assert!(!answer.json["error"]["message"].as_str().unwrap().is_empty());
    }
    // Not JSON, not declared as JSON, too large.
    let garbled = api
        .send(
            Method::POST,
            "/api/v1/stories",
            api.request(Method::POST, "/api/v1/stories")
                .header("content-type", "application/json")
                .body("{\"headline\": "),
        )
        .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
    assert_eq!(garbled.code(), "invalid_json");
    let form = api
        .send(
            Method::POST,
            "/api/v1/stories",
            api.request(Method::POST, "/api/v1/stories")
                .header("content-type", "application/x-www-form-urlencoded")
                .body("headline=x"),
        )
        .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = with("body", json!("word ".repeat(300_000)));
    let answer = api.post("/api/v1/stories", &huge).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.code(), "too_large");
    // A duplicate external id is a conflict, not an overwrite.
    let first = api
        .post("/api/v1/stories", &with("external_id", json!("cms:1")))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = api
        .post("/api/v1/stories", &with("external_id", json!("cms:1")))
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    // Only the first story was written.
    assert_eq!(t.app.store.story_count().await.unwrap(), 1);
    let id = first.json["id"].as_i64().unwrap();
    assert_eq!(
        api.get(&format!("/api/v1/stories/{id}")).await.json["revision"],
        1
    );
    // Missing stories and nonsense ids are 404.
    for path in [
        "/api/v1/stories/424242",
        "/api/v1/stories/abc",
        "/api/v1/stories/-1",
    ] {
        let answer = api.get(path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answer.code(), "not_found");
    }
}

async fn a_story_as_ninjs_reads_back_through_our_parser(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let national = section(&t, &["National"]).await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let photo = crate::api_media::upload(
        &api,
        crate::media_library::fixtures::jpeg_with_exif_gps(1500, 1000),
        "Boats at dawn",
        "Kim Min-ji",
        "Boats moored at a pier",
    )
    .await;
    assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.json);
    let photo_id = photo.json["id"].as_i64().unwrap();
    let mut body = draft(national, "Ferry returns to the islands");
    body["deck"] = json!("Service resumes after the storm");
    body["body"] = json!("The ferry *returned* on Monday.\n\nIslanders cheered.");
    body["sources"] = json!([{ "name": "Kim Min-ji", "kind": "staff" }, { "name": "Hanbit Wire", "kind": "wire" }]);
    body["lead_media_id"] = json!(photo_id);
    let id = api.post("/api/v1/stories", &body).await.json["id"]
        .as_i64()
        .unwrap();
    let published = api
        .post(&format!("/api/v1/stories/{id}/publish"), &json!({}))
        .await;
    let story = api.get(&format!("/api/v1/stories/{id}")).await.json;
    assert_eq!(story["lead_media"]["id"], photo_id);
    // 1500 pixels wide: the 640 and 1280 sizes, in WebP and JPEG.
    assert_eq!(story["lead_media"]["variants"].as_array().unwrap().len(), 4);

    let answer = api.get(&format!("/api/v1/stories/{id}/ninjs")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let doc = &answer.json;
    assert_eq!(doc["type"], "text");
    assert_eq!(doc["pubstatus"], "usable");
    assert_eq!(
        doc["version"],
        published.json["revision"].as_i64().unwrap().to_string()
    );
    assert_eq!(doc["webpage"], published.json["url"]);
    assert_eq!(doc["by"], "Kim Min-ji");
    let headlines: Vec<(&str, &str)> = doc["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["role"].as_str().unwrap(), h["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        headlines,
        [
            ("main", "Ferry returns to the islands"),
            ("subheadline", "Service resumes after the storm")
        ]
    );
    let renditions = doc["associations"][0]["renditions"].as_array().unwrap();
    assert_eq!(renditions.len(), 5, "the original and four resized copies");
    for rendition in renditions {
        let href = rendition["href"].as_str().unwrap();
        let response = t.get(&path_of(href)).await;
        assert_eq!(response.status(), StatusCode::OK, "{href}");
        assert_eq!(
            response.headers()["content-type"],
            rendition["contenttype"].as_str().unwrap()
        );
    }

    // Our own ninjs reader takes it back as the same story.
    let batch = broadsheet_domain::wire::parse_ninjs(&doc.to_string()).unwrap();
    assert!(batch.problems.is_empty(), "{:?}", batch.problems);
    let item = &batch.items[0];
    assert_eq!(
        item.guid,
        format!("{}/api/v1/stories/{id}", t.app.config.base_url)
    );
    assert_eq!(item.version.as_deref(), doc["version"].as_str());
    assert_eq!(item.headline, "Ferry returns to the islands");
    assert_eq!(
        item.deck.as_deref(),
        Some("Service resumes after the storm")
    );
    assert_eq!(
        item.body,
        "The ferry *returned* on Monday.\n\nIslanders cheered."
    );
    assert_eq!(item.language.as_deref(), Some("en"));
    assert_eq!(item.subjects, ["Harbours", "Weather"]);
    assert_eq!(item.byline.as_deref(), Some("Kim Min-ji"));
    assert_eq!(item.source.as_deref(), Some(t.app.site().name.as_str()));
    assert_eq!(
        item.published_at.map(|t| t.to_string()),
        published.json["published_at"].as_str().map(str::to_string)
    );
    let image = item.lead_image.as_ref().unwrap();
    assert_eq!(image.caption.as_deref(), Some("Boats at dawn"));
    assert_eq!(image.alt.as_deref(), Some("Boats moored at a pier"));
    assert_eq!(image.credit.as_deref(), Some("Kim Min-ji"));
    assert_eq!(
        image.href,
        renditions
            .iter()
            .max_by_key(|r| r["width"].as_i64())
            .unwrap()["href"]
            .as_str()
            .unwrap()
    );

    // Withdrawn, it says so.
    api.post(&format!("/api/v1/stories/{id}/unpublish"), &json!({}))
        .await;
    assert_eq!(
        api.get(&format!("/api/v1/stories/{id}/ninjs")).await.json["pubstatus"],
        "canceled"
    );
}
