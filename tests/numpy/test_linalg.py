"""mx.np.linalg against numpy.linalg: values, shapes, dtypes, batches, gradients, errors."""
import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic import numpy as np
from tests.numpy.np_harness import check_np, check_np_error

RNG = onp.random.RandomState(0)
LinAlgError = np.linalg.LinAlgError


def rand(*shape, dtype="float32"):
    return RNG.uniform(-1, 1, size=shape).astype(dtype)


def well(*shape, dtype="float32"):
    """Well-conditioned square matrices (..., n, n): identity-dominated."""
    n = shape[-1]
    return (rand(*shape, dtype="float64") * 0.3 + 2 * onp.eye(n)).astype(dtype)


def spd(*shape, dtype="float32"):
    """Symmetric positive definite with distinct eigenvalues."""
    n = shape[-1]
    q = onp.linalg.qr(rand(*shape, dtype="float64"))[0]
    d = onp.arange(1, n + 1, dtype="float64") * 1.5
    return ((q * d[..., None, :]) @ onp.swapaxes(q, -1, -2)).astype(dtype)


def max_abs_positive(v, axis):
    """Flip vectors along ``axis`` so that their largest-magnitude entry is positive (MXNet's convention)."""
    idx = onp.expand_dims(onp.abs(v).argmax(axis), axis)
    s = onp.sign(onp.take_along_axis(v, idx, axis))
    return v * onp.where(s == 0, 1, s)


# ------------------------------------------------------------------ norm
NORM_CASES = [((3,), {}), ((2, 3), {}), ((2, 3, 4), {}), ((3,), {"ord": 1}), ((3,), {"ord": 3}), ((3,), {"ord": 0.5}),
              ((3,), {"ord": onp.inf}), ((3,), {"ord": -onp.inf}), ((3,), {"ord": 0}), ((3,), {"ord": -1}),
              ((2, 3), {"ord": "fro"}), ((2, 3), {"ord": "nuc"}), ((2, 3), {"ord": 1}), ((2, 3), {"ord": -1}),
              ((2, 3), {"ord": 2}), ((2, 3), {"ord": -2}), ((2, 3), {"ord": onp.inf}), ((2, 3), {"ord": -onp.inf}),
              ((2, 3), {"axis": 0}), ((2, 3), {"axis": -1, "keepdims": True}), ((2, 3, 4), {"axis": (1, 2)}),
              ((2, 3, 4), {"axis": (2, 0), "ord": 1}), ((2, 3, 4), {"axis": (0, 2), "ord": "nuc", "keepdims": True}),
              ((2, 3, 4), {"axis": (-1, -2), "ord": 2}), ((2, 3, 4), {"axis": 1, "ord": 3, "keepdims": True}),
              ((2, 3), {"keepdims": True}), ((2, 3, 4), {"keepdims": True}), ((0, 3), {}), ((2, 3), {"axis": (0, 1)})]


@pytest.mark.parametrize("shape,kw", NORM_CASES)
def test_norm(shape, kw):
    x = rand(*shape)
    nondiff = kw.get("ord") in (0, onp.inf, -onp.inf, -1) and x.ndim == 2
    check_np("linalg.norm", onp.linalg.norm, [x], grad=x.size > 0 and kw.get("ord") != 0 and not nondiff,
             expect_dtype="float32", rtol=1e-5, atol=1e-6, grad_rtol=1e-3, **kw)


def test_norm_float64_and_int():
    check_np("linalg.norm", onp.linalg.norm, [rand(3, 4, dtype="float64")], axis=1)
    # ints compute in float32 (NumPy: float64; MXNet 1.9: an int result)
    check_np("linalg.norm", onp.linalg.norm, [onp.arange(6, dtype="int32").reshape(2, 3)], expect_dtype="float32")


def test_norm_inf_strings():  # MXNet accepts 'inf'/'-inf'
    x = rand(2, 3)
    onp.testing.assert_allclose(np.linalg.norm(np.array(x), "inf").asnumpy(), onp.linalg.norm(x, onp.inf), rtol=1e-6)
    onp.testing.assert_allclose(np.linalg.norm(np.array(x), "-inf", axis=1).asnumpy(),
                                onp.linalg.norm(x, -onp.inf, axis=1), rtol=1e-6)


