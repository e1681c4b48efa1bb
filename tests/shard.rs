//! Sharded runs (issue #7): `run --shard K/N` on every shard followed by `merge` writes exactly
//! the files a single run writes, and a merge of an incomplete or mixed set of shards fails
//! with exit code 2 before writing anything.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use framelens::pipeline::{self, RunSummary};
use framelens::shard::ShardSpec;

use crate::util::{repo, run_config, run_study, strs, table};

/// Runs shards 1..=n (each with `threads`) into `<tables>/shards/` and merges them.
fn run_sharded(study: &Path, tables: &Path, n: u32, threads: Option<usize>) -> RunSummary {
    for k in 1..=n {
        let spec = ShardSpec::new(k, n).unwrap();
        let c = run_config(study, tables, threads);
        let summary = pipeline::run_shard(&c, spec, &spec.default_dir(tables))
            .unwrap_or_else(|e| panic!("shard {spec}: {e}"));
        assert_eq!(summary.records, spec.records_of(summary.records_total));
    }
    pipeline::merge(&run_config(study, tables, threads), None).unwrap_or_else(|e| panic!("{e}"))
}

/// Every file under `dir` except the shard folders, by relative path, with its bytes. The
/// manifests (the tables' and the report's copy) are left out: they are compared without their
/// `run` section by [`manifest_without_run`].
fn outputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            if path.is_dir() {
                if rel != Path::new("shards") {
                    walk(base, &path, out);
                }
            } else if path.file_name().unwrap() != "manifest.json" {
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn manifest_without_run(path: &Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("run");
    v
}

/// Asserts that two output folders hold byte-identical files and equal manifests apart from
/// their `run` sections.
fn assert_same_outputs(single: &Path, merged: &Path) {
    let a = outputs(single);
    let b = outputs(merged);
    let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "different files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs", path.display());
    }
    assert_eq!(
        manifest_without_run(&single.join("manifest.json")),
        manifest_without_run(&merged.join("manifest.json"))
    );
}

#[test]
fn demo_three_shards_merged_equal_the_single_run_byte_for_byte() {
    let study = repo().join("examples/demo/study.toml");
    let single = tempfile::tempdir().unwrap();
    let merged = tempfile::tempdir().unwrap();
    let s = run_study(&study, single.path(), Some(1));
    // Shards and merge on two threads against a single run on one: nothing depends on either.
    let m = run_sharded(&study, merged.path(), 3, Some(2));
    assert_eq!(
        (m.records, m.kept, m.near_duplicates),
        (s.records, s.kept, s.near_duplicates)
    );
    assert_eq!(m.skipped, s.skipped);
    // The demo exercises every stage: a skipped document, a near-duplicate, compare, cluster
    // and the report (so the comparison below covers their files too).
    assert_eq!(s.skipped.values().map(|k| k.documents).sum::<usize>(), 1);
    assert_eq!(s.near_duplicates, 1);
    let files = outputs(single.path());
    for f in [
        "documents.parquet",
        "comparisons.parquet",
        "keyness.parquet",
        "clusters.parquet",
        "pca.parquet",
        "report/report.html",
        "report/report.md",
    ] {
        assert!(files.iter().any(|(p, _)| p == Path::new(f)), "{f} missing");
    }
    assert_same_outputs(single.path(), merged.path());
    // The merged manifest records the shards in its run section.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(merged.path().join("manifest.json")).unwrap())
            .unwrap();
    let shards = manifest.pointer("/run/shards").unwrap().as_array().unwrap();
    let records: Vec<u64> = shards
        .iter()
        .map(|s| s["records"].as_u64().unwrap())
        .collect();
    assert_eq!(records, vec![10, 9, 9]);
    let single_manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(single.path().join("manifest.json")).unwrap())
            .unwrap();
    assert!(single_manifest.pointer("/run/shards").is_none());
    // Peak memory, for sizing cluster jobs: of the merge and of each shard (Linux only).
    if cfg!(target_os = "linux") {
        let mb = |v: &serde_json::Value| v["peak_rss_mb"].as_f64().unwrap();
        assert!(mb(&manifest["run"]) > 0.0);
        assert!(mb(&single_manifest["run"]) > 0.0);
        assert!(shards.iter().all(|s| mb(s) > 0.0), "{shards:?}");
    }
}

