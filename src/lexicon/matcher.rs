//! One-pass multi-lexicon matching: a trie over token keys shared by every lexicon of a
//! language.
//!
//! Each entry word becomes a key: `Stem(stem)` (stem lexicons), `Norm(norm)` (surface
//! lexicons) or `Prefix(prefix)` (a trailing-`*` wildcard, compared with the token's norm in
//! both modes). Keys are interned; the trie is one hash map from `(node, key)` to child node,
//! and each node lists the entries that end there. For every token the document's keys are
//! computed once (its stem, its norm, and every interned prefix of its norm — one look-up of
//! the norm's first bytes in an index of the prefixes, then a byte comparison with each
//! prefix that starts with them). At each position the trie is walked at most
//! `max phrase length` tokens deep, so a document costs O(tokens × max phrase length) hash
//! lookups whatever the number of entries.
//!
//! For Russian the matcher reads `ё` as `е` on both sides (entry words and token norms), as
//! the stemmer does: Russian print mostly writes `е` for `ё`, so "еще" and "ещё", or the
//! wildcard `объе*` and "объём", are the same match. (Stem keys need nothing: stems are folded.)
//!
//! Per lexicon the leftmost-longest rule applies: at a position the longest matching entry
//! wins and consumes its tokens for that lexicon; among entries of equal length the most
//! specific wins (exact words beat wildcards, longer prefixes beat shorter ones), then the
//! earlier entry. Lexicons match independently of each other. Phrases never cross a sentence
//! boundary, and URL / e-mail tokens never match.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::tokens::{Token, TokenKind};

/// FxHash maps (rustc-hash): fast for short keys; HashDoS is not a concern for lexicons, and
/// no map here is iterated into a result without sorting.
pub(crate) type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// One word of an entry as the trie sees it (already stemmed for stem lexicons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyWord {
    /// Compare with the token's stem.
    Stem(String),
    /// Compare with the token's norm.
    Norm(String),
    /// The token's norm must start with this.
    Prefix(String),
}

/// A compiled entry: which lexicon, its text, and the categories (with weights) it counts in.
#[derive(Debug, Clone)]
pub(crate) struct MatchEntry {
    /// Index of the lexicon among the matcher's lexicons.
    pub lexicon: usize,
    /// The normalized entry as written in the lexicon.
    pub text: String,
    /// (category index within the lexicon, weight) for each category listing the entry.
    pub cats: Vec<(usize, f64)>,
    /// Higher wins among entries of equal length: an exact word scores 1,000,000, a prefix
    /// its length in characters.
    pub specificity: u64,
}

/// A matched span: entry `entry` of lexicon `lexicon` covers tokens `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    /// Lexicon index among the matcher's lexicons.
    pub lexicon: u32,
    /// Entry index into [`Matcher::entries`].
    pub entry: u32,
    /// First token.
    pub start: u32,
    /// One past the last token.
    pub end: u32,
}

const KIND_STEM: u64 = 0;
const KIND_NORM: u64 = 1 << 32;
const KIND_PREFIX: u64 = 2 << 32;
const ROOT: u32 = 0;

/// The compiled trie for one language.
#[derive(Debug, Default)]
pub(crate) struct Matcher {
    words: FxMap<String, u32>,
    prefixes: FxMap<String, u32>,
    /// `prefixes` bucketed for look-up, built on the first [`Matcher::find`] after the last
    /// insert.
    prefix_index: OnceLock<PrefixIndex>,
    edges: FxMap<(u32, u64), u32>,
    terminals: Vec<Vec<u32>>,
    /// Compiled entries, indexed by [`Match::entry`].
    pub entries: Vec<MatchEntry>,
    max_len: usize,
    n_lexicons: usize,
    /// Read `ё` as `е` in norms and prefixes (Russian).
    fold_yo: bool,
}

/// The wildcard prefixes by their first `head` bytes, `head` being the shortest prefix's
/// length: a token's norm finds every prefix it starts with in one hash look-up, instead of
/// one look-up per distinct prefix length (the shipped lexicons have prefixes of 4 to 24 bytes).
#[derive(Debug, Default)]
struct PrefixIndex {
    head: usize,
    /// Each bucket sorted by length, so a token's prefix keys come shortest first.
    buckets: FxMap<Box<[u8]>, Bucket>,
}

