//! The compare stage end to end: reproducibility across seeds and thread counts, calibration of
//! the permutation test under the null, event pooling against a confounded topic mix, small
//! samples and automatic events.

use chrono::NaiveDate;
use framelens::compare::{compare, CompareConfig, CompareOutput, EffectKind, GroupBy};
use framelens::features::matrix::{DocInfo, ScoreMatrix, TermMatrix};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn doc(id: usize, outlet: &str, group: &str, event: Option<&str>) -> DocInfo {
    DocInfo {
        doc_id: format!("док-{id}"),
        outlet: Some(outlet.to_string()),
        group: Some(group.to_string()),
        event: event.map(str::to_string),
        date: None,
        language: "ru".to_string(),
        n_tokens: 200,
    }
}

/// Terms: 0 "ракет", 1 "удар", 2 "переговор", 3 "мир", 4 bigram "ракет удар".
fn vocabulary(rows: Vec<Vec<(u32, u32)>>) -> TermMatrix {
    let n = rows.len();
    TermMatrix {
        terms: ["ракет", "удар", "переговор", "мир", "ракет удар"]
            .map(String::from)
            .to_vec(),
        labels: ["ракеты", "удары", "переговоры", "мир", "ракетные удары"]
            .map(String::from)
            .to_vec(),
        order: vec![1, 1, 1, 1, 2],
        idf: vec![1.0, 1.2, 1.5, 2.0, 2.5],
        rows,
        n_terms: vec![10; n],
    }
}

fn columns() -> Vec<(String, String)> {
    [
        ("security", "угроза"),
        ("security", "оборона"),
        ("news-frames", "conflict"),
    ]
    .map(|(l, c)| (l.to_string(), c.to_string()))
    .to_vec()
}

/// A synthetic study: three groups, four outlets, three events (one with no event metadata),
/// skewed rates (exponential), random term counts.
fn synthetic(n: usize, seed: u64) -> (Vec<DocInfo>, ScoreMatrix, TermMatrix) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let outlets = [
        ("RT", "гос"),
        ("ТАСС", "гос"),
        ("Медуза", "незав"),
        ("BBC", "зарубеж"),
    ];
    let events = [Some("саммит НАТО"), Some("ракеты"), None];
    let mut docs = Vec::new();
    let mut per_1k = Vec::new();
    let mut rows = Vec::new();
    for i in 0..n {
        let (outlet, group) = outlets[rng.gen_range(0..outlets.len())];
        docs.push(doc(
            i,
            outlet,
            group,
            events[rng.gen_range(0..events.len())],
        ));
        per_1k.push(
            (0..3)
                .map(|c| (c != 2 || i % 7 != 0).then(|| -rng.gen::<f64>().max(1e-12).ln() * 4.0))
                .collect(),
        );
        rows.push(
            (0..5u32)
                .filter_map(|t| {
                    let c = rng.gen_range(0..4u32);
                    (c > 0).then_some((t, c))
                })
                .collect(),
        );
    }
    (
        docs,
        ScoreMatrix {
            columns: columns(),
            per_1k,
        },
        vocabulary(rows),
    )
}

fn quick() -> CompareConfig {
    CompareConfig {
        bootstrap: 300,
        permutations: 300,
        ..CompareConfig::default()
    }
}

fn run_with_threads(threads: usize, cfg: &CompareConfig, seed: u64) -> CompareOutput {
    let (docs, scores, terms) = synthetic(90, 5);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| compare(&docs, &scores, &terms, cfg, seed).unwrap())
}

#[test]
fn same_seed_same_output_for_any_thread_count() {
    let cfg = quick();
    let one = run_with_threads(1, &cfg, 42);
    let two = run_with_threads(2, &cfg, 42);
    let three = run_with_threads(3, &cfg, 42);
    assert_eq!(one, two);
    assert_eq!(one, three);
    assert!(!one.comparisons.is_empty());
    // Three groups: 3 pairs + 3 one-vs-rest comparisons, each with a pooled row and one row per
    // event stratum ("(no event)", "ракеты", "саммит НАТО"), for 3 categories.
    assert_eq!(one.comparisons.len(), 6 * 4 * 3);
    assert_eq!(one.comparisons[0].event, "pooled");
    assert_eq!(one.comparisons[3].event, "(no event)");
    assert!(one
        .comparisons
        .iter()
        .all(|r| r.ci_low.is_some() && r.p_perm.is_some() && r.q_bh.is_some()));
    assert!(one.comparisons.iter().any(|r| r.group_b == "rest"));
    // Another seed changes the resampling but not the point estimates.
    let other = run_with_threads(2, &cfg, 43);
    assert_ne!(one.comparisons, other.comparisons);
    for (x, y) in one.comparisons.iter().zip(&other.comparisons) {
        assert_eq!(x.diff, y.diff);
        assert_eq!(x.effect, y.effect);
    }
    assert_eq!(one.keyness, other.keyness);
    assert_eq!(one.divergence, other.divergence);
}

