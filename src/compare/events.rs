//! Event strata: the metadata's events, or automatic event grouping where they are missing.
//!
//! **Method.** Automatic grouping runs when no document has an event in the metadata, or when
//! `[compare.events] auto = true`; it then groups the documents that have no metadata event
//! (documents with one keep it). Two such documents are *linked* when
//!
//! 1. the cosine similarity of their tf-idf vectors is at least `threshold` (default 0.3), and
//! 2. their dates are at most `window-days` apart (default 3); a document without a date is
//!    linked by the cosine alone, to dated and undated documents alike.
//!
//! The tf-idf vector of a document has one entry per unigram term: `count × idf` with the idf
//! of the term features (the cosine does not depend on the tf denominator, so relative and raw
//! tf give the same links). Events are the connected components of the link graph (single-link
//! clustering, found with a union–find forest), so a chain of daily follow-ups forms one event
//! even when its first and last reports are further apart than the window. A document linked
//! to nothing is an event of its own. Events are named `auto-001`, `auto-002`, … in the order
//! of their first document in the input (more digits when there are more than 999).
//!
//! Candidate pairs come from an inverted index restricted to the date window, and each pair
//! is scored once, so the work is the number of (pair of documents within the window, shared
//! term) triples rather than all pairs times the vocabulary. Documents without a date are
//! compared with every document, so for an undated corpus the work grows with the square of
//! its size (in a synthetic test, 20,000 undated 150-token documents took 6 s of CPU, 20,000
//! dated ones spread over a year 2.5 s). Pruning very common terms (`[features] max-df`)
//! speeds it up, since most pairs share them.

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use super::config::EventsConfig;
use super::design::NO_EVENT;
use crate::features::matrix::{DocInfo, TermMatrix};

/// One row of the `events` table: a document and its event stratum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    /// Document id.
    pub doc_id: String,
    /// The event the comparisons use for it.
    pub event: String,
    /// Whether the event was found automatically (`false`: from the metadata).
    pub auto: bool,
}

/// The event stratum of every document.
#[derive(Debug, Clone, PartialEq)]
pub struct EventAssignment {
    /// One name per document: the metadata event, an `auto-NNN` event, or `"(no event)"`.
    pub names: Vec<String>,
    /// Rows of the `events` table when automatic grouping ran, else `None`.
    pub rows: Option<Vec<EventRow>>,
}

/// Give every document an event stratum (see the module documentation for the rule).
pub fn assign_events(docs: &[DocInfo], terms: &TermMatrix, cfg: &EventsConfig) -> EventAssignment {
    let any_event = docs.iter().any(|d| d.event.is_some());
    if any_event && !cfg.auto {
        let names = docs
            .iter()
            .map(|d| d.event.clone().unwrap_or_else(|| NO_EVENT.to_string()))
            .collect();
        return EventAssignment { names, rows: None };
    }
    let targets: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].event.is_none())
        .collect();
    let component = link_components(docs, terms, &targets, cfg);
    let n_events = component.iter().filter(|&&(root, i)| root == i).count();
    let width = n_events.to_string().len().max(3);
    let mut number = vec![0usize; targets.len()];
    let mut next = 0;
    for (k, &(root, _)) in component.iter().enumerate() {
        if root == k {
            next += 1;
            number[k] = next;
        }
    }
    let mut names: Vec<String> = docs
        .iter()
        .map(|d| d.event.clone().unwrap_or_default())
        .collect();
    for (k, &i) in targets.iter().enumerate() {
        names[i] = format!("auto-{:0width$}", number[component[k].0]);
    }
    let rows = docs
        .iter()
        .zip(&names)
        .map(|(d, e)| EventRow {
            doc_id: d.doc_id.clone(),
            event: e.clone(),
            auto: d.event.is_none(),
        })
        .collect();
    EventAssignment {
        names,
        rows: Some(rows),
    }
}

