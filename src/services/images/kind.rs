//! What an upload really is, judged by its first bytes.
//!
//! The file name and the browser's `Content-Type` are chosen by whoever uploads, so they are
//! never consulted: a PDF renamed `photo.jpg` is still a PDF. Only the three formats the site
//! serves are accepted; for anything else we still try to name what it looks like, because
//! "it looks like a PDF document" tells an editor what went wrong far better than "invalid".

/// An accepted upload format, as recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    /// The media type to serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The file extension to store the file under, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Webp => "webp",
        }
    }

    /// The name an editor knows the format by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "JPEG",
            ImageKind::Png => "PNG",
            ImageKind::Webp => "WebP",
        }
    }
}

impl std::fmt::Display for ImageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Recognises JPEG, PNG and WebP by their magic bytes alone.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    // JPEG: SOI marker followed by the start of another marker. Three bytes rather than two,
    // because `FF D8` alone also begins unrelated binary data.
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageKind::Jpeg);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return Some(ImageKind::Png);
    }
    // WebP: a RIFF container whose form type is `WEBP` (WAV and AVI are RIFF too).
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(ImageKind::Webp);
    }
    None
}

/// A file type that is not accepted but common enough among uploads to be named in the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    Pdf,
    Gif,
    Heic,
    Avif,
    Tiff,
    Bmp,
    /// ZIP, and the Office formats built on it (docx, xlsx, pptx, odt).
    Zip,
    /// The pre-2007 Office formats (doc, xls, ppt).
    OldOffice,
    Video,
    Svg,
    Html,
    Xml,
    Text,
    /// A Linux program.
    Elf,
    /// A Windows program.
    Exe,
}

impl Foreign {
    /// How the type is named in a sentence: "it looks like {description}".
    pub fn description(self) -> &'static str {
        match self {
            Foreign::Pdf => "a PDF document",
            Foreign::Gif => "a GIF image",
            Foreign::Heic => "an HEIC photo, as iPhones save them",
            Foreign::Avif => "an AVIF image",
            Foreign::Tiff => "a TIFF image",
            Foreign::Bmp => "a BMP image",
            Foreign::Zip => "a ZIP archive or an Office document",
            Foreign::OldOffice => "an Office document",
            Foreign::Video => "a video",
            Foreign::Svg => "an SVG drawing",
            Foreign::Html => "an HTML page",
            Foreign::Xml => "an XML document",
            Foreign::Text => "a text file",
            Foreign::Elf => "a Linux program",
            Foreign::Exe => "a Windows program",
        }
    }

    /// Names what a rejected upload looks like, if it is one of the common types.
    pub fn recognise(bytes: &[u8]) -> Option<Foreign> {
        const MAGIC: &[(&[u8], Foreign)] = &[
            (b"%PDF-", Foreign::Pdf),
            (b"GIF87a", Foreign::Gif),
            (b"GIF89a", Foreign::Gif),
            (b"II*\0", Foreign::Tiff),
            (b"MM\0*", Foreign::Tiff),
            (b"PK\x03\x04", Foreign::Zip),
            (b"PK\x05\x06", Foreign::Zip),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Foreign::OldOffice),
            (b"\x7FELF", Foreign::Elf),
            (b"MZ", Foreign::Exe),
            (b"\x1A\x45\xDF\xA3", Foreign::Video),
        ];
        if let Some((_, foreign)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
            return Some(*foreign);
        }
        // BMP's two-byte "BM" is too weak alone; the header's file size field must agree.
        if bytes.len() >= 14 && bytes.starts_with(b"BM") {
            let declared = u32::from_le_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]);
            if declared as usize == bytes.len() {
                return Some(Foreign::Bmp);
            }
        }
        if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            return Some(match &bytes[8..12] {
                b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                    Foreign::Heic
                }
                b"avif" | b"avis" => Foreign::Avif,
                _ => Foreign::Video,
            });
        }
        if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"AVI " {
            return Some(Foreign::Video);
        }
        recognise_text(bytes)
    }
}

