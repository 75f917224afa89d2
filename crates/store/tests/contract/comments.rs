//! Comments: counts kept with the story, replies one level deep, moderation, reports.

use broadsheet_domain::{Comment, CommentStatus, CommentsMode, Role, StoryId, StoryStatus, UserId};
use broadsheet_store::testing::TestDb;
use broadsheet_store::{CommentOrder, Limited, NewComment, NewUser, Store, StoreError, Throttle};
use jiff::{SignedDuration, Timestamp};

contract!(
    comments_count_only_when_visible,
    replies_are_one_level_under_visible_comments,
    closed_and_unpublished_stories_take_no_comments,
    reports_fill_the_queue_until_an_editor_decides,
    a_deleted_account_shows_as_nobody_or_its_comments_go,
    throttles_are_checked_and_counted_with_the_comment,
    simultaneous_comments_cannot_pass_a_throttle_together,
    a_write_right_after_a_refused_one_goes_through,
    a_write_cancelled_midway_leaves_the_writer_usable,
);

async fn setup(store: &Store) -> (StoryId, UserId, UserId) {
    let section = super::path(store, &["National"]).await;
    let story = store
        .save_story(
            None,
            &super::story(
                section,
                "Ferry timetable changes",
                &[],
                "2026-11-01T09:00:00Z",
            ),
        )
        .await
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for email in ["mina@example.kr", "joon@example.kr"] {
        let user = store
            .create_user(&NewUser {
                email: Some(email.into()),
                display_name: email.split('@').next().unwrap().into(),
                password_hash: None,
                role: Role::Reader,
            })
            .await
            .unwrap();
        ids.push(user.id);
    }
    (story, ids[0], ids[1])
}

fn new(story: StoryId, user: UserId, body: &str, status: CommentStatus) -> NewComment {
    NewComment {
        story_id: story,
        user_id: user,
        parent_id: None,
        body: body.into(),
        status,
        held_reason: (status == CommentStatus::Held).then(|| "link".into()),
    }
}

/// A comment under no throttle.
async fn add(store: &Store, new: &NewComment) -> Result<Comment, StoreError> {
    match store.add_comment(new, &[]).await? {
        Limited::Done(comment) => Ok(comment),
        Limited::Refused(refusal) => panic!("no throttle to refuse: {refusal:?}"),
    }
}

async fn count(store: &Store, story: StoryId) -> i64 {
    store.comment_settings(story).await.unwrap().unwrap().count
}

async fn comments_count_only_when_visible(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    let first = add(store, &new(story, mina, "First!", CommentStatus::Visible))
        .await
        .unwrap();
    let held = add(store, &new(story, joon, "see x.com", CommentStatus::Held))
        .await
        .unwrap();
    assert_eq!(first.author.as_deref(), Some("mina"));
    assert_eq!(count(store, story).await, 1);
    store
        .set_comment_status(held.id, CommentStatus::Visible, Some(mina))
        .await
        .unwrap();
    assert_eq!(count(store, story).await, 2);
    store
        .set_comment_status(first.id, CommentStatus::Hidden, Some(mina))
        .await
        .unwrap();
    store
        .set_comment_status(first.id, CommentStatus::Hidden, Some(mina))
        .await
        .unwrap();
    assert_eq!(count(store, story).await, 1, "hiding twice counts once");
    let edited = store
        .edit_comment(held.id, "see the ferry site", CommentStatus::Visible, None)
        .await
        .unwrap();
    assert!(edited.edited_at.is_some());
    assert_eq!(edited.body, "see the ferry site");
    let (threads, total) = store
        .story_comments(story, CommentOrder::Newest, 10, 0)
        .await
        .unwrap();
    assert_eq!(total, 1);
    assert_eq!(threads[0].comment.id, held.id);
    let cards = store.comment_counts(&[story]).await.unwrap();
    assert_eq!(cards, [(story, 1)]);
}

