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
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(WebError::BadRequest(format!(
                "The form could not be read: {}",
                rejection.body_text()
            ))),
        }
    }
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
