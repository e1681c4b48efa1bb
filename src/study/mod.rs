//! The study file: a strict TOML description of one analysis, and its resolution into a run.
//!
//! A study names its corpus and how to read it (`[corpus]`), its tokenizer settings
//! (`[tokenizer]`), the term features (`[features]`), near-duplicate detection
//! (`[near-duplicates]`) and where outputs go (`[output]`). Every table rejects unknown keys
//! (`deny_unknown_fields`), so a typo is an error that names the file, the line and the key rather
//! than a setting silently ignored. Relative paths are resolved against the study file's folder,
//! so a study runs the same from any working directory.
//!
//! [`Study::load`] parses and checks; [`RunConfig`] adds what the command line decides (output
//! folders, threads, progress) and is all that the pipeline reads.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cluster::ClusterConfig;
use crate::compare::CompareConfig;
use crate::corpus::CorpusConfig;
use crate::features::{FeaturesConfig, NearDupConfig};
use crate::lexicon::{LexiconsConfig, ScoringConfig};
use crate::report::ReportConfig;
use crate::tokens::{Language, TokenizerConfig};

/// Errors in a study file. Each names the file, and where it can, the line and the key.
#[derive(Debug, thiserror::Error)]
pub enum StudyError {
    /// The file could not be read.
    #[error("{path}: cannot read the study file: {source}")]
    Read {
        /// The study file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a value of the wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The study file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the key.
        message: String,
    },
    /// The file parses but a value is not allowed.
    #[error("{path}: {message}")]
    Invalid {
        /// The study file.
        path: PathBuf,
        /// What is wrong, naming the key and value.
        message: String,
    },
}

fn default_language() -> String {
    "en".to_string()
}

fn default_seed() -> u64 {
    42
}

/// A study file, as written (before paths are resolved).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Study {
    /// Short name, used for the output folders `notebooks-data/<name>/` and `reports/<name>/`.
    /// Default: the study file's folder name when the file is called `study.toml`, else its stem.
    pub name: Option<String>,
    /// Free-text description, copied into the manifest.
    pub description: Option<String>,
    /// Default document language (ISO 639-1 code or English name; default "en"). A mapped
    /// `language` column overrides it per document.
    #[serde(default = "default_language")]
    pub language: String,
    /// Seed for every random step (default 42).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Where the documents are and how to read them.
    pub corpus: CorpusConfig,
    /// Tokenizer settings.
    #[serde(default)]
    pub tokenizer: TokenizerConfig,
    /// Term features: n-grams, pruning, tf weighting.
    #[serde(default)]
    pub features: FeaturesConfig,
    /// Near-duplicate detection.
    #[serde(default)]
    pub near_duplicates: NearDupConfig,
    /// Lexicons to score documents with.
    #[serde(default)]
    pub lexicons: LexiconsConfig,
    /// Lexicon scoring rules: negation, boosters and dampeners, scare quotes.
    #[serde(default)]
    pub scoring: ScoringConfig,
    /// Comparisons of groups, outlets and events.
    #[serde(default)]
    pub compare: CompareConfig,
    /// Clustering on framing features.
    #[serde(default)]
    pub cluster: ClusterConfig,
    /// The report: figures, report.html, report.md.
    #[serde(default)]
    pub report: ReportConfig,
    /// Output settings.
    #[serde(default)]
    pub output: OutputConfig,
}

/// The `[output]` table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct OutputConfig {
    /// Folder for the tables (default `notebooks-data/<name>`, relative to the working
    /// directory; relative to the study file when set here).
    pub tables: Option<PathBuf>,
    /// Folder for the report (default `reports/<name>`).
    pub report: Option<PathBuf>,
    /// Also write every table as CSV (default false).
    pub csv: bool,
    /// Documents per processing batch (default 1000). Memory for text is bounded by one batch.
    pub batch_size: usize,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            tables: None,
            report: None,
            csv: false,
            batch_size: 1000,
        }
    }
}

/// A study file loaded, checked, and with its paths resolved.
#[derive(Debug, Clone)]
pub struct LoadedStudy {
    /// The settings, with relative paths made relative to the study's folder.
    pub study: Study,
    /// The settings as written (paths relative to the study file, defaults applied): what the
    /// manifest records, so it does not depend on the working directory.
    pub as_written: Study,
    /// The study file.
    pub path: PathBuf,
    /// The file's text (hashed into the manifest).
    pub text: String,
    /// The study's name.
    pub name: String,
    /// The default document language.
    pub language: Language,
}

