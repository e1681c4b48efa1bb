//! The `[corpus]` table of the study file: where the corpus lies, how to read it, and how to clean
//! it. Nothing here touches the disk; [`super::open`] checks the values (regexes, encoding label,
//! value-map fields, date formats) before any file is read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How to read the corpus and clean its texts (the `[corpus]` table).
///
/// Paths arrive resolved by the study layer (absolute, or relative to the working directory).
/// A minimal table is `path = "corpus/"`; everything else has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CorpusConfig {
    /// A folder of `.txt` files (one document each), or one `.csv`, `.tsv`, `.jsonl`/`.ndjson`
    /// file (one document per row or line). Required.
    pub path: PathBuf,
    /// The input format. Default `"auto"`: a folder is `"folder"`, otherwise the file extension
    /// decides (`.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`).
    #[serde(default)]
    pub format: Format,
    /// Folder format only: a CSV (`.csv`) or TSV (`.tsv`/`.tab`) table with one row per text file.
    /// Default: none, so every `.txt` file is a document whose id is its file stem and which has no
    /// metadata.
    #[serde(default)]
    pub metadata: Option<PathBuf>,
    /// Folder format only: how a metadata row finds its file. Default: `"file"` when the metadata
    /// table has the column named by `file-column`, else `"id"`.
    #[serde(default)]
    pub join: Option<Join>,
    /// Folder format only: the metadata column holding the file name (relative to the folder) for
    /// `join = "file"`. Default `"file"`.
    #[serde(default = "default_file_column")]
    pub file_column: String,
    /// Which input column (CSV/TSV header or JSON key) holds which field. Default: id in `"id"`,
    /// text in `"text"`, the other fields unmapped. Columns that are not mapped are carried
    /// through as extra metadata.
    #[serde(default)]
    pub columns: ColumnMap,
    /// Value maps per field (`outlet`, `group`, `event`, `language`): raw value -> value to use,
    /// e.g. `[corpus.map.outlet]` `"-40316705" = "RT"`, `"The Huffington Post" = "HuffPost"`.
    /// A raw value is looked up exactly first, then case-insensitively with surrounding whitespace
    /// trimmed; a value not in the map passes through trimmed. Default: no maps.
    #[serde(default)]
    pub map: BTreeMap<String, BTreeMap<String, String>>,
    /// Outlet (after mapping) -> group, used when no group column is mapped or a row's group is
    /// empty, e.g. `RT = "state"`. Looked up like the value maps. Default: empty.
    #[serde(default)]
    pub group_of_outlet: BTreeMap<String, String>,
    /// chrono `strftime` formats tried in order on the date column. Formats with a time (and
    /// zone) yield the calendar date as written, not converted to UTC. A value that matches none
    /// skips its document with a reason. Default: [`DEFAULT_DATE_FORMATS`] (ISO 8601 date;
    /// date-time with `T` and a zone or `Z`; date-time with `T` or a space and no zone).
    #[serde(default = "default_date_formats")]
    pub date_formats: Vec<String>,
    /// Text encoding of every input file (texts and metadata), as a WHATWG label such as
    /// `"windows-1251"` or `"latin1"`. A byte-order mark overrides it. Default: UTF-8.
    #[serde(default)]
    pub encoding: Option<String>,
    /// What to do with bytes that are invalid in the encoding: `"error"` (default) stops with the
    /// file, line and byte offset; `"replace"` reads them as U+FFFD and continues; `"skip"`
    /// (folder corpora only) skips the text file as `invalid-encoding`, with the same location
    /// in the reason.
    #[serde(default)]
    pub on_invalid_utf8: OnInvalid,
    /// The field delimiter (one ASCII character) of a CSV/TSV corpus and of a folder's metadata
    /// table, e.g. `";"` for spreadsheets saved in some locales. Default: `,` for CSV, tab for
    /// TSV (by format or extension).
    #[serde(default)]
    pub delimiter: Option<char>,
    /// CSV/TSV (and metadata tables): whether `"` quotes fields, as spreadsheets and pandas write
    /// them. Set `false` for TSV files whose fields are never quoted, so a field that starts with
    /// `"` is read literally. Default `true`.
    #[serde(default = "default_true")]
    pub quoting: bool,
    /// Line-based boilerplate removal. Default: nothing is removed.
    #[serde(default)]
    pub boilerplate: BoilerplateConfig,
    /// Folder format only: what to do with a `.txt` file that has no metadata row: `"skip"`
    /// (default; the file is a skipped record with a reason) or `"error"`.
    #[serde(default)]
    pub unmatched_files: UnmatchedFiles,
    /// The largest document text, in bytes of UTF-8, that is processed; a larger one is skipped
    /// (kind `too-large`) with a reason naming its size and the limit. `0` means no limit.
    /// Default [`DEFAULT_MAX_DOCUMENT_BYTES`] (16 MiB, about 2.5 million words of English: far
    /// above any article, well below a file that is a whole corpus pasted into one document).
    ///
    /// A folder's text file is read only up to the limit, and a JSONL line only up to three
    /// times the limit plus 1 MiB (room for `\uXXXX` escapes and the other keys); the rest of an
    /// over-limit input is never held in memory. A CSV/TSV row is read whole by the CSV parser
    /// before its text is measured.
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: u64,
}

