//! The one place that knows the order of the stages.
//!
//! 1. **corpus**: records stream in bounded batches (`output.batch-size` documents); each is a
//!    cleaned document or a skip with its reason.
//! 2. **tokens** (parallel over a batch): each document is tokenized and stemmed in its own
//!    language; its terms are counted locally and its MinHash signature is computed. The text is
//!    dropped after this step.
//! 3. **features** (sequential, in input order, so term ids do not depend on thread count): local
//!    counts are interned into one vocabulary.
//! 4. **near-duplicates** over all signatures; with `drop = true` they are skipped.
//! 5. **vocabulary** frequencies, pruning and idf over the kept documents.
//! 6. **tables** are written under temporary names and committed together with the manifest.
//!
//! Every input record ends up as one row of the `documents` table, kept or skipped with a reason.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use polars::prelude::*;
use rayon::prelude::*;

use crate::corpus::{self, Metadata, Record};
use crate::features::{
    find_near_duplicates, DocCounts, FinalVocabulary, LocalCounts, Signature, SignatureBuilder,
    Vocabulary,
};
use crate::manifest::{self, Manifest};
use crate::study::RunConfig;
use crate::tables::{OutputDir, TableError};
use crate::tokens::{Analyzer, Language, TokenizedDoc};
use crate::Error;

/// What a run did, for the command line's closing summary.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Input records (documents, rows or files) seen.
    pub records: usize,
    /// Documents kept.
    pub kept: usize,
    /// Skip reasons and how many records each skipped.
    pub skipped: BTreeMap<String, usize>,
    /// Documents reported as near-duplicates of an earlier one.
    pub near_duplicates: usize,
    /// Terms in the written vocabulary.
    pub vocabulary: usize,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

/// One row of the `documents` table, kept or skipped.
struct DocRow {
    doc_id: Option<String>,
    meta: Metadata,
    language: Option<String>,
    source: String,
    boilerplate_lines_removed: u32,
    skip_reason: Option<String>,
    /// Index into the kept documents.
    kept: Option<usize>,
}

/// What the pipeline keeps of a kept document once its text is gone.
struct KeptDoc {
    row: usize,
    counts: DocCounts,
    signature: Signature,
    near_duplicate: Option<(usize, f64)>,
}

/// The result of analyzing one record in parallel.
enum Analyzed {
    Kept {
        row: DocRow,
        local: LocalCounts,
        signature: Signature,
    },
    Skipped(DocRow),
}

/// One tokenizer per language, created on first use in each worker thread.
struct Analyzers<'a> {
    config: &'a RunConfig,
    by_language: BTreeMap<Language, Analyzer>,
}

impl Analyzers<'_> {
    fn get(&mut self, language: Language) -> Result<&mut Analyzer, Error> {
        if !self.by_language.contains_key(&language) {
            let analyzer = Analyzer::new(&self.config.study.study.tokenizer, language)?;
            self.by_language.insert(language, analyzer);
        }
        Ok(self.by_language.get_mut(&language).expect("inserted above"))
    }
}

/// Runs every stage built so far and writes the tables and the manifest.
pub fn run(config: &RunConfig) -> Result<RunSummary, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = config.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(|e| Error::Other(e.to_string()))?;
    pool.install(|| run_in_pool(config))
}

