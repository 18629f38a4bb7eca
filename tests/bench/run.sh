#!/usr/bin/env bash
# Runs the Latch benchmarks and prints a summary table. See docs/benchmarks.md.
#
#   tests/bench/run.sh                    # everything (about 3 minutes once built)
#   tests/bench/run.sh --quick            # shorter runs, smaller fleets (about a minute)
#   tests/bench/run.sh commands fanout    # only some: commands latency fanout idle sqlite actions
#                                         # intake email-parse email classify
#   tests/bench/run.sh --no-build ...     # use the binaries as they are
#   tests/bench/run.sh --rt ...           # server and latch-bench at real-time priority
#                                         # (chrt -f 10): on a shared machine, approximates
#                                         # an idle one (needs root or CAP_SYS_NICE)
#
# Builds latch-server, latch-bench, sqlite-append and triage-bench with the release preset (build/release),
# starts a fresh latch-server (--demo, data in a temp dir, port 0) for each scenario, and stops it
# afterwards (actions, intake and email start their own, with their config appended; email-parse
# needs none). Environment overrides: LATCH_BUILD_DIR, LATCH_SERVER_BIN, LATCH_BENCH_BIN,
# SQLITE_APPEND_BIN, LATCH_BENCH_TMP (where server data and the SQLite scratch file go: keep it on
# the disk you want measured), LATCH_SERVER_THREADS, LATCH_BENCH_THREADS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${LATCH_BUILD_DIR:-$ROOT/build/release}
SERVER_BIN=${LATCH_SERVER_BIN:-$BUILD_DIR/server/latch-server}
BENCH_BIN=${LATCH_BENCH_BIN:-$BUILD_DIR/tests/bench/latch-bench}
SQLITE_BIN=${SQLITE_APPEND_BIN:-$BUILD_DIR/tests/bench/sqlite-append}
TRIAGE_BIN=${TRIAGE_BENCH_BIN:-$BUILD_DIR/tests/bench/triage-bench}
SERVER_THREADS=${LATCH_SERVER_THREADS:-2}
BENCH_THREADS=${LATCH_BENCH_THREADS:-1}

quick=0
build=1
rt=0
scenarios=()
for arg in "$@"; do
    case "$arg" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --rt) rt=1 ;;
    commands | latency | fanout | idle | sqlite | actions | intake | email-parse | email | classify)
        scenarios+=("$arg")
        ;;
    -h | --help)
        sed -n '2,/^set /p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "run.sh: unknown argument '$arg' (see --help)" >&2
        exit 2
        ;;
    esac
