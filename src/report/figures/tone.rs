//! Figure 2, tone by outlet: the mean net tone of each outlet's documents with a 95%
//! confidence interval, dots colored by group, one panel per event when there are several.
//!
//! Net tone is the `tone` table's `(positive − negative) / n × 100` (Young & Soroka 2012) of the
//! `tone` lexicon (or, if a run has no lexicon of that name, the first polar lexicon by name).
//! The interval is the t-interval over documents, mean ± t(0.975, n − 1) × s / √n (no interval
//! for a single document): deterministic, and for the means of a few dozen documents close to
//! a bootstrap percentile interval. When the figure has a single panel and `outlet_profiles`
//! holds a `net_tone` row for the lexicon, that table's interval is used instead.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    dashed_vline, draw_x_axis, line, line_height, marker, nice_domain, not_computed, rect, text,
    text_width, truncate, x_axis_height, x_ticks, Ctx, DrawResult, Header, Outcome, Plot, Scale,
    Shape,
};
use crate::report::captions::{self, OutletValue};
use crate::report::data::NO_EVENT;
use crate::report::theme::{self, size, INK, MUTED};
use crate::report::ReportError;

const ID: &str = "tone_by_outlet";
const TITLE: &str = "Tone by outlet: mean net tone per 100 tokens, with 95% confidence intervals";

/// The 97.5% quantile of Student's t with `df` degrees of freedom: tabled values for df ≤ 30
/// (e.g. Fisher & Yates, *Statistical Tables*), beyond that the Cornish–Fisher expansion
/// around the normal quantile (Abramowitz & Stegun 26.7.5), accurate to 1e-4 there.
pub fn t975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::NAN;
    }
    if df <= 30 {
        return TABLE[df as usize - 1];
    }
    let z: f64 = 1.959_963_985;
    let v = df as f64;
    z + (z.powi(3) + z) / (4.0 * v)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / (384.0 * v.powi(3))
}

/// A mean with its 95% t-interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// The mean.
    pub mean: f64,
    /// Number of values.
    pub n: u64,
    /// The interval; None for a single value.
    pub ci: Option<(f64, f64)>,
}

/// Mean, n and the 95% t-interval of `values` (None when empty).
pub fn mean_ci(values: &[f64]) -> Option<MeanCi> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Some(MeanCi {
            mean,
            n: 1,
            ci: None,
        });
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let half = t975(values.len() as u64 - 1) * (var / n).sqrt();
    Some(MeanCi {
        mean,
        n: values.len() as u64,
        ci: Some((mean - half, mean + half)),
    })
}

/// One dot with its whisker.
#[derive(Debug, Clone, PartialEq)]
struct Dot {
    mean: f64,
    ci: Option<(f64, f64)>,
    color: RGBColor,
}

struct ToneFigure {
    width: i32,
    height: i32,
    header: Header,
    label_w: i32,
    rows: Vec<String>,
    facets: Vec<(String, Vec<Option<Dot>>)>,
    domain: (f64, f64),
    axis_title: String,
}

const ROW_H: i32 = 28;
const FACET_GAP: i32 = 40;

impl ToneFigure {
    fn facet_w(&self) -> i32 {
        let k = self.facets.len() as i32;
        (self.width - 2 * size::MARGIN - self.label_w - (k - 1) * FACET_GAP) / k
    }
}

