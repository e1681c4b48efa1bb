//! Lexicon scores through the whole pipeline (issue #3): table structure, consistency between
//! tables, the manifest, the CLI, and framing differences a reader can see in the texts.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use crate::util::{nums, repo, run_study, shared, strs, table};

/// `(doc_id, lexicon, category) -> column value` from the scores table.
fn scores_by(dir: &std::path::Path, column: &str) -> BTreeMap<(String, String, String), f64> {
    let s = table(dir, "scores");
    let (d, l, c) = (
        strs(&s, "doc_id"),
        strs(&s, "lexicon"),
        strs(&s, "category"),
    );
    let v = nums(&s, column);
    d.into_iter()
        .zip(l)
        .zip(c)
        .zip(v)
        .map(|(((d, l), c), v)| ((d.unwrap(), l.unwrap(), c.unwrap()), v))
        .collect()
}

#[test]
fn every_kept_document_has_a_row_per_category_of_its_languages_lexicons() {
    let dir = tempfile::tempdir().unwrap();
    run_study(&repo().join("examples/demo/study.toml"), dir.path(), None);
    let documents = table(dir.path(), "documents");
    let scores = table(dir.path(), "scores");
    let mut rows_per_doc: BTreeMap<String, usize> = BTreeMap::new();
    for d in strs(&scores, "doc_id") {
        *rows_per_doc.entry(d.unwrap()).or_default() += 1;
    }
    // English: tone 2 + security 8 + attribution 6 + news-frames 5 + policy-frames 14 +
    // loaded-language 5 reported categories; Russian: tone, security, attribution only.
    for ((id, lang), status) in strs(&documents, "doc_id")
        .into_iter()
        .zip(strs(&documents, "language"))
        .zip(strs(&documents, "status"))
    {
        let id = id.unwrap();
        let expected = match (status.as_deref(), lang.as_deref()) {
            (Some("kept"), Some("en")) => 40,
            (Some("kept"), Some("ru")) => 16,
            _ => 0,
        };
        assert_eq!(
            rows_per_doc.get(&id).copied().unwrap_or(0),
            expected,
            "{id}"
        );
    }
    // Sink categories (special = "exclude") never appear.
    assert!(!strs(&scores, "category")
        .iter()
        .any(|c| matches!(c.as_deref(), Some("non_tone") | Some("non_stance"))));
}

#[test]
fn rates_shares_and_coverage_agree_across_tables() {
    let dir = tempfile::tempdir().unwrap();
    run_study(&repo().join("examples/demo/study.toml"), dir.path(), None);
    let documents = table(dir.path(), "documents");
    let n_tokens: BTreeMap<String, f64> = strs(&documents, "doc_id")
        .into_iter()
        .zip(nums(&documents, "n_tokens"))
        .filter_map(|(d, n)| Some((d?, n)))
        .collect();
    let hits = scores_by(dir.path(), "hits");
    let per_1k = scores_by(dir.path(), "per_1k");
    let share = scores_by(dir.path(), "share");
    // per_1k = hits / n_tokens * 1000, with the documents table's n_tokens.
    for (key, h) in &hits {
        let expected = h / n_tokens[&key.0] * 1000.0;
        assert!((per_1k[key] - expected).abs() < 1e-9, "{key:?}");
    }
    // Shares of one document's lexicon sum to 1 when it has any hit.
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for (key, s) in &share {
        let e = sums.entry((key.0.clone(), key.1.clone())).or_default();
        e.0 += s;
        e.1 += hits[key];
    }
    for (key, (s, h)) in sums {
        let expected = if h > 0.0 { 1.0 } else { 0.0 };
        assert!((s - expected).abs() < 1e-9, "{key:?}: {s}");
    }
    // lexicon_coverage counts every match once: for a lexicon without polarity its matches per
    // category equal the scores' hits; for tone (negation moves hits to the opposite
    // category) the totals over categories agree.
    let cov = table(dir.path(), "lexicon_coverage");
    let mut cov_sum: BTreeMap<(String, String), f64> = BTreeMap::new();
    for ((l, c), m) in strs(&cov, "lexicon")
        .into_iter()
        .zip(strs(&cov, "category"))
        .zip(nums(&cov, "matches"))
    {
        *cov_sum.entry((l.unwrap(), c.unwrap())).or_default() += m;
    }
    let mut hit_sum: BTreeMap<(String, String), f64> = BTreeMap::new();
    for ((_, l, c), h) in &hits {
        *hit_sum.entry((l.clone(), c.clone())).or_default() += h;
    }
    let total = |m: &BTreeMap<(String, String), f64>, lex: &str| -> f64 {
        m.iter()
            .filter(|((l, _), _)| l == lex)
            .map(|(_, v)| v)
            .sum()
    };
    for ((l, c), h) in &hit_sum {
        if l == "tone" {
            continue;
        }
        assert_eq!(
            cov_sum.get(&(l.clone(), c.clone())).copied().unwrap_or(0.0),
            *h,
            "{l}/{c}"
        );
    }
    assert_eq!(total(&cov_sum, "tone"), total(&hit_sum, "tone"));
    assert!(total(&hit_sum, "tone") > 0.0);
}

