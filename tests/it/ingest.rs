//! Wire ingest: agency files and feeds in, stories (and pages) out. The service is driven
//! through `broadsheet::ingest` on both backends; two runs of the binary check the command's
//! report lines, exit status and `--watch`.

use crate::both_backends;
use crate::harness::TestApp;
use broadsheet::ingest::{self, Fetcher, Options, Report, Source};
use broadsheet_domain::{SourceKind, Story, StoryStatus};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

both_backends!(
    each_fixture_becomes_draft_stories_in_the_wire_section,
    published_with_the_flag_the_page_shows_the_agency,
    a_trusted_source_is_published_and_others_wait,
    the_same_batch_twice_changes_nothing,
    a_newer_version_updates_the_story_and_an_older_one_does_not,
    bad_items_and_broken_files_are_reported_and_the_rest_goes_in,
    a_feed_over_http_is_ingested,
);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wire")
        .join(name)
}

fn files(names: &[&str]) -> Vec<Source> {
    names.iter().map(|n| Source::Path(fixture(n))).collect()
}

async fn ingest(t: &TestApp, sources: &[Source], options: &Options) -> Report {
    let fetcher = Fetcher::new().unwrap();
    ingest::run_once(&t.app, &fetcher, sources, options)
        .await
        .unwrap()
}

async fn story(t: &TestApp, guid: &str) -> Story {
    let id = t
        .app
        .store
        .story_id_by_external_id(&format!("wire:{guid}"))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no story for {guid}"));
    t.app.store.story(id).await.unwrap().unwrap()
}

fn tag_names(story: &Story) -> Vec<&str> {
    story.tags.iter().map(|t| t.name.as_str()).collect()
}

fn sources_of(story: &Story) -> Vec<(&str, SourceKind)> {
    story
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.kind))
        .collect()
}

/// The canonical URL of a story: any path ending in its id redirects there.
async fn story_url(t: &TestApp, story: &Story) -> String {
    t.redirect(
        &format!("/x/2000/01/01/x/{}", story.id.0),
        StatusCode::MOVED_PERMANENTLY,
    )
    .await
}

