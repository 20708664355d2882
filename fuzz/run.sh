#!/usr/bin/env bash
# Fuzz every target in fuzz/fuzz_targets/ with libFuzzer, on stable Rust.
#
#   ./fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s, every target)
#
# 1. installs cargo-fuzz (pinned) if missing, and builds every target;
# 2. replays every file of fuzz/regressions/<target>/ against its target: a
#    crash once found and since fixed must stay fixed;
# 3. fuzzes each target for SECONDS_PER_TARGET from a scratch corpus,
#    fuzz/corpus/<target>/ (not committed), seeded from fuzz/seeds/<target>/,
#    with the dictionary fuzz/dict/bdpay.dict; FUZZ_JOBS targets at a time
#    (default: one per core);
# 4. prints per target the executions libFuzzer ran and whether it crashed,
#    and exits non-zero on any crash (inputs land in fuzz/artifacts/<target>/).
#
# Stable Rust only: `--sanitizer none`. cargo-fuzz's default AddressSanitizer
# needs `-Zsanitizer`, i.e. nightly; bdpay is safe Rust (no `unsafe`), so
# coverage-guided fuzzing with panics, overflow checks and debug assertions
# (cargo-fuzz's default release build) is what finds its bugs.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2

cd "$(dirname "${BASH_SOURCE[0]}")"
FUZZ=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SECS=${1:-60}
shift $(($# > 0 ? 1 : 0))
case $SECS in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

log() { printf '\n==> %s\n' "$*" >&2; }

if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  log "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

started=$SECONDS
log "building the fuzz targets"
(cd .. && cargo fuzz build --sanitizer none)
HOST=$(rustc -vV | sed -n 's/^host: //p')
# cargo fuzz builds in the fuzz workspace's target directory (fuzz/target/, or
# CARGO_TARGET_DIR), which build/target-dir.mjs asks cargo for.
BIN=$(node ../build/target-dir.mjs Cargo.toml)/$HOST/release

if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  mapfile -t TARGETS < <(cd .. && cargo fuzz list)
fi
for t in "${TARGETS[@]}"; do
  [ -x "$BIN/$t" ] || { echo "run.sh: no fuzz target named $t" >&2; exit 2; }
done

# The first panic message and location in a libFuzzer log.
panic_of() { grep -m1 -A1 "panicked at" "$1" | tr '\n' ' ' | cut -c1-300; }

failed=0
mkdir -p logs
log "replaying fuzz/regressions/"
replayed=0
for dir in regressions/*/; do
  [ -d "$dir" ] || continue
  t=$(basename "$dir")
  [ -x "$BIN/$t" ] || { echo "regressions/$t: no such target" >&2; failed=1; continue; }
  for f in "$dir"*; do
    [ -f "$f" ] || continue
    replayed=$((replayed + 1))
    if ! "$BIN/$t" -runs=1 "$f" >logs/replay.log 2>&1; then
      echo "REGRESSION $t $f: $(panic_of logs/replay.log)"
      failed=1
    fi
  done
done
echo "replayed $replayed regression inputs: $([ $failed = 0 ] && echo 'all pass' || echo FAILED)"

# One target's fuzzing; its log and exit code land in logs/<target>.{log,rc}.
fuzz_one() {
  local t=$1 rc=0
  mkdir -p "corpus/$t" "artifacts/$t"
  cp -n "seeds/$t/"* "corpus/$t/" 2>/dev/null || true
  "$BIN/$t" "corpus/$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -dict=dict/bdpay.dict -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
    >"logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"logs/$t.rc"
}

# FUZZ_JOBS targets at a time (default: one per core), each on one core.
JOBS=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
log "fuzzing ${#TARGETS[@]} targets for ${SECS}s each, $JOBS at a time"
for t in "${TARGETS[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  rm -f "logs/$t.rc"
  fuzz_one "$t" &
done
wait

rows=()
for t in "${TARGETS[@]}"; do
  rc=$(cat "logs/$t.rc" 2>/dev/null || echo '?')
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -1)
  [ -n "$runs" ] || runs=$(grep -o '^#[0-9]*' "logs/$t.log" | tail -1 | tr -d '#')
  if [ "$rc" = 0 ]; then
    rows+=("$(printf '%-18s %12s  ok' "$t" "${runs:-?}")")
  else
    failed=1
    artifact=$(grep -o "artifacts/$t/[^ ]*" "logs/$t.log" | tail -1)
    rows+=("$(printf '%-18s %12s  CRASH (exit %s) %s' "$t" "${runs:-?}" "$rc" "$artifact")")
    echo "CRASH in $t: $(panic_of "logs/$t.log")" >&2
    echo "  reproduce: cargo fuzz run --sanitizer none $t fuzz/$artifact" >&2
  fi
done

printf '\n%-18s %12s  %s\n' target executions result
printf '%s\n' "${rows[@]}"
echo "fuzz: ${#TARGETS[@]} targets, ${SECS}s each, $((SECONDS - started))s in all (build included); logs in fuzz/logs/"
if [ $failed != 0 ]; then
  echo "fuzz: FAILED (a crash, or a regression input that crashes again)" >&2
  exit 1
fi
echo "fuzz: no crashes"
