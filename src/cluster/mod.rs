//! Clustering: do the articles group by who published them rather than by what happened?
//!
//! [`cluster`] turns the kept documents into a feature matrix ([`matrix`]: standardized lexicon
//! rates, tf-idf reduced by randomized truncated SVD ([`svd`]), or both), clusters it with
//! linfa ([`models`]: k-means with k chosen by silhouette, a Gaussian mixture or DBSCAN), maps
//! it to two dimensions with PCA, scores the agreement of the clusters with the group, outlet
//! and event columns ([`metrics`]: adjusted Rand index and normalized mutual information) and
//! names each cluster by its distinctive terms and lexicon categories ([`naming`]). It hands
//! the pipeline plain row structs for the `clusters`, `cluster_summary`, `cluster_agreement`,
//! `cluster_selection` and `pca` tables.
//!
//! Every random choice (SVD test matrix, k-means initialization, silhouette sample) is drawn
//! from `Xoshiro256Plus::seed_from_u64(seed)`; parallel loops write per-document results in
//! document order, so the output is the same for a seed whatever the number of threads.
//!
//! Agreement: documents without a value in the compared column are left out of that
//! comparison, and a column without any value is skipped. DBSCAN noise (cluster −1) counts as
//! one more label there (as it does when scikit-learn is given the labels), while it has no
//! silhouette.

pub mod config;
pub mod kernels;
pub mod matrix;
pub mod metrics;
pub mod models;
pub mod naming;
pub mod svd;
pub mod tables;

use ndarray::{concatenate, Array2, ArrayView2, Axis};
use ndarray_rand::rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::Serialize;

pub use config::{Algorithm, ClusterConfig, FeatureSet};

use crate::features::matrix::{DocInfo, ScoreMatrix, TermMatrix};

/// Silhouette widths are computed for at most this many documents: all of them in smaller
/// corpora, otherwise a seeded uniform sample, with the distances within the sample only (as
/// scikit-learn's `silhouette_score(sample_size=…)`; the other documents' widths are null).
/// Exact widths cost O(n²·d), and even sampled widths against all documents grow with n
/// (5,000 × 250,000 × 50 per k tried). In such a corpus k is also chosen on the sample: each k
/// in `k-min..=k-max` is fitted to the sampled documents and scored by their mean silhouette
/// (the approach of CLARA, Kaufman & Rousseeuw 1990, ch. 3: model search on samples, one final
/// assignment of everything). The chosen k-means model is then refined on all documents:
/// Lloyd's iterations over every document, started at the sample fit's centroids (initial
/// points from a subsample fit, as Bradley & Fayyad 1998, "Refining initial points for k-means
/// clustering"), one run instead of `n-runs` k-means++ starts on the whole corpus. A fixed k is
/// fitted the same way; a Gaussian mixture is fitted to all documents. Below the cap nothing is
/// sampled and every step uses every document.
pub const MAX_SILHOUETTE_DOCS: usize = 5_000;

