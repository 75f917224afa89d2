//! Facts read from a file's container before any decoder runs: the declared dimensions,
//! whether a JPEG is complete, and how a WebP is laid out.
//!
//! The dimensions are read here, by us, so that the size limit holds whatever follows the
//! header: a decoder may want to read further (the PNG decoder reads up to the first pixel
//! chunk) before it reports a size, and a bomb should not get that far. When these few bytes
//! cannot be read, the decoder's own header parsing still checks the limits before decoding.

use super::kind::ImageKind;

/// Width and height as the header declares them, if the header can be read.
pub(super) fn dimensions(bytes: &[u8], kind: ImageKind) -> Option<(u32, u32)> {
    match kind {
        ImageKind::Png => png_dimensions(bytes),
        ImageKind::Jpeg => jpeg_header(bytes).ok()?.frame,
        ImageKind::Webp => webp_dimensions(bytes),
    }
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le_u24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], 0]))
}

/// PNG: the IHDR chunk must come first, width and height big-endian at offsets 16 and 20.
fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be_u32(bytes, 16)?, be_u32(bytes, 20)?))
}

/// What a JPEG's header segments say.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct JpegHeader {
    /// Width and height from the frame (SOF) segment, if one came before the first scan.
    pub frame: Option<(u32, u32)>,
    /// Where the entropy-coded data of the first scan begins.
    pub scan_data: usize,
}

/// Walks a JPEG's header segments up to the first scan. Each is FF, a marker byte, and a
/// big-endian length that counts itself.
pub(super) fn jpeg_header(bytes: &[u8]) -> Result<JpegHeader, String> {
    let mut frame = None;
    let mut at = 2; // past SOI
    loop {
        let Some(&[0xFF, marker]) = bytes.get(at..at + 2) else {
            return Err("its header is cut short or damaged".into());
        };
        if marker == 0xFF {
            at += 1; // fill bytes may pad between segments
            continue;
        }
        if marker == 0xD9 {
            return Err("it ends before any image data".into());
        }
        let Some(&[high, low]) = bytes.get(at + 2..at + 4) else {
            return Err("its header is cut short".into());
        };
        let length = usize::from(u16::from_be_bytes([high, low]));
        // SOF0–SOF15 carry the frame size, except C4 (Huffman tables), C8 (reserved) and CC
        // (arithmetic coding conditioning): precision, then height and width, big-endian.
        let is_frame = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame && let Some(sof) = bytes.get(at + 5..at + 9) {
            let height = u32::from(u16::from_be_bytes([sof[0], sof[1]]));
            let width = u32::from(u16::from_be_bytes([sof[2], sof[3]]));
            frame = Some((width, height));
        }
        at += 2 + length;
        if marker == 0xDA {
            return Ok(JpegHeader {
                frame,
                scan_data: at,
            });
        }
    }
}

/// Refuses a JPEG with no end-of-image marker after its first scan.
///
/// The JPEG decoder is lenient and paints the missing rows of a cut-off file grey; such a
/// photo would be published with a grey band, so an upload interrupted half-way is refused.
/// The marker is looked for only after the first scan begins, because an EXIF thumbnail in
/// the header carries an end-of-image marker of its own.
pub(super) fn check_jpeg_complete(bytes: &[u8]) -> Result<(), String> {
    let header = jpeg_header(bytes)?;
    // Inside entropy-coded data a literal FF is always followed by 00 or a restart marker, so
    // FF D9 here can only be the real end of the image.
    let data = bytes.get(header.scan_data..).unwrap_or_default();
    if data.windows(2).any(|pair| pair == [0xFF, 0xD9]) {
        Ok(())
    } else {
        Err("it is cut short (no end-of-image marker); upload the original file again".into())
    }
}

/// WebP: the canvas of an extended file, else the size in the lossy or lossless bitstream.
fn webp_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let (fourcc, payload) = *riff_chunks(bytes).first()?;
    match &fourcc {
        // Canvas width and height minus one, 24-bit little-endian, after 4 bytes of flags.
        b"VP8X" => Some((le_u24(payload, 4)? + 1, le_u24(payload, 7)? + 1)),
        // A 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
        b"VP8 " if payload.get(3..6)? == [0x9D, 0x01, 0x2A] => {
            let width = u16::from_le_bytes([payload[6], payload[7]]) & 0x3FFF;
            let height = u16::from_le_bytes([*payload.get(8)?, *payload.get(9)?]) & 0x3FFF;
            Some((u32::from(width), u32::from(height)))
        }
        // The signature byte 2F, then width-1 and height-1 in 14 bits each, LSB first.
        b"VP8L" if payload.first()? == &0x2F => {
            let bits = u32::from_le_bytes(payload.get(1..5)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        _ => None,
    }
}

/// What the RIFF chunk list of a WebP says before decoding.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct WebpLayout {
    pub animated: bool,
    pub lossless: bool,
}

