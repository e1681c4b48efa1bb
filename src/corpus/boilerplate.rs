//! Line-based boilerplate removal: what a scraper leaves around an article ("Support The Moscow
//! Times!", "Leave a Comment", a donation appeal, an unrelated headline at the end).
//!
//! Rules, applied in one pass over the lines of an (LF, NFC) text, each line matched with its
//! surrounding whitespace trimmed:
//! 1. `cut-after`: the first line matching any of these regexes and every line after it is removed.
//! 2. `patterns`: a line matching any of these regexes is removed.
//! 3. `drop-repeated-lines`: a line equal to the previous non-empty kept line is removed.
//! 4. `trailing-headline`: afterwards, the last non-empty line is removed when it is short (at
//!    most [`HEADLINE_MAX_WORDS`] words), does not end in sentence-final punctuation, and other
//!    text comes before it.
//!
//! Only non-empty lines count as removed. Blank lines (empty or whitespace only) are written
//! empty, and a run of them becomes one, so removals leave no holes.

use regex::{Regex, RegexSet};

use super::config::BoilerplateConfig;
use super::CorpusError;

/// A trailing line with more words than this is kept (a sentence, not a headline or link).
pub const HEADLINE_MAX_WORDS: usize = 15;

/// Boilerplate rules, compiled.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    patterns: RegexSet,
    cut_after: RegexSet,
    trailing_headline: bool,
    drop_repeated_lines: bool,
}

impl Boilerplate {
    /// Compile the rules; a bad regex is an error naming the pattern.
    pub fn new(config: &BoilerplateConfig) -> Result<Self, CorpusError> {
        Ok(Boilerplate {
            patterns: compile(&config.patterns)?,
            cut_after: compile(&config.cut_after)?,
            trailing_headline: config.trailing_headline,
            drop_repeated_lines: config.drop_repeated_lines,
        })
    }

    /// Remove boilerplate lines from `text`; returns the remaining text and the number of
    /// non-empty lines removed.
    pub fn strip(&self, text: &str) -> (String, u32) {
        let mut kept: Vec<&str> = Vec::new();
        let mut removed = 0u32;
        let mut previous: Option<&str> = None;
        let mut lines = text.split('\n');
        while let Some(line) = lines.next() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                kept.push("");
                continue;
            }
            if self.cut_after.is_match(trimmed) {
                removed += 1 + lines.filter(|l| !l.trim().is_empty()).count() as u32;
                break;
            }
            if self.patterns.is_match(trimmed)
                || (self.drop_repeated_lines && previous == Some(trimmed))
            {
                removed += 1;
                continue;
            }
            previous = Some(trimmed);
            kept.push(line);
        }
        if self.trailing_headline {
            let mut non_empty = kept.iter().enumerate().rev().filter(|(_, l)| !l.is_empty());
            if let (Some((last, line)), Some(_)) = (non_empty.next(), non_empty.next()) {
                if is_headline(line.trim()) {
                    kept.truncate(last);
                    removed += 1;
                }
            }
        }
        (join_collapsing_blank_runs(&kept), removed)
    }
}

fn compile(patterns: &[String]) -> Result<RegexSet, CorpusError> {
    for pattern in patterns {
        // Compile one by one first, so the error names the pattern.
        Regex::new(pattern).map_err(|e| CorpusError::BadPattern {
            pattern: pattern.clone(),
            message: e.to_string(),
        })?;
    }
    RegexSet::new(patterns).map_err(|e| CorpusError::BadPattern {
        pattern: patterns.join(" | "),
        message: e.to_string(),
    })
}

/// A short line without sentence-final punctuation (closing quotes and brackets ignored).
fn is_headline(line: &str) -> bool {
    let end = line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    let final_punct = end.ends_with(['.', '!', '?', '…']);
    !final_punct && line.split_whitespace().count() <= HEADLINE_MAX_WORDS
}

