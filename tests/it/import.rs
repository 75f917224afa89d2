//! The archive importer, end to end: dump files in, pages out.

use crate::both_backends;
use crate::harness::TestApp;
use broadsheet::import::{self, Outcome};
use broadsheet_domain::{LinkRefKind, SourceKind};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};

both_backends!(
    a_directory_imports_and_links_resolve,
    importing_twice_changes_nothing,
    a_malformed_dump_names_file_and_line_and_stores_nothing,
    the_seed_page_renders_with_every_element,
);

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/archive")
        .join(kind)
}

async fn a_directory_imports_and_links_resolve(backend: Backend) {
    let t = TestApp::new(backend).await;
    let files = import::dump_files(&fixtures("good")).unwrap();
    assert_eq!(files.len(), 4);
    let report = import::import_files(&t.app, &files, |_| {}).await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.created, 4);
    t.app.reload_sections().await.unwrap();

    let tree = t.app.sections();
    let education = tree
        .find_by_names(&[
            "National".into(),
            "Social Affairs".into(),
            "Education".into(),
        ])
        .expect("a three-level section path is created");
    let listing = t
        .page(&format!("/{}", tree.path(education.id)), StatusCode::OK)
        .await;
    assert_eq!(
        listing.texts("nav[aria-label=Breadcrumb] a"),
        ["Home", "National", "Social Affairs", "Education"]
    );
    let href = listing.attr(".card-headline a", "href");
    let page = t.page(&href, StatusCode::OK).await;
    assert_eq!(page.all("h1").len(), 1);
    assert!(page.all("figure.lead-photo").len() <= 1);

    // Fixtures 01 and 02 name each other under "Related Stories": both pages link the other.
    let north_korea = tree
        .find_by_names(&["National".into(), "North Korea".into()])
        .unwrap();
    let listing = t
        .page(&format!("/{}", tree.path(north_korea.id)), StatusCode::OK)
        .await;
    let stories: Vec<(String, String)> = listing
        .all(".card-headline a")
        .into_iter()
        .map(|a| {
            (
                crate::harness::text(a),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(stories.len(), 2);
    for (i, (_, href)) in stories.iter().enumerate() {
        let other = &stories[1 - i].0;
        let page = t.page(href, StatusCode::OK).await;
        assert!(
            page.texts(".related-stories .card-headline")
                .contains(other),
            "{href} does not link {other}"
        );
    }
}

async fn importing_twice_changes_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let files = import::dump_files(&fixtures("good")).unwrap();
    import::import_files(&t.app, &files, |_| {}).await;
    let events = t.app.store.last_event_id().await.unwrap();
    let count = t.app.store.story_count().await.unwrap();
    let again = import::import_files(&t.app, &files, |_| {}).await;
    assert_eq!(again.unchanged, 4, "{}", again.summary());
    assert_eq!(t.app.store.story_count().await.unwrap(), count);
    assert_eq!(
        t.app.store.last_event_id().await.unwrap(),
        events,
        "nothing was written"
    );

    // An edited dump updates its story in place.
    let original = std::fs::read_to_string(&files[0]).unwrap();
    let edited = original.replacen(
        "\u{a0}\n",
        "\u{a0}\nA correction added in the archive.\n\u{a0}\n",
        1,
    );
    assert_ne!(edited, original);
    assert_eq!(
        import::import_text(&t.app, &edited).await.unwrap(),
        Outcome::Updated
    );
    assert_eq!(t.app.store.story_count().await.unwrap(), count);
}

async fn a_malformed_dump_names_file_and_line_and_stores_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let mut files = import::dump_files(&fixtures("bad")).unwrap();
    files.extend(import::dump_files(&fixtures("good")).unwrap());
    let report = import::import_files(&t.app, &files, |_| {}).await;
    assert_eq!(report.created, 4, "the good files still import");
    assert_eq!(report.failed.len(), 3);
    let message = |name: &str| {
        report
            .failed
            .iter()
            .find(|(path, _)| path.ends_with(name))
            .map(|(_, e)| e.to_string())
            .unwrap_or_else(|| panic!("{name} did not fail"))
    };
    assert!(
        message("garbled_published.txt").starts_with("line 10:"),
        "{}",
        message("garbled_published.txt")
    );
    assert!(message("truncated_after_breadcrumb.txt").starts_with("line 4:"));
    assert!(message("not_a_dump.txt").starts_with("line 1:"));
    assert_eq!(t.app.store.story_count().await.unwrap(), 4);

    // Nothing of a failed file is stored: not even the sections its breadcrumb named.
    let t = TestApp::new(backend).await;
    let report = import::import_files(
        &t.app,
        &import::dump_files(&fixtures("bad")).unwrap(),
        |_| {},
    )
    .await;
    assert_eq!(report.failed.len(), 3);
    assert!(t.app.store.sections().await.unwrap().is_empty());
    assert_eq!(t.app.store.last_event_id().await.unwrap(), 0);
    let latin1 = import::import_text(&t.app, "").await.unwrap_err();
    assert!(latin1.to_string().starts_with("line 1:"), "{latin1}");
}

