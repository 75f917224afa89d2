//! `TestApp`: the whole application started on a loopback port over a fresh test database.

use broadsheet::demo::{self, DemoOptions};
use broadsheet::{App, AppState, Config};
use broadsheet_store::Backend;
use broadsheet_store::testing::TestDb;
use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use std::sync::Arc;

pub struct TestApp {
    pub app: AppState,
    pub base: String,
    client: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
    feed: tokio::task::JoinHandle<()>,
    scheduler: tokio::task::JoinHandle<()>,
    /// Kept for its lifetime: dropping it removes the test database.
    db: Option<TestDb>,
}

impl TestApp {
    /// An empty newspaper.
    pub async fn new(backend: Backend) -> TestApp {
        TestApp::on(TestDb::new(backend).await, false).await
    }

    /// The app on an existing test database (and its data directory), as after a restart;
    /// with `background_index`, an index needing a rebuild is rebuilt while pages serve.
    pub async fn on(db: TestDb, background_index: bool) -> TestApp {
        TestApp::configured(db, background_index, |_| {}).await
    }

    /// An empty newspaper with its configuration adjusted first.
    pub async fn with_config(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::configured(TestDb::new(backend).await, false, adjust).await
    }

    async fn configured(
        db: TestDb,
        background_index: bool,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        tls_ready();
        let mut config = Config::for_test(&db.dir.path().join("data"), &db.url);
        adjust(&mut config);
        let app = AppState(Arc::new(App::start(config).await.expect("start the app")));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = broadsheet::web::router::build(app.clone());
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let start = broadsheet::services::search::catch_up(&app.0, background_index)
            .await
            .expect("index");
        let feed = broadsheet::feed::spawn(app.clone(), start);
        let scheduler = broadsheet::scheduler::spawn(app.clone());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            app,
            base: format!("http://{addr}"),
            client,
            server,
            feed,
            scheduler,
            db: Some(db),
        }
    }

    /// Another node on the same database, with a data directory of its own (as a second
    /// machine behind the same load balancer).
    pub async fn second_node(&self) -> TestApp {
        let db = TestDb::borrowed(&self.app.config.database_url).await;
        TestApp::configured(db, false, |_| {}).await
    }

    /// The demo edition, with small photos so the test stays quick.
    pub async fn with_demo(backend: Backend) -> TestApp {
        let t = TestApp::new(backend).await;
        demo::load(&t.app, DemoOptions { photo_width: 64 })
            .await
            .expect("load the demo");
        t
    }

    /// Wait until this node has applied every write so far (caches purged, index updated),
    /// as a reader a second later would find it.
    pub async fn settle(&self) {
        let target = self.app.store.last_event_id().await.unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while self
            .app
            .feed_position
            .load(std::sync::atomic::Ordering::SeqCst)
            < target
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the change feed did not catch up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// The harness's own client: no cookie jar, redirects not followed.
    pub fn app_client(&self) -> reqwest::Client {
        self.client.clone()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// GET a page and parse it, asserting the status.
    pub async fn page(&self, path: &str, status: StatusCode) -> Page {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        let text = response.text().await.unwrap();
        Page(Html::parse_document(&text))
    }

    /// The `Location` of a redirect, asserting its status.
    pub async fn redirect(&self, path: &str, status: StatusCode) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        response.headers()["location"].to_str().unwrap().to_string()
    }
}

impl TestApp {
    /// A new visitor with a cookie jar of its own (redirects are not followed).
    pub fn browser(&self) -> Browser {
        tls_ready();
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    /// A reader signed up (and so signed in) through the real form.
    pub async fn reader(&self, email: &str, name: &str) -> Browser {
        let browser = self.browser();
        let response = browser
            .submit(
                "/account/signup",
                &[
                    ("email", email),
                    ("display_name", name),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign up {email}");
        browser
    }

    /// An account of `role` made through the store (as `broadsheet user add` does), signed in
    /// through the form.
    pub async fn staff(&self, email: &str, role: broadsheet_domain::Role) -> Browser {
        broadsheet::services::accounts::register(&self.app.store, email, "Staff", PASSWORD, role)
            .await
            .unwrap();
        let browser = self.browser();
        let response = browser
            .submit(
                "/account/signin",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign in {email}");
        browser
    }
}

/// Every reqwest client in this binary is built with rustls (the app's sign-in client turns
/// the feature on for all) and needs a process-wide crypto provider before it is built.
pub fn tls_ready() {
    broadsheet::auth::oauth::install_crypto_provider();
}

/// The password test accounts use.
pub const PASSWORD: &str = "a long test passphrase";

/// A visitor with cookies: what a browser without JavaScript does, over HTTP.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
}

impl Browser {
    /// The app's address, for requests built by hand.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn page(&self, path: &str, status: StatusCode) -> Page {
        let response = self.get(path).await;
        assert_eq!(response.status(), status, "GET {path}");
        Page(Html::parse_document(&response.text().await.unwrap()))
    }

    /// POST a URL-encoded form as it stands (no token added).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Fill in the form at `page` (the one with a CSRF field, as a browser would have it) and
    /// send it to that form's action.
    pub async fn submit(&self, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.submit_to(page, None, fields).await
    }

    /// As `submit`, choosing the form by its action when a page has several.
    pub async fn submit_to(
        &self,
        page: &str,
        action: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let form_page = self.page(page, StatusCode::OK).await;
        let css = match action {
            Some(action) => format!("form[action='{action}']"),
            None => "form[method='post']".to_string(),
        };
        let form = form_page
            .all(&css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{page} has no {css}"));
        let action = form.value().attr("action").unwrap().to_string();
        let mut all: Vec<(String, String)> = form
            .select(&sel("input[type='hidden']"))
            .map(|i| {
                (
                    i.value().attr("name").unwrap().to_string(),
                    i.value().attr("value").unwrap_or("").to_string(),
                )
            })
            .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
            .collect();
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let borrowed: Vec<(&str, &str)> =
            all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post_form(&action, &borrowed).await
    }
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl TestApp {
    /// Stop the app and keep its database and data directory, to start again on them.
    pub fn stop(mut self) -> TestDb {
        self.server.abort();
        self.feed.abort();
        self.scheduler.abort();
        self.db.take().expect("the database")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        self.feed.abort();
        self.scheduler.abort();
    }
}

/// A parsed page with small helpers for asserting on it.
pub struct Page(pub Html);

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

pub fn text(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Page {
    pub fn all(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.0.select(&sel(css)).collect()
    }

    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one {css}, found {}",
            found.len()
        );
        found[0]
    }

    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css).into_iter().map(text).collect()
    }

    pub fn attr(&self, css: &str, name: &str) -> String {
        self.one(css)
            .value()
            .attr(name)
            .unwrap_or_else(|| panic!("{css} has no {name}"))
            .to_string()
    }

    /// The tag names of an element's child elements, in order (where a box stands among
    /// paragraphs, say).
    pub fn child_tags(&self, css: &str) -> Vec<String> {
        self.one(css)
            .children()
            .filter_map(ElementRef::wrap)
            .map(|e| e.value().name().to_string())
            .collect()
    }

    /// Whether the page has the site chrome (masthead, section menu, footer).
    pub fn has_chrome(&self) -> bool {
        !self.all("header.masthead .site-name a").is_empty()
            && !self.all("nav.section-menu").is_empty()
            && !self.all("footer.site-footer").is_empty()
    }
}

/// Run each listed async test function on both backends.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(broadsheet_store::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(broadsheet_store::Backend::Postgres).await
            })*
        }
    };
}
