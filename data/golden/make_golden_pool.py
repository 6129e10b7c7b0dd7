#!/usr/bin/env python3
"""Generate the golden pooling and mixed-stack cases in data/golden/<case>/.

Every `expected` array is produced by a real framework call: PyTorch
(torch.nn.MaxPool2d / AvgPool2d: ceil mode, count_include_pad both ways,
dilation, rectangular kernels, NaN) and TensorFlow/Keras (SAME and VALID,
NHWC), plus two small CNNs (conv+relu, max pool, conv, average pool) in each.
After writing a case the script reads it back from disk as the Java side
would and recomputes it with an independent numpy/Python loop (pooling written
from PyTorch's documented rules: window clipped to the input, the average's
divisor clipped to the padded input); any mismatch aborts.

Usage (from the repository root):

    /work/pyenv/bin/python data/golden/make_golden_pool.py            # regenerate all + verify
    /work/pyenv/bin/python data/golden/make_golden_pool.py --verify   # only verify files on disk
    /work/pyenv/bin/python data/golden/make_golden_pool.py CASE ...   # only some cases

Cases where an ND4J/DL4J engine is wrong go to data/discrepancies/<name>
instead (the frameworks' answer is still the expected one there).

Versions: see requirements.txt beside this file. Helpers (seeds, case writing,
the conv self-check) come from make_golden.py.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_golden as mg  # noqa: E402  (sets the frameworks' threads and TF's flags first)
from make_golden import (GOLDEN_DIR, KERAS, TF, TOL64, TORCH, Case, keras, normal,  # noqa: E402
                         np, rng_for, t, tf, torch)

DISCREPANCIES_DIR = GOLDEN_DIR.parent / "discrepancies"
CASES = []          # -> data/golden/<name>
DISCREPANCIES = []  # -> data/discrepancies/<name>: PyTorch/TF are right, an ND4J/DL4J engine is not


def case(fn):
    CASES.append(fn)
    return fn


def discrepancy(fn):
    DISCREPANCIES.append(fn)
    return fn


def pool_layer(op, kernel, *, stride=None, padding="valid", dilation=None, ceil=False,
               include_pad=None, activation="none", expected="expected.npy"):
    d = {"op": op, "kernel": kernel}
    if stride is not None:
        d["stride"] = stride
    d["padding"] = padding
    if dilation is not None:
        d["dilation"] = dilation
    d["ceilMode"] = ceil
    if include_pad is not None:
        d["countIncludePad"] = include_pad
    d.update({"activation": activation, "expected": expected, "tolerance": TOL64})
    return d


def single(name, source, x, y, layer, layout="NCHW"):
    spec = {"input": "input.npy", "layout": layout}
    spec.update(layer)
    return Case(name, source, {"input.npy": x, "expected.npy": y}, spec)


def torch_pool(cls, x, **kw):
    with torch.no_grad():
        return cls(**kw)(t(x)).numpy()


def hw_list(v):
    return list(v) if isinstance(v, tuple) else v


# --------------------------------------------------------------------------
# PyTorch (NCHW)
# --------------------------------------------------------------------------

def torch_case(name, cls, op, x_shape, nan_at=None, dtype=np.float64, **kw):
    r = rng_for(name)
    x = normal(r, x_shape, dtype)
    if nan_at is not None:
        x[nan_at] = np.nan
    y = torch_pool(cls, x, **kw)
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    src = f"{TORCH} torch.nn.{cls.__name__}({args}), {np.dtype(dtype).name}"
    pad = kw.get("padding", 0)
    layer = pool_layer(op, hw_list(kw["kernel_size"]), stride=hw_list(kw.get("stride", kw["kernel_size"])),
                       padding=hw_list(pad), dilation=hw_list(kw["dilation"]) if "dilation" in kw else None,
                       ceil=kw.get("ceil_mode", False),
                       include_pad=kw.get("count_include_pad", True) if op == "avg_pool2d" else None)
    if dtype == np.float32:
        layer["tolerance"] = mg.TOL32
    return single(name, src, x, y, layer)


@case
def torch_maxpool_ceil():
    # W: ceil((8+2-3)/2)+1 = 5 windows; the last starts at column 7 (inside) and reaches 1 past the padding
    return torch_case("torch_maxpool_ceil", torch.nn.MaxPool2d, "max_pool2d", (2, 2, 7, 8),
                      kernel_size=3, stride=2, padding=1, ceil_mode=True)


@case
def torch_maxpool_ceil_dropped():
    # H: ceil((5+2-2)/2)+1 = 4, but window 3 would start at row 6-1 = 5 = H: in the bottom padding, dropped -> 3
    return torch_case("torch_maxpool_ceil_dropped", torch.nn.MaxPool2d, "max_pool2d", (1, 2, 5, 6),
                      kernel_size=2, stride=2, padding=1, ceil_mode=True)


@case
def torch_avgpool_ceil_include():
    return torch_case("torch_avgpool_ceil_include", torch.nn.AvgPool2d, "avg_pool2d", (1, 2, 7, 8),
                      kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=True)


@case
def torch_avgpool_ceil_exclude():
    return torch_case("torch_avgpool_ceil_exclude", torch.nn.AvgPool2d, "avg_pool2d", (1, 3, 6, 9),
                      kernel_size=(2, 3), stride=2, padding=(1, 1), ceil_mode=True, count_include_pad=False)


@case
def torch_avgpool_pad_include():
    return torch_case("torch_avgpool_pad_include", torch.nn.AvgPool2d, "avg_pool2d", (2, 2, 7, 7),
                      kernel_size=3, stride=2, padding=1)


@case
def torch_avgpool_pad_exclude():
    return torch_case("torch_avgpool_pad_exclude", torch.nn.AvgPool2d, "avg_pool2d", (1, 2, 6, 7),
                      kernel_size=(3, 2), stride=(1, 2), padding=(1, 1), count_include_pad=False)


@discrepancy
def onednn_maxpool_dilation():
    # float32, where libnd4j hands pooling to oneDNN: nd4j (helpers off) agrees; nd4j-onednn, and dl4j (which leaves
    # the helpers on), return other numbers without an error
    return torch_case("onednn-maxpool-dilation", torch.nn.MaxPool2d, "max_pool2d", (1, 2, 8, 9), dtype=np.float32,
                      kernel_size=(2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 2))


@case
def torch_maxpool_rect():
    return torch_case("torch_maxpool_rect", torch.nn.MaxPool2d, "max_pool2d", (2, 3, 7, 6),
                      kernel_size=(3, 2), stride=(2, 1))


@discrepancy
def nd4j_maxpool_nan():
    # stride 1, padding 1, 3x3: the NaN at (0, 1, 2, 3) reaches the 3x3 outputs around it (in PyTorch; ND4J skips it)
    c = torch_case("nd4j-maxpool-nan", torch.nn.MaxPool2d, "max_pool2d", (1, 2, 6, 6), nan_at=(0, 1, 2, 3),
                   kernel_size=3, stride=1, padding=1)
    assert int(np.isnan(c.arrays["expected.npy"]).sum()) == 9
    return c


# --------------------------------------------------------------------------
# TensorFlow / Keras (NHWC)
# --------------------------------------------------------------------------

def tf_case(name, op, x_shape, ksize, strides, padding):
    r = rng_for(name)
    x = normal(r, x_shape)
    fn = tf.nn.max_pool2d if op == "max_pool2d" else tf.nn.avg_pool2d
    y = fn(tf.constant(x), ksize=list(ksize), strides=list(strides), padding=padding).numpy()
    src = (f"{TF} tf.nn.{fn.__name__}(x, ksize={list(ksize)}, strides={list(strides)}, padding='{padding}'), NHWC, float64"
           + ("; TF's SAME average divides by the real cells only (countIncludePad false)" if op == "avg_pool2d" and padding == "SAME" else ""))
    layer = pool_layer(op, list(ksize), stride=list(strides), padding=padding.lower(),
                       include_pad=False if op == "avg_pool2d" else None)
    return single(name, src, x, y, layer, layout="NHWC")


@case
def tf_maxpool_same():
    return tf_case("tf_maxpool_same", "max_pool2d", (1, 7, 9, 3), (3, 2), (2, 2), "SAME")


@case
def tf_avgpool_same():
    return tf_case("tf_avgpool_same", "avg_pool2d", (1, 8, 7, 2), (3, 3), (2, 2), "SAME")


@case
def tf_maxpool_valid():
    return tf_case("tf_maxpool_valid", "max_pool2d", (2, 6, 7, 3), (2, 2), (2, 2), "VALID")


@case
def tf_avgpool_valid():
    return tf_case("tf_avgpool_valid", "avg_pool2d", (1, 7, 6, 2), (3, 3), (2, 1), "VALID")


@discrepancy
def nd4j_pool_same_negative_padding():
    # 1x1 window, stride 3, SAME on a width of 9: total pad = max((3-1)*3 + 1 - 9, 0) = 0 (TF); ND4J computes -2 / 2 = -1
    return tf_case("nd4j-pool-same-negative-padding", "max_pool2d", (1, 8, 9, 2), (1, 1), (3, 3), "SAME")


# --------------------------------------------------------------------------
# small CNNs: conv (relu), max pool, conv, average pool
# --------------------------------------------------------------------------

def conv_layer(prefix, layout, stride=1, padding=0, activation="none"):
    return {"op": "conv2d", "weights": f"{prefix}_weights.npy", "weightsLayout": layout,
            "bias": f"{prefix}_bias.npy", "stride": stride, "padding": padding, "paddingMode": "zeros",
            "dilation": 1, "groups": 1, "activation": activation, "expected": f"{prefix}_expected.npy",
            "tolerance": TOL64}


@case
def torch_small_cnn():
    name = "torch_small_cnn"
    r = rng_for(name)
    x = normal(r, (1, 3, 12, 12))
    w1, b1 = normal(r, (4, 3, 3, 3)), normal(r, (4,))
    w3, b3 = normal(r, (3, 4, 3, 3)), normal(r, (3,))
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1, dtype=torch.float64), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 3, 3, dtype=torch.float64),
        torch.nn.AvgPool2d(2))
    with torch.no_grad():
        net[0].weight.copy_(t(w1)); net[0].bias.copy_(t(b1))
        net[3].weight.copy_(t(w3)); net[3].bias.copy_(t(b3))
        y1 = net[1](net[0](t(x)))
        y2 = net[2](y1)
        y3 = net[3](y2)
        y4 = net[4](y3)
        assert torch.equal(net(t(x)), y4)
    src = (f"{TORCH} torch.nn.Sequential(Conv2d(3,4,3,padding=1), ReLU(), MaxPool2d(2), Conv2d(4,3,3), AvgPool2d(2)),"
           " float64; layer k expected = output of that layer (after its activation)")
    arrays = {"input.npy": x,
              "layer1_weights.npy": w1, "layer1_bias.npy": b1, "layer1_expected.npy": y1.numpy(),
              "layer2_expected.npy": y2.numpy(),
              "layer3_weights.npy": w3, "layer3_bias.npy": b3, "layer3_expected.npy": y3.numpy(),
              "layer4_expected.npy": y4.numpy()}
    spec = {"input": "input.npy", "layout": "NCHW", "layers": [
        conv_layer("layer1", "OIHW", padding=1, activation="relu"),
        pool_layer("max_pool2d", 2, expected="layer2_expected.npy"),
        conv_layer("layer3", "OIHW"),
        pool_layer("avg_pool2d", 2, include_pad=True, expected="layer4_expected.npy"),
    ]}
    return Case(name, src, arrays, spec)


@case
def tf_small_cnn():
    name = "tf_small_cnn"
    r = rng_for(name)
    x = normal(r, (1, 11, 11, 3))
    k1, b1 = normal(r, (3, 3, 3, 4)), normal(r, (4,))
    k3, b3 = normal(r, (3, 3, 4, 3)), normal(r, (3,))
    l1 = mg.keras_conv(x.shape, k1, b1, strides=(1, 1), padding="same", activation="relu")
    l2 = keras.layers.MaxPooling2D(pool_size=(2, 2), padding="same", dtype="float64")
    l3 = mg.keras_conv((1, 6, 6, 4), k3, b3, strides=(1, 1), padding="valid", activation=None)
    l4 = keras.layers.AveragePooling2D(pool_size=(3, 3), strides=(2, 2), padding="same", dtype="float64")
    model = keras.Sequential([keras.Input(shape=(11, 11, 3), batch_size=1, dtype="float64"), l1, l2, l3, l4])
    y1 = l1(tf.constant(x)); y2 = l2(y1); y3 = l3(y2); y4 = l4(y3)
    assert np.array_equal(model(tf.constant(x)).numpy(), y4.numpy())
    src = (f"{KERAS} keras.Sequential([Conv2D(4,(3,3),padding='same',activation='relu'), MaxPooling2D((2,2),padding='same'),"
           " Conv2D(3,(3,3),padding='valid'), AveragePooling2D((3,3),strides=(2,2),padding='same')]), float64;"
           " Keras's SAME average pooling divides by the real cells only (countIncludePad false);"
           " layer k expected = output of that layer (after its activation)")
    arrays = {"input.npy": x,
              "layer1_weights.npy": l1.kernel.numpy(), "layer1_bias.npy": l1.bias.numpy(), "layer1_expected.npy": y1.numpy(),
              "layer2_expected.npy": y2.numpy(),
              "layer3_weights.npy": l3.kernel.numpy(), "layer3_bias.npy": l3.bias.numpy(), "layer3_expected.npy": y3.numpy(),
              "layer4_expected.npy": y4.numpy()}
    spec = {"input": "input.npy", "layout": "NHWC", "layers": [
        conv_layer("layer1", "HWIO", padding="same", activation="relu"),
        pool_layer("max_pool2d", 2, padding="same", expected="layer2_expected.npy"),
        conv_layer("layer3", "HWIO", padding="valid"),
        pool_layer("avg_pool2d", 3, stride=2, padding="same", include_pad=False, expected="layer4_expected.npy"),
    ]}
    return Case(name, src, arrays, spec)


# --------------------------------------------------------------------------
# independent reference (reads the case back from disk)
# --------------------------------------------------------------------------

def out_size(n, k, s, d, p0, p1, ceil):
    span = (k - 1) * d + 1
    num = n + p0 + p1 - span
    out = (-(-num // s) if ceil else num // s) + 1
    if ceil and (out - 1) * s >= n + p0:
        out -= 1
    return out


def reference_pool(x, layer):
    """Naive pooling, NCHW float64, written from PyTorch's rules (window cells clipped to the input)."""
    op = layer["op"]
    kh, kw = mg.pair(layer["kernel"], "kernel")
    sh, sw = mg.pair(layer.get("stride", layer["kernel"]), "stride")
    dh, dw = mg.pair(layer.get("dilation", 1), "dilation")
    ceil = layer.get("ceilMode", False)
    include = layer.get("countIncludePad", True)
    N, C, H, W = x.shape
    top, bottom, left, right = mg.resolve_padding(layer.get("padding", "valid"), H, W, kh, kw, sh, sw, dh, dw)
    OH = out_size(H, kh, sh, dh, top, bottom, ceil)
    OW = out_size(W, kw, sw, dw, left, right, ceil)
    out = np.empty((N, C, OH, OW))
    for n in range(N):
        for c in range(C):
            for oy in range(OH):
                for ox in range(OW):
                    y0, x0 = oy * sh - top, ox * sw - left
                    rows = [y0 + i * dh for i in range(kh)]
                    cols = [x0 + j * dw for j in range(kw)]
                    vals = [float(x[n, c, i, j]) for i in rows if 0 <= i < H for j in cols if 0 <= j < W]
                    assert vals, f"window ({oy}, {ox}) reads only padding"
                    if op == "max_pool2d":
                        v = math.nan if any(math.isnan(a) for a in vals) else max(vals)
                    else:
                        # PyTorch: the divisor window is clipped to the padded input, then (if not counting pads) to the input
                        y1, x1 = min(y0 + kh, H + bottom), min(x0 + kw, W + right)
                        div = (y1 - y0) * (x1 - x0) if include else len(vals)
                        v = sum(vals) / div
                    out[n, c, oy, ox] = mg.activate(v, layer.get("activation", "none"))
    return out


