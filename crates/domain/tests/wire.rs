//! Wire copy in every format, read from the fixtures in `tests/fixtures/wire`: every field
//! of every item, the problems, folding of updates, the HTML-to-Markdown rules, and the
//! errors for files that cannot be read.

use broadsheet_domain::wire::{
    WireBatch, WireError, WireImage, WireItem, WireProblem, html_to_markdown, html_to_text,
    parse_feed, parse_ninjs,
};
use jiff::Timestamp;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/wire/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn at(text: &str) -> Option<Timestamp> {
    Some(text.parse().unwrap())
}

fn s(text: &str) -> Option<String> {
    Some(text.to_string())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|t| t.to_string()).collect()
}

fn problem(item: &str, reason: &str) -> WireProblem {
    WireProblem {
        item: item.into(),
        reason: reason.into(),
    }
}

/// A bare item for tests that only care about a few fields.
fn item(guid: &str) -> WireItem {
    WireItem {
        guid: guid.into(),
        version: None,
        headline: "Headline".into(),
        deck: None,
        body: String::new(),
        language: None,
        published_at: None,
        updated_at: None,
        byline: None,
        source: None,
        subjects: Vec::new(),
        lead_image: None,
        link: None,
    }
}

// ninjs

#[test]
fn ninjs_1_single_object_with_html_body_and_picture() {
    let batch = parse_ninjs(&fixture("ninjs-1-single.json")).unwrap();
    assert_eq!(
        batch,
        WireBatch {
            items: vec![WireItem {
                guid: "urn:hanbitwire:2025:0314-0017".into(),
                version: s("1"),
                headline: "Seoul's night buses add three routes & longer hours".into(),
                deck: s("The city extends its owl bus network to the outer districts from April."),
                body: "SEOUL, March 14 (Hanbit Wire) -- The Seoul Metropolitan Government said on \
                       Friday it will add **three** late-night bus routes.\n\n\
                       The new N-routes run every 20 minutes between midnight and 5 a.m.\n\n\
                       ## Who rides\n\n\
                       - Shift workers\n\
                       - Students at [night campuses](https://www.hanbitwire.example/campus)\n\n\
                       Officials expect 8,000 riders a night."
                    .into(),
                language: s("en"),
                published_at: at("2025-03-14T00:05:00Z"),
                updated_at: at("2025-03-14T01:20:00Z"),
                byline: s("Park Seo-yeon"),
                source: s("Hanbit Wire"),
                // `transport` among the keywords repeats the subject `Transport`.
                subjects: strings(&["Transport", "Seoul", "night bus"]),
                // The text association `sidebar` is skipped; of the picture's renditions the
                // widest is taken.
                lead_image: Some(WireImage {
                    href: "https://media.hanbitwire.example/0314-0017-p1.jpg".into(),
                    caption: s("An N26 bus waits at the Gwanghwamun stop shortly after midnight."),
                    credit: s("Choi Dong-hyun"),
                    alt: s("A night bus at Gwanghwamun"),
                    mime: s("image/jpeg"),
                }),
                link: None,
            }],
            problems: vec![],
        }
    );
}