async fn replies_are_one_level_under_visible_comments(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    let top = add(
        store,
        &new(story, mina, "Question?", CommentStatus::Visible),
    )
    .await
    .unwrap();
    let later = add(
        store,
        &new(story, joon, "Later one", CommentStatus::Visible),
    )
    .await
    .unwrap();
    let reply = add(
        store,
        &NewComment {
            parent_id: Some(top.id),
            ..new(story, joon, "Answer.", CommentStatus::Visible)
        },
    )
    .await
    .unwrap();
    let nested = add(
        store,
        &NewComment {
            parent_id: Some(reply.id),
            ..new(story, mina, "Deeper", CommentStatus::Visible)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(nested, StoreError::Invalid(_)), "{nested:?}");
    let (oldest, _) = store
        .story_comments(story, CommentOrder::Oldest, 10, 0)
        .await
        .unwrap();
    assert_eq!(
        oldest.iter().map(|t| t.comment.id).collect::<Vec<_>>(),
        [top.id, later.id]
    );
    assert_eq!(
        oldest[0].replies.iter().map(|r| r.id).collect::<Vec<_>>(),
        [reply.id]
    );
    let (newest, total) = store
        .story_comments(story, CommentOrder::Newest, 1, 0)
        .await
        .unwrap();
    assert_eq!((newest[0].comment.id, total), (later.id, 2));
    // Deleting a comment with a visible reply leaves a placeholder without its words.
    store
        .set_comment_status(top.id, CommentStatus::Deleted, None)
        .await
        .unwrap();
    let (after, _) = store
        .story_comments(story, CommentOrder::Oldest, 10, 0)
        .await
        .unwrap();
    assert_eq!(after[0].comment.status, CommentStatus::Deleted);
    assert_eq!(after[0].comment.body, "");
    assert_eq!(after[0].replies.len(), 1);
    assert_eq!(count(store, story).await, 2);
}

async fn closed_and_unpublished_stories_take_no_comments(db: TestDb) {
    let store = &db.store;
    let (story, mina, _) = setup(store).await;
    store
        .set_comments_mode(story, CommentsMode::Closed)
        .await
        .unwrap();
    let closed = add(store, &new(story, mina, "Hello", CommentStatus::Visible))
        .await
        .unwrap_err();
    assert_eq!(closed.to_string(), "story: is closed to comments");
    store
        .set_comments_mode(story, CommentsMode::Premoderated)
        .await
        .unwrap();
    assert_eq!(
        store.comment_settings(story).await.unwrap().unwrap().mode,
        CommentsMode::Premoderated
    );
    let section = super::path(store, &["National"]).await;
    let mut draft = super::story(section, "Not yet", &[], "2026-11-01T09:00:00Z");
    draft.status = StoryStatus::Draft;
    let draft = store.save_story(None, &draft).await.unwrap().id;
    let refused = add(store, &new(draft, mina, "Early", CommentStatus::Visible))
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::NotFound(_)), "{refused:?}");
    assert_eq!(count(store, story).await, 0);
}

async fn reports_fill_the_queue_until_an_editor_decides(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    let rude = add(
        store,
        &new(story, mina, "Rude words", CommentStatus::Visible),
    )
    .await
    .unwrap();
    let held = add(
        store,
        &new(story, joon, "www.spam.test", CommentStatus::Held),
    )
    .await
    .unwrap();
    store.report_comment(rude.id, joon, "abuse").await.unwrap();
    let twice = store
        .report_comment(rude.id, joon, "abuse")
        .await
        .unwrap_err();
    assert!(matches!(twice, StoreError::Conflict(_)), "{twice:?}");
    let queue = store.moderation_queue(50).await.unwrap();
    assert_eq!(
        queue.iter().map(|q| q.comment.id).collect::<Vec<_>>(),
        [rude.id, held.id]
    );
    assert_eq!(
        queue[0].reports,
        [("abuse".to_string(), Some("joon".to_string()))]
    );
    assert_eq!(queue[0].story_headline, "Ferry timetable changes");
    // Restoring (keeping) the reported comment settles its reports; the held one stays.
    store
        .set_comment_status(rude.id, CommentStatus::Visible, Some(joon))
        .await
        .unwrap();
    let queue = store.moderation_queue(50).await.unwrap();
    assert_eq!(
        queue.iter().map(|q| q.comment.id).collect::<Vec<_>>(),
        [held.id]
    );
}

async fn a_deleted_account_shows_as_nobody_or_its_comments_go(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    add(store, &new(story, mina, "Mine", CommentStatus::Visible))
        .await
        .unwrap();
    add(store, &new(story, joon, "His", CommentStatus::Visible))
        .await
        .unwrap();
    store.delete_user_personal_data(mina).await.unwrap();
    let (threads, _) = store
        .story_comments(story, CommentOrder::Oldest, 10, 0)
        .await
        .unwrap();
    assert_eq!(threads[0].comment.author, None);
    assert_eq!(threads[0].comment.body, "Mine");
    assert_eq!(store.remove_user_comments(joon).await.unwrap(), 1);
    let (threads, total) = store
        .story_comments(story, CommentOrder::Oldest, 10, 0)
        .await
        .unwrap();
    assert_eq!((threads.len(), total), (1, 1));
    assert_eq!(count(store, story).await, 1);
}

fn per_minute<'a>(bucket: &'a str, key: &'a str, max: i64) -> Throttle<'a> {
    Throttle {
        bucket,
        key,
        max,
        window: SignedDuration::from_mins(1),
    }
}

