#!/usr/bin/env python3
"""Generate the golden gradient cases in data/golden/grad_*/ (conv2d, conv_transpose2d, max and average pooling).

Each case gives an upstream gradient `gradOutput` (dL/dy of the last layer's
activated output, in the input's layout) and, per layer, the gradients a real
framework computed from it: PyTorch autograd (`y.backward(dy)`) or TensorFlow
`tf.GradientTape` (of `reduce_sum(y * dy)`). The forward `expected` outputs are
the framework's too, so the cases are ordinary golden cases as well.

After writing a case the script reads it back from disk (make_golden.py's
self-check for the forward outputs) and checks every gradient file against
central finite differences of make_golden.py's independent numpy loop
convolution, in float64, to 1e-6 (abs + rel).

Usage (from the repository root):

    target/pyenv/bin/python data/golden/make_golden_grad.py            # regenerate all + verify
    target/pyenv/bin/python data/golden/make_golden_grad.py --verify   # only verify files on disk
    target/pyenv/bin/python data/golden/make_golden_grad.py CASE ...   # only some cases

Versions: data/golden/requirements.txt (the same environment as make_golden.py).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_golden as mg  # noqa: E402  (sets the thread and oneDNN environment before torch/TF are used)
import make_golden_pool as mgp  # noqa: E402  (its independent pooling loop, for the self-check)
import make_golden_transpose as mgt  # noqa: E402  (its independent transposed-convolution loop, for the self-check)
from make_golden import TOL64, TORCH, TF, Case, normal, rng_for, t  # noqa: E402

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

GOLDEN_DIR = mg.GOLDEN_DIR
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def leaf(a):
    return t(a).clone().requires_grad_(True)


def torch_grad_case(name, source, r, x, w, b, run, **spec):
    """One torch layer: `run(x, w, b)` is the framework call; autograd gives dL/dx, dL/dw, dL/db for L = sum(y*dy),
    with dy drawn from `r` in the output's shape."""
    xt, wt = leaf(x), leaf(w)
    bt = leaf(b) if b is not None else None
    y = run(xt, wt, bt)
    dy = normal(r, tuple(y.shape))
    y.backward(t(dy))
    arrays = {"input.npy": x, "weights.npy": w, "expected.npy": y.detach().numpy(), "gradOutput.npy": dy,
              "expectedGradInput.npy": xt.grad.numpy(), "expectedGradWeights.npy": wt.grad.numpy()}
    doc = {"input": "input.npy", "layout": "NCHW", "weights": "weights.npy", "weightsLayout": "OIHW"}
    if b is not None:
        arrays["bias.npy"] = b
        arrays["expectedGradBias.npy"] = bt.grad.numpy()
        doc["bias"] = "bias.npy"
    doc.update(spec)
    doc.update({"expected": "expected.npy", "gradOutput": "gradOutput.npy",
                "expectedGradInput": "expectedGradInput.npy", "expectedGradWeights": "expectedGradWeights.npy"})
    if b is not None:
        doc["expectedGradBias"] = "expectedGradBias.npy"
    doc["tolerance"] = TOL64
    return Case(name, source, arrays, doc)


