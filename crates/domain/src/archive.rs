//! Reading archived article pages from plain-text dumps.
//!
//! Newsrooms moving to Broadsheet often hold their back catalogue only as plain-text dumps of
//! the old article pages. This module turns one dump into an [`ArchivedPage`]; it does no I/O,
//! and the importer decides what to do with the result (time zone, sections, tag ids, links).
//!
//! # The dump format
//!
//! Top to bottom (`␣` is a no-break space, U+00A0):
//!
//! ```text
//!  date 2025-03-14  Headline                    <- the date line: always the first line
//! Site Name                                     <- optional
//! Home > National > Social Affairs              <- breadcrumb, `Home` first, any depth
//! print dictionary print                        <- page furniture, optional
//! Headline                                      <- the headline again
//! Published: 14 March 2025, 09:05               <- optional; `Updated: ...` may follow
//! Caption text. [PHOTO CREDIT]                  <- lead photo caption, repeated (alt +
//! Caption text. [PHOTO CREDIT]                     figcaption); optional
//! ␣                                             <- a line holding only a no-break space
//! First paragraph.                                 starts every body paragraph
//! ␣
//!
//! Related Article                               <- an inline related-article box stood here
//!
//! ␣
//! Last paragraph.
//!
//! Yonhap                                        <- source: a wire name or `BY NAME [email]`
//! tags Korea North Korea Kim Jong-un            <- run-together tags, optional
//! More in North Korea                           <- optional list of headlines
//! ...
//! Related Stories                               <- optional list of headlines
//! ...
//! Log in to Twitter or Facebook account ...     <- comment-box furniture: ignored to the end
//! ```
//!
//! # Rules
//!
//! * Lines may end in LF or CRLF; empty lines are ignored wherever they stand. Every string is
//!   trimmed of white space (U+00A0 included); text is otherwise kept exactly as printed.
//! * The first non-empty line must be the date line (`date YYYY-MM-DD  Headline`). The next is
//!   the site name unless it is already the breadcrumb; the breadcrumb must start with `Home`
//!   and its other parts (split on `>`) become [`ArchivedPage::section_path`].
//! * The header runs from the breadcrumb to the first no-break-space line. In it, a line made
//!   only of lower-case utility words (`print`, `dictionary`, ...) is furniture; the headline
//!   is the line equal to the date line's headline, else the last line before `Published:`,
//!   else the date line's headline. `Published:` and `Updated:` (own lines, or both on one)
//!   read `27 Dec. 2024, 11:22`: day, month (`Jan`, `Jan.`, `January`, `Sept`, `Sept.`, any
//!   case), four-digit year, `H:MM` or `HH:MM` (`:SS` allowed); the comma is optional.
//!   Without `Published:` the page counts as published at 00:00 on the date line's date.
//! * The lines after the dates (or after the headline) are the lead photo caption; the dump
//!   repeats it, so distinct lines are folded into one (the one with a credit, else the
//!   longest). A trailing `[...]` is the credit.
//! * The body starts at the first no-break-space line; every other text line up to the source
//!   line is a paragraph, except `Related Article`, which records
//!   [`ArchivedPage::related_box_after`]. The body ends at the first line that is a staff
//!   byline (`BY ` and upper-case names), a `tags` line, `More in ...`, `Related Stories` or
//!   comment furniture, or at a short wire-like line (at most five words, no closing
//!   punctuation, such as `Yonhap`) that is followed by one of those or by the end. A body
//!   that runs to the end of the input with none of these after it is refused as truncated.
//! * The source line is [`Byline::Wire`] as printed, unless it is a staff byline. Staff
//!   names are split on commas and `AND`, then title-cased word by word (`KIM MIN-JI`
//!   becomes `Kim Min-ji`: nothing after a hyphen is capitalised). A trailing `[...]` holding
//!   an `@` is the email.
//! * `More in` and `Related Stories` collect the headlines that follow them, as printed (the
//!   page's own headline included); everything from the comment furniture (`Log in to ...`)
//!   on is ignored, and the furniture may be absent.
//! * Refused, with the 1-based line of the problem: empty input; a first line that is no date
//!   line, or a date line with a bad date; no breadcrumb; no headline; an unreadable
//!   `Published:`/`Updated:` line; no `Published:` and no date on the date line; no
//!   no-break-space lines at all (or a dump that ends after the breadcrumb); a body without
//!   paragraphs; a dump that ends inside the body. A problem at the end of the input is
//!   reported at the last line.
//!
//! # The tag rule
//!
//! The `tags` line runs all tags together with single spaces (`tags Korea North Korea
//! Vladimir Putin Kim Jong-un`), so [`split_tags`] recovers the multi-word ones: it splits the
//! line into tokens and segments them, by dynamic programming, into the fewest phrases such
//! that every phrase of two or more tokens occurs in the page's own text (headline, caption
//! and body; as whole words, case-sensitively) or is a tag already known to the store
//! (case-insensitively). Among segmentations with equally few phrases it prefers the one whose
//! multi-word phrases occur more often in the page text (then the one with the longest first
//! phrase). Tags are deduplicated case-insensitively, in order. The seed's line and text give
//! `Korea`, `North Korea`, `Vladimir Putin`, `Kim Jong-un`.

use jiff::civil::{Date, DateTime};

/// One article page read from an archive dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPage {
    pub headline: String,
    /// Wall-clock time as printed; the importer reads it in the site's time zone.
    pub published: DateTime,
    pub updated: Option<DateTime>,
    pub site_name: Option<String>,
    /// Section names from the breadcrumb, without "Home": ["National", "North Korea"].
    pub section_path: Vec<String>,
    pub lead_photo: Option<ArchivedPhoto>,
    pub paragraphs: Vec<String>,
    /// The inline "Related Article" box stood after this many paragraphs.
    pub related_box_after: Option<usize>,
    pub byline: Option<Byline>,
    pub tags: Vec<String>,
    pub more_in: Vec<String>,
    pub related: Vec<String>,
}

