#!/usr/bin/env bash
# Runs every framelens fuzz target briefly (issue #8). Installs cargo-fuzz if it is missing.
#
#   fuzz/run.sh                 # each target for FUZZ_SECONDS (default 20) seconds
#   FUZZ_SECONDS=300 fuzz/run.sh tokenizer ingest_csv   # chosen targets, longer
#
# cargo-fuzz needs nightly-only compiler flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them. The first run builds polars with sanitizer instrumentation,
# which takes several minutes. Exits non-zero on the first target that finds a crash (the
# input is saved under fuzz/artifacts/<target>/).
set -euo pipefail

cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-20}"
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

# One build for all targets (release mode with debug assertions, AddressSanitizer).
CARGO_BUILD_JOBS="$jobs" cargo fuzz build
for target in "${targets[@]}"; do
    echo "== $target (${seconds}s)"
    cargo fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=4096
done
echo "== all ${#targets[@]} targets ran ${seconds}s each without a crash"
