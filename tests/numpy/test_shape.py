"""mx.np shape manipulation (gluonic/numpy/_shape.py, _shape_join.py; ops in gluonic/ops/np_shape*.py) vs NumPy."""
from __future__ import annotations

import numpy as onp
import pytest

import gluonic as mx
from gluonic import np
from gluonic.ops import registry

from .np_harness import check_np, check_np_error

RNG = onp.random.RandomState(0)


def rand(*shape, dtype=onp.float32):
    return RNG.uniform(-2, 2, size=shape).astype(dtype)


# ------------------------------------------------------------------ reshape / ravel / transpose
@pytest.mark.parametrize("shape,newshape", [((2, 3, 4), (4, -1)), ((2, 3), (6,)), ((2, 3), -1), ((6,), (1, 2, 3)),
                                            ((0, 3), (3, -1)), ((1,), ()), ((2, 3), (3, 2))])
def test_reshape(shape, newshape):
    check_np("reshape", onp.reshape, [rand(*shape), newshape], grad=bool(onp.prod(shape)))


def test_reshape_order_f_and_dtypes():
    x = rand(2, 3, 4)
    check_np("reshape", onp.reshape, [x, (4, 6)], order="F", grad=True)
    for dt in (onp.int32, onp.int64, onp.uint8, onp.bool_, onp.float16, onp.float64):
        check_np("reshape", onp.reshape, [(x > 0).astype(dt), (6, 4)])


def test_reshape_errors():
    check_np_error("reshape", [rand(2, 3), (4, -1)], match=r"np\.reshape.*shape \(2, 3\).*\(4, -1\)")
    check_np_error("reshape", [rand(2, 3), (-1, -1)], match="at most one -1")
    check_np_error("reshape", [rand(2, 3), (5,)], match="cannot reshape")


def test_ravel_flatten_methods():
    x = rand(2, 3, 4)
    check_np("ravel", onp.ravel, [x], grad=True)
    check_np("ravel", onp.ravel, [x], order="F")
    check_np(lambda a: a.flatten(), lambda a: a.flatten(), [x], symbolic=False)  # _Symbol.flatten is legacy
    check_np(lambda a: a.ravel(), lambda a: a.ravel(), [x], symbolic=False)  # _Symbol has no ravel (core)
    check_np(lambda a: a.reshape(4, -1), lambda a: a.reshape(4, -1), [x], grad=True)
    check_np(lambda a: a.reshape((4, -1)), lambda a: a.reshape((4, -1)), [x])
    check_np(lambda a: a.T, lambda a: a.T, [x], grad=True)
    check_np(lambda a: a.transpose(1, 0, 2), lambda a: a.transpose(1, 0, 2), [x])
    check_np(lambda a: a.transpose((2, 0, 1)), lambda a: a.transpose((2, 0, 1)), [x])


@pytest.mark.parametrize("axes", [None, (1, 0, 2), (-1, 0, 1), (0, 1, 2)])
def test_transpose(axes):
    check_np("transpose", onp.transpose, [rand(2, 3, 4)], axes=axes, grad=True)


def test_transpose_zero_dim_and_errors():
    check_np("transpose", onp.transpose, [onp.array(3.0, dtype=onp.float32)])
    check_np_error("transpose", [rand(2, 3)], match=r"np\.transpose.*permutation.*\(0, 0\)", axes=(0, 0))
    check_np_error("transpose", [rand(2, 3)], match="permutation", axes=(0,))


@pytest.mark.parametrize("a1,a2", [(0, 2), (-1, 0), (1, 1)])
def test_swapaxes(a1, a2):
    check_np("swapaxes", onp.swapaxes, [rand(2, 3, 4), a1, a2], grad=True)
    check_np(lambda x: x.swapaxes(a1, a2), lambda x: x.swapaxes(a1, a2), [rand(2, 3, 4)])


@pytest.mark.parametrize("src,dst", [(0, -1), ((0, 1), (2, 0)), (-1, 0)])
def test_moveaxis(src, dst):
    check_np("moveaxis", onp.moveaxis, [rand(2, 3, 4), src, dst], grad=True)


