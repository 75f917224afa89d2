//! The story editor: a new story, an existing one, and the one form that does everything
//! to it. Saving buttons go through `services::newsroom`; the others (preview, the photo and
//! related-story pickers, gallery order, another byline row, uploading a lead photo) show
//! the form again with the change made and the story unsaved. A refusal shows the form
//! again with the problem named and everything the writer typed.

use super::editor_form::{EditorFields, Step, arrange, read_input};
use super::media::{sentence, thumbnail};
use super::pages::{
    BylineRow, Choice, EditorTemplate, PhotoView, PreviewView, RelatedView, SubmissionView,
};
use super::{require_staff, section_options};
use crate::app::AppState;
use crate::auth::session::SignedIn;
use crate::services::newsroom::{self, Action, Attachments};
use crate::services::uploads::{self, UploadError, UploadWords};
use crate::web::error::WebError;
use crate::web::forms::{personal, see_other, with_status};
use crate::web::views::{ARTICLE_PHOTO_SIZES, Chrome, FigureView, TimeView, story_href};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use broadsheet_domain::{
    Media, MediaVariant, StoryCard, StoryId, StoryInput, StoryKind, StoryStatus,
};
use broadsheet_store::{DeskFilter, LibraryItem};
use serde::Deserialize;

/// How many photos or stories a picker offers at once.
const PICKS: i64 = 24;

/// The story the form edits, as it was opened.
#[derive(Debug, Clone, Copy)]
struct Opened {
    id: Option<StoryId>,
    status: StoryStatus,
    revision: i64,
}

/// What the editor page shows besides the story's fields.
#[derive(Debug, Default)]
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    publish_at: String,
    note: String,
    preview: bool,
    photo_q: String,
    photo_results: Option<Vec<LibraryItem>>,
    related_q: String,
    related_results: Option<Vec<StoryCard>>,
    upload: UploadWords,
    /// The related story's id as the form sent it.
    related_field: Option<String>,
    /// Rows for more bylines than the story has, for the writer to fill in.
    blank_bylines: usize,
}

fn photo_view(media: &Media, variants: &[MediaVariant]) -> PhotoView {
    let (thumb, thumb_width, thumb_height) = thumbnail(media, variants);
    PhotoView {
        id: media.id.0,
        thumb,
        thumb_width,
        thumb_height,
        caption: media.caption.clone(),
        credit: media.credit.clone(),
        alt: media.alt.clone(),
        missing: false,
    }
}

/// A photo the form names but the library does not have, shown so it can be removed.
fn missing_photo(id: broadsheet_domain::MediaId) -> PhotoView {
    PhotoView {
        id: id.0,
        thumb: String::new(),
        thumb_width: 0,
        thumb_height: 0,
        caption: format!("Photo {id} is not in the media library."),
        credit: None,
        alt: String::new(),
        missing: true,
    }
}

fn related_view(app: &AppState, card: &StoryCard) -> RelatedView {
    let site = app.site();
    RelatedView {
        id: card.id.0,
        headline: card.headline.clone(),
        href: story_href(
            &site,
            &app.sections(),
            card.section_id,
            card.published_at,
            &card.slug,
            card.id.0,
        ),
        time: TimeView::new(&site, card.published_at),
    }
}

