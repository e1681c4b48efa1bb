//! Synthetic corpora for benchmarks: a deterministic, seeded generator of news-like articles.
//!
//! [`write_corpus`] streams N articles (or about a given number of bytes) to `corpus.tsv` and
//! writes a ready `study.toml` beside it, so that `framelens run DIR/study.toml` runs at once.
//! The text is made up, but its statistics resemble news: word ranks follow Zipf's law in two
//! regimes (Ferrer i Cancho & Solé 2001), exponent [`ZIPF_EXPONENT`] over a kernel of frequent
//! words (Zipf 1949; Piantadosi 2014 reports exponents near 1 for English corpora) and
//! [`TAIL_EXPONENT`] over an unbounded tail of rare ones; the most frequent ranks are real
//! function words (so stopword filtering has work), the other ranks are pronounceable invented
//! stems, each with its own small paradigm of inflection-like suffixes (so stemming has work);
//! sentences run 10 to 35 words, document lengths are log-normal, and there are commas, dashes,
//! quotations, hyphenated compounds and numbers. The kernel's size is calibrated so that the
//! number of distinct English word forms grows with the corpus as in news: within a few percent
//! of the Heaps' law fit to Reuters RCV1, M = 44 T^0.49 (Manning, Raghavan & Schütze 2008,
//! §5.1.1), from 10⁵ to 1.7 × 10⁷ words; Russian has about 1.5 times as many forms as English at
//! the same length, as the Russian VK posts have against their English translations. About 3% of the tokens are real
//! English or Russian words and phrases of the kind framelens' lexicons list ("threat",
//! "forced to respond", "якобы"), and another 6% are real evaluative words ("support",
//! "failed", "опасность"), both drawn at rates that differ between the state-aligned and the
//! independent outlets, so that comparisons find a difference to report; the evaluative share
//! is calibrated on real news (see [`SynthConfig::tone_rate`]).
//!
//! Every document draws from its own generator seeded from the corpus seed and its index, so the
//! same configuration gives byte-identical files, and the first k documents of a larger corpus
//! are the k documents of a smaller one. Nothing but the current document is held in memory.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Exponent *s* of the rank–frequency law p(r) ∝ r^−s used for word ranks.
pub const ZIPF_EXPONENT: f64 = 1.07;

/// The two outlet groups, in the order outlets are assigned to them (first half state-aligned).
pub const GROUPS: [&str; 2] = ["state-aligned", "independent"];

/// Settings of a synthetic corpus. [`SynthConfig::default`] gives the benchmark defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Number of documents (ignored when `target_bytes` is set).
    pub n_docs: u64,
    /// When set, documents are written until `corpus.tsv` holds at least this many bytes.
    pub target_bytes: Option<u64>,
    /// Seed of every random choice; also written as the study's seed.
    pub seed: u64,
    /// Number of outlets (at least 2); the first half are state-aligned, the rest independent.
    pub outlets: usize,
    /// Number of events (at least 1), a week and a half apart from 2024-01-08.
    pub events: usize,
    /// Probability that a document is in Russian (the others are in English), in [0, 1].
    pub russian_share: f64,
    /// Mean document length in words (log-normal, clamped to 40..=20 × mean).
    pub mean_words: f64,
    /// σ of the log-normal document length (0.5 gives a spread like news articles).
    pub length_sigma: f64,
    /// Invented stems per language in the kernel of the vocabulary (the Zipf ranks after the
    /// function words, before the tail); the tail's stems are invented as they are drawn.
    /// The default, 3,500, gives news-like vocabulary growth (see the module documentation).
    pub vocabulary: usize,
    /// Share of word slots filled with a real lexicon word or phrase.
    pub lexicon_rate: f64,
    /// Share of word slots filled with a real evaluative word ("support", "failed", "опасность").
    ///
    /// The default, 0.06, is calibrated on real news: with it, VADER's lexicon (Hutto & Gilbert
    /// 2014) finds about 7 % of the whitespace-separated English words, as it does (6.9 %) in the
    /// English translations of the 129 VK posts of Eichel et al. (LREC 2022), while invented stems
    /// and the lexicon words alone gave 1.3 %. Lexicon-based scorers, VADER above all, spend
    /// their time on such words, so a corpus without them makes them look several times faster
    /// than on news (`benches/python_peer/README.md`).
    pub tone_rate: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            n_docs: 1000,
            target_bytes: None,
            seed: 42,
            outlets: 8,
            events: 20,
            russian_share: 0.3,
            mean_words: 400.0,
            length_sigma: 0.5,
            vocabulary: 3_500,
            lexicon_rate: 0.03,
            tone_rate: 0.06,
        }
    }
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthSummary {
    /// Path of the corpus file (`DIR/corpus.tsv`).
    pub corpus: PathBuf,
    /// Path of the study file (`DIR/study.toml`).
    pub study: PathBuf,
    /// Documents written.
    pub docs: u64,
    /// Of which in Russian.
    pub docs_ru: u64,
    /// Bytes of `corpus.tsv`, header included.
    pub bytes: u64,
    /// Words generated (function words, stems, lexicon words, numbers; a compound counts once).
    pub words: u64,
}

/// Writes `corpus.tsv` and `study.toml` into `dir` (created if missing) and returns a summary.
///
/// `corpus.tsv` has the header `id outlet group event date language text` (tab-separated);
/// no field contains a tab or a line break, so it is read with `quoting = false`. Paragraphs
/// are separated by two spaces, since a field cannot hold a line break.
pub fn write_corpus(dir: &Path, config: &SynthConfig) -> io::Result<SynthSummary> {
    validate(config)?;
    std::fs::create_dir_all(dir)?;
    let corpus_path = dir.join("corpus.tsv");
    let study_path = dir.join("study.toml");
    let generator = Generator::new(config);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&corpus_path)?);
    let header = b"id\toutlet\tgroup\tevent\tdate\tlanguage\ttext\n";
    out.write_all(header)?;
    let mut summary = SynthSummary {
        corpus: corpus_path,
        study: study_path.clone(),
        docs: 0,
        docs_ru: 0,
        bytes: header.len() as u64,
        words: 0,
    };
    let mut line = Vec::with_capacity(1 << 16);
    loop {
        let done = match config.target_bytes {
            Some(target) => summary.bytes >= target,
            None => summary.docs >= config.n_docs,
        };
        if done {
            break;
        }
        line.clear();
        let doc = generator.document(summary.docs, &mut line);
        out.write_all(&line)?;
        summary.docs += 1;
        summary.docs_ru += u64::from(doc.russian);
        summary.bytes += line.len() as u64;
        summary.words += doc.words;
    }
    out.flush()?;
    std::fs::write(&study_path, study_toml(config, &summary))?;
    Ok(summary)
}

