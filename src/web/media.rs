//! Serving image files from the data directory. Names are content hashes, so a file at a
//! name never changes and may be cached for good.

use crate::app::AppState;
use crate::services::media::mime_for;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::error::WebError;

pub async fn file(
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let path = app.media.path(&name).ok_or(WebError::NotFound)?;
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WebError::NotFound),
        Err(e) => {
            return Err(WebError::Internal(format!(
                "reading {}: {e}",
                path.display()
            )));
        }
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(mime_for(&name)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}
