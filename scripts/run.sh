#!/usr/bin/env bash
# Installs what is missing, builds, and starts Latch on its embedded default: latch-server with
# SQLite in ./build/demo-data and the demo users and cases on ws://127.0.0.1:7443/sync, then the
# desktop app signed-in screen pointing at it. Closing the app stops the server.
# Extra arguments go to latch-server (for example --data DIR). Without a display (no X11 or
# Wayland session) only the server runs, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# ccache keyed on paths relative to the checkout: another clone reuses the same cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset default -DLATCH_BUILD_TESTS=OFF -DLATCH_BUILD_BENCH=OFF >/dev/null
cmake --build --preset default --target latch-server latchctl latch-app

build/default/server/latch-server --demo --data build/demo-data "$@" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT INT TERM

# Wait until the server answers on its port (it prints the address it listens on).
for _ in $(seq 1 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/7443) 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run: latch-server did not start (see the messages above)" >&2
    exit 1
  fi
  sleep 0.1
done

echo
echo "Latch is running. Sign in to the app as mkim, atorres, jlee, rpatel or admin"
echo "(password latch-demo). In another terminal you can also try:"
echo "  build/default/server/cli/latchctl login mkim --password latch-demo"
echo "  scripts/story.sh        # the refund story, played with latchctl"
echo

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  build/default/app/latch-app --server ws://127.0.0.1:7443/sync
else
  echo "No display here, so the desktop app is not started; the server runs until Ctrl-C."
  wait "$server"
fi