/// An error of the cluster stage.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// A `[cluster]` value no run could use.
    #[error("[cluster] {key}: {message}")]
    Config {
        /// The study-file key.
        key: &'static str,
        /// What is wrong, naming the value.
        message: String,
    },
    /// Too few documents to cluster (silhouettes need at least 3).
    #[error("clustering needs at least 3 documents, the corpus has {n}; no clusters computed")]
    TooFewDocuments {
        /// Kept documents.
        n: usize,
    },
    /// A fixed k that the corpus cannot support.
    #[error(
        "[cluster] k: {k} clusters need more than {k} documents, the corpus has {n} \
         (k must be at most {})",
        n.saturating_sub(1)
    )]
    KTooLarge {
        /// The study's k.
        k: usize,
        /// Kept documents.
        n: usize,
    },
    /// The k range is empty once capped at n − 1.
    #[error(
        "[cluster] k-min: {k_min} leaves no k to try with {n} documents (the largest k is {})",
        n.saturating_sub(1)
    )]
    KRange {
        /// The study's k-min.
        k_min: usize,
        /// Kept documents.
        n: usize,
    },
    /// The inputs do not describe the same documents.
    #[error("cluster input: {0}")]
    Shape(String),
    /// A lexicon rate that is NaN or infinite.
    #[error("document \"{doc_id}\": rate of {column} is not finite ({value})")]
    NonFinite {
        /// The document.
        doc_id: String,
        /// `lexicon/category`.
        column: String,
        /// The value.
        value: f64,
    },
    /// Nothing varies across the documents in the chosen features.
    #[error("features = \"{features}\": all {n} documents have the same features ({reason}); no clusters computed")]
    NoVariance {
        /// The requested feature set.
        features: FeatureSet,
        /// Kept documents.
        n: usize,
        /// Why (no lexicon column varies, no terms, ...).
        reason: String,
    },
    /// A clustering algorithm failed.
    #[error("{algorithm} with k = {k} failed: {message}")]
    Model {
        /// The algorithm.
        algorithm: Algorithm,
        /// The k (0 for DBSCAN).
        k: usize,
        /// linfa's message.
        message: String,
    },
    /// A dense linear-algebra step of the truncated SVD failed.
    #[error("truncated svd of the tf-idf matrix failed: {0}")]
    Linalg(String),
    /// The 2-D PCA failed.
    #[error("pca of the cluster features failed: {0}")]
    Pca(String),
}

impl ClusterError {
    /// True for errors that describe the data rather than a mistake (too few documents,
    /// nothing varies): the pipeline can report them and carry on without cluster tables.
    pub fn is_data_limit(&self) -> bool {
        matches!(
            self,
            ClusterError::TooFewDocuments { .. } | ClusterError::NoVariance { .. }
        )
    }
}

/// A row of the `clusters` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterRow {
    /// Document id.
    pub doc_id: String,
    /// Cluster (0 is the largest; −1 is DBSCAN noise).
    pub cluster: i64,
    /// First principal component of the clustered features.
    pub pc1: f64,
    /// Second principal component (0 when the features have one dimension).
    pub pc2: f64,
    /// Silhouette width (within the sample in a large corpus); null for noise, for documents
    /// outside the silhouette sample (see [`MAX_SILHOUETTE_DOCS`]) and when there are fewer
    /// than two clusters.
    pub silhouette: Option<f64>,
}

/// A row of the `cluster_summary` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow {
    /// Cluster.
    pub cluster: i64,
    /// Documents in it.
    pub size: u32,
    /// Most distinctive term labels, comma-separated (see [`naming`]).
    pub top_terms: String,
    /// Most elevated `lexicon/category` names, comma-separated.
    pub top_categories: String,
}

/// A row of the `cluster_agreement` table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementRow {
    /// `"group"`, `"outlet"` or `"event"`.
    pub against: String,
    /// Adjusted Rand index; null with fewer than two documents having a value.
    pub ari: Option<f64>,
    /// Normalized mutual information (arithmetic mean normalization).
    pub nmi: Option<f64>,
}

/// A row of the `cluster_selection` table (one per k tried).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectionRow {
    /// The k.
    pub k: u32,
    /// Mean silhouette (of a fit to the sample in a large corpus, see
    /// [`MAX_SILHOUETTE_DOCS`]); null when the fit gave fewer than two non-empty clusters.
    pub silhouette: Option<f64>,
}

/// What was actually run, for the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterParameters {
    /// The features the study asked for.
    pub requested_features: FeatureSet,
    /// Columns of the clustered matrix.
    pub n_features: usize,
    /// Lexicon columns used (after dropping constant ones), when the lexicon block is used.
    pub lexicon_columns: Option<usize>,
    /// SVD dimensions of the tf-idf block, when it is used.
    pub svd_dims: Option<usize>,
    /// k-means initializations.
    pub n_runs: usize,
    /// The DBSCAN radius used (given or chosen).
    pub dbscan_eps: Option<f64>,
    /// The DBSCAN minimum points.
    pub dbscan_min_points: Option<usize>,
    /// Documents whose silhouette was computed.
    pub silhouette_docs: usize,
    /// Decisions worth telling the researcher (a block left out, fewer clusters than asked).
    pub notes: Vec<String>,
}

