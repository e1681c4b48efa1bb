//! LIWC-style `.dic` dictionaries: reader and writer.
//!
//! Layout (Pennebaker et al., LIWC manuals): a header between two lines holding only `%`, one
//! category per line as `code<whitespace>name`, then one entry per line as `word<TAB>codes`.
//! Codes are separated by tabs or spaces and are numbers declared in the header, or (as some
//! LIWC 2015-era files do) category names. A word may be a phrase (`kind of`) when a tab
//! separates it from its codes. Old LIWC 2007 conditional codes such as `(02 134)125/464` are
//! not supported: they are skipped with a warning. Files that are not UTF-8 are decoded as
//! Windows-1252 (with a warning), the usual encoding of older dictionaries.
//!
//! An imported `.dic` becomes a [`Lexicon`] with default header fields (see
//! [`super::imported_header`]); categories named like `posemo`/`negemo` get a polarity.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::check::{Diagnostic, SourceMap};
use super::model::{normalize_entry, polarity_from_name, Category, Lexicon};
use super::{finish_import, LexiconError, LoadOptions};

/// Reads a `.dic` file's text.
pub(crate) fn parse(
    text: &str,
    file: &Path,
    opts: &LoadOptions,
) -> (Option<(Lexicon, SourceMap)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')));

    // Opening '%'.
    let mut opened = false;
    for (n, line) in lines.by_ref() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t == "%" {
            opened = true;
            break;
        }
        diags.push(Diagnostic::error(
            file,
            n,
            format!("expected a line holding only % to open the category header, found \"{t}\""),
        ));
        return (None, diags);
    }
    if !opened {
        diags.push(Diagnostic::error(file, 1, "empty .dic file: no % header"));
        return (None, diags);
    }

    let mut categories: Vec<Category> = Vec::new();
    let mut map = SourceMap::default();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut closed = false;
    let mut last_line = 1;
    for (n, line) in lines.by_ref() {
        last_line = n;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t == "%" {
            closed = true;
            break;
        }
        let mut fields = t.split_whitespace();
        let (Some(code), Some(name)) = (fields.next(), fields.next()) else {
            diags.push(Diagnostic::error(
                file,
                n,
                format!("category header line \"{t}\" is not \"code name\""),
            ));
            continue;
        };
        let rest: Vec<&str> = fields.collect();
        if let Some(prev) = by_code.get(code) {
            diags.push(Diagnostic::error(
                file,
                n,
                format!(
                    "category code {code} is declared twice (first on line {})",
                    map.category_lines[*prev]
                ),
            ));
            continue;
        }
        if by_name.contains_key(name) {
            diags.push(Diagnostic::error(
                file,
                n,
                format!("category name \"{name}\" is declared twice"),
            ));
            continue;
        }
        let idx = categories.len();
        by_code.insert(code.to_string(), idx);
        by_name.insert(name.to_string(), idx);
        categories.push(Category {
            name: name.to_string(),
            description: if rest.is_empty() {
                format!("LIWC category {code}")
            } else {
                rest.join(" ")
            },
            polarity: polarity_from_name(name),
            special: None,
            entries: Vec::new(),
        });
        map.category_lines.push(n);
        map.entry_lines.push(Vec::new());
    }
    if !closed {
        diags.push(Diagnostic::error(
            file,
            last_line,
            "the category header is not closed by a line holding only %",
        ));
        return (None, diags);
    }

    // word -> (line, sorted category indices) of its first occurrence
    let mut seen: HashMap<String, (usize, Vec<usize>)> = HashMap::new();
    for (n, line) in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let (word, code_fields): (String, Vec<&str>) = match t.split_once('\t') {
            Some((w, codes)) => (w.trim().to_string(), codes.split_whitespace().collect()),
            None => {
                // Space-separated: the trailing fields that are codes, the rest is the word.
                let fields: Vec<&str> = t.split_whitespace().collect();
                let n_codes = fields
                    .iter()
                    .rev()
                    .take_while(|f| by_code.contains_key(**f) || by_name.contains_key(**f))
                    .count();
                let split = fields.len() - n_codes.min(fields.len().saturating_sub(1));
                (fields[..split].join(" "), fields[split..].to_vec())
            }
        };
        let entry = normalize_entry(&word);
        if code_fields.is_empty() {
            diags.push(Diagnostic::error(
                file,
                n,
                format!("entry \"{entry}\" has no category codes"),
            ));
            continue;
        }
        let mut cats = Vec::new();
        for code in code_fields {
            if code.contains('(') || code.contains(')') || code.contains('/') {
                diags.push(Diagnostic::warning(
                    file,
                    n,
                    format!("conditional LIWC code \"{code}\" of entry \"{entry}\" is not supported and was ignored"),
                ));
                continue;
            }
            match by_code.get(code).or_else(|| by_name.get(code)) {
                Some(&c) => {
                    if !cats.contains(&c) {
                        cats.push(c);
                    }
                }
                None => diags.push(Diagnostic::error(
                    file,
                    n,
                    format!("entry \"{entry}\": category {code} is not declared in the % header"),
                )),
            }
        }
        cats.sort_unstable();
        if let Some((first, first_cats)) = seen.get(&entry) {
            if *first_cats == cats {
                diags.push(Diagnostic::warning(
                    file,
                    n,
                    format!("entry \"{entry}\" is listed again (first on line {first})"),
                ));
            } else {
                let names = |cs: &[usize]| {
                    cs.iter()
                        .map(|&c| categories[c].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                diags.push(Diagnostic::error(
                    file,
                    n,
                    format!(
                        "entry \"{entry}\" is listed again with different categories ({}) than on line {first} ({})",
                        names(&cats),
                        names(first_cats)
                    ),
                ));
            }
            continue;
        }
        for &c in &cats {
            categories[c].entries.push(entry.clone());
            map.entry_lines[c].push(n);
        }
        seen.insert(entry, (n, cats));
    }
    let lex = finish_import(categories, file, opts, "LIWC .dic");
    (Some((lex, map)), diags)
}