#[test]
fn permutation_p_values_are_uniform_under_the_null() {
    // 200 datasets of i.i.d. skewed rates with random group labels in two events: the pooled
    // p-values should be uniform. With 200 draws the count below 0.05 is Binomial(200, 0.05)
    // (mean 10, sd 3.1): accept 2..=20 (about ±3 sd). The empirical CDF at the deciles must
    // stay within 0.115 of the uniform (the 1% Kolmogorov–Smirnov bound 1.63/√200).
    let cfg = CompareConfig {
        bootstrap: 20,
        permutations: 199,
        ..CompareConfig::default()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2024);
    let mut p = Vec::new();
    for dataset in 0..200 {
        let n = 24;
        let docs: Vec<DocInfo> = (0..n)
            .map(|i| {
                let group = if rng.gen_bool(0.5) { "a" } else { "b" };
                let event = if i % 3 == 0 { "e1" } else { "e2" };
                doc(i, "СМИ", group, Some(event))
            })
            .collect();
        let per_1k: Vec<Vec<Option<f64>>> = (0..n)
            .map(|_| vec![Some(-rng.gen::<f64>().max(1e-12).ln())])
            .collect();
        let scores = ScoreMatrix {
            columns: vec![("tone".into(), "negative".into())],
            per_1k,
        };
        let terms = vocabulary(vec![vec![]; n]);
        let out = compare(&docs, &scores, &terms, &cfg, dataset).unwrap();
        if let Some(r) = out.comparisons.iter().find(|r| r.event == "pooled") {
            p.push(r.p_perm.unwrap());
        }
    }
    assert!(p.len() >= 195, "{}", p.len());
    let below = p.iter().filter(|&&x| x < 0.05).count();
    assert!(
        (2..=20).contains(&below),
        "{below} of {} below 0.05",
        p.len()
    );
    for decile in 1..10 {
        let x = f64::from(decile) / 10.0;
        let share = p.iter().filter(|&&v| v <= x).count() as f64 / p.len() as f64;
        assert!((share - x).abs() < 0.115, "ECDF({x}) = {share}");
    }
}

#[test]
fn pooling_over_events_removes_a_confounded_topic_mix() {
    // Group "гос" is mostly in event "обстрел" (high rates), "незав" mostly in "выборы" (low
    // rates); within each event the means are equal. Naive difference of all documents:
    // гос (9 × 10 + 2) / 10 = 9.2, незав (10 + 9 × 2) / 10 = 2.8 → 6.4. Pooled: 0.
    let high = [9.0, 11.0, 10.0, 10.0, 10.0, 9.0, 11.0, 10.0, 10.0];
    let low = [1.0, 3.0, 2.0, 2.0, 2.0, 1.0, 3.0, 2.0, 2.0];
    let mut docs = Vec::new();
    let mut rates = Vec::new();
    for &v in &high {
        docs.push(doc(docs.len(), "RT", "гос", Some("обстрел")));
        rates.push(v);
    }
    docs.push(doc(docs.len(), "RT", "гос", Some("выборы")));
    rates.push(2.0);
    docs.push(doc(docs.len(), "Медуза", "незав", Some("обстрел")));
    rates.push(10.0);
    for &v in &low {
        docs.push(doc(docs.len(), "Медуза", "незав", Some("выборы")));
        rates.push(v);
    }
    let n = docs.len();
    let scores = ScoreMatrix {
        columns: vec![("security".into(), "угроза".into())],
        per_1k: rates.iter().map(|&v| vec![Some(v)]).collect(),
    };
    let naive = rates[..10].iter().sum::<f64>() / 10.0 - rates[10..].iter().sum::<f64>() / 10.0;
    assert!((naive - 6.4).abs() < 1e-12);
    let cfg = CompareConfig {
        effect: EffectKind::CohensD,
        ..quick()
    };
    let out = compare(&docs, &scores, &vocabulary(vec![vec![]; n]), &cfg, 7).unwrap();
    let pooled = &out.comparisons[0];
    assert_eq!(pooled.event, "pooled");
    assert!(pooled.diff.unwrap().abs() < 1e-12, "{:?}", pooled.diff);
    assert_eq!(pooled.p_perm, Some(1.0));
    assert!(pooled.effect.unwrap().abs() < 1e-12);
    assert_eq!(pooled.effect_kind, "cohens_d");
    let (lo, hi) = (pooled.ci_low.unwrap(), pooled.ci_high.unwrap());
    assert!(lo < 0.0 && hi > 0.0, "{lo} {hi}");
    // Per event: no difference either, and the one-document side is flagged.
    for r in &out.comparisons[1..] {
        assert!(r.diff.unwrap().abs() < 1e-12);
        assert!(r.warning.as_deref().unwrap().contains("< min-docs 5"));
    }
}

