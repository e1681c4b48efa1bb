//! The statistics of the compare stage as plain functions: means and effect sizes, the
//! Benjamini–Hochberg adjustment, percentile intervals, Monte Carlo permutation p-values,
//! keyness measures for a 2×2 table, divergences, and the seeded random streams that every
//! resampling step draws from.
//!
//! Each function names its source and formula. Undefined values are `None`, never NaN.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Resamples (bootstrap) or permutations drawn from one random stream. Work is split into
/// blocks of this size, each with its own stream derived from the seed, so results do not
/// depend on the number of threads.
pub const BLOCK: u32 = 100;

/// The random stream of one resampling block.
///
/// The stream is a xoshiro256++ generator (Blackman & Vigna 2021) seeded with
/// `xxh3_64(key ‖ block as little-endian u64, seed)`. `key` names what is resampled (the kind
/// of resampling, lexicon, category and groups), so the draws for one category do not change
/// when other categories or groups are added to a study.
pub fn stream(seed: u64, key: &str, block: u32) -> Xoshiro256PlusPlus {
    let mut bytes = Vec::with_capacity(key.len() + 8);
    bytes.extend_from_slice(key.as_bytes());
    bytes.extend_from_slice(&u64::from(block).to_le_bytes());
    Xoshiro256PlusPlus::seed_from_u64(xxh3_64_with_seed(&bytes, seed))
}

/// The ranges of resample indices of each block: `[0, BLOCK)`, `[BLOCK, 2·BLOCK)`, … up to `n`.
pub fn blocks(n: u32) -> Vec<(u32, u32)> {
    (0..n.div_ceil(BLOCK))
        .map(|k| (k * BLOCK, ((k + 1) * BLOCK).min(n)))
        .collect()
}

/// A uniform index in `0..n` from one 64-bit draw, by Lemire's multiply-shift (Lemire 2019,
/// "Fast random integer generation in an interval") without its rejection step: the bias is
/// below `n / 2⁶⁴` (under 10⁻¹³ for any corpus), far below the Monte Carlo error, and each
/// draw costs one multiplication.
#[inline]
pub fn index<R: RngCore>(rng: &mut R, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// `Σ x` in four interleaved partial sums (`x[k]` into sum `k mod 4`, the four added pairwise
/// at the end), the order [`resample_sum`] uses: independent additions instead of one chain.
#[inline]
pub fn interleaved_sum(x: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let chunks = x.chunks_exact(4);
    let tail: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + tail
}

/// The sum of `x.len()` draws with replacement from `x` (one bootstrap resample): draw `k` is
/// `x[index(rng, n)]`, added into partial sum `k mod 4`, and the four partial sums are added
/// pairwise at the end. One running sum would make every addition wait for the one before
/// (the resampling loops spent most of their time there); the draws are the same, only the
/// rounding of the sum differs.
#[inline]
pub fn resample_sum<R: RngCore>(x: &[f64], rng: &mut R) -> f64 {
    let n = x.len();
    let mut acc = [0.0f64; 4];
    for _ in 0..n / 4 {
        for a in &mut acc {
            *a += x[index(rng, n)];
        }
    }
    let mut tail = 0.0;
    for _ in 0..n % 4 {
        tail += x[index(rng, n)];
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + tail
}

/// Arithmetic mean; `None` for no values.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        None
    } else {
        Some(x.iter().sum::<f64>() / x.len() as f64)
    }
}

/// Sum of squared deviations from the mean, `Σ (x − x̄)²` (two-pass, for accuracy).
pub fn sum_squares(x: &[f64]) -> f64 {
    match mean(x) {
        Some(m) => x.iter().map(|v| (v - m) * (v - m)).sum(),
        None => 0.0,
    }
}

