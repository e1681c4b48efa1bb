//! The fast path of segmentation: UAX #29 word pieces and sentence boundaries for text made of
//! a small set of characters (ASCII, Latin-1 letters, basic Cyrillic, common typographic
//! punctuation, arrows and spaces), found by hand-written scans over the bytes of each line.
//!
//! There are two scans, not one: word pieces are found per stretch between protected URLs and
//! feed the merge step of [`super::segment`], sentence starts over the whole text. Each scan
//! then mirrors one half of UAX #29 and can be checked on its own; the sentence scan costs about
//! 5 % of `stages/tokenize_stem_count`.
//!
//! # Why this is hand-written
//!
//! Profiling `stages/tokenize_stem_count` showed about 45 % of the time in
//! `unicode-segmentation`'s two UAX #29 passes (words, then sentences), mostly in its
//! general-purpose property look-ups (a binary search per character). No crate gives UAX #29
//! words and sentences from one pass, nor the exact pieces our merge rules expect (the narrow
//! no-break space cut out of its word, see [`super::segment`]). For the characters news text is
//! made of, the rules collapse to a few cases that a byte scanner decides with a table lookup.
//!
//! `unicode-segmentation` stays the reference and the fallback. The scanner knows the Word_Break
//! and Sentence_Break property of every character in its class set (copied from the tables of
//! `unicode-segmentation` 1.13.3, Unicode 17.0; a test checks each character against that
//! crate's segmentation in many small contexts); a line that
//! holds any other character (a combining accent, a soft hyphen, an emoji, CJK, Latin
//! Extended letters, a control character) is handed to `unicode-segmentation` whole.
//!
//! # Why a line is a safe unit for the fallback
//!
//! Lines end at CR, LF or CR LF. UAX #29 always breaks words before and after them (WB3a, WB3b;
//! WB4 does not reach across them), and no word rule looks past one: WB6/WB7/WB11/WB12 look one
//! character further, and a line break is neither a letter nor a digit. For sentences, CR and
//! LF are paragraph separators: SB4 breaks after them, SB9/SB10 forbid a break before them, and
//! the look-ahead of SB8 stops at them. So each line segments the same alone as inside the whole
//! text, and the scanner can switch between itself and the reference line by line. The
//! differential tests in `segment.rs` and `analyzer.rs` check this against the whole-text
//! reference on generated and real text.
//!
//! # The rules, restricted to the class set
//!
//! Words: letters, digits and the underscore (ExtendNumLet) join (WB5, WB8–WB10, WB13a/b);
//! a MidLetter (`:`) or MidNumLetQ (`.` `'` `‘` `’`) between two letters joins them (WB6/WB7);
//! a MidNum (`,` `;`) or MidNumLetQ between two digits joins them (WB11/WB12); runs of
//! WSegSpace (space, thin space) stay together (WB3d); everything else is a piece of one
//! character (WB999). The narrow no-break space is ExtendNumLet too, but the segmenter cuts it
//! out of its word afterwards; since it joins nothing across itself (the mid rules need a letter
//! or digit right next to the mid character), that equals a piece of its own.
//!
//! Sentences: a break can only follow a terminator (`.`, `!`, `?`) with its closing
//! punctuation and spaces (`SATerm Close* Sp*`, SB11), unless what follows is a terminator or
//! SContinue (SB8a), or, after a full stop, a digit right after it (SB6), an upper-case letter
//! right after it with a letter before it (SB7), or a lower-case letter before any other letter
//! or terminator (SB8); plus a break after every line break (SB4).

use unicode_segmentation::UnicodeSegmentation;

use super::segment::{Class, Piece, QUOTE_CHARS};

/// Word_Break classes of the scanner's characters (UAX #29 table 3, restricted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    /// ALetter.
    Letter,
    /// Numeric.
    Digit,
    /// ExtendNumLet: the underscore.
    Underscore,
    /// ExtendNumLet: U+202F, cut out of words by the segmenter.
    Nnbsp,
    /// MidLetter: `:`.
    MidLetter,
    /// MidNum: `,` `;`.
    MidNum,
    /// MidNumLet or Single_Quote: `.` `'` `‘` `’`.
    MidNumLetQ,
    /// WSegSpace: space, thin space.
    Space,
    /// Any other (including Double_Quote, which only matters next to Hebrew letters).
    Other,
}

