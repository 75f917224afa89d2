//! The reader site, page by page.

use crate::both_backends;
use crate::harness::{Page, TestApp, text};
use broadsheet_domain::{
    MediaInput, SourceInput, SourceKind, StoryId, StoryInput, StoryKind, StoryStatus,
};
use broadsheet_store::Backend;
use jiff::Timestamp;
use reqwest::StatusCode;

both_backends!(
    an_article_page_holds_every_element_in_order,
    the_related_box_stands_between_paragraphs,
    old_urls_redirect_to_the_canonical_one,
    unpublished_is_gone_and_drafts_do_not_exist,
    section_pages_list_subsections_newest_first_and_paginate,
    tag_source_and_author_pages,
    home_page_leads_and_groups_by_section,
    bodies_are_sanitized,
    galleries_show_their_photos_in_order,
    print_view_and_policy_page,
    a_new_section_appears_without_a_restart,
);

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A published article in the section at `path`.
async fn publish(
    t: &TestApp,
    path: &[&str],
    headline: &str,
    tags: &[&str],
    published: &str,
) -> StoryId {
    let names: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    let section = t.app.store.ensure_section_path(&names, None).await.unwrap();
    let input = StoryInput {
        external_id: None,
        kind: StoryKind::Article,
        status: StoryStatus::Published,
        headline: headline.into(),
        deck: None,
        // Bodies differ by story, so text similarity does not take them for copies of each other.
        body: format!(
            "{headline}: one.\n\n{headline}: two.\n\n{headline}: three.\n\n{headline}: four."
        ),
        section_id: section,
        language: "en".into(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        sources: vec![SourceInput {
            name: "Harbour News Agency".into(),
            kind: SourceKind::Wire,
        }],
        lead_media: None,
        gallery: vec![],
        related_story_id: None,
        related_after: None,
        published_at: Some(at(published)),
        updated_at: None,
        link_refs: vec![],
    };
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.app.reload_sections().await.unwrap();
    id
}

/// The canonical URL of a story, learned the way a reader's old link would: any path ending
/// in the id redirects to it.
async fn story_url(t: &TestApp, id: StoryId) -> String {
    t.redirect(
        &format!("/x/2000/01/01/x/{}", id.0),
        StatusCode::MOVED_PERMANENTLY,
    )
    .await
}

/// The position of each element in document order, to assert on order.
fn positions(page: &Page, selectors: &[&str]) -> Vec<usize> {
    let all: Vec<_> = page
        .0
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
        .collect();
    selectors
        .iter()
        .map(|css| {
            let target = page.one(css);
            all.iter().position(|e| e.id() == target.id()).unwrap()
        })
        .collect()
}

async fn an_article_page_holds_every_element_in_order(backend: Backend) {
    let t = TestApp::new(backend).await;
    let store = &t.app.store;
    let section = store
        .ensure_section_path(&["National".into(), "North Korea".into()], None)
        .await
        .unwrap();
    let photo = store
        .add_media(&MediaInput {
            file: "photo.jpg".into(),
            mime: "image/jpeg".into(),
            width: 1200,
            height: 675,
            caption: "Cranes land on a frozen rice field near the border.".into(),
            credit: Some("HARBOUR NEWS AGENCY".into()),
            alt: "Cranes on a snowy field".into(),
        })
        .await
        .unwrap();
    for n in 0..6 {
        publish(
            &t,
            &["National", "North Korea"],
            &format!("Older border story {n}"),
            &["Cranes"],
            &format!("2026-11-0{}T00:00:00Z", n + 1),
        )
        .await;
    }
    let input = StoryInput {
        external_id: None,
        kind: StoryKind::Article,
        status: StoryStatus::Published,
        headline: "Cranes return to the border fields".into(),
        deck: Some("Counters tallied a record early flock.".into()),
        body: "One.\n\nTwo.\n\nThree.\n\nFour.".into(),
        section_id: section,
        language: "en".into(),
        tags: vec!["Cranes".into(), "Cheorwon".into()],
        sources: vec![
            SourceInput {
                name: "Han Ji-woo".into(),
                kind: SourceKind::Staff,
            },
            SourceInput {
                name: "Harbour News Agency".into(),
                kind: SourceKind::Wire,
            },
        ],
        lead_media: Some(photo.id),
        gallery: vec![],
        related_story_id: None,
        related_after: Some(2),
        published_at: Some(at("2024-12-27T02:22:00Z")),
        updated_at: Some(at("2024-12-27T06:05:00Z")),
        link_refs: vec![],
    };
    let id = store.save_story(None, &input).await.unwrap().id;
    t.app.reload_sections().await.unwrap();
    let url = format!(
        "/national/north-korea/2024/12/27/cranes-return-to-the-border-fields/{}",
        id.0
    );
    let page = t.page(&url, StatusCode::OK).await;

    assert_eq!(page.attr("html", "lang"), "en");
    assert!(page.has_chrome());
    assert_eq!(
        page.texts("h1"),
        ["Cranes return to the border fields"],
        "the headline is the only h1"
    );
    assert_eq!(
        page.texts("nav.section-menu li a")
            .first()
            .map(String::as_str),
        Some("Home")
    );
    assert!(
        page.texts("nav.section-menu li a")
            .contains(&"National".to_string())
    );
    // 1. breadcrumb, every crumb a link
    let crumbs = page.all("nav[aria-label=Breadcrumb] a");
    let crumb_text: Vec<String> = crumbs.iter().map(|a| text(*a)).collect();
    assert_eq!(crumb_text, ["Home", "National", "North Korea"]);
    let crumb_href: Vec<&str> = crumbs
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(crumb_href, ["/", "/national", "/national/north-korea"]);
    // 2. utility bar
    assert!(
        page.attr(".utility-bar a.print-link", "href")
            .ends_with("?view=print")
    );
    page.one(".utility-bar [data-dictionary-toggle]");
    let share_x = page.attr(".utility-bar a.share-x", "href");
    assert!(
        share_x.starts_with("https://x.com/intent/post?"),
        "{share_x}"
    );
    assert!(
        share_x.contains("cranes%2Dreturn%2Dto%2Dthe%2Dborder%2Dfields"),
        "{share_x}"
    );
    assert!(
        page.attr(".utility-bar a.share-facebook", "href")
            .starts_with("https://www.facebook.com/sharer/sharer.php?u=http")
    );
    // 3. deck; 4. times in the site's zone (Asia/Seoul by default)
    assert_eq!(
        page.texts("article .deck"),
        ["Counters tallied a record early flock."]
    );
    assert_eq!(
        page.texts(".dateline.published"),
        ["Published: 27 Dec. 2024, 11:22"]
    );
    assert_eq!(
        page.attr(".dateline.published time", "datetime"),
        "2024-12-27T11:22:00+09:00"
    );
    assert_eq!(
        page.texts(".dateline.updated"),
        ["Updated: 27 Dec. 2024, 15:05"]
    );
    // 5. lead photo
    assert_eq!(
        page.attr("figure.lead-photo img", "alt"),
        "Cranes on a snowy field"
    );
    assert_eq!(
        page.attr("figure.lead-photo img", "src"),
        "/media/photo.jpg"
    );
    assert_eq!(
        page.texts("figure.lead-photo figcaption"),
        ["Cranes land on a frozen rice field near the border. [HARBOUR NEWS AGENCY]"]
    );
    // 6. body
    assert_eq!(
        page.texts(".story-body > p"),
        ["One.", "Two.", "Three.", "Four."]
    );
    // 8. source line, each a link to its page
    let sources: Vec<(String, String)> = page
        .all(".source-line a")
        .into_iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        sources,
        [
            ("Han Ji-woo".to_string(), "/author/han-ji-woo".to_string()),
            (
                "Harbour News Agency".to_string(),
                "/source/harbour-news-agency".to_string()
            )
        ]
    );
    // 9. tags
    let tags: Vec<String> = page
        .all("nav.tags a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(tags, ["/tag/cranes", "/tag/cheorwon"]);
    // 10. More in: the five newest others of the section
    assert_eq!(page.texts(".more-in h2"), ["More in North Korea"]);
    assert_eq!(
        page.texts(".more-in .card-headline"),
        [
            "Older border story 5",
            "Older border story 4",
            "Older border story 3",
            "Older border story 2",
            "Older border story 1"
        ]
    );
    // 11. Related Stories by shared tags
    assert_eq!(page.texts(".related-stories h2"), ["Related Stories"]);
    assert_eq!(page.all(".related-stories .card").len(), 5);
    // 7. the inline box holds the top related story
    assert_eq!(
        page.texts(".related-inline .related-inline-label"),
        ["Related Article"]
    );
    // 12. the comment box (fetched into place by site.js; without it, links to the comments
    // page) and the policy link; 13. footer
    assert_eq!(
        page.attr(".comment-policy-link a", "href"),
        "/policy/comments"
    );
    let comments = page.attr("#comments", "data-comments");
    assert!(comments.starts_with("/comments/"), "{comments}");
    assert_eq!(
        page.attr("[data-comment-box] a:first-child", "href"),
        format!("{comments}#comment-form")
    );
    page.one("footer.site-footer");

    let order = positions(
        &page,
        &[
            "header.masthead",
            "nav[aria-label=Breadcrumb]",
            ".utility-bar",
            "h1",
            ".dateline.published",
            "figure.lead-photo",
            ".story-body",
            ".source-line",
            "nav.tags",
            ".more-in",
            ".related-stories",
            "#comments",
            "footer.site-footer",
        ],
    );
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "elements out of order: {order:?}"
    );
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        format!("http://127.0.0.1{url}")
    );
}

