//! Scoring documents against several lexicons in one pass, with the rules the field relies on.
//!
//! [`Scorer::new`] compiles the lexicons once per language (entries normalized, stem-lexicon
//! words stemmed with the caller's stemmer so they equal the tokenizer's stems) into one trie
//! per language (module `matcher`). [`Scorer::score`] runs that trie once over a document's
//! tokens and turns the matched spans into [`DocScores`]:
//!
//! * `n_tokens` = number of `Word` and `Number` tokens of the document, stopwords included
//!   (URLs and e-mails excluded). It is the denominator of `per_1k` and net tone.
//! * Per lexicon and category: `hits` (counted hits), `negated_hits`, `per_1k = hits / n_tokens
//!   × 1000`, `share = hits / Σ hits over the lexicon's categories` (0 when the lexicon has no
//!   hit), `weighted_sum` = Σ of the final weights of the hits counted in the category.
//! * Negation (polar categories of polar and weighted lexicons only): a hit is negated when a
//!   negator occurs within `negation-window` tokens before its first token, in the same
//!   sentence. One negator or several make no difference. A negated hit of category `c` adds
//!   1 to `c.negated_hits` and, if the lexicon has a category of the opposite polarity (the
//!   first such category in file order, `o`), 1 to `o.hits` with the negated weight in
//!   `o.weighted_sum`; it is never also an un-negated hit of `c`. This is Lexicoder's rule
//!   (Young & Soroka 2012: "not good" counts as negative). The negated weight is `-w` in `flip`
//!   mode and `w × -0.74` in `vader` mode (Hutto & Gilbert 2014). With no opposite category
//!   the negated hit appears only in `negated_hits`.
//! * Boosters and dampeners (polar categories of weighted lexicons): each booster at distance
//!   `d` (1 = the token right before the hit) within the window adds `b × f(d)` to `|w|`, each
//!   dampener subtracts `m × f(d)`, with `f(d) = max(0, 1 − 0.05 (d − 1))` (VADER: 1, 0.95, 0.9
//!   for distances 1–3; `b`, `m` default 0.293). So `w' = w + sign(w) × Σ`. Negation is applied
//!   after boosting, as in VADER.
//! * Non-polar categories are neither negated nor boosted: their hits are counted with the
//!   entry's weight as is.
//! * Tone (lexicons with at least one polar category): `pos` = Σ hits of positive categories,
//!   `neg` = Σ hits of negative categories; net tone `(pos − neg) / n_tokens × 100` (Young &
//!   Soroka 2012); logit tone `ln((pos + 0.5) / (neg + 0.5))` (Lowe, Benoit, Mikhaylov & Laver
//!   2011; Proksch, Lowe, Wäckerle & Soroka 2019); for weighted lexicons `mean_valence` = Σ
//!   weighted sums of polar categories / (pos + neg), i.e. the mean final weight of the polar
//!   hits (`None` when there is none, and for polar lexicons).
//! * Scare quotes: a category with `special = "scare-quotes"` counts the document's quotations
//!   of 1..=`scare-quote-max-words` tokens (weight 1 each); the quoted words (norms joined by
//!   spaces) are recorded as its entries.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::config::{NegationMode, ScoringConfig, VADER_NEGATION_SCALAR};
use super::matcher::{KeyWord, MatchEntry, Matcher, Scratch};
use super::model::{parse_entry, LexiconKind, MatchMode, Polarity, Special, Word};
use super::{Lexicon, LexiconError};
use crate::tokens::{Token, TokenKind, TokenizedDoc};

/// One category's scores in one document (a row of the `scores` table).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    /// Lexicon name.
    pub lexicon: String,
    /// Category name.
    pub category: String,
    /// Counted hits (un-negated own hits plus negated hits flipped in from the opposite
    /// polarity).
    pub hits: u32,
    /// Hits of this category that were negated (and counted in the opposite category).
    pub negated_hits: u32,
    /// `hits / n_tokens × 1000` (0 for an empty document).
    pub per_1k: f64,
    /// `hits / Σ hits of the lexicon's categories` (0 when the lexicon has no hit).
    pub share: f64,
    /// Σ final weights of the counted hits (after boosters, dampeners and negation).
    pub weighted_sum: f64,
}