/// A JSONL corpus whose near-duplicates straddle shards (with N = 3, record i is in shard
/// i mod 3 + 1), with records skipped for three different reasons, a carried metadata column
/// present on some records only, English and Russian.
const CORPUS: &[&str] = &[
    // 0 (shard 1): the original
    r#"{"id": "a1", "text": "The ministry announced the deployment of new missile systems near the northern border on Tuesday, saying the forces were moved in response to threats from the alliance.", "outlet": "meridian", "group": "state", "event": "e1", "date": "2025-03-11", "section": "world"}"#,
    // 1 (shard 2): a rewrite of a1, dropped as its near-duplicate
    r#"{"id": "a2", "text": "The ministry announced the deployment of new missile systems near the northern border on Wednesday, saying the forces were moved in response to threats from the alliance.", "outlet": "northwind", "group": "state", "event": "e1", "date": "2025-03-12"}"#,
    // 2 (shard 3)
    r#"{"id": "b1", "text": "Independent observers said the deployment was not a response to any threat and warned that the decision would escalate tensions. Critics called it a “defensive” move in scare quotes.", "outlet": "ledger", "group": "independent", "event": "e1", "date": "2025-03-11", "section": "analysis"}"#,
    // 3 (shard 1): skipped, empty
    r#"{"id": "empty", "text": "   ", "outlet": "ledger", "group": "independent", "event": "e1", "date": "2025-03-11"}"#,
    // 4 (shard 2): skipped, unknown language
    r#"{"id": "xx", "text": "Some words in no known language.", "outlet": "ledger", "group": "independent", "event": "e1", "date": "2025-03-11", "lang": "xx"}"#,
    // 5 (shard 3): same text as a2, which was dropped: compared with kept documents only
    r#"{"id": "a3", "text": "The ministry announced the deployment of new missile systems near the northern border on Wednesday, saying the forces were moved in response to threats from the alliance.", "outlet": "meridian", "group": "state", "event": "e1", "date": "2025-03-13"}"#,
    // 6 (shard 1)
    r#"{"id": "c1", "text": "Grain exports through the southern port resumed after insurers cut their prices. Traders welcomed the good news, though shipping remained slow.", "outlet": "northwind", "group": "state", "event": "e2", "date": "2025-04-02", "section": "economy"}"#,
    // 7 (shard 2): Russian
    r#"{"id": "c2", "text": "Экспорт зерна через южный порт возобновился после того, как страховщики снизили цены. Трейдеры приветствовали хорошие новости.", "outlet": "bereg", "group": "independent", "event": "e2", "date": "2025-04-03", "lang": "ru"}"#,
    // 8 (shard 3): skipped, bad date
    r#"{"id": "baddate", "text": "Shipping insurers raised prices again.", "outlet": "ledger", "group": "independent", "event": "e2", "date": "2025-13-45"}"#,
    // 9 (shard 1): a near-copy of b1 in another shard
    r#"{"id": "b2", "text": "Independent observers said the deployment was not a response to any threat and warned that the decision would escalate tensions. Critics called it a “defensive” move in quotes.", "outlet": "bereg", "group": "independent", "event": "e1", "date": "2025-03-12"}"#,
    // 10 (shard 2)
    r#"{"id": "c3", "text": "The port strike ended and grain ships left the harbour. Officials denied that the strike was linked to the sanctions, and prices fell sharply.", "outlet": "ledger", "group": "independent", "event": "e2", "date": "2025-04-04"}"#,
];

/// Writes the corpus and a study into `dir`; `analysis` holds the `[compare]` and `[cluster]`
/// tables of the study.
fn fixture(dir: &Path, analysis: &str) -> PathBuf {
    fs::write(dir.join("posts.jsonl"), CORPUS.join("\n") + "\n").unwrap();
    let study = dir.join("study.toml");
    fs::write(
        &study,
        format!(
            "name = \"fixture\"\n\
             [corpus]\npath = \"posts.jsonl\"\n\
             [corpus.columns]\nid = \"id\"\ntext = \"text\"\noutlet = \"outlet\"\ngroup = \"group\"\n\
             event = \"event\"\ndate = \"date\"\nlanguage = \"lang\"\n\
             [features]\nbigrams = true\n\
             [near-duplicates]\nthreshold = 0.5\ndrop = true\n\
             [lexicons]\nbuiltin = [\"all\"]\n\
             [report]\nenabled = false\n\
             [output]\ncsv = true\nbatch-size = 2\n{analysis}"
        ),
    )
    .unwrap();
    study
}

/// Comparisons on, and clustering with a fixed k (the corpus is too small to choose one).
const ANALYSIS: &str = "[cluster]\nk = 2\n";

