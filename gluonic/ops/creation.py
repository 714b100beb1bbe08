"""Array creation operators, under MXNet's internal names (as found in symbol JSON files).

They take no inputs. ``ctx`` is a context string (``"cpu(0)"``, ``"gpu(1)"``; empty: the
current context) and ``dtype`` defaults to float32. Their shape rules are computed from
the attributes alone, so shape inference allocates nothing.

Differences from MXNet 1.9, all where MXNet fails: zero-size and 0-d shapes are allowed
(MXNet's legacy shapes cannot express them); an empty ``arange`` range gives an empty
array instead of an error; ``arange`` in float16 gives correct values (MXNet's are all 0);
``eye`` accepts bool and bfloat16.
"""
from __future__ import annotations

import math

import torch

from .. import _dtype
from ..base import GluonicValueError
from ..context import as_context, current_context
from .attrs import Attrs, DType, Shape
from .registry import register
from .unary import to_int

_F64 = torch.float64


def device_of(ctx: str) -> torch.device:
    """The torch device for a ``ctx`` attribute (empty: the current context)."""
    return (as_context(ctx) if ctx else current_context()).torch_device


def check_shape(op: str, shape) -> tuple[int, ...]:
    """``shape`` as a tuple of non-negative ints, or a clear error."""
    if any(d is None or d < 0 for d in shape):
        raise GluonicValueError(
            f"Operator {op}: shape dimensions must be non-negative integers. Received: shape={tuple(shape)}"
        )
    return tuple(shape)


def _rule(fn):
    """A shape rule from ``fn(attrs) -> (shape, torch dtype)``."""

    def shape_rule(shapes, dtypes, attrs):
        shape, dtype = fn(attrs)
        return [(tuple(shape), _dtype.from_torch(dtype))]

    return shape_rule


