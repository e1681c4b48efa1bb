//! The records the corpus stage hands on: a kept [`Document`] (clean text plus metadata) or a
//! [`Skipped`] input with its [`SkipKind`] and reason, each with the [`Source`] it came from.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

/// Where a record came from: a file, and for row-based formats the (1-based) line its row starts
/// on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    /// The input file.
    pub file: PathBuf,
    /// The line the row starts on (CSV/TSV/JSONL, metadata rows); `None` for a whole text file.
    pub line: Option<u64>,
}

impl Source {
    /// A whole file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Source {
            file: file.into(),
            line: None,
        }
    }

    /// A row starting on `line` of `file`.
    pub fn line(file: impl Into<PathBuf>, line: u64) -> Self {
        Source {
            file: file.into(),
            line: Some(line),
        }
    }
}

impl fmt::Display for Source {
    /// `path:line`, or `path` for a whole file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// A document's metadata after value maps and date parsing. Empty values are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Outlet, after `map.outlet`.
    pub outlet: Option<String>,
    /// Group, after `map.group`, or from `group-of-outlet` when the row has none.
    pub group: Option<String>,
    /// Event, after `map.event`.
    pub event: Option<String>,
    /// Publication date (the calendar date as written in the input).
    pub date: Option<NaiveDate>,
    /// Language, after `map.language`.
    pub language: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Address of the original page.
    pub url: Option<String>,
    /// Every input column that is not mapped to a field, as (column, raw value), in input
    /// column order. CSV/TSV rows carry every such column (empty values included); JSONL rows
    /// carry the keys they have (null values left out).
    pub extra: Vec<(String, String)>,
}

/// A document that passed cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document id, unique in the corpus.
    pub doc_id: String,
    /// The clean text (see [`super::clean`]); later stages keep byte spans into it.
    pub text: String,
    /// Metadata.
    pub meta: Metadata,
    /// Where the text came from.
    pub source: Source,
    /// Number of non-empty lines removed as boilerplate.
    pub boilerplate_lines_removed: u32,
}

/// Why a document was skipped, as a stable name: the `skip_kind` column of the `documents`
/// table, the keys of the manifest's `counts.skipped`, and the end-of-run and report summaries.
/// The reason text next to it names the document and the offending value; the kind lets a
/// notebook (or a reader of the summary) count skips without parsing that text.
///
/// The names never change meaning; a new kind gets a new name. Declaration order is the order of
/// the checks (corpus stage, then tokenizing, then near-duplicates), which is the order the
/// summaries list them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipKind {
    /// A folder's `.txt` file without a metadata row (`unmatched-files = "skip"`).
    NoMetadataRow,
    /// A metadata row whose text file is not in the folder (or whose file name or id is empty).
    MissingTextFile,
    /// The text file holds bytes that are invalid in the encoding
    /// (`on-invalid-utf8 = "skip"`, folder corpora).
    InvalidEncoding,
    /// The id is empty.
    EmptyId,
    /// The id was already used by an earlier document (which is kept).
    DuplicateId,
    /// The date matches none of `date-formats`.
    BadDate,
    /// The text is larger than `max-document-bytes`.
    TooLarge,
    /// Nothing is left of the text after cleaning and boilerplate removal.
    EmptyText,
    /// The language code is not one framelens can tokenize.
    UnknownLanguage,
    /// The tokenizer found no word, number or URL.
    NoTokens,
    /// A near-duplicate of an earlier document, with `near-duplicates.drop = true`.
    NearDuplicate,
}

impl SkipKind {
    /// Every kind, in declaration order.
    pub const ALL: [SkipKind; 11] = [
        SkipKind::NoMetadataRow,
        SkipKind::MissingTextFile,
        SkipKind::InvalidEncoding,
        SkipKind::EmptyId,
        SkipKind::DuplicateId,
        SkipKind::BadDate,
        SkipKind::TooLarge,
        SkipKind::EmptyText,
        SkipKind::UnknownLanguage,
        SkipKind::NoTokens,
        SkipKind::NearDuplicate,
    ];

    /// The kebab-case name (`"too-large"`).
    pub fn name(self) -> &'static str {
        match self {
            SkipKind::NoMetadataRow => "no-metadata-row",
            SkipKind::MissingTextFile => "missing-text-file",
            SkipKind::InvalidEncoding => "invalid-encoding",
            SkipKind::EmptyId => "empty-id",
            SkipKind::DuplicateId => "duplicate-id",
            SkipKind::BadDate => "bad-date",
            SkipKind::TooLarge => "too-large",
            SkipKind::EmptyText => "empty-text",
            SkipKind::UnknownLanguage => "unknown-language",
            SkipKind::NoTokens => "no-tokens",
            SkipKind::NearDuplicate => "near-duplicate",
        }
    }

    /// The kind named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<SkipKind> {
        SkipKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An input that is not handed on as a document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The id, when the input had one.
    pub doc_id: Option<String>,
    /// Whatever metadata could be read (a date that failed to parse is `None`).
    pub meta: Metadata,
    /// Where the input came from (for a metadata row without a file: the metadata row).
    pub source: Source,
    /// What kind of problem it was.
    pub kind: SkipKind,
    /// Why it was skipped, naming the document or location and the offending value.
    pub reason: String,
}

/// One record of the corpus, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A clean document.
    Kept(Document),
    /// A skipped input.
    Skipped(Skipped),
}

impl Record {
    /// Where the record came from.
    pub fn source(&self) -> &Source {
        match self {
            Record::Kept(doc) => &doc.source,
            Record::Skipped(skip) => &skip.source,
        }
    }

    /// The id, when there is one.
    pub fn doc_id(&self) -> Option<&str> {
        match self {
            Record::Kept(doc) => Some(&doc.doc_id),
            Record::Skipped(skip) => skip.doc_id.as_deref(),
        }
    }

    /// The document, if it was kept.
    pub fn kept(&self) -> Option<&Document> {
        match self {
            Record::Kept(doc) => Some(doc),
            Record::Skipped(_) => None,
        }
    }

    /// The skip, if it was skipped.
    pub fn skipped(&self) -> Option<&Skipped> {
        match self {
            Record::Kept(_) => None,
            Record::Skipped(skip) => Some(skip),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_kind_names_are_kebab_case_and_round_trip() {
        for kind in SkipKind::ALL {
            assert_eq!(SkipKind::from_name(kind.name()), Some(kind));
            // serde writes the same name as `name` (the manifest keys).
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.name())
            );
        }
        assert_eq!(SkipKind::TooLarge.to_string(), "too-large");
        assert_eq!(SkipKind::from_name("too_large"), None);
        // ALL lists every kind once, in declaration (= Ord) order.
        assert!(SkipKind::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn source_display() {
        assert_eq!(
            Source::line("статьи/posts.tsv", 41).to_string(),
            "статьи/posts.tsv:41"
        );
        assert_eq!(Source::file("seeds/003.txt").to_string(), "seeds/003.txt");
    }
}
