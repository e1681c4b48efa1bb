//! Reading a run's tables into plain Rust rows for the figures and the text.
//!
//! Only files a run wrote are read: the Parquet tables in the tables folder and `manifest.json`.
//! `documents` and the manifest are required; every other table is optional and `None` when its
//! file is absent (a stage that did not run, or clustering turned off), so the report can say
//! "not computed in this run" for what depends on it. A table that exists but lacks a column of
//! the contract is an error naming the file and the column. Integer and float columns are read
//! through a cast, so a table written with u32 or u64 counts reads the same.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::ReportError;
use crate::tables::{read_parquet, read_parquet_columns};

/// Label used for documents without an outlet.
pub const NO_OUTLET: &str = "(no outlet)";
/// Label used for documents without an event.
pub const NO_EVENT: &str = "(no event)";

/// One row of `documents`, kept or skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// Document id (null for a skipped row without one).
    pub doc_id: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Group.
    pub group: Option<String>,
    /// Event.
    pub event: Option<String>,
    /// Publication date, days since 1970-01-01.
    pub date: Option<i32>,
    /// Language code.
    pub language: Option<String>,
    /// Word and number tokens.
    pub n_tokens: Option<u64>,
    /// Kept (true) or skipped.
    pub kept: bool,
    /// The kind of skip (`skip_kind`, e.g. `empty-text`).
    pub skip_kind: Option<String>,
    /// Why it was skipped.
    pub skip_reason: Option<String>,
    /// File or file:line.
    pub source: Option<String>,
    /// Id of the earlier document it nearly duplicates.
    pub near_duplicate_of: Option<String>,
}

impl Doc {
    /// The outlet, or [`NO_OUTLET`].
    pub fn outlet_name(&self) -> &str {
        self.outlet.as_deref().unwrap_or(NO_OUTLET)
    }
}

/// Mean rate per 1,000 tokens of every (lexicon, category) by outlet, from `scores`.
#[derive(Debug, Clone, Default)]
pub struct ScoreMeans {
    /// Lexicons in the order of the scores table, each with its categories in table order.
    pub lexicons: Vec<(String, Vec<String>)>,
    /// (lexicon, category, outlet) -> (sum of per_1k, documents).
    pub cells: BTreeMap<(String, String, String), (f64, u64)>,
}

impl ScoreMeans {
    /// Mean rate and number of documents, if the outlet has scored documents for the category.
    pub fn mean(&self, lexicon: &str, category: &str, outlet: &str) -> Option<(f64, u64)> {
        let key = (
            lexicon.to_string(),
            category.to_string(),
            outlet.to_string(),
        );
        self.cells
            .get(&key)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| (s / *n as f64, *n))
    }
}

/// One row of `tone`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneRow {
    /// Index into [`RunData::docs`].
    pub doc: usize,
    /// Polar lexicon.
    pub lexicon: String,
    /// Net tone, (pos − neg) / n × 100.
    pub net_tone: f64,
}

/// One row of `comparisons`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Lexicon.
    pub lexicon: String,
    /// Category.
    pub category: String,
    /// First group.
    pub group_a: String,
    /// Second group, or "rest".
    pub group_b: String,
    /// Event or "pooled".
    pub event: String,
    /// Mean rate per 1k in group a.
    pub mean_a: Option<f64>,
    /// Mean rate per 1k in group b.
    pub mean_b: Option<f64>,
    /// mean_a − mean_b.
    pub diff: Option<f64>,
    /// Lower 95% bound of diff.
    pub ci_low: Option<f64>,
    /// Upper 95% bound of diff.
    pub ci_high: Option<f64>,
    /// Permutation p-value.
    pub p_perm: Option<f64>,
    /// Benjamini–Hochberg q-value.
    pub q_bh: Option<f64>,
    /// Effect size.
    pub effect: Option<f64>,
    /// "cohens_d" or "cliffs_delta".
    pub effect_kind: Option<String>,
    /// Documents in group a.
    pub n_a: u64,
    /// Documents in group b.
    pub n_b: u64,
    /// A warning, e.g. too few documents.
    pub warning: Option<String>,
}

