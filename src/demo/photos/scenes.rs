//! The fifteen scenes, each painted from the kit and the props.

use super::canvas::*;
use super::props::*;
use super::{Pt, Rgb};
use std::f32::consts::PI;

pub(super) fn city(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 0, 1, 1, 2]), c.full(), 0.76);
    sky(c, r, &m, hz);
    skyline(c, r, &m, [hz, 0.22, 0.45, 0.6], false);
    skyline(c, r, &m, [hz, 0.08, 0.5, 0.22], true);
    c.bx(f, [0.0, hz, 1.0, 1.0], m.ink(0x45484e, 0.05));
    c.bx(f, [0.0, hz, 1.0, hz + 0.035], m.ink(0xa29c92, 0.1));
    for k in 0..10 {
        let x = k as f32 * 0.11 - 0.03;
        c.bx(
            f,
            [x, hz + 0.15, x + 0.06, hz + 0.158],
            m.ink(0xd8d8d8, 0.1),
        );
    }
    for _ in 0..r.int(3, 6) {
        let t = c.at(r.f(), hz + 0.03, r.range(0.12, 0.17));
        tree(c, r, t, m.ink(0x3f7a3a, 0.1));
    }
    let paints = [0xc0392b, 0x2d6cb5, 0xf0f0f0, 0x222222, 0xe6b422];
    for lane in [0.0, 1.0] {
        for _ in 0..r.int(1, 3) {
            let s = (0.1 + 0.02 * lane) * c.w as f32 / c.h as f32;
            let g = c.at(r.range(-0.1, 1.0), hz + 0.12 + 0.11 * lane, s);
            car(c, g, m.hue(r, &paints, 0.0), m.dark());
        }
    }
}

pub(super) fn night(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[3]), c.full(), 0.66);
    sky(c, r, &m, hz);
    for _ in 0..5 {
        c.glow(f, [r.f(), hz, 0.4], rgba(0xd8894a, 0.15));
    }
    skyline(c, r, &m, [hz, 0.15, 0.4, 0.45], true);
    skyline(c, r, &m, [hz, 0.06, 0.32, 0.12], true);
    c.bx(f, [0.0, hz - 0.012, 1.0, hz + 0.002], rgb(0x26262c));
    for k in 0..9 {
        let l = c.at(k as f32 * 0.12 + 0.04, hz, 1.0);
        c.bx(l, [-0.002, -0.07, 0.002, 0.0], rgb(0x1a1a20));
        c.glow(l, [0.0, -0.07, 0.05], rgba(0xffd58a, 0.8));
    }
    c.reflect(hz * f.3, |_| (0.0, f.2), m.top, 0.35);
    for _ in 0..150 {
        let (x, y, l) = (r.f(), hz + (1.0 - hz) * r.f(), r.range(0.02, 0.12));
        c.bx(f, [x, y, x + l, y + 0.002], alpha(m.top, 0.5));
    }
}

pub(super) fn harbor(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 0, 1, 2]), c.full(), 0.64);
    let (q, aspect) = (hz - 0.03, f.2 / f.3);
    let boxes = [0xb5452f, 0x2f6fb5, 0xd9a13b, 0x3b8a5a, 0x8a8f96, 0xc2612e];
    sky(c, r, &m, hz);
    ridge(c, r, [hz - 0.04, 0.1, 2.0], false, m.ink(0x5d7a6a, 0.65));
    c.bx(f, [0.0, q, 1.0, hz + 0.002], m.ink(0x8d8a84, 0.15));
    // `n` stacked containers standing on frame `g`, which is in picture heights.
    let cw = 0.05 * aspect;
    let stack = |c: &mut Canvas, r: &mut Rng, g: Fr, n: usize| {
        for k in 0..n {
            let (col, y) = (m.hue(r, &boxes, 0.2), -0.028 * (k + 1) as f32);
            c.bx(g, [0.0, y, cw * 0.97, y + 0.027], col);
            for i in 1..6 {
                let x = cw * i as f32 / 6.0;
                c.bx(g, [x, y, x + 0.002, y + 0.027], alpha(scale(col, 0.7), 0.7));
            }
        }
    };
    for k in 0..21 {
        let n = r.int(0, 4);
        stack(c, r, c.at(k as f32 * 0.05 - 0.02, q, 1.0), n);
    }
    for i in 0..r.int(2, 3) {
        let x = 0.1 + 0.3 * i as f32 + r.range(0.0, 0.12);
        let g = c.at(x, q, r.range(0.32, 0.4));
        let col = m.hue(r, &[0xd9832b, 0x2d5fa0, 0xc23b32], 0.2);
        crane(c, g, col, if r.chance(0.5) { 1.0 } else { -1.0 });
    }
    // The ship, in units of its hull height; `l` is its length.
    let s = c.at(r.range(-0.1, 0.45), hz, 0.07);
    let l = r.range(0.35, 0.5) * aspect / 0.07;
    let (hull, white) = (
        m.hue(r, &[0x28323f, 0x7a2222, 0x1f4a6b], 0.05),
        m.shade(WHITE, 0.1),
    );
    c.sh(s, &[0.0, -1.0, l + 0.9, -1.15, l, 0.02, 0.3, 0.02], hull);
    c.bx(s, [0.1, -0.75, l + 0.5, -0.68], white);
    c.bx(s, [0.3, -2.6, 1.8, -0.98], white);
    c.bx(s, [0.3, -2.35, 1.8, -2.15], rgba(0x203040, 0.9));
    c.bx(s, [0.8, -3.2, 1.3, -2.6], m.ink(0xb03a2e, 0.05));
    for k in 0..((l - 2.5) * 0.07 / cw) as usize {
        let x = s.0 / f.2 + (2.2 * 0.07 + k as f32 * cw) / aspect;
        let n = r.int(1, 3);
        stack(c, r, c.at(x, hz - 0.07, 1.0), n);
    }
    let (tint, glint) = (mix(m.top, rgb(0x1d3a4f), 0.5), mix(m.hor, WHITE, 0.3));
    c.reflect(hz * f.3, |_| (0.0, f.2), tint, 0.45);
    for _ in 0..120 {
        let (x, y, l) = (r.f(), hz + (1.0 - hz) * r.f(), r.range(0.02, 0.1));
        c.bx(f, [x, y, x + l, y + 0.003], alpha(glint, 0.25));
    }
}

