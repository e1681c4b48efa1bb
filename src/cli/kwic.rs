//! `framelens kwic`: keyword-in-context lines from a study's corpus.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::corpus::{self, Record};
use crate::study::Study;
use crate::tokens::{Analyzer, Language, Token};
use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Print keyword-in-context lines for a term or phrase: every occurrence in the study's corpus
(after boilerplate removal), with the document id, the outlet and WINDOW tokens of context on
each side, as tab-separated columns: doc_id, outlet, left context, match, right context.

By default the term matches by stem in each document's language, so `kwic study.toml
negotiation` also finds \"negotiations\"; --surface matches the normalized surface form only.
A phrase (\"security guarantees\") matches consecutive tokens.";

/// Arguments of `framelens kwic`.
#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The study file (TOML).
    pub study: PathBuf,
    /// The term or phrase to find.
    pub term: String,
    /// Tokens of context on each side.
    #[arg(long, default_value_t = 5)]
    pub window: usize,
    /// Match the surface form (lowercased, quotes folded) instead of the stem.
    #[arg(long)]
    pub surface: bool,
    /// Stop after this many lines.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

pub(super) fn run(args: KwicArgs) -> Result<(), Error> {
    let loaded = Study::load(&args.study)?;
    let study = &loaded.study;
    let mut analyzers: BTreeMap<Language, (Analyzer, Vec<String>)> = BTreeMap::new();
    let mut reader = corpus::open(&study.corpus)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut printed = 0usize;
    loop {
        let batch = reader.next_batch(study.output.batch_size)?;
        if batch.is_empty() {
            return Ok(());
        }
        for record in batch {
            let Record::Kept(doc) = record else { continue };
            let Some(language) = doc
                .meta
                .language
                .as_deref()
                .map_or(Some(loaded.language), Language::from_code)
            else {
                continue;
            };
            let (analyzer, needle) = match analyzers.entry(language) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let mut analyzer = Analyzer::new(&study.tokenizer, language)?;
                    let needle = analyzer
                        .analyze(&args.term)
                        .tokens
                        .into_iter()
                        .map(|t| if args.surface { t.norm } else { t.stem }.to_string())
                        .collect();
                    e.insert((analyzer, needle))
                }
            };
            if needle.is_empty() {
                return Err(Error::Usage(format!(
                    "{:?} contains no word to search for",
                    args.term
                )));
            }
            let tokens = analyzer.analyze(&doc.text).tokens;
            for i in find(&tokens, needle, args.surface) {
                let end = i + needle.len();
                let left = &tokens[i.saturating_sub(args.window)..i];
                let right = &tokens[end..end.saturating_add(args.window).min(tokens.len())];
                let slice = |ts: &[Token]| match (ts.first(), ts.last()) {
                    (Some(a), Some(b)) => one_line(&doc.text[a.start..b.end]),
                    _ => String::new(),
                };
                let line = format!(
                    "{}\t{}\t{}\t{}\t{}",
                    doc.doc_id,
                    doc.meta.outlet.as_deref().unwrap_or(""),
                    slice(left),
                    one_line(&doc.text[tokens[i].start..tokens[end - 1].end]),
                    slice(right)
                );
                if !super::out_line(&mut out, &line)? {
                    return Ok(());
                }
                printed += 1;
                if args.limit.is_some_and(|l| printed >= l) {
                    let _ = out.flush();
                    return Ok(());
                }
            }
        }
    }
}

/// Start indices of every occurrence of `needle` in `tokens`, by surface form or by stem.
fn find<'a>(
    tokens: &'a [Token],
    needle: &'a [String],
    surface: bool,
) -> impl Iterator<Item = usize> + 'a {
    let key = move |t: &'a Token| if surface { &t.norm } else { &t.stem };
    (0..tokens.len().saturating_sub(needle.len() - 1))
        .filter(move |&i| needle.iter().zip(&tokens[i..]).all(|(n, t)| key(t) == n))
}

/// Collapses line breaks and runs of whitespace so one match is one output line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
