//! Generated captions: each figure's caption states the values it shows, computed from the
//! tables, so a reader can quote the report without reading numbers off a plot.
//!
//! Number formatting is fixed: values of at least 100 without decimals, of at least 1 with one
//! decimal, smaller values with two; a CI uses the decimals of its estimate; negative numbers
//! use the minus sign (U+2212); q-values below 0.001 read "q < 0.001", below 0.1 with three
//! decimals, else two. A ratio "2.3× as often" is the ratio of the two group means and is only
//! stated when the smaller mean is above zero.

use super::data::Comparison;
use super::figures::{humanize, minus};

/// Decimals used for a value of magnitude `x`.
fn decimals(x: f64) -> usize {
    let a = x.abs();
    if a >= 100.0 {
        0
    } else if a >= 1.0 {
        1
    } else {
        2
    }
}

/// A number with the decimals its magnitude calls for.
pub fn num(x: f64) -> String {
    num_with(x, decimals(x))
}

/// A number with `d` decimals and a real minus sign.
pub fn num_with(x: f64, d: usize) -> String {
    minus(&format!("{x:.d$}"))
}

/// A number with an explicit sign (+0.4, −2.1, 0.0).
pub fn signed(x: f64) -> String {
    let s = num(x);
    if x > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// "95% CI 1.2–7.0", or "95% CI −0.10 to 0.70" when a bound is negative, with the decimals
/// of `estimate`.
pub fn ci(lo: f64, hi: f64, estimate: f64) -> String {
    let d = decimals(estimate.abs().max(lo.abs().min(hi.abs())));
    let (l, h) = (num_with(lo, d), num_with(hi, d));
    if lo < 0.0 || hi < 0.0 {
        format!("95% CI {l} to {h}")
    } else {
        format!("95% CI {l}–{h}")
    }
}

/// "q = 0.012", "q = 0.23", "q < 0.001".
pub fn q_value(q: f64) -> String {
    if q < 0.001 {
        "q < 0.001".to_string()
    } else if q < 0.1 {
        format!("q = {q:.3}")
    } else {
        format!("q = {q:.2}")
    }
}

/// A share as a percentage with one decimal ("34.2%").
pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// "“distancing” (attribution)".
pub fn category_name(lexicon: &str, category: &str) -> String {
    format!("“{}” ({})", humanize(category), humanize(lexicon))
}

/// How a group is named in prose: "state outlets"; the contract's "rest" is "the other
/// outlets".
fn outlets_of(group: &str) -> String {
    if group == "rest" {
        "the other outlets".to_string()
    } else {
        format!("{group} outlets")
    }
}

/// One comparison in words, leading with the group that uses the category more, e.g.
/// "independent outlets used “distancing” (attribution) 2.3× as often as state outlets
/// (difference 4.1 per 1k tokens, 95% CI 1.2–7.0, q = 0.010)".
pub fn comparison_phrase(c: &Comparison) -> String {
    let name = category_name(&c.lexicon, &c.category);
    let Some(diff) = c.diff else {
        return format!("{name}: difference not computable");
    };
    // Lead with the higher group; flip the difference and its CI when b is higher.
    let (hi, lo, mean_hi, mean_lo, d, ci_lo, ci_hi) = if diff >= 0.0 {
        (
            &c.group_a, &c.group_b, c.mean_a, c.mean_b, diff, c.ci_low, c.ci_high,
        )
    } else {
        (
            &c.group_b,
            &c.group_a,
            c.mean_b,
            c.mean_a,
            -diff,
            c.ci_high.map(|x| -x),
            c.ci_low.map(|x| -x),
        )
    };
    let how = match (mean_hi, mean_lo) {
        (Some(h), Some(l)) if l > 0.0 && h / l >= 1.05 => format!("{:.1}× as often as", h / l),
        (Some(h), Some(l)) if l > 0.0 && h / l < 1.05 => "about as often as".to_string(),
        (Some(h), Some(l)) if h > 0.0 && l == 0.0 => "more often than".to_string(),
        _ => "more often than".to_string(),
    };
    let mut stats = vec![format!("difference {} per 1k tokens", num(d))];
    if let (Some(a), Some(b)) = (ci_lo, ci_hi) {
        stats.push(ci(a, b, d));
    }
    if let Some(q) = c.q_bh {
        stats.push(q_value(q));
    }
    let mut s = format!(
        "{} used {name} {how} {} ({})",
        outlets_of(hi),
        outlets_of(lo),
        stats.join(", ")
    );
    if let (Some(h), Some(l)) = (mean_hi, mean_lo) {
        if l == 0.0 && h > 0.0 {
            s.push_str(&format!("; {} had no hits", outlets_of(lo)));
        }
    }
    s
}

/// Caption of the group-difference forest plot for one pair of groups (pooled rows).
/// `omitted` counts categories left out because neither group had a hit.
pub fn forest(rows: &[&Comparison], omitted: usize) -> String {
    let Some(first) = rows.first() else {
        return "No comparisons to show.".to_string();
    };
    let (a, b) = (&first.group_a, &first.group_b);
    let m = rows.len();
    let mut sig: Vec<&&Comparison> = rows
        .iter()
        .filter(|c| c.q_bh.is_some_and(|q| q < 0.05))
        .collect();
    sig.sort_by(|x, y| {
        let (qx, qy) = (x.q_bh.unwrap_or(1.0), y.q_bh.unwrap_or(1.0));
        qx.total_cmp(&qy)
            .then_with(|| {
                let (dx, dy) = (x.diff.unwrap_or(0.0).abs(), y.diff.unwrap_or(0.0).abs());
                dy.total_cmp(&dx)
            })
            .then_with(|| (&x.lexicon, &x.category).cmp(&(&y.lexicon, &y.category)))
    });
    let n_a = rows.iter().map(|c| c.n_a).max().unwrap_or(0);
    let n_b = rows.iter().map(|c| c.n_b).max().unwrap_or(0);
    let mut s = format!(
        "Difference in mean rate per 1,000 tokens between {} (n = {n_a} documents) and {} \
         (n = {n_b}), all events pooled, with 95% confidence intervals; filled markers have \
         q < 0.05 (Benjamini–Hochberg over the {m} categories shown). ",
        outlets_of(a),
        outlets_of(b)
    );
    if sig.is_empty() {
        let largest = rows.iter().filter(|c| c.diff.is_some()).max_by(|x, y| {
            let (dx, dy) = (x.diff.unwrap_or(0.0).abs(), y.diff.unwrap_or(0.0).abs());
            dx.total_cmp(&dy)
                .then_with(|| (&y.lexicon, &y.category).cmp(&(&x.lexicon, &x.category)))
        });
        s.push_str(&format!("None of the {m} differences reaches q < 0.05"));
        if let Some(c) = largest {
            s.push_str(&format!("; the largest: {}", comparison_phrase(c)));
        }
        s.push('.');
    } else {
        s.push_str(&format!(
            "{} of {m} differences reach q < 0.05. ",
            sig.len()
        ));
        let shown: Vec<String> = sig.iter().take(3).map(|c| comparison_phrase(c)).collect();
        s.push_str(&capitalize(&shown.join("; ")));
        s.push('.');
    }
    if omitted == 1 {
        s.push_str(" 1 category without hits in either group is not shown.");
    } else if omitted > 1 {
        s.push_str(&format!(
            " {omitted} categories without hits in either group are not shown."
        ));
    }
    let warned = rows.iter().filter(|c| c.warning.is_some()).count();
    if warned == 1 {
        let example = rows
            .iter()
            .find_map(|c| c.warning.as_deref())
            .unwrap_or_default();
        s.push_str(&format!(" 1 comparison carries a warning: “{example}”."));
    } else if warned > 1 {
        let example = rows
            .iter()
            .find_map(|c| c.warning.as_deref())
            .unwrap_or_default();
        s.push_str(&format!(
            " {warned} comparisons carry a warning (e.g. “{example}”)."
        ));
    }
    s
}

/// Uppercases the first character.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One outlet's value for captions: name, value, n, optional CI.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletValue {
    /// Outlet.
    pub outlet: String,
    /// Mean.
    pub value: f64,
    /// Documents.
    pub n: u64,
}

