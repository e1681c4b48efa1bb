//! Lexicon scores: load, check, convert and apply dictionaries to tokenized documents.
//!
//! This stage reads lexicons in the native TOML format (the contract in `lexicons/`) and in the
//! formats researchers already have — LIWC `.dic`, quanteda YAML, AFINN/VADER-style weighted
//! word lists — checks them with real `file:line` diagnostics, converts between the formats,
//! and compiles any number of them into a [`Scorer`] that scores each document in one pass
//! over its tokens (negation, boosters, tone, scare quotes; see [`score`]). It hands on
//! [`DocScores`] per document, which the pipeline turns into the `scores`, `sentence_scores`
//! and `lexicon_coverage` tables.
//!
//! Imported files (`.dic`, `.yml`/`.yaml`, `.txt`/`.tsv`) carry no header, so the header is
//! filled with defaults: name = the file stem made `[a-z0-9-]+` (`"lexicon"` if nothing is
//! left), version `"0.0.0"`, license and citation `"unknown (user-supplied)"`, match
//! `"surface"`, languages from [`LoadOptions::languages`] (default `["en"]`), kind
//! `categorical` — or `polar` when a category is named like `positive`/`negative` or
//! `posemo`/`negemo` (those categories get that polarity), and `weighted` for weighted lists.

pub mod builtin;
pub mod check;
pub mod config;
mod liwc;
mod matcher;
pub mod model;
mod native;
pub mod score;
pub mod tables;
mod weighted;
mod yaml;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use builtin::{load_selected, LexiconSource, LexiconsConfig};
pub use check::{Diagnostic, Severity};
pub use config::{NegationMode, ScoringConfig};
pub use model::{
    normalize_entry, sha256_hex, summary, Category, CategorySummary, Header, Lexicon, LexiconKind,
    MatchMode, Polarity, Special,
};
pub use score::{CategoryScore, DocScores, EntryMatch, Scorer, SentenceScore, ToneScore};

/// Errors of the lexicon stage.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("{}: cannot read lexicon: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file's extension names no supported format.
    #[error("{}: unknown lexicon format (expected .toml, .dic, .yml, .yaml, .txt or .tsv)", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file has an error-level diagnostic (the first one by line).
    #[error("{0}")]
    Invalid(Diagnostic),
    /// Writing a converted lexicon failed.
    #[error("cannot write lexicon: {source}")]
    Write {
        /// The underlying error.
        source: std::io::Error,
    },
    /// Lexicons or scoring settings that cannot be compiled together.
    #[error("lexicon scoring: {message}")]
    Config {
        /// What is wrong, naming the value.
        message: String,
    },
}

/// A lexicon file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// framelens TOML (`.toml`).
    Native,
    /// LIWC dictionary (`.dic`).
    Liwc,
    /// quanteda YAML dictionary (`.yml`, `.yaml`).
    Yaml,
    /// `word<TAB>value` list as AFINN / VADER ship them (`.txt`, `.tsv`).
    Weighted,
}

impl Format {
    /// The format named by a file's extension (case-insensitive), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Native),
            "dic" => Some(Format::Liwc),
            "yml" | "yaml" => Some(Format::Yaml),
            "txt" | "tsv" => Some(Format::Weighted),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Native => "toml",
            Format::Liwc => "dic",
            Format::Yaml => "yml",
            Format::Weighted => "txt",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Native => "toml",
            Format::Liwc => "dic",
            Format::Yaml => "yaml",
            Format::Weighted => "weighted",
        })
    }
}

impl FromStr for Format {
    type Err = String;

    /// `toml`/`native`, `dic`/`liwc`, `yaml`/`yml`, `weighted`/`txt`/`tsv`.
    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "toml" | "native" => Ok(Format::Native),
            "dic" | "liwc" => Ok(Format::Liwc),
            "yaml" | "yml" => Ok(Format::Yaml),
            "weighted" | "txt" | "tsv" => Ok(Format::Weighted),
            other => Err(format!(
                "unknown lexicon format \"{other}\" (expected toml, dic, yaml or weighted)"
            )),
        }
    }
}

/// Options for reading imported (header-less) formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Languages written into the default header of imported files. Default `["en"]`.
    pub languages: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            languages: vec!["en".to_string()],
        }
    }
}

/// Loads a lexicon, picking the format by extension. Fails on an unreadable file, an unknown
/// extension, or the first error-level diagnostic (by line), naming `file:line`.
pub fn load(path: &Path) -> Result<Lexicon, LexiconError> {
    load_with(path, &LoadOptions::default())
}

