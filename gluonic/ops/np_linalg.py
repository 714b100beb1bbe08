"""Products of MXNet's NumPy interface: ``_np_dot``, ``_npi_matmul``, ``_npi_tensordot``, ``_npi_einsum``, ... .

NumPy's rules (``np.dot`` for 0-d/1-d/2-d/N-d, ``np.matmul``'s 1-d promotion and batch
broadcasting, ``np.tensordot``'s axes) over torch kernels. Inputs of different dtypes are
promoted first (``torch.promote_types``: int32 with float32 gives float32, as in MXNet);
integer inputs give integer results, as in NumPy (MXNet 1.9 rejects them); bool inputs
give bool (a logical sum of products). Mismatched shapes raise a ``GluonicValueError``
naming the NumPy function and both shapes.

The ``np.linalg`` operators live in :mod:`np_linalg_decomp` and :mod:`np_linalg_extra`.
"""
from __future__ import annotations

import torch

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .dense import products_any_dtype as _products
from .registry import register


def _mismatch(op: str, fn: str, a: torch.Tensor, b: torch.Tensor, what: str) -> GluonicValueError:
    return GluonicValueError(f"Operator {op} ({fn}): shapes {tuple(a.shape)} and {tuple(b.shape)} {what}. "
                             f"Received: a{tuple(a.shape)}, b{tuple(b.shape)}")


@register("_np_dot")
def np_dot(a, b):
    """NumPy's ``dot``: 0-d operands multiply; 1-d·1-d is the inner product (0-d); otherwise the sum
    over the last axis of ``a`` and the second-to-last of ``b`` (the only one when ``b`` is 1-d).

    Shapes: (..., n) · (..., n, m) -> (..., ..., m). Example: (2, 3) · (3,) -> (2,).
    """
    if a.dtype == b.dtype and a.dtype.is_floating_point and a.ndim and 0 < b.ndim <= 2:
        try:  # the common case: matmul's rules are dot's here
            return torch.matmul(a, b)
        except RuntimeError:
            pass  # a shape mismatch: explained below
    if a.ndim == 0 or b.ndim == 0:
        return _products(torch.mul, a, b)
    bk = max(b.ndim - 2, 0)
    if a.shape[-1] != b.shape[bk]:
        raise _mismatch("_np_dot", "np.dot", a, b,
                        f"not aligned: {a.shape[-1]} (dim {a.ndim - 1}) != {b.shape[bk]} (dim {bk})")
    return _products(lambda x, y: torch.tensordot(x, y, dims=([x.ndim - 1], [bk])), a, b)


@register("_npi_matmul")
def npi_matmul(a, b):
    """NumPy's ``matmul``: matrix products over the last two axes, batch axes broadcast; a 1-d operand
    is promoted to a matrix (a row for ``a``, a column for ``b``) and the added axis removed.

    Shapes: (..., n, k) @ (..., k, m) -> (broadcast(...), n, m). Example: (5, 2, 3) @ (3,) -> (5, 2).
    """
    if a.dtype == b.dtype and a.dtype.is_floating_point:
        try:  # the common case; on failure the checks below explain
            return torch.matmul(a, b)
        except RuntimeError:
            pass
    if a.ndim == 0 or b.ndim == 0:
        raise _mismatch("_npi_matmul", "np.matmul", a, b, "include a 0-d operand, which matmul does not accept "
                        "(use np.multiply or np.dot)")
    bk = 0 if b.ndim == 1 else b.ndim - 2
    if a.shape[-1] != b.shape[bk]:
        raise _mismatch("_npi_matmul", "np.matmul", a, b,
                        f"do not match in the core dimension: {a.shape[-1]} (dim {a.ndim - 1}) != {b.shape[bk]} "
                        f"(dim {bk})")
    if a.ndim > 2 and b.ndim > 2:
        try:
            torch.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except RuntimeError:
            raise _mismatch("_npi_matmul", "np.matmul", a, b, "have batch dimensions that do not broadcast") from None
    return _products(torch.matmul, a, b)


class TensordotAttrs(Attrs):
    a_axes_summed: Shape
    b_axes_summed: Shape


def _norm_axes(op: str, axes, ndim: int, which: str, shape) -> list[int]:
    out = []
    for ax in axes:
        if not -ndim <= ax < ndim:
            raise GluonicValueError(f"Operator {op} (np.tensordot): axis {ax} of {which} is out of range for "
                                    f"{ndim} dimensions. Received: {which}{tuple(shape)}, axes {tuple(axes)}")
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise GluonicValueError(f"Operator {op} (np.tensordot): repeated axis in {which}'s axes. Received: "
                                f"{tuple(axes)}")
    return out


@register("_npi_tensordot", attrs=TensordotAttrs)
def npi_tensordot(x, y, *, a: TensordotAttrs):
    """NumPy's ``tensordot`` with explicit axis lists: sums ``x``'s ``a_axes_summed`` against ``y``'s
    ``b_axes_summed`` (pairwise); the result has ``x``'s free axes then ``y``'s.

    Shapes: (2, 3, 4), (4, 3, 5) with axes (1, 2), (1, 0) -> (2, 5).
    """
    op = "_npi_tensordot"
    if (x.ndim == 0 or y.ndim == 0) and a.a_axes_summed == (-1,) and a.b_axes_summed == (-1,):
        return _products(torch.mul, x, y)  # np.inner with a 0-d operand (what np.inner records)
    if len(a.a_axes_summed) != len(a.b_axes_summed):
        raise GluonicValueError(f"Operator {op} (np.tensordot): the axis lists differ in length. Received: "
                                f"{a.a_axes_summed} and {a.b_axes_summed}")
    xa = _norm_axes(op, a.a_axes_summed, x.ndim, "a", x.shape)
    ya = _norm_axes(op, a.b_axes_summed, y.ndim, "b", y.shape)
    for i, j in zip(xa, ya):
        if x.shape[i] != y.shape[j]:
            raise _mismatch(op, "np.tensordot", x, y, f"do not match along the summed axes: {x.shape[i]} (axis {i}) "
                            f"!= {y.shape[j]} (axis {j})")
    return _products(lambda p, q: torch.tensordot(p, q, dims=(xa, ya)), x, y)


