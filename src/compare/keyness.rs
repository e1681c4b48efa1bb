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

use rayon::prelude::*;
use serde::Serialize;

use super::design::{Comparison, Design, Side, POOLED};
use super::stats::{chi2_yates, g2, log_odds_dirichlet};
use crate::features::matrix::{sum_by_term, TermMatrix};

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

/// Sparse term counts `(term, count)`, sorted by term index, one entry per term.
type Counts = Vec<(u32, u64)>;

/// The sum of several [`Counts`] ([`sum_by_term`]).
fn sum_counts<'a>(parts: impl Iterator<Item = &'a Counts>) -> Counts {
    sum_by_term(parts.flatten().copied().collect::<Vec<(u32, u64)>>())
}

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
        .map(|docs| terms.summed_counts(docs, |t| (t as usize) < corpus.len()))
        .collect();
    let cells = &cells;
    let side = |c: Comparison, first: bool, events: &[usize]| -> Counts {
        let groups: Vec<usize> = match (first, c.b) {
            (true, _) => vec![c.a],
            (false, Side::Group(b)) => vec![b],
            (false, Side::Rest) => (0..design.groups.len()).filter(|&g| g != c.a).collect(),
        };
        if let ([g], [e]) = (groups.as_slice(), events) {
            return cells[g * n_events + e].clone();
        }
        sum_counts(
            groups
                .iter()
                .flat_map(|&g| events.iter().map(move |&e| &cells[g * n_events + e])),
        )
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

/// The log-odds score of one term in one comparison, before it is known to be kept.
#[derive(Debug, Clone, Copy)]
struct Scored {
    /// Term index.
    t: u32,
    /// Count in side a.
    a: u64,
    /// Count in side b.
    b: u64,
    /// Log-odds ratio δ.
    delta: f64,
    /// Its standard error.
    se: f64,
    /// `δ / σ`.
    z: f64,
}

/// Score every term of `ya ∪ yb` and keep the `top` terms of each side, ordered by z
/// descending then term. Group and event fields are left empty for the caller.
///
/// Only the kept terms become rows: the (many) others are scored as plain numbers and the
/// `top` of each side are selected by partial sorting, so a comparison over a vocabulary of a
/// million terms allocates a hundred rows, not a million. The selection equals sorting every
/// scored term by (z descending, term, term index) and taking the first `top` with `z > 0`
/// and the last `top` with `z < 0`.
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
    for &(t, c) in ya {
        n_a[bigram(t)] += c;
    }
    for &(t, c) in yb {
        n_b[bigram(t)] += c;
    }
    // The union of the two sorted count vectors, in term order.
    let mut union: Vec<(u32, u64, u64)> = Vec::with_capacity(ya.len().max(yb.len()));
    let (mut i, mut j) = (0, 0);
    while i < ya.len() || j < yb.len() {
        match (ya.get(i), yb.get(j)) {
            (Some(&(ta, ca)), Some(&(tb, cb))) if ta == tb => {
                union.push((ta, ca, cb));
                i += 1;
                j += 1;
            }
            (Some(&(ta, ca)), Some(&(tb, _))) if ta < tb => {
                union.push((ta, ca, 0));
                i += 1;
            }
            (Some(&(ta, ca)), None) => {
                union.push((ta, ca, 0));
                i += 1;
            }
            (_, Some(&(tb, cb))) => {
                union.push((tb, 0, cb));
                j += 1;
            }
            (None, None) => break,
        }
    }
    let (mut pos, mut neg): (Vec<Scored>, Vec<Scored>) = (Vec::new(), Vec::new());
    for (t, a, b) in union {
        let o = bigram(t);
        if n_a[o] == 0 || n_b[o] == 0 || corpus_total[o] == 0 {
            continue;
        }
        let alpha_w = alpha0 * corpus[t as usize] as f64 / corpus_total[o] as f64;
        let (fa, fb, na, nb) = (a as f64, b as f64, n_a[o] as f64, n_b[o] as f64);
        let Some((delta, se, z)) = log_odds_dirichlet(fa, na, fb, nb, alpha_w, alpha0) else {
            continue;
        };
        let s = Scored {
            t,
            a,
            b,
            delta,
            se,
            z,
        };
        if z > 0.0 {
            pos.push(s);
        } else if z < 0.0 {
            neg.push(s);
        }
    }
    // The table's order: z descending, then term; the term index breaks the remaining ties
    // as the stable sort of the term-ordered union would.
    let order = |x: &Scored, y: &Scored| {
        y.z.total_cmp(&x.z)
            .then_with(|| terms.terms[x.t as usize].cmp(&terms.terms[y.t as usize]))
            .then(x.t.cmp(&y.t))
    };
    let top = top as usize;
    if pos.len() > top {
        pos.select_nth_unstable_by(top, order);
        pos.truncate(top);
    }
    pos.sort_unstable_by(order);
    if neg.len() > top {
        let cut = neg.len() - top;
        neg.select_nth_unstable_by(cut, order);
        neg.drain(..cut);
    }
    neg.sort_unstable_by(order);
    pos.into_iter()
        .chain(neg)
        .map(|s| {
            let (fa, fb) = (s.a as f64, s.b as f64);
            let o = bigram(s.t);
            let (na, nb) = (n_a[o] as f64, n_b[o] as f64);
            KeynessRow {
                term: terms.terms[s.t as usize].clone(),
                label: terms.labels.get(s.t as usize).cloned().unwrap_or_default(),
                group_a: String::new(),
                group_b: String::new(),
                event: String::new(),
                count_a: s.a,
                count_b: s.b,
                delta: s.delta,
                se: s.se,
                z: s.z,
                g2: g2(fa, fb, na - fa, nb - fb),
                chi2: chi2_yates(fa, fb, na - fa, nb - fb),
            }
        })
        .collect()
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

    /// Every term scored into a row, all rows sorted, the ends kept: the selection
    /// `score_terms` must reproduce.
    fn score_terms_by_sorting_all(
        ya: &Counts,
        yb: &Counts,
        terms: &TermMatrix,
        corpus: &[u64],
        corpus_total: [u64; 2],
        alpha0: f64,
        top: usize,
    ) -> Vec<KeynessRow> {
        let bigram = |t: u32| usize::from(terms.order[t as usize] == 2);
        let (mut n_a, mut n_b) = ([0u64; 2], [0u64; 2]);
        ya.iter().for_each(|&(t, c)| n_a[bigram(t)] += c);
        yb.iter().for_each(|&(t, c)| n_b[bigram(t)] += c);
        let count = |y: &Counts, t: u32| y.iter().find(|p| p.0 == t).map_or(0, |p| p.1);
        let mut union: Vec<u32> = ya.iter().chain(yb).map(|p| p.0).collect();
        union.sort_unstable();
        union.dedup();
        let mut scored: Vec<KeynessRow> = union
            .into_iter()
            .filter_map(|t| {
                let o = bigram(t);
                if n_a[o] == 0 || n_b[o] == 0 || corpus_total[o] == 0 {
                    return None;
                }
                let (a, b) = (count(ya, t), count(yb, t));
                let alpha_w = alpha0 * corpus[t as usize] as f64 / corpus_total[o] as f64;
                let (fa, fb, na, nb) = (a as f64, b as f64, n_a[o] as f64, n_b[o] as f64);
                let (delta, se, z) = log_odds_dirichlet(fa, na, fb, nb, alpha_w, alpha0)?;
                Some(KeynessRow {
                    term: terms.terms[t as usize].clone(),
                    label: terms.labels[t as usize].clone(),
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
        let side_a = scored.iter().take_while(|r| r.z > 0.0).take(top).count();
        let side_b_start = scored
            .iter()
            .position(|r| r.z < 0.0)
            .unwrap_or(scored.len())
            .max(scored.len().saturating_sub(top));
        let mut kept = scored[..side_a].to_vec();
        kept.extend_from_slice(&scored[side_b_start..]);
        kept
    }

    proptest::proptest! {
        #[test]
        fn selection_equals_sorting_every_term(
            // Small counts over 40 terms: many equal z (ties broken by term, then index).
            cells in proptest::collection::vec((0u64..4, 0u64..4, 0u64..3), 40),
            top in 1u32..8,
        ) {
            // Terms 0..30 unigrams, 30..40 bigrams; some surface strings repeat.
            let terms = TermMatrix {
                terms: (0..40).map(|t| format!("t{}", t % 17)).collect(),
                labels: (0..40).map(|t| format!("l{t}")).collect(),
                order: (0..40).map(|t| if t < 30 { 1 } else { 2 }).collect(),
                idf: vec![1.0; 40],
                rows: Vec::new(),
                n_terms: Vec::new(),
            };
            let ya: Counts = (0..40).filter(|&t| cells[t].0 > 0).map(|t| (t as u32, cells[t].0)).collect();
            let yb: Counts = (0..40).filter(|&t| cells[t].1 > 0).map(|t| (t as u32, cells[t].1)).collect();
            let corpus: Vec<u64> = cells.iter().map(|c| c.0 + c.1 + c.2).collect();
            let corpus_total = [corpus[..30].iter().sum(), corpus[30..].iter().sum()];
            let got = score_terms(&ya, &yb, &terms, &corpus, corpus_total, 20.0, top);
            let want = score_terms_by_sorting_all(&ya, &yb, &terms, &corpus, corpus_total, 20.0, top as usize);
            proptest::prop_assert_eq!(got, want);
        }
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
