#!/usr/bin/env python3
"""What VADER's running time depends on: microseconds per word against words per document.

VADER (vaderSentiment 3.3.2) lowercases the document's whole word list inside its negation and
idiom checks, which run for every lexicon word it meets, so one document costs about
(words x lexicon words) and the cost per word grows with the document's length. This script
measures that on three kinds of English text and prints one line per set:

  seeds         the five real news articles of ../shared/seeds (if present)
  vk            the English translations of the 129 real VK posts in ../shared (if present),
                one by one and concatenated in runs of 8 (same words, longer documents)
  synth         the English documents of a framelens corpus.tsv (argument), grouped by length

Each set is timed `--repeat` times and the fastest run is kept. Prints a table on standard
output; nothing is written. Run it with the venv run.sh makes, e.g.

  /tmp/framelens-bench-venv/bin/python benches/python_peer/vader_cost.py \
      /tmp/framelens-bench/20MB/corpus.tsv --shared ../shared
"""

import argparse
import csv
import glob
import os
import sys
import time


def timed(vader, texts, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            vader.polarity_scores(text)
        best = min(best, time.perf_counter() - start)
    return best


def line(vader, name, texts, repeat):
    if not texts:
        return
    words = sum(len(t.split()) for t in texts)
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    seconds = timed(vader, texts, repeat)
    print(
        f"{name:22} {len(texts):6} {words / len(texts):10.0f} {1e6 * seconds / words:9.2f} "
        f"{seconds / nbytes * 1e6:8.3f}"
    )


def synth_english(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for row in f:
            fields = row.rstrip("\n").split("\t")
            if fields[col["language"]] == "en":
                yield fields[col["text"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="a corpus.tsv written by `framelens generate`")
    ap.add_argument("--shared", default="../shared", help="the shared data folder")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--per-bin", type=int, default=150, help="synthetic documents per length bin")
    args = ap.parse_args()

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    print(f"{'set':22} {'docs':>6} {'words/doc':>10} {'us/word':>9} {'s/MB':>8}")

    seeds = sorted(glob.glob(os.path.join(args.shared, "seeds", "*.txt")))
    line(vader, "seeds (real articles)", [open(p, encoding="utf-8").read() for p in seeds],
         args.repeat)
    posts = os.path.join(args.shared, "corpora", "vk-ukraine-2018", "posts.tsv")
    if os.path.exists(posts):
        csv.field_size_limit(sys.maxsize)
        with open(posts, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        english = [r["translation"] for r in rows if r["translation"]]
        line(vader, "vk posts", english, args.repeat)
        runs = ["\n".join(english[i:i + 8]) for i in range(0, len(english), 8)]
        line(vader, "vk posts, 8 per doc", runs, args.repeat)

    bins = [(0, 200), (200, 400), (400, 800), (800, 1600), (1600, 10**9)]
    docs = {b: [] for b in bins}
    for text in synth_english(args.corpus):
        n = len(text.split())
        for lo, hi in bins:
            if lo <= n < hi and len(docs[(lo, hi)]) < args.per_bin:
                docs[(lo, hi)].append(text)
    for (lo, hi), texts in docs.items():
        label = f"synth {lo}-{hi if hi < 10**9 else ''} words"
        line(vader, label, texts, args.repeat)


if __name__ == "__main__":
    main()
