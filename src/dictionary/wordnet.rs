//! Reading WordNet 3's database files into lexicon records (used by `build-lexicon` only).
//!
//! From each `index.POS` it keeps every lemma with its first `MAX_SENSES` senses (WordNet
//! lists them commonest first); from `data.POS` only those senses' definitions and first
//! examples, and the lemma's written form (`North_Korea` for `north_korea`); from
//! `cntlist.rev` how often each lemma was tagged, to order parts of speech; and the
//! `*.exc` exception lists whole. Pointers, offsets and lexicographer data are dropped.

use super::lexicon::{ExceptionRecord, LexiconRecords, Pos, SynsetRecord, WordRecord};
use std::collections::HashMap;
use std::io;
use std::path::Path;

/// Senses kept per lemma and part of speech: readers want the common meanings, and the
/// long tail (`kill` has 15 verb senses) would triple the lexicon.
pub const MAX_SENSES: usize = 4;

/// The file name part WordNet uses for each part of speech.
fn file_stem(pos: Pos) -> &'static str {
    match pos {
        Pos::Noun => "noun",
        Pos::Verb => "verb",
        Pos::Adjective => "adj",
        Pos::Adverb => "adv",
    }
}

fn invalid(file: &str, line: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{file}: cannot read the line {line:?}"),
    )
}

/// Read a WordNet 3 database directory (Debian's `wordnet-base` puts it in
/// `/usr/share/wordnet`).
pub fn read(dir: &Path) -> io::Result<LexiconRecords> {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.join(name).display())))
    };
    let counts = read("cntlist.rev")?;
    let weights = tag_counts(&counts);
    let mut records = LexiconRecords::default();
    for pos in Pos::ALL {
        let stem = file_stem(pos);
        let data_file = format!("data.{stem}");
        let data = read(&data_file)?;
        let synsets = synset_lines(&data);
        // A synset shared by several lemmas is stored once.
        let mut numbered: HashMap<&str, u32> = HashMap::new();
        let index_file = format!("index.{stem}");
        let index = read(&index_file)?;
        for line in index.lines().filter(|l| !l.starts_with(' ')) {
            let (lemma, offsets) = index_line(line).ok_or_else(|| invalid(&index_file, line))?;
            let mut word = WordRecord {
                lemma: lemma.to_string(),
                pos,
                weight: weights.get(&(lemma, pos)).copied().unwrap_or(0),
                display: None,
                synsets: Vec::new(),
            };
            for offset in offsets.into_iter().take(MAX_SENSES) {
                let synset_line = synsets
                    .get(offset)
                    .ok_or_else(|| invalid(&data_file, offset))?;
                let synset =
                    data_line(synset_line).ok_or_else(|| invalid(&data_file, synset_line))?;
                if word.synsets.is_empty() {
                    word.display = display_form(lemma, &synset.words);
                }
                let next = records.synsets.len() as u32;
                let number = *numbered.entry(offset).or_insert(next);
                if number == next {
                    let (definition, example) = split_gloss(synset.gloss);
                    records.synsets.push(SynsetRecord {
                        definition,
                        example,
                    });
                }
                word.synsets.push(number);
            }
            records.words.push(word);
        }
        let exc_file = format!("{stem}.exc");
        for line in read(&exc_file)?.lines() {
            let mut fields = line.split_whitespace();
            let form = fields.next().ok_or_else(|| invalid(&exc_file, line))?;
            // Some lines map a form to itself (`acer acer`): nothing to learn from those.
            let bases: Vec<String> = fields.filter(|b| *b != form).map(str::to_string).collect();
            if !bases.is_empty() {
                records.exceptions.push(ExceptionRecord {
                    pos,
                    form: form.to_string(),
                    bases,
                });
            }
        }
    }
    records
        .words
        .sort_by(|a, b| (&a.lemma, a.pos).cmp(&(&b.lemma, b.pos)));
    records
        .exceptions
        .sort_by(|a, b| (&a.form, a.pos).cmp(&(&b.form, b.pos)));
    Ok(records)
}

/// `cntlist.rev`: `lemma%ss_type:... sense_number tag_count` -> tag counts summed per lemma
/// and part of speech.
fn tag_counts(text: &str) -> HashMap<(&str, Pos), u32> {
    let mut counts = HashMap::new();
    for line in text.lines() {
        let mut fields = line.split(' ');
        let (Some(key), Some(_), Some(count)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Some((lemma, rest)) = key.split_once('%') else {
            continue;
        };
        let pos = match rest.as_bytes().first() {
            Some(b'1') => Pos::Noun,
            Some(b'2') => Pos::Verb,
            Some(b'3' | b'5') => Pos::Adjective,
            Some(b'4') => Pos::Adverb,
            _ => continue,
        };
        *counts.entry((lemma, pos)).or_insert(0) += count.parse::<u32>().unwrap_or(0);
    }
    counts
}

/// `data.POS` lines by their offset (the file's first lines, indented, are its licence).
fn synset_lines(data: &str) -> HashMap<&str, &str> {
    data.lines()
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| Some((line.split_once(' ')?.0, line)))
        .collect()
}

