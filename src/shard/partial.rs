//! A shard's partial tables: what stage 2 produced for each of the shard's records, written so a
//! merge can rebuild it exactly.
//!
//! Seven Parquet tables, each with the record's 0-based index in the whole corpus (`record`)
//! as its first column and its rows in record order (columns in `notebooks-data/README.md`):
//!
//! * `records`: one row per record: the `documents` row as stage 2 left it (metadata, language,
//!   source, boilerplate lines, skip reason), the document's token and term totals and its
//!   MinHash signature (null for a skipped record);
//! * `record_extra`: the carried metadata columns of each record, in input column order;
//! * `record_terms`: each document's terms with their surface forms and counts, unmerged
//!   (the vocabulary's labels are decided over the whole corpus);
//! * `record_scores`, `record_sentences`, `record_tone`, `record_matches`: the lexicon scores,
//!   sentence scores, tone and matched entries of each document.
//!
//! Rows are written in chunks of ⌈`output.batch-size` / N⌉ records, one Parquet row group per
//! table and chunk; `shard.json` lists each chunk's row count per table. The merge reads one
//! chunk of each shard at a time (a row-range read that decodes only that row group), so it
//! holds about `batch-size` records' results at once, as a single run holds one batch.
//!
//! Every value is stored in its own type (f64 as f64, dates as dates), so a record read back is
//! equal to the one written, bit for bit.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::mem::take;
use std::path::{Path, PathBuf};

use polars::io::parquet::metadata::FileMetadataRef;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::{folder_err, shard_manifest, Provenance, ShardError, ShardSpec, ShardSummary};
use crate::corpus::{Metadata, SkipKind};
use crate::features::{LocalCounts, LocalTotals};
use crate::lexicon::tables::{keyed_schema, schema, score_columns, sentence_columns};
use crate::lexicon::{CategoryScore, DocScores, EntryMatch, SentenceScore, ToneScore};
use crate::pipeline::{Analyzed, DocRow};
use crate::study::RunConfig;
use crate::tables::{polars_err, OutputDir, TableError, TableWriter};
use crate::Error;

/// The partial tables, in the order they are written and read.
const TABLES: [&str; 7] = [
    "records",
    "record_extra",
    "record_terms",
    "record_scores",
    "record_sentences",
    "record_tone",
    "record_matches",
];

/// One chunk of the partial tables: how many records, and how many rows each table holds for
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Chunk {
    pub(super) records: u64,
    /// Table name -> rows.
    pub(super) rows: BTreeMap<String, u64>,
}

/// The schema of each table of [`TABLES`], in the same order.
fn schemas() -> [Schema; 7] {
    use DataType::{Date, Float64, String as Str, UInt32, UInt64};
    [
        schema(&[
            ("record", UInt64),
            ("doc_id", Str),
            ("outlet", Str),
            ("group", Str),
            ("event", Str),
            ("date", Date),
            ("meta_language", Str),
            ("title", Str),
            ("url", Str),
            ("language", Str),
            ("source", Str),
            ("boilerplate_lines_removed", UInt32),
            ("skip_kind", Str),
            ("skip_reason", Str),
            ("n_tokens", UInt32),
            ("n_terms", UInt32),
            ("n_bigrams", UInt32),
            ("n_sentences", UInt32),
            ("scored_tokens", UInt64),
            ("signature", DataType::List(Box::new(UInt32))),
        ]),
        schema(&[("record", UInt64), ("column", Str), ("value", Str)]),
        schema(&[
            ("record", UInt64),
            ("term", Str),
            ("order", UInt32),
            ("surface", Str),
            ("count", UInt32),
        ]),
        keyed_schema(("record", UInt64), &score_columns()),
        keyed_schema(("record", UInt64), &sentence_columns()),
        schema(&[
            ("record", UInt64),
            ("lexicon", Str),
            ("positive", UInt32),
            ("negative", UInt32),
            ("net_tone", Float64),
            ("logit_tone", Float64),
            ("mean_valence", Float64),
        ]),
        schema(&[
            ("record", UInt64),
            ("lexicon", Str),
            ("category", Str),
            ("entry", Str),
            ("count", UInt32),
            ("negated", UInt32),
        ]),
    ]
}

