#!/usr/bin/env bash
# Writes N small seeded conv2d cases (case-00000/case.json, input.npy, weights.npy, bias.npy) under DIR, for timing
# verify at scale. Each is 1x3x8x8 through 2 filters of 3x3, stride and padding varying with the case number.
# Usage: bench/make-cases.sh N DIR [SEED]
set -euo pipefail
n="${1:?usage: bench/make-cases.sh N DIR [SEED]}"
dir="${2:?usage: bench/make-cases.sh N DIR [SEED]}"
seed="${3:-1}"
python3 - "$n" "$dir" "$seed" <<'PY'
import json, os, sys
import numpy as np
n, root, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(seed)
for i in range(n):
    d = os.path.join(root, "case-%05d" % i)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "input.npy"), rng.uniform(-1, 1, (1, 3, 8, 8)).astype(np.float32))
    np.save(os.path.join(d, "weights.npy"), rng.uniform(-1, 1, (2, 3, 3, 3)).astype(np.float32))
    np.save(os.path.join(d, "bias.npy"), rng.uniform(-1, 1, (2,)).astype(np.float32))
    case = {"name": "case-%05d" % i, "source": "bench/make-cases.sh seed %d" % seed, "input": "input.npy",
            "weights": "weights.npy", "bias": "bias.npy", "stride": 1 + i % 2, "padding": ["valid", "same", 1][i % 3],
            "activation": ["none", "relu"][i % 2]}
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(case, f, indent=2)
PY
