"""MXNet's legacy ``linalg`` operators (``mx.nd.linalg.*``, ``linalg_*``) beyond ``gemm``/``gemm2``.

Every op works on the trailing two axes (a matrix) and is batched over the leading ones, as
in MXNet 1.9 (``la_op``); float32 and float64 only. Where MXNet reads only one triangle of
an input (``potrf``, ``potri``, ``trmm``, ``trsm``), so do these ops, and the gradient of the
other triangle is zero. Reductions of a single matrix (``sumlogdiag``, ``det``, ``slogdet``)
have shape ``(1,)``, as in MXNet, and 0-d in NumPy mode (``npx.set_np()``), as MXNet's NumPy
interface records these ops for ``np.linalg.inv/det/slogdet``.

Triangles are stored (``extracttrian``, ``maketrian``) the way MXNet stores them: a lower
triangle row by row, an upper triangle column by column (the lower triangle of the
transpose, row by row).
"""
from __future__ import annotations

import math

import torch

from ..base import GluonicTypeError, GluonicValueError
from ..util import is_np_shape
from .attrs import Attrs
from .np_linalg_decomp import _max_abs_sign
from .registry import register


def _check(op: str, *ts: torch.Tensor, ndim: int = 2) -> None:
    for t in ts:
        if t.dtype not in (torch.float32, torch.float64):
            raise GluonicTypeError(f"Operator {op}: supports float32 and float64 only. "
                                   f"Received: {str(t.dtype).replace('torch.', '')}")
        if t.dim() < ndim:
            raise GluonicValueError(f"Operator {op}: needs an input with at least {ndim} axes. "
                                    f"Received: shape {tuple(t.shape)}")


def _square(op: str, A: torch.Tensor) -> None:
    _check(op, A)
    if A.shape[-1] != A.shape[-2]:
        raise GluonicValueError(f"Operator {op}: the trailing two axes must be a square matrix. "
                                f"Received: shape {tuple(A.shape)}")


def _as_vector(t: torch.Tensor) -> torch.Tensor:
    """A reduction of a single matrix has shape (1,) in MXNet (0-d in NumPy mode)."""
    return t.reshape(1) if t.dim() == 0 and not is_np_shape() else t


def _triangle(A: torch.Tensor, lower: bool) -> torch.Tensor:
    return torch.tril(A) if lower else torch.triu(A)


class CholeskyAttrs(Attrs):
    lower: bool = True


@register("_linalg_potrf", attrs=CholeskyAttrs, aliases=("linalg_potrf",))
def linalg_potrf(A, *, a: CholeskyAttrs):
    """Cholesky factor of symmetric positive-definite matrices: ``A = B B^T`` (``lower``) or
    ``A = B^T B``. Only the ``lower`` (or upper) triangle of ``A`` is read.

    Shapes: (..., n, n) -> (..., n, n).

    >>> mx.nd.linalg.potrf(mx.nd.array([[4.0, 1.0], [1.0, 4.25]])).asnumpy().tolist()
    [[2.0, 0.0], [0.5, 2.0]]
    """
    _square("_linalg_potrf", A)
    out, info = torch.linalg.cholesky_ex(A, upper=not a.lower)
    if not A.is_meta and bool((info != 0).any()):
        raise GluonicValueError("Operator _linalg_potrf: the input is not symmetric positive definite "
                                f"(Cholesky failed). Received: shape {tuple(A.shape)}")
    return out


@register("_linalg_potri", attrs=CholeskyAttrs, aliases=("linalg_potri",))
def linalg_potri(A, *, a: CholeskyAttrs):
    """Inverse of ``B`` from its Cholesky factor ``A`` (as :func:`linalg_potrf` returns it):
    ``A^-T A^-1`` (``lower``) or ``A^-1 A^-T``.

    Shapes: (..., n, n) -> (..., n, n).

    >>> mx.nd.linalg.potri(mx.nd.array([[2.0, 0.0], [0.5, 2.0]], dtype="float64")).asnumpy().round(4).tolist()
    [[0.2656, -0.0625], [-0.0625, 0.25]]
    """
    _square("_linalg_potri", A)
    return torch.cholesky_inverse(_triangle(A, a.lower), upper=not a.lower)