fn epoch() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// Rows of one chunk, column by column, for every table.
#[derive(Default)]
struct Buffers {
    // records
    record: Vec<u64>,
    doc_id: Vec<Option<String>>,
    outlet: Vec<Option<String>>,
    group: Vec<Option<String>>,
    event: Vec<Option<String>>,
    date: Vec<Option<i32>>,
    meta_language: Vec<Option<String>>,
    title: Vec<Option<String>>,
    url: Vec<Option<String>>,
    language: Vec<Option<String>>,
    source: Vec<String>,
    boilerplate: Vec<u32>,
    skip_kind: Vec<Option<String>>,
    skip_reason: Vec<Option<String>>,
    n_tokens: Vec<Option<u32>>,
    n_terms: Vec<Option<u32>>,
    n_bigrams: Vec<Option<u32>>,
    n_sentences: Vec<Option<u32>>,
    scored_tokens: Vec<Option<u64>>,
    signature: Vec<Option<Vec<u32>>>,
    // record_extra
    x_record: Vec<u64>,
    x_column: Vec<String>,
    x_value: Vec<String>,
    // record_terms
    t_record: Vec<u64>,
    t_term: Vec<String>,
    t_order: Vec<u32>,
    t_surface: Vec<String>,
    t_count: Vec<u32>,
    // record_scores
    s_record: Vec<u64>,
    s_lex: Vec<String>,
    s_cat: Vec<String>,
    s_hits: Vec<u32>,
    s_neg: Vec<u32>,
    s_per1k: Vec<f64>,
    s_share: Vec<f64>,
    s_wsum: Vec<f64>,
    // record_sentences
    e_record: Vec<u64>,
    e_sent: Vec<u32>,
    e_lex: Vec<String>,
    e_cat: Vec<String>,
    e_hits: Vec<u32>,
    e_neg: Vec<u32>,
    e_wsum: Vec<f64>,
    e_tone: Vec<f64>,
    // record_tone
    n_record: Vec<u64>,
    n_lex: Vec<String>,
    n_pos: Vec<u32>,
    n_neg: Vec<u32>,
    n_net: Vec<f64>,
    n_logit: Vec<f64>,
    n_valence: Vec<Option<f64>>,
    // record_matches
    m_record: Vec<u64>,
    m_lex: Vec<String>,
    m_cat: Vec<String>,
    m_entry: Vec<String>,
    m_count: Vec<u32>,
    m_neg: Vec<u32>,
}

impl Buffers {
    fn push(&mut self, record: u64, row: DocRow, kept: Option<(LocalCounts, Vec<u32>, DocScores)>) {
        debug_assert!(row.counts.is_none() && row.near_duplicate.is_none());
        let meta = row.meta;
        self.record.push(record);
        self.doc_id.push(row.doc_id);
        self.outlet.push(meta.outlet);
        self.group.push(meta.group);
        self.event.push(meta.event);
        self.date
            .push(meta.date.map(|d| (d - epoch()).num_days() as i32));
        self.meta_language.push(meta.language);
        self.title.push(meta.title);
        self.url.push(meta.url);
        self.language.push(row.language);
        self.source.push(row.source);
        self.boilerplate.push(row.boilerplate_lines_removed);
        let (kind, reason) = row.skip.unzip();
        self.skip_kind
            .push(kind.map(|k: SkipKind| k.name().to_string()));
        self.skip_reason.push(reason);
        for (column, value) in meta.extra {
            self.x_record.push(record);
            self.x_column.push(column);
            self.x_value.push(value);
        }
        let Some((local, signature, scores)) = kept else {
            self.n_tokens.push(None);
            self.n_terms.push(None);
            self.n_bigrams.push(None);
            self.n_sentences.push(None);
            self.scored_tokens.push(None);
            self.signature.push(None);
            return;
        };
        let totals = local.totals();
        self.n_tokens.push(Some(totals.n_tokens));
        self.n_terms.push(Some(totals.n_terms));
        self.n_bigrams.push(Some(totals.n_bigrams));
        self.n_sentences.push(Some(totals.n_sentences));
        self.scored_tokens.push(Some(scores.n_tokens as u64));
        self.signature.push(Some(signature));
        for (term, order, surface, count) in local.entries() {
            self.t_record.push(record);
            self.t_term.push(term.to_string());
            self.t_order.push(u32::from(order));
            self.t_surface.push(surface.to_string());
            self.t_count.push(count);
        }
        for r in scores.rows {
            self.s_record.push(record);
            self.s_lex.push(r.lexicon);
            self.s_cat.push(r.category);
            self.s_hits.push(r.hits);
            self.s_neg.push(r.negated_hits);
            self.s_per1k.push(r.per_1k);
            self.s_share.push(r.share);
            self.s_wsum.push(r.weighted_sum);
        }
        for r in scores.sentences {
            self.e_record.push(record);
            self.e_sent.push(r.sentence);
            self.e_lex.push(r.lexicon);
            self.e_cat.push(r.category);
            self.e_hits.push(r.hits);
            self.e_neg.push(r.negated_hits);
            self.e_wsum.push(r.weighted_sum);
            self.e_tone.push(r.tone);
        }
        for r in scores.tone {
            self.n_record.push(record);
            self.n_lex.push(r.lexicon);
            self.n_pos.push(r.pos);
            self.n_neg.push(r.neg);
            self.n_net.push(r.net_tone);
            self.n_logit.push(r.logit_tone);
            self.n_valence.push(r.mean_valence);
        }
        for m in scores.entry_matches {
            self.m_record.push(record);
            self.m_lex.push(m.lexicon);
            self.m_cat.push(m.category);
            self.m_entry.push(m.entry);
            self.m_count.push(m.count);
            self.m_neg.push(m.negated);
        }
    }

