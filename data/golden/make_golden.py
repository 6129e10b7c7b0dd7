#!/usr/bin/env python3
"""Generate the golden 2D-convolution test cases in data/golden/<case>/.

Every `expected` array is produced by a real framework call (PyTorch or
TensorFlow/Keras).  After writing a case, the script reads the case back from
disk exactly as the Java side would (case.json + .npy files, following the
case-file contract) and recomputes it with an independent, deliberately naive
numpy/Python direct convolution.  Any mismatch aborts the script.

Usage (from the repository root):

    target/pyenv/bin/python data/golden/make_golden.py            # regenerate all + verify
    target/pyenv/bin/python data/golden/make_golden.py --verify   # only verify files on disk
    target/pyenv/bin/python data/golden/make_golden.py CASE ...   # regenerate only some cases

The output is deterministic: fixed per-case seeds, single-threaded frameworks,
oneDNN disabled in TensorFlow.  Re-running overwrites the same files.
"""

import os

# Must be set before TensorFlow is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import argparse
import json
import math
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import tensorflow as tf
import keras

GOLDEN_DIR = Path(__file__).resolve().parent

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

TOL64 = {"abs": 1e-9, "rel": 1e-9}
TOL32 = {"abs": 1e-5, "rel": 1e-4}

TORCH = f"torch {torch.__version__}"
TF = f"tensorflow {tf.__version__}"
KERAS = f"keras {keras.__version__} (tensorflow {tf.__version__} backend)"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def rng_for(name):
    """Fixed, order-independent seed per case."""
    return np.random.default_rng(zlib.crc32(name.encode("utf-8")))


