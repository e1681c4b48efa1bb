//! The clustering stage's tables: `clusters`, `cluster_summary`, `cluster_agreement`,
//! `cluster_selection` and `pca` (columns in `notebooks-data/README.md`).

use polars::prelude::*;

use super::ClusterOutput;
use crate::tables::{polars_err, OutputDir, TableError};

/// Writes the five tables of one clustering.
pub fn write(out: &mut OutputDir, c: &ClusterOutput) -> Result<(), TableError> {
    let err = polars_err;
    let a = &c.assignments;
    let mut clusters = DataFrame::new(vec![
        Column::new(
            "doc_id".into(),
            a.iter().map(|r| r.doc_id.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "cluster".into(),
            a.iter().map(|r| r.cluster).collect::<Vec<_>>(),
        ),
        Column::new("pc1".into(), a.iter().map(|r| r.pc1).collect::<Vec<_>>()),
        Column::new("pc2".into(), a.iter().map(|r| r.pc2).collect::<Vec<_>>()),
        Column::new(
            "silhouette".into(),
            a.iter().map(|r| r.silhouette).collect::<Vec<_>>(),
        ),
    ])
    .map_err(err("clusters"))?;
    out.write("clusters", &mut clusters)?;

    let s = &c.summary;
    let mut summary = DataFrame::new(vec![
        Column::new(
            "cluster".into(),
            s.iter().map(|r| r.cluster).collect::<Vec<_>>(),
        ),
        Column::new("size".into(), s.iter().map(|r| r.size).collect::<Vec<_>>()),
        Column::new(
            "top_terms".into(),
            s.iter().map(|r| r.top_terms.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "top_categories".into(),
            s.iter()
                .map(|r| r.top_categories.as_str())
                .collect::<Vec<_>>(),
        ),
    ])
    .map_err(err("cluster_summary"))?;
    out.write("cluster_summary", &mut summary)?;

    let g = &c.agreement;
    let mut agreement = DataFrame::new(vec![
        Column::new(
            "against".into(),
            g.iter().map(|r| r.against.as_str()).collect::<Vec<_>>(),
        ),
        Column::new("ari".into(), g.iter().map(|r| r.ari).collect::<Vec<_>>()),
        Column::new("nmi".into(), g.iter().map(|r| r.nmi).collect::<Vec<_>>()),
    ])
    .map_err(err("cluster_agreement"))?;
    out.write("cluster_agreement", &mut agreement)?;

    let k = &c.selection;
    let mut selection = DataFrame::new(vec![
        Column::new("k".into(), k.iter().map(|r| r.k).collect::<Vec<_>>()),
        Column::new(
            "silhouette".into(),
            k.iter().map(|r| r.silhouette).collect::<Vec<_>>(),
        ),
    ])
    .map_err(err("cluster_selection"))?;
    out.write("cluster_selection", &mut selection)?;

    let mut pca = DataFrame::new(vec![
        Column::new("component".into(), vec![1u32, 2]),
        Column::new(
            "explained_variance_ratio".into(),
            c.explained_variance.to_vec(),
        ),
    ])
    .map_err(err("pca"))?;
    out.write("pca", &mut pca)
}
