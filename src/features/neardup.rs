//! Near-duplicate detection with MinHash over word shingles (Broder 1997, "On the resemblance and
//! containment of documents"), with banded locality-sensitive hashing to find candidate pairs
//! (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3.4).
//!
//! A document's shingles are its runs of `shingle` consecutive content terms (stems with stopwords
//! removed), so inflection and function words do not hide a rewrite. The Jaccard similarity of two
//! shingle sets, |A ∩ B| / |A ∪ B|, is estimated by the share of the `num-hashes` MinHash positions
//! on which the two signatures agree; the estimate's standard error is √(J(1 − J)/num-hashes).
//!
//! Each document is compared with the documents before it in input order, as it is read
//! ([`NearDupIndex`]). A document whose best estimated similarity reaches `threshold` is reported
//! as a near-duplicate of that earlier document (ties: the earliest one), so the first copy of a
//! story is never the one marked.
//!
//! Candidates come from LSH: the signature is cut into bands of `r` rows; two documents that agree
//! on a whole band are compared. `r` is the largest divisor of `num-hashes` (up to 8) for which a
//! pair at exactly the threshold becomes a candidate with probability at least 0.99, i.e.
//! `1 − (1 − t^r)^(num-hashes / r) ≥ 0.99`. A band value already shared by `max-bucket` earlier
//! documents is too common to say anything about duplication and yields no candidates; the
//! number of such look-ups is reported in the manifest.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// The `[near-duplicates]` table of the study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct NearDupConfig {
    /// Run the detection (default true).
    pub enabled: bool,
    /// Shingle length in content terms (default 2).
    pub shingle: usize,
    /// MinHash signature length (default 128).
    pub num_hashes: usize,
    /// Estimated Jaccard similarity at which a document is a near-duplicate (default 0.5).
    pub threshold: f64,
    /// Skip near-duplicates (with the reason recorded) instead of only reporting them (default false).
    pub drop: bool,
    /// An LSH bucket that already holds this many documents yields no more candidates (default 5000).
    pub max_bucket: usize,
}

impl Default for NearDupConfig {
    fn default() -> Self {
        NearDupConfig {
            enabled: true,
            shingle: 2,
            num_hashes: 128,
            threshold: 0.5,
            drop: false,
            max_bucket: 5000,
        }
    }
}

impl NearDupConfig {
    /// Checks the parameters before any work runs.
    pub fn check(&self) -> Result<(), String> {
        if self.shingle == 0 {
            return Err("near-duplicates.shingle must be at least 1".into());
        }
        if self.num_hashes == 0 || self.num_hashes > 1024 {
            return Err(format!(
                "near-duplicates.num-hashes = {} must lie between 1 and 1024",
                self.num_hashes
            ));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(format!(
                "near-duplicates.threshold = {} must lie in (0, 1]",
                self.threshold
            ));
        }
        Ok(())
    }

    /// Rows per LSH band (see the module documentation).
    pub fn band_rows(&self) -> usize {
        let n = self.num_hashes;
        (1..=8.min(n))
            .rev()
            .filter(|r| n % r == 0)
            .find(|&r| {
                let bands = (n / r) as i32;
                1.0 - (1.0 - self.threshold.powi(r as i32)).powi(bands) >= 0.99
            })
            .unwrap_or(1)
    }
}

/// A MinHash signature (empty for a document with no content terms).
pub type Signature = Vec<u32>;

/// Computes signatures; one per study, shared by all threads.
#[derive(Debug, Clone)]
pub struct SignatureBuilder {
    seeds: Vec<u64>,
    shingle: usize,
}

/// SplitMix64 (Steele, Lea & Flood 2014): a fixed, well-mixed 64-bit permutation used to derive
/// the hash family from the study seed and to rehash shingle hashes.
#[inline(always)]
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl SignatureBuilder {
    /// A builder for `config`, with its hash family drawn from `seed`.
    pub fn new(config: &NearDupConfig, seed: u64) -> SignatureBuilder {
        let mut state = seed;
        let seeds = (0..config.num_hashes)
            .map(|_| {
                state = splitmix64(state);
                state
            })
            .collect();
        SignatureBuilder {
            seeds,
            shingle: config.shingle,
        }
    }

    /// The signature of a document given its content terms in text order. A document shorter
    /// than one shingle is one shingle of all its terms.
    pub fn signature<S: AsRef<str>>(&self, terms: &[S]) -> Signature {
        if terms.is_empty() {
            return Vec::new();
        }
        let k = self.shingle.min(terms.len());
        let mut mins = vec![u64::MAX; self.seeds.len()];
        let mut buf = Vec::new();
        for window in terms.windows(k) {
            buf.clear();
            for t in window {
                buf.extend_from_slice(t.as_ref().as_bytes());
                buf.push(0x1f);
            }
            lower_mins(&mut mins, &self.seeds, xxh3_64(&buf));
        }
        mins.into_iter().map(|m| (m >> 32) as u32).collect()
    }
}