/// Cohen's d with the pooled standard deviation (Cohen 1988, eq. 2.5.2):
/// `d = (x̄_a − x̄_b) / s_p`, `s_p² = ((n_a − 1) s_a² + (n_b − 1) s_b²) / (n_a + n_b − 2)`.
///
/// `None` when `n_a + n_b < 3` (no degrees of freedom) or `s_p = 0` (every value equal within
/// its group: the standardized difference is undefined).
pub fn cohens_d(a: &[f64], b: &[f64]) -> Option<f64> {
    let (ma, mb) = (mean(a)?, mean(b)?);
    let df = a.len() + b.len();
    if df < 3 {
        return None;
    }
    let sp = ((sum_squares(a) + sum_squares(b)) / (df - 2) as f64).sqrt();
    standardize(ma - mb, sp)
}

/// `diff / sd`, or `None` when `sd` is zero or not finite.
pub fn standardize(diff: f64, sd: f64) -> Option<f64> {
    let d = diff / sd;
    (sd > 0.0 && d.is_finite()).then_some(d)
}

/// Cliff's delta (Cliff 1993): `δ = (#{(i,j): a_i > b_j} − #{(i,j): a_i < b_j}) / (n_a n_b)`,
/// in [−1, 1]; ties count for neither side.
///
/// Computed in `O((n_a + n_b) log n_b)` by sorting `b` and locating each `a_i` with two
/// binary searches, not by comparing all pairs. `None` when a side is empty.
pub fn cliffs_delta(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut sorted = b.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut score: i64 = 0;
    for &x in a {
        let below = sorted.partition_point(|&v| v < x);
        let not_above = sorted.partition_point(|&v| v <= x);
        score += below as i64 - (sorted.len() - not_above) as i64;
    }
    Some(score as f64 / (a.len() as f64 * b.len() as f64))
}

/// The Cochran–Mantel–Haenszel-style weight of a stratum, `w = n_a n_b / (n_a + n_b)`
/// (Cochran 1954; Mantel & Haenszel 1959): the inverse of the factor `1/n_a + 1/n_b` of the
/// variance of a difference of means under equal variances, without estimating the variances.
/// A stratum with an empty side gets weight 0 and contributes nothing.
pub fn cmh_weight(n_a: usize, n_b: usize) -> f64 {
    if n_a == 0 || n_b == 0 {
        0.0
    } else {
        (n_a as f64 * n_b as f64) / (n_a + n_b) as f64
    }
}

/// Benjamini–Hochberg adjusted p-values (q-values), Benjamini & Hochberg (1995):
/// with the m defined p-values sorted ascending, `q_(i) = min_{j ≥ i} min(1, m p_(j) / j)`.
///
/// `None` entries are not part of the family (they do not count in m) and stay `None`.
/// Ties get the same q. The result is in the input order.
pub fn bh_qvalues(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_some()).collect();
    idx.sort_by(|&i, &j| {
        let (pi, pj) = (p[i].unwrap_or(1.0), p[j].unwrap_or(1.0));
        pi.total_cmp(&pj).then(i.cmp(&j))
    });
    let m = idx.len() as f64;
    let mut q = vec![None; p.len()];
    let mut running = 1.0_f64;
    for (rank0, &i) in idx.iter().enumerate().rev() {
        let pi = p[i].unwrap_or(1.0);
        running = running.min(pi * m / (rank0 + 1) as f64).min(1.0);
        q[i] = Some(running);
    }
    q
}