fn validate(config: &SynthConfig) -> io::Result<()> {
    let bad = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
    if config.outlets < 2 {
        return bad(format!(
            "synthetic corpus: outlets is {}, need at least 2",
            config.outlets
        ));
    }
    if config.events == 0 {
        return bad("synthetic corpus: events is 0, need at least 1".to_string());
    }
    if !(0.0..=1.0).contains(&config.russian_share) {
        return bad(format!(
            "synthetic corpus: russian share {} is not between 0 and 1",
            config.russian_share
        ));
    }
    if !(config.mean_words >= 1.0 && config.mean_words.is_finite()) {
        return bad(format!(
            "synthetic corpus: mean words {} is not a positive number",
            config.mean_words
        ));
    }
    if !(0.0..=3.0).contains(&config.length_sigma) {
        return bad(format!(
            "synthetic corpus: length sigma {} is not between 0 and 3",
            config.length_sigma
        ));
    }
    if !(0.0..=0.5).contains(&config.lexicon_rate) {
        return bad(format!(
            "synthetic corpus: lexicon rate {} is not between 0 and 0.5",
            config.lexicon_rate
        ));
    }
    if !(0.0..=0.5).contains(&config.tone_rate) {
        return bad(format!(
            "synthetic corpus: tone rate {} is not between 0 and 0.5",
            config.tone_rate
        ));
    }
    if config.vocabulary < 100 {
        return bad(format!(
            "synthetic corpus: vocabulary {} is below 100 stems",
            config.vocabulary
        ));
    }
    Ok(())
}

/// The study file written next to the corpus.
fn study_toml(config: &SynthConfig, summary: &SynthSummary) -> String {
    format!(
        "# A synthetic corpus written by `framelens generate` (seed {seed}): {docs} documents,\n\
         # {ru} in Russian, {outlets} outlets, {events} events, {bytes} bytes.\n\
         name = \"synth\"\n\
         description = \"Synthetic benchmark corpus (seed {seed}, {docs} documents).\"\n\
         language = \"en\"\n\
         seed = {seed}\n\
         \n\
         [corpus]\n\
         path = \"corpus.tsv\"\n\
         format = \"tsv\"\n\
         quoting = false\n\
         date-formats = [\"%Y-%m-%d\"]\n\
         \n\
         [corpus.columns]\n\
         id = \"id\"\n\
         text = \"text\"\n\
         outlet = \"outlet\"\n\
         group = \"group\"\n\
         event = \"event\"\n\
         date = \"date\"\n\
         language = \"language\"\n",
        seed = config.seed,
        docs = summary.docs,
        ru = summary.docs_ru,
        outlets = config.outlets,
        events = config.events,
        bytes = summary.bytes,
    )
}

// ---------------------------------------------------------------------------------------------
// Word material. Every list below was written for this generator.

const EN_FUNCTION: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "is", "for", "on", "said", "with", "was", "as",
    "by", "it", "at", "from", "he", "his", "be", "has", "have", "not", "are", "this", "an", "they",
    "but", "which", "were", "who", "will", "had", "their", "its", "after", "been", "also", "would",
    "more", "than", "about", "there", "over", "into", "could", "when", "all", "or",
];

const RU_FUNCTION: &[&str] = &[
    "и",
    "в",
    "не",
    "на",
    "что",
    "с",
    "по",
    "он",
    "к",
    "а",
    "это",
    "как",
    "из",
    "за",
    "о",
    "для",
    "у",
    "от",
    "так",
    "но",
    "был",
    "его",
    "она",
    "они",
    "до",
    "же",
    "бы",
    "при",
    "уже",
    "было",
    "только",
    "также",
    "после",
    "мы",
    "их",
    "или",
    "все",
    "ее",
    "чтобы",
    "где",
    "когда",
    "более",
    "том",
    "под",
    "может",
    "между",
    "без",
    "если",
    "во",
    "со",
];

const EN_ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "k", "l", "m", "n", "p",
    "pl", "pr", "r", "s", "sh", "sl", "st", "t", "th", "tr", "v", "w",
];
const EN_VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "ee",
];
const EN_CODAS: &[&str] = &[
    "n", "r", "l", "s", "t", "nd", "st", "m", "ck", "nt", "rd", "p",
];
/// Suffixes, repeated to weight them; "" (the bare stem) is the most frequent form.
const EN_SUFFIXES: &[&str] = &[
    "", "", "", "", "", "s", "s", "s", "ed", "ed", "ing", "ing", "er", "ers", "ion", "ions", "ly",
    "ment", "ness", "al", "ive", "ity",
];

const RU_ONSETS: &[&str] = &[
    "б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ч", "ш", "пр",
    "ст", "гр", "кр", "тр", "зв", "сл", "дв",
];
const RU_VOWELS: &[&str] = &["а", "е", "и", "о", "у", "ы", "я", "ю", "а", "о", "е"];
const RU_CODAS: &[&str] = &[
    "н", "р", "л", "с", "т", "к", "в", "м", "ст", "нт", "рж", "д",
];
const RU_SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    "а",
    "а",
    "ы",
    "у",
    "ов",
    "ами",
    "ой",
    "ого",
    "ому",
    "ая",
    "ые",
    "ых",
    "ение",
    "ения",
    "ость",
    "ости",
    "ить",
    "ает",
    "или",
    "ал",
    "ала",
    "ский",
    "ского",
];

