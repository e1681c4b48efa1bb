//! Term features: the interned vocabulary, per-document term counts, pruning and tf-idf.
//!
//! The stage takes each document's [`TokenizedDoc`] and keeps only what later stages need: the
//! document's sparse term counts (term ids into one [`Vocabulary`]) and a few totals. Text is not
//! kept: a document costs about 3 bytes per distinct term here ([`TermCounts`], under a
//! kilobyte for a 400-word article), not its text.
//!
//! Terms are built from the token stream in this order (the contract every table relies on):
//! 1. stopwords are removed (tokens flagged by the tokenizer);
//! 2. a unigram term is the token's stem (`Token::stem`);
//! 3. with `bigrams = true`, a bigram term is two consecutive unigram terms of the filtered
//!    stream joined by one space, never across a sentence boundary (so, as in quanteda's
//!    `tokens_remove()` followed by `tokens_ngrams()`, a removed stopword does not break a bigram);
//! 4. each term's readable label is its most frequent surface form (`Token::norm`) in the corpus,
//!    ties broken by the alphabetically first form; a bigram's label is its most frequent surface
//!    pair.
//!
//! After all documents are counted, [`Vocabulary::finalize`] computes document frequencies over the
//! documents that are kept, prunes the vocabulary (min-df, max-df, max-features) and computes idf.
//! The definitions of tf and idf are on [`TfWeighting`] and [`idf`].

mod counts;
pub mod matrix;
mod neardup;

pub use counts::TermCounts;

pub use neardup::{
    similarity, NearDupConfig, NearDupIndex, NearDuplicate, Signature, SignatureBuilder,
};

use compact_str::CompactString;
use hashbrown::Equivalent;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::{Deserialize, Serialize};

use crate::tokens::{TokenKind, TokenizedDoc};

/// A document-frequency bound: an absolute number of documents or a share of all documents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DfBound {
    /// At least / at most this many documents (a TOML integer, e.g. `min-df = 2`).
    Count(u64),
    /// At least / at most this share of the documents (a TOML float, e.g. `max-df = 0.9`).
    Share(f64),
}

impl DfBound {
    /// The bound as a number of documents out of `n_docs`. Shares round up for a lower bound and
    /// down for an upper bound, so `min-df = 0.5` of 3 documents means 2 and `max-df = 0.5` means 1.
    /// A product within 1e-9 of a whole number counts as that number, so floating-point error
    /// (0.07 × 100 = 7.000000000000001) does not move the bound by a document.
    fn docs(self, n_docs: u64, lower: bool) -> u64 {
        match self {
            DfBound::Count(c) => c,
            DfBound::Share(s) => {
                let x = s * n_docs as f64;
                if lower {
                    (x - 1e-9).ceil().max(0.0) as u64
                } else {
                    (x + 1e-9).floor() as u64
                }
            }
        }
    }

    fn check(self, key: &str) -> Result<(), String> {
        match self {
            DfBound::Share(s) if !(0.0..=1.0).contains(&s) => Err(format!(
                "features.{key} = {s}: a share must lie between 0.0 and 1.0 (use an integer for a document count)"
            )),
            _ => Ok(()),
        }
    }
}

/// How the `tf` column is computed from a term's count `c` in a document with `n` terms of the
/// same order (unigrams or bigrams, counted before pruning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TfWeighting {
    /// `tf = c / n`, the term's relative frequency in the document (default).
    #[default]
    Relative,
    /// `tf = c`, the raw count (scikit-learn's `TfidfVectorizer` before normalization).
    Raw,
    /// `tf = 1 + ln(c)`, sublinear scaling (Manning, Raghavan & Schütze 2008, eq. 6.13).
    Log,
}

impl TfWeighting {
    /// The tf weight of a term seen `count` times among `n` terms of its order.
    pub fn tf(self, count: u32, n: u32) -> f64 {
        match self {
            TfWeighting::Relative => count as f64 / n.max(1) as f64,
            TfWeighting::Raw => count as f64,
            TfWeighting::Log => 1.0 + (count as f64).ln(),
        }
    }
}

/// Smoothed inverse document frequency, as scikit-learn's `TfidfVectorizer(smooth_idf=True)`:
/// `idf = ln((1 + N) / (1 + df)) + 1`, where `N` is the number of kept documents and `df` the
/// number of them that contain the term. Adding one to both counts acts as if one extra document
/// contained every term, so no idf is infinite; the final `+ 1` keeps terms found in every
/// document from being zeroed out.
pub fn idf(n_docs: u64, doc_freq: u64) -> f64 {
    ((1.0 + n_docs as f64) / (1.0 + doc_freq as f64)).ln() + 1.0
}

/// The `[features]` table of the study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FeaturesConfig {
    /// Also build bigrams from the stemmed, stopword-filtered stream (default false).
    pub bigrams: bool,
    /// Drop terms found in fewer documents than this (default 1: keep everything).
    pub min_df: DfBound,
    /// Drop terms found in more documents than this (default 1.0: keep everything).
    pub max_df: DfBound,
    /// Keep only the most frequent terms by total count, ties broken by term (default: no limit).
    pub max_features: Option<usize>,
    /// How `tf` is computed (default "relative").
    pub tf: TfWeighting,
}

