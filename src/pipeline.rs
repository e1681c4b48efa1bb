//! The one place that knows the order of the stages.
//!
//! 0. **prepare**: the tokenizer settings and every lexicon are loaded and checked before any
//!    input is read, so a structural problem stops the run before any output exists.
//! 1. **corpus**: records stream in bounded batches (`output.batch-size` documents); each is a
//!    cleaned document or a skip with its reason.
//! 2. **tokens** and **lexicon** (parallel over a batch): each document is tokenized and stemmed
//!    in its own language, its terms are counted, its MinHash signature is computed and it is
//!    scored against every lexicon for its language. The text is dropped after this step.
//! 3. **features** (sequential, in input order, so nothing depends on the thread count): the
//!    document is checked against earlier ones for near-duplication; unless it is dropped as
//!    one, its counts are interned into the vocabulary and its scores are appended to the
//!    streamed score tables.
//! 4. **vocabulary** frequencies, pruning and idf over the kept documents; the `terms`,
//!    `vocabulary`, `documents` and `lexicon_coverage` tables.
//! 5. **commit**: every table and the manifest were written under temporary names; they are
//!    renamed into place together, in one journaled commit (`tables::commit`), as is the report.
//!
//! Every input record ends up as one row of the `documents` table, kept or skipped with a reason.
//!
//! A sharded run splits this at the end of stage 2: [`run_shard`] runs stages 0–2 on every N-th
//! record and writes what they produced to partial tables ([`crate::shard`]); [`merge`] replays
//! the records of all shards in input order into stage 3 and runs the rest as [`run`] does, so
//! a single run is a run of one shard merged in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polars::prelude::*;
use rayon::prelude::*;

use crate::cluster;
use crate::compare;
use crate::corpus::{self, Metadata, Record, SkipKind};
use crate::features::matrix::{DocInfo, ScoreMatrix, TermMatrix};
use crate::features::{
    DocCounts, FinalVocabulary, LocalCounts, NearDupIndex, Signature, SignatureBuilder, Vocabulary,
};
use crate::lexicon::tables::{Coverage, ScoreTables};
use crate::lexicon::{self, DocScores, LexiconError, LexiconSource, Scorer};
use crate::manifest::{self, Manifest};
use crate::report;
use crate::shard::{self, ShardSpec, ShardSummary};
use crate::study::RunConfig;
use crate::tables::{polars_err, OutputDir, TableError};
use crate::tokens::{Analyzer, Language, TokenizedDoc};
use crate::Error;

/// Every table a run can write. A table of this list that the current run did not write (a stage
/// switched off, or skipped on this corpus) is removed when the run commits, so the folder never
/// mixes tables of two runs.
pub const KNOWN_OUTPUTS: [&str; 17] = [
    "documents",
    "terms",
    "vocabulary",
    "scores",
    "sentence_scores",
    "tone",
    "lexicon_coverage",
    "clusters",
    "cluster_summary",
    "cluster_agreement",
    "cluster_selection",
    "pca",
    "comparisons",
    "keyness",
    "divergence",
    "outlet_profiles",
    "events",
];

/// What a run did, for the command line's closing summary.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Input records (documents, rows or files) seen.
    pub records: usize,
    /// Documents kept.
    pub kept: usize,
    /// Skipped records by kind: how many, and the first one's reason as an example.
    pub skipped: BTreeMap<SkipKind, manifest::Skips>,
    /// Documents reported as near-duplicates of an earlier one.
    pub near_duplicates: usize,
    /// Terms in the written vocabulary.
    pub vocabulary: usize,
    /// Stages that could not run on this corpus (e.g. too few documents to cluster), and why.
    pub warnings: Vec<String>,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

/// One row of the `documents` table, kept or skipped.
pub(crate) struct DocRow {
    pub(crate) doc_id: Option<String>,
    pub(crate) meta: Metadata,
    pub(crate) language: Option<String>,
    pub(crate) source: String,
    pub(crate) boilerplate_lines_removed: u32,
    /// Why the document was skipped; `None` when kept.
    pub(crate) skip: Option<(SkipKind, String)>,
    /// Index into the kept documents' counts.
    pub(crate) counts: Option<usize>,
    /// Row index of the earlier document this one nearly duplicates, and the similarity.
    pub(crate) near_duplicate: Option<(usize, f64)>,
}

/// The result of stage 2 for one record: what a shard writes and a merge reads back
/// ([`crate::shard`]).
pub(crate) enum Analyzed {
    Kept {
        row: DocRow,
        local: LocalCounts,
        signature: Signature,
        scores: DocScores,
    },
    Skipped(DocRow),
}

/// Everything checked and built before the first document is read.
struct Prepared {
    scorer: Scorer,
    /// Tokenizers per language, cloned by each worker.
    analyzers: std::sync::Mutex<BTreeMap<Language, Analyzer>>,
    /// `(lexicon, category)` columns of the score matrix, in lexicon then file order.
    columns: Vec<(String, String)>,
    lexicons: Vec<LexiconSource>,
    signer: SignatureBuilder,
}

