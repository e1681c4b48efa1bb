//! The compare stage: how the groups (or outlets) differ in their framing of the same events,
//! with uncertainty, and which words carry each difference.
//!
//! It takes the kept documents' metadata ([`DocInfo`]), their lexicon rates ([`ScoreMatrix`])
//! and term counts ([`TermMatrix`]) and hands on plain rows for five tables, which the pipeline
//! turns into Parquet:
//!
//! * `comparisons` ([`groups`]): per lexicon category and pair of groups, the difference of
//!   mean rates within each event and pooled over events with Cochran–Mantel–Haenszel-style
//!   weights, with a bootstrap interval, a stratified permutation p-value, a
//!   Benjamini–Hochberg q-value and an effect size;
//! * `keyness` ([`keyness`]): the terms that carry each group difference (log-odds ratio with
//!   an informative Dirichlet prior, G², χ²);
//! * `divergence` ([`divergence`]): Jensen–Shannon divergence of the outlets' vocabularies and
//!   cosine distance of their frame profiles;
//! * `outlet_profiles` ([`profiles`]): each outlet's mean rate per category with an interval;
//! * `events` ([`events`]): the automatically found events, when events were grouped
//!   automatically.
//!
//! Every random step draws from streams derived from the study seed and the name of what is
//! resampled ([`stats::stream`]), in fixed blocks, so the output is the same for any number of
//! threads. Rows are sorted explicitly.

pub mod config;
pub mod design;
pub mod divergence;
pub mod events;
pub mod groups;
pub mod keyness;
pub mod profiles;
pub mod stats;
pub mod tables;

pub use config::{CompareConfig, EffectKind, EventsConfig, GroupBy};
pub use divergence::DivergenceRow;
pub use events::EventRow;
pub use groups::ComparisonRow;
pub use keyness::KeynessRow;
pub use profiles::ProfileRow;

use crate::features::matrix::{DocInfo, ScoreMatrix, TermMatrix};

/// An error of the compare stage.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// A `[compare]` setting is unusable.
    #[error("[compare] {key}: {message}")]
    Config {
        /// The key under `[compare]`.
        key: &'static str,
        /// What is wrong with its value.
        message: String,
    },
    /// The inputs do not fit together (a pipeline bug, not a user error).
    #[error("compare: {0}")]
    Shape(String),
    /// A rate is NaN or infinite.
    #[error(
        "document \"{doc_id}\": the rate per 1,000 tokens of {lexicon}/{category} is {value}, \
         not a finite number"
    )]
    NotFinite {
        /// Document id.
        doc_id: String,
        /// Lexicon.
        lexicon: String,
        /// Category.
        category: String,
        /// The value.
        value: f64,
    },
    /// A group or event carries a name the tables reserve.
    #[error(
        "document \"{doc_id}\": {what} \"{name}\" is reserved for the {rows} rows of the \
         comparison tables; rename it (e.g. with [corpus.map.{what}])"
    )]
    ReservedName {
        /// The first document with the name.
        doc_id: String,
        /// `"event"`, `"group"` or `"outlet"`.
        what: &'static str,
        /// The reserved name.
        name: &'static str,
        /// Which rows use it.
        rows: &'static str,
    },
}

impl CompareError {
    /// Whether the error is the user's to fix (a setting or the corpus: exit code 2) rather
    /// than a pipeline bug (inputs that do not fit together: exit code 1).
    pub fn is_input_error(&self) -> bool {
        !matches!(self, CompareError::Shape(_))
    }
}

/// Everything the compare stage hands on: the rows of its tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompareOutput {
    /// The `comparisons` table.
    pub comparisons: Vec<ComparisonRow>,
    /// The `keyness` table.
    pub keyness: Vec<KeynessRow>,
    /// The `divergence` table.
    pub divergence: Vec<DivergenceRow>,
    /// The `outlet_profiles` table.
    pub profiles: Vec<ProfileRow>,
    /// The `events` table, when events were grouped automatically.
    pub events: Option<Vec<EventRow>>,
}

/// Run the compare stage on the kept documents (see the module documentation).
///
/// Checks the configuration first. With `enabled = false` it returns empty tables. `seed` is
/// the study seed; the same inputs and seed give the same output for any thread count.
pub fn compare(
    docs: &[DocInfo],
    scores: &ScoreMatrix,
    terms: &TermMatrix,
    config: &CompareConfig,
    seed: u64,
) -> Result<CompareOutput, CompareError> {
    config.check()?;
    if !config.enabled {
        return Ok(CompareOutput::default());
    }
    check_inputs(docs, scores, terms)?;
    let events = events::assign_events(docs, terms, &config.events);
    let design = design::Design::new(docs, &events.names, config.group_by)?;
    // The four tables do not depend on each other: computing them side by side lets one
    // table's work fill the threads another leaves idle at its end. Each is deterministic on
    // its own, so running them together changes nothing in the output.
    let ((comparisons, keyness), (divergence, profiles)) = rayon::join(
        || {
            rayon::join(
                || groups::compare_groups(&design, scores, config, seed),
                || keyness::keyness(&design, terms, config.alpha0, config.keyness_top),
            )
        },
        || {
            rayon::join(
                || divergence::divergence(docs, &design, scores, terms),
                || profiles::profiles(docs, scores, config.bootstrap, config.confidence, seed),
            )
        },
    );
    Ok(CompareOutput {
        comparisons,
        keyness,
        divergence,
        profiles,
        events: events.rows,
    })
}

