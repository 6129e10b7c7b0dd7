#!/usr/bin/env bash
# The cost of sharding a sweep: `sweep --count COUNT --seed 1` unsharded, against its N shards run one after the
# other plus `sweep merge` (the JVM start and ND4J load are paid once per shard), each RUNS times after one warm-up;
# prints medians. Usage: bench/time-shards.sh [RUNS] [COUNT] [N]   (defaults 3, 1000, 4)
# CONVLAB=/path/to/launcher times another build (a copy, so that editing the sources meanwhile rebuilds nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"; count="${2:-1000}"; n="${3:-4}"
convlab="${CONVLAB:-./convlab}"
$convlab --version >/dev/null   # build the jar first if needed
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }

whole() { rm -rf "$out/whole"; $convlab sweep --count "$count" --seed 1 --out "$out/whole" >/dev/null 2>&1 || true; }
shards() {
  rm -rf "$out"/shard-* "$out/merged"
  for k in $(seq "$n"); do
    $convlab sweep --count "$count" --seed 1 --shard "$k/$n" --out "$out/shard-$k" >/dev/null 2>&1 || true
  done
}
merge() { $convlab sweep merge "$out"/shard-* --out "$out/merged" >/dev/null 2>&1 || true; }

whole; shards; merge   # warm-up (page cache, JavaCPP cache)
: >"$out/t-whole"; : >"$out/t-shards"; : >"$out/t-merge"
for _ in $(seq "$runs"); do
  t=$(now); whole; since "$t" >>"$out/t-whole"
  t=$(now); shards; since "$t" >>"$out/t-shards"
  t=$(now); merge; since "$t" >>"$out/t-merge"
done
w=$(median <"$out/t-whole"); s=$(median <"$out/t-shards"); m=$(median <"$out/t-merge")
printf "sweep --count %d unsharded          median %6.2f s over %d runs\n" "$count" "$w" "$runs"
printf "%d shards in sequence               median %6.2f s\n" "$n" "$s"
printf "sweep merge                         median %6.2f s\n" "$m"
awk -v w="$w" -v s="$s" -v m="$m" -v n="$n" 'BEGIN { printf "shards + merge: %.2f s, %+.0f%% of unsharded; %.2f s per shard more than its share of the unsharded sweep\n", s + m, (s + m - w) / w * 100, (s - w) / n }'
# date, seconds and the framework line (each JVM's ND4J start time) differ from run to run
same() { sed -E '/"(date|seconds|frameworks)"/d; s#'"$out"'/(whole|merged)#OUT#g' "$1"; }
if diff <(same "$out/whole/report.json") <(same "$out/merged/report.json"); then
  echo "the merged report.json equals the unsharded one (but for date, seconds and frameworks)"
else
  echo "the merged report.json DIFFERS from the unsharded one (above)"; exit 1
fi
