"""``mx.np.linalg``: NumPy's linear algebra on stacks of matrices (leading batch axes), differentiable.

MXNet 1.9's operators (``_npi_norm``, ``_npi_inv``, ``_npi_det``, ``_npi_slogdet``, ``_npi_svd``,
``_npi_eigh``, ``_npi_cholesky``, ``_npi_solve``, ``_npi_pinv``, ...) plus ``qr``, ``lstsq``,
``matrix_rank``, ``matrix_power``, ``multi_dot`` and ``cond``, which MXNet only ran on the host
through NumPy (here they are operators too: autograd and hybridize work).

Differences from NumPy (and MXNet), on purpose:
- ``svd(a)`` returns MXNet's ``(ut, s, v)`` = NumPy's ``svd(a, full_matrices=False)``, with MXNet's signs
  (each row of ``v`` has its largest-magnitude entry positive); any m x n (MXNet: m <= n only).
- ``eigh`` eigenvectors: largest-magnitude entry positive (MXNet's convention; NumPy's signs are LAPACK's);
  ``eig`` eigenvectors too (NumPy and MXNet return LAPACK's signs, which vary between LAPACK builds).
  ``eig``/``eigvals`` need real eigenvalues (no complex dtypes): else :class:`LinAlgError`.
- Integer inputs compute in float32 (MXNet's default float), NumPy gives float64.
- Singular matrices, non-positive-definite ``cholesky`` input and non-square input raise
  :class:`LinAlgError` (a ``GluonicValueError`` that is also ``numpy.linalg.LinAlgError``).
- ``solve`` follows NumPy 2: ``b`` is a vector only when 1-d (MXNet/NumPy 1: when ``b.ndim == a.ndim - 1``).

>>> from gluonic import np
>>> np.linalg.det(np.array([[1., 2.], [3., 4.]]))
array(-2.)
"""
from __future__ import annotations

import math
import numbers

import numpy as onp

from ..base import GluonicTypeError, GluonicValueError
from ..ops.np_linalg_decomp import LinAlgError
from ._core import as_array, call, is_scalar, is_symbol

__all__ = ["norm", "svd", "cholesky", "inv", "det", "slogdet", "solve", "tensorinv", "tensorsolve", "pinv",
           "eigvals", "eig", "eigvalsh", "eigh", "qr", "lstsq", "matrix_rank", "matrix_power", "multi_dot", "cond",
           "LinAlgError"]


def _ndim(x):
    return None if is_symbol(x) else getattr(x, "ndim", None)


