"""Reductions of MXNet's NumPy interface: ``_np_sum _np_prod _npi_mean _npi_std _npi_var _np_max _np_min
_np_any _np_all _npi_argmax _npi_argmin _np_cumsum`` (MXNet 1.9's names and attributes), plus the
gluonic-only ``_npi_cumprod _npi_count_nonzero _npi_ptp _npi_nansum _npi_nanprod _npi_nanmean
_npi_nanmax _npi_nanmin`` for functions MXNet 1.9 only offered through a NumPy fallback.

Axis attributes follow NumPy, not the legacy ``sum``: ``axis=None`` reduces every axis,
``axis=()`` reduces none, negative axes count from the end, repeated axes are an error, and a
full reduction gives a 0-d array.

Dtypes (NumPy's rules where MXNet 1.9 differs; listed in docs/numpy.md):

- ``sum``/``prod``/``cumsum``/``cumprod`` of bool and integer inputs accumulate in int64
  (NumPy; MXNet keeps int32/int8 and gives float32 for bool). Unsigned inputs give int64
  (NumPy: uint64, which gluonic lacks).
- ``mean``/``std``/``var`` of integers and bool give float32 (MXNet's mean; MXNet's std/var
  truncate to the integer dtype, which is wrong). ``mean`` over a zero-size axis is NaN
  (NumPy; MXNet gives 0).
- ``max``/``min`` of bool stay bool (MXNet: float32).

Gradients: the gradient of ``max``/``min`` (and ``nanmax``, ``ptp``) goes in full to *every*
element equal to the extremum (MXNet's rule, not split between ties); ``prod`` is exact at
zeros (MXNet: NaN); index outputs (``argmax``) are integers and carry no gradient.
"""
from __future__ import annotations

import math

import torch

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs, DType, Shape
from .reduce import _Extremum
from .registry import register

__all__ = ["NpReduceAttrs", "NpExtremumAttrs", "NpMomentAttrs", "NpAxesAttrs", "NpArgAttrs", "NpCumAttrs",
           "np_axes", "np_axis", "np_label"]

_LABELS = {
    "_np_sum": "np.sum", "_np_prod": "np.prod", "_npi_mean": "np.mean", "_npi_std": "np.std", "_npi_var": "np.var",
    "_np_max": "np.max", "_np_min": "np.min", "_np_any": "np.any", "_np_all": "np.all", "_npi_argmax": "np.argmax",
    "_npi_argmin": "np.argmin", "_np_cumsum": "np.cumsum",
}


def np_label(op: str) -> str:
    """``'Operator _np_sum (np.sum)'``: how errors name an op and the np function behind it."""
    fn = _LABELS.get(op) or ("np." + op.removeprefix("_npi_").removeprefix("_np_"))
    return f"Operator {op} ({fn})"


class NpReduceAttrs(Attrs):
    """``_np_sum``, ``_np_prod``, ``_npi_mean``, ``_npi_nansum``, ``_npi_nanprod``, ``_npi_nanmean``."""

    axis: Shape | None = None
    dtype: DType | None = None
    keepdims: bool = False
    initial: float | None = None


class NpExtremumAttrs(Attrs):
    """``_np_max``/``_np_min`` (aliases ``_np_amax``/``_np_amin``), ``_npi_nanmax``/``_npi_nanmin``."""

    axis: Shape | None = None
    keepdims: bool = False
    initial: float | None = None


class NpMomentAttrs(Attrs):
    """``_npi_std``/``_npi_var``."""

    axis: Shape | None = None
    dtype: DType | None = None
    ddof: int = 0
    keepdims: bool = False


class NpAxesAttrs(Attrs):
    """``_np_any``/``_np_all``, ``_npi_count_nonzero``, ``_npi_ptp``."""

    axis: Shape | None = None
    keepdims: bool = False


class NpArgAttrs(Attrs):
    """``_npi_argmax``/``_npi_argmin``."""

    axis: int | None = None
    keepdims: bool = False