impl CorpusConfig {
    /// A configuration with every option at its default.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        CorpusConfig {
            path: path.into(),
            format: Format::default(),
            metadata: None,
            join: None,
            file_column: default_file_column(),
            columns: ColumnMap::default(),
            map: BTreeMap::new(),
            group_of_outlet: BTreeMap::new(),
            date_formats: default_date_formats(),
            encoding: None,
            on_invalid_utf8: OnInvalid::default(),
            delimiter: None,
            quoting: true,
            boilerplate: BoilerplateConfig::default(),
            unmatched_files: UnmatchedFiles::default(),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// The default `max-document-bytes`: 16 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

fn default_max_document_bytes() -> u64 {
    DEFAULT_MAX_DOCUMENT_BYTES
}

/// The default `date-formats`, tried in this order: ISO date; ISO date-time with `T`, optional
/// fraction and a zone (`+03:00`, `+0300` or `Z`); the same without a zone; with a space instead
/// of `T`; and date plus hours and minutes.
pub const DEFAULT_DATE_FORMATS: [&str; 5] = [
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
];

fn default_date_formats() -> Vec<String> {
    DEFAULT_DATE_FORMATS.iter().map(|f| f.to_string()).collect()
}

fn default_file_column() -> String {
    "file".to_string()
}

fn default_true() -> bool {
    true
}

/// The input format (`format = "..."`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Decide from the path: a folder, or the file extension.
    #[default]
    Auto,
    /// A folder of `.txt` files, with an optional metadata table.
    Folder,
    /// One comma-separated file with a header row.
    Csv,
    /// One tab-separated file with a header row.
    Tsv,
    /// One JSON object per line (`.jsonl` or `.ndjson`).
    Jsonl,
}

/// How metadata rows find their text files in the folder format (`join = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Join {
    /// The `file-column` value is the file name relative to the folder.
    File,
    /// The id column's value plus `.txt` is the file name.
    Id,
}

/// What to do with bytes that are invalid in the configured encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnInvalid {
    /// Stop with an error naming the file, line and byte offset.
    #[default]
    Error,
    /// Read each invalid sequence as U+FFFD REPLACEMENT CHARACTER and continue.
    Replace,
    /// Skip the document whose text holds the bytes (folder corpora, where each document is
    /// its own file; in a one-file corpus the reader cannot tell where the damage ends).
    Skip,
}

/// What to do with a text file that has no metadata row (`unmatched-files = "..."`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnmatchedFiles {
    /// Hand on a skipped record with the reason.
    #[default]
    Skip,
    /// Stop with an error.
    Error,
}

