"""Creation ops (ops/creation.py) and MXNet's Python-level nd functions (ndarray/creation.py).

Expected values marked "MXNet 1.9.1" were read from the real library.
"""
import inspect

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops import registry
from gluonic.ops.infer import infer

from .harness import check_op, check_op_error

nd = mx.nd
DTYPES = ["float16", "float32", "float64", "uint8", "int8", "int32", "int64", "bool"]


def _dtype_of(name):
    return nd.array([1], dtype=name).dtype


# ------------------------------------------------------------------ _zeros, _ones, _full
@pytest.mark.parametrize("dtype", DTYPES)
def test_zeros_ones(dtype):
    check_op("_zeros", [], lambda: np.zeros((2, 3), dtype), {"shape": (2, 3), "dtype": dtype}, grad=False)
    check_op("_ones", [], lambda: np.ones((4,), dtype), {"shape": 4, "dtype": dtype}, grad=False)
    check_op("_zeros_without_dtype", [], lambda: np.zeros((2,), np.float32), {"shape": (2,)}, grad=False)


def test_defaults_strings_and_zero_size():
    check_op("_zeros", [], lambda: np.zeros((2, 3), np.float32), {"shape": "(2, 3)"}, grad=False)
    check_op("_ones", [], lambda: np.ones((2, 0), np.float32), {"shape": (2, 0)}, grad=False)
    check_op("_zeros", [], lambda: np.zeros((), np.float32), {}, grad=False)
    y = nd._internal._ones(shape=(2,), dtype="bfloat16")
    assert y.dtype == _dtype_of("bfloat16") and y.asnumpy().tolist() == [1, 1]
    check_op("_zeros_without_dtype", [], lambda: np.zeros((3,), np.int32), {"shape": (3,), "dtype": 4}, grad=False)


@pytest.mark.parametrize("value,dtype,expected", [
    (2.5, "float32", 2.5), (2.7, "int32", 2), (-2.7, "int32", -2), (2.7, "bool", True),
    (300, "uint8", 44), (1e20, "float16", np.inf), (float("inf"), "float32", np.inf), (-1, "uint8", 255),
])
def test_full_converts_value_like_mxnet(value, dtype, expected):
    check_op("_full", [], lambda: np.full((2,), expected, dtype), {"shape": (2,), "value": value, "dtype": dtype},
             grad=False)


def test_creation_errors():
    check_op_error("_zeros", [], {"shape": (2, -1)}, match="non-negative")
    check_op_error("_ones", [], {"shape": (2, 3), "dtype": "foo"}, match="dtype")
    check_op_error("_full", [], {"shape": (2,)}, match="value")
    check_op_error("_zeros_without_dtype", [], {"shape": (2,), "dtype": 99}, match="dtype code")
    check_op_error("_zeros", [], {"shape": (2,), "ctx": "tpu(0)"}, match="context")
    check_op_error("_zeros", [], {"shape": (2,), "colour": 1}, match="colour")
    with pytest.raises(mx.MXNetError, match="non-negative"):
        infer(registry.get("_zeros"), [], [], registry.get("_zeros").parse_attrs({"shape": (-1,)}))


def test_ctx_attribute():
    y = nd._internal._zeros(shape=(2,), ctx="cpu(1)")
    assert y.context == mx.cpu(1)
    with mx.cpu(2):
        assert nd._internal._ones(shape=(2,)).context == mx.cpu(2)
        assert nd.zeros(2).context == mx.cpu(2)
    assert nd._internal._eye(N=2, ctx=mx.cpu(3)).context == mx.cpu(3)