class TriangularAttrs(Attrs):
    transpose: bool = False
    rightside: bool = False
    lower: bool = True
    alpha: float = 1.0


def _triangular_operands(op: str, A, B, a: TriangularAttrs):
    _square(op, A)
    _check(op, B)
    n = A.shape[-1]
    rows = B.shape[-1] if a.rightside else B.shape[-2]
    if A.shape[:-2] != B.shape[:-2] or rows != n:
        side = "columns" if a.rightside else "rows"
        raise GluonicValueError(f"Operator {op}: B must have the batch axes of A and {n} {side} (rightside="
                                f"{a.rightside}). Received: A{tuple(A.shape)}, B{tuple(B.shape)}")


@register("_linalg_trmm", attrs=TriangularAttrs, aliases=("linalg_trmm",))
def linalg_trmm(A, B, *, a: TriangularAttrs):
    """``alpha * op(A) @ B`` (or ``alpha * B @ op(A)`` with ``rightside``) for a triangular ``A``
    (its ``lower`` or upper triangle is read); ``op`` transposes with ``transpose``.

    Shapes: A (..., n, n), B (..., n, k) (rightside: (..., k, n)) -> B's shape.

    >>> mx.nd.linalg.trmm(mx.nd.array([[1.0, 0], [1.0, 1.0]]), mx.nd.ones((2, 3)), alpha=2.0).asnumpy().tolist()
    [[2.0, 2.0, 2.0], [4.0, 4.0, 4.0]]
    """
    _triangular_operands("_linalg_trmm", A, B, a)
    t = _triangle(A, a.lower)
    if a.transpose:
        t = t.transpose(-1, -2)
    out = B @ t if a.rightside else t @ B
    return out * a.alpha if a.alpha != 1.0 else out


@register("_linalg_trsm", attrs=TriangularAttrs, aliases=("linalg_trsm",))
def linalg_trsm(A, B, *, a: TriangularAttrs):
    """Solves ``op(A) @ X = alpha * B`` (or ``X @ op(A) = alpha * B`` with ``rightside``) for a
    triangular ``A`` (its ``lower`` or upper triangle is read).

    Shapes: A (..., n, n), B (..., n, k) (rightside: (..., k, n)) -> B's shape.

    >>> A = mx.nd.array([[1.0, 0], [1.0, 1.0]])
    >>> mx.nd.linalg.trsm(A, mx.nd.array([[2.0, 2.0], [4.0, 4.0]]), alpha=0.5).asnumpy().tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    _triangular_operands("_linalg_trsm", A, B, a)
    t = _triangle(A, a.lower)
    upper = not a.lower
    if a.transpose:
        t, upper = t.transpose(-1, -2), not upper
    rhs = B * a.alpha if a.alpha != 1.0 else B
    return torch.linalg.solve_triangular(t, rhs, upper=upper, left=not a.rightside)


@register("_linalg_sumlogdiag", aliases=("linalg_sumlogdiag",))
def linalg_sumlogdiag(A):
    """Sum of the natural logarithms of the diagonal: shape (..., n, n) -> (...) ((1,) for one matrix).

    >>> mx.nd.linalg.sumlogdiag(mx.nd.array([[1.0, 1.0], [1.0, 7.0]], dtype="float64")).asnumpy().round(4).tolist()
    [1.9459]
    """
    _square("_linalg_sumlogdiag", A)
    return _as_vector(torch.log(torch.diagonal(A, 0, -2, -1)).sum(-1))


class SyrkAttrs(Attrs):
    transpose: bool = False
    alpha: float = 1.0


@register("_linalg_syrk", attrs=SyrkAttrs, aliases=("linalg_syrk",))
def linalg_syrk(A, *, a: SyrkAttrs):
    """``alpha * A @ A^T`` (``transpose``: ``alpha * A^T @ A``).

    Shapes: (..., m, n) -> (..., m, m) (transpose: (..., n, n)).

    >>> mx.nd.linalg.syrk(mx.nd.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).asnumpy().tolist()
    [[14.0, 32.0], [32.0, 77.0]]
    """
    _check("_linalg_syrk", A)
    t = A.transpose(-1, -2)
    out = t @ A if a.transpose else A @ t
    return out * a.alpha if a.alpha != 1.0 else out


class DiagAttrs(Attrs):
    offset: int = 0


@register("_linalg_extractdiag", attrs=DiagAttrs, aliases=("linalg_extractdiag",))
def linalg_extractdiag(A, *, a: DiagAttrs):
    """The ``offset``-th diagonal (above the main one if positive): (..., n, n) -> (..., n - |offset|).

    >>> mx.nd.linalg.extractdiag(mx.nd.array([[1.0, 2.0], [3.0, 4.0]])).asnumpy().tolist()
    [1.0, 4.0]
    """
    _square("_linalg_extractdiag", A)
    if abs(a.offset) >= A.shape[-1]:
        raise GluonicValueError(f"Operator _linalg_extractdiag: offset must be smaller than the matrix size "
                                f"in magnitude. Received: offset={a.offset}, shape {tuple(A.shape)}")
    return torch.diagonal(A, a.offset, -2, -1)


@register("_linalg_makediag", attrs=DiagAttrs, aliases=("linalg_makediag",))
def linalg_makediag(A, *, a: DiagAttrs):
    """Square matrices with ``A`` on their ``offset``-th diagonal: (..., k) -> (..., k + |offset|, k + |offset|).

    >>> mx.nd.linalg.makediag(mx.nd.array([1.0, 2.0])).asnumpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    _check("_linalg_makediag", A, ndim=1)
    return torch.diag_embed(A, a.offset, -2, -1)


