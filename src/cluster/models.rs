//! The clustering algorithms (linfa-clustering) and the choice of k.
//!
//! * k-means: k-means++ initialization (linfa's default, chosen explicitly because linfa's
//!   k-means|| draws per-thread random numbers and would depend on the thread count), the best
//!   of `n-runs` initializations by inertia, all from one `Xoshiro256Plus::seed_from_u64(seed)`.
//! * Gaussian mixture: full covariances, regularization 1e-6 (linfa's default), initialized
//!   from k-means with the same seed; each document goes to its most probable component.
//!   linfa's `n_runs` repeats EM from the same start, so it is left at 1.
//! * DBSCAN: Euclidean distance; `eps` from [`dbscan_eps`] unless the study sets it.
//! * k is chosen by the highest mean silhouette over `k-min..=k-max` (ties: the smaller k).
//!   [`select_k`] fits and scores whatever matrix it is given; for a corpus above
//!   [`super::MAX_SILHOUETTE_DOCS`] the cluster stage gives it the seeded document sample (see
//!   [`super::cluster`]).
//! * Distances are Euclidean ([`Euclidean`]): linfa's `L2Dist` goes through
//!   ndarray-stats, one dependent addition per feature, and took most of the k-means time.
//!
//! Labels are renumbered so that cluster 0 is the largest (ties: the cluster of the earliest
//! document), which makes the output independent of the algorithm's internal numbering.

use std::collections::BTreeMap;

use linfa::traits::{Fit, Predict, Transformer};
use linfa::DatasetBase;
use linfa_clustering::{Dbscan, GaussianMixtureModel, GmmInitMethod, KMeans, KMeansInit};
use linfa_nn::distance::{Distance, L2Dist};
use linfa_nn::{CommonNearestNeighbour, NearestNeighbour};
use ndarray::{Array1, Array2, ArrayView, ArrayView2, Dimension, Zip};
use ndarray_rand::rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use super::config::{Algorithm, ClusterConfig};
use super::kernels::squared_distance;
use super::metrics::{mean_defined, silhouette_samples, silhouette_samples_many};
use super::ClusterError;

/// The share of documents expected to be core points when `dbscan-eps` is chosen from the data.
pub const DBSCAN_CORE_SHARE: f64 = 0.9;

/// A smallest `eps` for data where most points are duplicates (linfa needs `eps > 0`).
const MIN_EPS: f64 = 1e-12;

fn model_error(algorithm: Algorithm, k: usize, e: impl std::fmt::Display) -> ClusterError {
    ClusterError::Model {
        algorithm,
        k,
        message: e.to_string(),
    }
}

/// Euclidean distance for k-means, computed on contiguous rows by
/// [`kernels::squared_distance`](super::kernels::squared_distance) with eight interleaved
/// partial sums, which the compiler turns into independent vector additions. linfa's `L2Dist`
/// adds one term at a time, a chain of dependent additions; the two differ only in rounding (a
/// few units in the last place), and this one is equally deterministic: it depends on the two
/// rows only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Euclidean;

impl Distance<f64> for Euclidean {
    fn distance<D: Dimension>(&self, a: ArrayView<f64, D>, b: ArrayView<f64, D>) -> f64 {
        self.rdistance(a, b).sqrt()
    }

    fn rdistance<D: Dimension>(&self, a: ArrayView<f64, D>, b: ArrayView<f64, D>) -> f64 {
        assert_eq!(
            a.shape(),
            b.shape(),
            "distance between arrays of two shapes"
        );
        match (a.as_slice(), b.as_slice()) {
            (Some(a), Some(b)) => squared_distance(a, b),
            // Not contiguous in memory: the same sum, one term at a time.
            _ => {
                let mut sum = 0.0;
                Zip::from(&a)
                    .and(&b)
                    .for_each(|x, y| sum += (x - y) * (x - y));
                sum
            }
        }
    }

    fn rdist_to_dist(&self, rdist: f64) -> f64 {
        rdist.sqrt()
    }

    fn dist_to_rdist(&self, dist: f64) -> f64 {
        dist * dist
    }
}

/// k-means labels (0..k) of the rows of `x`.
pub fn kmeans(
    x: ArrayView2<f64>,
    k: usize,
    config: &ClusterConfig,
    seed: u64,
) -> Result<Vec<usize>, ClusterError> {
    Ok(kmeans_model(x, k, config, seed)?.0)
}

