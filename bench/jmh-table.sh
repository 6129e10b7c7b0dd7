#!/usr/bin/env bash
# Every conv2d implementation side by side (formula loops, Conv2dFast, im2col, nd4j, nd4j-onednn, dl4j) on four
# layers of a real network, through JMH (src/bench/java/convlab/bench/EnginesBenchmark.java); prints a Markdown
# table of ms per call, GFLOP/s and the time over nd4j's and nd4j-onednn's.
#   bench/jmh-table.sh                       # -f 1 -wi 3 -i 5, every layer
#   bench/jmh-table.sh -f 1 -wi 2 -i 3 -p shape=3x3
# Arguments are JMH's; the benchmark's set-up checks that all results match before anything is timed.
# MVN_FLAGS=-o bench/jmh-table.sh ... builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."
args="${*:--f 1 -wi 3 -i 5}"
mvn -q -B ${MVN_FLAGS:-} -Pbench test-compile exec:exec -Djmh.main=convlab.bench.JmhTable -Djmh.args="EnginesBenchmark $args"