/// The sample quantile of sorted values by linear interpolation between order statistics
/// (Hyndman & Fan 1996, type 7; the default of R's `quantile` and NumPy's `percentile`):
/// `h = (n − 1) p`, `Q = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋)`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Bootstrap percentile interval (Efron & Tibshirani 1993, §13.3): the `(1 − c)/2` and
/// `(1 + c)/2` type-7 quantiles of the resampled statistics. Reorders `values` in place.
///
/// A type-7 quantile needs only two order statistics, so the four are found by selection
/// (`select_nth_unstable_by`, linear time) instead of sorting every value; under
/// `f64::total_cmp` an order statistic is one exact value, so the result equals
/// [`quantile_sorted`] of the sorted values bit for bit.
pub fn percentile_interval(values: &mut [f64], confidence: f64) -> Option<(f64, f64)> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let alpha = 1.0 - confidence;
    // The positions type 7 interpolates between, as in `quantile_sorted`.
    let at = |p: f64| {
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = h.floor() as usize;
        (h, lo, (lo + 1).min(n - 1))
    };
    let (low, high) = (at(alpha / 2.0), at(1.0 - alpha / 2.0));
    let mut ranks = [low.1, low.2, high.1, high.2];
    ranks.sort_unstable();
    // Select the ranks in increasing order, each within what lies above the previous one.
    let mut stat = [0.0f64; 4];
    let mut start = 0;
    for (r, v) in ranks.iter().zip(&mut stat) {
        if *r >= start {
            let (_, x, _) = values[start..].select_nth_unstable_by(r - start, f64::total_cmp);
            *v = *x;
            start = r + 1;
        } else {
            // A repeated rank: the value was selected just before.
            *v = values[*r];
        }
    }
    let value = |rank: usize| stat[ranks.iter().position(|&r| r == rank).unwrap_or(0)];
    let interpolate = |(h, lo, hi): (f64, usize, usize)| {
        let (x_lo, x_hi) = (value(lo), value(hi));
        x_lo + (h - lo as f64) * (x_hi - x_lo)
    };
    Some((interpolate(low), interpolate(high)))
}

/// Monte Carlo permutation p-value (Phipson & Smyth 2010, eq. 2): `p = (1 + b) / (1 + B)`
/// with `b` the number of the `B` random permutations whose statistic is at least as extreme
/// as the observed one. Never 0; exact-test conservative.
pub fn permutation_p(exceed: u64, permutations: u64) -> f64 {
    (1 + exceed) as f64 / (1 + permutations) as f64
}

/// Whether a permuted statistic is at least as extreme as the observed one (two-sided):
/// `|t*| ≥ |t| − tol`. The tolerance absorbs floating-point noise, so that an arrangement with
/// the observed statistic counts even when its sum was accumulated in another order.
pub fn as_extreme(t_star: f64, t_obs: f64, tol: f64) -> bool {
    t_star.abs() >= t_obs.abs() - tol
}

/// `x ln(x / e)` with the convention `0 ln 0 = 0`.
fn xlogx(x: f64, e: f64) -> f64 {
    if x > 0.0 {
        x * (x / e).ln()
    } else {
        0.0
    }
}

/// Signed log-likelihood ratio G² of a 2×2 table (Dunning 1993):
/// `G² = 2 Σ O ln(O / E)` over the cells `a` (term in A), `b` (term in B), `c` (other tokens in
/// A), `d` (other tokens in B), with `E = row total × column total / N` and `0 ln 0 = 0`.
///
/// No continuity correction (quanteda's `textstat_keyness(measure = "lr",
/// correction = "none")`; the usual corpus-linguistics "log-likelihood" of Rayson & Garside
/// 2000). Signed like quanteda: negative when `a` is below its expected count (the term is
/// relatively more frequent in B). `None` when a margin is empty.
pub fn g2(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    let n = a + b + c + d;
    let (r1, r2, c1, c2) = (a + b, c + d, a + c, b + d);
    if r1 <= 0.0 || r2 <= 0.0 || c1 <= 0.0 || c2 <= 0.0 {
        return None;
    }
    let g = 2.0
        * (xlogx(a, r1 * c1 / n)
            + xlogx(b, r1 * c2 / n)
            + xlogx(c, r2 * c1 / n)
            + xlogx(d, r2 * c2 / n));
    Some(sign(a, r1 * c1 / n) * g.max(0.0))
}

/// +1 when the term is at or above its expected count in side a, else −1 (at equality the
/// statistic is 0, which stays +0).
fn sign(observed: f64, expected: f64) -> f64 {
    if observed >= expected {
        1.0
    } else {
        -1.0
    }
}

