//! The store contract: every test here runs on SQLite and on PostgreSQL, each on a database
//! of its own. If the two backends disagree on anything a caller can see, a test here fails.

use broadsheet_domain::{
    LinkRef, LinkRefKind, MediaInput, SectionId, SourceInput, SourceKind, StoryId, StoryInput,
    StoryKind, StoryStatus,
};
use broadsheet_store::testing::TestDb;
use broadsheet_store::{ListQuery, ListScope, Store, StoreError};
use jiff::Timestamp;

/// Run each listed test against both backends.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(broadsheet_store::testing::TestDb::sqlite().await).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                super::$name(broadsheet_store::testing::TestDb::postgres().await).await
            })*
        }
    };
}

#[path = "contract/accounts.rs"]
mod accounts;
#[path = "contract/api.rs"]
mod api;
#[path = "contract/comments.rs"]
mod comments;
#[path = "contract/media.rs"]
mod media;
#[path = "contract/newsroom.rs"]
mod newsroom;

contract!(
    sections_are_created_once_along_a_path,
    reserved_top_level_names_are_refused,
    a_story_reads_back_whole,
    saving_by_external_id_updates_in_place,
    a_wire_record_is_kept_with_its_story_and_replaced,
    invalid_input_writes_nothing,
    a_failed_write_leaves_nothing_half_written,
    published_stories_cannot_become_drafts,
    lists_follow_sections_tags_sources_and_status,
    related_stories_rank_by_shared_tags_then_section,
    headlines_resolve_despite_case_and_quotes,
    settings_round_trip_and_emit_events,
    a_name_is_either_wire_or_staff,
    gallery_photos_keep_their_order,
    a_dropped_writer_leaves_nothing,
    stories_read_in_bulk_whole_and_in_order,
    sitemap_entries_walk_the_archive_oldest_first,
    sitemap_recent_stories_sections_and_tags,
    story_texts_come_in_id_order_with_facets,
);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn story(section: SectionId, headline: &str, tags: &[&str], published: &str) -> StoryInput {
    StoryInput {
        external_id: None,
        kind: StoryKind::Article,
        status: StoryStatus::Published,
        headline: headline.into(),
        deck: None,
        body: format!("The body of {headline}."),
        section_id: section,
        language: "en".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        sources: vec![SourceInput {
            name: "Harbour News Agency".into(),
            kind: SourceKind::Wire,
        }],
        lead_media: None,
        gallery: vec![],
        related_story_id: None,
        related_after: None,
        published_at: Some(at(published)),
        updated_at: None,
        link_refs: vec![],
    }
}

async fn path(store: &Store, names: &[&str]) -> SectionId {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    store.ensure_section_path(&names, None).await.unwrap()
}

async fn headlines(store: &Store, scope: ListScope) -> Vec<String> {
    let query = ListQuery {
        scope,
        exclude: None,
        limit: 50,
        offset: 0,
    };
    store
        .list(&query)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.headline)
        .collect()
}

async fn sections_are_created_once_along_a_path(db: TestDb) {
    let store = &db.store;
    let nk = path(store, &["National", "North Korea"]).await;
    let again = path(store, &["national", "North Korea"]).await;
    assert_eq!(nk, again, "names match without regard to case");
    let politics = path(store, &["National", "Politics"]).await;
    let sections = store.sections().await.unwrap();
    assert_eq!(sections.len(), 3);
    let national = sections.iter().find(|s| s.slug == "national").unwrap();
    assert_eq!(national.parent_id, None);
    for id in [nk, politics] {
        let s = sections.iter().find(|s| s.id == id).unwrap();
        assert_eq!(s.parent_id, Some(national.id));
    }
    let created: Vec<_> = store
        .events_after(0, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "section.created")
        .collect();
    assert_eq!(created.len(), 3);
}