@pytest.mark.parametrize("axis,start", [(2, 0), (0, 3), (1, 0), (-1, 1), (0, 0)])
def test_rollaxis(axis, start):
    check_np("rollaxis", onp.rollaxis, [rand(2, 3, 4), axis], start=start, symbolic=axis >= 0)


def test_axis_errors():
    check_np_error("swapaxes", [rand(2, 3), 0, 2], match=r"np\.swapaxes.*axis2=2", error=IndexError)
    check_np_error("moveaxis", [rand(2, 3), 0, 5], match="destination=5")
    check_np_error("moveaxis", [rand(2, 3), (0, 1), 0], match="same number")


# ------------------------------------------------------------------ expand_dims / squeeze
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3, (0, 1), (0, -1), (-1, -2), (3, 0, 2)])
def test_expand_dims(axis):
    x = rand(2, 3)
    nd = 2 + (len(axis) if isinstance(axis, tuple) else 1)
    if all(-nd <= a < nd for a in (axis if isinstance(axis, tuple) else (axis,))):
        check_np("expand_dims", onp.expand_dims, [x, axis], grad=True)
        check_np(lambda a: a.expand_dims(axis), lambda a: onp.expand_dims(a, axis), [x])


def test_expand_dims_errors():
    check_np_error("expand_dims", [rand(2, 3), 3], match="out of bounds", error=IndexError)
    check_np_error("expand_dims", [rand(2, 3), (0, 0)], match="repeated axis")


@pytest.mark.parametrize("shape,axis", [((1, 3, 1), None), ((1, 3, 1), 0), ((1, 3, 1), (0, -1)), ((1,), None),
                                        ((2, 3), None), ((1, 1), (1,))])
def test_squeeze(shape, axis):
    check_np("squeeze", onp.squeeze, [rand(*shape)], axis=axis, grad=True)
    check_np(lambda a: a.squeeze(axis), lambda a: a.squeeze(axis), [rand(*shape)])


def test_squeeze_error():
    check_np_error("squeeze", [rand(1, 3)], match=r"np\.squeeze.*size not equal to one.*\(1, 3\)", axis=1)


def test_shape_size_ndim():
    x = np.zeros((2, 3, 4))
    assert np.shape(x) == (2, 3, 4) and np.size(x) == 24 and np.size(x, -1) == 4 and np.ndim(x) == 3
    assert np.shape([[1, 2]]) == (1, 2) and np.ndim(5.0) == 0 and np.size(np.zeros(())) == 1


# ------------------------------------------------------------------ flip / roll / rot90
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2)])
def test_flip(axis):
    check_np("flip", onp.flip, [rand(2, 3, 4)], axis=axis, grad=True)
    check_np(lambda a: a.flip(axis), lambda a: onp.flip(a, axis), [rand(2, 3, 4)])


def test_fliplr_flipud():
    check_np("fliplr", onp.fliplr, [rand(2, 3, 4)], grad=True)
    check_np("flipud", onp.flipud, [rand(3)], grad=True)
    check_np_error("fliplr", [rand(3)], match="at least 2-d")


@pytest.mark.parametrize("shift,axis", [(1, None), (-2, None), (1, 0), (2, -1), ((1, 2), (0, 1)), (5, 1), (1, (0, 1))])
def test_roll(shift, axis):
    check_np("roll", onp.roll, [rand(2, 3), shift], axis=axis, grad=True)


@pytest.mark.parametrize("k,axes", [(1, (0, 1)), (2, (0, 1)), (3, (1, 2)), (-1, (0, 2)), (0, (0, 1)), (5, (2, 1))])
def test_rot90(k, axes):
    check_np("rot90", onp.rot90, [rand(2, 3, 4)], k=k, axes=axes, grad=True)


