//! Why an upload was refused, in words a newsroom user can act on.
//!
//! Every variant but [`ImageError::Encode`] is the uploader's to fix (a 4xx in the app); its
//! `Display` is a full sentence shown as is. `Encode` is our failure (a 5xx). Sizes are shown in
//! MB of 1 048 576 bytes, the unit file managers show on most desktops.

use super::kind::{Foreign, ImageKind};

/// A refused or failed upload.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("the upload is empty: choose an image file and try again")]
    Empty,

    #[error(
        "the file is {} MB, over the {} MB limit: export it at a smaller size or higher \
         compression and upload it again",
        mb_rounded_up(*size),
        mb(*limit)
    )]
    TooLarge { size: usize, limit: usize },

    #[error("the file is not a JPEG, PNG or WebP image{}", looks_like_clause(*looks_like))]
    NotAnImage { looks_like: Option<Foreign> },

    #[error("the file claims to be a {kind} image but cannot be read: {reason}")]
    Broken { kind: ImageKind, reason: String },

    #[error(
        "the image is {width}×{height} pixels; no side may be longer than {max_side} pixels: \
         scale it down and upload it again"
    )]
    SideTooLong {
        width: u32,
        height: u32,
        max_side: u32,
    },

    #[error(
        "the image is {width}×{height} pixels, {} megapixels, over the limit of {} megapixels: \
         scale it down and upload it again",
        megapixels(u64::from(*width) * u64::from(*height)),
        megapixels(*max_pixels)
    )]
    TooManyPixels {
        width: u32,
        height: u32,
        max_pixels: u64,
    },

    #[error(
        "the file is an animated WebP; only still images are accepted: upload one frame as a JPEG, PNG or WebP"
    )]
    Animated,

    #[error("the image was read but could not be converted: {0}")]
    Encode(String),
}

const MB: f64 = 1024.0 * 1024.0;

/// Megabytes with one decimal, the decimal dropped when it is zero ("20", "25.3").
fn mb(bytes: usize) -> String {
    trim_decimal(bytes as f64 / MB)
}

/// Rounded up, so a file just over the limit never reads as equal to it.
fn mb_rounded_up(bytes: usize) -> String {
    trim_decimal((bytes as f64 / MB * 10.0).ceil() / 10.0)
}

fn megapixels(pixels: u64) -> String {
    trim_decimal(pixels as f64 / 1_000_000.0)
}

fn trim_decimal(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

fn looks_like_clause(foreign: Option<Foreign>) -> String {
    foreign
        .map(|f| format!(" (it looks like {})", f.description()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_full_sentences() {
        assert_eq!(
            ImageError::TooLarge {
                size: 26_528_972,
                limit: 20 * 1024 * 1024
            }
            .to_string(),
            "the file is 25.3 MB, over the 20 MB limit: export it at a smaller size or higher \
             compression and upload it again"
        );
        assert_eq!(
            ImageError::TooLarge {
                size: 20 * 1024 * 1024 + 1,
                limit: 20 * 1024 * 1024
            }
            .to_string(),
            "the file is 20.1 MB, over the 20 MB limit: export it at a smaller size or higher \
             compression and upload it again"
        );
        assert_eq!(
            ImageError::NotAnImage {
                looks_like: Some(Foreign::Pdf)
            }
            .to_string(),
            "the file is not a JPEG, PNG or WebP image (it looks like a PDF document)"
        );
        assert_eq!(
            ImageError::NotAnImage { looks_like: None }.to_string(),
            "the file is not a JPEG, PNG or WebP image"
        );
        assert_eq!(
            ImageError::TooManyPixels {
                width: 9000,
                height: 6000,
                max_pixels: 50_000_000
            }
            .to_string(),
            "the image is 9000×6000 pixels, 54 megapixels, over the limit of 50 megapixels: \
             scale it down and upload it again"
        );
    }
}
