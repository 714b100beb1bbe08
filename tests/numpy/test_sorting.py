"""mx.np sorting, searching and differences vs NumPy: sort argsort unique nonzero argwhere flatnonzero
searchsorted bincount diff ediff1d."""
import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic import numpy as np
from tests.numpy.np_harness import check_np, check_np_error

rng = onp.random.RandomState(1)
X = rng.uniform(-2, 2, (3, 4, 5)).astype(onp.float32)
TIES = onp.array([[3, 1, 2, 1, 3], [0, 0, 5, 4, 4]], dtype=onp.float32)


# ------------------------------------------------------------------------------- sort / argsort
@pytest.mark.parametrize("axis", [-1, 0, 1, None])
@pytest.mark.parametrize("name", ["sort", "argsort"])
def test_sort(name, axis):
    check_np(name, getattr(onp, name), [X], axis=axis)
    check_np(name, lambda a, **k: getattr(onp, name)(a, kind="stable", **k), [TIES], axis=axis if axis != 1 else 0)
    check_np(name, lambda a, **k: getattr(onp, name)(a, kind="stable", **k), [TIES.astype(onp.int32)],
             axis=axis if axis != 1 else 0)


def test_sort_edge_cases_and_methods():
    check_np("sort", onp.sort, [onp.zeros((0, 3), onp.float32)], axis=0)
    check_np("sort", onp.sort, [onp.array(2.0, onp.float32)], axis=None)
    check_np_error("sort", [onp.array(2.0, onp.float32)], match="axis")
    check_np_error("sort", [X], match="axis 3", axis=3)
    a = np.array(TIES)
    onp.testing.assert_array_equal(a.sort(axis=0).asnumpy(), onp.sort(TIES, axis=0))
    got = a.argsort()
    assert got.dtype == onp.int64
    onp.testing.assert_array_equal(got.asnumpy(), onp.argsort(TIES, kind="stable"))


def test_sort_gradient():
    check_np("sort", onp.sort, [rng.uniform(size=(2, 4))], axis=1, grad=True)


# ------------------------------------------------------------------------------- unique
@pytest.mark.parametrize("flags", [(False, False, False), (True, False, False), (False, True, False),
                                   (False, False, True), (True, True, True)])
def test_unique(flags):
    a = rng.randint(0, 5, (4, 6)).astype(onp.float32)
    kwargs = dict(zip(["return_index", "return_inverse", "return_counts"], flags))
    check_np("unique", onp.unique, [a], **kwargs)  # traces and compiles (no symbolic shape inference)
    check_np("unique", onp.unique, [a.astype(onp.int32)], symbolic=False, **kwargs)


def test_unique_axis():
    a = onp.array([[1, 2, 1], [0, 1, 0], [1, 2, 1]], dtype=onp.float32)
    for axis in [0, 1, -1]:
        check_np("unique", onp.unique, [a], symbolic=False, axis=axis, return_index=True, return_inverse=True,
                 return_counts=True)


def test_unique_edge_cases():
    check_np("unique", onp.unique, [onp.zeros((0,), onp.float32)], symbolic=False)
    check_np("unique", onp.unique, [onp.array(3.0, onp.float32)], symbolic=False, return_counts=True)
    check_np("unique", onp.unique, [onp.array([True, False, True])], symbolic=False)
    nans = onp.array([2.0, onp.nan, 1.0, onp.nan, 2.0, onp.nan], onp.float32)  # NaNs merge, as in NumPy 2
    check_np("unique", onp.unique, [nans], symbolic=False, return_index=True, return_inverse=True,
             return_counts=True)
    check_np_error("unique", [X], match=r"np\.unique.*axis 3", axis=3)


# ------------------------------------------------------------------------------- nonzero family
def test_nonzero_family():
    a = (rng.uniform(size=(3, 4)) > 0.5).astype(onp.float32) * X[0, :3, :4]
    check_np("nonzero", onp.nonzero, [a], symbolic=False)
    check_np("argwhere", onp.argwhere, [a])
    check_np("flatnonzero", onp.flatnonzero, [a])
    check_np("nonzero", onp.nonzero, [a > 0], symbolic=False)
    check_np("nonzero", onp.nonzero, [onp.zeros((2, 0), onp.int32)], symbolic=False)
    check_np("argwhere", onp.argwhere, [onp.array(3.0, onp.float32)], symbolic=False)
    check_np("argwhere", onp.argwhere, [onp.array(0.0, onp.float32)], symbolic=False)
    check_np("flatnonzero", onp.flatnonzero, [onp.array(3.0, onp.float32)], symbolic=False)
    r = np.array(a).nonzero()
    assert isinstance(r, tuple) and len(r) == 2 and r[0].dtype == onp.int64


def test_nonzero_errors():
    check_np_error("nonzero", [onp.array(1.0)], match="0-d")
    from gluonic.symbol.numpy import as_np_symbol

    with pytest.raises(mx.MXNetError, match="nonzero"):
        np.nonzero(as_np_symbol(mx.sym.var("x")))


# ------------------------------------------------------------------------------- searchsorted
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(side):
    a = onp.array([1, 2, 2, 3, 5], dtype=onp.float32)
    v = onp.array([[0, 2, 2.5], [5, 6, 1]], dtype=onp.float32)
    check_np("searchsorted", onp.searchsorted, [a, v], side=side)
    check_np("searchsorted", onp.searchsorted, [a.astype(onp.int32), v.astype(onp.int32)], side=side)
    shuffled = onp.array([3, 1, 5, 2, 2], dtype=onp.float32)
    assert (shuffled[onp.argsort(shuffled, kind="stable")] == a).all()
    got = np.searchsorted(np.array(shuffled), np.array(v), side=side,
                          sorter=np.array(onp.argsort(shuffled, kind="stable"), dtype="int64"))
    onp.testing.assert_array_equal(got.asnumpy(), onp.searchsorted(shuffled, v, side=side,
                                                                   sorter=onp.argsort(shuffled, kind="stable")))