class NpCumAttrs(Attrs):
    """``_np_cumsum``/``_npi_cumprod``."""

    axis: int | None = None
    dtype: DType | None = None


# ------------------------------------------------------------------------------- helpers
def np_axis(op: str, axis: int, ndim: int, shape=None) -> int:
    """``axis`` as a non-negative index for an ``ndim``-d input, or an error naming op, axis and shape."""
    if not -ndim <= axis < ndim:
        valid = f"valid axes: {-ndim} to {ndim - 1}" if ndim else "a 0-d array has no axes"
        shape = tuple(shape) if shape is not None else f"{ndim}-d"
        raise GluonicValueError(f"{np_label(op)}: axis {axis} is out of bounds for an array of shape {shape} "
                                f"({valid}). Received: axis={axis}, shape {shape}")
    return axis % ndim


def np_axes(op: str, shape, axis) -> tuple[int, ...]:
    """The sorted non-negative axes NumPy's ``axis`` names: None → every axis, () → none."""
    ndim = len(shape)
    if axis is None:
        return tuple(range(ndim))
    dims = [np_axis(op, ax, ndim, shape) for ax in axis]
    if len(set(dims)) != len(dims):
        raise GluonicValueError(f"{np_label(op)}: repeated axis in {tuple(axis)} for an array of shape "
                                f"{tuple(shape)}. Received: axis={tuple(axis)}")
    return tuple(sorted(dims))


def check_nonempty(op: str, x: torch.Tensor, dims, what: str) -> None:
    """NumPy's error for a reduction without identity over a zero-size axis."""
    empty = [d for d in dims if x.shape[d] == 0]
    if empty:
        raise GluonicValueError(f"{np_label(op)}: zero-size array to reduction operation {what} which has no "
                                f"identity (axis {empty[0]} has size 0). Received: shape {tuple(x.shape)}, "
                                f"axes {tuple(dims)}")


def rsum(x: torch.Tensor, dims, keepdim: bool, dtype=None) -> torch.Tensor:
    """``torch.sum`` over ``dims`` where an empty ``dims`` reduces nothing (torch would reduce all)."""
    if not dims:
        return x.to(dtype) if dtype is not None and x.dtype != dtype else x.clone()
    return torch.sum(x, dims, keepdim, dtype=dtype)


def squeeze_dims(x: torch.Tensor, dims, keepdim: bool) -> torch.Tensor:
    """Drop the (size-1) ``dims`` unless ``keepdim``."""
    return x if keepdim or not dims else x.squeeze(tuple(dims))


def acc_dtype(x: torch.Tensor, dtype: str | None) -> torch.dtype:
    """NumPy's accumulator of sum/prod/cumsum: ``dtype``, else int64 for bool and integers."""
    if dtype is not None:
        return _dtype.to_torch(dtype)
    if x.dtype == torch.bool or not (x.dtype.is_floating_point or x.dtype.is_complex):
        return torch.int64
    return x.dtype


def float_dtype(x: torch.Tensor, dtype: str | None) -> torch.dtype:
    """The dtype of mean/std/var: ``dtype``, else the input's float dtype, float32 for integers (MXNet)."""
    if dtype is not None:
        return _dtype.to_torch(dtype)
    return x.dtype if x.dtype.is_floating_point else torch.float32


def _compute(dt: torch.dtype) -> torch.dtype:
    """Integer result dtypes are computed in float64 and truncated (NumPy's ``mean(dtype=int)``)."""
    return dt if dt.is_floating_point else torch.float64


def extremum(op: str, x: torch.Tensor, dims, keepdim: bool, largest: bool, initial=None) -> torch.Tensor:
    """max/min over ``dims`` with NumPy's empty/initial rules and MXNet's tie gradient."""
    what = "maximum" if largest else "minimum"
    if not dims:
        out = x.clone()
    elif initial is not None and any(x.shape[d] == 0 for d in dims):
        shape = [1 if d in dims else n for d, n in enumerate(x.shape)]
        return squeeze_dims(torch.full(shape, initial, dtype=x.dtype, device=x.device), dims, keepdim)
    else:
        check_nonempty(op, x, dims, what)
        if x.dtype == torch.bool:
            out = (torch.amax if largest else torch.amin)(x.to(torch.uint8), dims, keepdim).to(torch.bool)
        elif torch.is_grad_enabled() and x.requires_grad:
            out = _Extremum.apply(x, dims, keepdim, largest)
        else:
            out = (torch.amax if largest else torch.amin)(x, dims, keepdim)
    if initial is not None:
        init = torch.tensor(initial, dtype=out.dtype, device=out.device)
        out = (torch.maximum if largest else torch.minimum)(out, init)
    return out