def _ord(ord):  # noqa: A002 - NumPy's parameter name
    if isinstance(ord, str):
        low = ord.strip().lower()
        if low in ("inf", "+inf"):
            return math.inf
        if low == "-inf":
            return -math.inf
        if low in ("fro", "f"):
            return "fro"
        if low == "nuc":
            return "nuc"
        raise GluonicValueError(f"np.linalg.norm: invalid norm order. Received: ord={ord!r}")
    if ord is None or isinstance(ord, (numbers.Real, onp.generic)):
        return ord if ord is None else float(ord)
    raise GluonicTypeError(f"np.linalg.norm: ord must be None, a number, 'fro' or 'nuc'. Received: {ord!r}")


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's parameter name
    """Matrix or vector norm, NumPy's rules.

    ``axis=None``: ``ord=None`` is the 2-norm of all elements; otherwise a 1-d input gets the vector norm and
    a 2-d one the matrix norm. One axis: vector norms (any real ``ord``, inf, -inf, 0). Two axes: matrix
    norms (None/'fro', 'nuc', 1, -1, 2, -2, inf, -inf). ``'inf'``/``'-inf'`` strings mean ``inf``/``-inf``.

    Shapes: (..., m, n) with axis=(-2, -1) -> (...). Example: ``np.linalg.norm(np.array([3., 4.]))`` is
    ``array(5.)``.
    """
    o = _ord(ord)
    if axis is not None:
        if isinstance(axis, (numbers.Integral, onp.integer)):
            axis = (int(axis),)
        elif isinstance(axis, (tuple, list)):
            axis = tuple(int(i) for i in axis)
        else:
            raise GluonicTypeError(f"np.linalg.norm: 'axis' must be None, an integer or a tuple of integers. "
                                   f"Received: {axis!r}")
        if len(axis) not in (1, 2):
            raise GluonicValueError(f"np.linalg.norm: improper number of dimensions to norm. Received: axis={axis}")
    nd = _ndim(x)
    if axis is None and o is None:
        return call("_npi_norm", [x], ord=2.0, axis=None, keepdims=keepdims, flag=-2)
    n_axes = len(axis) if axis is not None else nd
    if n_axes is not None and n_axes not in (1, 2):
        raise GluonicValueError(f"np.linalg.norm: improper number of dimensions to norm (ord={ord!r}, axis=None "
                                f"needs a 1-d or 2-d array). Received: shape {x.shape}")
    if o in ("fro", "nuc"):
        if n_axes == 1:
            raise GluonicValueError(f"np.linalg.norm: invalid norm order {ord!r} for vectors. Received: axis={axis}")
        return call("_npi_norm", [x], ord=2.0, axis=axis, keepdims=keepdims, flag=1 if o == "fro" else 2)
    if o is None:
        return call("_npi_norm", [x], ord=2.0, axis=axis, keepdims=keepdims, flag=1)
    if n_axes == 2 and o not in (1.0, -1.0, 2.0, -2.0, math.inf, -math.inf):
        raise GluonicValueError(f"np.linalg.norm: invalid norm order {ord!r} for matrices. Received: ord={ord!r}")
    flag = 0 if (n_axes == 2 and abs(o) == 2 and axis is not None) else -1
    return call("_npi_norm", [x], ord=o, axis=axis, keepdims=keepdims, flag=flag)


def svd(a, full_matrices=False, compute_uv=True, hermitian=False):
    """Singular value decomposition, MXNet's convention: ``ut, s, v = svd(a)`` with
    ``a == ut @ (s[..., None] * v)``, ``s`` descending. This is NumPy's reduced SVD (``full_matrices=False``:
    the default here, unlike NumPy); signs: each row of ``v`` has its largest-magnitude entry positive.
    ``compute_uv=False`` returns ``s`` only.

    Shapes: (..., m, n) -> ut (..., m, k), s (..., k), v (..., k, n), k = min(m, n).
    Example: ``ut, s, v = np.linalg.svd(np.ones((2, 3)))`` gives shapes (2, 2), (2,), (2, 3).
    """
    if full_matrices:
        raise GluonicValueError("np.linalg.svd: full_matrices=True is not supported (MXNet's svd is the reduced "
                                "decomposition). Received: full_matrices=True")
    if hermitian:
        raise GluonicValueError("np.linalg.svd: hermitian=True is not supported. Received: hermitian=True")
    ut, s, v = tuple(call("_npi_svd", [a]))
    return (ut, s, v) if compute_uv else s


def cholesky(a, upper=False):
    """Cholesky factor of a symmetric positive-definite stack: lower ``L`` with ``a == L @ L.T`` (``upper=True``:
    ``U = L.T``, NumPy 2's option). Only the lower triangle of ``a`` is read. Not positive definite:
    :class:`LinAlgError`.

    Shapes: (..., n, n) -> (..., n, n). Example: ``np.linalg.cholesky(np.array([[4., 2.], [2., 3.]]))``.
    """
    low = call("_npi_cholesky", [a])
    return call("_npi_einsum", [low], num_args=1, subscripts="...ij->...ji", optimize=0) if upper else low


def inv(a):
    """Matrix inverse of a stack: (..., n, n) -> (..., n, n). Singular: :class:`LinAlgError`.

    Example: ``np.linalg.inv(np.array([[2., 0.], [0., 4.]]))`` is ``array([[0.5, 0.], [0., 0.25]])``.
    """
    return call("_npi_inv", [a])


