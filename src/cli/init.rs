//! `framelens init`: write a commented study file for a corpus, guessing the column mapping.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Component, Path, PathBuf};

use clap::Args;

use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Write a commented study file for a corpus so a first run is one command away.

CORPUS may be a folder of .txt files (with a metadata CSV/TSV given by --metadata, or found as
the only .csv/.tsv file in the folder), or one .csv, .tsv or .jsonl file. Column names are
matched case-insensitively against common names:
  id: id, doc_id, docid, document_id      text: text, content, body, article
  outlet: outlet, source, publisher, site  group: group, alignment
  event: event                             date: date, published, published_at, pub_date
  language: language, lang                 title: title, headline
  url: url, link                           (folder metadata) file: file, filename, path
The command prints what it mapped and what it left unmapped; unmapped columns are carried
through to the documents table. It never overwrites a file unless --force is given.";

/// Arguments of `framelens init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The corpus: a folder of .txt files, or a .csv, .tsv or .jsonl file.
    #[arg(long)]
    pub corpus: PathBuf,
    /// Metadata CSV/TSV for a folder corpus.
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,
    /// Where to write the study file.
    #[arg(long, value_name = "STUDY.toml", default_value = "study.toml")]
    pub out: PathBuf,
    /// Overwrite an existing study file.
    #[arg(long)]
    pub force: bool,
}

/// Field name and the column names that map to it.
const GUESSES: [(&str, &[&str]); 9] = [
    ("id", &["id", "doc_id", "docid", "document_id"]),
    ("text", &["text", "content", "body", "article"]),
    ("outlet", &["outlet", "source", "publisher", "site"]),
    ("group", &["group", "alignment"]),
    ("event", &["event"]),
    ("date", &["date", "published", "published_at", "pub_date"]),
    ("language", &["language", "lang"]),
    ("title", &["title", "headline"]),
    ("url", &["url", "link"]),
];

const FILE_COLUMNS: [&str; 4] = ["file", "filename", "file_name", "path"];

pub(super) fn run(args: InitArgs) -> Result<(), Error> {
    if args.out.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to overwrite it)",
            args.out.display()
        )));
    }
    let corpus = &args.corpus;
    let (format, table) = if corpus.is_dir() {
        let metadata = match &args.metadata {
            Some(m) => Some(m.clone()),
            None => find_metadata(corpus)?,
        };
        ("folder", metadata)
    } else {
        let ext = corpus
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => ("csv", Some(corpus.clone())),
            Some("tsv") | Some("tab") => ("tsv", Some(corpus.clone())),
            Some("jsonl") | Some("ndjson") => ("jsonl", Some(corpus.clone())),
            _ if !corpus.exists() => {
                return Err(Error::Usage(format!(
                    "{}: no such file or folder",
                    corpus.display()
                )))
            }
            _ => {
                return Err(Error::Usage(format!(
                    "{}: not a folder, .csv, .tsv or .jsonl file",
                    corpus.display()
                )))
            }
        }
    };
    let columns = match &table {
        Some(t) => read_columns(t)?,
        None => Vec::new(),
    };
    let mut mapped: Vec<(&str, String)> = Vec::new();
    for (field, names) in GUESSES {
        if let Some(c) = columns
            .iter()
            .find(|c| names.iter().any(|n| n.eq_ignore_ascii_case(c.trim())))
        {
            mapped.push((field, c.clone()));
        }
    }
    let file_column = columns
        .iter()
        .find(|c| {
            FILE_COLUMNS
                .iter()
                .any(|n| n.eq_ignore_ascii_case(c.trim()))
        })
        .cloned();
    let unmapped: Vec<&String> = columns
        .iter()
        .filter(|c| !mapped.iter().any(|(_, m)| m == *c) && Some(*c) != file_column.as_ref())
        .collect();

    let base = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let text = template(&TemplateInput {
        format,
        corpus: relative_to(corpus, base),
        metadata: (format == "folder")
            .then(|| table.as_ref().map(|t| relative_to(t, base)))
            .flatten(),
        file_column: file_column.as_deref(),
        mapped: &mapped,
    });
    std::fs::write(&args.out, text)
        .map_err(|e| Error::Other(format!("{}: cannot write: {e}", args.out.display())))?;

    println!("wrote {}", args.out.display());
    println!("format: {format}");
    if let Some(t) = &table {
        println!("columns read from {}", t.display());
    }
    for (field, column) in &mapped {
        println!("  {field:<9} <- {column}");
    }
    if let Some(f) = &file_column {
        println!("  files     <- {f} (file names in the folder)");
    }
    for field in GUESSES.iter().map(|(f, _)| *f) {
        if !mapped.iter().any(|(m, _)| *m == field) {
            println!("  {field:<9}    not mapped");
        }
    }
    if !unmapped.is_empty() {
        let names: Vec<&str> = unmapped.iter().map(|s| s.as_str()).collect();
        println!("carried through as metadata: {}", names.join(", "));
    }
    if format != "folder" && !mapped.iter().any(|(f, _)| *f == "text") {
        println!("no text column found: set [corpus.columns] text in the study file");
    }
    println!("next: framelens run {}", args.out.display());
    Ok(())
}

/// The only .csv/.tsv file in a folder, if there is exactly one.
fn find_metadata(dir: &Path) -> Result<Option<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("{}: cannot list the folder: {e}", dir.display())))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("csv") | Some("tsv")
            )
        })
        .collect();
    found.sort();
    Ok(if found.len() == 1 { found.pop() } else { None })
}

