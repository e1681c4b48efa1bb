//! The run manifest: how every output of a run was made.
//!
//! `manifest.json` records the program version, the study file and its SHA-256, the SHA-256 of
//! every input file, each lexicon's name, version and SHA-256, every parameter after defaults
//! were applied, the seed, the counts of documents
//! kept and skipped (by kind, with an example reason each), and the stage timings. Everything except the `run` section
//! (timestamps, timings, command line, thread count) is a function of the inputs, so two runs of
//! the same study differ only there.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::SkipKind;
use crate::lexicon::LexiconSource;
use crate::study::RunConfig;
use crate::tables::{OutputDir, TableError};

/// The manifest's format version; bumped when a field changes meaning. Version 2: `counts.skipped`
/// is keyed by skip kind (`{"empty-text": {"documents": 3, "example": "…"}}`) instead of by the
/// full reason text.
pub const MANIFEST_VERSION: u32 = 2;

/// The current time as RFC 3339 (UTC). Used only in the manifest's `run` section.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// SHA-256 of a byte string, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 and size of a file, read in blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex(&hasher.finalize()), size))
}

/// The highest resident memory of this process so far, in MB (10⁶ bytes): Linux's `VmHWM`
/// from `/proc/self/status`, rounded to 0.1 MB. `None` on systems without it. What a cluster
/// job needs to request for a corpus of this size (Slurm's `--mem`), read off a trial run.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// The `VmHWM` line of a `/proc/<pid>/status` text, in MB.
fn parse_vm_hwm(status: &str) -> Option<f64> {
    let value = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kib: f64 = value.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some((kib * 1024.0 / 1e5).round() / 10.0)
}

/// Wall-clock seconds per stage, in the order the stages ran.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timings(Vec<(String, f64)>);

impl Timings {
    /// Records the time since `start` for `stage`.
    pub fn record(&mut self, stage: &str, start: Instant) {
        self.0
            .push((stage.to_string(), start.elapsed().as_secs_f64()));
    }

    /// Records `seconds` for `stage`: a stage timed in parts, or one that ran beside another
    /// (their times then overlap).
    pub fn record_seconds(&mut self, stage: &str, seconds: f64) {
        self.0.push((stage.to_string(), seconds));
    }
}

/// Document and term counts.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Input records (rows or files).
    pub records: usize,
    /// Documents kept.
    pub kept: usize,
    /// Skip kind -> number of records and an example reason (kinds without skips are left
    /// out).
    pub skipped: BTreeMap<SkipKind, Skips>,
    /// Kept documents reported as near-duplicates of an earlier one.
    pub near_duplicates: usize,
    /// Near-duplicate look-ups that skipped an LSH bucket holding `max-bucket` documents.
    pub lsh_oversized_lookups: usize,
    /// Distinct terms seen before pruning.
    pub terms_seen: usize,
    /// Terms in the vocabulary table.
    pub terms_kept: usize,
    /// Terms removed by min-df / max-df.
    pub terms_pruned_by_df: usize,
    /// Terms removed by max-features.
    pub terms_pruned_by_max_features: usize,
}

/// The records skipped for one [`SkipKind`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skips {
    /// How many.
    pub documents: usize,
    /// The reason of the first of them in input order (every reason is in the `documents`
    /// table).
    pub example: String,
}

/// Counts `(kind, reason)` skips by kind, keeping the first reason of each kind as its example.
pub fn count_skips<'a>(
    skips: impl IntoIterator<Item = &'a (SkipKind, String)>,
) -> BTreeMap<SkipKind, Skips> {
    let mut counts: BTreeMap<SkipKind, Skips> = BTreeMap::new();
    for (kind, reason) in skips {
        counts
            .entry(*kind)
            .and_modify(|s| s.documents += 1)
            .or_insert_with(|| Skips {
                documents: 1,
                example: reason.clone(),
            });
    }
    counts
}

/// One hashed input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path, relative to the study file's folder when it lies inside it.
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content.
    pub sha256: String,
}

/// The study file.
#[derive(Debug, Serialize)]
pub struct StudyInfo {
    /// The file's name (the path as given is in the `run` section).
    pub file: String,
    /// The study's name.
    pub name: String,
    /// SHA-256 of the file's text.
    pub sha256: String,
}

/// When and how the run happened: the only part that changes between identical runs.
#[derive(Debug, Serialize)]
pub struct RunInfo {
    /// Start time (UTC, RFC 3339).
    pub started_at: String,
    /// End time (UTC, RFC 3339).
    pub finished_at: String,
    /// The study file as given on the command line.
    pub study_path: PathBuf,
    /// The command line.
    pub command_line: Vec<String>,
    /// Worker threads.
    pub threads: usize,
    /// Seconds per stage.
    pub stage_seconds: Timings,
    /// The process's peak resident memory in MB when the manifest was written ([`peak_rss_mb`];
    /// left out where the system does not report it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_mb: Option<f64>,
    /// For a merged run (`framelens merge`): the shards it was made from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<Vec<ShardRun>>,
}

