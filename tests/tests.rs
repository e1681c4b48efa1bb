//! Integration tests, built as one binary (one module per area).

mod cli;
mod ingest;
mod pipeline;
mod snowball;
mod util;