def normal(rng, shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def torch_conv_module(x, w, b, **kwargs):
    """Run torch.nn.Conv2d with the given (OIHW) weights and bias."""
    out_ch, in_per_group, kh, kw = w.shape
    groups = kwargs.get("groups", 1)
    conv = torch.nn.Conv2d(in_per_group * groups, out_ch, (kh, kw),
                           bias=b is not None, dtype=t(w).dtype, **kwargs)
    with torch.no_grad():
        conv.weight.copy_(t(w))
        if b is not None:
            conv.bias.copy_(t(b))
        return conv(t(x))


class Case:
    """A case: the case.json dict (without file names resolved) + arrays."""

    def __init__(self, name, source, arrays, spec, check_tol=None):
        self.name = name
        self.source = source
        self.arrays = arrays          # filename -> np.ndarray (written as is)
        self.spec = spec              # remaining case.json fields
        self.check_tol = check_tol    # tolerance of the numpy self-check


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# --------------------------------------------------------------------------
# PyTorch single-layer cases (NCHW / OIHW)
# --------------------------------------------------------------------------

def simple_torch_case(name, source, x, w, b, y, *, stride=1, padding="valid",
                      dilation=1, groups=1, padding_mode="zeros",
                      activation="none", tol=TOL64, arrays_override=None):
    arrays = {"input.npy": x, "weights.npy": w, "expected.npy": y}
    spec = {"input": "input.npy", "layout": "NCHW",
            "weights": "weights.npy", "weightsLayout": "OIHW"}
    if b is not None:
        arrays["bias.npy"] = b
        spec["bias"] = "bias.npy"
    spec.update({"expected": "expected.npy", "stride": stride,
                 "dilation": dilation, "groups": groups, "padding": padding,
                 "paddingMode": padding_mode, "activation": activation,
                 "tolerance": tol})
    if arrays_override:
        arrays.update(arrays_override)
    return Case(name, source, arrays, spec)


@case
def torch_classic():
    name = "torch_classic"
    r = rng_for(name)
    x = normal(r, (1, 3, 8, 8))
    w = normal(r, (2, 3, 3, 3))
    b = normal(r, (2,))
    y = torch_conv_module(x, w, b, stride=1, padding=0, padding_mode="zeros")
    src = (f"{TORCH} torch.nn.Conv2d(in_channels=3, out_channels=2, kernel_size=(3,3), "
           "stride=1, padding=0, padding_mode='zeros', bias=True, dtype=float64)")
    return simple_torch_case(name, src, x, w, b, y.numpy(), stride=1, padding=0)


@case
def torch_pad1():
    name = "torch_pad1"
    r = rng_for(name)
    x = normal(r, (2, 3, 6, 7))
    w = normal(r, (4, 3, 3, 3))
    b = normal(r, (4,))
    y = torch.tanh(torch_conv_module(x, w, b, stride=1, padding=1))
    src = (f"{TORCH} torch.tanh(torch.nn.Conv2d(3, 4, kernel_size=3, stride=1, "
           "padding=1, bias=True, dtype=float64)(x))")
    return simple_torch_case(name, src, x, w, b, y.numpy(), stride=1, padding=1,
                             activation="tanh")


@case
def torch_pad_hw():
    name = "torch_pad_hw"
    r = rng_for(name)
    x = normal(r, (1, 2, 7, 9))
    w = normal(r, (3, 2, 3, 5))
    b = normal(r, (3,))
    y = F.conv2d(t(x), t(w), t(b), stride=(1, 2), padding=(2, 1))
    src = (f"{TORCH} torch.nn.functional.conv2d(x, w, b, stride=(1,2), padding=(2,1)); "
           "kernel 3x5")
    return simple_torch_case(name, src, x, w, b, y.numpy(), stride=[1, 2],
                             padding=[2, 1])


@case
def torch_dilation2():
    name = "torch_dilation2"
    r = rng_for(name)
    x = normal(r, (1, 2, 9, 9))
    w = normal(r, (3, 2, 3, 3))
    b = normal(r, (3,))
    y = F.conv2d(t(x), t(w), t(b), stride=1, padding=2, dilation=2)
    src = f"{TORCH} torch.nn.functional.conv2d(x, w, b, stride=1, padding=2, dilation=2)"
    return simple_torch_case(name, src, x, w, b, y.numpy(), padding=2, dilation=2)


@case
def torch_dilation_rect():
    name = "torch_dilation_rect"
    r = rng_for(name)
    # effective kernel 5x7; H: (9-5)/2+1 = 3, W: floor((10-7)/2)+1 = 2 (floor matters)
    x = normal(r, (1, 2, 9, 10))
    w = normal(r, (2, 2, 3, 3))
    b = normal(r, (2,))
    y = F.conv2d(t(x), t(w), t(b), stride=2, padding=0, dilation=(2, 3))
    src = (f"{TORCH} torch.nn.functional.conv2d(x, w, b, stride=2, padding=0, "
           "dilation=(2,3))")
    return simple_torch_case(name, src, x, w, b, y.numpy(), stride=[2, 2],
                             padding="valid", dilation=[2, 3])


@case
def torch_groups2():
    name = "torch_groups2"
    r = rng_for(name)
    x = normal(r, (1, 4, 7, 6))
    w = normal(r, (6, 2, 3, 3))
    b = normal(r, (6,))
    y = torch_conv_module(x, w, b, stride=1, padding=1, groups=2)
    src = (f"{TORCH} torch.nn.Conv2d(4, 6, kernel_size=3, stride=1, padding=1, "
           "groups=2, bias=True, dtype=float64)")
    return simple_torch_case(name, src, x, w, b, y.numpy(), padding=1, groups=2)


@case
def torch_depthwise():
    name = "torch_depthwise"
    r = rng_for(name)
    x = normal(r, (2, 3, 6, 6))
    w = normal(r, (6, 1, 3, 3))
    b = normal(r, (6,))
    y = torch_conv_module(x, w, b, stride=1, padding=0, groups=3)
    src = (f"{TORCH} torch.nn.Conv2d(3, 6, kernel_size=3, stride=1, padding=0, "
           "groups=3, bias=True, dtype=float64) (depthwise, channel multiplier 2)")
    return simple_torch_case(name, src, x, w, b, y.numpy(), padding=0, groups=3)


def padding_mode_case(name, mode, x_shape, stride, padding):
    """torch.nn.Conv2d(2, 3, 3) with one of PyTorch's padding modes; `padding` is an int or an (h, w) pair."""
    r = rng_for(name)
    x = normal(r, x_shape)
    w = normal(r, (3, 2, 3, 3))
    b = normal(r, (3,))
    y = torch_conv_module(x, w, b, stride=stride, padding=padding, padding_mode=mode)
    shown = padding if isinstance(padding, int) else "(%d,%d)" % padding
    src = (f"{TORCH} torch.nn.Conv2d(2, 3, kernel_size=3, stride={stride}, padding={shown}, "
           f"padding_mode='{mode}', bias=True, dtype=float64)")
    return simple_torch_case(name, src, x, w, b, y.numpy(), stride=stride,
                             padding=padding if isinstance(padding, int) else list(padding), padding_mode=mode)


@case
def torch_reflect():
    return padding_mode_case("torch_reflect", "reflect", (1, 2, 6, 7), stride=1, padding=(1, 2))


@case
def torch_replicate():
    return padding_mode_case("torch_replicate", "replicate", (1, 2, 6, 7), stride=1, padding=2)


@case
def torch_circular():
    return padding_mode_case("torch_circular", "circular", (1, 2, 7, 8), stride=2, padding=(1, 2))


@case
def torch_asym_pad():
    name = "torch_asym_pad"
    r = rng_for(name)
    x = normal(r, (1, 2, 6, 7))
    w = normal(r, (3, 2, 3, 3))
    b = normal(r, (3,))
    top, bottom, left, right = 0, 2, 1, 0
    xp = F.pad(t(x), (left, right, top, bottom))   # F.pad order: (left, right, top, bottom)
    y = F.conv2d(xp, t(w), t(b), stride=1, padding=0)
    src = (f"{TORCH} torch.nn.functional.conv2d(F.pad(x, (1, 0, 0, 2)), w, b, stride=1, "
           "padding=0)  [F.pad tuple is (left, right, top, bottom)]")
    return simple_torch_case(name, src, x, w, b, y.numpy(),
                             padding=[top, bottom, left, right])


@case
def torch_sigmoid_float32():
    name = "torch_sigmoid_float32"
    r = rng_for(name)
    x = normal(r, (1, 3, 7, 7), np.float32)
    w = normal(r, (2, 3, 3, 3), np.float32)
    b = normal(r, (2,), np.float32)
    y = torch.sigmoid(torch_conv_module(x, w, b, stride=1, padding=1))
    assert y.dtype == torch.float32
    src = (f"{TORCH} torch.sigmoid(torch.nn.Conv2d(3, 2, kernel_size=3, stride=1, "
           "padding=1, bias=True, dtype=float32)(x)); all arrays float32")
    c = simple_torch_case(name, src, x, w, b, y.numpy(), padding=1,
                          activation="sigmoid", tol=TOL32)
    c.check_tol = TOL32
    return c


@case
def torch_fortran_bigendian():
    name = "torch_fortran_bigendian"
    r = rng_for(name)
    x = normal(r, (1, 2, 6, 7))          # non-square so a wrong element order is visible
    w = normal(r, (3, 2, 3, 2))
    b = normal(r, (3,))
    y = torch_conv_module(x, w, b, stride=1, padding=1)
    x_f = np.asfortranarray(x)           # np.save writes fortran_order: True
    w_be = w.astype(">f8")              # big-endian float64, same values
    assert x_f.flags.f_contiguous and not x_f.flags.c_contiguous
    assert np.array_equal(x_f, x) and np.array_equal(w_be, w)
    src = (f"{TORCH} torch.nn.Conv2d(2, 3, kernel_size=(3,2), stride=1, padding=1, "
           "bias=True, dtype=float64); input.npy stored fortran_order=True, "
           "weights.npy stored big-endian '>f8'")
    return simple_torch_case(name, src, x, w, b, y.numpy(), padding=1,
                             arrays_override={"input.npy": x_f, "weights.npy": w_be})


@case
def torch_nan():
    name = "torch_nan"
    r = rng_for(name)
    x = normal(r, (1, 2, 7, 7))
    x[0, 1, 3, 2] = np.nan
    w = normal(r, (2, 2, 3, 3))
    b = normal(r, (2,))
    y = torch_conv_module(x, w, b, stride=1, padding=1).numpy()
    # 3x3 kernel, stride 1, NaN in the interior: 3x3 outputs per channel are NaN
    assert int(np.isnan(y).sum()) == 2 * 9, np.isnan(y).sum()
    src = (f"{TORCH} torch.nn.Conv2d(2, 2, kernel_size=3, stride=1, padding=1, "
           "bias=True, dtype=float64); input[0,1,3,2] is NaN, which propagates "
           "to the 3x3 output window around it in every output channel")
    return simple_torch_case(name, src, x, w, b, y, padding=1)


@case
def torch_two_layers():
    name = "torch_two_layers"
    r = rng_for(name)
    x = normal(r, (1, 3, 8, 8))
    w1, b1 = normal(r, (2, 3, 3, 3)), normal(r, (2,))
    w2, b2 = normal(r, (2, 2, 3, 3)), normal(r, (2,))
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 2, 3, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.Conv2d(2, 2, 3, dtype=torch.float64),
    )
    with torch.no_grad():
        net[0].weight.copy_(t(w1)); net[0].bias.copy_(t(b1))
        net[2].weight.copy_(t(w2)); net[2].bias.copy_(t(b2))
        y1 = net[1](net[0](t(x)))
        y2 = net[2](y1)
        assert torch.equal(net(t(x)), y2)
    src = (f"{TORCH} torch.nn.Sequential(Conv2d(3,2,3), ReLU(), Conv2d(2,2,3)), float64; "
           "layer k expected = output of that layer (after its activation)")
    arrays = {"input.npy": x,
              "layer1_weights.npy": w1, "layer1_bias.npy": b1, "layer1_expected.npy": y1.numpy(),
              "layer2_weights.npy": w2, "layer2_bias.npy": b2, "layer2_expected.npy": y2.numpy()}
    spec = {"input": "input.npy", "layout": "NCHW", "layers": [
        {"weights": "layer1_weights.npy", "weightsLayout": "OIHW", "bias": "layer1_bias.npy",
         "stride": 1, "padding": 0, "paddingMode": "zeros", "dilation": 1, "groups": 1,
         "activation": "relu", "expected": "layer1_expected.npy", "tolerance": TOL64},
        {"weights": "layer2_weights.npy", "weightsLayout": "OIHW", "bias": "layer2_bias.npy",
         "stride": 1, "padding": 0, "paddingMode": "zeros", "dilation": 1, "groups": 1,
         "activation": "none", "expected": "layer2_expected.npy", "tolerance": TOL64},
    ]}
    return Case(name, src, arrays, spec)


