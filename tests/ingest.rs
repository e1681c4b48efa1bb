//! Integration tests of the corpus stage: every input format from fixtures under
//! `tests/fixtures/ingest/`, every kind of bad input (written to a temporary folder, so binary
//! and broken files need not be committed), and the real inputs in `../shared` when present.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use framelens::corpus::{
    self, BoilerplateConfig, ColumnMap, CorpusConfig, CorpusError, Document, Join, OnInvalid,
    Record, SkipKind, Skipped, Source, UnmatchedFiles,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

/// Read the whole corpus in batches of `batch`.
fn read_batched(config: &CorpusConfig, batch: usize) -> Result<Vec<Record>, CorpusError> {
    let mut reader = corpus::open(config)?;
    let mut records = Vec::new();
    loop {
        let next = reader.next_batch(batch)?;
        if next.is_empty() {
            return Ok(records);
        }
        assert!(next.len() <= batch.max(1));
        records.extend(next);
    }
}

/// Read the whole corpus in small batches, so batching is exercised everywhere.
fn read_all(config: &CorpusConfig) -> Result<Vec<Record>, CorpusError> {
    read_batched(config, 2)
}

/// The error message of reading `config`, which must fail.
fn error_of(config: &CorpusConfig) -> String {
    match read_all(config) {
        Ok(records) => panic!("expected an error, read {} records", records.len()),
        Err(err) => err.to_string(),
    }
}

fn kept(record: &Record) -> &Document {
    record
        .kept()
        .unwrap_or_else(|| panic!("expected a kept document, got {record:?}"))
}

