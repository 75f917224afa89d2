//! Image files on disk: content-addressed names in the data directory's media folder.
//!
//! A file's name is a hash of its bytes, so a name never points at different bytes over
//! time; that is what lets the site serve media with year-long cache headers, and what makes
//! writing the same image twice (a re-run import) a no-op.

use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct MediaFiles {
    dir: PathBuf,
}

impl MediaFiles {
    pub fn new(dir: impl Into<PathBuf>) -> MediaFiles {
        MediaFiles { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Store bytes and return the file name. Written to a temporary name and renamed, so a
    /// reader never sees half a file.
    pub fn write(&self, bytes: &[u8], extension: &str) -> io::Result<String> {
        self.write_new(bytes, extension).map(|(name, _)| name)
    }

    /// As [`MediaFiles::write`], also saying whether the file is new: a caller undoing a
    /// failed upload removes only what it created, never a file another record uses.
    pub fn write_new(&self, bytes: &[u8], extension: &str) -> io::Result<(String, bool)> {
        let digest = Sha256::digest(bytes);
        let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let name = format!("{hex}.{extension}");
        let path = self.dir.join(&name);
        if path.exists() {
            return Ok((name, false));
        }
        std::fs::create_dir_all(&self.dir)?;
        let temp = self
            .dir
            .join(format!(".{name}.{}.part", std::process::id()));
        if let Err(e) = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, &path)) {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        Ok((name, true))
    }

    /// Remove a stored file; one already gone is not an error.
    pub fn remove(&self, name: &str) -> io::Result<()> {
        let Some(path) = self.path(name) else {
            return Ok(());
        };
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// The path of a stored file, or `None` for a name that could reach outside the folder.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
        plain.then(|| self.dir.join(name))
    }
}

/// The content type for a media file name.
pub fn mime_for(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_name_and_no_escape() {
        let dir = tempfile::tempdir().unwrap();
        let files = MediaFiles::new(dir.path().join("media"));
        let a = files.write(b"pixels", "jpg").unwrap();
        let b = files.write(b"pixels", "jpg").unwrap();
        assert_eq!(a, b);
        assert_eq!(std::fs::read(files.path(&a).unwrap()).unwrap(), b"pixels");
        assert!(files.path("../etc/passwd").is_none());
        assert!(files.path(".hidden").is_none());
        assert_eq!(mime_for(&a), "image/jpeg");
    }
}
