//! `framelens run`: run a study.

use std::path::PathBuf;

use clap::Args;

use crate::corpus::SkipKind;
use crate::manifest::Skips;
use crate::pipeline::{self, RunSummary};
use crate::shard::ShardSpec;
use crate::study::{RunConfig, Study};
use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Run a study: read the corpus, strip boilerplate, tokenize and stem, count terms, detect
near-duplicates, score every document against the study's lexicons, compare groups and outlets
within events, cluster the documents, and write the tables, the manifest and the report.

Tables (in --tables, default notebooks-data/<study>/; columns in notebooks-data/README.md):
  documents           one row per input document, kept or skipped with a kind and reason
  terms               one row per document and term: count, tf, tf-idf
  vocabulary          one row per term: label, document frequency, total count, idf
  scores              one row per document, lexicon and category: hits, negated hits, rate per
                      1,000 tokens, share of the lexicon's hits, weighted sum
  sentence_scores     one row per sentence, lexicon and category with a hit; sentence tone
  tone                one row per document and polar lexicon: positive, negative, net tone,
                      logit tone, mean valence
  lexicon_coverage    one row per lexicon entry that matched: how often (and negated)
  comparisons         group differences per category and event (and pooled): means, difference,
                      bootstrap CI, permutation p, BH q, effect size, n, small-sample warning
  keyness             key terms per group pair and event: log-odds delta, se, z, G2, chi2
  divergence          outlet pairs: Jensen-Shannon divergence, frame cosine distance
  outlet_profiles     mean rate per outlet and category with a bootstrap CI
  events              automatic event of each document (only when events were grouped)
  clusters, cluster_summary, cluster_agreement, cluster_selection, pca
                      cluster and map position of each document, cluster names, ARI/NMI
                      against group/outlet/event, silhouette per k, explained variance
  manifest.json       input hashes, lexicon hashes, every parameter, seed, counts, timings
Tables are Parquet (plus CSV with `[output] csv = true`).

Report (in --report, default reports/<study>/): report.html (self-contained, figures inlined
as SVG), report.md, figures/*.svg and *.png, and a copy of manifest.json.

Everything is written under temporary names and renamed into place only when the run succeeded;
tables of an earlier run that this run did not write are removed.

Sharded runs (for corpora beyond one machine, e.g. a Slurm job array; see `framelens merge
--help` and examples/slurm/): `--shard K/N` reads the whole corpus but tokenizes and scores only
the records with index i (0-based, in input order) where i mod N = K - 1, and writes partial
tables to <tables>/shards/K-of-N/ (or --shard-dir). `framelens merge` then writes exactly the
tables a single run would.";

/// Arguments of `framelens run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The study file (TOML).
    pub study: PathBuf,
    #[command(flatten)]
    pub options: RunOptions,
    /// Analyze only shard K of N (1 <= K <= N) and write its partial tables for `framelens
    /// merge`: record i (0-based, input order) belongs to shard (i mod N) + 1.
    #[arg(long, value_name = "K/N", conflicts_with = "report")]
    pub shard: Option<ShardSpec>,
    /// Folder for the shard's partial tables (default: <tables>/shards/K-of-N/).
    #[arg(long, value_name = "DIR", requires = "shard")]
    pub shard_dir: Option<PathBuf>,
}

/// The options `run` and `merge` share: where outputs go, threads, verbosity and `--strict`.
#[derive(Debug, Args)]
pub struct RunOptions {
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

impl RunOptions {
    /// Loads the study file and applies these options to it.
    pub(super) fn config(self, study: &std::path::Path) -> Result<RunConfig, Error> {
        let mut config = RunConfig::new(
            Study::load(study)?,
            self.tables,
            self.report,
            self.threads.map(usize::from),
            !self.quiet,
            super::command_line(),
        );
        config.strict = self.strict;
        Ok(config)
    }
}

pub(super) fn run(args: RunArgs) -> Result<(), Error> {
    let quiet = args.options.quiet;
    let tables_given = args.options.tables.is_some();
    let config = args.options.config(&args.study)?;
    if let Some(spec) = args.shard {
        let shard_dir_given = args.shard_dir.is_some();
        let dir = args
            .shard_dir
            .unwrap_or_else(|| spec.default_dir(&config.tables_dir));
        let summary = pipeline::run_shard(&config, spec, &dir)?;
        if !quiet {
            let skipped: usize = summary.skipped.values().map(|s| s.documents).sum();
            eprintln!(
                "{}: shard {}: {} of {} records, {} tokenized and scored, {} skipped",
                config.study.name,
                summary.spec,
                summary.records,
                summary.records_total,
                summary.analyzed,
                skipped
            );
            print_skips(&summary.skipped);
            // The merge command that finds these shards: the same tables folder, and the shard
            // folders themselves when they are not in their default place.
            let mut merge = format!("framelens merge {}", super::show(&args.study));
            if tables_given {
                merge.push_str(&format!(" --tables {}", super::show(&config.tables_dir)));
            }
            if shard_dir_given {
                merge.push_str(" --shards <the folders of all shards>");
            }
            eprintln!(
                "partial tables written to {}; when all {} shards are done, run `{merge}`",
                super::show(&summary.dir),
                summary.spec.count(),
            );
        }
        return Ok(());
    }
    let summary = pipeline::run(&config)?;
    if !quiet {
        print_summary(&config, &summary);
    }
    Ok(())
}

/// The closing summary of a run or a merge, on standard error.
pub(super) fn print_summary(config: &RunConfig, summary: &RunSummary) {
    let skipped: usize = summary.skipped.values().map(|s| s.documents).sum();
    eprintln!(
        "{}: {} records, {} kept, {} skipped, {} near-duplicates, {} terms",
        config.study.name,
        summary.records,
        summary.kept,
        skipped,
        summary.near_duplicates,
        summary.vocabulary
    );
    print_skips(&summary.skipped);
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!("tables written to {}", super::show(&config.tables_dir));
    if config.study.study.report.enabled {
        eprintln!(
            "report written to {}",
            super::show(&config.report_dir.join("report.html"))
        );
    }
}

/// One line per skip kind: how many, and the first such document as an example.
fn print_skips(skipped: &std::collections::BTreeMap<SkipKind, Skips>) {
    for (kind, skips) in skipped {
        eprintln!(
            "  {} skipped as {kind}, e.g. {}",
            skips.documents, skips.example
        );
    }
}
