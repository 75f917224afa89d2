//! The index on fixtures of our own: English inflections, Korean particles, filters, order,
//! snippets, related stories and recovery from a damaged index folder.
//!
//! The Korean tests run with the bigram analyser and, when `BROADSHEET_TEST_KO_DIC` names a
//! dictionary built by `broadsheet korean-dictionary` (`.ci/run` sets it), with lindera too.

use broadsheet_search::korean::KoreanTokenizer;
use broadsheet_search::{IndexDoc, KoreanAnalysis, Opened, SearchIndex, SearchQuery, SortOrder};

fn doc(
    id: i64,
    language: &str,
    headline: &str,
    body: &str,
    section: i64,
    tags: &[i64],
    published: i64,
) -> IndexDoc {
    IndexDoc {
        id,
        language: language.into(),
        headline: headline.into(),
        deck: String::new(),
        body: body.into(),
        section_id: section,
        tag_ids: tags.to_vec(),
        source_ids: vec![100 + section],
        published_at: published,
    }
}

/// The analysers to test Korean with: bigrams always, lindera when a dictionary is given.
fn korean_analysers() -> Vec<KoreanAnalysis> {
    let mut analysers = vec![KoreanAnalysis::Bigrams];
    match std::env::var_os("BROADSHEET_TEST_KO_DIC") {
        Some(dir) => {
            let tokenizer = KoreanTokenizer::load(std::path::Path::new(&dir))
                .unwrap_or_else(|e| panic!("BROADSHEET_TEST_KO_DIC={}: {e}", dir.display()));
            analysers.push(KoreanAnalysis::Lindera(tokenizer));
        }
        None => eprintln!(
            "SKIPPED the lindera variant: set BROADSHEET_TEST_KO_DIC to a dictionary built by \
            `broadsheet korean-dictionary`"
        ),
    }
    analysers
}

fn fixtures() -> SearchIndex {
    fixtures_with(KoreanAnalysis::Bigrams)
}

fn fixtures_with(korean: KoreanAnalysis) -> SearchIndex {
    let index = SearchIndex::in_memory_with(korean).unwrap();
    index
        .replace(&[
            doc(1, "en", "Soldiers return from the border", "Two soldiers were killed when a bridge collapsed near the border post.", 1, &[10], 100),
            doc(2, "en", "Ferry service resumes", "The island ferry sails again after the storm; a soldier helped load cargo.", 2, &[11], 200),
            doc(3, "en", "Budget talks stall", "Lawmakers killed the proposal for a new stadium in a late vote.", 3, &[10, 11], 300),
            doc(4, "ko", "북한의 새 지도자", "북한은 경제 다변화하려는 계획을 발표했다. 북한의 수출이 늘었다.", 1, &[10], 400),
            doc(5, "ko", "부산항 물동량 증가", "부산항의 컨테이너 처리량이 지난달 늘었다.", 2, &[11], 500),
            doc(6, "en", "Harbour cranes", "Cranes lift containers at the harbour all night; ferry passengers watch the soldiers of industry.", 2, &[11], 600),
        ])
        .unwrap();
    index.commit(42).unwrap();
    index
}