/// One tokenizer per language for each worker, cloned from a shared prototype so stopword files
/// are read once per run, not once per batch split.
struct Analyzers<'a> {
    config: &'a RunConfig,
    prototypes: &'a std::sync::Mutex<BTreeMap<Language, Analyzer>>,
    by_language: BTreeMap<Language, Analyzer>,
}

impl Analyzers<'_> {
    fn get(&mut self, language: Language) -> Result<&mut Analyzer, Error> {
        if !self.by_language.contains_key(&language) {
            let mut prototypes = self
                .prototypes
                .lock()
                .map_err(|_| Error::Other("a tokenizer thread panicked".into()))?;
            let analyzer = match prototypes.get(&language) {
                Some(a) => a.clone(),
                None => {
                    let a = Analyzer::new(&self.config.study.study.tokenizer, language)?;
                    prototypes.insert(language, a.clone());
                    a
                }
            };
            self.by_language.insert(language, analyzer);
        }
        Ok(self.by_language.get_mut(&language).expect("inserted above"))
    }
}

/// Runs every stage and writes the tables, the manifest and the report.
pub fn run(config: &RunConfig) -> Result<RunSummary, Error> {
    // Before anything else, a commit that a crash interrupted is finished (rolled forward), so
    // even a run that then fails leaves each folder holding one run's outputs.
    crate::tables::recover(&config.tables_dir)?;
    crate::tables::recover(&config.report_dir)?;
    in_pool(config, || run_in_pool(config))
}

/// Runs stages 0–2 on one shard of the corpus (every N-th record, see [`crate::shard`]) and
/// commits its partial tables to `dir`. The stages that need the whole corpus run in [`merge`].
pub fn run_shard(config: &RunConfig, spec: ShardSpec, dir: &Path) -> Result<ShardSummary, Error> {
    in_pool(config, || {
        let started = manifest::now();
        let mut timings = manifest::Timings::default();
        let t = Instant::now();
        let prepared = prepare(config)?;
        timings.record("prepare", t);
        let t = Instant::now();
        // Chunks of batch-size / N records: the merge holds one chunk of every shard at once.
        let chunk = config
            .study
            .study
            .output
            .batch_size
            .div_ceil(spec.count() as usize);
        let mut partial = shard::PartialWriter::create(dir, spec, chunk)?;
        let streamed = stream(config, &prepared, Some(spec), |record, analyzed| {
            if let Analyzed::Skipped(row) = &analyzed {
                strict_check(config, row)?;
            }
            partial.add(record, analyzed)
        })?;
        timings.record("read_tokenize_score", t);
        let inputs = manifest::hash_inputs(config, &streamed.inputs)?;
        partial.commit(
            config,
            shard::Provenance {
                records_total: streamed.records,
                extra_columns: streamed.extra_columns,
                inputs,
                lexicons: prepared.lexicons,
                started_at: started,
                stage_seconds: timings,
            },
        )
    })
}

/// Merges the partial tables of a sharded run and runs every stage after the streaming one, as
/// [`run`] would have on the whole corpus: the tables are byte-identical to a single run's.
/// `dirs` are the shard folders (default: those under `<tables>/shards/`).
pub fn merge(config: &RunConfig, dirs: Option<&[PathBuf]>) -> Result<RunSummary, Error> {
    crate::tables::recover(&config.tables_dir)?;
    crate::tables::recover(&config.report_dir)?;
    in_pool(config, || {
        let started = manifest::now();
        let mut timings = manifest::Timings::default();
        let t = Instant::now();
        let prepared = prepare(config)?;
        let set = shard::ShardSet::open(config, dirs, &prepared.lexicons)?;
        timings.record("prepare", t);

        let t = Instant::now();
        let mut out = OutputDir::create(&config.tables_dir, config.study.study.output.csv)?;
        let mut collector = Collector::new(config, &prepared.columns, &mut out)?;
        let provenance = set.replay(|analyzed| collector.add(analyzed))?;
        timings.record("merge_shards", t);
        finish(
            config,
            collector,
            &prepared.columns,
            out,
            Provenance {
                extra_columns: provenance.extra_columns,
                inputs: provenance.inputs,
                lexicons: prepared.lexicons,
                started_at: started,
                timings,
                shards: Some(provenance.shards),
            },
        )
    })
}

/// Tokenizes and scores the corpus without writing anything, and returns which lexicon entries
/// matched how often (for `framelens lexicon coverage`).
pub fn coverage(config: &RunConfig) -> Result<Coverage, Error> {
    in_pool(config, || {
        let prepared = prepare(config)?;
        let mut coverage = Coverage::default();
        stream(config, &prepared, None, |_, analyzed| {
            if let Analyzed::Kept { scores, .. } = analyzed {
                coverage.add(&scores);
            }
            Ok(())
        })?;
        Ok(coverage)
    })
}

