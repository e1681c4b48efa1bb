//! Throughput of the per-document stages, in bytes of document text per second on one core.
//!
//! The corpus is `framelens generate`'s synthetic news (the generator's defaults: 30 % Russian,
//! Zipf vocabulary, lexicon words at 3 % and evaluative words at 6 %), about 4 MB, written to a
//! temporary folder and read into memory once. Each stage runs over every document in one
//! thread, so criterion's MB/s (decimal: 10^6 bytes) is per core. Stages, in pipeline order:
//!
//! * `tokenize`: segmentation, sentences, quotations, normalization and stopword flags, with
//!   stemming switched off (`stem = false`);
//! * `tokenize_stem`: the same with Snowball stems (the default tokenizer);
//! * `count`: term counting and interning ([`LocalCounts`] then [`Vocabulary::intern`]) of
//!   already tokenized documents;
//! * `tokenize_stem_count`: the two together, issue 7's "tokenize + stem + count" figure;
//! * `minhash`: near-duplicate signatures (128 hashes over 2-term shingles);
//! * `score`: every shipped lexicon for the document's language, negation and boosters
//!   included.
//!
//! The tokenizers are built once and kept across iterations, so their word-form caches are
//! warm, as they are in a run after its first few thousand documents. `count` interns into a
//! fresh vocabulary each iteration.
//!
//! Run: `cargo bench --bench stages`.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use framelens::features::{LocalCounts, NearDupConfig, SignatureBuilder, Vocabulary};
use framelens::lexicon::{self, LexiconsConfig, Scorer, ScoringConfig};
use framelens::synth::{write_corpus, SynthConfig};
use framelens::tokens::{Analyzer, Language, TokenizedDoc, TokenizerConfig};

/// The documents of a ~4 MB synthetic corpus: (language, text).
fn corpus() -> Vec<(Language, String)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = SynthConfig {
        target_bytes: Some(4_000_000),
        seed: 7,
        ..SynthConfig::default()
    };
    let summary = write_corpus(dir.path(), &config).expect("synthetic corpus");
    let text = std::fs::read_to_string(&summary.corpus).expect("corpus.tsv");
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let language = Language::from_code(fields[5]).expect("en or ru");
            (language, fields[6].to_string())
        })
        .collect()
}

/// One analyzer per language of the corpus, built from `config`.
struct Analyzers(Vec<(Language, Analyzer)>);

impl Analyzers {
    fn new(config: &TokenizerConfig) -> Analyzers {
        Analyzers(
            [Language::English, Language::Russian]
                .into_iter()
                .map(|l| (l, Analyzer::new(config, l).expect("tokenizer")))
                .collect(),
        )
    }

    fn get(&mut self, language: Language) -> &mut Analyzer {
        &mut self
            .0
            .iter_mut()
            .find(|(l, _)| *l == language)
            .expect("language of the corpus")
            .1
    }
}

fn tokenize_all(analyzers: &mut Analyzers, docs: &[(Language, String)]) -> Vec<TokenizedDoc> {
    docs.iter()
        .map(|(l, text)| analyzers.get(*l).analyze(text))
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: u64 = docs.iter().map(|(_, t)| t.len() as u64).sum();
    let plain = TokenizerConfig {
        stem: false,
        ..TokenizerConfig::default()
    };
    let mut unstemmed = Analyzers::new(&plain);
    let mut stemmed = Analyzers::new(&TokenizerConfig::default());
    let tokenized = tokenize_all(&mut stemmed, &docs);

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));
    // Decimal megabytes (10^6 bytes), the unit of issue 7's target, instead of criterion's MiB.
    group.throughput(Throughput::BytesDecimal(bytes));

    group.bench_function("tokenize", |b| {
        b.iter(|| tokenize_all(&mut unstemmed, &docs).len())
    });
    group.bench_function("tokenize_stem", |b| {
        b.iter(|| tokenize_all(&mut stemmed, &docs).len())
    });
    group.bench_function("count", |b| {
        b.iter(|| {
            let mut vocab = Vocabulary::default();
            tokenized
                .iter()
                .map(|d| vocab.intern(LocalCounts::from_tokens(d, false)).n_terms)
                .sum::<u32>()
        })
    });
    group.bench_function("tokenize_stem_count", |b| {
        b.iter(|| {
            let mut vocab = Vocabulary::default();
            docs.iter()
                .map(|(l, text)| {
                    let doc = stemmed.get(*l).analyze(text);
                    vocab.intern(LocalCounts::from_tokens(&doc, false)).n_terms
                })
                .sum::<u32>()
        })
    });

    let signer = SignatureBuilder::new(&NearDupConfig::default(), 1);
    group.bench_function("minhash", |b| {
        b.iter(|| {
            tokenized
                .iter()
                .map(|d| {
                    let content: Vec<&str> = d
                        .tokens
                        .iter()
                        .filter(|t| !t.is_stop)
                        .map(|t| t.stem.as_str())
                        .collect();
                    signer.signature(&content).len()
                })
                .sum::<usize>()
        })
    });

    // The shipped lexicons, compiled with the tokenizer's stems (as the pipeline does).
    let lexicons = lexicon::load_selected(&LexiconsConfig::default()).expect("shipped lexicons");
    let scorer = Scorer::new(lexicons, &ScoringConfig::default(), &mut |lang, word| {
        let language = Language::from_code(lang).expect("shipped lexicon language");
        stemmed.get(language).stem_word(word)
    })
    .expect("shipped lexicons compile");
    group.bench_function("score", |b| {
        b.iter(|| {
            tokenized
                .iter()
                .zip(&docs)
                .map(|(d, (l, _))| scorer.score(d, l.code()).rows.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
