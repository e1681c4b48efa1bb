//! How far apart two outlets are, in words and in frames (the `divergence` table).
//!
//! For every pair of outlets `a < b` (by name), in each event both covered and `"pooled"`
//! (all their documents together, not event-weighted):
//!
//! * `jsd`: the Jensen–Shannon divergence in bits ([`jsd`]) between the outlets' unigram
//!   distributions (term counts summed over their documents, then normalized); 0 for the same
//!   distribution, 1 for no shared term. Null when an outlet has no unigram token there.
//! * `frame_cosine_distance`: the cosine distance ([`cosine_distance`]) between their frame
//!   profiles, the vectors of mean rates per 1,000 tokens over the lexicon categories that
//!   apply to documents of both outlets there. Null when no category applies to both or a
//!   profile is all zeros.
//!
//! Outlets are always the unit here, whatever `group-by` says; documents without an outlet
//! are left out.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use super::design::{Design, POOLED};
use super::stats::{cosine_distance, jsd};
use crate::features::matrix::{DocInfo, ScoreMatrix, TermMatrix};

/// One row of the `divergence` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DivergenceRow {
    /// First outlet.
    pub outlet_a: String,
    /// Second outlet (`outlet_a < outlet_b`).
    pub outlet_b: String,
    /// Event, or `"pooled"`.
    pub event: String,
    /// Jensen–Shannon divergence (bits) of the unigram distributions.
    pub jsd: Option<f64>,
    /// Cosine distance of the frame profiles.
    pub frame_cosine_distance: Option<f64>,
}

/// What one outlet wrote in one event (or overall).
#[derive(Debug, Clone, Default)]
struct Cell {
    /// Unigram term counts summed over the cell's documents, sorted by term.
    counts: Vec<(u32, u64)>,
    /// Per score column: (sum of rates, documents with a rate).
    frames: Vec<(f64, u32)>,
}

impl Cell {
    /// The cell of the documents `members` (in document order).
    fn build(members: &[usize], terms: &TermMatrix, scores: &ScoreMatrix) -> Cell {
        let counts = terms.summed_counts(members, |t| terms.order.get(t as usize) == Some(&1));
        let mut frames = vec![(0.0, 0); scores.columns.len()];
        for &doc in members {
            if let Some(row) = scores.per_1k.get(doc) {
                for (f, v) in frames.iter_mut().zip(row) {
                    if let Some(v) = v {
                        f.0 += v;
                        f.1 += 1;
                    }
                }
            }
        }
        Cell { counts, frames }
    }
}

/// The `divergence` table, sorted by outlet pair, then event (`"pooled"` first, then events by
/// name).
pub fn divergence(
    docs: &[DocInfo],
    design: &Design,
    scores: &ScoreMatrix,
    terms: &TermMatrix,
) -> Vec<DivergenceRow> {
    let outlets: Vec<&str> = docs
        .iter()
        .filter_map(|d| d.outlet.as_deref())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // cells[(outlet, rank)] with rank 0 = pooled, 1 + e = event e; built in parallel, each from
    // its documents in document order.
    let mut members: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let Some(o) = d.outlet.as_deref() else {
            continue;
        };
        let o = outlets.binary_search(&o).unwrap_or(0);
        for rank in [0, 1 + design.event_of[i]] {
            members.entry((o, rank)).or_default().push(i);
        }
    }
    let cells: BTreeMap<(usize, usize), Cell> = members
        .into_par_iter()
        .map(|(key, idx)| (key, Cell::build(&idx, terms, scores)))
        .collect();
    let mut tasks = Vec::new();
    for a in 0..outlets.len() {
        for b in a + 1..outlets.len() {
            for rank in 0..=design.events.len() {
                if let (Some(x), Some(y)) = (cells.get(&(a, rank)), cells.get(&(b, rank))) {
                    tasks.push((a, b, rank, x, y));
                }
            }
        }
    }
    tasks
        .into_par_iter()
        .map(|(a, b, rank, x, y)| {
            let (mut u, mut v) = (Vec::new(), Vec::new());
            for (fx, fy) in x.frames.iter().zip(&y.frames) {
                if fx.1 > 0 && fy.1 > 0 {
                    u.push(fx.0 / f64::from(fx.1));
                    v.push(fy.0 / f64::from(fy.1));
                }
            }
            DivergenceRow {
                outlet_a: outlets[a].to_string(),
                outlet_b: outlets[b].to_string(),
                event: if rank == 0 {
                    POOLED.to_string()
                } else {
                    design.events[rank - 1].clone()
                },
                jsd: jsd(&x.counts, &y.counts),
                frame_cosine_distance: cosine_distance(&u, &v),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::config::GroupBy;
    use approx::assert_abs_diff_eq;

    fn doc(id: &str, outlet: Option<&str>) -> DocInfo {
        DocInfo {
            doc_id: id.to_string(),
            outlet: outlet.map(str::to_string),
            group: None,
            event: None,
            date: None,
            language: "ru".to_string(),
            n_tokens: 100,
        }
    }

    #[test]
    fn jsd_and_frame_distance_by_hand() {
        // РИА (two documents, event "e1"): unigram counts term0 1+0, term1 0+1 → (½, ½, 0).
        // ТАСС (one document, "e1"): term1 1, term2 1 → (0, ½, ½). JSD = ½ (see stats).
        // Frames: РИА means (1, 2, –) (column 2 does not apply to either of its documents),
        // ТАСС (2, 1, 1): common columns 0 and 1 → u = (1, 2), v = (2, 1): cos = 4/5, 1 − cos = ⅕.
        // The document without an outlet is ignored.
        let docs = [
            doc("1", Some("РИА")),
            doc("2", Some("РИА")),
            doc("3", Some("ТАСС")),
            doc("4", None),
        ];
        let terms = TermMatrix {
            terms: ["a", "b", "c", "a b"].map(String::from).to_vec(),
            labels: ["a", "b", "c", "a b"].map(String::from).to_vec(),
            order: vec![1, 1, 1, 2],
            idf: vec![1.0; 4],
            rows: vec![
                vec![(0, 1), (3, 5)],
                vec![(1, 1)],
                vec![(1, 1), (2, 1)],
                vec![(0, 9)],
            ],
            n_terms: vec![1, 1, 2, 9],
        };
        let scores = ScoreMatrix {
            columns: vec![
                ("frames".into(), "конфликт".into()),
                ("frames".into(), "экономика".into()),
                ("tone-en".into(), "negative".into()),
            ],
            per_1k: vec![
                vec![Some(0.0), Some(4.0), None],
                vec![Some(2.0), Some(0.0), None],
                vec![Some(2.0), Some(1.0), Some(1.0)],
                vec![Some(9.0), Some(9.0), Some(9.0)],
            ],
        };
        let events = vec!["e1".to_string(); 4];
        let design = Design::new(&docs, &events, GroupBy::Outlet).unwrap();
        let rows = divergence(&docs, &design, &scores, &terms);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].outlet_a.as_str(), rows[0].outlet_b.as_str()),
            ("РИА", "ТАСС")
        );
        assert_eq!(rows[0].event, "pooled");
        assert_eq!(rows[1].event, "e1");
        for r in &rows {
            assert_abs_diff_eq!(r.jsd.unwrap(), 0.5, epsilon = 1e-15);
            assert_abs_diff_eq!(r.frame_cosine_distance.unwrap(), 0.2, epsilon = 1e-12);
        }
    }
}
