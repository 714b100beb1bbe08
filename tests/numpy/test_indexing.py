"""NumPy indexing: traced on np symbols (gluonic/numpy/_indexing.py) and eager on mx.np.ndarray, vs NumPy."""
from __future__ import annotations

import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd, np
from gluonic.symbol.numpy import as_np_symbol

from .np_harness import _check_symbolic, check_np

RNG = onp.random.RandomState(0)
X = RNG.uniform(-2, 2, size=(3, 4, 5)).astype(onp.float32)

# Keys that eager indexing (torch) and traced indexing both support.
KEYS = [1, -1, (1, 2), (0, 1, 2), (-1, -2, -3), slice(1, None), (slice(None), slice(1, 3)), (slice(None), 1),
        (None, 0), (Ellipsis, 1), (Ellipsis, None), (1, Ellipsis, 2), (Ellipsis, slice(1, 3), 0),
        (1, slice(None), None, 2), (slice(0, 3, 2), None, slice(None), slice(None, None, 2)),
        [0, 2], [[0, 1], [2, 0]], (slice(None), [0, 1, 0]), (Ellipsis, [3, 0], slice(None, 2)),
        (slice(None), -1, [1, 1, 0]), (Ellipsis, 2, None), onp.array([2, 0]), (slice(None), onp.int64(1)),
        (Ellipsis,), (), slice(None), (slice(10, 20),), [True, False, True], (0, [True, False, True, True])]


def _label(k):
    return repr(k).replace(" ", "")[:40]


@pytest.mark.parametrize("key", KEYS, ids=_label)
def test_traced_equals_eager_and_numpy(key):
    check_np(lambda a: a[key], lambda a: a[key], [X])


@pytest.mark.parametrize("key", [(Ellipsis, slice(None, None, -1)), slice(None, None, -1), (slice(None, None, -2), 1),
                                 (slice(3, 0, -1), Ellipsis, slice(-1, None, -2)), (Ellipsis, [3, 0], slice(None, None, -1)),
                                 (-1, slice(None, 1, -1), None), (slice(None), range(3)), range(2, 0, -1)],
                         ids=_label)
def test_traced_negative_steps_and_ranges(key):
    """Negative steps and ``range`` keys: the compiled graph against NumPy (eager indexing lacks both, see core)."""
    want = X[key]
    _check_symbolic(lambda a: a[key], "getitem", [X], {}, [np.array(want)], 1e-6, 1e-6)


def test_traced_gradient():
    check_np(lambda a: a[1:, [0, 2], None], lambda a: a[1:, [0, 2], None], [X[:, :3, :2].copy()], grad=True)
    check_np(lambda a: a[..., 0], lambda a: a[..., 0], [X[:2, :2, :2].copy()], grad=True)


def _sym():
    return as_np_symbol(mx.sym.var("x"))


def test_traced_symbol_indices_take_and_mask():
    import torch

    from gluonic.compile import compile_symbol

    x, i = as_np_symbol(mx.sym.var("x")), as_np_symbol(mx.sym.var("i"))
    y = x[:, i]
    graph = compile_symbol(mx.sym.load_json(y.tojson()), ["x", "i"])
    idx = onp.array([[0, -1], [2, 2]], dtype=onp.int64)
    (got,) = graph(torch.from_numpy(X), torch.from_numpy(idx))
    onp.testing.assert_array_equal(got.numpy(), X[:, idx])

    m = x[x > 0]
    graph = compile_symbol(mx.sym.load_json(m.tojson()), ["x"])
    (got,) = graph(torch.from_numpy(X))
    onp.testing.assert_array_equal(got.numpy(), X[X > 0])
    assert "_npi_boolean_mask" in m.tojson()


def test_traced_records_mxnet_ops():
    js = _sym()[1, 2:4, None].tojson()
    for name in ("\"slice\"", "slice_axis", "_np_squeeze", "_npi_expand_dims"):
        assert name in js


@pytest.mark.parametrize("key,match", [((Ellipsis, 0, Ellipsis), "single ellipsis"),
                                       (([0, 1], [1, 0]), "more than one array"),
                                       ((onp.ones((2, 2), dtype=bool),), "2 or more dimensions"),
                                       ((True,), "Boolean scalar"), ([0.5], "integer or boolean"),
                                       ("a", None), ([], "empty index")], ids=_label)
def test_traced_errors(key, match):
    with pytest.raises((mx.MXNetError, IndexError), match=match):
        _sym()[key]


