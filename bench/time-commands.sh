#!/usr/bin/env bash
# Times whole convlab commands: each one RUNS times (default 5) after one warm-up, and prints the median wall time.
# Usage: bench/time-commands.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
./convlab --version >/dev/null   # build the jar first if needed
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

time_cmd() {
  local label="$1"; shift
  "$@" >/dev/null 2>&1 || true   # warm-up (page cache, JavaCPP cache)
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
  done | median | xargs printf "%-44s median %6.2f s over $runs runs\n" "$label"
}

time_cmd "explain (no ND4J)" ./convlab explain --input 3x32x32 --filters 8 --kernel 3 --stride 2 --padding same
time_cmd "verify data/golden (20 cases, 3 engines)" ./convlab verify data/golden --out "$out/golden"
time_cmd "verify data/golden --no-figures" ./convlab verify data/golden --out "$out/golden2" --no-figures
time_cmd "demo" ./convlab demo --out "$out/demo"
time_cmd "sweep --count 1000" ./convlab sweep --count 1000 --seed 1 --out "$out/sweep"
