//! Broadsheet's full-text index, on tantivy.
//!
//! One document per published story. Text goes into the fields of the story's language
//! (`*_en` analysed for English, `*_ko` for Korean, see [`analysis`] and
//! [`KoreanAnalysis`]); a query is run against
//! both sets, headline weighted above deck above body. Section, tag and source ids and the
//! publication time are indexed for filters and date order.
//!
//! The index records in its commit payload the last change-feed event it reflects, so a
//! restarted node replays only what it missed; an index that is missing, unreadable or of an
//! older schema, or built with the other Korean analyser, is recreated empty and reported as
//! [`Opened::Created`], and the caller rebuilds it from the store.
//!
//! ```
//! use broadsheet_search::{IndexDoc, SearchIndex, SearchQuery};
//! let index = SearchIndex::in_memory().unwrap();
//! index.replace(&[IndexDoc {
//!     id: 7, language: "en".into(), headline: "Ferries return".into(), deck: String::new(),
//!     body: "The island ferries sailed again.".into(), section_id: 1, tag_ids: vec![],
//!     source_ids: vec![], published_at: 0,
//! }]).unwrap();
//! index.commit(1).unwrap();
//! let found = index.search(&SearchQuery::text("ferry")).unwrap();
//! assert_eq!(found.hits[0].id, 7);
//! // The index keeps no text: the caller brings the story's words for the snippets.
//! let shown = found.highlighter.highlight("en", "Ferries return", "The island ferries sailed again.");
//! assert!(shown.snippet_html.contains("<b>ferries</b>"));
//! ```
//!
//! Nothing but the id and the publication time is stored, and both as fast fields: stored
//! headlines and bodies made up three quarters of the index on disk, and every page of it
//! that a search or a related-stories query touched stayed mapped in the server's memory.
//! The store has the words already.

#![warn(missing_docs)]

pub mod analysis;
pub mod korean;

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, MoreLikeThisQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, OwnedValue, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Term, doc};

/// Bumped whenever the schema or analysis changes: an index of another version is rebuilt.
/// The commit payload is `{SCHEMA_VERSION}-{analyser}:{applied event}`, the analyser being
/// [`KoreanAnalysis::name`], so switching analysers rebuilds the index too.
const SCHEMA_VERSION: &str = "3";

/// How the Korean fields are analysed.
#[derive(Clone)]
pub enum KoreanAnalysis {
    /// Hangul bigrams ([`analysis::korean`]): needs no dictionary; the fallback.
    Bigrams,
    /// Morphemes in dictionary form by lindera with mecab-ko-dic
    /// ([`analysis::korean_morphemes`]): the primary analyser when a dictionary is installed.
    Lindera(korean::KoreanTokenizer),
}

impl KoreanAnalysis {
    /// `bigram` or `lindera`: recorded in the index's commit payload and shown in logs.
    pub fn name(&self) -> &'static str {
        match self {
            KoreanAnalysis::Bigrams => "bigram",
            KoreanAnalysis::Lindera(_) => "lindera",
        }
    }

    fn analyzer(&self) -> tantivy::tokenizer::TextAnalyzer {
        match self {
            KoreanAnalysis::Bigrams => analysis::korean(),
            KoreanAnalysis::Lindera(tokenizer) => analysis::korean_morphemes(tokenizer.clone()),
        }
    }

    /// What the commit payload starts with, before `:`.
    fn version(&self) -> String {
        format!("{SCHEMA_VERSION}-{}", self.name())
    }
}

impl std::fmt::Debug for KoreanAnalysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index itself failed (I/O, a corrupt segment, a full disk).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index folder could not be prepared.
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
}

/// A result type for this crate.
pub type Result<T> = std::result::Result<T, SearchError>;

