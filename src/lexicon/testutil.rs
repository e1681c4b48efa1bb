//! Test helper: a tiny whitespace tokenizer producing [`TokenizedDoc`] values, so the lexicon
//! tests do not depend on the real segmenter. Rules: split on whitespace; a token ending in
//! `.`, `!` or `?` ends its sentence; `,;:` are stripped; an opening `“`, `"`, `«` or `‘` starts
//! a quotation and a closing `”`, `"`, `»` or `’` ends it; norm = lowercased with the lexicon
//! folding; stem = rust_stemmers (English or Russian) of the norm.

use rust_stemmers::{Algorithm, Stemmer};

use super::model::normalize_entry;
use crate::tokens::{QuoteSpan, Token, TokenKind, TokenizedDoc};

/// The Snowball stem of `word` in `lang` (`en` or `ru`; other languages are returned as is).
pub(crate) fn stem(lang: &str, word: &str) -> String {
    let alg = match lang {
        "en" => Algorithm::English,
        "ru" => Algorithm::Russian,
        _ => return word.to_string(),
    };
    Stemmer::create(alg).stem(word).into_owned()
}

/// Tokenizes `text` (see the module doc).
pub(crate) fn doc(text: &str, lang: &str) -> TokenizedDoc {
    let mut tokens = Vec::new();
    let mut quotes = Vec::new();
    let mut sentence = 0u32;
    let mut open: Option<(u32, usize)> = None;
    let mut offset = 0;
    for raw in text.split_whitespace() {
        let at = offset + text[offset..].find(raw).unwrap_or(0);
        offset = at + raw.len();
        let mut word = raw;
        let mut start = at;
        let mut opens = false;
        for q in ['“', '"', '«', '‘'] {
            if let Some(rest) = word.strip_prefix(q) {
                word = rest;
                start += q.len_utf8();
                opens = true;
                break;
            }
        }
        let ends_sentence = word.ends_with(['.', '!', '?']);
        word = word.trim_end_matches(['.', '!', '?', ',', ';', ':']);
        let mut closes = false;
        for q in ['”', '"', '»', '’'] {
            if let Some(rest) = word.strip_suffix(q) {
                word = rest;
                closes = true;
                break;
            }
        }
        word = word.trim_end_matches(['.', '!', '?', ',', ';', ':']);
        if opens {
            open = Some((tokens.len() as u32, at));
        }
        if !word.is_empty() {
            let norm = normalize_entry(word);
            let kind = if norm.chars().all(|c| c.is_ascii_digit()) {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            tokens.push(Token {
                start,
                end: start + word.len(),
                sentence,
                kind,
                stem: stem(lang, &norm).into(),
                norm: norm.into(),
                is_stop: false,
                quoted: open.is_some(),
            });
        }
        if closes {
            if let Some((first, qstart)) = open.take() {
                quotes.push(QuoteSpan {
                    first_token: first,
                    end_token: tokens.len() as u32,
                    start: qstart,
                    end: at + raw.len(),
                });
            }
        }
        if ends_sentence {
            sentence += 1;
        }
    }
    let n_sentences = tokens.last().map(|t| t.sentence + 1).unwrap_or(0);
    TokenizedDoc {
        tokens,
        n_sentences,
        quotes,
    }
}

/// [`doc`] in English.
pub(crate) fn doc_en(text: &str) -> TokenizedDoc {
    doc(text, "en")
}

/// [`doc`] in Russian.
pub(crate) fn doc_ru(text: &str) -> TokenizedDoc {
    doc(text, "ru")
}

#[test]
fn helper_tokenizes_sentences_and_quotes() {
    let d = doc_ru("Это «красная линия». Не “угроза” вовсе");
    let norms: Vec<&str> = d.tokens.iter().map(|t| t.norm.as_str()).collect();
    assert_eq!(
        norms,
        vec!["это", "красная", "линия", "не", "угроза", "вовсе"]
    );
    let sents: Vec<u32> = d.tokens.iter().map(|t| t.sentence).collect();
    assert_eq!(sents, vec![0, 0, 0, 1, 1, 1]);
    assert_eq!(d.quotes.len(), 2);
    assert_eq!((d.quotes[0].first_token, d.quotes[0].end_token), (1, 3));
    assert_eq!((d.quotes[1].first_token, d.quotes[1].end_token), (4, 5));
    assert_eq!(d.n_sentences, 2);
}

/// A synthetic polar lexicon of `n_entries` entries (80 % words, 10 % `word*` wildcards, 10 %
/// two-word phrases over 10 categories) and `n_docs` documents of `doc_len` tokens drawn from
/// a 40,000-word pseudo-vocabulary, sentences of 20 tokens. Deterministic.
pub(crate) fn synthetic(
    n_entries: usize,
    n_docs: usize,
    doc_len: usize,
) -> (super::Lexicon, Vec<TokenizedDoc>) {
    use super::model::{Category, Header, Lexicon, LexiconKind, MatchMode, Polarity};
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const SYL: [&str; 16] = [
        "ka", "lo", "mi", "ne", "po", "ru", "sa", "ti", "vo", "za", "bre", "dro", "ski", "tra",
        "gul", "fen",
    ];
    // 40,000 distinct four-syllable words
    let vocab: Vec<String> = (0..40_000u32)
        .map(|i| {
            let code = i * 8 / 5;
            (0..4)
                .map(|k| SYL[((code >> (4 * k)) & 15) as usize])
                .collect()
        })
        .collect();
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
    for i in 0..n_entries {
        let w = &vocab[(next() % 40_000) as usize];
        let entry = match i % 10 {
            0 => format!("{w}*"),
            1 => format!("{w} {}", vocab[(next() % 40_000) as usize]),
            _ => w.clone(),
        };
        categories[i % 10].entries.push(entry);
    }
    let lex = Lexicon {
        header: Header {
            name: "synthetic".into(),
            version: "1.0.0".into(),
            languages: vec!["en".into()],
            license: "MIT".into(),
            description: "synthetic".into(),
            citation: "original".into(),
            match_mode: MatchMode::Surface,
            kind: LexiconKind::Polar,
            notes: None,
        },
        categories,
        weights: Default::default(),
        sha256: None,
        source: None,
    };
    let docs = (0..n_docs)
        .map(|_| {
            let tokens = (0..doc_len)
                .map(|i| {
                    let r = next();
                    let w = if r % 50 == 0 {
                        "not".to_string()
                    } else {
                        vocab[(r >> 8) as usize % 40_000].clone()
                    };
                    Token {
                        start: 0,
                        end: 0,
                        sentence: (i / 20) as u32,
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
                n_sentences: doc_len.div_ceil(20) as u32,
                quotes: Vec::new(),
            }
        })
        .collect();
    (lex, docs)
}
