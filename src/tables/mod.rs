//! Writing tables: Parquet (and CSV on request), staged so a run never leaves half-written output.
//!
//! Every table of a run is first written under a hidden temporary name in its output folder
//! (`.documents.parquet.tmp`). Only when the whole run has succeeded does [`OutputDir::commit`]
//! rename each file into place; a rename within one folder is atomic on POSIX file systems, so a
//! reader sees either the previous complete table or the new one. If the run fails or is killed,
//! the temporary files are removed (on drop) or left hidden and replaced by the next run; the
//! previous outputs stay intact.
//!
//! Large tables are written in row groups through [`TableWriter`], so they never have to be held
//! in memory whole.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use polars::prelude::*;

/// Errors while writing tables.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// A file or folder could not be created, written or renamed.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// polars failed to build or write a table.
    #[error("table {table}: {source}")]
    Polars {
        /// The table's name.
        table: String,
        /// The underlying error.
        source: PolarsError,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> TableError + '_ {
    move |source| TableError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Wraps a polars error with the name of the table it happened in.
pub fn polars_err(table: &str) -> impl Fn(PolarsError) -> TableError + Copy + '_ {
    move |source| TableError::Polars {
        table: table.to_string(),
        source,
    }
}

/// One output folder whose files are committed together.
#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    csv: bool,
    staged: Vec<(PathBuf, PathBuf)>,
}

impl OutputDir {
    /// Creates the folder if needed. With `csv`, every table is also written as CSV.
    pub fn create(dir: &Path, csv: bool) -> Result<OutputDir, TableError> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            csv,
            staged: Vec::new(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages a file named `file_name` and returns the temporary path to write it to.
    pub fn stage(&mut self, file_name: &str) -> PathBuf {
        let tmp = self.dir.join(format!(".{file_name}.tmp"));
        self.staged.push((tmp.clone(), self.dir.join(file_name)));
        tmp
    }

    /// Writes a whole table as `<name>.parquet` (and `<name>.csv`).
    pub fn write(&mut self, name: &str, df: &mut DataFrame) -> Result<(), TableError> {
        let mut w = self.writer(name, df.schema())?;
        w.write(df)?;
        w.finish()
    }

    /// Opens a table for writing in batches (one Parquet row group per batch).
    pub fn writer(&mut self, name: &str, schema: &Schema) -> Result<TableWriter, TableError> {
        let parquet_path = self.stage(&format!("{name}.parquet"));
        let file = File::create(&parquet_path).map_err(io_err(&parquet_path))?;
        let polars_err = polars_err(name);
        let parquet = ParquetWriter::new(BufWriter::new(file))
            .with_compression(ParquetCompression::Zstd(None))
            .set_parallel(false)
            .batched(schema)
            .map_err(polars_err)?;
        let csv = if self.csv {
            let csv_path = self.stage(&format!("{name}.csv"));
            let file = File::create(&csv_path).map_err(io_err(&csv_path))?;
            let text_schema: Schema = schema
                .iter()
                .map(|(n, dt)| {
                    let dt = if *dt == DataType::Date {
                        DataType::String
                    } else {
                        dt.clone()
                    };
                    Field::new(n.clone(), dt)
                })
                .collect();
            Some(
                CsvWriter::new(BufWriter::new(file))
                    .include_header(true)
                    .batched(&text_schema)
                    .map_err(polars_err)?,
            )
        } else {
            None
        };
        Ok(TableWriter {
            name: name.to_string(),
            parquet,
            csv,
        })
    }

    /// Renames every staged file into place, then removes the `.parquet`/`.csv` files of the
    /// tables in `known` that this run did not write (left by an earlier run whose stages
    /// differed), so the folder holds the outputs of one run only.
    pub fn commit(mut self, known: &[&str]) -> Result<Vec<PathBuf>, TableError> {
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::with_capacity(staged.len());
        for (tmp, dest) in staged {
            fs::rename(&tmp, &dest).map_err(io_err(&dest))?;
            written.push(dest);
        }
        for name in known {
            for ext in ["parquet", "csv"] {
                let path = self.dir.join(format!("{name}.{ext}"));
                if !written.contains(&path) && path.exists() {
                    fs::remove_file(&path).map_err(io_err(&path))?;
                }
            }
        }
        Ok(written)
    }
}

impl Drop for OutputDir {
    /// A run that did not commit removes its temporary files.
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// A table being written batch by batch.
pub struct TableWriter {
    name: String,
    parquet: polars::io::parquet::write::BatchedWriter<BufWriter<File>>,
    csv: Option<polars::io::csv::write::BatchedWriter<BufWriter<File>>>,
}

impl TableWriter {
    /// Appends a batch of rows.
    pub fn write(&mut self, df: &DataFrame) -> Result<(), TableError> {
        let polars_err = polars_err(&self.name);
        self.parquet.write_batch(df).map_err(polars_err)?;
        if let Some(csv) = &mut self.csv {
            csv.write_batch(&dates_as_text(df).map_err(polars_err)?)
                .map_err(polars_err)?;
        }
        Ok(())
    }

