"""Array creation and diagonal operators of MXNet's NumPy interface (``_npi_*`` / ``_np_*`` names).

The creation ops (``_npi_zeros``, ``_npi_arange``, ``_npi_eye``, ...) take no inputs: ``ctx``
is a context string (empty: the current context) and shapes come from the attributes alone.
``_npi_full``, ``_npi_arange`` and ``_npi_linspace`` are MXNet's own aliases of the legacy
``_full``, ``_arange`` and ``_linspace`` (ops/creation.py). The ops taking an array
(``_npi_full_like``, ``_npi_tril``, ``_np_diag``, ``_np_trace``, ``_np_copy``, ...) are
differentiable where NumPy's are (``*_like`` have zero gradient).

Differences from MXNet 1.9, all where MXNet fails: ``_npi_triu`` and ``_npi_tri`` exist
(MXNet 2 names; 1.9 has no triu/tri); zero-size shapes work everywhere.
"""
from __future__ import annotations

import torch

from .. import _dtype
from ..base import GluonicValueError
from .attrs import Attrs, DType, Shape
from .creation import _F64, _from_f64, _rule, _scalar_in, check_shape, device_of, spaced_f64
from .registry import add_aliases, register

add_aliases("_full", "_npi_full")
add_aliases("_arange", "_npi_arange")
add_aliases("_linspace", "_npi_linspace")


def _dt(name: str | None, default: torch.dtype = torch.float32) -> torch.dtype:
    return default if name is None else _dtype.to_torch(name)


# ------------------------------------------------------------------- zeros, ones, identity
class NpFillAttrs(Attrs):
    shape: Shape = ()
    ctx: str = ""
    dtype: DType | None = "float32"


def _fill_sig(op: str):
    return lambda a: (check_shape(op, a.shape), _dt(a.dtype))


@register("_npi_zeros", attrs=NpFillAttrs, shape_rule=_rule(_fill_sig("_npi_zeros")))
def np_zeros(*, a: NpFillAttrs):
    """Zeros of ``shape`` and ``dtype`` (float32 when None), behind ``np.zeros``/``np.empty``.

    Shapes: → ``shape``. Example: ``_npi_zeros(shape=(2, 0))`` has shape (2, 0).
    """
    shape, dtype = _fill_sig("_npi_zeros")(a)
    return torch.zeros(shape, dtype=dtype, device=device_of(a.ctx))


@register("_npi_ones", attrs=NpFillAttrs, shape_rule=_rule(_fill_sig("_npi_ones")))
def np_ones(*, a: NpFillAttrs):
    """Ones of ``shape`` and ``dtype`` (float32 when None), behind ``np.ones``.

    Shapes: → ``shape``. Example: ``_npi_ones(shape=(), dtype='int32')`` is ``array(1)``.
    """
    shape, dtype = _fill_sig("_npi_ones")(a)
    return torch.ones(shape, dtype=dtype, device=device_of(a.ctx))


def _identity_sig(a: NpFillAttrs):
    shape, dtype = _fill_sig("_npi_identity")(a)
    if len(shape) != 2 or shape[0] != shape[1]:
        raise GluonicValueError(f"Operator _npi_identity: shape must be square (n, n). Received: shape={shape}")
    return shape, dtype


@register("_npi_identity", attrs=NpFillAttrs, shape_rule=_rule(_identity_sig))
def np_identity(*, a: NpFillAttrs):
    """The identity matrix of ``shape`` (n, n), behind ``np.identity``.

    Shapes: → (n, n). Example: ``_npi_identity(shape=(2, 2))`` is ``[[1, 0], [0, 1]]``.
    """
    (n, _), dtype = _identity_sig(a)
    return torch.eye(n, dtype=dtype, device=device_of(a.ctx))


# ------------------------------------------------------------------- full_like
class FullLikeAttrs(Attrs):
    fill_value: float
    ctx: str = ""
    dtype: DType | None = None


class _FullLike(torch.autograd.Function):
    """``torch.full`` shaped like ``x``, recorded with a zero gradient for ``x`` (MXNet keeps it in the graph)."""

    @staticmethod
    def forward(x, value, dtype, device):
        return torch.full(x.shape, value, dtype=dtype, device=device)

    @staticmethod
    def backward(ctx, g):
        return torch.zeros(ctx.shape_, dtype=ctx.dtype_, device=g.device), None, None, None

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.shape_, ctx.dtype_ = inputs[0].shape, inputs[0].dtype