#[test]
fn ninjs_2_array_folds_the_update_and_reports_bad_items() {
    let batch = parse_ninjs(&fixture("ninjs-2-batch.json")).unwrap();
    let busan = WireItem {
        guid: "urn:hanbitwire:2025:0315-0042".into(),
        // Version 2 came first in the file; version 3 replaced it in its place.
        version: s("3"),
        headline: "부산항 물동량 역대 최대 기록".into(),
        deck: s("부산항이 지난해 컨테이너 2천만 개를 처리했다."),
        body: "부산항만공사는 15일 지난해 물동량이 *역대 최대*였다고 밝혔다.\n\n\
               신항 2-5단계가 보탬이 됐다."
            .into(),
        language: s("ko"),
        published_at: at("2025-03-14T21:00:00Z"),
        updated_at: at("2025-03-14T23:45:00Z"),
        byline: s("김민지 기자"),
        source: s("Hanbit Wire"),
        subjects: strings(&["Economy", "Busan"]),
        lead_image: Some(WireImage {
            href: "https://media.hanbitwire.example/0315-0042-p1-1600.jpg".into(),
            caption: s("Cranes load a container ship at Busan New Port on March 14."),
            credit: s("Lee Jun"),
            alt: s("Four blue gantry cranes over a ship stacked with containers"),
            mime: s("image/jpeg"),
        }),
        link: None,
    };
    let jeju = WireItem {
        guid: "urn:hanbitwire:2025:0315-0047".into(),
        // A number in the file, kept as its text.
        version: s("1"),
        headline: "Jeju airport shuts runway for repairs".into(),
        deck: None,
        body: "One of Jeju's runways closes from Monday for resurfacing.\n\n\
               Airlines say \\*most\\* flights \\[still\\] run.\n\n\
               \\- Delays are up to 40 minutes.\n\n\
               1999\\. That was the last closure."
            .into(),
        language: s("en"),
        published_at: at("2025-03-15T07:10:00Z"),
        updated_at: None,
        byline: s("Hanbit Wire staff"),
        source: s("Hanbit Wire"),
        subjects: strings(&["Jeju", "aviation"]),
        lead_image: None,
        link: None,
    };
    assert_eq!(batch.items, vec![busan, jeju]);
    assert_eq!(
        batch.problems,
        vec![
            problem(
                "item 4 (urn:hanbitwire:2025:0315-0050)",
                "it has no headline in `headlines`"
            ),
            problem(
                "item 5 (urn:hanbitwire:2025:0315-0051)",
                "its type is `picture`; only `text` items are stories"
            ),
        ]
    );
}

#[test]
fn an_older_version_after_a_newer_one_does_not_replace_it() {
    let json = r#"[
        {"uri": "urn:x:1", "version": "10", "headlines": [{"value": "Ten"}]},
        {"uri": "urn:x:1", "version": "9", "headlines": [{"value": "Nine"}]},
        {"uri": "urn:x:1", "version": "10", "headlines": [{"value": "Ten again"}]}
    ]"#;
    let batch = parse_ninjs(json).unwrap();
    assert_eq!(batch.items.len(), 1);
    assert_eq!(batch.items[0].headline, "Ten");
    assert_eq!(batch.problems, vec![]);
}

#[test]
fn supersedes_compares_numeric_versions_then_times() {
    let versioned = |v: &str| WireItem {
        version: s(v),
        ..item("urn:x:1")
    };
    assert!(versioned("10").supersedes(&versioned("9")));
    assert!(!versioned("9").supersedes(&versioned("10")));
    assert!(!versioned("3").supersedes(&versioned("3")));
    assert!(!versioned("4").supersedes(&WireItem {
        version: s("3"),
        ..item("urn:x:2")
    }));

    let stamped = |v: &str, updated: &str| WireItem {
        version: s(v),
        updated_at: at(updated),
        ..item("urn:x:1")
    };
    // Versions that are not numbers fall back to the update time.
    assert!(stamped("b", "2025-03-15T10:00:00Z").supersedes(&stamped("a", "2025-03-15T09:00:00Z")));
    assert!(
        !stamped("a", "2025-03-15T09:00:00Z").supersedes(&stamped("b", "2025-03-15T10:00:00Z"))
    );
    // Same copy again is no update.
    assert!(!item("urn:x:1").supersedes(&item("urn:x:1")));
}

#[test]
fn ninjs_generation_follows_the_declared_schema_before_the_shape() {
    // Declared 1.x: the 2.x `headlines` array is not read, so there is no headline.
    let declared_one = r#"{"$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.3.json",
        "uri": "urn:x:1", "headlines": [{"value": "Two-style"}]}"#;
    assert_eq!(
        parse_ninjs(declared_one).unwrap().problems,
        vec![problem("item 1 (urn:x:1)", "it has no `headline`")]
    );
    // Undeclared: the shape decides, both ways.
    let shaped_two = r#"{"uri": "urn:x:2", "headlines": [{"value": "Two"}],
        "bodies": [{"contenttype": "text/html", "value": "<p>Body</p>"}]}"#;
    let batch = parse_ninjs(shaped_two).unwrap();
    assert_eq!(
        (
            batch.items[0].headline.as_str(),
            batch.items[0].body.as_str()
        ),
        ("Two", "Body")
    );
    let shaped_one = r#"{"guid": "urn:x:3", "headline": "One", "body_text": "Plain body",
        "subject": [{"name": "Politics"}]}"#;
    let batch = parse_ninjs(shaped_one).unwrap();
    assert_eq!(batch.items[0].guid, "urn:x:3");
    assert_eq!(batch.items[0].body, "Plain body");
    assert_eq!(batch.items[0].subjects, strings(&["Politics"]));
}

