//! End-to-end tests of the lexicon stage: fixtures under `tests/fixtures/lexicon/` (tiny files
//! written for this suite), `check` diagnostics per problem kind, conversions, and the scoring
//! rules on hand-built sentences with hand-computed expectations.

use std::path::{Path, PathBuf};

use approx::assert_abs_diff_eq;

use super::testutil::{doc, doc_en, doc_ru, stem};
use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lexicon")
        .join(name)
}

fn parse_native(text: &str) -> Lexicon {
    load_bytes(
        text.as_bytes(),
        Format::Native,
        Path::new("test.toml"),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn scorer(lexicons: Vec<Lexicon>, config: &ScoringConfig) -> Scorer {
    Scorer::new(lexicons, config, &mut |lang, word| stem(lang, word)).unwrap()
}

fn row<'a>(s: &'a DocScores, lexicon: &str, category: &str) -> &'a CategoryScore {
    s.rows
        .iter()
        .find(|r| r.lexicon == lexicon && r.category == category)
        .unwrap_or_else(|| panic!("no row {lexicon}/{category}"))
}

fn hits(s: &DocScores, lexicon: &str, category: &str) -> (u32, u32) {
    let r = row(s, lexicon, category);
    (r.hits, r.negated_hits)
}

/// The eight header lines of a native test lexicon (description "d", MIT, version 1.0.0).
fn header(name: &str, languages: &[&str], mode: &str) -> String {
    let languages: Vec<String> = languages.iter().map(|l| format!("\"{l}\"")).collect();
    format!(
        "[lexicon]\nname = \"{name}\"\nversion = \"1.0.0\"\nlanguages = [{}]\nlicense = \"MIT\"\n\
         description = \"d\"\ncitation = \"original\"\nmatch = \"{mode}\"\n",
        languages.join(", ")
    )
}

fn mini() -> Lexicon {
    load(&fixture("mini.toml")).unwrap()
}

const WEIGHTED: &str = r#"[lexicon]
name = "val"
version = "1.0.0"
languages = ["en", "ru"]
license = "MIT"
description = "weighted test lexicon"
citation = "original"
match = "surface"
kind = "weighted"

[categories.pos]
description = "positive"
polarity = "positive"
entries = ["good", "хороший"]

[categories.neg]
description = "negative"
polarity = "negative"
entries = ["bad", "catastrophe", "плохой"]

[weights]
"good" = 2.0
"bad" = -1.5
"catastrophe" = -3
"хороший" = 1.0
"плохой" = -2.0
"#;

const ATTRIBUTION: &str = r#"[lexicon]
name = "attribution"
version = "1.0.0"
languages = ["en", "ru"]
license = "MIT"
description = "attribution test lexicon"
citation = "original"
match = "surface"

[categories.say]
description = "neutral attribution verbs"
entries = ["said", "заявил"]

[categories.scare_quotes]
description = "short quotations"
special = "scare-quotes"
entries = []
"#;

// ---------------------------------------------------------------- loading and importing

#[test]
fn native_fixture_loads_with_sha256_and_summary() {
    let lex = mini();
    assert_eq!(lex.header.name, "mini");
    assert_eq!(lex.header.match_mode, MatchMode::Stem);
    assert_eq!(lex.sha256.as_deref().map(str::len), Some(64));
    let bytes = std::fs::read(fixture("mini.toml")).unwrap();
    assert_eq!(lex.sha256.as_deref(), Some(sha256_hex(&bytes).as_str()));
    let s = summary(&lex);
    let got: Vec<(&str, usize)> = s
        .iter()
        .map(|c| (c.category.as_str(), c.n_entries))
        .collect();
    assert_eq!(got, vec![("negative", 4), ("positive", 4), ("security", 2)]);
    let shown = lex.to_string();
    assert!(shown.contains("negative"), "{shown}");
    assert!(shown.contains("threat and escalation"), "{shown}");
}

