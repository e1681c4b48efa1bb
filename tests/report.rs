//! The report stage end to end, from small fixture tables with exactly the columns of the
//! analysis contract: every figure drawn, HTML self-contained, PNGs not blank, reruns
//! byte-identical, absent tables reported as "not computed", and (when Chromium is installed)
//! the HTML opened in a real browser with every figure in its DOM.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use framelens::report::{write_report, ReportConfig};
use framelens::tables::OutputDir;
use polars::prelude::*;

/// Figures the fixtures make possible: all seven.
const FIGURES: usize = 7;

/// Writes the fixture tables and a manifest into `dir`. Two groups (one with Cyrillic names),
/// four outlets, two events, dated documents, one skipped document. `all` adds the tables of
/// the compare and cluster stages.
fn write_fixtures(dir: &Path, all: bool) {
    let mut out = OutputDir::create(dir, false).unwrap();
    let outlets = ["ТАСС", "RT", "Медуза", "Ledger"];
    let groups = [
        "государственные",
        "государственные",
        "independent",
        "independent",
    ];
    let mut ids = Vec::new();
    let (mut outlet, mut group, mut event, mut date, mut lang) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut n_tokens, mut status, mut reason, mut source, mut near) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut kind = Vec::new();
    for (o, (name, g)) in outlets.iter().zip(groups).enumerate() {
        for k in 0..5 {
            ids.push(Some(format!("d{o}{k}")));
            outlet.push(Some(name.to_string()));
            group.push(Some(g.to_string()));
            event.push(Some(
                if k < 3 {
                    "саммит НАТО"
                } else {
                    "missile deployment"
                }
                .to_string(),
            ));
            // 2018-01-15 is day 17546; documents a week apart.
            date.push(Some(17546 + 7 * k + o as i32));
            lang.push(Some(if o % 2 == 0 { "ru" } else { "en" }.to_string()));
            n_tokens.push(Some(200 + 10 * k as u32));
            status.push("kept".to_string());
            reason.push(None::<String>);
            kind.push(None::<String>);
            source.push(format!("posts.tsv:{}", 2 + ids.len()));
            near.push(if o == 1 && k == 4 {
                Some("d13".to_string())
            } else {
                None
            });
        }
    }
    ids.push(None);
    outlet.push(Some("RT".to_string()));
    group.push(Some("государственные".to_string()));
    event.push(None);
    date.push(None);
    lang.push(None);
    n_tokens.push(None);
    status.push("skipped".to_string());
    reason.push(Some(
        "empty after cleaning (2 boilerplate lines removed)".to_string(),
    ));
    kind.push(Some("empty-text".to_string()));
    source.push("posts.tsv:23".to_string());
    near.push(None);
    let dates = Column::new("date".into(), date)
        .cast(&DataType::Date)
        .unwrap();
    let mut documents = DataFrame::new(vec![
        Column::new("doc_id".into(), ids.clone()),
        Column::new("outlet".into(), outlet),
        Column::new("group".into(), group),
        Column::new("event".into(), event),
        dates,
        Column::new("language".into(), lang),
        Column::new("n_tokens".into(), n_tokens),
        Column::new("near_duplicate_of".into(), near),
        Column::new("status".into(), status),
        Column::new("skip_kind".into(), kind),
        Column::new("skip_reason".into(), reason),
        Column::new("source".into(), source),
    ])
    .unwrap();
    out.write("documents", &mut documents).unwrap();

    let kept: Vec<String> = ids.iter().flatten().cloned().collect();
    let cats = [
        ("security", "threat_by_others"),
        ("security", "expansion_encirclement"),
        ("attribution", "distancing"),
        ("attribution", "scare_quotes"),
        ("policy-frames", "legality_constitutionality_jurisprudence"),
    ];
    let (mut d, mut l, mut c, mut hits, mut per_1k) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, id) in kept.iter().enumerate() {
        for (j, (lex, cat)) in cats.iter().enumerate() {
            d.push(id.clone());
            l.push(lex.to_string());
            c.push(cat.to_string());
            let h = ((i * 7 + j * 3) % 6) as u32;
            hits.push(h);
            per_1k.push(h as f64 / 210.0 * 1000.0);
        }
    }
    let mut scores = df!("doc_id" => d, "lexicon" => l, "category" => c, "hits" => hits,
        "per_1k" => per_1k)
    .unwrap();
    out.write("scores", &mut scores).unwrap();
    let net: Vec<f64> = (0..kept.len())
        .map(|i| ((i * 37) % 11) as f64 / 2.0 - 3.0)
        .collect();
    let mut tone = df!("doc_id" => kept.clone(), "lexicon" => vec!["tone"; kept.len()],
        "net_tone" => net)
    .unwrap();
    out.write("tone", &mut tone).unwrap();

    if all {
        let n = cats.len();
        let mut comparisons = df!(
            "lexicon" => cats.iter().map(|c| c.0).collect::<Vec<_>>(),
            "category" => cats.iter().map(|c| c.1).collect::<Vec<_>>(),
            "group_a" => vec!["independent"; n],
            "group_b" => vec!["государственные"; n],
            "event" => vec!["pooled"; n],
            "mean_a" => [7.2, 1.0, 9.5, 0.4, 2.0],
            "mean_b" => [3.1, 4.0, 2.0, 0.0, 2.1],
            "diff" => [4.1, -3.0, 7.5, 0.4, -0.1],
            "ci_low" => [1.2, -5.5, 3.0, 0.1, -1.0],
            "ci_high" => [7.0, -0.5, 12.0, 0.7, 0.8],
            "p_perm" => [0.004, 0.02, 0.0002, 0.03, 0.8],
            "q_bh" => [0.01, 0.033, 0.001, 0.0375, 0.8],
            "effect" => [0.9, -0.7, 1.4, 0.5, -0.02],
            "effect_kind" => vec!["cohens_d"; n],
            "n_a" => vec![10u32; n],
            "n_b" => vec![10u32; n],
            "warning" => [None, None, None, Some("fewer than 5 documents with a hit"), None],
        )
        .unwrap();
        out.write("comparisons", &mut comparisons).unwrap();
        let terms = [
            "угроза",
            "nato",
            "expansion",
            "«провокация»",
            "sanctions",
            "talks",
        ];
        let z = [4.2, 3.1, 2.2, -1.8, -2.9, -5.0];
        let mut keyness = df!(
            "term" => terms,
            "label" => terms,
            "group_a" => vec!["independent"; 6],
            "group_b" => vec!["государственные"; 6],
            "event" => vec!["pooled"; 6],
            "count_a" => [30u64, 22, 15, 3, 2, 1],
            "count_b" => [5u64, 4, 3, 12, 16, 25],
            "delta" => z.map(|v| v / 3.0),
            "se" => [1.0 / 3.0; 6],
            "z" => z,
            "g2" => z.map(|v| v * v),
            "chi2" => z.map(|v| v * v),
        )
        .unwrap();
        out.write("keyness", &mut keyness).unwrap();
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut jsd = Vec::new();
        for i in 0..outlets.len() {
            for j in (i + 1)..outlets.len() {
                a.push(outlets[i]);
                b.push(outlets[j]);
                jsd.push(0.1 + 0.05 * (i + 2 * j) as f64);
            }
        }
        let m = a.len();
        let mut divergence = df!("outlet_a" => a, "outlet_b" => b, "event" => vec!["pooled"; m],
            "jsd" => jsd.clone(), "frame_cosine_distance" => jsd)
        .unwrap();
        out.write("divergence", &mut divergence).unwrap();
        let mut profiles = df!(
            "outlet" => ["ТАСС"], "group" => ["государственные"], "lexicon" => ["security"],
            "category" => ["threat_by_others"], "mean_per_1k" => [9.5], "ci_low" => [4.0],
            "ci_high" => [15.0], "n_docs" => [5u32],
        )
        .unwrap();
        out.write("outlet_profiles", &mut profiles).unwrap();
        let k = kept.len();
        let cluster: Vec<i64> = (0..k)
            .map(|i| if i == 7 { -1 } else { (i % 3) as i64 })
            .collect();
        let pc1: Vec<f64> = (0..k)
            .map(|i| (i as f64 * 0.7).sin() * 3.0 + (i / 5) as f64)
            .collect();
        let pc2: Vec<f64> = (0..k).map(|i| (i as f64 * 1.3).cos() * 2.0).collect();
        let mut clusters = df!("doc_id" => kept.clone(), "cluster" => cluster, "pc1" => pc1,
            "pc2" => pc2, "silhouette" => vec![0.3; k])
        .unwrap();
        out.write("clusters", &mut clusters).unwrap();
        let mut summary = df!(
            "cluster" => [-1i64, 0, 1, 2], "size" => [1u32, 7, 6, 6],
            "top_terms" => ["угроза", "nato,expansion", "talks,sanctions", "угроза,talks"],
            "top_categories" => ["security/threat_by_others", "attribution/distancing",
                "security/expansion_encirclement", "attribution/scare_quotes"],
        )
        .unwrap();
        out.write("cluster_summary", &mut summary).unwrap();
        let mut agreement = df!("against" => ["group", "outlet", "event"],
            "ari" => [Some(0.41), Some(0.2), None], "nmi" => [0.38, 0.3, 0.05])
        .unwrap();
        out.write("cluster_agreement", &mut agreement).unwrap();
        let mut selection = df!("k" => [2i64, 3, 4], "silhouette" => [0.21, 0.34, 0.29]).unwrap();
        out.write("cluster_selection", &mut selection).unwrap();
        let mut pca =
            df!("component" => [1i64, 2], "explained_variance_ratio" => [0.342, 0.121]).unwrap();
        out.write("pca", &mut pca).unwrap();
    }
    out.commit(&[]).unwrap();
    let manifest = serde_json::json!({
        "manifest_version": 2,
        "framelens_version": "0.1.0",
        "study": {"path": "study.toml", "name": "fixture", "sha256": "00"},
        "seed": 42,
        "inputs": [],
        "lexicons": [{"origin": "builtin:security-ru.toml", "name": "security",
            "version": "1.0.0", "languages": ["ru"], "sha256": "abcdef0123456789"}],
        "parameters": {"description": "Фикстура для отчёта", "features": {"bigrams": true}},
        "counts": {"records": 21, "kept": 20, "skipped": {"empty-text": {"documents": 1,
            "example": "posts.tsv:23: empty after cleaning (2 boilerplate lines removed)"}}},
        "run": {"started_at": "2026-01-01T00:00:00Z", "command_line": ["framelens", "run", "study.toml"]}
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

/// Number of distinct colors in a PNG file.
fn distinct_colors(path: &Path) -> usize {
    let img = image::open(path).unwrap().to_rgb8();
    let mut colors: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colors.sort_unstable();
    colors.dedup();
    colors.len()
}

fn report(all: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let tables = tmp.path().join("tables");
    write_fixtures(&tables, all);
    let report_dir = tmp.path().join("report");
    write_report(&tables, &report_dir, &ReportConfig::default()).unwrap();
    (tmp, report_dir)
}

#[test]
fn report_from_fixture_tables_is_complete_and_self_contained() {
    let (_tmp, dir) = report(true);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        FIGURES,
        "one inline SVG per figure"
    );
    for bad in ["http://", "https://", "src=\"/", "<script", "<link", "<img"] {
        assert!(!html.contains(bad), "report.html contains {bad:?}");
    }
    assert!(!html.contains("not computed in this run"));
    // Cyrillic survives, escaped table text is present, the caption states measured values.
    assert!(html.contains("Фикстура для отчёта"));
    assert!(html.contains("«провокация»"));
    assert!(html.contains(
        "Independent outlets used “distancing” (attribution) 4.8× as often as \
         государственные outlets (difference 7.5 per 1k tokens, 95% CI 3.0–12.0, q = 0.001)"
    ));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    // Issue #8: skips are summarized by kind with an example, then listed one by one.
    assert!(
        md.contains(
            "| empty-text | 1 | posts.tsv:23: empty after cleaning (2 boilerplate lines removed) |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| posts.tsv:23 |   | empty-text | empty after cleaning (2 boilerplate lines removed) |"),
        "{md}"
    );
    let links: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("!["))
        .filter_map(|l| l.split("](").nth(1)?.strip_suffix(')'))
        .collect();
    assert_eq!(links.len(), FIGURES);
    for link in links {
        assert!(
            link.starts_with("figures/") && link.ends_with(".png"),
            "{link}"
        );
        let png = dir.join(link);
        let colors = distinct_colors(&png);
        assert!(colors > 20, "{link} looks blank: {colors} colors");
        assert!(png.with_extension("svg").is_file());
    }
    let copied = std::fs::read(dir.join("manifest.json")).unwrap();
    assert!(String::from_utf8(copied).unwrap().contains("\"fixture\""));
    // No temporary files are left behind.
    for d in [dir.clone(), dir.join("figures")] {
        for e in std::fs::read_dir(d).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            assert!(!name.ends_with(".tmp"), "{name}");
        }
    }
}

