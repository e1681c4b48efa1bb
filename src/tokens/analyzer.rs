//! The [`Analyzer`]: runs the tokenizer chain over one document's clean text.
//!
//! Chain and ordering contracts (each step sees only the output of the steps before it):
//!
//! 1. **segment + merge** ([`super::segment`]): candidates with byte spans and kinds (word,
//!    number, URL, e-mail), plus quotation marks and line breaks.
//! 2. **policy**: `numbers = "drop"` and `urls = "drop"` remove candidates here, before anything
//!    else sees them (dropped tokens do not count for sentences or quotations).
//! 3. **fold + lowercase** ([`super::normalize`]): `norm` of a word is its text with ’ ‘ ʼ and
//!    the backtick folded to `'`, “ ” « » „ to `"`, – — ‐ ‑ to `-`, then lowercased (full
//!    Unicode). Numbers are folded only (and no-break group spaces removed: "5 500" → "5500");
//!    with `numbers = "normalize"` their `norm` is `<num>`. URLs and e-mail addresses are
//!    lowercased only. Text is expected to be NFC already (the corpus stage does that).
//! 4. **possessive strip**: a final `'s` after a letter is removed from a word's `norm`. The span
//!    still covers the `'s`: the span is the token as written ("Russia’s"), `norm` is what it
//!    means for matching ("russia").
//! 5. **stopword flag**: `is_stop` when the lowercased `norm` is in the stopword set (words and
//!    numbers; never URLs or e-mail addresses).
//! 6. **stem** ([`super::stem`]): words only, after lowercasing; numbers, URLs and e-mail
//!    addresses keep `stem == norm`.
//! 7. **sentences**: a token's sentence is the UAX #29 sentence
//!    (`split_sentence_bound_indices`, found by the byte scanner of the private `tokens::scan`
//!    module where it applies) containing its first byte. UAX #29 treats a line feed as a
//!    paragraph separator, so a headline line without a final full stop is a sentence of its own.
//!    Boundaries that fall inside a token (UAX #29 breaks after the `?` of a URL query) are
//!    ignored, and so are those after an initial, a title or a lowercase abbreviation
//!    ([`super::abbrev`]: "Mr. Putin", "В. Путин", "e.g."). Sentences without tokens are skipped
//!    and the rest renumbered `0..n_sentences`.
//! 8. **quotations** ([`super::quotes`]): quotation spans over the final tokens; tokens inside
//!    any quotation get `quoted = true`.

use rustc_hash::FxHashMap;

use super::abbrev::drop_abbreviation_breaks;
use super::normalize::{fold, lowercase, normalize};
use super::quotes::find_quotes;
use super::segment::{segment, sentence_bounds, Candidate};
use super::stem::Stemmer;
use super::stopwords::Stopwords;
use super::{
    Language, NumberPolicy, Token, TokenKind, TokenStr, TokenizedDoc, TokenizerConfig, TokensError,
    UrlPolicy,
};

/// The `norm` and `stem` of every number under `numbers = "normalize"`.
pub const NUM_PLACEHOLDER: &str = "<num>";

/// Word forms whose steps 3–6 are remembered per analyzer. Beyond this many distinct forms
/// (as written, case included) new forms are computed at every occurrence instead: by Zipf's
/// law the forms seen first cover nearly all tokens, and the cap bounds the cache at a few tens
/// of megabytes per worker and language. The cache never changes a result, only its cost.
pub const MAX_CACHED_FORMS: usize = 200_000;

/// Tokenizes documents of one language with one configuration.
///
/// `analyze` takes `&mut self` because the caches live here: the stems of [`Self::stem_word`]
/// and the `norm`, `stem` and stopword flag of every word form seen by [`Self::analyze`]. For
/// parallel use, clone one analyzer per worker (the clone copies the caches).
#[derive(Debug, Clone)]
pub struct Analyzer {
    config: TokenizerConfig,
    language: Language,
    stopwords: Stopwords,
    stemmer: Stemmer,
    forms: FormCache,
}

/// What steps 3–6 make of one word form.
#[derive(Debug, Clone)]
struct Form {
    norm: TokenStr,
    stem: TokenStr,
    is_stop: bool,
}

/// Word forms as written -> [`Form`], at most [`MAX_CACHED_FORMS`] of them. Only looked up,
/// never iterated. The keys are [`TokenStr`]s, stored inline up to 24 bytes: the look-up that
/// runs for every word compares the key in the map's slot instead of following a pointer to
/// a separate allocation (a likely cache miss in a map of many thousand forms). The map holds
/// an index into `forms` rather than the [`Form`] itself: the slot stays small (more of them
/// per cache line), and [`Analyzer::analyze`] clones `norm` and `stem` from the table straight
/// into the token instead of moving a cloned `Form` through the stack (which the compiler did
/// with mismatched store and load widths, stalling on store forwarding).
#[derive(Clone, Default)]
struct FormCache {
    ids: FxHashMap<TokenStr, u32>,
    forms: Vec<CachedForm>,
}

