//! Sharded runs: `framelens run --shard K/N` on N machines, then `framelens merge`.
//!
//! The corpus is split by record index, not by file or size: record `i` (0-based, in the
//! corpus reader's input order) belongs to shard `(i mod N) + 1`, so shard K is the same set of
//! records on every machine without any coordination, and the shards are of nearly equal size
//! whatever the order of the input. Every shard reads the whole record stream (reading is cheap
//! next to tokenizing and scoring) but analyzes only its own records, skipped ones included.
//!
//! A shard stops after stage 2 of [`crate::pipeline`]: it writes what each of its records
//! produced (the `documents` row, the term and surface-form counts, the MinHash signature and
//! the lexicon scores) to partial tables in its shard folder (module `partial`), with a `shard.json`
//! that says which shard of which study, corpus, lexicons and framelens version it is. It does
//! not look for near-duplicates: that check is online and depends on every earlier document of
//! the corpus, whatever shard it is in.
//!
//! `ShardSet::open` checks that the folders form one complete set (shards 1..=N, each once, of
//! the same study file, corpus, lexicons and framelens version) and `ShardSet::replay` hands
//! the records back in global input order to the same sequential stage a single run uses. So
//! near-duplicates, vocabulary ids, labels, document frequencies and every later table come out
//! byte-identical to a single run's: nothing is added up from per-shard aggregates, and the
//! counts that are additive (term and document frequencies, coverage) are summed by the same
//! code in the same order. Memory: besides what a single run holds after its streaming stage, the
//! merge holds one chunk of every shard, about `output.batch-size` records' results in all (a
//! single run holds that many records with their text and tokens during the streaming stage).

mod partial;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lexicon::LexiconSource;
use crate::manifest::{self, InputFile, ShardRun, Timings};
use crate::pipeline::Analyzed;
use crate::study::RunConfig;
use crate::Error;

pub(crate) use partial::PartialWriter;

/// The shard folder format written by this version. Bumped whenever a partial table or
/// `shard.json` changes, so a merge never misreads shards of another layout.
pub const SHARD_FORMAT_VERSION: u32 = 2;

/// The value of `format` in every `shard.json`.
const FORMAT_NAME: &str = "framelens-shard";

/// The file that marks a finished shard folder.
const SHARD_FILE: &str = "shard.json";

/// Shard `k` of `n` (1-based, as Slurm's `--array=1-N` numbers its tasks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShardSpec {
    k: u32,
    n: u32,
}

impl ShardSpec {
    /// Shard `k` of `n`; `k` must lie in `1..=n`.
    pub fn new(k: u32, n: u32) -> Result<ShardSpec, String> {
        if n == 0 {
            return Err("the number of shards N must be at least 1".into());
        }
        if k == 0 || k > n {
            return Err(format!(
                "shard {k} of {n} does not exist: K counts from 1 to N (e.g. --shard 1/{n} … --shard {n}/{n})"
            ));
        }
        Ok(ShardSpec { k, n })
    }

    /// K.
    pub fn index(self) -> u32 {
        self.k
    }

    /// N.
    pub fn count(self) -> u32 {
        self.n
    }

    /// Whether the record with this 0-based index in input order belongs to this shard.
    pub fn owns(self, record: u64) -> bool {
        record % u64::from(self.n) == u64::from(self.k - 1)
    }

    /// How many of `total` records belong to this shard.
    pub fn records_of(self, total: u64) -> u64 {
        let (n, k) = (u64::from(self.n), u64::from(self.k));
        total / n + u64::from(total % n >= k)
    }

    /// The default folder name, `K-of-N`.
    pub fn folder_name(self) -> String {
        format!("{}-of-{}", self.k, self.n)
    }

    /// The default shard folder: `<tables>/shards/K-of-N`.
    pub fn default_dir(self, tables_dir: &Path) -> PathBuf {
        tables_dir.join("shards").join(self.folder_name())
    }

    fn from_folder_name(name: &str) -> Option<ShardSpec> {
        let (k, n) = name.split_once("-of-")?;
        ShardSpec::new(k.parse().ok()?, n.parse().ok()?).ok()
    }
}

