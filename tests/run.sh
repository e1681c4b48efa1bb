#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs them.
#
# - snowball-data (Debian) holds the Snowball reference vocabularies for the stemmer agreement
#   test; without it (not root, or no apt) that test prints why and skips.
# - ../shared (the seed articles and the VK corpus) is optional; tests that need it skip.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! dpkg -s snowball-data >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing snowball-data (Snowball reference vocabularies)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq snowball-data) >/dev/null \
        || echo "could not install snowball-data; the stemmer agreement test will skip"
fi

export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-false}"
cargo test --locked "$@"