/// `mins[i] ← min(mins[i], splitmix64(h ⊕ seeds[i]))` for every hash of the family: the
/// innermost loop of [`SignatureBuilder::signature`] (one pass per shingle), and most of its
/// time. The body is written once and compiled three times: for the baseline x86-64 target and
/// with AVX2 and AVX-512 enabled, the widest the CPU has chosen at run time. Integer operations
/// give the same values in every build; the wider ones do four or eight hashes per instruction
/// where the baseline build does one (SSE2 has no 64-bit multiply).
fn lower_mins(mins: &mut [u64], seeds: &[u64], h: u64) {
    #[cfg(target_arch = "x86_64")]
    {
        if crate::cpu::has_avx512dq() {
            // SAFETY: the CPU was just found to execute AVX-512F and AVX-512DQ instructions.
            return unsafe { wide::lower_mins_avx512(mins, seeds, h) };
        }
        if crate::cpu::has_avx2() {
            // SAFETY: the CPU was just found to execute AVX2 instructions.
            return unsafe { wide::lower_mins_avx2(mins, seeds, h) };
        }
    }
    lower_mins_body(mins, seeds, h);
}

#[inline(always)]
fn lower_mins_body(mins: &mut [u64], seeds: &[u64], h: u64) {
    for (m, &s) in mins.iter_mut().zip(seeds) {
        *m = (*m).min(splitmix64(h ^ s));
    }
}

/// [`lower_mins_body`] compiled with wider vector instructions.
#[cfg(target_arch = "x86_64")]
mod wide {
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) fn lower_mins_avx512(mins: &mut [u64], seeds: &[u64], h: u64) {
        super::lower_mins_body(mins, seeds, h);
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn lower_mins_avx2(mins: &mut [u64], seeds: &[u64], h: u64) {
        super::lower_mins_body(mins, seeds, h);
    }
}

/// The estimated Jaccard similarity of two signatures: the share of equal positions.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// A document found to be a near-duplicate of an earlier one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearDuplicate {
    /// Index of the earlier document (in the order the signatures were given).
    pub of: usize,
    /// Estimated Jaccard similarity.
    pub similarity: f64,
}

/// Finds near-duplicates online: each document is compared with the documents added before it,
/// so a document's status is known as soon as it is read (and a dropped duplicate never reaches
/// any table). The result does not depend on batching or threads, only on input order.
///
/// Memory is what bounds the corpus size here (one entry per band per document), so the index
/// is flat: all signatures in one vector, and each LSH bucket a linked list threaded through
/// one `u32` per (document, band), with a hash map from the band's 64-bit key to the list's
/// head and length. About 2.4 KB per document with the defaults (128 hashes, 64 bands), where
/// a `Vec` per bucket took 5.4 KB. Two band values with the same 64-bit key would share a list;
/// that can only add a candidate, which is then compared in full.
#[derive(Debug)]
pub struct NearDupIndex {
    threshold: f64,
    rows: usize,
    max_bucket: usize,
    /// Signature length; 0 until the first non-empty signature.
    width: usize,
    /// Band key -> (most recently added member, number of members).
    heads: FxHashMap<u64, (u32, u32)>,
    /// `next[doc × bands + band]`: the member added before `doc` in the same bucket
    /// ([`NONE`] at the end of a list).
    next: Vec<u32>,
    /// Signatures, `width` values per document, in insertion order.
    signatures: Vec<u32>,
    /// Documents inserted (including ones with an empty signature).
    len: usize,
    /// Per document: `true` when its signature is empty (it has no bands).
    empty: Vec<bool>,
    oversized: usize,
}

/// End of a bucket's list.
const NONE: u32 = u32::MAX;

