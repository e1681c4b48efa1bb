//! Decoding: bytes in the configured encoding -> a stream of UTF-8 text with LF line endings.
//!
//! [`DecodeReader`] wraps any byte reader, so the CSV, JSONL and folder readers all see the same
//! text: a byte-order mark is removed (and, as in browsers, overrides the configured encoding),
//! bytes are decoded with `encoding_rs`, and CRLF and lone CR become LF, so line numbers agree
//! across formats. A byte sequence that is invalid in the encoding is either an error that
//! carries its byte offset in the input and its line, or, in replace mode, U+FFFD.

use std::io::{self, Read};

use encoding_rs::{CoderResult, DecoderResult, Encoding};

/// Bytes that are not valid in the encoding, found at `offset` (from the start of the input,
/// counting a BOM) on `line` (1-based, counted in LF-terminated lines).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: invalid {encoding} at byte offset {offset}")]
pub struct DecodeError {
    /// Byte offset of the first invalid byte in the raw input.
    pub offset: u64,
    /// Line of the invalid byte (1-based).
    pub line: u64,
    /// Name of the encoding (e.g. `UTF-8`).
    pub encoding: &'static str,
}

/// Resolve an encoding label (`"windows-1251"`, `"cp1251"`, `"latin1"`, …) per the WHATWG
/// Encoding Standard; `None` means UTF-8. Returns `Err(label)` for an unknown label.
pub fn encoding_for(label: Option<&str>) -> Result<&'static Encoding, String> {
    match label {
        None => Ok(encoding_rs::UTF_8),
        Some(label) => {
            Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| label.to_string())
        }
    }
}

/// Size of the raw and decoded buffers.
const BUF: usize = 64 * 1024;

/// A `Read` adapter yielding valid UTF-8 with LF line endings from input in any encoding.
///
/// In error mode, the first invalid sequence makes `read` return an `io::Error` of kind
/// `InvalidData` wrapping a [`DecodeError`] (get it back with [`decode_error`]); the text before
/// it is handed out first.
pub struct DecodeReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static str,
    replace: bool,
    raw: Box<[u8]>,
    raw_start: usize,
    raw_end: usize,
    raw_eof: bool,
    out: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// Raw bytes consumed by the decoder so far.
    consumed: u64,
    /// LF characters handed out or buffered so far.
    newlines: u64,
    /// The last decoded byte was CR (so a following LF is dropped).
    after_cr: bool,
    pending: Option<DecodeError>,
    done: bool,
}

impl<R: Read> DecodeReader<R> {
    /// Decode `inner` with `encoding`; `replace` selects U+FFFD for invalid input instead of an
    /// error.
    pub fn new(inner: R, encoding: &'static Encoding, replace: bool) -> Self {
        DecodeReader {
            inner,
            // `new_decoder` sniffs a BOM: UTF-8 and UTF-16 BOMs are removed and win over the label.
            decoder: encoding.new_decoder(),
            encoding: encoding.name(),
            replace,
            raw: vec![0; BUF].into_boxed_slice(),
            raw_start: 0,
            raw_end: 0,
            raw_eof: false,
            out: vec![0; BUF].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            consumed: 0,
            newlines: 0,
            after_cr: false,
            pending: None,
            done: false,
        }
    }

