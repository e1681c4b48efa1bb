//! Clustering throughput: k-means (k = 5, 3 initializations) followed by the 2-D PCA on
//! 100,000 synthetic documents × 50 features (five Gaussian blobs, seeded), the size of a
//! large study after the tf-idf SVD. Each iteration runs the whole fit, so criterion's time
//! per iteration is the time for one study of that size.
//!
//! The `tfidf_product` group times the SVD's `Aᵀ Q` on a sparse 100,000 × 30,000 matrix (200
//! entries per row, Zipf-like columns) and a dense Q of 60 columns: through a transposed copy
//! (the former route) and without one ([`framelens::cluster::matrix::Csr::mul_transpose_dense`],
//! bit-identical). The `tfidf_svd` group times the whole 50-dimension randomized SVD of a
//! 100,000-document term matrix with the tf-idf matrix stored (`tfidf_rows`, 12 bytes per
//! entry) and read from the counts (`TfidfRows`, the cluster stage's route).

use criterion::{criterion_group, criterion_main, Criterion};
use framelens::cluster::matrix::{tfidf_rows, Csr, TfidfRows};
use framelens::cluster::{models, svd, ClusterConfig};
use framelens::features::matrix::TermMatrix;
use ndarray::Array2;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const DOCS: usize = 100_000;
const FEATURES: usize = 50;

fn data() -> Array2<f64> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    Array2::from_shape_fn((DOCS, FEATURES), |(i, j)| {
        let centre = if j == i % 5 { 4.0 } else { 0.0 };
        centre + rng.normal()
    })
}

fn bench(c: &mut Criterion) {
    let x = data();
    let config = ClusterConfig {
        n_runs: 3,
        ..ClusterConfig::default()
    };
    let mut group = c.benchmark_group("cluster");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(30));
    group.bench_function("kmeans_k5_runs3_plus_pca_100k_x_50", |b| {
        b.iter(|| {
            let labels = models::kmeans(x.view(), 5, &config, 42).expect("k-means");
            let pca = svd::pca_2d(x.view()).expect("pca");
            (labels, pca)
        })
    });
    group.finish();

    let (a, q) = sparse();
    let mut group = c.benchmark_group("tfidf_product");
    group.sample_size(10);
    group.bench_function("transpose_then_multiply_100k_x_30k_l60", |b| {
        b.iter(|| a.transpose().mul_dense(q.view()))
    });
    group.bench_function("mul_transpose_dense_100k_x_30k_l60", |b| {
        b.iter(|| a.mul_transpose_dense(q.view()))
    });
    group.finish();

    let terms = term_matrix();
    let mut group = c.benchmark_group("tfidf_svd");
    group.sample_size(10);
    group.bench_function("stored_csr_100k_docs_dims50", |b| {
        b.iter(|| svd::randomized_svd(&tfidf_rows(&terms), 50, 42).expect("svd"))
    });
    group.bench_function("from_counts_100k_docs_dims50", |b| {
        b.iter(|| svd::randomized_svd(&TfidfRows::new(&terms), 50, 42).expect("svd"))
    });
    group.finish();
}

/// Columns of the sparse benchmark matrices (terms).
const COLS: usize = 30_000;

/// `DOCS` sparse rows of 200 draws each: column `⌊COLS u²⌋` (so low columns are frequent, as
/// common terms are) and a value from `value`, sorted by column with repeated columns dropped.
fn random_rows<T>(rng: &mut Rng, mut value: impl FnMut(&mut Rng) -> T) -> Vec<Vec<(u32, T)>> {
    (0..DOCS)
        .map(|_| {
            let mut row: Vec<(u32, T)> = (0..200)
                .map(|_| {
                    let u = rng.uniform();
                    ((u * u * COLS as f64) as u32, value(rng))
                })
                .collect();
            row.sort_by_key(|e| e.0);
            row.dedup_by_key(|e| e.0);
            row
        })
        .collect()
}

/// 100,000 documents over 30,000 unigram terms, as [`random_rows`] with counts 1 to 4.
fn term_matrix() -> TermMatrix {
    let mut rng = Rng(0x6A09_E667_F3BC_C909);
    let rows = random_rows(&mut rng, |rng| 1 + (rng.uniform() * 4.0) as u32);
    TermMatrix {
        terms: (0..COLS).map(|t| format!("t{t}")).collect(),
        labels: (0..COLS).map(|t| format!("t{t}")).collect(),
        order: vec![1; COLS],
        idf: (0..COLS).map(|t| 1.0 + (t as f64).ln_1p()).collect(),
        n_terms: rows.iter().map(|r| r.iter().map(|e| e.1).sum()).collect(),
        rows,
    }
}

/// A sparse 100,000 × 30,000 matrix as [`random_rows`] with uniform values, and a dense
/// 100,000 × 60 matrix.
fn sparse() -> (Csr, Array2<f64>) {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let rows = random_rows(&mut rng, Rng::uniform);
    let q = Array2::from_shape_fn((DOCS, 60), |_| rng.normal());
    (Csr::from_rows(COLS, &rows), q)
}

criterion_group!(benches, bench);
criterion_main!(benches);