done
((${#scenarios[@]})) || scenarios=(sqlite commands latency fanout idle actions intake email-parse email classify)

if ((quick)); then
    DURATION=3 WARMUP=0.5 WATCHERS=200 EVENTS=60 CONNECTIONS=2000 SQLITE_SECONDS=1 RUNS=30
    WEBHOOKS=5000 EMAILS=400 PARSE_SECONDS=2
else
    DURATION=10 WARMUP=1 WATCHERS=1000 EVENTS=200 CONNECTIONS=10000 SQLITE_SECONDS=3 RUNS=100
    WEBHOOKS=20000 EMAILS=2000 PARSE_SECONDS=5
fi

# Thousands of sockets on each side. Without CAP_SYS_RESOURCE the hard limit is the ceiling.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (($(ulimit -n) < CONNECTIONS + 100)); then
    echo "run.sh: only $(ulimit -n) open files allowed; idle needs $((CONNECTIONS + 100))" >&2
fi

if ((build)); then
    echo "== building latch-server latch-bench sqlite-append (release preset, $BUILD_DIR)"
    log=$(mktemp)
    if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
        configure=(cmake --preset release -DLATCH_BUILD_TESTS=OFF -DLATCH_BUILD_BENCH=ON)
    elif ! grep -q '^LATCH_BUILD_BENCH:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
        configure=(cmake -S "$ROOT" -B "$BUILD_DIR" -DLATCH_BUILD_BENCH=ON)
    else
        configure=(true)
    fi
    if ! (cd "$ROOT" && "${configure[@]}" >"$log" 2>&1 &&
        cmake --build "$BUILD_DIR" --target latch-server latch-bench sqlite-append triage-bench -j2 >>"$log" 2>&1)
    then
        tail -n 30 "$log" >&2
        echo "run.sh: the build failed (full log: $log)" >&2
        exit 2
    fi
    rm -f "$log"
fi
for bin in "$SERVER_BIN" "$BENCH_BIN" "$SQLITE_BIN"; do
    [[ -x $bin ]] || { echo "run.sh: $bin is missing (build it, or see --help)" >&2; exit 2; }
done

# Prefix for the server and latch-bench command lines.
PRIO=()
if ((rt)); then
    PRIO=(chrt -f 10)
    if ! "${PRIO[@]}" true 2>/dev/null; then
        echo "run.sh: --rt: chrt -f is not permitted here" >&2
        exit 2
    fi
fi

WORK=$(mktemp -d "${LATCH_BENCH_TMP:-${TMPDIR:-/tmp}}/latch-bench.XXXXXX")
SERVER_PID=
SERVER_URL=
stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A fresh server for every scenario: earlier notes would make later snapshots bigger, and the
# memory reading must not include what an earlier scenario left behind.
start_server() {
    local name=$1
    local dir=$WORK/$name
    mkdir -p "$dir"
    # The log exists before the server starts writing it: sed below must never find it missing
    # (set -e would end the run on sed's exit status).
    : >"$dir/server.log"
    "${PRIO[@]}" "$SERVER_BIN" --demo --data "$dir/data" --listen 127.0.0.1:0 \
        --threads "$SERVER_THREADS" >"$dir/server.log" 2>&1 &
    SERVER_PID=$!
    local i
    for ((i = 0; i < 300; i++)); do
        SERVER_URL=$(sed -n 's/^latch-server listening on \(ws:\/\/[^ ]*\)$/\1/p' "$dir/server.log")
        [[ -n $SERVER_URL ]] && return 0
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "run.sh: latch-server exited:" >&2
            tail -n 20 "$dir/server.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "run.sh: latch-server did not start within 30 s" >&2
    exit 1
}

declare -A RESULTS
# Runs one latch-bench scenario against a fresh server; keeps its RESULT line.
bench() {
    local name=$1
    shift
    echo
    echo "== $name"
    start_server "$name"
    local out=$WORK/$name/bench.out
    local status=0
    # --server-pid: latch-bench reads the server's CPU time and (idle) VmRSS from /proc.
    "${PRIO[@]}" "$BENCH_BIN" --server "$SERVER_URL" --server-pid "$SERVER_PID" \
        --threads "$BENCH_THREADS" "$name" "$@" | tee "$out" || status=$?
    stop_server
    if ((status != 0)); then
        echo "   latch-bench exited with $status; the server log ends with:" >&2
        tail -n 5 "$WORK/$name/server.log" >&2
    fi
    RESULTS[$name]=$(grep '^RESULT ' "$out" | tail -n 1 || true)
}

# Runs a scenario that starts its own latch-server (actions, intake, email) or needs none
# (email-parse); keeps its RESULT line.
bench_own() {
    local name=$1
    shift
    echo
    echo "== $name"
    mkdir -p "$WORK"
    local out=$WORK/$name.out
    local status=0
    TMPDIR=$WORK "${PRIO[@]}" "$BENCH_BIN" --threads "$BENCH_THREADS" "$name" "$@" | tee "$out" ||
        status=$?
    ((status == 0)) || echo "   latch-bench $name exited with $status" >&2
    RESULTS[$name]=$(grep '^RESULT ' "$out" | tail -n 1 || true)
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"${RESULTS[$1]:-}"; }
# verdict VALUE OP LIMIT -> MET / MISSED (awk does the float comparison)
verdict() {
    [[ -n $1 ]] || { echo "n/a"; return; }
    awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
        ok = (op == ">=") ? (v >= l) : (op == "<") ? (v < l) : (v <= l);
        print ok ? "MET" : "MISSED" }'
}

load=$(cut -d' ' -f1 /proc/loadavg)
echo "== machine: $(nproc) cores, load average $load before the run"
if ((!rt)) && awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
    echo "   (other work is running: the figures below will be lower than on an idle machine;"
    echo "    --rt gives the benchmark the CPU first)"
fi

for s in "${scenarios[@]}"; do
    case $s in
    sqlite)
        echo
        echo "== sqlite (raw append rate, WAL + synchronous=FULL, in $WORK)"
        out=$("${PRIO[@]}" "$SQLITE_BIN" --dir "$WORK" --seconds "$SQLITE_SECONDS" --batch 50)
        echo "$out" | grep -v '^RESULT '
        RESULTS[sqlite]=$(grep '^RESULT ' <<<"$out")
        ;;
    commands) bench commands --clients 50 --duration "$DURATION" --warmup "$WARMUP" ;;
    latency) bench latency --rate 1000 --clients 50 --duration "$DURATION" --warmup "$WARMUP" ;;
    fanout) bench fanout --watchers "$WATCHERS" --events "$EVENTS" --rate 20 ;;
    idle) bench idle --connections "$CONNECTIONS" ;;
    actions)
        # Starts its own latch-server (with the Stripe plugin) and FakeStripe.
        bench_own actions --server-bin "$SERVER_BIN" --config-base "$ROOT/resources/config/latch.yaml" \
            --runs "$RUNS" --inflight 200 --duration "$(awk -v d="$DURATION" 'BEGIN { print d / 2 }')"
        ;;
    intake | email)
        # Start their own latch-server with intake sources appended to the config.
        count=$WEBHOOKS
        [[ $s == email ]] && count=$EMAILS
        bench_own "$s" --server-bin "$SERVER_BIN" --config-base "$ROOT/resources/config/latch.yaml" \
            --server-threads "$SERVER_THREADS" --deliveries "$count" --connections 32
        ;;
    email-parse)
        bench_own email-parse --fixtures "$ROOT/tests/intake/mail" --duration "$PARSE_SECONDS"
        ;;
    classify)
        echo
        echo "== classify (triage: the classifier and extractor per case, in process)"
        out=$("${PRIO[@]}" "$TRIAGE_BIN" --heldout "$ROOT/resources/triage/heldout.jsonl" \
            --seconds "$PARSE_SECONDS")
        echo "$out" | grep -v '^RESULT '
        RESULTS[classify]=$(grep '^RESULT ' <<<"$out")
        ;;
    esac
