//! Configuration: read once at start from `broadsheet.toml`, the environment and the command
//! line, checked, and passed in to whatever needs it. Nothing reads configuration globally.
//!
//! Precedence, lowest first: built-in defaults, `broadsheet.toml` (in the working directory,
//! or the file named by `--config` / `BROADSHEET_CONFIG`), `BROADSHEET_*` environment
//! variables, command-line flags. Every key, with its default:
//!
//! ```toml
//! data_dir = "./broadsheet-data"     # BROADSHEET_DATA_DIR, --data-dir: the store, media, indexes
//! database_url = ""                  # BROADSHEET_DATABASE_URL, --database: empty = SQLite in data_dir;
//!                                    # a postgres:// URL selects PostgreSQL
//! listen = "127.0.0.1:8080"          # BROADSHEET_LISTEN, --listen (serve)
//! cache_purge_url = ""               # BROADSHEET_CACHE_PURGE_URL: POSTed {"keys": [...]} when
//!                                    # pages are purged (a CDN or a relay; plain http)
//! page_cache_mb = 256               # BROADSHEET_PAGE_CACHE_MB: memory for rendered pages
//! comments_per_minute = 5            # comments one account, and one IP address, may post a minute
//! trusted_proxies = []               # reverse proxies (IP addresses) whose X-Forwarded-For
//!                                    # names the client, for per-address limits
//! media_max_mb = 20                  # the largest image file the newsroom may upload, in MB
//!                                    # (1 048 576 bytes); the request may be 1 MB more
//! static_dir = ""                    # BROADSHEET_STATIC_DIR: serve style.css and site.js from
//!                                    # this folder instead of the built-in copies (for
//!                                    # working on them without rebuilding)
//!
//! [site]                             # written to the store at start when given, so every
//! name = "The Broadsheet Daily"      # node shows the same; BROADSHEET_SITE_NAME
//! tagline = "..."                    # shown under the masthead
//! time_zone = "Asia/Seoul"           # IANA name; BROADSHEET_TIME_ZONE
//! language = "en"                    # the site's main language (BCP 47)
//! base_url = "http://127.0.0.1:8080" # BROADSHEET_BASE_URL: absolute links (share, canonical)
//!
//! [ingest]                           # `broadsheet ingest` (wire copy)
//! trusted = ["Hanbit Wire"]          # agencies whose items are published at once rather than
//!                                    # filed as drafts; compared case-insensitively with
//!                                    # each item's source (default: none)
//!
//! [auth.providers.google]            # one table per sign-in provider; e-mail and password
//! client_id = "..."                  # sign-in needs none. x, facebook, google, kakao and
//! client_secret = "..."              # naver know their endpoints; any other name is a
//! label = "Google"                   # standard provider: give `kind` ("oidc" or "oauth2")
//! kind = "oidc"                      # and `issuer` (OpenID Connect discovery) or the
//! issuer = "https://..."             # endpoints. Every endpoint may be overridden:
//! authorize_url = "https://..."      # authorize_url, token_url, userinfo_url, jwks_url,
//! scopes = ["openid", "email"]       # scopes.
//! ```

use broadsheet_domain::is_language_tag;
use broadsheet_domain::time::SiteZone;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A configuration problem, stated as one sentence.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{key} is not valid: {message}")]
    Invalid { key: &'static str, message: String },
}

/// The file as written; every field optional so the file may say only what differs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub static_dir: Option<PathBuf>,
    pub page_cache_mb: Option<usize>,
    pub cache_purge_url: Option<String>,
    pub comments_per_minute: Option<i64>,
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    pub media_max_mb: Option<usize>,
    #[serde(default)]
    pub site: SiteFileConfig,
    #[serde(default)]
    pub auth: AuthFileConfig,
    #[serde(default)]
    pub ingest: IngestConfig,
}

/// `[ingest]`: how wire copy is taken in (see `crate::ingest`).
#[derive(Debug, Default, Deserialize, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    /// Sources whose items are published on arrival; the rest wait as drafts for an editor.
    #[serde(default)]
    pub trusted: Vec<String>,
}

