#!/usr/bin/env bash
# framelens against the Python stack researchers use, on the same synthetic corpus.
# See README.md in this folder. Environment:
#   SIZES        corpus sizes, e.g. "20MB" (default) or "20MB 80MB 320MB" for the linear-cost check
#   SEED         generator seed (default 42)
#   BENCH_VENV   Python venv (default /tmp/framelens-bench-venv; created if missing)
#   BENCH_WORK   where corpora and outputs go (default /tmp/framelens-bench)
#   FRAMELENS    a framelens binary to use; default: `cargo build --release` and use that
#   THREADS      passed to `framelens run --threads` (default: one per core)
#   PEER=0       skip the Python stack (framelens figures only)
#   KEEP_CORPUS=1  reuse <BENCH_WORK>/<size>/corpus.tsv and study.toml when they exist (for
#                example a corpus written by another version of the generator)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sizes=${SIZES:-20MB}
seed=${SEED:-42}
venv=${BENCH_VENV:-/tmp/framelens-bench-venv}
work=${BENCH_WORK:-/tmp/framelens-bench}

if [ -z "${FRAMELENS:-}" ]; then
    (cd "$root" && cargo build --release)
    FRAMELENS=${CARGO_TARGET_DIR:-$root/target}/release/framelens
fi
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

if [ "${PEER:-1}" != 0 ] && [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet scikit-learn PyStemmer vaderSentiment pyarrow
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(free -g | awk '/Mem:/ {print $2}') GB RAM; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$FRAMELENS" --version

dirs=()
for size in $sizes; do
    dir=$work/$size
    if [ "${KEEP_CORPUS:-0}" = 1 ] && [ -f "$dir/corpus.tsv" ] && [ -f "$dir/study.toml" ]; then
        find "$dir" -mindepth 1 -maxdepth 1 ! -name corpus.tsv ! -name study.toml -exec rm -rf {} +
        echo "reusing $dir/corpus.tsv"
    else
        rm -rf "$dir"
        "$FRAMELENS" generate --out "$dir" --size "$size" --seed "$seed" --force
    fi
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$dir/time.txt" "$FRAMELENS" run "$dir/study.toml" \
        --tables "$dir/tables" --report "$dir/report" --quiet ${THREADS:+--threads "$THREADS"}
    end=$(date +%s.%N)
    python3 -c "print($end - $start)" > "$dir/wall.txt"
    # The same corpus with only the work the Python stack's "features" row does: no lexicons,
    # no near-duplicate MinHash, no comparisons, clustering or report.
    cp "$dir/study.toml" "$dir/features.toml"
    cat >> "$dir/features.toml" <<'TOML'

[near-duplicates]
enabled = false

[lexicons]
builtin = []

[compare]
enabled = false

[cluster]
enabled = false

[report]
enabled = false
TOML
    "$FRAMELENS" run "$dir/features.toml" --tables "$dir/features-tables" \
        --report "$dir/features-report" --quiet ${THREADS:+--threads "$THREADS"}
    # The same corpus with the work of the whole Python stack and no more: the tone lexicon in
    # place of VADER, tf-idf + SVD(50) + k-means at k = 5 (no choice of k), no comparisons and
    # no MinHash; tables and report are still written.
    cp "$dir/study.toml" "$dir/equal.toml"
    cat >> "$dir/equal.toml" <<'TOML'

[near-duplicates]
enabled = false

[lexicons]
builtin = ["tone"]

[compare]
enabled = false

[cluster]
features = "tfidf"
k = 5
TOML
    start=$(date +%s.%N)
    "$FRAMELENS" run "$dir/equal.toml" --tables "$dir/equal-tables" \
        --report "$dir/equal-report" --quiet ${THREADS:+--threads "$THREADS"}
    end=$(date +%s.%N)
    python3 -c "print($end - $start)" > "$dir/equal-wall.txt"
    if [ "${PEER:-1}" != 0 ]; then
        "$venv/bin/python" "$here/peer.py" "$dir/corpus.tsv" \
            --documents "$dir/tables/documents.parquet" > "$dir/peer.json"
    fi
    echo "load average after $size: $(cut -d' ' -f1-3 /proc/loadavg)"
    dirs+=("$dir")
done

if [ "${PEER:-1}" != 0 ]; then
    python3 "$here/report.py" "${dirs[@]}"
fi
