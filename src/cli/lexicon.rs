//! `framelens lexicon`: check, show, convert lexicon files, and measure a study's coverage.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::lexicon::{self, Format, LoadOptions};
use crate::pipeline;
use crate::study::{RunConfig, Study};
use crate::tokens::{Analyzer, Language, TokenizerConfig};
use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Work with lexicon files: native TOML (the format of lexicons/), LIWC .dic, quanteda YAML
(.yml/.yaml) and weighted word lists as AFINN and VADER distribute them (.txt/.tsv,
word<TAB>value, further columns ignored). The format is chosen by file extension.";

/// Arguments of `framelens lexicon`.
#[derive(Debug, Args)]
pub struct LexiconArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: LexiconCommand,
}

/// `framelens lexicon` subcommands.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Validate lexicon files: undeclared categories, duplicate entries with conflicting
    /// categories, overlapping wildcards, entries of a stem lexicon with the same stems (with
    /// the default tokenizer settings), empty categories and syntax errors, each with
    /// file:line. Exits 2 if any file has an error.
    Check {
        /// Lexicon files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Languages of header-less files (.dic, YAML, word lists).
        #[arg(long, value_name = "CODE", default_value = "en")]
        language: Vec<String>,
    },
    /// Print a lexicon's header and its categories with their sizes.
    Show {
        /// A lexicon file.
        file: PathBuf,
        /// Languages of header-less files (.dic, YAML, word lists).
        #[arg(long, value_name = "CODE", default_value = "en")]
        language: Vec<String>,
    },
    /// Convert a lexicon between formats (by the output's extension, or --to). What a target
    /// format cannot hold (weights in .dic, descriptions in YAML, …) is listed as a warning.
    Convert {
        /// The lexicon to read.
        input: PathBuf,
        /// The file to write.
        output: PathBuf,
        /// Output format: toml, dic, yaml or weighted (default: from the output's extension).
        #[arg(long, value_name = "FORMAT")]
        to: Option<Format>,
        /// Languages of a header-less input (.dic, YAML, word lists).
        #[arg(long, value_name = "CODE", default_value = "en")]
        language: Vec<String>,
    },
    /// Tokenize and score a study's corpus without writing tables, and print per category the
    /// share of tokens its entries matched (LIWC's "Dic" measure, over the documents the
    /// lexicon applies to) and its most frequent entries.
    Coverage {
        /// The study file.
        study: PathBuf,
        /// Entries to show per category.
        #[arg(long, default_value_t = 5)]
        top: usize,
    },
}

pub(super) fn run(args: LexiconArgs) -> Result<(), Error> {
    match args.command {
        LexiconCommand::Check { files, language } => check(&files, language),
        LexiconCommand::Show { file, language } => {
            let lex = lexicon::load_with(
                &file,
                &LoadOptions {
                    languages: language,
                },
            )?;
            print!("{lex}");
            Ok(())
        }
        LexiconCommand::Convert {
            input,
            output,
            to,
            language,
        } => convert(&input, &output, to, language),
        LexiconCommand::Coverage { study, top } => coverage(&study, top),
    }
}

fn check(files: &[PathBuf], languages: Vec<String>) -> Result<(), Error> {
    let opts = LoadOptions { languages };
    // One analyzer per language, with the default tokenizer settings, as a study without a
    // [tokenizer] table would stem the entries.
    let mut analyzers: std::collections::BTreeMap<String, Option<Analyzer>> = Default::default();
    let mut stem = |lang: &str, word: &str| {
        let analyzer = analyzers.entry(lang.to_string()).or_insert_with(|| {
            Language::from_code(lang)
                .and_then(|l| Analyzer::new(&TokenizerConfig::default(), l).ok())
        });
        match analyzer {
            Some(a) => a.stem_word(word),
            None => word.to_lowercase(),
        }
    };
    let mut errors = 0;
    let mut out = std::io::stdout().lock();
    let mut open = true;
    for file in files {
        let diagnostics = lexicon::check_with_stems(file, &opts, &mut stem);
        let n_errors = diagnostics.iter().filter(|d| d.is_error()).count();
        for d in &diagnostics {
            open = open && super::out_line(&mut out, &d.to_string())?;
        }
        if n_errors == 0 {
            let line = format!(
                "{}: ok ({} warnings)",
                file.display(),
                diagnostics.len() - n_errors
            );
            open = open && super::out_line(&mut out, &line)?;
        }
        errors += n_errors;
    }
    if errors > 0 {
        return Err(Error::Usage(format!(
            "{errors} error(s) in the lexicon files checked"
        )));
    }
    Ok(())
}

fn convert(
    input: &std::path::Path,
    output: &std::path::Path,
    to: Option<Format>,
    languages: Vec<String>,
) -> Result<(), Error> {
    let format = to.or_else(|| Format::from_path(output)).ok_or_else(|| {
        Error::Usage(format!(
            "{}: cannot tell the output format from the extension (use --to toml|dic|yaml|weighted)",
            output.display()
        ))
    })?;
    let lex = lexicon::load_with(input, &LoadOptions { languages })?;
    let mut bytes = Vec::new();
    let losses = lexicon::write(&lex, format, &mut bytes)?;
    let mut tmp_name = output.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".framelens-tmp");
    let tmp = output.with_file_name(tmp_name);
    std::fs::write(&tmp, &bytes)
        .and_then(|()| std::fs::rename(&tmp, output))
        .map_err(|e| Error::Other(format!("{}: cannot write: {e}", output.display())))?;
    for loss in losses {
        eprintln!("warning: {loss}");
    }
    eprintln!("wrote {} ({format})", output.display());
    Ok(())
}

fn coverage(study: &std::path::Path, top: usize) -> Result<(), Error> {
    let loaded = Study::load(study)?;
    let config = RunConfig::new(loaded, None, None, None, true, super::command_line());
    let coverage = pipeline::coverage(&config)?;
    println!("lexicon\tcategory\tpercent_of_tokens\tmatches\ttop_entries");
    for c in coverage.categories(top) {
        let entries: Vec<String> = c.top.iter().map(|(e, n)| format!("{e} ({n})")).collect();
        let line = format!(
            "{}\t{}\t{:.2}\t{}\t{}",
            c.lexicon,
            c.category,
            c.percent_of_tokens,
            c.matches,
            entries.join(", ")
        );
        if !super::out_line(&mut std::io::stdout().lock(), &line)? {
            break;
        }
    }
    Ok(())
}
