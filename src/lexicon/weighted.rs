//! Weighted word lists as AFINN (Nielsen 2011) and VADER (Hutto & Gilbert 2014) distribute
//! them: one `word<TAB>value` per line, further tab-separated columns ignored (VADER's
//! `vader_lexicon.txt` has four: token, mean, standard deviation, raw ratings).
//!
//! Import: a `weighted` [`Lexicon`] with default header fields (see
//! [`super::imported_header`]) and up to three categories, each only when it has entries:
//! `positive` (value > 0, polarity positive), `negative` (value < 0, polarity negative) and
//! `neutral` (value = 0, no polarity); every value goes into `weights`. Lines without a tab split on
//! whitespace, the last field being the value (so an entry may be a phrase). Entries without
//! any letter or digit (VADER's emoticons such as `:-)`) can never match a word token: they are
//! skipped, with one warning for all of them. A `*` ends a wildcard as in every format.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use super::check::{Diagnostic, SourceMap};
use super::model::{normalize_entry, parse_entry, Category, Lexicon, LexiconKind, Polarity};
use super::{finish_import, LexiconError, LoadOptions};

/// Reads a weighted word list.
pub(crate) fn parse(
    text: &str,
    file: &Path,
    opts: &LoadOptions,
) -> (Option<(Lexicon, SourceMap)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut weights: BTreeMap<String, f64> = BTreeMap::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    // (entry, line) per category: positive, negative, neutral
    let mut buckets: [Vec<(String, usize)>; 3] = Default::default();
    // lines of entries without a letter or digit (emoticons): they can never match a token
    let mut unmatchable: Vec<usize> = Vec::new();
    for (i, raw_line) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw_line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (word, value) = if line.contains('\t') {
            let mut f = line.split('\t');
            (
                f.next().unwrap_or("").to_string(),
                f.next().unwrap_or("").trim().to_string(),
            )
        } else {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.split_last() {
                Some((v, w)) if !w.is_empty() => (w.join(" "), (*v).to_string()),
                _ => {
                    diags.push(Diagnostic::error(
                        file,
                        n,
                        format!("line \"{}\" is not \"word<TAB>value\"", line.trim()),
                    ));
                    continue;
                }
            }
        };
        let entry = normalize_entry(&word);
        let Ok(w) = value.parse::<f64>() else {
            diags.push(Diagnostic::error(
                file,
                n,
                format!("value \"{value}\" of entry \"{entry}\" is not a number"),
            ));
            continue;
        };
        if !w.is_finite() {
            diags.push(Diagnostic::error(
                file,
                n,
                format!("value \"{value}\" of entry \"{entry}\" is not finite"),
            ));
            continue;
        }
        if !entry.chars().any(char::is_alphanumeric) {
            unmatchable.push(n);
            continue;
        }
        if let Err(msg) = parse_entry(&entry) {
            diags.push(Diagnostic::error(file, n, msg));
            continue;
        }
        if let Some(prev) = weights.get(&entry) {
            let first = first_line.get(&entry).copied().unwrap_or(0);
            if *prev == w {
                diags.push(Diagnostic::warning(
                    file,
                    n,
                    format!("entry \"{entry}\" is listed again (first on line {first})"),
                ));
            } else {
                diags.push(Diagnostic::error(
                    file,
                    n,
                    format!(
                        "entry \"{entry}\" is listed again with value {w} (line {first} gives {prev})"
                    ),
                ));
            }
            continue;
        }
        weights.insert(entry.clone(), w);
        first_line.insert(entry.clone(), n);
        let b = if w > 0.0 {
            0
        } else if w < 0.0 {
            1
        } else {
            2
        };
        buckets[b].push((entry, n));
    }
    if let Some(&first) = unmatchable.first() {
        diags.push(Diagnostic::warning(
            file,
            first,
            format!(
                "{} entries have no letter or digit (emoticons?) and can never match a word token; skipped (first here)",
                unmatchable.len()
            ),
        ));
    }
    let mut categories = Vec::new();
    let mut map = SourceMap::default();
    let specs = [
        (
            "positive",
            "entries with a positive value",
            Some(Polarity::Positive),
        ),
        (
            "negative",
            "entries with a negative value",
            Some(Polarity::Negative),
        ),
        ("neutral", "entries with value 0", None),
    ];
    for ((name, description, polarity), bucket) in specs.into_iter().zip(buckets) {
        if bucket.is_empty() {
            continue;
        }
        let line = bucket.first().map(|(_, l)| *l).unwrap_or(0);
        map.category_lines.push(line);
        map.entry_lines
            .push(bucket.iter().map(|(_, l)| *l).collect::<Vec<_>>());
        categories.push(Category {
            name: name.to_string(),
            description: description.to_string(),
            polarity,
            special: None,
            entries: bucket.into_iter().map(|(e, _)| e).collect(),
        });
    }
    let mut lex = finish_import(categories, file, opts, "weighted word list");
    lex.header.kind = LexiconKind::Weighted;
    lex.weights = weights;
    (Some((lex, map)), diags)
}