/// Sentence_Break classes of the scanner's characters (UAX #29 table 4, restricted; there is
/// no OLetter, Sep, Extend or Format among them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sb {
    Upper,
    Lower,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Sp,
    Other,
}

/// One character of the class set.
#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    len: usize,
    wb: Wb,
    sb: Sb,
}

/// A character outside the class set: the line goes to the reference.
#[derive(Debug)]
struct NotFast;

/// ASCII entries: `None` for characters outside the set (control characters other than tab,
/// and DEL); CR and LF are handled before the table.
const fn ascii(b: u8) -> Option<(Wb, Sb)> {
    Some(match b {
        b'A'..=b'Z' => (Wb::Letter, Sb::Upper),
        b'a'..=b'z' => (Wb::Letter, Sb::Lower),
        b'0'..=b'9' => (Wb::Digit, Sb::Numeric),
        b' ' => (Wb::Space, Sb::Sp),
        b'\t' => (Wb::Other, Sb::Sp),
        b'.' => (Wb::MidNumLetQ, Sb::ATerm),
        b'!' | b'?' => (Wb::Other, Sb::STerm),
        b'\'' => (Wb::MidNumLetQ, Sb::Close),
        b'"' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => (Wb::Other, Sb::Close),
        b',' | b';' => (Wb::MidNum, Sb::SContinue),
        b':' => (Wb::MidLetter, Sb::SContinue),
        b'-' => (Wb::Other, Sb::SContinue),
        b'_' => (Wb::Underscore, Sb::Other),
        b'#' | b'$' | b'%' | b'&' | b'*' | b'+' | b'/' | b'<' | b'=' | b'>' | b'@' | b'\\'
        | b'^' | b'`' | b'|' | b'~' => (Wb::Other, Sb::Other),
        _ => return None,
    })
}

const ASCII: [Option<(Wb, Sb)>; 128] = {
    let mut table = [None; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = ascii(b as u8);
        b += 1;
    }
    table
};

/// Non-ASCII characters of the set.
fn non_ascii(c: char) -> Option<(Wb, Sb)> {
    Some(match c {
        '\u{00C0}'..='\u{00DE}' if c != '\u{00D7}' => (Wb::Letter, Sb::Upper),
        '\u{00DF}'..='\u{00FF}' if c != '\u{00F7}' => (Wb::Letter, Sb::Lower),
        '\u{0400}'..='\u{042F}' => (Wb::Letter, Sb::Upper),
        '\u{0430}'..='\u{045F}' => (Wb::Letter, Sb::Lower),
        '\u{00A0}' => (Wb::Other, Sb::Sp),
        '\u{2009}' => (Wb::Space, Sb::Sp),
        '\u{202F}' => (Wb::Nnbsp, Sb::Sp),
        '\u{2018}' | '\u{2019}' => (Wb::MidNumLetQ, Sb::Close),
        '\u{00AB}' | '\u{00BB}' | '\u{201A}' | '\u{201C}' | '\u{201D}' | '\u{201E}'
        | '\u{2039}' | '\u{203A}' => (Wb::Other, Sb::Close),
        '\u{2013}' | '\u{2014}' => (Wb::Other, Sb::SContinue),
        '\u{2010}'
        | '\u{2011}'
        | '\u{2026}'
        | '\u{00B0}'
        | '\u{00A7}'
        | '\u{00A9}'
        | '\u{2022}'
        | '\u{2116}'
        | '\u{2212}'
        | '\u{20AC}'
        | '\u{20BD}'
        | '\u{00D7}'
        | '\u{2190}'..='\u{2193}'
        | '\u{27A1}' => (Wb::Other, Sb::Other),
        _ => return None,
    })
}

/// The character at byte `i` of `s`: `Ok(None)` at the end of `s` or at a CR or LF.
#[inline(always)]
fn decode(s: &[u8], i: usize) -> Result<Option<Ch>, NotFast> {
    let Some(&b) = s.get(i) else {
        return Ok(None);
    };
    if b < 0x80 {
        if b == b'\n' || b == b'\r' {
            return Ok(None);
        }
        let (wb, sb) = ASCII[b as usize].ok_or(NotFast)?;
        return Ok(Some(Ch {
            c: b as char,
            len: 1,
            wb,
            sb,
        }));
    }
    // `s` is the bytes of a `str`, so the sequence is valid UTF-8.
    let (c, len) = if b < 0xE0 {
        (u32::from(b & 0x1F) << 6 | u32::from(s[i + 1] & 0x3F), 2)
    } else if b < 0xF0 {
        (
            u32::from(b & 0x0F) << 12
                | u32::from(s[i + 1] & 0x3F) << 6
                | u32::from(s[i + 2] & 0x3F),
            3,
        )
    } else {
        return Err(NotFast);
    };
    let c = char::from_u32(c).ok_or(NotFast)?;
    let (wb, sb) = non_ascii(c).ok_or(NotFast)?;
    Ok(Some(Ch { c, len, wb, sb }))
}

