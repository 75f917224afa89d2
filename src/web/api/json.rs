//! Reading request bodies and query strings, refusing what cannot be read with an API error
//! that names the problem (axum's own rejections are plain text).
//!
//! - A body must be `application/json` (415 otherwise) and at most [`MAX_BODY_BYTES`] (413).
//! - JSON that does not parse is 400 `invalid_json` with where it broke; JSON of the wrong
//!   shape (a missing or unknown field, a string where a number belongs) is 422
//!   `invalid_field` naming the field.
//! - An empty body reads as `{}` where the route allows one (`publish`, `unpublish`).

use super::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// Stories are text; a megabyte is far more than the longest one.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON body.
pub struct JsonBody<T>(pub T);

/// A JSON body that may be empty (then `T::default()`).
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody<T>, ApiError> {
        let bytes = read(request, state, false).await?;
        parse(&bytes).map(JsonBody)
    }
}

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<OptionalJsonBody<T>, ApiError> {
        let bytes = read(request, state, true).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJsonBody(T::default()));
        }
        parse(&bytes).map(OptionalJsonBody)
    }
}

async fn read<S: Send + Sync>(
    request: Request,
    state: &S,
    may_be_empty: bool,
) -> Result<Bytes, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_json = content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim() == "application/json");
    let declared_empty = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v == "0");
    if !is_json && !(may_be_empty && (content_type.is_empty() || declared_empty)) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as JSON, with `Content-Type: application/json`.",
        ));
    }
    let body = axum::body::Body::from_request(request, state)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "The body could not be read.",
            )
        })?;
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "The body is larger than {} KB, so it was not read.",
                    MAX_BODY_BYTES / 1024
                ),
            )
        })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        use serde_json::error::Category;
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            Category::Data => {
                let message = inner.to_string();
                // A missing or unknown field is reported at its parent; name the field.
                let field = match field_named(&message) {
                    Some(name) if path == "." => name,
                    Some(name) if !path.ends_with(&name) => format!("{path}.{name}"),
                    _ => path,
                };
                ApiError::field(&field, format!("The body does not fit: {message}."))
            }
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("The body is not valid JSON: {inner}."),
            ),
        }
    })
}

/// The field serde's message is about: `missing field `headline``, `unknown field `x``.
fn field_named(message: &str) -> Option<String> {
    let start = message.find("field `")? + "field `".len();
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_string())
}

/// A query string, refused as 400 `invalid_parameter` when it does not fit (an unknown
/// parameter, say: a misspelt filter must not quietly list everything).
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<QueryParams<T>, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded_like(query).map(QueryParams)
    }
}

fn serde_urlencoded_like<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(&format!("/?{query}").parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "The query string cannot be read.",
        )
    })?)
    .map(|axum::extract::Query(value)| value)
    .map_err(|rejection| {
        let message = rejection.body_text();
        let field = field_named(&message).unwrap_or_else(|| "query".to_string());
        ApiError::parameter(&field, message)
    })
}

#[cfg(test)]
mod tests {
    use super::field_named;

    #[test]
    fn the_field_is_found_in_serdes_words() {
        assert_eq!(
            field_named("missing field `headline` at line 1 column 2").as_deref(),
            Some("headline")
        );
        assert_eq!(
            field_named("unknown field `headine`, expected one of `headline`").as_deref(),
            Some("headine")
        );
        assert_eq!(field_named("invalid type: string"), None);
    }
}
