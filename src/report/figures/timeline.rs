//! Figure 7, tone over time: small multiples, one panel per outlet, of the net tone of each
//! dated document (points, in the outlet's group color) and the outlet's mean per period
//! (line). All panels share both axes.
//!
//! The period follows the span of the dates: days up to 31 days, ISO weeks (Monday to Sunday)
//! up to 183 days, calendar months beyond. A period mean is drawn at the middle of its period.
//! Dates come from `documents.date`, tone from `tone` (the lexicon chosen as in figure 2).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    dashed_hline, draw_x_axis, draw_y_axis, line, line_height, marker, nice_domain, not_computed,
    text, text_width, truncate, x_axis_height, y_label_width, y_ticks, Ctx, DrawResult, Header,
    Outcome, Plot, Scale, Shape,
};
use crate::report::captions;
use crate::report::theme::{size, INK, MUTED};
use crate::report::ReportError;

const ID: &str = "tone_over_time";
const TITLE: &str = "Tone over time: net tone per 100 tokens of each document, by outlet";
const PANEL_H: i32 = 190;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// Days since 1970-01-01 as a date.
pub fn date_of(days: i32) -> NaiveDate {
    epoch() + Duration::days(days as i64)
}

/// A date as `YYYY-MM-DD`.
pub fn date_label(days: i32) -> String {
    date_of(days).format("%Y-%m-%d").to_string()
}

fn days_of(d: NaiveDate) -> i32 {
    (d - epoch()).num_days() as i32
}

/// Aggregation period for a span of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar days.
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
}

impl Period {
    /// The period for dates spanning `span` days.
    pub fn for_span(span: i32) -> Period {
        if span <= 31 {
            Period::Day
        } else if span <= 183 {
            Period::Week
        } else {
            Period::Month
        }
    }

    /// Adjective for captions.
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "daily",
            Period::Week => "weekly",
            Period::Month => "monthly",
        }
    }

    /// The middle of the period containing `days` (days since the epoch, fractional).
    pub fn midpoint(self, days: i32) -> f64 {
        let d = date_of(days);
        match self {
            Period::Day => days as f64,
            Period::Week => {
                let monday = days - d.weekday().num_days_from_monday() as i32;
                monday as f64 + 3.5
            }
            Period::Month => {
                let first = d.with_day(1).unwrap_or(d);
                let next = if d.month() == 12 {
                    NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
                }
                .unwrap_or(d);
                (days_of(first) as f64 + days_of(next) as f64) / 2.0
            }
        }
    }
}

