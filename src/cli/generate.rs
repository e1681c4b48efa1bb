//! `framelens generate`: write a synthetic benchmark corpus and its study file.

use std::path::PathBuf;

use clap::{ArgGroup, Args};

use crate::synth::{self, SynthConfig};
use crate::Error;

pub(super) const LONG_ABOUT: &str = "\
Write a deterministic synthetic news corpus for benchmarks: DIR/corpus.tsv (columns id, outlet,
group, event, date, language, text; tab-separated, never quoted) and DIR/study.toml, ready for
`framelens run DIR/study.toml`.

The text is invented but has the statistics of news: Zipf-distributed word ranks in two regimes
(exponent 1.07 over about 3,600 frequent words, 2 over an unbounded tail of rare ones, so the
vocabulary grows with the corpus as Heaps' law says it does in news) with real function words at
the head, invented English-like and Russian-like stems each with a few inflection suffixes of its
own, sentences of 10 to 35 words, log-normal document lengths, numbers,
hyphenated compounds and quotations, about 3% real lexicon words and 6% real evaluative words
(\"support\", \"failed\") whose rates differ between the state-aligned and the independent outlets.
The same seed gives byte-identical files.

Give the size as a number of documents (--docs) or of bytes (--size 20MB, 1.5GB, 512MiB; the
corpus stops at the first document that reaches it).";

/// Arguments of `framelens generate`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("amount").required(true).args(["docs", "size"])))]
pub struct GenerateArgs {
    /// Folder to write corpus.tsv and study.toml into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Number of documents.
    #[arg(long, value_name = "N")]
    pub docs: Option<u64>,
    /// Approximate corpus size: bytes, or with a unit KB, MB, GB (powers of 1000) or KiB, MiB,
    /// GiB (powers of 1024).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub size: Option<u64>,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Share of documents in Russian (the rest are English), between 0 and 1.
    #[arg(long, value_name = "X", default_value_t = 0.3)]
    pub russian_share: f64,
    /// Number of outlets (at least 2; the first half are state-aligned).
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub outlets: usize,
    /// Number of events (at least 1).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub events: usize,
    /// Mean document length in words.
    #[arg(long, value_name = "N", default_value_t = 400.0)]
    pub mean_words: f64,
    /// Share of word slots filled with real evaluative words, between 0 and 0.5 (0.06 matches
    /// the density of VADER-lexicon words in real news; 0 gives the corpora generated before
    /// this option existed).
    #[arg(long, value_name = "X", default_value_t = 0.06)]
    pub tone_rate: f64,
    /// Overwrite an existing corpus.tsv or study.toml in DIR.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub(super) fn run(args: GenerateArgs) -> Result<(), Error> {
    if !args.force {
        for name in ["corpus.tsv", "study.toml"] {
            let path = args.out.join(name);
            if path.exists() {
                return Err(Error::Usage(format!(
                    "{} exists; use --force to overwrite it",
                    super::show(&path)
                )));
            }
        }
    }
    let config = SynthConfig {
        n_docs: args.docs.unwrap_or(0),
        target_bytes: args.size,
        seed: args.seed,
        outlets: args.outlets,
        events: args.events,
        russian_share: args.russian_share,
        mean_words: args.mean_words,
        tone_rate: args.tone_rate,
        ..SynthConfig::default()
    };
    let start = std::time::Instant::now();
    let summary = synth::write_corpus(&args.out, &config).map_err(|e| {
        let msg = format!("cannot write the corpus to {}: {e}", super::show(&args.out));
        if e.kind() == std::io::ErrorKind::InvalidInput {
            Error::Usage(msg)
        } else {
            Error::Other(msg)
        }
    })?;
    if !args.quiet {
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "{}: {} documents ({} in Russian), {} words, {:.1} MB in {:.2} s ({:.0} MB/s)",
            super::show(&summary.corpus),
            summary.docs,
            summary.docs_ru,
            summary.words,
            summary.bytes as f64 / 1e6,
            secs,
            summary.bytes as f64 / 1e6 / secs.max(1e-9)
        );
        eprintln!("study file: {}", super::show(&summary.study));
    }
    Ok(())
}

/// Parses "20MB", "1.5GB", "512MiB", "800kb" or a plain byte count.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "size \"{s}\": unknown unit \"{other}\" (use B, KB, MB, GB, KiB, MiB or GiB)"
            ))
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("size \"{s}\" is not a number with an optional unit"))?;
    let bytes = value * factor;
    if !(1.0..1e15).contains(&bytes) {
        return Err(format!("size \"{s}\" is out of range"));
    }
    Ok(bytes.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        assert_eq!(parse_size("20MB"), Ok(20_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("512MiB"), Ok(536_870_912));
        assert_eq!(parse_size(" 800 kb "), Ok(800_000));
        assert_eq!(parse_size("1234"), Ok(1234));
        assert_eq!(
            parse_size("20 Мб"),
            Err(
                "size \"20 Мб\": unknown unit \"Мб\" (use B, KB, MB, GB, KiB, MiB or GiB)"
                    .to_string()
            )
        );
        assert!(parse_size("MB").is_err());
        assert!(parse_size("0").is_err());
    }
}
