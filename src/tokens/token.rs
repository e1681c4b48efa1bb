//! The token type that every later stage reads.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;

/// The text of a token's `norm` or `stem`: an immutable string that is cheap to clone. Up to 24
/// bytes (nearly every word) it is stored inline (`compact_str::CompactString`), so the copy
/// the analyzer's word-form cache hands each occurrence needs neither an allocation nor an
/// atomic reference count (an `Arc<str>` spent most of the analyzer's own time in the count);
/// longer forms (URLs) are copied to the heap. It reads like a `&str` (`Deref`, `as_str`,
/// comparisons with `str` and `String`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TokenStr(CompactString);

impl TokenStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for TokenStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for TokenStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for TokenStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for TokenStr {
    fn from(s: &str) -> Self {
        TokenStr(CompactString::from(s))
    }
}

impl From<String> for TokenStr {
    fn from(s: String) -> Self {
        TokenStr(CompactString::from(s))
    }
}

impl fmt::Debug for TokenStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for TokenStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for TokenStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for TokenStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for TokenStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// What kind of thing a token is. Set by the segmenter, before any filter runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// A word, including hyphenated compounds ("long-range") and dotted abbreviations ("u.s.").
    Word,
    /// A number such as `2019`, `5,500` or `2.4`.
    Number,
    /// A URL (`https://…`, `www.…`).
    Url,
    /// An e-mail address.
    Email,
}

/// One token of a document.
///
/// `start..end` is a byte span into the document's clean text (NFC-normalized, boilerplate lines
/// removed), so `&text[t.start..t.end]` is always the token as the reader saw it. `norm` is the
/// form used for matching: lowercased (if configured), curly quotes, apostrophes and dashes folded
/// to ASCII, possessive `'s` stripped. `stem` is the Snowball stem of `norm` (equal to `norm` when
/// stemming is off or the token is not a word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the clean text.
    pub start: usize,
    /// Byte offset one past the last byte in the clean text.
    pub end: usize,
    /// Zero-based sentence index within the document.
    pub sentence: u32,
    /// Word, number, URL or e-mail.
    pub kind: TokenKind,
    /// Normalized surface form used for matching and for labels.
    pub norm: TokenStr,
    /// Snowball stem of `norm`.
    pub stem: TokenStr,
    /// True when `norm` is on the document language's stopword list.
    pub is_stop: bool,
    /// True when the token lies inside a quotation (“…”, «…», "…", ‘…’).
    pub quoted: bool,
}

/// A quotation found in the text: tokens `first_token..end_token` (token indices, half open) lie
/// between a matching pair of quotation marks, and `start..end` is the byte span including the marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSpan {
    /// Index of the first token inside the quotation.
    pub first_token: u32,
    /// One past the index of the last token inside the quotation.
    pub end_token: u32,
    /// Byte offset of the opening mark.
    pub start: usize,
    /// Byte offset one past the closing mark.
    pub end: usize,
}

/// The tokenizer's output for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenizedDoc {
    /// Tokens in text order, stopwords included (flagged by [`Token::is_stop`]).
    pub tokens: Vec<Token>,
    /// Number of sentences (the largest `sentence` index plus one; 0 for an empty text).
    pub n_sentences: u32,
    /// Quotations, in text order.
    pub quotes: Vec<QuoteSpan>,
}