/// Date ticks between `d0` and `d1` (days) at most `max` of them: every 1, 2, 7 or 14 days,
/// or the first of every 1, 2, 3 or 6 months, or of every 1, 2, 5 or 10 years.
pub fn date_ticks(d0: i32, d1: i32, max: usize) -> Vec<(i32, String)> {
    let max = max.max(2);
    for step in [1, 2, 7, 14] {
        if (((d1 - d0) / step) as usize) < max {
            let first = d0 + (step - (d0 - 4).rem_euclid(step)) % step; // 1970-01-05 is a Monday
            let first = if step >= 7 { first } else { d0 };
            return (0..)
                .map(|i| first + i * step)
                .take_while(|d| *d <= d1)
                .map(|d| (d, date_of(d).format("%-d %b").to_string()))
                .collect();
        }
    }
    let (start, end) = (date_of(d0), date_of(d1));
    let months = |a: NaiveDate, b: NaiveDate| {
        (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32
    };
    let mut fallback: Vec<(i32, String)> = Vec::new();
    for step in [1, 2, 3, 6, 12, 24, 60, 120] {
        if (months(start, end) / step) as usize + 1 > max {
            continue;
        }
        let fmt = if step < 12 { "%b %Y" } else { "%Y" };
        let ticks = month_starts(start, end, step)
            .into_iter()
            .map(|d| (days_of(d), d.format(fmt).to_string()))
            .collect::<Vec<_>>();
        if ticks.len() >= 2 {
            return ticks;
        }
        if fallback.is_empty() {
            fallback = ticks;
        }
    }
    if fallback.is_empty() {
        vec![(d0, date_of(d0).format("%Y-%m-%d").to_string())]
    } else {
        fallback
    }
}

/// First days of the months between `start` and `end` (inclusive) whose month number since
/// year 0 is a multiple of `step` (so 6-monthly ticks fall on January and July).
fn month_starts(start: NaiveDate, end: NaiveDate, step: i32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut index = start.year() * 12 + start.month() as i32 - 1;
    if start.day() != 1 {
        index += 1;
    }
    while let Some(d) =
        NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
    {
        if d > end {
            break;
        }
        if index.rem_euclid(step) == 0 {
            out.push(d);
        }
        index += 1;
    }
    out
}

struct Panel {
    title: String,
    color: RGBColor,
    points: Vec<(f64, f64)>,
    means: Vec<(f64, f64)>,
}

struct Timeline {
    width: i32,
    height: i32,
    header: Header,
    panels: Vec<Panel>,
    cols: i32,
    x_domain: (f64, f64),
    y_domain: (f64, f64),
    y_label_w: i32,
    years: String,
    period: &'static str,
}

impl Plot for Timeline {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let y = self.header.draw(root, self.width)?;
        let m = size::MARGIN;
        let axis_title_w = line_height(size::LABEL) + 8;
        let left = m + axis_title_w + self.y_label_w + 10;
        let gap = 28;
        let pw =
            (self.width - left - m - (self.cols - 1) * (gap + self.y_label_w + 10)) / self.cols;
        let full_h = PANEL_H + x_axis_height();
        for (i, p) in self.panels.iter().enumerate() {
            let (c, r) = (i as i32 % self.cols, i as i32 / self.cols);
            let x0 = left + c * (pw + gap + self.y_label_w + 10);
            let top = y + r * (full_h + 14) + line_height(size::LABEL) + 6;
            let bottom = top + PANEL_H - line_height(size::LABEL) - 6;
            text(
                root,
                &truncate(&p.title, size::LABEL, true, pw),
                (x0, top - 4),
                size::LABEL,
                true,
                p.color,
                HPos::Left,
                VPos::Bottom,
            )?;
            let xs = Scale {
                d0: self.x_domain.0,
                d1: self.x_domain.1,
                r0: (x0 + 6) as f64,
                r1: (x0 + pw - 6) as f64,
            };
            let ys = Scale {
                d0: self.y_domain.0,
                d1: self.y_domain.1,
                r0: bottom as f64,
                r1: (top + 4) as f64,
            };
            let max_ticks = (pw / (text_width("Sep 2018", size::TICK, false) + 16)).max(2) as usize;
            let ticks: Vec<(f64, String)> = date_ticks(
                self.x_domain.0.ceil() as i32,
                self.x_domain.1.floor() as i32,
                max_ticks,
            )
            .into_iter()
            .map(|(d, l)| (d as f64, l))
            .collect();
            let yt = y_ticks(&ys, 4);
            let y_title = if c == 0 { "net tone" } else { "" };
            draw_y_axis(root, &ys, &yt, x0, x0 + pw, y_title, m + 8)?;
            draw_x_axis(root, &xs, &ticks, bottom, top, "")?;
            if self.y_domain.0 < 0.0 && self.y_domain.1 > 0.0 {
                dashed_hline(root, ys.px(0.0), x0, x0 + pw, MUTED)?;
            }
            for (d, v) in &p.points {
                marker(
                    root,
                    Shape::Circle,
                    (xs.px(*d), ys.px(*v)),
                    3,
                    p.color.mix(0.45),
                )?;
            }
            for w in p.means.windows(2) {
                line(
                    root,
                    (xs.px(w[0].0), ys.px(w[0].1)),
                    (xs.px(w[1].0), ys.px(w[1].1)),
                    p.color,
                    2,
                )?;
            }
            for (d, v) in &p.means {
                marker(
                    root,
                    Shape::Diamond,
                    (xs.px(*d), ys.px(*v)),
                    4,
                    p.color.to_rgba(),
                )?;
            }
        }
        let rows = (self.panels.len() as i32 + self.cols - 1) / self.cols;
        let bottom = y + rows * (full_h + 14) - 14;
        text(
            root,
            &format!(
                "publication date, {} (points: documents; line and ◆: {} means)",
                self.years, self.period
            ),
            (
                (left + self.width - m) / 2,
                bottom - line_height(size::LABEL) + 2,
            ),
            size::LABEL,
            false,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
        Ok(())
    }
}

/// Builds figure 7.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(tone) = &ctx.data.tone else {
        return Ok(not_computed(ID, TITLE, "the `tone` table is absent"));
    };
    let Some(lexicon) = super::tone_lexicon(tone) else {
        return Ok(not_computed(ID, TITLE, "the `tone` table has no rows"));
    };
    let docs = &ctx.data.docs;
    let rows: Vec<(&str, i32, f64)> = tone
        .iter()
        .filter(|t| t.lexicon == lexicon)
        .filter_map(|t| {
            let d = &docs[t.doc];
            Some((d.outlet_name(), d.date?, t.net_tone))
        })
        .collect();
    let undated = tone
        .iter()
        .filter(|t| t.lexicon == lexicon && docs[t.doc].date.is_none())
        .count();
    if rows.is_empty() {
        return Ok(not_computed(ID, TITLE, "no document has a date"));
    }
    let d0 = rows.iter().map(|r| r.1).min().unwrap_or(0);
    let d1 = rows.iter().map(|r| r.1).max().unwrap_or(0);
    if d0 == d1 {
        return Ok(not_computed(
            ID,
            TITLE,
            "all dated documents share one date",
        ));
    }
    let period = Period::for_span(d1 - d0);
    let mut panels = Vec::new();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for o in &ctx.outlets {
        let mine: Vec<&(&str, i32, f64)> = rows.iter().filter(|r| r.0 == o.name).collect();
        if mine.is_empty() {
            continue;
        }
        let mut by_period: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
        let mut points = Vec::new();
        for (_, d, v) in &mine {
            points.push((*d as f64, *v));
            lo = lo.min(*v);
            hi = hi.max(*v);
            // Key by the midpoint in half-days so it is an exact integer.
            let e = by_period
                .entry((period.midpoint(*d) * 2.0).round() as i64)
                .or_default();
            e.0 += v;
            e.1 += 1;
        }
        points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let means = by_period
            .into_iter()
            .map(|(k, (s, n))| (k as f64 / 2.0, s / n as f64))
            .collect();
        panels.push(Panel {
            title: format!("{} (n = {})", o.name, mine.len()),
            color: ctx.colors.color(o.group.as_deref()),
            points,
            means,
        });
    }
    let width = ctx.width();
    let m = size::MARGIN;
    let cols = if panels.len() <= 1 {
        1
    } else if width >= 1300 && panels.len() > 4 {
        3
    } else {
        2
    };
    // 5% headroom so a value on a tick (often 0) does not sit on the panel's edge.
    let pad = ((hi - lo) * 0.05).max(0.1);
    let y_domain = nice_domain(lo - pad, hi + pad, 4);
    let probe = Scale {
        d0: y_domain.0,
        d1: y_domain.1,
        r0: PANEL_H as f64,
        r1: 0.0,
    };
    let y_label_w = y_label_width(&y_ticks(&probe, 4));
    // Pad the dates by 2% so edge points are not on the axis.
    let pad = ((d1 - d0) as f64 * 0.02).max(0.5);
    let x_domain = (d0 as f64 - pad, d1 as f64 + pad);
    let header = Header::new(TITLE, "Group:", ctx.group_legend(), width, 12);
    let rows_n = (panels.len() as i32 + cols - 1) / cols;
    let height = header.height() + rows_n * (PANEL_H + x_axis_height() + 14) - 14 + m;
    let caption = captions::tone_over_time(
        lexicon,
        period.name(),
        rows.len(),
        undated,
        &date_label(d0),
        &date_label(d1),
    );
    let (y0, y1) = (date_of(d0).year(), date_of(d1).year());
    let years = if y0 == y1 {
        y0.to_string()
    } else {
        format!("{y0}–{y1}")
    };
    let plot = Timeline {
        width,
        height,
        header,
        panels,
        cols,
        x_domain,
        y_domain,
        y_label_w,
        years,
        period: period.name(),
    };
    ctx.figure(ID, TITLE, caption, &plot)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> i32 {
        days_of(NaiveDate::from_ymd_opt(y, m, day).unwrap())
    }

    #[test]
    fn periods_follow_the_span() {
        assert_eq!(Period::for_span(20), Period::Day);
        assert_eq!(Period::for_span(88), Period::Week);
        assert_eq!(Period::for_span(1200), Period::Month);
        // 2018-01-10 is a Wednesday: its ISO week starts Monday 2018-01-08, midpoint +3.5 days.
        assert_eq!(
            Period::Week.midpoint(d(2018, 1, 10)),
            d(2018, 1, 8) as f64 + 3.5
        );
        // February 2018: from day of Feb 1 to day of Mar 1, midpoint 14 days after Feb 1.
        assert_eq!(
            Period::Month.midpoint(d(2018, 2, 20)),
            d(2018, 2, 1) as f64 + 14.0
        );
    }

    #[test]
    fn date_ticks_pick_round_steps() {
        let t = date_ticks(d(2018, 1, 3), d(2018, 3, 30), 6);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Feb 2018", "Mar 2018"]);
        let t = date_ticks(d(2018, 1, 3), d(2018, 1, 20), 6);
        // 17 days, at most 6 ticks: weekly, on Mondays (Jan 8 and 15).
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["8 Jan", "15 Jan"]);
        let t = date_ticks(d(2021, 12, 1), d(2025, 3, 12), 5);
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2022", "2023", "2024", "2025"]);
    }
}
