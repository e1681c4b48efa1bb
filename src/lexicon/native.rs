//! The native lexicon format (TOML): reader with real line numbers, and writer.
//!
//! The format is a fixed contract: a `[lexicon]` header, `[categories.NAME]` tables in file
//! order, optional `[weights]`. The reader deserializes with `toml::Spanned` so every category, entry
//! and weight keeps the line it was written on; it hands a [`Lexicon`] plus a [`SourceMap`] to
//! the shared checks.

use std::fmt;
use std::io::Write;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::check::{Diagnostic, LineIndex, SourceMap};
use super::model::{
    normalize_entry, sanitize_category_name, Category, Header, Lexicon, LexiconKind, MatchMode,
    Polarity, Special,
};
use super::LexiconError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    lexicon: HeaderDe,
    #[serde(default)]
    categories: Option<OrderedMap<Spanned<CategoryDe>>>,
    #[serde(default)]
    weights: Option<OrderedMap<Spanned<f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderDe {
    name: Spanned<String>,
    version: Spanned<String>,
    languages: Spanned<Vec<Spanned<String>>>,
    license: Spanned<String>,
    description: Spanned<String>,
    citation: Spanned<String>,
    #[serde(rename = "match")]
    match_mode: MatchMode,
    #[serde(default)]
    kind: LexiconKind,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryDe {
    description: Spanned<String>,
    #[serde(default)]
    polarity: Option<Polarity>,
    #[serde(default)]
    special: Option<Special>,
    #[serde(default)]
    entries: Vec<Spanned<String>>,
}

/// A TOML table read in file order, keys with their spans.
struct OrderedMap<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// Reads a native lexicon. Returns `None` as the lexicon when the TOML does not parse or a
/// required field is missing (the diagnostics say where).
pub(crate) fn parse(text: &str, file: &Path) -> (Option<(Lexicon, SourceMap)>, Vec<Diagnostic>) {
    let lines = LineIndex::new(text);
    let mut diags = Vec::new();
    let de: FileDe = match toml::from_str(text) {
        Ok(de) => de,
        Err(e) => {
            let line = e.span().map(|s| lines.line(s.start)).unwrap_or(0);
            let msg = e.message().trim().to_string();
            diags.push(Diagnostic::error(file, line, format!("toml syntax: {msg}")));
            return (None, diags);
        }
    };
    let line_of = |s: &std::ops::Range<usize>| lines.line(s.start);
    let h = de.lexicon;

    let name = h.name.get_ref();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        diags.push(Diagnostic::error(
            file,
            line_of(&h.name.span()),
            format!("lexicon name \"{name}\" must match [a-z0-9-]+"),
        ));
    }
    if !is_semver(h.version.get_ref()) {
        diags.push(Diagnostic::error(
            file,
            line_of(&h.version.span()),
            format!(
                "version \"{}\" is not a semantic version (major.minor.patch)",
                h.version.get_ref()
            ),
        ));
    }
    if h.languages.get_ref().is_empty() {
        diags.push(Diagnostic::error(
            file,
            line_of(&h.languages.span()),
            "languages is empty: list the ISO 639-1 codes the entries are written in",
        ));
    }
    for lang in h.languages.get_ref() {
        let l = lang.get_ref();
        if l.len() != 2 || !l.chars().all(|c| c.is_ascii_lowercase()) {
            diags.push(Diagnostic::error(
                file,
                line_of(&lang.span()),
                format!("language \"{l}\" is not a lowercase ISO 639-1 code such as \"en\""),
            ));
        }
    }
    for (field, value) in [
        ("license", &h.license),
        ("description", &h.description),
        ("citation", &h.citation),
    ] {
        if value.get_ref().trim().is_empty() {
            diags.push(Diagnostic::error(
                file,
                line_of(&value.span()),
                format!("{field} is empty"),
            ));
        }
    }
    let header = Header {
        name: name.clone(),
        version: h.version.get_ref().clone(),
        languages: h
            .languages
            .get_ref()
            .iter()
            .map(|l| l.get_ref().clone())
            .collect(),
        license: h.license.get_ref().clone(),
        description: h.description.get_ref().clone(),
        citation: h.citation.get_ref().clone(),
        match_mode: h.match_mode,
        kind: h.kind,
        notes: h.notes,
    };

    let mut map = SourceMap::default();
    let mut categories = Vec::new();
    match de.categories {
        None => diags.push(Diagnostic::error(
            file,
            line_of(&h.name.span()),
            "the lexicon declares no [categories.NAME] table",
        )),
        Some(OrderedMap(cats)) => {
            for (key, cat) in cats {
                let cat_line = line_of(&key.span());
                let cname = key.get_ref();
                if cname.is_empty()
                    || !cname
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    diags.push(Diagnostic::error(
                        file,
                        cat_line,
                        format!("category name \"{cname}\" must match [a-z0-9_]+"),
                    ));
                }
                let cat = cat.into_inner();
                if cat.description.get_ref().trim().is_empty() {
                    diags.push(Diagnostic::error(
                        file,
                        line_of(&cat.description.span()),
                        format!("category \"{cname}\" has an empty description"),
                    ));
                }
                let mut entries = Vec::with_capacity(cat.entries.len());
                let mut entry_lines = Vec::with_capacity(cat.entries.len());
                for e in &cat.entries {
                    entries.push(normalize_entry(e.get_ref()));
                    entry_lines.push(line_of(&e.span()));
                }
                categories.push(Category {
                    name: cname.clone(),
                    description: cat.description.get_ref().clone(),
                    polarity: cat.polarity,
                    special: cat.special,
                    entries,
                });
                map.category_lines.push(cat_line);
                map.entry_lines.push(entry_lines);
            }
        }
    }
    let mut weights = std::collections::BTreeMap::new();
    if let Some(OrderedMap(ws)) = de.weights {
        for (key, value) in ws {
            let entry = normalize_entry(key.get_ref());
            let line = line_of(&key.span());
            if weights.insert(entry.clone(), *value.get_ref()).is_some() {
                diags.push(Diagnostic::error(
                    file,
                    line,
                    format!("weights key \"{entry}\" is given twice (after normalization)"),
                ));
            }
            map.weight_lines.entry(entry).or_insert(line);
        }
    }
    let lex = Lexicon {
        header,
        categories,
        weights,
        sha256: None,
        source: None,
    };
    (Some((lex, map)), diags)
}