impl Default for FeaturesConfig {
    fn default() -> Self {
        FeaturesConfig {
            bigrams: false,
            min_df: DfBound::Count(1),
            max_df: DfBound::Share(1.0),
            max_features: None,
            tf: TfWeighting::Relative,
        }
    }
}

impl FeaturesConfig {
    /// Checks the bounds before any work runs.
    pub fn check(&self) -> Result<(), String> {
        self.min_df.check("min-df")?;
        self.max_df.check("max-df")?;
        let contradictory = match (self.min_df, self.max_df) {
            (DfBound::Count(a), DfBound::Count(b)) => a > b,
            (DfBound::Share(a), DfBound::Share(b)) => a > b,
            _ => false,
        };
        if contradictory {
            return Err(format!(
                "features.min-df = {:?} is above features.max-df = {:?}: every term would be pruned",
                self.min_df, self.max_df
            ));
        }
        if self.max_features == Some(0) {
            return Err("features.max-features = 0 would remove every term".to_string());
        }
        Ok(())
    }
}

/// Identifier of an interned term.
pub type TermId = u32;

/// One term of the vocabulary.
#[derive(Debug, Clone)]
pub struct TermInfo {
    /// The term: a stem, or two stems joined by a space.
    pub term: Box<str>,
    /// 1 for unigrams, 2 for bigrams.
    pub order: u8,
}

/// The counts of one document, kept for every document until the tables are written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocCounts {
    /// `(term, count)` pairs sorted by term id, compactly encoded.
    pub counts: TermCounts,
    /// Word and number tokens, stopwords included (the denominator of lexicon rates).
    pub n_tokens: u32,
    /// Unigram terms after stopword removal (the sum of the order-1 counts).
    pub n_terms: u32,
    /// Bigram terms (the sum of the order-2 counts).
    pub n_bigrams: u32,
    /// Distinct unigram terms.
    pub n_types: u32,
    /// Sentences that contain at least one token.
    pub n_sentences: u32,
}

/// A document's terms before interning: what the parallel stage hands to the sequential one.
///
/// Compact on purpose (one text buffer and one entry vector per document, not two `String`s
/// per entry): it is built for every document on a worker thread and dropped by the sequential
/// stage, so its allocations are paid twice.
#[derive(Debug, Clone, Default)]
pub struct LocalCounts {
    /// Every distinct term and surface of the document, concatenated; entries point into it.
    text: String,
    /// In first-occurrence order, unigrams first (see [`LocalCounts::from_tokens`]); the
    /// `(term, surface)` pairs are distinct.
    entries: Vec<LocalEntry>,
    n_tokens: u32,
    n_terms: u32,
    n_bigrams: u32,
    n_sentences: u32,
}

/// One `(term, order, surface)` of a document and how often it occurs.
#[derive(Debug, Clone, Copy)]
struct LocalEntry {
    /// Byte range of the term in [`LocalCounts::text`].
    term: (u32, u32),
    /// Byte range of the surface form.
    surface: (u32, u32),
    order: u8,
    count: u32,
}

impl LocalCounts {
    /// Counts the terms of one tokenized document (steps 1–3 of the module contract).
    /// Runs in parallel over documents; it touches no shared state.
    ///
    /// Entries come in the order of their first occurrence in the document (unigrams, then
    /// bigrams). Nothing downstream depends on that order beyond the ids interning assigns, and
    /// those never reach an output: [`Vocabulary::finalize`] sorts terms by string. Not sorting
    /// here saves string comparisons on every document; [`Self::entries`] sorts on demand.
    pub fn from_tokens(doc: &TokenizedDoc, bigrams: bool) -> LocalCounts {
        // Keys borrow from the tokens: (stem, norm) for unigrams and (stem, stem, norm, norm)
        // for bigrams, so counting allocates nothing per token. Each map holds the position of
        // its key in `found`, which keeps first-occurrence order and the counts. Sized for every
        // token up front: growing the maps cost more than the spare room.
        let mut unigrams: FxHashMap<(&str, &str), u32> =
            FxHashMap::with_capacity_and_hasher(doc.tokens.len(), Default::default());
        let mut pairs: FxHashMap<PairKey, u32> = if bigrams {
            FxHashMap::with_capacity_and_hasher(doc.tokens.len(), Default::default())
        } else {
            FxHashMap::default()
        };
        let mut found_unigrams: Vec<((&str, &str), u32)> = Vec::with_capacity(doc.tokens.len());
        let mut found_pairs: Vec<(PairKey, u32)> = Vec::new();
        let mut n_tokens = 0u32;
        let mut n_terms = 0u32;
        let mut n_bigrams = 0u32;
        let mut prev: Option<(u32, &str, &str)> = None;
        for tok in &doc.tokens {
            n_tokens += u32::from(matches!(tok.kind, TokenKind::Word | TokenKind::Number));
            if tok.is_stop {
                continue;
            }
            n_terms += 1;
            count_in(&mut unigrams, &mut found_unigrams, (&tok.stem, &tok.norm));
            if bigrams {
                if let Some((sentence, stem, norm)) = prev {
                    if sentence == tok.sentence {
                        n_bigrams += 1;
                        let key = (stem, tok.stem.as_str(), norm, tok.norm.as_str());
                        count_in(&mut pairs, &mut found_pairs, key);
                    }
                }
                prev = Some((tok.sentence, &tok.stem, &tok.norm));
            }
        }
        let mut text = String::with_capacity(16 * (found_unigrams.len() + 2 * found_pairs.len()));
        let mut push = |parts: &[&str]| -> (u32, u32) {
            let start = text.len() as u32;
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(p);
            }
            (start, text.len() as u32)
        };
        let mut entries: Vec<LocalEntry> =
            Vec::with_capacity(found_unigrams.len() + found_pairs.len());
        for ((stem, norm), count) in found_unigrams {
            let term = push(&[stem]);
            // A surface equal to its term (an unstemmed word) is stored once.
            let surface = if norm == stem { term } else { push(&[norm]) };
            entries.push(LocalEntry {
                term,
                surface,
                order: 1,
                count,
            });
        }
        for ((s1, s2, n1, n2), count) in found_pairs {
            let term = push(&[s1, s2]);
            let surface = if (n1, n2) == (s1, s2) {
                term
            } else {
                push(&[n1, n2])
            };
            entries.push(LocalEntry {
                term,
                surface,
                order: 2,
                count,
            });
        }
        LocalCounts {
            entries,
            text,
            n_tokens,
            n_terms,
            n_bigrams,
            n_sentences: doc.n_sentences,
        }
    }

    fn str(&self, (a, b): (u32, u32)) -> &str {
        &self.text[a as usize..b as usize]
    }
}

