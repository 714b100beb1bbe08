"""mx.np array creation and text input vs NumPy itself (values, dtypes, shapes, ctx, errors, gradients)."""
from __future__ import annotations

import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic import numpy as np
from gluonic.base import GluonicTypeError, GluonicValueError

from .np_harness import check_np, check_np_error

RNG = onp.random.RandomState(0)


def _f32(fn):
    """A NumPy reference whose result is cast to float32 (MXNet's default dtype)."""
    return lambda *a, **k: onp.asarray(fn(*a, **{n: v for n, v in k.items() if n not in ("ctx", "device")}),
                                       dtype=onp.float32)


def _ref(fn):
    return lambda *a, **k: fn(*a, **{n: v for n, v in k.items() if n not in ("ctx", "device")})


# ----------------------------------------------------------------------------- array / asarray / copy
def test_array_dtypes():
    assert np.array([1, 2]).dtype == onp.float32  # MXNet: lists become float32
    assert np.array([[True, False]]).dtype == onp.float32
    assert np.array(onp.arange(3)).dtype == onp.int64  # NumPy arrays keep their dtype
    assert np.array(onp.arange(3.0)).dtype == onp.float64
    assert np.array([1, 2], dtype="int32").dtype == onp.int32
    assert np.array(3).shape == ()
    assert np.array(onp.zeros((2, 0))).shape == (2, 0)
    x = np.array([1.0, 2.0])
    y = np.array(x)
    y[0] = 5
    assert x.asnumpy()[0] == 1.0  # array copies
    assert np.asarray(x) is x
    assert np.asarray(x, dtype="float16").dtype == onp.float16
    assert np.array(x, ctx=mx.cpu(0)).context == mx.cpu(0)
    assert np.array([1], device="cpu(0)").context == mx.cpu(0)


