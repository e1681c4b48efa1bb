//! Segmentation: from text to token candidates (byte span + kind) and quotation/paragraph marks.
//!
//! Ordering contract (each step sees the output of the one before):
//!
//! 1. **Protect** URLs and e-mail addresses. UAX #29 would cut `https://rt.com/news` into many
//!    words, so they are found first with a regular expression over the whole text and become one
//!    piece each; the segmenter never looks inside them.
//! 2. **Segment** the text between them with UAX #29 word boundaries
//!    (`unicode_segmentation::split_word_bound_indices`, or the byte scanner of the private
//!    `tokens::scan` module for the lines it covers, which gives the same pieces), then cut
//!    every narrow no-break space (U+202F) out of its segment: UAX #29 treats it as a
//!    letter-joining character, but it is a space. Each segment becomes a piece: a word
//!    piece if it contains at least one alphanumeric character, otherwise a hyphen, a dot, a
//!    quotation mark, a line break or other punctuation/whitespace. Only word, URL and e-mail
//!    pieces can become tokens.
//! 3. **Merge** word pieces into units and compounds:
//!    - *Dotted abbreviation*: UAX #29 keeps "U.S" together but leaves the final dot out; a word
//!      piece of two or more single letters separated by dots ("U.S", "D.C", "В.В") takes the
//!      dot that directly follows it, so "U.S." and "D.C." are whole, final dot in the span.
//!    - *Digit groups*: a number of one to three digits followed by a no-break space (U+00A0),
//!      narrow no-break space (U+202F) or thin space (U+2009) and exactly three digits is one
//!      number, as Russian typesetting writes thousands: "5 500", "1 000 000". An ordinary space
//!      does not join ("в 2019 году 15 человек" stays apart).
//!    - *Hyphen*: units joined by a hyphen-minus (U+002D), hyphen (U+2010) or non-breaking hyphen
//!      (U+2011) with nothing else between them form a compound: "long-range", "state-run",
//!      "страной-агрессором", "F-35", "U.S.-Russia" (a dotted abbreviation is a unit too, so this
//!      is one token; with `split-hyphens` it is "U.S." and "Russia"). A dangling hyphen
//!      ("medium- and short-range") joins nothing. Two numbers are never joined ("2019-2020" is a
//!      range, like "1,000–5,500" with an en dash): they stay two number tokens. With
//!      `split-hyphens` every unit of a compound is its own candidate.
//!
//! A unit is a number when it has no letter and starts with a digit ("2019", "5,500", "2.4";
//! UAX #29 keeps the `,` and `.` between digits inside one segment); "1990s", "3rd" and "F-35"
//! are words.

use std::sync::OnceLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::{scan, TokenKind};

/// A token candidate: what the later steps turn into a [`super::Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Word, number, URL or e-mail.
    pub kind: TokenKind,
}

/// A mark the quotation tracker needs, found between tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A quotation-mark character at byte offset `pos`.
    Quote {
        /// Byte offset of the mark.
        pos: usize,
        /// The mark itself.
        ch: char,
    },
    /// A line break (LF, CR, CRLF, VT, FF, NEL, U+2028, U+2029) at byte offset `pos`.
    Break {
        /// Byte offset of the break.
        pos: usize,
    },
}

/// The segmenter's output: candidates and marks, each in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Token candidates.
    pub candidates: Vec<Candidate>,
    /// Quotation marks and line breaks.
    pub marks: Vec<Mark>,
}

/// Characters the quotation tracker looks at.
pub const QUOTE_CHARS: [char; 11] = [
    '"', '\u{201C}', '\u{201D}', '\u{201E}', '\u{00AB}', '\u{00BB}', '\u{2018}', '\u{2019}',
    '\u{201A}', '\u{2039}', '\u{203A}',
];

/// Characters that end a line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// Hyphens that join a compound. En dash, em dash and minus sign are not among them.
fn is_joining_hyphen(s: &str) -> bool {
    matches!(s, "-" | "\u{2010}" | "\u{2011}")
}