@pytest.mark.parametrize("shape,kw,match", [((2, 3), {"ord": 3}, "invalid norm order"), ((3,), {"ord": "fro"}, "vectors"),
                                            ((2, 3, 4), {"ord": 2}, "improper number of dimensions"),
                                            ((2, 3), {"axis": (0, 1, 1)}, "improper"), ((2, 3), {"axis": 2}, "out of range"),
                                            ((2, 3), {"ord": "bad"}, "invalid norm order"),
                                            ((2, 3), {"axis": (1, 1)}, "duplicate")])
def test_norm_errors(shape, kw, match):
    check_np_error("linalg.norm", [rand(*shape)], match=match, **kw)


# ------------------------------------------------------------------ inv, det, slogdet, solve, cholesky
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (2, 1, 2, 2), (0, 2, 2)])
def test_inv_det_slogdet(shape):
    x = well(*shape)
    grad = x.size > 0
    check_np("linalg.inv", onp.linalg.inv, [x], grad=grad, rtol=1e-4, atol=1e-5)
    check_np("linalg.det", onp.linalg.det, [x], grad=grad, rtol=1e-4)
    check_np("linalg.slogdet", lambda a: tuple(onp.linalg.slogdet(a)), [x], grad=grad, rtol=1e-4)


def test_det_negative_and_empty():
    x = well(3, 3)
    x[[0, 1]] = x[[1, 0]]
    check_np("linalg.det", onp.linalg.det, [x], grad=True, rtol=1e-4)
    check_np("linalg.slogdet", lambda a: tuple(onp.linalg.slogdet(a)), [x], rtol=1e-4)
    check_np("linalg.det", onp.linalg.det, [onp.ones((0, 0), "float32")])
    check_np("linalg.inv", onp.linalg.inv, [onp.ones((0, 0), "float32")])


def test_singular():
    s = onp.ones((2, 2), "float32")
    check_np("linalg.det", onp.linalg.det, [s])
    check_np("linalg.slogdet", lambda a: tuple(onp.linalg.slogdet(a)), [s])
    for fn, args in [(np.linalg.inv, [s]), (np.linalg.solve, [s, onp.ones(2, "float32")]),
                     (np.linalg.tensorinv, [onp.ones((2, 2, 4), "float32")])]:
        with pytest.raises(LinAlgError, match="singular"):
            fn(*[np.array(a) for a in args])
    with pytest.raises(onp.linalg.LinAlgError):  # NumPy's class too
        np.linalg.inv(np.array(s))
    assert issubclass(LinAlgError, mx.MXNetError) and issubclass(LinAlgError, ValueError)


@pytest.mark.parametrize("fn", ["inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "eig", "eigvals"])
def test_not_square(fn):
    check_np_error(f"linalg.{fn}", [rand(2, 3)], match=r"square.*\(2, 3\)", error=LinAlgError)
    check_np_error(f"linalg.{fn}", [rand(3)], match=r"two-dimensional", error=LinAlgError)


@pytest.mark.parametrize("fn", ["inv", "det", "svd", "eigh", "cholesky", "pinv", "qr"])
def test_half_precision_rejected(fn):
    check_np_error(f"linalg.{fn}", [onp.eye(2, dtype="float16")], match=r"float16 is unsupported", error=TypeError)


def test_int_input_is_float32():
    x = onp.array([[2, 1], [1, 3]], dtype="int32")
    check_np("linalg.inv", onp.linalg.inv, [x], expect_dtype="float32")
    check_np("linalg.det", onp.linalg.det, [x], expect_dtype="float32", rtol=1e-5)


@pytest.mark.parametrize("sa,sb", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)), ((2, 3, 3), (3,)),
                                   ((2, 3, 3), (3, 4)), ((3, 3), (2, 3, 2))])
def test_solve(sa, sb):
    check_np("linalg.solve", onp.linalg.solve, [well(*sa), rand(*sb)], grad=True, rtol=1e-4, atol=1e-5)