def test_ascontiguousarray():
    assert np.ascontiguousarray(3.0).shape == onp.ascontiguousarray(3.0).shape == (1,)
    onp.testing.assert_array_equal(np.ascontiguousarray([[1, 2]]).asnumpy(), [[1, 2]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int8", "uint8", "bool", "float16"])
def test_copy(dtype):
    x = (RNG.randn(2, 3) * 3).astype(dtype)
    check_np("copy", onp.copy, [x], grad=dtype in ("float32", "float64"))
    check_np(lambda a: a.copy(), onp.copy, [x], symbolic=False)  # _Symbol has no .copy yet


def test_copy_is_independent_and_out():
    x = np.array([1.0, 2.0])
    y = np.copy(x)
    y[0] = 7
    assert x.asnumpy()[0] == 1
    out = np.zeros(2)
    assert np.copy(x, out=out) is out
    onp.testing.assert_array_equal(out.asnumpy(), [1, 2])


# ----------------------------------------------------------------------------- zeros / ones / empty / full
SHAPES = [3, (2, 3), (), (0,), (2, 0, 3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_filled_default_float32(name, shape):
    ref = onp.zeros if name == "empty" else getattr(onp, name)
    out = check_np(name, _ref(ref), [shape], expect_dtype="float32", symbolic=False)
    assert out.context == mx.current_context()


@pytest.mark.parametrize("dtype", ["float16", "float64", "int32", "int64", "int8", "uint8", "bool", int, float])
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_filled_dtypes(name, dtype):
    check_np(name, getattr(onp, name), [(2, 3)], dtype=dtype, symbolic=False)


def test_bfloat16_and_ctx():
    import torch

    for f in (np.zeros, np.ones, np.empty):
        assert f((2,), dtype="bfloat16")._tensor.dtype == torch.bfloat16
    assert np.eye(2, dtype="bfloat16")._tensor.dtype == torch.bfloat16
    for kw in ({"ctx": mx.cpu(0)}, {"device": mx.cpu(0)}, {"ctx": "cpu(0)"}):
        for f in (np.zeros, np.ones, np.empty):
            assert f((2,), **kw).context == mx.cpu(0)
        assert np.full((2,), 1, **kw).context == mx.cpu(0)
        assert np.arange(3, **kw).context == mx.cpu(0)
        assert np.eye(2, **kw).context == mx.cpu(0)
        assert np.zeros_like(np.ones(2), **kw).context == mx.cpu(0)
    with mx.cpu(0):
        assert np.linspace(0, 1, 3).context == mx.cpu(0)


@pytest.mark.parametrize("value, dtype, expect", [
    (3, None, "float32"), (2.5, None, "float32"), (True, None, "bool"), (2.5, "int32", "int32"),
    (-1, "int8", "int8"), (7, "float64", "float64"), (onp.float64(1.5), None, "float32")])
def test_full(value, dtype, expect):
    check_np("full", lambda s, v, dtype=None: onp.full(s, v, dtype=expect), [(2, 3), value], dtype=dtype,
             expect_dtype=expect, symbolic=False)


def test_full_array_fill_value_broadcasts():
    check_np("full", lambda s, v: onp.full(s, v, dtype=onp.float32), [(2, 3), onp.arange(3, dtype="float32")],
             symbolic=False)
    check_np("full", lambda s, v: onp.full(s, v), [(2, 0), onp.arange(1, dtype="int32")], symbolic=False)
    check_np_error("full", [(2, 3), onp.arange(2.0)], match="np.full")


def test_full_out():
    out = np.ones((2,))
    assert np.full((2,), 5, out=out) is out
    onp.testing.assert_array_equal(out.asnumpy(), [5, 5])
    assert np.full((2,), np.array([1.0, 2.0]), out=out) is out
    onp.testing.assert_array_equal(out.asnumpy(), [1, 2])


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "full"])
def test_negative_shape_errors(name):
    args = [(2, -1)] + ([1.0] if name == "full" else [])
    check_np_error(name, args, match=f"np.{name}: negative dimensions", error=GluonicValueError)
    check_np_error(name, [("a",)] + args[1:], match=f"np.{name}", error=GluonicTypeError)


# ----------------------------------------------------------------------------- *_like
LIKE_INPUTS = [RNG.randn(2, 3).astype("float32"), onp.arange(4, dtype="int32").reshape(2, 2),
               onp.zeros((0, 3), "float64"), onp.array(2.5), onp.array([True, False])]


@pytest.mark.parametrize("x", LIKE_INPUTS, ids=lambda x: f"{x.dtype}{x.shape}")
def test_like(x):
    check_np("zeros_like", onp.zeros_like, [x])
    check_np("ones_like", onp.ones_like, [x])
    check_np("full_like", onp.full_like, [x, 2.7])
    check_np("empty_like", onp.zeros_like, [x])


@pytest.mark.parametrize("dtype", ["float16", "int64", "bool", "float64"])
def test_like_dtype(dtype):
    x = RNG.randn(2, 2).astype("float32")
    check_np("zeros_like", onp.zeros_like, [x], dtype=dtype)
    check_np("full_like", onp.full_like, [x, -3], dtype=dtype)


def test_like_gradients_are_zero_and_values():
    x = RNG.randn(2, 3)
    check_np("zeros_like", onp.zeros_like, [x], grad=True)
    check_np("full_like", onp.full_like, [x, 4.0], grad=True)
    a = np.array([1.0, 2.0])
    a.attach_grad()
    with autograd.record():
        y = (np.ones_like(a).as_nd_ndarray() * a.as_nd_ndarray()).sum()
    y.backward()
    onp.testing.assert_array_equal(a.grad.asnumpy(), [1, 1])


def test_like_misc():
    x = np.ones((2, 3), dtype="int32")
    assert np.full_like(x, True).dtype == onp.int32
    assert np.empty_like(x, shape=(4,)).shape == (4,)
    out = np.zeros((2, 3), dtype="int32")
    assert np.full_like(x, 9, out=out) is out and out.asnumpy().min() == 9
    check_np_error("full_like", [onp.ones(2), onp.ones(2)], match="fill_value must be a scalar")


# ----------------------------------------------------------------------------- arange / linspace / logspace / geomspace
@pytest.mark.parametrize("args", [(5,), (5.5,), (1, 5), (1, 5, 2), (5, 0, -1.5), (0,), (3, 1), (-3, 3, 0.5),
                                  (0, 1, 0.1), (10, -10, -3)])
def test_arange_float32(args):
    check_np("arange", _f32(onp.arange), list(args), expect_dtype="float32", symbolic=False)


@pytest.mark.parametrize("dtype", ["int32", "int64", "float64", "float16", "int8", "uint8"])
def test_arange_dtypes(dtype):
    check_np("arange", onp.arange, [0, 20, 3], dtype=dtype, symbolic=False)
    check_np("arange", onp.arange, [7, 1, -2], dtype=dtype if dtype != "uint8" else "int8", symbolic=False)


def test_arange_errors():
    check_np_error("arange", [0, 5, 0], match="np.arange: step must not be 0")
    check_np_error("arange", [onp.arange(3)], match="np.arange: stop must be a real number")
    check_np_error("arange", [onp.arange(3), 5], match="np.arange: start must be a real number")
    check_np_error("arange", [None], match="np.arange: stop must be a real number")


@pytest.mark.parametrize("num", [0, 1, 2, 5, 50])
@pytest.mark.parametrize("endpoint", [True, False])
def test_linspace(num, endpoint):
    check_np("linspace", _f32(onp.linspace), [-1.5, 3], num=num, endpoint=endpoint, expect_dtype="float32",
             symbolic=False)
    got, step = np.linspace(-1.5, 3, num, endpoint=endpoint, retstep=True)
    want, wstep = onp.linspace(-1.5, 3, num, endpoint=endpoint, retstep=True)
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6, atol=1e-6)
    assert step == pytest.approx(wstep, nan_ok=True)


@pytest.mark.parametrize("dtype", ["int32", "float64", "int64"])
def test_linspace_dtypes(dtype):
    check_np("linspace", onp.linspace, [0, 10, 5], dtype=dtype, symbolic=False)
    check_np("linspace", onp.linspace, [10, 1, 6], dtype=dtype, symbolic=False)
    # integer results truncate toward zero, as in MXNet and NumPy < 2 (NumPy 2 floors)
    if dtype.startswith("int"):
        onp.testing.assert_array_equal(np.linspace(10, -7, 6, dtype=dtype).asnumpy(), [10, 6, 3, 0, -3, -7])


def test_linspace_errors():
    check_np_error("linspace", [0, 1, -1], match="np.linspace: number of samples must be non-negative")
    check_np_error("linspace", [onp.zeros(2), 1], match="array-valued start/stop")
    check_np_error("linspace", [0, 1, 5], axis=1, match="axis must be 0 or -1")
    check_np_error("linspace", [0, 1, 2.5], match="num must be an integer", error=GluonicTypeError)


@pytest.mark.parametrize("kw", [{}, {"base": 2.0}, {"endpoint": False}, {"num": 1}, {"num": 0}, {"base": 0.5}])
def test_logspace(kw):
    kw = {"num": 7, **kw}
    check_np("logspace", _f32(onp.logspace), [-1, 2], expect_dtype="float32", symbolic=False, rtol=1e-6, **kw)
    check_np("logspace", onp.logspace, [0, 3], dtype="float64", symbolic=False, **kw)


def test_logspace_int_and_errors():
    check_np("logspace", onp.logspace, [0, 2, 3], dtype="int32", symbolic=False)
    check_np_error("logspace", [0, 1, -2], match="np.logspace")


@pytest.mark.parametrize("args", [(1, 1000, 4), (-1, -1000, 4), (2, 3, 1), (1, 256, 9), (5, 1, 3)])
def test_geomspace(args):
    check_np("geomspace", _f32(onp.geomspace), list(args), expect_dtype="float32", symbolic=False, rtol=1e-6)
    check_np("geomspace", onp.geomspace, list(args), endpoint=False, dtype="float64", symbolic=False)


def test_geomspace_errors():
    check_np_error("geomspace", [0, 10], match="non-zero and of the same sign")
    check_np_error("geomspace", [-1, 10], match="non-zero and of the same sign")


# ----------------------------------------------------------------------------- eye / identity / tri
@pytest.mark.parametrize("args", [(3,), (2, 3), (3, 2), (3, None, 1), (3, 4, -2), (3, 3, 5), (0,), (3, 0), (4, 4, -4)])
def test_eye(args):
    check_np("eye", _f32(onp.eye), list(args), expect_dtype="float32", symbolic=False)
    check_np("eye", onp.eye, list(args), dtype="int32", symbolic=False)


@pytest.mark.parametrize("dtype", ["float64", "int64", "bool", "uint8", "float16"])
def test_eye_identity_dtypes(dtype):
    check_np("eye", onp.eye, [3], k=1, dtype=dtype, symbolic=False)
    check_np("identity", onp.identity, [3], dtype=dtype, symbolic=False)


def test_identity():
    check_np("identity", _f32(onp.identity), [4], expect_dtype="float32", symbolic=False)
    check_np("identity", _f32(onp.identity), [0], expect_dtype="float32", symbolic=False)
    check_np_error("identity", [-1], match="np.identity: n must be non-negative")
    check_np_error("identity", [2.5], match="np.identity: n must be an integer", error=GluonicTypeError)
    check_np_error("eye", [-2], match="np.eye: N and M must be non-negative")
    check_np_error("eye", [2, -1], match="np.eye")


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2, 1), (3, 3, -1), (0,), (3, None, -5)])
def test_tri(args):
    check_np("tri", _f32(onp.tri), list(args), expect_dtype="float32", symbolic=False)
    check_np("tri", onp.tri, list(args), dtype="int32", symbolic=False)
    check_np_error("tri", [-1], match="np.tri")


