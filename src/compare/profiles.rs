//! Outlet frame profiles: each outlet's mean rate per category with a bootstrap interval (the
//! `outlet_profiles` table).
//!
//! One row per outlet, group and lexicon category that applies to at least one of the
//! outlet's documents. An outlet whose documents carry different groups gets one row per
//! group (normally an outlet has one). The interval is the bootstrap percentile interval of
//! the mean (Efron & Tibshirani 1993), resampling the outlet's documents with replacement; an
//! outlet with a single document has no sampling variability to show, so its interval is
//! null rather than the degenerate `[x, x]`.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::stats::{blocks, mean, percentile_interval, resample_sum, stream};
use crate::features::matrix::{DocInfo, ScoreMatrix};

/// One row of the `outlet_profiles` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileRow {
    /// Outlet.
    pub outlet: String,
    /// The study group of the outlet's documents (null when they have none).
    pub group: Option<String>,
    /// Lexicon name.
    pub lexicon: String,
    /// Category.
    pub category: String,
    /// Mean rate per 1,000 tokens over the outlet's documents the category applies to.
    pub mean_per_1k: f64,
    /// Lower bound of the bootstrap percentile interval of the mean.
    pub ci_low: Option<f64>,
    /// Upper bound.
    pub ci_high: Option<f64>,
    /// Documents averaged.
    pub n_docs: u32,
}

/// Bootstrap percentile interval of the mean of `x`: `resamples` means of `x.len()` draws
/// with replacement, from the streams of `key` under `seed` (one per block of resamples).
/// `None` for fewer than two values.
pub fn mean_interval(
    x: &[f64],
    resamples: u32,
    confidence: f64,
    seed: u64,
    key: &str,
) -> Option<(f64, f64)> {
    if x.len() < 2 {
        return None;
    }
    let n = x.len();
    let mut means: Vec<f64> = blocks(resamples)
        .into_iter()
        .enumerate()
        .flat_map(|(k, (lo, hi))| {
            let mut rng = stream(seed, key, k as u32);
            (lo..hi)
                .map(|_| resample_sum(x, &mut rng) / n as f64)
                .collect::<Vec<_>>()
        })
        .collect();
    percentile_interval(&mut means, confidence)
}

/// The `outlet_profiles` table, sorted by outlet, group (null first) and the score matrix's
/// column order.
pub fn profiles(
    docs: &[DocInfo],
    scores: &ScoreMatrix,
    resamples: u32,
    confidence: f64,
    seed: u64,
) -> Vec<ProfileRow> {
    let mut units: BTreeMap<(&str, Option<&str>), Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(o) = d.outlet.as_deref() {
            units.entry((o, d.group.as_deref())).or_default().push(i);
        }
    }
    let tasks: Vec<_> = units
        .iter()
        .flat_map(|(&(outlet, group), idx)| {
            (0..scores.columns.len()).map(move |c| (outlet, group, idx, c))
        })
        .collect();
    tasks
        .into_par_iter()
        .filter_map(|(outlet, group, idx, c)| {
            let x: Vec<f64> = idx
                .iter()
                .filter_map(|&i| {
                    scores
                        .per_1k
                        .get(i)
                        .and_then(|r| r.get(c))
                        .copied()
                        .flatten()
                })
                .collect();
            let m = mean(&x)?;
            let (lexicon, category) = &scores.columns[c];
            let key = format!(
                "profile\u{1f}{outlet}\u{1f}{}\u{1f}{lexicon}\u{1f}{category}",
                group.unwrap_or("\u{0}")
            );
            let ci = mean_interval(&x, resamples, confidence, seed, &key);
            Some(ProfileRow {
                outlet: outlet.to_string(),
                group: group.map(str::to_string),
                lexicon: lexicon.clone(),
                category: category.clone(),
                mean_per_1k: m,
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                n_docs: x.len() as u32,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn doc(outlet: Option<&str>, group: Option<&str>) -> DocInfo {
        DocInfo {
            doc_id: "d".to_string(),
            outlet: outlet.map(str::to_string),
            group: group.map(str::to_string),
            event: None,
            date: None,
            language: "ru".to_string(),
            n_tokens: 100,
        }
    }

    #[test]
    fn profile_rows_by_hand() {
        let docs = [
            doc(Some("Медуза"), Some("независимые")),
            doc(Some("RT"), Some("государственные")),
            doc(Some("Медуза"), Some("независимые")),
            doc(None, Some("государственные")),
        ];
        let scores = ScoreMatrix {
            columns: vec![
                ("security".into(), "угроза".into()),
                ("tone-en".into(), "negative".into()),
            ],
            per_1k: vec![
                vec![Some(2.0), None],
                vec![Some(5.0), None],
                vec![Some(4.0), None],
                vec![Some(100.0), Some(1.0)],
            ],
        };
        let rows = profiles(&docs, &scores, 500, 0.95, 42);
        // RT (one document): mean 5, no interval; Медуза: mean 3 of (2, 4), interval within
        // [2, 4] (bootstrap means of two values are 2, 3 or 4). The English tone lexicon applies
        // to no document of either outlet: no row.
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].outlet, "RT");
        assert_eq!(rows[0].group.as_deref(), Some("государственные"));
        assert_eq!(rows[0].mean_per_1k, 5.0);
        assert_eq!(
            (rows[0].ci_low, rows[0].ci_high, rows[0].n_docs),
            (None, None, 1)
        );
        assert_eq!(rows[1].outlet, "Медуза");
        assert_eq!(rows[1].category, "угроза");
        assert_abs_diff_eq!(rows[1].mean_per_1k, 3.0);
        assert_eq!((rows[1].ci_low, rows[1].ci_high), (Some(2.0), Some(4.0)));
        assert_eq!(rows[1].n_docs, 2);
    }

    #[test]
    fn mean_interval_is_seeded_and_sensible() {
        // 200 values 0..9 repeating: mean 4.5, SD of the mean √(8.25/200) = 0.203; the 95%
        // interval is about 4.5 ± 0.40.
        let x: Vec<f64> = (0..200).map(|i| f64::from(i % 10)).collect();
        let (lo, hi) = mean_interval(&x, 2000, 0.95, 9, "k").unwrap();
        assert!(
            (lo - 4.10).abs() < 0.06 && (hi - 4.90).abs() < 0.06,
            "{lo} {hi}"
        );
        assert_eq!(
            mean_interval(&x, 2000, 0.95, 9, "k"),
            mean_interval(&x, 2000, 0.95, 9, "k")
        );
        assert_eq!(mean_interval(&[1.0], 10, 0.95, 9, "k"), None);
    }
}
