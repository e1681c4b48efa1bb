//! framelens measures how differently news outlets frame the same events.
//!
//! A run follows the data flow, one module per stage: a [`study`] file names a [`corpus`], which
//! is read in batches and cleaned; each document is split into [`tokens`] (Unicode word
//! segmentation, stopwords, Snowball stems, byte spans and sentence indices); [`features`] interns
//! the terms and computes counts, tf-idf and near-duplicates; [`lexicon`] scores each document
//! against tone, frame, security and stance lexicons in one pass; [`tables`] writes them as Parquet for
//! notebooks, with a [`manifest`] that makes the run reproducible. [`pipeline`] is the one place
//! that knows the order of the stages ([`shard`] splits a run over machines and merges it back);
//! [`cli`] turns a command line into a resolved
//! [`study::RunConfig`] and nothing downstream reads command-line types.

#![warn(missing_docs)]

pub mod cli;
pub mod cluster;
pub mod compare;
pub mod corpus;
mod cpu;
pub mod features;
pub mod lexicon;
pub mod manifest;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod shard;
pub mod study;
pub mod synth;
pub mod tables;
pub mod tokens;

/// Any error of a run. Input errors (exit code 2) name the file, line or document to fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The study file is unreadable or invalid.
    #[error(transparent)]
    Study(#[from] study::StudyError),
    /// The corpus cannot be read as configured.
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
    /// A tokenizer setting is unusable (e.g. an unreadable stopword file).
    #[error(transparent)]
    Tokens(#[from] tokens::TokensError),
    /// A clustering setting is unusable (e.g. k larger than the number of documents).
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    /// A comparison setting or input is unusable (e.g. an event named "pooled").
    #[error(transparent)]
    Compare(#[from] compare::CompareError),
    /// The report could not be drawn or written.
    #[error(transparent)]
    Report(#[from] report::ReportError),
    /// A lexicon is unreadable or invalid.
    #[error(transparent)]
    Lexicon(#[from] lexicon::LexiconError),
    /// An output could not be written.
    #[error(transparent)]
    Table(#[from] tables::TableError),
    /// Shard folders cannot be merged (missing, duplicated, or from another study or version).
    #[error(transparent)]
    Shard(#[from] shard::ShardError),
    /// A usage error detected after argument parsing.
    #[error("{0}")]
    Usage(String),
    /// A document would have been skipped under `--strict`.
    #[error("{0}")]
    Strict(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit code: 2 for a usage or input error, 1 for other failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Study(_)
            | Error::Corpus(_)
            | Error::Tokens(_)
            | Error::Lexicon(_)
            | Error::Cluster(_)
            | Error::Usage(_)
            | Error::Shard(_)
            | Error::Strict(_) => 2,
            Error::Compare(e) if e.is_input_error() => 2,
            Error::Compare(_) | Error::Report(_) | Error::Table(_) | Error::Other(_) => 1,
        }
    }
}
