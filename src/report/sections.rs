//! The report's text: corpus summary, methods, findings, clusters and reproducibility, as
//! [`Block`]s that [`super::html`] and [`super::markdown`] render.
//!
//! Everything here comes from the tables and the manifest: counts from `documents`, lexicon
//! versions and parameters from the manifest, figures and captions from [`super::figures`].
//! Wall-clock times from the manifest's `run` section are never shown, so the report is a pure
//! function of the run's outputs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::captions::{self, num, q_value};
use super::data::NO_EVENT;
use super::figures::timeline::date_label;
use super::figures::{humanize, Ctx, Outcome};
use super::{manifest_hash, Block, Document, Inline, Table};

fn t(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

fn heading(level: u8, id: &str, text: &str) -> Block {
    Block::Heading {
        level,
        id: id.to_string(),
        text: text.to_string(),
    }
}

/// Builds the whole document.
pub fn build(ctx: &Ctx, outcomes: &[Outcome]) -> Document {
    let data = ctx.data;
    let name = data.study_name().to_string();
    let mut blocks = Vec::new();
    if let Some(desc) = data
        .manifest
        .pointer("/parameters/description")
        .and_then(Value::as_str)
    {
        blocks.push(Block::Para(vec![t(desc)]));
    }
    blocks.push(Block::Contents);
    blocks.extend(corpus(ctx));
    blocks.extend(methods(ctx));
    let mut number = 0;
    let mut figure = |id: &str, blocks: &mut Vec<Block>| {
        if let Some(o) = outcomes.iter().find(|o| o.id() == id) {
            match o {
                Outcome::Drawn(f) => {
                    number += 1;
                    blocks.push(Block::Figure {
                        number,
                        figure: f.clone(),
                    });
                }
                Outcome::NotComputed { title, reason, .. } => {
                    blocks.push(Block::NotComputed {
                        title: title.clone(),
                        reason: reason.clone(),
                    });
                }
            }
        }
    };
    blocks.push(heading(2, "findings", "3. Findings"));
    blocks.push(Block::Para(vec![t(
        "Each figure's caption is computed from the tables and states the values it shows.",
    )]));
    figure("frame_profile", &mut blocks);
    figure("tone_by_outlet", &mut blocks);
    figure("group_differences", &mut blocks);
    blocks.extend(significant_table(ctx));
    figure("keyness", &mut blocks);
    figure("outlet_divergence", &mut blocks);
    figure("tone_over_time", &mut blocks);
    blocks.push(heading(2, "clusters", "4. Clusters"));
    figure("document_map", &mut blocks);
    blocks.extend(clusters(ctx));
    blocks.extend(reproducibility(ctx));
    Document {
        title: format!("framelens report: {name}"),
        blocks,
    }
}

fn corpus(ctx: &Ctx) -> Vec<Block> {
    let data = ctx.data;
    let mut out = vec![heading(2, "corpus", "1. Corpus")];
    let records = data.docs.len();
    let kept: Vec<_> = data.kept().collect();
    let skipped = records - kept.len();
    let tokens: u64 = kept.iter().filter_map(|d| d.n_tokens).sum();
    let near = kept
        .iter()
        .filter(|d| d.near_duplicate_of.is_some())
        .count();
    out.push(Block::Para(vec![
        t(format!(
            "{records} input documents: {} kept ({tokens} word and number tokens), {skipped} \
             skipped. {near} kept documents are near-duplicates of an earlier one (see ",
            kept.len()
        )),
        code("documents.near_duplicate_of"),
        t(")."),
    ]));
    // Documents per outlet, with events as columns when there are a few.
    let events: BTreeSet<&str> = kept
        .iter()
        .map(|d| d.event.as_deref().unwrap_or(NO_EVENT))
        .collect();
    let mut events: Vec<&str> = events.into_iter().collect();
    events.sort_by_key(|e| (*e == NO_EVENT, *e));
    let event_cols = events.len() > 1 && events.len() <= 8;
    let mut header = vec![
        "group".to_string(),
        "outlet".to_string(),
        "documents".to_string(),
        "tokens".to_string(),
        "languages".to_string(),
        "dates".to_string(),
    ];
    let mut numeric = vec![false, false, true, true, false, false];
    if event_cols {
        for e in &events {
            header.push(e.to_string());
            numeric.push(true);
        }
    }
    let mut rows = Vec::new();
    for o in &ctx.outlets {
        let docs: Vec<_> = kept.iter().filter(|d| d.outlet_name() == o.name).collect();
        let mut langs: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &docs {
            *langs
                .entry(d.language.as_deref().unwrap_or("?"))
                .or_default() += 1;
        }
        let dates: Vec<i32> = docs.iter().filter_map(|d| d.date).collect();
        let range = match (dates.iter().min(), dates.iter().max()) {
            (Some(a), Some(b)) if a == b => date_label(*a),
            (Some(a), Some(b)) => format!("{} – {}", date_label(*a), date_label(*b)),
            _ => "–".to_string(),
        };
        let mut row = vec![
            o.group
                .clone()
                .unwrap_or_else(|| super::theme::NO_GROUP_LABEL.to_string()),
            o.name.clone(),
            docs.len().to_string(),
            docs.iter()
                .filter_map(|d| d.n_tokens)
                .sum::<u64>()
                .to_string(),
            langs
                .iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            range,
        ];
        if event_cols {
            for e in &events {
                let n = docs
                    .iter()
                    .filter(|d| d.event.as_deref().unwrap_or(NO_EVENT) == *e)
                    .count();
                row.push(n.to_string());
            }
        }
        rows.push(row);
    }
    let mut total = vec![
        "all".to_string(),
        String::new(),
        kept.len().to_string(),
        tokens.to_string(),
        String::new(),
        String::new(),
    ];
    if event_cols {
        for e in &events {
            let n = kept
                .iter()
                .filter(|d| d.event.as_deref().unwrap_or(NO_EVENT) == *e)
                .count();
            total.push(n.to_string());
        }
    }
    rows.push(total);
    out.push(heading(3, "corpus-outlets", "Documents per outlet"));
    if !event_cols && events.len() > 8 {
        out.push(Block::Para(vec![t(format!(
            "{} events; documents per event are in the `documents` table.",
            events.len()
        ))]));
    }
    out.push(Block::Table(Table {
        header,
        rows,
        numeric,
    }));
    out.push(heading(3, "corpus-skipped", "Skipped documents"));
    if skipped == 0 {
        out.push(Block::Para(vec![t("No document was skipped.")]));
        return out;
    }
    // Skips by kind with an example reason, as counted in the manifest, falling back to the
    // documents table (the first skipped row of each kind).
    let mut kinds: BTreeMap<String, (u64, String)> = BTreeMap::new();
    if let Some(map) = data
        .manifest
        .pointer("/counts/skipped")
        .and_then(Value::as_object)
    {
        for (kind, v) in map {
            // Manifest version 1 held a bare count per reason.
            let n = v
                .as_u64()
                .or_else(|| v.get("documents").and_then(Value::as_u64))
                .unwrap_or(0);
            let example = v.get("example").and_then(Value::as_str).unwrap_or_default();
            kinds.insert(kind.clone(), (n, example.to_string()));
        }
    }
    if kinds.is_empty() {
        for d in data.docs.iter().filter(|d| !d.kept) {
            let kind = d.skip_kind.clone().unwrap_or_default();
            let entry = kinds.entry(kind).or_insert_with(|| {
                let source = d.source.clone().unwrap_or_default();
                let reason = d.skip_reason.clone().unwrap_or_default();
                (0, format!("{source}: {reason}"))
            });
            entry.0 += 1;
        }
    }
    out.push(Block::Table(Table {
        header: vec![
            "kind".to_string(),
            "documents".to_string(),
            "example".to_string(),
        ],
        rows: {
            // In the order of the checks, as the end-of-run summary lists them.
            let mut rows: Vec<(&String, &(u64, String))> = kinds.iter().collect();
            rows.sort_by_key(|(kind, _)| {
                crate::corpus::SkipKind::from_name(kind).map_or(usize::MAX, |k| k as usize)
            });
            rows.into_iter()
                .map(|(kind, (n, example))| vec![kind.clone(), n.to_string(), example.clone()])
                .collect()
        },
        numeric: vec![false, true, false],
    }));
    const SHOWN: usize = 25;
    let list: Vec<Vec<String>> = data
        .docs
        .iter()
        .filter(|d| !d.kept)
        .take(SHOWN)
        .map(|d| {
            vec![
                d.source.clone().unwrap_or_default(),
                d.doc_id.clone().unwrap_or_default(),
                d.skip_kind.clone().unwrap_or_default(),
                d.skip_reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        header: vec![
            "source".to_string(),
            "id".to_string(),
            "kind".to_string(),
            "why".to_string(),
        ],
        rows: list,
        numeric: vec![false, false, false, false],
    }));
    if skipped > SHOWN {
        out.push(Block::Para(vec![
            t(format!(
                "The first {SHOWN} of {skipped} skipped documents; all are in "
            )),
            code("documents"),
            t(" with "),
            code("status = \"skipped\""),
            t("."),
        ]));
    }
    out
}

/// A parameter value in a few words: scalars as written, lists joined, maps as
/// "key: value; …" with long lists counted; cut at 100 characters.
fn summarize(v: &Value) -> String {
    fn inner(v: &Value, depth: usize) -> String {
        match v {
            Value::Null => "none".to_string(),
            Value::String(s) => s.clone(),
            Value::Array(a) if a.is_empty() => "none".to_string(),
            Value::Array(a) if depth > 0 && a.len() > 5 => format!("{} entries", a.len()),
            Value::Array(a) => a
                .iter()
                .map(|x| inner(x, depth + 1))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Object(o) if o.is_empty() => "none".to_string(),
            Value::Object(o) if depth > 0 && o.len() > 5 => format!("{} entries", o.len()),
            Value::Object(o) => o
                .iter()
                .map(|(k, x)| format!("{k}: {}", inner(x, depth + 1)))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        }
    }
    let s = inner(v, 0);
    if s.chars().count() > 100 {
        s.chars().take(99).collect::<String>() + "…"
    } else {
        s
    }
}

fn methods(ctx: &Ctx) -> Vec<Block> {
    let m = &ctx.data.manifest;
    let mut out = vec![heading(2, "methods", "2. Methods")];
    let seed = m.get("seed").map(|v| v.to_string()).unwrap_or_default();
    out.push(Block::Para(vec![
        t(
            "Documents were cleaned, tokenized (Unicode word boundaries), stemmed with Snowball \
           in their language and scored against the lexicons below; see the README, section \
           “Methods”, for every rule. Random steps used seed ",
        ),
        code(seed),
        t(". Every setting of the run is in "),
        code("manifest.json"),
        t(" next to this report."),
    ]));
    out.push(heading(3, "methods-lexicons", "Lexicons"));
    let lexicons = m
        .get("lexicons")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let str_of = |v: &Value, k: &str| v.get(k).map(summarize).unwrap_or_default();
    out.push(Block::Table(Table {
        header: [
            "lexicon",
            "version",
            "languages",
            "origin",
            "SHA-256 (first 12)",
        ]
        .map(String::from)
        .to_vec(),
        rows: lexicons
            .iter()
            .map(|l| {
                vec![
                    str_of(l, "name"),
                    str_of(l, "version"),
                    str_of(l, "languages"),
                    str_of(l, "origin"),
                    str_of(l, "sha256").chars().take(12).collect(),
                ]
            })
            .collect(),
        numeric: vec![false; 5],
    }));
    out.push(heading(3, "methods-parameters", "Parameters"));
    let skip = [
        "corpus",
        "output",
        "name",
        "description",
        "lexicons",
        "seed",
        "language",
    ];
    let mut rows = Vec::new();
    if let Some(params) = m.get("parameters").and_then(Value::as_object) {
        let mut keys: Vec<&String> = params.keys().collect();
        keys.sort();
        for k in keys {
            if skip.contains(&k.as_str()) {
                continue;
            }
            match &params[k.as_str()] {
                Value::Object(section) => {
                    let mut sk: Vec<&String> = section.keys().collect();
                    sk.sort();
                    for s in sk {
                        rows.push(vec![format!("{k}.{s}"), summarize(&section[s.as_str()])]);
                    }
                }
                other => rows.push(vec![k.clone(), summarize(other)]),
            }
        }
        if let Some(lang) = params.get("language") {
            rows.insert(0, vec!["language (default)".to_string(), summarize(lang)]);
        }
    }
    out.push(Block::Table(Table {
        header: vec!["setting".to_string(), "value".to_string()],
        rows,
        numeric: vec![false, false],
    }));
    out.push(heading(3, "methods-measures", "Measures"));
    out.push(Block::List(vec![
        vec![
            t("Rate: "),
            code("per_1k = hits / n × 1000"),
            t(
                ", with n the document's word and number tokens; an outlet's rate is the mean \
               over its documents (README, “Lexicon scores”).",
            ),
        ],
        vec![
            t("Net tone: "),
            code("(positive − negative) / n × 100"),
            t(
                " (Young & Soroka 2012). Outlet intervals: mean ± t(0.975, n − 1) · s / √n over \
               documents.",
            ),
        ],
        vec![
            t("Group differences ("),
            code("comparisons"),
            t(
                "): difference of group means with a 95% confidence interval, a permutation \
               p-value and the Benjamini–Hochberg q-value over the categories compared.",
            ),
        ],
        vec![
            t("Keyness ("),
            code("keyness"),
            t("): z = delta / se of each term between two groups."),
        ],
        vec![
            t("Divergence ("),
            code("divergence"),
            t("): Jensen–Shannon divergence of two outlets' term distributions."),
        ],
        vec![
            t("Document map ("),
            code("clusters"),
            t(", "),
            code("pca"),
            t("): first two principal components and the cluster of each document."),
        ],
    ]));
    out
}

/// Table of the pooled comparisons with q < 0.05, most significant first.
fn significant_table(ctx: &Ctx) -> Vec<Block> {
    let Some(rows) = &ctx.data.comparisons else {
        return Vec::new();
    };
    let mut sig: Vec<_> = rows
        .iter()
        .filter(|c| c.event == "pooled" && c.q_bh.is_some_and(|q| q < 0.05))
        .collect();
    if sig.is_empty() {
        return Vec::new();
    }
    sig.sort_by(|a, b| {
        a.q_bh
            .unwrap_or(1.0)
            .total_cmp(&b.q_bh.unwrap_or(1.0))
            .then_with(|| {
                (&a.group_a, &a.group_b, &a.lexicon, &a.category).cmp(&(
                    &b.group_a,
                    &b.group_b,
                    &b.lexicon,
                    &b.category,
                ))
            })
    });
    let opt = |v: Option<f64>| v.map(num).unwrap_or_else(|| "–".to_string());
    let table = Table {
        header: [
            "groups",
            "lexicon",
            "category",
            "mean a",
            "mean b",
            "difference",
            "95% CI",
            "q",
            "effect",
        ]
        .map(String::from)
        .to_vec(),
        rows: sig
            .iter()
            .take(20)
            .map(|c| {
                vec![
                    format!("{} − {}", c.group_a, c.group_b),
                    humanize(&c.lexicon),
                    humanize(&c.category),
                    opt(c.mean_a),
                    opt(c.mean_b),
                    opt(c.diff),
                    match (c.ci_low, c.ci_high) {
                        (Some(a), Some(b)) => format!("{} to {}", num(a), num(b)),
                        _ => "–".to_string(),
                    },
                    c.q_bh.map(q_value).unwrap_or_default(),
                    match (&c.effect, &c.effect_kind) {
                        (Some(e), Some(k)) => {
                            format!("{} = {}", k.replace('_', " "), captions::num_with(*e, 2))
                        }
                        _ => "–".to_string(),
                    },
                ]
            })
            .collect(),
        numeric: vec![false, false, false, true, true, true, false, false, false],
    };
    let mut out = vec![Block::Para(vec![t(format!(
        "Differences with q < 0.05 (all events pooled; {} of {} shown):",
        sig.len().min(20),
        sig.len()
    ))])];
    out.push(Block::Table(table));
    out
}

fn clusters(ctx: &Ctx) -> Vec<Block> {
    let data = ctx.data;
    let mut out = Vec::new();
    match &data.cluster_summary {
        Some(rows) if !rows.is_empty() => {
            let mut rows = rows.clone();
            rows.sort_by_key(|r| r.cluster);
            out.push(heading(3, "clusters-summary", "What each cluster is about"));
            out.push(Block::Table(Table {
                header: ["cluster", "documents", "top terms", "top categories"]
                    .map(String::from)
                    .to_vec(),
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            if r.cluster < 0 {
                                "noise".to_string()
                            } else {
                                r.cluster.to_string()
                            },
                            r.size.to_string(),
                            r.top_terms.replace(',', ", ").replace(",  ", ", "),
                            r.top_categories.replace(',', ", ").replace(",  ", ", "),
                        ]
                    })
                    .collect(),
                numeric: vec![true, true, false, false],
            }));
        }
        _ => out.push(Block::NotComputed {
            title: "Cluster summary".to_string(),
            reason: "the `cluster_summary` table is absent".to_string(),
        }),
    }
    // Cluster × group counts, from clusters joined with documents.
    if let Some(rows) = &data.clusters {
        let groups: Vec<String> = ctx.colors.entries().map(|(g, _)| g.to_string()).collect();
        let mut counts: BTreeMap<i64, BTreeMap<String, usize>> = BTreeMap::new();
        for r in rows {
            let g = data.docs[r.doc]
                .group
                .clone()
                .unwrap_or_else(|| super::theme::NO_GROUP_LABEL.to_string());
            *counts.entry(r.cluster).or_default().entry(g).or_default() += 1;
        }
        let mut cols = groups.clone();
        if counts
            .values()
            .any(|m| m.contains_key(super::theme::NO_GROUP_LABEL))
        {
            cols.push(super::theme::NO_GROUP_LABEL.to_string());
        }
        let mut header = vec!["cluster".to_string()];
        header.extend(cols.iter().cloned());
        out.push(heading(
            3,
            "clusters-groups",
            "Documents per cluster and group",
        ));
        out.push(Block::Table(Table {
            numeric: vec![true; header.len()],
            header,
            rows: counts
                .iter()
                .map(|(c, m)| {
                    let mut row = vec![if *c < 0 {
                        "noise".to_string()
                    } else {
                        c.to_string()
                    }];
                    row.extend(
                        cols.iter()
                            .map(|g| m.get(g).copied().unwrap_or(0).to_string()),
                    );
                    row
                })
                .collect(),
        }));
    }
    if let Some(rows) = &data.cluster_agreement {
        out.push(heading(
            3,
            "clusters-agreement",
            "Agreement with the metadata",
        ));
        out.push(Block::Para(vec![t(
            "Adjusted Rand index (0: chance, 1: identical partitions) and normalized mutual \
             information of the clusters against each metadata column:",
        )]));
        let opt = |v: Option<f64>| {
            v.map(|x| captions::num_with(x, 3))
                .unwrap_or_else(|| "–".to_string())
        };
        out.push(Block::Table(Table {
            header: ["against", "ARI", "NMI"].map(String::from).to_vec(),
            rows: rows
                .iter()
                .map(|r| vec![r.against.clone(), opt(r.ari), opt(r.nmi)])
                .collect(),
            numeric: vec![false, true, true],
        }));
    }
    if let Some(rows) = &data.cluster_selection {
        if !rows.is_empty() {
            let best = rows
                .iter()
                .filter_map(|(k, s)| s.map(|s| (*k, s)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            out.push(heading(
                3,
                "clusters-selection",
                "Choice of the number of clusters",
            ));
            if let Some((k, s)) = best {
                out.push(Block::Para(vec![t(format!(
                    "Mean silhouette for each k tried; the highest is k = {k} ({}).",
                    captions::num_with(s, 3)
                ))]));
            }
            out.push(Block::Table(Table {
                header: ["k", "mean silhouette"].map(String::from).to_vec(),
                rows: rows
                    .iter()
                    .map(|(k, s)| {
                        vec![
                            k.to_string(),
                            s.map(|s| captions::num_with(s, 3))
                                .unwrap_or_else(|| "–".to_string()),
                        ]
                    })
                    .collect(),
                numeric: vec![true, true],
            }));
        }
    }
    out
}

/// Shell-style quoting of one argument, for display.
fn quote_arg(a: &str) -> String {
    if !a.is_empty()
        && a.chars()
            .all(|c| c.is_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

fn reproducibility(ctx: &Ctx) -> Vec<Block> {
    let m = &ctx.data.manifest;
    let mut out = vec![heading(2, "reproducibility", "5. Reproducibility")];
    out.push(Block::Para(vec![
        t("The manifest hash is the SHA-256 of "),
        code("manifest.json"),
        t(" without its "),
        code("run"),
        t(
            " section (start and end times, timings, threads), written as canonical JSON (keys \
           sorted, no whitespace): two runs with the same inputs, lexicons, parameters and \
           program version have the same hash.",
        ),
    ]));
    let get = |p: &str| {
        m.pointer(p)
            .map(summarize)
            .unwrap_or_else(|| "–".to_string())
    };
    let command = m
        .pointer("/run/command_line")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| quote_arg(v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "–".to_string());
    out.push(Block::Table(Table {
        header: vec!["".to_string(), "".to_string()],
        rows: vec![
            vec!["manifest hash".to_string(), manifest_hash(m)],
            vec!["framelens version".to_string(), get("/framelens_version")],
            vec!["manifest version".to_string(), get("/manifest_version")],
            vec![
                "study".to_string(),
                format!("{} ({})", get("/study/name"), get("/study/path")),
            ],
            vec!["study file SHA-256".to_string(), get("/study/sha256")],
            vec!["seed".to_string(), get("/seed")],
            vec![
                "input files".to_string(),
                m.get("inputs")
                    .and_then(Value::as_array)
                    .map(|a| a.len())
                    .unwrap_or(0)
                    .to_string(),
            ],
        ],
        numeric: vec![false, false],
    }));
    out.push(Block::Para(vec![t("Command line of the run:")]));
    out.push(Block::Pre(command));
    out.push(Block::Para(vec![t(
        "Tables this report was drawn from (SHA-256):",
    )]));
    out.push(Block::Table(Table {
        header: vec!["table".to_string(), "SHA-256".to_string()],
        rows: ctx
            .data
            .files
            .iter()
            .map(|(f, h)| vec![f.clone(), h.clone()])
            .collect(),
        numeric: vec![false, false],
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_summarized_briefly() {
        let v: Value = serde_json::from_str(
            r#"{"en": ["not", "no", "never", "none", "nobody", "nothing"], "ru": ["не", "нет"]}"#,
        )
        .unwrap();
        assert_eq!(summarize(&v), "en: 6 entries; ru: не, нет");
        assert_eq!(summarize(&Value::Null), "none");
        assert_eq!(summarize(&serde_json::json!(0.5)), "0.5");
        assert_eq!(summarize(&serde_json::json!(["%Y-%m-%d"])), "%Y-%m-%d");
    }

    #[test]
    fn command_lines_are_quoted_for_a_shell() {
        assert_eq!(
            quote_arg("examples/demo/study.toml"),
            "examples/demo/study.toml"
        );
        assert_eq!(quote_arg("мои статьи"), "'мои статьи'");
        assert_eq!(quote_arg("it's"), "'it'\\''s'");
    }
}
