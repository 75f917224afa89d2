//! Wire body HTML to the Markdown our stories are written in.
//!
//! Agencies send bodies as HTML of any quality; the newsroom edits Markdown, and the reader
//! site renders (and sanitises) that Markdown. So the conversion keeps only the structure an
//! editor works with and makes sure nothing in the agency's text can become markup:
//!
//! * Kept: `p`, `br` (a hard break, `\` at the end of the line), `h2`–`h4` (`##`–`####`),
//!   `strong`/`b` (`**`), `em`/`i` (`*`), `a href` (`[text](url)`), `ul`/`ol`/`li` (`-` and
//!   `1.` items, nested lists indented under their item) and `blockquote` (`>`).
//! * A link keeps its target only when the scheme is `http`, `https` or `mailto`; any other
//!   (`javascript:`, `data:`, a relative URL that has no base here) leaves just the text.
//! * `script`, `style`, `noscript`, `template`, `iframe`, `object`, `embed`, `svg` and `math`
//!   are dropped with everything in them, and so are images, video and audio (media is
//!   ingested from the item's pictures, not from the body). Every other element is reduced to its text; elements that
//!   are blocks in HTML (`div`, `h1`, `table` rows, `figure`, ...) still end a paragraph so
//!   their text does not run into the next.
//! * White space is collapsed as a browser would show it; entities are decoded by the HTML
//!   parser.
//! * In text, the characters that could start Markdown (`\` `` ` `` `*` `_` `[` `]` `<` `>`
//!   `|` `~`, an `&` that would read as an entity, and `#` `-` `+` `=` or `1.` at the start
//!   of a line) are backslash-escaped, so `<script>` or `[x](javascript:...)` in the text
//!   stays text.
//!
//! The HTML5 parser (html5ever, through `scraper`) repairs broken markup the way browsers do,
//! so unclosed `<p>`s and stray end tags need no special cases here.

use scraper::{Html, Node};

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// Below this depth the converter stops following the structure and keeps only the text, so
/// a hostile body of thousands of nested elements cannot exhaust the stack.
const MAX_DEPTH: usize = 48;

/// Convert a fragment of body HTML to Markdown, as described in the module docs.
pub fn html_to_markdown(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = Blocks::default();
    for child in fragment.root_element().children() {
        walk(child, &mut out, 0);
    }
    out.finish()
}

/// The plain text of an HTML fragment, on one line: for headlines, decks and captions, which
/// carry no structure.
pub fn html_to_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    let fragment = Html::parse_fragment(html);
    let mut text = String::new();
    // Open dropped elements around the current node; an iterative walk needs no depth limit.
    let mut dropped = 0usize;
    for edge in fragment.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if is_dropped(e.name()) => dropped += 1,
                Node::Text(t) if dropped == 0 => text.push_str(t),
                Node::Element(e) if e.name() == "br" || is_block(e.name()) => text.push(' '),
                _ => {}
            },
            Edge::Close(node) => match node.value() {
                Node::Element(e) if is_dropped(e.name()) => dropped -= 1,
                Node::Element(e) if is_block(e.name()) => text.push(' '),
                _ => {}
            },
        }
    }
    collapse_whitespace(&text)
}

/// Plain text (ninjs `body_text`, an Atom `type="text"` body) as Markdown: blank lines part
/// paragraphs, a single line break inside one is only a wrap, and every character is escaped
/// as in HTML text.
pub fn text_to_markdown(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in normalised.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(escape_line(&std::mem::take(&mut current)));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&collapse_whitespace(line));
    }
    if !current.is_empty() {
        paragraphs.push(escape_line(&current));
    }
    paragraphs.join("\n\n")
}

/// Collapse every run of white space to one space and trim the ends. White space is HTML's
/// (ASCII): a no-break space is text, kept where the agency put it.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split(|c: char| c.is_ascii_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text, true);
    out
}

/// Append `text` to `out` with Markdown's special characters escaped; `line_start` says
/// whether `text` begins a line, where a few more characters start block syntax.
fn push_escaped(out: &mut String, text: &str, line_start: bool) {
    let mut at_start = line_start;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            '&' => looks_like_entity(&text[i..]),
            '#' | '-' | '+' | '=' => at_start,
            // `1986. A year` or `3) three` at a line start would open an ordered list;
            // escaping the punctuation after the digits is enough.
            '.' | ')' => {
                let digits = &text[..i];
                line_start
                    && !digits.is_empty()
                    && digits.len() <= 9
                    && bytes[..i].iter().all(u8::is_ascii_digit)
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        if !(c.is_ascii_digit() && at_start) {
            at_start = false;
        }
    }
}

/// `&amp;`, `&#169;` or `&#x1F600;` would be decoded by the Markdown renderer.
fn looks_like_entity(text: &str) -> bool {
    let rest = &text[1..];
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    name_len > 0 && rest.as_bytes().get(name_len) == Some(&b';')
}

fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "img"
            | "picture"
            | "video"
            | "audio"
            | "head"
            | "title"
    )
}

/// Elements that are blocks in HTML: their text must not run into their neighbours'.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "figure"
            | "figcaption"
            | "pre"
            | "address"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "caption"
            | "dl"
            | "dt"
            | "dd"
            | "hr"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
    )
}

/// Markdown under construction: finished blocks, and the inline text of the block being
/// written.
#[derive(Default)]
struct Blocks {
    done: Vec<String>,
    inline: String,
    /// Something has been written on the current line. While it is false the next text
    /// begins a line (a block's start, or after a hard break): leading white space is
    /// dropped and line-start characters are escaped.
    mid_line: bool,
    /// White space was seen and not yet written; written only if more text follows, so
    /// blocks never end in a space.
    pending_space: bool,
}

impl Blocks {
    fn push_text(&mut self, text: &str) {
        let starts_with_space = text.starts_with(|c: char| c.is_ascii_whitespace());
        let ends_with_space = text.ends_with(|c: char| c.is_ascii_whitespace());
        let words = collapse_whitespace(text);
        if words.is_empty() {
            self.pending_space |= starts_with_space && self.mid_line;
            return;
        }
        if self.mid_line && (self.pending_space || starts_with_space) {
            self.inline.push(' ');
        } else if words.starts_with(['.', ')']) && self.line_is_a_number() {
            // `<span>1</span>. text` would otherwise join into an ordered list marker.
            self.inline.push('\\');
        }
        push_escaped(&mut self.inline, &words, !self.mid_line);
        self.mid_line = true;
        self.pending_space = ends_with_space;
    }

    fn line_is_a_number(&self) -> bool {
        let line = self.inline.rsplit('\n').next().unwrap_or_default();
        (1..=9).contains(&line.len()) && line.bytes().all(|b| b.is_ascii_digit())
    }

    /// Markdown that is already escaped or is syntax (`**`, a link).
    fn push_markup(&mut self, markup: &str) {
        if markup.is_empty() {
            return;
        }
        if self.mid_line && self.pending_space {
            self.inline.push(' ');
        }
        self.inline.push_str(markup);
        self.mid_line = true;
        self.pending_space = false;
    }

    fn hard_break(&mut self) {
        if self.mid_line {
            self.inline.push_str("\\\n");
            self.mid_line = false;
            self.pending_space = false;
        }
    }

    /// End the inline text of the current block, if any.
    fn flush(&mut self) {
        // A hard break with nothing after it would leave a lone `\` on the last line.
        let text = self.inline.trim_end_matches("\\\n").trim();
        if !text.is_empty() {
            self.done.push(text.to_string());
        }
        self.inline.clear();
        self.mid_line = false;
        self.pending_space = false;
    }

