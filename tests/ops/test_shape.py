"""Tests of the shape ops (gluonic/ops/shape.py) against NumPy and values observed in MXNet 1.9.1."""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx
from gluonic.base import MXNetError
from gluonic.ops.infer import infer
from gluonic.ops.registry import get
from gluonic.ops.shape import infer_legacy_reshape, infer_reshape

from .harness import check_op, check_op_error, run
from .reshape_cases import INVALID, VALID

RNG = np.random.RandomState(0)
DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8, np.bool_]


def rand(*shape, dtype=np.float32):
    return RNG.uniform(-2, 2, size=shape).astype(dtype)


def ints(*shape, dtype):
    return (RNG.randint(0, 5, size=shape) % (2 if dtype == np.bool_ else 5)).astype(dtype)


# ------------------------------------------------------------------ infer_reshape vs MXNet
@pytest.mark.parametrize("src,codes,reverse,expected", VALID)
def test_infer_reshape_matches_mxnet(src, codes, reverse, expected):
    assert infer_reshape(src, codes, reverse) == expected


@pytest.mark.parametrize("src,codes,reverse", INVALID)
def test_infer_reshape_rejects_what_mxnet_rejects(src, codes, reverse):
    with pytest.raises(MXNetError, match=r"Operator Reshape: cannot reshape an array of shape") as e:
        infer_reshape(src, codes, reverse)
    msg = str(e.value)
    assert str(tuple(src)) in msg and f"shape={tuple(codes)}" in msg and "Received:" in msg


@pytest.mark.parametrize("src,codes,expected", [
    # MXNet 1.9 writes the inferred size at the code's position, not the output's, after -2/-4:
    # it returns (2, 1, 4, 1), (1, 2, 1) and (2, 1, 3, 1) here (wrong element counts).
    ((2, 3, 4), (-2, -1), (2, 3, 4, 1)),
    ((2, 3, 4), (-4, 1, 2, -1), (1, 2, 12)),
    ((2, 3, 4), (2, -4, -1, 3, -1), (2, 1, 3, 4)),
    ((2, 1, 4), (-2, -1), (2, 1, 4, 1)),
])
def test_infer_reshape_minus_one_after_expanding_codes(src, codes, expected):
    assert infer_reshape(src, codes) == expected


@pytest.mark.parametrize("codes,match", [
    ((5, -1), "cannot be arranged"),          # MXNet 1.9 silently gives (5, 4)
    ((3, 3), "the target has 9 elements, the input 24"),
    ((-1, -1), "only one dimension can be -1"),
    ((0, 0, 0, 0), "code 0 copies input dimension 3"),
    ((-3, -3), "code -3 merges"),
    ((-4, 2), "must be followed by the two sizes"),
    ((-4, -1, -1, -2), "must be positive"),
    ((-4, 3, -1, -2), "do not divide input dimension 2"),
    ((-5,), "-5 is not a valid code"),
    ((), "the target shape is empty"),
])
def test_infer_reshape_errors(codes, match):
    with pytest.raises(MXNetError, match=match):
        infer_reshape((2, 3, 4), codes)


def test_infer_reshape_unknown_dims():
    assert infer_reshape((None, 3, 4), (0, -1)) == (None, 12)
    assert infer_reshape((None, 3, 4), (-1, 12)) == (None, 12)
    assert infer_reshape((2, None, 4), (-3, 0)) == (None, 4)
    assert infer_reshape((None, 4), (-4, -1, 2, 0)) == (None, 2, 4)
    assert infer_reshape((6, None), (-4, 2, -1, -2)) == (2, 3, None)


@pytest.mark.parametrize("target,keep_highest,expected", [
    # values observed in MXNet 1.9.1 (deprecated target_shape form)
    ((4, 0), False, (4, 6)), ((0, 4), False, (6, 4)), ((12, 2), False, (12, 2)),
    ((5, 0), True, (2, 12)), ((5, 0, 2), True, (2, 6, 2)),
])
def test_legacy_target_shape(target, keep_highest, expected):
    assert infer_legacy_reshape((2, 3, 4), target, keep_highest) == expected
    x = rand(2, 3, 4)
    check_op("Reshape", [x], lambda x: x.reshape(expected), {"target_shape": target, "keep_highest": keep_highest},
             grad=False)


@pytest.mark.parametrize("target", [(0, 0), (5, 5), (-1, 4)])
def test_legacy_target_shape_errors(target):
    check_op_error("Reshape", [rand(2, 3, 4)], {"target_shape": target}, match="target_shape")


