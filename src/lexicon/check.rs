//! Lexicon diagnostics: problems found in a lexicon file, each tied to a real line.
//!
//! The format readers report syntax problems and format-specific ones (an undeclared LIWC
//! category code, a word listed twice with different values); `check_lexicon` then runs the
//! checks every format shares on the parsed [`Lexicon`] and its `SourceMap` (line numbers):
//! malformed entries, empty categories, entries duplicated within a category or across categories of
//! opposite polarity, overlapping wildcards, and `[weights]` keys that no category lists.
//! [`load`](super::load) refuses a file with any error-level diagnostic.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::model::{parse_entry, LexiconKind, Polarity, Word};
use super::Lexicon;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file is refused by [`load`](super::load).
    Error,
    /// Suspicious but usable.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem in a lexicon file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file (e.g. it cannot be read).
    pub line: usize,
    /// Error or warning.
    pub severity: Severity,
    /// Lowercase message naming the bad value.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line` of `file`.
    pub fn error(file: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at `line` of `file`.
    pub fn warning(file: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// True for error-level diagnostics.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line: error: message` (`file: error: message` when `line` is 0).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(
                f,
                "{}: {}: {}",
                self.file.display(),
                self.severity,
                self.message
            )
        } else {
            write!(
                f,
                "{}:{}: {}: {}",
                self.file.display(),
                self.line,
                self.severity,
                self.message
            )
        }
    }
}

/// Line numbers of the parts of a parsed lexicon, filled in by the format readers.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    /// Line of each category's declaration, parallel to `Lexicon::categories`.
    pub category_lines: Vec<usize>,
    /// Line of each entry, parallel to each category's `entries`.
    pub entry_lines: Vec<Vec<usize>>,
    /// Line of each `[weights]` key (native format only).
    pub weight_lines: BTreeMap<String, usize>,
}

impl SourceMap {
    fn category(&self, c: usize) -> usize {
        self.category_lines.get(c).copied().unwrap_or(0)
    }

    fn entry(&self, c: usize, e: usize) -> usize {
        self.entry_lines
            .get(c)
            .and_then(|v| v.get(e))
            .copied()
            .unwrap_or(0)
    }
}