/// [`load()`] with options for imported formats.
pub fn load_with(path: &Path, opts: &LoadOptions) -> Result<Lexicon, LexiconError> {
    let format = Format::from_path(path).ok_or_else(|| LexiconError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let bytes = std::fs::read(path).map_err(|source| LexiconError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_bytes(&bytes, format, path, opts)
}

/// Loads a lexicon from bytes already read; `path` names it in diagnostics and gives the
/// default name of imported formats. Records the bytes' SHA-256 and the path.
pub fn load_bytes(
    bytes: &[u8],
    format: Format,
    path: &Path,
    opts: &LoadOptions,
) -> Result<Lexicon, LexiconError> {
    let (lex, mut diags) = check_bytes(bytes, format, path, opts);
    diags.sort_by_key(|d| d.line);
    if let Some(first) = diags.into_iter().find(Diagnostic::is_error) {
        return Err(LexiconError::Invalid(first));
    }
    let mut lex = lex.ok_or_else(|| {
        LexiconError::Invalid(Diagnostic::error(path, 0, "the lexicon could not be read"))
    })?;
    lex.sha256 = Some(sha256_hex(bytes));
    lex.source = Some(path.to_path_buf());
    Ok(lex)
}

/// Checks a lexicon file: every problem found, errors and warnings, sorted by line. An
/// unreadable file or unknown extension is one diagnostic at line 0.
pub fn check(path: &Path) -> Vec<Diagnostic> {
    check_with(path, &LoadOptions::default())
}

/// [`check()`] with options for imported formats.
pub fn check_with(path: &Path, opts: &LoadOptions) -> Vec<Diagnostic> {
    check_file(path, opts, None)
}

/// [`check_with`], plus, for stem lexicons, entries that reduce to the same stems
/// ([`check::check_same_stems`]); `stem(language, word)` is the stemmer scoring would use.
pub fn check_with_stems(path: &Path, opts: &LoadOptions, stem: &mut StemFn) -> Vec<Diagnostic> {
    check_file(path, opts, Some(stem))
}

/// `stem(language, word)`: the stem scoring gives `word` in `language`.
pub type StemFn<'a> = dyn FnMut(&str, &str) -> String + 'a;

fn check_file(path: &Path, opts: &LoadOptions, stem: Option<&mut StemFn>) -> Vec<Diagnostic> {
    let Some(format) = Format::from_path(path) else {
        return vec![Diagnostic::error(
            path,
            0,
            "unknown lexicon format (expected .toml, .dic, .yml, .yaml, .txt or .tsv)",
        )];
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            let (parsed, mut diags) = parse_checked(&bytes, format, path, opts);
            if let (Some((lex, map)), Some(stem)) = (parsed, stem) {
                diags.extend(check::check_same_stems(&lex, &map, path, stem));
            }
            diags.sort_by_key(|d| d.line);
            diags
        }
        Err(e) => vec![Diagnostic::error(path, 0, format!("cannot read: {e}"))],
    }
}

/// Parses and checks `bytes` as `format`: the lexicon (if it could be parsed at all) and all
/// diagnostics, unsorted.
pub fn check_bytes(
    bytes: &[u8],
    format: Format,
    path: &Path,
    opts: &LoadOptions,
) -> (Option<Lexicon>, Vec<Diagnostic>) {
    let (parsed, diags) = parse_checked(bytes, format, path, opts);
    (parsed.map(|(lex, _)| lex), diags)
}

/// [`check_bytes`], keeping the line numbers of the parsed lexicon.
fn parse_checked(
    bytes: &[u8],
    format: Format,
    path: &Path,
    opts: &LoadOptions,
) -> (Option<(Lexicon, check::SourceMap)>, Vec<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut diags = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => match format {
            Format::Liwc | Format::Weighted => {
                diags.push(Diagnostic::warning(
                    path,
                    0,
                    "not UTF-8; decoded as Windows-1252",
                ));
                encoding_rs::WINDOWS_1252.decode(bytes).0
            }
            Format::Native | Format::Yaml => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                diags.push(Diagnostic::error(path, line, "the file is not valid UTF-8"));
                return (None, diags);
            }
        },
    };
    let (parsed, more) = match format {
        Format::Native => native::parse(&text, path),
        Format::Liwc => liwc::parse(&text, path, opts),
        Format::Yaml => yaml::parse(&text, path, opts),
        Format::Weighted => weighted::parse(&text, path, opts),
    };
    diags.extend(more);
    match parsed {
        Some((lex, map)) => {
            diags.extend(check::check_lexicon(&lex, &map, path));
            (Some((lex, map)), diags)
        }
        None => (None, diags),
    }
}

/// Writes `lex` in `format`. Conversions that cannot keep everything still write the file and
/// return one message per kind of loss (e.g. weights written to `.dic`, descriptions written
/// to YAML); the caller shows them as warnings. Native output keeps everything (it only
/// renames category names outside `[a-z0-9_]+`).
pub fn write(
    lex: &Lexicon,
    format: Format,
    out: &mut dyn Write,
) -> Result<Vec<String>, LexiconError> {
    match format {
        Format::Native => native::write(lex, out),
        Format::Liwc => liwc::write(lex, out),
        Format::Yaml => yaml::write(lex, out),
        Format::Weighted => weighted::write(lex, out),
    }
}

/// The header given to imported files (see the module documentation).
pub fn imported_header(path: &Path, opts: &LoadOptions, format_name: &str) -> Header {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Header {
        name: model::sanitize_lexicon_name(&stem),
        version: "0.0.0".to_string(),
        languages: opts.languages.clone(),
        license: "unknown (user-supplied)".to_string(),
        description: format!(
            "imported from {} ({format_name})",
            path.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        ),
        citation: "unknown (user-supplied)".to_string(),
        match_mode: MatchMode::Surface,
        kind: LexiconKind::Categorical,
        notes: None,
    }
}

/// Builds an imported lexicon: default header, `polar` kind when a category got a polarity
/// from its name.
pub(crate) fn finish_import(
    categories: Vec<Category>,
    path: &Path,
    opts: &LoadOptions,
    format_name: &str,
) -> Lexicon {
    let mut header = imported_header(path, opts, format_name);
    if categories.iter().any(|c| c.polarity.is_some()) {
        header.kind = LexiconKind::Polar;
    }
    Lexicon {
        header,
        categories,
        weights: Default::default(),
        sha256: None,
        source: None,
    }
}
