//! Small pieces every form handler uses: a form extractor whose refusal names the problem,
//! safe return addresses, and the responses forms answer with.

use crate::web::error::WebError;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// `axum::Form`, refusing a malformed body with a sentence inside the site's chrome.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Form<T>, WebError> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                WebError::PayloadTooLarge(format!(
                    "The form is larger than {} KB, so it was not accepted.",
                    MAX_FORM_BYTES / 1024
                ))
            })?;
        check_utf8(&bytes)?;
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(WebError::BadRequest(format!(
                "The form could not be read: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// URL-encoded forms on this site are small; a larger one is refused before it is parsed.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// A URL-encoded body, refused when larger than a form of this site can be.
pub async fn read_form(body: axum::body::Body) -> Result<axum::body::Bytes, WebError> {
    axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            WebError::PayloadTooLarge(format!(
                "The form is larger than {} KB, so it was not accepted.",
                MAX_FORM_BYTES / 1024
            ))
        })
}

/// The standard decoder replaces bytes that are not UTF-8 with U+FFFD, which would store
/// something the writer never typed; such a form is refused instead, naming the field.
fn check_utf8(body: &[u8]) -> Result<(), WebError> {
    for pair in body.split(|&b| b == b'&') {
        let mut halves = pair.splitn(2, |&b| b == b'=');
        let key = halves.next().unwrap_or_default();
        let value = halves.next().unwrap_or_default();
        let decode = |part: &[u8]| {
            let spaced: Vec<u8> = part
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect();
            percent_encoding::percent_decode(&spaced)
                .decode_utf8()
                .map(|s| s.into_owned())
        };
        let name = decode(key).unwrap_or_else(|_| "?".into());
        if decode(key).is_err() || decode(value).is_err() {
            return Err(WebError::BadRequest(format!(
                "The form could not be read: the field '{name}' is not valid UTF-8 text."
            )));
        }
    }
    Ok(())
}

/// A path on this site to return to after a form, or `None` for anything that could lead
/// elsewhere (`//host`, `/\host`, a scheme, control characters).
pub fn local_path(candidate: Option<&str>) -> Option<String> {
    let path = candidate?.trim();
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\');
    ok.then(|| path.to_string())
}

/// 303 See Other: where a successful form sends the browser, optionally setting a cookie.
pub fn see_other(location: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_string())],
    )
        .into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// A page made for one visitor (it holds their CSRF token or their details): never stored
/// by any cache, and setting the session cookie when one was just made.
pub fn personal(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Render a template with a status other than 200 (a form shown again with its problem).
pub fn with_status(status: StatusCode, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.status = status;
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(local_path(Some("/news/1")), Some("/news/1".into()));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "news",
            "/a\r\nb",
        ] {
            assert_eq!(local_path(Some(bad)), None, "{bad}");
        }
        assert_eq!(local_path(None), None);
    }
}