def activation_fn(name):
    return {"none": lambda v: v, "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[name]


@case
def grad_torch_stride_dilation():
    name = "grad_torch_stride_dilation"
    r = rng_for(name)
    x, w, b = normal(r, (2, 2, 7, 9)), normal(r, (3, 2, 3, 2)), normal(r, (3,))
    src = (f"{TORCH} autograd: y = torch.tanh(F.conv2d(x, w, b, stride=(2,1), padding=(1,2), dilation=(1,2))); "
           "y.backward(gradOutput); expectedGrad* = x.grad, w.grad, b.grad")
    run = lambda x_, w_, b_: torch.tanh(F.conv2d(x_, w_, b_, stride=(2, 1), padding=(1, 2), dilation=(1, 2)))
    return torch_grad_case(name, src, r, x, w, b, run, stride=[2, 1], padding=[1, 2], dilation=[1, 2],
                           activation="tanh")


@case
def grad_torch_groups():
    name = "grad_torch_groups"
    r = rng_for(name)
    x, w, b = normal(r, (1, 4, 7, 6)), normal(r, (6, 2, 3, 3)), normal(r, (6,))
    src = (f"{TORCH} autograd: y = torch.sigmoid(F.conv2d(x, w, b, stride=2, padding=1, groups=2)); "
           "y.backward(gradOutput)")
    run = lambda x_, w_, b_: torch.sigmoid(F.conv2d(x_, w_, b_, stride=2, padding=1, groups=2))
    return torch_grad_case(name, src, r, x, w, b, run, stride=2, padding=1, groups=2, activation="sigmoid")


@case
def grad_torch_depthwise_same():
    name = "grad_torch_depthwise_same"
    r = rng_for(name)
    x, w = normal(r, (2, 3, 6, 5)), normal(r, (6, 1, 3, 3))
    src = (f"{TORCH} autograd: y = torch.relu(F.conv2d(x, w, None, padding='same', groups=3)); "
           "depthwise with channel multiplier 2, no bias; y.backward(gradOutput)")
    run = lambda x_, w_, b_: torch.relu(F.conv2d(x_, w_, None, padding="same", groups=3))
    return torch_grad_case(name, src, r, x, w, None, run, padding="same", groups=3, activation="relu")


@case
def grad_torch_asym_pad():
    name = "grad_torch_asym_pad"
    r = rng_for(name)
    x, w, b = normal(r, (1, 2, 6, 7)), normal(r, (3, 2, 3, 3)), normal(r, (3,))
    src = (f"{TORCH} autograd: y = F.conv2d(F.pad(x, (1, 0, 0, 2)), w, b); padding [top, bottom, left, right] = "
           "[0, 2, 1, 0]; y.backward(gradOutput)")
    run = lambda x_, w_, b_: F.conv2d(F.pad(x_, (1, 0, 0, 2)), w_, b_)
    return torch_grad_case(name, src, r, x, w, b, run, padding=[0, 2, 1, 0])


def padding_mode_grad_case(name, mode, x_shape, stride, padding, activation):
    r = rng_for(name)
    x, w, b = normal(r, x_shape), normal(r, (3, x_shape[1], 3, 3)), normal(r, (3,))

    def run(x_, w_, b_):
        conv = torch.nn.Conv2d(x_shape[1], 3, 3, stride=stride, padding=tuple(padding), padding_mode=mode,
                               dtype=torch.float64)
        conv.weight = torch.nn.Parameter(w_)
        conv.bias = torch.nn.Parameter(b_)
        return activation_fn(activation)(conv(x_))

    src = (f"{TORCH} autograd: y = {activation}(torch.nn.Conv2d({x_shape[1]}, 3, 3, stride={stride}, "
           f"padding={tuple(padding)}, padding_mode='{mode}')(x)) with weight and bias set to w, b as leaves; "
           "y.backward(gradOutput)")

    def through_leaves(x_, w_, b_):
        # nn.Parameter(w_) would detach from the leaf: run the module's own padding + conv on the leaves instead
        pad = (padding[1], padding[1], padding[0], padding[0])
        return activation_fn(activation)(F.conv2d(F.pad(x_, pad, mode=mode), w_, b_, stride=stride))

    with torch.no_grad():
        assert torch.equal(run(t(x), t(w), t(b)), through_leaves(t(x), t(w), t(b))), name
    src += "; computed as F.conv2d(F.pad(x, mode), w, b), which equals the module's output bit for bit"
    return torch_grad_case(name, src, r, x, w, b, through_leaves, stride=stride, padding=padding,
                           paddingMode=mode, activation=activation)


@case
def grad_torch_reflect():
    return padding_mode_grad_case("grad_torch_reflect", "reflect", (1, 2, 6, 7), 1, [1, 2], "none")


@case
def grad_torch_replicate():
    return padding_mode_grad_case("grad_torch_replicate", "replicate", (2, 2, 5, 6), 1, [2, 2], "tanh")


@case
def grad_torch_circular():
    return padding_mode_grad_case("grad_torch_circular", "circular", (1, 2, 7, 8), 2, [1, 2], "relu")


@case
def grad_torch_two_layers():
    name = "grad_torch_two_layers"
    r = rng_for(name)
    x = normal(r, (1, 3, 8, 8))
    w1, b1 = normal(r, (2, 3, 3, 3)), normal(r, (2,))
    w2, b2 = normal(r, (2, 2, 3, 3)), normal(r, (2,))
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3, dtype=torch.float64), torch.nn.ReLU(),
                              torch.nn.Conv2d(2, 2, 3, dtype=torch.float64))
    with torch.no_grad():
        net[0].weight.copy_(t(w1)); net[0].bias.copy_(t(b1))
        net[2].weight.copy_(t(w2)); net[2].bias.copy_(t(b2))
    xt = leaf(x)
    y1 = net[1](net[0](xt))
    y1.retain_grad()
    y2 = net[2](y1)
    dy = normal(r, tuple(y2.shape))
    y2.backward(t(dy))
    src = (f"{TORCH} autograd: torch.nn.Sequential(Conv2d(3,2,3), ReLU(), Conv2d(2,2,3)), float64; "
           "y.backward(gradOutput); layer 1's expectedGradInput = x.grad, layer 2's = the retained grad of "
           "layer 1's output; weight and bias gradients from each module's .grad")
    arrays = {"input.npy": x, "gradOutput.npy": dy,
              "layer1_weights.npy": w1, "layer1_bias.npy": b1, "layer1_expected.npy": y1.detach().numpy(),
              "layer1_expectedGradInput.npy": xt.grad.numpy(),
              "layer1_expectedGradWeights.npy": net[0].weight.grad.numpy(),
              "layer1_expectedGradBias.npy": net[0].bias.grad.numpy(),
              "layer2_weights.npy": w2, "layer2_bias.npy": b2, "layer2_expected.npy": y2.detach().numpy(),
              "layer2_expectedGradInput.npy": y1.grad.numpy(),
              "layer2_expectedGradWeights.npy": net[2].weight.grad.numpy(),
              "layer2_expectedGradBias.npy": net[2].bias.grad.numpy()}
    layers = []
    for k, act in ((1, "relu"), (2, "none")):
        layers.append({"weights": f"layer{k}_weights.npy", "weightsLayout": "OIHW", "bias": f"layer{k}_bias.npy",
                       "padding": 0, "activation": act, "expected": f"layer{k}_expected.npy",
                       "expectedGradInput": f"layer{k}_expectedGradInput.npy",
                       "expectedGradWeights": f"layer{k}_expectedGradWeights.npy",
                       "expectedGradBias": f"layer{k}_expectedGradBias.npy", "tolerance": TOL64})
    doc = {"input": "input.npy", "layout": "NCHW", "gradOutput": "gradOutput.npy", "layers": layers}
    return Case(name, src, arrays, doc)