#[test]
fn near_duplicates_across_shards_and_skipped_records_merge_as_in_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let study = fixture(dir.path(), ANALYSIS);
    let single = dir.path().join("single");
    let merged = dir.path().join("merged");
    run_study(&study, &single, Some(2));
    // batch-size = 2: each shard writes several chunks, some holding only skipped records.
    run_sharded(&study, &merged, 3, Some(1));
    assert_same_outputs(&single, &merged);
    // CSV copies were compared too.
    assert!(merged.join("documents.csv").exists());

    // What the merge decided across shards, read from the merged table.
    let docs = table(&merged, "documents");
    let ids = strs(&docs, "doc_id");
    let reason = |id: &str| {
        let i = ids.iter().position(|d| d.as_deref() == Some(id)).unwrap();
        strs(&docs, "skip_reason")[i].clone()
    };
    let dup_of = |id: &str| {
        let i = ids.iter().position(|d| d.as_deref() == Some(id)).unwrap();
        strs(&docs, "near_duplicate_of")[i].clone()
    };
    // Every record once, in input order.
    assert_eq!(
        ids.iter()
            .map(|d| d.as_deref().unwrap_or("?"))
            .collect::<Vec<_>>(),
        vec!["a1", "a2", "b1", "empty", "xx", "a3", "c1", "c2", "baddate", "b2", "c3"]
    );
    // a2 (shard 2) duplicates a1 (shard 1); a3 (shard 3) is compared with kept documents only,
    // so it too is a duplicate of a1, not of the dropped a2; b2 (shard 1) duplicates b1 (shard 3).
    assert_eq!(dup_of("a2").as_deref(), Some("a1"));
    assert_eq!(dup_of("a3").as_deref(), Some("a1"));
    assert_eq!(dup_of("b2").as_deref(), Some("b1"));
    assert!(reason("a2").unwrap().starts_with("near-duplicate of a1"));
    assert!(reason("b2").unwrap().starts_with("near-duplicate of b1"));
    // The per-document skips of three shards survive with their reasons.
    assert!(
        reason("empty").unwrap().contains("empty"),
        "{:?}",
        reason("empty")
    );
    assert!(reason("xx").unwrap().contains("unknown language"));
    assert!(
        reason("baddate").unwrap().contains("2025-13-45"),
        "{:?}",
        reason("baddate")
    );
    assert_eq!(reason("c2"), None);
}

#[test]
fn one_shard_merged_equals_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let study = fixture(dir.path(), ANALYSIS);
    let single = dir.path().join("single");
    let merged = dir.path().join("merged");
    run_study(&study, &single, None);
    run_sharded(&study, &merged, 1, None);
    assert_same_outputs(&single, &merged);
}

#[test]
fn more_shards_than_records_leave_empty_shards_that_still_merge() {
    let dir = tempfile::tempdir().unwrap();
    let study = fixture(dir.path(), ANALYSIS);
    let single = dir.path().join("single");
    let merged = dir.path().join("merged");
    run_study(&study, &single, None);
    // 11 records in 13 shards: shards 12 and 13 hold none.
    run_sharded(&study, &merged, 13, None);
    assert_same_outputs(&single, &merged);
}

// ---- through the binary: usage and errors -------------------------------------------------

fn framelens(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_framelens"));
    c.current_dir(dir);
    c
}

/// `framelens run <study> --tables <dir>/tables --shard K/N`.
fn shard(dir: &Path, study: &Path, spec: &str) -> Output {
    framelens(dir)
        .arg("run")
        .arg(study)
        .arg("--tables")
        .arg(dir.join("tables"))
        .args(["--quiet", "--shard", spec])
        .output()
        .unwrap()
}

