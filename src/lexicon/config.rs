//! The study file's `[scoring]` table: negation, boosters, dampeners and scare quotes.
//!
//! Every field has a default, so `[scoring]` may be omitted. For the per-language tables
//! (`negators`, `boosters`, `dampeners`) a language given in the study file replaces that
//! language's default list; languages not mentioned keep their defaults (write `ru = []` to
//! switch Russian negation off).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// How a negated hit of a polar category or weighted entry is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NegationMode {
    /// Lexicoder's rule (Young & Soroka 2012, the `neg_positive`/`neg_negative` categories of the
    /// LSD): a negated positive hit counts as a negative hit and vice versa; a weight `w`
    /// becomes `-w`.
    #[default]
    Flip,
    /// VADER's rule (Hutto & Gilbert 2014): the weight is multiplied by `N_SCALAR = -0.74`
    /// (the hit is still counted in the opposite-polarity category, like `flip`).
    Vader,
}

/// VADER's negation scalar (Hutto & Gilbert 2014).
pub const VADER_NEGATION_SCALAR: f64 = -0.74;

/// VADER's booster increment `B_INCR` (Hutto & Gilbert 2014); the default booster and
/// dampener magnitude.
pub const VADER_BOOSTER: f64 = 0.293;

/// The `[scoring]` table of a study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ScoringConfig {
    /// How many tokens before a hit (same sentence) are searched for negators and boosters.
    /// Default 3 (VADER's window). 0 switches negation and boosters off.
    pub negation_window: usize,
    /// `"flip"` (default) or `"vader"`.
    pub negation: NegationMode,
    /// Negator words per language (token `norm`s). An entry `*n't` matches every token
    /// ending in `n't` (the tokenizer keeps "don't" as one token). Defaults:
    /// [`default_negators`].
    #[serde(deserialize_with = "merge_negators")]
    pub negators: BTreeMap<String, Vec<String>>,
    /// Booster words per language, each with the magnitude added to a weighted hit in the
    /// direction of its valence. Defaults: [`default_boosters`] (0.293 each).
    #[serde(deserialize_with = "merge_modifiers_boosters")]
    pub boosters: BTreeMap<String, BTreeMap<String, f64>>,
    /// Dampener words per language, each with the magnitude taken off a weighted hit against
    /// the direction of its valence. Defaults: [`default_dampeners`] (0.293 each).
    #[serde(deserialize_with = "merge_modifiers_dampeners")]
    pub dampeners: BTreeMap<String, BTreeMap<String, f64>>,
    /// The longest quotation (in tokens) that counts as a scare quote. Default 3.
    pub scare_quote_max_words: usize,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            negation_window: 3,
            negation: NegationMode::Flip,
            negators: default_negators(),
            boosters: default_boosters(),
            dampeners: default_dampeners(),
            scare_quote_max_words: 3,
        }
    }
}

fn merge_negators<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    let given = BTreeMap::<String, Vec<String>>::deserialize(d)?;
    let mut all = default_negators();
    all.extend(given);
    Ok(all)
}

fn merge_modifiers_boosters<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, BTreeMap<String, f64>>, D::Error> {
    let given = BTreeMap::<String, BTreeMap<String, f64>>::deserialize(d)?;
    let mut all = default_boosters();
    all.extend(given);
    Ok(all)
}