fn run_in_pool(config: &RunConfig) -> Result<RunSummary, Error> {
    let started = manifest::now();
    let mut timings = manifest::Timings::default();
    let study = &config.study.study;
    // Fail on a bad tokenizer setting (e.g. an unreadable stopword file) before reading anything.
    Analyzer::new(&study.tokenizer, config.study.language)?;

    let t = Instant::now();
    let progress = crate::progress::spinner(config.progress, "reading and tokenizing");
    let mut reader = corpus::open(&study.corpus)?;
    let signer = SignatureBuilder::new(&study.near_duplicates, study.seed);
    let mut vocab = Vocabulary::default();
    let mut rows: Vec<DocRow> = Vec::new();
    let mut kept: Vec<KeptDoc> = Vec::new();
    loop {
        let batch = reader.next_batch(study.output.batch_size)?;
        if batch.is_empty() {
            break;
        }
        let analyzed: Vec<Result<Analyzed, Error>> = batch
            .into_par_iter()
            .map_init(
                || Analyzers {
                    config,
                    by_language: BTreeMap::new(),
                },
                |analyzers, record| analyze(config, &signer, analyzers, record),
            )
            .collect();
        for a in analyzed {
            let row = rows.len();
            match a? {
                Analyzed::Kept {
                    row: mut doc_row,
                    local,
                    signature,
                } => {
                    doc_row.kept = Some(kept.len());
                    kept.push(KeptDoc {
                        row,
                        counts: vocab.intern(local),
                        signature,
                        near_duplicate: None,
                    });
                    rows.push(doc_row);
                }
                Analyzed::Skipped(doc_row) => rows.push(doc_row),
            }
        }
        progress.set_message(format!("{} documents read", rows.len()));
    }
    progress.finish_and_clear();
    let extra_columns = reader.extra_columns().to_vec();
    let inputs = reader.inputs();
    timings.record("read_tokenize_count", t);

    let t = Instant::now();
    let nd = &study.near_duplicates;
    let mut lsh_oversized = 0;
    if nd.enabled {
        let signatures: Vec<Signature> = kept
            .iter_mut()
            .map(|k| std::mem::take(&mut k.signature))
            .collect();
        let (found, oversized) = find_near_duplicates(&signatures, nd);
        lsh_oversized = oversized;
        for (k, f) in kept.iter_mut().zip(found) {
            k.near_duplicate = f.map(|f| (f.of, f.similarity));
        }
        if nd.drop {
            for k in &kept {
                if let Some((of, sim)) = k.near_duplicate {
                    let original = rows[kept[of].row].doc_id.clone().unwrap_or_default();
                    rows[k.row].skip_reason = Some(format!(
                        "near-duplicate of {original} (estimated Jaccard similarity {sim:.3})"
                    ));
                }
            }
        }
    }
    timings.record("near_duplicates", t);

    let t = Instant::now();
    let is_kept = |k: &&KeptDoc| rows[k.row].skip_reason.is_none();
    let final_vocab = vocab.finalize(
        kept.iter().filter(is_kept).map(|k| &k.counts),
        &study.features,
    );
    timings.record("vocabulary", t);

    let t = Instant::now();
    let mut out = OutputDir::create(&config.tables_dir, study.output.csv)?;
    let mut documents = documents_frame(&rows, &kept, &extra_columns)?;
    out.write("documents", &mut documents)?;
    write_terms(&mut out, &rows, &kept, &final_vocab, study)?;
    out.write("vocabulary", &mut vocabulary_frame(&final_vocab)?)?;
    timings.record("write_tables", t);

    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        if let Some(reason) = &r.skip_reason {
            *skipped.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    let n_kept = rows.len() - skipped.values().sum::<usize>();
    let near_duplicates = kept.iter().filter(|k| k.near_duplicate.is_some()).count();
    let counts = manifest::Counts {
        records: rows.len(),
        kept: n_kept,
        skipped: skipped.clone(),
        near_duplicates,
        lsh_oversized_buckets: lsh_oversized,
        terms_seen: vocab.len(),
        terms_kept: final_vocab.entries.len(),
        terms_pruned_by_df: final_vocab.pruned_by_df,
        terms_pruned_by_max_features: final_vocab.pruned_by_max_features,
    };
    let manifest = Manifest::build(config, &inputs, counts, started, timings)?;
    manifest.write(&mut out)?;
    let outputs = out.commit()?;
    Ok(RunSummary {
        records: rows.len(),
        kept: n_kept,
        skipped,
        near_duplicates,
        vocabulary: final_vocab.entries.len(),
        outputs,
    })
}

/// Stage 2 for one record: decide its language, tokenize, count, sign.
fn analyze(
    config: &RunConfig,
    signer: &SignatureBuilder,
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
                skip_reason: Some(config.study.relative_text(&s.reason)),
                kept: None,
            }))
        }
        Record::Kept(doc) => doc,
    };
    let mut row = DocRow {
        doc_id: Some(doc.doc_id),
        language: None,
        source: config.study.relative_text(&doc.source.to_string()),
        boilerplate_lines_removed: doc.boilerplate_lines_removed,
        skip_reason: None,
        kept: None,
        meta: doc.meta,
    };
    let language = match &row.meta.language {
        None => config.study.language,
        Some(code) => match Language::from_code(code) {
            Some(l) => l,
            None => {
                row.language = Some(code.clone());
                row.skip_reason = Some(format!(
                    "unknown language code {code:?} (use an ISO 639-1 code such as \"en\" or \"ru\")"
                ));
                return Ok(Analyzed::Skipped(row));
            }
        },
    };
    row.language = Some(language.code().to_string());
    let tokens: TokenizedDoc = analyzers.get(language)?.analyze(&doc.text);
    if tokens.tokens.is_empty() {
        row.skip_reason = Some("no tokens after tokenization".to_string());
        return Ok(Analyzed::Skipped(row));
    }
    let local = LocalCounts::from_tokens(&tokens, config.study.study.features.bigrams);
    let content: Vec<&str> = tokens
        .tokens
        .iter()
        .filter(|t| !t.is_stop)
        .map(|t| t.stem.as_str())
        .collect();
    let signature = if config.study.study.near_duplicates.enabled {
        signer.signature(&content)
    } else {
        Vec::new()
    };
    Ok(Analyzed::Kept {
        row,
        local,
        signature,
    })
}

