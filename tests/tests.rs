//! Integration tests, built as one binary (one module per area).

mod analysis;
mod cli;
mod ingest;
mod lexicon;
mod pipeline;
mod reliability;
mod snowball;
mod util;