pub(super) fn mountains(c: &mut Canvas, r: &mut Rng) {
    let m = Mood::new(r, &[0, 0, 1, 2]);
    sky(c, r, &m, 0.8);
    let (rock, lake) = (r.hue(&[0x5b6b82, 0x6a5f73, 0x4f6b5e]), r.chance(0.5));
    let layers = if lake { 3 } else { 4 };
    for i in 0..layers {
        let t = i as f32 / 3.0;
        let (base, amp) = (0.42 + 0.17 * t, 0.3 - 0.12 * t);
        let col = m.shade(mix(rock, rgb(0x2f4a3a), t), 0.7 - 0.62 * t);
        let ys = ridge(c, r, [base, amp, 1.5 + 2.0 * t], i < 2, col);
        if i < 2 {
            let snow = m.shade(mix(WHITE, rgb(0xb8c8e0), t), 0.5 - 0.3 * t);
            snowcap(c, r, &ys, base - amp * 0.45, snow);
        }
        if i < layers - 1 {
            c.fade((base - amp * 0.2, base + amp * 0.6), m.hor, (0.0, 0.4));
            continue;
        }
        for _ in 0..40 {
            let x = r.f();
            let g = c.at(x, at(&ys, x) + 0.03, r.range(0.05, 0.11));
            pine(c, g, scale(col, 0.75), None);
        }
    }
    let dark = m.ink(0x1f3a2a, 0.05);
    if lake {
        for _ in 0..70 {
            let g = c.at(r.f(), 0.762, r.range(0.03, 0.08));
            pine(c, g, dark, None);
        }
        let (w, h) = c.dims();
        c.reflect(0.76 * h, |_| (0.0, w), mix(m.top, m.hor, 0.5), 0.3);
        return;
    }
    c.fade((0.75, 1.0), m.ink(0x8aa050, 0.0), (0.0, 0.5));
    for _ in 0..r.int(2, 5) {
        let x = r.range(-0.05, 0.25) + if r.chance(0.5) { 0.0 } else { 0.8 };
        let g = c.at(x, 1.02, r.range(0.25, 0.4));
        pine(c, g, dark, None);
    }
}

pub(super) fn stadium(c: &mut Canvas, r: &mut Rng) {
    let (m, f, (w, h)) = (Mood::new(r, &[0, 2, 3, 3]), c.full(), c.dims());
    let (roof, py, pf) = (r.range(0.17, 0.23), 0.47, 0.5);
    // Floodlit colours keep their daylight look after dark.
    let lit = |col: Rgb| mix(m.shade(col, 0.0), col, if m.dark() { 0.8 } else { 0.0 });
    sky(c, r, &m, roof + 0.05);
    let steel = m.ink(0x555a60, 0.2);
    for x in [0.08, 0.36, 0.64, 0.92] {
        let g = c.at(x + r.range(-0.03, 0.03), roof, 1.0);
        c.bx(g, [-0.006, -0.15, 0.006, 0.0], steel);
        c.bx(g, [-0.06, -0.2, 0.06, -0.14], steel);
        for j in 0..8 {
            let x = -0.052 + (j % 4) as f32 * 0.027;
            let y = -0.195 + (j / 4) as f32 * 0.028;
            c.bx(g, [x, y, x + 0.02, y + 0.02], rgb(0xfffbe8));
        }
        if m.dark() {
            c.glow(g, [0.0, -0.17, 0.25], rgba(0xfff6da, 0.6));
        }
    }
    c.bx(f, [0.0, roof, 1.0, py], m.ink(0x4b5058, 0.1));
    let fans = [0xd23c3c, 0xf0f0f0, 0x2d5fb0, 0xf2c230, 0x30343a, 0xe58a3a];
    let step = (h * 0.011).max(1.0);
    let mut y = (roof + 0.02) * h;
    while y < (py - 0.03) * h {
        for i in 0..(w / step) as usize {
            let col = alpha(lit(m.hue(r, &fans, 0.1)), r.range(0.5, 0.95));
            let g = Fr(i as f32 * step, y, step, step);
            c.bx(g, [0.0, 0.0, 0.85, 0.85], col);
        }
        y += step * if r.chance(0.1) { 2.0 } else { 1.0 };
    }
    c.bx(f, [0.0, roof - 0.05, 1.0, roof], scale(steel, 0.6));
    c.bx(f, [0.0, roof - 0.006, 1.0, roof], mix(steel, WHITE, 0.4));
    for k in 0..13 {
        let col = r.hue(&[0x1f4fa0, 0xe23b3b, 0xf2c230, 0x2a9d5a]);
        let x = k as f32 * 0.08;
        c.bx(f, [x, py - 0.03, x + 0.08, py], lit(col));
    }
    // Pitch coordinates: u along the touchline, v from the far side (0) to the near side (1).
    let px = |u: f32, v: f32| (0.12 - 0.52 * v + (0.76 + 1.04 * v) * u) * w;
    let pp = |u: f32, v: f32| (px(u, v), (pf + 0.7 * v) * h);
    c.bx(f, [0.0, py, 1.0, 1.0], lit(rgb(0x3e8e41)));
    let (v0, v1) = ((py - pf) / 0.7, (1.0 - pf) / 0.7);
    for k in (-6..20).step_by(2) {
        let (u0, u1) = (k as f32 / 14.0, (k + 1) as f32 / 14.0);
        let stripe = [pp(u0, v0), pp(u1, v0), pp(u1, v1), pp(u0, v1)];
        c.poly(&stripe, lit(rgb(0x4b9f4a)));
    }
    let white = lit(rgb(0xf2f2f2));
    let chalk = |c: &mut Canvas, uv: &[Pt]| {
        let pts: Vec<Pt> = uv.iter().map(|p| pp(p.0, p.1)).collect();
        c.polyline(&pts, h * 0.004, white);
    };
    chalk(
        c,
        &[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)],
    );
    chalk(c, &[(0.5, 0.0), (0.5, 1.0)]);
    chalk(c, &arc((0.5, 0.5), 0.087, 0.135, 0.0, 2.0 * PI));
    for (a, b) in [(0.0, 0.157), (1.0, 0.843)] {
        chalk(c, &[(a, 0.205), (b, 0.205), (b, 0.795), (a, 0.795)]);
        let (p, q, g) = (pp(a, 0.45), pp(a, 0.55), h * 0.045);
        let goal = [p, (p.0, p.1 - g), (q.0, q.1 - g * 1.1), q];
        c.polyline(&goal, h * 0.005, white);
    }
    let home = r.hue(&[0xd22b2b, 0xf2c230, 0xffffff]);
    let away = r.hue(&[0x1f4fa0, 0x1b1b1b, 0x2a9d5a]);
    for i in 0..18 {
        let v = r.range(0.08, 0.65);
        let (x, y) = pp(r.range(0.05, 0.95), v);
        let kit = if i % 2 == 0 { home } else { away };
        person(c, c.at(x / w, y / h, 0.035 + 0.06 * v), lit(kit));
    }
    if m.dark() {
        c.fade((py, 1.0), rgb(0xfffbe8), (0.12, 0.0));
    }
}