#[test]
fn ninjs_items_that_cannot_be_read_are_problems_and_the_rest_go_in() {
    let json = r#"[
        42,
        {"headline": "No id at all"},
        {"uri": "urn:x:3", "headline": 5},
        {"uri": "urn:x:4", "headline": "Bad date", "firstcreated": "14/03/2025 09:05"},
        {"uri": "urn:x:5", "type": "video", "headline": "Clip"},
        {"uri": "urn:x:6", "type": "text", "headline": "Fine",
         "versioncreated": "2025-03-14T09:05:00+09:00"}
    ]"#;
    let batch = parse_ninjs(json).unwrap();
    assert_eq!(
        batch.problems,
        vec![
            problem("item 1", "it is a number, not a ninjs object"),
            problem("item 2 (No id at all)", "it has no `uri` (or `guid`)"),
            problem(
                "item 3 (urn:x:3)",
                "it is not valid ninjs: invalid type: integer `5`, expected a string"
            ),
            problem(
                "item 4 (urn:x:4)",
                "its `firstcreated` \"14/03/2025 09:05\" is not an RFC 3339 date-time \
                 (like 2025-03-14T09:05:00+09:00)"
            ),
            problem(
                "item 5 (urn:x:5)",
                "its type is `video`; only `text` items are stories"
            ),
        ]
    );
    assert_eq!(batch.items.len(), 1);
    // Without `firstcreated`, `versioncreated` is the publication and nothing is an update.
    assert_eq!(batch.items[0].published_at, at("2025-03-14T00:05:00Z"));
    assert_eq!(batch.items[0].updated_at, None);
}

#[test]
fn ninjs_file_errors() {
    assert_eq!(
        parse_ninjs(&fixture("broken.json"))
            .unwrap_err()
            .to_string(),
        "line 4, column 3: the file is not valid JSON: expected `,` or `}`"
    );
    assert_eq!(
        parse_ninjs("\"just a string\"").unwrap_err().to_string(),
        "the file is JSON but not ninjs: it holds a string, not an object or an array of objects"
    );
    assert_eq!(
        parse_ninjs("").unwrap_err(),
        WireError::Json {
            line: 1,
            column: 0,
            detail: "EOF while parsing a value".into()
        }
    );
}

// RSS

#[test]
fn rss_feed_items_fields_and_problems() {
    let batch = parse_feed(&fixture("rss-2.xml")).unwrap();
    let ferries = WireItem {
        guid: "hanbit-2025-0316-0008".into(),
        version: None,
        headline: "Han River ferries return after the winter break".into(),
        // content:encoded is the body, so the description is the deck.
        deck: s("Commuter boats resume on the Han with two new piers."),
        body: "Ferries resumed on the Han River on Sunday, with stops at **two** new piers.\n\n\
               Fares are 3,000 won; see the timetable or \
               [the route map](https://www.hanbitwire.example/ferry).\n\n\
               > \"It is faster than the subway,\" said one rider.\n\
               >\n\
               > Another disagreed.\n\n\
               1. Yeouido\n\
               2. Jamsil\n\
               \n   - weekends only"
            .into(),
        language: s("en"),
        published_at: at("2025-03-15T22:30:00Z"),
        updated_at: None,
        byline: s("Jung Ha-eun, Kang Min-ho"),
        source: s("Hanbit Wire \u{2014} National"),
        subjects: strings(&["Transport", "Seoul"]),
        lead_image: Some(WireImage {
            href: "https://media.hanbitwire.example/0316-0008.jpg".into(),
            caption: s("The ferry Hangang 3 leaves Yeouido pier."),
            credit: s("Seo Ji-ho"),
            alt: None,
            mime: s("image/jpeg"),
        }),
        link: s("https://www.hanbitwire.example/national/2025/03/16/ferries"),
    };
    let markets = WireItem {
        // No <guid>: the link identifies the item.
        guid: "https://www.hanbitwire.example/economy/2025/03/16/markets".into(),
        version: None,
        headline: "Markets: KOSPI & KOSDAQ close higher".into(),
        deck: None,
        body: "Stocks rose 1.2% on chip exports & a weaker won.\n\n\\*Not\\* advice.".into(),
        language: s("en"),
        published_at: at("2025-03-16T06:10:00Z"),
        updated_at: None,
        byline: s("Oh Se-jin"),
        source: s("Hanbit Wire Economy"),
        subjects: strings(&["Markets"]),
        lead_image: None,
        link: s("https://www.hanbitwire.example/economy/2025/03/16/markets"),
    };
    assert_eq!(batch.items, vec![ferries, markets]);
    assert_eq!(
        batch.problems,
        vec![
            problem(
                "item 2 (hanbit-2025-0316-0011)",
                "its <pubDate> \"next Tuesday, probably\" is not an RFC 2822 date \
                 (like Fri, 14 Mar 2025 09:05:00 +0900)"
            ),
            problem("item 4", "it has no <guid> and no <link>"),
        ]
    );
}

