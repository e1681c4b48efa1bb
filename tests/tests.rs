//! Integration tests, built as one binary (one module per area).

mod analysis;
mod bad_inputs;
mod cli;
mod compare;
mod ingest;
mod lexicon;
mod pipeline;
mod regressions;
mod reliability;
mod report;
mod shard;
mod snowball;
mod util;
