//! The study file's `[cluster]` table: which features, which algorithm, which k.
//!
//! Every field has a default, so `[cluster]` may be omitted; [`ClusterConfig::check`] rejects
//! unusable values before any work is done, naming the key and the value.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ClusterError;

/// Which document features are clustered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeatureSet {
    /// Standardized lexicon category rates (z-scores of `per_1k`).
    Lexicon,
    /// Unigram tf-idf reduced by truncated SVD to `dims` dimensions (latent semantic analysis).
    Tfidf,
    /// Both blocks side by side, each scaled to unit total variance (default).
    #[default]
    Both,
}

impl fmt::Display for FeatureSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FeatureSet::Lexicon => "lexicon",
            FeatureSet::Tfidf => "tfidf",
            FeatureSet::Both => "both",
        })
    }
}

/// The clustering algorithm (all from linfa-clustering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// k-means with k-means++ initialization, best of `n-runs` (default).
    #[default]
    Kmeans,
    /// Gaussian mixture with full covariances, initialized from k-means; hard assignment to the
    /// most probable component.
    Gmm,
    /// DBSCAN (Ester et al. 1996); finds its own number of clusters, noise is cluster -1.
    Dbscan,
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Algorithm::Kmeans => "kmeans",
            Algorithm::Gmm => "gmm",
            Algorithm::Dbscan => "dbscan",
        })
    }
}

/// The `[cluster]` table of a study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ClusterConfig {
    /// Run the stage at all (default true). Read by the pipeline; [`super::cluster`] ignores it.
    pub enabled: bool,
    /// `"lexicon"`, `"tfidf"` or `"both"` (default).
    pub features: FeatureSet,
    /// Dimensions kept by the truncated SVD of the tf-idf matrix (default 50).
    pub dims: usize,
    /// `"kmeans"` (default), `"gmm"` or `"dbscan"`.
    pub algorithm: Algorithm,
    /// A fixed number of clusters. When absent, k is chosen by mean silhouette over
    /// `k-min..=k-max` (k-means and gmm only).
    pub k: Option<usize>,
    /// Smallest k tried (default 2).
    pub k_min: usize,
    /// Largest k tried (default 8), capped at the number of documents − 1.
    pub k_max: usize,
    /// k-means initializations; the one with the lowest inertia is kept (default 10).
    pub n_runs: usize,
    /// Iteration limit of k-means and of the mixture's EM (default 300).
    pub max_iterations: u64,
    /// Convergence tolerance of k-means (centroid shift) and EM (lower-bound change)
    /// (default 1e-4).
    pub tolerance: f64,
    /// DBSCAN neighbourhood radius. When absent it is chosen from the data (see
    /// [`super::models::dbscan_eps`]).
    pub dbscan_eps: Option<f64>,
    /// DBSCAN: points (the point itself included) within `dbscan-eps` that make a core point
    /// (default 4).
    pub dbscan_min_points: usize,
    /// Terms listed per cluster in `cluster_summary` (default 10).
    pub top_terms: usize,
    /// Lexicon categories listed per cluster in `cluster_summary` (default 5).
    pub top_categories: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            enabled: true,
            features: FeatureSet::Both,
            dims: 50,
            algorithm: Algorithm::Kmeans,
            k: None,
            k_min: 2,
            k_max: 8,
            n_runs: 10,
            max_iterations: 300,
            tolerance: 1e-4,
            dbscan_eps: None,
            dbscan_min_points: 4,
            top_terms: 10,
            top_categories: 5,
        }
    }
}

fn bad(key: &'static str, message: String) -> ClusterError {
    ClusterError::Config { key, message }
}