/// The lead photo's caption, with the credit that closed it in square brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPhoto {
    pub caption: String,
    pub credit: Option<String>,
}

/// Who the story came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Byline {
    /// A wire service, as printed: `Yonhap`.
    Wire(String),
    /// Staff writers, title-cased, and the contact email if one was printed.
    Staff {
        names: Vec<String>,
        email: Option<String>,
    },
}

/// Why a dump was refused; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ArchiveError {
    pub line: usize,
    pub message: String,
}

/// The expected form of `Published:` / `Updated:` lines, quoted in error messages.
const STAMP_FORMAT: &str = "DD Mon. YYYY, HH:MM` (e.g. `27 Dec. 2024, 11:22`)";
/// Words that make up the utility line under the breadcrumb (`print dictionary print`).
const UTILITY_WORDS: &str = "print dictionary share email font size text listen bookmark";
/// Lines that start the comment box at the foot of the page; everything after is ignored.
const FURNITURE: &[&str] = &[
    "Log in to",
    "help-image",
    "lock icon",
    "To write comments",
    "Standards Board Policy",
];
/// The longest run of tokens [`split_tags`] will consider as one tag.
const MAX_PHRASE_TOKENS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line<'a> {
    /// Empty, or only ordinary white space.
    Blank,
    /// Only white space, including a no-break space: the paragraph separator.
    Sep,
    /// Anything else, trimmed.
    Text(&'a str),
}

fn classify(raw: &str) -> Line<'_> {
    let t = raw.trim();
    if !t.is_empty() {
        Line::Text(t)
    } else if raw.contains('\u{a0}') {
        Line::Sep
    } else {
        Line::Blank
    }
}

fn fail(idx: usize, message: impl Into<String>) -> ArchiveError {
    ArchiveError {
        line: idx + 1,
        message: message.into(),
    }
}

/// The first text line at or after `from`, with its index.
fn next_text<'a>(lines: &[Line<'a>], from: usize) -> Option<(usize, &'a str)> {
    lines
        .iter()
        .enumerate()
        .skip(from)
        .find_map(|(i, l)| match l {
            Line::Text(t) => Some((i, *t)),
            _ => None,
        })
}

