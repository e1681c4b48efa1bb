//! The look of every figure: colors, the embedded font, text sizes and spacing.
//!
//! Groups are colored from the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
//! which stays distinguishable for the common forms of color-vision deficiency. Colors are
//! assigned to the *sorted* names of every group in the `documents` table, so a group has the
//! same color in every figure of a report, whatever subset a figure shows. Continuous values
//! (rates, divergences) use a single-hue sequential ramp, ColorBrewer's "Purples" (Harrower &
//! Brewer 2003), which is ordered by lightness and so readable without hue discrimination; it
//! does not reuse a group color. Text is drawn with DejaVu Sans (embedded in the binary, so
//! figures render Latin and Cyrillic without system fonts; license in `fonts/LICENSE`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use plotters::style::{FontStyle, RGBColor};

/// DejaVu Sans (regular), embedded.
static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, embedded.
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// The font family name figures draw with (registered with plotters by [`ensure_fonts`]).
pub const FONT: &str = "sans-serif";

/// Font family written into SVG files: DejaVu Sans where the viewer has it (the metrics the
/// layout was computed with), else the viewer's sans-serif.
pub const SVG_FONT: &str = "DejaVu Sans, sans-serif";

/// Registers the embedded fonts with plotters, once per process. Returns false if the font
/// data could not be parsed (which would be a build defect, not an input problem).
pub fn ensure_fonts() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, REGULAR).is_ok()
            && plotters::style::register_font(FONT, FontStyle::Bold, BOLD).is_ok()
    })
}

/// The Okabe–Ito palette in the order groups receive it: blue, vermillion, bluish green,
/// reddish purple, orange, sky blue, yellow, black. Blue and vermillion (the first two groups,
/// the usual two-group study) are the pair with the largest contrast for all viewers; yellow,
/// hard to see on white, comes late.
pub const GROUP_PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// Color of documents without a group.
pub const NO_GROUP: RGBColor = RGBColor(140, 140, 140);
/// Text and axis color.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text (units, n, notes).
pub const MUTED: RGBColor = RGBColor(100, 100, 100);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Cells without a value.
pub const MISSING: RGBColor = RGBColor(238, 238, 238);
/// The label shown for documents without a group.
pub const NO_GROUP_LABEL: &str = "(no group)";

/// ColorBrewer "Purples", 9 classes, light to dark (Harrower & Brewer 2003).
const PURPLES: [(u8, u8, u8); 9] = [
    (252, 251, 253),
    (239, 237, 245),
    (218, 218, 235),
    (188, 189, 220),
    (158, 154, 200),
    (128, 125, 186),
    (106, 81, 163),
    (84, 39, 143),
    (63, 0, 125),
];

/// Text sizes in pixels (plotters' font size: the font's full height, about 1.2 em).
pub mod size {
    /// Figure title.
    pub const TITLE: f64 = 21.0;
    /// Panel titles and axis titles.
    pub const LABEL: f64 = 16.0;
    /// Tick labels, row and column labels, legends.
    pub const TICK: f64 = 15.0;
    /// Values printed in cells and small notes.
    pub const SMALL: f64 = 13.0;
    /// Outer margin of a figure.
    pub const MARGIN: i32 = 16;
}

/// Group name -> color, fixed for a whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupColors {
    colors: BTreeMap<String, RGBColor>,
}

impl GroupColors {
    /// Assigns [`GROUP_PALETTE`] to the groups in sorted order (cycling after eight groups).
    pub fn new<'a>(groups: impl IntoIterator<Item = &'a str>) -> GroupColors {
        let names: std::collections::BTreeSet<&str> = groups.into_iter().collect();
        let colors = names
            .into_iter()
            .enumerate()
            .map(|(i, g)| (g.to_string(), GROUP_PALETTE[i % GROUP_PALETTE.len()]))
            .collect();
        GroupColors { colors }
    }

    /// The color of `group` ([`NO_GROUP`] for none or an unknown group).
    pub fn color(&self, group: Option<&str>) -> RGBColor {
        group
            .and_then(|g| self.colors.get(g))
            .copied()
            .unwrap_or(NO_GROUP)
    }

    /// The groups in legend order (sorted), with their colors.
    pub fn entries(&self) -> impl Iterator<Item = (&str, RGBColor)> {
        self.colors.iter().map(|(g, c)| (g.as_str(), *c))
    }
}

/// The sequential ramp at `t` in [0, 1] (clamped), interpolated linearly between the classes.
pub fn sequential(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (PURPLES.len() - 1) as f64;
    let i = (x.floor() as usize).min(PURPLES.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (PURPLES[i], PURPLES[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `background` (WCAG relative luminance, threshold
/// 0.4).
pub fn text_on(background: RGBColor) -> RGBColor {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(background.0) + 0.7152 * lin(background.1) + 0.0722 * lin(background.2);
    if l < 0.4 {
        RGBColor(255, 255, 255)
    } else {
        INK
    }
}

/// `#rrggbb` for HTML.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_get_colors_by_sorted_name_whatever_the_input_order() {
        let a = GroupColors::new(["state", "independent", "state"]);
        let b = GroupColors::new(["independent", "state"]);
        assert_eq!(a, b);
        assert_eq!(a.color(Some("independent")), RGBColor(0, 114, 178));
        assert_eq!(a.color(Some("state")), RGBColor(213, 94, 0));
        assert_eq!(a.color(None), NO_GROUP);
        assert_eq!(a.color(Some("unknown")), NO_GROUP);
        let order: Vec<&str> = a.entries().map(|(g, _)| g).collect();
        assert_eq!(order, ["independent", "state"]);
    }

    #[test]
    fn cyrillic_group_names_sort_after_latin_and_keep_their_color() {
        let c = GroupColors::new(["госСМИ", "независимые", "bloggers"]);
        let order: Vec<&str> = c.entries().map(|(g, _)| g).collect();
        assert_eq!(order, ["bloggers", "госСМИ", "независимые"]);
        assert_eq!(c.color(Some("госСМИ")), GROUP_PALETTE[1]);
        assert_eq!(c.color(Some("независимые")), GROUP_PALETTE[2]);
    }

    #[test]
    fn a_ninth_group_cycles_to_the_first_color() {
        let names: Vec<String> = (0..9).map(|i| format!("g{i}")).collect();
        let c = GroupColors::new(names.iter().map(String::as_str));
        assert_eq!(c.color(Some("g8")), GROUP_PALETTE[0]);
    }

    #[test]
    fn ramp_ends_and_midpoint() {
        assert_eq!(sequential(0.0), RGBColor(252, 251, 253));
        assert_eq!(sequential(1.0), RGBColor(63, 0, 125));
        // t = 0.5 falls exactly on the fifth class.
        assert_eq!(sequential(0.5), RGBColor(158, 154, 200));
        assert_eq!(sequential(f64::NAN), RGBColor(252, 251, 253));
        assert_eq!(sequential(7.0), RGBColor(63, 0, 125));
    }

    #[test]
    fn text_is_white_on_dark_cells_only() {
        assert_eq!(text_on(RGBColor(63, 0, 125)), RGBColor(255, 255, 255));
        assert_eq!(text_on(RGBColor(252, 251, 253)), INK);
        assert_eq!(hex(RGBColor(0, 114, 178)), "#0072b2");
    }
}