#[test]
fn demo_groups_differ_where_the_articles_were_written_to_differ() {
    // The demo's state-aligned articles were written with defensive, endorsing framing and its
    // independent ones with distancing, hedged attribution (examples/demo/README.md). Group
    // means of per-1k rates must show that, in both directions.
    let dir = tempfile::tempdir().unwrap();
    run_study(&repo().join("examples/demo/study.toml"), dir.path(), None);
    let documents = table(dir.path(), "documents");
    let group: BTreeMap<String, String> = strs(&documents, "doc_id")
        .into_iter()
        .zip(strs(&documents, "group"))
        .filter_map(|(d, g)| Some((d?, g?)))
        .collect();
    let per_1k = scores_by(dir.path(), "per_1k");
    let mean = |g: &str, lex: &str, cat: &str| {
        let v: Vec<f64> = per_1k
            .iter()
            .filter(|((d, l, c), _)| group[d] == g && l == lex && c == cat)
            .map(|(_, v)| *v)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    for (lex, cat) in [
        ("security", "self_defense"),
        ("security", "expansion_encirclement"),
        ("attribution", "endorsing"),
        ("attribution", "certainty"),
    ] {
        assert!(
            mean("state-aligned", lex, cat) > 2.0 * mean("independent", lex, cat),
            "{cat}"
        );
    }
    for (lex, cat) in [
        ("attribution", "distancing"),
        ("attribution", "hedges"),
        ("attribution", "scare_quotes"),
    ] {
        assert!(
            mean("independent", lex, cat) > 2.0 * mean("state-aligned", lex, cat),
            "{cat}"
        );
    }
}

#[test]
fn seeds_state_pieces_frame_self_defense_and_the_moscow_times_distances() {
    if shared("seeds_state_pieces_frame_self_defense_and_the_moscow_times_distances").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    run_study(&repo().join("examples/seeds/study.toml"), dir.path(), None);
    let per_1k = scores_by(dir.path(), "per_1k");
    let get = |doc: &str, lex: &str, cat: &str| per_1k[&(doc.into(), lex.into(), cat.into())];
    // The three state-aligned pieces on the missile deployment frame Russia's moves as forced
    // and defensive, far more than the independent Moscow Times piece does.
    for doc in ["seed-000", "seed-001", "seed-002"] {
        assert!(
            get(doc, "security", "self_defense")
                > 2.0 * get("seed-003", "security", "self_defense"),
            "{doc}"
        );
    }
    // The Moscow Times distances itself from official claims and quotes them: more distancing
    // and more scare quotes than any state-aligned piece.
    for doc in ["seed-000", "seed-001", "seed-002", "seed-004"] {
        for cat in ["distancing", "scare_quotes"] {
            assert!(
                get("seed-003", "attribution", cat) > get(doc, "attribution", cat),
                "{doc} {cat}"
            );
        }
    }
    // And the entries behind it are the ones the issue names.
    let cov = table(dir.path(), "lexicon_coverage");
    let entries: Vec<(String, String)> = strs(&cov, "category")
        .into_iter()
        .zip(strs(&cov, "entry"))
        .map(|(c, e)| (c.unwrap(), e.unwrap()))
        .collect();
    for want in ["forced to respond", "retaliatory measures"] {
        assert!(
            entries.contains(&("self_defense".to_string(), want.to_string())),
            "{want}"
        );
    }
    assert!(entries.contains(&("distancing".to_string(), "what it perceives as".to_string())));
}

#[test]
fn manifest_records_each_lexicon_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    run_study(&repo().join("examples/demo/study.toml"), dir.path(), None);
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    let lexicons = m["lexicons"].as_array().unwrap();
    assert_eq!(lexicons.len(), 9);
    for l in lexicons {
        let origin = l["origin"].as_str().unwrap();
        let file = origin.strip_prefix("builtin:").unwrap();
        let bytes = fs::read(repo().join("lexicons").join(file)).unwrap();
        assert_eq!(
            l["sha256"].as_str().unwrap(),
            framelens::manifest::sha256_hex(&bytes),
            "{origin}"
        );
        let bumped = ["security-en.toml", "loaded-language-en.toml"];
        let version = if bumped.contains(&file) {
            "1.0.1"
        } else {
            "1.0.0"
        };
        assert_eq!(l["version"], version, "{origin}");
    }
}