def test_solve_errors():
    check_np_error("linalg.solve", [well(3, 3), rand(4)], match=r"np\.linalg\.solve.*\(3, 3\).*\(4,\)")
    check_np_error("linalg.solve", [well(2, 3, 3), rand(3, 3, 1)], match=r"broadcast")


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_cholesky(shape):
    a = spd(*shape)
    check_np("linalg.cholesky", onp.linalg.cholesky, [a], rtol=1e-4, atol=1e-5)
    # gradient through the symmetric input (cholesky reads the lower triangle: symmetrize first)
    check_np(lambda x: np.linalg.cholesky(np.matmul(x, np.einsum("...ij->...ji", x))),
             lambda x: onp.linalg.cholesky(x @ onp.swapaxes(x, -1, -2)), [well(*shape)], grad=True, rtol=1e-4,
             atol=1e-5)
    up = np.linalg.cholesky(np.array(a), upper=True).asnumpy()
    onp.testing.assert_allclose(up, onp.swapaxes(onp.linalg.cholesky(a), -1, -2), rtol=1e-4, atol=1e-5)


def test_cholesky_not_positive_definite():
    with pytest.raises(LinAlgError, match="positive definite"):
        np.linalg.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))


# ------------------------------------------------------------------ svd, eigh, eig
def _svd_ref(a):
    u, s, vh = onp.linalg.svd(a, full_matrices=False)
    idx = onp.expand_dims(onp.abs(vh).argmax(-1), -1)
    sign = onp.sign(onp.take_along_axis(vh, idx, -1))
    return u * onp.swapaxes(sign, -1, -2), s, vh * sign


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (2, 3, 4)])
def test_svd(shape):
    x = rand(*shape)
    check_np("linalg.svd", _svd_ref, [x], grad=True, rtol=1e-4, atol=1e-5, grad_rtol=1e-3, grad_atol=1e-5)
    ut, s, v = np.linalg.svd(np.array(x))
    onp.testing.assert_allclose((ut.asnumpy() * s.asnumpy()[..., None, :]) @ v.asnumpy(), x, atol=1e-5)
    onp.testing.assert_allclose(np.linalg.svd(np.array(x), compute_uv=False).asnumpy(),
                                onp.linalg.svd(x, compute_uv=False), rtol=1e-5)


def test_svd_full_matrices_rejected():
    with pytest.raises(mx.MXNetError, match="full_matrices"):
        np.linalg.svd(np.array(rand(2, 3)), full_matrices=True)


def _eigh_ref(a, UPLO="L"):  # noqa: N803
    w, v = onp.linalg.eigh(a, UPLO=UPLO)
    return w, max_abs_positive(v, -2)


@pytest.mark.parametrize("shape,uplo", [((3, 3), "L"), ((2, 4, 4), "U"), ((2, 2), "U")])
def test_eigh(shape, uplo):
    a = rand(*shape)  # not symmetric: only the UPLO triangle may be read
    check_np("linalg.eigh", _eigh_ref, [a], rtol=1e-4, atol=1e-5, UPLO=uplo)
    check_np("linalg.eigvalsh", onp.linalg.eigvalsh, [a], rtol=1e-4, atol=1e-5, UPLO=uplo)
    # gradients on a symmetric input with distinct eigenvalues: eigenvalues, and eigenvectors too
    s = spd(*shape, dtype="float64")
    check_np("linalg.eigvalsh", onp.linalg.eigvalsh, [s], grad=True, rtol=1e-4, atol=1e-5, UPLO=uplo)
    check_np("linalg.eigh", _eigh_ref, [s], grad=True, rtol=1e-4, atol=1e-5, grad_rtol=1e-3, UPLO=uplo)


def _real_eig_matrix(n, batch=()):
    p = well(*batch, n, n, dtype="float64")
    d = onp.arange(1, n + 1, dtype="float64")
    return (p * d[..., None, :]) @ onp.linalg.inv(p)


def _eig_ref(a):
    w, v = onp.linalg.eig(a)
    return w.real, max_abs_positive(v.real, -2)


@pytest.mark.parametrize("batch", [(), (2,)])
def test_eig(batch):
    a = _real_eig_matrix(3, batch).astype("float32")
    got_w, got_v = np.linalg.eig(np.array(a))
    want_w, want_v = _eig_ref(a)
    order_got, order_want = onp.argsort(got_w.asnumpy(), -1), onp.argsort(want_w, -1)
    onp.testing.assert_allclose(onp.take_along_axis(got_w.asnumpy(), order_got, -1),
                                onp.take_along_axis(want_w, order_want, -1), rtol=1e-4)
    onp.testing.assert_allclose(onp.take_along_axis(got_v.asnumpy(), order_got[..., None, :], -1),
                                onp.take_along_axis(want_v, order_want[..., None, :], -1), rtol=1e-3, atol=1e-4)
    onp.testing.assert_allclose(onp.sort(np.linalg.eigvals(np.array(a)).asnumpy(), -1),
                                onp.sort(onp.linalg.eigvals(a).real, -1), rtol=1e-4)
    assert got_w.dtype == got_v.dtype == onp.float32


