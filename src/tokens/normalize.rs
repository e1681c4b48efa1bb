//! From the token as written to `norm`: fold typographic variants, lowercase, strip a possessive.
//!
//! Ordering contract: [`fold`] runs first (so `’s` and `'s` look the same), then lowercasing (so
//! `'S` and `'s` look the same), then [`strip_possessive`]. [`normalize`] runs all three.

use std::borrow::Cow;

use super::chars;

/// The ASCII replacement for a typographic character inside a token, if it has one.
///
/// - apostrophes and single quotes ’ ‘ ʼ and the backtick → `'`
/// - double quotes and guillemets “ ” « » „ → `"`
/// - en dash –, em dash —, hyphen ‐ (U+2010) and non-breaking hyphen ‑ (U+2011) → `-`
fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' | '\u{201E}' => Some('"'),
        '\u{2013}' | '\u{2014}' | '\u{2010}' | '\u{2011}' => Some('-'),
        _ => None,
    }
}

/// Folds typographic apostrophes, quotes and dashes to ASCII (see `fold_char`). Borrows when
/// there is nothing to fold, which is the common case.
pub fn fold(text: &str) -> Cow<'_, str> {
    // Every character `fold_char` replaces is the backtick or starts with one of the UTF-8 lead
    // bytes C2 (U+0080–U+00BF), CA (U+0280–U+02BF) or E2 (U+2000–U+2FFF); a byte scan rules out
    // most words (Latin, Cyrillic) without decoding a char.
    let may_fold = |b: &u8| matches!(b, b'`' | 0xC2 | 0xCA | 0xE2);
    if !text.as_bytes().iter().any(may_fold) || !text.chars().any(|c| fold_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| fold_char(c).unwrap_or(c)).collect())
}