fn merge_modifiers_dampeners<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, BTreeMap<String, f64>>, D::Error> {
    let given = BTreeMap::<String, BTreeMap<String, f64>>::deserialize(d)?;
    let mut all = default_dampeners();
    all.extend(given);
    Ok(all)
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

fn weighted(list: &[&str]) -> BTreeMap<String, f64> {
    list.iter()
        .map(|w| (w.to_string(), VADER_BOOSTER))
        .collect()
}

/// Default negators (our own lists of common single-token negations).
///
/// en: not, no, never, none, nobody, nothing, nowhere, neither, nor, without, hardly, barely,
/// scarcely, cannot, and `*n't` (don't, isn't, won't, …).
/// ru: не, нет, ни, никогда, ничего, никто, нигде, никуда, никак, ничуть, нисколько, отнюдь, без,
/// нельзя.
pub fn default_negators() -> BTreeMap<String, Vec<String>> {
    BTreeMap::from([
        (
            "en".to_string(),
            words(&[
                "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor",
                "without", "hardly", "barely", "scarcely", "cannot", "*n't",
            ]),
        ),
        (
            "ru".to_string(),
            words(&[
                "не",
                "нет",
                "ни",
                "никогда",
                "ничего",
                "никто",
                "нигде",
                "никуда",
                "никак",
                "ничуть",
                "нисколько",
                "отнюдь",
                "без",
                "нельзя",
            ]),
        ),
    ])
}

/// Default boosters, 0.293 each (VADER's `B_INCR`; our own word lists).
///
/// en: very, extremely, highly, really, absolutely, completely, totally, utterly, deeply,
/// enormously, exceptionally, incredibly, particularly, especially, hugely, greatly,
/// remarkably, thoroughly, seriously, so.
/// ru: очень, крайне, чрезвычайно, весьма, совершенно, абсолютно, полностью, особенно,
/// сильно, глубоко, исключительно, невероятно, чрезмерно, предельно.
pub fn default_boosters() -> BTreeMap<String, BTreeMap<String, f64>> {
    BTreeMap::from([
        (
            "en".to_string(),
            weighted(&[
                "very",
                "extremely",
                "highly",
                "really",
                "absolutely",
                "completely",
                "totally",
                "utterly",
                "deeply",
                "enormously",
                "exceptionally",
                "incredibly",
                "particularly",
                "especially",
                "hugely",
                "greatly",
                "remarkably",
                "thoroughly",
                "seriously",
                "so",
            ]),
        ),
        (
            "ru".to_string(),
            weighted(&[
                "очень",
                "крайне",
                "чрезвычайно",
                "весьма",
                "совершенно",
                "абсолютно",
                "полностью",
                "особенно",
                "сильно",
                "глубоко",
                "исключительно",
                "невероятно",
                "чрезмерно",
                "предельно",
            ]),
        ),
    ])
}

/// Default dampeners, 0.293 each (VADER's `B_DECR` magnitude; our own word lists).
///
/// en: slightly, somewhat, marginally, partly, partially, mildly, moderately, fairly, rather,
/// less, little.
/// ru: слегка, немного, несколько, отчасти, частично, чуть, умеренно, довольно, относительно,
/// менее.
pub fn default_dampeners() -> BTreeMap<String, BTreeMap<String, f64>> {
    BTreeMap::from([
        (
            "en".to_string(),
            weighted(&[
                "slightly",
                "somewhat",
                "marginally",
                "partly",
                "partially",
                "mildly",
                "moderately",
                "fairly",
                "rather",
                "less",
                "little",
            ]),
        ),
        (
            "ru".to_string(),
            weighted(&[
                "слегка",
                "немного",
                "несколько",
                "отчасти",
                "частично",
                "чуть",
                "умеренно",
                "довольно",
                "относительно",
                "менее",
            ]),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Study {
        scoring: ScoringConfig,
    }

    #[test]
    fn defaults_when_table_is_empty() {
        let s: Study = toml::from_str("[scoring]\n").unwrap();
        assert_eq!(s.scoring, ScoringConfig::default());
        assert_eq!(s.scoring.negation_window, 3);
        assert_eq!(s.scoring.scare_quote_max_words, 3);
        assert!(s.scoring.negators["ru"].contains(&"не".to_string()));
    }

    #[test]
    fn kebab_case_fields_and_per_language_merge() {
        let s: Study = toml::from_str(
            "[scoring]\nnegation-window = 4\nnegation = \"vader\"\nnegators = { ru = [\"не\"] }\nboosters = { en = { \"very\" = 0.5 } }\n",
        )
        .unwrap();
        assert_eq!(s.scoring.negation_window, 4);
        assert_eq!(s.scoring.negation, NegationMode::Vader);
        assert_eq!(s.scoring.negators["ru"], vec!["не"]);
        assert_eq!(s.scoring.negators["en"], default_negators()["en"]);
        assert_eq!(s.scoring.boosters["en"].len(), 1);
        assert_eq!(s.scoring.boosters["ru"]["очень"], VADER_BOOSTER);
    }

    #[test]
    fn unknown_field_is_rejected() {
        let r: Result<Study, _> = toml::from_str("[scoring]\nnegation_window = 4\n");
        assert!(r.is_err());
    }
}
