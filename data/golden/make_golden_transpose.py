#!/usr/bin/env python3
"""Generate the golden transposed-convolution cases in data/golden/transpose/<case>/.

Every `expected` array is produced by a real framework: PyTorch ConvTranspose2d / F.conv_transpose2d,
TensorFlow tf.nn.conv2d_transpose, Keras Conv2DTranspose, or ONNX's own ConvTranspose conformance cases (the
`export_*` functions of onnx/backend/test/case/node/convtranspose.py in the onnx wheel, whose outputs the ONNX
authors wrote down), each of those also run through onnxruntime and checked against it. After writing a case the
script reads it back from disk as the Java side does (case.json + .npy, the case-file contract) and recomputes it
with an independent, deliberately naive numpy scatter loop; any mismatch aborts.

It also writes data/discrepancies/nd4j-deconv-same-negative-crop/, where ND4J's and DL4J's SAME mode disagree with
TensorFlow (see data/discrepancies/README.md).

Usage (from the repository root; the venv of data/golden/README.md plus onnx and onnxruntime, see
requirements-transpose.txt):

    PY data/golden/make_golden_transpose.py            # regenerate all + verify
    PY data/golden/make_golden_transpose.py --verify   # only verify the files on disk
    PY data/golden/make_golden_transpose.py CASE ...   # only some cases

Deterministic: fixed per-case seeds (crc32 of the name), single-threaded frameworks, oneDNN off in TensorFlow.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_golden as mg  # noqa: E402  (sets TF's environment, threads and determinism first)

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
import onnx  # noqa: E402
import onnx.helper  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx.backend.test.case.node import convtranspose as onnx_cases  # noqa: E402

ROOT = Path(__file__).resolve().parent
OUT_DIR = ROOT / "transpose"
DISCREPANCIES = ROOT.parent / "discrepancies"

TOL64, TOL32 = mg.TOL64, mg.TOL32
TORCH, TF, KERAS = mg.TORCH, mg.TF, mg.KERAS
ONNX = f"onnx {onnx.__version__} conformance case, checked with onnxruntime {ort.__version__}"

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def layer_spec(w_file, wl, b_file, *, stride=1, padding="valid", dilation=1, groups=1, output_padding=0,
               output_shape=None, activation="none", expected="expected.npy", tol=TOL64):
    spec = {"op": "conv_transpose2d", "weights": w_file, "weightsLayout": wl}
    if b_file:
        spec["bias"] = b_file
    spec.update({"stride": stride, "dilation": dilation, "groups": groups, "padding": padding,
                 "outputPadding": output_padding})
    if output_shape is not None:
        spec["outputShape"] = output_shape
    spec.update({"activation": activation, "expected": expected, "tolerance": tol})
    return spec


def single(name, source, layout, x, w, wl, b, y, tol=TOL64, **kw):
    arrays = {"input.npy": x, "weights.npy": w, "expected.npy": y}
    if b is not None:
        arrays["bias.npy"] = b
    spec = {"input": "input.npy", "layout": layout}
    spec.update(layer_spec("weights.npy", wl, "bias.npy" if b is not None else None, tol=tol, **kw))
    return mg.Case(name, source, arrays, spec)


def torch_convt(x, w, b, groups=1, **kw):
    """torch.nn.ConvTranspose2d with the given IOHW weights [C, O/groups, KH, KW] and bias."""
    c, og, kh, kw_ = w.shape
    m = torch.nn.ConvTranspose2d(c, og * groups, (kh, kw_), groups=groups, bias=b is not None, dtype=mg.t(w).dtype, **kw)
    with torch.no_grad():
        m.weight.copy_(mg.t(w))
        if b is not None:
            m.bias.copy_(mg.t(b))
        return m(mg.t(x))


# --------------------------------------------------------------------------
# PyTorch (NCHW / IOHW)
# --------------------------------------------------------------------------

def torch_case(name, x_shape, w_shape, bias, *, act=None, dtype=np.float64, tol=TOL64, call, fields):
    r = mg.rng_for(name)
    x = mg.normal(r, x_shape, dtype)
    w = mg.normal(r, w_shape, dtype)
    b = mg.normal(r, (w_shape[1] * fields.get("groups", 1),), dtype) if bias else None
    y = call(x, w, b)
    if act is not None:
        y = act(y)
    return x, w, b, y.detach().numpy()


def simple_torch(name, desc, x_shape, w_shape, bias=True, act=None, act_name="none", dtype=np.float64, tol=TOL64, **kw):
    """ConvTranspose2d(**kw); case fields from the same keywords."""
    fields = {"stride": kw.get("stride", 1), "padding": kw.get("padding", 0), "dilation": kw.get("dilation", 1),
              "groups": kw.get("groups", 1), "output_padding": kw.get("output_padding", 0)}
    x, w, b, y = torch_case(name, x_shape, w_shape, bias, act=act, dtype=dtype, tol=tol,
                            call=lambda x, w, b: torch_convt(x, w, b, **kw), fields=fields)
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    src = f"{TORCH} {desc}torch.nn.ConvTranspose2d({w_shape[0]}, {w_shape[1] * kw.get('groups', 1)}, {tuple(w_shape[2:])}, {args}, bias={bias}, dtype={np.dtype(dtype).name})"
    as_list = lambda v: list(v) if isinstance(v, tuple) else v  # noqa: E731
    return single(name, src, "NCHW", x, w, "IOHW", b, y, tol=tol, stride=as_list(fields["stride"]),
                  padding=as_list(fields["padding"]), dilation=as_list(fields["dilation"]), groups=fields["groups"],
                  output_padding=as_list(fields["output_padding"]), activation=act_name)


@case
def torch_convt_explain():
    # The explain example: 3 -> 2 channels, 3x3, stride 2, padding 1, output_padding 1: 4x4 -> 8x8.
    return simple_torch("torch_convt_explain", "", (1, 3, 4, 4), (3, 2, 3, 3), stride=2, padding=1, output_padding=1)


@case
def torch_convt_classic():
    return simple_torch("torch_convt_classic", "", (1, 2, 5, 5), (2, 3, 3, 3))


@case
def torch_convt_stride_rect():
    return simple_torch("torch_convt_stride_rect", "", (1, 2, 4, 5), (2, 3, 2, 3), stride=(2, 3), padding=(1, 0),
                        output_padding=(1, 2))


@case
def torch_convt_dilation():
    return simple_torch("torch_convt_dilation", "", (1, 2, 4, 5), (2, 2, 3, 3), stride=(1, 2), padding=(2, 1),
                        dilation=(2, 1), output_padding=(1, 1))


@case
def torch_convt_groups2():
    return simple_torch("torch_convt_groups2", "", (1, 4, 4, 4), (4, 3, 3, 3), stride=2, padding=1,
                        output_padding=(1, 0), groups=2)


@case
def torch_convt_depthwise():
    return simple_torch("torch_convt_depthwise", "depthwise with channel multiplier 2: ", (2, 3, 3, 3), (3, 2, 3, 3),
                        bias=False, stride=2, groups=3)


@case
def torch_convt_batch_relu():
    return simple_torch("torch_convt_batch_relu", "torch.relu of ", (2, 3, 3, 4), (3, 4, 2, 3), stride=(2, 1),
                        act=torch.relu, act_name="relu")


@case
def torch_convt_sigmoid_float32():
    return simple_torch("torch_convt_sigmoid_float32", "torch.sigmoid of ", (1, 2, 4, 4), (2, 2, 4, 4), stride=2,
                        padding=1, act=torch.sigmoid, act_name="sigmoid", dtype=np.float32, tol=TOL32)


@case
def torch_convt_asym_crop():
    # PyTorch pads symmetrically only; an asymmetric crop is its full output, sliced: [top, bottom, left, right].
    name = "torch_convt_asym_crop"
    r = mg.rng_for(name)
    x, w, b = mg.normal(r, (1, 2, 4, 4)), mg.normal(r, (2, 3, 3, 3)), mg.normal(r, (3,))
    full = F.conv_transpose2d(mg.t(x), mg.t(w), mg.t(b), stride=2)  # 9x9
    y = full[:, :, 0:9 - 2, 1:9 - 0].numpy()
    src = f"{TORCH} F.conv_transpose2d(x, w, b, stride=2)[:, :, 0:7, 1:9] (the full 9x9 output cropped 0 top, 2 bottom, 1 left, 0 right)"
    return single(name, src, "NCHW", x, w, "IOHW", b, y, stride=2, padding=[0, 2, 1, 0])


@case
def torch_convt_two_layers():
    # An autoencoder's two halves: conv2d down (stride 2) + relu, then conv_transpose2d back up to the input size.
    name = "torch_convt_two_layers"
    r = mg.rng_for(name)
    x = mg.normal(r, (1, 3, 8, 8))
    w1, b1 = mg.normal(r, (4, 3, 3, 3)), mg.normal(r, (4,))
    w2, b2 = mg.normal(r, (4, 3, 3, 3)), mg.normal(r, (3,))
    down = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1, dtype=torch.float64)
    up = torch.nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1, dtype=torch.float64)
    with torch.no_grad():
        down.weight.copy_(mg.t(w1)); down.bias.copy_(mg.t(b1))
        up.weight.copy_(mg.t(w2)); up.bias.copy_(mg.t(b2))
        y1 = torch.relu(down(mg.t(x)))
        y2 = up(y1)
    arrays = {"input.npy": x, "weights-1.npy": w1, "bias-1.npy": b1, "expected-1.npy": y1.numpy(),
              "weights-2.npy": w2, "bias-2.npy": b2, "expected-2.npy": y2.numpy()}
    conv = {"op": "conv2d", "weights": "weights-1.npy", "weightsLayout": "OIHW", "bias": "bias-1.npy", "stride": 2,
            "padding": 1, "activation": "relu", "expected": "expected-1.npy", "tolerance": TOL64}
    spec = {"input": "input.npy", "layout": "NCHW",
            "layers": [conv, layer_spec("weights-2.npy", "IOHW", "bias-2.npy", stride=2, padding=1, output_padding=1,
                                        expected="expected-2.npy")]}
    src = (f"{TORCH} nn.Sequential(nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.ReLU(), "
           "nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1)), float64")
    return mg.Case(name, src, arrays, spec)


# --------------------------------------------------------------------------
# TensorFlow / Keras (NHWC / HWOI)
# --------------------------------------------------------------------------

def tf_convt(name, x_shape, k_shape, out_hw, strides, padding, bias=True, act=None, act_name="none"):
    """tf.nn.conv2d_transpose with filters [kH, kW, out, in] (HWOI) and output_shape [N, OH, OW, out]."""
    r = mg.rng_for(name)
    x, k = mg.normal(r, x_shape), mg.normal(r, k_shape)
    b = mg.normal(r, (k_shape[2],)) if bias else None
    out_shape = [x_shape[0], out_hw[0], out_hw[1], k_shape[2]]
    y = tf.nn.conv2d_transpose(x, k, output_shape=out_shape, strides=[1, strides[0], strides[1], 1], padding=padding)
    call = f"tf.nn.conv2d_transpose(x, filters{list(k_shape)}, output_shape={out_shape}, strides={list(strides)}, padding='{padding}')"
    if b is not None:
        y = tf.nn.bias_add(y, b)
        call = f"tf.nn.bias_add({call}, b)"
    if act is not None:
        y = act(y)
        call = f"tf.nn.{act_name}({call})"
    return x, k, b, y.numpy(), f"{TF} {call}"


@case
def tf_convt_same_stride2():
    name = "tf_convt_same_stride2"
    x, k, b, y, src = tf_convt(name, (1, 4, 4, 3), (3, 3, 2, 3), (8, 8), (2, 2), "SAME")
    # full 9 rows, output 8: total crop 1, 0 at the top and 1 at the bottom
    return single(name, src, "NHWC", x, k, "HWOI", b, y, stride=2, padding="same")


@case
def tf_convt_same_outshape_odd():
    name = "tf_convt_same_outshape_odd"
    x, k, b, y, src = tf_convt(name, (1, 4, 5, 2), (4, 3, 3, 2), (7, 9), (2, 2), "SAME", act=tf.nn.relu, act_name="relu")
    # H: full (4-1)*2 + 4 = 10, output 7: crop 3 = 1 top + 2 bottom; W: full 11, output 9: crop 2 = 1 + 1
    return single(name, src, "NHWC", x, k, "HWOI", b, y, stride=2, padding="same", output_shape=[7, 9], activation="relu")


@case
def tf_convt_valid_outshape_extra():
    name = "tf_convt_valid_outshape_extra"
    x, k, b, y, src = tf_convt(name, (2, 3, 3, 2), (3, 3, 2, 2), (8, 7), (2, 2), "VALID")
    # H: full 7, output 8: one zero row (bias only) at the bottom; W: full 7 = output
    return single(name, src, "NHWC", x, k, "HWOI", b, y, stride=2, padding="valid", output_shape=[8, 7])


def keras_convt(name, x_shape, filters, kernel, strides, padding, output_padding):
    r = mg.rng_for(name)
    x = mg.normal(r, x_shape)
    k = mg.normal(r, (kernel, kernel, filters, x_shape[3]))
    b = mg.normal(r, (filters,))
    layer = keras.layers.Conv2DTranspose(filters=filters, kernel_size=kernel, strides=strides, padding=padding,
                                         output_padding=output_padding, dtype="float64")
    layer.build(x_shape)
    layer.set_weights([k, b])
    y = np.asarray(layer(x))
    kernel_back = np.asarray(layer.kernel)
    assert np.array_equal(kernel_back, k), "Keras kept the kernel as given ([kH, kW, filters, in])"
    src = (f"{KERAS} keras.layers.Conv2DTranspose(filters={filters}, kernel_size={kernel}, strides={strides}, "
           f"padding='{padding}', output_padding={output_padding}, dtype='float64')")
    return x, k, b, y, src


@case
def keras_convt_valid_outpad():
    name = "keras_convt_valid_outpad"
    x, k, b, y, src = keras_convt(name, (1, 4, 4, 3), 2, 3, 2, "valid", 1)
    # (4-1)*2 + 3 + 1 = 10
    return single(name, src, "NHWC", x, k, "HWOI", b, y, stride=2, padding="valid", output_padding=1)


@case
def keras_convt_same_outpad():
    name = "keras_convt_same_outpad"
    x, k, b, y, src = keras_convt(name, (1, 4, 4, 3), 2, 4, 2, "same", 1)
    # Keras sizes 'same' with output_padding as (4-1)*2 + 4 - 2*(4//2) + 1 = 7 and lets TF's SAME crop to that
    # output shape: in convlab terms padding same with outputShape [7, 7] (and no outputPadding).
    assert y.shape[1:3] == (7, 7), y.shape
    return single(name, src + "; written as padding same with outputShape [7, 7]", "NHWC", x, k, "HWOI", b, y,
                  stride=2, padding="same", output_shape=[7, 7])


# --------------------------------------------------------------------------
# ONNX conformance cases (NCHW / IOHW), checked with onnxruntime
# --------------------------------------------------------------------------

def onnx_exports():
    """The 2D ConvTranspose node tests of the onnx wheel: name -> (node, inputs, outputs)."""
    found = {}

    def capture(node, inputs, outputs, name, **_):
        found[name] = (node, inputs, outputs)

    original = onnx_cases.expect
    onnx_cases.expect = capture
    try:
        for attr in dir(onnx_cases.ConvTranspose):
            if attr.startswith("export") and attr not in ("export_convtranspose_1d", "export_convtranspose_3d"):
                getattr(onnx_cases.ConvTranspose, attr)()
    finally:
        onnx_cases.expect = original
    return {n: v for n, v in found.items() if v[1][0].ndim == 4}


def onnxruntime_run(node, inputs):
    names = list(node.input)
    graph = onnx.helper.make_graph(
        [node], "g",
        [onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, a.shape) for n, a in zip(names, inputs)],
        [onnx.helper.make_tensor_value_info(node.output[0], onnx.TensorProto.FLOAT, None)])
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17)])
    model.ir_version = 8
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    return sess.run(None, dict(zip(names, inputs)))[0]


def onnx_case(name, node, inputs, outputs):
    a = {att.name: onnx.helper.get_attribute_value(att) for att in node.attribute}
    x, w = inputs[0], inputs[1]
    b = inputs[2] if len(inputs) > 2 else None
    y = outputs[0]
    got = onnxruntime_run(node, inputs)
    assert got.shape == y.shape and np.allclose(got, y, atol=1e-5, rtol=1e-4), f"{name}: onnxruntime disagrees with the ONNX case"
    auto_pad = a.get("auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    pads = a.get("pads", [0, 0, 0, 0])
    padding = {"SAME_UPPER": "same", "SAME_LOWER": "same_lower", "VALID": "valid"}.get(
        auto_pad, [pads[0], pads[2], pads[1], pads[3]])  # ONNX [top, left, bottom, right] -> [top, bottom, left, right]
    kw = {"stride": list(a.get("strides", [1, 1])), "dilation": list(a.get("dilations", [1, 1])), "groups": a.get("group", 1),
          "padding": padding, "output_padding": list(a.get("output_padding", [0, 0]))}
    if "output_shape" in a:
        kw["output_shape"] = list(a["output_shape"])
    attrs = ", ".join(f"{k}={v.decode() if isinstance(v, bytes) else v}" for k, v in a.items())
    src = f"{ONNX} (max |onnxruntime - ONNX| = {float(np.abs(got - y).max()):.1e}): {name}, ConvTranspose({attrs})"
    return single(name.replace("test_", "onnx_"), src, "NCHW", x, w, "IOHW", b, y, tol=TOL32, **kw)


def onnx_case_fn(name):
    def fn():
        node, inputs, outputs = onnx_exports()[name]
        return onnx_case(name, node, inputs, outputs)
    fn.__name__ = name.replace("test_", "onnx_")
    return fn


for _name in sorted(onnx_exports()):
    CASES.append(onnx_case_fn(_name))


# --------------------------------------------------------------------------
# the discrepancy case (data/discrepancies)
# --------------------------------------------------------------------------

def nd4j_deconv_same_negative_crop():
    # SAME with a stride longer than the kernel's span: full width (6-1)*4 + 2 = 22, output 6*4 = 24: crop -2, two
    # zero columns (bias only) at the right. ND4J's deconv2d SAME mode crops (22-24)/2 = -1 instead.
    name = "nd4j-deconv-same-negative-crop"
    x, k, b, y, src = tf_convt(name, (1, 3, 6, 2), (2, 2, 3, 2), (3, 24), (1, 4), "SAME")
    c = single(name, src, "NHWC", x, k, "HWOI", b, y, stride=[1, 4], padding="same")
    c.out_dir = DISCREPANCIES
    return c


nd4j_deconv_same_negative_crop.__name__ = "nd4j-deconv-same-negative-crop"
CASES.append(nd4j_deconv_same_negative_crop)


# --------------------------------------------------------------------------
# writing, and the independent check
# --------------------------------------------------------------------------

def write_case(c):
    d = getattr(c, "out_dir", OUT_DIR) / c.name
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


def crops(full, op, size_in, s, padding, given, first_index):
    """(first, last, out) crops of one axis, per the contract (negative last: zeros appended)."""
    if isinstance(padding, str) and padding in ("same", "same_lower") or given is not None:
        out = given if given is not None else size_in * s
        total = full + op - out
        if total < 0:
            return 0, total, out
        if padding == "same":
            return total // 2, total - total // 2, out
        if padding == "same_lower":
            return total - total // 2, total // 2, out
        return total - total // 2, total // 2, out
    top, bottom, left, right = mg.resolve_padding(padding, 0, 0, 1, 1, 1, 1, 1, 1)
    first, last = (top, bottom) if first_index == 0 else (left, right)
    return first, last, full + op - first - last


def reference_conv_transpose(x, w, b, layer):
    """Naive scatter. x: NCHW float64, w: IOHW [C, O/groups, KH, KW] float64."""
    sh, sw = mg.pair(layer.get("stride", 1), "stride")
    dh, dw = mg.pair(layer.get("dilation", 1), "dilation")
    oph, opw = mg.pair(layer.get("outputPadding", 0), "outputPadding")
    groups = layer.get("groups", 1)
    padding = layer.get("padding", "valid")
    given = layer.get("outputShape")
    N, C, H, W = x.shape
    Cw, Og, KH, KW = w.shape
    assert Cw == C and C % groups == 0, (x.shape, w.shape, groups)
    Cg, O = C // groups, Og * groups
    FH, FW = (H - 1) * sh + (KH - 1) * dh + 1, (W - 1) * sw + (KW - 1) * dw + 1
    top, _, OH = crops(FH, oph, H, sh, padding, given[0] if given else None, 0)
    left, _, OW = crops(FW, opw, W, sw, padding, given[1] if given else None, 1)
    out = np.zeros((N, O, OH, OW))
    for n in range(N):
        for c in range(C):
            g = c // Cg
            for ih in range(H):
                for iw in range(W):
                    for oc in range(Og):
                        for kh in range(KH):
                            for kw in range(KW):
                                r, q = ih * sh + kh * dh - top, iw * sw + kw * dw - left
                                if 0 <= r < OH and 0 <= q < OW:
                                    out[n, g * Og + oc, r, q] += float(x[n, c, ih, iw]) * float(w[c, oc, kh, kw])
    if b is not None:
        out += np.asarray(b, dtype=np.float64).reshape(1, O, 1, 1)
    act = layer.get("activation", "none")
    return np.vectorize(lambda v: mg.activate(v, act), otypes=[np.float64])(out) if act != "none" else out


def verify_case_dir(d):
    doc = json.loads((d / "case.json").read_text(encoding="utf-8"))
    assert doc["name"] == d.name, (doc["name"], d.name)
    layout = doc.get("layout", "NCHW")
    x = mg.load(d, doc["input"])
    dtype = x.dtype
    cur = (x.transpose(0, 3, 1, 2) if layout == "NHWC" else x).astype(np.float64)
    layers = doc["layers"] if "layers" in doc else [doc]
    worst, shapes = 0.0, []
    for i, layer in enumerate(layers):
        w = mg.load(d, layer["weights"])
        b = mg.load(d, layer["bias"]).astype(np.float64) if "bias" in layer else None
        if layer.get("op", "conv2d") == "conv_transpose2d":
            if layer.get("weightsLayout", "IOHW") == "HWOI":
                w = w.transpose(3, 2, 0, 1)
            cur = reference_conv_transpose(cur, w.astype(np.float64), b, layer)
        else:
            if layer.get("weightsLayout", "OIHW") == "HWIO":
                w = w.transpose(3, 2, 0, 1)
            cur = mg.reference_conv(cur, w.astype(np.float64), b, layer)
        exp = mg.load(d, layer["expected"])
        assert exp.dtype == dtype, f"{d.name}: expected dtype {exp.dtype} != input {dtype}"
        exp = exp.transpose(0, 3, 1, 2) if layout == "NHWC" else exp
        tol = TOL64 if dtype == np.float64 else layer.get("tolerance", TOL32)
        wv, _ = mg.compare(f"{d.name} layer {i + 1}", cur, exp, tol)
        worst = max(worst, wv)
        shapes.append(exp.shape)
    return doc, dtype, worst, shapes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", help="only these case names (default: all)")
    ap.add_argument("--verify", action="store_true", help="do not regenerate; only verify the files on disk")
    args = ap.parse_args()
    known = {fn.__name__: fn for fn in CASES}
    names = args.cases or list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"unknown case(s): {unknown}; known: {sorted(known)}")
    print(f"torch {torch.__version__}, tensorflow {tf.__version__}, keras {keras.__version__}, onnx {onnx.__version__}, "
          f"onnxruntime {ort.__version__}, numpy {np.__version__}")
    t0 = time.perf_counter()
    for n in names:
        if args.verify:
            d = (DISCREPANCIES if n.startswith("nd4j-") else OUT_DIR) / n
        else:
            c = known[n]()
            assert c.name == n, (c.name, n)
            d = write_case(c)
        doc, dtype, worst, shapes = verify_case_dir(d)
        print(f"OK {n:<36} {doc.get('layout', 'NCHW')} {str(dtype):<8} "
              f"out={'/'.join('x'.join(map(str, s)) for s in shapes):<18} max|ref-fw|={worst:.2e}")
    print(f"{len(names)} case(s) {'verified' if args.verify else 'written and verified'} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