#[test]
fn liwc_dic_imports_with_default_header() {
    let lex = load(&fixture("mini.dic")).unwrap();
    assert_eq!(lex.header.name, "mini");
    assert_eq!(lex.header.version, "0.0.0");
    assert_eq!(lex.header.license, "unknown (user-supplied)");
    assert_eq!(lex.header.match_mode, MatchMode::Surface);
    assert_eq!(lex.header.languages, vec!["en"]);
    assert_eq!(lex.header.kind, LexiconKind::Polar);
    let cats: Vec<(&str, Option<Polarity>, Vec<&str>)> = lex
        .categories
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.polarity,
                c.entries.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        cats,
        vec![
            ("posemo", Some(Polarity::Positive), vec!["good", "kind of"]),
            ("negemo", Some(Polarity::Negative), vec!["awful", "threat*"]),
            ("threat", None, vec!["threat*", "угроз*", "ultimatum"]),
        ]
    );
    let ru = load_with(
        &fixture("mini.dic"),
        &LoadOptions {
            languages: vec!["ru".into()],
        },
    )
    .unwrap();
    assert_eq!(ru.header.languages, vec!["ru"]);
}

#[test]
fn weighted_list_imports_vader_like_columns() {
    let lex = load(&fixture("mini-weighted.txt")).unwrap();
    assert_eq!(lex.header.name, "mini-weighted");
    assert_eq!(lex.header.kind, LexiconKind::Weighted);
    assert_eq!(lex.categories[0].entries, vec!["good", "хороший"]);
    assert_eq!(lex.categories[1].entries, vec!["catastrophe"]);
    assert_eq!(lex.categories[2].entries, vec!["meh"]);
    assert_eq!(lex.weights["catastrophe"], -3.2);
    assert_eq!(lex.weights["хороший"], 2.0);
    assert!(!lex.weights.contains_key(":)"));
    // the emoticon is a warning, not an error
    let diags = check(&fixture("mini-weighted.txt"));
    assert_eq!(diags.len(), 1);
    assert_eq!((diags[0].line, diags[0].severity), (5, Severity::Warning));

    // scoring with the imported list: weights are the file's values
    let s = scorer(vec![lex], &ScoringConfig::default());
    let d = doc_en("good news, not a catastrophe.");
    let out = s.score(&d, "en");
    assert_eq!(hits(&out, "mini-weighted", "positive"), (2, 0));
    assert_eq!(hits(&out, "mini-weighted", "negative"), (0, 1));
    assert_abs_diff_eq!(
        row(&out, "mini-weighted", "positive").weighted_sum,
        1.9 + 3.2,
        epsilon = 1e-9
    );
}

#[test]
fn yaml_imports_nested_categories() {
    let lex = load(&fixture("mini.yml")).unwrap();
    let names: Vec<&str> = lex.categories.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "positive",
            "negative",
            "frames.conflict",
            "frames.diplomacy"
        ]
    );
    assert_eq!(lex.categories[1].entries, vec!["threat*", "red line*"]);
    assert_eq!(lex.categories[2].entries, vec!["war", "война"]);
    assert_eq!(lex.header.kind, LexiconKind::Polar);
}

// ---------------------------------------------------------------- check

fn diag_summary(diags: &[Diagnostic]) -> Vec<(usize, Severity)> {
    diags.iter().map(|d| (d.line, d.severity)).collect()
}

#[test]
fn check_reports_every_problem_kind_at_its_line() {
    let path = fixture("broken.toml");
    let diags = check(&path);
    assert_eq!(
        diag_summary(&diags),
        vec![
            (16, Severity::Error),   // threaten* redundant with threat* (same category)
            (24, Severity::Error),   // menace: negative and positive
            (25, Severity::Warning), // threatening* overlaps threat* (other category)
            (25, Severity::Warning), // threatening* overlaps threaten* (other category)
            (28, Severity::Error),   // empty category
            (33, Severity::Warning), // weight -2 in a positive category
            (34, Severity::Error),   // weights key not in any category
        ],
        "{diags:#?}"
    );
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let file = path.display().to_string();
    assert_eq!(
        text[0],
        format!("{file}:16: error: wildcard \"threaten*\" is redundant: \"threat*\" (line 15) in the same category \"threat\" already matches every word it matches")
    );
    assert!(text[1].contains("\"menace\" is in positive category \"calm\" and in negative category \"threat\" (line 17)"), "{}", text[1]);
    assert!(text[4].ends_with("error: category \"unused\" has no entries"));
    assert!(
        text[6].contains("weights key \"catastrophe\" is not an entry of any declared category")
    );

    let err = load(&path).unwrap_err();
    assert_eq!(err.to_string(), text[0]);
}

#[test]
fn check_reports_toml_syntax_error_line() {
    let path = fixture("broken-syntax.toml");
    let diags = check(&path);
    assert_eq!(
        diag_summary(&diags),
        vec![(6, Severity::Error)],
        "{diags:?}"
    );
    assert!(diags[0].message.starts_with("toml syntax:"));
    let err = load(&path).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{}:6: error: toml syntax", path.display())),
        "{err}"
    );
}

