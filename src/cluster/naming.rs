//! Labels that help a researcher name each cluster: its most distinctive terms and its most
//! elevated lexicon categories.
//!
//! Terms: weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn
//! 2008, eqs. 16–22), cluster `i` against the rest `j` of the corpus. With `y_w` a term's count,
//! `n` the total count, and prior `α_w = α_0 × y_w(corpus) / n(corpus)`:
//!
//! ```text
//! δ_w = ln((y_w^i + α_w) / (n^i + α_0 − y_w^i − α_w)) − ln((y_w^j + α_w) / (n^j + α_0 − y_w^j − α_w))
//! σ²(δ_w) ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w),      z_w = δ_w / σ(δ_w)
//! ```
//!
//! Unigrams and bigrams are separate multinomials (each with its own totals and prior), and
//! the terms with the highest positive `z` are listed by their readable label. A separate
//! compare module may later replace this compact version.
//!
//! Categories: the mean standardized rate (z-score, see [`super::matrix`]) of each lexicon
//! category over the cluster's documents; the highest positive means are listed.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::matrix::LexiconBlock;
use crate::features::matrix::{ScoreMatrix, TermMatrix};

/// Prior strength `α_0` in pseudo-counts (our choice: the prior weighs as much as 1,000 tokens
/// of the corpus, which steadies rare terms without drowning clusters of a few documents).
pub const ALPHA_0: f64 = 1000.0;

/// Weighted log-odds `(δ, z)` of one term, cluster `i` against the rest `j`; `None` when the
/// prior or a denominator is not positive (a term that is the whole vocabulary of its order).
pub fn log_odds(y_i: f64, n_i: f64, y_j: f64, n_j: f64, alpha_w: f64) -> Option<(f64, f64)> {
    let den_i = n_i + ALPHA_0 - y_i - alpha_w;
    let den_j = n_j + ALPHA_0 - y_j - alpha_w;
    if alpha_w <= 0.0 || den_i <= 0.0 || den_j <= 0.0 {
        return None;
    }
    let delta = ((y_i + alpha_w) / den_i).ln() - ((y_j + alpha_w) / den_j).ln();
    let var = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w);
    Some((delta, delta / var.sqrt()))
}