async fn reserved_top_level_names_are_refused(db: TestDb) {
    let err = db
        .store
        .ensure_section_path(&["Tag".into()], None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert!(err.to_string().contains("/tag"), "{err}");
    assert!(db.store.sections().await.unwrap().is_empty());
    // Lower down the tree the same word is harmless.
    path(&db.store, &["Culture", "Tag"]).await;
}

async fn a_story_reads_back_whole(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["National", "North Korea"]).await;
    let photo = store
        .add_media(&MediaInput {
            file: "abc123.jpg".into(),
            mime: "image/jpeg".into(),
            width: 1200,
            height: 675,
            caption: "Fishing boats wait out a storm.".into(),
            credit: Some("HARBOUR NEWS AGENCY".into()),
            alt: "Boats moored in a grey harbour".into(),
        })
        .await
        .unwrap();
    let mut input = story(
        section,
        "Ferry line to reopen “next spring”",
        &["Ferries", "West Sea"],
        "2026-11-20T02:30:00Z",
    );
    input.deck = Some("A short deck.".into());
    input.external_id = Some("archive:ferry".into());
    input.lead_media = Some(photo.id);
    input.related_after = Some(2);
    input.updated_at = Some(at("2026-11-20T05:00:00Z"));
    input.sources.push(SourceInput {
        name: "Han Ji-woo".into(),
        kind: SourceKind::Staff,
    });
    input.link_refs = vec![
        LinkRef {
            kind: LinkRefKind::Related,
            headline: "Older ferry story".into(),
        },
        LinkRef {
            kind: LinkRefKind::MoreIn,
            headline: "Another story".into(),
        },
    ];
    let outcome = store.save_story(None, &input).await.unwrap();
    assert!(outcome.created);
    assert_eq!(outcome.revision, 1);

    let got = store.story(outcome.id).await.unwrap().unwrap();
    assert_eq!(got.headline, "Ferry line to reopen “next spring”");
    assert_eq!(got.slug, "ferry-line-to-reopen-next-spring");
    assert_eq!(got.deck.as_deref(), Some("A short deck."));
    assert_eq!(got.status, StoryStatus::Published);
    assert_eq!(got.section_id, section);
    assert_eq!(got.published_at, Some(at("2026-11-20T02:30:00Z")));
    assert_eq!(got.updated_at, Some(at("2026-11-20T05:00:00Z")));
    assert_eq!(got.lead_media.as_ref(), Some(&photo));
    assert_eq!(got.related_after, Some(2));
    assert_eq!(got.external_id.as_deref(), Some("archive:ferry"));
    let tags: Vec<&str> = got.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Ferries", "West Sea"]);
    let sources: Vec<(&str, SourceKind)> = got
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.kind))
        .collect();
    assert_eq!(
        sources,
        [
            ("Harbour News Agency", SourceKind::Wire),
            ("Han Ji-woo", SourceKind::Staff)
        ]
    );
    let refs = store.link_refs(outcome.id).await.unwrap();
    assert_eq!(refs.len(), 2);
    assert!(refs.contains(&LinkRef {
        kind: LinkRefKind::Related,
        headline: "Older ferry story".into()
    }));

    let events = store.events_after(0, 100).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.kind, "story.created");
    assert_eq!(last.story_id, Some(outcome.id));
    assert_eq!(last.data["status"], "published");
    assert_eq!(
        store.story(StoryId(outcome.id.0 + 1000)).await.unwrap(),
        None
    );
}

async fn a_wire_record_is_kept_with_its_story_and_replaced(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Wire"]).await;
    let mut input = story(section, "Cranes idle", &[], "2026-11-10T00:00:00Z");
    input.external_id = Some("wire:urn:x:7".into());
    assert_eq!(store.wire_item("urn:x:7").await.unwrap(), None);

    // A writer dropped before commit leaves neither the story nor its record.
    let mut writer = store.writer().await.unwrap();
    let saved = writer.save(None, &input).await.unwrap();
    writer
        .record_wire_item("urn:x:7", saved.id, Some("1"), None)
        .await
        .unwrap();
    drop(writer);
    assert_eq!(store.wire_item("urn:x:7").await.unwrap(), None);

    let updated: Timestamp = "2026-11-10T02:00:00Z".parse().unwrap();
    for (version, at) in [("1", None), ("2", Some(updated))] {
        let mut writer = store.writer().await.unwrap();
        let saved = writer.save(None, &input).await.unwrap();
        writer
            .record_wire_item("urn:x:7", saved.id, Some(version), at)
            .await
            .unwrap();
        writer.commit().await.unwrap();
    }
    let record = store.wire_item("urn:x:7").await.unwrap().unwrap();
    let id = store
        .story_id_by_external_id("wire:urn:x:7")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.story_id, id);
    assert_eq!(record.version.as_deref(), Some("2"));
    assert_eq!(record.updated_at, Some(updated));
}