def _with_initial(out: torch.Tensor, initial, fn) -> torch.Tensor:
    return out if initial is None else fn(out, torch.tensor(initial, dtype=out.dtype, device=out.device))


# ---------------------------------------------------------------------------- sum / prod
def _sum(op, data, a: NpReduceAttrs):
    dims = np_axes(op, data.shape, a.axis)
    dt = acc_dtype(data, a.dtype)
    out = rsum(data.to(dt) if data.dtype != dt else data, dims, a.keepdims)
    return _with_initial(out if out.dtype == dt else out.to(dt), a.initial, torch.add)


def _prod(op, data, a: NpReduceAttrs):
    dims = np_axes(op, data.shape, a.axis)
    dt = acc_dtype(data, a.dtype)
    x = data.to(dt) if data.dtype != dt else data
    if not dims:
        out = x.clone()
    else:
        kept = [d for d in range(x.dim()) if d not in dims]
        flat = x.permute(*kept, *dims).reshape(*(x.shape[d] for d in kept), -1)
        acc = torch.float32 if dt in (torch.float16, torch.bfloat16) else dt
        out = torch.prod(flat, -1, dtype=acc).to(dt)
        if a.keepdims:
            out = out.reshape([1 if d in dims else n for d, n in enumerate(x.shape)])
    return _with_initial(out, a.initial, torch.mul)


@register("_np_sum", attrs=NpReduceAttrs)
def np_sum(data, *, a: NpReduceAttrs):
    """Sum over ``axis`` (NumPy): None → every axis (0-d result), () → none, tuple, negative axes.

    Shapes: (d0, …) → the shape without the reduced axes (size 1 with ``keepdims``). Bool and
    integer inputs accumulate in int64 (NumPy; MXNet 1.9 keeps the input dtype); ``dtype``
    overrides; ``initial`` is added. A zero-size axis sums to 0.

    >>> mx.nd._internal._np_sum(mx.nd.array([[1, 2], [3, 4]]), axis=0).asnumpy().tolist()
    [4.0, 6.0]
    """
    return _sum("_np_sum", data, a)


@register("_np_prod", attrs=NpReduceAttrs, aliases=("_np_product",))
def np_prod(data, *, a: NpReduceAttrs):
    """Product over ``axis`` (NumPy semantics and dtypes as ``_np_sum``; a zero-size axis gives 1).

    The gradient is exact where inputs are zero (MXNet 1.9: NaN).

    >>> mx.nd._internal._np_prod(mx.nd.array([[1, 2], [3, 4]]), axis=1).asnumpy().tolist()
    [2.0, 12.0]
    """
    return _prod("_np_prod", data, a)


def _nan_to(x: torch.Tensor, value: float) -> torch.Tensor:
    if not x.dtype.is_floating_point:
        return x
    return torch.where(torch.isnan(x), torch.tensor(value, dtype=x.dtype, device=x.device), x)


@register("_npi_nansum", attrs=NpReduceAttrs)
def np_nansum(data, *, a: NpReduceAttrs):
    """Sum over ``axis`` treating NaN as 0 (gluonic-only op; semantics as ``_np_sum``).

    >>> mx.nd._internal._npi_nansum(mx.nd.array([1, float('nan'), 2])).asnumpy().tolist()
    3.0
    """
    return _sum("_npi_nansum", _nan_to(data, 0.0), a)


