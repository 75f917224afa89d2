//! API tokens made by admins: `broadsheet token` run as a process against each backend, and
//! the `/newsroom/tokens` page with its forms.

use crate::api::{admin, section};
use crate::api_schema::Api;
use crate::both_backends;
use crate::harness::{TestApp, sel, text};
use broadsheet_domain::Role;
use broadsheet_store::Backend;
use broadsheet_store::testing::TestDb;
use reqwest::StatusCode;
use std::process::{Command, Output};

both_backends!(
    tokens_are_made_listed_and_revoked_from_the_command_line,
    admins_make_and_revoke_tokens_on_the_newsroom_page,
);

fn broadsheet(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .arg("--data-dir")
        .arg(db.dir.path().join("data"))
        .arg("--database")
        .arg(&db.url)
        .env("BROADSHEET_LOG", "error")
        .output()
        .expect("run broadsheet")
}

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn err(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn tokens_are_made_listed_and_revoked_from_the_command_line(backend: Backend) {
    let db = TestDb::new(backend).await;
    for (email, role) in [
        ("boss@example.kr", Role::Admin),
        ("desk@example.kr", Role::Editor),
    ] {
        broadsheet::services::accounts::register(
            &db.store,
            email,
            "Desk",
            crate::harness::PASSWORD,
            role,
        )
        .await
        .unwrap();
    }
    let made = broadsheet(
        &db,
        &[
            "token",
            "add",
            "--name",
            "Wire importer",
            "--scope",
            "write",
            "--user",
            "boss@example.kr",
        ],
    );
    assert!(made.status.success(), "{}", err(&made));
    let lines: Vec<String> = out(&made).lines().map(str::to_string).collect();
    assert_eq!(
        lines[0],
        "token 1 created: Wire importer (write) for boss@example.kr"
    );
    let secret = lines[1].clone();
    assert!(secret.starts_with("bsk_") && secret.len() == 68, "{secret}");
    assert!(err(&made).contains("only time the token is shown"));
    // Only its hash is stored.
    let stored = db.store.api_tokens().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(db.store.api_token_by_hash(&secret).await.unwrap().is_none());

    // Mistakes are one sentence each and make nothing.
    let add = |name: &'static str, scope: &'static str, user: &'static str| {
        vec![
            "token", "add", "--name", name, "--scope", scope, "--user", user,
        ]
    };
    for (args, expected) in [
        (add("X", "write", "desk@example.kr"), "not an admin"),
        (
            add("X", "write", "nobody@example.kr"),
            "the account nobody@example.kr not found",
        ),
        (
            add("  ", "read", "boss@example.kr"),
            "name: must not be empty",
        ),
        (
            add("X", "admin", "boss@example.kr"),
            "'admin' is not a scope; use read or write",
        ),
        (vec!["token", "revoke", "99"], "the API token 99 not found"),
    ] {
        let output = broadsheet(&db, &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            err(&output).contains(expected),
            "{args:?}: {}",
            err(&output)
        );
    }
    assert_eq!(db.store.api_tokens().await.unwrap().len(), 1);

    // The token works over HTTP on the same database.
    let t = TestApp::on(db, false).await;
    let national = section(&t, &["National"]).await;
    let api = Api::new(&t, Some(&secret)).await;
    let answer = api
        .post("/api/v1/stories", &serde_json::json!({ "headline": "From the importer", "body": "Text.", "section_id": national.0 }))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let db = t.stop();

    let listed = broadsheet(&db, &["token", "list"]);
    let line = out(&listed);
    let fields: Vec<&str> = line.trim_end().split('\t').collect();
    assert_eq!(
        &fields[..4],
        ["1", "write", "Wire importer", "boss@example.kr"]
    );
    assert!(fields[5].starts_with("last used 20"), "{line}");
    assert_eq!(fields[6], "active");

    let revoked = broadsheet(&db, &["token", "revoke", "1"]);
    assert_eq!(out(&revoked), "token 1 (Wire importer) is revoked\n");
    let again = broadsheet(&db, &["token", "revoke", "1"]);
    assert_eq!(err(&again), "error: the API token 1 is already revoked\n");
    assert!(
        out(&broadsheet(&db, &["token", "list"]))
            .trim_end()
            .split('\t')
            .next_back()
            .unwrap()
            .starts_with("revoked 20")
    );

    let t = TestApp::on(db, false).await;
    let answer = Api::new(&t, Some(&secret))
        .await
        .get("/api/v1/stories")
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

async fn admins_make_and_revoke_tokens_on_the_newsroom_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    admin(&t, "boss@example.kr").await;
    let boss = t.browser();
    let response = boss
        .submit(
            "/account/signin",
            &[
                ("email", "boss@example.kr"),
                ("password", crate::harness::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = boss.page("/newsroom/tokens", StatusCode::OK).await;
    assert_eq!(page.texts(".tokens-empty"), ["No tokens yet."]);

    // Make one: the secret is shown on that page, once.
    let response = boss
        .submit_to(
            "/newsroom/tokens",
            Some("/newsroom/tokens"),
            &[("name", "Partner feed"), ("scope", "read")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let made = crate::harness::Page(scraper::Html::parse_document(
        &response.text().await.unwrap(),
    ));
    let secret = made.texts(".token-secret").remove(0);
    assert!(secret.starts_with("bsk_"), "{secret}");
    assert_eq!(made.texts(".token-name"), ["Partner feed"]);
    assert_eq!(made.texts(".token-scope"), ["read"]);
    assert_eq!(made.texts(".token-maker"), ["boss@example.kr"]);
    assert_eq!(made.texts(".token-used"), ["never"]);
    let listed = boss.page("/newsroom/tokens", StatusCode::OK).await;
    assert!(listed.all(".token-secret").is_empty(), "shown once only");
    assert!(!listed.0.html().contains(&secret));

    // It reads through the API (and is recorded as used), and may not write.
    let api = Api::new(&t, Some(&secret)).await;
    assert_eq!(api.get("/api/v1/stories").await.status, StatusCode::OK);
    let answer = api.post("/api/v1/stories", &serde_json::json!({})).await;
    assert_eq!(answer.code(), "insufficient_scope");
    let listed = boss.page("/newsroom/tokens", StatusCode::OK).await;
    assert!(
        listed
            .one(".token-used time")
            .value()
            .attr("datetime")
            .is_some()
    );

    // A bad name is refused with the form kept, and nothing is made.
    let response = boss
        .submit_to(
            "/newsroom/tokens",
            Some("/newsroom/tokens"),
            &[("name", &"n".repeat(101)), ("scope", "write")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let refused = crate::harness::Page(scraper::Html::parse_document(
        &response.text().await.unwrap(),
    ));
    assert!(refused.texts(".form-error")[0].contains("101 characters"));
    assert_eq!(
        refused.attr("select[name=scope] option[selected]", "value"),
        "write"
    );
    assert_eq!(t.app.store.api_tokens().await.unwrap().len(), 1);

    // Forms without the session's CSRF token change nothing.
    let id = t.app.store.api_tokens().await.unwrap()[0].id;
    let forged = boss
        .post_form(&format!("/newsroom/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let forged = boss
        .post_form(
            "/newsroom/tokens",
            &[("name", "Forged"), ("scope", "write")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.app.store.api_tokens().await.unwrap().len(), 1);

    // Revoke it: the list says so and the token stops working.
    let response = boss
        .submit_to(
            "/newsroom/tokens",
            Some(&format!("/newsroom/tokens/{id}/revoke")),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let after = boss.page(&location, StatusCode::OK).await;
    assert!(after.texts(".token-state")[0].starts_with("revoked"));
    assert_eq!(after.texts(".form-notice").len(), 1);
    assert!(
        after
            .all(&format!("form[action='/newsroom/tokens/{id}/revoke']"))
            .is_empty()
    );
    assert_eq!(
        api.get("/api/v1/stories").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Editors and readers are not let in; visitors are sent to sign in.
    let editor = t.staff("editor@example.kr", Role::Editor).await;
    assert_eq!(
        editor.get("/newsroom/tokens").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.get("/newsroom/tokens").await.status(),
        StatusCode::SEE_OTHER
    );
    let _ = (sel, text);
}