/// A bigram while counting: `(stem, stem, norm, norm)`, borrowed from the tokens.
type PairKey<'a> = (&'a str, &'a str, &'a str, &'a str);

/// Adds one occurrence of `key`: its count in `found` goes up, or it is appended with count 1.
fn count_in<K: std::hash::Hash + Eq + Copy>(
    index: &mut FxHashMap<K, u32>,
    found: &mut Vec<(K, u32)>,
    key: K,
) {
    match index.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => found[*e.get() as usize].1 += 1,
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(found.len() as u32);
            found.push((key, 1));
        }
    }
}

/// The totals of a [`LocalCounts`] besides its terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTotals {
    /// Word and number tokens, stopwords included.
    pub n_tokens: u32,
    /// Unigram terms after stopword removal.
    pub n_terms: u32,
    /// Bigram terms.
    pub n_bigrams: u32,
    /// Sentences that contain at least one token.
    pub n_sentences: u32,
}

/// Taking counts apart and back together, for a sharded run: a shard writes them to its
/// partial tables and the merge interns them in corpus order, as a single run would.
impl LocalCounts {
    /// The `(term, order, surface, count)` entries, sorted by term, order and surface (the
    /// order [`Self::from_parts`] takes back).
    pub fn entries(&self) -> impl Iterator<Item = (&str, u8, &str, u32)> + '_ {
        let slice = |(a, b): (u32, u32)| &self.text[a as usize..b as usize];
        let mut sorted: Vec<&LocalEntry> = self.entries.iter().collect();
        sorted.sort_unstable_by(|x, y| {
            (slice(x.term), x.order, slice(x.surface)).cmp(&(
                slice(y.term),
                y.order,
                slice(y.surface),
            ))
        });
        sorted
            .into_iter()
            .map(move |e| (slice(e.term), e.order, slice(e.surface), e.count))
    }

    /// The totals.
    pub fn totals(&self) -> LocalTotals {
        LocalTotals {
            n_tokens: self.n_tokens,
            n_terms: self.n_terms,
            n_bigrams: self.n_bigrams,
            n_sentences: self.n_sentences,
        }
    }

    /// Rebuilds counts from [`Self::entries`] and [`Self::totals`]. Entries out of order (so
    /// possibly repeated, which [`Vocabulary::intern`] would count twice) are an error.
    pub fn from_parts(
        entries: Vec<(String, u8, String, u32)>,
        totals: LocalTotals,
    ) -> Result<LocalCounts, String> {
        if entries
            .windows(2)
            .any(|w| (&w[0].0, w[0].1, &w[0].2) >= (&w[1].0, w[1].1, &w[1].2))
        {
            return Err("term entries are not sorted by term and surface".to_string());
        }
        let mut text = String::new();
        let mut push = |part: &str| -> (u32, u32) {
            let start = text.len() as u32;
            text.push_str(part);
            (start, text.len() as u32)
        };
        let entries = entries
            .into_iter()
            .map(|(term, order, surface, count)| {
                let term_at = push(&term);
                let surface = if surface == term {
                    term_at
                } else {
                    push(&surface)
                };
                LocalEntry {
                    term: term_at,
                    surface,
                    order,
                    count,
                }
            })
            .collect();
        Ok(LocalCounts {
            text,
            entries,
            n_tokens: totals.n_tokens,
            n_terms: totals.n_terms,
            n_bigrams: totals.n_bigrams,
            n_sentences: totals.n_sentences,
        })
    }
}

