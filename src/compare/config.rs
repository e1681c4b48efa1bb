//! The study file's `[compare]` table: units, resampling, effect size, keyness and events.
//!
//! Every field has a default, so `[compare]` may be omitted. [`CompareConfig::check`] rejects
//! unusable values (a confidence outside (0, 1), zero resamples, …) before any work is done.

use serde::{Deserialize, Serialize};

use super::CompareError;

/// Which document attribute forms the groups that are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupBy {
    /// The study's group column (e.g. "state-aligned" vs "independent"). Default.
    #[default]
    Group,
    /// The outlet: every outlet is a group of its own.
    Outlet,
}

/// The effect size reported in the `effect` column of the comparisons table (both are
/// computed; the config picks one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EffectKind {
    /// Cohen's d with the pooled standard deviation (Cohen 1988).
    CohensD,
    /// Cliff's delta (Cliff 1993), the default: it uses only the order of the values, so it is
    /// robust for the skewed, zero-heavy rates per 1,000 tokens that lexicon scores are.
    #[default]
    CliffsDelta,
}

impl EffectKind {
    /// The name written in the `effect_kind` column: `"cohens_d"` or `"cliffs_delta"`.
    pub fn column_name(self) -> &'static str {
        match self {
            EffectKind::CohensD => "cohens_d",
            EffectKind::CliffsDelta => "cliffs_delta",
        }
    }
}

/// `[compare.events]`: automatic event grouping (see [`super::events`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct EventsConfig {
    /// Group the documents that have no event in the metadata automatically even when other
    /// documents have one. Default `false`: automatic grouping then runs only when no document
    /// has an event (documents without one otherwise form the stratum `"(no event)"`).
    /// Documents with a metadata event always keep it.
    pub auto: bool,
    /// Two documents are linked when the cosine similarity of their tf-idf vectors is at
    /// least this. Default 0.3.
    pub threshold: f64,
    /// …and their dates are at most this many days apart (documents without a date link by
    /// cosine alone). Default 3.
    pub window_days: u32,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            auto: false,
            threshold: 0.3,
            window_days: 3,
        }
    }
}

/// The `[compare]` table of a study file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CompareConfig {
    /// Run the comparisons. Default `true`; with `false`, [`super::compare`] returns empty
    /// tables.
    pub enabled: bool,
    /// `"group"` (default) or `"outlet"`.
    pub group_by: GroupBy,
    /// Bootstrap resamples for confidence intervals. Default 2000 (Efron & Tibshirani 1993
    /// recommend at least 1000 for percentile intervals).
    pub bootstrap: u32,
    /// Random label permutations for p-values. Default 5000: the smallest possible p is then
    /// 1/5001, and the Monte Carlo standard error at p = 0.05 is about 0.003.
    pub permutations: u32,
    /// Coverage of the confidence intervals. Default 0.95.
    pub confidence: f64,
    /// A side with fewer documents than this gets a warning in its row. Default 5.
    pub min_docs: u32,
    /// `"cliffs-delta"` (default) or `"cohens-d"`.
    pub effect: EffectKind,
    /// Prior sample size α₀ of the keyness log-odds ratio (Monroe, Colaresi & Quinn 2008): the
    /// prior adds α₀ pseudo-tokens to each side, spread over the terms in proportion to their
    /// share of the whole corpus. Default 1000, about two news articles' worth of tokens: it
    /// steadies the estimates of terms seen a handful of times in small comparisons (a single
    /// article against a few) and fades out in large ones, where the data should dominate.
    pub alpha0: f64,
    /// Keyness rows kept per comparison and side (the terms with the largest z for each
    /// side). Default 50. 0 writes no keyness rows.
    pub keyness_top: u32,
    /// Automatic event grouping.
    pub events: EventsConfig,
}

impl Default for CompareConfig {
    fn default() -> Self {
        CompareConfig {
            enabled: true,
            group_by: GroupBy::Group,
            bootstrap: 2000,
            permutations: 5000,
            confidence: 0.95,
            min_docs: 5,
            effect: EffectKind::CliffsDelta,
            alpha0: 1000.0,
            keyness_top: 50,
            events: EventsConfig::default(),
        }
    }
}

