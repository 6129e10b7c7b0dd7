#!/usr/bin/env bash
# Times whole convlab commands and prints the speed targets side by side: each command RUNS times (default 3), after
# one warm-up run of the baseline (page cache, JavaCPP cache), the median wall time, its ratio to the baseline (one tiny case, --no-figures: the JVM and ND4J
# starting), the median peak RSS (GNU time) and, for verify, the size of report.html.
# Usage: bench/time-commands.sh [RUNS] [CASES]   (CASES: the scale run's case count, default 300)
# Also: CONVLAB_BIG=10000 bench/time-commands.sh 1  adds one verify of that many cases with figures.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
n="${2:-300}"
[ -x /usr/bin/time ] || { echo "bench/time-commands.sh needs GNU time (apt-get install time)" >&2; exit 2; }
./convlab --version >/dev/null   # build the jar first if needed
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
bench/make-cases.sh 1 "$out/one"
bench/make-cases.sh "$n" "$out/many"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# run LABEL REPORT_DIR CMD...: sets wall (s), rss (MiB) and size (MiB of REPORT_DIR/report.html, or -)
run() {
  local label="$1" dir="$2"; shift 2
  local walls=() rsss=()
  for _ in $(seq "$runs"); do
    rm -rf "$dir"
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>&1 || true
    read -r w m <"$out/time"
    walls+=("$w"); rsss+=("$m")
  done
  wall=$(printf '%s\n' "${walls[@]}" | median)
  rss=$(printf '%s\n' "${rsss[@]}" | median | awk '{printf "%.0f", $1 / 1024}')
  size=$([ -f "$dir/report.html" ] && awk -v b="$(stat -c %s "$dir/report.html")" 'BEGIN {printf "%.2f", b / 1048576}' || echo -)
  eval "wall_$label=$wall"
  printf "%-44s %8.2f s %8s MiB %10s MiB\n" "$label: ${*:2:3}..." "$wall" "$rss" "$size"
}

./convlab verify "$out/one" --no-figures --out "$out/w" >/dev/null 2>&1 || true   # warm-up
echo "median of $runs runs on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-44s %10s %12s %14s\n" "command" "wall" "peak RSS" "report.html"
run baseline "$out/b" ./convlab verify "$out/one" --no-figures --out "$out/b"
run demo "$out/d" ./convlab demo --out "$out/d"
run golden_figures "$out/g1" ./convlab verify data/golden --out "$out/g1"
run golden_nofigures "$out/g2" ./convlab verify data/golden --no-figures --out "$out/g2"
run many_figures "$out/m1" ./convlab verify "$out/many" --out "$out/m1"
run many_nofigures "$out/m2" ./convlab verify "$out/many" --no-figures --out "$out/m2"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
echo
echo "target                                        ratio   (goal)"
printf "%-44s %7s (at most 3.5x)\n" "demo / baseline" "$(ratio "$wall_demo" "$wall_baseline")"
printf "%-44s %7s (at most 1.6x)\n" "verify data/golden: figures / --no-figures" "$(ratio "$wall_golden_figures" "$wall_golden_nofigures")"
printf "%-44s %7s (at most 3x)\n" "verify $n cases: figures / --no-figures" "$(ratio "$wall_many_figures" "$wall_many_nofigures")"
if [ -n "${CONVLAB_BIG:-}" ]; then
  bench/make-cases.sh "$CONVLAB_BIG" "$out/big"
  run big_figures "$out/B" ./convlab verify "$out/big" --out "$out/B"
fi
