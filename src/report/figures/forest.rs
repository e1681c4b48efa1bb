//! Figure 3, group differences: a forest plot of `comparisons` (event "pooled"): for each
//! category, the difference of the group means (rate per 1,000 tokens) with its 95% CI.
//!
//! One panel per pair of groups. Rows are grouped under their lexicon, in the order of the
//! `scores` table (alphabetical without it). A marker is filled when the Benjamini–Hochberg
//! q-value is below 0.05 and hollow otherwise; it takes the color of the group with the higher
//! mean, so the plot reads "which group uses this category more". Categories in which neither
//! group has a hit are left out (and counted in the caption). The q-value is printed at the
//! right of each row.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    dashed_vline, draw_x_axis, humanize, line, line_height, marker, nice_domain, not_computed,
    rect, text, text_width, truncate, x_axis_height, x_ticks, Ctx, DrawResult, Header, LegendItem,
    Outcome, Plot, Scale, Shape, Swatch,
};
use crate::report::captions;
use crate::report::data::Comparison;
use crate::report::theme::{self, size, INK, MUTED};
use crate::report::ReportError;

const ID: &str = "group_differences";
const TITLE: &str =
    "Group differences: difference in mean rate per 1,000 tokens, with 95% confidence intervals";

/// At most this many group pairs get a panel.
const MAX_PANELS: usize = 4;
const ROW_H: i32 = 24;
const Q_W: i32 = 92;

enum Row {
    Lexicon(String),
    Category {
        label: String,
        diff: f64,
        ci: Option<(f64, f64)>,
        significant: bool,
        color: RGBColor,
        q: Option<f64>,
    },
}

struct Panel {
    title: String,
    rows: Vec<Row>,
    domain: (f64, f64),
    axis_title: String,
}

struct Forest {
    width: i32,
    height: i32,
    header: Header,
    label_w: i32,
    panels: Vec<Panel>,
}

fn panel_height(p: &Panel) -> i32 {
    line_height(size::LABEL) + 10 + p.rows.len() as i32 * ROW_H + x_axis_height() + 14
}

impl Plot for Forest {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let mut y = self.header.draw(root, self.width)?;
        let m = size::MARGIN;
        let x_plot0 = m + self.label_w;
        let x_plot1 = self.width - m - Q_W;
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
            text(
                root,
                "q (BH)",
                (self.width - m, y),
                size::SMALL,
                false,
                MUTED,
                HPos::Right,
                VPos::Top,
            )?;
            let top = y + line_height(size::LABEL) + 10;
            let bottom = top + p.rows.len() as i32 * ROW_H;
            let scale = Scale {
                d0: p.domain.0,
                d1: p.domain.1,
                r0: (x_plot0 + 8) as f64,
                r1: (x_plot1 - 8) as f64,
            };
            for r in 0..p.rows.len() {
                if r % 2 == 1 {
                    let ry = top + r as i32 * ROW_H;
                    rect(
                        root,
                        (x_plot0, ry),
                        (self.width - m, ry + ROW_H),
                        RGBColor(246, 246, 246),
                    )?;
                }
            }
            let ticks = x_ticks(&scale, 10);
            draw_x_axis(root, &scale, &ticks, bottom, top, &p.axis_title)?;
            if p.domain.0 < 0.0 && p.domain.1 > 0.0 {
                dashed_vline(root, scale.px(0.0), top, bottom, MUTED)?;
            }
            for (r, row) in p.rows.iter().enumerate() {
                let cy = top + r as i32 * ROW_H + ROW_H / 2;
                match row {
                    Row::Lexicon(name) => {
                        text(
                            root,
                            name,
                            (m, cy),
                            size::TICK,
                            true,
                            INK,
                            HPos::Left,
                            VPos::Center,
                        )?;
                    }
                    Row::Category {
                        label,
                        diff,
                        ci,
                        significant,
                        color,
                        q,
                    } => {
                        text(
                            root,
                            label,
                            (x_plot0 - 8, cy),
                            size::TICK,
                            false,
                            INK,
                            HPos::Right,
                            VPos::Center,
                        )?;
                        if let Some((lo, hi)) = ci {
                            let (a, b) = (scale.px(*lo), scale.px(*hi));
                            line(root, (a, cy), (b, cy), *color, 2)?;
                            line(root, (a, cy - 4), (a, cy + 4), *color, 2)?;
                            line(root, (b, cy - 4), (b, cy + 4), *color, 2)?;
                        }
                        let shape = if *significant {
                            Shape::Circle
                        } else {
                            Shape::Ring
                        };
                        marker(root, shape, (scale.px(*diff), cy), 6, color.to_rgba())?;
                        if let Some(q) = q {
                            let s = if *q < 0.001 {
                                "<0.001".to_string()
                            } else {
                                format!("{q:.3}")
                            };
                            text(
                                root,
                                &s,
                                (self.width - m, cy),
                                size::SMALL,
                                *significant,
                                if *significant { INK } else { MUTED },
                                HPos::Right,
                                VPos::Center,
                            )?;
                        }
                    }
                }
            }
            y += panel_height(p);
        }
        Ok(())
    }
}

