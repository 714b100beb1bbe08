"""Dense operators: ``FullyConnected``, ``Embedding``, ``dot``, ``batch_dot`` and the
``linalg`` matrix products ``gemm``/``gemm2``, with MXNet 1.9's shape conventions.

- ``dot`` contracts the LAST axis of ``lhs`` with the FIRST axis of ``rhs`` (not
  NumPy's second-to-last); ``transpose_a`` contracts ``lhs``'s first axis instead and
  ``transpose_b`` ``rhs``'s last axis. Two vectors give shape ``(1,)``, as in MXNet.
- ``linalg.gemm``/``gemm2`` take the matrix rows from ``axis`` (default -2) and the
  columns from the last axis; the other axes are batch axes and must agree exactly.
- Unlike MXNet on CPU, integer and float16 inputs are accepted where torch computes them.
"""
from __future__ import annotations

import math
from typing import Literal

import torch
import torch.nn.functional as F

from ..base import GluonicValueError
from .attrs import Attrs, DType
from .registry import BatchRule, register


def _shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape)


def _check_bias(op: str, bshape, no_bias: bool, n: int, what: str) -> None:
    """MXNet's bias rule: present exactly when ``no_bias`` is False, of shape ``(n,)``.

    ``bshape`` is the bias's shape, or None when no bias was given.
    """
    if no_bias:
        if bshape is not None:
            raise GluonicValueError(
                f"Operator {op}: a bias input was given but no_bias=True; pass no_bias=False to add it "
                f"or leave the bias out. Received: bias{tuple(bshape)}"
            )
        return
    if bshape is None:
        raise GluonicValueError(
            f"Operator {op}: no_bias=False requires a bias input of shape ({n},); pass one or set "
            f"no_bias=True. Received: no bias"
        )
    if bshape != (n,):
        raise GluonicValueError(
            f"Operator {op}: expected bias of shape ({n},) ({what}). Received: bias{tuple(bshape)}"
        )


# --------------------------------------------------------------------------- FullyConnected

class FullyConnectedAttrs(Attrs):
    num_hidden: int
    no_bias: bool = False
    flatten: bool = True


@register("FullyConnected", attrs=FullyConnectedAttrs, aliases=("fully_connected",),
          batch=BatchRule(axis=0, unbatched=(1, 2)))
def fully_connected(data, weight, bias=None, *, a: FullyConnectedAttrs):
    """Fully connected (dense) layer: ``out = data @ weight.T + bias``.

    Shapes: with ``flatten=True`` (default) ``data`` (batch, d1, …) is flattened to
    (batch, d1·…) and the output is (batch, num_hidden); with ``flatten=False`` the
    product applies to the last axis: (…, in_units) → (…, num_hidden).
    ``weight`` is (num_hidden, in_units), ``bias`` (num_hidden,) unless ``no_bias``.

    Example::

        >>> mx.nd.FullyConnected(mx.nd.ones((2, 3, 4)), mx.nd.ones((5, 12)), mx.nd.zeros((5,)), num_hidden=5).shape
        (2, 5)
    """
    ndim = data.ndim
    if ndim == 0:
        raise GluonicValueError("Operator FullyConnected: data must have at least one axis. Received: data()")
    x = data
    if a.flatten and ndim != 2:
        x = data.reshape(data.shape[0], math.prod(data.shape[1:]))
    in_units = x.shape[-1]
    ws = weight.shape
    if len(ws) != 2 or ws[0] != a.num_hidden or ws[1] != in_units:
        raise GluonicValueError(
            f"Operator FullyConnected: expected weight of shape (num_hidden, in_units) = "
            f"({a.num_hidden}, {in_units}) for data{_shape(data)} with flatten={a.flatten}. "
            f"Received: weight{_shape(weight)}"
        )
    # (the checks are written to be cheap on the hot path; _check_bias builds the message)
    if (bias is None) != a.no_bias or (bias is not None and bias.shape != (a.num_hidden,)):
        _check_bias("FullyConnected", None if bias is None else bias.shape, a.no_bias, a.num_hidden, "num_hidden")
    return F.linear(x, weight, bias)


# --------------------------------------------------------------------------- Embedding

class EmbeddingAttrs(Attrs):
    input_dim: int
    output_dim: int
    dtype: DType = "float32"
    sparse_grad: bool = False


@register("Embedding", attrs=EmbeddingAttrs, batch=BatchRule(axis=0, unbatched=(1,)))
def embedding(data, weight, *, a: EmbeddingAttrs):
    """Look up rows of ``weight`` by the indices in ``data``.

    Shapes: ``data`` (…) of indices (any numeric dtype; floats are truncated toward
    zero, as MXNet does), ``weight`` (input_dim, output_dim) → (…, output_dim), in
    ``weight``'s dtype. Out-of-range indices are clipped to ``[0, input_dim - 1]``, as
    in MXNet (no error is raised). ``dtype`` and ``sparse_grad`` are accepted for
    compatibility; the gradient of ``weight`` is always dense.

    Example::

        >>> w = mx.nd.arange(6).reshape((3, 2))
        >>> mx.nd.Embedding(mx.nd.array([0, 2, 7]), w, input_dim=3, output_dim=2).asnumpy().tolist()
        [[0.0, 1.0], [4.0, 5.0], [4.0, 5.0]]
    """
    if weight.shape != (a.input_dim, a.output_dim):
        raise GluonicValueError(
            f"Operator Embedding: expected weight of shape (input_dim, output_dim) = "
            f"({a.input_dim}, {a.output_dim}). Received: weight{_shape(weight)}"
        )
    idx = data if data.dtype == torch.int64 else data.to(torch.int64)
    return F.embedding(idx.clamp(0, a.input_dim - 1), weight)


