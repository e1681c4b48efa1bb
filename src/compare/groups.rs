//! Event-stratified group comparisons of the lexicon rates (the `comparisons` table).
//!
//! For every lexicon category and every comparison of two groups (each pair `a < b` by name,
//! and with more than two groups each group against the rest), the documents with a rate for
//! the category are split by event. Every event in which both sides have documents gets a row;
//! the `"pooled"` row combines those events:
//!
//! * **Pooled difference.** `diff = Σ_e w_e (x̄_a,e − x̄_b,e) / Σ_e w_e` with the
//!   Cochran–Mantel–Haenszel-style weight `w_e = n_a,e n_b,e / (n_a,e + n_b,e)` (Cochran 1954;
//!   Mantel & Haenszel 1959), which needs no variance estimate and gives more weight to events
//!   that both sides covered heavily. Events where one side has no document get no weight.
//!   `mean_a` and `mean_b` of the pooled row are the same weighted averages of the event means
//!   (so `diff = mean_a − mean_b`), and `n_a`, `n_b` count the documents of the events that
//!   contribute. Comparing within events keeps a difference in topic mix (one side covering
//!   more of a violent event) from passing for a difference in framing.
//! * **Confidence interval.** Percentile bootstrap (Efron & Tibshirani 1993): each resample
//!   draws, with replacement, `n_a,e` documents from side a and `n_b,e` from side b within every
//!   event, and recomputes the event differences and the pooled difference with the same
//!   weights. A side with a single document always resamples to itself, so an event with one
//!   document per side has a degenerate interval: it is left null (as is the pooled interval
//!   when every event is like that).
//! * **p-value.** Permutation test shuffling the group labels within each event (a stratified
//!   permutation test; Good 2005, §3.6), two-sided on `|diff|`, with `p = (1 + b) / (1 + B)`
//!   (Phipson & Smyth 2010). The event rows and the pooled row use the same permutations.
//! * **q-value.** Benjamini–Hochberg over the categories of one lexicon, for one comparison and
//!   one event (`"pooled"` is its own family): the family is the set of questions "does this
//!   lexicon's profile differ between a and b here?".
//! * **Effect size.** Cohen's d (pooled SD) or Cliff's delta, as configured. For the pooled row,
//!   d divides the pooled difference by the pooled within-event, within-group standard
//!   deviation `√(Σ_e,g SS_e,g / (N − 2E))`, and delta is the weighted mean of the event deltas
//!   with the weights above.
//!
//! A side with fewer than `min-docs` documents gets a warning in the row; it is not dropped.

use std::collections::BTreeMap;

use rand::RngCore;
use rayon::prelude::*;
use serde::Serialize;

use super::config::{CompareConfig, EffectKind};
use super::design::{Design, Side, POOLED};
use super::stats::{
    as_extreme, bh_qvalues, blocks, cliffs_delta, cmh_weight, cohens_d, index, mean,
    percentile_interval, permutation_p, resample_sum, standardize, stream, sum_squares,
};
use crate::features::matrix::ScoreMatrix;

/// One row of the `comparisons` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// Lexicon name.
    pub lexicon: String,
    /// Category of the lexicon.
    pub category: String,
    /// First group.
    pub group_a: String,
    /// Second group, or `"rest"` for one-vs-rest rows.
    pub group_b: String,
    /// Event name, or `"pooled"` for the event-weighted combination.
    pub event: String,
    /// Mean rate per 1,000 tokens of side a (pooled: weighted mean of the event means).
    pub mean_a: Option<f64>,
    /// Mean rate per 1,000 tokens of side b.
    pub mean_b: Option<f64>,
    /// `mean_a − mean_b`.
    pub diff: Option<f64>,
    /// Lower bound of the bootstrap percentile interval of `diff`.
    pub ci_low: Option<f64>,
    /// Upper bound of the bootstrap percentile interval of `diff`.
    pub ci_high: Option<f64>,
    /// Two-sided permutation p-value of `diff`.
    pub p_perm: Option<f64>,
    /// Benjamini–Hochberg q-value (family: the lexicon's categories, this comparison, this
    /// event).
    pub q_bh: Option<f64>,
    /// Effect size of the kind in `effect_kind`.
    pub effect: Option<f64>,
    /// `"cohens_d"` or `"cliffs_delta"`.
    pub effect_kind: String,
    /// Documents of side a (with a rate for the category; pooled: in contributing events).
    pub n_a: u32,
    /// Documents of side b.
    pub n_b: u32,
    /// Why the row should be read with care, or `None`.
    pub warning: Option<String>,
}

