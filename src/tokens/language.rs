//! Document languages: the 18 languages that have a Snowball stemmer in `rust-stemmers`.

use std::fmt;
use std::str::FromStr;

use rust_stemmers::Algorithm;

use super::TokensError;

/// A document language. There is one variant per `rust_stemmers::Algorithm`, so every language
/// has a stemmer; all but Tamil also have a built-in (NLTK) stopword list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// Arabic (`ar`, `ara`).
    Arabic,
    /// Danish (`da`, `dan`).
    Danish,
    /// Dutch (`nl`, `nld`, `dut`).
    Dutch,
    /// English (`en`, `eng`).
    English,
    /// Finnish (`fi`, `fin`).
    Finnish,
    /// French (`fr`, `fra`, `fre`).
    French,
    /// German (`de`, `deu`, `ger`).
    German,
    /// Modern Greek (`el`, `ell`, `gre`).
    Greek,
    /// Hungarian (`hu`, `hun`).
    Hungarian,
    /// Italian (`it`, `ita`).
    Italian,
    /// Norwegian (`no`, `nor`; Bokmål `nb`, `nob`).
    Norwegian,
    /// Portuguese (`pt`, `por`).
    Portuguese,
    /// Romanian (`ro`, `ron`, `rum`).
    Romanian,
    /// Russian (`ru`, `rus`).
    Russian,
    /// Spanish (`es`, `spa`).
    Spanish,
    /// Swedish (`sv`, `swe`).
    Swedish,
    /// Tamil (`ta`, `tam`). No built-in stopword list.
    Tamil,
    /// Turkish (`tr`, `tur`).
    Turkish,
}

/// Every language with its ISO 639-1 code, ISO 639-3 code, other accepted codes (ISO 639-2/B
/// bibliographic codes, Norwegian Bokmål) and English name.
const TABLE: [(Language, &str, &str, &[&str], &str); 18] = [
    (Language::Arabic, "ar", "ara", &[], "arabic"),
    (Language::Danish, "da", "dan", &[], "danish"),
    (Language::Dutch, "nl", "nld", &["dut"], "dutch"),
    (Language::English, "en", "eng", &[], "english"),
    (Language::Finnish, "fi", "fin", &[], "finnish"),
    (Language::French, "fr", "fra", &["fre"], "french"),
    (Language::German, "de", "deu", &["ger"], "german"),
    (Language::Greek, "el", "ell", &["gre"], "greek"),
    (Language::Hungarian, "hu", "hun", &[], "hungarian"),
    (Language::Italian, "it", "ita", &[], "italian"),
    (
        Language::Norwegian,
        "no",
        "nor",
        &["nb", "nob"],
        "norwegian",
    ),
    (Language::Portuguese, "pt", "por", &[], "portuguese"),
    (Language::Romanian, "ro", "ron", &["rum"], "romanian"),
    (Language::Russian, "ru", "rus", &[], "russian"),
    (Language::Spanish, "es", "spa", &[], "spanish"),
    (Language::Swedish, "sv", "swe", &[], "swedish"),
    (Language::Tamil, "ta", "tam", &[], "tamil"),
    (Language::Turkish, "tr", "tur", &[], "turkish"),
];

impl Language {
    /// All languages, in declaration order.
    pub const ALL: [Language; 18] = [
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];

