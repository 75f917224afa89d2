//! The drawing kit under the scenes: colours, a seeded random source, frames and a canvas
//! that fills shapes with soft edges.

use super::{Pt, Rgb};

pub(super) const WHITE: Rgb = [255.0, 255.0, 255.0, 1.0];

pub(super) fn rgb(hex: u32) -> Rgb {
    let ch = |s: u32| (hex >> s & 0xff) as f32;
    [ch(16), ch(8), ch(0), 1.0]
}

pub(super) fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    std::array::from_fn(|i| a[i] + (b[i] - a[i]) * t)
}

pub(super) fn scale(a: Rgb, k: f32) -> Rgb {
    [a[0] * k, a[1] * k, a[2] * k, a[3]]
}

pub(super) fn alpha(a: Rgb, k: f32) -> Rgb {
    [a[0], a[1], a[2], a[3] * k]
}

pub(super) fn rgba(hex: u32, k: f32) -> Rgb {
    alpha(rgb(hex), k)
}

/// SplitMix64: tiny and stable across platforms and crate versions, unlike `rand`'s generators.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(super) fn f(&mut self) -> f32 {
        (self.next() >> 40) as f32 / 16_777_216.0
    }
    pub(super) fn range(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * self.f()
    }
    /// Inclusive on both ends.
    pub(super) fn int(&mut self, a: usize, b: usize) -> usize {
        a + (self.next() % (b - a + 1) as u64) as usize
    }
    pub(super) fn chance(&mut self, p: f32) -> bool {
        self.f() < p
    }
    pub(super) fn hue(&mut self, xs: &[u32]) -> Rgb {
        rgb(xs[self.int(0, xs.len() - 1)])
    }
}

/// A local frame (origin x, origin y, x unit, y unit): each object's geometry is written once in
/// its own units and then placed and scaled, which keeps it independent of the output size.
#[derive(Clone, Copy)]
pub(super) struct Fr(
    pub(super) f32,
    pub(super) f32,
    pub(super) f32,
    pub(super) f32,
);

impl Fr {
    pub(super) fn p(self, x: f32, y: f32) -> Pt {
        (self.0 + x * self.2, self.1 + y * self.3)
    }
}

/// Points on an elliptical arc from angle `a0` to `a1` (radians, counter-clockwise, y up).
pub(super) fn arc(c: Pt, rx: f32, ry: f32, a0: f32, a1: f32) -> Vec<Pt> {
    let ang = |i: usize| a0 + (a1 - a0) * i as f32 / 24.0;
    let pt = |a: f32| (c.0 + rx * a.cos(), c.1 - ry * a.sin());
    (0..=24).map(|i| pt(ang(i))).collect()
}

/// Float canvas: blending in f32 keeps many translucent layers from banding.
pub(super) struct Canvas {
    pub(super) w: usize,
    pub(super) h: usize,
    pub(super) px: Vec<Rgb>,
    pub(super) cov: Vec<f32>,
}