@register("_npi_full_like", attrs=FullLikeAttrs)
def np_full_like(a_in, *, a: FullLikeAttrs):
    """An array shaped like ``a`` filled with ``fill_value`` (``dtype`` None: ``a``'s dtype).

    Behind ``np.zeros_like``, ``np.ones_like``, ``np.full_like`` and ``np.empty_like``. The
    value is converted like an element of the dtype (2.7 → 2 for int32). Gradient: zero.
    The result lives on ``a``'s device: ``ctx`` (which MXNet writes into every symbol file)
    is accepted and ignored, so graphs exported on one device run on another.

    Shapes: (d0, ...) → (d0, ...). Example: ``_npi_full_like(x, fill_value=2)``.
    """
    dtype = a_in.dtype if a.dtype is None else _dtype.to_torch(a.dtype)
    device = a_in.device
    value = _scalar_in(a.fill_value, dtype)
    if a_in.requires_grad and torch.is_grad_enabled() and dtype.is_floating_point:
        return _FullLike.apply(a_in, value, dtype, device)
    return torch.full(a_in.shape, value, dtype=dtype, device=device)


# ------------------------------------------------------------------- logspace, eye, tri, indices
class LogspaceAttrs(Attrs):
    start: float
    stop: float
    num: int
    endpoint: bool = True
    base: float = 10.0
    ctx: str = ""
    dtype: DType | None = "float32"


def _logspace_sig(a: LogspaceAttrs):
    if a.num < 0:
        raise GluonicValueError(f"Operator _npi_logspace: num must be non-negative. Received: num={a.num}")
    return (a.num,), _dt(a.dtype)


@register("_npi_logspace", attrs=LogspaceAttrs, shape_rule=_rule(_logspace_sig))
def np_logspace(*, a: LogspaceAttrs):
    """``base ** linspace(start, stop, num, endpoint)``, computed in float64 then cast to ``dtype``.

    Shapes: → (num,). Example: ``_npi_logspace(start=0, stop=2, num=3) = [1, 10, 100]``.
    """
    (num,), dtype = _logspace_sig(a)
    exps = spaced_f64(a.start, a.stop, num, a.endpoint, device_of(a.ctx))
    return _from_f64(torch.pow(torch.tensor(a.base, dtype=_F64, device=exps.device), exps), dtype)


class NpEyeAttrs(Attrs):
    N: int
    M: int | None = None
    k: int = 0
    ctx: str = ""
    dtype: DType | None = "float32"


def _eye_sig(op: str):
    def sig(a):
        m = a.N if a.M is None else a.M
        if a.N < 0 or m < 0:
            raise GluonicValueError(f"Operator {op}: N and M must be non-negative. Received: N={a.N}, M={a.M}")
        return (a.N, m), _dt(a.dtype)

    return sig


def _diag_mask(n: int, m: int, k: int, device) -> torch.Tensor:
    """Boolean (n, m): True where column - row == k."""
    return torch.arange(n, device=device).unsqueeze(1) + k == torch.arange(m, device=device)


@register("_npi_eye", attrs=NpEyeAttrs, shape_rule=_rule(_eye_sig("_npi_eye")))
def np_eye(*, a: NpEyeAttrs):
    """Ones on diagonal ``k`` of an (N, M) array (M None: N), zeros elsewhere; behind ``np.eye``.

    Shapes: → (N, M). Example: ``_npi_eye(N=2, M=3, k=1) = [[0, 1, 0], [0, 0, 1]]``.
    """
    (n, m), dtype = _eye_sig("_npi_eye")(a)
    return _diag_mask(n, m, a.k, device_of(a.ctx)).to(dtype)


class TriAttrs(Attrs):
    N: int
    M: int | None = None
    k: int = 0
    dtype: DType | None = "float32"
    ctx: str = ""


@register("_npi_tri", attrs=TriAttrs, shape_rule=_rule(_eye_sig("_npi_tri")))
def np_tri(*, a: TriAttrs):
    """Ones at and below diagonal ``k`` of an (N, M) array, zeros elsewhere; behind ``np.tri``.

    Shapes: → (N, M). Example: ``_npi_tri(N=2) = [[1, 0], [1, 1]]``.
    """
    (n, m), dtype = _eye_sig("_npi_tri")(a)
    device = device_of(a.ctx)
    return (torch.arange(n, device=device).unsqueeze(1) + a.k >= torch.arange(m, device=device)).to(dtype)


class IndicesAttrs(Attrs):
    dimensions: Shape
    dtype: DType | None = "int32"
    ctx: str = ""


def _indices_sig(a: IndicesAttrs):
    dims = check_shape("_npi_indices", a.dimensions)
    return (len(dims), *dims), _dt(a.dtype, torch.int32)


@register("_npi_indices", attrs=IndicesAttrs, shape_rule=_rule(_indices_sig))
def np_indices(*, a: IndicesAttrs):
    """The index grid of ``dimensions``: output[i] holds the i-th coordinate; behind ``np.indices``.

    Shapes: → (len(dimensions), *dimensions). Example: ``_npi_indices(dimensions=(2,))`` is ``[[0, 1]]``.
    """
    shape, dtype = _indices_sig(a)
    device = device_of(a.ctx)
    if not a.dimensions:
        return torch.zeros((0,), dtype=dtype, device=device)
    grids = torch.meshgrid(*[torch.arange(d, device=device) for d in a.dimensions], indexing="ij")
    return torch.stack(grids).to(dtype)