/// For each target (by position `k` in `targets`): `(root, k)` with `root` the position of the
/// first target of its component.
fn link_components(
    docs: &[DocInfo],
    terms: &TermMatrix,
    targets: &[usize],
    cfg: &EventsConfig,
) -> Vec<(usize, usize)> {
    let m = targets.len();
    // tf-idf vectors (unigrams) and their norms.
    let vectors: Vec<Vec<(u32, f64)>> = targets
        .iter()
        .map(|&i| {
            terms
                .rows
                .get(i)
                .map(|row| {
                    row.iter()
                        .filter(|&&(t, _)| terms.order.get(t as usize) == Some(&1))
                        .map(|&(t, c)| {
                            let idf = terms.idf.get(t as usize).copied().unwrap_or(1.0);
                            (t, f64::from(c) * idf)
                        })
                        .filter(|&(_, w)| w > 0.0)
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let norms: Vec<f64> = vectors
        .iter()
        .map(|v| v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt())
        .collect();
    let day: Vec<Option<i64>> = targets
        .iter()
        .map(|&i| docs[i].date.map(|d| i64::from(d.num_days_from_ce())))
        .collect();
    // Inverted index: per term, dated postings sorted by (day, k) and undated postings.
    // Every index in `vectors` is below `terms.order.len()` (filtered above).
    let n_terms = terms.order.len();
    let mut dated: Vec<Vec<(i64, u32, f64)>> = vec![Vec::new(); n_terms];
    let mut undated: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_terms];
    for (k, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            match day[k] {
                Some(d) => dated[t as usize].push((d, k as u32, w)),
                None => undated[t as usize].push((k as u32, w)),
            }
        }
    }
    for p in &mut dated {
        p.sort_by_key(|&(d, k, _)| (d, k));
    }
    let window = i64::from(cfg.window_days);
    let threshold = cfg.threshold;
    // Each pair is scored once: two dated documents from the one earlier in (day, position)
    // order, looking forward in its window; a pair with an undated document from the undated
    // one (looking at every dated document and at the undated ones after it).
    let edges: Vec<Vec<u32>> = (0..m)
        .into_par_iter()
        .map_init(
            || (vec![0.0f64; m], vec![u32::MAX; m], Vec::<u32>::new()),
            |(acc, mark, touched), k| {
                touched.clear();
                let mut add = |j: u32, x: f64| {
                    let j = j as usize;
                    if mark[j] != k as u32 {
                        mark[j] = k as u32;
                        acc[j] = 0.0;
                        touched.push(j as u32);
                    }
                    acc[j] += x;
                };
                for &(t, w) in &vectors[k] {
                    let (posts, later) = (&dated[t as usize], &undated[t as usize]);
                    match day[k] {
                        Some(d) => {
                            let me = (d, k as u32);
                            let lo = posts.partition_point(|p| (p.0, p.1) <= me);
                            let hi = posts.partition_point(|p| p.0 <= d + window);
                            for &(_, j, wj) in &posts[lo..hi.max(lo)] {
                                add(j, w * wj);
                            }
                        }
                        None => {
                            for &(_, j, wj) in posts {
                                add(j, w * wj);
                            }
                            let lo = later.partition_point(|p| p.0 as usize <= k);
                            for &(j, wj) in &later[lo..] {
                                add(j, w * wj);
                            }
                        }
                    }
                }
                touched
                    .iter()
                    .copied()
                    .filter(|&j| acc[j as usize] / (norms[k] * norms[j as usize]) >= threshold)
                    .collect()
            },
        )
        .collect();
    // Union–find; the root of a component is its smallest position (union by minimum).
    let mut parent: Vec<usize> = (0..m).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (k, js) in edges.iter().enumerate() {
        for &j in js {
            let (rk, rj) = (find(&mut parent, k), find(&mut parent, j as usize));
            if rk != rj {
                let (lo, hi) = (rk.min(rj), rk.max(rj));
                parent[hi] = lo;
            }
        }
    }
    (0..m).map(|k| (find(&mut parent, k), k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn doc(id: &str, event: Option<&str>, date: Option<(i32, u32, u32)>) -> DocInfo {
        DocInfo {
            doc_id: id.to_string(),
            outlet: None,
            group: None,
            event: event.map(str::to_string),
            date: date.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            language: "ru".to_string(),
            n_tokens: 10,
        }
    }

    /// Terms 0 "ракет", 1 "саммит", 2 "нато", 3 "погод" (idf 1), one bigram 4 that is ignored.
    fn terms(rows: Vec<Vec<(u32, u32)>>) -> TermMatrix {
        let n = rows.len();
        TermMatrix {
            terms: ["ракет", "саммит", "нато", "погод", "ракет нато"]
                .map(String::from)
                .to_vec(),
            labels: ["ракеты", "саммит", "НАТО", "погода", "ракеты НАТО"]
                .map(String::from)
                .to_vec(),
            order: vec![1, 1, 1, 1, 2],
            idf: vec![1.0; 5],
            rows,
            n_terms: vec![10; n],
        }
    }

    fn names(a: &EventAssignment) -> Vec<&str> {
        a.names.iter().map(String::as_str).collect()
    }

    #[test]
    fn metadata_events_are_used_as_given() {
        let docs = vec![doc("1", Some("саммит"), None), doc("2", None, None)];
        let a = assign_events(
            &docs,
            &terms(vec![vec![], vec![]]),
            &EventsConfig::default(),
        );
        assert_eq!(names(&a), ["саммит", "(no event)"]);
        assert_eq!(a.rows, None);
    }

    #[test]
    fn overlapping_documents_within_the_window_link() {
        // d1 and d2: same vocabulary, 2 days apart → linked. d3: same vocabulary but 10 days
        // after d2 → not linked. d4: disjoint vocabulary → alone. d5: shares only a bigram
        // with d1 (bigrams are ignored) → alone.
        // cos(d1, d2): d1 = (2, 1, 0, 0), d2 = (1, 1, 0, 0): 3 / (√5 √2) = 0.9487 ≥ 0.3.
        let docs = vec![
            doc("d1", None, Some((2024, 3, 1))),
            doc("d2", None, Some((2024, 3, 3))),
            doc("d3", None, Some((2024, 3, 13))),
            doc("d4", None, Some((2024, 3, 2))),
            doc("d5", None, Some((2024, 3, 1))),
        ];
        let t = terms(vec![
            vec![(0, 2), (1, 1), (4, 1)],
            vec![(0, 1), (1, 1)],
            vec![(0, 1), (1, 1)],
            vec![(3, 5)],
            vec![(4, 3)],
        ]);
        let a = assign_events(&docs, &t, &EventsConfig::default());
        assert_eq!(
            names(&a),
            ["auto-001", "auto-001", "auto-002", "auto-003", "auto-004"]
        );
        let rows = a.rows.unwrap();
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|r| r.auto));
        assert_eq!(rows[2].doc_id, "d3");
        // A wider window links d3 too (10 days after d2).
        let cfg = EventsConfig {
            window_days: 10,
            ..EventsConfig::default()
        };
        let a = assign_events(&docs, &t, &cfg);
        assert_eq!(
            names(&a),
            ["auto-001", "auto-001", "auto-001", "auto-002", "auto-003"]
        );
    }

    #[test]
    fn threshold_and_chains() {
        // d1 = (1, 0, 0, 0), d2 = (1, 1, 0, 0), d3 = (0, 1, 0, 0)... cos(d1, d2) = 0.707,
        // cos(d2, d3) = 0.707, cos(d1, d3) = 0: single link chains d1–d2–d3 into one event.
        let docs = vec![
            doc("d1", None, Some((2024, 3, 1))),
            doc("d2", None, Some((2024, 3, 3))),
            doc("d3", None, Some((2024, 3, 5))),
        ];
        let t = terms(vec![vec![(0, 1)], vec![(0, 1), (1, 1)], vec![(1, 1)]]);
        let a = assign_events(&docs, &t, &EventsConfig::default());
        assert_eq!(names(&a), ["auto-001"; 3]);
        // Threshold 0.8 is above 0.707: three events.
        let cfg = EventsConfig {
            threshold: 0.8,
            ..EventsConfig::default()
        };
        let a = assign_events(&docs, &t, &cfg);
        assert_eq!(names(&a), ["auto-001", "auto-002", "auto-003"]);
    }

    #[test]
    fn undated_documents_link_by_cosine_and_auto_fills_only_missing_events() {
        // d2 has no date and links to d1 (a year apart does not matter): cos = 3/√10 = 0.95.
        // d3 keeps its metadata event although its vocabulary matches. d5 and d6 (both
        // undated) link to each other (cos = 1) but not to d2 (cos = 1/√20 = 0.22 < 0.3).
        let docs = vec![
            doc("d1", None, Some((2023, 1, 1))),
            doc("d2", None, None),
            doc("d3", Some("саммит НАТО"), Some((2023, 1, 1))),
            doc("d4", None, Some((2024, 1, 1))),
            doc("d5", None, None),
            doc("d6", None, None),
        ];
        let t = terms(vec![
            vec![(2, 1)],
            vec![(2, 3), (3, 1)],
            vec![(2, 1)],
            vec![(1, 1)],
            vec![(0, 1), (3, 1)],
            vec![(0, 1), (3, 1)],
        ]);
        let cfg = EventsConfig {
            auto: true,
            ..EventsConfig::default()
        };
        let a = assign_events(&docs, &t, &cfg);
        assert_eq!(
            names(&a),
            [
                "auto-001",
                "auto-001",
                "саммит НАТО",
                "auto-002",
                "auto-003",
                "auto-003"
            ]
        );
        let auto: Vec<bool> = a.rows.unwrap().iter().map(|r| r.auto).collect();
        assert_eq!(auto, [true, true, false, true, true, true]);
    }

    #[test]
    fn names_widen_past_999_events() {
        let n = 1000;
        let docs: Vec<DocInfo> = (0..n).map(|i| doc(&i.to_string(), None, None)).collect();
        let t = terms(vec![vec![]; n]);
        let a = assign_events(&docs, &t, &EventsConfig::default());
        assert_eq!(a.names[0], "auto-0001");
        assert_eq!(a.names[999], "auto-1000");
    }
}