impl FromStr for ShardSpec {
    type Err = String;

    /// Parses `K/N`, e.g. `2/8`.
    fn from_str(s: &str) -> Result<ShardSpec, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} is not of the form K/N (e.g. 2/8)"))?;
        let number = |v: &str, what: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| format!("{s:?}: {what} {v:?} is not a whole number"))
        };
        ShardSpec::new(number(k, "K")?, number(n, "N")?)
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// A shard set that cannot be merged. Every message names the folder (or the missing shard)
/// and says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// One shard folder is unusable: missing, unfinished, from another study, corpus, lexicon
    /// set or framelens version, or inconsistent.
    #[error("shard folder {}: {message}", folder.display())]
    Folder {
        /// The folder.
        folder: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The folders do not form one complete set of shards 1..=N.
    #[error("{0}")]
    Set(String),
}

fn folder_err(folder: &Path, message: impl Into<String>) -> ShardError {
    ShardError::Folder {
        folder: folder.to_path_buf(),
        message: message.into(),
    }
}

/// What a shard run did, for the command line's closing summary.
#[derive(Debug, Clone)]
pub struct ShardSummary {
    /// Which shard.
    pub spec: ShardSpec,
    /// Records in the whole corpus.
    pub records_total: u64,
    /// Records of this shard.
    pub records: u64,
    /// Of those, documents tokenized and scored (near-duplicates are decided by the merge).
    pub analyzed: u64,
    /// This shard's skipped records by kind, with an example reason each.
    pub skipped: BTreeMap<crate::corpus::SkipKind, manifest::Skips>,
    /// The shard folder.
    pub dir: PathBuf,
}

/// What a shard knows about the run besides its records, for `shard.json`.
pub(crate) struct Provenance {
    pub(crate) records_total: u64,
    pub(crate) extra_columns: Vec<String>,
    pub(crate) inputs: Vec<InputFile>,
    pub(crate) lexicons: Vec<LexiconSource>,
    pub(crate) started_at: String,
    pub(crate) stage_seconds: Timings,
}

/// `shard.json`: what a shard folder holds and how it was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ShardManifest {
    /// Always [`FORMAT_NAME`].
    format: String,
    /// [`SHARD_FORMAT_VERSION`].
    format_version: u32,
    /// framelens' version: a merge accepts shards of its own version only.
    framelens_version: String,
    /// K.
    shard: u32,
    /// N.
    shards: u32,
    /// The study's name.
    study_name: String,
    /// SHA-256 of the study file's text.
    study_sha256: String,
    /// Records in the whole corpus.
    records_total: u64,
    /// Records of this shard.
    records: u64,
    /// The partial tables' chunks, in order (see [`partial`]).
    chunks: Vec<partial::Chunk>,
    /// The carried metadata columns of the corpus, in input order.
    extra_columns: Vec<String>,
    /// Every input file read, with its hash (as the manifest records them).
    inputs: Vec<InputFile>,
    /// Every lexicon applied, as the manifest records them.
    lexicons: serde_json::Value,
    /// When and how the shard ran.
    started_at: String,
    finished_at: String,
    command_line: Vec<String>,
    threads: usize,
    stage_seconds: Timings,
    /// Peak resident memory in MB, where the system reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    peak_rss_mb: Option<f64>,
}

/// A complete, consistent set of shard folders, ready to be replayed.
pub(crate) struct ShardSet {
    /// Shards 1..=N in order.
    shards: Vec<(PathBuf, ShardManifest)>,
}

/// What a merge takes from the shards besides their records.
pub(crate) struct Replayed {
    pub(crate) extra_columns: Vec<String>,
    pub(crate) inputs: Vec<InputFile>,
    pub(crate) shards: Vec<ShardRun>,
}

