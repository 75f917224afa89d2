//! `broadsheet ingest`: agency copy (IPTC ninjs, RSS 2.0, Atom 1.0) from files, directories
//! and feed URLs becomes stories.
//!
//! Reading the formats is `broadsheet_domain::wire`'s job; this module decides what each
//! item does to the store. The rules:
//! - Format by content, not name: the first significant character, `{`/`[` for ninjs, `<`
//!   for a feed. In a directory, files ending `.json`, `.xml`, `.rss` or `.atom` are read.
//! - An item is identified by its agency id: its story has external id `wire:{guid}`, and
//!   `wire_items` remembers the version and time last taken in, written in the same
//!   transaction as the story. The same copy again changes nothing; a newer version (by
//!   `WireItem::supersedes`) updates the same story (a new revision); an older one is
//!   ignored.
//! - A new story is a draft in the configured section (`--section`, created when missing),
//!   unless `--publish` is given or the item's source is in `[ingest] trusted`. An update
//!   changes the words, tags, source and times; a story that is no longer a draft keeps its
//!   status (a published story never falls back to draft), and a story keeps the section and
//!   pictures an editor gave it.
//! - The byline is the agency: one `SourceKind::Wire` source named after the item's source,
//!   else its byline. Subjects become tags (see `story::tags`). Language: the item's, else
//!   the site's.
//! - Lead images are not fetched or recorded: the media library will take them.
//! - Each item is its own transaction, so a bad item (or a whole file that does not parse)
//!   is reported and the rest still goes in. Report lines: `SOURCE: item N (guid): reason`
//!   for items the parser refused, `SOURCE: item (guid): reason` for items the store
//!   refused (the parser does not keep an item's place in the file), `SOURCE: reason`
//!   (with `line N:` where known) for a source that yielded nothing.

pub mod fetch;
mod source;
mod story;

pub use fetch::{FetchError, Fetcher};
pub use source::{Input, InputError, Source, inputs, parse};
pub use story::{Outcome, ingest_item};

use crate::app::App;
use broadsheet_store::StoreError;

/// What the command line chose.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where new stories go, top section first (`["Wire"]`).
    pub section: Vec<String>,
    /// Publish every new story, trusted source or not.
    pub publish: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            section: vec!["Wire".into()],
            publish: false,
        }
    }
}

/// One round's tally.
#[derive(Debug, Default)]
pub struct Report {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// One line each, naming the source and, for an item, which one.
    pub problems: Vec<String>,
}

impl Report {
    pub fn summary(&self) -> String {
        format!(
            "ingested {} new, {} updated, {} unchanged, {} problems",
            self.new,
            self.updated,
            self.unchanged,
            self.problems.len()
        )
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// A section path as written on the command line: `Wire` or `World > Wire`.
pub fn section_path(text: &str) -> Vec<String> {
    text.split('>')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// One round over `sources` without progress reporting; see [`ingest_inputs`].
pub async fn run_once(
    app: &App,
    fetcher: &Fetcher,
    sources: &[Source],
    options: &Options,
) -> Result<Report, StoreError> {
    let (inputs, problems) = inputs(sources);
    let mut report = ingest_inputs(app, fetcher, &inputs, options, |_| {}).await?;
    report.problems.splice(0..0, problems);
    Ok(report)
}

/// Read every input and take in its items, calling `progress` after each input. Fails
/// only when the section for new stories cannot be made; everything else is reported.
pub async fn ingest_inputs(
    app: &App,
    fetcher: &Fetcher,
    inputs: &[Input],
    options: &Options,
    mut progress: impl FnMut(&Input),
) -> Result<Report, StoreError> {
    let section = app
        .store
        .ensure_section_path(&options.section, None)
        .await?;
    app.reload_sections().await?;
    let mut report = Report::default();
    for input in inputs {
        let label = input.label();
        match source::read(input, fetcher).await {
            Err(e) => report.problems.push(format!("{label}: {e}")),
            Ok(batch) => {
                for problem in &batch.problems {
                    report
                        .problems
                        .push(format!("{label}: {}: {}", problem.item, problem.reason));
                }
                for item in &batch.items {
                    match ingest_item(app, item, section, options).await {
                        Ok(outcome) => report.count(outcome),
                        Err(e) => report
                            .problems
                            .push(format!("{label}: item ({}): {e}", item.guid)),
                    }
                }
            }
        }
        progress(input);
    }
    Ok(report)
}
