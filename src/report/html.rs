//! `report.html`: one self-contained file. Figures are inlined as SVG (their `xmlns`
//! attribute dropped, which HTML does not need), tables are HTML tables, the style is a few
//! lines of inline CSS, and nothing is loaded from anywhere else: no scripts, no fonts, no
//! images by address. Text from the tables is escaped.

use super::{Block, Document, Inline, Table};

const CSS: &str = "\
body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#222;margin:0;background:#fff}\
main{max-width:1100px;margin:0 auto;padding:24px 28px 64px;line-height:1.5}\
h1{font-size:1.7em;margin:.4em 0}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
h3{margin-top:1.5em}\
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}\
th,td{border-bottom:1px solid #e3e3e3;padding:.25em .6em;text-align:left;vertical-align:top}\
th{border-bottom:2px solid #bbb}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto;display:block}\
figcaption{font-size:.92em;color:#333;margin-top:.4em}\
code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:.9em;background:#f4f4f4}\
pre{padding:.6em;white-space:pre-wrap;word-break:break-all}\
.nc{border-left:4px solid #bbb;background:#f7f7f7;padding:.5em .9em;margin:1.2em 0}\
nav ol{margin:.3em 0}\n";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn inlines(parts: &[Inline]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(s) => escape(s),
            Inline::Code(s) => format!("<code>{}</code>", escape(s)),
            Inline::Strong(s) => format!("<strong>{}</strong>", escape(s)),
        })
        .collect()
}

/// Text with `backtick` spans as code (captions and reasons use them for table names).
fn with_code_spans(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn table(t: &Table) -> String {
    let mut out = String::from("<table>\n");
    if t.header.iter().any(|h| !h.is_empty()) {
        out.push_str("<thead><tr>");
        for h in &t.header {
            out.push_str(&format!("<th>{}</th>", escape(h)));
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if t.numeric.get(i).copied().unwrap_or(false) {
                out.push_str(&format!("<td class=\"n\">{}</td>", escape(cell)));
            } else {
                out.push_str(&format!("<td>{}</td>", escape(cell)));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// An SVG document made fit for inlining: no XML namespace attribute, an accessible name.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(title)),
        1,
    )
}

/// Renders the document as one HTML page.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&doc.title)));
    out.push_str("<style>\n");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&doc.title)));
    // The section list becomes links to the section anchors.
    let sections: Vec<(String, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 2, id, text } => Some((id.clone(), text.clone())),
            _ => None,
        })
        .collect();
    for block in &doc.blocks {
        match block {
            Block::Heading { level, id, text } => {
                out.push_str(&format!(
                    "<h{level} id=\"{}\">{}</h{level}>\n",
                    escape(id),
                    escape(text)
                ));
            }
            Block::Para(parts) => out.push_str(&format!("<p>{}</p>\n", inlines(parts))),
            Block::Contents => {
                out.push_str("<nav><ol>\n");
                for (id, text) in &sections {
                    let label = text.split_once(". ").map(|(_, t)| t).unwrap_or(text);
                    out.push_str(&format!(
                        "<li><a href=\"#{}\">{}</a></li>\n",
                        escape(id),
                        escape(label)
                    ));
                }
                out.push_str("</ol></nav>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", inlines(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => out.push_str(&table(t)),
            Block::Figure { number, figure } => {
                out.push_str(&format!("<figure id=\"fig-{}\">\n", figure.id));
                out.push_str(&inline_svg(&figure.svg, &figure.title));
                if !figure.svg.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!(
                    "<figcaption><strong>Figure {number}. {}.</strong> {}</figcaption>\n</figure>\n",
                    escape(&figure.title),
                    with_code_spans(&figure.caption)
                ));
            }
            Block::NotComputed { title, reason } => {
                out.push_str(&format!(
                    "<div class=\"nc\"><strong>{}</strong>: not computed in this run ({}).</div>\n",
                    escape(title),
                    with_code_spans(reason)
                ));
            }
            Block::Pre(text) => out.push_str(&format!("<pre>{}</pre>\n", escape(text))),
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::figures::Figure;

    #[test]
    fn text_is_escaped_and_backticks_become_code() {
        assert_eq!(escape("a<b & «ц»"), "a&lt;b &amp; «ц»");
        assert_eq!(
            with_code_spans("the `comparisons` table <x>"),
            "the <code>comparisons</code> table &lt;x&gt;"
        );
    }

    #[test]
    fn figures_are_inlined_without_namespace_and_with_a_label() {
        let doc = Document {
            title: "Отчёт".to_string(),
            blocks: vec![
                Block::Figure {
                    number: 1,
                    figure: Figure {
                        id: "tone_by_outlet",
                        title: "Tone".to_string(),
                        caption: "RT −2.1".to_string(),
                        svg: "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n".to_string(),
                        png: None,
                    },
                },
                Block::NotComputed {
                    title: "Keyness".to_string(),
                    reason: "the `keyness` table is absent".to_string(),
                },
            ],
        };
        let html = render(&doc);
        assert!(html.contains("<title>Отчёт</title>"));
        assert!(html.contains("<svg role=\"img\" aria-label=\"Tone\" width=\"10\""));
        assert!(!html.contains("http"));
        assert!(html.contains("<figcaption><strong>Figure 1. Tone.</strong> RT −2.1</figcaption>"));
        assert!(html.contains(
            "<strong>Keyness</strong>: not computed in this run (the <code>keyness</code> table is absent)."
        ));
    }
}
