//! Character classes with a fast path for ASCII and basic Cyrillic.
//!
//! The standard library answers `char::is_alphabetic`, `char::is_uppercase` and
//! `str::to_lowercase` for letters outside ASCII with a look-up in its Unicode tables, which was
//! a few percent of a whole run on a Russian/English corpus: every new word form goes through
//! them several times (normalize, stopword key, stem input, stemmability). Almost every letter
//! of such a corpus is ASCII or in U+0400–U+045F (the basic Cyrillic letters, including `ё`
//! and the Ukrainian, Belarusian and Serbian ones), where the answers are simple ranges:
//!
//! - U+0400–U+042F are uppercase letters, and U+0400–U+040F lowercase to `c + 0x50`,
//!   U+0410–U+042F to `c + 0x20`;
//! - U+0430–U+045F are lowercase letters and lowercase to themselves.
//!
//! Everything else goes to the standard library, so every function here returns exactly what
//! its standard counterpart returns; the tests check that for every `char`.

/// `c.is_alphabetic()`, without the table look-up for ASCII and basic Cyrillic.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{0400}'..='\u{045F}' => true,
        '\0'..='\x7f' => false,
        _ => c.is_alphabetic(),
    }
}

/// True when `text` has an uppercase letter (`text.chars().any(char::is_uppercase)`). Reads
/// ASCII and basic Cyrillic from their UTF-8 bytes without decoding them.
pub fn has_uppercase(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'A'..=b'Z' => return true,
            0..=0x7F => i += 1,
            // U+0400–U+043F: uppercase below U+0430, whose second byte is B0.
            0xD0 if bytes[i + 1] < 0xB0 => return true,
            // U+0430–U+043F, and U+0440–U+045F (D1 80 to D1 9F): lowercase letters.
            0xD0 => i += 2,
            0xD1 if bytes[i + 1] < 0xA0 => i += 2,
            _ => {
                let c = text[i..].chars().next().unwrap_or_default();
                if c.is_uppercase() {
                    return true;
                }
                i += c.len_utf8();
            }
        }
    }
    false
}

/// `text.to_lowercase()`: mapped char by char when every char is ASCII or basic Cyrillic
/// (one-to-one mappings without context), by the standard library otherwise (which also
/// handles the context-dependent final sigma).
pub fn to_lowercase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let lower = match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '\0'..='\x7f' | '\u{0430}'..='\u{045F}' => c,
            // Both ranges map into U+0430–U+045F, so the sums are valid chars.
            '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
            '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            _ => return text.to_lowercase(),
        };
        out.push(lower);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn every_char() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    #[test]
    fn classes_agree_with_std_on_every_char() {
        for c in every_char() {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            assert_eq!(has_uppercase(s), c.is_uppercase(), "{c:?}");
            let padded = format!("ё{c}a");
            assert_eq!(has_uppercase(&padded), c.is_uppercase(), "{c:?}");
        }
    }

    #[test]
    fn lowercase_agrees_with_std_on_every_char() {
        let mut buf = [0u8; 4];
        for c in every_char() {
            let s: &str = c.encode_utf8(&mut buf);
            assert_eq!(to_lowercase(s), s.to_lowercase(), "{c:?}");
        }
    }

    #[test]
    fn lowercase_examples() {
        assert_eq!(to_lowercase("РОССИЯ Ёж Їжак ЂЏ"), "россия ёж їжак ђџ");
        assert_eq!(to_lowercase("U.S.-Russia"), "u.s.-russia");
        // Outside the fast ranges: the standard library, final sigma included.
        assert_eq!(to_lowercase("ΟΔΟΣ"), "οδος");
        assert_eq!(to_lowercase("Ѣ-ПИСЬМО ΑΣ"), "ѣ-письмо ας");
        assert!(has_uppercase("россиЯ"));
        assert!(!has_uppercase("россия-2024 ß"));
    }

    proptest! {
        #[test]
        fn strings_agree_with_std(s in "[a-zA-Zа-яА-ЯёЁѐ-џЀ-Џ0-9 .'Σσς\\-]{0,30}|\\PC{0,30}") {
            prop_assert_eq!(to_lowercase(&s), s.to_lowercase());
            prop_assert_eq!(has_uppercase(&s), s.chars().any(char::is_uppercase));
        }
    }
}