/// Input column names for each field (`[corpus.columns]`). All optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ColumnMap {
    /// Document id. Default `"id"`. CSV/TSV/JSONL: required. Folder: the metadata's id column
    /// when given or when the metadata has an `id` column, else the file stem.
    pub id: Option<String>,
    /// Document text. Default `"text"`. Required for CSV/TSV/JSONL; not used for folders.
    pub text: Option<String>,
    /// Outlet (publication). Default: unmapped.
    pub outlet: Option<String>,
    /// Group of outlets (e.g. state-aligned vs independent). Default: unmapped.
    pub group: Option<String>,
    /// Event the document covers. Default: unmapped.
    pub event: Option<String>,
    /// Publication date, parsed with `date-formats`. Default: unmapped.
    pub date: Option<String>,
    /// Language code. Default: unmapped.
    pub language: Option<String>,
    /// Headline. Default: unmapped.
    pub title: Option<String>,
    /// Address of the original page. Default: unmapped.
    pub url: Option<String>,
}

/// Line-based boilerplate removal (`[corpus.boilerplate]`). Lines are matched after trimming
/// surrounding whitespace; a pattern matches anywhere in the line unless anchored with `^…$`,
/// and `(?i)` makes it case-insensitive. Write patterns in NFC (texts are NFC-normalized first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BoilerplateConfig {
    /// Regexes; a line matching any of them is removed. Default: none.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Regexes; the first line matching any of them and everything after it is removed (a
    /// donation appeal, "You may also like"). Default: none.
    #[serde(default)]
    pub cut_after: Vec<String>,
    /// When true, the last non-empty line is removed if it is short (at most 15 words), has no
    /// sentence-final punctuation, and follows other text: scraped pages often end with an
    /// unrelated headline or a "Read more" link. Default `false`.
    #[serde(default)]
    pub trailing_headline: bool,
    /// When true, a line identical (after trimming) to the previous kept line is removed,
    /// e.g. a headline printed twice. Default `false`.
    #[serde(default)]
    pub drop_repeated_lines: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_table_takes_defaults() {
        let config: CorpusConfig = toml::from_str(r#"path = "корпус/""#).unwrap();
        assert_eq!(config, CorpusConfig::new("корпус/"));
        assert_eq!(config.date_formats[0], "%Y-%m-%d");
        assert!(config.quoting);
    }

    #[test]
    fn full_table_parses() {
        let config: CorpusConfig = toml::from_str(
            r#"
            path = "posts.tsv"
            format = "tsv"
            date-formats = ["%d.%m.%Y %H:%M"]
            encoding = "windows-1251"
            on-invalid-utf8 = "replace"
            delimiter = "\t"
            unmatched-files = "error"
            [columns]
            id = "ID"
            outlet = "owner_id"
            [map.outlet]
            "-40316705" = "RT"
            [group-of-outlet]
            RT = "state"
            [boilerplate]
            patterns = ["^Подписывайтесь на канал$"]
            cut-after = ["^Читайте также"]
            trailing-headline = true
            "#,
        )
        .unwrap();
        assert_eq!(config.format, Format::Tsv);
        assert_eq!(config.columns.id.as_deref(), Some("ID"));
        assert_eq!(config.map["outlet"]["-40316705"], "RT");
        assert_eq!(config.group_of_outlet["RT"], "state");
        assert_eq!(config.delimiter, Some('\t'));
        assert_eq!(config.on_invalid_utf8, OnInvalid::Replace);
        assert_eq!(config.unmatched_files, UnmatchedFiles::Error);
        assert!(config.boilerplate.trailing_headline);
        assert!(!config.boilerplate.drop_repeated_lines);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<CorpusConfig>("path = \"x\"\nencodng = \"latin1\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("encodng"), "{err}");
        let err = toml::from_str::<CorpusConfig>("path = \"x\"\n[columns]\nbody = \"text\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("body"), "{err}");
    }
}