/// Lowercases with full Unicode rules (`str::to_lowercase`, so "РОССИЯ" → "россия"). Borrows
/// when the text has no uppercase letter.
pub fn lowercase(text: &str) -> Cow<'_, str> {
    if chars::has_uppercase(text) {
        Cow::Owned(chars::to_lowercase(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// Removes a final possessive `'s` (or `'S`) when a letter comes before the apostrophe:
/// "russia's" → "russia", "россия's" → "россия"; "'s" alone and "5's" are left alone. Expects
/// folded text (`’` already turned into `'`).
pub fn strip_possessive(text: &str) -> &str {
    let Some(stem) = text.strip_suffix("'s").or_else(|| text.strip_suffix("'S")) else {
        return text;
    };
    match stem.chars().next_back() {
        Some(c) if chars::is_alphabetic(c) => stem,
        _ => text,
    }
}

/// Runs the whole chain: [`fold`], then [`lowercase`] when `lowercase` is set, then
/// [`strip_possessive`] when `possessive` is set.
pub fn normalize(text: &str, lowercase_it: bool, possessive: bool) -> String {
    // At most one allocation: each step works on the previous step's string when that is
    // already owned, and the result is copied out of `text` only when nothing changed it.
    let folded = fold(text);
    let lowered = match folded {
        Cow::Borrowed(text) if lowercase_it => lowercase(text),
        Cow::Owned(text) if lowercase_it && chars::has_uppercase(&text) => {
            Cow::Owned(chars::to_lowercase(&text))
        }
        folded => folded,
    };
    match lowered {
        Cow::Owned(mut text) => {
            if possessive {
                let kept = strip_possessive(&text).len();
                text.truncate(kept);
            }
            text
        }
        Cow::Borrowed(text) if possessive => strip_possessive(text).to_string(),
        Cow::Borrowed(text) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_apostrophes_quotes_and_dashes() {
        assert_eq!(fold("Russia’s"), "Russia's");
        assert_eq!(fold("Россия‘s"), "Россия's");
        assert_eq!(fold("Hawaiʻi ʼs"), "Hawaiʻi 's");
        assert_eq!(fold("«да»"), "\"да\"");
        assert_eq!(fold("„так“"), "\"так\"");
        assert_eq!(fold("1,000–5,500"), "1,000-5,500");
        assert_eq!(fold("long‑range—short‐range"), "long-range-short-range");
        assert!(matches!(fold("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn lowercases_cyrillic_and_greek() {
        assert_eq!(lowercase("РОССИЯ"), "россия");
        assert_eq!(lowercase("ΟΔΟΣ"), "οδος");
        assert_eq!(lowercase("U.S."), "u.s.");
        assert!(matches!(lowercase("уже"), Cow::Borrowed(_)));
    }

    #[test]
    fn strips_possessive_only_after_a_letter() {
        assert_eq!(strip_possessive("russia's"), "russia");
        assert_eq!(strip_possessive("RUSSIA'S"), "RUSSIA");
        assert_eq!(strip_possessive("россия's"), "россия");
        assert_eq!(strip_possessive("'s"), "'s");
        assert_eq!(strip_possessive("1990's"), "1990's");
        assert_eq!(strip_possessive("boss"), "boss");
        assert_eq!(
            strip_possessive("russia’s"),
            "russia’s",
            "expects folded input"
        );
    }

    /// The byte prefilter of [`fold`] must let through every char that `fold_char` replaces.
    #[test]
    fn fold_prefilter_sees_every_folded_char() {
        let mut buf = [0u8; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if fold_char(c).is_some() {
                let first = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(matches!(first, b'`' | 0xC2 | 0xCA | 0xE2), "{c:?}");
                assert!(
                    matches!(fold(c.encode_utf8(&mut buf)), Cow::Owned(_)),
                    "{c:?}"
                );
            }
        }
    }

    /// The chain as first written (three steps, each on the previous step's output, with the
    /// standard library's char classes), the reference the optimized steps must agree with.
    fn reference_normalize(text: &str, lowercase_it: bool, possessive: bool) -> String {
        let folded: String = text.chars().map(|c| fold_char(c).unwrap_or(c)).collect();
        let lowered = if lowercase_it && folded.chars().any(char::is_uppercase) {
            folded.to_lowercase()
        } else {
            folded
        };
        if !possessive {
            return lowered;
        }
        let stripped = lowered
            .strip_suffix("'s")
            .or_else(|| lowered.strip_suffix("'S"))
            .filter(|stem| stem.chars().next_back().is_some_and(char::is_alphabetic));
        stripped.unwrap_or(&lowered).to_string()
    }

    proptest::proptest! {
        #[test]
        fn normalize_agrees_with_the_reference(
            text in "([a-zA-Zа-яА-ЯёЁΣσ0-9'’‘ʼ`“”«»„–—‐‑.\\-]|s|S){0,16}|\\PC{0,16}",
            lowercase_it: bool,
            possessive: bool,
        ) {
            proptest::prop_assert_eq!(
                normalize(&text, lowercase_it, possessive),
                reference_normalize(&text, lowercase_it, possessive)
            );
            let lowered = if text.chars().any(char::is_uppercase) {
                text.to_lowercase()
            } else {
                text.clone()
            };
            proptest::prop_assert_eq!(lowercase(&text).into_owned(), lowered);
            let folded: String = text.chars().map(|c| fold_char(c).unwrap_or(c)).collect();
            proptest::prop_assert_eq!(fold(&text).into_owned(), folded);
        }
    }

    #[test]
    fn chain_order_fold_then_lowercase_then_strip() {
        assert_eq!(normalize("Russia’s", true, true), "russia");
        assert_eq!(normalize("Russia’s", true, false), "russia's");
        assert_eq!(normalize("Russia’S", false, true), "Russia");
        assert_eq!(normalize("Россия’s", true, true), "россия");
        assert_eq!(
            normalize("Страной‑Агрессором", true, true),
            "страной-агрессором"
        );
    }
}