#[test]
fn lexicon_check_rejects_a_broken_file_with_file_and_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_framelens"))
        .args(["lexicon", "check"])
        .arg(repo().join("tests/fixtures/lexicon/broken.dic"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("broken.dic:"), "{text}");
    assert!(text.contains("error"), "{text}");
}

#[test]
fn a_liwc_dic_and_a_weighted_list_score_in_a_study() {
    // A user's own dictionaries in the formats researchers have, next to no shipped lexicon.
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo().join("tests/fixtures/lexicon");
    fs::write(
        dir.path().join("posts.csv"),
        "id,text\na,\"Good news: a kind of truce. Not good for everyone.\"\n",
    )
    .unwrap();
    let study = dir.path().join("study.toml");
    fs::write(
        &study,
        format!(
            "[corpus]\npath = \"posts.csv\"\n[lexicons]\nbuiltin = []\nfiles = [{:?}, {:?}]\n",
            fixtures.join("mini.dic").display().to_string(),
            fixtures.join("mini-weighted.txt").display().to_string()
        ),
    )
    .unwrap();
    let tables = dir.path().join("out");
    run_study(&study, &tables, None);
    let hits = scores_by(&tables, "hits");
    let lexicons: std::collections::BTreeSet<&str> =
        hits.keys().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(
        lexicons.into_iter().collect::<Vec<_>>(),
        vec!["mini", "mini-weighted"]
    );
    // By hand: "Good" and the phrase "kind of" are positive hits; "Not good" is negated, so it
    // counts as a negated positive and, flipped, as a negative hit (weight -1.9 in the
    // weighted list).
    let negated = scores_by(&tables, "negated_hits");
    let wsum = scores_by(&tables, "weighted_sum");
    let key = |l: &str, c: &str| ("a".to_string(), l.to_string(), c.to_string());
    assert_eq!(hits[&key("mini", "posemo")], 2.0);
    assert_eq!(negated[&key("mini", "posemo")], 1.0);
    assert_eq!(hits[&key("mini", "negemo")], 1.0);
    assert_eq!(hits[&key("mini-weighted", "positive")], 1.0);
    assert_eq!(negated[&key("mini-weighted", "positive")], 1.0);
    assert_eq!(hits[&key("mini-weighted", "negative")], 1.0);
    assert!((wsum[&key("mini-weighted", "positive")] - 1.9).abs() < 1e-12);
    assert!((wsum[&key("mini-weighted", "negative")] + 1.9).abs() < 1e-12);
}