fn preview_view(app: &AppState, input: &StoryInput, found: &Attachments) -> PreviewView {
    let figure = |media: &Media| {
        let variants = found
            .variants
            .get(&media.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        FigureView::with_variants(media, variants, ARTICLE_PHOTO_SIZES)
    };
    let body = newsroom::preview(input);
    PreviewView {
        headline: input.headline.clone(),
        deck: input.deck.clone(),
        lang: input.language.clone(),
        lead: found.lead.as_ref().map(figure),
        body_before: body.before,
        inline_related: found
            .related
            .as_ref()
            .filter(|_| body.split)
            .map(|card| related_view(app, card)),
        body_after: body.after,
        gallery: found.gallery.iter().map(figure).collect(),
        sources: input.sources.iter().map(|s| s.name.clone()).collect(),
    }
}

async fn render_editor(
    app: &AppState,
    signed_in: &SignedIn,
    opened: Opened,
    input: &StoryInput,
    shown: Shown,
    code: StatusCode,
) -> Result<Response, WebError> {
    let site = app.site();
    let tree = app.sections();
    let editor = signed_in.user.role.can_moderate();
    let revisions = match opened.id {
        Some(id) => app
            .store
            .revisions(id)
            .await?
            .into_iter()
            .map(|r| {
                (
                    r.revision,
                    r.status.as_str(),
                    TimeView::new(&site, r.saved_at),
                    r.author,
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let submission = match opened.id {
        Some(id) => app.store.submission(id).await?,
        None => None,
    };
    let locked = match (editor, opened.status, &submission) {
        (true, _, _) => None,
        (false, StoryStatus::Draft, None) => None,
        (false, StoryStatus::Draft, Some(_)) => Some(
            "This draft is with the editors; you can change it again once an editor sends it \
             back."
                .to_string(),
        ),
        (false, _, _) => Some("This story is past draft: only an editor changes it now.".into()),
    };
    let live_href = match (opened.id, opened.status, input.published_at) {
        (Some(id), StoryStatus::Published, Some(at)) => {
            let slug = broadsheet_domain::slug::slugify(&input.headline);
            Some(story_href(&site, &tree, input.section_id, at, &slug, id.0))
        }
        _ => None,
    };
    let found = newsroom::attachments(app, input).await?;
    let variants_of = |media: &Media| {
        found
            .variants
            .get(&media.id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    };
    let mut bylines: Vec<BylineRow> = input
        .sources
        .iter()
        .map(|s| BylineRow {
            name: s.name.clone(),
            wire: s.kind == broadsheet_domain::SourceKind::Wire,
        })
        .collect();
    for _ in 0..=shown.blank_bylines {
        bylines.push(BylineRow {
            name: String::new(),
            wire: false,
        });
    }
    let path = match opened.id {
        Some(id) => format!("/newsroom/stories/{id}"),
        None => "/newsroom/stories".into(),
    };
    let csrf = signed_in.session.csrf().to_string();
    let template = EditorTemplate {
        chrome: Chrome::new(&site, &tree, "Newsroom: story", None),
        id: opened.id.map(|i| i.0),
        status: opened.status.as_str(),
        action: format!(
            "{path}?csrf={}",
            percent_encoding::utf8_percent_encode(&csrf, percent_encoding::NON_ALPHANUMERIC)
        ),
        csrf,
        revision: opened.revision,
        input: input.clone(),
        deck: input.deck.clone().unwrap_or_default(),
        tags: input.tags.join(", "),
        known_tags: app.store.popular_tags(200).await?,
        known_sources: app
            .store
            .all_sources()
            .await?
            .into_iter()
            .map(|s| s.name)
            .collect(),
        publish_at: shown.publish_at,
        sections: section_options(app, Some(input.section_id)),
        kinds: [StoryKind::Article, StoryKind::Gallery]
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: k.as_str().into(),
                selected: *k == input.kind,
            })
            .collect(),
        bylines,
        editor,
        locked,
        submission: submission.map(|s| SubmissionView {
            by: s.by,
            at: TimeView::new(&site, s.at),
            note: s.note,
        }),
        note: shown.note,
        notice: shown.notice,
        error: shown.error,
        live_href,
        preview: shown.preview.then(|| preview_view(app, input, &found)),
        lead: match (&found.lead, input.lead_media) {
            (Some(m), _) => Some(photo_view(m, variants_of(m))),
            (None, Some(id)) => Some(missing_photo(id)),
            (None, None) => None,
        },
        gallery: input
            .gallery
            .iter()
            .map(|id| match found.gallery.iter().find(|m| m.id == *id) {
                Some(m) => photo_view(m, variants_of(m)),
                None => missing_photo(*id),
            })
            .collect(),
        related: found.related.as_ref().map(|card| related_view(app, card)),
        related_id: shown.related_field.unwrap_or_else(|| {
            input
                .related_story_id
                .map(|id| id.to_string())
                .unwrap_or_default()
        }),
        related_after: input
            .related_after
            .map(|n| n.to_string())
            .unwrap_or_default(),
        photo_q: shown.photo_q,
        photo_results: shown.photo_results.map(|items| {
            items
                .iter()
                .map(|item| photo_view(&item.media, &item.variants))
                .collect()
        }),
        related_q: shown.related_q,
        related_results: shown
            .related_results
            .map(|cards| cards.iter().map(|c| related_view(app, c)).collect()),
        upload_caption: shown.upload.caption,
        upload_credit: shown.upload.credit,
        upload_alt: shown.upload.alt,
        max_mb: app.config.media_max_bytes / (1024 * 1024),
        revisions,
    };
    Ok(personal(
        with_status(code, crate::web::render(&template)?),
        None,
    ))
}

pub async fn new_story(
    State(app): State<AppState>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let input = newsroom::blank(&app, first_section(&app)?);
    let opened = Opened {
        id: None,
        status: StoryStatus::Draft,
        revision: 0,
    };
    render_editor(
        &app,
        &signed_in,
        opened,
        &input,
        Shown::default(),
        StatusCode::OK,
    )
    .await
}

fn first_section(app: &AppState) -> Result<broadsheet_domain::SectionId, WebError> {
    app.sections()
        .top_level()
        .first()
        .map(|s| s.id)
        .ok_or_else(|| {
            WebError::BadRequest("The paper has no sections yet; make one first.".into())
        })
}

#[derive(Debug, Deserialize)]
pub struct EditorQuery {
    pub saved: Option<String>,
}

pub async fn edit(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<EditorQuery>,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let (input, revision, status) = newsroom::editable(&app, StoryId(id)).await?;
    let notice = query.saved.map(|what| {
        match what.as_str() {
            "published" => "Published.",
            "scheduled" => "Scheduled.",
            "unpublished" => "Unpublished: readers now get a page saying it was withdrawn.",
            "restored" => "The old revision's words are back, as a new revision.",
            "corrected" => "The correction is on the story.",
            "submitted" => "Submitted: the draft is with the editors now.",
            "sent_back" => "Sent back: the writer can change the draft again.",
            _ => "Saved.",
        }
        .to_string()
    });
    let publish_at = match (status, input.published_at) {
        (StoryStatus::Scheduled, Some(at)) => app.site().zone.iso(at),
        _ => String::new(),
    };
    let opened = Opened {
        id: Some(StoryId(id)),
        status,
        revision,
    };
    let shown = Shown {
        notice,
        publish_at,
        ..Shown::default()
    };
    render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await
}

pub async fn create(
    State(app): State<AppState>,
    signed_in: SignedIn,
    fields: EditorFields,
) -> Result<Response, WebError> {
    submit(app, signed_in, None, fields).await
}

pub async fn update(
    State(app): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    fields: EditorFields,
) -> Result<Response, WebError> {
    submit(app, signed_in, Some(StoryId(id)), fields).await
}

async fn submit(
    app: AppState,
    signed_in: SignedIn,
    id: Option<StoryId>,
    fields: EditorFields,
) -> Result<Response, WebError> {
    require_staff(&signed_in)?;
    let (mut input, opened) = match id {
        Some(id) => {
            let (input, revision, status) = newsroom::editable(&app, id).await?;
            (
                input,
                Opened {
                    id: Some(id),
                    status,
                    revision,
                },
            )
        }
        None => (
            newsroom::blank(&app, first_section(&app)?),
            Opened {
                id: None,
                status: StoryStatus::Draft,
                revision: 0,
            },
        ),
    };
    // The form is shown again at the revision it was opened at, so a later save still
    // notices someone else's save in between.
    let opened = Opened {
        revision: match fields.one("revision").trim() {
            "" => opened.revision,
            text => text.parse().unwrap_or(opened.revision),
        },
        ..opened
    };
    let mut shown = Shown {
        publish_at: fields.one("publish_at").to_string(),
        note: fields.one("note").to_string(),
        photo_q: fields.one("photo_q").to_string(),
        related_q: fields.one("related_q").to_string(),
        upload: fields.upload_words(),
        blank_bylines: fields
            .all("source_name")
            .iter()
            .filter(|n| n.trim().is_empty())
            .count()
            .saturating_sub(1),
        ..Shown::default()
    };
    let refuse = |message: String, shown: Shown, code: StatusCode| {
        (
            Shown {
                error: Some(message),
                ..shown
            },
            code,
        )
    };
    let read = read_input(&fields, &mut input).and_then(|()| {
        if app.sections().get(input.section_id).is_none() {
            Err(format!(
                "There is no section {}; choose one from the list.",
                input.section_id
            ))
        } else {
            Ok(())
        }
    });
    let step_text = fields.one("action");
    let Some(step) = Step::parse(step_text) else {
        let (shown, code) = refuse(
            format!("'{step_text}' is not something the editor can do."),
            shown,
            StatusCode::BAD_REQUEST,
        );
        return render_editor(&app, &signed_in, opened, &input, shown, code).await;
    };
    if let Err(problem) = read {
        shown.related_field = Some(fields.one("related").to_string());
        let (shown, code) = refuse(problem, shown, StatusCode::BAD_REQUEST);
        return render_editor(&app, &signed_in, opened, &input, shown, code).await;
    }
    // A save that will be refused anyway must not leave an upload behind: its rights and
    // its words are checked before the photo is stored.
    if let Step::Save(action) = step {
        newsroom::may(&app, &signed_in.user, id, id.map(|_| opened.status), action).await?;
        if fields.file.is_some()
            && let Err(e) = input.validate()
        {
            let (shown, code) = refuse(e.to_string(), shown, StatusCode::BAD_REQUEST);
            return render_editor(&app, &signed_in, opened, &input, shown, code).await;
        }
    }
    // A chosen photo file is uploaded whichever button was pressed: a browser does not
    // keep the file in a form shown again, so it would otherwise be lost.
    if let Some(bytes) = fields.file {
        match uploads::upload(&app, signed_in.user.id, bytes, &shown.upload).await {
            Ok(media) => {
                input.lead_media = Some(media.id);
                shown.upload = UploadWords::default();
                shown.notice = Some(if step.saves() {
                    "The photo was uploaded to the library as the lead.".into()
                } else {
                    "The photo was uploaded to the library and is the lead now. Nothing else \
                     is saved until you press Save."
                        .into()
                });
            }
            Err(UploadError::Failed(message)) => return Err(WebError::Internal(message)),
            Err(refusal) => {
                let code = if refusal.is_too_large() {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::BAD_REQUEST
                };
                let message = format!(
                    "The photo was not uploaded, and nothing was saved: {}",
                    sentence(&refusal.to_string())
                );
                let (shown, code) = refuse(message, shown, code);
                return render_editor(&app, &signed_in, opened, &input, shown, code).await;
            }
        }
    } else if step == Step::UploadLead {
        let (shown, code) = refuse(
            "Choose a photo file to upload.".into(),
            shown,
            StatusCode::BAD_REQUEST,
        );
        return render_editor(&app, &signed_in, opened, &input, shown, code).await;
    }
    let action = match step {
        Step::Save(action) => action,
        Step::Preview => {
            shown.preview = true;
            shown.notice.get_or_insert_with(|| {
                "This is a preview: nothing is saved until you press Save.".into()
            });
            return render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await;
        }
        Step::FindPhotos => {
            let q = shown.photo_q.trim().to_string();
            shown.photo_results = Some(
                app.store
                    .library_matching(
                        Some(&q).filter(|q| !q.is_empty()).map(|q| q.as_str()),
                        PICKS,
                    )
                    .await?,
            );
            return render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await;
        }
        Step::FindRelated => {
            let q = shown.related_q.trim().to_string();
            let rows = app
                .store
                .desk(&DeskFilter {
                    status: Some(StoryStatus::Published),
                    headline: Some(q).filter(|q| !q.is_empty()),
                    limit: PICKS + 1,
                    ..DeskFilter::default()
                })
                .await?;
            let ids: Vec<StoryId> = rows
                .iter()
                .map(|r| r.id)
                .filter(|found| Some(*found) != opened.id)
                .take(PICKS as usize)
                .collect();
            let mut cards = app.store.cards(&ids).await?;
            cards.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
            shown.related_results = Some(cards);
            return render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await;
        }
        Step::AddByline => {
            shown.blank_bylines += 1;
            return render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await;
        }
        Step::UploadLead => {
            return render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await;
        }
        other => {
            if let Some(done) = arrange(other, &mut input) {
                shown.notice = Some(done);
            }
            return render_editor(&app, &signed_in, opened, &input, shown, StatusCode::OK).await;
        }
    };
    let publish_at = match shown.publish_at.trim() {
        "" => None,
        text => match parse_time(text) {
            Ok(at) => Some(at),
            Err(message) => {
                let (shown, code) = refuse(message, shown, StatusCode::BAD_REQUEST);
                return render_editor(&app, &signed_in, opened, &input, shown, code).await;
            }
        },
    };
    let request = newsroom::Edit {
        id,
        current: id.map(|_| opened.status),
        action,
        opened: id.map(|_| opened.revision),
        publish_at,
    };
    let note = shown.note.clone();
    match newsroom::save_with_note(&app, &signed_in.user, input.clone(), request, &note).await {
        Ok(saved) => {
            let what = match action {
                Action::Save => "saved",
                Action::Publish => "published",
                Action::Schedule => "scheduled",
                Action::Unpublish => "unpublished",
                Action::Submit => "submitted",
                Action::SendBack => "sent_back",
            };
            Ok(see_other(
                &format!("/newsroom/stories/{}?saved={what}", saved.id),
                None,
            ))
        }
        Err(WebError::Conflict(message)) => {
            let (shown, code) = refuse(message, shown, StatusCode::CONFLICT);
            render_editor(&app, &signed_in, opened, &input, shown, code).await
        }
        Err(WebError::BadRequest(message)) => {
            let (shown, code) = refuse(message, shown, StatusCode::BAD_REQUEST);
            render_editor(&app, &signed_in, opened, &input, shown, code).await
        }
        Err(other) => Err(other),
    }
}

fn parse_time(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse::<jiff::Timestamp>().map_err(|_| {
        format!("'{text}' is not a time with its offset, such as 2026-12-01T09:00+09:00")
    })
}
