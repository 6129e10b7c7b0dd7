#!/usr/bin/env python3
"""Naive conv2d, transposed convolution and pooling in numpy, forward and backward, the way a deep-learning course asks for them, in convlab's engine-command contract.

convlab runs `python3 my_conv.py FOLDER` with FOLDER holding input.npy [N, C, H, W], weights.npy (conv2d
[O, C/groups, KH, KW], conv_transpose2d [C, O/groups, KH, KW]), bias.npy [O] (only with a bias) and layer.json (op, stride, dilation, padding [top, bottom, left, right],
activation; conv2d: groups, paddingMode; pooling: kernel, ceilMode, countIncludePad). Write output.npy [N, O, OH, OW].
When FOLDER also holds gradOutput.npy (dL/dy of the activated output), write gradInput.npy and, for a layer with
weights, gradWeights.npy (the weights' layout) and gradBias.npy (with a bias).

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


def source(i, n, mode):
    """The input index a padded coordinate i reads (axis of length n), or None for a zero of the padding."""
    if 0 <= i < n:
        return i
    if mode == "zeros":
        return None
    if mode == "reflect":
        return -i if i < 0 else 2 * (n - 1) - i
    if mode == "replicate":
        return 0 if i < 0 else n - 1
    return i % n  # circular


def delta_of(pre, dy, act):
    """delta = dy * act'(pre): the upstream gradient through the activation."""
    y = ACTIVATIONS[act](pre)
    return dy * {"none": 1.0, "relu": (pre > 0).astype(float), "tanh": 1 - y * y, "sigmoid": y * (1 - y)}[act]


def conv2d_backward(x, w, b, layer, dy):
    """dL/dx, dL/dw, dL/db of conv2d for the upstream dL/dy of its activated output: delta = dy * act'(pre);
    dW sums delta times the cell each tap read; dX sends delta * w back to that cell (padding copies fold back)."""
    delta = delta_of(conv2d(x, w, b, dict(layer, activation="none")), dy, layer["activation"])
    sh, sw = layer["stride"]
    dh, dw = layer["dilation"]
    groups = layer["groups"]
    top, bottom, left, right = layer["padding"]
    mode = layer["paddingMode"]
    n_, c, h, w_ = x.shape
    o, cg, kh, kw = w.shape
    og = o // groups
    _, _, oh, ow = delta.shape
    dx = np.zeros_like(x)
    dwt = np.zeros_like(w)
    for n in range(n_):
        for oc in range(o):
            g = oc // og
            for i in range(oh):
                for j in range(ow):
                    d = delta[n, oc, i, j]
                    for ic in range(cg):
                        for a in range(kh):
                            r = source(i * sh + a * dh - top, h, mode)
                            for q in range(kw):
                                col = source(j * sw + q * dw - left, w_, mode)
                                if r is None or col is None:
                                    continue
                                dwt[oc, ic, a, q] += d * x[n, g * cg + ic, r, col]
                                dx[n, g * cg + ic, r, col] += d * w[oc, ic, a, q]
    db = delta.sum(axis=(0, 2, 3)) if b is not None else None
    return dx, dwt, db


def full_output(x, w, layer):
    """Zeros the shape of conv_transpose2d's uncropped output: every stamp fits, output padding appended at the
    bottom/right, and as many more zero rows/columns as a negative crop asks for."""
    sh, sw = layer["stride"]
    dh, dw = layer["dilation"]
    oph, opw = layer["outputPadding"]
    _, bottom, _, right = layer["padding"]
    n_, _, h, w_ = x.shape
    _, og, kh, kw = w.shape
    fh = (h - 1) * sh + (kh - 1) * dh + 1 + oph
    fw = (w_ - 1) * sw + (kw - 1) * dw + 1 + opw
    return np.zeros((n_, og * layer["groups"], fh + max(0, -bottom), fw + max(0, -right)))


def stamps(x, w, layer):
    """Every term of conv_transpose2d: input cell (n, ic, i, j) times kernel cell (ic, oc, a, q) lands on full-output
    cell (n, o, r, col), o being the absolute output channel."""
    sh, sw = layer["stride"]
    dh, dw = layer["dilation"]
    n_, c, h, w_ = x.shape
    _, og, kh, kw = w.shape
    cg = c // layer["groups"]
    for n in range(n_):
        for ic in range(c):
            g = ic // cg
            for i in range(h):
                for j in range(w_):
                    for oc in range(og):
                        for a in range(kh):
                            for q in range(kw):
                                yield n, ic, i, j, g * og + oc, oc, a, q, i * sh + a * dh, j * sw + q * dw


def conv_transpose2d(x, w, b, layer):
    """Each input value stamps its kernel, scaled, onto the full output; output padding appends rows and columns at the
    bottom/right; the padding crops (a negative crop appends zeros)."""
    top, bottom, left, right = layer["padding"]
    full = full_output(x, w, layer)
    for n, ic, i, j, o, oc, a, q, r, col in stamps(x, w, layer):
        full[n, o, r, col] += x[n, ic, i, j] * w[ic, oc, a, q]
    out = full[:, :, top:full.shape[2] - max(0, bottom), left:full.shape[3] - max(0, right)]
    if b is not None:
        out = out + b[None, :, None, None]
    return ACTIVATIONS[layer["activation"]](out)