/// Join lines with LF; a run of blank lines becomes one blank line.
fn join_collapsing_blank_runs(lines: &[&str]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    let mut previous_blank = false;
    for (i, line) in lines.iter().enumerate() {
        let blank = line.trim().is_empty();
        if blank && previous_blank {
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        if !blank {
            out.push_str(line);
        }
        previous_blank = blank;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(patterns: &[&str], cut_after: &[&str], headline: bool, repeated: bool) -> Boilerplate {
        Boilerplate::new(&BoilerplateConfig {
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            cut_after: cut_after.iter().map(|p| p.to_string()).collect(),
            trailing_headline: headline,
            drop_repeated_lines: repeated,
        })
        .unwrap()
    }

    #[test]
    fn patterns_remove_whole_lines_after_trimming() {
        let b = rules(
            &["^Поддержите нас!$", "(?i)^leave a comment$"],
            &[],
            false,
            false,
        );
        let text = "  Поддержите нас!  \n\nМИД заявил о «военном ответе».\n\nLEAVE A COMMENT";
        let (out, removed) = b.strip(text);
        assert_eq!(out, "\nМИД заявил о «военном ответе».\n");
        assert_eq!(removed, 2);
    }

    #[test]
    fn unanchored_pattern_matches_inside_a_line() {
        let b = rules(&["Read more"], &[], false, false);
        let (out, removed) = b.strip("First.\nRead more: “the story”\nLast.");
        assert_eq!((out.as_str(), removed), ("First.\nLast.", 1));
    }

    #[test]
    fn cut_after_removes_the_rest() {
        let b = rules(&[], &["^… we have a small favou?r to ask"], false, false);
        let text =
            "Ryabkov said – “no”.\n\n… we have a small favor to ask.\n\nDonate.\n\nContinue\n";
        let (out, removed) = b.strip(text);
        assert_eq!(out, "Ryabkov said – “no”.\n");
        assert_eq!(removed, 3);
    }

    #[test]
    fn trailing_headline_removed_only_when_short_and_unpunctuated() {
        let b = rules(&[], &[], true, false);
        let (out, removed) =
            b.strip("Body text ends here.\n\nConspiracy Theories Emerge After a Collision\n");
        assert_eq!((out.as_str(), removed), ("Body text ends here.\n", 1));
        // Ends with a full stop inside closing quotes: a sentence, kept.
        let text = "Body.\n\nHe said: “it is over.”";
        assert_eq!(b.strip(text), (text.to_string(), 0));
        // Seventeen words without a full stop: too long for a headline, kept.
        let long = "Body.\n\nоднажды в студёную зимнюю пору я из лесу вышел был сильный мороз гляжу поднимается медленно в гору";
        assert_eq!(b.strip(long).1, 0);
        // The only line of a text is never a trailing headline.
        assert_eq!(b.strip("Just a title\n"), ("Just a title\n".to_string(), 0));
    }

    #[test]
    fn repeated_lines_dropped_only_when_adjacent() {
        let b = rules(&[], &[], false, true);
        let text = "NATO’s response — analysis\n\nNATO’s response — analysis\n\nBody.\n\nNATO’s response — analysis";
        let (out, removed) = b.strip(text);
        assert_eq!(
            out,
            "NATO’s response — analysis\n\nBody.\n\nNATO’s response — analysis"
        );
        assert_eq!(removed, 1);
    }

    #[test]
    fn blank_runs_collapse() {
        let b = rules(&["^x$"], &[], false, false);
        assert_eq!(b.strip("a\n\nx\n \n\nb\n\n\n"), ("a\n\nb\n".to_string(), 1));
    }

    #[test]
    fn no_rules_keep_text_except_blank_runs() {
        let b = rules(&[], &[], false, false);
        assert_eq!(b.strip("«Да»\n\n\n— нет"), ("«Да»\n\n— нет".to_string(), 0));
    }

    #[test]
    fn bad_regex_names_pattern() {
        let err = Boilerplate::new(&BoilerplateConfig {
            patterns: vec!["^Read (more$".into()],
            ..Default::default()
        })
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("boilerplate pattern \"^Read (more$\": "),
            "{message}"
        );
    }
}
