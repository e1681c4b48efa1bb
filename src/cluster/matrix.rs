//! Feature matrices in ndarray: standardized lexicon rates, a sparse tf-idf matrix (reduced by
//! [`super::svd`]) and the two side by side.
//!
//! * Lexicon block: each `(lexicon, category)` column of `per_1k` becomes a z-score
//!   `(x − mean) / sd` over the documents that have a value (population sd, as scikit-learn's
//!   `StandardScaler`). `None` — the lexicon does not apply to the document's language — becomes
//!   0, the column mean, so a document is neither pushed towards nor away from anything by a
//!   lexicon it was not scored with. Columns that are constant over the documents with a value
//!   (including columns with fewer than two values) carry no information and are dropped.
//! * Tf-idf block: unigram rows `tf × idf` with `tf = count / n_terms` (the document's unigram
//!   terms before pruning), each row scaled to unit L2 norm, kept sparse ([`Csr`]). Bigrams are
//!   left out: [`TermMatrix`] has no bigram denominator and a bigram mostly repeats its two
//!   unigrams. (After the L2 normalization the tf denominator cancels; it is kept so the values
//!   are the `terms` table's tf-idf up to a per-row factor.)
//! * Both: each block is scaled to unit total variance (the sum of its column variances), so
//!   that neither dominates the Euclidean distances: 60 standardized categories would otherwise
//!   outweigh 50 LSA dimensions whose total variance is below 1.

use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

use super::kernels::axpy;
use super::ClusterError;
use crate::features::matrix::{ScoreMatrix, TermMatrix};

/// Standardized lexicon rates of every document.
#[derive(Debug, Clone, PartialEq)]
pub struct LexiconBlock {
    /// `[doc, kept column]` z-scores; 0 where the rate is `None`.
    pub z: Array2<f64>,
    /// For each kept column, its index in [`ScoreMatrix::columns`].
    pub columns: Vec<usize>,
}

/// Standardizes the lexicon rates (see the module documentation). `doc_ids` name documents in
/// errors; rows of `scores` must already match them (checked by [`super::cluster`]).
pub fn lexicon_block(doc_ids: &[&str], scores: &ScoreMatrix) -> Result<LexiconBlock, ClusterError> {
    let n = doc_ids.len();
    let mut kept = Vec::new();
    let mut stats = Vec::new();
    for (c, (lexicon, category)) in scores.columns.iter().enumerate() {
        let mut values = Vec::new();
        for (d, row) in scores.per_1k.iter().enumerate() {
            if let Some(v) = row[c] {
                if !v.is_finite() {
                    return Err(ClusterError::NonFinite {
                        doc_id: doc_ids[d].to_string(),
                        column: format!("{lexicon}/{category}"),
                        value: v,
                    });
                }
                values.push(v);
            }
        }
        // Constant (exactly equal) columns are dropped before computing an sd that rounding
        // could make a tiny non-zero number.
        let Some(&first) = values.first() else {
            continue;
        };
        if values.iter().all(|&v| v == first) {
            continue;
        }
        let len = values.len() as f64;
        let mean = values.iter().sum::<f64>() / len;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / len).sqrt();
        if sd > 0.0 {
            kept.push(c);
            stats.push((mean, sd));
        }
    }
    let mut z = Array2::zeros((n, kept.len()));
    for (d, row) in scores.per_1k.iter().enumerate() {
        for (j, (&c, &(mean, sd))) in kept.iter().zip(&stats).enumerate() {
            if let Some(v) = row[c] {
                z[[d, j]] = (v - mean) / sd;
            }
        }
    }
    Ok(LexiconBlock { z, columns: kept })
}

/// A sparse matrix in compressed sparse row form.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    /// Number of columns.
    pub n_cols: usize,
    /// Row `i` holds entries `indptr[i]..indptr[i + 1]`.
    pub indptr: Vec<usize>,
    /// Column of each entry (increasing within a row).
    pub indices: Vec<u32>,
    /// Value of each entry.
    pub values: Vec<f64>,
}