impl Canvas {
    pub(super) fn dims(&self) -> (f32, f32) {
        (self.w as f32, self.h as f32)
    }
    /// Scene coordinates: x as a fraction of the width, y as a fraction of the height.
    pub(super) fn full(&self) -> Fr {
        Fr(0.0, 0.0, self.w as f32, self.h as f32)
    }
    /// An object frame at scene position (x, y) whose unit is `s` of the picture height.
    pub(super) fn at(&self, x: f32, y: f32, s: f32) -> Fr {
        let h = self.h as f32;
        Fr(x * self.w as f32, y * h, s * h, s * h)
    }
    pub(super) fn put(&mut self, i: usize, c: Rgb, cover: f32) {
        let (p, a) = (&mut self.px[i], cover * c[3]);
        (0..3).for_each(|k| p[k] += (c[k] - p[k]) * a);
    }
    /// Even-odd scanline fill over several contours (so shapes can have holes), with four
    /// sub-scanlines and exact horizontal coverage for soft edges.
    pub(super) fn fill(&mut self, shapes: &[&[Pt]], col: Rgb) {
        const S: usize = 4;
        let (w, wf, k) = (self.w, self.w as f32, 1.0 / S as f32);
        let mut edges = Vec::new();
        let (mut lo, mut hi) = (f32::MAX, f32::MIN);
        for s in shapes {
            for (i, &a) in s.iter().enumerate() {
                let b = s[(i + 1) % s.len()];
                if a.1 != b.1 {
                    edges.push((a, b));
                }
                (lo, hi) = (lo.min(a.1), hi.max(a.1));
            }
        }
        let mut xs: Vec<f32> = Vec::new();
        for y in lo.max(0.0) as usize..(hi.ceil().max(0.0) as usize).min(self.h) {
            let (mut x0, mut x1) = (w, 0);
            for s in 0..S {
                let sy = y as f32 + (s as f32 + 0.5) * k;
                xs.clear();
                for &((ax, ay), (bx, by)) in &edges {
                    if (ay <= sy) != (by <= sy) {
                        xs.push(ax + (sy - ay) / (by - ay) * (bx - ax));
                    }
                }
                xs.sort_by(f32::total_cmp);
                for p in xs.chunks_exact(2) {
                    let (a, b) = (p[0].clamp(0.0, wf), p[1].clamp(0.0, wf));
                    let (ia, ib) = (a as usize, b as usize);
                    if b <= a {
                        continue;
                    } else if ia == ib {
                        self.cov[ia] += (b - a) * k;
                    } else {
                        self.cov[ia] += (ia as f32 + 1.0 - a) * k;
                        self.cov[ia + 1..ib].iter_mut().for_each(|v| *v += k);
                        self.cov[ib] += (b - ib as f32) * k;
                    }
                    (x0, x1) = (x0.min(ia), x1.max((ib + 1).min(w)));
                }
            }
            for x in x0..x1 {
                let a = self.cov[x].min(1.0);
                self.cov[x] = 0.0;
                if a > 0.0 {
                    self.put(y * w + x, col, a);
                }
            }
        }
    }
    pub(super) fn poly(&mut self, pts: &[Pt], col: Rgb) {
        self.fill(&[pts], col);
    }
    /// Polygon from flat x, y pairs in frame `f`.
    pub(super) fn sh(&mut self, f: Fr, xy: &[f32], col: Rgb) {
        let pts: Vec<Pt> = xy.chunks_exact(2).map(|p| f.p(p[0], p[1])).collect();
        self.poly(&pts, col);
    }
    /// Axis-aligned box [x0, y0, x1, y1] in frame `f`, with exact area coverage at its edges.
    pub(super) fn bx(&mut self, f: Fr, b: [f32; 4], col: Rgb) {
        let ((ax, ay), (bx, by), (w, h)) = (f.p(b[0], b[1]), f.p(b[2], b[3]), self.dims());
        let (x0, x1) = (ax.min(bx).max(0.0), ax.max(bx).min(w));
        let (y0, y1) = (ay.min(by).max(0.0), ay.max(by).min(h));
        if !(x1 > x0 && y1 > y0) {
            return;
        }
        for y in y0 as usize..(y1.ceil() as usize).min(self.h) {
            let cy = y1.min(y as f32 + 1.0) - y0.max(y as f32);
            for x in x0 as usize..(x1.ceil() as usize).min(self.w) {
                let cx = x1.min(x as f32 + 1.0) - x0.max(x as f32);
                self.put(y * self.w + x, col, (cx * cy).max(0.0));
            }
        }
    }
    /// Line of width `wd` (in the frame's y unit) from (x0, y0) to (x1, y1).
    pub(super) fn ln(&mut self, f: Fr, l: [f32; 4], wd: f32, col: Rgb) {
        let (a, b) = (f.p(l[0], l[1]), f.p(l[2], l[3]));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let k = wd * f.3 / 2.0 / (dx * dx + dy * dy).sqrt().max(1e-6);
        let (nx, ny) = (-dy * k, dx * k);
        let (p, q) = ((a.0 + nx, a.1 + ny), (b.0 + nx, b.1 + ny));
        self.poly(&[p, q, (b.0 - nx, b.1 - ny), (a.0 - nx, a.1 - ny)], col);
    }
    pub(super) fn polyline(&mut self, pts: &[Pt], wd: f32, col: Rgb) {
        for p in pts.windows(2) {
            let px = Fr(0.0, 0.0, 1.0, 1.0);
            self.ln(px, [p[0].0, p[0].1, p[1].0, p[1].1], wd, col);
        }
    }
    /// Visits an ellipse's bounding box; `f` maps normalised distance from the centre to cover.
    pub(super) fn disc(&mut self, c: Pt, rx: f32, ry: f32, col: Rgb, f: impl Fn(f32) -> f32) {
        if !(rx > 0.0 && ry > 0.0) {
            return;
        }
        let e = 1.0 + 1.0 / rx.min(ry);
        let y1 = ((c.1 + ry * e + 1.0).max(0.0) as usize).min(self.h);
        for y in (c.1 - ry * e - 1.0).max(0.0) as usize..y1 {
            let dy = (y as f32 + 0.5 - c.1) / ry;
            // Only the part of the row that the ellipse can touch.
            let half = rx * (e * e - dy * dy).max(0.0).sqrt() + 1.0;
            let x0 = (c.0 - half).max(0.0) as usize;
            for x in x0..((c.0 + half + 1.0).max(0.0) as usize).min(self.w) {
                let dx = (x as f32 + 0.5 - c.0) / rx;
                let a = f((dx * dx + dy * dy).sqrt());
                if a > 0.0 {
                    self.put(y * self.w + x, col, a);
                }
            }
        }
    }
    /// Anti-aliased ellipse [cx, cy, rx, ry] in frame `f`.
    pub(super) fn oval(&mut self, f: Fr, e: [f32; 4], col: Rgb) {
        let (rx, ry) = (e[2] * f.2, e[3] * f.3);
        let m = rx.min(ry);
        let cover = |d: f32| ((1.0 - d) * m + 0.5).clamp(0.0, 1.0);
        self.disc(f.p(e[0], e[1]), rx, ry, col, cover);
    }
    /// Soft radial light [cx, cy, radius] (radius in the frame's y unit).
    pub(super) fn glow(&mut self, f: Fr, g: [f32; 3], col: Rgb) {
        let rad = g[2] * f.3;
        let cover = |d: f32| (1.0 - d).max(0.0).powi(2);
        self.disc(f.p(g[0], g[1]), rad, rad, col, cover);
    }
    pub(super) fn vgrad(&mut self, y0: f32, y1: f32, top: Rgb, bot: Rgb) {
        for y in y0.max(0.0) as usize..(y1.ceil().max(0.0) as usize).min(self.h) {
            let t = ((y as f32 + 0.5 - y0) / (y1 - y0)).clamp(0.0, 1.0);
            self.px[y * self.w..(y + 1) * self.w].fill(mix(top, bot, t));
        }
    }
    /// Translucent band over rows `y` (scene units) whose opacity ramps from `a.0` to `a.1`:
    /// mist, haze, floodlight wash.
    pub(super) fn fade(&mut self, y: Pt, col: Rgb, a: Pt) {
        let (y0, y1) = (y.0 * self.h as f32, y.1 * self.h as f32);
        for row in y0.max(0.0) as usize..(y1.ceil().max(0.0) as usize).min(self.h) {
            let t = ((row as f32 - y0) / (y1 - y0)).clamp(0.0, 1.0);
            let c = alpha(col, a.0 + (a.1 - a.0) * t);
            (0..self.w).for_each(|x| self.put(row * self.w + x, c, 1.0));
        }
    }
    /// Mirrors what is above `axis` into the water below it, broken into ripple bands and tinted.
    /// `span` gives the water's horizontal extent per row, since a river is narrower than the sea.
    pub(super) fn reflect(&mut self, axis: f32, span: impl Fn(f32) -> Pt, tint: Rgb, k: f32) {
        let (w, u) = (self.w, self.h as f32 / 400.0);
        for y in axis.max(0.0) as usize + 1..self.h {
            let d = (y as f32 - axis) / u;
            let sy = (axis - d * u * 0.85).max(0.0) as usize;
            let mut n = Rng((d / 2.5) as u64);
            let off = (n.f() - 0.5) * (1.0 + d * 0.05) * u * 2.0;
            let shade = 1.0 - 0.12 * n.f();
            let (a, b) = span(y as f32);
            for x in a.max(0.0) as usize..(b.max(0.0) as usize).min(w) {
                let sx = (x as f32 + off).clamp(0.0, (w - 1) as f32) as usize;
                self.px[y * w + x] = scale(mix(self.px[sy * w + sx], tint, k), shade);
            }
        }
    }
}