    /// Decode the next chunk into `out`. Leaves `out` empty only at the end or on an error.
    fn fill(&mut self) -> io::Result<()> {
        self.out_start = 0;
        self.out_end = 0;
        while self.out_end == 0 && !self.done && self.pending.is_none() {
            if self.raw_start == self.raw_end && !self.raw_eof {
                let n = loop {
                    match self.inner.read(&mut self.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.raw_start = 0;
                self.raw_end = n;
                self.raw_eof = n == 0;
            }
            let src = &self.raw[self.raw_start..self.raw_end];
            let last = self.raw_eof;
            let (finished, read, written) = if self.replace {
                let (result, read, written, _) =
                    self.decoder.decode_to_utf8(src, &mut self.out, last);
                (result == CoderResult::InputEmpty, read, written)
            } else {
                let (result, read, written) =
                    self.decoder
                        .decode_to_utf8_without_replacement(src, &mut self.out, last);
                if let DecoderResult::Malformed(bad, after) = result {
                    // The malformed sequence is `bad` bytes long and ends `after` bytes before
                    // the end of what was read.
                    let offset = self.consumed + read as u64 - after as u64 - bad as u64;
                    let line = self.newlines + line_breaks(&self.out[..written], self.after_cr) + 1;
                    self.pending = Some(DecodeError {
                        offset,
                        line,
                        encoding: self.encoding,
                    });
                }
                (result == DecoderResult::InputEmpty, read, written)
            };
            self.raw_start += read;
            self.consumed += read as u64;
            self.out_end = self.normalize_newlines(written);
            if finished && last {
                self.done = true;
            }
        }
        Ok(())
    }

    /// Rewrite CRLF and lone CR as LF in `out[..len]`, in place; returns the new length.
    fn normalize_newlines(&mut self, len: usize) -> usize {
        // Without a CR in the chunk and none just before it nothing moves: only count the LFs
        // (one pass that counts LFs and CRs together, which the compiler vectorizes) instead of
        // going byte by byte with the state.
        // `len` is at most `BUF` (64 KiB), so a `u32` count cannot overflow; narrow lanes make
        // the vector loop wider.
        let (lf, cr) = self.out[..len].iter().fold((0u32, false), |(lf, cr), &b| {
            (lf + u32::from(b == b'\n'), cr | (b == b'\r'))
        });
        if !self.after_cr && !cr {
            self.newlines += u64::from(lf);
            return len;
        }
        let mut w = 0;
        for r in 0..len {
            let b = self.out[r];
            let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
            if b == b'\n' && after_cr {
                continue;
            }
            let b = if b == b'\r' { b'\n' } else { b };
            if b == b'\n' {
                self.newlines += 1;
            }
            self.out[w] = b;
            w += 1;
        }
        w
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.out_start == self.out_end {
            self.fill()?;
        }
        if self.out_start == self.out_end {
            return match self.pending.take() {
                Some(err) => Err(io::Error::new(io::ErrorKind::InvalidData, err)),
                None => Ok(0),
            };
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

/// Line breaks in `bytes` as [`DecodeReader`] counts them once normalized: CRLF, lone CR and LF
/// are one break each. `after_cr` says the byte before `bytes` was a CR (so a leading LF is the
/// second half of a CRLF already counted).
fn line_breaks(bytes: &[u8], mut after_cr: bool) -> u64 {
    let mut n = 0;
    for &b in bytes {
        if b == b'\r' || (b == b'\n' && !after_cr) {
            n += 1;
        }
        after_cr = b == b'\r';
    }
    n
}

/// The [`DecodeError`] inside an `io::Error` returned by a [`DecodeReader`], if it is one.
pub fn decode_error(err: &io::Error) -> Option<&DecodeError> {
    err.get_ref()
        .and_then(|inner| inner.downcast_ref::<DecodeError>())
}

/// Decode a whole input into a `String` (used for one text file of a folder corpus).
pub fn read_to_string<R: Read>(
    inner: R,
    encoding: &'static Encoding,
    replace: bool,
) -> io::Result<String> {
    let mut text = String::new();
    DecodeReader::new(inner, encoding, replace).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode(bytes: &[u8], label: Option<&str>, replace: bool) -> Result<String, DecodeError> {
        let encoding = encoding_for(label).unwrap();
        read_to_string(bytes, encoding, replace).map_err(|e| decode_error(&e).unwrap().clone())
    }

    #[test]
    fn windows_1251_cyrillic_round_trip() {
        let original = "Заявление МИД — «ответ будет военным»\r\nВторая строка";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(original);
        assert!(!unmappable);
        assert_eq!(bytes.len(), original.chars().count());
        assert_eq!(
            decode(&bytes, Some("windows-1251"), false).unwrap(),
            "Заявление МИД — «ответ будет военным»\nВторая строка"
        );
        assert_eq!(
            decode(&bytes, Some("cp1251"), false)
                .unwrap()
                .lines()
                .count(),
            2
        );
    }

    #[test]
    fn windows_1252_curly_quotes() {
        // 0x93 / 0x94 are “ ” and 0x96 is an en dash in windows-1252.
        let bytes = b"\x93Yes\x94 \x96 caf\xe9";
        assert_eq!(
            decode(bytes, Some("windows-1252"), false).unwrap(),
            "“Yes” – café"
        );
    }

    #[test]
    fn unknown_label_is_rejected() {
        assert_eq!(encoding_for(Some("klingon-8")).unwrap_err(), "klingon-8");
        assert_eq!(encoding_for(None).unwrap().name(), "UTF-8");
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        // "Мир\n" is 7 bytes, "ок\n" 5 more, "ab" 2 more: the bad byte is at offset 14 on line 3.
        let bytes = b"\xd0\x9c\xd0\xb8\xd1\x80\n\xd0\xbe\xd0\xba\nab\xffcd";
        let err = decode(bytes, None, false).unwrap_err();
        assert_eq!(
            err,
            DecodeError {
                offset: 14,
                line: 3,
                encoding: "UTF-8"
            }
        );
        assert_eq!(err.to_string(), "line 3: invalid UTF-8 at byte offset 14");
    }

    #[test]
    fn truncated_sequence_at_end_and_crlf_lines() {
        // A lone lead byte of a two-byte sequence at the very end; CRLF counts as one line break.
        let bytes = b"one\r\ntwo\r\n\xd0";
        let err = decode(bytes, None, false).unwrap_err();
        assert_eq!((err.offset, err.line), (10, 3));
    }

    /// Issue #8: with CR-only line endings (old Mac files) the line of an invalid byte was
    /// counted from LF characters only, so every error was reported on line 1.
    #[test]
    fn cr_only_line_endings_count_lines_before_an_invalid_byte() {
        // "Мир\r" is 7 bytes, "ок\r" 5 more: the bad byte is at offset 12 on line 3.
        let bytes = b"\xd0\x9c\xd0\xb8\xd1\x80\r\xd0\xbe\xd0\xba\r\xffcd";
        let err = decode(bytes, None, false).unwrap_err();
        assert_eq!((err.offset, err.line), (12, 3));
        // Mixed endings: CRLF, CR, LF, then CR CR (an empty line): line 6.
        let err = decode(b"a\r\nb\rc\nd\r\r\xff", None, false).unwrap_err();
        assert_eq!((err.offset, err.line), (10, 6));
        // A CRLF split by the read buffer is one break: the LF opens the next chunk.
        assert_eq!(line_breaks(b"\nx\r", true), 1);
        assert_eq!(line_breaks(b"\nx\r", false), 2);
    }

    #[test]
    fn replace_mode_uses_replacement_character() {
        let bytes = b"\xe2\x80\x9cok\xff\xe2\x80\x9d";
        assert_eq!(decode(bytes, None, true).unwrap(), "“ok\u{FFFD}”");
    }

    #[test]
    fn bom_is_removed_and_overrides_label() {
        assert_eq!(
            decode(b"\xef\xbb\xbf\xc3\xa9t\xc3\xa9", None, false).unwrap(),
            "été"
        );
        // A UTF-8 BOM wins over a windows-1251 label.
        assert_eq!(
            decode(b"\xef\xbb\xbf\xd0\x94\xd0\xb0", Some("windows-1251"), false).unwrap(),
            "Да"
        );
        // The offset of a later error counts the BOM bytes.
        assert_eq!(
            decode(b"\xef\xbb\xbfa\xff", None, false)
                .unwrap_err()
                .offset,
            4
        );
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(
            decode(b"a\r\nb\rc\n\r\nd\r", None, false).unwrap(),
            "a\nb\nc\n\nd\n"
        );
    }

    #[test]
    fn crlf_split_across_reads_is_one_break() {
        // A reader that returns one byte at a time splits every CRLF.
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match self.0.split_first() {
                    Some((&b, rest)) if !buf.is_empty() => {
                        buf[0] = b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let text = read_to_string(
            OneByte("«а»\r\n—\r\r\n".as_bytes()),
            encoding_rs::UTF_8,
            false,
        );
        assert_eq!(text.unwrap(), "«а»\n—\n\n");
    }

    proptest! {
        #[test]
        fn valid_utf8_passes_through_with_lf(s in "(\\PC|\r|\n){0,200}") {
            let expected = s.replace("\r\n", "\n").replace('\r', "\n");
            prop_assert_eq!(decode(s.as_bytes(), None, false).unwrap(), expected);
        }

        /// Line numbers of an error count every break before it, whatever the chunks the
        /// input arrives in (CRLF split across chunks, chunks with and without a CR).
        #[test]
        fn error_line_counts_breaks_across_chunks(
            s in "(\\PC|\r|\n|\r\n){0,200}",
            chunk in 1usize..9,
        ) {
            struct Chunks<'a>(&'a [u8], usize);
            impl Read for Chunks<'_> {
                fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                    let n = self.0.len().min(self.1).min(buf.len());
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            let mut bytes = s.as_bytes().to_vec();
            bytes.push(0xFF);
            let err = read_to_string(Chunks(&bytes, chunk), encoding_rs::UTF_8, false)
                .unwrap_err();
            let breaks = s.replace("\r\n", "\n").replace('\r', "\n").matches('\n').count();
            prop_assert_eq!(decode_error(&err).unwrap().line, breaks as u64 + 1);
            prop_assert_eq!(decode_error(&err).unwrap().offset, s.len() as u64);
        }
    }
}