pub(super) fn market(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 0, 1, 2]), c.full(), 0.7);
    let aspect = f.2 / f.3;
    sky(c, r, &m, hz);
    let walls = [0xd9a066, 0xc97b63, 0xe3c58d, 0x9fb5a0, 0xb9a4c7, 0xe0d6c2];
    let mut x = -r.range(0.0, 0.1);
    while x < 1.0 {
        let (fw, top) = (r.range(0.1, 0.18) * aspect, r.range(0.12, 0.3));
        let (g, col) = (c.at(x, top, 1.0), m.hue(r, &walls, 0.2));
        c.bx(g, [0.0, 0.0, fw, hz - top], col);
        let gable = [-0.002, 0.002, fw * 0.5, -fw * 0.35, fw + 0.002, 0.002];
        c.sh(g, &gable, m.ink(0x7a4a3a, 0.2));
        let b = [fw * 0.1, 0.03, fw * 0.9, hz - top - 0.12];
        windows(c, r, &m, g, b, col);
        x += fw / aspect;
    }
    c.bx(f, [0.0, hz, 1.0, 1.0], m.ink(0x9b8f80, 0.05));
    if m.dark() {
        // Festoon lights sagging between the facades.
        let sag = |t: f32| (t * f.2, (0.3 + 0.08 * (t * PI * 3.0).sin().abs()) * f.3);
        let pts: Vec<Pt> = (0..=30).map(|i| sag(i as f32 / 30.0)).collect();
        c.polyline(&pts, f.3 * 0.002, rgb(0x222222));
        let bulb = rgba(0xffe2a0, 0.9);
        for p in &pts[1..] {
            c.glow(Fr(p.0, p.1, f.3, f.3), [0.0, 0.01, 0.025], bulb);
        }
    }
    let (n, wood) = (r.int(3, 4), m.ink(0x8a5a36, 0.0));
    let fruit = [0xe8532f, 0xf29b1d, 0x8bc34a, 0xf2d43d, 0x7b3f8c, 0xd8323c];
    for i in 0..n {
        // Stall frame: x spans 0..1 across the stall, y in picture heights.
        let sw = f.2 / n as f32;
        let g = Fr((i as f32 + 0.04) * sw, 0.0, 0.92 * sw, f.3);
        let top = r.range(0.36, 0.42);
        let ca = m.hue(r, &[0xc8372d, 0x2e6db4, 0x2e8b57, 0xe0a21a], 0.0);
        c.bx(g, [0.04, 0.52, 0.96, 0.7], scale(ca, 0.35));
        c.bx(g, [0.02, 0.52, 0.045, 0.85], wood);
        c.bx(g, [0.955, 0.52, 0.98, 0.85], wood);
        for k in 0..8 {
            let (u0, u1) = (k as f32 / 8.0, (k + 1) as f32 / 8.0);
            let col = if k % 2 == 0 { ca } else { m.ink(0xf4efe6, 0.0) };
            let (t0, t1) = (0.07 + u0 * 0.86, 0.07 + u1 * 0.86);
            c.sh(g, &[t0, top, t1, top, u1, 0.52, u0, 0.52], col);
            c.oval(g, [(u0 + u1) / 2.0, 0.52, 1.0 / 16.0, 0.02], col);
        }
        c.bx(g, [0.0, 0.68, 1.0, 0.82], wood);
        c.bx(g, [0.0, 0.68, 1.0, 0.695], mix(wood, WHITE, 0.2));
        for k in 0..3 {
            let (x0, col) = (0.05 + 0.31 * k as f32, m.hue(r, &fruit, 0.0));
            let rad = 0.0225 * g.2 / g.3;
            for j in 0..14 {
                let x = r.range(x0 + 0.02, x0 + 0.23);
                let y = 0.665 - (j / 5) as f32 * rad * 1.2;
                let shine = mix(col, WHITE, r.range(0.0, 0.15));
                c.oval(g, [x, y, 0.0225, rad], shine);
            }
            c.bx(g, [x0, 0.655, x0 + 0.25, 0.69], scale(wood, 0.8));
        }
    }
    let clothes = [0x3a5f8f, 0x8f3a3a, 0x3a7f4f, 0x6f5f4f, 0xd08a2a, 0x444444];
    for _ in 0..r.int(3, 6) {
        let p = c.at(r.f(), r.range(0.93, 1.02), r.range(0.3, 0.4));
        person(c, p, m.hue(r, &clothes, 0.0));
    }
}

/// Tricolour flags for the parliament's flagpole.
pub(super) const FLAGS: [[u32; 3]; 4] = [
    [0xc8102e, 0xffffff, 0x003da5],
    [0x009a44, 0xffffff, 0xc8102e],
    [0x1b1b1b, 0xdd0000, 0xffce00],
    [0x0055a4, 0xffffff, 0x009a44],
];

pub(super) fn parliament(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 0, 1, 2]), c.full(), 0.8);
    sky(c, r, &m, hz);
    for _ in 0..16 {
        let t = c.at(r.f(), hz, r.range(0.12, 0.2));
        tree(c, r, t, m.ink(0x3d6b3f, 0.45));
    }
    let stone = m.hue(r, &[0xe6dcc8, 0xd8cbb0, 0xcfc9c0], 0.08);
    let (dark, light) = (scale(stone, 0.62), mix(stone, WHITE, 0.25));
    // Building frame: x in picture heights from the centre line, y in picture heights from hz.
    let g = c.at(r.range(0.42, 0.58), hz, 1.0);
    let (bw, pw) = (r.range(0.5, 0.65) * f.2 / f.3, r.range(0.3, 0.36));
    let (dw, top, pt) = (pw * r.range(0.4, 0.53), -0.2, -0.27);
    let dt = top - 0.16;
    c.bx(g, [-dw, dt, dw, top], stone);
    for i in 0..12 {
        let x = -dw + 2.0 * dw * (i as f32 + 0.6) / 12.5;
        c.bx(g, [x, dt + 0.025, x + dw * 0.05, top - 0.01], dark);
    }
    c.bx(g, [-dw * 1.06, dt - 0.012, dw * 1.06, dt + 0.005], light);
    let domec = m.hue(r, &[0x7fae9a, 0x9aa3ad, 0xc9a54a, 0xe6dcc8], 0.08);
    let o = g.p(0.0, dt - 0.012);
    let (rx, ry) = (dw * 0.94 * g.2, dw * 0.84 * r.range(0.9, 1.25) * g.3);
    c.poly(&arc(o, rx, ry, 0.0, PI), domec);
    let mut half = arc(o, rx, ry, 0.0, PI / 2.0);
    half.extend(arc(o, 0.0, ry, PI / 2.0, 0.0));
    c.poly(&half, alpha(scale(domec, 0.8), 0.6));
    for k in 1..8 {
        let rib = arc(o, rx * (k as f32 * PI / 8.0).cos(), ry, 0.0, PI / 2.0);
        c.polyline(&rib, g.3 * 0.003, scale(domec, 0.75));
    }
    let lt = dt - 0.012 - ry / g.3;
    c.bx(g, [-dw * 0.1, lt - 0.05, dw * 0.1, lt + 0.005], light);
    c.oval(g, [0.0, lt - 0.05, dw * 0.11, dw * 0.08], domec);
    c.bx(g, [-0.0015, lt - 0.14, 0.0015, lt - 0.05], dark);
    for (k, hex) in FLAGS[r.int(0, 3)].into_iter().enumerate() {
        let y = lt - 0.14 + k as f32 * 0.012;
        c.bx(g, [0.0015, y, 0.055, y + 0.012], m.ink(hex, 0.05));
    }
    let e = bw / 2.0;
    c.bx(g, [-e, top, e, 0.0], stone);
    c.bx(g, [-e - 0.006, top - 0.015, e + 0.006, top], light);
    for row in [0.025, 0.11] {
        let mut x = -e + 0.025;
        while x < e - 0.03 {
            if x > pw / 2.0 + 0.01 || x < -pw / 2.0 - 0.03 {
                let col = m.window(r, dark);
                c.bx(g, [x, top + row, x + 0.018, top + row + 0.05], col);
            }
            x += 0.042;
        }
    }
    let p = pw / 2.0;
    c.bx(g, [-p, pt, p, 0.0], dark);
    let nc = r.int(6, 8) as f32;
    for i in 0..nc as usize {
        let x = -p + pw * (i as f32 + 0.25) / nc;
        c.bx(g, [x, pt + 0.03, x + pw * 0.5 / nc, -0.02], stone);
    }
    let (e, d) = (p + 0.015, p - 0.03);
    c.bx(g, [-e, pt, e, pt + 0.032], light);
    c.sh(g, &[-e, pt, 0.0, pt - 0.07, e, pt], light);
    c.sh(g, &[-d, pt - 0.008, 0.0, pt - 0.055, d, pt - 0.008], stone);
    c.bx(f, [0.0, hz, 1.0, 1.0], m.ink(0xbdb4a4, 0.05));
    for k in 0..4 {
        let (d, col) = (k as f32 * 0.012, scale(light, 1.0 - 0.04 * k as f32));
        c.bx(g, [-e - 2.0 * d, d - 0.02, e + 2.0 * d, d - 0.008], col);
    }
    let (lawn, a, b) = (m.ink(0x5c9a48, 0.0), e + 0.1, e + 0.15 * f.2 / f.3);
    c.sh(g, &[-a, 0.06, -b, 0.3, -9.0, 0.3, -9.0, 0.06], lawn);
    c.sh(g, &[a, 0.06, b, 0.3, 9.0, 0.3, 9.0, 0.06], lawn);
    for x in [r.range(0.02, 0.12), r.range(0.88, 0.98)] {
        tree(c, r, c.at(x, 1.02, 0.35), m.ink(0x35603a, 0.0));
    }
}

