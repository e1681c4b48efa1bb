//! Crash safety: an interrupted run leaves the previous complete outputs intact, a rerun succeeds
//! with identical outputs, and a crash inside the commit itself is finished by the next run.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use framelens::pipeline;
use framelens::study::{RunConfig, Study};

/// A generated corpus large enough that a run takes a moment.
fn write_corpus(dir: &Path, n: usize) {
    let words = [
        "ministry",
        "said",
        "missile",
        "deployment",
        "talks",
        "forced",
        "to",
        "respond",
        "port",
        "strike",
        "grain",
        "prices",
        "alliance",
        "summit",
        "reportedly",
        "claimed",
        "security",
        "guarantees",
        "border",
        "officials",
        "негативный",
        "переговоры",
        "угроза",
        "ответ",
    ];
    let mut csv = String::from("id,outlet,text\n");
    let mut state = 7u64;
    for i in 0..n {
        let mut text = String::new();
        for j in 0..120 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(words[(state >> 33) as usize % words.len()]);
            text.push(if j % 15 == 14 { '.' } else { ' ' });
        }
        csv.push_str(&format!("d{i},outlet{},\"{text}\"\n", i % 7));
    }
    fs::write(dir.join("corpus.csv"), csv).unwrap();
    fs::write(
        dir.join("study.toml"),
        // The test is about staging: the analysis stages are off to keep a debug build quick.
        "[corpus]\npath = \"corpus.csv\"\n[corpus.columns]\noutlet = \"outlet\"\n[output]\nbatch-size = 200\n\
         [compare]\nenabled = false\n[cluster]\nenabled = false\n[report]\nenabled = false\n",
    )
    .unwrap();
}

fn visible_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_name() != "manifest.json")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn run(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_framelens"));
    c.arg("run")
        .arg(dir.join("study.toml"))
        .arg("--tables")
        .arg(dir.join("tables"))
        .arg("--quiet");
    c
}

#[test]
fn kill_9_mid_run_keeps_previous_outputs_and_a_rerun_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 2500);
    let tables = dir.path().join("tables");
    assert!(run(dir.path()).status().unwrap().success());
    let before = visible_files(&tables);
    assert!(before.iter().any(|(n, _)| n == "documents.parquet"));

    // Start again and kill -9 once the run has begun writing its staged tables.
    let mut child = run(dir.path()).spawn().unwrap();
    let started = Instant::now();
    let staged = tables.join(".scores.parquet.tmp");
    loop {
        if staged.exists() {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staged table appeared"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run finished before the kill: make the corpus larger"
    );
    child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs
    child.wait().unwrap();
    assert_eq!(
        visible_files(&tables),
        before,
        "a killed run changed the outputs"
    );

    // The rerun succeeds (over the stale temporary files) and writes the same tables.
    assert!(run(dir.path()).status().unwrap().success());
    assert_eq!(visible_files(&tables), before);
    let leftovers: Vec<_> = fs::read_dir(&tables)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------------------------------------
// A crash inside the commit (issue #8)

/// Every file of `dir` and its subfolders that a reader sees (hidden staging files and the
/// journal left out), by relative path; `manifest.json` without its `run` section, the only part
/// that differs between two runs of the same study.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mut bytes = fs::read(&path).unwrap();
            if name == "manifest.json" {
                let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                manifest.as_object_mut().unwrap().remove("run");
                bytes = manifest.to_string().into_bytes();
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, bytes);
        }
    }
    out
}

/// A study over `n` generated documents with the report on (comparisons off, and clustering
/// off unless `cluster` sets it), run in-process into `out/tables` and `out/report`.
fn run_lib(corpus: &Path, n: usize, out: &Path, cluster: &str) -> Result<(), framelens::Error> {
    write_corpus(corpus, n);
    let study = corpus.join("study.toml");
    let text = fs::read_to_string(&study)
        .unwrap()
        .replace("[report]\nenabled = false\n", "[report]\npng = false\n")
        .replace("[cluster]\nenabled = false\n", cluster);
    fs::write(&study, text).unwrap();
    let loaded = Study::load(&study).unwrap_or_else(|e| panic!("{e}"));
    let config = RunConfig::new(
        loaded,
        Some(out.join("tables")),
        Some(out.join("report")),
        Some(2),
        false,
        vec!["framelens".into(), "run".into()],
    );
    pipeline::run(&config).map(|_| ())
}

const NO_CLUSTERS: &str = "[cluster]\nenabled = false\n";

/// A crash between two renames of the commit used to leave a mix of two runs. Now the journal
/// is replayed before anything else: the next run, even one that fails, leaves run B's complete
/// outputs, for the tables and for the report folder.
#[test]
fn a_crash_between_renames_is_rolled_forward_by_the_next_run() {
    let corpus = tempfile::tempdir().unwrap();
    // Run B's outputs from an uninterrupted run, for reference.
    let reference = tempfile::tempdir().unwrap();
    run_lib(corpus.path(), 90, reference.path(), NO_CLUSTERS).unwrap();
    let b_tables = outputs(&reference.path().join("tables"));
    let b_report = outputs(&reference.path().join("report"));
    assert!(
        b_report.contains_key("report.html"),
        "{:?}",
        b_report.keys()
    );
    assert!(b_report.keys().any(|k| k.starts_with("figures/")));

    for folder in ["tables", "report"] {
        let out = tempfile::tempdir().unwrap();
        run_lib(corpus.path(), 60, out.path(), NO_CLUSTERS).unwrap();
        let a_report = outputs(&out.path().join("report"));
        let a = outputs(&out.path().join(folder));
        let b = if folder == "tables" {
            &b_tables
        } else {
            &b_report
        };
        assert_ne!(&a, b);

        // Run B dies after the first rename of `folder`'s commit.
        framelens::tables::commit::inject_crash(&out.path().join(folder), 1);
        let err = run_lib(corpus.path(), 90, out.path(), NO_CLUSTERS).unwrap_err();
        assert!(err.to_string().contains("injected crash"), "{err}");
        let mixed = outputs(&out.path().join(folder));
        assert!(
            &mixed != b && mixed != a,
            "{folder}: the crash left one run's set"
        );

        // The next run fails (k larger than the corpus) after staging its tables, yet the
        // folder now holds run B's outputs and nothing else. (Run B died in its tables commit,
        // before drawing its report, so then the report folder still holds run A's report.)
        let report = if folder == "tables" {
            &a_report
        } else {
            &b_report
        };
        let err = run_lib(
            corpus.path(),
            90,
            out.path(),
            "[cluster]\nenabled = true\nk = 500\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("500"), "{err}");
        for (name, expected) in [("tables", &b_tables), ("report", report)] {
            let found = outputs(&out.path().join(name));
            let differ: std::collections::BTreeSet<&String> = expected
                .keys()
                .chain(found.keys())
                .filter(|k| found.get(*k) != expected.get(*k))
                .collect();
            assert!(
                differ.is_empty(),
                "crash in {folder}: {name} differs in {differ:?}"
            );
        }
        assert!(!out.path().join(folder).join(".framelens-commit").exists());
    }
}
