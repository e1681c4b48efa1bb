//! From a reader's raw row to a [`Record`]: id check, duplicate-id check, metadata resolution
//! and cleaning. Every format goes through [`Assembler::assemble`], so skip rules are the same
//! for all of them. Checks, in order: an empty id skips; a duplicate id stops the run; a date
//! that matches no format skips; a text that is empty after cleaning skips.

use std::collections::HashMap;
use std::path::PathBuf;

use super::clean::Cleaner;
use super::meta::{MetaResolver, RawFields};
use super::record::{Document, Record, Skipped, Source};
use super::CorpusError;

/// One input row (or text file) as read, before any checks.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// Where the text came from.
    pub source: Source,
    /// Where the metadata came from, when that is elsewhere (folder: the metadata row).
    pub meta_source: Option<Source>,
    /// The raw id.
    pub id: Option<String>,
    /// The decoded text; `None` when missing.
    pub text: Option<String>,
    /// Raw metadata values.
    pub fields: RawFields,
    /// Carried-through columns.
    pub extra: Vec<(String, String)>,
    /// Set by the reader when the row is skipped for a reason it knows (no metadata row, no
    /// file); only the metadata is resolved then.
    pub skip: Option<String>,
}

impl RawRow {
    /// An empty row read from `source`.
    pub fn new(source: Source) -> Self {
        RawRow {
            source,
            meta_source: None,
            id: None,
            text: None,
            fields: RawFields::default(),
            extra: Vec::new(),
            skip: None,
        }
    }
}

/// Builds records from raw rows, remembering every id seen.
#[derive(Debug)]
pub struct Assembler {
    cleaner: Cleaner,
    meta: MetaResolver,
    /// id -> where it first occurred. Paths are interned in `files`, so a million ids cost a
    /// million short keys, not a million paths.
    seen: HashMap<Box<str>, FirstSeen>,
    files: Vec<PathBuf>,
}

impl Assembler {
    /// An assembler cleaning with `cleaner` and resolving metadata with `meta`.
    pub fn new(cleaner: Cleaner, meta: MetaResolver) -> Self {
        Assembler {
            cleaner,
            meta,
            seen: HashMap::new(),
            files: Vec::new(),
        }
    }

    /// Check, resolve and clean one row.
    pub fn assemble(&mut self, row: RawRow) -> Result<Record, CorpusError> {
        let id = row
            .id
            .as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string);
        let (meta, bad_date) = self.meta.resolve(row.fields, row.extra);
        let meta_at = row.meta_source.as_ref().unwrap_or(&row.source).to_string();
        let skip = |doc_id: Option<String>, meta, reason: String| {
            Ok(Record::Skipped(Skipped {
                doc_id,
                meta,
                source: row.source.clone(),
                reason,
            }))
        };
        if let Some(reason) = row.skip {
            return skip(id, meta, reason);
        }
        let Some(id) = id else {
            return skip(None, meta, format!("empty id at {meta_at}"));
        };
        self.check_duplicate(&id, &row.source)?;
        if let Some(value) = bad_date {
            let reason = format!(
                "document {id:?}: date {value:?} ({meta_at}) matches none of the date formats {}",
                self.meta.date_formats()
            );
            return skip(Some(id), meta, reason);
        }
        let cleaned = self.cleaner.clean(row.text.as_deref().unwrap_or(""));
        if cleaned.text.is_empty() {
            let reason = format!(
                "empty after cleaning ({} boilerplate lines removed)",
                cleaned.boilerplate_lines_removed
            );
            return skip(Some(id), meta, reason);
        }
        Ok(Record::Kept(Document {
            doc_id: id,
            text: cleaned.text,
            meta,
            source: row.source,
            boilerplate_lines_removed: cleaned.boilerplate_lines_removed,
        }))
    }

    fn check_duplicate(&mut self, id: &str, source: &Source) -> Result<(), CorpusError> {
        if let Some(first) = self.seen.get(id) {
            let line = (first.line != 0).then_some(first.line);
            let first = Source {
                file: self.files[first.file as usize].clone(),
                line,
            };
            return Err(CorpusError::DuplicateId {
                id: id.to_string(),
                first,
                second: source.clone(),
            });
        }
        if self.files.last() != Some(&source.file) {
            self.files.push(source.file.clone());
        }
        let first = FirstSeen {
            file: (self.files.len() - 1) as u32,
            line: source.line.unwrap_or(0),
        };
        self.seen.insert(id.into(), first);
        Ok(())
    }
}

/// Where an id first occurred: an index into [`Assembler::files`] and the line (0 for a whole
/// file; lines count from 1).
#[derive(Debug, Clone, Copy)]
struct FirstSeen {
    file: u32,
    line: u64,
}