/// The interned vocabulary of the whole corpus, with the surface forms seen for each term.
///
/// The maps use FxHash (rustc-hash): interning runs once per distinct term of every document
/// in the sequential stage, and SipHash's protection against crafted collisions buys nothing
/// here (no map is ever iterated into an output without sorting).
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Keys are `CompactString`s: a term of up to 24 bytes sits inside the map's slot, so a
    /// look-up compares it without following a pointer.
    ids: FxHashMap<CompactString, TermId>,
    terms: Vec<TermInfo>,
    /// Every `(term, surface)` pair seen, with the term's id and the pair's corpus count (for
    /// labels). A document's entry is one look-up here; the term map is consulted only for a
    /// pair seen for the first time.
    surfaces: hashbrown::HashMap<SurfaceKey, SurfaceCount, FxBuildHasher>,
}

/// A `(term, surface)` pair as stored in [`Vocabulary::surfaces`].
#[derive(Debug)]
struct SurfaceKey {
    term: CompactString,
    surface: CompactString,
}

/// A `(term, surface)` pair borrowed from a document's [`LocalCounts`], for look-ups.
#[derive(Debug, Clone, Copy)]
struct SurfaceRef<'a> {
    term: &'a str,
    surface: &'a str,
}

/// What [`Vocabulary::surfaces`] holds for a pair.
#[derive(Debug)]
struct SurfaceCount {
    id: TermId,
    count: u64,
}

// `SurfaceKey` and `SurfaceRef` hash alike (the two strings in order), as `Equivalent` needs.
impl std::hash::Hash for SurfaceKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        SurfaceRef::from(self).hash(state);
    }
}

impl std::hash::Hash for SurfaceRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.term.hash(state);
        self.surface.hash(state);
    }
}

impl PartialEq for SurfaceKey {
    fn eq(&self, other: &SurfaceKey) -> bool {
        SurfaceRef::from(self).equivalent(other)
    }
}

impl Eq for SurfaceKey {}

impl<'a> From<&'a SurfaceKey> for SurfaceRef<'a> {
    fn from(key: &'a SurfaceKey) -> SurfaceRef<'a> {
        SurfaceRef {
            term: &key.term,
            surface: &key.surface,
        }
    }
}

impl From<&SurfaceRef<'_>> for SurfaceKey {
    fn from(r: &SurfaceRef<'_>) -> SurfaceKey {
        SurfaceKey {
            term: CompactString::from(r.term),
            surface: CompactString::from(r.surface),
        }
    }
}

impl hashbrown::Equivalent<SurfaceKey> for SurfaceRef<'_> {
    fn equivalent(&self, key: &SurfaceKey) -> bool {
        self.term == key.term && self.surface == key.surface
    }
}

impl Vocabulary {
    /// Interns one document's local counts, in document order so ids are deterministic.
    pub fn intern(&mut self, local: LocalCounts) -> DocCounts {
        let Vocabulary {
            ids,
            terms,
            surfaces,
        } = self;
        let mut counts: Vec<(TermId, u32)> = Vec::with_capacity(local.entries.len());
        for e in &local.entries {
            let key = SurfaceRef {
                term: local.str(e.term),
                surface: local.str(e.surface),
            };
            let id = match surfaces.entry_ref(&key) {
                hashbrown::hash_map::EntryRef::Occupied(mut o) => {
                    let s = o.get_mut();
                    s.count += u64::from(e.count);
                    s.id
                }
                hashbrown::hash_map::EntryRef::Vacant(v) => {
                    let id = match ids.get(key.term) {
                        Some(&id) => id,
                        None => {
                            let id = terms.len() as TermId;
                            ids.insert(CompactString::from(key.term), id);
                            terms.push(TermInfo {
                                term: key.term.into(),
                                order: e.order,
                            });
                            id
                        }
                    };
                    v.insert(SurfaceCount {
                        id,
                        count: u64::from(e.count),
                    });
                    id
                }
            };
            counts.push((id, e.count));
        }
        // A term written several ways in the document has one entry per surface: sum them.
        let counts: Vec<(TermId, u32)> = matrix::sum_by_term(counts);
        let n_types = counts
            .iter()
            .filter(|&&(id, _)| terms[id as usize].order == 1)
            .count() as u32;
        DocCounts {
            counts: TermCounts::from_sorted(&counts),
            n_tokens: local.n_tokens,
            n_terms: local.n_terms,
            n_bigrams: local.n_bigrams,
            n_types,
            n_sentences: local.n_sentences,
        }
    }

    /// Number of distinct terms seen (before pruning).
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True when no term has been seen.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The id of a term, if it was seen.
    pub fn id(&self, term: &str) -> Option<TermId> {
        self.ids.get(term).copied()
    }