# --------------------------------------------------------------------------- dot / batch_dot

def products_any_dtype(fn, *ts: torch.Tensor) -> torch.Tensor:
    """The product ``fn`` (matmul, tensordot, mul) on the inputs promoted to one dtype, for every dtype:
    bool computes in int64 (then ``!= 0``), integers on CUDA in float64 (CUDA has no integer GEMM;
    exact while the sums stay below 2**53). Same-dtype floats go straight to ``fn``."""
    dt = ts[0].dtype
    if dt.is_floating_point and all(t.dtype == dt for t in ts[1:]):
        return fn(*ts)
    for t in ts[1:]:
        dt = torch.promote_types(dt, t.dtype)
    ts = [t.to(dt) for t in ts]
    if dt == torch.bool:
        return products_any_dtype(fn, *[t.to(torch.int64) for t in ts]) != 0
    if not dt.is_floating_point and ts[0].device.type == "cuda":
        return fn(*[t.double() for t in ts]).round().to(dt)
    return fn(*ts).to(dt)


class DotAttrs(Attrs):
    transpose_a: bool = False
    transpose_b: bool = False
    forward_stype: Literal["csr", "default", "row_sparse"] | None = None


def _same_dtype(op: str, lhs, rhs) -> None:
    """MXNet's dot and batch_dot take two arrays of one dtype (the NumPy ops promote instead)."""
    if lhs.dtype != rhs.dtype:
        raise GluonicValueError(
            f"Operator {op}: both inputs must have the same dtype. Received: lhs{_shape(lhs)} "
            f"{str(lhs.dtype).replace('torch.', '')}, rhs{_shape(rhs)} {str(rhs.dtype).replace('torch.', '')}"
        )


def _dot_mismatch(op: str, lhs, rhs, a, la: int, ra: int):
    return GluonicValueError(
        f"Operator {op}: the contracted axes differ in size: lhs axis {la} has {lhs.shape[la]}, "
        f"rhs axis {ra} has {rhs.shape[ra]}. Received: lhs{_shape(lhs)}, rhs{_shape(rhs)}, "
        f"transpose_a={a.transpose_a}, transpose_b={a.transpose_b}"
    )


@register("dot", attrs=DotAttrs)
def dot(lhs, rhs, *, a: DotAttrs):
    """Tensor product contracting the last axis of ``lhs`` with the first axis of ``rhs``.

    Shapes: (…l, k) · (k, …r) → (…l, …r). ``transpose_a`` contracts the FIRST axis of
    ``lhs`` ((k, …l) → …l first), ``transpose_b`` the LAST axis of ``rhs`` ((…r, k)).
    Transposing a vector changes nothing; two vectors give shape ``(1,)`` like MXNet.
    ``forward_stype`` is accepted and ignored (outputs are dense).

    Example::

        >>> mx.nd.dot(mx.nd.ones((2, 3, 4)), mx.nd.ones((4, 5))).shape
        (2, 3, 5)
    """
    if lhs.ndim == 0 or rhs.ndim == 0:
        raise GluonicValueError(
            f"Operator dot: inputs must have at least one axis. Received: lhs{_shape(lhs)}, rhs{_shape(rhs)}"
        )
    _same_dtype("dot", lhs, rhs)
    la = 0 if (a.transpose_a or lhs.ndim == 1) else -1
    ra = -1 if (a.transpose_b and rhs.ndim > 1) else 0
    if lhs.shape[la] != rhs.shape[ra]:
        raise _dot_mismatch("dot", lhs, rhs, a, la, ra)
    if lhs.ndim == 1 and rhs.ndim == 1:
        return products_any_dtype(torch.dot, lhs, rhs).reshape(1)
    if lhs.ndim <= 2 and rhs.ndim <= 2:
        x, y = lhs.t() if la == 0 and lhs.ndim == 2 else lhs, rhs.t() if ra == -1 else rhs
        return products_any_dtype(torch.matmul, x, y)
    return products_any_dtype(lambda x, y: torch.tensordot(x, y, dims=([la], [ra])), lhs, rhs)