fn merge(dir: &Path, study: &Path, args: &[&str]) -> Output {
    framelens(dir)
        .arg("merge")
        .arg(study)
        .arg("--tables")
        .arg(dir.join("tables"))
        .arg("--quiet")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Asserts exit code 2, that stderr contains every one of `needles`, and that no table was
/// written; returns stderr.
fn fails(dir: &Path, out: &Output, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    assert!(!dir.join("tables/documents.parquet").exists());
    err
}

/// A small fast study for the error cases.
fn fast_fixture(dir: &Path) -> PathBuf {
    fixture(
        dir,
        "[compare]\nenabled = false\n[cluster]\nenabled = false\n",
    )
}

#[test]
fn invalid_shard_numbers_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    for (spec, needle) in [
        ("4/3", "K counts from 1 to N"),
        ("0/3", "K counts from 1 to N"),
        ("1/0", "at least 1"),
        ("2", "K/N"),
        ("x/3", "not a whole number"),
    ] {
        let out = shard(dir.path(), &study, spec);
        fails(dir.path(), &out, &[needle, "--shard"]);
        assert!(
            !dir.path().join("tables").exists(),
            "{spec} wrote something"
        );
    }
    // --shard-dir needs --shard.
    let out = framelens(dir.path())
        .arg("run")
        .arg(&study)
        .args(["--shard-dir", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_shard_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    ok(&shard(dir.path(), &study, "1/3"));
    ok(&shard(dir.path(), &study, "3/3"));
    let out = merge(dir.path(), &study, &[]);
    fails(
        dir.path(),
        &out,
        &["shard 2 of 3 is missing", "2-of-3", "--shard 2/3"],
    );
    // With explicit folders, the same.
    let s = dir.path().join("tables/shards");
    let out = merge(
        dir.path(),
        &study,
        &[
            "--shards",
            s.join("1-of-3").to_str().unwrap(),
            s.join("3-of-3").to_str().unwrap(),
        ],
    );
    fails(dir.path(), &out, &["shard 2 of 3 is missing", "for K = 2"]);
    // Once it is there, the merge succeeds.
    ok(&shard(dir.path(), &study, "2/3"));
    ok(&merge(dir.path(), &study, &[]));
    assert!(dir.path().join("tables/documents.parquet").exists());
}

#[test]
fn a_duplicate_or_unfinished_shard_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    for k in 1..=2 {
        ok(&shard(dir.path(), &study, &format!("{k}/2")));
    }
    let s = dir.path().join("tables/shards");
    let copy = dir.path().join("copy-of-1");
    fs::create_dir(&copy).unwrap();
    for entry in fs::read_dir(s.join("1-of-2")).unwrap() {
        let p = entry.unwrap().path();
        fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
    }
    let out = merge(
        dir.path(),
        &study,
        &[
            "--shards",
            s.join("1-of-2").to_str().unwrap(),
            copy.to_str().unwrap(),
            s.join("2-of-2").to_str().unwrap(),
        ],
    );
    fails(
        dir.path(),
        &out,
        &["copy-of-1", "holds shard 1/2, as", "give each shard once"],
    );

    // A shard folder without shard.json is a shard run that did not finish.
    fs::remove_file(s.join("2-of-2/shard.json")).unwrap();
    let out = merge(dir.path(), &study, &[]);
    fails(dir.path(), &out, &["2-of-2", "not a finished shard"]);
}

#[test]
fn shards_of_another_study_split_or_version_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    ok(&shard(dir.path(), &study, "1/2"));
    // Shard 2 is run from a study that differs (another seed).
    let other = dir.path().join("other.toml");
    let text = fs::read_to_string(&study).unwrap();
    fs::write(&other, format!("seed = 7\n{text}")).unwrap();
    ok(&shard(dir.path(), &other, "2/2"));
    let out = merge(dir.path(), &study, &[]);
    fails(dir.path(), &out, &["2-of-2", "different study file"]);

    // Shards of two splits in the default folder: ambiguous.
    ok(&shard(dir.path(), &study, "2/2"));
    ok(&shard(dir.path(), &study, "1/1"));
    let out = merge(dir.path(), &study, &[]);
    fails(dir.path(), &out, &["2 different splits", "--shards"]);
    // Named explicitly, a mixed set is rejected; the complete one merges.
    let s = dir.path().join("tables/shards");
    let out = merge(
        dir.path(),
        &study,
        &[
            "--shards",
            s.join("1-of-2").to_str().unwrap(),
            s.join("1-of-1").to_str().unwrap(),
        ],
    );
    fails(dir.path(), &out, &["1-of-1", "the same N"]);
    ok(&merge(
        dir.path(),
        &study,
        &["--shards", s.join("1-of-1").to_str().unwrap()],
    ));
    fs::remove_file(dir.path().join("tables/documents.parquet")).unwrap();

    // A shard written by another framelens version.
    let path = s.join("1-of-1/shard.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    m["framelens_version"] = "0.0.1".into();
    fs::write(&path, serde_json::to_string(&m).unwrap()).unwrap();
    let out = merge(
        dir.path(),
        &study,
        &["--shards", s.join("1-of-1").to_str().unwrap()],
    );
    fails(
        dir.path(),
        &out,
        &["1-of-1", "framelens 0.0.1", "one framelens version"],
    );
}

#[test]
fn a_damaged_shard_folder_is_detected_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    for k in 1..=2 {
        ok(&shard(dir.path(), &study, &format!("{k}/2")));
    }
    // A partial table replaced by another shard's: its row count no longer matches shard.json.
    let s = dir.path().join("tables/shards");
    fs::copy(
        s.join("1-of-2/record_terms.parquet"),
        s.join("2-of-2/record_terms.parquet"),
    )
    .unwrap();
    let out = merge(dir.path(), &study, &[]);
    fails(
        dir.path(),
        &out,
        &["2-of-2", "record_terms.parquet", "rerun the shard"],
    );
}

