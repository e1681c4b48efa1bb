//! Arbitrary bytes as a lexicon in the yaml format, through `lexicon::check_bytes` (and written
//! back in every format when it has no errors): any diagnostic is fine, a panic is not.
#![no_main]

use framelens::lexicon::Format;

libfuzzer_sys::fuzz_target!(|data: &[u8]| framelens_fuzz::lexicon(data, Format::Yaml));