/// Spaces that separate digit groups in numbers ("5 500").
fn is_group_space(s: &str) -> bool {
    matches!(s, "\u{00A0}" | "\u{202F}" | "\u{2009}")
}

/// What a piece is; the merge step looks only at this and the piece's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Word,
    Url,
    Email,
    Hyphen,
    Dot,
    GroupSpace,
    Quote(char),
    Break,
    Other,
}

/// A segment of the text (after the narrow no-break space is cut out) and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) class: Class,
}

/// The URL / e-mail pattern. URLs start with `http://`, `https://` or `www.` at a word boundary
/// and run to the next whitespace, angle bracket or quotation mark; e-mail addresses are
/// `local@domain.tld` with word characters, `.`, `+` and `-`.
fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?x)
            (?P<url> \b (?i: https?:// | www\. ) [^\s<>"“”„«»‘’‚‹›'`]+ )
            | (?P<email> \b [\w.+-]+ @ [\w-]+ (?: \. [\w-]+ )+ )
            "#,
        )
        .expect("the URL pattern is a valid regex")
    })
}

/// Trims punctuation that ends a sentence rather than a URL: trailing `.,;:!?…*` and closing
/// brackets that have no opening partner inside the URL ("(see https://x.org/a_(b))." keeps
/// the `)` of `a_(b)`).
fn trim_url(url: &str) -> &str {
    let mut s = url;
    while let Some(c) = s.chars().next_back() {
        let drop = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '…' | '*' => true,
            ')' => s.matches('(').count() < s.matches(')').count(),
            ']' => s.matches('[').count() < s.matches(']').count(),
            '}' => s.matches('{').count() < s.matches('}').count(),
            _ => false,
        };
        if !drop {
            break;
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    s
}

/// True when `text` can hold a match of [`url_regex`]: a URL needs `://` or `www.` (any case)
/// and an e-mail address needs `@`. The regex's Unicode `\b` makes the regex crate fall back to
/// its slowest engine (the PikeVM) on non-ASCII text, which took minutes on a 200 MB Russian
/// document; this literal scan skips it for the many texts with neither.
fn may_hold_url_or_email(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.contains(&b'@')
        || text.contains("://")
        || bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
}

/// URL and e-mail spans `(start, end, kind)`, in text order, non-overlapping.
fn protected_spans(text: &str) -> Vec<(usize, usize, Class)> {
    let mut spans = Vec::new();
    if !may_hold_url_or_email(text) {
        return spans;
    }
    for caps in url_regex().captures_iter(text) {
        if let Some(m) = caps.name("url") {
            let trimmed = trim_url(m.as_str());
            let rest = trimmed
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .trim_start_matches("://")
                .trim_start_matches('.');
            // "http://" or "www." alone is not a URL.
            if rest.chars().any(char::is_alphanumeric) {
                spans.push((m.start(), m.start() + trimmed.len(), Class::Url));
            }
        } else if let Some(m) = caps.name("email") {
            let s = m.as_str();
            let lead = s.len() - s.trim_start_matches(['.', '+', '-']).len();
            let body = s[lead..].trim_end_matches('-');
            if body.contains('@') && !body.starts_with('@') && !body.ends_with('.') {
                spans.push((
                    m.start() + lead,
                    m.start() + lead + body.len(),
                    Class::Email,
                ));
            }
        }
    }
    spans
}

fn classify(segment: &str) -> Class {
    if segment.chars().any(char::is_alphanumeric) {
        return Class::Word;
    }
    if is_joining_hyphen(segment) {
        return Class::Hyphen;
    }
    if segment == "." {
        return Class::Dot;
    }
    if is_group_space(segment) {
        return Class::GroupSpace;
    }
    let mut chars = segment.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if QUOTE_CHARS.contains(&c) {
            return Class::Quote(c);
        }
    }
    if segment.chars().any(is_line_break) {
        return Class::Break;
    }
    Class::Other
}

