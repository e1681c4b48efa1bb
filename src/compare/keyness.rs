//! Keyness: the terms that carry a difference between two groups (the `keyness` table).
//!
//! For each group comparison (as in [`super::groups`]), in each event where both sides have
//! documents and `"pooled"` (all events' counts summed, not event-weighted), every term used
//! by either side gets
//!
//! * `delta`, `se`, `z`: the weighted log-odds ratio with an informative Dirichlet prior of
//!   Monroe, Colaresi & Quinn (2008), see [`log_odds_dirichlet`]. The prior count of a term is
//!   `α_w = α₀ c_w / C`, with `c_w / C` its share of all tokens of its order in the whole corpus
//!   (every kept document, whatever its group or event), so every comparison shrinks towards
//!   the same background; `α₀` is `[compare] alpha0`.
//! * `g2`: Dunning's (1993) log-likelihood G², no continuity correction ([`g2`]);
//! * `chi2`: Pearson's χ² with quanteda's default conditional Yates correction
//!   ([`chi2_yates`]).
//!
//! G² and χ² are signed: positive when the term is relatively more frequent in side a.
//!
//! Unigrams and bigrams are separate vocabularies: a term's `n` (all tokens of the side) and
//! its prior share are taken over the terms of its own order, since a bigram count and a
//! unigram count do not come from one multinomial. Both orders are then ranked together by
//! z. Only terms the side uses more (`z > 0` for side a, `z < 0` for side b) are key for it,
//! and only the `keyness-top` terms with the largest `|z|` per side and comparison are kept,
//! which keeps the table small while holding every term a reader would look at.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::design::{Comparison, Design, Side, POOLED};
use super::stats::{chi2_yates, g2, log_odds_dirichlet};
use crate::features::matrix::TermMatrix;

/// One row of the `keyness` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeynessRow {
    /// The term (stem, or two stems for a bigram).
    pub term: String,
    /// Its readable surface form.
    pub label: String,
    /// First group.
    pub group_a: String,
    /// Second group, or `"rest"`.
    pub group_b: String,
    /// Event, or `"pooled"`.
    pub event: String,
    /// Occurrences in side a.
    pub count_a: u64,
    /// Occurrences in side b.
    pub count_b: u64,
    /// Log-odds ratio δ (positive: more typical of side a).
    pub delta: f64,
    /// Its approximate standard error σ.
    pub se: f64,
    /// `δ / σ`.
    pub z: f64,
    /// Signed log-likelihood G².
    pub g2: Option<f64>,
    /// Signed Pearson χ² (conditional Yates correction).
    pub chi2: Option<f64>,
}

/// Sparse term counts, sorted by term index.
type Counts = BTreeMap<u32, u64>;

