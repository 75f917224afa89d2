//! Korean morphological analysis for the search index: lindera 6.2 with mecab-ko-dic.
//!
//! Korean glues particles and endings onto words (북한은, 북한의, 다변화하려는). This analyser
//! reduces each word to its dictionary form (북한, 다변화) and indexes the morphemes of that
//! form that carry meaning: nouns, numerals, verb and adjective stems, roots, adverbs,
//! foreign words, Hanja and numbers. A query word is reduced the same way, so the query
//! 다변화 finds 다변화하려는 and 북한 finds 북한의 and 북한은.
//!
//! The dictionary is not compiled into the binary: lindera's `embed-ko-dic` feature downloads
//! its source in a build script, which cannot work offline. Instead [`build_dictionary`]
//! turns mecab-ko-dic's source (shipped inside the `lindera-ko-dic` 0.26 crate, see
//! [`find_bundled_source`]) into a lindera dictionary directory once, and
//! [`KoreanTokenizer::load`] memory-maps that directory at run time.

use std::borrow::Cow;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lindera::dictionary::{DictionaryBuilder, Lattice, Metadata, load_fs_dictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// What can go wrong building or loading the dictionary.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written; the string says what was being done.
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    /// The source given holds no mecab-ko-dic (no matrix.def in it or one folder down).
    #[error("no mecab-ko-dic source (a folder with matrix.def) in {0}")]
    NotASource(PathBuf),
    /// lindera could not build or load the dictionary.
    #[error(transparent)]
    Lindera(#[from] lindera::error::LinderaError),
}

/// Names what was being done when an I/O error struck, for `map_err`.
fn io(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io(context, source)
}

/// How lindera reads mecab-ko-dic's CSV rows: the metadata.json of the `lindera-ko-dic` 6.2
/// crate (which we cannot use: it downloads), less `connection_id_mapping`, which reorders
/// context ids by a frequency table we lack and only helps cache locality. The space penalty
/// is mecab-ko's `left-space-penalty-factor`: no particle or ending right after a space.
fn ko_dic_metadata() -> Metadata {
    let json = include_str!("korean/ko-dic-metadata.json");
    serde_json::from_str(json).expect("ko-dic-metadata.json is well-formed")
}

/// Builds a lindera dictionary at `out` from mecab-ko-dic's source: its folder, or the
/// `.tar.gz` it is distributed as. `out` must not exist or be empty. The dictionary is built
/// in a scratch folder beside `out` and moved into place at the end, so an interrupted build
/// never leaves a half-written dictionary that [`KoreanTokenizer::load`] would accept.
pub fn build_dictionary(source: &Path, out: &Path) -> Result<(), Error> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(io(format!("creating {}", parent.display())))?;
    // Same file system as `out`, so the final rename is atomic and the 220 MB of unpacked
    // source does not land in a possibly small /tmp.
    let scratch = tempfile::Builder::new()
        .prefix(".ko-dic-build")
        .tempdir_in(parent)
        .map_err(io(format!("creating a folder in {}", parent.display())))?;
    let input = if source.is_file() {
        let file = File::open(source).map_err(io(format!("opening {}", source.display())))?;
        let unpacked = scratch.path().join("src");
        tar::Archive::new(flate2::read::GzDecoder::new(file))
            .unpack(&unpacked)
            .map_err(io(format!("unpacking {}", source.display())))?;
        source_folder(&unpacked)?
    } else {
        source_folder(source)?
    };
    let built = scratch.path().join("dict");
    DictionaryBuilder::new(ko_dic_metadata()).build_dictionary(&input, &built)?;
    fs::rename(&built, out).map_err(io(format!("moving the dictionary to {}", out.display())))
}

/// The folder holding matrix.def: `dir` itself, or the one folder a tarball unpacks into.
fn source_folder(dir: &Path) -> Result<PathBuf, Error> {
    if dir.join("matrix.def").is_file() {
        return Ok(dir.to_path_buf());
    }
    fs::read_dir(dir)
        .map_err(io(format!("reading {}", dir.display())))?
        .flatten()
        .map(|entry| entry.path())
        .find(|sub| sub.join("matrix.def").is_file())
        .ok_or_else(|| Error::NotASource(dir.to_path_buf()))
}

/// Finds the mecab-ko-dic source that the `lindera-ko-dic` 0.26 crate carries, if cargo has
/// fetched that crate. Cargo unpacks every crate it downloads into
/// `$CARGO_HOME/registry/src/<registry>/<name>-<version>/` (`$CARGO_HOME` defaults to
/// `~/.cargo`), and lindera-ko-dic 0.26.x holds `resources/mecab-ko-dic-2.1.1-20180720.tar.gz`
/// (later versions download it instead). Any `resources/mecab-ko-dic-*`, tarball or folder,
/// is taken; of several, the last by name. `lindera-ko-dic-builder-*` does not match.
pub fn find_bundled_source() -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    let children = |dir: PathBuf, prefix: &'static str| {
        let entries = fs::read_dir(dir).into_iter().flatten().flatten();
        entries.filter(move |e| e.file_name().to_string_lossy().starts_with(prefix))
    };
    let mut found: Vec<PathBuf> = children(cargo_home.join("registry").join("src"), "")
        .flat_map(|registry| children(registry.path(), "lindera-ko-dic-0.26."))
        .flat_map(|krate| children(krate.path().join("resources"), "mecab-ko-dic-"))
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found.pop()
}

