//! Accounts, identities, sessions and throttling.

use broadsheet_domain::{Role, UserId};
use broadsheet_store::testing::TestDb;
use broadsheet_store::{NewUser, StoreError};
use jiff::{SignedDuration, Timestamp};

contract!(
    accounts_are_created_once_per_address,
    roles_bans_and_names_change,
    identities_link_to_one_account,
    deleting_an_account_removes_personal_data,
    sessions_expire_and_end_everywhere,
    throttle_events_count_in_a_window,
);

fn reader(email: &str) -> NewUser {
    NewUser {
        email: Some(email.into()),
        display_name: "Seo Mina".into(),
        password_hash: Some("$argon2id$v=19$stub-for-store-tests".into()),
        role: Role::Reader,
    }
}

async fn accounts_are_created_once_per_address(db: TestDb) {
    let store = &db.store;
    let mina = store.create_user(&reader("mina@example.kr")).await.unwrap();
    assert_eq!(mina.role, Role::Reader);
    assert!(mina.has_password);
    assert_eq!(mina.email.as_deref(), Some("mina@example.kr"));
    let again = store
        .create_user(&reader("mina@example.kr"))
        .await
        .unwrap_err();
    assert!(
        matches!(&again, StoreError::Conflict(m) if m.contains("mina@example.kr")),
        "{again:?}"
    );
    let (found, hash) = store.credentials("mina@example.kr").await.unwrap().unwrap();
    assert_eq!(found, mina);
    assert_eq!(hash.as_deref(), Some("$argon2id$v=19$stub-for-store-tests"));
    let no_password = store
        .create_user(&NewUser {
            email: None,
            password_hash: None,
            ..reader("")
        })
        .await
        .unwrap();
    assert!(!no_password.has_password);
    assert_eq!(store.users().await.unwrap().len(), 2);
}

async fn roles_bans_and_names_change(db: TestDb) {
    let store = &db.store;
    let mina = store.create_user(&reader("mina@example.kr")).await.unwrap();
    store.set_role(mina.id, Role::Editor).await.unwrap();
    store.set_display_name(mina.id, "Mina S.").await.unwrap();
    let until = Timestamp::now() + SignedDuration::from_hours(24);
    store.set_ban(mina.id, Some(until)).await.unwrap();
    let now = store.user(mina.id).await.unwrap().unwrap();
    assert_eq!(now.role, Role::Editor);
    assert_eq!(now.display_name, "Mina S.");
    assert!(now.is_banned(Timestamp::now()));
    assert!(!now.is_banned(until + SignedDuration::from_secs(1)));
    store.set_ban(mina.id, None).await.unwrap();
    assert!(
        !store
            .user(mina.id)
            .await
            .unwrap()
            .unwrap()
            .is_banned(Timestamp::now())
    );
    let missing = store.set_role(UserId(9999), Role::Admin).await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound(_)), "{missing:?}");
}

async fn identities_link_to_one_account(db: TestDb) {
    let store = &db.store;
    let mina = store.create_user(&reader("mina@example.kr")).await.unwrap();
    let joon = store.create_user(&reader("joon@example.kr")).await.unwrap();
    store
        .link_identity(mina.id, "kakao", "4411", Some("mina@kakao.example"))
        .await
        .unwrap();
    // Linking again is harmless; linking the same identity to someone else is refused.
    store
        .link_identity(mina.id, "kakao", "4411", None)
        .await
        .unwrap();
    let taken = store
        .link_identity(joon.id, "kakao", "4411", None)
        .await
        .unwrap_err();
    assert!(matches!(taken, StoreError::Conflict(_)), "{taken:?}");
    let found = store
        .user_by_identity("kakao", "4411")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, mina.id);
    assert!(
        store
            .user_by_identity("naver", "4411")
            .await
            .unwrap()
            .is_none()
    );
    let linked = store.identities(mina.id).await.unwrap();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].provider, "kakao");
    assert_eq!(linked[0].email.as_deref(), Some("mina@kakao.example"));
}

async fn deleting_an_account_removes_personal_data(db: TestDb) {
    let store = &db.store;
    let mina = store.create_user(&reader("mina@example.kr")).await.unwrap();
    store
        .link_identity(mina.id, "google", "g-1", None)
        .await
        .unwrap();
    let later = Timestamp::now() + SignedDuration::from_hours(1);
    store
        .create_session("hash-1", Some(mina.id), "csrf", "{}", later)
        .await
        .unwrap();
    store.delete_user_personal_data(mina.id).await.unwrap();
    assert!(store.user(mina.id).await.unwrap().is_none());
    assert!(
        store
            .credentials("mina@example.kr")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .user_by_identity("google", "g-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.session("hash-1").await.unwrap().is_none());
    // The address is free again.
    store.create_user(&reader("mina@example.kr")).await.unwrap();
    let twice = store.delete_user_personal_data(mina.id).await.unwrap_err();
    assert!(matches!(twice, StoreError::NotFound(_)), "{twice:?}");
}

async fn sessions_expire_and_end_everywhere(db: TestDb) {
    let store = &db.store;
    let mina = store.create_user(&reader("mina@example.kr")).await.unwrap();
    let later = Timestamp::now() + SignedDuration::from_hours(1);
    let past = Timestamp::now() - SignedDuration::from_secs(1);
    store
        .create_session("a", Some(mina.id), "t-a", "{}", later)
        .await
        .unwrap();
    store
        .create_session("b", Some(mina.id), "t-b", "{}", later)
        .await
        .unwrap();
    store
        .create_session("anon", None, "t-anon", "{\"x\":1}", later)
        .await
        .unwrap();
    store
        .create_session("old", None, "t-old", "{}", past)
        .await
        .unwrap();
    let a = store.session("a").await.unwrap().unwrap();
    assert_eq!(a.user_id, Some(mina.id));
    assert_eq!(a.csrf_token, "t-a");
    assert!(
        store.session("old").await.unwrap().is_none(),
        "expired sessions are absent"
    );
    store.set_session_data("anon", "{\"y\":2}").await.unwrap();
    assert_eq!(
        store.session("anon").await.unwrap().unwrap().data,
        "{\"y\":2}"
    );
    assert_eq!(store.count_user_sessions(mina.id).await.unwrap(), 2);
    assert_eq!(store.delete_user_sessions(mina.id).await.unwrap(), 2);
    assert!(store.session("a").await.unwrap().is_none());
    assert!(store.session("anon").await.unwrap().is_some());
    assert_eq!(store.prune_sessions().await.unwrap(), 1);
}

async fn throttle_events_count_in_a_window(db: TestDb) {
    let store = &db.store;
    let start = Timestamp::now() - SignedDuration::from_secs(1);
    for _ in 0..3 {
        store
            .record_throttle_event("signin", "ip:127.0.0.1")
            .await
            .unwrap();
    }
    store
        .record_throttle_event("signin", "ip:10.0.0.1")
        .await
        .unwrap();
    let (n, oldest) = store
        .throttle_count("signin", "ip:127.0.0.1", start)
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert!(oldest.unwrap() > start);
    let (none, _) = store
        .throttle_count("signin", "ip:127.0.0.1", Timestamp::now())
        .await
        .unwrap();
    assert_eq!(none, 0);
    store
        .clear_throttle("signin", "ip:127.0.0.1")
        .await
        .unwrap();
    assert_eq!(
        store
            .throttle_count("signin", "ip:127.0.0.1", start)
            .await
            .unwrap()
            .0,
        0
    );
    assert_eq!(
        store
            .throttle_count("signin", "ip:10.0.0.1", start)
            .await
            .unwrap()
            .0,
        1
    );
}