    /// Computes document frequencies over `docs`, prunes and computes idf.
    pub fn finalize<'a>(
        &self,
        docs: impl Iterator<Item = &'a DocCounts>,
        config: &FeaturesConfig,
    ) -> FinalVocabulary {
        let n = self.terms.len();
        let mut doc_freq = vec![0u64; n];
        let mut total = vec![0u64; n];
        let mut n_docs = 0u64;
        for doc in docs {
            n_docs += 1;
            for (id, c) in doc.counts.iter() {
                doc_freq[id as usize] += 1;
                total[id as usize] += c as u64;
            }
        }
        let min_df = config.min_df.docs(n_docs, true);
        let max_df = config.max_df.docs(n_docs, false);
        let mut kept: Vec<TermId> = (0..n as TermId)
            .filter(|&id| {
                let df = doc_freq[id as usize];
                df > 0 && df >= min_df && df <= max_df
            })
            .collect();
        let after_df = kept.len();
        if let Some(max) = config.max_features {
            kept.sort_by(|&a, &b| {
                total[b as usize].cmp(&total[a as usize]).then_with(|| {
                    self.terms[a as usize]
                        .term
                        .cmp(&self.terms[b as usize].term)
                })
            });
            kept.truncate(max);
        }
        let labels = self.labels();
        let mut entries: Vec<VocabEntry> = kept
            .into_iter()
            .map(|id| {
                let info = &self.terms[id as usize];
                let df = doc_freq[id as usize];
                VocabEntry {
                    id,
                    term: info.term.clone(),
                    label: labels[id as usize].clone(),
                    order: info.order,
                    doc_freq: df,
                    total_count: total[id as usize],
                    idf: idf(n_docs, df),
                }
            })
            .collect();
        entries.sort_by(|a, b| (a.order, &a.term).cmp(&(b.order, &b.term)));
        let mut index = vec![None; n];
        for (i, e) in entries.iter().enumerate() {
            index[e.id as usize] = Some(i as u32);
        }
        let seen = doc_freq.iter().filter(|&&df| df > 0).count();
        FinalVocabulary {
            n_docs,
            pruned_by_df: seen - after_df,
            pruned_by_max_features: after_df - entries.len(),
            entries,
            index,
        }
    }

    /// The most frequent surface form of every term (ties: alphabetically first).
    fn labels(&self) -> Vec<Box<str>> {
        let mut best: Vec<Option<(u64, &str)>> = vec![None; self.terms.len()];
        for (key, &SurfaceCount { id, count }) in &self.surfaces {
            let surface: &str = &key.surface;
            let slot = &mut best[id as usize];
            let better = match *slot {
                None => true,
                Some((c, s)) => count > c || (count == c && surface < s),
            };
            if better {
                *slot = Some((count, surface));
            }
        }
        best.into_iter()
            .zip(&self.terms)
            .map(|(b, info)| b.map_or_else(|| info.term.clone(), |(_, s)| s.into()))
            .collect()
    }
}

/// One row of the `vocabulary` table.
#[derive(Debug, Clone, PartialEq)]
pub struct VocabEntry {
    /// The term's id in the [`Vocabulary`].
    pub id: TermId,
    /// The term (stem or stem pair).
    pub term: Box<str>,
    /// Its most frequent surface form.
    pub label: Box<str>,
    /// 1 or 2.
    pub order: u8,
    /// Number of kept documents containing the term.
    pub doc_freq: u64,
    /// Occurrences in kept documents.
    pub total_count: u64,
    /// [`idf`] of the term.
    pub idf: f64,
}

/// The pruned vocabulary, sorted by (order, term), with idf.
#[derive(Debug, Clone)]
pub struct FinalVocabulary {
    /// Number of documents the frequencies were computed over.
    pub n_docs: u64,
    /// Kept terms, sorted by order then term.
    pub entries: Vec<VocabEntry>,
    /// Term id -> position in `entries` (None: pruned).
    index: Vec<Option<u32>>,
    /// Terms removed by min-df / max-df.
    pub pruned_by_df: usize,
    /// Terms removed by max-features.
    pub pruned_by_max_features: usize,
}

impl FinalVocabulary {
    /// The term matrix of `docs` over this vocabulary (for the analysis stages). Takes the
    /// counts by value so each document's compact counts are freed as its row is built: the
    /// two copies of the counts never coexist.
    pub fn term_matrix(&self, docs: impl Iterator<Item = DocCounts>) -> matrix::TermMatrix {
        let mut m = matrix::TermMatrix {
            terms: self.entries.iter().map(|e| e.term.to_string()).collect(),
            labels: self.entries.iter().map(|e| e.label.to_string()).collect(),
            order: self.entries.iter().map(|e| e.order).collect(),
            idf: self.entries.iter().map(|e| e.idf).collect(),
            ..matrix::TermMatrix::default()
        };
        for doc in docs {
            let mut row: Vec<(u32, u32)> = doc
                .counts
                .iter()
                .filter_map(|(id, c)| Some((self.position(id)?, c)))
                .collect();
            row.sort_unstable();
            m.rows.push(row);
            m.n_terms.push(doc.n_terms);
        }
        m
    }

    /// The kept entry for a term id.
    pub fn get(&self, id: TermId) -> Option<&VocabEntry> {
        self.position(id).map(|i| &self.entries[i as usize])
    }

    /// The position in `entries` of a kept term id (None: pruned or unknown).
    fn position(&self, id: TermId) -> Option<u32> {
        self.index.get(id as usize).copied().flatten()
    }

