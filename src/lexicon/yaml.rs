//! quanteda-style YAML dictionaries: reader and writer.
//!
//! A quanteda dictionary (Benoit et al. 2018, `quanteda::dictionary(file = "x.yml")`) is a
//! mapping from category to a list of patterns; a category may instead hold a mapping of
//! subcategories, flattened here as `parent.child`. A single string counts as a one-entry
//! list. Parsing uses the `yaml_serde` crate (the YAML organization's maintained fork of
//! `serde_yaml`); its error locations give the line of a syntax error. The YAML value tree
//! carries no positions, so entry lines are recovered by scanning the text for each key and
//! entry in document order.

use std::io::Write;
use std::path::Path;

use yaml_serde::Value;

use super::check::{Diagnostic, SourceMap};
use super::model::{normalize_entry, polarity_from_name, Category, Lexicon};
use super::{finish_import, LexiconError, LoadOptions};

/// Finds lines of keys and entries by scanning forward through the text.
struct LineFinder<'a> {
    lines: Vec<&'a str>,
}

impl<'a> LineFinder<'a> {
    /// 1-based line of the first line at or after `from` (1-based) that declares `key:`.
    fn key(&self, key: &str, from: usize) -> Option<usize> {
        let start = from.saturating_sub(1);
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find_map(|(i, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                let k = t.split_once(':').map(|(k, _)| k.trim())?;
                let k = k.trim_matches(|c| c == '"' || c == '\'');
                (k == key).then_some(i + 1)
            })
    }

    /// 1-based line of the first line at or after `from` whose value part (after `- ` or after
    /// `key:`) holds `text` as a whole YAML scalar (bounded by quotes, commas, brackets, spaces).
    fn text(&self, text: &str, from: usize) -> Option<usize> {
        let start = from.saturating_sub(1);
        let bounded = |hay: &str| {
            hay.match_indices(text).any(|(i, _)| {
                let before = hay[..i].chars().next_back();
                let after = hay[i + text.len()..].chars().next();
                let delim =
                    |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "[],\"'#-".contains(c));
                delim(before) && delim(after)
            })
        };
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find_map(|(i, l)| {
                let t = l.trim_start();
                let value = match t.strip_prefix("- ") {
                    Some(v) => v,
                    None => t.split_once(':').map(|(_, v)| v).unwrap_or(t),
                };
                bounded(value).then_some(i + 1)
            })
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads a quanteda YAML dictionary.
pub(crate) fn parse(
    text: &str,
    file: &Path,
    opts: &LoadOptions,
) -> (Option<(Lexicon, SourceMap)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let value: Value = match yaml_serde::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let line = e.location().map(|l| l.line()).unwrap_or(0);
            diags.push(Diagnostic::error(
                file,
                line,
                format!("yaml syntax: {}", strip_location(&e.to_string())),
            ));
            return (None, diags);
        }
    };
    let Value::Mapping(top) = value else {
        diags.push(Diagnostic::error(
            file,
            1,
            "a dictionary must be a mapping from category to a list of entries",
        ));
        return (None, diags);
    };
    let finder = LineFinder {
        lines: text.lines().collect(),
    };
    let mut categories = Vec::new();
    let mut map = SourceMap::default();
    let mut cursor = 1;
    walk(
        &top,
        "",
        &finder,
        &mut cursor,
        file,
        &mut categories,
        &mut map,
        &mut diags,
    );
    let lex = finish_import(categories, file, opts, "quanteda YAML");
    (Some((lex, map)), diags)
}

