//! The lexicon stage's output tables: `scores`, `sentence_scores` and `tone` (streamed, one row
//! group per batch of documents) and `lexicon_coverage` (aggregated over the corpus).
//!
//! Columns are documented in `notebooks-data/README.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;

use super::DocScores;
use crate::tables::{polars_err, OutputDir, TableError, TableWriter};

/// Buffers score rows for one batch of documents and writes them as row groups.
pub struct ScoreTables {
    scores: TableWriter,
    sentences: TableWriter,
    tone: TableWriter,
    buf: Buffers,
    /// Lexicon and category names, interned: a row stores their index, so buffering a row
    /// allocates nothing (there are tens of rows per document).
    names: Vec<String>,
    name_ids: HashMap<String, u32>,
}

/// The buffered rows. String columns hold indices: `*_doc` into `docs`, `*_lex` and `*_cat`
/// into [`ScoreTables::names`].
#[derive(Default)]
struct Buffers {
    docs: Vec<String>,
    // scores
    s_doc: Vec<u32>,
    s_lex: Vec<u32>,
    s_cat: Vec<u32>,
    s_hits: Vec<u32>,
    s_neg: Vec<u32>,
    s_per1k: Vec<f64>,
    s_share: Vec<f64>,
    s_wsum: Vec<f64>,
    // sentence_scores
    t_doc: Vec<u32>,
    t_sent: Vec<u32>,
    t_lex: Vec<u32>,
    t_cat: Vec<u32>,
    t_hits: Vec<u32>,
    t_neg: Vec<u32>,
    t_wsum: Vec<f64>,
    t_tone: Vec<f64>,
    // tone
    n_doc: Vec<u32>,
    n_lex: Vec<u32>,
    n_tokens: Vec<u32>,
    n_pos: Vec<u32>,
    n_neg: Vec<u32>,
    n_net: Vec<f64>,
    n_logit: Vec<f64>,
    n_valence: Vec<Option<f64>>,
}

/// A table schema from `(name, type)` pairs.
pub(crate) fn schema(fields: &[(&str, DataType)]) -> Schema {
    fields
        .iter()
        .map(|(n, t)| Field::new((*n).into(), t.clone()))
        .collect()
}

/// `key` followed by `fields`: the score tables are keyed by `doc_id`, a shard's partial copies
/// of them by `record` (`crate::shard`), with the same columns after the key.
pub(crate) fn keyed_schema(key: (&str, DataType), fields: &[(&str, DataType)]) -> Schema {
    std::iter::once(&key)
        .chain(fields)
        .map(|(n, t)| Field::new((*n).into(), t.clone()))
        .collect()
}