# ----------------------------------------------------------------------------- tril / triu
@pytest.mark.parametrize("shape", [(3, 3), (3, 5), (5, 3), (2, 3, 4), (4,), (0, 2)])
@pytest.mark.parametrize("k", [0, 1, -1, 10, -10])
@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_triu(name, shape, k):
    x = RNG.randn(*shape).astype("float32")
    check_np(name, getattr(onp, name), [x], k=k, grad=shape in ((3, 5), (4,)) and k in (0, 1))


@pytest.mark.parametrize("dtype", ["int32", "bool", "float64", "uint8"])
def test_tril_dtypes(dtype):
    x = (RNG.randn(3, 4) * 4).astype(dtype)
    check_np("tril", onp.tril, [x], k=1)
    check_np("triu", onp.triu, [x], k=-1)


def test_tril_errors():
    check_np_error("tril", [onp.array(1.0)], match="np.tril: input must have at least 1 dimension")
    check_np_error("triu", [onp.array(1.0)], match="np.triu")


# ----------------------------------------------------------------------------- diag / diagflat / diagonal / trace
@pytest.mark.parametrize("shape", [(3,), (3, 3), (3, 5), (5, 2), (0,), (1,)])
@pytest.mark.parametrize("k", [0, 2, -1, -6])
def test_diag(shape, k):
    x = RNG.randn(*shape).astype("float32")
    check_np("diag", onp.diag, [x], k=k, grad=k in (0, 2) and shape in ((3,), (3, 5)))


