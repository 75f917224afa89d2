//! Sign-in with providers through the app, over real HTTP with cookie jars, against the local
//! provider (`oauth_provider.rs`). Redirects are followed by hand as a browser would: the
//! app's start URL, the provider's `/authorize`, the app's callback.

use crate::both_backends;
use crate::harness::{Browser, Page, TestApp};
use crate::oauth_provider::{CLIENT_ID, CLIENT_SECRET, KeyName, Outcome, Shape, TestProvider};
use broadsheet::auth::oauth::ClientAuth;
use broadsheet::auth::token;
use broadsheet::config::ProviderSettings;
use broadsheet::services::signin::redirect_uri;
use broadsheet::web::account::oauth::NOT_STARTED;
use broadsheet_domain::{Role, User};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use scraper::Html;

both_backends!(
    an_openid_connect_provider_found_by_discovery_signs_readers_in,
    each_known_provider_signs_in_with_its_own_shape,
    linking_from_the_account_page,
    only_a_verified_address_finds_an_existing_account,
    a_forged_or_missing_state_is_refused,
    a_callback_works_once,
    a_token_that_does_not_verify_is_refused,
    a_provider_error_or_a_cancel_shows_the_sign_in_page,
    a_callback_without_a_session_is_refused,
    markup_in_a_provider_name_is_shown_as_text,
    unknown_and_unreachable_providers,
);

/// The subject and name the local provider signs in by default.
const SUBJECT: &str = "248289761001";
const NAME: &str = "Jane Reader";
const EMAIL: &str = "reader@example.org";