#[test]
fn rss_media_content_stands_in_for_an_enclosure_and_authors_keep_odd_forms() {
    let xml = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
        <title>Hanbit Wire</title>
        <media:credit>Feed-wide credit</media:credit>
        <item><title>One</title><guid>g1</guid><author>Desk of Hanbit</author>
          <enclosure url="https://media.hanbitwire.example/a.mp3" type="audio/mpeg" length="1"/>
          <media:content url="https://media.hanbitwire.example/b.jpg" medium="image"/>
          <media:credit>Item credit</media:credit>
        </item>
        <item><title>Two</title><guid>g2</guid><author>desk@hanbitwire.example</author>
          <title>ignored second title</title></item>
        <item><title>  </title><guid>g3</guid></item>
    </channel></rss>"#;
    let batch = parse_feed(xml).unwrap();
    assert_eq!(
        batch.items[0].lead_image,
        Some(WireImage {
            href: "https://media.hanbitwire.example/b.jpg".into(),
            caption: None,
            credit: s("Item credit"),
            alt: None,
            mime: None,
        })
    );
    assert_eq!(batch.items[0].byline, s("Desk of Hanbit"));
    assert_eq!(batch.items[0].language, None);
    assert_eq!(batch.items[0].published_at, None);
    assert_eq!(batch.items[1].byline, s("desk@hanbitwire.example"));
    assert_eq!(batch.items[1].headline, "Two");
    assert_eq!(
        batch.problems,
        vec![problem("item 3 (g3)", "it has no <title>")]
    );
}

// Atom