impl ShardSet {
    /// Opens and checks the shard folders `dirs`, or, when `None`, every `K-of-N` folder under
    /// `<tables>/shards/`. `lexicons` are the lexicons as loaded now; every shard must have
    /// used the same files.
    pub(crate) fn open(
        config: &RunConfig,
        dirs: Option<&[PathBuf]>,
        lexicons: &[LexiconSource],
    ) -> Result<ShardSet, ShardError> {
        let dirs = match dirs {
            Some(d) if !d.is_empty() => d.to_vec(),
            _ => discover(config)?,
        };
        let study_sha256 = manifest::sha256_hex(config.study.text.as_bytes());
        let lexicons = serde_json::to_value(lexicons).unwrap_or(serde_json::Value::Null);
        let mut opened: Vec<(PathBuf, ShardManifest)> = Vec::with_capacity(dirs.len());
        for dir in dirs {
            let m = read_manifest(&dir)?;
            if m.study_sha256 != study_sha256 {
                return Err(folder_err(
                    &dir,
                    format!(
                        "was made from a different study file (study {:?}, SHA-256 {}; {} has SHA-256 {}): \
                         rerun the shard with this study file or merge with the study it was made from",
                        m.study_name,
                        short(&m.study_sha256),
                        config.study.path.display(),
                        short(&study_sha256)
                    ),
                ));
            }
            if m.lexicons != lexicons {
                return Err(folder_err(
                    &dir,
                    "was scored with other lexicon files than the study loads now (a lexicon file \
                     changed since the shard ran): rerun the shard",
                ));
            }
            if let Some((first, f)) = opened.first() {
                if m.shards != f.shards {
                    return Err(folder_err(
                        &dir,
                        format!(
                            "holds shard {}/{} but {} holds shard {}/{}: all shards of a merge \
                             must come from one split (the same N)",
                            m.shard,
                            m.shards,
                            first.display(),
                            f.shard,
                            f.shards
                        ),
                    ));
                }
                let differs = if m.records_total != f.records_total {
                    Some(format!(
                        "{} records against {}",
                        m.records_total, f.records_total
                    ))
                } else if m.inputs != f.inputs {
                    Some("the input files or their SHA-256 differ".to_string())
                } else if m.extra_columns != f.extra_columns {
                    Some("the carried metadata columns differ".to_string())
                } else {
                    None
                };
                if let Some(why) = differs {
                    return Err(folder_err(
                        &dir,
                        format!(
                            "read a different corpus than {} ({why}): the corpus changed between \
                             shard runs; rerun every shard",
                            first.display()
                        ),
                    ));
                }
            }
            if let Some((other, _)) = opened.iter().find(|(_, o)| o.shard == m.shard) {
                return Err(folder_err(
                    &dir,
                    format!(
                        "holds shard {}/{}, as {} does: give each shard once",
                        m.shard,
                        m.shards,
                        other.display()
                    ),
                ));
            }
            opened.push((dir, m));
        }
        let n = opened[0].1.shards;
        let mut present: Vec<u32> = opened.iter().map(|(_, m)| m.shard).collect();
        present.sort_unstable();
        let missing: Vec<String> = (1..=n)
            .filter(|k| present.binary_search(k).is_err())
            .map(|k| k.to_string())
            .collect();
        if !missing.is_empty() {
            let one = missing.len() == 1;
            return Err(ShardError::Set(format!(
                "cannot merge: shard{} {} of {n} {} missing (given: {}); run `framelens run {} --shard K/{n}` for K = {}",
                if one { "" } else { "s" },
                missing.join(", "),
                if one { "is" } else { "are" },
                opened
                    .iter()
                    .map(|(d, m)| format!("{} ({}/{})", d.display(), m.shard, m.shards))
                    .collect::<Vec<_>>()
                    .join(", "),
                config.study.path.display(),
                missing.join(", "),
            )));
        }
        opened.sort_by_key(|(_, m)| m.shard);
        for (dir, m) in &opened {
            let spec = ShardSpec::new(m.shard, m.shards).map_err(|e| folder_err(dir, e))?;
            if m.records != spec.records_of(m.records_total) {
                return Err(folder_err(
                    dir,
                    format!(
                        "shard.json lists {} records, but shard {spec} of {} records has {}",
                        m.records,
                        m.records_total,
                        spec.records_of(m.records_total)
                    ),
                ));
            }
            partial::check_tables(dir, &m.chunks, m.records)?;
        }
        Ok(ShardSet { shards: opened })
    }

