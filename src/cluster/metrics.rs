//! Cluster quality and agreement: silhouette widths, the adjusted Rand index and normalized
//! mutual information.
//!
//! * Silhouette (Rousseeuw 1987), Euclidean: for document i in cluster A,
//!   `a(i)` = mean distance to the other members of A, `b(i)` = the smallest mean distance to
//!   the members of another cluster, `s(i) = (b − a) / max(a, b)`; `s(i) = 0` when A has one
//!   member (Rousseeuw's convention) or when `a = b = 0`. DBSCAN noise (label −1) belongs to no
//!   cluster: it gets no silhouette and does not count in `a` or `b`. With fewer than two
//!   clusters no silhouette is defined. (linfa's `SilhouetteScore` gives 1 to singletons and
//!   to a single cluster, and no per-document values, hence our own.)
//! * Adjusted Rand index (Hubert & Arabie 1985) from the contingency table `n_ij` with row sums
//!   `a_i`, column sums `b_j` and `C(x) = x(x−1)/2`:
//!   `ARI = (Σ C(n_ij) − E) / (½[Σ C(a_i) + Σ C(b_j)] − E)`, `E = Σ C(a_i) Σ C(b_j) / C(N)`.
//!   When the denominator is 0 both partitions are the same trivial partition (all in one
//!   group, or all singletons) and ARI = 1, as in scikit-learn.
//! * Normalized mutual information with the arithmetic-mean normalization (scikit-learn's
//!   default `average_method="arithmetic"`): `NMI = I(U; V) / ((H(U) + H(V)) / 2)`, natural
//!   logarithms, `I` clipped at 0 against rounding; 1 when both partitions have a single group
//!   (scikit-learn's convention).

use std::collections::BTreeMap;

use ndarray::{ArrayView2, Axis};
use rayon::prelude::*;

use super::kernels::distances_from_dots;

/// Documents whose distances to all others are computed in one matrix product.
const SILHOUETTE_BLOCK: usize = 64;

/// Silhouette widths of the documents `rows` (indices into `x` and `labels`), in that order.
/// `None` for noise (label < 0) and for every document when fewer than two clusters have
/// members. Each width is computed against all documents, so a sample of rows gives the exact
/// widths of those rows.
///
/// Distances come from `‖xᵢ − xⱼ‖² = ‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ` on column-centred data (as
/// scikit-learn's `euclidean_distances`), with the dot products of a block of
/// `SILHOUETTE_BLOCK` (64) documents against all documents done as one matrix product (about 4×
/// faster than pairwise loops on 100,000 × 50). Blocks are fixed by `rows`, not by the thread
/// count.
pub fn silhouette_samples(x: ArrayView2<f64>, labels: &[i64], rows: &[usize]) -> Vec<Option<f64>> {
    silhouette_samples_many(x, &[labels], rows)
        .pop()
        .unwrap_or_default()
}

/// How one labeling groups the documents, for [`silhouette_samples_many`].
struct Partition {
    /// Dense cluster code of each document (`None` for noise).
    codes: Vec<Option<usize>>,
    /// Members per code.
    sizes: Vec<usize>,
}

impl Partition {
    /// `None` when fewer than two clusters have members (no silhouette is defined).
    fn new(labels: &[i64]) -> Option<Partition> {
        let mut code = BTreeMap::new();
        for &l in labels.iter().filter(|&&l| l >= 0) {
            let next = code.len();
            code.entry(l).or_insert(next);
        }
        if code.len() < 2 {
            return None;
        }
        let codes: Vec<Option<usize>> = labels.iter().map(|l| code.get(l).copied()).collect();
        let mut sizes = vec![0usize; code.len()];
        for c in codes.iter().flatten() {
            sizes[*c] += 1;
        }
        Some(Partition { codes, sizes })
    }

    /// The width of document `i` from `sums`, its summed distances to the members of each
    /// cluster (itself left out).
    fn width(&self, i: usize, sums: &[f64]) -> Option<f64> {
        let own = self.codes[i]?;
        if self.sizes[own] == 1 {
            return Some(0.0);
        }
        let a = sums[own] / (self.sizes[own] - 1) as f64;
        let b = sums
            .iter()
            .zip(&self.sizes)
            .enumerate()
            .filter(|(c, _)| *c != own)
            .map(|(_, (s, &n))| s / n as f64)
            .fold(f64::INFINITY, f64::min);
        let max = a.max(b);
        Some(if max > 0.0 { (b - a) / max } else { 0.0 })
    }
}

