"""Writes the gradient case folders of data/discrepancies/ (*-grad): configurations where an ND4J/DL4J
1.0.0-M2.1 engine's backward pass disagrees with the reference or fails. `gradOutput` is seeded random; the
expected output and gradients come from PyTorch autograd (y.backward(gradOutput)), so each case also proves what
the right answer is.

Run from the repository root: target/pyenv/bin/python data/discrepancies/make_grad_cases.py
(the environment of data/golden/requirements.txt)."""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, x, w, b, source, run, **fields):
    """Runs `run(x, w, b)` under autograd with a seeded dy and writes the case with its expected gradients."""
    xt, wt, bt = (torch.from_numpy(a).clone().requires_grad_(True) for a in (x, w, b))
    y = run(xt, wt, bt)
    dy = np.random.default_rng(len(name)).standard_normal(tuple(y.shape)).astype(x.dtype)
    y.backward(torch.from_numpy(dy))
    arrays = {"input.npy": x, "weights.npy": w, "bias.npy": b, "expected.npy": y.detach().numpy(), "gradOutput.npy": dy,
              "expectedGradInput.npy": xt.grad.numpy(), "expectedGradWeights.npy": wt.grad.numpy(),
              "expectedGradBias.npy": bt.grad.numpy()}
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    for f, a in arrays.items():
        np.save(os.path.join(d, f), a)
    case = {"name": name, "source": source, "input": "input.npy", "layout": "NCHW", "weights": "weights.npy",
            "weightsLayout": "OIHW", "bias": "bias.npy", "expected": "expected.npy", "gradOutput": "gradOutput.npy",
            "expectedGradInput": "expectedGradInput.npy", "expectedGradWeights": "expectedGradWeights.npy",
            "expectedGradBias": "expectedGradBias.npy"}
    case.update(fields)
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(case, f, indent=2)
        f.write("\n")
    print(name, x.shape, "->", tuple(y.shape))


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(20261201)

    # 1. oneDNN's conv2d_bp rejects dilation as its conv2d does (float32, where oneDNN is really used).
    x = rng.standard_normal((1, 2, 8, 8)).astype(np.float32)
    w = rng.standard_normal((2, 2, 3, 3)).astype(np.float32)
    b = rng.standard_normal(2).astype(np.float32)
    write("onednn-dilation-grad", x, w, b,
          f"torch {torch.__version__} autograd: y = F.conv2d(x, w, b, dilation=2), float32; y.backward(gradOutput)",
          lambda x_, w_, b_: F.conv2d(x_, w_, b_, dilation=2), dilation=2, padding="valid",
          tolerance={"abs": 1e-5, "rel": 1e-4})

    # 2. SAME padding when the stride is longer than the kernel's reach: ND4J's negative pad reaches the gradients.
    x = rng.standard_normal((1, 2, 5, 12))
    w = rng.standard_normal((2, 2, 1, 1))
    b = rng.standard_normal(2)
    write("nd4j-same-negative-padding-grad", x, w, b,
          f"torch {torch.__version__} autograd: y = F.conv2d(x, w, b, stride=3); y.backward(gradOutput) "
          "(TF SAME pads nothing here: total pad = max((4-1)*3 + 1 - 12, 0) = 0)",
          lambda x_, w_, b_: F.conv2d(x_, w_, b_, stride=3), stride=3, padding="same")


if __name__ == "__main__":
    main()