impl LoadedStudy {
    /// The study file's folder, against which relative paths were resolved.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// Text naming an input location, made relative to the study's folder so that tables do not
    /// depend on where the project was checked out: `examples/demo/articles/a.txt` becomes
    /// `articles/a.txt` for a study in `examples/demo/`. Only the exact input paths of the study
    /// (the corpus path and the metadata table) are rewritten, never other text that happens to
    /// contain the folder's name (a value such as `data/2024` stays as it is).
    pub fn relative_text(&self, text: &str) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let corpus = &self.study.corpus;
        for path in std::iter::once(&corpus.path).chain(corpus.metadata.as_ref()) {
            let rel = self.relative_path(path);
            if rel.as_path() != path.as_path() {
                let sep = std::path::MAIN_SEPARATOR;
                // The study's own folder (`path = "."`) is "" relative to itself: its files are
                // "name", the folder itself ".".
                let (prefix, whole) = if rel.as_os_str().is_empty() {
                    (String::new(), ".".to_string())
                } else {
                    (format!("{}{sep}", rel.display()), rel.display().to_string())
                };
                // A folder's files: "<folder>/name" -> "<rel>/name"; a file: exact path.
                pairs.push((format!("{}{sep}", path.display()), prefix));
                pairs.push((path.display().to_string(), whole));
            }
        }
        let mut out = text.to_string();
        for (full, rel) in pairs {
            out = out.replace(&full, &rel);
        }
        out
    }

    /// A path made relative to the study's folder when it lies inside it (see [`Self::relative_text`]).
    pub fn relative_path(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.base_dir())
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

impl Study {
    /// Reads, parses, checks and resolves a study file.
    pub fn load(path: &Path) -> Result<LoadedStudy, StudyError> {
        let text = std::fs::read_to_string(path).map_err(|source| StudyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Study::from_str(&text, path)
    }

    /// Parses a study from text; `path` names it in errors and anchors relative paths.
    pub fn from_str(text: &str, path: &Path) -> Result<LoadedStudy, StudyError> {
        let mut study: Study = toml::from_str(text).map_err(|e| parse_error(path, text, &e))?;
        let invalid = |message: String| StudyError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let language = Language::from_code(&study.language)
            .ok_or_else(|| invalid(format!("language = {:?} is not a language framelens can stem (use an ISO 639-1 code such as \"en\" or \"ru\")", study.language)))?;
        study.features.check().map_err(invalid)?;
        study.near_duplicates.check().map_err(invalid)?;
        study.cluster.check().map_err(|e| invalid(e.to_string()))?;
        if study.output.batch_size == 0 {
            return Err(invalid("output.batch-size must be at least 1".into()));
        }
        let as_written = study.clone();
        let base = path.parent().unwrap_or(Path::new(""));
        study.resolve_paths(base);
        let name = match &study.name {
            Some(n) => {
                if n.is_empty() || n.contains(['/', '\\']) || n.starts_with('.') {
                    return Err(invalid(format!(
                        "name = {n:?} must be a plain folder name (no slashes, not starting with a dot)"
                    )));
                }
                n.clone()
            }
            None => default_name(path),
        };
        Ok(LoadedStudy {
            study,
            as_written,
            path: path.to_path_buf(),
            text: text.to_string(),
            name,
            language,
        })
    }

    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        resolve(&mut self.corpus.path);
        if let Some(m) = &mut self.corpus.metadata {
            resolve(m);
        }
        self.tokenizer.stopwords.files.iter_mut().for_each(resolve);
        self.lexicons.files.iter_mut().for_each(resolve);
        if let Some(t) = &mut self.output.tables {
            resolve(t);
        }
        if let Some(r) = &mut self.output.report {
            resolve(r);
        }
    }
}

/// `examples/demo/study.toml` -> "demo"; `studies/nato.toml` -> "nato".
fn default_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "study".into());
    if stem == "study" {
        if let Some(dir) = path
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().and_then(|d| d.file_name()).map(|d| d.to_owned()))
        {
            return dir.to_string_lossy().into_owned();
        }
    }
    stem
}

/// Turns a TOML error into `file:line:column: message (key …)`.
fn parse_error(path: &Path, text: &str, e: &toml::de::Error) -> StudyError {
    let (line, column) = match e.span() {
        Some(span) => line_col(text, span.start),
        None => (1, 1),
    };
    let mut message = e.message().trim().to_string();
    if let Some(key) = key_at(text, line) {
        if !message.contains(&format!("`{}`", key.rsplit('.').next().unwrap_or(&key))) {
            message = format!("{message} (key `{key}`)");
        } else {
            message = format!("{message} (in `{key}`)");
        }
    }
    StudyError::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The dotted key defined on `line` (1-based): the enclosing `[table]` plus the key before `=`,
/// or the table itself when the line is a header.
fn key_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?.trim();
    let header = |l: &str| {
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']'))
            .then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    };
    if let Some(h) = header(here) {
        return Some(h);
    }
    let key = here.split('=').next()?.trim().trim_matches('"');
    if key.is_empty() || !here.contains('=') {
        return None;
    }
    let table = lines[..line - 1].iter().rev().find_map(|l| header(l));
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    })
}