def conv_transpose2d_backward(x, w, b, layer, dy):
    """The stamps read backwards: delta (put back into the uncropped full output) is read at every cell an input
    value stamped; dX sums delta * w over those cells, dW sums x * delta, db sums delta."""
    delta = delta_of(conv_transpose2d(x, w, b, dict(layer, activation="none")), dy, layer["activation"])
    top, _, left, _ = layer["padding"]
    full = full_output(x, w, layer)
    full[:, :, top:top + delta.shape[2], left:left + delta.shape[3]] = delta
    dx, dwt = np.zeros_like(x), np.zeros_like(w)
    for n, ic, i, j, o, oc, a, q, r, col in stamps(x, w, layer):
        dx[n, ic, i, j] += full[n, o, r, col] * w[ic, oc, a, q]
        dwt[ic, oc, a, q] += full[n, o, r, col] * x[n, ic, i, j]
    db = delta.sum(axis=(0, 2, 3)) if b is not None else None
    return dx, dwt, db


def pool_size(size, p0, p1, k, s, d, ceil):
    """PyTorch's rule: floor (or ceil) of the windows that fit; in ceil mode a last window must start inside the
    input or the top/left padding."""
    span = d * (k - 1) + 1
    n = size + p0 + p1 - span
    out = (-(-n // s) if ceil else n // s) + 1
    if ceil and (out - 1) * s >= size + p0:
        out -= 1
    return out


def pool2d(x, layer):
    kh, kw = layer["kernel"]
    sh, sw = layer["stride"]
    dh, dw = layer["dilation"]
    top, bottom, left, right = layer["padding"]
    is_max = layer["op"] == "max_pool2d"
    n_, c, h, w = x.shape
    oh = pool_size(h, top, bottom, kh, sh, dh, layer["ceilMode"])
    ow = pool_size(w, left, right, kw, sw, dw, layer["ceilMode"])
    out = np.zeros((n_, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            rows = [i * sh - top + dh * a for a in range(kh)]
            cols = [j * sw - left + dw * a for a in range(kw)]
            inside_r = [r for r in rows if 0 <= r < h]
            inside_c = [q for q in cols if 0 <= q < w]
            window = x[:, :, inside_r][:, :, :, inside_c]
            if is_max:  # padded cells are minus infinity: they never win; a NaN wins
                out[:, :, i, j] = np.max(window, axis=(2, 3))
            else:
                if layer["countIncludePad"]:  # cells inside the padded input, never the ceil-mode extension
                    divisor = len([r for r in rows if -top <= r < h + bottom]) * len([q for q in cols if -left <= q < w + right])
                else:
                    divisor = len(inside_r) * len(inside_c)
                out[:, :, i, j] = np.sum(window, axis=(2, 3)) / divisor
    return ACTIVATIONS[layer["activation"]](out)


def pool2d_backward(x, layer, dy):
    """Max: each window's delta goes to its first maximum (row-major, as PyTorch); average: delta / divisor to every
    input cell of the window, with the forward pass's divisor."""
    delta = delta_of(pool2d(x, dict(layer, activation="none")), dy, layer["activation"])
    kh, kw = layer["kernel"]
    sh, sw = layer["stride"]
    dh, dw = layer["dilation"]
    top, bottom, left, right = layer["padding"]
    n_, c, h, w = x.shape
    dx = np.zeros_like(x)
    for n in range(n_):
        for ch in range(c):
            for i in range(delta.shape[2]):
                for j in range(delta.shape[3]):
                    rows = [i * sh - top + dh * a for a in range(kh)]
                    cols = [j * sw - left + dw * a for a in range(kw)]
                    cells = [(r, q) for r in rows if 0 <= r < h for q in cols if 0 <= q < w]
                    d = delta[n, ch, i, j]
                    if layer["op"] == "max_pool2d":
                        vals = [x[n, ch, r, q] for r, q in cells]
                        nan = [k for k, v in enumerate(vals) if np.isnan(v)]
                        r, q = cells[nan[0] if nan else int(np.argmax(vals))]  # argmax: the first maximum
                        dx[n, ch, r, q] += d
                    else:
                        if layer["countIncludePad"]:
                            divisor = len([r for r in rows if -top <= r < h + bottom]) * len([q for q in cols if -left <= q < w + right])
                        else:
                            divisor = len(cells)
                        for r, q in cells:
                            dx[n, ch, r, q] += d / divisor
    return dx


def main(folder, conv=conv2d):
    folder = Path(folder)
    layer = json.loads((folder / "layer.json").read_text())
    x = np.load(folder / "input.npy")
    if layer["op"] in ("max_pool2d", "avg_pool2d"):
        y = pool2d(x, layer)
    elif layer["op"] in ("conv2d", "conv_transpose2d"):
        w = np.load(folder / "weights.npy")
        b = np.load(folder / "bias.npy") if (folder / "bias.npy").exists() else None
        y = conv(x, w, b, layer) if layer["op"] == "conv2d" else conv_transpose2d(x, w, b, layer)
    else:
        sys.exit(f"my_conv.py computes conv2d, conv_transpose2d, max_pool2d and avg_pool2d, but the layer is {layer['op']}")
    np.save(folder / "output.npy", y)
    if (folder / "gradOutput.npy").exists():  # convlab asks for the backward pass
        dy = np.load(folder / "gradOutput.npy")
        if layer["op"] in ("max_pool2d", "avg_pool2d"):
            np.save(folder / "gradInput.npy", pool2d_backward(x, layer, dy))
            return
        backward = conv2d_backward if layer["op"] == "conv2d" else conv_transpose2d_backward
        dx, dw, db = backward(x, w, b, layer, dy)
        np.save(folder / "gradInput.npy", dx)
        np.save(folder / "gradWeights.npy", dw)
        if db is not None:
            np.save(folder / "gradBias.npy", db)


if __name__ == "__main__":
    main(sys.argv[1])