async fn saving_by_external_id_updates_in_place(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Business"]).await;
    let mut input = story(
        section,
        "Port traffic rises",
        &["Ports"],
        "2026-11-10T00:00:00Z",
    );
    input.external_id = Some("wire:123".into());
    let first = store.save_story(None, &input).await.unwrap();
    input.headline = "Port traffic rises for a third month".into();
    input.tags = vec!["Ports".into(), "Trade".into()];
    let second = store.save_story(None, &input).await.unwrap();
    assert_eq!(first.id, second.id);
    assert!(!second.created);
    assert_eq!(second.revision, 2);
    assert_eq!(store.story_count().await.unwrap(), 1);
    let got = store.story(first.id).await.unwrap().unwrap();
    assert_eq!(got.headline, "Port traffic rises for a third month");
    assert_eq!(got.tags.len(), 2);
    assert_eq!(headlines(store, ListScope::Section(section)).await.len(), 1);
    let kinds: Vec<String> = store
        .events_after(0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(kinds.ends_with(&["story.created".to_string(), "story.updated".to_string()]));
}

async fn invalid_input_writes_nothing(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Business"]).await;
    let before = store.last_event_id().await.unwrap();
    let mut input = story(section, "   ", &[], "2026-11-10T00:00:00Z");
    let err = store.save_story(None, &input).await.unwrap_err();
    assert!(err.to_string().starts_with("headline:"), "{err}");
    input.headline = "Fine".into();
    input.status = StoryStatus::Published;
    input.published_at = None;
    let err = store.save_story(None, &input).await.unwrap_err();
    assert!(err.to_string().contains("publication time"), "{err}");
    assert_eq!(store.story_count().await.unwrap(), 0);
    assert_eq!(store.last_event_id().await.unwrap(), before);
}

async fn a_failed_write_leaves_nothing_half_written(db: TestDb) {
    let store = &db.store;
    path(store, &["Business"]).await;
    let before = store.last_event_id().await.unwrap();
    // The section does not exist: the story row goes in first, then the write fails.
    let input = story(
        SectionId(9999),
        "Orphan",
        &["New tag"],
        "2026-11-10T00:00:00Z",
    );
    assert!(store.save_story(None, &input).await.is_err());
    assert_eq!(store.story_count().await.unwrap(), 0);
    assert_eq!(store.tag_by_slug("new-tag").await.unwrap(), None);
    assert_eq!(store.last_event_id().await.unwrap(), before);
}

async fn published_stories_cannot_become_drafts(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Business"]).await;
    let mut input = story(section, "Live", &[], "2026-11-10T00:00:00Z");
    let saved = store.save_story(None, &input).await.unwrap();
    input.status = StoryStatus::Draft;
    let err = store.save_story(Some(saved.id), &input).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("published story cannot become draft"),
        "{err}"
    );
    input.status = StoryStatus::Unpublished;
    store.save_story(Some(saved.id), &input).await.unwrap();
    assert!(
        headlines(store, ListScope::All).await.is_empty(),
        "unpublished stories are not listed"
    );
    let err = store
        .save_story(Some(StoryId(4242)), &input)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err}");
}

