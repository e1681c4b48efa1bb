//! Regression tests for defects found in review of issues #2 and #3; each names the finding.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::util::{nums, run_study, strs, table};

/// Writes `corpus.csv` (id,text rows), a lexicon `lex.toml` and `study.toml` with `extra`
/// appended; runs the study and returns the tables folder.
fn run_csv(dir: &Path, rows: &[(&str, &str)], lexicon: &str, extra: &str) -> std::path::PathBuf {
    let mut csv = String::from("id,text\n");
    for (id, text) in rows {
        csv.push_str(&format!("{id},\"{text}\"\n"));
    }
    fs::write(dir.join("corpus.csv"), csv).unwrap();
    fs::write(dir.join("lex.toml"), lexicon).unwrap();
    fs::write(
        dir.join("study.toml"),
        format!(
            "[corpus]\npath = \"corpus.csv\"\n[lexicons]\nbuiltin = []\nfiles = [\"lex.toml\"]\n\
             [compare]\nenabled = false\n[cluster]\nenabled = false\n[report]\nenabled = false\n{extra}"
        ),
    )
    .unwrap();
    let tables = dir.join("tables");
    run_study(&dir.join("study.toml"), &tables, None);
    tables
}

const TONE: &str = r#"
[lexicon]
name = "mini-tone"
version = "1.0.0"
languages = ["en"]
license = "MIT OR Apache-2.0"
description = "test"
citation = "test"
match = "surface"
kind = "polar"

[categories.positive]
description = "positive"
polarity = "positive"
entries = ["generous", "excellent*", "self-proclaimed"]

[categories.negative]
description = "negative"
polarity = "negative"
entries = ["awful"]
"#;

fn hits(tables: &Path, doc: &str) -> BTreeMap<String, (f64, f64)> {
    let s = table(tables, "scores");
    strs(&s, "doc_id")
        .into_iter()
        .zip(strs(&s, "category"))
        .zip(nums(&s, "hits").into_iter().zip(nums(&s, "negated_hits")))
        .filter(|((d, _), _)| d.as_deref() == Some(doc))
        .map(|((_, c), h)| (c.unwrap(), h))
        .collect()
}

#[test]
fn review_1_3_imported_lexicon_languages_given_as_names_still_apply() {
    // A header-less word list takes its languages from `import-languages`; "English" must be
    // filed under "en", the code documents are scored under (it used to apply to nothing).
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("list.txt"), "excellent\t3\ngenerous\t2\n").unwrap();
    let tables = run_csv(
        dir.path(),
        &[("a", "An excellent and generous offer.")],
        TONE,
        "",
    );
    assert_eq!(hits(&tables, "a")["positive"], (2.0, 0.0));
    let study = fs::read_to_string(dir.path().join("study.toml"))
        .unwrap()
        .replace(
            "files = [\"lex.toml\"]",
            "files = [\"list.txt\"]\nimport-languages = [\"English\"]",
        );
    fs::write(dir.path().join("study.toml"), study).unwrap();
    let tables = dir.path().join("tables2");
    run_study(&dir.path().join("study.toml"), &tables, None);
    let s = table(&tables, "scores");
    let total: f64 = nums(&s, "hits").iter().sum();
    assert_eq!(total, 2.0);
}

#[test]
fn review_1_4_lowercase_false_keeps_negation_and_wildcards() {
    let dir = tempfile::tempdir().unwrap();
    let tables = run_csv(
        dir.path(),
        &[("a", "Never generous. Excellent work.")],
        TONE,
        "[tokenizer]\nlowercase = false\n",
    );
    // "Never" negates "generous" (flipped to negative); "Excellent" matches excellent*.
    assert_eq!(hits(&tables, "a")["positive"], (1.0, 1.0));
    assert_eq!(hits(&tables, "a")["negative"], (1.0, 0.0));
}

#[test]
fn review_1_5_hyphenated_entries_match_when_hyphens_are_split() {
    let dir = tempfile::tempdir().unwrap();
    let tables = run_csv(
        dir.path(),
        &[("a", "The self-proclaimed mayor spoke.")],
        TONE,
        "[tokenizer]\nsplit-hyphens = true\n",
    );
    assert_eq!(hits(&tables, "a")["positive"], (1.0, 0.0));
}

#[test]
fn review_1_2_a_document_is_never_dropped_for_resembling_a_dropped_one() {
    // A = w0..w99, B = w30..w129, C = w60..w159 (as sets of words, shingle = 1):
    // J(A,B) = J(B,C) = 70/130 = 0.54, J(A,C) = 40/160 = 0.25.
    let words = |from: usize, to: usize| {
        (from..to)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (a, b, c) = (words(0, 100), words(30, 130), words(60, 160));
    let dir = tempfile::tempdir().unwrap();
    let tables = run_csv(
        dir.path(),
        &[("A", &a), ("B", &b), ("C", &c)],
        TONE,
        "[near-duplicates]\nshingle = 1\nnum-hashes = 256\nthreshold = 0.4\ndrop = true\n",
    );
    let documents = table(&tables, "documents");
    let status: Vec<(String, String)> = strs(&documents, "doc_id")
        .into_iter()
        .zip(strs(&documents, "status"))
        .map(|(d, s)| (d.unwrap(), s.unwrap()))
        .collect();
    assert_eq!(
        status,
        vec![
            ("A".to_string(), "kept".to_string()),
            ("B".to_string(), "skipped".to_string()),
            ("C".to_string(), "kept".to_string())
        ]
    );
}

#[test]
fn review_2_3_carried_columns_never_clash() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("corpus.csv"),
        "id,text,meta_status,status\na,\"Some words here.\",x,y\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("study.toml"),
        "[corpus]\npath = \"corpus.csv\"\n[compare]\nenabled = false\n[cluster]\nenabled = false\n[report]\nenabled = false\n",
    )
    .unwrap();
    let tables = dir.path().join("tables");
    run_study(&dir.path().join("study.toml"), &tables, None);
    let documents = table(&tables, "documents");
    assert_eq!(strs(&documents, "status"), vec![Some("kept".to_string())]);
    assert_eq!(strs(&documents, "meta_status"), vec![Some("x".to_string())]);
    assert_eq!(
        strs(&documents, "meta_status_2"),
        vec![Some("y".to_string())]
    );
}
