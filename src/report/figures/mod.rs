//! The report's figures, one file each, drawn with plotters into SVG and PNG.
//!
//! Every figure is a [`Plot`]: it computes its own layout (sizes follow the number of rows,
//! the measured width of its labels and the configured width) and draws with pixel coordinates
//! through the helpers below, so the same drawing code produces the SVG (inlined into
//! `report.html`) and the PNG (linked from `report.md`). Everything is drawn in a fixed order
//! from sorted data, so two renders of the same tables are byte-identical; plotters' own
//! `Histogram` element is not used because it iterates a HashMap.
//!
//! A figure whose table is absent, or has nothing to show, is [`Outcome::NotComputed`] with
//! the reason, and the report says so instead of failing.

pub mod divergence;
pub mod docmap;
pub mod forest;
pub mod heatmap;
pub mod keyness;
pub mod timeline;
pub mod tone;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::RunData;
use super::theme::{self, size, GroupColors, INK, MUTED};
use super::ReportConfig;

/// The result of drawing, with the backend's error type.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A figure that can be drawn on any plotters backend.
pub trait Plot {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the whole figure.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// A drawn figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem (`frame_profile` -> `figures/frame_profile.svg`).
    pub id: &'static str,
    /// Title, as in the figure.
    pub title: String,
    /// Generated caption stating the measured values.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
    /// The PNG file, when PNGs are enabled.
    pub png: Option<Vec<u8>>,
}

/// A figure, or why it is not in this report.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Drawn.
    Drawn(Figure),
    /// Not computed: (file stem, title, reason).
    NotComputed {
        /// File stem the figure would have had.
        id: &'static str,
        /// The figure's title.
        title: String,
        /// Why it is absent, e.g. "the `comparisons` table is absent".
        reason: String,
    },
}

impl Outcome {
    /// The file stem.
    pub fn id(&self) -> &'static str {
        match self {
            Outcome::Drawn(f) => f.id,
            Outcome::NotComputed { id, .. } => id,
        }
    }
}

/// Every figure's file stem, in report order (used to remove stale files).
pub const ALL_IDS: [&str; 7] = [
    "frame_profile",
    "tone_by_outlet",
    "group_differences",
    "keyness",
    "document_map",
    "outlet_divergence",
    "tone_over_time",
];

/// An outlet as figures show it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletInfo {
    /// Outlet name ([`super::data::NO_OUTLET`] for documents without one).
    pub name: String,
    /// The outlet's group: the most frequent group among its kept documents (ties: the
    /// alphabetically first).
    pub group: Option<String>,
    /// Kept documents.
    pub n_docs: u64,
}

/// What every figure needs: the run's data, the group colors and the settings.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The run's tables.
    pub data: &'a RunData,
    /// Group colors, fixed for the report.
    pub colors: GroupColors,
    /// Outlets sorted by group (no group last), then name.
    pub outlets: Vec<OutletInfo>,
    /// Report settings.
    pub config: &'a ReportConfig,
}

impl<'a> Ctx<'a> {
    /// Builds the context: colors from every group in `documents`, outlets in display order.
    pub fn new(data: &'a RunData, config: &'a ReportConfig) -> Ctx<'a> {
        let colors = GroupColors::new(data.docs.iter().filter_map(|d| d.group.as_deref()));
        let mut by_outlet: std::collections::BTreeMap<
            &str,
            std::collections::BTreeMap<Option<&str>, u64>,
        > = std::collections::BTreeMap::new();
        for d in data.kept() {
            *by_outlet
                .entry(d.outlet_name())
                .or_default()
                .entry(d.group.as_deref())
                .or_default() += 1;
        }
        let mut outlets: Vec<OutletInfo> = by_outlet
            .into_iter()
            .map(|(name, groups)| {
                let n_docs = groups.values().sum();
                // Most frequent group; BTreeMap order makes ties go to the first name.
                let group = groups
                    .iter()
                    .fold(None::<(Option<&str>, u64)>, |best, (g, n)| match best {
                        Some((_, bn)) if bn >= *n => best,
                        _ => Some((*g, *n)),
                    })
                    .and_then(|(g, _)| g.map(str::to_string));
                OutletInfo {
                    name: name.to_string(),
                    group,
                    n_docs,
                }
            })
            .collect();
        outlets.sort_by(|a, b| {
            (a.group.is_none(), &a.group, &a.name).cmp(&(b.group.is_none(), &b.group, &b.name))
        });
        Ctx {
            data,
            colors,
            outlets,
            config,
        }
    }

    /// Figure width in pixels.
    pub fn width(&self) -> i32 {
        self.config.width.max(480) as i32
    }

    /// The group of an outlet.
    pub fn group_of(&self, outlet: &str) -> Option<&str> {
        self.outlets
            .iter()
            .find(|o| o.name == outlet)
            .and_then(|o| o.group.as_deref())
    }

    /// The group legend entries.
    pub fn group_legend(&self) -> Vec<LegendItem> {
        let mut items: Vec<LegendItem> = self
            .colors
            .entries()
            .map(|(g, c)| LegendItem {
                swatch: Swatch::Square(c),
                label: g.to_string(),
            })
            .collect();
        if self.outlets.iter().any(|o| o.group.is_none()) {
            items.push(LegendItem {
                swatch: Swatch::Square(theme::NO_GROUP),
                label: theme::NO_GROUP_LABEL.to_string(),
            });
        }
        items
    }

    /// Renders a plot into a figure.
    pub fn figure(
        &self,
        id: &'static str,
        title: &str,
        caption: String,
        plot: &impl Plot,
    ) -> Result<Outcome, super::ReportError> {
        let (svg, png) =
            render(plot, self.config.png).map_err(|message| super::ReportError::Draw {
                figure: id.to_string(),
                message,
            })?;
        Ok(Outcome::Drawn(Figure {
            id,
            title: title.to_string(),
            caption,
            svg,
            png,
        }))
    }
}