async fn lists_follow_sections_tags_sources_and_status(db: TestDb) {
    let store = &db.store;
    let nk = path(store, &["National", "North Korea"]).await;
    let politics = path(store, &["National", "Politics"]).await;
    let national = store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.slug == "national")
        .unwrap()
        .id;
    let business = path(store, &["Business"]).await;
    let a = store
        .save_story(None, &story(nk, "A", &["DMZ"], "2026-11-01T00:00:00Z"))
        .await
        .unwrap();
    store
        .save_story(
            None,
            &story(politics, "B", &["Assembly"], "2026-11-03T00:00:00Z"),
        )
        .await
        .unwrap();
    store
        .save_story(
            None,
            &story(business, "C", &["DMZ"], "2026-11-02T00:00:00Z"),
        )
        .await
        .unwrap();
    let mut draft = story(nk, "Draft", &["DMZ"], "2026-11-04T00:00:00Z");
    draft.status = StoryStatus::Draft;
    store.save_story(None, &draft).await.unwrap();
    let mut scheduled = story(nk, "Later", &["DMZ"], "2026-12-04T00:00:00Z");
    scheduled.status = StoryStatus::Scheduled;
    store.save_story(None, &scheduled).await.unwrap();

    assert_eq!(headlines(store, ListScope::All).await, ["B", "C", "A"]);
    assert_eq!(
        headlines(store, ListScope::Section(national)).await,
        ["B", "A"],
        "a section lists its subsections' stories"
    );
    assert_eq!(headlines(store, ListScope::Section(nk)).await, ["A"]);
    let dmz = store.tag_by_slug("dmz").await.unwrap().unwrap();
    assert_eq!(headlines(store, ListScope::Tag(dmz.id)).await, ["C", "A"]);
    let wire = store
        .source_by_slug("harbour-news-agency")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        headlines(store, ListScope::Source(wire.id)).await,
        ["B", "C", "A"]
    );

    let page = ListQuery {
        scope: ListScope::All,
        exclude: Some(a.id),
        limit: 1,
        offset: 1,
    };
    let got: Vec<String> = store
        .list(&page)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.headline)
        .collect();
    assert_eq!(got, ["C"]);
}

async fn related_stories_rank_by_shared_tags_then_section(db: TestDb) {
    let store = &db.store;
    let nk = path(store, &["National", "North Korea"]).await;
    let business = path(store, &["Business"]).await;
    let main = store
        .save_story(
            None,
            &story(
                nk,
                "Main",
                &["DMZ", "Tourism", "Paju"],
                "2026-11-10T00:00:00Z",
            ),
        )
        .await
        .unwrap();
    store
        .save_story(
            None,
            &story(
                business,
                "Two tags",
                &["DMZ", "Tourism"],
                "2026-11-01T00:00:00Z",
            ),
        )
        .await
        .unwrap();
    store
        .save_story(
            None,
            &story(
                business,
                "One tag, elsewhere, newer",
                &["Paju"],
                "2026-11-09T00:00:00Z",
            ),
        )
        .await
        .unwrap();
    store
        .save_story(
            None,
            &story(
                nk,
                "One tag, same section",
                &["DMZ"],
                "2026-11-02T00:00:00Z",
            ),
        )
        .await
        .unwrap();
    store
        .save_story(
            None,
            &story(nk, "No tags shared", &["Weather"], "2026-11-09T00:00:00Z"),
        )
        .await
        .unwrap();
    let main = store.story(main.id).await.unwrap().unwrap();
    let related: Vec<String> = store
        .related_by_tags(&main, 5)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.headline)
        .collect();
    assert_eq!(
        related,
        [
            "Two tags",
            "One tag, same section",
            "One tag, elsewhere, newer"
        ]
    );
}

async fn headlines_resolve_despite_case_and_quotes(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Culture"]).await;
    store
        .save_story(
            None,
            &story(
                section,
                "Kim’s kitchen — in pictures",
                &[],
                "2026-11-01T00:00:00Z",
            ),
        )
        .await
        .unwrap();
    let found = store
        .cards_by_headlines(&["kim's  KITCHEN - in pictures".into(), "Nothing".into()])
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].headline, "Kim’s kitchen — in pictures");
}

