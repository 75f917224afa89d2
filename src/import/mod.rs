//! `broadsheet import`: bringing an archive of text dumps of old article pages into the store.
//!
//! Each file is read, parsed (`broadsheet_domain::archive`) and written in one transaction:
//! its sections, its photo record and its story go in together or not at all, so a file that
//! fails leaves nothing behind while the rest of a directory still imports.
//!
//! Rules beyond the parser's:
//! - A page is identified by its publication date and headline (`external_id`
//!   `archive:YYYY-MM-DD:slug`): importing the same dump again changes nothing, and an edited
//!   dump updates the story it made (a new revision) instead of making a second one.
//! - Times are read as wall-clock times in the site's time zone.
//! - Tags are split again with the tags the store already knows, so a multi-word tag that an
//!   earlier page introduced is recognised even when this page's text does not spell it out.
//! - The dumps hold a photo's caption and credit but not its pixels. The story gets a neutral
//!   placeholder image (content-addressed, so one file serves every page) carrying the real
//!   caption, credit and alt text, until an editor attaches the picture.
//! - Paragraphs are plain text: Markdown's special characters in them are escaped so that a
//!   line starting `1.` or holding `*` reads as printed.
//! - The "More in" and "Related Stories" headlines are kept as link references; once a story
//!   with that headline exists, the page links it.

mod placeholder;

use crate::app::App;
use broadsheet_domain::archive::{self, ArchivedPage, Byline};
use broadsheet_domain::slug::{headline_key, slugify};
use broadsheet_domain::{
    LinkRef, LinkRefKind, MediaInput, SourceInput, SourceKind, Story, StoryInput, StoryKind,
    StoryStatus,
};
use broadsheet_store::StoreError;
use std::path::{Path, PathBuf};

/// Why one file did not import; shown with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read it: {0}")]
    Read(#[from] std::io::Error),
    #[error("it is not UTF-8 text (invalid byte at line {line})")]
    NotUtf8 { line: usize },
    #[error("{0}")]
    Parse(#[from] archive::ArchiveError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The summary printed at the end.
#[derive(Debug, Default)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: Vec<(PathBuf, FileError)>,
}

impl Report {
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} updated, {} unchanged, {} failed",
            self.created,
            self.updated,
            self.unchanged,
            self.failed.len()
        )
    }
}

/// The dump files under `path` (itself, if it is a file), in a stable order.
pub fn dump_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Import every file, calling `progress` after each.
pub async fn import_files(app: &App, files: &[PathBuf], mut progress: impl FnMut(&Path)) -> Report {
    let mut report = Report::default();
    for file in files {
        match import_file(app, file).await {
            Ok(Outcome::Created) => report.created += 1,
            Ok(Outcome::Updated) => report.updated += 1,
            Ok(Outcome::Unchanged) => report.unchanged += 1,
            Err(e) => report.failed.push((file.clone(), e)),
        }
        progress(file);
    }
    report
}

pub async fn import_file(app: &App, path: &Path) -> Result<Outcome, FileError> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        FileError::NotUtf8 { line }
    })?;
    import_text(app, &text).await
}

pub async fn import_text(app: &App, text: &str) -> Result<Outcome, FileError> {
    let page = archive::parse(text)?;
    let site = app.site();
    let published = site.zone.instant(page.published);
    let external_id = format!(
        "archive:{}:{}",
        page.published.date(),
        slugify(&page.headline)
    );
    let known = app.store.tag_names().await?;
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let tags = archive::split_tags(&page.tags.join(" "), &page_text(&page), &known);
    let existing = match app.store.story_id_by_external_id(&external_id).await? {
        Some(id) => app.store.story(id).await?,
        None => None,
    };

    let mut writer = app.store.writer().await?;
    let section_id = writer.ensure_section_path(&page.section_path, None).await?;
    let mut input = StoryInput {
        external_id: Some(external_id),
        kind: StoryKind::Article,
        status: StoryStatus::Published,
        headline: page.headline.clone(),
        deck: None,
        body: page
            .paragraphs
            .iter()
            .map(|p| escape_markdown(p))
            .collect::<Vec<_>>()
            .join("\n\n"),
        section_id,
        language: language_of(&page),
        tags,
        sources: sources(&page.byline),
        lead_media: None,
        gallery: Vec::new(),
        related_story_id: None,
        related_after: page.related_box_after.map(|n| n as u32),
        published_at: Some(published),
        updated_at: page.updated.map(|u| site.zone.instant(u)),
        link_refs: link_refs(&page),
    };
    if let Some(photo) = &page.lead_photo {
        // Keep the photo record the story already has when its words did not change.
        let same = existing
            .as_ref()
            .and_then(|s| s.lead_media.as_ref())
            .filter(|m| m.caption == photo.caption && m.credit == photo.credit);
        input.lead_media = Some(match same {
            Some(media) => media.id,
            None => {
                let image = placeholder::image();
                let file = app
                    .media
                    .write(&image.bytes, "png")
                    .map_err(FileError::Read)?;
                writer
                    .add_media(&MediaInput {
                        file,
                        mime: "image/png".into(),
                        width: image.width,
                        height: image.height,
                        caption: photo.caption.clone(),
                        credit: photo.credit.clone(),
                        alt: photo.caption.clone(),
                    })
                    .await?
                    .id
            }
        });
    }
    if let Some(story) = &existing
        && unchanged(story, &input, app).await?
    {
        return Ok(Outcome::Unchanged); // the writer rolls back on drop: nothing was written
    }
    let outcome = writer.save(None, &input).await?;
    writer.commit().await?;
    Ok(if outcome.created {
        Outcome::Created
    } else {
        Outcome::Updated
    })
}