# ------------------------------------------------------------------- tril, triu
class TrilAttrs(Attrs):
    k: int = 0


def _as_matrix(op: str, x: torch.Tensor) -> torch.Tensor:
    if x.dim() == 0:
        raise GluonicValueError(f"Operator {op}: input must have at least 1 dimension. Received: shape=()")
    return x.unsqueeze(0).expand(x.shape[0], x.shape[0]) if x.dim() == 1 else x


@register("_npi_tril", attrs=TrilAttrs)
def np_tril(data, *, a: TrilAttrs):
    """The lower triangle (at and below diagonal ``k``) of the last two axes; 1-D input acts as a square matrix.

    Shapes: (..., N, M) → (..., N, M); (N,) → (N, N). Example: ``_npi_tril(ones((2, 2)))`` is ``[[1, 0], [1, 1]]``.
    """
    return torch.tril(_as_matrix("_npi_tril", data), a.k)


@register("_npi_triu", attrs=TrilAttrs)
def np_triu(data, *, a: TrilAttrs):
    """The upper triangle (at and above diagonal ``k``) of the last two axes; 1-D input acts as a square matrix.

    Shapes: (..., N, M) → (..., N, M); (N,) → (N, N). Example: ``_npi_triu(ones((2, 2)))`` is ``[[1, 1], [0, 1]]``.
    """
    return torch.triu(_as_matrix("_npi_triu", data), a.k)


# ------------------------------------------------------------------- diagonals
class DiagAttrs(Attrs):
    k: int = 0


@register("_np_diag", attrs=DiagAttrs)
def np_diag(data, *, a: DiagAttrs):
    """1-D input: a square matrix with it on diagonal ``k``; 2-D input: its diagonal ``k``.

    Shapes: (n,) → (n + |k|, n + |k|); (n, m) → (length of diagonal k,).
    Example: ``_np_diag([1, 2]) = [[1, 0], [0, 2]]``.
    """
    if data.dim() not in (1, 2):
        raise GluonicValueError(f"Operator _np_diag: input must be 1-D or 2-D. Received: shape={tuple(data.shape)}")
    return torch.diag(data, a.k)


@register("_np_diagflat", attrs=DiagAttrs)
def np_diagflat(data, *, a: DiagAttrs):
    """A square matrix with the flattened input on diagonal ``k``.

    Shapes: (...) of size n → (n + |k|, n + |k|). Example: ``_np_diagflat([[1, 2]]) = [[1, 0], [0, 2]]``.
    """
    return torch.diagflat(data, a.k)


class DiagonalAttrs(Attrs):
    offset: int = 0
    axis1: int = 0
    axis2: int = 1


def _diag_axes(op: str, x: torch.Tensor, a: DiagonalAttrs) -> tuple[int, int]:
    nd = x.dim()
    if nd < 2:
        raise GluonicValueError(f"Operator {op}: input must have at least 2 dimensions. Received: shape="
                                f"{tuple(x.shape)}")
    ax1, ax2 = a.axis1, a.axis2
    if not (-nd <= ax1 < nd and -nd <= ax2 < nd):
        raise GluonicValueError(f"Operator {op}: axis1/axis2 out of range for a {nd}-D input. Received: axis1={ax1}, "
                                f"axis2={ax2}")
    if ax1 % nd == ax2 % nd:
        raise GluonicValueError(f"Operator {op}: axis1 and axis2 must differ. Received: axis1={ax1}, axis2={ax2}")
    return ax1 % nd, ax2 % nd


@register("_np_diagonal", attrs=DiagonalAttrs)
def np_diagonal(data, *, a: DiagonalAttrs):
    """The diagonal ``offset`` of the planes spanned by ``axis1`` and ``axis2``, appended as the last axis.

    Shapes: (2, 3, 4) with axis1=1, axis2=2 → (2, 3). Example: ``_np_diagonal(eye(2)) = [1, 1]``.
    """
    ax1, ax2 = _diag_axes("_np_diagonal", data, a)
    return torch.diagonal(data, a.offset, ax1, ax2)


@register("_np_trace", attrs=DiagonalAttrs)
def np_trace(data, *, a: DiagonalAttrs):
    """The sum along diagonal ``offset`` of the planes spanned by ``axis1``/``axis2``; keeps the input dtype (MXNet).

    Shapes: (2, 3, 4) with axis1=1, axis2=2 → (2,); (n, m) → (). Example: ``_np_trace(eye(3)) = 3``.
    """
    ax1, ax2 = _diag_axes("_np_trace", data, a)
    out = torch.diagonal(data, a.offset, ax1, ax2).sum(-1)
    return out.to(torch.int64 if data.dtype == torch.bool else data.dtype)


@register("_np_copy")
def np_copy(a):
    """A copy of ``a`` (same shape and dtype). Example: ``_np_copy(x)``."""
    return a.clone()