def test_traced_out_of_range_int_raises_when_run():
    import torch

    from gluonic.compile import compile_symbol

    graph = compile_symbol(_sym()[5], ["x"])
    with pytest.raises(mx.MXNetError, match="axis 0"):
        graph(torch.from_numpy(X))


def test_hybridized_block_indexing():
    from gluonic import npx
    from gluonic.gluon import HybridBlock

    class Net(HybridBlock):
        def forward(self, x):
            return x[1:, None, ::2] * 2 + x[0, ..., [1, 0]].sum()

    npx.set_np()
    net = Net()
    x = np.array(X)
    want = X[1:, None, ::2] * 2 + X[0, ..., [1, 0]].sum()
    onp.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-5)
    net.hybridize()
    onp.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-5)
    onp.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-5)  # the cached graph


# ------------------------------------------------------------------ eager mx.np.ndarray indexing
def test_eager_zero_dim_results():
    x = np.array(X)
    r = x[1, 2, 3]
    assert isinstance(r, np.ndarray) and r.shape == () and r.dtype == onp.float32
    assert float(r) == pytest.approx(float(X[1, 2, 3]))
    assert np.array([1, 2, 3])[-1].shape == ()


def test_eager_newaxis_and_integer_arrays():
    x = np.array(X)
    assert x[np.newaxis].shape == (1, 3, 4, 5)
    assert x[:, np.newaxis, 0].shape == X[:, None, 0].shape
    onp.testing.assert_array_equal(x[[0, 2], :, [1, 3]].asnumpy(), X[[0, 2], :, [1, 3]])
    onp.testing.assert_array_equal(x[np.array([2, 0], dtype="int32")].asnumpy(), X[[2, 0]])
    onp.testing.assert_array_equal(x[[[0], [1]], [1, 2]].asnumpy(), X[[[0], [1]], [1, 2]])


def test_eager_boolean_mask_get_and_set():
    x = np.array(X)
    onp.testing.assert_array_equal(x[x > 0].asnumpy(), X[X > 0])
    onp.testing.assert_array_equal(x[X[:, 0, 0] > 0].asnumpy(), X[X[:, 0, 0] > 0])
    x[x > 0] = 0
    want = X.copy()
    want[want > 0] = 0
    onp.testing.assert_array_equal(x.asnumpy(), want)
    x[x < -1] = np.array(X)[X < -1] * 2
    want[want < -1] *= 2
    onp.testing.assert_array_equal(x.asnumpy(), want)


def test_eager_views_and_copies():
    x = np.array(X)
    v = x[1]          # basic indexing: a view
    v[:] = 7
    assert (x.asnumpy()[1] == 7).all()
    c = x[[0]]        # advanced indexing: a copy
    c[:] = -7
    assert not (x.asnumpy()[0] == -7).any()
    r = np.reshape(x, (-1,))  # functions return new arrays (MXNet)
    r[0] = 100
    assert x.asnumpy()[0, 0, 0] != 100


def test_eager_setitem_broadcasting():
    x = np.zeros((3, 4))
    x[1] = np.array([1, 2, 3, 4])
    x[:, 0] = 9
    x[2:, 1:3] = np.array([[5, 6]])
    x[..., -1] = [7, 8, 9]
    want = onp.zeros((3, 4), dtype=onp.float32)
    want[1] = [1, 2, 3, 4]
    want[:, 0] = 9
    want[2:, 1:3] = [[5, 6]]
    want[..., -1] = [7, 8, 9]
    onp.testing.assert_array_equal(x.asnumpy(), want)
    with pytest.raises(mx.MXNetError):
        x[0] = np.ones((2,))


def test_eager_out_of_range_and_bad_keys():
    x = np.array(X)
    with pytest.raises(mx.MXNetError, match="index 5 is invalid") as e:
        x[5]
    assert isinstance(e.value, IndexError)
    with pytest.raises(IndexError):
        x[0, 0, 0, 0]
    with pytest.raises(IndexError):
        x[np.array([0.5])]
    with pytest.raises(IndexError):
        x[[0, 9]]


def test_eager_getitem_gradient():
    x = np.array(X[:2, :3, :2].astype(onp.float64))
    x.attach_grad()
    with autograd.record():
        y = (x[1:, [0, 2]] * 3).sum() + x[0, 0, 0]
    y.backward()
    want = onp.zeros((2, 3, 2))
    want[1:, [0, 2]] = 3
    want[0, 0, 0] += 1
    onp.testing.assert_allclose(x.grad.asnumpy(), want)