/// One row of `keyness`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTerm {
    /// Term (stem).
    pub term: String,
    /// Readable label.
    pub label: String,
    /// Group whose use is compared (positive z: more in a).
    pub group_a: String,
    /// Reference group.
    pub group_b: String,
    /// Event or "pooled".
    pub event: String,
    /// Count in group a.
    pub count_a: u64,
    /// Count in group b.
    pub count_b: u64,
    /// z-score.
    pub z: Option<f64>,
}

/// One row of `divergence`.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// First outlet.
    pub outlet_a: String,
    /// Second outlet.
    pub outlet_b: String,
    /// Event or "pooled".
    pub event: String,
    /// Jensen–Shannon divergence.
    pub jsd: Option<f64>,
    /// Cosine distance of the frame profiles.
    pub frame_cosine_distance: Option<f64>,
}

/// One row of `outlet_profiles`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletProfile {
    /// Outlet.
    pub outlet: String,
    /// Lexicon.
    pub lexicon: String,
    /// Category.
    pub category: String,
    /// Mean rate per 1k.
    pub mean_per_1k: Option<f64>,
    /// Lower 95% bound.
    pub ci_low: Option<f64>,
    /// Upper 95% bound.
    pub ci_high: Option<f64>,
    /// Documents.
    pub n_docs: u64,
}

/// One row of `clusters`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    /// Index into [`RunData::docs`].
    pub doc: usize,
    /// Cluster (−1: noise).
    pub cluster: i64,
    /// First principal component.
    pub pc1: f64,
    /// Second principal component.
    pub pc2: f64,
}

/// One row of `cluster_summary`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterSummary {
    /// Cluster.
    pub cluster: i64,
    /// Documents.
    pub size: u64,
    /// Comma-separated term labels.
    pub top_terms: String,
    /// Comma-separated lexicon/category.
    pub top_categories: String,
}

/// One row of `cluster_agreement`.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// "group", "outlet" or "event".
    pub against: String,
    /// Adjusted Rand index.
    pub ari: Option<f64>,
    /// Normalized mutual information.
    pub nmi: Option<f64>,
}

/// Everything the report reads from one run.
#[derive(Debug, Clone, Default)]
pub struct RunData {
    /// The tables folder.
    pub dir: PathBuf,
    /// `manifest.json`.
    pub manifest: serde_json::Value,
    /// `documents`, in table order.
    pub docs: Vec<Doc>,
    /// `scores`, averaged by outlet.
    pub scores: Option<ScoreMeans>,
    /// `tone`.
    pub tone: Option<Vec<ToneRow>>,
    /// `comparisons`.
    pub comparisons: Option<Vec<Comparison>>,
    /// `keyness`.
    pub keyness: Option<Vec<KeyTerm>>,
    /// `divergence`.
    pub divergence: Option<Vec<Divergence>>,
    /// `outlet_profiles`.
    pub outlet_profiles: Option<Vec<OutletProfile>>,
    /// `clusters`.
    pub clusters: Option<Vec<ClusterRow>>,
    /// `cluster_summary`.
    pub cluster_summary: Option<Vec<ClusterSummary>>,
    /// `cluster_agreement`.
    pub cluster_agreement: Option<Vec<Agreement>>,
    /// `cluster_selection`: (k, mean silhouette).
    pub cluster_selection: Option<Vec<(i64, Option<f64>)>>,
    /// `pca`: (component, explained variance ratio).
    pub pca: Option<Vec<(i64, Option<f64>)>>,
    /// Every table file read, with its SHA-256, in name order.
    pub files: Vec<(String, String)>,
}