/// The lexicon the tone figures show: `tone` when present, else the alphabetically first
/// lexicon of the `tone` table.
pub fn tone_lexicon(tone: &[crate::report::data::ToneRow]) -> Option<&str> {
    let lexicons: std::collections::BTreeSet<&str> =
        tone.iter().map(|t| t.lexicon.as_str()).collect();
    lexicons
        .iter()
        .find(|l| **l == "tone")
        .or_else(|| lexicons.iter().next())
        .copied()
}

/// A figure that is not in this run, with the reason.
pub fn not_computed(id: &'static str, title: &str, reason: impl Into<String>) -> Outcome {
    Outcome::NotComputed {
        id,
        title: title.to_string(),
        reason: reason.into(),
    }
}

/// Renders `plot` to an SVG string and (with `png`) PNG bytes.
pub fn render(plot: &impl Plot, png: bool) -> Result<(String, Option<Vec<u8>>), String> {
    if !theme::ensure_fonts() {
        return Err("the embedded font could not be loaded".to_string());
    }
    let (w, h) = plot.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        plot.draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let svg = svg.replace(
        &format!("font-family=\"{}\"", theme::FONT),
        &format!("font-family=\"{}\"", theme::SVG_FONT),
    );
    let png = if png {
        let mut buf = vec![0u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            plot.draw(&root).map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())?;
        }
        let mut out = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut out),
            &buf,
            w,
            h,
            image::ColorType::Rgb8,
        )
        .map_err(|e| e.to_string())?;
        Some(out)
    } else {
        None
    };
    Ok((svg, png))
}

// ---------------------------------------------------------------------------------------------
// Text: measuring, wrapping, abbreviating.

fn font(px: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(theme::FONT), px, style)
}

/// Width of `text` in pixels at font size `px` (a rough estimate if the font is unavailable).
pub fn text_width(text: &str, px: f64, bold: bool) -> i32 {
    theme::ensure_fonts();
    match font(px, bold).box_size(text) {
        Ok((w, _)) => w as i32,
        Err(_) => (text.chars().count() as f64 * px * 0.6).ceil() as i32,
    }
}

/// Line height for font size `px`.
pub fn line_height(px: f64) -> i32 {
    (px * 1.05).ceil() as i32
}

/// `text` shortened with "…" to fit `max_w` pixels.
pub fn truncate(text: &str, px: f64, bold: bool, max_w: i32) -> String {
    if text_width(text, px, bold) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let candidate: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&candidate, px, bold) <= max_w {
            return candidate;
        }
    }
    "…".to_string()
}

/// Greedy word wrap of `text` into at most `max_lines` lines of at most `max_w` pixels; words
/// that do not fit and text beyond the last line are cut with "…".
pub fn wrap(text: &str, px: f64, bold: bool, max_w: i32, max_lines: usize) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() && lines.len() < max_lines.max(1) {
        let mut current = words[i].to_string();
        i += 1;
        while i < words.len() {
            let candidate = format!("{current} {}", words[i]);
            if text_width(&candidate, px, bold) > max_w {
                break;
            }
            current = candidate;
            i += 1;
        }
        lines.push(current);
    }
    let cut = i < words.len();
    let n = lines.len();
    for (k, line) in lines.iter_mut().enumerate() {
        *line = if cut && k + 1 == n {
            truncate(&format!("{line}…"), px, bold, max_w)
        } else {
            truncate(line, px, bold, max_w)
        };
    }
    lines
}

