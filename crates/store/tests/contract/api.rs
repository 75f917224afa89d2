//! The API's store: tokens kept by hash and revoked for good, with audit entries, and the
//! keyset pages of stories, images and tags, the same on both backends.

use broadsheet_domain::{MediaInput, Role, SectionId, StoryId, StoryInput, StoryKind, StoryStatus};
use broadsheet_store::testing::TestDb;
use broadsheet_store::{ApiScope, NewUser, StoreError, StoryFilter};
use jiff::{SignedDuration, Timestamp};

contract!(
    tokens_are_found_by_hash_until_revoked,
    story_pages_resume_after_a_position,
    library_and_tag_pages_resume_too,
    a_shared_secret_is_made_once,
);

async fn tokens_are_found_by_hash_until_revoked(db: TestDb) {
    let store = &db.store;
    let admin = store
        .create_user(&NewUser {
            email: Some("boss@example.kr".into()),
            display_name: "Boss".into(),
            password_hash: None,
            role: Role::Admin,
        })
        .await
        .unwrap();
    let made = store
        .create_api_token("hash-one", "  Wire importer ", ApiScope::Write, admin.id)
        .await
        .unwrap();
    assert_eq!(
        (made.name.as_str(), made.scope),
        ("Wire importer", ApiScope::Write)
    );
    assert_eq!(made.user_email.as_deref(), Some("boss@example.kr"));
    assert_eq!(made.last_used_at, None);
    let found = store.api_token_by_hash("hash-one").await.unwrap().unwrap();
    assert_eq!(found.id, made.id);
    assert!(store.api_token_by_hash("hash-two").await.unwrap().is_none());
    // The same hash twice is refused; a bad name writes nothing.
    assert!(matches!(
        store
            .create_api_token("hash-one", "Again", ApiScope::Read, admin.id)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.create_api_token("hash-3", &"n".repeat(101), ApiScope::Read, admin.id).await,
        Err(StoreError::Invalid(e)) if e.field == "name"
    ));
    assert_eq!(store.api_tokens().await.unwrap().len(), 1);
    let at = Timestamp::from_second(1_800_000_000).unwrap();
    store.touch_api_token(made.id, at).await.unwrap();
    assert_eq!(
        store
            .api_token(made.id)
            .await
            .unwrap()
            .unwrap()
            .last_used_at,
        Some(at)
    );

    let revoked = store
        .revoke_api_token(made.id, Some(admin.id))
        .await
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(store.api_token_by_hash("hash-one").await.unwrap().is_none());
    assert!(matches!(
        store.revoke_api_token(made.id, None).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.revoke_api_token(999, None).await,
        Err(StoreError::NotFound(_))
    ));
    let actions: Vec<(String, Option<String>)> = store
        .audit_entries(10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.user))
        .collect();
    assert_eq!(
        actions,
        [
            ("API token revoked".to_string(), Some("Boss".to_string())),
            ("API token made".to_string(), Some("Boss".to_string())),
        ]
    );
}

fn story(
    section: SectionId,
    headline: &str,
    status: StoryStatus,
    at: Option<Timestamp>,
) -> StoryInput {
    StoryInput {
        external_id: None,
        kind: StoryKind::Article,
        status,
        headline: headline.into(),
        deck: None,
        body: "Text.".into(),
        section_id: section,
        language: "en".into(),
        tags: vec!["Harbours".into()],
        sources: vec![],
        lead_media: None,
        gallery: vec![],
        related_story_id: None,
        related_after: None,
        published_at: at,
        updated_at: None,
        link_refs: vec![],
    }
}

