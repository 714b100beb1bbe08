"""Tests of the join/split/repeat/pad ops (gluonic/ops/join.py) against NumPy and MXNet 1.9.1 behaviour."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape, dtype=np.float32):
    return RNG.uniform(-2, 2, size=shape).astype(dtype)


# ------------------------------------------------------------------ Concat / stack
@pytest.mark.parametrize("shapes,dim", [([(2, 3), (2, 5)], 1), ([(2, 3), (4, 3), (1, 3)], 0), ([(2, 3, 4)] * 2, -1),
                                        ([(2, 3)], 0), ([(2,), (3,)], 0)])
def test_concat(shapes, dim):
    xs = [rand(*s) for s in shapes]
    check_op("Concat", xs, lambda *xs: np.concatenate(xs, axis=dim), {"dim": dim})
    check_op("concat", xs, lambda *xs: np.concatenate(xs, axis=dim), {"dim": dim}, grad=False)


def test_concat_default_dim_and_list_call():
    x, y = rand(2, 3), rand(2, 1)
    out = mx.nd.concat(mx.nd.array(x), mx.nd.array(y))
    np.testing.assert_array_equal(out.asnumpy(), np.concatenate([x, y], axis=1))
    out = mx.nd.concat(*[mx.nd.array(x), mx.nd.array(x)], dim=0)
    assert out.shape == (4, 3)


@pytest.mark.parametrize("dtype", [np.float16, np.int32, np.int8, np.uint8, np.bool_, np.int64])
def test_concat_stack_dtypes(dtype):
    xs = [(RNG.randint(0, 2, size=(2, 3))).astype(dtype) for _ in range(2)]
    check_op("concat", xs, lambda *xs: np.concatenate(xs, axis=1), {"dim": 1}, grad=False)
    check_op("stack", xs, lambda *xs: np.stack(xs, axis=1), {"axis": 1}, grad=False)


@pytest.mark.parametrize("inputs,attrs,match", [
    ([rand(2, 3), rand(2, 3).astype(np.int32)], {"dim": 0}, "same dtype"),
    ([rand(2, 3, 4), rand(2, 4, 4)], {"dim": 2}, "same shape except on axis dim=2"),
    ([rand(2, 3), rand(2, 3)], {"dim": 2}, "dim=2 is out of range"),
    ([rand(2, 3), rand(2, 3)], {"dim": 0, "num_args": 3}, "num_args=3 but 2 inputs"),
])
def test_concat_errors(inputs, attrs, match):
    check_op_error("Concat", inputs, attrs, match=match)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack(axis):
    xs = [rand(2, 3) for _ in range(3)]
    check_op("stack", xs, lambda *xs: np.stack(xs, axis=axis), {"axis": axis})


@pytest.mark.parametrize("inputs,attrs,match", [
    ([rand(2, 3), rand(2, 4)], {}, "same shape"),
    ([rand(2, 3), rand(2, 3)], {"axis": 3}, "axis=3 is out of range"),
    ([rand(2, 3), rand(2, 3).astype(np.float64)], {}, "same dtype"),
])
def test_stack_errors(inputs, attrs, match):
    check_op_error("stack", inputs, attrs, match=match)


def test_variadic_signatures():
    assert [f for f in get("Concat").attrs._fields] == ["num_args", "dim"]
    assert [f for f in get("stack").attrs._fields] == ["axis", "num_args"]
    assert get("stack").parse_attrs({"num_args": "2"}).axis == 0
    with pytest.raises(mx.MXNetError, match="num_args"):
        get("stack").parse_attrs({"axis": 1})
    assert "num_args" in str(inspect.signature(mx.nd.stack))


# ------------------------------------------------------------------ SliceChannel / split
@pytest.mark.parametrize("shape,k,axis,squeeze", [((2, 6, 4), 3, 1, False), ((2, 3, 4), 2, 2, False),
                                                  ((2, 3, 4), 4, 2, True), ((2, 3, 4), 2, -3, False),
                                                  ((2, 3, 4), 2, 0, True)])
def test_split(shape, k, axis, squeeze):
    x = rand(*shape)

    def ref(x):
        parts = np.split(x, k, axis=axis)
        return tuple(np.squeeze(p, axis=axis) for p in parts) if squeeze else tuple(parts)

    attrs = {"num_outputs": k, "axis": axis, "squeeze_axis": squeeze}
    check_op("SliceChannel", [x], ref, attrs)
    outs = check_op("split", [x], ref, attrs, grad=False)
    assert len(outs) == k


def test_split_single_output_is_an_array():
    x = rand(2, 3, 4)
    out = mx.nd.split(mx.nd.array(x), num_outputs=1, axis=2)
    assert isinstance(out, mx.nd.NDArray) and out.shape == (2, 3, 4)
    out = mx.nd.split(mx.nd.array(np.ones((2, 1))), num_outputs=1, axis=1, squeeze_axis=True)
    assert out.shape == (2,)
    assert get("SliceChannel").count_outputs(get("split").parse_attrs({"num_outputs": 5})) == 5


@pytest.mark.parametrize("attrs,match", [
    ({"num_outputs": 3, "axis": 2}, "divide the size 4 of axis 2"),
    ({"num_outputs": 2, "axis": 2, "squeeze_axis": True}, "squeeze_axis=True needs num_outputs equal to the size 4"),
    ({"num_outputs": 0}, "positive"),
    ({"num_outputs": 2, "axis": 3}, "out of range"),
])
def test_split_errors(attrs, match):
    check_op_error("split", [rand(2, 3, 4)], attrs, match=match)


# ------------------------------------------------------------------ tile / repeat
@pytest.mark.parametrize("reps", [(2,), (2, 1, 1), (1, 2, 3, 1), (), (0, 2)])
def test_tile(reps):
    x = rand(2, 3, 2)
    check_op("tile", [x], lambda x: np.tile(x, reps), {"reps": reps})


def test_tile_errors():
    check_op_error("tile", [rand(2, 3)], {"reps": (2, -1)}, match="reps must be >= 0")


@pytest.mark.parametrize("repeats,axis", [(2, None), (2, 1), (3, -1), (0, 1), (1, 0)])
def test_repeat(repeats, axis):
    x = rand(2, 3, 2)
    check_op("repeat", [x], lambda x: np.repeat(x, repeats, axis=axis), {"repeats": repeats, "axis": axis})


def test_repeat_int_and_errors():
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    check_op("repeat", [x], lambda x: np.repeat(x, 2, axis=0), {"repeats": 2, "axis": 0}, grad=False)
    check_op_error("repeat", [rand(2, 3)], {"repeats": -1, "axis": 1}, match="repeats must be >= 0")
    check_op_error("repeat", [rand(2, 3)], {"repeats": 2, "axis": 3}, match="out of range")


# ------------------------------------------------------------------ Pad
def np_pad(mode, pw, value=0.0):
    np_mode = {"constant": "constant", "edge": "edge", "reflect": "reflect"}[mode]
    pairs = [(pw[2 * i], pw[2 * i + 1]) for i in range(len(pw) // 2)]

    def ref(x):
        if mode == "constant":
            return np.pad(x, pairs, mode="constant", constant_values=value).astype(x.dtype)
        return np.pad(x, pairs, mode=np_mode)

    return ref


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect"])
@pytest.mark.parametrize("shape,pw", [((2, 1, 3, 4), (0, 0, 0, 0, 1, 2, 2, 1)), ((1, 2, 2, 3, 3), (0, 0, 0, 0, 1, 1, 0, 1, 2, 1)),
                                      ((1, 1, 3, 3), (0, 0, 0, 0, 2, 0, 0, 2))])
def test_pad(mode, shape, pw):
    x = rand(*shape)
    check_op("Pad", [x], np_pad(mode, pw, 7.5), {"mode": mode, "pad_width": pw, "constant_value": 7.5})


def test_pad_values_match_mxnet():
    x = np.arange(24, dtype=np.float32).reshape(2, 1, 3, 4)
    out = run("pad", [x], {"mode": "reflect", "pad_width": (0, 0, 0, 0, 1, 2, 2, 1)})[0].asnumpy()
    # observed in MXNet 1.9.1
    np.testing.assert_array_equal(out[0, 0, :2], [[6, 5, 4, 5, 6, 7, 6], [2, 1, 0, 1, 2, 3, 2]])
    out = run("pad", [x], {"mode": "edge", "pad_width": (0, 0, 0, 0, 5, 5, 0, 0)})[0]
    assert out.shape == (2, 1, 13, 4)


def test_pad_integer_constant():
    x = np.arange(24, dtype=np.int32).reshape(2, 1, 3, 4)
    pw = (0, 0, 0, 0, 1, 1, 1, 1)
    check_op("Pad", [x], np_pad("constant", pw, 2), {"mode": "constant", "pad_width": pw, "constant_value": 2.7},
             grad=False)


@pytest.mark.parametrize("shape,attrs,match", [
    ((2, 1, 3, 4), dict(mode="constant", pad_width=(0, 0, 1, 0, 1, 2, 2, 1)), "0 on the first two axes"),
    ((2, 1, 3, 4), dict(mode="constant", pad_width=(0, 0, 0, 0, 1, 2)), "2 entries per axis"),
    ((2, 3, 4), dict(mode="constant", pad_width=(0, 0, 0, 0, 1, 2)), "4-d or 5-d"),
    ((2, 1, 3, 4), dict(mode="reflect", pad_width=(0, 0, 0, 0, 3, 0, 0, 0)), "smaller than the axis size"),
    ((2, 1, 3, 4), dict(mode="constant", pad_width=(0, 0, 0, 0, -1, 1, 1, 1)), "widths must be >= 0"),
    ((2, 1, 3, 4), dict(mode="wrap", pad_width=(0, 0, 0, 0, 1, 1, 1, 1)), "must be one of"),
])
def test_pad_errors(shape, attrs, match):
    check_op_error("Pad", [rand(*shape)], attrs, match=match)


def test_batch_rules():
    assert get("Pad").batch_rule.axis == 0
    for name in ("stack", "SliceChannel", "tile", "repeat"):
        assert get(name).batch_rule is None
    # Concat batches along axis 0 only when it joins along another axis
    when = get("Concat").batch_rule.when
    concat_attrs = get("Concat").attrs
    assert when(concat_attrs(num_args=2, dim=1), [(1, 3), (1, 2)])
    assert not when(concat_attrs(num_args=2, dim=0), [(1, 3), (1, 3)])
    assert not when(concat_attrs(num_args=2, dim=-2), [(1, 3), (1, 3)])


@pytest.mark.parametrize("k", [1, 2, 4])
def test_add_n(k):
    inputs = [rand(2, 3) for _ in range(k)]
    check_op("add_n", inputs, lambda *xs: sum(xs[1:], xs[0]), {"num_args": k})
    check_op("ElementWiseSum", inputs, lambda *xs: sum(xs[1:], xs[0]), {"num_args": k})


def test_add_n_shapes_must_match():
    check_op_error("add_n", [rand(2, 3), rand(3)], {"num_args": 2}, match="same shape")
