//! The command line: clap definitions, one file per subcommand, and exit codes.
//!
//! Exit codes: 0 success; 2 usage or input error (bad arguments, study file, corpus, lexicon);
//! 1 any other failure (e.g. an output folder that cannot be written). A closed pipe on standard
//! output (`framelens kwic … | head`) is not an error.

mod generate;
mod init;
mod kwic;
mod lexicon;
mod merge;
mod run;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::Error;

const AFTER_HELP: &str = "\
Exit codes: 0 success, 2 usage or input error, 1 other failure.
Documentation of the study file and of every output table: README.md and notebooks-data/README.md.";

/// Measure how differently news outlets frame the same events.
#[derive(Debug, Parser)]
#[command(name = "framelens", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// framelens subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a study: read the corpus, tokenize and stem, and write the tables and manifest.
    #[command(long_about = run::LONG_ABOUT)]
    Run(run::RunArgs),
    /// Merge the shards of a sharded run (`run --shard K/N`) into the tables of a single run.
    #[command(long_about = merge::LONG_ABOUT)]
    Merge(merge::MergeArgs),
    /// Write a commented study file for a corpus, guessing the column mapping.
    #[command(long_about = init::LONG_ABOUT)]
    Init(init::InitArgs),
    /// Print keyword-in-context lines for a term, with document id and outlet.
    #[command(long_about = kwic::LONG_ABOUT)]
    Kwic(kwic::KwicArgs),
    /// Check, show and convert lexicon files; measure a study's lexicon coverage.
    #[command(long_about = lexicon::LONG_ABOUT)]
    Lexicon(lexicon::LexiconArgs),
    /// Write a deterministic synthetic corpus and its study file, for benchmarks.
    #[command(long_about = generate::LONG_ABOUT)]
    Generate(generate::GenerateArgs),
}

/// Parses the command line, runs the subcommand and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Init(args) => init::run(args),
        Command::Kwic(args) => kwic::run(args),
        Command::Lexicon(args) => lexicon::run(args),
        Command::Generate(args) => generate::run(args),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "framelens: error: {e}");
            e.exit_code()
        }
    }
}

/// The command line as typed, for the manifest.
fn command_line() -> Vec<String> {
    std::env::args().collect()
}

/// Writes a line to standard output; a closed pipe ends the output quietly.
fn out_line(out: &mut impl Write, line: &str) -> Result<bool, Error> {
    match writeln!(out, "{line}") {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Error::Other(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// A path argument shown in messages.
fn show(path: &std::path::Path) -> String {
    PathBuf::from(path).display().to_string()
}