/// End of the line that starts at `from`: the offset of the next CR or LF, or `s.len()`.
fn line_end(s: &[u8], from: usize) -> usize {
    s[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(s.len(), |p| from + p)
}

/// Length of the line break at `at` (CR LF is one), 0 at the end of `s`.
fn break_len(s: &[u8], at: usize) -> usize {
    match s.get(at) {
        None => 0,
        Some(b'\r') if s.get(at + 1) == Some(&b'\n') => 2,
        Some(_) => 1,
    }
}

/// The piece class of a character that is a segment on its own (what `segment::classify`
/// gives it).
fn single_class(c: char) -> Class {
    match c {
        '-' | '\u{2010}' | '\u{2011}' => Class::Hyphen,
        '.' => Class::Dot,
        '\u{00A0}' | '\u{2009}' | '\u{202F}' => Class::GroupSpace,
        c if QUOTE_CHARS.contains(&c) => Class::Quote(c),
        _ => Class::Other,
    }
}

/// Whether `mid` between a `before` and an `after` character stays inside the word (WB6/WB7,
/// WB11/WB12).
fn joins(before: Wb, mid: Wb, after: Wb) -> bool {
    match (before, after) {
        (Wb::Letter, Wb::Letter) => matches!(mid, Wb::MidLetter | Wb::MidNumLetQ),
        (Wb::Digit, Wb::Digit) => matches!(mid, Wb::MidNum | Wb::MidNumLetQ),
        _ => false,
    }
}

/// Pushes the pieces of the line of `s` that starts at `from` (up to the next CR/LF), offsets
/// plus `base`. Returns the line's end, or `NotFast` (with some pieces pushed) at a character
/// outside the set.
fn fast_word_line(
    s: &[u8],
    from: usize,
    base: usize,
    out: &mut Vec<Piece>,
) -> Result<usize, NotFast> {
    let mut i = from;
    while let Some(ch) = decode(s, i)? {
        let start = i;
        i += ch.len;
        let class = match ch.wb {
            Wb::Letter | Wb::Digit | Wb::Underscore => {
                let mut alnum = ch.wb != Wb::Underscore;
                let mut last = ch.wb;
                while let Some(next) = decode(s, i)? {
                    match next.wb {
                        Wb::Letter | Wb::Digit | Wb::Underscore => {
                            alnum |= next.wb != Wb::Underscore;
                            last = next.wb;
                            i += next.len;
                        }
                        Wb::MidLetter | Wb::MidNum | Wb::MidNumLetQ => {
                            match decode(s, i + next.len)? {
                                Some(after) if joins(last, next.wb, after.wb) => {
                                    last = after.wb;
                                    i += next.len + after.len;
                                }
                                _ => break,
                            }
                        }
                        _ => break,
                    }
                }
                if alnum {
                    Class::Word
                } else {
                    Class::Other
                }
            }
            Wb::Space => {
                while let Some(next) = decode(s, i)?.filter(|n| n.wb == Wb::Space) {
                    i += next.len;
                }
                if i - start == ch.len {
                    single_class(ch.c)
                } else {
                    Class::Other
                }
            }
            Wb::Nnbsp | Wb::MidLetter | Wb::MidNum | Wb::MidNumLetQ | Wb::Other => {
                single_class(ch.c)
            }
        };
        out.push(Piece {
            start: base + start,
            end: base + i,
            class,
        });
    }
    Ok(i)
}

/// The pieces of `text` (a stretch between protected spans), offsets plus `base`: the fast scan
/// line by line, `reference` for a line with a character outside the set. Same result as
/// `reference` on the whole of `text`.
pub(super) fn word_pieces(
    text: &str,
    base: usize,
    out: &mut Vec<Piece>,
    mut reference: impl FnMut(&str, usize, &mut Vec<Piece>),
) {
    let s = text.as_bytes();
    let mut from = 0;
    while from < s.len() {
        let mark = out.len();
        let end = match fast_word_line(s, from, base, out) {
            Ok(end) => end,
            Err(NotFast) => {
                out.truncate(mark);
                let end = line_end(s, from);
                reference(&text[from..end], base + from, out);
                end
            }
        };
        let len = break_len(s, end);
        if len > 0 {
            out.push(Piece {
                start: base + end,
                end: base + end + len,
                class: Class::Break,
            });
        }
        from = end + len;
    }
}

/// True when the characters from `i` on reach a lower-case letter before any other letter,
/// terminator or the end of the line (the look-ahead of SB8).
fn lower_follows(s: &[u8], mut i: usize) -> Result<bool, NotFast> {
    while let Some(ch) = decode(s, i)? {
        match ch.sb {
            Sb::Lower => return Ok(true),
            Sb::Upper | Sb::ATerm | Sb::STerm => return Ok(false),
            _ => i += ch.len,
        }
    }
    Ok(false)
}

/// Pushes the sentence breaks inside the line of `s` that starts at `from`. Returns the
/// line's end, or `NotFast` (with some breaks pushed) at a character outside the set.
fn fast_sentence_line(s: &[u8], from: usize, out: &mut Vec<usize>) -> Result<usize, NotFast> {
    let mut i = from;
    let mut prev = None;
    while let Some(ch) = decode(s, i)? {
        if !matches!(ch.sb, Sb::ATerm | Sb::STerm) {
            prev = Some(ch.sb);
            i += ch.len;
            continue;
        }
        // A terminator at `t`: skip `Close* Sp*` after it.
        let t = i;
        let before = prev;
        i += ch.len;
        prev = Some(ch.sb);
        let mut next = decode(s, i)?;
        for class in [Sb::Close, Sb::Sp] {
            while let Some(n) = next.filter(|n| n.sb == class) {
                i += n.len;
                prev = Some(n.sb);
                next = decode(s, i)?;
            }
        }
        // At the end of the line: SB9/SB10 keep the line break with this sentence.
        let Some(n) = next else { break };
        let right_after = i == t + ch.len;
        let keep = match n.sb {
            // SB8a; a terminator is then looked at by the next round.
            Sb::ATerm | Sb::STerm | Sb::SContinue => true,
            _ if ch.sb != Sb::ATerm => false,
            // SB6.
            Sb::Numeric if right_after => true,
            // SB7.
            Sb::Upper if right_after && matches!(before, Some(Sb::Upper | Sb::Lower)) => true,
            // SB8.
            _ => lower_follows(s, i)?,
        };
        if !keep {
            out.push(i);
        }
    }
    Ok(i)
}

/// Start offsets of the UAX #29 sentences of `text` (what `split_sentence_bound_indices`
/// yields): the fast scan line by line, the reference for a line with a character outside the
/// set.
pub(crate) fn sentence_bounds(text: &str) -> Vec<usize> {
    let s = text.as_bytes();
    let mut out = Vec::new();
    if s.is_empty() {
        return out;
    }
    out.push(0);
    let mut from = 0;
    loop {
        let mark = out.len();
        let end = match fast_sentence_line(s, from, &mut out) {
            Ok(end) => end,
            Err(NotFast) => {
                // The reference sees the line with its line break: a line that ends in
                // another paragraph separator (U+0085, U+2028, U+2029) has a break before it.
                out.truncate(mark);
                let end = line_end(s, from);
                let with_break = end + break_len(s, end);
                out.extend(
                    text[from..with_break]
                        .split_sentence_bound_indices()
                        .map(|(start, _)| from + start)
                        .filter(|&start| start > from),
                );
                end
            }
        };
        let len = break_len(s, end);
        if len == 0 {
            break;
        }
        from = end + len;
        if from == s.len() {
            break;
        }
        // SB4: a sentence starts after every line break.
        out.push(from);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::segment::{reference_pieces, reference_sentence_bounds};
    use super::*;

    /// Every character the scanner accepts.
    fn class_set() -> Vec<char> {
        (0..=0x2FFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| {
                if c.is_ascii() {
                    ASCII[c as usize].is_some()
                } else {
                    non_ascii(c).is_some()
                }
            })
            .collect()
    }

    /// The scanner's classes agree with what `unicode-segmentation` does with each character:
    /// checked through the segmenter's own behaviour in small contexts, not through a second
    /// copy of the tables.
    #[test]
    fn classes_match_the_reference_in_context() {
        let set = class_set();
        assert!(set.len() > 150, "{}", set.len());
        let probes = [
            "a", "Z", "я", "Ё", "5", " ", "\t", ".", ",", ":", ";", "'", "’", "_", "!", "?", "\"",
            ")", "«", "-", "–", "\u{a0}", "\u{2009}", "\u{202f}", "…",
        ];
        for &c in &set {
            for a in probes {
                for b in probes {
                    let text = format!("{a}{c}{b}");
                    let mut fast = Vec::new();
                    word_pieces(&text, 0, &mut fast, |_, _, _| panic!("{text:?} not fast"));
                    let mut reference = Vec::new();
                    reference_pieces(&text, 0, &mut reference);
                    assert_eq!(fast, reference, "words of {text:?}");
                    for text in [format!("{a}.{c}{b}"), format!("x{a}{c}. {b}x"), text] {
                        assert_eq!(
                            sentence_bounds(&text),
                            reference_sentence_bounds(&text),
                            "sentences of {text:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn sentence_rules_by_hand() {
        let starts = |t: &str| -> Vec<usize> { sentence_bounds(t) };
        // "U.S. officials": a full stop before a lower-case word ends nothing (SB8).
        assert_eq!(starts("The U.S. officials met. Then"), vec![0, 24]);
        // SB7: letter, full stop, capital.
        assert_eq!(starts("U.S.A. Then"), vec![0, 7]);
        // SB8a, closing quotes and spaces stay with the sentence.
        assert_eq!(starts("Why?! «No.» He"), vec![0, 6, 14]);
        // "?!", ellipsis, digits after a full stop (SB6).
        assert_eq!(starts("2.5 km... Yes"), vec![0, 10]);
        // A line break always starts a sentence (SB4); CR LF is one break.
        assert_eq!(starts("a\r\nb\n\nc"), vec![0, 3, 5, 6]);
        assert_eq!(starts("end.\n"), vec![0]);
        assert_eq!(starts(""), Vec::<usize>::new());
    }

    /// Differential tests: the scanner against `unicode-segmentation` on the whole text.
    mod differential {
        use proptest::prelude::*;

        use super::super::super::segment::{
            fast_gap_pieces, pieces_with, reference_pieces, reference_segment,
            reference_sentence_bounds, segment, sentence_bounds,
        };

        /// Checks pieces, candidates and marks (both hyphen settings) and sentence starts.
        fn same_as_reference(text: &str) -> Result<(), String> {
            let fast = pieces_with(text, fast_gap_pieces);
            let reference = pieces_with(text, reference_pieces);
            if fast != reference {
                let i = fast
                    .iter()
                    .zip(&reference)
                    .take_while(|(a, b)| a == b)
                    .count();
                return Err(format!(
                    "pieces differ at #{i}: fast {:?}, reference {:?}",
                    fast.get(i),
                    reference.get(i)
                ));
            }
            for split in [false, true] {
                if segment(text, split) != reference_segment(text, split) {
                    return Err(format!("segments differ (split-hyphens {split})"));
                }
            }
            let (fast, reference) = (sentence_bounds(text), reference_sentence_bounds(text));
            if fast != reference {
                return Err(format!(
                    "sentence starts differ: fast {fast:?}, reference {reference:?}"
                ));
            }
            Ok(())
        }

        /// Short pieces from every class the scanner distinguishes, and from outside its set.
        fn fast_piece() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => "[a-zA-Z]{1,3}",
                4 => "[а-яА-ЯёЁ]{1,3}",
                1 => "[À-ÿ]{1,3}",
                2 => "[0-9]{1,3}",
                6 => prop::sample::select(vec![
                    " ", " ", "  ", "\n", "\r", "\r\n", "\t", "\u{a0}", "\u{2009}", "\u{202f}",
                    ".", ".", ",", ":", ";", "!", "?", "…", "...", "?!", "'", "’", "‘", "\"",
                    "«", "»", "„", "“", "”", "‚", "‹", "›", "(", ")", "[", "]", "-", "‐", "‑",
                    "–", "—", "_", "/", "%", "@", "#", "`", "№", "€", "U.S.", "e.g.", "Mr. ",
                    "www.", "http://", ".ru", "'s", "’s",
                ]).prop_map(str::to_string),
            ]
        }

        /// Characters outside the scanner's set: combining marks (the Cyrillic acute too),
        /// soft hyphen, ZWJ, emoji, regional indicators, CJK, Arabic, Latin-1 letters, other
        /// line separators and spaces, anything.
        fn foreign_piece() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => prop::sample::select(vec![
                    "\u{301}", "\u{300}", "\u{ad}", "\u{200d}", "\u{200b}", "😀", "👍🏽",
                    "👨\u{200d}👩", "🇷🇺", "漢字", "。", "مرحبا", "٫", "š", "ė", "ʼ", "·", "\u{b}",
                    "\u{c}", "\u{85}", "\u{2028}", "\u{2029}", "\u{3000}", "\u{2007}", "‼", "\u{feff}",
                ]).prop_map(str::to_string),
                1 => any::<char>().prop_map(|c| c.to_string()),
            ]
        }

        /// Mostly text the scanner handles whole; one case in three mixes in foreign characters.
        fn mixed_text() -> impl Strategy<Value = String> {
            (any::<bool>(), any::<bool>()).prop_flat_map(|(foreign, more)| {
                let weight = if foreign {
                    if more {
                        4
                    } else {
                        1
                    }
                } else {
                    0
                };
                prop::collection::vec(
                    prop_oneof![20 => fast_piece(), weight => foreign_piece()],
                    0..60,
                )
                .prop_map(|v| v.concat())
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            #[test]
            fn fast_path_equals_reference(text in mixed_text()) {
                if let Err(e) = same_as_reference(&text) {
                    prop_assert!(false, "{:?}: {}", text, e);
                }
            }
        }

        fn check_file_texts(what: &str, texts: impl IntoIterator<Item = String>) -> usize {
            let mut n = 0;
            for (i, text) in texts.into_iter().enumerate() {
                if let Err(e) = same_as_reference(&text) {
                    panic!("{what} #{i}: {e}");
                }
                n += 1;
            }
            n
        }

        fn read_dir_texts(dir: &std::path::Path, ext: &str) -> Vec<String> {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect();
            paths.sort();
            paths
                .iter()
                .map(|p| std::fs::read_to_string(p).unwrap())
                .collect()
        }

        #[test]
        fn demo_articles_equal_reference() {
            let dir =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/articles");
            let n = check_file_texts("demo article", read_dir_texts(&dir, "txt"));
            assert!(n >= 10, "only {n} demo articles");
        }

        /// Every UTF-8 text file of the test fixtures, whole (tables included: their quoting,
        /// tabs and odd characters are inputs too).
        #[test]
        fn fixture_files_equal_reference() {
            fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    let ext = path.extension().map(|x| x.to_string_lossy().into_owned());
                    if path.is_dir() {
                        walk(&path, out);
                    } else if ext
                        .is_some_and(|x| ["txt", "tsv", "csv", "jsonl", "md"].contains(&&*x))
                    {
                        out.push(path);
                    }
                }
            }
            let mut paths = Vec::new();
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            walk(&root.join("tests/fixtures"), &mut paths);
            paths.sort();
            let texts: Vec<String> = paths
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect();
            let n = check_file_texts("fixture file", texts);
            assert!(n >= 5, "only {n} fixture files");
        }

        #[test]
        fn generated_corpus_equals_reference() {
            let dir = tempfile::tempdir().unwrap();
            let config = crate::synth::SynthConfig {
                target_bytes: Some(400_000),
                seed: 11,
                ..crate::synth::SynthConfig::default()
            };
            let summary = crate::synth::write_corpus(dir.path(), &config).unwrap();
            let corpus = std::fs::read_to_string(summary.corpus).unwrap();
            let texts = corpus
                .lines()
                .skip(1)
                .map(|l| l.rsplit('\t').next().unwrap().to_string());
            let n = check_file_texts("generated document", texts);
            assert!(n > 50, "only {n} generated documents");
        }

        /// The seed articles and VK posts of `../shared`, when it is present.
        #[test]
        fn shared_corpora_equal_reference() {
            let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
            if !shared.is_dir() {
                eprintln!("skipping: ../shared is not present beside the repository");
                return;
            }
            check_file_texts("seed article", read_dir_texts(&shared.join("seeds"), "txt"));
            let posts = shared.join("corpora/vk-ukraine-2018/posts.tsv");
            if let Ok(posts) = std::fs::read_to_string(posts) {
                let n = check_file_texts("VK post", posts.lines().skip(1).map(str::to_string));
                assert!(n > 10, "only {n} VK posts");
            }
        }
    }
}
