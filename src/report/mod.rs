//! The report stage: a self-contained HTML report and a Markdown twin, drawn only from the
//! tables a run wrote and its `manifest.json`.
//!
//! [`write_report`] reads the tables folder ([`data::RunData`]: `documents` and the manifest are
//! required, every other table optional), draws the figures ([`figures`], SVG and PNG, with
//! [`theme`]'s colors and embedded font), writes their captions from the measured values
//! ([`captions`]), assembles one [`Document`] of sections (corpus, methods, findings, clusters,
//! reproducibility; [`sections`]) and renders it twice: [`html`] (`report.html`, figures inlined
//! as SVG, no external resource) and [`markdown`] (`report.md`, PNG figures linked from
//! `figures/`). A copy of the run's manifest goes next to them. A figure whose table is absent
//! (a stage not run, clustering disabled) is replaced by a "not computed in this run" note.
//!
//! Every file is staged under a temporary name and renamed into place only when all of them
//! have been written, in one journaled commit with the figures (`crate::tables::commit`), so a
//! failed or killed report leaves the previous one intact, never a mix of two. The output is a pure
//! function of the tables: nothing depends on the clock or on hash-map order, so two reports of
//! the same tables are byte-identical (the manifest's `run` section, which holds the times, is
//! never shown; the command line and version shown are the run's).

pub mod captions;
pub mod data;
pub mod figures;
pub mod html;
pub mod markdown;
pub mod sections;
pub mod theme;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::tables::{OutputDir, TableError};

/// The `[report]` table of a study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ReportConfig {
    /// Write the report (default true).
    pub enabled: bool,
    /// Lexicons shown as panels of the frame-profile heatmap, in this order (default
    /// `["security", "attribution"]`).
    pub heatmap_lexicons: Vec<String>,
    /// Terms per side in the keyness chart (default 15).
    pub keyness_top: usize,
    /// Figure width in pixels (default 1000; figures with many columns grow wider).
    pub width: u32,
    /// Height in pixels of the figures with a fixed aspect, the document map (default 640).
    pub height: u32,
    /// Also write PNG figures, linked from `report.md` (default true).
    pub png: bool,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            enabled: true,
            heatmap_lexicons: vec!["security".to_string(), "attribution".to_string()],
            keyness_top: 15,
            width: 1000,
            height: 640,
            png: true,
        }
    }
}

/// Errors of the report stage.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file could not be read, written or renamed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A table could not be read or a staged file not committed.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A table lacks a column of the contract, or it has the wrong type.
    #[error("{path}: column `{column}`: {message}")]
    Column {
        /// The table file.
        path: PathBuf,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// `manifest.json` is not valid JSON.
    #[error("{path}: invalid manifest: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A figure could not be drawn or encoded.
    #[error("figure {figure}: {message}")]
    Draw {
        /// The figure's file stem.
        figure: String,
        /// The drawing error.
        message: String,
    },
}

/// Inline text of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code (table and column names, values).
    Code(String),
    /// Bold text.
    Strong(String),
}

/// A table of text cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column headers.
    pub header: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
    /// Right-align the column (numbers).
    pub numeric: Vec<bool>,
}

/// A block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 2 or 3, with its anchor id.
    Heading {
        /// 2 or 3.
        level: u8,
        /// Anchor id (ASCII).
        id: String,
        /// Text.
        text: String,
    },
    /// A paragraph.
    Para(Vec<Inline>),
    /// A bulleted list.
    List(Vec<Vec<Inline>>),
    /// A table.
    Table(Table),
    /// A drawn figure with its number.
    Figure {
        /// Figure number in the report.
        number: usize,
        /// The figure.
        figure: figures::Figure,
    },
    /// A figure or section not computed in this run.
    NotComputed {
        /// What is missing.
        title: String,
        /// Why.
        reason: String,
    },
    /// Preformatted text (hashes, command lines).
    Pre(String),
    /// The list of sections (the level-2 headings), linked in HTML.
    Contents,
}

