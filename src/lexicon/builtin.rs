//! The lexicons shipped in `lexicons/`, compiled into the binary so a study can use them from
//! anywhere, and the study file's `[lexicons]` table that selects them.
//!
//! A shipped lexicon is one category scheme (its `name`, e.g. `tone`) in one or more language
//! versions, one file each (`tone-en.toml`, `tone-ru.toml`). The versions share the scheme's name
//! and categories, so scores of English and Russian documents land in the same rows of the
//! output tables and can be compared across outlets that write in different languages.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{load_bytes, Format, LexiconError, LoadOptions};
use crate::lexicon::Lexicon;

/// `(file name, contents)` of every shipped lexicon, in a fixed order.
pub const SHIPPED: [(&str, &str); 9] = [
    ("tone-en.toml", include_str!("../../lexicons/tone-en.toml")),
    ("tone-ru.toml", include_str!("../../lexicons/tone-ru.toml")),
    (
        "news-frames-en.toml",
        include_str!("../../lexicons/news-frames-en.toml"),
    ),
    (
        "policy-frames-en.toml",
        include_str!("../../lexicons/policy-frames-en.toml"),
    ),
    (
        "security-en.toml",
        include_str!("../../lexicons/security-en.toml"),
    ),
    (
        "security-ru.toml",
        include_str!("../../lexicons/security-ru.toml"),
    ),
    (
        "attribution-en.toml",
        include_str!("../../lexicons/attribution-en.toml"),
    ),
    (
        "attribution-ru.toml",
        include_str!("../../lexicons/attribution-ru.toml"),
    ),
    (
        "loaded-language-en.toml",
        include_str!("../../lexicons/loaded-language-en.toml"),
    ),
];

fn default_builtin() -> Vec<String> {
    vec!["all".to_string()]
}

fn default_import_languages() -> Vec<String> {
    vec!["en".to_string()]
}

/// The `[lexicons]` table of the study file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LexiconsConfig {
    /// Shipped lexicons to apply: `"all"` (default), a scheme name (`"tone"`, `"security"`,
    /// `"attribution"`, `"news-frames"`, `"policy-frames"`, `"loaded-language"`: every language
    /// version of it) or a file stem (`"tone-en"`: one version). `[]` applies none.
    #[serde(default = "default_builtin")]
    pub builtin: Vec<String>,
    /// Your own lexicon files: native TOML, LIWC `.dic`, quanteda YAML (`.yml`/`.yaml`) or
    /// weighted word lists (`.txt`/`.tsv`, `word<TAB>value`). Relative to the study file.
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// Languages of imported files that have no header (`.dic`, YAML, word lists). Default `["en"]`.
    #[serde(default = "default_import_languages")]
    pub import_languages: Vec<String>,
}

impl Default for LexiconsConfig {
    fn default() -> Self {
        LexiconsConfig {
            builtin: default_builtin(),
            files: Vec::new(),
            import_languages: default_import_languages(),
        }
    }
}

/// Where a loaded lexicon came from, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LexiconSource {
    /// `builtin:tone-en.toml` or the file's path.
    pub origin: String,
    /// Lexicon name (the scheme).
    pub name: String,
    /// Its version.
    pub version: String,
    /// Languages of this file.
    pub languages: Vec<String>,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Loads the lexicons a study selects: shipped ones first (in [`SHIPPED`] order), then files.
pub fn load_selected(config: &LexiconsConfig) -> Result<Vec<Lexicon>, LexiconError> {
    let mut out = Vec::new();
    for wanted in &config.builtin {
        let known = SHIPPED
            .iter()
            .any(|(file, _)| wanted == "all" || selects(wanted, file));
        if !known {
            let names: Vec<&str> = SHIPPED
                .iter()
                .map(|(f, _)| f.trim_end_matches(".toml"))
                .collect();
            return Err(LexiconError::Config {
                message: format!(
                    "lexicons.builtin: no shipped lexicon is called {wanted:?} (use \"all\", a scheme such as \"tone\", or one of: {})",
                    names.join(", ")
                ),
            });
        }
    }
    for (file, text) in SHIPPED {
        if config
            .builtin
            .iter()
            .any(|w| w == "all" || selects(w, file))
        {
            let path = PathBuf::from(format!("builtin:{file}"));
            out.push(load_bytes(
                text.as_bytes(),
                Format::Native,
                &path,
                &LoadOptions::default(),
            )?);
        }
    }
    let opts = LoadOptions {
        languages: config.import_languages.clone(),
    };
    for path in &config.files {
        out.push(super::load_with(path, &opts)?);
    }
    check_versions(&out)?;
    Ok(out)
}