# --------------------------------------------------------------------------
# TensorFlow cases (NHWC / HWIO)
# --------------------------------------------------------------------------

def simple_tf_case(name, source, x, w, b, y, *, stride, padding, activation,
                   dilation=1, groups=1, tol=TOL64):
    arrays = {"input.npy": x, "weights.npy": w, "expected.npy": y}
    spec = {"input": "input.npy", "layout": "NHWC",
            "weights": "weights.npy", "weightsLayout": "HWIO"}
    if b is not None:
        arrays["bias.npy"] = b
        spec["bias"] = "bias.npy"
    spec.update({"expected": "expected.npy", "stride": stride,
                 "dilation": dilation, "groups": groups, "padding": padding,
                 "paddingMode": "zeros", "activation": activation,
                 "tolerance": tol})
    return Case(name, source, arrays, spec)


def keras_conv(x_shape, kernel, bias, **kwargs):
    layer = keras.layers.Conv2D(filters=kernel.shape[3], kernel_size=kernel.shape[:2],
                                use_bias=bias is not None, dtype="float64", **kwargs)
    layer.build(x_shape)
    layer.set_weights([kernel, bias] if bias is not None else [kernel])
    return layer


@case
def tf_classic():
    name = "tf_classic"
    r = rng_for(name)
    x = normal(r, (1, 8, 8, 3))
    k = normal(r, (3, 3, 3, 2))
    b = normal(r, (2,))
    layer = keras_conv(x.shape, k, b, strides=(1, 1), padding="valid")
    y = layer(tf.constant(x)).numpy()
    k_layer = layer.kernel.numpy()
    b_layer = layer.bias.numpy()
    assert k_layer.shape == (3, 3, 3, 2) and np.array_equal(k_layer, k)
    src = (f"{KERAS} keras.layers.Conv2D(filters=2, kernel_size=(3,3), strides=(1,1), "
           "padding='valid', use_bias=True, dtype='float64'); weights = layer.kernel (HWIO)")
    return simple_tf_case(name, src, x, k_layer, b_layer, y, stride=1,
                          padding="valid", activation="none")