def _from_f64(values: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """float64 values cast like MXNet: truncation toward zero, integer wrap-around."""
    if dtype.is_floating_point or dtype == torch.bool:
        return values.to(dtype)
    return to_int(values, dtype)


def _scalar_in(value: float, dtype: torch.dtype):
    """``value`` converted to ``dtype`` the way an element of that dtype would hold it."""
    return _from_f64(torch.tensor(value, dtype=_F64), dtype).item()


# ------------------------------------------------------------------- zeros, ones, full
class FillAttrs(Attrs):
    shape: Shape = ()
    ctx: str = ""
    dtype: DType = "float32"


def _fill_sig(op: str):
    return lambda a: (check_shape(op, a.shape), _dtype.to_torch(a.dtype))


@register("_zeros", attrs=FillAttrs, shape_rule=_rule(_fill_sig("_zeros")))
def zeros(*, a: FillAttrs):
    """An array of zeros (MXNet's ``_zeros``, behind ``nd.zeros``).

    Shapes: → ``shape``, dtype ``dtype``.

    Example: ``_zeros(shape=(2, 3), dtype='int32')``
    """
    return torch.zeros(check_shape("_zeros", a.shape), dtype=_dtype.to_torch(a.dtype), device=device_of(a.ctx))


@register("_ones", attrs=FillAttrs, shape_rule=_rule(_fill_sig("_ones")))
def ones(*, a: FillAttrs):
    """An array of ones (MXNet's ``_ones``, behind ``nd.ones``).

    Shapes: → ``shape``, dtype ``dtype``.

    Example: ``_ones(shape=(2,), dtype='float16')``
    """
    return torch.ones(check_shape("_ones", a.shape), dtype=_dtype.to_torch(a.dtype), device=device_of(a.ctx))


class FullAttrs(Attrs):
    shape: Shape = ()
    ctx: str = ""
    dtype: DType = "float32"
    value: float | None = None  # required (checked in the rule): a default keeps MXNet's field order


def _full_sig(a: FullAttrs):
    if a.value is None:
        raise GluonicValueError("Operator _full: required argument 'value' is missing. Received: value=None")
    return _fill_sig("_full")(a)


@register("_full", attrs=FullAttrs, shape_rule=_rule(_full_sig))
def full(*, a: FullAttrs):
    """An array filled with ``value``, converted to ``dtype`` (2.7 → 2 for int32, 300 → 44 for uint8).

    Shapes: → ``shape``, dtype ``dtype``.

    Example: ``_full(shape=(2,), value=2.5)``
    """
    shape, dtype = _full_sig(a)
    return torch.full(shape, _scalar_in(a.value, dtype), dtype=dtype, device=device_of(a.ctx))


class ZerosWithoutDtypeAttrs(Attrs):
    shape: Shape = ()
    ctx: str = ""
    dtype: int = -1


def _code_dtype(code: int) -> torch.dtype:
    if code == -1:
        return torch.float32
    try:
        return _dtype.MX_CODE_TYPE[code]
    except KeyError:
        raise GluonicValueError(
            f"Operator _zeros_without_dtype: unknown MXNet dtype code {code}; expected -1 or one of "
            f"{sorted(_dtype.MX_CODE_TYPE)}. Received: dtype={code}"
        ) from None


@register(
    "_zeros_without_dtype",
    attrs=ZerosWithoutDtypeAttrs,
    shape_rule=_rule(lambda a: (check_shape("_zeros_without_dtype", a.shape), _code_dtype(a.dtype))),
)
def zeros_without_dtype(*, a: ZerosWithoutDtypeAttrs):
    """An array of zeros whose ``dtype`` is an MXNet type code (-1, MXNet's "infer": float32 here).

    Shapes: → ``shape``.
    """
    return torch.zeros(check_shape("_zeros_without_dtype", a.shape), dtype=_code_dtype(a.dtype), device=device_of(a.ctx))


# ------------------------------------------------------------------------------ ranges
class ArangeAttrs(Attrs):
    start: float
    stop: float | None = None
    step: float = 1.0
    repeat: int = 1
    infer_range: bool = False
    ctx: str = ""
    dtype: DType = "float32"


def _range_dtype(op: str, name: str) -> torch.dtype:
    dtype = _dtype.to_torch(name)
    if dtype == torch.bool:
        raise GluonicValueError(f"Operator {op}: dtype bool is not supported (as in MXNet). Received: dtype='bool'")
    return dtype


def _arange_sig(a: ArangeAttrs):
    if a.infer_range:
        raise GluonicValueError(
            "Operator _arange: infer_range=True is not supported (deprecated in MXNet); give stop, or use "
            "contrib.arange_like. Received: infer_range=True"
        )
    if a.step == 0:
        raise GluonicValueError("Operator _arange: step must not be 0. Received: step=0")
    if a.repeat < 1:
        raise GluonicValueError(f"Operator _arange: repeat must be positive. Received: repeat={a.repeat}")
    start, stop = (0.0, a.start) if a.stop is None else (a.start, a.stop)
    n = max(math.ceil((stop - start) / a.step), 0)
    return (n * a.repeat,), _range_dtype("_arange", a.dtype)


@register("_arange", attrs=ArangeAttrs, shape_rule=_rule(_arange_sig))
def arange(*, a: ArangeAttrs):
    """Evenly spaced values in ``[start, stop)``, each repeated ``repeat`` times.

    With ``stop`` None the range is ``[0, start)``. The length is
    ``ceil((stop - start) / step)``; values are computed in float64 and cast to
    ``dtype``. For integer dtypes ``start`` and ``step`` are first truncated, as in
    MXNet (and NumPy).

    Shapes: → (length * repeat,).

    Example: ``_arange(start=2, stop=6, step=1.5, repeat=2) = [2, 2, 3.5, 3.5, 5, 5]``
    """
    (size,), dtype = _arange_sig(a)
    start = 0.0 if a.stop is None else a.start
    device = device_of(a.ctx)
    n = size // a.repeat
    if dtype.is_floating_point:
        values = torch.arange(n, dtype=_F64, device=device) * a.step + start
    else:
        values = torch.arange(n, dtype=torch.int64, device=device) * int(a.step) + int(start)
    if a.repeat > 1:
        values = values.repeat_interleave(a.repeat)
    return _from_f64(values, dtype) if dtype.is_floating_point else values.to(dtype)


class LinspaceAttrs(Attrs):
    start: float
    stop: float
    num: int
    endpoint: bool = True
    ctx: str = ""
    dtype: DType = "float32"


def _linspace_sig(a: LinspaceAttrs):
    if a.num < 0:
        raise GluonicValueError(f"Operator _linspace: num must be non-negative. Received: num={a.num}")
    return (a.num,), _range_dtype("_linspace", a.dtype)


@register("_linspace", attrs=LinspaceAttrs, shape_rule=_rule(_linspace_sig))
def linspace(*, a: LinspaceAttrs):
    """``num`` evenly spaced values from ``start`` to ``stop`` (included when ``endpoint``).

    Values are computed in float64, then cast to ``dtype`` (truncation for integers).

    Shapes: → (num,).

    Example: ``_linspace(start=2, stop=3, num=5) = [2, 2.25, 2.5, 2.75, 3]``
    """
    (num,), dtype = _linspace_sig(a)
    return _from_f64(spaced_f64(a.start, a.stop, num, a.endpoint, device_of(a.ctx)), dtype)


def spaced_f64(start: float, stop: float, num: int, endpoint: bool, device) -> torch.Tensor:
    """``num`` evenly spaced float64 values from ``start`` to ``stop`` (``stop`` exact when ``endpoint``)."""
    div = num - 1 if endpoint else num
    step = (stop - start) / div if div > 0 else 0.0
    values = torch.arange(num, dtype=_F64, device=device) * step + start
    if endpoint and num > 1:
        values[-1] = stop
    return values


class EyeAttrs(Attrs):
    N: int
    M: int = 0
    k: int = 0
    ctx: str = ""
    dtype: DType = "float32"


def _eye_sig(a: EyeAttrs):
    if a.N < 0 or a.M < 0:
        raise GluonicValueError(f"Operator _eye: N and M must be non-negative. Received: N={a.N}, M={a.M}")
    return (a.N, a.M or a.N), _dtype.to_torch(a.dtype)


@register("_eye", attrs=EyeAttrs, shape_rule=_rule(_eye_sig))
def eye(*, a: EyeAttrs):
    """A 2-D array with ones on diagonal ``k`` (0: main, > 0: above, < 0: below) and zeros elsewhere.

    Shapes: → (N, M), with ``M = N`` when ``M`` is 0.

    Example: ``_eye(N=2, M=3, k=1) = [[0, 1, 0], [0, 0, 1]]``
    """
    (n, m), dtype = _eye_sig(a)
    device = device_of(a.ctx)
    rows = torch.arange(n, device=device).unsqueeze(1)
    return (rows + a.k == torch.arange(m, device=device)).to(dtype)
