//! End-to-end tests of [`super::cluster`] on synthetic corpora with planted clusters.

use super::*;
use ndarray_rand::rand_distr::StandardNormal;
use ndarray_rand::RandomExt;

const GROUPS: [&str; 3] = ["гос—СМИ", "“независимые”", "international – wire"];

/// The planted cluster of document `i`.
fn truth(n: usize) -> Vec<usize> {
    (0..n).map(|i| i % 3).collect()
}

/// Three planted clusters of `per` documents (document i in cluster i mod 3). Lexicon rates:
/// 10 categories, rate 20 + N(0, 1), plus 5 on the categories c with c mod 3 = cluster, so
/// that the clusters stay apart after standardization. Each cluster has its own term plus two
/// shared ones. Groups by cluster, outlets crossing the clusters, no events, and one document
/// without a group.
fn corpus(per: usize, seed: u64) -> (Vec<DocInfo>, ScoreMatrix, TermMatrix) {
    let n = 3 * per;
    let truth = truth(n);
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut x: Array2<f64> = Array2::random_using((n, 10), StandardNormal, &mut rng);
    for ((i, c), v) in x.indexed_iter_mut() {
        *v += 20.0 + if c % 3 == truth[i] { 5.0 } else { 0.0 };
    }
    let docs: Vec<DocInfo> = (0..n)
        .map(|i| DocInfo {
            doc_id: format!("статья-{i:03}"),
            outlet: Some(format!("outlet-{}", i % 2)),
            group: (i != 4).then(|| GROUPS[truth[i]].to_string()),
            event: None,
            date: None,
            language: if i % 2 == 0 { "ru".into() } else { "en".into() },
            n_tokens: 500,
        })
        .collect();
    let columns = (0..10)
        .map(|c| ("frames".to_string(), format!("категория-{c}")))
        .collect();
    let per_1k = x
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|&v| Some(v)).collect())
        .collect();
    // Terms 0–2: one per blob ("ракета", "переговоры", "санкции"); 3–4 shared.
    let labels = ["ракета", "переговоры", "санкции", "сказал", "“заявил”"];
    let terms = TermMatrix {
        terms: labels.iter().map(|l| format!("{l}-stem")).collect(),
        labels: labels.iter().map(|l| l.to_string()).collect(),
        order: vec![1; 5],
        idf: vec![1.5, 1.5, 1.5, 1.0, 1.0],
        rows: (0..n)
            .map(|i| {
                let own = truth[i] as u32;
                let mut row = vec![(own, 5 + (i % 4) as u32), (3, 3), (4, 1 + (i % 3) as u32)];
                row.sort();
                row
            })
            .collect(),
        n_terms: vec![12; n],
    };
    (docs, ScoreMatrix { columns, per_1k }, terms)
}

/// ARI of the clusters against the planted ones.
fn recovered(out: &ClusterOutput) -> f64 {
    let labels: Vec<i64> = out.assignments.iter().map(|r| r.cluster).collect();
    metrics::adjusted_rand_index(&labels, &truth(labels.len())).unwrap()
}