/// The `(prefix, id)` pairs that share their first bytes.
type Bucket = Vec<(Box<[u8]>, u32)>;

impl PrefixIndex {
    fn new(prefixes: &FxMap<String, u32>) -> PrefixIndex {
        let Some(head) = prefixes.keys().map(String::len).min() else {
            return PrefixIndex::default();
        };
        let mut buckets: FxMap<Box<[u8]>, Bucket> = FxMap::default();
        for (p, &id) in prefixes {
            let p = p.as_bytes();
            buckets
                .entry(p[..head].into())
                .or_default()
                .push((p.into(), id));
        }
        for bucket in buckets.values_mut() {
            bucket.sort_unstable_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
        }
        PrefixIndex { head, buckets }
    }

    /// The ids of the prefixes `norm` starts with, shortest first. Comparing bytes is enough:
    /// a prefix is whole UTF-8, so where its bytes match, `norm` has a character boundary.
    fn matching<'a>(&'a self, norm: &'a str) -> impl Iterator<Item = u32> + 'a {
        let bytes = norm.as_bytes();
        bytes
            .get(..self.head)
            .and_then(|head| self.buckets.get(head))
            .into_iter()
            .flatten()
            .filter(move |(p, _)| bytes.starts_with(p))
            .map(|&(_, id)| id)
    }
}

/// Reusable per-document buffers.
#[derive(Default)]
pub(crate) struct Scratch {
    key_off: Vec<u32>,
    keys: Vec<u64>,
    active: Vec<u32>,
    next: Vec<u32>,
    best: Vec<Option<(u32, u64, u32)>>,
    touched: Vec<u32>,
    next_free: Vec<u32>,
}

impl Matcher {
    /// An empty matcher for `n_lexicons` lexicons.
    pub fn new(n_lexicons: usize) -> Matcher {
        Matcher {
            terminals: vec![Vec::new()],
            n_lexicons,
            ..Matcher::default()
        }
    }

    /// Reads `ё` as `е` from now on, in the entries inserted after this call and in tokens.
    pub fn fold_yo(&mut self) {
        self.fold_yo = true;
    }