/// Reads the chunk list of a WebP. A malformed list yields what was found so far; the
/// decoder then reports the damage in its own words.
pub(super) fn webp_layout(bytes: &[u8]) -> WebpLayout {
    let mut layout = WebpLayout::default();
    for (fourcc, payload) in riff_chunks(bytes) {
        match &fourcc {
            // VP8X flags byte, bit 1: the file is an animation.
            b"VP8X" => layout.animated |= payload.first().is_some_and(|flags| flags & 0x02 != 0),
            b"ANIM" | b"ANMF" => layout.animated = true,
            b"VP8L" => layout.lossless = true,
            _ => {}
        }
    }
    layout
}

/// The chunks of a RIFF file after its 12-byte header, as (four-character code, payload).
pub(super) fn riff_chunks(bytes: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut chunks = Vec::new();
    let mut at: usize = 12;
    while let Some(header) = at.checked_add(8).and_then(|end| bytes.get(at..end)) {
        let fourcc = [header[0], header[1], header[2], header[3]];
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let start = at + 8;
        let end = start.saturating_add(size).min(bytes.len());
        chunks.push((fourcc, &bytes[start..end]));
        // Payloads are padded to an even length.
        at = start.saturating_add(size).saturating_add(size & 1);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn riff(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        for (fourcc, payload) in chunks {
            body.extend_from_slice(*fourcc);
            body.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            body.extend_from_slice(payload);
            if payload.len() % 2 == 1 {
                body.push(0);
            }
        }
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_le_bytes());
        file.extend_from_slice(&body);
        file
    }

    #[test]
    fn webp_layout_reads_flags_and_chunks() {
        assert_eq!(
            webp_layout(&riff(&[(b"VP8 ", &[0; 11])])),
            WebpLayout::default()
        );
        assert_eq!(
            webp_layout(&riff(&[(b"VP8L", &[0; 5])])),
            WebpLayout {
                animated: false,
                lossless: true
            }
        );
        let animated_flag = riff(&[(b"VP8X", &[0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0])]);
        assert!(webp_layout(&animated_flag).animated);
        let anim_chunk = riff(&[(b"VP8X", &[0; 10]), (b"ANIM", &[0; 6]), (b"ANMF", &[0; 16])]);
        assert!(webp_layout(&anim_chunk).animated);
    }

    #[test]
    fn riff_chunks_skip_padding_and_stop_at_truncation() {
        let file = riff(&[(b"ABCD", b"odd"), (b"EFGH", b"even")]);
        let chunks = riff_chunks(&file);
        assert_eq!(
            chunks,
            vec![(*b"ABCD", &b"odd"[..]), (*b"EFGH", &b"even"[..])]
        );
        let cut = &file[..file.len() - 2];
        assert_eq!(riff_chunks(cut)[1], (*b"EFGH", &b"ev"[..]));
    }

    #[test]
    fn dimensions_come_from_each_header() {
        use crate::services::images::fixtures;
        let photo = fixtures::photo(37, 23);
        let png = fixtures::png(&image::DynamicImage::ImageRgb8(photo.clone()));
        assert_eq!(dimensions(&png, ImageKind::Png), Some((37, 23)));
        assert_eq!(
            dimensions(&fixtures::jpeg(&photo, 80), ImageKind::Jpeg),
            Some((37, 23))
        );
        assert_eq!(
            dimensions(&fixtures::webp(&photo), ImageKind::Webp),
            Some((37, 23))
        );
        let lossless = fixtures::webp_lossless(&photo);
        assert_eq!(dimensions(&lossless, ImageKind::Webp), Some((37, 23)));
        let extended = fixtures::riff_webp(&[(*b"VP8X", fixtures::vp8x(0, 16_000, 9_000))]);
        assert_eq!(
            dimensions(&extended, ImageKind::Webp),
            Some((16_000, 9_000))
        );
        assert_eq!(dimensions(b"\x89PNG\r\n\x1a\n", ImageKind::Png), None);
    }

    #[test]
    fn jpeg_completeness_looks_past_the_header() {
        // SOI, an APP1 holding a thumbnail's EOI, SOS with a minimal header, data, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0xFF, 0xD9];
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0xFF, 0x00, 0x34]);
        assert!(check_jpeg_complete(&jpeg).is_err());
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(check_jpeg_complete(&jpeg), Ok(()));
        assert_eq!(
            check_jpeg_complete(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00]),
            Err("its header is cut short".to_string())
        );
    }
}