/// `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offset...`
fn index_line(line: &str) -> Option<(&str, Vec<&str>)> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let lemma = *fields.first()?;
    let synset_count: usize = fields.get(2)?.parse().ok()?;
    let pointer_count: usize = fields.get(3)?.parse().ok()?;
    let offsets_start = 4 + pointer_count + 2;
    let offsets = fields.get(offsets_start..offsets_start + synset_count)?;
    Some((lemma, offsets.to_vec()))
}

struct DataLine<'a> {
    words: Vec<&'a str>,
    gloss: &'a str,
}

/// `offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ... | gloss`
fn data_line(line: &str) -> Option<DataLine<'_>> {
    let (head, gloss) = line.split_once(" | ")?;
    let fields: Vec<&str> = head.split(' ').collect();
    let count = usize::from_str_radix(fields.get(3)?, 16).ok()?;
    let words = (0..count)
        .map(|i| fields.get(4 + 2 * i).copied())
        .collect::<Option<Vec<_>>>()?;
    Some(DataLine { words, gloss })
}

/// How a lemma is written in its first synset, when that differs from the lemma read with
/// spaces for underscores (`Korea`, `North Korea`, `U.S.`).
fn display_form(lemma: &str, words: &[&str]) -> Option<String> {
    let written = words
        .iter()
        // Adjectives may carry a syntactic marker: `elevated(p)`.
        .map(|word| word.split_once('(').map_or(*word, |(bare, _)| bare))
        .find(|word| word.eq_ignore_ascii_case(lemma))?;
    (written != lemma).then(|| written.replace('_', " "))
}

/// A gloss is a definition followed by quoted examples:
/// `a ruler's stick; "he waved the baton"; "another"` -> the definition and the first
/// example.
pub fn split_gloss(gloss: &str) -> (String, Option<String>) {
    let gloss = gloss.trim();
    // An example opens with a quote at the start or right after a `;`, so quoted words
    // inside a definition stay part of it.
    let opening = gloss
        .char_indices()
        .find(|&(i, c)| c == '"' && (i == 0 || gloss[..i].trim_end().ends_with(';')));
    let Some((start, _)) = opening else {
        return (gloss.to_string(), None);
    };
    let definition = gloss[..start].trim_end().trim_end_matches(';').trim_end();
    let rest = &gloss[start + 1..];
    let example = rest
        .split_once('"')
        .map_or(rest, |(quoted, _)| quoted)
        .trim();
    let example = (!example.is_empty()).then(|| example.to_string());
    if definition.is_empty() {
        // A handful of glosses are only examples; show the example as the definition.
        return (example.unwrap_or_default(), None);
    }
    (definition.to_string(), example)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glosses_split_into_definition_and_first_example() {
        assert_eq!(
            split_gloss(
                r#"an enlisted man or woman who serves in an army; "the soldiers stood at attention"  "#
            ),
            (
                "an enlisted man or woman who serves in an army".to_string(),
                Some("the soldiers stood at attention".to_string())
            )
        );
        assert_eq!(
            split_gloss(
                r#"cause to die; put to death; "This man killed several people"; "The sudden cold killed the plants""#
            ),
            (
                "cause to die; put to death".to_string(),
                Some("This man killed several people".to_string())
            )
        );
        assert_eq!(
            split_gloss(r#"the word "the" and its kin"#),
            (r#"the word "the" and its kin"#.to_string(), None)
        );
        assert_eq!(
            split_gloss("a large web-footed swimming bird"),
            ("a large web-footed swimming bird".to_string(), None)
        );
    }

    #[test]
    fn lines_are_read_by_their_fields() {
        let (lemma, offsets) = index_line("soldier n 2 3 @ ~ + 2 1 10622053 02207647  ").unwrap();
        assert_eq!((lemma, offsets), ("soldier", vec!["10622053", "02207647"]));
        let line = "08955082 15 n 02 North_Korea 0 Democratic_People's_Republic_of_Korea 0 001 @ 08544813 n 0000 | a communist state in the northern half of Korea  ";
        let data = data_line(line).unwrap();
        assert_eq!(
            data.words,
            ["North_Korea", "Democratic_People's_Republic_of_Korea"]
        );
        assert_eq!(
            display_form("north_korea", &data.words).as_deref(),
            Some("North Korea")
        );
        assert_eq!(display_form("soldier", &["soldier"]), None);
        assert_eq!(display_form("elevated", &["elevated(p)"]), None);
    }
}