# ------------------------------------------------------------------ Reshape op
@pytest.mark.parametrize("codes,reverse", [((4, 0, 2), False), ((-3, -2), False), ((-4, 1, 2, -2), False),
                                           ((-1, 0), True), ((0, -1), True), ((2, -4, -1, 3, -2), False)])
def test_reshape_op(codes, reverse):
    x = rand(2, 3, 4)
    expected = infer_reshape(x.shape, codes, reverse)
    check_op("Reshape", [x], lambda x: x.reshape(expected), {"shape": codes, "reverse": reverse})
    check_op("reshape", [x], lambda x: x.reshape(expected), {"shape": codes, "reverse": reverse}, grad=False)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reshape_dtypes(dtype):
    x = ints(2, 6, dtype=dtype)
    check_op("Reshape", [x], lambda x: x.reshape(3, 4), {"shape": (3, -1)}, grad=False)


def test_reshape_string_attrs_and_method():
    x = rand(2, 3, 4)
    out = run("Reshape", [x], {"shape": "(0, -1)", "reverse": "True"})[0]
    assert out.shape == (3, 8)  # MXNet: code 0 copies the dim at the same place from the right
    nd = mx.nd.array(x)
    assert nd.reshape(-1, 0, reverse=True).shape == (6, 4)
    view = nd.reshape((4, 6))
    view[:] = 7  # NDArray.reshape is a view in MXNet too
    assert float(nd.asnumpy()[1, 2, 3]) == 7


def test_reshape_errors():
    check_op_error("Reshape", [rand(2, 3, 4)], {"shape": (5, -1)},
                   match=r"Operator Reshape: cannot reshape an array of shape \(2, 3, 4\) with shape=\(5, -1\)")
    check_op_error("Reshape", [rand(2, 3)], {}, match="target shape is required")


# ------------------------------------------------------------------ reshape_like
@pytest.mark.parametrize("ls,rs,attrs,expected", [
    # from MXNet's documentation and checks against MXNet 1.9.1
    ((30, 7), (15, 2, 4), dict(lhs_begin=0, lhs_end=1, rhs_begin=0, rhs_end=2), (15, 2, 7)),
    ((3, 5), (1, 15, 4), dict(lhs_begin=0, lhs_end=2, rhs_begin=1, rhs_end=2), (15,)),
    ((30, 12), (4, 2, 2, 3), dict(lhs_begin=-1, lhs_end=None, rhs_begin=1, rhs_end=None), (30, 2, 2, 3)),
    ((6,), (2, 3), {}, (2, 3)),
    ((2, 3, 4), (6,), dict(lhs_begin=0, lhs_end=2), (6, 4)),
])
def test_reshape_like(ls, rs, attrs, expected):
    check_op("reshape_like", [rand(*ls), rand(*rs)], lambda x, y: x.reshape(expected), attrs, grad=[0])


@pytest.mark.parametrize("ls,rs,attrs,match", [
    ((6,), (2, 4), {}, "the sizes differ"),
    ((2, 3), (3, 2), dict(lhs_begin=1), "the sizes differ"),
    ((2, 3, 4), (6,), dict(lhs_begin=2, lhs_end=1), "non-empty range"),
    ((2, 3, 4), (6,), dict(lhs_begin=0, lhs_end=5), "non-empty range"),
])
def test_reshape_like_errors(ls, rs, attrs, match):
    check_op_error("reshape_like", [rand(*ls), rand(*rs)], attrs, match=match)


# ------------------------------------------------------------------ axes
@pytest.mark.parametrize("axes", [(), (1, 0, 2), (2, 0, 1), (-1, 0, 1)])
def test_transpose(axes):
    x = rand(2, 3, 4)
    check_op("transpose", [x], lambda x: np.transpose(x, axes or None), {"axes": axes})


@pytest.mark.parametrize("axes,match", [((0, 1), "every axis"), ((0, 0, 1), "twice"), ((0, 1, 3), "out of range")])
def test_transpose_errors(axes, match):
    check_op_error("transpose", [rand(2, 3, 4)], {"axes": axes}, match=match)


@pytest.mark.parametrize("d1,d2", [(0, 0), (0, 2), (-1, 0), (1, 2)])
def test_swapaxis(d1, d2):
    x = rand(2, 3, 4)
    check_op("SwapAxis", [x], lambda x: np.swapaxes(x, d1, d2), {"dim1": d1, "dim2": d2})
    check_op("swapaxes", [x], lambda x: np.swapaxes(x, d1, d2), {"dim1": d1, "dim2": d2}, grad=False)
    check_op_error("swapaxes", [x], {"dim1": 0, "dim2": 3}, match="dim2=3 is out of range")


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_expand_dims(axis):
    x = rand(2, 3)
    check_op("expand_dims", [x], lambda x: np.expand_dims(x, axis), {"axis": axis})


