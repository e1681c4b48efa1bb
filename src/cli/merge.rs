//! `framelens merge`: combine the shards of a sharded run into the tables of a single run.

use std::path::PathBuf;

use clap::Args;

use super::run::RunOptions;
use crate::pipeline;
use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Merge the shards of a sharded run (`framelens run STUDY --shard K/N` for K = 1..N) and run the
stages that need the whole corpus: near-duplicate detection (in corpus order, across shards),
the vocabulary with its document frequencies and idf, the documents, terms, vocabulary, scores
and coverage tables, the comparisons, the clustering, the manifest and the report.

The tables are byte-identical to those of `framelens run STUDY` on the whole corpus; the
manifest differs only in its `run` section, which also lists the shards (their folders, record
counts, times and command lines).

Before anything is written, the shards are checked: shards 1..=N must all be present, each
once, of the same N, made from this study file (same SHA-256), the same corpus (same input
files and hashes), the same lexicon files and this framelens version. A shard that fails a
check is named with the reason, and the merge exits with code 2. The corpus itself is not
read again: the merge needs only the study file, its lexicons and the shard folders.

Shard folders (default: every K-of-N folder in <tables>/shards/, as `run --shard` writes
them; or the folders given with --shards, in any order) are left in place.";

/// Arguments of `framelens merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The study file (TOML) the shards were run with.
    pub study: PathBuf,
    /// The shard folders to merge (default: the K-of-N folders in <tables>/shards/).
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub options: RunOptions,
}

pub(super) fn run(args: MergeArgs) -> Result<(), Error> {
    let quiet = args.options.quiet;
    let config = args.options.config(&args.study)?;
    let dirs = (!args.shards.is_empty()).then_some(args.shards.as_slice());
    let summary = pipeline::merge(&config, dirs)?;
    if !quiet {
        super::run::print_summary(&config, &summary);
    }
    Ok(())
}