/// The whole report, rendered by [`html`] and [`markdown`].
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Report title.
    pub title: String,
    /// Blocks in order.
    pub blocks: Vec<Block>,
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Canonical JSON of a value: object keys sorted by their UTF-8 bytes, no whitespace, strings
/// and numbers as serde_json writes them. Used for the manifest hash.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&map[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The manifest hash: SHA-256 of the canonical JSON of the manifest without its `run` section
/// (the only part that changes between two runs of the same study).
pub fn manifest_hash(manifest: &serde_json::Value) -> String {
    let mut m = manifest.clone();
    if let Some(obj) = m.as_object_mut() {
        obj.remove("run");
    }
    sha256_hex(canonical_json(&m).as_bytes())
}

/// Builds the report of the tables in `tables_dir` into `report_dir`: `report.html`,
/// `report.md`, `manifest.json` and `figures/<name>.svg` / `.png`. Returns the files written.
/// With `enabled = false`, writes nothing.
pub fn write_report(
    tables_dir: &Path,
    report_dir: &Path,
    config: &ReportConfig,
) -> Result<Vec<PathBuf>, ReportError> {
    if !config.enabled {
        return Ok(Vec::new());
    }
    let data = data::RunData::load(tables_dir)?;
    let ctx = figures::Ctx::new(&data, config);
    let outcomes = vec![
        figures::heatmap::build(&ctx)?,
        figures::tone::build(&ctx)?,
        figures::forest::build(&ctx)?,
        figures::keyness::build(&ctx)?,
        figures::divergence::build(&ctx)?,
        figures::timeline::build(&ctx)?,
        figures::docmap::build(&ctx)?,
    ];
    let doc = sections::build(&ctx, &outcomes);

    // One commit for the report folder and its figures, so a crash never pairs a report with
    // the figures of another run.
    let mut out = OutputDir::create(report_dir, false)?;
    for outcome in &outcomes {
        if let figures::Outcome::Drawn(f) = outcome {
            let name = format!("figures/{}.svg", f.id);
            write_file(&out.stage(&name), f.svg.as_bytes())?;
            if let Some(png) = &f.png {
                let name = format!("figures/{}.png", f.id);
                write_file(&out.stage(&name), png)?;
            }
        }
    }
    write_file(&out.stage("report.html"), html::render(&doc).as_bytes())?;
    write_file(
        &out.stage("report.md"),
        markdown::render(&doc, config.png).as_bytes(),
    )?;
    let manifest_src = tables_dir.join("manifest.json");
    let manifest = std::fs::read(&manifest_src).map_err(|source| ReportError::Io {
        path: manifest_src.clone(),
        source,
    })?;
    write_file(&out.stage("manifest.json"), &manifest)?;
    // Figures of an earlier report that this run did not draw would be stale.
    for id in figures::ALL_IDS {
        for ext in ["svg", "png"] {
            out.remove_stale(&format!("figures/{id}.{ext}"));
        }
    }
    let written = out.commit(&[])?;
    Ok(written)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{ "b": [1, 2.5, "ё"], "a": {"z": null, "y": true} }"#).unwrap();
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"y":true,"z":null},"b":[1,2.5,"ё"]}"#
        );
    }

    #[test]
    fn manifest_hash_ignores_the_run_section() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"seed": 42, "run": {"started_at": "2025-01-01T00:00:00Z"}}"#)
                .unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{"run": {"started_at": "2026-02-02T00:00:00Z"}, "seed": 42}"#)
                .unwrap();
        assert_eq!(manifest_hash(&a), manifest_hash(&b));
        // SHA-256 of the canonical text {"seed":42}.
        assert_eq!(manifest_hash(&a), sha256_hex(br#"{"seed":42}"#));
        let c: serde_json::Value = serde_json::from_str(r#"{"seed": 43}"#).unwrap();
        assert_ne!(manifest_hash(&a), manifest_hash(&c));
    }

    #[test]
    fn config_defaults_and_strictness() {
        let c: ReportConfig = toml::from_str("").unwrap();
        assert_eq!(c, ReportConfig::default());
        let c: ReportConfig =
            toml::from_str("heatmap-lexicons = [\"tone\"]\nkeyness-top = 5\npng = false").unwrap();
        assert_eq!(c.heatmap_lexicons, ["tone"]);
        assert_eq!(c.keyness_top, 5);
        assert!(!c.png && c.enabled);
        let err = toml::from_str::<ReportConfig>("widht = 3").unwrap_err();
        assert!(err.to_string().contains("unknown field `widht`"), "{err}");
    }
}