impl Csr {
    /// Builds a matrix from rows of `(column, value)` sorted by column.
    pub fn from_rows(n_cols: usize, rows: &[Vec<(u32, f64)>]) -> Csr {
        let mut m = Csr {
            n_cols,
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
        };
        for row in rows {
            for &(c, v) in row {
                m.indices.push(c);
                m.values.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// `self × b` for a dense `b` with `n_cols` rows (see [`SparseRows::mul_dense`]).
    pub fn mul_dense(&self, b: ArrayView2<f64>) -> Array2<f64> {
        SparseRows::mul_dense(self, b)
    }

    /// `selfᵀ × b` (see [`SparseRows::mul_transpose_dense`]).
    pub fn mul_transpose_dense(&self, b: ArrayView2<f64>) -> Array2<f64> {
        SparseRows::mul_transpose_dense(self, b)
    }

    /// The transpose (a counting sort by column; row order is kept within each new row).
    pub fn transpose(&self) -> Csr {
        let mut counts = vec![0usize; self.n_cols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for c in 0..self.n_cols {
            counts[c + 1] += counts[c];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.indices.len()];
        let mut values = vec![0.0; self.values.len()];
        for i in 0..self.n_rows() {
            for p in self.indptr[i]..self.indptr[i + 1] {
                let c = self.indices[p] as usize;
                indices[next[c]] = i as u32;
                values[next[c]] = self.values[p];
                next[c] += 1;
            }
        }
        Csr {
            n_cols: self.n_rows(),
            indptr,
            indices,
            values,
        }
    }

    /// The dense matrix (for tests and small inputs).
    pub fn to_dense(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.n_rows(), self.n_cols));
        for i in 0..self.n_rows() {
            for p in self.indptr[i]..self.indptr[i + 1] {
                out[[i, self.indices[p] as usize]] = self.values[p];
            }
        }
        out
    }
}

/// A sparse matrix read row by row: what the truncated SVD needs of the tf-idf matrix.
///
/// Both products visit every row's entries in their stored order (increasing column), so two
/// implementations with the same entries give bit-identical products.
pub trait SparseRows: Sync {
    /// Number of rows.
    fn n_rows(&self) -> usize;

    /// Number of columns.
    fn n_cols(&self) -> usize;

    /// Calls `f(column, value)` for the entries of row `i` with a column in `lo..hi`, in
    /// increasing column order.
    fn for_each_in<F: FnMut(u32, f64)>(&self, i: usize, lo: u32, hi: u32, f: F);

    /// Entries per column (for splitting the transposed product into even parts).
    fn column_counts(&self) -> Vec<usize>;

    /// `self × b` for a dense `b` with `n_cols` rows. Rows are computed in parallel, each in a
    /// fixed order, so the result does not depend on the number of threads.
    fn mul_dense(&self, b: ArrayView2<f64>) -> Array2<f64> {
        let mut out = Array2::zeros((self.n_rows(), b.ncols()));
        let all = u32::try_from(self.n_cols()).unwrap_or(u32::MAX);
        let b = b.as_standard_layout();
        let (width, flat_b) = (b.ncols(), b.as_slice());
        out.axis_iter_mut(Axis(0))
            .into_par_iter()
            .enumerate()
            .for_each(|(i, mut row)| match (row.as_slice_mut(), flat_b) {
                (Some(row), Some(flat_b)) => self.for_each_in(i, 0, all, |c, v| {
                    let c = c as usize;
                    axpy(row, v, &flat_b[c * width..(c + 1) * width]);
                }),
                _ => self.for_each_in(i, 0, all, |c, v| {
                    row.scaled_add(v, &b.row(c as usize));
                }),
            });
        out
    }

    /// `selfᵀ × b` for a dense `b` with one row per row of `self`, without building the
    /// transpose (a second copy of the matrix, 12 bytes per entry, was the largest allocation
    /// of the SVD). Output row `c` is the sum over the rows `i` with an entry in column `c`, in
    /// increasing `i`, of `value × b[i]`: the operations of `transpose().mul_dense(b)` in the
    /// same order, so the result is bit-identical to it for any number of threads.
    ///
    /// Parallel over ranges of output columns with about equal numbers of entries; each task
    /// reads every row's entries in its range.
    fn mul_transpose_dense(&self, b: ArrayView2<f64>) -> Array2<f64> {
        assert_eq!(
            b.nrows(),
            self.n_rows(),
            "selfᵀ × b needs one row of b per row"
        );
        let (n_cols, l) = (self.n_cols(), b.ncols());
        let mut out = Array2::zeros((n_cols, l));
        if n_cols == 0 || l == 0 {
            return out;
        }
        // Column ranges of about equal entry counts. The split only decides which task
        // writes which output rows, never the order of a sum.
        let parts = (rayon::current_num_threads() * 4).clamp(1, n_cols);
        let nnz = self.column_counts();
        let target = nnz.iter().sum::<usize>().div_ceil(parts).max(1);
        let mut bounds = vec![0usize];
        let mut acc = 0;
        for (c, &k) in nnz.iter().enumerate() {
            acc += k;
            if acc >= target && c + 1 < n_cols {
                bounds.push(c + 1);
                acc = 0;
            }
        }
        bounds.push(n_cols);
        drop(nnz);
        let mut chunks = Vec::with_capacity(bounds.len() - 1);
        let mut rest = out.view_mut();
        for w in bounds.windows(2) {
            let (head, tail) = rest.split_at(Axis(0), w[1] - w[0]);
            chunks.push((w[0] as u32, w[1] as u32, head));
            rest = tail;
        }
        chunks.into_par_iter().for_each(|(lo, hi, mut block)| {
            for i in 0..self.n_rows() {
                let row = b.row(i);
                match (block.as_slice_mut(), row.as_slice()) {
                    (Some(flat), Some(row)) => self.for_each_in(i, lo, hi, |c, v| {
                        let r = (c - lo) as usize;
                        axpy(&mut flat[r * l..(r + 1) * l], v, row);
                    }),
                    _ => self.for_each_in(i, lo, hi, |c, v| {
                        block.row_mut((c - lo) as usize).scaled_add(v, &row);
                    }),
                }
            }
        });
        out
    }
}

impl SparseRows for Csr {
    fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    fn n_cols(&self) -> usize {
        self.n_cols
    }

    fn for_each_in<F: FnMut(u32, f64)>(&self, i: usize, lo: u32, hi: u32, mut f: F) {
        let (start, end) = (self.indptr[i], self.indptr[i + 1]);
        let cols = &self.indices[start..end];
        let from = start + cols.partition_point(|&c| c < lo);
        let to = start + cols.partition_point(|&c| c < hi);
        for p in from..to {
            f(self.indices[p], self.values[p]);
        }
    }

    fn column_counts(&self) -> Vec<usize> {
        let mut nnz = vec![0usize; self.n_cols];
        for &c in &self.indices {
            nnz[c as usize] += 1;
        }
        nnz
    }
}

/// The L2-normalized unigram tf-idf rows of a [`TermMatrix`] (see the module documentation),
/// computed from the term counts whenever they are read instead of stored: the same values as
/// [`tfidf_rows`], bit for bit, without its 12 bytes per entry (the largest allocation of the
/// cluster stage on a large corpus). Each value is `count / n_terms × idf`, divided by the
/// row's L2 norm, exactly the operations [`tfidf_rows`] performs.
pub struct TfidfRows<'a> {
    terms: &'a TermMatrix,
    /// Compacted unigram column of each term; `None` for bigrams.
    column_of: Vec<Option<u32>>,
    /// First term of each column (`term_of[c]`), for mapping a column range to a term range.
    term_of: Vec<u32>,
    /// L2 norm of each row before normalization (0 for a row without unigrams).
    norms: Vec<f64>,
}

impl<'a> TfidfRows<'a> {
    /// The view of `terms`; one pass over the counts for the row norms.
    pub fn new(terms: &'a TermMatrix) -> TfidfRows<'a> {
        let (column_of, term_of) = unigram_columns(terms);
        let norms = terms
            .rows
            .par_iter()
            .zip(&terms.n_terms)
            .map(|(row, &n_terms)| {
                let denominator = f64::from(n_terms.max(1));
                row.iter()
                    .filter(|&&(t, _)| column_of[t as usize].is_some())
                    .map(|&(t, count)| {
                        let v = f64::from(count) / denominator * terms.idf[t as usize];
                        v * v
                    })
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        TfidfRows {
            terms,
            column_of,
            term_of,
            norms,
        }
    }
}

impl SparseRows for TfidfRows<'_> {
    fn n_rows(&self) -> usize {
        self.terms.rows.len()
    }

    fn n_cols(&self) -> usize {
        self.term_of.len()
    }

    fn for_each_in<F: FnMut(u32, f64)>(&self, i: usize, lo: u32, hi: u32, mut f: F) {
        let row = &self.terms.rows[i];
        // Columns increase with term ids, so a column range is a term range.
        let first = self.term_of.get(lo as usize).copied().unwrap_or(u32::MAX);
        let start = row.partition_point(|&(t, _)| t < first);
        let denominator = f64::from(self.terms.n_terms[i].max(1));
        let norm = self.norms[i];
        for &(t, count) in &row[start..] {
            let Some(c) = self.column_of[t as usize] else {
                continue;
            };
            if c >= hi {
                break;
            }
            let v = f64::from(count) / denominator * self.terms.idf[t as usize];
            f(c, if norm > 0.0 { v / norm } else { v });
        }
    }

    fn column_counts(&self) -> Vec<usize> {
        let mut nnz = vec![0usize; self.term_of.len()];
        for row in &self.terms.rows {
            for &(t, _) in row {
                if let Some(c) = self.column_of[t as usize] {
                    nnz[c as usize] += 1;
                }
            }
        }
        nnz
    }
}

/// The compacted column of each unigram term (bigrams: `None`), in term order, and the term of
/// each column.
fn unigram_columns(terms: &TermMatrix) -> (Vec<Option<u32>>, Vec<u32>) {
    let mut column_of = vec![None; terms.terms.len()];
    let mut term_of = Vec::new();
    for (t, &order) in terms.order.iter().enumerate() {
        if order == 1 {
            column_of[t] = Some(term_of.len() as u32);
            term_of.push(t as u32);
        }
    }
    (column_of, term_of)
}

/// The L2-normalized unigram tf-idf rows of `terms` over compacted unigram columns (see the
/// module documentation). A document without kept unigrams is a zero row.
pub fn tfidf_rows(terms: &TermMatrix) -> Csr {
    let (column_of, term_of) = unigram_columns(terms);
    let n_cols = term_of.len();
    // Built straight into CSR arrays, one row at a time: a list of rows first would hold a
    // second copy of the matrix (16 bytes per entry) at its peak.
    let mut m = Csr {
        n_cols,
        indptr: Vec::with_capacity(terms.rows.len() + 1),
        indices: Vec::new(),
        values: Vec::new(),
    };
    m.indptr.push(0);
    for (row, &n_terms) in terms.rows.iter().zip(&terms.n_terms) {
        let denominator = f64::from(n_terms.max(1));
        let start = m.values.len();
        for &(t, count) in row {
            if let Some(col) = column_of[t as usize] {
                m.indices.push(col);
                m.values
                    .push(f64::from(count) / denominator * terms.idf[t as usize]);
            }
        }
        let values = &mut m.values[start..];
        let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        m.indptr.push(m.values.len());
    }
    m
}

/// Sum of the column variances (population), i.e. the mean squared distance to the centroid.
pub fn total_variance(x: ArrayView2<f64>) -> f64 {
    if x.nrows() == 0 {
        return 0.0;
    }
    x.columns()
        .into_iter()
        .map(|col| {
            let mean = col.sum() / col.len() as f64;
            col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / col.len() as f64
        })
        .sum()
}

/// Relative size below which a total variance counts as rounding noise: identical tf-idf rows
/// come out of the SVD differing by about 1e-16, which scaling to unit variance would blow up
/// into spurious structure.
pub const VARIANCE_EPSILON: f64 = 1e-20;

/// True when the rows of `x` are not all (up to rounding) the same point: total variance above
/// [`VARIANCE_EPSILON`] times the mean squared row norm.
pub fn varies(x: ArrayView2<f64>) -> bool {
    if x.nrows() == 0 {
        return false;
    }
    let mean_sq = x.iter().map(|v| v * v).sum::<f64>() / x.nrows() as f64;
    total_variance(x) > VARIANCE_EPSILON * mean_sq
}

/// Scales `x` in place to unit total variance; returns false (and leaves `x`) when it does not
/// [`varies`].
pub fn scale_to_unit_variance(x: &mut Array2<f64>) -> bool {
    let total = total_variance(x.view());
    if varies(x.view()) {
        *x /= total.sqrt();
        true
    } else {
        false
    }
}

/// Scales each row to unit L2 norm (zero rows stay zero).
pub fn normalize_rows(x: &mut Array2<f64>) {
    for mut row in x.rows_mut() {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use ndarray::array;
    use ndarray_rand::rand::{Rng, SeedableRng};
    use ndarray_rand::rand_distr::StandardNormal;
    use ndarray_rand::RandomExt;
    use rand_xoshiro::Xoshiro256Plus;

    fn scores(per_1k: Vec<Vec<Option<f64>>>) -> ScoreMatrix {
        ScoreMatrix {
            columns: vec![
                ("угроза".into(), "военная".into()),
                ("frames".into(), "“conflict”".into()),
                ("tone".into(), "constant".into()),
            ],
            per_1k,
        }
    }

    #[test]
    fn lexicon_z_scores_missing_is_mean_constant_dropped() {
        // Column 0: values 1, 3, None, 5 -> mean 3, population sd sqrt((4 + 0 + 4) / 3).
        // Column 1: 2, 2, 2, 4 with the first three equal -> mean 2.5, sd sqrt(0.75).
        // Column 2: 7 everywhere (and None) -> dropped.
        let s = scores(vec![
            vec![Some(1.0), Some(2.0), Some(7.0)],
            vec![Some(3.0), Some(2.0), None],
            vec![None, Some(2.0), Some(7.0)],
            vec![Some(5.0), Some(4.0), Some(7.0)],
        ]);
        let ids = ["док-1", "док-2", "док-3", "док-4"];
        let b = lexicon_block(&ids, &s).unwrap();
        assert_eq!(b.columns, vec![0, 1]);
        let sd0 = (8.0f64 / 3.0).sqrt();
        let sd1 = 0.75f64.sqrt();
        let expected = array![
            [-2.0 / sd0, -0.5 / sd1],
            [0.0, -0.5 / sd1],
            [0.0, -0.5 / sd1],
            [2.0 / sd0, 1.5 / sd1]
        ];
        assert_abs_diff_eq!(b.z, expected, epsilon = 1e-12);
    }

    #[test]
    fn non_finite_rate_names_document_and_column() {
        let s = scores(vec![
            vec![Some(1.0), Some(f64::INFINITY), None],
            vec![Some(2.0), Some(1.0), None],
        ]);
        let err = lexicon_block(&["первый", "второй"], &s).unwrap_err();
        assert_eq!(
            err.to_string(),
            "document \"первый\": rate of frames/“conflict” is not finite (inf)"
        );
    }

    #[test]
    fn tfidf_unigrams_only_and_unit_rows() {
        let terms = TermMatrix {
            terms: vec!["ракет".into(), "ракет удар".into(), "удар".into()],
            labels: vec!["ракета".into(), "ракета удар".into(), "удар".into()],
            order: vec![1, 2, 1],
            idf: vec![1.0, 2.0, 2.0],
            // Doc 0: 3 × "ракет", 1 × bigram, 4 × "удар" among 8 unigrams.
            rows: vec![vec![(0, 3), (1, 1), (2, 4)], vec![], vec![(2, 1)]],
            n_terms: vec![8, 0, 5],
        };
        let m = tfidf_rows(&terms);
        assert_eq!(m.n_cols, 2);
        // tf-idf (3/8 × 1, 4/8 × 2) = (0.375, 1.0); norm sqrt(0.140625 + 1) = 1.0680...
        let norm = (0.375f64 * 0.375 + 1.0).sqrt();
        let expected = array![[0.375 / norm, 1.0 / norm], [0.0, 0.0], [0.0, 1.0]];
        assert_abs_diff_eq!(m.to_dense(), expected, epsilon = 1e-12);
    }

    #[test]
    fn csr_products_and_transpose() {
        let m = Csr::from_rows(
            3,
            &[vec![(0, 1.0), (2, 2.0)], vec![], vec![(1, -3.0), (2, 0.5)]],
        );
        let dense = m.to_dense();
        assert_eq!(m.transpose().to_dense(), dense.t());
        let b = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
        assert_eq!(m.mul_dense(b.view()), dense.dot(&b));
        let c = array![[1.0], [-1.0], [2.0]];
        assert_eq!(m.transpose().mul_dense(c.view()), dense.t().dot(&c));
        assert_eq!(m.mul_transpose_dense(c.view()), dense.t().dot(&c));
        assert_eq!(m.mul_transpose_dense(b.view()), dense.t().dot(&b));
    }

    #[test]
    fn products_add_rows_as_scaled_add_does_bit_for_bit() {
        // Values with many significant bits, so that any other order or a fused
        // multiply-add would round differently.
        let mut rng = Xoshiro256Plus::seed_from_u64(31);
        let (n_rows, n_cols, width) = (40, 30, 13);
        let rows: Vec<Vec<(u32, f64)>> = (0..n_rows)
            .map(|_| {
                let mut row = Vec::new();
                for c in 0..n_cols as u32 {
                    if rng.gen_bool(0.3) {
                        row.push((c, rng.gen::<f64>() - 0.5));
                    }
                }
                row
            })
            .collect();
        let m = Csr::from_rows(n_cols, &rows);
        let b = Array2::from_shape_fn((n_cols, width), |_| rng.gen::<f64>() * 10.0);
        let q = Array2::from_shape_fn((n_rows, width), |_| rng.gen::<f64>() * 10.0);
        // The products as first written: ndarray's `scaled_add`, row entries in order.
        let mut want = Array2::<f64>::zeros((n_rows, width));
        let mut want_t = Array2::<f64>::zeros((n_cols, width));
        for (i, row) in rows.iter().enumerate() {
            for &(c, v) in row {
                want.row_mut(i).scaled_add(v, &b.row(c as usize));
                want_t.row_mut(c as usize).scaled_add(v, &q.row(i));
            }
        }
        assert_eq!(m.mul_dense(b.view()), want);
        assert_eq!(m.mul_transpose_dense(q.view()), want_t);
        // Inputs not in row-major order give the same.
        let (bt, qt) = (b.t().to_owned(), q.t().to_owned());
        assert_eq!(m.mul_dense(bt.t()), want);
        assert_eq!(m.mul_transpose_dense(qt.t()), want_t);
    }

    #[test]
    fn tfidf_view_is_bit_identical_to_the_stored_matrix() {
        // 200 documents over 400 terms, every third term a bigram; some documents empty, some
        // with only bigrams, some with n_terms = 0; counts and idf with many significant bits.
        let mut rng = Xoshiro256Plus::seed_from_u64(23);
        let n_terms = 400;
        let order: Vec<u8> = (0..n_terms)
            .map(|t| if t % 3 == 2 { 2 } else { 1 })
            .collect();
        let rows: Vec<Vec<(u32, u32)>> = (0..200)
            .map(|d| {
                if d % 17 == 0 {
                    return Vec::new();
                }
                let mut row: Vec<(u32, u32)> = (0..25)
                    .map(|_| {
                        let u: f64 = rng.gen();
                        let t = (u * u * f64::from(n_terms)) as u32;
                        let t = if d % 19 == 0 { t - t % 3 + 2 } else { t };
                        (t.min(n_terms - 1), rng.gen_range(1..9))
                    })
                    .collect();
                row.sort();
                row.dedup_by_key(|e| e.0);
                row
            })
            .collect();
        let terms = TermMatrix {
            terms: (0..n_terms).map(|t| format!("t{t}")).collect(),
            labels: (0..n_terms).map(|t| format!("t{t}")).collect(),
            order,
            idf: (0..n_terms).map(|_| 1.0 + rng.gen::<f64>() * 3.0).collect(),
            n_terms: (0..200)
                .map(|d| if d % 23 == 0 { 0 } else { 37 + d })
                .collect(),
            rows,
        };
        let stored = tfidf_rows(&terms);
        let view = TfidfRows::new(&terms);
        assert_eq!(
            (SparseRows::n_rows(&view), view.n_cols()),
            (stored.n_rows(), stored.n_cols)
        );
        assert_eq!(view.column_counts(), stored.column_counts());
        let b: Array2<f64> = Array2::random_using((stored.n_cols, 6), StandardNormal, &mut rng);
        let q: Array2<f64> = Array2::random_using((200, 6), StandardNormal, &mut rng);
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                assert_eq!(
                    SparseRows::mul_dense(&view, b.view()),
                    stored.mul_dense(b.view())
                );
                assert_eq!(
                    SparseRows::mul_transpose_dense(&view, q.view()),
                    stored.transpose().mul_dense(q.view())
                );
            });
        }
        // And every entry, read one row at a time, is the stored entry.
        for i in 0..200 {
            let mut got = Vec::new();
            view.for_each_in(i, 0, u32::MAX, |c, v| got.push((c, v)));
            let want: Vec<(u32, f64)> = (stored.indptr[i]..stored.indptr[i + 1])
                .map(|p| (stored.indices[p], stored.values[p]))
                .collect();
            assert_eq!(got, want, "row {i}");
        }
    }

