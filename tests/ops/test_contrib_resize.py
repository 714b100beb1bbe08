"""contrib.AdaptiveAvgPooling2D and contrib.BilinearResize2D against NumPy references.

Values from real MXNet 1.9.1 (outputs and gradients) are checked in tests/test_golden_ops.py
(cases ``contrib_*`` in tests/golden/op_cases.py).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from .harness import check_op, check_op_error

RNG = np.random.RandomState(0)
X = RNG.uniform(-1, 1, size=(2, 3, 5, 7))


def adaptive_avg_ref(x, size):
    h, w = x.shape[-2:]
    oh, ow = size
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        r0, r1 = (i * h) // oh, math.ceil((i + 1) * h / oh)
        for j in range(ow):
            c0, c1 = (j * w) // ow, math.ceil((j + 1) * w / ow)
            out[..., i, j] = x[..., r0:r1, c0:c1].mean(axis=(-2, -1))
    return out


@pytest.mark.parametrize("output_size,size", [((), (1, 1)), (3, (3, 3)), ((3, 4), (3, 4)), ((7, 9), (7, 9))])
def test_adaptive_avg_pooling(output_size, size):
    attrs = {} if output_size == () else {"output_size": output_size}
    check_op("_contrib_AdaptiveAvgPooling2D", [X], lambda x: adaptive_avg_ref(x, size), attrs, rtol=1e-10,
             atol=1e-12)


def _source(n_out, n_in, align_corners):
    """Per output index: (low input index, high input index, weight of the high one)."""
    out = []
    for i in range(n_out):
        if align_corners:
            s = i * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        else:
            s = max((i + 0.5) * n_in / n_out - 0.5, 0.0)
        lo = min(int(math.floor(s)), n_in - 1)
        out.append((lo, min(lo + 1, n_in - 1), s - lo))
    return out


def bilinear_ref(x, size, align_corners):
    h, w = x.shape[-2:]
    rows, cols = _source(size[0], h, align_corners), _source(size[1], w, align_corners)
    out = np.zeros(x.shape[:2] + tuple(size))
    for i, (r0, r1, fr) in enumerate(rows):
        for j, (c0, c1, fc) in enumerate(cols):
            top = x[..., r0, c0] * (1 - fc) + x[..., r0, c1] * fc
            bottom = x[..., r1, c0] * (1 - fc) + x[..., r1, c1] * fc
            out[..., i, j] = top * (1 - fr) + bottom * fr
    return out


@pytest.mark.parametrize("align_corners", [True, False])
@pytest.mark.parametrize("attrs,size", [
    ({"height": 8, "width": 4}, (8, 4)),
    ({"scale_height": 2.0, "scale_width": 0.5}, (10, 3)),  # the input size times the scale, rounded down
    ({"scale_height": 2.0, "scale_width": 2.0, "mode": "odd_scale"}, (9, 13)),  # (n - 1) * scale + 1 for odd n
    ({"mode": "to_even_down"}, (4, 6)),
    ({"mode": "to_even_up"}, (6, 8)),
    ({"mode": "to_odd_down"}, (5, 7)),
    ({"mode": "to_odd_up"}, (5, 7)),
])
def test_bilinear_resize(align_corners, attrs, size):
    check_op("_contrib_BilinearResize2D", [X], lambda x: bilinear_ref(x, size, align_corners),
             {**attrs, "align_corners": align_corners}, rtol=1e-10, atol=1e-12)


def test_bilinear_resize_like():
    like = np.zeros((1, 1, 4, 9))
    check_op("_contrib_BilinearResize2D", [X, like], lambda x, _: bilinear_ref(x, (4, 9), True), {"mode": "like"},
             rtol=1e-10, atol=1e-12, grad=[0])


def test_errors():
    check_op_error("_contrib_AdaptiveAvgPooling2D", [X[0]], match="4-D")
    check_op_error("_contrib_AdaptiveAvgPooling2D", [X], {"output_size": (1, 2, 3)}, match="one or two positive")
    check_op_error("_contrib_BilinearResize2D", [X], {"mode": "like"}, match="needs a second input")
    check_op_error("_contrib_BilinearResize2D", [X], {"mode": "odd_scale"}, match="needs scale_height")
    check_op_error("_contrib_BilinearResize2D", [X], {"height": 0, "width": 3}, match="must be positive")
