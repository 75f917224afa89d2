//! Scheduled stories go live at their time: across a restart, and exactly once when two
//! nodes share the database.

use crate::both_backends;
use crate::harness::TestApp;
use broadsheet_domain::{StoryId, StoryStatus};
use broadsheet_store::Backend;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use std::time::Duration;

both_backends!(
    a_scheduled_story_goes_live_after_a_restart,
    two_nodes_publish_each_story_once,
);

async fn schedule(t: &TestApp, headline: &str, at: Timestamp) -> StoryId {
    let section = t
        .app
        .store
        .ensure_section_path(&["National".to_string()], None)
        .await
        .unwrap();
    let mut input = crate::reader_input(section, headline, &[]);
    input.status = StoryStatus::Scheduled;
    input.published_at = Some(at);
    t.app
        .store
        .save_story_as(None, &input, None, None)
        .await
        .unwrap()
        .id
}

/// Poll until the story's page answers 200 (after a redirect to its canonical address).
async fn until_live(t: &TestApp, id: StoryId) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let response = t.get(&format!("/national/2000/01/01/x/{id}")).await;
        if response.status() == StatusCode::MOVED_PERMANENTLY {
            let location = response.headers()["location"].to_str().unwrap().to_string();
            if t.get(&location).await.status() == StatusCode::OK {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "story {id} did not go live"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_scheduled_story_goes_live_after_a_restart(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = schedule(
        &t,
        "Budget vote at noon",
        Timestamp::now() + SignedDuration::from_secs(2),
    )
    .await;
    assert_eq!(
        t.get(&format!("/national/2000/01/01/x/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "not before its time"
    );
    // The node goes down before the time and comes back after it.
    let db = t.stop();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let t = TestApp::on(db, false).await;
    until_live(&t, id).await;
    let log = t.app.store.audit_entries(10).await.unwrap();
    let published: Vec<_> = log.iter().filter(|e| e.action == "published").collect();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].story_id, Some(id));
}

async fn two_nodes_publish_each_story_once(backend: Backend) {
    let t = TestApp::new(backend).await;
    let other = t.second_node().await;
    let at = Timestamp::now() + SignedDuration::from_secs(1);
    let mut ids = Vec::new();
    for n in 0..10 {
        ids.push(schedule(&t, &format!("Election night update {n}"), at).await);
    }
    for id in &ids {
        until_live(&t, *id).await;
        until_live(&other, *id).await;
    }
    let log = t.app.store.audit_entries(100).await.unwrap();
    let mut published: Vec<_> = log
        .iter()
        .filter(|e| e.action == "published")
        .filter_map(|e| e.story_id)
        .collect();
    published.sort();
    assert_eq!(published, ids, "each story published exactly once");
    for id in ids {
        assert_eq!(t.app.store.story(id).await.unwrap().unwrap().revision, 2);
    }
}
