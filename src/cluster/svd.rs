//! Dimension reduction: randomized truncated SVD of the sparse tf-idf matrix (latent semantic
//! analysis) and the 2-D PCA of the clustered features for the document map ([`pca_2d`]).
//!
//! Why not a library call for the SVD: linfa-reduction's `Pca` (and linfa-linalg's LOBPCG
//! `TruncatedSvd` under it) work on a dense, centred `Array2`, and 100,000 documents × 50,000
//! terms is 40 GB dense. The randomized range finder of Halko, Martinsson & Tropp (2011),
//! Algorithm 4.4 (randomized subspace iteration) followed by their Algorithm 5.1 (direct SVD of
//! `B = Qᵀ A`), needs only products of the sparse matrix with thin dense matrices, products of
//! thin dense matrices, and symmetric eigendecompositions of small (`l × l`) matrices, which
//! linfa-linalg provides in pure Rust. As in LSA (and scikit-learn's `TruncatedSVD`) the tf-idf
//! matrix is not centred.

use linfa_linalg::eigh::{EigSort, EighInto};
use ndarray::parallel::prelude::*;
use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use ndarray_rand::rand::SeedableRng;
use ndarray_rand::rand_distr::StandardNormal;
use ndarray_rand::RandomExt;
use rand_xoshiro::Xoshiro256Plus;

use super::matrix::SparseRows;
use super::ClusterError;

/// Extra columns of the random test matrix beyond the requested rank (Halko et al. 2011 §4.2
/// recommend p = 5 or 10).
pub const OVERSAMPLING: usize = 10;

/// Power (subspace) iterations `q` of Algorithm 4.4; 1–2 suffice for the slowly decaying
/// spectra of text (Halko et al. 2011 §4.5).
pub const POWER_ITERATIONS: usize = 2;

/// A truncated SVD `A ≈ U Σ Vᵀ`, kept as the document scores.
#[derive(Debug, Clone, PartialEq)]
pub struct TruncatedSvd {
    /// `U Σ` (= `A V`): `[row, component]`, components by decreasing singular value.
    pub scores: Array2<f64>,
    /// The singular values `Σ`, decreasing.
    pub singular_values: Array1<f64>,
}

fn linalg(e: linfa_linalg::LinalgError) -> ClusterError {
    ClusterError::Linalg(e.to_string())
}

/// Eigenvalues of a scaled Gram matrix below this share of the largest belong to directions
/// that rounding alone produced (the columns are linearly dependent); they are dropped.
const RANK_TOLERANCE: f64 = 1e-12;

/// An orthonormal basis of the column space of `y` (`m × l`, `l` small): SVQB applied twice
/// (Stathopoulos & Wu 2002, "A block orthogonalization procedure with constant synchronization
/// requirements", Algorithm 4).
///
/// Why not Householder QR: linfa-linalg's QR works column by column without vectorized
/// kernels and took most of the cluster stage (1.7 s per 120,000 × 60 factorization). SVQB
/// needs one `lᵀ × m × l` Gram product, an `l × l` symmetric eigendecomposition and one
/// `m × l × l` product, all matrix products. One pass leaves an orthogonality error of about
/// `ε κ(y)²`; the second pass, on an input with `κ ≈ 1`, brings it down to rounding level (as
/// CholeskyQR2 does, Yamamoto et al. 2015). Columns whose scaled eigenvalue is below
/// `RANK_TOLERANCE` of the largest are dropped, so a rank-deficient `y` gives fewer columns
/// (its numerical rank) instead of failing.
fn orthonormal(y: Array2<f64>) -> Result<Array2<f64>, ClusterError> {
    svqb(svqb(y)?)
}

/// Rows per block of the tall products below. Fixed (not tied to the thread count), so the
/// sums over blocks, and so the results, are the same for any number of threads.
const ROW_BLOCK: usize = 4096;