#[test]
fn small_samples_are_flagged_not_dropped() {
    // 1 document of "гос" against 6 of "незав" in one event; a third group never meets the
    // others in an event.
    let mut docs = vec![doc(0, "RT", "гос", Some("e"))];
    docs.extend((1..7).map(|i| doc(i, "Медуза", "незав", Some("e"))));
    docs.push(doc(7, "BBC", "зарубеж", Some("другое")));
    let n = docs.len();
    let scores = ScoreMatrix {
        columns: vec![("tone".into(), "negative".into())],
        per_1k: (0..n).map(|i| vec![Some(i as f64)]).collect(),
    };
    let out = compare(&docs, &scores, &vocabulary(vec![vec![]; n]), &quick(), 1).unwrap();
    let find = |a: &str, b: &str, e: &str| {
        out.comparisons
            .iter()
            .find(|r| r.group_a == a && r.group_b == b && r.event == e)
            .unwrap_or_else(|| panic!("no row {a} {b} {e}"))
    };
    let r = find("гос", "незав", "e");
    assert_eq!((r.n_a, r.n_b), (1, 6));
    assert_eq!(
        r.warning.as_deref(),
        Some("n_a = 1 < min-docs 5: interval and p-value unreliable")
    );
    // Side a's single document cannot vary; side b's six can: the interval exists.
    assert!(r.ci_low.is_some() && r.p_perm.is_some());
    assert_eq!(r.diff, Some(0.0 - 3.5));
    // "гос" and "зарубеж" never share an event: one pooled row with nulls and the reason.
    let r = find("гос", "зарубеж", "pooled");
    assert_eq!(
        (r.diff, r.p_perm, r.q_bh, r.n_a, r.n_b),
        (None, None, None, 0, 0)
    );
    assert_eq!(
        r.warning.as_deref(),
        Some(
            "no event has documents of both sides (n_a = 1, n_b = 1 in different events): \
             nothing to pool"
        )
    );
    // One-vs-rest rows exist for three groups.
    let r = find("гос", "rest", "e");
    assert_eq!((r.n_a, r.n_b), (1, 6));
}

#[test]
fn automatic_events_when_the_metadata_has_none() {
    // Documents 0–1 share vocabulary within three days, document 2 shares it but is 20 days
    // later, document 3 has a different vocabulary.
    let date = |d| NaiveDate::from_ymd_opt(2024, 5, d);
    let mut docs: Vec<DocInfo> = (0..4)
        .map(|i| doc(i, if i % 2 == 0 { "RT" } else { "Медуза" }, "г", None))
        .collect();
    docs[0].date = date(1);
    docs[1].date = date(2);
    docs[2].date = date(22);
    docs[3].date = date(2);
    docs[1].group = Some("н".to_string());
    docs[3].group = Some("н".to_string());
    let terms = vocabulary(vec![
        vec![(0, 3), (1, 2), (4, 1)],
        vec![(0, 2), (1, 2)],
        vec![(0, 3), (1, 1)],
        vec![(2, 4), (3, 1)],
    ]);
    let scores = ScoreMatrix {
        columns: vec![("tone".into(), "negative".into())],
        per_1k: (0..4).map(|i| vec![Some(f64::from(i))]).collect(),
    };
    let cfg = CompareConfig {
        group_by: GroupBy::Group,
        ..quick()
    };
    let out = compare(&docs, &scores, &terms, &cfg, 3).unwrap();
    let events: Vec<(&str, &str, bool)> = out
        .events
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| (r.doc_id.as_str(), r.event.as_str(), r.auto))
        .collect();
    assert_eq!(
        events,
        [
            ("док-0", "auto-001", true),
            ("док-1", "auto-001", true),
            ("док-2", "auto-002", true),
            ("док-3", "auto-003", true),
        ]
    );
    // Only auto-001 has both groups: pooled + one event row.
    let rows: Vec<&str> = out.comparisons.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(rows, ["pooled", "auto-001"]);
    assert_eq!(out.comparisons[0].diff, Some(-1.0));
}