/// One category's hits in one sentence (a row of the `sentence_scores` table).
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceScore {
    /// Zero-based sentence index.
    pub sentence: u32,
    /// Lexicon name.
    pub lexicon: String,
    /// Category name.
    pub category: String,
    /// Counted hits in the sentence.
    pub hits: u32,
    /// Negated hits of this category in the sentence.
    pub negated_hits: u32,
    /// Σ final weights of the counted hits in the sentence.
    pub weighted_sum: f64,
    /// The sentence's net tone for this lexicon, `(pos − neg) / n_tokens(sentence) × 100`;
    /// 0 for lexicons without polar categories.
    pub tone: f64,
}

/// Document tone for one polar or weighted lexicon (columns of the `scores` table).
#[derive(Debug, Clone, PartialEq)]
pub struct ToneScore {
    /// Lexicon name.
    pub lexicon: String,
    /// Σ hits of positive categories.
    pub pos: u32,
    /// Σ hits of negative categories.
    pub neg: u32,
    /// `(pos − neg) / n_tokens × 100` (Young & Soroka 2012); 0 for an empty document.
    pub net_tone: f64,
    /// `ln((pos + 0.5) / (neg + 0.5))` (Lowe et al. 2011; Proksch et al. 2019).
    pub logit_tone: f64,
    /// Mean final weight of the polar hits (weighted lexicons with at least one hit).
    pub mean_valence: Option<f64>,
}

/// How often one entry matched in one category of one document (the `lexicon_coverage`
/// table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryMatch {
    /// Lexicon name.
    pub lexicon: String,
    /// The category that lists the entry.
    pub category: String,
    /// The normalized entry (for scare quotes: the quoted words).
    pub entry: String,
    /// Matches of the entry, negated ones included.
    pub count: u32,
    /// How many of those were negated.
    pub negated: u32,
}

/// Everything [`Scorer::score`] measures in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocScores {
    /// Word and number tokens in the document: the denominator of `per_1k` and tone.
    pub n_tokens: usize,
    /// One row for every category of every applicable lexicon, zeros included; lexicons in
    /// the order given to [`Scorer::new`], categories in file order.
    pub rows: Vec<CategoryScore>,
    /// Rows with `hits + negated_hits > 0`, ordered by lexicon, sentence, category.
    pub sentences: Vec<SentenceScore>,
    /// One row per applicable lexicon with polar categories, in lexicon order.
    pub tone: Vec<ToneScore>,
    /// Entries that matched, by lexicon, category (file order), entry (sorted).
    pub entry_matches: Vec<EntryMatch>,
}

struct LexInfo {
    name: String,
    kind: LexiconKind,
    /// (name, effective polarity, special) per category.
    categories: Vec<(String, Option<Polarity>, Option<Special>)>,
    /// For each category, the first category of the opposite polarity.
    opposite: Vec<Option<usize>>,
    has_polar: bool,
}

struct LangSet {
    /// Global lexicon indices, in order; position = matcher lexicon index.
    lexicons: Vec<usize>,
    matcher: Matcher,
    negators: HashSet<String>,
    negator_suffixes: Vec<String>,
    boosters: FxHashMap<String, f64>,
    dampeners: FxHashMap<String, f64>,
}

/// Lexicons compiled for scoring, with the scoring configuration.
pub struct Scorer {
    lexicons: Vec<LexInfo>,
    langs: BTreeMap<String, LangSet>,
    window: usize,
    negation: NegationMode,
    scare_max: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    hits: u32,
    negated: u32,
    wsum: f64,
}

