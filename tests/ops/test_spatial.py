"""GridGenerator, BilinearSampler and SpatialTransformer against NumPy references.

Values from real MXNet 1.9.1 (outputs and gradients) are checked in tests/test_golden_ops.py
(cases ``spatial_*`` in tests/golden/op_cases.py).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from .harness import check_op, check_op_error

RNG = np.random.RandomState(0)


def affine_grid_ref(theta, h, w):
    xs, ys = np.linspace(-1, 1, w), np.linspace(-1, 1, h)
    gx, gy = np.meshgrid(xs, ys)  # (h, w)
    dst = np.stack([gx, gy, np.ones_like(gx)])  # (3, h, w)
    return np.einsum("nij,jhw->nihw", theta.reshape(-1, 2, 3), dst)


def warp_grid_ref(flow):
    n, _, h, w = flow.shape
    gx, gy = np.meshgrid(np.arange(w), np.arange(h))
    return np.stack([(gx + flow[:, 0]) / ((w - 1) / 2) - 1, (gy + flow[:, 1]) / ((h - 1) / 2) - 1], axis=1)


def sample_ref(data, grid):
    n, c, h, w = data.shape
    out = np.zeros((n, c) + grid.shape[2:])
    for b in range(n):
        for i in range(grid.shape[2]):
            for j in range(grid.shape[3]):
                x = (grid[b, 0, i, j] + 1) * (w - 1) / 2
                y = (grid[b, 1, i, j] + 1) * (h - 1) / 2
                x0, y0 = math.floor(x), math.floor(y)
                for yy, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
                    for xx, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
                        if 0 <= yy < h and 0 <= xx < w:
                            out[b, :, i, j] += wy * wx * data[b, :, yy, xx]
    return out


# Offsets keep sample points off whole pixels, where the bilinear kernel has a kink (finite differences
# there average the two one-sided slopes).
THETA = np.array([[0.9, 0.2, 0.1037, -0.1, 1.1, 0.0513], [1.2, -0.3, 0.0071, 0.25, 0.8, -0.1029]])


def test_affine_grid():
    check_op("GridGenerator", [THETA], lambda t: affine_grid_ref(t, 4, 7),
             {"transform_type": "affine", "target_shape": (4, 7)}, rtol=1e-10, atol=1e-12)


def test_warp_grid():
    flow = RNG.randn(2, 2, 5, 6) * 1.5
    check_op("GridGenerator", [flow], warp_grid_ref, {"transform_type": "warp"}, rtol=1e-10, atol=1e-12)


def test_bilinear_sampler():
    data = RNG.randn(2, 3, 5, 6)
    grid = RNG.uniform(-1.2, 1.2, size=(2, 2, 4, 3))  # some points outside: zeros there
    check_op("BilinearSampler", [data, grid], sample_ref, rtol=1e-10, atol=1e-12)


def test_mxnet_example_shift_left_by_one_pixel():
    data = np.array([[[[1, 4, 3, 6], [1, 8, 8, 9], [0, 4, 1, 5], [1, 0, 1, 3]]]], dtype=np.float64)
    flow = np.zeros((1, 2, 4, 4))
    flow[:, 0] = 1
    grid = warp_grid_ref(flow)
    expected = [[4, 3, 6, 0], [8, 8, 9, 0], [4, 1, 5, 0], [0, 1, 3, 0]]
    got = check_op("BilinearSampler", [data, grid], sample_ref, grad=False, rtol=1e-10, atol=1e-12)[0]
    np.testing.assert_allclose(got[0, 0], expected, atol=1e-12)


def test_spatial_transformer():
    data = RNG.randn(2, 3, 5, 6)
    check_op("SpatialTransformer", [data, THETA], lambda d, t: sample_ref(d, affine_grid_ref(t, 3, 4)),
             {"target_shape": (3, 4)}, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("op,inputs,attrs,match", [
    ("GridGenerator", [np.zeros((2, 4))], {"transform_type": "affine", "target_shape": (2, 2)}, "\\(N, 6\\)"),
    ("GridGenerator", [np.zeros((2, 6))], {"transform_type": "affine"}, "target_shape"),
    ("GridGenerator", [np.zeros((2, 3, 4, 4))], {"transform_type": "warp"}, "flow"),
    ("BilinearSampler", [np.zeros((2, 1, 4, 4)), np.zeros((2, 3, 4, 4))], {}, "grid \\(N, 2, h, w\\)"),
])
def test_errors(op, inputs, attrs, match):
    check_op_error(op, inputs, attrs, match=match)