/// The per-cluster distance sums of several partitions, accumulated in one pass over a row of
/// distances.
///
/// Every cluster of every partition has a slot in one array of sums; `slots[j · P + p]` is the
/// slot document `j` adds to for partition `p` (noise adds to a spare slot that is never
/// read). One pass over `j` thus feeds `P` independent sums instead of `P` passes each
/// waiting on its previous addition to the same cluster, and each cluster's sum still adds
/// its members' distances in increasing `j`: the sums, and so the widths, are bit for bit
/// those of one partition at a time.
struct Slots {
    /// Partitions with a silhouette.
    partitions: Vec<usize>,
    /// First slot of each of those partitions.
    offsets: Vec<usize>,
    /// `slots[j · partitions.len() + p]`.
    slots: Vec<u32>,
    /// Number of slots, the spare one included.
    len: usize,
}

impl Slots {
    fn new(partitions: &[Option<Partition>]) -> Slots {
        let defined: Vec<usize> = (0..partitions.len())
            .filter(|&p| partitions[p].is_some())
            .collect();
        let mut offsets = Vec::with_capacity(defined.len());
        let mut len = 0;
        for p in partitions.iter().flatten() {
            offsets.push(len);
            len += p.sizes.len();
        }
        let spare = len as u32;
        let n = partitions
            .iter()
            .flatten()
            .next()
            .map_or(0, |p| p.codes.len());
        let mut slots = Vec::with_capacity(n * defined.len());
        for j in 0..n {
            for (p, &o) in partitions.iter().flatten().zip(&offsets) {
                slots.push(p.codes[j].map_or(spare, |c| (o + c) as u32));
            }
        }
        Slots {
            partitions: defined,
            offsets,
            slots,
            len: len + 1,
        }
    }

    /// Fills `sums` (of `self.len` slots) with document `i`'s summed distances to the
    /// members of every cluster, itself left out.
    fn accumulate(&self, i: usize, dist: &[f64], sums: &mut [f64]) {
        sums.fill(0.0);
        let width = self.partitions.len();
        for (j, (&d, slots)) in dist.iter().zip(self.slots.chunks_exact(width)).enumerate() {
            if j != i {
                for &s in slots {
                    sums[s as usize] += d;
                }
            }
        }
    }
}

/// [`silhouette_samples`] for several labelings of the same documents (the k tried during
/// selection): the distances, which do not depend on the labels, are computed once per
/// document instead of once per labeling. Each labeling's widths are exactly those that
/// [`silhouette_samples`] gives for it alone.
pub fn silhouette_samples_many(
    x: ArrayView2<f64>,
    labelings: &[&[i64]],
    rows: &[usize],
) -> Vec<Vec<Option<f64>>> {
    let partitions: Vec<Option<Partition>> = labelings.iter().map(|l| Partition::new(l)).collect();
    let undefined = || vec![None; rows.len()];
    if partitions.iter().all(Option::is_none) {
        return labelings.iter().map(|_| undefined()).collect();
    }
    let centred = match x.mean_axis(Axis(0)) {
        Some(mean) => &x - &mean,
        None => return labelings.iter().map(|_| undefined()).collect(),
    };
    let norms: Vec<f64> = centred.rows().into_iter().map(|r| r.dot(&r)).collect();
    let slots = Slots::new(&partitions);
    // blocks[b][labeling][row in block]
    let blocks: Vec<Vec<Vec<Option<f64>>>> = rows
        .par_chunks(SILHOUETTE_BLOCK)
        .map(|block| {
            let dots = centred.select(Axis(0), block).dot(&centred.t());
            let mut widths = vec![vec![None; block.len()]; partitions.len()];
            let mut dist = vec![0.0; norms.len()];
            let mut sums = vec![0.0; slots.len];
            for (r, (&i, d)) in block.iter().zip(dots.rows()).enumerate() {
                match d.as_slice() {
                    Some(dots) => distances_from_dots(&mut dist, norms[i], &norms, dots),
                    None => {
                        let dots = d.to_vec();
                        distances_from_dots(&mut dist, norms[i], &norms, &dots);
                    }
                }
                slots.accumulate(i, &dist, &mut sums);
                for (&p, &o) in slots.partitions.iter().zip(&slots.offsets) {
                    if let Some(partition) = &partitions[p] {
                        let n = partition.sizes.len();
                        widths[p][r] = partition.width(i, &sums[o..o + n]);
                    }
                }
            }
            widths
        })
        .collect();
    (0..partitions.len())
        .map(|l| blocks.iter().flat_map(|b| b[l].iter().copied()).collect())
        .collect()
}