/// Signed Pearson χ² of a 2×2 table with quanteda's default continuity correction
/// (`textstat_keyness(measure = "chi2")`, quanteda.textstats `keyness.cpp`):
/// `χ² = N (|ad − bc| − N δ)² / ((a+b)(c+d)(a+c)(b+d))`, where Yates' correction `δ = 0.5`
/// (Yates 1934) is applied only when `|ad − bc| ≥ N/2` and some expected count is below 5, and
/// `δ = 0` otherwise. Signed like [`g2`]. `None` when a margin is empty.
pub fn chi2_yates(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    let n = a + b + c + d;
    let (r1, r2, c1, c2) = (a + b, c + d, a + c, b + d);
    if r1 <= 0.0 || r2 <= 0.0 || c1 <= 0.0 || c2 <= 0.0 {
        return None;
    }
    let cross = (a * d - b * c).abs();
    let small = [r1 * c1, r1 * c2, r2 * c1, r2 * c2]
        .iter()
        .any(|m| m / n < 5.0);
    let delta = if cross >= n / 2.0 && small { 0.5 } else { 0.0 };
    let chi = n * (cross - n * delta).powi(2) / (r1 * r2 * c1 * c2);
    Some(sign(a, r1 * c1 / n) * chi)
}

/// Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
/// "Fightin' Words", eqs. 16–22):
///
/// `δ = ln((y_a + α_w) / (n_a + α₀ − y_a − α_w)) − ln((y_b + α_w) / (n_b + α₀ − y_b − α_w))`,
/// `σ² ≈ 1/(y_a + α_w) + 1/(y_b + α_w)`, `z = δ / σ`,
///
/// with `y` the term's count and `n` all tokens of each side, and `α_w = α₀ π_w` the prior
/// count of the term (`π_w` its share of the whole corpus). Returns `(δ, σ, z)`; `None` when
/// a logarithm is undefined.
pub fn log_odds_dirichlet(
    y_a: f64,
    n_a: f64,
    y_b: f64,
    n_b: f64,
    alpha_w: f64,
    alpha0: f64,
) -> Option<(f64, f64, f64)> {
    let odds = |y: f64, n: f64| (y + alpha_w) / (n + alpha0 - y - alpha_w);
    let delta = odds(y_a, n_a).ln() - odds(y_b, n_b).ln();
    let se = (1.0 / (y_a + alpha_w) + 1.0 / (y_b + alpha_w)).sqrt();
    let z = delta / se;
    (delta.is_finite() && se.is_finite() && z.is_finite()).then_some((delta, se, z))
}

/// Jensen–Shannon divergence in bits (Lin 1991) between the distributions obtained by
/// normalizing two sparse count vectors (`(term, count)` sorted by term):
/// `JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M)`, `M = ½ (P + Q)`, with base-2 logarithms, so it lies
/// in [0, 1] (0: same distribution; 1: no term in common). `None` when a vector is empty.
pub fn jsd(p: &[(u32, u64)], q: &[(u32, u64)]) -> Option<f64> {
    let tp: u64 = p.iter().map(|&(_, c)| c).sum();
    let tq: u64 = q.iter().map(|&(_, c)| c).sum();
    if tp == 0 || tq == 0 {
        return None;
    }
    let (tp, tq) = (tp as f64, tq as f64);
    let half_kl = |x: f64, m: f64| {
        if x > 0.0 {
            0.5 * x * (x / m).log2()
        } else {
            0.0
        }
    };
    let (mut i, mut j) = (0, 0);
    let mut sum = 0.0;
    while i < p.len() || j < q.len() {
        let (pi, qj) = match (p.get(i), q.get(j)) {
            (Some(&(tx, cx)), Some(&(ty, cy))) if tx == ty => {
                i += 1;
                j += 1;
                (cx as f64 / tp, cy as f64 / tq)
            }
            (Some(&(tx, cx)), Some(&(ty, _))) if tx < ty => {
                i += 1;
                (cx as f64 / tp, 0.0)
            }
            (Some(&(_, cx)), None) => {
                i += 1;
                (cx as f64 / tp, 0.0)
            }
            (_, Some(&(_, cy))) => {
                j += 1;
                (0.0, cy as f64 / tq)
            }
            (None, None) => break,
        };
        let m = 0.5 * (pi + qj);
        sum += half_kl(pi, m) + half_kl(qj, m);
    }
    Some(sum.clamp(0.0, 1.0))
}

