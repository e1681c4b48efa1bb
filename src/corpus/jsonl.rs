//! JSONL (`.jsonl`, `.ndjson`): one JSON object per line, streamed line by line.
//!
//! Values may be strings, numbers or booleans (numbers and booleans are stringified as JSON
//! writes them); `null` is a missing value. A nested object or array is an error in a mapped
//! column and is carried through as compact JSON in an extra column. Blank lines are skipped.
//! The first object must have the id and text keys (an error lists its keys otherwise); a later
//! object without one of them has a missing value there. Extra columns are the keys not mapped,
//! in the order first seen.
//!
//! With `max-document-bytes` set, a line is held in memory only up to [`line_cap`] bytes; a
//! longer line is skipped (kind `too-large`) without being parsed, and the rest of it is read
//! past and dropped. A line within the cap is parsed and its text measured in `row.rs`.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::decode::DecodeReader;
use super::meta::Field;
use super::record::{SkipKind, Source};
use super::row::{show_bytes, RawRow};
use super::CorpusError;

/// A JSON object with its keys in the order written (serde_json's `Map` sorts them).
struct Object(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Object(entries))
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// A JSONL corpus: one document per non-blank line.
pub struct JsonlReader {
    path: PathBuf,
    reader: BufReader<DecodeReader<File>>,
    buf: Vec<u8>,
    /// The longest line held in memory ([`line_cap`]); `u64::MAX` without a size limit.
    cap: u64,
    /// `max-document-bytes` (0: no limit), for the message of a line over the cap.
    max_bytes: u64,
    line: u64,
    /// Non-blank lines read so far.
    rows: u64,
    id_key: String,
    text_key: String,
    fields: Vec<(Field, String)>,
    extra_names: Vec<String>,
    extra_seen: HashSet<String>,
}

impl JsonlReader {
    /// Open `path`; `id` and `text` are the keys of the id and text, `fields` the mapped keys.
    pub fn open(
        path: &Path,
        encoding: &'static Encoding,
        replace: bool,
        id: &str,
        text: &str,
        fields: &[(Field, &str)],
        max_bytes: u64,
    ) -> Result<Self, CorpusError> {
        let file = File::open(path).map_err(|e| CorpusError::io(path, e))?;
        Ok(JsonlReader {
            path: path.to_path_buf(),
            reader: BufReader::new(DecodeReader::new(file, encoding, replace)),
            buf: Vec::new(),
            cap: line_cap(max_bytes),
            max_bytes,
            line: 0,
            rows: 0,
            id_key: id.to_string(),
            text_key: text.to_string(),
            fields: fields.iter().map(|&(f, k)| (f, k.to_string())).collect(),
            extra_names: Vec::new(),
            extra_seen: HashSet::new(),
        })
    }

    /// Extra keys seen so far, in first-seen order.
    pub fn extra_names(&self) -> &[String] {
        &self.extra_names
    }

    /// The next row; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<RawRow>, CorpusError> {
        loop {
            self.buf.clear();
            let n = read_line_capped(&mut self.reader, &mut self.buf, self.cap)
                .map_err(|e| CorpusError::io(&self.path, e))?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if n > self.cap {
                let mut row = RawRow::new(Source::line(&self.path, self.line));
                row.skip = Some((
                    SkipKind::TooLarge,
                    format!(
                        "{}:{}: a line of {} cannot hold a text within max-document-bytes = {} \
                         (lines longer than {} are not read)",
                        self.path.display(),
                        self.line,
                        show_bytes(n),
                        self.max_bytes,
                        show_bytes(self.cap)
                    ),
                ));
                return Ok(Some(row));
            }
            if !self.buf.trim_ascii().is_empty() {
                break;
            }
        }
        // DecodeReader yields UTF-8, and a line that fit under the cap was read whole.
        let line = std::str::from_utf8(&self.buf).expect("DecodeReader yields UTF-8");
        let object: Object = serde_json::from_str(line).map_err(|e| {
            let message = e.to_string();
            // serde_json ends its message with " at line 1 column N"; the line is ours.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            self.malformed(format!("invalid JSON at column {}: {message}", e.column()))
        })?;
        let mut entries = object.0;
        for (i, (key, _)) in entries.iter().enumerate() {
            if entries[..i].iter().any(|(k, _)| k == key) {
                return Err(self.malformed(format!("key {key:?} appears twice")));
            }
        }
        self.rows += 1;
        if self.rows == 1 {
            for key in [&self.id_key, &self.text_key] {
                if !entries.iter().any(|(k, _)| k == key) {
                    return Err(CorpusError::MissingColumn {
                        file: self.path.clone(),
                        column: key.clone(),
                        available: entries.iter().map(|(k, _)| k.clone()).collect(),
                        hint: String::new(),
                    });
                }
            }
        }