#[test]
fn reports_of_the_same_tables_are_byte_identical() {
    let (tmp, first) = report(true);
    let second = tmp.path().join("again");
    write_report(
        &tmp.path().join("tables"),
        &second,
        &ReportConfig::default(),
    )
    .unwrap();
    let mut names: Vec<String> = ["report.html", "report.md", "manifest.json"]
        .map(String::from)
        .to_vec();
    for e in std::fs::read_dir(first.join("figures")).unwrap() {
        names.push(format!(
            "figures/{}",
            e.unwrap().file_name().into_string().unwrap()
        ));
    }
    names.sort();
    assert_eq!(names.len(), 3 + 2 * FIGURES);
    for n in names {
        assert!(
            std::fs::read(first.join(&n)).unwrap() == std::fs::read(second.join(&n)).unwrap(),
            "{n} differs between two reports of the same tables"
        );
    }
}

#[test]
fn absent_tables_are_reported_as_not_computed_and_stale_figures_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let tables = tmp.path().join("tables");
    write_fixtures(&tables, true);
    let dir = tmp.path().join("report");
    write_report(&tables, &dir, &ReportConfig::default()).unwrap();
    assert!(dir.join("figures/keyness.png").is_file());
    for t in [
        "comparisons",
        "keyness",
        "divergence",
        "outlet_profiles",
        "clusters",
        "cluster_summary",
        "cluster_agreement",
        "cluster_selection",
        "pca",
    ] {
        std::fs::remove_file(tables.join(format!("{t}.parquet"))).unwrap();
    }
    write_report(&tables, &dir, &ReportConfig::default()).unwrap();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // Frame profile, tone by outlet and tone over time remain.
    assert_eq!(html.matches("<svg").count(), 3);
    assert_eq!(
        html.matches("not computed in this run").count(),
        5,
        "{html}"
    );
    assert!(html.contains("the <code>comparisons</code> table is absent"));
    assert!(
        !dir.join("figures/keyness.png").exists(),
        "stale figure left behind"
    );
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("> **Cluster summary**: not computed in this run"));
}