#[test]
fn check_reports_dic_and_weighted_problems() {
    let diags = check(&fixture("broken.dic"));
    assert_eq!(
        diag_summary(&diags),
        vec![
            (4, Severity::Error), // category 3 "unused" has no entries
            (7, Severity::Error), // code 9 undeclared
            (8, Severity::Error), // good listed again with other categories
        ],
        "{diags:#?}"
    );
    assert!(diags[1].message.contains("category 9 is not declared"));
    let diags = check(&fixture("broken-weighted.tsv"));
    assert_eq!(diag_summary(&diags), vec![(3, Severity::Error)]);
    assert!(
        diags[0].message.contains("value 3 (line 1 gives 2)"),
        "{}",
        diags[0]
    );
}

#[test]
fn clean_fixtures_have_no_diagnostics() {
    for f in ["mini.toml", "mini.dic", "mini.yml"] {
        assert_eq!(check(&fixture(f)), vec![], "{f}");
    }
    let unknown = check(Path::new("lexicon.csv"));
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].line, 0);
}

// ---------------------------------------------------------------- conversion

fn cats_and_entries(lex: &Lexicon) -> Vec<(String, Vec<String>)> {
    lex.categories
        .iter()
        .filter(|c| c.special.is_none())
        .map(|c| (c.name.clone(), c.entries.clone()))
        .collect()
}

fn convert(lex: &Lexicon, format: Format, name: &str) -> (Lexicon, Vec<String>) {
    let mut buf = Vec::new();
    let lost = write(lex, format, &mut buf).unwrap();
    let back = load_bytes(&buf, format, Path::new(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&buf)));
    (back, lost)
}

#[test]
fn native_yaml_native_round_trip_keeps_categories_and_entries() {
    let lex = mini();
    let (y, lost) = convert(&lex, Format::Yaml, "mini.yml");
    assert!(!lost.is_empty());
    let (n, lost2) = convert(&y, Format::Native, "mini.toml");
    assert!(lost2.is_empty(), "{lost2:?}");
    assert_eq!(cats_and_entries(&n), cats_and_entries(&lex));
    // polarity survives because the categories are named positive / negative
    assert_eq!(n.categories[0].polarity, Some(Polarity::Negative));
}

#[test]
fn native_dic_native_round_trip_keeps_categories_and_entries() {
    let lex = mini();
    let (d, lost) = convert(&lex, Format::Liwc, "mini.dic");
    assert_eq!(lost.len(), 1, "{lost:?}"); // header and descriptions only
    let (n, _) = convert(&d, Format::Native, "mini.toml");
    assert_eq!(cats_and_entries(&n), cats_and_entries(&lex));
}

#[test]
fn lossy_conversions_say_what_is_lost() {
    let w = parse_native(WEIGHTED);
    let mut buf = Vec::new();
    let lost = write(&w, Format::Liwc, &mut buf).unwrap();
    assert!(
        lost.iter().any(|l| l.contains("weights are dropped")),
        "{lost:?}"
    );
    let a = parse_native(ATTRIBUTION);
    let lost = write(&a, Format::Yaml, &mut Vec::new()).unwrap();
    assert!(lost
        .iter()
        .any(|l| l.contains("special category \"scare_quotes\"")));
    // weighted -> weighted keeps entries and values
    let (back, _) = convert(&w, Format::Weighted, "val.txt");
    assert_eq!(back.weights, w.weights);
    // YAML-dotted names become native names
    let y = load(&fixture("mini.yml")).unwrap();
    let mut buf = Vec::new();
    let lost = write(&y, Format::Native, &mut buf).unwrap();
    assert!(lost[0].contains("\"frames.conflict\" renamed \"frames_conflict\""));
    let n = load_bytes(
        &buf,
        Format::Native,
        Path::new("y.toml"),
        &LoadOptions::default(),
    );
    assert!(n.is_ok(), "{n:?}");
}

// ---------------------------------------------------------------- scoring rules

