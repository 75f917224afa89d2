//! The lexicon: what the dictionary knows, in memory and in its file.
//!
//! The file (`data/lexicon.txt.gz`, written by `build-lexicon`) is gzip-compressed UTF-8
//! text in three counted sections, one record a line, fields separated by tabs:
//!
//! ```text
//! broadsheet-lexicon 1
//! synsets N
//! DEFINITION \t EXAMPLE                      (EXAMPLE may be empty)
//! words N
//! LEMMA \t POS \t WEIGHT \t DISPLAY \t SYNSET,SYNSET,...
//! exceptions N
//! POS \t FORM \t BASE BASE ...
//! ```
//!
//! `LEMMA` is WordNet's lower-case key with `_` between words; `DISPLAY` is empty when the
//! lemma reads the same with spaces for underscores. `POS` is `n`, `v`, `a` or `r`. `WEIGHT`
//! is how often the lemma was tagged in that part of speech in WordNet's sense-tagged
//! corpus, so the commoner reading of a form can be shown first. `SYNSET` numbers index the
//! synsets section, commonest sense first.
//!
//! In memory the decompressed text is kept whole and every record points into it by byte
//! span, so the lexicon costs its text plus a few small fixed-size rows per word.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::ops::Range;

/// A part of speech as WordNet has them (adjective satellites count as adjectives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pos {
    Noun,
    Verb,
    Adjective,
    Adverb,
}

impl Pos {
    pub const ALL: [Pos; 4] = [Pos::Noun, Pos::Verb, Pos::Adjective, Pos::Adverb];

    /// WordNet's one-letter code (`s`, the adjective satellite, reads as an adjective).
    pub fn from_code(code: &str) -> Option<Pos> {
        match code {
            "n" => Some(Pos::Noun),
            "v" => Some(Pos::Verb),
            "a" | "s" => Some(Pos::Adjective),
            "r" => Some(Pos::Adverb),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Pos::Noun => "n",
            Pos::Verb => "v",
            Pos::Adjective => "a",
            Pos::Adverb => "r",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Pos::Noun => "noun",
            Pos::Verb => "verb",
            Pos::Adjective => "adjective",
            Pos::Adverb => "adverb",
        }
    }
}

const MAGIC: &str = "broadsheet-lexicon 1";

/// Why a lexicon file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("cannot decompress the lexicon: {0}")]
    Io(#[from] io::Error),
    #[error("lexicon line {line}: {problem}")]
    Format { line: usize, problem: String },
}

// ---------------------------------------------------------------------------------------
// Writing (the build tool's side): plain owned records.

/// One definition of a synset, with WordNet's first example for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynsetRecord {
    pub definition: String,
    pub example: Option<String>,
}

/// One lemma in one part of speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordRecord {
    pub lemma: String,
    pub pos: Pos,
    pub weight: u32,
    /// How the lemma is written (capitals, spaces), when that is more than underscores.
    pub display: Option<String>,
    /// Indexes into the synsets, commonest sense first.
    pub synsets: Vec<u32>,
}

/// An irregular form and its base forms, from WordNet's `*.exc` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionRecord {
    pub pos: Pos,
    pub form: String,
    pub bases: Vec<String>,
}

/// Everything a lexicon file holds, as the build tool assembles it.
#[derive(Debug, Default)]
pub struct LexiconRecords {
    pub synsets: Vec<SynsetRecord>,
    pub words: Vec<WordRecord>,
    pub exceptions: Vec<ExceptionRecord>,
}

