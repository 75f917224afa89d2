//! Every URL the site answers, in one place.
//!
//! | path | what |
//! |---|---|
//! | `/` | home page |
//! | `/static/{file}` | stylesheet and script |
//! | `/media/{file}` | images |
//! | `/tag/{slug}` | stories with a tag |
//! | `/source/{slug}` | stories from a wire service |
//! | `/author/{slug}` | stories by a staff writer |
//! | `/policy/comments` | the comment policy |
//! | `/{section}/.../{yyyy}/{mm}/{dd}/{slug}/{id}` | a story (other segments redirect to the canonical URL) |
//! | `/{section}/...` | a section page |
//!
//! A first path segment listed in `broadsheet_domain::urls::RESERVED_SEGMENTS` can never be a
//! section, so these routes and the section tree cannot collide.

use crate::app::AppState;
use axum::Router;
use axum::middleware;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use super::{assets, error, media, reader};

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
        .route("/{*path}", get(reader::site_path::show))
        .fallback(error::not_found)
        .layer(middleware::map_response_with_state(
            app.clone(),
            error::error_pages,
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}