impl ClusterConfig {
    /// Rejects values no run could use (checks that need the corpus size are made by
    /// [`super::cluster`]).
    pub fn check(&self) -> Result<(), ClusterError> {
        if self.dims == 0 {
            return Err(bad("dims", "0 must be at least 1".into()));
        }
        if let Some(k) = self.k {
            if k < 2 {
                return Err(bad("k", format!("{k} must be at least 2")));
            }
            if self.algorithm == Algorithm::Dbscan {
                return Err(bad(
                    "k",
                    format!("{k} is not used by algorithm \"dbscan\" (it finds its own clusters)"),
                ));
            }
        }
        if self.k_min < 2 {
            return Err(bad("k-min", format!("{} must be at least 2", self.k_min)));
        }
        if self.k_max < self.k_min {
            return Err(bad(
                "k-max",
                format!("{} is below k-min = {}", self.k_max, self.k_min),
            ));
        }
        if self.n_runs == 0 {
            return Err(bad("n-runs", "0 must be at least 1".into()));
        }
        if self.max_iterations == 0 {
            return Err(bad("max-iterations", "0 must be at least 1".into()));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(bad(
                "tolerance",
                format!("{} must be a positive number", self.tolerance),
            ));
        }
        if let Some(eps) = self.dbscan_eps {
            if !(eps.is_finite() && eps > 0.0) {
                return Err(bad(
                    "dbscan-eps",
                    format!("{eps} must be a positive number"),
                ));
            }
        }
        if self.dbscan_min_points < 2 {
            return Err(bad(
                "dbscan-min-points",
                format!("{} must be at least 2", self.dbscan_min_points),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_kebab_keys() {
        let c: ClusterConfig = toml::from_str("").unwrap();
        assert_eq!(c, ClusterConfig::default());
        let c: ClusterConfig = toml::from_str(
            "features = \"tfidf\"\nalgorithm = \"gmm\"\nk = 4\nk-max = 6\nn-runs = 3\n\
             dbscan-eps = 0.5\ndbscan-min-points = 5\ntop-terms = 7\ntop-categories = 2\n",
        )
        .unwrap();
        assert_eq!(c.features, FeatureSet::Tfidf);
        assert_eq!(c.algorithm, Algorithm::Gmm);
        assert_eq!(c.k, Some(4));
        assert_eq!(c.k_max, 6);
        assert_eq!(c.n_runs, 3);
        assert_eq!(c.dbscan_eps, Some(0.5));
        assert_eq!(c.dbscan_min_points, 5);
        assert_eq!((c.top_terms, c.top_categories), (7, 2));
        assert!(c.check().is_ok());
    }

    #[test]
    fn unknown_keys_and_values_are_rejected() {
        // A key with a Cyrillic "к" instead of the Latin "k" is not `k`.
        let err = toml::from_str::<ClusterConfig>("\"к\" = 3").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let err = toml::from_str::<ClusterConfig>("algorithm = \"k–means\"").unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }

    #[test]
    fn check_names_key_and_value() {
        let c = ClusterConfig {
            k_min: 5,
            k_max: 3,
            ..ClusterConfig::default()
        };
        assert_eq!(
            c.check().unwrap_err().to_string(),
            "[cluster] k-max: 3 is below k-min = 5"
        );
        let c = ClusterConfig {
            k: Some(1),
            ..ClusterConfig::default()
        };
        assert_eq!(
            c.check().unwrap_err().to_string(),
            "[cluster] k: 1 must be at least 2"
        );
        let c = ClusterConfig {
            algorithm: Algorithm::Dbscan,
            k: Some(3),
            ..ClusterConfig::default()
        };
        assert!(c.check().unwrap_err().to_string().contains("dbscan"));
        let c = ClusterConfig {
            tolerance: f64::NAN,
            ..ClusterConfig::default()
        };
        assert_eq!(
            c.check().unwrap_err().to_string(),
            "[cluster] tolerance: NaN must be a positive number"
        );
        let c = ClusterConfig {
            dbscan_eps: Some(-1.0),
            ..ClusterConfig::default()
        };
        assert!(c.check().is_err());
    }
}
