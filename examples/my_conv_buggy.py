#!/usr/bin/env python3
"""my_conv.py with the classic SAME-padding bug: an odd total padding puts its extra row on top (TensorFlow, Keras,
ONNX SAME_UPPER and PyTorch put it at the bottom). convlab's probe names the side:

  ./convlab verify data/golden --engine-command buggy='python3 examples/my_conv_buggy.py' --engines none
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import my_conv  # noqa: E402


def conv2d_extra_row_on_top(x, w, b, layer):
    top, bottom, left, right = layer["padding"]
    if (top + bottom) % 2 == 1:
        top, bottom = max(top, bottom), min(top, bottom)
    return my_conv.conv2d(x, w, b, dict(layer, padding=[top, bottom, left, right]))


if __name__ == "__main__":
    my_conv.main(sys.argv[1], conv2d_extra_row_on_top)