#[test]
fn atom_feed_entries_fields_and_problems() {
    let batch = parse_feed(&fixture("atom-1.xml")).unwrap();
    let gugak = WireItem {
        guid: "tag:hanbitwire.example,2025:0317-0003".into(),
        version: None,
        headline: "Gugak orchestra tours Europe".into(),
        deck: s("Twelve cities in six weeks."),
        body: "The National Gugak Center orchestra opens its tour in Vienna.\n\n\
               ### Programme\n\n\
               Pieces for *gayageum*\\\nand **daegeum**."
            .into(),
        language: s("en"),
        published_at: at("2025-03-16T23:00:00Z"),
        updated_at: at("2025-03-17T02:30:00Z"),
        byline: s("Yoon Ga-eun, Lim Tae-ho"),
        source: s("Hanbit Wire: Culture"),
        subjects: strings(&["Music", "Europe"]),
        lead_image: Some(WireImage {
            href: "https://media.hanbitwire.example/0317-0003.png".into(),
            caption: s("The orchestra rehearses in Seoul."),
            credit: None,
            alt: None,
            mime: s("image/png"),
        }),
        link: s("https://www.hanbitwire.example/culture/2025/03/17/gugak"),
    };
    let museum = WireItem {
        guid: "tag:hanbitwire.example,2025:0317-0009".into(),
        version: None,
        headline: "국립중앙박물관, 야간 개장 연장".into(),
        // No content: the text summary is the body, and the Markdown in it stays text.
        deck: None,
        body: "박물관은 금요일과 토요일 밤 9시까지 문을 연다.\n\n\
               \\[예매\\](javascript:void(0)) 안내는 홈페이지에."
            .into(),
        language: s("ko"),
        published_at: at("2025-03-17T01:00:00Z"),
        updated_at: at("2025-03-17T01:00:00Z"),
        // Inherited from the entry's <source>, not the feed.
        byline: s("Museums Desk"),
        source: s("Hanbit Wire: Museums"),
        subjects: vec![],
        lead_image: None,
        link: None,
    };
    let poets = WireItem {
        guid: "tag:hanbitwire.example,2025:0317-0014".into(),
        version: None,
        headline: "Poets read at Jongmyo".into(),
        deck: None,
        body: "Readings run **nightly** at 8 p.m.\n\n\
               Entry is free & [booking](https://www.hanbitwire.example/poets) opens Monday."
            .into(),
        language: s("en"),
        published_at: at("2025-03-17T00:45:00Z"),
        updated_at: at("2025-03-17T00:45:00Z"),
        byline: s("Hanbit Wire Culture Desk"),
        source: s("Hanbit Wire: Culture"),
        subjects: vec![],
        lead_image: None,
        link: None,
    };
    assert_eq!(batch.items, vec![gugak, museum, poets]);
    assert_eq!(
        batch.problems,
        vec![
            problem("item 3 (An entry without an id)", "it has no <id>"),
            problem(
                "item 4 (tag:hanbitwire.example,2025:0317-0012)",
                "its <published> \"17 March 2025\" is not an RFC 3339 date-time \
                 (like 2025-03-14T09:05:00+09:00)"
            ),
        ]
    );
}

#[test]
fn atom_revisions_of_one_entry_keep_the_latest_and_outside_content_falls_back_to_summary() {
    let xml = r#"<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title>
        <a:entry><a:id>urn:e:1</a:id><a:title>Second revision</a:title>
          <a:updated>2025-03-17T10:00:00Z</a:updated>
          <a:summary type="html">&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</a:summary>
          <a:content src="https://www.hanbitwire.example/full.html" type="text/html"/></a:entry>
        <a:entry><a:id>urn:e:1</a:id><a:title>First revision</a:title>
          <a:updated>2025-03-17T09:00:00Z</a:updated></a:entry>
        <a:entry><a:id>urn:e:1</a:id><a:title>Third revision</a:title>
          <a:updated>2025-03-17T11:00:00Z</a:updated>
          <a:content type="text">Plain   *text*
body</a:content></a:entry>
    </a:feed>"#;
    let batch = parse_feed(xml).unwrap();
    assert_eq!(batch.items.len(), 1);
    assert_eq!(batch.items[0].headline, "Third revision");
    assert_eq!(batch.items[0].body, "Plain \\*text\\* body");

    let first_only = xml.replace(
        "urn:e:1</a:id><a:title>Third",
        "urn:e:3</a:id><a:title>Third",
    );
    let batch = parse_feed(&first_only).unwrap();
    assert_eq!(batch.items[0].headline, "Second revision");
    assert_eq!(batch.items[0].body, "Short & sweet");
    assert_eq!(batch.items[0].deck, None);
    assert_eq!(batch.items[0].byline, None);
}

// Feed errors

