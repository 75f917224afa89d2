//! Props shared by several scenes: skies and light by time of day, ridges, skylines, trees,
//! people, vehicles, cranes, roofs.

use super::canvas::*;
use super::{Pt, Rgb};
use std::f32::consts::PI;

/// Skies per time of day (top, horizon, sun), light tint, sun height range and the share of lit
/// windows; one time of day per picture so every layer agrees.
pub(super) const SKIES: [[u32; 3]; 4] = [
    [0x3f7fcf, 0xc9e0f2, 0xfff6d8],
    [0x5166a6, 0xf5b26f, 0xffcf7a],
    [0x2a2c66, 0xec8a72, 0xffa36e],
    [0x070b24, 0x243264, 0xf2f0dc],
];
pub(super) const LIGHT: [[f32; 4]; 4] = [
    [1.0, 1.0, 1.0, 1.0],
    [1.0, 0.85, 0.7, 1.0],
    [0.62, 0.54, 0.72, 1.0],
    [0.3, 0.34, 0.5, 1.0],
];
pub(super) const SUN_H: [Pt; 4] = [(0.3, 0.42), (0.04, 0.14), (-0.04, -0.01), (0.28, 0.4)];
pub(super) const LIT: [f32; 4] = [0.0, 0.1, 0.45, 0.5];

pub(super) struct Mood {
    pub(super) top: Rgb,
    pub(super) hor: Rgb,
    pub(super) sun: Rgb,
    pub(super) light: Rgb,
    pub(super) sun_at: Pt,
    pub(super) night: bool,
    pub(super) lit: f32,
}

impl Mood {
    /// `choices` lists allowed times (0 day, 1 golden hour, 2 dusk, 3 night), repeated for weight.
    pub(super) fn new(r: &mut Rng, choices: &[usize]) -> Mood {
        let t = choices[r.int(0, choices.len() - 1)];
        let mut j = |c: u32| mix(rgb(c), rgb(r.next() as u32), 0.1);
        let (top, hor, sun) = (j(SKIES[t][0]), j(SKIES[t][1]), rgb(SKIES[t][2]));
        let sun_at = (r.range(0.15, 0.85), r.range(SUN_H[t].0, SUN_H[t].1));
        let (light, night, lit) = (LIGHT[t], t == 3, LIT[t]);
        Mood {
            top,
            hor,
            sun,
            light,
            sun_at,
            night,
            lit,
        }
    }
    /// Tints an object's own colour by the light, then fades it into the haze with distance.
    pub(super) fn shade(&self, c: Rgb, depth: f32) -> Rgb {
        mix(
            std::array::from_fn(|i| c[i] * self.light[i]),
            self.hor,
            depth,
        )
    }
    pub(super) fn ink(&self, hex: u32, depth: f32) -> Rgb {
        self.shade(rgb(hex), depth)
    }
    pub(super) fn hue(&self, r: &mut Rng, xs: &[u32], depth: f32) -> Rgb {
        self.shade(r.hue(xs), depth)
    }
    pub(super) fn dark(&self) -> bool {
        self.lit > 0.3
    }
    /// A window pane: lit after dark, otherwise mirroring the sky.
    pub(super) fn window(&self, r: &mut Rng, wall: Rgb) -> Rgb {
        if r.chance(self.lit) {
            mix(rgb(0xffcf80), rgb(0xfff0c8), r.f())
        } else if self.dark() {
            scale(wall, 0.6)
        } else {
            mix(wall, self.top, 0.5)
        }
    }
}

