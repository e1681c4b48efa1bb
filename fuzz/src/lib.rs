//! Shared drivers of the fuzz targets: each feeds arbitrary bytes to one framelens entry point
//! and checks what must hold for any input. An `Err` is a fine outcome; a panic is a bug.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use framelens::corpus::{self, CorpusConfig, OnInvalid};
use framelens::lexicon::{self, Format, LoadOptions};
use framelens::tokens::{Analyzer, Language, NumberPolicy, TokenizerConfig, UrlPolicy};

thread_local! {
    /// Analyzers by options byte and language.
    static ANALYZERS: RefCell<HashMap<(u8, Language), Analyzer>> = RefCell::new(HashMap::new());
}

/// Tokenizes `data` (read as UTF-8, invalid bytes as U+FFFD) in English and Russian, with the
/// tokenizer options taken from the first byte, and checks the span invariants.
pub fn tokenizer(data: &[u8]) {
    let (flags, rest) = data.split_first().unwrap_or((&0, &[]));
    let text = String::from_utf8_lossy(rest);
    let config = TokenizerConfig {
        lowercase: flags & 1 == 0,
        split_hyphens: flags & 2 != 0,
        numbers: match (flags >> 2) & 3 {
            1 => NumberPolicy::Drop,
            2 => NumberPolicy::Normalize,
            _ => NumberPolicy::Keep,
        },
        urls: if flags & 16 != 0 {
            UrlPolicy::Drop
        } else {
            UrlPolicy::Keep
        },
        strip_possessive: flags & 32 == 0,
        stem: flags & 64 == 0,
        ..TokenizerConfig::default()
    };
    for language in [Language::English, Language::Russian] {
        // Building an analyzer loads the stopword lists; keep one per options and language.
        let doc = ANALYZERS.with_borrow_mut(|analyzers| {
            analyzers
                .entry((*flags, language))
                .or_insert_with(|| {
                    Analyzer::new(&config, language).expect("built-in stopwords load")
                })
                .analyze(&text)
        });
        let mut previous_end = 0;
        let mut previous_sentence = 0;
        for token in &doc.tokens {
            assert!(token.start < token.end, "empty span {token:?}");
            assert!(token.end <= text.len(), "span past the end {token:?}");
            assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            assert!(
                token.start >= previous_end,
                "overlapping or unordered {token:?}"
            );
            assert!(
                token.sentence >= previous_sentence,
                "sentence went back {token:?}"
            );
            assert!(
                token.sentence < doc.n_sentences,
                "sentence out of range {token:?}"
            );
            assert!(!token.norm.is_empty(), "empty norm {token:?}");
            previous_end = token.end;
            previous_sentence = token.sentence;
        }
        match doc.tokens.last() {
            Some(last) => assert_eq!(doc.n_sentences, last.sentence + 1),
            None => assert_eq!(doc.n_sentences, 0),
        }
        for quote in &doc.quotes {
            assert!(quote.first_token <= quote.end_token, "{quote:?}");
            assert!(quote.end_token as usize <= doc.tokens.len(), "{quote:?}");
            assert!(
                quote.start < quote.end && quote.end <= text.len(),
                "{quote:?}"
            );
            assert!(text.is_char_boundary(quote.start) && text.is_char_boundary(quote.end));
            for token in &doc.tokens[quote.first_token as usize..quote.end_token as usize] {
                assert!(
                    quote.start <= token.start && token.end <= quote.end,
                    "{quote:?}"
                );
            }
        }
    }
}

/// A scratch folder for the input files, one per fuzzing process.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("framelens-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// Writes `data` (after its first byte, which picks reader options) to a file with `extension`
/// and reads it to the end through [`corpus::open`] and `next_batch`. Any error is accepted.
pub fn ingest(data: &[u8], extension: &str) {
    let (flags, rest) = data.split_first().unwrap_or((&0, &[]));
    let path = scratch().join(format!("input.{extension}"));
    std::fs::write(&path, rest).expect("write the fuzz input");
    let mut config = CorpusConfig::new(&path);
    if flags & 1 != 0 {
        config.on_invalid_utf8 = OnInvalid::Replace;
    }
    if flags & 2 != 0 {
        config.encoding = Some("windows-1251".to_string());
    }
    if flags & 4 != 0 {
        config.quoting = false;
    }
    if flags & 8 != 0 {
        // Map every optional field, so value maps and date parsing run too.
        config.columns.outlet = Some("outlet".to_string());
        config.columns.date = Some("date".to_string());
        config.columns.language = Some("lang".to_string());
    }
    if flags & 16 != 0 {
        config.boilerplate.trailing_headline = true;
        config.boilerplate.drop_repeated_lines = true;
        config.boilerplate.cut_after = vec!["(?i)^read more".to_string()];
    }
    if flags & 32 != 0 {
        // A small size limit, so the too-large skips run too.
        config.max_document_bytes = 64;
    }
    let Ok(mut reader) = corpus::open(&config) else {
        return;
    };
    let batch = usize::from(flags >> 6) + 1;
    while let Ok(records) = reader.next_batch(batch) {
        if records.is_empty() {
            break;
        }
        assert!(records.len() <= batch);
    }
}

/// Parses and checks `data` as a lexicon in `format`; a lexicon without errors is written back
/// in every format, which must succeed.
pub fn lexicon(data: &[u8], format: Format) {
    let path = Path::new("fuzz").with_extension(format.extension());
    let (lexicon, diagnostics) = lexicon::check_bytes(data, format, &path, &LoadOptions::default());
    for diagnostic in &diagnostics {
        assert!(!diagnostic.to_string().is_empty());
    }
    if let Some(lexicon) = lexicon {
        if !diagnostics.iter().any(|d| d.is_error()) {
            for target in [Format::Native, Format::Liwc, Format::Yaml, Format::Weighted] {
                let mut out = Vec::new();
                lexicon::write(&lexicon, target, &mut out).expect("writing to memory succeeds");
            }
        }
    }
}
