//! Procedurally painted lead photos for the demo edition.
//!
//! The demo edition may not ship anyone else's pictures, yet a front page without lead photos
//! does not look like a newspaper, so we paint flat illustrations from simple shapes instead.
//! Everything derives from a seed through a private PRNG, so rebuilding the demo site gives the
//! same images and its diffs stay quiet.

use std::fmt;
use std::str::FromStr;

/// The kinds of scene the demo edition can ask for.
///
/// A closed set rather than free text, so a typo in `demo/edition.toml` is reported when the
/// edition loads instead of producing a blank picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scene {
    City,
    Harbor,
    Mountains,
    Stadium,
    Market,
    Parliament,
    Rail,
    Night,
    Field,
    Sea,
    Factory,
    Snow,
    River,
    Temple,
    Border,
}

impl Scene {
    /// Every scene, so callers and tests can iterate without keeping a list of their own.
    pub const ALL: [Scene; 15] = {
        use Scene::*;
        [
            City, Harbor, Mountains, Stadium, Market, Parliament, Rail, Night, Field, Sea, Factory,
            Snow, River, Temple, Border,
        ]
    };

    /// Lower-case names as used in demo/edition.toml: "city", "harbor", ... "border".
    /// `FromStr` accepts exactly these, so the file and the code cannot drift apart.
    pub fn name(self) -> &'static str {
        match self {
            Scene::City => "city",
            Scene::Harbor => "harbor",
            Scene::Mountains => "mountains",
            Scene::Stadium => "stadium",
            Scene::Market => "market",
            Scene::Parliament => "parliament",
            Scene::Rail => "rail",
            Scene::Night => "night",
            Scene::Field => "field",
            Scene::Sea => "sea",
            Scene::Factory => "factory",
            Scene::Snow => "snow",
            Scene::River => "river",
            Scene::Temple => "temple",
            Scene::Border => "border",
        }
    }
}

/// A scene name this module cannot paint; it keeps the text so the message can quote it back to
/// whoever edited the edition file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScene(pub String);

impl fmt::Display for UnknownScene {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Scene::ALL.iter().map(|s| s.name()).collect();
        let list = names.join(", ");
        let name = &self.0;
        write!(f, "unknown photo scene '{name}'; expected one of: {list}")
    }
}

impl std::error::Error for UnknownScene {}

impl FromStr for Scene {
    type Err = UnknownScene;

    /// Tolerates stray case and whitespace, because the edition file is edited by hand.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let found = Scene::ALL
            .into_iter()
            .find(|sc| sc.name().eq_ignore_ascii_case(s.trim()));
        found.ok_or_else(|| UnknownScene(s.to_string()))
    }
}

/// Paint `scene` at `width` x `height`; the same (scene, seed, size) always gives the same pixels.
/// The seed picks time of day, palette, positions and counts, so one scene can illustrate several
/// stories in the same edition without the pictures looking copied.
pub fn render(scene: Scene, seed: u64, width: u32, height: u32) -> image::RgbImage {
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 {
        return image::RgbImage::new(width, height);
    }
    let mut c = Canvas {
        w,
        h,
        px: vec![[0.0; 4]; w * h],
        cov: vec![0.0; w + 1],
    };
    let mut r = Rng(seed ^ (scene as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F));
    // In declaration order, so `scene as usize` picks the painter.
    let paint: [fn(&mut Canvas, &mut Rng); 15] = [
        city, harbor, mountains, stadium, market, parliament, rail, night, field, sea, factory,
        snow, river, temple, border,
    ];
    paint[scene as usize](&mut c, &mut r);
    image::RgbImage::from_fn(width, height, |x, y| {
        // A gentle vignette makes flat shapes feel more like a photograph.
        let (dx, dy) = (x as f32 / w as f32 - 0.5, y as f32 / h as f32 - 0.5);
        let k = 1.0 - 0.45 * (dx * dx + dy * dy);
        let p = c.px[y as usize * w + x as usize];
        image::Rgb([0, 1, 2].map(|i| (p[i] * k).round().clamp(0.0, 255.0) as u8))
    })
}

/// Colour as [r, g, b, opacity], channels 0..255: shapes carry their own opacity.
type Rgb = [f32; 4];
type Pt = (f32, f32);

mod canvas;
mod props;
mod scenes;

use canvas::{Canvas, Rng};
use scenes::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_inputs_give_identical_pixels() {
        for s in Scene::ALL {
            assert_eq!(render(s, 7, 160, 90), render(s, 7, 160, 90), "{s:?}");
        }
    }

    #[test]
    fn different_seeds_give_different_pixels() {
        for s in Scene::ALL {
            assert_ne!(render(s, 1, 160, 90), render(s, 2, 160, 90), "{s:?}");
        }
    }

    #[test]
    fn every_scene_renders_with_detail() {
        for s in Scene::ALL {
            for seed in 0..4 {
                let img = render(s, seed, 160, 90);
                let colours: std::collections::HashSet<_> = img.pixels().map(|p| p.0).collect();
                assert!(
                    colours.len() > 200,
                    "{s:?}/{seed}: {} colours",
                    colours.len()
                );
            }
        }
    }

    #[test]
    fn odd_sizes_do_not_panic() {
        for (i, s) in Scene::ALL.into_iter().enumerate() {
            let (w, h) = [(1, 1), (3, 200), (300, 2), (0, 9), (2000, 40)][i % 5];
            assert_eq!(render(s, 3, w, h).dimensions(), (w, h));
        }
    }

    #[test]
    fn names_round_trip_and_unknown_is_rejected() {
        for s in Scene::ALL {
            assert_eq!(s.name().parse::<Scene>(), Ok(s));
        }
        let err = "volcano".parse::<Scene>().unwrap_err().to_string();
        let names = "city, harbor, mountains, stadium, market, parliament, rail, night, field, \
                     sea, factory, snow, river, temple, border";
        assert_eq!(
            err,
            format!("unknown photo scene 'volcano'; expected one of: {names}")
        );
    }
}
