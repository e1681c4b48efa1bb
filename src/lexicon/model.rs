//! The in-memory lexicon: a header, ordered categories with their entries, and optional weights.
//!
//! Every reader (native TOML, LIWC `.dic`, quanteda YAML, weighted word lists) produces a
//! [`Lexicon`]; every writer and the [`Scorer`](super::Scorer) read one. Entries are stored
//! normalized (see [`normalize_entry`]) so that checks, weights and matching all compare the
//! same strings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// How the words of an entry are compared with tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchMode {
    /// Non-wildcard words compare by Snowball stem with [`Token::stem`](crate::tokens::Token::stem).
    Stem,
    /// Words compare with [`Token::norm`](crate::tokens::Token::norm).
    Surface,
}

impl MatchMode {
    /// The spelling used in the native format (`"stem"` / `"surface"`).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchMode::Stem => "stem",
            MatchMode::Surface => "surface",
        }
    }
}

/// What a lexicon measures, which decides the scoring rules that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LexiconKind {
    /// Plain category counts: no negation, no tone.
    #[default]
    Categorical,
    /// Counts with polar (positive / negative) categories: negation and tone apply.
    Polar,
    /// Signed weights (valence) per entry: negation, boosters, dampeners and tone apply.
    Weighted,
}

impl LexiconKind {
    /// The spelling used in the native format.
    pub fn as_str(self) -> &'static str {
        match self {
            LexiconKind::Categorical => "categorical",
            LexiconKind::Polar => "polar",
            LexiconKind::Weighted => "weighted",
        }
    }
}

/// Direction of a tone category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    /// Counts toward `pos` in tone measures.
    Positive,
    /// Counts toward `neg` in tone measures.
    Negative,
}

impl Polarity {
    /// The spelling used in the native format.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negative => "negative",
        }
    }

    /// The other direction.
    pub fn opposite(self) -> Polarity {
        match self {
            Polarity::Positive => Polarity::Negative,
            Polarity::Negative => Polarity::Positive,
        }
    }
}

/// A category the engine treats specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Special {
    /// Computed, not matched: quotations of 1..=N tokens (N = `scare-quote-max-words`), taken
    /// from [`TokenizedDoc::quotes`](crate::tokens::TokenizedDoc::quotes). Lists no entries.
    ScareQuotes,
    /// Matched but never counted or reported: fixed expressions that contain a word of another
    /// category in another sense ("nobel peace prize", "in may", «мирные жители»). Listing them
    /// lets the longest-match rule take their words away from the real categories.
    Exclude,
}

impl Special {
    /// The spelling used in the native format.
    pub fn as_str(self) -> &'static str {
        match self {
            Special::ScareQuotes => "scare-quotes",
            Special::Exclude => "exclude",
        }
    }
}

/// The `[lexicon]` table: identity, provenance and matching mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// `[a-z0-9-]+`; the `lexicon` column of the output tables.
    pub name: String,
    /// Semantic version of the lexicon content.
    pub version: String,
    /// ISO 639-1 codes of the languages the entries are written in.
    pub languages: Vec<String>,
    /// SPDX expression or free text.
    pub license: String,
    /// What the lexicon measures.
    pub description: String,
    /// The published category scheme, or "original" plus notes.
    pub citation: String,
    /// Stem or surface matching.
    pub match_mode: MatchMode,
    /// Categorical, polar or weighted.
    pub kind: LexiconKind,
    /// Free-text construction notes.
    pub notes: Option<String>,
}

/// One category with its entries, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Category name (`[a-z0-9_]+` in the native format; imported names are kept as written).
    pub name: String,
    /// What the category captures.
    pub description: String,
    /// Tone direction, if this is a tone category.
    pub polarity: Option<Polarity>,
    /// Engine-computed category (then `entries` is empty).
    pub special: Option<Special>,
    /// Normalized entries: words, `prefix*` wildcards and phrases, in file order.
    pub entries: Vec<String>,
}

/// A lexicon in any supported format, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    /// Identity and matching mode.
    pub header: Header,
    /// Categories in file order.
    pub categories: Vec<Category>,
    /// Explicit entry weights (valence), keyed by normalized entry; they override the default
    /// weight (see [`Lexicon::weight`]).
    pub weights: BTreeMap<String, f64>,
    /// Hex SHA-256 of the file bytes the lexicon was loaded from (for the run manifest).
    pub sha256: Option<String>,
    /// The file the lexicon was loaded from.
    pub source: Option<PathBuf>,
}