# ------------------------------------------------------------------ broadcast / atleast
@pytest.mark.parametrize("shape,target", [((3, 1), (2, 3, 4)), ((1,), (5,)), ((), (2, 2)), ((2, 3), (2, 3))])
def test_broadcast_to(shape, target):
    check_np("broadcast_to", onp.broadcast_to, [rand(*shape), target], grad=True)
    check_np(lambda a: a.broadcast_to(target), lambda a: onp.broadcast_to(a, target), [rand(*shape)])


def test_broadcast_to_error_and_arrays():
    check_np_error("broadcast_to", [rand(2, 3), (3, 3)], match=r"np\.broadcast_to.*\(2, 3\).*\(3, 3\)")
    a, b = rand(2, 1), rand(3)
    got = np.broadcast_arrays(np.array(a), np.array(b))
    for g, w in zip(got, onp.broadcast_arrays(a, b)):
        onp.testing.assert_array_equal(g.asnumpy(), w)
    with pytest.raises(mx.MXNetError, match="cannot be broadcast"):
        np.broadcast_arrays(np.zeros((2,)), np.zeros((3,)))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_atleast(n):
    fn, ref = getattr(np, f"atleast_{n}d"), getattr(onp, f"atleast_{n}d")
    for shape in [(), (3,), (2, 3), (2, 3, 4)]:
        check_np(fn, ref, [rand(*shape)], grad=True)
    check_np(lambda a, b: fn(a, b), lambda a, b: ref(a, b), [rand(), rand(2, 3)])


# ------------------------------------------------------------------ tile / repeat / resize
@pytest.mark.parametrize("shape,reps", [((2, 3), 2), ((2, 3), (2, 1)), ((3,), (2, 2)), ((2, 3), (1, 2, 2)),
                                        ((), 3), ((2, 3), (0, 1))])
def test_tile(shape, reps):
    check_np("tile", onp.tile, [rand(*shape), reps], grad=True)
    check_np(lambda a: a.tile(reps), lambda a: onp.tile(a, reps), [rand(*shape)])


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_repeat(axis):
    check_np("repeat", onp.repeat, [rand(2, 3), 2], axis=axis, grad=True)
    check_np(lambda a: a.repeat(3, axis=axis), lambda a: a.repeat(3, axis=axis), [rand(2, 3)])
    check_np_error("repeat", [rand(2, 3), [1, 2]], match="one integer", axis=0)


@pytest.mark.parametrize("shape,new", [((2, 3), (3, 3)), ((2, 3), (4,)), ((2, 3), (2, 2)), ((3,), (0,)), ((0,), (2,))])
def test_resize(shape, new):
    check_np("resize", onp.resize, [rand(*shape), new])


# ------------------------------------------------------------------ concatenate / stack family
@pytest.mark.parametrize("shapes,axis", [([(2, 3), (1, 3)], 0), ([(2, 3), (2, 5)], 1), ([(2, 3, 4)] * 3, -1),
                                         ([(2, 3), (4,)], None), ([(0, 3), (2, 3)], 0)])
def test_concatenate(shapes, axis):
    xs = [rand(*s) for s in shapes]
    check_np(lambda *a: np.concatenate(a, axis=axis), lambda *a: onp.concatenate(a, axis=axis), xs, grad=True)


def test_concatenate_promotes_and_errors():
    a, b = rand(2, 3), onp.arange(6, dtype=onp.int32).reshape(2, 3)
    check_np(lambda x, y: np.concatenate([x, y]), lambda x, y: onp.concatenate([x, y]), [a, b],
             expect_dtype=onp.float32)  # torch's promotion (NumPy: float64)
    check_np(lambda x, y: np.concatenate([x, y]), lambda x, y: onp.concatenate([x, y]), [b, b.astype(onp.int64)])
    with pytest.raises(mx.MXNetError, match=r"np\.concatenate.*must match.*\(2, 3\), \(2, 4\)"):
        np.concatenate([np.zeros((2, 3)), np.zeros((2, 4))])
    with pytest.raises(mx.MXNetError, match="zero-dimensional"):
        np.concatenate([np.zeros(()), np.zeros(())])


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_append(axis):
    check_np(lambda a, b: np.append(a, b, axis=axis), lambda a, b: onp.append(a, b, axis=axis),
             [rand(2, 3), rand(2, 3)], grad=True)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_stack(axis):
    check_np(lambda *a: np.stack(a, axis=axis), lambda *a: onp.stack(a, axis=axis), [rand(2, 3), rand(2, 3)],
             grad=True)
    with pytest.raises(mx.MXNetError, match="same shape"):
        np.stack([np.zeros((2, 3)), np.zeros((3, 2))])