/// A story as the index sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    /// The story's id.
    pub id: i64,
    /// `en`, `ko`, ...: picks the analyser (anything but Korean is analysed as English).
    pub language: String,
    /// The headline.
    pub headline: String,
    /// The deck, or empty.
    pub deck: String,
    /// The body as plain text.
    pub body: String,
    /// The story's own section (filters expand a section to its subtree).
    pub section_id: i64,
    /// Tag ids.
    pub tag_ids: Vec<i64>,
    /// Source ids.
    pub source_ids: Vec<i64>,
    /// Publication time, microseconds since the epoch.
    pub published_at: i64,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// A search: words plus filters.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// What the reader typed; empty lists everything that passes the filters.
    pub text: String,
    /// Any of these sections (give a section and its subsections).
    pub sections: Vec<i64>,
    /// Only stories with this tag.
    pub tag: Option<i64>,
    /// Only stories from this source.
    pub source: Option<i64>,
    /// Published at or after (microseconds).
    pub from: Option<i64>,
    /// Published before (microseconds).
    pub until: Option<i64>,
    /// Result order.
    pub order: SortOrder,
    /// Results to skip.
    pub offset: usize,
    /// Results to return.
    pub limit: usize,
}

impl SearchQuery {
    /// Ten best matches for `text`, no filters.
    pub fn text(text: &str) -> SearchQuery {
        SearchQuery {
            text: text.to_string(),
            limit: 10,
            ..SearchQuery::default()
        }
    }
}

/// One result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The story's id.
    pub id: i64,
    /// Relevance score (0 when ordered by date).
    pub score: f32,
}

/// A page of results.
pub struct SearchResults {
    /// How many stories match in all.
    pub total: usize,
    /// This page.
    pub hits: Vec<Hit>,
    /// Marks the query's words in a result's headline and body.
    pub highlighter: Highlighter,
}

impl std::fmt::Debug for SearchResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchResults")
            .field("total", &self.total)
            .field("hits", &self.hits)
            .finish_non_exhaustive()
    }
}

/// A result's headline and passage with the query's words marked.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlighted {
    /// The headline as HTML, matches in `<b>`, everything else escaped.
    pub headline_html: String,
    /// A passage of the body around the matches, as HTML like `headline_html`.
    pub snippet_html: String,
}

/// Snippet makers for one query, one per field and language (each weighs the query's terms
/// by their rarity in the index, read when the query ran).
pub struct Highlighter {
    headline: [SnippetGenerator; 2],
    body: [SnippetGenerator; 2],
}

/// Characters of headline and of body passage shown for a result.
const HEADLINE_CHARS: usize = 400;
const SNIPPET_CHARS: usize = 220;

impl Highlighter {
    /// Mark the query's words in a story's headline and plain-text body; a headline without
    /// a match is shown whole, and a body without one by its opening words.
    pub fn highlight(&self, language: &str, headline: &str, body: &str) -> Highlighted {
        let l = SearchIndex::lang(language);
        let mut headline_html = self.headline[l].snippet(headline).to_html();
        if headline_html.chars().count() < headline.chars().count() {
            headline_html = escape(headline);
        }
        let mut snippet_html = self.body[l].snippet(body).to_html();
        if snippet_html.is_empty() {
            snippet_html = escape(&cut(body, SNIPPET_CHARS));
        }
        Highlighted {
            headline_html,
            snippet_html,
        }
    }
}

/// Stories like one story, by text.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    /// How well the story matches itself: the scale for spotting near-duplicates.
    pub self_score: Option<f32>,
    /// Other stories, best first: (id, score).
    pub hits: Vec<(i64, f32)>,
}

/// How `open` found the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A usable index reflecting the change feed up to this event (None: never committed
    /// with a position, so its contents are unknown).
    Existing(Option<i64>),
    /// A new, empty index (there was none, or it was unusable): rebuild it from the store.
    Created,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    headline: [Field; 2],
    deck: [Field; 2],
    body: [Field; 2],
    section: Field,
    tag: Field,
    source: Field,
    published: Field,
}