# ------------------------------------------------------------------------------ _arange
@pytest.mark.parametrize("attrs,expected,dtype", [
    ({"start": 5}, [0, 1, 2, 3, 4], "float32"),
    ({"start": 2, "stop": 6}, [2, 3, 4, 5], "float32"),
    ({"start": 2, "stop": 6, "step": 1.5, "repeat": 2}, [2, 2, 3.5, 3.5, 5, 5], "float32"),
    ({"start": 6, "stop": 2, "step": -1.5}, [6, 4.5, 3], "float32"),
    ({"start": 1, "stop": 3, "repeat": 3, "dtype": "int64"}, [1, 1, 1, 2, 2, 2], "int64"),
    ({"start": 0, "stop": 5, "step": 0.5, "dtype": "int32"}, [0] * 10, "int32"),  # MXNet 1.9.1 (and NumPy)
    ({"start": 0.5, "stop": 5, "dtype": "int32"}, [0, 1, 2, 3, 4], "int32"),
    ({"start": 5, "stop": 0, "step": -2, "dtype": "int32"}, [5, 3, 1], "int32"),
    ({"start": 250, "stop": 260, "dtype": "uint8"}, [250, 251, 252, 253, 254, 255, 0, 1, 2, 3], "uint8"),
    ({"start": 0, "stop": 1, "step": 0.3}, [0, 0.3, 0.6, 0.9], "float32"),
    ({"start": 0, "stop": 3, "step": 0.7, "dtype": "float16"}, [0, 0.7, 1.4, 2.1, 2.8], "float16"),
    ({"start": 6, "stop": 2}, [], "float32"),
    ({"start": 3, "stop": None}, [0, 1, 2], "float32"),
])
def test_arange(attrs, expected, dtype):
    check_op("_arange", [], lambda: np.array(expected, dtype), attrs, grad=False)


def test_arange_float_precision_matches_numpy():
    out = nd._internal._arange(start=0, stop=1, step=0.1, dtype="float64").asnumpy()
    np.testing.assert_array_equal(out, np.arange(10) * 0.1)
    out = nd._internal._arange(start=16777216, stop=16777220).asnumpy()
    assert out.tolist() == [16777216, 16777216, 16777218, 16777220]  # MXNet 1.9.1 (float32 rounding)


def test_arange_errors():
    check_op_error("_arange", [], {"start": 0, "stop": 5, "step": 0}, match="step")
    check_op_error("_arange", [], {"start": 0, "stop": 3, "repeat": 0}, match="repeat")
    check_op_error("_arange", [], {"start": 0, "infer_range": True}, match="infer_range")
    check_op_error("_arange", [], {"start": 0, "stop": 3, "dtype": "bool"}, match="bool")
    check_op_error("_arange", [], {"stop": 3}, match="start")


# ---------------------------------------------------------------------------- _linspace
@pytest.mark.parametrize("attrs,expected,dtype", [
    ({"start": 0, "stop": 1, "num": 5}, np.linspace(0, 1, 5), "float32"),
    ({"start": 0, "stop": 1, "num": 5, "endpoint": False}, np.linspace(0, 1, 5, endpoint=False), "float32"),
    ({"start": 3, "stop": 1, "num": 1}, [3], "float32"),
    ({"start": 3, "stop": 1, "num": 1, "endpoint": False}, [3], "float32"),
    ({"start": 3, "stop": 1, "num": 0}, [], "float32"),
    ({"start": -3, "stop": 4, "num": 6, "dtype": "int32"}, [-3, -1, 0, 1, 2, 4], "int32"),  # MXNet 1.9.1
    ({"start": 0, "stop": 300, "num": 4, "dtype": "uint8"}, [0, 100, 200, 44], "uint8"),  # MXNet 1.9.1
    ({"start": 0, "stop": 1, "num": 7, "dtype": "float64"}, np.linspace(0, 1, 7), "float64"),
])
def test_linspace(attrs, expected, dtype):
    check_op("_linspace", [], lambda: np.array(expected, dtype), attrs, grad=False, rtol=0, atol=0)


def test_linspace_errors():
    check_op_error("_linspace", [], {"start": 3, "stop": 1, "num": -1}, match="num")
    check_op_error("_linspace", [], {"start": 3, "stop": 1, "step": 1}, match="step")


# --------------------------------------------------------------------------------- _eye
@pytest.mark.parametrize("attrs,shape_k", [
    ({"N": 3}, (3, 3, 0)), ({"N": 3, "M": 4, "k": 1}, (3, 4, 1)), ({"N": 3, "M": 2, "k": -1}, (3, 2, -1)),
    ({"N": 3, "k": 5}, (3, 3, 5)), ({"N": 2, "M": 3, "k": -5}, (2, 3, -5)), ({"N": 0}, (0, 0, 0)),
])
@pytest.mark.parametrize("dtype", ["float32", "int32", "float64", "bool"])
def test_eye(attrs, shape_k, dtype):
    n, m, k = shape_k
    check_op("_eye", [], lambda: np.eye(n, m, k, dtype=dtype), {**attrs, "dtype": dtype}, grad=False)