class TrianAttrs(Attrs):
    offset: int = 0
    lower: bool = True


def _trian_positions(n: int, offset: int, lower: bool) -> tuple[list[int], list[int]]:
    """(rows, columns) of the stored triangle of an n x n matrix, in MXNet's storage order."""
    if offset < 0 or (offset == 0 and lower):  # a lower triangle, row by row
        k = -offset
        rows, cols = zip(*[(i, j) for i in range(n) for j in range(i - k + 1)]) if n > k else ((), ())
        return list(rows), list(cols)
    # an upper triangle: the lower triangle of the transpose, row by row
    cols, rows = _trian_positions(n, -offset, True)
    return rows, cols


@register("_linalg_extracttrian", attrs=TrianAttrs, aliases=("linalg_extracttrian",))
def linalg_extracttrian(A, *, a: TrianAttrs):
    """A triangle of square matrices as a vector (see the module docstring for the order).
    ``offset`` > 0: the triangle above the ``offset``-th diagonal; < 0: below; 0: ``lower``
    or upper, the diagonal included.

    Shapes: (..., n, n) -> (..., m), m = (n - |offset|)(n - |offset| + 1) / 2.

    >>> mx.nd.linalg.extracttrian(mx.nd.array([[1.0, 2.0], [3.0, 4.0]])).asnumpy().tolist()
    [1.0, 3.0, 4.0]
    """
    _square("_linalg_extracttrian", A)
    n = A.shape[-1]
    if abs(a.offset) >= n:
        raise GluonicValueError(f"Operator _linalg_extracttrian: offset must be smaller than the matrix size in "
                                f"magnitude. Received: offset={a.offset}, shape {tuple(A.shape)}")
    rows, cols = _trian_positions(n, a.offset, a.lower)
    return A[..., torch.tensor(rows, device=A.device), torch.tensor(cols, device=A.device)]


@register("_linalg_maketrian", attrs=TrianAttrs, aliases=("linalg_maketrian",))
def linalg_maketrian(A, *, a: TrianAttrs):
    """Square matrices holding the triangle ``A`` (the inverse of :func:`linalg_extracttrian`), zero elsewhere.

    Shapes: (..., m) -> (..., n, n) with m = (n - |offset|)(n - |offset| + 1) / 2.

    >>> mx.nd.linalg.maketrian(mx.nd.array([1.0, 2.0, 3.0])).asnumpy().tolist()
    [[1.0, 0.0], [2.0, 3.0]]
    """
    _check("_linalg_maketrian", A, ndim=1)
    m = A.shape[-1]
    side = (math.isqrt(8 * m + 1) - 1) // 2
    if side * (side + 1) // 2 != m:
        raise GluonicValueError(f"Operator _linalg_maketrian: the last axis must hold a triangle, k(k+1)/2 "
                                f"entries. Received: shape {tuple(A.shape)}")
    n = side + abs(a.offset)
    rows, cols = _trian_positions(n, a.offset, a.lower)
    out = A.new_zeros((*A.shape[:-1], n * n))
    flat = torch.tensor([r * n + c for r, c in zip(rows, cols)], device=A.device, dtype=torch.long)
    return out.index_copy(-1, flat, A).reshape(*A.shape[:-1], n, n)


