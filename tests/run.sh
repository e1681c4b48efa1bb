#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs them.
#
# - snowball-data (Debian) holds the Snowball reference vocabularies for the stemmer agreement
#   test; without it (not root, or no apt) that test prints why and skips.
# - chromium (Debian) lets the report test open report.html headless and take a screenshot;
#   without it that test prints why and skips.
# - ../shared (the seed articles and the VK corpus) is optional; tests that need it skip.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
for pkg in snowball-data chromium; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing$missing (test references and headless browser)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null 2>&1 \
        || echo "could not install$missing; the tests that need them will skip"
fi

export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-false}"
cargo test --locked "$@"