/// Builds figure 3.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(comparisons) = &ctx.data.comparisons else {
        return Ok(not_computed(ID, TITLE, "the `comparisons` table is absent"));
    };
    // Lexicon and category order from the scores table; unknown ones after, by name.
    let order: BTreeMap<(&str, &str), usize> = ctx
        .data
        .scores
        .as_ref()
        .map(|s| {
            s.lexicons
                .iter()
                .flat_map(|(l, cats)| cats.iter().map(move |c| (l.as_str(), c.as_str())))
                .enumerate()
                .map(|(i, k)| (k, i))
                .collect()
        })
        .unwrap_or_default();
    let mut pairs: BTreeMap<(&str, &str), Vec<&Comparison>> = BTreeMap::new();
    for c in comparisons.iter().filter(|c| c.event == "pooled") {
        pairs
            .entry((c.group_a.as_str(), c.group_b.as_str()))
            .or_default()
            .push(c);
    }
    if pairs.is_empty() {
        return Ok(not_computed(
            ID,
            TITLE,
            "the `comparisons` table has no pooled rows",
        ));
    }
    let width = ctx.width();
    let m = size::MARGIN;
    let mut panels = Vec::new();
    let mut caption_parts = Vec::new();
    let mut label_w = 0;
    for ((a, b), mut rows) in pairs.into_iter().take(MAX_PANELS) {
        rows.sort_by(|x, y| {
            let kx = order.get(&(x.lexicon.as_str(), x.category.as_str()));
            let ky = order.get(&(y.lexicon.as_str(), y.category.as_str()));
            (kx.is_none(), kx, &x.lexicon, &x.category).cmp(&(
                ky.is_none(),
                ky,
                &y.lexicon,
                &y.category,
            ))
        });
        let (shown, omitted): (Vec<&Comparison>, Vec<&Comparison>) =
            rows.into_iter().partition(|c| {
                c.diff.is_some()
                    && (c.mean_a.unwrap_or(0.0) != 0.0 || c.mean_b.unwrap_or(0.0) != 0.0)
            });
        caption_parts.push(captions::forest(&shown, omitted.len()));
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        let mut out = Vec::new();
        let mut last_lexicon: Option<&str> = None;
        for c in &shown {
            if last_lexicon != Some(c.lexicon.as_str()) {
                out.push(Row::Lexicon(humanize(&c.lexicon)));
                last_lexicon = Some(c.lexicon.as_str());
            }
            let diff = c.diff.unwrap_or(0.0);
            let ci = c.ci_low.zip(c.ci_high);
            lo = lo.min(diff);
            hi = hi.max(diff);
            if let Some((l, h)) = ci {
                lo = lo.min(l);
                hi = hi.max(h);
            }
            let higher = if diff >= 0.0 { a } else { b };
            let label = humanize(&c.category);
            label_w = label_w.max(text_width(&label, size::TICK, false) + 24);
            out.push(Row::Category {
                label,
                diff,
                ci,
                significant: c.q_bh.is_some_and(|q| q < 0.05),
                color: if higher == "rest" {
                    theme::NO_GROUP
                } else {
                    ctx.colors.color(Some(higher))
                },
                q: c.q_bh,
            });
        }
        let a_name = a.to_string();
        let b_name = if b == "rest" {
            "all other groups".to_string()
        } else {
            b.to_string()
        };
        panels.push(Panel {
            title: format!("{a_name} − {b_name}"),
            rows: out,
            domain: nice_domain(lo, hi, 10),
            axis_title: format!("difference in mean rate per 1,000 tokens ({a_name} − {b_name})"),
        });
    }
    let label_w = label_w.clamp(80, width / 3);
    for p in &mut panels {
        for r in &mut p.rows {
            if let Row::Category { label, .. } = r {
                *label = truncate(label, size::TICK, false, label_w - 16);
            }
        }
    }
    let mut legend: Vec<LegendItem> = ctx
        .colors
        .entries()
        .map(|(g, c)| LegendItem {
            swatch: Swatch::Square(c),
            label: format!("higher in {g}"),
        })
        .collect();
    legend.push(LegendItem {
        swatch: Swatch::Marker(Shape::Circle, INK),
        label: "q < 0.05".to_string(),
    });
    legend.push(LegendItem {
        swatch: Swatch::Marker(Shape::Ring, INK),
        label: "q ≥ 0.05".to_string(),
    });
    let header = Header::new(TITLE, "", legend, width, 12);
    let height = header.height() + panels.iter().map(panel_height).sum::<i32>() + m;
    let plot = Forest {
        width,
        height,
        header,
        label_w,
        panels,
    };
    ctx.figure(ID, TITLE, caption_parts.join(" "), &plot)
}