/// Column names of a CSV/TSV header, or the keys of a JSONL file's first object.
fn read_columns(path: &Path) -> Result<Vec<String>, Error> {
    let input = |e: &dyn std::fmt::Display| Error::Usage(format!("{}: {e}", path.display()));
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("jsonl") || ext.eq_ignore_ascii_case("ndjson") {
        let reader = BufReader::new(File::open(path).map_err(|e| input(&e))?);
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| input(&e))?;
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(&line).map_err(|e| input(&format!("line {}: {e}", i + 1)))?;
            let serde_json::Value::Object(map) = value else {
                return Err(input(&format!("line {}: not a JSON object", i + 1)));
            };
            return Ok(map.keys().cloned().collect());
        }
        return Ok(Vec::new());
    }
    let delimiter = if ext.eq_ignore_ascii_case("tsv") {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .map_err(|e| input(&e))?;
    let headers = reader.headers().map_err(|e| input(&e))?;
    Ok(headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect())
}

/// `path` relative to `base` when both can be resolved, else `path` unchanged.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let (Ok(p), Ok(b)) = (path.canonicalize(), base.canonicalize()) else {
        return path.to_path_buf();
    };
    let p: Vec<Component> = p.components().collect();
    let b: Vec<Component> = b.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

struct TemplateInput<'a> {
    format: &'a str,
    corpus: PathBuf,
    metadata: Option<PathBuf>,
    file_column: Option<&'a str>,
    mapped: &'a [(&'a str, String)],
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn template(t: &TemplateInput) -> String {
    let mut s = String::new();
    s.push_str("# framelens study file, written by `framelens init`. Every key is documented in README.md.\n");
    s.push_str("# Relative paths are resolved against this file's folder.\n\n");
    s.push_str("# Default language of the documents (a mapped `language` column overrides it).\n");
    s.push_str("language = \"en\"\n# Seed for every random step.\nseed = 42\n\n");
    s.push_str("[corpus]\n");
    s.push_str(&format!(
        "path = {}\n",
        toml_str(&t.corpus.to_string_lossy())
    ));
    s.push_str(&format!("format = \"{}\"\n", t.format));
    if let Some(m) = &t.metadata {
        s.push_str(&format!("metadata = {}\n", toml_str(&m.to_string_lossy())));
        match t.file_column {
            Some(f) => s.push_str(&format!(
                "# Metadata rows find their .txt file through this column.\njoin = \"file\"\nfile-column = {}\n",
                toml_str(f)
            )),
            None => s.push_str("# Metadata rows find their file as <id>.txt.\njoin = \"id\"\n"),
        }
    }
    s.push_str("# Date formats (chrono strftime), tried in order.\n");
    s.push_str("# date-formats = [\"%Y-%m-%d\", \"%d.%m.%Y %H:%M\"]\n");
    s.push_str("# encoding = \"windows-1251\"   # for archives not in UTF-8\n\n");
    s.push_str("[corpus.columns]\n");
    for (field, column) in t.mapped {
        s.push_str(&format!("{field} = {}\n", toml_str(column)));
    }
    for (field, _) in GUESSES {
        if !t.mapped.iter().any(|(f, _)| *f == field) {
            s.push_str(&format!("# {field} = \"...\"\n"));
        }
    }
    s.push_str(
        "\n# Raw values to names, e.g. numeric ids to outlets, or outlet aliases.\n\
         # [corpus.map.outlet]\n# \"-40316705\" = \"RT\"\n# \"thehuffingtonpost\" = \"HuffPost\"\n\n\
         # Group of each outlet, when no group column is mapped.\n\
         # [corpus.group-of-outlet]\n# RT = \"state\"\n\n\
         [corpus.boilerplate]\n\
         # Regexes; a matching line (trimmed) is removed before tokenizing.\n\
         patterns = []\n\
         # Regexes; the first matching line and everything after it are removed.\n\
         cut-after = []\n\
         # Remove a short final line without sentence-final punctuation (a trailing headline).\n\
         trailing-headline = false\n\n\
         [tokenizer]\n\
         lowercase = true\n\
         split-hyphens = false\n\
         numbers = \"keep\"   # keep | drop | normalize\n\
         urls = \"keep\"      # keep | drop\n\
         stem = true\n\n\
         [features]\n\
         bigrams = false\n\
         min-df = 1\n\
         max-df = 1.0\n\n\
         [near-duplicates]\n\
         threshold = 0.5\n\
         drop = false\n\n\
         [lexicons]\n\
         # Shipped lexicons: \"all\", schemes such as \"tone\", \"security\", \"attribution\", or [].\n\
         builtin = [\"all\"]\n\
         # Your own files: native TOML, LIWC .dic, quanteda .yml, word<TAB>value lists.\n\
         files = []\n\n\
         [scoring]\n\
         negation-window = 3\n\
         negation = \"flip\"   # flip | vader\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_walk_up_and_down() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("data/corpus");
        let b = dir.path().join("studies");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        assert_eq!(relative_to(&a, &b), Path::new("../data/corpus"));
    }

    #[test]
    fn template_is_a_valid_study() {
        let mapped = vec![("id", "ID".to_string()), ("text", "текст".to_string())];
        let text = template(&TemplateInput {
            format: "tsv",
            corpus: "posts.tsv".into(),
            metadata: None,
            file_column: None,
            mapped: &mapped,
        });
        let s = crate::study::Study::from_str(&text, Path::new("x/study.toml")).unwrap();
        assert_eq!(s.study.corpus.columns.text.as_deref(), Some("текст"));
    }
}
