#!/usr/bin/env bash
# Throughput and agreement of `iamlab eval --jsonl` against @cloud-copilot/iam-simulate
# on one generated workload, measured in one run.
#
#   bash bench/iamsimulate/run.sh            # 20,000 requests, seed 1
#   N=5000 SEED=7 bash bench/iamsimulate/run.sh
#
# Environment: N (requests, default 20000), SEED (default 1), IAMLAB_BIN (where
# the iamlab binary is built, default /tmp/iamlab), DECODE_BIN (the decode-only
# floor, default /tmp/iamlab-decodeonly), REPEAT (timed runs of each iamlab and
# decode-only measurement, median kept, default 3), SHOW (disagreements listed,
# default 20), WARMUP (untimed iam-simulate warm-up requests, default 500).
#
# Exit status: 0 when everything that could run ran (the iamlab part is
# skipped, with a message, while cmd/iamlab has no Go code); 1 when a step
# failed (npm, the workload, iamlab's build or run, iam-simulate).
# Not run by CI; see README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N="${N:-20000}"
SEED="${SEED:-1}"
IAMLAB_BIN="${IAMLAB_BIN:-/tmp/iamlab}"
DECODE_BIN="${DECODE_BIN:-/tmp/iamlab-decodeonly}"
REPEAT="${REPEAT:-3}"
SHOW="${SHOW:-20}"
WARMUP="${WARMUP:-500}"
REQUESTS="$HERE/requests.jsonl"
IAMLAB_OUT="$HERE/iamlab-out.jsonl"
SIM_OUT="$HERE/iamsimulate-out.jsonl"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
step() { printf '\n== %s\n' "$*"; }
START="$(now)"
status=0

cd "$HERE"