impl Lexicon {
    /// The weight of `entry` as a member of category `category` (an index into `categories`):
    /// the `[weights]` value if there is one, otherwise +1 in a positive category, -1 in a
    /// negative one and 1 elsewhere (native format contract).
    pub fn weight(&self, entry: &str, category: usize) -> f64 {
        if let Some(w) = self.weights.get(entry) {
            return *w;
        }
        match self.categories.get(category).and_then(|c| c.polarity) {
            Some(Polarity::Negative) => -1.0,
            _ => 1.0,
        }
    }

    /// The polarity that scoring uses: a category's `polarity`, but only in a polar or weighted
    /// lexicon (in a categorical lexicon polarity is ignored; `check` warns about it).
    pub fn effective_polarity(&self, category: usize) -> Option<Polarity> {
        if self.header.kind == LexiconKind::Categorical {
            return None;
        }
        self.categories.get(category).and_then(|c| c.polarity)
    }

    /// True when `language` (ISO 639-1, case-insensitive) is one of the header's languages.
    pub fn applies_to(&self, language: &str) -> bool {
        self.header
            .languages
            .iter()
            .any(|l| l.eq_ignore_ascii_case(language))
    }

    /// One line per category for `framelens lexicon show`: see [`CategorySummary`].
    pub fn summary(&self) -> Vec<CategorySummary> {
        summary(self)
    }
}

/// A category's name, description and size, as `framelens lexicon show` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct CategorySummary {
    /// Category name.
    pub category: String,
    /// Category description.
    pub description: String,
    /// Tone direction, if any.
    pub polarity: Option<Polarity>,
    /// Special category kind, if any.
    pub special: Option<Special>,
    /// Number of entries.
    pub n_entries: usize,
}

/// The categories of `lex` with their sizes, in file order.
pub fn summary(lex: &Lexicon) -> Vec<CategorySummary> {
    lex.categories
        .iter()
        .map(|c| CategorySummary {
            category: c.name.clone(),
            description: c.description.clone(),
            polarity: c.polarity,
            special: c.special,
            n_entries: c.entries.len(),
        })
        .collect()
}

impl fmt::Display for Lexicon {
    /// A human-readable overview: the header, then one line per category with its size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.header;
        writeln!(f, "{} {} ({})", h.name, h.version, h.languages.join(", "))?;
        writeln!(
            f,
            "kind: {}, match: {}, license: {}",
            h.kind.as_str(),
            h.match_mode.as_str(),
            h.license
        )?;
        writeln!(f, "description: {}", h.description)?;
        writeln!(f, "citation: {}", h.citation)?;
        if let Some(sha) = &self.sha256 {
            writeln!(f, "sha256: {sha}")?;
        }
        let width = self
            .categories
            .iter()
            .map(|c| c.name.chars().count())
            .max()
            .unwrap_or(0);
        for s in summary(self) {
            let mut tag = String::new();
            if let Some(p) = s.polarity {
                tag = format!(" [{}]", p.as_str());
            }
            if let Some(sp) = s.special {
                tag.push_str(&format!(" [{}]", sp.as_str()));
            }
            writeln!(
                f,
                "  {:width$}  {:>6}  {}{}",
                s.category, s.n_entries, s.description, tag
            )?;
        }
        Ok(())
    }
}

/// Hex-encoded SHA-256 of `bytes` (what [`Lexicon::sha256`] holds); the manifest's hash.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::manifest::sha256_hex(bytes)
}

/// Normalizes an entry the way the tokenizer folds tokens (`tokens::normalize`): NFC,
/// lowercase, apostrophes `’ ‘ ʼ` and backtick -> `'`, quotes `“ ” „ « »` -> `"`, dashes
/// `– — ‐ ‑` -> `-`, and runs of whitespace collapsed to one space (phrases split on
/// whitespace). The possessive `'s` is not stripped (entries are not possessives).
pub fn normalize_entry(raw: &str) -> String {
    // The tokenizer's own fold and lowercase, so entries and tokens can never disagree.
    let nfc: String = raw.nfc().collect();
    let folded = crate::tokens::normalize::fold(&nfc);
    let lowered = crate::tokens::normalize::lowercase(&folded);
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One word of a parsed entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Word {
    /// Compared by stem (stem lexicons) or norm (surface lexicons).
    Exact(String),
    /// `prefix*`: matches a token whose norm starts with the prefix.
    Prefix(String),
}

/// Splits a normalized entry into words and validates wildcard use: only a trailing `*` on
/// the last word, with a non-empty prefix. Returns the problem as a message on failure.
pub(crate) fn parse_entry(entry: &str) -> Result<Vec<Word>, String> {
    if entry.is_empty() {
        return Err("empty entry".to_string());
    }
    let parts: Vec<&str> = entry.split(' ').collect();
    let last = parts.len() - 1;
    let mut words = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let stars = part.matches('*').count();
        if stars == 0 {
            words.push(Word::Exact((*part).to_string()));
            continue;
        }
        let prefix = match part.strip_suffix('*') {
            Some(p) if stars == 1 && i == last => p,
            _ => {
                return Err(format!(
                    "entry \"{entry}\": a wildcard is only allowed as a trailing * on the last word"
                ))
            }
        };
        if prefix.is_empty() {
            return Err(format!("entry \"{entry}\": a bare * matches every word"));
        }
        words.push(Word::Prefix(prefix.to_string()));
    }
    Ok(words)
}