/// The documents' rates of one event, split by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Stratum {
    /// Index of the event in [`Design::events`].
    pub event: usize,
    /// Rates of side a.
    pub a: Vec<f64>,
    /// Rates of side b.
    pub b: Vec<f64>,
}

/// The statistics of one event or of the pooled combination.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Mean of side a.
    pub mean_a: f64,
    /// Mean of side b.
    pub mean_b: f64,
    /// `mean_a − mean_b`.
    pub diff: f64,
    /// Bootstrap percentile interval of `diff`; `None` when degenerate by construction.
    pub ci: Option<(f64, f64)>,
    /// Permutation p-value.
    pub p: f64,
    /// Cohen's d.
    pub cohens_d: Option<f64>,
    /// Cliff's delta.
    pub cliffs_delta: Option<f64>,
    /// Documents of side a.
    pub n_a: usize,
    /// Documents of side b.
    pub n_b: usize,
}

/// Estimates per stratum (same order as the input) and pooled.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// One per stratum.
    pub strata: Vec<Estimate>,
    /// The weighted combination.
    pub pooled: Estimate,
}

/// Separator of the parts of a random-stream key.
const SEP: char = '\u{1f}';

/// Analyse strata whose sides are all non-empty (see the module documentation): event and
/// pooled estimates, bootstrap intervals from `bootstrap` resamples and permutation p-values
/// from `permutations` shuffles, drawn from the streams of `key` under `seed`. `None` when
/// there is no stratum.
pub fn analyse(
    strata: &[Stratum],
    bootstrap: u32,
    permutations: u32,
    confidence: f64,
    seed: u64,
    key: &str,
) -> Option<Analysis> {
    if strata.is_empty() || strata.iter().any(|s| s.a.is_empty() || s.b.is_empty()) {
        return None;
    }
    let s = strata.len();
    let weights: Vec<f64> = strata
        .iter()
        .map(|st| cmh_weight(st.a.len(), st.b.len()))
        .collect();
    let wsum: f64 = weights.iter().sum();
    let pool =
        |v: &dyn Fn(usize) -> f64| -> f64 { (0..s).map(|i| weights[i] * v(i)).sum::<f64>() / wsum };

    // Observed statistics.
    let means: Vec<(f64, f64)> = strata
        .iter()
        .map(|st| (mean(&st.a).unwrap_or(0.0), mean(&st.b).unwrap_or(0.0)))
        .collect();
    let deltas: Vec<Option<f64>> = strata.iter().map(|st| cliffs_delta(&st.a, &st.b)).collect();
    let observed: Vec<f64> = means.iter().map(|(a, b)| a - b).collect();
    let pooled_diff = pool(&|i| observed[i]);
    let scale = strata
        .iter()
        .flat_map(|st| st.a.iter().chain(&st.b))
        .fold(0.0f64, |m, v| m.max(v.abs()));
    let tol = 1e-9 * scale;

    // Bootstrap: per block, `s + 1` statistics per resample (event differences, pooled).
    let boot_key = format!("bootstrap{SEP}{key}");
    let boot: Vec<Vec<f64>> = blocks(bootstrap)
        .into_par_iter()
        .enumerate()
        .map(|(k, (lo, hi))| {
            let mut rng = stream(seed, &boot_key, k as u32);
            let mut out = Vec::with_capacity((hi - lo) as usize * (s + 1));
            for _ in lo..hi {
                let mut pooled = 0.0;
                for (st, w) in strata.iter().zip(&weights) {
                    let d = resample_mean(&st.a, &mut rng) - resample_mean(&st.b, &mut rng);
                    pooled += w * d;
                    out.push(d);
                }
                out.push(pooled / wsum);
            }
            out
        })
        .collect();
    let interval = |j: usize| -> Option<(f64, f64)> {
        let mut v: Vec<f64> = boot
            .iter()
            .flat_map(|b| b.iter().skip(j).step_by(s + 1).copied())
            .collect();
        percentile_interval(&mut v, confidence)
    };

    // Permutations within strata: per block, exceedance counts (event, pooled).
    let perm_key = format!("permutation{SEP}{key}");
    let exceed: Vec<u64> = blocks(permutations)
        .into_par_iter()
        .enumerate()
        .map(|(k, (lo, hi))| {
            let mut rng = stream(seed, &perm_key, k as u32);
            let mut work: Vec<Vec<f64>> = strata
                .iter()
                .map(|st| st.a.iter().chain(&st.b).copied().collect())
                .collect();
            let totals: Vec<f64> = work.iter().map(|w| w.iter().sum()).collect();
            let mut counts = vec![0u64; s + 1];
            for _ in lo..hi {
                let mut pooled = 0.0;
                for (i, st) in strata.iter().enumerate() {
                    let t = permuted_diff(&mut work[i], st.a.len(), totals[i], &mut rng);
                    counts[i] += u64::from(as_extreme(t, observed[i], tol));
                    pooled += weights[i] * t;
                }
                counts[s] += u64::from(as_extreme(pooled / wsum, pooled_diff, tol));
            }
            counts
        })
        .reduce(
            || vec![0u64; s + 1],
            |mut x, y| {
                x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
                x
            },
        );
    let p = |j: usize| permutation_p(exceed[j], u64::from(permutations));

    let singles = |st: &Stratum| st.a.len() == 1 && st.b.len() == 1;
    let per_stratum = strata
        .iter()
        .enumerate()
        .map(|(i, st)| Estimate {
            mean_a: means[i].0,
            mean_b: means[i].1,
            diff: observed[i],
            ci: if singles(st) { None } else { interval(i) },
            p: p(i),
            cohens_d: cohens_d(&st.a, &st.b),
            cliffs_delta: deltas[i],
            n_a: st.a.len(),
            n_b: st.b.len(),
        })
        .collect();

    // Pooled effect sizes: d with the pooled within-cell SD, delta as a weighted mean.
    let ss: f64 = strata
        .iter()
        .map(|st| sum_squares(&st.a) + sum_squares(&st.b))
        .sum();
    let n_total: usize = strata.iter().map(|st| st.a.len() + st.b.len()).sum();
    let pooled_d = (n_total > 2 * s)
        .then(|| standardize(pooled_diff, (ss / (n_total - 2 * s) as f64).sqrt()))
        .flatten();
    let pooled_delta = deltas
        .iter()
        .all(Option::is_some)
        .then(|| pool(&|i| deltas[i].unwrap_or(0.0)));
    let pooled = Estimate {
        mean_a: pool(&|i| means[i].0),
        mean_b: pool(&|i| means[i].1),
        diff: pooled_diff,
        ci: if strata.iter().all(singles) {
            None
        } else {
            interval(s)
        },
        p: p(s),
        cohens_d: pooled_d,
        cliffs_delta: pooled_delta,
        n_a: strata.iter().map(|st| st.a.len()).sum(),
        n_b: strata.iter().map(|st| st.b.len()).sum(),
    };
    Some(Analysis {
        strata: per_stratum,
        pooled,
    })
}