async fn settings_round_trip_and_emit_events(db: TestDb) {
    let store = &db.store;
    assert_eq!(store.setting("site.name").await.unwrap(), None);
    store.set_setting("site.name", "The Daily").await.unwrap();
    store
        .set_setting("site.name", "The Evening Daily")
        .await
        .unwrap();
    assert_eq!(
        store.setting("site.name").await.unwrap().as_deref(),
        Some("The Evening Daily")
    );
    assert_eq!(
        store.settings().await.unwrap(),
        [("site.name".to_string(), "The Evening Daily".to_string())]
    );
    let events = store.events_after(0, 10).await.unwrap();
    assert_eq!(events.len(), 2);
    assert!(events[0].id < events[1].id);
    assert_eq!(events[1].data["key"], "site.name");
}

async fn a_name_is_either_wire_or_staff(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Business"]).await;
    store
        .save_story(None, &story(section, "One", &[], "2026-11-01T00:00:00Z"))
        .await
        .unwrap();
    let mut clash = story(section, "Two", &[], "2026-11-01T00:00:00Z");
    clash.sources = vec![SourceInput {
        name: "Harbour News Agency".into(),
        kind: SourceKind::Staff,
    }];
    let err = store.save_story(None, &clash).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(store.story_count().await.unwrap(), 1);
}

async fn gallery_photos_keep_their_order(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Culture"]).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let media = store
            .add_media(&MediaInput {
                file: format!("p{n}.jpg"),
                mime: "image/jpeg".into(),
                width: 10,
                height: 10,
                caption: format!("Photo {n}"),
                credit: None,
                alt: format!("Alt {n}"),
            })
            .await
            .unwrap();
        ids.push(media.id);
    }
    let mut input = story(
        section,
        "Lanterns — in pictures",
        &[],
        "2026-11-01T00:00:00Z",
    );
    input.kind = StoryKind::Gallery;
    input.gallery = vec![ids[2], ids[0], ids[1]];
    let saved = store.save_story(None, &input).await.unwrap();
    let got = store.story(saved.id).await.unwrap().unwrap();
    let captions: Vec<&str> = got.gallery.iter().map(|m| m.caption.as_str()).collect();
    assert_eq!(captions, ["Photo 2", "Photo 0", "Photo 1"]);
}

async fn a_dropped_writer_leaves_nothing(db: TestDb) {
    let store = &db.store;
    let before = store.last_event_id().await.unwrap();
    {
        let mut writer = store.writer().await.unwrap();
        let section = writer
            .ensure_section_path(&["Imported".into()], None)
            .await
            .unwrap();
        let photo = writer
            .add_media(&MediaInput {
                file: "x.png".into(),
                mime: "image/png".into(),
                width: 1,
                height: 1,
                caption: String::new(),
                credit: None,
                alt: "x".into(),
            })
            .await
            .unwrap();
        let mut input = story(section, "Kept?", &["Tag"], "2026-11-01T00:00:00Z");
        input.lead_media = Some(photo.id);
        let saved = writer.save(None, &input).await.unwrap();
        assert_eq!(store.story_id_by_external_id("none").await.unwrap(), None);
        let _ = saved;
        // Dropped without commit.
    }
    assert!(store.sections().await.unwrap().is_empty());
    assert_eq!(store.story_count().await.unwrap(), 0);
    assert_eq!(store.last_event_id().await.unwrap(), before);
}

