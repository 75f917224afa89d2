//! A local OpenID Connect / OAuth 2.0 provider for tests, on 127.0.0.1 with a free port: the
//! other end of `broadsheet::auth::oauth`, for `oauth_flow.rs` (the module alone) and
//! `oauth.rs` (sign-in through the app).
//!
//! It speaks the real protocol over real HTTP: `/authorize` (redirects back with a code, or with
//! `error=`), `/token` (client authentication, single-use codes, redirect_uri and PKCE checks),
//! `/jwks`, `/userinfo` (Bearer) and `/.well-known/openid-configuration`. It "signs in" one
//! configured test user without a login page.
//!
//! Tests steer it through [`Behaviour`] (shared behind a mutex; change it between steps) and
//! read back every request it received with [`TestProvider::requests`]. It knows one client;
//! its redirect URIs are [`REDIRECT_URI`] and whatever a test registers (the app's callbacks).
//! Its RSA keys are fixtures (`tests/fixtures/oauth/*.der`, PKCS#1), so that a test run does
//! not spend seconds generating them.
//!
//! Its checks are written independently of the client under test (its own S256, its own JWS
//! signing) so that a bug in the client cannot be mirrored here and pass unnoticed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use broadsheet::auth::oauth::{ClientAuth, ProfileMapping, ProtocolKind, ProviderConfig};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair as _, RsaKeyPair};
use serde_json::{Value, json};

/// Which of the provider's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyName {
    /// RS256, published from the start.
    Current,
    /// RS256, the key the provider rotates to.
    Next,
    /// RS256, never published: a forger's key.
    Rogue,
    /// ES256 (P-256), generated at start.
    Ec,
}

impl KeyName {
    pub fn kid(self) -> &'static str {
        match self {
            KeyName::Current => "rsa-2026-a",
            KeyName::Next => "rsa-2026-b",
            KeyName::Rogue => "rsa-rogue",
            KeyName::Ec => "ec-2026-a",
        }
    }
}

/// What `/authorize` does once its request is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    SignIn,
    /// The reader presses "Cancel": `error=access_denied`.
    Cancel,
    /// `error=server_error`.
    ServerError,
}

/// The JSON shape `/userinfo` answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// OIDC standard claims: `sub`, `email`, `email_verified`, `name`.
    Oidc,
    /// `{"data": {"id", "name", "username"}}`
    X,
    /// `{"id", "name", "email"}`
    Facebook,
    /// `{"resultcode", "message", "response": {"id", "email", "nickname", "name"}}`
    Naver,
    /// `{"id": <number>, "kakao_account": {"email", "is_email_verified", "profile": {...}}}`
    Kakao,
}

/// The person who "signs in". `subject` is numeric so every shape (Kakao's numeric id) can use it.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    pub username: String,
}

/// The knobs.
#[derive(Debug, Clone)]
pub struct Behaviour {
    pub outcome: Outcome,
    /// Which key signs ID tokens.
    pub signing_key: KeyName,
    /// The `kid` header to put on ID tokens; `None`: the signing key's own.
    pub kid_override: Option<String>,
    /// What `/jwks` publishes.
    pub published: Vec<KeyName>,
    pub client_auth: ClientAuth,
    /// ID tokens whose `exp` is an hour ago.
    pub expired_id_token: bool,
    pub issuer_override: Option<String>,
    pub audience_override: Option<Value>,
    pub azp: Option<String>,
    pub nonce_override: Option<String>,
    pub shape: Shape,
    /// Answer token errors with HTTP 200 and an `error` field, as Naver does.
    pub token_errors_with_200: bool,
    /// `/userinfo` names this subject instead of the user's.
    pub userinfo_subject_override: Option<String>,
    pub user: TestUser,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            outcome: Outcome::SignIn,
            signing_key: KeyName::Current,
            kid_override: None,
            published: vec![KeyName::Current, KeyName::Ec],
            client_auth: ClientAuth::Basic,
            expired_id_token: false,
            issuer_override: None,
            audience_override: None,
            azp: None,
            nonce_override: None,
            shape: Shape::Oidc,
            token_errors_with_200: false,
            userinfo_subject_override: None,
            user: TestUser {
                subject: "248289761001".into(),
                email: "reader@example.org".into(),
                email_verified: true,
                name: "Jane Reader".into(),
                username: "janereader".into(),
            },
        }
    }
}

/// One request the provider received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: &'static str,
    /// Query parameters for GET, form fields for POST.
    pub params: HashMap<String, String>,
    pub authorization: Option<String>,
}

struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    nonce: Option<String>,
    scope: String,
    used: bool,
}

struct Keys {
    rsa: HashMap<KeyName, RsaKeyPair>,
    ec: EcdsaKeyPair,
}

