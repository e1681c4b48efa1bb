//! The analysis stages through the pipeline: clustering (issue #5).

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use crate::util::{nums, repo, run_study, strs, table};

#[test]
fn demo_clusters_cover_every_kept_document_and_follow_events() {
    let dir = tempfile::tempdir().unwrap();
    let summary = run_study(&repo().join("examples/demo/study.toml"), dir.path(), None);
    let documents = table(dir.path(), "documents");
    let kept: BTreeSet<String> = strs(&documents, "doc_id")
        .into_iter()
        .zip(strs(&documents, "status"))
        .filter(|(_, s)| s.as_deref() == Some("kept"))
        .map(|(d, _)| d.unwrap())
        .collect();
    assert_eq!(kept.len(), summary.kept);

    let clusters = table(dir.path(), "clusters");
    let ids: Vec<String> = strs(&clusters, "doc_id")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), kept);
    assert_eq!(ids.len(), kept.len());

    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    let k = m["analysis"]["cluster"]["k"].as_u64().unwrap() as f64;
    let labels = nums(&clusters, "cluster");
    assert!(labels.iter().all(|&c| c >= 0.0 && c < k));
    for s in nums(&clusters, "silhouette") {
        assert!((-1.0..=1.0).contains(&s), "{s}");
    }
    let sizes: f64 = nums(&table(dir.path(), "cluster_summary"), "size")
        .iter()
        .sum();
    assert_eq!(sizes as usize, kept.len());

    // The demo's three events differ in topic far more than its outlets differ in framing, so the
    // clusters must agree better with the events than with the groups.
    let agreement = table(dir.path(), "cluster_agreement");
    let against = strs(&agreement, "against");
    let ari = nums(&agreement, "ari");
    let get = |what: &str| {
        ari[against
            .iter()
            .position(|a| a.as_deref() == Some(what))
            .unwrap()]
    };
    assert!(
        get("event") > get("group"),
        "event {} group {}",
        get("event"),
        get("group")
    );

    let pca = nums(&table(dir.path(), "pca"), "explained_variance_ratio");
    assert_eq!(pca.len(), 2);
    assert!(pca[0] >= pca[1] && pca[0] + pca[1] <= 1.0 + 1e-12);
}

#[test]
fn k_larger_than_the_corpus_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study.toml");
    let text = fs::read_to_string(repo().join("examples/demo/study.toml"))
        .unwrap()
        .replace(
            "path = \"articles\"",
            &format!(
                "path = {:?}",
                repo().join("examples/demo/articles").display().to_string()
            ),
        )
        .replace(
            "metadata = \"metadata.csv\"",
            &format!(
                "metadata = {:?}",
                repo()
                    .join("examples/demo/metadata.csv")
                    .display()
                    .to_string()
            ),
        )
        + "\n[cluster]\nk = 50\n";
    fs::write(&study, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .arg("run")
        .arg(&study)
        .arg("--tables")
        .arg(dir.path().join("tables"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("50") && err.contains("27"), "{err}");
    assert!(!dir.path().join("tables/documents.parquet").exists());
}

/// Issue #4: on the VK corpus (state: RT, TASS; independent: Meduza, RBC) a run produces
/// comparisons and keyness between the two groups. Issue #6: and the whole report.
#[test]
fn vk_corpus_comparisons_keyness_and_report() {
    if crate::util::shared("vk_corpus_comparisons_keyness_and_report").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    run_study(
        &repo().join("examples/vk-ukraine/study.toml"),
        dir.path(),
        None,
    );
    let comparisons = table(dir.path(), "comparisons");
    let pairs: BTreeSet<(String, String)> = strs(&comparisons, "group_a")
        .into_iter()
        .zip(strs(&comparisons, "group_b"))
        .map(|(a, b)| (a.unwrap(), b.unwrap()))
        .collect();
    assert_eq!(
        pairs.into_iter().collect::<Vec<_>>(),
        vec![("independent".to_string(), "state".to_string())]
    );
    // Pooled rows exist for the Russian lexicons, with intervals and p-values in range.
    let events = strs(&comparisons, "event");
    let p = nums(&comparisons, "p_perm");
    let (lo, hi, diff) = (
        nums(&comparisons, "ci_low"),
        nums(&comparisons, "ci_high"),
        nums(&comparisons, "diff"),
    );
    let mut pooled = 0;
    for i in 0..events.len() {
        if events[i].as_deref() == Some("pooled") && !diff[i].is_nan() {
            pooled += 1;
            assert!(p[i] > 0.0 && p[i] <= 1.0);
            // No document has a metadata event, so events were grouped automatically; an
            // interval is null where every resample is the same (one document per side).
            if !lo[i].is_nan() {
                assert!(
                    lo[i] <= diff[i] + 1e-9 && diff[i] <= hi[i] + 1e-9,
                    "row {i}"
                );
            }
        }
    }
    assert!(pooled >= 16, "{pooled} pooled rows");
    assert!(dir.path().join("events.parquet").exists());
    let keyness = table(dir.path(), "keyness");
    assert!(keyness.height() > 0);
    // Report: every figure, inline, with no external resource.
    let html = fs::read_to_string(dir.path().join("report/report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 7);
    assert!(!html.contains("http://") && !html.contains("https://"));
    for fig in [
        "frame_profile",
        "tone_by_outlet",
        "group_differences",
        "keyness",
        "document_map",
        "outlet_divergence",
        "tone_over_time",
    ] {
        assert!(
            dir.path()
                .join(format!("report/figures/{fig}.png"))
                .exists(),
            "{fig}"
        );
    }
}

/// Issue #4: the seeds have a single independent document; its rows carry a small-sample
/// warning instead of being dropped.
#[test]
fn seeds_small_sample_rows_are_kept_with_a_warning() {
    if crate::util::shared("seeds_small_sample_rows_are_kept_with_a_warning").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    run_study(&repo().join("examples/seeds/study.toml"), dir.path(), None);
    let comparisons = table(dir.path(), "comparisons");
    assert!(comparisons.height() > 0);
    let n_a = nums(&comparisons, "n_a");
    let warnings = strs(&comparisons, "warning");
    for (n, w) in n_a.iter().zip(&warnings) {
        if *n < 5.0 {
            assert!(
                w.as_deref().is_some_and(|w| w.contains("min-docs")),
                "{w:?}"
            );
        }
    }
    assert!(dir.path().join("report/report.html").exists());
}