/// Cosine distance `1 − u·v / (‖u‖ ‖v‖)` (Salton & McGill 1983). For the non-negative frame
/// profiles it lies in [0, 1]. `None` when a vector is all zeros (no direction).
pub fn cosine_distance(u: &[f64], v: &[f64]) -> Option<f64> {
    let dot: f64 = u.iter().zip(v).map(|(x, y)| x * y).sum();
    let nu = u.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nv = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if nu == 0.0 || nv == 0.0 {
        return None;
    }
    Some((1.0 - dot / (nu * nv)).clamp(0.0, 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;
    use rand::{Rng, RngCore};

    #[test]
    fn mean_and_cohens_d_by_hand() {
        // a = 1, 2, 3 (mean 2, s² = 1); b = 4, 5, 6 (mean 5, s² = 1); s_p = 1, d = −3.
        assert_eq!(mean(&[1.0, 2.0, 3.0]), Some(2.0));
        assert_eq!(mean(&[]), None);
        assert_abs_diff_eq!(
            cohens_d(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).unwrap(),
            -3.0,
            epsilon = 1e-12
        );
        // a = 1, 2, 3, 4: mean 2.5, SS = 2.25 + 0.25 + 0.25 + 2.25 = 5.
        // b = 2, 2, 5: mean 3, SS = 1 + 1 + 4 = 6.
        // s_p² = (5 + 6) / (4 + 3 − 2) = 2.2; d = −0.5 / √2.2 = −0.337099931231621.
        assert_abs_diff_eq!(
            cohens_d(&[1.0, 2.0, 3.0, 4.0], &[2.0, 2.0, 5.0]).unwrap(),
            -0.337_099_931_231_621,
            epsilon = 1e-12
        );
        // One value per side: no degrees of freedom. Constant groups: undefined.
        assert_eq!(cohens_d(&[1.0], &[2.0]), None);
        assert_eq!(cohens_d(&[1.0, 1.0], &[2.0, 2.0]), None);
    }

    #[test]
    fn cliffs_delta_by_hand() {
        // a = 1, 2, 3, 4 against b = 2, 2, 5 (12 pairs):
        // 1: <,<,< → −3; 2: =,=,< → −1; 3: >,>,< → +1; 4: >,>,< → +1. Sum −2 → δ = −2/12.
        assert_abs_diff_eq!(
            cliffs_delta(&[1.0, 2.0, 3.0, 4.0], &[2.0, 2.0, 5.0]).unwrap(),
            -1.0 / 6.0,
            epsilon = 1e-15
        );
        assert_eq!(cliffs_delta(&[1.0, 2.0], &[3.0]), Some(-1.0));
        assert_eq!(cliffs_delta(&[7.0], &[3.0, 1.0]), Some(1.0));
        assert_eq!(cliffs_delta(&[7.0], &[]), None);
    }

    proptest! {
        #[test]
        fn cliffs_delta_matches_all_pairs(
            a in proptest::collection::vec(0u8..6, 1..20),
            b in proptest::collection::vec(0u8..6, 1..20),
        ) {
            let a: Vec<f64> = a.into_iter().map(f64::from).collect();
            let b: Vec<f64> = b.into_iter().map(f64::from).collect();
            let mut s = 0i64;
            for x in &a {
                for y in &b {
                    s += (x > y) as i64 - (x < y) as i64;
                }
            }
            let expect = s as f64 / (a.len() * b.len()) as f64;
            prop_assert!((cliffs_delta(&a, &b).unwrap() - expect).abs() < 1e-12);
            // Antisymmetry.
            prop_assert!((cliffs_delta(&b, &a).unwrap() + expect).abs() < 1e-12);
        }

        #[test]
        fn percentile_interval_selects_what_sorting_gives(
            // Few distinct values, so that ranks fall on ties; −0.0 and 0.0 both occur.
            v in proptest::collection::vec(-3i8..4, 1..300),
            fraction in proptest::collection::vec(0.001f64..0.999, 1..4),
            confidence in 0.0f64..1.0,
        ) {
            let v: Vec<f64> = v
                .iter()
                .zip(fraction.iter().cycle())
                .map(|(&x, f)| if x == -3 { -0.0 } else { f64::from(x) * f })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let alpha = 1.0 - confidence;
            let lo = quantile_sorted(&sorted, alpha / 2.0).unwrap();
            let hi = quantile_sorted(&sorted, 1.0 - alpha / 2.0).unwrap();
            let mut work = v.clone();
            let (l, h) = percentile_interval(&mut work, confidence).unwrap();
            prop_assert_eq!((l.to_bits(), h.to_bits()), (lo.to_bits(), hi.to_bits()));
            // Only reordered.
            work.sort_by(f64::total_cmp);
            prop_assert_eq!(
                work.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                sorted.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }

        #[test]
        fn bh_q_is_at_least_p_and_monotone(p in proptest::collection::vec(0.0f64..1.0, 1..30)) {
            let given: Vec<Option<f64>> = p.iter().copied().map(Some).collect();
            let q = bh_qvalues(&given);
            for i in 0..p.len() {
                let qi = q[i].unwrap();
                prop_assert!(qi >= p[i] - 1e-15 && qi <= 1.0);
                for j in 0..p.len() {
                    if p[i] < p[j] {
                        prop_assert!(qi <= q[j].unwrap() + 1e-15);
                    }
                }
            }
        }
    }

    #[test]
    fn bh_by_hand() {
        // p = 0.01, 0.04, 0.03, 0.2 (m = 4). Sorted: 0.01 (1), 0.03 (2), 0.04 (3), 0.2 (4).
        // m p / rank: 0.04, 0.06, 0.0533…, 0.2. Cumulative minimum from the top:
        // rank 4: 0.2; rank 3: 0.0533…; rank 2: min(0.06, 0.0533…) = 0.0533…; rank 1: 0.04.
        let q = bh_qvalues(&[Some(0.01), Some(0.04), Some(0.03), Some(0.2)]);
        let expect = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.2];
        for (qi, e) in q.iter().zip(expect) {
            assert_abs_diff_eq!(qi.unwrap(), e, epsilon = 1e-15);
        }
        // A missing p is outside the family: m = 2 for the rest.
        // p = 0.01 (rank 1: 0.02), 0.04 (rank 2: 0.04).
        let q = bh_qvalues(&[Some(0.04), None, Some(0.01)]);
        assert_eq!(q[1], None);
        assert_abs_diff_eq!(q[0].unwrap(), 0.04, epsilon = 1e-15);
        assert_abs_diff_eq!(q[2].unwrap(), 0.02, epsilon = 1e-15);
        // Capped at 1.
        assert_eq!(
            bh_qvalues(&[Some(0.9), Some(0.8)]),
            vec![Some(0.9), Some(0.9)]
        );
    }

    #[test]
    fn type7_quantiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&v, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&v, 0.5), Some(3.0));
        // h = 4 × 0.9 = 3.6 → 4 + 0.6 × (10 − 4) = 7.6.
        assert_abs_diff_eq!(quantile_sorted(&v, 0.9).unwrap(), 7.6, epsilon = 1e-12);
        let mut w = vec![5.0, 1.0, 3.0];
        // 90% interval: h = 2 × 0.05 = 0.1 → 1.2; h = 1.9 → 3 + 0.9 × 2 = 4.8.
        let (lo, hi) = percentile_interval(&mut w, 0.9).unwrap();
        assert_abs_diff_eq!(lo, 1.2, epsilon = 1e-12);
        assert_abs_diff_eq!(hi, 4.8, epsilon = 1e-12);
        assert_eq!(percentile_interval(&mut [], 0.9), None);
    }

    #[test]
    fn permutation_p_formula() {
        // Phipson & Smyth: (1 + b) / (1 + B).
        assert_eq!(permutation_p(0, 999), 0.001);
        assert_eq!(permutation_p(999, 999), 1.0);
        assert!(as_extreme(-2.0, 2.0, 0.0));
        assert!(as_extreme(2.0 - 1e-13, 2.0, 1e-9));
        assert!(!as_extreme(1.9, 2.0, 1e-9));
    }

    #[test]
    fn g2_and_chi2_by_hand() {
        // Term in A 30 times of 100 tokens, in B 10 times of 100 tokens:
        //   a = 30, b = 10, c = 70, d = 90; N = 200; row totals 40, 160; columns 100, 100.
        //   E = 20, 20, 80, 80.
        // G² = 2 (30 ln 1.5 + 10 ln 0.5 + 70 ln 0.875 + 90 ln 1.125)
        //    = 2 (12.163953243 − 6.931471806 − 9.347197484 + 10.600473209) = 12.971514326.
        // χ² = Σ (O − E)² / E = 100/20 + 100/20 + 100/80 + 100/80 = 12.5; every expected
        //   count is ≥ 5, so quanteda applies no Yates correction.
        assert_abs_diff_eq!(
            g2(30.0, 10.0, 70.0, 90.0).unwrap(),
            12.971_514_326,
            epsilon = 1e-8
        );
        assert_abs_diff_eq!(
            chi2_yates(30.0, 10.0, 70.0, 90.0).unwrap(),
            12.5,
            epsilon = 1e-12
        );
        // Reversed sides: same magnitude, negative sign.
        assert_abs_diff_eq!(
            g2(10.0, 30.0, 90.0, 70.0).unwrap(),
            -12.971_514_326,
            epsilon = 1e-8
        );
        assert_abs_diff_eq!(
            chi2_yates(10.0, 30.0, 90.0, 70.0).unwrap(),
            -12.5,
            epsilon = 1e-12
        );
        // A rare term: a = 3, b = 0, c = 97, d = 100; N = 200; rows 3, 197; columns 100, 100.
        //   E = 1.5, 1.5, 98.5, 98.5 (two below 5); |ad − bc| = 300 ≥ N/2 = 100: Yates applies.
        //   χ² = 200 (300 − 100)² / (3 × 197 × 100 × 100) = 8 000 000 / 5 910 000 = 1.353637902.
        //   (Uncorrected it would be 200 × 300² / 5 910 000 = 3.045685279.)
        // G² = 2 (3 ln 2 + 0 + 97 ln(97/98.5) + 100 ln(100/98.5))
        //    = 2 (2.079441542 − 1.488520258 + 1.511363781) = 4.204570130.
        assert_abs_diff_eq!(
            chi2_yates(3.0, 0.0, 97.0, 100.0).unwrap(),
            8_000_000.0 / 5_910_000.0,
            epsilon = 1e-12
        );
        let by_hand =
            2.0 * (3.0 * 2f64.ln() + 97.0 * (97.0f64 / 98.5).ln() + 100.0 * (100.0f64 / 98.5).ln());
        assert_abs_diff_eq!(g2(3.0, 0.0, 97.0, 100.0).unwrap(), by_hand, epsilon = 1e-12);
        assert_abs_diff_eq!(by_hand, 4.204_570_13, epsilon = 1e-8);
        // An empty margin is undefined.
        assert_eq!(g2(0.0, 0.0, 5.0, 5.0), None);
        assert_eq!(chi2_yates(0.0, 0.0, 5.0, 5.0), None);
    }

    #[test]
    fn log_odds_by_hand() {
        // y_a = 8 of n_a = 100, y_b = 2 of n_b = 50, α₀ = 10, π_w = 0.1 → α_w = 1.
        // δ = ln(9 / (100 + 10 − 8 − 1)) − ln(3 / (50 + 10 − 2 − 1)) = ln(9/101) − ln(3/57)
        //   = −2.417895939 − (−2.944438979) = 0.526543040; σ² = 1/9 + 1/3 = 4/9, σ = 2/3.
        let (d, se, z) = log_odds_dirichlet(8.0, 100.0, 2.0, 50.0, 1.0, 10.0).unwrap();
        let expect = (9.0f64 / 101.0).ln() - (3.0f64 / 57.0).ln();
        assert_abs_diff_eq!(d, expect, epsilon = 1e-12);
        assert_abs_diff_eq!(d, 0.526_543_040, epsilon = 1e-9);
        assert_abs_diff_eq!(se, 2.0 / 3.0, epsilon = 1e-12);
        assert_abs_diff_eq!(z, expect * 1.5, epsilon = 1e-12);
    }

    #[test]
    fn jsd_by_hand() {
        // P = (½, ½, 0), Q = (0, ½, ½), M = (¼, ½, ¼):
        // KL(P‖M) = ½ log2 2 + ½ log2 1 = ½; KL(Q‖M) = ½; JSD = ½.
        let p = [(0, 1), (1, 1)];
        let q = [(1, 3), (2, 3)];
        assert_abs_diff_eq!(jsd(&p, &q).unwrap(), 0.5, epsilon = 1e-15);
        // Disjoint supports: 1 bit. Same distribution (different totals): 0.
        assert_abs_diff_eq!(jsd(&[(0, 2)], &[(5, 1)]).unwrap(), 1.0, epsilon = 1e-15);
        assert_abs_diff_eq!(
            jsd(&[(0, 1), (3, 2)], &[(0, 2), (3, 4)]).unwrap(),
            0.0,
            epsilon = 1e-15
        );
        assert_eq!(jsd(&[], &[(0, 1)]), None);
    }

    #[test]
    fn cosine_distance_by_hand() {
        // u = (1, 2, 0), v = (2, 1, 1): u·v = 4, ‖u‖ = √5, ‖v‖ = √6;
        // 1 − 4/√30 = 0.269703257…
        assert_abs_diff_eq!(
            cosine_distance(&[1.0, 2.0, 0.0], &[2.0, 1.0, 1.0]).unwrap(),
            1.0 - 4.0 / 30f64.sqrt(),
            epsilon = 1e-15
        );
        assert_abs_diff_eq!(
            cosine_distance(&[1.0, 2.0, 0.0], &[2.0, 1.0, 1.0]).unwrap(),
            0.269_703_257,
            epsilon = 1e-9
        );
        assert_eq!(cosine_distance(&[0.0, 0.0], &[1.0, 1.0]), None);
    }

    #[test]
    fn interleaved_sums_draw_what_one_running_sum_draws() {
        // Integer values sum exactly in any order, so the sums must agree exactly.
        let x: Vec<f64> = (0..11).map(|i| f64::from(i * i)).collect();
        assert_eq!(interleaved_sum(&x), 385.0);
        assert_eq!(interleaved_sum(&x[..3]), 5.0);
        assert_eq!(interleaved_sum(&[]), 0.0);
        for n in [1, 4, 7, 11] {
            let mut a = stream(5, "сумма", 0);
            let mut b = a.clone();
            let by_hand: f64 = (0..n).map(|_| x[..n][index(&mut b, n)]).sum();
            assert_eq!(resample_sum(&x[..n], &mut a), by_hand);
            // Both consumed the same draws.
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn index_is_in_range_and_uniform() {
        // 70 000 draws into 7 cells: each count is Binomial(70 000, 1/7), mean 10 000, sd 92.6;
        // allow 5 sd.
        let mut rng = stream(3, "индекс", 0);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[index(&mut rng, 7)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (c as i64 - 10_000).abs() < 463),
            "{counts:?}"
        );
        assert!((0..1000).all(|_| index(&mut rng, 1) == 0));
    }

    #[test]
    fn streams_are_fixed_by_seed_key_and_block() {
        let draw = |seed, key: &str, block| stream(seed, key, block).gen::<u64>();
        assert_eq!(draw(42, "бутстрэп/тон", 0), draw(42, "бутстрэп/тон", 0));
        assert_ne!(draw(42, "бутстрэп/тон", 0), draw(42, "бутстрэп/тон", 1));
        assert_ne!(draw(42, "бутстрэп/тон", 0), draw(43, "бутстрэп/тон", 0));
        assert_ne!(draw(42, "a", 0), draw(42, "b", 0));
        assert_eq!(blocks(250), vec![(0, 100), (100, 200), (200, 250)]);
        assert_eq!(blocks(0), vec![]);
    }
}