pub(super) fn sky(c: &mut Canvas, r: &mut Rng, m: &Mood, hz: f32) {
    let h = c.h as f32;
    c.vgrad(0.0, hz * h, m.top, m.hor);
    c.vgrad(hz * h, h, m.hor, m.hor);
    let s = c.at(m.sun_at.0, hz - m.sun_at.1, 1.0);
    if m.night {
        for _ in 0..160 {
            let (x, y, d) = (r.f(), r.f().powi(2) * hz, r.range(0.3, 1.1) / 450.0);
            let star = rgba(0xfffaeb, r.range(0.3, 1.0));
            c.oval(c.at(x, y, d), [0.0, 0.0, 1.0, 1.0], star);
        }
        c.glow(s, [0.0, 0.0, 0.3], alpha(m.sun, 0.25));
        c.oval(s, [0.0, 0.0, 0.04, 0.04], m.sun);
        for _ in 0..4 {
            let (x, y) = (r.range(-0.02, 0.02), r.range(-0.02, 0.02));
            let e = [x, y, r.range(0.004, 0.01), 0.008];
            c.oval(s, e, alpha(scale(m.sun, 0.88), 0.6));
        }
        return;
    }
    c.glow(s, [0.0, 0.0, 0.7], alpha(m.sun, 0.35));
    c.glow(s, [0.0, 0.0, 0.16], alpha(m.sun, 0.5));
    if m.sun_at.1 > 0.0 {
        c.oval(s, [0.0, 0.0, 0.04, 0.04], mix(m.sun, WHITE, 0.5));
    }
    for _ in 0..r.int(1, 4) {
        let col = m.shade(mix(WHITE, m.hor, r.range(0.1, 0.4)), 0.0);
        let f = c.at(r.f(), r.range(0.1, 0.55) * hz, r.range(0.03, 0.07));
        for _ in 0..r.int(3, 6) {
            let (dx, rr) = (r.range(-2.5, 2.5), r.range(0.6, 1.2));
            c.oval(f, [dx, -rr * 0.3, rr * 1.6, rr * 0.8], col);
        }
    }
}

/// Smooth or ridged 1-D value noise in [-1, 1], 161 samples: hills when smooth, peaks when ridged.
pub(super) fn profile(r: &mut Rng, freq: f32, ridged: bool) -> Vec<f32> {
    let mut out = vec![0.0; 161];
    let (mut amp, mut f, mut tot) = (1.0, freq, 0.0);
    for _ in 0..5 {
        let lat: Vec<f32> = (0..f as usize + 3).map(|_| r.range(-1.0, 1.0)).collect();
        for (i, o) in out.iter_mut().enumerate() {
            let t = i as f32 / 160.0 * f;
            let (j, s) = (t as usize, (1.0 - (t.fract() * PI).cos()) * 0.5);
            let v = lat[j] + (lat[j + 1] - lat[j]) * s;
            *o += amp * if ridged { 1.0 - 2.0 * v.abs() } else { v };
        }
        (tot, amp, f) = (tot + amp, amp * 0.45, f * 2.0);
    }
    out.iter().map(|v| v / tot).collect()
}

/// Polygon between a sampled line `top` (spread over x = 0..1) and a lower edge derived from it.
pub(super) fn strip(top: &[f32], mut bot: impl FnMut(f32) -> f32) -> Vec<f32> {
    let x = |i: usize| i as f32 / (top.len() - 1) as f32;
    let mut xy: Vec<f32> = top
        .iter()
        .enumerate()
        .flat_map(|(i, &y)| [x(i), y])
        .collect();
    let lower: Vec<f32> = top
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(i, &y)| [x(i), bot(y)])
        .collect();
    xy.extend(lower);
    xy
}

/// Fills a landform ([base, amplitude, frequency] in scene units) from its skyline to the bottom;
/// returns the skyline so things can stand on it.
pub(super) fn ridge(c: &mut Canvas, r: &mut Rng, b: [f32; 3], ridged: bool, col: Rgb) -> Vec<f32> {
    let p = profile(r, b[2], ridged);
    let ys: Vec<f32> = p.iter().map(|v| b[0] - v * b[1]).collect();
    c.sh(c.full(), &strip(&ys, |_| 1.01), col);
    ys
}

pub(super) fn at(ys: &[f32], x: f32) -> f32 {
    ys[(x.clamp(0.0, 1.0) * 160.0) as usize]
}

pub(super) fn snowcap(c: &mut Canvas, r: &mut Rng, ys: &[f32], line: f32, col: Rgb) {
    let cap = strip(ys, |y| y.max(line + r.range(-0.012, 0.012)));
    c.sh(c.full(), &cap, col);
}