#[test]
fn lexicon_features_recover_planted_groups() {
    let (docs, scores, terms) = corpus(20, 5);
    let config = ClusterConfig {
        features: FeatureSet::Lexicon,
        ..ClusterConfig::default()
    };
    let out = cluster(&docs, &scores, &terms, &config, 42).unwrap();
    assert_eq!(out.k, 3);
    assert_eq!(out.features, FeatureSet::Lexicon);
    assert!(recovered(&out) >= 0.99);
    let ks: Vec<u32> = out.selection.iter().map(|r| r.k).collect();
    assert_eq!(ks, (2..=8).collect::<Vec<_>>());
    let best = out
        .selection
        .iter()
        .max_by(|a, b| a.silhouette.unwrap().total_cmp(&b.silhouette.unwrap()))
        .unwrap();
    assert_eq!(best.k, 3);
    // Agreement: the clusters are the groups (document 4, without a group, is left out);
    // outlets alternate within every blob, so they carry no information. No event column.
    let against: Vec<&str> = out.agreement.iter().map(|r| r.against.as_str()).collect();
    assert_eq!(against, vec!["group", "outlet"]);
    assert_eq!(out.agreement[0].ari, Some(1.0));
    assert!((out.agreement[0].nmi.unwrap() - 1.0).abs() < 1e-12);
    assert!(out.agreement[1].ari.unwrap().abs() < 0.05);
    // Each cluster is named by its own term first (a shared word can follow with a small
    // positive z where the cluster's own term happens to be rarer); sizes add up.
    assert_eq!(out.summary.len(), 3);
    assert_eq!(out.summary.iter().map(|r| r.size).sum::<u32>(), 60);
    let own_terms = ["ракета", "переговоры", "санкции"];
    for row in &out.summary {
        let doc = out
            .assignments
            .iter()
            .position(|r| r.cluster == row.cluster)
            .unwrap();
        let first = row.top_terms.split(", ").next().unwrap();
        assert_eq!(first, own_terms[doc % 3], "{row:?}");
        for other in own_terms.iter().filter(|t| **t != first) {
            assert!(!row.top_terms.contains(other), "{row:?}");
        }
    }
    // Each cluster's first category is one of its own (c mod 3 = cluster).
    let cats: Vec<&str> = out
        .summary
        .iter()
        .map(|r| r.top_categories.split(", ").next().unwrap_or(""))
        .collect();
    for (row, first) in out.summary.iter().zip(&cats) {
        let doc = out
            .assignments
            .iter()
            .position(|r| r.cluster == row.cluster)
            .unwrap();
        let c: usize = first.rsplit('-').next().unwrap().parse().unwrap();
        assert_eq!(c % 3, doc % 3, "{row:?}");
    }
    // Silhouettes for every document, PCA shares of the total variance.
    assert!(out.assignments.iter().all(|r| r.silhouette.is_some()));
    let [r1, r2] = out.explained_variance;
    assert!(r1 >= r2 && r2 > 0.0 && r1 + r2 <= 1.0 + 1e-12);
    assert_eq!(out.assignments[7].doc_id, "статья-007");
}

#[test]
fn tfidf_and_both_recover_planted_groups() {
    let (docs, scores, terms) = corpus(20, 5);
    for features in [FeatureSet::Tfidf, FeatureSet::Both] {
        let config = ClusterConfig {
            features,
            k: Some(3),
            ..ClusterConfig::default()
        };
        let out = cluster(&docs, &scores, &terms, &config, 7).unwrap();
        assert_eq!(out.features, features);
        assert!(out.selection.is_empty());
        assert!(recovered(&out) >= 0.99, "{features}");
        // 5 unigram columns and 60 documents: the SVD keeps min(dims, 5) = 5 dimensions.
        assert_eq!(out.parameters.svd_dims, Some(5));
    }
}

#[test]
fn gmm_and_dbscan_run_end_to_end() {
    let (docs, scores, terms) = corpus(20, 5);
    let config = ClusterConfig {
        features: FeatureSet::Lexicon,
        algorithm: Algorithm::Gmm,
        k: Some(3),
        ..ClusterConfig::default()
    };
    let out = cluster(&docs, &scores, &terms, &config, 3).unwrap();
    assert!(recovered(&out) >= 0.99);
    let config = ClusterConfig {
        features: FeatureSet::Lexicon,
        algorithm: Algorithm::Dbscan,
        ..ClusterConfig::default()
    };
    let out = cluster(&docs, &scores, &terms, &config, 3).unwrap();
    assert_eq!(out.k, 3);
    assert!(out.selection.is_empty());
    assert!(out.parameters.dbscan_eps.unwrap() > 0.0);
    assert_eq!(out.parameters.dbscan_min_points, Some(4));
    for r in &out.assignments {
        assert_eq!(r.cluster == -1, r.silhouette.is_none());
    }
}

