//! The corpus stage: reads a corpus as researchers have it and hands on clean documents with
//! metadata, or skipped inputs with a reason, in bounded batches.
//!
//! Inputs ([`CorpusConfig::format`]): a folder of `.txt` files with an optional metadata table
//! (`folder.rs`), one CSV or TSV table (`table.rs`), or one JSONL file (`jsonl.rs`). Every file is
//! decoded ([`decode`]) and every text cleaned ([`clean`], [`boilerplate`]) the same way;
//! metadata goes through value maps and date parsing ([`meta`]).
//!
//! Streaming: [`CorpusReader::next_batch`] reads only as many rows or files as it returns, so the
//! corpus text is never held whole in memory; only metadata tables and the set of ids seen (for
//! the duplicate check) are. Order is deterministic: rows in file order; folder files in file
//! name order, then the metadata rows that found no file.
//!
//! Structural problems stop the run with a [`CorpusError`] naming the file and line (invalid
//! bytes, a malformed row, a missing column, a bad configuration). Problems of one document (an
//! empty or duplicate id, a date that matches no format, a text larger than
//! `max-document-bytes`, nothing left after cleaning, no metadata row, no file) produce a
//! [`Skipped`] record with its [`SkipKind`] and reason, for the documents table and the manifest.

pub mod boilerplate;
pub mod clean;
pub mod config;
pub mod decode;
mod folder;
mod jsonl;
pub mod meta;
pub mod record;
mod row;
mod table;

use std::path::{Path, PathBuf};

pub use config::{
    BoilerplateConfig, ColumnMap, CorpusConfig, Format, Join, OnInvalid, UnmatchedFiles,
    DEFAULT_DATE_FORMATS, DEFAULT_MAX_DOCUMENT_BYTES,
};
pub use record::{Document, Metadata, Record, SkipKind, Skipped, Source};

use boilerplate::Boilerplate;
use clean::Cleaner;
use folder::{FolderReader, MetadataSpec};
use jsonl::JsonlReader;
use meta::{mapped_fields, MetaResolver};
use row::{Assembler, RawRow};
use table::{CsvFile, TableReader};

/// Why the corpus cannot be read. Each message names the file (and line) or setting to fix.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A file or folder could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Bytes that are invalid in the configured encoding (UTF-8 by default).
    #[error(
        "{}:{line}: invalid {encoding} at byte offset {offset} (set encoding to the file's \
         encoding, or on-invalid-utf8 = \"replace\" to read such bytes as U+FFFD, or in a \
         folder corpus \"skip\" to skip such files)",
        file.display()
    )]
    InvalidUtf8 {
        /// The file.
        file: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: u64,
        /// Line of the invalid byte (1-based).
        line: u64,
        /// The encoding the file was decoded with.
        encoding: &'static str,
    },
    /// A row that cannot be read: wrong number of fields, an unbalanced quote, invalid JSON.
    #[error("{}:{line}: {message}", file.display())]
    MalformedRow {
        /// The file.
        file: PathBuf,
        /// The line the row starts on.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A configured column is not in the header (or the first JSON object).
    #[error(
        "{}: column {column:?} not found (columns: {}){hint}",
        file.display(),
        available.join(", ")
    )]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The column looked for.
        column: String,
        /// The columns the file has.
        available: Vec<String>,
        /// Empty, or a suggestion starting with "; " (e.g. the delimiter the header seems to
        /// use).
        hint: String,
    },
    /// The corpus was read to the end without finding a single document (a table with only a
    /// header, an empty JSONL file, a folder without `.txt` files).
    #[error("{}: the corpus holds no documents ({what})", path.display())]
    NoDocuments {
        /// The corpus file or folder.
        path: PathBuf,
        /// What was found instead.
        what: &'static str,
    },
    /// A boilerplate regex that does not compile.
    #[error("boilerplate pattern {pattern:?}: {message}")]
    BadPattern {
        /// The pattern as configured.
        pattern: String,
        /// The regex error.
        message: String,
    },
    /// An encoding label that is not in the WHATWG Encoding Standard.
    #[error("unknown encoding {label:?} (use a label such as \"utf-8\", \"windows-1251\" or \"latin1\")")]
    UnknownEncoding {
        /// The label as configured.
        label: String,
    },
    /// A `.txt` file without a metadata row, with `unmatched-files = "error"`.
    #[error(
        "{}: no metadata row in {} (set unmatched-files = \"skip\" to skip such files)",
        file.display(),
        metadata.display()
    )]
    UnmatchedFile {
        /// The text file.
        file: PathBuf,
        /// The metadata table.
        metadata: PathBuf,
    },
    /// A setting that cannot work (unknown value-map field, bad date format, wrong format for
    /// the path, …).
    #[error("{0}")]
    BadConfig(String),
}