/// Byte offset -> 1-based line number.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line containing byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Runs the format-independent checks on a parsed lexicon.
///
/// Reported as errors: a lexicon without categories, a malformed entry (wildcard not trailing, bare `*`), an empty category
/// (unless it is `special`), a `special` category with entries, the same entry in a positive
/// and a negative category, a wildcard made redundant by a shorter wildcard in the same
/// category (`threat*` covers `threaten*`), a `[weights]` key that no category lists, a
/// non-finite weight. Reported as warnings: the same entry twice in one category, a wildcard
/// overlapping a shorter one in another category (the longer, more specific one wins for the
/// words both match), `polarity` in a categorical lexicon, a polar/weighted lexicon without
/// any polarity, and a weight whose sign contradicts its category's polarity.
pub(crate) fn check_lexicon(lex: &Lexicon, map: &SourceMap, file: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if lex.categories.is_empty() {
        out.push(Diagnostic::error(
            file,
            1,
            format!("lexicon \"{}\" has no categories", lex.header.name),
        ));
    }
    let has_polarity = lex.categories.iter().any(|c| c.polarity.is_some());
    if lex.header.kind == LexiconKind::Categorical && has_polarity {
        let c = lex
            .categories
            .iter()
            .position(|c| c.polarity.is_some())
            .unwrap_or(0);
        out.push(Diagnostic::warning(
            file,
            map.category(c),
            format!(
                "category \"{}\" has a polarity, which a categorical lexicon ignores (set kind = \"polar\")",
                lex.categories[c].name
            ),
        ));
    }
    if lex.header.kind != LexiconKind::Categorical && !has_polarity {
        out.push(Diagnostic::warning(
            file,
            1,
            format!(
                "lexicon \"{}\" is {} but no category has a polarity, so it has no tone",
                lex.header.name,
                lex.header.kind.as_str()
            ),
        ));
    }

    // entry -> (category, line) of its first occurrence, for cross-category checks.
    let mut first_seen: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (ci, cat) in lex.categories.iter().enumerate() {
        if cat.special == Some(super::Special::ScareQuotes) {
            if !cat.entries.is_empty() {
                out.push(Diagnostic::error(
                    file,
                    map.category(ci),
                    format!(
                        "category \"{}\" is special (computed by the engine) but lists {} entries",
                        cat.name,
                        cat.entries.len()
                    ),
                ));
            }
            continue;
        }
        if cat.entries.is_empty() {
            out.push(Diagnostic::error(
                file,
                map.category(ci),
                format!("category \"{}\" has no entries", cat.name),
            ));
        }
        let mut in_cat: HashMap<&str, usize> = HashMap::new();
        for (ei, entry) in cat.entries.iter().enumerate() {
            let line = map.entry(ci, ei);
            if let Err(msg) = parse_entry(entry) {
                out.push(Diagnostic::error(
                    file,
                    line,
                    format!("{msg} (category \"{}\")", cat.name),
                ));
                continue;
            }
            if let Some(prev) = in_cat.get(entry.as_str()) {
                out.push(Diagnostic::warning(
                    file,
                    line,
                    format!(
                        "entry \"{entry}\" is listed twice in category \"{}\" (first on line {prev})",
                        cat.name
                    ),
                ));
                continue;
            }
            in_cat.insert(entry, line);
            let seen = first_seen.entry(entry).or_default();
            if let Some(p) = cat.polarity {
                for &(other, other_line) in seen.iter() {
                    if lex.categories[other].polarity == Some(p.opposite()) {
                        out.push(Diagnostic::error(
                            file,
                            line,
                            format!(
                                "entry \"{entry}\" is in {} category \"{}\" and in {} category \"{}\" (line {other_line})",
                                p.as_str(),
                                cat.name,
                                p.opposite().as_str(),
                                lex.categories[other].name
                            ),
                        ));
                    }
                }
            }
            seen.push((ci, line));
        }
    }

    check_wildcard_overlaps(lex, map, file, &mut out);

    let listed: HashSet<&str> = lex
        .categories
        .iter()
        .flat_map(|c| c.entries.iter().map(String::as_str))
        .collect();
    for (entry, w) in &lex.weights {
        let line = map.weight_lines.get(entry).copied().unwrap_or(0);
        if !listed.contains(entry.as_str()) {
            out.push(Diagnostic::error(
                file,
                line,
                format!("weights key \"{entry}\" is not an entry of any declared category"),
            ));
            continue;
        }
        if !w.is_finite() {
            out.push(Diagnostic::error(
                file,
                line,
                format!("weight of \"{entry}\" is not a finite number"),
            ));
            continue;
        }
        for cat in &lex.categories {
            if !cat.entries.iter().any(|e| e == entry) {
                continue;
            }
            let contradicts = matches!(
                (cat.polarity, *w > 0.0, *w < 0.0),
                (Some(Polarity::Positive), _, true) | (Some(Polarity::Negative), true, _)
            );
            if contradicts {
                out.push(Diagnostic::warning(
                    file,
                    line,
                    format!(
                        "weight {w} of \"{entry}\" contradicts the {} polarity of category \"{}\"",
                        cat.polarity.map(Polarity::as_str).unwrap_or(""),
                        cat.name
                    ),
                ));
            }
        }
    }
    out
}

/// Reports exact entries of a stem lexicon that reduce to the same stems in one of its
/// languages ("threat" and "threats"). Both become the same key, and at a position only one
/// entry of a lexicon counts (the earlier, among equally long and specific ones), so the later
/// entry never matches: in the same category it adds nothing; in another category its words
/// count only in the earlier entry's category (list one entry in both categories instead).
/// Wildcards are left out: they are compared on the surface form.
pub(crate) fn check_same_stems(
    lex: &Lexicon,
    map: &SourceMap,
    file: &Path,
    stem: &mut dyn FnMut(&str, &str) -> String,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if lex.header.match_mode != super::MatchMode::Stem {
        return out;
    }
    for lang in &lex.header.languages {
        // stems of an entry's words -> first (category, entry index) with them
        let mut first: HashMap<Vec<String>, (usize, usize)> = HashMap::new();
        for (ci, cat) in lex.categories.iter().enumerate() {
            if cat.special.is_some() {
                continue;
            }
            for (ei, entry) in cat.entries.iter().enumerate() {
                let Ok(words) = parse_entry(entry) else {
                    continue;
                };
                let key: Option<Vec<String>> = words
                    .into_iter()
                    .map(|w| match w {
                        Word::Exact(s) => Some(stem(lang, &s)),
                        Word::Prefix(_) => None,
                    })
                    .collect();
                let Some(key) = key else {
                    continue; // ends in a wildcard
                };
                let Some(&(fc, fe)) = first.get(&key) else {
                    first.insert(key, (ci, ei));
                    continue;
                };
                let earlier = &lex.categories[fc].entries[fe];
                if earlier == entry {
                    continue; // the same entry in several categories counts in each
                }
                let stems = key.join(" ");
                let (line, first_line) = (map.entry(ci, ei), map.entry(fc, fe));
                let message = if fc == ci {
                    format!(
                        "entry \"{entry}\" has the same {lang} stems \"{stems}\" as \"{earlier}\" \
                         (line {first_line}) in category \"{}\", so it adds nothing",
                        cat.name
                    )
                } else {
                    format!(
                        "entry \"{entry}\" (category \"{}\") has the same {lang} stems \"{stems}\" \
                         as \"{earlier}\" (category \"{}\", line {first_line}), which comes \
                         first, so \"{entry}\" never matches; list one of them in both categories",
                        cat.name, lex.categories[fc].name
                    )
                };
                out.push(Diagnostic::warning(file, line, message));
            }
        }
    }
    out
}

