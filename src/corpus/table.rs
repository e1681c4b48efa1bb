//! CSV and TSV: one document per row of a corpus table, streamed with the `csv` crate, and the
//! column logic shared with folder metadata tables.
//!
//! The first row is the header; column names are compared with surrounding whitespace trimmed.
//! Rows are read through [`DecodeReader`], so line endings are LF and the line a row starts on
//! (reported in errors and [`Source`]) counts physical lines, including those inside quoted
//! fields. Every row must have as many fields as the header; a row with a different number is an
//! error, and when one of its fields spans lines the message points at an unbalanced quote.
//! (A quote left open in the last row of a file runs to the end of the file and cannot be told
//! from a legitimate multi-line field.) Blank lines are skipped.

use std::fs::File;
use std::path::{Path, PathBuf};

use csv::StringRecord;
use encoding_rs::Encoding;

use super::decode::DecodeReader;
use super::meta::Field;
use super::record::Source;
use super::row::RawRow;
use super::CorpusError;

/// An open CSV/TSV file positioned after its header.
pub struct CsvFile {
    path: PathBuf,
    reader: csv::Reader<DecodeReader<File>>,
    header: StringRecord,
    record: StringRecord,
}

impl CsvFile {
    /// Open `path` and read its header row.
    pub fn open(
        path: &Path,
        delimiter: u8,
        quoting: bool,
        encoding: &'static Encoding,
        replace: bool,
    ) -> Result<Self, CorpusError> {
        let file = File::open(path).map_err(|e| CorpusError::io(path, e))?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(quoting)
            .has_headers(false)
            .flexible(true)
            .from_reader(DecodeReader::new(file, encoding, replace));
        let mut table = CsvFile {
            path: path.to_path_buf(),
            reader,
            header: StringRecord::new(),
            record: StringRecord::new(),
        };
        if !table.advance()? {
            return Err(CorpusError::MalformedRow {
                file: path.to_path_buf(),
                line: 1,
                message: "the file is empty: a header row naming the columns is expected"
                    .to_string(),
            });
        }
        table.header = std::mem::take(&mut table.record);
        table.header.trim();
        Ok(table)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The header's column names (trimmed).
    pub fn header(&self) -> Vec<String> {
        self.header.iter().map(str::to_string).collect()
    }

    /// Read the next row; `None` at the end. Checks the row has as many fields as the header.
    pub fn next_record(&mut self) -> Result<Option<(u64, &StringRecord)>, CorpusError> {
        if !self.advance()? {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        if self.record.len() != self.header.len() {
            let spans = self
                .record
                .iter()
                .map(|f| f.matches('\n').count())
                .sum::<usize>()
                + 1;
            let mut message = format!(
                "row has {} fields but the header has {}",
                self.record.len(),
                self.header.len()
            );
            if spans > 1 {
                message.push_str(&format!(
                    " (the row spans {spans} lines: probably an unbalanced quote)"
                ));
            }
            return Err(CorpusError::MalformedRow {
                file: self.path.clone(),
                line,
                message,
            });
        }
        Ok(Some((line, &self.record)))
    }

    fn advance(&mut self) -> Result<bool, CorpusError> {
        self.reader
            .read_record(&mut self.record)
            .map_err(|e| csv_error(e, &self.path))
    }
}

/// Turn a `csv` error into a [`CorpusError`] naming the file (and line where known).
fn csv_error(err: csv::Error, file: &Path) -> CorpusError {
    let line = err.position().map_or(0, |p| p.line());
    let message = err.to_string();
    match err.into_kind() {
        csv::ErrorKind::Io(e) => CorpusError::io(file, e),
        _ => CorpusError::MalformedRow {
            file: file.to_path_buf(),
            line,
            message,
        },
    }
}

/// Delimiters a table is commonly written with, in the order a hint prefers them.
const COMMON_DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// A hint for a header read as one column that holds a common delimiter: the file was evidently
/// written with another delimiter than the one it was read with (a semicolon CSV from a
/// spreadsheet in a European locale, a TSV read as CSV). Empty when there is nothing to suggest.
pub fn delimiter_hint(header: &[String]) -> String {
    let [only] = header else {
        return String::new();
    };
    COMMON_DELIMITERS
        .iter()
        .map(|&d| (only.matches(d).count(), d))
        .filter(|&(n, _)| n > 0)
        // Most frequent wins; on a tie, the earlier in COMMON_DELIMITERS.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, d)| {
            format!(
                "; the header reads as one column holding {d:?}: is the delimiter {d:?}? \
                 set delimiter = {:?} under [corpus]",
                d.to_string()
            )
        })
        .unwrap_or_default()
}