    /// The buffered rows as one frame per table of [`TABLES`].
    fn frames(self) -> PolarsResult<[DataFrame; 7]> {
        let c = |name: &str, col: Column| col.with_name(name.into());
        let mut signature = ListPrimitiveChunkedBuilder::<UInt32Type>::new(
            "signature".into(),
            self.signature.len(),
            self.signature.iter().flatten().map(Vec::len).sum(),
            DataType::UInt32,
        );
        for s in &self.signature {
            match s {
                Some(s) => signature.append_slice(s),
                None => signature.append_null(),
            }
        }
        let date = Column::new("date".into(), self.date).cast(&DataType::Date)?;
        Ok([
            DataFrame::new(vec![
                Column::new("record".into(), self.record),
                c("doc_id", Column::new("".into(), self.doc_id)),
                c("outlet", Column::new("".into(), self.outlet)),
                c("group", Column::new("".into(), self.group)),
                c("event", Column::new("".into(), self.event)),
                date,
                c("meta_language", Column::new("".into(), self.meta_language)),
                c("title", Column::new("".into(), self.title)),
                c("url", Column::new("".into(), self.url)),
                c("language", Column::new("".into(), self.language)),
                c("source", Column::new("".into(), self.source)),
                c(
                    "boilerplate_lines_removed",
                    Column::new("".into(), self.boilerplate),
                ),
                c("skip_kind", Column::new("".into(), self.skip_kind)),
                c("skip_reason", Column::new("".into(), self.skip_reason)),
                c("n_tokens", Column::new("".into(), self.n_tokens)),
                c("n_terms", Column::new("".into(), self.n_terms)),
                c("n_bigrams", Column::new("".into(), self.n_bigrams)),
                c("n_sentences", Column::new("".into(), self.n_sentences)),
                c("scored_tokens", Column::new("".into(), self.scored_tokens)),
                signature.finish().into_series().into(),
            ])?,
            DataFrame::new(vec![
                Column::new("record".into(), self.x_record),
                Column::new("column".into(), self.x_column),
                Column::new("value".into(), self.x_value),
            ])?,
            DataFrame::new(vec![
                Column::new("record".into(), self.t_record),
                Column::new("term".into(), self.t_term),
                Column::new("order".into(), self.t_order),
                Column::new("surface".into(), self.t_surface),
                Column::new("count".into(), self.t_count),
            ])?,
            DataFrame::new(vec![
                Column::new("record".into(), self.s_record),
                Column::new("lexicon".into(), self.s_lex),
                Column::new("category".into(), self.s_cat),
                Column::new("hits".into(), self.s_hits),
                Column::new("negated_hits".into(), self.s_neg),
                Column::new("per_1k".into(), self.s_per1k),
                Column::new("share".into(), self.s_share),
                Column::new("weighted_sum".into(), self.s_wsum),
            ])?,
            DataFrame::new(vec![
                Column::new("record".into(), self.e_record),
                Column::new("sentence".into(), self.e_sent),
                Column::new("lexicon".into(), self.e_lex),
                Column::new("category".into(), self.e_cat),
                Column::new("hits".into(), self.e_hits),
                Column::new("negated_hits".into(), self.e_neg),
                Column::new("weighted_sum".into(), self.e_wsum),
                Column::new("tone".into(), self.e_tone),
            ])?,
            DataFrame::new(vec![
                Column::new("record".into(), self.n_record),
                Column::new("lexicon".into(), self.n_lex),
                Column::new("positive".into(), self.n_pos),
                Column::new("negative".into(), self.n_neg),
                Column::new("net_tone".into(), self.n_net),
                Column::new("logit_tone".into(), self.n_logit),
                Column::new("mean_valence".into(), self.n_valence),
            ])?,
            DataFrame::new(vec![
                Column::new("record".into(), self.m_record),
                Column::new("lexicon".into(), self.m_lex),
                Column::new("category".into(), self.m_cat),
                Column::new("entry".into(), self.m_entry),
                Column::new("count".into(), self.m_count),
                Column::new("negated".into(), self.m_neg),
            ])?,
        ])
    }
}