/// The highest cell of a heatmap panel.
#[derive(Debug, Clone, PartialEq)]
pub struct TopCell {
    /// Lexicon.
    pub lexicon: String,
    /// Category.
    pub category: String,
    /// Outlet, mean rate and documents.
    pub value: OutletValue,
    /// 95% CI from `outlet_profiles`, when that table has the cell.
    pub ci: Option<(f64, f64)>,
}

/// Caption of the frame-profile heatmap: the highest cell of each lexicon; `has_missing`
/// explains grey cells.
pub fn frame_profile(top: &[TopCell], has_missing: bool) -> String {
    let mut s = "Mean rate per 1,000 tokens of each category over each outlet's documents \
                 (columns: outlets, grouped and colored by group; n = documents)."
        .to_string();
    if has_missing {
        s.push_str(" Grey cells: the lexicon has no version in the outlet's language.");
    }
    for cell in top {
        let v = &cell.value;
        s.push_str(&format!(
            " Highest in {}: “{}” in {} ({} per 1k",
            humanize(&cell.lexicon),
            humanize(&cell.category),
            v.outlet,
            num(v.value)
        ));
        if let Some((lo, hi)) = cell.ci {
            s.push_str(&format!(", {}", ci(lo, hi, v.value)));
        }
        s.push_str(&format!(", n = {}).", v.n));
    }
    s
}

