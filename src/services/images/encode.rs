//! Pixels to files. Nothing but pixels goes in, which is what strips the metadata.
//!
//! Every output is encoded afresh from the decoded pixel buffer, and no encoder here is given
//! EXIF, XMP, IPTC, comments or an ICC profile, so none can reach the output whatever the
//! upload carried. The ICC profile is dropped too: browsers treat untagged images as sRGB,
//! which is right for nearly every camera and phone JPEG; wide-gamut (Display P3) photos
//! come out slightly less saturated.
//!
//! WebP goes through libwebp (the `webp` crate) because the `image` crate's WebP encoder is
//! lossless only, and a lossless WebP of a photograph is larger than a JPEG of it.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageEncoder, Rgb, RgbImage};

use super::error::ImageError;

/// Quality of the cleaned JPEG original: high, because it is the copy all later crops and
/// re-exports start from.
pub(super) const ORIGINAL_JPEG_QUALITY: u8 = 90;
/// Quality of the cleaned lossy WebP original, for the same reason.
pub(super) const ORIGINAL_WEBP_QUALITY: f32 = 90.0;
/// Quality of the served variants: the usual web trade-off of size against visible loss.
pub(super) const VARIANT_JPEG_QUALITY: u8 = 80;
pub(super) const VARIANT_WEBP_QUALITY: f32 = 80.0;

fn failed(format: &str, error: impl std::fmt::Display) -> ImageError {
    ImageError::Encode(format!("{format} encoding failed: {error}"))
}

/// JPEG has no alpha: transparent areas are laid on white, as they appear on the page.
pub(super) fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let encoder = JpegEncoder::new_with_quality(&mut out, quality);
    let result = if image.color().has_color() || image.color().has_alpha() {
        let rgb = flatten_on_white(image);
        encoder.write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
    } else {
        // A grey photo stays one channel: a third of the data to encode.
        let luma = image.to_luma8();
        encoder.write_image(
            luma.as_raw(),
            luma.width(),
            luma.height(),
            image::ExtendedColorType::L8,
        )
    };
    result.map_err(|error| failed("JPEG", error))?;
    Ok(out)
}

fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            ((c * a + 255 * (255 - a) + 127) / 255) as u8
        };
        Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// PNG keeps the upload's channels and bit depth: a PNG is usually a graphic or a screenshot,
/// where exact pixels matter more than size.
pub(super) fn png(image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Cursor::new(Vec::new());
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
    image
        .write_with_encoder(encoder)
        .map_err(|error| failed("PNG", error))?;
    Ok(out.into_inner())
}

/// How a WebP is compressed.
#[derive(Debug, Clone, Copy)]
pub(super) enum WebpQuality {
    Lossy(f32),
    Lossless,
}

/// WebP at 8 bits per channel; alpha is kept when the image has it.
pub(super) fn webp(image: &DynamicImage, quality: WebpQuality) -> Result<Vec<u8>, ImageError> {
    let (lossless, quality) = match quality {
        WebpQuality::Lossy(quality) => (false, quality),
        // libwebp reads `quality` as compression effort when lossless; 75 is its default.
        WebpQuality::Lossless => (true, 75.0),
    };
    let (width, height) = (image.width(), image.height());
    let memory = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        webp::Encoder::from_rgba(rgba.as_raw(), width, height).encode_simple(lossless, quality)
    } else {
        let rgb = image.to_rgb8();
        webp::Encoder::from_rgb(rgb.as_raw(), width, height).encode_simple(lossless, quality)
    };
    let memory = memory.map_err(|error| failed("WebP", format!("{error:?}")))?;
    Ok(memory.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgba, RgbaImage};

    #[test]
    fn transparency_is_laid_on_white() {
        let mut rgba = RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, Rgba([0, 0, 0, 255]));
        let flat = flatten_on_white(&DynamicImage::ImageRgba8(rgba));
        assert_eq!(flat.get_pixel(0, 0), &Rgb([255, 255, 255]));
        assert_eq!(flat.get_pixel(1, 0), &Rgb([0, 0, 0]));
    }
}