async fn story_pages_resume_after_a_position(db: TestDb) {
    let store = &db.store;
    let section = store
        .ensure_section_path(&["National".into()], None)
        .await
        .unwrap();
    let noon: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
    let mut published = Vec::new();
    // Three at one moment, two earlier: ties are broken by id, newest first.
    for (i, hours) in [0, 0, 0, 1, 2].into_iter().enumerate() {
        let at = noon - SignedDuration::from_hours(hours);
        let input = story(
            section,
            &format!("Story {i}"),
            StoryStatus::Published,
            Some(at),
        );
        published.push(store.save_story(None, &input).await.unwrap().id);
    }
    let draft = store
        .save_story(None, &story(section, "A draft", StoryStatus::Draft, None))
        .await
        .unwrap()
        .id;
    let expected_published = vec![
        published[2],
        published[1],
        published[0],
        published[3],
        published[4],
    ];
    let mut filter = StoryFilter {
        status: Some(StoryStatus::Published),
        limit: 2,
        ..StoryFilter::default()
    };
    let mut seen: Vec<StoryId> = Vec::new();
    loop {
        let page = store.story_page(&filter).await.unwrap();
        seen.extend(page.iter().map(|s| s.id));
        match page.last() {
            Some(last) if page.len() == 2 => filter.after = Some(last.position),
            _ => break,
        }
    }
    assert_eq!(seen, expected_published);
    // A draft sorts by when it was made (now: after everything published in 2026-11).
    let all = store
        .story_page(&StoryFilter {
            limit: 10,
            ..StoryFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(all[0].id, draft);
    assert_eq!(all.len(), 6);
    // Filters: time windows, sections.
    let window = store
        .story_page(&StoryFilter {
            published_since: Some(noon - SignedDuration::from_mins(90)),
            published_until: Some(noon),
            limit: 10,
            ..StoryFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        window.iter().map(|s| s.id).collect::<Vec<_>>(),
        [published[3]]
    );
    let nowhere = store
        .story_page(&StoryFilter {
            sections: Some(vec![]),
            limit: 10,
            ..StoryFilter::default()
        })
        .await
        .unwrap();
    assert!(nowhere.is_empty());
    let tag = store.tag_by_slug("harbours").await.unwrap().unwrap();
    let tagged = store
        .story_page(&StoryFilter {
            tag: Some(tag.id),
            sections: Some(vec![section]),
            modified_since: Some(Timestamp::now() - SignedDuration::from_hours(1)),
            limit: 10,
            ..StoryFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(tagged.len(), 6);
}

async fn library_and_tag_pages_resume_too(db: TestDb) {
    let store = &db.store;
    let mut ids = Vec::new();
    for i in 0..3 {
        let media = store
            .add_media(&MediaInput {
                file: format!("photo{i}.jpg"),
                mime: "image/jpeg".into(),
                width: 100,
                height: 80,
                caption: format!("Caption {i}"),
                credit: None,
                alt: "Alt".into(),
            })
            .await
            .unwrap();
        ids.push(media.id);
    }
    let first = store.library_page(None, None, 2).await.unwrap();
    assert_eq!(
        first.iter().map(|i| i.media.id).collect::<Vec<_>>(),
        [ids[2], ids[1]]
    );
    let last = first.last().unwrap();
    let rest = store
        .library_page(None, Some((last.created_at, last.media.id)), 2)
        .await
        .unwrap();
    assert_eq!(
        rest.iter().map(|i| i.media.id).collect::<Vec<_>>(),
        [ids[0]]
    );
    assert_eq!(
        store
            .library_item(ids[1])
            .await
            .unwrap()
            .unwrap()
            .media
            .caption,
        "Caption 1"
    );
    assert!(
        store
            .library_item(broadsheet_domain::MediaId(999))
            .await
            .unwrap()
            .is_none()
    );

    let section = store
        .ensure_section_path(&["National".into()], None)
        .await
        .unwrap();
    let mut input = story(section, "Tagged", StoryStatus::Draft, None);
    input.tags = vec!["Charlie".into(), "Alpha".into(), "Bravo".into()];
    store.save_story(None, &input).await.unwrap();
    let page = store.tag_page(None, 2).await.unwrap();
    assert_eq!(
        page.iter()
            .map(|(t, n)| (t.slug.as_str(), *n))
            .collect::<Vec<_>>(),
        [("alpha", 1), ("bravo", 1)]
    );
    let next = store.tag_page(Some("bravo"), 2).await.unwrap();
    assert_eq!(
        next.iter()
            .map(|(t, _)| t.slug.as_str())
            .collect::<Vec<_>>(),
        ["charlie"]
    );
}

async fn a_shared_secret_is_made_once(db: TestDb) {
    let store = &db.store;
    let first = store.shared_secret("api.test_secret", "one").await.unwrap();
    let second = store.shared_secret("api.test_secret", "two").await.unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("one", "one"));
}
