//! Text cleaning: raw decoded text -> a document's clean text.
//!
//! The order is fixed:
//! 1. decode (in [`super::decode`], as the file is read): byte-order mark removed, configured
//!    encoding, invalid bytes an error or U+FFFD;
//! 2. a leading U+FEFF left inside a field is removed; CRLF and lone CR become LF;
//! 3. Unicode NFC normalization (UAX #15), so "é" is one code point whatever the source wrote
//!    and boilerplate patterns and lexicon entries match composed text;
//! 4. boilerplate removal ([`super::boilerplate`]), line by line, runs of blank lines collapsed;
//! 5. surrounding whitespace trimmed.
//!
//! The result is the text later stages tokenize and keep byte spans into, and what KWIC shows.
//! Quotes and dashes are *not* folded here (the tokenizer folds per token), so the original
//! characters stay for display.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::boilerplate::Boilerplate;

/// A cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The clean text; empty when nothing but boilerplate and whitespace was left.
    pub text: String,
    /// Number of non-empty lines removed as boilerplate.
    pub boilerplate_lines_removed: u32,
}

/// Applies steps 2-5 of the cleaning order to decoded text.
#[derive(Debug, Clone)]
pub struct Cleaner {
    boilerplate: Boilerplate,
}

impl Cleaner {
    /// A cleaner that removes boilerplate with `boilerplate`.
    pub fn new(boilerplate: Boilerplate) -> Self {
        Cleaner { boilerplate }
    }

    /// Clean one decoded text.
    pub fn clean(&self, raw: &str) -> Cleaned {
        let text = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
        let text = normalize_newlines(text);
        let text = nfc(&text);
        let (text, removed) = self.boilerplate.strip(&text);
        Cleaned {
            text: text.trim().to_string(),
            boilerplate_lines_removed: removed,
        }
    }
}

/// CRLF and lone CR -> LF.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Unicode Normalization Form C; borrows when the text is already NFC.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::config::BoilerplateConfig;
    use proptest::prelude::*;

    fn cleaner(patterns: &[&str]) -> Cleaner {
        let config = BoilerplateConfig {
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        };
        Cleaner::new(Boilerplate::new(&config).unwrap())
    }

    #[test]
    fn nfc_composes() {
        // "e" + COMBINING ACUTE, "и" + COMBINING BREVE -> "é", "й".
        assert_eq!(nfc("caf\u{65}\u{301} \u{438}\u{306}од"), "café йод");
        assert!(matches!(nfc("уже NFC — “да”"), Cow::Borrowed(_)));
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(normalize_newlines("а\r\nб\rв\n"), "а\nб\nв\n");
    }

    #[test]
    fn full_order() {
        // BOM, CRLF, a decomposed "й", a boilerplate line written composed, surrounding blanks.
        let raw =
            "\u{FEFF}\r\n  Подпишитесь на канал \u{438}\u{306}\r\n\r\n“Quoted” — text.\r\n\r\n";
        let cleaned = cleaner(&["^Подпишитесь на канал й$"]).clean(raw);
        assert_eq!(cleaned.text, "“Quoted” — text.");
        assert_eq!(cleaned.boilerplate_lines_removed, 1);
    }

    #[test]
    fn only_boilerplate_leaves_empty_text() {
        let cleaned = cleaner(&["^Leave a Comment$"]).clean("\n Leave a Comment \n\n");
        assert_eq!(
            cleaned,
            Cleaned {
                text: String::new(),
                boilerplate_lines_removed: 1
            }
        );
    }

    proptest! {
        #[test]
        fn clean_text_is_trimmed_nfc_without_cr(s in "(\\PC|\r|\n| ){0,120}") {
            let text = cleaner(&[]).clean(&s).text;
            prop_assert!(!text.contains('\r'));
            prop_assert_eq!(text.trim(), text.as_str());
            prop_assert_eq!(nfc(&text), text.as_str());
        }
    }
}
