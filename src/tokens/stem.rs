//! The stem step: Snowball stems from `rust-stemmers`, cached per distinct input.
//!
//! Ordering contract: this step runs last, after lowercasing. The generated Snowball stemmers
//! only recognise lowercase suffixes ("fruitlessly" is stemmed, "FRUITLESSLY" is not), so
//! [`Stemmer::stem`] lowercases again itself when handed text with uppercase letters (that only
//! happens with `lowercase = false`).
//!
//! Rules, in order:
//! 1. Lowercase (see above). For Russian, map `ё` to `е`: the Snowball Russian algorithm assumes
//!    this mapping and Snowball 2.0 (2019) added it to the algorithm itself, but the older
//!    generated code in rust-stemmers 1.2 does not do it (see the module docs of `tokens`).
//! 2. Split at `-`, so each part of a hyphenated compound is stemmed on its own and the parts are
//!    joined with `-` again: "страной-агрессором" → "стран-агрессор", the same stem as
//!    "страна-агрессор". Without the split the stemmer would only ever touch the last part.
//! 3. Stem a part only if it is made of letters (and apostrophes); numbers, codes with digits
//!    ("f-35", "mh17") and dotted abbreviations ("u.s.") are kept as they are.
//! 4. If the stemmer returns an empty string, keep the part as it was, so a non-empty word never
//!    gets an empty stem.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::chars;
use super::normalize::lowercase;
use super::Language;

/// A Snowball stemmer for one language with a cache: one `rust_stemmers` run per distinct input.
///
/// The cache is a `HashMap<String, String>` (FxHash: short keys, no need for SipHash's
/// protection) that is never evicted; it grows with the number of distinct words of the corpus
/// (a few hundred thousand for a large news corpus), which is fine for this program's scale. It
/// is only ever looked up, never iterated, so its order cannot leak into output. The pipeline
/// keeps one analyzer, and so one cache, per worker thread for the whole run.
pub struct Stemmer {
    language: Language,
    stemmer: rust_stemmers::Stemmer,
    cache: FxHashMap<String, String>,
}

impl Stemmer {
    /// A stemmer for `language` with an empty cache.
    pub fn new(language: Language) -> Stemmer {
        Stemmer {
            language,
            stemmer: rust_stemmers::Stemmer::create(language.algorithm()),
            cache: FxHashMap::default(),
        }
    }

    /// The language this stemmer was made for.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The stem of `norm` (see the module docs for the rules), from the cache when seen before.
    pub fn stem(&mut self, norm: &str) -> String {
        if let Some(stem) = self.cache.get(norm) {
            return stem.clone();
        }
        let stem = stem_uncached(&self.stemmer, self.language, norm);
        self.cache.insert(norm.to_string(), stem.clone());
        stem
    }

    /// The stem of `norm` without the cache (for callers with a cache of their own).
    pub fn stem_uncached(&self, norm: &str) -> String {
        stem_uncached(&self.stemmer, self.language, norm)
    }

    /// Number of distinct inputs in the cache.
    pub fn cache_len(&self) -> usize {
        self.cache.len()
    }
}

impl Clone for Stemmer {
    /// A stemmer for the same language with a copy of the cache.
    fn clone(&self) -> Self {
        Stemmer {
            language: self.language,
            stemmer: rust_stemmers::Stemmer::create(self.language.algorithm()),
            cache: self.cache.clone(),
        }
    }
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stemmer")
            .field("language", &self.language)
            .field("cached", &self.cache.len())
            .finish()
    }
}

/// Lowercases, and for Russian folds `ё` to `е` (rule 1 of the module docs). Borrows when
/// there is nothing to change, which is the common case (the tokenizer lowercases first).
pub fn stem_input(language: Language, norm: &str) -> Cow<'_, str> {
    let text = lowercase(norm);
    if language == Language::Russian && text.contains('ё') {
        return Cow::Owned(text.replace('ё', "е"));
    }
    text
}

/// True when a compound part should go through the stemmer: it has a letter and nothing but
/// letters, combining marks and apostrophes. One pass, with the fast letter test of
/// [`chars::is_alphabetic`] (this runs for every new word form of a run).
fn is_stemmable(part: &str) -> bool {
    let mut has_letter = false;
    for c in part.chars() {
        if chars::is_alphabetic(c) {
            has_letter = true;
        } else if c != '\'' && !is_combining_mark(c) {
            return false;
        }
    }
    has_letter
}

