//! Turning authors' Markdown into HTML that is safe to put on a page.
//!
//! Bodies are Markdown; raw HTML in them is never trusted: the rendered HTML goes through
//! ammonia's allow-list, which drops scripts, event handlers and unknown tags. Headings are
//! shifted down a level so a body can never add a second `h1` to the page.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .rm_tags(["h1"])
        .link_rel(Some("noopener noreferrer nofollow"));
    builder
});

fn parser(markdown: &str) -> impl Iterator<Item = Event<'_>> {
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
            Event::End(TagEnd::Heading(HeadingLevel::H2))
        }
        other => other,
    })
}

fn to_safe_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string()
}

/// Render a whole body.
pub fn markdown(markdown: &str) -> String {
    to_safe_html(parser(markdown))
}

/// A body rendered in two parts around an inline box that stands after `after` top-level
/// paragraphs. The split is made on the Markdown's structure, not by searching the HTML, so a
/// paragraph inside a quote or a list item does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitBody {
    pub before: String,
    pub after: String,
    /// Whether the body had enough paragraphs to split where asked.
    pub split: bool,
}

pub fn markdown_split(markdown: &str, after: usize) -> SplitBody {
    let mut events: Vec<Event<'_>> = parser(markdown).collect();
    let mut depth = 0usize;
    let mut paragraphs = 0usize;
    let mut cut = None;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && matches!(end, TagEnd::Paragraph) {
                    paragraphs += 1;
                    if paragraphs == after {
                        cut = Some(i + 1);
                    }
                }
            }
            _ => {}
        }
    }
    // A box after the last paragraph is not "between paragraphs".
    match cut.filter(|_| paragraphs > after && after > 0) {
        Some(cut) => {
            let rest = events.split_off(cut);
            SplitBody {
                before: to_safe_html(events.into_iter()),
                after: to_safe_html(rest.into_iter()),
                split: true,
            }
        }
        None => SplitBody {
            before: to_safe_html(events.into_iter()),
            after: String::new(),
            split: false,
        },
    }
}

/// Plain text of a Markdown body, for descriptions and summaries.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cut text at a word boundary to at most `max` characters, adding an ellipsis when cut.
pub fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_dropped() {
        let html = markdown(
            "Hello <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn no_second_h1() {
        let html = markdown("# Title\n\nText");
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<h2>Title</h2>"), "{html}");
    }

    #[test]
    fn splits_after_top_level_paragraphs_only() {
        let body = "One.\n\n> Quoted.\n\nTwo.\n\nThree.";
        let split = markdown_split(body, 2);
        assert!(split.split);
        assert!(split.before.contains("One.") && split.before.contains("Two."));
        assert!(split.before.contains("Quoted."));
        assert_eq!(split.after.trim(), "<p>Three.</p>");
        let no_room = markdown_split("One.\n\nTwo.", 2);
        assert!(!no_room.split);
        assert!(no_room.after.is_empty());
    }

    #[test]
    fn summaries_cut_at_words() {
        assert_eq!(summary("short", 10), "short");
        assert_eq!(summary("the quick brown fox jumps", 12), "the quick…");
        assert_eq!(plain_text("A *b*\n\nC"), "A b C");
    }
}