/// Parse one dump. See the module documentation for the format and the rules.
pub fn parse(text: &str) -> Result<ArchivedPage, ArchiveError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<Line<'_>> = text.lines().map(classify).collect();
    let last = lines.len().saturating_sub(1);

    // 1. The date line.
    let Some((date_idx, first)) = next_text(&lines, 0) else {
        return Err(fail(
            0,
            "the input is empty: expected an archived article dump",
        ));
    };
    let (date, date_headline) = parse_date_line(first)
        .ok_or_else(|| {
            fail(
                date_idx,
                format!(
                    "expected the date line (` date YYYY-MM-DD  Headline`) first, found `{}`",
                    shorten(first)
                ),
            )
        })?
        .map_err(|m| fail(date_idx, m))?;

    // 2-3. Site name and breadcrumb.
    let mut site_name = None;
    let mut crumb = next_text(&lines, date_idx + 1);
    if let Some((i, t)) = crumb
        && !is_breadcrumb(t)
    {
        site_name = Some(t.to_string());
        crumb = next_text(&lines, i + 1);
    }
    let (crumb_idx, section_path) = match crumb {
        Some((i, t)) if is_breadcrumb(t) => (i, breadcrumb_sections(t)),
        Some((i, t)) => {
            return Err(fail(
                i,
                format!(
                    "expected the breadcrumb (a line starting with `Home`, e.g. `Home > National`), found `{}`",
                    shorten(t)
                ),
            ));
        }
        None => {
            return Err(fail(
                last,
                "the dump ends before the breadcrumb (a line starting with `Home`, e.g. `Home > National`)",
            ));
        }
    };

    // 4-7. The header: furniture, headline, dates and caption, up to the first separator.
    let first_sep = (crumb_idx..lines.len()).find(|&i| lines[i] == Line::Sep);
    let header: Vec<(usize, &str)> = (crumb_idx + 1..first_sep.unwrap_or(lines.len()))
        .filter_map(|i| match lines[i] {
            Line::Text(t) => Some((i, t)),
            _ => None,
        })
        .collect();
    let mut published = None;
    let mut updated = None;
    let mut stamp_rows = Vec::new();
    for (row, &(i, t)) in header.iter().enumerate() {
        if let Some(rest) = strip_prefix_ci(t, "Published:") {
            let (p, u) = match find_ci(rest, "Updated:") {
                Some(at) => (&rest[..at], Some(&rest[at + "Updated:".len()..])),
                None => (rest, None),
            };
            published = published.or(Some(parse_stamp("Published", p).map_err(|m| fail(i, m))?));
            if let Some(u) = u {
                updated = updated.or(Some(parse_stamp("Updated", u).map_err(|m| fail(i, m))?));
            }
            stamp_rows.push(row);
        } else if let Some(rest) = strip_prefix_ci(t, "Updated:") {
            updated = updated.or(Some(parse_stamp("Updated", rest).map_err(|m| fail(i, m))?));
            stamp_rows.push(row);
        }
    }
    let pre = &header[..stamp_rows.first().copied().unwrap_or(header.len())];
    let matched = pre
        .iter()
        .position(|&(_, t)| !date_headline.is_empty() && t == date_headline);
    let headline_row = match (matched, stamp_rows.is_empty()) {
        (Some(row), _) => Some(row),
        (None, false) => pre.iter().rposition(is_content),
        (None, true) if date_headline.is_empty() => pre.iter().position(is_content),
        (None, true) => None,
    };
    let headline = match headline_row {
        Some(row) => pre[row].1.to_string(),
        None if !date_headline.is_empty() => date_headline.to_string(),
        None => {
            let at = stamp_rows
                .first()
                .map_or((crumb_idx + 1).min(last), |&r| header[r].0);
            return Err(fail(
                at,
                "no headline: the date line carries none and none follows the breadcrumb",
            ));
        }
    };
    let caption_from = match (stamp_rows.last(), headline_row) {
        (Some(&r), _) => r + 1,
        (None, Some(r)) => r + 1,
        (None, None) => 0,
    };
    let caption_lines: Vec<&str> = header[caption_from..]
        .iter()
        .filter(|l| is_content(l))
        .map(|&(_, t)| t)
        .collect();
    let lead_photo = pick_caption(&caption_lines).map(split_credit);

    let Some(sep_idx) = first_sep else {
        return Err(match header.last() {
            None => fail(
                last,
                "the dump ends right after the breadcrumb: no headline, date or body follows (truncated?)",
            ),
            Some(_) => {
                let after = stamp_rows
                    .last()
                    .map(|&r| header[r].0)
                    .or(headline_row.map(|r| pre[r].0))
                    .unwrap_or(crumb_idx);
                fail(
                    (after + 1).min(last),
                    "no paragraph separators: expected lines holding a single no-break space \
                     (U+00A0) before each body paragraph (is the dump truncated, or were the \
                     no-break spaces stripped?)",
                )
            }
        });
    };
    let published = match (published, date) {
        (Some(p), _) => p,
        (None, Some(d)) => d.to_datetime(jiff::civil::Time::midnight()),
        (None, None) => {
            return Err(fail(
                date_idx,
                "no `Published:` line, and the date line carries no date to fall back on",
            ));
        }
    };

    // 8. The body.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut related_box_after = None;
    let mut tail_start = lines.len();
    for i in sep_idx..lines.len() {
        let Line::Text(t) = lines[i] else { continue };
        if is_related_marker(t) {
            related_box_after.get_or_insert(paragraphs.len());
        } else if is_tail_marker(t)
            || (!paragraphs.is_empty()
                && is_wire_like(t)
                && next_text(&lines, i + 1).is_none_or(|(_, n)| is_tail_marker(n)))
        {
            tail_start = i;
            break;
        } else {
            paragraphs.push(t.to_string());
        }
    }
    if paragraphs.is_empty() {
        return Err(fail(
            sep_idx,
            "the body has no paragraphs: expected text after the no-break-space separator lines",
        ));
    }
    if tail_start == lines.len() {
        return Err(fail(
            last,
            "the dump ends inside the body: no source line, tags, More in / Related Stories \
             list or page furniture follows the last paragraph (is the dump truncated?)",
        ));
    }

    // 9-12. Source, tags, More in, Related Stories; furniture ends it all.
    let page_text = std::iter::once(headline.as_str())
        .chain(caption_lines.iter().copied())
        .chain(paragraphs.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n");
    let mut tail = Tail::default();
    tail.read(&lines[tail_start..], &page_text);

    Ok(ArchivedPage {
        headline,
        published,
        updated,
        site_name,
        section_path,
        lead_photo,
        paragraphs,
        related_box_after,
        byline: tail.byline,
        tags: tail.tags,
        more_in: tail.more_in,
        related: tail.related,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TailState {
    Source,
    AfterSource,
    MoreIn,
    Related,
}

#[derive(Default)]
struct Tail {
    byline: Option<Byline>,
    tags: Vec<String>,
    more_in: Vec<String>,
    related: Vec<String>,
}

impl Tail {
    fn read(&mut self, lines: &[Line<'_>], page_text: &str) {
        let mut state = TailState::Source;
        for line in lines {
            let Line::Text(t) = *line else { continue };
            if is_furniture(t) {
                break;
            }
            let listing = matches!(state, TailState::MoreIn | TailState::Related);
            if !listing && is_tags_line(t) {
                self.tags = split_tags(t["tags".len()..].trim(), page_text, &[]);
                state = TailState::AfterSource;
            } else if !listing && is_more_in(t) {
                state = TailState::MoreIn;
            } else if state != TailState::Related && t.eq_ignore_ascii_case("Related Stories") {
                state = TailState::Related;
            } else {
                match state {
                    TailState::Source => {
                        self.byline = Some(parse_byline(t));
                        state = TailState::AfterSource;
                    }
                    TailState::AfterSource => {}
                    TailState::MoreIn => self.more_in.push(t.to_string()),
                    TailState::Related => self.related.push(t.to_string()),
                }
            }
        }
    }
}

/// `Some(Ok((date, headline)))` for a date line, `Some(Err(_))` for one whose date is bad,
/// `None` for a line that is no date line at all.
#[allow(clippy::type_complexity)]
fn parse_date_line(t: &str) -> Option<Result<(Option<Date>, &str), String>> {
    let rest = strip_prefix_ci(t, "date")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let (token, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !token.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(Ok((None, rest)));
    }
    Some(match parse_iso_date(token) {
        Some(d) => Ok((Some(d), after.trim())),
        None => Err(format!(
            "the date line's date `{}` is not a valid YYYY-MM-DD date",
            shorten(token)
        )),
    })
}

/// `p` as a number if it is all ASCII digits and its length is in `lens`.
fn number<T: std::str::FromStr>(p: &str, lens: std::ops::RangeInclusive<usize>) -> Option<T> {
    let ok = lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if ok { p.parse().ok() } else { None }
}

fn parse_iso_date(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?).ok()
}

/// Read `27 Dec. 2024, 11:22` (seconds allowed: `11:22:05`) after `label:`.
fn parse_stamp(label: &str, s: &str) -> Result<DateTime, String> {
    let bad = || {
        format!(
            "could not read the `{label}:` date `{}`: expected `{label}: {STAMP_FORMAT}",
            shorten(s.trim())
        )
    };
    let cleaned = s.replace(',', " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    let [day, month, year, time] = tokens.as_slice() else {
        return Err(bad());
    };
    let mut hms = time.split(':');
    let parsed = (|| {
        let d = number(day, 1..=2)?;
        let m = month_number(month)?;
        let y = number(year, 4..=4)?;
        let h = number(hms.next()?, 1..=2)?;
        let mi = number(hms.next()?, 2..=2)?;
        let sec = match hms.next() {
            Some(p) => number(p, 2..=2)?,
            None => 0,
        };
        if hms.next().is_some() {
            return None;
        }
        DateTime::new(y, m, d, h, mi, sec, 0).ok()
    })();
    parsed.ok_or_else(bad)
}

fn month_number(token: &str) -> Option<i8> {
    let t = token
        .strip_suffix('.')
        .unwrap_or(token)
        .to_ascii_lowercase();
    const NAMES: &str = "january february march april may june july august september october \
                         november december";
    let at = NAMES
        .split_whitespace()
        .position(|n| t == n || (t.len() == 3 && n.starts_with(t.as_str())))
        .or((t == "sept").then_some(8))?;
    i8::try_from(at + 1).ok()
}

fn is_breadcrumb(t: &str) -> bool {
    let first = t.split(['>', '›', '»']).next().unwrap_or("").trim();
    first.eq_ignore_ascii_case("Home")
}

fn breadcrumb_sections(t: &str) -> Vec<String> {
    t.split(['>', '›', '»'])
        .skip(1)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A header line that is neither empty nor the utility line.
fn is_content(line: &(usize, &str)) -> bool {
    !is_utility(line.1)
}

fn is_utility(t: &str) -> bool {
    t.split_whitespace()
        .all(|w| UTILITY_WORDS.split(' ').any(|u| u == w))
}

fn is_related_marker(t: &str) -> bool {
    t.eq_ignore_ascii_case("Related Article") || t.eq_ignore_ascii_case("Related Articles")
}

fn is_tags_line(t: &str) -> bool {
    t == "tags" || t.starts_with("tags ")
}

fn is_more_in(t: &str) -> bool {
    t.starts_with("More in ") && t.split_whitespace().count() <= 8 && !ends_sentence(t)
}

fn is_furniture(t: &str) -> bool {
    FURNITURE.iter().any(|f| t.starts_with(f))
}

/// `BY ` followed by names in capitals (and maybe an `[email]`).
fn is_staff_byline(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("BY ") else {
        return false;
    };
    let words = rest.split('[').next().unwrap_or("").split_whitespace();
    let names: Vec<&str> = words.filter(|w| *w != "and").collect();
    names.iter().any(|w| w.chars().any(char::is_alphabetic))
        && !names.iter().any(|w| w.chars().any(char::is_lowercase))
}

fn is_tail_marker(t: &str) -> bool {
    is_tags_line(t)
        || is_more_in(t)
        || t.eq_ignore_ascii_case("Related Stories")
        || is_furniture(t)
        || is_staff_byline(t)
}

/// A short line such as `Yonhap` or `Reuters, AP`: a wire credit rather than a paragraph.
fn is_wire_like(t: &str) -> bool {
    t.split_whitespace().count() <= 5 && t.chars().count() <= 40 && !ends_sentence(t)
}

fn ends_sentence(t: &str) -> bool {
    t.ends_with(['.', '!', '?', ':', '"', '\u{201d}', '\u{2019}'])
}

fn parse_byline(t: &str) -> Byline {
    if !is_staff_byline(t) {
        return Byline::Wire(t.to_string());
    }
    let rest = t["BY ".len()..].trim();
    let (names_part, bracket) = match (rest.rfind('['), rest.ends_with(']')) {
        (Some(open), true) => (&rest[..open], Some(rest[open + 1..rest.len() - 1].trim())),
        _ => (rest, None),
    };
    let email = bracket.filter(|b| b.contains('@')).map(str::to_string);
    let mut names = Vec::new();
    for part in names_part.split(',') {
        let mut current: Vec<&str> = Vec::new();
        for word in part.split_whitespace().chain(std::iter::once("&")) {
            if word.eq_ignore_ascii_case("and") || word == "&" {
                if !current.is_empty() {
                    names.push(title_case(&current));
                    current.clear();
                }
            } else {
                current.push(word);
            }
        }
    }
    Byline::Staff { names, email }
}

/// `["KIM", "MIN-JI"]` -> `Kim Min-ji`: the first letter of each word, nothing after a hyphen.
fn title_case(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fold the repeated caption lines into one: the one with a credit, else the longest.
fn pick_caption<'a>(lines: &[&'a str]) -> Option<&'a str> {
    lines
        .iter()
        .copied()
        .max_by_key(|l| (split_credit(l).credit.is_some(), l.chars().count()))
}

fn split_credit(caption: &str) -> ArchivedPhoto {
    if let Some(body) = caption.strip_suffix(']')
        && let Some(open) = body.rfind('[')
    {
        let credit = body[open + 1..].trim();
        if !credit.is_empty() {
            return ArchivedPhoto {
                caption: body[..open].trim().to_string(),
                credit: Some(credit.to_string()),
            };
        }
    }
    ArchivedPhoto {
        caption: caption.trim().to_string(),
        credit: None,
    }
}

fn strip_prefix_ci<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &t[prefix.len()..])
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| strip_prefix_ci(&haystack[i..], needle).is_some())
}