def verify_case_dir(d):
    doc = json.loads((d / "case.json").read_text(encoding="utf-8"))
    assert doc["name"] == d.name, (doc["name"], d.name)
    layout = doc.get("layout", "NCHW")
    x = mg.load(d, doc["input"])
    to_nchw = (lambda a: a.transpose(0, 3, 1, 2)) if layout == "NHWC" else (lambda a: a)
    cur = to_nchw(x).astype(np.float64)
    worst, nans, shapes = 0.0, 0, []
    for i, layer in enumerate(doc["layers"] if "layers" in doc else [doc]):
        if layer.get("op", "conv2d") == "conv2d":
            w = mg.load(d, layer["weights"])
            if layer.get("weightsLayout", "OIHW") == "HWIO":
                w = w.transpose(3, 2, 0, 1)
            b = mg.load(d, layer["bias"]).astype(np.float64) if "bias" in layer else None
            cur = mg.reference_conv(cur, w.astype(np.float64), b, layer)
        else:
            cur = reference_pool(cur, layer)
        exp = mg.load(d, layer["expected"])
        wv, nn = mg.compare(f"{doc['name']} layer {i + 1}", cur, to_nchw(exp), layer.get("tolerance", TOL64))
        worst, nans = max(worst, wv), nans + nn
        shapes.append(tuple(exp.shape))
    return doc, worst, nans, shapes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", help="only these case names (default: all)")
    ap.add_argument("--verify", action="store_true", help="do not regenerate; only verify the files on disk")
    args = ap.parse_args()
    known = {fn.__name__: (fn, GOLDEN_DIR) for fn in CASES}
    known.update({fn.__name__: (fn, DISCREPANCIES_DIR) for fn in DISCREPANCIES})
    names = args.cases or list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"unknown case(s): {unknown}; known: {sorted(known)}")
    print(f"torch {torch.__version__}, tensorflow {tf.__version__}, keras {keras.__version__}, numpy {np.__version__}")
    t0 = time.perf_counter()
    for n in names:
        fn, root = known[n]
        d = root / fn().name if args.verify else mg.write_case(fn(), root)
        doc, worst, nans, shapes = verify_case_dir(d)
        kind = f"{len(doc['layers'])} layers" if "layers" in doc else "1 layer"
        print(f"OK {n:<28} {doc.get('layout', 'NCHW')} {kind:<8} "
              f"out={'/'.join('x'.join(map(str, s)) for s in shapes):<28} max|ref-fw|={worst:.2e} nan={nans}")
    print(f"{len(names)} case(s) {'verified' if args.verify else 'written and verified'} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