/// Mean of `x.len()` draws with replacement from `x` (a single value needs no draw).
fn resample_mean<R: RngCore>(x: &[f64], rng: &mut R) -> f64 {
    if x.len() == 1 {
        return x[0];
    }
    resample_sum(x, rng) / x.len() as f64
}

/// Reassign the `n_a` side-a labels of a stratum at random and return the new difference of
/// means. Draws a uniformly random subset of size `k = min(n_a, n_b)` by a partial
/// Fisher–Yates shuffle of `work` (Knuth 1997, Algorithm 3.4.2P): `O(k)` per permutation
/// instead of shuffling all values; the other side's sum is `total − subset sum`.
///
/// Step `i` of the shuffle fixes `work[i]` for good (later steps swap only positions after
/// `i`), so the subset sum is accumulated as the shuffle goes, in the lanes and order of
/// [`interleaved_sum`](super::stats::interleaved_sum) (equal to it bit for bit), instead of reading the subset again.
fn permuted_diff<R: RngCore>(work: &mut [f64], n_a: usize, total: f64, rng: &mut R) -> f64 {
    let n = work.len();
    let n_b = n - n_a;
    let k = n_a.min(n_b);
    let whole = k - k % 4;
    let mut acc = [0.0f64; 4];
    for i in (0..whole).step_by(4) {
        for (lane, a) in acc.iter_mut().enumerate() {
            let i = i + lane;
            let j = i + index(rng, n - i);
            work.swap(i, j);
            *a += work[i];
        }
    }
    for i in whole..k {
        let j = i + index(rng, n - i);
        work.swap(i, j);
    }
    let tail: f64 = work[whole..k].iter().sum();
    let subset = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + tail;
    let sum_a = if k == n_a { subset } else { total - subset };
    sum_a / n_a as f64 - (total - sum_a) / n_b as f64
}

