//! Dimension reduction: randomized truncated SVD of the sparse tf-idf matrix (latent semantic
//! analysis) and the 2-D PCA of the clustered features for the document map ([`pca_2d`]).
//!
//! Why not a library call for the SVD: linfa-reduction's `Pca` (and linfa-linalg's LOBPCG
//! `TruncatedSvd` under it) work on a dense, centred `Array2`, and 100,000 documents × 50,000
//! terms is 40 GB dense. The randomized range finder of Halko, Martinsson & Tropp (2011),
//! Algorithm 4.4 (randomized subspace iteration) followed by their Algorithm 5.1 (direct SVD of
//! `B = Qᵀ A`), needs only products of the sparse matrix with thin dense matrices plus QR and
//! SVD of small dense matrices, which linfa-linalg provides in pure Rust. As in LSA (and
//! scikit-learn's `TruncatedSVD`) the tf-idf matrix is not centred.

use linfa_linalg::eigh::{EigSort, EighInto};
use linfa_linalg::qr::QRInto;
use linfa_linalg::svd::{SVDInto, SvdSort};
use ndarray::{s, Array1, Array2, ArrayView2, Axis, ShapeBuilder};
use ndarray_rand::rand::SeedableRng;
use ndarray_rand::rand_distr::StandardNormal;
use ndarray_rand::RandomExt;
use rand_xoshiro::Xoshiro256Plus;

use super::matrix::Csr;
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

/// Orthonormal basis of the columns of `y` (thin Householder QR; `y` must not be wide). The
/// Householder steps work column by column, so `y` is copied to column-major order first
/// (about twice as fast on 100,000 × 60).
fn orthonormal(y: Array2<f64>) -> Result<Array2<f64>, ClusterError> {
    let mut columns = Array2::zeros(y.dim().f());
    columns.assign(&y);
    Ok(columns.qr_into().map_err(linalg)?.generate_q())
}

/// The leading `dims` singular values and document scores of the sparse matrix `a`
/// (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1), with a Gaussian test matrix drawn
/// from `Xoshiro256Plus::seed_from_u64(seed)`. At most `min(rows, columns)` components are
/// returned.
pub fn randomized_svd(a: &Csr, dims: usize, seed: u64) -> Result<TruncatedSvd, ClusterError> {
    let (m, n) = (a.n_rows(), a.n_cols);
    let rank = dims.min(m).min(n);
    if rank == 0 {
        return Ok(TruncatedSvd {
            scores: Array2::zeros((m, 0)),
            singular_values: Array1::zeros(0),
        });
    }
    let l = (rank + OVERSAMPLING).min(m).min(n);
    let at = a.transpose();
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    // Step 1–2: Ω (n × l) Gaussian; Y₀ = A Ω; Q₀ from QR(Y₀).
    let omega: Array2<f64> = Array2::random_using((n, l), StandardNormal, &mut rng);
    let mut q = orthonormal(a.mul_dense(omega.view()))?;
    // Step 3: for j = 1..q: Ỹⱼ = Aᵀ Qⱼ₋₁ → Q̃ⱼ; Yⱼ = A Q̃ⱼ → Qⱼ (re-orthonormalizing after every
    // product keeps the small singular directions from being lost to rounding).
    for _ in 0..POWER_ITERATIONS {
        let q_tilde = orthonormal(at.mul_dense(q.view()))?;
        q = orthonormal(a.mul_dense(q_tilde.view()))?;
    }
    // Algorithm 5.1: B = Qᵀ A (l × n), computed as Bᵀ = Aᵀ Q (tall). With Bᵀ = U_b S V_bᵀ,
    // B = V_b S U_bᵀ, so B's left singular vectors are V_b and U = Q V_b.
    let bt = at.mul_dense(q.view());
    let (_, sigma, vt) = bt.svd_into(false, true).map_err(linalg)?.sort_svd_desc();
    let vt = vt.ok_or_else(|| ClusterError::Linalg("svd returned no vectors".into()))?;
    let v_b = vt.t();
    let mut scores = q.dot(&v_b.slice(s![.., ..rank]));
    for (mut col, &sv) in scores.axis_iter_mut(Axis(1)).zip(sigma.iter()) {
        col *= sv;
    }
    Ok(TruncatedSvd {
        scores,
        singular_values: sigma.slice(s![..rank]).to_owned(),
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