const EN: usize = 0;
const KO: usize = 1;

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let en = text(analysis::ENGLISH);
    let ko = text(analysis::KOREAN);
    let id = builder.add_i64_field("id", NumericOptions::default() | INDEXED | FAST);
    let headline = [
        builder.add_text_field("headline_en", en.clone()),
        builder.add_text_field("headline_ko", ko.clone()),
    ];
    let deck = [
        builder.add_text_field("deck_en", en.clone()),
        builder.add_text_field("deck_ko", ko.clone()),
    ];
    let body = [
        builder.add_text_field("body_en", en),
        builder.add_text_field("body_ko", ko),
    ];
    let section = builder.add_i64_field("section", INDEXED);
    let tag = builder.add_i64_field("tag", INDEXED);
    let source = builder.add_i64_field("source", INDEXED);
    let published = builder.add_i64_field("published", NumericOptions::default() | INDEXED | FAST);
    let fields = Fields {
        id,
        headline,
        deck,
        body,
        section,
        tag,
        source,
        published,
    };
    (builder.build(), fields)
}

/// The index: one writer and one reader, shared by the whole node.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// What commits record before `:` (see [`SCHEMA_VERSION`]).
    version: String,
    /// [`KoreanAnalysis::name`] of the analyser in use.
    korean: &'static str,
}

/// Room the writer buffers before flushing a segment; small, as news arrives a story at a time.
const WRITER_MEMORY: usize = 32_000_000;

impl SearchIndex {
    /// An index held in memory, analysing Korean as bigrams (tests).
    pub fn in_memory() -> Result<SearchIndex> {
        SearchIndex::in_memory_with(KoreanAnalysis::Bigrams)
    }

