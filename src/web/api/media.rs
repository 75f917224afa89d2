//! `/api/v1/media`: the media library's images (newest first, with a cursor), one image,
//! and uploads, which go through `services::uploads` with exactly the library's checks: a
//! file that is no JPEG, PNG or WebP image (whatever its name or declared type says), is
//! broken, animated or over the limits is refused and nothing is stored.

use super::auth::Caller;
use super::json::QueryParams;
use super::stories::{media_json, private};
use super::{ApiError, ApiResult};
use crate::app::AppState;
use crate::services::api::cursor::{Cursors, pair};
use crate::services::api::stories::{bad_cursor, limit};
use crate::services::uploads::{self, UploadError};
use crate::web::error::WebError;
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use broadsheet_domain::MediaId;
use broadsheet_store::LibraryItem;
use serde::Deserialize;
use serde_json::{Value, json};

fn item_json(app: &AppState, item: &LibraryItem) -> Value {
    let mut value = media_json(&app.site(), &item.media, &item.variants);
    value["created_at"] = jiff::Timestamp::from_microsecond(item.created_at)
        .map(|t| json!(t.to_string()))
        .unwrap_or(Value::Null);
    value
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// `GET /api/v1/media`
pub async fn list(
    State(app): State<AppState>,
    _: Caller,
    QueryParams(query): QueryParams<MediaQuery>,
) -> ApiResult {
    let wanted = limit(query.limit.as_deref())?;
    let cursors = Cursors::load(&app.store).await?;
    let after = cursors
        .resume(query.cursor.as_deref(), "media", "", pair)
        .map_err(|e| bad_cursor(&e.to_string()))?
        .map(|(at, id)| (at, MediaId(id)));
    let mut items = app.store.library_page(None, after, wanted + 1).await?;
    let next = cursors.page(&mut items, wanted, "media", "", |last| {
        vec![last.created_at.to_string(), last.media.id.0.to_string()]
    });
    Ok(private(
        Json(json!({
            "media": items.iter().map(|i| item_json(&app, i)).collect::<Vec<_>>(),
            "next_cursor": next,
        }))
        .into_response(),
    ))
}

/// `GET /api/v1/media/{id}`
pub async fn show(State(app): State<AppState>, _: Caller, Path(id): Path<String>) -> ApiResult {
    let missing = || ApiError::not_found(format!("there is no image '{id}'"));
    let media = id.parse::<i64>().map(MediaId).map_err(|_| missing())?;
    let item = app.store.library_item(media).await?.ok_or_else(missing)?;
    Ok(private(Json(item_json(&app, &item)).into_response()))
}

/// `POST /api/v1/media`: a multipart upload with `file`, `caption`, `alt` and an optional
/// `credit`, by the token's admin.
pub async fn upload(
    State(app): State<AppState>,
    caller: Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult {
    let multipart = multipart.map_err(|rejection| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_upload",
            format!(
                "Send the upload as multipart/form-data with a `file` part: {}",
                rejection.body_text()
            ),
        )
    })?;
    let (file, words) =
        crate::web::newsroom::media::read_form(multipart, app.config.media_max_bytes)
            .await
            .map_err(|e| match e {
                WebError::BadRequest(message) => {
                    ApiError::new(StatusCode::BAD_REQUEST, "invalid_upload", message)
                }
                other => ApiError::from(other).with_field("file"),
            })?;
    if file.is_empty() {
        return Err(ApiError::field(
            "file",
            "The upload has no `file` part, or it is empty.",
        ));
    }
    let media = match uploads::upload(&app, caller.user.id, file, &words).await {
        Ok(media) => media,
        Err(UploadError::Invalid { field, message }) => {
            return Err(ApiError::field(field, message));
        }
        Err(refusal @ UploadError::Image(_)) => {
            let (status, code) = if refusal.is_too_large() {
                (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
            } else {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_file")
            };
            return Err(ApiError::new(status, code, refusal.to_string()).with_field("file"));
        }
        Err(UploadError::Failed(detail)) => return Err(ApiError::internal(detail)),
    };
    let item = app
        .store
        .library_item(media.id)
        .await?
        .ok_or_else(|| ApiError::internal("an upload just recorded is missing"))?;
    let mut response = (StatusCode::CREATED, Json(item_json(&app, &item))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/media/{}", media.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(private(response))
}