/// Everything the cluster stage hands on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterOutput {
    /// `clusters` rows, in document order.
    pub assignments: Vec<ClusterRow>,
    /// `cluster_summary` rows, by cluster.
    pub summary: Vec<SummaryRow>,
    /// `cluster_agreement` rows: group, outlet, event (columns without values are skipped).
    pub agreement: Vec<AgreementRow>,
    /// `cluster_selection` rows; empty when k was fixed or for DBSCAN.
    pub selection: Vec<SelectionRow>,
    /// `pca` table: share of the total variance on components 1 and 2.
    pub explained_variance: [f64; 2],
    /// Clusters found (noise not counted).
    pub k: usize,
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The features actually clustered (`both` can fall back to one block, see the notes).
    pub features: FeatureSet,
    /// Settings and decisions.
    pub parameters: ClusterParameters,
}

/// Checks that the three inputs describe the same documents.
fn check_inputs(
    docs: &[DocInfo],
    scores: &ScoreMatrix,
    terms: &TermMatrix,
) -> Result<(), ClusterError> {
    let n = docs.len();
    let shape = |m: String| Err(ClusterError::Shape(m));
    if scores.per_1k.len() != n && !(scores.columns.is_empty() && scores.per_1k.is_empty()) {
        return shape(format!(
            "the score matrix has {} rows for {n} documents",
            scores.per_1k.len()
        ));
    }
    for (doc, row) in docs.iter().zip(&scores.per_1k) {
        if row.len() != scores.columns.len() {
            return shape(format!(
                "document \"{}\" has {} lexicon rates for {} columns",
                doc.doc_id,
                row.len(),
                scores.columns.len()
            ));
        }
    }
    let v = terms.terms.len();
    if terms.labels.len() != v || terms.order.len() != v || terms.idf.len() != v {
        return shape(format!(
            "the term matrix has {v} terms but {} labels, {} orders and {} idf values",
            terms.labels.len(),
            terms.order.len(),
            terms.idf.len()
        ));
    }
    if terms.rows.len() != n || terms.n_terms.len() != n {
        return shape(format!(
            "the term matrix has {} rows and {} term totals for {n} documents",
            terms.rows.len(),
            terms.n_terms.len()
        ));
    }
    for (doc, row) in docs.iter().zip(&terms.rows) {
        if let Some(&(t, _)) = row.iter().find(|(t, _)| *t as usize >= v) {
            return shape(format!(
                "document \"{}\" counts term {t}, beyond the {v} terms",
                doc.doc_id
            ));
        }
        // The tf-idf view finds column ranges by binary search (matrix::TfidfRows).
        if let Some(w) = row.windows(2).find(|w| w[0].0 >= w[1].0) {
            return shape(format!(
                "document \"{}\": term {} follows term {}; a row's terms must increase",
                doc.doc_id, w[1].0, w[0].0
            ));
        }
    }
    if let Some((t, idf)) = terms.idf.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return shape(format!(
            "term \"{}\" has a non-finite idf ({idf})",
            terms.terms[t]
        ));
    }
    Ok(())
}

/// The clustered matrix and what went into it.
struct Features {
    x: Array2<f64>,
    used: FeatureSet,
    lexicon_columns: Option<usize>,
    svd_dims: Option<usize>,
    notes: Vec<String>,
}

