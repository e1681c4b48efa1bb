//! Figure 1, the frame profile: outlet × category heatmaps of the mean rate per 1,000 tokens,
//! one panel per lexicon of `[report] heatmap-lexicons`, from `scores` joined with `documents`.
//!
//! A cell is the mean of the documents' `per_1k` (the same mean as `outlet_profiles`); its
//! color runs from white (0) to dark purple (the panel's maximum), and the value is printed in
//! it. Outlets are columns, sorted by group and name, with a group-colored strip under their
//! names; categories are rows, in the lexicon file's order. The matrix drawing here is shared
//! with the divergence heatmap.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    humanize, line_height, not_computed, rect, text, text_width, truncate, wrap, Ctx, DrawResult,
    Header, Outcome, Plot,
};
use crate::report::captions::{self, OutletValue, TopCell};
use crate::report::theme::{self, size, INK, MUTED};
use crate::report::ReportError;

const ID: &str = "frame_profile";
const TITLE: &str = "Frame profile: mean rate per 1,000 tokens of each category, by outlet";

/// One heatmap panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Panel title (bold, above the panel), or empty.
    pub title: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Row strip colors (group of the row's outlet), if rows are outlets.
    pub row_colors: Option<Vec<RGBColor>>,
    /// Column labels.
    pub cols: Vec<String>,
    /// A muted note under each column label ("n = 12"), or empty.
    pub col_notes: Vec<String>,
    /// Column strip colors (the column outlet's group).
    pub col_colors: Vec<RGBColor>,
    /// Values, `[row][col]`; `None` is drawn grey with "–".
    pub values: Vec<Vec<Option<f64>>>,
    /// Value of the darkest color.
    pub vmax: f64,
    /// Decimals of the printed values.
    pub decimals: usize,
}

/// Pixel layout shared by the panels of one figure.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixLayout {
    /// Width of the row-label column.
    pub label_w: i32,
    /// Left edge of each column and its width.
    pub col_x: Vec<(i32, i32)>,
    /// Height of the column header (labels + note + strip).
    pub header_h: i32,
    /// Wrapped column labels.
    pub col_lines: Vec<Vec<String>>,
    /// Whether values fit in the cells.
    pub values_fit: bool,
}

const STRIP: i32 = 7;
const COLORBAR_W: i32 = 70;
const GROUP_GAP: i32 = 8;

impl MatrixLayout {
    /// Lays out panels that share columns within `width` (margins included).
    pub fn new(panels: &[&Matrix], width: i32) -> MatrixLayout {
        let m = size::MARGIN;
        let first = panels[0];
        let widest_row = panels
            .iter()
            .flat_map(|p| p.rows.iter())
            .map(|r| text_width(r, size::TICK, false))
            .max()
            .unwrap_or(0);
        let label_w = (widest_row + 10).clamp(60, (width as f64 * 0.3) as i32);
        let ncols = first.cols.len().max(1) as i32;
        let gaps = first.col_colors.windows(2).filter(|w| w[0] != w[1]).count() as i32;
        let strip_w = if panels.iter().any(|p| p.row_colors.is_some()) {
            STRIP + 4
        } else {
            0
        };
        let avail = width - 2 * m - label_w - strip_w - COLORBAR_W - gaps * GROUP_GAP;
        let col_w = (avail / ncols).clamp(34, 150);
        let mut col_x = Vec::new();
        let mut x = m + label_w + strip_w;
        for (i, _) in first.cols.iter().enumerate() {
            if i > 0 && first.col_colors[i] != first.col_colors[i - 1] {
                x += GROUP_GAP;
            }
            col_x.push((x, col_w));
            x += col_w;
        }
        let col_lines: Vec<Vec<String>> = first
            .cols
            .iter()
            .map(|c| wrap(c, size::TICK, false, col_w - 6, 2))
            .collect();
        let lines = col_lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let note = if first.col_notes.iter().any(|n| !n.is_empty()) {
            line_height(size::SMALL) + 2
        } else {
            0
        };
        let header_h = lines * line_height(size::TICK) + note + 4 + STRIP + 4;
        let widest_value = panels
            .iter()
            .map(|p| {
                let probe = format!("{:.*}", p.decimals, p.vmax);
                text_width(&probe, size::SMALL, false)
            })
            .max()
            .unwrap_or(0);
        MatrixLayout {
            label_w,
            col_x,
            header_h,
            col_lines,
            values_fit: widest_value + 6 <= col_w,
        }
    }

    /// Right edge of the cells.
    fn cells_right(&self) -> i32 {
        self.col_x.last().map(|(x, w)| x + w).unwrap_or(0)
    }