pub(super) fn rail(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 0, 1, 2]), c.full(), 0.6);
    let aspect = f.2 / f.3;
    sky(c, r, &m, hz);
    ridge(c, r, [hz - 0.04, 0.12, 2.0], false, m.ink(0x5f7f6a, 0.6));
    ridge(c, r, [hz + 0.06, 0.08, 3.0], false, m.ink(0x4f7a45, 0.3));
    let stone = m.hue(r, &[0xb9a58c, 0xa89a8a, 0xc4b8a0], 0.1);
    let (dy, span, x0) = (r.range(0.4, 0.48), r.range(0.11, 0.16), -r.range(0.0, 0.16));
    let gap = |k: usize, o: f32| x0 + (k as f32 + o) * span;
    let gaps: Vec<f32> = (0..12).flat_map(|k| [gap(k, 0.2), gap(k, 1.0)]).collect();
    let rise = span * 0.4 * aspect;
    arches(
        c,
        f,
        [0.0, dy, 1.0, 1.01],
        &gaps,
        (dy + 0.06 + rise, rise),
        stone,
    );
    for p in gaps.chunks_exact(2) {
        c.bx(
            f,
            [p[0] - span * 0.08, dy + 0.06 + rise, p[0], 1.0],
            scale(stone, 0.85),
        );
    }
    c.bx(f, [0.0, dy - 0.015, 1.0, dy + 0.02], scale(stone, 0.85));
    // The train, in units of its height; `cl` is a carriage's length.
    let livery = m.hue(r, &[0xc0392b, 0x2b5fa8, 0x2f8a4f, 0xe2b23a, 0xe6e6e6], 0.05);
    let (n, cl) = (r.int(3, 6), r.range(0.12, 0.16) * aspect / 0.065);
    let mut g = c.at(r.range(-0.15, 0.35), dy - 0.022, 0.065);
    let (dark, bogie) = (rgb(0x203040), rgb(0x202020));
    for k in 0..n {
        let e = if k == n - 1 { 0.75 } else { 1.0 };
        let body = [0.0, -1.0, cl * e, -1.0, cl, -0.3, cl, 0.0, 0.0, 0.0];
        c.sh(g, &body, livery);
        c.bx(g, [0.0, -1.0, cl * e, -0.92], mix(livery, WHITE, 0.3));
        let (x0, x1) = (cl * 0.05, cl * (e - 0.05));
        c.bx(g, [x0, -0.75, x1, -0.45], m.window(r, dark));
        for p in 1..8 {
            let x = x0 + (x1 - x0) * p as f32 / 8.0;
            c.bx(g, [x, -0.75, x + cl * 0.01, -0.45], livery);
        }
        c.bx(g, [0.0, -0.3, cl * 0.97, -0.24], mix(livery, WHITE, 0.6));
        for b in [0.12, 0.88] {
            c.bx(g, [cl * (b - 0.08), 0.0, cl * (b + 0.08), 0.15], bogie);
        }
        if e < 1.0 {
            let glass = [cl * 0.76, -0.95, cl * 0.97, -0.38, cl * 0.8, -0.45];
            c.sh(g, &glass, dark);
        }
        if e < 1.0 && m.dark() {
            c.glow(g, [cl, -0.2, 0.9], rgba(0xfff2c0, 0.9));
        }
        g.0 += (cl + 0.004 * aspect / 0.065) * g.2;
    }
    for _ in 0..r.int(3, 7) {
        let t = c.at(r.f(), 1.03, r.range(0.15, 0.28));
        tree(c, r, t, m.ink(0x356b35, 0.05));
    }
}

pub(super) fn field(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 1, 1, 2]), c.full(), r.range(0.45, 0.52));
    let fy = hz + 0.035;
    sky(c, r, &m, hz);
    ridge(c, r, [hz, 0.06, 1.5], false, m.ink(0x6f8f6a, 0.6));
    c.bx(f, [0.0, hz + 0.01, 1.0, fy + 0.002], m.ink(0x5e8c3e, 0.3));
    for _ in 0..40 {
        let t = c.at(r.f(), hz + 0.015, r.range(0.03, 0.06));
        tree(c, r, t, m.ink(0x3b5e2f, 0.35));
    }
    // Furrows (soil, crop or wheat) converge on a vanishing point on the horizon.
    let soils = [0x8a5a3b, 0x6e4630, 0x7fa34a, 0x5f8a34, 0xd6b35a, 0xbf9a45];
    let (s, vp) = (2 * r.int(0, 2), r.range(0.3, 0.7));
    let top = |x: f32| vp + (x - vp) * (fy - hz) / (1.0 - hz);
    for i in 0..36 {
        let (x0, x1) = (-1.5 + i as f32 / 9.0, -1.5 + (i + 1) as f32 / 9.0);
        let col = m.ink(soils[s + i % 2], 0.0);
        c.sh(f, &[top(x0), fy, top(x1), fy, x1, 1.0, x0, 1.0], col);
    }
    c.fade((fy, fy + (1.0 - fy) * 0.4), m.hor, (0.35, 0.0));
    // The farm, in units of the farmhouse's wall height.
    let left = r.chance(0.5);
    let x = r.range(0.06, 0.25) + if left { 0.0 } else { 0.49 };
    let g = c.at(x, fy + 0.012, 0.075);
    let (wall, red) = (m.ink(0xefe6d2, 0.15), m.ink(0xa8322a, 0.15));
    c.bx(g, [0.0, -1.0, 1.3, 0.0], wall);
    c.sh(
        g,
        &[-0.1, -1.0, 0.65, -1.6, 1.4, -1.0],
        m.ink(0x5a3a30, 0.15),
    );
    c.bx(g, [0.2, -0.7, 0.45, -0.4], m.window(r, wall));
    c.bx(g, [0.75, -0.6, 1.0, 0.0], scale(wall, 0.6));
    let barn = [1.45, -1.1, 1.7, -1.6, 2.3, -1.85, 2.9, -1.6, 3.15, -1.1];
    c.sh(g, &barn, scale(red, 0.7));
    c.bx(g, [1.5, -1.12, 3.1, 0.0], red);
    c.bx(g, [2.05, -0.75, 2.55, 0.0], wall);
    c.ln(g, [2.05, -0.75, 2.55, 0.0], 0.06, red);
    c.ln(g, [2.55, -0.75, 2.05, 0.0], 0.06, red);
    c.bx(g, [3.25, -2.2, 3.75, 0.0], m.ink(0xb0b4b8, 0.15));
    c.oval(g, [3.5, -2.2, 0.25, 0.2], m.ink(0x8a9096, 0.15));
    let x = r.range(0.1, 0.3) + if left { 0.6 } else { 0.0 };
    let t = c.at(x, fy + 0.08, 0.25);
    tree(c, r, t, m.ink(0x3f6e30, 0.1));
}