impl CorpusError {
    /// An error reading `path`: [`CorpusError::InvalidUtf8`] when a [`decode::DecodeReader`]
    /// found invalid bytes, else [`CorpusError::Io`].
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        match decode::decode_error(&source) {
            Some(d) => CorpusError::InvalidUtf8 {
                file: path.to_path_buf(),
                offset: d.offset,
                line: d.line,
                encoding: d.encoding,
            },
            None => CorpusError::Io {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

/// The checked, compiled parts of a configuration that do not depend on the files.
struct Prepared {
    encoding: &'static encoding_rs::Encoding,
    replace: bool,
    delimiter: Option<u8>,
    cleaner: Cleaner,
    meta: MetaResolver,
}

impl Prepared {
    fn new(config: &CorpusConfig) -> Result<Self, CorpusError> {
        let encoding = decode::encoding_for(config.encoding.as_deref())
            .map_err(|label| CorpusError::UnknownEncoding { label })?;
        let delimiter = match config.delimiter {
            None => None,
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => {
                return Err(CorpusError::BadConfig(format!(
                    "delimiter {c:?} is not an ASCII character"
                )))
            }
        };
        Ok(Prepared {
            encoding,
            replace: config.on_invalid_utf8 == OnInvalid::Replace,
            delimiter,
            cleaner: Cleaner::new(Boilerplate::new(&config.boilerplate)?),
            meta: MetaResolver::new(config)?,
        })
    }
}

/// Check the settings that need no file (encoding label, boilerplate regexes, value-map fields,
/// date formats, delimiter), so a study file can fail before any work runs.
pub fn check(config: &CorpusConfig) -> Result<(), CorpusError> {
    Prepared::new(config).map(|_| ())
}

/// The format `config` resolves to: the configured one, or for `auto`, a folder or the file
/// extension. Fails when the path does not exist or does not fit the format.
pub fn resolve_format(config: &CorpusConfig) -> Result<Format, CorpusError> {
    let path = &config.path;
    let is_dir = std::fs::metadata(path)
        .map_err(|e| CorpusError::io(path, e))?
        .is_dir();
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match (config.format, is_dir) {
        (Format::Auto, true) => Format::Folder,
        (Format::Auto, false) => match extension.as_str() {
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "jsonl" | "ndjson" => Format::Jsonl,
            _ => {
                return Err(CorpusError::BadConfig(format!(
                    "{}: cannot tell the corpus format from the extension {extension:?}; set \
                     format = \"csv\", \"tsv\" or \"jsonl\"",
                    path.display()
                )))
            }
        },
        (Format::Folder, false) => {
            return Err(CorpusError::BadConfig(format!(
                "{}: format = \"folder\" needs a folder, but this is a file",
                path.display()
            )))
        }
        (format, true) if format != Format::Folder => {
            return Err(CorpusError::BadConfig(format!(
                "{}: is a folder; use format = \"folder\" (or \"auto\")",
                path.display()
            )))
        }
        (format, _) => format,
    };
    if config.metadata.is_some() && format != Format::Folder {
        return Err(CorpusError::BadConfig(format!(
            "metadata is only used with a folder of .txt files; {} is read as {format:?}, where \
             metadata are columns of the file itself",
            path.display()
        )));
    }
    Ok(format)
}

/// Open the corpus: check the settings, open the input, read the header or metadata table.
pub fn open(config: &CorpusConfig) -> Result<CorpusReader, CorpusError> {
    let prepared = Prepared::new(config)?;
    let format = resolve_format(config)?;
    let fields = mapped_fields(config);
    let id = config.columns.id.as_deref().unwrap_or("id");
    let text = config.columns.text.as_deref().unwrap_or("text");
    let (encoding, replace) = (prepared.encoding, prepared.replace);
    let csv = |path: &Path, default_delimiter: u8| {
        let delimiter = prepared.delimiter.unwrap_or(default_delimiter);
        CsvFile::open(path, delimiter, config.quoting, encoding, replace)
    };
    if config.on_invalid_utf8 == OnInvalid::Skip && format != Format::Folder {
        return Err(CorpusError::BadConfig(format!(
            "on-invalid-utf8 = \"skip\" works for folder corpora only (one file per document); \
             {} is one file, so use \"error\" or \"replace\"",
            config.path.display()
        )));
    }
    let input = match format {
        Format::Csv => Input::Table(TableReader::open(
            csv(&config.path, b',')?,
            id,
            text,
            &fields,
        )?),
        Format::Tsv => Input::Table(TableReader::open(
            csv(&config.path, b'\t')?,
            id,
            text,
            &fields,
        )?),
        Format::Jsonl => Input::Jsonl(JsonlReader::open(
            &config.path,
            encoding,
            replace,
            id,
            text,
            &fields,
            config.max_document_bytes,
        )?),
        Format::Folder | Format::Auto => {
            let metadata = match &config.metadata {
                Some(path) => Some(MetadataSpec {
                    file: csv(path, metadata_delimiter(path)?)?,
                    id: config.columns.id.as_deref(),
                    fields: &fields,
                    join: config.join,
                    file_column: &config.file_column,
                }),
                None => None,
            };
            let reader = FolderReader::open(
                &config.path,
                metadata,
                config.unmatched_files,
                encoding,
                config.on_invalid_utf8,
                config.max_document_bytes,
            )?;
            Input::Folder(reader)
        }
    };
    Ok(CorpusReader {
        format,
        path: config.path.clone(),
        input,
        assembler: Assembler::new(prepared.cleaner, prepared.meta, config.max_document_bytes),
        records: 0,
    })
}

/// The delimiter of a metadata table from its extension.
fn metadata_delimiter(path: &Path) -> Result<u8, CorpusError> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => Ok(b','),
        Some("tsv" | "tab") => Ok(b'\t'),
        _ => Err(CorpusError::BadConfig(format!(
            "{}: metadata must be a .csv or .tsv file",
            path.display()
        ))),
    }
}

enum Input {
    Table(TableReader),
    Jsonl(JsonlReader),
    Folder(FolderReader),
}

/// An open corpus, read in batches. After an error the reader should be dropped.
pub struct CorpusReader {
    format: Format,
    path: PathBuf,
    input: Input,
    assembler: Assembler,
    /// Records handed out so far.
    records: u64,
}

impl CorpusReader {
    /// Up to `max` records in input order (`max` 0 is read as 1); an empty Vec means the corpus
    /// is exhausted.
    ///
    /// A corpus without a single record is an error ([`CorpusError::NoDocuments`]) at the
    /// first call, so a run never writes empty tables for a file that held only a header.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<Record>, CorpusError> {
        let mut batch = Vec::with_capacity(max.clamp(1, 1024));
        while batch.len() < max.max(1) {
            let Some(row) = self.next_row()? else { break };
            batch.push(self.assembler.assemble(row)?);
        }
        if batch.is_empty() && self.records == 0 {
            return Err(CorpusError::NoDocuments {
                path: self.path.clone(),
                what: match self.format {
                    Format::Csv | Format::Tsv => "a header but no rows",
                    Format::Jsonl => "no JSON lines",
                    Format::Folder | Format::Auto => "no .txt files and no metadata rows",
                },
            });
        }
        self.records += batch.len() as u64;
        Ok(batch)
    }

    fn next_row(&mut self) -> Result<Option<RawRow>, CorpusError> {
        match &mut self.input {
            Input::Table(reader) => reader.next_row(),
            Input::Jsonl(reader) => reader.next_row(),
            Input::Folder(reader) => reader.next_row(),
        }
    }

    /// Names of the carried-through metadata columns, in input order. Known after `open` for
    /// CSV/TSV and folders; for JSONL, the keys seen so far, in first-seen order.
    pub fn extra_columns(&self) -> &[String] {
        match &self.input {
            Input::Table(reader) => reader.extra_names(),
            Input::Jsonl(reader) => reader.extra_names(),
            Input::Folder(reader) => reader.extra_names(),
        }
    }

    /// Every file read: the corpus file, or the metadata table and the text files that have a
    /// row (all `.txt` files when there is no metadata), for hashing in the manifest.
    pub fn inputs(&self) -> Vec<PathBuf> {
        match &self.input {
            Input::Folder(reader) => reader.inputs(),
            Input::Table(_) | Input::Jsonl(_) => vec![self.path.clone()],
        }
    }

    /// The format the corpus is read as (never `Auto`).
    pub fn format(&self) -> Format {
        self.format
    }
}