/// A lexicon word or phrase with its relative rate in state-aligned and independent outlets.
type LexItem = (&'static str, u32, u32);

const EN_LEXICON: &[LexItem] = &[
    ("security", 3, 3),
    ("peace", 2, 2),
    ("agreement", 2, 2),
    ("attack", 2, 2),
    ("crisis", 2, 2),
    ("sanctions", 2, 2),
    ("military", 3, 3),
    ("talks", 2, 2),
    ("killed", 1, 2),
    ("threat", 3, 2),
    ("stability", 2, 1),
    ("negotiations", 2, 2),
    ("war", 2, 3),
    ("conflict", 2, 2),
    ("ceasefire", 1, 1),
    ("missile", 2, 2),
    ("troops", 2, 2),
    ("cooperation", 2, 1),
    ("violence", 1, 2),
    ("announced", 2, 2),
    ("forced to respond", 4, 1),
    ("stressed", 4, 1),
    ("emphasized", 3, 1),
    ("noted", 3, 1),
    ("provocation", 3, 1),
    ("aggression", 3, 1),
    ("sovereignty", 3, 1),
    ("encirclement", 2, 0),
    ("security guarantees", 3, 1),
    ("hostile", 2, 1),
    ("destabilizing", 2, 1),
    ("legitimate", 2, 1),
    ("retaliation", 2, 1),
    ("terrorists", 2, 1),
    ("successful", 2, 1),
    ("claimed", 1, 4),
    ("reportedly", 1, 4),
    ("allegedly", 1, 3),
    ("so-called", 1, 3),
    ("according to", 1, 3),
    ("propaganda", 1, 3),
    ("casualties", 1, 3),
    ("invasion", 0, 3),
    ("repression", 0, 2),
    ("protest", 1, 2),
    ("denied", 1, 2),
    ("critics", 1, 2),
    ("occupation", 1, 2),
    ("civilians", 1, 3),
    ("shelling", 1, 2),
    ("evidence", 1, 2),
    ("may have", 1, 2),
];

const RU_LEXICON: &[LexItem] = &[
    ("безопасность", 3, 3),
    ("мир", 2, 2),
    ("соглашение", 2, 2),
    ("нападение", 2, 2),
    ("кризис", 2, 2),
    ("санкции", 2, 2),
    ("переговоры", 2, 2),
    ("угроза", 3, 2),
    ("стабильность", 2, 1),
    ("конфликт", 2, 2),
    ("ракета", 2, 2),
    ("войска", 2, 2),
    ("сотрудничество", 2, 1),
    ("война", 1, 3),
    ("перемирие", 1, 1),
    ("поддержка", 2, 2),
    ("заявил", 2, 2),
    ("сообщил", 2, 2),
    ("вынуждены ответить", 4, 1),
    ("подчеркнул", 4, 1),
    ("отметил", 3, 1),
    ("напомнил", 3, 1),
    ("провокация", 3, 1),
    ("агрессия", 3, 1),
    ("суверенитет", 3, 1),
    ("гарантии безопасности", 3, 1),
    ("враждебный", 2, 1),
    ("дестабилизация", 2, 1),
    ("законный", 2, 1),
    ("ответные меры", 2, 1),
    ("русофобия", 2, 0),
    ("успешно", 2, 1),
    ("якобы", 1, 4),
    ("так называемый", 1, 3),
    ("по данным", 1, 3),
    ("утверждает", 1, 3),
    ("пропаганда", 1, 3),
    ("жертвы", 1, 3),
    ("вторжение", 0, 3),
    ("репрессии", 0, 2),
    ("протест", 1, 2),
    ("отрицает", 1, 2),
    ("критики", 1, 2),
    ("оккупация", 1, 2),
    ("мирные жители", 1, 3),
    ("обстрел", 1, 2),
    ("доказательства", 1, 2),
    ("возможно", 1, 2),
];

/// Evaluative words of everyday news language (positive and negative), drawn at
/// [`SynthConfig::tone_rate`]; the weights tilt negative words slightly towards the independent
/// outlets and positive ones towards the state-aligned outlets.
const EN_TONE: &[LexItem] = &[
    ("support", 3, 2),
    ("help", 2, 2),
    ("strong", 2, 1),
    ("important", 3, 2),
    ("good", 2, 2),
    ("hope", 2, 2),
    ("agreed", 2, 2),
    ("protect", 2, 1),
    ("safe", 2, 1),
    ("free", 1, 2),
    ("win", 1, 1),
    ("success", 2, 1),
    ("best", 1, 1),
    ("welcomed", 2, 1),
    ("praised", 2, 1),
    ("positive", 2, 1),
    ("friendly", 2, 1),
    ("respect", 2, 1),
    ("trust", 1, 1),
    ("benefit", 1, 1),
    ("opportunity", 1, 1),
    ("improve", 1, 1),
    ("calm", 1, 1),
    ("united", 2, 1),
    ("ready", 2, 1),
    ("problem", 2, 2),
    ("concern", 2, 2),
    ("concerns", 1, 2),
    ("warned", 2, 2),
    ("fear", 1, 2),
    ("fears", 1, 2),
    ("danger", 2, 1),
    ("dangerous", 2, 1),
    ("bad", 1, 1),
    ("worse", 1, 2),
    ("failed", 1, 2),
    ("failure", 1, 2),
    ("loss", 1, 2),
    ("losses", 1, 2),
    ("dead", 1, 2),
    ("death", 1, 2),
    ("kill", 1, 1),
    ("injured", 1, 2),
    ("hurt", 1, 1),
    ("destroyed", 1, 2),
    ("damage", 1, 2),
    ("blame", 2, 1),
    ("blamed", 2, 1),
    ("accused", 2, 2),
    ("condemned", 2, 2),
    ("criticized", 1, 2),
    ("rejected", 2, 1),
    ("refused", 1, 2),
    ("threatened", 2, 2),
    ("attacks", 1, 2),
    ("fighting", 1, 2),
    ("crime", 1, 2),
    ("arrested", 1, 2),
    ("prison", 0, 2),
    ("fraud", 1, 1),
    ("corruption", 1, 2),
    ("illegal", 2, 1),
    ("unacceptable", 2, 1),
    ("tension", 2, 2),
    ("pressure", 2, 2),
    ("difficult", 1, 2),
    ("serious", 1, 2),
    ("worried", 1, 2),
    ("angry", 1, 1),
    ("shock", 1, 1),
    ("tragedy", 1, 2),
    ("chaos", 2, 1),
    ("lies", 2, 1),
    ("false", 2, 1),
    ("enemy", 2, 1),
];

/// Russian evaluative words, drawn like [`EN_TONE`].
const RU_TONE: &[LexItem] = &[
    ("поддержка", 3, 2),
    ("помощь", 2, 2),
    ("сильный", 2, 1),
    ("важно", 3, 2),
    ("хорошо", 2, 2),
    ("надежда", 2, 2),
    ("договорились", 2, 2),
    ("защитить", 2, 1),
    ("безопасно", 2, 1),
    ("свобода", 1, 2),
    ("победа", 2, 1),
    ("успех", 2, 1),
    ("лучший", 1, 1),
    ("приветствовал", 2, 1),
    ("высоко оценил", 2, 1),
    ("позитивный", 2, 1),
    ("дружественный", 2, 1),
    ("уважение", 2, 1),
    ("доверие", 1, 1),
    ("выгода", 1, 1),
    ("возможность", 1, 1),
    ("улучшить", 1, 1),
    ("спокойно", 1, 1),
    ("единство", 2, 1),
    ("готовы", 2, 1),
    ("проблема", 2, 2),
    ("обеспокоенность", 2, 2),
    ("опасения", 1, 2),
    ("предупредил", 2, 2),
    ("страх", 1, 2),
    ("опасность", 2, 1),
    ("опасный", 2, 1),
    ("плохо", 1, 1),
    ("хуже", 1, 2),
    ("провал", 1, 2),
    ("неудача", 1, 2),
    ("потери", 1, 2),
    ("погибли", 1, 2),
    ("смерть", 1, 2),
    ("убит", 1, 1),
    ("ранены", 1, 2),
    ("пострадали", 1, 2),
    ("разрушен", 1, 2),
    ("ущерб", 1, 2),
    ("обвинил", 2, 2),
    ("обвинения", 2, 2),
    ("осудил", 2, 2),
    ("раскритиковал", 1, 2),
    ("отверг", 2, 1),
    ("отказался", 1, 2),
    ("пригрозил", 2, 2),
    ("атаки", 1, 2),
    ("бои", 1, 2),
    ("преступление", 1, 2),
    ("задержан", 1, 2),
    ("тюрьма", 0, 2),
    ("мошенничество", 1, 1),
    ("коррупция", 1, 2),
    ("незаконный", 2, 1),
    ("недопустимо", 2, 1),
    ("напряженность", 2, 2),
    ("давление", 2, 2),
    ("сложный", 1, 2),
    ("серьезный", 1, 2),
    ("тревога", 1, 2),
    ("гнев", 1, 1),
    ("шок", 1, 1),
    ("трагедия", 1, 2),
    ("хаос", 2, 1),
    ("ложь", 2, 1),
    ("фейк", 2, 1),
    ("враг", 2, 1),
];

/// Outlet names; beyond the list, outlets are numbered.
const STATE_OUTLETS: &[&str] = &[
    "Vostok Herald",
    "Polar Star News",
    "Sever Daily",
    "Krai Wire",
];
const INDEPENDENT_OUTLETS: &[&str] = &[
    "Open Lens",
    "Riverbank Post",
    "Free Meridian",
    "Lantern Weekly",
];

// ---------------------------------------------------------------------------------------------

/// Word-rank sampler: the cumulative distribution of p(r) ∝ r^−s over ranks 1..=n.
#[derive(Debug, Clone)]
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, exponent: f64) -> Self {
        let mut cdf = Vec::with_capacity(n);
        let mut total = 0.0;
        for r in 1..=n {
            total += (r as f64).powf(-exponent);
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Zipf { cdf }
    }

    /// A 0-based rank.
    fn sample(&self, rng: &mut impl Rng) -> usize {
        let u: f64 = rng.gen();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }
}