/// Caption of the tone figure. `outlets` are pooled over events; `groups` are group means.
pub fn tone(
    lexicon: &str,
    interval: &str,
    outlets: &[OutletValue],
    groups: &[(String, f64, u64)],
    facets: usize,
) -> String {
    let mut s = format!(
        "Mean net tone per outlet ({} lexicon: (positive − negative hits) per 100 tokens), \
         with {interval}",
        humanize(lexicon)
    );
    if facets > 1 {
        s.push_str(&format!(", one panel per event ({facets} events)"));
    }
    s.push('.');
    let lowest = outlets
        .iter()
        .min_by(|a, b| a.value.total_cmp(&b.value).then(a.outlet.cmp(&b.outlet)));
    let highest = outlets
        .iter()
        .max_by(|a, b| a.value.total_cmp(&b.value).then(b.outlet.cmp(&a.outlet)));
    if let (Some(lo), Some(hi)) = (lowest, highest) {
        if lo.outlet != hi.outlet {
            s.push_str(&format!(
                " Over all documents, net tone is lowest for {} ({}, n = {}) and highest for \
                 {} ({}, n = {}).",
                lo.outlet,
                signed(lo.value),
                lo.n,
                hi.outlet,
                signed(hi.value),
                hi.n
            ));
        }
    }
    if groups.len() > 1 {
        let parts: Vec<String> = groups
            .iter()
            .map(|(g, m, n)| format!("{g} {} (n = {n})", signed(*m)))
            .collect();
        s.push_str(&format!(" Group means: {}.", parts.join(", ")));
    }
    s
}