/// A category or lexicon name for display: `threat_by_others` -> `threat by others`.
pub fn humanize(name: &str) -> String {
    name.replace('_', " ")
}

// ---------------------------------------------------------------------------------------------
// Scales and ticks.

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Data domain.
    pub d0: f64,
    /// Data domain.
    pub d1: f64,
    /// Pixel range.
    pub r0: f64,
    /// Pixel range.
    pub r1: f64,
}

impl Scale {
    /// Maps `v` to a pixel coordinate.
    pub fn px(&self, v: f64) -> i32 {
        let span = self.d1 - self.d0;
        let t = if span.abs() < f64::EPSILON {
            0.5
        } else {
            (v - self.d0) / span
        };
        (self.r0 + t * (self.r1 - self.r0)).round() as i32
    }
}

/// "Nice" tick values covering [lo, hi] with about `target` intervals (Heckbert 1990, "Nice
/// numbers for graph labels", Graphics Gems): the step is 1, 2, 5 or 10 times a power of ten.
/// Returns the ticks and the step; the first and last tick enclose the range.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let (mut lo, mut hi) = (lo.min(hi), lo.max(hi));
    if !lo.is_finite() || !hi.is_finite() {
        return (vec![0.0, 1.0], 1.0);
    }
    if (hi - lo).abs() < 1e-12 {
        let pad = if lo.abs() > 1e-12 {
            lo.abs() * 0.1
        } else {
            1.0
        };
        lo -= pad;
        hi += pad;
    }
    let nice = |x: f64, round: bool| {
        let e = x.log10().floor();
        let f = x / 10f64.powf(e);
        let n = if round {
            if f < 1.5 {
                1.0
            } else if f < 3.0 {
                2.0
            } else if f < 7.0 {
                5.0
            } else {
                10.0
            }
        } else if f <= 1.0 {
            1.0
        } else if f <= 2.0 {
            2.0
        } else if f <= 5.0 {
            5.0
        } else {
            10.0
        };
        n * 10f64.powf(e)
    };
    let range = nice(hi - lo, false);
    let step = nice(range / target.max(1) as f64, true);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let n = ((end - start) / step).round() as i64;
    let ticks = (0..=n)
        .map(|i| {
            let v = start + i as f64 * step;
            // Remove float noise such as 0.30000000000000004 and -0.
            let v = ((v / step).round() * step * 1e9).round() / 1e9;
            if v.abs() < step * 1e-9 {
                0.0
            } else {
                v
            }
        })
        .collect();
    (ticks, step)
}

/// Formats a tick value with as many decimals as `step` needs, with a real minus sign.
pub fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().max(0.0) as usize
    };
    minus(&format!("{v:.decimals$}"))
}

/// Replaces a leading hyphen-minus by U+2212 MINUS SIGN.
pub fn minus(s: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => format!("−{rest}"),
        Some(rest) => rest.to_string(),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers (pixel coordinates on the root area).

/// Draws `text` at `(x, y)` with the given anchor.
#[allow(clippy::too_many_arguments)]
pub fn text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    (x, y): (i32, i32),
    px: f64,
    bold: bool,
    color: RGBColor,
    h: HPos,
    v: VPos,
) -> DrawResult<DB> {
    if s.is_empty() {
        return Ok(());
    }
    let style = TextStyle::from(font(px, bold))
        .color(&color)
        .pos(Pos::new(h, v));
    area.draw_text(s, &style, (x, y))
}

/// Draws `text` rotated 90° counter-clockwise (reading upwards), centered on `(x, y)`.
pub fn text_vertical<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    (x, y): (i32, i32),
    px: f64,
    color: RGBColor,
) -> DrawResult<DB> {
    let style = TextStyle::from(font(px, false).transform(FontTransform::Rotate270))
        .color(&color)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(s, &style, (x, y))
}

/// A filled rectangle.
pub fn rect<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    color: RGBColor,
) -> DrawResult<DB> {
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
}

/// A rectangle outline.
pub fn rect_outline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    color: RGBColor,
) -> DrawResult<DB> {
    area.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        ShapeStyle::from(&color).stroke_width(1),
    ))
}

/// A straight line.
pub fn line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    area.draw(&PathElement::new(
        vec![a, b],
        ShapeStyle::from(&color).stroke_width(width),
    ))
}

/// A vertical dashed line (dashes of 5 px, gaps of 4 px).
pub fn dashed_vline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: i32,
    y0: i32,
    y1: i32,
    color: RGBColor,
) -> DrawResult<DB> {
    let mut y = y0;
    while y < y1 {
        line(area, (x, y), (x, (y + 5).min(y1)), color, 1)?;
        y += 9;
    }
    Ok(())
}

