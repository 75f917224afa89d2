//! `process` end to end, on inputs built by `fixtures`.

use image::{DynamicImage, GenericImageView, Rgb};

use super::fixtures::{self, SECRET, contains};
use super::*;

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("output decodes")
}

fn process_default(bytes: &[u8]) -> Result<Processed, ImageError> {
    process(bytes, &Limits::default(), &DEFAULT_WIDTHS)
}

/// (width, height, format) of each variant, in order.
fn shapes(processed: &Processed) -> Vec<(u32, u32, VariantFormat)> {
    processed
        .variants
        .iter()
        .map(|v| (v.width, v.height, v.format))
        .collect()
}

/// Every variant is what it says: its bytes sniff as its format and decode to its size.
fn assert_variants_truthful(processed: &Processed) {
    for variant in &processed.variants {
        let expected = match variant.format {
            VariantFormat::Webp => ImageKind::Webp,
            VariantFormat::Jpeg => ImageKind::Jpeg,
        };
        assert_eq!(sniff(&variant.bytes), Some(expected));
        let decoded = decode(&variant.bytes);
        assert_eq!(decoded.dimensions(), (variant.width, variant.height));
    }
}

#[test]
fn jpeg_photo_gets_three_widths_in_both_formats() {
    let photo = fixtures::photo(2400, 1600);
    let processed = process_default(&fixtures::jpeg(&photo, 92)).unwrap();
    assert_eq!(processed.kind, ImageKind::Jpeg);
    assert_eq!((processed.width, processed.height), (2400, 1600));
    assert_eq!(sniff(&processed.original), Some(ImageKind::Jpeg));
    assert_eq!(decode(&processed.original).dimensions(), (2400, 1600));
    use VariantFormat::{Jpeg, Webp};
    assert_eq!(
        shapes(&processed),
        vec![
            (640, 427, Webp),
            (640, 427, Jpeg),
            (1280, 853, Webp),
            (1280, 853, Jpeg),
            (1920, 1280, Webp),
            (1920, 1280, Jpeg),
        ]
    );
    assert_variants_truthful(&processed);
    // Lossy WebP is the point of carrying libwebp: it must beat the JPEG at each width.
    for pair in processed.variants.chunks(2) {
        assert!(
            pair[0].bytes.len() < pair[1].bytes.len(),
            "WebP larger than JPEG at {}",
            pair[0].width
        );
    }
}

#[test]
fn png_photo_keeps_png_and_gets_the_widths_it_can() {
    let photo = fixtures::photo(1500, 1000);
    let processed =
        process_default(&fixtures::png(&DynamicImage::ImageRgb8(photo.clone()))).unwrap();
    assert_eq!(processed.kind, ImageKind::Png);
    assert_eq!((processed.width, processed.height), (1500, 1000));
    // PNG stays lossless: the cleaned original holds exactly the uploaded pixels.
    assert_eq!(decode(&processed.original).to_rgb8(), photo);
    use VariantFormat::{Jpeg, Webp};
    assert_eq!(
        shapes(&processed),
        vec![
            (640, 427, Webp),
            (640, 427, Jpeg),
            (1280, 853, Webp),
            (1280, 853, Jpeg)
        ]
    );
    assert_variants_truthful(&processed);
}

#[test]
fn transparent_png_keeps_alpha_except_in_jpeg() {
    let photo = fixtures::photo_with_alpha(800, 600);
    let processed =
        process_default(&fixtures::png(&DynamicImage::ImageRgba8(photo.clone()))).unwrap();
    assert_eq!(decode(&processed.original).to_rgba8(), photo);
    let webp = decode(&processed.variants[0].bytes);
    assert!(webp.color().has_alpha());
    // The right edge is fully transparent: white in the JPEG, as on the page.
    let jpeg = decode(&processed.variants[1].bytes).to_rgb8();
    let Rgb([r, g, b]) = *jpeg.get_pixel(639, 200);
    assert!(r > 240 && g > 240 && b > 240, "edge is {r},{g},{b}");
}

