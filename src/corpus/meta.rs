//! Metadata resolution: raw column values -> [`Metadata`]. Value maps and outlet aliases
//! (`[corpus.map.*]`), group from outlet (`[corpus.group-of-outlet]`) and date parsing
//! (`date-formats`).
//!
//! Lookup in a value map: the raw value exactly, then its trimmed, lowercased form (Unicode
//! lowercase) against the keys' trimmed, lowercased forms. A value that is not in the map passes
//! through trimmed; an empty value is `None`.

use std::collections::{BTreeMap, HashMap};

use chrono::format::{Item, StrftimeItems};
use chrono::NaiveDate;

use super::config::CorpusConfig;
use super::record::Metadata;
use super::CorpusError;

/// Fields that may have a value map.
pub const MAPPABLE_FIELDS: [&str; 4] = ["outlet", "group", "event", "language"];

/// A value map (raw value -> value), with case-insensitive fallback.
#[derive(Debug, Clone, Default)]
pub struct ValueMap {
    exact: HashMap<String, String>,
    folded: HashMap<String, String>,
}

fn fold(value: &str) -> String {
    value.trim().to_lowercase()
}

impl ValueMap {
    /// Build the map for `field` (used in error messages). Two keys that differ only in case or
    /// surrounding whitespace but map to different values are an error: the fallback would be
    /// ambiguous.
    pub fn new(field: &str, entries: &BTreeMap<String, String>) -> Result<Self, CorpusError> {
        let mut map = ValueMap::default();
        // The BTreeMap iterates in key order, so which key is named "first" is deterministic.
        let mut first_key: HashMap<String, &str> = HashMap::new();
        for (key, value) in entries {
            let folded = fold(key);
            if let Some(previous) = map.folded.get(&folded) {
                if previous != value {
                    return Err(CorpusError::BadConfig(format!(
                        "{field}: keys {:?} and {key:?} differ only in case or spaces but map to \
                         {previous:?} and {value:?}",
                        first_key[&folded]
                    )));
                }
            }
            first_key.entry(folded.clone()).or_insert(key);
            map.folded.insert(folded, value.clone());
            map.exact.insert(key.clone(), value.clone());
        }
        Ok(map)
    }

    /// The mapped value of `raw`, if the map has it.
    pub fn get(&self, raw: &str) -> Option<&str> {
        self.exact
            .get(raw)
            .or_else(|| self.folded.get(&fold(raw)))
            .map(String::as_str)
    }

    /// The mapped value, or `raw` trimmed; `None` when that is empty.
    pub fn apply(&self, raw: Option<&str>) -> Option<String> {
        let raw = raw?;
        let value = self.get(raw).unwrap_or(raw).trim();
        (!value.is_empty()).then(|| value.to_string())
    }
}

/// chrono `strftime` formats tried in order.
#[derive(Debug, Clone)]
pub struct DateParser {
    formats: Vec<String>,
}

impl DateParser {
    /// Check the formats: at least one, each a valid `strftime` format.
    pub fn new(formats: &[String]) -> Result<Self, CorpusError> {
        if formats.is_empty() {
            return Err(CorpusError::BadConfig("date-formats is empty".to_string()));
        }
        for format in formats {
            if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
                return Err(CorpusError::BadConfig(format!(
                    "date-formats: {format:?} is not a valid strftime format"
                )));
            }
        }
        Ok(DateParser {
            formats: formats.to_vec(),
        })
    }

    /// The date of the first format that matches the whole trimmed value. Formats with a time
    /// yield their calendar date as written (no time-zone conversion).
    pub fn parse(&self, value: &str) -> Option<NaiveDate> {
        let value = value.trim();
        self.formats
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(value, format).ok())
    }

    /// The formats, quoted and comma-separated, for messages.
    pub fn describe(&self) -> String {
        let quoted: Vec<String> = self.formats.iter().map(|f| format!("{f:?}")).collect();
        quoted.join(", ")
    }
}

/// Raw values of the metadata fields of one row, before maps and parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFields {
    /// Raw outlet.
    pub outlet: Option<String>,
    /// Raw group.
    pub group: Option<String>,
    /// Raw event.
    pub event: Option<String>,
    /// Raw date.
    pub date: Option<String>,
    /// Raw language.
    pub language: Option<String>,
    /// Raw title.
    pub title: Option<String>,
    /// Raw URL.
    pub url: Option<String>,
}

/// A metadata field with a column in the input (id and text are handled by the readers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `columns.outlet`.
    Outlet,
    /// `columns.group`.
    Group,
    /// `columns.event`.
    Event,
    /// `columns.date`.
    Date,
    /// `columns.language`.
    Language,
    /// `columns.title`.
    Title,
    /// `columns.url`.
    Url,
}