@register("batch_dot", attrs=DotAttrs, batch=BatchRule(axis=0))
def batch_dot(lhs, rhs, *, a: DotAttrs):
    """Batched matrix product over the leading axes.

    Shapes: (B…, m, k) · (B…, k, n) → (B…, m, n) with N ≥ 3 axes and identical batch
    axes B…; ``transpose_a``/``transpose_b`` transpose the last two axes of an input.

    Example::

        >>> mx.nd.batch_dot(mx.nd.ones((2, 3, 4)), mx.nd.ones((2, 4, 5))).shape
        (2, 3, 5)
    """
    if lhs.ndim < 3 or lhs.ndim != rhs.ndim or lhs.shape[:-2] != rhs.shape[:-2]:
        raise GluonicValueError(
            f"Operator batch_dot: inputs must have the same number N >= 3 of axes and equal leading "
            f"(batch) axes; use dot for 2-D arrays. Received: lhs{_shape(lhs)}, rhs{_shape(rhs)}"
        )
    _same_dtype("batch_dot", lhs, rhs)
    x = lhs.transpose(-1, -2) if a.transpose_a else lhs
    y = rhs.transpose(-1, -2) if a.transpose_b else rhs
    if x.shape[-1] != y.shape[-2]:
        raise _dot_mismatch("batch_dot", lhs, rhs, a, -2 if a.transpose_a else -1, -1 if a.transpose_b else -2)
    return products_any_dtype(torch.matmul, x, y)


# --------------------------------------------------------------------------- linalg gemm / gemm2

class Gemm2Attrs(Attrs):
    transpose_a: bool = False
    transpose_b: bool = False
    alpha: float = 1.0
    axis: int = -2


class GemmAttrs(Attrs):
    transpose_a: bool = False
    transpose_b: bool = False
    alpha: float = 1.0
    beta: float = 1.0
    axis: int = -2


def _gemm_product(op: str, A, B, a) -> tuple[torch.Tensor, int]:
    """``alpha * op(A) @ op(B)`` with rows on axis ``a.axis`` moved to -2; returns (product, axis)."""
    nd = A.ndim
    axis = a.axis + nd if a.axis < 0 else a.axis
    if nd < 2 or nd != B.ndim or not 0 <= axis < nd - 1:
        raise GluonicValueError(
            f"Operator {op}: A and B must have the same number (>= 2) of axes and the row axis must "
            f"be one of the first ndim-1 axes. Received: A{_shape(A)}, B{_shape(B)}, axis={a.axis}"
        )
    x, y = (A, B) if axis == nd - 2 else (A.transpose(axis, -2), B.transpose(axis, -2))
    if a.transpose_a:
        x = x.transpose(-1, -2)
    if a.transpose_b:
        y = y.transpose(-1, -2)
    if x.shape[:-2] != y.shape[:-2] or x.shape[-1] != y.shape[-2]:
        raise GluonicValueError(
            f"Operator {op}: incompatible matrix shapes: the batch axes must be equal and the columns "
            f"of op(A) must match the rows of op(B). Received: A{_shape(A)}, B{_shape(B)}, "
            f"transpose_a={a.transpose_a}, transpose_b={a.transpose_b}, axis={a.axis}"
        )
    out = torch.matmul(x, y)
    if a.alpha != 1.0:
        out = out * a.alpha
    return out, axis


@register("_linalg_gemm2", attrs=Gemm2Attrs, aliases=("linalg_gemm2",))
def linalg_gemm2(A, B, *, a: Gemm2Attrs):
    """Matrix product ``alpha * op(A) @ op(B)``, batched over all other axes.

    Shapes: rows on ``axis`` (default -2), columns on the last axis:
    (…, m, k) · (…, k, n) → (…, m, n) for the default axis.

    Example::

        >>> mx.nd.linalg.gemm2(mx.nd.ones((2, 3, 4)), mx.nd.ones((2, 4, 5)), alpha=2.0).shape
        (2, 3, 5)
    """
    out, axis = _gemm_product("_linalg_gemm2", A, B, a)
    return out if axis == A.ndim - 2 else out.transpose(axis, -2)


@register("_linalg_gemm", attrs=GemmAttrs, aliases=("linalg_gemm",))
def linalg_gemm(A, B, C, *, a: GemmAttrs):
    """Matrix multiply-accumulate ``alpha * op(A) @ op(B) + beta * C``, batched.

    Shapes: as :func:`linalg_gemm2`; ``C`` must have exactly the shape of the product.

    Example::

        >>> mx.nd.linalg.gemm(mx.nd.ones((3, 4)), mx.nd.ones((4, 5)), mx.nd.ones((3, 5)), beta=0.5).shape
        (3, 5)
    """
    prod, axis = _gemm_product("_linalg_gemm", A, B, a)
    c = C if axis == A.ndim - 2 else C.transpose(axis, -2)
    if c.shape != prod.shape:
        want = prod.shape if axis == A.ndim - 2 else prod.transpose(axis, -2).shape
        raise GluonicValueError(
            f"Operator _linalg_gemm: C must have the shape of op(A) @ op(B), {tuple(want)}. "
            f"Received: A{_shape(A)}, B{_shape(B)}, C{_shape(C)}"
        )
    out = prod + c if a.beta == 1.0 else prod + a.beta * c
    return out if axis == A.ndim - 2 else out.transpose(axis, -2)
