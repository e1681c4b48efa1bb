//! Figure 5, the document map: every clustered document at its first two principal
//! components (`clusters.pc1`, `pc2`), colored by group, with one marker shape per cluster
//! (× for DBSCAN noise). The axis titles give the share of variance each component explains
//! (`pca`). Each outlet's name is placed at the mean position of its documents and pushed
//! clear of the other names by [`super::repel_labels`], with a thin leader line when it moved.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    draw_x_axis, draw_y_axis, line, line_height, marker, nice_domain, not_computed, repel_labels,
    text, text_width, x_axis_height, x_ticks, y_label_width, y_ticks, Ctx, DrawResult, Header,
    LabelBox, LegendItem, Outcome, Plot, Scale, Shape, Swatch,
};
use crate::report::captions;
use crate::report::theme::{size, INK, MUTED};
use crate::report::ReportError;

const ID: &str = "document_map";
const TITLE: &str =
    "Document map: documents on the first two principal components, by group and cluster";

/// Marker shapes for clusters 0, 1, 2, … (cycling); noise (−1) is always a cross.
const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Triangle,
    Shape::Square,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Plus,
];

/// The shape of cluster `rank` (its position among the sorted cluster ids), or × for noise.
pub fn cluster_shape(cluster: i64, rank: usize) -> Shape {
    if cluster < 0 {
        Shape::Cross
    } else {
        SHAPES[rank % SHAPES.len()]
    }
}

struct Point {
    x: f64,
    y: f64,
    shape: Shape,
    color: RGBColor,
}

struct Label {
    text: String,
    anchor: (i32, i32),
    center: (i32, i32),
    w: i32,
    h: i32,
}

struct DocMap {
    width: i32,
    height: i32,
    header: Header,
    plot: (i32, i32, i32, i32),
    xs: Scale,
    ys: Scale,
    x_title: String,
    y_title: String,
    points: Vec<Point>,
    labels: Vec<Label>,
}

