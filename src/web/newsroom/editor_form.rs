//! Reading the story editor's form.
//!
//! The form is `multipart/form-data`, because it can carry a photo to upload as the lead,
//! and its CSRF token travels in the action's query; the same fields sent URL-encoded (no
//! file) are read alike. The whole state of an edit lives in the form (the chosen photos
//! and related story in hidden fields), so the buttons that arrange it (pickers, moving
//! gallery photos, the preview) re-show the form without saving anything and without
//! JavaScript. Text fields together may hold [`MAX_FORM_BYTES`], like any form of the site,
//! and must be UTF-8: the form is refused rather than storing characters nobody typed.

use crate::services::newsroom::Action;
use crate::services::uploads::UploadWords;
use crate::web::error::WebError;
use crate::web::forms::{Form, MAX_FORM_BYTES};
use crate::web::newsroom::media::unreadable;
use axum::extract::multipart::Multipart;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::header;
use broadsheet_domain::{
    MediaId, SectionId, SourceInput, SourceKind, StoryId, StoryInput, StoryKind,
};

/// The story editor's fields, in the order sent, and the photo file if one was chosen.
#[derive(Debug, Default)]
pub struct EditorFields {
    pairs: Vec<(String, String)>,
    pub file: Option<Vec<u8>>,
}

impl<S> FromRequest<S> for EditorFields
where
    S: Send + Sync,
    crate::app::AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<EditorFields, WebError> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, state).await?;
            return Ok(EditorFields { pairs, file: None });
        }
        let max = crate::app::AppState::from_ref(state).config.media_max_bytes;
        let mut body = Multipart::from_request(request, state).await.map_err(|e| {
            WebError::BadRequest(format!("The form could not be read: {}", e.body_text()))
        })?;
        let mut fields = EditorFields::default();
        let mut text_bytes = 0usize;
        while let Some(field) = body.next_field().await.map_err(|e| unreadable(e, max))? {
            let name = field.name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|e| unreadable(e, max))?;
            if name == "lead_file" {
                // A file input left empty still sends a part, with no bytes.
                fields.file = Some(bytes.to_vec()).filter(|b| !b.is_empty());
                continue;
            }
            text_bytes += bytes.len();
            if text_bytes > MAX_FORM_BYTES {
                return Err(WebError::PayloadTooLarge(format!(
                    "The form's text is larger than {} KB, so it was not accepted.",
                    MAX_FORM_BYTES / 1024
                )));
            }
            let value = String::from_utf8(bytes.to_vec()).map_err(|_| {
                WebError::BadRequest(format!(
                    "The form could not be read: the field '{name}' is not valid UTF-8 text."
                ))
            })?;
            fields.pairs.push((name, value));
        }
        Ok(fields)
    }
}

impl EditorFields {
    /// The first value of a field, or "" when it was not sent.
    pub fn one(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of a repeated field, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// What was typed beside the photo file.
    pub fn upload_words(&self) -> UploadWords {
        UploadWords {
            caption: self.one("lead_caption").to_string(),
            credit: self.one("lead_credit").to_string(),
            alt: self.one("lead_alt").to_string(),
        }
    }
}

/// What the pressed button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A save, with whatever it does to the story's state.
    Save(Action),
    Preview,
    FindPhotos,
    FindRelated,
    UploadLead,
    AddByline,
    Lead(MediaId),
    LeadClear,
    GalleryAdd(MediaId),
    GalleryRemove(MediaId),
    GalleryUp(MediaId),
    GalleryDown(MediaId),
    Related(StoryId),
    RelatedClear,
}

impl Step {
    pub fn parse(text: &str) -> Option<Step> {
        if let Some(action) = Action::parse(text) {
            return Some(Step::Save(action));
        }
        let simple = match text {
            "preview" => Some(Step::Preview),
            "find_photos" => Some(Step::FindPhotos),
            "find_related" => Some(Step::FindRelated),
            "upload_lead" => Some(Step::UploadLead),
            "add_byline" => Some(Step::AddByline),
            "lead_clear" => Some(Step::LeadClear),
            "related_clear" => Some(Step::RelatedClear),
            _ => None,
        };
        if simple.is_some() {
            return simple;
        }
        let (name, id) = text.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|n| *n > 0)?;
        Some(match name {
            "lead" => Step::Lead(MediaId(id)),
            "gallery_add" => Step::GalleryAdd(MediaId(id)),
            "gallery_remove" => Step::GalleryRemove(MediaId(id)),
            "gallery_up" => Step::GalleryUp(MediaId(id)),
            "gallery_down" => Step::GalleryDown(MediaId(id)),
            "related" => Step::Related(StoryId(id)),
            _ => return None,
        })
    }

    /// Whether the step writes the story.
    pub fn saves(self) -> bool {
        matches!(self, Step::Save(_))
    }
}

/// Where the related box stands when a writer picks a story without saying.
const DEFAULT_RELATED_AFTER: u32 = 2;

fn id_of(text: &str, what: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| format!("The {what} '{text}' is not a number the newsroom gave out."))
}