/// Writes `lex` as `entry<TAB>weight` lines, entries sorted. The weight is the `[weights]`
/// value or the default of the entry's first category ([`Lexicon::weight`]). Returns what is
/// lost: header, categories (only the sign of a weight survives), special categories.
pub(crate) fn write(lex: &Lexicon, out: &mut dyn Write) -> Result<Vec<String>, LexiconError> {
    let mut lost = vec![
        "weighted lists keep only entries and weights: the header, category names and descriptions are dropped".to_string(),
    ];
    let mut rows: BTreeMap<&str, f64> = BTreeMap::new();
    let mut conflicts = 0usize;
    for (ci, cat) in lex.categories.iter().enumerate() {
        if cat.special.is_some() {
            lost.push(format!("special category \"{}\" is left out", cat.name));
            continue;
        }
        for e in &cat.entries {
            let w = lex.weight(e, ci);
            match rows.get(e.as_str()) {
                Some(prev) if *prev != w => conflicts += 1,
                Some(_) => {}
                None => {
                    rows.insert(e, w);
                }
            }
        }
    }
    if conflicts > 0 {
        lost.push(format!(
            "{conflicts} entries sit in categories with different default weights; the first category's weight was written"
        ));
    }
    if lex.header.kind == LexiconKind::Categorical {
        lost.push(
            "a categorical lexicon has no valence: every entry is written with weight 1"
                .to_string(),
        );
    }
    let mut s = String::new();
    for (e, w) in rows {
        s.push_str(&format!("{e}\t{w}\n"));
    }
    out.write_all(s.as_bytes())
        .map_err(|source| LexiconError::Write { source })?;
    Ok(lost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::check::Severity;

    #[test]
    fn reads_two_and_four_column_lines() {
        let text = "хороший\t2\nterrible\t-3\t0.9\t[-3, -3, -4]\nmeh\t0\nwell done\t2.5\n:-*\t1.1\n(:\t1.6\t0.5\t[1, 2]\n";
        let (parsed, diags) = parse(text, Path::new("w.txt"), &LoadOptions::default());
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].severity), (5, Severity::Warning));
        assert!(diags[0].message.starts_with("2 entries have no letter"));
        let (lex, map) = parsed.unwrap();
        assert_eq!(lex.header.kind, LexiconKind::Weighted);
        assert_eq!(lex.categories[0].entries, vec!["хороший", "well done"]);
        assert_eq!(lex.categories[1].entries, vec!["terrible"]);
        assert_eq!(lex.categories[2].name, "neutral");
        assert_eq!(lex.weights["terrible"], -3.0);
        assert_eq!(lex.weights["well done"], 2.5);
        assert_eq!(map.entry_lines[0], vec![1, 4]);
    }

    #[test]
    fn one_sided_list_has_one_category_and_loads() {
        let lex = crate::lexicon::load_bytes(
            "мир\t1\ngreat\t2\n".as_bytes(),
            crate::lexicon::Format::Weighted,
            Path::new("pos.txt"),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(lex.header.name, "pos");
        assert_eq!(lex.categories.len(), 1);
        assert_eq!(lex.categories[0].entries, vec!["мир", "great"]);
    }

    #[test]
    fn conflicting_duplicate_is_an_error() {
        let text = "good\t2\nbad\t-2\ngood\t3\nbad\t-2\nbad x\n";
        let (parsed, diags) = parse(text, Path::new("d.tsv"), &LoadOptions::default());
        assert_eq!(parsed.unwrap().0.categories.len(), 2);
        let got: Vec<(usize, Severity)> = diags.iter().map(|d| (d.line, d.severity)).collect();
        assert_eq!(
            got,
            vec![
                (3, Severity::Error),
                (4, Severity::Warning),
                (5, Severity::Error)
            ]
        );
    }
}