/// Mean of the defined values (`None` when there are none).
pub fn mean_defined(values: &[Option<f64>]) -> Option<f64> {
    let (sum, n) = values
        .iter()
        .flatten()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The contingency table of two labelings of the same items: cells keyed by (row, column)
/// code, row sums, column sums. Labels are coded by `Ord`, so nothing depends on hashing.
type Contingency = (BTreeMap<(usize, usize), u64>, Vec<u64>, Vec<u64>);

fn contingency<A: Ord, B: Ord>(a: &[A], b: &[B]) -> Contingency {
    fn codes<T: Ord>(xs: &[T]) -> (Vec<usize>, usize) {
        let mut map = BTreeMap::new();
        for x in xs {
            let next = map.len();
            map.entry(x).or_insert(next);
        }
        (xs.iter().map(|x| map[x]).collect(), map.len())
    }
    let (ca, na) = codes(a);
    let (cb, nb) = codes(b);
    let mut cells = BTreeMap::new();
    let mut rows = vec![0u64; na];
    let mut cols = vec![0u64; nb];
    for (&i, &j) in ca.iter().zip(&cb) {
        *cells.entry((i, j)).or_insert(0u64) += 1;
        rows[i] += 1;
        cols[j] += 1;
    }
    (cells, rows, cols)
}

fn pairs(x: u64) -> f64 {
    let x = x as f64;
    x * (x - 1.0) / 2.0
}

/// Adjusted Rand index of two labelings (Hubert & Arabie 1985); `None` with fewer than two
/// items or labelings of different lengths.
pub fn adjusted_rand_index<A: Ord, B: Ord>(a: &[A], b: &[B]) -> Option<f64> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (cells, rows, cols) = contingency(a, b);
    let index: f64 = cells.values().map(|&n| pairs(n)).sum();
    let sum_a: f64 = rows.iter().map(|&n| pairs(n)).sum();
    let sum_b: f64 = cols.iter().map(|&n| pairs(n)).sum();
    let expected = sum_a * sum_b / pairs(a.len() as u64);
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        return Some(1.0);
    }
    Some((index - expected) / (max - expected))
}

fn entropy(counts: &[u64], n: f64) -> f64 {
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum()
}