impl NearDupIndex {
    /// An empty index for `config`.
    pub fn new(config: &NearDupConfig) -> NearDupIndex {
        NearDupIndex {
            threshold: config.threshold,
            rows: config.band_rows(),
            max_bucket: config.max_bucket,
            width: 0,
            heads: FxHashMap::default(),
            next: Vec::new(),
            signatures: Vec::new(),
            len: 0,
            empty: Vec::new(),
            oversized: 0,
        }
    }

    /// Adds the next document's signature and returns its most similar earlier document at or
    /// above the threshold (ties: the earliest). Indices count the signatures added so far.
    pub fn add(&mut self, signature: Signature) -> Option<NearDuplicate> {
        let found = self.find(&signature);
        self.insert(signature);
        found
    }

    fn bands(&self) -> usize {
        self.width.div_ceil(self.rows)
    }

    fn signature(&self, doc: usize) -> &[u32] {
        if self.empty[doc] {
            return &[];
        }
        &self.signatures[doc * self.width..(doc + 1) * self.width]
    }

    /// The most similar document in the index at or above the threshold (ties: the earliest),
    /// without adding `signature`. With `drop = true` the pipeline inserts only the documents it
    /// keeps, so a later document is never skipped for resembling a dropped one.
    pub fn find(&mut self, signature: &[u32]) -> Option<NearDuplicate> {
        if signature.is_empty() || signature.len() != self.width {
            return None;
        }
        let bands = self.bands();
        let mut candidates: Vec<u32> = Vec::new();
        for (band, key) in self.band_keys(signature).enumerate() {
            let Some(&(head, len)) = self.heads.get(&key) else {
                continue;
            };
            if len as usize >= self.max_bucket {
                self.oversized += 1;
                continue;
            }
            let mut doc = head;
            while doc != NONE {
                candidates.push(doc);
                doc = self.next[doc as usize * bands + band];
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<NearDuplicate> = None;
        for i in candidates {
            let sim = similarity(signature, self.signature(i as usize));
            // Candidates are visited in index order, so only a strictly better match replaces.
            if sim >= self.threshold && best.is_none_or(|b| sim > b.similarity) {
                best = Some(NearDuplicate {
                    of: i as usize,
                    similarity: sim,
                });
            }
        }
        best
    }

    /// Adds a signature; its index is the number of signatures inserted before it.
    pub fn insert(&mut self, signature: Signature) {
        let id = self.len as u32;
        self.len += 1;
        if self.width == 0 && !signature.is_empty() {
            // Documents before the first non-empty signature had none.
            self.width = signature.len();
            self.signatures = vec![0; (self.len - 1) * self.width];
            self.next = vec![NONE; (self.len - 1) * self.bands()];
        }
        let usable = !signature.is_empty() && signature.len() == self.width;
        self.empty.push(!usable);
        if self.width == 0 {
            return;
        }
        let bands = self.bands();
        if !usable {
            self.signatures.extend(std::iter::repeat_n(0, self.width));
            self.next.extend(std::iter::repeat_n(NONE, bands));
            return;
        }
        let keys: Vec<u64> = self.band_keys(&signature).collect();
        for key in keys {
            let entry = self.heads.entry(key).or_insert((NONE, 0));
            self.next.push(entry.0);
            *entry = (id, entry.1 + 1);
        }
        self.signatures.extend_from_slice(&signature);
    }

    /// One 64-bit key per band: the band's number and values, hashed.
    fn band_keys<'a>(&self, signature: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
        signature.chunks(self.rows).enumerate().map(|(band, rows)| {
            let mut bytes = [0u8; 4 * 9];
            bytes[..4].copy_from_slice(&(band as u32).to_le_bytes());
            for (i, v) in rows.iter().enumerate() {
                bytes[4 + 4 * i..8 + 4 * i].copy_from_slice(&v.to_le_bytes());
            }
            xxh3_64(&bytes[..4 + 4 * rows.len()])
        })
    }

    /// How often a band bucket was too large (`max-bucket`) to take candidates from.
    pub fn oversized_lookups(&self) -> usize {
        self.oversized
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every build of the MinHash loop the CPU can run gives the scalar loop's values, written
    /// out here without the shared body: the wide builds must not change a signature.
    #[test]
    fn wide_minhash_loops_equal_the_scalar_loop() {
        let mut state = 7u64;
        let mut next = || {
            state = splitmix64(state);
            state
        };
        // Lengths around the vector widths (4 and 8 lanes) and the default 128.
        for len in [1usize, 3, 4, 7, 8, 9, 16, 127, 128, 130] {
            let seeds: Vec<u64> = (0..len).map(|_| next()).collect();
            let start: Vec<u64> = (0..len)
                .map(|i| if i % 3 == 0 { u64::MAX } else { next() })
                .collect();
            for _ in 0..20 {
                let h = next();
                let mut want = start.clone();
                for (m, &s) in want.iter_mut().zip(&seeds) {
                    let v = splitmix64(h ^ s);
                    if v < *m {
                        *m = v;
                    }
                }
                let mut got = start.clone();
                lower_mins(&mut got, &seeds, h);
                assert_eq!(got, want, "dispatched, len {len}");
                let mut body = start.clone();
                lower_mins_body(&mut body, &seeds, h);
                assert_eq!(body, want, "baseline, len {len}");
                #[cfg(target_arch = "x86_64")]
                {
                    if crate::cpu::has_avx2() {
                        let mut wide = start.clone();
                        // SAFETY: AVX2 was detected.
                        unsafe { wide::lower_mins_avx2(&mut wide, &seeds, h) };
                        assert_eq!(wide, want, "AVX2, len {len}");
                    }
                    if crate::cpu::has_avx512dq() {
                        let mut wide = start.clone();
                        // SAFETY: AVX-512F and AVX-512DQ were detected.
                        unsafe { wide::lower_mins_avx512(&mut wide, &seeds, h) };
                        assert_eq!(wide, want, "AVX-512, len {len}");
                    }
                }
            }
        }
    }

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn identical_documents_have_similarity_one() {
        let b = SignatureBuilder::new(&NearDupConfig::default(), 7);
        let a = b.signature(&words("россия вынуждена ответить на угрозы альянса"));
        assert_eq!(similarity(&a, &a.clone()), 1.0);
        assert!(b.signature::<&str>(&[]).is_empty());
    }

    proptest::proptest! {
        /// A document is a near-duplicate of itself with similarity exactly 1 for any seed,
        /// shingle length and signature length: signatures are a function of the terms, and the
        /// index finds an identical signature through every band.
        #[test]
        fn a_document_is_its_own_near_duplicate(
            terms in proptest::collection::vec("[а-яa-z]{1,6}", 1..40),
            seed in proptest::prelude::any::<u64>(),
            shingle in 1usize..5,
            num_hashes in 1usize..200,
        ) {
            let config = NearDupConfig {
                shingle,
                num_hashes,
                threshold: 1.0,
                ..NearDupConfig::default()
            };
            let a = SignatureBuilder::new(&config, seed).signature(&terms);
            let b = SignatureBuilder::new(&config, seed).signature(&terms);
            proptest::prop_assert_eq!(a.len(), num_hashes);
            proptest::prop_assert_eq!(similarity(&a, &b), 1.0);
            let mut index = NearDupIndex::new(&config);
            proptest::prop_assert_eq!(index.add(a), None);
            proptest::prop_assert_eq!(
                index.add(b),
                Some(NearDuplicate { of: 0, similarity: 1.0 })
            );
        }
    }

    #[test]
    fn estimate_is_close_to_exact_jaccard() {
        // Two 2-shingle sets: 0..200 and 100..300 share 100 of 300 shingles -> J = 1/3.
        let config = NearDupConfig {
            num_hashes: 1024,
            ..NearDupConfig::default()
        };
        let b = SignatureBuilder::new(&config, 42);
        let x: Vec<String> = (0..201).map(|i| format!("w{i}")).collect();
        let y: Vec<String> = (100..301).map(|i| format!("w{i}")).collect();
        let s = similarity(&b.signature(&x), &b.signature(&y));
        // Standard error at J = 1/3 with 1024 hashes is 0.0147; allow four of them.
        assert!((s - 1.0 / 3.0).abs() < 0.06, "estimate {s}");
    }

    #[test]
    fn earlier_document_is_the_original() {
        let config = NearDupConfig {
            threshold: 0.6,
            ..NearDupConfig::default()
        };
        let b = SignatureBuilder::new(&config, 1);
        let base = "missile deployment announced ministry said forces moved border region today";
        let mut index = NearDupIndex::new(&config);
        let found: Vec<Option<NearDuplicate>> = [
            base,
            "grain port strike insurance prices rose sharply",
            base,
        ]
        .iter()
        .map(|t| index.add(b.signature(&words(t))))
        .collect();
        assert_eq!(index.oversized_lookups(), 0);
        assert_eq!(found[0], None);
        assert_eq!(found[1], None);
        assert_eq!(
            found[2],
            Some(NearDuplicate {
                of: 0,
                similarity: 1.0
            })
        );
    }

    #[test]
    fn oversized_buckets_are_counted_not_expanded() {
        let config = NearDupConfig {
            max_bucket: 2,
            ..NearDupConfig::default()
        };
        let b = SignatureBuilder::new(&config, 3);
        let mut index = NearDupIndex::new(&config);
        let text = words("the same short text again");
        assert_eq!(index.add(b.signature(&text)), None);
        assert_eq!(index.add(b.signature(&text)).map(|d| d.of), Some(0));
        // The buckets now hold two documents: the third copy finds no candidates.
        assert_eq!(index.add(b.signature(&text)), None);
        assert_eq!(index.oversized_lookups(), 64);
    }

    /// The plain LSH index the flat one replaced: one `Vec` of members per (band, values).
    struct Reference {
        config: NearDupConfig,
        buckets: std::collections::HashMap<(usize, Vec<u32>), Vec<usize>>,
        signatures: Vec<Vec<u32>>,
        oversized: usize,
    }

    impl Reference {
        fn add(&mut self, sig: Vec<u32>) -> Option<NearDuplicate> {
            let rows = self.config.band_rows();
            let mut candidates: Vec<usize> = Vec::new();
            for (band, values) in sig.chunks(rows).enumerate() {
                if let Some(m) = self.buckets.get(&(band, values.to_vec())) {
                    if m.len() >= self.config.max_bucket {
                        self.oversized += 1;
                    } else {
                        candidates.extend(m);
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut best: Option<NearDuplicate> = None;
            for i in candidates {
                let sim = similarity(&sig, &self.signatures[i]);
                if sim >= self.config.threshold && best.is_none_or(|b| sim > b.similarity) {
                    best = Some(NearDuplicate {
                        of: i,
                        similarity: sim,
                    });
                }
            }
            for (band, values) in sig.chunks(rows).enumerate() {
                let id = self.signatures.len();
                self.buckets
                    .entry((band, values.to_vec()))
                    .or_default()
                    .push(id);
            }
            self.signatures.push(sig);
            best
        }
    }

    proptest::proptest! {
        /// The flat index finds what a plain bucket-per-band index finds, oversized buckets and
        /// empty signatures included. Values from a tiny alphabet make buckets collide often.
        #[test]
        fn flat_index_matches_the_plain_one(
            docs in proptest::collection::vec(
                proptest::option::weighted(0.9, proptest::collection::vec(0u32..3, 8)),
                1..60,
            ),
            max_bucket in 1usize..6,
            high: bool,
        ) {
            // Threshold 0.3 gives bands of one value, 0.9 bands of two.
            let config = NearDupConfig {
                num_hashes: 8,
                threshold: if high { 0.9 } else { 0.3 },
                max_bucket,
                ..NearDupConfig::default()
            };
            proptest::prop_assert_eq!(config.band_rows(), if high { 2 } else { 1 });
            let mut flat = NearDupIndex::new(&config);
            let mut plain = Reference {
                config: config.clone(),
                buckets: Default::default(),
                signatures: Vec::new(),
                oversized: 0,
            };
            for doc in docs {
                let sig = doc.unwrap_or_default();
                proptest::prop_assert_eq!(flat.add(sig.clone()), plain.add(sig));
            }
            proptest::prop_assert_eq!(flat.oversized_lookups(), plain.oversized);
        }
    }

    #[test]
    fn band_rows_guarantee_recall_at_threshold() {
        for t in [0.1, 0.3, 0.5, 0.8] {
            let c = NearDupConfig {
                threshold: t,
                ..NearDupConfig::default()
            };
            let r = c.band_rows();
            let bands = (c.num_hashes / r) as i32;
            let p = 1.0 - (1.0 - t.powi(r as i32)).powi(bands);
            assert!(p >= 0.99 || r == 1, "t={t} r={r} p={p}");
        }
        let c = NearDupConfig::default();
        // r = 4 gives 1 - (15/16)^32 = 0.873 < 0.99; r = 2 gives 1 - 0.75^64 > 0.9999.
        assert_eq!(c.band_rows(), 2);
    }
}