impl CompareConfig {
    /// Reject values that would make the comparisons meaningless, naming the key.
    pub fn check(&self) -> Result<(), CompareError> {
        let bad = |key: &'static str, message: String| CompareError::Config { key, message };
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(bad(
                "confidence",
                format!("{} is not strictly between 0 and 1", self.confidence),
            ));
        }
        if self.bootstrap == 0 {
            return Err(bad(
                "bootstrap",
                "0 resamples: at least 1 is needed (1000 or more recommended)".to_string(),
            ));
        }
        if self.permutations == 0 {
            return Err(bad(
                "permutations",
                "0 permutations: at least 1 is needed (1000 or more recommended)".to_string(),
            ));
        }
        if !(self.alpha0.is_finite() && self.alpha0 > 0.0) {
            return Err(bad(
                "alpha0",
                format!("{} is not a positive number", self.alpha0),
            ));
        }
        let t = self.events.threshold;
        if !(t > 0.0 && t <= 1.0) {
            return Err(CompareError::Config {
                key: "events.threshold",
                message: format!("{t} is not in (0, 1] (a cosine similarity)"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_table() {
        let c: CompareConfig = toml::from_str("").unwrap();
        assert_eq!(c, CompareConfig::default());
        assert_eq!(c.bootstrap, 2000);
        assert_eq!(c.permutations, 5000);
        assert_eq!(c.effect, EffectKind::CliffsDelta);
        assert_eq!(c.events.window_days, 3);
        assert!(c.check().is_ok());
    }

    #[test]
    fn kebab_case_keys_parse() {
        let c: CompareConfig = toml::from_str(
            "group-by = \"outlet\"\neffect = \"cohens-d\"\nkeyness-top = 10\nmin-docs = 2\n\
             [events]\nauto = true\nwindow-days = 7\nthreshold = 0.5\n",
        )
        .unwrap();
        assert_eq!(c.group_by, GroupBy::Outlet);
        assert_eq!(c.effect, EffectKind::CohensD);
        assert_eq!(c.effect.column_name(), "cohens_d");
        assert_eq!(c.keyness_top, 10);
        assert_eq!(c.min_docs, 2);
        assert!(c.events.auto);
        assert_eq!(c.events.window_days, 7);
        assert_eq!(c.events.threshold, 0.5);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let e = toml::from_str::<CompareConfig>("bootstrapp = 10").unwrap_err();
        assert!(e.to_string().contains("unknown field `bootstrapp`"), "{e}");
        let e = toml::from_str::<CompareConfig>("effect = \"коэн\"").unwrap_err();
        assert!(e.to_string().contains("unknown variant"), "{e}");
    }

    #[test]
    fn check_rejects_bad_values() {
        let msg = |c: CompareConfig| c.check().unwrap_err().to_string();
        let c = CompareConfig {
            confidence: 1.5,
            ..Default::default()
        };
        assert_eq!(
            msg(c),
            "[compare] confidence: 1.5 is not strictly between 0 and 1"
        );
        let c = CompareConfig {
            confidence: f64::NAN,
            ..Default::default()
        };
        assert!(msg(c).starts_with("[compare] confidence: NaN"));
        let c = CompareConfig {
            bootstrap: 0,
            ..Default::default()
        };
        assert!(msg(c).starts_with("[compare] bootstrap: 0 resamples"));
        let c = CompareConfig {
            permutations: 0,
            ..Default::default()
        };
        assert!(msg(c).starts_with("[compare] permutations: 0"));
        let c = CompareConfig {
            alpha0: -1.0,
            ..Default::default()
        };
        assert_eq!(msg(c), "[compare] alpha0: -1 is not a positive number");
        let mut c = CompareConfig::default();
        c.events.threshold = 0.0;
        assert_eq!(
            msg(c),
            "[compare] events.threshold: 0 is not in (0, 1] (a cosine similarity)"
        );
    }
}
