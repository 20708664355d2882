#!/usr/bin/env bash
# Contract test: does the sandbox answer as docs/openapi.yaml says?
#
#   sandbox/contract-test.sh            build, start the sandbox, run schemathesis, stop
#
# Installs schemathesis (pinned) from PyPI into contract-test/venv in cargo's target
# directory when missing, builds and starts the sandbox (release) on a free port, makes a
# fresh account with a large balance and no rate limits through the admin endpoint, runs
# schemathesis with a bounded number of examples, stops the sandbox, and exits non-zero on
# any failure.
#
# Environment: CONTRACT_MAX_EXAMPLES (default 50 per operation), CONTRACT_SEED (fixed by
# default, so a failure reproduces), CONTRACT_WORKERS (default 1).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SCHEMATHESIS_VERSION=4.32.5
# cargo's target directory (target/, or CARGO_TARGET_DIR): where the sandbox is built.
TARGET=$(node build/target-dir.mjs)
WORK=$TARGET/contract-test
VENV=$WORK/venv
SCHEMA=$ROOT/docs/openapi.yaml
MAX_EXAMPLES=${CONTRACT_MAX_EXAMPLES:-50}
SEED=${CONTRACT_SEED:-20261123}
WORKERS=${CONTRACT_WORKERS:-1}

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'contract-test: %s\n' "$*" >&2
  exit 1
}

install_schemathesis() {
  local have
  have=$("$VENV/bin/schemathesis" --version 2>/dev/null | awk '{ print $NF }' || true)
  [ "$have" = "$SCHEMATHESIS_VERSION" ] && return
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV (was: ${have:-none})"
  command -v python3 >/dev/null || die "python3 is needed"
  mkdir -p "$WORK"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" ||
    die "python3 -m venv failed (on Debian's own python3: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}

SANDBOX_PID=
stop_sandbox() {
  if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
}
trap stop_sandbox EXIT

install_schemathesis

log "building the sandbox (release)"
cargo build --release --quiet -p bdpay-sandbox
mkdir -p "$WORK"
OUT=$WORK/sandbox.stdout
ERR=$WORK/sandbox.stderr
: >"$OUT"
"$TARGET/release/bdpay-sandbox" --port 0 --quiet >"$OUT" 2>"$ERR" &
SANDBOX_PID=$!

# The first line on stdout names the URL.
URL=
for _ in $(seq 100); do
  line=$(head -n 1 "$OUT" 2>/dev/null || true)
  case $line in
    "bdpay sandbox listening on "*) URL=${line#bdpay sandbox listening on }; break ;;
  esac
  kill -0 "$SANDBOX_PID" 2>/dev/null || die "the sandbox exited: $(cat "$ERR")"
  sleep 0.1
done
[ -n "$URL" ] || die "the sandbox did not say where it listens"
log "sandbox at $URL"

# One account for the whole run: no rate limits (schemathesis sends far more than 60 a
# minute), balances large enough never to run out, transactions final at once.
TOKEN=$("$VENV/bin/python" - "$URL" <<'PY'
import json, sys, urllib.request
body = json.dumps({
    "rate_limit": False,
    "settle_ms": 0,
    "balances": {"flexiload_balance": "1000000000.00", "drive_balance": "1000000000.00",
                 "bank_balance": "0.00", "wallet_balance": "1000000000.00"},
}).encode()
req = urllib.request.Request(sys.argv[1] + "/__sandbox/accounts", data=body, method="POST",
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as resp:
    print(json.load(resp)["token"])
PY
)
[ -n "$TOKEN" ] || die "could not create an account"

# positive_data_acceptance is left out on purpose: the schema is kept no stricter than the
# library's validators (so negative_data_rejection holds), which means it also allows
# values those validators refuse (any string as a phone number, an unknown operator).
log "schemathesis $SCHEMATHESIS_VERSION, $MAX_EXAMPLES examples per operation, seed $SEED"
# Run from $WORK: schemathesis keeps a cache of past crashes in ./.schemathesis.
set +e
(cd "$WORK" && "$VENV/bin/schemathesis" run "$SCHEMA" \
  --url "$URL" \
  --header "Authorization: Bearer $TOKEN" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers "$WORKERS" \
  --request-timeout 10 \
  --no-color \
  --report junit \
  --report-dir "$WORK/report") 2>&1 | tee "$WORK/schemathesis.log"
status=${PIPESTATUS[0]}
set -e

if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
  printf 'contract-test: the sandbox died during the run:\n%s\n' "$(cat "$ERR")" >&2
  status=1
fi
passed=$(sed -n 's/.* generated, \([0-9]*\) passed.*/\1/p' "$WORK/schemathesis.log" | tail -n 1)
if [ "$status" -eq 0 ]; then
  echo "contract: ${passed:-0} passed, 0 failed"
else
  echo "contract: ${passed:-0} passed, 1 failed"
fi
exit "$status"