impl RawFields {
    /// Set the raw value of `field`.
    pub fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Outlet => &mut self.outlet,
            Field::Group => &mut self.group,
            Field::Event => &mut self.event,
            Field::Date => &mut self.date,
            Field::Language => &mut self.language,
            Field::Title => &mut self.title,
            Field::Url => &mut self.url,
        };
        *slot = Some(value);
    }
}

/// The mapped metadata columns of a configuration, as (field, column name), in field order.
pub fn mapped_fields(config: &CorpusConfig) -> Vec<(Field, &str)> {
    let c = &config.columns;
    [
        (Field::Outlet, &c.outlet),
        (Field::Group, &c.group),
        (Field::Event, &c.event),
        (Field::Date, &c.date),
        (Field::Language, &c.language),
        (Field::Title, &c.title),
        (Field::Url, &c.url),
    ]
    .into_iter()
    .filter_map(|(field, name)| name.as_deref().map(|name| (field, name)))
    .collect()
}

/// Turns [`RawFields`] into [`Metadata`].
#[derive(Debug, Clone)]
pub struct MetaResolver {
    outlet: ValueMap,
    group: ValueMap,
    event: ValueMap,
    language: ValueMap,
    group_of_outlet: ValueMap,
    dates: DateParser,
}

impl MetaResolver {
    /// Check and compile the maps and date formats of `config`.
    pub fn new(config: &CorpusConfig) -> Result<Self, CorpusError> {
        if let Some(field) = config
            .map
            .keys()
            .find(|f| !MAPPABLE_FIELDS.contains(&f.as_str()))
        {
            return Err(CorpusError::BadConfig(format!(
                "map.{field}: unknown field {field:?} (value maps exist for: {})",
                MAPPABLE_FIELDS.join(", ")
            )));
        }
        let map = |field: &str| match config.map.get(field) {
            Some(entries) => ValueMap::new(&format!("map.{field}"), entries),
            None => Ok(ValueMap::default()),
        };
        Ok(MetaResolver {
            outlet: map("outlet")?,
            group: map("group")?,
            event: map("event")?,
            language: map("language")?,
            group_of_outlet: ValueMap::new("group-of-outlet", &config.group_of_outlet)?,
            dates: DateParser::new(&config.date_formats)?,
        })
    }

    /// Resolve one row's metadata. A date that matches no format leaves `date` as `None` and
    /// returns the raw value as the second element, for the skip reason.
    pub fn resolve(
        &self,
        raw: RawFields,
        extra: Vec<(String, String)>,
    ) -> (Metadata, Option<String>) {
        let outlet = self.outlet.apply(raw.outlet.as_deref());
        let group = self.group.apply(raw.group.as_deref()).or_else(|| {
            let outlet = outlet.as_deref()?;
            self.group_of_outlet.get(outlet).map(str::to_string)
        });
        let date_value = raw.date.filter(|d| !d.trim().is_empty());
        let date = date_value.as_deref().and_then(|d| self.dates.parse(d));
        let bad_date = if date.is_none() { date_value } else { None };
        let meta = Metadata {
            outlet,
            group,
            event: self.event.apply(raw.event.as_deref()),
            date,
            language: self.language.apply(raw.language.as_deref()),
            title: non_empty(raw.title),
            url: non_empty(raw.url),
            extra,
        };
        (meta, bad_date)
    }