/// Whether a part-of-speech tag is worth a term. Kept: nouns (NNG NNP), unit nouns (NNBC:
/// 년, 명), numerals (NR), verb and adjective stems (VV VA), roots (XR), adverbs (MAG),
/// foreign words (SL), Hanja (SH), numbers (SN) and Hangul the dictionary does not know
/// (UNKNOWN: new names). Unlike Lucene Nori's defaults, adverbs stay: mecab-ko-dic reads a
/// word it lacks as adverb + noun (다변화 alone is 다/MAG + 변화/NNG), and dropping the
/// adverb would let 다변화 find every 변화. Everything else is a particle, ending, affix,
/// copula, auxiliary, pronoun, dependent noun (것, 수), determiner or symbol: noise.
fn is_content(tag: &str) -> bool {
    matches!(
        tag,
        "NNG" | "NNP" | "NNBC" | "NR" | "VV" | "VA" | "XR" | "MAG" | "SL" | "SH" | "SN" | "UNKNOWN"
    )
}

/// Morphemes that only hang on the end of a word: particles (J*), endings (E*), the
/// suffixes that make verbs and adjectives of nouns (XSV XSA: 다변화-하-다), copulas and
/// auxiliaries. Stripping them from a word leaves its stem.
fn is_ending(tag: &str) -> bool {
    tag.starts_with(['J', 'E']) || matches!(tag, "XSV" | "XSA" | "VCP" | "VCN" | "VX")
}

/// How many of `items` are left when those at the end that are `ending` are taken off.
fn stem_len<T>(items: &[T], ending: impl Fn(&T) -> bool) -> usize {
    items.len() - items.iter().rev().take_while(|item| ending(item)).count()
}

/// One morpheme of lindera's output with the fields used here.
struct Morpheme<'d> {
    start: usize,
    end: usize,
    /// The tag: NNG, or JKS+NP for a dictionary entry that spans several morphemes.
    tag: Cow<'d, str>,
    /// For such entries and for compound nouns, their parts: 하/VV/*+았/EP/*; else "*".
    expression: Cow<'d, str>,
}

impl Morpheme<'_> {
    /// The parts of `expression` as (form, tag); none for "*".
    fn parts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.expression.split('+').filter_map(|part| {
            let (form, rest) = part.split_once('/')?;
            (!form.is_empty()).then_some((form, rest.split('/').next()?))
        })
    }
}

/// A tantivy tokenizer that emits the content morphemes of Korean text (see [`is_content`])
/// and whole Latin words and numbers. Cloning it is cheap: the segmenter and its
/// memory-mapped dictionary are shared.
#[derive(Clone)]
pub struct KoreanTokenizer {
    segmenter: Arc<Segmenter>,
}

impl KoreanTokenizer {
    /// Loads a dictionary built by [`build_dictionary`]. The large tables (the connection
    /// matrix and the word lists) are memory-mapped, so loading is quick and the pages are
    /// shared between processes and read in as texts need them.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let dictionary = load_fs_dictionary(dir)?;
        let segmenter = Arc::new(Segmenter::new(Mode::Normal, dictionary, None));
        Ok(KoreanTokenizer { segmenter })
    }

    /// The morphemes of `text`, read as a whole.
    fn analyse<'d>(&'d self, text: &'d str, lattice: &mut Lattice) -> Vec<Morpheme<'d>> {
        // lindera 6.2's `segment` has no failing path; nothing is the safe fallback.
        let tokens = self
            .segmenter
            .segment_with_lattice(Cow::Borrowed(text), lattice);
        let star = || Cow::Borrowed("*");
        let morpheme = |mut token: lindera::token::Token<'d>| {
            token.details(); // fills `token.details` from the dictionary
            let mut details = token.details.take().unwrap_or_default().into_iter();
            let tag = details.next().unwrap_or_else(star);
            let expression = details.nth(6).unwrap_or_else(star);
            Morpheme {
                start: token.byte_start,
                end: token.byte_end,
                tag,
                expression,
            }
        };
        tokens
            .unwrap_or_default()
            .into_iter()
            .map(morpheme)
            .collect()
    }
}

