#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer + UndefinedBehaviorSanitizer, and runs
# every test suite with CTest. Servers under test listen on loopback ports the OS picks.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# ccache keyed on paths relative to the checkout, so a fresh clone elsewhere still hits the cache.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="$PWD"
export CCACHE_NOHASHDIR=1
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"
