"""``np.linalg`` operators MXNet 1.9 only had as NumPy fallbacks (host copies, no autograd, no graphs):
``_npi_qr``, ``_npi_lstsq``, ``_npi_matrix_rank``, ``_npi_matrix_power``, ``_npi_cond``.

These names are gluonic's (``mx.np.linalg.qr`` in MXNet 1.9 ran ``numpy.linalg.qr`` on the host);
here they are registry operators like the rest, differentiable where torch is.
"""
from __future__ import annotations

import math
from typing import Literal

import torch

from ..base import GluonicValueError
from .attrs import Attrs
from .np_linalg_decomp import as_float, linalg_call, matrix, square
from .registry import register


class QrAttrs(Attrs):
    mode: Literal["reduced", "complete", "r"] = "reduced"


@register("_npi_qr", attrs=QrAttrs, num_outputs=lambda a: 1 if a is not None and a.mode == "r" else 2,
          output_names=("Q", "R"))
def npi_qr(A, *, a: QrAttrs):
    """``np.linalg.qr``: A = Q R with Q orthonormal columns, R upper triangular (LAPACK's signs, as NumPy).

    Shapes (k = min(m, n)): 'reduced' (..., m, n) -> Q (..., m, k), R (..., k, n); 'complete' Q (..., m, m),
    R (..., m, n); 'r' returns R (..., k, n) only.
    """
    A = matrix("_npi_qr", "np.linalg.qr", A)
    if a.mode == "r":
        return torch.linalg.qr(A, mode="r")[1]
    q, r = torch.linalg.qr(A, mode=a.mode)
    return q, r


class MatrixRankAttrs(Attrs):
    tol: float | None = None
    hermitian: bool = False


@register("_npi_matrix_rank", attrs=MatrixRankAttrs, differentiable=False)
def npi_matrix_rank(M, *, a: MatrixRankAttrs):
    """``np.linalg.matrix_rank``: the number of singular values above ``tol`` (default: largest * max(m, n)
    * eps), int64. A 0-d/1-d input has rank 1 unless all zero.

    Shapes: (..., m, n) -> (...).
    """
    M = as_float(M)
    if M.ndim < 2:
        return (M != 0).any().to(torch.int64)
    s = torch.linalg.svdvals(M) if not a.hermitian else torch.linalg.eigvalsh(M).abs()
    if a.tol is None:
        smax = s.amax(-1, keepdim=True) if s.shape[-1] else torch.zeros_like(s[..., :1])
        tol = smax * max(M.shape[-2:]) * torch.finfo(M.dtype).eps
    else:
        tol = a.tol
    return (s > tol).sum(-1).to(torch.int64)


class MatrixPowerAttrs(Attrs):
    n: int


@register("_npi_matrix_power", attrs=MatrixPowerAttrs)
def npi_matrix_power(A, *, a: MatrixPowerAttrs):
    """``np.linalg.matrix_power``: A**n by repeated squaring (n < 0: of the inverse; n = 0: identity).
    Integer matrices stay integer for n >= 0, as in NumPy.

    Shapes: (..., m, m) -> (..., m, m).
    """
    op, fn = "_npi_matrix_power", "np.linalg.matrix_power"
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        square(op, fn, A)
    if a.n < 0:
        A = linalg_call(op, fn, "singular matrix", torch.linalg.inv, as_float(A))
    if A.dtype == torch.bool or (not A.dtype.is_floating_point and A.device.type == "cuda"):
        r = torch.linalg.matrix_power(A.double(), abs(a.n))
        return (r != 0) if A.dtype == torch.bool else r.round().to(A.dtype)
    return torch.linalg.matrix_power(A, abs(a.n))


class CondAttrs(Attrs):
    p: str | None = None


_COND_P = {"None": None, "fro": "fro", "nuc": "nuc", "inf": math.inf, "-inf": -math.inf,
           "1": 1, "-1": -1, "2": 2, "-2": -2}


@register("_npi_cond", attrs=CondAttrs)
def npi_cond(x, *, a: CondAttrs):
    """``np.linalg.cond``: the condition number ||x|| ||x⁻¹|| in norm ``p`` (None/2: largest over smallest
    singular value; also -2, 1, -1, inf, -inf, 'fro', 'nuc'). Singular matrices give inf.

    Shapes: (..., m, n) -> (...) (square unless p is None/2/-2).
    """
    op, fn = "_npi_cond", "np.linalg.cond"
    p = a.p if a.p is None else _COND_P.get(a.p.replace("+", "").replace(".0", ""), "bad")
    if p == "bad":
        raise GluonicValueError(f"Operator {op} ({fn}): invalid norm order. Received: p={a.p!r}")
    x = matrix(op, fn, x) if p in (None, 2, -2) else square(op, fn, x)
    if p in (None, 2, -2):
        s = torch.linalg.svdvals(x)
        big, small = s[..., 0], s[..., -1]
        return big / small if p != -2 else small / big
    inv, info = torch.linalg.inv_ex(x)
    c = torch.linalg.matrix_norm(x, p) * torch.linalg.matrix_norm(inv, p)
    return torch.where((info != 0) | torch.isnan(c), torch.full_like(c, math.inf), c)


class LstsqAttrs(Attrs):
    rcond: float | None = None


@register("_npi_lstsq", attrs=LstsqAttrs, num_outputs=4, output_names=("x", "residuals", "rank", "s"))
def npi_lstsq(A, B, *, a: LstsqAttrs):
    """``np.linalg.lstsq``: the least-squares solution of A x = b through the SVD (singular values
    <= rcond * largest dropped; default rcond = eps * max(m, n)).

    Shapes: A (m, n), b (m,) or (m, k) -> x (n,) or (n, k), residuals (1,) or (k,) (squared 2-norms of
    b - A x; ``np.linalg.lstsq`` empties them when rank < n or m <= n), rank (), s (min(m, n),).
    """
    op, fn = "_npi_lstsq", "np.linalg.lstsq"
    dt = torch.promote_types(A.dtype, B.dtype)
    dt = dt if dt.is_floating_point else torch.float32
    A, B = A.to(dt), B.to(dt)
    if A.ndim != 2 or B.ndim not in (1, 2) or B.shape[0] != A.shape[0]:
        raise GluonicValueError(f"Operator {op} ({fn}): a must be (m, n) and b (m,) or (m, k). Received: "
                                f"a{tuple(A.shape)}, b{tuple(B.shape)}")
    m, n = A.shape
    vector = B.ndim == 1
    b2 = B.unsqueeze(-1) if vector else B
    u, s, vh = torch.linalg.svd(A, full_matrices=False)
    rcond = a.rcond if a.rcond is not None and a.rcond >= 0 else torch.finfo(dt).eps * max(m, n)
    cutoff = (s.amax() if s.numel() else torch.zeros((), dtype=dt, device=A.device)) * rcond
    keep = s > cutoff
    sinv = torch.where(keep, 1 / torch.where(keep, s, torch.ones_like(s)), torch.zeros_like(s))
    x = vh.transpose(0, 1) @ (sinv.unsqueeze(-1) * (u.transpose(0, 1) @ b2))
    resid = ((b2 - A @ x) ** 2).sum(0)
    return (x.squeeze(-1) if vector else x), resid, keep.sum().to(torch.int64), s