/// One language's word material.
#[derive(Debug)]
struct Lang {
    code: &'static str,
    function: &'static [&'static str],
    suffixes: &'static [&'static str],
    /// Invented stems by rank (after the function words): the kernel of the vocabulary. Ranks
    /// past it (the tail) are invented when drawn, from the rank alone ([`Lang::stem`]).
    stems: Vec<String>,
    zipf: Zipf,
    /// Share of word draws that go to the tail (ranks past the kernel).
    tail_share: f64,
    /// Mixed into the seed of the generator that invents a tail stem and of every stem's
    /// paradigm, so both depend on the corpus seed, the language and the rank only.
    salt: u64,
    /// Lexicon words and phrases, drawn at [`SynthConfig::lexicon_rate`].
    lexicon: Weighted,
    /// Evaluative words, drawn at [`SynthConfig::tone_rate`].
    tone: Weighted,
    /// Per event: topic stems (capitalized names first).
    topics: Vec<Vec<String>>,
    quotes: (&'static str, &'static str),
}

impl Lang {
    #[allow(clippy::too_many_arguments)]
    fn new(
        code: &'static str,
        function: &'static [&'static str],
        parts: [&'static [&'static str]; 3],
        suffixes: &'static [&'static str],
        [lexicon, tone]: [&'static [LexItem]; 2],
        quotes: (&'static str, &'static str),
        config: &SynthConfig,
        salt: u64,
    ) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seed ^ salt);
        let mut seen: HashSet<String> = function.iter().map(|w| w.to_string()).collect();
        let mut stems = Vec::with_capacity(config.vocabulary);
        while stems.len() < config.vocabulary {
            let rank = stems.len();
            // Frequent words are short: one or two syllables in the head, up to four in the tail.
            let extra = usize::from(rank > 300) + usize::from(rank > 5000);
            let syllables = 1 + extra + rng.gen_range(0..2);
            let stem = invent(&mut rng, parts, syllables);
            if seen.insert(stem.clone()) {
                stems.push(stem);
            }
        }
        let topics = (0..config.events)
            .map(|_| {
                let mut t: Vec<String> = (0..2)
                    .map(|_| capitalize(&invent(&mut rng, parts, 2)))
                    .collect();
                t.extend((0..8).map(|_| stems[rng.gen_range(200..stems.len().min(5000))].clone()));
                t
            })
            .collect();
        let kernel = function.len() + stems.len();
        Lang {
            code,
            function,
            suffixes,
            zipf: Zipf::new(kernel, ZIPF_EXPONENT),
            tail_share: tail_share(kernel),
            salt: config.seed ^ salt,
            stems,
            lexicon: Weighted::new(lexicon),
            tone: Weighted::new(tone),
            topics,
            quotes,
        }
    }
}

