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
        let mut config = Config::for_test(&db.dir.path().join("data"), &db.url);
        adjust(&mut config);
        let app = AppState(Arc::new(App::start(config).await.expect("start the app")));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = broadsheet::web::router::build(app.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        let start = broadsheet::services::search::catch_up(&app.0, background_index)
            .await
            .expect("index");
        let feed = broadsheet::feed::spawn(app.clone(), start);
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
            db: Some(db),
        }
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
    /// Stop the app and keep its database and data directory, to start again on them.
    pub fn stop(mut self) -> TestDb {
        self.server.abort();
        self.feed.abort();
        self.db.take().expect("the database")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        self.feed.abort();
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