/// A horizontal dashed line.
pub fn dashed_hline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    y: i32,
    x0: i32,
    x1: i32,
    color: RGBColor,
) -> DrawResult<DB> {
    let mut x = x0;
    while x < x1 {
        line(area, (x, y), ((x + 5).min(x1), y), color, 1)?;
        x += 9;
    }
    Ok(())
}

/// Marker shapes, used for clusters and for significance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Filled circle.
    Circle,
    /// Circle outline.
    Ring,
    /// Filled upward triangle.
    Triangle,
    /// Filled square.
    Square,
    /// Filled diamond.
    Diamond,
    /// Filled downward triangle.
    TriangleDown,
    /// Plus sign.
    Plus,
    /// Diagonal cross (DBSCAN noise).
    Cross,
}

/// Draws a marker of radius `r` centered on `(x, y)`.
pub fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: Shape,
    (x, y): (i32, i32),
    r: i32,
    color: RGBAColor,
) -> DrawResult<DB> {
    let fill = ShapeStyle::from(&color).filled();
    match shape {
        Shape::Circle => area.draw(&Circle::new((x, y), r, fill)),
        Shape::Ring => {
            area.draw(&Circle::new((x, y), r, WHITE.filled()))?;
            area.draw(&Circle::new(
                (x, y),
                r,
                ShapeStyle::from(&color).stroke_width(2),
            ))
        }
        Shape::Triangle => area.draw(&Polygon::new(
            vec![(x, y - r - 1), (x - r - 1, y + r), (x + r + 1, y + r)],
            fill,
        )),
        Shape::TriangleDown => area.draw(&Polygon::new(
            vec![(x, y + r + 1), (x - r - 1, y - r), (x + r + 1, y - r)],
            fill,
        )),
        Shape::Square => area.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill)),
        Shape::Diamond => area.draw(&Polygon::new(
            vec![
                (x, y - r - 2),
                (x + r + 1, y),
                (x, y + r + 2),
                (x - r - 1, y),
            ],
            fill,
        )),
        Shape::Plus => {
            let s = ShapeStyle::from(&color).stroke_width(2);
            area.draw(&PathElement::new(vec![(x - r, y), (x + r, y)], s))?;
            area.draw(&PathElement::new(vec![(x, y - r), (x, y + r)], s))
        }
        Shape::Cross => {
            let s = ShapeStyle::from(&color).stroke_width(2);
            area.draw(&PathElement::new(vec![(x - r, y - r), (x + r, y + r)], s))?;
            area.draw(&PathElement::new(vec![(x - r, y + r), (x + r, y - r)], s))
        }
    }
}

