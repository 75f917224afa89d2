//! The newsroom's story desk over HTTP: an editor's whole day, a reporter's limits, and two
//! editors on one story.

use crate::both_backends;
use crate::harness::{Browser, Page, TestApp};
use crate::newsroom_form::{article, national, press, press_on, shown, story_of};
use broadsheet_domain::{Role, StoryId, StoryStatus};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use scraper::Html;

both_backends!(
    an_editors_day_write_photo_schedule_publish_correct_unpublish,
    a_stale_form_is_refused_and_its_text_kept,
    reporters_save_drafts_and_readers_stay_out,
    revisions_compare_and_restore_and_corrections_show,
);

async fn section(t: &TestApp) -> String {
    national(t).await.0.to_string()
}

async fn send(
    browser: &Browser,
    page: &str,
    section: &str,
    headline: &str,
    body: &str,
    action: &str,
    publish_at: &str,
) -> reqwest::Response {
    press(
        browser,
        page,
        action,
        &[
            ("headline", headline),
            ("deck", ""),
            ("body", body),
            ("section", section),
            ("tags", "transport, Seoul"),
            ("language", "en"),
            ("publish_at", publish_at),
        ],
    )
    .await
}

async fn public_status(t: &TestApp, id: StoryId) -> StatusCode {
    t.settle().await;
    let response = t.get(&format!("/national/2000/01/01/x/{id}")).await;
    if response.status() != StatusCode::MOVED_PERMANENTLY {
        return response.status();
    }
    let location = response.headers()["location"].to_str().unwrap().to_string();
    t.get(&location).await.status()
}