fn table_err(table: &str) -> impl Fn(PolarsError) -> TableError + '_ {
    move |source| TableError::Polars {
        table: table.to_string(),
        source,
    }
}

/// The `documents` table: one row per input record, in input order.
fn documents_frame(
    rows: &[DocRow],
    kept: &[KeptDoc],
    extra_columns: &[String],
) -> Result<DataFrame, TableError> {
    let err = table_err("documents");
    let counts = |f: fn(&DocCounts) -> u32| -> Vec<Option<u32>> {
        rows.iter()
            .map(|r| {
                r.kept
                    .filter(|_| r.skip_reason.is_none())
                    .map(|k| f(&kept[k].counts))
            })
            .collect()
    };
    let str_col = |name: &str, f: &dyn Fn(&DocRow) -> Option<String>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let near = |r: &DocRow| r.kept.and_then(|k| kept[k].near_duplicate);
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
        Column::new("n_tokens".into(), counts(|c| c.n_tokens)),
        Column::new("n_types".into(), counts(|c| c.n_types)),
        Column::new("n_sentences".into(), counts(|c| c.n_sentences)),
        Column::new("n_terms".into(), counts(|c| c.n_terms)),
        Column::new(
            "boilerplate_lines_removed".into(),
            rows.iter()
                .map(|r| r.boilerplate_lines_removed)
                .collect::<Vec<u32>>(),
        ),
        str_col("near_duplicate_of", &|r| {
            near(r).and_then(|(of, _)| rows[kept[of].row].doc_id.clone())
        }),
        Column::new(
            "near_duplicate_similarity".into(),
            rows.iter()
                .map(|r| near(r).map(|(_, s)| s))
                .collect::<Vec<Option<f64>>>(),
        ),
        str_col("status", &|r| {
            Some(
                if r.skip_reason.is_none() {
                    "kept"
                } else {
                    "skipped"
                }
                .to_string(),
            )
        }),
        str_col("skip_reason", &|r| r.skip_reason.clone()),
        str_col("source", &|r| Some(r.source.clone())),
    ];
    for name in extra_columns {
        let taken: Vec<&str> = columns.iter().map(|c| c.name().as_str()).collect();
        // A carried column never shadows a framelens column.
        let col_name = if taken.contains(&name.as_str()) {
            format!("meta_{name}")
        } else {
            name.clone()
        };
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
    kept: &[KeptDoc],
    vocab: &FinalVocabulary,
    study: &crate::study::Study,
) -> Result<(), TableError> {
    let err = table_err("terms");
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
    let docs: Vec<&KeptDoc> = kept
        .iter()
        .filter(|k| rows[k.row].skip_reason.is_none())
        .collect();
    for chunk in docs.chunks(2000) {
        let mut doc_id = Vec::new();
        let mut term = Vec::new();
        let mut label = Vec::new();
        let mut order = Vec::new();
        let mut count = Vec::new();
        let mut tf = Vec::new();
        let mut tfidf = Vec::new();
        for k in chunk {
            let id = rows[k.row].doc_id.as_deref().unwrap_or_default();
            for r in vocab.doc_rows(&k.counts, study.features.tf) {
                doc_id.push(id);
                term.push(&*r.entry.term);
                label.push(&*r.entry.label);
                order.push(u32::from(r.entry.order));
                count.push(r.count);
                tf.push(r.tf);
                tfidf.push(r.tfidf);
            }
        }
        let df = DataFrame::new(vec![
            Column::new("doc_id".into(), doc_id),
            Column::new("term".into(), term),
            Column::new("label".into(), label),
            Column::new("order".into(), order),
            Column::new("count".into(), count),
            Column::new("tf".into(), tf),
            Column::new("tfidf".into(), tfidf),
        ])
        .map_err(&err)?;
        writer.write(&df)?;
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
    .map_err(table_err("vocabulary"))
}
