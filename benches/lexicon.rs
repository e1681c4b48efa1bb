//! Lexicon scoring throughput: a synthetic 5,000-entry polar lexicon (80 % words, 10 %
//! `word*` wildcards, 10 % two-word phrases, 10 categories) scored against 1,000 synthetic
//! documents of 1,000 tokens (1M tokens, sentences of 20 tokens, 2 % negators). Criterion
//! reports the throughput in tokens (elements) per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use framelens::lexicon::{
    Category, Header, Lexicon, LexiconKind, MatchMode, Polarity, Scorer, ScoringConfig,
};
use framelens::tokens::{Token, TokenKind, TokenizedDoc};

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const SYL: [&str; 16] = [
    "ka", "lo", "mi", "ne", "po", "ru", "sa", "ti", "vo", "za", "bre", "dro", "ski", "tra", "gul",
    "fen",
];

fn vocab() -> Vec<String> {
    (0..40_000u32)
        .map(|i| {
            let code = i * 8 / 5;
            (0..4)
                .map(|k| SYL[((code >> (4 * k)) & 15) as usize])
                .collect()
        })
        .collect()
}

fn lexicon(vocab: &[String], rng: &mut Rng) -> Lexicon {
    let mut categories: Vec<Category> = (0..10)
        .map(|i| Category {
            name: format!("c{i}"),
            description: format!("category {i}"),
            polarity: match i {
                0 => Some(Polarity::Positive),
                1 => Some(Polarity::Negative),
                _ => None,
            },
            special: None,
            entries: Vec::new(),
        })
        .collect();
    for i in 0..5_000 {
        let w = &vocab[(rng.next() % vocab.len() as u64) as usize];
        let entry = match i % 10 {
            0 => format!("{w}*"),
            1 => format!("{w} {}", vocab[(rng.next() % vocab.len() as u64) as usize]),
            _ => w.clone(),
        };
        categories[i % 10].entries.push(entry);
    }
    Lexicon {
        header: Header {
            name: "synthetic".into(),
            version: "1.0.0".into(),
            languages: vec!["en".into()],
            license: "MIT".into(),
            description: "synthetic benchmark lexicon".into(),
            citation: "original".into(),
            match_mode: MatchMode::Surface,
            kind: LexiconKind::Polar,
            notes: None,
        },
        categories,
        weights: Default::default(),
        sha256: None,
        source: None,
    }
}

fn docs(vocab: &[String], rng: &mut Rng) -> Vec<TokenizedDoc> {
    (0..1_000)
        .map(|_| {
            let tokens = (0..1_000)
                .map(|i| {
                    let r = rng.next();
                    let w = if r % 50 == 0 {
                        "not".to_string()
                    } else {
                        vocab[((r >> 8) % vocab.len() as u64) as usize].clone()
                    };
                    Token {
                        start: 0,
                        end: 0,
                        sentence: i / 20,
                        kind: TokenKind::Word,
                        stem: w.as_str().into(),
                        norm: w.into(),
                        is_stop: false,
                        quoted: false,
                    }
                })
                .collect();
            TokenizedDoc {
                tokens,
                n_sentences: 50,
                quotes: Vec::new(),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let vocab = vocab();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let lex = lexicon(&vocab, &mut rng);
    let docs = docs(&vocab, &mut rng);
    let n_tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let scorer = Scorer::new(vec![lex], &ScoringConfig::default(), &mut |_, w| {
        w.to_string()
    })
    .expect("synthetic lexicon compiles");
    let mut group = c.benchmark_group("lexicon");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n_tokens as u64));
    group.bench_function("score_1m_tokens_5k_entries", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| scorer.score(d, "en").rows.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