def test_diag_dtypes_and_errors():
    check_np("diag", onp.diag, [onp.arange(3, dtype="int32")], k=1)
    check_np("diag", onp.diag, [onp.ones((2, 2), dtype=bool)])
    check_np_error("diag", [onp.ones(())], match="np.diag: input must be 1-D or 2-D")
    check_np_error("diag", [onp.ones((2, 2, 2))], match="np.diag: input must be 1-D or 2-D")


@pytest.mark.parametrize("shape", [(3,), (2, 2), (2, 1, 3), ()])
@pytest.mark.parametrize("k", [0, 1, -2])
def test_diagflat(shape, k):
    x = onp.asarray(RNG.randn(*shape))
    check_np("diagflat", onp.diagflat, [x], k=k, grad=shape == (2, 2))


@pytest.mark.parametrize("shape, axes", [((3, 3), (0, 1)), ((3, 5), (1, 0)), ((2, 3, 4), (1, 2)),
                                         ((2, 3, 4), (-1, 0)), ((4, 2, 3), (0, 2)), ((0, 3), (0, 1))])
@pytest.mark.parametrize("offset", [0, 1, -2, 7])
def test_diagonal_and_trace(shape, axes, offset):
    x = RNG.randn(*shape)
    grad = offset in (0, 1) and shape != (0, 3)
    check_np("diagonal", onp.diagonal, [x], offset=offset, axis1=axes[0], axis2=axes[1], grad=grad)
    check_np("trace", onp.trace, [x], offset=offset, axis1=axes[0], axis2=axes[1], grad=grad)


def test_trace_dtypes_and_methods():
    xi = onp.arange(9, dtype="int32").reshape(3, 3)
    check_np("trace", onp.trace, [xi], expect_dtype="int32")  # MXNet keeps int32 (NumPy: int64)
    check_np("trace", onp.trace, [xi], dtype="float64")
    check_np("trace", onp.trace, [onp.eye(2, dtype=bool)], expect_dtype="int64")
    check_np(lambda a: a.trace(offset=1), lambda a: onp.trace(a, 1), [xi.astype("float32")], symbolic=False)
    check_np(lambda a: a.diagonal(1), lambda a: a.diagonal(1), [xi.astype("float32")], symbolic=False)
    out = np.zeros(())
    assert np.trace(np.eye(3), out=out) is out and float(out) == 3.0


@pytest.mark.parametrize("name", ["diagonal", "trace"])
def test_diagonal_errors(name):
    check_np_error(name, [onp.ones(3)], match=f"np.{name}: input must have at least 2 dimensions")
    check_np_error(name, [onp.ones((2, 2))], axis1=0, axis2=2, match=f"np.{name}: axis out of bounds")
    check_np_error(name, [onp.ones((2, 2))], axis1=1, axis2=-1, match=f"np.{name}: axis1 and axis2 cannot be")


