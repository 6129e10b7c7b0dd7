"""Writes the case folders of data/discrepancies/: configurations where an ND4J/DL4J 1.0.0-M2.1 engine disagrees
with the reference or fails. `expected` comes from PyTorch, so each case also proves what the right answer is.

Run from the repository root: target/pyenv/bin/python data/discrepancies/make_cases.py
(target/pyenv is made by data/golden/make_golden.py's instructions; see data/golden/README.md)."""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, x, w, b, expected, source, **fields):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "input.npy"), x)
    np.save(os.path.join(d, "weights.npy"), w)
    np.save(os.path.join(d, "bias.npy"), b)
    np.save(os.path.join(d, "expected.npy"), expected)
    case = {"name": name, "source": source, "input": "input.npy", "layout": "NCHW", "weights": "weights.npy",
            "weightsLayout": "OIHW", "bias": "bias.npy", "expected": "expected.npy"}
    case.update(fields)
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(case, f, indent=2)
        f.write("\n")
    print(name, x.shape, "->", expected.shape)


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(20261124)

    # 1. oneDNN cannot run a dilated convolution (float32, where oneDNN is really used).
    x = rng.standard_normal((1, 3, 9, 9)).astype(np.float32)
    w = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(2).astype(np.float32)
    y = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), dilation=2).numpy()
    write("onednn-dilation", x, w, b, y, "torch F.conv2d(x, w, b, dilation=2), float32",
          dilation=2, padding="valid", tolerance={"abs": 1e-5, "rel": 1e-4})

    # 2. SAME padding when the stride is longer than the kernel's reach: ND4J computes a negative pad.
    # 5x12 input, 1x1 kernel, stride 3: out = ceil(12/3) = 4, total pad = max((4-1)*3 + 1 - 12, 0) = 0.
    x = rng.standard_normal((1, 2, 5, 12))
    w = rng.standard_normal((2, 2, 1, 1))
    b = rng.standard_normal(2)
    # TF/Keras SAME with zero total padding is a valid conv; PyTorch rejects padding='same' with stride > 1.
    y = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=3).numpy()
    write("nd4j-same-negative-padding", x, w, b, y,
          "torch F.conv2d(x, w, b, stride=3) (TF SAME pads nothing here: total pad = max((4-1)*3 + 1 - 12, 0) = 0)",
          stride=3, padding="same")


if __name__ == "__main__":
    main()