#[test]
fn lossy_webp_photo_is_processed() {
    let photo = fixtures::photo(1500, 1000);
    let processed = process_default(&fixtures::webp(&photo)).unwrap();
    assert_eq!(processed.kind, ImageKind::Webp);
    assert_eq!((processed.width, processed.height), (1500, 1000));
    assert_eq!(sniff(&processed.original), Some(ImageKind::Webp));
    assert!(!header::webp_layout(&processed.original).lossless);
    use VariantFormat::{Jpeg, Webp};
    assert_eq!(
        shapes(&processed),
        vec![
            (640, 427, Webp),
            (640, 427, Jpeg),
            (1280, 853, Webp),
            (1280, 853, Jpeg)
        ]
    );
    assert_variants_truthful(&processed);
}

#[test]
fn lossless_webp_original_stays_lossless() {
    let photo = fixtures::photo(300, 200);
    let processed = process_default(&fixtures::webp_lossless(&photo)).unwrap();
    assert!(header::webp_layout(&processed.original).lossless);
    assert_eq!(decode(&processed.original).to_rgb8(), photo);
}

#[test]
fn small_image_is_never_upscaled() {
    let processed = process_default(&fixtures::jpeg(&fixtures::photo(500, 300), 90)).unwrap();
    use VariantFormat::{Jpeg, Webp};
    assert_eq!(shapes(&processed), vec![(500, 300, Webp), (500, 300, Jpeg)]);
    assert_variants_truthful(&processed);
}

#[test]
fn widths_are_configurable_and_keep_the_aspect_ratio() {
    // Portrait 3:4, with a width equal to the original's (kept) and one above it (skipped).
    let bytes = fixtures::jpeg(&fixtures::photo(900, 1200), 90);
    let processed = process(&bytes, &Limits::default(), &[900, 300, 1000]).unwrap();
    use VariantFormat::{Jpeg, Webp};
    assert_eq!(
        shapes(&processed),
        vec![
            (300, 400, Webp),
            (300, 400, Jpeg),
            (900, 1200, Webp),
            (900, 1200, Jpeg)
        ]
    );
    assert_variants_truthful(&processed);
}

