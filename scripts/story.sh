#!/usr/bin/env bash
# The refund story, told with latchctl against a running demo server:
#
#   latch-server --demo &            # demo users, password "latch-demo"
#   scripts/story.sh [SERVER_URL]    # default ws://127.0.0.1:7443/sync
#
# M. Kim (support lead) opens a $2,400 refund for Acme Co, notes and marks it ready. The rule
# refund-above-threshold then refuses M. Kim (she prepared it) and J. Lee (not finance); A. Torres
# (finance) approves. Raising the amount to $2,600 voids that approval. Each person has their own
# latchctl session file in a temporary directory, removed at the end.
#
# LATCHCTL=/path/to/latchctl picks the binary (default: latchctl on PATH, else the newest one
# under build/). LATCH_PASSWORD overrides the demo password.
set -euo pipefail

server="${1:-${LATCH_SERVER:-ws://127.0.0.1:7443/sync}}"
password="${LATCH_PASSWORD:-latch-demo}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ -z "${LATCHCTL:-}" ]; then
  if command -v latchctl >/dev/null 2>&1; then
    LATCHCTL="$(command -v latchctl)"
  else
    LATCHCTL="$(ls -t "$repo"/build/*/server/cli/latchctl 2>/dev/null | head -n 1 || true)"
  fi
fi
if [ -z "${LATCHCTL:-}" ] || [ ! -x "$LATCHCTL" ]; then
  echo "story: cannot find latchctl — build it (cmake --build build --target latchctl) or set LATCHCTL" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unset LATCH_TOKEN LATCH_PASSWORD

# ctl USER ARGS...: latchctl as USER, with USER's own session file.
ctl() {
  local user="$1"
  shift
  LATCHCTL_CONFIG="$tmp/$user.json" "$LATCHCTL" --server "$server" "$@"
}

# say USER ARGS...: prints the command line as a person would type it.
say() {
  local user="$1" arg line=""
  shift
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=@,+-]+$ ]]; then
      line+=" $arg"
    else
      line+=" '${arg//\'/\'\\\'\'}'"
    fi
  done
  printf '%s$ latchctl%s\n' "$user" "$line"
}

step() {
  if [ -t 1 ]; then
    printf '\n\033[1m== %s\033[0m\n' "$*"
  else
    printf '\n== %s\n' "$*"
  fi
}

# show USER ARGS...: prints the command line, then runs it.
show() {
  local user="$1"
  shift
  say "$user" "$@"
  ctl "$user" "$@"
}

# refused USER CODE ARGS...: runs a command that the server must refuse (exit 2) with CODE.
refused() {
  local user="$1" code="$2"
  shift 2
  say "$user" "$@"
  local rc=0
  ctl "$user" --json "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  sed 's/^/  /' "$tmp/err"
  if [ "$rc" -ne 2 ] || ! grep -q "\"code\": \"$code\"" "$tmp/out"; then
    echo "story: expected a refusal with $code (exit 2), got exit $rc" >&2
    cat "$tmp/out" >&2
    exit 1
  fi
}

step "Sign in: M. Kim (support lead), A. Torres (finance), J. Lee (operator)"
for user in mkim atorres jlee; do
  show "$user" login "$user" --password "$password"
done

step "M. Kim opens the refund case"
create=(case create --type refund --title "Refund request — Acme Co order #4821"
  --customer "Acme Co" --order "#4821" --amount '$2,400')
say mkim "${create[@]}"
ctl mkim --json "${create[@]}" >"$tmp/created"
case_id="$(sed -n 's/^  "case_id": "\([^"]*\)".*/\1/p' "$tmp/created" | head -n 1)"
if [ -z "$case_id" ]; then
  echo "story: case create did not return a case id:" >&2
  cat "$tmp/created" >&2
  exit 1
fi
echo "Created case $case_id"

step "M. Kim adds her review note and marks it ready"
show mkim case note "$case_id" "Verified — product defect confirmed by warehouse"
show mkim case ready "$case_id"

step "M. Kim tries to approve her own case: the two-person rule refuses"
refused mkim approval.self_approval case approve "$case_id"

step "J. Lee tries to approve: an operator is not in the approving role"
refused jlee approval.role case approve "$case_id"

step "A. Torres (finance) approves"
show atorres case approve "$case_id" --comment "Defect confirmed; refund ok"
show atorres rules check "$case_id"

step "M. Kim raises the amount to \$2,600: the approval no longer counts"
show mkim case set "$case_id" --amount '$2,600'
show mkim rules check "$case_id"

step "M. Kim tries to run the refund on the changed amount: the gate holds, and says so on the case"
refused mkim action.gated action run "$case_id" stripe.refund

step "The case tells the whole story"
show mkim timeline "$case_id"