/// Writes one shard's partial tables, chunk by chunk, and commits them with `shard.json`.
pub(crate) struct PartialWriter {
    out: OutputDir,
    spec: ShardSpec,
    chunk_size: usize,
    writers: Vec<TableWriter>,
    buf: Buffers,
    chunk_records: u64,
    chunks: Vec<Chunk>,
    records: u64,
    analyzed: u64,
    skipped: Vec<(SkipKind, String)>,
}

impl PartialWriter {
    /// Stages the partial tables of shard `spec` in `dir`; nothing is visible there until
    /// [`Self::commit`].
    pub(crate) fn create(
        dir: &Path,
        spec: ShardSpec,
        chunk_size: usize,
    ) -> Result<PartialWriter, TableError> {
        let mut out = OutputDir::create(dir, false)?;
        let writers = TABLES
            .iter()
            .zip(schemas())
            .map(|(name, schema)| out.writer(name, &schema))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PartialWriter {
            out,
            spec,
            chunk_size: chunk_size.max(1),
            writers,
            buf: Buffers::default(),
            chunk_records: 0,
            chunks: Vec::new(),
            records: 0,
            analyzed: 0,
            skipped: Vec::new(),
        })
    }

    /// Adds the next record of the shard (`record` is its index in the whole corpus).
    pub(crate) fn add(&mut self, record: u64, analyzed: Analyzed) -> Result<(), Error> {
        match analyzed {
            Analyzed::Skipped(row) => {
                self.skipped.extend(crate::pipeline::skip_example(&row));
                self.buf.push(record, row, None);
            }
            Analyzed::Kept {
                row,
                local,
                signature,
                scores,
            } => {
                self.analyzed += 1;
                self.buf.push(record, row, Some((local, signature, scores)));
            }
        }
        self.records += 1;
        self.chunk_records += 1;
        if self.chunk_records == self.chunk_size as u64 {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered chunk as one row group per table.
    fn flush(&mut self) -> Result<(), TableError> {
        if self.chunk_records == 0 {
            return Ok(());
        }
        let frames = std::mem::take(&mut self.buf)
            .frames()
            .map_err(polars_err("shard partial tables"))?;
        let mut rows = BTreeMap::new();
        for ((name, writer), df) in TABLES.iter().zip(&mut self.writers).zip(frames) {
            if df.height() > 0 {
                writer.write(&df)?;
            }
            rows.insert(name.to_string(), df.height() as u64);
        }
        self.chunks.push(Chunk {
            records: self.chunk_records,
            rows,
        });
        self.chunk_records = 0;
        Ok(())
    }

    /// Closes the tables, writes `shard.json` and renames everything into place together.
    pub(crate) fn commit(
        mut self,
        config: &RunConfig,
        provenance: Provenance,
    ) -> Result<ShardSummary, Error> {
        self.flush()?;
        for writer in std::mem::take(&mut self.writers) {
            writer.finish()?;
        }
        let records_total = provenance.records_total;
        let manifest = shard_manifest(
            config,
            self.spec,
            self.records,
            std::mem::take(&mut self.chunks),
            provenance,
        );
        let path = self.out.stage(super::SHARD_FILE);
        let io = |source| TableError::Io {
            path: path.clone(),
            source,
        };
        let mut json = serde_json::to_string_pretty(&manifest).map_err(|e| io(e.into()))?;
        json.push('\n');
        std::fs::write(&path, json).map_err(io)?;
        let dir = self.out.dir().to_path_buf();
        self.out.commit(&TABLES)?;
        Ok(ShardSummary {
            spec: self.spec,
            records_total,
            records: self.records,
            analyzed: self.analyzed,
            skipped: crate::manifest::count_skips(&self.skipped),
            dir,
        })
    }
}

fn table_path(dir: &Path, table: &str) -> PathBuf {
    dir.join(format!("{table}.parquet"))
}

/// Checks that every partial table is present and holds the rows `shard.json` lists.
pub(super) fn check_tables(dir: &Path, chunks: &[Chunk], records: u64) -> Result<(), ShardError> {
    let listed: u64 = chunks.iter().map(|c| c.records).sum();
    if listed != records {
        return Err(folder_err(
            dir,
            format!("shard.json lists chunks of {listed} records in all, not {records}"),
        ));
    }
    for table in TABLES {
        let path = table_path(dir, table);
        let file = File::open(&path)
            .map_err(|e| folder_err(dir, format!("cannot open {table}.parquet: {e}")))?;
        let rows = ParquetReader::new(file)
            .num_rows()
            .map_err(|e| folder_err(dir, format!("{table}.parquet is not readable: {e}")))?
            as u64;
        let mut expected = 0u64;
        for c in chunks {
            let n = c.rows.get(table).copied().ok_or_else(|| {
                folder_err(
                    dir,
                    format!("shard.json lists no rows of {table} in a chunk"),
                )
            })?;
            expected += n;
        }
        if table == "records" && expected != records {
            return Err(folder_err(
                dir,
                format!("shard.json lists {expected} rows of records for {records} records"),
            ));
        }
        if rows != expected {
            return Err(folder_err(
                dir,
                format!(
                    "{table}.parquet has {rows} rows but shard.json lists {expected}: the folder \
                     mixes files of two shard runs; rerun the shard"
                ),
            ));
        }
    }
    Ok(())
}

/// Reads one shard's records back, chunk by chunk, in the shard's order.
pub(super) struct ShardReader<'a> {
    dir: &'a Path,
    chunks: &'a [Chunk],
    next_chunk: usize,
    /// Rows of each table of [`TABLES`] read so far.
    offsets: [u64; 7],
    /// Each table's Parquet footer, read once: a shard of many small chunks has many row
    /// groups, and parsing the footer again for every chunk would cost time quadratic in them.
    footers: [Option<FileMetadataRef>; 7],
    buffered: VecDeque<(u64, Analyzed)>,
}