/// U+202F NARROW NO-BREAK SPACE.
const NNBSP: char = '\u{202f}';

/// Step 2 by the reference: the UAX #29 segments of `gap` (text between protected spans,
/// starting at byte `base` of the document) from `unicode-segmentation`, with every narrow
/// no-break space cut out as a piece of its own. [`super::scan`] gives the same pieces faster
/// and calls this for the lines it does not handle.
pub(super) fn reference_pieces(gap: &str, base: usize, out: &mut Vec<Piece>) {
    for (offset, segment) in gap.split_word_bound_indices() {
        let mut start = base + offset;
        // UAX #29 counts the narrow no-break space as ExtendNumLet, which glues it to the
        // letters or digits on either side ("\u{202f}слово", "«\u{202f}Paix\u{202f}»" in
        // French typesetting), so a word token would start or end with a space. It is a
        // space: cut it out as a piece of its own. Digit groups ("5\u{202f}500") are
        // rejoined in step 3 like those written with U+00A0.
        for part in segment.split_inclusive(NNBSP) {
            let (word, space) = match part.strip_suffix(NNBSP) {
                Some(word) => (word, &part[word.len()..]),
                None => (part, ""),
            };
            for piece in [word, space] {
                if !piece.is_empty() {
                    out.push(Piece {
                        start,
                        end: start + piece.len(),
                        class: classify(piece),
                    });
                    start += piece.len();
                }
            }
        }
    }
}

/// Steps 1 and 2: protected spans plus the UAX #29 pieces of the text in between, from
/// `gap_pieces` (the fast scanner or the reference).
pub(super) fn pieces_with(text: &str, gap_pieces: fn(&str, usize, &mut Vec<Piece>)) -> Vec<Piece> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut pos = 0;
    for (start, end, class) in protected_spans(text) {
        gap_pieces(&text[pos..start], pos, &mut out);
        out.push(Piece { start, end, class });
        pos = end;
    }
    gap_pieces(&text[pos..], pos, &mut out);
    out
}

/// Step 2 by the fast scanner (the reference for the lines it does not handle).
pub(super) fn fast_gap_pieces(gap: &str, base: usize, out: &mut Vec<Piece>) {
    scan::word_pieces(gap, base, out, reference_pieces);
}

/// A word piece of two or more single letters separated by dots: "U.S", "D.C", "e.g".
fn is_dotted_abbreviation(segment: &str) -> bool {
    // Nearly every word fails on its second character: check that first.
    let first_len = segment.chars().next().map_or(0, char::len_utf8);
    if segment.as_bytes().get(first_len) != Some(&b'.') {
        return false;
    }
    let mut parts = 0;
    for part in segment.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

/// A unit is a number: no letter, first character a digit.
fn is_number(segment: &str) -> bool {
    let Some(first) = segment.chars().next() else {
        return false;
    };
    // Skips the Unicode table look-up for the first character of most words.
    if first.is_ascii_alphabetic() || ('\u{0400}'..='\u{045F}').contains(&first) {
        return false;
    }
    first.is_numeric() && !segment.chars().any(char::is_alphabetic)
}

fn is_ascii_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// A digit group after a group space: three digits, optionally with a decimal part ("500",
/// "500,5"). Returns whether it may be followed by further groups.
fn digit_group(s: &str) -> Option<bool> {
    if is_ascii_digits(s, 3) {
        return Some(true);
    }
    let (int, frac) = s.split_at(s.find([',', '.'])?);
    let frac = &frac[1..];
    (is_ascii_digits(int, 3) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()))
        .then_some(false)
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    number: bool,
}