/// A line quoted in an error message, cut to a readable length.
fn shorten(t: &str) -> String {
    const MAX: usize = 60;
    if t.chars().count() <= MAX {
        t.to_string()
    } else {
        format!("{}...", t.chars().take(MAX).collect::<String>())
    }
}

/// Split a run-together tag line into tags, using the page's own text (headline, caption, body) to find multi-word names; `known` are tags that already exist in the store (also accepted as multi-word phrases).
///
/// See the module documentation for the rule.
pub fn split_tags(run: &str, page_text: &str, known: &[&str]) -> Vec<String> {
    let tokens: Vec<&str> = run.split_whitespace().collect();
    let text = page_text.split_whitespace().collect::<Vec<_>>().join(" ");
    let known: Vec<String> = known
        .iter()
        .map(|k| {
            k.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect();
    let n = tokens.len();
    // best[i] = (phrases, page occurrences of multi-word phrases, end of first phrase) for
    // tokens[i..]. Longer first phrases are tried first and only a strictly better candidate
    // replaces the current choice, so exact ties go to the longest first phrase.
    let mut best = vec![(0usize, 0usize, n); n + 1];
    for i in (0..n).rev() {
        let mut choice: Option<(usize, usize, usize)> = None;
        for j in (i + 1..=n.min(i + MAX_PHRASE_TOKENS)).rev() {
            let occurrences = if j - i == 1 {
                0
            } else {
                let phrase = tokens[i..j].join(" ");
                let c = count_whole_words(&text, &phrase);
                if c == 0 && !known.contains(&phrase.to_lowercase()) {
                    continue;
                }
                c
            };
            let (phrases, score, _) = best[j];
            let candidate = (phrases + 1, score + occurrences, j);
            if choice
                .is_none_or(|(p, s, _)| candidate.0 < p || (candidate.0 == p && candidate.1 > s))
            {
                choice = Some(candidate);
            }
        }
        // A single token is always a phrase, so there is always a choice.
        best[i] = choice.unwrap_or((best[i + 1].0 + 1, best[i + 1].1, i + 1));
    }
    let mut tags: Vec<String> = Vec::new();
    let mut i = 0;
    while i < n {
        let j = best[i].2;
        let tag = tokens[i..j].join(" ");
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag);
        }
        i = j;
    }
    tags
}

