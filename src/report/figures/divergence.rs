//! Figure 6, outlet divergence: a symmetric outlet × outlet heatmap of the Jensen–Shannon
//! divergence of the outlets' term distributions (`divergence`, event "pooled"), with the value
//! in each cell and group strips along both axes. The diagonal (an outlet with itself) is
//! blank. The caption compares the mean divergence within groups and between groups.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::heatmap::{Matrix, MatrixLayout};
use super::{not_computed, Ctx, DrawResult, Header, Outcome, Plot};
use crate::report::captions;
use crate::report::theme::size;
use crate::report::ReportError;

const ID: &str = "outlet_divergence";
const TITLE: &str = "Outlet divergence: Jensen–Shannon divergence of term distributions";

struct DivergenceFigure {
    width: i32,
    height: i32,
    header: Header,
    matrix: Matrix,
    layout: MatrixLayout,
}

impl Plot for DivergenceFigure {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let y = self.header.draw(root, self.width)?;
        self.matrix.draw(root, &self.layout, y)
    }
}

/// Builds figure 6.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(rows) = &ctx.data.divergence else {
        return Ok(not_computed(ID, TITLE, "the `divergence` table is absent"));
    };
    let mut jsd: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.event == "pooled") {
        if let Some(v) = r.jsd {
            jsd.insert((r.outlet_a.as_str(), r.outlet_b.as_str()), v);
            jsd.insert((r.outlet_b.as_str(), r.outlet_a.as_str()), v);
        }
    }
    if jsd.is_empty() {
        return Ok(not_computed(
            ID,
            TITLE,
            "the `divergence` table has no pooled rows",
        ));
    }
    // Outlets in display order; any outlet unknown to `documents` after them, by name.
    let mut outlets: Vec<String> = ctx
        .outlets
        .iter()
        .filter(|o| jsd.keys().any(|(a, _)| *a == o.name))
        .map(|o| o.name.clone())
        .collect();
    for (a, _) in jsd.keys() {
        if !outlets.iter().any(|o| o == a) {
            outlets.push(a.to_string());
        }
    }
    let values: Vec<Vec<Option<f64>>> = outlets
        .iter()
        .map(|a| {
            outlets
                .iter()
                .map(|b| {
                    if a == b {
                        None
                    } else {
                        jsd.get(&(a.as_str(), b.as_str())).copied()
                    }
                })
                .collect()
        })
        .collect();
    let vmax = jsd.values().fold(0.0f64, |a, &b| a.max(b));
    let colors: Vec<RGBColor> = outlets
        .iter()
        .map(|o| ctx.colors.color(ctx.group_of(o)))
        .collect();
    let matrix = Matrix {
        title: String::new(),
        rows: outlets.clone(),
        row_colors: Some(colors.clone()),
        cols: outlets.clone(),
        col_notes: Vec::new(),
        col_colors: colors,
        values,
        vmax,
        decimals: if vmax < 0.1 { 3 } else { 2 },
    };
    let width = ctx.width();
    let layout = MatrixLayout::new(&[&matrix], width);
    let width = width.max(layout.width());
    let header = Header::new(TITLE, "Group:", ctx.group_legend(), width, 10);
    let height = header.height() + matrix.height(&layout) + size::MARGIN;
    // Unordered pairs once each, for the caption.
    let mut pairs = Vec::new();
    let (mut within, mut between) = (Vec::new(), Vec::new());
    for (i, a) in outlets.iter().enumerate() {
        for b in outlets.iter().skip(i + 1) {
            if let Some(&v) = jsd.get(&(a.as_str(), b.as_str())) {
                pairs.push((a.clone(), b.clone(), v));
                let (ga, gb) = (ctx.group_of(a), ctx.group_of(b));
                if ga.is_some() && gb.is_some() {
                    if ga == gb {
                        within.push(v);
                    } else {
                        between.push(v);
                    }
                }
            }
        }
    }
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let caption = captions::divergence(&pairs, mean(&within), mean(&between));
    let plot = DivergenceFigure {
        width,
        height,
        header,
        matrix,
        layout,
    };
    ctx.figure(ID, TITLE, caption, &plot)
}
