"""NDArray semantics: creation, properties, indexing (views vs copies as MXNet), arithmetic dtype rules."""
import pickle

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.base import GluonicIndexError, GluonicTypeError, GluonicValueError, MXNetError


def test_array_default_dtypes():
    assert mx.nd.array([1, 2, 3]).dtype == np.float32  # lists default to float32 like MXNet
    # MXNet 1.9.1: NumPy sources become float32 too, unless dtype is given
    assert mx.nd.array(np.arange(3)).dtype == np.float32
    assert mx.nd.array(np.ones(2, np.float64)).dtype == np.float32
    assert mx.nd.array(np.ones(2, np.float64), dtype="float64").dtype == np.float64
    assert mx.nd.array([1, 2], dtype="int32").dtype == np.int32
    x = mx.nd.array(np.ones(2, np.float16), dtype="float16")
    assert mx.nd.array(x).dtype == np.float16


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "uint8", "int8", "int32", "int64", "bool"])
def test_array_roundtrip_dtypes(dtype):
    a = (np.arange(6).reshape(2, 3) % 2).astype(dtype)
    x = mx.nd.array(a, dtype=dtype)
    assert x.dtype == np.dtype(dtype).type
    np.testing.assert_array_equal(x.asnumpy(), a)


def test_bfloat16_asnumpy_is_float32():
    x = mx.nd.array([1.5, 2.25], dtype="bfloat16")
    assert x.dtype == mx.base.np.dtype([("bfloat16", np.uint16)])
    np.testing.assert_array_equal(x.asnumpy(), np.array([1.5, 2.25], np.float32))


def test_bad_dtype_and_ragged_input():
    with pytest.raises(GluonicTypeError, match="Unsupported dtype"):
        mx.nd.array([1, 2], dtype="complex64")
    with pytest.raises(GluonicTypeError, match="Received"):
        mx.nd.array([[1, 2], [3]])


def test_properties():
    x = mx.nd.array(np.zeros((2, 3, 4), np.float32))
    assert x.shape == (2, 3, 4) and x.size == 24 and x.ndim == 3
    assert x.context == mx.cpu(0) and x.ctx == mx.cpu(0)
    assert x.stype == "default"
    assert x.T.shape == (4, 3, 2)
    assert len(x) == 2


def test_asnumpy_is_a_copy():
    x = mx.nd.array([1.0, 2.0])
    a = x.asnumpy()
    x[:] = 5
    assert a.tolist() == [1.0, 2.0]


def test_asscalar_and_conversions():
    x = mx.nd.array([3.5])
    assert x.asscalar() == np.float32(3.5) and isinstance(x.asscalar(), np.float32)
    assert float(x) == 3.5 and int(x) == 3
    with pytest.raises(GluonicValueError, match="not a scalar"):
        mx.nd.array([1, 2]).asscalar()
    assert bool(mx.nd.array([0])) is False and bool(mx.nd.array([2])) is True
    with pytest.raises(ValueError, match="ambiguous"):
        bool(mx.nd.array([1, 2]))


# MXNet 1.9.1 observed: which basic indexes return views (writes show in the source).
@pytest.mark.parametrize(
    "key,is_view,shape",
    [
        (1, True, (4,)),
        (slice(0, 2), True, (2, 4)),
        ((1, slice(1, 3)), True, (2,)),
        ((slice(None), 1), False, (3,)),
        ((slice(0, 2), slice(None)), True, (2, 4)),
        ((1, 2), True, (1,)),
    ],
)
def test_basic_indexing_views_like_mxnet(key, is_view, shape):
    x = mx.nd.array(np.arange(12).reshape(3, 4))
    v = x[key]
    assert v.shape == shape
    v[:] = -1
    assert ((x.asnumpy() == -1).any()) == is_view


def test_advanced_indexing():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    x = mx.nd.array(a)
    np.testing.assert_array_equal(x[[0, 2]].asnumpy(), a[[0, 2]])
    np.testing.assert_array_equal(x[mx.nd.array([2, 0])].asnumpy(), a[[2, 0]])
    np.testing.assert_array_equal(x[np.array([1]), np.array([3])].asnumpy(), a[[1], [3]])
    np.testing.assert_array_equal(x[:, [1, 3]].asnumpy(), a[:, [1, 3]])
    np.testing.assert_array_equal(x[None, 1].asnumpy(), a[None, 1])