#[allow(clippy::too_many_arguments)]
fn walk(
    mapping: &yaml_serde::Mapping,
    prefix: &str,
    finder: &LineFinder<'_>,
    cursor: &mut usize,
    file: &Path,
    categories: &mut Vec<Category>,
    map: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    for (k, v) in mapping {
        let Some(key) = scalar(k) else {
            diags.push(Diagnostic::error(
                file,
                *cursor,
                "a category name must be a string",
            ));
            continue;
        };
        let line = finder.key(&key, *cursor).unwrap_or(*cursor);
        *cursor = line;
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let items: Vec<&Value> = match v {
            Value::Mapping(sub) => {
                walk(sub, &name, finder, cursor, file, categories, map, diags);
                continue;
            }
            Value::Sequence(seq) => seq.iter().collect(),
            Value::Null => Vec::new(),
            other => vec![other],
        };
        let mut entries = Vec::new();
        let mut lines = Vec::new();
        for item in items {
            let Some(raw) = scalar(item) else {
                diags.push(Diagnostic::error(
                    file,
                    *cursor,
                    format!("category \"{name}\": entries must be strings"),
                ));
                continue;
            };
            let l = finder.text(&raw, *cursor).unwrap_or(*cursor);
            *cursor = l;
            entries.push(normalize_entry(&raw));
            lines.push(l);
        }
        categories.push(Category {
            polarity: polarity_from_name(&name),
            description: format!("category {name}"),
            name,
            special: None,
            entries,
        });
        map.category_lines.push(line);
        map.entry_lines.push(lines);
    }
}

/// yaml_serde appends " at line L column C" to messages; the diagnostic carries the line.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Writes `lex` as a flat quanteda YAML dictionary (`category:` then `- entry` lines; dotted
/// names are written as quoted flat keys). The header is kept as `#` comments only. Returns
/// what is lost: header fields, descriptions, polarity, weights, special categories.
pub(crate) fn write(lex: &Lexicon, out: &mut dyn Write) -> Result<Vec<String>, LexiconError> {
    let mut lost = vec![
        "YAML dictionaries keep only categories and entries: header fields, match mode and category descriptions become comments or are dropped".to_string(),
    ];
    let h = &lex.header;
    let mut s = format!(
        "# {} {} ({}), match = {}\n# license: {}\n# citation: {}\n",
        h.name,
        h.version,
        h.languages.join(", "),
        h.match_mode.as_str(),
        h.license,
        h.citation.replace('\n', " ")
    );
    for cat in &lex.categories {
        if cat.special.is_some() {
            lost.push(format!(
                "special category \"{}\" has no entries and is left out",
                cat.name
            ));
            continue;
        }
        if cat.polarity.is_some() && polarity_from_name(&cat.name) != cat.polarity {
            lost.push(format!("polarity of category \"{}\" is dropped", cat.name));
        }
        s.push_str(&format!("{}:\n", yaml_string(&cat.name)));
        for e in &cat.entries {
            s.push_str(&format!("  - {}\n", yaml_string(e)));
        }
    }
    if !lex.weights.is_empty() {
        lost.push(format!(
            "{} entry weights are dropped (YAML dictionaries have no weights)",
            lex.weights.len()
        ));
    }
    out.write_all(s.as_bytes())
        .map_err(|source| LexiconError::Write { source })?;
    Ok(lost)
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Polarity;

    #[test]
    fn reads_nested_categories_with_lines() {
        let text = "positive:\n  - хорош*\n  - good\nnegative: [bad, \"угроза\"]\neconomy:\n  inflation:\n    - prices\n  jobs: work\n";
        let (parsed, diags) = parse(text, Path::new("mini.yml"), &LoadOptions::default());
        assert!(diags.is_empty(), "{diags:?}");
        let (lex, map) = parsed.unwrap();
        let names: Vec<&str> = lex.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["positive", "negative", "economy.inflation", "economy.jobs"]
        );
        assert_eq!(lex.categories[0].polarity, Some(Polarity::Positive));
        assert_eq!(lex.categories[1].entries, vec!["bad", "угроза"]);
        assert_eq!(lex.categories[3].entries, vec!["work"]);
        assert_eq!(map.category_lines, vec![1, 4, 6, 8]);
        assert_eq!(map.entry_lines[0], vec![2, 3]);
        assert_eq!(map.entry_lines[2], vec![7]);
    }

    #[test]
    fn syntax_error_has_its_line() {
        let text = "positive:\n  - good\nnegative: [bad, worse\nother:\n  - x\n";
        let (parsed, diags) = parse(text, Path::new("bad.yml"), &LoadOptions::default());
        assert!(parsed.is_none());
        assert_eq!(diags.len(), 1);
        assert!(diags[0].line >= 3, "{}", diags[0]);
        assert!(diags[0].message.starts_with("yaml syntax:"));
    }
}
