//! Comments over real HTTP: the whole life cycle, refusals, moderation, authorization,
//! throttling, and the fragment cached apart from the article.

use crate::both_backends;
use crate::harness::{Browser, Page, TestApp, text};
use broadsheet_domain::{Role, StoryId, UserId};
use broadsheet_store::Backend;
use reqwest::StatusCode;
use scraper::Html;

both_backends!(
    a_comment_is_posted_edited_replied_to_and_deleted,
    bad_comments_are_refused_and_nothing_is_stored,
    the_limit_counts_what_readers_see,
    readers_cannot_moderate_or_touch_others_comments,
    links_are_held_and_reports_reach_the_queue,
    bans_and_story_modes_stop_comments,
    comment_floods_are_throttled,
    posts_at_once_keep_the_limit_and_a_refused_post_writes_nothing,
    a_trusted_proxy_names_the_client,
    the_conversation_is_cached_apart_from_the_article,
    deleted_accounts_keep_or_lose_their_comments,
);

async fn story(t: &TestApp) -> StoryId {
    let section = t
        .app
        .store
        .ensure_section_path(&["National".to_string()], None)
        .await
        .unwrap();
    let input = crate::reader_input(section, "Harbour bridge reopens after repairs", &[]);
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.settle().await;
    id
}

async fn page_of(response: reqwest::Response) -> Page {
    Page(Html::parse_document(&response.text().await.unwrap()))
}

async fn post(browser: &Browser, story: StoryId, body: &str) -> reqwest::Response {
    browser
        .submit_to(
            &format!("/comments/{story}"),
            Some(&format!("/comments/{story}")),
            &[("body", body)],
        )
        .await
}

async fn count(t: &TestApp, story: StoryId) -> i64 {
    t.app
        .store
        .comment_settings(story)
        .await
        .unwrap()
        .unwrap()
        .count
}

fn bodies(page: &Page) -> Vec<String> {
    page.texts(".comment-body")
}

