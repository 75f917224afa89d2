//! Newsroom saves (revisions, stale forms), the scheduler, and the audit log.

use broadsheet_domain::{Role, StoryStatus};
use broadsheet_store::testing::TestDb;
use broadsheet_store::{DeskFilter, Handoff, ListQuery, ListScope, NewUser, StoreError};
use jiff::{SignedDuration, Timestamp};

contract!(
    every_save_is_a_revision_and_a_stale_form_is_refused,
    scheduled_stories_go_live_once_at_their_time,
    two_schedulers_never_publish_a_story_twice,
    a_submission_waits_until_sent_back_or_published_and_a_refused_one_writes_nothing,
);

async fn editor(db: &TestDb) -> broadsheet_domain::UserId {
    db.store
        .create_user(&NewUser {
            email: Some("desk@example.kr".into()),
            display_name: "Desk".into(),
            password_hash: None,
            role: Role::Editor,
        })
        .await
        .unwrap()
        .id
}

async fn every_save_is_a_revision_and_a_stale_form_is_refused(db: TestDb) {
    let store = &db.store;
    let desk = editor(&db).await;
    let section = super::path(store, &["National"]).await;
    let mut input = super::story(
        section,
        "Tram line opens",
        &["transport"],
        "2026-11-01T09:00:00Z",
    );
    input.status = StoryStatus::Draft;
    let first = store
        .save_story_as(None, &input, Some(desk), None)
        .await
        .unwrap();
    assert_eq!(first.revision, 1);
    input.body = "Second draft.".into();
    let second = store
        .save_story_as(Some(first.id), &input, Some(desk), Some(1))
        .await
        .unwrap();
    assert_eq!(second.revision, 2);
    // Someone still holding revision 1 cannot overwrite revision 2.
    let mut stale = input.clone();
    stale.body = "An old form's text.".into();
    let refused = store
        .save_story_as(Some(first.id), &stale, Some(desk), Some(1))
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Conflict(m) if m.starts_with("this story changed since you opened it")),
        "{refused:?}"
    );
    assert_eq!(
        store.story(first.id).await.unwrap().unwrap().body,
        "Second draft."
    );
    let revisions = store.revisions(first.id).await.unwrap();
    assert_eq!(
        revisions.iter().map(|r| r.revision).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(revisions[0].author.as_deref(), Some("Desk"));
    let old = store.revision_input(first.id, 1).await.unwrap().unwrap();
    assert_eq!(old.body, "The body of Tram line opens.");
    assert_eq!(old.tags, ["transport"]);
    // Publishing is logged with who did it.
    input.status = StoryStatus::Published;
    store
        .save_story_as(Some(first.id), &input, Some(desk), Some(2))
        .await
        .unwrap();
    let log = store.audit_entries(10).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["published", "created"]
    );
    assert_eq!(log[0].user.as_deref(), Some("Desk"));
}

async fn scheduled_stories_go_live_once_at_their_time(db: TestDb) {
    let store = &db.store;
    let desk = editor(&db).await;
    let section = super::path(store, &["National"]).await;
    let now = Timestamp::now();
    let mut due = super::story(section, "Due now", &["schedule"], "2026-11-01T09:00:00Z");
    due.status = StoryStatus::Scheduled;
    due.published_at = Some(now - SignedDuration::from_secs(5));
    let mut later = super::story(
        section,
        "Due tomorrow",
        &["schedule"],
        "2026-11-01T09:00:00Z",
    );
    later.status = StoryStatus::Scheduled;
    later.published_at = Some(now + SignedDuration::from_hours(24));
    let due = store
        .save_story_as(None, &due, Some(desk), None)
        .await
        .unwrap()
        .id;
    let later = store
        .save_story_as(None, &later, Some(desk), None)
        .await
        .unwrap()
        .id;
    let list = ListQuery {
        scope: ListScope::All,
        exclude: None,
        limit: 10,
        offset: 0,
    };
    assert!(
        store.list(&list).await.unwrap().is_empty(),
        "scheduled stories are not listed"
    );
    assert_eq!(store.publish_due(now).await.unwrap(), [due]);
    assert_eq!(store.publish_due(now).await.unwrap(), [], "once only");
    let story = store.story(due).await.unwrap().unwrap();
    assert_eq!(story.status, StoryStatus::Published);
    assert_eq!(story.revision, 2);
    assert_eq!(
        store
            .list(&list)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        [due]
    );
    assert_eq!(
        store.story(later).await.unwrap().unwrap().status,
        StoryStatus::Scheduled
    );
    assert_eq!(
        store.revisions(due).await.unwrap()[0].status,
        StoryStatus::Published
    );
    let log = store.audit_entries(1).await.unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].user.as_deref()),
        ("published", None)
    );
    assert_eq!(log[0].detail, "at its scheduled time");
}