#[test]
fn negation_flips_within_the_window_only() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    // "not" is 3 tokens before "threat" in the first sentence, 4 in the second.
    let d = doc_en("we are not facing a threat. not they face a threat.");
    let out = s.score(&d, "en");
    assert_eq!(hits(&out, "mini", "negative"), (1, 1));
    assert_eq!(hits(&out, "mini", "positive"), (1, 0));
    let tone = &out.tone[0];
    assert_eq!((tone.pos, tone.neg), (1, 1));
    // sentence 0 holds the flipped hit, sentence 1 the plain one
    let sent: Vec<(u32, &str, u32, u32)> = out
        .sentences
        .iter()
        .map(|r| (r.sentence, r.category.as_str(), r.hits, r.negated_hits))
        .collect();
    assert_eq!(
        sent,
        vec![
            (0, "negative", 0, 1),
            (0, "positive", 1, 0),
            (1, "negative", 1, 0)
        ]
    );
}

#[test]
fn negation_handles_nt_forms_and_russian() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(&doc_en("it isn't a threat."), "en");
    assert_eq!(hits(&out, "mini", "negative"), (0, 1));
    assert_eq!(hits(&out, "mini", "positive"), (1, 0));
    // «не» right before a wildcard hit; «мир» is 4 tokens after it, out of the window
    let out = s.score(&doc_ru("это не угроза, это настоящий мир."), "ru");
    assert_eq!(hits(&out, "mini", "negative"), (0, 1));
    assert_eq!(hits(&out, "mini", "positive"), (2, 0));
}

#[test]
fn sentence_boundary_stops_negation() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(&doc_en("there is no. threat remains."), "en");
    assert_eq!(hits(&out, "mini", "negative"), (1, 0));
    assert_eq!(hits(&out, "mini", "positive"), (0, 0));
}

#[test]
fn non_polar_categories_are_not_negated() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(&doc_en("not security."), "en");
    assert_eq!(hits(&out, "mini", "security"), (1, 0));
}

#[test]
fn longest_multiword_match_wins() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(&doc_en("security guarantees and security."), "en");
    assert_eq!(hits(&out, "mini", "positive"), (1, 0));
    assert_eq!(hits(&out, "mini", "security"), (1, 0));
    let m: Vec<(&str, &str, u32)> = out
        .entry_matches
        .iter()
        .map(|e| (e.category.as_str(), e.entry.as_str(), e.count))
        .collect();
    assert_eq!(
        m,
        vec![
            ("positive", "security guarantees", 1),
            ("security", "security", 1)
        ]
    );
}

#[test]
fn wildcards_and_phrase_final_wildcards_match() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(
        &doc_en("they crossed red lines, issued threats and threatening words."),
        "en",
    );
    assert_eq!(hits(&out, "mini", "negative"), (3, 0));
    let m: Vec<(&str, u32)> = out
        .entry_matches
        .iter()
        .map(|e| (e.entry.as_str(), e.count))
        .collect();
    assert_eq!(m, vec![("red line*", 1), ("threat*", 2)]);
    // Cyrillic wildcard
    let out = s.score(&doc_ru("угрозы и угрожающие заявления."), "ru");
    assert_eq!(hits(&out, "mini", "negative"), (1, 0));
}

#[test]
fn stem_matching_uses_the_callers_stemmer() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(&doc_en("negotiations brought stability."), "en");
    assert_eq!(hits(&out, "mini", "positive"), (2, 0));
    // "мира" (genitive) stems to "мир", the entry's stem
    assert_eq!(stem("ru", "мира"), stem("ru", "мир"));
    let out = s.score(&doc_ru("ради мира и безопасности."), "ru");
    assert_eq!(hits(&out, "mini", "positive"), (1, 0));
    assert_eq!(hits(&out, "mini", "security"), (1, 0));
}