/// The `top` most over-represented terms (highest positive z; ties: vocabulary order) of each
/// cluster in `labels` (noise −1 included), as readable labels.
pub fn top_terms(terms: &TermMatrix, labels: &[i64], top: usize) -> BTreeMap<i64, Vec<String>> {
    let n_vocab = terms.terms.len();
    let mut corpus = vec![0u64; n_vocab];
    let mut members: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, (row, &label)) in terms.rows.iter().zip(labels).enumerate() {
        members.entry(label).or_default().push(i);
        for &(t, c) in row {
            corpus[t as usize] += u64::from(c);
        }
    }
    // Each cluster's counts, summed in parallel (sorted by term, as a map would iterate).
    let by_cluster: BTreeMap<i64, Vec<(u32, u64)>> = members
        .into_par_iter()
        .map(|(label, docs)| (label, terms.summed_counts(&docs, |_| true)))
        .collect();
    let order_total = |counts: &mut dyn Iterator<Item = (usize, u64)>| {
        let mut totals = [0u64; 3];
        for (t, c) in counts {
            totals[usize::from(terms.order[t].min(2))] += c;
        }
        totals
    };
    let corpus_totals = order_total(&mut corpus.iter().copied().enumerate());
    let mut out = BTreeMap::new();
    for (&label, counts) in &by_cluster {
        let cluster_totals = order_total(&mut counts.iter().map(|&(t, c)| (t as usize, c)));
        let mut scored: Vec<(f64, u32)> = counts
            .iter()
            .filter_map(|&(t, y_i)| {
                let o = usize::from(terms.order[t as usize].min(2));
                let (n_all, n_i) = (corpus_totals[o] as f64, cluster_totals[o] as f64);
                let y_all = corpus[t as usize] as f64;
                let y_i = y_i as f64;
                let alpha_w = ALPHA_0 * y_all / n_all;
                let (_, z) = log_odds(y_i, n_i, y_all - y_i, n_all - n_i, alpha_w)?;
                (z > 0.0).then_some((z, t))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let names = scored
            .iter()
            .take(top)
            .map(|&(_, t)| {
                let label = &terms.labels[t as usize];
                if label.is_empty() {
                    terms.terms[t as usize].clone()
                } else {
                    label.clone()
                }
            })
            .collect();
        out.insert(label, names);
    }
    out
}

/// The `top` lexicon categories with the highest positive mean z-score in each cluster (ties:
/// column order), as `"lexicon/category"`.
pub fn top_categories(
    block: &LexiconBlock,
    scores: &ScoreMatrix,
    labels: &[i64],
    top: usize,
) -> BTreeMap<i64, Vec<String>> {
    let mut sums: BTreeMap<i64, (Vec<f64>, usize)> = BTreeMap::new();
    for (row, &label) in block.z.rows().into_iter().zip(labels) {
        let entry = sums
            .entry(label)
            .or_insert_with(|| (vec![0.0; block.columns.len()], 0));
        entry
            .0
            .iter_mut()
            .zip(row.iter())
            .for_each(|(s, v)| *s += v);
        entry.1 += 1;
    }
    sums.into_iter()
        .map(|(label, (sum, n))| {
            let mut means: Vec<(f64, usize)> = sum
                .iter()
                .enumerate()
                .map(|(j, s)| (s / n as f64, j))
                .filter(|(m, _)| *m > 0.0)
                .collect();
            means.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let names = means
                .iter()
                .take(top)
                .map(|&(_, j)| {
                    let (lexicon, category) = &scores.columns[block.columns[j]];
                    format!("{lexicon}/{category}")
                })
                .collect();
            (label, names)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use ndarray::array;

    #[test]
    fn log_odds_by_hand() {
        // Cluster: y = 30 of n = 100; rest: y = 10 of n = 300; corpus share 40/400 = 0.1, so
        // α_w = 100 with α_0 = 1000.
        // δ = ln(130 / (100 + 1000 − 30 − 100)) − ln(110 / (300 + 1000 − 10 − 100))
        //   = ln(130/970) − ln(110/1190) = −2.009762 + 2.381228 = 0.371467
        // σ² = 1/130 + 1/110 = 0.0167832; z = 0.371467 / 0.129550 = 2.86736.
        let (delta, z) = log_odds(30.0, 100.0, 10.0, 300.0, 100.0).unwrap();
        let want = (130.0f64 / 970.0).ln() - (110.0f64 / 1190.0).ln();
        assert_abs_diff_eq!(delta, want, epsilon = 1e-12);
        assert_abs_diff_eq!(delta, 0.371467, epsilon = 1e-6);
        assert_abs_diff_eq!(
            z,
            want / (1.0f64 / 130.0 + 1.0 / 110.0).sqrt(),
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(z, 2.86736, epsilon = 1e-5);
        assert!(log_odds(1.0, 1.0, 0.0, 0.0, 0.0).is_none());
    }

    #[test]
    fn cluster_terms_and_categories() {
        // Docs 0–1 (cluster 0) use "ракет"; docs 2–3 (cluster 1) use "переговор"; all use
        // "сказа" at the same share (δ = 0, not listed). Bigrams: "ракет удар" (10) only in
        // cluster 0, "переговор сторон" (3) only in cluster 1.
        // Unigrams: corpus 45 + 45 + 20 = 110, α("ракет") = 1000 × 45/110 = 409.1;
        // δ = ln(454.1/600.9) − ln(409.1/645.9) = 0.1766, z = 0.1766/0.0682 = 2.59.
        // Bigrams: corpus 13, α("ракет удар") = 769.2; δ = ln(779.2/230.8) − ln(769.2/233.8)
        // = 0.0258, z = 0.51, so the unigram comes first.
        let terms = TermMatrix {
            terms: vec![
                "переговор".into(),
                "ракет".into(),
                "сказа".into(),
                "ракет удар".into(),
                "переговор сторон".into(),
            ],
            labels: vec![
                "переговоры".into(),
                "ракеты".into(),
                "сказал".into(),
                "ракетный удар".into(),
                "переговоры сторон".into(),
            ],
            order: vec![1, 1, 1, 2, 2],
            idf: vec![1.0; 5],
            rows: vec![
                vec![(1, 20), (2, 5), (3, 4)],
                vec![(1, 25), (2, 5), (3, 6)],
                vec![(0, 30), (2, 5), (4, 3)],
                vec![(0, 15), (2, 5)],
            ],
            n_terms: vec![25, 30, 35, 20],
        };
        let labels = [0, 0, 1, 1];
        let top = top_terms(&terms, &labels, 10);
        assert_eq!(top[&0], vec!["ракеты", "ракетный удар"]);
        assert_eq!(top[&1], vec!["переговоры", "переговоры сторон"]);
        let top = top_terms(&terms, &labels, 1);
        assert_eq!(top[&0], vec!["ракеты"]);

        let scores = ScoreMatrix {
            columns: vec![
                ("security".into(), "threat".into()),
                ("tone".into(), "“negative”".into()),
            ],
            per_1k: vec![],
        };
        let block = LexiconBlock {
            z: array![[1.0, -0.5], [1.0, 0.5], [-1.0, 0.25], [-1.0, -0.25]],
            columns: vec![0, 1],
        };
        let cats = top_categories(&block, &scores, &labels, 5);
        assert_eq!(cats[&0], vec!["security/threat"]);
        // Cluster 1: means −1 and 0 -> nothing above the corpus average.
        assert!(cats[&1].is_empty());
    }
}