@case
def grad_tf_same_stride2():
    name = "grad_tf_same_stride2"
    r = rng_for(name)
    x, k, b = normal(r, (1, 7, 8, 3)), normal(r, (3, 3, 3, 4)), normal(r, (4,))
    xv, kv, bv = tf.Variable(x), tf.Variable(k), tf.Variable(b)
    dy = normal(r, tuple(tf.nn.conv2d(xv, kv, strides=2, padding="SAME").shape))
    with tf.GradientTape() as tape:
        y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(xv, kv, strides=2, padding="SAME"), bv))
        loss = tf.reduce_sum(y * tf.constant(dy))
    gx, gk, gb = tape.gradient(loss, [xv, kv, bv])
    src = (f"{TF} tf.GradientTape: y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k, strides=2, padding='SAME'), b)), "
           "loss = reduce_sum(y * gradOutput); expectedGrad* = tape.gradient(loss, [x, k, b]); NHWC/HWIO")
    arrays = {"input.npy": x, "weights.npy": k, "bias.npy": b, "expected.npy": y.numpy(), "gradOutput.npy": dy,
              "expectedGradInput.npy": gx.numpy(), "expectedGradWeights.npy": gk.numpy(),
              "expectedGradBias.npy": gb.numpy()}
    doc = {"input": "input.npy", "layout": "NHWC", "weights": "weights.npy", "weightsLayout": "HWIO",
           "bias": "bias.npy", "stride": 2, "padding": "same", "activation": "relu", "expected": "expected.npy",
           "gradOutput": "gradOutput.npy", "expectedGradInput": "expectedGradInput.npy",
           "expectedGradWeights": "expectedGradWeights.npy", "expectedGradBias": "expectedGradBias.npy",
           "tolerance": TOL64}
    return Case(name, src, arrays, doc)