/// The swatch drawn before a legend label.
#[derive(Debug, Clone, PartialEq)]
pub enum Swatch {
    /// A filled square of the color.
    Square(RGBColor),
    /// A marker.
    Marker(Shape, RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// What is drawn before the label.
    pub swatch: Swatch,
    /// The label.
    pub label: String,
}

const LEGEND_SWATCH: i32 = 14;
const LEGEND_GAP: i32 = 22;

/// Positions of legend items flowing left to right within `width`, wrapping to new lines:
/// (x offset, line index) per item, and the number of lines.
fn legend_layout(items: &[LegendItem], width: i32) -> (Vec<(i32, i32)>, i32) {
    let mut pos = Vec::with_capacity(items.len());
    let (mut x, mut line) = (0, 0);
    for item in items {
        let w = LEGEND_SWATCH + 6 + text_width(&item.label, size::TICK, false);
        if x > 0 && x + w > width {
            x = 0;
            line += 1;
        }
        pos.push((x, line));
        x += w + LEGEND_GAP;
    }
    (pos, if items.is_empty() { 0 } else { line + 1 })
}

/// Height of a legend with `title` (may be empty) within `width`.
pub fn legend_height(title: &str, items: &[LegendItem], width: i32) -> i32 {
    let title_w = if title.is_empty() {
        0
    } else {
        text_width(title, size::TICK, true) + 10
    };
    let (_, lines) = legend_layout(items, width - title_w);
    lines * (line_height(size::TICK) + 6)
}

/// Draws a legend with its top-left corner at `(x, y)`; returns its height.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    items: &[LegendItem],
    (x, y): (i32, i32),
    width: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let title_w = if title.is_empty() {
        0
    } else {
        text_width(title, size::TICK, true) + 10
    };
    let lh = line_height(size::TICK) + 6;
    if !title.is_empty() {
        text(
            area,
            title,
            (x, y + lh / 2),
            size::TICK,
            true,
            INK,
            HPos::Left,
            VPos::Center,
        )?;
    }
    let (pos, lines) = legend_layout(items, width - title_w);
    for (item, (dx, li)) in items.iter().zip(pos) {
        let cx = x + title_w + dx;
        let cy = y + li * lh + lh / 2;
        let half = LEGEND_SWATCH / 2;
        match &item.swatch {
            Swatch::Square(c) => rect(area, (cx, cy - half), (cx + LEGEND_SWATCH, cy + half), *c)?,
            Swatch::Marker(shape, c) => marker(area, *shape, (cx + half, cy), 5, c.to_rgba())?,
        }
        text(
            area,
            &item.label,
            (cx + LEGEND_SWATCH + 6, cy),
            size::TICK,
            false,
            INK,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(lines * lh)
}

/// Draws a figure title (bold, left-aligned) and returns the y below it.
pub fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    x: i32,
    y: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let lh = line_height(size::TITLE) + 2;
    for (i, l) in lines.iter().enumerate() {
        text(
            area,
            l,
            (x, y + i as i32 * lh),
            size::TITLE,
            true,
            INK,
            HPos::Left,
            VPos::Top,
        )?;
    }
    Ok(y + lines.len() as i32 * lh)
}

/// The title wrapped to the figure width (at most two lines).
pub fn title_lines(title: &str, width: i32) -> Vec<String> {
    wrap(title, size::TITLE, true, width, 2)
}

/// Height of the title block from [`title_lines`].
pub fn title_height(lines: &[String]) -> i32 {
    lines.len() as i32 * (line_height(size::TITLE) + 2)
}

/// The top of every figure: its title (at most two lines) and a legend under it.
///
/// Built once for the figure's width, so that the layout (the figure's height, where the body
/// starts) and the drawing use the same numbers.
pub struct Header {
    title: Vec<String>,
    legend_label: &'static str,
    legend: Vec<LegendItem>,
    legend_h: i32,
    /// Space between the legend and the figure's body.
    gap: i32,
}

impl Header {
    /// A header for a figure `width` pixels wide; `legend_label` may be empty.
    pub fn new(
        title: &str,
        legend_label: &'static str,
        legend: Vec<LegendItem>,
        width: i32,
        gap: i32,
    ) -> Header {
        let inner = width - 2 * size::MARGIN;
        Header {
            title: title_lines(title, inner),
            legend_h: legend_height(legend_label, &legend, inner),
            legend_label,
            legend,
            gap,
        }
    }

    /// Where the body starts: the top margin, title, legend and gap.
    pub fn height(&self) -> i32 {
        size::MARGIN + title_height(&self.title) + 6 + self.legend_h + self.gap
    }

    /// Fills the canvas white and draws the title and legend; returns where the body starts.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        width: i32,
    ) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let m = size::MARGIN;
        let y = draw_title(root, &self.title, m, m)? + 6;
        draw_legend(root, self.legend_label, &self.legend, (m, y), width - 2 * m)?;
        Ok(y + self.legend_h + self.gap)
    }
}

