//! The reader's dictionary: English words looked up in a compact WordNet 3 lexicon.
//!
//! The lexicon (`data/lexicon.txt.gz`, built from WordNet by `build-lexicon`; see
//! `lexicon.rs` for its format) is compiled into the binary so the dictionary works on any
//! install, and decompressed on first use: a server whose readers never open the
//! dictionary pays nothing for it but the binary's size.
//!
//! A look-up is forgiving the way a reader's double-click needs: case and surrounding
//! punctuation are ignored, a possessive is dropped, inflected forms are reduced to their
//! lemmas with WordNet's morphy rules (`soldiers` -> `soldier`), and a word given with its
//! neighbours is first tried as part of a phrase the lexicon has (`Korea` after `North`).

pub mod lexicon;
pub mod morphy;
pub mod wordnet;

use lexicon::{Lexicon, Pos};
use serde::Serialize;
use std::sync::OnceLock;

/// The lexicon shipped with the program (see the README for how to rebuild it).
const EMBEDDED: &[u8] = include_bytes!("../../data/lexicon.txt.gz");

/// Longer than any lemma WordNet has (71 characters) with room for punctuation around it;
/// anything longer is not a word a reader picked.
pub const MAX_QUERY_CHARS: usize = 100;

/// What a look-up found: one entry per lemma and part of speech, the commonest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// How the first entry's lemma is written (`soldier`, `North Korea`).
    pub headword: String,
    /// The first entry's lemma (lower case, spaces between words).
    pub lemma: String,
    pub entries: Vec<PosEntry>,
}

/// The senses of one lemma in one part of speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PosEntry {
    pub part_of_speech: &'static str,
    pub headword: String,
    pub lemma: String,
    pub definitions: Vec<Definition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// The neighbours of a double-clicked word, which may make a phrase with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub previous: Option<&'a str>,
    pub next: Option<&'a str>,
}

pub struct Dictionary {
    lexicon: Lexicon,
}

static SHIPPED: OnceLock<Dictionary> = OnceLock::new();

/// The dictionary built into the program, decompressed on the first call (about a tenth of
/// a second in a release build: call it off the async threads the first time).
pub fn shipped() -> &'static Dictionary {
    SHIPPED.get_or_init(|| {
        let lexicon = Lexicon::from_gzip(EMBEDDED)
            // The bytes are part of the binary and a test reads them: failing here is a
            // broken build, not a runtime condition.
            .expect("the built-in lexicon is readable");
        Dictionary::new(lexicon)
    })
}

/// The built-in dictionary if something has already loaded it.
pub fn shipped_if_loaded() -> Option<&'static Dictionary> {
    SHIPPED.get()
}

