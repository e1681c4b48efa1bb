#!/usr/bin/env bash
# Brief fuzzing for CI (issue #8): every target for FUZZ_SECONDS (default 20) seconds.
#
#   fuzz/ci.sh                        # all eight targets
#   FUZZ_SECONDS=60 fuzz/ci.sh lexicon_yaml
#
# Unlike run.sh this needs neither cargo-fuzz nor nightly-only flags: it builds the targets
# with a plain `cargo build` and the coverage flags cargo-fuzz passes with `--sanitizer none`
# (all stable), in the light `fuzz-ci` profile, into a cached target folder. Runs start from
# fuzz/corpus/<target> (kept between runs, not committed) and seeds made from the test fixtures.
# A crash, a timeout or an out-of-memory fails the script, which prints the saved input and the
# command that replays it.
set -euo pipefail

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz_dir")"
seconds="${FUZZ_SECONDS:-20}"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/framelens-fuzz-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# libfuzzer-sys compiles libFuzzer (C++) from source.
if ! command -v c++ >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "installing g++ (libfuzzer-sys compiles libFuzzer)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
    else
        echo "fuzz/ci.sh: a C++ compiler (c++) is needed to build libFuzzer; install g++" >&2
        exit 2
    fi
fi

host="$(rustc -vV | sed -n 's/^host: //p')"
# The instrumentation of `cargo fuzz build --sanitizer none`. With --target, build scripts and
# proc-macros are built without these flags, as cargo-fuzz does.
export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 -Cllvm-args=-sanitizer-coverage-stack-depth \
 -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
 --cfg fuzzing"
unset RUSTC_BOOTSTRAP

echo "== building the fuzz targets (profile fuzz-ci, target folder $CARGO_TARGET_DIR)"
cargo build --locked --manifest-path "$fuzz_dir/Cargo.toml" --target "$host" \
    --profile fuzz-ci --bins
bin_dir="$CARGO_TARGET_DIR/$host/fuzz-ci"

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=(tokenizer ingest_csv ingest_tsv ingest_jsonl
        lexicon_native lexicon_dic lexicon_yaml lexicon_weighted)
fi

# Scratch: the seeds, the logs, and the ingest drivers' temporary files (they write to TMPDIR).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

fixtures="$repo/tests/fixtures"
# seed TARGET FLAGS FILE...: copies each FILE as a seed, behind FLAGS (the options byte the
# ingest and tokenizer drivers read first; empty for the lexicon drivers).
seed() {
    local target="$1" flags="$2"
    shift 2
    mkdir -p "$work/seeds/$target"
    local file
    for file in "$@"; do
        { printf "$flags"; cat "$file"; } >"$work/seeds/$target/$(basename "$file")-${flags//\\/}"
    done
}
seed tokenizer '\000' "$fixtures"/ingest/folder-csv/*.txt "$fixtures"/ingest/folder-tsv/*.txt
seed tokenizer '\102' "$fixtures"/ingest/folder-tsv/*.txt
for ext in csv tsv jsonl; do
    seed "ingest_$ext" '\000' "$fixtures"/ingest/posts.$ext
    seed "ingest_$ext" '\010' "$fixtures"/ingest/posts.$ext
done
seed ingest_csv '\000' "$fixtures"/ingest/folder-csv/metadata.csv
seed ingest_tsv '\000' "$fixtures"/ingest/folder-tsv/metadata.tsv
seed lexicon_native '' "$fixtures"/lexicon/*.toml
seed lexicon_dic '' "$fixtures"/lexicon/*.dic
seed lexicon_yaml '' "$fixtures"/lexicon/*.yml
seed lexicon_weighted '' "$fixtures"/lexicon/*weighted*

failed=()
for target in "${targets[@]}"; do
    corpus="$fuzz_dir/corpus/$target"
    artifacts="$fuzz_dir/artifacts/$target"
    mkdir -p "$corpus" "$artifacts" "$work/seeds/$target"
    log="$work/$target.log"
    echo "== $target (${seconds}s)"
    if "$bin_dir/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$corpus" "$work/seeds/$target" >"$log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units)' "$log" || tail -n 1 "$log"
    else
        tail -n 40 "$log"
        reproducer="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)"
        echo "fuzz target $target failed; reproducer: ${reproducer:-none saved (see the log above)}"
        if [ -n "$reproducer" ]; then
            echo "replay: $bin_dir/$target $reproducer"
        fi
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
echo "== all ${#targets[@]} fuzz targets ran ${seconds}s each without a crash"
