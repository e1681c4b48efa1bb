//! The in-memory inputs of the analysis stages (compare, cluster): one entry per kept document,
//! in input order, built by the pipeline from the term counts and lexicon scores.

/// One kept document (index = position in every matrix).
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    /// Document id.
    pub doc_id: String,
    /// Outlet.
    pub outlet: Option<String>,
    /// The study's group (e.g. "state-aligned").
    pub group: Option<String>,
    /// Event covered.
    pub event: Option<String>,
    /// Publication date.
    pub date: Option<chrono::NaiveDate>,
    /// ISO 639-1 language code the document was processed in.
    pub language: String,
    /// Word and number tokens (the denominator of `per_1k`).
    pub n_tokens: u32,
}

/// Lexicon rates: documents × (lexicon, category) columns. `None` where the category's lexicon
/// does not apply to the document's language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreMatrix {
    /// `(lexicon, category)` in a fixed order: lexicons as loaded, categories in file order.
    pub columns: Vec<(String, String)>,
    /// `[doc][column]`: hits per 1,000 tokens. (The hit counts themselves are in the `scores`
    /// table; no stage after it reads them, so they are not held here.)
    pub per_1k: Vec<Vec<Option<f64>>>,
}

/// Term counts of the kept documents over the pruned vocabulary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermMatrix {
    /// Term (stem, or two stems joined by a space).
    pub terms: Vec<String>,
    /// Readable label (most frequent surface form).
    pub labels: Vec<String>,
    /// 1 for unigrams, 2 for bigrams.
    pub order: Vec<u8>,
    /// Smoothed idf of each term.
    pub idf: Vec<f64>,
    /// `[doc]` -> `(term index, count)` sorted by term index.
    pub rows: Vec<Vec<(u32, u32)>>,
    /// `[doc]` unigram terms before pruning (the tf denominator).
    pub n_terms: Vec<u32>,
}

/// `(term, count)` pairs summed per term, sorted by term: the pairs are sorted and equal terms
/// added up, rather than summed in a map (a pooled cell of a large corpus holds millions of
/// them). Integer sums, so the result does not depend on the order of `pairs`.
pub fn sum_by_term<C: Copy, S: Copy + From<C> + std::ops::AddAssign>(
    mut pairs: Vec<(u32, C)>,
) -> Vec<(u32, S)> {
    pairs.sort_unstable_by_key(|&(t, _)| t);
    let mut out: Vec<(u32, S)> = Vec::new();
    for (t, c) in pairs {
        match out.last_mut() {
            Some((last, sum)) if *last == t => *sum += S::from(c),
            _ => out.push((t, S::from(c))),
        }
    }
    out
}

impl TermMatrix {
    /// The counts of the documents `docs` summed per term ([`sum_by_term`]), for the terms
    /// `keep` accepts, sorted by term.
    pub fn summed_counts(&self, docs: &[usize], keep: impl Fn(u32) -> bool) -> Vec<(u32, u64)> {
        let pairs: Vec<(u32, u32)> = docs
            .iter()
            .flat_map(|&d| self.rows.get(d).map(Vec::as_slice).unwrap_or(&[]))
            .filter(|(t, _)| keep(*t))
            .copied()
            .collect();
        sum_by_term(pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summed_counts_by_hand() {
        let m = TermMatrix {
            rows: vec![vec![(0, 2), (3, 1)], vec![(1, 1), (3, 4)], vec![(0, 5)]],
            ..TermMatrix::default()
        };
        assert_eq!(
            m.summed_counts(&[0, 1, 2], |_| true),
            vec![(0, 7), (1, 1), (3, 5)]
        );
        assert_eq!(m.summed_counts(&[1, 0], |t| t != 1), vec![(0, 2), (3, 5)]);
        assert_eq!(m.summed_counts(&[], |_| true), vec![]);
        // A document index past the matrix counts nothing.
        assert_eq!(m.summed_counts(&[7], |_| true), vec![]);
    }
}