/// The `keyness` table, sorted by comparison, event (`"pooled"` first) and z (descending: the
/// terms of side a, then those of side b), ties by term.
pub fn keyness(design: &Design, terms: &TermMatrix, alpha0: f64, top: u32) -> Vec<KeynessRow> {
    if top == 0 {
        return Vec::new();
    }
    let order_of = |t: u32| terms.order.get(t as usize).copied().unwrap_or(1);
    // Whole-corpus counts and totals per order (index 0: unigrams, 1: bigrams).
    let mut corpus = vec![0u64; terms.terms.len()];
    let mut corpus_total = [0u64; 2];
    for row in &terms.rows {
        for &(t, c) in row {
            if let Some(x) = corpus.get_mut(t as usize) {
                *x += u64::from(c);
                corpus_total[usize::from(order_of(t) == 2)] += u64::from(c);
            }
        }
    }
    // Counts of each group in each event.
    let n_events = design.events.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); design.groups.len() * n_events];
    for i in 0..terms.rows.len() {
        if let Some(g) = design.group_of.get(i).copied().flatten() {
            members[g * n_events + design.event_of[i]].push(i);
        }
    }
    let cells: Vec<Counts> = members
        .par_iter()
        .map(|docs| {
            terms
                .summed_counts(docs, |t| (t as usize) < corpus.len())
                .into_iter()
                .collect()
        })
        .collect();
    let side = |c: Comparison, first: bool, events: &[usize]| -> Counts {
        let groups: Vec<usize> = match (first, c.b) {
            (true, _) => vec![c.a],
            (false, Side::Group(b)) => vec![b],
            (false, Side::Rest) => (0..design.groups.len()).filter(|&g| g != c.a).collect(),
        };
        let mut out = Counts::new();
        for g in groups {
            for &e in events {
                for (&t, &n) in &cells[g * n_events + e] {
                    *out.entry(t).or_default() += n;
                }
            }
        }
        out
    };
    // Tasks: (comparison, event rank) with rank 0 = pooled, 1 + e = event e.
    let all_events: Vec<usize> = (0..n_events).collect();
    let tasks: Vec<(usize, usize)> = (0..design.comparisons.len())
        .flat_map(|ci| (0..=n_events).map(move |r| (ci, r)))
        .collect();
    let mut keyed: Vec<((usize, usize), KeynessRow)> = tasks
        .into_par_iter()
        .flat_map_iter(|(ci, rank)| {
            let c = design.comparisons[ci];
            let events = if rank == 0 {
                all_events.clone()
            } else {
                vec![rank - 1]
            };
            let (ya, yb) = (side(c, true, &events), side(c, false, &events));
            let event = if rank == 0 {
                POOLED
            } else {
                design.events[rank - 1].as_str()
            };
            let (name_a, name_b) = design.names(c);
            let rows = score_terms(&ya, &yb, terms, &corpus, corpus_total, alpha0, top)
                .into_iter()
                .map(move |mut r| {
                    r.group_a = name_a.to_string();
                    r.group_b = name_b.to_string();
                    r.event = event.to_string();
                    ((ci, rank), r)
                });
            rows.collect::<Vec<_>>()
        })
        .collect();
    // Stable sort keeps the within-task order (z descending, then term).
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Score every term of `ya ∪ yb` and keep the `top` terms of each side, ordered by z
/// descending then term. Group and event fields are left empty for the caller.
fn score_terms(
    ya: &Counts,
    yb: &Counts,
    terms: &TermMatrix,
    corpus: &[u64],
    corpus_total: [u64; 2],
    alpha0: f64,
    top: u32,
) -> Vec<KeynessRow> {
    let bigram = |t: u32| usize::from(terms.order.get(t as usize) == Some(&2));
    let mut n_a = [0u64; 2];
    let mut n_b = [0u64; 2];
    for (&t, &c) in ya {
        n_a[bigram(t)] += c;
    }
    for (&t, &c) in yb {
        n_b[bigram(t)] += c;
    }
    let mut union: Vec<u32> = ya.keys().chain(yb.keys()).copied().collect();
    union.sort_unstable();
    union.dedup();
    let mut scored: Vec<KeynessRow> = union
        .into_iter()
        .filter_map(|t| {
            let o = bigram(t);
            let (a, b) = (
                ya.get(&t).copied().unwrap_or(0),
                yb.get(&t).copied().unwrap_or(0),
            );
            if n_a[o] == 0 || n_b[o] == 0 || corpus_total[o] == 0 {
                return None;
            }
            let alpha_w = alpha0 * corpus[t as usize] as f64 / corpus_total[o] as f64;
            let (fa, fb, na, nb) = (a as f64, b as f64, n_a[o] as f64, n_b[o] as f64);
            let (delta, se, z) = log_odds_dirichlet(fa, na, fb, nb, alpha_w, alpha0)?;
            Some(KeynessRow {
                term: terms.terms[t as usize].clone(),
                label: terms.labels.get(t as usize).cloned().unwrap_or_default(),
                group_a: String::new(),
                group_b: String::new(),
                event: String::new(),
                count_a: a,
                count_b: b,
                delta,
                se,
                z,
                g2: g2(fa, fb, na - fa, nb - fb),
                chi2: chi2_yates(fa, fb, na - fa, nb - fb),
            })
        })
        .collect();
    scored.sort_by(|x, y| y.z.total_cmp(&x.z).then_with(|| x.term.cmp(&y.term)));
    let top = top as usize;
    let side_a = scored.iter().take_while(|r| r.z > 0.0).take(top).count();
    let side_b_start = scored
        .iter()
        .position(|r| r.z < 0.0)
        .unwrap_or(scored.len())
        .max(scored.len().saturating_sub(top));
    let mut kept: Vec<KeynessRow> = scored[..side_a].to_vec();
    kept.extend(scored[side_b_start..].iter().cloned());
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::config::GroupBy;
    use crate::features::matrix::DocInfo;
    use approx::assert_abs_diff_eq;

    fn doc(id: &str, group: &str) -> DocInfo {
        DocInfo {
            doc_id: id.to_string(),
            outlet: Some(format!("outlet-{id}")),
            group: Some(group.to_string()),
            event: None,
            date: None,
            language: "ru".to_string(),
            n_tokens: 10,
        }
    }

    fn matrix(rows: Vec<Vec<(u32, u32)>>) -> TermMatrix {
        let n = rows.len();
        TermMatrix {
            terms: ["войн", "спецоперац", "мир", "войн спецоперац"]
                .map(String::from)
                .to_vec(),
            labels: ["война", "спецоперация", "мир", "война спецоперация"]
                .map(String::from)
                .to_vec(),
            order: vec![1, 1, 1, 2],
            idf: vec![1.0; 4],
            rows,
            n_terms: vec![0; n],
        }
    }

    #[test]
    fn log_odds_g2_and_chi2_against_the_formulas() {
        // Group "гос" (two documents): войн 1, спецоперац 8+2 = 10, мир 1; bigram 2.
        // Group "незав" (one document): войн 9, спецоперац 0, мир 3; bigram 0.
        // Unigrams: n_a = 12, n_b = 12; corpus войн 10, спецоперац 10, мир 4 (C = 24).
        // Bigrams: n_a = 2, n_b = 0 → no bigram rows (side b has no bigram tokens).
        let docs = [doc("1", "гос"), doc("2", "гос"), doc("3", "незав")];
        let t = matrix(vec![
            vec![(0, 1), (1, 8), (3, 2)],
            vec![(1, 2), (2, 1)],
            vec![(0, 9), (2, 3)],
        ]);
        let events = vec!["e".to_string(); 3];
        let design = Design::new(&docs, &events, GroupBy::Group).unwrap();
        assert_eq!(design.groups, ["гос", "незав"]);
        let rows = keyness(&design, &t, 24.0, 50);
        // Pooled rows first, then the one event (identical counts here).
        assert_eq!(rows.len(), 6);
        assert!(rows[..3].iter().all(|r| r.event == "pooled"));
        assert!(rows[3..].iter().all(|r| r.event == "e"));
        let terms: Vec<&str> = rows[..3].iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["спецоперац", "мир", "войн"]);

        // спецоперац by hand, α₀ = 24: α_w = 24 · 10/24 = 10.
        //   δ = ln((10 + 10)/(12 + 24 − 10 − 10)) − ln((0 + 10)/(12 + 24 − 0 − 10))
        //     = ln(20/16) − ln(10/26); σ² = 1/20 + 1/10.
        let r = &rows[0];
        assert_eq!((r.count_a, r.count_b), (10, 0));
        let delta = (20.0f64 / 16.0).ln() - (10.0f64 / 26.0).ln();
        let se = (1.0f64 / 20.0 + 1.0 / 10.0).sqrt();
        assert_abs_diff_eq!(r.delta, delta, epsilon = 1e-12);
        assert_abs_diff_eq!(r.se, se, epsilon = 1e-12);
        assert_abs_diff_eq!(r.z, delta / se, epsilon = 1e-12);
        //   2×2: a = 10, b = 0, c = 2, d = 12; N = 24, E_a = 10 · 12 / 24 = 5.
        //   G² = 2 (10 ln(10/5) + 2 ln(2/7) + 12 ln(12/7)) = 2 (6.931472 − 2.505526 + 6.467958)
        //      = 21.787808.
        //   χ²: E = 5, 5, 7, 7 (none below 5) → no Yates: 25/5 + 25/5 + 25/7 + 25/7 = 17.142857.
        let g = 2.0 * (10.0 * 2f64.ln() + 2.0 * (2.0f64 / 7.0).ln() + 12.0 * (12.0f64 / 7.0).ln());
        assert_abs_diff_eq!(r.g2.unwrap(), g, epsilon = 1e-9);
        assert_abs_diff_eq!(g, 21.787_808, epsilon = 1e-6);
        assert_abs_diff_eq!(r.chi2.unwrap(), 10.0 + 50.0 / 7.0, epsilon = 1e-12);

        // войн is typical of side b: negative everything. α_w = 10.
        //   δ = ln(11/(36 − 1 − 10)) − ln(19/(36 − 9 − 10)) = ln(11/25) − ln(19/17).
        let r = &rows[2];
        assert_eq!(r.label, "война");
        assert_abs_diff_eq!(
            r.delta,
            (11.0f64 / 25.0).ln() - (19.0f64 / 17.0).ln(),
            epsilon = 1e-12
        );
        assert!(r.z < 0.0 && r.g2.unwrap() < 0.0 && r.chi2.unwrap() < 0.0);
    }

    #[test]
    fn top_n_per_side() {
        // Four terms: two favour a, two favour b; top = 1 keeps the strongest of each.
        let docs = [doc("1", "a"), doc("2", "b")];
        let t = matrix(vec![vec![(0, 30), (1, 5)], vec![(2, 30), (1, 6)]]);
        let events = vec!["e".to_string(); 2];
        let design = Design::new(&docs, &events, GroupBy::Group).unwrap();
        let rows = keyness(&design, &t, 10.0, 1);
        let pooled: Vec<(&str, bool)> = rows
            .iter()
            .filter(|r| r.event == "pooled")
            .map(|r| (r.term.as_str(), r.z > 0.0))
            .collect();
        assert_eq!(pooled, [("войн", true), ("мир", false)]);
        assert!(keyness(&design, &t, 10.0, 0).is_empty());
    }
}
