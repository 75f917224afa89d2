//! The stand-in image for archive photos whose pixels the dump did not keep: a quiet grey
//! frame with a simple camera outline, clearly not a photograph, so nobody mistakes it for
//! the original picture.

use image::{ImageEncoder, Rgb, RgbImage};
use std::sync::LazyLock;

pub struct Placeholder {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 675;

static IMAGE: LazyLock<Placeholder> = LazyLock::new(|| {
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([226, 224, 219]));
    let ink = Rgb([168, 164, 156]);
    let (cx, cy) = (WIDTH as i64 / 2, HEIGHT as i64 / 2);
    for y in 0..HEIGHT as i64 {
        for x in 0..WIDTH as i64 {
            let (dx, dy) = (x - cx, y - cy);
            let body =
                dx.abs() <= 90 && (dy + 5).abs() <= 55 && (dx.abs() >= 84 || (dy + 5).abs() >= 49);
            let top = (dx + 25).abs() <= 30 && (-75..=-60).contains(&dy);
            let r2 = dx * dx + (dy + 5) * (dy + 5);
            let lens = (30 * 30..=36 * 36).contains(&r2);
            if body || top || lens {
                img.put_pixel(x as u32, y as u32, ink);
            }
        }
    }
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(img.as_raw(), WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
        .expect("encoding a PNG in memory cannot fail");
    Placeholder {
        bytes,
        width: WIDTH,
        height: HEIGHT,
    }
});

pub fn image() -> &'static Placeholder {
    &IMAGE
}