def test_setitem_forms_match_mxnet():
    x = mx.nd.array(np.arange(12).reshape(3, 4))
    x[1] = 5
    x[:, 0] = mx.nd.array([7, 8, 9])
    x[0, 1:3] = np.array([1, 1])
    expected = [[7, 1, 1, 3], [8, 5, 5, 5], [9, 9, 10, 11]]  # MXNet 1.9.1 output
    np.testing.assert_array_equal(x.asnumpy(), expected)
    x[[0, 2], 3] = 0
    assert x.asnumpy()[0, 3] == 0 and x.asnumpy()[2, 3] == 0


def test_index_errors_are_clear():
    x = mx.nd.array(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"shape \(3, 4\)"):
        x[5]
    with pytest.raises(GluonicIndexError):
        x["a"]
    with pytest.raises(GluonicIndexError):
        x[0] = np.zeros(7)


def test_arithmetic_broadcasts():
    a, b = np.random.rand(2, 3).astype(np.float32), np.random.rand(1, 3).astype(np.float32)
    x, y = mx.nd.array(a), mx.nd.array(b)
    np.testing.assert_allclose((x + y).asnumpy(), a + b)
    np.testing.assert_allclose((x - y).asnumpy(), a - b)
    np.testing.assert_allclose((x * y).asnumpy(), a * b)
    np.testing.assert_allclose((x / y).asnumpy(), a / b, rtol=1e-6)
    np.testing.assert_allclose((2 - x).asnumpy(), 2 - a)
    np.testing.assert_allclose((2 / x).asnumpy(), 2 / a, rtol=1e-6)
    np.testing.assert_allclose((x ** 2).asnumpy(), a ** 2, rtol=1e-6)
    np.testing.assert_allclose((2 ** x).asnumpy(), 2 ** a, rtol=1e-6)
    np.testing.assert_allclose((-x).asnumpy(), -a)


def test_scalar_ops_keep_int_dtype_like_mxnet():
    x = mx.nd.array([1, 2, 3, -5], dtype="int32")
    # expected values observed on MXNet 1.9.1
    assert (x + 1.5).asnumpy().tolist() == [2, 3, 4, -4]
    assert (x / 2).asnumpy().tolist() == [0, 1, 1, -2]
    assert (x > 1.5).asnumpy().tolist() == [0, 1, 1, 0]
    assert (7 / x).asnumpy().tolist() == [7, 3, 2, -1]
    assert (x % 2).asnumpy().tolist() == [1, 0, 1, 1]
    assert (2 ** x).asnumpy().tolist() == [2, 4, 8, 0]
    assert (x + 1.5).dtype == np.int32
    u = mx.nd.array([1, 2, 3, 250], dtype="uint8")
    assert (u + 10).asnumpy().tolist() == [11, 12, 13, 4]


def test_float_mod_follows_divisor_sign():
    f = mx.nd.array([1.5, -2.5, 3.7])
    np.testing.assert_allclose((f % 2).asnumpy(), [1.5, 1.5, 1.7], rtol=1e-6)
    np.testing.assert_allclose((f % -2).asnumpy(), [-0.5, -0.5, -0.3], rtol=1e-5)


def test_comparisons_return_input_dtype():
    x = mx.nd.array([1.0, 2.0, 3.0], dtype="float16")
    r = x > 1
    assert r.dtype == np.float16 and r.asnumpy().tolist() == [0, 1, 1]
    assert (x == mx.nd.array([1, 0, 3], dtype="float16")).asnumpy().tolist() == [1, 0, 1]


def test_inplace_operators_write_same_memory():
    x = mx.nd.array([1.0, 2.0])
    view = x[0:1]
    x += 1
    x *= 2
    assert x.asnumpy().tolist() == [4.0, 6.0]
    assert view.asnumpy().tolist() == [4.0]


def test_astype_copy_semantics():
    x = mx.nd.array([1.7, -1.7])
    assert x.astype("float32", copy=False) is x
    y = x.astype("float32")
    assert y is not x
    assert x.astype("int32").asnumpy().tolist() == [1, -1]


def test_copyto_and_contexts():
    x = mx.nd.array([1.0, 2.0])
    y = mx.nd.zeros_like(x) if hasattr(mx.nd, "zeros_like") else x.zeros_like()
    x.copyto(y)
    assert y.asnumpy().tolist() == [1.0, 2.0]
    z = x.copyto(mx.cpu(1))
    assert z.context == mx.cpu(1)
    assert (z + z).context == mx.cpu(1)
    assert x.as_in_context(mx.cpu(0)) is x
    with pytest.raises(GluonicValueError, match="shape"):
        x.copyto(mx.nd.array([1.0]))