/// Writes `lex` as a `.dic`: categories numbered 1.. in file order, then each entry once with
/// all its codes, tab-separated, in order of first appearance. Returns what could not be
/// written: header fields, descriptions, polarity, weights, special categories.
pub(crate) fn write(lex: &Lexicon, out: &mut dyn Write) -> Result<Vec<String>, LexiconError> {
    let mut lost = vec![format!(
        "the .dic format keeps only category names and entries: header fields (version, license, citation, match = \"{}\", languages) and category descriptions are dropped",
        lex.header.match_mode.as_str()
    )];
    let mut s = String::from("%\n");
    let mut codes: Vec<Option<usize>> = Vec::new();
    let mut next = 1;
    for cat in &lex.categories {
        if cat.special.is_some() {
            lost.push(format!(
                "special category \"{}\" has no entries and is left out",
                cat.name
            ));
            codes.push(None);
            continue;
        }
        if cat.polarity.is_some() && polarity_from_name(&cat.name) != cat.polarity {
            lost.push(format!(
                "polarity of category \"{}\" is dropped (only categories named positive/negative, posemo/negemo keep it on import)",
                cat.name
            ));
        }
        if cat.name.chars().any(char::is_whitespace) {
            lost.push(format!(
                "category name \"{}\" contains whitespace and will not read back",
                cat.name
            ));
        }
        s.push_str(&format!("{next}\t{}\n", cat.name));
        codes.push(Some(next));
        next += 1;
    }
    s.push_str("%\n");
    let mut order: Vec<&str> = Vec::new();
    let mut entry_codes: HashMap<&str, Vec<usize>> = HashMap::new();
    for (ci, cat) in lex.categories.iter().enumerate() {
        let Some(code) = codes[ci] else { continue };
        for e in &cat.entries {
            let v = entry_codes.entry(e.as_str()).or_insert_with(|| {
                order.push(e.as_str());
                Vec::new()
            });
            if !v.contains(&code) {
                v.push(code);
            }
        }
    }
    for e in order {
        let cs: Vec<String> = entry_codes[e].iter().map(|c| c.to_string()).collect();
        s.push_str(&format!("{e}\t{}\n", cs.join("\t")));
    }
    let non_default: Vec<&String> = lex
        .weights
        .iter()
        .filter(|(e, w)| {
            lex.categories
                .iter()
                .enumerate()
                .filter(|(_, c)| c.entries.contains(e))
                .any(|(ci, _)| {
                    let default = match lex.categories[ci].polarity {
                        Some(super::Polarity::Negative) => -1.0,
                        _ => 1.0,
                    };
                    **w != default
                })
        })
        .map(|(e, _)| e)
        .collect();
    if !non_default.is_empty() {
        lost.push(format!(
            "{} entry weights are dropped (.dic has no weights), e.g. \"{}\"",
            non_default.len(),
            non_default[0]
        ));
    }
    out.write_all(s.as_bytes())
        .map_err(|source| LexiconError::Write { source })?;
    Ok(lost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::check::Severity;
    use crate::lexicon::{LexiconKind, Polarity};

    fn opts() -> LoadOptions {
        LoadOptions::default()
    }

    #[test]
    fn reads_numeric_and_named_codes_tabs_and_spaces() {
        let text = "%\n1\tposemo\n2\tnegemo\n3 kremlin\tKremlin words\n%\nкрасив*\t1\nугроз*\t2 3\nkind of\t1\nthreat* 2\nkremlin\tkremlin\n";
        let (parsed, diags) = parse(text, Path::new("тест.dic"), &opts());
        assert!(diags.is_empty(), "{diags:?}");
        let (lex, map) = parsed.unwrap();
        assert_eq!(lex.header.name, "lexicon");
        assert_eq!(lex.header.kind, LexiconKind::Polar);
        assert_eq!(lex.categories[0].polarity, Some(Polarity::Positive));
        assert_eq!(lex.categories[1].polarity, Some(Polarity::Negative));
        assert_eq!(lex.categories[0].entries, vec!["красив*", "kind of"]);
        assert_eq!(lex.categories[1].entries, vec!["угроз*", "threat*"]);
        assert_eq!(lex.categories[2].entries, vec!["угроз*", "kremlin"]);
        assert_eq!(lex.categories[2].description, "Kremlin words");
        assert_eq!(map.entry_lines[2], vec![7, 10]);
    }

    #[test]
    fn undeclared_code_and_conflicting_duplicate_are_errors() {
        let text = "%\n1\tposemo\n2\tnegemo\n%\ngood\t1\nbad\t2 7\ngood\t2\ngood\t1\n";
        let (_, diags) = parse(text, Path::new("x.dic"), &opts());
        let got: Vec<(usize, Severity)> = diags.iter().map(|d| (d.line, d.severity)).collect();
        assert_eq!(
            got,
            vec![
                (6, Severity::Error),
                (7, Severity::Error),
                (8, Severity::Warning)
            ]
        );
        assert!(diags[0].message.contains("category 7 is not declared"));
        assert!(diags[1].message.contains("line 5"));
    }

    #[test]
    fn unclosed_header_is_an_error() {
        let (parsed, diags) = parse("%\n1\tposemo\nhappy\t1\n", Path::new("u.dic"), &opts());
        assert!(parsed.is_none());
        assert_eq!(diags[0].line, 3);
    }
}
