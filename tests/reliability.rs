//! Crash safety: an interrupted run leaves the previous complete outputs intact, and a rerun
//! succeeds with identical outputs.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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