    /// Total width used (cells and colorbar, plus the right margin).
    pub fn width(&self) -> i32 {
        self.cells_right() + COLORBAR_W + size::MARGIN
    }
}

/// Height of a row with `label` wrapped into the label column.
fn row_lines(label: &str, layout: &MatrixLayout) -> Vec<String> {
    wrap(label, size::TICK, false, layout.label_w - 8, 2)
}

fn row_height(lines: usize) -> i32 {
    (lines as i32 * line_height(size::TICK) + 10).max(30)
}

impl Matrix {
    /// Height of the panel (title, header, rows).
    pub fn height(&self, layout: &MatrixLayout) -> i32 {
        let title = if self.title.is_empty() {
            0
        } else {
            line_height(size::LABEL) + 8
        };
        let rows: i32 = self
            .rows
            .iter()
            .map(|r| row_height(row_lines(r, layout).len()))
            .sum();
        title + layout.header_h + rows.max(90)
    }

    /// Draws the panel with its top at `y`.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        layout: &MatrixLayout,
        mut y: i32,
    ) -> DrawResult<DB> {
        let m = size::MARGIN;
        if !self.title.is_empty() {
            text(
                area,
                &self.title,
                (m, y),
                size::LABEL,
                true,
                INK,
                HPos::Left,
                VPos::Top,
            )?;
            y += line_height(size::LABEL) + 8;
        }
        // Column header: wrapped label, note, group strip.
        let lh = line_height(size::TICK);
        let strip_y = y + layout.header_h - STRIP - 4;
        for (i, (x, w)) in layout.col_x.iter().enumerate() {
            let cx = x + w / 2;
            let lines = &layout.col_lines[i];
            let note = self.col_notes.get(i).filter(|n| !n.is_empty());
            let note_h = if note.is_some() {
                line_height(size::SMALL) + 2
            } else {
                0
            };
            // Bottom-align the label lines above the note.
            let top = strip_y - 4 - note_h - lines.len() as i32 * lh;
            for (k, l) in lines.iter().enumerate() {
                text(
                    area,
                    l,
                    (cx, top + k as i32 * lh),
                    size::TICK,
                    false,
                    INK,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            if let Some(n) = note {
                let n = truncate(n, size::SMALL, false, w - 4);
                text(
                    area,
                    &n,
                    (cx, strip_y - 3 - note_h + 1),
                    size::SMALL,
                    false,
                    MUTED,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            rect(
                area,
                (*x + 1, strip_y),
                (x + w - 1, strip_y + STRIP),
                self.col_colors[i],
            )?;
        }
        y += layout.header_h;
        let x_label = m;
        let right = layout.cells_right();
        let cells_top = y;
        for (r, label) in self.rows.iter().enumerate() {
            let lines = row_lines(label, layout);
            let h = row_height(lines.len());
            let text_top = y + (h - lines.len() as i32 * lh) / 2;
            for (k, l) in lines.iter().enumerate() {
                text(
                    area,
                    l,
                    (
                        x_label + layout.label_w - 8,
                        text_top + k as i32 * lh + lh / 2,
                    ),
                    size::TICK,
                    false,
                    INK,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            if let Some(colors) = &self.row_colors {
                let sx = x_label + layout.label_w;
                rect(area, (sx, y + 1), (sx + STRIP, y + h - 1), colors[r])?;
            }
            for (c, (x, w)) in layout.col_x.iter().enumerate() {
                let value = self.values[r][c];
                let fill = match value {
                    Some(v) if self.vmax > 0.0 => theme::sequential(v / self.vmax),
                    Some(_) => theme::sequential(0.0),
                    None => theme::MISSING,
                };
                rect(area, (x + 1, y + 1), (x + w - 1, y + h - 1), fill)?;
                let label = match value {
                    Some(0.0) => "0".to_string(),
                    Some(v) => format!("{v:.*}", self.decimals),
                    None => "–".to_string(),
                };
                if layout.values_fit || value.is_none() {
                    text(
                        area,
                        &label,
                        (x + w / 2, y + h / 2),
                        size::SMALL,
                        false,
                        if value.is_some() {
                            theme::text_on(fill)
                        } else {
                            MUTED
                        },
                        HPos::Center,
                        VPos::Center,
                    )?;
                }
            }
            y += h;
        }
        // Colorbar: white to dark over [0, vmax], three labelled ticks.
        let bx = right + 14;
        let bar_h = (y - cells_top).clamp(60, 220);
        let steps = 40;
        for s in 0..steps {
            let t0 = cells_top + bar_h - (s + 1) * bar_h / steps;
            let t1 = cells_top + bar_h - s * bar_h / steps;
            rect(
                area,
                (bx, t0),
                (bx + 12, t1),
                theme::sequential((s as f64 + 0.5) / steps as f64),
            )?;
        }
        super::rect_outline(area, (bx, cells_top), (bx + 12, cells_top + bar_h), MUTED)?;
        for (t, v) in [(0.0, 0.0), (0.5, self.vmax / 2.0), (1.0, self.vmax)] {
            let ty = cells_top + bar_h - (t * bar_h as f64).round() as i32;
            super::line(area, (bx + 12, ty), (bx + 16, ty), MUTED, 1)?;
            text(
                area,
                &format!("{v:.*}", self.decimals),
                (bx + 18, ty),
                size::SMALL,
                false,
                INK,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

/// The frame-profile figure: title, group legend, panels.
struct FrameProfile {
    width: i32,
    height: i32,
    header: Header,
    panels: Vec<Matrix>,
    layout: MatrixLayout,
}

impl Plot for FrameProfile {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let mut y = self.header.draw(root, self.width)?;
        for p in &self.panels {
            p.draw(root, &self.layout, y)?;
            y += p.height(&self.layout) + 18;
        }
        Ok(())
    }
}

/// Builds figure 1.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(scores) = &ctx.data.scores else {
        return Ok(not_computed(ID, TITLE, "the `scores` table is absent"));
    };
    let wanted = &ctx.config.heatmap_lexicons;
    let lexicons: Vec<&(String, Vec<String>)> = wanted
        .iter()
        .filter_map(|w| scores.lexicons.iter().find(|(l, _)| l == w))
        .collect();
    if lexicons.is_empty() || ctx.outlets.is_empty() {
        return Ok(not_computed(
            ID,
            TITLE,
            format!(
                "none of the lexicons in `[report] heatmap-lexicons` ({}) was scored in this run",
                wanted.join(", ")
            ),
        ));
    }
    let cols: Vec<String> = ctx.outlets.iter().map(|o| o.name.clone()).collect();
    let col_notes: Vec<String> = ctx
        .outlets
        .iter()
        .map(|o| format!("n = {}", o.n_docs))
        .collect();
    let col_colors: Vec<RGBColor> = ctx
        .outlets
        .iter()
        .map(|o| ctx.colors.color(o.group.as_deref()))
        .collect();
    let mut panels = Vec::new();
    let mut top = Vec::new();
    for (lexicon, categories) in &lexicons {
        let values: Vec<Vec<Option<f64>>> = categories
            .iter()
            .map(|c| {
                cols.iter()
                    .map(|o| scores.mean(lexicon, c, o).map(|(v, _)| v))
                    .collect()
            })
            .collect();
        let vmax = values
            .iter()
            .flatten()
            .flatten()
            .fold(0.0f64, |a, &b| a.max(b));
        // The highest cell, for the caption (ties: first in row, then column order).
        let mut best: Option<(usize, usize, f64)> = None;
        for (r, row) in values.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Some(v) = v {
                    if best.is_none_or(|(_, _, b)| *v > b) {
                        best = Some((r, c, *v));
                    }
                }
            }
        }
        if let Some((r, c, v)) = best {
            let n = scores
                .mean(lexicon, &categories[r], &cols[c])
                .map(|(_, n)| n)
                .unwrap_or(0);
            let ci = ctx.data.outlet_profiles.as_ref().and_then(|p| {
                p.iter()
                    .find(|p| {
                        p.lexicon == *lexicon && p.category == categories[r] && p.outlet == cols[c]
                    })
                    .and_then(|p| p.ci_low.zip(p.ci_high))
            });
            top.push(TopCell {
                lexicon: lexicon.clone(),
                category: categories[r].clone(),
                value: OutletValue {
                    outlet: cols[c].clone(),
                    value: v,
                    n,
                },
                ci,
            });
        }
        panels.push(Matrix {
            title: format!("{} lexicon", humanize(lexicon)),
            rows: categories.iter().map(|c| humanize(c)).collect(),
            row_colors: None,
            cols: cols.clone(),
            col_notes: col_notes.clone(),
            col_colors: col_colors.clone(),
            values,
            vmax,
            decimals: 1,
        });
    }
    let refs: Vec<&Matrix> = panels.iter().collect();
    let layout = MatrixLayout::new(&refs, ctx.width());
    let width = ctx.width().max(layout.width());
    let header = Header::new(TITLE, "Group:", ctx.group_legend(), width, 10);
    let height =
        header.height() + panels.iter().map(|p| p.height(&layout) + 18).sum::<i32>() + size::MARGIN;
    let plot = FrameProfile {
        width,
        height,
        header,
        panels,
        layout,
    };
    let has_missing = plot
        .panels
        .iter()
        .any(|p| p.values.iter().flatten().any(Option::is_none));
    ctx.figure(ID, TITLE, captions::frame_profile(&top, has_missing), &plot)
}