struct Shared {
    base: String,
    client_id: String,
    client_secret: String,
    redirect_uris: Mutex<Vec<String>>,
    keys: Keys,
    behaviour: Mutex<Behaviour>,
    grants: Mutex<HashMap<String, Grant>>,
    access_tokens: Mutex<Vec<String>>,
    log: Mutex<Vec<Recorded>>,
}

/// A running provider. Dropping it leaves the server running until the test's runtime ends.
#[derive(Clone)]
pub struct TestProvider {
    shared: Arc<Shared>,
}

pub const CLIENT_ID: &str = "broadsheet-test";
pub const CLIENT_SECRET: &str = "s3cret:with/odd+chars";
pub const REDIRECT_URI: &str = "http://127.0.0.1:1/auth/callback?provider=test";

impl TestProvider {
    /// Starts a provider that knows one client ([`CLIENT_ID`], [`CLIENT_SECRET`],
    /// [`REDIRECT_URI`]).
    pub async fn start() -> TestProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let rsa = |der: &[u8]| RsaKeyPair::from_der(der).expect("fixture key (PKCS#1 DER)");
        let rng = SystemRandom::new();
        let ec_pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .unwrap();
        let keys = Keys {
            rsa: HashMap::from([
                (
                    KeyName::Current,
                    rsa(include_bytes!("../fixtures/oauth/current.der")),
                ),
                (
                    KeyName::Next,
                    rsa(include_bytes!("../fixtures/oauth/next.der")),
                ),
                (
                    KeyName::Rogue,
                    rsa(include_bytes!("../fixtures/oauth/rogue.der")),
                ),
            ]),
            ec: EcdsaKeyPair::from_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                ec_pkcs8.as_ref(),
                &rng,
            )
            .unwrap(),
        };
        let shared = Arc::new(Shared {
            base: base.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            redirect_uris: Mutex::new(vec![REDIRECT_URI.into()]),
            keys,
            behaviour: Mutex::new(Behaviour::default()),
            grants: Mutex::new(HashMap::new()),
            access_tokens: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/jwks", get(jwks))
            .route("/userinfo", get(userinfo))
            .route("/.well-known/openid-configuration", get(discovery))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TestProvider { shared }
    }

    /// `http://127.0.0.1:PORT`, also the issuer.
    pub fn base(&self) -> &str {
        &self.shared.base
    }

    /// Accepts `uri` as a redirect URI from now on (as registering it in a provider's console).
    pub fn register_redirect_uri(&self, uri: &str) {
        self.shared.redirect_uris.lock().unwrap().push(uri.into());
    }

    /// Changes the behaviour from now on.
    pub fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut self.shared.behaviour.lock().unwrap());
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// A provider configuration with every endpoint pointing here. The token endpoint's client
    /// authentication follows the provider's current behaviour, as a real provider's docs would.
    pub fn config(
        &self,
        name: &str,
        kind: ProtocolKind,
        profile: ProfileMapping,
    ) -> ProviderConfig {
        let b = &self.shared.base;
        let oidc = kind == ProtocolKind::OpenIdConnect;
        ProviderConfig {
            name: name.into(),
            label: format!("Test {name}"),
            kind,
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            client_auth: self.shared.behaviour.lock().unwrap().client_auth,
            authorize_url: format!("{b}/authorize"),
            token_url: format!("{b}/token"),
            userinfo_url: Some(format!("{b}/userinfo")),
            jwks_url: oidc.then(|| format!("{b}/jwks")),
            issuer: oidc.then(|| b.clone()),
            scopes: if oidc {
                vec!["openid".into(), "email".into(), "profile".into()]
            } else {
                vec!["profile".into()]
            },
            profile,
            token_request_includes_state: false,
        }
    }
}

fn random(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut buf).unwrap();
    URL_SAFE_NO_PAD.encode(buf)
}