pub(super) fn sea(c: &mut Canvas, r: &mut Rng) {
    let (m, f, (w, h)) = (Mood::new(r, &[0, 1, 1, 2, 3]), c.full(), c.dims());
    let hz = r.range(0.48, 0.56);
    sky(c, r, &m, hz);
    if r.chance(0.6) {
        // A headland with a lighthouse; its frame is mirrored when it sits on the right.
        let d = if r.chance(0.5) { 1.0 } else { -1.0 };
        let (hw, hh) = (r.range(0.2, 0.35) * w / h, r.range(0.08, 0.14));
        let g = Fr(if d > 0.0 { 0.0 } else { w }, hz * h, h * d, h);
        let coast = |t: f32| [t * hw, -hh * (1.0 - t * t) + (t * 40.0).sin() * 0.003];
        let mut land: Vec<f32> = (0..=20).flat_map(|i| coast(i as f32 / 20.0)).collect();
        land.extend([hw, 0.002, 0.0, 0.002]);
        c.sh(g, &land, m.ink(0x4d5b3f, 0.35));
        let (x, y) = g.p(hw * 0.3, -hh * 0.91);
        let (l, red) = (Fr(x, y, h, h), m.ink(0xc0302a, 0.2));
        let band = |y0: f32, y1: f32| {
            let (a, b) = (0.018 + 0.04 * y0, 0.018 + 0.04 * y1);
            [-a, y0, -b, y1, b, y1, a, y0]
        };
        c.sh(l, &band(0.0, -0.15), m.ink(0xf2f0ea, 0.2));
        for y in [-0.0375, -0.09] {
            c.sh(l, &band(y, y - 0.0225), red);
        }
        c.bx(l, [-0.012, -0.1725, 0.012, -0.15], rgb(0x303030));
        c.sh(l, &[-0.016, -0.1725, 0.0, -0.195, 0.016, -0.1725], red);
        if m.dark() {
            let x = d * hw * 2.2;
            c.glow(l, [0.0, -0.162, 0.08], rgba(0xfff2b0, 0.9));
            c.sh(
                l,
                &[0.0, -0.162, x, -0.195, x, -0.135],
                rgba(0xfff2b0, 0.12),
            );
        }
    }
    let deep = m.hue(r, &[0x1f5f8b, 0x1b4f72, 0x236a7a], 0.0);
    c.vgrad(hz * h, h, mix(deep, m.hor, 0.55), deep);
    let (crest_c, trough_c) = (
        alpha(mix(deep, m.hor, 0.5), 0.45),
        alpha(scale(deep, 0.8), 0.35),
    );
    for k in 0..44 {
        let t = (k as f32 + r.f()) / 44.0;
        let (y, amp) = (hz + (1.0 - hz) * t * t, 0.0006 + t * 0.012);
        let (len, ph) = (0.03 + 0.15 * t, r.range(0.0, 6.3));
        let wave = |i: usize| y + amp * (i as f32 / 64.0 / len + ph).sin();
        let crest: Vec<f32> = (0..=64).map(wave).collect();
        let d = amp * 0.8 + 0.001;
        c.sh(f, &strip(&crest, |y| y + d), crest_c);
        let low: Vec<f32> = crest.iter().map(|y| y + d).collect();
        c.sh(f, &strip(&low, |y| y + amp * 1.2 + 0.0006), trough_c);
    }
    let (gl, k) = (
        mix(m.sun, WHITE, 0.4),
        if m.sun_at.1 < 0.0 { 0.35 } else { 0.9 },
    );
    for _ in 0..500 {
        let t = r.f().powf(1.5);
        let y = hz + 0.002 + (1.0 - hz) * t;
        let x = m.sun_at.0 + (r.f() - r.f()) * (0.03 + (y - hz) * 0.45 * h / w);
        let (l, col) = ((1.0 / w + t * 0.03) / 2.0, alpha(gl, r.range(0.3, k)));
        c.bx(f, [x - l, y, x + l, y + 0.001 + t * 0.004], col);
    }
    let y = hz + (1.0 - hz) * r.range(0.06, 0.2);
    let g = c.at(r.range(0.1, 0.9), y, r.range(0.07, 0.11));
    let (sail, hull) = (m.ink(0xf4f1e8, 0.1), m.ink(0x2a2a30, 0.1));
    c.sh(g, &[-0.5, -0.12, 0.6, -0.12, 0.4, 0.0, -0.4, 0.0], hull);
    c.sh(g, &[0.0, -1.2, 0.0, -0.18, 0.5, -0.18], sail);
    c.sh(
        g,
        &[-0.03, -1.1, -0.45, -0.18, -0.03, -0.18],
        scale(sail, 0.9),
    );
    let ink = m.ink(0x303030, 0.2);
    for _ in 0..r.int(2, 5) {
        let g = c.at(r.f(), r.range(0.1, 0.6) * hz, r.range(0.012, 0.025));
        for s in [-1.0, 1.0] {
            c.ln(g, [0.0, 0.0, 0.5 * s, -0.45], 0.15, ink);
            c.ln(g, [0.5 * s, -0.45, s, -0.2], 0.15, ink);
        }
    }
}