# (a) Install iam-simulate from the lockfile if it is not there yet.
step "install"
if [ ! -d node_modules/@cloud-copilot/iam-simulate ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules present; skipping npm ci"
fi

# (b) The workload.
step "workload"
node gen-requests.mjs -n "$N" --seed "$SEED" -o "$REQUESTS"

# (c) iamlab, built first so compile time is not measured, timed on every
# core and on one core (GOMAXPROCS=1), beside the decode-only floor
# (bench/decodeonly: each line decoded into a generic map with
# encoding/json, spread over the cores the same way, nothing else). Each
# is run REPEAT times and the median wall time is kept.
step "iamlab eval --jsonl"
iamlab_rps=""
iamlab1_rps=""
rm -f "$IAMLAB_OUT"
# median_time CMD...: runs CMD REPEAT times (stdin from $REQUESTS, stdout to
# $TIMED_OUT) and prints the median wall time in seconds.
TIMED_OUT=/dev/null
median_time() {
  local times=() t0 t1 rc
  for _ in $(seq "$REPEAT"); do
    t0="$(now)"
    set +e
    "$@" <"$REQUESTS" >"$TIMED_OUT" 2>>"$HERE/iamlab-stderr.log"
    rc=$?
    set -e
    t1="$(now)"
    [ "$rc" = 0 ] || echo "note: $* exited $rc" >&2
    times+=("$(elapsed "$t0" "$t1")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
if ! compgen -G "$ROOT/cmd/iamlab/*.go" >/dev/null; then
  echo "SKIPPED: $ROOT/cmd/iamlab has no Go code yet, so there is no iamlab binary to measure."
  echo "         (everything else below still runs; re-run once cmd/iamlab builds)"
elif ! (cd "$ROOT" && go build -o "$IAMLAB_BIN" ./cmd/iamlab && go build -o "$DECODE_BIN" ./bench/decodeonly); then
  echo "FAILED: go build ./cmd/iamlab ./bench/decodeonly failed; iamlab not measured."
  status=1
else
  : >"$HERE/iamlab-stderr.log"
  TIMED_OUT="$IAMLAB_OUT"
  iamlab_s="$(median_time "$IAMLAB_BIN" eval --jsonl)"
  TIMED_OUT=/dev/null
  iamlab1_s="$(median_time env GOMAXPROCS=1 "$IAMLAB_BIN" eval --jsonl)"
  decode_s="$(median_time "$DECODE_BIN")"
  decode1_s="$(median_time env GOMAXPROCS=1 "$DECODE_BIN")"
  lines="$(wc -l <"$IAMLAB_OUT" | tr -d ' ')"
  if [ "$lines" != "$N" ]; then
    echo "FAILED: iamlab eval --jsonl wrote $lines lines for $N requests; not measured."
    echo "        first lines of its stderr ($HERE/iamlab-stderr.log):"
    head -n 5 "$HERE/iamlab-stderr.log" | sed 's/^/        /'
    status=1
  else
    rps() { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.1f", n / s }'; }
    iamlab_rps="$(rps "$iamlab_s")"
    iamlab1_rps="$(rps "$iamlab1_s")"
    echo "iamlab, all $(nproc) cores: $N requests in $iamlab_s s (whole process: start, parse, evaluate, write) = $iamlab_rps requests/s"
    echo "iamlab, one core (GOMAXPROCS=1): $N requests in $iamlab1_s s = $iamlab1_rps requests/s"
    echo "decode-only floor (encoding/json into a generic map): $decode_s s on all cores, $decode1_s s on one"
    awk -v a="$iamlab_s" -v b="$decode_s" -v a1="$iamlab1_s" -v b1="$decode1_s" 'BEGIN {
      printf "iamlab / decode-only wall time: %.2f on all cores, %.2f on one core (target: at most 1.3)\n", a / b, a1 / b1 }'
  fi
fi

# (d) iam-simulate on the same file, in one node process.
step "iam-simulate"
sim_rps=""
t0="$(now)"
set +e
node simulate.mjs -i "$REQUESTS" -o "$SIM_OUT" --warmup "$WARMUP" | tee "$HERE/iamsimulate-summary.txt"
rc=${PIPESTATUS[0]}
set -e
t1="$(now)"
if [ "$rc" != 0 ]; then
  echo "FAILED: simulate.mjs exited $rc"
  status=1
else
  result_line="$(grep '^RESULT ' "$HERE/iamsimulate-summary.txt" | tail -n 1)"
  sim_rps="$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$result_line")"
  sim_version="$(sed -n 's/.*version=\([^ ]*\).*/\1/p' <<<"$result_line")"
  echo "iam-simulate whole node process (start, load, read, convert, warm-up, evaluate, write): $(elapsed "$t0" "$t1") s"
fi

# (e) Throughputs and the ratio.
step "throughput"
[ -n "$sim_rps" ] && echo "iam-simulate ${sim_version}: $sim_rps requests/s (timed runSimulation calls only, after warm-up)"
if [ -n "$iamlab_rps" ]; then
  echo "iamlab, all cores:     $iamlab_rps requests/s (whole process)"
  echo "iamlab, one core:      $iamlab1_rps requests/s (whole process, GOMAXPROCS=1)"
  if [ -n "$sim_rps" ]; then
    ratio="$(awk -v a="$iamlab_rps" -v b="$sim_rps" 'BEGIN { printf "%.1f", a / b }')"
    ratio1="$(awk -v a="$iamlab1_rps" -v b="$sim_rps" 'BEGIN { printf "%.1f", a / b }')"
    verdict() { awk -v r="$1" 'BEGIN { print (r >= 25 ? "meets" : "DOES NOT meet") }'; }
    echo "ratio, all cores (iamlab spreads over $(nproc); iam-simulate uses one): iamlab is ${ratio}x iam-simulate's throughput ($(verdict "$ratio") the required 25x)"
    echo "ratio, one core each: iamlab is ${ratio1}x iam-simulate's throughput ($(verdict "$ratio1") the required 25x)"
  fi
else
  echo "iamlab: not measured (see above), so no ratio"
fi

# (f) Agreement.
step "agreement"
if [ -s "$IAMLAB_OUT" ] && [ -s "$SIM_OUT" ]; then
  node compare.mjs "$REQUESTS" "$IAMLAB_OUT" "$SIM_OUT" --show "$SHOW"
else
  echo "skipped: needs both iamlab's and iam-simulate's decisions"
fi

echo
echo "harness total: $(elapsed "$START" "$(now)") s"
exit "$status"
