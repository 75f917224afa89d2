//! The command line: `broadsheet serve | import | ingest | reindex | korean-dictionary | gen |
//! user | token`.
//!
//! Flags are parsed by clap into raw values, turned into a checked `Config`, and only then is
//! anything opened. Every failure ends as one sentence on standard error and a non-zero exit.

use crate::app::{App, AppState, StartError};
use crate::config::{Config, ConfigError, Overrides};
use crate::demo::{self, DemoError, DemoOptions};
use crate::services::search::{self, IndexingError};
use crate::{corpus, feed, import, web};
use clap::{Parser, Subcommand};

mod ingest;
mod tokens;
mod users;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "broadsheet", version, about = "A news publishing platform.")]
pub struct Cli {
    /// Configuration file (default: ./broadsheet.toml when present).
    #[arg(long, global = true, env = "BROADSHEET_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where the store, media and indexes live.
    #[arg(long, global = true, env = "BROADSHEET_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: SQLite in the data directory by default; postgres://... selects PostgreSQL.
    #[arg(
        long = "database",
        global = true,
        env = "BROADSHEET_DATABASE_URL",
        value_name = "URL"
    )]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the site.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "BROADSHEET_LISTEN", value_name = "ADDR")]
        listen: Option<String>,
        /// Start with an empty store instead of loading the demo edition.
        #[arg(long)]
        no_demo: bool,
    },
    /// Import text dumps of archived article pages (a file or a directory).
    Import { path: PathBuf },
    /// Take in wire copy (ninjs, RSS, Atom) from files, directories or feed URLs.
    Ingest(ingest::IngestArgs),
    /// Rebuild the search index from the store.
    Reindex,
    /// Build the Korean search dictionary (mecab-ko-dic, for lindera) into DATA_DIR/ko-dic;
    /// the search index is rebuilt with it at the next start.
    KoreanDictionary {
        /// mecab-ko-dic's source: its .tar.gz or unpacked folder (default: the copy the
        /// lindera-ko-dic 0.26 crate brings into the cargo registry with `cargo fetch`).
        #[arg(long, value_name = "PATH")]
        source: Option<PathBuf>,
    },
    /// Manage accounts: add, set-role, list.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Manage API tokens: add, list, revoke.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// Write a deterministic synthetic corpus for benchmarks.
    Gen {
        /// How many stories.
        #[arg(long, default_value_t = 100_000)]
        stories: u64,
        /// Different seeds give different corpora; the same seed, the same one.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Everything that can end a command.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Start(#[from] StartError),
    #[error("{0}")]
    Demo(#[from] DemoError),
    #[error("{0}")]
    Store(#[from] broadsheet_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("cannot read {path}: {source}")]
    ImportPath {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no dump files (*.txt) under {0}")]
    NothingToImport(PathBuf),
    #[error("{0} of the files could not be imported")]
    ImportFailed(usize),
    #[error("{0}")]
    Ingest(#[from] ingest::IngestError),
    #[error("{0}")]
    Indexing(#[from] IndexingError),
    #[error(
        "no mecab-ko-dic source found: run `cargo fetch` in the Broadsheet source tree to put \
        the lindera-ko-dic 0.26 crate (which carries it) into the cargo registry, or give one \
        with --source"
    )]
    NoKoreanSource,
    #[error("the Korean dictionary source {0} does not exist")]
    KoreanSourceMissing(PathBuf),
    #[error("cannot build the Korean dictionary: {0}")]
    KoreanDictionary(#[from] broadsheet_search::korean::Error),
    #[error("cannot replace the Korean dictionary in {path}: {source}")]
    KoreanDictionaryInstall {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every reqwest client needs a rustls crypto provider (see auth::oauth::http); installed
    // before any command can build one.
    crate::auth::oauth::install_crypto_provider();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BROADSHEET_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
        .and_then(|rt| {
            let result = rt.block_on(run(cli));
            // Background work (an index rebuild, say) must not hold up a stop the operator
            // asked for; whatever it had not committed is redone at the next start.
            rt.shutdown_timeout(std::time::Duration::from_secs(3));
            result
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let config = Config::load(Overrides {
        config: cli.config,
        data_dir: cli.data_dir,
        database_url: cli.database_url,
        listen,
        static_dir: std::env::var_os("BROADSHEET_STATIC_DIR").map(PathBuf::from),
        page_cache_mb: match std::env::var("BROADSHEET_PAGE_CACHE_MB") {
            Ok(value) => Some(value.trim().parse().map_err(|_| ConfigError::Invalid {
                key: "page_cache_mb",
                message: format!("'{value}' is not a whole number of megabytes"),
            })?),
            Err(_) => None,
        },
        cache_purge_url: std::env::var("BROADSHEET_CACHE_PURGE_URL").ok(),
        site_name: std::env::var("BROADSHEET_SITE_NAME").ok(),
        time_zone: std::env::var("BROADSHEET_TIME_ZONE").ok(),
        base_url: std::env::var("BROADSHEET_BASE_URL").ok(),
    })?;
    match cli.command {
        Command::Serve { no_demo, .. } => serve(config, no_demo).await,
        Command::Import { path } => import(config, path).await,
        Command::Ingest(args) => Ok(ingest::run(config, args).await?),
        Command::Gen { stories, seed } => generate(config, stories, seed).await,
        Command::Reindex => reindex(config).await,
        Command::KoreanDictionary { source } => korean_dictionary(&config, source),
        Command::User(command) => Ok(users::run(&config, command).await?),
        Command::Token(command) => Ok(tokens::run(&config, command).await?),
    }
}

async fn serve(config: Config, no_demo: bool) -> Result<(), CliError> {
    let addr = config.listen;
    let app = App::start(config).await?;
    if !no_demo && app.store.story_count().await? == 0 && app.store.sections().await?.is_empty() {
        let loaded = demo::load(&app, DemoOptions::default()).await?;
        tracing::info!(
            "loaded the demo edition: {} stories, {} photos",
            loaded.stories,
            loaded.photos
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen { addr, source })?;
    let state = AppState(std::sync::Arc::new(app));
    let start = search::catch_up(&state.0, true).await?;
    feed::spawn(state.clone(), start);
    crate::scheduler::spawn(state.clone());
    eprintln!(
        "Broadsheet is serving {} on http://{addr}",
        state.site().name
    );
    web::serve(state, listener).await.map_err(CliError::Serve)
}

async fn import(config: Config, path: PathBuf) -> Result<(), CliError> {
    let files = import::dump_files(&path).map_err(|source| CliError::ImportPath {
        path: path.clone(),
        source,
    })?;
    if files.is_empty() {
        return Err(CliError::NothingToImport(path));
    }
    let app = App::start(config).await?;
    let bar = if files.len() > 1 {
        progress_bar(files.len() as u64, "importing")
    } else {
        ProgressBar::hidden()
    };
    let report = import::import_files(&app, &files, |_| bar.inc(1)).await;
    bar.finish_and_clear();
    for (file, error) in &report.failed {
        eprintln!("{}: {error}", file.display());
    }
    println!("Imported {} file(s): {}", files.len(), report.summary());
    app.store.close().await;
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::ImportFailed(report.failed.len()))
    }
}

async fn generate(config: Config, stories: u64, seed: u64) -> Result<(), CliError> {
    let app = App::start(config).await?;
    let bar = progress_bar(stories, "writing stories");
    let started = std::time::Instant::now();
    corpus::generate(&app, stories, seed, |done| bar.set_position(done)).await?;
    bar.finish_and_clear();
    println!(
        "Generated {stories} stories (seed {seed}) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    app.store.close().await;
    Ok(())
}

async fn reindex(config: Config) -> Result<(), CliError> {
    let app = App::start(config).await?;
    let published = app.store.published_count().await?;
    let bar = progress_bar(published as u64, "indexing stories");
    let started = std::time::Instant::now();
    let position = app.store.last_event_id().await?;
    let done = search::rebuild(&app, position, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    println!(
        "Indexed {done} stories in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    app.store.close().await;
    Ok(())
}

/// Builds the dictionary beside DATA_DIR/ko-dic and then swaps it in, so a failed build
/// leaves any dictionary already there as it was.
fn korean_dictionary(config: &Config, source: Option<PathBuf>) -> Result<(), CliError> {
    use broadsheet_search::korean;
    let source = match source {
        Some(path) if !path.exists() => return Err(CliError::KoreanSourceMissing(path)),
        Some(path) => path,
        None => korean::find_bundled_source().ok_or(CliError::NoKoreanSource)?,
    };
    let out = config.ko_dic_dir();
    let fresh = config.data_dir.join(".ko-dic-new");
    let install = |result: std::io::Result<()>| {
        result.map_err(|source| CliError::KoreanDictionaryInstall {
            path: out.clone(),
            source,
        })
    };
    if fresh.exists() {
        install(std::fs::remove_dir_all(&fresh))?; // left by an interrupted run
    }
    eprintln!(
        "Building the Korean dictionary from {} ...",
        source.display()
    );
    let started = std::time::Instant::now();
    korean::build_dictionary(&source, &fresh)?;
    if out.exists() {
        install(std::fs::remove_dir_all(&out))?;
    }
    install(std::fs::rename(&fresh, &out))?;
    println!(
        "Built the Korean dictionary into {} in {:.1} s; Korean search uses it (and the \
        search index is rebuilt) from the next start",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn progress_bar(len: u64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(message);
    bar
}
