//! Test inputs built from scratch: a photo-like picture, files carrying hand-made metadata,
//! and walkers that list the segments or chunks of an output so tests assert on structure.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

/// A deterministic stand-in for a photograph: a sky gradient over textured ground, a few
/// discs, and sensor-like noise, so encoders see smooth areas, edges and grain as in a photo.
pub fn photo(width: u32, height: u32) -> RgbImage {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut noise = move || {
        // xorshift64: enough randomness for grain, and the same every run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 17) as i32 - 8
    };
    let (w, h) = (width as f32, height as f32);
    let discs = [
        (0.25, 0.3, 0.08, [230, 180, 40]),
        (0.7, 0.6, 0.15, [40, 90, 160]),
    ];
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        let mut rgb = if fy < 0.45 {
            [90.0 + 100.0 * fy, 140.0 + 120.0 * fy, 230.0 - 40.0 * fx]
        } else {
            let texture = 20.0 * ((x as f32 * 0.09).sin() * (y as f32 * 0.13).cos());
            [
                80.0 + 60.0 * fx + texture,
                110.0 + texture,
                50.0 + 30.0 * fy,
            ]
        };
        for (cx, cy, r, colour) in discs {
            let (dx, dy) = ((fx - cx) * w / h, fy - cy);
            if dx * dx + dy * dy < r * r {
                rgb = colour.map(|c| c as f32);
            }
        }
        Rgb(rgb.map(|c| (c as i32 + noise()).clamp(0, 255) as u8))
    })
}

/// The photo with an alpha ramp from opaque on the left to transparent on the right.
pub fn photo_with_alpha(width: u32, height: u32) -> RgbaImage {
    let rgb = photo(width, height);
    RgbaImage::from_fn(width, height, |x, y| {
        let [r, g, b] = rgb.get_pixel(x, y).0;
        Rgba([r, g, b, 255 - (x * 255 / width.max(1)) as u8])
    })
}

pub fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

pub fn png(image: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_with_encoder(PngEncoder::new(&mut out)).unwrap();
    out.into_inner()
}

/// A simple-format lossy WebP (one `VP8 ` chunk).
pub fn webp(image: &RgbImage) -> Vec<u8> {
    webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height())
        .encode(85.0)
        .to_vec()
}

/// A simple-format lossless WebP (one `VP8L` chunk).
pub fn webp_lossless(image: &RgbImage) -> Vec<u8> {
    webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height())
        .encode_lossless()
        .to_vec()
}

/// Words planted in metadata so a test can look for them in the output.
pub const SECRET: &str = "Source-Home-Address";

/// A little-endian TIFF structure as EXIF carries it: IFD0 with a description, optionally an
/// orientation, and optionally a GPS IFD with a position and a processing method of "GPS".
pub fn exif_tiff(orientation: Option<u16>, gps: bool) -> Vec<u8> {
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    const UNDEFINED: u16 = 7;
    let rationals = |values: &[(u32, u32)]| -> Vec<u8> {
        values
            .iter()
            .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
            .collect()
    };
    let description = format!("{SECRET}\0").into_bytes();

    let ifd0 = |gps_offset: u32| {
        let mut entries = vec![(0x010E, ASCII, description.len() as u32, description.clone())];
        if let Some(orientation) = orientation {
            entries.push((0x0112, SHORT, 1, orientation.to_le_bytes().to_vec()));
        }
        if gps {
            entries.push((0x8825, LONG, 1, gps_offset.to_le_bytes().to_vec()));
        }
        entries
    };
    // IFD0 starts right after the 8-byte TIFF header; the GPS IFD right after IFD0, whose
    // length does not depend on the pointer's value.
    let ifd0_len = ifd_bytes(&ifd0(0), 8).len() as u32;
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(ifd_bytes(&ifd0(8 + ifd0_len), 8));
    if gps {
        let gps_entries = vec![
            (0x0000, 1, 4, vec![2, 3, 0, 0]),
            (0x0001, ASCII, 2, b"N\0".to_vec()),
            (
                0x0002,
                RATIONAL,
                3,
                rationals(&[(37, 1), (33, 1), (5928, 100)]),
            ),
            (0x0003, ASCII, 2, b"E\0".to_vec()),
            (
                0x0004,
                RATIONAL,
                3,
                rationals(&[(126, 1), (58, 1), (4272, 100)]),
            ),
            (0x001B, UNDEFINED, 11, b"ASCII\0\0\0GPS".to_vec()),
        ];
        tiff.extend(ifd_bytes(&gps_entries, 8 + ifd0_len));
    }
    tiff
}

/// One IFD placed at `offset` in the TIFF: the entry table, then values too long to sit in an
/// entry's four bytes.
fn ifd_bytes(entries: &[(u16, u16, u32, Vec<u8>)], offset: u32) -> Vec<u8> {
    let table_len = 2 + 12 * entries.len() as u32 + 4;
    let mut table = (entries.len() as u16).to_le_bytes().to_vec();
    let mut data = Vec::new();
    for (tag, kind, count, value) in entries {
        table.extend_from_slice(&tag.to_le_bytes());
        table.extend_from_slice(&kind.to_le_bytes());
        table.extend_from_slice(&count.to_le_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            table.extend_from_slice(&inline);
        } else {
            let at = offset + table_len + data.len() as u32;
            table.extend_from_slice(&at.to_le_bytes());
            data.extend_from_slice(value);
            if data.len() % 2 == 1 {
                data.push(0); // values start on word boundaries
            }
        }
    }
    table.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    table.extend(data);
    table
}

