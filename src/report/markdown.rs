//! `report.md`: the same report as Markdown (CommonMark with GitHub-style pipe tables), for
//! pasting into documents. Figures are linked as PNG files in `figures/` (SVG when PNGs are
//! turned off), relative to the report, so the folder can be moved as a whole.

use super::{Block, Document, Inline, Table};

/// Escapes Markdown's inline syntax characters in text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span that survives backticks inside the text.
fn code(s: &str) -> String {
    let fence = if s.contains('`') { "`` " } else { "`" };
    let close = if s.contains('`') { " ``" } else { "`" };
    format!("{fence}{s}{close}")
}

fn inlines(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(s) => escape(s),
            Inline::Code(s) => code(s),
            Inline::Strong(s) => format!("**{}**", escape(s)),
        })
        .collect()
}

/// Text with `backtick` spans kept as code spans and the rest escaped.
fn with_code_spans(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(
            |(i, part)| {
                if i % 2 == 1 {
                    code(part)
                } else {
                    escape(part)
                }
            },
        )
        .collect()
}

fn table(t: &Table) -> String {
    let cell = |s: &str| {
        let e = escape(s);
        if e.is_empty() {
            " ".to_string()
        } else {
            e
        }
    };
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        t.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "|{}|\n",
        (0..t.header.len())
            .map(|i| if t.numeric.get(i).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for row in &t.rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// Renders the document as Markdown; `png` picks the figure format linked.
pub fn render(doc: &Document, png: bool) -> String {
    let mut parts: Vec<String> = vec![format!("# {}\n", escape(&doc.title))];
    for block in &doc.blocks {
        let s = match block {
            Block::Heading { level, text, .. } => {
                format!("{} {}\n", "#".repeat(*level as usize), escape(text))
            }
            Block::Para(p) => format!("{}\n", inlines(p)),
            Block::List(items) => items
                .iter()
                .map(|i| format!("- {}\n", inlines(i)))
                .collect(),
            Block::Contents => doc
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { level: 2, text, .. } => Some(format!("- {}\n", escape(text))),
                    _ => None,
                })
                .collect(),
            Block::Table(t) => table(t),
            Block::Figure { number, figure } => {
                let ext = if png && figure.png.is_some() {
                    "png"
                } else {
                    "svg"
                };
                format!(
                    "![Figure {number}. {}](figures/{}.{ext})\n\n**Figure {number}. {}.** {}\n",
                    escape(&figure.title),
                    figure.id,
                    escape(&figure.title),
                    with_code_spans(&figure.caption)
                )
            }
            Block::NotComputed { title, reason } => format!(
                "> **{}**: not computed in this run ({}).\n",
                escape(title),
                with_code_spans(reason)
            ),
            Block::Pre(text) => format!("```text\n{text}\n```\n"),
        };
        parts.push(s);
    }
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::figures::Figure;

    #[test]
    fn markdown_escapes_and_links_png_figures() {
        assert_eq!(
            escape("threat_by_others | *x*"),
            "threat\\_by\\_others \\| \\*x\\*"
        );
        let doc = Document {
            title: "Отчёт".to_string(),
            blocks: vec![
                Block::Table(Table {
                    header: vec!["outlet".to_string(), "documents".to_string()],
                    rows: vec![vec!["ТАСС".to_string(), "12".to_string()]],
                    numeric: vec![false, true],
                }),
                Block::Figure {
                    number: 2,
                    figure: Figure {
                        id: "keyness",
                        title: "Keyness".to_string(),
                        caption: "From `keyness`.".to_string(),
                        svg: String::new(),
                        png: Some(vec![1]),
                    },
                },
            ],
        };
        let md = render(&doc, true);
        assert_eq!(
            md,
            "# Отчёт\n\n| outlet | documents |\n|---|---:|\n| ТАСС | 12 |\n\n\
             ![Figure 2. Keyness](figures/keyness.png)\n\n**Figure 2. Keyness.** From `keyness`.\n"
        );
        assert!(render(&doc, false).contains("(figures/keyness.svg)"));
    }
}
