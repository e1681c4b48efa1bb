//! `framelens run`: run a study.

use std::path::PathBuf;

use clap::Args;

use crate::pipeline;
use crate::study::{RunConfig, Study};
use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Run a study: read the corpus, strip boilerplate, tokenize and stem, count terms, detect
near-duplicates, score every document against the study's lexicons, and write the tables and the
manifest.

Outputs (in --tables, default notebooks-data/<study>/; columns in notebooks-data/README.md):
  documents.parquet   one row per input document, kept or skipped with the reason
  terms.parquet       one row per document and term: count, tf, tf-idf
  vocabulary.parquet  one row per term: label, document frequency, total count, idf
  scores.parquet      one row per document, lexicon and category: hits, negated hits, rate per
                      1,000 tokens, share of the lexicon's hits, weighted sum
  sentence_scores.parquet  one row per sentence, lexicon and category with a hit; sentence tone
  tone.parquet        one row per document and polar lexicon: positive, negative, net tone,
                      logit tone, mean valence
  lexicon_coverage.parquet one row per lexicon entry that matched: how often (and negated)
  manifest.json       input hashes, every parameter, seed, counts, timings
With `[output] csv = true` every table is also written as CSV. Outputs are written under
temporary names and renamed into place only when the whole run succeeded.";

/// Arguments of `framelens run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The study file (TOML).
    pub study: PathBuf,
    /// Folder for the tables (default: notebooks-data/<study>/).
    #[arg(long, value_name = "DIR")]
    pub tables: Option<PathBuf>,
    /// Folder for the report (default: reports/<study>/).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Worker threads (default: one per core). Outputs are identical for any value.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat every document that would be skipped (empty after cleaning, unparseable date,
    /// unknown language, near-duplicate with drop = true, …) as an error: exit 2, write nothing.
    #[arg(long)]
    pub strict: bool,
}

pub(super) fn run(args: RunArgs) -> Result<(), Error> {
    let study = Study::load(&args.study)?;
    let mut config = RunConfig::new(
        study,
        args.tables,
        args.report,
        args.threads.map(usize::from),
        !args.quiet,
        super::command_line(),
    );
    config.strict = args.strict;
    let summary = pipeline::run(&config)?;
    if !args.quiet {
        let skipped: usize = summary.skipped.values().sum();
        eprintln!(
            "{}: {} records, {} kept, {} skipped, {} near-duplicates, {} terms",
            config.study.name,
            summary.records,
            summary.kept,
            skipped,
            summary.near_duplicates,
            summary.vocabulary
        );
        for (reason, n) in &summary.skipped {
            eprintln!("  skipped {n}: {reason}");
        }
        eprintln!("tables written to {}", super::show(&config.tables_dir));
    }
    Ok(())
}
