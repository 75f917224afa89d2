//! The image core of the newsroom media library: check an upload, clean it, size it.
//!
//! [`process`] takes the raw bytes of an upload and returns a cleaned original plus the
//! variants the site serves. The rules, and why:
//!
//! - **The bytes decide the type.** Only JPEG, PNG and WebP are accepted, recognised by magic
//!   bytes ([`sniff`]); the file name and the browser's claimed type are never trusted, since
//!   both are whatever the uploader's machine says. Anything else is refused naming what it
//!   looks like (a PDF, a GIF, an iPhone HEIC photo, an Office file, text, a program).
//! - **Limits before work.** Size is checked before parsing and dimensions are read from the
//!   header before decoding ([`Limits`]), so an oversized file or a decompression bomb is
//!   refused without allocating its pixels.
//! - **A file that claims a type must be that type.** One whose magic says JPEG but that does
//!   not decode, or is cut short, is refused as broken rather than published half grey.
//! - **Still images only.** Animated WebP is refused, not frozen on its first frame.
//! - **Upright, then stripped.** The EXIF orientation is applied to the pixels, so portrait
//!   phone photos stay upright once the EXIF that said so is gone.
//! - **No metadata leaves.** Every output is re-encoded from pixels alone, so EXIF (with GPS
//!   positions and camera serial numbers), XMP, IPTC, comments and text chunks cannot survive.
//!   ICC profiles are dropped as well: outputs are untagged, which browsers show as sRGB.
//! - **Variants for `srcset`.** Each requested width (640, 1280 and 1920 by default) in WebP
//!   (lossy, for browsers that take it) and JPEG (for everything else); never upscaled.

mod decode;
mod encode;
mod error;
mod header;
mod kind;
mod limits;
mod resize;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;

pub use error::ImageError;
pub use kind::{Foreign, ImageKind, sniff};
pub use limits::Limits;

use encode::WebpQuality;

/// Variant widths when the caller has no opinion: phone, laptop and large screens.
pub const DEFAULT_WIDTHS: [u32; 3] = [640, 1280, 1920];

/// The format of a served variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantFormat {
    Webp,
    Jpeg,
}

impl VariantFormat {
    pub fn mime(self) -> &'static str {
        match self {
            VariantFormat::Webp => "image/webp",
            VariantFormat::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            VariantFormat::Webp => "webp",
            VariantFormat::Jpeg => "jpg",
        }
    }
}

/// One resized, encoded copy of the image.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: VariantFormat,
    pub bytes: Vec<u8>,
}

/// A checked and cleaned upload.
#[derive(Debug, Clone)]
pub struct Processed {
    /// What the upload really was.
    pub kind: ImageKind,
    /// Size after applying the EXIF orientation.
    pub width: u32,
    pub height: u32,
    /// The upload re-encoded in its own format, upright and without any metadata: JPEG at
    /// quality 90, PNG losslessly at its own bit depth, WebP lossless if it was, else at 90.
    pub original: Vec<u8>,
    /// Ascending by width; for each width the WebP, then the JPEG.
    pub variants: Vec<Variant>,
}

/// Checks, cleans and sizes an upload. `widths` are the variant widths wanted (see
/// [`DEFAULT_WIDTHS`]); those wider than the image are skipped, and if none is left the
/// image's own width is used once.
pub fn process(bytes: &[u8], limits: &Limits, widths: &[u32]) -> Result<Processed, ImageError> {
    limits.check_size(bytes.len())?;
    let Some(kind) = sniff(bytes) else {
        return Err(ImageError::NotAnImage {
            looks_like: Foreign::recognise(bytes),
        });
    };
    let decoded = decode::decode(bytes, kind, limits)?;
    let image = decoded.image;

    // The cleaned original and the variants share nothing but the decoded pixels, and each
    // takes about half the time: encoding them side by side halves the wait on two cores.
    let (original, variants) = std::thread::scope(|scope| {
        let original = scope.spawn(|| encode_original(&image, kind, decoded.webp_lossless));
        let variants = encode_variants(&image, widths);
        let original = original
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (original, variants)
    });
    let (original, variants) = (original?, variants?);

    Ok(Processed {
        kind,
        width: image.width(),
        height: image.height(),
        original,
        variants,
    })
}

fn encode_original(
    image: &image::DynamicImage,
    kind: ImageKind,
    webp_lossless: bool,
) -> Result<Vec<u8>, ImageError> {
    match kind {
        ImageKind::Jpeg => encode::jpeg(image, encode::ORIGINAL_JPEG_QUALITY),
        ImageKind::Png => encode::png(image),
        ImageKind::Webp if webp_lossless => encode::webp(image, WebpQuality::Lossless),
        ImageKind::Webp => encode::webp(image, WebpQuality::Lossy(encode::ORIGINAL_WEBP_QUALITY)),
    }
}

fn encode_variants(
    image: &image::DynamicImage,
    widths: &[u32],
) -> Result<Vec<Variant>, ImageError> {
    let mut variants = Vec::new();
    for width in resize::plan_widths(image.width(), widths) {
        let resized = resize::to_width(image, width)?;
        let (width, height) = (resized.width(), resized.height());
        let webp = encode::webp(&resized, WebpQuality::Lossy(encode::VARIANT_WEBP_QUALITY))?;
        let jpeg = encode::jpeg(&resized, encode::VARIANT_JPEG_QUALITY)?;
        variants.push(Variant {
            width,
            height,
            format: VariantFormat::Webp,
            bytes: webp,
        });
        variants.push(Variant {
            width,
            height,
            format: VariantFormat::Jpeg,
            bytes: jpeg,
        });
    }
    Ok(variants)
}