@register("_npi_nanprod", attrs=NpReduceAttrs)
def np_nanprod(data, *, a: NpReduceAttrs):
    """Product over ``axis`` treating NaN as 1 (gluonic-only op; semantics as ``_np_prod``)."""
    return _prod("_npi_nanprod", _nan_to(data, 1.0), a)


# ------------------------------------------------------------------------ mean / std / var
def _count(x: torch.Tensor, dims) -> int:
    return math.prod(x.shape[d] for d in dims)


@register("_npi_mean", attrs=NpReduceAttrs)
def np_mean(data, *, a: NpReduceAttrs):
    """Arithmetic mean over ``axis`` (NumPy axes; ``initial`` is not supported, as in MXNet).

    Shapes as ``_np_sum``. Dtype: ``dtype``, else the input's float dtype, float32 for integer
    and bool inputs (MXNet; NumPy: float64). A zero-size axis gives NaN (NumPy; MXNet: 0).

    >>> mx.nd._internal._npi_mean(mx.nd.array([[1, 2], [3, 5]]), axis=0).asnumpy().tolist()
    [2.0, 3.5]
    """
    if a.initial is not None:
        raise GluonicValueError(f"{np_label('_npi_mean')}: initial is not supported. Received: initial={a.initial}")
    dims = np_axes("_npi_mean", data.shape, a.axis)
    dt = float_dtype(data, a.dtype)
    x = data.to(_compute(dt))
    if not dims:
        return x.to(dt)
    if x.dtype in (torch.float16, torch.bfloat16):
        return torch.mean(x.float(), dims, a.keepdims).to(dt)
    return torch.mean(x, dims, a.keepdims).to(dt)


def _moment(op: str, data: torch.Tensor, a: NpMomentAttrs, root: bool) -> torch.Tensor:
    dims = np_axes(op, data.shape, a.axis)
    dt = float_dtype(data, a.dtype)
    x = data.to(_compute(dt))
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    n = _count(x, dims)
    mean = rsum(x, dims, True) / n if n else rsum(x, dims, True) * float("nan")
    sq = rsum((x - mean) ** 2, dims, a.keepdims)
    out = sq / max(n - a.ddof, 0)
    return (torch.sqrt(out) if root else out).to(dt)


@register("_npi_var", attrs=NpMomentAttrs)
def np_var(data, *, a: NpMomentAttrs):
    """Variance over ``axis``: ``sum((x - mean)**2) / (N - ddof)`` (NumPy; ``N <= ddof`` gives inf/NaN).

    Shapes and dtypes as ``_npi_mean`` (integer inputs give float32; MXNet 1.9 truncates them
    to the integer dtype).

    >>> mx.nd._internal._npi_var(mx.nd.array([1, 2, 3, 4]), ddof=1).asnumpy().tolist()
    1.6666666269302368
    """
    return _moment("_npi_var", data, a, root=False)


@register("_npi_std", attrs=NpMomentAttrs)
def np_std(data, *, a: NpMomentAttrs):
    """Standard deviation over ``axis``: the square root of ``_npi_var`` (same attributes).

    >>> mx.nd._internal._npi_std(mx.nd.array([1, 3])).asnumpy().tolist()
    1.0
    """
    return _moment("_npi_std", data, a, root=True)


@register("_npi_nanmean", attrs=NpReduceAttrs)
def np_nanmean(data, *, a: NpReduceAttrs):
    """Mean over ``axis`` ignoring NaN (gluonic-only op; dtypes as ``_npi_mean``; all-NaN gives NaN)."""
    if not data.dtype.is_floating_point:
        return np_mean(data, a=a)
    dims = np_axes("_npi_nanmean", data.shape, a.axis)
    dt = float_dtype(data, a.dtype)
    x = data.to(_compute(dt))
    keep = ~torch.isnan(x)
    total = rsum(torch.where(keep, x, torch.zeros((), dtype=x.dtype, device=x.device)), dims, a.keepdims)
    return (total / rsum(keep, dims, a.keepdims, dtype=x.dtype)).to(dt)