async fn the_related_box_stands_between_paragraphs(backend: Backend) {
    let t = TestApp::new(backend).await;
    let pick = publish(
        &t,
        &["Business"],
        "The editor's pick",
        &[],
        "2026-11-01T00:00:00Z",
    )
    .await;
    let other = publish(
        &t,
        &["Business"],
        "Shares a tag",
        &["Ports"],
        "2026-11-02T00:00:00Z",
    )
    .await;
    let main = publish(
        &t,
        &["Business"],
        "Main story",
        &["Ports"],
        "2026-11-03T00:00:00Z",
    )
    .await;
    let _ = other;
    // Without a pick: the top related story, after the default two paragraphs.
    let page = t.page(&story_url(&t, main).await, StatusCode::OK).await;
    assert_eq!(
        page.texts(".related-inline .related-inline-headline"),
        ["Shares a tag"]
    );
    let body = page.child_tags(".story-body");
    assert_eq!(body, ["p", "p", "aside", "p", "p"]);
    // With the editor's pick after paragraph 3.
    let mut story = t.app.store.story(main).await.unwrap().unwrap();
    story.related_story_id = Some(pick);
    let mut input = broadsheet_domain::Story::to_input(&story);
    input.related_after = Some(3);
    t.app.store.save_story(Some(main), &input).await.unwrap();
    t.settle().await;
    let page = t.page(&story_url(&t, main).await, StatusCode::OK).await;
    assert_eq!(
        page.texts(".related-inline .related-inline-headline"),
        ["The editor's pick"]
    );
    let body = page.child_tags(".story-body");
    assert_eq!(body, ["p", "p", "p", "aside", "p"]);
}

