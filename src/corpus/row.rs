//! From a reader's raw row to a [`Record`]: id check, duplicate-id check, metadata resolution,
//! size check and cleaning. Every format goes through [`Assembler::assemble`], so skip rules are
//! the same for all of them. Checks, in order, each skipping the document with its
//! [`SkipKind`]: a skip the reader already decided (no metadata row, no file, too large to
//! read); an empty id; an id used before (the first document keeps it); a date that matches no
//! format; a text larger than `max-document-bytes`; a text that is empty after cleaning.

use std::collections::HashMap;
use std::path::PathBuf;

use super::clean::Cleaner;
use super::meta::{MetaResolver, RawFields};
use super::record::{Document, Record, SkipKind, Skipped, Source};
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
    /// file, a text too large to read); only the metadata is resolved then.
    pub skip: Option<(SkipKind, String)>,
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
    /// `max-document-bytes` (0: no limit).
    max_bytes: u64,
    /// id -> where it first occurred. Paths are interned in `files`, so a million ids cost a
    /// million short keys, not a million paths.
    seen: HashMap<Box<str>, FirstSeen>,
    files: Vec<PathBuf>,
}

impl Assembler {
    /// An assembler cleaning with `cleaner`, resolving metadata with `meta` and skipping texts
    /// larger than `max_bytes` (0: no limit).
    pub fn new(cleaner: Cleaner, meta: MetaResolver, max_bytes: u64) -> Self {
        Assembler {
            cleaner,
            meta,
            max_bytes,
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
        // Where the metadata came from, formatted only for a skip message.
        let meta_at = || row.meta_source.as_ref().unwrap_or(&row.source).to_string();
        let skip = |doc_id: Option<String>, meta, kind, reason: String| {
            Ok(Record::Skipped(Skipped {
                doc_id,
                meta,
                source: row.source.clone(),
                kind,
                reason,
            }))
        };
        if let Some((kind, reason)) = row.skip {
            return skip(id, meta, kind, reason);
        }
        let Some(id) = id else {
            return skip(
                None,
                meta,
                SkipKind::EmptyId,
                format!("empty id at {}", meta_at()),
            );
        };
        if let Some(first) = self.check_duplicate(&id, &row.source) {
            let reason = format!("duplicate id {id:?}: first at {first}");
            return skip(Some(id), meta, SkipKind::DuplicateId, reason);
        }
        if let Some(value) = bad_date {
            let reason = format!(
                "document {id:?}: date {value:?} ({}) matches none of the date formats {}",
                meta_at(),
                self.meta.date_formats()
            );
            return skip(Some(id), meta, SkipKind::BadDate, reason);
        }
        let text = row.text.as_deref().unwrap_or("");
        if self.max_bytes > 0 && text.len() as u64 > self.max_bytes {
            let reason = format!(
                "document {id:?}: text of {} is larger than max-document-bytes = {}",
                show_bytes(text.len() as u64),
                self.max_bytes
            );
            return skip(Some(id), meta, SkipKind::TooLarge, reason);
        }
        let cleaned = self.cleaner.clean(text);
        if cleaned.text.is_empty() {
            let reason = format!(
                "empty after cleaning ({} boilerplate lines removed)",
                cleaned.boilerplate_lines_removed
            );
            return skip(Some(id), meta, SkipKind::EmptyText, reason);
        }
        Ok(Record::Kept(Document {
            doc_id: id,
            text: cleaned.text,
            meta,
            source: row.source,
            boilerplate_lines_removed: cleaned.boilerplate_lines_removed,
        }))
    }

    /// Where `id` first occurred, if it did; otherwise remembers it as seen at `source`.
    fn check_duplicate(&mut self, id: &str, source: &Source) -> Option<Source> {
        if let Some(first) = self.seen.get(id) {
            let line = (first.line != 0).then_some(first.line);
            return Some(Source {
                file: self.files[first.file as usize].clone(),
                line,
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
        None
    }
}

/// A byte count for a message: `"209715200 bytes (200.0 MiB)"`, or `"512 bytes"` below 1 KiB.
pub fn show_bytes(n: u64) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = None;
    for u in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = Some(u);
    }
    match unit {
        Some(u) => format!("{n} bytes ({value:.1} {u})"),
        None => format!("{n} bytes"),
    }
}

/// Where an id first occurred: an index into [`Assembler::files`] and the line (0 for a whole
/// file; lines count from 1).
#[derive(Debug, Clone, Copy)]
struct FirstSeen {
    file: u32,
    line: u64,
}