@case
def tf_same_stride2():
    name = "tf_same_stride2"
    r = rng_for(name)
    x = normal(r, (1, 8, 8, 3))
    k = normal(r, (3, 3, 3, 4))
    b = normal(r, (4,))
    y = tf.nn.relu(tf.nn.bias_add(
        tf.nn.conv2d(tf.constant(x), tf.constant(k), strides=[1, 2, 2, 1], padding="SAME"),
        tf.constant(b))).numpy()
    assert y.shape == (1, 4, 4, 4)
    src = (f"{TF} tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k, strides=2, "
           "padding='SAME'), b)); total pad 1 per dim -> top/left 0, bottom/right 1")
    return simple_tf_case(name, src, x, k, b, y, stride=[2, 2], padding="same",
                          activation="relu")


@case
def tf_same_stride2_odd():
    name = "tf_same_stride2_odd"
    r = rng_for(name)
    x = normal(r, (1, 7, 9, 3))
    k = normal(r, (4, 2, 3, 4))
    y = tf.nn.relu(
        tf.nn.conv2d(tf.constant(x), tf.constant(k), strides=[1, 2, 3, 1], padding="SAME")
    ).numpy()
    # H: out ceil(7/2)=4, pad (4-1)*2+4-7=3 -> top 1, bottom 2
    # W: out ceil(9/3)=3, pad max((3-1)*3+2-9, 0)=0
    assert y.shape == (1, 4, 3, 4)
    src = (f"{TF} tf.nn.relu(tf.nn.conv2d(x, k, strides=[1,2,3,1], padding='SAME')), "
           "kernel 4x2, no bias; H pad top 1 / bottom 2, W pad 0")
    return simple_tf_case(name, src, x, k, None, y, stride=[2, 3], padding="same",
                          activation="relu")