    /// Hands every record of every shard to `each`, in global input order: record `i` comes
    /// from shard `(i mod N) + 1`.
    pub(crate) fn replay(
        self,
        mut each: impl FnMut(Analyzed) -> Result<(), Error>,
    ) -> Result<Replayed, Error> {
        let n = self.shards.len() as u64;
        let total = self.shards[0].1.records_total;
        let mut readers: Vec<partial::ShardReader> = self
            .shards
            .iter()
            .map(|(dir, m)| partial::ShardReader::new(dir, &m.chunks))
            .collect();
        for i in 0..total {
            let s = (i % n) as usize;
            let (record, analyzed) = readers[s].next()?.ok_or_else(|| {
                folder_err(
                    &self.shards[s].0,
                    format!("ends before record {i} of {total}"),
                )
            })?;
            if record != i {
                return Err(folder_err(
                    &self.shards[s].0,
                    format!("holds record {record} where record {i} belongs: the partial tables are damaged; rerun the shard"),
                )
                .into());
            }
            each(analyzed)?;
        }
        let first = &self.shards[0].1;
        Ok(Replayed {
            extra_columns: first.extra_columns.clone(),
            inputs: first.inputs.clone(),
            shards: self
                .shards
                .into_iter()
                .map(|(folder, m)| ShardRun {
                    folder,
                    shard: m.shard,
                    shards: m.shards,
                    records: m.records,
                    started_at: m.started_at,
                    finished_at: m.finished_at,
                    command_line: m.command_line,
                    threads: m.threads,
                    stage_seconds: m.stage_seconds,
                    peak_rss_mb: m.peak_rss_mb,
                })
                .collect(),
        })
    }
}