#[test]
fn weights_boosters_and_dampeners_follow_vader() {
    let s = scorer(vec![parse_native(WEIGHTED)], &ScoringConfig::default());
    let out = s.score(
        &doc_en("very good. not very bad. slightly catastrophe."),
        "en",
    );
    // very good:            2 + 0.293                       = 2.293  (pos)
    // not very bad:         -(-1.5 - 0.293)                 = 1.793  (flipped into pos)
    // slightly catastrophe: -3 + 0.293                      = -2.707 (neg)
    let pos = row(&out, "val", "pos");
    let neg = row(&out, "val", "neg");
    assert_eq!((pos.hits, pos.negated_hits), (2, 0));
    assert_eq!((neg.hits, neg.negated_hits), (1, 1));
    assert_abs_diff_eq!(pos.weighted_sum, 4.086, epsilon = 1e-9);
    assert_abs_diff_eq!(neg.weighted_sum, -2.707, epsilon = 1e-9);
    let t = &out.tone[0];
    assert_eq!(out.n_tokens, 7);
    assert_abs_diff_eq!(t.net_tone, 100.0 / 7.0, epsilon = 1e-9);
    assert_abs_diff_eq!(t.logit_tone, (2.5f64 / 1.5).ln(), epsilon = 1e-12);
    assert_abs_diff_eq!(
        t.mean_valence.unwrap(),
        (4.086 - 2.707) / 3.0,
        epsilon = 1e-9
    );

    // two boosters: distance 1 full, distance 2 × 0.95
    let out = s.score(&doc_en("extremely very good."), "en");
    assert_abs_diff_eq!(
        row(&out, "val", "pos").weighted_sum,
        2.0 + 0.293 + 0.293 * 0.95,
        epsilon = 1e-9
    );
    // Russian booster
    let out = s.score(&doc_ru("очень плохой."), "ru");
    assert_abs_diff_eq!(row(&out, "val", "neg").weighted_sum, -2.293, epsilon = 1e-9);
}

#[test]
fn vader_negation_multiplies_by_minus_074() {
    let config = ScoringConfig {
        negation: NegationMode::Vader,
        ..ScoringConfig::default()
    };
    let s = scorer(vec![parse_native(WEIGHTED)], &config);
    let out = s.score(&doc_en("not very bad."), "en");
    let pos = row(&out, "val", "pos");
    assert_eq!(pos.hits, 1);
    assert_abs_diff_eq!(pos.weighted_sum, (-1.5 - 0.293) * -0.74, epsilon = 1e-9);
    assert_eq!(hits(&out, "val", "neg"), (0, 1));
    assert_abs_diff_eq!(out.tone[0].mean_valence.unwrap(), 1.32682, epsilon = 1e-9);
}

#[test]
fn window_zero_switches_negation_off() {
    let config = ScoringConfig {
        negation_window: 0,
        ..ScoringConfig::default()
    };
    let s = scorer(vec![mini()], &config);
    let out = s.score(&doc_en("not a threat."), "en");
    assert_eq!(hits(&out, "mini", "negative"), (1, 0));
}

#[test]
fn nothing_is_counted_twice() {
    let s = scorer(
        vec![mini(), parse_native(ATTRIBUTION)],
        &ScoringConfig::default(),
    );
    let d = doc_en(
        "security guarantees and security. not a threat, no stability, but the red lines said officials. threats escalation negotiation.",
    );
    let out = s.score(&d, "en");
    for lexicon in ["mini", "attribution"] {
        let spans: u32 = out
            .entry_matches
            .iter()
            .filter(|e| e.lexicon == lexicon)
            .map(|e| e.count)
            .sum();
        let negated_spans: u32 = out
            .entry_matches
            .iter()
            .filter(|e| e.lexicon == lexicon)
            .map(|e| e.negated)
            .sum();
        let rows = out.rows.iter().filter(|r| r.lexicon == lexicon);
        let (h, n): (u32, u32) = rows.fold((0, 0), |a, r| (a.0 + r.hits, a.1 + r.negated_hits));
        // every span is counted once as a hit (flipped or not); negated ones once more
        // in negated_hits of their own category
        assert_eq!(h, spans, "{lexicon}");
        assert_eq!(n, negated_spans, "{lexicon}");
    }
    // mini: security guarantees, security, threat (neg.), stability (neg.), red lines,
    // threats, escalation, negotiation = 8 spans, 2 negated
    // negative: red lines, threats, escalation + flipped stability; positive: security
    // guarantees, negotiation + flipped threat
    assert_eq!(hits(&out, "mini", "negative"), (4, 1));
    assert_eq!(hits(&out, "mini", "positive"), (3, 1));
    assert_eq!(hits(&out, "mini", "security"), (1, 0));
    assert_eq!(hits(&out, "attribution", "say"), (1, 0));
}

