//! The reader's dictionary over HTTP: `GET /api/v1/dictionary/{word}`.
//!
//! The dictionary never touches the store, so these run on SQLite only.

use crate::harness::TestApp;
use broadsheet_store::Backend;
use reqwest::StatusCode;
use serde_json::Value;

async fn get_json(t: &TestApp, path: &str, status: StatusCode) -> Value {
    let response = t.get(path).await;
    assert_eq!(response.status(), status, "GET {path}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "GET {path}: {content_type}"
    );
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

fn parts_of_speech(entry: &Value) -> Vec<(&str, &str)> {
    entry["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["part_of_speech"].as_str().unwrap(),
                e["lemma"].as_str().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inflected_word_answers_with_its_lemma() {
    let t = TestApp::new(Backend::Sqlite).await;
    let response = t.get("/api/v1/dictionary/soldiers").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "public, max-age=86400");
    let entry: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(entry["headword"], "soldier");
    assert_eq!(entry["lemma"], "soldier");
    assert_eq!(
        parts_of_speech(&entry),
        [("noun", "soldier"), ("verb", "soldier")]
    );
    let first = &entry["entries"][0]["definitions"][0];
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .contains("serves in an army"),
        "{first}"
    );

    let entry = get_json(&t, "/api/v1/dictionary/Killed", StatusCode::OK).await;
    assert_eq!(entry["lemma"], "kill");
    let entry = get_json(&t, "/api/v1/dictionary/elevated", StatusCode::OK).await;
    assert_eq!(entry["lemma"], "elevate");
    assert!(parts_of_speech(&entry).contains(&("adjective", "elevated")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phrases_are_found_whole_or_from_a_word_and_its_neighbours() {
    let t = TestApp::new(Backend::Sqlite).await;
    let entry = get_json(&t, "/api/v1/dictionary/North%20Korea", StatusCode::OK).await;
    assert_eq!(entry["headword"], "North Korea");
    assert_eq!(entry["lemma"], "north korea");
    let definition = entry["entries"][0]["definitions"][0]["text"]
        .as_str()
        .unwrap();
    assert!(definition.contains("communist country"), "{definition}");

    let path = "/api/v1/dictionary/Korea?prev=North&next=describes";
    let entry = get_json(&t, path, StatusCode::OK).await;
    assert_eq!(entry["headword"], "North Korea");
    // Without a phrase to make, the word alone.
    let path = "/api/v1/dictionary/Korea?prev=the&next=said";
    let entry = get_json(&t, path, StatusCode::OK).await;
    assert_eq!(entry["headword"], "Korea");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_words_are_a_json_404_naming_the_word() {
    let t = TestApp::new(Backend::Sqlite).await;
    let body = get_json(&t, "/api/v1/dictionary/blorfquizzle", StatusCode::NOT_FOUND).await;
    let error = &body["error"];
    assert_eq!(error["code"], "word_not_found");
    assert_eq!(error["word"], "blorfquizzle");
    assert!(error["message"].as_str().unwrap().contains("blorfquizzle"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_and_absurdly_long_words_are_a_json_400() {
    let t = TestApp::new(Backend::Sqlite).await;
    let long = "a".repeat(500);
    let body = get_json(
        &t,
        &format!("/api/v1/dictionary/{long}"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["error"]["code"], "word_too_long");
    for path in ["/api/v1/dictionary/", "/api/v1/dictionary/%20%20"] {
        let body = get_json(&t, path, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["error"]["code"], "empty_word", "{path}");
    }
}