/// A photo stored sideways with a red block in its stored top-left corner.
fn sideways_photo() -> image::RgbImage {
    let mut stored = fixtures::photo(600, 400);
    for y in 0..60 {
        for x in 0..60 {
            stored.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    stored
}

fn assert_red(image: &DynamicImage, x: u32, y: u32) {
    let [r, g, b, _] = image.get_pixel(x, y).0;
    assert!(
        r > 200 && g < 60 && b < 60,
        "pixel {x},{y} is {r},{g},{b}, not red"
    );
}

#[test]
fn exif_orientation_6_is_applied() {
    // Orientation 6: the stored picture must be turned 90° clockwise to be upright, so the
    // stored top-left corner ends up top-right.
    let jpeg = fixtures::jpeg(&sideways_photo(), 92);
    let exif = [b"Exif\0\0".to_vec(), fixtures::exif_tiff(Some(6), false)].concat();
    let bytes = fixtures::jpeg_with_segments(&jpeg, &[(0xE1, exif)]);
    let processed = process(&bytes, &Limits::default(), &[200]).unwrap();
    assert_eq!((processed.width, processed.height), (400, 600));
    let original = decode(&processed.original);
    assert_eq!(original.dimensions(), (400, 600));
    assert_red(&original, 370, 30);
    let [r, ..] = original.get_pixel(30, 30).0;
    assert!(r < 200, "top-left should no longer be red");
    use VariantFormat::{Jpeg, Webp};
    assert_eq!(shapes(&processed), vec![(200, 300, Webp), (200, 300, Jpeg)]);
    assert_red(&decode(&processed.variants[1].bytes), 185, 15);
}

#[test]
fn exif_orientation_in_webp_is_applied() {
    let stored = sideways_photo();
    let bytes = fixtures::webp_with_metadata(&fixtures::webp(&stored), 600, 400, Some(6));
    let processed = process_default(&bytes).unwrap();
    assert_eq!((processed.width, processed.height), (400, 600));
    assert_red(&decode(&processed.original), 370, 30);
}

#[test]
fn pdf_is_refused_by_name() {
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
    let error = process_default(pdf).unwrap_err();
    assert!(matches!(
        error,
        ImageError::NotAnImage {
            looks_like: Some(Foreign::Pdf)
        }
    ));
    assert_eq!(
        error.to_string(),
        "the file is not a JPEG, PNG or WebP image (it looks like a PDF document)"
    );
}

#[test]
fn text_file_named_jpg_is_refused() {
    // The caller knows it as "photo.jpg" and the browser said image/jpeg; neither reaches
    // `process`, and the bytes say text.
    let error = process_default(b"Caption: the minister arrives.\nPhoto: staff\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is not a JPEG, PNG or WebP image (it looks like a text file)"
    );
}

#[test]
fn other_foreign_types_are_named() {
    let cases: &[(&[u8], &str)] = &[
        (b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0", "a GIF image"),
        (
            b"PK\x03\x04\x14\0\x06\0\x08\0",
            "a ZIP archive or an Office document",
        ),
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>",
            "an SVG drawing",
        ),
        (b"\x7FELF\x02\x01\x01\0\0\0\0\0", "a Linux program"),
        (b"MZ\x90\0\x03\0\0\0\x04\0", "a Windows program"),
        (
            b"\0\0\0\x18ftypheic\0\0\0\0mif1",
            "an HEIC photo, as iPhones save them",
        ),
    ];
    for (bytes, description) in cases {
        assert_eq!(
            process_default(bytes).unwrap_err().to_string(),
            format!("the file is not a JPEG, PNG or WebP image (it looks like {description})")
        );
    }
    assert_eq!(
        process_default(&[0x00, 0x13, 0x9F, 0x80])
            .unwrap_err()
            .to_string(),
        "the file is not a JPEG, PNG or WebP image"
    );
}

#[test]
fn empty_upload_is_refused() {
    assert_eq!(
        process_default(b"").unwrap_err().to_string(),
        "the upload is empty: choose an image file and try again"
    );
}

#[test]
fn truncated_jpeg_is_refused_as_broken() {
    let jpeg = fixtures::jpeg(&fixtures::photo(400, 300), 90);
    let cut = &jpeg[..jpeg.len() * 6 / 10];
    let error = process_default(cut).unwrap_err();
    assert!(matches!(
        error,
        ImageError::Broken {
            kind: ImageKind::Jpeg,
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "the file claims to be a JPEG image but cannot be read: it is cut short (no \
         end-of-image marker); upload the original file again"
    );
}

#[test]
fn disguised_files_are_refused_as_broken() {
    // Magic bytes of each format followed by rubbish.
    let mut fake_jpeg = b"\xFF\xD8\xFF\xE0".to_vec();
    fake_jpeg.extend_from_slice(&[0x41; 200]);
    let mut fake_png = b"\x89PNG\r\n\x1a\n".to_vec();
    fake_png.extend_from_slice(&[0x41; 200]);
    let fake_webp = fixtures::riff_webp(&[(*b"VP8 ", vec![0x41; 200])]);
    for (bytes, name) in [(fake_jpeg, "JPEG"), (fake_png, "PNG"), (fake_webp, "WebP")] {
        let message = process_default(&bytes).unwrap_err().to_string();
        let prefix = format!("the file claims to be a {name} image but cannot be read: ");
        assert!(message.starts_with(&prefix), "{message}");
        assert!(message.len() > prefix.len(), "no reason given: {message}");
    }
}

#[test]
fn truncated_png_is_refused_as_broken() {
    let png = fixtures::png(&DynamicImage::ImageRgb8(fixtures::photo(400, 300)));
    let error = process_default(&png[..png.len() / 2]).unwrap_err();
    assert!(
        matches!(
            error,
            ImageError::Broken {
                kind: ImageKind::Png,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn oversized_upload_is_refused_before_reading_it() {
    // A JPEG signature followed by rubbish: were it parsed it would be Broken, not TooLarge.
    let mut bytes = vec![0x41; 22_000_000];
    bytes[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let error = process_default(&bytes).unwrap_err();
    assert!(matches!(
        error,
        ImageError::TooLarge {
            size: 22_000_000,
            limit: 20_971_520
        }
    ));
    assert_eq!(
        error.to_string(),
        "the file is 21 MB, over the 20 MB limit: export it at a smaller size or higher \
         compression and upload it again"
    );
}

#[test]
fn huge_png_header_is_refused_without_decoding() {
    // The file has no pixel data at all: reaching the decoder would give Broken instead.
    let bomb = fixtures::png_header_only(100_000, 100_000);
    assert!(bomb.len() < 100);
    let started = std::time::Instant::now();
    let error = process_default(&bomb).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_millis(100));

    assert!(matches!(
        error,
        ImageError::SideTooLong {
            width: 100_000,
            height: 100_000,
            max_side: 12_000
        }
    ));
    assert_eq!(
        error.to_string(),
        "the image is 100000×100000 pixels; no side may be longer than 12000 pixels: scale it \
         down and upload it again"
    );
    // Within the side limit but over the pixel count.
    let error = process_default(&fixtures::png_header_only(10_000, 8_000)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the image is 10000×8000 pixels, 80 megapixels, over the limit of 50 megapixels: scale \
         it down and upload it again"
    );
}

#[test]
fn huge_jpeg_header_is_refused_without_decoding() {
    // Rewrite the frame header of a small JPEG to claim 60000×50000.
    let mut jpeg = fixtures::jpeg(&fixtures::photo(64, 64), 90);
    let sof = jpeg
        .windows(2)
        .position(|pair| pair == [0xFF, 0xC0])
        .expect("baseline SOF");
    jpeg[sof + 5..sof + 7].copy_from_slice(&50_000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
    let error = process_default(&jpeg).unwrap_err();
    assert!(
        matches!(
            error,
            ImageError::SideTooLong {
                width: 60_000,
                height: 50_000,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn animated_webp_is_refused() {
    let frames = [
        fixtures::webp(&fixtures::photo(64, 48)),
        fixtures::webp(&fixtures::photo(64, 48)),
    ];
    let error = process_default(&fixtures::animated_webp(&frames, 64, 48)).unwrap_err();
    assert!(matches!(error, ImageError::Animated));
    assert_eq!(
        error.to_string(),
        "the file is an animated WebP; only still images are accepted: upload one frame as a \
         JPEG, PNG or WebP"
    );
}

/// No output of `processed` carries metadata: checked by structure, then by content.
fn assert_no_metadata(processed: &Processed) {
    let outputs = std::iter::once((processed.kind, &processed.original)).chain(
        processed.variants.iter().map(|v| match v.format {
            VariantFormat::Webp => (ImageKind::Webp, &v.bytes),
            VariantFormat::Jpeg => (ImageKind::Jpeg, &v.bytes),
        }),
    );
    for (kind, bytes) in outputs {
        match kind {
            ImageKind::Jpeg => {
                let markers = fixtures::jpeg_markers(bytes);
                // Allowed: APP0 (JFIF), quantisation and Huffman tables, frame, restart
                // interval, scan. Not allowed: APP1–APP15 (EXIF, XMP, ICC, IPTC) and COM.
                let allowed = [0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA];
                assert!(
                    markers.iter().all(|m| allowed.contains(m)),
                    "JPEG markers {markers:02X?}"
                );
            }
            ImageKind::Png => {
                let chunks = fixtures::png_chunk_types(bytes);
                let allowed = [*b"IHDR", *b"PLTE", *b"tRNS", *b"IDAT", *b"IEND"];
                assert!(
                    chunks.iter().all(|c| allowed.contains(c)),
                    "PNG chunks {chunks:?}"
                );
            }
            ImageKind::Webp => {
                let chunks = header::riff_chunks(bytes);
                for (fourcc, payload) in &chunks {
                    assert!(
                        [*b"VP8 ", *b"VP8L", *b"VP8X", *b"ALPH"].contains(fourcc),
                        "WebP chunk {:?}",
                        String::from_utf8_lossy(fourcc)
                    );
                    if fourcc == b"VP8X" {
                        // ICC, EXIF, XMP and animation flags clear.
                        assert_eq!(payload[0] & (0x20 | 0x08 | 0x04 | 0x02), 0);
                    }
                }
            }
        }
        for needle in [
            &b"Exif"[..],
            b"GPS",
            b"xmpmeta",
            b"Photoshop",
            b"ICC_PROFILE",
            SECRET.as_bytes(),
        ] {
            assert!(
                !contains(bytes, needle),
                "{kind} output contains {:?}",
                String::from_utf8_lossy(needle)
            );
        }
    }
}

#[test]
fn jpeg_metadata_is_stripped() {
    let jpeg = fixtures::jpeg(&fixtures::photo(1400, 900), 90);
    let bytes = fixtures::jpeg_with_segments(&jpeg, &fixtures::jpeg_metadata_segments(Some(1)));
    // The input really carries it all.
    assert_eq!(
        &fixtures::jpeg_markers(&bytes)[..5],
        &[0xE1, 0xE1, 0xED, 0xE2, 0xFE]
    );
    for needle in [&b"Exif\0\0"[..], b"GPS", SECRET.as_bytes()] {
        assert!(contains(&bytes, needle));
    }
    let processed = process_default(&bytes).unwrap();
    assert_eq!(processed.variants.len(), 4);
    assert_no_metadata(&processed);
}

#[test]
fn png_metadata_is_stripped() {
    let png = fixtures::png(&DynamicImage::ImageRgb8(fixtures::photo(900, 600)));
    let exif = fixtures::png_chunk(b"eXIf", &fixtures::exif_tiff(Some(1), true));
    let text = fixtures::png_chunk(
        b"tEXt",
        format!("Comment\0GPS fix near {SECRET}").as_bytes(),
    );
    let bytes = fixtures::png_with_chunks(&png, &[exif, text]);
    assert_eq!(
        &fixtures::png_chunk_types(&bytes)[..3],
        &[*b"IHDR", *b"eXIf", *b"tEXt"]
    );
    let processed = process_default(&bytes).unwrap();
    assert_eq!(processed.kind, ImageKind::Png);
    assert_no_metadata(&processed);
}

#[test]
fn webp_metadata_is_stripped() {
    let photo = fixtures::photo(900, 600);
    let bytes = fixtures::webp_with_metadata(&fixtures::webp(&photo), 900, 600, Some(1));
    let chunk_types: Vec<_> = header::riff_chunks(&bytes)
        .iter()
        .map(|(c, _)| *c)
        .collect();
    assert_eq!(chunk_types, vec![*b"VP8X", *b"VP8 ", *b"EXIF", *b"XMP "]);
    let processed = process_default(&bytes).unwrap();
    assert_eq!((processed.width, processed.height), (900, 600));
    assert_no_metadata(&processed);
}

/// Timing on a 3000×2000 photo; run with
/// `cargo test --release -- --ignored --nocapture timing`.
#[test]
#[ignore]
fn timing_3000x2000() {
    let photo = fixtures::photo(3000, 2000);
    let inputs = [
        ("JPEG", fixtures::jpeg(&photo, 92)),
        (
            "PNG",
            fixtures::png(&DynamicImage::ImageRgb8(photo.clone())),
        ),
        ("WebP", fixtures::webp(&photo)),
    ];
    for (name, bytes) in &inputs {
        let _ = process_default(bytes).unwrap(); // warm up
        let runs = 3;
        let started = std::time::Instant::now();
        let mut processed = None;
        for _ in 0..runs {
            processed = Some(process_default(bytes).unwrap());
        }
        let processed = processed.unwrap();
        println!(
            "{name} upload {} KB: process {:?} per run; original {} KB",
            bytes.len() / 1024,
            started.elapsed() / runs,
            processed.original.len() / 1024
        );
        for v in &processed.variants {
            println!(
                "  {}x{} {:?}: {} KB",
                v.width,
                v.height,
                v.format,
                v.bytes.len() / 1024
            );
        }
    }
}
