//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use framelens::pipeline::{self, RunSummary};
use framelens::study::{RunConfig, Study};
use polars::prelude::*;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, or None (with a message) when it is absent.
pub fn shared(test: &str) -> Option<PathBuf> {
    let p = repo().join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping {test}: ../shared is not present beside the repository");
        None
    }
}

/// The run configuration of a study writing its tables to `tables` and its report to
/// `tables/report`, with the command line `test`, so reports of different runs compare equal.
pub fn run_config(study: &Path, tables: &Path, threads: Option<usize>) -> RunConfig {
    let loaded = Study::load(study).unwrap_or_else(|e| panic!("{e}"));
    RunConfig::new(
        loaded,
        Some(tables.to_path_buf()),
        Some(tables.join("report")),
        threads,
        false,
        vec!["test".into()],
    )
}

/// Runs a study into `tables` with the given thread count.
pub fn run_study(study: &Path, tables: &Path, threads: Option<usize>) -> RunSummary {
    pipeline::run(&run_config(study, tables, threads)).unwrap_or_else(|e| panic!("{e}"))
}

/// Reads `<dir>/<name>.parquet`.
pub fn table(dir: &Path, name: &str) -> DataFrame {
    framelens::tables::read_parquet(&dir.join(format!("{name}.parquet")))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A string column as owned values.
pub fn strs(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .str()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

/// A numeric column as f64 values (nulls as NaN).
pub fn nums(df: &DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .cast(&DataType::Float64)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .f64()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .into_iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect()
}

/// The table as CSV text (for snapshots: stable and readable).
pub fn csv(df: &mut DataFrame) -> String {
    let df = &mut framelens::tables::dates_as_text(df).unwrap();
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(df)
        .unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(buf).expect("utf-8 csv")
}