async fn counted(store: &Store, bucket: &str, key: &str) -> i64 {
    let since = Timestamp::now() - SignedDuration::from_mins(1);
    store.throttle_count(bucket, key, since).await.unwrap().0
}

async fn throttles_are_checked_and_counted_with_the_comment(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    let limits = |user: &'static str| {
        [
            per_minute("comment-account", user, 2),
            per_minute("comment-address", "ip:192.0.2.1", 3),
        ]
    };
    let started = Timestamp::now();
    for n in 0..2 {
        let comment = new(story, mina, &format!("Mina {n}"), CommentStatus::Visible);
        let done = store.add_comment(&comment, &limits("mina")).await.unwrap();
        assert!(matches!(done, Limited::Done(_)), "{done:?}");
    }
    let third = new(story, mina, "Mina again", CommentStatus::Visible);
    let Limited::Refused(refusal) = store.add_comment(&third, &limits("mina")).await.unwrap()
    else {
        panic!("the account's third comment in a minute was written");
    };
    assert_eq!(refusal.limit, 0, "the account's limit refused it");
    assert!(refusal.retry_at > started + SignedDuration::from_secs(59));
    assert!(refusal.retry_at <= Timestamp::now() + SignedDuration::from_mins(1));
    let joon_says = new(story, joon, "Joon once", CommentStatus::Visible);
    let done = store
        .add_comment(&joon_says, &limits("joon"))
        .await
        .unwrap();
    assert!(matches!(done, Limited::Done(_)), "{done:?}");
    // The address is full now: Joon is refused by it, and his own count does not move.
    let Limited::Refused(refusal) = store
        .add_comment(&joon_says, &limits("joon"))
        .await
        .unwrap()
    else {
        panic!("the address's fourth comment in a minute was written");
    };
    assert_eq!(refusal.limit, 1, "the address's limit refused it");
    assert_eq!(
        count(store, story).await,
        3,
        "no refused comment was written"
    );
    assert_eq!(counted(store, "comment-account", "mina").await, 2);
    assert_eq!(counted(store, "comment-account", "joon").await, 1);
    assert_eq!(counted(store, "comment-address", "ip:192.0.2.1").await, 3);
}

async fn simultaneous_comments_cannot_pass_a_throttle_together(db: TestDb) {
    let store = &db.store;
    let (story, mina, _) = setup(store).await;
    let tasks: Vec<_> = (0..10)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let comment = new(story, mina, &format!("At once {n}"), CommentStatus::Visible);
                let limits = [per_minute("comment-account", "mina", 4)];
                store.add_comment(&comment, &limits).await.unwrap()
            })
        })
        .collect();
    let mut written = 0;
    for task in tasks {
        if let Limited::Done(_) = task.await.unwrap() {
            written += 1;
        }
    }
    assert_eq!(written, 4);
    assert_eq!(count(store, story).await, 4);
    assert_eq!(counted(store, "comment-account", "mina").await, 4);
}

/// A refused comment leaves its transaction to be rolled back behind it; the next write,
/// however soon it comes, waits for that instead of failing.
async fn a_write_right_after_a_refused_one_goes_through(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for n in 0..10 {
                    let refused = new(story, mina, "Over the limit", CommentStatus::Visible);
                    let full = [per_minute("comment-account", "mina", 0)];
                    let answer = store.add_comment(&refused, &full).await.unwrap();
                    assert!(matches!(answer, Limited::Refused(_)), "{answer:?}");
                    let fine = new(
                        story,
                        joon,
                        &format!("Writer {w}, {n}"),
                        CommentStatus::Visible,
                    );
                    add(&store, &fine).await.unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(count(store, story).await, 80);
}

/// A request dropped while its write was under way (the reader went away) must not leave a
/// transaction open on the connection that the next write is given.
async fn a_write_cancelled_midway_leaves_the_writer_usable(db: TestDb) {
    let store = &db.store;
    let (story, mina, joon) = setup(store).await;
    for n in 0..80 {
        let cancelled = {
            let store = store.clone();
            tokio::spawn(async move {
                let comment = new(story, mina, "Gone midway", CommentStatus::Visible);
                store.add_comment(&comment, &[]).await
            })
        };
        // Somewhere between before its BEGIN and after its COMMIT.
        tokio::time::sleep(std::time::Duration::from_micros(n * 25)).await;
        cancelled.abort();
        let _ = cancelled.await;
        let fine = new(
            story,
            joon,
            &format!("After a cancel, {n}"),
            CommentStatus::Visible,
        );
        add(store, &fine).await.unwrap();
    }
}
