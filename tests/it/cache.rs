//! The page cache over HTTP: validators, compression, CDN headers, exact purges driven by the
//! change feed, and one render for a crowd.

use crate::both_backends;
use crate::harness::{Page, TestApp};
use broadsheet_domain::StoryId;
use broadsheet_store::Backend;
use reqwest::StatusCode;
use std::io::Read;

both_backends!(
    cached_pages_revalidate_compress_and_name_their_keys,
    a_publish_purges_exactly_the_pages_it_changes,
    a_crowd_at_a_cold_page_is_served_by_one_render,
    the_purge_webhook_names_the_keys,
    a_page_asked_for_once_is_kept_gzipped_until_asked_again,
    a_purged_page_stands_in_only_while_it_renders_and_for_a_second_at_most,
);

async fn publish(t: &TestApp, path: &[&str], headline: &str, tags: &[&str], day: u32) -> StoryId {
    let names: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    let section = t.app.store.ensure_section_path(&names, None).await.unwrap();
    let mut input = crate::reader_input(section, headline, tags);
    input.body = format!("{headline}, the first paragraph.\n\nThe second.\n\nThe third.");
    input.published_at = Some(format!("2026-11-{day:02}T00:00:00Z").parse().unwrap());
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.settle().await;
    id
}

async fn url_of(t: &TestApp, id: StoryId) -> String {
    t.redirect(
        &format!("/x/2000/01/01/x/{}", id.0),
        StatusCode::MOVED_PERMANENTLY,
    )
    .await
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// `url` asked for with this Accept-Encoding.
async fn encoded(t: &TestApp, url: &str, accept: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{url}", t.base))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap()
}

/// A gzip or brotli body as text.
fn decode(coding: &str, bytes: &[u8]) -> String {
    let mut text = String::new();
    match coding {
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .unwrap(),
        "br" => brotli::Decompressor::new(bytes, 4096)
            .read_to_string(&mut text)
            .unwrap(),
        other => panic!("no decoder for {other}"),
    };
    text
}

async fn cached_pages_revalidate_compress_and_name_their_keys(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(
        &t,
        &["National", "Politics"],
        "Council votes on the budget",
        &["Budget"],
        1,
    )
    .await;
    let url = url_of(&t, id).await;
    let first = t.get(&url).await;
    assert_eq!(header(&first, "x-cache"), "MISS");
    let etag = header(&first, "etag");
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert!(!header(&first, "last-modified").is_empty());
    let cache_control = header(&first, "cache-control");
    assert!(
        cache_control.contains("s-maxage=") && cache_control.contains("stale-while-revalidate="),
        "{cache_control}"
    );
    let keys = header(&first, "surrogate-key");
    assert!(
        keys.split(' ').any(|k| k == format!("story:{}", id.0)),
        "{keys}"
    );
    assert!(keys.split(' ').any(|k| k.starts_with("section:")), "{keys}");
    assert_eq!(header(&first, "cache-tag"), keys.replace(' ', ","));
    let plain = first.text().await.unwrap();

    let second = t.get(&url).await;
    assert_eq!(header(&second, "x-cache"), "HIT");
    assert_eq!(header(&second, "etag"), etag);
    assert_eq!(second.text().await.unwrap(), plain);

    let client = reqwest::Client::new();
    let conditional = client
        .get(format!("{}{url}", t.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(conditional.status(), StatusCode::NOT_MODIFIED);
    assert!(conditional.bytes().await.unwrap().is_empty());

    for (accept, coding) in [("gzip", "gzip"), ("gzip, br", "br")] {
        let response = encoded(&t, &url, accept).await;
        assert_eq!(header(&response, "content-encoding"), coding);
        assert_eq!(header(&response, "vary"), "Accept-Encoding");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.len() < plain.len() / 2, "{coding} is smaller");
        assert_eq!(
            decode(coding, &bytes),
            plain,
            "{coding} decodes to the same page"
        );
    }

    // Error pages are never cached; search results are, until the index changes (see
    // search::results_are_cached_until_the_index_changes).
    assert_eq!(header(&t.get("/no/such/page").await, "x-cache"), "");
    assert_eq!(header(&t.get("/search?q=budget").await, "x-cache"), "MISS");
}

async fn a_publish_purges_exactly_the_pages_it_changes(backend: Backend) {
    let t = TestApp::new(backend).await;
    let older = publish(
        &t,
        &["National", "Politics"],
        "An older politics story",
        &["Assembly"],
        1,
    )
    .await;
    let unrelated = publish(&t, &["Culture"], "A quiet culture story", &["Museums"], 2).await;
    let older_url = url_of(&t, older).await;
    let unrelated_url = url_of(&t, unrelated).await;
    let pages = [
        older_url.as_str(),
        unrelated_url.as_str(),
        "/",
        "/national",
        "/national/politics",
        "/culture",
        "/tag/assembly",
        "/feeds/rss.xml",
    ];
    for page in pages {
        t.get(page).await;
        assert_eq!(
            header(&t.get(page).await, "x-cache"),
            "HIT",
            "{page} is cached"
        );
    }

    let started = std::time::Instant::now();
    publish(
        &t,
        &["National", "Politics"],
        "Fresh politics story",
        &["Assembly"],
        3,
    )
    .await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "purged within a second"
    );
    for page in [
        "/",
        "/national",
        "/national/politics",
        "/tag/assembly",
        "/feeds/rss.xml",
        older_url.as_str(),
    ] {
        let response = t.get(page).await;
        assert_eq!(header(&response, "x-cache"), "MISS", "{page} was purged");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Fresh politics story"),
            "{page} shows the new story"
        );
    }
    for page in ["/culture", unrelated_url.as_str()] {
        assert_eq!(
            header(&t.get(page).await, "x-cache"),
            "HIT",
            "{page} was left alone"
        );
    }

    // An edit reaches every page showing the story, even lists in other sections.
    let mut input = crate::reader_input(
        t.app.store.story(older).await.unwrap().unwrap().section_id,
        "An older politics story, corrected",
        &["Assembly"],
    );
    input.published_at = Some("2026-11-01T00:00:00Z".parse().unwrap());
    t.get("/tag/assembly").await;
    t.app.store.save_story(Some(older), &input).await.unwrap();
    t.settle().await;
    let tag = Page(scraper::Html::parse_document(
        &t.get("/tag/assembly").await.text().await.unwrap(),
    ));
    assert!(
        tag.texts(".card-headline")
            .contains(&"An older politics story, corrected".to_string())
    );
}