def test_eig_traced_matches_eager():
    from tests.numpy.np_harness import _check_symbolic

    a = _real_eig_matrix(3, (2,)).astype("float32")
    for fn in (np.linalg.eig, np.linalg.eigvals):
        eager = fn(np.array(a))
        _check_symbolic(fn, fn.__name__, [a], {}, list(eager) if isinstance(eager, tuple) else [eager], 1e-5, 1e-6)


def test_eig_complex_rejected():
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(LinAlgError, match="complex"):
        np.linalg.eig(rot)
    with pytest.raises(LinAlgError, match="complex"):
        np.linalg.eigvals(rot)


# ------------------------------------------------------------------ pinv, tensorinv, tensorsolve
@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (2, 3, 2)])
def test_pinv(shape):
    check_np("linalg.pinv", onp.linalg.pinv, [rand(*shape)], grad=True, rtol=1e-4, atol=1e-5, grad_rtol=1e-3)


def test_pinv_rcond():
    x = onp.diag([1.0, 1e-3, 1e-8]).astype("float32")
    check_np("linalg.pinv", onp.linalg.pinv, [x], rcond=1e-2, rtol=1e-5)
    xb = onp.stack([x, x])
    got = np.linalg.pinv(np.array(xb), np.array([1e-2, 1e-5], dtype="float32"))
    onp.testing.assert_allclose(got.asnumpy(), onp.linalg.pinv(xb, onp.array([1e-2, 1e-5])), rtol=1e-4)
    check_np(lambda a, r: np.linalg.pinv(a, r), onp.linalg.pinv, [xb, onp.array([1e-2, 1e-5], "float32")], rtol=1e-4)


@pytest.mark.parametrize("shape,ind", [((4, 6, 8, 3), 2), ((6, 2, 3), 1), ((2, 3, 6), 2)])
def test_tensorinv(shape, ind):
    n = int(onp.prod(shape[:ind]))
    x = well(n, n).reshape(shape)
    check_np("linalg.tensorinv", onp.linalg.tensorinv, [x], ind=ind, rtol=1e-4, atol=1e-5,
             grad=x.size < 100)


@pytest.mark.parametrize("sa,sb,axes", [((6, 2, 3), (6,), None), ((2, 3, 6), (2, 3), None), ((2, 6, 3), (6,), (0, 2)),
                                        ((3, 2, 2, 3), (3, 2), None)])
def test_tensorsolve(sa, sb, axes):
    n = int(onp.prod(sb))
    a = well(n, n).reshape(sa)
    check_np("linalg.tensorsolve", onp.linalg.tensorsolve, [a, rand(*sb)], axes=axes, grad=True, rtol=1e-4, atol=1e-5)


def test_tensor_errors():
    check_np_error("linalg.tensorinv", [rand(2, 3, 4)], match=r"tensorinv.*\(2, 3, 4\)", error=LinAlgError)
    check_np_error("linalg.tensorsolve", [rand(6, 2, 3), rand(5)], match=r"tensorsolve.*\(6, 2, 3\).*\(5,\)",
                   error=LinAlgError)


# ------------------------------------------------------------------ qr, lstsq, matrix_rank, matrix_power, multi_dot, cond
@pytest.mark.parametrize("shape,mode", [((3, 3), "reduced"), ((4, 2), "reduced"), ((2, 4), "reduced"), ((4, 2), "complete"),
                                        ((2, 3, 2), "reduced"), ((4, 2), "r")])
def test_qr(shape, mode):
    ref = (lambda a: onp.linalg.qr(a, mode=mode)) if mode == "r" else (lambda a: tuple(onp.linalg.qr(a, mode=mode)))
    check_np(lambda a: np.linalg.qr(a, mode=mode), ref, [rand(*shape)], rtol=1e-4, atol=1e-5,
             grad=mode == "reduced" and shape[-2] >= shape[-1])