fn record(s: &Shared, path: &'static str, params: &HashMap<String, String>, headers: &HeaderMap) {
    s.log.lock().unwrap().push(Recorded {
        path,
        params: params.clone(),
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
}

/// `redirect_uri` with `params` added to its query, as RFC 6749 §4.1.2 requires.
fn back_to(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let mut url = reqwest::Url::parse(redirect_uri).unwrap();
    for (k, v) in params {
        url.query_pairs_mut().append_pair(k, v);
    }
    Redirect::to(url.as_str()).into_response()
}

async fn authorize(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    record(&s, "/authorize", &q, &headers);
    fn get<'a>(q: &'a HashMap<String, String>, k: &str) -> Option<&'a str> {
        q.get(k).map(String::as_str)
    }
    let param = |k: &str| get(&q, k);
    // An unknown client or redirect URI must not be redirected to (RFC 6749 §4.1.2.1).
    if param("client_id") != Some(&s.client_id) {
        return (StatusCode::BAD_REQUEST, "unknown client_id").into_response();
    }
    let redirect_uri = param("redirect_uri").unwrap_or("").to_string();
    if !s.redirect_uris.lock().unwrap().contains(&redirect_uri) {
        return (StatusCode::BAD_REQUEST, "redirect_uri not registered").into_response();
    }
    let state = param("state").unwrap_or("");
    let with_state = |p: &[(&str, &str)]| {
        let mut p = p.to_vec();
        if !state.is_empty() {
            p.push(("state", state));
        }
        back_to(&redirect_uri, &p)
    };
    if param("response_type") != Some("code") {
        return with_state(&[("error", "unsupported_response_type")]);
    }
    let challenge = match (param("code_challenge"), param("code_challenge_method")) {
        (Some(c), Some("S256")) if c.len() == 43 => c.to_string(),
        _ => {
            return with_state(&[
                ("error", "invalid_request"),
                ("error_description", "PKCE S256 is required"),
            ]);
        }
    };
    let outcome = s.behaviour.lock().unwrap().outcome;
    match outcome {
        Outcome::Cancel => with_state(&[
            ("error", "access_denied"),
            ("error_description", "The user denied the request"),
        ]),
        Outcome::ServerError => with_state(&[
            ("error", "server_error"),
            ("error_description", "<b>Injected</b> text"),
        ]),
        Outcome::SignIn => {
            let code = random(24);
            s.grants.lock().unwrap().insert(
                code.clone(),
                Grant {
                    client_id: s.client_id.clone(),
                    redirect_uri: redirect_uri.clone(),
                    challenge,
                    nonce: param("nonce").map(str::to_string),
                    scope: param("scope").unwrap_or("").to_string(),
                    used: false,
                },
            );
            with_state(&[("code", &code)])
        }
    }
}