async fn a_crowd_at_a_cold_page_is_served_by_one_render(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(&t, &["Business"], "Everyone reads this", &["Markets"], 5).await;
    let url = url_of(&t, id).await;
    let requests = (0..40).map(|_| t.get(&url));
    let responses = futures_util::future::join_all(requests).await;
    let mut misses = 0;
    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
        if header(&response, "x-cache") == "MISS" {
            misses += 1;
        }
    }
    assert_eq!(misses, 1, "one render served the crowd");
}

async fn the_purge_webhook_names_the_keys(backend: Backend) {
    use axum::routing::post;
    use std::sync::{Arc, Mutex};
    // A stand-in for a CDN's purge endpoint, recording what it is told.
    let seen: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let record = Arc::clone(&seen);
    let cdn = axum::Router::new().route(
        "/purge",
        post(move |body: String| {
            let record = Arc::clone(&record);
            async move {
                record
                    .lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap());
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/purge", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, cdn).await.unwrap() });
    let t = TestApp::with_config(backend, |config| config.cache_purge_url = Some(url)).await;
    let id = publish(
        &t,
        &["Sports", "Baseball"],
        "Season opener sells out",
        &["KBO"],
        7,
    )
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    let keys = loop {
        let found = seen.lock().unwrap().iter().find_map(|call| {
            let keys: Vec<String> = call["keys"]
                .as_array()?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            keys.contains(&format!("story:{}", id.0)).then_some(keys)
        });
        if let Some(keys) = found {
            break keys;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no purge call named the story: {:?}",
            seen.lock().unwrap()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    for expected in ["home", "feeds", "sitemaps"] {
        assert!(keys.contains(&expected.to_string()), "{keys:?}");
    }
    assert!(
        keys.iter().any(|k| k.starts_with("section:"))
            && keys.iter().any(|k| k.starts_with("tag:")),
        "{keys:?}"
    );
    server.abort();
}

async fn a_page_asked_for_once_is_kept_gzipped_until_asked_again(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(
        &t,
        &["Culture"],
        "A long review of the season",
        &["Theatre"],
        9,
    )
    .await;
    let url = url_of(&t, id).await;
    let before = t.app.cache.stats().bytes;
    let first = t.get(&url).await;
    assert_eq!(header(&first, "x-cache"), "MISS");
    let plain = first.text().await.unwrap();

    // Nobody asked again: off the request path the page is held gzipped only, counted at
    // less than its own length (a whole page counts its length and more).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let compacted = loop {
        let held = t.app.cache.stats().bytes - before;
        if held < plain.len() || std::time::Instant::now() > deadline {
            break held;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(
        compacted < plain.len(),
        "held {compacted} bytes of {}",
        plain.len()
    );

    let gzipped = encoded(&t, &url, "gzip").await;
    assert_eq!(header(&gzipped, "x-cache"), "HIT");
    assert_eq!(header(&gzipped, "content-encoding"), "gzip");
    assert_eq!(decode("gzip", &gzipped.bytes().await.unwrap()), plain);

    // Asked for as it is, it is unpacked, served whole and kept whole again.
    let again = t.get(&url).await;
    assert_eq!(header(&again, "x-cache"), "HIT");
    assert_eq!(header(&again, "content-encoding"), "");
    assert_eq!(again.text().await.unwrap(), plain);
    assert!(t.app.cache.stats().bytes - before >= compacted + plain.len());
    let brotli = encoded(&t, &url, "br").await;
    assert_eq!(decode("br", &brotli.bytes().await.unwrap()), plain);
}

async fn a_purged_page_stands_in_only_while_it_renders_and_for_a_second_at_most(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(&t, &["World"], "Harbour talks open", &["Ports"], 11).await;
    let url = url_of(&t, id).await;
    let first = t.get(&url).await;
    assert_eq!(header(&first, "x-cache"), "MISS");
    let old = first.text().await.unwrap();

    // Purged while another request renders it: readers get the page they had.
    t.app.cache.purge(&[broadsheet::cache::story_key(id)]);
    let rendering = t
        .app
        .in_flight
        .try_claim(&url)
        .expect("nobody renders it yet");
    let during = t.get(&url).await;
    assert_eq!(header(&during, "x-cache"), "STALE");
    assert_eq!(during.text().await.unwrap(), old);
    drop(rendering);
    // Nobody rendering: the next reader renders it and waits for that.
    assert_eq!(header(&t.get(&url).await, "x-cache"), "MISS");
    assert_eq!(header(&t.get(&url).await, "x-cache"), "HIT");

    // A second after the purge the old page no longer stands in: readers wait.
    t.app.cache.purge(&[broadsheet::cache::story_key(id)]);
    let rendering = t.app.in_flight.try_claim(&url).unwrap();
    tokio::time::sleep(broadsheet::cache::STALE_AT_MOST).await;
    let (client, address) = (reqwest::Client::new(), format!("{}{url}", t.base));
    let waiting = tokio::spawn(async move { client.get(address).send().await.unwrap() });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !waiting.is_finished(),
        "past the bound nothing stale is served"
    );
    drop(rendering);
    let response = waiting.await.unwrap();
    assert_eq!(header(&response, "x-cache"), "MISS");
}