fn skipped(record: &Record) -> &Skipped {
    record
        .skipped()
        .unwrap_or_else(|| panic!("expected a skipped record, got {record:?}"))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn strings(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn column(name: &str) -> Option<String> {
    Some(name.to_string())
}

/// A temporary folder with the given files.
fn temp_corpus(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

// ---------------------------------------------------------------------------------------------
// Formats

fn folder_csv_config() -> CorpusConfig {
    let mut config = CorpusConfig::new(fixture("folder-csv"));
    config.metadata = Some(fixture("folder-csv/metadata.csv"));
    config.columns = ColumnMap {
        id: column("doc_id"),
        outlet: column("outlet"),
        group: column("alignment"),
        event: column("event"),
        date: column("date"),
        language: column("language"),
        ..Default::default()
    };
    config
        .map
        .insert("outlet".into(), map(&[("Daily Example", "DailyEx")]));
    config.group_of_outlet = map(&[("DailyEx", "state")]);
    config.boilerplate = BoilerplateConfig {
        patterns: vec!["^Subscribe to our newsletter!$".into()],
        cut_after: vec!["^Read more$".into()],
        trailing_headline: true,
        drop_repeated_lines: false,
    };
    config
}

#[test]
fn folder_with_csv_metadata_joined_by_file() {
    let config = folder_csv_config();
    let reader = corpus::open(&config).unwrap();
    assert_eq!(reader.extra_columns(), ["note"]);
    let dir = fixture("folder-csv");
    assert_eq!(
        reader.inputs(),
        ["metadata.csv", "alpha.txt", "beta.txt", "gamma.txt"].map(|f| dir.join(f))
    );

    let records = read_all(&config).unwrap();
    assert_eq!(records.len(), 3);

    let alpha = kept(&records[0]);
    assert_eq!(alpha.doc_id, "a1");
    assert_eq!(alpha.source, Source::file(dir.join("alpha.txt")));
    assert_eq!(
        alpha.text,
        "Harbour talks resume after a “constructive” night\n\n\
         Delegates from both coastal states met again on Friday – the third round this month.\n\n\
         “We are closer than before,” one negotiator said, declining to give details."
    );
    assert_eq!(alpha.boilerplate_lines_removed, 2);
    assert_eq!(alpha.meta.outlet.as_deref(), Some("DailyEx"));
    assert_eq!(
        alpha.meta.group.as_deref(),
        Some("state"),
        "from group-of-outlet"
    );
    assert_eq!(alpha.meta.event.as_deref(), Some("harbour-talks"));
    assert_eq!(alpha.meta.date, date(2024, 3, 1));
    assert_eq!(alpha.meta.language.as_deref(), Some("en"));
    assert_eq!(
        alpha.meta.extra,
        strings(&[("note", "first, with a comma")])
    );

    // Outlet alias matched case-insensitively after trimming; cut-after removed "Read more"
    // and the unrelated line after it; the date-time keeps its written date.
    let beta = kept(&records[1]);
    assert_eq!(beta.doc_id, "b1");
    assert_eq!(
        beta.text,
        "Talks at the harbour: what we know\n\n\
         The two delegations agreed on a timetable — but not on the ferry quotas.\n\n\
         Observers called the mood “cautious”."
    );
    assert_eq!(beta.boilerplate_lines_removed, 2);
    assert_eq!(beta.meta.outlet.as_deref(), Some("DailyEx"));
    assert_eq!(beta.meta.group.as_deref(), Some("state"));
    assert_eq!(beta.meta.date, date(2024, 3, 2));
    assert_eq!(beta.meta.extra, strings(&[("note", "")]));

    let gamma = kept(&records[2]);
    assert_eq!(gamma.doc_id, "g1");
    assert!(gamma
        .text
        .starts_with("Переговоры в гавани продолжаются\n\nДелегации"));
    assert!(gamma
        .text
        .ends_with("«Мы ближе, чем раньше», — сказал один из участников."));
    assert_eq!(gamma.boilerplate_lines_removed, 0);
    assert_eq!(gamma.meta.outlet.as_deref(), Some("Вестник"));
    assert_eq!(
        gamma.meta.group.as_deref(),
        Some("watchdog"),
        "group column wins"
    );
    assert_eq!(gamma.meta.language.as_deref(), Some("ru"));
    assert_eq!(gamma.meta.extra, strings(&[("note", "кириллица")]));
}

#[test]
fn batch_size_does_not_change_the_records() {
    let config = folder_csv_config();
    let one = read_batched(&config, 1).unwrap();
    assert_eq!(one, read_batched(&config, 0).unwrap());
    assert_eq!(one, read_batched(&config, 1000).unwrap());
}

#[test]
fn folder_with_tsv_metadata_joined_by_id() {
    let mut config = CorpusConfig::new(fixture("folder-tsv"));
    config.metadata = Some(fixture("folder-tsv/metadata.tsv"));
    config.columns.outlet = column("outlet");
    config.columns.date = column("published");
    config.date_formats = vec!["%d.%m.%Y %H:%M".into()];
    // No "file" column, so the join is by id (id + ".txt") without saying so.
    let records = read_all(&config).unwrap();
    config.join = Some(Join::Id);
    assert_eq!(records, read_all(&config).unwrap());

    assert_eq!(records.len(), 2);
    let n1 = kept(&records[0]);
    assert_eq!(n1.doc_id, "n1");
    assert_eq!(n1.text, "Мэр пообещал «открыть причал к лету».");
    assert_eq!(n1.meta.outlet.as_deref(), Some("Портовый листок"));
    assert_eq!(n1.meta.date, date(2023, 2, 5));
    assert_eq!(n1.meta.extra, strings(&[("section", "политика")]));
    let n2 = kept(&records[1]);
    assert_eq!(n2.doc_id, "n2");
    assert_eq!(n2.text, "The mayor promised to “open the pier by summer”.");
    assert_eq!(n2.source, Source::file(fixture("folder-tsv/n2.txt")));
}

#[test]
fn folder_without_metadata_uses_file_stems() {
    let dir = temp_corpus(&[
        ("b.txt", "Второй.\r\n".as_bytes()),
        ("a.TXT", "First.".as_bytes()),
        ("c.md", b"ignored"),
        ("empty.txt", b"  \n\n"),
    ]);
    let records = read_all(&CorpusConfig::new(dir.path())).unwrap();
    let ids: Vec<_> = records.iter().map(|r| r.doc_id().unwrap()).collect();
    // Byte order of names: "a.TXT" < "b.txt" < "empty.txt".
    assert_eq!(ids, ["a", "b", "empty"]);
    assert_eq!(kept(&records[1]).text, "Второй.");
    assert_eq!(
        skipped(&records[2]).reason,
        "empty after cleaning (0 boilerplate lines removed)"
    );
}

#[test]
fn csv_rows_with_quoted_multiline_fields() {
    let mut config = CorpusConfig::new(fixture("posts.csv"));
    config.columns.outlet = column("outlet");
    config.columns.date = column("date");
    config.columns.title = column("title");
    config
        .map
        .insert("outlet".into(), map(&[("Harbour Herald", "Herald")]));
    let reader = corpus::open(&config).unwrap();
    assert_eq!(reader.extra_columns(), ["likes"]);
    assert_eq!(reader.inputs(), [fixture("posts.csv")]);

    let records = read_all(&config).unwrap();
    assert_eq!(records.len(), 3);
    let c1 = kept(&records[0]);
    assert_eq!(c1.doc_id, "c1");
    assert_eq!(c1.source, Source::line(fixture("posts.csv"), 2));
    assert_eq!(
        c1.text,
        "The council met on Monday.\nIt voted 7–2 for the pier, a decision critics called \"rushed\"."
    );
    assert_eq!(c1.meta.title.as_deref(), Some("Pier plans"));
    assert_eq!(c1.meta.outlet.as_deref(), Some("Herald"));
    assert_eq!(c1.meta.extra, strings(&[("likes", "12")]));

    // The first row spans lines 2-3, so the second starts on line 4.
    let c2 = kept(&records[1]);
    assert_eq!(c2.source.line, Some(4));
    assert_eq!(c2.text, "Совет проголосовал «за» — 7 голосов против 2.");
    assert_eq!(c2.meta.title, None);
    assert_eq!(c2.meta.date, date(2023, 2, 6));
    assert_eq!(c2.meta.extra, strings(&[("likes", "")]));

    let c3 = kept(&records[2]);
    assert_eq!(c3.source.line, Some(5));
    assert_eq!(c3.meta.outlet.as_deref(), Some("Herald"));
}

#[test]
fn tsv_with_outlet_codes_and_day_first_dates() {
    let mut config = CorpusConfig::new(fixture("posts.tsv"));
    config.columns = ColumnMap {
        id: column("ID"),
        outlet: column("owner"),
        date: column("date"),
        ..Default::default()
    };
    config.map.insert(
        "outlet".into(),
        map(&[("-100", "Листок"), ("-200", "Herald")]),
    );
    config.group_of_outlet = map(&[("Листок", "state"), ("herald", "independent")]);
    config.date_formats = vec!["%d.%m.%Y %H:%M".into()];
    let records = read_all(&config).unwrap();
    assert_eq!(records.len(), 2);
    let t1 = kept(&records[0]);
    assert_eq!(t1.doc_id, "t1");
    assert_eq!(t1.source, Source::line(fixture("posts.tsv"), 2));
    assert_eq!(t1.text, "Мэр пообещал «открыть причал к лету».");
    assert_eq!(t1.meta.outlet.as_deref(), Some("Листок"));
    assert_eq!(t1.meta.group.as_deref(), Some("state"));
    assert_eq!(t1.meta.date, date(2023, 2, 5));
    assert_eq!(
        t1.meta.extra,
        strings(&[(
            "translation",
            "The mayor promised to “open the pier by summer”."
        )])
    );
    let t2 = kept(&records[1]);
    assert_eq!(
        t2.meta.group.as_deref(),
        Some("independent"),
        "group-of-outlet ignores case"
    );
    assert_eq!(t2.meta.date, date(2023, 2, 6));
}

#[test]
fn jsonl_values_nulls_and_extras() {
    let mut config = CorpusConfig::new(fixture("posts.jsonl"));
    config.columns.outlet = column("outlet");
    config.columns.date = column("date");
    let mut reader = corpus::open(&config).unwrap();
    assert!(reader.extra_columns().is_empty());
    let records = reader.next_batch(10).unwrap();
    assert!(reader.next_batch(10).unwrap().is_empty());
    assert_eq!(reader.extra_columns(), ["shares", "tags", "pinned", "lang"]);
    assert_eq!(records.len(), 3);

    let first = kept(&records[0]);
    assert_eq!(first.doc_id, "101", "a number id is stringified");
    assert_eq!(first.text, "The pier opened on Saturday – two weeks late.");
    assert_eq!(first.meta.date, date(2023, 6, 3));
    assert_eq!(
        first.meta.extra,
        strings(&[
            ("shares", "14"),
            ("tags", r#"["pier","city"]"#),
            ("pinned", "true")
        ])
    );
    // Line 2 is blank.
    let second = kept(&records[1]);
    assert_eq!(second.source, Source::line(fixture("posts.jsonl"), 3));
    assert_eq!(second.meta.outlet.as_deref(), Some("Портовый листок"));
    assert_eq!(second.meta.date, None, "null is missing");
    assert_eq!(second.meta.extra, strings(&[("lang", "ru")]));

    let third = skipped(&records[2]);
    assert_eq!(third.doc_id.as_deref(), Some("j3"));
    assert_eq!(third.source.line, Some(4));
    assert_eq!(
        third.reason,
        "empty after cleaning (0 boilerplate lines removed)"
    );
}

// ---------------------------------------------------------------------------------------------
// Encodings

#[test]
fn invalid_utf8_names_file_line_and_offset() {
    // "id,text\n" is 8 bytes and "1,fine\n" 7 more; "2,caf" puts the bad byte at offset 20.
    let dir = temp_corpus(&[("bad.csv", b"id,text\n1,fine\n2,caf\xe9 au lait\n")]);
    let config = CorpusConfig::new(dir.path().join("bad.csv"));
    let message = error_of(&config);
    assert!(
        message.contains("bad.csv:3: invalid UTF-8 at byte offset 20"),
        "{message}"
    );

    let mut replace = config.clone();
    replace.on_invalid_utf8 = OnInvalid::Replace;
    let records = read_all(&replace).unwrap();
    assert_eq!(kept(&records[1]).text, "caf\u{FFFD} au lait");

    let mut latin = config;
    latin.encoding = Some("windows-1252".into());
    assert_eq!(kept(&read_all(&latin).unwrap()[1]).text, "café au lait");
}

#[test]
fn invalid_utf8_in_a_text_file() {
    let dir = temp_corpus(&[("a.txt", b"fine"), ("x.txt", b"line one\n\xd0 broken")]);
    let message = error_of(&CorpusConfig::new(dir.path()));
    assert!(
        message.contains("x.txt:2: invalid UTF-8 at byte offset 9"),
        "{message}"
    );
}

#[test]
fn invalid_utf8_in_a_text_file_can_skip_the_file() {
    let dir = temp_corpus(&[
        ("a.txt", b"fine"),
        ("x.txt", b"line one\n\xd0 broken"),
        ("z.txt", b"also fine"),
    ]);
    for max_bytes in [0, 1 << 20] {
        let mut config = CorpusConfig::new(dir.path());
        config.on_invalid_utf8 = OnInvalid::Skip;
        config.max_document_bytes = max_bytes;
        let records = read_all(&config).unwrap();
        assert_eq!(records.len(), 3, "max_bytes {max_bytes}");
        assert_eq!(kept(&records[0]).text, "fine");
        let skip = skipped(&records[1]);
        assert_eq!(skip.kind, SkipKind::InvalidEncoding);
        assert_eq!(skip.doc_id.as_deref(), Some("x"));
        assert!(
            skip.reason
                .ends_with("x.txt:2: invalid UTF-8 at byte offset 9 (on-invalid-utf8 = \"skip\")"),
            "{}",
            skip.reason
        );
        assert_eq!(kept(&records[2]).text, "also fine");
    }
    // One file holds every document, so a bad byte cannot be skipped with its document alone.
    let dir = temp_corpus(&[("bad.csv", b"id,text\n1,fine\n2,caf\xe9\n")]);
    let mut config = CorpusConfig::new(dir.path().join("bad.csv"));
    config.on_invalid_utf8 = OnInvalid::Skip;
    let message = error_of(&config);
    assert!(
        message.contains("on-invalid-utf8 = \"skip\" works for folder corpora only")
            && message.contains("bad.csv is one file"),
        "{message}"
    );
}

#[test]
fn windows_1251_table_round_trip() {
    let (bytes, _, unmappable) =
        encoding_rs::WINDOWS_1251.encode("ид\tтекст\r\nр1\tПривет, «мир» — да\r\n");
    assert!(!unmappable);
    let dir = temp_corpus(&[("cp.tsv", &bytes)]);
    let mut config = CorpusConfig::new(dir.path().join("cp.tsv"));
    config.encoding = Some("windows-1251".into());
    config.columns.id = column("ид");
    config.columns.text = column("текст");
    let records = read_all(&config).unwrap();
    let doc = kept(&records[0]);
    assert_eq!(
        (doc.doc_id.as_str(), doc.text.as_str()),
        ("р1", "Привет, «мир» — да")
    );
}

#[test]
fn unknown_encoding_is_an_error() {
    let mut config = CorpusConfig::new(fixture("posts.csv"));
    config.encoding = Some("koi9-r".into());
    let message = corpus::open(&config).err().unwrap().to_string();
    assert!(
        message.starts_with("unknown encoding \"koi9-r\""),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Structural errors

#[test]
fn missing_text_column_lists_the_columns() {
    let dir = temp_corpus(&[("bad.csv", "id,body,outlet\n1,«текст»,X\n".as_bytes())]);
    let message = error_of(&CorpusConfig::new(dir.path().join("bad.csv")));
    assert!(
        message.ends_with("bad.csv: column \"text\" not found (columns: id, body, outlet)"),
        "{message}"
    );
}

#[test]
fn missing_key_in_first_json_object() {
    let dir = temp_corpus(&[("bad.jsonl", br#"{"id": "a", "body": "x"}"#.as_slice())]);
    let message = error_of(&CorpusConfig::new(dir.path().join("bad.jsonl")));
    assert!(
        message.ends_with("bad.jsonl: column \"text\" not found (columns: id, body)"),
        "{message}"
    );
}

/// A repeated id is a problem of the later document: it is skipped (kind `duplicate-id`) with
/// a reason naming where the id was first used, and the first document is kept.
#[test]
fn duplicate_id_skips_the_later_row_naming_the_first() {
    let dir = temp_corpus(&[("bad.csv", "id,text\n7,один\n8,два\n7,три\n".as_bytes())]);
    let path = dir.path().join("bad.csv");
    let records = read_all(&CorpusConfig::new(&path)).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(kept(&records[0]).text, "один");
    let again = skipped(&records[2]);
    assert_eq!(again.doc_id.as_deref(), Some("7"));
    assert_eq!(again.kind, SkipKind::DuplicateId);
    assert_eq!(
        again.reason,
        format!("duplicate id \"7\": first at {}:2", path.display())
    );
    assert_eq!(again.source, Source::line(&path, 4));
}

#[test]
fn duplicate_id_in_folder_metadata() {
    let dir = temp_corpus(&[
        ("a.txt", b"A."),
        ("b.txt", b"B."),
        ("metadata.csv", b"file,id\na.txt,x\nb.txt,x\n"),
    ]);
    let mut config = CorpusConfig::new(dir.path());
    config.metadata = Some(dir.path().join("metadata.csv"));
    let records = read_all(&config).unwrap();
    assert_eq!(kept(&records[0]).doc_id, "x");
    assert_eq!(kept(&records[0]).text, "A.");
    let again = skipped(&records[1]);
    assert_eq!(again.kind, SkipKind::DuplicateId);
    assert_eq!(again.source, Source::file(dir.path().join("b.txt")));
    assert_eq!(
        again.reason,
        format!(
            "duplicate id \"x\": first at {}",
            dir.path().join("a.txt").display()
        )
    );

    // Two metadata rows for one file stay an error: neither can be told to be the right one.
    let dir = temp_corpus(&[
        ("a.txt", b"A."),
        ("metadata.csv", b"file,id\na.txt,x\na.txt,y\n"),
    ]);
    let mut config = CorpusConfig::new(dir.path());
    config.metadata = Some(dir.path().join("metadata.csv"));
    let message = corpus::open(&config).err().unwrap().to_string();
    assert!(
        message.ends_with("metadata.csv:3: file \"a.txt\" already has a metadata row at line 2"),
        "{message}"
    );
}

#[test]
fn metadata_row_without_file_is_skipped_at_the_end() {
    let dir = temp_corpus(&[
        ("a.txt", "Текст «а».".as_bytes()),
        (
            "metadata.csv",
            b"file,id,outlet\nmissing.txt,M,Gone Daily\na.txt,A,Here Daily\n",
        ),
    ]);
    let mut config = CorpusConfig::new(dir.path());
    config.metadata = Some(dir.path().join("metadata.csv"));
    config.columns.outlet = column("outlet");
    let records = read_all(&config).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(kept(&records[0]).doc_id, "A");
    assert_eq!(kept(&records[0]).meta.outlet.as_deref(), Some("Here Daily"));
    let missing = skipped(&records[1]);
    assert_eq!(missing.kind, SkipKind::MissingTextFile);
    assert_eq!(missing.doc_id.as_deref(), Some("M"));
    assert_eq!(missing.meta.outlet.as_deref(), Some("Gone Daily"));
    assert_eq!(
        missing.source,
        Source::line(dir.path().join("metadata.csv"), 2)
    );
    assert!(
        missing
            .reason
            .contains("metadata.csv:2: no file \"missing.txt\" among the .txt files in"),
        "{}",
        missing.reason
    );
}

#[test]
fn file_without_metadata_row_is_skipped_or_an_error() {
    let dir = temp_corpus(&[
        ("a.txt", b"A."),
        ("orphan.txt", b"Nobody lists me."),
        ("metadata.tsv", b"file\tid\na.txt\tA\n"),
    ]);
    let mut config = CorpusConfig::new(dir.path());
    config.metadata = Some(dir.path().join("metadata.tsv"));
    let reader = corpus::open(&config).unwrap();
    assert_eq!(
        reader.inputs(),
        ["metadata.tsv", "a.txt"].map(|f| dir.path().join(f))
    );
    let records = read_all(&config).unwrap();
    assert_eq!(kept(&records[0]).doc_id, "A");
    let orphan = skipped(&records[1]);
    assert_eq!(orphan.kind, SkipKind::NoMetadataRow);
    assert_eq!(orphan.doc_id.as_deref(), Some("orphan"));
    assert!(
        orphan
            .reason
            .starts_with("no metadata row for \"orphan.txt\" in "),
        "{}",
        orphan.reason
    );
    assert!(orphan.reason.ends_with("metadata.tsv"), "{}", orphan.reason);

    config.unmatched_files = UnmatchedFiles::Error;
    let message = error_of(&config);
    assert!(
        message.contains("orphan.txt: no metadata row in "),
        "{message}"
    );
}

#[test]
fn ragged_csv_row_names_its_line() {
    let dir = temp_corpus(&[("bad.csv", "id,text,outlet\n1,а,X\n2,б,Y\n3,в\n".as_bytes())]);
    let message = error_of(&CorpusConfig::new(dir.path().join("bad.csv")));
    assert!(
        message.ends_with("bad.csv:4: row has 2 fields but the header has 3"),
        "{message}"
    );
}

#[test]
fn unbalanced_quote_names_its_line() {
    let dir = temp_corpus(&[(
        "bad.csv",
        "id,text,outlet\n1,a,X\n2,\"“oops,Y\n3,c,Z\n4,d,W\n".as_bytes(),
    )]);
    let message = error_of(&CorpusConfig::new(dir.path().join("bad.csv")));
    assert!(
        message.ends_with(
            "bad.csv:3: row has 2 fields but the header has 3 \
             (the row spans 4 lines: probably an unbalanced quote)"
        ),
        "{message}"
    );
}

#[test]
fn quoting_off_reads_quotes_literally() {
    let dir = temp_corpus(&[(
        "q.tsv",
        "id\ttext\n1\t\"Quoted\" start, no end\n".as_bytes(),
    )]);
    let mut config = CorpusConfig::new(dir.path().join("q.tsv"));
    config.quoting = false;
    assert_eq!(
        kept(&read_all(&config).unwrap()[0]).text,
        "\"Quoted\" start, no end"
    );
}

#[test]
fn bad_json_line_names_its_line() {
    let dir = temp_corpus(&[(
        "bad.jsonl",
        "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": \"«нет\"\n".as_bytes(),
    )]);
    let message = error_of(&CorpusConfig::new(dir.path().join("bad.jsonl")));
    assert!(
        message.contains("bad.jsonl:2: invalid JSON at column "),
        "{message}"
    );
}

#[test]
fn nested_value_in_mapped_json_key() {
    let dir = temp_corpus(&[(
        "bad.jsonl",
        br#"{"id": "a", "text": "x", "outlet": {"name": "X"}}"#.as_slice(),
    )]);
    let mut config = CorpusConfig::new(dir.path().join("bad.jsonl"));
    config.columns.outlet = column("outlet");
    let message = error_of(&config);
    assert!(
        message.contains("bad.jsonl:1: key \"outlet\" holds an object"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// Per-document skips

#[test]
fn empty_id_bad_date_and_empty_text_are_skipped() {
    let dir = temp_corpus(&[(
        "posts.csv",
        "id,text,date\n1,Первый.,2024-01-05\n ,Без id.,2024-01-05\n3,Третий.,05/01/2024\n4,  ,\n"
            .as_bytes(),
    )]);
    let path = dir.path().join("posts.csv");
    let mut config = CorpusConfig::new(&path);
    config.columns.date = column("date");
    let records = read_all(&config).unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(kept(&records[0]).meta.date, date(2024, 1, 5));

    let no_id = skipped(&records[1]);
    assert_eq!(no_id.kind, SkipKind::EmptyId);
    assert_eq!(no_id.doc_id, None);
    assert_eq!(no_id.reason, format!("empty id at {}:3", path.display()));

    let bad_date = skipped(&records[2]);
    assert_eq!(bad_date.kind, SkipKind::BadDate);
    assert_eq!(bad_date.doc_id.as_deref(), Some("3"));
    assert_eq!(
        bad_date.reason,
        format!(
            "document \"3\": date \"05/01/2024\" ({}:4) matches none of the date formats \
             \"%Y-%m-%d\", \"%Y-%m-%dT%H:%M:%S%.f%#z\", \"%Y-%m-%dT%H:%M:%S%.f\", \
             \"%Y-%m-%d %H:%M:%S%.f\", \"%Y-%m-%d %H:%M\"",
            path.display()
        )
    );

    let empty = skipped(&records[3]);
    assert_eq!(empty.kind, SkipKind::EmptyText);
    assert_eq!(
        empty.reason,
        "empty after cleaning (0 boilerplate lines removed)"
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration errors

#[test]
fn configuration_errors_before_reading() {
    let mut config = CorpusConfig::new(fixture("posts.csv"));
    config.boilerplate.patterns = vec!["^Читайте (также$".into()];
    let message = corpus::check(&config).unwrap_err().to_string();
    assert!(
        message.starts_with("boilerplate pattern \"^Читайте (также$\": "),
        "{message}"
    );

    let mut config = CorpusConfig::new(fixture("posts.csv"));
    config.map.insert("source".into(), map(&[("a", "b")]));
    assert!(corpus::check(&config)
        .unwrap_err()
        .to_string()
        .starts_with("map.source: unknown field"));

    let config = CorpusConfig::new(fixture("folder-csv/alpha.txt"));
    let message = corpus::open(&config).err().unwrap().to_string();
    assert!(
        message.contains("cannot tell the corpus format from the extension \"txt\""),
        "{message}"
    );

    let mut config = CorpusConfig::new(fixture("posts.csv"));
    config.metadata = Some(fixture("folder-csv/metadata.csv"));
    let message = corpus::open(&config).err().unwrap().to_string();
    assert!(
        message.starts_with("metadata is only used with a folder"),
        "{message}"
    );

    let config = CorpusConfig::new(fixture("no-such-corpus.csv"));
    let message = corpus::open(&config).err().unwrap().to_string();
    assert!(message.contains("no-such-corpus.csv: "), "{message}");
}

// ---------------------------------------------------------------------------------------------
// The real inputs in ../shared (skipped when absent)

fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipping: {} is absent (../shared is not part of a fresh clone)",
            path.display()
        );
        None
    }
}

/// The boilerplate rules for the seed articles (the example study ships the same).
fn seeds_boilerplate() -> BoilerplateConfig {
    BoilerplateConfig {
        patterns: [
            "^Support The Moscow Times!$",
            "^Leave a Comment$",
            "^Author['’]s articles$",
            "^Blog and articles$",
            "^by time news$",
            "^Read more$",
            "^Continue$",
        ]
        .map(String::from)
        .to_vec(),
        cut_after: [
            "^(…|\\.\\.\\.) ?we have a small favou?r to ask",
            "^You may also like$",
        ]
        .map(String::from)
        .to_vec(),
        trailing_headline: true,
        drop_repeated_lines: true,
    }
}

#[test]
fn shared_seeds_folder() {
    let Some(seeds) = shared("seeds") else { return };
    let mut config = CorpusConfig::new(&seeds);
    config.metadata = Some(seeds.join("metadata.csv"));
    config.columns = ColumnMap {
        id: column("doc_id"),
        outlet: column("outlet"),
        group: column("alignment"),
        event: column("event"),
        date: column("date"),
        language: column("language"),
        ..Default::default()
    };
    config.boilerplate = seeds_boilerplate();
    let reader = corpus::open(&config).unwrap();
    assert_eq!(reader.extra_columns(), ["date_precision"]);
    assert_eq!(reader.inputs().len(), 6);

    let records = read_all(&config).unwrap();
    let docs: Vec<&Document> = records.iter().map(kept).collect();
    let ids: Vec<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
    assert_eq!(
        ids,
        ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]
    );
    let removed: Vec<u32> = docs.iter().map(|d| d.boilerplate_lines_removed).collect();
    // 000: two site lines and the repeated headline; 002: the trailing headline; 003: the banner,
    // the donation appeal (4 lines), "Continue", "Read more"; 004: byline and two footer lines.
    assert_eq!(removed, [3, 0, 1, 7, 3]);

    for doc in &docs {
        // Nothing but the counted lines was lost.
        let raw = fs::read_to_string(&doc.source.file).unwrap();
        let non_empty = |t: &str| t.lines().filter(|l| !l.trim().is_empty()).count() as u32;
        assert_eq!(
            non_empty(&doc.text),
            non_empty(&raw) - doc.boilerplate_lines_removed
        );
        for junk in [
            "Support The Moscow Times",
            "small favor",
            "You may also like",
            "Leave a Comment",
        ] {
            assert!(!doc.text.contains(junk), "{}: {junk}", doc.doc_id);
        }
    }
    assert_eq!(docs[3].meta.group.as_deref(), Some("independent"));
    assert_eq!(docs[3].meta.date, date(2021, 12, 13));
    assert_eq!(docs[4].meta.outlet.as_deref(), Some("time-news"));
}

#[test]
fn shared_vk_posts_tsv() {
    let Some(posts) = shared("corpora/vk-ukraine-2018/posts.tsv") else {
        return;
    };
    let mut config = CorpusConfig::new(&posts);
    config.columns = ColumnMap {
        id: column("ID"),
        text: column("text"),
        outlet: column("owner_id"),
        date: column("date"),
        ..Default::default()
    };
    config.map.insert(
        "outlet".into(),
        map(&[
            ("-40316705", "RT"),
            ("-26284064", "TASS"),
            ("-76982440", "Meduza"),
            ("-25232578", "RBC"),
        ]),
    );
    config.group_of_outlet = map(&[
        ("RT", "state"),
        ("TASS", "state"),
        ("Meduza", "independent"),
        ("RBC", "independent"),
    ]);
    config.date_formats = vec!["%d.%m.%Y %H:%M".into()];
    let reader = corpus::open(&config).unwrap();
    assert_eq!(reader.extra_columns(), ["from_id", "translation"]);

    let records = read_all(&config).unwrap();
    let docs: Vec<&Document> = records.iter().map(kept).collect();
    assert_eq!(docs.len(), 129);
    let mut outlets: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in &docs {
        *outlets
            .entry(doc.meta.outlet.as_deref().unwrap())
            .or_default() += 1;
        let group = doc.meta.group.as_deref().unwrap();
        assert!(group == "state" || group == "independent");
        let day = doc.meta.date.unwrap();
        assert!(
            date(2018, 1, 1).unwrap() <= day && day <= date(2018, 3, 31).unwrap(),
            "{day}"
        );
        assert!(!doc.text.contains('\r'));
    }
    let expected: BTreeMap<&str, usize> = [("Meduza", 24), ("RBC", 46), ("RT", 35), ("TASS", 24)]
        .into_iter()
        .collect();
    assert_eq!(outlets, expected);
    assert_eq!(docs[0].source.line, Some(2));
    assert_eq!(docs[128].source.line, Some(130));
}