/// Normalized mutual information, arithmetic mean normalization; `None` for empty labelings
/// or labelings of different lengths.
pub fn normalized_mutual_info<A: Ord, B: Ord>(a: &[A], b: &[B]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let n = a.len() as f64;
    let (cells, rows, cols) = contingency(a, b);
    if rows.len() == 1 && cols.len() == 1 {
        return Some(1.0);
    }
    // I(U; V) = Σ (n_ij / N) ln(N n_ij / (a_i b_j)).
    let mi: f64 = cells
        .iter()
        .map(|(&(i, j), &nij)| {
            let nij = nij as f64;
            nij / n * (n * nij / (rows[i] as f64 * cols[j] as f64)).ln()
        })
        .sum::<f64>()
        .max(0.0);
    let h = (entropy(&rows, n) + entropy(&cols, n)) / 2.0;
    Some(if h > 0.0 { (mi / h).min(1.0) } else { 1.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use ndarray::array;
    use proptest::prelude::*;

    #[test]
    fn ari_and_nmi_by_hand() {
        // U = [0,0,1,1], V = [0,0,1,2]. Contingency (rows U, columns V):
        //        v0 v1 v2 | a
        //   u0    2  0  0 | 2
        //   u1    0  1  1 | 2
        //   b     2  1  1 | N = 4
        // Σ C(n_ij) = C(2) = 1; Σ C(a_i) = 1 + 1 = 2; Σ C(b_j) = 1; C(N) = 6.
        // E = 2 × 1 / 6 = 1/3; max = (2 + 1) / 2 = 3/2;
        // ARI = (1 − 1/3) / (3/2 − 1/3) = (2/3) / (7/6) = 4/7.
        let u = [0, 0, 1, 1];
        let v = [0, 0, 1, 2];
        assert_abs_diff_eq!(
            adjusted_rand_index(&u, &v).unwrap(),
            4.0 / 7.0,
            epsilon = 1e-12
        );
        // H(U) = ln 2; H(V) = −(½ ln ½ + 2 × ¼ ln ¼) = 1.5 ln 2;
        // I = ½ ln(4·2/(2·2)) + ¼ ln(4·1/(2·1)) + ¼ ln(4·1/(2·1)) = ln 2;
        // NMI = ln 2 / ((ln 2 + 1.5 ln 2) / 2) = 1 / 1.25 = 0.8.
        assert_abs_diff_eq!(
            normalized_mutual_info(&u, &v).unwrap(),
            0.8,
            epsilon = 1e-12
        );
    }

    #[test]
    fn string_labels_and_special_cases() {
        let clusters = [0i64, 0, 1, 1, -1];
        let groups = [
            "гос—СМИ",
            "гос—СМИ",
            "“независимые”",
            "“независимые”",
            "гос—СМИ",
        ];
        // Contingency: (0,г)=2, (1,н)=2, (−1,г)=1; rows 2,2,1; cols 3,2. Σ C(n_ij) = 2;
        // Σ C(a) = 2; Σ C(b) = 3 + 1 = 4; C(5) = 10; E = 0.8; max = 3;
        // ARI = (2 − 0.8) / (3 − 0.8) = 1.2 / 2.2 = 6/11.
        assert_abs_diff_eq!(
            adjusted_rand_index(&clusters, &groups).unwrap(),
            6.0 / 11.0,
            epsilon = 1e-12
        );
        // Identical trivial partitions: 1 by convention; one trivial and one not: ARI 0,
        // NMI 0.
        assert_eq!(adjusted_rand_index(&[1, 1, 1], &["a", "a", "a"]), Some(1.0));
        assert_eq!(adjusted_rand_index(&[0, 1, 2], &["a", "b", "c"]), Some(1.0));
        assert_eq!(
            normalized_mutual_info(&[1, 1, 1], &["a", "a", "a"]),
            Some(1.0)
        );
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 5, 5]), Some(0.0));
        assert_eq!(
            normalized_mutual_info(&[0, 0, 1, 1], &[5, 5, 5, 5]),
            Some(0.0)
        );
        assert_eq!(adjusted_rand_index(&[0], &[0]), None);
        assert_eq!(normalized_mutual_info::<i32, i32>(&[], &[]), None);
        // Swapping the cluster names changes nothing.
        assert_abs_diff_eq!(
            adjusted_rand_index(&[1, 1, 0, 0], &[0, 0, 1, 2]).unwrap(),
            4.0 / 7.0,
            epsilon = 1e-12
        );
    }

    #[test]
    fn silhouette_four_points_on_a_line() {
        // x = 0, 1, 4, 5 with clusters {0, 1} and {4, 5}.
        // x=0: a = 1, b = (4 + 5)/2 = 4.5, s = 3.5/4.5 = 7/9.
        // x=1: a = 1, b = (3 + 4)/2 = 3.5, s = 2.5/3.5 = 5/7. By symmetry x=4: 5/7, x=5: 7/9.
        // Mean = (7/9 + 5/7) / 2 = 47/63.
        let x = array![[0.0], [1.0], [4.0], [5.0]];
        let s = silhouette_samples(x.view(), &[0, 0, 1, 1], &[0, 1, 2, 3]);
        let expected = [7.0 / 9.0, 5.0 / 7.0, 5.0 / 7.0, 7.0 / 9.0];
        for (got, want) in s.iter().zip(expected) {
            assert_abs_diff_eq!(got.unwrap(), want, epsilon = 1e-12);
        }
        assert_abs_diff_eq!(mean_defined(&s).unwrap(), 47.0 / 63.0, epsilon = 1e-12);
        // A sample of rows gives the same widths for those rows.
        let part = silhouette_samples(x.view(), &[0, 0, 1, 1], &[3, 1]);
        assert_abs_diff_eq!(part[0].unwrap(), 7.0 / 9.0, epsilon = 1e-12);
        assert_abs_diff_eq!(part[1].unwrap(), 5.0 / 7.0, epsilon = 1e-12);
    }

    #[test]
    fn silhouette_singleton_noise_and_one_cluster() {
        // x = 0, 1, 2 in cluster 0, x = 10 alone (s = 0), x = 50 noise (None, ignored).
        // x=0: a = (1 + 2)/2 = 1.5, b = 10, s = 8.5/10 = 0.85.
        let x = array![[0.0], [1.0], [2.0], [10.0], [50.0]];
        let s = silhouette_samples(x.view(), &[0, 0, 0, 1, -1], &[0, 3, 4]);
        assert_abs_diff_eq!(s[0].unwrap(), 0.85, epsilon = 1e-12);
        assert_eq!(s[1], Some(0.0));
        assert_eq!(s[2], None);
        assert_eq!(
            silhouette_samples(x.view(), &[0, 0, 0, 0, -1], &[0, 1]),
            vec![None, None]
        );
        // Identical points in two clusters: a = b = 0 -> 0, no NaN.
        let same = array![[1.0], [1.0], [1.0], [1.0]];
        let s = silhouette_samples(same.view(), &[0, 0, 1, 1], &[0, 1, 2, 3]);
        assert_eq!(s, vec![Some(0.0); 4]);
    }

    /// Silhouette widths by the definition, pairwise, for comparison.
    fn naive_silhouettes(x: &ndarray::Array2<f64>, labels: &[i64]) -> Vec<Option<f64>> {
        let dist = |i: usize, j: usize| -> f64 {
            let d = &x.row(i) - &x.row(j);
            d.dot(&d).sqrt()
        };
        let clusters: std::collections::BTreeSet<i64> =
            labels.iter().copied().filter(|&l| l >= 0).collect();
        (0..labels.len())
            .map(|i| {
                if labels[i] < 0 || clusters.len() < 2 {
                    return None;
                }
                let mean_to = |c: i64| -> Option<f64> {
                    let d: Vec<f64> = (0..labels.len())
                        .filter(|&j| j != i && labels[j] == c)
                        .map(|j| dist(i, j))
                        .collect();
                    (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
                };
                let Some(a) = mean_to(labels[i]) else {
                    return Some(0.0);
                };
                let b = clusters
                    .iter()
                    .filter(|&&c| c != labels[i])
                    .filter_map(|&c| mean_to(c))
                    .fold(f64::INFINITY, f64::min);
                Some(if a.max(b) > 0.0 {
                    (b - a) / a.max(b)
                } else {
                    0.0
                })
            })
            .collect()
    }

    #[test]
    fn many_labelings_match_one_at_a_time_and_the_definition() {
        use ndarray_rand::rand::SeedableRng;
        use ndarray_rand::rand_distr::StandardNormal;
        use ndarray_rand::RandomExt;
        let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(4);
        // 150 rows: more than two blocks of 64, so block boundaries are crossed.
        let x: ndarray::Array2<f64> =
            ndarray::Array2::random_using((150, 6), StandardNormal, &mut rng);
        let by3: Vec<i64> = (0..150).map(|i| i % 3).collect();
        let halves: Vec<i64> = (0..150).map(|i| i64::from(i >= 75)).collect();
        let with_noise: Vec<i64> = (0..150)
            .map(|i| if i % 10 == 0 { -1 } else { i % 4 })
            .collect();
        let single_cluster = vec![0i64; 150];
        let mut singleton = vec![0i64; 150];
        singleton[7] = 1;
        let labelings: Vec<&[i64]> = vec![&by3, &halves, &with_noise, &single_cluster, &singleton];
        let rows: Vec<usize> = (0..150).rev().step_by(2).collect();
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let many = pool.install(|| silhouette_samples_many(x.view(), &labelings, &rows));
            assert_eq!(many.len(), labelings.len());
            for (labels, got) in labelings.iter().zip(&many) {
                // Bit-identical to the one-labeling function (and so to earlier releases).
                assert_eq!(got, &silhouette_samples(x.view(), labels, &rows));
                let naive = naive_silhouettes(&x, labels);
                for (&r, g) in rows.iter().zip(got) {
                    match (g, naive[r]) {
                        (Some(g), Some(n)) => assert_abs_diff_eq!(*g, n, epsilon = 1e-9),
                        (g, n) => assert_eq!(*g, n, "row {r}"),
                    }
                }
            }
        }
        assert_eq!(many_none(), vec![vec![None, None]]);
    }

    #[test]
    fn shared_slots_sum_as_one_partition_at_a_time_bit_for_bit() {
        use ndarray_rand::rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(11);
        let n = 97;
        let labelings: Vec<Vec<i64>> = vec![
            (0..n).map(|_| rng.gen_range(0..3)).collect(),
            (0..n).map(|_| rng.gen_range(-1..5)).collect(),
            vec![0; n],
            (0..n as i64).map(|i| i64::from(i == 5)).collect(),
            (0..n).map(|_| rng.gen_range(0..8)).collect(),
        ];
        let partitions: Vec<Option<Partition>> =
            labelings.iter().map(|l| Partition::new(l)).collect();
        let slots = Slots::new(&partitions);
        let mut sums = vec![0.0; slots.len];
        for i in 0..n {
            // Distances whose sums round differently in different orders.
            let dist: Vec<f64> = (0..n).map(|_| rng.gen::<f64>() * 1e3).collect();
            slots.accumulate(i, &dist, &mut sums);
            let mut got = vec![None; partitions.len()];
            for (&p, &o) in slots.partitions.iter().zip(&slots.offsets) {
                let part = partitions[p].as_ref().unwrap();
                got[p] = part.width(i, &sums[o..o + part.sizes.len()]);
            }
            // The earlier code: one partition at a time, each cluster summed in document order.
            let want: Vec<Option<f64>> = partitions
                .iter()
                .map(|p| {
                    let p = p.as_ref()?;
                    let mut sums = vec![0.0; p.sizes.len()];
                    for (j, (c, d)) in p.codes.iter().zip(&dist).enumerate() {
                        if let (Some(c), true) = (c, j != i) {
                            sums[*c] += d;
                        }
                    }
                    p.width(i, &sums)
                })
                .collect();
            let bits =
                |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "document {i}");
        }
    }

    fn many_none() -> Vec<Vec<Option<f64>>> {
        let x = array![[0.0], [1.0], [2.0]];
        silhouette_samples_many(x.view(), &[&[0, 0, -1]], &[0, 2])
    }

    proptest! {
        #[test]
        fn agreement_invariants(a in prop::collection::vec(0u8..4, 2..40), shift in 1u8..10) {
            let renamed: Vec<u8> = a.iter().map(|x| x + shift).collect();
            prop_assert!((adjusted_rand_index(&a, &renamed).unwrap() - 1.0).abs() < 1e-12);
            prop_assert!((normalized_mutual_info(&a, &renamed).unwrap() - 1.0).abs() < 1e-12);
            let b: Vec<u8> = a.iter().rev().copied().collect();
            let ab = adjusted_rand_index(&a, &b).unwrap();
            let ba = adjusted_rand_index(&b, &a).unwrap();
            prop_assert!((ab - ba).abs() < 1e-12 && ab <= 1.0 + 1e-12);
            let nmi = normalized_mutual_info(&a, &b).unwrap();
            prop_assert!((0.0..=1.0).contains(&nmi));
        }

        #[test]
        fn silhouette_in_range(xs in prop::collection::vec(-100.0f64..100.0, 4..30)) {
            let x = ndarray::Array2::from_shape_vec((xs.len(), 1), xs.clone()).unwrap();
            let labels: Vec<i64> = (0..xs.len() as i64).map(|i| i % 3).collect();
            let rows: Vec<usize> = (0..xs.len()).collect();
            for s in silhouette_samples(x.view(), &labels, &rows) {
                let s = s.unwrap();
                prop_assert!((-1.0..=1.0).contains(&s));
            }
        }
    }
}
