#!/usr/bin/env bash
# Refreshes docs/screenshots/: starts latch-server --demo on a free loopback port with a throwaway
# data dir, then runs the screenshot suite (tests/app/ui/screenshottest.cpp) offscreen with Qt
# Quick's software renderer. It signs in as mkim and atorres, plays the refund story and saves
# sign-in, queue, case (triage's suggestion, refused preparer and finance approver, the Proof tab),
# the audit screen, offline, settings and dark-theme screens as PNGs; then the Proof tab of a case
# whose stored history was edited (tests/app/ui/proofaudittest.cpp, its own server), and the refund
# web form in headless Chromium (form, errors, confirmation). Needs no display.
#   BUILD_DIR=build/default   build to use (configured with tests on); default build/default
#   OUT_DIR=docs/screenshots  where the PNGs go
set -euo pipefail
cd "$(dirname "$0")/.."

build="${BUILD_DIR:-build/default}"
out="${OUT_DIR:-docs/screenshots}"
if [ ! -f "$build/build.ninja" ]; then
  bash scripts/setup.sh
  cmake --preset default -DLATCH_BUILD_TESTS=ON >/dev/null
fi
cmake --build "$build" --target latch-server latchctl screenshottest proofaudittest formbrowsertest

data="$(mktemp -d)"
log="$data/server.log"
"$build/server/latch-server" --demo --data "$data" --listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT INT TERM

# The server names the port the OS picked once it accepts connections.
url=""
for _ in $(seq 1 200); do
  url="$(grep -oE 'listening on wss?://[^ ]+/sync' "$log" | head -n1 | sed 's/^listening on //')" || true
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "screenshots: latch-server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$url" ] || { echo "screenshots: latch-server reported no address" >&2; exit 1; }

mkdir -p "$out"
QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software \
  LATCH_SERVER_URL="$url" LATCH_SCREENSHOT_DIR="$(cd "$out" && pwd)" \
  "$build/tests/app/ui/screenshottest"
# The Proof tab once the server's SQLite file was edited (starts, edits and restarts its own server).
QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software LATCH_SERVER_BIN="$build/server/latch-server" \
  LATCHCTL_BIN="$build/server/cli/latchctl" LATCH_SCREENSHOT_DIR="$(cd "$out" && pwd)" \
  "$build/tests/app/ui/proofaudittest"
# The refund web form, its errors and its confirmation, in headless Chromium (starts its own server).
LATCH_SERVER_BIN="$build/server/latch-server" LATCH_SOURCE_DIR="$PWD" \
  LATCH_SCREENSHOT_DIR="$(cd "$out" && pwd)" "$build/tests/intake/formbrowsertest"
echo "screenshots: written to $out/"
ls -1 "$out"/*.png
