//! The compare stage on a synthetic study of 4,000 documents: two groups, 20 events, 8
//! outlets, 40 lexicon columns (zero-heavy rates, half of them for one language only) and a
//! Zipf-like vocabulary of 30,000 terms (about 150 distinct terms per document, every fourth
//! term a bigram), the shape of the 20 MB benchmark corpus. The default `[compare]` settings:
//! 2,000 bootstrap resamples, 5,000 permutations, the top 50 key terms per side.
//!
//! One benchmark per table and one for the whole stage (the four tables side by side), so a
//! change can be placed. The resampling tables (`comparisons`, `outlet_profiles`) are bound by
//! their random draws (about 1.3 ns each); `keyness` and `divergence` by the term counts.
//!
//! Run: `cargo bench --bench compare`.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use framelens::compare::design::Design;
use framelens::compare::{self, divergence, groups, keyness, profiles, CompareConfig, GroupBy};
use framelens::features::matrix::{DocInfo, ScoreMatrix, TermMatrix};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const DOCS: usize = 4_000;
const EVENTS: usize = 20;
const OUTLETS: usize = 8;
const COLUMNS: usize = 40;
const TERMS: usize = 30_000;
const SEED: u64 = 42;

fn study() -> (Vec<DocInfo>, ScoreMatrix, TermMatrix) {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let docs: Vec<DocInfo> = (0..DOCS)
        .map(|i| {
            let outlet = i % OUTLETS;
            DocInfo {
                doc_id: format!("doc-{i}"),
                outlet: Some(format!("outlet-{outlet}")),
                group: Some(
                    if outlet < OUTLETS / 2 {
                        "state"
                    } else {
                        "independent"
                    }
                    .into(),
                ),
                event: Some(format!("event-{:02}", rng.below(EVENTS))),
                date: None,
                language: if i % 3 == 0 { "ru" } else { "en" }.into(),
                n_tokens: 400,
            }
        })
        .collect();
    let columns: Vec<(String, String)> = (0..COLUMNS)
        .map(|c| (format!("lexicon-{}", c / 8), format!("category-{c}")))
        .collect();
    let per_1k = docs
        .iter()
        .map(|d| {
            (0..COLUMNS)
                .map(|c| {
                    // Columns 20.. apply to English documents only.
                    if c >= COLUMNS / 2 && d.language == "ru" {
                        return None;
                    }
                    // About 60 % zeros; the rest a few hits per 1,000 tokens.
                    let hits = if rng.uniform() < 0.6 {
                        0
                    } else {
                        1 + rng.below(8)
                    };
                    Some(hits as f64 * 2.5)
                })
                .collect()
        })
        .collect();
    // Zipf-like term choice: index ⌊TERMS^u⌋ − 1 for uniform u.
    let rows = (0..DOCS)
        .map(|_| {
            let mut row: Vec<(u32, u32)> = (0..150)
                .map(|_| {
                    let t = (TERMS as f64).powf(rng.uniform()) as usize - 1;
                    (t.min(TERMS - 1) as u32, 1 + rng.below(3) as u32)
                })
                .collect();
            row.sort_unstable();
            row.dedup_by_key(|p| p.0);
            row
        })
        .collect();
    let terms = TermMatrix {
        terms: (0..TERMS).map(|t| format!("term{t}")).collect(),
        labels: (0..TERMS).map(|t| format!("label{t}")).collect(),
        order: (0..TERMS).map(|t| if t % 4 == 3 { 2 } else { 1 }).collect(),
        idf: vec![1.0; TERMS],
        rows,
        n_terms: vec![300; DOCS],
    };
    (docs, ScoreMatrix { columns, per_1k }, terms)
}

fn bench(c: &mut Criterion) {
    let (docs, scores, terms) = study();
    let config = CompareConfig::default();
    let events: Vec<String> = docs.iter().filter_map(|d| d.event.clone()).collect();
    let design = Design::new(&docs, &events, GroupBy::Group).expect("design");
    let mut group = c.benchmark_group("compare");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("comparisons", |b| {
        b.iter(|| groups::compare_groups(&design, &scores, &config, SEED))
    });
    group.bench_function("keyness", |b| {
        b.iter(|| keyness::keyness(&design, &terms, config.alpha0, config.keyness_top))
    });
    group.bench_function("divergence", |b| {
        b.iter(|| divergence::divergence(&docs, &design, &scores, &terms))
    });
    group.bench_function("outlet_profiles", |b| {
        b.iter(|| profiles::profiles(&docs, &scores, config.bootstrap, config.confidence, SEED))
    });
    group.bench_function("whole_stage", |b| {
        b.iter(|| compare::compare(&docs, &scores, &terms, &config, SEED).expect("compare"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
