//! `broadsheet gen`: a deterministic synthetic corpus for benchmarks and load tests.
//!
//! The same `--seed` and `--stories` always give the same sections, tags, sources, headlines,
//! bodies and times, so two benchmark runs measure the same newspaper. Shapes follow a real
//! paper's: a two-level section tree, tag use skewed so a few tags carry most stories (as
//! "North Korea" or "Economy" do), bodies of 300 to 900 words, a story every few minutes
//! going back in time, three in four stories with a photo.

use crate::app::App;
use crate::demo::photos::{self, Scene};
use broadsheet_domain::{
    MediaId, MediaInput, SectionId, SourceInput, SourceKind, StoryInput, StoryKind, StoryStatus,
};
use broadsheet_store::StoreError;
use jiff::{SignedDuration, Timestamp};

/// Stories per transaction: large enough that commits are rare, small enough that a reader on
/// a running site never waits long for the write lock.
const BATCH: usize = 500;

const SECTIONS: &[(&str, &[&str])] = &[
    (
        "National",
        &["North Korea", "Politics", "Social Affairs", "Defense"],
    ),
    (
        "Business",
        &["Economy", "Industry", "Finance", "Technology"],
    ),
    ("World", &["Asia", "Americas", "Europe", "Middle East"]),
    ("Culture", &["Arts", "Food & Travel", "Books", "Film"]),
    ("Sports", &["Baseball", "Football", "Golf", "Esports"]),
    ("Opinion", &["Editorials", "Columns", "Letters"]),
];

const SYLLABLES: &[&str] = &[
    "han", "seo", "min", "ji", "woo", "jin", "sung", "ho", "yeon", "ah", "bin", "chan", "dae",
    "eun", "gyu", "hye", "jae", "kyung", "mi", "na", "ra", "sol", "tae", "yun", "hee", "won",
];
const FAMILY: &[&str] = &[
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Shin", "Oh",
];
const TOPICS: &[&str] = &[
    "Policy",
    "Port",
    "Council",
    "Festival",
    "Budget",
    "Rail",
    "Harbor",
    "Market",
    "League",
    "Summit",
    "Museum",
    "Bridge",
    "Reform",
    "Exports",
    "Housing",
    "Climate",
    "Energy",
    "Chips",
    "Tourism",
    "Schools",
    "Pensions",
    "Fisheries",
    "Airport",
    "Hospital",
    "Startups",
    "Ferries",
];
const PLACES: &[&str] = &[
    "Seoul",
    "Busan",
    "Incheon",
    "Daegu",
    "Daejeon",
    "Gwangju",
    "Ulsan",
    "Jeju",
    "Suwon",
    "Gangneung",
    "Pohang",
    "Jeonju",
    "Mokpo",
    "Sokcho",
    "Andong",
    "Yeosu",
    "Paju",
    "Chuncheon",
];
const SUBJECTS: &[&str] = &[
    "Council",
    "Ministry",
    "Shipbuilders",
    "Lawmakers",
    "Farmers",
    "Exporters",
    "Students",
    "Regulators",
    "Researchers",
    "Residents",
    "Retailers",
    "Commuters",
    "Chipmakers",
    "Coaches",
];
const VERBS: &[&str] = &[
    "weighs",
    "unveils",
    "delays",
    "backs",
    "questions",
    "expands",
    "trims",
    "revives",
    "tests",
    "extends",
    "reviews",
    "approves",
    "plans",
    "rejects",
    "doubles",
];
const OBJECTS: &[&str] = &[
    "new ferry route",
    "budget for winter heating",
    "plan to cut emissions",
    "rail link",
    "housing subsidy",
    "night market permits",
    "export forecast",
    "stadium upgrade",
    "school meal program",
    "port expansion",
    "data center project",
    "museum reopening",
];
const WORDS: &[&str] = &[
    "the",
    "city",
    "said",
    "on",
    "plan",
    "would",
    "officials",
    "year",
    "new",
    "more",
    "than",
    "residents",
    "after",
    "local",
    "and",
    "its",
    "for",
    "a",
    "of",
    "in",
    "to",
    "with",
    "by",
    "program",
    "cost",
    "million",
    "won",
    "first",
    "since",
    "week",
    "government",
    "expected",
    "data",
    "council",
    "market",
    "workers",
    "public",
    "growth",
    "prices",
    "region",
    "during",
    "agreed",
    "report",
    "demand",
    "winter",
    "summer",
    "harbor",
    "schools",
    "budget",
    "review",
    "project",
    "company",
    "industry",
    "research",
    "survey",
    "percent",
    "rose",
    "fell",
    "months",
    "early",
    "later",
    "system",
    "service",
    "support",
    "families",
    "students",
    "route",
    "plans",
];

