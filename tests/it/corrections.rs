//! Corrections: appended by an editor, shown at the story's foot, moving its `Updated:` time
//! and its feed entry.

use crate::both_backends;
use crate::harness::TestApp;
use broadsheet_domain::StoryStatus;
use broadsheet_store::{Backend, StoreError};
use reqwest::StatusCode;

both_backends!(a_correction_is_dated_shown_and_fed);

async fn a_correction_is_dated_shown_and_fed(backend: Backend) {
    let t = TestApp::new(backend).await;
    let section = t
        .app
        .store
        .ensure_section_path(&["National".to_string()], None)
        .await
        .unwrap();
    let input = crate::reader_input(section, "Ferry fares rise in March", &[]);
    let id = t
        .app
        .store
        .save_story_as(None, &input, None, None)
        .await
        .unwrap()
        .id;
    t.settle().await;
    let path = t
        .redirect(
            &format!("/national/2000/01/01/x/{id}"),
            StatusCode::MOVED_PERMANENTLY,
        )
        .await;
    let before = t.page(&path, StatusCode::OK).await;
    assert!(before.all(".corrections").is_empty());

    // Words are checked first; a draft takes none.
    let empty = t
        .app
        .store
        .add_correction(id, "  ", None)
        .await
        .unwrap_err();
    assert_eq!(empty.to_string(), "correction: must not be empty");
    let mut draft = crate::reader_input(section, "Not out yet", &[]);
    draft.status = StoryStatus::Draft;
    let draft = t
        .app
        .store
        .save_story_as(None, &draft, None, None)
        .await
        .unwrap()
        .id;
    let refused = t
        .app
        .store
        .add_correction(draft, "Too early", None)
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(_)), "{refused:?}");

    let correction = t
        .app
        .store
        .add_correction(
            id,
            "An earlier version gave the new fare as 2,500 won; it is 2,300 won.",
            None,
        )
        .await
        .unwrap();
    t.settle().await;
    let page = t.page(&path, StatusCode::OK).await;
    assert_eq!(page.texts(".corrections h2"), ["Corrections"]);
    let item = page.texts(".corrections li").remove(0);
    assert!(
        item.ends_with(": An earlier version gave the new fare as 2,500 won; it is 2,300 won."),
        "{item}"
    );
    let iso = page.attr(".corrections time", "datetime");
    let shown: jiff::Timestamp = iso.parse().unwrap();
    assert_eq!(shown.as_second(), correction.at.as_second());
    // The Updated: line now shows the correction's time.
    let updated = page
        .all("time")
        .iter()
        .filter_map(|t| t.value().attr("datetime"))
        .filter(|d| *d == iso)
        .count();
    assert!(
        updated >= 2,
        "the Updated: time matches the correction ({iso})"
    );
    // The feed entry is updated too.
    let atom = t.get("/feeds/atom.xml").await.text().await.unwrap();
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Ferry fares rise in March")
        .unwrap();
    assert_eq!(
        entry.updated.unwrap().timestamp(),
        correction.at.as_second()
    );
    // A revision and an audit entry.
    assert_eq!(t.app.store.story(id).await.unwrap().unwrap().revision, 2);
    let log = t.app.store.audit_entries(1).await.unwrap();
    assert_eq!(log[0].action, "corrected");
}