impl Lang {
    /// A 0-based word rank: function words first, then invented stems. Ranks follow Zipf's law
    /// in two regimes (Ferrer i Cancho & Solé 2001): exponent [`ZIPF_EXPONENT`] over the
    /// kernel (the function words and `vocabulary` stems), then [`TAIL_EXPONENT`] past it, the
    /// two densities meeting at the kernel's last rank. The tail is unbounded, so the number of
    /// distinct words keeps growing with the corpus as Heaps' law says it does in news.
    fn rank(&self, rng: &mut impl Rng) -> usize {
        if rng.gen::<f64>() >= self.tail_share {
            return self.zipf.sample(rng);
        }
        // Inverse CDF of the Pareto density ∝ (r / K)^−s over r > K.
        let kernel = self.zipf.cdf.len() as f64;
        let u: f64 = rng.gen();
        let r = kernel * (1.0 - u).powf(-1.0 / (TAIL_EXPONENT - 1.0));
        (r as usize).clamp(self.zipf.cdf.len(), u32::MAX as usize)
    }

    /// The stem of a rank past the function words.
    fn stem(&self, rank: usize) -> std::borrow::Cow<'_, str> {
        let i = rank - self.function.len();
        match self.stems.get(i) {
            Some(stem) => std::borrow::Cow::Borrowed(stem),
            None => {
                let mut rng = self.rank_rng(rank, 0);
                let syllables = 3 + rng.gen_range(0..2);
                let parts = if self.code == "ru" {
                    [RU_ONSETS, RU_VOWELS, RU_CODAS]
                } else {
                    [EN_ONSETS, EN_VOWELS, EN_CODAS]
                };
                std::borrow::Cow::Owned(invent(&mut rng, parts, syllables))
            }
        }
    }

    /// A suffix for one occurrence of the stem of `rank`, from that stem's own paradigm: a
    /// fixed handful of the language's suffixes chosen per stem ([`PARADIGM_SIZES`]), so a
    /// word shows up in a few forms, as in real text, rather than with every suffix.
    fn suffix(&self, rank: usize, rng: &mut impl Rng) -> &'static str {
        let (bare, sizes) = if self.code == "ru" {
            (RU_BARE, &PARADIGM_SIZES[1])
        } else {
            (EN_BARE, &PARADIGM_SIZES[0])
        };
        let mut own = self.rank_rng(rank, 1);
        let size = sizes[own.gen_range(0..sizes.len())];
        if size == 0 || rng.gen::<f64>() < bare {
            return "";
        }
        let pick = rng.gen_range(0..size);
        let mut chosen: [&'static str; 8] = [""; 8];
        let mut n = 0;
        while n <= pick {
            let s = self.suffixes[own.gen_range(0..self.suffixes.len())];
            if !s.is_empty() && !chosen[..n].contains(&s) {
                chosen[n] = s;
                n += 1;
            }
        }
        chosen[pick]
    }

    /// The second stem of the compound that the stem of `rank` starts: a kernel stem.
    fn partner(&self, rank: usize) -> usize {
        let n = self.zipf.cdf.len();
        self.rank_rng(rank, 2)
            .gen_range(self.function.len().min(n - 1)..n)
    }

    /// The generator of what belongs to one rank (`what` 0: its stem, 1: its paradigm, 2: its
    /// compound partner).
    fn rank_rng(&self, rank: usize, what: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(
            self.salt ^ (rank as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ what.rotate_left(61),
        )
    }
}

/// Exponent of the rank–frequency law past the kernel of the vocabulary. Ferrer i Cancho &
/// Solé (2001) find about 2 for the rare words of large English corpora; with it the number of
/// distinct word forms grows about as the square root of the corpus (Heaps' law with exponent
/// near 1 / 2).
pub const TAIL_EXPONENT: f64 = 2.0;

/// Per language (English, Russian): the numbers of suffixes a stem's paradigm may have, one
/// drawn per stem. English words appear in few forms; Russian ones inflect for case and number.
const PARADIGM_SIZES: [&[usize]; 2] = [&[0, 0, 1, 1, 1, 2, 3], &[2, 3, 4, 5, 6, 7]];

/// Share of a stem's occurrences written bare (no suffix), per language.
const EN_BARE: f64 = 0.65;
const RU_BARE: f64 = 0.3;

/// The share of draws in the tail for a kernel of `kernel` ranks: the tail's mass over
/// the whole, where the kernel's mass is Σ r^−s₁ over its ranks and the tail's is the integral
/// of K^−s₁ (r / K)^−s₂ over r > K, that is K^(1 − s₁) / (s₂ − 1).
fn tail_share(kernel: usize) -> f64 {
    let k = kernel as f64;
    let head: f64 = (1..=kernel).map(|r| (r as f64).powf(-ZIPF_EXPONENT)).sum();
    let tail = k.powf(1.0 - ZIPF_EXPONENT) / (TAIL_EXPONENT - 1.0);
    tail / (head + tail)
}

/// Words with a weight per outlet group, sampled by inverse cumulative weights.
#[derive(Debug)]
struct Weighted {
    items: &'static [LexItem],
    /// Per group: cumulative weights over `items`.
    cdf: [Vec<u32>; 2],
}

impl Weighted {
    fn new(items: &'static [LexItem]) -> Self {
        let cumulative = |group: usize| {
            let mut total = 0;
            items
                .iter()
                .map(|item| {
                    total += if group == 0 { item.1 } else { item.2 };
                    total
                })
                .collect::<Vec<u32>>()
        };
        Weighted {
            items,
            cdf: [cumulative(0), cumulative(1)],
        }
    }

    fn sample(&self, rng: &mut impl Rng, group: usize) -> &'static str {
        let cdf = &self.cdf[group];
        let total = cdf.last().copied().unwrap_or(1);
        let pick = rng.gen_range(0..total);
        self.items[cdf.partition_point(|&w| w <= pick)].0
    }
}

/// An invented stem: `syllables` onset–vowel pairs and a closing consonant.
fn invent(rng: &mut impl Rng, parts: [&[&str]; 3], syllables: usize) -> String {
    let [onsets, vowels, codas] = parts;
    let mut s = String::new();
    for _ in 0..syllables {
        s.push_str(onsets[rng.gen_range(0..onsets.len())]);
        s.push_str(vowels[rng.gen_range(0..vowels.len())]);
    }
    s.push_str(codas[rng.gen_range(0..codas.len())]);
    s
}