    fn push_block(&mut self, block: String) {
        self.flush();
        if !block.trim().is_empty() {
            self.done.push(block);
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.done.join("\n\n")
    }

    /// Everything written so far as inline text: for content that turned out to hold
    /// blocks where only inline text can stand (a `<p>` inside `<strong>`).
    fn into_inline(mut self) -> String {
        self.flush();
        self.done.join(" ")
    }
}

fn walk(node: NodeRef<'_>, out: &mut Blocks, depth: usize) {
    match node.value() {
        Node::Text(text) => out.push_text(text),
        Node::Element(element) => {
            let name = element.name();
            if is_dropped(name) {
                return;
            }
            if depth >= MAX_DEPTH {
                out.push_text(&plain_text(node));
                return;
            }
            match name {
                "br" => out.hard_break(),
                "h2" | "h3" | "h4" => {
                    let level = usize::from(name.as_bytes()[1] - b'0');
                    let text = inline_content(node, depth);
                    // A heading is one line: a hard break inside it becomes a space.
                    let text = text.replace("\\\n", " ");
                    if !text.is_empty() {
                        out.push_block(format!("{} {text}", "#".repeat(level)));
                    }
                }
                "strong" | "b" => push_wrapped(node, out, depth, "**"),
                "em" | "i" => push_wrapped(node, out, depth, "*"),
                "a" => push_link(node, element.attr("href"), out, depth),
                "ul" | "ol" => out.push_block(list(node, name == "ol", depth)),
                "blockquote" => {
                    let inner = block_content(node, depth);
                    out.push_block(prefix_lines(&inner, "> ", ">"));
                }
                "td" | "th" => {
                    out.pending_space = true;
                    walk_children(node, out, depth);
                    out.pending_space = true;
                }
                _ if is_block(name) => {
                    out.flush();
                    walk_children(node, out, depth);
                    out.flush();
                }
                _ => walk_children(node, out, depth),
            }
        }
        _ => {}
    }
}

fn walk_children(node: NodeRef<'_>, out: &mut Blocks, depth: usize) {
    for child in node.children() {
        walk(child, out, depth + 1);
    }
}

/// The Markdown of an element's children as one line of inline text.
fn inline_content(node: NodeRef<'_>, depth: usize) -> String {
    let mut inner = Blocks::default();
    walk_children(node, &mut inner, depth);
    inner.into_inline()
}

/// The Markdown of an element's children as blocks parted by blank lines.
fn block_content(node: NodeRef<'_>, depth: usize) -> String {
    let mut inner = Blocks::default();
    walk_children(node, &mut inner, depth);
    inner.finish()
}

/// `**text**` around inline content. CommonMark only reads the delimiters as emphasis when
/// they touch the text, so surrounding white space goes outside them.
fn push_wrapped(node: NodeRef<'_>, out: &mut Blocks, depth: usize, delimiter: &str) {
    let starts_with_space =
        first_text(node).is_some_and(|t| t.starts_with(|c: char| c.is_ascii_whitespace()));
    let text = inline_content(node, depth);
    if text.is_empty() {
        out.pending_space |= starts_with_space;
        return;
    }
    if starts_with_space {
        out.pending_space = true;
    }
    out.push_markup(&format!("{delimiter}{text}{delimiter}"));
    out.pending_space =
        last_text(node).is_some_and(|t| t.ends_with(|c: char| c.is_ascii_whitespace()));
}

fn push_link(node: NodeRef<'_>, href: Option<&str>, out: &mut Blocks, depth: usize) {
    let Some(url) = href.and_then(safe_url) else {
        walk_children(node, out, depth);
        return;
    };
    let text = inline_content(node, depth);
    if text.is_empty() {
        return;
    }
    if first_text(node).is_some_and(|t| t.starts_with(|c: char| c.is_ascii_whitespace())) {
        out.pending_space = true;
    }
    out.push_markup(&format!("[{text}]({url})"));
    out.pending_space =
        last_text(node).is_some_and(|t| t.ends_with(|c: char| c.is_ascii_whitespace()));
}

/// The link target if its scheme is allowed, made safe to stand in `(...)`.
fn safe_url(href: &str) -> Option<String> {
    let href = href.trim();
    let (scheme, _) = href.split_once(':')?;
    let allowed = ["http", "https", "mailto"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s));
    if !allowed || href.chars().any(char::is_control) {
        return None;
    }
    let mut url = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' => url.push_str("%20"),
            '(' => url.push_str("%28"),
            ')' => url.push_str("%29"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            '\\' => url.push_str("%5C"),
            _ => url.push(c),
        }
    }
    Some(url)
}

fn list(node: NodeRef<'_>, ordered: bool, depth: usize) -> String {
    let mut items = Vec::new();
    for child in node.children() {
        let is_item = matches!(child.value(), Node::Element(e) if e.name() == "li");
        let content = if is_item {
            block_content(child, depth + 1)
        } else {
            // Text or stray elements directly in a list still belong to it.
            let mut stray = Blocks::default();
            walk(child, &mut stray, depth + 1);
            stray.finish()
        };
        if content.is_empty() {
            continue;
        }
        let marker = if ordered {
            format!("{}. ", items.len() + 1)
        } else {
            "- ".to_string()
        };
        let indent = " ".repeat(marker.len());
        let mut lines = content.lines();
        let mut item = format!("{marker}{}", lines.next().unwrap_or_default());
        for line in lines {
            item.push('\n');
            if !line.is_empty() {
                item.push_str(&indent);
                item.push_str(line);
            }
        }
        items.push(item);
    }
    items.join("\n")
}

fn prefix_lines(text: &str, prefix: &str, empty_prefix: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                empty_prefix.to_string()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn first_text<'a>(node: NodeRef<'a>) -> Option<&'a str> {
    node.descendants().find_map(|n| match n.value() {
        Node::Text(t) => Some(&**t),
        _ => None,
    })
}

fn last_text<'a>(node: NodeRef<'a>) -> Option<&'a str> {
    node.descendants()
        .filter_map(|n| match n.value() {
            Node::Text(t) => Some(&**t),
            _ => None,
        })
        .last()
}

/// All text under a node, without recursion (for content nested past [`MAX_DEPTH`]).
fn plain_text(node: NodeRef<'_>) -> String {
    let mut text = String::new();
    for n in node.descendants() {
        if let Node::Text(t) = n.value() {
            text.push_str(t);
            text.push(' ');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_start_only_where_it_matters() {
        assert_eq!(escape_line("1986. A year"), "1986\\. A year");
        assert_eq!(escape_line("In 1986. A year"), "In 1986. A year");
        assert_eq!(escape_line("- not a list"), "\\- not a list");
        assert_eq!(escape_line("a - b # c"), "a - b # c");
        assert_eq!(escape_line("AT&T &amp; co"), "AT&T \\&amp; co");
    }

    #[test]
    fn plain_text_paragraphs() {
        assert_eq!(
            text_to_markdown("First line\nwrapped.\n\n\n*Second*  para.\r\n"),
            "First line wrapped.\n\n\\*Second\\* para."
        );
    }
}
