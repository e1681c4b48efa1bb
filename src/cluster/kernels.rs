//! The innermost loops of the cluster stage: the squared Euclidean distance of every k-means
//! assignment ([`squared_distance`]), the `y ← y + αx` of the SVD's sparse products ([`axpy`])
//! and the distances from dot products of the silhouettes ([`distances_from_dots`]).
//!
//! Each is written once, as plain Rust whose order of operations the code fixes, and compiled
//! twice: for the baseline x86-64 target (SSE2, two doubles per vector instruction) and with
//! AVX2 (four), the second chosen at run time when the CPU has it. Rust neither reorders
//! floating-point operations nor fuses a multiply and an add unless told to, so both builds
//! perform the same IEEE operations on every element in the same order and give the same bits
//! on any machine; only the number of elements per instruction differs. On the benchmark
//! corpus these loops were about two thirds of the stage's time (k-means alone about half),
//! and the program is built for the baseline target, which leaves half of each vector
//! register unused.

#[cfg(target_arch = "x86_64")]
use crate::cpu::has_avx2 as avx2;

/// `Σ (aᵢ − bᵢ)²` for `a` and `b` of the same length, with eight interleaved partial sums
/// (`s₀ … s₇`, element `i` added to `s_(i mod 8)`), combined as `((s₀+s₄) + (s₂+s₆)) +
/// ((s₁+s₅) + (s₃+s₇))`, then the tail past the last multiple of eight added one term at a
/// time. The independent partial sums become vector additions; one running sum would be a
/// chain of dependent additions.
pub fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: `avx2()` checked that this CPU executes AVX2 instructions.
        return unsafe { wide::squared_distance(a, b) };
    }
    squared_distance_body(a, b)
}

/// `y ← y + α x` element by element over `min(y.len(), x.len())` elements: the operation of
/// ndarray's `scaled_add` (`*y = *y + (alpha * x)`, rounded after the product and after the
/// sum, no fused multiply-add).
pub fn axpy(y: &mut [f64], alpha: f64, x: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: as in `squared_distance`.
        return unsafe { wide::axpy(y, alpha, x) };
    }
    axpy_body(y, alpha, x);
}

/// `out[j] = √max(0, nᵢ + norms[j] − 2·dots[j])`: the Euclidean distances of one document
/// (squared norm `nᵢ`) to all documents from their squared norms and dot products, clipped at
/// 0 against the rounding of nearly identical rows.
pub fn distances_from_dots(out: &mut [f64], n_i: f64, norms: &[f64], dots: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        // SAFETY: as in `squared_distance`.
        return unsafe { wide::distances_from_dots(out, n_i, norms, dots) };
    }
    distances_from_dots_body(out, n_i, norms, dots);
}

/// The wider builds: the same bodies, compiled with AVX2 enabled.
#[cfg(target_arch = "x86_64")]
mod wide {
    use std::arch::x86_64::{
        __m256d, _mm256_add_pd, _mm256_castpd256_pd128, _mm256_extractf128_pd, _mm256_loadu_pd,
        _mm256_mul_pd, _mm256_setzero_pd, _mm256_sub_pd, _mm_add_pd, _mm_cvtsd_f64,
        _mm_unpackhi_pd,
    };