/// The word with its first letter in upper case (any script).
fn capitalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    push_word(&mut out, word, true);
    out
}

/// Appends `word`, with its first letter in upper case when `cap` is set.
fn push_word(out: &mut String, word: &str, cap: bool) {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if cap && !c.is_uppercase() => {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
        _ => out.push_str(word),
    }
}

/// What one document contributed to the summary.
struct DocStats {
    russian: bool,
    words: u64,
}

/// The vocabulary of both languages and the corpus layout; documents are generated from it.
struct Generator {
    config: SynthConfig,
    langs: [Lang; 2],
    outlets: Vec<(String, &'static str)>,
    base_date: NaiveDate,
}

impl Generator {
    fn new(config: &SynthConfig) -> Self {
        let en = Lang::new(
            "en",
            EN_FUNCTION,
            [EN_ONSETS, EN_VOWELS, EN_CODAS],
            EN_SUFFIXES,
            [EN_LEXICON, EN_TONE],
            ("“", "”"),
            config,
            0x656e_0000_0000_0001,
        );
        let ru = Lang::new(
            "ru",
            RU_FUNCTION,
            [RU_ONSETS, RU_VOWELS, RU_CODAS],
            RU_SUFFIXES,
            [RU_LEXICON, RU_TONE],
            ("«", "»"),
            config,
            0x7275_0000_0000_0002,
        );
        let n_state = config.outlets / 2;
        let outlets = (0..config.outlets)
            .map(|i| {
                let (group, list, k) = if i < n_state {
                    (0, STATE_OUTLETS, i)
                } else {
                    (1, INDEPENDENT_OUTLETS, i - n_state)
                };
                let name = list
                    .get(k)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| format!("{} Outlet {}", GROUPS[group], k + 1));
                (name, GROUPS[group])
            })
            .collect();
        Generator {
            config: config.clone(),
            langs: [en, ru],
            outlets,
            base_date: NaiveDate::from_ymd_opt(2024, 1, 8).unwrap_or_default(),
        }
    }

    /// Appends document `index` as one TSV line (with its line break) to `line`.
    fn document(&self, index: u64, line: &mut Vec<u8>) -> DocStats {
        let c = &self.config;
        // SplitMix-style mixing of seed and index; seed_from_u64 expands it further.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(
            c.seed ^ (index.wrapping_add(1)).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let russian = rng.gen::<f64>() < c.russian_share;
        let lang = &self.langs[usize::from(russian)];
        let outlet = rng.gen_range(0..self.outlets.len());
        let (outlet_name, group) = &self.outlets[outlet];
        let group_index = usize::from(*group == GROUPS[1]);
        let event = rng.gen_range(0..c.events);
        let date = self
            .base_date
            .checked_add_days(Days::new(event as u64 * 11 + rng.gen_range(0..5)))
            .unwrap_or(self.base_date);
        // Log-normal length with the configured mean: mean = exp(μ + σ²/2).
        let sigma = c.length_sigma;
        let mu = c.mean_words.ln() - sigma * sigma / 2.0;
        let z = standard_normal(&mut rng);
        let target = ((mu + sigma * z).exp().round() as u64).clamp(40, 20 * c.mean_words as u64);

        let mut text = String::with_capacity(target as usize * 9);
        let mut words = 0u64;
        while words < target {
            // A paragraph: 2 to 6 sentences; paragraphs are separated by two spaces.
            if !text.is_empty() {
                text.push_str("  ");
            }
            let sentences = rng.gen_range(2..=6);
            for s in 0..sentences {
                if s > 0 {
                    text.push(' ');
                }
                words += self.sentence(&mut rng, lang, group_index, event, &mut text);
            }
        }
        use std::fmt::Write as _;
        let mut head = String::with_capacity(96);
        let _ = write!(
            head,
            "syn-{:07}\t{}\t{}\tevent-{:02}\t{}\t{}\t",
            index + 1,
            outlet_name,
            group,
            event + 1,
            date,
            lang.code
        );
        line.extend_from_slice(head.as_bytes());
        line.extend_from_slice(text.as_bytes());
        line.push(b'\n');
        DocStats { russian, words }
    }

    /// Appends one sentence of 10 to 35 words; returns the number of words.
    fn sentence(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        lang: &Lang,
        group: usize,
        event: usize,
        text: &mut String,
    ) -> u64 {
        let c = &self.config;
        let length = 10 + rng.gen_range(0..=12) + rng.gen_range(0..=13);
        let mut n = 0;
        let mut quote_left = 0;
        while n < length {
            let first = n == 0;
            if !first {
                let r: f64 = rng.gen();
                if quote_left == 0 && r < 0.06 {
                    text.push(',');
                } else if quote_left == 0 && r < 0.068 {
                    text.push_str(" —");
                }
                text.push(' ');
            }
            if quote_left == 0 && !first && rng.gen::<f64>() < 0.008 {
                text.push_str(lang.quotes.0);
                quote_left = rng.gen_range(1..=2);
            }
            let r: f64 = rng.gen();
            let drawn = c.lexicon_rate + c.tone_rate;
            if r < drawn {
                let words = if r < c.lexicon_rate {
                    &lang.lexicon
                } else {
                    &lang.tone
                };
                let item = words.sample(rng, group);
                push_word(text, item, first);
                n += item.split(' ').count();
            } else if r < drawn + 0.04 {
                let topics = &lang.topics[event];
                let t = rng.gen_range(0..topics.len());
                push_word(text, &topics[t], first);
                if t >= 2 {
                    text.push_str(lang.suffixes[rng.gen_range(0..lang.suffixes.len())]);
                }
                n += 1;
            } else if r < drawn + 0.05 {
                push_number(rng, text);
                n += 1;
            } else {
                let rank = lang.rank(rng);
                if rank < lang.function.len() {
                    push_word(text, lang.function[rank], first);
                } else {
                    push_word(text, &lang.stem(rank), first);
                    text.push_str(lang.suffix(rank, rng));
                    if rng.gen::<f64>() < 0.015 {
                        // A hyphenated compound of two invented stems; the second is the first's
                        // fixed partner, as compounds are words of their own ("long-range").
                        text.push('-');
                        text.push_str(&lang.stem(lang.partner(rank)));
                    }
                }
                n += 1;
            }
            if quote_left > 0 {
                quote_left -= 1;
                if quote_left == 0 {
                    text.push_str(lang.quotes.1);
                }
            }
        }
        if quote_left > 0 {
            text.push_str(lang.quotes.1);
        }
        let end: f64 = rng.gen();
        text.push(if end < 0.95 {
            '.'
        } else if end < 0.98 {
            '?'
        } else {
            '!'
        });
        n as u64
    }
}