/// Reads one unit starting at word piece `i`; returns it and the index of the next piece.
fn unit(text: &str, pieces: &[Piece], i: usize) -> (Unit, usize) {
    let p = pieces[i];
    let segment = &text[p.start..p.end];
    let mut unit = Unit {
        start: p.start,
        end: p.end,
        number: is_number(segment),
    };
    let mut next = i + 1;
    if is_dotted_abbreviation(segment) {
        if let Some(dot) = pieces.get(next).filter(|d| d.class == Class::Dot) {
            unit.end = dot.end;
            next += 1;
        }
    } else if segment.len() <= 3 && segment.bytes().all(|b| b.is_ascii_digit()) {
        // Digit groups: "5 500", "1 000 000", "1 000,5".
        while let (Some(space), Some(group)) = (pieces.get(next), pieces.get(next + 1)) {
            if space.class != Class::GroupSpace || group.class != Class::Word {
                break;
            }
            let Some(more) = digit_group(&text[group.start..group.end]) else {
                break;
            };
            unit.end = group.end;
            next += 2;
            if !more {
                break;
            }
        }
    }
    (unit, next)
}

/// Segments `text` into candidates and marks (see the module docs for the steps).
pub fn segment(text: &str, split_hyphens: bool) -> Segmented {
    merge(text, &pieces_with(text, fast_gap_pieces), split_hyphens)
}

/// [`segment`] with `unicode-segmentation` alone for step 2: the reference the fast scanner
/// is tested against.
#[doc(hidden)]
pub fn reference_segment(text: &str, split_hyphens: bool) -> Segmented {
    merge(text, &pieces_with(text, reference_pieces), split_hyphens)
}

/// Start offsets of the UAX #29 sentences of `text`, as `split_sentence_bound_indices` gives
/// them, from the fast scanner (`unicode-segmentation` for the lines it does not handle).
pub fn sentence_bounds(text: &str) -> Vec<usize> {
    scan::sentence_bounds(text)
}

/// [`sentence_bounds`] by `unicode-segmentation` alone over the whole text: the reference.
#[doc(hidden)]
pub fn reference_sentence_bounds(text: &str) -> Vec<usize> {
    text.split_sentence_bound_indices()
        .map(|(start, _)| start)
        .collect()
}

