//! The `framelens` binary: exit codes, error messages, init and kwic.

use std::fs;
use std::process::Command;

use crate::util::repo;

fn framelens() -> Command {
    Command::new(env!("CARGO_BIN_EXE_framelens"))
}

#[test]
fn bad_study_key_exits_2_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study.toml");
    fs::write(&study, "[corpus]\npath = \"a.csv\"\ncolumnz = 1\n").unwrap();
    let out = framelens().arg("run").arg(&study).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("study.toml:3:"), "{err}");
    assert!(err.contains("columnz"), "{err}");
    // Nothing was written.
    assert!(!dir.path().join("notebooks-data").exists());
}

#[test]
fn usage_error_exits_2_and_help_exits_0() {
    let out = framelens().arg("run").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = framelens().args(["run", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "--tables",
        "--report",
        "--threads",
        "--quiet",
        "--strict",
        "report.html",
        "manifest.json",
    ] {
        assert!(help.contains(word), "help lacks {word}");
    }
    // Every table a run can write is documented in the help.
    for table in framelens::pipeline::KNOWN_OUTPUTS {
        assert!(help.contains(table), "help lacks the {table} table");
    }
}

#[test]
fn missing_corpus_exits_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study.toml");
    fs::write(&study, "[corpus]\npath = \"nowhere.csv\"\n").unwrap();
    let out = framelens()
        .current_dir(dir.path())
        .arg("run")
        .arg(&study)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nowhere.csv"), "{err}");
}

#[test]
fn init_writes_a_study_that_runs() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("posts.jsonl");
    fs::write(
        &corpus,
        "{\"doc_id\": \"a\", \"body\": \"Talks resumed in Geneva.\", \"source\": \"Ledger\", \"published\": \"2025-01-02\", \"topic\": \"x\"}\n\
         {\"doc_id\": \"b\", \"body\": \"Переговоры возобновились.\", \"source\": \"Берег\", \"published\": \"2025-01-03\", \"topic\": \"y\"}\n",
    )
    .unwrap();
    let study = dir.path().join("study.toml");
    let out = framelens()
        .args(["init", "--corpus"])
        .arg(&corpus)
        .arg("--out")
        .arg(&study)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("id        <- doc_id"), "{said}");
    assert!(said.contains("text      <- body"), "{said}");
    assert!(said.contains("outlet    <- source"), "{said}");
    assert!(said.contains("date      <- published"), "{said}");
    assert!(
        said.contains("carried through as metadata: topic"),
        "{said}"
    );
    // It refuses to overwrite.
    let again = framelens()
        .args(["init", "--corpus"])
        .arg(&corpus)
        .arg("--out")
        .arg(&study)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    // And the study runs.
    let tables = dir.path().join("tables");
    let run = framelens()
        .arg("run")
        .arg(&study)
        .arg("--tables")
        .arg(&tables)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(tables.join("documents.parquet").exists());
}

#[test]
fn kwic_matches_by_stem_with_outlet_and_context() {
    let study = repo().join("examples/demo/study.toml");
    let out = framelens()
        .arg("kwic")
        .arg(&study)
        .args(["deployment", "--window", "3"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{line}");
        assert!(cols[3].to_lowercase().starts_with("deploy"), "{line}");
        assert!(!cols[1].is_empty(), "{line}");
    }
    // Stem matching finds inflected forms that a surface search for the singular does not.
    let surface = framelens()
        .arg("kwic")
        .arg(&study)
        .args(["deployment", "--surface"])
        .output()
        .unwrap();
    let n_surface = String::from_utf8_lossy(&surface.stdout).lines().count();
    assert!(n_surface < lines.len(), "{n_surface} vs {}", lines.len());
}

#[test]
fn strict_turns_a_skip_into_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    let out = framelens()
        .arg("run")
        .arg(repo().join("examples/demo/study.toml"))
        .arg("--tables")
        .arg(&tables)
        .args(["--strict", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // The demo's paywall stub is the one document that would be skipped.
    assert!(err.contains("ev2-monitor-02"), "{err}");
    assert!(err.contains("empty after cleaning"), "{err}");
    let written: Vec<_> = fs::read_dir(&tables)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}