async fn each_fixture_becomes_draft_stories_in_the_wire_section(backend: Backend) {
    let t = TestApp::new(backend).await;
    let report = ingest(
        &t,
        &files(&[
            "ninjs-1-single.json",
            "ninjs-2-batch.json",
            "rss-2.xml",
            "atom-1.xml",
        ]),
        &Options::default(),
    )
    .await;
    // ninjs 1 + 2, RSS 2, Atom 3; the fixtures' bad items are the six problems.
    assert_eq!((report.new, report.updated, report.unchanged), (8, 0, 0));
    assert_eq!(report.problems.len(), 6, "{:#?}", report.problems);

    let wire = t
        .app
        .sections()
        .find_by_names(&["Wire".into()])
        .expect("the default section is created")
        .id;

    let bus = story(&t, "urn:hanbitwire:2025:0314-0017").await;
    assert_eq!(bus.status, StoryStatus::Draft);
    assert_eq!(bus.section_id, wire);
    assert_eq!(
        bus.external_id.as_deref(),
        Some("wire:urn:hanbitwire:2025:0314-0017")
    );
    assert_eq!(
        bus.headline,
        "Seoul's night buses add three routes & longer hours"
    );
    assert!(bus.body.contains("late-night bus routes"), "{}", bus.body);
    assert!(!bus.body.contains("alert"), "{}", bus.body);
    assert_eq!(bus.language, "en");
    assert_eq!(tag_names(&bus), ["Transport", "Seoul", "night bus"]);
    assert_eq!(sources_of(&bus), [("Hanbit Wire", SourceKind::Wire)]);
    assert!(bus.lead_media.is_none(), "lead images are not fetched yet");

    // The batch carried two versions of one story: the later one is the story.
    let busan = story(&t, "urn:hanbitwire:2025:0315-0042").await;
    assert_eq!(busan.headline, "부산항 물동량 역대 최대 기록");
    assert_eq!(busan.language, "ko");
    assert!(busan.body.contains("역대 최대"), "{}", busan.body);
    assert_eq!(tag_names(&busan), ["Economy", "Busan"]);
    assert_eq!(sources_of(&busan), [("Hanbit Wire", SourceKind::Wire)]);

    let ferries = story(&t, "hanbit-2025-0316-0008").await;
    assert_eq!(
        ferries.headline,
        "Han River ferries return after the winter break"
    );
    assert_eq!(tag_names(&ferries), ["Transport", "Seoul"]);
    assert_eq!(
        sources_of(&ferries),
        [("Hanbit Wire \u{2014} National", SourceKind::Wire)]
    );
    assert!(ferries.deck.is_some(), "the description is the deck");

    // An RSS item without a guid is known by its link; its <source> is the agency.
    let markets = story(
        &t,
        "https://www.hanbitwire.example/economy/2025/03/16/markets",
    )
    .await;
    assert_eq!(
        sources_of(&markets),
        [("Hanbit Wire Economy", SourceKind::Wire)]
    );

    let orchestra = story(&t, "tag:hanbitwire.example,2025:0317-0003").await;
    assert_eq!(orchestra.headline, "Gugak orchestra tours Europe");
    assert_eq!(tag_names(&orchestra), ["Music", "Europe"]);
    assert_eq!(
        sources_of(&orchestra),
        [("Hanbit Wire: Culture", SourceKind::Wire)]
    );
    assert!(orchestra.updated_at > orchestra.published_at);

    // Drafts are not for readers.
    let response = t.get(&format!("/x/2000/01/01/x/{}", bus.id.0)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn published_with_the_flag_the_page_shows_the_agency(backend: Backend) {
    let t = TestApp::new(backend).await;
    let options = Options {
        section: ingest::section_path("World > Wire"),
        publish: true,
    };
    let report = ingest(&t, &files(&["ninjs-1-single.json"]), &options).await;
    assert_eq!(report.new, 1, "{:?}", report.problems);
    let bus = story(&t, "urn:hanbitwire:2025:0314-0017").await;
    assert_eq!(bus.status, StoryStatus::Published);
    t.settle().await;

    let page = t.page(&story_url(&t, &bus).await, StatusCode::OK).await;
    assert_eq!(
        page.texts("h1"),
        ["Seoul's night buses add three routes & longer hours"]
    );
    assert_eq!(page.texts(".source-line a"), ["Hanbit Wire"]);
    assert_eq!(
        page.texts("nav[aria-label=Breadcrumb] a"),
        ["Home", "World", "Wire"]
    );
    assert!(
        page.texts("p")
            .iter()
            .any(|p| p.contains("Officials expect 8,000 riders a night.")),
        "the body is on the page"
    );
}

async fn a_trusted_source_is_published_and_others_wait(backend: Backend) {
    let t = TestApp::with_config(backend, |config| {
        config.ingest.trusted = vec!["HANBIT WIRE".into()];
    })
    .await;
    let report = ingest(
        &t,
        &files(&["ninjs-1-single.json", "rss-2.xml"]),
        &Options::default(),
    )
    .await;
    assert_eq!(report.new, 3, "{:?}", report.problems);
    let bus = story(&t, "urn:hanbitwire:2025:0314-0017").await;
    assert_eq!(bus.status, StoryStatus::Published, "trusted, in any case");
    let ferries = story(&t, "hanbit-2025-0316-0008").await;
    assert_eq!(ferries.status, StoryStatus::Draft, "another desk's name");

    t.settle().await;
    let page = t.page(&story_url(&t, &bus).await, StatusCode::OK).await;
    assert_eq!(page.texts(".source-line a"), ["Hanbit Wire"]);
}

async fn the_same_batch_twice_changes_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let sources = files(&["ninjs-2-batch.json", "atom-1.xml"]);
    let first = ingest(&t, &sources, &Options::default()).await;
    assert_eq!((first.new, first.updated, first.unchanged), (5, 0, 0));
    let before = story(&t, "urn:hanbitwire:2025:0315-0042").await;
    let events = t.app.store.last_event_id().await.unwrap();

    let second = ingest(&t, &sources, &Options::default()).await;
    assert_eq!((second.new, second.updated, second.unchanged), (0, 0, 5));
    let after = story(&t, "urn:hanbitwire:2025:0315-0042").await;
    assert_eq!(after.revision, before.revision);
    assert_eq!(after.modified_at, before.modified_at);
    assert_eq!(
        t.app.store.last_event_id().await.unwrap(),
        events,
        "nothing was written"
    );
}

/// A one-item ninjs file of our own, at some version.
fn take(dir: &Path, name: &str, version: u32, headline: &str, body: &str) -> Source {
    let json = serde_json::json!({
        "uri": "urn:test:harbour-0001",
        "type": "text",
        "version": version.to_string(),
        "firstcreated": "2026-05-02T00:00:00Z",
        "versioncreated": format!("2026-05-02T0{version}:30:00Z"),
        "language": "en",
        "copyrightholder": "Harbour Newswire",
        "headline": headline,
        "body_text": body,
        "subject": [{"name": "Shipping"}],
    });
    let path = dir.join(name);
    std::fs::write(&path, json.to_string()).unwrap();
    Source::Path(path)
}

async fn a_newer_version_updates_the_story_and_an_older_one_does_not(backend: Backend) {
    let t = TestApp::new(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let v1 = take(
        dir.path(),
        "v1.json",
        1,
        "Ferry strike called off",
        "Crews accepted the offer overnight.",
    );
    let v2 = take(
        dir.path(),
        "v2.json",
        2,
        "Ferry strike called off after late talks",
        "Crews accepted the offer at 3 a.m. after nine hours of talks.",
    );
    let publish = Options {
        publish: true,
        ..Options::default()
    };
    let first = ingest(&t, std::slice::from_ref(&v1), &publish).await;
    assert_eq!(first.new, 1, "{:?}", first.problems);
    let original = story(&t, "urn:test:harbour-0001").await;
    assert_eq!(original.revision, 1);

    // Without --publish: the words change, the published story stays published.
    let second = ingest(&t, std::slice::from_ref(&v2), &Options::default()).await;
    assert_eq!(
        (second.new, second.updated),
        (0, 1),
        "{:?}",
        second.problems
    );
    let updated = story(&t, "urn:test:harbour-0001").await;
    assert_eq!(updated.id, original.id);
    assert_eq!(updated.revision, 2);
    assert_eq!(updated.headline, "Ferry strike called off after late talks");
    assert!(updated.body.contains("nine hours"), "{}", updated.body);
    assert_eq!(updated.status, StoryStatus::Published);
    assert_eq!(updated.published_at, original.published_at);
    assert!(updated.updated_at > original.updated_at);

    // The older take arriving late, and the same take again: nothing changes.
    for stale in [&v1, &v2] {
        let report = ingest(&t, std::slice::from_ref(stale), &Options::default()).await;
        assert_eq!((report.new, report.updated, report.unchanged), (0, 0, 1));
    }
    let after = story(&t, "urn:test:harbour-0001").await;
    assert_eq!(after.revision, 2);
    assert_eq!(after.headline, updated.headline);
    let record = t
        .app
        .store
        .wire_item("urn:test:harbour-0001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.version.as_deref(), Some("2"));
    assert_eq!(record.story_id, original.id);

    t.settle().await;
    let page = t.page(&story_url(&t, &after).await, StatusCode::OK).await;
    assert_eq!(
        page.texts("h1"),
        ["Ferry strike called off after late talks"]
    );
}

async fn bad_items_and_broken_files_are_reported_and_the_rest_goes_in(backend: Backend) {
    let t = TestApp::new(backend).await;
    let report = ingest(
        &t,
        &files(&["atom-1.xml", "broken.json", "broken.xml"]),
        &Options::default(),
    )
    .await;
    assert_eq!(report.new, 3);
    let atom = fixture("atom-1.xml").display().to_string();
    let json = fixture("broken.json").display().to_string();
    let xml = fixture("broken.xml").display().to_string();
    let expected = [
        format!("{atom}: item 3 (An entry without an id): it has no <id>"),
        format!("{atom}: item 4 (tag:hanbitwire.example,2025:0317-0012): its <published>"),
        format!("{json}: line 4, column 3: the file is not valid JSON"),
        format!("{xml}: line 8: the file is not well-formed XML"),
    ];
    assert_eq!(
        report.problems.len(),
        expected.len(),
        "{:#?}",
        report.problems
    );
    for (line, start) in report.problems.iter().zip(&expected) {
        assert!(
            line.starts_with(start.as_str()),
            "{line}\n  expected {start}"
        );
    }
    assert!(report.summary().ends_with("4 problems"));
}

async fn a_feed_over_http_is_ingested(backend: Backend) {
    let t = TestApp::new(backend).await;
    let feed = std::fs::read_to_string(fixture("rss-2.xml")).unwrap();
    // The agency's server, as plain as they come (a content type that says nothing, so the
    // format is sniffed from the text).
    let router = axum::Router::new().route(
        "/national/rss",
        axum::routing::get(move || {
            let feed = feed.clone();
            async move { ([("content-type", "application/octet-stream")], feed) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });

    let url = format!("http://{addr}/national/rss");
    let missing = format!("http://{addr}/sport/rss");
    let report = ingest(
        &t,
        &[Source::Url(url.clone()), Source::Url(missing.clone())],
        &Options::default(),
    )
    .await;
    assert_eq!(report.new, 2, "{:#?}", report.problems);
    let ferries = story(&t, "hanbit-2025-0316-0008").await;
    assert_eq!(ferries.status, StoryStatus::Draft);
    assert!(
        report
            .problems
            .contains(&format!("{url}: item 2 (hanbit-2025-0316-0011): its <pubDate> \"next Tuesday, probably\" is not an RFC 2822 date (like Fri, 14 Mar 2025 09:05:00 +0900)")),
        "{:#?}",
        report.problems
    );
    assert!(
        report
            .problems
            .contains(&format!("{missing}: the server answered 404 Not Found")),
        "{:#?}",
        report.problems
    );
    server.abort();
}

// --- the binary ---

fn broadsheet(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("BROADSHEET_DATABASE_URL")
        .env_remove("BROADSHEET_CONFIG")
        .env("BROADSHEET_LOG", "error");
    command
}

fn run(data_dir: &Path, args: &[&str]) -> Output {
    broadsheet(data_dir)
        .args(args)
        .output()
        .expect("run broadsheet")
}

#[test]
fn the_command_reports_problems_by_source_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let wire = fixture("").display().to_string();
    let first = run(dir.path(), &["ingest", &wire]);
    assert!(!first.status.success());
    let out = String::from_utf8_lossy(&first.stdout);
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(
        out.trim(),
        "ingested 8 new, 0 updated, 0 unchanged, 8 problems"
    );
    for expected in [
        "broken.json: line 4, column 3: the file is not valid JSON",
        "broken.xml: line 8: the file is not well-formed XML",
        "ninjs-2-batch.json: item 4 (urn:hanbitwire:2025:0315-0050): it has no headline",
        "rss-2.xml: item 4: it has no <guid> and no <link>",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(
        err.trim_end()
            .ends_with("error: 8 problem(s) in the wire copy"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    let again = run(dir.path(), &["ingest", &wire]);
    let out = String::from_utf8_lossy(&again.stdout);
    assert_eq!(
        out.trim(),
        "ingested 0 new, 0 updated, 8 unchanged, 8 problems"
    );

    let good = run(
        dir.path(),
        &[
            "ingest",
            &fixture("ninjs-1-single.json").display().to_string(),
        ],
    );
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );

    let missing = run(dir.path(), &["ingest", "/no/such/wire"]);
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.starts_with("error: cannot read /no/such/wire"), "{err}");
}

#[test]
fn watch_reads_the_sources_again_each_round() {
    let data = tempfile::tempdir().unwrap();
    let drop = tempfile::tempdir().unwrap();
    take(
        drop.path(),
        "take.json",
        1,
        "Dock cranes idle",
        "Winds stopped work.",
    );
    let mut child = broadsheet(data.path())
        .args(["ingest", "--watch", "1"])
        .arg(drop.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, summaries) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        summaries
            .recv_timeout(Duration::from_secs(60))
            .expect("a round's summary")
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    assert_eq!(next(), "ingested 1 new, 0 updated, 0 unchanged, 0 problems");
    // The agency files the next take in the same place.
    take(
        drop.path(),
        "take.json",
        2,
        "Dock cranes back at work",
        "Winds eased.",
    );
    let mut seen = Vec::new();
    loop {
        let line = next();
        if line == "ingested 0 new, 1 updated, 0 unchanged, 0 problems" {
            break;
        }
        assert_eq!(line, "ingested 0 new, 0 updated, 1 unchanged, 0 problems");
        seen.push(line);
        assert!(Instant::now() < deadline, "{seen:?}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
