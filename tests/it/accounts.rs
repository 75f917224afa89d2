//! Accounts over real HTTP with cookie jars: sign-up, sign-in, sessions, CSRF, throttling,
//! deletion.

use crate::both_backends;
use crate::harness::{PASSWORD, Page, TestApp, text};
use broadsheet_domain::Role;
use broadsheet_store::Backend;
use reqwest::StatusCode;
use scraper::Html;

both_backends!(
    signing_up_signs_in_and_the_account_page_shows_it,
    signing_in_returns_to_where_the_reader_was_and_nowhere_else,
    a_wrong_password_is_refused_and_the_form_kept,
    signing_in_rotates_the_session,
    forms_without_the_right_token_change_nothing,
    guessing_is_throttled,
    sign_out_and_sign_out_everywhere,
    deleting_an_account_removes_it,
    markup_in_names_is_shown_as_text,
    session_cookies_are_httponly_lax_and_secure_on_https,
    pages_that_need_an_account_send_readers_to_sign_in,
);

async fn page_of(response: reqwest::Response) -> Page {
    Page(Html::parse_document(&response.text().await.unwrap()))
}

async fn signing_up_signs_in_and_the_account_page_shows_it(backend: Backend) {
    let t = TestApp::new(backend).await;
    let mina = t.reader("Mina@Example.kr", "Seo Mina").await;
    let page = mina.page("/account", StatusCode::OK).await;
    assert_eq!(page.texts(".display-name"), ["Seo Mina"]);
    assert_eq!(page.texts(".email"), ["mina@example.kr"]);
    assert_eq!(page.texts(".role"), ["reader"]);
    assert_eq!(page.texts(".sessions"), ["1 browser"]);
    assert!(page.has_chrome());
    let response = mina.get("/account").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    // The same address again is refused with a sentence, and the form keeps what was typed.
    let other = t.browser();
    let response = other
        .submit(
            "/account/signup",
            &[
                ("email", "mina@example.kr"),
                ("display_name", "Another"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = page_of(response).await;
    assert_eq!(
        page.texts(".form-error"),
        ["an account with the e-mail address mina@example.kr already exists"]
    );
    assert_eq!(page.attr("input[name='display_name']", "value"), "Another");
    // A short password is refused, naming the rule.
    let response = other
        .submit(
            "/account/signup",
            &[
                ("email", "joon@example.kr"),
                ("display_name", "Joon"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        page_of(response).await.texts(".form-error"),
        ["password: is 5 characters long; use at least 10"]
    );
    assert!(
        t.app
            .store
            .user_by_email("joon@example.kr")
            .await
            .unwrap()
            .is_none()
    );
}

async fn signing_in_returns_to_where_the_reader_was_and_nowhere_else(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.reader("mina@example.kr", "Mina").await;
    for (asked, expected) in [
        ("/national/2026/11/01/a/1", "/national/2026/11/01/a/1"),
        ("//evil.example/steal", "/account"),
        ("https://evil.example/", "/account"),
    ] {
        let browser = t.browser();
        let path = format!(
            "/account/signin?return_to={}",
            percent_encoding::utf8_percent_encode(asked, percent_encoding::NON_ALPHANUMERIC)
        );
        let response = browser
            .submit(
                &path,
                &[("email", "mina@example.kr"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()["location"],
            expected,
            "return_to {asked}"
        );
    }
}

async fn a_wrong_password_is_refused_and_the_form_kept(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.reader("mina@example.kr", "Mina").await;
    let browser = t.browser();
    for email in ["mina@example.kr", "nobody@example.kr"] {
        let response = browser
            .submit(
                "/account/signin",
                &[("email", email), ("password", "not the password")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let page = page_of(response).await;
        // The same words whether or not the address has an account.
        assert_eq!(
            page.texts(".form-error"),
            ["That e-mail address and password do not match an account."]
        );
        assert_eq!(page.attr("input[name='email']", "value"), email);
    }
    assert_eq!(
        browser.get("/account").await.status(),
        StatusCode::SEE_OTHER,
        "still signed out"
    );
}

async fn signing_in_rotates_the_session(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.reader("mina@example.kr", "Mina").await;
    // An attacker gets a session cookie (from the sign-in page) and plants it in the victim's
    // browser; the victim signs in with it.
    let response = t.get("/account/signin").await;
    let planted = session_cookie(&response).expect("the form starts a session");
    let page = page_of(response).await;
    let csrf = page.attr("input[name='csrf']", "value");
    let response = t
        .app_client()
        .post(format!("{}/account/signin", t.base))
        .header("cookie", format!("bs_session={planted}"))
        .form(&[
            ("email", "mina@example.kr"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let fresh = session_cookie(&response).expect("a new session");
    assert_ne!(fresh, planted);
    // The planted token is worth nothing now; the new one is signed in.
    let with = |token: String| {
        let client = t.app_client();
        let url = format!("{}/account", t.base);
        async move {
            client
                .get(url)
                .header("cookie", format!("bs_session={token}"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(with(planted).await, StatusCode::SEE_OTHER);
    assert_eq!(with(fresh).await, StatusCode::OK);
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bs_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

async fn forms_without_the_right_token_change_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    let token = mina
        .page("/account", StatusCode::OK)
        .await
        .attr("form[action='/account/name'] input[name='csrf']", "value");
    let forged: [(&str, Vec<(&str, &str)>); 3] = [
        ("no token", vec![("display_name", "Forged")]),
        (
            "wrong token",
            vec![("display_name", "Forged"), ("csrf", "0000")],
        ),
        (
            "right token, from another site",
            vec![("display_name", "Forged"), ("csrf", &token)],
        ),
    ];
    for (case, fields) in forged {
        let mut request = mina
            .client
            .post(format!("{}/account/name", t.base))
            .form(&fields);
        if case.ends_with("another site") {
            request = request.header("origin", "https://evil.example");
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{case}");
        let page = page_of(response).await;
        assert!(
            page.has_chrome(),
            "{case}: the refusal is a page of the site"
        );
        assert_eq!(page.texts("h1"), ["Not allowed"], "{case}");
    }
    // The browser marking the request cross-site is enough to refuse it.
    let response = mina
        .client
        .post(format!("{}/account/name", t.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("display_name", "Forged"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A JSON request needs the header too.
    let response = mina
        .client
        .post(format!("{}/account/name", t.base))
        .header("content-type", "application/json")
        .body(r#"{"display_name":"Forged"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let user = t
        .app
        .store
        .user_by_email("mina@example.kr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.display_name, "Mina", "nothing changed");
    // With the token the same change goes through.
    let response = mina
        .client
        .post(format!("{}/account/name", t.base))
        .form(&[("display_name", "Mina S."), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = mina.page("/account?done=name", StatusCode::OK).await;
    assert_eq!(page.texts(".display-name"), ["Mina S."]);
    // Scripts send the token in a header instead of a field; that is accepted too.
    let response = mina
        .client
        .post(format!("{}/account/name", t.base))
        .header("x-csrf-token", &token)
        .form(&[("display_name", "Mina by script")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let user = t
        .app
        .store
        .user_by_email("mina@example.kr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.display_name, "Mina by script");
    // A visitor without any session cannot post at all.
    let response = t
        .app_client()
        .post(format!("{}/account/signin", t.base))
        .form(&[
            ("email", "mina@example.kr"),
            ("password", PASSWORD),
            ("csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

async fn guessing_is_throttled(backend: Backend) {
    let t = TestApp::new(backend).await;
    t.reader("mina@example.kr", "Mina").await;
    let browser = t.browser();
    for _ in 0..5 {
        let response = browser
            .submit(
                "/account/signin",
                &[("email", "mina@example.kr"), ("password", "guess-guess")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // Now even the right password is refused until the window passes.
    let response = browser
        .submit(
            "/account/signin",
            &[("email", "mina@example.kr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "retry after {wait}");
    let page = page_of(response).await;
    let message = page.texts(".error-page p")[1].clone();
    assert!(
        message
            .starts_with("Too many failed sign-ins to this account in a short time. Please wait"),
        "{message}"
    );
    // Another account from the same address is not locked by this one's failures.
    t.reader("joon@example.kr", "Joon").await;
    let response = t
        .browser()
        .submit(
            "/account/signin",
            &[("email", "joon@example.kr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn sign_out_and_sign_out_everywhere(backend: Backend) {
    let t = TestApp::new(backend).await;
    let laptop = t.reader("mina@example.kr", "Mina").await;
    let phone = t.browser();
    let response = phone
        .submit(
            "/account/signin",
            &[("email", "mina@example.kr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        phone
            .page("/account", StatusCode::OK)
            .await
            .texts(".sessions"),
        ["2 browsers"]
    );
    let response = laptop
        .submit_to("/account", Some("/account/signout-everywhere"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/account").await.status(), StatusCode::SEE_OTHER);
    let page = laptop
        .page("/account?done=everywhere", StatusCode::OK)
        .await;
    assert_eq!(page.texts(".sessions"), ["1 browser"]);
    let response = laptop
        .submit_to("/account", Some("/account/signout"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/account").await.status(), StatusCode::SEE_OTHER);
}

async fn deleting_an_account_removes_it(backend: Backend) {
    let t = TestApp::new(backend).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    let response = mina
        .submit_to("/account", Some("/account/delete"), &[("confirm", "maybe")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        t.app
            .store
            .user_by_email("mina@example.kr")
            .await
            .unwrap()
            .is_some()
    );
    let response = mina
        .submit_to(
            "/account",
            Some("/account/delete"),
            &[("confirm", "delete")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        t.app
            .store
            .user_by_email("mina@example.kr")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(mina.get("/account").await.status(), StatusCode::SEE_OTHER);
    let response = t
        .browser()
        .submit(
            "/account/signin",
            &[("email", "mina@example.kr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The address may be used again.
    t.reader("mina@example.kr", "Mina again").await;
}

async fn markup_in_names_is_shown_as_text(backend: Backend) {
    let t = TestApp::new(backend).await;
    let name = "<img src=x onerror=alert(1)><script>x()</script>";
    let mina = t.reader("mina@example.kr", name).await;
    let response = mina.get("/account").await;
    let html = response.text().await.unwrap();
    let page = Page(Html::parse_document(&html));
    assert_eq!(page.texts(".display-name"), [name]);
    assert!(page.all("main script, main img").is_empty());
    assert!(!html.contains("<script>alert"));
}

async fn session_cookies_are_httponly_lax_and_secure_on_https(backend: Backend) {
    let plain = TestApp::new(backend).await;
    let response = plain.get("/account/signin").await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");
    let https = TestApp::with_config(backend, |c| c.base_url = "https://news.example".into()).await;
    let response = https.get("/account/signin").await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

async fn pages_that_need_an_account_send_readers_to_sign_in(backend: Backend) {
    let t = TestApp::new(backend).await;
    assert_eq!(
        t.redirect("/account", StatusCode::SEE_OTHER).await,
        "/account/signin?return_to=%2Faccount"
    );
    let editor = t.staff("desk@example.kr", Role::Editor).await;
    let page = editor.page("/account", StatusCode::OK).await;
    assert_eq!(page.texts(".role"), ["editor"]);
    assert_eq!(text(page.one("h1")), "Your account");
}