#[test]
fn same_seed_same_output_across_thread_counts() {
    let (docs, scores, terms) = corpus(15, 5);
    let config = ClusterConfig::default();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| cluster(&docs, &scores, &terms, &config, 99).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
}

#[test]
fn k_larger_than_the_corpus_is_a_typed_error() {
    let (docs, scores, terms) = corpus(2, 5);
    let config = ClusterConfig {
        k: Some(10),
        ..ClusterConfig::default()
    };
    let err = cluster(&docs, &scores, &terms, &config, 1).unwrap_err();
    assert!(matches!(err, ClusterError::KTooLarge { k: 10, n: 6 }));
    assert_eq!(
        err.to_string(),
        "[cluster] k: 10 clusters need more than 10 documents, the corpus has 6 (k must be at most 5)"
    );
    assert!(!err.is_data_limit());
    // k-min above n − 1.
    let config = ClusterConfig {
        k_min: 6,
        k_max: 9,
        ..ClusterConfig::default()
    };
    let err = cluster(&docs, &scores, &terms, &config, 1).unwrap_err();
    assert!(matches!(err, ClusterError::KRange { k_min: 6, n: 6 }));
}

#[test]
fn tiny_and_degenerate_inputs() {
    let (docs, scores, terms) = corpus(1, 5);
    let two = |v: &[DocInfo]| v[..2].to_vec();
    let scores2 = ScoreMatrix {
        per_1k: scores.per_1k[..2].to_vec(),
        columns: scores.columns.clone(),
    };
    let terms2 = TermMatrix {
        rows: terms.rows[..2].to_vec(),
        n_terms: terms.n_terms[..2].to_vec(),
        ..terms.clone()
    };
    let err = cluster(&two(&docs), &scores2, &terms2, &ClusterConfig::default(), 1).unwrap_err();
    assert!(err.is_data_limit());
    assert_eq!(
        err.to_string(),
        "clustering needs at least 3 documents, the corpus has 2; no clusters computed"
    );

    // Identical documents: no panic, a data-limit error.
    let same_scores = ScoreMatrix {
        per_1k: vec![vec![Some(1.5); 10]; 3],
        columns: scores.columns.clone(),
    };
    let same_terms = TermMatrix {
        rows: vec![vec![(0, 2), (3, 1)]; 3],
        n_terms: vec![3; 3],
        ..terms.clone()
    };
    let err = cluster(
        &docs,
        &same_scores,
        &same_terms,
        &ClusterConfig::default(),
        1,
    )
    .unwrap_err();
    assert!(err.is_data_limit());
    assert!(err
        .to_string()
        .starts_with("features = \"both\": all 3 documents"));

    // Identical tf-idf but varying lexicon rates: `both` falls back to the lexicon block.
    let out = cluster(&docs, &scores, &same_terms, &ClusterConfig::default(), 1).unwrap();
    assert_eq!(out.features, FeatureSet::Lexicon);
    assert_eq!(out.parameters.notes.len(), 1);
    assert_eq!(out.k, 2);
    assert_eq!(out.selection.len(), 1);

    // Mismatched inputs name the problem.
    let err = cluster(&docs, &scores2, &terms, &ClusterConfig::default(), 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cluster input: the score matrix has 2 rows for 3 documents"
    );
    let mut unsorted = terms.clone();
    unsorted.rows[1] = vec![(3, 1), (0, 2)];
    let err = cluster(&docs, &scores, &unsorted, &ClusterConfig::default(), 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cluster input: document \"{}\": term 0 follows term 3; a row's terms must increase",
            docs[1].doc_id
        )
    );
}