/// Occurrences of `phrase` in `text` not glued to a letter or digit on either side.
fn count_whole_words(text: &str, phrase: &str) -> usize {
    text.match_indices(phrase)
        .filter(|&(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + phrase.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const NB: &str = "\u{a0}";

    /// A complete fictional page in the dump format (see the line numbers in the error tests).
    fn base() -> Vec<&'static str> {
        vec![
            " date 2025-06-03  Tidal barrage opens off Incheon after decade of delays", // 1
            "Harbour Ledger Daily",                                                     // 2
            "",                                                                         // 3
            "Home > Business > Energy",                                                 // 4
            "",                                                                         // 5
            "print dictionary print",                                                   // 6
            "",                                                                         // 7
            "Tidal barrage opens off Incheon after decade of delays",                   // 8
            "",                                                                         // 9
            "Published: 3 June 2025, 07:45",                                            // 10
            "Engineers walk through a turbine hall at the barrage on Monday. [SONG YU-NA]", // 11
            "",                                                                         // 12
            "Engineers walk through a turbine hall at the barrage on Monday. [SONG YU-NA]", // 13
            "",                                                                         // 14
            "\u{a0}",                                                                   // 15
            "A tidal barrage off Incheon began feeding the grid on Tuesday, ten years after work on it stalled.",
            "\u{a0}", // 17
            "Song Yu-na, who runs the project for West Sea Power, said the turbines would run at half capacity.",
            "\u{a0}",          // 19
            "",                // 20
            "Related Article", // 21
            "",                // 22
            "\u{a0}",          // 23
            "Fishing cooperatives said they would watch the mudflats near the barrage closely.",
            "",                                                    // 25
            "Yonhap",                                              // 26
            "tags Incheon West Sea Power tidal energy Song Yu-na", // 27
            "",
            "More in Energy",
            "",
            "Tidal barrage opens off Incheon after decade of delays",
            "",
            "Offshore wind auction draws record bids",
            "",
            "Related Stories",
            "",
            "Mudflat survey finds rare crabs near planned barrage",
            "",
            "Solar panels on dams: a quiet boom — in pictures",
            "Log in to Twitter or Facebook account to connect",
            "with the Harbour Ledger Daily",
            "help-image Social comment?",
            "s",
            "lock icon",
            "",
            "To write comments, please log in to one of the accounts.",
            "",
            "Standards Board Policy (0/250\u{c790})",
        ]
    }

    fn join(lines: &[&str]) -> String {
        lines.join("\n")
    }

    fn page(lines: &[&str]) -> ArchivedPage {
        parse(&join(lines)).unwrap_or_else(|e| panic!("should parse: {e}"))
    }

    fn error(lines: &[&str]) -> ArchiveError {
        parse(&join(lines)).expect_err("should be refused")
    }

    fn replace(lines: &mut [&'static str], old: &str, new: &'static str) {
        let at = lines
            .iter()
            .position(|l| *l == old)
            .expect("line to replace");
        lines[at] = new;
    }

    #[test]
    fn full_page_parses_into_every_field() {
        let p = page(&base());
        let headline = "Tidal barrage opens off Incheon after decade of delays";
        assert_eq!(p.headline, headline);
        assert_eq!(p.published, date(2025, 6, 3).at(7, 45, 0, 0));
        assert_eq!(p.updated, None);
        assert_eq!(p.site_name.as_deref(), Some("Harbour Ledger Daily"));
        assert_eq!(p.section_path, ["Business", "Energy"]);
        assert_eq!(
            p.lead_photo,
            Some(ArchivedPhoto {
                caption: "Engineers walk through a turbine hall at the barrage on Monday.".into(),
                credit: Some("SONG YU-NA".into()),
            })
        );
        assert_eq!(p.paragraphs.len(), 3);
        assert!(p.paragraphs[0].starts_with("A tidal barrage off Incheon"));
        assert!(p.paragraphs[2].ends_with("near the barrage closely."));
        assert_eq!(p.related_box_after, Some(2));
        assert_eq!(p.byline, Some(Byline::Wire("Yonhap".into())));
        assert_eq!(
            p.tags,
            ["Incheon", "West Sea Power", "tidal", "energy", "Song Yu-na"]
        );
        assert_eq!(
            p.more_in,
            [headline, "Offshore wind auction draws record bids"]
        );
        assert_eq!(
            p.related,
            [
                "Mudflat survey finds rare crabs near planned barrage",
                "Solar panels on dams: a quiet boom — in pictures",
            ]
        );
    }

    #[test]
    fn tag_rule_finds_multi_word_names_in_the_page_text() {
        let text = "Lee Ha-eun, the new head of the Port Authority, toured the docks in Busan \
                    on Monday.\nShe said South Korea needs more night shifts at its ports.";
        let run = "Busan South Korea Lee Ha-eun Port Authority";
        assert_eq!(
            split_tags(run, text, &[]),
            ["Busan", "South Korea", "Lee Ha-eun", "Port Authority"]
        );
        // Without the page text every token stands alone.
        assert_eq!(split_tags(run, "", &[]).len(), 7);
        // Known tags are accepted case-insensitively; the run's spelling is kept.
        assert_eq!(
            split_tags("Ocean Policy Busan", "", &["ocean policy"]),
            ["Ocean Policy", "Busan"]
        );
        // Whole words, case-sensitive.
        assert_eq!(
            split_tags("North Korea", "North Koreans said north korea", &[]),
            ["North", "Korea"]
        );
        // Fewest phrases first; on a tie, the phrases that occur more often win.
        let often_left = "Jeju Island. Jeju Island. Island Ferry.";
        assert_eq!(
            split_tags("Jeju Island Ferry", often_left, &[]),
            ["Jeju Island", "Ferry"]
        );
        let often_right = "Jeju Island. Island Ferry. Island Ferry.";
        assert_eq!(
            split_tags("Jeju Island Ferry", often_right, &[]),
            ["Jeju", "Island Ferry"]
        );
        // Deduplicated, first spelling and order kept; extra spaces are harmless.
        assert_eq!(
            split_tags(" Seoul  Busan seoul ", "", &[]),
            ["Seoul", "Busan"]
        );
        assert!(split_tags("", "anything", &[]).is_empty());
    }

    #[test]
    fn page_without_photo() {
        let mut lines = base();
        lines.drain(10..14);
        let p = page(&lines);
        assert_eq!(p.lead_photo, None);
        assert_eq!(p.paragraphs.len(), 3);
        assert_eq!(p.published, date(2025, 6, 3).at(7, 45, 0, 0));
    }

    #[test]
    fn caption_without_credit_or_repeat() {
        let mut lines = base();
        lines.drain(11..14);
        lines[10] = "A turbine hall at the barrage.";
        let photo = page(&lines).lead_photo.expect("photo");
        assert_eq!(photo.caption, "A turbine hall at the barrage.");
        assert_eq!(photo.credit, None);
    }

    #[test]
    fn page_without_tags_line() {
        let mut lines = base();
        lines.retain(|l| !l.starts_with("tags "));
        let p = page(&lines);
        assert!(p.tags.is_empty());
        assert_eq!(p.byline, Some(Byline::Wire("Yonhap".into())));
        assert_eq!(p.more_in.len(), 2);
    }

    #[test]
    fn staff_bylines() {
        let cases: [(&'static str, &[&str], Option<&str>); 4] = [
            (
                "BY KIM MIN-JI, PARK JOON-HO [kim.minji@example.com]",
                &["Kim Min-ji", "Park Joon-ho"],
                Some("kim.minji@example.com"),
            ),
            ("BY LEE SOO-JIN", &["Lee Soo-jin"], None),
            (
                "BY SONG MIN-HO AND CHA EUN-BI [song.minho@example.com]",
                &["Song Min-ho", "Cha Eun-bi"],
                Some("song.minho@example.com"),
            ),
            (
                "BY OH DA-IN, YOON SE-RI and JANG WOO [OPINION DESK]",
                &["Oh Da-in", "Yoon Se-ri", "Jang Woo"],
                None,
            ),
        ];
        for (line, names, email) in cases {
            let mut lines = base();
            replace(&mut lines, "Yonhap", line);
            let p = page(&lines);
            assert_eq!(
                p.byline,
                Some(Byline::Staff {
                    names: names.iter().map(|n| n.to_string()).collect(),
                    email: email.map(str::to_string),
                }),
                "{line}"
            );
            assert_eq!(p.paragraphs.len(), 3, "{line}");
            assert_eq!(p.tags.len(), 5, "{line}");
        }
    }

    #[test]
    fn crlf_input_reads_like_lf() {
        let lines = base();
        assert_eq!(parse(&lines.join("\r\n")), Ok(page(&lines)));
        assert_eq!(
            parse(&format!("{}\r\n", lines.join("\r\n"))),
            Ok(page(&lines))
        );
    }

    #[test]
    fn updated_line() {
        let mut lines = base();
        lines.insert(10, "Updated: 4 June 2025, 18:02");
        let p = page(&lines);
        assert_eq!(p.published, date(2025, 6, 3).at(7, 45, 0, 0));
        assert_eq!(p.updated, Some(date(2025, 6, 4).at(18, 2, 0, 0)));
        assert!(p.lead_photo.is_some());
        // Both on one line, as some dumps print them.
        let mut lines = base();
        lines[9] = "Published: 3 June 2025, 07:45 Updated: 4 June 2025, 18:02";
        assert_eq!(page(&lines).updated, Some(date(2025, 6, 4).at(18, 2, 0, 0)));
    }

    #[test]
    fn month_spellings() {
        let ok = [
            ("27 Dec. 2024, 11:22", date(2024, 12, 27).at(11, 22, 0, 0)),
            ("1 Sept. 2024, 09:05", date(2024, 9, 1).at(9, 5, 0, 0)),
            ("1 Sept 2024, 09:05", date(2024, 9, 1).at(9, 5, 0, 0)),
            ("1 Sep 2024, 9:05", date(2024, 9, 1).at(9, 5, 0, 0)),
            ("04 March 2025, 23:59", date(2025, 3, 4).at(23, 59, 0, 0)),
            ("4 Mar. 2025 23:59:30", date(2025, 3, 4).at(23, 59, 30, 0)),
            ("9 january 2025, 00:00", date(2025, 1, 9).at(0, 0, 0, 0)),
        ];
        for (s, want) in ok {
            assert_eq!(parse_stamp("Published", s), Ok(want), "{s}");
        }
        for s in [
            "30 Feb. 2025, 10:00",
            "3 Jnu. 2025, 10:00",
            "3 June 2025",
            "3 June 25, 10:00",
            "3 June 2025, 24:00",
            "2025-06-03 10:00",
        ] {
            assert!(parse_stamp("Published", s).is_err(), "{s}");
        }
    }

    #[test]
    fn published_falls_back_to_the_date_line() {
        let mut lines = base();
        lines.retain(|l| !l.starts_with("Published:"));
        let p = page(&lines);
        assert_eq!(p.published, date(2025, 6, 3).at(0, 0, 0, 0));
        assert_eq!(
            p.headline,
            "Tidal barrage opens off Incheon after decade of delays"
        );
        assert!(p.lead_photo.is_some());
    }

    #[test]
    fn lenient_where_dumps_vary() {
        let want = page(&base());
        // Extra empty lines everywhere.
        assert_eq!(parse(&base().join("\n\n\n")), Ok(want.clone()));
        // A byte-order mark, trailing white space and no-break spaces around text.
        let padded = format!(
            "\u{feff}{}",
            join(&base()).replace("Yonhap", "Yonhap \u{a0}")
        );
        assert_eq!(parse(&padded), Ok(want.clone()));
        // No furniture at the foot of the page.
        let mut lines = base();
        let foot = lines
            .iter()
            .position(|l| l.starts_with("Log in to"))
            .expect("foot");
        lines.truncate(foot);
        assert_eq!(page(&lines), want);
        // No site name.
        let mut lines = base();
        lines.remove(1);
        assert_eq!(page(&lines).site_name, None);
        // No More in / Related Stories lists.
        let mut lines = base();
        lines.truncate(27);
        lines.push("Log in to Twitter or Facebook account to connect");
        let p = page(&lines);
        assert!(p.more_in.is_empty() && p.related.is_empty());
        assert_eq!(p.tags.len(), 5);
        // Related Stories without More in.
        let mut lines = base();
        lines.drain(27..34);
        let p = page(&lines);
        assert!(p.more_in.is_empty());
        assert_eq!(p.related.len(), 2);
        // No source line: the body ends at the tags line.
        let mut lines = base();
        lines.retain(|l| *l != "Yonhap");
        let p = page(&lines);
        assert_eq!((p.byline, p.paragraphs.len()), (None, 3));
        // A short last paragraph is not mistaken for a wire credit.
        let mut lines = base();
        lines.insert(25, "No one was hurt");
        let p = page(&lines);
        assert_eq!(
            p.paragraphs.last().map(String::as_str),
            Some("No one was hurt")
        );
        assert_eq!(p.byline, Some(Byline::Wire("Yonhap".into())));
        // Deeper breadcrumbs.
        let mut lines = base();
        lines[3] = "Home > National > Social Affairs > Education";
        assert_eq!(
            page(&lines).section_path,
            ["National", "Social Affairs", "Education"]
        );
        // The dump may end right after the source line.
        let p = page(&base()[..26]);
        assert_eq!(p.byline, Some(Byline::Wire("Yonhap".into())));
        assert!(p.tags.is_empty());
    }

    #[test]
    fn refuses_empty_input() {
        for text in ["", "\n\n", " \r\n\u{a0}\n"] {
            let e = parse(text).expect_err("empty");
            assert_eq!(e.line, 1);
            assert!(e.message.contains("empty"), "{e}");
        }
    }

    #[test]
    fn refuses_a_first_line_that_is_no_date_line() {
        let e = parse("Minutes of the editorial meeting\nHome > National\n").expect_err("x");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("date line"), "{e}");
        let e = parse("\n\ndated material follows\n").expect_err("x");
        assert_eq!(e.line, 3);
        let mut lines = base();
        lines[0] = " date 2025-13-40  Tidal barrage opens off Incheon after decade of delays";
        let e = error(&lines);
        assert_eq!(e.line, 1);
        assert!(e.message.contains("2025-13-40"), "{e}");
    }

    #[test]
    fn refuses_a_missing_breadcrumb() {
        let mut lines = base();
        lines[3] = "National > Energy";
        let e = error(&lines);
        assert_eq!(e.line, 4);
        assert!(e.message.contains("breadcrumb"), "{e}");
        let e = error(&base()[..2]);
        assert_eq!(e.line, 2);
        assert!(e.message.contains("breadcrumb"), "{e}");
    }

    #[test]
    fn refuses_a_dump_truncated_after_the_breadcrumb() {
        let e = error(&base()[..4]);
        assert_eq!(e.line, 4);
        assert!(e.message.contains("truncated"), "{e}");
    }

    #[test]
    fn refuses_a_page_without_headline() {
        let mut lines = base();
        lines[0] = " date 2025-06-03";
        lines.remove(7);
        let e = error(&lines);
        assert_eq!(e.line, 9);
        assert!(e.message.contains("no headline"), "{e}");
    }

    #[test]
    fn refuses_unreadable_published_and_updated_lines() {
        let mut lines = base();
        lines[9] = "Published: yesterday afternoon";
        let e = error(&lines);
        assert_eq!(e.line, 10);
        assert!(
            e.message
                .contains("expected `Published: DD Mon. YYYY, HH:MM`"),
            "{e}"
        );
        let mut lines = base();
        lines.insert(10, "Updated: 31 June 2025, 10:00");
        let e = error(&lines);
        assert_eq!(e.line, 11);
        assert!(e.message.contains("`Updated:`"), "{e}");
    }

    #[test]
    fn refuses_a_body_without_paragraphs() {
        let mut lines = base()[..15].to_vec();
        lines.extend(["", "Related Article", "", NB, "", "tags Incheon"]);
        let e = error(&lines);
        assert_eq!(e.line, 15);
        assert!(e.message.contains("no paragraphs"), "{e}");
    }

    #[test]
    fn refuses_a_dump_without_no_break_space_lines() {
        let lines: Vec<&str> = base()
            .into_iter()
            .map(|l| if l == NB { "" } else { l })
            .collect();
        let e = error(&lines);
        assert_eq!(e.line, 11);
        assert!(e.message.contains("no-break space"), "{e}");
    }

    #[test]
    fn refuses_a_dump_truncated_inside_the_body() {
        let e = error(&base()[..18]);
        assert_eq!(e.line, 18);
        assert!(e.message.contains("truncated"), "{e}");
    }

    #[test]
    fn refuses_a_page_with_neither_published_nor_date() {
        let mut lines = base();
        lines[0] = " date   Tidal barrage opens off Incheon after decade of delays";
        lines.remove(9);
        let e = error(&lines);
        assert_eq!(e.line, 1);
        assert!(e.message.contains("Published"), "{e}");
    }

    #[test]
    fn title_cases_staff_names() {
        assert_eq!(title_case(&["KIM", "MIN-JI"]), "Kim Min-ji");
        assert_eq!(title_case(&["NAM", "GUNG-MIN", "SU"]), "Nam Gung-min Su");
        assert_eq!(title_case(&["ÉLODIE"]), "Élodie");
    }

    /// The real dump in shared/, when present: structure only, no sentences.
    #[test]
    fn seed_dump() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/seed/000_5314007c50c13ef9.txt"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is absent");
            return;
        };
        let p = parse(&text).unwrap_or_else(|e| panic!("seed should parse: {e}"));
        assert!(p.headline.starts_with("Putin sends"));
        assert_eq!(p.published, date(2024, 12, 27).at(11, 22, 0, 0));
        assert_eq!(p.updated, None);
        assert!(p.site_name.is_some());
        assert_eq!(p.section_path, ["National", "North Korea"]);
        let photo = p.lead_photo.expect("lead photo");
        assert_eq!(photo.credit.as_deref(), Some("KOREAN CENTRAL NEWS AGENCY"));
        assert!(!photo.caption.is_empty() && !photo.caption.contains('['));
        assert_eq!(p.paragraphs.len(), 7);
        assert_eq!(p.related_box_after, Some(2));
        assert_eq!(p.byline, Some(Byline::Wire("Yonhap".into())));
        assert_eq!(
            p.tags,
            ["Korea", "North Korea", "Vladimir Putin", "Kim Jong-un"]
        );
        assert_eq!(p.more_in.len(), 5);
        assert_eq!(p.more_in[0], p.headline);
        assert_eq!(p.related.len(), 5);
        assert!(p.related[4].ends_with("in pictures"));
        assert!(p.related.iter().all(|h| !h.starts_with("Log in")));
    }

    /// The importer's fixtures in tests/fixtures/archive, when present.
    #[test]
    fn fixture_dumps() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/archive");
        let read = |name: &str| std::fs::read_to_string(format!("{root}/{name}"));
        let good = [
            "good/01_greenhouse_district.txt",
            "good/02_lantern_rally.txt",
            "good/03_busan_cargo.txt",
            "good/04_reading_fridays.txt",
        ];
        let Ok(first) = read(good[0]) else {
            eprintln!("skipped: {root} is absent");
            return;
        };
        let mut pages = vec![parse(&first).expect("01 parses")];
        for name in &good[1..] {
            let text = read(name).expect("fixture");
            pages.push(parse(&text).unwrap_or_else(|e| panic!("{name}: {e}")));
        }
        let sections: Vec<Vec<String>> = pages.iter().map(|p| p.section_path.clone()).collect();
        assert_eq!(sections[0], ["National", "North Korea"]);
        assert_eq!(sections[1], ["National", "North Korea"]);
        assert_eq!(sections[2], ["Business", "Economy"]);
        assert_eq!(sections[3], ["National", "Social Affairs", "Education"]);
        assert!(matches!(
            &pages[1].byline,
            Some(Byline::Staff { email: Some(_), .. })
        ));
        assert!(pages[1].updated.is_some());
        assert!(pages[2].lead_photo.is_none());
        assert!(pages[3].tags.is_empty());
        for (i, p) in pages.iter().enumerate() {
            assert!(p.paragraphs.len() >= 4, "{}", good[i]);
            let links_to_others = p
                .more_in
                .iter()
                .chain(&p.related)
                .filter(|h| {
                    pages
                        .iter()
                        .any(|o| o.headline == **h && o.headline != p.headline)
                })
                .count();
            // 03 has no Related Stories and only economy stories under More in.
            assert_eq!(
                links_to_others > 0,
                i != 2,
                "{}: {links_to_others} links",
                good[i]
            );
        }
        for (name, line) in [
            ("bad/truncated_after_breadcrumb.txt", 4),
            ("bad/garbled_published.txt", 10),
            ("bad/not_a_dump.txt", 1),
        ] {
            let text = read(name).expect("fixture");
            let e = parse(&text).expect_err(name);
            assert_eq!(e.line, line, "{name}: {e}");
        }
    }
}