#[test]
fn a_missing_documents_table_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("manifest.json"), "{}").unwrap();
    let err = write_report(tmp.path(), &tmp.path().join("r"), &ReportConfig::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("documents.parquet"), "{err}");
}

/// Runs Chromium with a deadline; returns its stdout, or None if it did not finish.
fn chromium(args: &[String]) -> Option<Vec<u8>> {
    let mut child = Command::new("/usr/bin/chromium")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).ok();
        buf
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().ok()?.is_some() {
            return reader.join().ok();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn report_opens_in_headless_chromium_with_every_figure() {
    if !Path::new("/usr/bin/chromium").exists() {
        eprintln!(
            "skipping the browser check: /usr/bin/chromium not found (apt-get install chromium)"
        );
        return;
    }
    let (tmp, dir) = report(true);
    let html = dir.join("report.html");
    let url = format!("file://{}", html.display());
    let common = |profile: &str| -> Vec<String> {
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!(
            "--user-data-dir={}",
            tmp.path().join(profile).display()
        )])
        .collect()
    };
    let mut dump = common("profile-dom");
    dump.extend(["--dump-dom".to_string(), url.clone()]);
    let dom = chromium(&dump).expect("chromium --dump-dom finished");
    let dom = String::from_utf8_lossy(&dom);
    assert_eq!(
        dom.matches("<svg").count(),
        FIGURES,
        "every figure is in the DOM"
    );
    assert!(dom.contains("Фикстура для отчёта"));
    let shot = tmp.path().join("shot.png");
    let mut args = common("profile-shot");
    args.extend([
        format!("--screenshot={}", shot.display()),
        "--window-size=1400,3000".to_string(),
        url,
    ]);
    chromium(&args).expect("chromium --screenshot finished");
    assert!(shot.is_file(), "no screenshot written");
    let colors = distinct_colors(&shot);
    assert!(colors > 50, "the screenshot looks blank: {colors} colors");
}
