//! The dictionary-free logic first, then one test that builds the dictionary from the
//! bundled source and searches with it (skipped, saying so, when the source is absent).

use std::time::{Duration, Instant};

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{Index, TantivyDocument, doc};

use super::*;

const KOREAN: &str = "broadsheet_ko";
const NORTH: &str = "북한은 수출을 다변화하려는 계획을 내놓았다. 북한의 수출이 늘었다.";
const SOUTH: &str = "남한은 관광 산업을 키우려는 방안을 발표했다.";

fn m(start: usize, end: usize, tag: &'static str, expression: &'static str) -> Morpheme<'static> {
    let (tag, expression) = (Cow::Borrowed(tag), Cow::Borrowed(expression));
    Morpheme {
        start,
        end,
        tag,
        expression,
    }
}

#[test]
fn dictionary_form_drops_particles_and_endings() {
    let form = |text: &str, word: &[Morpheme<'_>]| dictionary_form(text, word).map(|f| f.0);
    let north = [m(0, 6, "NNP", "*"), m(6, 9, "JX", "*")];
    assert_eq!(form("북한은", &north).as_deref(), Some("북한"));
    let diversify = [
        m(0, 6, "NNG", "*"),
        m(6, 9, "XSN", "*"),
        m(9, 12, "XSV", "*"),
        m(12, 18, "ETM", "*"),
    ];
    assert_eq!(form("다변화하려는", &diversify).as_deref(), Some("다변화"));
    let put_out = [m(0, 6, "VV", "*"), m(6, 9, "EP", "*"), m(9, 12, "EF", "*")];
    assert_eq!(form("내놓았다", &put_out).as_deref(), Some("내놓다"));
    // 했 is one dictionary entry for 하 + 았: the stem is rebuilt from its parts and its
    // offsets point at the whole entry.
    let did = [m(0, 3, "VV+EP", "하/VV/*+았/EP/*"), m(3, 6, "EF", "*")];
    assert_eq!(
        dictionary_form("했다", &did),
        Some(("하다".to_string(), 0, 3))
    );
    assert_eq!(form("을", &[m(0, 3, "JKO", "*")]), None);
}

#[test]
fn metadata_reads_mecab_ko_dic_columns() {
    let metadata = ko_dic_metadata();
    assert_eq!(metadata.name, "ko-dic");
    assert!(metadata.space_penalty.is_some());
}

/// A field of /proc/self/status, in kB (Linux only; 0 elsewhere).
fn status_kb(field: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|line| line.starts_with(field));
    let value = line.and_then(|line| line.split_whitespace().nth(1));
    value.and_then(|kb| kb.parse().ok()).unwrap_or(0)
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
    }
    out
}