# ---------------------------------------------------------------------------- max / min
def _def_extremum(name: str, largest: bool, aliases=(), nan: bool = False):
    what = "maximum" if largest else "minimum"

    def impl(data, *, a: NpExtremumAttrs):
        dims = np_axes(name, data.shape, a.axis)
        if not nan or not data.dtype.is_floating_point:
            return extremum(name, data, dims, a.keepdims, largest, a.initial)
        isnan = torch.isnan(data)
        fill = torch.tensor(float("-inf") if largest else float("inf"), dtype=data.dtype, device=data.device)
        out = extremum(name, torch.where(isnan, fill, data), dims, a.keepdims, largest, a.initial)
        if not dims:
            return torch.where(isnan, data, out)
        all_nan = torch.all(isnan, dim=dims, keepdim=a.keepdims)
        return torch.where(all_nan, torch.tensor(float("nan"), dtype=data.dtype, device=data.device), out)

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = f"""The {what} over ``axis`` (NumPy axes, ``keepdims``, ``initial``{', NaN ignored' if nan else ''}).

    Shapes as ``_np_sum``; same dtype as the input. A zero-size axis is an error unless ``initial``
    is given. {'An all-NaN slice gives NaN. ' if nan else 'NaN propagates. '}The gradient flows in full to every
    element equal to the {what} (MXNet's rule for ties).

    >>> mx.nd._internal.{name}(mx.nd.array([[1, 7], [3, 4]]), axis=0).asnumpy().tolist()
    {[3.0, 7.0] if largest else [1.0, 4.0]}
    """
    register(name, attrs=NpExtremumAttrs, aliases=aliases)(impl)
    return impl


np_max = _def_extremum("_np_max", True, ("_np_amax",))
np_min = _def_extremum("_np_min", False, ("_np_amin",))
np_nanmax = _def_extremum("_npi_nanmax", True, nan=True)
np_nanmin = _def_extremum("_npi_nanmin", False, nan=True)


@register("_npi_ptp", attrs=NpAxesAttrs)
def np_ptp(data, *, a: NpAxesAttrs):
    """Peak to peak (max - min) over ``axis`` (gluonic-only op; NumPy semantics; bool is an error).

    >>> mx.nd._internal._npi_ptp(mx.nd.array([[1, 7], [3, 4]]), axis=1).asnumpy().tolist()
    [6.0, 1.0]
    """
    if data.dtype == torch.bool:
        raise GluonicTypeError(f"{np_label('_npi_ptp')}: the peak-to-peak of a bool array is undefined (NumPy: "
                               "boolean subtract). Received: dtype bool")
    dims = np_axes("_npi_ptp", data.shape, a.axis)
    return (extremum("_npi_ptp", data, dims, a.keepdims, True)
            - extremum("_npi_ptp", data, dims, a.keepdims, False))


# ------------------------------------------------------------------------- any / all / count
def _def_logical(name: str, fn, what: str):
    def impl(data, *, a: NpAxesAttrs):
        dims = np_axes(name, data.shape, a.axis)
        x = data if data.dtype == torch.bool else data != 0
        if not dims:
            return x.clone()
        return fn(x, dims, a.keepdims)

    impl.__name__ = impl.__qualname__ = name
    impl.__doc__ = f"""Whether {what} element along ``axis`` is nonzero (NumPy axes; a bool result).

    An empty reduction gives {fn is torch.all}.

    >>> mx.nd._internal.{name}(mx.nd.array([[0, 1], [0, 0]]), axis=1).asnumpy().tolist()
    {[True, False] if fn is torch.any else [False, False]}
    """
    register(name, attrs=NpAxesAttrs)(impl)
    return impl


np_any = _def_logical("_np_any", torch.any, "any")
np_all = _def_logical("_np_all", torch.all, "every")


@register("_npi_count_nonzero", attrs=NpAxesAttrs)
def np_count_nonzero(data, *, a: NpAxesAttrs):
    """The number of nonzero elements over ``axis`` as int64 (gluonic-only op; NumPy semantics).

    >>> mx.nd._internal._npi_count_nonzero(mx.nd.array([[0, 1], [2, 3]]), axis=0).asnumpy().tolist()
    [1, 2]
    """
    dims = np_axes("_npi_count_nonzero", data.shape, a.axis)
    x = data if data.dtype == torch.bool else data != 0
    return rsum(x, dims, a.keepdims, dtype=torch.int64)