impl<'a> ShardReader<'a> {
    pub(super) fn new(dir: &'a Path, chunks: &'a [Chunk]) -> ShardReader<'a> {
        ShardReader {
            dir,
            chunks,
            next_chunk: 0,
            offsets: [0; 7],
            footers: Default::default(),
            buffered: VecDeque::new(),
        }
    }

    /// The next record and its global index, or `None` after the last.
    pub(super) fn next(&mut self) -> Result<Option<(u64, Analyzed)>, ShardError> {
        while self.buffered.is_empty() {
            let Some(chunk) = self.chunks.get(self.next_chunk) else {
                return Ok(None);
            };
            self.next_chunk += 1;
            self.buffered = self.read_chunk(chunk)?;
        }
        Ok(self.buffered.pop_front())
    }

    fn read_chunk(&mut self, chunk: &Chunk) -> Result<VecDeque<(u64, Analyzed)>, ShardError> {
        let mut frames: Vec<Frame> = Vec::with_capacity(TABLES.len());
        for (i, table) in TABLES.iter().enumerate() {
            let rows = chunk.rows.get(*table).copied().unwrap_or(0);
            let path = table_path(self.dir, table);
            let file = File::open(&path)
                .map_err(|e| folder_err(self.dir, format!("cannot open {table}.parquet: {e}")))?;
            let damaged = |e: PolarsError| folder_err(self.dir, format!("{table}.parquet: {e}"));
            let mut reader = ParquetReader::new(file);
            match &self.footers[i] {
                Some(footer) => reader.set_metadata(footer.clone()),
                None => self.footers[i] = Some(reader.get_metadata().map_err(damaged)?.clone()),
            }
            let df = reader
                .with_slice(Some((self.offsets[i] as usize, rows as usize)))
                .finish()
                .map_err(damaged)?;
            if df.height() as u64 != rows {
                return Err(folder_err(
                    self.dir,
                    format!("{table}.parquet ends early: the file is damaged; rerun the shard"),
                ));
            }
            self.offsets[i] += rows;
            frames.push(Frame {
                df,
                table,
                dir: self.dir,
            });
        }
        assemble(&frames)
    }
}

/// One chunk of one partial table, with typed column access whose errors name the file.
struct Frame<'a> {
    df: DataFrame,
    table: &'static str,
    dir: &'a Path,
}