@pytest.mark.parametrize("name", ["vstack", "row_stack", "hstack", "dstack", "column_stack"])
@pytest.mark.parametrize("shapes", [[(3,), (3,)], [(2, 3), (2, 3)], [(2, 3, 2), (2, 3, 2)], [(), ()]])
def test_stack_variants(name, shapes):
    if name == "column_stack" and len(shapes[0]) == 3:
        shapes = [(2, 3), (2, 1)]
    ref = getattr(onp, "vstack" if name == "row_stack" else name)
    fn = getattr(np, name)
    check_np(lambda *a: fn(list(a)), lambda *a: ref(list(a)), [rand(*s) for s in shapes], grad=True)


def test_hstack_mixed_and_list_inputs():
    check_np(lambda a, b: np.hstack([a, b]), lambda a, b: onp.hstack([a, b]), [rand(2, 1), rand(2, 3)])
    check_np(lambda a, b: np.vstack([a, b]), lambda a, b: onp.vstack([a, b]), [rand(3), rand(2, 3)])
    check_np(lambda a, b: np.column_stack([a, b]), lambda a, b: onp.column_stack([a, b]), [rand(3), rand(3, 2)])
    got = np.concatenate([[1, 2], np.array([3.0])])
    assert got.dtype == onp.float32 and got.tolist() == [1, 2, 3]


# ------------------------------------------------------------------ split family
@pytest.mark.parametrize("ios,axis", [(2, 0), (3, 1), ([1, 3], 1), ([2], 0), ([0, 2, 2, 9], 1), (1, 0), (6, 1)])
def test_split(ios, axis):
    check_np("split", onp.split, [rand(4, 6), ios], axis=axis, grad=True)


@pytest.mark.parametrize("ios,axis", [(3, 0), (4, 1), (7, 1), ([1, 5], 1), ([3, 1], 1)])
def test_array_split(ios, axis):
    check_np("array_split", onp.array_split, [rand(5, 6), ios], axis=axis, grad=True)


@pytest.mark.parametrize("name,shape,ios", [("hsplit", (4, 6), 2), ("hsplit", (6,), [2, 4]), ("vsplit", (4, 6), 2),
                                            ("dsplit", (2, 2, 4), 2), ("dsplit", (2, 2, 4), [1])])
def test_split_variants(name, shape, ios):
    check_np(name, getattr(onp, name), [rand(*shape), ios], grad=True)


def test_split_errors():
    check_np_error("split", [rand(5, 2), 2], match=r"np\.split.*equal division.*size 5.*2 sections")
    check_np_error("split", [rand(5, 2), 0], match="larger than 0")
    check_np_error("split", [rand(5, 2), 2], axis=3, match="out of bounds", error=IndexError)
    check_np_error("vsplit", [rand(4), 2], match="2 or more")
    check_np_error("dsplit", [rand(4, 2), 2], match="3 or more")


# ------------------------------------------------------------------ take / take_along_axis
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_take(axis):
    idx = onp.array([[0, 1], [2, -1]], dtype=onp.int64)
    check_np("take", onp.take, [rand(3, 4), idx], axis=axis, grad=[0])
    check_np(lambda a, i: a.take(i, axis=axis), lambda a, i: a.take(i, axis=axis), [rand(3, 4), idx])


@pytest.mark.parametrize("mode", ["wrap", "clip"])
def test_take_modes(mode):
    idx = onp.array([-5, 0, 3, 7], dtype=onp.int32)
    check_np("take", onp.take, [rand(3, 4), idx], axis=1, mode=mode, grad=[0])