/// The columns of `scores` after its key.
pub(crate) fn score_columns() -> [(&'static str, DataType); 7] {
    use DataType::{Float64, String as Str, UInt32};
    [
        ("lexicon", Str),
        ("category", Str),
        ("hits", UInt32),
        ("negated_hits", UInt32),
        ("per_1k", Float64),
        ("share", Float64),
        ("weighted_sum", Float64),
    ]
}

/// The columns of `sentence_scores` after its key.
pub(crate) fn sentence_columns() -> [(&'static str, DataType); 7] {
    use DataType::{Float64, String as Str, UInt32};
    [
        ("sentence", UInt32),
        ("lexicon", Str),
        ("category", Str),
        ("hits", UInt32),
        ("negated_hits", UInt32),
        ("weighted_sum", Float64),
        ("tone", Float64),
    ]
}

/// A string column from indices into `strings`.
fn strings(name: &str, ids: &[u32], strings: &[String]) -> Column {
    Column::new(
        name.into(),
        ids.iter()
            .map(|&i| strings[i as usize].as_str())
            .collect::<Vec<&str>>(),
    )
}

impl ScoreTables {
    /// Opens the three streamed tables in `out`.
    pub fn create(out: &mut OutputDir) -> Result<ScoreTables, TableError> {
        use DataType::{Float64, String as Str, UInt32};
        let scores = out.writer("scores", &keyed_schema(("doc_id", Str), &score_columns()))?;
        let sentences = out.writer(
            "sentence_scores",
            &keyed_schema(("doc_id", Str), &sentence_columns()),
        )?;
        let tone = out.writer(
            "tone",
            &schema(&[
                ("doc_id", Str),
                ("lexicon", Str),
                ("n_tokens", UInt32),
                ("positive", UInt32),
                ("negative", UInt32),
                ("net_tone", Float64),
                ("logit_tone", Float64),
                ("mean_valence", Float64),
            ]),
        )?;
        Ok(ScoreTables {
            scores,
            sentences,
            tone,
            buf: Buffers::default(),
            names: Vec::new(),
            name_ids: HashMap::new(),
        })
    }

    fn name(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.name_ids.insert(name.to_string(), id);
        id
    }

    /// Adds one document's rows.
    pub fn add(&mut self, doc_id: &str, s: &DocScores) {
        let doc = self.buf.docs.len() as u32;
        self.buf.docs.push(doc_id.to_string());
        for r in &s.rows {
            let (lex, cat) = (self.name(&r.lexicon), self.name(&r.category));
            let b = &mut self.buf;
            b.s_doc.push(doc);
            b.s_lex.push(lex);
            b.s_cat.push(cat);
            b.s_hits.push(r.hits);
            b.s_neg.push(r.negated_hits);
            b.s_per1k.push(r.per_1k);
            b.s_share.push(r.share);
            b.s_wsum.push(r.weighted_sum);
        }
        for r in &s.sentences {
            let (lex, cat) = (self.name(&r.lexicon), self.name(&r.category));
            let b = &mut self.buf;
            b.t_doc.push(doc);
            b.t_sent.push(r.sentence);
            b.t_lex.push(lex);
            b.t_cat.push(cat);
            b.t_hits.push(r.hits);
            b.t_neg.push(r.negated_hits);
            b.t_wsum.push(r.weighted_sum);
            b.t_tone.push(r.tone);
        }
        for r in &s.tone {
            let lex = self.name(&r.lexicon);
            let b = &mut self.buf;
            b.n_doc.push(doc);
            b.n_lex.push(lex);
            b.n_tokens.push(s.n_tokens as u32);
            b.n_pos.push(r.pos);
            b.n_neg.push(r.neg);
            b.n_net.push(r.net_tone);
            b.n_logit.push(r.logit_tone);
            b.n_valence.push(r.mean_valence);
        }
    }

    /// Writes the buffered rows as one row group per table.
    pub fn flush(&mut self) -> Result<(), TableError> {
        let b = std::mem::take(&mut self.buf);
        let names = &self.names;
        if !b.s_doc.is_empty() {
            let df = DataFrame::new(vec![
                strings("doc_id", &b.s_doc, &b.docs),
                strings("lexicon", &b.s_lex, names),
                strings("category", &b.s_cat, names),
                Column::new("hits".into(), b.s_hits),
                Column::new("negated_hits".into(), b.s_neg),
                Column::new("per_1k".into(), b.s_per1k),
                Column::new("share".into(), b.s_share),
                Column::new("weighted_sum".into(), b.s_wsum),
            ])
            .map_err(polars_err("scores"))?;
            self.scores.write(&df)?;
        }
        if !b.t_doc.is_empty() {
            let df = DataFrame::new(vec![
                strings("doc_id", &b.t_doc, &b.docs),
                Column::new("sentence".into(), b.t_sent),
                strings("lexicon", &b.t_lex, names),
                strings("category", &b.t_cat, names),
                Column::new("hits".into(), b.t_hits),
                Column::new("negated_hits".into(), b.t_neg),
                Column::new("weighted_sum".into(), b.t_wsum),
                Column::new("tone".into(), b.t_tone),
            ])
            .map_err(polars_err("sentence_scores"))?;
            self.sentences.write(&df)?;
        }
        if !b.n_doc.is_empty() {
            let df = DataFrame::new(vec![
                strings("doc_id", &b.n_doc, &b.docs),
                strings("lexicon", &b.n_lex, names),
                Column::new("n_tokens".into(), b.n_tokens),
                Column::new("positive".into(), b.n_pos),
                Column::new("negative".into(), b.n_neg),
                Column::new("net_tone".into(), b.n_net),
                Column::new("logit_tone".into(), b.n_logit),
                Column::new("mean_valence".into(), b.n_valence),
            ])
            .map_err(polars_err("tone"))?;
            self.tone.write(&df)?;
        }
        Ok(())
    }

    /// Flushes and closes the tables.
    pub fn finish(mut self) -> Result<(), TableError> {
        self.flush()?;
        self.scores.finish()?;
        self.sentences.finish()?;
        self.tone.finish()
    }
}

/// `entry -> (matches, negated matches)` of one category.
type EntryCounts = BTreeMap<String, (u64, u64)>;

/// Which entries matched how often, over the whole corpus: what drove each score.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// `lexicon -> category -> entry -> (matches, negated matches)`. Nested so that a look-up
    /// by `&str` needs no allocation; iterating gives (lexicon, category, entry) order.
    entries: BTreeMap<String, BTreeMap<String, EntryCounts>>,
    /// `lexicon -> (tokens in the documents it applies to, documents)`.
    tokens: BTreeMap<String, (u64, u64)>,
    /// `(lexicon, category)` in the order first seen (file order), for printing.
    order: Vec<(String, String)>,
    /// The keys of `order` (`lexicon -> categories`), for a look-up that does not scan it.
    ordered: BTreeMap<String, BTreeSet<String>>,
}

/// One category's line of `framelens lexicon coverage`.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryCoverage {
    /// Lexicon name.
    pub lexicon: String,
    /// Category name.
    pub category: String,
    /// Matches (a phrase counts once), negated ones included.
    pub matches: u64,
    /// Tokens covered by the matches (a phrase counts its words), negated ones included.
    pub tokens_matched: u64,
    /// `tokens_matched / tokens × 100`, over the documents the lexicon applies to: LIWC's "Dic"
    /// share for one category.
    pub percent_of_tokens: f64,
    /// The most frequent entries, most matches first (ties: alphabetical).
    pub top: Vec<(String, u64)>,
}

