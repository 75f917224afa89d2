//! A small element tree over quick-xml, with namespaces resolved, for reading feeds.
//!
//! Feeds are small and their readers look things up by name in any order (an RSS item's
//! `<guid>` may come after its body), so a tree is simpler than reacting to events. Names
//! are compared by namespace URI and local name, because the prefix (`dc:`, `content:`,
//! `atom:`) is the feed author's choice.
//!
//! quick-xml does not read DTDs, so no entity is ever expanded beyond XML's five and
//! character references: an unknown `&name;` (RSS feeds carry HTML's `&nbsp;` as often as
//! not) is kept as written, for the HTML reading of the field to decode.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use super::{WireError, line_of};

/// Deeper nesting than any feed needs; refused so a hostile file cannot make the tree (and
/// the recursive code that reads it) arbitrarily deep.
const MAX_DEPTH: usize = 256;

#[derive(Debug)]
pub(super) struct Element {
    pub ns: Option<String>,
    pub name: String,
    attrs: Vec<Attr>,
    pub children: Vec<Child>,
    /// 1-based line of the start tag.
    pub line: usize,
}

#[derive(Debug)]
struct Attr {
    ns: Option<String>,
    name: String,
    value: String,
}

#[derive(Debug)]
pub(super) enum Child {
    Element(Element),
    Text(String),
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

impl Element {
    pub fn is(&self, ns: Option<&str>, name: &str) -> bool {
        self.ns.as_deref() == ns && self.name == name
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    pub fn all<'a>(
        &'a self,
        ns: Option<&'a str>,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.is(ns, name))
    }

    pub fn first(&self, ns: Option<&str>, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(ns, name))
    }

    /// The text of the first such child, trimmed; `None` when absent or blank.
    pub fn child_text(&self, ns: Option<&str>, name: &str) -> Option<String> {
        self.first(ns, name)
            .and_then(|e| super::non_empty(e.text()))
    }

    /// An attribute without a namespace, as attributes in feeds are.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is_none() && a.name == name)
            .map(|a| a.value.as_str())
    }

    pub fn xml_lang(&self) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(XML_NS) && a.name == "lang")
            .map(|a| a.value.as_str())
    }

    /// All text inside, markup ignored.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Child::Text(t) => out.push_str(t),
                Child::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The children written out again as markup, for Atom's inline XHTML, which is then read
    /// as HTML. Namespace prefixes are dropped: XHTML elements are matched by local name.
    pub fn inner_markup(&self) -> String {
        let mut out = String::new();
        for child in &self.children {
            write_markup(child, &mut out);
        }
        out
    }
}

fn write_markup(child: &Child, out: &mut String) {
    match child {
        Child::Text(t) => escape_into(t, out),
        Child::Element(e) => {
            out.push('<');
            out.push_str(&e.name);
            for a in e.attrs.iter().filter(|a| a.ns.is_none()) {
                out.push(' ');
                out.push_str(&a.name);
                out.push_str("=\"");
                escape_into(&a.value, out);
                out.push('"');
            }
            out.push('>');
            for c in &e.children {
                write_markup(c, out);
            }
            out.push_str("</");
            out.push_str(&e.name);
            out.push('>');
        }
    }
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// Parse a whole document into its root element.
pub(super) fn parse(xml: &str) -> Result<Element, WireError> {
    let mut reader = NsReader::from_str(xml);
    // Feeds in the wild carry bare `&` in titles and links; refusing the whole file for that
    // would lose every other item.
    reader.config_mut().allow_dangling_amp = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    // Line counting is incremental so that it stays linear in the file size.
    let mut counted_to = 0usize;
    let mut line = 1usize;
    loop {
        let before = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .min(xml.len());
        line += xml.as_bytes()[counted_to..before]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = before;
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (namespace(&ns), event),
            Err(e) => {
                // The reader knows where the broken markup began, which may be lines before
                // the point it noticed.
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(WireError::Xml {
                    line: line_of(xml, at),
                    detail: e.to_string(),
                });
            }
        };
        // Problems found in a read event (a bad attribute, bytes that are not UTF-8) are
        // reported at the line the event starts on.
        let fail = |detail: String| WireError::Xml { line, detail };
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(WireError::Xml {
                    line,
                    detail: "a second root element follows the first".into(),
                });
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(WireError::Xml {
                        line,
                        detail: format!("elements are nested more than {MAX_DEPTH} deep"),
                    });
                }
                stack.push(element(&reader, ns, &start, line).map_err(fail)?);
            }
            Event::Empty(start) => {
                let e = element(&reader, ns, &start, line).map_err(fail)?;
                close(e, &mut stack, &mut root);
            }
            Event::End(_) => {
                // quick-xml checks that end tags match, so the stack is never empty here.
                if let Some(e) = stack.pop() {
                    close(e, &mut stack, &mut root);
                }
            }
            Event::Text(text) => {
                let text = text.xml10_content().map_err(|e| fail(e.to_string()))?;
                push_text(&mut stack, &text);
            }
            Event::CData(data) => {
                let text = data.xml10_content().map_err(|e| fail(e.to_string()))?;
                push_text(&mut stack, &text);
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = reference.decode().map_err(|e| fail(e.to_string()))?;
                        match &*name {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            other => format!("&{other};"),
                        }
                    }
                    Err(e) => return Err(fail(e.to_string())),
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(WireError::Xml {
                        line: open.line,
                        detail: format!("<{}> is never closed", open.name),
                    });
                }
                return root.ok_or(WireError::Xml {
                    line,
                    detail: "the file holds no element".into(),
                });
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn namespace(ns: &ResolveResult<'_>) -> Option<String> {
    match ns {
        ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.0).into_owned()),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
    }
}

fn element(
    reader: &NsReader<&[u8]>,
    ns: Option<String>,
    start: &BytesStart<'_>,
    line: usize,
) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = attr.key;
        // Namespace declarations are not data.
        if key.as_namespace_binding().is_some() {
            continue;
        }
        let (attr_ns, local) = reader.resolver().resolve_attribute(key);
        // An attribute with an entity XML does not know (`&nbsp;` in a link) is kept as
        // written rather than failing the file.
        let value = attr
            .decoded_and_normalized_value(XmlVersion::Implicit1_0, reader.decoder())
            .unwrap_or_else(|_| String::from_utf8_lossy(&attr.value).into_owned().into());
        attrs.push(Attr {
            ns: namespace(&attr_ns),
            name: String::from_utf8_lossy(local.as_ref()).into_owned(),
            value: value.into_owned(),
        });
    }
    Ok(Element {
        ns,
        name,
        attrs,
        children: Vec::new(),
        line,
    })
}

fn close(e: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Child::Element(e)),
        None => *root = Some(e),
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    // Text outside the root is white space between the declaration and the root.
    let Some(parent) = stack.last_mut() else {
        return;
    };
    match parent.children.last_mut() {
        Some(Child::Text(t)) => t.push_str(text),
        _ => parent.children.push(Child::Text(text.to_string())),
    }
}