def test_eye_errors():
    check_op_error("_eye", [], {"N": -1}, match="non-negative")
    check_op_error("_eye", [], {}, match="N")


# ------------------------------------------------------------------------ nd functions
SIGNATURES = {  # inspect.signature in MXNet 1.9.1
    "zeros": "(shape, ctx=None, dtype=None, stype=None, **kwargs)",
    "ones": "(shape, ctx=None, dtype=None, **kwargs)",
    "full": "(shape, val, ctx=None, dtype=<class 'numpy.float32'>, out=None)",
    "empty": "(shape, ctx=None, dtype=None, stype=None)",
    "arange": "(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=<class 'numpy.float32'>)",
    "linspace": "(start, stop, num, endpoint=True, ctx=None, dtype=<class 'numpy.float32'>)",
    "eye": "(N, M=0, k=0, ctx=None, dtype=None, **kwargs)",
    "add": "(lhs, rhs)",
    "power": "(base, exp)",
    "concatenate": "(arrays, axis=0, always_copy=True)",
    "moveaxis": "(tensor, source, destination)",
}


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_signatures_match_mxnet(name):
    sig = inspect.signature(getattr(nd, name))
    plain = sig.replace(parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
                        return_annotation=sig.empty)
    assert str(plain) == SIGNATURES[name]


def test_nd_creation_functions():
    z = nd.zeros((2, 3))
    assert z.shape == (2, 3) and z.dtype == np.float32 and z.context == mx.current_context()
    assert nd.zeros(3, dtype="int64").asnumpy().tolist() == [0, 0, 0]
    assert nd.zeros(3, mx.cpu(2)).context == mx.cpu(2)
    assert nd.zeros([2, 3]).shape == (2, 3) and nd.zeros((np.int64(2),)).shape == (2,)
    assert nd.ones((2, 3), dtype=np.float16).dtype == np.float16
    assert nd.ones(2, ctx="cpu(1)").context == mx.cpu(1)
    assert nd.full((2, 3), 7).asnumpy().tolist() == [[7] * 3] * 2
    assert nd.full((2,), 7.9, dtype="int32").asnumpy().tolist() == [7, 7]
    assert nd.full((2,), 7.9, dtype=None).dtype == np.float32
    e = nd.empty((2, 3), dtype="int32")
    assert e.shape == (2, 3) and e.dtype == np.int32 and nd.empty(4).shape == (4,)
    assert nd.arange(3).asnumpy().tolist() == [0, 1, 2]
    assert nd.arange(2, 6, step=2, repeat=3, dtype="int32").asnumpy().tolist() == [2, 2, 2, 4, 4, 4]
    np.testing.assert_allclose(nd.arange(0.5, 3.1, 0.5).asnumpy(), [0.5, 1, 1.5, 2, 2.5, 3])
    np.testing.assert_allclose(nd.linspace(2.0, 3.0, 5, endpoint=False).asnumpy(), [2, 2.2, 2.4, 2.6, 2.8])
    assert nd.linspace(0, 10, 4, dtype="int32").asnumpy().tolist() == [0, 3, 6, 10]  # MXNet 1.9.1
    np.testing.assert_array_equal(nd.eye(3, 2, -1).asnumpy(), np.eye(3, 2, -1))
    assert nd.eye(2, dtype="float64").dtype == np.float64


def test_nd_out_and_errors():
    out = nd.ones((2,))
    assert nd.zeros((2,), out=out) is out and out.asnumpy().tolist() == [0, 0]
    out = nd.zeros((2,), dtype="int32")
    assert nd.full((2,), 5.5, out=out) is out and out.asnumpy().tolist() == [5, 5] and out.dtype == np.int32
    with pytest.raises(mx.MXNetError, match="non-negative"):
        nd.zeros((2, -3))
    with pytest.raises(mx.MXNetError, match="non-negative"):
        nd.empty((-2,))
    with pytest.raises(mx.MXNetError, match="dtype"):
        nd.zeros((2,), dtype="foo")
    with pytest.raises(mx.MXNetError, match="Unsupported dtype"):
        nd.ones((2,), dtype="complex64")
    with pytest.raises(ValueError, match="Sparse"):
        nd.zeros((2,), stype="csr")
    with pytest.raises(mx.MXNetError, match="num"):
        nd.linspace(0, 1, -1)
    with pytest.warns(DeprecationWarning):
        assert nd.arange(0, 3, infer_range=False).shape == (3,)


