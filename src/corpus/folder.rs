//! Folder corpora: one document per `.txt` file directly in the folder (subfolders and other
//! files are ignored; the metadata table may sit in the folder), read one file at a time in file
//! name order (byte order of the names), with an optional metadata table (CSV or TSV by
//! extension) read whole at open.
//!
//! A metadata row finds its file by `join`: `"file"` (the `file-column` value is the file name)
//! or `"id"` (the id value plus `.txt`). The document id is the metadata's id column (the mapped
//! one, or a column named `id` if present), else the file stem. A `.txt` file without a row is
//! skipped or an error (`unmatched-files`); after the last file, each metadata row whose file
//! was not found is handed on as a skipped record naming the metadata file and line. Two rows
//! for the same file are an error (neither can be told to be the right one); two rows with the
//! same id are two documents, and the later one is skipped as a duplicate (`row.rs`).
//!
//! A text file is read only up to `max-document-bytes` (decoded); a longer one is skipped
//! without reading the rest.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use csv::StringRecord;
use encoding_rs::Encoding;

use super::config::{Join, OnInvalid, UnmatchedFiles};
use super::decode::{read_to_string, DecodeReader};
use super::meta::Field;
use super::record::{SkipKind, Source};
use super::row::{show_bytes, RawRow};
use super::table::{Columns, CsvFile, IdColumn};
use super::CorpusError;

/// How to read the metadata table.
pub struct MetadataSpec<'a> {
    /// The metadata table, already opened.
    pub file: CsvFile,
    /// The configured id column (`None`: use a column named `id` if present).
    pub id: Option<&'a str>,
    /// The mapped field columns.
    pub fields: &'a [(Field, &'a str)],
    /// The configured join (`None`: `file` if the file column exists, else `id`).
    pub join: Option<Join>,
    /// The file-name column for `join = "file"`.
    pub file_column: &'a str,
}

/// A metadata table held in memory, indexed by file name.
struct Metadata {
    path: PathBuf,
    columns: Columns,
    join: Join,
    /// Column holding the join key (file name or id).
    key_column: usize,
    rows: Vec<(u64, StringRecord)>,
    /// File name -> row index.
    by_file: HashMap<String, usize>,
    used: Vec<bool>,
}

impl Metadata {
    fn read(spec: MetadataSpec<'_>) -> Result<Self, CorpusError> {
        let MetadataSpec {
            mut file,
            id,
            fields,
            join,
            file_column,
        } = spec;
        let path = file.path().to_path_buf();
        let id = match id {
            Some(name) => IdColumn::Required(name),
            None => IdColumn::IfPresent("id"),
        };
        let mut columns = Columns::resolve(&path, file.header(), id, None, fields)?;
        let join = match join {
            Some(join) => join,
            None if columns.find(&path, file_column)?.is_some() => Join::File,
            None => Join::Id,
        };
        let key_column = match join {
            Join::File => columns.require(&path, file_column)?,
            Join::Id => match columns.id {
                Some(index) => index,
                None => columns.require(&path, "id")?,
            },
        };
        columns.drop_extra(key_column);

        let mut rows = Vec::new();
        while let Some((line, record)) = file.next_record()? {
            rows.push((line, record.clone()));
        }

        let mut metadata = Metadata {
            path,
            columns,
            join,
            key_column,
            by_file: HashMap::new(),
            used: vec![false; rows.len()],
            rows: Vec::new(),
        };
        for (index, (line, record)) in rows.iter().enumerate() {
            let Some(name) = metadata.file_name(record) else {
                continue;
            };
            if let Some(&first) = metadata.by_file.get(&name) {
                return Err(CorpusError::MalformedRow {
                    file: metadata.path.clone(),
                    line: *line,
                    message: format!(
                        "file {name:?} already has a metadata row at line {}",
                        rows[first].0
                    ),
                });
            }
            metadata.by_file.insert(name, index);
        }
        metadata.rows = rows;
        Ok(metadata)
    }

    /// The file a row names; `None` when its key is empty.
    fn file_name(&self, record: &StringRecord) -> Option<String> {
        let key = record.get(self.key_column).unwrap_or("").trim();
        match (key.is_empty(), self.join) {
            (true, _) => None,
            (false, Join::File) => Some(key.to_string()),
            (false, Join::Id) => Some(format!("{key}.txt")),
        }
    }
}

/// A folder corpus.
pub struct FolderReader {
    dir: PathBuf,
    files: Vec<PathBuf>,
    next_file: usize,
    next_leftover: usize,
    metadata: Option<Metadata>,
    extra_names: Vec<String>,
    unmatched: UnmatchedFiles,
    encoding: &'static Encoding,
    on_invalid: OnInvalid,
    /// `max-document-bytes` (0: no limit).
    max_bytes: u64,
}