@pytest.mark.parametrize("axis", [3, -4])
def test_expand_dims_errors(axis):
    check_op_error("expand_dims", [rand(2, 3)], {"axis": axis}, match=r"valid: from -3 to 2")


@pytest.mark.parametrize("shape,axis,expected", [
    ((1, 3, 1, 1), None, (3,)), ((1, 3, 1, 1), (0, 2), (3, 1)), ((1, 3, 1, 1), -1, (1, 3, 1)),
    ((1, 1), None, (1,)), ((1, 1), (0, 1), (1,)), ((2, 3), None, (2, 3)),
])
def test_squeeze(shape, axis, expected):
    check_op("squeeze", [rand(*shape)], lambda x: x.reshape(expected), {"axis": axis})


@pytest.mark.parametrize("axis,match", [(1, "axis 1 has size 3, not 1"), ((0, 0), "twice"), ((0, -4), "twice")])
def test_squeeze_errors(axis, match):
    check_op_error("squeeze", [rand(1, 3, 1, 1)], {"axis": axis}, match=match)


@pytest.mark.parametrize("shape,expected", [((2, 3, 4), (2, 12)), ((5,), (5, 1)), ((3, 1), (3, 1)), ((2, 0, 3), (2, 0))])
def test_flatten(shape, expected):
    x = rand(*shape)
    check_op("Flatten", [x], lambda x: x.reshape(expected))
    check_op("flatten", [x], lambda x: x.reshape(expected), grad=False)


# ------------------------------------------------------------------ broadcast
@pytest.mark.parametrize("shape,expected", [((2, 3, 4), (2, 3, 4)), ((2, 0, 4), (2, 3, 4)), ((0, 0, 0), (1, 3, 1))])
def test_broadcast_to(shape, expected):
    check_op("broadcast_to", [rand(1, 3, 1)], lambda x: np.broadcast_to(x, expected), {"shape": shape})


@pytest.mark.parametrize("shape,match", [((3, 2, 3, 4), "one entry per axis"), ((2, 4, 4), "only axes of size 1"),
                                         ((), "one entry per axis")])
def test_broadcast_to_errors(shape, match):
    check_op_error("broadcast_to", [rand(1, 3, 1)], {"shape": shape}, match=match)


@pytest.mark.parametrize("axis,size,expected", [((0, 2), (2, 5), (2, 3, 5)), (0, 4, (4, 3, 1)), ((), (), (1, 3, 1)),
                                                ((-1,), (3,), (1, 3, 3)), ((1,), (3,), (1, 3, 1))])
def test_broadcast_axis(axis, size, expected):
    check_op("broadcast_axis", [rand(1, 3, 1)], lambda x: np.broadcast_to(x, expected), {"axis": axis, "size": size})
    check_op("broadcast_axes", [rand(1, 3, 1)], lambda x: np.broadcast_to(x, expected), {"axis": axis, "size": size},
             grad=False)


@pytest.mark.parametrize("axis,size,match", [((1,), (4,), "only axes of size 1"), ((0, 2), (2,), "same length"),
                                             ((3,), (2,), "out of range"), ((0, 0), (2, 3), "twice")])
def test_broadcast_axis_errors(axis, size, match):
    check_op_error("broadcast_axis", [rand(1, 3, 1)], {"axis": axis, "size": size}, match=match)


@pytest.mark.parametrize("rs,attrs,expected", [
    ((2, 3, 4), {}, (2, 3, 4)),
    ((5, 6), dict(lhs_axes=(0, 2), rhs_axes=(0, 1)), (5, 3, 6)),
    ((5, 6), dict(lhs_axes=(-1,), rhs_axes=(-2,)), (1, 3, 5)),
])
def test_broadcast_like(rs, attrs, expected):
    check_op("broadcast_like", [rand(1, 3, 1), rand(*rs)], lambda x, y: np.broadcast_to(x, expected), attrs, grad=[0])