    /// Writes the file footers.
    pub fn finish(mut self) -> Result<(), TableError> {
        let polars_err = polars_err(&self.name);
        self.parquet.finish().map_err(polars_err)?;
        if let Some(csv) = &mut self.csv {
            csv.finish().map_err(polars_err)?;
        }
        Ok(())
    }
}

/// Replaces Date columns by ISO 8601 strings (`2025-03-11`) for CSV output.
///
/// polars' CSV writer formats dates only with its `dtype-date` feature, which in polars 0.52
/// needs `timezones` (and chrono-tz) to compile together with `lazy`; formatting the days since
/// the epoch here keeps the build lean. Parquet keeps the real Date type.
pub fn dates_as_text(df: &DataFrame) -> PolarsResult<DataFrame> {
    if !df.dtypes().contains(&DataType::Date) {
        return Ok(df.clone());
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let columns = df
        .get_columns()
        .iter()
        .map(|c| {
            if c.dtype() != &DataType::Date {
                return Ok(c.clone());
            }
            let days = c.to_physical_repr();
            let text: Vec<Option<String>> = days
                .i32()?
                .into_iter()
                .map(|d| {
                    d.and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d.into())))
                        .map(|d| d.format("%Y-%m-%d").to_string())
                })
                .collect();
            Ok(Column::new(c.name().clone(), text))
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(columns)
}

/// Reads a Parquet table (used by tests and by commands that work from a run's tables).
pub fn read_parquet(path: &Path) -> Result<DataFrame, TableError> {
    let file = File::open(path).map_err(io_err(path))?;
    ParquetReader::new(file)
        .finish()
        .map_err(polars_err(&path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DataFrame {
        df!("doc_id" => ["a", "б"], "n" => [1u32, 2]).unwrap()
    }

    #[test]
    fn nothing_is_visible_before_commit_and_everything_after() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::create(dir.path(), true).unwrap();
        out.write("documents", &mut sample()).unwrap();
        assert!(!dir.path().join("documents.parquet").exists());
        let written = out.commit(&[]).unwrap();
        assert_eq!(written.len(), 2);
        let back = read_parquet(&dir.path().join("documents.parquet")).unwrap();
        assert!(back.equals(&sample()));
        let csv = fs::read_to_string(dir.path().join("documents.csv")).unwrap();
        assert_eq!(csv, "doc_id,n\na,1\nб,2\n");
    }

    #[test]
    fn commit_removes_known_tables_this_run_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::create(dir.path(), false).unwrap();
        out.write("documents", &mut sample()).unwrap();
        out.write("clusters", &mut sample()).unwrap();
        out.commit(&["documents", "clusters"]).unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let mut out = OutputDir::create(dir.path(), false).unwrap();
        out.write("documents", &mut sample()).unwrap();
        out.commit(&["documents", "clusters"]).unwrap();
        assert!(!dir.path().join("clusters.parquet").exists());
        assert!(dir.path().join("documents.parquet").exists());
        // Files framelens does not know are never touched.
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn csv_dates_are_iso_strings() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::create(dir.path(), true).unwrap();
        let days = Column::new("date".into(), [Some(20158i32), None])
            .cast(&DataType::Date)
            .unwrap();
        let mut df = DataFrame::new(vec![days]).unwrap();
        out.write("dates", &mut df).unwrap();
        out.commit(&[]).unwrap();
        let csv = fs::read_to_string(dir.path().join("dates.csv")).unwrap();
        // 20158 days after 1970-01-01 (hand-checked: 2025-03-11 is day 20158).
        assert_eq!(csv, "date\n2025-03-11\n\n");
        let back = read_parquet(&dir.path().join("dates.parquet")).unwrap();
        assert_eq!(back.column("date").unwrap().dtype(), &DataType::Date);
    }

    #[test]
    fn an_abandoned_run_keeps_the_previous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::create(dir.path(), false).unwrap();
        out.write("documents", &mut sample()).unwrap();
        out.commit(&[]).unwrap();
        {
            let mut out = OutputDir::create(dir.path(), false).unwrap();
            let mut other = df!("doc_id" => ["z"], "n" => [9u32]).unwrap();
            out.write("documents", &mut other).unwrap();
            // dropped without commit, as when a later stage fails
        }
        let back = read_parquet(&dir.path().join("documents.parquet")).unwrap();
        assert!(back.equals(&sample()));
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("documents.parquet")]);
    }
}