/// Reports wildcards covered by a shorter wildcard with the same leading words: `threat*`
/// covers `threaten*` (and `red line*` covers `red lines*`). Same category: error (the longer
/// one is redundant); different categories: warning (the longer one wins where both match,
/// so the shorter one's category loses those words).
fn check_wildcard_overlaps(lex: &Lexicon, map: &SourceMap, file: &Path, out: &mut Vec<Diagnostic>) {
    // (leading words, prefix) -> occurrences (category, entry index)
    let mut by_prefix: HashMap<(String, String), Vec<(usize, usize)>> = HashMap::new();
    for (ci, cat) in lex.categories.iter().enumerate() {
        for (ei, entry) in cat.entries.iter().enumerate() {
            let Ok(words) = parse_entry(entry) else {
                continue;
            };
            if let Some(Word::Prefix(p)) = words.last() {
                let lead = entry
                    .rsplit_once(' ')
                    .map(|(l, _)| l.to_string())
                    .unwrap_or_default();
                by_prefix
                    .entry((lead, p.clone()))
                    .or_default()
                    .push((ci, ei));
            }
        }
    }
    let mut keys: Vec<&(String, String)> = by_prefix.keys().collect();
    keys.sort();
    for key in keys {
        let (lead, prefix) = key;
        let longer = &by_prefix[key];
        // every proper, non-empty char prefix of `prefix`
        let shorter_ends: Vec<usize> = prefix
            .char_indices()
            .map(|(i, _)| i)
            .filter(|&i| i > 0)
            .collect();
        for end in shorter_ends {
            let shorter_key = (lead.clone(), prefix[..end].to_string());
            let Some(shorter) = by_prefix.get(&shorter_key) else {
                continue;
            };
            for &(lc, le) in longer {
                for &(sc, se) in shorter {
                    let long_entry = &lex.categories[lc].entries[le];
                    let short_entry = &lex.categories[sc].entries[se];
                    let short_line = map.entry(sc, se);
                    if lc == sc {
                        out.push(Diagnostic::error(
                            file,
                            map.entry(lc, le),
                            format!(
                                "wildcard \"{long_entry}\" is redundant: \"{short_entry}\" (line {short_line}) in the same category \"{}\" already matches every word it matches",
                                lex.categories[lc].name
                            ),
                        ));
                    } else {
                        out.push(Diagnostic::warning(
                            file,
                            map.entry(lc, le),
                            format!(
                                "wildcard \"{long_entry}\" (category \"{}\") overlaps \"{short_entry}\" (category \"{}\", line {short_line}); words matching both count only in \"{}\"",
                                lex.categories[lc].name,
                                lex.categories[sc].name,
                                lex.categories[lc].name
                            ),
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets() {
        let idx = LineIndex::new("ab\ncd\n\né");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(6), 3);
        assert_eq!(idx.line(7), 4);
    }

    #[test]
    fn display_has_file_line_severity() {
        let d = Diagnostic::error(
            Path::new("lexicons/frames.toml"),
            41,
            "category \"conflcit\" is not declared",
        );
        assert_eq!(
            d.to_string(),
            "lexicons/frames.toml:41: error: category \"conflcit\" is not declared"
        );
        let w = Diagnostic::warning(Path::new("словарь.dic"), 0, "cannot read");
        assert_eq!(w.to_string(), "словарь.dic: warning: cannot read");
    }
}