/// One shard of a merged run, as its `shard.json` recorded it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardRun {
    /// The shard's folder.
    pub folder: PathBuf,
    /// K of `--shard K/N`.
    pub shard: u32,
    /// N of `--shard K/N`.
    pub shards: u32,
    /// Records the shard analyzed.
    pub records: u64,
    /// When the shard run started (UTC, RFC 3339).
    pub started_at: String,
    /// When it finished.
    pub finished_at: String,
    /// Its command line.
    pub command_line: Vec<String>,
    /// Its worker threads.
    pub threads: usize,
    /// Its seconds per stage.
    pub stage_seconds: Timings,
    /// Its peak resident memory in MB ([`peak_rss_mb`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_mb: Option<f64>,
}

/// What the stages of a run produced that the manifest records.
#[derive(Debug)]
pub struct Outcome {
    /// Every lexicon applied.
    pub lexicons: Vec<LexiconSource>,
    /// Counts of documents and terms.
    pub counts: Counts,
    /// What the analysis stages decided.
    pub analysis: BTreeMap<String, serde_json::Value>,
    /// Stages that could not run on this corpus, and why.
    pub warnings: Vec<String>,
}

/// The whole manifest.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`].
    pub manifest_version: u32,
    /// framelens' version.
    pub framelens_version: &'static str,
    /// The study file.
    pub study: StudyInfo,
    /// The seed of every random step.
    pub seed: u64,
    /// Every input file read, with its hash.
    pub inputs: Vec<InputFile>,
    /// Every lexicon applied: origin, name, version, languages, SHA-256.
    pub lexicons: Vec<LexiconSource>,
    /// Every parameter, defaults applied.
    pub parameters: serde_json::Value,
    /// Counts of documents and terms.
    pub counts: Counts,
    /// What the analysis stages decided (e.g. the number of clusters and every clustering
    /// parameter).
    pub analysis: BTreeMap<String, serde_json::Value>,
    /// Stages that could not run on this corpus, and why.
    pub warnings: Vec<String>,
    /// When and how.
    pub run: RunInfo,
}

/// Hashes every input file, in the order given.
pub fn hash_inputs(config: &RunConfig, inputs: &[PathBuf]) -> Result<Vec<InputFile>, TableError> {
    let mut files = Vec::with_capacity(inputs.len());
    for path in inputs {
        let (sha256, bytes) = sha256_file(path).map_err(|source| TableError::Io {
            path: path.clone(),
            source,
        })?;
        files.push(InputFile {
            path: config.study.relative_path(path),
            bytes,
            sha256,
        });
    }
    Ok(files)
}

impl Manifest {
    /// Assembles the manifest; `inputs` come from [`hash_inputs`].
    pub fn build(
        config: &RunConfig,
        inputs: Vec<InputFile>,
        outcome: Outcome,
        started_at: String,
        stage_seconds: Timings,
    ) -> Manifest {
        let study = &config.study;
        Manifest {
            manifest_version: MANIFEST_VERSION,
            framelens_version: env!("CARGO_PKG_VERSION"),
            study: StudyInfo {
                file: study
                    .path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                name: study.name.clone(),
                sha256: sha256_hex(study.text.as_bytes()),
            },
            seed: study.study.seed,
            inputs,
            lexicons: outcome.lexicons,
            parameters: serde_json::to_value(&study.as_written).unwrap_or(serde_json::Value::Null),
            counts: outcome.counts,
            analysis: outcome.analysis,
            warnings: outcome.warnings,
            run: RunInfo {
                started_at,
                finished_at: now(),
                study_path: study.path.clone(),
                command_line: config.command_line.clone(),
                threads: rayon::current_num_threads(),
                stage_seconds,
                peak_rss_mb: peak_rss_mb(),
                shards: None,
            },
        }
    }

    /// Stages `manifest.json` in the output folder.
    pub fn write(&self, out: &mut OutputDir) -> Result<(), TableError> {
        let path = out.stage("manifest.json");
        let io = |source| TableError::Io {
            path: path.clone(),
            source,
        };
        let mut json = serde_json::to_string_pretty(self).map_err(|e| io(e.into()))?;
        json.push('\n');
        File::create(&path)
            .and_then(|mut f| f.write_all(json.as_bytes()))
            .map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_read_from_vm_hwm() {
        let status =
            "Name:\tframelens\nVmPeak:\t  900000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  1000 kB\n";
        // 204,800 KiB = 209.7152 MB.
        assert_eq!(parse_vm_hwm(status), Some(209.7));
        assert_eq!(parse_vm_hwm("VmRSS:\t1 kB\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\t12 MB\n"), None);
        if cfg!(target_os = "linux") {
            let mb = peak_rss_mb().expect("Linux reports VmHWM");
            assert!(mb > 0.0);
        }
    }

    #[test]
    fn skips_are_counted_by_kind_with_the_first_reason() {
        let skips = [
            (SkipKind::EmptyText, "a: empty".to_string()),
            (SkipKind::BadDate, "b: date \"32.01\"".to_string()),
            (SkipKind::EmptyText, "c: empty".to_string()),
        ];
        let counts = count_skips(&skips);
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"bad-date":{"documents":1,"example":"b: date \"32.01\""},"empty-text":{"documents":2,"example":"a: empty"}}"#
        );
        assert!(count_skips(&[]).is_empty());
    }

    #[test]
    fn sha256_of_known_string() {
        // FIPS 180-2 test vector for "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