/// Everything a run needs: the loaded study plus the command line's decisions. Nothing
/// downstream reads command-line types.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The study.
    pub study: LoadedStudy,
    /// Folder for the tables.
    pub tables_dir: PathBuf,
    /// Folder for the report.
    pub report_dir: PathBuf,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// Show progress bars (only on a terminal).
    pub progress: bool,
    /// Turn every skipped document into an error (`--strict`).
    pub strict: bool,
    /// The command line, recorded in the manifest.
    pub command_line: Vec<String>,
}

impl RunConfig {
    /// Resolves the output folders: a command-line folder wins, then the study's `[output]`,
    /// then `notebooks-data/<name>` and `reports/<name>` under the working directory.
    pub fn new(
        study: LoadedStudy,
        tables: Option<PathBuf>,
        report: Option<PathBuf>,
        threads: Option<usize>,
        progress: bool,
        command_line: Vec<String>,
    ) -> RunConfig {
        let tables_dir = tables
            .or_else(|| study.study.output.tables.clone())
            .unwrap_or_else(|| Path::new("notebooks-data").join(&study.name));
        let report_dir = report
            .or_else(|| study.study.output.report.clone())
            .unwrap_or_else(|| Path::new("reports").join(&study.name));
        RunConfig {
            study,
            tables_dir,
            report_dir,
            threads,
            progress,
            strict: false,
            command_line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<LoadedStudy, StudyError> {
        Study::from_str(text, Path::new("studies/x/study.toml"))
    }

    #[test]
    fn minimal_study_resolves_paths_against_its_folder() {
        let s = load("[corpus]\npath = \"posts.tsv\"\n").unwrap();
        assert_eq!(s.study.corpus.path, Path::new("studies/x/posts.tsv"));
        assert_eq!(s.study.seed, 42);
        assert_eq!(s.language, Language::English);
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = load("seed = 1\n\n[corpus]\npath = \"a.csv\"\n\n[tokenizer]\nlowercase = true\nstemm = false\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("studies/x/study.toml:8:"), "{err}");
        assert!(err.contains("stemm"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let err = load("[corpus]\npath = \"a.csv\"\n[tokenizer]\nlowercase = \"yes\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("studies/x/study.toml:4:"), "{err}");
        assert!(err.contains("tokenizer.lowercase"), "{err}");
    }

    #[test]
    fn bad_language_and_bounds_are_rejected_before_work() {
        let err = load("language = \"xx\"\n[corpus]\npath = \"a.csv\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("language = \"xx\""), "{err}");
        let err = load("[corpus]\npath = \"a.csv\"\n[features]\nmax-df = 1.5\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("max-df = 1.5"), "{err}");
    }

    #[test]
    fn name_defaults_to_file_stem_and_output_folders_follow() {
        let s = Study::from_str("[corpus]\npath = \"a.csv\"\n", Path::new("nato.toml")).unwrap();
        assert_eq!(s.name, "nato");
        let rc = RunConfig::new(s, None, Some("out".into()), None, false, vec![]);
        assert_eq!(rc.tables_dir, Path::new("notebooks-data/nato"));
        assert_eq!(rc.report_dir, Path::new("out"));
    }

    #[test]
    fn locations_are_shown_relative_to_the_study_folder() {
        let s = load("[corpus]\npath = \"a.csv\"\n").unwrap();
        assert_eq!(
            s.relative_text("studies/x/a.csv:4: empty id at studies/x/a.csv:4"),
            "a.csv:4: empty id at a.csv:4"
        );
        assert_eq!(
            s.relative_path(Path::new("studies/x/../shared/p.tsv")),
            Path::new("../shared/p.tsv")
        );
        assert_eq!(
            s.relative_path(Path::new("/elsewhere/p.tsv")),
            Path::new("/elsewhere/p.tsv")
        );
        // Reviewer's case: a value that contains the study folder's name is left alone.
        let s = Study::from_str("[corpus]\npath = \"p.csv\"\n", Path::new("a/study.toml")).unwrap();
        assert_eq!(
            s.relative_text("document \"d\": date \"data/2024\" (a/p.csv:3) matches none"),
            "document \"d\": date \"data/2024\" (p.csv:3) matches none"
        );
        // A folder corpus: its files are shown under the folder as written in the study.
        let s = Study::from_str(
            "[corpus]\npath = \"articles\"\nmetadata = \"m.csv\"\n",
            Path::new("demo/study.toml"),
        )
        .unwrap();
        assert_eq!(
            s.relative_text("demo/m.csv:5: no file demo/articles/x.txt"),
            "m.csv:5: no file articles/x.txt"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nпр=x", 7), (2, 3));
    }
}
