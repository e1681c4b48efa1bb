#!/usr/bin/env python3
"""Prints the side-by-side table of one or more benchmark runs made by run.sh.

Each argument is a run folder holding corpus.tsv, peer.json (peer.py's output), time.txt
(GNU time -v of `framelens run`), wall.txt (its wall-clock seconds) and tables/manifest.json.
"""

import json
import os
import re
import sys


def load(run_dir):
    with open(os.path.join(run_dir, "peer.json")) as f:
        peer = json.load(f)
    with open(os.path.join(run_dir, "tables", "manifest.json")) as f:
        manifest = json.load(f)
    with open(os.path.join(run_dir, "wall.txt")) as f:
        wall = float(f.read().strip())
    rss_kb = None
    with open(os.path.join(run_dir, "time.txt")) as f:
        for line in f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
            if m:
                rss_kb = int(m.group(1))
    stages = dict(manifest["run"]["stage_seconds"])
    features_only = {}
    features_manifest = os.path.join(run_dir, "features-tables", "manifest.json")
    if os.path.exists(features_manifest):
        with open(features_manifest) as f:
            features_only = dict(json.load(f)["run"]["stage_seconds"])
    equal_wall = None
    equal_path = os.path.join(run_dir, "equal-wall.txt")
    if os.path.exists(equal_path):
        with open(equal_path) as f:
            equal_wall = float(f.read().strip())
    mb = os.path.getsize(os.path.join(run_dir, "corpus.tsv")) / 1e6
    return {
        "dir": run_dir,
        "peer": peer,
        "stages": stages,
        "features_only": features_only,
        "equal_wall": equal_wall,
        "threads": manifest["run"]["threads"],
        "wall": wall,
        "rss_mb": rss_kb / 1024 if rss_kb else float("nan"),
        "mb": mb,
    }


def ratio(a, b):
    return f"{a / b:6.1f}x" if b > 0 else "    -"


def table(r):
    p, s = r["peer"]["stages"], r["stages"]
    fl_features = s.get("read_tokenize_score", 0) + s.get("vocabulary", 0)
    # Compare and cluster run side by side and are timed on their own, so their times overlap:
    # count the longer one only, which leaves an upper bound on the report and exit.
    analysis = max(s.get("compare", 0), s.get("cluster", 0))
    others = sum(v for k, v in s.items() if k not in ("compare", "cluster"))
    fl_rest = r["wall"] - others - analysis
    print(
        f"\n== {r['dir']}: {r['mb']:.1f} MB, {r['peer']['docs']} documents, "
        f"framelens threads {r['threads']} =="
    )
    print(f"{'stage':46} {'python':>9} {'framelens':>10} {'speed-up':>9}")
    f = r["features_only"]
    fl_plain = f.get("read_tokenize_score", 0) + f.get("vocabulary", 0)
    rows = [
        ("read + tokenize + stem + count (+ tf-idf)", p["read"] + p["features"], fl_features),
    ]
    if f:
        # framelens with no lexicons and no MinHash: the Python row's work (tf-idf aside,
        # which framelens computes in its cluster stage).
        rows.append(("  same, fl features only (no lexicons/MinHash)",
                     p["read"] + p["features"], fl_plain))
    rows += [
        ("SVD(50) + k-means (fl: beside compare)", p["cluster"], s.get("cluster", 0)),
    ]
    if f:
        # framelens scores lexicons in the feature pass; its cost is the difference of the runs.
        rows.append(("VADER (py) | all lexicons + MinHash (fl, diff.)",
                     p["vader"], max(fl_features - fl_plain, 0.0)))
    else:
        rows.append(("VADER tone (py) | all lexicons (fl, in features)", p["vader"], 0.0))
    rows += [
        ("fl only: prepare", None, s.get("prepare", 0)),
        ("fl only: write tables", None, s.get("write_tables", 0)),
        ("fl only: compare (beside cluster)", None, s.get("compare", 0)),
        ("fl only: report + exit (wall - stages, at most)", None, fl_rest),
    ]
    for name, py, fl in rows:
        py_s = f"{py:9.2f}" if py is not None else f"{'':9}"
        sp = ratio(py, fl) if py is not None and fl > 0 else ""
        print(f"{name:46} {py_s} {fl:10.2f} {sp:>9}")
    total_py = r["peer"]["total"]
    print(f"{'whole (fl: `run`, report included)':46} {total_py:9.2f} {r['wall']:10.2f} "
          f"{ratio(total_py, r['wall']):>9}")
    if r["equal_wall"] is not None:
        # tone lexicon, k = 5, no comparisons or MinHash: the Python stack's work, plus tables
        # and report.
        print(f"{'whole, equal work (fl: tone, k = 5, no compare)':46} {total_py:9.2f} "
              f"{r['equal_wall']:10.2f} {ratio(total_py, r['equal_wall']):>9}")
    rts = s.get("read_tokenize_score", 0)
    if rts > 0:
        print(f"framelens read+tokenize+score: {r['mb'] / rts:.1f} MB/s "
              f"({r['mb'] / rts / r['threads']:.1f} MB/s per thread)")
    print(f"framelens peak RSS: {r['rss_mb']:.0f} MB")
    tok = r["peer"].get("tokens")
    if tok and tok["sample"]:
        print(
            f"token counts (sample of {tok['sample']} docs): mean |python - framelens| / framelens "
            f"= {100 * tok['mean_abs_rel_diff']:.2f}%, signed {100 * tok['mean_signed_rel_diff']:+.2f}%"
        )


def main():
    runs = [load(d) for d in sys.argv[1:]]
    for r in runs:
        table(r)
    if len(runs) > 1:
        print("\n== linear cost: seconds per MB ==")
        print(f"{'MB':>8} {'python s':>9} {'s/MB':>7} {'framelens s':>11} {'s/MB':>7} {'RSS MB':>7}")
        for r in runs:
            tp = r["peer"]["total"]
            print(f"{r['mb']:8.1f} {tp:9.2f} {tp / r['mb']:7.3f} {r['wall']:11.2f} "
                  f"{r['wall'] / r['mb']:7.3f} {r['rss_mb']:7.0f}")


if __name__ == "__main__":
    main()