#[test]
fn no_lexicons_at_all() {
    let (docs, _, terms) = corpus(10, 5);
    let out = cluster(
        &docs,
        &ScoreMatrix::default(),
        &terms,
        &ClusterConfig {
            k: Some(3),
            ..ClusterConfig::default()
        },
        5,
    )
    .unwrap();
    assert_eq!(out.features, FeatureSet::Tfidf);
    assert!(out.summary.iter().all(|r| r.top_categories.is_empty()));
    let err = cluster(
        &docs,
        &ScoreMatrix::default(),
        &terms,
        &ClusterConfig {
            features: FeatureSet::Lexicon,
            ..ClusterConfig::default()
        },
        5,
    )
    .unwrap_err();
    assert!(err.is_data_limit());
}

#[test]
fn silhouette_sample_is_seeded_sorted_and_capped() {
    let small = silhouette_rows(40, 1);
    assert_eq!(small, (0..40).collect::<Vec<_>>());
    let big = silhouette_rows(12_000, 7);
    assert_eq!(big.len(), MAX_SILHOUETTE_DOCS);
    assert!(big.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(big, silhouette_rows(12_000, 7));
    assert_ne!(big, silhouette_rows(12_000, 8));
}

/// Above `MAX_SILHOUETTE_DOCS` documents k is chosen on the seeded sample and the widths are
/// computed within it (the documented method), and the chosen model is refined on every
/// document from the sample's centroids.
#[test]
fn large_corpus_chooses_k_on_the_sample() {
    let (docs, scores, terms) = corpus(1700, 9);
    let n = docs.len();
    assert!(n > MAX_SILHOUETTE_DOCS);
    let config = ClusterConfig {
        features: FeatureSet::Lexicon,
        k_max: 4,
        n_runs: 2,
        ..ClusterConfig::default()
    };
    let out = cluster(&docs, &scores, &terms, &config, 42).unwrap();
    assert_eq!(out.k, 3);
    assert!(recovered(&out) >= 0.99);
    assert_eq!(out.parameters.silhouette_docs, MAX_SILHOUETTE_DOCS);
    let rows = silhouette_rows(n, 42);
    let widths: Vec<Option<f64>> = out.assignments.iter().map(|r| r.silhouette).collect();
    assert_eq!(widths.iter().filter(|w| w.is_some()).count(), rows.len());

    // The same steps by hand: the sample's standardized rates, k-means per k on them.
    let ids: Vec<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    let z = matrix::lexicon_block(&ids, &scores).unwrap().z;
    let xs = z.select(Axis(0), &rows);
    let (trials, best) = models::select_k(xs.view(), 2..=4, &config, 42).unwrap();
    let by_hand: Vec<Option<f64>> = trials.iter().map(|t| t.mean_silhouette).collect();
    let reported: Vec<Option<f64>> = out.selection.iter().map(|r| r.silhouette).collect();
    assert_eq!(reported, by_hand);
    let chosen = &trials[best.unwrap()];
    assert_eq!(chosen.k, 3);
    // Every document's label: k-means on all documents from the sample's centroids.
    let start = chosen.centroids.clone().unwrap();
    let (raw, _) = models::kmeans_from(z.view(), start, &config, 42).unwrap();
    let raw: Vec<i64> = raw.into_iter().map(|l| l as i64).collect();
    let labels_by_hand = models::relabel(&raw).0;
    let labels: Vec<i64> = out.assignments.iter().map(|r| r.cluster).collect();
    assert_eq!(labels, labels_by_hand);
    // Widths of the sampled documents under the final labels, with distances within the sample.
    let labels: Vec<i64> = rows.iter().map(|&i| out.assignments[i].cluster).collect();
    let all: Vec<usize> = (0..rows.len()).collect();
    let within = metrics::silhouette_samples(xs.view(), &labels, &all);
    let sampled: Vec<Option<f64>> = rows.iter().map(|&i| widths[i]).collect();
    assert_eq!(sampled, within);
}