fn in_pool<T: Send>(
    config: &RunConfig,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = config.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(|e| Error::Other(e.to_string()))?;
    pool.install(f)
}

/// Stage 0: check the tokenizer settings, load the lexicons and compile the scorer.
fn prepare(config: &RunConfig) -> Result<Prepared, Error> {
    let study = &config.study.study;
    // An unreadable stopword file fails here, before anything is read.
    Analyzer::new(&study.tokenizer, config.study.language)?;
    let mut lexicons = lexicon::load_selected(&study.lexicons)?;
    let mut analyzers: BTreeMap<String, Analyzer> = BTreeMap::new();
    for lex in &mut lexicons {
        // Documents are scored under the ISO 639-1 code of their language, so a lexicon written
        // for "eng" or "English" must be filed under "en" too.
        for code in &mut lex.header.languages {
            let language = Language::from_code(code).ok_or_else(|| LexiconError::Config {
                message: format!(
                    "lexicon \"{}\" ({}): language {code:?} is not one framelens can stem",
                    lex.header.name,
                    lex.source
                        .as_deref()
                        .map_or_else(String::new, |p| p.display().to_string())
                ),
            })?;
            *code = language.code().to_string();
            if !analyzers.contains_key(code.as_str()) {
                analyzers.insert(code.clone(), Analyzer::new(&study.tokenizer, language)?);
            }
        }
        if study.tokenizer.split_hyphens {
            split_hyphenated_entries(lex);
        }
    }
    lexicon::builtin::check_versions(&lexicons)?;
    let sources = lexicons
        .iter()
        .map(|l| lexicon::builtin::source_of(l, config.study.base_dir()))
        .collect();
    let mut columns: Vec<(String, String)> = Vec::new();
    for lex in &lexicons {
        for cat in &lex.categories {
            let col = (lex.header.name.clone(), cat.name.clone());
            if cat.special != Some(lexicon::Special::Exclude) && !columns.contains(&col) {
                columns.push(col);
            }
        }
    }
    let scorer = Scorer::new(lexicons, &study.scoring, &mut |lang, word| {
        analyzers
            .get_mut(lang)
            .map_or_else(|| word.to_lowercase(), |a| a.stem_word(word))
    })?;
    let prototypes = analyzers.into_values().map(|a| (a.language(), a)).collect();
    Ok(Prepared {
        scorer,
        analyzers: std::sync::Mutex::new(prototypes),
        columns,
        lexicons: sources,
        signer: SignatureBuilder::new(&study.near_duplicates, study.seed),
    })
}