/// The form's fields written onto `input` (the story as it was opened, or a blank one).
/// Every field is read; the first one that cannot be is named in the `Err`, and `input`
/// still holds everything that could be read, to show the form again.
pub fn read_input(fields: &EditorFields, input: &mut StoryInput) -> Result<(), String> {
    let mut problem: Option<String> = None;
    let mut note = |p: String| {
        problem.get_or_insert(p);
    };
    input.headline = fields.one("headline").to_string();
    input.deck = Some(fields.one("deck").trim().to_string()).filter(|d| !d.is_empty());
    input.body = fields.one("body").replace("\r\n", "\n");
    match id_of(fields.one("section"), "section") {
        Ok(Some(id)) => input.section_id = SectionId(id),
        Ok(None) => note("Choose the story's section.".into()),
        Err(p) => note(p),
    }
    match fields.one("kind") {
        "" => {}
        kind => match StoryKind::parse(kind) {
            Some(kind) => input.kind = kind,
            None => note(format!(
                "'{kind}' is not a kind of story: article or gallery."
            )),
        },
    }
    input.language = fields.one("language").trim().to_string();
    input.tags = fields
        .one("tags")
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let names = fields.all("source_name");
    let kinds = fields.all("source_kind");
    input.sources.clear();
    for (n, name) in names.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let kind = kinds.get(n).copied().unwrap_or("staff");
        match SourceKind::parse(kind) {
            Some(kind) => input.sources.push(SourceInput {
                name: name.to_string(),
                kind,
            }),
            None => note(format!(
                "'{kind}' is not a way to credit {name}: staff writer or wire service."
            )),
        }
    }
    match id_of(fields.one("lead"), "lead photo") {
        Ok(id) => input.lead_media = id.map(MediaId),
        Err(p) => note(p),
    }
    input.gallery.clear();
    for text in fields.all("gallery") {
        match id_of(text, "gallery photo") {
            Ok(Some(id)) => input.gallery.push(MediaId(id)),
            Ok(None) => {}
            Err(p) => note(p),
        }
    }
    match id_of(fields.one("related"), "related story") {
        Ok(id) => input.related_story_id = id.map(StoryId),
        Err(p) => note(p),
    }
    let after = fields.one("related_after").trim();
    input.related_after = None;
    if input.related_story_id.is_some() && !after.is_empty() {
        match after.parse::<u32>().ok().filter(|n| *n >= 1) {
            Some(n) => input.related_after = Some(n),
            None => note(format!(
                "The Related Article box stands after a paragraph: give its number (1, 2, ...), \
                 not '{after}'."
            )),
        }
    }
    match problem {
        Some(p) => Err(p),
        None => Ok(()),
    }
}

/// Rearrange the story's photos or related story as the step asks, returning what to tell
/// the writer. Steps that do not rearrange anything return `None`.
pub fn arrange(step: Step, input: &mut StoryInput) -> Option<String> {
    let gallery = &mut input.gallery;
    let at = |gallery: &[MediaId], id: MediaId| gallery.iter().position(|m| *m == id);
    let done = match step {
        Step::Lead(id) => {
            input.lead_media = Some(id);
            "The photo is the lead now."
        }
        Step::LeadClear => {
            input.lead_media = None;
            "The lead photo is removed."
        }
        Step::GalleryAdd(id) if gallery.contains(&id) => "That photo is in the gallery already.",
        Step::GalleryAdd(id) => {
            gallery.push(id);
            "The photo is added at the end of the gallery."
        }
        Step::GalleryRemove(id) => {
            gallery.retain(|m| *m != id);
            "The photo is out of the gallery."
        }
        Step::GalleryUp(id) => {
            if let Some(n) = at(gallery, id).filter(|n| *n > 0) {
                gallery.swap(n, n - 1);
            }
            "The photo moved up."
        }
        Step::GalleryDown(id) => {
            if let Some(n) = at(gallery, id).filter(|n| n + 1 < gallery.len()) {
                gallery.swap(n, n + 1);
            }
            "The photo moved down."
        }
        Step::Related(id) => {
            input.related_story_id = Some(id);
            input.related_after = input.related_after.or(Some(DEFAULT_RELATED_AFTER));
            "The story is in the Related Article box."
        }
        Step::RelatedClear => {
            input.related_story_id = None;
            input.related_after = None;
            "The Related Article box is removed."
        }
        _ => return None,
    };
    Some(format!("{done} Nothing is saved until you press Save."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input_with_gallery(ids: &[i64]) -> StoryInput {
        let mut input: StoryInput = serde_json::from_value(serde_json::json!({
            "external_id": null, "kind": "gallery", "status": "draft", "headline": "h",
            "deck": null, "body": "", "section_id": 1, "language": "en", "tags": [],
            "sources": [], "lead_media": null, "gallery": [], "related_story_id": null,
            "related_after": null, "published_at": null, "updated_at": null, "link_refs": []
        }))
        .unwrap();
        input.gallery = ids.iter().copied().map(MediaId).collect();
        input
    }

    #[test]
    fn buttons_name_their_steps() {
        assert_eq!(Step::parse("save"), Some(Step::Save(Action::Save)));
        assert_eq!(
            Step::parse("gallery_up:7"),
            Some(Step::GalleryUp(MediaId(7)))
        );
        assert_eq!(Step::parse("related:3"), Some(Step::Related(StoryId(3))));
        for bad in [
            "",
            "gallery_up:",
            "gallery_up:x",
            "lead:-1",
            "explode:1",
            "delete",
        ] {
            assert_eq!(Step::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn gallery_photos_move_and_stay_at_the_ends() {
        let mut input = input_with_gallery(&[1, 2, 3]);
        arrange(Step::GalleryUp(MediaId(3)), &mut input);
        assert_eq!(input.gallery, [MediaId(1), MediaId(3), MediaId(2)]);
        arrange(Step::GalleryUp(MediaId(1)), &mut input);
        arrange(Step::GalleryDown(MediaId(2)), &mut input);
        assert_eq!(input.gallery, [MediaId(1), MediaId(3), MediaId(2)]);
        arrange(Step::GalleryRemove(MediaId(3)), &mut input);
        arrange(Step::GalleryAdd(MediaId(1)), &mut input);
        arrange(Step::GalleryAdd(MediaId(9)), &mut input);
        assert_eq!(input.gallery, [MediaId(1), MediaId(2), MediaId(9)]);
    }
}
