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
        let (mut text, removed) = self.boilerplate.strip(&text);
        trim_in_place(&mut text);
        Cleaned {
            text,
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
    if is_nfc_quick_yes(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// `is_nfc_quick(text.chars()) == IsNormalized::Yes`, without the table look-ups for the
/// characters of [`is_plain_starter`].
///
/// The quick check (UAX #15) walks the text keeping only the combining class of the previous
/// character; a character with quick-check value Yes and combining class 0 leaves the answer
/// as it was and resets that state, exactly as the start of the text does. So the text passes
/// when each run of other characters between plain starters passes on its own, and only those
/// runs (curly quotes, dashes, rare letters) go through the crate's tables.
fn is_nfc_quick_yes(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    // A plain starter's UTF-8 bytes are all below CC (ASCII, continuation bytes, lead bytes
    // C2–CB) or a lead byte D0 or D1; any other byte is the lead byte of a character that is not
    // one, where a run of such characters starts.
    while let Some(start) = find_run_start(bytes, from) {
        let end = text[start..]
            .char_indices()
            .find(|&(_, c)| is_plain_starter(c))
            .map_or(text.len(), |(i, _)| start + i);
        if is_nfc_quick(text[start..end].chars()) != IsNormalized::Yes {
            return false;
        }
        from = end;
    }
    true
}

/// Whether byte `b` starts a run of characters that are not plain starters (see
/// [`is_nfc_quick_yes`]).
fn starts_run(b: u8) -> bool {
    b >= 0xCC && b != 0xD0 && b != 0xD1
}

/// The first byte at or after `from` that [`starts_run`]. Looks at 32 bytes at a time with a
/// loop without an early exit, which the compiler turns into vector instructions.
fn find_run_start(bytes: &[u8], from: usize) -> Option<usize> {
    const CHUNK: usize = 32;
    let mut at = from;
    let rest = &bytes[from..];
    for chunk in rest.chunks(CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | starts_run(b)) {
            return chunk.iter().position(|&b| starts_run(b)).map(|i| at + i);
        }
        at += chunk.len();
    }
    None
}

/// U+0000–U+02FF (ASCII, Latin-1, Latin Extended, IPA, spacing modifiers) and U+0400–U+047F
/// (Cyrillic letters): every one has NFC quick-check value Yes and canonical combining class 0
/// (the test `plain_starters_are_nfc_starters` checks each against the crate's tables).
fn is_plain_starter(c: char) -> bool {
    c < '\u{0300}' || ('\u{0400}'..='\u{047F}').contains(&c)
}

/// `*text = text.trim().to_string()` without a new allocation.
fn trim_in_place(text: &mut String) {
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
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
    fn plain_starters_are_nfc_starters() {
        use unicode_normalization::char::canonical_combining_class;
        let mut plain = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_plain_starter(c) {
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
                plain += 1;
            }
        }
        assert_eq!(plain, 0x300 + 0x80);
    }

    /// The byte test of `is_nfc_quick_yes`: a char is a plain starter exactly when none of its
    /// bytes starts a run.
    #[test]
    fn plain_starter_bytes() {
        let mut buf = [0u8; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                is_plain_starter(c),
                !bytes.iter().any(|&b| starts_run(b)),
                "{c:?}"
            );
            assert!(!bytes[1..].iter().any(|&b| starts_run(b)), "{c:?}");
        }
    }

    #[test]
    fn trims_in_place() {
        for s in [
            "",
            "  ",
            " a b ",
            "\n\tтекст\u{3000}",
            "x",
            "\u{A0}y z\u{2003}",
        ] {
            let mut t = s.to_string();
            trim_in_place(&mut t);
            assert_eq!(t, s.trim());
        }
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
        /// The split quick check answers what the crate's quick check answers on the whole text.
        #[test]
        fn split_quick_check_agrees_with_the_crate(
            s in "([a-zа-яё éèй\u{300}-\u{36F}\u{483}-\u{489}\u{0591}-\u{05C7}“—\u{2000}\u{212B}\u{F900}Å]|\\PC){0,80}",
        ) {
            prop_assert_eq!(
                is_nfc_quick_yes(&s),
                is_nfc_quick(s.chars()) == IsNormalized::Yes
            );
        }

        #[test]
        fn clean_text_is_trimmed_nfc_without_cr(s in "(\\PC|\r|\n| ){0,120}") {
            let text = cleaner(&[]).clean(&s).text;
            prop_assert!(!text.contains('\r'));
            prop_assert_eq!(text.trim(), text.as_str());
            prop_assert_eq!(nfc(&text), text.as_str());
        }
    }
}
