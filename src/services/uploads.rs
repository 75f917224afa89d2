//! Uploads to the newsroom media library: check the words, clean and size the image, store
//! the files and record them.
//!
//! The rules:
//! - **Words first.** Alt text (for readers who cannot see the photo) and a caption are
//!   required, a credit is optional; they are checked before any pixel is decoded, so a
//!   missing alt text costs the uploader no wait. Limits match what the store accepts.
//! - **The image core decides about the file** ([`images::process`]): type by magic bytes,
//!   size and dimension limits, metadata stripped, variants made. It runs on the blocking
//!   pool, since decoding and encoding a large photo takes long enough to stall the async
//!   workers that serve every other request.
//! - **Files, then one transaction.** Every file is content-addressed (a hash of its cleaned
//!   bytes) and written through a temporary name and a rename, so no record ever points at
//!   half a file; the image, its uploader and its variants are then recorded in one
//!   transaction. If writing or recording fails, nothing is recorded and the files this
//!   upload created are removed. A file that already existed (the same image uploaded
//!   before) is left alone, because another record uses it.

use crate::app::App;
use crate::services::images::{self, ImageError, Limits, Processed};
use crate::services::media::MediaFiles;
use broadsheet_domain::{Media, MediaInput, MediaVariant, UserId};
use std::future::Future;

/// What the uploader typed beside the file.
#[derive(Debug, Clone, Default)]
pub struct UploadWords {
    pub caption: String,
    pub credit: String,
    pub alt: String,
}

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// A field the uploader must fix; the message is a sentence naming it.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The file was refused by the image core (its sentence is shown as is).
    #[error("{0}")]
    Image(ImageError),
    /// Our failure: the disk, the store, or an encoder.
    #[error("{0}")]
    Failed(String),
}

impl UploadError {
    /// Whether the refusal is about the file's size (413 rather than 400 over HTTP).
    pub fn is_too_large(&self) -> bool {
        matches!(self, UploadError::Image(ImageError::TooLarge { .. }))
    }
}

const ALT_MAX: usize = 500;
const CAPTION_MAX: usize = 2000;
const CREDIT_MAX: usize = 200;

/// The words, trimmed and checked: `(caption, credit, alt)`.
pub fn check_words(words: &UploadWords) -> Result<(String, Option<String>, String), UploadError> {
    let invalid = |field, message: String| UploadError::Invalid { field, message };
    let alt = words.alt.trim();
    if alt.is_empty() {
        return Err(invalid(
            "alt",
            "Describe the photo in the alt text: readers who cannot see it hear this instead."
                .into(),
        ));
    }
    let caption = words.caption.trim();
    if caption.is_empty() {
        return Err(invalid(
            "caption",
            "Write a caption: every photo on the site is published with one.".into(),
        ));
    }
    let credit = words.credit.trim();
    for (field, label, value, max) in [
        ("alt", "The alt text", alt, ALT_MAX),
        ("caption", "The caption", caption, CAPTION_MAX),
        ("credit", "The credit", credit, CREDIT_MAX),
    ] {
        let chars = value.chars().count();
        if chars > max {
            return Err(invalid(
                field,
                format!("{label} is {chars} characters long; the limit is {max}."),
            ));
        }
        // Newlines are fine in a caption; other control characters are never typed.
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(invalid(
                field,
                format!("{label} contains control characters; type it again."),
            ));
        }
    }
    Ok((
        caption.to_string(),
        (!credit.is_empty()).then(|| credit.to_string()),
        alt.to_string(),
    ))
}

/// Check, clean, store and record an upload by `uploader`.
pub async fn upload(
    app: &App,
    uploader: UserId,
    bytes: Vec<u8>,
    words: &UploadWords,
) -> Result<Media, UploadError> {
    let (caption, credit, alt) = check_words(words)?;
    let limits = Limits {
        max_bytes: app.config.media_max_bytes,
        ..Limits::default()
    };
    let processed = tokio::task::spawn_blocking(move || {
        images::process(&bytes, &limits, &images::DEFAULT_WIDTHS)
    })
    .await
    .map_err(|e| UploadError::Failed(format!("processing the image stopped: {e}")))?
    .map_err(|e| match e {
        ImageError::Encode(message) => UploadError::Failed(message),
        refusal => UploadError::Image(refusal),
    })?;
    let store = app.store.clone();
    save(&app.media, processed, move |stored| async move {
        let input = MediaInput {
            file: stored.original,
            mime: stored.mime.to_string(),
            width: stored.width,
            height: stored.height,
            caption,
            credit,
            alt,
        };
        let mut writer = store.writer().await.map_err(failed)?;
        let media = writer
            .add_upload(&input, Some(uploader), &stored.variants)
            .await
            .map_err(failed)?;
        writer.commit().await.map_err(failed)?;
        Ok(media)
    })
    .await
}

fn failed(e: impl std::fmt::Display) -> UploadError {
    UploadError::Failed(format!("recording the upload: {e}"))
}

/// The files of one upload, as written to the media folder.
#[derive(Debug, Clone)]
pub struct Stored {
    pub original: String,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
    pub variants: Vec<MediaVariant>,
}