def det(a):
    """Determinant of a stack: (..., n, n) -> (...). Example: ``np.linalg.det(np.eye(3))`` is ``array(1.)``."""
    return call("_npi_det", [a])


def slogdet(a):
    """Sign and natural log of the absolute determinant: (..., n, n) -> (sign (...), logabsdet (...)).

    A singular matrix gives (0, -inf). Example: ``np.linalg.slogdet(np.eye(2) * 3)`` is (1, log 9).
    """
    sign, logabsdet = tuple(call("_npi_slogdet", [a]))
    return sign, logabsdet


def solve(a, b):
    """Solve ``a @ x == b``. ``b`` is a vector (..., n) only when 1-d (NumPy 2's rule), else (..., n, k);
    batch axes broadcast. Singular ``a``: :class:`LinAlgError`.

    Shapes: (..., n, n), (n,) -> (..., n); (..., n, n), (..., n, k) -> (..., n, k).
    """
    return call("_npi_solve", [a, b])


def pinv(a, rcond=1e-15, hermitian=False):
    """Moore-Penrose pseudo-inverse via the SVD; singular values <= ``rcond`` * the largest are dropped.
    ``rcond`` may be an array broadcast against the stack.

    Shapes: (..., m, n) -> (..., n, m).
    """
    if is_scalar(rcond):
        return call("_npi_pinv_scalar_rcond", [a], rcond=float(rcond), hermitian=bool(hermitian))
    return call("_npi_pinv", [a, rcond], hermitian=bool(hermitian))


def tensorinv(a, ind=2):
    """Inverse of ``a`` seen as a (prod(shape[:ind]), prod(shape[ind:])) matrix.

    Shapes: (4, 6, 8, 3) with ind=2 -> (8, 3, 4, 6).
    """
    return call("_npi_tensorinv", [a], ind=int(ind))


def tensorsolve(a, b, axes=None):
    """Solve ``tensordot(a, x, axes=x.ndim) == b`` for ``x``; ``axes`` of ``a`` are first moved to the end.

    Shapes: a (6, 2, 3), b (6,) -> x (2, 3).
    """
    a_axes = None if axes is None else tuple(int(i) for i in (axes if isinstance(axes, (tuple, list)) else (axes,)))
    return call("_npi_tensorsolve", [a, b], a_axes=a_axes)


def eigvals(a):
    """Eigenvalues of a general square stack with real eigenvalues: (..., n, n) -> (..., n) (LAPACK's order).
    Complex eigenvalues: :class:`LinAlgError` (mx.np has no complex dtype)."""
    return call("_npi_eigvals", [a])


def eig(a):
    """Eigenvalues and right eigenvectors (columns, unit norm, largest-magnitude entry positive) of a square stack with
    real eigenvalues: (..., n, n) -> w (..., n), v (..., n, n). Complex eigenvalues: :class:`LinAlgError`."""
    w, v = tuple(call("_npi_eig", [a]))
    return w, v


def eigvalsh(a, UPLO="L"):  # noqa: N803 - NumPy's parameter name
    """Eigenvalues (ascending) of a symmetric stack, reading the ``UPLO`` triangle: (..., n, n) -> (..., n)."""
    return call("_npi_eigvalsh", [a], UPLO=UPLO)


def eigh(a, UPLO="L"):  # noqa: N803 - NumPy's parameter name
    """Eigen-decomposition of a symmetric stack: ascending eigenvalues ``w`` (..., n) and eigenvectors ``v``
    (..., n, n, columns; largest-magnitude entry positive), with ``a @ v == v * w[..., None, :]``."""
    w, v = tuple(call("_npi_eigh", [a], UPLO=UPLO))
    return w, v