/// A grid of windows filling box `b` of frame `f`.
pub(super) fn windows(c: &mut Canvas, r: &mut Rng, m: &Mood, f: Fr, b: [f32; 4], wall: Rgb) {
    let ((x0, y0), (x1, y1)) = (f.p(b[0], b[1]), f.p(b[2], b[3]));
    let cell = (c.h as f32 * 0.016).max(1.5);
    let cols = ((x1 - x0) / cell).max(0.0) as usize;
    let pad = (x1 - x0 - cols as f32 * cell) / 2.0 + cell * 0.2;
    for j in 0..((y1 - y0) / cell / 1.4).max(0.0) as usize {
        for i in 0..cols {
            let (x, y) = (x0 + pad + i as f32 * cell, y0 + j as f32 * cell * 1.4);
            let col = alpha(m.window(r, wall), 0.9);
            c.bx(Fr(x, y, cell, cell), [0.0, 0.0, 0.6, 0.8], col);
        }
    }
}

/// A row of buildings; `b` is [base, lowest, tallest, haze] in scene units.
pub(super) fn skyline(c: &mut Canvas, r: &mut Rng, m: &Mood, b: [f32; 4], win: bool) {
    let aspect = c.w as f32 / c.h as f32;
    let greys = [0x6b7280, 0x8c8376, 0x56677a, 0x7a6459, 0x9aa0a6, 0x4d5561];
    let mut x = -r.range(0.0, 0.05);
    while x < 1.0 {
        let (bw, t) = (r.range(0.035, 0.09) * aspect, -r.range(b[1], b[2]));
        let (f, col) = (c.at(x, b[0], 1.0), m.hue(r, &greys, b[3]));
        c.bx(f, [0.0, t, bw, 0.0], col);
        c.bx(f, [bw * 0.8, t, bw, 0.0], scale(col, 0.85));
        let (top, roof) = (t + 0.002, r.int(0, 4));
        match roof {
            0 => c.bx(f, [bw * 0.15, t - bw * 0.25, bw * 0.85, top], col),
            1 => c.bx(f, [bw * 0.47, t - bw * 0.8, bw * 0.53, t], col),
            2 => c.sh(f, &[0.0, top, bw * 0.5, t - bw * 0.4, bw, top], col),
            _ => {}
        }
        if roof == 1 && m.dark() {
            c.glow(f, [bw * 0.5, t - bw * 0.8, 0.012], rgba(0xff3a2a, 0.9));
        }
        if win {
            windows(c, r, m, f, [bw * 0.06, t + 0.012, bw * 0.94, -0.01], col);
        }
        x += bw / aspect + r.range(-0.012, 0.006);
    }
}

pub(super) fn tree(c: &mut Canvas, r: &mut Rng, f: Fr, col: Rgb) {
    c.bx(f, [-0.05, -0.5, 0.05, 0.0], mix(col, rgb(0x3a2a1e), 0.6));
    for _ in 0..4 {
        let (dx, dy, rr) = (r.range(-0.2, 0.2), r.range(-0.8, -0.55), r.range(0.2, 0.3));
        c.oval(f, [dx, dy, rr, rr], col);
    }
    c.oval(
        f,
        [-0.08, -0.8, 0.14, 0.12],
        alpha(mix(col, WHITE, 0.15), 0.5),
    );
}

pub(super) fn pine(c: &mut Canvas, f: Fr, col: Rgb, snow: Option<Rgb>) {
    c.bx(f, [-0.04, -0.2, 0.04, 0.0], scale(col, 0.6));
    for t in [0.0, 1.0, 2.0] {
        let (y, d, hw) = (-1.0 + t * 0.25, 0.55 - t * 0.1, 0.16 + 0.07 * t);
        c.sh(f, &[0.0, y, hw, y + d, -hw, y + d], col);
        if let Some(s) = snow {
            let cap = [0.0, y, hw * 0.6, y + d * 0.6, 0.0, y + d * 0.45];
            c.sh(f, &[&cap[..], &[-hw * 0.7, y + d * 0.7]].concat(), s);
        }
    }
}

