//! Figure 4, keyness: a diverging bar chart of the terms most typical of each group, from
//! `keyness` (event "pooled").
//!
//! For each pair of groups, the `[report] keyness-top` terms with the largest positive z (more
//! frequent in group a) and the largest negative z (more frequent in group b) are drawn as bars
//! from zero, in the group's color. Each term's label sits on the other side of the zero line,
//! where its row is empty, so labels never overlap bars; the scale is chosen so the longest
//! label on each side fits.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    draw_x_axis, line, line_height, not_computed, rect, text, text_width, truncate, x_axis_height,
    x_ticks, Ctx, DrawResult, Header, LegendItem, Outcome, Plot, Scale, Swatch,
};
use crate::report::captions;
use crate::report::data::KeyTerm;
use crate::report::theme::{self, size, INK, MUTED};
use crate::report::ReportError;

const ID: &str = "keyness";
const TITLE: &str = "Keyness: terms most over-represented in each group (z-score)";
const MAX_PANELS: usize = 3;
const ROW_H: i32 = 22;
const LABEL_MAX: i32 = 240;

struct Bar {
    label: String,
    z: f64,
    color: RGBColor,
}

struct Panel {
    title: String,
    bars: Vec<Bar>,
    scale: Scale,
    axis_title: String,
}

struct Keyness {
    width: i32,
    height: i32,
    header: Header,
    panels: Vec<Panel>,
}

fn panel_height(p: &Panel) -> i32 {
    line_height(size::LABEL) + 10 + p.bars.len() as i32 * ROW_H + x_axis_height() + 16
}

impl Plot for Keyness {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let mut y = self.header.draw(root, self.width)?;
        let m = size::MARGIN;
        for p in &self.panels {
            text(
                root,
                &p.title,
                (m, y),
                size::LABEL,
                true,
                INK,
                HPos::Left,
                VPos::Top,
            )?;
            let top = y + line_height(size::LABEL) + 10;
            let bottom = top + p.bars.len() as i32 * ROW_H;
            let ticks = x_ticks(&p.scale, 10);
            draw_x_axis(root, &p.scale, &ticks, bottom, top, &p.axis_title)?;
            let zero = p.scale.px(0.0);
            for (r, bar) in p.bars.iter().enumerate() {
                let ry = top + r as i32 * ROW_H;
                let end = p.scale.px(bar.z);
                let (x0, x1) = if end >= zero {
                    (zero, end)
                } else {
                    (end, zero)
                };
                rect(
                    root,
                    (x0, ry + 3),
                    (x1.max(x0 + 1), ry + ROW_H - 3),
                    bar.color,
                )?;
                let (lx, anchor) = if bar.z >= 0.0 {
                    (zero - 6, HPos::Right)
                } else {
                    (zero + 6, HPos::Left)
                };
                text(
                    root,
                    &bar.label,
                    (lx, ry + ROW_H / 2),
                    size::TICK,
                    false,
                    INK,
                    anchor,
                    VPos::Center,
                )?;
            }
            line(root, (zero, top), (zero, bottom), MUTED, 1)?;
            y += panel_height(p);
        }
        Ok(())
    }
}