#[test]
fn feed_file_errors() {
    assert_eq!(
        parse_feed(&fixture("broken.xml")).unwrap_err().to_string(),
        "line 8: the file is not well-formed XML: ill-formed document: \
         expected `</guid>`, but `</item>` was found"
    );
    let rdf = "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
               xmlns=\"http://purl.org/rss/1.0/\"><channel/></rdf:RDF>";
    assert_eq!(
        parse_feed(rdf).unwrap_err().to_string(),
        "line 2: the root element is <RDF>; a feed must be RSS 2.0 (<rss>) or Atom 1.0 \
         (<feed> in the Atom namespace)"
    );
    let atom_03 = r#"<feed xmlns="http://purl.org/atom/ns#" version="0.3"></feed>"#;
    assert_eq!(
        parse_feed(atom_03).unwrap_err(),
        WireError::NotAFeed {
            line: 1,
            root: "feed".into()
        }
    );
    assert_eq!(
        parse_feed("<rss version=\"2.0\">\n</rss>")
            .unwrap_err()
            .to_string(),
        "line 1: the <rss> element holds no <channel>"
    );
    assert_eq!(
        parse_feed("  \n").unwrap_err().to_string(),
        "line 2: the file is not well-formed XML: the file holds no element"
    );
    assert_eq!(
        parse_feed("<rss>\n<channel>\n<item>")
            .unwrap_err()
            .to_string(),
        "line 3: the file is not well-formed XML: <item> is never closed"
    );
    assert_eq!(
        parse_feed("<rss><channel/></rss>\n<rss/>")
            .unwrap_err()
            .to_string(),
        "line 2: the file is not well-formed XML: a second root element follows the first"
    );
    let deep = format!("<rss>{}{}</rss>", "<x>".repeat(300), "</x>".repeat(300));
    assert_eq!(
        parse_feed(&deep).unwrap_err().to_string(),
        "line 1: the file is not well-formed XML: elements are nested more than 256 deep"
    );
}

// HTML to Markdown

#[test]
fn scripts_styles_and_their_text_are_dropped() {
    assert_eq!(
        html_to_markdown(
            "<style>p{color:red}</style><p>Kept<script>document.cookie</script> text</p>\
             <noscript>no</noscript><!-- note --><img src=x onerror=alert(1)>"
        ),
        "Kept text"
    );
}

