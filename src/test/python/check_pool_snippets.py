"""Runs the PyTorch and Keras code that `convlab explain --op max_pool2d|avg_pool2d` prints on fixed data and compares it
with PyTorch's own MaxPool2d/AvgPool2d (ceil mode, count_include_pad, dilation, activation). Needs the jar (./convlab)
and a Python with torch and tensorflow:  /work/pyenv/bin/python src/test/python/check_pool_snippets.py"""
import re, subprocess, sys, numpy as np, torch
def snippets(args):
    out = subprocess.run(["./convlab", "explain"] + args, capture_output=True, text=True, cwd=str(__import__("pathlib").Path(__file__).resolve().parents[3])).stdout
    blocks, cur, name = {}, None, None
    for line in out.split("\n"):
        m = re.match(r"^(PyTorch|TensorFlow / Keras|DL4J) \(", line)
        if m: name = m.group(1); blocks[name] = []; continue
        if name and line.startswith("    "): blocks[name].append(line[4:])
        elif name and line == "": blocks[name].append("")
    return {k: "\n".join(v) for k, v in blocks.items()}
def run(code, x, nhwc):
    code = re.sub(r"^x = .*$", "x = X", code, count=1, flags=re.M)
    env = {"X": x.transpose(0, 2, 3, 1).copy() if nhwc else torch.from_numpy(x)}
    exec(code.replace("print(", "_ = ("), env)
    y = env["y"]; y = y.numpy() if hasattr(y, "numpy") else np.asarray(y)
    return y.transpose(0, 3, 1, 2) if nhwc else y
cases = [
 (["--op","avg_pool2d","--input","2x7x8","--kernel","3","--stride","2","--padding","1","--ceil-mode","--no-count-include-pad"], lambda x: torch.nn.AvgPool2d(3,2,1,ceil_mode=True,count_include_pad=False)(x)),
 (["--op","avg_pool2d","--input","2x7x8","--kernel","3","--stride","2","--padding","1","--ceil-mode"], lambda x: torch.nn.AvgPool2d(3,2,1,ceil_mode=True)(x)),
 (["--op","max_pool2d","--input","2x7x8","--kernel","3","--stride","2","--padding","1","--ceil-mode"], lambda x: torch.nn.MaxPool2d(3,2,1,ceil_mode=True)(x)),
 (["--op","max_pool2d","--input","2x8x9","--kernel","2x3","--stride","1x2","--padding","1","--dilation","2"], lambda x: torch.nn.MaxPool2d((2,3),(1,2),1,dilation=2)(x)),
 (["--op","avg_pool2d","--input","2x8x9","--kernel","3","--stride","2","--padding","1"], lambda x: torch.nn.AvgPool2d(3,2,1)(x)),
 (["--op","max_pool2d","--input","2x8x9","--kernel","2","--stride","2","--activation","relu"], lambda x: torch.relu(torch.nn.MaxPool2d(2)(x))),
]
rng = np.random.default_rng(1)
for args, ref in cases:
    x = rng.standard_normal((1, int(args[3].split("x")[0]), int(args[3].split("x")[1]), int(args[3].split("x")[2]))).astype(np.float32)
    want = ref(torch.from_numpy(x)).numpy()
    s = snippets(args)
    for fw, nhwc in (("PyTorch", False), ("TensorFlow / Keras", True)):
        got = run(s[fw], x, nhwc)
        print(fw, " ".join(args), "shape ok" if got.shape == want.shape else f"SHAPE {got.shape} vs {want.shape}",
              f"max diff {np.abs(got - want).max():.2e}" if got.shape == want.shape else "")
