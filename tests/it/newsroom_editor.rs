//! The story editor's tools over HTTP, without JavaScript: the preview, the photo and
//! related-story pickers, gallery order, bylines, and the refusals that keep the writer's
//! text and write nothing.

use crate::both_backends;
use crate::harness::{Browser, Page, TestApp};
use crate::media_library::{fixtures, upload, words};
use crate::newsroom_form::{article, form_values, national, press, press_on, shown, story_of};
use broadsheet_domain::{MediaId, MediaInput, Role, SourceKind, StoryId, StoryStatus};
use broadsheet_store::Backend;
use reqwest::StatusCode;

both_backends!(
    the_preview_renders_the_form_and_saves_nothing,
    pickers_choose_a_lead_photo_and_a_related_story,
    gallery_photos_are_added_moved_and_removed_in_order,
    bylines_credit_staff_writers_and_wire_services,
    refusals_name_the_problem_keep_the_text_and_write_nothing,
);

const NEW: &str = "/newsroom/stories/new";

async fn section(t: &TestApp) -> String {
    national(t).await.0.to_string()
}

/// Upload a photo to the library and return its id.
async fn library_photo(t: &TestApp, browser: &Browser, caption: &str) -> MediaId {
    let response = upload(
        browser,
        fixtures::jpeg_with_exif_gps(800, 500),
        "photo.jpg",
        &words(caption, "Desk", &format!("Alt for {caption}")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    t.app
        .store
        .library(100)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.media.caption == caption)
        .unwrap()
        .media
        .id
}

/// A published story to point the related box at.
async fn published(t: &TestApp, headline: &str) -> StoryId {
    let input = crate::reader_input(national(t).await, headline, &[]);
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.settle().await;
    id
}

async fn the_preview_renders_the_form_and_saves_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let body = "# A heading\n\nFirst *paragraph*.\n\n<script>alert(1)</script>Second.";
    let response = press(
        &desk,
        NEW,
        "preview",
        &[
            ("headline", "Rain on the coast"),
            ("deck", "Heavy rain is expected."),
            ("body", body),
            ("section", &section),
        ],
    )
    .await;
    let page = shown(response, StatusCode::OK).await;
    // The site's renderer: Markdown to HTML, headings moved down, scripts dropped.
    assert_eq!(
        page.texts(".editor-preview .preview-headline"),
        ["Rain on the coast"]
    );
    assert_eq!(
        page.texts(".editor-preview .deck"),
        ["Heavy rain is expected."]
    );
    assert_eq!(page.texts(".editor-preview .story-body h2"), ["A heading"]);
    assert_eq!(page.texts(".editor-preview .story-body em"), ["paragraph"]);
    assert!(page.all(".editor-preview script").is_empty());
    assert!(page.all(".editor-preview h1").is_empty());
    // The form is back as typed, and nothing was written.
    assert_eq!(page.attr("#headline", "value"), "Rain on the coast");
    assert_eq!(page.one("#body").text().collect::<String>(), body);
    assert_eq!(t.app.store.story_count().await.unwrap(), 0);
    // Saving from the preview keeps what was previewed.
    let id = story_of(&press_on(&desk, &page, "save", &[], None).await);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!((story.body.as_str(), story.revision), (body, 1));
    // On a saved story a preview of changed words leaves the story as it was.
    let editor_page = format!("/newsroom/stories/{id}");
    let response = press(
        &desk,
        &editor_page,
        "preview",
        &[("body", "Changed words.")],
    )
    .await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.texts(".editor-preview .story-body p"),
        ["Changed words."]
    );
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!((story.body.as_str(), story.revision), (body, 1));
    assert_eq!(t.app.store.revisions(id).await.unwrap().len(), 1);
}

