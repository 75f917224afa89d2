//! A story's history in the newsroom: two revisions compared line by line, an old
//! revision's words restored as a new one, and corrections appended to a published story.

use super::pages::DiffTemplate;
use super::require_staff;
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::newsroom;
use crate::web::error::WebError;
use crate::web::forms::{Form, personal, see_other};
use crate::web::views::Chrome;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use broadsheet_domain::StoryId;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    pub from: i64,
    pub to: i64,
}

/// The difference between two revisions of a story's words.
pub async fn diff(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let story = StoryId(id);
    let old = app
        .store
        .revision_input(story, query.from)
        .await?
        .ok_or(WebError::NotFound)?;
    let new = app
        .store
        .revision_input(story, query.to)
        .await?
        .ok_or(WebError::NotFound)?;
    let template = DiffTemplate {
        chrome: Chrome::new(&app.site(), &app.sections(), "Newsroom: revisions", None),
        id,
        from: query.from,
        to: query.to,
        headline_changed: old.headline != new.headline,
        old_headline: old.headline.clone(),
        new_headline: new.headline.clone(),
        lines: newsroom::diff_lines(&old.body, &new.body),
        editor: signed_in.user.role.can_moderate(),
        csrf: signed_in.session.csrf().to_string(),
    };
    Ok(personal(crate::web::render(&template)?, None))
}

#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    pub revision: i64,
}

pub async fn restore(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RestoreForm>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    newsroom::restore(&app, &signed_in.user, StoryId(id), form.revision).await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}?saved=restored"),
        None,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CorrectionForm {
    pub text: String,
}

pub async fn correct(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    if !signed_in.user.role.can_moderate() {
        return Err(WebError::Forbidden("Only editors add corrections.".into()));
    }
    app.store
        .add_correction(StoryId(id), &form.text, Some(signed_in.user.id))
        .await?;
    Ok(see_other(
        &format!("/newsroom/stories/{id}?saved=corrected"),
        None,
    ))
}