/// Step 3: merges the pieces into candidates and collects the marks.
fn merge(text: &str, pieces: &[Piece], split_hyphens: bool) -> Segmented {
    let mut out = Segmented::default();
    let mut i = 0;
    while i < pieces.len() {
        let p = pieces[i];
        match p.class {
            Class::Url | Class::Email => {
                let kind = if p.class == Class::Url {
                    TokenKind::Url
                } else {
                    TokenKind::Email
                };
                out.candidates.push(Candidate {
                    start: p.start,
                    end: p.end,
                    kind,
                });
                i += 1;
            }
            Class::Word => {
                // The units of a compound go straight to the output when split, otherwise
                // only the first and the last matter (no vector per word).
                let candidate = |u: Unit| Candidate {
                    start: u.start,
                    end: u.end,
                    kind: if u.number {
                        TokenKind::Number
                    } else {
                        TokenKind::Word
                    },
                };
                let (first, mut next) = unit(text, pieces, i);
                let mut last = first;
                if split_hyphens {
                    out.candidates.push(candidate(first));
                }
                while let (Some(h), Some(w)) = (pieces.get(next), pieces.get(next + 1)) {
                    if h.class != Class::Hyphen || w.class != Class::Word {
                        break;
                    }
                    let (u, after) = unit(text, pieces, next + 1);
                    if last.number && u.number {
                        break;
                    }
                    if split_hyphens {
                        out.candidates.push(candidate(u));
                    }
                    last = u;
                    next = after;
                }
                if !split_hyphens {
                    out.candidates.push(if last.start == first.start {
                        candidate(first)
                    } else {
                        Candidate {
                            start: first.start,
                            end: last.end,
                            kind: TokenKind::Word,
                        }
                    });
                }
                i = next;
            }
            Class::Quote(ch) => {
                out.marks.push(Mark::Quote { pos: p.start, ch });
                i += 1;
            }
            Class::Break => {
                out.marks.push(Mark::Break { pos: p.start });
                i += 1;
            }
            Class::Hyphen | Class::Dot | Class::GroupSpace | Class::Other => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_prefilter_lets_every_url_and_email_through() {
        for text in [
            "см. WWW.Пример.рф/новости",
            "HTTPS://kremlin.ru/events — «заявление»",
            "пишите: редакция@пример.рф",
            "ftp://x.org",
        ] {
            assert!(may_hold_url_or_email(text), "{text}");
        }
        assert_eq!(
            protected_spans("см. WWW.Пример.рф/новости").len(),
            1,
            "upper-case www. is still a URL"
        );
        // Nothing that could start a URL or an e-mail address: the regex is not run.
        assert!(!may_hold_url_or_email(
            "Переговоры в Женеве — “ww.w” and http:/ no"
        ));
        assert!(protected_spans("Переговоры в Женеве — “ww.w”").is_empty());
    }

    /// The candidates as `(text, kind)` pairs.
    fn cands(text: &str, split: bool) -> Vec<(&str, TokenKind)> {
        segment(text, split)
            .candidates
            .iter()
            .map(|c| (&text[c.start..c.end], c.kind))
            .collect()
    }

    fn words(text: &str, split: bool) -> Vec<&str> {
        cands(text, split).into_iter().map(|(s, _)| s).collect()
    }

    use TokenKind::{Email, Number, Url, Word};

    #[test]
    fn hyphen_compounds_join() {
        assert_eq!(
            words("long-range state-run страной-агрессором", false),
            vec!["long-range", "state-run", "страной-агрессором"]
        );
        assert_eq!(
            words("mother-in-law F-35", false),
            vec!["mother-in-law", "F-35"]
        );
        assert_eq!(
            words("non‑stop pro‐Kremlin", false),
            vec!["non‑stop", "pro‐Kremlin"]
        );
    }

    #[test]
    fn hyphen_compounds_split() {
        assert_eq!(
            words("long-range страной-агрессором", true),
            vec!["long", "range", "страной", "агрессором"]
        );
        assert_eq!(cands("F-35", true), vec![("F", Word), ("35", Number)]);
    }

    #[test]
    fn dangling_hyphen_and_dashes_do_not_join() {
        assert_eq!(
            words("medium- and short-range", false),
            vec!["medium", "and", "short-range"]
        );
        assert_eq!(
            words("war – peace—talks", false),
            vec!["war", "peace", "talks"]
        );
        assert_eq!(words("pro - war", false), vec!["pro", "war"]);
    }

    #[test]
    fn dotted_abbreviations_keep_their_final_dot() {
        assert_eq!(
            words("the U.S. and D.C.", false),
            vec!["the", "U.S.", "and", "D.C."]
        );
        assert_eq!(
            words("Путин В.В. сказал", false),
            vec!["Путин", "В.В.", "сказал"]
        );
        assert_eq!(
            words("U.S.-Russia talks", false),
            vec!["U.S.-Russia", "talks"]
        );
        assert_eq!(
            words("U.S.-Russia talks", true),
            vec!["U.S.", "Russia", "talks"]
        );
        // Not abbreviations: a single initial, a longer word before a full stop.
        assert_eq!(words("J. Smith. End.", false), vec!["J", "Smith", "End"]);
        assert_eq!(words("U.S", false), vec!["U.S"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            cands("In 2019, 5,500 troops (2.4%)", false),
            vec![
                ("In", Word),
                ("2019", Number),
                ("5,500", Number),
                ("troops", Word),
                ("2.4", Number)
            ]
        );
        assert_eq!(
            cands("1,000–5,500 2019-2020", false),
            vec![
                ("1,000", Number),
                ("5,500", Number),
                ("2019", Number),
                ("2020", Number)
            ]
        );
        assert_eq!(
            cands("1990s 3rd", false),
            vec![("1990s", Word), ("3rd", Word)]
        );
    }

    #[test]
    fn digit_groups_with_no_break_spaces() {
        assert_eq!(
            cands(
                "5\u{a0}500 человек, 1\u{202f}000\u{202f}000,5 рублей",
                false
            ),
            vec![
                ("5\u{a0}500", Number),
                ("человек", Word),
                ("1\u{202f}000\u{202f}000,5", Number),
                ("рублей", Word)
            ]
        );
        // An ordinary space, or a group that is not three digits, does not join.
        assert_eq!(words("в 2019 году 15 человек", false).len(), 5);
        assert_eq!(words("5\u{a0}50", false), vec!["5", "50"]);
        assert_eq!(words("2019\u{a0}500", false), vec!["2019", "500"]);
    }

    /// Issue #8 (found by the span property test): UAX #29 glues a narrow no-break space to the
    /// letters next to it, so "\u{202f}ё" was one word token with a space in its norm.
    #[test]
    fn a_narrow_no_break_space_never_joins_letters() {
        assert_eq!(
            cands("«\u{202f}Paix\u{202f}» \u{202f}ё 15\u{202f}человек", false),
            vec![
                ("Paix", Word),
                ("ё", Word),
                ("15", Number),
                ("человек", Word)
            ]
        );
        assert_eq!(
            words("мир\u{202f}\u{202f}война", false),
            vec!["мир", "война"]
        );
        // Digit groups still join, as with U+00A0; a non-group does not.
        assert_eq!(
            cands("1\u{202f}000\u{202f}000 и 5\u{202f}50", false),
            vec![
                ("1\u{202f}000\u{202f}000", Number),
                ("и", Word),
                ("5", Number),
                ("50", Number)
            ]
        );
    }

    #[test]
    fn urls_and_emails_are_one_candidate() {
        assert_eq!(
            cands(
                "See https://tass.ru/politika/123?x=1&y=2, www.rt.com. Mail press@kremlin.ru.",
                false
            ),
            vec![
                ("See", Word),
                ("https://tass.ru/politika/123?x=1&y=2", Url),
                ("www.rt.com", Url),
                ("Mail", Word),
                ("press@kremlin.ru", Email)
            ]
        );
        assert_eq!(
            cands(
                "(см. https://ru.wikipedia.org/wiki/Ракета_(оружие)).",
                false
            ),
            vec![
                ("см", Word),
                ("https://ru.wikipedia.org/wiki/Ракета_(оружие)", Url)
            ]
        );
        assert_eq!(
            cands("«http://meduza.io/x»", false),
            vec![("http://meduza.io/x", Url)]
        );
        // A scheme alone is not a URL.
        assert_eq!(cands("http://", false), vec![("http", Word)]);
    }

    #[test]
    fn possessives_stay_inside_the_word() {
        assert_eq!(
            words("Russia’s Russia's Россия’s countries’", false),
            vec!["Russia’s", "Russia's", "Россия’s", "countries"]
        );
    }

    #[test]
    fn marks_are_reported() {
        let text = "«Да», — он.\n“No”";
        let seg = segment(text, false);
        assert_eq!(
            seg.marks,
            vec![
                Mark::Quote { pos: 0, ch: '«' },
                Mark::Quote { pos: 6, ch: '»' },
                Mark::Break { pos: 19 },
                Mark::Quote { pos: 20, ch: '“' },
                Mark::Quote { pos: 25, ch: '”' },
            ]
        );
    }

    #[test]
    fn trim_url_keeps_balanced_brackets() {
        assert_eq!(trim_url("https://x.org/a_(b))."), "https://x.org/a_(b)");
        assert_eq!(trim_url("www.rt.com!?"), "www.rt.com");
        assert_eq!(trim_url("https://x.org/"), "https://x.org/");
    }
}