/// Text has no magic number: it is text if its start decodes as UTF-8 without control bytes.
fn recognise_text(bytes: &[u8]) -> Option<Foreign> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The 1024-byte cut may split a multi-byte character; what precedes it still counts.
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return None,
    };
    let control = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C');
    if head.is_empty() || head.chars().any(control) {
        return None;
    }
    let lower = head
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .to_ascii_lowercase();
    // An SVG often opens with an XML declaration, so look for the root element anywhere in
    // the head before settling on plain XML.
    Some(if lower.contains("<svg") {
        Foreign::Svg
    } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        Foreign::Html
    } else if lower.starts_with("<?xml") {
        Foreign::Xml
    } else {
        Foreign::Text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_and_extension() {
        assert_eq!(ImageKind::Jpeg.mime(), "image/jpeg");
        assert_eq!(ImageKind::Png.mime(), "image/png");
        assert_eq!(ImageKind::Webp.mime(), "image/webp");
        assert_eq!(ImageKind::Jpeg.extension(), "jpg");
        assert_eq!(ImageKind::Png.extension(), "png");
        assert_eq!(ImageKind::Webp.extension(), "webp");
    }

    #[test]
    fn sniff_accepts_the_three_signatures() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Some(ImageKind::Jpeg));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(ImageKind::Png)
        );
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
    }

    #[test]
    fn sniff_refuses_near_misses_and_other_types() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\xFF\xD8"), None);
        assert_eq!(sniff(b"\x89PNG\r\n"), None);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"%PDF-1.7\n"), None);
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), None);
        assert_eq!(sniff(b"hello, this is photo.jpg"), None);
    }

    #[test]
    fn recognises_common_foreign_types() {
        let cases: &[(&[u8], Foreign)] = &[
            (b"%PDF-1.4\n%\xE2\xE3\xCF\xD3", Foreign::Pdf),
            (b"GIF89a\x01\0\x01\0\x80\0\0", Foreign::Gif),
            (b"PK\x03\x04\x14\0\x06\0", Foreign::Zip),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", Foreign::OldOffice),
            (b"\x7FELF\x02\x01\x01\0", Foreign::Elf),
            (b"MZ\x90\0\x03\0\0\0", Foreign::Exe),
            (b"II*\0\x08\0\0\0", Foreign::Tiff),
            (b"\0\0\0\x18ftypheic\0\0\0\0", Foreign::Heic),
            (b"\0\0\0\x1CftypavifXXXX", Foreign::Avif),
            (b"\0\0\0\x20ftypisom\0\0\x02\0", Foreign::Video),
            (
                b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                Foreign::Svg,
            ),
            (b"\xEF\xBB\xBF<!DOCTYPE html><html></html>", Foreign::Html),
            (b"<?xml version=\"1.0\"?><rss/>", Foreign::Xml),
            (
                b"Minister resigns over budget\nBy staff reporter\n",
                Foreign::Text,
            ),
        ];
        for (bytes, expected) in cases {
            assert_eq!(Foreign::recognise(bytes), Some(*expected), "{bytes:?}");
        }
    }

    #[test]
    fn bmp_needs_a_matching_size_field() {
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&30u32.to_le_bytes());
        bmp.resize(30, 0);
        assert_eq!(Foreign::recognise(&bmp), Some(Foreign::Bmp));
        // "BM" then binary noise is not a BMP, and not text either.
        assert_eq!(
            Foreign::recognise(b"BM\xFF\xFF\xFF\xFF\0\0\0\0\0\0\0\0\0"),
            None
        );
    }

    #[test]
    fn binary_noise_is_not_named() {
        assert_eq!(Foreign::recognise(&[0x00, 0x9F, 0x13, 0x80, 0xFE]), None);
        assert_eq!(Foreign::recognise(b""), None);
    }
}