/// Caption of the keyness chart for one pair: the top terms of each side with their z.
pub fn keyness(a: &str, b: &str, top_a: &[(String, f64)], top_b: &[(String, f64)]) -> String {
    let list = |v: &[(String, f64)]| {
        v.iter()
            .take(5)
            .enumerate()
            .map(|(i, (t, z))| {
                if i == 0 {
                    format!("“{t}” (z = {})", num_with(*z, 1))
                } else {
                    format!("“{t}” ({})", num_with(*z, 1))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "Terms most over-represented in {} compared with {} (all events pooled), by keyness \
         z; bars to the right: more frequent in {a}, to the left: in {b}.",
        outlets_of(a),
        outlets_of(b)
    );
    if !top_a.is_empty() {
        s.push_str(&format!(" Most typical of {a}: {}.", list(top_a)));
    }
    if !top_b.is_empty() {
        s.push_str(&format!(" Most typical of {b}: {}.", list(top_b)));
    }
    s
}

/// Caption of the document map.
pub fn document_map(
    n_docs: usize,
    variance: (Option<f64>, Option<f64>),
    clusters: usize,
    noise: usize,
    agreement: Option<(f64, f64)>,
) -> String {
    let mut s = format!(
        "{n_docs} documents on the first two principal components of the clustering \
         features"
    );
    if let (Some(a), Some(b)) = variance {
        s.push_str(&format!(
            " (PC1 explains {}, PC2 {} of the variance)",
            percent(a),
            percent(b)
        ));
    }
    s.push_str(&format!(
        "; color: group, marker: cluster ({clusters} clusters"
    ));
    if noise > 0 {
        s.push_str(&format!(", {noise} noise documents marked ×"));
    }
    s.push_str("). Outlet names mark the mean position of each outlet's documents.");
    if let Some((ari, nmi)) = agreement {
        s.push_str(&format!(
            " Agreement of the clusters with the groups: adjusted Rand index {}, normalized \
             mutual information {}.",
            num_with(ari, 2),
            num_with(nmi, 2)
        ));
    }
    s
}

/// Caption of the divergence heatmap. Pairs are (outlet a, outlet b, jsd).
pub fn divergence(
    pairs: &[(String, String, f64)],
    within: Option<f64>,
    between: Option<f64>,
) -> String {
    let mut s = "Jensen–Shannon divergence between the term distributions of each pair of \
                 outlets, all events pooled (0: identical distributions; larger: more \
                 different vocabulary)."
        .to_string();
    let min = pairs.iter().min_by(|x, y| {
        x.2.total_cmp(&y.2)
            .then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1)))
    });
    let max = pairs.iter().max_by(|x, y| {
        x.2.total_cmp(&y.2)
            .then_with(|| (&y.0, &y.1).cmp(&(&x.0, &x.1)))
    });
    if let (Some(lo), Some(hi)) = (min, max) {
        s.push_str(&format!(
            " Most similar: {} and {} ({}); most different: {} and {} ({}).",
            lo.0,
            lo.1,
            num_with(lo.2, 3),
            hi.0,
            hi.1,
            num_with(hi.2, 3)
        ));
    }
    if let (Some(w), Some(b)) = (within, between) {
        s.push_str(&format!(
            " Mean divergence within groups {}, between groups {}.",
            num_with(w, 3),
            num_with(b, 3)
        ));
    }
    s
}

