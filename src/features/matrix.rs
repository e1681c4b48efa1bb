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
    /// `[doc][column]`: hits per 1,000 tokens.
    pub per_1k: Vec<Vec<Option<f64>>>,
    /// `[doc][column]`: hits.
    pub hits: Vec<Vec<Option<u32>>>,
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