    /// Parses a language code or name, case-insensitively: ISO 639-1 (`"en"`, `"ru"`), ISO 639-3
    /// (`"eng"`, `"rus"`), ISO 639-2/B (`"ger"`, `"fre"`) or the English name (`"english"`,
    /// `"Russian"`). A BCP 47 tag such as `"en-US"` or `"ru_RU"` is read by its primary subtag.
    /// Returns `None` for anything else, including languages without a stemmer.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim();
        let primary = match code.find(['-', '_']) {
            Some(i) => &code[..i],
            None => code,
        };
        TABLE
            .iter()
            .find(|(_, two, three, other, name)| {
                primary.eq_ignore_ascii_case(two)
                    || primary.eq_ignore_ascii_case(three)
                    || primary.eq_ignore_ascii_case(name)
                    || other.iter().any(|o| primary.eq_ignore_ascii_case(o))
            })
            .map(|row| row.0)
    }

    /// The ISO 639-1 code, e.g. `"en"`.
    pub fn code(self) -> &'static str {
        self.row().1
    }

    /// The lowercase English name, e.g. `"english"`.
    pub fn name(self) -> &'static str {
        self.row().4
    }

    /// The `rust_stemmers` algorithm for this language.
    pub fn algorithm(self) -> Algorithm {
        match self {
            Language::Arabic => Algorithm::Arabic,
            Language::Danish => Algorithm::Danish,
            Language::Dutch => Algorithm::Dutch,
            Language::English => Algorithm::English,
            Language::Finnish => Algorithm::Finnish,
            Language::French => Algorithm::French,
            Language::German => Algorithm::German,
            Language::Greek => Algorithm::Greek,
            Language::Hungarian => Algorithm::Hungarian,
            Language::Italian => Algorithm::Italian,
            Language::Norwegian => Algorithm::Norwegian,
            Language::Portuguese => Algorithm::Portuguese,
            Language::Romanian => Algorithm::Romanian,
            Language::Russian => Algorithm::Russian,
            Language::Spanish => Algorithm::Spanish,
            Language::Swedish => Algorithm::Swedish,
            Language::Tamil => Algorithm::Tamil,
            Language::Turkish => Algorithm::Turkish,
        }
    }

    /// The `stop_words` crate code of this language's NLTK list, or `None` when NLTK has no list
    /// (Tamil). `stop_words::get` panics on a code it does not know, so it is only ever called
    /// with a code from here.
    pub fn stopword_code(self) -> Option<&'static str> {
        match self {
            Language::Tamil => None,
            other => Some(other.code()),
        }
    }

    fn row(
        self,
    ) -> &'static (
        Language,
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static str,
    ) {
        // TABLE is in the same order as the enum, so the discriminant indexes it.
        &TABLE[self as usize]
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = TokensError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::from_code(s).ok_or_else(|| TokensError::UnknownLanguage(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_matches_enum() {
        for (i, lang) in Language::ALL.iter().enumerate() {
            assert_eq!(TABLE[i].0, *lang);
            assert_eq!(*lang as usize, i);
        }
    }

    #[test]
    fn parses_codes_and_names() {
        assert_eq!(Language::from_code("en"), Some(Language::English));
        assert_eq!(Language::from_code("EN"), Some(Language::English));
        assert_eq!(Language::from_code("eng"), Some(Language::English));
        assert_eq!(Language::from_code("english"), Some(Language::English));
        assert_eq!(Language::from_code("ru"), Some(Language::Russian));
        assert_eq!(Language::from_code("rus"), Some(Language::Russian));
        assert_eq!(Language::from_code("Russian"), Some(Language::Russian));
        assert_eq!(Language::from_code("ru-RU"), Some(Language::Russian));
        assert_eq!(Language::from_code("en_GB"), Some(Language::English));
        assert_eq!(Language::from_code("ger"), Some(Language::German));
        assert_eq!(Language::from_code("nb"), Some(Language::Norwegian));
        assert_eq!(Language::from_code(" ta "), Some(Language::Tamil));
        assert_eq!(Language::from_code("uk"), None);
        assert_eq!(Language::from_code("русский"), None);
        assert_eq!(Language::from_code(""), None);
        assert_eq!("de".parse::<Language>().unwrap(), Language::German);
        let err = "xx".parse::<Language>().unwrap_err();
        assert_eq!(err.to_string(), "unknown language \"xx\" (expected an ISO 639 code or English name of a language with a Snowball stemmer)");
    }

    #[test]
    fn every_language_round_trips() {
        for lang in Language::ALL {
            assert_eq!(Language::from_code(lang.code()), Some(lang));
            assert_eq!(Language::from_code(lang.name()), Some(lang));
            assert_eq!(Language::from_code(TABLE[lang as usize].2), Some(lang));
        }
        assert_eq!(Language::Russian.to_string(), "ru");
    }

    #[test]
    fn stopword_codes_exist_in_the_stop_words_crate() {
        // Would panic inside stop_words::get if a code were unknown.
        for lang in Language::ALL {
            if let Some(code) = lang.stopword_code() {
                assert!(!stop_words::get(code).is_empty(), "{code}");
            }
        }
        assert_eq!(Language::Tamil.stopword_code(), None);
    }
}