fn ids(index: &SearchIndex, q: &SearchQuery) -> Vec<i64> {
    index
        .search(q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn english_inflections_meet() {
    let index = fixtures();
    let mut found = ids(&index, &SearchQuery::text("soldier"));
    found.sort();
    assert_eq!(found, [1, 2, 6]);
    let mut found = ids(&index, &SearchQuery::text("kill"));
    found.sort();
    assert_eq!(found, [1, 3]);
    assert!(
        ids(&index, &SearchQuery::text("the")).is_empty(),
        "stop words alone match nothing"
    );
}

#[test]
fn headline_outweighs_body() {
    let index = fixtures();
    // "soldiers" is in story 1's headline and only in the others' bodies.
    assert_eq!(ids(&index, &SearchQuery::text("soldiers"))[0], 1);
}

#[test]
fn korean_stems_are_found_whatever_particle_follows() {
    for korean in korean_analysers() {
        let name = korean.name();
        let index = fixtures_with(korean);
        assert_eq!(
            ids(&index, &SearchQuery::text("북한")),
            [4],
            "{name}: 북한 finds 북한의 and 북한은"
        );
        assert_eq!(
            ids(&index, &SearchQuery::text("다변화")),
            [4],
            "{name}: 다변화 finds 다변화하려는"
        );
        assert_eq!(ids(&index, &SearchQuery::text("부산항")), [5], "{name}");
        assert!(
            ids(&index, &SearchQuery::text("남한")).is_empty(),
            "{name}: a word in no story finds nothing"
        );
        let found = index.search(&SearchQuery::text("북한")).unwrap();
        assert_eq!(found.hits[0].id, 4);
        let hit = found.highlighter.highlight(
            "ko",
            "북한의 새 지도자",
            "북한은 경제 다변화하려는 계획을 발표했다. 북한의 수출이 늘었다.",
        );
        assert!(
            hit.headline_html.contains("<b>북한</b>의"),
            "{name}: {}",
            hit.headline_html
        );
        assert!(
            hit.snippet_html.contains("<b>북한</b>은"),
            "{name}: {}",
            hit.snippet_html
        );
    }
}

#[test]
fn filters_combine() {
    let index = fixtures();
    let q = |text: &str| SearchQuery {
        text: text.into(),
        limit: 10,
        ..SearchQuery::default()
    };
    let mut by_section = q("soldier");
    by_section.sections = vec![2];
    let mut found = ids(&index, &by_section);
    found.sort();
    assert_eq!(found, [2, 6]);
    let mut by_tag = q("");
    by_tag.tag = Some(10);
    by_tag.order = SortOrder::Newest;
    assert_eq!(ids(&index, &by_tag), [4, 3, 1]);
    let mut by_source = q("");
    by_source.source = Some(103);
    assert_eq!(ids(&index, &by_source), [3]);
    let mut by_date = q("");
    by_date.from = Some(200);
    by_date.until = Some(500);
    by_date.order = SortOrder::Newest;
    assert_eq!(
        ids(&index, &by_date),
        [4, 3, 2],
        "from is inclusive, until exclusive"
    );
}

#[test]
fn pages_and_totals() {
    let index = fixtures();
    let mut q = SearchQuery {
        order: SortOrder::Newest,
        limit: 2,
        ..SearchQuery::default()
    };
    let first = index.search(&q).unwrap();
    assert_eq!(first.total, 6);
    assert_eq!(first.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [6, 5]);
    q.offset = 4;
    assert_eq!(ids(&index, &q), [2, 1]);
}

#[test]
fn snippets_highlight_and_escape() {
    let index = SearchIndex::in_memory().unwrap();
    index
        .replace(&[doc(
            9,
            "en",
            "A <script> headline",
            "Before the ferry <b>bold</b> & after the ferry docks.",
            1,
            &[],
            1,
        )])
        .unwrap();
    index.commit(1).unwrap();
    let found = index.search(&SearchQuery::text("ferry")).unwrap();
    assert_eq!(found.hits[0].id, 9);
    let hit = found.highlighter.highlight(
        "en",
        "A <script> headline",
        "Before the ferry <b>bold</b> & after the ferry docks.",
    );
    assert!(
        hit.snippet_html.contains("<b>ferry</b>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("&lt;b&gt;bold"),
        "{}",
        hit.snippet_html
    );
    assert_eq!(hit.headline_html, "A &lt;script&gt; headline");
}

#[test]
fn updates_replace_and_removals_disappear() {
    let index = fixtures();
    index
        .replace(&[doc(
            2,
            "en",
            "Ferry service suspended",
            "Storms again.",
            2,
            &[],
            200,
        )])
        .unwrap();
    index.remove(&[6]).unwrap();
    index.commit(43).unwrap();
    assert_eq!(index.doc_count(), 5);
    assert_eq!(ids(&index, &SearchQuery::text("suspended")), [2]);
    assert!(ids(&index, &SearchQuery::text("cranes")).is_empty());
}

#[test]
fn similar_stories_by_text() {
    let index = fixtures();
    let ferry = doc(
        2,
        "en",
        "Ferry service resumes",
        "The island ferry sails again after the storm; a soldier helped load cargo.",
        2,
        &[11],
        200,
    );
    let similar = index.similar(&ferry, 3).unwrap();
    assert!(similar.self_score.is_some());
    assert!(
        !similar.hits.iter().any(|(id, _)| *id == 2),
        "the story itself is left out"
    );
    assert_eq!(
        similar.hits[0].0, 6,
        "the other ferry and harbour story is nearest: {similar:?}"
    );
    // A story not indexed yet (just published) still finds its neighbours by its words.
    let unindexed = doc(
        999,
        "en",
        "Night ferry to the harbour",
        "Passengers crowded the ferry.",
        2,
        &[],
        700,
    );
    let similar = index.similar(&unindexed, 3).unwrap();
    assert_eq!(similar.self_score, None);
    assert!(similar.hits.iter().any(|(id, _)| *id == 2), "{similar:?}");
    let unrelated = doc(
        998,
        "en",
        "Quarterly zoning",
        "Zoning variances.",
        2,
        &[],
        700,
    );
    assert!(index.similar(&unrelated, 3).unwrap().hits.is_empty());
}

#[test]
fn reopening_keeps_the_position_and_damage_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let (index, opened) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
        assert_eq!(opened, Opened::Created);
        index
            .replace(&[doc(1, "en", "Kept", "Across restarts.", 1, &[], 1)])
            .unwrap();
        index.commit(77).unwrap();
    }
    {
        let (index, opened) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
        assert_eq!(opened, Opened::Existing(Some(77)));
        assert_eq!(index.doc_count(), 1);
    }
    std::fs::write(path.join("meta.json"), b"{ not json").unwrap();
    let (index, opened) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
    assert_eq!(opened, Opened::Created);
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn switching_the_korean_analyser_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let (index, _) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
        index
            .replace(&[doc(1, "ko", "북한", "북한의 수출.", 1, &[], 1)])
            .unwrap();
        index.commit(5).unwrap();
    }
    let meta = std::fs::read_to_string(path.join("meta.json")).unwrap();
    assert!(meta.contains("\"3-bigram:5\""), "{meta}");
    let (_, opened) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
    assert_eq!(opened, Opened::Existing(Some(5)));
    // An index of the schema before (which stored every story's text) is rebuilt.
    std::fs::write(
        path.join("meta.json"),
        meta.replace("3-bigram:5", "2-bigram:5"),
    )
    .unwrap();
    let (index, opened) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
    assert_eq!(opened, Opened::Created);
    index
        .replace(&[doc(1, "ko", "북한", "북한의 수출.", 1, &[], 1)])
        .unwrap();
    index.commit(5).unwrap();
    drop(index);
    let Some(KoreanAnalysis::Lindera(tokenizer)) = korean_analysers().pop() else {
        return;
    };
    let (index, opened) =
        SearchIndex::open(&path, KoreanAnalysis::Lindera(tokenizer.clone())).unwrap();
    assert_eq!(
        opened,
        Opened::Created,
        "a bigram index is rebuilt for lindera"
    );
    assert_eq!(index.doc_count(), 0);
    index.commit(6).unwrap();
    drop(index);
    let (_, opened) = SearchIndex::open(&path, KoreanAnalysis::Lindera(tokenizer)).unwrap();
    assert_eq!(opened, Opened::Existing(Some(6)));
    let (_, opened) = SearchIndex::open(&path, KoreanAnalysis::Bigrams).unwrap();
    assert_eq!(opened, Opened::Created, "and a lindera index for bigrams");
}