pub(super) fn factory(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 1, 2, 2]), c.full(), 0.78);
    let aspect = f.2 / f.3;
    sky(c, r, &m, hz);
    ridge(c, r, [hz - 0.06, 0.06, 1.5], false, m.ink(0x6a7a70, 0.7));
    let tank = m.ink(0xc8ccd0, 0.3);
    for _ in 0..r.int(1, 3) {
        let g = c.at(r.f(), hz, 1.0);
        let (tw, th) = (r.range(0.05, 0.09) * aspect, r.range(0.1, 0.18));
        c.bx(g, [0.0, -th, tw, 0.0], tank);
        c.bx(g, [tw * 0.7, -th, tw, 0.0], scale(tank, 0.85));
        c.oval(
            g,
            [tw / 2.0, -th, tw / 2.0, tw * 0.12],
            mix(tank, WHITE, 0.2),
        );
    }
    let (mut tops, brick, cap) = (vec![], m.ink(0x8a5a48, 0.2), rgb(0x303030));
    for i in 0..r.int(2, 4) {
        let g = c.at(0.08 + 0.24 * i as f32 + r.range(0.0, 0.12), hz, 1.0);
        let top = r.range(0.1, 0.28) - hz;
        let (bw, tw) = (0.0175 * aspect, 0.012 * aspect);
        c.sh(g, &[-tw, top, tw, top, bw, 0.0, -bw, 0.0], brick);
        for (k, hex) in [0xc8372d, 0xf0f0f0].into_iter().enumerate() {
            let y = top + 0.015 + 0.04 * k as f32;
            c.bx(g, [-tw * 1.1, y, tw * 1.1, y + 0.018], m.ink(hex, 0.2));
        }
        c.bx(g, [-tw * 1.2, top - 0.006, tw * 1.2, top + 0.004], cap);
        if m.dark() {
            c.glow(g, [0.0, top - 0.01, 0.01], rgb(0xff3a2a));
        }
        tops.push((g, top, tw));
    }
    let mut x = -r.range(0.0, 0.05);
    while x < 1.0 {
        let (hw, hh) = (r.range(0.18, 0.3), r.range(0.1, 0.18));
        let col = m.hue(r, &[0x8a8d91, 0x9b7f6a, 0x6f7d8a, 0xa0a4a0], 0.15);
        // Hall frame: x from 0 to 1 across the hall, y in picture heights down from the eaves.
        let g = Fr(x * f.2, (hz - hh) * f.3, hw * f.2, f.3);
        c.bx(g, [0.0, 0.0, 1.0, hh], col);
        let teeth = r.int(3, 6);
        let (tw, glass) = (1.0 / teeth as f32, mix(col, m.top, 0.3));
        let th = tw * 0.5 * hw * aspect;
        for t in 0..teeth {
            let x0 = t as f32 * tw;
            c.sh(g, &[x0, 0.002, x0, -th, x0 + tw, 0.002], col);
            c.bx(g, [x0, -th * 0.9, x0 + tw * 0.12, 0.0], m.window(r, glass));
        }
        for k in 0..10 {
            let wx = 0.05 + 0.09 * k as f32;
            c.bx(g, [wx, hh * 0.3, wx + 0.07, hh * 0.55], m.window(r, col));
        }
        x += hw + r.range(0.0, 0.04);
    }
    let dir = if r.chance(0.5) { 1.0 } else { -1.0 };
    let smoke = m.ink(0xe8e8e6, 0.25);
    for (g, top, tw) in tops {
        let drift = r.range(0.15, 0.35) * aspect * dir;
        for j in 0..30 {
            let (t, rad) = (j as f32 / 30.0, tw + j as f32 / 30.0 * 0.07);
            let x = drift * t * t + r.range(-0.3, 0.3) * rad;
            let y = top - 0.2 * t.sqrt() + r.range(-0.2, 0.2) * rad;
            let col = alpha(mix(smoke, m.hor, t * 0.6), 0.3 * (1.0 - t) + 0.05);
            c.oval(g, [x, y, rad, rad * 0.8], col);
        }
    }
    c.bx(f, [0.0, hz, 1.0, 1.0], m.ink(0x55534f, 0.1));
    let pipe = m.ink(0x9aa0a6, 0.05);
    c.bx(f, [0.0, hz + 0.06, 1.0, hz + 0.08], pipe);
    c.bx(f, [0.0, hz + 0.06, 1.0, hz + 0.066], mix(pipe, WHITE, 0.3));
    for k in 0..11 {
        let x = k as f32 * 0.1 + 0.03;
        c.bx(f, [x, hz + 0.08, x + 0.006, 1.0], scale(pipe, 0.6));
    }
}

pub(super) fn snow(c: &mut Canvas, r: &mut Rng) {
    let mut m = Mood::new(r, &[0, 0, 1, 2]);
    // Snow stays white-blue whatever the hour, or it reads as sand.
    m.top = mix(m.top, rgb(0x9aa5b5), 0.35);
    (m.hor, m.light) = (mix(m.hor, rgb(0xdfe7f2), 0.4), mix(m.light, [1.0; 4], 0.5));
    let (white, blue) = (rgb(0xf6f8fc), rgb(0xb9c9e2));
    sky(c, r, &m, 0.55);
    ridge(
        c,
        r,
        [0.5, 0.15, 2.0],
        true,
        m.shade(mix(white, blue, 0.6), 0.5),
    );
    let (green, cap) = (rgb(0x2f4f3f), Some(m.shade(white, 0.1)));
    for i in 0..3 {
        let t = i as f32 / 2.0;
        let col = m.shade(mix(blue, white, 0.35 + 0.65 * t), 0.35 - 0.3 * t);
        let ys = ridge(c, r, [0.6 + 0.13 * t, 0.07, 1.2 + t], false, col);
        for _ in 0..r.int(3, 10) {
            let x = r.f();
            let g = c.at(x, at(&ys, x) + 0.02, r.range(0.06, 0.12) * (0.6 + 0.8 * t));
            pine(c, g, m.shade(green, 0.4 - 0.35 * t), cap);
        }
        if i != 1 {
            continue;
        }
        // A log cabin, in units of its wall height.
        let x = r.range(0.2, 0.75);
        let (g, wood) = (c.at(x, at(&ys, x) + 0.03, 0.09), m.ink(0x7a4a2e, 0.1));
        c.bx(g, [1.0, -1.5, 1.2, -1.0], scale(wood, 0.8));
        c.bx(g, [0.0, -1.0, 1.6, 0.0], wood);
        let roof = [-0.2, -0.95, 0.8, -1.6, 1.8, -0.95];
        c.sh(g, &roof, m.shade(white, 0.05));
        let win = if m.dark() {
            rgb(0xffcf80)
        } else {
            mix(wood, m.top, 0.5)
        };
        c.bx(g, [0.25, -0.65, 0.6, -0.35], win);
        if m.dark() {
            c.glow(g, [0.42, -0.5, 0.6], rgba(0xffcf80, 0.5));
        }
        let puff = alpha(m.shade(WHITE, 0.3), 0.3);
        for j in 0..6 {
            let (k, rr) = (j as f32, 0.08 + 0.04 * j as f32);
            c.oval(g, [1.1 + 0.15 * k, -1.6 - 0.2 * k, rr, rr], puff);
        }
    }
    for _ in 0..450 {
        let g = c.at(r.f(), r.f(), r.f().powi(3) * 0.009 + 0.0015);
        c.oval(g, [0.0, 0.0, 1.0, 1.0], alpha(WHITE, r.range(0.5, 0.95)));
    }
}