def test_take_scalar_list_and_errors():
    x = rand(3, 4)
    check_np(lambda a: np.take(a, 2, axis=1), lambda a: onp.take(a, 2, axis=1), [x])
    got = np.take(np.array(x), [0, 2])
    onp.testing.assert_array_equal(got.asnumpy(), onp.take(x, [0, 2]))
    check_np_error("take", [x, onp.array([5])], axis=1, match="out of bounds", error=IndexError)
    check_np_error("take", [x, [0.5]], match="integers", error=TypeError)


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_take_along_axis(axis):
    x = rand(3, 4)
    idx = onp.argsort(x, axis=axis) if axis is not None else onp.argsort(x, axis=None)[:5]
    check_np("take_along_axis", onp.take_along_axis, [x, idx, axis], grad=[0])
    idx1 = onp.array([[0], [3], [-1]], dtype=onp.int64)
    check_np("take_along_axis", onp.take_along_axis, [x, idx1, 1])


# ------------------------------------------------------------------ pad
@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "maximum", "minimum"])
@pytest.mark.parametrize("width", [1, (1, 2), ((1, 0), (2, 3)), ((0, 0), (5, 4))])
def test_pad(mode, width):
    check_np("pad", onp.pad, [rand(2, 3), width], mode=mode, grad=True)


def test_pad_constant_values_ints_and_errors():
    x = onp.arange(6, dtype=onp.int32).reshape(2, 3)
    check_np("pad", onp.pad, [x, ((1, 1), (0, 2))], constant_values=7)
    check_np("pad", onp.pad, [rand(3), 2], mode="reflect")
    check_np_error("pad", [rand(2, 3), 1], mode="wrap", match=r"np\.pad.*mode")
    check_np_error("pad", [rand(2, 3), ((1, 1), (1, 1), (1, 1))], match="does not fit")
    check_np_error("pad", [rand(2, 3), 1], mode="edge", constant_values=2, match="unsupported")


# ------------------------------------------------------------------ delete / insert
@pytest.mark.parametrize("obj,axis", [(1, 1), (-1, 0), (1, None), (slice(0, 4, 2), 1), (slice(None, None, -1), 0),
                                      ([0, 2], 1), ([2, 0, 2], None), ([True, False, True], 0)])
def test_delete(obj, axis):
    x = rand(3, 4)
    check_np("delete", onp.delete, [x], obj=obj, axis=axis, symbolic=not isinstance(obj, list), grad=True)


def test_delete_errors():
    check_np_error("delete", [rand(3, 4)], obj=5, axis=0, match="out of bounds", error=IndexError)
    check_np_error("delete", [rand(3, 4)], obj=[0, 9], axis=1, match="out of bounds", error=IndexError)


@pytest.mark.parametrize("obj,values,axis", [(1, 5.0, 1), (1, [7.0, 8.0, 9.0], 1), (0, [1.0, 2.0, 3.0, 4.0], 0),
                                             (-1, 9.0, None), (3, 2.0, 0), (slice(0, 3), 1.5, 1),
                                             ([0, 2], [7.0, 8.0], 1), ([3, 0, 3], 9.0, None), ([1], [[1.0], [2.0], [3.0]], 1)])
def test_insert(obj, values, axis):
    x = rand(3, 4)
    ref = lambda a, **k: onp.insert(a, obj, values, axis=axis)  # noqa: E731
    check_np(lambda a: np.insert(a, obj, values, axis=axis), ref, [x], symbolic=isinstance(values, float)
             and not isinstance(obj, list), grad=True)


def test_insert_array_values_traced_and_errors():
    check_np(lambda a, v: np.insert(a, 1, v, axis=0), lambda a, v: onp.insert(a, 1, v, axis=0),
             [rand(3, 4), rand(4)], grad=True)
    check_np_error("insert", [rand(3, 4), 7, 1.0], axis=0, match="out of bounds", error=IndexError)
    check_np_error("insert", [rand(3, 4), 1, onp.ones((2, 2), dtype=onp.float32)], axis=0,
                   match="cannot be broadcast")


