//! The records the corpus stage hands on: a kept [`Document`] (clean text plus metadata) or a
//! [`Skipped`] input with the reason, each with the [`Source`] it came from.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;

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

/// An input that is not handed on as a document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The id, when the input had one.
    pub doc_id: Option<String>,
    /// Whatever metadata could be read (a date that failed to parse is `None`).
    pub meta: Metadata,
    /// Where the input came from (for a metadata row without a file: the metadata row).
    pub source: Source,
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
    fn source_display() {
        assert_eq!(
            Source::line("статьи/posts.tsv", 41).to_string(),
            "статьи/posts.tsv:41"
        );
        assert_eq!(Source::file("seeds/003.txt").to_string(), "seeds/003.txt");
    }
}