    /// `s` with `ё` read as `е` when folding is on (same byte length: both are two bytes).
    fn folded<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.fold_yo && s.contains('ё') {
            Cow::Owned(s.replace('ё', "е"))
        } else {
            Cow::Borrowed(s)
        }
    }

    fn intern(map: &mut FxMap<String, u32>, s: &str) -> u32 {
        if let Some(&id) = map.get(s) {
            return id;
        }
        let id = map.len() as u32;
        map.insert(s.to_string(), id);
        id
    }

    /// Adds an entry whose words are `words`.
    pub fn insert(&mut self, entry: MatchEntry, words: &[KeyWord]) {
        let id = self.entries.len() as u32;
        let mut node = ROOT;
        for w in words {
            let key = match w {
                KeyWord::Stem(s) => KIND_STEM | u64::from(Self::intern(&mut self.words, s)),
                KeyWord::Norm(s) => {
                    let s = self.folded(s).into_owned();
                    KIND_NORM | u64::from(Self::intern(&mut self.words, &s))
                }
                KeyWord::Prefix(p) => {
                    let p = self.folded(p).into_owned();
                    self.prefix_index = OnceLock::new();
                    KIND_PREFIX | u64::from(Self::intern(&mut self.prefixes, &p))
                }
            };
            node = match self.edges.get(&(node, key)) {
                Some(&child) => child,
                None => {
                    let child = self.terminals.len() as u32;
                    self.terminals.push(Vec::new());
                    self.edges.insert((node, key), child);
                    child
                }
            };
        }
        self.terminals[node as usize].push(id);
        self.max_len = self.max_len.max(words.len());
        self.entries.push(entry);
    }

    /// Number of compiled entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Computes each token's keys once: stem, norm, and interned prefixes of the norm.
    fn token_keys(&self, tokens: &[Token], s: &mut Scratch) {
        s.key_off.clear();
        s.keys.clear();
        let prefixes = self
            .prefix_index
            .get_or_init(|| PrefixIndex::new(&self.prefixes));
        for t in tokens {
            s.key_off.push(s.keys.len() as u32);
            if !matches!(t.kind, TokenKind::Word | TokenKind::Number) {
                continue;
            }
            if let Some(&id) = self.words.get(t.stem.as_str()) {
                s.keys.push(KIND_STEM | u64::from(id));
            }
            // Entries are lowercase; with `lowercase = false` the token's norm keeps its case, so
            // match on a lowercase view (borrowed when the norm is lowercase already).
            let lower = crate::tokens::normalize::lowercase(&t.norm);
            let norm = self.folded(&lower);
            if let Some(&id) = self.words.get(norm.as_ref()) {
                s.keys.push(KIND_NORM | u64::from(id));
            }
            for id in prefixes.matching(&norm) {
                s.keys.push(KIND_PREFIX | u64::from(id));
            }
        }
        s.key_off.push(s.keys.len() as u32);
    }

    /// All matches in `tokens`, in order of start position, then lexicon.
    pub fn find(&self, tokens: &[Token], s: &mut Scratch) -> Vec<Match> {
        let mut out = Vec::new();
        if self.entries.is_empty() {
            return out;
        }
        self.token_keys(tokens, s);
        s.best.clear();
        s.best.resize(self.n_lexicons, None);
        s.next_free.clear();
        s.next_free.resize(self.n_lexicons, 0);
        let n = tokens.len();
        for i in 0..n {
            if s.key_off[i] == s.key_off[i + 1] {
                continue;
            }
            let sentence = tokens[i].sentence;
            s.active.clear();
            s.active.push(ROOT);
            s.touched.clear();
            for depth in 0..self.max_len {
                let t = i + depth;
                if t >= n || tokens[t].sentence != sentence {
                    break;
                }
                let keys = &s.keys[s.key_off[t] as usize..s.key_off[t + 1] as usize];
                s.next.clear();
                for &node in &s.active {
                    for &key in keys {
                        if let Some(&child) = self.edges.get(&(node, key)) {
                            s.next.push(child);
                        }
                    }
                }
                if s.next.is_empty() {
                    break;
                }
                let len = depth as u32 + 1;
                for &node in &s.next {
                    for &e in &self.terminals[node as usize] {
                        let entry = &self.entries[e as usize];
                        let l = entry.lexicon;
                        if s.next_free[l] as usize > i {
                            continue;
                        }
                        let cand = (len, entry.specificity, e);
                        match s.best[l] {
                            None => {
                                s.best[l] = Some(cand);
                                s.touched.push(l as u32);
                            }
                            Some((bl, bs, be)) => {
                                if (len, entry.specificity) > (bl, bs)
                                    || ((len, entry.specificity) == (bl, bs) && e < be)
                                {
                                    s.best[l] = Some(cand);
                                }
                            }
                        }
                    }
                }
                std::mem::swap(&mut s.active, &mut s.next);
            }
            s.touched.sort_unstable();
            for &l in &s.touched {
                if let Some((len, _, e)) = s.best[l as usize].take() {
                    out.push(Match {
                        lexicon: l,
                        entry: e,
                        start: i as u32,
                        end: i as u32 + len,
                    });
                    s.next_free[l as usize] = i as u32 + len;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::testutil::doc_en;

    fn entry(lexicon: usize, text: &str, spec: u64) -> MatchEntry {
        MatchEntry {
            lexicon,
            text: text.to_string(),
            cats: vec![(0, 1.0)],
            specificity: spec,
        }
    }

    #[test]
    fn longest_match_consumes_and_lexicons_are_independent() {
        let mut m = Matcher::new(2);
        m.insert(
            entry(0, "security", 1_000_000),
            &[KeyWord::Norm("security".into())],
        );
        m.insert(
            entry(0, "security guarantees", 2_000_000),
            &[
                KeyWord::Norm("security".into()),
                KeyWord::Norm("guarantees".into()),
            ],
        );
        m.insert(
            entry(1, "guarantee*", 9),
            &[KeyWord::Prefix("guarantee".into())],
        );
        let d = doc_en("security guarantees matter. security.");
        let mut s = Scratch::default();
        let got = m.find(&d.tokens, &mut s);
        assert_eq!(
            got,
            vec![
                Match {
                    lexicon: 0,
                    entry: 1,
                    start: 0,
                    end: 2
                },
                Match {
                    lexicon: 1,
                    entry: 2,
                    start: 1,
                    end: 2
                },
                Match {
                    lexicon: 0,
                    entry: 0,
                    start: 3,
                    end: 4
                },
            ]
        );
    }

    const VOCAB: [&str; 12] = [
        "red",
        "line",
        "lines",
        "threat",
        "threats",
        "threatening",
        "not",
        "мир",
        "мира",
        "угроза",
        "security",
        "guarantees",
    ];

    fn word_matches(k: &KeyWord, t: &Token) -> bool {
        matches!(t.kind, TokenKind::Word | TokenKind::Number)
            && match k {
                KeyWord::Stem(s) => &t.stem == s,
                KeyWord::Norm(s) => &t.norm == s,
                KeyWord::Prefix(p) => t.norm.starts_with(p.as_str()),
            }
    }

    /// O(tokens × entries) reference implementation of the leftmost-longest rule.
    fn naive(entries: &[(usize, Vec<KeyWord>, u64)], n_lex: usize, tokens: &[Token]) -> Vec<Match> {
        let mut out = Vec::new();
        for l in 0..n_lex {
            let mut i = 0;
            while i < tokens.len() {
                let mut best: Option<(usize, u64, std::cmp::Reverse<usize>)> = None;
                for (e, (lex, words, spec)) in entries.iter().enumerate() {
                    let k = words.len();
                    if *lex != l || i + k > tokens.len() {
                        continue;
                    }
                    let ok = (0..k).all(|j| {
                        tokens[i + j].sentence == tokens[i].sentence
                            && word_matches(&words[j], &tokens[i + j])
                    });
                    let cand = (k, *spec, std::cmp::Reverse(e));
                    if ok && best.is_none_or(|b| cand > b) {
                        best = Some(cand);
                    }
                }
                match best {
                    Some((k, _, std::cmp::Reverse(e))) => {
                        out.push(Match {
                            lexicon: l as u32,
                            entry: e as u32,
                            start: i as u32,
                            end: (i + k) as u32,
                        });
                        i += k;
                    }
                    None => i += 1,
                }
            }
        }
        out.sort_by_key(|m| (m.start, m.lexicon));
        out
    }

    proptest::proptest! {
        #[test]
        fn trie_agrees_with_naive_leftmost_longest(
            words in proptest::collection::vec((0..VOCAB.len(), proptest::bool::weighted(0.2)), 0..40),
            specs in proptest::collection::vec(
                // The last field: 0 for no wildcard, else the prefix length in characters, so
                // prefixes of several lengths (ASCII and Cyrillic) share the index's buckets.
                (0..2usize, proptest::collection::vec(0..VOCAB.len(), 1..4), 0..3u8, 0..6usize),
                1..12,
            ),
        ) {
            let text: Vec<String> = words
                .iter()
                .map(|&(w, end)| format!("{}{}", VOCAB[w], if end { "." } else { "" }))
                .collect();
            let d = crate::lexicon::testutil::doc(&text.join(" "), "en");
            let mut m = Matcher::new(2);
            let mut reference = Vec::new();
            for (lex, ws, mode, wildcard) in specs {
                let mut keys = Vec::new();
                let mut spec = 0;
                for (j, &w) in ws.iter().enumerate() {
                    let word = VOCAB[w];
                    if wildcard > 0 && j + 1 == ws.len() {
                        let p: String = word.chars().take(wildcard).collect();
                        spec += p.chars().count() as u64;
                        keys.push(KeyWord::Prefix(p));
                    } else if mode == 0 {
                        spec += 1_000_000;
                        keys.push(KeyWord::Stem(crate::lexicon::testutil::stem("en", word)));
                    } else {
                        spec += 1_000_000;
                        keys.push(KeyWord::Norm(word.to_string()));
                    }
                }
                m.insert(entry(lex, "e", spec), &keys);
                reference.push((lex, keys, spec));
            }
            let got = m.find(&d.tokens, &mut Scratch::default());
            proptest::prop_assert_eq!(got, naive(&reference, 2, &d.tokens));
        }
    }

    #[test]
    fn phrases_do_not_cross_sentences() {
        let mut m = Matcher::new(1);
        m.insert(
            entry(0, "red line", 2_000_000),
            &[KeyWord::Norm("red".into()), KeyWord::Norm("line".into())],
        );
        let d = doc_en("a red. line here. красная red line");
        let got = m.find(&d.tokens, &mut Scratch::default());
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].start, got[0].end), (5, 7));
    }
}