# ------------------------------------------------------------------ registry: MXNet's names and attrs
@pytest.mark.parametrize("name,attrs", [
    ("_np_reshape", ["newshape", "order"]), ("_npi_reshape", ["newshape", "reverse", "order"]),
    ("_np_transpose", ["axes"]), ("_npi_swapaxes", ["dim1", "dim2"]), ("_np_moveaxis", ["source", "destination"]),
    ("_npi_expand_dims", ["axis"]), ("_np_squeeze", ["axis"]), ("_npi_concatenate", ["num_args", "axis"]),
    ("_npi_stack", ["axis", "num_args"]), ("_npi_split", ["indices", "axis", "squeeze_axis", "sections"]),
    ("_npi_tile", ["reps"]), ("_np_repeat", ["repeats", "axis"]), ("_npi_flip", ["axis"]),
    ("_np_roll", ["shift", "axis"]), ("_npi_rot90", ["k", "axes"]), ("_npi_broadcast_to", ["shape"]),
    ("_npi_take", ["axis", "mode"]), ("_npi_pad", ["pad_width", "mode", "constant_value", "reflect_type"]),
    ("_npi_delete", ["start", "stop", "step", "int_ind", "axis"]), ("_np_atleast_2d", ["num_args"]),
    ("_npi_insert_tensor", ["val", "start", "stop", "step", "int_ind", "axis"]),
    ("_npi_insert_scalar", ["val", "start", "stop", "step", "int_ind", "axis"]),
    ("_npi_insert_slice", ["val", "start", "stop", "step", "int_ind", "axis"]),
    ("_npi_take_along_axis", ["axis"]), ("_npi_resize_fallback", ["new_shape"]),
    ("_npi_vstack", ["num_args"]), ("_npi_hstack", ["num_args"]), ("_npi_dstack", ["num_args"]),
    ("_npi_column_stack", ["num_args"]), ("_npi_hsplit", ["indices", "axis", "squeeze_axis", "sections"]),
    ("_npi_dsplit", ["indices", "axis", "squeeze_axis", "sections"]), ("_np_atleast_1d", ["num_args"]),
    ("_np_atleast_3d", ["num_args"]), ("_npi_boolean_mask", ["axis"]),
    ("_npi_boolean_mask_assign_scalar", ["value", "start_axis"]), ("_npi_boolean_mask_assign_tensor", ["start_axis"]),
    ("_npi_slice_assign", ["begin", "end", "step"]), ("_npi_slice_assign_scalar", ["scalar", "begin", "end", "step"]),
])
def test_registry_names_and_attr_order(name, attrs):
    assert list(registry.get(name).attrs._fields) == attrs


def test_mxnet_symbol_json_strings_parse():
    """Attribute strings as MXNet writes them into -symbol.json files."""
    x = np.array(onp.arange(24, dtype=onp.float32).reshape(2, 3, 4))
    cases = [("_np_reshape", {"newshape": "(3, -1)", "order": "C"}, onp.reshape(x.asnumpy(), (3, -1))),
             ("_np_transpose", {"axes": "None"}, x.asnumpy().T),
             ("_npi_pad", {"pad_width": "((1, 1), (0, 0), (0, 0))", "mode": "constant", "constant_value": "0"},
              onp.pad(x.asnumpy(), ((1, 1), (0, 0), (0, 0)))),
             ("_np_roll", {"shift": "1", "axis": "0"}, onp.roll(x.asnumpy(), 1, 0))]
    for name, attrs, want in cases:
        got = mx.numpy._core.call(name, [x], **attrs)
        onp.testing.assert_array_equal(got.asnumpy(), want)
    parts = mx.numpy._core.call("_split_v2", [x], axis="1", indices="[0, 1]", sections="0", squeeze_axis="False")
    assert [p.shape for p in parts] == [(2, 1, 4), (2, 2, 4)]


