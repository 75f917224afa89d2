//! Site settings: the paper's identity, read from the store and fixed by configuration.

use crate::config::SiteOverrides;
use broadsheet_domain::time::SiteZone;
use broadsheet_store::{Result, Store};

pub const DEFAULT_NAME: &str = "The Broadsheet Daily";
pub const DEFAULT_TIME_ZONE: &str = "Asia/Seoul";
pub const DEFAULT_POLICY: &str = include_str!("../../demo/comment-policy.md");

/// The store keys of site settings.
pub mod keys {
    pub const NAME: &str = "site.name";
    pub const TAGLINE: &str = "site.tagline";
    pub const TIME_ZONE: &str = "site.time_zone";
    pub const LANGUAGE: &str = "site.language";
    pub const COMMENT_POLICY: &str = "comments.policy";
    /// `"false"` makes feeds carry summaries only; anything else (or nothing) full text.
    pub const FEEDS_FULL_TEXT: &str = "feeds.full_text";
    /// `"remove"` deletes a deleted account's comments; anything else keeps them, unsigned.
    pub const DELETED_ACCOUNT_COMMENTS: &str = "comments.deleted_accounts";
    /// Comma- or line-separated words that hold a comment for moderation.
    pub const HELD_WORDS: &str = "comments.held_words";
}

/// Who the paper is, as every page needs it.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub tagline: Option<String>,
    pub zone: SiteZone,
    pub language: String,
    /// Absolute URL of the site's root, without a trailing slash.
    pub base_url: String,
    /// Markdown.
    pub comment_policy: String,
    /// Whether feeds carry whole stories rather than summaries.
    pub feeds_full_text: bool,
    /// When a reader deletes their account, whether their comments stay (shown as by a
    /// "deleted reader") or go with it.
    pub keep_comments_of_deleted_accounts: bool,
    /// Words that hold a comment for review (lower case).
    pub held_words: Vec<String>,
}

impl Site {
    /// Read the settings; a value the store holds but cannot use (an unknown time zone written
    /// by hand) falls back to the default with a warning rather than taking the site down.
    pub fn from_settings(pairs: &[(String, String)], base_url: &str) -> Site {
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let zone = get(keys::TIME_ZONE)
            .and_then(|name| {
                SiteZone::new(&name)
                    .inspect_err(|e| tracing::warn!("ignoring site time zone: {e}"))
                    .ok()
            })
            .unwrap_or_else(|| SiteZone::new(DEFAULT_TIME_ZONE).expect("bundled zone"));
        Site {
            name: get(keys::NAME).unwrap_or_else(|| DEFAULT_NAME.to_string()),
            tagline: get(keys::TAGLINE).filter(|t| !t.trim().is_empty()),
            zone,
            language: get(keys::LANGUAGE).unwrap_or_else(|| "en".to_string()),
            base_url: base_url.to_string(),
            comment_policy: get(keys::COMMENT_POLICY).unwrap_or_else(|| DEFAULT_POLICY.to_string()),
            feeds_full_text: get(keys::FEEDS_FULL_TEXT).is_none_or(|v| v.trim() != "false"),
            keep_comments_of_deleted_accounts: get(keys::DELETED_ACCOUNT_COMMENTS)
                .is_none_or(|v| v.trim() != "remove"),
            held_words: get(keys::HELD_WORDS)
                .map(|list| {
                    list.split([',', '\n'])
                        .map(|w| w.trim().to_lowercase())
                        .filter(|w| !w.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub async fn load(store: &Store, base_url: &str) -> Result<Site> {
        Ok(Site::from_settings(&store.settings().await?, base_url))
    }

    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// Write what configuration fixes into the store, where every node reads it. Only values
/// that differ are written, so a restart does not fill the change feed.
pub async fn apply_overrides(store: &Store, site: &SiteOverrides) -> Result<()> {
    let wanted = [
        (keys::NAME, &site.name),
        (keys::TAGLINE, &site.tagline),
        (keys::TIME_ZONE, &site.time_zone),
        (keys::LANGUAGE, &site.language),
    ];
    for (key, value) in wanted {
        if let Some(value) = value
            && store.setting(key).await?.as_deref() != Some(value.as_str())
        {
            store.set_setting(key, value).await?;
        }
    }
    Ok(())
}