/// `YᵀY`, summed over row blocks of `y` computed in parallel, in block order.
fn gram(y: &Array2<f64>) -> Array2<f64> {
    let l = y.ncols();
    let parts: Vec<Array2<f64>> = y
        .axis_chunks_iter(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .map(|b| b.t().dot(&b))
        .collect();
    parts
        .into_iter()
        .fold(Array2::zeros((l, l)), |acc, p| acc + p)
}

/// `Y T` for a square `T`, written over `y` block by block (in parallel): the tall matrices
/// here have one row per term, and a second copy of them was the cluster stage's peak memory.
fn multiply_in_place(mut y: Array2<f64>, t: &Array2<f64>) -> Array2<f64> {
    if t.nrows() != t.ncols() || !y.is_standard_layout() {
        return y.dot(t);
    }
    y.axis_chunks_iter_mut(Axis(0), ROW_BLOCK)
        .into_par_iter()
        .for_each(|mut block| {
            let product = block.dot(t);
            block.assign(&product);
        });
    y
}

/// One SVQB pass: `Q = Y D V Λ^(-1/2)` where `D = diag(YᵀY)^(-1/2)` and `D YᵀY D = V Λ Vᵀ`.
fn svqb(y: Array2<f64>) -> Result<Array2<f64>, ClusterError> {
    let l = y.ncols();
    let gram = gram(&y);
    let d: Vec<f64> = gram
        .diag()
        .iter()
        .map(|&g| if g > 0.0 { 1.0 / g.sqrt() } else { 0.0 })
        .collect();
    let scaled = Array2::from_shape_fn((l, l), |(i, j)| gram[[i, j]] * d[i] * d[j]);
    let (values, vectors) = scaled.eigh_into().map_err(linalg)?.sort_eig_desc();
    let largest = values.first().copied().unwrap_or(0.0);
    let kept: Vec<usize> = (0..values.len())
        .filter(|&i| largest > 0.0 && values[i] > largest * RANK_TOLERANCE)
        .collect();
    let transform = Array2::from_shape_fn((l, kept.len()), |(r, j)| {
        d[r] * vectors[[r, kept[j]]] / values[kept[j]].sqrt()
    });
    Ok(multiply_in_place(y, &transform))
}

/// The leading `dims` singular values and document scores of the sparse matrix `a`
/// (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1), with a Gaussian test matrix drawn
/// from `Xoshiro256Plus::seed_from_u64(seed)`. At most `min(rows, columns)` components are
/// returned; components beyond the numerical rank of `a` have singular value 0 and zero scores.
///
/// The small SVD of Algorithm 5.1 (`B = Qᵀ A`, `l × n`) is taken from the eigendecomposition of
/// `B Bᵀ` (`l × l`): `B Bᵀ = W Σ² Wᵀ`, so the scores are `U Σ = Q W Σ`. Squaring costs accuracy
/// only in singular values below about `√ε` of the largest (`10⁻⁸`), far below the components
/// LSA keeps; the direct SVD of the `n × l` matrix `Bᵀ` cost seconds per run.
pub fn randomized_svd(
    a: &impl SparseRows,
    dims: usize,
    seed: u64,
) -> Result<TruncatedSvd, ClusterError> {
    let (m, n) = (a.n_rows(), a.n_cols());
    let rank = dims.min(m).min(n);
    let mut scores = Array2::zeros((m, rank));
    let mut singular_values = Array1::zeros(rank);
    if rank == 0 {
        return Ok(TruncatedSvd {
            scores,
            singular_values,
        });
    }
    let l = (rank + OVERSAMPLING).min(m).min(n);
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    // Step 1–2: Ω (n × l) Gaussian; Y₀ = A Ω; Q₀ from QR(Y₀).
    let omega: Array2<f64> = Array2::random_using((n, l), StandardNormal, &mut rng);
    let y = a.mul_dense(omega.view());
    drop(omega);
    let mut q = orthonormal(y)?;
    // Step 3: for j = 1..q: Ỹⱼ = Aᵀ Qⱼ₋₁ → Q̃ⱼ; Yⱼ = A Q̃ⱼ → Qⱼ (re-orthonormalizing after every
    // product keeps the small singular directions from being lost to rounding).
    for _ in 0..POWER_ITERATIONS {
        let q_tilde = orthonormal(a.mul_transpose_dense(q.view()))?;
        // Freed before the next product, not after it: one tall m × l matrix fewer at the peak.
        drop(q);
        q = orthonormal(a.mul_dense(q_tilde.view()))?;
    }
    // Algorithm 5.1 with B = Qᵀ A computed as Bᵀ = Aᵀ Q (tall), and B Bᵀ = (Bᵀ)ᵀ Bᵀ.
    let bt = a.mul_transpose_dense(q.view());
    let (lambda, w) = gram(&bt).eigh_into().map_err(linalg)?.sort_eig_desc();
    drop(bt);
    let found = rank.min(lambda.len());
    for c in 0..found {
        singular_values[c] = lambda[c].max(0.0).sqrt();
    }
    let u_sigma =
        Array2::from_shape_fn((w.nrows(), found), |(r, c)| w[[r, c]] * singular_values[c]);
    scores.slice_mut(s![.., ..found]).assign(&q.dot(&u_sigma));
    Ok(TruncatedSvd {
        scores,
        singular_values,
    })
}

/// The 2-D PCA of a feature matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca2 {
    /// `[doc, 0..2]` coordinates on the first two principal components (0 for a component the
    /// data does not have).
    pub coords: Array2<f64>,
    /// Share of the total variance (sum of all column variances) on each component.
    pub explained_variance_ratio: [f64; 2],
}