/// `jpeg` with marker segments inserted right after SOI, as cameras and editors place them.
pub fn jpeg_with_segments(jpeg: &[u8], segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for (marker, payload) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Every kind of metadata segment a JPEG commonly carries, each holding [`SECRET`].
pub fn jpeg_metadata_segments(orientation: Option<u16>) -> Vec<(u8, Vec<u8>)> {
    let exif = [b"Exif\0\0".to_vec(), exif_tiff(orientation, true)].concat();
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF \
         xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description \
         exif:GPSLatitude=\"37,33.988N\" dc:source=\"{SECRET}\"/></rdf:RDF></x:xmpmeta>"
    );
    let iptc_record = [
        &[0x1C, 0x02, 0x74, 0x00, SECRET.len() as u8][..],
        SECRET.as_bytes(),
    ]
    .concat();
    let mut iptc = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    iptc.extend_from_slice(&(iptc_record.len() as u32).to_be_bytes());
    iptc.extend(iptc_record);
    let icc = [b"ICC_PROFILE\0\x01\x01".to_vec(), vec![0; 128]].concat();
    vec![
        (0xE1, exif),
        (0xE1, xmp.into_bytes()),
        (0xED, iptc),
        (0xE2, icc),
        (0xFE, format!("comment: {SECRET}").into_bytes()),
    ]
}

/// The markers of a JPEG's header segments, from SOI up to and including the first SOS.
pub fn jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "not a JPEG");
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= jpeg.len() {
        assert_eq!(jpeg[at], 0xFF, "segment does not start with FF at {at}");
        let marker = jpeg[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        at += 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
    }
    markers
}

/// CRC-32 as PNG defines it (ISO 3309, reflected, polynomial 0xEDB88320).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&[&kind[..], data].concat()).to_be_bytes());
    chunk
}

/// `png` with chunks inserted after IHDR (signature 8 bytes, IHDR chunk 25).
pub fn png_with_chunks(png: &[u8], chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = png[..33].to_vec();
    for chunk in chunks {
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&png[33..]);
    out
}

/// A PNG that is only a signature, an IHDR declaring `width`×`height` 8-bit RGB, and IEND:
/// what a decompression bomb looks like up to the point where its pixels would start.
pub fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // depth 8, RGB, deflate, adaptive, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// The chunk types of a PNG, in order.
pub fn png_chunk_types(png: &[u8]) -> Vec<[u8; 4]> {
    let mut types = Vec::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        types.push(png[at + 4..at + 8].try_into().unwrap());
        at += 12 + len;
    }
    types
}

/// Builds a RIFF WebP from chunks, padding odd payloads as the format requires.
pub fn riff_webp(chunks: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    for (fourcc, payload) in chunks {
        body.extend_from_slice(fourcc);
        body.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        body.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            body.push(0);
        }
    }
    [
        b"RIFF".to_vec(),
        (body.len() as u32).to_le_bytes().to_vec(),
        body,
    ]
    .concat()
}

/// A VP8X header chunk payload: flags, then the canvas size minus one in 24-bit fields.
pub fn vp8x(flags: u8, width: u32, height: u32) -> Vec<u8> {
    let mut payload = vec![flags, 0, 0, 0];
    payload.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    payload.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    payload
}

/// A simple lossy WebP turned extended, with EXIF and XMP chunks holding [`SECRET`].
pub fn webp_with_metadata(
    simple: &[u8],
    width: u32,
    height: u32,
    orientation: Option<u16>,
) -> Vec<u8> {
    let image_chunks = super::header::riff_chunks(simple);
    let (fourcc, payload) = image_chunks[0];
    let xmp = format!("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">{SECRET}</x:xmpmeta>");
    // Flags: 0x08 EXIF present, 0x04 XMP present.
    riff_webp(&[
        (*b"VP8X", vp8x(0x08 | 0x04, width, height)),
        (fourcc, payload.to_vec()),
        (*b"EXIF", exif_tiff(orientation, true)),
        (*b"XMP ", xmp.into_bytes()),
    ])
}

/// A two-frame animated WebP made of the frames of simple lossy WebPs of the given size.
pub fn animated_webp(frames: &[Vec<u8>], width: u32, height: u32) -> Vec<u8> {
    let mut chunks = vec![(*b"VP8X", vp8x(0x02, width, height))];
    // ANIM: background colour (4 bytes), loop count (2 bytes, 0 = forever).
    chunks.push((*b"ANIM", vec![0; 6]));
    for frame in frames {
        let (fourcc, payload) = super::header::riff_chunks(frame)[0];
        // ANMF: x/2, y/2, width-1, height-1 (24-bit each), duration 100 ms, flags.
        let mut anmf = vec![0; 6];
        anmf.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        anmf.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        anmf.extend_from_slice(&100u32.to_le_bytes()[..3]);
        anmf.push(0);
        anmf.extend_from_slice(&fourcc);
        anmf.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        anmf.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            anmf.push(0);
        }
        chunks.push((*b"ANMF", anmf));
    }
    riff_webp(&chunks)
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn crc32_matches_the_png_specification_example() {
    // The CRC of an IEND chunk (type only, no data) is fixed: AE 42 60 82.
    assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
}