@case
def tf_depthwise():
    name = "tf_depthwise"
    r = rng_for(name)
    C, M = 3, 2
    x = normal(r, (1, 6, 7, C))
    f = normal(r, (3, 3, C, M))          # TF depthwise filter [kH, kW, C, M]
    y = tf.nn.depthwise_conv2d(tf.constant(x), tf.constant(f), strides=[1, 1, 1, 1],
                               padding="SAME").numpy()
    assert y.shape == (1, 6, 7, C * M)
    # Verify TF's output channel order is c*M + m.
    for c in range(C):
        for m in range(M):
            single = tf.nn.conv2d(tf.constant(x[..., c:c + 1]),
                                  tf.constant(f[:, :, c:c + 1, m:m + 1]),
                                  strides=1, padding="SAME").numpy()
            assert np.allclose(single[..., 0], y[..., c * M + m], rtol=1e-12, atol=1e-12), (c, m)
    w = f.reshape(3, 3, 1, C * M)        # HWIO with groups=C; out channel c*M+m
    assert all(np.array_equal(w[:, :, 0, c * M + m], f[:, :, c, m])
               for c in range(C) for m in range(M))
    src = (f"{TF} tf.nn.depthwise_conv2d(x, f, strides=[1,1,1,1], padding='SAME') with "
           "f of shape [3,3,C=3,M=2]; weights = f.reshape(3,3,1,6) (HWIO, groups=3, "
           "out channel c*M+m, checked against per-channel tf.nn.conv2d)")
    return simple_tf_case(name, src, x, w, None, y, stride=1, padding="same",
                          activation="none", groups=C)


@case
def tf_two_layers():
    name = "tf_two_layers"
    r = rng_for(name)
    x = normal(r, (1, 8, 8, 3))
    k1, b1 = normal(r, (3, 3, 3, 2)), normal(r, (2,))
    k2, b2 = normal(r, (3, 3, 2, 2)), normal(r, (2,))
    l1 = keras_conv(x.shape, k1, b1, strides=(1, 1), padding="valid", activation="relu")
    l2 = keras_conv((1, 6, 6, 2), k2, b2, strides=(1, 1), padding="same", activation=None)
    model = keras.Sequential([keras.Input(shape=(8, 8, 3), batch_size=1, dtype="float64"),
                              l1, l2])
    y1 = l1(tf.constant(x))
    y2 = l2(y1)
    assert np.array_equal(model(tf.constant(x)).numpy(), y2.numpy())
    src = (f"{KERAS} keras.Sequential([Conv2D(2, (3,3), padding='valid', activation='relu'), "
           "Conv2D(2, (3,3), padding='same')]), float64; weights = layer.kernel (HWIO); "
           "layer k expected = output of that layer (after its activation)")
    arrays = {"input.npy": x,
              "layer1_weights.npy": l1.kernel.numpy(), "layer1_bias.npy": l1.bias.numpy(),
              "layer1_expected.npy": y1.numpy(),
              "layer2_weights.npy": l2.kernel.numpy(), "layer2_bias.npy": l2.bias.numpy(),
              "layer2_expected.npy": y2.numpy()}
    spec = {"input": "input.npy", "layout": "NHWC", "layers": [
        {"weights": "layer1_weights.npy", "weightsLayout": "HWIO", "bias": "layer1_bias.npy",
         "stride": 1, "padding": "valid", "paddingMode": "zeros", "dilation": 1, "groups": 1,
         "activation": "relu", "expected": "layer1_expected.npy", "tolerance": TOL64},
        {"weights": "layer2_weights.npy", "weightsLayout": "HWIO", "bias": "layer2_bias.npy",
         "stride": 1, "padding": "same", "paddingMode": "zeros", "dilation": 1, "groups": 1,
         "activation": "none", "expected": "layer2_expected.npy", "tolerance": TOL64},
    ]}
    return Case(name, src, arrays, spec)


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------