/// The first 12 hex digits of a hash, for messages.
fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// The `K-of-N` folders under `<tables>/shards/`, checked to be one complete set by name.
fn discover(config: &RunConfig) -> Result<Vec<PathBuf>, ShardError> {
    let base = config.tables_dir.join("shards");
    let hint = format!(
        "run `framelens run {} --shard K/N` for K = 1..N first, or name the shard folders with --shards",
        config.study.path.display()
    );
    let entries = fs::read_dir(&base).map_err(|e| {
        ShardError::Set(format!(
            "cannot merge: no shard folders in {} ({e}); {hint}",
            base.display()
        ))
    })?;
    let mut by_n: BTreeMap<u32, Vec<ShardSpec>> = BTreeMap::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(spec) = name.to_str().and_then(ShardSpec::from_folder_name) {
            if entry.path().is_dir() {
                by_n.entry(spec.n).or_default().push(spec);
            }
        }
    }
    let n = match by_n.len() {
        0 => {
            return Err(ShardError::Set(format!(
                "cannot merge: no K-of-N shard folders in {}; {hint}",
                base.display()
            )))
        }
        1 => *by_n.keys().next().expect("one key"),
        _ => {
            return Err(ShardError::Set(format!(
                "cannot merge: {} holds shard folders of {} different splits (N = {}); remove the \
                 folders of the old split or name the shards to merge with --shards",
                base.display(),
                by_n.len(),
                by_n.keys()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    (1..=n)
        .map(|k| {
            let spec = ShardSpec { k, n };
            let dir = base.join(spec.folder_name());
            if dir.is_dir() {
                Ok(dir)
            } else {
                Err(ShardError::Set(format!(
                    "cannot merge: shard {k} of {n} is missing: there is no folder {}; run `framelens run {} --shard {spec}`",
                    dir.display(),
                    config.study.path.display()
                )))
            }
        })
        .collect()
}

/// Reads and checks a folder's `shard.json`: format, format version and framelens version.
fn read_manifest(dir: &Path) -> Result<ShardManifest, ShardError> {
    if !dir.is_dir() {
        return Err(folder_err(dir, "does not exist"));
    }
    // A shard run killed while committing has left a journal: finish its commit first.
    crate::tables::recover(dir)
        .map_err(|e| folder_err(dir, format!("could not finish its commit: {e}")))?;
    let path = dir.join(SHARD_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(folder_err(
                dir,
                "is not a finished shard (it has no shard.json): its shard run did not complete; rerun it",
            ))
        }
        Err(e) => return Err(folder_err(dir, format!("cannot read shard.json: {e}"))),
    };
    let bad = |what: String| folder_err(dir, format!("shard.json: {what}"));
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    if value.get("format").and_then(|v| v.as_str()) != Some(FORMAT_NAME) {
        return Err(bad(format!("not a {FORMAT_NAME} file")));
    }
    let version = value.get("framelens_version").and_then(|v| v.as_str());
    let format = value.get("format_version").and_then(|v| v.as_u64());
    let ours = env!("CARGO_PKG_VERSION");
    if format != Some(u64::from(SHARD_FORMAT_VERSION)) || version != Some(ours) {
        return Err(folder_err(
            dir,
            format!(
                "was written by framelens {} (shard format {}); this is framelens {ours} (shard format \
                 {SHARD_FORMAT_VERSION}): run every shard and the merge with one framelens version",
                version.unwrap_or("?"),
                format.map_or_else(|| "?".to_string(), |f| f.to_string()),
            ),
        ));
    }
    serde_json::from_value(value).map_err(|e| bad(e.to_string()))
}

/// Builds `shard.json` for a finished shard.
fn shard_manifest(
    config: &RunConfig,
    spec: ShardSpec,
    records: u64,
    chunks: Vec<partial::Chunk>,
    provenance: Provenance,
) -> ShardManifest {
    ShardManifest {
        format: FORMAT_NAME.to_string(),
        format_version: SHARD_FORMAT_VERSION,
        framelens_version: env!("CARGO_PKG_VERSION").to_string(),
        shard: spec.k,
        shards: spec.n,
        study_name: config.study.name.clone(),
        study_sha256: manifest::sha256_hex(config.study.text.as_bytes()),
        records_total: provenance.records_total,
        records,
        chunks,
        extra_columns: provenance.extra_columns,
        inputs: provenance.inputs,
        lexicons: serde_json::to_value(&provenance.lexicons).unwrap_or(serde_json::Value::Null),
        started_at: provenance.started_at,
        finished_at: manifest::now(),
        command_line: config.command_line.clone(),
        threads: rayon::current_num_threads(),
        stage_seconds: provenance.stage_seconds,
        peak_rss_mb: manifest::peak_rss_mb(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_parses_k_of_n_and_rejects_the_rest() {
        assert_eq!("2/8".parse::<ShardSpec>(), ShardSpec::new(2, 8));
        assert_eq!("1/1".parse::<ShardSpec>().unwrap().folder_name(), "1-of-1");
        for bad in ["0/3", "4/3", "1/0", "3", "a/3", "1/-2", "-1/3"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
        let msg = "4/3".parse::<ShardSpec>().unwrap_err();
        assert!(msg.contains("K counts from 1 to N"), "{msg}");
        assert_eq!(
            ShardSpec::from_folder_name("2-of-3"),
            ShardSpec::new(2, 3).ok()
        );
        assert_eq!(ShardSpec::from_folder_name("4-of-3"), None);
        assert_eq!(ShardSpec::from_folder_name("notes"), None);
    }

    #[test]
    fn every_record_has_exactly_one_shard_and_counts_agree() {
        for n in 1..=5u32 {
            for total in 0..=12u64 {
                let specs: Vec<ShardSpec> =
                    (1..=n).map(|k| ShardSpec::new(k, n).unwrap()).collect();
                for i in 0..total {
                    assert_eq!(specs.iter().filter(|s| s.owns(i)).count(), 1);
                }
                for s in &specs {
                    let owned = (0..total).filter(|&i| s.owns(i)).count() as u64;
                    assert_eq!(s.records_of(total), owned, "{s} of {total}");
                }
            }
        }
        // Record 0 is in shard 1, record 4 of 3 shards in shard 2 (Slurm task ids 1..=N).
        assert!(ShardSpec::new(1, 3).unwrap().owns(0));
        assert!(ShardSpec::new(2, 3).unwrap().owns(4));
    }
}