/// A number as news writes them: a year, a count with thousands separators, a decimal, a
/// percentage or a small integer.
fn push_number(rng: &mut impl Rng, text: &mut String) {
    use std::fmt::Write as _;
    let _ = match rng.gen_range(0..5) {
        0 => write!(text, "{}", rng.gen_range(1990..=2025)),
        1 => write!(
            text,
            "{},{:03}",
            rng.gen_range(1..=99),
            rng.gen_range(0..1000)
        ),
        2 => write!(text, "{}.{}", rng.gen_range(0..=99), rng.gen_range(1..=9)),
        3 => write!(text, "{}%", rng.gen_range(1..=99)),
        _ => write!(text, "{}", rng.gen_range(2..=500)),
    };
}

/// A standard normal deviate by the Box–Muller transform (Box & Muller 1958).
fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>(); // (0, 1]: ln is finite
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn small(n_docs: u64, seed: u64) -> SynthConfig {
        SynthConfig {
            n_docs,
            seed,
            mean_words: 120.0,
            vocabulary: 2000,
            ..SynthConfig::default()
        }
    }

    #[test]
    fn same_seed_gives_identical_files() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let config = small(60, 7);
        let sa = write_corpus(a.path(), &config).unwrap();
        let sb = write_corpus(b.path(), &config).unwrap();
        assert_eq!(sa.bytes, sb.bytes);
        let ta = std::fs::read(&sa.corpus).unwrap();
        assert_eq!(ta, std::fs::read(&sb.corpus).unwrap());
        assert_eq!(
            std::fs::read(&sa.study).unwrap(),
            std::fs::read(&sb.study).unwrap()
        );
        let c = tempfile::tempdir().unwrap();
        let sc = write_corpus(c.path(), &small(60, 8)).unwrap();
        assert_ne!(ta, std::fs::read(&sc.corpus).unwrap());
    }

    #[test]
    fn rows_and_columns_are_well_formed() {
        let dir = tempfile::tempdir().unwrap();
        let s = write_corpus(dir.path(), &small(150, 1)).unwrap();
        let text = std::fs::read_to_string(&s.corpus).unwrap();
        assert_eq!(text.len() as u64, s.bytes);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 151);
        assert_eq!(lines[0], "id\toutlet\tgroup\tevent\tdate\tlanguage\ttext");
        let mut ru = 0;
        for (i, line) in lines[1..].iter().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 7, "line {}", i + 2);
            assert_eq!(f[0], format!("syn-{:07}", i + 1));
            assert!(GROUPS.contains(&f[2]));
            assert!(NaiveDate::parse_from_str(f[4], "%Y-%m-%d").is_ok());
            assert!(!f[6].contains('\r'));
            if f[5] == "ru" {
                ru += 1;
                assert!(f[6].chars().any(|c| ('а'..='я').contains(&c)));
            } else {
                assert_eq!(f[5], "en");
            }
        }
        assert_eq!(ru, s.docs_ru);
        // 150 draws at p = 0.3: 45 expected, sd 5.6.
        assert!((25..=65).contains(&ru), "{ru} Russian documents");
        let study = std::fs::read_to_string(&s.study).unwrap();
        assert!(study.contains("quoting = false"));
        assert!(study.contains("path = \"corpus.tsv\""));
    }

    #[test]
    fn target_bytes_writes_a_prefix_of_the_same_corpus() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let by_docs = write_corpus(a.path(), &small(40, 3)).unwrap();
        let config = SynthConfig {
            target_bytes: Some(by_docs.bytes / 2),
            ..small(0, 3)
        };
        let by_bytes = write_corpus(b.path(), &config).unwrap();
        assert!(by_bytes.bytes >= by_docs.bytes / 2);
        let full = std::fs::read(&by_docs.corpus).unwrap();
        let part = std::fs::read(&by_bytes.corpus).unwrap();
        assert!(by_bytes.docs < 40);
        assert_eq!(&full[..part.len()], &part[..]);
    }

    #[test]
    fn zipf_head_follows_the_exponent() {
        let zipf = Zipf::new(10_000, ZIPF_EXPONENT);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut counts = [0u32; 10];
        for _ in 0..400_000 {
            let r = zipf.sample(&mut rng);
            if r < 10 {
                counts[r] += 1;
            }
        }
        // p(1)/p(2) = 2^1.07 = 2.10; p(1)/p(10) = 10^1.07 = 11.75.
        let r12 = f64::from(counts[0]) / f64::from(counts[1]);
        let r110 = f64::from(counts[0]) / f64::from(counts[9]);
        assert!((r12 - 2.10).abs() < 0.1, "p1/p2 = {r12}");
        assert!((r110 - 11.75).abs() < 1.0, "p1/p10 = {r110}");
    }

    /// Distinct lowercased word forms (runs of letters and digits) after the first `at[i]`
    /// words of each language, English and Russian, in corpus order.
    fn distinct_forms(corpus: &str, at: &[usize]) -> [Vec<usize>; 2] {
        let mut seen: [HashSet<String>; 2] = Default::default();
        let mut words = [0usize; 2];
        let mut out: [Vec<usize>; 2] = Default::default();
        for line in corpus.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let l = usize::from(f[5] == "ru");
            for w in f[6]
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                seen[l].insert(w.to_lowercase());
                words[l] += 1;
                if at.get(out[l].len()) == Some(&words[l]) {
                    out[l].push(seen[l].len());
                }
            }
        }
        out
    }

    /// Vocabulary growth like news. English: within 15 % of the Heaps' law fit to Reuters
    /// RCV1, M = 44 T^0.49 (Manning, Raghavan & Schütze 2008, *Introduction to Information
    /// Retrieval*, §5.1.1, whose example counts 38,365 distinct terms in its first 1,000,020
    /// tokens), at 50,000 and 200,000 words, which also pins the exponent. Russian: 1.3 to 1.8
    /// times as many forms as English at the same length (the Russian posts of the VK corpus
    /// have 1.5 times as many as their English translations, by the same count).
    #[test]
    fn word_forms_grow_like_news() {
        let dir = tempfile::tempdir().unwrap();
        let config = SynthConfig {
            n_docs: 900,
            ..SynthConfig::default()
        };
        let s = write_corpus(dir.path(), &config).unwrap();
        let text = std::fs::read_to_string(&s.corpus).unwrap();
        let at = [50_000, 200_000];
        let [en, ru] = distinct_forms(&text, &at);
        assert_eq!(
            (en.len(), ru.len()),
            (2, 1),
            "corpus too small: {en:?} {ru:?}"
        );
        for (&t, &m) in at.iter().zip(&en) {
            let heaps = 44.0 * (t as f64).powf(0.49);
            let ratio = m as f64 / heaps;
            assert!(
                (0.85..1.15).contains(&ratio),
                "{m} forms in {t} words: {ratio:.2} × Heaps"
            );
        }
        let ru_en = ru[0] as f64 / en[0] as f64;
        assert!(
            (1.3..1.8).contains(&ru_en),
            "Russian / English forms {ru_en:.2}"
        );
    }

    /// The tail past the kernel: its share is the mass the two-regime law gives it, its ranks
    /// follow the Pareto law P(rank > r) = K / r, and its stems are the same whenever drawn.
    #[test]
    fn tail_ranks_follow_the_second_regime() {
        let g = Generator::new(&SynthConfig::default());
        let lang = &g.langs[0];
        let kernel = lang.zipf.cdf.len();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 400_000;
        let (mut tail, mut beyond_2k, mut beyond_10k) = (0u32, 0u32, 0u32);
        for _ in 0..n {
            let r = lang.rank(&mut rng);
            if r >= kernel {
                tail += 1;
                beyond_2k += u32::from(r >= 2 * kernel);
                beyond_10k += u32::from(r >= 10 * kernel);
            }
        }
        let share = f64::from(tail) / n as f64;
        assert!(
            (share - lang.tail_share).abs() < 0.003,
            "{share} vs {}",
            lang.tail_share
        );
        let half = f64::from(beyond_2k) / f64::from(tail);
        let tenth = f64::from(beyond_10k) / f64::from(tail);
        assert!((half - 0.5).abs() < 0.02, "P(r > 2K | tail) = {half}");
        assert!((tenth - 0.1).abs() < 0.01, "P(r > 10K | tail) = {tenth}");
        let deep = kernel * 50 + 7;
        assert_eq!(lang.stem(deep), lang.stem(deep));
        assert_ne!(lang.stem(deep), lang.stem(deep + 1));
        assert_eq!(lang.stem(lang.function.len()), lang.stems[0].as_str());
    }

    #[test]
    fn generated_text_has_a_zipf_head_and_group_differences() {
        let dir = tempfile::tempdir().unwrap();
        let s = write_corpus(dir.path(), &small(400, 5)).unwrap();
        let text = std::fs::read_to_string(&s.corpus).unwrap();
        let mut freq: HashMap<String, u64> = HashMap::new();
        let (mut claimed, mut stressed) = ([0u64; 2], [0u64; 2]);
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let g = usize::from(f[2] == "independent");
            if f[5] == "en" {
                for w in f[6].split(|c: char| !c.is_alphanumeric()) {
                    if !w.is_empty() {
                        *freq.entry(w.to_lowercase()).or_default() += 1;
                    }
                }
            }
            claimed[g] += f[6].matches("claimed").count() as u64;
            stressed[g] += f[6].matches("stressed").count() as u64;
        }
        let mut ranked: Vec<(&String, &u64)> = freq.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        assert_eq!(ranked[0].0, "the");
        assert_eq!(ranked[1].0, "of");
        let ratio = *ranked[0].1 as f64 / *ranked[1].1 as f64;
        assert!((1.8..2.5).contains(&ratio), "the/of = {ratio}");
        assert!(claimed[1] > 2 * claimed[0], "claimed {claimed:?}");
        assert!(stressed[0] > 2 * stressed[1], "stressed {stressed:?}");
    }

    #[test]
    fn evaluative_words_come_at_the_tone_rate() {
        // Words that only the tone list supplies (not function words or lexicon items).
        let only_tone: HashSet<&str> = EN_TONE
            .iter()
            .map(|item| item.0)
            .filter(|w| !EN_FUNCTION.contains(w) && EN_LEXICON.iter().all(|l| l.0 != *w))
            .collect();
        let share = |tone_rate: f64| {
            let dir = tempfile::tempdir().unwrap();
            let config = SynthConfig {
                tone_rate,
                ..small(300, 9)
            };
            let s = write_corpus(dir.path(), &config).unwrap();
            let text = std::fs::read_to_string(&s.corpus).unwrap();
            let (mut hits, mut words) = (0u64, 0u64);
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.split('\t').collect();
                if f[5] != "en" {
                    continue;
                }
                for w in f[6]
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                {
                    words += 1;
                    hits += u64::from(only_tone.contains(w.to_lowercase().as_str()));
                }
            }
            hits as f64 / words as f64
        };
        let with = share(0.05);
        assert!((0.035..0.06).contains(&with), "tone share {with}");
        let without = share(0.0);
        assert!(without < 0.002, "tone share without tone words {without}");
    }

    #[test]
    fn capitalizes_any_script() {
        assert_eq!(capitalize("угроза"), "Угроза");
        assert_eq!(capitalize("“quote”"), "“quote”");
        assert_eq!(capitalize("ёлка"), "Ёлка");
        assert_eq!(capitalize("Open"), "Open");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn rejects_bad_settings_naming_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let bad = SynthConfig {
            russian_share: 1.5,
            ..SynthConfig::default()
        };
        let e = write_corpus(dir.path(), &bad).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            e.to_string(),
            "synthetic corpus: russian share 1.5 is not between 0 and 1"
        );
        let one = SynthConfig {
            outlets: 1,
            ..SynthConfig::default()
        };
        assert!(write_corpus(dir.path(), &one).is_err());
    }
}