pub(super) fn river(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 0, 1, 2]), c.full(), 0.42);
    let (w, h) = c.dims();
    sky(c, r, &m, hz);
    ridge(c, r, [hz, 0.08, 2.0], false, m.ink(0x6c8a70, 0.6));
    c.bx(f, [0.0, hz + 0.02, 1.0, 1.0], m.ink(0x5b8a45, 0.1));
    c.fade((hz, hz + 0.2), m.hor, (0.5, 0.0));
    let (ph, amp) = (r.range(0.0, 6.3), r.range(0.1, 0.2));
    // The banks at pixel row y: the river winds and widens towards the viewer.
    let span = move |y: f32| {
        let t = ((y / h - hz) / (1.0 - hz)).clamp(0.0, 1.0);
        let cx = 0.5 + amp * (t * 4.0 + ph).sin() * (1.0 - t * 0.6);
        let hw = 0.015 + 0.55 * t.powf(1.3);
        ((cx - hw) * w, (cx + hw) * w)
    };
    let row = |i: usize| (hz + 0.02 + (1.0 - hz) * i as f32 / 40.0) * h;
    let ys: Vec<f32> = (0..=40).map(row).collect();
    let mut water: Vec<Pt> = ys.iter().map(|&y| (span(y).0, y)).collect();
    water.extend(ys.iter().rev().map(|&y| (span(y).1, y)));
    let wc = mix(mix(m.hor, m.top, 0.4), rgb(0x2a5a6a), 0.3);
    c.poly(&water, wc);
    let wy = r.range(0.66, 0.72);
    let mut trees = vec![];
    for _ in 0..30 {
        trees.push((r.f(), hz + 0.03 + (1.0 - hz) * r.f().powi(2)));
    }
    trees.sort_by(|a, b| a.1.total_cmp(&b.1));
    let green = m.ink(0x3a6b35, 0.05);
    let plant = |c: &mut Canvas, r: &mut Rng, (u, y): Pt| {
        let (a, b) = span(y * h);
        let x = if u < 0.5 {
            a / w - u * 0.3 - 0.01
        } else {
            b / w + u * 0.3 - 0.14
        };
        let t = c.at(x, y, 0.04 + 0.22 * (y - hz) / (1.0 - hz));
        tree(c, r, t, green);
    };
    for &t in trees.iter().filter(|t| t.1 < wy) {
        plant(c, r, t);
    }
    // The bridge spans the river where it crosses row `wy`.
    let stone = m.hue(r, &[0x9c7a5c, 0x8f8a84, 0xa0583c], 0.0);
    let (l, rr) = (span(wy * h).0 / w - 0.08, span(wy * h).1 / w + 0.08);
    let (n, deck) = (r.int(2, 4), wy - 0.17);
    let sp = (rr - l) / n as f32;
    let gap = |k: usize, o: f32| l + (k as f32 + o) * sp;
    let gaps: Vec<f32> = (0..n).flat_map(|k| [gap(k, 0.1), gap(k, 0.9)]).collect();
    arches(c, f, [l, deck, rr, wy + 0.002], &gaps, (wy, 0.11), stone);
    c.sh(f, &[l, deck + 0.03, l - 0.06, wy, l, wy], stone);
    c.sh(f, &[rr, deck + 0.03, rr + 0.06, wy, rr, wy], stone);
    let (shadow, cap) = (scale(stone, 0.75), mix(stone, WHITE, 0.2));
    c.bx(f, [l, deck + 0.02, rr, deck + 0.035], shadow);
    c.bx(f, [l - 0.01, deck - 0.025, rr + 0.01, deck + 0.008], cap);
    for k in 0..((rr - l) / 0.015) as usize {
        let x = l + k as f32 * 0.015;
        c.bx(f, [x, deck - 0.017, x + 0.006, deck], scale(stone, 0.6));
    }
    for k in 0..=n {
        let g = c.at(l + k as f32 * sp, deck, 1.0);
        c.bx(g, [-0.0015, -0.06, 0.0015, 0.0], rgb(0x303030));
        if m.dark() {
            c.glow(g, [0.0, -0.06, 0.035], rgba(0xffd58a, 0.9));
        }
    }
    c.reflect(wy * h, span, wc, 0.4);
    for &t in trees.iter().filter(|t| t.1 >= wy) {
        plant(c, r, t);
    }
}

pub(super) fn temple(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 1, 1, 2]), c.full(), 0.84);
    let aspect = f.2 / f.3;
    sky(c, r, &m, hz);
    ridge(c, r, [0.5, 0.22, 1.5], true, m.ink(0x5a6f80, 0.7));
    c.fade((0.4, 0.65), m.hor, (0.0, 0.7));
    ridge(c, r, [0.7, 0.08, 2.5], false, m.ink(0x3f5a48, 0.45));
    c.fade((0.65, 0.8), m.hor, (0.0, 0.5));
    for _ in 0..14 {
        let g = c.at(r.f(), hz, r.range(0.12, 0.22));
        pine(c, g, m.ink(0x2f4a35, 0.2), None);
    }
    c.bx(f, [0.0, hz, 1.0, 1.0], m.ink(0xb8a88a, 0.05));
    // Pagoda frame: x in picture heights from its axis, y in picture heights from the platform.
    let (tiers, stone) = (r.int(3, 5), m.ink(0x9a9488, 0.05));
    let g = c.at(r.range(0.35, 0.65), hz - 0.04, 1.0);
    let (pw, sw, step) = (0.14 * aspect, 0.04 * aspect, mix(stone, WHITE, 0.3));
    c.bx(g, [-pw, 0.0, pw, 0.042], stone);
    for k in 0..4 {
        let y = 0.01 * k as f32;
        c.bx(g, [-sw, y, sw, y + 0.005], step);
    }
    let th = (hz - 0.16) / (tiers as f32 + 1.2);
    let wood = m.hue(r, &[0xa8322a, 0x8c2f25, 0x6b3a2a], 0.05);
    let tile = m.hue(r, &[0x2f3e46, 0x3a4a3f, 0x4a3b34], 0.05);
    for i in 0..tiers {
        let (bw, yb) = (0.05 * aspect * (1.0 - 0.12 * i as f32), -(i as f32) * th);
        c.bx(g, [-bw, yb - th * 0.75, bw, yb], wood);
        let (y0, y1) = (yb - th * 0.6, yb - th * 0.1);
        for k in 0..5 {
            let x = -bw + bw * (2 * k + 1) as f32 / 5.0;
            let pane = m.window(r, scale(wood, 0.5));
            let col = if k % 2 == 1 { pane } else { scale(wood, 0.7) };
            c.bx(g, [x - bw * 0.1, y0, x + bw * 0.1, y1], col);
        }
        let (x, y) = g.p(0.0, yb - th * 0.7);
        roof(c, Fr(x, y, bw * 1.9 * g.3, th * 0.5 * g.3), tile);
    }
    let top = -((tiers - 1) as f32) * th - th * 1.15;
    let gold = m.ink(0xc9a24a, 0.05);
    c.bx(g, [-th * 0.025, top - th * 1.1, th * 0.025, top], gold);
    for k in 0..6 {
        let y = top - th * (0.2 + 0.12 * k as f32);
        c.bx(g, [-th * 0.1, y, th * 0.1, y + th * 0.05], gold);
    }
    // A torii gate and a cherry tree on opposite sides.
    let left = g.0 > f.2 * 0.5;
    if r.chance(0.7) {
        let x = r.range(0.05, 0.2) + if left { 0.0 } else { 0.75 };
        let (t, red) = (c.at(x, 0.98, 0.35), m.ink(0xd2452a, 0.0));
        for px in [-0.35, 0.35] {
            c.bx(t, [px - 0.04, -1.0, px + 0.04, 0.0], red);
        }
        c.bx(t, [-0.5, -0.8, 0.5, -0.73], red);
        let (x, y) = t.p(0.0, -0.92);
        roof(c, Fr(x, y, 0.65 * t.2, 0.1 * t.3), scale(red, 0.4));
    }
    if r.chance(0.6) {
        let (x, pink) = (if left { 0.85 } else { 0.0 }, m.ink(0xf2b6c6, 0.0));
        c.ln(f, [x + 0.06, 1.0, x + 0.07, 0.7], 0.02, rgb(0x3a2a24));
        for _ in 0..40 {
            let b = c.at(
                x + r.range(0.0, 0.14),
                r.range(0.5, 0.75),
                r.range(0.025, 0.05),
            );
            let col = alpha(mix(pink, WHITE, r.range(0.0, 0.3)), 0.9);
            c.oval(b, [0.0, 0.0, 1.0, 1.0], col);
        }
    }
}