    /// Spelled out in vector instructions: compiled from the portable body the partial sums
    /// stay in 128-bit registers. `lo` holds `s₀ … s₃` and `hi` holds `s₄ … s₇`, so
    /// `lo + hi` is `(s₀+s₄, s₁+s₅, s₂+s₆, s₃+s₇)` and its two halves added are
    /// `((s₀+s₄)+(s₂+s₆), (s₁+s₅)+(s₃+s₇))`: the additions of the portable body, in its order.
    #[target_feature(enable = "avx2")]
    pub(super) fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
        let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
        let tail = super::tail_sum(ca.remainder(), cb.remainder());
        let (mut lo, mut hi) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        for (x, y) in ca.zip(cb) {
            let (x0, x1, y0, y1) = (load(x, 0), load(x, 4), load(y, 0), load(y, 4));
            let (d0, d1) = (_mm256_sub_pd(x0, y0), _mm256_sub_pd(x1, y1));
            lo = _mm256_add_pd(lo, _mm256_mul_pd(d0, d0));
            hi = _mm256_add_pd(hi, _mm256_mul_pd(d1, d1));
        }
        let quads = _mm256_add_pd(lo, hi);
        let halves = _mm_add_pd(
            _mm256_castpd256_pd128(quads),
            _mm256_extractf128_pd::<1>(quads),
        );
        (_mm_cvtsd_f64(halves) + _mm_cvtsd_f64(_mm_unpackhi_pd(halves, halves))) + tail
    }

    /// The four doubles `chunk[at..at + 4]`.
    #[target_feature(enable = "avx2")]
    fn load(chunk: &[f64], at: usize) -> __m256d {
        let four = &chunk[at..at + 4];
        // SAFETY: `four` is four initialized doubles; the load needs no alignment.
        unsafe { _mm256_loadu_pd(four.as_ptr()) }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn axpy(y: &mut [f64], alpha: f64, x: &[f64]) {
        super::axpy_body(y, alpha, x);
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn distances_from_dots(out: &mut [f64], n_i: f64, norms: &[f64], dots: &[f64]) {
        super::distances_from_dots_body(out, n_i, norms, dots);
    }
}

#[inline(always)]
fn squared_distance_body(a: &[f64], b: &[f64]) -> f64 {
    const LANES: usize = 8;
    let mut acc = [0.0f64; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail = tail_sum(ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for j in 0..LANES {
            let d = x[j] - y[j];
            acc[j] += d * d;
        }
    }
    let quads = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    ((quads[0] + quads[2]) + (quads[1] + quads[3])) + tail
}

/// `Σ (aᵢ − bᵢ)²` one term at a time, for the elements past the last multiple of eight.
#[inline(always)]
fn tail_sum(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

#[inline(always)]
fn axpy_body(y: &mut [f64], alpha: f64, x: &[f64]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += alpha * x;
    }
}

#[inline(always)]
fn distances_from_dots_body(out: &mut [f64], n_i: f64, norms: &[f64], dots: &[f64]) {
    for ((out, &n_j), &dot) in out.iter_mut().zip(norms).zip(dots) {
        *out = (n_i + n_j - 2.0 * dot).max(0.0).sqrt();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray_rand::rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256Plus;

    /// Values with many significant bits over several magnitudes, so that any change in the
    /// order of the additions or a fused multiply-add would change some result.
    fn values(rng: &mut Xoshiro256Plus, n: usize) -> Vec<f64> {
        (0..n)
            .map(|_| (rng.gen::<f64>() - 0.5) * 10f64.powi(rng.gen_range(-3..4)))
            .collect()
    }

    #[test]
    fn by_hand() {
        // 1..=9 against zeros: 1 + 4 + … + 81 = 285 (one term past the eight lanes).
        let a: Vec<f64> = (1..=9).map(f64::from).collect();
        assert_eq!(squared_distance(&a, &[0.0; 9]), 285.0);
        assert_eq!(squared_distance(&a[..3], &[0.0; 3]), 14.0);
        assert_eq!(squared_distance(&[], &[]), 0.0);
        let mut y = vec![1.0, 2.0, 3.0];
        axpy(&mut y, 2.0, &[0.5, -1.0, 4.0]);
        assert_eq!(y, vec![2.0, 0.0, 11.0]);
        let mut out = [0.0; 3];
        // n_i = 2: 2 + 2 − 2·2 = 0; 2 + 8 − 2·(−3) = 16; 2 + 1 − 2·2 = −1, clipped to 0.
        distances_from_dots(&mut out, 2.0, &[2.0, 8.0, 1.0], &[2.0, -3.0, 2.0]);
        assert_eq!(out, [0.0, 4.0, 0.0]);
    }

    #[test]
    fn same_bits_as_the_order_written_out() {
        // The sums spelled out one operation at a time (the order the documentation gives),
        // against the kernels as dispatched on this machine, for every length 0..=40.
        let mut rng = Xoshiro256Plus::seed_from_u64(11);
        for n in 0..=40 {
            let (a, b) = (values(&mut rng, n), values(&mut rng, n));
            let mut s = [0.0f64; 8];
            let full = n - n % 8;
            for i in 0..full {
                s[i % 8] += (a[i] - b[i]) * (a[i] - b[i]);
            }
            let mut tail = 0.0;
            for i in full..n {
                tail += (a[i] - b[i]) * (a[i] - b[i]);
            }
            let want = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7])) + tail;
            assert_eq!(
                squared_distance(&a, &b).to_bits(),
                want.to_bits(),
                "n = {n}"
            );

            let alpha = rng.gen::<f64>() * 3.0 - 1.0;
            let mut y = a.clone();
            axpy(&mut y, alpha, &b);
            let want: Vec<f64> = a.iter().zip(&b).map(|(y, x)| y + alpha * x).collect();
            assert_eq!(y, want);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn wide_build_gives_the_baseline_bits() {
        if !avx2() {
            eprintln!("skipped: this CPU has no AVX2");
            return;
        }
        let mut rng = Xoshiro256Plus::seed_from_u64(12);
        for n in [0, 1, 7, 8, 9, 50, 60, 78, 133] {
            let (a, b) = (values(&mut rng, n), values(&mut rng, n));
            // SAFETY: the CPU has AVX2 (checked above).
            let wide = unsafe { wide::squared_distance(&a, &b) };
            assert_eq!(wide.to_bits(), squared_distance_body(&a, &b).to_bits());

            let alpha = rng.gen::<f64>() - 0.5;
            let (mut y_wide, mut y_base) = (a.clone(), a.clone());
            // SAFETY: as above.
            unsafe { wide::axpy(&mut y_wide, alpha, &b) };
            axpy_body(&mut y_base, alpha, &b);
            assert_eq!(y_wide, y_base);

            let norms: Vec<f64> = a.iter().map(|v| v * v).collect();
            let (mut d_wide, mut d_base) = (vec![0.0; n], vec![0.0; n]);
            let n_i = rng.gen::<f64>() * 10.0;
            // SAFETY: as above.
            unsafe { wide::distances_from_dots(&mut d_wide, n_i, &norms, &b) };
            distances_from_dots_body(&mut d_base, n_i, &norms, &b);
            assert_eq!(d_wide, d_base);
        }
    }
}