async fn two_schedulers_never_publish_a_story_twice(db: TestDb) {
    let store = &db.store;
    let section = super::path(store, &["National"]).await;
    let now = Timestamp::now();
    for n in 0..20 {
        let mut input = super::story(
            section,
            &format!("Morning brief {n}"),
            &[],
            "2026-11-01T09:00:00Z",
        );
        input.status = StoryStatus::Scheduled;
        input.published_at = Some(now - SignedDuration::from_secs(60 - n));
        store.save_story_as(None, &input, None, None).await.unwrap();
    }
    let other = broadsheet_store::Store::open(&db.url).await.unwrap();
    let (a, b) = tokio::join!(store.publish_due(now), other.publish_due(now));
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut all: Vec<_> = a.iter().chain(b.iter()).copied().collect();
    all.sort();
    all.dedup();
    assert_eq!(a.len() + b.len(), 20, "every story published: {a:?} {b:?}");
    assert_eq!(all.len(), 20, "none twice");
    let log = store.audit_entries(100).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "published").count(), 20);
}

async fn a_submission_waits_until_sent_back_or_published_and_a_refused_one_writes_nothing(
    db: TestDb,
) {
    let store = &db.store;
    let desk = editor(&db).await;
    let section = super::path(store, &["National"]).await;
    let mut input = super::story(section, "Dam opens", &[], "2026-11-01T09:00:00Z");
    input.status = StoryStatus::Draft;
    input.published_at = None;
    let submit = Handoff::Submit {
        note: "For the desk".into(),
    };
    let saved = store
        .save_story_handoff(None, &input, Some(desk), None, &submit)
        .await
        .unwrap();
    let waiting = store.submission(saved.id).await.unwrap().unwrap();
    assert_eq!(
        (waiting.by.as_deref(), waiting.note.as_str()),
        (Some("Desk"), "For the desk")
    );
    let queue = DeskFilter {
        submitted: true,
        limit: 10,
        ..DeskFilter::default()
    };
    assert_eq!(store.desk(&queue).await.unwrap().len(), 1);
    // A stale save that would send it back writes neither the words nor the hand-off.
    let mut stale = input.clone();
    stale.body = "Stale words.".into();
    let back = Handoff::SendBack {
        note: "Check the figures".into(),
    };
    let refused = store
        .save_story_handoff(Some(saved.id), &stale, Some(desk), Some(0), &back)
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Conflict(_)), "{refused:?}");
    assert!(store.submission(saved.id).await.unwrap().is_some());
    assert_eq!(store.story(saved.id).await.unwrap().unwrap().revision, 1);
    // Sent back: out of the queue, and logged with its note.
    store
        .save_story_handoff(Some(saved.id), &input, Some(desk), Some(1), &back)
        .await
        .unwrap();
    assert!(store.submission(saved.id).await.unwrap().is_none());
    assert!(store.desk(&queue).await.unwrap().is_empty());
    let refused = store
        .save_story_handoff(Some(saved.id), &input, Some(desk), Some(2), &back)
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(_)), "{refused:?}");
    assert_eq!(store.story(saved.id).await.unwrap().unwrap().revision, 2);
    // Submitted again, then published: publishing ends the wait in the same save.
    store
        .save_story_handoff(Some(saved.id), &input, Some(desk), Some(2), &submit)
        .await
        .unwrap();
    let mut live = input.clone();
    live.status = StoryStatus::Published;
    live.published_at = Some(Timestamp::now());
    store
        .save_story_as(Some(saved.id), &live, Some(desk), Some(3))
        .await
        .unwrap();
    assert!(store.submission(saved.id).await.unwrap().is_none());
    // Only a draft can be submitted.
    let refused = store
        .save_story_handoff(Some(saved.id), &live, Some(desk), Some(4), &submit)
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(_)), "{refused:?}");
    let log: Vec<(String, String)> = store
        .audit_entries(10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect();
    let log: Vec<(&str, &str)> = log.iter().map(|(a, d)| (a.as_str(), d.as_str())).collect();
    assert_eq!(
        log,
        [
            ("published", ""),
            ("submitted", "For the desk"),
            ("sent back", "Check the figures"),
            ("submitted", "For the desk"),
            ("created", ""),
        ]
    );
}
