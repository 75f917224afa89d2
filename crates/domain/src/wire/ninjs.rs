//! IPTC ninjs ("news in JSON"), generations 1.x and 2.x.
//!
//! A file holds one ninjs object or an array of them. The two generations name the same
//! things differently, and 2.x is not backwards compatible, so each object is read by the
//! rules of its own generation:
//!
//! * **Which generation.** The schema the object declares decides (`$schema`, or the
//!   `standard` object's `schema` or `version`: `ninjs-schema_1.4.json`, `2.0`). Without one,
//!   the shape decides: any of the 2.x arrays `headlines`, `descriptions`, `bodies`,
//!   `subjects`, `infosources`, or `associations` as an array, makes it 2.x; else it is 1.x.
//! * **Id and version.** `uri` is the id (1.x objects from Superdesk-style systems carry
//!   `guid` instead, accepted there). `version` is a string by the schema; numbers are
//!   accepted as their text, because providers send them.
//! * **Only text.** An object whose `type` is anything but `text` (a standalone picture,
//!   video or package) is not a story and becomes a problem; a missing `type` counts as text.
//! * **Headline.** 1.x `headline`; 2.x the `headlines` entry with role `main`, else the
//!   first. Read as HTML (entities decoded, tags stripped) unless its `contenttype` says
//!   `text/plain`.
//! * **Deck.** 1.x `description_text`, else `description_html` as text; 2.x the
//!   `descriptions` entry with role `summary`, else the first that is no alt text.
//! * **Body.** 1.x `body_html` as Markdown, else `body_text`; 2.x the first `bodies` entry
//!   whose `contenttype` is HTML, else the first other one as plain text.
//! * **Dates.** `firstcreated` is the first publication, `versioncreated` this version;
//!   without `firstcreated`, `versioncreated` is the publication and there is no update
//!   time. Both are RFC 3339; one that does not parse makes the item a problem, because a
//!   story filed at a wrong time is worse than one held back.
//! * **People and rights.** Byline: `by`, else 1.x `byline`. Source: `copyrightholder`
//!   (a string, or an object with a `name`), else the first named `infosources` (1.x
//!   `infosource`).
//! * **Subjects.** The `name`s of 1.x `subject` / 2.x `subjects`, then `keywords`.
//! * **Lead image.** The first association of type `picture` or `graphic` that has an image
//!   rendition (1.x: `associations` is a map, read in key order; 2.x: a list, in order).
//!   Its widest rendition with an image (or no) MIME type gives `href` and `mime`; its
//!   description the caption (2.x: a description with role `alt` is the alt text instead);
//!   its headline the alt text otherwise; its `by`/`byline`, else `copyrightholder`, the
//!   credit.
//! * ninjs has no field for a web page of the story, so `link` stays empty.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use super::html::{collapse_whitespace, html_to_markdown, html_to_text, text_to_markdown};
use super::{
    WireBatch, WireError, WireImage, WireItem, dedup_subjects, is_image_mime, item_label, non_empty,
};

/// Read a ninjs file: one object or an array of objects.
pub fn parse_ninjs(json: &str) -> Result<WireBatch, WireError> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        let full = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        WireError::Json {
            line: e.line(),
            column: e.column(),
            detail: full.strip_suffix(&position).unwrap_or(&full).to_string(),
        }
    })?;
    let objects = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        other => {
            return Err(WireError::NotNinjs {
                found: json_kind(&other),
            });
        }
    };
    let mut batch = WireBatch::default();
    for (index, object) in objects.into_iter().enumerate() {
        let label = label(index, &object);
        match read_object(object) {
            Ok(item) => batch.push(item),
            Err(reason) => batch.problem(label, reason),
        }
    }
    Ok(batch)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The label for problems, taken from the raw JSON so that it is there even when the object