async fn stories_read_in_bulk_whole_and_in_order(db: TestDb) {
    let store = &db.store;
    let nk = path(store, &["National", "North Korea"]).await;
    let business = path(store, &["Business"]).await;
    let national = store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.slug == "national")
        .unwrap()
        .id;
    let photo = store
        .add_media(&MediaInput {
            file: "lead.jpg".into(),
            mime: "image/jpeg".into(),
            width: 800,
            height: 450,
            caption: "A lead photo.".into(),
            credit: None,
            alt: "Lead".into(),
        })
        .await
        .unwrap();
    let mut first = story(nk, "First", &["DMZ", "Border"], "2026-11-01T00:00:00Z");
    first.lead_media = Some(photo.id);
    first.sources.push(SourceInput {
        name: "Han Ji-woo".into(),
        kind: SourceKind::Staff,
    });
    let first = store.save_story(None, &first).await.unwrap().id;
    let second = store
        .save_story(None, &story(nk, "Second", &[], "2026-11-02T00:00:00Z"))
        .await
        .unwrap()
        .id;
    store
        .save_story(
            None,
            &story(business, "Elsewhere", &["DMZ"], "2026-11-03T00:00:00Z"),
        )
        .await
        .unwrap();
    let mut draft = story(nk, "Draft", &[], "2026-11-04T00:00:00Z");
    draft.status = StoryStatus::Draft;
    store.save_story(None, &draft).await.unwrap();

    // A section's newest stories include its subsections', newest first, never drafts.
    let newest = store
        .newest_stories(ListScope::Section(national), 10)
        .await
        .unwrap();
    let headlines: Vec<&str> = newest.iter().map(|s| s.headline.as_str()).collect();
    assert_eq!(headlines, ["Second", "First"]);
    let whole = &newest[1];
    assert_eq!(whole, &store.story(first).await.unwrap().unwrap());
    assert_eq!(whole.lead_media.as_ref(), Some(&photo));
    let tags: Vec<&str> = whole.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["DMZ", "Border"]);
    let sources: Vec<&str> = whole.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sources, ["Harbour News Agency", "Han Ji-woo"]);
    assert!(newest[0].tags.is_empty() && newest[0].lead_media.is_none());
    assert_eq!(
        store.newest_stories(ListScope::All, 1).await.unwrap()[0].headline,
        "Elsewhere"
    );

    // Asked order is kept; unknown ids are left out.
    let ids = [second, StoryId(first.0 + 1000), first];
    let got: Vec<StoryId> = store
        .stories(&ids)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(got, [second, first]);
    assert!(store.stories(&[]).await.unwrap().is_empty());
}

async fn sitemap_entries_walk_the_archive_oldest_first(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["National"]).await;
    // Saved out of time order: the sitemap orders by publication, not by id.
    for (headline, published) in [
        ("C", "2026-11-03T00:00:00Z"),
        ("A", "2026-11-01T00:00:00Z"),
        ("E", "2026-11-05T00:00:00Z"),
        ("B", "2026-11-02T00:00:00Z"),
        ("D", "2026-11-04T00:00:00Z"),
    ] {
        let mut input = story(section, headline, &[], published);
        if headline == "B" {
            input.updated_at = Some(at("2026-11-09T00:00:00Z"));
        }
        store.save_story(None, &input).await.unwrap();
    }
    let mut draft = story(section, "Draft", &[], "2026-10-01T00:00:00Z");
    draft.status = StoryStatus::Draft;
    store.save_story(None, &draft).await.unwrap();
    let mut withdrawn = story(section, "Withdrawn", &[], "2026-10-02T00:00:00Z");
    let id = store.save_story(None, &withdrawn).await.unwrap().id;
    withdrawn.status = StoryStatus::Unpublished;
    store.save_story(Some(id), &withdrawn).await.unwrap();

    assert_eq!(store.published_count().await.unwrap(), 5);
    let mut walked = Vec::new();
    for offset in [0, 2, 4, 6] {
        let page = store.sitemap_entries(offset, 2).await.unwrap();
        assert!(page.len() <= 2);
        walked.extend(page.into_iter().map(|e| e.headline));
    }
    assert_eq!(walked, ["A", "B", "C", "D", "E"]);

    let b = &store.sitemap_entries(1, 1).await.unwrap()[0];
    assert_eq!(b.section_id, section);
    assert_eq!(b.slug, "b");
    assert_eq!(b.language, "en");
    assert_eq!(b.published_at, at("2026-11-02T00:00:00Z"));
    assert_eq!(b.last_modified(), at("2026-11-09T00:00:00Z"));

    // Pages of two: [A, B], [C, D], [E]; a page's last change is its latest story change.
    let pages = store.sitemap_pages(2).await.unwrap();
    let summary: Vec<(i64, Timestamp)> =
        pages.iter().map(|p| (p.stories, p.last_modified)).collect();
    assert_eq!(
        summary,
        [
            (2, at("2026-11-09T00:00:00Z")),
            (2, at("2026-11-04T00:00:00Z")),
            (1, at("2026-11-05T00:00:00Z")),
        ]
    );
    assert_eq!(store.sitemap_pages(10_000).await.unwrap().len(), 1);
}