impl LexiconRecords {
    /// Write the file's text (uncompressed); tabs and newlines inside fields become spaces
    /// so a stray one in the source cannot break the format.
    pub fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        let mut text = String::new();
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let _ = writeln!(text, "{MAGIC}");
        let _ = writeln!(text, "synsets {}", self.synsets.len());
        for synset in &self.synsets {
            let example = synset.example.as_deref().unwrap_or("");
            let _ = writeln!(text, "{}\t{}", clean(&synset.definition), clean(example));
        }
        let _ = writeln!(text, "words {}", self.words.len());
        for word in &self.words {
            let synsets: Vec<String> = word.synsets.iter().map(u32::to_string).collect();
            let _ = writeln!(
                text,
                "{}\t{}\t{}\t{}\t{}",
                clean(&word.lemma),
                word.pos.code(),
                word.weight,
                clean(word.display.as_deref().unwrap_or("")),
                synsets.join(",")
            );
        }
        let _ = writeln!(text, "exceptions {}", self.exceptions.len());
        for exception in &self.exceptions {
            let _ = writeln!(
                text,
                "{}\t{}\t{}",
                exception.pos.code(),
                clean(&exception.form),
                clean(&exception.bases.join(" "))
            );
        }
        out.write_all(text.as_bytes())
    }
}

// ---------------------------------------------------------------------------------------
// Reading (the server's side): one text, rows of spans into it.

/// A byte range of the lexicon's text; `u32` halves the rows' size against `Range<usize>`.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn of(text: &str, part: &str) -> Span {
        // `part` is always a slice of `text`, so the pointer difference is its offset.
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        Span {
            start: start as u32,
            len: part.len() as u32,
        }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

struct SynsetRow {
    definition: Span,
    example: Span,
}

struct WordRow {
    lemma: Span,
    display: Span,
    weight: u32,
    senses: u32,
    sense_count: u8,
    pos: Pos,
}

struct ExceptionRow {
    form: Span,
    bases: Span,
    pos: Pos,
}

/// The lexicon, read once and shared.
pub struct Lexicon {
    text: String,
    synsets: Vec<SynsetRow>,
    /// Sorted by lemma, then part of speech.
    words: Vec<WordRow>,
    senses: Vec<u32>,
    /// Sorted by form, then part of speech.
    exceptions: Vec<ExceptionRow>,
}

/// One lemma in one part of speech, borrowed from the lexicon.
#[derive(Clone, Copy)]
pub struct Word<'a> {
    lexicon: &'a Lexicon,
    row: &'a WordRow,
}

/// One sense: its definition and maybe an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sense<'a> {
    pub definition: &'a str,
    pub example: Option<&'a str>,
}

impl<'a> Word<'a> {
    pub fn lemma(&self) -> &'a str {
        self.lexicon.str(self.row.lemma)
    }

    pub fn pos(&self) -> Pos {
        self.row.pos
    }

    pub fn weight(&self) -> u32 {
        self.row.weight
    }

    /// How the lemma is written: `North Korea` for `north_korea`.
    pub fn display(&self) -> String {
        if self.row.display.len == 0 {
            self.lemma().replace('_', " ")
        } else {
            self.lexicon.str(self.row.display).to_string()
        }
    }

    pub fn senses(&self) -> impl Iterator<Item = Sense<'a>> + 'a {
        let lexicon = self.lexicon;
        let start = self.row.senses as usize;
        let end = start + usize::from(self.row.sense_count);
        lexicon.senses[start..end].iter().map(move |&i| {
            let row = &lexicon.synsets[i as usize];
            Sense {
                definition: lexicon.str(row.definition),
                example: (row.example.len > 0).then(|| lexicon.str(row.example)),
            }
        })
    }
}