impl Frame<'_> {
    fn err(&self, column: &str, e: impl std::fmt::Display) -> ShardError {
        folder_err(
            self.dir,
            format!("{}.parquet, column {column}: {e}", self.table),
        )
    }

    fn series(&self, column: &str) -> Result<&Series, ShardError> {
        Ok(self
            .df
            .column(column)
            .map_err(|e| self.err(column, e))?
            .as_materialized_series())
    }

    fn opt<T: PolarsNumericType>(
        &self,
        column: &str,
    ) -> Result<Vec<Option<T::Native>>, ShardError> {
        let s = self.series(column)?;
        let ca = s.unpack::<T>().map_err(|e| self.err(column, e))?;
        Ok(ca.into_iter().collect())
    }

    fn req<T: PolarsNumericType>(&self, column: &str) -> Result<Vec<T::Native>, ShardError> {
        self.opt::<T>(column)?
            .into_iter()
            .map(|v| v.ok_or_else(|| self.err(column, "unexpected null")))
            .collect()
    }

    fn opt_str(&self, column: &str) -> Result<Vec<Option<String>>, ShardError> {
        let s = self.series(column)?;
        let ca = s.str().map_err(|e| self.err(column, e))?;
        Ok(ca.into_iter().map(|v| v.map(str::to_string)).collect())
    }

    fn req_str(&self, column: &str) -> Result<Vec<String>, ShardError> {
        self.opt_str(column)?
            .into_iter()
            .map(|v| v.ok_or_else(|| self.err(column, "unexpected null")))
            .collect()
    }

    fn dates(&self, column: &str) -> Result<Vec<Option<chrono::NaiveDate>>, ShardError> {
        let s = self.series(column)?;
        if s.dtype() != &DataType::Date {
            return Err(self.err(column, format!("expected a date, found {}", s.dtype())));
        }
        let days = s.to_physical_repr();
        let ca = days.i32().map_err(|e| self.err(column, e))?;
        ca.into_iter()
            .map(|d| {
                d.map(|d| {
                    epoch()
                        .checked_add_signed(chrono::Duration::days(d.into()))
                        .ok_or_else(|| self.err(column, format!("date {d} out of range")))
                })
                .transpose()
            })
            .collect()
    }

    fn signatures(&self, column: &str) -> Result<Vec<Option<Vec<u32>>>, ShardError> {
        let s = self.series(column)?;
        let ca = s.list().map_err(|e| self.err(column, e))?;
        ca.into_iter()
            .map(|v| {
                v.map(|inner| {
                    let values = inner.u32().map_err(|e| self.err(column, e))?;
                    values
                        .into_iter()
                        .map(|x| x.ok_or_else(|| self.err(column, "unexpected null")))
                        .collect::<Result<Vec<u32>, _>>()
                })
                .transpose()
            })
            .collect()
    }

    /// The `record` column, checked to be non-decreasing.
    fn records(&self) -> Result<Vec<u64>, ShardError> {
        let r = self.req::<UInt64Type>("record")?;
        if r.windows(2).any(|w| w[0] > w[1]) {
            return Err(self.err("record", "rows are not in record order"));
        }
        Ok(r)
    }
}

/// The rows `[start, end)` of a table whose `record` column equals `record`, moving `cursor`
/// past them. Rows of an earlier record that is not in the `records` table are an error.
fn rows_of(
    frame: &Frame,
    records: &[u64],
    cursor: &mut usize,
    record: u64,
) -> Result<std::ops::Range<usize>, ShardError> {
    if let Some(&r) = records.get(*cursor) {
        if r < record {
            return Err(frame.err(
                "record",
                format!("rows for record {r}, which has no records row"),
            ));
        }
    }
    let start = *cursor;
    while records.get(*cursor) == Some(&record) {
        *cursor += 1;
    }
    Ok(start..*cursor)
}