/// Whether saving `input` would change what readers see of `story`.
async fn unchanged(story: &Story, input: &StoryInput, app: &App) -> Result<bool, StoreError> {
    let tags: Vec<String> = story.tags.iter().map(|t| slugify(&t.name)).collect();
    let wanted_tags: Vec<String> = input.tags.iter().map(|t| slugify(t)).collect();
    let sources: Vec<(String, SourceKind)> = story
        .sources
        .iter()
        .map(|s| (slugify(&s.name), s.kind))
        .collect();
    let wanted_sources: Vec<(String, SourceKind)> = input
        .sources
        .iter()
        .map(|s| (slugify(&s.name), s.kind))
        .collect();
    let refs = app.store.link_refs(story.id).await?;
    let same_refs = {
        let mut a: Vec<(LinkRefKind, String)> = refs
            .iter()
            .map(|r| (r.kind, headline_key(&r.headline)))
            .collect();
        let mut b: Vec<(LinkRefKind, String)> = input
            .link_refs
            .iter()
            .map(|r| (r.kind, headline_key(&r.headline)))
            .collect();
        a.sort();
        b.sort();
        a == b
    };
    Ok(story.status == input.status
        && story.headline == input.headline.trim()
        && story.body == input.body
        && story.section_id == input.section_id
        && story.published_at == input.published_at
        && story.updated_at == input.updated_at
        && story.related_after == input.related_after
        && story.lead_media.as_ref().map(|m| m.id) == input.lead_media
        && tags == wanted_tags
        && sources == wanted_sources
        && same_refs)
}

fn page_text(page: &ArchivedPage) -> String {
    let mut text = page.headline.clone();
    if let Some(photo) = &page.lead_photo {
        text.push(' ');
        text.push_str(&photo.caption);
    }
    for p in &page.paragraphs {
        text.push(' ');
        text.push_str(p);
    }
    text
}

fn sources(byline: &Option<Byline>) -> Vec<SourceInput> {
    match byline {
        None => Vec::new(),
        Some(Byline::Wire(name)) => vec![SourceInput {
            name: name.clone(),
            kind: SourceKind::Wire,
        }],
        Some(Byline::Staff { names, .. }) => names
            .iter()
            .map(|name| SourceInput {
                name: name.clone(),
                kind: SourceKind::Staff,
            })
            .collect(),
    }
}

/// The headlines the page linked to, without the page's own (a "More in" list on a real page
/// includes the story being read).
fn link_refs(page: &ArchivedPage) -> Vec<LinkRef> {
    let own = headline_key(&page.headline);
    let lists = [
        (LinkRefKind::MoreIn, &page.more_in),
        (LinkRefKind::Related, &page.related),
    ];
    lists
        .into_iter()
        .flat_map(|(kind, headlines)| headlines.iter().map(move |h| (kind, h)))
        .filter(|(_, h)| headline_key(h) != own)
        .map(|(kind, headline)| LinkRef {
            kind,
            headline: headline.clone(),
        })
        .collect()
}

/// Korean when most letters are Hangul, else English (the archives we import are one or the
/// other; an editor can correct the rare exception).
fn language_of(page: &ArchivedPage) -> String {
    let text = page_text(page);
    let letters = text.chars().filter(|c| c.is_alphabetic()).count().max(1);
    let hangul = text
        .chars()
        .filter(|c| ('\u{ac00}'..='\u{d7a3}').contains(c))
        .count();
    if hangul * 2 > letters {
        "ko".into()
    } else {
        "en".into()
    }
}

/// Escape what Markdown would otherwise read as markup in a paragraph of plain text.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A leading "1." or "-" or "+" would start a list.
    let digits = out.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    } else if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render;

    #[test]
    fn plain_text_survives_markdown() {
        for text in [
            "1. Not a list",
            "- not a bullet",
            "a *b* c_d_ [x](y) <b>",
            "# no heading",
            "+ plus",
        ] {
            let html = render::markdown(&escape_markdown(text));
            let inner = html
                .trim()
                .trim_start_matches("<p>")
                .trim_end_matches("</p>");
            let decoded = inner.replace("&lt;", "<").replace("&gt;", ">");
            assert_eq!(decoded, text, "{html}");
        }
    }
}
