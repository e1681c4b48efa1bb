//! The `[tokenizer]` table of the study file.
//!
//! Every field has a default, so an empty (or absent) table gives the behaviour documented on each
//! field. Unknown keys are rejected, so a typo such as `lowecase = false` is an error instead of a
//! silently ignored setting.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Options of the tokenizer, read from the `[tokenizer]` table of the study file.
///
/// ```toml
/// [tokenizer]
/// lowercase = true
/// split-hyphens = false
/// numbers = "keep"          # "keep" | "drop" | "normalize"
/// urls = "keep"             # "keep" | "drop"
/// strip-possessive = true
/// stem = true
///
/// [tokenizer.stopwords]
/// builtin = true
/// extra = ["said", "сказал"]
/// files = ["lexicons/stop-extra.txt"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct TokenizerConfig {
    /// Lowercase `norm` with full Unicode lowercasing (so Cyrillic works). Default `true`.
    ///
    /// Stopword matching and stemming always see the lowercased form, whatever this says: the
    /// stopword lists are lowercase and the Snowball stemmers only work on lowercase input. With
    /// `false`, `norm` keeps the case as written and `stem` is still lowercase.
    pub lowercase: bool,
    /// Split hyphenated compounds into their parts. Default `false`.
    ///
    /// With `false`, an intra-word hyphen (U+002D hyphen-minus, U+2010 hyphen, U+2011
    /// non-breaking hyphen, with a letter or digit directly on both sides) keeps the compound as
    /// one token: "long-range", "state-run", "страной-агрессором". With `true` each part is its
    /// own token, with the span of that part. En and em dashes never join.
    pub split_hyphens: bool,
    /// What to do with number tokens ("2019", "5,500", "2.4"). Default `"keep"`.
    pub numbers: NumberPolicy,
    /// What to do with URLs and e-mail addresses. Default `"keep"`.
    pub urls: UrlPolicy,
    /// Strip a possessive `'s` (or `’s`) from `norm`: "Russia’s" and "Russia's" give "russia".
    /// Default `true`. Contractions that look the same ("it's", "let's") lose the `'s` too.
    pub strip_possessive: bool,
    /// Stem words with the Snowball stemmer of the document language. Default `true`. With
    /// `false`, `stem` is the lowercased `norm`.
    pub stem: bool,
    /// Stopword lists. Stopwords are flagged (`Token::is_stop`), never removed.
    pub stopwords: StopwordConfig,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        TokenizerConfig {
            lowercase: true,
            split_hyphens: false,
            numbers: NumberPolicy::Keep,
            urls: UrlPolicy::Keep,
            strip_possessive: true,
            stem: true,
            stopwords: StopwordConfig::default(),
        }
    }
}

/// What the tokenizer does with number tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberPolicy {
    /// Keep numbers; `norm` and `stem` are the number as written ("5,500"). The default.
    #[default]
    Keep,
    /// Remove number tokens from the output.
    Drop,
    /// Keep number tokens but set `norm` and `stem` to the literal `<num>`, so all numbers count
    /// as one term.
    Normalize,
}

/// What the tokenizer does with URLs and e-mail addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlPolicy {
    /// A URL or e-mail address is one token of kind `Url` / `Email`. The default.
    #[default]
    Keep,
    /// URLs and e-mail addresses are removed (and their text is not tokenized either).
    Drop,
}

/// The `[tokenizer.stopwords]` table: which words are flagged as stopwords.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct StopwordConfig {
    /// Use the built-in list of the document language. Default `true`.
    ///
    /// The lists are the NLTK stopword corpus (itself taken from the Snowball project's lists via
    /// PostgreSQL), as shipped by the `stop-words` crate. Tamil has no NLTK list, so for Tamil the
    /// built-in list is empty.
    pub builtin: bool,
    /// More stopwords, normalized like tokens (folded, lowercased, possessive stripped) before
    /// comparison. Default empty.
    pub extra: Vec<String>,
    /// Stopword files: UTF-8, one word per line, blank lines and lines starting with `#`
    /// ignored. The study layer resolves the paths before the tokenizer sees them. An unreadable
    /// file is an error. Default empty.
    pub files: Vec<PathBuf>,
}

impl Default for StopwordConfig {
    fn default() -> Self {
        StopwordConfig {
            builtin: true,
            extra: Vec::new(),
            files: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_table_gives_defaults() {
        let config: TokenizerConfig = toml::from_str("").unwrap();
        assert_eq!(config, TokenizerConfig::default());
        assert!(config.lowercase);
        assert!(!config.split_hyphens);
        assert_eq!(config.numbers, NumberPolicy::Keep);
        assert_eq!(config.urls, UrlPolicy::Keep);
        assert!(config.strip_possessive);
        assert!(config.stem);
        assert!(config.stopwords.builtin);
        assert!(config.stopwords.extra.is_empty());
    }

    #[test]
    fn kebab_case_keys_and_policies() {
        let text = r#"
            split-hyphens = true
            strip-possessive = false
            numbers = "normalize"
            urls = "drop"
            [stopwords]
            builtin = false
            extra = ["сказал", "said"]
            files = ["stop.txt"]
        "#;
        let config: TokenizerConfig = toml::from_str(text).unwrap();
        assert!(config.split_hyphens);
        assert!(!config.strip_possessive);
        assert_eq!(config.numbers, NumberPolicy::Normalize);
        assert_eq!(config.urls, UrlPolicy::Drop);
        assert!(!config.stopwords.builtin);
        assert_eq!(config.stopwords.extra, vec!["сказал", "said"]);
        assert_eq!(config.stopwords.files, vec![PathBuf::from("stop.txt")]);
    }

    #[test]
    fn unknown_keys_and_values_are_rejected() {
        let err = toml::from_str::<TokenizerConfig>("lowecase = false").unwrap_err();
        assert!(err.to_string().contains("lowecase"), "{err}");
        let err = toml::from_str::<TokenizerConfig>("numbers = \"round\"").unwrap_err();
        assert!(err.to_string().contains("round"), "{err}");
        let err = toml::from_str::<TokenizerConfig>("[stopwords]\nlist = []").unwrap_err();
        assert!(err.to_string().contains("list"), "{err}");
    }

    #[test]
    fn round_trips_through_toml() {
        let config = TokenizerConfig {
            numbers: NumberPolicy::Drop,
            ..TokenizerConfig::default()
        };
        let text = toml::to_string(&config).unwrap();
        assert!(text.contains("split-hyphens = false"), "{text}");
        let back: TokenizerConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, config);
    }
}