/// The warning text of a row: small sides, and a missing interval.
fn warning(n_a: usize, n_b: usize, min_docs: u32, no_interval: bool) -> Option<String> {
    let min = min_docs as usize;
    let mut small = Vec::new();
    if n_a < min {
        small.push(format!("n_a = {n_a} < min-docs {min_docs}"));
    }
    if n_b < min {
        small.push(format!("n_b = {n_b} < min-docs {min_docs}"));
    }
    let mut text = String::new();
    if !small.is_empty() {
        text = format!("{}: interval and p-value unreliable", small.join(", "));
    }
    if no_interval {
        if !text.is_empty() {
            text.push_str("; ");
        }
        text.push_str("one document per side: no bootstrap interval");
    }
    (!text.is_empty()).then_some(text)
}

/// The `comparisons` table: every category × comparison × (event, pooled), with q-values,
/// sorted by comparison (pairs, then one-vs-rest), event (`"pooled"` first, then events by
/// name) and the score matrix's column order.
pub fn compare_groups(
    design: &Design,
    scores: &ScoreMatrix,
    cfg: &CompareConfig,
    seed: u64,
) -> Vec<ComparisonRow> {
    let n_groups = design.groups.len();
    let n_events = design.events.len();
    let mut keyed: Vec<((usize, usize, usize), ComparisonRow)> = (0..scores.columns.len())
        .into_par_iter()
        .flat_map_iter(|col| {
            let (lexicon, category) = &scores.columns[col];
            // cells[g * E + e]: rates of group g in event e.
            let mut cells: Vec<Vec<f64>> = vec![Vec::new(); n_groups * n_events];
            for (i, row) in scores.per_1k.iter().enumerate() {
                if let (Some(g), Some(Some(v))) = (design.group_of[i], row.get(col)) {
                    cells[g * n_events + design.event_of[i]].push(*v);
                }
            }
            let mut rows = Vec::new();
            for (ci, &c) in design.comparisons.iter().enumerate() {
                let side_b = |e: usize| -> Vec<f64> {
                    match c.b {
                        Side::Group(b) => cells[b * n_events + e].clone(),
                        Side::Rest => (0..n_groups)
                            .filter(|&g| g != c.a)
                            .flat_map(|g| cells[g * n_events + e].iter().copied())
                            .collect(),
                    }
                };
                let (mut total_a, mut total_b) = (0, 0);
                let mut strata = Vec::new();
                for e in 0..n_events {
                    let (a, b) = (cells[c.a * n_events + e].clone(), side_b(e));
                    total_a += a.len();
                    total_b += b.len();
                    if !a.is_empty() && !b.is_empty() {
                        strata.push(Stratum { event: e, a, b });
                    }
                }
                if total_a == 0 || total_b == 0 {
                    continue;
                }
                let (name_a, name_b) = design.names(c);
                let row =
                    |event: &str, est: Option<&Estimate>, warning: Option<String>| ComparisonRow {
                        lexicon: lexicon.clone(),
                        category: category.clone(),
                        group_a: name_a.to_string(),
                        group_b: name_b.to_string(),
                        event: event.to_string(),
                        mean_a: est.map(|e| e.mean_a),
                        mean_b: est.map(|e| e.mean_b),
                        diff: est.map(|e| e.diff),
                        ci_low: est.and_then(|e| e.ci.map(|c| c.0)),
                        ci_high: est.and_then(|e| e.ci.map(|c| c.1)),
                        p_perm: est.map(|e| e.p),
                        q_bh: None,
                        effect: est.and_then(|e| match cfg.effect {
                            EffectKind::CohensD => e.cohens_d,
                            EffectKind::CliffsDelta => e.cliffs_delta,
                        }),
                        effect_kind: cfg.effect.column_name().to_string(),
                        n_a: est.map_or(0, |e| e.n_a as u32),
                        n_b: est.map_or(0, |e| e.n_b as u32),
                        warning,
                    };
                let key = format!("{lexicon}{SEP}{category}{SEP}{name_a}{SEP}{name_b}");
                match analyse(
                    &strata,
                    cfg.bootstrap,
                    cfg.permutations,
                    cfg.confidence,
                    seed,
                    &key,
                ) {
                    Some(an) => {
                        let p = &an.pooled;
                        let w = warning(p.n_a, p.n_b, cfg.min_docs, p.ci.is_none());
                        rows.push(((ci, 0, col), row(POOLED, Some(p), w)));
                        for (st, est) in strata.iter().zip(&an.strata) {
                            let w = warning(est.n_a, est.n_b, cfg.min_docs, est.ci.is_none());
                            let name = &design.events[st.event];
                            rows.push(((ci, 1 + st.event, col), row(name, Some(est), w)));
                        }
                    }
                    None => {
                        let w = format!(
                            "no event has documents of both sides (n_a = {total_a}, \
                             n_b = {total_b} in different events): nothing to pool"
                        );
                        rows.push(((ci, 0, col), row(POOLED, None, Some(w))));
                    }
                }
            }
            rows
        })
        .collect();

    // Benjamini–Hochberg within each lexicon × comparison × event.
    let mut families: BTreeMap<(String, usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, ((ci, ev, col), _)) in keyed.iter().enumerate() {
        let lexicon = scores.columns[*col].0.clone();
        families.entry((lexicon, *ci, *ev)).or_default().push(i);
    }
    for members in families.values() {
        let p: Vec<Option<f64>> = members.iter().map(|&i| keyed[i].1.p_perm).collect();
        for (&i, q) in members.iter().zip(bh_qvalues(&p)) {
            keyed[i].1.q_bh = q;
        }
    }
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn st(event: usize, a: &[f64], b: &[f64]) -> Stratum {
        Stratum {
            event,
            a: a.to_vec(),
            b: b.to_vec(),
        }
    }

    #[test]
    fn pooled_estimates_by_hand() {
        // Event 0: a = 1, 3 (mean 2), b = 4 → diff −2, w = 2·1/3 = 2/3.
        // Event 1: a = 5, b = 1, 2, 3 (mean 2) → diff 3, w = 1·3/4 = 3/4. W = 17/12.
        // diff = (2/3 · −2 + 3/4 · 3) / (17/12) = (11/12) / (17/12) = 11/17.
        // mean_a = (2/3 · 2 + 3/4 · 5) / (17/12) = 61/17; mean_b = (2/3 · 4 + 3/4 · 2) / … = 50/17.
        // SS: event 0: a 2, b 0; event 1: a 0, b 2 → 4; N − 2E = 7 − 4 = 3; d = (11/17)/√(4/3).
        // Cliff: event 0 −1, event 1 +1 → (−2/3 + 3/4) / (17/12) = 1/17.
        let strata = [st(0, &[1.0, 3.0], &[4.0]), st(1, &[5.0], &[1.0, 2.0, 3.0])];
        let an = analyse(&strata, 200, 200, 0.95, 7, "тест").unwrap();
        let p = &an.pooled;
        assert_abs_diff_eq!(p.diff, 11.0 / 17.0, epsilon = 1e-12);
        assert_abs_diff_eq!(p.mean_a, 61.0 / 17.0, epsilon = 1e-12);
        assert_abs_diff_eq!(p.mean_b, 50.0 / 17.0, epsilon = 1e-12);
        assert_abs_diff_eq!(
            p.cohens_d.unwrap(),
            (11.0 / 17.0) / (4.0f64 / 3.0).sqrt(),
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(p.cliffs_delta.unwrap(), 1.0 / 17.0, epsilon = 1e-12);
        assert_eq!((p.n_a, p.n_b), (3, 4));
        assert_abs_diff_eq!(an.strata[0].diff, -2.0, epsilon = 1e-12);
        assert_eq!(an.strata[1].cliffs_delta, Some(1.0));
        // The interval contains the estimate.
        let (lo, hi) = p.ci.unwrap();
        assert!(lo <= p.diff && p.diff <= hi, "{lo} {hi}");
    }

    #[test]
    fn permutation_p_approximates_the_exact_test() {
        // a = 1, 2, 3 vs b = 4, 5, 6: of the C(6,3) = 20 equally likely splits, |diff| = 3 only
        // for {1,2,3} and {4,5,6}, so the exact two-sided p is 2/20 = 0.1. With B = 5000 the
        // Monte Carlo p has standard error √(0.1 · 0.9 / 5000) ≈ 0.0042.
        let an = analyse(
            &[st(0, &[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0])],
            10,
            5000,
            0.95,
            1,
            "k",
        )
        .unwrap();
        assert!((an.strata[0].p - 0.1).abs() < 0.015, "{}", an.strata[0].p);
        assert_eq!(an.pooled.p, an.strata[0].p);
        // a = 1, 2 vs b = 3: three splits, diff −1.5 ({1,2}), 0 ({1,3}), 1.5 ({2,3}), so
        // |diff| ≥ 1.5 for two of three: exact p = 2/3.
        let an = analyse(&[st(0, &[1.0, 2.0], &[3.0])], 10, 5000, 0.95, 1, "k").unwrap();
        assert!(
            (an.strata[0].p - 2.0 / 3.0).abs() < 0.02,
            "{}",
            an.strata[0].p
        );
    }

    #[test]
    fn one_document_per_side() {
        // Two arrangements, both with |diff| = 2: p = 1. The bootstrap of one document per side
        // is a point mass: no interval. Cohen's d is undefined; Cliff's delta is −1.
        let an = analyse(&[st(0, &[1.0], &[3.0])], 100, 100, 0.95, 3, "k").unwrap();
        let e = &an.strata[0];
        assert_eq!(e.p, 1.0);
        assert_eq!(e.ci, None);
        assert_eq!(e.cohens_d, None);
        assert_eq!(e.cliffs_delta, Some(-1.0));
        assert_eq!(an.pooled.ci, None);
        assert_eq!(
            warning(1, 1, 5, true).unwrap(),
            "n_a = 1 < min-docs 5, n_b = 1 < min-docs 5: interval and p-value unreliable; \
             one document per side: no bootstrap interval"
        );
        assert_eq!(
            warning(7, 1, 5, false).unwrap(),
            "n_b = 1 < min-docs 5: interval and p-value unreliable"
        );
        assert_eq!(warning(5, 6, 5, false), None);
    }

    #[test]
    fn bootstrap_interval_matches_the_normal_approximation() {
        // 400 values per side: a = i mod 20 (mean 9.5, plug-in variance (20² − 1)/12 = 33.25),
        // b = a + 1. The bootstrap SE of the difference is √(2 · 33.25 / 400) = 0.4077, so the
        // 95% interval is about −1 ± 1.96 · 0.4077 = (−1.799, −0.201).
        let a: Vec<f64> = (0..400).map(|i| f64::from(i % 20)).collect();
        let b: Vec<f64> = a.iter().map(|v| v + 1.0).collect();
        let an = analyse(&[st(0, &a, &b)], 4000, 10, 0.95, 11, "k").unwrap();
        let (lo, hi) = an.strata[0].ci.unwrap();
        assert!((lo + 1.799).abs() < 0.08, "{lo}");
        assert!((hi + 0.201).abs() < 0.08, "{hi}");
        assert!(an.strata[0].p > 0.01);
    }

    #[test]
    fn seeded_results_are_reproducible() {
        let strata = [
            st(0, &[1.0, 2.5, 3.0, 0.0], &[4.0, 0.5, 6.0]),
            st(2, &[0.0, 0.0, 1.0], &[2.0, 2.0]),
        ];
        let x = analyse(&strata, 250, 250, 0.9, 5, "ключ").unwrap();
        let y = analyse(&strata, 250, 250, 0.9, 5, "ключ").unwrap();
        assert_eq!(x, y);
        let z = analyse(&strata, 250, 250, 0.9, 6, "ключ").unwrap();
        assert_ne!(x.pooled.ci, z.pooled.ci);
        assert_eq!(analyse(&[], 10, 10, 0.9, 5, "k"), None);
        assert_eq!(analyse(&[st(0, &[1.0], &[])], 10, 10, 0.9, 5, "k"), None);
    }

    /// The shuffle, then the subset sum read back: how `permuted_diff` was first written.
    fn permuted_diff_by_parts(
        work: &mut [f64],
        n_a: usize,
        total: f64,
        rng: &mut impl RngCore,
    ) -> f64 {
        let n = work.len();
        let n_b = n - n_a;
        let k = n_a.min(n_b);
        for i in 0..k {
            let j = i + index(rng, n - i);
            work.swap(i, j);
        }
        let subset = crate::compare::stats::interleaved_sum(&work[..k]);
        let sum_a = if k == n_a { subset } else { total - subset };
        sum_a / n_a as f64 - (total - sum_a) / n_b as f64
    }

    #[test]
    fn permuted_diff_sums_as_it_shuffles_bit_for_bit() {
        // Values whose sums round differently in different orders.
        let values: Vec<f64> = (0..23)
            .map(|i| 0.1 * f64::from(i * i % 7) + 1e-3 / f64::from(i + 1))
            .collect();
        for n_a in 1..values.len() {
            let total: f64 = values.iter().sum();
            let (mut x, mut y) = (values.clone(), values.clone());
            let mut rng_x = stream(4, "перестановка", n_a as u32);
            let mut rng_y = rng_x.clone();
            for _ in 0..40 {
                let t = permuted_diff(&mut x, n_a, total, &mut rng_x);
                let u = permuted_diff_by_parts(&mut y, n_a, total, &mut rng_y);
                assert_eq!(t.to_bits(), u.to_bits(), "n_a = {n_a}");
                assert_eq!(x, y);
            }
            assert_eq!(rng_x.next_u64(), rng_y.next_u64());
        }
    }

    #[test]
    fn permuted_diff_keeps_the_values() {
        let mut rng = stream(1, "x", 0);
        let mut work = vec![1.0, 2.0, 3.0, 10.0, 20.0];
        for _ in 0..50 {
            let t = permuted_diff(&mut work, 3, 36.0, &mut rng);
            let mut sorted = work.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(sorted, [1.0, 2.0, 3.0, 10.0, 20.0]);
            // k = 2 (side b) is the first two values.
            let sum_b: f64 = work[..2].iter().sum();
            assert_abs_diff_eq!(t, (36.0 - sum_b) / 3.0 - sum_b / 2.0, epsilon = 1e-12);
        }
    }
}