#[test]
fn merge_help_documents_the_checks() {
    let out = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .args(["merge", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "--shards",
        "--tables",
        "--report",
        "byte-identical",
        "K-of-N",
        "SHA-256",
    ] {
        assert!(help.contains(word), "merge --help lacks {word}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .args(["run", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["--shard <K/N>", "--shard-dir", "framelens merge"] {
        assert!(help.contains(word), "run --help lacks {word}");
    }
}

/// The Slurm example (examples/slurm/): `submit.sh` submits the array and a merge that depends
/// on it (checked with a stand-in `sbatch` that records its arguments), and the two job scripts,
/// run as Slurm would run them, produce a merged run.
#[test]
fn slurm_example_submits_an_array_and_a_dependent_merge_that_work() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    let slurm = repo().join("examples/slurm");
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let log = dir.path().join("sbatch.log");
    // Prints job ids 4242, 4243, … in the `id;cluster` form of a multi-cluster site.
    fs::write(
        bin.join("sbatch"),
        "#!/usr/bin/env bash\nn=$(cat \"$FAKE_SBATCH_LOG\" 2>/dev/null | wc -l)\n\
         echo \"$* STUDY=$STUDY SHARDS=$SHARDS\" >> \"$FAKE_SBATCH_LOG\"\necho \"$((4242 + n));c1\"\n",
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("sbatch"))
        .status()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .current_dir(dir.path())
        .env("PATH", &path)
        .env("FAKE_SBATCH_LOG", &log)
        .arg(slurm.join("submit.sh"))
        .arg(&study)
        .args(["3", "tables", "report"])
        .output()
        .unwrap();
    ok(&out);
    let calls = fs::read_to_string(&log).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(
        calls[0].contains("--array=1-3") && calls[0].contains("shard.sbatch"),
        "{}",
        calls[0]
    );
    assert!(calls[0].contains("SHARDS=3"), "{}", calls[0]);
    assert!(
        calls[1].contains("--dependency=afterok:4242 ") && calls[1].contains("merge.sbatch"),
        "{}",
        calls[1]
    );
    assert!(dir.path().join("logs").is_dir());

    // The jobs, as Slurm would start them from the submit folder.
    let job = |script: &str, task: Option<u32>| {
        let mut c = Command::new("bash");
        c.current_dir(dir.path())
            .env("FRAMELENS", env!("CARGO_BIN_EXE_framelens"))
            .env("STUDY", &study)
            .env("SHARDS", "3")
            .env("TABLES", "tables")
            .env("REPORT", "report")
            .env("SLURM_CPUS_PER_TASK", "1")
            .arg(slurm.join(script));
        if let Some(k) = task {
            c.env("SLURM_ARRAY_TASK_ID", k.to_string());
        }
        c.output().unwrap()
    };
    // Outside an array the shard script refuses to run.
    let out = job("shard.sbatch", None);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--array"));
    for k in 1..=3 {
        ok(&job("shard.sbatch", Some(k)));
    }
    ok(&job("merge.sbatch", None));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("tables/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest
            .pointer("/run/shards")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(manifest.pointer("/counts/records").unwrap(), 11);
}

#[test]
fn shard_summary_names_the_merge_command_with_its_tables_folder() {
    let dir = tempfile::tempdir().unwrap();
    let study = fast_fixture(dir.path());
    let tables = dir.path().join("tables");
    let out = framelens(dir.path())
        .arg("run")
        .arg(&study)
        .arg("--tables")
        .arg(&tables)
        .args(["--shard", "1/2"])
        .output()
        .unwrap();
    ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let hint = format!("--tables {}`", tables.display());
    assert!(
        stderr.contains("when all 2 shards are done, run `framelens merge")
            && stderr.contains(&hint),
        "{stderr}"
    );
}
