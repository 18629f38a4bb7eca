#!/usr/bin/env bash
# The desktop app's benchmarks (see docs/benchmarks.md, "The desktop app"):
#
#   tests/bench/app.sh                      # all four at full size (10,000 cases x 20 events)
#   tests/bench/app.sh startup open-case    # only some: bootstrap startup open-case cipher
#   tests/bench/app.sh --cases 500          # smaller (any latch-appbench option passes through)
#
# Builds latch-server and latch-appbench with the release preset (build/release). The first full
# run seeds a latch-server data dir with the cases (a few minutes) and keeps it under
# build/release/bench-data for later runs. Runs offscreen; needs no display.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${LATCH_BUILD_DIR:-$ROOT/build/release}
cd "$ROOT"
if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    bash scripts/setup.sh
    cmake --preset release -DLATCH_BUILD_BENCH=ON -DLATCH_BUILD_TESTS=ON >/dev/null
fi
cmake --build "$BUILD_DIR" --target latch-server latch-appbench
export QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software
export LATCH_SERVER_BIN=${LATCH_SERVER_BIN:-$BUILD_DIR/server/latch-server}
exec "$BUILD_DIR/tests/bench/latch-appbench" "$@"
