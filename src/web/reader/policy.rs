use crate::app::AppState;
use crate::render;
use crate::web::cache::SurrogateKeys;
use crate::web::error::WebError;
use crate::web::router::COMMENT_POLICY_PATH;
use crate::web::templates::PolicyTemplate;
use crate::web::views::Chrome;
use axum::extract::State;
use axum::response::Response;

pub async fn show(State(app): State<AppState>) -> Result<Response, WebError> {
    let site = app.site();
    let chrome = Chrome::new(&site, &app.sections(), "Comment policy", None)
        .with_canonical(&site, COMMENT_POLICY_PATH);
    let response = crate::web::render(&PolicyTemplate {
        chrome,
        body: render::markdown(&site.comment_policy),
    })?;
    Ok(SurrogateKeys::new(["settings".to_string()]).on(response))
}
