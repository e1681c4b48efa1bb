//! The lexicon stage's output tables: `scores`, `sentence_scores` and `tone` (streamed, one row
//! group per batch of documents) and `lexicon_coverage` (aggregated over the corpus).
//!
//! Columns are documented in `notebooks-data/README.md`.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::DocScores;
use crate::tables::{polars_err, OutputDir, TableError, TableWriter};

/// Buffers score rows for one batch of documents and writes them as row groups.
pub struct ScoreTables {
    scores: TableWriter,
    sentences: TableWriter,
    tone: TableWriter,
    buf: Buffers,
}

#[derive(Default)]
struct Buffers {
    // scores
    s_doc: Vec<String>,
    s_lex: Vec<String>,
    s_cat: Vec<String>,
    s_hits: Vec<u32>,
    s_neg: Vec<u32>,
    s_per1k: Vec<f64>,
    s_share: Vec<f64>,
    s_wsum: Vec<f64>,
    // sentence_scores
    t_doc: Vec<String>,
    t_sent: Vec<u32>,
    t_lex: Vec<String>,
    t_cat: Vec<String>,
    t_hits: Vec<u32>,
    t_neg: Vec<u32>,
    t_wsum: Vec<f64>,
    t_tone: Vec<f64>,
    // tone
    n_doc: Vec<String>,
    n_lex: Vec<String>,
    n_tokens: Vec<u32>,
    n_pos: Vec<u32>,
    n_neg: Vec<u32>,
    n_net: Vec<f64>,
    n_logit: Vec<f64>,
    n_valence: Vec<Option<f64>>,
}

fn schema(fields: &[(&str, DataType)]) -> Schema {
    fields
        .iter()
        .map(|(n, t)| Field::new((*n).into(), t.clone()))
        .collect()
}

impl ScoreTables {
    /// Opens the three streamed tables in `out`.
    pub fn create(out: &mut OutputDir) -> Result<ScoreTables, TableError> {
        use DataType::{Float64, String as Str, UInt32};
        let scores = out.writer(
            "scores",
            &schema(&[
                ("doc_id", Str),
                ("lexicon", Str),
                ("category", Str),
                ("hits", UInt32),
                ("negated_hits", UInt32),
                ("per_1k", Float64),
                ("share", Float64),
                ("weighted_sum", Float64),
            ]),
        )?;
        let sentences = out.writer(
            "sentence_scores",
            &schema(&[
                ("doc_id", Str),
                ("sentence", UInt32),
                ("lexicon", Str),
                ("category", Str),
                ("hits", UInt32),
                ("negated_hits", UInt32),
                ("weighted_sum", Float64),
                ("tone", Float64),
            ]),
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
        })
    }

    /// Adds one document's rows.
    pub fn add(&mut self, doc_id: &str, s: &DocScores) {
        let b = &mut self.buf;
        for r in &s.rows {
            b.s_doc.push(doc_id.to_string());
            b.s_lex.push(r.lexicon.clone());
            b.s_cat.push(r.category.clone());
            b.s_hits.push(r.hits);
            b.s_neg.push(r.negated_hits);
            b.s_per1k.push(r.per_1k);
            b.s_share.push(r.share);
            b.s_wsum.push(r.weighted_sum);
        }
        for r in &s.sentences {
            b.t_doc.push(doc_id.to_string());
            b.t_sent.push(r.sentence);
            b.t_lex.push(r.lexicon.clone());
            b.t_cat.push(r.category.clone());
            b.t_hits.push(r.hits);
            b.t_neg.push(r.negated_hits);
            b.t_wsum.push(r.weighted_sum);
            b.t_tone.push(r.tone);
        }
        for r in &s.tone {
            b.n_doc.push(doc_id.to_string());
            b.n_lex.push(r.lexicon.clone());
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
        if !b.s_doc.is_empty() {
            let df = DataFrame::new(vec![
                Column::new("doc_id".into(), b.s_doc),
                Column::new("lexicon".into(), b.s_lex),
                Column::new("category".into(), b.s_cat),
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
                Column::new("doc_id".into(), b.t_doc),
                Column::new("sentence".into(), b.t_sent),
                Column::new("lexicon".into(), b.t_lex),
                Column::new("category".into(), b.t_cat),
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
                Column::new("doc_id".into(), b.n_doc),
                Column::new("lexicon".into(), b.n_lex),
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

/// Which entries matched how often, over the whole corpus: what drove each score.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// `(lexicon, category, entry) -> (matches, negated matches)`.
    entries: BTreeMap<(String, String, String), (u64, u64)>,
    /// `lexicon -> (tokens in the documents it applies to, documents)`.
    tokens: BTreeMap<String, (u64, u64)>,
    /// `(lexicon, category)` in the order first seen (file order), for printing.
    order: Vec<(String, String)>,
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
            let key = (r.lexicon.clone(), r.category.clone());
            if !self.order.contains(&key) {
                self.order.push(key);
            }
            if !seen_lexicons.contains(&r.lexicon.as_str()) {
                seen_lexicons.push(&r.lexicon);
                let t = self.tokens.entry(r.lexicon.clone()).or_default();
                t.0 += s.n_tokens as u64;
                t.1 += 1;
            }
        }
        for m in &s.entry_matches {
            let e = self
                .entries
                .entry((m.lexicon.clone(), m.category.clone(), m.entry.clone()))
                .or_default();
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
                    .iter()
                    .filter(|((l, c, _), _)| l == lex && c == cat)
                    .map(|((_, _, e), (n, _))| (e.clone(), *n))
                    .collect();
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
        for ((l, c, e), (n, neg)) in &self.entries {
            lex.push(l.as_str());
            cat.push(c.as_str());
            entry.push(e.as_str());
            matches.push(*n);
            negated.push(*neg);
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