/// Combining diacritical marks (U+0300–U+036F), e.g. a Russian stress mark left after NFC.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The stem of one compound part (rules 3 and 4), `None` when the part stays as it is.
fn stem_part<'a>(stemmer: &rust_stemmers::Stemmer, part: &'a str) -> Option<Cow<'a, str>> {
    if !is_stemmable(part) {
        return None;
    }
    let stem = stemmer.stem(part);
    (!stem.is_empty()).then_some(stem)
}

fn stem_uncached(stemmer: &rust_stemmers::Stemmer, language: Language, norm: &str) -> String {
    let input = stem_input(language, norm);
    if !input.contains('-') {
        // One part, the common case: the stemmer's own string when it made one, else a single
        // copy of the input, instead of building the result in a second buffer.
        let changed = match stem_part(stemmer, &input) {
            Some(Cow::Owned(stem)) => Some(stem),
            Some(Cow::Borrowed(stem)) if stem != input.as_ref() => Some(stem.to_string()),
            _ => None,
        };
        return changed.unwrap_or_else(|| input.into_owned());
    }
    let mut out = String::with_capacity(input.len());
    for (i, part) in input.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(&stem_part(stemmer, part).unwrap_or(Cow::Borrowed(part)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems() {
        let mut s = Stemmer::new(Language::English);
        assert_eq!(s.stem("negotiations"), "negoti");
        assert_eq!(s.stem("negotiation"), "negoti");
        assert_eq!(s.stem("missiles"), "missil");
        assert_eq!(s.stem("deployment"), "deploy");
        assert_eq!(s.stem("long-range"), "long-rang");
        assert_eq!(s.stem("u.s."), "u.s.");
        assert_eq!(s.stem("f-35"), "f-35");
        assert_eq!(s.stem("2019"), "2019");
    }

    #[test]
    fn russian_stems() {
        let mut s = Stemmer::new(Language::Russian);
        assert_eq!(s.stem("переговоры"), "переговор");
        assert_eq!(s.stem("переговоров"), "переговор");
        assert_eq!(s.stem("ракеты"), "ракет");
        assert_eq!(s.stem("ракетами"), "ракет");
        assert_eq!(s.stem("страной-агрессором"), "стран-агрессор");
        assert_eq!(s.stem("страна-агрессор"), "стран-агрессор");
    }

    #[test]
    fn russian_yo_is_folded_before_stemming() {
        let mut s = Stemmer::new(Language::Russian);
        // "ещё" and "еще" are the same word; "её" and "ее" too.
        assert_eq!(s.stem("ещё"), s.stem("еще"));
        assert_eq!(s.stem("объём"), s.stem("объем"));
        // Without the mapping ё is not a vowel and "зелёный" would stem to "зелён".
        assert_eq!(s.stem("зелёный"), "зелен");
        assert_eq!(s.stem("зеленый"), "зелен");
        // Only Russian folds ё.
        assert_eq!(stem_input(Language::English, "ё"), "ё");
    }

    #[test]
    fn uppercase_input_is_lowercased_for_the_stemmer() {
        let mut s = Stemmer::new(Language::English);
        assert_eq!(s.stem("Negotiations"), "negoti");
        let mut r = Stemmer::new(Language::Russian);
        assert_eq!(r.stem("ПЕРЕГОВОРЫ"), "переговор");
    }

    proptest::proptest! {
        /// A word's stem does not depend on the cache or on the words stemmed before it: a warm
        /// stemmer, the same stemmer again in reverse order, a fresh one and the uncached
        /// function agree on every word.
        #[test]
        fn stems_are_deterministic(
            words in proptest::collection::vec("[а-яёА-ЯЁa-zA-Z'\\-0-9.]{1,14}", 1..30),
        ) {
            for language in [Language::Russian, Language::English] {
                let mut warm = Stemmer::new(language);
                let first: Vec<String> = words.iter().map(|w| warm.stem(w)).collect();
                let again: Vec<String> = words.iter().rev().map(|w| warm.stem(w)).collect();
                let uncached = rust_stemmers::Stemmer::create(language.algorithm());
                for (i, word) in words.iter().enumerate() {
                    let fresh = Stemmer::new(language).stem(word);
                    proptest::prop_assert_eq!(&first[i], &fresh, "{}", word);
                    proptest::prop_assert_eq!(&again[words.len() - 1 - i], &fresh, "{}", word);
                    proptest::prop_assert_eq!(stem_uncached(&uncached, language, word), fresh);
                }
            }
        }
    }

    #[test]
    fn cache_holds_one_entry_per_distinct_input() {
        let mut s = Stemmer::new(Language::English);
        s.stem("talks");
        s.stem("talks");
        s.stem("talk");
        assert_eq!(s.cache_len(), 2);
        let c = s.clone();
        assert_eq!(c.cache_len(), 2);
        assert_eq!(c.language(), Language::English);
    }
}