fn build_features(
    lexicon: &matrix::LexiconBlock,
    terms: &TermMatrix,
    config: &ClusterConfig,
    seed: u64,
    n: usize,
) -> Result<Features, ClusterError> {
    let no_variance = |reason: &str| ClusterError::NoVariance {
        features: config.features,
        n,
        reason: reason.to_string(),
    };
    let tfidf = || -> Result<Array2<f64>, ClusterError> {
        // Read from the term counts as needed, not stored (see matrix::TfidfRows).
        let svd = svd::randomized_svd(&matrix::TfidfRows::new(terms), config.dims, seed)?;
        let mut x = svd.scores;
        // As scikit-learn's LSA example: unit rows after the SVD, so that Euclidean distance
        // in the reduced space follows cosine similarity.
        matrix::normalize_rows(&mut x);
        Ok(x)
    };
    let lexicon_varies = lexicon.z.ncols() > 0;
    match config.features {
        FeatureSet::Lexicon => {
            if !lexicon_varies {
                return Err(no_variance("no lexicon category rate varies"));
            }
            Ok(Features {
                x: lexicon.z.clone(),
                used: FeatureSet::Lexicon,
                lexicon_columns: Some(lexicon.z.ncols()),
                svd_dims: None,
                notes: Vec::new(),
            })
        }
        FeatureSet::Tfidf => {
            let x = tfidf()?;
            if !matrix::varies(x.view()) {
                return Err(no_variance("no tf-idf dimension varies"));
            }
            Ok(Features {
                svd_dims: Some(x.ncols()),
                x,
                used: FeatureSet::Tfidf,
                lexicon_columns: None,
                notes: Vec::new(),
            })
        }
        FeatureSet::Both => {
            // The SVD first: its peak memory is the stage's, without a copy of the lexicon block.
            let mut tf = tfidf()?;
            let mut lex = lexicon.z.clone();
            let lex_ok = lexicon_varies && matrix::scale_to_unit_variance(&mut lex);
            let tf_ok = matrix::scale_to_unit_variance(&mut tf);
            match (lex_ok, tf_ok) {
                (true, true) => Ok(Features {
                    lexicon_columns: Some(lex.ncols()),
                    svd_dims: Some(tf.ncols()),
                    x: standard_layout(concatenate![Axis(1), lex, tf]),
                    used: FeatureSet::Both,
                    notes: Vec::new(),
                }),
                (true, false) => Ok(Features {
                    lexicon_columns: Some(lex.ncols()),
                    svd_dims: None,
                    x: lex,
                    used: FeatureSet::Lexicon,
                    notes: vec![
                        "features = \"both\": the tf-idf block does not vary; clustered on lexicon rates only".into(),
                    ],
                }),
                (false, true) => Ok(Features {
                    lexicon_columns: None,
                    svd_dims: Some(tf.ncols()),
                    x: tf,
                    used: FeatureSet::Tfidf,
                    notes: vec![
                        "features = \"both\": no lexicon category rate varies; clustered on tf-idf only".into(),
                    ],
                }),
                (false, false) => Err(no_variance(
                    "neither a lexicon category rate nor a tf-idf dimension varies",
                )),
            }
        }
    }
}

/// `x` in row-major layout, copied only when it is not already (the clustering reads rows).
fn standard_layout(x: Array2<f64>) -> Array2<f64> {
    if x.is_standard_layout() {
        x
    } else {
        x.as_standard_layout().into_owned()
    }
}