/// The largest scale (pixels per z unit) with which bars of up to `neg` (left) and `pos`
/// (right) z units and labels of `label_l` / `label_r` pixels fit in `width` pixels, and where
/// zero then sits (pixels from the left edge). A label on the left of zero belongs to a bar on
/// the right, and vice versa.
pub fn fit_scale(width: f64, neg: f64, pos: f64, label_l: f64, label_r: f64) -> (f64, f64) {
    let need = |s: f64| (neg * s).max(label_l) + (pos * s).max(label_r);
    let (mut lo, mut hi) = (0.0f64, width.max(1.0));
    if need(lo) > width {
        // Labels alone do not fit: give the bars a minimal scale and let labels be cut.
        let s = width / (neg + pos).max(1e-9) * 0.5;
        return (s, width * neg / (neg + pos).max(1e-9));
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if need(mid) <= width {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo, (neg * lo).max(label_l))
}

/// Builds figure 4.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(keyness) = &ctx.data.keyness else {
        return Ok(not_computed(ID, TITLE, "the `keyness` table is absent"));
    };
    let mut pairs: BTreeMap<(&str, &str), Vec<&KeyTerm>> = BTreeMap::new();
    for k in keyness
        .iter()
        .filter(|k| k.event == "pooled" && k.z.is_some())
    {
        pairs
            .entry((k.group_a.as_str(), k.group_b.as_str()))
            .or_default()
            .push(k);
    }
    if pairs.is_empty() {
        return Ok(not_computed(
            ID,
            TITLE,
            "the `keyness` table has no pooled rows",
        ));
    }
    let width = ctx.width();
    let m = size::MARGIN;
    let top_n = ctx.config.keyness_top.max(1);
    let mut panels = Vec::new();
    let mut captions_out = Vec::new();
    let mut legend_groups: Vec<(String, RGBColor)> = Vec::new();
    for ((a, b), mut terms) in pairs.into_iter().take(MAX_PANELS) {
        let z = |k: &KeyTerm| k.z.unwrap_or(0.0);
        terms.sort_by(|x, y| z(y).total_cmp(&z(x)).then_with(|| x.term.cmp(&y.term)));
        let pos: Vec<&KeyTerm> = terms
            .iter()
            .filter(|k| z(k) > 0.0)
            .take(top_n)
            .copied()
            .collect();
        let mut neg: Vec<&KeyTerm> = terms
            .iter()
            .rev()
            .filter(|k| z(k) < 0.0)
            .take(top_n)
            .copied()
            .collect();
        captions_out.push(captions::keyness(
            a,
            b,
            &pos.iter()
                .map(|k| (k.label.clone(), z(k)))
                .collect::<Vec<_>>(),
            &neg.iter()
                .map(|k| (k.label.clone(), z(k)))
                .collect::<Vec<_>>(),
        ));
        // Most negative at the bottom.
        neg.reverse();
        let color_of = |g: &str| {
            if g == "rest" {
                theme::NO_GROUP
            } else {
                ctx.colors.color(Some(g))
            }
        };
        let (ca, cb) = (color_of(a), color_of(b));
        for (g, c) in [(a, ca), (b, cb)] {
            if !legend_groups.iter().any(|(n, _)| n == g) {
                legend_groups.push((g.to_string(), c));
            }
        }
        let bars: Vec<Bar> = pos
            .iter()
            .map(|k| (k, ca))
            .chain(neg.iter().map(|k| (k, cb)))
            .map(|(k, color)| Bar {
                label: truncate(&k.label, size::TICK, false, LABEL_MAX),
                z: z(k),
                color,
            })
            .collect();
        let label_l = bars
            .iter()
            .filter(|b| b.z >= 0.0)
            .map(|b| text_width(&b.label, size::TICK, false) + 12)
            .max()
            .unwrap_or(0) as f64;
        let label_r = bars
            .iter()
            .filter(|b| b.z < 0.0)
            .map(|b| text_width(&b.label, size::TICK, false) + 12)
            .max()
            .unwrap_or(0) as f64;
        let max_pos = bars.iter().map(|b| b.z).fold(0.0f64, f64::max);
        let max_neg = bars.iter().map(|b| -b.z).fold(0.0f64, f64::max);
        let x0 = (m + 8) as f64;
        let avail = (width - 2 * m - 16) as f64;
        // 4% headroom so the longest bar does not touch the edge.
        let (s, zero) = fit_scale(avail, max_neg * 1.04, max_pos * 1.04, label_l, label_r);
        let zero_px = x0 + zero;
        let scale = Scale {
            d0: -(zero_px - x0) / s,
            d1: (x0 + avail - zero_px) / s,
            r0: x0,
            r1: x0 + avail,
        };
        let b_name = if b == "rest" { "all other groups" } else { b };
        panels.push(Panel {
            title: format!("{a} vs {b_name}"),
            bars,
            scale,
            axis_title: format!("keyness z (right: more frequent in {a}; left: in {b_name})"),
        });
    }
    let legend: Vec<LegendItem> = legend_groups
        .into_iter()
        .map(|(g, c)| LegendItem {
            swatch: Swatch::Square(c),
            label: g,
        })
        .collect();
    let header = Header::new(TITLE, "More frequent in:", legend, width, 12);
    let height = header.height() + panels.iter().map(panel_height).sum::<i32>() + m;
    let plot = Keyness {
        width,
        height,
        header,
        panels,
    };
    ctx.figure(ID, TITLE, captions_out.join(" "), &plot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_leaves_room_for_the_labels_on_both_sides() {
        // Bars up to 10 right and 5 left, labels 100 px each, 500 px wide:
        // with s px per unit, max(5s, 100) + max(10s, 100) <= 500 -> s = 400/10 = 40 with the
        // left side label-bound (5 × 40 = 200 > 100, so both are bar-bound: 15s = 500 -> 33.3).
        let (s, zero) = fit_scale(500.0, 5.0, 10.0, 100.0, 100.0);
        assert!((s - 500.0 / 15.0).abs() < 1e-6, "{s}");
        assert!((zero - 5.0 * s).abs() < 1e-6);
        // Long labels on the left: 300 px of label + 10s <= 500 -> s = 20, zero at 300.
        let (s, zero) = fit_scale(500.0, 5.0, 10.0, 300.0, 50.0);
        assert!((s - 20.0).abs() < 1e-6, "{s}");
        assert!((zero - 300.0).abs() < 1e-6);
    }
}