/// Turns free text (a file stem) into a lexicon name `[a-z0-9-]+`: lowercase, every other
/// character becomes `-`, runs collapsed, ends trimmed; `"lexicon"` if nothing is left.
pub(crate) fn sanitize_lexicon_name(raw: &str) -> String {
    sanitize(raw, '-')
}

/// Turns a category name into `[a-z0-9_]+` for the native format (`economy.inflation` ->
/// `economy_inflation`).
pub(crate) fn sanitize_category_name(raw: &str) -> String {
    sanitize(raw, '_')
}

fn sanitize(raw: &str, sep: char) -> String {
    let mut out = String::new();
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with(sep) {
            out.push(sep);
        }
    }
    let trimmed = out.trim_matches(sep).to_string();
    if trimmed.is_empty() {
        if sep == '-' {
            "lexicon".to_string()
        } else {
            "category".to_string()
        }
    } else {
        trimmed
    }
}

/// Polarity guessed from a category name in imported files: `positive`, `posemo`, `pos`,
/// `emo_pos` -> positive; `negative`, `negemo`, `neg`, `emo_neg` -> negative (case-insensitive).
pub(crate) fn polarity_from_name(name: &str) -> Option<Polarity> {
    match name.to_lowercase().as_str() {
        "positive" | "posemo" | "pos" | "emo_pos" => Some(Polarity::Positive),
        "negative" | "negemo" | "neg" | "emo_neg" => Some(Polarity::Negative),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_quotes_dashes_and_space() {
        assert_eq!(normalize_entry("  Red   LINE* "), "red line*");
        assert_eq!(normalize_entry("Kremlin’s"), "kremlin's");
        assert_eq!(normalize_entry("«Красная линия»"), "\"красная линия\"");
        assert_eq!(normalize_entry("long–range"), "long-range");
        assert_eq!(normalize_entry("ЯДЕРНЫЙ"), "ядерный");
    }

    #[test]
    fn parse_entry_accepts_trailing_wildcards_only() {
        assert_eq!(
            parse_entry("red line*").unwrap(),
            vec![Word::Exact("red".into()), Word::Prefix("line".into())]
        );
        assert_eq!(
            parse_entry("угроз*").unwrap(),
            vec![Word::Prefix("угроз".into())]
        );
        assert!(parse_entry("red* line").is_err());
        assert!(parse_entry("*").is_err());
        assert!(parse_entry("th*reat").is_err());
        assert!(parse_entry("у*гроза").is_err());
        assert!(parse_entry("угроз**").is_err());
        assert!(parse_entry("").is_err());
    }

    #[test]
    fn sanitizers() {
        assert_eq!(
            sanitize_lexicon_name("My LIWC 2015 (test)"),
            "my-liwc-2015-test"
        );
        assert_eq!(sanitize_lexicon_name("словарь"), "lexicon");
        assert_eq!(
            sanitize_category_name("economy.inflation"),
            "economy_inflation"
        );
    }

    #[test]
    fn default_weights_follow_polarity() {
        let lex = Lexicon {
            header: Header {
                name: "t".into(),
                version: "1.0.0".into(),
                languages: vec!["ru".into()],
                license: "MIT".into(),
                description: "d".into(),
                citation: "original".into(),
                match_mode: MatchMode::Surface,
                kind: LexiconKind::Polar,
                notes: None,
            },
            categories: vec![
                Category {
                    name: "pos".into(),
                    description: "d".into(),
                    polarity: Some(Polarity::Positive),
                    special: None,
                    entries: vec!["мир".into()],
                },
                Category {
                    name: "neg".into(),
                    description: "d".into(),
                    polarity: Some(Polarity::Negative),
                    special: None,
                    entries: vec!["война".into()],
                },
            ],
            weights: BTreeMap::from([("катастрофа".to_string(), -3.0)]),
            sha256: None,
            source: None,
        };
        assert_eq!(lex.weight("мир", 0), 1.0);
        assert_eq!(lex.weight("война", 1), -1.0);
        assert_eq!(lex.weight("катастрофа", 0), -3.0);
        assert!(lex.applies_to("RU"));
        assert!(!lex.applies_to("en"));
        let s = lex.summary();
        assert_eq!(s[1].category, "neg");
        assert_eq!(s[1].n_entries, 1);
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
