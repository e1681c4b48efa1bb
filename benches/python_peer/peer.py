#!/usr/bin/env python3
"""The Python stack researchers use today, timed stage by stage on a framelens corpus.tsv.

Stages (seconds are wall-clock, one process, as a researcher would run it):
  read       read the TSV (id, outlet, group, event, date, language, text; never quoted)
  features   tokenize (scikit-learn's default token pattern, lowercased) + Snowball stem
             (PyStemmer, English or Russian by the language column) + CountVectorizer counts
             + TfidfTransformer (smoothed idf, the same formula framelens uses)
  cluster    TruncatedSVD(50) + KMeans(k=5, k-means++, n_init=10)
  vader      VADER polarity_scores on every English document

With --documents (framelens' documents.parquet) it also compares token counts per document
on a sample: scikit-learn's token pattern (stopwords kept, like framelens' n_tokens) against
framelens' n_tokens, and prints the mean relative difference.

Prints one JSON object on standard output.
"""

import argparse
import json
import re
import sys
import time


def read_tsv(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            fields = line.rstrip("\n").split("\t")
            docs.append(
                (fields[col["id"]], fields[col["language"]], fields[col["text"]])
            )
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--documents", help="framelens documents.parquet, for token counts")
    ap.add_argument("--sample", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import Stemmer
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    out = {"stages": {}}
    t = time.perf_counter()
    docs = read_tsv(args.corpus)
    out["stages"]["read"] = time.perf_counter() - t
    out["docs"] = len(docs)

    # Features: one analyzer that stems in each document's language.
    t = time.perf_counter()
    stemmers = {"en": Stemmer.Stemmer("english"), "ru": Stemmer.Stemmer("russian")}
    tokenize = CountVectorizer().build_tokenizer()  # (?u)\b\w\w+\b

    def analyzer(doc):
        _id, lang, text = doc
        return stemmers[lang].stemWords(tokenize(text.lower()))

    counts = CountVectorizer(analyzer=analyzer).fit_transform(docs)
    tfidf = TfidfTransformer(smooth_idf=True, sublinear_tf=False).fit_transform(counts)
    out["stages"]["features"] = time.perf_counter() - t
    out["vocabulary"] = counts.shape[1]

    t = time.perf_counter()
    reduced = TruncatedSVD(n_components=50, random_state=args.seed).fit_transform(tfidf)
    KMeans(n_clusters=5, n_init=10, random_state=args.seed).fit(reduced)
    out["stages"]["cluster"] = time.perf_counter() - t

    t = time.perf_counter()
    vader = SentimentIntensityAnalyzer()
    english = [text for _id, lang, text in docs if lang == "en"]
    for text in english:
        vader.polarity_scores(text)
    out["stages"]["vader"] = time.perf_counter() - t
    out["vader_docs"] = len(english)
    out["total"] = sum(out["stages"].values())

    if args.documents:
        import pyarrow.parquet as pq

        table = pq.read_table(args.documents, columns=["doc_id", "n_tokens"]).to_pydict()
        fl = dict(zip(table["doc_id"], table["n_tokens"]))
        sample = docs[: args.sample]
        pattern = re.compile(r"(?u)\b\w\w+\b")
        rel, signed = [], []
        for doc_id, _lang, text in sample:
            n_fl = fl.get(doc_id)
            if not n_fl:
                continue
            n_py = len(pattern.findall(text))
            rel.append(abs(n_py - n_fl) / n_fl)
            signed.append((n_py - n_fl) / n_fl)
        out["tokens"] = {
            "sample": len(rel),
            "mean_abs_rel_diff": sum(rel) / len(rel) if rel else None,
            "mean_signed_rel_diff": sum(signed) / len(signed) if signed else None,
        }

    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