@pytest.mark.parametrize("sa,sb", [((4, 2), (4,)), ((4, 2), (4, 3)), ((2, 3), (2,)), ((3, 3), (3, 2))])
def test_lstsq(sa, sb):
    a, b = rand(*sa), rand(*sb)
    got = np.linalg.lstsq(np.array(a), np.array(b))
    want = onp.linalg.lstsq(a, b)
    for g, w in zip(got, want):
        assert g.shape == onp.shape(w), (g.shape, onp.shape(w))
        onp.testing.assert_allclose(g.asnumpy(), w, rtol=1e-4, atol=1e-5)
    rank_def = onp.array([[1, 2], [2, 4], [3, 6.0]], "float32")
    x, res, rank, s = np.linalg.lstsq(np.array(rank_def), np.array(onp.ones(3, "float32")))
    assert int(rank) == 1 and res.shape == (0,)
    onp.testing.assert_allclose(x.asnumpy(), onp.linalg.lstsq(rank_def, onp.ones(3))[0], rtol=1e-4)


@pytest.mark.parametrize("x,kw", [(onp.ones((3, 3), "float32"), {}), (onp.eye(4, dtype="float32"), {}),
                                  (onp.diag([1, 1e-9, 1]).astype("float64"), {}), (onp.ones(3, "float32"), {}),
                                  (onp.zeros(3, "float32"), {}), (onp.diag([1.0, 1e-3, 1]).astype("float32"), {"tol": 1e-2}),
                                  (onp.stack([onp.eye(3), onp.ones((3, 3))]).astype("float32"), {})])
def test_matrix_rank(x, kw):
    check_np("linalg.matrix_rank", onp.linalg.matrix_rank, [x], expect_dtype="int64", **kw)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -2])
def test_matrix_power(n):
    check_np("linalg.matrix_power", onp.linalg.matrix_power, [well(3, 3)], n=n, rtol=1e-4, atol=1e-5, grad=abs(n) < 4)
    check_np("linalg.matrix_power", onp.linalg.matrix_power, [well(2, 2, 2)], n=n, rtol=1e-4, atol=1e-5)
    if n >= 0:
        check_np("linalg.matrix_power", onp.linalg.matrix_power, [onp.arange(4, dtype="int32").reshape(2, 2)], n=n)


@pytest.mark.parametrize("shapes", [[(2, 3), (3, 4)], [(2, 3), (3, 4), (4, 2)], [(3,), (3, 4), (4,)], [(3,), (3, 2), (2, 2)]])
def test_multi_dot(shapes):
    arrays = [rand(*s) for s in shapes]
    check_np(lambda *xs: np.linalg.multi_dot(xs), lambda *xs: onp.linalg.multi_dot(xs), arrays, grad=True, rtol=1e-5)


def test_multi_dot_errors():
    with pytest.raises(mx.MXNetError, match="multi_dot.*at least two"):
        np.linalg.multi_dot([np.array(rand(2, 2))])
    with pytest.raises(mx.MXNetError, match=r"multi_dot.*array 1.*\(3,\)"):
        np.linalg.multi_dot([np.array(rand(2, 3)), np.array(rand(3)), np.array(rand(3, 2))])


@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, onp.inf, -onp.inf, "fro", "nuc"])
def test_cond(p):
    check_np("linalg.cond", onp.linalg.cond, [well(2, 3, 3)], p=p, rtol=1e-4, grad=p in (None, "fro"))
    if p in (None, 2, -2):
        check_np("linalg.cond", onp.linalg.cond, [rand(3, 4)], p=p, rtol=1e-4)


def test_cond_singular():
    assert onp.isinf(np.linalg.cond(np.array(onp.ones((2, 2), "float32")), 1).item())


# ------------------------------------------------------------------ in a hybridized block
def test_linalg_in_hybridized_block():
    from gluonic.gluon import HybridBlock

    class Net(HybridBlock):
        def forward(self, x):
            w, v = np.linalg.eigh(x)
            return w, np.linalg.norm(np.linalg.inv(x) @ v, axis=-1), np.linalg.det(x)

    x = np.array(spd(2, 3, 3))
    net = Net()
    eager = [y.asnumpy() for y in net(x)]
    net.hybridize()
    x.attach_grad()
    with autograd.record():
        ys = net(x)
    autograd.backward(list(ys))
    for y, e in zip(ys, eager):
        onp.testing.assert_allclose(y.asnumpy(), e, rtol=1e-5)
    assert x.grad.shape == (2, 3, 3)