/// How a reader asks for the id column.
#[derive(Debug, Clone, Copy)]
pub enum IdColumn<'a> {
    /// This column must exist.
    Required(&'a str),
    /// Use this column if the header has it.
    IfPresent(&'a str),
}

/// Where each field sits in a header.
#[derive(Debug, Clone)]
pub struct Columns {
    names: Vec<String>,
    /// Position of the id column.
    pub id: Option<usize>,
    /// Position of the text column.
    pub text: Option<usize>,
    fields: Vec<(Field, usize)>,
    extras: Vec<usize>,
}

impl Columns {
    /// Locate the id, text and mapped field columns in `header` (read from `file`). A mapped
    /// column that is missing is an error listing the available columns; a mapped name that
    /// appears twice is an error. All other columns become extras, in header order.
    pub fn resolve(
        file: &Path,
        header: Vec<String>,
        id: IdColumn<'_>,
        text: Option<&str>,
        fields: &[(Field, &str)],
    ) -> Result<Self, CorpusError> {
        let mut columns = Columns {
            id: None,
            text: None,
            fields: Vec::new(),
            extras: Vec::new(),
            names: header,
        };
        columns.id = match id {
            IdColumn::Required(name) => Some(columns.require(file, name)?),
            IdColumn::IfPresent(name) => columns.find(file, name)?,
        };
        columns.text = text.map(|name| columns.require(file, name)).transpose()?;
        for &(field, name) in fields {
            let index = columns.require(file, name)?;
            columns.fields.push((field, index));
        }
        let used: Vec<usize> = columns
            .id
            .iter()
            .chain(&columns.text)
            .copied()
            .chain(columns.fields.iter().map(|&(_, i)| i))
            .collect();
        columns.extras = (0..columns.names.len())
            .filter(|i| !used.contains(i))
            .collect();
        Ok(columns)
    }

    /// The position of column `name`, if present; an error if it appears more than once.
    pub fn find(&self, file: &Path, name: &str) -> Result<Option<usize>, CorpusError> {
        let mut found = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.as_str() == name.trim());
        match (found.next(), found.next()) {
            (Some((index, _)), None) => Ok(Some(index)),
            (None, _) => Ok(None),
            (Some(_), Some(_)) => Err(CorpusError::MalformedRow {
                file: file.to_path_buf(),
                line: 1,
                message: format!("column {name:?} appears more than once in the header"),
            }),
        }
    }

    /// The position of column `name`, which must be present.
    pub fn require(&self, file: &Path, name: &str) -> Result<usize, CorpusError> {
        self.find(file, name)?
            .ok_or_else(|| CorpusError::MissingColumn {
                file: file.to_path_buf(),
                column: name.to_string(),
                available: self.names.clone(),
                hint: delimiter_hint(&self.names),
            })
    }

    /// Do not carry column `index` through as an extra (e.g. the folder join column).
    pub fn drop_extra(&mut self, index: usize) {
        self.extras.retain(|&i| i != index);
    }

    /// Names of the extra columns, in header order.
    pub fn extra_names(&self) -> Vec<String> {
        self.extras.iter().map(|&i| self.names[i].clone()).collect()
    }

    /// Fill a raw row from `record`.
    pub fn row(&self, record: &StringRecord, source: Source) -> RawRow {
        let get = |i: usize| record.get(i).unwrap_or("").to_string();
        let mut row = RawRow::new(source);
        row.id = self.id.map(get);
        row.text = self.text.map(get);
        for &(field, index) in &self.fields {
            row.fields.set(field, get(index));
        }
        row.extra = self
            .extras
            .iter()
            .map(|&i| (self.names[i].clone(), get(i)))
            .collect();
        row
    }
}

/// A CSV/TSV corpus: one document per row.
pub struct TableReader {
    file: CsvFile,
    columns: Columns,
    extra_names: Vec<String>,
}

impl TableReader {
    /// Open the table and locate its columns: id and text are required (defaults `"id"` and
    /// `"text"`), and so is every mapped field.
    pub fn open(
        file: CsvFile,
        id: &str,
        text: &str,
        fields: &[(Field, &str)],
    ) -> Result<Self, CorpusError> {
        let columns = Columns::resolve(
            file.path(),
            file.header(),
            IdColumn::Required(id),
            Some(text),
            fields,
        )?;
        let extra_names = columns.extra_names();
        Ok(TableReader {
            file,
            columns,
            extra_names,
        })
    }

    /// Names of the extra columns.
    pub fn extra_names(&self) -> &[String] {
        &self.extra_names
    }

    /// The next row; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, CorpusError> {
        let path = self.file.path().to_path_buf();
        match self.file.next_record()? {
            Some((line, record)) => Ok(Some(self.columns.row(record, Source::line(path, line)))),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn delimiter_hint_names_the_delimiter_a_one_column_header_holds() {
        let semicolon = delimiter_hint(&header(&["id;текст;outlet"]));
        assert_eq!(
            semicolon,
            "; the header reads as one column holding ';': is the delimiter ';'? \
             set delimiter = \";\" under [corpus]"
        );
        let tab = delimiter_hint(&header(&["id\tтекст"]));
        assert!(
            tab.ends_with("set delimiter = \"\\t\" under [corpus]"),
            "{tab}"
        );
        // The most frequent candidate wins: "a|b|c, d" is pipe-separated.
        let pipe = delimiter_hint(&header(&["a|b|«c, d»"]));
        assert!(
            pipe.ends_with("set delimiter = \"|\" under [corpus]"),
            "{pipe}"
        );
        // Several columns, or one column without a delimiter: nothing to suggest.
        assert_eq!(delimiter_hint(&header(&["id", "text;x"])), "");
        assert_eq!(delimiter_hint(&header(&["текст"])), "");
        assert_eq!(delimiter_hint(&[]), "");
    }

    #[test]
    fn an_empty_file_has_no_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("пусто.csv");
        std::fs::write(&path, "").unwrap();
        let err = CsvFile::open(&path, b',', true, encoding_rs::UTF_8, false)
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            format!(
                "{}:1: the file is empty: a header row naming the columns is expected",
                path.display()
            )
        );
    }
}