/// k-means labels (0..k) of the rows of `x` and the centroids (row `c` for label `c`).
pub fn kmeans_model(
    x: ArrayView2<f64>,
    k: usize,
    config: &ClusterConfig,
    seed: u64,
) -> Result<(Vec<usize>, Array2<f64>), ClusterError> {
    let init = KMeansInit::KMeansPlusPlus;
    lloyd(x, k, init, config.n_runs, config, seed)
}

/// k-means on the rows of `x` started from `centroids` (one run: the start is fixed); labels
/// and the final centroids.
pub fn kmeans_from(
    x: ArrayView2<f64>,
    centroids: Array2<f64>,
    config: &ClusterConfig,
    seed: u64,
) -> Result<(Vec<usize>, Array2<f64>), ClusterError> {
    let k = centroids.nrows();
    lloyd(x, k, KMeansInit::Precomputed(centroids), 1, config, seed)
}

fn lloyd(
    x: ArrayView2<f64>,
    k: usize,
    init: KMeansInit<f64>,
    n_runs: usize,
    config: &ClusterConfig,
    seed: u64,
) -> Result<(Vec<usize>, Array2<f64>), ClusterError> {
    let rng = Xoshiro256Plus::seed_from_u64(seed);
    // Rows must be contiguous for the fast distance.
    let x = x.as_standard_layout();
    let model = KMeans::params_with(k, rng, Euclidean)
        .init_method(init)
        .n_runs(n_runs)
        .max_n_iterations(config.max_iterations)
        .tolerance(config.tolerance)
        .fit(&DatasetBase::from(x.view()))
        .map_err(|e| model_error(Algorithm::Kmeans, k, e))?;
    let labels: Array1<usize> = model.predict(&x);
    Ok((labels.to_vec(), model.centroids().clone()))
}

/// Gaussian-mixture labels (0..k, the most probable component) of the rows of `x`.
pub fn gmm(
    x: ArrayView2<f64>,
    k: usize,
    config: &ClusterConfig,
    seed: u64,
) -> Result<Vec<usize>, ClusterError> {
    let rng = Xoshiro256Plus::seed_from_u64(seed);
    let model = GaussianMixtureModel::params_with_rng(k, rng)
        .init_method(GmmInitMethod::KMeans)
        .n_runs(1)
        .max_n_iterations(config.max_iterations)
        .tolerance(config.tolerance)
        .fit(&DatasetBase::from(x))
        .map_err(|e| model_error(Algorithm::Gmm, k, e))?;
    let labels: Array1<usize> = model.predict(&x);
    Ok(labels.to_vec())
}

/// DBSCAN labels: a cluster number, or −1 for noise.
pub fn dbscan(x: ArrayView2<f64>, eps: f64, min_points: usize) -> Result<Vec<i64>, ClusterError> {
    // linfa-nn's k-d tree panics on rows that are not contiguous.
    let x = x.as_standard_layout();
    let labels = Dbscan::params(min_points)
        .tolerance(eps)
        .transform(&x)
        .map_err(|e| model_error(Algorithm::Dbscan, 0, e))?;
    Ok(labels.iter().map(|l| l.map_or(-1, |c| c as i64)).collect())
}