/// What an operator pays at run time, measured in a process of its own (this test binary,
/// run again for [`load_cost_probe`]) so that the memory the build freed does not blur it.
fn measure_load(dir: &Path) -> String {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "korean::tests::load_cost_probe",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("KO_DIC_PROBE", dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter(|l| l.starts_with("load:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "run by bundled_dictionary_builds_loads_and_finds_word_forms in a process of its own"]
fn load_cost_probe() {
    let Some(dir) = std::env::var_os("KO_DIC_PROBE") else {
        return;
    };
    let (rss, anon, file) = (
        status_kb("VmRSS"),
        status_kb("RssAnon"),
        status_kb("RssFile"),
    );
    let started = Instant::now();
    let mut tokenizer = KoreanTokenizer::load(Path::new(&dir)).unwrap();
    let took = started.elapsed();
    let loaded = (
        status_kb("VmRSS"),
        status_kb("RssAnon"),
        status_kb("RssFile"),
    );
    println!(
        "load: {took:.2?}; after it RSS +{} kB (heap +{} kB, mapped file +{} kB)",
        loaded.0 - rss,
        loaded.1 - anon,
        loaded.2 - file
    );
    let text =
        format!("{NORTH} {SOUTH} 삼성전자가 5G망과 KTX를 COVID-19 이후 확대했다.\n").repeat(1000);
    let started = Instant::now();
    let count = tokenizer.token_stream(&text).tokens.len();
    let took = started.elapsed();
    let mb = text.len() as f64 / 1e6;
    println!(
        "load: analysing {mb:.2} MB into {count} terms took {took:.2?} ({:.2} MB/s, debug build); \
        RSS now +{} kB (heap +{} kB, mapped file +{} kB)",
        mb / took.as_secs_f64(),
        status_kb("VmRSS") - rss,
        status_kb("RssAnon") - anon,
        status_kb("RssFile") - file
    );
}

/// The dictionary to test with: the one named by `BROADSHEET_TEST_KO_DIC` (CI builds it
/// once with `broadsheet korean-dictionary`), else one built here from the bundled source
/// (about 10 s), else none. The guard keeps a built one until the test ends.
fn test_dictionary() -> Option<(PathBuf, Option<tempfile::TempDir>)> {
    if let Some(dir) = std::env::var_os("BROADSHEET_TEST_KO_DIC") {
        return Some((PathBuf::from(dir), None));
    }
    let source = find_bundled_source()?;
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("ko-dic");
    let started = Instant::now();
    build_dictionary(&source, &dir).unwrap();
    let build: Duration = started.elapsed();
    let build_peak_kb = status_kb("VmHWM");
    eprintln!(
        "built from {} in {build:.2?} (peak RSS {build_peak_kb} kB); {:.1} MB on disk",
        source.display(),
        dir_size(&dir) as f64 / 1e6
    );
    Some((dir, Some(scratch)))
}

#[test]
fn bundled_dictionary_builds_loads_and_finds_word_forms() {
    let Some((dir, _guard)) = test_dictionary() else {
        eprintln!(
            "SKIPPED: no BROADSHEET_TEST_KO_DIC and no lindera-ko-dic 0.26 in the cargo \
            registry (`cargo fetch` it)"
        );
        return;
    };
    eprintln!("{}", measure_load(&dir));

    let tokenizer = KoreanTokenizer::load(&dir).unwrap();
    let analyzer = || {
        TextAnalyzer::builder(tokenizer.clone())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build()
    };
    // Terms: content morphemes only, offsets into the text, positions counting terms.
    let found = terms(&mut analyzer(), NORTH);
    let words: Vec<&str> = found.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        words,
        [
            "북한", "수출", "다", "변화", "계획", "내놓", "북한", "수출", "늘"
        ]
    );
    for (i, (_, position, from, to)) in found.iter().enumerate() {
        assert_eq!(*position, i);
        assert!(from < to && NORTH.is_char_boundary(*from) && NORTH.is_char_boundary(*to));
    }
    assert_eq!(&NORTH[found[2].2..found[3].3], "다변화");
    let latin = terms(&mut analyzer(), "삼성전자가 5G망과 KTX를 “COVID-19” 이후");
    let latin: Vec<&str> = latin.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        latin,
        ["삼성", "전자", "5g", "망", "ktx", "covid", "19", "이후"]
    );

    // The index, set up like Broadsheet's: positions, the analyser registered by name.
    let mut schema = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(KOREAN)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let body = schema.add_text_field(
        "body_ko",
        TextOptions::default().set_indexing_options(indexing) | STORED,
    );
    let index = Index::create_in_ram(schema.build());
    index.tokenizers().register(KOREAN, analyzer());
    let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer.add_document(doc!(body => NORTH)).unwrap();
    writer.add_document(doc!(body => SOUTH)).unwrap();
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();
    let mut parser = QueryParser::for_index(&index, vec![body]);
    parser.set_conjunction_by_default();
    let search = |query: &str| -> Vec<String> {
        let (query, _errors) = parser.parse_query_lenient(query);
        let hits = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let text = |address| {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            doc.get_first(body)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        hits.into_iter().map(|(_, address)| text(address)).collect()
    };
    for query in [
        "북한",
        "다변화",
        "수출",
        "계획",
        "다변화하다",
        "내놓다",
        "늘다",
        "북한 수출",
        "\"북한의 수출\"",
    ] {
        assert_eq!(search(query), [NORTH], "query {query}");
    }
    assert_eq!(search("관광 발표하다"), [SOUTH]);
    assert!(search("남한 다변화").is_empty());

    // Snippets highlight by the offsets the tokenizer gave.
    let (query, _) = parser.parse_query_lenient("북한");
    let snippets = SnippetGenerator::create(&searcher, &*query, body).unwrap();
    let html = snippets.snippet(NORTH).to_html();
    assert!(html.contains("<b>북한</b>은"), "{html}");
}
