#!/usr/bin/env bash
# Times whole convlab commands and prints the speed targets side by side: each command RUNS times (default 3, the
# commands taken in turn), after one warm-up run of the baseline (page cache, JavaCPP cache), the median wall time, its ratio to the baseline (one tiny case, --no-figures: the JVM and ND4J
# starting), the median peak RSS (GNU time) and, for verify, the size of report.html; then each target's ratio, as the
# ratio of the two medians and as the median of each round's own ratio (with their range).
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

# The commands (label, report folder, command line) run round-robin: repetition r runs every command once before r+1
# starts, so a machine that speeds up or slows down during the run moves every command alike, not only the ones
# timed in that stretch (this is a shared machine: sequential medians of 3 drifted by 20% between commands).
labels=(baseline demo golden_figures golden_nofigures many_figures many_nofigures)
dirs=("$out/b" "$out/d" "$out/g1" "$out/g2" "$out/m1" "$out/m2")
cmds=("./convlab verify $out/one --no-figures --out $out/b"
      "./convlab demo --out $out/d"
      "./convlab verify data/golden --out $out/g1"
      "./convlab verify data/golden --no-figures --out $out/g2"
      "./convlab verify $out/many --out $out/m1"
      "./convlab verify $out/many --no-figures --out $out/m2")

./convlab verify "$out/one" --no-figures --out "$out/w" >/dev/null 2>&1 || true   # warm-up
echo "median of $runs round-robin runs on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A walls rsss
for r in $(seq "$runs"); do
  for i in "${!labels[@]}"; do
    rm -rf "${dirs[$i]}"
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$out/time" ${cmds[$i]} >/dev/null 2>&1 || true
    read -r w m <"$out/time"
    walls[$i]="${walls[$i]:-} $w"; rsss[$i]="${rsss[$i]:-} $m"
  done
done
printf "%-44s %10s %12s %14s\n" "command" "wall" "peak RSS" "report.html"
for i in "${!labels[@]}"; do
  wall=$(printf '%s\n' ${walls[$i]} | median)
  rss=$(printf '%s\n' ${rsss[$i]} | median | awk '{printf "%.0f", $1 / 1024}')
  dir="${dirs[$i]}"
  size=$([ -f "$dir/report.html" ] && awk -v b="$(stat -c %s "$dir/report.html")" 'BEGIN {printf "%.2f", b / 1048576}' || echo -)
  eval "wall_${labels[$i]}=$wall"
  printf "%-44s %8.2f s %8s MiB %10s MiB   (%s)\n" "${labels[$i]}: $(echo "${cmds[$i]}" | cut -d' ' -f2-3)..." "$wall" "$rss" "$size" "$(echo ${walls[$i]})"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
# Each round's own ratio too (its two commands ran a few seconds apart, so a drift of the machine's speed over the
# run moves both), and their range: the median of those is the steadier number when the machine drifts.
rounds() {
  local a=(${walls[$1]}) b=(${walls[$2]}) rs=() k
  for k in "${!a[@]}"; do rs+=("$(awk -v x="${a[$k]}" -v y="${b[$k]}" 'BEGIN {printf "%.2f", x / y}')"); done
  local sorted; sorted=$(printf '%s\n' "${rs[@]}" | sort -n)
  printf "%sx (%s to %sx; rounds %s)" "$(printf '%s\n' "${rs[@]}" | median | awk '{printf "%.2f", $1}')" \
    "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)" "$(echo "${rs[*]}")"
}
echo
echo "target                                        ratio of medians   median of each round's ratio   (goal)"
printf "%-44s %7s   %s   (at most 3.5x)\n" "demo / baseline" "$(ratio "$wall_demo" "$wall_baseline")" "$(rounds 1 0)"
printf "%-44s %7s   %s   (at most 1.6x)\n" "verify data/golden: figures / --no-figures" "$(ratio "$wall_golden_figures" "$wall_golden_nofigures")" "$(rounds 2 3)"
printf "%-44s %7s   %s   (at most 3x)\n" "verify $n cases: figures / --no-figures" "$(ratio "$wall_many_figures" "$wall_many_nofigures")" "$(rounds 4 5)"
if [ -n "${CONVLAB_BIG:-}" ]; then
  bench/make-cases.sh "$CONVLAB_BIG" "$out/big"
  /usr/bin/time -f "%e %M" -o "$out/time" ./convlab verify "$out/big" --out "$out/B" >/dev/null 2>&1 || true
  read -r w m <"$out/time"
  echo "verify $CONVLAB_BIG cases with figures: $w s, peak RSS $((m / 1024)) MiB, report.html $(stat -c %s "$out/B/report.html") bytes"
fi
