//! WordNet's "morphy": from an inflected form to the lemmas the lexicon has for it.
//!
//! The rules are WordNet's own (its `morph.c`, documented in `morphy(7WN)`): an irregular
//! form is looked up in the exception lists (`geese` -> `goose`, `went` -> `go`); any other
//! form has each of its part of speech's suffixes detached in turn (`soldiers` -> `soldier`,
//! `elevated` -> `elevate`, `killed` -> `kill`). A candidate counts only if the lexicon has it
//! in that part of speech, which is what throws out `elevat` (from the other `-ed` rule).
//! Collocations (`prime_ministers`, `took_off`) are tried with their last and their first
//! word reduced, since English inflects a phrase on its head.

use super::lexicon::{Lexicon, Pos};

/// Suffix detachment rules, `(ending, replacement)`, in WordNet's order.
fn rules(pos: Pos) -> &'static [(&'static str, &'static str)] {
    match pos {
        Pos::Noun => &[
            ("s", ""),
            ("ses", "s"),
            ("xes", "x"),
            ("zes", "z"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("men", "man"),
            ("ies", "y"),
        ],
        Pos::Verb => &[
            ("s", ""),
            ("ies", "y"),
            ("es", "e"),
            ("es", ""),
            ("ed", "e"),
            ("ed", ""),
            ("ing", "e"),
            ("ing", ""),
        ],
        Pos::Adjective => &[("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
        Pos::Adverb => &[],
    }
}

/// The lemmas `form` (lower case, `_` between words) may be an inflection of, in
/// `pos`, each one in the lexicon; the form itself comes first when it is a lemma too.
pub fn lemmas(lexicon: &Lexicon, form: &str, pos: Pos) -> Vec<String> {
    let mut candidates = reductions(lexicon, form, pos);
    if let Some((head, last)) = form.rsplit_once('_') {
        for reduced in reductions(lexicon, last, pos).into_iter().skip(1) {
            candidates.push(format!("{head}_{reduced}"));
        }
    }
    if let Some((first, tail)) = form.split_once('_') {
        for reduced in reductions(lexicon, first, pos).into_iter().skip(1) {
            candidates.push(format!("{reduced}_{tail}"));
        }
    }
    let mut found: Vec<String> = Vec::new();
    for candidate in candidates {
        if !found.contains(&candidate) && lexicon.word(&candidate, pos).is_some() {
            found.push(candidate);
        }
    }
    found
}

/// `form` followed by what the exception list or, failing that, the detachment rules make
/// of it; not yet checked against the lexicon.
fn reductions(lexicon: &Lexicon, form: &str, pos: Pos) -> Vec<String> {
    let mut out = vec![form.to_string()];
    let exceptions: Vec<&str> = lexicon.exceptions(form, pos).collect();
    if !exceptions.is_empty() {
        // WordNet trusts a listed irregular form and does not also apply the rules to it.
        out.extend(exceptions.into_iter().map(str::to_string));
        return out;
    }
    for (ending, replacement) in rules(pos) {
        if let Some(stem) = form.strip_suffix(ending)
            && !stem.is_empty()
        {
            out.push(format!("{stem}{replacement}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::lexicon::{ExceptionRecord, LexiconRecords, SynsetRecord, WordRecord};

    /// A lexicon of a few words, so the rules are tested apart from WordNet's data (the
    /// tests in `dictionary` run them over the real lexicon).
    fn lexicon(words: &[(&str, Pos)], exceptions: &[(&str, Pos, &str)]) -> Lexicon {
        let records = LexiconRecords {
            synsets: vec![SynsetRecord {
                definition: "a sense".into(),
                example: None,
            }],
            words: words
                .iter()
                .map(|&(lemma, pos)| WordRecord {
                    lemma: lemma.into(),
                    pos,
                    weight: 0,
                    display: None,
                    synsets: vec![0],
                })
                .collect(),
            exceptions: exceptions
                .iter()
                .map(|&(form, pos, base)| ExceptionRecord {
                    pos,
                    form: form.into(),
                    bases: vec![base.into()],
                })
                .collect(),
        };
        let mut text = Vec::new();
        records.write_text(&mut text).unwrap();
        Lexicon::parse(String::from_utf8(text).unwrap()).unwrap()
    }

    #[test]
    fn suffixes_are_detached_per_part_of_speech() {
        let lex = lexicon(
            &[
                ("box", Pos::Noun),
                ("church", Pos::Noun),
                ("fireman", Pos::Noun),
                ("city", Pos::Noun),
                ("elevate", Pos::Verb),
                ("kill", Pos::Verb),
                ("carry", Pos::Verb),
                ("make", Pos::Verb),
                ("large", Pos::Adjective),
                ("tall", Pos::Adjective),
            ],
            &[],
        );
        assert_eq!(lemmas(&lex, "boxes", Pos::Noun), ["box"]);
        assert_eq!(lemmas(&lex, "churches", Pos::Noun), ["church"]);
        assert_eq!(lemmas(&lex, "firemen", Pos::Noun), ["fireman"]);
        assert_eq!(lemmas(&lex, "cities", Pos::Noun), ["city"]);
        assert_eq!(lemmas(&lex, "elevated", Pos::Verb), ["elevate"]);
        assert_eq!(lemmas(&lex, "killing", Pos::Verb), ["kill"]);
        assert_eq!(lemmas(&lex, "carries", Pos::Verb), ["carry"]);
        assert_eq!(lemmas(&lex, "making", Pos::Verb), ["make"]);
        assert_eq!(lemmas(&lex, "larger", Pos::Adjective), ["large"]);
        assert_eq!(lemmas(&lex, "tallest", Pos::Adjective), ["tall"]);
        // Only lemmas of the part of speech asked about count.
        assert!(lemmas(&lex, "kills", Pos::Noun).is_empty());
        assert!(lemmas(&lex, "s", Pos::Noun).is_empty());
    }

    #[test]
    fn exceptions_win_over_the_rules() {
        let lex = lexicon(
            &[("goose", Pos::Noun), ("go", Pos::Verb), ("went", Pos::Noun)],
            &[("geese", Pos::Noun, "goose"), ("went", Pos::Verb, "go")],
        );
        assert_eq!(lemmas(&lex, "geese", Pos::Noun), ["goose"]);
        assert_eq!(lemmas(&lex, "went", Pos::Verb), ["go"]);
        // The form itself stays first where it is a lemma of its own.
        assert_eq!(lemmas(&lex, "went", Pos::Noun), ["went"]);
    }

    #[test]
    fn collocations_inflect_on_their_head() {
        let lex = lexicon(
            &[("prime_minister", Pos::Noun), ("take_off", Pos::Verb)],
            &[("took", Pos::Verb, "take")],
        );
        assert_eq!(
            lemmas(&lex, "prime_ministers", Pos::Noun),
            ["prime_minister"]
        );
        assert_eq!(lemmas(&lex, "took_off", Pos::Verb), ["take_off"]);
    }
}