@register("_linalg_inverse", aliases=("linalg_inverse",))
def linalg_inverse(A):
    """Matrix inverse: (..., n, n) -> (..., n, n).

    >>> mx.nd.linalg.inverse(mx.nd.array([[2.0, 0.0], [0.0, 4.0]])).asnumpy().tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    _square("_linalg_inverse", A)
    out, info = torch.linalg.inv_ex(A)
    if not A.is_meta and bool((info != 0).any()):
        raise GluonicValueError(f"Operator _linalg_inverse: the input matrix is singular. "
                                f"Received: shape {tuple(A.shape)}")
    return out


@register("_linalg_det", aliases=("linalg_det",))
def linalg_det(A):
    """Determinant: (..., n, n) -> (...) ((1,) for one matrix).

    >>> mx.nd.linalg.det(mx.nd.array([[1.0, 4.0], [2.0, 3.0]])).asnumpy().tolist()
    [-5.0]
    """
    _square("_linalg_det", A)
    return _as_vector(torch.linalg.det(A))


@register("_linalg_slogdet", aliases=("linalg_slogdet",), num_outputs=2, output_names=("sign", "logabsdet"))
def linalg_slogdet(A):
    """Sign and log of the absolute value of the determinant: (..., n, n) -> two of (...) ((1,) for one matrix).

    >>> A = mx.nd.array([[1.0, 4.0], [2.0, 3.0]], dtype="float64")
    >>> [x.asnumpy().round(4).tolist() for x in mx.nd.linalg.slogdet(A)]
    [[-1.0], [1.6094]]
    """
    _square("_linalg_slogdet", A)
    sign, logabs = torch.linalg.slogdet(A)
    return _as_vector(sign), _as_vector(logabs)


@register("_linalg_gelqf", aliases=("linalg_gelqf",), num_outputs=2, output_names=("Q", "L"))
def linalg_gelqf(A):
    """LQ factorization ``A = L @ Q`` of full-rank (..., x, y) matrices with x <= y: ``Q`` (..., x, y)
    has orthonormal rows, ``L`` (..., x, x) is lower triangular. Signs are LAPACK's (as MXNet's).

    >>> Q, L = mx.nd.linalg.gelqf(mx.nd.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype="float64"))
    >>> L.asnumpy().round(4).tolist()
    [[-3.7417, 0.0], [-8.5524, 1.964]]
    """
    _check("_linalg_gelqf", A)
    if A.shape[-2] > A.shape[-1]:
        raise GluonicValueError(f"Operator _linalg_gelqf: needs matrices with no more rows than columns. "
                                f"Received: shape {tuple(A.shape)}")
    q, r = torch.linalg.qr(A.transpose(-1, -2))  # A^T = q r, so A = r^T q^T
    return q.transpose(-1, -2), r.transpose(-1, -2)


@register("_linalg_syevd", num_outputs=2, output_names=("U", "L"))
def linalg_syevd(A):
    """Eigendecomposition ``U @ A = diag(L) @ U`` of symmetric matrices (the lower triangle is read):
    eigenvectors as the rows of ``U``, each with its largest-magnitude entry positive (MXNet's
    convention), eigenvalues ``L`` ascending.

    Shapes: (..., n, n) -> U (..., n, n), L (..., n).

    >>> U, L = mx.nd.linalg.syevd(mx.nd.array([[1.0, 2.0], [2.0, 4.0]], dtype="float64"))
    >>> L.asnumpy().round(4).tolist(), U.asnumpy().round(4).tolist()
    ([0.0, 5.0], [[0.8944, -0.4472], [0.4472, 0.8944]])
    """
    _square("_linalg_syevd", A)
    w, v = torch.linalg.eigh(A)
    u = v.transpose(-1, -2)
    return u * _max_abs_sign(u, -1), w