/// A cached word form as the token it makes, at position zero ([`Analyzer::analyze`] sets the
/// span and sentence of each occurrence).
#[derive(Debug, Clone)]
struct CachedForm {
    token: Token,
}

impl CachedForm {
    fn new(form: Form) -> CachedForm {
        CachedForm {
            token: Token {
                start: 0,
                end: 0,
                sentence: 0,
                kind: TokenKind::Word,
                norm: form.norm,
                stem: form.stem,
                is_stop: form.is_stop,
                quoted: false,
            },
        }
    }
}

/// Where the `norm`, `stem` and stopword flag of one candidate come from.
enum Analyzed {
    /// The form cache's entry with this index.
    Cached(u32),
    /// Computed for this occurrence (numbers, URLs, forms beyond the cache's cap).
    Fresh(Form),
}

impl std::fmt::Debug for FormCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FormCache({} forms)", self.forms.len())
    }
}

impl Analyzer {
    /// Builds an analyzer: loads the stopword lists (built-in, extra, files) for `language`.
    ///
    /// Errors: a stopword file that cannot be read, or a stopword entry containing whitespace.
    pub fn new(config: &TokenizerConfig, language: Language) -> Result<Analyzer, TokensError> {
        Ok(Analyzer {
            config: config.clone(),
            language,
            stopwords: Stopwords::load(&config.stopwords, language, config.strip_possessive)?,
            stemmer: Stemmer::new(language),
            forms: FormCache::default(),
        })
    }

    /// The document language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The configuration this analyzer was built with.
    pub fn config(&self) -> &TokenizerConfig {
        &self.config
    }

    /// True when `norm` (as found in [`Token::norm`], any case) is a stopword.
    pub fn is_stopword(&self, norm: &str) -> bool {
        self.stopwords.contains(norm)
    }

    /// The `stem` a token written as `word` would get: the whole (trimmed) input is treated as
    /// one token, without segmentation. A word is normalized (fold, lowercase, possessive strip as
    /// configured) and stemmed (if `stem` is on); something that looks like a number (no letter,
    /// starts with a digit) gets `<num>` under `numbers = "normalize"` and its folded text
    /// otherwise. Lexicons and KWIC use this so their entries match token stems.
    pub fn stem_word(&mut self, word: &str) -> String {
        let word = word.trim();
        let looks_numeric = word.chars().next().is_some_and(char::is_numeric)
            && !word.chars().any(char::is_alphabetic);
        if looks_numeric {
            return self.number_norm(word);
        }
        let norm = normalize(word, self.config.lowercase, self.config.strip_possessive);
        self.word_stem(&norm)
    }

    /// Tokenizes `text` (the clean, NFC text of one document).
    pub fn analyze(&mut self, text: &str) -> TokenizedDoc {
        let segmented = segment(text, self.config.split_hyphens);
        let mut sentence_starts = sentence_starts(text, &segmented.candidates);
        drop_abbreviation_breaks(text, &segmented.candidates, &mut sentence_starts);

        let mut tokens: Vec<Token> = Vec::with_capacity(segmented.candidates.len());
        let mut last_raw_sentence = None;
        let mut sentence: u32 = 0;
        // Candidates come in text order: the sentence of each is found by moving forward.
        let mut raw = 0;
        for candidate in &segmented.candidates {
            let Some(analyzed) = self.norm_and_stem(text, candidate) else {
                continue;
            };
            // Dense sentence numbering: count only sentences that hold a token.
            while sentence_starts
                .get(raw + 1)
                .is_some_and(|&s| s <= candidate.start)
            {
                raw += 1;
            }
            match last_raw_sentence {
                None => {}
                Some(prev) if prev == raw => {}
                Some(_) => sentence += 1,
            }
            last_raw_sentence = Some(raw);
            match analyzed {
                Analyzed::Cached(id) => {
                    // The cached word as a whole token, then its position. `push` evaluates
                    // its argument before it may grow the vector, so the compiler assembled
                    // the token on the stack from narrow stores and copied it with wide loads,
                    // which stall on store forwarding (most of this loop's time).
                    // `extend_from_slice` reserves first and clones into the slot.
                    let template = &self.forms.forms[id as usize].token;
                    tokens.extend_from_slice(std::slice::from_ref(template));
                    let token = tokens.last_mut().expect("just pushed");
                    token.start = candidate.start;
                    token.end = candidate.end;
                    token.sentence = sentence;
                }
                Analyzed::Fresh(form) => tokens.push(Token {
                    start: candidate.start,
                    end: candidate.end,
                    sentence,
                    kind: candidate.kind,
                    norm: form.norm,
                    stem: form.stem,
                    is_stop: form.is_stop,
                    quoted: false,
                }),
            }
        }

        let quotes = find_quotes(text, &segmented.marks, &tokens);
        for quote in &quotes {
            for token in &mut tokens[quote.first_token as usize..quote.end_token as usize] {
                token.quoted = true;
            }
        }
        let n_sentences = if tokens.is_empty() { 0 } else { sentence + 1 };
        TokenizedDoc {
            tokens,
            n_sentences,
            quotes,
        }
    }