impl Coverage {
    /// Adds one document's matches.
    pub fn add(&mut self, s: &DocScores) {
        let mut seen_lexicons: Vec<&str> = Vec::new();
        for r in &s.rows {
            let known = self
                .ordered
                .get(r.lexicon.as_str())
                .is_some_and(|cats| cats.contains(r.category.as_str()));
            if !known {
                self.ordered
                    .entry(r.lexicon.clone())
                    .or_default()
                    .insert(r.category.clone());
                self.order.push((r.lexicon.clone(), r.category.clone()));
            }
            if !seen_lexicons.contains(&r.lexicon.as_str()) {
                seen_lexicons.push(&r.lexicon);
                match self.tokens.get_mut(r.lexicon.as_str()) {
                    Some(t) => {
                        t.0 += s.n_tokens as u64;
                        t.1 += 1;
                    }
                    None => {
                        self.tokens
                            .insert(r.lexicon.clone(), (s.n_tokens as u64, 1));
                    }
                }
            }
        }
        for m in &s.entry_matches {
            let cats = match self.entries.get_mut(m.lexicon.as_str()) {
                Some(c) => c,
                None => self.entries.entry(m.lexicon.clone()).or_default(),
            };
            let entries = match cats.get_mut(m.category.as_str()) {
                Some(e) => e,
                None => cats.entry(m.category.clone()).or_default(),
            };
            let e = match entries.get_mut(m.entry.as_str()) {
                Some(e) => e,
                None => entries.entry(m.entry.clone()).or_default(),
            };
            e.0 += u64::from(m.count);
            e.1 += u64::from(m.negated);
        }
    }

    /// Per category: matches, tokens matched, their share of tokens, and the `top` entries.
    pub fn categories(&self, top: usize) -> Vec<CategoryCoverage> {
        self.order
            .iter()
            .map(|(lex, cat)| {
                let mut entries: Vec<(String, u64)> = self
                    .entries
                    .get(lex)
                    .and_then(|c| c.get(cat))
                    .map(|e| e.iter().map(|(e, (n, _))| (e.clone(), *n)).collect())
                    .unwrap_or_default();
                let matches: u64 = entries.iter().map(|(_, n)| n).sum();
                let tokens_matched: u64 = entries
                    .iter()
                    .map(|(e, n)| n * e.split_whitespace().count().max(1) as u64)
                    .sum();
                let total = self.tokens.get(lex).map_or(0, |t| t.0);
                entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                entries.truncate(top);
                CategoryCoverage {
                    lexicon: lex.clone(),
                    category: cat.clone(),
                    matches,
                    tokens_matched,
                    percent_of_tokens: if total == 0 {
                        0.0
                    } else {
                        tokens_matched as f64 / total as f64 * 100.0
                    },
                    top: entries,
                }
            })
            .collect()
    }

    /// The `lexicon_coverage` table: one row per matched entry.
    pub fn frame(&self) -> Result<DataFrame, TableError> {
        let (mut lex, mut cat, mut entry, mut matches, mut negated) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (l, cats) in &self.entries {
            for (c, entries) in cats {
                for (e, (n, neg)) in entries {
                    lex.push(l.as_str());
                    cat.push(c.as_str());
                    entry.push(e.as_str());
                    matches.push(*n);
                    negated.push(*neg);
                }
            }
        }
        DataFrame::new(vec![
            Column::new("lexicon".into(), lex),
            Column::new("category".into(), cat),
            Column::new("entry".into(), entry),
            Column::new("matches".into(), matches),
            Column::new("negated".into(), negated),
        ])
        .map_err(polars_err("lexicon_coverage"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{CategoryScore, EntryMatch};

    fn doc(n_tokens: usize, matches: &[(&str, u32)]) -> DocScores {
        DocScores {
            n_tokens,
            rows: vec![CategoryScore {
                lexicon: "security".into(),
                category: "self_defense".into(),
                hits: 0,
                negated_hits: 0,
                per_1k: 0.0,
                share: 0.0,
                weighted_sum: 0.0,
            }],
            entry_matches: matches
                .iter()
                .map(|&(e, n)| EntryMatch {
                    lexicon: "security".into(),
                    category: "self_defense".into(),
                    entry: e.into(),
                    count: n,
                    negated: 0,
                })
                .collect(),
            ..DocScores::default()
        }
    }

    #[test]
    fn coverage_counts_phrase_words_over_applicable_tokens() {
        let mut c = Coverage::default();
        c.add(&doc(100, &[("forced to respond", 2), ("retaliat*", 1)]));
        c.add(&doc(300, &[("retaliat*", 3)]));
        let cats = c.categories(1);
        assert_eq!(cats.len(), 1);
        let cat = &cats[0];
        assert_eq!(cat.matches, 6);
        // 2 × 3 words + 4 × 1 word = 10 tokens of 400.
        assert_eq!(cat.tokens_matched, 10);
        assert!((cat.percent_of_tokens - 2.5).abs() < 1e-12);
        assert_eq!(cat.top, vec![("retaliat*".to_string(), 4)]);
        assert_eq!(c.frame().unwrap().height(), 2);
    }
}
