//! `auth::oauth` alone against the local provider: begin, the browser's trip to `/authorize`
//! (a real HTTP request, redirects not followed), the callback, finish. What the module checks
//! (PKCE, client authentication, ID token claims, key rotation, each provider's profile shape);
//! `oauth.rs` drives the same provider through the app's pages.

use std::collections::HashMap;

use crate::oauth_provider::{
    CLIENT_ID, CLIENT_SECRET, KeyName, Outcome, REDIRECT_URI, Shape, TestProvider,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use broadsheet::auth::oauth::{
    Callback, ClientAuth, ExternalIdentity, Http, OAuthError, Pending, ProfileMapping,
    ProtocolKind, ProviderConfig, begin, discover, finish,
};
use serde_json::json;

/// What a browser does with the authorization URL: one GET, then read the redirect.
async fn visit_authorize(url: &str) -> Callback {
    // With reqwest's `rustls-no-provider` feature on, every client built without its own TLS
    // config needs a process default provider, even for plain-HTTP use (see oauth/http.rs).
    broadsheet::auth::oauth::install_crypto_provider();
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = browser.get(url).send().await.unwrap();
    assert!(
        response.status().is_redirection(),
        "authorize answered {}",
        response.status()
    );
    let location = response.headers()["location"].to_str().unwrap();
    let location = reqwest::Url::parse(location).unwrap();
    assert!(
        location.as_str().starts_with(REDIRECT_URI),
        "redirected to {location}"
    );
    let q: HashMap<String, String> = location.query_pairs().into_owned().collect();
    Callback {
        state: q.get("state").cloned(),
        code: q.get("code").cloned(),
        error: q.get("error").cloned(),
        error_description: q.get("error_description").cloned(),
    }
}

/// begin + the browser's trip: what the app holds when the callback arrives.
async fn start(provider: &ProviderConfig) -> (Pending, Callback) {
    let (url, pending) = begin(provider, REDIRECT_URI);
    let callback = visit_authorize(&url).await;
    (pending, callback)
}

async fn sign_in(http: &Http, provider: &ProviderConfig) -> Result<ExternalIdentity, OAuthError> {
    let (pending, callback) = start(provider).await;
    finish(http, provider, REDIRECT_URI, &pending, &callback).await
}

fn oidc(p: &TestProvider) -> ProviderConfig {
    p.config(
        "keycloak",
        ProtocolKind::OpenIdConnect,
        ProfileMapping::openid_standard(),
    )
}

/// A built-in provider with every endpoint moved to the local provider, as the app's config
/// file would do.
fn known_here(name: &str, p: &TestProvider) -> ProviderConfig {
    let mut config = ProviderConfig::known(name, CLIENT_ID, CLIENT_SECRET).unwrap();
    let b = p.base();
    config.authorize_url = format!("{b}/authorize");
    config.token_url = format!("{b}/token");
    config.userinfo_url = Some(format!("{b}/userinfo"));
    if config.kind == ProtocolKind::OpenIdConnect {
        config.jwks_url = Some(format!("{b}/jwks"));
        config.issuer = Some(b.to_string());
    }
    config
}

fn expect_err(result: Result<ExternalIdentity, OAuthError>) -> OAuthError {
    match result {
        Ok(identity) => panic!("expected an error, signed in as {identity:?}"),
        Err(e) => e,
    }
}

fn s256(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

#[tokio::test]
async fn openid_connect_sign_in_sends_pkce_nonce_and_basic_auth() {
    let p = TestProvider::start().await;
    let http = Http::new().unwrap();
    let config = oidc(&p);
    let (pending, callback) = start(&config).await;
    let identity = finish(&http, &config, REDIRECT_URI, &pending, &callback)
        .await
        .unwrap();
    assert_eq!(
        identity,
        ExternalIdentity {
            provider: "keycloak".into(),
            subject: "248289761001".into(),
            email: Some("reader@example.org".into()),
            email_verified: true,
            display_name: Some("Jane Reader".into()),
        }
    );

    let authorize = &p.requests_to("/authorize")[0].params;
    assert_eq!(authorize["code_challenge_method"], "S256");
    assert_eq!(authorize["state"], pending.state);
    assert_eq!(authorize["nonce"], *pending.nonce.as_ref().unwrap());
    assert_eq!(authorize["scope"], "openid email profile");

    let token = &p.requests_to("/token")[0];
    assert_eq!(token.params["grant_type"], "authorization_code");
    assert_eq!(token.params["redirect_uri"], REDIRECT_URI);
    assert_eq!(
        s256(&token.params["code_verifier"]),
        authorize["code_challenge"]
    );
    assert!(
        token
            .authorization
            .as_deref()
            .unwrap()
            .starts_with("Basic ")
    );
    assert!(
        !token.params.contains_key("client_secret"),
        "secret sent twice"
    );

    let userinfo = &p.requests_to("/userinfo")[0];
    assert!(
        userinfo
            .authorization
            .as_deref()
            .unwrap()
            .starts_with("Bearer ")
    );
}

#[tokio::test]
async fn es256_id_tokens_verify() {
    let p = TestProvider::start().await;
    p.set(|b| b.signing_key = KeyName::Ec);
    let identity = sign_in(&Http::new().unwrap(), &oidc(&p)).await.unwrap();
    assert_eq!(identity.subject, "248289761001");
}

#[tokio::test]
async fn client_secret_post_sends_the_secret_in_the_form() {
    let p = TestProvider::start().await;
    p.set(|b| b.client_auth = ClientAuth::Post);
    let config = oidc(&p);
    assert_eq!(config.client_auth, ClientAuth::Post);
    sign_in(&Http::new().unwrap(), &config).await.unwrap();
    let token = &p.requests_to("/token")[0];
    assert_eq!(token.params["client_secret"], CLIENT_SECRET);
    assert_eq!(token.params["client_id"], CLIENT_ID);
    assert_eq!(token.authorization, None);
}

#[tokio::test]
async fn wrong_client_authentication_is_a_token_exchange_error() {
    let p = TestProvider::start().await;
    let mut config = oidc(&p); // the provider wants Basic
    config.client_auth = ClientAuth::Post;
    let err = expect_err(sign_in(&Http::new().unwrap(), &config).await);
    assert!(
        matches!(&err, OAuthError::TokenExchange(401, e) if e == "invalid_client"),
        "{err:?}"
    );
}

#[tokio::test]
async fn x_profile_under_data() {
    let p = TestProvider::start().await;
    p.set(|b| {
        b.shape = Shape::X;
        b.client_auth = ClientAuth::Basic; // X: Basic for confidential clients
    });
    let config = known_here("x", &p);
    let identity = sign_in(&Http::new().unwrap(), &config).await.unwrap();
    assert_eq!(identity.provider, "x");
    assert_eq!(identity.subject, "248289761001");
    assert_eq!(identity.display_name.as_deref(), Some("Jane Reader"));
    assert_eq!(identity.email, None);
    assert!(!identity.email_verified);
    let authorize = &p.requests_to("/authorize")[0].params;
    assert_eq!(authorize["scope"], "users.read tweet.read");
    assert!(!authorize.contains_key("nonce"));
    assert!(p.requests_to("/jwks").is_empty());
}

#[tokio::test]
async fn facebook_flat_profile_with_unverified_email() {
    let p = TestProvider::start().await;
    p.set(|b| {
        b.shape = Shape::Facebook;
        b.client_auth = ClientAuth::Post;
    });
    let identity = sign_in(&Http::new().unwrap(), &known_here("facebook", &p))
        .await
        .unwrap();
    assert_eq!(identity.subject, "248289761001");
    assert_eq!(identity.email.as_deref(), Some("reader@example.org"));
    assert!(
        !identity.email_verified,
        "Facebook does not say it verified"
    );
    assert_eq!(identity.display_name.as_deref(), Some("Jane Reader"));
}

#[tokio::test]
async fn naver_profile_under_response_and_state_in_token_request() {
    let p = TestProvider::start().await;
    p.set(|b| {
        b.shape = Shape::Naver;
        b.client_auth = ClientAuth::Post;
        b.token_errors_with_200 = true;
    });
    let config = known_here("naver", &p);
    let (pending, callback) = start(&config).await;
    let http = Http::new().unwrap();
    let identity = finish(&http, &config, REDIRECT_URI, &pending, &callback)
        .await
        .unwrap();
    assert_eq!(identity.subject, "248289761001");
    assert_eq!(identity.display_name.as_deref(), Some("janereader"));
    assert_eq!(p.requests_to("/token")[0].params["state"], pending.state);

    // Naver answers errors with HTTP 200; a replayed code must still fail.
    let err = expect_err(finish(&http, &config, REDIRECT_URI, &pending, &callback).await);
    assert!(
        matches!(&err, OAuthError::TokenExchange(200, e) if e == "invalid_grant"),
        "{err:?}"
    );
}

#[tokio::test]
async fn kakao_oidc_with_nested_profile_and_numeric_id() {
    let p = TestProvider::start().await;
    p.set(|b| {
        b.shape = Shape::Kakao;
        b.client_auth = ClientAuth::Post;
    });
    let config = known_here("kakao", &p);
    assert_eq!(config.kind, ProtocolKind::OpenIdConnect);
    let identity = sign_in(&Http::new().unwrap(), &config).await.unwrap();
    assert_eq!(identity.subject, "248289761001");
    assert_eq!(identity.email.as_deref(), Some("reader@example.org"));
    assert!(identity.email_verified);
    assert_eq!(identity.display_name.as_deref(), Some("Jane Reader"));
}

#[tokio::test]
async fn kakao_userinfo_about_someone_else_is_refused() {
    let p = TestProvider::start().await;
    p.set(|b| {
        b.shape = Shape::Kakao;
        b.client_auth = ClientAuth::Post;
        // The ID token names the reader; the profile API answers about someone else.
        b.userinfo_subject_override = Some("999".into());
    });
    let err = expect_err(sign_in(&Http::new().unwrap(), &known_here("kakao", &p)).await);
    assert!(matches!(err, OAuthError::Userinfo(_)), "{err:?}");
}

#[tokio::test]
async fn wrong_state_is_refused() {
    let p = TestProvider::start().await;
    let config = oidc(&p);
    let (pending, mut callback) = start(&config).await;
    callback.state = Some(format!("{}x", &pending.state[..pending.state.len() - 1]));
    let err = expect_err(
        finish(
            &Http::new().unwrap(),
            &config,
            REDIRECT_URI,
            &pending,
            &callback,
        )
        .await,
    );
    assert!(matches!(err, OAuthError::StateMismatch), "{err:?}");
    assert!(
        p.requests_to("/token").is_empty(),
        "code redeemed despite bad state"
    );
}

#[tokio::test]
async fn missing_state_is_refused() {
    let p = TestProvider::start().await;
    let config = oidc(&p);
    let (pending, mut callback) = start(&config).await;
    callback.state = None;
    let err = expect_err(
        finish(
            &Http::new().unwrap(),
            &config,
            REDIRECT_URI,
            &pending,
            &callback,
        )
        .await,
    );
    assert!(matches!(err, OAuthError::MissingState), "{err:?}");
}

#[tokio::test]
async fn pending_of_another_provider_is_a_state_mismatch() {
    let p = TestProvider::start().await;
    let config = oidc(&p);
    let (mut pending, callback) = start(&config).await;
    pending.provider = "google".into();
    let err = expect_err(
        finish(
            &Http::new().unwrap(),
            &config,
            REDIRECT_URI,
            &pending,
            &callback,
        )
        .await,
    );
    assert!(matches!(err, OAuthError::StateMismatch), "{err:?}");
}

#[tokio::test]
async fn pending_older_than_ten_minutes_has_expired() {
    let p = TestProvider::start().await;
    let config = oidc(&p);
    let (mut pending, callback) = start(&config).await;
    pending.created_at -= 601;
    let err = expect_err(
        finish(
            &Http::new().unwrap(),
            &config,
            REDIRECT_URI,
            &pending,
            &callback,
        )
        .await,
    );
    assert!(matches!(err, OAuthError::Expired), "{err:?}");
    // Nine minutes is still fine.
    let (mut pending, callback) = start(&config).await;
    pending.created_at -= 540;
    finish(
        &Http::new().unwrap(),
        &config,
        REDIRECT_URI,
        &pending,
        &callback,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn replayed_code_is_refused() {
    let p = TestProvider::start().await;
    let config = oidc(&p);
    let http = Http::new().unwrap();
    let (pending, callback) = start(&config).await;
    finish(&http, &config, REDIRECT_URI, &pending, &callback)
        .await
        .unwrap();
    let err = expect_err(finish(&http, &config, REDIRECT_URI, &pending, &callback).await);
    assert!(
        matches!(&err, OAuthError::TokenExchange(400, e) if e == "invalid_grant"),
        "{err:?}"
    );
}

#[tokio::test]
async fn code_with_another_sign_ins_verifier_is_refused() {
    let p = TestProvider::start().await;
    let config = oidc(&p);
    let (mut pending, callback) = start(&config).await;
    let (other, _) = start(&config).await;
    pending.pkce_verifier = other.pkce_verifier;
    let err = expect_err(
        finish(
            &Http::new().unwrap(),
            &config,
            REDIRECT_URI,
            &pending,
            &callback,
        )
        .await,
    );
    assert!(
        matches!(&err, OAuthError::TokenExchange(400, e) if e == "invalid_grant"),
        "{err:?}"
    );
}

#[tokio::test]
async fn reader_cancels() {
    let p = TestProvider::start().await;
    p.set(|b| b.outcome = Outcome::Cancel);
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    assert!(matches!(err, OAuthError::Cancelled), "{err:?}");
    assert_eq!(err.to_string(), "Sign-in was cancelled.");
}

#[tokio::test]
async fn provider_error_keeps_its_words_out_of_the_message() {
    let p = TestProvider::start().await;
    p.set(|b| b.outcome = Outcome::ServerError);
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    match &err {
        OAuthError::ProviderError(code, description) => {
            assert_eq!(code, "server_error");
            assert_eq!(description.as_deref(), Some("<b>Injected</b> text"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("Injected"));
}

#[tokio::test]
async fn error_callback_with_wrong_state_is_a_state_mismatch() {
    let p = TestProvider::start().await;
    p.set(|b| b.outcome = Outcome::Cancel);
    let config = oidc(&p);
    let (pending, mut callback) = start(&config).await;
    callback.state = Some("forged".into());
    let err = expect_err(
        finish(
            &Http::new().unwrap(),
            &config,
            REDIRECT_URI,
            &pending,
            &callback,
        )
        .await,
    );
    assert!(matches!(err, OAuthError::StateMismatch), "{err:?}");
}

#[tokio::test]
async fn id_token_signed_with_an_unpublished_key_has_a_bad_signature() {
    let p = TestProvider::start().await;
    // The forger claims the published key's id.
    p.set(|b| {
        b.signing_key = KeyName::Rogue;
        b.kid_override = Some(KeyName::Current.kid().into());
    });
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    assert!(matches!(err, OAuthError::BadSignature), "{err:?}");
}

#[tokio::test]
async fn expired_id_token() {
    let p = TestProvider::start().await;
    p.set(|b| b.expired_id_token = true);
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    assert!(matches!(err, OAuthError::TokenExpired), "{err:?}");
}

#[tokio::test]
async fn wrong_issuer() {
    let p = TestProvider::start().await;
    p.set(|b| b.issuer_override = Some("https://evil.example".into()));
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    assert!(matches!(err, OAuthError::WrongIssuer), "{err:?}");
}

#[tokio::test]
async fn wrong_audience() {
    let p = TestProvider::start().await;
    p.set(|b| b.audience_override = Some(json!("another-site")));
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    assert!(matches!(err, OAuthError::WrongAudience), "{err:?}");
}

#[tokio::test]
async fn several_audiences_need_azp_naming_us() {
    let p = TestProvider::start().await;
    let http = Http::new().unwrap();
    p.set(|b| b.audience_override = Some(json!([CLIENT_ID, "another-site"])));
    let err = expect_err(sign_in(&http, &oidc(&p)).await);
    assert!(matches!(err, OAuthError::WrongAudience), "{err:?}");
    p.set(|b| b.azp = Some(CLIENT_ID.into()));
    sign_in(&http, &oidc(&p)).await.unwrap();
}

#[tokio::test]
async fn nonce_mismatch() {
    let p = TestProvider::start().await;
    p.set(|b| b.nonce_override = Some("a-nonce-from-another-sign-in".into()));
    let err = expect_err(sign_in(&Http::new().unwrap(), &oidc(&p)).await);
    assert!(matches!(err, OAuthError::NonceMismatch), "{err:?}");
}

#[tokio::test]
async fn key_rotation_refetches_the_key_set_once() {
    let p = TestProvider::start().await;
    let http = Http::new().unwrap();
    let config = oidc(&p);
    sign_in(&http, &config).await.unwrap();
    sign_in(&http, &config).await.unwrap();
    assert_eq!(p.requests_to("/jwks").len(), 1, "keys are cached");

    // The provider rotates: new key, old one withdrawn.
    p.set(|b| {
        b.signing_key = KeyName::Next;
        b.published = vec![KeyName::Next];
    });
    sign_in(&http, &config).await.unwrap();
    assert_eq!(p.requests_to("/jwks").len(), 2, "unknown kid refetches");
    sign_in(&http, &config).await.unwrap();
    assert_eq!(p.requests_to("/jwks").len(), 2);

    // Tokens naming unknown keys cannot make us refetch again within the minute.
    p.set(|b| b.signing_key = KeyName::Rogue);
    let err = expect_err(sign_in(&http, &config).await);
    assert!(matches!(err, OAuthError::BadSignature), "{err:?}");
    let err = expect_err(sign_in(&http, &config).await);
    assert!(matches!(err, OAuthError::BadSignature), "{err:?}");
    assert_eq!(p.requests_to("/jwks").len(), 2, "refetch is rate limited");
}

#[tokio::test]
async fn discovery_builds_a_working_provider() {
    let p = TestProvider::start().await;
    let http = Http::new().unwrap();
    let config = discover(
        &http,
        "keycloak",
        "Keycloak",
        p.base(),
        CLIENT_ID,
        CLIENT_SECRET,
    )
    .await
    .unwrap();
    assert_eq!(config.issuer.as_deref(), Some(p.base()));
    assert_eq!(config.client_auth, ClientAuth::Basic);
    assert_eq!(config.validate(), Ok(()));
    let identity = sign_in(&http, &config).await.unwrap();
    assert_eq!(identity.email.as_deref(), Some("reader@example.org"));
    assert!(
        p.requests_to("/userinfo").is_empty(),
        "claims come from the ID token"
    );

    let err = discover(
        &http,
        "k",
        "K",
        "http://127.0.0.1:1",
        CLIENT_ID,
        CLIENT_SECRET,
    )
    .await;
    assert!(matches!(err, Err(OAuthError::Network(_))), "{err:?}");
}