# ------------------------------------------------------------------------- argmax / argmin
def _arg(op: str, fn, data: torch.Tensor, a: NpArgAttrs) -> torch.Tensor:
    x = data.to(torch.uint8) if data.dtype == torch.bool else data
    if a.axis is None:
        if x.numel() == 0:
            raise GluonicValueError(f"{np_label(op)}: attempt to get {op[5:]} of an empty sequence. Received: "
                                    f"shape {tuple(x.shape)}")
        out = fn(x.reshape(-1))
        return out.reshape((1,) * x.dim()) if a.keepdims else out
    ax = np_axis(op, a.axis, x.dim(), x.shape)
    if x.shape[ax] == 0:
        raise GluonicValueError(f"{np_label(op)}: attempt to get {op[5:]} of an empty sequence (axis {a.axis} has "
                                f"size 0). Received: shape {tuple(x.shape)}")
    return fn(x, dim=ax, keepdim=a.keepdims)


@register("_npi_argmax", attrs=NpArgAttrs)
def np_argmax(data, *, a: NpArgAttrs):
    """Index (int64) of the maximum along ``axis``; ``axis=None``: into the flattened array (0-d result).

    Ties and NaN give the first index (NumPy). An empty search is an error.

    >>> mx.nd._internal._npi_argmax(mx.nd.array([[1, 9, 3], [7, 2, 7]]), axis=1).asnumpy().tolist()
    [1, 0]
    """
    return _arg("_npi_argmax", torch.argmax, data, a)


@register("_npi_argmin", attrs=NpArgAttrs)
def np_argmin(data, *, a: NpArgAttrs):
    """Index (int64) of the minimum along ``axis`` (as ``_npi_argmax``).

    >>> mx.nd._internal._npi_argmin(mx.nd.array([[1, 9, 3], [7, 2, 2]]), axis=1).asnumpy().tolist()
    [0, 1]
    """
    return _arg("_npi_argmin", torch.argmin, data, a)


# ----------------------------------------------------------------------------- cumsum / cumprod
def _cum(op: str, fn, data: torch.Tensor, a: NpCumAttrs) -> torch.Tensor:
    dt = acc_dtype(data, a.dtype)
    if a.axis is None:
        x, ax = data.reshape(-1), 0
    else:
        ax = np_axis(op, a.axis, data.dim(), data.shape)
        x = data
    x = x.to(dt) if x.dtype != dt else x
    if dt in (torch.float16, torch.bfloat16):
        return fn(x.float(), ax).to(dt)
    return fn(x, ax)


@register("_np_cumsum", attrs=NpCumAttrs)
def np_cumsum(data, *, a: NpCumAttrs):
    """Cumulative sum along ``axis`` (None: of the flattened array; a 0-d input gives shape (1,)).

    Bool and integer inputs accumulate in int64 (NumPy; MXNet 1.9 keeps int32 and gives
    float32 for bool); ``dtype`` overrides.

    >>> mx.nd._internal._np_cumsum(mx.nd.array([[1, 2], [3, 4]]), axis=1).asnumpy().tolist()
    [[1.0, 3.0], [3.0, 7.0]]
    """
    return _cum("_np_cumsum", torch.cumsum, data, a)


@register("_npi_cumprod", attrs=NpCumAttrs)
def np_cumprod(data, *, a: NpCumAttrs):
    """Cumulative product along ``axis`` (gluonic-only op; semantics as ``_np_cumsum``).

    >>> mx.nd._internal._npi_cumprod(mx.nd.array([1, 2, 3])).asnumpy().tolist()
    [1.0, 2.0, 6.0]
    """
    return _cum("_npi_cumprod", torch.cumprod, data, a)


from . import np_sort, np_stats  # noqa: E402,F401  (the rest of the np reduction family)
