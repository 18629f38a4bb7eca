#!/usr/bin/env bash
# Installs what is missing, builds, and starts Latch on its embedded default: SQLite in
# ./build/demo-data, the demo users and cases, listening on ws://127.0.0.1:7443/sync.
# Extra arguments go to latch-server (for example --listen 127.0.0.1:0 or --data DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset default -DLATCH_BUILD_TESTS=OFF -DLATCH_BUILD_BENCH=OFF >/dev/null
cmake --build --preset default --target latch-server latchctl

echo
echo "Latch is starting. In another terminal, try:"
echo "  build/default/server/cli/latchctl login mkim --password latch-demo"
echo "  build/default/server/cli/latchctl case list"
echo "  scripts/story.sh        # the refund story from intake to approval"
echo "The desktop app is not part of this release yet; latchctl is the client."
echo
exec build/default/server/latch-server --demo --data build/demo-data "$@"
