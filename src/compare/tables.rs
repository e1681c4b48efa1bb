//! The comparison stage's tables: `comparisons`, `keyness`, `divergence`, `outlet_profiles` and,
//! when events were grouped automatically, `events` (columns in `notebooks-data/README.md`).

use polars::prelude::*;

use super::CompareOutput;
use crate::tables::{polars_err, OutputDir, TableError};

/// A column from one field of every row.
fn col<R, T>(name: &str, rows: &[R], f: impl Fn(&R) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<T>>())
}

/// Writes the tables of one comparison run.
pub fn write(out: &mut OutputDir, c: &CompareOutput) -> Result<(), TableError> {
    let err = polars_err;
    let r = &c.comparisons;
    let mut comparisons = DataFrame::new(vec![
        col("lexicon", r, |x| x.lexicon.clone()),
        col("category", r, |x| x.category.clone()),
        col("group_a", r, |x| x.group_a.clone()),
        col("group_b", r, |x| x.group_b.clone()),
        col("event", r, |x| x.event.clone()),
        col("mean_a", r, |x| x.mean_a),
        col("mean_b", r, |x| x.mean_b),
        col("diff", r, |x| x.diff),
        col("ci_low", r, |x| x.ci_low),
        col("ci_high", r, |x| x.ci_high),
        col("p_perm", r, |x| x.p_perm),
        col("q_bh", r, |x| x.q_bh),
        col("effect", r, |x| x.effect),
        col("effect_kind", r, |x| x.effect_kind.clone()),
        col("n_a", r, |x| x.n_a),
        col("n_b", r, |x| x.n_b),
        col("warning", r, |x| x.warning.clone()),
    ])
    .map_err(err("comparisons"))?;
    out.write("comparisons", &mut comparisons)?;

    let k = &c.keyness;
    let mut keyness = DataFrame::new(vec![
        col("term", k, |x| x.term.clone()),
        col("label", k, |x| x.label.clone()),
        col("group_a", k, |x| x.group_a.clone()),
        col("group_b", k, |x| x.group_b.clone()),
        col("event", k, |x| x.event.clone()),
        col("count_a", k, |x| x.count_a),
        col("count_b", k, |x| x.count_b),
        col("delta", k, |x| x.delta),
        col("se", k, |x| x.se),
        col("z", k, |x| x.z),
        col("g2", k, |x| x.g2),
        col("chi2", k, |x| x.chi2),
    ])
    .map_err(err("keyness"))?;
    out.write("keyness", &mut keyness)?;

    let d = &c.divergence;
    let mut divergence = DataFrame::new(vec![
        col("outlet_a", d, |x| x.outlet_a.clone()),
        col("outlet_b", d, |x| x.outlet_b.clone()),
        col("event", d, |x| x.event.clone()),
        col("jsd", d, |x| x.jsd),
        col("frame_cosine_distance", d, |x| x.frame_cosine_distance),
    ])
    .map_err(err("divergence"))?;
    out.write("divergence", &mut divergence)?;

    let p = &c.profiles;
    let mut profiles = DataFrame::new(vec![
        col("outlet", p, |x| x.outlet.clone()),
        col("group", p, |x| x.group.clone()),
        col("lexicon", p, |x| x.lexicon.clone()),
        col("category", p, |x| x.category.clone()),
        col("mean_per_1k", p, |x| x.mean_per_1k),
        col("ci_low", p, |x| x.ci_low),
        col("ci_high", p, |x| x.ci_high),
        col("n_docs", p, |x| x.n_docs),
    ])
    .map_err(err("outlet_profiles"))?;
    out.write("outlet_profiles", &mut profiles)?;

    if let Some(e) = &c.events {
        let mut events = DataFrame::new(vec![
            col("doc_id", e, |x| x.doc_id.clone()),
            col("event", e, |x| x.event.clone()),
            col("auto", e, |x| x.auto),
        ])
        .map_err(err("events"))?;
        out.write("events", &mut events)?;
    }
    Ok(())
}