pub(super) fn person(c: &mut Canvas, f: Fr, col: Rgb) {
    let dark = scale(col, 0.4);
    c.oval(f, [0.0, -0.9, 0.08, 0.095], dark);
    c.sh(
        f,
        &[-0.15, -0.78, 0.15, -0.78, 0.12, -0.42, -0.12, -0.42],
        col,
    );
    c.bx(f, [-0.1, -0.45, -0.015, 0.0], dark);
    c.bx(f, [0.015, -0.45, 0.1, 0.0], dark);
}

pub(super) fn car(c: &mut Canvas, f: Fr, col: Rgb, lights: bool) {
    let glass = mix(col, rgb(0x1a2530), 0.7);
    c.sh(f, &[0.2, -0.26, 0.3, -0.42, 0.7, -0.42, 0.82, -0.26], glass);
    c.bx(f, [0.0, -0.28, 1.0, -0.08], col);
    c.oval(f, [0.2, -0.08, 0.09, 0.09], rgb(0x1c1c1c));
    c.oval(f, [0.8, -0.08, 0.09, 0.09], rgb(0x1c1c1c));
    if lights {
        c.glow(f, [1.0, -0.2, 0.25], rgba(0xfff2c0, 0.8));
    }
}

/// A container gantry crane, unit = height; `d` = 1.0 or -1.0 points the boom right or left.
pub(super) fn crane(c: &mut Canvas, f: Fr, col: Rgb, d: f32) {
    let g = Fr(f.0 + f.2 * 0.17, f.1, f.2 * d, f.3);
    for x in [-0.17, 0.17] {
        c.bx(g, [x - 0.015, -1.0, x + 0.015, 0.0], col);
        c.ln(g, [x, -1.0, 0.0, -1.28], 0.025, col);
    }
    c.bx(g, [-0.17, -0.4, 0.17, -0.36], col);
    c.ln(g, [-0.17, -0.36, 0.17, -0.9], 0.012, col);
    c.bx(g, [-0.45, -1.0, 1.1, -0.96], col);
    c.ln(g, [0.0, -1.28, -0.45, -1.0], 0.01, col);
    c.ln(g, [0.0, -1.28, 1.1, -1.0], 0.01, col);
    c.bx(g, [-0.2, -0.96, -0.02, -0.88], col);
    c.ln(g, [0.75, -0.97, 0.75, -0.5], 0.006, col);
    c.bx(g, [0.68, -0.5, 0.82, -0.47], col);
}

/// An upturned East Asian roof; frame origin at the eave's centre, x unit = half width.
pub(super) fn roof(c: &mut Canvas, f: Fr, col: Rgb) {
    let slope = |t: f32| [-1.0 + 0.8 * t, -0.35 - 0.65 * t * t];
    let mut xy: Vec<f32> = (0..=10).flat_map(|i| slope(i as f32 / 10.0)).collect();
    let right: Vec<f32> = xy.chunks(2).rev().flat_map(|p| [-p[0], p[1]]).collect();
    xy.extend(right);
    xy.extend([0.85, 0.12, -0.85, 0.12]);
    c.sh(f, &xy, col);
    c.bx(f, [-0.85, 0.05, 0.85, 0.12], scale(col, 0.6));
}

/// A stone bridge or viaduct: box `b` in frame `f` with arched openings between the x pairs in
/// `gaps`; `arch` is (springing line y, rise).
pub(super) fn arches(c: &mut Canvas, f: Fr, b: [f32; 4], gaps: &[f32], arch: Pt, col: Rgb) {
    let (p, q) = (f.p(b[0], b[1]), f.p(b[2], b[3]));
    let mut shapes = vec![vec![p, (q.0, p.1), q, (p.0, q.1)]];
    for g in gaps.chunks_exact(2) {
        let (cx, rx) = ((g[0] + g[1]) / 2.0, (g[1] - g[0]) / 2.0);
        let mut hole = vec![f.p(g[1], b[3])];
        hole.extend(arc(f.p(cx, arch.0), rx * f.2, arch.1 * f.3, 0.0, PI));
        hole.push(f.p(g[0], b[3]));
        shapes.push(hole);
    }
    let refs: Vec<&[Pt]> = shapes.iter().map(|s| s.as_slice()).collect();
    c.fill(&refs, col);
}
