//! The media library through the API: uploads with the library's checks (refusals store
//! nothing), the list with its cursor, and one image.

use crate::api::{admin, client};
use crate::api_schema::{Answer, Api};
use crate::both_backends;
use crate::harness::TestApp;
use crate::media_library::fixtures;
use broadsheet_store::{ApiScope, Backend};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};

both_backends!(
    an_upload_is_cleaned_sized_and_listed,
    refused_uploads_store_nothing,
    oversized_uploads_are_413,
);

/// Upload `bytes` as `photo.jpg` with the words.
pub async fn upload(api: &Api, bytes: Vec<u8>, caption: &str, credit: &str, alt: &str) -> Answer {
    let file = Part::bytes(bytes)
        .file_name("photo.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let form = Form::new()
        .part("file", file)
        .text("caption", caption.to_string())
        .text("credit", credit.to_string())
        .text("alt", alt.to_string());
    // A refusal before the body is read ends the connection (see media_library.rs).
    let request = api
        .request(Method::POST, "/api/v1/media")
        .header("connection", "close")
        .multipart(form);
    api.send(Method::POST, "/api/v1/media", request).await
}

fn media_files(t: &TestApp) -> usize {
    std::fs::read_dir(t.app.media.dir())
        .map(|entries| entries.count())
        .unwrap_or(0)
}

async fn assert_nothing_stored(t: &TestApp) {
    assert!(
        t.app.store.library(10).await.unwrap().is_empty(),
        "a media row"
    );
    assert_eq!(media_files(t), 0, "a file in the media folder");
}

async fn an_upload_is_cleaned_sized_and_listed(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let photo = fixtures::jpeg_with_exif_gps(2000, 1200);
    assert!(fixtures::contains(&photo, b"GPS"));
    let made = upload(
        &api,
        photo,
        "Boats at dawn",
        "Kim Min-ji",
        "Boats at a pier",
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json);
    let id = made.json["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/media/{id}").as_str()
    );
    assert_eq!(
        (made.json["width"].as_i64(), made.json["height"].as_i64()),
        (Some(2000), Some(1200))
    );
    let widths: Vec<(i64, &str)> = made.json["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["width"].as_i64().unwrap(), v["format"].as_str().unwrap()))
        .collect();
    assert_eq!(
        widths,
        [
            (640, "jpeg"),
            (640, "webp"),
            (1280, "jpeg"),
            (1280, "webp"),
            (1920, "jpeg"),
            (1920, "webp")
        ]
    );
    // What is served holds none of the EXIF.
    let url = made.json["url"].as_str().unwrap();
    let served = t
        .get(&crate::api::path_of(url))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(!fixtures::contains(&served, b"GPS"));
    // The upload is the token's admin's.
    let items = t.app.store.library(10).await.unwrap();
    assert_eq!(items[0].uploaded_by, Some(boss.id));

    // One image, and the list in pages.
    let one = api.get(&format!("/api/v1/media/{id}")).await;
    assert_eq!(one.json["alt"], "Boats at a pier");
    assert_eq!(
        api.get("/api/v1/media/999").await.status,
        StatusCode::NOT_FOUND
    );
    let second = upload(
        &api,
        fixtures::jpeg_with_exif_gps(700, 500),
        "Nets",
        "",
        "Nets drying",
    )
    .await;
    let second_id = second.json["id"].as_i64().unwrap();
    assert_eq!(second.json["credit"], serde_json::Value::Null);
    let first_page = api.get("/api/v1/media?limit=1").await;
    assert_eq!(first_page.json["media"][0]["id"], second_id);
    let cursor = first_page.json["next_cursor"].as_str().unwrap();
    let next = api
        .get(&format!("/api/v1/media?limit=1&cursor={cursor}"))
        .await;
    assert_eq!(next.json["media"][0]["id"], id);
    assert_eq!(next.json["next_cursor"], serde_json::Value::Null);
    // A read token may not upload; nothing is stored.
    let (reader, _) = client(&t, &boss, ApiScope::Read).await;
    let refused = upload(
        &reader,
        fixtures::jpeg_with_exif_gps(300, 200),
        "C",
        "",
        "A",
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(t.app.store.library(10).await.unwrap().len(), 2);
}

async fn refused_uploads_store_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let good = fixtures::jpeg_with_exif_gps(800, 600);
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    // PNG magic bytes, then nothing a decoder can read, sent as photo.jpg.
    let disguised = [&b"\x89PNG\r\n\x1a\n"[..], &[0x5A; 4096]].concat();
    let cases = [
        (
            pdf,
            "A caption",
            "Alt text",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_file",
            "file",
            "not a JPEG, PNG or WebP image",
        ),
        (
            disguised,
            "A caption",
            "Alt text",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_file",
            "file",
            "claims to be a PNG image but cannot be read",
        ),
        (
            good.clone(),
            "A caption",
            "  ",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            "alt",
            "alt text",
        ),
        (
            good,
            "",
            "Alt text",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            "caption",
            "caption",
        ),
        (
            Vec::new(),
            "A caption",
            "Alt text",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            "file",
            "no `file`",
        ),
    ];
    for (bytes, caption, alt, status, code, field, why) in cases {
        let answer = upload(&api, bytes, caption, "", alt).await;
        assert_eq!(answer.status, status, "{why}: {}", answer.json);
        assert_eq!((answer.code(), answer.field()), (code, field), "{why}");
        let message = answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .to_lowercase();
        assert!(
            message.contains(&why.to_lowercase()),
            "{message:?} should say {why:?}"
        );
        assert_nothing_stored(&t).await;
    }
    // Not multipart at all.
    let answer = api
        .send(
            Method::POST,
            "/api/v1/media",
            api.request(Method::POST, "/api/v1/media")
                .header("content-type", "application/json")
                .body("{}"),
        )
        .await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::BAD_REQUEST, "invalid_upload")
    );
    assert_nothing_stored(&t).await;
}

async fn oversized_uploads_are_413(backend: Backend) {
    let t = TestApp::with_config(backend, |c| c.media_max_bytes = 1024 * 1024).await;
    let boss = admin(&t, "boss@example.kr").await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    // Over the image limit, inside the request limit: refused with its exact size.
    let a_little_over = [&b"\xFF\xD8\xFF\xE0"[..], &vec![0; 1_300_000]].concat();
    let answer = upload(&api, a_little_over, "C", "", "A").await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!((answer.code(), answer.field()), ("too_large", "file"));
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1.3 MB, over the 1 MB limit")
    );
    assert_nothing_stored(&t).await;
    // Over the request limit: refused once the limit is crossed.
    let answer = upload(&api, vec![0xFF; 3 * 1024 * 1024], "C", "", "A").await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.code(), "too_large");
    assert_nothing_stored(&t).await;
}
