//! How big an upload may be, checked before any pixel is decoded.
//!
//! A 40 KB PNG can declare 100 000 × 100 000 pixels and ask the decoder for 40 GB: the
//! dimensions are therefore read from the header and refused here first. `max_side` keeps
//! panoramas and strips that pass the pixel count from blowing up a single resize row.

use super::error::ImageError;

/// Upload limits. `Default` is what the newsroom library uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Largest accepted width × height.
    pub max_pixels: u64,
    /// Longest accepted side, in pixels.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_side: 12_000,
        }
    }
}

impl Limits {
    pub(super) fn check_size(&self, size: usize) -> Result<(), ImageError> {
        if size == 0 {
            return Err(ImageError::Empty);
        }
        if size > self.max_bytes {
            return Err(ImageError::TooLarge {
                size,
                limit: self.max_bytes,
            });
        }
        Ok(())
    }

    pub(super) fn check_dimensions(&self, width: u32, height: u32) -> Result<(), ImageError> {
        if width.max(height) > self.max_side {
            return Err(ImageError::SideTooLong {
                width,
                height,
                max_side: self.max_side,
            });
        }
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(ImageError::TooManyPixels {
                width,
                height,
                max_pixels: self.max_pixels,
            });
        }
        Ok(())
    }

    /// The same bounds for the `image` crate's own allocation guard, a second line of defence
    /// should a decoder's header disagree with what it later tries to allocate.
    pub(super) fn for_decoder(&self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        // 16-bit RGBA is the widest pixel the accepted formats decode to; the slack covers the
        // decoders' working buffers.
        limits.max_alloc = Some(self.max_pixels.saturating_mul(8).saturating_add(64 << 20));
        limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let limits = Limits::default();
        assert_eq!(limits.max_bytes, 20_971_520);
        assert_eq!(limits.max_pixels, 50_000_000);
        assert_eq!(limits.max_side, 12_000);
    }

    #[test]
    fn side_is_checked_before_area() {
        let limits = Limits::default();
        assert!(limits.check_dimensions(12_000, 4_000).is_ok());
        assert!(matches!(
            limits.check_dimensions(12_001, 10),
            Err(ImageError::SideTooLong {
                width: 12_001,
                height: 10,
                max_side: 12_000
            })
        ));
        assert!(matches!(
            limits.check_dimensions(10_000, 5_001),
            Err(ImageError::TooManyPixels {
                width: 10_000,
                height: 5_001,
                ..
            })
        ));
        assert!(limits.check_dimensions(10_000, 5_000).is_ok());
    }

    #[test]
    fn size_bounds() {
        let limits = Limits {
            max_bytes: 100,
            ..Limits::default()
        };
        assert!(matches!(limits.check_size(0), Err(ImageError::Empty)));
        assert!(limits.check_size(100).is_ok());
        assert!(matches!(
            limits.check_size(101),
            Err(ImageError::TooLarge {
                size: 101,
                limit: 100
            })
        ));
    }
}