impl RunData {
    /// Reads the tables in `dir`, after finishing a commit a crash interrupted there (so the
    /// tables and the manifest read are of one run).
    pub fn load(dir: &Path) -> Result<RunData, ReportError> {
        crate::tables::recover(dir)?;
        let manifest_path = dir.join("manifest.json");
        let text = std::fs::read_to_string(&manifest_path).map_err(|source| ReportError::Io {
            path: manifest_path.clone(),
            source,
        })?;
        let manifest: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ReportError::Manifest {
                path: manifest_path.clone(),
                message: e.to_string(),
            })?;
        if !manifest.is_object() {
            return Err(ReportError::Manifest {
                path: manifest_path,
                message: "not a JSON object".to_string(),
            });
        }
        let mut files = Vec::new();
        let mut table =
            |name: &str, columns: &[&str]| read_table_columns(dir, name, columns, &mut files);
        let documents = table("documents", &[])?.ok_or_else(|| ReportError::Io {
            path: dir.join("documents.parquet"),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        })?;
        let docs = read_docs(&documents)?;
        let index: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kept)
            .filter_map(|(i, d)| d.doc_id.as_deref().map(|id| (id, i)))
            .collect();
        // One row per document and category: only the four columns read_scores uses are loaded.
        let scores = table("scores", SCORE_COLUMNS)?
            .map(|t| read_scores(&t, &docs, &index))
            .transpose()?;
        let tone = table("tone", &[])?
            .map(|t| read_tone(&t, &index))
            .transpose()?;
        let clusters = table("clusters", &[])?
            .map(|t| read_clusters(&t, &index))
            .transpose()?;
        let comparisons = table("comparisons", &[])?
            .map(|t| read_comparisons(&t))
            .transpose()?;
        let keyness = table("keyness", &[])?
            .map(|t| read_keyness(&t))
            .transpose()?;
        let divergence = table("divergence", &[])?
            .map(|t| read_divergence(&t))
            .transpose()?;
        let outlet_profiles = table("outlet_profiles", &[])?
            .map(|t| read_profiles(&t))
            .transpose()?;
        let cluster_summary = table("cluster_summary", &[])?
            .map(|t| read_cluster_summary(&t))
            .transpose()?;
        let cluster_agreement = table("cluster_agreement", &[])?
            .map(|t| read_agreement(&t))
            .transpose()?;
        let cluster_selection = table("cluster_selection", &[])?
            .map(|t| Ok::<_, ReportError>(zip2(t.i64("k")?, t.f64("silhouette")?)))
            .transpose()?;
        let pca = table("pca", &[])?
            .map(|t| {
                Ok::<_, ReportError>(zip2(
                    t.i64("component")?,
                    t.f64("explained_variance_ratio")?,
                ))
            })
            .transpose()?;
        drop(index);
        files.sort();
        Ok(RunData {
            dir: dir.to_path_buf(),
            manifest,
            docs,
            scores,
            tone,
            comparisons,
            keyness,
            divergence,
            outlet_profiles,
            clusters,
            cluster_summary,
            cluster_agreement,
            cluster_selection,
            pca,
            files,
        })
    }

    /// Kept documents.
    pub fn kept(&self) -> impl Iterator<Item = &Doc> {
        self.docs.iter().filter(|d| d.kept)
    }

    /// The study's name from the manifest.
    pub fn study_name(&self) -> &str {
        self.manifest
            .pointer("/study/name")
            .and_then(|v| v.as_str())
            .unwrap_or("study")
    }
}

/// The columns of `scores` that [`read_scores`] reads.
const SCORE_COLUMNS: &[&str] = &["doc_id", "lexicon", "category", "per_1k"];

/// Reads `<dir>/<name>.parquet` if it exists, recording its SHA-256 in `files`; only `columns`
/// (all of them when `columns` is empty).
fn read_table_columns(
    dir: &Path,
    name: &str,
    columns: &[&str],
    files: &mut Vec<(String, String)>,
) -> Result<Option<Table>, ReportError> {
    let path = dir.join(format!("{name}.parquet"));
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|source| ReportError::Io {
        path: path.clone(),
        source,
    })?;
    files.push((format!("{name}.parquet"), super::sha256_hex(&bytes)));
    drop(bytes);
    let df = if columns.is_empty() {
        read_parquet(&path)?
    } else {
        read_parquet_columns(&path, columns)?
    };
    Ok(Some(Table { path, df }))
}

fn zip2<A, B>(a: Vec<Option<A>>, b: Vec<Option<B>>) -> Vec<(A, Option<B>)> {
    a.into_iter()
        .zip(b)
        .filter_map(|(a, b)| a.map(|a| (a, b)))
        .collect()
}

/// A table read from a file, with typed column accessors that name the file in errors.
struct Table {
    path: PathBuf,
    df: DataFrame,
}