/// The data-driven DBSCAN radius: the k-distance of every point, with `k = min_points − 1`
/// other points (the distance within which a point has `min_points` points counting itself,
/// i.e. would be a core point), and its [`DBSCAN_CORE_SHARE`] quantile (linear interpolation).
/// This is the sorted k-dist graph of Ester et al. (1996, §4.2) read at an assumed noise share
/// of 10 % instead of by eye. Needs `min_points ≤` the number of rows.
pub fn dbscan_eps(x: ArrayView2<f64>, min_points: usize) -> Result<f64, ClusterError> {
    if x.nrows() == 0 {
        return Ok(MIN_EPS);
    }
    let x = x.as_standard_layout();
    let index = CommonNearestNeighbour::KdTree
        .from_batch(&x, L2Dist)
        .map_err(|e| model_error(Algorithm::Dbscan, 0, e))?;
    let mut kdist = (0..x.nrows())
        .into_par_iter()
        .map(|i| {
            let row = x.row(i);
            let found = index
                .k_nearest(row, min_points)
                .map_err(|e| model_error(Algorithm::Dbscan, 0, e))?;
            Ok(found
                .iter()
                .map(|(p, _)| {
                    let d: f64 = p.iter().zip(row.iter()).map(|(a, b)| (a - b).powi(2)).sum();
                    d.sqrt()
                })
                .fold(0.0, f64::max))
        })
        .collect::<Result<Vec<f64>, ClusterError>>()?;
    kdist.sort_by(f64::total_cmp);
    let pos = DBSCAN_CORE_SHARE * (kdist.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let eps = kdist[lo] + (kdist[hi] - kdist[lo]) * (pos - lo as f64);
    Ok(eps.max(MIN_EPS))
}

/// Renumbers clusters by decreasing size (ties: the earlier first document); −1 (noise) stays.
/// Returns the labels and the number of clusters.
pub fn relabel<L: Copy + Ord + Into<i64>>(labels: &[L]) -> (Vec<i64>, usize) {
    let mut clusters: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        let l = l.into();
        if l >= 0 {
            clusters.entry(l).or_insert((0, i)).0 += 1;
        }
    }
    let mut order: Vec<(i64, usize, usize)> = clusters
        .into_iter()
        .map(|(l, (size, first))| (l, size, first))
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let new: BTreeMap<i64, i64> = order
        .iter()
        .enumerate()
        .map(|(rank, &(l, _, _))| (l, rank as i64))
        .collect();
    let out = labels
        .iter()
        .map(|&l| new.get(&l.into()).copied().unwrap_or(-1))
        .collect();
    (out, order.len())
}

/// One k tried during selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// The k asked for.
    pub k: usize,
    /// Renumbered labels of the rows fitted.
    pub labels: Vec<i64>,
    /// Silhouette widths of those rows.
    pub silhouettes: Vec<Option<f64>>,
    /// Their mean.
    pub mean_silhouette: Option<f64>,
    /// k-means centroids (in the fit's own order); `None` for the mixture.
    pub centroids: Option<Array2<f64>>,
}

/// Fits k-means or the mixture with `k` clusters to the rows of `x` and returns the
/// renumbered labels and, for k-means, the centroids (in the fit's own order: a start for
/// [`kmeans_from`], whose labels are renumbered again).
pub fn fit(
    x: ArrayView2<f64>,
    k: usize,
    config: &ClusterConfig,
    seed: u64,
) -> Result<(Vec<i64>, Option<Array2<f64>>), ClusterError> {
    let (raw, centroids) = match config.algorithm {
        Algorithm::Gmm => (gmm(x, k, config, seed)?, None),
        _ => {
            let (labels, centroids) = kmeans_model(x, k, config, seed)?;
            (labels, Some(centroids))
        }
    };
    let raw: Vec<i64> = raw.into_iter().map(|l| l as i64).collect();
    Ok((relabel(&raw).0, centroids))
}

/// Fits `k` clusters to the rows of `x` and scores the silhouettes of all of them.
pub fn trial(
    x: ArrayView2<f64>,
    k: usize,
    config: &ClusterConfig,
    seed: u64,
) -> Result<Trial, ClusterError> {
    let (labels, centroids) = fit(x, k, config, seed)?;
    let all: Vec<usize> = (0..x.nrows()).collect();
    let silhouettes = silhouette_samples(x, &labels, &all);
    let mean_silhouette = mean_defined(&silhouettes);
    Ok(Trial {
        k,
        labels,
        silhouettes,
        mean_silhouette,
        centroids,
    })
}

