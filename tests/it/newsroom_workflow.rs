//! The newsroom's hand-offs and lists over HTTP: a reporter submits a draft and an editor
//! sends it back or publishes it; the desk's filters and pages; the audit log page and who
//! may see it.

use crate::both_backends;
use crate::harness::TestApp;
use crate::newsroom_form::{national, press, shown, story_of};
use broadsheet_domain::{Role, SourceInput, SourceKind, StoryStatus, UserId};
use broadsheet_store::Backend;
use reqwest::StatusCode;

both_backends!(
    a_reporter_submits_and_an_editor_sends_back_then_publishes,
    the_desk_filters_by_byline_and_days_and_pages,
    the_audit_page_shows_who_did_what_for_editors_only,
);

async fn a_reporter_submits_and_an_editor_sends_back_then_publishes(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = national(&t).await.0.to_string();
    let reporter = t.staff("reporter@example.kr", Role::Reporter).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let typed = [
        ("headline", "Subway fares to rise"),
        ("body", "Fares rise by 150 won in March."),
        ("section", section.as_str()),
        ("note", "Ready for the desk; figures from the city."),
    ];
    // A reporter sees no publishing buttons, and submits the draft with a note.
    let blank = reporter.page("/newsroom/stories/new", StatusCode::OK).await;
    assert_eq!(blank.all("button[value='submit']").len(), 1);
    assert!(
        blank
            .all("button[value='publish'], button[value='send_back']")
            .is_empty()
    );
    let response = press(&reporter, "/newsroom/stories/new", "submit", &typed).await;
    let id = story_of(&response);
    let editor_page = format!("/newsroom/stories/{id}");
    let page = reporter
        .page(&format!("{editor_page}?saved=submitted"), StatusCode::OK)
        .await;
    assert_eq!(
        page.texts(".form-notice"),
        ["Submitted: the draft is with the editors now."]
    );
    assert_eq!(
        page.texts(".submission-note"),
        ["Ready for the desk; figures from the city."]
    );
    // Now it is the editors': the reporter's page offers no save, and a save is refused.
    assert!(page.all("button[value='save']").is_empty());
    assert_eq!(page.all(".editor-locked").len(), 1);
    let response = press(
        &reporter,
        &editor_page,
        "save",
        &[("body", "A late change.")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let locked = reporter.page(&editor_page, StatusCode::OK).await;
    let response = crate::newsroom_form::press_on(
        &reporter,
        &locked,
        "save",
        &[
            ("lead_caption", "Ticket gates"),
            ("lead_alt", "Gates at a station"),
        ],
        Some(crate::media_library::fixtures::jpeg_with_exif_gps(400, 300)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        t.app.store.library(10).await.unwrap().is_empty(),
        "a refused save leaves no upload behind"
    );
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.body, "Fares rise by 150 won in March.");
    // The desk shows it among the submitted drafts.
    let list = desk
        .page("/newsroom?status=submitted", StatusCode::OK)
        .await;
    assert_eq!(
        list.texts(".desk-row td:first-child a"),
        ["Subway fares to rise"]
    );
    assert_eq!(
        list.texts(".desk-row .desk-status"),
        ["draft, submitted for editing"]
    );
    // The editor sends it back, saying why; the reporter may change it again.
    let page = desk.page(&editor_page, StatusCode::OK).await;
    assert_eq!(page.all("button[value='send_back']").len(), 1);
    let response = press(
        &desk,
        &editor_page,
        "send_back",
        &[("note", "Needs a second source.")],
    )
    .await;
    story_of(&response);
    assert!(t.app.store.submission(id).await.unwrap().is_none());
    assert!(
        desk.page("/newsroom?status=submitted", StatusCode::OK)
            .await
            .texts(".desk-empty")
            .len()
            == 1
    );
    // Sending back a draft nobody submitted is refused.
    let response = press(&desk, &editor_page, "send_back", &[]).await;
    let page = shown(response, StatusCode::BAD_REQUEST).await;
    assert!(page.texts(".form-error")[0].contains("not waiting for an editor"));
    let response = press(
        &reporter,
        &editor_page,
        "submit",
        &[
            (
                "body",
                "Fares rise by 150 won in March, the second increase in two years.",
            ),
            ("note", "Added the earlier rise."),
        ],
    )
    .await;
    story_of(&response);
    // A reporter cannot send back, publish or see the audit log.
    for button in ["send_back", "publish", "schedule"] {
        let response = reporter
            .post_form(
                &editor_page,
                &[
                    ("csrf", &reporter_token(&reporter, &editor_page).await),
                    ("headline", "Subway fares to rise"),
                    ("body", "x"),
                    ("section", &section),
                    ("language", "en"),
                    ("action", button),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{button}");
    }
    // The editor publishes it: out of the queue, live, and every hand-off in the log.
    let response = press(&desk, &editor_page, "publish", &[]).await;
    story_of(&response);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.status, StoryStatus::Published);
    assert!(story.body.contains("second increase"));
    assert!(t.app.store.submission(id).await.unwrap().is_none());
    let log: Vec<(String, String)> = t
        .app
        .store
        .audit_entries(20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.story_id == Some(id))
        .map(|e| (e.action, e.detail))
        .collect();
    let log: Vec<(&str, &str)> = log.iter().map(|(a, d)| (a.as_str(), d.as_str())).collect();
    assert_eq!(
        log,
        [
            ("published", ""),
            ("submitted", "Added the earlier rise."),
            ("sent back", "Needs a second source."),
            ("submitted", "Ready for the desk; figures from the city."),
            ("created", ""),
        ]
    );
    // Past draft, a reporter cannot submit it again.
    let page = reporter.page(&editor_page, StatusCode::OK).await;
    assert!(page.all("button[value='submit']").is_empty());
    assert_eq!(page.all(".editor-locked").len(), 1);
}

async fn reporter_token(browser: &crate::harness::Browser, page: &str) -> String {
    browser
        .page(page, StatusCode::OK)
        .await
        .attr("input[name='csrf']", "value")
}

async fn the_desk_filters_by_byline_and_days_and_pages(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = national(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    for n in 0..55 {
        let mut input = crate::reader_input(section, &format!("Story number {n}"), &[]);
        input.sources = vec![SourceInput {
            name: if n % 5 == 0 {
                "Han Ji-woo"
            } else {
                "Harbour Wire"
            }
            .into(),
            kind: if n % 5 == 0 {
                SourceKind::Staff
            } else {
                SourceKind::Wire
            },
        }];
        t.app.store.save_story(None, &input).await.unwrap();
    }
    t.settle().await;
    // By byline: eleven stories credit Han Ji-woo.
    let page = desk
        .page("/newsroom?author=han-ji-woo", StatusCode::OK)
        .await;
    assert_eq!(page.all(".desk-row").len(), 11);
    assert!(page.texts(".desk-byline").iter().all(|b| b == "Han Ji-woo"));
    assert_eq!(page.attr("#author option[selected]", "value"), "han-ji-woo");
    // Pages of fifty, newest change first, the filters carried along.
    let first = desk
        .page("/newsroom?author=harbour-wire", StatusCode::OK)
        .await;
    assert_eq!(first.all(".desk-row").len(), 44);
    let first = desk.page("/newsroom", StatusCode::OK).await;
    assert_eq!(first.all(".desk-row").len(), 50);
    assert_eq!(
        first.texts(".desk-row td:first-child a")[0],
        "Story number 54"
    );
    let older = first.attr(".pager a[rel='next']", "href");
    assert_eq!(older, "/newsroom?page=2");
    let second = desk.page(&older, StatusCode::OK).await;
    assert_eq!(
        second.texts(".desk-row td:first-child a"),
        [
            "Story number 4",
            "Story number 3",
            "Story number 2",
            "Story number 1",
            "Story number 0"
        ]
    );
    assert_eq!(second.attr(".pager a[rel='prev']", "href"), "/newsroom");
    assert!(second.all(".pager a[rel='next']").is_empty());
    // By the days they changed (today, in the site's zone).
    let today = t.app.site().zone.wall(jiff::Timestamp::now()).date();
    let yesterday = today.yesterday().unwrap();
    let page = desk
        .page(
            &format!("/newsroom?from={today}&to={today}&author=han-ji-woo"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(page.all(".desk-row").len(), 11);
    let page = desk
        .page(&format!("/newsroom?to={yesterday}"), StatusCode::OK)
        .await;
    assert_eq!(page.texts(".desk-empty"), ["No stories match."]);
    // Filters that cannot be read are named, and nothing is listed.
    for (query, problem) in [
        (
            "from=2026-13-01",
            "The 'from' day must be a date such as 2026-12-01, not '2026-13-01'.",
        ),
        (
            &format!("from={today}&to={yesterday}") as &str,
            "The 'from' day is after the 'to' day; swap them.",
        ),
        (
            "page=0",
            "The page must be a whole number from 1 to 1000, not '0'.",
        ),
        ("author=nobody", "No story has been credited to 'nobody'."),
        (
            "status=lost",
            "'lost' is not a status: draft, scheduled, published or unpublished.",
        ),
        ("section=999", "There is no section '999'."),
    ] {
        let response = desk.get(&format!("/newsroom?{query}")).await;
        let page = shown(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(page.texts(".form-error"), [problem], "{query}");
        assert!(page.all(".desk-row").is_empty());
    }
}

async fn the_audit_page_shows_who_did_what_for_editors_only(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = national(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let reporter = t.staff("reporter@example.kr", Role::Reporter).await;
    let form_section = section.0.to_string();
    let submitted = story_of(
        &press(
            &reporter,
            "/newsroom/stories/new",
            "submit",
            &[
                ("headline", "Library opens late"),
                ("body", "Until ten."),
                ("section", &form_section),
                ("note", "Short one."),
            ],
        )
        .await,
    );
    let published = story_of(
        &press(
            &desk,
            "/newsroom/stories/new",
            "publish",
            &[
                ("headline", "Park gates repainted"),
                ("body", "Green again."),
                ("section", &form_section),
            ],
        )
        .await,
    );
    let page = desk.page("/newsroom/audit", StatusCode::OK).await;
    let rows: Vec<(String, String, String)> = page
        .all(".audit-row")
        .iter()
        .map(|row| {
            let cell = |css: &str| {
                row.select(&crate::harness::sel(css))
                    .next()
                    .map(crate::harness::text)
                    .unwrap_or_default()
            };
            (
                cell(".audit-who"),
                cell(".audit-action"),
                cell(".audit-story"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "Staff <desk@example.kr>".to_string(),
                "created".to_string(),
                "Park gates repainted".to_string()
            ),
            (
                "Staff <reporter@example.kr>".into(),
                "submitted".into(),
                "Library opens late".into()
            ),
            (
                "Staff <reporter@example.kr>".into(),
                "created".into(),
                "Library opens late".into()
            ),
        ]
    );
    assert_eq!(
        page.attr(".audit-row:first-child .audit-story a", "href"),
        format!("/newsroom/stories/{published}")
    );
    assert_eq!(
        page.texts(".audit-row:nth-child(2) .audit-detail"),
        ["Short one."]
    );
    // Filters: by action, by person, by story.
    let page = desk
        .page("/newsroom/audit?action=submitted", StatusCode::OK)
        .await;
    assert_eq!(page.texts(".audit-action"), ["submitted"]);
    let reporter_id = t
        .app
        .store
        .audit_entries(10)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "submitted")
        .and_then(|e| e.user_id)
        .unwrap();
    let page = desk
        .page(
            &format!("/newsroom/audit?user={}", reporter_id.0),
            StatusCode::OK,
        )
        .await;
    assert_eq!(page.texts(".audit-action"), ["submitted", "created"]);
    assert_eq!(
        page.attr("#user option[selected]", "value"),
        reporter_id.0.to_string()
    );
    let page = desk
        .page(
            &format!("/newsroom/audit?story={submitted}"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(page.texts(".audit-action"), ["submitted", "created"]);
    for (query, problem) in [
        ("story=abc", "'abc' is not a story number."),
        ("action=deleted", "Nothing in the log is called 'deleted'."),
        ("user=me", "'me' is not an account number."),
        (
            "to=yesterday",
            "The 'to' day must be a date such as 2026-12-01, not 'yesterday'.",
        ),
    ] {
        let page = shown(
            desk.get(&format!("/newsroom/audit?{query}")).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(page.texts(".form-error"), [problem], "{query}");
    }
    // Pages of fifty, newest first.
    for n in 0..60 {
        let input = crate::reader_input(section, &format!("Bulk {n}"), &[]);
        t.app
            .store
            .save_story_as(None, &input, Some(UserId(reporter_id.0)), None)
            .await
            .unwrap();
    }
    let first = desk
        .page("/newsroom/audit?action=created", StatusCode::OK)
        .await;
    assert_eq!(first.all(".audit-row").len(), 50);
    assert_eq!(first.texts(".audit-story")[0], "Bulk 59");
    let older = first.attr(".pager a[rel='next']", "href");
    assert_eq!(older, "/newsroom/audit?action=created&page=2");
    let second = desk.page(&older, StatusCode::OK).await;
    assert_eq!(second.all(".audit-row").len(), 12);
    // Only editors and admins see it.
    assert_eq!(
        reporter.get("/newsroom/audit").await.status(),
        StatusCode::FORBIDDEN
    );
    let reader = t.reader("reader@example.kr", "Reader").await;
    assert_eq!(
        reader.get("/newsroom/audit").await.status(),
        StatusCode::FORBIDDEN
    );
    let anonymous = t.browser().get("/newsroom/audit").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert!(
        anonymous.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/account/signin")
    );
    let admin = t.staff("admin@example.kr", Role::Admin).await;
    assert_eq!(admin.get("/newsroom/audit").await.status(), StatusCode::OK);
}