impl Plot for DocMap {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        self.header.draw(root, self.width)?;
        let m = size::MARGIN;
        let (px0, py0, px1, py1) = self.plot;
        let xt = x_ticks(&self.xs, 10);
        let yt = y_ticks(&self.ys, 8);
        draw_y_axis(root, &self.ys, &yt, px0, px1, &self.y_title, m + 8)?;
        draw_x_axis(root, &self.xs, &xt, py1, py0, &self.x_title)?;
        for p in &self.points {
            marker(
                root,
                p.shape,
                (self.xs.px(p.x), self.ys.px(p.y)),
                5,
                p.color.mix(0.8),
            )?;
        }
        for l in &self.labels {
            let (cx, cy) = l.center;
            let (ax, ay) = l.anchor;
            let (bx0, by0) = (cx - l.w / 2, cy - l.h / 2);
            let (bx1, by1) = (cx + l.w / 2, cy + l.h / 2);
            // Leader line from the box edge nearest the anchor, if the label moved away.
            if ax < bx0 - 2 || ax > bx1 + 2 || ay < by0 - 2 || ay > by1 + 2 {
                let ex = ax.clamp(bx0, bx1);
                let ey = ay.clamp(by0, by1);
                line(root, (ex, ey), (ax, ay), MUTED, 1)?;
            }
            root.draw(&Rectangle::new(
                [(bx0, by0), (bx1, by1)],
                WHITE.mix(0.85).filled(),
            ))?;
            marker(root, Shape::Plus, (ax, ay), 4, INK.to_rgba())?;
            text(
                root,
                &l.text,
                (cx, cy),
                size::TICK,
                true,
                INK,
                HPos::Center,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

/// Builds figure 5.
pub fn build(ctx: &Ctx) -> Result<Outcome, ReportError> {
    let Some(rows) = &ctx.data.clusters else {
        return Ok(not_computed(
            ID,
            TITLE,
            "the `clusters` table is absent: clustering was not run or is disabled",
        ));
    };
    if rows.is_empty() {
        return Ok(not_computed(ID, TITLE, "the `clusters` table has no rows"));
    }
    let docs = &ctx.data.docs;
    let ids: Vec<i64> = {
        let set: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.cluster).collect();
        set.into_iter().collect()
    };
    let rank = |c: i64| ids.iter().filter(|&&i| i >= 0 && i < c).count();
    let width = ctx.width();
    let height = ctx.config.height.max(360) as i32;
    let m = size::MARGIN;
    // Legend: groups, then clusters.
    let mut legend: Vec<LegendItem> = ctx.group_legend();
    let mut sizes: BTreeMap<i64, usize> = BTreeMap::new();
    for r in rows {
        *sizes.entry(r.cluster).or_default() += 1;
    }
    // Clusters in order, noise last.
    let mut listed: Vec<(&i64, &usize)> = sizes.iter().collect();
    listed.sort_by_key(|(c, _)| (**c < 0, **c));
    for (&c, &n) in listed {
        legend.push(LegendItem {
            swatch: Swatch::Marker(cluster_shape(c, rank(c)), MUTED),
            label: if c < 0 {
                format!("noise (n = {n})")
            } else {
                format!("cluster {c} (n = {n})")
            },
        });
    }
    let header = Header::new(TITLE, "", legend, width, 14);
    let pca: BTreeMap<i64, Option<f64>> = ctx
        .data
        .pca
        .as_ref()
        .map(|p| p.iter().cloned().collect())
        .unwrap_or_default();
    let var = |c: i64| pca.get(&c).copied().flatten();
    let axis = |c: i64| match var(c) {
        Some(v) => format!("PC{c} ({} of variance)", captions::percent(v)),
        None => format!("PC{c}"),
    };
    let (x_title, y_title) = (axis(1), axis(2));
    let fold = |f: fn(&crate::report::data::ClusterRow) -> f64| {
        rows.iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            })
    };
    let (x0, x1) = fold(|r| r.pc1);
    let (y0, y1) = fold(|r| r.pc2);
    let (x0, x1) = nice_domain(x0, x1, 10);
    let (y0, y1) = nice_domain(y0, y1, 8);
    let top = header.height();
    let bottom = height - m - x_axis_height();
    let ys_probe = Scale {
        d0: y0,
        d1: y1,
        r0: bottom as f64,
        r1: top as f64,
    };
    let left = m + 8 + line_height(size::LABEL) + 8 + y_label_width(&y_ticks(&ys_probe, 8)) + 10;
    let right = width - m;
    let xs = Scale {
        d0: x0,
        d1: x1,
        r0: (left + 6) as f64,
        r1: (right - 6) as f64,
    };
    let ys = Scale {
        d0: y0,
        d1: y1,
        r0: (bottom - 6) as f64,
        r1: (top + 6) as f64,
    };
    let points: Vec<Point> = rows
        .iter()
        .map(|r| Point {
            x: r.pc1,
            y: r.pc2,
            shape: cluster_shape(r.cluster, rank(r.cluster)),
            color: ctx.colors.color(docs[r.doc].group.as_deref()),
        })
        .collect();
    // Outlet centroids, in outlet display order.
    let mut sums: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for r in rows {
        let e = sums.entry(docs[r.doc].outlet_name()).or_default();
        e.0 += r.pc1;
        e.1 += r.pc2;
        e.2 += 1;
    }
    let outlets: Vec<(&str, (i32, i32))> = ctx
        .outlets
        .iter()
        .filter_map(|o| {
            let (sx, sy, n) = sums.get(o.name.as_str())?;
            let (cx, cy) = (sx / *n as f64, sy / *n as f64);
            Some((o.name.as_str(), (xs.px(cx), ys.px(cy))))
        })
        .collect();
    let lh = line_height(size::TICK) + 4;
    let boxes: Vec<LabelBox> = outlets
        .iter()
        .map(|(name, (ax, ay))| LabelBox {
            anchor: (*ax as f64, *ay as f64),
            w: (text_width(name, size::TICK, true) + 8) as f64,
            h: lh as f64,
        })
        .collect();
    let centers = repel_labels(
        &boxes,
        (
            (left + 2) as f64,
            (top + 2) as f64,
            (right - 2) as f64,
            (bottom - 2) as f64,
        ),
    );
    let labels: Vec<Label> = outlets
        .iter()
        .zip(&boxes)
        .zip(centers)
        .map(|(((name, anchor), b), c)| Label {
            text: name.to_string(),
            anchor: *anchor,
            center: (c.0.round() as i32, c.1.round() as i32),
            w: b.w as i32,
            h: b.h as i32,
        })
        .collect();
    let noise = sizes.get(&-1).copied().unwrap_or(0);
    let n_clusters = sizes.keys().filter(|c| **c >= 0).count();
    let agreement = ctx.data.cluster_agreement.as_ref().and_then(|a| {
        a.iter()
            .find(|a| a.against == "group")
            .and_then(|a| a.ari.zip(a.nmi))
    });
    let caption =
        captions::document_map(rows.len(), (var(1), var(2)), n_clusters, noise, agreement);
    let plot = DocMap {
        width,
        height,
        header,
        plot: (left, top, right, bottom),
        xs,
        ys,
        x_title,
        y_title,
        points,
        labels,
    };
    ctx.figure(ID, TITLE, caption, &plot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_get_shapes_by_rank_and_noise_a_cross() {
        assert_eq!(cluster_shape(-1, 0), Shape::Cross);
        assert_eq!(cluster_shape(0, 0), Shape::Circle);
        assert_eq!(cluster_shape(7, 1), Shape::Triangle);
        assert_eq!(cluster_shape(9, 6), Shape::Circle);
    }
}