/// does not deserialise.
fn label(index: usize, object: &Value) -> String {
    let text = |key: &str| object.get(key).and_then(Value::as_str).and_then(non_empty);
    let headline = text("headline").or_else(|| {
        object
            .get("headlines")
            .and_then(|h| h.get(0))
            .and_then(|h| h.get("value"))
            .and_then(Value::as_str)
            .and_then(non_empty)
    });
    item_label(
        index,
        text("uri").or_else(|| text("guid")).as_deref(),
        headline.as_deref(),
    )
}

/// One ninjs object, with the fields of both generations; see the module docs for which
/// generation reads which.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Ninjs {
    #[serde(rename = "$schema")]
    schema: Option<String>,
    standard: Option<Standard>,
    uri: Option<String>,
    guid: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    version: Option<Version>,
    firstcreated: Option<String>,
    versioncreated: Option<String>,
    language: Option<String>,
    copyrightholder: Option<Holder>,
    by: Option<String>,
    keywords: Option<Vec<String>>,
    associations: Option<Associations>,
    renditions: Option<Renditions>,
    // 1.x
    headline: Option<String>,
    description_text: Option<String>,
    description_html: Option<String>,
    body_text: Option<String>,
    body_html: Option<String>,
    byline: Option<String>,
    subject: Option<Vec<Named>>,
    infosource: Option<OneOrMany<Named>>,
    // 2.x
    headlines: Option<Vec<Labelled>>,
    descriptions: Option<Vec<Labelled>>,
    bodies: Option<Vec<Labelled>>,
    subjects: Option<Vec<Named>>,
    infosources: Option<Vec<Named>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Standard {
    version: Option<String>,
    schema: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Version {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Holder {
    Name(String),
    Named(Named),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Named {
    name: Option<String>,
}

/// A 2.x headline, description or body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Labelled {
    role: Option<String>,
    contenttype: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Associations {
    Map(BTreeMap<String, Ninjs>),
    List(Vec<Ninjs>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Renditions {
    Map(BTreeMap<String, Rendition>),
    List(Vec<Rendition>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Rendition {
    href: Option<String>,
    /// 1.x
    mimetype: Option<String>,
    /// 2.x
    contenttype: Option<String>,
    width: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generation {
    One,
    Two,
}

fn generation(n: &Ninjs) -> Generation {
    let declared = [
        n.schema.as_deref(),
        n.standard.as_ref().and_then(|s| s.schema.as_deref()),
    ];
    // Schema URIs end in `ninjs-schema_1.4.json` / `ninjs-schema_2.0.json`.
    for schema in declared.into_iter().flatten() {
        if let Some((_, version)) = schema.rsplit_once('_') {
            if version.starts_with("1.") {
                return Generation::One;
            }
            if version.starts_with("2.") {
                return Generation::Two;
            }
        }
    }
    match n.standard.as_ref().and_then(|s| s.version.as_deref()) {
        Some(v) if v.starts_with('1') => return Generation::One,
        Some(v) if v.starts_with('2') => return Generation::Two,
        _ => {}
    }
    let two_shaped = n.headlines.is_some()
        || n.descriptions.is_some()
        || n.bodies.is_some()
        || n.subjects.is_some()
        || n.infosources.is_some()
        || matches!(n.associations, Some(Associations::List(_)));
    if two_shaped {
        Generation::Two
    } else {
        Generation::One
    }
}

fn read_object(object: Value) -> Result<WireItem, String> {
    if !object.is_object() {
        return Err(format!("it is {}, not a ninjs object", json_kind(&object)));
    }
    let n = Ninjs::deserialize(object).map_err(|e| format!("it is not valid ninjs: {e}"))?;
    let generation = generation(&n);

    if let Some(kind) = n.kind.as_deref().and_then(non_empty)
        && kind != "text"
    {
        return Err(format!(
            "its type is `{kind}`; only `text` items are stories"
        ));
    }
    let guid = match generation {
        Generation::One => n.uri.as_deref().or(n.guid.as_deref()).and_then(non_empty),
        Generation::Two => n.uri.as_deref().and_then(non_empty),
    }
    .ok_or(match generation {
        Generation::One => "it has no `uri` (or `guid`)",
        Generation::Two => "it has no `uri`",
    })?;
    let headline = headline(&n, generation).ok_or(match generation {
        Generation::One => "it has no `headline`",
        Generation::Two => "it has no headline in `headlines`",
    })?;

    let first = date(n.firstcreated.as_deref(), "firstcreated")?;
    let this_version = date(n.versioncreated.as_deref(), "versioncreated")?;
    let (published_at, updated_at) = match (first, this_version) {
        (Some(first), Some(version)) => (Some(first), (version > first).then_some(version)),
        (first, version) => (first.or(version), None),
    };

    let names = |named: &Option<Vec<Named>>| -> Vec<String> {
        named
            .iter()
            .flatten()
            .filter_map(|s| s.name.clone())
            .collect()
    };
    let mut subjects = match generation {
        Generation::One => names(&n.subject),
        Generation::Two => names(&n.subjects),
    };
    subjects.extend(n.keywords.iter().flatten().cloned());

    Ok(WireItem {
        guid,
        version: n.version.as_ref().and_then(|v| match v {
            Version::Text(text) => non_empty(text),
            Version::Number(number) => Some(number.to_string()),
        }),
        deck: deck(&n, generation),
        body: body(&n, generation),
        language: n.language.as_deref().and_then(non_empty),
        published_at,
        updated_at,
        byline: byline(&n),
        source: source(&n),
        subjects: dedup_subjects(subjects),
        lead_image: lead_image(&n, generation),
        link: None,
        headline,
    })
}

fn date(value: Option<&str>, field: &str) -> Result<Option<Timestamp>, String> {
    let Some(text) = value.and_then(non_empty) else {
        return Ok(None);
    };
    text.parse::<Timestamp>().map(Some).map_err(|_| {
        format!(
            "its `{field}` \"{text}\" is not an RFC 3339 date-time (like 2025-03-14T09:05:00+09:00)"
        )
    })
}

/// A text field that may hold HTML, as one line of plain text.
fn as_text(value: &str, contenttype: Option<&str>) -> Option<String> {
    let text = match contenttype {
        Some(t) if t.eq_ignore_ascii_case("text/plain") => collapse_whitespace(value),
        _ => html_to_text(value),
    };
    non_empty(text)
}

fn is_html(contenttype: Option<&str>) -> bool {
    contenttype.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t.starts_with("text/html") || t.starts_with("application/xhtml")
    })
}

fn has_role(entry: &Labelled, role: &str) -> bool {
    entry
        .role
        .as_deref()
        .is_some_and(|r| r.eq_ignore_ascii_case(role))
}

fn headline(n: &Ninjs, generation: Generation) -> Option<String> {
    match generation {
        Generation::One => n.headline.as_deref().and_then(|h| as_text(h, None)),
        Generation::Two => {
            let headlines = n.headlines.as_deref().unwrap_or_default();
            let main = headlines.iter().find(|h| has_role(h, "main"));
            main.into_iter()
                .chain(headlines)
                .find_map(|h| as_text(h.value.as_deref()?, h.contenttype.as_deref()))
        }
    }
}

fn deck(n: &Ninjs, generation: Generation) -> Option<String> {
    match generation {
        Generation::One => n
            .description_text
            .as_deref()
            .and_then(|d| as_text(d, Some("text/plain")))
            .or_else(|| n.description_html.as_deref().and_then(|d| as_text(d, None))),
        Generation::Two => {
            let descriptions = n.descriptions.as_deref().unwrap_or_default();
            let summary = descriptions.iter().find(|d| has_role(d, "summary"));
            summary
                .into_iter()
                .chain(descriptions.iter().filter(|d| !has_role(d, "alt")))
                .find_map(|d| as_text(d.value.as_deref()?, d.contenttype.as_deref()))
        }
    }
}

fn body(n: &Ninjs, generation: Generation) -> String {
    match generation {
        Generation::One => match (n.body_html.as_deref(), n.body_text.as_deref()) {
            (Some(html), _) if !html.trim().is_empty() => html_to_markdown(html),
            (_, Some(text)) => text_to_markdown(text),
            _ => String::new(),
        },
        Generation::Two => {
            let bodies = n.bodies.as_deref().unwrap_or_default();
            let with_value = || {
                bodies
                    .iter()
                    .filter(|b| b.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
            };
            if let Some(html) = with_value().find(|b| is_html(b.contenttype.as_deref())) {
                html_to_markdown(html.value.as_deref().unwrap_or_default())
            } else if let Some(text) = with_value().next() {
                text_to_markdown(text.value.as_deref().unwrap_or_default())
            } else {
                String::new()
            }
        }
    }
}

fn byline(n: &Ninjs) -> Option<String> {
    n.by.as_deref()
        .or(n.byline.as_deref())
        .and_then(|b| non_empty(collapse_whitespace(b)))
}

fn holder_name(n: &Ninjs) -> Option<String> {
    match n.copyrightholder.as_ref()? {
        Holder::Name(name) => non_empty(name),
        Holder::Named(named) => named.name.as_deref().and_then(non_empty),
    }
}

fn source(n: &Ninjs) -> Option<String> {
    let from_infosources = n
        .infosources
        .iter()
        .flatten()
        .chain(
            n.infosource
                .iter()
                .flat_map(|one_or_many| match one_or_many {
                    OneOrMany::One(one) => std::slice::from_ref(one),
                    OneOrMany::Many(many) => many.as_slice(),
                }),
        )
        .find_map(|s| s.name.as_deref().and_then(non_empty));
    holder_name(n).or(from_infosources)
}

fn lead_image(n: &Ninjs, generation: Generation) -> Option<WireImage> {
    let associated: Vec<&Ninjs> = match n.associations.as_ref()? {
        Associations::Map(map) => map.values().collect(),
        Associations::List(list) => list.iter().collect(),
    };
    associated
        .into_iter()
        .filter(|a| matches!(a.kind.as_deref(), Some("picture" | "graphic")))
        .find_map(|picture| image(picture, generation))
}

fn image(picture: &Ninjs, generation: Generation) -> Option<WireImage> {
    let renditions: Vec<&Rendition> = match picture.renditions.as_ref()? {
        Renditions::Map(map) => map.values().collect(),
        Renditions::List(list) => list.iter().collect(),
    };
    let mut best: Option<(&Rendition, &str)> = None;
    for rendition in renditions {
        let Some(href) = rendition
            .href
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        let mime = rendition
            .mimetype
            .as_deref()
            .or(rendition.contenttype.as_deref());
        if mime.is_some_and(|m| !is_image_mime(m)) {
            continue;
        }
        // Strictly wider only, so that among equals the first listed wins.
        let wider =
            best.is_none_or(|(b, _)| rendition.width.unwrap_or(0.0) > b.width.unwrap_or(0.0));
        if wider {
            best = Some((rendition, href));
        }
    }
    let (rendition, href) = best?;

    let (caption, alt) = match generation {
        Generation::One => (deck(picture, Generation::One), None),
        Generation::Two => {
            let descriptions = picture.descriptions.as_deref().unwrap_or_default();
            let alt = descriptions
                .iter()
                .filter(|d| has_role(d, "alt"))
                .find_map(|d| as_text(d.value.as_deref()?, d.contenttype.as_deref()));
            (deck(picture, Generation::Two), alt)
        }
    };
    Some(WireImage {
        href: href.to_string(),
        caption,
        credit: byline(picture).or_else(|| holder_name(picture)),
        alt: alt.or_else(|| headline(picture, generation)),
        mime: rendition
            .mimetype
            .as_deref()
            .or(rendition.contenttype.as_deref())
            .and_then(non_empty),
    })
}
