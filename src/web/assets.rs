//! The site's own stylesheet and script, compiled into the binary. URLs carry a version
//! derived from the content, so browsers may cache them for a year and still never run a
//! stale copy after an upgrade.

use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use super::error::WebError;

const STYLE: &str = include_str!("../../static/style.css");
const SCRIPT: &str = include_str!("../../static/site.js");
/// The paper's mark, for feeds and search engines (`publisher.logo`); the PNG because social
/// sites and some crawlers take no SVG.
const LOGO_SVG: &[u8] = include_bytes!("../../static/logo.svg");
const LOGO_PNG: &[u8] = include_bytes!("../../static/logo.png");
pub const LOGO_PNG_PATH: &str = "/static/logo.png";
/// The PNG's size in pixels, for `og:image:width` and the JSON-LD `ImageObject`.
pub const LOGO_PNG_SIZE: (u32, u32) = (512, 512);

static VERSION: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::new()
        .chain_update(STYLE)
        .chain_update(SCRIPT)
        .finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
});

pub fn version() -> &'static str {
    &VERSION
}

#[derive(Deserialize)]
pub struct VersionQuery {
    v: Option<String>,
}

pub async fn asset(
    State(app): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, WebError> {
    if let Some(response) = logo(&file) {
        return Ok(response);
    }
    let (built_in, content_type) = match file.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "site.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return Err(WebError::NotFound),
    };
    let body = match &app.config.static_dir {
        Some(dir) => tokio::fs::read_to_string(dir.join(&file))
            .await
            .map_err(|e| WebError::Internal(format!("static_dir {}: {e}", dir.display())))?,
        None => built_in.to_string(),
    };
    let cache = if app.config.static_dir.is_some() {
        "no-cache"
    } else if query.v.as_deref() == Some(version()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// The logo files. Their URLs carry no version (other sites keep them), so they are cached
/// for a day rather than for good.
fn logo(file: &str) -> Option<Response> {
    let (bytes, content_type) = match file {
        "logo.svg" => (LOGO_SVG, "image/svg+xml"),
        "logo.png" => (LOGO_PNG, "image/png"),
        _ => return None,
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_logo_is_the_size_declared() {
        // A PNG's IHDR chunk holds width and height at bytes 16..24.
        let size = |at: usize| u32::from_be_bytes(LOGO_PNG[at..at + 4].try_into().unwrap());
        assert_eq!(&LOGO_PNG[1..4], b"PNG");
        assert_eq!((size(16), size(20)), LOGO_PNG_SIZE);
    }
}
