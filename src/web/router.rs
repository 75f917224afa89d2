//! Every URL the site answers, in one place.
//!
//! | path | what |
//! |---|---|
//! | `/` | home page |
//! | `/static/{file}` | stylesheet and script |
//! | `/media/{file}` | images and their resized copies (content-addressed: cached for a year) |
//! | `/tag/{slug}` | stories with a tag |
//! | `/source/{slug}` | stories from a wire service |
//! | `/author/{slug}` | stories by a staff writer |
//! | `/policy/comments` | the comment policy |
//! | `/search` | the search page (`q`, `section`, `tag`, `source`, `from`, `to`, `order`, `page`) |
//! | `/api/v1/search` | the same search as JSON (registered in `api/routes.rs`) |
//! | `/feeds/{rss.xml,atom.xml,feed.json}` | the whole paper's feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) |
//! | `/feeds/section/{section}/.../{file}` | a section's feeds, its subsections' stories included |
//! | `/feeds/tag/{slug}/{file}` | a tag's feeds |
//! | `/sitemap.xml` | the sitemap index |
//! | `/sitemaps/{pages.xml,news.xml,stories-N.xml}` | listing pages; the last 48 hours (Google News); every story, oldest first |
//! | `/robots.txt` | crawl rules and the sitemap's address |
//! | `/api/v1/dictionary/{word}` | a word in the reader's dictionary (JSON; registered in `api/routes.rs`) |
//! | `/account` | the signed-in reader's account page |
//! | `/account/signin`, `/account/signup` | e-mail sign-in and registration (GET form, POST) |
//! | `/account/oauth/{provider}` | sign in with (or link) a provider: redirects there (`return_to`) |
//! | `/account/oauth/{provider}/callback` | the provider's redirect back (`code`, `state`, `error`) |
//! | `/account/signout`, `/account/signout-everywhere` | POST: end this session, or all |
//! | `/account/name`, `/account/delete` | POST: change the display name; delete the account |
//! | `/comments/{story}` | a story's comments page (GET); POST a comment or reply |
//! | `/comments/{story}/list` | the conversation alone (cached fragment the article fetches) |
//! | `/comments/{story}/box` | the comment box alone (personal fragment) |
//! | `/comments/item/{id}/{edit,delete,report}` | POST: a reader's own comment; a report |
//! | `/comments/item/{id}/{hide,restore}` | POST: editors take down or approve a comment |
//! | `/comments/queue` | editors: held and reported comments |
//! | `/comments/ban` | POST: editors ban a reader from commenting for a time or for good |
//! | `/comments/story/{story}/mode` | POST: editors open, close or premoderate a story's comments |
//! | `/newsroom` | staff: every story in every state (`q`, `status` incl. `submitted`, `section`, `author`, `from`, `to`, `page`) |
//! | `/newsroom/stories/new`, `/newsroom/stories` | staff: the editor for a new story (GET), POST it (multipart, `?csrf=`) |
//! | `/newsroom/stories/{id}` | staff: the editor with the story's revisions (GET); POST save, submit, send back, publish, schedule, unpublish, or preview and pick photos and a related story without saving |
//! | `/newsroom/stories/{id}/diff?from=&to=` | staff: two revisions side by side, line by line |
//! | `/newsroom/stories/{id}/restore`, `/newsroom/stories/{id}/correction` | POST, editors: bring back an old revision's words; append a correction |
//! | `/newsroom/audit` | editors: the audit log (`action`, `user`, `story`, `from`, `to`, `page`) |
//! | `/newsroom/media` | staff: the media library (GET); POST a photo (multipart, `?csrf=`) |
//! | `/newsroom/tokens` | admins: API tokens (GET); POST makes one, shown once |
//! | `/newsroom/tokens/{id}/revoke` | POST, admins: revoke an API token |
//! | `/api/v1/...` | the JSON API, registered in `api/routes.rs` (one table that builds these routes and lists them for the OpenAPI test): |
//! | `/api/v1/openapi.json` | the API's OpenAPI 3.1 document |
//! | `/api/v1/comments/counts?ids=` | visible comment counts of up to 100 stories (JSON) |
//! | `/api/v1/stories` | token: stories in every state, newest first, filters and a cursor (GET); POST a new draft |
//! | `/api/v1/stories/{id}` | token: one story (GET); PUT its words and attachments, naming the revision they are based on |
//! | `/api/v1/stories/{id}/{publish,unpublish}` | POST, write token: publish now or at `at` (schedule); take down |
//! | `/api/v1/stories/{id}/ninjs` | token: the story as IPTC ninjs 2.x |
//! | `/api/v1/sections`, `/api/v1/tags` | token: the section tree; tags by slug with a cursor |
//! | `/api/v1/media`, `/api/v1/media/{id}` | token: the media library with a cursor, one image; POST uploads one (multipart) |
//! | `/{section}/.../{yyyy}/{mm}/{dd}/{slug}/{id}` | a story (other segments redirect to the canonical URL) |
//! | `/{section}/...` | a section page |
//!
//! A first path segment listed in `broadsheet_domain::urls::RESERVED_SEGMENTS` can never be a
//! section, so these routes and the section tree cannot collide.