def write_case(c, root=None):
    """Writes the case folder under root (default: data/golden)."""
    d = (root or GOLDEN_DIR) / c.name
    d.mkdir(parents=True, exist_ok=True)
    for old in list(d.glob("*.npy")) + list(d.glob("case.json")):
        old.unlink()
    for fname, arr in c.arrays.items():
        np.save(d / fname, arr, allow_pickle=False)
    doc = {"name": c.name, "source": c.source}
    doc.update(c.spec)
    with open(d / "case.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")
    return d


# --------------------------------------------------------------------------
# independent reference implementation (reads the case back from disk)
# --------------------------------------------------------------------------

def pair(v, what):
    if isinstance(v, int):
        return v, v
    if isinstance(v, list) and len(v) == 2 and all(isinstance(i, int) for i in v):
        return v[0], v[1]
    raise ValueError(f"bad {what}: {v!r}")


def resolve_padding(padding, h, w, kh, kw, sh, sw, dh, dw):
    """Return (top, bottom, left, right)."""
    if isinstance(padding, str):
        p = padding.lower()
        if p == "valid":
            return 0, 0, 0, 0
        if p == "same":
            pads = []
            for n, k, s, d in ((h, kh, sh, dh), (w, kw, sw, dw)):
                out = -(-n // s)
                total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
                pads += [total // 2, total - total // 2]   # odd pixel bottom/right
            return tuple(pads)
        raise ValueError(f"bad padding {padding!r}")
    if isinstance(padding, int):
        return padding, padding, padding, padding
    if isinstance(padding, list) and len(padding) == 2:
        return padding[0], padding[0], padding[1], padding[1]
    if isinstance(padding, list) and len(padding) == 4:
        return tuple(padding)
    raise ValueError(f"bad padding {padding!r}")


NP_PAD_MODE = {"zeros": "constant", "reflect": "reflect",
               "replicate": "edge", "circular": "wrap"}


def activate(v, activation):
    if activation == "none":
        return v
    if activation == "relu":
        return v if v > 0.0 or math.isnan(v) else 0.0
    if activation == "tanh":
        return math.tanh(v)
    if activation == "sigmoid":
        if math.isnan(v):
            return v
        if v >= 0:
            return 1.0 / (1.0 + math.exp(-v))
        e = math.exp(v)
        return e / (1.0 + e)
    raise ValueError(f"bad activation {activation!r}")


def reference_conv(x, w, b, layer):
    """Naive direct convolution. x: NCHW float64, w: OIHW float64."""
    sh, sw = pair(layer.get("stride", 1), "stride")
    dh, dw = pair(layer.get("dilation", 1), "dilation")
    groups = layer.get("groups", 1)
    mode = layer.get("paddingMode", "zeros")
    activation = layer.get("activation", "none")
    N, C, H, W = x.shape
    O, Cg, KH, KW = w.shape
    assert C == Cg * groups and O % groups == 0, (x.shape, w.shape, groups)
    top, bottom, left, right = resolve_padding(layer.get("padding", "valid"),
                                               H, W, KH, KW, sh, sw, dh, dw)
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), mode=NP_PAD_MODE[mode])
    HP, WP = xp.shape[2], xp.shape[3]
    OH = (HP - ((KH - 1) * dh + 1)) // sh + 1
    OW = (WP - ((KW - 1) * dw + 1)) // sw + 1
    out = np.empty((N, O, OH, OW), dtype=np.float64)
    o_per_g = O // groups
    for n in range(N):
        for oc in range(O):
            g = oc // o_per_g
            for oy in range(OH):
                for ox in range(OW):
                    acc = 0.0
                    for ic in range(Cg):
                        for ky in range(KH):
                            for kx in range(KW):
                                acc += (float(xp[n, g * Cg + ic, oy * sh + ky * dh, ox * sw + kx * dw])
                                        * float(w[oc, ic, ky, kx]))
                    if b is not None:
                        acc += float(b[oc])
                    out[n, oc, oy, ox] = activate(acc, activation)
    return out