/// Tries every k in `ks` on the rows of `x` and returns all trials and the index of the best
/// one (highest mean silhouette; ties and undefined means lose to the smaller k). `None` when
/// no k gave two clusters.
pub fn select_k(
    x: ArrayView2<f64>,
    ks: std::ops::RangeInclusive<usize>,
    config: &ClusterConfig,
    seed: u64,
) -> Result<(Vec<Trial>, Option<usize>), ClusterError> {
    // All fits first, then the silhouettes of every fit in one pass over the distances. The
    // fits are independent (each starts its own generator from `seed`) and linfa's k-means
    // leaves a second thread mostly idle, so they run side by side; each fit is computed as
    // it would be alone, and the first error in k order is the one returned.
    let ks: Vec<usize> = ks.collect();
    let fits = ks
        .into_par_iter()
        .map(|k| Ok((k, fit(x, k, config, seed)?)))
        .collect::<Vec<Result<_, ClusterError>>>()
        .into_iter()
        .collect::<Result<Vec<_>, ClusterError>>()?;
    let all: Vec<usize> = (0..x.nrows()).collect();
    let labelings: Vec<&[i64]> = fits.iter().map(|(_, (l, _))| l.as_slice()).collect();
    let widths = silhouette_samples_many(x, &labelings, &all);
    let trials: Vec<Trial> = fits
        .into_iter()
        .zip(widths)
        .map(|((k, (labels, centroids)), silhouettes)| Trial {
            k,
            mean_silhouette: mean_defined(&silhouettes),
            labels,
            silhouettes,
            centroids,
        })
        .collect();
    let mut best: Option<(usize, f64)> = None;
    for (i, t) in trials.iter().enumerate() {
        if let Some(s) = t.mean_silhouette {
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((i, s));
            }
        }
    }
    Ok((trials, best.map(|(i, _)| i)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::metrics::adjusted_rand_index;
    use ndarray::Array2;
    use ndarray_rand::rand_distr::StandardNormal;
    use ndarray_rand::RandomExt;

    /// `per` points around each of three centres 10 apart in 10-D (unit Gaussian noise), and
    /// the true blob of each point.
    fn blobs(per: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
        let mut rng = Xoshiro256Plus::seed_from_u64(seed);
        let mut x: Array2<f64> = Array2::random_using((3 * per, 10), StandardNormal, &mut rng);
        let mut truth = Vec::new();
        for (i, mut row) in x.rows_mut().into_iter().enumerate() {
            let blob = i % 3;
            if blob > 0 {
                row[blob - 1] += 10.0;
            }
            truth.push(blob);
        }
        (x, truth)
    }

    #[test]
    fn kmeans_recovers_planted_blobs_and_picks_k3() {
        let (x, truth) = blobs(50, 5);
        let config = ClusterConfig::default();
        let (trials, best) = select_k(x.view(), 2..=8, &config, 42).unwrap();
        let best = &trials[best.unwrap()];
        assert_eq!(best.k, 3);
        assert!(adjusted_rand_index(&best.labels, &truth).unwrap() >= 0.99);
        let by_k: Vec<usize> = trials.iter().map(|t| t.k).collect();
        assert_eq!(by_k, (2..=8).collect::<Vec<_>>());
        // Well separated: mean silhouette clearly positive at k = 3 and lower at k = 2 and 8.
        let s3 = best.mean_silhouette.unwrap();
        // Expected about (√120 − √20) / √120 ≈ 0.59 (between- vs within-blob distances).
        assert!(s3 > 0.5, "{s3}");
        assert!(trials[0].mean_silhouette.unwrap() < s3);
        assert!(trials[6].mean_silhouette.unwrap() < s3);
    }

    #[test]
    fn gmm_recovers_planted_blobs() {
        let (x, truth) = blobs(40, 8);
        let config = ClusterConfig {
            algorithm: Algorithm::Gmm,
            ..ClusterConfig::default()
        };
        let labels = gmm(x.view(), 3, &config, 1).unwrap();
        assert!(adjusted_rand_index(&labels, &truth).unwrap() >= 0.99);
    }

    #[test]
    fn dbscan_with_chosen_eps_finds_the_blobs() {
        let (x, truth) = blobs(40, 9);
        let eps = dbscan_eps(x.view(), 4).unwrap();
        // Within-blob 3-NN distances in 10-D unit noise are about 2–3; the blobs are 10 apart.
        assert!(eps > 1.0 && eps < 6.0, "{eps}");
        let labels = dbscan(x.view(), eps, 4).unwrap();
        let (labels, n) = relabel(&labels);
        assert_eq!(n, 3);
        // Documents DBSCAN did not call noise are grouped exactly by blob.
        let (got, want): (Vec<i64>, Vec<usize>) = labels
            .iter()
            .zip(&truth)
            .filter(|(l, _)| **l >= 0)
            .map(|(l, t)| (*l, *t))
            .unzip();
        assert!(got.len() >= 100);
        assert_eq!(adjusted_rand_index(&got, &want), Some(1.0));
    }

    #[test]
    fn eps_by_hand() {
        // Points 0, 1, 3, 6, 10 on a line, min_points 2: each point's nearest other point is
        // at 1, 1, 2, 3, 4; sorted [1, 1, 2, 3, 4]; the 0.9 quantile is at position 3.6:
        // 3 + 0.6 × (4 − 3) = 3.6.
        let x = ndarray::array![[0.0], [1.0], [3.0], [6.0], [10.0]];
        assert!((dbscan_eps(x.view(), 2).unwrap() - 3.6).abs() < 1e-12);
        // A column-major (Fortran-order) matrix is accepted (linfa-nn wants contiguous rows).
        let f = ndarray::array![[0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 3.0, 6.0, 10.0]];
        assert!((dbscan_eps(f.t(), 2).unwrap() - 3.6).abs() < 1e-12);
        assert_eq!(dbscan(f.t(), 1.5, 2).unwrap(), vec![0, 0, -1, -1, -1]);
        // All identical: eps would be 0; the minimum keeps DBSCAN usable.
        let same = ndarray::array![[1.0], [1.0], [1.0]];
        assert_eq!(dbscan_eps(same.view(), 2).unwrap(), MIN_EPS);
        let labels = dbscan(same.view(), MIN_EPS, 2).unwrap();
        assert_eq!(labels, vec![0, 0, 0]);
    }

    #[test]
    fn euclidean_distance_by_hand_and_against_linfa() {
        let (x, _) = blobs(20, 4);
        let t = x.t();
        for (i, j) in [(0, 1), (5, 40), (59, 2)] {
            let linfa = L2Dist.rdistance(x.row(i), x.row(j));
            let ours = Euclidean.rdistance(x.row(i), x.row(j));
            assert!((ours - linfa).abs() <= 1e-12 * linfa, "{ours} vs {linfa}");
            // Columns of the transpose are not contiguous: the one-term-at-a-time path.
            let strided = Euclidean.rdistance(t.column(i), t.column(j));
            assert!((strided - linfa).abs() <= 1e-12 * linfa);
            assert_eq!(Euclidean.distance(x.row(i), x.row(j)), ours.sqrt());
        }
    }

    #[test]
    fn relabel_by_size_then_first_document() {
        let (l, n) = relabel(&[7i64, 3, 3, -1, 7, 5, 5]);
        // Sizes: 7 -> 2 (first at 0), 3 -> 2 (first at 1), 5 -> 2 (first at 5).
        assert_eq!(l, vec![0, 1, 1, -1, 0, 2, 2]);
        assert_eq!(n, 3);
        let (l, n) = relabel(&[2i64, 0, 0]);
        assert_eq!((l, n), (vec![1, 0, 0], 2));
    }

    #[test]
    fn select_k_scores_each_k_as_a_separate_trial() {
        // The shared silhouette pass gives every k exactly what fitting and scoring it alone
        // gives, with 1 and 4 threads.
        let (x, _) = blobs(40, 9);
        let config = ClusterConfig {
            n_runs: 2,
            ..ClusterConfig::default()
        };
        let alone: Vec<Trial> = (2..=5)
            .map(|k| trial(x.view(), k, &config, 3).unwrap())
            .collect();
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let (trials, best) = pool.install(|| select_k(x.view(), 2..=5, &config, 3).unwrap());
            assert_eq!(trials, alone, "{threads} threads");
            assert_eq!(trials[best.unwrap()].k, 3);
        }
    }

    #[test]
    fn same_seed_same_labels() {
        let (x, _) = blobs(30, 2);
        let config = ClusterConfig {
            n_runs: 3,
            ..ClusterConfig::default()
        };
        let a = kmeans(x.view(), 4, &config, 17).unwrap();
        let b = kmeans(x.view(), 4, &config, 17).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn identical_rows_do_not_panic() {
        let x = Array2::from_elem((6, 3), 0.5);
        let config = ClusterConfig::default();
        let labels = kmeans(x.view(), 2, &config, 1).unwrap();
        assert_eq!(labels.len(), 6);
        let t = trial(x.view(), 3, &config, 1).unwrap();
        // However the points are split, every width is 0 (a = b = 0) or undefined.
        assert!(t.mean_silhouette.is_none_or(|s| s == 0.0));
    }
}