async fn a_comment_is_posted_edited_replied_to_and_deleted(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Seo Mina").await;
    let response = post(&mina, story, "The new lanes help cyclists.").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("/comments/{story}?done=posted#comment-")),
        "{location}"
    );
    let page = mina
        .page(&location.replace("#", "&x=#"), StatusCode::OK)
        .await;
    assert_eq!(
        page.texts(".form-notice"),
        ["Your comment has been posted."]
    );
    assert_eq!(bodies(&page), ["The new lanes help cyclists."]);
    assert_eq!(page.texts(".comment-author"), ["Seo Mina"]);
    assert_eq!(page.texts(".comment-count"), ["(1)"]);
    let id = page
        .attr(".comment", "id")
        .trim_start_matches("comment-")
        .to_string();
    // Edit within five minutes.
    let response = mina
        .submit_to(
            &format!("/comments/{story}?edit={id}"),
            Some(&format!("/comments/item/{id}/edit")),
            &[("body", "The new lanes help cyclists a lot.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // A reply from another reader sits under it.
    let joon = t.reader("joon@example.kr", "Joon").await;
    let response = joon
        .submit_to(
            &format!("/comments/{story}?reply={id}"),
            Some(&format!("/comments/{story}")),
            &[("body", "Agreed, and drivers too.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = joon
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await;
    assert_eq!(
        page.texts("ol.comments > li > .comment .comment-body"),
        ["The new lanes help cyclists a lot."]
    );
    assert_eq!(
        page.texts("ol.replies .comment-body"),
        ["Agreed, and drivers too."]
    );
    assert_eq!(page.texts(".comment-edited"), ["(edited)"]);
    assert_eq!(count(&t, story).await, 2);
    // Oldest first is offered and works.
    let oldest = t
        .page(
            &format!("/comments/{story}/list?order=oldest"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(oldest.texts(".comment-order strong"), ["oldest first"]);
    // The writer deletes the first comment: a placeholder keeps the reply in context.
    let response = mina
        .submit_to(
            &format!("/comments/{story}"),
            Some(&format!("/comments/item/{id}/delete")),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(
        page.texts(".comment-placeholder"),
        ["This comment was deleted by its writer."]
    );
    assert_eq!(bodies(&page), ["Agreed, and drivers too."]);
    assert_eq!(count(&t, story).await, 1);
    // Story lists show the count (as rendered; site.js refreshes it from the counts API).
    let section = t.page("/national", StatusCode::OK).await;
    assert_eq!(section.texts(".card-comments"), ["1 comment"]);
    // Counts for story lists.
    let counts: serde_json::Value = serde_json::from_str(
        &t.get(&format!("/api/v1/comments/counts?ids={story}"))
            .await
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(counts[story.to_string()], 1);
}

async fn bad_comments_are_refused_and_nothing_is_stored(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    let too_long = "가".repeat(251);
    for (body, message) in [
        ("   ", "Your comment is empty; write something first."),
        (
            too_long.as_str(),
            "Your comment is 251 characters long; the limit is 250.",
        ),
        (
            "ring the bell\u{7}",
            "Your comment contains a control character (U+0007) that cannot be shown.",
        ),
    ] {
        let response = post(&mina, story, body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body:?}");
        let page = page_of(response).await;
        assert_eq!(page.texts(".form-error"), [message]);
        // The words are kept in the box.
        assert_eq!(
            page.one("textarea[name='body']").text().collect::<String>(),
            body
        );
    }
    // Bytes that are not UTF-8 never become a comment.
    let token = mina
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await
        .attr("form[data-comment-form] input[name='csrf']", "value");
    let response = mina
        .client
        .post(format!("{}/comments/{story}", t.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&body=%FF%FE"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        page_of(response).await.texts(".error-page p")[1],
        "The form could not be read: the field 'body' is not valid UTF-8 text."
    );
    assert_eq!(count(&t, story).await, 0);
    assert!(
        t.app
            .store
            .story_comments(story, Default::default(), 10, 0)
            .await
            .unwrap()
            .0
            .is_empty()
    );
    // Markup is text: stored as typed, escaped when shown.
    let script = "<script>alert('x')</script> <b>bold</b>";
    assert_eq!(
        post(&mina, story, script).await.status(),
        StatusCode::SEE_OTHER
    );
    t.settle().await;
    let response = t.get(&format!("/comments/{story}/list")).await;
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "{html}");
    let page = Page(Html::parse_fragment(&html));
    assert_eq!(bodies(&page), [script]);
    assert!(page.all(".comment-body script, .comment-body b").is_empty());
    // A display name carrying markup is shown as text beside the comment too.
    let sneaky = t
        .reader("sneaky@example.kr", "<i onmouseover=alert(1)>x</i>")
        .await;
    assert_eq!(
        post(&sneaky, story, "hello").await.status(),
        StatusCode::SEE_OTHER
    );
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(
        page.texts(".comment-author")[0],
        "<i onmouseover=alert(1)>x</i>"
    );
    assert!(page.all(".comment-author i").is_empty());
    // Unknown or unpublished stories take nothing.
    assert_eq!(
        post_raw(&mina, 999_999, "Hello", &token).await,
        StatusCode::NOT_FOUND
    );
}

async fn post_raw(browser: &Browser, story: i64, body: &str, token: &str) -> StatusCode {
    browser
        .post_form(
            &format!("/comments/{story}"),
            &[("body", body), ("csrf", token)],
        )
        .await
        .status()
}

async fn the_limit_counts_what_readers_see(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    // 250 emoji with skin tones are 500 code points but 250 characters to a reader.
    let emoji = "👍🏽".repeat(250);
    assert_eq!(
        post(&mina, story, &emoji).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(bodies(&page), [emoji]);
    // The box's counter starts where the server counts from.
    let page = mina
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await;
    assert_eq!(page.texts(".comment-counter"), ["0/250"]);
    assert_eq!(page.attr("textarea[name='body']", "data-limit"), "250");
}

async fn readers_cannot_moderate_or_touch_others_comments(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    assert_eq!(
        post(&mina, story, "Mine.").await.status(),
        StatusCode::SEE_OTHER
    );
    let id = t
        .app
        .store
        .story_comments(story, Default::default(), 1, 0)
        .await
        .unwrap()
        .0[0]
        .comment
        .id;
    let joon = t.reader("joon@example.kr", "Joon").await;
    let token = joon
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await
        .attr("form[data-comment-form] input[name='csrf']", "value");
    for (path, fields) in [
        (
            format!("/comments/item/{id}/edit"),
            vec![("body", "Not yours")],
        ),
        (format!("/comments/item/{id}/delete"), vec![]),
        (format!("/comments/item/{id}/hide"), vec![]),
        (
            format!("/comments/story/{story}/mode"),
            vec![("mode", "closed")],
        ),
        (
            "/comments/ban".to_string(),
            vec![("user_id", "1"), ("length", "forever")],
        ),
    ] {
        let mut fields = fields.clone();
        fields.push(("csrf", &token));
        let response = joon.post_form(&path, &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        joon.get("/comments/queue").await.status(),
        StatusCode::FORBIDDEN
    );
    let comment = t.app.store.comment(id).await.unwrap().unwrap();
    assert_eq!(comment.body, "Mine.");
    assert_eq!(comment.status, broadsheet_domain::CommentStatus::Visible);
    // Without an account a post is refused (the guard needs a session first).
    let anonymous = t.browser();
    let page = anonymous
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await;
    assert_eq!(page.all("form[data-comment-form]").len(), 0);
    assert!(text(page.one(".comment-signin")).starts_with("Sign in to comment"));
}

async fn links_are_held_and_reports_reach_the_queue(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    let joon = t.reader("joon@example.kr", "Joon").await;
    let editor = t.staff("desk@example.kr", Role::Editor).await;
    let response = post(&mina, story, "Cheap tickets at www.tickets.test").await;
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("done=held")
    );
    assert_eq!(
        post(&joon, story, "You are all idiots").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&t, story).await, 1);
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(bodies(&page), ["You are all idiots"]);
    // Mina reports Joon's comment.
    let joon_id = t
        .app
        .store
        .story_comments(story, Default::default(), 5, 0)
        .await
        .unwrap()
        .0[0]
        .comment
        .id;
    let response = mina
        .submit_to(
            &format!("/comments/{story}?report={joon_id}"),
            Some(&format!("/comments/item/{joon_id}/report")),
            &[("reason", "Abuse or harassment")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let queue = editor.page("/comments/queue", StatusCode::OK).await;
    assert_eq!(
        queue.texts(".queue-item .comment-body"),
        ["Cheap tickets at www.tickets.test", "You are all idiots"]
    );
    assert_eq!(queue.texts(".queue-why"), ["Held: link", "Reported"]);
    assert_eq!(
        queue.texts(".queue-report"),
        ["Reported: Abuse or harassment (by Mina)"]
    );
    // Approve the held one, hide the reported one.
    let held_id = queue
        .attr(".queue-item:first-child", "id")
        .trim_start_matches("queue-")
        .to_string();
    let response = editor
        .submit_to(
            "/comments/queue",
            Some(&format!("/comments/item/{held_id}/restore")),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = editor
        .submit_to(
            "/comments/queue",
            Some(&format!("/comments/item/{joon_id}/hide")),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let queue = editor.page("/comments/queue", StatusCode::OK).await;
    assert_eq!(queue.texts(".queue-empty"), ["Nothing is waiting."]);
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(bodies(&page), ["Cheap tickets at www.tickets.test"]);
    assert_eq!(count(&t, story).await, 1);
}

async fn bans_and_story_modes_stop_comments(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    let editor = t.staff("desk@example.kr", Role::Editor).await;
    let mina_id = user_id(&t, "mina@example.kr").await;
    assert_eq!(
        post(&mina, story, "before the ban").await.status(),
        StatusCode::SEE_OTHER
    );
    let queue_token = editor
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await
        .attr("form[data-comment-form] input[name='csrf']", "value");
    let response = editor
        .post_form(
            "/comments/ban",
            &[
                ("user_id", &mina_id.to_string()),
                ("length", "7d"),
                ("csrf", &queue_token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = mina
        .post_form(
            &format!("/comments/{story}"),
            &[
                ("body", "after the ban"),
                ("csrf", &mina_token_any(&mina).await),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = page_of(response).await;
    assert!(page.texts(".form-error")[0].starts_with("Your account may not comment until "));
    let page = mina
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await;
    assert_eq!(
        page.all("form[data-comment-form]").len(),
        0,
        "no box for a banned reader"
    );
    // Lift it; then the editor closes the story.
    let response = editor
        .post_form(
            "/comments/ban",
            &[
                ("user_id", &mina_id.to_string()),
                ("length", "lift"),
                ("csrf", &queue_token),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = editor
        .submit_to(
            &format!("/comments/{story}"),
            Some(&format!("/comments/story/{story}/mode")),
            &[("mode", "premoderated")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = post(&mina, story, "waits for an editor").await;
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("done=held")
    );
    let response = editor
        .submit_to(
            &format!("/comments/{story}"),
            Some(&format!("/comments/story/{story}/mode")),
            &[("mode", "closed")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = mina
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await;
    assert_eq!(
        page.texts(".comments-closed"),
        ["Comments on this story are closed."]
    );
    let response = mina
        .post_form(
            &format!("/comments/{story}"),
            &[("body", "closed?"), ("csrf", &mina_token_any(&mina).await)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        page_of(response).await.texts(".form-error"),
        ["Comments on this story are closed."]
    );
    assert_eq!(count(&t, story).await, 1);
}

/// The reader's CSRF token from their account page (when there is no comment box).
async fn mina_token_any(browser: &Browser) -> String {
    browser
        .page("/account", StatusCode::OK)
        .await
        .attr("form[action='/account/name'] input[name='csrf']", "value")
}

async fn comment_floods_are_throttled(backend: Backend) {
    let t = TestApp::with_config(backend, |c| c.comments_per_minute = 2).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    for n in 0..2 {
        assert_eq!(
            post(&mina, story, &format!("comment {n}")).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let response = post(&mina, story, "one too many").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let page = page_of(response).await;
    assert!(page.texts(".error-page p")[1].starts_with("Too many comments in a short time."));
    // Another account from the same address is limited by the address.
    let joon = t.reader("joon@example.kr", "Joon").await;
    assert_eq!(
        post(&joon, story, "me too").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(count(&t, story).await, 2);
}

async fn user_id(t: &TestApp, email: &str) -> UserId {
    t.app.store.user_by_email(email).await.unwrap().unwrap().id
}

/// How many comments this bucket and key have counted in the last minute.
async fn counted(t: &TestApp, bucket: &str, key: &str) -> i64 {
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1);
    t.app
        .store
        .throttle_count(bucket, key, since)
        .await
        .unwrap()
        .0
}

async fn posts_at_once_keep_the_limit_and_a_refused_post_writes_nothing(backend: Backend) {
    let t = TestApp::with_config(backend, |c| c.comments_per_minute = 3).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    let token = mina
        .page(&format!("/comments/{story}"), StatusCode::OK)
        .await
        .attr("form[data-comment-form] input[name='csrf']", "value");
    let sends: Vec<_> = (0..8)
        .map(|n| {
            let request = mina
                .client
                .post(format!("{}/comments/{story}", mina.base()))
                .form(&[
                    ("body", format!("All at once, {n}")),
                    ("csrf", token.clone()),
                ]);
            tokio::spawn(async move { request.send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for send in sends {
        statuses.push(send.await.unwrap());
    }
    let answered = |status| statuses.iter().filter(|s| **s == status).count();
    assert_eq!(answered(StatusCode::SEE_OTHER), 3, "{statuses:?}");
    assert_eq!(answered(StatusCode::TOO_MANY_REQUESTS), 5, "{statuses:?}");
    assert_eq!(count(&t, story).await, 3);
    let mina_key = format!("user:{}", user_id(&t, "mina@example.kr").await);
    assert_eq!(counted(&t, "comment-account", &mina_key).await, 3);
    assert_eq!(counted(&t, "comment-address", "ip:127.0.0.1").await, 3);
    // Refused by the address's limit, Joon's post leaves nothing either: not on his account.
    let joon = t.reader("joon@example.kr", "Joon").await;
    let response = post(&joon, story, "me too").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = page_of(response).await;
    assert!(
        page.texts(".error-page p")[1]
            .starts_with("Too many comments from your network in a short time.")
    );
    let joon_key = format!("user:{}", user_id(&t, "joon@example.kr").await);
    assert_eq!(counted(&t, "comment-account", &joon_key).await, 0);
    assert_eq!(counted(&t, "comment-address", "ip:127.0.0.1").await, 3);
    assert_eq!(count(&t, story).await, 3);
}

async fn a_trusted_proxy_names_the_client(backend: Backend) {
    let t = TestApp::with_config(backend, |c| {
        c.comments_per_minute = 1;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let story = story(&t).await;
    async fn send(story: StoryId, browser: &Browser, client: &str, body: &str) -> StatusCode {
        let page = browser
            .page(&format!("/comments/{story}"), StatusCode::OK)
            .await;
        let token = page.attr("form[data-comment-form] input[name='csrf']", "value");
        browser
            .client
            .post(format!("{}/comments/{story}", browser.base()))
            .header("x-forwarded-for", format!("203.0.113.9, {client}"))
            .form(&[("body", body), ("csrf", &token)])
            .send()
            .await
            .unwrap()
            .status()
    }
    let mina = t.reader("mina@example.kr", "Mina").await;
    let joon = t.reader("joon@example.kr", "Joon").await;
    // Two readers behind the proxy at different addresses are counted apart...
    assert_eq!(
        send(story, &mina, "198.51.100.1", "from one home").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        send(story, &joon, "198.51.100.2", "from another").await,
        StatusCode::SEE_OTHER
    );
    // ...and a third account at the first address shares its limit; the left-most entry,
    // which the client wrote itself, is not believed.
    let ara = t.reader("ara@example.kr", "Ara").await;
    assert_eq!(
        send(story, &ara, "198.51.100.1", "same home").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn the_conversation_is_cached_apart_from_the_article(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let comments_page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    let article_path = comments_page.attr(".comments-story a", "href");
    let article = t.page(&article_path, StatusCode::OK).await;
    assert_eq!(
        article.attr("section#comments", "data-comments"),
        format!("/comments/{story}")
    );
    assert_eq!(t.get(&article_path).await.headers()["x-cache"], "HIT");
    let list = format!("/comments/{story}/list");
    assert_eq!(t.get(&list).await.headers()["x-cache"], "MISS");
    assert_eq!(t.get(&list).await.headers()["x-cache"], "HIT");
    let mina = t.reader("mina@example.kr", "Mina").await;
    assert_eq!(
        post(&mina, story, "Fresh.").await.status(),
        StatusCode::SEE_OTHER
    );
    t.settle().await;
    let response = t.get(&list).await;
    assert_eq!(
        response.headers()["x-cache"],
        "MISS",
        "the conversation was purged"
    );
    assert_eq!(bodies(&page_of(response).await), ["Fresh."]);
    assert_eq!(
        t.get(&article_path).await.headers()["x-cache"],
        "HIT",
        "the article was not"
    );
    // The box is personal and never cached.
    let response = mina.get(&format!("/comments/{story}/box")).await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().get("x-cache").is_none_or(|v| v != "HIT"));
}

async fn deleted_accounts_keep_or_lose_their_comments(backend: Backend) {
    let t = TestApp::new(backend).await;
    let story = story(&t).await;
    let mina = t.reader("mina@example.kr", "Mina").await;
    assert_eq!(
        post(&mina, story, "Kept after I go.").await.status(),
        StatusCode::SEE_OTHER
    );
    let response = mina
        .submit_to(
            "/account",
            Some("/account/delete"),
            &[("confirm", "delete")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(page.texts(".comment-author"), ["deleted reader"]);
    assert_eq!(bodies(&page), ["Kept after I go."]);
    // With the site set to remove them, they go with the account.
    t.app
        .store
        .set_setting(
            broadsheet::services::site::keys::DELETED_ACCOUNT_COMMENTS,
            "remove",
        )
        .await
        .unwrap();
    t.settle().await;
    let joon = t.reader("joon@example.kr", "Joon").await;
    assert_eq!(
        post(&joon, story, "Gone after I go.").await.status(),
        StatusCode::SEE_OTHER
    );
    let response = joon
        .submit_to(
            "/account",
            Some("/account/delete"),
            &[("confirm", "delete")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = t.page(&format!("/comments/{story}"), StatusCode::OK).await;
    assert_eq!(bodies(&page), ["Kept after I go."]);
    assert_eq!(count(&t, story).await, 1);
}