async fn old_urls_redirect_to_the_canonical_one(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(
        &t,
        &["National", "Politics"],
        "Council passes budget",
        &[],
        "2026-11-20T03:00:00Z",
    )
    .await;
    let canonical = format!(
        "/national/politics/2026/11/20/council-passes-budget/{}",
        id.0
    );
    t.page(&canonical, StatusCode::OK).await;
    // A wrong slug or date still finds the story by its id.
    let wrong = format!("/national/politics/2026/11/19/some-old-slug/{}?x=1", id.0);
    assert_eq!(
        t.redirect(&wrong, StatusCode::MOVED_PERMANENTLY).await,
        format!("{canonical}?x=1")
    );
    // After a headline and section change, the old URL leads to the new one.
    let business = t
        .app
        .store
        .ensure_section_path(&["Business".into()], None)
        .await
        .unwrap();
    let mut input =
        broadsheet_domain::Story::to_input(&t.app.store.story(id).await.unwrap().unwrap());
    input.headline = "Council passes a leaner budget".into();
    input.section_id = business;
    t.app.store.save_story(Some(id), &input).await.unwrap();
    t.settle().await;
    let moved = format!(
        "/business/2026/11/20/council-passes-a-leaner-budget/{}",
        id.0
    );
    assert_eq!(
        t.redirect(&canonical, StatusCode::MOVED_PERMANENTLY).await,
        moved
    );
    t.page(&moved, StatusCode::OK).await;
    // Hangul slugs redirect with a valid, percent-encoded Location.
    let korean = publish(
        &t,
        &["Culture"],
        "김장 봉사 현장",
        &[],
        "2026-11-21T03:00:00Z",
    )
    .await;
    let location = t
        .redirect(
            &format!("/culture/2026/01/01/x/{}", korean.0),
            StatusCode::MOVED_PERMANENTLY,
        )
        .await;
    assert!(
        location.starts_with("/culture/2026/11/21/%EA%B9%80"),
        "{location}"
    );
    t.page(&location, StatusCode::OK).await;
}

