#!/usr/bin/env python3
"""Runs the PyTorch and Keras code that `convlab explain --op conv_transpose2d` prints, for a list of configurations,
and checks each against make_golden_transpose.py's independent numpy loop on the weights the code made: the printed
code must reproduce the explained layer, numbers and shape.

Usage (from the repository root, the venv of requirements-transpose.txt):  PY data/golden/check_explain_transpose.py
"""
import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_golden_transpose as mgt  # noqa: E402  (sets TF's environment first)
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = [
    "--input 3x4x5 --filters 2 --kernel 3 --stride 2 --padding 1 --output-padding 1",
    "--input 3x4x5 --filters 2 --kernel 3 --stride 2 --padding same",
    "--input 3x4x5 --filters 2 --kernel 1 --stride 3 --padding same",
    "--input 3x4x5 --filters 2 --kernel 3 --stride 2 --padding 0,2,1,0 --output-padding 1",
    "--input 3x4x5 --filters 2 --kernel 3 --stride 2 --padding 1 --output-shape 9x10",
    "--input 3x4x5 --filters 6 --kernel 3 --stride 2 --padding 1 --output-padding 1 --groups 3",
    "--input 3x4x5 --filters 2 --kernel 4 --stride 2 --padding same_lower --activation relu",
    "--input 3x4x5 --filters 2 --kernel 3 --stride 2 --dilation 2 --output-padding 1",
    "--input 3x4x5 --filters 2 --kernel 3 --stride 2 --output-padding 2",
    "--input 3x4x5 --filters 2 --kernel 1 --stride 2",
    "--input 3x4x5 --filters 4 --kernel 2x3 --stride 2x1 --padding 1x0 --activation tanh --no-bias",
    "--input 3x4x5 --filters 6 --kernel 3 --stride 2 --groups 3 --padding same",
    "--input 4x3x3 --filters 4 --kernel 3 --stride 2x1 --dilation 1x2 --groups 2 --padding 1 --output-padding 1x0",
    "--input 3x4x5 --filters 2 --kernel 3 --dilation 2 --padding same",
]


def blocks(text):
    """Framework name -> its code, from explain's text (code lines are indented four spaces)."""
    out, cur = {}, None
    for line in text.split("\n"):
        m = re.match(r"^(PyTorch|TensorFlow / Keras|DL4J) \(", line)
        if m:
            cur = out.setdefault(m.group(1), [])
        elif cur is not None and (line.startswith("    ") or line == ""):
            cur.append(line[4:])
        elif not line.startswith("  Note"):
            cur = None
    return {k: "\n".join(v) for k, v in out.items()}


def hw(v, default):
    if v is None:
        return [default, default]
    p = [int(t) for t in v.split("x")]
    return p * 2 if len(p) == 1 else p


def layer_of(args):
    opts, i = {}, 0
    while i < len(args):
        if args[i].startswith("--no-"):
            opts[args[i]] = True
            i += 1
        else:
            opts[args[i]] = args[i + 1]
            i += 2
    pad = opts.get("--padding", "valid")
    if pad not in ("same", "same_lower", "valid"):
        pad = [int(t) for t in pad.split(",")] if "," in pad else hw(pad, 0)
    layer = {"stride": hw(opts.get("--stride"), 1), "dilation": hw(opts.get("--dilation"), 1), "groups": int(opts.get("--groups", 1)),
             "padding": pad, "outputPadding": hw(opts.get("--output-padding"), 0), "activation": opts.get("--activation", "none")}
    if "--output-shape" in opts:
        layer["outputShape"] = hw(opts["--output-shape"], 0)
    return layer


def check_torch(code, layer):
    ns = {}
    with contextlib.redirect_stdout(io.StringIO()):  # the snippet prints its shape
        exec(code, ns)
    conv = ns["conv"]
    b = ns["b"].numpy() if "b" in ns else (conv.bias.detach().numpy() if conv.bias is not None else None)
    ref = mgt.reference_conv_transpose(ns["x"].numpy().astype(np.float64), conv.weight.detach().numpy().astype(np.float64), b, layer)
    y = ns["y"].detach().numpy()
    return ref.shape == y.shape and np.allclose(ref, y, atol=1e-4), ref.shape, y.shape


def check_keras(code, layer):
    ns = {}
    with contextlib.redirect_stdout(io.StringIO()):  # the snippet prints its shape
        exec(code, ns)
    convs = ns.get("convs") or [ns["conv"]]
    dh, dw = layer["dilation"]
    k = [np.asarray(c.kernel) for c in convs]
    k = [kk[::dh, ::dw] for kk in k]  # the snippet writes a dilation into the kernel (d-1 zeros between cells)
    w = np.concatenate([kk.transpose(3, 2, 0, 1) for kk in k], axis=0).astype(np.float64)
    b = ns["b"] if "b" in ns else (np.asarray(convs[0].bias) if convs[0].use_bias else None)
    ref = mgt.reference_conv_transpose(ns["x"].transpose(0, 3, 1, 2).astype(np.float64), w, b, layer).transpose(0, 2, 3, 1)
    y = np.asarray(ns["y"])
    return ref.shape == y.shape and np.allclose(ref, y, atol=1e-4), ref.shape, y.shape


def main():
    failed = 0
    for config in CONFIGS:
        args = config.split()
        text = subprocess.run([str(ROOT / "convlab"), "explain", "--op", "conv_transpose2d", *args], capture_output=True, text=True,
                              check=True).stdout
        code, layer = blocks(text), layer_of(args[2:])
        results = []
        for name, check in (("PyTorch", check_torch), ("TensorFlow / Keras", check_keras)):
            try:
                ok, want, got = check(code[name], layer)
                results.append(f"{name} {'OK' if ok else f'NOT OK (want {want}, got {got})'}")
                failed += 0 if ok else 1
            except Exception as e:  # the printed code does not run: a failure too
                results.append(f"{name} ERROR {type(e).__name__}: {str(e).strip().splitlines()[-1][:160]}")
                failed += 1
        print(f"{config:<100} {'; '.join(results)}")
    print(f"{len(CONFIGS)} configurations, {failed} failure(s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