/// Rebuilds the records of one chunk from its frames (in [`TABLES`] order).
fn assemble(frames: &[Frame]) -> Result<VecDeque<(u64, Analyzed)>, ShardError> {
    let [rec, extra, terms, scores, sentences, tone, matches] = frames else {
        unreachable!("one frame per table")
    };
    // records
    let record = rec.records()?;
    let mut doc_id = rec.opt_str("doc_id")?;
    let mut outlet = rec.opt_str("outlet")?;
    let mut group = rec.opt_str("group")?;
    let mut event = rec.opt_str("event")?;
    let date = rec.dates("date")?;
    let mut meta_language = rec.opt_str("meta_language")?;
    let mut title = rec.opt_str("title")?;
    let mut url = rec.opt_str("url")?;
    let mut language = rec.opt_str("language")?;
    let mut source = rec.req_str("source")?;
    let boilerplate = rec.req::<UInt32Type>("boilerplate_lines_removed")?;
    let skip_kind = rec.opt_str("skip_kind")?;
    let mut skip_reason = rec.opt_str("skip_reason")?;
    let n_tokens = rec.opt::<UInt32Type>("n_tokens")?;
    let n_terms = rec.opt::<UInt32Type>("n_terms")?;
    let n_bigrams = rec.opt::<UInt32Type>("n_bigrams")?;
    let n_sentences = rec.opt::<UInt32Type>("n_sentences")?;
    let scored_tokens = rec.opt::<UInt64Type>("scored_tokens")?;
    let mut signatures = rec.signatures("signature")?;
    // record_extra
    let x_record = extra.records()?;
    let mut x_column = extra.req_str("column")?;
    let mut x_value = extra.req_str("value")?;
    // record_terms
    let t_record = terms.records()?;
    let mut t_term = terms.req_str("term")?;
    let t_order = terms.req::<UInt32Type>("order")?;
    let mut t_surface = terms.req_str("surface")?;
    let t_count = terms.req::<UInt32Type>("count")?;
    // record_scores
    let s_record = scores.records()?;
    let mut s_lex = scores.req_str("lexicon")?;
    let mut s_cat = scores.req_str("category")?;
    let s_hits = scores.req::<UInt32Type>("hits")?;
    let s_neg = scores.req::<UInt32Type>("negated_hits")?;
    let s_per1k = scores.req::<Float64Type>("per_1k")?;
    let s_share = scores.req::<Float64Type>("share")?;
    let s_wsum = scores.req::<Float64Type>("weighted_sum")?;
    // record_sentences
    let e_record = sentences.records()?;
    let e_sent = sentences.req::<UInt32Type>("sentence")?;
    let mut e_lex = sentences.req_str("lexicon")?;
    let mut e_cat = sentences.req_str("category")?;
    let e_hits = sentences.req::<UInt32Type>("hits")?;
    let e_neg = sentences.req::<UInt32Type>("negated_hits")?;
    let e_wsum = sentences.req::<Float64Type>("weighted_sum")?;
    let e_tone = sentences.req::<Float64Type>("tone")?;
    // record_tone
    let n_record = tone.records()?;
    let mut n_lex = tone.req_str("lexicon")?;
    let n_pos = tone.req::<UInt32Type>("positive")?;
    let n_neg = tone.req::<UInt32Type>("negative")?;
    let n_net = tone.req::<Float64Type>("net_tone")?;
    let n_logit = tone.req::<Float64Type>("logit_tone")?;
    let n_valence = tone.opt::<Float64Type>("mean_valence")?;
    // record_matches
    let m_record = matches.records()?;
    let mut m_lex = matches.req_str("lexicon")?;
    let mut m_cat = matches.req_str("category")?;
    let mut m_entry = matches.req_str("entry")?;
    let m_count = matches.req::<UInt32Type>("count")?;
    let m_neg = matches.req::<UInt32Type>("negated")?;

    let mut cursors = [0usize; 6];
    let mut out = VecDeque::with_capacity(record.len());
    for (i, &r) in record.iter().enumerate() {
        if i > 0 && record[i - 1] == r {
            return Err(rec.err("record", format!("record {r} appears twice")));
        }
        let extra_rows = rows_of(extra, &x_record, &mut cursors[0], r)?;
        let meta = Metadata {
            outlet: take(&mut outlet[i]),
            group: take(&mut group[i]),
            event: take(&mut event[i]),
            date: date[i],
            language: take(&mut meta_language[i]),
            title: take(&mut title[i]),
            url: take(&mut url[i]),
            extra: extra_rows
                .map(|j| (take(&mut x_column[j]), take(&mut x_value[j])))
                .collect(),
        };
        let row = DocRow {
            doc_id: take(&mut doc_id[i]),
            meta,
            language: take(&mut language[i]),
            source: take(&mut source[i]),
            boilerplate_lines_removed: boilerplate[i],
            skip: match (&skip_kind[i], take(&mut skip_reason[i])) {
                (None, None) => None,
                (Some(kind), Some(reason)) => {
                    let kind = SkipKind::from_name(kind).ok_or_else(|| {
                        rec.err(
                            "skip_kind",
                            format!("record {r}: unknown skip kind {kind:?}"),
                        )
                    })?;
                    Some((kind, reason))
                }
                _ => {
                    return Err(rec.err(
                        "skip_kind",
                        format!("record {r}: a skip kind without a reason or the reverse"),
                    ))
                }
            },
            counts: None,
            near_duplicate: None,
        };
        let term_rows = rows_of(terms, &t_record, &mut cursors[1], r)?;
        let score_rows = rows_of(scores, &s_record, &mut cursors[2], r)?;
        let sentence_rows = rows_of(sentences, &e_record, &mut cursors[3], r)?;
        let tone_rows = rows_of(tone, &n_record, &mut cursors[4], r)?;
        let match_rows = rows_of(matches, &m_record, &mut cursors[5], r)?;
        if row.skip.is_some() {
            let has_rows = !(term_rows.is_empty()
                && score_rows.is_empty()
                && sentence_rows.is_empty()
                && tone_rows.is_empty()
                && match_rows.is_empty());
            if has_rows || signatures[i].is_some() {
                return Err(rec.err(
                    "skip_reason",
                    format!("skipped record {r} has analysis rows"),
                ));
            }
            out.push_back((r, Analyzed::Skipped(row)));
            continue;
        }
        let missing = || rec.err("n_tokens", format!("kept record {r} lacks its totals"));
        let totals = LocalTotals {
            n_tokens: n_tokens[i].ok_or_else(missing)?,
            n_terms: n_terms[i].ok_or_else(missing)?,
            n_bigrams: n_bigrams[i].ok_or_else(missing)?,
            n_sentences: n_sentences[i].ok_or_else(missing)?,
        };
        let mut entries = Vec::with_capacity(term_rows.len());
        for j in term_rows {
            let order = u8::try_from(t_order[j])
                .map_err(|_| terms.err("order", format!("order {} out of range", t_order[j])))?;
            entries.push((
                take(&mut t_term[j]),
                order,
                take(&mut t_surface[j]),
                t_count[j],
            ));
        }
        let local = LocalCounts::from_parts(entries, totals)
            .map_err(|e| terms.err("term", format!("record {r}: {e}")))?;
        let scores = DocScores {
            n_tokens: scored_tokens[i].ok_or_else(missing)? as usize,
            rows: score_rows
                .map(|j| CategoryScore {
                    lexicon: take(&mut s_lex[j]),
                    category: take(&mut s_cat[j]),
                    hits: s_hits[j],
                    negated_hits: s_neg[j],
                    per_1k: s_per1k[j],
                    share: s_share[j],
                    weighted_sum: s_wsum[j],
                })
                .collect(),
            sentences: sentence_rows
                .map(|j| SentenceScore {
                    sentence: e_sent[j],
                    lexicon: take(&mut e_lex[j]),
                    category: take(&mut e_cat[j]),
                    hits: e_hits[j],
                    negated_hits: e_neg[j],
                    weighted_sum: e_wsum[j],
                    tone: e_tone[j],
                })
                .collect(),
            tone: tone_rows
                .map(|j| ToneScore {
                    lexicon: take(&mut n_lex[j]),
                    pos: n_pos[j],
                    neg: n_neg[j],
                    net_tone: n_net[j],
                    logit_tone: n_logit[j],
                    mean_valence: n_valence[j],
                })
                .collect(),
            entry_matches: match_rows
                .map(|j| EntryMatch {
                    lexicon: take(&mut m_lex[j]),
                    category: take(&mut m_cat[j]),
                    entry: take(&mut m_entry[j]),
                    count: m_count[j],
                    negated: m_neg[j],
                })
                .collect(),
        };
        let signature = take(&mut signatures[i])
            .ok_or_else(|| rec.err("signature", format!("kept record {r} has none")))?;
        out.push_back((
            r,
            Analyzed::Kept {
                row,
                local,
                signature,
                scores,
            },
        ));
    }
    let lens = [
        (extra, x_record.len()),
        (terms, t_record.len()),
        (scores, s_record.len()),
        (sentences, e_record.len()),
        (tone, n_record.len()),
        (matches, m_record.len()),
    ];
    for ((frame, len), cursor) in lens.iter().zip(cursors) {
        if cursor != *len {
            return Err(frame.err("record", "rows for a record outside this chunk"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_match_the_frames_written() {
        let frames = Buffers::default().frames().unwrap();
        for ((name, schema), df) in TABLES.iter().zip(schemas()).zip(frames) {
            assert_eq!(df.schema().as_ref(), &schema, "{name}");
        }
    }
}