use crate::app::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use super::{
    account, api, assets, cache, comments, error, feeds, media, newsroom, reader, robots, search,
    sitemaps,
};

pub const COMMENT_POLICY_PATH: &str = "/policy/comments";

pub fn build(app: AppState) -> Router {
    Router::new()
        .route("/", get(reader::home::show))
        .route("/static/{file}", get(assets::asset))
        .route("/media/{file}", get(media::file))
        .route("/tag/{slug}", get(reader::tag::show))
        .route("/source/{slug}", get(reader::source::wire))
        .route("/author/{slug}", get(reader::source::staff))
        .route(COMMENT_POLICY_PATH, get(reader::policy::show))
        .route("/search", get(search::page))
        .route("/feeds/{file}", get(feeds::site))
        .route("/feeds/section/{*path}", get(feeds::section))
        .route("/feeds/tag/{slug}/{file}", get(feeds::tag))
        .route(sitemaps::INDEX_PATH, get(sitemaps::index))
        .route("/sitemaps/{file}", get(sitemaps::file))
        .route("/robots.txt", get(robots::robots))
        .route("/account", get(account::page::show))
        .route(
            "/account/signin",
            get(account::signin::form).post(account::signin::submit),
        )
        .route(
            "/account/signup",
            get(account::signup::form).post(account::signup::submit),
        )
        .route("/account/oauth/{provider}", get(account::oauth::start))
        .route(
            "/account/oauth/{provider}/callback",
            get(account::oauth::callback),
        )
        .route("/account/signout", post(account::page::sign_out))
        .route(
            "/account/signout-everywhere",
            post(account::page::sign_out_everywhere),
        )
        .route("/account/name", post(account::page::rename))
        .route("/account/delete", post(account::page::delete))
        .route("/comments/queue", get(comments::moderation::queue))
        .route("/comments/ban", post(comments::moderation::ban))
        .route(
            "/comments/{story}",
            get(comments::pages::page).post(comments::actions::post),
        )
        .route("/comments/{story}/list", get(comments::pages::list))
        .route("/comments/{story}/box", get(comments::pages::comment_box))
        .route(
            "/comments/story/{story}/mode",
            post(comments::moderation::mode),
        )
        .route("/comments/item/{id}/edit", post(comments::actions::edit))
        .route(
            "/comments/item/{id}/delete",
            post(comments::actions::delete),
        )
        .route(
            "/comments/item/{id}/report",
            post(comments::actions::report),
        )
        .route("/comments/item/{id}/hide", post(comments::moderation::hide))
        .route(
            "/comments/item/{id}/restore",
            post(comments::moderation::restore),
        )
        .route("/newsroom", get(newsroom::desk::desk))
        .route("/newsroom/stories/new", get(newsroom::stories::new_story))
        // The editor's form can carry a lead photo, so it may be as large as an upload.
        .route(
            "/newsroom/stories",
            post(newsroom::stories::create).layer(DefaultBodyLimit::max(
                newsroom::media::body_limit(app.config.media_max_bytes),
            )),
        )
        .route(
            "/newsroom/stories/{id}",
            get(newsroom::stories::edit)
                .post(newsroom::stories::update)
                .layer(DefaultBodyLimit::max(newsroom::media::body_limit(
                    app.config.media_max_bytes,
                ))),
        )
        .route("/newsroom/stories/{id}/diff", get(newsroom::history::diff))
        .route(
            "/newsroom/stories/{id}/restore",
            post(newsroom::history::restore),
        )
        .route(
            "/newsroom/stories/{id}/correction",
            post(newsroom::history::correct),
        )
        .route(newsroom::audit::AUDIT_PATH, get(newsroom::audit::page))
        .route(
            newsroom::tokens::PATH,
            get(newsroom::tokens::list).post(newsroom::tokens::make),
        )
        .route(
            "/newsroom/tokens/{id}/revoke",
            post(newsroom::tokens::revoke),
        )
        .route(
            newsroom::media::LIBRARY_PATH,
            get(newsroom::media::library)
                .post(newsroom::media::upload)
                .layer(DefaultBodyLimit::max(newsroom::media::body_limit(
                    app.config.media_max_bytes,
                ))),
        )
        .merge(api::routes::registry(&app).into_router())
        .route("/{*path}", get(reader::site_path::show))
        .fallback(error::not_found)
        // Inside the error pages, so a refused form still gets the site's chrome.
        .layer(middleware::from_fn_with_state(
            app.clone(),
            crate::auth::csrf::guard,
        ))
        .layer(middleware::map_response_with_state(
            app.clone(),
            error::error_pages,
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        // Outermost, so a cached page is served without the layers a render needs.
        .layer(middleware::from_fn_with_state(
            app.clone(),
            cache::page_cache,
        ))
        .with_state(app)
}