def qr(a, mode="reduced"):
    """QR decomposition ``a == q @ r`` (NumPy's signs). ``mode``: 'reduced' (q (..., m, k), r (..., k, n)),
    'complete' (q (..., m, m), r (..., m, n)) or 'r' (r only), k = min(m, n)."""
    if mode not in ("reduced", "complete", "r"):
        raise GluonicValueError(f"np.linalg.qr: mode must be 'reduced', 'complete' or 'r'. Received: mode={mode!r}")
    out = call("_npi_qr", [a], mode=mode)
    return out if mode == "r" else tuple(out)


def lstsq(a, b, rcond=None):
    """Least-squares solution of ``a @ x == b``: returns (x, residuals, rank, s) like NumPy (singular values
    <= rcond * largest are dropped; default rcond: eps * max(m, n)). ``residuals`` is empty when
    rank < n or m <= n (eagerly; a traced graph always returns the squared residual norms).

    Shapes: a (m, n), b (m,) or (m, k) -> x (n,) or (n, k), residuals (1,)/(k,) or (0,), rank (), s (min(m, n),).
    """
    if not is_symbol(a):
        a = as_array(a)
    x, resid, rank, s = tuple(call("_npi_lstsq", [a, b], rcond=None if rcond is None else float(rcond)))
    if not is_symbol(x):
        m, n = a.shape
        if int(rank) < n or m <= n:
            resid = resid[:0]
    return x, resid, rank, s


def matrix_rank(A, tol=None, hermitian=False):  # noqa: N803 - NumPy's parameter name
    """Rank by SVD: the number of singular values > ``tol`` (default: largest * max(m, n) * eps), int64.

    Shapes: (..., m, n) -> (...). Example: ``np.linalg.matrix_rank(np.ones((3, 3)))`` is ``array(1)``.
    """
    return call("_npi_matrix_rank", [A], tol=None if tol is None else float(tol), hermitian=bool(hermitian))


def matrix_power(a, n):
    """``a`` to the integer power ``n`` (n < 0: of the inverse; n = 0: identity); integer matrices stay integer
    for n >= 0. Shapes: (..., m, m) -> (..., m, m)."""
    if not isinstance(n, (numbers.Integral, onp.integer)):
        raise GluonicTypeError(f"np.linalg.matrix_power: exponent must be an integer. Received: {n!r}")
    return call("_npi_matrix_power", [a], n=int(n))


def multi_dot(arrays, *, out=None):
    """``dot`` of two or more arrays in one call, left to right: the first may be 1-d (a row vector), the last
    1-d (a column vector), the others 2-d.

    Shapes: (1-d or 2-d) x ... x (2-d or 1-d). Example: ``np.linalg.multi_dot([A, B, C])``.
    """
    arrays = list(arrays)
    if len(arrays) < 2:
        raise GluonicValueError(f"np.linalg.multi_dot: expecting at least two arrays. Received: {len(arrays)}")
    for i, x in enumerate(arrays):
        nd = _ndim(x)
        allowed = (1, 2) if i in (0, len(arrays) - 1) else (2,)
        if nd is not None and nd not in allowed:
            raise GluonicValueError(f"np.linalg.multi_dot: array {i} must be {' or '.join(map(str, allowed))}-d. "
                                    f"Received: shape {x.shape}")
    result = arrays[0]
    for i, x in enumerate(arrays[1:], 1):
        result = call("_np_dot", [result, x], out=out if i == len(arrays) - 1 else None)
    return result


def cond(x, p=None):
    """Condition number ``norm(x, p) * norm(inv(x), p)``; ``p`` None/2/-2 use singular values (any m x n),
    1/-1/inf/-inf/'fro'/'nuc' need square input. Singular matrices give inf.

    Shapes: (..., m, n) -> (...). Example: ``np.linalg.cond(np.array([[1., 0.], [0., 10.]]))`` is ``array(10.)``.
    """
    if p is not None and not isinstance(p, str):
        p = str(int(p)) if not math.isinf(p) else ("inf" if p > 0 else "-inf")
    return call("_npi_cond", [x], p=p)