/// With `split-hyphens = true` the tokenizer splits "self-proclaimed" into two tokens, so a
/// hyphenated entry must become the phrase "self proclaimed" to match it.
fn split_hyphenated_entries(lex: &mut lexicon::Lexicon) {
    let split = |e: &str| -> String {
        let chars: Vec<char> = e.chars().collect();
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let joins = c == '-'
                    && i > 0
                    && i + 1 < chars.len()
                    && chars[i - 1].is_alphanumeric()
                    && chars[i + 1].is_alphanumeric();
                if joins {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    for cat in &mut lex.categories {
        for e in &mut cat.entries {
            *e = split(e);
        }
    }
    lex.weights = std::mem::take(&mut lex.weights)
        .into_iter()
        .map(|(k, v)| (split(&k), v))
        .collect();
}

/// What [`stream`] learned about the corpus besides the records.
struct Streamed {
    /// Records read (all of them, also in a shard run).
    records: u64,
    /// The carried metadata columns.
    extra_columns: Vec<String>,
    /// The input files.
    inputs: Vec<PathBuf>,
}

/// Stages 1 and 2: reads the corpus in batches, analyzes each batch in parallel and hands the
/// results to `each` in input order, with each record's index in the corpus. With a `shard`,
/// every record is read but only the shard's own are analyzed and handed on.
///
/// The sequential `each` of one batch, and the reading of the batch after next, run while the
/// next batch is analyzed (`rayon::join`), so the sequential work costs little wall time as
/// long as it is faster than the parallel one; at most three batches are in memory. Each worker
/// thread keeps its tokenizers (and their stem caches) for the whole run. Errors keep their input order: a read error in the next
/// batch is reported only after every record before it was handed to `each`.
fn stream(
    config: &RunConfig,
    prepared: &Prepared,
    shard: Option<ShardSpec>,
    mut each: impl FnMut(u64, Analyzed) -> Result<(), Error> + Send,
) -> Result<Streamed, Error> {
    let study = &config.study.study;
    let progress = crate::progress::spinner(config.progress, "reading, tokenizing, scoring");
    let mut reader = corpus::open(&study.corpus)?;
    let workers: Vec<std::sync::Mutex<Analyzers>> = (0..rayon::current_num_threads().max(1))
        .map(|_| {
            std::sync::Mutex::new(Analyzers {
                config,
                prototypes: &prepared.analyzers,
                by_language: BTreeMap::new(),
            })
        })
        .collect();
    type Indexed = Result<(u64, Analyzed), Error>;
    // Analyzes the records of a batch that belong to this run (all, or the shard's own) and
    // returns how many records the batch had.
    let analyze_batch = |first: u64, batch: Vec<Record>| -> (u64, Vec<Indexed>) {
        let read = batch.len() as u64;
        let analyzed = (first..)
            .zip(batch)
            .filter(|(i, _)| shard.is_none_or(|s| s.owns(*i)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(i, record)| {
                let slot = rayon::current_thread_index().unwrap_or(0) % workers.len();
                let mut analyzers = workers[slot]
                    .lock()
                    .map_err(|_| Error::Other("a tokenizer thread panicked".into()))?;
                analyze(config, prepared, &mut analyzers, record).map(|a| (i, a))
            })
            .collect();
        (read, analyzed)
    };
    let mut pending: Vec<Indexed> = Vec::new();
    let mut seen = 0u64;
    let mut next = reader.next_batch(study.output.batch_size);
    loop {
        let read = next;
        // Batch k is analyzed while batch k − 1 is handed to `each` and batch k + 1 is read.
        let (analyzed, (consumed, ahead)) = rayon::join(
            || read.map(|batch| analyze_batch(seen, batch)),
            || {
                let consumed = pending.drain(..).try_for_each(|a| {
                    let (i, a) = a?;
                    each(i, a)
                });
                (consumed, reader.next_batch(study.output.batch_size))
            },
        );
        next = ahead;
        consumed?;
        if seen > 0 {
            progress.set_message(format!("{seen} documents"));
        }
        let (read, analyzed) = analyzed?;
        if read == 0 {
            break;
        }
        seen += read;
        pending = analyzed;
    }
    progress.finish_and_clear();
    Ok(Streamed {
        records: seen,
        extra_columns: reader.extra_columns().to_vec(),
        inputs: reader.inputs(),
    })
}

fn run_in_pool(config: &RunConfig) -> Result<RunSummary, Error> {
    let started = manifest::now();
    let mut timings = manifest::Timings::default();
    let t = Instant::now();
    let prepared = prepare(config)?;
    timings.record("prepare", t);

    let t = Instant::now();
    let mut out = OutputDir::create(&config.tables_dir, config.study.study.output.csv)?;
    let mut collector = Collector::new(config, &prepared.columns, &mut out)?;
    let streamed = stream(config, &prepared, None, |_, analyzed| {
        collector.add(analyzed)
    })?;
    timings.record("read_tokenize_score", t);
    let inputs = manifest::hash_inputs(config, &streamed.inputs)?;
    finish(
        config,
        collector,
        &prepared.columns,
        out,
        Provenance {
            extra_columns: streamed.extra_columns,
            inputs,
            lexicons: prepared.lexicons,
            started_at: started,
            timings,
            shards: None,
        },
    )
}

/// Stage 3, sequential and in input order (so nothing depends on the thread count or, in a
/// merge, on the number of shards): near-duplicate detection, vocabulary interning and the
/// streamed score tables. A single run feeds it from [`stream`]; a merge replays the shards'
/// partial tables into it in the same order.
struct Collector<'a> {
    config: &'a RunConfig,
    /// `(lexicon, category)` -> score matrix column.
    column_index: std::collections::HashMap<(&'a str, &'a str), u32>,
    score_tables: ScoreTables,
    coverage: Coverage,
    index: NearDupIndex,
    /// Row of each document added to the near-duplicate index, in index order.
    indexed_rows: Vec<usize>,
    vocab: Vocabulary,
    rows: Vec<DocRow>,
    counts: Vec<DocCounts>,
    /// Per kept document: (score column, hits) for every category that applies to it.
    score_hits: Vec<Vec<(u32, u32)>>,
}

impl<'a> Collector<'a> {
    fn new(
        config: &'a RunConfig,
        columns: &'a [(String, String)],
        out: &mut OutputDir,
    ) -> Result<Collector<'a>, Error> {
        Ok(Collector {
            config,
            column_index: columns
                .iter()
                .enumerate()
                .map(|(i, (l, c))| ((l.as_str(), c.as_str()), i as u32))
                .collect(),
            score_tables: ScoreTables::create(out)?,
            coverage: Coverage::default(),
            index: NearDupIndex::new(&config.study.study.near_duplicates),
            indexed_rows: Vec::new(),
            vocab: Vocabulary::default(),
            rows: Vec::new(),
            counts: Vec::new(),
            score_hits: Vec::new(),
        })
    }

    /// Takes the next record in input order.
    fn add(&mut self, analyzed: Analyzed) -> Result<(), Error> {
        let config = self.config;
        let study = &config.study.study;
        if self.rows.len() % study.output.batch_size == 0 {
            self.score_tables.flush()?;
        }
        let (mut row, local, signature, scores) = match analyzed {
            Analyzed::Skipped(row) => {
                strict_check(config, &row)?;
                self.rows.push(row);
                return Ok(());
            }
            Analyzed::Kept {
                row,
                local,
                signature,
                scores,
            } => (row, local, signature, scores),
        };
        let nd = &study.near_duplicates;
        if nd.enabled {
            if let Some(found) = self.index.find(&signature) {
                let of = self.indexed_rows[found.of];
                row.near_duplicate = Some((of, found.similarity));
                if nd.drop {
                    let reason = format!(
                        "near-duplicate of {} (estimated Jaccard similarity {:.3})",
                        self.rows[of].doc_id.as_deref().unwrap_or("?"),
                        found.similarity
                    );
                    row.skip = Some((SkipKind::NearDuplicate, reason));
                }
            }
            // A dropped duplicate is not indexed: a later document is compared with kept ones only.
            if row.skip.is_none() {
                self.index.insert(signature);
                self.indexed_rows.push(self.rows.len());
            }
        }
        strict_check(config, &row)?;
        if row.skip.is_none() {
            row.counts = Some(self.counts.len());
            self.counts.push(self.vocab.intern(local));
            self.score_tables
                .add(row.doc_id.as_deref().unwrap_or_default(), &scores);
            self.coverage.add(&scores);
            let column_index = &self.column_index;
            self.score_hits.push(
                scores
                    .rows
                    .iter()
                    .filter_map(|r| {
                        let col = column_index.get(&(r.lexicon.as_str(), r.category.as_str()))?;
                        Some((*col, r.hits))
                    })
                    .collect(),
            );
        }
        self.rows.push(row);
        Ok(())
    }
}

/// What the manifest records about a run besides what the stages computed.
struct Provenance {
    extra_columns: Vec<String>,
    inputs: Vec<manifest::InputFile>,
    lexicons: Vec<LexiconSource>,
    started_at: String,
    timings: manifest::Timings,
    /// The shards a merged run was made from.
    shards: Option<Vec<manifest::ShardRun>>,
}

/// Stages 4 and later, the same for a single run and a merge: vocabulary, the tables, compare,
/// cluster, manifest, commit, report.
fn finish(
    config: &RunConfig,
    collector: Collector,
    columns: &[(String, String)],
    mut out: OutputDir,
    provenance: Provenance,
) -> Result<RunSummary, Error> {
    let study = &config.study.study;
    let Collector {
        score_tables,
        coverage,
        index,
        vocab,
        rows,
        mut counts,
        mut score_hits,
        ..
    } = collector;
    let Provenance {
        extra_columns,
        inputs,
        lexicons,
        started_at,
        mut timings,
        shards,
    } = provenance;
    score_tables.finish()?;

    let t = Instant::now();
    let final_vocab = vocab.finalize(counts.iter(), &study.features);
    // Only their sizes are needed from here on; the maps and the LSH index are freed.
    let (terms_seen, lsh_oversized_lookups) = (vocab.len(), index.oversized_lookups());
    drop((vocab, index));
    timings.record("vocabulary", t);

    let t = Instant::now();
    out.write(
        "documents",
        &mut documents_frame(&rows, &counts, &extra_columns)?,
    )?;
    write_terms(&mut out, &rows, &counts, &final_vocab, study)?;
    out.write("vocabulary", &mut vocabulary_frame(&final_vocab)?)?;
    out.write("lexicon_coverage", &mut coverage.frame()?)?;
    timings.record("write_tables", t);

    let n_kept = counts.len();
    // What the manifest and the summary need of the rows and the vocabulary, taken now: both
    // are freed before the analysis stages (the rows hold every document's metadata, the
    // vocabulary a second copy of the term strings that the term matrix holds too).
    let examples: Vec<(SkipKind, String)> = rows.iter().filter_map(skip_example).collect();
    let skipped = manifest::count_skips(&examples);
    drop(examples);
    let near_duplicates = rows.iter().filter(|r| r.near_duplicate.is_some()).count();
    let n_records = rows.len();
    let terms_kept = final_vocab.entries.len();
    let (terms_pruned_by_df, terms_pruned_by_max_features) =
        (final_vocab.pruned_by_df, final_vocab.pruned_by_max_features);
    let mut warnings: Vec<String> = Vec::new();
    let mut analysis: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let (docs, scores, terms) = if study.compare.enabled || study.cluster.enabled {
        analysis_inputs(
            &rows,
            std::mem::take(&mut counts),
            std::mem::take(&mut score_hits),
            columns,
            &final_vocab,
        )
    } else {
        Default::default()
    };
    drop((rows, counts, score_hits, final_vocab));
    // Compare and cluster read the same inputs and nothing of each other's, so they run side
    // by side: the stretches where one stage keeps fewer workers busy than there are (its
    // sequential steps, the ends of its parallel loops) are filled by the other. Each result
    // is the same whatever runs beside it; each stage is timed on its own (so the two times
    // overlap), and the tables are written afterwards in the order they always were.
    let (compared, clustered) = rayon::join(
        || {
            study.compare.enabled.then(|| {
                let t = Instant::now();
                let c = compare::compare(&docs, &scores, &terms, &study.compare, study.seed);
                (c, t.elapsed().as_secs_f64())
            })
        },
        || {
            study.cluster.enabled.then(|| {
                let t = Instant::now();
                let c = cluster::cluster(&docs, &scores, &terms, &study.cluster, study.seed);
                (c, t.elapsed().as_secs_f64())
            })
        },
    );
    if let Some((c, seconds)) = compared {
        let t = Instant::now();
        let c = c?;
        compare::tables::write(&mut out, &c)?;
        let warned = c.comparisons.iter().filter(|r| r.warning.is_some()).count();
        analysis.insert(
            "compare".into(),
            serde_json::json!({
                "comparisons": c.comparisons.len(),
                "rows_with_small_sample_warning": warned,
                "events_grouped_automatically": c.events.is_some(),
            }),
        );
        timings.record_seconds("compare", seconds + t.elapsed().as_secs_f64());
    }
    if let Some((c, seconds)) = clustered {
        let t = Instant::now();
        match c {
            Ok(c) => {
                cluster::tables::write(&mut out, &c)?;
                analysis.insert(
                    "cluster".into(),
                    serde_json::json!({
                        "k": c.k,
                        "algorithm": c.algorithm,
                        "features": c.features,
                        "explained_variance": c.explained_variance,
                        "parameters": c.parameters,
                    }),
                );
            }
            // A corpus too small or too uniform to cluster is reported, not fatal.
            Err(e) if e.is_data_limit() => warnings.push(format!("clustering skipped: {e}")),
            Err(e) => return Err(e.into()),
        }
        timings.record_seconds("cluster", seconds + t.elapsed().as_secs_f64());
    }
    // The report reads the committed tables back; the analysis inputs are not needed for it.
    drop((docs, scores, terms));

    let manifest_counts = manifest::Counts {
        records: n_records,
        kept: n_kept,
        skipped: skipped.clone(),
        near_duplicates,
        lsh_oversized_lookups,
        terms_seen,
        terms_kept,
        terms_pruned_by_df,
        terms_pruned_by_max_features,
    };
    let outcome = manifest::Outcome {
        lexicons,
        counts: manifest_counts,
        analysis,
        warnings: warnings.clone(),
    };
    let mut manifest = Manifest::build(config, inputs, outcome, started_at, timings);
    manifest.run.shards = shards;
    manifest.write(&mut out)?;
    let mut outputs = out.commit(&KNOWN_OUTPUTS)?;
    // The report is drawn from the committed tables. If it fails, the tables of this run are
    // complete and the previous report is left as it was (it is staged the same way).
    if study.report.enabled {
        outputs.extend(report::write_report(
            &config.tables_dir,
            &config.report_dir,
            &study.report,
        )?);
    }
    Ok(RunSummary {
        records: n_records,
        kept: n_kept,
        skipped,
        near_duplicates,
        vocabulary: terms_kept,
        warnings,
        outputs,
    })
}

/// A skipped row's kind and its reason as an example for the summaries, which show it out of the
/// table's context: prefixed with the row's source unless the reason starts with it already.
pub(crate) fn skip_example(row: &DocRow) -> Option<(SkipKind, String)> {
    let (kind, reason) = row.skip.as_ref()?;
    let example = if reason.starts_with(&row.source) {
        reason.clone()
    } else {
        format!("{}: {reason}", row.source)
    };
    Some((*kind, example))
}

/// Under `--strict`, a document that would be skipped stops the run (before any output is
/// committed), naming the document and the reason.
fn strict_check(config: &RunConfig, row: &DocRow) -> Result<(), Error> {
    match (&row.skip, config.strict) {
        (Some((kind, reason)), true) => Err(Error::Strict(format!(
            "{}: document {}: {reason} [{kind}] (--strict turns every skip into an error)",
            row.source,
            row.doc_id.as_deref().unwrap_or("(no id)")
        ))),
        _ => Ok(()),
    }
}

/// Stage 2 for one record: decide its language, tokenize, count, sign, score.
fn analyze(
    config: &RunConfig,
    prepared: &Prepared,
    analyzers: &mut Analyzers,
    record: Record,
) -> Result<Analyzed, Error> {
    let doc = match record {
        Record::Skipped(s) => {
            return Ok(Analyzed::Skipped(DocRow {
                doc_id: s.doc_id,
                language: s.meta.language.clone(),
                meta: s.meta,
                source: config.study.relative_text(&s.source.to_string()),
                boilerplate_lines_removed: 0,
                skip: Some((s.kind, config.study.relative_text(&s.reason))),
                counts: None,
                near_duplicate: None,
            }))
        }
        Record::Kept(doc) => doc,
    };
    let mut row = DocRow {
        doc_id: Some(doc.doc_id),
        language: None,
        source: config.study.relative_text(&doc.source.to_string()),
        boilerplate_lines_removed: doc.boilerplate_lines_removed,
        skip: None,
        counts: None,
        near_duplicate: None,
        meta: doc.meta,
    };
    let language = match &row.meta.language {
        None => config.study.language,
        Some(code) => match Language::from_code(code) {
            Some(l) => l,
            None => {
                row.language = Some(code.clone());
                let reason = format!(
                    "unknown language code {code:?} (use an ISO 639-1 code such as \"en\" or \"ru\")"
                );
                row.skip = Some((SkipKind::UnknownLanguage, reason));
                return Ok(Analyzed::Skipped(row));
            }
        },
    };
    row.language = Some(language.code().to_string());
    let tokens: TokenizedDoc = analyzers.get(language)?.analyze(&doc.text);
    if tokens.tokens.is_empty() {
        let reason = "no tokens after tokenization".to_string();
        row.skip = Some((SkipKind::NoTokens, reason));
        return Ok(Analyzed::Skipped(row));
    }
    let study = &config.study.study;
    let local = LocalCounts::from_tokens(&tokens, study.features.bigrams);
    let signature = if study.near_duplicates.enabled {
        let content: Vec<&str> = tokens
            .tokens
            .iter()
            .filter(|t| !t.is_stop)
            .map(|t| t.stem.as_str())
            .collect();
        prepared.signer.signature(&content)
    } else {
        Vec::new()
    };
    let scores = prepared.scorer.score(&tokens, language.code());
    Ok(Analyzed::Kept {
        row,
        local,
        signature,
        scores,
    })
}

/// The inputs of the analysis stages, one entry per kept document in input order. Takes the
/// counts and score hits by value: each document's are freed as its matrix rows are built.
fn analysis_inputs(
    rows: &[DocRow],
    counts: Vec<DocCounts>,
    score_hits: Vec<Vec<(u32, u32)>>,
    columns: &[(String, String)],
    vocab: &FinalVocabulary,
) -> (Vec<DocInfo>, ScoreMatrix, TermMatrix) {
    let docs: Vec<DocInfo> = rows
        .iter()
        .filter_map(|r| {
            let k = r.counts?;
            Some(DocInfo {
                doc_id: r.doc_id.clone().unwrap_or_default(),
                outlet: r.meta.outlet.clone(),
                group: r.meta.group.clone(),
                event: r.meta.event.clone(),
                date: r.meta.date,
                language: r.language.clone().unwrap_or_default(),
                n_tokens: counts[k].n_tokens,
            })
        })
        .collect();
    let mut scores = ScoreMatrix {
        columns: columns.to_vec(),
        ..ScoreMatrix::default()
    };
    for (doc, hits) in docs.iter().zip(score_hits) {
        let mut p = vec![None; columns.len()];
        for (col, n) in hits {
            // As the scorer computes per_1k.
            p[col as usize] = Some(if doc.n_tokens == 0 {
                0.0
            } else {
                f64::from(n) / f64::from(doc.n_tokens) * 1000.0
            });
        }
        scores.per_1k.push(p);
    }
    // Kept rows point at counts 0, 1, 2, … in order, so the counts are the kept documents'.
    let terms = vocab.term_matrix(counts.into_iter());
    (docs, scores, terms)
}

/// The `documents` table: one row per input record, in input order.
fn documents_frame(
    rows: &[DocRow],
    counts: &[DocCounts],
    extra_columns: &[String],
) -> Result<DataFrame, TableError> {
    let err = polars_err("documents");
    let count_col = |name: &str, f: fn(&DocCounts) -> u32| {
        let v: Vec<Option<u32>> = rows
            .iter()
            .map(|r| r.counts.map(|k| f(&counts[k])))
            .collect();
        Column::new(name.into(), v)
    };
    let str_col = |name: &str, f: &dyn Fn(&DocRow) -> Option<String>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let dates: Vec<Option<i32>> = rows
        .iter()
        .map(|r| r.meta.date.map(|d| (d - epoch).num_days() as i32))
        .collect();
    let mut columns = vec![
        str_col("doc_id", &|r| r.doc_id.clone()),
        str_col("outlet", &|r| r.meta.outlet.clone()),
        str_col("group", &|r| r.meta.group.clone()),
        str_col("event", &|r| r.meta.event.clone()),
        Column::new("date".into(), dates)
            .cast(&DataType::Date)
            .map_err(&err)?,
        str_col("language", &|r| r.language.clone()),
        str_col("title", &|r| r.meta.title.clone()),
        str_col("url", &|r| r.meta.url.clone()),
        count_col("n_tokens", |c| c.n_tokens),
        count_col("n_types", |c| c.n_types),
        count_col("n_sentences", |c| c.n_sentences),
        count_col("n_terms", |c| c.n_terms),
        Column::new(
            "boilerplate_lines_removed".into(),
            rows.iter()
                .map(|r| r.boilerplate_lines_removed)
                .collect::<Vec<u32>>(),
        ),
        str_col("near_duplicate_of", &|r| {
            r.near_duplicate.and_then(|(of, _)| rows[of].doc_id.clone())
        }),
        Column::new(
            "near_duplicate_similarity".into(),
            rows.iter()
                .map(|r| r.near_duplicate.map(|(_, s)| s))
                .collect::<Vec<Option<f64>>>(),
        ),
        str_col("status", &|r| {
            Some(if r.skip.is_none() { "kept" } else { "skipped" }.to_string())
        }),
        str_col("skip_kind", &|r| {
            r.skip.as_ref().map(|(kind, _)| kind.name().to_string())
        }),
        str_col("skip_reason", &|r| {
            r.skip.as_ref().map(|(_, reason)| reason.clone())
        }),
        str_col("source", &|r| Some(r.source.clone())),
    ];
    for name in extra_columns {
        let taken: Vec<String> = columns.iter().map(|c| c.name().to_string()).collect();
        // A carried column never shadows a framelens column or another carried one: it becomes
        // meta_<name>, then meta_<name>_2, … until the name is free.
        let mut col_name = name.clone();
        let mut n = 1;
        while taken.contains(&col_name) {
            col_name = if n == 1 {
                format!("meta_{name}")
            } else {
                format!("meta_{name}_{n}")
            };
            n += 1;
        }
        columns.push(str_col(&col_name, &|r| {
            r.meta
                .extra
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }));
    }
    DataFrame::new(columns).map_err(err)
}

/// The `terms` table, written in row groups of a few thousand documents.
fn write_terms(
    out: &mut OutputDir,
    rows: &[DocRow],
    counts: &[DocCounts],
    vocab: &FinalVocabulary,
    study: &crate::study::Study,
) -> Result<(), TableError> {
    let err = polars_err("terms");
    let schema = Schema::from_iter([
        Field::new("doc_id".into(), DataType::String),
        Field::new("term".into(), DataType::String),
        Field::new("label".into(), DataType::String),
        Field::new("order".into(), DataType::UInt32),
        Field::new("count".into(), DataType::UInt32),
        Field::new("tf".into(), DataType::Float64),
        Field::new("tfidf".into(), DataType::Float64),
    ]);
    let mut writer = out.writer("terms", &schema)?;
    let kept: Vec<(&str, &DocCounts)> = rows
        .iter()
        .filter_map(|r| Some((r.doc_id.as_deref()?, &counts[r.counts?])))
        .collect();
    let build = |chunk: &[(&str, &DocCounts)]| -> Result<DataFrame, TableError> {
        let mut doc_id = Vec::new();
        let mut term = Vec::new();
        let mut label = Vec::new();
        let mut order = Vec::new();
        let mut count = Vec::new();
        let mut tf = Vec::new();
        let mut tfidf = Vec::new();
        for &(id, c) in chunk {
            for r in vocab.doc_rows(c, study.features.tf) {
                doc_id.push(id);
                term.push(&*r.entry.term);
                label.push(&*r.entry.label);
                order.push(u32::from(r.entry.order));
                count.push(r.count);
                tf.push(r.tf);
                tfidf.push(r.tfidf);
            }
        }
        DataFrame::new(vec![
            Column::new("doc_id".into(), doc_id),
            Column::new("term".into(), term),
            Column::new("label".into(), label),
            Column::new("order".into(), order),
            Column::new("count".into(), count),
            Column::new("tf".into(), tf),
            Column::new("tfidf".into(), tfidf),
        ])
        .map_err(err)
    };
    // Row group k is encoded and written while row group k + 1 is built.
    let mut chunks = kept.chunks(2000);
    let mut current = chunks.next().map(build).transpose()?;
    while let Some(df) = current {
        let (written, next) = rayon::join(
            || writer.write(&df),
            || chunks.next().map(build).transpose(),
        );
        written?;
        current = next?;
    }
    writer.finish()
}

/// The `vocabulary` table, sorted by order then term.
fn vocabulary_frame(vocab: &FinalVocabulary) -> Result<DataFrame, TableError> {
    let e = &vocab.entries;
    DataFrame::new(vec![
        Column::new(
            "term".into(),
            e.iter().map(|e| &*e.term).collect::<Vec<_>>(),
        ),
        Column::new(
            "label".into(),
            e.iter().map(|e| &*e.label).collect::<Vec<_>>(),
        ),
        Column::new(
            "order".into(),
            e.iter().map(|e| u32::from(e.order)).collect::<Vec<_>>(),
        ),
        Column::new(
            "doc_freq".into(),
            e.iter().map(|e| e.doc_freq).collect::<Vec<_>>(),
        ),
        Column::new(
            "total_count".into(),
            e.iter().map(|e| e.total_count).collect::<Vec<_>>(),
        ),
        Column::new("idf".into(), e.iter().map(|e| e.idf).collect::<Vec<_>>()),
    ])
    .map_err(polars_err("vocabulary"))
}