@pytest.mark.parametrize("rs,attrs,match", [
    ((2, 3), {}, "same number of axes"), ((2, 4, 4), {}, "only axes of size 1"),
    ((5, 6), dict(lhs_axes=(0, 2)), "given together"), ((5, 6), dict(lhs_axes=(1,), rhs_axes=(0,)), "size 1"),
    ((5, 6), dict(lhs_axes=(0, 2), rhs_axes=(0,)), "same length"),
])
def test_broadcast_like_errors(rs, attrs, match):
    check_op_error("broadcast_like", [rand(1, 3, 1), rand(*rs)], attrs, match=match)


def test_broadcast_gradient_sums():
    x = mx.nd.array(np.ones((1, 3, 1)))
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.broadcast_to(x, shape=(2, 3, 4))
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.full((1, 3, 1), 8.0))


# ------------------------------------------------------------------ shape_array / size_array
@pytest.mark.parametrize("shape", [(2, 3, 4), (5,), (2, 0)])
def test_shape_and_size_array(shape):
    x = rand(*shape)
    check_op("shape_array", [x], lambda x: np.array(x.shape, dtype=np.int64), grad=False)
    check_op("size_array", [x], lambda x: np.array([x.size], dtype=np.int64), grad=False)


# ------------------------------------------------------------------ depth_to_space / space_to_depth
def np_depth_to_space(x, b):
    n, c, h, w = x.shape
    return x.reshape(n, b, b, c // b // b, h, w).transpose(0, 3, 4, 1, 5, 2).reshape(n, c // b // b, h * b, w * b)


def np_space_to_depth(x, b):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // b, b, w // b, b).transpose(0, 3, 5, 1, 2, 4).reshape(n, c * b * b, h // b, w // b)


def test_depth_to_space_matches_mxnet_values():
    x = np.arange(2 * 8 * 2 * 3, dtype=np.float32).reshape(2, 8, 2, 3)
    out = run("depth_to_space", [x], {"block_size": 2})[0].asnumpy()
    # first 12 values observed in MXNet 1.9.1 (DCR ordering)
    np.testing.assert_array_equal(out.ravel()[:12], [0, 12, 1, 13, 2, 14, 24, 36, 25, 37, 26, 38])


@pytest.mark.parametrize("b", [1, 2])
def test_depth_space_roundtrip(b):
    x = rand(2, 4 * b * b, 2, 2)
    check_op("depth_to_space", [x], lambda x: np_depth_to_space(x, b), {"block_size": b})
    y = rand(1, 2, 2 * b, 4 * b)
    check_op("space_to_depth", [y], lambda y: np_space_to_depth(y, b), {"block_size": b})
    back = run("depth_to_space", [run("space_to_depth", [y], {"block_size": b})[0].asnumpy()], {"block_size": b})[0]
    np.testing.assert_array_equal(back.asnumpy(), y)


@pytest.mark.parametrize("op,shape,b,match", [
    ("depth_to_space", (2, 8, 2, 3), 3, "must be a multiple of 9"), ("depth_to_space", (2, 8, 2), 2, "4-d"),
    ("depth_to_space", (2, 8, 2, 3), 0, "positive"), ("space_to_depth", (2, 2, 4, 6), 3, "multiple of 3"),
])
def test_depth_space_errors(op, shape, b, match):
    check_op_error(op, [rand(*shape)], {"block_size": b}, match=match)


# ------------------------------------------------------------------ registry facts
def test_aliases_signatures_and_batch_rules():
    import inspect

    assert get("reshape") is get("Reshape") and get("swapaxes") is get("SwapAxis")
    assert get("flatten") is get("Flatten") and get("broadcast_axes") is get("broadcast_axis")
    assert list(inspect.signature(mx.nd.Reshape).parameters)[:5] == ["data", "shape", "reverse", "target_shape",
                                                                     "keep_highest"]
    assert list(inspect.signature(mx.nd.reshape_like).parameters)[:6] == ["lhs", "rhs", "lhs_begin", "lhs_end",
                                                                          "rhs_begin", "rhs_end"]
    for name in ("Flatten", "depth_to_space", "space_to_depth"):
        assert get(name).batch_rule.axis == 0
    for name in ("Reshape", "transpose", "squeeze", "expand_dims", "broadcast_to", "SwapAxis"):
        assert get(name).batch_rule is None
    assert mx.nd.transpose(mx.nd.ones((2, 3, 4)), (1, 0, 2)).shape == (3, 2, 4)  # attrs positionally


def test_meta_inference_of_reshape():
    op = get("Reshape")
    attrs = op.parse_attrs({"shape": (-4, 2, -1, -2)})
    assert infer(op, [(6, 5)], [np.float32], attrs) == [((2, 3, 5), np.float32)]