impl Lexicon {
    /// Read a gzip-compressed lexicon file.
    pub fn from_gzip(bytes: &[u8]) -> Result<Lexicon, LexiconError> {
        // gzip's last four bytes give the uncompressed size: reserve exactly that, so the
        // text is not copied as it grows nor left with spare capacity.
        let size = bytes
            .last_chunk::<4>()
            .map_or(0, |trailer| u32::from_le_bytes(*trailer) as usize);
        let mut text = String::with_capacity(size);
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut text)?;
        Lexicon::parse(text)
    }

    /// Read the file's text.
    pub fn parse(text: String) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon {
            text: String::new(),
            synsets: Vec::new(),
            words: Vec::new(),
            senses: Vec::new(),
            exceptions: Vec::new(),
        };
        let mut lines = Lines::new(&text);
        let magic = lines.next_line()?;
        if magic != MAGIC {
            return Err(lines.error(format!("expected {MAGIC:?}, found {magic:?}")));
        }

        let count = lines.header("synsets")?;
        lexicon.synsets.reserve_exact(count);
        for _ in 0..count {
            let [definition, example] = lines.fields()?;
            lexicon.synsets.push(SynsetRow {
                definition: Span::of(&text, definition),
                example: Span::of(&text, example),
            });
        }

        let count = lines.header("words")?;
        lexicon.words.reserve_exact(count);
        for _ in 0..count {
            let [lemma, pos, weight, display, synsets] = lines.fields()?;
            let pos = lines.pos(pos)?;
            let weight = weight
                .parse()
                .map_err(|_| lines.error(format!("bad weight {weight:?}")))?;
            let senses = lexicon.senses.len() as u32;
            for index in synsets.split(',') {
                let index: u32 = index
                    .parse()
                    .ok()
                    .filter(|&i| (i as usize) < lexicon.synsets.len())
                    .ok_or_else(|| lines.error(format!("bad synset number {index:?}")))?;
                lexicon.senses.push(index);
            }
            let sense_count = u8::try_from(lexicon.senses.len() - senses as usize)
                .map_err(|_| lines.error("too many senses".into()))?;
            lexicon.words.push(WordRow {
                lemma: Span::of(&text, lemma),
                display: Span::of(&text, display),
                weight,
                senses,
                sense_count,
                pos,
            });
        }

        let count = lines.header("exceptions")?;
        lexicon.exceptions.reserve_exact(count);
        for _ in 0..count {
            let [pos, form, bases] = lines.fields()?;
            let pos = lines.pos(pos)?;
            lexicon.exceptions.push(ExceptionRow {
                form: Span::of(&text, form),
                bases: Span::of(&text, bases),
                pos,
            });
        }

        // The build tool writes sorted rows; sorting again (near free on sorted input)
        // keeps the binary searches right whatever wrote the file.
        lexicon
            .words
            .sort_by(|a, b| (&text[a.lemma.range()], a.pos).cmp(&(&text[b.lemma.range()], b.pos)));
        lexicon
            .exceptions
            .sort_by(|a, b| (&text[a.form.range()], a.pos).cmp(&(&text[b.form.range()], b.pos)));
        lexicon.text = text;
        Ok(lexicon)
    }

    fn str(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// Every part of speech `lemma` has, in `Pos` order.
    pub fn words(&self, lemma: &str) -> impl Iterator<Item = Word<'_>> {
        let start = self
            .words
            .partition_point(|row| self.str(row.lemma) < lemma);
        self.words[start..]
            .iter()
            .take_while(move |row| self.str(row.lemma) == lemma)
            .map(move |row| Word { lexicon: self, row })
    }

    pub fn word(&self, lemma: &str, pos: Pos) -> Option<Word<'_>> {
        self.words(lemma).find(|word| word.pos() == pos)
    }

    /// The base forms WordNet lists for an irregular `form` (`geese` -> `goose`).
    pub fn exceptions(&self, form: &str, pos: Pos) -> impl Iterator<Item = &str> {
        let start = self
            .exceptions
            .partition_point(|row| (self.str(row.form), row.pos) < (form, pos));
        self.exceptions[start..]
            .iter()
            .take_while(move |row| self.str(row.form) == form && row.pos == pos)
            .flat_map(move |row| self.str(row.bases).split(' '))
            .filter(|base| !base.is_empty())
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Bytes held: the text plus the rows (what the lexicon adds to the process).
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.synsets.capacity() * size_of::<SynsetRow>()
            + self.words.capacity() * size_of::<WordRow>()
            + self.senses.capacity() * size_of::<u32>()
            + self.exceptions.capacity() * size_of::<ExceptionRow>()
    }
}