    /// Steps 2–6 for one candidate; `None` when a policy drops it. Words go through the form
    /// cache, so a form's normalization, stopword look-up and stem run once per analyzer.
    fn norm_and_stem(&mut self, text: &str, candidate: &Candidate) -> Option<Analyzed> {
        let written = &text[candidate.start..candidate.end];
        match candidate.kind {
            TokenKind::Word => {
                if let Some(&id) = self.forms.ids.get(written) {
                    return Some(Analyzed::Cached(id));
                }
                let norm = normalize(written, self.config.lowercase, self.config.strip_possessive);
                let stem = if self.config.stem {
                    self.stemmer.stem_uncached(&norm)
                } else {
                    lowercase(&norm).into_owned()
                };
                let is_stop = self.stopwords.contains(&norm);
                let norm = TokenStr::from(norm);
                let stem = TokenStr::from(stem);
                let form = Form {
                    norm,
                    stem,
                    is_stop,
                };
                if self.forms.forms.len() < MAX_CACHED_FORMS {
                    let id = self.forms.forms.len() as u32;
                    self.forms.ids.insert(TokenStr::from(written), id);
                    self.forms.forms.push(CachedForm::new(form));
                    return Some(Analyzed::Cached(id));
                }
                Some(Analyzed::Fresh(form))
            }
            TokenKind::Number => match self.config.numbers {
                NumberPolicy::Drop => None,
                NumberPolicy::Keep | NumberPolicy::Normalize => {
                    let norm = self.number_norm(written);
                    let is_stop = self.stopwords.contains(&norm);
                    let norm = TokenStr::from(norm);
                    Some(Analyzed::Fresh(Form {
                        stem: norm.clone(),
                        norm,
                        is_stop,
                    }))
                }
            },
            TokenKind::Url | TokenKind::Email => match self.config.urls {
                UrlPolicy::Drop => None,
                UrlPolicy::Keep => {
                    let norm = TokenStr::from(if self.config.lowercase {
                        lowercase(written).into_owned()
                    } else {
                        written.to_string()
                    });
                    Some(Analyzed::Fresh(Form {
                        stem: norm.clone(),
                        norm,
                        is_stop: false,
                    }))
                }
            },
        }
    }

    /// A number's `norm`: `<num>` under `normalize`, else folded with group spaces removed.
    fn number_norm(&self, written: &str) -> String {
        if self.config.numbers == NumberPolicy::Normalize {
            return NUM_PLACEHOLDER.to_string();
        }
        fold(written)
            .chars()
            .filter(|c| !matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2009}'))
            .collect()
    }

    /// A word's `stem`: the Snowball stem, or the lowercased `norm` when stemming is off.
    fn word_stem(&mut self, norm: &str) -> String {
        if self.config.stem {
            self.stemmer.stem(norm)
        } else {
            lowercase(norm).into_owned()
        }
    }
}

