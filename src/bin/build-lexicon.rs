//! Build the dictionary's lexicon from WordNet 3's database files:
//!
//!     apt-get install -y wordnet-base
//!     cargo run --release --bin build-lexicon -- /usr/share/wordnet data/lexicon.txt.gz
//!
//! The output is deterministic (no timestamp in the gzip header), so rebuilding from the
//! same WordNet leaves the committed file unchanged.

use broadsheet::dictionary::lexicon::Lexicon;
use broadsheet::dictionary::wordnet;
use flate2::{Compression, GzBuilder};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [wordnet_dir, out] = args.as_slice() else {
        eprintln!("usage: build-lexicon WORDNET_DIR OUT.txt.gz   (WordNet: /usr/share/wordnet)");
        return ExitCode::from(2);
    };
    match build(PathBuf::from(wordnet_dir), PathBuf::from(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build-lexicon: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build(wordnet_dir: PathBuf, out: PathBuf) -> Result<(), Box<dyn std::error::Error>> {
    let records = wordnet::read(&wordnet_dir)?;
    let mut text = Vec::new();
    records.write_text(&mut text)?;
    let mut gzip = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::best());
    std::io::Write::write_all(&mut gzip, &text)?;
    let compressed = gzip.finish()?;
    // Read it back as the server will, so a file that would not load is never written.
    let lexicon = Lexicon::from_gzip(&compressed)?;
    std::fs::write(&out, &compressed)?;
    println!(
        "{}: {} words, {} definitions, {} irregular forms; {} bytes of text, {} compressed, {} in memory",
        out.display(),
        lexicon.word_count(),
        records.synsets.len(),
        records.exceptions.len(),
        text.len(),
        compressed.len(),
        lexicon.heap_bytes()
    );
    Ok(())
}