/// True when `wanted` names the scheme of `file` ("tone" for `tone-en.toml`) or its stem.
fn selects(wanted: &str, file: &str) -> bool {
    let stem = file.trim_end_matches(".toml");
    stem == wanted
        || stem
            .rsplit_once('-')
            .is_some_and(|(scheme, _lang)| scheme == wanted)
}

/// Lexicons may share a name only as language versions of one scheme: their languages must not
/// overlap and their reported categories (all but `special = "exclude"`) must be the same, in
/// the same order.
pub fn check_versions(lexicons: &[Lexicon]) -> Result<(), LexiconError> {
    for (i, a) in lexicons.iter().enumerate() {
        for b in &lexicons[..i] {
            if a.header.name != b.header.name {
                continue;
            }
            let where_ = |l: &Lexicon| {
                l.source
                    .as_deref()
                    .map_or_else(|| l.header.name.clone(), |p| p.display().to_string())
            };
            if let Some(lang) = a
                .header
                .languages
                .iter()
                .find(|l| b.header.languages.contains(l))
            {
                return Err(LexiconError::Config {
                    message: format!(
                        "{} and {} are both lexicon \"{}\" for language {lang:?}; rename one",
                        where_(b),
                        where_(a),
                        a.header.name
                    ),
                });
            }
            let cats = |l: &Lexicon| {
                l.categories
                    .iter()
                    .filter(|c| c.special != Some(crate::lexicon::Special::Exclude))
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
            };
            if cats(a) != cats(b) {
                return Err(LexiconError::Config {
                    message: format!(
                        "{} and {} are language versions of lexicon \"{}\" but their categories differ: [{}] vs [{}]",
                        where_(b),
                        where_(a),
                        a.header.name,
                        cats(b).join(", "),
                        cats(a).join(", ")
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The manifest entry of a loaded lexicon.
pub fn source_of(lex: &Lexicon, base: &Path) -> LexiconSource {
    let origin = lex.source.as_deref().map_or_else(String::new, |p| {
        p.strip_prefix(base).unwrap_or(p).display().to_string()
    });
    LexiconSource {
        origin,
        name: lex.header.name.clone(),
        version: lex.header.version.clone(),
        languages: lex.header.languages.clone(),
        sha256: lex.sha256.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_lexicon_loads_and_versions_agree() {
        let all = load_selected(&LexiconsConfig::default()).unwrap();
        assert_eq!(all.len(), SHIPPED.len());
        for lex in &all {
            assert_eq!(
                lex.header.license, "MIT OR Apache-2.0",
                "{}",
                lex.header.name
            );
            assert!(lex.sha256.as_deref().is_some_and(|h| h.len() == 64));
        }
    }

    #[test]
    fn a_scheme_name_selects_every_language_version() {
        let config = LexiconsConfig {
            builtin: vec!["tone".into(), "security-ru".into()],
            ..LexiconsConfig::default()
        };
        let got: Vec<(String, Vec<String>)> = load_selected(&config)
            .unwrap()
            .into_iter()
            .map(|l| (l.header.name, l.header.languages))
            .collect();
        assert_eq!(
            got,
            vec![
                ("tone".to_string(), vec!["en".to_string()]),
                ("tone".to_string(), vec!["ru".to_string()]),
                ("security".to_string(), vec!["ru".to_string()]),
            ]
        );
    }

    #[test]
    fn unknown_builtin_name_is_an_error_listing_the_choices() {
        let config = LexiconsConfig {
            builtin: vec!["liwc".into()],
            ..LexiconsConfig::default()
        };
        let err = load_selected(&config).unwrap_err().to_string();
        assert!(err.contains("\"liwc\"") && err.contains("tone-en"), "{err}");
    }
}