/// The matrices must have one row per document, rows as wide as the columns, term indices in
/// range and finite rates.
fn check_inputs(
    docs: &[DocInfo],
    scores: &ScoreMatrix,
    terms: &TermMatrix,
) -> Result<(), CompareError> {
    let shape = |m: String| Err(CompareError::Shape(m));
    if scores.per_1k.len() != docs.len() {
        return shape(format!(
            "the score matrix has {} rows for {} documents",
            scores.per_1k.len(),
            docs.len()
        ));
    }
    if terms.rows.len() != docs.len() {
        return shape(format!(
            "the term matrix has {} rows for {} documents",
            terms.rows.len(),
            docs.len()
        ));
    }
    let n_terms = terms.terms.len();
    if terms.labels.len() != n_terms || terms.order.len() != n_terms || terms.idf.len() != n_terms {
        return shape(format!(
            "the term matrix has {n_terms} terms but {} labels, {} orders and {} idf values",
            terms.labels.len(),
            terms.order.len(),
            terms.idf.len()
        ));
    }
    for (d, row) in docs.iter().zip(&terms.rows) {
        if let Some(&(t, _)) = row.iter().find(|&&(t, _)| t as usize >= n_terms) {
            return shape(format!(
                "document \"{}\": term index {t} is out of range ({n_terms} terms)",
                d.doc_id
            ));
        }
    }
    for (d, row) in docs.iter().zip(&scores.per_1k) {
        if row.len() != scores.columns.len() {
            return shape(format!(
                "document \"{}\": {} rates for {} score columns",
                d.doc_id,
                row.len(),
                scores.columns.len()
            ));
        }
        for (v, (lexicon, category)) in row.iter().zip(&scores.columns) {
            if let Some(v) = v.filter(|v| !v.is_finite()) {
                return Err(CompareError::NotFinite {
                    doc_id: d.doc_id.clone(),
                    lexicon: lexicon.clone(),
                    category: category.clone(),
                    value: v,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, group: &str, event: Option<&str>) -> DocInfo {
        DocInfo {
            doc_id: id.to_string(),
            outlet: Some(format!("СМИ-{group}")),
            group: Some(group.to_string()),
            event: event.map(str::to_string),
            date: None,
            language: "ru".to_string(),
            n_tokens: 100,
        }
    }

    fn small() -> (Vec<DocInfo>, ScoreMatrix, TermMatrix) {
        let docs = vec![
            doc("№1", "гос", Some("саммит")),
            doc("№2", "незав", Some("саммит")),
        ];
        let scores = ScoreMatrix {
            columns: vec![("tone".into(), "negative".into())],
            per_1k: vec![vec![Some(1.0)], vec![Some(3.0)]],
        };
        let terms = TermMatrix {
            terms: vec!["ракет".into()],
            labels: vec!["ракеты".into()],
            order: vec![1],
            idf: vec![1.0],
            rows: vec![vec![(0, 2)], vec![(0, 1)]],
            n_terms: vec![2, 1],
        };
        (docs, scores, terms)
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let (docs, mut scores, terms) = small();
        scores.per_1k[1][0] = Some(f64::NAN);
        let e = compare(&docs, &scores, &terms, &CompareConfig::default(), 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "document \"№2\": the rate per 1,000 tokens of tone/negative is NaN, not a finite number"
        );
        let (docs, scores, mut terms) = small();
        terms.rows[0].push((7, 1));
        let e = compare(&docs, &scores, &terms, &CompareConfig::default(), 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "compare: document \"№1\": term index 7 is out of range (1 terms)"
        );
        let (docs, mut scores, terms) = small();
        scores.per_1k.pop();
        let e = compare(&docs, &scores, &terms, &CompareConfig::default(), 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "compare: the score matrix has 1 rows for 2 documents"
        );
        assert!(!e.is_input_error());
    }

    #[test]
    fn disabled_gives_empty_tables_and_config_is_checked_first() {
        let (docs, scores, terms) = small();
        let off = CompareConfig {
            enabled: false,
            ..Default::default()
        };
        assert_eq!(
            compare(&docs, &scores, &terms, &off, 1).unwrap(),
            CompareOutput::default()
        );
        let bad = CompareConfig {
            enabled: false,
            bootstrap: 0,
            ..Default::default()
        };
        assert!(compare(&docs, &scores, &terms, &bad, 1).is_err());
    }

    #[test]
    fn one_document_per_group_gives_rows_with_warnings() {
        let (docs, scores, terms) = small();
        let out = compare(&docs, &scores, &terms, &CompareConfig::default(), 1).unwrap();
        assert_eq!(out.events, None);
        let events: Vec<&str> = out.comparisons.iter().map(|r| r.event.as_str()).collect();
        assert_eq!(events, ["pooled", "саммит"]);
        for r in &out.comparisons {
            assert_eq!((r.group_a.as_str(), r.group_b.as_str()), ("гос", "незав"));
            assert_eq!(r.diff, Some(-2.0));
            assert_eq!(r.p_perm, Some(1.0));
            assert_eq!(r.q_bh, Some(1.0));
            assert_eq!((r.ci_low, r.ci_high), (None, None));
            assert_eq!(r.effect, Some(-1.0));
            assert_eq!(r.effect_kind, "cliffs_delta");
            assert_eq!((r.n_a, r.n_b), (1, 1));
            assert!(r
                .warning
                .as_deref()
                .unwrap()
                .starts_with("n_a = 1 < min-docs 5"));
        }
        assert_eq!(out.profiles.len(), 2);
        assert_eq!(out.divergence.len(), 2);
        // The only term is the whole vocabulary (α_w = α₀): its log-odds are undefined, no row.
        assert!(out.keyness.is_empty());
    }
}