/// `MAJOR.MINOR.PATCH` with digits, optionally followed by `-pre` and/or `+build`.
fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes `lex` in the native format. Lossless except that category names outside
/// `[a-z0-9_]+` (e.g. `economy.inflation` from YAML) are renamed; each rename is returned.
pub(crate) fn write(lex: &Lexicon, out: &mut dyn Write) -> Result<Vec<String>, LexiconError> {
    let mut lost = Vec::new();
    let h = &lex.header;
    let mut s = String::new();
    s.push_str("[lexicon]\n");
    s.push_str(&format!("name = {}\n", quote(&h.name)));
    s.push_str(&format!("version = {}\n", quote(&h.version)));
    let langs: Vec<String> = h.languages.iter().map(|l| quote(l)).collect();
    s.push_str(&format!("languages = [{}]\n", langs.join(", ")));
    s.push_str(&format!("license = {}\n", quote(&h.license)));
    s.push_str(&format!("description = {}\n", quote(&h.description)));
    s.push_str(&format!("citation = {}\n", quote(&h.citation)));
    s.push_str(&format!("match = {}\n", quote(h.match_mode.as_str())));
    s.push_str(&format!("kind = {}\n", quote(h.kind.as_str())));
    if let Some(notes) = &h.notes {
        s.push_str(&format!("notes = {}\n", quote(notes)));
    }
    let mut used = std::collections::HashSet::new();
    for cat in &lex.categories {
        let mut name = sanitize_category_name(&cat.name);
        let base = name.clone();
        let mut k = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}_{k}");
            k += 1;
        }
        if name != cat.name {
            lost.push(format!(
                "category \"{}\" renamed \"{name}\" (native names are [a-z0-9_]+)",
                cat.name
            ));
        }
        s.push_str(&format!("\n[categories.{name}]\n"));
        s.push_str(&format!("description = {}\n", quote(&cat.description)));
        if let Some(p) = cat.polarity {
            s.push_str(&format!("polarity = {}\n", quote(p.as_str())));
        }
        if let Some(sp) = cat.special {
            s.push_str(&format!("special = {}\n", quote(sp.as_str())));
        }
        if cat.entries.is_empty() {
            s.push_str("entries = []\n");
        } else {
            s.push_str("entries = [\n");
            for e in &cat.entries {
                s.push_str(&format!("  {},\n", quote(e)));
            }
            s.push_str("]\n");
        }
    }
    if !lex.weights.is_empty() {
        s.push_str("\n[weights]\n");
        for (entry, w) in &lex.weights {
            s.push_str(&format!("{} = {}\n", quote(entry), toml::Value::Float(*w)));
        }
    }
    out.write_all(s.as_bytes())
        .map_err(|source| LexiconError::Write { source })?;
    Ok(lost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::check::{check_lexicon, Severity};

    const GOOD: &str = r#"[lexicon]
name = "security-discourse"
version = "1.0.0"
languages = ["en", "ru"]
license = "MIT OR Apache-2.0"
description = "test lexicon"
citation = "original"
match = "stem"
kind = "polar"

[categories.threat]
description = "threats"
polarity = "negative"
entries = [
  "threat*",
  "Red Line*",
  "угроза",
]

[categories.reassurance]
description = "calming words"
polarity = "positive"
entries = ["security guarantees", "stability"]

[categories.scare]
description = "scare quotes"
special = "scare-quotes"
entries = []

[weights]
"угроза" = -2
"#;

    #[test]
    fn reads_header_categories_entries_and_lines() {
        let (parsed, diags) = parse(GOOD, Path::new("g.toml"));
        assert!(diags.is_empty(), "{diags:?}");
        let (lex, map) = parsed.unwrap();
        assert_eq!(lex.header.name, "security-discourse");
        assert_eq!(lex.header.languages, vec!["en", "ru"]);
        assert_eq!(lex.header.match_mode, MatchMode::Stem);
        assert_eq!(lex.header.kind, LexiconKind::Polar);
        let names: Vec<&str> = lex.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["threat", "reassurance", "scare"]);
        assert_eq!(
            lex.categories[0].entries,
            vec!["threat*", "red line*", "угроза"]
        );
        assert_eq!(map.category_lines, vec![11, 20, 25]);
        assert_eq!(map.entry_lines[0], vec![15, 16, 17]);
        assert_eq!(map.entry_lines[1], vec![23, 23]);
        assert_eq!(lex.weights["угроза"], -2.0);
        assert_eq!(map.weight_lines["угроза"], 31);
        assert_eq!(lex.categories[2].special, Some(Special::ScareQuotes));
        assert!(check_lexicon(&lex, &map, Path::new("g.toml")).is_empty());
    }

    #[test]
    fn syntax_error_has_its_line() {
        let bad = GOOD.replace("\"stability\"]", "\"stability\"");
        let (parsed, diags) = parse(&bad, Path::new("bad.toml"));
        assert!(parsed.is_none());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Error);
        assert!(diags[0].line >= 23, "{}", diags[0]);
        assert!(diags[0].to_string().starts_with("bad.toml:"));
    }

    #[test]
    fn unknown_field_and_bad_enum_are_errors_with_lines() {
        let bad = GOOD.replace("polarity = \"positive\"", "polarity = \"good\"");
        let (_, diags) = parse(&bad, Path::new("b.toml"));
        assert_eq!(diags[0].line, 22, "{}", diags[0]);
        let bad = GOOD.replace("kind = \"polar\"", "kind = \"polar\"\ncolour = 1");
        let (_, diags) = parse(&bad, Path::new("b.toml"));
        assert_eq!(diags[0].line, 10, "{}", diags[0]);
    }

    #[test]
    fn header_values_are_validated() {
        let bad = GOOD
            .replace("\"security-discourse\"", "\"Security Discourse\"")
            .replace("\"1.0.0\"", "\"1.0\"")
            .replace("[\"en\", \"ru\"]", "[\"en\", \"rus\"]");
        let (_, diags) = parse(&bad, Path::new("h.toml"));
        let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(diags[2].message.contains("\"rus\""));
    }

    #[test]
    fn write_then_read_is_identity() {
        let (parsed, _) = parse(GOOD, Path::new("g.toml"));
        let (lex, _) = parsed.unwrap();
        let mut buf = Vec::new();
        let lost = write(&lex, &mut buf).unwrap();
        assert!(lost.is_empty());
        let text = String::from_utf8(buf).unwrap();
        let (again, diags) = parse(&text, Path::new("w.toml"));
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        assert_eq!(again.unwrap().0, lex);
    }
}
