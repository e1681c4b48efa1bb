//! Tokens stage: turns each document's clean text into [`Token`]s with byte spans, sentence
//! indices, normalized forms, Snowball stems, stopword flags and quotation marks.
//!
//! Input is the clean (NFC-normalized, boilerplate-free) text from the corpus stage; output is a
//! [`TokenizedDoc`] per document, which the features stage counts and the lexicon stage scores.
//! An [`Analyzer`] is built once per language from the `[tokenizer]` table of the study file
//! ([`TokenizerConfig`]) and runs a chain of small steps, each with a written ordering contract
//! (in the style of tantivy's token filters):
//!
//! segment (UAX #29 words, URLs and e-mails protected) → merge rules (dotted abbreviations,
//! digit groups, hyphen compounds) → fold + lowercase → possessive strip → stopword flag → stem,
//! then sentence numbering (UAX #29 sentences, without the breaks after titles, initials and
//! abbreviations such as "Mr." or "В." — see [`abbrev`]) and quotation tracking. See
//! [`analyzer`] for the chain and the submodules for each step's rules.
//!
//! # Snowball version
//!
//! Stems come from `rust-stemmers` 1.2.0. Its generated Rust files say only "This file was
//! generated automatically by the Snowball to Rust compiler"; neither they nor the crate's README
//! state a Snowball version or date. What the crate source does show:
//!
//! - the `algorithms/*.sbl` sources shipped with the crate carry file dates of February 2017
//!   for most languages (Greek January 2019, Norwegian November 2019), a weak hint of when they
//!   were copied from Snowball's repository;
//! - Snowball 1.x had no Rust backend: the Rust generator was contributed by the crate's author
//!   and first released with Snowball 2.0.0 (2019-10-02, per Snowball's NEWS file), so the code
//!   was generated with that backend from the copied `.sbl` sources, not from a released
//!   Snowball version;
//! - the shipped `russian.sbl` lacks the `ё` → `е` normalisation that Snowball 2.0.0 added to
//!   the Russian algorithm, so the Russian stemmer is the pre-2.0 algorithm. The [`stem`] step
//!   adds that mapping itself.
//!
//! Measured against the reference vocabularies of the Debian package `snowball-data`
//! (0+20210120, a snapshot for Snowball 2.1.0): the raw crate agrees on 100 % of the 29,417
//! English words and on 99.775 % of the 49,785 Russian words (the 112 misses are exactly the
//! words with `ё`). Through [`Analyzer::stem_word`], with the `ё` mapping, English agrees on
//! 29,416 words (the one miss is the letterless test entry `'''`) and Russian on all of them.
//! So for English and Russian the stems match Snowball 2.1 on its own test vocabulary; other
//! languages were not measured. `tests/snowball.rs` pins these figures.

pub mod abbrev;
pub mod analyzer;
pub(crate) mod chars;
pub mod config;
pub mod language;
pub mod normalize;
pub mod quotes;
pub(crate) mod scan;
pub mod segment;
pub mod stem;
pub mod stopwords;
pub mod token;

use std::path::PathBuf;

pub use analyzer::{Analyzer, NUM_PLACEHOLDER};
pub use config::{NumberPolicy, StopwordConfig, TokenizerConfig, UrlPolicy};
pub use language::Language;
pub use token::{QuoteSpan, Token, TokenKind, TokenStr, TokenizedDoc};

/// Errors of the tokens stage.
#[derive(Debug, thiserror::Error)]
pub enum TokensError {
    /// A stopword file could not be read (missing, unreadable or not UTF-8).
    #[error("cannot read stopword file {}: {error}", path.display())]
    StopwordFile {
        /// The file, as resolved by the study layer.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// A stopword entry contains whitespace, so it could never match a token.
    #[error("{origin}: stopword \"{word}\" contains whitespace (one word per entry)")]
    StopwordWithSpace {
        /// Where the entry came from: `file:line` or `tokenizer.stopwords.extra`.
        origin: String,
        /// The offending entry.
        word: String,
    },
    /// A language code or name that no stemmer covers.
    #[error("unknown language \"{0}\" (expected an ISO 639 code or English name of a language with a Snowball stemmer)")]
    UnknownLanguage(String),
}
