//! The media library: recent uploads in a grid, and the upload form.
//!
//! The form is `multipart/form-data`, so its CSRF token travels in the action's query string
//! (the CSRF guard does not read multipart bodies). The request body may be the image limit
//! (`media_max_mb`) plus [`FORM_SLACK_BYTES`]; a file between the two is refused by the image
//! core with its exact size, a larger request with 413 as soon as the limit is crossed,
//! without reading the rest. A refused upload shows the library again with the reason and
//! the words the uploader typed.

use super::require_staff;
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::uploads::{self, UploadError, UploadWords};
use crate::web::error::WebError;
use crate::web::forms::{personal, see_other, with_status};
use crate::web::templates::{LibraryItemView, MediaLibraryTemplate};
use crate::web::views::{Chrome, media_src};
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::{Media, MediaVariant};
use broadsheet_store::LibraryItem;
use serde::Deserialize;

pub const LIBRARY_PATH: &str = "/newsroom/media";

/// Room for the caption, credit and alt text and the multipart framing around the file.
pub const FORM_SLACK_BYTES: usize = 1024 * 1024;

/// How many uploads the library shows.
const SHOWN: i64 = 60;

/// The largest request body the upload route reads.
pub fn body_limit(media_max_bytes: usize) -> usize {
    media_max_bytes + FORM_SLACK_BYTES
}

#[derive(Debug, Deserialize)]
pub struct LibraryQuery {
    /// Set after a successful upload (the new image's id).
    pub uploaded: Option<i64>,
}

pub async fn library(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<LibraryQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let notice = query
        .uploaded
        .map(|_| "The photo was uploaded and is ready to use.".to_string());
    let page = Shown {
        notice,
        error: None,
        words: UploadWords::default(),
    };
    render(&app, &signed_in, page, StatusCode::OK).await
}

pub async fn upload(
    State(app): State<AppState>,
    signed_in: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let multipart = multipart.map_err(|rejection| {
        WebError::BadRequest(format!(
            "The upload could not be read: {}",
            rejection.body_text()
        ))
    })?;
    let (file, words) = read_form(multipart, app.config.media_max_bytes).await?;
    match uploads::upload(&app, signed_in.user.id, file, &words).await {
        Ok(media) => Ok(see_other(
            &format!("{LIBRARY_PATH}?uploaded={}", media.id.0),
            None,
        )),
        Err(UploadError::Failed(message)) => Err(WebError::Internal(message)),
        Err(refusal) => {
            let status = if refusal.is_too_large() {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            let page = Shown {
                notice: None,
                error: Some(sentence(&refusal.to_string())),
                words,
            };
            render(&app, &signed_in, page, status).await
        }
    }
}

/// The file's bytes and the words; unknown fields are ignored (the API reads uploads the
/// same way).
pub async fn read_form(
    mut multipart: Multipart,
    media_max_bytes: usize,
) -> Result<(Vec<u8>, UploadWords), WebError> {
    let mut file = Vec::new();
    let mut words = UploadWords::default();
    let unreadable = |e: MultipartError| unreadable(e, media_max_bytes);
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => file = field.bytes().await.map_err(unreadable)?.to_vec(),
            Some("caption") => words.caption = field.text().await.map_err(unreadable)?,
            Some("credit") => words.credit = field.text().await.map_err(unreadable)?,
            Some("alt") => words.alt = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    Ok((file, words))
}

/// A multipart body that could not be read: too large for the route's limit (413, saying how
/// to make the photo smaller), or malformed (400).
pub fn unreadable(e: MultipartError, media_max_bytes: usize) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge(format!(
            "The upload is larger than the {} MB limit, so it was not accepted: export the \
             photo at a smaller size or higher compression and upload it again.",
            media_max_bytes / (1024 * 1024)
        ))
    } else {
        WebError::BadRequest(format!("The upload could not be read: {}", e.body_text()))
    }
}

/// The image core's refusals are clauses ("the file is ..."); the page shows sentences.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// What the page shows besides the library.
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    words: UploadWords,
}

async fn render(
    app: &AppState,
    signed_in: &SignedIn,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, WebError> {
    let items = app.store.library(SHOWN).await?;
    let template = MediaLibraryTemplate {
        chrome: Chrome::new(&app.site(), &app.sections(), "Media library", None),
        csrf: signed_in.session.csrf().to_string(),
        notice: shown.notice,
        error: shown.error,
        caption: shown.words.caption,
        credit: shown.words.credit,
        alt: shown.words.alt,
        max_mb: app.config.media_max_bytes / (1024 * 1024),
        items: items.iter().map(item_view).collect(),
    };
    Ok(personal(
        with_status(status, crate::web::render(&template)?),
        None,
    ))
}

/// A photo's thumbnail: its smallest JPEG copy, or the image itself when it has none (an
/// imported photo). `(src, width, height)`.
pub fn thumbnail(media: &Media, variants: &[MediaVariant]) -> (String, u32, u32) {
    let smallest = variants
        .iter()
        .filter(|v| v.format == "jpeg")
        .min_by_key(|v| v.width);
    match smallest {
        Some(v) => (media_src(&v.file), v.width, v.height),
        None => (media_src(&media.file), media.width, media.height),
    }
}

fn item_view(item: &LibraryItem) -> LibraryItemView {
    let media = &item.media;
    let (thumb, thumb_width, thumb_height) = thumbnail(media, &item.variants);
    LibraryItemView {
        id: media.id.0,
        thumb,
        thumb_width,
        thumb_height,
        original: media_src(&media.file),
        caption: media.caption.clone(),
        credit: media.credit.clone(),
        alt: media.alt.clone(),
        width: media.width,
        height: media.height,
        variants: item
            .variants
            .iter()
            .filter(|v| v.format == "jpeg")
            .map(|v| v.width.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn refusals_read_as_sentences() {
        assert_eq!(
            sentence("the file is not a JPEG, PNG or WebP image"),
            "The file is not a JPEG, PNG or WebP image."
        );
        assert_eq!(sentence("Write a caption."), "Write a caption.");
    }
}