/// The file's lines, counted for error messages.
struct Lines<'a> {
    inner: std::str::Lines<'a>,
    number: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            inner: text.lines(),
            number: 0,
        }
    }

    fn error(&self, problem: String) -> LexiconError {
        LexiconError::Format {
            line: self.number,
            problem,
        }
    }

    fn next_line(&mut self) -> Result<&'a str, LexiconError> {
        self.number += 1;
        self.inner
            .next()
            .ok_or_else(|| self.error("the file ends early".into()))
    }

    fn header(&mut self, name: &str) -> Result<usize, LexiconError> {
        let line = self.next_line()?;
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|count| count.parse().ok())
            .ok_or_else(|| self.error(format!("expected \"{name} COUNT\", found {line:?}")))
    }

    fn fields<const N: usize>(&mut self) -> Result<[&'a str; N], LexiconError> {
        let line = self.next_line()?;
        let mut parts = line.split('\t');
        let fields: [Option<&'a str>; N] = std::array::from_fn(|_| parts.next());
        match (fields.iter().all(Option::is_some), parts.next()) {
            (true, None) => Ok(fields.map(|f| f.unwrap_or_default())),
            _ => Err(self.error(format!("expected {N} tab-separated fields"))),
        }
    }

    fn pos(&self, code: &str) -> Result<Pos, LexiconError> {
        Pos::from_code(code).ok_or_else(|| self.error(format!("bad part of speech {code:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lexicon {
        let records = LexiconRecords {
            synsets: vec![
                SynsetRecord {
                    definition: "a large web-footed bird".into(),
                    example: None,
                },
                SynsetRecord {
                    definition: "a communist state in northern Korea".into(),
                    example: Some("the North invaded in 1950".into()),
                },
            ],
            words: vec![
                WordRecord {
                    lemma: "north_korea".into(),
                    pos: Pos::Noun,
                    weight: 0,
                    display: Some("North Korea".into()),
                    synsets: vec![1],
                },
                WordRecord {
                    lemma: "goose".into(),
                    pos: Pos::Noun,
                    weight: 3,
                    display: None,
                    synsets: vec![0],
                },
            ],
            exceptions: vec![ExceptionRecord {
                pos: Pos::Noun,
                form: "geese".into(),
                bases: vec!["goose".into()],
            }],
        };
        let mut text = Vec::new();
        records.write_text(&mut text).unwrap();
        Lexicon::parse(String::from_utf8(text).unwrap()).unwrap()
    }

    #[test]
    fn records_survive_the_round_trip() {
        let lexicon = sample();
        assert_eq!(lexicon.word_count(), 2);
        let korea = lexicon.word("north_korea", Pos::Noun).unwrap();
        assert_eq!(korea.display(), "North Korea");
        let senses: Vec<_> = korea.senses().collect();
        assert_eq!(
            senses,
            [Sense {
                definition: "a communist state in northern Korea",
                example: Some("the North invaded in 1950"),
            }]
        );
        let goose = lexicon.word("goose", Pos::Noun).unwrap();
        assert_eq!((goose.display().as_str(), goose.weight()), ("goose", 3));
        assert_eq!(goose.senses().next().unwrap().example, None);
        assert!(lexicon.word("goose", Pos::Verb).is_none());
        let bases: Vec<_> = lexicon.exceptions("geese", Pos::Noun).collect();
        assert_eq!(bases, ["goose"]);
        assert_eq!(lexicon.exceptions("geese", Pos::Verb).count(), 0);
    }

    #[test]
    fn a_damaged_file_names_its_line() {
        let err = Lexicon::parse(format!("{MAGIC}\nsynsets 1\nno tab here\n"))
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "lexicon line 3: expected 2 tab-separated fields"
        );
        let err = Lexicon::parse("something else\n".into()).err().unwrap();
        assert!(
            err.to_string().starts_with("lexicon line 1: expected"),
            "{err}"
        );
    }
}