/// A word's dictionary form: its stem, plus 다 for a verb or adjective, as a reader would
/// type it (북한은 -> 북한, 다변화하려는 -> 다변화, 내놓았다 -> 내놓다, 했다 -> 하다).
/// `word` is the morphemes of one word of `text`. Returns the form, where in `text` the part
/// copied from the word ends and where the morpheme the rest was rebuilt from ends; None for
/// a word that is all particles and endings.
fn dictionary_form(text: &str, word: &[Morpheme<'_>]) -> Option<(String, usize, usize)> {
    let kept = stem_len(word, |m| m.tag.split('+').all(is_ending));
    let (first, last) = (word.first()?, word[..kept].last()?);
    let mut form = text[first.start..last.end].to_string();
    let mut copied = last.end;
    let mut last_tag = last.tag.split('+').next_back().unwrap_or("*");
    if is_ending(last_tag) {
        // An entry ending in an ending (했 = 하/VV + 았/EP): keep the parts before it.
        let parts: Vec<_> = last.parts().collect();
        let stem = stem_len(&parts, |(_, tag)| is_ending(tag));
        form.truncate(last.start - first.start);
        copied = last.start;
        form.extend(parts[..stem].iter().map(|(part, _)| *part));
        last_tag = parts[..stem].last().map_or("*", |(_, tag)| tag);
    }
    if matches!(last_tag, "VV" | "VA") {
        form.push('다');
    }
    Some((form, copied, last.end))
}

/// Punctuation and other symbols: they separate words. SL, SH and SN are letters and digits.
fn is_symbol(tag: &str) -> bool {
    tag.starts_with('S') && !matches!(tag, "SL" | "SH" | "SN")
}

/// The terms of one text, made eagerly (texts are a story long), as in analysis.rs.
pub struct KoreanTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for KoreanTokenizer {
    type TokenStream<'a> = KoreanTokenStream;

    /// The text is analysed whole, so that each morpheme is read in its context (의 after a
    /// noun is a particle only when a word follows). Each word is then reduced to its
    /// dictionary form, which is analysed again on its own for the terms. A query word
    /// goes through the same steps, so 다변화 and 다변화하려는 give the same terms, although
    /// mecab-ko-dic splits 다변화 differently next to different neighbours (다변+화 before
    /// 하려는, 다+변화 alone).
    fn token_stream<'a>(&'a mut self, text: &'a str) -> KoreanTokenStream {
        let mut tokens: Vec<Token> = Vec::new();
        let mut lattice = Lattice::default();
        let morphemes = self.analyse(text, &mut lattice);
        // A word: morphemes with no space or symbol between them.
        let words =
            morphemes.chunk_by(|a, b| a.end == b.start && !is_symbol(&a.tag) && !is_symbol(&b.tag));
        for word in words.filter(|word| !is_symbol(&word[0].tag)) {
            let Some((form, copied, rebuilt_end)) = dictionary_form(text, word) else {
                continue;
            };
            // Offsets in `form` map back into `text`: the copied part as is, the rest onto
            // the morpheme it was rebuilt from.
            let start = word[0].start;
            let to_text = |i: usize| {
                if start + i <= copied {
                    start + i
                } else {
                    rebuilt_end
                }
            };
            let morphemes = self.analyse(&form, &mut lattice);
            emit(&form, &morphemes, &to_text, &mut tokens);
        }
        KoreanTokenStream { tokens, next: 0 }
    }
}

/// Adds the content morphemes of `text` to `tokens`, with offsets mapped by `to_text`.
/// Positions count terms only, so a phrase of content words ("북한 수출") matches across
/// the particles a query leaves out ("북한의 수출").
fn emit(
    text: &str,
    morphemes: &[Morpheme<'_>],
    to_text: &dyn Fn(usize) -> usize,
    tokens: &mut Vec<Token>,
) {
    let mut push = |from: usize, to: usize, term: &str| {
        let (offset_from, offset_to) = (to_text(from), to_text(to));
        let position = tokens.len();
        tokens.push(Token {
            offset_from,
            offset_to,
            position,
            text: term.to_string(),
            position_length: 1,
        });
    };
    let latin = |m: &Morpheme<'_>| matches!(m.tag.as_ref(), "SL" | "SN");
    // Letters and digits next to each other stay one term (5G, mp3), as in the bigram
    // analyser; lindera splits them into runs of each.
    for run in morphemes.chunk_by(|a, b| latin(a) && latin(b) && a.end == b.start) {
        let (m, end) = (&run[0], run[run.len() - 1].end);
        if latin(m) {
            push(m.start, end, &text[m.start..end]);
        } else if m.parts().next().is_some() {
            // A compound noun (삼성전자 = 삼성 + 전자) or an entry spanning several
            // morphemes (위해 = 위하/VV + 아/EC): index its parts, in dictionary form. A part
            // found in the surface gets its own offsets, a changed one the whole entry's.
            let surface = &text[m.start..m.end];
            let mut cursor = 0;
            for (form, tag) in m.parts() {
                let (from, to) = match surface[cursor..].find(form) {
                    Some(at) => {
                        cursor += at + form.len();
                        (m.start + cursor - form.len(), m.start + cursor)
                    }
                    None => (m.start, m.end),
                };
                if is_content(tag) {
                    push(from, to, form);
                }
            }
        } else if is_content(&m.tag) {
            push(m.start, m.end, &text[m.start..m.end]);
        }
    }
}

impl TokenStream for KoreanTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests;