async fn the_seed_page_renders_with_every_element(backend: Backend) {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed");
    let Ok(files) = import::dump_files(&seed) else {
        eprintln!("no seed folder at {}; skipping", seed.display());
        return;
    };
    let t = TestApp::new(backend).await;
    let report = import::import_files(&t.app, &files, |_| {}).await;
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    t.app.reload_sections().await.unwrap();
    let tree = t.app.sections();
    let section = tree
        .find_by_names(&["National".into(), "North Korea".into()])
        .expect("section from the breadcrumb");
    let listing = t
        .page(&format!("/{}", tree.path(section.id)), StatusCode::OK)
        .await;
    let href = listing.attr(".card-headline a", "href");
    assert!(
        href.starts_with("/national/north-korea/2024/12/27/putin-sends-"),
        "{href}"
    );
    let id: i64 = href.rsplit('/').next().unwrap().parse().unwrap();
    let story = t
        .app
        .store
        .story(broadsheet_domain::StoryId(id))
        .await
        .unwrap()
        .unwrap();

    // Stored fields.
    assert_eq!(story.related_after, Some(2));
    assert_eq!(story.sources.len(), 1);
    assert_eq!(
        (story.sources[0].name.as_str(), story.sources[0].kind),
        ("Yonhap", SourceKind::Wire)
    );
    let tags: Vec<&str> = story.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tags,
        ["Korea", "North Korea", "Vladimir Putin", "Kim Jong-un"]
    );
    let refs = t.app.store.link_refs(story.id).await.unwrap();
    assert_eq!(
        refs.iter()
            .filter(|r| r.kind == LinkRefKind::Related)
            .count(),
        5
    );
    assert_eq!(
        refs.iter()
            .filter(|r| r.kind == LinkRefKind::MoreIn)
            .count(),
        4,
        "the page's own headline is left out"
    );

    // The rendered page.
    let page = t.page(&href, StatusCode::OK).await;
    let h1 = page.texts("h1");
    assert_eq!(h1.len(), 1);
    assert!(h1[0].starts_with("Putin sends New Year"));
    assert_eq!(
        page.texts("nav[aria-label=Breadcrumb] a"),
        ["Home", "National", "North Korea"]
    );
    assert_eq!(
        page.texts(".dateline.published"),
        ["Published: 27 Dec. 2024, 11:22"]
    );
    assert_eq!(
        page.attr(".dateline.published time", "datetime"),
        "2024-12-27T11:22:00+09:00"
    );
    let caption = page.texts("figure.lead-photo figcaption");
    assert_eq!(caption.len(), 1, "the repeated caption is kept once");
    assert!(
        caption[0].ends_with("[KOREAN CENTRAL NEWS AGENCY]"),
        "{caption:?}"
    );
    assert!(!page.attr("figure.lead-photo img", "alt").is_empty());
    assert_eq!(page.all(".story-body > p").len(), 7);
    assert!(
        page.texts(".story-body > p")
            .iter()
            .all(|p| !p.contains('\u{a0}') && !p.is_empty())
    );
    assert_eq!(page.texts(".source-line a"), ["Yonhap"]);
    assert_eq!(page.attr(".source-line a", "href"), "/source/yonhap");
    assert_eq!(
        page.texts("nav.tags a"),
        ["Korea", "North Korea", "Vladimir Putin", "Kim Jong-un"]
    );
    assert_eq!(page.attr("html", "lang"), "en");
    let body = page.one(".story-body").html();
    for furniture in ["Related Article", "Log in to", "print dictionary", "(0/250"] {
        assert!(
            !body.contains(furniture),
            "page furniture '{furniture}' leaked into the body"
        );
    }

    // Once a story shares its tags, the inline box appears where the original one stood.
    let names: Vec<String> = vec!["National".into(), "North Korea".into()];
    let section_id = t.app.store.ensure_section_path(&names, None).await.unwrap();
    let mut input = crate::reader_input(
        section_id,
        "A story of our own sharing a tag",
        &["Kim Jong-un"],
    );
    input.published_at = Some("2024-12-20T00:00:00Z".parse().unwrap());
    t.app.store.save_story(None, &input).await.unwrap();
    t.settle().await;
    let page = t.page(&href, StatusCode::OK).await;
    let kids = page.child_tags(".story-body");
    assert_eq!(kids[..3], ["p", "p", "aside"]);
    assert_eq!(
        page.texts(".more-in .card-headline"),
        ["A story of our own sharing a tag"]
    );
}