# ----------------------------------------------------------------------------- indices / meshgrid / fromfunction
@pytest.mark.parametrize("dims", [(2, 3), (4,), (), (2, 0, 3), (1, 2, 3)])
def test_indices(dims):
    check_np("indices", _ref(onp.indices), [dims], expect_dtype="int32", symbolic=False)
    check_np("indices", onp.indices, [dims], dtype="float32", symbolic=False)
    check_np_error("indices", [3], match="np.indices: dimensions must be a sequence")


@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("sizes", [(3,), (2, 3), (3, 1, 2), (2, 0)])
def test_meshgrid(sizes, indexing, sparse):
    xs = [RNG.randn(n) for n in sizes]
    differentiable = not sparse and 0 not in sizes and len(sizes) == 2
    check_np("meshgrid", onp.meshgrid, xs, indexing=indexing, sparse=sparse, grad=differentiable,
             symbolic=0 not in sizes)


def test_meshgrid_errors():
    check_np_error("meshgrid", [onp.ones(2)], indexing="yx", match="np.meshgrid: indexing must be")
    assert np.meshgrid() == []


def test_fromfunction():
    got = np.fromfunction(lambda i, j: i.as_nd_ndarray() * 3 + j.as_nd_ndarray(), (2, 3))
    onp.testing.assert_array_equal(got.asnumpy(), onp.fromfunction(lambda i, j: i * 3 + j, (2, 3)))
    assert np.fromfunction(lambda i: i, (4,), dtype="int32").dtype == onp.int32


# ----------------------------------------------------------------------------- genfromtxt
def test_genfromtxt(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b,c\n1,2,3\n4.5,,6\n")
    got = np.genfromtxt(path, delimiter=",", skip_header=1)
    want = onp.genfromtxt(path, delimiter=",", skip_header=1)
    assert isinstance(got, np.ndarray) and got.dtype == want.dtype == onp.float64
    onp.testing.assert_array_equal(got.asnumpy(), want)
    got = np.genfromtxt(str(path), delimiter=",", skip_header=1, dtype="int32", filling_values=-1, ctx=mx.cpu(0))
    assert got.dtype == onp.int32 and got.context == mx.cpu(0)
    onp.testing.assert_array_equal(got.asnumpy(), [[1, 2, 3], [4, -1, 6]])
    got = np.genfromtxt(str(path), delimiter=",", skip_header=1, usecols=(2,), dtype="float32")
    onp.testing.assert_array_equal(got.asnumpy(), [3, 6])


def test_genfromtxt_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError, match="nope.csv") as info:
        np.genfromtxt(path, delimiter=",")
    assert isinstance(info.value, mx.MXNetError)


# ----------------------------------------------------------------------------- in a hybridized block
def test_array_taking_functions_in_hybridized_block():
    class Net(mx.gluon.HybridBlock):
        def forward(self, x):
            return np.trace(np.copy(np.tril(x, -1))), np.full_like(x, 2.0), np.diag(np.diagonal(x, 1))

    net = Net()
    x = np.array(RNG.randn(3, 3))
    eager = [o.asnumpy() for o in net(x)]
    net.hybridize()
    for got, want in zip(net(x), eager):
        onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)
    xn = x.asnumpy()
    onp.testing.assert_allclose(eager[0], onp.trace(onp.tril(xn, -1)), rtol=1e-6)
    onp.testing.assert_allclose(eager[2], onp.diag(onp.diagonal(xn, 1)), rtol=1e-6)