impl Dictionary {
    pub fn new(lexicon: Lexicon) -> Dictionary {
        Dictionary { lexicon }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Look up a word or a phrase (`North Korea`, `north_korea`).
    pub fn lookup(&self, query: &str) -> Option<Entry> {
        keys(query).iter().find_map(|key| self.lookup_key(key))
    }

    /// Look up a word as it stands between its neighbours: a phrase the lexicon has
    /// (`North Korea`, `take off`) wins over the word alone, longest first.
    pub fn lookup_in_context(&self, word: &str, context: Context<'_>) -> Option<Entry> {
        let previous = context.previous.map(str::trim).filter(|w| !w.is_empty());
        let next = context.next.map(str::trim).filter(|w| !w.is_empty());
        let phrases = [
            previous.zip(next).map(|(p, n)| format!("{p} {word} {n}")),
            previous.map(|p| format!("{p} {word}")),
            next.map(|n| format!("{word} {n}")),
        ];
        phrases
            .into_iter()
            .flatten()
            .find_map(|phrase| self.lookup(&phrase))
            .or_else(|| self.lookup(word))
    }

    fn lookup_key(&self, key: &str) -> Option<Entry> {
        let mut entries: Vec<(u32, PosEntry)> = Vec::new();
        for pos in Pos::ALL {
            for lemma in morphy::lemmas(&self.lexicon, key, pos) {
                let Some(word) = self.lexicon.word(&lemma, pos) else {
                    continue;
                };
                let entry = PosEntry {
                    part_of_speech: pos.name(),
                    headword: word.display(),
                    lemma: lemma.replace('_', " "),
                    definitions: word
                        .senses()
                        .map(|sense| Definition {
                            text: sense.definition.to_string(),
                            example: sense.example.map(str::to_string),
                        })
                        .collect(),
                };
                entries.push((word.weight(), entry));
            }
        }
        // Commonest reading first, so `elevated` leads with the verb `elevate` rather than
        // the rare noun `elevated` (a railway); a stable sort keeps WordNet's order on ties.
        entries.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
        let entries: Vec<PosEntry> = entries.into_iter().map(|(_, entry)| entry).collect();
        let first = entries.first()?;
        Some(Entry {
            headword: first.headword.clone(),
            lemma: first.lemma.clone(),
            entries,
        })
    }
}

/// The lexicon keys to try for what a reader picked, most literal first: lower case, `_`
/// between words, then without surrounding punctuation, then without a possessive.
fn keys(query: &str) -> Vec<String> {
    let normalised: String = query
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
        .to_lowercase();
    let mut keys = vec![normalised.clone()];
    // Keep inner punctuation (`u.s.`, `jong-un`), drop what sentences put around words.
    let bare = normalised.trim_matches(|c: char| !c.is_alphanumeric());
    keys.push(bare.to_string());
    // A trailing `'` (`soldiers'`) went with the punctuation; `'s` must go by hand.
    if let Some(stem) = bare.strip_suffix("'s") {
        keys.push(stem.to_string());
    }
    keys.retain(|key| !key.is_empty());
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(word: &str) -> Option<Entry> {
        shipped().lookup(word)
    }

    fn has(entry: &Entry, part_of_speech: &str, lemma: &str) -> bool {
        entry
            .entries
            .iter()
            .any(|e| e.part_of_speech == part_of_speech && e.lemma == lemma)
    }

    #[test]
    fn plurals_reduce_to_their_noun() {
        let entry = lookup("soldiers").unwrap();
        assert_eq!(
            (entry.headword.as_str(), entry.lemma.as_str()),
            ("soldier", "soldier")
        );
        assert_eq!(entry.entries[0].part_of_speech, "noun");
        assert!(
            entry.entries[0].definitions[0]
                .text
                .contains("serves in an army"),
            "{:?}",
            entry.entries[0]
        );
        assert!(has(&entry, "verb", "soldier"));
    }

    #[test]
    fn past_tenses_reduce_to_their_verb() {
        let entry = lookup("killed").unwrap();
        assert_eq!(entry.lemma, "kill");
        assert_eq!(entry.entries[0].part_of_speech, "verb");
        assert!(entry.entries[0].definitions.len() <= wordnet::MAX_SENSES);
    }

    #[test]
    fn the_commoner_reading_comes_first() {
        // `elevated` is also an adjective and a (rare) noun in its own right.
        let entry = lookup("elevated").unwrap();
        assert_eq!(entry.lemma, "elevate");
        assert_eq!(entry.entries[0].part_of_speech, "verb");
        assert!(has(&entry, "adjective", "elevated"));
        assert!(has(&entry, "noun", "elevated"));
    }

    #[test]
    fn irregular_forms_come_from_the_exception_lists() {
        let entry = lookup("geese").unwrap();
        assert_eq!(entry.lemma, "goose");
        let entry = lookup("went").unwrap();
        assert!(has(&entry, "verb", "go"), "{entry:?}");
    }

    #[test]
    fn phrases_are_found_whole_or_from_a_neighbour() {
        for query in ["North Korea", "north_korea", "  North\u{a0}Korea "] {
            let entry = lookup(query).unwrap_or_else(|| panic!("{query:?}"));
            assert_eq!(entry.headword, "North Korea", "{query:?}");
            assert_eq!(entry.lemma, "north korea");
        }
        let dictionary = shipped();
        let after_north = Context {
            previous: Some("North"),
            next: Some("describes"),
        };
        let entry = dictionary.lookup_in_context("Korea", after_north).unwrap();
        assert_eq!(entry.headword, "North Korea");
        let before_korea = Context {
            previous: Some("which"),
            next: Some("Korea"),
        };
        let entry = dictionary.lookup_in_context("North", before_korea).unwrap();
        assert_eq!(entry.headword, "North Korea");
        // No phrase: the word alone.
        let plain = Context {
            previous: Some("South"),
            next: Some("and"),
        };
        let entry = dictionary.lookup_in_context("soldiers", plain).unwrap();
        assert_eq!(entry.lemma, "soldier");
    }

    #[test]
    fn punctuation_case_and_possessives_are_ignored() {
        assert_eq!(lookup("Soldiers,").unwrap().lemma, "soldier");
        assert_eq!(lookup("\u{201c}Geese").unwrap().lemma, "goose");
        assert_eq!(lookup("Korea\u{2019}s").unwrap().headword, "Korea");
        assert_eq!(lookup("U.S.").unwrap().headword, "U.S.");
    }

    #[test]
    fn unknown_words_are_not_found() {
        assert_eq!(lookup("xqzzyblorf"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup(" .,; "), None);
    }

    #[test]
    fn the_shipped_lexicon_is_complete() {
        let lexicon = shipped().lexicon();
        // WordNet 3.0 has 155,287 lemma and part-of-speech pairs.
        assert!(lexicon.word_count() > 150_000, "{}", lexicon.word_count());
    }
}