done

notes=""
((quick)) && notes+=", --quick"
((rt)) && notes+=", --rt"
echo
echo "== summary ($(nproc) cores, load average $load at the start$notes)"
row() { printf '%-11s %-58s %-23s %s\n' "$@"; }
row scenario figure target result
if [[ -n ${RESULTS[commands]:-} ]]; then
    rate=$(field commands rate)
    row commands "$rate cmd/s (p50 $(field commands p50_ms), p99 $(field commands p99_ms) ms)" \
        ">= 5000 cmd/s" "$(verdict "$rate" ">=" 5000)"
    if [[ -n ${RESULTS[sqlite]:-} ]]; then
        single=$(field sqlite single_rows_per_s)
        batched=$(field sqlite batch_rows_per_s)
        printf '%-11s %s\n' "" "$(awk -v r="$rate" -v s="$single" -v b="$batched" 'BEGIN {
            printf "= %.1fx SQLite 1 row/tx (%d rows/s), %.2f of SQLite 50 rows/tx (%d rows/s)",
                   r / s, s, r / b, b }')"
    fi
fi
if [[ -n ${RESULTS[latency]:-} ]]; then
    p99=$(field latency p99_ms)
    figure="p99 $p99 ms (p50 $(field latency p50_ms), max $(field latency max_ms))"
    row latency "$figure at $(field latency achieved)/s" "p99 < 20 ms" "$(verdict "$p99" "<" 20)"
