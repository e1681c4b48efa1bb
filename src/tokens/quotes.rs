//! Quotation tracking: which tokens lie between a pair of quotation marks.
//!
//! Runs after the tokens are final (numbers/URLs dropped by policy are gone), over the marks the
//! segmenter found between tokens. Apostrophes inside words ("Russia’s", "don’t") are part of
//! the word segment and never reach this step.
//!
//! Pairs that are recognised (a stack, so quotations can nest):
//!
//! | opens | closed by | style |
//! |---|---|---|
//! | `“` | `”` | English double |
//! | `„` | `“` or `”` | German, Russian inner, Polish |
//! | `«` | `»` | Russian, French |
//! | `»` | `«` | Danish/German reversed guillemets |
//! | `”` | `”` | Swedish/Finnish |
//! | `"` | `"` | straight double quotes (toggle) |
//! | `‘` | `’` | English single (quotes inside quotes) |
//! | `‚` | `‘` or `’` | German single |
//! | `‹` | `›` | single guillemets |
//! | `›` | `‹` | reversed single guillemets |
//!
//! Rules, per mark in text order:
//! 1. If the mark can close a quotation that is open, it closes the innermost such one. Openers
//!    above it on the stack were never closed and are dropped.
//! 2. Otherwise, if it can open, it opens a quotation. For the marks whose usual job is to close
//!    (`»` `”` `›`) this needs the mark to look like an opener: a non-space character right after
//!    it and whitespace (or the start of the text) right before it.
//! 3. A `’` never opens: it is far more often an apostrophe ("’90s", "the countries’ leaders").
//! 4. A line break closes every open quotation. An unclosed quotation therefore covers at most
//!    the rest of its paragraph, never the rest of the document. (Multi-paragraph quotations in
//!    English style, which reopen “ on each paragraph without closing the previous one, come out
//!    as one quotation per paragraph.)
//!
//! A closed quotation's span runs from its opening mark to its closing mark inclusive; an
//! unclosed one runs from its opening mark to the end of its last token. Quotations with no token
//! inside (`""`) are not reported.

use super::segment::Mark;
use super::{QuoteSpan, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    EnglishDouble,
    LowDouble,
    Guillemet,
    ReversedGuillemet,
    RightDouble,
    Straight,
    EnglishSingle,
    LowSingle,
    SingleGuillemet,
    ReversedSingleGuillemet,
}

/// What one mark can do: the styles it closes, the style it opens, and whether opening needs
/// the mark to look like an opener (rule 2).
fn roles(ch: char) -> (&'static [Style], Option<Style>, bool) {
    use Style::*;
    match ch {
        // “ closes a German „…“, otherwise opens.
        '\u{201C}' => (&[LowDouble], Some(EnglishDouble), false),
        // ” closes “…”, „…” and ”…”; opens only Swedish-style.
        '\u{201D}' => (
            &[EnglishDouble, LowDouble, RightDouble],
            Some(RightDouble),
            true,
        ),
        // „
        '\u{201E}' => (&[], Some(LowDouble), false),
        // « and »
        '\u{00AB}' => (&[ReversedGuillemet], Some(Guillemet), false),
        '\u{00BB}' => (&[Guillemet], Some(ReversedGuillemet), true),
        '"' => (&[Straight], Some(Straight), false),
        // ‘ closes a German ‚…‘, otherwise opens; ’ only closes.
        '\u{2018}' => (&[LowSingle], Some(EnglishSingle), false),
        '\u{2019}' => (&[EnglishSingle, LowSingle], None, false),
        // ‚
        '\u{201A}' => (&[], Some(LowSingle), false),
        // ‹ and ›
        '\u{2039}' => (&[ReversedSingleGuillemet], Some(SingleGuillemet), false),
        '\u{203A}' => (&[SingleGuillemet], Some(ReversedSingleGuillemet), true),
        _ => (&[], None, false),
    }
}

/// Rule 2's test: whitespace or text start before the mark, a non-space character after it.
fn looks_like_opener(text: &str, pos: usize, ch: char) -> bool {
    let before = text[..pos].chars().next_back();
    let after = text[pos + ch.len_utf8()..].chars().next();
    before.is_none_or(char::is_whitespace) && after.is_some_and(|c| !c.is_whitespace())
}

#[derive(Debug, Clone, Copy)]
struct Open {
    style: Style,
    /// Byte offset of the opening mark.
    start: usize,
    /// Byte offset just after the opening mark.
    inner: usize,
}

/// Finds the quotations of `text` from the segmenter's `marks` and the final `tokens`, in text
/// order (by start, then end).
pub fn find_quotes(text: &str, marks: &[Mark], tokens: &[Token]) -> Vec<QuoteSpan> {
    let mut stack: Vec<Open> = Vec::new();
    let mut spans = Vec::new();
    let close_all = |stack: &mut Vec<Open>, spans: &mut Vec<QuoteSpan>, at: usize| {
        for open in stack.drain(..) {
            spans.extend(unclosed(open, at, tokens));
        }
    };
    for &mark in marks {
        match mark {
            Mark::Break { pos } => close_all(&mut stack, &mut spans, pos),
            Mark::Quote { pos, ch } => {
                let (closes, opens, needs_look) = roles(ch);
                if let Some(i) = stack.iter().rposition(|o| closes.contains(&o.style)) {
                    let open = stack[i];
                    stack.truncate(i);
                    spans.extend(closed(open, pos, pos + ch.len_utf8(), tokens));
                } else if let Some(style) = opens {
                    if !needs_look || looks_like_opener(text, pos, ch) {
                        stack.push(Open {
                            style,
                            start: pos,
                            inner: pos + ch.len_utf8(),
                        });
                    }
                }
            }
        }
    }
    close_all(&mut stack, &mut spans, text.len());
    spans.sort_by_key(|q| (q.start, q.end));
    spans
}

