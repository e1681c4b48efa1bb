//! Sentence breaks after abbreviations: the one place where framelens' sentences depart from
//! UAX #29.
//!
//! UAX #29 keeps a sentence going after a full stop only when a lowercase word follows (rule
//! SB8), so it cuts "Mr. Putin said", "Gen. Gerasimov", "John F. Kennedy", "В. Путин" and
//! "ул. Тверская" in two. News names people that way in nearly every story, and a false break
//! there cuts a phrase match, a negation scope and a sentence score. So after the UAX #29 pass
//! a break is dropped when the text just before it is a word token, a full stop and white space,
//! and the word is
//!
//! - an initial: one uppercase letter ("F. Kennedy", "В. Путин");
//! - a title or other abbreviation that stands before a name or number ([`BEFORE_NAMES`]:
//!   "Mr", "Gen", "Sen", "No", "ул", "им", …), as written, case included;
//! - a lowercase dotted abbreviation, whose final dot the segmenter keeps in the token ("e.g.",
//!   "i.e.", "т.е.").
//!
//! Uppercase dotted abbreviations ("U.S.", "U.K.") end sentences about as often as they start
//! noun phrases ("sanctions on the U.S. The Kremlin said …"), so they keep UAX #29's break, as
//! do abbreviations that often end a sentence ("etc.", "Jr."). The cost is a missed break after
//! a real sentence ending in an initial ("… plan B. Then …"), which is rare in news.

use super::segment::Candidate;
use super::TokenKind;

/// Abbreviations that stand before a name, a place or a number, so a full stop after them
/// does not end the sentence. Compared with the token as written.
pub const BEFORE_NAMES: &[&str] = &[
    // English titles, ranks and forms of address.
    "Mr",
    "Mrs",
    "Ms",
    "Messrs",
    "Dr",
    "Prof",
    "Gen",
    "Lt",
    "Col",
    "Maj",
    "Capt",
    "Cmdr",
    "Adm",
    "Sgt",
    "Cpl",
    "Sen",
    "Rep",
    "Gov",
    "Amb",
    "Pres",
    "Rev",
    "Hon",
    "Supt",
    "Insp",
    "St",
    "Mt",
    "Ft", // English abbreviations before a number or a name.
    "No",
    "Nos",
    "vs",
    "approx",
    "cf", // Russian: address, ranks, "named after" and the like.
    "г",
    "гг",
    "ул",
    "им",
    "просп",
    "пер",
    "пл",
    "обл",
    "ген",
    "проф",
    "акад",
    "св",
    "тов",
];

/// Drops the breaks in `starts` (sentence start offsets from UAX #29, ascending) that follow an
/// abbreviation, as the module docs describe. `candidates` are the document's token candidates,
/// in text order.
pub fn drop_abbreviation_breaks(text: &str, candidates: &[Candidate], starts: &mut Vec<usize>) {
    starts.retain(|&start| !after_abbreviation(text, candidates, start));
}

/// True when the sentence break at `start` follows an abbreviation.
fn after_abbreviation(text: &str, candidates: &[Candidate], start: usize) -> bool {
    let before = candidates.partition_point(|c| c.end <= start);
    let Some(token) = before.checked_sub(1).map(|i| &candidates[i]) else {
        return false;
    };
    if token.kind != TokenKind::Word {
        return false;
    }
    let word = &text[token.start..token.end];
    let gap = &text[token.end..start];
    if let Some(spaces) = gap.strip_prefix('.') {
        // "Mr. " or "F. ": a full stop, then only white space up to the next sentence.
        if spaces.is_empty() || !spaces.chars().all(char::is_whitespace) {
            return false;
        }
        let mut chars = word.chars();
        let initial = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
        return initial || BEFORE_NAMES.contains(&word);
    }
    // "e.g. ": the segmenter kept the final dot in the token.
    !gap.is_empty()
        && gap.chars().all(char::is_whitespace)
        && word.ends_with('.')
        && word.contains(|c: char| c.is_alphabetic())
        && !word.contains(|c: char| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::{Analyzer, Language, TokenizerConfig};

    /// The sentences of `text` as the analyzer numbers its tokens: each sentence's words.
    fn sentences(text: &str, language: Language) -> Vec<String> {
        let mut analyzer = Analyzer::new(&TokenizerConfig::default(), language).unwrap();
        let doc = analyzer.analyze(text);
        let mut out: Vec<Vec<&str>> = Vec::new();
        for t in &doc.tokens {
            let i = t.sentence as usize;
            if out.len() <= i {
                out.push(Vec::new());
            }
            out[i].push(&text[t.start..t.end]);
        }
        out.into_iter().map(|s| s.join(" ")).collect()
    }

    #[test]
    fn titles_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences(
                "Mr. Putin met Gen. Gerasimov and John F. Kennedy Jr. on Monday. Then he left.",
                Language::English
            ),
            [
                "Mr Putin met Gen Gerasimov and John F Kennedy Jr on Monday",
                "Then he left"
            ]
        );
        assert_eq!(
            sentences(
                "В. Путин посетил ул. Тверская и музей им. Пушкина. Затем он уехал.",
                Language::Russian
            ),
            [
                "В Путин посетил ул Тверская и музей им Пушкина",
                "Затем он уехал"
            ]
        );
    }

    #[test]
    fn lowercase_dotted_abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences(
                "Some outlets, e.g. Meduza, disagreed. Others did not.",
                Language::English
            ),
            ["Some outlets e.g. Meduza disagreed", "Others did not"]
        );
        assert_eq!(
            sentences(
                "Это важно, т.е. Москва ответит. Так считают.",
                Language::Russian
            ),
            ["Это важно т.е. Москва ответит", "Так считают"]
        );
    }

    #[test]
    fn other_full_stops_still_end_sentences() {
        // An uppercase dotted abbreviation, a word that is not listed, a listed word that
        // is not followed by a full stop, and a full stop followed by a closing quote.
        assert_eq!(
            sentences(
                "Sanctions hit the U.S. The Kremlin agreed. It said No! Then Gen left. “Go.” Now.",
                Language::English
            ),
            [
                "Sanctions hit the U.S.",
                "The Kremlin agreed",
                "It said No",
                "Then Gen left",
                "Go",
                "Now"
            ]
        );
    }

    #[test]
    fn plain_uax29_would_have_cut_these() {
        // The reference: without the step, UAX #29 breaks after each abbreviation above.
        let text = "Mr. Putin met e.g. Gen. Gerasimov and В. Путин.";
        let segmented = super::super::segment::segment(text, false);
        let mut starts: Vec<usize> =
            unicode_segmentation::UnicodeSegmentation::split_sentence_bound_indices(text)
                .map(|(i, _)| i)
                .collect();
        assert_eq!(starts.len(), 5, "{starts:?}");
        drop_abbreviation_breaks(text, &segmented.candidates, &mut starts);
        assert_eq!(starts, [0]);
    }
}