fi
if [[ -n ${RESULTS[fanout]:-} ]]; then
    p99=$(field fanout p99_ms)
    missing=$(field fanout missing)
    result=$(verdict "$p99" "<" 50)
    [[ $missing == 0 ]] || result="MISSED ($missing missing)"
    figure="p99 $p99 ms (p50 $(field fanout p50_ms)), $(field fanout watchers_live)"
    figure+="x$(field fanout events), $missing missing"
    row fanout "$figure" "p99 < 50 ms, 0 missing" "$result"
fi
if [[ -n ${RESULTS[idle]:-} ]]; then
    kib=$(field idle kib_per_connection)
    figure="$kib KiB/connection ($(field idle opened) open, $(field idle rss_before_kib) -> "
    figure+="$(field idle rss_after_kib) KiB)"
    row idle "$figure" "<= 64 KiB" "$(verdict "$kib" "<=" 64)"
fi
if [[ -n ${RESULTS[actions]:-} ]]; then
    overhead=$(field actions overhead_p50_ms)
    figure="dispatch +$overhead ms p50 (p99 $(field actions overhead_p99_ms)) above a "
    figure+="$(field actions external_ms) ms call"
    row actions "$figure" "<= 5 ms" "$(verdict "$overhead" "<=" 5)"
    ratio=$(field actions p99_ratio)
    figure="$(field actions at_stripe) in flight: p99 $(field actions inflight_p99_ms) ms vs "
    figure+="idle $(field actions idle_p99_ms) ms (x$ratio)"
    row "" "$figure" "<= 2x idle" "$(verdict "$ratio" "<=" 2)"
fi
if [[ -n ${RESULTS[intake]:-} ]]; then
    rate=$(field intake rate)
    result=$(verdict "$rate" ">=" 1000)
    [[ $(field intake verified) == yes ]] || result="MISSED (not verified, see above)"
    figure="$rate/s, p50 $(field intake p50_ms) ms, p99 $(field intake p99_ms) ms, "
    figure+="$(field intake census_cases)/$(field intake deliveries) cases"
    row intake "$figure" ">= 1000/s, verified" "$result"
    figure="duplicates $(field intake duplicates_ok)/$(field intake duplicates_sent); CPU/delivery "
    figure+="server $(field intake server_cpu_us) us, bench $(field intake bench_cpu_us) us"
    row "" "$figure" "" ""
fi
if [[ -n ${RESULTS[email-parse]:-} ]]; then
    rate=$(field email-parse rate)
    figure="$rate emails/s, $(field email-parse mb_per_s) MB/s (pdf-200k "
    figure+="$(field email-parse pdf_200k_rate)/s, plain $(field email-parse plain_rate)/s)"
    row email-parse "$figure" ">= 200 emails/s" "$(verdict "$rate" ">=" 200)"
fi
if [[ -n ${RESULTS[email]:-} ]]; then
    rate=$(field email rate)
    result="verified"
    [[ $(field email verified) == yes ]] || result="NOT VERIFIED (see above)"
    figure="$rate/s, p50 $(field email p50_ms) ms, p99 $(field email p99_ms) ms, "
    figure+="$(field email census_cases)/$(field email deliveries) cases"
    row email "$figure" "none; all verified" "$result"
fi
if [[ -n ${RESULTS[classify]:-} ]]; then
    p99=$(field classify classify_p99_us)
    figure="p50 $(field classify classify_p50_us) us, p99 $p99 us per case "
    figure+="(extract p50 $(field classify extract_p50_us) us)"
    row classify "$figure" "< 1000 us per case" "$(verdict "$p99" "<" 1000)"
fi
if [[ -n ${RESULTS[sqlite]:-} && -z ${RESULTS[commands]:-} ]]; then
    figure="$(field sqlite single_rows_per_s) rows/s (1/tx), "
    figure+="$(field sqlite batch_rows_per_s) rows/s (50/tx)"
    row sqlite "$figure" "" ""
fi
