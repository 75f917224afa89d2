//! Browser tests: the site's script in headless Chromium, driven by the Node scripts in
//! `tests/browser/` against the real app.
//!
//! They need Node, `npm ci --prefix tests/browser` and Chromium (`.ci/run` installs them),
//! so they run only with `BROADSHEET_BROWSER_TESTS=1`; elsewhere they say why and pass.

use crate::harness::{TestApp, sel};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use std::path::Path;

fn enabled(test: &str) -> bool {
    let on = std::env::var("BROADSHEET_BROWSER_TESTS").is_ok_and(|v| v == "1");
    if !on {
        eprintln!("{test}: skipped, set BROADSHEET_BROWSER_TESTS=1 to run it in Chromium");
    }
    on
}

/// Run `node tests/browser/{script} ARGS...` and fail with its output unless it succeeds.
async fn node(script: &str, args: &[&str]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let mut command = std::process::Command::new("node");
    command.arg(dir.join(script)).args(args).current_dir(&dir);
    // On a blocking thread: the app under test serves from this same runtime meanwhile.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("cannot run node (is Node installed?): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    print!("{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dictionary_popup() {
    if !enabled("dictionary_popup") {
        return;
    }
    let t = TestApp::with_demo(Backend::Sqlite).await;
    // The demo's DMZ explainer has both "soldiers" and "North Korea" in its body.
    let section = t.page("/national/north-korea", StatusCode::OK).await;
    let article = section
        .0
        .select(&sel(".card-headline a"))
        .find(|a| a.text().collect::<String>().starts_with("Life on the line"))
        .and_then(|a| a.value().attr("href"))
        .expect("the DMZ villages story in North Korea")
        .to_string();
    node("dictionary.mjs", &[&t.base, &article]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comment_counter_and_refusal() {
    if !enabled("comment_counter_and_refusal") {
        return;
    }
    let t = TestApp::with_demo(Backend::Sqlite).await;
    let home = t.page("/", StatusCode::OK).await;
    let article = home.attr(".lead-story .card-headline a", "href");
    broadsheet::services::accounts::register(
        &t.app.store,
        "reader@example.kr",
        "Browser Reader",
        crate::harness::PASSWORD,
        broadsheet_domain::Role::Reader,
    )
    .await
    .unwrap();
    node(
        "comment_counter.mjs",
        &[
            &t.base,
            &article,
            "reader@example.kr",
            crate::harness::PASSWORD,
        ],
    )
    .await;
}