/// PCA to two components: the eigenvectors of the centred cross-product matrix `XcᵀXc`
/// (d × d, d = clustered features) from linfa-linalg's symmetric eigendecomposition, scores
/// `Xc v`, and explained-variance ratios `λ / trace`. Each component's sign is chosen so that
/// its largest-magnitude loading is positive (scikit-learn's `svd_flip` convention).
///
/// Not linfa-reduction's `Pca`: its LOBPCG solver returns unconverged vectors without an error
/// on small or rank-deficient inputs (e.g. 4 documents × 3 features with a constant column gave
/// a first component mixing both axes), and its `explained_variance_ratio` divides by the
/// variance of the kept components only, so two components always sum to 1. The clustered
/// matrix has at most a few hundred columns, so the exact d × d eigenproblem is cheap.
pub fn pca_2d(x: ArrayView2<f64>) -> Result<Pca2, ClusterError> {
    let (n, d) = x.dim();
    let mut coords = Array2::zeros((n, 2));
    let mut ratio = [0.0; 2];
    let Some(mean) = x.mean_axis(Axis(0)) else {
        return Ok(Pca2 {
            coords,
            explained_variance_ratio: ratio,
        });
    };
    let centred = &x - &mean;
    let cross = centred.t().dot(&centred);
    let trace = cross.diag().sum();
    if trace <= 0.0 || d == 0 {
        return Ok(Pca2 {
            coords,
            explained_variance_ratio: ratio,
        });
    }
    let (values, vectors) = cross
        .eigh_into()
        .map_err(|e| ClusterError::Pca(e.to_string()))?
        .sort_eig_desc();
    for c in 0..d.min(2) {
        let loadings = vectors.column(c);
        let largest =
            loadings.iter().copied().fold(
                0.0f64,
                |best, v| if v.abs() > best.abs() { v } else { best },
            );
        let sign = if largest < 0.0 { -1.0 } else { 1.0 };
        coords
            .column_mut(c)
            .assign(&(centred.dot(&loadings) * sign));
        ratio[c] = values[c].max(0.0) / trace;
    }
    Ok(Pca2 {
        coords,
        explained_variance_ratio: ratio,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::matrix::Csr;
    use approx::assert_abs_diff_eq;
    use linfa_linalg::eigh::EigValsh;
    use ndarray::array;

    fn csr(dense: &Array2<f64>) -> Csr {
        let rows: Vec<Vec<(u32, f64)>> = dense
            .rows()
            .into_iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(_, &v)| v != 0.0)
                    .map(|(j, &v)| (j as u32, v))
                    .collect()
            })
            .collect();
        Csr::from_rows(dense.ncols(), &rows)
    }

    /// Singular values by the direct route: square roots of the eigenvalues of AᵀA.
    fn direct_singular_values(a: &Array2<f64>) -> Vec<f64> {
        let eig = a.t().dot(a).eigvalsh().unwrap().sort_eig_desc();
        eig.iter().map(|v| v.max(0.0).sqrt()).collect()
    }

    #[test]
    fn diagonal_matrix_by_hand() {
        // A = diag(3, 5, 1) padded to 4 × 5: singular values 5, 3, 1; the scores A V put each
        // row on its own axis with magnitude equal to its diagonal entry.
        let mut a = Array2::zeros((4, 5));
        a[[0, 0]] = 3.0;
        a[[1, 1]] = 5.0;
        a[[2, 2]] = 1.0;
        let svd = randomized_svd(&csr(&a), 3, 7).unwrap();
        assert_abs_diff_eq!(svd.singular_values, array![5.0, 3.0, 1.0], epsilon = 1e-10);
        let abs = svd.scores.mapv(f64::abs);
        let expected = array![
            [0.0, 3.0, 0.0],
            [5.0, 0.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.0, 0.0, 0.0]
        ];
        assert_abs_diff_eq!(abs, expected, epsilon = 1e-10);
    }

    #[test]
    fn known_rank_matches_direct_computation() {
        // A = U diag(10, 5, 2) Vᵀ with orthonormal U (40 × 3), V (30 × 3) from seeded QR.
        let mut rng = Xoshiro256Plus::seed_from_u64(11);
        let u = orthonormal(Array2::random_using((40, 3), StandardNormal, &mut rng)).unwrap();
        let v = orthonormal(Array2::random_using((30, 3), StandardNormal, &mut rng)).unwrap();
        let a = u
            .dot(&Array2::from_diag(&array![10.0, 5.0, 2.0]))
            .dot(&v.t());
        let direct = direct_singular_values(&a);
        assert_abs_diff_eq!(direct[0], 10.0, epsilon = 1e-9);
        let svd = randomized_svd(&csr(&a), 3, 42).unwrap();
        assert_abs_diff_eq!(svd.singular_values, array![10.0, 5.0, 2.0], epsilon = 1e-9);
        // Asking for more than the rank gives zeros beyond it.
        let svd = randomized_svd(&csr(&a), 5, 42).unwrap();
        assert_abs_diff_eq!(svd.singular_values[2], 2.0, epsilon = 1e-9);
        assert!(svd.singular_values[3].abs() < 1e-9);
        // Scores are A V: their Gram matrix is Σ².
        let gram = svd.scores.t().dot(&svd.scores);
        assert_abs_diff_eq!(gram[[0, 0]], 100.0, epsilon = 1e-7);
        assert_abs_diff_eq!(gram[[0, 1]], 0.0, epsilon = 1e-7);
    }

    #[test]
    fn full_rank_decaying_spectrum_matches_direct_computation() {
        // 60 × 40 with singular values 2^-i plus a Gaussian-random basis: the top 5 singular
        // values from 15 random directions and 2 power iterations match eigh(AᵀA).
        let mut rng = Xoshiro256Plus::seed_from_u64(3);
        let u = orthonormal(Array2::random_using((60, 40), StandardNormal, &mut rng)).unwrap();
        let v = orthonormal(Array2::random_using((40, 40), StandardNormal, &mut rng)).unwrap();
        let sigma = Array1::from_iter((0..40).map(|i| 2f64.powi(-i)));
        let a = u.dot(&Array2::from_diag(&sigma)).dot(&v.t());
        let direct = direct_singular_values(&a);
        let svd = randomized_svd(&csr(&a), 5, 1).unwrap();
        for i in 0..5 {
            assert_abs_diff_eq!(svd.singular_values[i], direct[i], epsilon = 1e-8);
            assert_abs_diff_eq!(svd.singular_values[i], sigma[i], epsilon = 1e-8);
        }
    }

    #[test]
    fn orthonormal_basis_and_numerical_rank() {
        let mut rng = Xoshiro256Plus::seed_from_u64(5);
        let y: Array2<f64> = Array2::random_using((500, 12), StandardNormal, &mut rng);
        let q = orthonormal(y.clone()).unwrap();
        assert_eq!(q.ncols(), 12);
        assert_abs_diff_eq!(q.t().dot(&q), Array2::eye(12), epsilon = 1e-12);
        // Q spans the columns of y: projecting y onto Q gives y back.
        assert_abs_diff_eq!(q.dot(&q.t().dot(&y)), y, epsilon = 1e-9);
        // Badly scaled columns (κ ≈ 10⁶) still give an orthonormal basis after two passes.
        let mut scaled = y.clone();
        for (j, mut col) in scaled.axis_iter_mut(Axis(1)).enumerate() {
            col *= 10f64.powi(-(j as i32) / 2);
        }
        let q = orthonormal(scaled.clone()).unwrap();
        assert_eq!(q.ncols(), 12);
        assert_abs_diff_eq!(q.t().dot(&q), Array2::eye(12), epsilon = 1e-12);
        assert_abs_diff_eq!(q.dot(&q.t().dot(&scaled)), scaled, epsilon = 1e-9);
        // Rank 3: columns 3.. are combinations of the first three, so three columns remain.
        let mut low = y.clone();
        for j in 3..12 {
            let col = &y.column(j % 3) * j as f64 - y.column((j + 1) % 3);
            low.column_mut(j).assign(&col);
        }
        let q = orthonormal(low.clone()).unwrap();
        assert_eq!(q.ncols(), 3);
        assert_abs_diff_eq!(q.t().dot(&q), Array2::eye(3), epsilon = 1e-12);
        assert_abs_diff_eq!(q.dot(&q.t().dot(&low)), low, epsilon = 1e-9);
        // A zero matrix has an empty basis.
        assert_eq!(orthonormal(Array2::zeros((10, 4))).unwrap().ncols(), 0);
        let svd = randomized_svd(&csr(&Array2::zeros((6, 5))), 2, 1).unwrap();
        assert_eq!(svd.singular_values, array![0.0, 0.0]);
        assert_eq!(svd.scores, Array2::<f64>::zeros((6, 2)));
    }

    #[test]
    fn same_seed_same_scores() {
        let a = array![
            [1.0, 0.0, 2.0],
            [0.0, 3.0, 1.0],
            [4.0, 1.0, 0.0],
            [0.5, 0.5, 0.5]
        ];
        let one = randomized_svd(&csr(&a), 2, 9).unwrap();
        let two = randomized_svd(&csr(&a), 2, 9).unwrap();
        assert_eq!(one, two);
    }

    #[test]
    fn pca_by_hand() {
        // Points (−2, 0), (2, 0), (0, −1), (0, 1): centred already; the sums of squares are
        // 8 on x and 2 on y, total 10, so PC1 = x explains 0.8 and PC2 = y explains 0.2.
        let x = array![[-2.0, 0.0], [2.0, 0.0], [0.0, -1.0], [0.0, 1.0]];
        let p = pca_2d(x.view()).unwrap();
        assert_abs_diff_eq!(p.explained_variance_ratio[0], 0.8, epsilon = 1e-9);
        assert_abs_diff_eq!(p.explained_variance_ratio[1], 0.2, epsilon = 1e-9);
        assert_abs_diff_eq!(p.coords, x, epsilon = 1e-9);
        // Shifted and with a third, constant column: same map.
        let y = array![
            [1.0, 5.0, 7.0],
            [5.0, 5.0, 7.0],
            [3.0, 4.0, 7.0],
            [3.0, 6.0, 7.0]
        ];
        let q = pca_2d(y.view()).unwrap();
        assert_abs_diff_eq!(q.coords, x, epsilon = 1e-9);
    }

    #[test]
    fn pca_degenerate_inputs() {
        let one_column = array![[1.0], [3.0], [5.0]];
        let p = pca_2d(one_column.view()).unwrap();
        assert_eq!(p.explained_variance_ratio, [1.0, 0.0]);
        assert_eq!(p.coords, array![[-2.0, 0.0], [0.0, 0.0], [2.0, 0.0]]);
        let same = array![[2.0, 2.0], [2.0, 2.0], [2.0, 2.0]];
        let p = pca_2d(same.view()).unwrap();
        assert_eq!(p.explained_variance_ratio, [0.0, 0.0]);
        assert_eq!(p.coords, Array2::<f64>::zeros((3, 2)));
    }
}