    #[test]
    fn transposed_product_is_bit_identical_to_the_transpose_for_any_thread_count() {
        // 300 × 1,000, about 3 % of entries set, skewed towards low columns as term counts are;
        // values with many significant bits so that any change of summation order shows.
        let mut rng = Xoshiro256Plus::seed_from_u64(17);
        let rows: Vec<Vec<(u32, f64)>> = (0..300)
            .map(|_| {
                let mut row: Vec<(u32, f64)> = (0..30)
                    .map(|_| {
                        let u: f64 = rng.gen();
                        ((u * u * 1000.0) as u32, rng.gen::<f64>() - 0.3)
                    })
                    .collect();
                row.sort_by_key(|e| e.0);
                row.dedup_by_key(|e| e.0);
                row
            })
            .collect();
        let m = Csr::from_rows(1000, &rows);
        let b: Array2<f64> = Array2::random_using((300, 7), StandardNormal, &mut rng);
        let reference = m.transpose().mul_dense(b.view());
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let got = pool.install(|| m.mul_transpose_dense(b.view()));
            assert_eq!(got, reference, "{threads} threads");
        }
        // An independent dense computation agrees up to rounding.
        assert_abs_diff_eq!(reference, m.to_dense().t().dot(&b), epsilon = 1e-9);
    }

    #[test]
    fn unit_variance_scaling() {
        // Columns (0, 2) and (1, 1): variances 1 and 0 -> total 1 -> unchanged.
        let mut x = array![[0.0, 1.0], [2.0, 1.0]];
        assert!(scale_to_unit_variance(&mut x));
        assert_eq!(x, array![[0.0, 1.0], [2.0, 1.0]]);
        // Doubling the values quadruples the variance; scaling halves them back.
        let mut y = array![[0.0, 1.0], [4.0, 1.0]];
        assert!(scale_to_unit_variance(&mut y));
        assert_abs_diff_eq!(total_variance(y.view()), 1.0, epsilon = 1e-12);
        let mut z = array![[3.0], [3.0]];
        assert!(!scale_to_unit_variance(&mut z));
        // Rounding-level differences do not count as variation.
        let mut w = array![[0.6, 0.8], [0.6 + 1e-16, 0.8 - 1e-16]];
        assert!(!varies(w.view()));
        assert!(!scale_to_unit_variance(&mut w));
        assert!(varies(array![[0.6, 0.8], [0.8, 0.6]].view()));
    }
}
