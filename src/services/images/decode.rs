//! From upload bytes to upright pixels, refusing what should not be decoded.
//!
//! Order matters: the header is read and its dimensions checked against [`Limits`] before a
//! pixel buffer exists, so a decompression bomb costs a few hundred bytes of parsing. Only
//! then is the image decoded and turned upright by its EXIF orientation, the one piece of
//! metadata we act on before it is thrown away with the rest.

use std::io::Cursor;

use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder};

use super::error::ImageError;
use super::header;
use super::kind::ImageKind;
use super::limits::Limits;

/// An upload decoded and upright.
pub(super) struct Decoded {
    pub image: DynamicImage,
    /// The upload was a lossless WebP, so its cleaned original should stay lossless.
    pub webp_lossless: bool,
}

pub(super) fn decode(
    bytes: &[u8],
    kind: ImageKind,
    limits: &Limits,
) -> Result<Decoded, ImageError> {
    let broken = |reason: String| ImageError::Broken { kind, reason };
    if let Some((width, height)) = header::dimensions(bytes, kind) {
        limits.check_dimensions(width, height)?;
    }
    let mut webp_lossless = false;
    match kind {
        ImageKind::Jpeg => header::check_jpeg_complete(bytes).map_err(broken)?,
        ImageKind::Png => {}
        ImageKind::Webp => {
            let layout = header::webp_layout(bytes);
            // Refused rather than cut to the first frame: an editor who uploads an animation
            // expects it to move, and a silently frozen frame would surface only on the site.
            if layout.animated {
                return Err(ImageError::Animated);
            }
            webp_lossless = layout.lossless;
        }
    }
    let cursor = Cursor::new(bytes);
    let image = match kind {
        ImageKind::Jpeg => decode_with(JpegDecoder::new(cursor), kind, limits)?,
        ImageKind::Png => decode_with(PngDecoder::new(cursor), kind, limits)?,
        ImageKind::Webp => decode_with(WebPDecoder::new(cursor), kind, limits)?,
    };
    Ok(Decoded {
        image,
        webp_lossless,
    })
}

fn decode_with<D: ImageDecoder>(
    decoder: image::ImageResult<D>,
    kind: ImageKind,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    let broken = |error: image::ImageError| ImageError::Broken {
        kind,
        reason: error.to_string(),
    };
    let mut decoder = decoder.map_err(broken)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(ImageError::Broken {
            kind,
            reason: "it declares no pixels".into(),
        });
    }
    // Checked again in the decoder's own terms, for headers `header::dimensions` could not read.
    limits.check_dimensions(width, height)?;
    decoder.set_limits(limits.for_decoder()).map_err(broken)?;
    // Unreadable EXIF must not block a readable picture: it is shown as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(broken)?;
    image.apply_orientation(orientation);
    Ok(image)
}