#[test]
fn markup_in_text_stays_text() {
    assert_eq!(
        html_to_markdown("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        "\\<script\\>alert(1)\\</script\\>"
    );
    assert_eq!(
        html_to_markdown("<p>5 * 3 = [15] and `code` _under_ | ~x~ \\ end</p>"),
        "5 \\* 3 = \\[15\\] and \\`code\\` \\_under\\_ \\| \\~x\\~ \\\\ end"
    );
    assert_eq!(
        html_to_markdown("<p>[click](javascript:alert(1))</p>"),
        "\\[click\\](javascript:alert(1))"
    );
    // Only what would read as block syntax at a line start is escaped there.
    assert_eq!(
        html_to_markdown("<p># one</p><p>- two</p><p>+ three</p><p>2025. four</p><p>a - b # c</p>"),
        "\\# one\n\n\\- two\n\n\\+ three\n\n2025\\. four\n\na - b # c"
    );
    // An entity that survived decoding once must not be decoded again by the renderer.
    assert_eq!(
        html_to_markdown("<p>AT&amp;T &amp;copy;</p>"),
        "AT&T \\&copy;"
    );
}

#[test]
fn links_keep_only_safe_targets() {
    assert_eq!(
        html_to_markdown(
            "<p><a href=\"javascript:alert(1)\">one</a> <a href=\" JaVaScRiPt:x\">two</a> \
             <a href=\"data:text/html,hi\">three</a> <a href=\"/relative\">four</a></p>"
        ),
        "one two three four"
    );
    assert_eq!(
        html_to_markdown(
            "<p><a href=\"HTTPS://x.example/a b(c)\">[x]</a> \
             <a href=\"mailto:desk@hanbitwire.example\">desk</a> <a href=\"https://x.example\"></a></p>"
        ),
        "[\\[x\\]](HTTPS://x.example/a%20b%28c%29) [desk](mailto:desk@hanbitwire.example)"
    );
}

#[test]
fn emphasis_keeps_spaces_outside_its_delimiters() {
    assert_eq!(
        html_to_markdown(
            "<p>a<b> bold </b>c <i>it</i>, un<em>believ</em>able<strong></strong>.</p>"
        ),
        "a **bold** c *it*, un*believ*able."
    );
}

#[test]
fn headings_lists_quotes_and_breaks() {
    assert_eq!(
        html_to_markdown(
            "<h1>Top</h1><h2>Two</h2><h3>Three<br>lines</h3><h4>Four</h4><h5>Five</h5>\
             <ul><li>a</li><li><p>b1</p><p>b2</p></li></ul>\
             <ol><li>first</li><li>second</li></ol>\
             <blockquote>Quoted<br>twice</blockquote><p>end<br></p>"
        ),
        "Top\n\n## Two\n\n### Three lines\n\n#### Four\n\nFive\n\n\
         - a\n- b1\n\n  b2\n\n1. first\n2. second\n\n> Quoted\\\n> twice\n\nend"
    );
}

#[test]
fn broken_and_unknown_markup_is_reduced_to_text() {
    assert_eq!(
        html_to_markdown("<p>one<p>two</div><div>three<div>four</div></div>"),
        "one\n\ntwo\n\nthree\n\nfour"
    );
    assert_eq!(
        html_to_markdown(
            "<table><tr><td>Seoul</td><td>3°C</td></tr><tr><td>Busan</td><td>9°C</td></tr></table>"
        ),
        "Seoul 3°C\n\nBusan 9°C"
    );
    assert_eq!(
        html_to_markdown("<span>plain</span>  <u>text</u>\n<code>x</code>"),
        "plain text x"
    );
    assert_eq!(html_to_markdown(""), "");
}

#[test]
fn deep_nesting_keeps_its_text() {
    let html = format!(
        "{}deep text{}",
        "<div><span>".repeat(2000),
        "</span></div>".repeat(2000)
    );
    assert_eq!(html_to_markdown(&html), "deep text");
}

#[test]
fn text_of_html_is_one_line() {
    assert_eq!(
        html_to_text(
            "<p>Seoul&#39;s <em>owl</em> buses</p><p>run&nbsp;late</p><script>x()</script>"
        ),
        "Seoul's owl buses run\u{a0}late"
    );
    assert_eq!(
        html_to_text("Profits &lt; 5% &amp; falling"),
        "Profits < 5% & falling"
    );
}

#[test]
fn feeds_survive_bare_ampersands_and_html_entities() {
    let xml = "<rss version=\"2.0\"><channel><title>Hanbit Wire</title><item>\
               <title>R&D spending&nbsp;rises</title><link>https://x.example/?a=1&b=2</link>\
               </item></channel></rss>";
    let batch = parse_feed(xml).unwrap();
    assert_eq!(batch.problems, vec![]);
    assert_eq!(batch.items[0].headline, "R&D spending\u{a0}rises");
    assert_eq!(batch.items[0].guid, "https://x.example/?a=1&b=2");
}

/// The site's renderer (strikethrough and tables on) reading a converted body.
fn rendered(html: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let markdown = html_to_markdown(html);
    let mut out = String::new();
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    pulldown_cmark::html::push_html(&mut out, Parser::new_ext(&markdown, options));
    out
}

#[test]
fn converted_bodies_render_as_the_agency_wrote_them() {
    assert_eq!(
        rendered(
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) \
             &lt;https://x.example&gt; ~~gone~~ &amp;copy; *not em* a_b_c</p>"
        ),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) \
         &lt;https://x.example&gt; ~~gone~~ &amp;copy; *not em* a_b_c</p>\n"
    );
    assert_eq!(
        rendered(
            "<p>1999. A year</p><p>- dash</p><p># hash</p><p>| a | b |</p><p>===</p>\
             <p><span>7</span>. split</p><p>line<br>- after a break</p>"
        ),
        "<p>1999. A year</p>\n<p>- dash</p>\n<p># hash</p>\n<p>| a | b |</p>\n<p>===</p>\n\
         <p>7. split</p>\n<p>line<br />\n- after a break</p>\n"
    );
    assert_eq!(
        rendered(
            "<p>Plain <b> bold </b> and <i>it</i>al, <a href=\"javascript:x\">bad</a> \
             <a href=\"https://x.example/(a)\">good</a><br>next</p>"
        ),
        "<p>Plain <strong>bold</strong> and <em>it</em>al, bad \
         <a href=\"https://x.example/%28a%29\">good</a><br />\nnext</p>\n"
    );
    assert_eq!(
        rendered(
            "<ol><li>one<ul><li>inner</li></ul></li><li>two</li></ol><blockquote><p>q</p></blockquote>"
        ),
        "<ol>\n<li>\n<p>one</p>\n<ul>\n<li>inner</li>\n</ul>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>\n\
         <blockquote>\n<p>q</p>\n</blockquote>\n"
    );
}