impl Plot for ToneFigure {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let y = self.header.draw(root, self.width)?;
        let m = size::MARGIN;
        let facet_title_h = if self.facets.len() > 1 {
            line_height(size::LABEL) + 8
        } else {
            0
        };
        let top = y + facet_title_h;
        let bottom = top + self.rows.len() as i32 * ROW_H;
        // Row labels and alternating bands across all facets.
        for (r, label) in self.rows.iter().enumerate() {
            let ry = top + r as i32 * ROW_H;
            if r % 2 == 0 {
                rect(
                    root,
                    (m + self.label_w, ry),
                    (self.width - m, ry + ROW_H),
                    RGBColor(246, 246, 246),
                )?;
            }
            text(
                root,
                label,
                (m + self.label_w - 8, ry + ROW_H / 2),
                size::TICK,
                false,
                INK,
                HPos::Right,
                VPos::Center,
            )?;
        }
        let fw = self.facet_w();
        for (k, (name, dots)) in self.facets.iter().enumerate() {
            let x0 = m + self.label_w + k as i32 * (fw + FACET_GAP);
            let scale = Scale {
                d0: self.domain.0,
                d1: self.domain.1,
                // Inset so the end tick labels stay inside the facet.
                r0: (x0 + 18) as f64,
                r1: (x0 + fw - 18) as f64,
            };
            if facet_title_h > 0 {
                let t = truncate(name, size::LABEL, true, fw);
                text(
                    root,
                    &t,
                    (x0 + fw / 2, y),
                    size::LABEL,
                    true,
                    INK,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            let ticks = x_ticks(&scale, 8);
            draw_x_axis(root, &scale, &ticks, bottom, top, "")?;
            if self.domain.0 < 0.0 && self.domain.1 > 0.0 {
                dashed_vline(root, scale.px(0.0), top, bottom, MUTED)?;
            }
            for (r, dot) in dots.iter().enumerate() {
                let Some(dot) = dot else { continue };
                let cy = top + r as i32 * ROW_H + ROW_H / 2;
                if let Some((lo, hi)) = dot.ci {
                    let (a, b) = (scale.px(lo), scale.px(hi));
                    line(root, (a, cy), (b, cy), dot.color, 2)?;
                    line(root, (a, cy - 5), (a, cy + 5), dot.color, 2)?;
                    line(root, (b, cy - 5), (b, cy + 5), dot.color, 2)?;
                }
                marker(
                    root,
                    Shape::Circle,
                    (scale.px(dot.mean), cy),
                    6,
                    dot.color.to_rgba(),
                )?;
            }
        }
        // One axis title under all facets.
        let ax = m + self.label_w + (self.width - 2 * m - self.label_w) / 2;
        text(
            root,
            &self.axis_title,
            (ax, bottom + 8 + line_height(size::TICK) + 4),
            size::LABEL,
            false,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
        Ok(())
    }
}

/// Builds figure 2.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(tone) = &ctx.data.tone else {
        return Ok(not_computed(ID, TITLE, "the `tone` table is absent"));
    };
    let Some(lexicon) = super::tone_lexicon(tone) else {
        return Ok(not_computed(ID, TITLE, "the `tone` table has no rows"));
    };
    let docs = &ctx.data.docs;
    // outlet -> event -> net tones, and outlet -> all net tones.
    let mut by_event: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    let mut pooled: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut by_group: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut events: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for t in tone.iter().filter(|t| t.lexicon == lexicon) {
        let d = &docs[t.doc];
        let event = d.event.as_deref().unwrap_or(NO_EVENT);
        events.insert(event);
        by_event
            .entry((d.outlet_name(), event))
            .or_default()
            .push(t.net_tone);
        pooled.entry(d.outlet_name()).or_default().push(t.net_tone);
        by_group
            .entry(d.group.as_deref().unwrap_or(theme::NO_GROUP_LABEL))
            .or_default()
            .push(t.net_tone);
    }
    let mut events: Vec<&str> = events.into_iter().collect();
    // "(no event)" goes last.
    events.sort_by_key(|e| (*e == NO_EVENT, *e));
    let faceted = events.len() > 1 && events.len() <= 6;
    let outlets: Vec<&super::OutletInfo> = ctx
        .outlets
        .iter()
        .filter(|o| pooled.contains_key(o.name.as_str()))
        .collect();
    let profile_ci = |outlet: &str| -> Option<(f64, f64)> {
        if faceted {
            return None;
        }
        ctx.data.outlet_profiles.as_ref().and_then(|p| {
            p.iter()
                .find(|p| p.outlet == outlet && p.lexicon == lexicon && p.category == "net_tone")
                .and_then(|p| p.ci_low.zip(p.ci_high))
        })
    };
    let mut used_profiles = false;
    let mut dot = |outlet: &super::OutletInfo, values: Option<&Vec<f64>>| -> Option<Dot> {
        let MeanCi { mean, ci, .. } = mean_ci(values?)?;
        let ci = match profile_ci(&outlet.name) {
            Some(p) => {
                used_profiles = true;
                Some(p)
            }
            None => ci,
        };
        Some(Dot {
            mean,
            ci,
            color: ctx.colors.color(outlet.group.as_deref()),
        })
    };
    let facets: Vec<(String, Vec<Option<Dot>>)> = if faceted {
        events
            .iter()
            .map(|e| {
                let dots = outlets
                    .iter()
                    .map(|o| dot(o, by_event.get(&(o.name.as_str(), *e))))
                    .collect();
                (e.to_string(), dots)
            })
            .collect()
    } else {
        let dots = outlets
            .iter()
            .map(|o| dot(o, pooled.get(o.name.as_str())))
            .collect();
        vec![("all documents".to_string(), dots)]
    };
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for d in facets.iter().flat_map(|(_, d)| d.iter().flatten()) {
        lo = lo.min(d.mean);
        hi = hi.max(d.mean);
        if let Some((a, b)) = d.ci {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    let domain = nice_domain(lo, hi, 8);
    let width = ctx.width();
    let m = size::MARGIN;
    let label_w = outlets
        .iter()
        .map(|o| text_width(&o.name, size::TICK, false))
        .max()
        .unwrap_or(40)
        .min(width / 4)
        + 12;
    let rows: Vec<String> = outlets
        .iter()
        .map(|o| truncate(&o.name, size::TICK, false, label_w - 12))
        .collect();
    let header = Header::new(TITLE, "Group:", ctx.group_legend(), width, 12);
    let facet_title_h = if facets.len() > 1 {
        line_height(size::LABEL) + 8
    } else {
        0
    };
    let height = header.height() + facet_title_h + rows.len() as i32 * ROW_H + x_axis_height() + m;
    let interval = if used_profiles {
        "95% confidence intervals from `outlet_profiles`"
    } else {
        "95% t-intervals over documents (none for a single document)"
    };
    let outlet_values: Vec<OutletValue> = outlets
        .iter()
        .filter_map(|o| {
            let m = mean_ci(pooled.get(o.name.as_str())?)?;
            Some(OutletValue {
                outlet: o.name.clone(),
                value: m.mean,
                n: m.n,
            })
        })
        .collect();
    let groups: Vec<(String, f64, u64)> = by_group
        .iter()
        .filter_map(|(g, v)| mean_ci(v).map(|m| (g.to_string(), m.mean, m.n)))
        .collect();
    let caption = captions::tone(
        lexicon,
        interval,
        &outlet_values,
        &groups,
        if faceted { facets.len() } else { 1 },
    );
    let plot = ToneFigure {
        width,
        height,
        header,
        label_w,
        rows,
        facets,
        domain,
        axis_title: "net tone: (positive − negative hits) per 100 tokens".to_string(),
    };
    ctx.figure(ID, TITLE, caption, &plot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_tables() {
        assert_eq!(t975(1), 12.706);
        assert_eq!(t975(10), 2.228);
        // Published values: t(0.975, 40) = 2.021, t(0.975, 120) = 1.980.
        assert!((t975(40) - 2.021).abs() < 5e-4, "{}", t975(40));
        assert!((t975(120) - 1.980).abs() < 5e-4, "{}", t975(120));
        assert!((t975(31) - 2.040).abs() < 5e-4, "{}", t975(31));
    }

    #[test]
    fn mean_and_t_interval_by_hand() {
        // 1, 2, 3: mean 2, s = 1, half-width = 4.303 / sqrt(3) = 2.4843.
        let m = mean_ci(&[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((m.mean, m.n), (2.0, 3));
        let (lo, hi) = m.ci.unwrap();
        assert!((lo - (2.0 - 2.484_33)).abs() < 1e-4 && (hi - 4.484_33).abs() < 1e-4);
        assert_eq!(
            mean_ci(&[-0.5]),
            Some(MeanCi {
                mean: -0.5,
                n: 1,
                ci: None
            })
        );
        assert_eq!(mean_ci(&[]), None);
    }
}