impl Table {
    fn column(&self, name: &str, dtype: &DataType) -> Result<Column, ReportError> {
        let col = self.df.column(name).map_err(|_| ReportError::Column {
            path: self.path.clone(),
            column: name.to_string(),
            message: "column is missing".to_string(),
        })?;
        col.cast(dtype).map_err(|e| ReportError::Column {
            path: self.path.clone(),
            column: name.to_string(),
            message: format!("cannot be read as {dtype}: {e}"),
        })
    }

    fn has(&self, name: &str) -> bool {
        self.df.column(name).is_ok()
    }

    fn str(&self, name: &str) -> Result<Vec<Option<String>>, ReportError> {
        let col = self.column(name, &DataType::String)?;
        let ca = col.str().map_err(|e| self.err(name, e))?;
        Ok(ca.into_iter().map(|v| v.map(str::to_string)).collect())
    }

    /// A string column that may be absent (all null then).
    fn str_opt(&self, name: &str) -> Result<Vec<Option<String>>, ReportError> {
        if self.has(name) {
            self.str(name)
        } else {
            Ok(vec![None; self.df.height()])
        }
    }

    /// A required string column whose nulls become "".
    fn text(&self, name: &str) -> Result<Vec<String>, ReportError> {
        Ok(self
            .str(name)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    }

    fn f64(&self, name: &str) -> Result<Vec<Option<f64>>, ReportError> {
        let col = self.column(name, &DataType::Float64)?;
        let ca = col.f64().map_err(|e| self.err(name, e))?;
        Ok(ca
            .into_iter()
            .map(|v| v.filter(|x| x.is_finite()))
            .collect())
    }

    fn i64(&self, name: &str) -> Result<Vec<Option<i64>>, ReportError> {
        let col = self.column(name, &DataType::Int64)?;
        let ca = col.i64().map_err(|e| self.err(name, e))?;
        Ok(ca.into_iter().collect())
    }

    /// A count column: nulls and negative values read as 0.
    fn count(&self, name: &str) -> Result<Vec<u64>, ReportError> {
        Ok(self
            .i64(name)?
            .into_iter()
            .map(|v| v.unwrap_or(0).max(0) as u64)
            .collect())
    }

    fn err(&self, name: &str, e: PolarsError) -> ReportError {
        ReportError::Column {
            path: self.path.clone(),
            column: name.to_string(),
            message: e.to_string(),
        }
    }
}

fn read_docs(t: &Table) -> Result<Vec<Doc>, ReportError> {
    let ids = t.str("doc_id")?;
    let outlet = t.str_opt("outlet")?;
    let group = t.str_opt("group")?;
    let event = t.str_opt("event")?;
    let language = t.str_opt("language")?;
    let status = t.str("status")?;
    let skip = t.str_opt("skip_reason")?;
    let skip_kind = t.str_opt("skip_kind")?;
    let source = t.str_opt("source")?;
    let near = t.str_opt("near_duplicate_of")?;
    let n_tokens = if t.has("n_tokens") {
        t.i64("n_tokens")?
    } else {
        vec![None; t.df.height()]
    };
    let date: Vec<Option<i32>> = if t.has("date") {
        let col = t.df.column("date").map_err(|e| t.err("date", e))?;
        let days = col
            .to_physical_repr()
            .cast(&DataType::Int32)
            .map_err(|e| t.err("date", e))?;
        let ca = days.i32().map_err(|e| t.err("date", e))?;
        ca.into_iter().collect()
    } else {
        vec![None; t.df.height()]
    };
    let docs = (0..t.df.height())
        .map(|i| Doc {
            doc_id: ids[i].clone(),
            outlet: outlet[i].clone(),
            group: group[i].clone(),
            event: event[i].clone(),
            date: date[i],
            language: language[i].clone(),
            n_tokens: n_tokens[i].map(|n| n.max(0) as u64),
            kept: status[i].as_deref() == Some("kept"),
            skip_kind: skip_kind[i].clone(),
            skip_reason: skip[i].clone(),
            source: source[i].clone(),
            near_duplicate_of: near[i].clone(),
        })
        .collect();
    Ok(docs)
}

/// Averages `per_1k` over each outlet's documents, streaming over the column chunks so a large
/// scores table is never copied into owned strings row by row.
fn read_scores(
    t: &Table,
    docs: &[Doc],
    index: &HashMap<&str, usize>,
) -> Result<ScoreMeans, ReportError> {
    let ids = t.column("doc_id", &DataType::String)?;
    let lex = t.column("lexicon", &DataType::String)?;
    let cat = t.column("category", &DataType::String)?;
    let rate = t.column("per_1k", &DataType::Float64)?;
    let ids = ids.str().map_err(|e| t.err("doc_id", e))?;
    let lex = lex.str().map_err(|e| t.err("lexicon", e))?;
    let cat = cat.str().map_err(|e| t.err("category", e))?;
    let rate = rate.f64().map_err(|e| t.err("per_1k", e))?;
    // Outlets by index, so the loop below allocates nothing per row.
    let outlets: Vec<&str> = {
        let set: std::collections::BTreeSet<&str> = docs.iter().map(Doc::outlet_name).collect();
        set.into_iter().collect()
    };
    let outlet_of: Vec<usize> = docs
        .iter()
        .map(|d| outlets.binary_search(&d.outlet_name()).unwrap_or(0))
        .collect();
    // (lexicon, category) pairs in order of first appearance (the order of the lexicon files).
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut pair_index: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut acc: Vec<Vec<(f64, u64)>> = Vec::new();
    for (((id, l), c), r) in ids.into_iter().zip(lex).zip(cat).zip(rate) {
        let (Some(id), Some(l), Some(c), Some(r)) = (id, l, c, r) else {
            continue;
        };
        let Some(&doc) = index.get(id) else {
            continue;
        };
        if !r.is_finite() {
            continue;
        }
        let known = pair_index.get(l).and_then(|m| m.get(c)).copied();
        let p = match known {
            Some(p) => p,
            None => {
                pairs.push((l.to_string(), c.to_string()));
                acc.push(vec![(0.0, 0); outlets.len()]);
                let p = pairs.len() - 1;
                pair_index
                    .entry(l.to_string())
                    .or_default()
                    .insert(c.to_string(), p);
                p
            }
        };
        let cell = &mut acc[p][outlet_of[doc]];
        cell.0 += r;
        cell.1 += 1;
    }
    let mut means = ScoreMeans::default();
    for (p, (l, c)) in pairs.iter().enumerate() {
        match means.lexicons.iter_mut().find(|(name, _)| name == l) {
            Some((_, cats)) => cats.push(c.clone()),
            None => means.lexicons.push((l.clone(), vec![c.clone()])),
        }
        for (o, &(sum, n)) in acc[p].iter().enumerate() {
            if n > 0 {
                means
                    .cells
                    .insert((l.clone(), c.clone(), outlets[o].to_string()), (sum, n));
            }
        }
    }
    Ok(means)
}

fn read_tone(t: &Table, index: &HashMap<&str, usize>) -> Result<Vec<ToneRow>, ReportError> {
    let ids = t.str("doc_id")?;
    let lex = t.text("lexicon")?;
    let net = t.f64("net_tone")?;
    Ok(ids
        .into_iter()
        .zip(lex)
        .zip(net)
        .filter_map(|((id, lexicon), net)| {
            let doc = *index.get(id.as_deref()?)?;
            Some(ToneRow {
                doc,
                lexicon,
                net_tone: net?,
            })
        })
        .collect())
}

fn read_clusters(t: &Table, index: &HashMap<&str, usize>) -> Result<Vec<ClusterRow>, ReportError> {
    let ids = t.str("doc_id")?;
    let cluster = t.i64("cluster")?;
    let pc1 = t.f64("pc1")?;
    let pc2 = t.f64("pc2")?;
    Ok((0..ids.len())
        .filter_map(|i| {
            let doc = *index.get(ids[i].as_deref()?)?;
            Some(ClusterRow {
                doc,
                cluster: cluster[i].unwrap_or(-1),
                pc1: pc1[i]?,
                pc2: pc2[i]?,
            })
        })
        .collect())
}

fn read_comparisons(t: &Table) -> Result<Vec<Comparison>, ReportError> {
    let lexicon = t.text("lexicon")?;
    let category = t.text("category")?;
    let group_a = t.text("group_a")?;
    let group_b = t.text("group_b")?;
    let event = t.text("event")?;
    let mean_a = t.f64("mean_a")?;
    let mean_b = t.f64("mean_b")?;
    let diff = t.f64("diff")?;
    let ci_low = t.f64("ci_low")?;
    let ci_high = t.f64("ci_high")?;
    let p_perm = t.f64("p_perm")?;
    let q_bh = t.f64("q_bh")?;
    let effect = t.f64("effect")?;
    let effect_kind = t.str("effect_kind")?;
    let n_a = t.count("n_a")?;
    let n_b = t.count("n_b")?;
    let warning = t.str("warning")?;
    Ok((0..lexicon.len())
        .map(|i| Comparison {
            lexicon: lexicon[i].clone(),
            category: category[i].clone(),
            group_a: group_a[i].clone(),
            group_b: group_b[i].clone(),
            event: event[i].clone(),
            mean_a: mean_a[i],
            mean_b: mean_b[i],
            diff: diff[i],
            ci_low: ci_low[i],
            ci_high: ci_high[i],
            p_perm: p_perm[i],
            q_bh: q_bh[i],
            effect: effect[i],
            effect_kind: effect_kind[i].clone(),
            n_a: n_a[i],
            n_b: n_b[i],
            warning: warning[i].clone(),
        })
        .collect())
}

fn read_keyness(t: &Table) -> Result<Vec<KeyTerm>, ReportError> {
    let term = t.text("term")?;
    let label = t.str("label")?;
    let group_a = t.text("group_a")?;
    let group_b = t.text("group_b")?;
    let event = t.text("event")?;
    let count_a = t.count("count_a")?;
    let count_b = t.count("count_b")?;
    let z = t.f64("z")?;
    Ok((0..term.len())
        .map(|i| KeyTerm {
            label: label[i].clone().unwrap_or_else(|| term[i].clone()),
            term: term[i].clone(),
            group_a: group_a[i].clone(),
            group_b: group_b[i].clone(),
            event: event[i].clone(),
            count_a: count_a[i],
            count_b: count_b[i],
            z: z[i],
        })
        .collect())
}

fn read_divergence(t: &Table) -> Result<Vec<Divergence>, ReportError> {
    let a = t.text("outlet_a")?;
    let b = t.text("outlet_b")?;
    let event = t.text("event")?;
    let jsd = t.f64("jsd")?;
    let cos = t.f64("frame_cosine_distance")?;
    Ok((0..a.len())
        .map(|i| Divergence {
            outlet_a: a[i].clone(),
            outlet_b: b[i].clone(),
            event: event[i].clone(),
            jsd: jsd[i],
            frame_cosine_distance: cos[i],
        })
        .collect())
}

fn read_profiles(t: &Table) -> Result<Vec<OutletProfile>, ReportError> {
    let outlet = t.text("outlet")?;
    let lexicon = t.text("lexicon")?;
    let category = t.text("category")?;
    let mean = t.f64("mean_per_1k")?;
    let lo = t.f64("ci_low")?;
    let hi = t.f64("ci_high")?;
    let n = t.count("n_docs")?;
    Ok((0..outlet.len())
        .map(|i| OutletProfile {
            outlet: outlet[i].clone(),
            lexicon: lexicon[i].clone(),
            category: category[i].clone(),
            mean_per_1k: mean[i],
            ci_low: lo[i],
            ci_high: hi[i],
            n_docs: n[i],
        })
        .collect())
}

fn read_cluster_summary(t: &Table) -> Result<Vec<ClusterSummary>, ReportError> {
    let cluster = t.i64("cluster")?;
    let size = t.count("size")?;
    let terms = t.text("top_terms")?;
    let cats = t.text("top_categories")?;
    Ok((0..cluster.len())
        .map(|i| ClusterSummary {
            cluster: cluster[i].unwrap_or(-1),
            size: size[i],
            top_terms: terms[i].clone(),
            top_categories: cats[i].clone(),
        })
        .collect())
}

fn read_agreement(t: &Table) -> Result<Vec<Agreement>, ReportError> {
    let against = t.text("against")?;
    let ari = t.f64("ari")?;
    let nmi = t.f64("nmi")?;
    Ok((0..against.len())
        .map(|i| Agreement {
            against: against[i].clone(),
            ari: ari[i],
            nmi: nmi[i],
        })
        .collect())
}