def compare(name, got_ref, expected, tol):
    """got_ref: float64 reference; expected: framework output from disk."""
    assert got_ref.shape == expected.shape, f"{name}: shape {got_ref.shape} vs {expected.shape}"
    e = expected.astype(np.float64)
    nan_r, nan_e = np.isnan(got_ref), np.isnan(e)
    assert np.array_equal(nan_r, nan_e), f"{name}: NaN positions differ"
    ok = ~nan_e
    diff = np.abs(got_ref[ok] - e[ok])
    limit = tol["abs"] + tol["rel"] * np.abs(e[ok])
    worst = float(diff.max()) if diff.size else 0.0
    assert np.all(diff <= limit), f"{name}: max abs diff {worst:.3e} exceeds tolerance {tol}"
    return worst, int(nan_e.sum())


def load(d, fname):
    return np.load(d / fname, allow_pickle=False)


def verify_case_dir(d, check_tol=None):
    doc = json.loads((d / "case.json").read_text(encoding="utf-8"))
    name = doc["name"]
    assert name == d.name, (name, d.name)
    layout = doc.get("layout", "NCHW")
    x = load(d, doc["input"])
    if layout == "NHWC":
        x = x.transpose(0, 3, 1, 2)
    dtype = x.dtype
    cur = x.astype(np.float64)
    layers = doc["layers"] if "layers" in doc else [doc]
    worst, nans, shapes = 0.0, 0, []
    for i, layer in enumerate(layers):
        w = load(d, layer["weights"])
        if layer.get("weightsLayout", "OIHW") == "HWIO":
            w = w.transpose(3, 2, 0, 1)
        b = load(d, layer["bias"]).astype(np.float64) if "bias" in layer else None
        cur = reference_conv(cur, w.astype(np.float64), b, layer)
        if "expected" in layer:
            exp = load(d, layer["expected"])
            assert exp.dtype == dtype, f"{name}: expected dtype {exp.dtype} != input {dtype}"
            exp_nchw = exp.transpose(0, 3, 1, 2) if layout == "NHWC" else exp
            # Self-check tolerance: 1e-9 for float64, the case tolerance for float32.
            tol = check_tol or (TOL64 if dtype == np.float64 else layer.get("tolerance", TOL32))
            wv, nn = compare(f"{name} layer {i + 1}", cur, exp_nchw, tol)
            worst, nans = max(worst, wv), nans + nn
            shapes.append(tuple(exp.shape))
    return doc, dtype, worst, nans, shapes


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", help="only these case names (default: all)")
    ap.add_argument("--verify", action="store_true",
                    help="do not regenerate; only verify the files on disk")
    args = ap.parse_args()

    known = {fn.__name__: fn for fn in CASES}
    names = args.cases or list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"unknown case(s): {unknown}; known: {sorted(known)}")

    print(f"torch {torch.__version__}, tensorflow {tf.__version__}, keras {keras.__version__}, "
          f"numpy {np.__version__}")
    t0 = time.perf_counter()
    for n in names:
        check_tol = None
        if args.verify:
            d = GOLDEN_DIR / n
        else:
            c = known[n]()
            assert c.name == n
            check_tol = c.check_tol
            d = write_case(c)
        doc, dtype, worst, nans, shapes = verify_case_dir(d, check_tol)
        size = sum(p.stat().st_size for p in d.iterdir())
        kind = f"{len(doc['layers'])} layers" if "layers" in doc else "1 layer"
        print(f"OK {n:<24} {doc.get('layout', 'NCHW')} {str(dtype):<8} {kind:<8} "
              f"out={'/'.join('x'.join(map(str, s)) for s in shapes):<22} "
              f"max|ref-fw|={worst:.2e} nan={nans} bytes={size}")
    total = sum(p.stat().st_size for p in GOLDEN_DIR.rglob("*") if p.is_file())
    print(f"{len(names)} case(s) {'verified' if args.verify else 'written and verified'} "
          f"in {time.perf_counter() - t0:.1f}s; data/golden total {total} bytes")


if __name__ == "__main__":
    main()