/// Write the files, then run `record`; if either fails, remove the files this call created.
pub async fn save<T, F, Fut>(
    files: &MediaFiles,
    processed: Processed,
    record: F,
) -> Result<T, UploadError>
where
    F: FnOnce(Stored) -> Fut,
    Fut: Future<Output = Result<T, UploadError>>,
{
    let writer = files.clone();
    let (stored, created) = tokio::task::spawn_blocking(move || write_all(&writer, &processed))
        .await
        .map_err(|e| UploadError::Failed(format!("writing the image stopped: {e}")))??;
    match record(stored).await {
        Ok(value) => Ok(value),
        Err(e) => {
            let remover = files.clone();
            let _ = tokio::task::spawn_blocking(move || remove_all(&remover, &created)).await;
            Err(e)
        }
    }
}

/// Every file of the upload; on a failure part way, those already created are removed.
fn write_all(
    files: &MediaFiles,
    processed: &Processed,
) -> Result<(Stored, Vec<String>), UploadError> {
    let mut created = Vec::new();
    match write_each(files, processed, &mut created) {
        Ok(stored) => Ok((stored, created)),
        Err(e) => {
            remove_all(files, &created);
            Err(e)
        }
    }
}

/// Writes the original, then the variants, noting in `created` each file that is new.
fn write_each(
    files: &MediaFiles,
    processed: &Processed,
    created: &mut Vec<String>,
) -> Result<Stored, UploadError> {
    let mut write = |bytes: &[u8], extension: &str| match files.write_new(bytes, extension) {
        Ok((name, new)) => {
            if new {
                created.push(name.clone());
            }
            Ok(name)
        }
        Err(e) => Err(UploadError::Failed(format!(
            "writing to {}: {e}",
            files.dir().display()
        ))),
    };
    let original = write(&processed.original, processed.kind.extension())?;
    let mut variants = Vec::with_capacity(processed.variants.len());
    for variant in &processed.variants {
        variants.push(MediaVariant {
            width: variant.width,
            height: variant.height,
            format: format_name(variant.format).to_string(),
            file: write(&variant.bytes, variant.format.extension())?,
        });
    }
    Ok(Stored {
        original,
        mime: processed.kind.mime(),
        width: processed.width,
        height: processed.height,
        variants,
    })
}

fn remove_all(files: &MediaFiles, names: &[String]) {
    for name in names {
        if let Err(e) = files.remove(name) {
            tracing::warn!(file = %name, error = %e, "could not remove a file of a failed upload");
        }
    }
}

/// The name the `media_variants.format` column holds.
pub fn format_name(format: images::VariantFormat) -> &'static str {
    match format {
        images::VariantFormat::Webp => "webp",
        images::VariantFormat::Jpeg => "jpeg",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::images::fixtures;

    fn words(caption: &str, credit: &str, alt: &str) -> UploadWords {
        UploadWords {
            caption: caption.into(),
            credit: credit.into(),
            alt: alt.into(),
        }
    }

    #[test]
    fn alt_and_caption_are_required_credit_is_not() {
        let field = |w: &UploadWords| match check_words(w) {
            Err(UploadError::Invalid { field, .. }) => Some(field),
            _ => None,
        };
        assert_eq!(field(&words("A caption", "", "  ")), Some("alt"));
        assert_eq!(field(&words(" ", "", "Alt")), Some("caption"));
        assert_eq!(
            field(&words("A caption", &"x".repeat(201), "Alt")),
            Some("credit")
        );
        assert_eq!(
            check_words(&words(" A caption ", " ", " Alt ")).unwrap(),
            ("A caption".into(), None, "Alt".into())
        );
    }

    fn processed() -> Processed {
        let photo = fixtures::photo(700, 400);
        images::process(&fixtures::jpeg(&photo, 90), &Limits::default(), &[640]).unwrap()
    }

    fn names_in(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[tokio::test]
    async fn a_failed_record_removes_the_files_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let files = MediaFiles::new(dir.path().join("media"));
        // One file another record already uses: it must survive the failure.
        let kept = files.write(b"an older image", "jpg").unwrap();
        let written = files.clone();
        let result: Result<(), UploadError> = save(&files, processed(), |stored| async move {
            assert_eq!(stored.variants.len(), 2);
            assert!(written.path(&stored.original).unwrap().exists());
            Err(UploadError::Failed("the store is down".into()))
        })
        .await;
        assert!(matches!(result, Err(UploadError::Failed(_))));
        assert_eq!(names_in(files.dir()), vec![kept]);
    }

    #[tokio::test]
    async fn a_failed_record_keeps_files_that_were_there_before() {
        let dir = tempfile::tempdir().unwrap();
        let files = MediaFiles::new(dir.path().join("media"));
        let first = save(&files, processed(), |stored| async move { Ok(stored) })
            .await
            .unwrap();
        let before = names_in(files.dir());
        assert_eq!(before.len(), 3, "original, WebP and JPEG at 640");
        // The same image again, whose record fails: the first upload's files stay.
        let again: Result<(), UploadError> = save(&files, processed(), |stored| async move {
            assert_eq!(stored.original, first.original);
            Err(UploadError::Failed("the store is down".into()))
        })
        .await;
        assert!(again.is_err());
        assert_eq!(names_in(files.dir()), before);
    }
}