/// Caption of the tone-over-time figure.
pub fn tone_over_time(
    lexicon: &str,
    period: &str,
    dated: usize,
    undated: usize,
    first: &str,
    last: &str,
) -> String {
    let mut s = format!(
        "Net tone ({} lexicon, per 100 tokens) of each dated document (points) and the \
         {period} mean of each outlet (line); {dated} documents from {first} to {last}.",
        humanize(lexicon)
    );
    if undated > 0 {
        s.push_str(&format!(
            " {undated} documents without a date are not shown."
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(category: &str, mean_a: f64, mean_b: f64, lo: f64, hi: f64, q: f64) -> Comparison {
        Comparison {
            lexicon: "attribution".to_string(),
            category: category.to_string(),
            group_a: "independent".to_string(),
            group_b: "state-aligned".to_string(),
            event: "pooled".to_string(),
            mean_a: Some(mean_a),
            mean_b: Some(mean_b),
            diff: Some(mean_a - mean_b),
            ci_low: Some(lo),
            ci_high: Some(hi),
            p_perm: Some(q / 2.0),
            q_bh: Some(q),
            effect: Some(0.8),
            effect_kind: Some("cohens_d".to_string()),
            n_a: 12,
            n_b: 15,
            warning: None,
        }
    }

    #[test]
    fn a_difference_is_stated_with_ratio_ci_and_q() {
        // 7.2 / 3.1 = 2.32 -> "2.3×"; difference 4.1 with CI 1.2–7.0.
        let c = row("distancing", 7.2, 3.1, 1.2, 7.0, 0.01);
        assert_eq!(
            comparison_phrase(&c),
            "independent outlets used “distancing” (attribution) 2.3× as often as \
             state-aligned outlets (difference 4.1 per 1k tokens, 95% CI 1.2–7.0, q = 0.010)"
        );
    }

    #[test]
    fn a_negative_difference_leads_with_the_other_group_and_flips_the_ci() {
        // b − a = 5.0 − 2.0 = 3.0; the CI of a − b (−5.5, −0.5) becomes (0.5, 5.5).
        let c = row("endorsing", 2.0, 5.0, -5.5, -0.5, 0.0004);
        assert_eq!(
            comparison_phrase(&c),
            "state-aligned outlets used “endorsing” (attribution) 2.5× as often as \
             independent outlets (difference 3.0 per 1k tokens, 95% CI 0.5–5.5, q < 0.001)"
        );
    }

    #[test]
    fn forest_caption_counts_significant_rows_and_names_the_best() {
        let rows = [
            row("distancing", 7.2, 3.1, 1.2, 7.0, 0.01),
            row("hedges", 1.0, 0.9, -0.3, 0.5, 0.62),
            row("scare_quotes", 0.4, 0.0, 0.1, 0.7, 0.03),
        ];
        let refs: Vec<&Comparison> = rows.iter().collect();
        let s = forest(&refs, 2);
        assert!(s.starts_with(
            "Difference in mean rate per 1,000 tokens between independent outlets (n = 12 \
             documents) and state-aligned outlets (n = 15)"
        ));
        assert!(
            s.contains("2 of 3 differences reach q < 0.05. Independent outlets used “distancing”"),
            "{s}"
        );
        assert!(
            s.contains(
                "“scare quotes” (attribution) more often than state-aligned outlets (difference \
             0.40 per 1k tokens, 95% CI 0.10–0.70, q = 0.030); state-aligned outlets had no hits"
            ),
            "{s}"
        );
        assert!(!s.contains("hedges"), "{s}");
        assert!(s.ends_with("2 categories without hits in either group are not shown."));
    }

    #[test]
    fn forest_caption_without_significant_rows_names_the_largest() {
        let rows = [
            row("hedges", 1.0, 0.9, -0.3, 0.5, 0.62),
            row("certainty", 0.5, 1.7, -2.9, 0.4, 0.2),
        ];
        let refs: Vec<&Comparison> = rows.iter().collect();
        let s = forest(&refs, 0);
        assert!(
            s.contains(
                "None of the 2 differences reaches q < 0.05; the largest: state-aligned outlets \
             used “certainty” (attribution) 3.4× as often as independent outlets (difference \
             1.2 per 1k tokens, 95% CI −0.4 to 2.9, q = 0.20)."
            ),
            "{s}"
        );
    }

    #[test]
    fn numbers_follow_the_formatting_rules() {
        assert_eq!(num(123.456), "123");
        assert_eq!(num(-4.06), "−4.1");
        assert_eq!(num(0.044), "0.04");
        assert_eq!(signed(0.4), "+0.40");
        assert_eq!(signed(-2.14), "−2.1");
        assert_eq!(signed(0.0), "0.00");
        assert_eq!(ci(-0.1, 0.7, 0.3), "95% CI −0.10 to 0.70");
        assert_eq!(q_value(0.2345), "q = 0.23");
        assert_eq!(percent(0.3421), "34.2%");
        assert_eq!(
            category_name("security", "threat_by_others"),
            "“threat by others” (security)"
        );
    }

    #[test]
    fn tone_and_divergence_captions_name_extremes_with_cyrillic_outlets() {
        let outlets = [
            OutletValue {
                outlet: "ТАСС".to_string(),
                value: -2.14,
                n: 10,
            },
            OutletValue {
                outlet: "Медуза".to_string(),
                value: 0.42,
                n: 8,
            },
        ];
        let s = tone("tone", "95% t-intervals", &outlets, &[], 1);
        assert!(
            s.contains(
                "net tone is lowest for ТАСС (−2.1, n = 10) and highest for Медуза (+0.42, n = 8)."
            ),
            "{s}"
        );
        let d = divergence(
            &[
                ("RT".to_string(), "ТАСС".to_string(), 0.1234),
                ("Медуза".to_string(), "RT".to_string(), 0.4567),
            ],
            Some(0.2),
            Some(0.3),
        );
        assert!(
            d.contains("Most similar: RT and ТАСС (0.123); most different: Медуза and RT (0.457)."),
            "{d}"
        );
        assert!(d.ends_with("Mean divergence within groups 0.200, between groups 0.300."));
    }
}
