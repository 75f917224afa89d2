//! Cursors: where the next page of an API list starts, handed to clients as an opaque
//! string and taken back on the next request.
//!
//! A cursor carries the list it belongs to, a digest of the filters it was made under and
//! the position of the last item given (a time and an id, or a slug), and is signed with
//! HMAC-SHA-256 under a key kept in the store (so every node accepts every node's cursors).
//! A cursor that was garbled, altered or made up fails the signature; one made for another
//! list or other filters fails the digest. Either is refused, naming the cursor, rather than
//! silently starting over or paging through something else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use broadsheet_store::{Store, StoreError};
use ring::hmac;
use sha2::{Digest, Sha256};

/// The store key of the signing secret.
const SECRET_KEY: &str = "api.cursor_secret";

/// Signs and checks cursors.
pub struct Cursors {
    key: hmac::Key,
}

/// Why a cursor was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error(
        "the cursor is not one this API gave out (it is garbled or was changed); pass \
         `next_cursor` exactly as received, or leave it out to start at the beginning"
    )]
    Forged,
    #[error(
        "the cursor belongs to another list or to other filters; page with the filters it \
         was made under, or leave it out to start again"
    )]
    OtherQuery,
}

impl Cursors {
    /// The store's signing key, made on first use.
    pub async fn load(store: &Store) -> Result<Cursors, StoreError> {
        let secret = store
            .shared_secret(SECRET_KEY, &crate::auth::token::random())
            .await?;
        Ok(Cursors {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes()),
        })
    }

    /// A cursor for `list` under the filters `query` (any text that is the same for the same
    /// filters), resuming after `position`.
    pub fn seal(&self, list: &str, query: &str, position: &[String]) -> String {
        let mut payload = vec![list.to_string(), digest(query)];
        payload.extend(position.iter().cloned());
        let text = serde_json::Value::from(payload).to_string();
        let tag = hmac::sign(&self.key, text.as_bytes());
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(text.as_bytes()),
            URL_SAFE_NO_PAD.encode(&tag.as_ref()[..16])
        )
    }

    /// The position a cursor resumes after, if it is genuine and made for this list and query.
    pub fn open(&self, cursor: &str, list: &str, query: &str) -> Result<Vec<String>, CursorError> {
        let (text, tag) = cursor.trim().split_once('.').ok_or(CursorError::Forged)?;
        let text = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| CursorError::Forged)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| CursorError::Forged)?;
        let expected = hmac::sign(&self.key, &text);
        // Constant time, so a forger learns nothing from how long a refusal takes.
        if tag.len() != 16 || !crate::auth::token::same_bytes(&tag, &expected.as_ref()[..16]) {
            return Err(CursorError::Forged);
        }
        let parts: Vec<String> = serde_json::from_slice(&text).map_err(|_| CursorError::Forged)?;
        match parts.as_slice() {
            [made_for, made_under, position @ ..]
                if made_for == list && *made_under == digest(query) =>
            {
                Ok(position.to_vec())
            }
            _ => Err(CursorError::OtherQuery),
        }
    }

    /// The position the `cursor` parameter `given` resumes after, as `width` values whose
    /// parsing `read` does, or `None` (no cursor: start with the newest).
    pub fn resume<P>(
        &self,
        given: Option<&str>,
        list: &str,
        query: &str,
        read: impl FnOnce(&[String]) -> Option<P>,
    ) -> Result<Option<P>, CursorError> {
        let Some(given) = given.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let position = self.open(given, list, query)?;
        // A genuine cursor always reads; this guards against one from another version.
        read(&position).map(Some).ok_or(CursorError::Forged)
    }

    /// Cut `items`, read one more than `wanted`, down to `wanted`, and make the cursor that
    /// resumes after the last one kept when there are more.
    pub fn page<T>(
        &self,
        items: &mut Vec<T>,
        wanted: i64,
        list: &str,
        query: &str,
        position: impl Fn(&T) -> Vec<String>,
    ) -> Option<String> {
        let wanted = usize::try_from(wanted).unwrap_or(0);
        if items.len() <= wanted {
            return None;
        }
        items.truncate(wanted);
        items
            .last()
            .map(|last| self.seal(list, query, &position(last)))
    }
}

/// Two values as a time (or any integer) and an id.
pub fn pair(position: &[String]) -> Option<(i64, i64)> {
    match position {
        [a, b] => Some((a.parse().ok()?, b.parse().ok()?)),
        _ => None,
    }
}

fn digest(query: &str) -> String {
    let hash = Sha256::digest(query.as_bytes());
    URL_SAFE_NO_PAD.encode(&hash[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursors(secret: &str) -> Cursors {
        Cursors {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes()),
        }
    }

    #[test]
    fn a_cursor_opens_only_for_its_list_and_filters_under_its_key() {
        let c = cursors("one");
        let position = vec!["1764547200000000".to_string(), "42".to_string()];
        let sealed = c.seal("stories", "status=draft", &position);
        assert_eq!(c.open(&sealed, "stories", "status=draft"), Ok(position));
        assert_eq!(
            c.open(&sealed, "stories", "status=published"),
            Err(CursorError::OtherQuery)
        );
        assert_eq!(
            c.open(&sealed, "media", "status=draft"),
            Err(CursorError::OtherQuery)
        );
        assert_eq!(
            cursors("two").open(&sealed, "stories", "status=draft"),
            Err(CursorError::Forged)
        );
        for garbled in ["", "abc", "abc.def", &sealed[1..], &format!("{sealed}x")] {
            assert_eq!(
                c.open(garbled, "stories", "status=draft"),
                Err(CursorError::Forged),
                "{garbled}"
            );
        }
    }
}
