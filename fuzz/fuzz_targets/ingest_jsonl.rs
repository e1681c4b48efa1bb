//! Arbitrary bytes as a .jsonl corpus, read through `corpus::open` and `next_batch`: any error is
//! fine, a panic is not.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| framelens_fuzz::ingest(data, "jsonl"));