/// Index of the first token starting at or after byte `pos`.
fn first_token_from(tokens: &[Token], pos: usize) -> usize {
    tokens.partition_point(|t| t.start < pos)
}

fn closed(open: Open, close_start: usize, close_end: usize, tokens: &[Token]) -> Option<QuoteSpan> {
    let first = first_token_from(tokens, open.inner);
    let end = first_token_from(tokens, close_start);
    (first < end).then_some(QuoteSpan {
        first_token: first as u32,
        end_token: end as u32,
        start: open.start,
        end: close_end,
    })
}

fn unclosed(open: Open, at: usize, tokens: &[Token]) -> Option<QuoteSpan> {
    let first = first_token_from(tokens, open.inner);
    let end = first_token_from(tokens, at);
    (first < end).then(|| QuoteSpan {
        first_token: first as u32,
        end_token: end as u32,
        start: open.start,
        end: tokens[end - 1].end,
    })
}

#[cfg(test)]
mod tests {
    use super::super::segment::segment;
    use super::super::{TokenKind, TokenStr};
    use super::*;

    /// Runs segmentation + quote finding; returns each quotation as (span text, quoted tokens).
    fn quotes(text: &str) -> Vec<(&str, Vec<&str>)> {
        let seg = segment(text, false);
        let tokens: Vec<Token> = seg
            .candidates
            .iter()
            .map(|c| Token {
                start: c.start,
                end: c.end,
                sentence: 0,
                kind: TokenKind::Word,
                norm: TokenStr::default(),
                stem: TokenStr::default(),
                is_stop: false,
                quoted: false,
            })
            .collect();
        find_quotes(text, &seg.marks, &tokens)
            .iter()
            .map(|q| {
                let inside = tokens[q.first_token as usize..q.end_token as usize]
                    .iter()
                    .map(|t| &text[t.start..t.end])
                    .collect();
                (&text[q.start..q.end], inside)
            })
            .collect()
    }

    #[test]
    fn curly_double_quotes() {
        assert_eq!(
            quotes("He said “no deal” today."),
            vec![("“no deal”", vec!["no", "deal"])]
        );
    }

    #[test]
    fn guillemets_and_low_quotes() {
        assert_eq!(
            quotes("Он заявил: «Это „спецоперация“, а не война»."),
            vec![
                (
                    "«Это „спецоперация“, а не война»",
                    vec!["Это", "спецоперация", "а", "не", "война"]
                ),
                ("„спецоперация“", vec!["спецоперация"]),
            ]
        );
        // French spacing with no-break spaces inside the guillemets.
        assert_eq!(
            quotes("« Non\u{a0}» dit-il"),
            vec![("« Non\u{a0}»", vec!["Non"])]
        );
    }

    #[test]
    fn straight_quotes_toggle() {
        assert_eq!(
            quotes(r#"a "b c" d "e" f"#),
            vec![("\"b c\"", vec!["b", "c"]), ("\"e\"", vec!["e"])]
        );
    }

    #[test]
    fn single_quotes_but_not_apostrophes() {
        assert_eq!(
            quotes("“He called it ‘a threat’ to Russia’s security”"),
            vec![
                (
                    "“He called it ‘a threat’ to Russia’s security”",
                    vec![
                        "He",
                        "called",
                        "it",
                        "a",
                        "threat",
                        "to",
                        "Russia’s",
                        "security"
                    ]
                ),
                ("‘a threat’", vec!["a", "threat"]),
            ]
        );
        // A lone ’ (apostrophe) opens nothing.
        assert_eq!(quotes("the countries’ leaders in the ’90s"), vec![]);
    }

    #[test]
    fn unbalanced_quotes_close_at_the_line_break() {
        assert_eq!(
            quotes("He said “we will respond\nNext paragraph here."),
            vec![("“we will respond", vec!["we", "will", "respond"])]
        );
        assert_eq!(
            quotes("«Без конца"),
            vec![("«Без конца", vec!["Без", "конца"])]
        );
        // A stray closer opens nothing.
        assert_eq!(quotes("конец» и всё"), vec![]);
        assert_eq!(quotes("end” and more"), vec![]);
    }

    #[test]
    fn reversed_and_swedish_styles() {
        assert_eq!(quotes("Er sagte »ja« dort"), vec![("»ja«", vec!["ja"])]);
        assert_eq!(quotes("Han sa ”ja” där"), vec![("”ja”", vec!["ja"])]);
    }

    #[test]
    fn empty_quotations_are_not_reported() {
        assert_eq!(quotes(r#"a "" b “ ” c"#), vec![]);
    }

    #[test]
    fn inner_unclosed_opener_is_dropped_when_outer_closes() {
        assert_eq!(
            quotes("“a ‘b c” d"),
            vec![("“a ‘b c”", vec!["a", "b", "c"])]
        );
    }
}
