"""MXNet's legacy linalg ops (gluonic/ops/linalg.py) against NumPy references and finite differences.

Values from real MXNet 1.9.1 (including gradients) are checked in tests/test_golden_ops.py
(cases ``la_*`` in tests/golden/op_cases.py).
"""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)


def rand(*shape):
    return RNG.uniform(-1.0, 1.0, size=shape)


def spd(*batch, n=3):
    m = RNG.uniform(-1.0, 1.0, size=(*batch, n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def tri(*batch, n=3, lower=True):
    m = RNG.uniform(-1.0, 1.0, size=(*batch, n, n)) + 2 * n * np.eye(n)  # well conditioned
    return np.tril(m) if lower else np.triu(m)


def _t(x):
    return np.swapaxes(x, -1, -2)


def _vec(x):
    """MXNet's (1,) for the reduction of one matrix."""
    x = np.asarray(x)
    return x.reshape(1) if x.ndim == 0 else x


@pytest.mark.parametrize("batch", [(), (2,)])
@pytest.mark.parametrize("lower", [True, False])
def test_potrf(batch, lower):
    a = spd(*batch)
    noisy = a + (np.triu(rand(*a.shape), 1) if lower else np.tril(rand(*a.shape), -1))  # the other triangle is not read
    want = np.linalg.cholesky(a)
    # The symmetric gradient MXNet gives is checked against MXNet itself (test_golden_ops); finite differences
    # of an op that reads one triangle see each off-diagonal entry once, not its symmetric pair.
    check_op("linalg_potrf", [noisy], lambda x: want if lower else _t(want), {"lower": lower}, rtol=1e-10,
             atol=1e-12, grad=False)


@pytest.mark.parametrize("lower", [True, False])
def test_potri(lower):
    L = tri(2, lower=lower)
    noisy = L + (np.triu(rand(2, 3, 3), 1) if lower else np.tril(rand(2, 3, 3), -1))

    def ref(x):
        t = np.tril(x) if lower else np.triu(x)
        return np.linalg.inv(t @ _t(t)) if lower else np.linalg.inv(_t(t) @ t)  # B^-1 for B = L L^T (U^T U)

    check_op("linalg_potri", [noisy], ref, {"lower": lower}, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize("rightside", [False, True])
@pytest.mark.parametrize("lower", [True, False])
def test_trmm_and_trsm(transpose, rightside, lower):
    A = tri(2, lower=lower) + (np.triu(rand(2, 3, 3), 1) if lower else np.tril(rand(2, 3, 3), -1))
    B = rand(2, 4, 3) if rightside else rand(2, 3, 4)
    attrs = {"transpose": transpose, "rightside": rightside, "lower": lower, "alpha": 1.5}

    def op_a(x):
        t = np.tril(x) if lower else np.triu(x)
        return _t(t) if transpose else t

    check_op("linalg_trmm", [A, B], lambda a, b: 1.5 * (b @ op_a(a) if rightside else op_a(a) @ b), attrs,
             rtol=1e-10, atol=1e-12)
    check_op("linalg_trsm", [A, B],
             lambda a, b: 1.5 * (b @ np.linalg.inv(op_a(a)) if rightside else np.linalg.inv(op_a(a)) @ b), attrs,
             rtol=1e-9, atol=1e-12)


def test_trmm_trsm_mxnet_examples():
    A = np.array([[1.0, 0], [1.0, 1.0]])
    np.testing.assert_allclose(run("linalg_trmm", [A, np.ones((2, 3))], {"alpha": 2.0})[0].asnumpy(),
                               [[2.0] * 3, [4.0] * 3])
    B = np.array([[2.0, 2.0, 2.0], [4.0, 4.0, 4.0]])
    np.testing.assert_allclose(run("linalg_trsm", [A, B], {"alpha": 0.5})[0].asnumpy(), np.ones((2, 3)))


@pytest.mark.parametrize("batch", [(), (2,)])
def test_sumlogdiag_det_slogdet_inverse(batch):
    a = spd(*batch)
    check_op("linalg_sumlogdiag", [a], lambda x: _vec(np.log(np.diagonal(x, 0, -2, -1)).sum(-1)), rtol=1e-10,
             atol=1e-12)
    g = rand(*batch, 3, 3) + 3 * np.eye(3)
    check_op("linalg_det", [g], lambda x: _vec(np.linalg.det(x)), rtol=1e-10, atol=1e-12)
    check_op("linalg_slogdet", [g], lambda x: tuple(_vec(v) for v in np.linalg.slogdet(x)), rtol=1e-10,
             atol=1e-12)
    check_op("linalg_inverse", [g], np.linalg.inv, rtol=1e-9, atol=1e-12)


def test_single_matrix_reductions_are_0d_in_numpy_mode():
    from gluonic import npx

    npx.set_np()
    assert run("linalg_det", [np.eye(2)])[0].shape == ()
    assert run("linalg_sumlogdiag", [np.eye(2)])[0].shape == ()


@pytest.mark.parametrize("transpose", [False, True])
def test_syrk(transpose):
    a = rand(2, 3, 4)
    check_op("linalg_syrk", [a], lambda x: 0.5 * (_t(x) @ x if transpose else x @ _t(x)),
             {"transpose": transpose, "alpha": 0.5}, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("offset", [0, 1, -2])
def test_extractdiag_makediag(offset):
    a = rand(2, 4, 4)
    check_op("linalg_extractdiag", [a], lambda x: np.diagonal(x, offset, -2, -1).copy(), {"offset": offset})
    v = rand(2, 3)
    n = 3 + abs(offset)

    def make(x):
        out = np.zeros((2, n, n))
        for b in range(2):
            out[b] = np.diag(x[b], offset)
        return out

    check_op("linalg_makediag", [v], make, {"offset": offset})


def _trian_reference(n, offset, lower):
    """MXNet's storage order: a lower triangle row by row, an upper one column by column."""
    if offset < 0 or (offset == 0 and lower):
        return [(i, j) for i in range(n) for j in range(n) if i - j >= -offset]
    return [(i, j) for j in range(n) for i in range(n) if j - i >= offset]


@pytest.mark.parametrize("offset,lower", [(0, True), (0, False), (1, True), (2, False), (-1, True), (-2, False)])
def test_extracttrian_maketrian(offset, lower):
    n = 4
    pos = _trian_reference(n, offset, lower)
    a = rand(2, n, n)
    attrs = {"offset": offset, "lower": lower}
    check_op("linalg_extracttrian", [a], lambda x: np.stack([[x[b, i, j] for i, j in pos] for b in range(2)]), attrs)
    v = rand(2, len(pos))

    def make(x):
        out = np.zeros((2, n, n))
        for k, (i, j) in enumerate(pos):
            out[:, i, j] = x[:, k]
        return out

    check_op("linalg_maketrian", [v], make, attrs)


def test_mxnet_examples_of_the_triangle_order():
    A = np.arange(9.0).reshape(3, 3)
    assert run("linalg_extracttrian", [A], {"lower": False})[0].asnumpy().tolist() == [0, 1, 4, 2, 5, 8]  # MXNet 1.9.1
    got = run("linalg_maketrian", [np.array([1.0, 2.0, 3.0])], {"offset": 1, "lower": True})[0].asnumpy()
    assert got.tolist() == [[0, 1, 2], [0, 0, 3], [0, 0, 0]]  # offset > 0 is an upper triangle whatever `lower`


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 3)])
def test_gelqf(shape):
    a = rand(*shape)

    def ref(x):
        q, r = np.linalg.qr(_t(x))  # LAPACK's signs, as MXNet's gelqf
        return _t(q), _t(r)

    Q, L = check_op("linalg_gelqf", [a], ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(L @ Q, a, atol=1e-12)
    gram = Q @ _t(Q)
    np.testing.assert_allclose(gram, np.broadcast_to(np.eye(shape[-2]), gram.shape), atol=1e-12)


def test_syevd():
    a = spd(2)
    noisy = a + np.triu(rand(2, 3, 3), 1)  # only the lower triangle is read

    def ref(x):
        w, v = np.linalg.eigh(a)
        u = _t(v)
        idx = np.abs(u).argmax(-1)[..., None]
        return u * np.sign(np.take_along_axis(u, idx, -1)), w

    # Like potrf, the gradient is MXNet's symmetric one: checked against MXNet in test_golden_ops.
    U, L = check_op("_linalg_syevd", [noisy], ref, rtol=1e-9, atol=1e-12, grad=False)
    np.testing.assert_allclose(U @ a, L[..., None] * U, atol=1e-10)


def test_errors():
    check_op_error("linalg_potrf", [np.array([[1.0, 2.0], [2.0, 1.0]])], match="not symmetric positive definite")
    check_op_error("linalg_inverse", [np.array([[1.0, 2.0], [2.0, 4.0]])], match="singular")
    check_op_error("linalg_det", [rand(2, 3)], match="square")
    check_op_error("linalg_potrf", [np.eye(2, dtype=np.int32)], match="float32 and float64", error=mx.MXNetError)
    check_op_error("linalg_trsm", [tri(), rand(2, 4)], match="3 rows")
    check_op_error("linalg_maketrian", [rand(4)], match="triangle")
    check_op_error("linalg_extractdiag", [rand(3, 3)], {"offset": 3}, match="offset")
    check_op_error("linalg_gelqf", [rand(4, 3)], match="no more rows than columns")