    /// An index held in memory with the given Korean analyser (tests).
    pub fn in_memory_with(korean: KoreanAnalysis) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        SearchIndex::wrap(Index::create_in_ram(schema), fields, &korean)
    }

    /// Open the index in `dir`, creating it (or recreating an unusable one, or one built with
    /// another Korean analyser) as needed.
    pub fn open(dir: &Path, korean: KoreanAnalysis) -> Result<(SearchIndex, Opened)> {
        let (schema, fields) = schema();
        let expected = korean.version();
        if dir.join("meta.json").exists() {
            match Index::open_in_dir(dir).and_then(|index| Ok((index.load_metas()?, index))) {
                Ok((metas, index)) => {
                    let payload = metas.payload.unwrap_or_default();
                    let (version, applied) = payload.split_once(':').unwrap_or((&payload, ""));
                    if version == expected && index.schema() == schema {
                        let applied = applied.parse().ok();
                        let index = SearchIndex::wrap(index, fields, &korean)?;
                        return Ok((index, Opened::Existing(applied)));
                    }
                    tracing::warn!(
                        "search index at {} is of another version ({version}, not {expected}): \
                        rebuilding",
                        dir.display()
                    );
                }
                Err(e) => tracing::warn!(
                    "search index at {} is unusable ({e}): rebuilding",
                    dir.display()
                ),
            }
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, schema)?;
        Ok((SearchIndex::wrap(index, fields, &korean)?, Opened::Created))
    }

    fn wrap(index: Index, fields: Fields, korean: &KoreanAnalysis) -> Result<SearchIndex> {
        index
            .tokenizers()
            .register(analysis::ENGLISH, analysis::english());
        index
            .tokenizers()
            .register(analysis::KOREAN, korean.analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            version: korean.version(),
            korean: korean.name(),
        })
    }

    fn lang(language: &str) -> usize {
        if language == "ko" || language.starts_with("ko-") {
            KO
        } else {
            EN
        }
    }

    /// Add stories, replacing any earlier version of each. Visible after `commit`.
    pub fn replace(&self, docs: &[IndexDoc]) -> Result<()> {
        let f = self.fields;
        let writer = self.writer.lock().expect("index writer lock");
        for d in docs {
            writer.delete_term(Term::from_field_i64(f.id, d.id));
            let l = SearchIndex::lang(&d.language);
            let mut document = doc!(
                f.id => d.id,
                f.headline[l] => d.headline.clone(),
                f.deck[l] => d.deck.clone(),
                f.body[l] => d.body.clone(),
                f.section => d.section_id,
                f.published => d.published_at,
            );
            for tag in &d.tag_ids {
                document.add_i64(f.tag, *tag);
            }
            for source in &d.source_ids {
                document.add_i64(f.source, *source);
            }
            writer.add_document(document)?;
        }
        Ok(())
    }

    /// Remove stories. Visible after `commit`.
    pub fn remove(&self, ids: &[i64]) -> Result<()> {
        let writer = self.writer.lock().expect("index writer lock");
        for id in ids {
            writer.delete_term(Term::from_field_i64(self.fields.id, *id));
        }
        Ok(())
    }

    /// Remove everything (before a rebuild). Visible after `commit`.
    pub fn clear(&self) -> Result<()> {
        self.writer
            .lock()
            .expect("index writer lock")
            .delete_all_documents()?;
        Ok(())
    }

    /// Make the changes so far durable and visible, recording that they reflect the change
    /// feed up to `applied_event`.
    pub fn commit(&self, applied_event: i64) -> Result<()> {
        {
            let mut writer = self.writer.lock().expect("index writer lock");
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&format!("{}:{applied_event}", self.version));
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// How Korean is analysed: `bigram` or `lindera` ([`KoreanAnalysis::name`]).
    pub fn korean_analysis(&self) -> &'static str {
        self.korean
    }

    /// How many stories are searchable.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn text_query(&self, text: &str) -> Box<dyn Query> {
        if text.trim().is_empty() {
            return Box::new(AllQuery);
        }
        let f = self.fields;
        let fields: Vec<Field> = [f.headline, f.deck, f.body].into_iter().flatten().collect();
        let mut parser = QueryParser::for_index(&self.index, fields);
        parser.set_conjunction_by_default();
        for l in [EN, KO] {
            parser.set_field_boost(f.headline[l], 3.0);
            parser.set_field_boost(f.deck[l], 1.5);
        }
        // Readers type words, not query syntax: errors in what they type are forgiven.
        let (query, _errors) = parser.parse_query_lenient(text);
        query
    }

    fn filtered(&self, q: &SearchQuery) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.text_query(&q.text))];
        let term = |field: Field, value: i64| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_i64(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if !q.sections.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = q
                .sections
                .iter()
                .map(|s| (Occur::Should, term(f.section, *s)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(tag) = q.tag {
            clauses.push((Occur::Must, term(f.tag, tag)));
        }
        if let Some(source) = q.source {
            clauses.push((Occur::Must, term(f.source, source)));
        }
        if q.from.is_some() || q.until.is_some() {
            let lower = q.from.map_or(Bound::Unbounded, |t| {
                Bound::Included(Term::from_field_i64(f.published, t))
            });
            let upper = q.until.map_or(Bound::Unbounded, |t| {
                Bound::Excluded(Term::from_field_i64(f.published, t))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Run a search.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let query = self.filtered(q);
        let limit = q.limit.max(1);
        let (addresses, total): (Vec<(f32, DocAddress)>, usize) = match q.order {
            SortOrder::Relevance => searcher.search(
                &query,
                &(
                    TopDocs::with_limit(limit)
                        .and_offset(q.offset)
                        .order_by_score(),
                    Count,
                ),
            )?,
            SortOrder::Newest => {
                let (top, total) = searcher.search(
                    &query,
                    &(
                        TopDocs::with_limit(limit)
                            .and_offset(q.offset)
                            .order_by_fast_field::<i64>("published", Order::Desc),
                        Count,
                    ),
                )?;
                (
                    top.into_iter().map(|(_, address)| (0.0, address)).collect(),
                    total,
                )
            }
        };
        let f = self.fields;
        let generators = |fields: [Field; 2], chars: usize| -> Result<[SnippetGenerator; 2]> {
            let mut korean = SnippetGenerator::create(&searcher, &*query, fields[KO])?;
            korean.set_max_num_chars(chars);
            Ok([
                english_snippets(&searcher, &*query, fields[EN], chars)?,
                korean,
            ])
        };
        let highlighter = Highlighter {
            headline: generators(f.headline, HEADLINE_CHARS)?,
            body: generators(f.body, SNIPPET_CHARS)?,
        };
        let hits = self.ids(&searcher, addresses)?;
        Ok(SearchResults {
            total,
            hits,
            highlighter,
        })
    }

    /// Story ids for scored documents, read from the `id` fast field.
    fn ids(
        &self,
        searcher: &tantivy::Searcher,
        addresses: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>> {
        let mut columns: Vec<Option<tantivy::columnar::Column<i64>>> =
            vec![None; searcher.segment_readers().len()];
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let segment = address.segment_ord as usize;
            if columns[segment].is_none() {
                columns[segment] = Some(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .i64("id")?,
                );
            }
            let id = columns[segment]
                .as_ref()
                .and_then(|ids| ids.first(address.doc_id))
                .unwrap_or_default();
            hits.push(Hit { id, score });
        }
        Ok(hits)
    }

    /// Stories whose headline and body resemble this story's (BM25 more-like-this), the
    /// story's own text given by the caller (the index keeps none). The story itself, if
    /// indexed, is left out of the hits; its score is the scale for spotting near-duplicates.
    pub fn similar(&self, story: &IndexDoc, limit: usize) -> Result<Similar> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let l = SearchIndex::lang(&story.language);
        let fields: Vec<(Field, Vec<OwnedValue>)> =
            [(f.headline[l], &story.headline), (f.body[l], &story.body)]
                .into_iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(field, text)| (field, vec![OwnedValue::Str(text.clone())]))
                .collect();
        if fields.is_empty() {
            return Ok(Similar {
                self_score: None,
                hits: Vec::new(),
            });
        }
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            // Words in more than a third of the archive say little about what a story is about.
            .with_max_doc_frequency((searcher.num_docs() / 3).max(10))
            .with_min_term_frequency(1)
            .with_max_query_terms(40)
            .with_min_word_length(2)
            .with_document_fields(fields);
        let top = searcher.search(&query, &TopDocs::with_limit(limit + 1).order_by_score())?;
        let mut self_score = None;
        let mut hits = Vec::with_capacity(limit);
        for hit in self.ids(&searcher, top)? {
            if hit.id == story.id {
                self_score = Some(hit.score);
            } else if hits.len() < limit {
                hits.push((hit.id, hit.score));
            }
        }
        Ok(Similar { self_score, hits })
    }
}

/// A snippet generator for an English field, as `SnippetGenerator::create` makes one (each
/// query term weighted by its rarity) but analysing the text with
/// [`analysis::english_for_snippets`], which stems only the words that could match.
fn english_snippets(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    chars: usize,
) -> Result<SnippetGenerator> {
    let mut terms: Vec<Term> = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.push(term.clone());
        }
    });
    let mut weighted = std::collections::BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let frequency = searcher.doc_freq(&term)?;
        if frequency > 0 {
            weighted.insert(text, 1.0 / (1.0 + frequency as f32));
        }
    }
    let mut initials: Vec<char> = weighted.keys().filter_map(|t| t.chars().next()).collect();
    initials.dedup();
    Ok(SnippetGenerator::new(
        weighted,
        analysis::english_for_snippets(initials),
        field,
        chars,
    ))
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    match head.rfind(' ') {
        Some(at) => format!("{}…", &head[..at]),
        None => format!("{head}…"),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
