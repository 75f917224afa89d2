//! The application state: built once at start, shared by every request as `AppState`.

use crate::cache::webhook::PurgeHook;
use crate::cache::{InFlight, PageCache};
use crate::config::Config;
use crate::services::media::MediaFiles;
use crate::services::signin::Providers;
use crate::services::site::{self, Site};
use broadsheet_domain::{SectionId, SectionTree};
use broadsheet_search::korean::KoreanTokenizer;
use broadsheet_search::{KoreanAnalysis, Opened, SearchError, SearchIndex};
use broadsheet_store::{Store, StoreError};
use std::ops::Deref;
use std::sync::{Arc, RwLock};

/// Everything a request handler may need.
pub struct App {
    pub store: Store,
    pub config: Config,
    pub media: MediaFiles,
    /// The search index: one writer and one reader for the whole node.
    pub search: Arc<SearchIndex>,
    /// How the index was found at start; `services::search::catch_up` acts on it.
    pub search_opened: Opened,
    /// Rendered pages, purged by the change feed.
    pub cache: PageCache,
    pub in_flight: InFlight,
    /// Tells a CDN what to purge, when configured.
    pub purge_hook: Option<PurgeHook>,
    /// The sign-in providers and their shared HTTP client (keys and discovery cached in it).
    pub signin: Providers,
    /// The change-feed position this node has applied (see `feed`): everything up to it is
    /// reflected in the section tree, settings, search index and page cache.
    pub feed_position: std::sync::atomic::AtomicI64,
    /// Small, read on every page, changed rarely: swapped whole when the change feed says so.
    site: RwLock<Arc<Site>>,
    sections: RwLock<Arc<SectionTree>>,
}

/// A cheap handle to the one `App`.
#[derive(Clone)]
pub struct AppState(pub Arc<App>);

impl Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot open the {0}")]
    Search(#[from] SearchError),
    #[error("sign-in providers: {0}")]
    SignIn(String),
}

impl App {
    /// Open the store (creating the data directory and running migrations), apply the site
    /// settings that configuration fixes, and load what every page needs.
    pub async fn start(config: Config) -> Result<App, StartError> {
        // Before any HTTP client is built (the purge webhook's below): see auth::oauth::http.
        crate::auth::oauth::install_crypto_provider();
        let signin = Providers::new(&config.auth).map_err(StartError::SignIn)?;
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let store = Store::open(&config.database_url).await?;
        site::apply_overrides(&store, &config.site).await?;
        let site = Site::load(&store, &config.base_url).await?;
        let sections = SectionTree::new(store.sections().await?);
        let (search, search_opened) =
            SearchIndex::open(&config.search_dir(), App::korean_analysis(&config))?;
        Ok(App {
            media: MediaFiles::new(config.media_dir()),
            search: Arc::new(search),
            search_opened,
            cache: PageCache::new(config.page_cache_bytes),
            in_flight: InFlight::default(),
            purge_hook: config.cache_purge_url.as_deref().map(PurgeHook::new),
            signin,
            feed_position: std::sync::atomic::AtomicI64::new(0),
            store,
            config,
            site: RwLock::new(Arc::new(site)),
            sections: RwLock::new(Arc::new(sections)),
        })
    }

    /// How Korean is analysed for search: lindera when `DATA_DIR/ko-dic` holds a dictionary,
    /// else Hangul bigrams (the index records which, so a switch rebuilds it).
    fn korean_analysis(config: &Config) -> KoreanAnalysis {
        let dir = config.ko_dic_dir();
        if !dir.exists() {
            tracing::info!(
                "Korean search: bigrams (no dictionary in {}; `broadsheet korean-dictionary` \
                installs one)",
                dir.display()
            );
            return KoreanAnalysis::Bigrams;
        }
        let started = std::time::Instant::now();
        match KoreanTokenizer::load(&dir) {
            Ok(tokenizer) => {
                tracing::info!(
                    "Korean search: lindera with the dictionary in {} (loaded in {:.2} s)",
                    dir.display(),
                    started.elapsed().as_secs_f64()
                );
                KoreanAnalysis::Lindera(tokenizer)
            }
            Err(e) => {
                // The site keeps serving; rebuilding the dictionary fixes it.
                tracing::error!(
                    "Korean search: bigrams, as the dictionary in {} cannot be loaded ({e}); \
                    rebuild it with `broadsheet korean-dictionary`",
                    dir.display()
                );
                KoreanAnalysis::Bigrams
            }
        }
    }

    pub fn site(&self) -> Arc<Site> {
        self.site.read().expect("site lock").clone()
    }

    pub fn sections(&self) -> Arc<SectionTree> {
        self.sections.read().expect("sections lock").clone()
    }

    /// The section tree, reloaded first if it lacks any of `ids`: a story may name a section
    /// created a moment ago by another process, before the change feed brought it here, and
    /// its links must not come out broken meanwhile.
    pub async fn sections_with(
        &self,
        ids: impl IntoIterator<Item = SectionId>,
    ) -> Result<Arc<SectionTree>, StoreError> {
        let tree = self.sections();
        if ids.into_iter().all(|id| tree.get(id).is_some()) {
            return Ok(tree);
        }
        self.reload_sections().await?;
        Ok(self.sections())
    }

    pub async fn reload_site(&self) -> Result<(), StoreError> {
        let site = Site::load(&self.store, &self.config.base_url).await?;
        *self.site.write().expect("site lock") = Arc::new(site);
        Ok(())
    }

    pub async fn reload_sections(&self) -> Result<(), StoreError> {
        let tree = SectionTree::new(self.store.sections().await?);
        *self.sections.write().expect("sections lock") = Arc::new(tree);
        Ok(())
    }
}
