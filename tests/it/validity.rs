//! Every kind of page is valid HTML by the W3C's Nu validator.
//!
//! The validator is a Java program; CI installs it (`.ci/run`) and names its jar in
//! `BROADSHEET_VNU_JAR`. Without that variable the test says so and checks nothing.

use crate::harness::TestApp;
use crate::newsroom_form::{press_on, shown};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use std::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_page_is_valid_html() {
    let Ok(jar) = std::env::var("BROADSHEET_VNU_JAR") else {
        eprintln!("BROADSHEET_VNU_JAR is not set: HTML validation skipped");
        return;
    };
    let t = TestApp::with_demo(Backend::Sqlite).await;
    let home = t.page("/", StatusCode::OK).await;
    let article = home.attr(".lead-story .card-headline a", "href");
    let national = t.page("/national", StatusCode::OK).await;
    let gallery = national
        .all(".card-gallery .card-headline a")
        .first()
        .and_then(|a| a.value().attr("href"))
        .expect("a gallery in National")
        .to_string();
    let author = t
        .page(&article, StatusCode::OK)
        .await
        .attr(".source-line a", "href");
    let mut pages = vec![
        ("/".to_string(), StatusCode::OK),
        ("/national".into(), StatusCode::OK),
        ("/national/north-korea".into(), StatusCode::OK),
        (article.clone(), StatusCode::OK),
        (format!("{article}?view=print"), StatusCode::OK),
        (gallery, StatusCode::OK),
        ("/tag/seoul".into(), StatusCode::OK),
        (author, StatusCode::OK),
        ("/policy/comments".into(), StatusCode::OK),
        ("/no/such/page".into(), StatusCode::NOT_FOUND),
        ("/account/signin".into(), StatusCode::OK),
        ("/account/signup".into(), StatusCode::OK),
    ];
    // Personal pages, seen by a signed-in editor after a short conversation.
    let editor = t
        .staff("desk@example.kr", broadsheet_domain::Role::Editor)
        .await;
    let comments = t
        .page(&article, StatusCode::OK)
        .await
        .attr("#comments", "data-comments");
    let response = editor
        .submit_to(
            &comments,
            Some(&comments),
            &[("body", "A first comment.\nWith two lines.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // A story whose lead photo came through the media library: a <picture> with srcsets.
    let upload = crate::media_library::upload(
        &editor,
        crate::media_library::fixtures::jpeg_with_exif_gps(2000, 1200),
        "photo.jpg",
        &crate::media_library::words("Boats at dawn", "Desk", "Boats at a pier"),
    )
    .await;
    assert_eq!(upload.status(), StatusCode::SEE_OTHER);
    let section = t
        .app
        .store
        .ensure_section_path(&["National".to_string()], None)
        .await
        .unwrap();
    let mut input = crate::reader_input(section, "Boats return at dawn", &[]);
    input.lead_media = Some(t.app.store.library(1).await.unwrap()[0].media.id);
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.settle().await;
    pages.push((
        format!("/national/2026/11/01/boats-return-at-dawn/{id}"),
        StatusCode::OK,
    ));
    let personal = [
        "/account".to_string(),
        comments.clone(),
        format!("{comments}/box"),
        "/comments/queue".into(),
        "/newsroom".into(),
        "/newsroom?status=submitted&from=2026-01-01".into(),
        "/newsroom/stories/new".into(),
        format!("/newsroom/stories/{id}"),
        "/newsroom/audit".into(),
        "/newsroom/media".into(),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (n, (path, status)) in pages.iter().enumerate() {
        let response = t.get(path).await;
        assert_eq!(response.status(), *status, "{path}");
        std::fs::write(
            dir.path().join(format!("page{n}.html")),
            response.text().await.unwrap(),
        )
        .unwrap();
    }
    for (n, path) in personal.iter().enumerate() {
        let response = editor.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let mut html = response.text().await.unwrap();
        if path.ends_with("/box") {
            // A fragment: validate it inside a minimal document.
            html = format!("<!DOCTYPE html><html lang=en><title>box</title>{html}</html>");
        }
        std::fs::write(dir.path().join(format!("personal{n}.html")), html).unwrap();
    }
    // The editor's answers to its buttons: both pickers' results, then a preview with the
    // lead photo, a gallery and the related box.
    let related = article.rsplit('/').next().unwrap().to_string();
    let photo = t.app.store.library(1).await.unwrap()[0]
        .media
        .id
        .to_string();
    let opened = editor
        .page(&format!("/newsroom/stories/{id}"), StatusCode::OK)
        .await;
    let photos = press_on(&editor, &opened, "find_photos", &[], None).await;
    let photos = shown(photos, StatusCode::OK).await;
    let stories = press_on(&editor, &photos, "find_related", &[], None).await;
    let stories = shown(stories, StatusCode::OK).await;
    let changes = [
        ("gallery", photo.as_str()),
        ("related", related.as_str()),
        ("related_after", "1"),
        ("source_name", "Han Ji-woo"),
    ];
    let preview = press_on(&editor, &stories, "preview", &changes, None).await;
    let preview = shown(preview, StatusCode::OK).await;
    assert_eq!(preview.all(".editor-preview aside.related-inline").len(), 1);
    for (n, page) in [photos, stories, preview].iter().enumerate() {
        std::fs::write(dir.path().join(format!("editor{n}.html")), page.0.html()).unwrap();
    }
    // The admins' API token page, right after making one (a row, and the new secret).
    crate::api::admin(&t, "boss@example.kr").await;
    let admin = t.browser();
    admin
        .submit(
            "/account/signin",
            &[
                ("email", "boss@example.kr"),
                ("password", crate::harness::PASSWORD),
            ],
        )
        .await;
    let made = admin
        .submit_to(
            "/newsroom/tokens",
            Some("/newsroom/tokens"),
            &[("name", "Partner feed"), ("scope", "read")],
        )
        .await;
    assert_eq!(made.status(), StatusCode::OK);
    std::fs::write(dir.path().join("tokens.html"), made.text().await.unwrap()).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg("--errors-only")
        .args(&files)
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "invalid HTML:\n{report}\n(pages: {pages:?})"
    );
}