impl IngestConfig {
    /// Whether an item from `source` may go straight to readers. Agencies are named
    /// inconsistently in case ("HANBIT WIRE" in one feed, "Hanbit Wire" in another).
    pub fn is_trusted(&self, source: &str) -> bool {
        let source = source.trim().to_lowercase();
        self.trusted
            .iter()
            .any(|name| name.trim().to_lowercase() == source)
    }
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct AuthFileConfig {
    #[serde(default)]
    pub providers: std::collections::BTreeMap<String, ProviderSettings>,
}

/// One sign-in provider as configured; `name` is the table's key.
#[derive(Debug, Default, Deserialize, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    #[serde(skip)]
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub label: String,
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub userinfo_url: Option<String>,
    pub jwks_url: Option<String>,
    pub scopes: Option<Vec<String>>,
}

/// The providers readers may sign in with, in the order the sign-in form offers them.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    pub providers: Vec<ProviderSettings>,
}

/// The providers whose endpoints are built in, in the order the form shows them.
pub const KNOWN_PROVIDERS: [(&str, &str); 5] = [
    ("x", "X"),
    ("facebook", "Facebook"),
    ("google", "Google"),
    ("kakao", "Kakao"),
    ("naver", "Naver"),
];

impl AuthFileConfig {
    fn resolve(self) -> Result<AuthConfig, ConfigError> {
        let mut providers = Vec::new();
        for (name, mut p) in self.providers {
            let invalid = |message: String| ConfigError::Invalid {
                key: "auth.providers",
                message: format!("[auth.providers.{name}] {message}"),
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(invalid(
                    "the name must be lower-case letters, digits and hyphens".into(),
                ));
            }
            if p.client_id.trim().is_empty() || p.client_secret.trim().is_empty() {
                return Err(invalid("needs client_id and client_secret".into()));
            }
            let known = KNOWN_PROVIDERS.iter().find(|(n, _)| *n == name);
            if known.is_none() {
                match p.kind.as_deref() {
                    Some("oidc") if p.issuer.is_some() || p.authorize_url.is_some() => {}
                    Some("oauth2")
                        if p.authorize_url.is_some()
                            && p.token_url.is_some()
                            && p.userinfo_url.is_some() => {}
                    Some("oidc") => {
                        return Err(invalid(
                            "kind = \"oidc\" needs issuer (or the endpoints)".into(),
                        ));
                    }
                    Some("oauth2") => {
                        return Err(invalid(
                            "kind = \"oauth2\" needs authorize_url, token_url and userinfo_url"
                                .into(),
                        ));
                    }
                    Some(other) => {
                        return Err(invalid(format!(
                            "kind '{other}' is not \"oidc\" or \"oauth2\""
                        )));
                    }
                    None => {
                        return Err(invalid(
                            "is not a built-in provider, so it needs kind = \"oidc\" or \"oauth2\""
                                .into(),
                        ));
                    }
                }
            }
            for url in [
                &p.issuer,
                &p.authorize_url,
                &p.token_url,
                &p.userinfo_url,
                &p.jwks_url,
            ]
            .into_iter()
            .flatten()
            {
                if !(url.starts_with("https://")
                    || url.starts_with("http://127.0.0.1")
                    || url.starts_with("http://localhost"))
                {
                    return Err(invalid(format!("'{url}' must be an https:// URL")));
                }
            }
            if p.label.trim().is_empty() {
                p.label = known
                    .map(|(_, label)| label.to_string())
                    .unwrap_or_else(|| name.clone());
            }
            p.name = name;
            providers.push(p);
        }
        let rank = |name: &str| {
            KNOWN_PROVIDERS
                .iter()
                .position(|(n, _)| *n == name)
                .unwrap_or(usize::MAX)
        };
        providers.sort_by(|a, b| rank(&a.name).cmp(&rank(&b.name)).then(a.name.cmp(&b.name)));
        Ok(AuthConfig { providers })
    }
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SiteFileConfig {
    pub name: Option<String>,
    pub tagline: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
    pub base_url: Option<String>,
}

/// What the command line and environment said; `None` where they were silent.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub static_dir: Option<PathBuf>,
    pub page_cache_mb: Option<usize>,
    pub cache_purge_url: Option<String>,
    pub site_name: Option<String>,
    pub time_zone: Option<String>,
    pub base_url: Option<String>,
}

/// The checked configuration the program runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub static_dir: Option<PathBuf>,
    /// The page cache's bound.
    pub page_cache_bytes: usize,
    pub cache_purge_url: Option<String>,
    /// Site identity given by configuration; `None` keeps what the store has.
    pub site: SiteOverrides,
    pub base_url: String,
    pub auth: AuthConfig,
    /// Comments one account, or one address, may post in a minute.
    pub comments_per_minute: i64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `web::client`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub ingest: IngestConfig,
    /// The largest image file the media library accepts, in bytes.
    pub media_max_bytes: usize,
}