    /// The rows of the `terms` table for one document: kept terms sorted by (order, term),
    /// with count, tf and tf-idf.
    pub fn doc_rows<'a>(&'a self, doc: &DocCounts, tf: TfWeighting) -> Vec<TermRow<'a>> {
        // Positions in `entries`, which is sorted by (order, term): sorting the positions sorts
        // the rows without comparing strings.
        let mut kept: Vec<(u32, u32)> = doc
            .counts
            .iter()
            .filter_map(|(id, count)| Some((self.position(id)?, count)))
            .collect();
        kept.sort_unstable_by_key(|&(pos, _)| pos);
        kept.into_iter()
            .map(|(pos, count)| {
                let e = &self.entries[pos as usize];
                let n = if e.order == 1 {
                    doc.n_terms
                } else {
                    doc.n_bigrams
                };
                let tf = tf.tf(count, n);
                TermRow {
                    entry: e,
                    count,
                    tf,
                    tfidf: tf * e.idf,
                }
            })
            .collect()
    }
}

/// One row of the `terms` table (without the document id).
#[derive(Debug, Clone, PartialEq)]
pub struct TermRow<'a> {
    /// The vocabulary entry.
    pub entry: &'a VocabEntry,
    /// Occurrences in the document.
    pub count: u32,
    /// See [`TfWeighting`].
    pub tf: f64,
    /// `tf × idf`.
    pub tfidf: f64,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::tokens::{Token, TokenKind};
    use approx::assert_abs_diff_eq;

    /// Builds a document from `(norm, stem, sentence, is_stop)` tuples.
    fn doc(tokens: &[(&str, &str, u32, bool)]) -> TokenizedDoc {
        let mut pos = 0;
        let tokens: Vec<Token> = tokens
            .iter()
            .map(|&(norm, stem, sentence, is_stop)| {
                let t = Token {
                    start: pos,
                    end: pos + norm.len(),
                    sentence,
                    kind: TokenKind::Word,
                    norm: norm.into(),
                    stem: stem.into(),
                    is_stop,
                    quoted: false,
                };
                pos += norm.len() + 1;
                t
            })
            .collect();
        let n_sentences = tokens.last().map_or(0, |t| t.sentence + 1);
        TokenizedDoc {
            tokens,
            n_sentences,
            quotes: vec![],
        }
    }

    #[test]
    fn counts_sum_to_terms_and_bigrams_stay_in_sentences() {
        let d = doc(&[
            ("the", "the", 0, true),
            ("negotiations", "negoti", 0, false),
            ("failed", "fail", 0, false),
            ("переговоры", "переговор", 1, false),
            ("не", "не", 1, true),
            ("переговоров", "переговор", 1, false),
        ]);
        let local = LocalCounts::from_tokens(&d, true);
        let mut vocab = Vocabulary::default();
        let counts = vocab.intern(local);
        assert_eq!(counts.n_tokens, 6);
        assert_eq!(counts.n_terms, 4);
        assert_eq!(counts.n_types, 3);
        // "negoti fail" and "переговор переговор" (the stopword between does not break it),
        // but no bigram across the sentence boundary "fail переговор".
        assert_eq!(counts.n_bigrams, 2);
        let sum1: u32 = counts
            .counts
            .iter()
            .filter(|(id, _)| vocab.terms[*id as usize].order == 1)
            .map(|(_, c)| c)
            .sum();
        assert_eq!(sum1, counts.n_terms);
        assert!(vocab.id("fail переговор").is_none());
        assert!(vocab.id("переговор переговор").is_some());
    }

    #[test]
    fn label_is_most_frequent_surface_with_alphabetical_ties() {
        let mut vocab = Vocabulary::default();
        let a = doc(&[
            ("negotiations", "negoti", 0, false),
            ("negotiations", "negoti", 0, false),
            ("negotiation", "negoti", 0, false),
            ("talks", "talk", 0, false),
            ("talk", "talk", 0, false),
        ]);
        let c = vocab.intern(LocalCounts::from_tokens(&a, false));
        let fv = vocab.finalize([&c].into_iter(), &FeaturesConfig::default());
        let labels: Vec<(&str, &str)> = fv.entries.iter().map(|e| (&*e.term, &*e.label)).collect();
        assert_eq!(labels, vec![("negoti", "negotiations"), ("talk", "talk")]);
    }

    #[test]
    fn idf_matches_hand_computed_values() {
        // N = 3, df = 1: ln(4/2) + 1
        assert_abs_diff_eq!(idf(3, 1), 2f64.ln() + 1.0, epsilon = 1e-12);
        // A term in every document keeps weight 1.
        assert_abs_diff_eq!(idf(3, 3), 1.0, epsilon = 1e-12);
    }

    #[test]
    fn pruning_and_tfidf() {
        let mut vocab = Vocabulary::default();
        let docs: Vec<DocCounts> = [
            doc(&[
                ("a", "a", 0, false),
                ("b", "b", 0, false),
                ("a", "a", 0, false),
            ]),
            doc(&[("a", "a", 0, false), ("c", "c", 0, false)]),
            doc(&[("a", "a", 0, false), ("b", "b", 0, false)]),
        ]
        .iter()
        .map(|d| vocab.intern(LocalCounts::from_tokens(d, false)))
        .collect();
        let config = FeaturesConfig {
            min_df: DfBound::Count(2),
            max_df: DfBound::Share(0.9),
            ..FeaturesConfig::default()
        };
        let fv = vocab.finalize(docs.iter(), &config);
        // a: df 3 > floor(0.9 * 3) = 2 -> pruned; c: df 1 < 2 -> pruned; b kept.
        let kept: Vec<&str> = fv.entries.iter().map(|e| &*e.term).collect();
        assert_eq!(kept, vec!["b"]);
        assert_eq!(fv.pruned_by_df, 2);
        let rows = fv.doc_rows(&docs[0], TfWeighting::Relative);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].count, 1);
        // tf = 1/3 (three unigram terms before pruning), idf = ln(4/3) + 1
        assert_abs_diff_eq!(rows[0].tf, 1.0 / 3.0, epsilon = 1e-12);
        assert_abs_diff_eq!(
            rows[0].tfidf,
            (1.0 / 3.0) * ((4.0f64 / 3.0).ln() + 1.0),
            epsilon = 1e-12
        );
    }

    /// Rows come sorted by (order, term) whatever order the terms were interned in, and a
    /// term written two ways in a document is one row with the summed count.
    #[test]
    fn doc_rows_sorted_by_order_then_term() {
        let mut vocab = Vocabulary::default();
        let docs: Vec<DocCounts> = [
            doc(&[
                ("zeta", "zeta", 0, false),
                ("betas", "beta", 0, false),
                ("alpha", "alpha", 0, false),
                ("beta", "beta", 0, false),
                ("mu", "mu", 1, false),
            ]),
            doc(&[("mu", "mu", 0, false), ("alpha", "alpha", 0, false)]),
        ]
        .iter()
        .map(|d| vocab.intern(LocalCounts::from_tokens(d, true)))
        .collect();
        // Interned in first-occurrence order: zeta, beta, alpha, ...
        assert!(vocab.id("zeta") < vocab.id("alpha"));
        let fv = vocab.finalize(docs.iter(), &FeaturesConfig::default());
        let rows: Vec<(u8, &str, u32)> = fv
            .doc_rows(&docs[0], TfWeighting::Relative)
            .iter()
            .map(|r| (r.entry.order, &*r.entry.term, r.count))
            .collect();
        assert_eq!(
            rows,
            vec![
                (1, "alpha", 1),
                (1, "beta", 2),
                (1, "mu", 1),
                (1, "zeta", 1),
                (2, "alpha beta", 1),
                (2, "beta alpha", 1),
                (2, "zeta beta", 1),
            ]
        );
    }

    #[test]
    fn max_features_keeps_most_frequent_with_term_tiebreak() {
        let mut vocab = Vocabulary::default();
        let d = doc(&[
            ("x", "x", 0, false),
            ("y", "y", 0, false),
            ("z", "z", 0, false),
            ("z", "z", 0, false),
        ]);
        let c = vocab.intern(LocalCounts::from_tokens(&d, false));
        let config = FeaturesConfig {
            max_features: Some(2),
            ..FeaturesConfig::default()
        };
        let fv = vocab.finalize([&c].into_iter(), &config);
        let kept: Vec<&str> = fv.entries.iter().map(|e| &*e.term).collect();
        assert_eq!(kept, vec!["x", "z"]);
        assert_eq!(fv.pruned_by_max_features, 1);
    }

    proptest::proptest! {
        /// Through the real tokenizer: unigram counts sum to `n_terms`, which counts the
        /// non-stopword tokens; `n_tokens` counts word and number tokens; bigrams never outnumber
        /// the gaps between terms.
        #[test]
        fn counts_sum_to_token_totals(text in "[a-zA-Zа-яё’'\\-., \n«»“”0-9]{0,200}", bigrams: bool) {
            use crate::tokens::{Analyzer, Language, TokenizerConfig};
            let lang = if text.chars().any(|c| ('а'..='я').contains(&c)) {
                Language::Russian
            } else {
                Language::English
            };
            let mut analyzer = Analyzer::new(&TokenizerConfig::default(), lang).unwrap();
            let doc = analyzer.analyze(&text);
            let non_stop = doc.tokens.iter().filter(|t| !t.is_stop).count() as u32;
            let words = doc
                .tokens
                .iter()
                .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
                .count() as u32;
            let mut vocab = Vocabulary::default();
            let counts = vocab.intern(LocalCounts::from_tokens(&doc, bigrams));
            let (mut uni, mut bi) = (0u32, 0u32);
            for (id, c) in counts.counts.iter() {
                match vocab.terms[id as usize].order {
                    1 => uni += c,
                    _ => bi += c,
                }
            }
            proptest::prop_assert_eq!(uni, counts.n_terms);
            proptest::prop_assert_eq!(counts.n_terms, non_stop);
            proptest::prop_assert_eq!(counts.n_tokens, words);
            proptest::prop_assert_eq!(bi, counts.n_bigrams);
            proptest::prop_assert!(counts.n_bigrams <= counts.n_terms.saturating_sub(1));
            if !bigrams {
                proptest::prop_assert_eq!(bi, 0);
            }
        }
    }

    /// Norms and their stems for [`interning_preserves_counts`]: some norms share a stem, so a
    /// term collects several surface forms.
    const WORDS: [(&str, &str); 8] = [
        ("war", "war"),
        ("wars", "war"),
        ("peace", "peac"),
        ("peaceful", "peac"),
        ("talks", "talk"),
        ("мир", "мир"),
        ("миру", "мир"),
        ("угроза", "угроз"),
    ];

    proptest::proptest! {
        /// Interning many documents keeps each document's counts (mapped back to term strings
        /// they equal the counts taken straight from its tokens: stopwords out, bigrams of
        /// adjacent remaining terms in one sentence); the vocabulary's totals are the sums of
        /// those counts and its document frequencies count the documents holding each term, so
        /// df ≤ the number of documents; and none of it depends on the order of the documents.
        #[test]
        fn interning_preserves_counts(
            docs in proptest::collection::vec(
                proptest::collection::vec((0..WORDS.len(), proptest::bool::weighted(0.2), proptest::bool::weighted(0.2)), 0..20),
                1..8,
            ),
            bigrams: bool,
        ) {
            let tokenized: Vec<TokenizedDoc> = docs
                .iter()
                .map(|tokens| {
                    let mut sentence = 0;
                    let spec: Vec<(&str, &str, u32, bool)> = tokens
                        .iter()
                        .enumerate()
                        .map(|(i, &(w, stop, new_sentence))| {
                            if new_sentence && i > 0 {
                                sentence += 1;
                            }
                            (WORDS[w].0, WORDS[w].1, sentence, stop)
                        })
                        .collect();
                    doc(&spec)
                })
                .collect();
            // Counts by term, from the tokens alone.
            let expected: Vec<BTreeMap<String, u32>> = tokenized
                .iter()
                .map(|d| {
                    let terms: Vec<&Token> = d.tokens.iter().filter(|t| !t.is_stop).collect();
                    let mut counts = BTreeMap::new();
                    for t in &terms {
                        *counts.entry(t.stem.to_string()).or_insert(0) += 1;
                    }
                    if bigrams {
                        for pair in terms.windows(2) {
                            if pair[0].sentence == pair[1].sentence {
                                let term = format!("{} {}", pair[0].stem, pair[1].stem);
                                *counts.entry(term).or_insert(0) += 1;
                            }
                        }
                    }
                    counts
                })
                .collect();

            let intern_all = |order: &[usize]| {
                let mut vocab = Vocabulary::default();
                let mut counts = vec![DocCounts::default(); order.len()];
                for &i in order {
                    counts[i] = vocab.intern(LocalCounts::from_tokens(&tokenized[i], bigrams));
                }
                let fv = vocab.finalize(counts.iter(), &FeaturesConfig::default());
                (vocab, counts, fv)
            };
            let forward: Vec<usize> = (0..docs.len()).collect();
            let (vocab, counts, fv) = intern_all(&forward);
            for (doc, want) in counts.iter().zip(&expected) {
                let got: BTreeMap<String, u32> = doc
                    .counts
                    .iter()
                    .map(|(id, c)| (vocab.terms[id as usize].term.to_string(), c))
                    .collect();
                proptest::prop_assert_eq!(&got, want);
            }
            proptest::prop_assert_eq!(fv.n_docs, docs.len() as u64);
            let mut terms: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
            for want in &expected {
                for (term, &c) in want {
                    let e = terms.entry(term.as_str()).or_default();
                    e.0 += 1;
                    e.1 += u64::from(c);
                }
            }
            proptest::prop_assert_eq!(fv.entries.len(), terms.len());
            for e in &fv.entries {
                proptest::prop_assert!(e.doc_freq >= 1 && e.doc_freq <= fv.n_docs);
                proptest::prop_assert_eq!(
                    terms.get(&*e.term).copied(),
                    Some((e.doc_freq, e.total_count)),
                    "{}", e.term
                );
            }

            let backward: Vec<usize> = (0..docs.len()).rev().collect();
            let (_, _, reversed) = intern_all(&backward);
            let strip = |fv: &FinalVocabulary| -> Vec<(String, String, u8, u64, u64)> {
                fv.entries
                    .iter()
                    .map(|e| (e.term.to_string(), e.label.to_string(), e.order, e.doc_freq, e.total_count))
                    .collect()
            };
            proptest::prop_assert_eq!(strip(&fv), strip(&reversed));
        }
    }

    #[test]
    fn df_bound_rounding() {
        assert_eq!(DfBound::Share(0.5).docs(3, true), 2);
        assert_eq!(DfBound::Share(0.5).docs(3, false), 1);
        assert!(DfBound::Share(1.5).check("max-df").is_err());
        // Reviewer's cases: 0.07 × 100 and 0.29 × 100 are not whole in floating point.
        assert_eq!(DfBound::Share(0.07).docs(100, true), 7);
        assert_eq!(DfBound::Share(0.29).docs(100, false), 29);
        let bad = FeaturesConfig {
            min_df: DfBound::Count(5),
            max_df: DfBound::Count(2),
            ..FeaturesConfig::default()
        };
        assert!(bad.check().unwrap_err().contains("min-df"));
    }
}