/// A small deterministic generator (SplitMix64): no dependency, same numbers everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// An index skewed toward 0: a few items are used very often, most rarely.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }
}

fn given_name(rng: &mut Rng) -> String {
    let a = rng.pick(SYLLABLES);
    let b = rng.pick(SYLLABLES);
    let mut name = String::new();
    name.push_str(&a[..1].to_uppercase());
    name.push_str(&a[1..]);
    name.push('-');
    name.push_str(b);
    name
}

/// The corpus's vocabulary of tags and sources, fixed by the seed.
struct Cast {
    tags: Vec<String>,
    staff: Vec<String>,
    wires: Vec<String>,
}

impl Cast {
    fn new(seed: u64) -> Cast {
        let mut rng = Rng(seed ^ 0xC0FFEE);
        let mut tags: Vec<String> = PLACES.iter().map(|p| p.to_string()).collect();
        tags.extend(TOPICS.iter().map(|t| t.to_string()));
        for place in PLACES {
            for topic in TOPICS {
                tags.push(format!("{place} {topic}"));
            }
        }
        for _ in 0..600 {
            tags.push(format!("{} {}", rng.pick(FAMILY), given_name(&mut rng)));
        }
        tags.sort();
        tags.dedup();
        // Shuffle so the skew does not favour alphabetical order.
        for i in (1..tags.len()).rev() {
            let j = rng.below(i + 1);
            tags.swap(i, j);
        }
        let mut staff: Vec<String> = (0..300)
            .map(|_| format!("{} {}", rng.pick(FAMILY), given_name(&mut rng)))
            .collect();
        staff.sort();
        staff.dedup();
        let wires = [
            "Peninsula Press Service",
            "Harbour News Agency",
            "Eastern Wire",
            "Capital Bureau Service",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        Cast { tags, staff, wires }
    }
}

fn sentence(rng: &mut Rng) -> String {
    let n = 12 + rng.below(14);
    let mut words: Vec<&str> = (0..n).map(|_| rng.pick(WORDS)).collect();
    let place = rng.pick(PLACES);
    let at = rng.below(n);
    words[at] = place;
    let mut text = words.join(" ");
    text[..1].make_ascii_uppercase();
    text.push('.');
    text
}

fn story_input(
    rng: &mut Rng,
    cast: &Cast,
    i: u64,
    seed: u64,
    section: SectionId,
    at: Timestamp,
    photo: Option<MediaId>,
) -> StoryInput {
    let headline = format!(
        "{} {} {} {} in {}",
        rng.pick(PLACES),
        rng.pick(SUBJECTS).to_lowercase(),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(PLACES)
    );
    let paragraphs = 5 + rng.below(9);
    let body: Vec<String> = (0..paragraphs)
        .map(|_| {
            (0..2 + rng.below(3))
                .map(|_| sentence(rng))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let tag_count = 2 + rng.below(4);
    let tags: Vec<String> = (0..tag_count)
        .map(|_| cast.tags[rng.skewed(cast.tags.len())].clone())
        .collect();
    let sources = if rng.below(3) == 0 {
        vec![SourceInput {
            name: cast.wires[rng.below(cast.wires.len())].clone(),
            kind: SourceKind::Wire,
        }]
    } else {
        vec![SourceInput {
            name: cast.staff[rng.below(cast.staff.len())].clone(),
            kind: SourceKind::Staff,
        }]
    };
    StoryInput {
        external_id: Some(format!("gen:{seed}:{i}")),
        kind: StoryKind::Article,
        status: StoryStatus::Published,
        headline,
        deck: (rng.below(2) == 0).then(|| sentence(rng)),
        body: body.join("\n\n"),
        section_id: section,
        language: "en".into(),
        tags,
        sources,
        lead_media: photo,
        gallery: Vec::new(),
        related_story_id: None,
        related_after: None,
        published_at: Some(at),
        updated_at: None,
        link_refs: Vec::new(),
    }
}

/// Write `stories` stories; `progress` is told how many are done after each batch.
pub async fn generate(
    app: &App,
    stories: u64,
    seed: u64,
    mut progress: impl FnMut(u64),
) -> Result<(), StoreError> {
    let mut rng = Rng(seed);
    let cast = Cast::new(seed);
    let mut sections = Vec::new();
    for (top, subs) in SECTIONS {
        sections.push(
            app.store
                .ensure_section_path(&[top.to_string()], None)
                .await?,
        );
        for sub in *subs {
            sections.push(
                app.store
                    .ensure_section_path(&[top.to_string(), sub.to_string()], None)
                    .await?,
            );
        }
    }
    let mut photo_ids = Vec::new();
    for (n, scene) in Scene::ALL.iter().enumerate() {
        let image = photos::render(*scene, seed.wrapping_add(n as u64), 640, 360);
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80)
            .encode_image(&image)
            .map_err(|e| StoreError::Corrupt(format!("encoding a photo: {e}")))?;
        let file = app
            .media
            .write(&bytes, "jpg")
            .map_err(|e| StoreError::Corrupt(format!("writing a photo: {e}")))?;
        let media = app
            .store
            .add_media(&MediaInput {
                file,
                mime: "image/jpeg".into(),
                width: 640,
                height: 360,
                caption: format!(
                    "A generated {} scene for the benchmark corpus.",
                    scene.name()
                ),
                credit: Some("BROADSHEET GEN".into()),
                alt: format!("Illustration of a {}", scene.name()),
            })
            .await?;
        photo_ids.push(media.id);
    }
    // The newest story is published at a fixed instant; each earlier one a few minutes before.
    let newest: Timestamp = "2026-11-01T00:00:00Z".parse().expect("fixed time");
    let mut done = 0;
    while done < stories {
        let mut writer = app.store.writer().await?;
        let end = (done + BATCH as u64).min(stories);
        for i in done..end {
            let age = SignedDuration::from_secs(((stories - i) * 7 * 60) as i64);
            let at = newest - age;
            let section = sections[rng.skewed(sections.len())];
            let photo = (rng.below(4) != 0).then(|| photo_ids[rng.below(photo_ids.len())]);
            let input = story_input(&mut rng, &cast, i, seed, section, at, photo);
            writer.save(None, &input).await?;
        }
        writer.commit().await?;
        done = end;
        progress(done);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_story() {
        let cast = Cast::new(7);
        let at = Timestamp::UNIX_EPOCH;
        let a = story_input(&mut Rng(7), &cast, 1, 7, SectionId(1), at, None);
        let b = story_input(&mut Rng(7), &Cast::new(7), 1, 7, SectionId(1), at, None);
        assert_eq!(a, b);
        let c = story_input(&mut Rng(8), &cast, 1, 7, SectionId(1), at, None);
        assert_ne!(a.headline, c.headline);
        a.validate().unwrap();
        let words = a.body.split_whitespace().count();
        assert!((100..2000).contains(&words), "{words}");
    }
}