#[test]
fn per_1k_share_and_tone_on_a_tiny_document() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    let out = s.score(&doc_en("stability and negotiation despite threats."), "en");
    assert_eq!(out.n_tokens, 5);
    let p = row(&out, "mini", "positive");
    assert_eq!(p.hits, 2);
    assert_abs_diff_eq!(p.per_1k, 400.0, epsilon = 1e-9);
    assert_abs_diff_eq!(p.share, 2.0 / 3.0, epsilon = 1e-12);
    assert_abs_diff_eq!(p.weighted_sum, 2.0, epsilon = 1e-12);
    let n = row(&out, "mini", "negative");
    assert_abs_diff_eq!(n.per_1k, 200.0, epsilon = 1e-9);
    assert_abs_diff_eq!(n.share, 1.0 / 3.0, epsilon = 1e-12);
    assert_abs_diff_eq!(n.weighted_sum, -1.0, epsilon = 1e-12);
    let z = row(&out, "mini", "security");
    assert_eq!((z.hits, z.per_1k, z.share), (0, 0.0, 0.0));
    let t = &out.tone[0];
    assert_eq!((t.pos, t.neg), (2, 1));
    assert_abs_diff_eq!(t.net_tone, 20.0, epsilon = 1e-12);
    assert_abs_diff_eq!(t.logit_tone, (2.5f64 / 1.5).ln(), epsilon = 1e-12);
    assert_eq!(t.mean_valence, None);
    assert!(out.sentences.iter().all(|r| (r.tone - 20.0).abs() < 1e-12));
}

#[test]
fn sentence_tone_uses_sentence_length() {
    let s = scorer(vec![mini()], &ScoringConfig::default());
    // sentence 0: 4 tokens, 1 positive -> +25; sentence 1: 2 tokens, 1 negative -> -50
    let out = s.score(
        &doc_en("talks brought some stability. threats returned."),
        "en",
    );
    let tones: Vec<(u32, f64)> = out.sentences.iter().map(|r| (r.sentence, r.tone)).collect();
    assert_eq!(tones, vec![(0, 25.0), (1, -50.0)]);
}

#[test]
fn scare_quotes_are_counted_from_quote_spans() {
    let s = scorer(vec![parse_native(ATTRIBUTION)], &ScoringConfig::default());
    let d = doc(
        "the so-called “peacekeepers” said “we will defend our people at all costs”. «Нацисты» и «специальная военная операция».",
        "ru",
    );
    assert_eq!(d.quotes.len(), 4);
    let out = s.score(&d, "ru");
    let r = row(&out, "attribution", "scare_quotes");
    assert_eq!(r.hits, 3);
    assert_eq!(hits(&out, "attribution", "say"), (1, 0));
    let m: Vec<(&str, u32)> = out
        .entry_matches
        .iter()
        .filter(|e| e.category == "scare_quotes")
        .map(|e| (e.entry.as_str(), e.count))
        .collect();
    assert_eq!(
        m,
        vec![
            ("peacekeepers", 1),
            ("нацисты", 1),
            ("специальная военная операция", 1)
        ]
    );
    // with a maximum of 2 words the three-word quotation no longer counts
    let config = ScoringConfig {
        scare_quote_max_words: 2,
        ..ScoringConfig::default()
    };
    let s2 = scorer(vec![parse_native(ATTRIBUTION)], &config);
    assert_eq!(
        row(&s2.score(&d, "ru"), "attribution", "scare_quotes").hits,
        2
    );
}

#[test]
fn lexicons_apply_only_to_their_languages_and_rows_include_zeros() {
    let mut en_only = parse_native(WEIGHTED);
    en_only.header.languages = vec!["en".into()];
    let s = scorer(vec![mini(), en_only], &ScoringConfig::default());
    assert_eq!(s.lexicons_for("ru"), vec!["mini"]);
    assert_eq!(s.lexicons_for("en"), vec!["mini", "val"]);
    let out = s.score(&doc_ru("ничего."), "ru");
    let rows: Vec<(&str, &str, u32)> = out
        .rows
        .iter()
        .map(|r| (r.lexicon.as_str(), r.category.as_str(), r.hits))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("mini", "negative", 0),
            ("mini", "positive", 0),
            ("mini", "security", 0)
        ]
    );
    assert!(out.sentences.is_empty());
    assert_eq!(out.tone.len(), 1);
    assert_eq!(out.tone[0].logit_tone, 0.0);
    let none = s.score(&doc_en("anything"), "de");
    assert!(none.rows.is_empty() && none.tone.is_empty());
    assert_eq!(none.n_tokens, 1);
}

#[test]
fn scorer_rejects_duplicate_names_and_zero_scare_quote_length() {
    let r = Scorer::new(
        vec![mini(), mini()],
        &ScoringConfig::default(),
        &mut |_, w| w.to_string(),
    );
    assert!(matches!(r, Err(LexiconError::Config { .. })));
    let config = ScoringConfig {
        scare_quote_max_words: 0,
        ..ScoringConfig::default()
    };
    let r = Scorer::new(vec![mini()], &config, &mut |_, w| w.to_string());
    assert!(r.is_err());
}