fn token_error(status: StatusCode, error: &str, with_200: bool) -> Response {
    let status = if with_200 { StatusCode::OK } else { status };
    let body =
        Json(json!({"error": error, "error_description": format!("test provider: {error}")}));
    (status, [(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// Client authentication as the behaviour demands (RFC 6749 §2.3.1).
fn client_authenticated(
    s: &Shared,
    how: ClientAuth,
    form: &HashMap<String, String>,
    headers: &HeaderMap,
) -> bool {
    match how {
        ClientAuth::Post => {
            form.get("client_id") == Some(&s.client_id)
                && form.get("client_secret") == Some(&s.client_secret)
        }
        ClientAuth::Basic => {
            let Some(encoded) = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Basic "))
            else {
                return false;
            };
            let Some(decoded) = STANDARD
                .decode(encoded)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            else {
                return false;
            };
            let Some((id, secret)) = decoded.split_once(':') else {
                return false;
            };
            // Each half is form-urlencoded before Basic encoding.
            let unescape = |v: &str| {
                reqwest::Url::parse(&format!("http://x/?v={v}"))
                    .ok()
                    .and_then(|u| u.query_pairs().next().map(|(_, v)| v.into_owned()))
            };
            unescape(id).as_ref() == Some(&s.client_id)
                && unescape(secret).as_ref() == Some(&s.client_secret)
                && form.get("client_secret").is_none()
        }
    }
}

async fn token(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    record(&s, "/token", &form, &headers);
    let b = s.behaviour.lock().unwrap().clone();
    let e200 = b.token_errors_with_200;
    if !client_authenticated(&s, b.client_auth, &form, &headers) {
        return token_error(StatusCode::UNAUTHORIZED, "invalid_client", e200);
    }
    if form.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return token_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", e200);
    }
    let code = form.get("code").cloned().unwrap_or_default();
    let (nonce, scope) = {
        let mut grants = s.grants.lock().unwrap();
        let Some(grant) = grants.get_mut(&code) else {
            return token_error(StatusCode::BAD_REQUEST, "invalid_grant", e200);
        };
        // A code works once (RFC 6749 §4.1.2).
        if grant.used {
            return token_error(StatusCode::BAD_REQUEST, "invalid_grant", e200);
        }
        grant.used = true;
        if form.get("redirect_uri") != Some(&grant.redirect_uri)
            || form
                .get("client_id")
                .is_some_and(|id| *id != grant.client_id)
        {
            return token_error(StatusCode::BAD_REQUEST, "invalid_grant", e200);
        }
        // RFC 7636 §4.6: BASE64URL(SHA256(verifier)) must equal the challenge.
        let verifier = form.get("code_verifier").cloned().unwrap_or_default();
        let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
        if URL_SAFE_NO_PAD.encode(digest.as_ref()) != grant.challenge {
            return token_error(StatusCode::BAD_REQUEST, "invalid_grant", e200);
        }
        (grant.nonce.clone(), grant.scope.clone())
    };
    let access_token = random(24);
    s.access_tokens.lock().unwrap().push(access_token.clone());
    let mut body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 3600,
    });
    if scope.split(' ').any(|sc| sc == "openid") {
        body["id_token"] = Value::String(id_token(&s, &b, nonce));
    }
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn id_token(s: &Shared, b: &Behaviour, nonce: Option<String>) -> String {
    let now = now();
    let (iat, exp) = if b.expired_id_token {
        (now - 7200, now - 3600)
    } else {
        (now, now + 600)
    };
    let mut claims = json!({
        "iss": b.issuer_override.clone().unwrap_or_else(|| s.base.clone()),
        "sub": b.user.subject,
        "aud": b.audience_override.clone().unwrap_or_else(|| json!(s.client_id)),
        "iat": iat,
        "exp": exp,
        "email": b.user.email,
        "email_verified": b.user.email_verified,
        "name": b.user.name,
    });
    if let Some(nonce) = b.nonce_override.clone().or(nonce) {
        claims["nonce"] = json!(nonce);
    }
    if let Some(azp) = &b.azp {
        claims["azp"] = json!(azp);
    }
    let alg = if b.signing_key == KeyName::Ec {
        "ES256"
    } else {
        "RS256"
    };
    let kid = b
        .kid_override
        .clone()
        .unwrap_or_else(|| b.signing_key.kid().to_string());
    let header = json!({"alg": alg, "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let rng = SystemRandom::new();
    let sig = if b.signing_key == KeyName::Ec {
        s.keys
            .ec
            .sign(&rng, input.as_bytes())
            .unwrap()
            .as_ref()
            .to_vec()
    } else {
        let key = &s.keys.rsa[&b.signing_key];
        let mut sig = vec![0u8; key.public().modulus_len()];
        key.sign(
            &signature::RSA_PKCS1_SHA256,
            &rng,
            input.as_bytes(),
            &mut sig,
        )
        .unwrap();
        sig
    };
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

async fn jwks(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Json<Value> {
    record(&s, "/jwks", &HashMap::new(), &headers);
    let published = s.behaviour.lock().unwrap().published.clone();
    let keys: Vec<Value> = published
        .into_iter()
        .map(|name| {
            if name == KeyName::Ec {
                // An uncompressed point: 0x04 || x || y.
                let point = s.keys.ec.public_key().as_ref();
                json!({"kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256",
                       "kid": name.kid(),
                       "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
                       "y": URL_SAFE_NO_PAD.encode(&point[33..65])})
            } else {
                let parts: signature::RsaPublicKeyComponents<Vec<u8>> =
                    s.keys.rsa[&name].public().into();
                json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": name.kid(),
                       "n": URL_SAFE_NO_PAD.encode(&parts.n),
                       "e": URL_SAFE_NO_PAD.encode(&parts.e)})
            }
        })
        .collect();
    Json(json!({ "keys": keys }))
}

async fn userinfo(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    record(&s, "/userinfo", &HashMap::new(), &headers);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !s.access_tokens.lock().unwrap().iter().any(|t| t == token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
        )
            .into_response();
    }
    let b = s.behaviour.lock().unwrap().clone();
    let mut u = b.user.clone();
    if let Some(subject) = b.userinfo_subject_override {
        u.subject = subject;
    }
    let body = match b.shape {
        Shape::Oidc => json!({"sub": u.subject, "email": u.email,
                              "email_verified": u.email_verified, "name": u.name}),
        Shape::X => json!({"data": {"id": u.subject, "name": u.name, "username": u.username}}),
        Shape::Facebook => json!({"id": u.subject, "name": u.name, "email": u.email}),
        Shape::Naver => json!({"resultcode": "00", "message": "success",
                               "response": {"id": u.subject, "email": u.email,
                                            "nickname": u.username, "name": u.name}}),
        Shape::Kakao => json!({
            "id": u.subject.parse::<u64>().expect("Kakao ids are numbers"),
            "connected_at": "2026-11-28T00:00:00Z",
            "kakao_account": {"email": u.email, "is_email_valid": true,
                              "is_email_verified": u.email_verified,
                              "profile": {"nickname": u.name}}}),
    };
    Json(body).into_response()
}

async fn discovery(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Json<Value> {
    record(
        &s,
        "/.well-known/openid-configuration",
        &HashMap::new(),
        &headers,
    );
    let b = &s.base;
    Json(json!({
        "issuer": b,
        "authorization_endpoint": format!("{b}/authorize"),
        "token_endpoint": format!("{b}/token"),
        "userinfo_endpoint": format!("{b}/userinfo"),
        "jwks_uri": format!("{b}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "email", "profile"],
    }))
}