# ----------------------------------------------------------------- scalar-or-array ufuncs
UFUNCS = {  # name: (NumPy function, (lhs, rhs) arrays to use)
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide,
    "true_divide": np.divide, "modulo": np.mod, "power": np.power, "maximum": np.maximum, "minimum": np.minimum,
    "equal": np.equal, "not_equal": np.not_equal, "greater": np.greater, "greater_equal": np.greater_equal,
    "lesser": np.less, "lesser_equal": np.less_equal, "logical_and": np.logical_and,
    "logical_or": np.logical_or, "logical_xor": np.logical_xor,
}


@pytest.mark.parametrize("name", sorted(UFUNCS))
def test_ufunc_dispatch(name):
    ref = UFUNCS[name]
    fn = getattr(nd, name)
    a = np.array([[1.0, 2.0, 3.0], [0.0, 5.0, 2.0]], np.float32)
    b = np.array([2.0, 2.0, 1.0], np.float32)
    expect = lambda x, y: np.asarray(ref(x, y)).astype(np.float32)  # noqa: E731
    np.testing.assert_allclose(fn(nd.array(a), nd.array(b)).asnumpy(), expect(a, b), rtol=1e-6)
    np.testing.assert_allclose(fn(nd.array(a), 2).asnumpy(), expect(a, np.float32(2)), rtol=1e-6)
    np.testing.assert_allclose(fn(2.0, nd.array(b)).asnumpy(), expect(np.float32(2), b), rtol=1e-6)
    np.testing.assert_allclose(fn(np.float32(3), nd.array(b)).asnumpy(), expect(np.float32(3), b), rtol=1e-6)
    assert fn(nd.array(a), 2).dtype == np.float32
    scalar = fn(5, 3)
    assert not isinstance(scalar, mx.nd.NDArray)
    assert scalar == (ref(5, 3) if name in ("add", "subtract", "multiply", "divide", "true_divide", "modulo",
                                            "power", "maximum", "minimum") else int(ref(5, 3)))
    with pytest.raises(TypeError, match="NDArray or a number"):
        fn(nd.array(a), "x")
    with pytest.raises(TypeError, match="NDArray or a number"):
        fn(a, nd.array(b))


def test_ufunc_scalar_keeps_array_dtype():
    x = nd.array([1, 2], dtype="int32")
    assert nd.add(x, 1.7).asnumpy().tolist() == [2, 3]  # MXNet 1.9.1: the scalar is cast to int32
    assert nd.add(x, 1.7).dtype == np.int32
    assert nd.subtract(10, x).asnumpy().tolist() == [9, 8]
    assert nd.lesser(2, nd.array([1, 3])).asnumpy().tolist() == [0, 1]
    assert nd.maximum(1, 2) == 2 and nd.equal(2, 2) == 1 and nd.lesser_equal(3, 2) == 0
    assert nd.divide(1, 2) == 0.5 and nd.logical_xor(1, 0) == 1 and nd.add(True, nd.array([1])).asnumpy()[0] == 2


def test_python_functions_override_generated_ones():
    from gluonic.ndarray import creation

    for name in creation.__all__:
        assert getattr(nd, name) is getattr(creation, name), name


def test_moveaxis_and_concatenate():
    if registry.find("transpose") is None or registry.find("concat") is None:
        pytest.skip("transpose/concat not registered yet")
    x = nd.array(np.arange(24).reshape(2, 3, 4))
    assert nd.moveaxis(x, 0, -1).shape == (3, 4, 2)
    np.testing.assert_array_equal(nd.moveaxis(x, [0, 1], [-1, -2]).asnumpy(),
                                  np.moveaxis(np.arange(24).reshape(2, 3, 4), [0, 1], [-1, -2]))
    with pytest.raises(ValueError):
        nd.moveaxis(x, 3, 0)
    with pytest.raises(ValueError):
        nd.moveaxis(x, [0, 1], [0])
    y = nd.concatenate([x, x], axis=1)
    assert y.shape == (2, 6, 4)
    assert nd.concatenate([x], always_copy=False) is x
