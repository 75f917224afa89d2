//! `broadsheet ingest SOURCE... [--watch SECONDS] [--publish] [--section PATH]`: wire copy
//! into the store (the rules are in `crate::ingest`).
//!
//! Each problem is one line on standard error and the summary one line on standard output,
//! per round. The exit status is non-zero when anything in the (last) round failed, so a
//! cron job or a supervisor notices a broken feed.

use super::progress_bar;
use crate::app::{App, StartError};
use crate::config::Config;
use crate::ingest::{self, Fetcher, Options, Report, Source};
use broadsheet_store::StoreError;
use clap::Args;
use indicatif::ProgressBar;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Wire files (ninjs JSON, RSS or Atom), directories of them, or http(s):// feed URLs.
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<String>,
    /// Read the sources again every SECONDS until Ctrl-C.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    watch: Option<u64>,
    /// Publish new stories at once (otherwise only items from `[ingest] trusted` sources are
    /// published; the rest wait as drafts).
    #[arg(long)]
    publish: bool,
    /// The section new stories go in, created when missing: `Wire` or `World > Wire`.
    #[arg(long, default_value = "Wire", value_name = "PATH")]
    section: String,
}

/// What ends the command.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Start(#[from] StartError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot read {path}: {source}")]
    Path {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("--section names no section")]
    NoSection,
    #[error("cannot make the HTTP client: {0}")]
    Fetcher(#[from] ingest::FetchError),
    #[error("{0} problem(s) in the wire copy")]
    Failed(usize),
}

pub async fn run(config: Config, args: IngestArgs) -> Result<(), IngestError> {
    let options = Options {
        section: ingest::section_path(&args.section),
        publish: args.publish,
    };
    if options.section.is_empty() {
        return Err(IngestError::NoSection);
    }
    let sources: Vec<Source> = args.sources.iter().map(|s| Source::parse(s)).collect();
    // A mistyped path is the operator's mistake, refused before anything starts; one that
    // disappears later, under --watch, is reported in its round like any other problem.
    for source in &sources {
        if let Source::Path(path) = source {
            std::fs::metadata(path).map_err(|source| IngestError::Path {
                path: path.clone(),
                source,
            })?;
        }
    }
    let fetcher = Fetcher::new()?;
    let app = App::start(config).await?;
    let result = match args.watch {
        None => round(&app, &fetcher, &sources, &options).await,
        Some(seconds) => watch(&app, &fetcher, &sources, &options, seconds).await,
    };
    app.store.close().await;
    let report = result?;
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(IngestError::Failed(report.problems.len()))
    }
}

/// Rounds until Ctrl-C; the report of the last whole round decides the exit status. A
/// Ctrl-C in the middle of a round stops it between writes (each item is its own
/// transaction, so nothing is left half written).
async fn watch(
    app: &App,
    fetcher: &Fetcher,
    sources: &[Source],
    options: &Options,
    seconds: u64,
) -> Result<Report, IngestError> {
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    let mut last = Report::default();
    loop {
        tokio::select! {
            _ = &mut stop => return Ok(last),
            report = round(app, fetcher, sources, options) => last = report?,
        }
        tokio::select! {
            _ = &mut stop => return Ok(last),
            _ = tokio::time::sleep(Duration::from_secs(seconds)) => {}
        }
    }
}

/// One pass over the sources, reported.
async fn round(
    app: &App,
    fetcher: &Fetcher,
    sources: &[Source],
    options: &Options,
) -> Result<Report, IngestError> {
    let (inputs, listing_problems) = ingest::inputs(sources);
    let bar = if inputs.len() > 1 {
        progress_bar(inputs.len() as u64, "ingesting")
    } else {
        ProgressBar::hidden()
    };
    let mut report = ingest::ingest_inputs(app, fetcher, &inputs, options, |_| bar.inc(1)).await?;
    bar.finish_and_clear();
    report.problems.splice(0..0, listing_problems);
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    println!("{}", report.summary());
    Ok(report)
}