def test_default_context_scope():
    with mx.cpu(3):
        assert mx.current_context() == mx.cpu(3)
        assert mx.nd.array([1]).context == mx.cpu(3)
    assert mx.current_context() == mx.cpu(0)


def test_repr_matches_mxnet_layout():
    assert repr(mx.nd.array([[1, 2]])).endswith("<NDArray 1x2 @cpu(0)>")


def test_pickle_roundtrip():
    x = mx.nd.array(np.arange(6).reshape(2, 3), dtype="int32")
    y = pickle.loads(pickle.dumps(x))
    assert y.dtype == np.int32 and y.asnumpy().tolist() == x.asnumpy().tolist()


def test_dtype_mismatch_out_and_error_types():
    x = mx.nd.array([1.0, 2.0])
    out = mx.nd.array([0.0, 0.0])
    mx.nd.broadcast_add(x, x, out=out)
    assert out.asnumpy().tolist() == [2.0, 4.0]
    with pytest.raises(GluonicValueError, match="out= has shape"):
        mx.nd.broadcast_add(x, x, out=mx.nd.array([0.0]))
    with pytest.raises(MXNetError, match=r"broadcast_add.*Received: lhs\(2,\) float32, rhs\(3,\) float32"):
        mx.nd.broadcast_add(x, mx.nd.array([1.0, 2.0, 3.0]))
    with pytest.raises(GluonicTypeError, match="inputs must be NDArrays"):
        mx.nd.broadcast_add(x, [1, 2])
    with pytest.raises(ValueError, match="same shape"):
        mx.nd.elemwise_add(x, mx.nd.array([[1.0, 2.0]]))


def test_generated_function_signature_and_doc():
    import inspect

    sig = inspect.signature(mx.nd._internal._plus_scalar)
    assert list(sig.parameters)[:3] == ["data", "scalar", "is_int"]
    assert "Parameters" in mx.nd.broadcast_add.__doc__
    with pytest.raises(GluonicValueError, match="cannot find argument 'scalr'"):
        mx.nd._internal._plus_scalar(mx.nd.array([1.0]), scalr=2)


def test_operators_return_new_arrays_but_reshape_method_is_a_view():
    x = mx.nd.array(np.arange(6.0).reshape(2, 3))
    t = mx.nd.transpose(x)
    t += 1  # MXNet: operator results never alias their inputs
    f = mx.nd.flatten(x)
    x[0, 0] = 100
    assert x.asnumpy()[0, 1] == 1 and f.asnumpy()[0, 0] == 0
    parts = mx.nd.split(x, num_outputs=2, axis=0)
    parts[0][:] = -1
    assert x.asnumpy()[0, 1] == 1
    v = x.reshape((3, 2))  # the method is a view, as in MXNet
    v[:] = 7
    assert (x.asnumpy() == 7).all()
    assert mx.nd.identity(x) is not x


def test_scalar_source_gives_0d_array_like_mxnet():
    assert mx.nd.array(1).shape == () and mx.nd.array(np.float32(2)).shape == ()


def test_index_arrays_are_bounds_checked_before_a_gpu_gather():
    """On a GPU an out-of-range index is a device-side assert, so it is checked on the host first."""
    from gluonic.ndarray._index import _check_index_arrays

    ok = [(torch.tensor([0, 2, -3]),), (slice(None), torch.tensor([3, -4])), (Ellipsis, torch.tensor([1])),
          (None, torch.tensor([2]), 0), (torch.ones(3, dtype=torch.bool), torch.tensor([3]))]
    for idx in ok:
        _check_index_arrays((3, 4), idx)
    bad = [((torch.tensor([0, 3]),), "index 3 is out of bounds for axis 0 with size 3"),
           ((slice(None), torch.tensor([4])), "axis 1 with size 4"),
           ((Ellipsis, torch.tensor([-5])), "index -5 .* axis 1"),
           ((None, 1, torch.tensor([9])), "axis 1"),
           ((torch.ones(3, dtype=torch.bool), torch.tensor([4])), "axis 1")]
    for idx, match in bad:
        with pytest.raises(IndexError, match=match):
            _check_index_arrays((3, 4), idx)