# --------------------------------------------------------------------------
# conv_transpose2d and pooling: the ops whose gradients convlab reads off the taps
# --------------------------------------------------------------------------

def grad_doc(doc, arrays, x, dy, gx, extra_grads):
    """The gradient fields common to the single-layer cases below."""
    arrays.update({"input.npy": x, "gradOutput.npy": dy, "expectedGradInput.npy": gx})
    doc.update({"gradOutput": "gradOutput.npy", "expectedGradInput": "expectedGradInput.npy"})
    for field, a in extra_grads.items():
        arrays[f"{field}.npy"] = a
        doc[field] = f"{field}.npy"
    doc["tolerance"] = TOL64
    return doc


def torch_convt_grad_case(name, x_shape, w_shape, groups, act, **kw):
    """F.conv_transpose2d with IOHW weights [in, out/groups, kH, kW] and a bias; kw are its stride, padding,
    output_padding and dilation (ints or (h, w) pairs), which become the case's fields of the same meaning."""
    r = rng_for(name)
    x, w, b = normal(r, x_shape), normal(r, w_shape), normal(r, (w_shape[1] * groups,))
    xt, wt, bt = leaf(x), leaf(w), leaf(b)
    y = activation_fn(act)(F.conv_transpose2d(xt, wt, bt, groups=groups, **kw))
    dy = normal(r, tuple(y.shape))
    y.backward(t(dy))
    args = "".join(f", {k}={v}" for k, v in kw.items())
    src = (f"{TORCH} autograd: y = {act}(F.conv_transpose2d(x, w, b{args}, groups={groups})), weights IOHW "
           "[in, out/groups, kH, kW]; y.backward(gradOutput); expectedGrad* = x.grad, w.grad, b.grad")
    arrays = {"weights.npy": w, "bias.npy": b, "expected.npy": y.detach().numpy()}
    field = lambda v: list(v) if isinstance(v, tuple) else v  # noqa: E731
    doc = {"input": "input.npy", "layout": "NCHW", "op": "conv_transpose2d", "weights": "weights.npy",
           "weightsLayout": "IOHW", "bias": "bias.npy", "stride": field(kw.get("stride", 1)),
           "padding": field(kw.get("padding", 0)), "outputPadding": field(kw.get("output_padding", 0)),
           "groups": groups, "dilation": field(kw.get("dilation", 1)), "activation": act, "expected": "expected.npy"}
    doc = grad_doc(doc, arrays, x, dy, xt.grad.numpy(),
                   {"expectedGradWeights": wt.grad.numpy(), "expectedGradBias": bt.grad.numpy()})
    return Case(name, src, arrays, doc)


@case
def grad_torch_convt():
    return torch_convt_grad_case("grad_torch_convt", (2, 4, 4, 3), (4, 3, 3, 2), 2, "tanh", stride=(2, 1),
                                 padding=(1, 0), output_padding=(1, 0), dilation=(1, 2))


@case
def grad_torch_convt_stride2():
    return torch_convt_grad_case("grad_torch_convt_stride2", (1, 3, 4, 4), (3, 2, 3, 3), 1, "relu", stride=2,
                                 padding=1)


