#!/usr/bin/env bash
# Throughput and agreement of `iamlab eval --jsonl` against @cloud-copilot/iam-simulate
# on one generated workload, measured in one run.
#
#   bash bench/iamsimulate/run.sh            # 20,000 requests, seed 1
#   N=5000 SEED=7 bash bench/iamsimulate/run.sh
#
# Environment: N (requests, default 20000), SEED (default 1), IAMLAB_BIN (where
# the iamlab binary is built, default /tmp/iamlab), SHOW (disagreements listed,
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

# (c) iamlab, built first so compile time is not measured.
step "iamlab eval --jsonl"
iamlab_rps=""
rm -f "$IAMLAB_OUT"
if ! compgen -G "$ROOT/cmd/iamlab/*.go" >/dev/null; then
  echo "SKIPPED: $ROOT/cmd/iamlab has no Go code yet, so there is no iamlab binary to measure."
  echo "         (everything else below still runs; re-run once cmd/iamlab builds)"
elif ! (cd "$ROOT" && go build -o "$IAMLAB_BIN" ./cmd/iamlab); then
  echo "FAILED: go build ./cmd/iamlab failed; iamlab not measured."
  status=1
else
  t0="$(now)"
  set +e
  "$IAMLAB_BIN" eval --jsonl <"$REQUESTS" >"$IAMLAB_OUT" 2>"$HERE/iamlab-stderr.log"
  rc=$?
  set -e
  t1="$(now)"
  lines="$(wc -l <"$IAMLAB_OUT" | tr -d ' ')"
  if [ "$lines" != "$N" ]; then
    echo "FAILED: iamlab eval --jsonl exited $rc and wrote $lines lines for $N requests; not measured."
    echo "        first lines of its stderr ($HERE/iamlab-stderr.log):"
    head -n 5 "$HERE/iamlab-stderr.log" | sed 's/^/        /'
    status=1
  else
    [ "$rc" = 0 ] || echo "note: iamlab exited $rc (some lines may be errors); all $N results were written"
    iamlab_s="$(elapsed "$t0" "$t1")"
    iamlab_rps="$(awk -v n="$N" -v s="$iamlab_s" 'BEGIN { printf "%.1f", n / s }')"
    echo "iamlab: $N requests in $iamlab_s s (whole process: start, parse, evaluate, write) = $iamlab_rps requests/s"
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
  echo "iamlab:                $iamlab_rps requests/s (whole process)"
  if [ -n "$sim_rps" ]; then
    ratio="$(awk -v a="$iamlab_rps" -v b="$sim_rps" 'BEGIN { printf "%.1f", a / b }')"
    verdict="$(awk -v r="$ratio" 'BEGIN { print (r >= 10 ? "meets" : "DOES NOT meet") }')"
    echo "ratio: iamlab is ${ratio}x iam-simulate's throughput ($verdict the required 10x)"
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
