//! Slugs: the readable, stable words in a URL.
//!
//! A slug keeps letters and digits of any script (a Korean headline keeps its Hangul; browsers
//! show it decoded), lower-cases what has case, drops apostrophes so that "New Year's" reads
//! `new-years`, and joins the rest with single hyphens. It is cut at a word boundary so URLs stay
//! short; the story id in the URL, not the slug, identifies the story.

/// The longest slug we make, in characters.
pub const MAX_SLUG_CHARS: usize = 72;

/// Make a slug from any text; returns `"story"` when nothing usable is left (say, a headline
/// of punctuation only), because a URL segment may not be empty.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}') {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    if out.chars().count() > MAX_SLUG_CHARS {
        let cut: String = out.chars().take(MAX_SLUG_CHARS).collect();
        out = match cut.rfind('-') {
            Some(at) if at > 0 => cut[..at].to_string(),
            _ => cut,
        };
    }
    if out.is_empty() {
        out.push_str("story");
    }
    out
}

/// Normalise a headline for matching one written elsewhere (an archive's "Related Stories"
/// list) against the stories in the store: case, spacing and quote styles differ between
/// copies of the same headline, so they are folded away.
pub fn headline_key(headline: &str) -> String {
    let mut out = String::with_capacity(headline.len());
    for word in headline.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2018}' | '\u{2019}' | '`' => out.push('\''),
                '\u{201c}' | '\u{201d}' => out.push('"'),
                '\u{2013}' | '\u{2014}' => out.push('-'),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_apostrophes_and_joins_words() {
        assert_eq!(
            slugify("Putin sends New Year's message"),
            "putin-sends-new-years-message"
        );
        assert_eq!(slugify("  Food & Travel "), "food-travel");
        assert_eq!(slugify("K-pop: 2026's best"), "k-pop-2026s-best");
    }

    #[test]
    fn keeps_hangul() {
        assert_eq!(slugify("북한 관광 재개"), "북한-관광-재개");
    }

    #[test]
    fn never_empty_and_cut_at_a_word() {
        assert_eq!(slugify("?!"), "story");
        let long = "word ".repeat(40);
        let slug = slugify(&long);
        assert!(slug.chars().count() <= MAX_SLUG_CHARS);
        assert!(!slug.ends_with('-'));
        assert!(slug.ends_with("word"));
    }

    #[test]
    fn headline_key_folds_quotes_case_and_space() {
        assert_eq!(
            headline_key("Kim’s  bromance — in Pictures"),
            headline_key("kim's bromance - in pictures")
        );
    }
}