#[test]
fn entry_in_two_categories_counts_in_both() {
    let lex = parse_native(
        &(header("multi", &["en"], "surface")
            + r#"
[categories.military]
description = "m"
entries = ["missile*", "troops"]

[categories.threat]
description = "t"
entries = ["missile*"]
"#),
    );
    let s = scorer(vec![lex], &ScoringConfig::default());
    let out = s.score(&doc_en("missiles and troops."), "en");
    assert_eq!(hits(&out, "multi", "military"), (2, 0));
    assert_eq!(hits(&out, "multi", "threat"), (1, 0));
    assert_abs_diff_eq!(
        row(&out, "multi", "military").share,
        2.0 / 3.0,
        epsilon = 1e-12
    );
}

#[test]
fn specific_wildcard_beats_general_one_across_categories() {
    let lex = parse_native(
        &(header("spec", &["en"], "surface")
            + r#"
[categories.general]
description = "g"
entries = ["threat*"]

[categories.specific]
description = "s"
entries = ["threaten*"]
"#),
    );
    let s = scorer(vec![lex], &ScoringConfig::default());
    let out = s.score(&doc_en("threatening threats."), "en");
    assert_eq!(hits(&out, "spec", "general"), (1, 0));
    assert_eq!(hits(&out, "spec", "specific"), (1, 0));
}

#[test]
fn russian_surface_and_wildcard_entries_read_yo_as_ye() {
    let lex = parse_native(
        &(header("yo", &["ru", "en"], "surface")
            + r#"
[categories.written_ye]
description = "entries written with е"
entries = ["еще", "объе*"]

[categories.written_yo]
description = "entries written with ё"
entries = ["всё", "зелён*"]
"#),
    );
    let s = scorer(vec![lex], &ScoringConfig::default());
    // Tokens with ё match entries with е and the other way round; in any case.
    let out = s.score(
        &doc_ru("Ещё объём и еще объемы. Все зеленые, всё зелёное."),
        "ru",
    );
    assert_eq!(hits(&out, "yo", "written_ye"), (4, 0));
    assert_eq!(hits(&out, "yo", "written_yo"), (4, 0));
    // Only Russian folds: a Cyrillic word in an English document keeps its ё.
    let out = s.score(&doc_en("ещё and еще"), "en");
    assert_eq!(hits(&out, "yo", "written_ye"), (1, 0));
}

#[test]
fn same_stem_entries_are_flagged_and_the_later_one_never_matches() {
    let text = header("dup", &["en"], "stem")
        + r#"
[categories.a]
description = "a"
entries = ["threat", "sanction", "sanctions", "threat*"]

[categories.b]
description = "b"
entries = ["threats", "embargo"]
"#;
    let path = Path::new("dup.toml");
    let (parsed, diags) = super::parse_checked(
        text.as_bytes(),
        Format::Native,
        path,
        &LoadOptions::default(),
    );
    assert!(diags.is_empty(), "{diags:?}");
    let (lex, map) = parsed.unwrap();
    // "threats" has the stem of "threat", which comes first: it never counts for b.
    let s = scorer(vec![lex.clone()], &ScoringConfig::default());
    let out = s.score(&doc_en("threats and sanctions."), "en");
    assert_eq!(hits(&out, "dup", "a"), (2, 0));
    assert_eq!(hits(&out, "dup", "b"), (0, 0));

    let found = check::check_same_stems(&lex, &map, path, &mut |lang, word| stem(lang, word));
    let lines: Vec<String> = found.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        lines,
        [
            "dup.toml:12: warning: entry \"sanctions\" has the same en stems \"sanction\" as \
             \"sanction\" (line 12) in category \"a\", so it adds nothing",
            "dup.toml:16: warning: entry \"threats\" (category \"b\") has the same en stems \
             \"threat\" as \"threat\" (category \"a\", line 12), which comes first, so \
             \"threats\" never matches; list one of them in both categories",
        ]
    );
}

#[test]
fn output_is_deterministic() {
    let s = scorer(
        vec![mini(), parse_native(WEIGHTED), parse_native(ATTRIBUTION)],
        &ScoringConfig::default(),
    );
    let d =
        doc_en("“threats” said the officials. not good, very bad stability. security guarantees.");
    let a = s.score(&d, "en");
    for _ in 0..5 {
        assert_eq!(s.score(&d, "en"), a);
    }
    let lexicons: Vec<&str> = a.rows.iter().map(|r| r.lexicon.as_str()).collect();
    assert_eq!(
        lexicons,
        vec![
            "mini",
            "mini",
            "mini",
            "val",
            "val",
            "attribution",
            "attribution"
        ]
    );
}

#[test]
#[ignore = "throughput measurement; run with --release -- --ignored --nocapture"]
fn throughput_one_million_tokens() {
    let (lex, docs) = super::testutil::synthetic(5_000, 1_000, 1_000);
    let s = Scorer::new(vec![lex], &ScoringConfig::default(), &mut |_, w| {
        w.to_string()
    })
    .unwrap();
    let t = std::time::Instant::now();
    let mut total = 0u64;
    for d in &docs {
        total += s
            .score(d, "en")
            .rows
            .iter()
            .map(|r| u64::from(r.hits))
            .sum::<u64>();
    }
    let secs = t.elapsed().as_secs_f64();
    let n: usize = docs.iter().map(|d| d.tokens.len()).sum();
    println!(
        "{n} tokens in {secs:.3} s = {:.0} tokens/s ({total} hits)",
        n as f64 / secs
    );
    assert!(total > 0);
}

proptest::proptest! {
    /// With single-category entries and an opposite for every polar category, every matched
    /// span is one hit (flipped or not) and every negated span one negated hit; shares sum
    /// to 1 when there is any hit.
    #[test]
    fn every_span_is_one_hit(
        words in proptest::collection::vec(
            (proptest::sample::select(vec![
                "not", "no", "threat", "threats", "red", "lines", "security", "guarantees",
                "stability", "negotiations", "talks", "escalation", "isn't", "very",
            ]), proptest::bool::weighted(0.15)),
            0..60,
        ),
    ) {
        let text: Vec<String> = words
            .iter()
            .map(|(w, end)| format!("{w}{}", if *end { "." } else { "" }))
            .collect();
        let s = scorer(vec![mini()], &ScoringConfig::default());
        let out = s.score(&doc_en(&text.join(" ")), "en");
        let spans: u32 = out.entry_matches.iter().map(|e| e.count).sum();
        let negated: u32 = out.entry_matches.iter().map(|e| e.negated).sum();
        let hits: u32 = out.rows.iter().map(|r| r.hits).sum();
        let neg_hits: u32 = out.rows.iter().map(|r| r.negated_hits).sum();
        proptest::prop_assert_eq!(hits, spans);
        proptest::prop_assert_eq!(neg_hits, negated);
        let share: f64 = out.rows.iter().map(|r| r.share).sum();
        let expected_share = if hits > 0 { 1.0 } else { 0.0 };
        proptest::prop_assert!((share - expected_share).abs() < 1e-9, "share sum {}", share);
        let sentence_hits: u32 = out.sentences.iter().map(|r| r.hits).sum();
        proptest::prop_assert_eq!(sentence_hits, hits);
    }
}

proptest::proptest! {
    /// No reader panics on arbitrary input, and `load` agrees with the diagnostics.
    #[test]
    fn readers_never_panic(
        text in "[%\\t\\n 0-9a-zа-я*:\\[\\]\"=.,\\-{}#’«»]{0,200}",
        format in proptest::sample::select(vec![Format::Native, Format::Liwc, Format::Yaml, Format::Weighted]),
    ) {
        let path = Path::new("fuzz.txt");
        let (lex, diags) = check_bytes(text.as_bytes(), format, path, &LoadOptions::default());
        let loaded = load_bytes(text.as_bytes(), format, path, &LoadOptions::default());
        let has_error = diags.iter().any(Diagnostic::is_error) || lex.is_none();
        proptest::prop_assert_eq!(loaded.is_err(), has_error);
        if let Ok(lex) = loaded {
            // whatever loads also compiles and converts
            let s = Scorer::new(vec![lex.clone()], &ScoringConfig::default(), &mut |_, w| w.to_string());
            proptest::prop_assert!(s.is_ok());
            for f in [Format::Native, Format::Liwc, Format::Yaml, Format::Weighted] {
                proptest::prop_assert!(write(&lex, f, &mut Vec::new()).is_ok());
            }
        }
    }
}