def test_hybridized_block_with_shape_ops():
    from gluonic import npx
    from gluonic.gluon import HybridBlock

    class Net(HybridBlock):
        def forward(self, x):
            y = np.concatenate([x, np.flip(x, 1)], axis=0).reshape(-1, 3)
            a, b = np.split(y.T, 2, axis=1)
            return np.stack([a, b])[1:, ..., 1:] + np.expand_dims(x, 0).sum()

    npx.set_np()
    net = Net()
    x = np.array(rand(2, 3))
    eager = net(x)
    net.hybridize()
    onp.testing.assert_allclose(net(x).asnumpy(), eager.asnumpy(), rtol=1e-6)


def test_float_index_arrays_and_out():
    """np.array([0, 2]) is float32 in MXNet's np: take accepts it (truncating, as MXNet)."""
    x = np.array(rand(3, 4))
    onp.testing.assert_array_equal(np.take(x, np.array([0, 2]), axis=1).asnumpy(), x.asnumpy()[:, [0, 2]])
    o = np.zeros((2, 3))
    assert np.reshape(np.arange(6), (2, 3), out=o) is o and o.asnumpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    o = np.zeros((4, 3))
    np.concatenate([np.ones((2, 3)), np.zeros((2, 3))], out=o)
    assert o.asnumpy().sum() == 6
    o = np.zeros((3,))
    np.squeeze(np.ones((1, 3)), out=o)
    assert o.asnumpy().tolist() == [1, 1, 1]


@pytest.mark.parametrize("fn", [lambda a: np.flip(a), lambda a: np.roll(a, 1), lambda a: np.pad(a, 1, mode="edge"),
                                lambda a: np.concatenate([a, a]), lambda a: np.tile(a, 2), lambda a: np.rot90(a),
                                lambda a: np.delete(a, 0, axis=1), lambda a: np.insert(a, 1, 1, axis=1)])
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "int32", "float16", "bfloat16"])
def test_dtypes_kept(fn, dtype):
    x = np.array(onp.array([[1, 0, 1], [0, 1, 1]]), dtype=dtype)
    r = fn(x)
    assert r.dtype == x.dtype
    want = fn(np.array(onp.array([[1, 0, 1], [0, 1, 1]]), dtype="float32")).asnumpy()
    onp.testing.assert_array_equal(r.astype("float32").asnumpy(), want)


def _assign_ref(key, value):
    def ref(x, *v):
        out = x.copy()
        out[key] = v[0] if v else value
        return out
    return ref


@pytest.mark.parametrize("begin,end,step", [((1,), (3,), ()), ((3, None), (0, None), (-2, 2)), ((None, 5), (None, None),
                                                                                                (2, -2))])
def test_slice_assign_ops(begin, end, step):
    x = rand(4, 6)
    key = tuple(slice(b, e, s) for b, e, s in zip(begin, end, step or (None,) * len(begin)))
    call = mx.numpy._core.call
    check_np(lambda a: call("_npi_slice_assign_scalar", [a], scalar=-1.0, begin=begin, end=end, step=step),
             _assign_ref(key, -1.0), [x], grad=True)
    v = rand(*x[key].shape)
    check_np(lambda a, b: call("_npi_slice_assign", [a, b], begin=begin, end=end, step=step), _assign_ref(key, None),
             [x, v], grad=True)


def test_boolean_mask_assign_ops():
    x, call = rand(3, 4), mx.numpy._core.call
    m = x > 0
    check_np(lambda a, k: call("_npi_boolean_mask_assign_scalar", [a, k], value=5.0, start_axis=0),
             lambda a, k: onp.where(k, onp.float32(5), a), [x, m], grad=[0], symbolic=True)
    m1 = onp.array([True, False, True, True])

    def ref(a, k, v):
        out = a.copy()
        out[:, k] = v
        return out
    check_np(lambda a, k, v: call("_npi_boolean_mask_assign_tensor", [a, k, v], start_axis=1), ref,
             [x, m1, rand(3, 1)], grad=[0, 2])