        let mut row = RawRow::new(Source::line(&self.path, self.line));
        let mut take = |key: &str| -> Result<Option<String>, CorpusError> {
            match entries.iter().position(|(k, _)| k == key) {
                Some(i) => self.scalar(key, entries.remove(i).1),
                None => Ok(None),
            }
        };
        row.id = take(&self.id_key)?;
        row.text = take(&self.text_key)?;
        for (field, key) in &self.fields {
            if let Some(value) = take(key)? {
                row.fields.set(*field, value);
            }
        }
        for (key, value) in entries {
            let value = match value {
                Value::Null => continue,
                Value::String(s) => s,
                other => other.to_string(),
            };
            if self.extra_seen.insert(key.clone()) {
                self.extra_names.push(key.clone());
            }
            row.extra.push((key, value));
        }
        Ok(Some(row))
    }

    /// A mapped value as a string; `None` for null.
    fn scalar(&self, key: &str, value: Value) -> Result<Option<String>, CorpusError> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Array(_) | Value::Object(_) => Err(self.malformed(format!(
                "key {key:?} holds {}; mapped keys need a string, number or boolean",
                if value.is_array() {
                    "an array"
                } else {
                    "an object"
                }
            ))),
        }
    }

    fn malformed(&self, message: String) -> CorpusError {
        CorpusError::MalformedRow {
            file: self.path.clone(),
            line: self.line,
            message,
        }
    }
}

/// The longest JSONL line read into memory under `max-document-bytes = max_bytes`: three times
/// the limit (JSON may write each UTF-8 sequence of a text as `\uXXXX` escapes, up to three
/// times its size, as Python's `json.dumps` does by default for Cyrillic) plus 1 MiB for the
/// other keys. A longer line cannot hold a text within the limit unless its other keys are
/// larger than 1 MiB. No cap when `max_bytes` is 0.
pub fn line_cap(max_bytes: u64) -> u64 {
    if max_bytes == 0 {
        return u64::MAX;
    }
    max_bytes.saturating_mul(3).saturating_add(1 << 20)
}

/// Reads one line (up to and including `\n`, or to the end of the input) and returns its length
/// in bytes. Only the first `cap` bytes are appended to `buf`; the rest of a longer line is read
/// and dropped, so the returned length is larger than `cap` exactly when `buf` holds a prefix.
fn read_line_capped<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    cap: u64,
) -> std::io::Result<u64> {
    let mut total = 0u64;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(total);
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = cap.saturating_sub(total);
        let keep = chunk.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        buf.extend_from_slice(&chunk[..keep]);
        total += chunk.len() as u64;
        let used = chunk.len();
        reader.consume(used);
        if done {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn line_cap_is_three_times_the_limit_plus_one_mib() {
        assert_eq!(line_cap(0), u64::MAX);
        assert_eq!(line_cap(70), 3 * 70 + 1_048_576);
        assert_eq!(line_cap(u64::MAX), u64::MAX);
    }

    proptest! {
        /// Reading capped lines returns each line's full length, holds at most `cap` bytes of
        /// it (its prefix), and leaves the reader at the start of the next line, whatever the
        /// buffer size of the reader.
        #[test]
        fn capped_lines_keep_a_prefix_and_resume_at_the_next_line(
            lines in proptest::collection::vec("[a-zя\"{}: ]{0,40}", 0..8),
            cap in 0u64..50,
            capacity in 1usize..16,
            final_newline: bool,
        ) {
            let mut input = lines.join("\n");
            if final_newline && !lines.is_empty() {
                input.push('\n');
            }
            let mut reader = BufReader::with_capacity(capacity, input.as_bytes());
            let mut expected: Vec<&str> = input.split_inclusive('\n').collect();
            if input.is_empty() {
                expected.clear();
            }
            for line in expected {
                let mut buf = Vec::new();
                let n = read_line_capped(&mut reader, &mut buf, cap).unwrap();
                prop_assert_eq!(n, line.len() as u64);
                let kept = line.len().min(cap as usize);
                prop_assert_eq!(&buf[..], &line.as_bytes()[..kept]);
            }
            let mut buf = Vec::new();
            prop_assert_eq!(read_line_capped(&mut reader, &mut buf, cap).unwrap(), 0);
            prop_assert!(buf.is_empty());
        }
    }
}