# ----------------------------------------------------------------------------- symbol files written by MXNet 1.9
# (op, attrs exactly as MXNet 1.9.1's np front end writes them, NumPy reference of the output given x)
_X = onp.arange(12, dtype="float32").reshape(3, 4)
MXNET_NODES = [
    ("_npi_zeros", {"ctx": "cpu(0)", "dtype": "float32", "shape": "(2, 3)"}, lambda x: onp.zeros((2, 3), "float32")),
    ("_npi_ones", {"ctx": "cpu(0)", "dtype": "int32", "shape": "(2, 3)"}, lambda x: onp.ones((2, 3), "int32")),
    ("_full", {"ctx": "cpu(0)", "dtype": "float32", "shape": "(2, 3)", "value": "2.5"},
     lambda x: onp.full((2, 3), 2.5, "float32")),
    ("_npi_full", {"ctx": "cpu(0)", "dtype": "bool", "shape": "(2,)", "value": "1"}, lambda x: onp.ones(2, bool)),
    ("_npi_arange", {"ctx": "cpu(0)", "dtype": "int32", "start": "1", "step": "2", "stop": "5"},
     lambda x: onp.arange(1, 5, 2, dtype="int32")),
    ("_linspace", {"ctx": "cpu(0)", "endpoint": "True", "num": "5", "start": "0", "stop": "1"},
     lambda x: onp.linspace(0, 1, 5, dtype="float32")),
    ("_npi_linspace", {"ctx": "cpu(0)", "dtype": "float64", "endpoint": "False", "num": "5", "start": "0", "stop": "1"},
     lambda x: onp.linspace(0, 1, 5, endpoint=False)),
    ("_npi_logspace", {"base": "10.0", "ctx": "cpu(0)", "endpoint": "True", "num": "5", "start": "0", "stop": "1"},
     lambda x: onp.logspace(0, 1, 5, dtype="float32")),
    ("_npi_eye", {"M": "4", "N": "3", "ctx": "cpu(0)", "dtype": "float32", "k": "1"},
     lambda x: onp.eye(3, 4, 1, dtype="float32")),
    ("_npi_eye", {"M": "None", "N": "3", "ctx": "cpu(0)", "dtype": "float32", "k": "0"},
     lambda x: onp.eye(3, dtype="float32")),
    ("_npi_identity", {"ctx": "cpu(0)", "dtype": "float32", "shape": "(3, 3)"}, lambda x: onp.identity(3, "float32")),
    ("_npi_indices", {"ctx": "cpu(0)", "dimensions": "(2, 3)", "dtype": "int32"},
     lambda x: onp.indices((2, 3), dtype="int32")),
    ("_npi_tril", {"k": "1"}, lambda x: onp.tril(x, 1)),
    ("_np_diag", {"k": "1"}, lambda x: onp.diag(x, 1)),
    ("_np_diag", None, onp.diag),
    ("_np_diagflat", {"k": "1"}, lambda x: onp.diagflat(x, 1)),
    ("_np_diagonal", {"axis1": "0", "axis2": "1", "offset": "1"}, lambda x: onp.diagonal(x, 1)),
    ("_np_trace", {"offset": "1"}, lambda x: onp.trace(x, 1)),
    ("_np_trace", None, onp.trace),
    ("_np_copy", None, onp.copy),
    ("_npi_full_like", {"ctx": "cpu(0)", "fill_value": "3"}, lambda x: onp.full_like(x, 3)),
    ("_npi_full_like", {"ctx": "cpu(0)", "dtype": "int32", "fill_value": "3"}, lambda x: onp.full_like(x, 3, "int32")),
    # not in MXNet 1.9 (MXNet 2 names and attributes)
    ("_npi_triu", {"k": "-1"}, lambda x: onp.triu(x, -1)),
    ("_npi_tri", {"N": "3", "M": "None", "k": "1", "dtype": "float32"}, lambda x: onp.tri(3, k=1, dtype="float32")),
]


@pytest.mark.parametrize("op, attrs, ref", MXNET_NODES, ids=[f"{n[0]}-{i}" for i, n in enumerate(MXNET_NODES)])
def test_mxnet_symbol_json_loads_and_runs(op, attrs, ref):
    import json

    import torch

    from gluonic.compile import compile_symbol

    has_input = bool(mx.ops.registry.get(op).inputs)
    node = {"op": op, "name": "n", "inputs": [[0, 0, 0]] if has_input else []}
    if attrs is not None:
        node["attrs"] = attrs
    nodes = [{"op": "null", "name": "x", "inputs": []}, node]
    sym = mx.sym.load_json(json.dumps({"nodes": nodes, "arg_nodes": [0], "node_row_ptr": [0, 1, 2],
                                       "heads": [[1, 0, 0]], "attrs": {"mxnet_version": ["int", 10901]}}))
    want = onp.asarray(ref(_X.copy()))
    _, out_shapes, _ = sym.infer_shape_partial(**({"x": _X.shape} if has_input else {}))
    assert tuple(out_shapes[0]) == want.shape
    (got,) = compile_symbol(sym, sym.list_inputs())(*([torch.from_numpy(_X.copy())] if has_input else []))
    got = got.cpu().numpy()
    assert got.dtype == want.dtype
    onp.testing.assert_allclose(got, want, rtol=1e-6)