pub(super) fn border(c: &mut Canvas, r: &mut Rng) {
    let (m, f, hz) = (Mood::new(r, &[0, 1, 2, 2, 3]), c.full(), 0.58);
    let (w, h) = c.dims();
    sky(c, r, &m, hz);
    ridge(c, r, [hz - 0.02, 0.12, 1.5], false, m.ink(0x6b7a5c, 0.6));
    let ys = ridge(c, r, [hz + 0.06, 0.06, 2.5], false, m.ink(0x7a8050, 0.3));
    // The road runs from a vanishing point to the bottom edge; `rw` is its half width.
    let (vx, vy) = (r.range(0.35, 0.65), hz + 0.08);
    let rw = |y: f32| 0.3 * (y - vy) / (1.0 - vy);
    let road = [vx - 0.001, vy, vx + 0.001, vy, vx + 0.3, 1.0, vx - 0.3, 1.0];
    c.sh(f, &road, m.ink(0x4a4a4e, 0.1));
    let paint = rgba(0xe8d890, 0.8);
    for k in 0..10 {
        let (y0, y1) = ((k as f32 / 10.0).powi(2), ((k as f32 + 0.5) / 10.0).powi(2));
        let (y0, y1) = (vy + (1.0 - vy) * y0, vy + (1.0 - vy) * y1);
        let (a, b) = (rw(y0) * 0.02, rw(y1) * 0.02);
        c.sh(f, &[vx - a, y0, vx + a, y0, vx + b, y1, vx - b, y1], paint);
    }
    // The watchtower, in units of a tenth of the picture height.
    let tx = r.range(0.1, 0.3) + if vx > 0.5 { 0.0 } else { 0.6 };
    let (g, steel) = (c.at(tx, at(&ys, tx) + 0.03, 0.1), m.ink(0x4a4e4a, 0.1));
    for d in [-1.0, 1.0] {
        c.ln(g, [0.7 * d, 0.0, 0.4 * d, -3.0], 0.06, steel);
    }
    for k in 0..3 {
        let (y, a, b) = (-(k as f32), 0.7 - 0.1 * k as f32, 0.6 - 0.1 * k as f32);
        c.ln(g, [-a, y, b, y - 1.0], 0.025, steel);
        c.ln(g, [a, y, -b, y - 1.0], 0.025, steel);
    }
    c.bx(g, [-0.55, -3.7, 0.55, -3.0], steel);
    c.bx(g, [-0.45, -3.55, 0.45, -3.3], m.window(r, steel));
    c.sh(g, &[-0.75, -3.7, 0.0, -4.05, 0.75, -3.7], scale(steel, 0.8));
    if m.dark() {
        // The searchlight sweeps the ground across the road.
        let (lx, ly) = g.p(if tx < vx { 0.5 } else { -0.5 }, -3.4);
        let (x, y) = (lx / w, ly / h);
        let fx = x + (vx - x) * 2.0;
        c.sh(
            f,
            &[x, y, fx - 0.08, 0.85, fx + 0.08, 0.85],
            rgba(0xfff6d0, 0.15),
        );
        c.glow(f, [x, y, 0.04], rgba(0xfff6d0, 0.9));
    }
    let (fy, wire, post) = (0.8, m.ink(0x8a8e90, 0.1), m.ink(0x3a3c3e, 0.05));
    let (gap, g) = (
        (vx - rw(fy) * 1.1, vx + rw(fy) * 1.1),
        Fr(0.0, fy * h, h, h),
    );
    let mesh = alpha(wire, 0.4);
    // A chain-link fence with razor wire, in picture heights from the fence's foot.
    let fence = |c: &mut Canvas, x0: f32, x1: f32| {
        for k in 0..5 {
            let y = -0.02 - 0.035 * k as f32;
            c.bx(g, [x0, y, x1, y + 0.002 + 0.5 / h], alpha(wire, 0.9));
        }
        for k in 0..((x1 - x0 + 0.2) / 0.025) as usize {
            let x = x0 - 0.2 + k as f32 * 0.025;
            let (a, b) = (x.max(x0), (x + 0.16).min(x1));
            c.ln(g, [a, x - a, b, x - b], 0.7 / h, mesh);
            c.ln(g, [a, a - x - 0.16, b, b - x - 0.16], 0.7 / h, mesh);
        }
        for k in 0..((x1 - x0) / (0.08 * w / h) + 1.0) as usize {
            let x = x0 + 0.01 + k as f32 * 0.08 * w / h;
            c.bx(g, [x - 0.005, -0.18, x + 0.005, 0.01], post);
            c.ln(g, [x, -0.18, x + 0.03, -0.21], 0.006, post);
        }
        for k in 0..((x1 - x0 - 0.04) / 0.022).max(0.0) as usize {
            let (p, rad) = (g.p(x0 + 0.02 + k as f32 * 0.022, -0.2), 0.025 * h);
            let outer = arc(p, rad, rad, 0.0, 2.0 * PI);
            let inner = arc(p, rad * 0.85, rad * 0.85, 0.0, 2.0 * PI);
            c.fill(&[&outer, &inner], wire);
        }
    };
    fence(c, 0.0, gap.0 * w / h);
    fence(c, gap.1 * w / h, w / h);
    // A striped boom closes the road beside a guard hut.
    let (bl, by) = (gap.1 - gap.0, fy - 0.07);
    c.bx(
        f,
        [gap.1 - 0.011, by - 0.03, gap.1 + 0.011, fy],
        m.ink(0x707070, 0.05),
    );
    for k in 0..8 {
        let (x, hex) = (
            gap.1 - bl * (k + 1) as f32 / 8.0,
            [0xd03030, 0xf2f2f2][k % 2],
        );
        c.bx(f, [x, by - 0.01, x + bl / 8.0, by + 0.008], m.ink(hex, 0.0));
    }
    let (hut, wall) = (c.at(gap.1 + 0.03, fy, 0.12), m.ink(0xd8d2c0, 0.05));
    c.bx(hut, [0.0, -1.0, 0.9, 0.08], wall);
    c.bx(hut, [-0.1, -1.1, 1.0, -1.0], scale(wall, 0.5));
    let pane = m.window(r, scale(wall, 0.6));
    c.bx(hut, [0.15, -0.75, 0.6, -0.45], pane);
    let sign = c.at(0.15, fy - 0.11, 0.05);
    c.bx(sign, [0.0, 0.0, 1.6, 1.0], m.ink(0xf2c230, 0.0));
    c.sh(sign, &[0.8, 0.1, 1.4, 0.9, 0.2, 0.9], rgb(0x202020));
}
