//! Arbitrary bytes -> UTF-8 (lossy) -> `Analyzer::analyze` in English and Russian; the token and
//! quote spans must be valid, ordered and on character boundaries.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| framelens_fuzz::tokenizer(data));