async fn an_editors_day_write_photo_schedule_publish_correct_unpublish(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    // Write a draft.
    let response = send(
        &desk,
        "/newsroom/stories/new",
        &section,
        "Night buses extended",
        "Buses will run until 2 a.m.\n\nThe city pays for the extra drivers.",
        "save",
        "",
    )
    .await;
    let id = story_of(&response);
    assert_eq!(
        public_status(&t, id).await,
        StatusCode::NOT_FOUND,
        "a draft is not public"
    );
    let editor_page = format!("/newsroom/stories/{id}");
    let page = desk
        .page(&format!("{editor_page}?saved=saved"), StatusCode::OK)
        .await;
    assert_eq!(page.texts(".form-notice"), ["Saved."]);
    assert_eq!(page.texts(".editor-status"), ["(draft)"]);
    assert_eq!(page.texts(".no-lead"), ["No lead photo."]);
    // Upload a photo from the editor: it goes to the library and becomes the lead, shown with
    // its words, while the story itself waits for Save.
    let photo = crate::media_library::fixtures::jpeg_with_exif_gps(1600, 1000);
    let response = press_on(
        &desk,
        &page,
        "upload_lead",
        &[
            ("lead_caption", "A night bus leaves the depot in Mapo"),
            ("lead_credit", "Park Seo-yeon"),
            ("lead_alt", "A lit bus pulling out of a garage at night"),
        ],
        Some(photo),
    )
    .await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.texts(".lead-pick .photo-caption"),
        ["A night bus leaves the depot in Mapo"]
    );
    assert_eq!(page.texts(".lead-pick .photo-credit"), ["[Park Seo-yeon]"]);
    assert_eq!(
        page.texts(".lead-pick .photo-alt"),
        ["Alt text: A lit bus pulling out of a garage at night"]
    );
    let library = t.app.store.library(10).await.unwrap();
    assert_eq!(library.len(), 1, "the upload is in the media library");
    assert_eq!(
        t.app.store.story(id).await.unwrap().unwrap().lead_media,
        None
    );
    let response = press_on(&desk, &page, "save", &[], None).await;
    assert_eq!(story_of(&response), id);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.lead_media.map(|m| m.id), Some(library[0].media.id));
    // Schedule it an hour ahead: still not public.
    let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    let response = send(
        &desk,
        &editor_page,
        &section,
        "Night buses extended",
        "Buses will run until 2 a.m. from Friday.\n\nThe city pays for the extra drivers.",
        "schedule",
        &later,
    )
    .await;
    story_of(&response);
    assert_eq!(
        t.app.store.story(id).await.unwrap().unwrap().status,
        StoryStatus::Scheduled
    );
    assert_eq!(public_status(&t, id).await, StatusCode::NOT_FOUND);
    // Publish it now instead: readers see the photo as a <picture> with caption and credit.
    let response = press(&desk, &editor_page, "publish", &[("publish_at", "")]).await;
    story_of(&response);
    assert_eq!(public_status(&t, id).await, StatusCode::OK);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.status, StoryStatus::Published);
    assert_eq!(
        story
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["transport", "Seoul"]
    );
    let page = article(&t, id).await;
    assert_eq!(
        page.all("figure.lead-photo picture source[type='image/webp']")
            .len(),
        1
    );
    assert_eq!(
        page.attr("figure.lead-photo img", "alt"),
        "A lit bus pulling out of a garage at night"
    );
    assert_eq!(
        page.texts("figure.lead-photo figcaption"),
        ["A night bus leaves the depot in Mapo [Park Seo-yeon]"]
    );
    assert_eq!(page.texts("figure.lead-photo .credit"), ["[Park Seo-yeon]"]);
    // The desk lists it under its filters.
    let list = desk
        .page("/newsroom?status=published&q=night", StatusCode::OK)
        .await;
    assert_eq!(
        list.texts(".desk-row td:first-child a"),
        ["Night buses extended"]
    );
    assert_eq!(
        desk.page("/newsroom?status=draft", StatusCode::OK)
            .await
            .texts(".desk-empty"),
        ["No stories match."]
    );
    // Tags already in use are suggested as the writer types.
    let blank = desk.page("/newsroom/stories/new", StatusCode::OK).await;
    let suggested: Vec<&str> = blank
        .all("#known-tags option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .collect();
    assert!(
        suggested.contains(&"transport") && suggested.contains(&"Seoul"),
        "{suggested:?}"
    );
    // Schedule a second story two seconds ahead: it goes live by itself.
    let at = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2)).to_string();
    let response = send(
        &desk,
        "/newsroom/stories/new",
        &section,
        "Ferry strike ends",
        "Crews return.",
        "schedule",
        &at,
    )
    .await;
    let scheduled = story_of(&response);
    assert_eq!(
        t.app.store.story(scheduled).await.unwrap().unwrap().status,
        StoryStatus::Scheduled
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while public_status(&t, scheduled).await != StatusCode::OK {
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduled story did not go live"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A time in the past is refused with the text kept.
    let response = send(
        &desk,
        "/newsroom/stories/new",
        &section,
        "Too late",
        "Text.",
        "schedule",
        "2020-01-01T09:00+09:00",
    )
    .await;
    let page = shown(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(
        page.texts(".form-error"),
        ["The time to publish at has passed; choose a later one or publish now."]
    );
    assert_eq!(page.attr("#headline", "value"), "Too late");
    // Correct the first story: the note stands at its foot.
    let response = desk
        .submit_to(
            &editor_page,
            Some(&format!("/newsroom/stories/{id}/correction")),
            &[("text", "The buses run from Friday, not Thursday.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        article(&t, id).await.texts(".corrections li")[0]
            .ends_with("The buses run from Friday, not Thursday.")
    );
    // Unpublish it: readers get 410.
    let response = press(&desk, &editor_page, "unpublish", &[]).await;
    story_of(&response);
    assert_eq!(public_status(&t, id).await, StatusCode::GONE);
    // Every step is a revision and a line in the audit log.
    let page = desk.page(&editor_page, StatusCode::OK).await;
    assert_eq!(page.all(".revisions li").len(), 6);
    let actions: Vec<String> = t
        .app
        .store
        .audit_entries(20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.story_id == Some(id))
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "unpublished",
            "corrected",
            "published",
            "scheduled",
            "created"
        ]
    );
}

async fn a_stale_form_is_refused_and_its_text_kept(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let first = t.staff("first@example.kr", Role::Editor).await;
    let second = t.staff("second@example.kr", Role::Editor).await;
    let response = send(
        &first,
        "/newsroom/stories/new",
        &section,
        "Rail fares",
        "Draft one.",
        "save",
        "",
    )
    .await;
    let id = story_of(&response);
    let editor_page = format!("/newsroom/stories/{id}");
    // Both open the story; the second saves first.
    let opened_by_first = first.page(&editor_page, StatusCode::OK).await;
    let stale_revision = opened_by_first.attr("input[name='revision']", "value");
    let response = send(
        &second,
        &editor_page,
        &section,
        "Rail fares",
        "The second editor's version.",
        "save",
        "",
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let token = opened_by_first.attr("input[name='csrf']", "value");
    let response = first
        .post_form(
            &editor_page,
            &[
                ("csrf", &token),
                ("revision", &stale_revision),
                ("headline", "Rail fares"),
                ("body", "The first editor's careful rewrite."),
                ("section", &section),
                ("language", "en"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = Page(Html::parse_document(&response.text().await.unwrap()));
    assert!(page.texts(".form-error")[0].starts_with("this story changed since you opened it"));
    assert_eq!(
        page.one("#body").text().collect::<String>(),
        "The first editor's careful rewrite."
    );
    assert_eq!(
        t.app.store.story(id).await.unwrap().unwrap().body,
        "The second editor's version."
    );
}

async fn reporters_save_drafts_and_readers_stay_out(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let reporter = t.staff("reporter@example.kr", Role::Reporter).await;
    let response = send(
        &reporter,
        "/newsroom/stories/new",
        &section,
        "Market day",
        "Stalls open at six.",
        "save",
        "",
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = story_of(&response);
    let editor_page = format!("/newsroom/stories/{id}");
    let page = reporter.page(&editor_page, StatusCode::OK).await;
    assert!(
        page.all("button[value='publish']").is_empty(),
        "no publish button for a reporter"
    );
    let token = page.attr("input[name='csrf']", "value");
    let response = reporter
        .post_form(
            &editor_page,
            &[
                ("csrf", &token),
                ("headline", "Market day"),
                ("body", "x"),
                ("section", &section),
                ("language", "en"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        t.app.store.story(id).await.unwrap().unwrap().status,
        StoryStatus::Draft
    );
    let reader = t.reader("reader@example.kr", "Reader").await;
    assert_eq!(
        reader.get("/newsroom").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        reader.get(&editor_page).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.browser().get("/newsroom").await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn revisions_compare_and_restore_and_corrections_show(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let response = send(
        &desk,
        "/newsroom/stories/new",
        &section,
        "Port reopens",
        "Line one.\nLine two.",
        "publish",
        "",
    )
    .await;
    let id = story_of(&response);
    let editor_page = format!("/newsroom/stories/{id}");
    send(
        &desk,
        &editor_page,
        &section,
        "Port reopens at dawn",
        "Line one.\nLine 2.\nLine three.",
        "save",
        "",
    )
    .await;
    let page = desk.page(&editor_page, StatusCode::OK).await;
    let compare = page.attr(".revisions li:last-child a", "href");
    assert_eq!(compare, format!("/newsroom/stories/{id}/diff?from=1&to=2"));
    let diff = desk.page(&compare, StatusCode::OK).await;
    assert_eq!(diff.texts(".diff-removed"), ["Line two."]);
    assert_eq!(diff.texts(".diff-added"), ["Line 2.", "Line three."]);
    assert_eq!(diff.texts(".diff-headline del"), ["Port reopens"]);
    // Restore revision 1's words as revision 3; the story stays published.
    let response = desk
        .submit_to(
            &compare,
            Some(&format!("/newsroom/stories/{id}/restore")),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(
        (story.revision, story.status, story.body.as_str()),
        (3, StoryStatus::Published, "Line one.\nLine two.")
    );
    assert_eq!(story.headline, "Port reopens");
    // A correction from the editor's page appears at the foot of the story.
    let response = desk
        .submit_to(
            &editor_page,
            Some(&format!("/newsroom/stories/{id}/correction")),
            &[("text", "The port reopened on Tuesday, not Monday.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        article(&t, id).await.texts(".corrections li")[0]
            .ends_with("The port reopened on Tuesday, not Monday.")
    );
}