async fn pickers_choose_a_lead_photo_and_a_related_story(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let harbour = library_photo(&t, &desk, "Fishing boats in the harbour at dawn").await;
    library_photo(&t, &desk, "Market stalls in Jongno").await;
    let bridge = published(&t, "New bridge opens over the Han").await;
    published(&t, "Museum extends its hours").await;
    // Find a photo by its caption and choose it as the lead.
    let response = press(
        &desk,
        NEW,
        "find_photos",
        &[
            ("headline", "Boats return"),
            ("body", "One.\n\nTwo.\n\nThree."),
            ("section", &section),
            ("photo_q", "HARBOUR"),
        ],
    )
    .await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.texts(".photo-result .photo-caption"),
        ["Fishing boats in the harbour at dawn"]
    );
    assert!(page.attr(".photo-result img", "src").starts_with("/media/"));
    let response = press_on(&desk, &page, &format!("lead:{harbour}"), &[], None).await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.texts(".lead-pick .photo-caption"),
        ["Fishing boats in the harbour at dawn"]
    );
    assert_eq!(page.texts(".lead-pick .photo-credit"), ["[Desk]"]);
    assert_eq!(page.attr("#headline", "value"), "Boats return");
    // Find a published story by its headline and choose it for the related box.
    let response = press_on(
        &desk,
        &page,
        "find_related",
        &[("related_q", "bridge")],
        None,
    )
    .await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(page.all(".related-result").len(), 1);
    assert!(page.texts(".related-result")[0].starts_with("New bridge opens over the Han"));
    let response = press_on(&desk, &page, &format!("related:{bridge}"), &[], None).await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.texts(".related-pick a"),
        ["New bridge opens over the Han"]
    );
    assert_eq!(page.attr("#related_after", "value"), "2");
    // The preview puts the box after the second paragraph.
    let response = press_on(&desk, &page, "preview", &[], None).await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.child_tags(".editor-preview .story-body"),
        ["p", "p", "aside", "p"]
    );
    assert_eq!(
        page.texts(".editor-preview .lead-photo figcaption"),
        ["Fishing boats in the harbour at dawn [Desk]"]
    );
    // Nothing so far was saved; now it is, and readers see it all.
    assert_eq!(t.app.store.story_count().await.unwrap(), 2);
    let id = story_of(&press_on(&desk, &page, "publish", &[("related_after", "1")], None).await);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.lead_media.map(|m| m.id), Some(harbour));
    assert_eq!(
        (story.related_story_id, story.related_after),
        (Some(bridge), Some(1))
    );
    let page = article(&t, id).await;
    assert_eq!(page.child_tags(".story-body"), ["p", "aside", "p", "p"]);
    assert_eq!(
        page.texts(".related-inline-headline a"),
        ["New bridge opens over the Han"]
    );
    // A chosen story or photo can be taken off again.
    let editor_page = format!("/newsroom/stories/{id}");
    let page = shown(
        press(&desk, &editor_page, "related_clear", &[]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page.texts(".no-related"), ["No related story."]);
    let page = shown(
        press_on(&desk, &page, "lead_clear", &[], None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page.texts(".no-lead"), ["No lead photo."]);
    story_of(&press_on(&desk, &page, "save", &[], None).await);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!((story.lead_media, story.related_story_id), (None, None));
}

fn gallery_order(page: &Page) -> Vec<String> {
    form_values(page)
        .1
        .into_iter()
        .filter(|(k, _)| k == "gallery")
        .map(|(_, v)| v)
        .collect()
}

async fn gallery_photos_are_added_moved_and_removed_in_order(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let a = library_photo(&t, &desk, "Photo A, the pier").await;
    let b = library_photo(&t, &desk, "Photo B, the nets").await;
    let c = library_photo(&t, &desk, "Photo C, the catch").await;
    let response = press(
        &desk,
        NEW,
        "find_photos",
        &[
            ("headline", "A morning at the fish market — in pictures"),
            ("kind", "gallery"),
            ("body", ""),
            ("section", &section),
            ("photo_q", "photo"),
        ],
    )
    .await;
    let mut page = shown(response, StatusCode::OK).await;
    assert_eq!(page.all(".photo-result").len(), 3);
    for id in [a, b, c] {
        let response = press_on(&desk, &page, &format!("gallery_add:{id}"), &[], None).await;
        page = shown(response, StatusCode::OK).await;
    }
    let ids = |list: &[MediaId]| list.iter().map(|m| m.to_string()).collect::<Vec<_>>();
    assert_eq!(gallery_order(&page), ids(&[a, b, c]));
    assert_eq!(
        page.texts(".gallery-pick .photo-caption"),
        [
            "Photo A, the pier",
            "Photo B, the nets",
            "Photo C, the catch"
        ]
    );
    // The first photo cannot move up, nor the last down.
    assert!(
        page.all(&format!("button[value='gallery_up:{a}']"))
            .is_empty()
    );
    assert!(
        page.all(&format!("button[value='gallery_down:{c}']"))
            .is_empty()
    );
    let page = shown(
        press_on(&desk, &page, &format!("gallery_up:{c}"), &[], None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gallery_order(&page), ids(&[a, c, b]));
    let page = shown(
        press_on(&desk, &page, &format!("gallery_down:{a}"), &[], None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gallery_order(&page), ids(&[c, a, b]));
    let page = shown(
        press_on(&desk, &page, &format!("gallery_remove:{a}"), &[], None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(gallery_order(&page), ids(&[c, b]));
    // Adding a photo twice is refused kindly, and changes nothing.
    let page = shown(
        press_on(&desk, &page, &format!("gallery_add:{b}"), &[], None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        page.texts(".form-notice")[0],
        "That photo is in the gallery already. Nothing is saved until you press Save."
    );
    assert_eq!(gallery_order(&page), ids(&[c, b]));
    assert_eq!(t.app.store.story_count().await.unwrap(), 0);
    let id = story_of(&press_on(&desk, &page, "publish", &[], None).await);
    let story = t.app.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.kind, broadsheet_domain::StoryKind::Gallery);
    assert_eq!(
        story.gallery.iter().map(|m| m.id).collect::<Vec<_>>(),
        [c, b]
    );
    let page = article(&t, id).await;
    assert_eq!(
        page.texts(".gallery figcaption"),
        ["Photo C, the catch [Desk]", "Photo B, the nets [Desk]"]
    );
    // Reopened, the editor shows the saved order.
    let page = desk
        .page(&format!("/newsroom/stories/{id}"), StatusCode::OK)
        .await;
    assert_eq!(gallery_order(&page), ids(&[c, b]));
}

async fn bylines_credit_staff_writers_and_wire_services(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let response = press(
        &desk,
        NEW,
        "add_byline",
        &[
            ("headline", "Port strike called off"),
            ("body", "Dockers return on Monday."),
            ("section", &section),
            ("source_name", "Han Ji-woo"),
            ("source_kind", "staff"),
        ],
    )
    .await;
    let page = shown(response, StatusCode::OK).await;
    // The typed name stays and two empty rows follow (the usual one and the one asked for).
    let names: Vec<String> = form_values(&page)
        .1
        .into_iter()
        .filter(|(k, _)| k == "source_name")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(names, ["Han Ji-woo", "", ""]);
    let id = story_of(
        &press_on(
            &desk,
            &page,
            "publish",
            &[
                ("source_name", "Han Ji-woo"),
                ("source_kind", "staff"),
                ("source_name", "Harbour Wire"),
                ("source_kind", "wire"),
                ("source_name", ""),
                ("source_kind", "staff"),
            ],
            None,
        )
        .await,
    );
    let story = t.app.store.story(id).await.unwrap().unwrap();
    let credited: Vec<(&str, SourceKind)> = story
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.kind))
        .collect();
    assert_eq!(
        credited,
        [
            ("Han Ji-woo", SourceKind::Staff),
            ("Harbour Wire", SourceKind::Wire)
        ]
    );
    assert_eq!(
        article(&t, id).await.texts(".source-line a"),
        ["Han Ji-woo", "Harbour Wire"]
    );
    // The names in use are offered to the next writer.
    let blank = desk.page(NEW, StatusCode::OK).await;
    let offered: Vec<&str> = blank
        .all("#known-sources option")
        .iter()
        .filter_map(|o| o.value().attr("value"))
        .collect();
    assert_eq!(offered, ["Han Ji-woo", "Harbour Wire"]);
    // A wire service cannot be credited as a staff writer: refused, text kept, nothing written.
    let response = press(
        &desk,
        NEW,
        "save",
        &[
            ("headline", "Second story"),
            ("body", "Text."),
            ("section", &section),
            ("source_name", "Harbour Wire"),
            ("source_kind", "staff"),
        ],
    )
    .await;
    let page = shown(response, StatusCode::CONFLICT).await;
    assert_eq!(
        page.texts(".form-error"),
        ["'Harbour Wire' is already a wire source, not a staff one"]
    );
    assert_eq!(page.attr("#headline", "value"), "Second story");
    assert_eq!(t.app.store.story_count().await.unwrap(), 1);
}

async fn refusals_name_the_problem_keep_the_text_and_write_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = section(&t).await;
    let desk = t.staff("desk@example.kr", Role::Editor).await;
    let typed = [
        ("headline", "Typhoon warning"),
        ("body", "Stay indoors.\n\nSchools close."),
        ("section", section.as_str()),
    ];
    let refused = |response: reqwest::Response, status: StatusCode| async move {
        let page = shown(response, status).await;
        assert_eq!(page.attr("#headline", "value"), "Typhoon warning");
        assert_eq!(
            page.one("#body").text().collect::<String>(),
            "Stay indoors.\n\nSchools close."
        );
        page.texts(".form-error").join(" ")
    };
    // An imported photo without a caption cannot be the lead.
    let bare = t
        .app
        .store
        .add_media(&MediaInput {
            file: "imported.jpg".into(),
            mime: "image/jpeg".into(),
            width: 10,
            height: 10,
            caption: String::new(),
            credit: None,
            alt: "A harbour".into(),
        })
        .await
        .unwrap();
    let with = |extra: &[(&'static str, String)]| {
        // What the case types replaces the usual field of that name.
        let mut all: Vec<(&str, String)> = typed
            .iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .map(|(k, v)| (*k, v.to_string()))
            .collect();
        all.extend(extra.iter().cloned());
        all
    };
    // The fields typed, the button pressed, the answer and what its message must say.
    type Case<'a> = (Vec<(&'a str, String)>, &'a str, StatusCode, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            with(&[("lead", bare.id.to_string())]),
            "save",
            StatusCode::BAD_REQUEST,
            "The lead photo (photo 1) lacks a caption: every photo is published with a caption",
        ),
        (
            with(&[("lead", "99999".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "There is no photo 99999",
        ),
        (
            with(&[("lead", "x'1".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "The lead photo 'x'1' is not a number",
        ),
        (
            with(&[("gallery", "99998".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "There is no photo 99998 in the media library; remove it from the gallery.",
        ),
        (
            with(&[("kind", "poem".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "'poem' is not a kind of story",
        ),
        (
            with(&[("kind", "gallery".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "a gallery needs at least one photo",
        ),
        (
            with(&[("section", "424242".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "There is no section 424242",
        ),
        (
            with(&[("related", "77777".into()), ("related_after", "1".into())]),
            "save",
            StatusCode::BAD_REQUEST,
            "Story 77777 is not a published story",
        ),
        (
            with(&[]),
            "explode",
            StatusCode::BAD_REQUEST,
            "'explode' is not something the editor can do",
        ),
        (
            with(&[]),
            "upload_lead",
            StatusCode::BAD_REQUEST,
            "Choose a photo file to upload.",
        ),
        (
            with(&[("publish_at", "next Tuesday".into())]),
            "schedule",
            StatusCode::BAD_REQUEST,
            "'next Tuesday' is not a time",
        ),
        (
            with(&[("note", "x".repeat(1001))]),
            "submit",
            StatusCode::BAD_REQUEST,
            "note: is 1001 characters long",
        ),
    ];
    for (fields, button, status, expected) in cases {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = press(&desk, NEW, button, &borrowed).await;
        assert_eq!(response.status(), status, "{button} {fields:?}");
        let message = refused(response, status).await;
        assert!(message.contains(expected), "{button} {fields:?}: {message}");
    }
    assert_eq!(
        t.app.store.story_count().await.unwrap(),
        0,
        "nothing was saved"
    );
    // A photo the library does not have is shown as missing, with a way to take it off.
    let missing = with(&[("gallery", "99998".into()), ("lead", "99997".into())]);
    let response = press(&desk, NEW, "preview", &borrow(&missing)).await;
    let page = shown(response, StatusCode::OK).await;
    assert_eq!(
        page.texts(".gallery-pick .photo-caption"),
        ["Photo 99998 is not in the media library."]
    );
    assert_eq!(
        page.texts(".lead-pick .photo-caption"),
        ["Photo 99997 is not in the media library."]
    );
    let response = press_on(&desk, &page, "gallery_remove:99998", &[], None).await;
    let page = shown(response, StatusCode::OK).await;
    let page = shown(
        press_on(&desk, &page, "lead_clear", &[], None).await,
        StatusCode::OK,
    )
    .await;
    assert!(page.all(".gallery-pick").is_empty() && page.all(".lead-pick").is_empty());
    // A draft cannot stand in the related box, nor can the box stand after the last paragraph.
    let draft = story_of(
        &press(
            &desk,
            NEW,
            "save",
            &[
                ("headline", "A draft"),
                ("body", "x"),
                ("section", &section),
            ],
        )
        .await,
    );
    let live = published(&t, "A published story").await;
    let message = refused(
        press(
            &desk,
            NEW,
            "save",
            &borrow(&with(&[
                ("related", draft.to_string()),
                ("related_after", "1".into()),
            ])),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(
        message.contains(&format!("Story {draft} is not a published story")),
        "{message}"
    );
    let message = refused(
        press(
            &desk,
            NEW,
            "save",
            &borrow(&with(&[
                ("related", live.to_string()),
                ("related_after", "2".into()),
            ])),
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(
        message.contains("no paragraph after paragraph 2"),
        "{message}"
    );
    // An upload from the editor without alt text: the words stay, the library stays empty.
    let page = desk.page(NEW, StatusCode::OK).await;
    let response = press_on(
        &desk,
        &page,
        "upload_lead",
        &[
            ("headline", "Typhoon warning"),
            ("body", "Stay indoors.\n\nSchools close."),
            ("section", &section),
            ("lead_caption", "Waves over the sea wall"),
            ("lead_alt", " "),
        ],
        Some(fixtures::jpeg_with_exif_gps(400, 300)),
    )
    .await;
    let page = shown(response, StatusCode::BAD_REQUEST).await;
    assert!(
        page.texts(".form-error")[0].contains("alt text"),
        "{:?}",
        page.texts(".form-error")
    );
    assert_eq!(
        page.one("#lead_caption").text().collect::<String>(),
        "Waves over the sea wall"
    );
    let library = t.app.store.library(10).await.unwrap();
    assert_eq!(
        library.iter().map(|i| i.media.id).collect::<Vec<_>>(),
        [bare.id],
        "only the imported photo is in the library"
    );
    // A form of more text than any form of the site carries is refused whole.
    let huge = "word ".repeat(60_000);
    let response = press(
        &desk,
        NEW,
        "save",
        &[("headline", "Huge"), ("body", &huge), ("section", &section)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Without the form's token (as from a forged page) the form is refused unread.
    let (action, values) = form_values(&desk.page(NEW, StatusCode::OK).await);
    assert!(action.starts_with("/newsroom/stories?csrf="), "{action}");
    let mut forged = reqwest::multipart::Form::new();
    for (name, value) in values.into_iter().filter(|(name, _)| name != "csrf") {
        forged = forged.text(name, value);
    }
    let response = desk
        .client
        .post(format!("{}/newsroom/stories", desk.base()))
        .header("connection", "close")
        .multipart(
            forged
                .text("headline", "Forged")
                .text("body", "x")
                .text("action", "save"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Only the draft made on purpose above and the published story exist.
    assert_eq!(t.app.store.story_count().await.unwrap(), 2);
    assert_eq!(
        t.app.store.story(draft).await.unwrap().unwrap().status,
        StoryStatus::Draft
    );
}

fn borrow<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