async fn unpublished_is_gone_and_drafts_do_not_exist(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(
        &t,
        &["Business"],
        "Withdrawn story",
        &[],
        "2026-11-20T03:00:00Z",
    )
    .await;
    let url = story_url(&t, id).await;
    let mut input =
        broadsheet_domain::Story::to_input(&t.app.store.story(id).await.unwrap().unwrap());
    input.status = StoryStatus::Unpublished;
    t.app.store.save_story(Some(id), &input).await.unwrap();
    t.settle().await;
    let gone = t.page(&url, StatusCode::GONE).await;
    assert!(gone.has_chrome(), "the 410 page has the site chrome");
    assert_eq!(gone.texts("h1"), ["This story is no longer available"]);
    assert!(
        !gone.0.html().contains("Withdrawn story"),
        "the headline of a withdrawn story is not shown"
    );

    let mut draft = input.clone();
    draft.external_id = Some("draft".into());
    draft.status = StoryStatus::Draft;
    draft.headline = "Secret draft".into();
    let draft_id = t.app.store.save_story(None, &draft).await.unwrap().id;
    let missing = t
        .page(
            &format!("/business/2026/11/20/secret-draft/{}", draft_id.0),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert!(missing.has_chrome());
    assert!(!missing.0.html().contains("Secret draft"));
    assert!(
        t.page("/no/such/section", StatusCode::NOT_FOUND)
            .await
            .has_chrome()
    );
    assert!(
        t.page("/business/2026/11/20/x/999999", StatusCode::NOT_FOUND)
            .await
            .has_chrome()
    );
}

async fn section_pages_list_subsections_newest_first_and_paginate(backend: Backend) {
    let t = TestApp::new(backend).await;
    for n in 0..23 {
        publish(
            &t,
            &["National", "North Korea"],
            &format!("Story {n:02}"),
            &[],
            &format!("2026-10-{:02}T00:00:00Z", n + 1),
        )
        .await;
    }
    publish(
        &t,
        &["National", "Politics"],
        "Newest politics",
        &[],
        "2026-11-01T00:00:00Z",
    )
    .await;
    let page = t.page("/national", StatusCode::OK).await;
    assert_eq!(page.texts("h1"), ["National"]);
    assert_eq!(page.texts("nav.subsections a"), ["North Korea", "Politics"]);
    let headlines = page.texts(".card-list .card-headline");
    assert_eq!(headlines.len(), 20);
    assert_eq!(headlines[0], "Newest politics");
    assert_eq!(headlines[1], "Story 22");
    assert_eq!(page.attr(".pager a[rel=next]", "href"), "/national?page=2");
    assert!(page.all(".pager a[rel=prev]").is_empty());
    let second = t.page("/national?page=2", StatusCode::OK).await;
    assert_eq!(
        second.texts(".card-list .card-headline"),
        ["Story 03", "Story 02", "Story 01", "Story 00"]
    );
    assert_eq!(second.attr(".pager a[rel=prev]", "href"), "/national");
    assert!(second.all(".pager a[rel=next]").is_empty());
    t.page("/national?page=3", StatusCode::NOT_FOUND).await;
    let bad = t
        .page("/national?page=minus", StatusCode::BAD_REQUEST)
        .await;
    assert!(bad.0.html().contains("page must be a whole number"));
    let sub = t.page("/national/north-korea", StatusCode::OK).await;
    assert_eq!(
        sub.texts("nav[aria-label=Breadcrumb] a"),
        ["Home", "National", "North Korea"]
    );
    assert_eq!(sub.texts(".card-list .card-headline")[0], "Story 22");
}

async fn tag_source_and_author_pages(backend: Backend) {
    let t = TestApp::new(backend).await;
    publish(
        &t,
        &["Business"],
        "Tagged older",
        &["Port Authority"],
        "2026-11-01T00:00:00Z",
    )
    .await;
    publish(
        &t,
        &["Culture"],
        "Tagged newer",
        &["Port Authority"],
        "2026-11-02T00:00:00Z",
    )
    .await;
    let page = t.page("/tag/port-authority", StatusCode::OK).await;
    assert_eq!(page.texts("h1"), ["Port Authority"]);
    assert_eq!(
        page.texts(".card-list .card-headline"),
        ["Tagged newer", "Tagged older"]
    );
    let wire = t.page("/source/harbour-news-agency", StatusCode::OK).await;
    assert_eq!(wire.texts(".kicker"), ["Wire service"]);
    assert_eq!(wire.all(".card-list .card").len(), 2);
    // A wire service asked for as an author is sent to its real page.
    assert_eq!(
        t.redirect("/author/harbour-news-agency", StatusCode::MOVED_PERMANENTLY)
            .await,
        "/source/harbour-news-agency"
    );
    t.page("/tag/nothing-here", StatusCode::NOT_FOUND).await;
    t.page("/author/nobody", StatusCode::NOT_FOUND).await;
}

async fn home_page_leads_and_groups_by_section(backend: Backend) {
    let t = TestApp::with_demo(backend).await;
    let page = t.page("/", StatusCode::OK).await;
    assert!(page.has_chrome());
    assert_eq!(page.all("h1").len(), 1);
    page.one(".lead-story .card-headline a");
    page.one(".lead-story img");
    let sections = page.texts(".home-section h2");
    for name in ["National", "Business", "Culture", "Sports", "Opinion"] {
        assert!(
            sections.contains(&name.to_string()),
            "{name} missing from {sections:?}"
        );
    }
    // Every story link on the home page opens.
    let links: Vec<String> = page
        .all(".card-headline a")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(links.len() >= 15, "{}", links.len());
    for link in links.iter().take(8) {
        let story = t.page(link, StatusCode::OK).await;
        assert_eq!(story.all("h1").len(), 1);
        let src = story
            .all("figure img")
            .first()
            .and_then(|i| i.value().attr("src"))
            .map(str::to_string);
        if let Some(src) = src {
            let image = t.get(&src).await;
            assert_eq!(image.status(), StatusCode::OK);
            assert_eq!(image.headers()["content-type"], "image/jpeg");
            assert!(
                image.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .contains("immutable")
            );
        }
    }
    let css = t.get(&page.attr("link[rel=stylesheet]", "href")).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

async fn bodies_are_sanitized(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(
        &t,
        &["Opinion"],
        "A <b>bold</b> headline",
        &[],
        "2026-11-02T00:00:00Z",
    )
    .await;
    let mut input =
        broadsheet_domain::Story::to_input(&t.app.store.story(id).await.unwrap().unwrap());
    input.body = "Text <script>alert('x')</script> and <img src=x onerror=\"alert(1)\">.\n\n[link](javascript:alert(2))".into();
    t.app.store.save_story(Some(id), &input).await.unwrap();
    t.settle().await;
    let response = t.get(&story_url(&t, id).await).await;
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "script survived");
    assert!(!html.contains("onerror"), "handler survived");
    assert!(
        !html.contains("javascript:alert"),
        "javascript URL survived"
    );
    let page = Page(scraper::Html::parse_document(&html));
    assert_eq!(
        page.texts("h1"),
        ["A <b>bold</b> headline"],
        "headlines are text, escaped"
    );
}

async fn galleries_show_their_photos_in_order(backend: Backend) {
    let t = TestApp::with_demo(backend).await;
    let gallery = t.page("/national", StatusCode::OK).await;
    let href = gallery
        .all(".card-gallery .card-headline a")
        .first()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .expect("the demo has a gallery in National");
    let page = t.page(&href, StatusCode::OK).await;
    assert!(page.texts("h1")[0].ends_with("in pictures"));
    let figures = page.all("ol.gallery figure.gallery-photo");
    assert!(figures.len() >= 5, "{}", figures.len());
    for figure in &figures {
        let img = figure.select(&crate::harness::sel("img")).next().unwrap();
        assert!(!img.value().attr("alt").unwrap().is_empty());
        let caption = text(
            figure
                .select(&crate::harness::sel("figcaption"))
                .next()
                .unwrap(),
        );
        assert!(
            caption.ends_with(']'),
            "caption ends with its credit: {caption}"
        );
    }
    assert!(
        page.all("figure.lead-photo").is_empty(),
        "a gallery does not repeat its first photo as a lead"
    );
}

async fn print_view_and_policy_page(backend: Backend) {
    let t = TestApp::new(backend).await;
    let id = publish(&t, &["Business"], "Printable", &[], "2026-11-02T00:00:00Z").await;
    let url = story_url(&t, id).await;
    let response = t.get(&format!("{url}?view=print")).await;
    assert_eq!(response.headers()["x-robots-tag"], "noindex");
    let page = Page(scraper::Html::parse_document(
        &response.text().await.unwrap(),
    ));
    page.one("body.print-view");
    assert_eq!(page.texts("h1"), ["Printable"]);
    let policy = t.page("/policy/comments", StatusCode::OK).await;
    assert_eq!(policy.texts("h1"), ["Comment policy"]);
    assert!(policy.all(".policy h2").len() >= 2);
    assert!(policy.texts(".policy p").iter().any(|p| p.contains("250")));
}

async fn a_new_section_appears_without_a_restart(backend: Backend) {
    let t = TestApp::new(backend).await;
    // Written straight to the store, as `broadsheet import` in another process would.
    t.app
        .store
        .ensure_section_path(&["Science".into()], Some("Discoveries."))
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let response = t.get("/science").await;
        if response.status() == StatusCode::OK {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the change feed did not bring the section in"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let page = t.page("/", StatusCode::OK).await;
    assert!(
        page.texts("nav.section-menu a")
            .contains(&"Science".to_string())
    );
}
