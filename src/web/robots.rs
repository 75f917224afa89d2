//! `/robots.txt`: crawl everything but the print view (the same story as its page, marked
//! `noindex` too), and find the sitemap index here.

use super::sitemaps::INDEX_PATH;
use crate::app::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub async fn robots(State(app): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /*?view=print\nAllow: /\n\nSitemap: {}\n",
        app.site().absolute(INDEX_PATH)
    );
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