/// Draws an x axis along `y` for `scale`: tick marks, labels below, an axis title below them,
/// and vertical grid lines up to `grid_top` (none if `grid_top >= y`).
#[allow(clippy::too_many_arguments)]
pub fn draw_x_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &Scale,
    ticks: &[(f64, String)],
    y: i32,
    grid_top: i32,
    title: &str,
) -> DrawResult<DB> {
    let (x0, x1) = (scale.r0.round() as i32, scale.r1.round() as i32);
    for (v, label) in ticks {
        let x = scale.px(*v);
        if grid_top < y {
            line(area, (x, grid_top), (x, y), theme::GRID, 1)?;
        }
        line(area, (x, y), (x, y + 4), MUTED, 1)?;
        text(
            area,
            label,
            (x, y + 6),
            size::TICK,
            false,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
    }
    line(area, (x0, y), (x1, y), MUTED, 1)?;
    if !title.is_empty() {
        text(
            area,
            title,
            ((x0 + x1) / 2, y + 8 + line_height(size::TICK)),
            size::LABEL,
            false,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
    }
    Ok(())
}

/// Draws a y axis along `x` for `scale` (pixel range top to bottom): ticks, labels to the
/// left, horizontal grid lines to `grid_right`, and a rotated title at `title_x`.
#[allow(clippy::too_many_arguments)]
pub fn draw_y_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &Scale,
    ticks: &[(f64, String)],
    x: i32,
    grid_right: i32,
    title: &str,
    title_x: i32,
) -> DrawResult<DB> {
    for (v, label) in ticks {
        let y = scale.px(*v);
        if grid_right > x {
            line(area, (x, y), (grid_right, y), theme::GRID, 1)?;
        }
        line(area, (x - 4, y), (x, y), MUTED, 1)?;
        text(
            area,
            label,
            (x - 6, y),
            size::TICK,
            false,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
    }
    let (y0, y1) = (scale.r0.round() as i32, scale.r1.round() as i32);
    line(area, (x, y0), (x, y1), MUTED, 1)?;
    if !title.is_empty() {
        text_vertical(area, title, (title_x, (y0 + y1) / 2), size::LABEL, INK)?;
    }
    Ok(())
}

/// Width of the tick labels of a y axis.
pub fn y_label_width(ticks: &[(f64, String)]) -> i32 {
    ticks
        .iter()
        .map(|(_, l)| text_width(l, size::TICK, false))
        .max()
        .unwrap_or(0)
}

/// Ticks for a vertical scale, thinned so labels are at least 8 px apart.
pub fn y_ticks(scale: &Scale, target: usize) -> Vec<(f64, String)> {
    let mut target = target.max(2);
    loop {
        let (ticks, step) = nice_ticks(scale.d0, scale.d1, target);
        let labelled: Vec<(f64, String)> = ticks
            .iter()
            .filter(|v| {
                **v >= scale.d0.min(scale.d1) - 1e-9 && **v <= scale.d0.max(scale.d1) + 1e-9
            })
            .map(|v| (*v, tick_label(*v, step)))
            .collect();
        let fits = labelled
            .windows(2)
            .all(|w| (scale.px(w[1].0) - scale.px(w[0].0)).abs() >= line_height(size::TICK) + 8);
        if fits || target <= 2 {
            return labelled;
        }
        target -= 1;
    }
}

/// Pixels an x axis from [`draw_x_axis`] takes below its line (with a title).
pub fn x_axis_height() -> i32 {
    8 + line_height(size::TICK) + 4 + line_height(size::LABEL) + 4
}

/// Ticks for `scale`'s domain, thinned so labels never overlap (at least 12 px apart).
pub fn x_ticks(scale: &Scale, target: usize) -> Vec<(f64, String)> {
    let mut target = target.max(2);
    loop {
        let (ticks, step) = nice_ticks(scale.d0, scale.d1, target);
        let labelled: Vec<(f64, String)> = ticks
            .iter()
            .filter(|v| **v >= scale.d0 - 1e-9 && **v <= scale.d1 + 1e-9)
            .map(|v| (*v, tick_label(*v, step)))
            .collect();
        let fits = labelled.windows(2).all(|w| {
            let gap = (scale.px(w[1].0) - scale.px(w[0].0)).abs();
            let need = (text_width(&w[0].1, size::TICK, false)
                + text_width(&w[1].1, size::TICK, false))
                / 2
                + 12;
            gap >= need
        });
        if fits || target <= 2 {
            return labelled;
        }
        target -= 1;
    }
}

/// Expands [lo, hi] to nice tick bounds (so the axis ends on a tick).
pub fn nice_domain(lo: f64, hi: f64, target: usize) -> (f64, f64) {
    let (ticks, _) = nice_ticks(lo, hi, target);
    (*ticks.first().unwrap_or(&lo), *ticks.last().unwrap_or(&hi))
}

// ---------------------------------------------------------------------------------------------
// Label placement.

/// A label box to place: its anchor point (what it labels) and its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelBox {
    /// The labelled point.
    pub anchor: (f64, f64),
    /// Box width.
    pub w: f64,
    /// Box height.
    pub h: f64,
}

/// Places label boxes near their anchors without overlapping each other, inside `bounds`
/// (x0, y0, x1, y1). Each box starts centered just above its anchor; then, for a fixed number
/// of rounds, every overlapping pair is pushed apart along the axis of least overlap (half
/// each), boxes are pulled slightly back toward their anchors and clamped to the bounds. A
/// simple deterministic force scheme in the spirit of ggrepel; returns box centers.
pub fn repel_labels(boxes: &[LabelBox], bounds: (f64, f64, f64, f64)) -> Vec<(f64, f64)> {
    let (bx0, by0, bx1, by1) = bounds;
    let clamp = |c: (f64, f64), b: &LabelBox| {
        (
            c.0.clamp(bx0 + b.w / 2.0, (bx1 - b.w / 2.0).max(bx0 + b.w / 2.0)),
            c.1.clamp(by0 + b.h / 2.0, (by1 - b.h / 2.0).max(by0 + b.h / 2.0)),
        )
    };
    let mut pos: Vec<(f64, f64)> = boxes
        .iter()
        .map(|b| clamp((b.anchor.0, b.anchor.1 - b.h / 2.0 - 6.0), b))
        .collect();
    for round in 0..400 {
        let mut moved = false;
        for i in 0..boxes.len() {
            for j in (i + 1)..boxes.len() {
                let (a, b) = (&boxes[i], &boxes[j]);
                let dx = pos[j].0 - pos[i].0;
                let dy = pos[j].1 - pos[i].1;
                let ox = (a.w + b.w) / 2.0 + 2.0 - dx.abs();
                let oy = (a.h + b.h) / 2.0 + 2.0 - dy.abs();
                if ox <= 0.0 || oy <= 0.0 {
                    continue;
                }
                moved = true;
                // Ties (same position) are broken by index, deterministically.
                if oy <= ox {
                    let s = if dy > 0.0 || (dy == 0.0 && i < j) {
                        1.0
                    } else {
                        -1.0
                    };
                    pos[i].1 -= s * oy / 2.0;
                    pos[j].1 += s * oy / 2.0;
                } else {
                    let s = if dx > 0.0 || (dx == 0.0 && i < j) {
                        1.0
                    } else {
                        -1.0
                    };
                    pos[i].0 -= s * ox / 2.0;
                    pos[j].0 += s * ox / 2.0;
                }
            }
        }
        for (p, b) in pos.iter_mut().zip(boxes) {
            if round < 300 {
                let home = (b.anchor.0, b.anchor.1 - b.h / 2.0 - 6.0);
                p.0 += (home.0 - p.0) * 0.02;
                p.1 += (home.1 - p.1) * 0.02;
            }
            *p = clamp(*p, b);
        }
        if !moved && round >= 300 {
            break;
        }
    }
    pos
}

/// Whether two placed boxes overlap (used by tests and by figures to verify placement).
pub fn boxes_overlap(a: (f64, f64), aw: (f64, f64), b: (f64, f64), bw: (f64, f64)) -> bool {
    (a.0 - b.0).abs() < (aw.0 + bw.0) / 2.0 && (a.1 - b.1).abs() < (aw.1 + bw.1) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range_with_round_steps() {
        let (t, step) = nice_ticks(0.0, 9.3, 5);
        assert_eq!(step, 2.0);
        assert_eq!(t, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        // Range 0.64 -> nice 1.0; 1.0 / 5 = 0.2 -> step 0.2; floor(−1.15) = −2, ceil(2.05) = 3.
        let (t, step) = nice_ticks(-0.23, 0.41, 5);
        assert_eq!(step, 0.2);
        assert_eq!(t.first(), Some(&-0.4));
        assert_eq!(t.last(), Some(&0.6));
        assert!(t.contains(&0.0));
        // A degenerate range is padded.
        let (t, _) = nice_ticks(3.0, 3.0, 4);
        assert!(t.first().unwrap() < &3.0 && t.last().unwrap() > &3.0);
    }

    #[test]
    fn tick_labels_use_the_minus_sign_and_the_steps_decimals() {
        assert_eq!(tick_label(-0.5, 0.5), "−0.5");
        assert_eq!(tick_label(2.0, 1.0), "2");
        assert_eq!(tick_label(0.25, 0.05), "0.25");
        assert_eq!(minus("-0.0"), "0.0");
        assert_eq!(minus("−1"), "−1");
    }

    #[test]
    fn wrapping_keeps_words_and_cuts_with_an_ellipsis() {
        assert!(theme::ensure_fonts());
        let w = text_width("legality constitutionality", size::TICK, false);
        let lines = wrap(
            "legality constitutionality jurisprudence",
            size::TICK,
            false,
            w,
            2,
        );
        assert_eq!(lines, vec!["legality constitutionality", "jurisprudence"]);
        let one = wrap("угроза со стороны других", size::TICK, false, w / 2, 1);
        assert_eq!(one.len(), 1);
        assert!(one[0].ends_with('…'), "{one:?}");
        assert!(text_width(&one[0], size::TICK, false) <= w / 2);
        assert_eq!(humanize("threat_by_others"), "threat by others");
        assert_eq!(truncate("«Газпром»", size::TICK, false, 1000), "«Газпром»");
    }

    #[test]
    fn cyrillic_is_measured_with_real_glyph_widths() {
        assert!(theme::ensure_fonts());
        let latin = text_width("Meduza", size::TICK, false);
        let cyr = text_width("Медуза", size::TICK, false);
        assert!(latin > 30 && cyr > 30, "{latin} {cyr}");
        assert!(text_width("Медуза — «Новости»", size::TICK, false) > cyr);
    }

    #[test]
    fn repelled_labels_do_not_overlap_and_stay_inside() {
        let boxes: Vec<LabelBox> = (0..6)
            .map(|i| LabelBox {
                anchor: (100.0 + i as f64, 100.0),
                w: 60.0,
                h: 16.0,
            })
            .collect();
        let bounds = (0.0, 0.0, 400.0, 300.0);
        let pos = repel_labels(&boxes, bounds);
        for i in 0..pos.len() {
            let (x, y) = pos[i];
            assert!(x - 30.0 >= -1e-9 && x + 30.0 <= 400.0 + 1e-9);
            assert!(y - 8.0 >= -1e-9 && y + 8.0 <= 300.0 + 1e-9);
            for j in (i + 1)..pos.len() {
                assert!(
                    !boxes_overlap(pos[i], (60.0, 16.0), pos[j], (60.0, 16.0)),
                    "{i} and {j} overlap: {pos:?}"
                );
            }
        }
        assert_eq!(pos, repel_labels(&boxes, bounds));
    }

    /// A tiny run in memory: two outlets (one Cyrillic), two categories.
    fn small_run() -> crate::report::data::RunData {
        use crate::report::data::{Doc, RunData, ScoreMeans};
        let docs = vec![
            Doc {
                doc_id: Some("a".into()),
                outlet: Some("ТАСС".into()),
                group: Some("state".into()),
                kept: true,
                ..Doc::default()
            },
            Doc {
                doc_id: Some("b".into()),
                outlet: Some("Meduza".into()),
                group: Some("independent".into()),
                kept: true,
                ..Doc::default()
            },
        ];
        let mut scores = ScoreMeans {
            lexicons: vec![(
                "security".into(),
                vec!["threat_by_others".into(), "sovereignty".into()],
            )],
            ..ScoreMeans::default()
        };
        for (cat, outlet, v) in [
            ("threat_by_others", "ТАСС", 16.6),
            ("threat_by_others", "Meduza", 3.2),
            ("sovereignty", "ТАСС", 0.0),
            ("sovereignty", "Meduza", 2.0),
        ] {
            scores
                .cells
                .insert(("security".into(), cat.into(), outlet.into()), (v, 1));
        }
        RunData {
            docs,
            scores: Some(scores),
            ..RunData::default()
        }
    }

    #[test]
    fn a_figure_renders_byte_identically_twice() {
        let data = small_run();
        let config = ReportConfig {
            heatmap_lexicons: vec!["security".into()],
            ..ReportConfig::default()
        };
        let ctx = Ctx::new(&data, &config);
        let (Outcome::Drawn(a), Outcome::Drawn(b)) =
            (heatmap::build(&ctx).unwrap(), heatmap::build(&ctx).unwrap())
        else {
            panic!("the heatmap was not drawn");
        };
        assert_eq!(a.svg, b.svg);
        assert_eq!(a.png, b.png);
        // plotters writes text content on its own line.
        assert!(a.svg.contains(">\nТАСС\n</text>"), "Cyrillic label missing");
        assert!(a.svg.contains(">\n16.6\n</text>"));
        assert!(a.svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
        // Outlets are ordered by group: independent (Meduza) before state (ТАСС).
        assert!(a.svg.find("\nMeduza\n") < a.svg.find("\nТАСС\n"));
        assert_eq!(
            a.caption,
            "Mean rate per 1,000 tokens of each category over each outlet's documents \
             (columns: outlets, grouped and colored by group; n = documents). Highest in \
             security: “threat by others” in ТАСС (16.6 per 1k, n = 1)."
        );
    }

    #[test]
    fn outlets_take_their_most_frequent_group() {
        use crate::report::data::{Doc, RunData};
        let doc = |outlet: &str, group: Option<&str>| Doc {
            doc_id: Some(format!("{outlet}{group:?}")),
            outlet: Some(outlet.to_string()),
            group: group.map(str::to_string),
            kept: true,
            ..Doc::default()
        };
        let data = RunData {
            docs: vec![
                doc("RT", Some("state")),
                doc("RT", Some("state")),
                doc("RT", Some("independent")),
                doc("блог", None),
                doc("Meduza", Some("independent")),
            ],
            ..RunData::default()
        };
        let config = ReportConfig::default();
        let ctx = Ctx::new(&data, &config);
        let order: Vec<(&str, Option<&str>, u64)> = ctx
            .outlets
            .iter()
            .map(|o| (o.name.as_str(), o.group.as_deref(), o.n_docs))
            .collect();
        assert_eq!(
            order,
            [
                ("Meduza", Some("independent"), 1),
                ("RT", Some("state"), 3),
                ("блог", None, 1)
            ]
        );
    }

    #[test]
    fn scale_maps_linearly_and_survives_an_empty_domain() {
        let s = Scale {
            d0: 0.0,
            d1: 10.0,
            r0: 100.0,
            r1: 200.0,
        };
        assert_eq!(s.px(5.0), 150);
        assert_eq!(s.px(-1.0), 90);
        let flat = Scale {
            d0: 1.0,
            d1: 1.0,
            ..s
        };
        assert_eq!(flat.px(1.0), 150);
    }
}
