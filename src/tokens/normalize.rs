//! From the token as written to `norm`: fold typographic variants, lowercase, strip a possessive.
//!
//! Ordering contract: [`fold`] runs first (so `’s` and `'s` look the same), then lowercasing (so
//! `'S` and `'s` look the same), then [`strip_possessive`]. [`normalize`] runs all three.

use std::borrow::Cow;

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
    if !text.chars().any(|c| fold_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| fold_char(c).unwrap_or(c)).collect())
}

/// Lowercases with full Unicode rules (`str::to_lowercase`, so "РОССИЯ" → "россия"). Borrows
/// when the text has no uppercase letter.
pub fn lowercase(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_uppercase) {
        Cow::Owned(text.to_lowercase())
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
        Some(c) if c.is_alphabetic() => stem,
        _ => text,
    }
}

/// Runs the whole chain: [`fold`], then [`lowercase`] when `lowercase` is set, then
/// [`strip_possessive`] when `possessive` is set.
pub fn normalize(text: &str, lowercase_it: bool, possessive: bool) -> String {
    let folded = fold(text);
    let lowered = if lowercase_it {
        lowercase(&folded)
    } else {
        Cow::Borrowed(folded.as_ref())
    };
    if possessive {
        strip_possessive(&lowered).to_string()
    } else {
        lowered.into_owned()
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