/// Site settings the operator fixed in configuration.
#[derive(Debug, Clone, Default)]
pub struct SiteOverrides {
    pub name: Option<String>,
    pub tagline: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
}

pub const DEFAULT_DATA_DIR: &str = "./broadsheet-data";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_PAGE_CACHE_MB: usize = 256;
pub const DEFAULT_COMMENTS_PER_MINUTE: i64 = 5;
pub const DEFAULT_MEDIA_MAX_MB: usize = 20;
const DEFAULT_CONFIG_FILE: &str = "broadsheet.toml";

impl Config {
    /// Load the file (if any) and apply the overrides.
    pub fn load(overrides: Overrides) -> Result<Config, ConfigError> {
        let file = match &overrides.config {
            Some(path) => read_file(path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                read_file(Path::new(DEFAULT_CONFIG_FILE))?
            }
            None => FileConfig::default(),
        };
        Config::resolve(file, overrides)
    }

    pub fn resolve(file: FileConfig, o: Overrides) -> Result<Config, ConfigError> {
        let data_dir = o
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = o
            .database_url
            .or(file.database_url)
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| sqlite_url(&data_dir));
        broadsheet_store::Backend::from_url(&database_url).map_err(|e| ConfigError::Invalid {
            key: "database_url",
            message: e.to_string(),
        })?;
        let listen_text = o
            .listen
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let listen: SocketAddr = listen_text.parse().map_err(|_| ConfigError::Invalid {
            key: "listen",
            message: format!("'{listen_text}' is not an address such as 127.0.0.1:8080"),
        })?;
        let site = SiteOverrides {
            name: o.site_name.or(file.site.name),
            tagline: file.site.tagline,
            time_zone: o.time_zone.or(file.site.time_zone),
            language: file.site.language,
        };
        if let Some(zone) = &site.time_zone {
            SiteZone::new(zone).map_err(|e| ConfigError::Invalid {
                key: "site.time_zone",
                message: e.to_string(),
            })?;
        }
        if let Some(language) = &site.language
            && !is_language_tag(language)
        {
            return Err(ConfigError::Invalid {
                key: "site.language",
                message: format!("'{language}' is not a language tag such as en or ko"),
            });
        }
        if let Some(name) = &site.name
            && name.trim().is_empty()
        {
            return Err(ConfigError::Invalid {
                key: "site.name",
                message: "must not be empty".into(),
            });
        }
        let purge_url = o
            .cache_purge_url
            .or(file.cache_purge_url)
            .filter(|u| !u.trim().is_empty());
        if let Some(url) = &purge_url
            && !url.starts_with("http://")
        {
            return Err(ConfigError::Invalid {
                key: "cache_purge_url",
                message: format!(
                    "'{url}' must be a plain http:// URL (put a relay in front of an https API)"
                ),
            });
        }
        let base_url = o
            .base_url
            .or(file.site.base_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                key: "site.base_url",
                message: format!("'{base_url}' must start with http:// or https://"),
            });
        }
        let auth = file.auth.resolve()?;
        let comments_per_minute = file
            .comments_per_minute
            .unwrap_or(DEFAULT_COMMENTS_PER_MINUTE);
        if comments_per_minute < 1 {
            return Err(ConfigError::Invalid {
                key: "comments_per_minute",
                message: format!("{comments_per_minute} must be at least 1"),
            });
        }
        if file
            .ingest
            .trusted
            .iter()
            .any(|name| name.trim().is_empty())
        {
            return Err(ConfigError::Invalid {
                key: "ingest.trusted",
                message: "names must not be empty".into(),
            });
        }
        let media_max_mb = file.media_max_mb.unwrap_or(DEFAULT_MEDIA_MAX_MB);
        // Above a gigabyte the whole upload held in memory becomes the problem.
        if !(1..=1024).contains(&media_max_mb) {
            return Err(ConfigError::Invalid {
                key: "media_max_mb",
                message: format!("{media_max_mb} must be between 1 and 1024"),
            });
        }
        let trusted_proxies = file
            .trusted_proxies
            .iter()
            .map(|text| {
                text.trim().parse().map_err(|_| ConfigError::Invalid {
                    key: "trusted_proxies",
                    message: format!("'{text}' is not an IP address such as 10.0.0.2"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Config {
            auth,
            comments_per_minute,
            trusted_proxies,
            ingest: file.ingest,
            media_max_bytes: media_max_mb * 1024 * 1024,
            data_dir,
            database_url,
            listen,
            static_dir: o.static_dir.or(file.static_dir),
            cache_purge_url: purge_url,
            page_cache_bytes: o
                .page_cache_mb
                .or(file.page_cache_mb)
                .unwrap_or(DEFAULT_PAGE_CACHE_MB)
                * 1024
                * 1024,
            site,
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }

    /// A configuration for tests: everything inside `dir`.
    pub fn for_test(dir: &Path, database_url: &str) -> Config {
        Config {
            data_dir: dir.to_path_buf(),
            database_url: database_url.to_string(),
            listen: "127.0.0.1:0".parse().expect("address"),
            static_dir: None,
            page_cache_bytes: DEFAULT_PAGE_CACHE_MB * 1024 * 1024,
            cache_purge_url: None,
            site: SiteOverrides::default(),
            base_url: "http://127.0.0.1".into(),
            auth: AuthConfig::default(),
            comments_per_minute: DEFAULT_COMMENTS_PER_MINUTE,
            trusted_proxies: Vec::new(),
            ingest: IngestConfig::default(),
            media_max_bytes: DEFAULT_MEDIA_MAX_MB * 1024 * 1024,
        }
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// The node's own search index (each node keeps one, fed from the change feed).
    pub fn search_dir(&self) -> PathBuf {
        self.data_dir.join("search-index")
    }

    /// The Korean dictionary for search (`broadsheet korean-dictionary` builds it here).
    pub fn ko_dic_dir(&self) -> PathBuf {
        self.data_dir.join("ko-dic")
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.message().to_string(),
    })
}

/// SQLite in the data directory; `mode=rwc` creates the file on first run.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("broadsheet.db").display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_configuration_runs_the_demo_setup() {
        let config = Config::resolve(FileConfig::default(), Overrides::default()).unwrap();
        assert_eq!(config.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        assert!(config.database_url.starts_with("sqlite://"));
        assert!(config.database_url.ends_with("broadsheet.db?mode=rwc"));
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.base_url, "http://127.0.0.1:8080");
    }

    #[test]
    fn flags_beat_the_file() {
        let file: FileConfig = toml::from_str(
            "listen = \"127.0.0.1:9000\"\n[site]\nname = \"File Name\"\ntime_zone = \"Europe/London\"",
        )
        .unwrap();
        let o = Overrides {
            listen: Some("127.0.0.1:9001".into()),
            ..Overrides::default()
        };
        let config = Config::resolve(file, o).unwrap();
        assert_eq!(config.listen.port(), 9001);
        assert_eq!(config.site.name.as_deref(), Some("File Name"));
        assert_eq!(config.site.time_zone.as_deref(), Some("Europe/London"));
    }

    #[test]
    fn trusted_wire_sources_match_in_any_case() {
        let file: FileConfig =
            toml::from_str("[ingest]\ntrusted = [\"Hanbit Wire\", \"Harbour Newswire\"]").unwrap();
        let config = Config::resolve(file, Overrides::default()).unwrap();
        assert!(config.ingest.is_trusted("HANBIT WIRE"));
        assert!(config.ingest.is_trusted(" harbour newswire "));
        assert!(!config.ingest.is_trusted("Hanbit Wire Economy"));
        let err = toml::from_str::<FileConfig>("[ingest]\ntrustd = []").unwrap_err();
        assert!(err.message().contains("trustd"), "{err}");
        let empty: FileConfig = toml::from_str("[ingest]\ntrusted = [\" \"]").unwrap();
        assert!(
            Config::resolve(empty, Overrides::default())
                .unwrap_err()
                .to_string()
                .starts_with("ingest.trusted")
        );
    }

    #[test]
    fn typos_and_bad_values_are_named() {
        let err = toml::from_str::<FileConfig>("lisen = \"x\"").unwrap_err();
        assert!(err.message().contains("lisen"), "{err}");
        let bad = |o: Overrides| {
            Config::resolve(FileConfig::default(), o)
                .unwrap_err()
                .to_string()
        };
        assert!(
            bad(Overrides {
                listen: Some("nowhere".into()),
                ..Default::default()
            })
            .starts_with("listen")
        );
        assert!(
            bad(Overrides {
                time_zone: Some("Moon/Base".into()),
                ..Default::default()
            })
            .contains("Moon/Base")
        );
        assert!(
            bad(Overrides {
                database_url: Some("mysql://x".into()),
                ..Default::default()
            })
            .starts_with("database_url")
        );
    }
}
