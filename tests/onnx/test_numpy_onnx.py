"""Blocks written with the NumPy interface (npx.set_np) export to ONNX."""
import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

import gluonic as mx  # noqa: E402
from gluonic.gluon import nn  # noqa: E402

from .onnx_harness import check_block  # noqa: E402

RNG = np.random.default_rng(5)


@pytest.fixture(autouse=True)
def _np_mode():
    mx.npx.set_np()
    yield
    mx.npx.reset_np()


def _x(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def test_np_layers():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"), nn.MaxPool2D(2),
            nn.Flatten(), nn.Dense(8), nn.LayerNorm(), nn.Dropout(0.2), nn.Dense(3))
    net.initialize(mx.init.Xavier())
    check_block(net, _x(1, 2, 6, 6))


FUNCS = {
    "arith": lambda F, x: (x + 1) * 2 - x / 3 + x ** 2 - 1 / (F.np.abs(x) + 1) + 2 ** x,
    "compare_where": lambda F, x: F.np.where(x > 0.5, x, F.np.zeros_like(x)) + (x <= 0) * 1.0,
    "unary": lambda F, x: F.np.exp(F.np.tanh(x)) + F.np.sqrt(F.np.abs(x)) + F.np.log1p(F.np.abs(x))
    + F.np.sin(x) + F.np.floor(x) + F.np.sign(x) + F.np.square(x),
    "reduce": lambda F, x: F.np.sum(x, axis=1) + F.np.mean(x, axis=1) + F.np.max(x, axis=1) - F.np.min(x, axis=1),
    "moments": lambda F, x: F.np.var(x, axis=-1, keepdims=True) + F.np.std(x, axis=-1, keepdims=True) * x,
    "argmax": lambda F, x: F.np.argmax(x, axis=-1).astype("float32"),
    "shapes": lambda F, x: F.np.transpose(F.np.reshape(x, (-1, 3, 4)), (0, 2, 1)).swapaxes(1, 2)
    .reshape((-1, 12)),
    "npx_reshape": lambda F, x: F.npx.reshape(F.npx.reshape(x, (-2, -6, 3, -1)), (-2, -5)),
    "expand_squeeze": lambda F, x: F.np.squeeze(F.np.expand_dims(x, 1), axis=1),
    "moveaxis": lambda F, x: F.np.moveaxis(F.np.reshape(x, (-1, 3, 4)), 0, 2),
    "concat_stack": lambda F, x: F.np.concatenate([x, x * 2], axis=1) + F.np.stack([x, x], axis=1).reshape((-1, 24)),
    "split": lambda F, x: F.np.split(x, 2, axis=1)[1] * 2,
    "split_indices": lambda F, x: F.np.split(x, [2, 5], axis=1)[1] * 2,
    "matmul": lambda F, x: F.np.matmul(x.reshape((-1, 3, 4)), F.np.swapaxes(x.reshape((-1, 3, 4)), 1, 2)),
    "clip_flip": lambda F, x: F.np.flip(F.np.clip(x, -0.5, 0.5), axis=1),
    "pad_tile": lambda F, x: F.np.tile(F.np.pad(x, ((0, 0), (1, 2))), (1, 2)),
    "cumsum": lambda F, x: F.np.cumsum(x, axis=1),
    "softmax": lambda F, x: F.npx.softmax(x, axis=-1) + F.npx.log_softmax(x) + F.npx.relu(x) + F.npx.sigmoid(x),
    "einsum": lambda F, x: F.np.einsum("ij,ij->i", x, x),
    "tril_triu_roll": lambda F, x: F.np.tril(x, 1) + F.np.triu(x, -1) + F.np.roll(x, 2, axis=1) + F.np.roll(x, -3),
    "diff_around": lambda F, x: F.np.diff(F.np.around(x, 1), axis=1),
    "isclose_heaviside": lambda F, x: F.np.isclose(x, x * 1.000001) * 1.0 + F.np.heaviside(x, F.np.abs(x)),
    "tensordot": lambda F, x: F.np.tensordot(x, x, axes=([1], [1])) + F.np.tensordot(x, x.T, axes=1),
    "norm": lambda F, x: F.np.linalg.norm(x, axis=1) + F.np.linalg.norm(x),
    "atleast_nan_to_num": lambda F, x: F.np.nan_to_num(F.np.atleast_3d(x) / 0.0).reshape((-1,)) * 0
    + F.np.reshape(x, (-1,)),
    "ldexp": lambda F, x: F.np.ldexp(x, F.np.floor(x)),
    "mod_floor_divide": lambda F, x: F.np.mod(x, 0.7) + F.np.floor_divide(x, 0.3) + F.np.fmod(x, 0.4)
    + F.np.arctan2(x, x[::-1]) + F.np.copysign(F.np.ones_like(x), x),
}


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_np_functions(name):
    fn = FUNCS[name]
    net = nn.HybridLambda(fn)
    check_block(net, _x(2, 12))