impl FolderReader {
    /// List the `.txt` files of `dir` and read the metadata table, if any.
    pub fn open(
        dir: &Path,
        metadata: Option<MetadataSpec<'_>>,
        unmatched: UnmatchedFiles,
        encoding: &'static Encoding,
        on_invalid: OnInvalid,
        max_bytes: u64,
    ) -> Result<Self, CorpusError> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| CorpusError::io(dir, e))? {
            let path = entry.map_err(|e| CorpusError::io(dir, e))?.path();
            let is_txt = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case(OsStr::new("txt")));
            if is_txt && path.is_file() {
                files.push(path);
            }
        }
        files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        let metadata = metadata.map(Metadata::read).transpose()?;
        let extra_names = metadata
            .as_ref()
            .map(|m| m.columns.extra_names())
            .unwrap_or_default();
        Ok(FolderReader {
            dir: dir.to_path_buf(),
            files,
            next_file: 0,
            next_leftover: 0,
            metadata,
            extra_names,
            unmatched,
            encoding,
            on_invalid,
            max_bytes,
        })
    }

    /// Names of the extra metadata columns, in header order.
    pub fn extra_names(&self) -> &[String] {
        &self.extra_names
    }

    /// The metadata table (if any), then every text file that will be read, in reading order.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs = Vec::new();
        match &self.metadata {
            Some(meta) => {
                inputs.push(meta.path.clone());
                let has_row = |p: &&PathBuf| meta.by_file.contains_key(&*file_name(p));
                inputs.extend(self.files.iter().filter(has_row).cloned());
            }
            None => inputs.extend(self.files.iter().cloned()),
        }
        inputs
    }

    /// The next document or skipped input; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, CorpusError> {
        let (encoding, on_invalid, max_bytes) = (self.encoding, self.on_invalid, self.max_bytes);
        if let Some(path) = self.files.get(self.next_file).cloned() {
            self.next_file += 1;
            let name = file_name(&path);
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let Some(meta) = &mut self.metadata else {
                let mut row = RawRow::new(Source::file(&path));
                read_text(&path, encoding, on_invalid, max_bytes, &mut row)?;
                row.id = stem;
                return Ok(Some(row));
            };
            let Some(&index) = meta.by_file.get(&*name) else {
                match self.unmatched {
                    UnmatchedFiles::Error => {
                        return Err(CorpusError::UnmatchedFile {
                            file: path.clone(),
                            metadata: meta.path.clone(),
                        })
                    }
                    UnmatchedFiles::Skip => {
                        let mut row = RawRow::new(Source::file(&path));
                        row.id = stem;
                        row.skip = Some((
                            SkipKind::NoMetadataRow,
                            format!("no metadata row for {name:?} in {}", meta.path.display()),
                        ));
                        return Ok(Some(row));
                    }
                }
            };
            meta.used[index] = true;
            let (line, record) = &meta.rows[index];
            let mut row = meta.columns.row(record, Source::file(&path));
            row.meta_source = Some(Source::line(&meta.path, *line));
            if meta.columns.id.is_none() {
                row.id = stem;
            }
            read_text(&path, encoding, on_invalid, max_bytes, &mut row)?;
            return Ok(Some(row));
        }
        let Some(meta) = &self.metadata else {
            return Ok(None);
        };
        while let Some(&used) = meta.used.get(self.next_leftover) {
            let (line, record) = &meta.rows[self.next_leftover];
            self.next_leftover += 1;
            if used {
                continue;
            }
            let mut row = meta.columns.row(record, Source::line(&meta.path, *line));
            let at = format!("{}:{line}", meta.path.display());
            let reason = match meta.file_name(record) {
                Some(name) => format!(
                    "{at}: no file {name:?} among the .txt files in {}",
                    self.dir.display()
                ),
                None => {
                    let column = match meta.join {
                        Join::File => "file name",
                        Join::Id => "id",
                    };
                    format!("{at}: empty {column}, so no file to read")
                }
            };
            row.skip = Some((SkipKind::MissingTextFile, reason));
            return Ok(Some(row));
        }
        Ok(None)
    }
}

/// Reads and decodes one text file into `row.text`, or, when its text is larger than
/// `max_bytes` (0: no limit) or (with [`OnInvalid::Skip`]) holds bytes that are invalid in the
/// encoding, marks the row as skipped with the reason.
fn read_text(
    path: &Path,
    encoding: &'static Encoding,
    on_invalid: OnInvalid,
    max_bytes: u64,
    row: &mut RawRow,
) -> Result<(), CorpusError> {
    let replace = on_invalid == OnInvalid::Replace;
    match read_text_or_fail(path, encoding, replace, max_bytes, row) {
        Err(CorpusError::InvalidUtf8 {
            offset,
            line,
            encoding,
            ..
        }) if on_invalid == OnInvalid::Skip => {
            row.skip = Some((
                SkipKind::InvalidEncoding,
                format!(
                    "{}:{line}: invalid {encoding} at byte offset {offset} \
                     (on-invalid-utf8 = \"skip\")",
                    path.display()
                ),
            ));
            Ok(())
        }
        result => result,
    }
}

/// [`read_text`] without the skip policy for invalid bytes.
fn read_text_or_fail(
    path: &Path,
    encoding: &'static Encoding,
    replace: bool,
    max_bytes: u64,
    row: &mut RawRow,
) -> Result<(), CorpusError> {
    let file = File::open(path).map_err(|e| CorpusError::io(path, e))?;
    if max_bytes == 0 {
        let text = read_to_string(file, encoding, replace).map_err(|e| CorpusError::io(path, e))?;
        row.text = Some(text);
        return Ok(());
    }
    let on_disk = file.metadata().map_err(|e| CorpusError::io(path, e))?.len();
    // One byte past the limit tells "at the limit" from "over it".
    let mut text = Vec::new();
    DecodeReader::new(file, encoding, replace)
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut text)
        .map_err(|e| CorpusError::io(path, e))?;
    if text.len() as u64 > max_bytes {
        row.skip = Some((
            SkipKind::TooLarge,
            format!(
                "{}: text larger than max-document-bytes = {max_bytes} (the file is {})",
                path.display(),
                show_bytes(on_disk)
            ),
        ));
        return Ok(());
    }
    // The decoder hands out whole UTF-8 sequences, and the input ended within the limit.
    row.text = Some(String::from_utf8(text).expect("DecodeReader yields UTF-8"));
    Ok(())
}

fn file_name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name().unwrap_or_default().to_string_lossy()
}
