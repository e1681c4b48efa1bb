//! The stopword set of one analyzer: built-in NLTK list, `extra` words and stopword files.
//!
//! Every entry is normalized the way tokens are ([`super::normalize::normalize`] with
//! lowercasing on, plus the stem step's `ё` → `е` for Russian), and lookups apply the same key
//! function, so "Russia’s"-style spellings, uppercase and `ё` match the list.

use std::borrow::Cow;
use std::path::Path;

use rustc_hash::FxHashSet;

use super::chars;
use super::normalize::{fold, normalize};
use super::{Language, StopwordConfig, TokensError};

/// A set of normalized stopwords. Only ever looked up, never iterated (so FxHash, faster than
/// SipHash on short keys, cannot leak an order into output).
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    language: Option<Language>,
    words: FxHashSet<String>,
}

impl Stopwords {
    /// Builds the set for `language` from `config`. `strip_possessive` is the tokenizer setting,
    /// so list entries get the same treatment as tokens.
    ///
    /// Errors: an unreadable or non-UTF-8 file, or an entry (extra word or file line) with
    /// whitespace inside it, since such an entry could never match a token.
    pub fn load(
        config: &StopwordConfig,
        language: Language,
        strip_possessive: bool,
    ) -> Result<Stopwords, TokensError> {
        let mut set = Stopwords {
            language: Some(language),
            words: FxHashSet::default(),
        };
        if config.builtin {
            if let Some(code) = language.stopword_code() {
                for word in stop_words::get(code) {
                    set.insert(word.trim(), strip_possessive);
                }
            }
        }
        for word in &config.extra {
            let word = word.trim();
            if word.contains(char::is_whitespace) {
                return Err(TokensError::StopwordWithSpace {
                    origin: "tokenizer.stopwords.extra".to_string(),
                    word: word.to_string(),
                });
            }
            set.insert(word, strip_possessive);
        }
        for path in &config.files {
            set.load_file(path, strip_possessive)?;
        }
        Ok(set)
    }

    fn load_file(&mut self, path: &Path, strip_possessive: bool) -> Result<(), TokensError> {
        let text = std::fs::read_to_string(path).map_err(|source| TokensError::StopwordFile {
            path: path.to_path_buf(),
            error: source,
        })?;
        for (i, line) in text.lines().enumerate() {
            let word = line.trim();
            if word.is_empty() || word.starts_with('#') {
                continue;
            }
            if word.contains(char::is_whitespace) {
                return Err(TokensError::StopwordWithSpace {
                    origin: format!("{}:{}", path.display(), i + 1),
                    word: word.to_string(),
                });
            }
            self.insert(word, strip_possessive);
        }
        Ok(())
    }

    fn insert(&mut self, word: &str, strip_possessive: bool) {
        let norm = normalize(word, true, strip_possessive);
        if norm.is_empty() {
            return;
        }
        let key = self.key(&norm).into_owned();
        self.words.insert(key);
    }

    /// The lookup key of a `norm`: folded, lowercased, and for Russian with `ё` folded to `е`.
    /// Borrows when there is nothing to change (the common case for a token's `norm`).
    fn key<'a>(&self, norm: &'a str) -> Cow<'a, str> {
        let mut key = fold(norm);
        if chars::has_uppercase(&key) {
            key = Cow::Owned(chars::to_lowercase(&key));
        }
        if self.language == Some(Language::Russian) && key.contains('ё') {
            key = Cow::Owned(key.replace('ё', "е"));
        }
        key
    }

    /// True when `norm` (a token's `norm`, in any case and with typographic or ASCII apostrophes)
    /// is a stopword.
    pub fn contains(&self, norm: &str) -> bool {
        !self.words.is_empty() && self.words.contains(self.key(norm).as_ref())
    }

    /// Number of distinct stopwords.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn builtin_only() -> StopwordConfig {
        StopwordConfig::default()
    }

    #[test]
    fn english_builtin_list() {
        let set = Stopwords::load(&builtin_only(), Language::English, true).unwrap();
        for w in ["the", "not", "and", "don't", "The", "DON’T"] {
            assert!(set.contains(w), "{w}");
        }
        for w in ["missile", "russia", "россия"] {
            assert!(!set.contains(w), "{w}");
        }
    }

    #[test]
    fn russian_builtin_list_with_yo() {
        let set = Stopwords::load(&builtin_only(), Language::Russian, true).unwrap();
        for w in ["и", "не", "что", "между", "ее", "её", "Ещё", "НЕ"] {
            assert!(set.contains(w), "{w}");
        }
        for w in ["ракета", "переговоры", "the"] {
            assert!(!set.contains(w), "{w}");
        }
    }

    #[test]
    fn tamil_has_no_builtin_list() {
        let set = Stopwords::load(&builtin_only(), Language::Tamil, true).unwrap();
        assert!(set.is_empty());
        assert!(!set.contains("the"));
    }

    #[test]
    fn extra_words_are_normalized() {
        let config = StopwordConfig {
            builtin: false,
            extra: vec!["Сказал".into(), "Kremlin’s".into(), " said ".into()],
            files: vec![],
        };
        let set = Stopwords::load(&config, Language::English, true).unwrap();
        assert_eq!(set.len(), 3);
        assert!(set.contains("сказал"));
        assert!(set.contains("kremlin"));
        assert!(set.contains("said"));
        assert!(!set.contains("the"), "builtin list is off");
    }

    #[test]
    fn files_skip_comments_and_blank_lines() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "# наши стоп-слова\n\nзаявил\n  Said  \n#не это").unwrap();
        let config = StopwordConfig {
            builtin: false,
            extra: vec![],
            files: vec![file.path().to_path_buf()],
        };
        let set = Stopwords::load(&config, Language::Russian, true).unwrap();
        assert_eq!(set.len(), 2);
        assert!(set.contains("заявил"));
        assert!(set.contains("said"));
        assert!(!set.contains("#не"));
    }

    #[test]
    fn unreadable_file_names_the_path() {
        let config = StopwordConfig {
            builtin: true,
            extra: vec![],
            files: vec!["/nonexistent/стоп.txt".into()],
        };
        let err = Stopwords::load(&config, Language::Russian, true).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("cannot read stopword file /nonexistent/стоп.txt: "),
            "{msg}"
        );
    }

    #[test]
    fn entries_with_spaces_are_errors() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "один\nдва слова").unwrap();
        let config = StopwordConfig {
            builtin: false,
            extra: vec![],
            files: vec![file.path().to_path_buf()],
        };
        let err = Stopwords::load(&config, Language::Russian, true).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}:2: stopword \"два слова\" contains whitespace (one word per entry)",
                file.path().display()
            )
        );
        let config = StopwordConfig {
            builtin: false,
            extra: vec!["so called".into()],
            files: vec![],
        };
        let err = Stopwords::load(&config, Language::English, true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "tokenizer.stopwords.extra: stopword \"so called\" contains whitespace (one word per entry)"
        );
    }
}
