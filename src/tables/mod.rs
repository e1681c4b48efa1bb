//! Writing tables: Parquet (and CSV on request), staged so a run never leaves half-written output.
//!
//! Every table of a run is first written under a hidden temporary name in its output folder
//! (`.documents.parquet.tmp`). Only when the whole run has succeeded does [`OutputDir::commit`]
//! install them, as one set: it writes a journal of the renames, then renames each file into
//! place (a rename within one folder is atomic on POSIX file systems), and a crash part-way is
//! finished by whoever opens the folder next ([`commit`] explains the journal and the recovery).
//! So a reader sees either the previous complete set of tables or the new one, never a mix. If
//! the run fails or is killed before the commit, the temporary files are removed (on drop) or
//! left hidden and replaced by the next run; the previous outputs stay intact.
//!
//! Large tables are written in row groups through [`TableWriter`], so they never have to be held
//! in memory whole.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use polars::prelude::*;

pub mod commit;

pub use commit::recover;

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
    /// `(staged, final)` paths relative to `dir`, `/`-separated.
    staged: Vec<(String, String)>,
    /// Files (relative to `dir`) to remove at commit unless this run wrote them.
    stale: Vec<String>,
}

impl OutputDir {
    /// Creates the folder if needed and finishes a commit a crash interrupted there
    /// ([`recover`]). With `csv`, every table is also written as CSV.
    pub fn create(dir: &Path, csv: bool) -> Result<OutputDir, TableError> {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
        recover(dir)?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            csv,
            staged: Vec::new(),
            stale: Vec::new(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages a file at `file_name` (relative to the folder; `figures/map.svg` stages in the
    /// subfolder, which is created) and returns the temporary path to write it to.
    pub fn stage(&mut self, file_name: &str) -> PathBuf {
        let (folder, name) = match file_name.rsplit_once('/') {
            Some((folder, name)) => (format!("{folder}/"), name),
            None => (String::new(), file_name),
        };
        let tmp = format!("{folder}.{name}.tmp");
        if !folder.is_empty() {
            // A failure shows when the staged file is created, with its path.
            let _ = fs::create_dir_all(self.dir.join(&folder));
        }
        self.staged.push((tmp.clone(), file_name.to_string()));
        self.dir.join(tmp)
    }

    /// Removes `file_name` (relative to the folder) at commit, as part of the same set, unless
    /// this run staged it: an output of an earlier run that this run did not produce.
    pub fn remove_stale(&mut self, file_name: &str) {
        self.stale.push(file_name.to_string());
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
    /// tables in `known` and the files given to [`OutputDir::remove_stale`] that this run did
    /// not write (left by an earlier run whose stages differed), so the folder holds the outputs
    /// of one run only. All of it is one journaled commit (see [`commit`]). Returns the files
    /// written.
    pub fn commit(mut self, known: &[&str]) -> Result<Vec<PathBuf>, TableError> {
        let renames = std::mem::take(&mut self.staged);
        let written: Vec<&str> = renames.iter().map(|(_, dest)| dest.as_str()).collect();
        let mut remove: Vec<String> = Vec::new();
        let candidates = known
            .iter()
            .flat_map(|name| ["parquet", "csv"].map(|ext| format!("{name}.{ext}")))
            .chain(std::mem::take(&mut self.stale));
        for name in candidates {
            if !written.contains(&name.as_str())
                && !remove.contains(&name)
                && self.dir.join(&name).is_file()
            {
                remove.push(name);
            }
        }
        let journal = commit::Journal {
            version: 1,
            renames,
            remove,
        };
        commit::commit(&self.dir, &journal)?;
        Ok(journal
            .renames
            .iter()
            .map(|(_, dest)| self.dir.join(dest))
            .collect())
    }
}

impl Drop for OutputDir {
    /// A run that did not commit removes its temporary files.
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = fs::remove_file(self.dir.join(tmp));
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

/// Reads a Parquet table (used by tests and by commands that work from a run's tables), after
/// finishing a commit a crash interrupted in its folder ([`recover`]).
pub fn read_parquet(path: &Path) -> Result<DataFrame, TableError> {
    if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
        recover(dir)?;
    }
    let file = File::open(path).map_err(io_err(path))?;
    ParquetReader::new(file)
        .finish()
        .map_err(polars_err(&path.display().to_string()))
}

/// [`read_parquet`] for only the named columns that the table has (a missing one is left for
/// the caller to report, as with [`read_parquet`]): a reader that needs a few columns of a long
/// table (the report and `scores`) does not hold the others in memory.
pub fn read_parquet_columns(path: &Path, wanted: &[&str]) -> Result<DataFrame, TableError> {
    if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
        recover(dir)?;
    }
    let name = path.display().to_string();
    let err = polars_err(&name);
    let file = File::open(path).map_err(io_err(path))?;
    let mut reader = ParquetReader::new(file);
    let schema = reader.schema().map_err(err)?;
    let present: Vec<String> = wanted
        .iter()
        .filter(|name| schema.contains(name))
        .map(|name| name.to_string())
        .collect();
    reader.with_columns(Some(present)).finish().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_some_columns() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::create(dir.path(), true).unwrap();
        let mut df = df!("doc_id" => ["a", "б"], "n" => [1u32, 2], "x" => [0.5, 1.5]).unwrap();
        out.write("documents", &mut df).unwrap();
        out.commit(&["documents"]).unwrap();
        let path = dir.path().join("documents.parquet");
        let some = read_parquet_columns(&path, &["x", "missing", "doc_id"]).unwrap();
        assert_eq!(some.width(), 2);
        assert_eq!(some.column("x").unwrap(), df.column("x").unwrap());
        assert_eq!(some.column("doc_id").unwrap(), df.column("doc_id").unwrap());
        assert!(some.column("n").is_err());
    }

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

    /// Every file in `dir` and its subfolders (hidden ones included), with its content.
    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.push((rel, fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    /// Run "A" writes documents, terms and clusters; run "B" writes documents and terms only
    /// (clusters is stale), plus a file in a subfolder.
    fn stage_run(dir: &Path, run: &str) -> OutputDir {
        let mut out = OutputDir::create(dir, false).unwrap();
        for name in ["documents", "terms"] {
            fs::write(
                out.stage(&format!("{name}.parquet")),
                format!("{run} {name}"),
            )
            .unwrap();
        }
        fs::write(out.stage("figures/map.svg"), format!("{run} map")).unwrap();
        if run == "A" {
            fs::write(out.stage("clusters.parquet"), "A clusters").unwrap();
        }
        out
    }

    const KNOWN: [&str; 3] = ["documents", "terms", "clusters"];

    /// Issue #8: a crash between two renames of a commit mixed two runs' tables. With the
    /// journal, whatever opens the folder next finishes the commit: for a crash after any number
    /// of renames, the folder then holds exactly run B's set.
    #[test]
    fn a_commit_interrupted_after_any_rename_is_rolled_forward() {
        let reference = tempfile::tempdir().unwrap();
        stage_run(reference.path(), "A").commit(&KNOWN).unwrap();
        stage_run(reference.path(), "B").commit(&KNOWN).unwrap();
        let expected = files(reference.path());
        assert_eq!(
            expected.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["documents.parquet", "figures/map.svg", "terms.parquet"]
        );

        for crash_after in 0..=3 {
            let dir = tempfile::tempdir().unwrap();
            stage_run(dir.path(), "A").commit(&KNOWN).unwrap();
            let before = files(dir.path());
            commit::inject_crash(dir.path(), crash_after);
            let err = stage_run(dir.path(), "B").commit(&KNOWN).unwrap_err();
            assert!(err.to_string().contains("injected crash"), "{err}");
            // The hazard is real: after one rename, B's documents sit next to A's terms.
            let visible: Vec<_> = files(dir.path())
                .into_iter()
                .filter(|(n, _)| !n.starts_with('.') && !n.contains("/."))
                .collect();
            if crash_after == 1 {
                assert!(visible.contains(&("documents.parquet".into(), b"B documents".to_vec())));
                assert!(visible.contains(&("terms.parquet".into(), b"A terms".to_vec())));
            }
            if crash_after == 0 {
                assert_eq!(visible, before);
            }
            assert!(dir.path().join(commit::JOURNAL).exists());

            // The next run's OutputDir (or any read) finishes the commit before anything else.
            let next = OutputDir::create(dir.path(), false).unwrap();
            drop(next);
            assert_eq!(
                files(dir.path()),
                expected,
                "crash after {crash_after} renames"
            );
            // Replaying is idempotent: there is nothing left to do.
            assert!(!recover(dir.path()).unwrap());
        }
    }

    #[test]
    fn reading_a_table_finishes_an_interrupted_commit_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputDir::create(dir.path(), false).unwrap();
        out.write("documents", &mut sample()).unwrap();
        out.write("terms", &mut sample()).unwrap();
        out.commit(&[]).unwrap();
        let mut out = OutputDir::create(dir.path(), false).unwrap();
        let mut other = df!("doc_id" => ["z"], "n" => [9u32]).unwrap();
        out.write("documents", &mut other).unwrap();
        out.write("terms", &mut other).unwrap();
        commit::inject_crash(dir.path(), 1);
        out.commit(&[]).unwrap_err();
        // terms.parquet is still the old table on disk; reading it replays the journal first.
        let terms = read_parquet(&dir.path().join("terms.parquet")).unwrap();
        assert!(terms.equals(&other));
        assert!(!dir.path().join(commit::JOURNAL).exists());
    }

    #[test]
    fn a_crash_before_the_journal_is_complete_keeps_the_previous_set() {
        let dir = tempfile::tempdir().unwrap();
        stage_run(dir.path(), "A").commit(&KNOWN).unwrap();
        let before = files(dir.path());
        // Run B staged its files and died while writing the journal: nothing was renamed.
        let out = stage_run(dir.path(), "B");
        std::mem::forget(out);
        fs::write(
            dir.path().join(".framelens-commit.tmp"),
            "{\"version\": 1, \"ren",
        )
        .unwrap();
        let out = OutputDir::create(dir.path(), false).unwrap();
        drop(out);
        let visible: Vec<_> = files(dir.path())
            .into_iter()
            .filter(|(n, _)| !n.ends_with(".tmp"))
            .collect();
        assert_eq!(visible, before);
        assert!(!dir.path().join(".framelens-commit.tmp").exists());
    }

    #[test]
    fn an_unreadable_journal_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(commit::JOURNAL), "not json").unwrap();
        let err = OutputDir::create(dir.path(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains(".framelens-commit"), "{err}");
        assert!(err.contains("unreadable commit journal"), "{err}");
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
