#!/usr/bin/env python3
"""A naive conv2d in numpy, the way a deep-learning course asks for it, in convlab's engine-command contract.

convlab runs `python3 my_conv.py FOLDER` with FOLDER holding input.npy [N, C, H, W], weights.npy [O, C/groups, KH, KW],
bias.npy [O] (only with a bias) and layer.json (stride, dilation, groups, padding [top, bottom, left, right],
paddingMode, activation). Write output.npy [N, O, OH, OW] there.

Try it:  ./convlab verify data/golden --engine-command mine='python3 examples/my_conv.py' --engines none
"""
import json
import sys
from pathlib import Path

import numpy as np

PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}
ACTIVATIONS = {
    "none": lambda v: v,
    "relu": lambda v: np.maximum(v, 0),
    "tanh": np.tanh,
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
}


def conv2d(x, w, b, layer):
    sh, sw = layer["stride"]
    dh, dw = layer["dilation"]
    groups = layer["groups"]
    top, bottom, left, right = layer["padding"]
    x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), mode=PAD_MODES[layer["paddingMode"]])
    n_, c, h, w_ = x.shape
    o, cg, kh, kw = w.shape
    og = o // groups
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w_ - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n_, o, oh, ow))
    for n in range(n_):
        for oc in range(o):
            g = oc // og
            for i in range(oh):
                for j in range(ow):
                    rows = i * sh + dh * np.arange(kh)
                    cols = j * sw + dw * np.arange(kw)
                    window = x[n, g * cg:(g + 1) * cg][:, rows][:, :, cols]
                    out[n, oc, i, j] = np.sum(window * w[oc]) + (b[oc] if b is not None else 0.0)
    return ACTIVATIONS[layer["activation"]](out)


def main(folder, conv=conv2d):
    folder = Path(folder)
    layer = json.loads((folder / "layer.json").read_text())
    if layer["op"] != "conv2d":
        sys.exit(f"my_conv.py computes conv2d only, but the layer is {layer['op']}")
    x = np.load(folder / "input.npy")
    w = np.load(folder / "weights.npy")
    b = np.load(folder / "bias.npy") if (folder / "bias.npy").exists() else None
    np.save(folder / "output.npy", conv(x, w, b, layer))


if __name__ == "__main__":
    main(sys.argv[1])