async fn sitemap_recent_stories_sections_and_tags(db: TestDb) {
    let store = &db.store;
    let nk = path(store, &["National", "North Korea"]).await;
    let business = path(store, &["Business"]).await;
    let empty = path(store, &["Culture"]).await;
    let national = store
        .sections()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.slug == "national")
        .unwrap()
        .id;
    for (section, headline, tags, published) in [
        (nk, "Old", &["Border"][..], "2026-10-01T00:00:00Z"),
        (nk, "New", &["Border", "DMZ"][..], "2026-11-05T00:00:00Z"),
        (business, "Newer", &["Ports"][..], "2026-11-06T00:00:00Z"),
    ] {
        store
            .save_story(None, &story(section, headline, tags, published))
            .await
            .unwrap();
    }
    let mut draft = story(business, "Draft", &["Secret"], "2026-11-07T00:00:00Z");
    draft.status = StoryStatus::Draft;
    store.save_story(None, &draft).await.unwrap();

    let recent: Vec<String> = store
        .published_since(at("2026-11-01T00:00:00Z"), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.headline)
        .collect();
    assert_eq!(recent, ["Newer", "New"]);
    assert_eq!(
        store
            .published_since(at("2026-11-05T00:00:00Z"), 1)
            .await
            .unwrap()
            .len(),
        1
    );

    let sections = store.sections_last_published().await.unwrap();
    let latest = |id| sections.iter().find(|(s, _)| *s == id).map(|(_, t)| *t);
    assert_eq!(latest(nk), Some(at("2026-11-05T00:00:00Z")));
    assert_eq!(latest(national), Some(at("2026-11-05T00:00:00Z")));
    assert_eq!(latest(business), Some(at("2026-11-06T00:00:00Z")));
    assert_eq!(latest(empty), None);

    let tags: Vec<(String, Timestamp)> = store
        .tags_in_use(10)
        .await
        .unwrap()
        .into_iter()
        .map(|(t, at)| (t.slug, at))
        .collect();
    assert_eq!(
        tags,
        [
            ("ports".to_string(), at("2026-11-06T00:00:00Z")),
            ("border".to_string(), at("2026-11-05T00:00:00Z")),
            ("dmz".to_string(), at("2026-11-05T00:00:00Z")),
        ]
    );
    assert_eq!(store.tags_in_use(1).await.unwrap().len(), 1);
}

async fn story_texts_come_in_id_order_with_facets(db: TestDb) {
    let store = &db.store;
    let section = path(store, &["Business"]).await;
    let a = store
        .save_story(
            None,
            &story(
                section,
                "First",
                &["Ports", "Trade"],
                "2026-11-01T00:00:00Z",
            ),
        )
        .await
        .unwrap();
    let mut draft = story(section, "Draft", &["Ports"], "2026-11-02T00:00:00Z");
    draft.status = StoryStatus::Draft;
    let d = store.save_story(None, &draft).await.unwrap();
    let c = store
        .save_story(None, &story(section, "Third", &[], "2026-11-03T00:00:00Z"))
        .await
        .unwrap();
    let texts = store.story_texts_after(StoryId(0), 10).await.unwrap();
    let ids: Vec<StoryId> = texts.iter().map(|t| t.id).collect();
    assert_eq!(ids, [a.id, c.id], "drafts are not indexed");
    assert_eq!(texts[0].tag_ids.len(), 2);
    assert_eq!(texts[0].source_ids.len(), 1);
    assert!(texts[1].tag_ids.is_empty());
    assert_eq!(texts[0].published_at, at("2026-11-01T00:00:00Z"));
    assert_eq!(store.story_texts_after(a.id, 1).await.unwrap()[0].id, c.id);
    assert_eq!(store.story_text(d.id).await.unwrap(), None);
    assert_eq!(
        store.story_text(c.id).await.unwrap().unwrap().headline,
        "Third"
    );
}
