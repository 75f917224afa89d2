//! What a story carries besides its words: the lead photo, the gallery's photos and the
//! inline related story. The editor shows them (`attachments`), a save checks them
//! (`check_attachments`), and the preview renders the body around the related box (`preview`)
//! with the site's own renderer, so what the writer previews is what readers will get.
//!
//! The rules a save must meet, each refused with a sentence that names the photo or story:
//! - every photo exists in the library and has a caption and alt text (uploads always have
//!   them; imported photos may lack a caption);
//! - a photo is in the gallery once;
//! - the related story is another, published story, and its box stands after a paragraph
//!   that has another paragraph after it.

use crate::app::AppState;
use crate::render;
use crate::web::error::WebError;
use broadsheet_domain::{Media, MediaId, MediaVariant, StoryCard, StoryInput};
use std::collections::HashMap;

/// The photos and related story of a story being edited, as far as they exist.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    pub lead: Option<Media>,
    /// In the gallery's order; photos that do not exist are left out.
    pub gallery: Vec<Media>,
    /// Resized copies of the lead and gallery photos, for `<picture>`.
    pub variants: HashMap<MediaId, Vec<MediaVariant>>,
    /// Set only when the related story is published.
    pub related: Option<StoryCard>,
}

/// Load what `input` points at; what is missing is simply absent (the check says so).
pub async fn attachments(app: &AppState, input: &StoryInput) -> Result<Attachments, WebError> {
    let lead = match input.lead_media {
        Some(id) => app.store.media(id).await?,
        None => None,
    };
    let mut gallery = Vec::with_capacity(input.gallery.len());
    for id in &input.gallery {
        if let Some(media) = app.store.media(*id).await? {
            gallery.push(media);
        }
    }
    let ids: Vec<MediaId> = lead.iter().chain(&gallery).map(|m| m.id).collect();
    let variants = app.store.media_variants(&ids).await?;
    let related = match input.related_story_id {
        Some(id) => app.store.cards(&[id]).await?.into_iter().next(),
        None => None,
    };
    Ok(Attachments {
        lead,
        gallery,
        variants,
        related,
    })
}

/// A photo's words, as the rule for every published photo needs them.
fn photo_problem(media: &Media, role: &str) -> Option<String> {
    let missing = match (media.caption.trim().is_empty(), media.alt.trim().is_empty()) {
        (true, true) => "a caption and alt text",
        (true, false) => "a caption",
        (false, true) => "alt text",
        (false, false) => return None,
    };
    Some(format!(
        "The {role} (photo {}) lacks {missing}: every photo is published with a caption and \
         alt text. Choose another photo, or upload this one again with them.",
        media.id
    ))
}

/// Refuse a story whose photos or related story break the rules above.
pub async fn check_attachments(app: &AppState, input: &StoryInput) -> Result<(), WebError> {
    let found = attachments(app, input).await?;
    if let Some(id) = input.lead_media {
        let media = found.lead.as_ref().ok_or_else(|| {
            WebError::BadRequest(format!(
                "There is no photo {id} in the media library; choose the lead photo again."
            ))
        })?;
        if let Some(problem) = photo_problem(media, "lead photo") {
            return Err(WebError::BadRequest(problem));
        }
    }
    for (n, id) in input.gallery.iter().enumerate() {
        if input.gallery[..n].contains(id) {
            return Err(WebError::BadRequest(format!(
                "Photo {id} is in the gallery twice; remove one of them."
            )));
        }
        let media = found.gallery.iter().find(|m| m.id == *id).ok_or_else(|| {
            WebError::BadRequest(format!(
                "There is no photo {id} in the media library; remove it from the gallery."
            ))
        })?;
        if let Some(problem) = photo_problem(media, &format!("gallery's photo {}", n + 1)) {
            return Err(WebError::BadRequest(problem));
        }
    }
    if let Some(id) = input.related_story_id {
        if found.related.is_none() {
            return Err(WebError::BadRequest(format!(
                "Story {id} is not a published story, so it cannot stand in the Related \
                 Article box; find another."
            )));
        }
        let after = input.related_after.ok_or_else(|| {
            WebError::BadRequest("Say after which paragraph the Related Article box stands.".into())
        })?;
        if !render::markdown_split(&input.body, after as usize).split {
            return Err(WebError::BadRequest(format!(
                "The Related Article box stands between two paragraphs, and the body has no \
                 paragraph after paragraph {after}; choose an earlier one."
            )));
        }
    }
    Ok(())
}

/// The body as readers will see it, in two parts around the related box when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub before: String,
    pub after: String,
    /// Whether the related box stands between the two parts.
    pub split: bool,
}

pub fn preview(input: &StoryInput) -> Preview {
    match (input.related_story_id, input.related_after) {
        (Some(_), Some(after)) => {
            let split = render::markdown_split(&input.body, after as usize);
            Preview {
                before: split.before,
                after: split.after,
                split: split.split,
            }
        }
        _ => Preview {
            before: render::markdown(&input.body),
            after: String::new(),
            split: false,
        },
    }
}