def test_searchsorted_scalar_and_errors():
    got = np.searchsorted(np.array([1.0, 2, 3]), 2.5)
    assert got.shape == () and got.item() == 2 and got.dtype == onp.int64
    check_np_error("searchsorted", [X, onp.ones(2, onp.float32)], match="1-d")
    check_np_error("searchsorted", [onp.ones(3, onp.float32), 1.0], match="side", side="middle")


# ------------------------------------------------------------------------------- bincount
def test_bincount():
    x = onp.array([0, 1, 1, 3, 7, 1], dtype=onp.int64)
    check_np("bincount", onp.bincount, [x])
    check_np("bincount", onp.bincount, [x.astype(onp.int32)], symbolic=False, minlength=12)
    w = rng.uniform(size=x.shape).astype(onp.float32)
    check_np("bincount", onp.bincount, [x, w], symbolic=False, expect_dtype="float32")  # NumPy: float64
    check_np("bincount", onp.bincount, [x, w.astype(onp.float64)], symbolic=False)
    check_np("bincount", onp.bincount, [onp.zeros((0,), onp.int64)], symbolic=False, minlength=2)


def test_bincount_errors():
    check_np_error("bincount", [onp.array([0.0, 1.0])], match="integers", error=TypeError)
    check_np_error("bincount", [onp.array([0, -1], dtype=onp.int32)], match="non-negative")
    check_np_error("bincount", [onp.zeros((2, 2), dtype=onp.int32)], match="1-d")
    check_np_error("bincount", [onp.array([0, 1]), onp.ones(3, onp.float32)], match="weights")


# ------------------------------------------------------------------------------- diff / ediff1d
@pytest.mark.parametrize("n", [0, 1, 2, 6])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_diff(n, axis):
    check_np("diff", onp.diff, [X], n=n, axis=axis, rtol=1e-5, atol=1e-5)
    check_np("diff", onp.diff, [(X * 10).astype(onp.int32)], n=n, axis=axis)
    check_np("diff", onp.diff, [X > 0], n=n, axis=axis)  # bool: not_equal, as in NumPy


def test_diff_prepend_append():
    a = X[0]
    # Python scalars take a's dtype (NumPy makes them float64 arrays first, giving float64)
    check_np("diff", onp.diff, [a], prepend=0.0, append=1.5, axis=0, symbolic=False, rtol=1e-5, atol=1e-6,
             expect_dtype="float32")
    check_np("diff", onp.diff, [a], prepend=a[:, :2], axis=1, symbolic=False, rtol=1e-5, atol=1e-6)
    ai = onp.arange(6, dtype=onp.int64).reshape(2, 3)
    check_np("diff", onp.diff, [ai], append=7, symbolic=False)
    check_np("diff", onp.diff, [ai], prepend=ai[:, :1], n=2, symbolic=False)


def test_diff_errors_and_gradient():
    check_np_error("diff", [onp.array(1.0)], match="at least 1-d")
    check_np_error("diff", [X], match="non-negative", n=-1)
    check_np_error("diff", [X], match="axis 3", axis=3)
    check_np("diff", onp.diff, [rng.uniform(size=(2, 4))], n=2, grad=True)


def test_ediff1d():
    a = X[:2, :3]
    check_np("ediff1d", onp.ediff1d, [a], rtol=1e-5, atol=1e-6)
    check_np("ediff1d", onp.ediff1d, [a], to_begin=-9.0, to_end=7.0, rtol=1e-5, atol=1e-6)
    check_np("ediff1d", onp.ediff1d, [a, onp.array([1.0, 2.0], onp.float32)], rtol=1e-5, atol=1e-6)
    check_np(lambda a, b, **k: np.ediff1d(a, to_begin=b, **k), lambda a, b, **k: onp.ediff1d(a, to_begin=b, **k),
             [a, onp.array([[5.0]], onp.float32)], to_end=3.0, rtol=1e-5, atol=1e-6)
    check_np(lambda a, b, c: np.ediff1d(a, to_begin=b, to_end=c), lambda a, b, c: onp.ediff1d(a, c, b),
             [a, onp.array([5.0], onp.float32), onp.array([6.0, 7.0], onp.float32)], rtol=1e-5, atol=1e-6)
    check_np("ediff1d", onp.ediff1d, [onp.arange(5, dtype=onp.int32)])
    check_np("ediff1d", onp.ediff1d, [onp.array([1.0], onp.float32)])
    check_np("ediff1d", onp.ediff1d, [rng.uniform(size=(2, 3))], grad=True)


def test_ediff1d_gradient_to_end_array():
    x = np.array([1.0, 4.0, 9.0])
    e = np.array([2.0, 3.0])
    x.attach_grad()
    e.attach_grad()
    with autograd.record():
        y = np.ediff1d(x, to_end=e)
    y.backward(np.array([1.0, 10.0, 100.0, 1000.0]))
    onp.testing.assert_allclose(x.grad.asnumpy(), [-1.0, -9.0, 10.0])
    onp.testing.assert_allclose(e.grad.asnumpy(), [100.0, 1000.0])