    /// The date formats, for messages.
    pub fn date_formats(&self) -> String {
        self.dates.describe()
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    let value = value?;
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn value_map_exact_then_case_insensitive() {
        let map = ValueMap::new(
            "map.outlet",
            &entries(&[
                ("The Huffington Post", "HuffPost"),
                ("thehuffingtonpost", "HuffPost"),
                ("Коммерсантъ", "Kommersant"),
                ("-40316705", "RT"),
            ]),
        )
        .unwrap();
        assert_eq!(map.get("-40316705"), Some("RT"));
        assert_eq!(map.get("  THE HUFFINGTON POST "), Some("HuffPost"));
        assert_eq!(map.get("TheHuffingtonPost"), Some("HuffPost"));
        assert_eq!(map.get("КОММЕРСАНТЪ"), Some("Kommersant"));
        assert_eq!(map.get("Meduza"), None);
        assert_eq!(map.apply(Some(" Медуза ")), Some("Медуза".to_string()));
        assert_eq!(map.apply(Some("  ")), None);
        assert_eq!(map.apply(None), None);
    }

    #[test]
    fn exact_match_wins_over_folded() {
        let map = ValueMap::new("map.group", &entries(&[("State", "state")])).unwrap();
        assert_eq!(map.get("state"), Some("state"));
        let map = ValueMap::new("map.group", &entries(&[("a", "x"), ("A", "x")])).unwrap();
        assert_eq!(map.get("A"), Some("x"));
    }

    #[test]
    fn ambiguous_fold_is_an_error() {
        let err = ValueMap::new("map.outlet", &entries(&[("РБК", "RBC"), ("рбк", "РБК-ТВ")]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "map.outlet: keys \"РБК\" and \"рбк\" differ only in case or spaces but map to \
             \"RBC\" and \"РБК-ТВ\""
        );
    }

    #[test]
    fn unknown_map_field_is_an_error() {
        let mut config = CorpusConfig::new("x.csv");
        config.map.insert("otlet".into(), entries(&[("a", "b")]));
        let err = MetaResolver::new(&config).unwrap_err().to_string();
        assert_eq!(
            err,
            "map.otlet: unknown field \"otlet\" (value maps exist for: outlet, group, event, language)"
        );
    }

    #[test]
    fn dates_in_several_formats() {
        let default = DateParser::new(&CorpusConfig::new("x").date_formats).unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(default.parse("2021-12-13"), d(2021, 12, 13));
        assert_eq!(default.parse(" 2022-01-15T23:30:00-05:00 "), d(2022, 1, 15));
        assert_eq!(default.parse("2022-01-15T08:00:00Z"), d(2022, 1, 15));
        assert_eq!(default.parse("2022-01-15T08:00:00.250"), d(2022, 1, 15));
        assert_eq!(default.parse("2022-01-15 08:00"), d(2022, 1, 15));
        assert_eq!(default.parse("17.01.2018 01:28"), None);
        assert_eq!(default.parse("2021-02-30"), None);

        let vk = DateParser::new(&["%d.%m.%Y %H:%M".to_string()]).unwrap();
        assert_eq!(vk.parse("17.01.2018 01:28"), d(2018, 1, 17));
        assert_eq!(vk.describe(), "\"%d.%m.%Y %H:%M\"");
    }

    #[test]
    fn bad_date_format_is_an_error() {
        let err = DateParser::new(&["%Y-%Q".to_string()])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "date-formats: \"%Y-%Q\" is not a valid strftime format"
        );
        assert!(DateParser::new(&[]).is_err());
    }

    #[test]
    fn resolve_maps_groups_and_dates() {
        let mut config = CorpusConfig::new("x.tsv");
        config
            .map
            .insert("outlet".into(), entries(&[("-26284064", "TASS")]));
        config
            .map
            .insert("language".into(), entries(&[("Русский", "ru")]));
        config.group_of_outlet = entries(&[("TASS", "state"), ("Медуза", "independent")]);
        config.date_formats = vec!["%d.%m.%Y %H:%M".into()];
        let resolver = MetaResolver::new(&config).unwrap();

        let raw = RawFields {
            outlet: Some("-26284064".into()),
            date: Some("17.01.2018 01:28".into()),
            language: Some("русский".into()),
            title: Some("  «Заголовок» ".into()),
            ..Default::default()
        };
        let extra = vec![("translation".to_string(), "“Headline”".to_string())];
        let (meta, bad) = resolver.resolve(raw, extra.clone());
        assert_eq!(bad, None);
        assert_eq!(meta.outlet.as_deref(), Some("TASS"));
        assert_eq!(meta.group.as_deref(), Some("state"));
        assert_eq!(meta.date, NaiveDate::from_ymd_opt(2018, 1, 17));
        assert_eq!(meta.language.as_deref(), Some("ru"));
        assert_eq!(meta.title.as_deref(), Some("«Заголовок»"));
        assert_eq!(meta.extra, extra);

        // A group in the row wins over group-of-outlet; an empty one does not.
        let raw = RawFields {
            outlet: Some("медуза".into()),
            group: Some("".into()),
            date: Some("2018-01-17".into()),
            ..Default::default()
        };
        let (meta, bad) = resolver.resolve(raw, Vec::new());
        assert_eq!(meta.outlet.as_deref(), Some("медуза"));
        assert_eq!(meta.group.as_deref(), Some("independent"));
        assert_eq!(meta.date, None);
        assert_eq!(bad.as_deref(), Some("2018-01-17"));

        let raw = RawFields {
            outlet: Some("-26284064".into()),
            group: Some("wire".into()),
            ..Default::default()
        };
        assert_eq!(
            resolver.resolve(raw, Vec::new()).0.group.as_deref(),
            Some("wire")
        );
    }
}
