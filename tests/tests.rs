//! Integration tests, built as one binary (one module per area).

mod cli;
mod ingest;
mod lexicon;
mod pipeline;
mod snowball;
mod util;