def torch_pool_grad_case(name, x, op, module, source_call, fields):
    xt = leaf(x)
    y = module(xt)
    dy = normal(rng_for(name + "/dy"), tuple(y.shape))
    y.backward(t(dy))
    src = f"{TORCH} autograd: y = torch.nn.{source_call}(x), float64; y.backward(gradOutput); expectedGradInput = x.grad"
    arrays = {"expected.npy": y.detach().numpy()}
    doc = {"input": "input.npy", "layout": "NCHW", "op": op}
    doc.update(fields)
    doc.update({"activation": "none", "expected": "expected.npy"})
    return Case(name, src, arrays, grad_doc(doc, arrays, x, dy, xt.grad.numpy(), {}))


@case
def grad_torch_maxpool():
    name = "grad_torch_maxpool"
    x = normal(rng_for(name), (2, 2, 7, 6))
    return torch_pool_grad_case(name, x, "max_pool2d",
                                torch.nn.MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True),
                                "MaxPool2d(kernel_size=3, stride=2, padding=1, ceil_mode=True)",
                                {"kernel": 3, "stride": 2, "padding": 1, "ceilMode": True})


@case
def grad_torch_maxpool_ties():
    name = "grad_torch_maxpool_ties"
    # Small integers: most windows hold their maximum more than once. PyTorch sends each window's gradient to the
    # first maximum in row-major order of the window; finite differences are undefined at a tie, so the self-check
    # replays that rule with an independent loop instead.
    x = np.floor(rng_for(name).uniform(0, 3, size=(1, 2, 6, 6))).astype(np.float64)
    return torch_pool_grad_case(name, x, "max_pool2d", torch.nn.MaxPool2d(kernel_size=2, stride=1),
                                "MaxPool2d(kernel_size=2, stride=1)", {"kernel": 2, "stride": 1, "padding": 0})


@case
def grad_torch_avgpool():
    name = "grad_torch_avgpool"
    x = normal(rng_for(name), (1, 3, 7, 5))
    return torch_pool_grad_case(name, x, "avg_pool2d",
                                torch.nn.AvgPool2d(kernel_size=(3, 2), stride=(2, 1), padding=1, ceil_mode=True,
                                                   count_include_pad=False),
                                "AvgPool2d(kernel_size=(3, 2), stride=(2, 1), padding=1, ceil_mode=True, "
                                "count_include_pad=False)",
                                {"kernel": [3, 2], "stride": [2, 1], "padding": 1, "ceilMode": True,
                                 "countIncludePad": False})


# --------------------------------------------------------------------------
# self-check: finite differences of make_golden.py's independent numpy loop
# --------------------------------------------------------------------------

def layer_arrays(d, layer, layout_nhwc):
    if "weights" not in layer:  # pooling
        return None, None, False
    w = mg.load(d, layer["weights"]).astype(np.float64)
    hwio = layer.get("weightsLayout", "OIHW") == "HWIO"
    w = np.ascontiguousarray(w.transpose(3, 2, 0, 1) if hwio else w)
    b = mg.load(d, layer["bias"]).astype(np.float64) if "bias" in layer else None
    return w, b, hwio


def fd(f, v, h=1e-6):
    g = np.zeros_like(v)
    flat, out = v.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = f()
        flat[i] = keep - h
        down = f()
        flat[i] = keep
        out[i] = (up - down) / (2 * h)
    return g


def check_grad(what, got, want):
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs {want.shape}"
    diff = np.abs(got - want)
    assert np.all(diff <= 1e-6 + 1e-6 * np.abs(want)), f"{what}: max diff {diff.max():.3e}"
    return float(diff.max())