impl Scorer {
    /// Compiles `lexicons` for scoring. `stem(language, word)` must be the tokenizer's stemmer
    /// (same Snowball algorithm per language), so stems of entries equal stems of tokens; it
    /// is called for every non-wildcard word of stem lexicons, once per language of the
    /// lexicon. Fails on two lexicons with one name that are not language versions of one scheme
    /// (see [`super::builtin::check_versions`]), a malformed entry, or
    /// `scare-quote-max-words = 0`.
    pub fn new(
        lexicons: Vec<Lexicon>,
        config: &ScoringConfig,
        stem: &mut dyn FnMut(&str, &str) -> String,
    ) -> Result<Scorer, LexiconError> {
        if config.scare_quote_max_words == 0 {
            return Err(LexiconError::Config {
                message: "scare-quote-max-words must be at least 1".to_string(),
            });
        }
        super::builtin::check_versions(&lexicons)?;
        let mut infos = Vec::with_capacity(lexicons.len());
        for lex in &lexicons {
            let categories: Vec<_> = lex
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.name.clone(), lex.effective_polarity(i), c.special))
                .collect();
            let opposite = categories
                .iter()
                .map(|(_, p, _)| {
                    p.and_then(|p| {
                        categories
                            .iter()
                            .position(|(_, q, _)| *q == Some(p.opposite()))
                    })
                })
                .collect();
            let has_polar = categories.iter().any(|(_, p, _)| p.is_some());
            infos.push(LexInfo {
                name: lex.header.name.clone(),
                kind: lex.header.kind,
                categories,
                opposite,
                has_polar,
            });
        }

        let mut languages: Vec<String> = lexicons
            .iter()
            .flat_map(|l| l.header.languages.iter().map(|s| s.to_lowercase()))
            .collect();
        languages.sort();
        languages.dedup();
        let mut langs = BTreeMap::new();
        for lang in languages {
            let members: Vec<usize> = (0..lexicons.len())
                .filter(|&i| lexicons[i].applies_to(&lang))
                .collect();
            let mut matcher = Matcher::new(members.len());
            if crate::tokens::Language::from_code(&lang) == Some(crate::tokens::Language::Russian) {
                matcher.fold_yo();
            }
            for (local, &global) in members.iter().enumerate() {
                compile_lexicon(&lexicons[global], local, &lang, stem, &mut matcher)?;
            }
            let negators_all = config.negators.get(&lang).cloned().unwrap_or_default();
            let mut negators = HashSet::new();
            let mut negator_suffixes = Vec::new();
            for n in negators_all {
                let n = super::model::normalize_entry(&n);
                match n.strip_prefix('*') {
                    Some(suffix) => negator_suffixes.push(suffix.to_string()),
                    None => {
                        negators.insert(n);
                    }
                }
            }
            let modifiers = |m: &BTreeMap<String, BTreeMap<String, f64>>| {
                m.get(&lang)
                    .map(|ws| {
                        ws.iter()
                            .map(|(w, v)| (super::model::normalize_entry(w), *v))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            langs.insert(
                lang.clone(),
                LangSet {
                    lexicons: members,
                    matcher,
                    negators,
                    negator_suffixes,
                    boosters: modifiers(&config.boosters),
                    dampeners: modifiers(&config.dampeners),
                },
            );
        }
        Ok(Scorer {
            lexicons: infos,
            langs,
            window: config.negation_window,
            negation: config.negation,
            scare_max: config.scare_quote_max_words,
        })
    }

    /// Names of the compiled lexicons, in order.
    pub fn lexicon_names(&self) -> Vec<&str> {
        self.lexicons.iter().map(|l| l.name.as_str()).collect()
    }

    /// Names of the lexicons applied to documents in `language`, in order.
    pub fn lexicons_for(&self, language: &str) -> Vec<&str> {
        self.langs
            .get(&language.to_lowercase())
            .map(|s| {
                s.lexicons
                    .iter()
                    .map(|&g| self.lexicons[g].name.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Number of compiled entries for `language` (over all its lexicons).
    pub fn n_entries(&self, language: &str) -> usize {
        self.langs
            .get(&language.to_lowercase())
            .map(|s| s.matcher.len())
            .unwrap_or(0)
    }

    /// Scores one document written in `language` (ISO 639-1). Lexicons that do not list the
    /// language are not applied and produce no rows. See the module documentation for every
    /// formula.
    pub fn score(&self, doc: &TokenizedDoc, language: &str) -> DocScores {
        let tokens = &doc.tokens;
        let counted = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::Number);
        let n_tokens = tokens.iter().filter(|t| counted(t)).count();
        let Some(set) = self.langs.get(&language.to_lowercase()) else {
            return DocScores {
                n_tokens,
                ..DocScores::default()
            };
        };
        let n_sent = tokens
            .iter()
            .map(|t| t.sentence as usize + 1)
            .max()
            .unwrap_or(0)
            .max(doc.n_sentences as usize);
        let mut sent_tokens = vec![0u32; n_sent];
        for t in tokens.iter().filter(|t| counted(t)) {
            sent_tokens[t.sentence as usize] += 1;
        }

        let mut acc: Vec<Vec<Acc>> = set
            .lexicons
            .iter()
            .map(|&g| vec![Acc::default(); self.lexicons[g].categories.len()])
            .collect();
        // (local lexicon, sentence, category)
        let mut sent_acc: BTreeMap<(usize, u32, usize), Acc> = BTreeMap::new();
        // (local lexicon, category, entry index) -> (count, negated)
        let mut entry_acc: FxHashMap<(usize, usize, u32), (u32, u32)> = FxHashMap::default();
        // (local lexicon, category, quoted words) -> count
        let mut quote_acc: BTreeMap<(usize, usize, String), u32> = BTreeMap::new();

        let matches = set.matcher.find(tokens, &mut Scratch::default());
        for m in &matches {
            let local = m.lexicon as usize;
            let info = &self.lexicons[set.lexicons[local]];
            let entry = &set.matcher.entries[m.entry as usize];
            let start = m.start as usize;
            let sentence = tokens[start].sentence;
            let polar_entry = entry
                .cats
                .iter()
                .any(|(c, _)| info.categories[*c].1.is_some());
            let negated = polar_entry && self.negated(set, tokens, start);
            let boost = if polar_entry && info.kind == LexiconKind::Weighted {
                self.boost(set, tokens, start)
            } else {
                0.0
            };
            for &(c, w) in &entry.cats {
                if info.categories[c].2 == Some(Special::Exclude) {
                    // Consumed its words; counts nowhere.
                    continue;
                }
                let e = entry_acc.entry((local, c, m.entry)).or_default();
                e.0 += 1;
                if info.categories[c].1.is_none() {
                    add(&mut acc[local][c], &mut sent_acc, (local, sentence, c), w);
                    continue;
                }
                let w1 = if w != 0.0 { w + w.signum() * boost } else { w };
                if !negated {
                    add(&mut acc[local][c], &mut sent_acc, (local, sentence, c), w1);
                    continue;
                }
                e.1 += 1;
                acc[local][c].negated += 1;
                sent_acc.entry((local, sentence, c)).or_default().negated += 1;
                let w2 = match self.negation {
                    NegationMode::Flip => -w1,
                    NegationMode::Vader => w1 * VADER_NEGATION_SCALAR,
                };
                if let Some(o) = info.opposite[c] {
                    add(&mut acc[local][o], &mut sent_acc, (local, sentence, o), w2);
                }
            }
        }

        // Scare quotes.
        for (local, &g) in set.lexicons.iter().enumerate() {
            let info = &self.lexicons[g];
            for (c, (_, _, special)) in info.categories.iter().enumerate() {
                if *special != Some(Special::ScareQuotes) {
                    continue;
                }
                for q in &doc.quotes {
                    let (first, end) = (q.first_token as usize, q.end_token as usize);
                    let len = end.saturating_sub(first);
                    if len == 0 || len > self.scare_max || end > tokens.len() {
                        continue;
                    }
                    let sentence = tokens[first].sentence;
                    add(&mut acc[local][c], &mut sent_acc, (local, sentence, c), 1.0);
                    let words: Vec<&str> =
                        tokens[first..end].iter().map(|t| t.norm.as_str()).collect();
                    *quote_acc.entry((local, c, words.join(" "))).or_default() += 1;
                }
            }
        }

        let mut out = DocScores {
            n_tokens,
            ..DocScores::default()
        };
        for (local, &g) in set.lexicons.iter().enumerate() {
            let info = &self.lexicons[g];
            let total: u32 = acc[local].iter().map(|a| a.hits).sum();
            for (c, (cname, _, special)) in info.categories.iter().enumerate() {
                if *special == Some(Special::Exclude) {
                    continue;
                }
                let a = acc[local][c];
                out.rows.push(CategoryScore {
                    lexicon: info.name.clone(),
                    category: cname.clone(),
                    hits: a.hits,
                    negated_hits: a.negated,
                    per_1k: ratio(a.hits, n_tokens as u32) * 1000.0,
                    share: ratio(a.hits, total),
                    weighted_sum: a.wsum,
                });
            }
            if info.has_polar {
                let (pos, neg, wsum) = polar_totals(info, &acc[local]);
                out.tone.push(ToneScore {
                    lexicon: info.name.clone(),
                    pos,
                    neg,
                    net_tone: net_tone(pos, neg, n_tokens as u32),
                    logit_tone: logit_tone(pos, neg),
                    mean_valence: (info.kind == LexiconKind::Weighted && pos + neg > 0)
                        .then(|| wsum / f64::from(pos + neg)),
                });
            }
        }

        // Sentence rows with the sentence's tone per lexicon.
        let mut sent_tone: FxHashMap<(usize, u32), (u32, u32)> = FxHashMap::default();
        for (&(local, s, c), a) in &sent_acc {
            match self.lexicons[set.lexicons[local]].categories[c].1 {
                Some(Polarity::Positive) => sent_tone.entry((local, s)).or_default().0 += a.hits,
                Some(Polarity::Negative) => sent_tone.entry((local, s)).or_default().1 += a.hits,
                None => {}
            }
        }
        for (&(local, s, c), a) in &sent_acc {
            if a.hits + a.negated == 0 {
                continue;
            }
            let info = &self.lexicons[set.lexicons[local]];
            let (pos, neg) = sent_tone.get(&(local, s)).copied().unwrap_or((0, 0));
            out.sentences.push(SentenceScore {
                sentence: s,
                lexicon: info.name.clone(),
                category: info.categories[c].0.clone(),
                hits: a.hits,
                negated_hits: a.negated,
                weighted_sum: a.wsum,
                tone: net_tone(pos, neg, sent_tokens.get(s as usize).copied().unwrap_or(0)),
            });
        }

        // Entry matches: sort by (lexicon, category, entry text).
        let mut rows: Vec<(usize, usize, String, u32, u32)> = entry_acc
            .into_iter()
            .map(|((l, c, e), (n, neg))| {
                (l, c, set.matcher.entries[e as usize].text.clone(), n, neg)
            })
            .collect();
        rows.extend(
            quote_acc
                .into_iter()
                .map(|((l, c, words), n)| (l, c, words, n, 0)),
        );
        rows.sort();
        for (l, c, entry, count, negated) in rows {
            let info = &self.lexicons[set.lexicons[l]];
            out.entry_matches.push(EntryMatch {
                lexicon: info.name.clone(),
                category: info.categories[c].0.clone(),
                entry,
                count,
                negated,
            });
        }
        out
    }

    /// True when a negator occurs within the window before token `start`, in its sentence.
    fn negated(&self, set: &LangSet, tokens: &[Token], start: usize) -> bool {
        let sentence = tokens[start].sentence;
        (1..=self.window)
            .map_while(|d| start.checked_sub(d))
            .take_while(|&t| tokens[t].sentence == sentence)
            .any(|t| {
                let norm = crate::tokens::normalize::lowercase(&tokens[t].norm);
                let norm = norm.as_ref();
                set.negators.contains(norm)
                    || set
                        .negator_suffixes
                        .iter()
                        .any(|s| norm.ends_with(s.as_str()))
            })
    }

    /// Σ booster × f(d) − Σ dampener × f(d) over the window before `start` (see module doc).
    fn boost(&self, set: &LangSet, tokens: &[Token], start: usize) -> f64 {
        let sentence = tokens[start].sentence;
        let mut total = 0.0;
        for d in 1..=self.window {
            let Some(t) = start.checked_sub(d) else { break };
            if tokens[t].sentence != sentence {
                break;
            }
            let decay = (1.0 - 0.05 * (d as f64 - 1.0)).max(0.0);
            let norm = crate::tokens::normalize::lowercase(&tokens[t].norm);
            let norm = norm.as_ref();
            if let Some(b) = set.boosters.get(norm) {
                total += b * decay;
            }
            if let Some(m) = set.dampeners.get(norm) {
                total -= m * decay;
            }
        }
        total
    }
}

fn add(
    a: &mut Acc,
    sent: &mut BTreeMap<(usize, u32, usize), Acc>,
    key: (usize, u32, usize),
    w: f64,
) {
    a.hits += 1;
    a.wsum += w;
    let s = sent.entry(key).or_default();
    s.hits += 1;
    s.wsum += w;
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// Net tone, `(pos − neg) / n × 100` (Young & Soroka 2012); 0 when `n` is 0.
pub fn net_tone(pos: u32, neg: u32, n: u32) -> f64 {
    if n == 0 {
        0.0
    } else {
        (f64::from(pos) - f64::from(neg)) / f64::from(n) * 100.0
    }
}

/// Logit tone, `ln((pos + 0.5) / (neg + 0.5))` (Lowe et al. 2011; Proksch et al. 2019).
pub fn logit_tone(pos: u32, neg: u32) -> f64 {
    ((f64::from(pos) + 0.5) / (f64::from(neg) + 0.5)).ln()
}

fn polar_totals(info: &LexInfo, acc: &[Acc]) -> (u32, u32, f64) {
    let (mut pos, mut neg, mut wsum) = (0, 0, 0.0);
    for (c, (_, p, _)) in info.categories.iter().enumerate() {
        match p {
            Some(Polarity::Positive) => {
                pos += acc[c].hits;
                wsum += acc[c].wsum;
            }
            Some(Polarity::Negative) => {
                neg += acc[c].hits;
                wsum += acc[c].wsum;
            }
            None => {}
        }
    }
    (pos, neg, wsum)
}

/// Adds every entry of `lex` (as lexicon `local` of the matcher) for `lang`.
fn compile_lexicon(
    lex: &Lexicon,
    local: usize,
    lang: &str,
    stem: &mut dyn FnMut(&str, &str) -> String,
    matcher: &mut Matcher,
) -> Result<(), LexiconError> {
    // entry text -> index into `pending`, to merge an entry listed in several categories.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut pending: Vec<(MatchEntry, Vec<KeyWord>)> = Vec::new();
    for (ci, cat) in lex.categories.iter().enumerate() {
        if cat.special.is_some() {
            continue;
        }
        for entry in &cat.entries {
            let w = lex.weight(entry, ci);
            if let Some(&i) = index.get(entry.as_str()) {
                if !pending[i].0.cats.iter().any(|(c, _)| *c == ci) {
                    pending[i].0.cats.push((ci, w));
                }
                continue;
            }
            let words = parse_entry(entry).map_err(|message| LexiconError::Config {
                message: format!("lexicon \"{}\": {message}", lex.header.name),
            })?;
            let mut specificity = 0u64;
            let keys: Vec<KeyWord> = words
                .into_iter()
                .map(|w| match w {
                    Word::Exact(s) => {
                        specificity += 1_000_000;
                        match lex.header.match_mode {
                            MatchMode::Stem => KeyWord::Stem(stem(lang, &s)),
                            MatchMode::Surface => KeyWord::Norm(s),
                        }
                    }
                    Word::Prefix(p) => {
                        specificity += p.chars().count() as u64;
                        KeyWord::Prefix(p)
                    }
                })
                .collect();
            index.insert(entry, pending.len());
            pending.push((
                MatchEntry {
                    lexicon: local,
                    text: entry.clone(),
                    cats: vec![(ci, w)],
                    specificity,
                },
                keys,
            ));
        }
    }
    for (entry, keys) in pending {
        matcher.insert(entry, &keys);
    }
    Ok(())
}