/// The documents whose silhouette is computed: all, or a seeded sample of
/// [`MAX_SILHOUETTE_DOCS`] in document order.
fn silhouette_rows(n: usize, seed: u64) -> Vec<usize> {
    if n <= MAX_SILHOUETTE_DOCS {
        return (0..n).collect();
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut rows =
        ndarray_rand::rand::seq::index::sample(&mut rng, n, MAX_SILHOUETTE_DOCS).into_vec();
    rows.sort_unstable();
    rows
}

/// Reads one metadata column of a document.
type Column = fn(&DocInfo) -> Option<&str>;

/// Agreement of the clusters with the group, outlet and event columns.
fn agreement(docs: &[DocInfo], labels: &[i64]) -> Vec<AgreementRow> {
    let columns: [(&str, Column); 3] = [
        ("group", |d| d.group.as_deref()),
        ("outlet", |d| d.outlet.as_deref()),
        ("event", |d| d.event.as_deref()),
    ];
    columns
        .iter()
        .filter_map(|(name, value)| {
            let (clusters, values): (Vec<i64>, Vec<&str>) = docs
                .iter()
                .zip(labels)
                .filter_map(|(d, &l)| value(d).map(|v| (l, v)))
                .unzip();
            (!values.is_empty()).then(|| AgreementRow {
                against: name.to_string(),
                ari: metrics::adjusted_rand_index(&clusters, &values),
                nmi: metrics::normalized_mutual_info(&clusters, &values),
            })
        })
        .collect()
}

/// Clusters the documents (see the module documentation). `docs`, the rows of `scores` and the
/// rows of `terms` are the same documents in the same order. `config.enabled` is the caller's
/// business. Errors for which [`ClusterError::is_data_limit`] is true mean "no clusters for
/// this corpus", not a mistake.
pub fn cluster(
    docs: &[DocInfo],
    scores: &ScoreMatrix,
    terms: &TermMatrix,
    config: &ClusterConfig,
    seed: u64,
) -> Result<ClusterOutput, ClusterError> {
    config.check()?;
    check_inputs(docs, scores, terms)?;
    let n = docs.len();
    if let Some(k) = config.k {
        if k >= n {
            return Err(ClusterError::KTooLarge { k, n });
        }
    }
    if n < 3 {
        return Err(ClusterError::TooFewDocuments { n });
    }
    let k_max = config.k_max.min(n - 1);
    if config.algorithm != Algorithm::Dbscan && config.k.is_none() && config.k_min > k_max {
        return Err(ClusterError::KRange {
            k_min: config.k_min,
            n,
        });
    }
    if config.algorithm == Algorithm::Dbscan && config.dbscan_min_points > n {
        return Err(ClusterError::Config {
            key: "dbscan-min-points",
            message: format!(
                "{} is more than the {n} documents",
                config.dbscan_min_points
            ),
        });
    }

    let ids: Vec<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    let lexicon = if scores.per_1k.is_empty() {
        matrix::LexiconBlock {
            z: Array2::zeros((n, 0)),
            columns: Vec::new(),
        }
    } else {
        matrix::lexicon_block(&ids, scores)?
    };
    let Features {
        x,
        used,
        lexicon_columns,
        svd_dims,
        mut notes,
    } = build_features(&lexicon, terms, config, seed, n)?;

    let rows = silhouette_rows(n, seed);
    // Above MAX_SILHOUETTE_DOCS documents the silhouettes are computed within the seeded
    // sample and k is chosen on it (see MAX_SILHOUETTE_DOCS).
    let sample: Option<Array2<f64>> = (rows.len() < n).then(|| x.select(Axis(0), &rows));
    let xs = sample.as_ref().map_or(x.view(), |s| s.view());
    let within_sample = |labels: &[i64]| -> Vec<Option<f64>> {
        let sampled: Vec<i64> = rows.iter().map(|&i| labels[i]).collect();
        let all: Vec<usize> = (0..rows.len()).collect();
        metrics::silhouette_samples(xs, &sampled, &all)
    };
    // The labels of every document from a fit to the sample: k-means iterations on all
    // documents started at the sample's centroids; a mixture is fitted to all documents anew.
    let refine = |x: ArrayView2<f64>,
                  (_, centroids): (Vec<i64>, Option<Array2<f64>>),
                  k: usize|
     -> Result<Vec<i64>, ClusterError> {
        match centroids {
            Some(c) => {
                let (raw, _) = models::kmeans_from(x, c, config, seed)?;
                let raw: Vec<i64> = raw.into_iter().map(|l| l as i64).collect();
                Ok(models::relabel(&raw).0)
            }
            None => Ok(models::fit(x, k, config, seed)?.0),
        }
    };
    let mut selection = Vec::new();
    let mut dbscan_eps = None;
    let (labels, sampled) = match (config.algorithm, config.k) {
        (Algorithm::Dbscan, _) => {
            let eps = match config.dbscan_eps {
                Some(eps) => eps,
                None => models::dbscan_eps(x.view(), config.dbscan_min_points)?,
            };
            dbscan_eps = Some(eps);
            let raw = models::dbscan(x.view(), eps, config.dbscan_min_points)?;
            let (labels, _) = models::relabel(&raw);
            let sampled = within_sample(&labels);
            (labels, sampled)
        }
        (_, Some(k)) => {
            let labels = match &sample {
                Some(xs) => refine(x.view(), models::fit(xs.view(), k, config, seed)?, k)?,
                None => models::fit(x.view(), k, config, seed)?.0,
            };
            let sampled = within_sample(&labels);
            (labels, sampled)
        }
        (_, None) => {
            let (trials, best) = models::select_k(xs, config.k_min..=k_max, config, seed)?;
            selection = trials
                .iter()
                .map(|t| SelectionRow {
                    k: t.k as u32,
                    silhouette: t.mean_silhouette,
                })
                .collect();
            let best = match best {
                Some(i) => i,
                None => {
                    notes.push(format!(
                        "no k in {}..={k_max} gave two non-empty clusters; kept k = {}",
                        config.k_min, config.k_min
                    ));
                    0
                }
            };
            let t = trials.into_iter().nth(best).ok_or(ClusterError::KRange {
                k_min: config.k_min,
                n,
            })?;
            if sample.is_none() {
                (t.labels, t.silhouettes)
            } else {
                // k was chosen on the sample; that model is refined on every document.
                let labels = refine(x.view(), (t.labels, t.centroids), t.k)?;
                let sampled = within_sample(&labels);
                (labels, sampled)
            }
        }
    };
    let k = labels
        .iter()
        .copied()
        .filter(|&l| l >= 0)
        .max()
        .map_or(0, |m| m as usize + 1);
    if let Some(asked) = config.k {
        if k < asked {
            notes.push(format!(
                "k = {asked} was asked for but only {k} clusters have documents"
            ));
        }
    }
    let mut silhouettes = vec![None; n];
    for (&i, s) in rows.iter().zip(sampled) {
        silhouettes[i] = s;
    }

    let pca = svd::pca_2d(x.view())?;
    let assignments = docs
        .iter()
        .enumerate()
        .map(|(i, d)| ClusterRow {
            doc_id: d.doc_id.clone(),
            cluster: labels[i],
            pc1: pca.coords[[i, 0]],
            pc2: pca.coords[[i, 1]],
            silhouette: silhouettes[i],
        })
        .collect();

    let top_terms = naming::top_terms(terms, &labels, config.top_terms);
    let top_categories = naming::top_categories(&lexicon, scores, &labels, config.top_categories);
    let mut sizes = std::collections::BTreeMap::new();
    for &l in &labels {
        *sizes.entry(l).or_insert(0u32) += 1;
    }
    let summary = sizes
        .into_iter()
        .map(|(cluster, size)| SummaryRow {
            cluster,
            size,
            top_terms: top_terms
                .get(&cluster)
                .map(|t| t.join(", "))
                .unwrap_or_default(),
            top_categories: top_categories
                .get(&cluster)
                .map(|t| t.join(", "))
                .unwrap_or_default(),
        })
        .collect();

    Ok(ClusterOutput {
        assignments,
        summary,
        agreement: agreement(docs, &labels),
        selection,
        explained_variance: pca.explained_variance_ratio,
        k,
        algorithm: config.algorithm,
        features: used,
        parameters: ClusterParameters {
            requested_features: config.features,
            n_features: x.ncols(),
            lexicon_columns,
            svd_dims,
            n_runs: config.n_runs,
            dbscan_eps,
            dbscan_min_points: (config.algorithm == Algorithm::Dbscan)
                .then_some(config.dbscan_min_points),
            silhouette_docs: rows.len(),
            notes,
        },
    })
}

#[cfg(test)]
mod tests;