def verify_gradients(d):
    doc = json.loads((d / "case.json").read_text(encoding="utf-8"))
    nhwc = doc.get("layout", "NCHW") == "NHWC"
    to_nchw = (lambda a: a.transpose(0, 3, 1, 2)) if nhwc else (lambda a: a)
    x = to_nchw(mg.load(d, doc["input"])).astype(np.float64).copy()
    dy = to_nchw(mg.load(d, doc["gradOutput"])).astype(np.float64)
    specs = doc["layers"] if "layers" in doc else [doc]
    params = [layer_arrays(d, s, nhwc) for s in specs]

    def forward(cur, j):
        op = specs[j].get("op", doc.get("op", "conv2d"))
        if op == "conv_transpose2d":
            return mgt.reference_conv_transpose(cur, params[j][0], params[j][1], specs[j])
        if op in ("max_pool2d", "avg_pool2d"):
            return mgp.reference_pool(cur, dict(specs[j], op=op))
        return mg.reference_conv(cur, params[j][0], params[j][1], specs[j])

    def loss_from(k, xk):
        cur = xk
        for j in range(k, len(specs)):
            cur = forward(cur, j)
        return float(np.sum(cur * dy))

    inputs, cur = [], x
    for j, s in enumerate(specs):
        inputs.append(cur.copy())
        cur = forward(cur, j)
    worst = 0.0
    for k, s in enumerate(specs):
        w, b, hwio = params[k]
        xk = np.ascontiguousarray(inputs[k])
        if d.name == "grad_torch_maxpool_ties":
            worst = max(worst, check_grad(f"{d.name} dX (first maximum)", mg.load(d, s["expectedGradInput"]),
                                          first_max_grad(xk, dy, s)))
            continue
        want = fd(lambda: loss_from(k, xk), xk)
        worst = max(worst, check_grad(f"{d.name} layer {k + 1} dX", to_nchw(mg.load(d, s["expectedGradInput"])), want))
        if w is None:
            continue
        want = fd(lambda: loss_from(k, xk), w)
        got = mg.load(d, s["expectedGradWeights"])
        worst = max(worst, check_grad(f"{d.name} layer {k + 1} dW", got.transpose(3, 2, 0, 1) if hwio else got, want))
        if b is not None:
            want = fd(lambda: loss_from(k, xk), b)
            worst = max(worst, check_grad(f"{d.name} layer {k + 1} db", mg.load(d, s["expectedGradBias"]), want))
    return worst


def forward_check(d):
    """The forward outputs against the independent loop of the op's own golden script: (max |ref - fw|, shapes)."""
    op = json.loads((d / "case.json").read_text(encoding="utf-8")).get("op", "conv2d")
    if op == "conv_transpose2d":
        _, _, worst, shapes = mgt.verify_case_dir(d)
    elif op in ("max_pool2d", "avg_pool2d"):
        _, worst, _, shapes = mgp.verify_case_dir(d)
    else:
        _, _, worst, _, shapes = mg.verify_case_dir(d)
    return worst, shapes


def first_max_grad(x, dy, layer):
    """Max pooling's dX with PyTorch's rule, valid padding only: each window's dy goes to its first maximum (row-major)."""
    kh, kw = mg.pair(layer["kernel"], "kernel")
    sh, sw = mg.pair(layer.get("stride", layer["kernel"]), "stride")
    gx = np.zeros_like(x)
    N, C, OH, OW = dy.shape
    for n in range(N):
        for c in range(C):
            for oy in range(OH):
                for ox in range(OW):
                    cells = [(oy * sh + i, ox * sw + j) for i in range(kh) for j in range(kw)]
                    best = max(x[n, c, p, q] for p, q in cells)
                    p, q = next(cell for cell in cells if x[n, c, cell[0], cell[1]] == best)
                    gx[n, c, p, q] += dy[n, c, oy, ox]
    return gx


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
    print(f"torch {torch.__version__}, tensorflow {tf.__version__}, numpy {np.__version__}")
    t0 = time.perf_counter()
    for n in names:
        d = GOLDEN_DIR / n if args.verify else mg.write_case(known[n]())
        worst_fw, shapes = forward_check(d)
        worst_grad = verify_gradients(d)
        print(f"OK {n:<28} out={'/'.join('x'.join(map(str, s)) for s in shapes):<16} "
              f"max|ref-fw|={worst_fw:.2e} max|grad-fd|={worst_grad:.2e}")
    print(f"{len(names)} case(s) {'verified' if args.verify else 'written and verified'} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