/// Start offsets of the UAX #29 sentences of `text` ([`sentence_bounds`]: the fast scanner,
/// `unicode-segmentation` where it does not apply), leaving out boundaries that fall strictly
/// inside a candidate: UAX #29 breaks after the `?` of `https://x.ru/a?id=5`, but a token
/// belongs to one sentence.
fn sentence_starts(text: &str, candidates: &[Candidate]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut next = 0; // first candidate that may contain a later boundary
    for start in sentence_bounds(text) {
        while next < candidates.len() && candidates[next].end <= start {
            next += 1;
        }
        let inside = candidates
            .get(next)
            .is_some_and(|c| c.start < start && start < c.end);
        if !inside {
            starts.push(start);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer(language: Language) -> Analyzer {
        Analyzer::new(&TokenizerConfig::default(), language).unwrap()
    }

    fn with(config: TokenizerConfig, language: Language) -> Analyzer {
        Analyzer::new(&config, language).unwrap()
    }

    /// Checks one token's span, norm and stem (in the manner of tantivy's `assert_token`).
    #[track_caller]
    fn assert_token(token: &Token, start: usize, end: usize, norm: &str, stem: &str) {
        assert_eq!(
            (
                token.start,
                token.end,
                token.norm.as_str(),
                token.stem.as_str()
            ),
            (start, end, norm, stem),
            "token {token:?}"
        );
    }

    fn norms(doc: &TokenizedDoc) -> Vec<&str> {
        doc.tokens.iter().map(|t| t.norm.as_str()).collect()
    }

    #[test]
    fn form_cache_gives_the_same_tokens() {
        let text =
            "Russia’s talks; RUSSIA talks. «Страной‑агрессором» страной-агрессором, 2019 и 2019.";
        let mut a = analyzer(Language::Russian);
        let first = a.analyze(text);
        // The second pass takes every word from the cache.
        assert_eq!(a.analyze(text), first);
        assert_eq!(analyzer(Language::Russian).analyze(text), first);
        assert_token(&first.tokens[0], 0, 10, "russia", "russia");
        assert_token(&first.tokens[2], 18, 24, "russia", "russia");
        assert!(first.tokens.iter().any(|t| t.norm == "и" && t.is_stop));
        // An unchanged word: its stem is its norm.
        let talks = &first.tokens[3];
        assert_eq!(talks.norm, talks.stem);
    }

    /// Tokens taken from the form table (by form id) equal tokens computed afresh, span,
    /// sentence, quotation flag and strings included: a full cache sends every new word down the
    /// uncached path.
    #[test]
    fn cached_forms_equal_fresh_forms() {
        let text = "Russia’s «talks» failed. RUSSIA talks again, “talks” U.S.-made 2019.\nНовые переговоры «страной‑агрессором»";
        for language in [Language::English, Language::Russian] {
            let mut warm = analyzer(language);
            let first = warm.analyze(text);
            assert!(warm.forms.forms.len() < MAX_CACHED_FORMS);
            let mut full = analyzer(language);
            let filler = CachedForm::new(Form {
                norm: "filler".into(),
                stem: "filler".into(),
                is_stop: false,
            });
            full.forms.forms = vec![filler; MAX_CACHED_FORMS];
            let fresh = full.analyze(text);
            assert!(full.forms.ids.is_empty(), "a full cache takes no new form");
            // Second pass of the warm analyzer: every word comes from the form table.
            assert_eq!(warm.analyze(text), first);
            assert_eq!(fresh, first);
            for (token, id) in first.tokens.iter().zip(0u32..) {
                let written = &text[token.start..token.end];
                if token.kind == TokenKind::Word {
                    let id = warm.forms.ids[written];
                    let cached = &warm.forms.forms[id as usize].token;
                    assert_eq!((&cached.norm, &cached.stem), (&token.norm, &token.stem));
                    assert!(id < warm.forms.forms.len() as u32);
                } else {
                    assert!(!warm.forms.ids.contains_key(written), "token {id}");
                }
            }
        }
    }

    #[test]
    fn hyphenated_compound_is_one_token() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("long-range state-run missiles");
        assert_eq!(doc.tokens.len(), 3);
        assert_token(&doc.tokens[0], 0, 10, "long-range", "long-rang");
        assert_token(&doc.tokens[1], 11, 20, "state-run", "state-run");
        assert_token(&doc.tokens[2], 21, 29, "missiles", "missil");
        assert!(doc.tokens.iter().all(|t| t.kind == TokenKind::Word));
    }

    #[test]
    fn hyphenated_compound_split() {
        let config = TokenizerConfig {
            split_hyphens: true,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::Russian);
        let text = "страной-агрессором";
        let doc = a.analyze(text);
        assert_eq!(doc.tokens.len(), 2);
        assert_token(&doc.tokens[0], 0, 14, "страной", "стран");
        assert_token(&doc.tokens[1], 15, 35, "агрессором", "агрессор");
    }

    #[test]
    fn cyrillic_compound_with_non_breaking_hyphen() {
        let mut a = analyzer(Language::Russian);
        let text = "Страной‑агрессором";
        let doc = a.analyze(text);
        assert_eq!(doc.tokens.len(), 1);
        assert_token(
            &doc.tokens[0],
            0,
            text.len(),
            "страной-агрессором",
            "стран-агрессор",
        );
    }

    #[test]
    fn dangling_hyphen() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("medium- and short-range");
        assert_eq!(norms(&doc), vec!["medium", "and", "short-range"]);
        assert_token(&doc.tokens[0], 0, 6, "medium", "medium");
        assert_token(&doc.tokens[2], 12, 23, "short-range", "short-rang");
        assert!(doc.tokens[1].is_stop);
    }

    #[test]
    fn possessive_curly_and_straight() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("Russia’s and Russia's");
        // Span includes the ’s (3 bytes for ’ + 1), norm does not.
        assert_token(&doc.tokens[0], 0, 10, "russia", "russia");
        assert_token(&doc.tokens[2], 15, 23, "russia", "russia");
    }

    #[test]
    fn possessive_kept_when_configured() {
        let config = TokenizerConfig {
            strip_possessive: false,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::English);
        let doc = a.analyze("Russia’s");
        // The English stemmer removes 's by itself.
        assert_token(&doc.tokens[0], 0, 10, "russia's", "russia");
    }

    #[test]
    fn cyrillic_possessive() {
        let mut a = analyzer(Language::Russian);
        let doc = a.analyze("Россия’s позиция");
        assert_token(&doc.tokens[0], 0, 16, "россия", "росс");
        assert_token(&doc.tokens[1], 17, 31, "позиция", "позиц");
    }

    #[test]
    fn dotted_abbreviations() {
        let mut a = analyzer(Language::English);
        let text = "The U.S. and D.C. agreed.";
        let doc = a.analyze(text);
        assert_eq!(norms(&doc), vec!["the", "u.s.", "and", "d.c.", "agreed"]);
        assert_token(&doc.tokens[1], 4, 8, "u.s.", "u.s.");
        assert_token(&doc.tokens[3], 13, 17, "d.c.", "d.c.");
        assert_eq!(&text[4..8], "U.S.");
        // "U.S. and" does not end the sentence (lowercase follows), so one sentence.
        assert_eq!(doc.n_sentences, 1);
    }

    #[test]
    fn abbreviation_hyphen_compound() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("U.S.-Russia talks");
        assert_token(&doc.tokens[0], 0, 11, "u.s.-russia", "u.s.-russia");
        let config = TokenizerConfig {
            split_hyphens: true,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::English);
        let doc = a.analyze("U.S.-Russia talks");
        assert_token(&doc.tokens[0], 0, 4, "u.s.", "u.s.");
        assert_token(&doc.tokens[1], 5, 11, "russia", "russia");
    }

    #[test]
    fn numbers_keep() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("In 2019, 5,500 troops; 2.4% and 1,000–5,500.");
        let numbers: Vec<&str> = doc
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.norm.as_str())
            .collect();
        assert_eq!(numbers, vec!["2019", "5,500", "2.4", "1,000", "5,500"]);
        assert_token(&doc.tokens[1], 3, 7, "2019", "2019");
        assert!(doc
            .tokens
            .iter()
            .all(|t| !t.is_stop || t.norm == "and" || t.norm == "in"));
    }

    #[test]
    fn numbers_drop() {
        let config = TokenizerConfig {
            numbers: NumberPolicy::Drop,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::Russian);
        let doc = a.analyze("В 2019 году 5\u{a0}500 военных");
        assert_eq!(norms(&doc), vec!["в", "году", "военных"]);
    }

    #[test]
    fn numbers_normalize() {
        let config = TokenizerConfig {
            numbers: NumberPolicy::Normalize,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::Russian);
        let text = "В 2019 году 5\u{a0}500 военных";
        let doc = a.analyze(text);
        assert_eq!(norms(&doc), vec!["в", "<num>", "году", "<num>", "военных"]);
        assert_token(&doc.tokens[1], 3, 7, "<num>", "<num>");
        assert_token(&doc.tokens[3], 17, 23, "<num>", "<num>");
        assert_eq!(doc.tokens[3].kind, TokenKind::Number);
        assert_eq!(a.stem_word("1,000"), "<num>");
    }

    #[test]
    fn number_group_space_is_removed_from_norm() {
        let mut a = analyzer(Language::Russian);
        let doc = a.analyze("5\u{a0}500 человек");
        assert_token(&doc.tokens[0], 0, 6, "5500", "5500");
    }

    #[test]
    fn urls_and_emails_keep() {
        let mut a = analyzer(Language::English);
        let text = "Read https://TASS.ru/a?b=1, or mail Press@Kremlin.ru.";
        let doc = a.analyze(text);
        assert_eq!(
            norms(&doc),
            vec![
                "read",
                "https://tass.ru/a?b=1",
                "or",
                "mail",
                "press@kremlin.ru"
            ]
        );
        assert_eq!(doc.tokens[1].kind, TokenKind::Url);
        assert_eq!(doc.tokens[4].kind, TokenKind::Email);
        assert_token(
            &doc.tokens[1],
            5,
            26,
            "https://tass.ru/a?b=1",
            "https://tass.ru/a?b=1",
        );
        assert!(!doc.tokens[1].is_stop);
    }

    #[test]
    fn urls_and_emails_drop() {
        let config = TokenizerConfig {
            urls: UrlPolicy::Drop,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::English);
        let doc = a.analyze("Read www.rt.com/news or mail press@kremlin.ru now");
        assert_eq!(norms(&doc), vec!["read", "or", "mail", "now"]);
    }

    #[test]
    fn sentence_indices_with_headline() {
        let mut a = analyzer(Language::English);
        let text =
            "Russia deploys missiles\nOfficials said on Monday. Talks failed!\n\nNew paragraph";
        let doc = a.analyze(text);
        let sentences: Vec<(&str, u32)> = doc
            .tokens
            .iter()
            .map(|t| (&text[t.start..t.end], t.sentence))
            .collect();
        assert_eq!(
            sentences,
            vec![
                ("Russia", 0),
                ("deploys", 0),
                ("missiles", 0),
                ("Officials", 1),
                ("said", 1),
                ("on", 1),
                ("Monday", 1),
                ("Talks", 2),
                ("failed", 2),
                ("New", 3),
                ("paragraph", 3)
            ]
        );
        assert_eq!(doc.n_sentences, 4);
    }

    #[test]
    fn no_sentence_break_inside_a_url() {
        let mut a = analyzer(Language::Russian);
        let text = "См. https://mid.ru/press?id=5 сегодня. Конец";
        let doc = a.analyze(text);
        let sentences: Vec<(&str, u32)> = doc
            .tokens
            .iter()
            .map(|t| (&text[t.start..t.end], t.sentence))
            .collect();
        assert_eq!(
            sentences,
            vec![
                ("См", 0),
                ("https://mid.ru/press?id=5", 0),
                ("сегодня", 0),
                ("Конец", 1)
            ]
        );
    }

    #[test]
    fn sentences_without_tokens_do_not_count() {
        let mut a = analyzer(Language::Russian);
        let doc = a.analyze("— … !\n\nРакеты летят. ?! Переговоры идут.");
        let sentences: Vec<u32> = doc.tokens.iter().map(|t| t.sentence).collect();
        assert_eq!(sentences, vec![0, 0, 1, 1]);
        assert_eq!(doc.n_sentences, 2);
        assert_eq!(a.analyze("").n_sentences, 0);
        assert_eq!(a.analyze(" … «» ").n_sentences, 0);
    }

    #[test]
    fn quotes_mark_tokens() {
        let mut a = analyzer(Language::Russian);
        let text = "Песков: «Переговоры невозможны». Точка.";
        let doc = a.analyze(text);
        let quoted: Vec<(&str, bool)> = doc
            .tokens
            .iter()
            .map(|t| (t.norm.as_str(), t.quoted))
            .collect();
        assert_eq!(
            quoted,
            vec![
                ("песков", false),
                ("переговоры", true),
                ("невозможны", true),
                ("точка", false)
            ]
        );
        assert_eq!(doc.quotes.len(), 1);
        let q = doc.quotes[0];
        assert_eq!((q.first_token, q.end_token), (1, 3));
        assert_eq!(&text[q.start..q.end], "«Переговоры невозможны»");
    }

    #[test]
    fn quotes_curly_straight_and_unbalanced() {
        let mut a = analyzer(Language::English);
        let text = "He said “no deal” and \"maybe\" then ‘unclear\nNext line";
        let doc = a.analyze(text);
        let quoted: Vec<&str> = doc
            .tokens
            .iter()
            .filter(|t| t.quoted)
            .map(|t| t.norm.as_str())
            .collect();
        assert_eq!(quoted, vec!["no", "deal", "maybe", "unclear"]);
        let spans: Vec<&str> = doc.quotes.iter().map(|q| &text[q.start..q.end]).collect();
        assert_eq!(spans, vec!["“no deal”", "\"maybe\"", "‘unclear"]);
        assert!(
            !doc.tokens.last().unwrap().quoted,
            "closed at the line break"
        );
    }

    #[test]
    fn stopword_flags_english() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("The talks did not fail, and you’re right");
        let stops: Vec<(&str, bool)> = doc
            .tokens
            .iter()
            .map(|t| (t.norm.as_str(), t.is_stop))
            .collect();
        assert_eq!(
            stops,
            vec![
                ("the", true),
                ("talks", false),
                ("did", true),
                ("not", true),
                ("fail", false),
                ("and", true),
                ("you're", true),
                ("right", false)
            ]
        );
    }

    #[test]
    fn stopword_flags_russian() {
        let mut a = analyzer(Language::Russian);
        let doc = a.analyze("Но Россия не будет вести переговоры, ещё раз");
        let stops: Vec<(&str, bool)> = doc
            .tokens
            .iter()
            .map(|t| (t.norm.as_str(), t.is_stop))
            .collect();
        assert_eq!(
            stops,
            vec![
                ("но", true),
                ("россия", false),
                ("не", true),
                ("будет", true),
                ("вести", false),
                ("переговоры", false),
                ("ещё", true),
                ("раз", true)
            ]
        );
        assert!(a.is_stopword("НЕ"));
        assert!(!a.is_stopword("ракета"));
    }

    #[test]
    fn extra_stopwords() {
        let mut config = TokenizerConfig::default();
        config.stopwords.builtin = false;
        config.stopwords.extra = vec!["Заявил".into()];
        let mut a = with(config, Language::Russian);
        let doc = a.analyze("Песков заявил и");
        let stops: Vec<bool> = doc.tokens.iter().map(|t| t.is_stop).collect();
        assert_eq!(stops, vec![false, true, false]);
    }

    #[test]
    fn russian_stems_conflate() {
        let mut a = analyzer(Language::Russian);
        let doc = a.analyze("Переговоры без переговоров");
        assert_token(&doc.tokens[0], 0, 20, "переговоры", "переговор");
        assert_token(&doc.tokens[2], 28, 50, "переговоров", "переговор");
        assert_eq!(a.stem_word("Переговорами"), "переговор");
    }

    #[test]
    fn english_stems_conflate() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("Negotiations, negotiation");
        assert_token(&doc.tokens[0], 0, 12, "negotiations", "negoti");
        assert_token(&doc.tokens[1], 14, 25, "negotiation", "negoti");
        assert_eq!(a.stem_word(" Kremlin’s "), "kremlin");
        assert_eq!(a.stem_word("2019"), "2019");
    }

    #[test]
    fn no_lowercase_keeps_case_in_norm_only() {
        let config = TokenizerConfig {
            lowercase: false,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::English);
        let doc = a.analyze("The Negotiations");
        assert_token(&doc.tokens[0], 0, 3, "The", "the");
        assert_token(&doc.tokens[1], 4, 16, "Negotiations", "negoti");
        assert!(doc.tokens[0].is_stop);
    }

    #[test]
    fn stemming_off() {
        let config = TokenizerConfig {
            stem: false,
            ..TokenizerConfig::default()
        };
        let mut a = with(config, Language::Russian);
        let doc = a.analyze("Переговоры");
        assert_token(&doc.tokens[0], 0, 20, "переговоры", "переговоры");
        assert_eq!(a.stem_word("Ракеты"), "ракеты");
    }

    #[test]
    fn folding_inside_tokens() {
        let mut a = analyzer(Language::English);
        let doc = a.analyze("don’t rock`n`roll");
        assert_eq!(norms(&doc)[0], "don't");
        assert!(doc.tokens[0].is_stop);
    }

    #[test]
    fn unreadable_stopword_file_is_an_error() {
        let mut config = TokenizerConfig::default();
        config.stopwords.files = vec!["/no/such/dir/stop-ru.txt".into()];
        let err = Analyzer::new(&config, Language::Russian).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read stopword file /no/such/dir/stop-ru.txt: "),
            "{err}"
        );
    }

    #[test]
    fn accessors() {
        let a = analyzer(Language::Russian);
        assert_eq!(a.language(), Language::Russian);
        assert!(a.config().stem);
    }

    mod properties {
        use proptest::prelude::*;
        use unicode_segmentation::UnicodeSegmentation;

        use super::*;

        /// Strings biased towards the characters the tokenizer treats specially.
        fn tricky_text() -> impl Strategy<Value = String> {
            let pieces = prop_oneof![
                4 => "[а-яА-ЯёЁ]{1,8}",
                3 => "[a-zA-Z]{1,8}",
                2 => "[0-9]{1,5}",
                3 => prop::sample::select(vec![
                    " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u{a0}", "\u{202f}", "\u{2009}",
                    ".", ",", "!", "?", ";", ":", "…", "-", "‐", "‑", "–", "—",
                    "\"", "“", "”", "„", "«", "»", "‘", "’", "‚", "‹", "›", "'", "`", "ʼ",
                    "'s", "’s", "U.S.", "D.C.", "www.", "http://", "https://", "@", ".ru", "/",
                    "(", ")", "\u{301}", "😀", "_", "Mr. ", "e.g. ", "В. ", "F. ",
                ]).prop_map(str::to_string),
                1 => any::<char>().prop_map(|c| c.to_string()),
            ];
            prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
        }

        fn check_invariants(text: &str, doc: &TokenizedDoc) -> Result<(), TestCaseError> {
            let mut prev_end = 0;
            let mut prev_sentence = 0;
            for (i, t) in doc.tokens.iter().enumerate() {
                prop_assert!(t.start < t.end, "empty span {t:?}");
                prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                prop_assert!(t.end <= text.len());
                if i > 0 {
                    prop_assert!(t.start >= prev_end, "overlap at token {i}: {t:?}");
                }
                prop_assert!(t.sentence >= prev_sentence);
                prop_assert!(t.sentence < doc.n_sentences);
                prop_assert!(!t.norm.is_empty() && !t.stem.is_empty(), "{t:?}");
                prev_end = t.end;
                prev_sentence = t.sentence;
            }
            if doc.tokens.is_empty() {
                prop_assert_eq!(doc.n_sentences, 0);
            } else {
                prop_assert_eq!(doc.n_sentences, prev_sentence + 1);
            }
            let n = doc.tokens.len() as u32;
            for q in &doc.quotes {
                prop_assert!(q.first_token < q.end_token && q.end_token <= n, "{q:?}");
                prop_assert!(q.start < q.end && q.end <= text.len());
                prop_assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
                let first = &doc.tokens[q.first_token as usize];
                let last = &doc.tokens[q.end_token as usize - 1];
                prop_assert!(q.start < first.start && last.end <= q.end, "{q:?}");
                prop_assert!(first.quoted && last.quoted);
            }
            Ok(())
        }

        fn configs() -> impl Strategy<Value = TokenizerConfig> {
            (
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                0..3u8,
                any::<bool>(),
            )
                .prop_map(
                    |(lowercase, split_hyphens, strip_possessive, numbers, drop_urls)| {
                        TokenizerConfig {
                            lowercase,
                            split_hyphens,
                            strip_possessive,
                            numbers: match numbers {
                                0 => NumberPolicy::Keep,
                                1 => NumberPolicy::Drop,
                                _ => NumberPolicy::Normalize,
                            },
                            urls: if drop_urls {
                                UrlPolicy::Drop
                            } else {
                                UrlPolicy::Keep
                            },
                            ..TokenizerConfig::default()
                        }
                    },
                )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn invariants_on_tricky_text(text in tricky_text(), config in configs()) {
                for language in [Language::Russian, Language::English] {
                    let mut a = Analyzer::new(&config, language).unwrap();
                    let doc = a.analyze(&text);
                    check_invariants(&text, &doc)?;
                }
            }

            #[test]
            fn invariants_on_any_unicode(text in any::<String>()) {
                let mut a = analyzer(Language::Russian);
                let doc = a.analyze(&text);
                check_invariants(&text, &doc)?;
            }

            #[test]
            fn every_language_survives(text in tricky_text(), i in 0..Language::ALL.len()) {
                let mut a = analyzer(Language::ALL[i]);
                let doc = a.analyze(&text);
                check_invariants(&text, &doc)?;
            }

            #[test]
            fn analysis_is_deterministic(text in tricky_text()) {
                let mut a = analyzer(Language::Russian);
                let mut b = analyzer(Language::Russian);
                b.analyze("прогрев кэша: ракеты, переговоры");
                prop_assert_eq!(a.analyze(&text), b.analyze(&text));
            }

            /// A token's span is the token as written: its `norm` and `stem` are what that slice
            /// of the text normalizes to on its own (fold, lowercase, possessive strip, stem, or
            /// the number and URL rules), and the slice has no whitespace at either end.
            #[test]
            fn spans_slice_the_text_to_the_token(text in tricky_text(), config in configs()) {
                for language in [Language::Russian, Language::English] {
                    let mut a = Analyzer::new(&config, language).unwrap();
                    let doc = a.analyze(&text);
                    let mut stems = Stemmer::new(language);
                    for t in &doc.tokens {
                        let written = &text[t.start..t.end];
                        prop_assert_eq!(written.trim(), written, "{:?}", t);
                        let (norm, stem) = match t.kind {
                            TokenKind::Word => {
                                let norm =
                                    normalize(written, config.lowercase, config.strip_possessive);
                                let stem = if config.stem {
                                    stems.stem(&norm)
                                } else {
                                    lowercase(&norm).into_owned()
                                };
                                (norm, stem)
                            }
                            TokenKind::Number => {
                                let norm = if config.numbers == NumberPolicy::Normalize {
                                    NUM_PLACEHOLDER.to_string()
                                } else {
                                    fold(written)
                                        .chars()
                                        .filter(|c| !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}'))
                                        .collect()
                                };
                                (norm.clone(), norm)
                            }
                            TokenKind::Url | TokenKind::Email => {
                                let norm = if config.lowercase {
                                    written.to_lowercase()
                                } else {
                                    written.to_string()
                                };
                                (norm.clone(), norm)
                            }
                        };
                        prop_assert_eq!(&t.norm, &norm, "{:?} from {:?}", t, written);
                        prop_assert_eq!(&t.stem, &stem, "{:?} from {:?}", t, written);
                    }
                }
            }

            /// Sentences are the UAX #29 sentences of the text, without the boundaries that fall
            /// strictly inside a token or follow an abbreviation: every token lies inside one
            /// sentence span, two tokens share a sentence exactly when no boundary separates
            /// them, and the numbering counts only spans that hold a token.
            #[test]
            fn sentence_spans_cover_their_tokens(text in tricky_text()) {
                let doc = analyzer(Language::English).analyze(&text);
                let tokens = &doc.tokens;
                let mut bounds: Vec<usize> = text
                    .split_sentence_bound_indices()
                    .map(|(start, _)| start)
                    .filter(|&b| !tokens.iter().any(|t| t.start < b && b < t.end))
                    .collect();
                let candidates = crate::tokens::segment::segment(&text, false).candidates;
                crate::tokens::abbrev::drop_abbreviation_breaks(&text, &candidates, &mut bounds);
                // The span of a token: the last boundary at or before its start.
                let span_of = |pos: usize| bounds.partition_point(|&b| b <= pos);
                for t in tokens {
                    let span = span_of(t.start);
                    prop_assert!(span > 0, "{:?} before the first sentence", t);
                    let end = bounds.get(span).copied().unwrap_or(text.len());
                    prop_assert!(t.end <= end, "{:?} crosses the boundary at {}", t, end);
                }
                for pair in tokens.windows(2) {
                    let same_span = span_of(pair[0].start) == span_of(pair[1].start);
                    let same_sentence = pair[0].sentence == pair[1].sentence;
                    prop_assert_eq!(same_span, same_sentence, "{:?}", pair);
                    if !same_sentence {
                        prop_assert_eq!(pair[1].sentence, pair[0].sentence + 1);
                    }
                }
                if let Some(first) = tokens.first() {
                    prop_assert_eq!(first.sentence, 0);
                }
            }

            /// Tokenizing a corpus does not depend on how it is cut into batches or on the
            /// number of worker threads: each worker's clone of one analyzer (with whatever its
            /// stem cache holds) gives what a fresh analyzer gives for each text alone.
            #[test]
            fn tokens_do_not_depend_on_batches_or_threads(
                texts in prop::collection::vec(tricky_text(), 1..10),
                threads in 1usize..5,
                batch in 1usize..4,
            ) {
                use rayon::prelude::*;
                let alone: Vec<TokenizedDoc> =
                    texts.iter().map(|t| analyzer(Language::Russian).analyze(t)).collect();
                let mut prototype = analyzer(Language::Russian);
                prototype.analyze("прогрев кэша: ракеты и переговоры");
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let pooled: Vec<TokenizedDoc> = pool.install(|| {
                    texts
                        .chunks(batch)
                        .flat_map(|chunk| {
                            chunk
                                .par_iter()
                                .map_init(|| prototype.clone(), |a, t| a.analyze(t))
                                .collect::<Vec<_>>()
                        })
                        .collect()
                });
                prop_assert_eq!(alone, pooled);
            }
        }
    }
}