npi_tensordot.op.inputs = ("a", "b")


class TensordotIntAttrs(Attrs):
    axes: int


@register("_npi_tensordot_int_axes", attrs=TensordotIntAttrs)
def npi_tensordot_int_axes(x, y, *, a: TensordotIntAttrs):
    """NumPy's ``tensordot(x, y, axes=n)``: sums the last ``n`` axes of ``x`` against the first ``n`` of ``y``
    (``n=0``: the outer product).

    Shapes: (2, 3, 4), (3, 4, 5) with axes=2 -> (2, 5).
    """
    n = a.axes
    if n < 0 or n > x.ndim or n > y.ndim:
        raise _mismatch("_npi_tensordot_int_axes", "np.tensordot", x, y, f"cannot be contracted over {n} axes")
    if tuple(x.shape[x.ndim - n:]) != tuple(y.shape[:n]):
        raise _mismatch("_npi_tensordot_int_axes", "np.tensordot", x, y,
                        f"do not match along the {n} summed axes: {tuple(x.shape[x.ndim - n:])} != {tuple(y.shape[:n])}")
    return _products(lambda p, q: torch.tensordot(p, q, dims=n), x, y)


npi_tensordot_int_axes.op.inputs = ("a", "b")


class EinsumAttrs(Attrs):
    num_args: int = 1
    subscripts: str = ""
    optimize: int = 0


@register("_npi_einsum", attrs=EinsumAttrs, num_args="num_args")
def npi_einsum(*data, a: EinsumAttrs):
    """NumPy's ``einsum``: explicit (``'ij,jk->ik'``) and implicit (``'ij,jk'``, output labels sorted)
    modes, ``...`` broadcasting. ``optimize`` is accepted and ignored (torch picks the contraction order).

    Shapes: set by the subscripts. Example: 'ij,jk->ik' on (2, 3), (3, 4) -> (2, 4).
    """
    subscripts = a.subscripts.replace(" ", "")
    n_in = subscripts.split("->")[0].count(",") + 1
    if n_in != len(data):
        raise GluonicValueError(f"Operator _npi_einsum (np.einsum): the subscripts {a.subscripts!r} name {n_in} "
                                f"operands. Received: {len(data)} operands of shapes {[tuple(t.shape) for t in data]}")
    try:
        return _products(lambda *ts: torch.einsum(subscripts, *ts), *data)
    except RuntimeError as e:
        raise GluonicValueError(f"Operator _npi_einsum (np.einsum): {e}. Received: subscripts {a.subscripts!r}, "
                                f"operands of shapes {[tuple(t.shape) for t in data]}") from None


@register("_npi_kron")
def npi_kron(x, y):
    """NumPy's ``kron``: the Kronecker product (MXNet 2.0's op; not in MXNet 1.9).

    Shapes: (2, 2), (3, 3) -> (6, 6); operands of different ndim are padded with leading 1s.
    """
    return _products(torch.kron, x, y)


npi_kron.op.inputs = ("a", "b")


class CrossAttrs(Attrs):
    axisa: int = -1
    axisb: int = -1
    axisc: int = -1


@register("_npi_cross", attrs=CrossAttrs)
def npi_cross(x, y, *, a: CrossAttrs):
    """NumPy's ``cross`` of 3-vectors (or 2-vectors, with z = 0) along ``axisa``/``axisb``, result axis ``axisc``
    (MXNet 2.0's op). Two 2-vectors give the z component only, as in NumPy.

    Shapes: (5, 3), (3,) -> (5, 3).
    """
    op = "_npi_cross"
    try:
        x = torch.movedim(x, a.axisa, -1)
        y = torch.movedim(y, a.axisb, -1)
    except IndexError as e:
        raise GluonicValueError(f"Operator {op} (np.cross): {e}. Received: a{tuple(x.shape)}, b{tuple(y.shape)}, "
                                f"axisa={a.axisa}, axisb={a.axisb}") from None
    if x.shape[-1] not in (2, 3) or y.shape[-1] not in (2, 3):
        raise _mismatch(op, "np.cross", x, y, "are incompatible: the vector dimension must be 2 or 3")
    dt = torch.promote_types(x.dtype, y.dtype)
    x, y = x.to(dt), y.to(dt)
    if x.shape[-1] == 2 and y.shape[-1] == 2:
        return x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]
    if x.shape[-1] == 2:
        x = torch.cat([x, torch.zeros_like(x[..., :1])], -1)
    if y.shape[-1] == 2:
        y = torch.cat([y, torch.zeros_like(y[..., :1])], -1)
    x, y = torch.broadcast_tensors(x, y)
    c = torch.stack([x[..., 1] * y[..., 2] - x[..., 2] * y[..., 1],
                     x[..., 2] * y[..., 0] - x[..., 0] * y[..., 2],
                     x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]], -1)
    return torch.movedim(c, -1, a.axisc)


npi_cross.op.inputs = ("a", "b")

from . import np_linalg_decomp, np_linalg_extra  # noqa: E402,F401  (np.linalg's operators)
