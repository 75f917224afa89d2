//! Where wire copy comes from: files, directories and feed URLs, and telling ninjs from a
//! feed by the text itself.

use super::fetch::{FetchError, Fetcher};
use broadsheet_domain::wire::{self, WireBatch, WireError};
use std::path::{Path, PathBuf};

/// A SOURCE as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file, or a directory searched (recursively) for wire files.
    Path(PathBuf),
    /// An `http://` or `https://` feed.
    Url(String),
}

impl Source {
    pub fn parse(arg: &str) -> Source {
        if arg.starts_with("http://") || arg.starts_with("https://") {
            Source::Url(arg.to_string())
        } else {
            Source::Path(PathBuf::from(arg))
        }
    }

    /// How the source is named in reports.
    pub fn label(&self) -> String {
        match self {
            Source::Path(path) => path.display().to_string(),
            Source::Url(url) => url.clone(),
        }
    }
}

/// One thing to read in a round: a file or a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Url(String),
}

impl Input {
    pub fn label(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Url(url) => url.clone(),
        }
    }
}

/// Extensions looked for inside a directory. A file named on the command line is read
/// whatever its name; either way the content, not the name, decides the format.
const WIRE_EXTENSIONS: [&str; 4] = ["json", "xml", "rss", "atom"];

/// The inputs of `sources` in a stable order (directories expanded, files sorted), and a
/// report line for each source that could not be listed.
pub fn inputs(sources: &[Source]) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for source in sources {
        match source {
            Source::Url(url) => inputs.push(Input::Url(url.clone())),
            Source::Path(path) => match wire_files(path) {
                Ok(files) => inputs.extend(files.into_iter().map(Input::File)),
                Err(e) => problems.push(format!("{}: cannot read it: {e}", path.display())),
            },
        }
    }
    (inputs, problems)
}

fn wire_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if std::fs::metadata(path)?.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| WIRE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Why an input yielded nothing; shown after its name.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read it: {0}")]
    Read(#[from] std::io::Error),
    #[error("line {line}: the file is not UTF-8 text")]
    NotUtf8 { line: usize },
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("{0}")]
    Wire(#[from] WireError),
    #[error("it is neither ninjs (JSON) nor a feed (XML): it starts with {0:?}")]
    UnknownFormat(char),
    #[error("it is empty")]
    Empty,
}

/// Read and parse one input.
pub async fn read(input: &Input, fetcher: &Fetcher) -> Result<WireBatch, InputError> {
    let text = match input {
        Input::File(path) => {
            let bytes = tokio::fs::read(path).await?;
            String::from_utf8(bytes).map_err(|e| {
                let valid = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..valid]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                InputError::NotUtf8 { line }
            })?
        }
        Input::Url(url) => fetcher.text(url).await?,
    };
    parse(&text)
}

/// Parse wire text by its first significant character: agencies serve JSON as
/// `application/octet-stream` and feeds under `.php` names, so names and types lie.
pub fn parse(text: &str) -> Result<WireBatch, InputError> {
    // A byte order mark is not the content; serde_json would refuse it.
    let text = text.trim_start_matches('\u{feff}');
    let first = text.chars().find(|c| !c.is_whitespace());
    match first {
        Some('{' | '[') => Ok(wire::parse_ninjs(text)?),
        Some('<') => Ok(wire::parse_feed(text)?),
        Some(other) => Err(InputError::UnknownFormat(other)),
        None => Err(InputError::Empty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_not_the_name_decides_the_format() {
        let ninjs = "\u{feff}\n  {\"uri\": \"urn:x:1\", \"headline\": \"A\", \"body_text\": \"B\"}";
        assert_eq!(parse(ninjs).unwrap().items[0].guid, "urn:x:1");
        let rss = "\n<rss version=\"2.0\"><channel><title>T</title><item><guid>g1</guid>\
                   <title>A</title><description>B</description></item></channel></rss>";
        assert_eq!(parse(rss).unwrap().items[0].guid, "g1");
        assert!(matches!(
            parse("Hello"),
            Err(InputError::UnknownFormat('H'))
        ));
        assert!(matches!(parse(" \n"), Err(InputError::Empty)));
    }

    #[test]
    fn urls_and_paths() {
        assert_eq!(
            Source::parse("https://example.org/rss"),
            Source::Url("https://example.org/rss".into())
        );
        assert_eq!(
            Source::parse("wire/today"),
            Source::Path(PathBuf::from("wire/today"))
        );
    }
}
