//! Text analysis: how words become index terms.
//!
//! English text is lower-cased, stripped of stop words and stemmed, so "soldiers" finds
//! "soldier". Korean attaches particles and endings to words (북한의, 북한은, 다변화하려는), so
//! a whole-word index would miss most matches. The primary analyser, [`korean_morphemes`]
//! (lindera with mecab-ko-dic, see [`crate::korean`]), reduces each word to the morphemes
//! that carry meaning. Without a dictionary installed, [`korean`] is the fallback: every run
//! of Hangul becomes overlapping two-syllable terms (북한의 -> 북한 한의), and a query is
//! matched as a phrase of the same bigrams, which finds a stem whatever follows it. Latin
//! words and numbers in Korean text are kept whole by both.

use crate::korean::KoreanTokenizer;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// The name the English analyser is registered under.
pub const ENGLISH: &str = "broadsheet_en";
/// The name the Korean analyser is registered under.
pub const KOREAN: &str = "broadsheet_ko";

/// Words, lower-cased, without stop words, stemmed.
pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("English stop words are bundled"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The English analyser as snippets need it, for a query whose terms begin with one of
/// `initials`: the same terms as [`english`] for every word that could match, while a word
/// whose first letter begins no term is blanked before the stemmer sees it. Stemming never
/// changes a word's first letter, so no match is lost; and stemming every word of twenty
/// bodies was most of a search's time.
pub fn english_for_snippets(initials: Vec<char>) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("English stop words are bundled"))
        .filter(BlankUnlessInitial(initials))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Empties every token that does not begin with one of its letters (offsets are kept, so a
/// snippet is cut from the text exactly as before).
#[derive(Clone)]
struct BlankUnlessInitial(Vec<char>);

#[derive(Clone)]
struct BlankUnlessInitialFilter<T> {
    initials: Vec<char>,
    inner: T,
}

struct BlankUnlessInitialStream<'i, S> {
    initials: &'i [char],
    inner: S,
}

impl TokenFilter for BlankUnlessInitial {
    type Tokenizer<T: Tokenizer> = BlankUnlessInitialFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> BlankUnlessInitialFilter<T> {
        BlankUnlessInitialFilter {
            initials: self.0,
            inner,
        }
    }
}

impl<T: Tokenizer> Tokenizer for BlankUnlessInitialFilter<T> {
    type TokenStream<'a> = BlankUnlessInitialStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BlankUnlessInitialStream {
            initials: &self.initials,
            inner: self.inner.token_stream(text),
        }
    }
}

impl<S: TokenStream> TokenStream for BlankUnlessInitialStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        let first = token.text.chars().next();
        if !first.is_some_and(|c| self.initials.contains(&c)) {
            token.text.clear();
        }
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Hangul bigrams and whole Latin words, lower-cased.
pub fn korean() -> TextAnalyzer {
    TextAnalyzer::builder(HangulBigrams)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// The content morphemes of Korean text in dictionary form (lindera with mecab-ko-dic),
/// lower-cased.
pub fn korean_morphemes(tokenizer: KoreanTokenizer) -> TextAnalyzer {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// Splits text into words at anything that is not a letter or digit; a run of Hangul becomes
/// its overlapping syllable pairs (a lone syllable stays itself).
#[derive(Clone, Default)]
pub struct HangulBigrams;

/// The terms of one text, made eagerly (texts are a story long).
pub struct HangulBigramStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for HangulBigrams {
    type TokenStream<'a> = HangulBigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HangulBigramStream {
        let mut tokens = Vec::new();
        let mut position = 0;
        let mut push = |from: usize, to: usize, tokens: &mut Vec<Token>| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: text[from..to].to_string(),
                position_length: 1,
            });
            position += 1;
        };
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |i: usize| chars.get(i).map(|(at, _)| *at).unwrap_or(text.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i].1;
            if !c.is_alphanumeric() {
                i += 1;
                continue;
            }
            let hangul = is_hangul(c);
            let start = i;
            while i < chars.len() && chars[i].1.is_alphanumeric() && is_hangul(chars[i].1) == hangul
            {
                i += 1;
            }
            if hangul && i - start > 1 {
                for (k, (at, _)) in chars.iter().enumerate().take(i - 1).skip(start) {
                    push(*at, end_of(k + 2), &mut tokens);
                }
            } else {
                push(chars[start].0, end_of(i), &mut tokens);
            }
        }
        HangulBigramStream { tokens, next: 0 }
    }
}

impl TokenStream for HangulBigramStream {
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
mod tests {
    use super::*;

    fn terms(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn english_is_stemmed_without_stop_words() {
        assert_eq!(
            terms(english(), "The soldiers were killed"),
            ["soldier", "were", "kill"]
        );
    }

    #[test]
    fn the_snippet_analyser_keeps_the_terms_a_query_can_match() {
        let text = "The soldiers were killed on Kangwon roads; soldiering goes on";
        let full = terms(english(), text);
        let gated = terms(english_for_snippets(vec!['s', 'k']), text);
        assert_eq!(full.len(), gated.len(), "one token per word, offsets kept");
        for (whole, cheap) in full.iter().zip(&gated) {
            if whole.starts_with(['s', 'k']) {
                assert_eq!(whole, cheap);
            } else {
                assert_eq!(cheap, "", "{whole} is blanked");
            }
        }
    }

    #[test]
    fn hangul_runs_become_bigrams_and_latin_stays_whole() {
        assert_eq!(
            terms(korean(), "북한의 KTX 2026년"),
            ["북한", "한의", "ktx", "2026", "년"]
        );
        assert_eq!(
            terms(korean(), "다변화하려는"),
            ["다변", "변화", "화하", "하려", "려는"]
        );
        assert_eq!(terms(korean(), "북"), ["북"]);
    }
}