/// A standard OpenID Connect provider configured by its issuer alone.
fn keycloak(p: &TestProvider) -> ProviderSettings {
    ProviderSettings {
        name: "keycloak".into(),
        label: "Keycloak".into(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        kind: Some("oidc".into()),
        issuer: Some(p.base().into()),
        ..ProviderSettings::default()
    }
}

/// A built-in provider with its endpoints moved to the local provider, as `broadsheet.toml`
/// would do it.
fn known(name: &str, p: &TestProvider) -> ProviderSettings {
    let b = p.base();
    let oidc = matches!(name, "google" | "kakao");
    ProviderSettings {
        name: name.into(),
        label: name.to_uppercase(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        authorize_url: Some(format!("{b}/authorize")),
        token_url: Some(format!("{b}/token")),
        userinfo_url: Some(format!("{b}/userinfo")),
        jwks_url: oidc.then(|| format!("{b}/jwks")),
        issuer: oidc.then(|| b.to_string()),
        ..ProviderSettings::default()
    }
}

/// The app with these providers, each callback registered with `p`.
async fn app(backend: Backend, p: &TestProvider, providers: Vec<ProviderSettings>) -> TestApp {
    let t = TestApp::with_config(backend, |c| c.auth.providers = providers).await;
    for provider in &t.app.config.auth.providers {
        p.register_redirect_uri(&redirect_uri(&t.app.config.base_url, &provider.name));
    }
    t
}

/// The session token a response sets, if it sets one.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bs_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// One trip: the app's start URL, the provider's `/authorize`, and back. Returns the
/// callback's path and query (not yet visited) and the session cookie the start set, if any.
async fn to_provider_and_back(
    browser: &Browser,
    provider: &str,
    return_to: &str,
) -> (String, Option<String>) {
    let start = browser
        .get(&format!(
            "/account/oauth/{provider}?return_to={}",
            encode(return_to)
        ))
        .await;
    assert_eq!(start.status(), StatusCode::SEE_OTHER, "start {provider}");
    assert_eq!(start.headers()["cache-control"], "no-store");
    let cookie = session_cookie(&start);
    let authorize = start.headers()["location"].to_str().unwrap().to_string();
    let at_provider = browser.client.get(&authorize).send().await.unwrap();
    assert!(
        at_provider.status().is_redirection(),
        "{authorize} answered {}",
        at_provider.status()
    );
    let back = reqwest::Url::parse(at_provider.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(back.path(), format!("/account/oauth/{provider}/callback"));
    (
        format!("{}?{}", back.path(), back.query().unwrap_or("")),
        cookie,
    )
}

/// The whole sign-in; returns the callback's response.
async fn sign_in(browser: &Browser, provider: &str) -> reqwest::Response {
    let (callback, _) = to_provider_and_back(browser, provider, "/account").await;
    browser.get(&callback).await
}

async fn page_of(response: reqwest::Response) -> Page {
    Page(Html::parse_document(&response.text().await.unwrap()))
}

async fn account(t: &TestApp, provider: &str, subject: &str) -> Option<User> {
    t.app
        .store
        .user_by_identity(provider, subject)
        .await
        .unwrap()
}

/// Whether the browser is signed in: the account page answers instead of sending it to the
/// sign-in form.
async fn signed_in(browser: &Browser) -> bool {
    browser.get("/account").await.status() == StatusCode::OK
}

async fn an_openid_connect_provider_found_by_discovery_signs_readers_in(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    assert!(
        p.requests_to("/.well-known/openid-configuration")
            .is_empty(),
        "discovery waits for the first sign-in"
    );
    // The sign-in page offers the provider.
    let browser = t.browser();
    let page = browser.page("/account/signin", StatusCode::OK).await;
    assert_eq!(
        page.texts("a.provider-keycloak"),
        ["Continue with Keycloak"]
    );

    let (callback, started) =
        to_provider_and_back(&browser, "keycloak", "/national/2026/11/01/a/1").await;
    // The signin page made the session; starting reused it.
    assert_eq!(started, None);
    let authorize = &p.requests_to("/authorize")[0].params;
    assert_eq!(
        authorize["redirect_uri"],
        format!("{}/account/oauth/keycloak/callback", t.app.config.base_url)
    );
    assert_eq!(authorize["code_challenge_method"], "S256");
    let response = browser.get(&callback).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/national/2026/11/01/a/1");
    let new_session = session_cookie(&response).expect("signing in sets a new session");

    let user = account(&t, "keycloak", SUBJECT).await.expect("an account");
    assert_eq!(user.display_name, NAME);
    assert_eq!(user.email.as_deref(), Some(EMAIL), "verified, so kept");
    assert_eq!(user.role, Role::Reader);
    assert!(!user.has_password);
    let page = browser.page("/account", StatusCode::OK).await;
    assert_eq!(page.texts(".display-name"), [NAME]);
    assert_eq!(
        page.texts(".identity-keycloak"),
        [format!("Keycloak ({EMAIL})")]
    );

    // A second sign-in, in another browser, finds the same account; the session the
    // browser had before signing in is gone (no fixation).
    let other = t.browser();
    let (callback, before) = to_provider_and_back(&other, "keycloak", "//evil.example").await;
    let before = before.expect("a visitor without a session gets one");
    let response = other.get(&callback).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/account", "not elsewhere");
    let after = session_cookie(&response).expect("a new session");
    assert_ne!(before, after);
    assert_ne!(after, new_session);
    let planted = t.app.store.session(&token::digest(&before)).await.unwrap();
    assert!(planted.is_none(), "the pre-sign-in session ended");
    assert_eq!(t.app.store.users().await.unwrap(), [user]);
    assert_eq!(
        p.requests_to("/.well-known/openid-configuration").len(),
        1,
        "discovered once"
    );
}

async fn each_known_provider_signs_in_with_its_own_shape(backend: Backend) {
    // name, what /userinfo looks like, how the provider authenticates us, expected name and
    // whether the address is kept (only when the provider says it verified it).
    let cases = [
        ("x", Shape::X, ClientAuth::Basic, NAME, false),
        ("facebook", Shape::Facebook, ClientAuth::Post, NAME, false),
        ("google", Shape::Oidc, ClientAuth::Post, NAME, true),
        ("kakao", Shape::Kakao, ClientAuth::Post, NAME, true),
        ("naver", Shape::Naver, ClientAuth::Post, "janereader", false),
    ];
    let mut providers = Vec::new();
    for (i, (name, shape, auth, _, _)) in cases.iter().enumerate() {
        let p = TestProvider::start().await;
        p.set(|b| {
            b.shape = *shape;
            b.client_auth = *auth;
            b.token_errors_with_200 = *name == "naver";
            // Each provider's reader is someone else, so no address links two of them.
            b.user.subject = format!("{}{i}", 1000 + i);
            b.user.email = format!("{name}@example.org");
        });
        providers.push(p);
    }
    let settings = cases
        .iter()
        .zip(&providers)
        .map(|((name, ..), p)| known(name, p))
        .collect();
    let t = TestApp::with_config(backend, |c| c.auth.providers = settings).await;
    for ((name, ..), p) in cases.iter().zip(&providers) {
        p.register_redirect_uri(&redirect_uri(&t.app.config.base_url, name));
    }
    for (i, ((name, _, _, display, verified), p)) in cases.iter().zip(&providers).enumerate() {
        let browser = t.browser();
        let response = sign_in(&browser, name).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name}");
        assert!(signed_in(&browser).await, "{name}");
        let subject = format!("{}{i}", 1000 + i);
        let user = account(&t, name, &subject).await.expect(name);
        assert_eq!(user.display_name, *display, "{name}");
        let email = format!("{name}@example.org");
        let expected = verified.then_some(email.as_str());
        assert_eq!(user.email.as_deref(), expected, "{name}");
        assert_eq!(user.role, Role::Reader);
        // The provider's own rules were followed.
        let authorize = &p.requests_to("/authorize")[0].params;
        assert_eq!(
            authorize.contains_key("nonce"),
            matches!(*name, "google" | "kakao")
        );
        if *name == "naver" {
            assert_eq!(
                p.requests_to("/token")[0].params["state"],
                authorize["state"]
            );
        }
        // Again: the same account.
        let again = t.browser();
        assert_eq!(sign_in(&again, name).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(account(&t, name, &subject).await.unwrap().id, user.id);
    }
    assert_eq!(t.app.store.users().await.unwrap().len(), cases.len());
}

async fn linking_from_the_account_page(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let mina = t.reader("mina@example.kr", "Seo Mina").await;
    let page = mina.page("/account", StatusCode::OK).await;
    let link = page.attr(".account-page a[href^='/account/oauth/keycloak']", "href");
    let start = mina.get(&link).await;
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let authorize = start.headers()["location"].to_str().unwrap().to_string();
    let at_provider = mina.client.get(&authorize).send().await.unwrap();
    let back = reqwest::Url::parse(at_provider.headers()["location"].to_str().unwrap()).unwrap();
    let response = mina
        .get(&format!("{}?{}", back.path(), back.query().unwrap()))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/account?done=linked");
    let page = mina.page("/account?done=linked", StatusCode::OK).await;
    assert_eq!(
        page.texts(".form-notice"),
        ["The sign-in method has been linked."]
    );
    assert_eq!(
        page.texts(".identity-keycloak"),
        [format!("Keycloak ({EMAIL})")]
    );
    let mina_account = t.app.store.user_by_email("mina@example.kr").await.unwrap();
    assert_eq!(account(&t, "keycloak", SUBJECT).await, mina_account);

    // Now the provider signs Mina in, in a browser that never saw her password.
    let elsewhere = t.browser();
    assert_eq!(
        sign_in(&elsewhere, "keycloak").await.status(),
        StatusCode::SEE_OTHER
    );
    let page = elsewhere.page("/account", StatusCode::OK).await;
    assert_eq!(page.texts(".display-name"), ["Seo Mina"]);

    // Another reader cannot take the identity over.
    let joon = t.reader("joon@example.kr", "Joon").await;
    let response = sign_in(&joon, "keycloak").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let page = page_of(response).await;
    assert_eq!(
        page.texts(".form-error"),
        ["this keycloak account is already linked to another reader's account"]
    );
    assert_eq!(page.texts(".display-name"), ["Joon"], "the account page");
    assert_eq!(account(&t, "keycloak", SUBJECT).await, mina_account);
}

async fn only_a_verified_address_finds_an_existing_account(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    t.reader("mina@example.kr", "Seo Mina").await;
    let mina = t
        .app
        .store
        .user_by_email("mina@example.kr")
        .await
        .unwrap()
        .unwrap();
    // The provider does not vouch for the address: a new account, without it.
    p.set(|b| {
        b.user.email = "Mina@Example.kr".into();
        b.user.email_verified = false;
    });
    assert_eq!(
        sign_in(&t.browser(), "keycloak").await.status(),
        StatusCode::SEE_OTHER
    );
    let stranger = account(&t, "keycloak", SUBJECT).await.unwrap();
    assert_ne!(stranger.id, mina.id);
    assert_eq!(stranger.email, None);
    // Someone else whose provider did verify it: linked to Mina's account.
    p.set(|b| {
        b.user.subject = "77".into();
        b.user.email_verified = true;
    });
    let browser = t.browser();
    assert_eq!(
        sign_in(&browser, "keycloak").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(account(&t, "keycloak", "77").await.unwrap().id, mina.id);
    let page = browser.page("/account", StatusCode::OK).await;
    assert_eq!(page.texts(".display-name"), ["Seo Mina"]);
    assert_eq!(t.app.store.users().await.unwrap().len(), 2);
}

/// The sign-in page shown for a failed callback, with its status and sentence.
async fn refused(response: reqwest::Response, status: StatusCode, message: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = page_of(response).await;
    assert_eq!(page.texts(".form-error"), [message]);
    assert_eq!(page.all("form[action='/account/signin']").len(), 1);
}

/// The error page a callback gets when there is no sign-in to finish.
async fn not_started(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = page_of(response).await;
    assert_eq!(
        page.texts(".error-page p:not(.error-status)")[0],
        NOT_STARTED
    );
}

async fn nothing_created(t: &TestApp, browser: &Browser) {
    assert!(t.app.store.users().await.unwrap().is_empty());
    assert!(!signed_in(browser).await);
}

async fn a_forged_or_missing_state_is_refused(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let browser = t.browser();
    let (callback, _) = to_provider_and_back(&browser, "keycloak", "/account").await;
    let forged = {
        let mut url = reqwest::Url::parse(&format!("http://x{callback}")).unwrap();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "state" { "forged".into() } else { v };
                (k.into_owned(), v.into_owned())
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        format!("{}?{}", url.path(), url.query().unwrap())
    };
    refused(
        browser.get(&forged).await,
        StatusCode::FORBIDDEN,
        "This sign-in did not start in this browser. Please start again.",
    )
    .await;
    assert!(
        p.requests_to("/token").is_empty(),
        "the code was not redeemed"
    );
    // The failure ended the pending sign-in: even the genuine callback is refused now.
    not_started(browser.get(&callback).await).await;
    nothing_created(&t, &browser).await;

    // No state at all.
    let (callback, _) = to_provider_and_back(&browser, "keycloak", "/account").await;
    let code = callback.split('&').find(|kv| kv.contains("code=")).unwrap();
    let code = code.rsplit('?').next().unwrap();
    refused(
        browser
            .get(&format!("/account/oauth/keycloak/callback?{code}"))
            .await,
        StatusCode::BAD_REQUEST,
        "The sign-in reply was incomplete. Please start again.",
    )
    .await;
    nothing_created(&t, &browser).await;
}

async fn a_callback_works_once(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let browser = t.browser();
    let (callback, _) = to_provider_and_back(&browser, "keycloak", "/account").await;
    assert_eq!(browser.get(&callback).await.status(), StatusCode::SEE_OTHER);
    // The same browser, and a stranger who copied the URL: neither gets anywhere.
    not_started(browser.get(&callback).await).await;
    let stranger = t.browser();
    not_started(stranger.get(&callback).await).await;
    // A stranger with a sign-in of their own, replaying the code under their own state.
    let (own, _) = to_provider_and_back(&stranger, "keycloak", "/account").await;
    let own_state = own
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let code = callback
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    refused(
        stranger
            .get(&format!(
                "/account/oauth/keycloak/callback?code={code}&state={own_state}"
            ))
            .await,
        StatusCode::UNAUTHORIZED,
        "The sign-in service did not accept this sign-in. Please start again.",
    )
    .await;
    assert!(!signed_in(&stranger).await);
    assert_eq!(t.app.store.users().await.unwrap().len(), 1);
}

async fn a_token_that_does_not_verify_is_refused(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let browser = t.browser();
    // Signed with a key the provider never published, under the published key's id.
    p.set(|b| {
        b.signing_key = KeyName::Rogue;
        b.kid_override = Some(KeyName::Current.kid().into());
    });
    refused(
        sign_in(&browser, "keycloak").await,
        StatusCode::UNAUTHORIZED,
        "The sign-in could not be verified. Please try again.",
    )
    .await;
    nothing_created(&t, &browser).await;
    p.set(|b| {
        b.signing_key = KeyName::Current;
        b.kid_override = None;
        b.expired_id_token = true;
    });
    refused(
        sign_in(&browser, "keycloak").await,
        StatusCode::UNAUTHORIZED,
        "The sign-in has expired. Please try again.",
    )
    .await;
    nothing_created(&t, &browser).await;
}

async fn a_provider_error_or_a_cancel_shows_the_sign_in_page(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let browser = t.browser();
    p.set(|b| b.outcome = Outcome::Cancel);
    refused(
        sign_in(&browser, "keycloak").await,
        StatusCode::BAD_REQUEST,
        "Sign-in was cancelled.",
    )
    .await;
    nothing_created(&t, &browser).await;

    // The provider's description is never shown (anyone can write one into a link).
    p.set(|b| b.outcome = Outcome::ServerError);
    let response = sign_in(&browser, "keycloak").await;
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let body = response.text().await.unwrap();
    assert!(!body.contains("Injected"), "{body}");
    let page = Page(Html::parse_document(&body));
    assert_eq!(
        page.texts(".form-error"),
        ["The sign-in service reported a problem. Please try again later."]
    );
    nothing_created(&t, &browser).await;
    // The reader tries again and gets in.
    p.set(|b| b.outcome = Outcome::SignIn);
    assert_eq!(
        sign_in(&browser, "keycloak").await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(signed_in(&browser).await);
}

async fn a_callback_without_a_session_is_refused(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let browser = t.browser();
    not_started(
        browser
            .get("/account/oauth/keycloak/callback?code=abc&state=def")
            .await,
    )
    .await;
    // A session, but no sign-in started in it.
    browser.page("/account/signin", StatusCode::OK).await;
    not_started(
        browser
            .get("/account/oauth/keycloak/callback?code=abc&state=def")
            .await,
    )
    .await;
    assert!(p.requests().is_empty());
    nothing_created(&t, &browser).await;
}

async fn markup_in_a_provider_name_is_shown_as_text(backend: Backend) {
    let p = TestProvider::start().await;
    let t = app(backend, &p, vec![keycloak(&p)]).await;
    let name = "<script>alert(1)</script>";
    p.set(|b| b.user.name = format!("  {name}\n"));
    let browser = t.browser();
    assert_eq!(
        sign_in(&browser, "keycloak").await.status(),
        StatusCode::SEE_OTHER
    );
    let body = browser.get("/account").await.text().await.unwrap();
    assert!(!body.contains(name), "unescaped: {body}");
    let page = Page(Html::parse_document(&body));
    assert_eq!(page.texts(".display-name"), [name]);
    assert!(page.all(".account-page script").is_empty());
    assert_eq!(page.attr("input[name='display_name']", "value"), name);
}

async fn unknown_and_unreachable_providers(backend: Backend) {
    let p = TestProvider::start().await;
    // A provider that is down when the site starts: the site starts anyway.
    let mut down = keycloak(&p);
    down.name = "down".into();
    down.label = "Down".into();
    down.issuer = Some("http://127.0.0.1:1".into());
    let t = app(backend, &p, vec![keycloak(&p), down]).await;
    let browser = t.browser();
    assert_eq!(
        browser.get("/account/oauth/myspace").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser
            .get("/account/oauth/myspace/callback?code=a&state=b")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    refused(
        browser.get("/account/oauth/down?return_to=/account").await,
        StatusCode::BAD_GATEWAY,
        "The sign-in service could not be reached. Please try again later.",
    )
    .await;
    // The other provider is unaffected.
    assert_eq!(
        sign_in(&browser, "keycloak").await.status(),
        StatusCode::SEE_OTHER
    );
}
