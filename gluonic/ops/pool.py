"""Pooling operators: ``Pooling`` (max/avg/sum/lp, 1-D to 3-D), the legacy ``Pooling_v1``,
and ``UpSampling``.

Output sizes follow MXNet's ``pooling_convention`` exactly:

- ``valid``: ``floor((n + 2*pad - k) / stride) + 1``;
- ``full`` (Caffe's): ``ceil((n + 2*pad - k) / stride) + 1``. Unlike torch's ``ceil_mode``,
  a last window that starts inside the right padding is kept: it pools nothing and gives
  0 (avg/sum/lp) or the lowest finite value (max), as MXNet does (MXNet's float64 and
  3-D kernels give NaN for such an average instead);
- ``same``: ``ceil(n / stride)`` windows starting at ``0, stride, …`` and clipped at the
  end (``pad`` must be 0). MXNet 1.9 accepts it only for 1-D max pooling, and crashes
  there; gluonic computes it for every pool type and dimension.

Windows clipped by the border are averaged over the part inside the padded input
(``count_include_pad=True``, the default) or over the real elements only. Lp pooling
computes ``(sum x**p) ** (1/p)``, keeping the sign of the sum for odd ``p`` (so ``p=1``
is sum pooling, as in MXNet); MXNet supports only p = 1, 2, 3, gluonic any p >= 1.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from typing import Literal, NamedTuple

import torch
import torch.nn.functional as F

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .conv import Layout, channels_last, check_ndim, spatial
from .dense import _shape
from .registry import BatchRule, register

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


class PoolingAttrs(Attrs):
    kernel: Shape = ()
    pool_type: Literal["avg", "lp", "max", "sum"] = "max"
    global_pool: bool = False
    cudnn_off: bool = False
    pooling_convention: Literal["full", "same", "valid"] = "valid"
    stride: Shape = ()
    pad: Shape = ()
    p_value: int | None = None
    count_include_pad: bool | None = None
    layout: Layout | None = None


def _out_size(n: int, k: int, s: int, p: int, convention: str) -> int:
    if convention == "valid":
        return (n + 2 * p - k) // s + 1
    if convention == "full":
        return -(-(n + 2 * p - k) // s) + 1
    return -(-(n + 2 * p) // s)


def _torch_size(n: int, k: int, s: int, p: int, ceil: bool) -> int:
    if not ceil:
        return (n + 2 * p - k) // s + 1
    o = -(-(n + 2 * p - k) // s) + 1
    return o - 1 if (o - 1) * s >= n + p else o


def _sum_pool(x, kernel, stride, pad=0, ceil=False):
    """Sum over windows (torch's avg pooling with divisor 1; 1-D goes through 2-D)."""
    if x.ndim == 3:
        pad1 = (0, pad[0]) if isinstance(pad, tuple) else pad
        y = F.avg_pool2d(x.unsqueeze(2), (1, kernel[0]), (1, stride[0]), pad1, ceil, True, 1)
        return y.squeeze(2)
    return _AVG[x.ndim - 2](x, kernel, stride, pad, ceil, True, 1)


def _lp_root(s: torch.Tensor, p: int) -> torch.Tensor:
    if p == 1:
        return s
    if p == 2:
        return s.sqrt()
    if p % 2:
        return s.sign() * s.abs().pow(1.0 / p)
    return s.pow(1.0 / p)


def _global_pool(x: torch.Tensor, a: PoolingAttrs) -> torch.Tensor:
    dims = tuple(range(2, x.ndim))
    if a.pool_type == "max":
        return _MAX[x.ndim - 2](x, tuple(x.shape[2:]))
    if a.pool_type == "avg":
        return x.mean(dims, keepdim=True)
    if a.pool_type == "sum":
        return x.sum(dims, keepdim=True)
    return _lp_root(x.pow(a.p_value).sum(dims, keepdim=True), a.p_value)


class _PoolPlan(NamedTuple):
    """A validated pooling call: torch's native pooling (``native``) or explicit padding by ``widths``."""

    last: bool
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    pad: tuple[int, ...]
    ceil: bool
    native: bool
    widths: tuple[int, ...]  # F.pad widths, last axis first (general case)
    counts: tuple[tuple[int, ...], ...]  # avg divisor of each window, per axis (general case)


@functools.lru_cache(maxsize=4096)
def _pool_plan(a: PoolingAttrs, dshape) -> _PoolPlan:
    if not 3 <= len(dshape) <= 5:
        raise GluonicValueError(
            f"Operator Pooling: data must be 3-D, 4-D or 5-D (batch, channel, *spatial). Received: data{tuple(dshape)}"
        )
    nsp = len(dshape) - 2
    if not a.global_pool:
        check_ndim("Pooling", dshape, len(a.kernel) or nsp, a.layout)
    last = channels_last("Pooling", a.layout, nsp)
    if a.pool_type == "lp" and (a.p_value is None or a.p_value < 1):
        raise GluonicValueError(
            f"Operator Pooling: pool_type='lp' needs an integer p_value >= 1. Received: p_value={a.p_value}"
        )
    if a.global_pool:
        return _PoolPlan(last, (), (), (), False, True, (), ())
    kernel = a.kernel
    if not kernel:
        raise GluonicValueError(
            f"Operator Pooling: kernel is required unless global_pool=True. Received: kernel=(), data{tuple(dshape)}"
        )
    if any(k < 1 for k in kernel):
        raise GluonicValueError(f"Operator Pooling: every kernel entry must be >= 1. Received: kernel={kernel}")
    stride = spatial("Pooling", "stride", a.stride, nsp, 1, 1)
    pad = spatial("Pooling", "pad", a.pad, nsp, 0, 0)
    conv = a.pooling_convention
    if conv == "same" and any(pad):
        raise GluonicValueError(
            f"Operator Pooling: pooling_convention='same' computes its own padding; pad must be 0. Received: pad={a.pad}"
        )
    sizes = tuple(dshape[1:-1] if last else dshape[2:])
    for i, n in enumerate(sizes):
        if kernel[i] > n + 2 * pad[i]:
            raise GluonicValueError(
                f"Operator Pooling: kernel size {kernel[i]} exceeds the padded input size {n + 2 * pad[i]} on "
                f"spatial axis {i}. Received: data{tuple(dshape)}, kernel={kernel}, pad={pad}"
            )
    geometry = list(zip(sizes, kernel, stride, pad))
    outs = [_out_size(n, k, s, p, conv) for n, k, s, p in geometry]
    ceil = conv != "valid"
    native = all(2 * p <= k for _n, k, _s, p in geometry) and all(
        o == _torch_size(n, k, s, p, ceil) for o, (n, k, s, p) in zip(outs, geometry))
    widths: list[int] = []
    counts = []
    if not native:  # pad explicitly so that exactly `outs` windows fit, then pool without padding
        for o, (n, k, s, p) in reversed(list(zip(outs, geometry))):
            widths += [p, max((o - 1) * s + k - n - p, 0)]
        include_pad = a.count_include_pad is not False
        for o, (n, k, s, p) in zip(outs, geometry):
            starts = [j * s - p for j in range(o)]
            if include_pad:
                counts.append(tuple(max(min(t + k, n + p) - t, 1) for t in starts))
            else:
                counts.append(tuple(max(min(t + k, n) - max(t, 0), 1) for t in starts))
    return _PoolPlan(last, kernel, stride, pad, ceil, native, tuple(widths), tuple(counts))


def _divisor(counts, like: torch.Tensor) -> torch.Tensor:
    """The per-window divisors of the general average case, broadcastable to the output."""
    total = None
    for i, per in enumerate(counts):
        shape = [1] * (len(counts) + 2)
        shape[2 + i] = len(per)
        t = torch.tensor(per, dtype=like.dtype, device=like.device).reshape(shape)
        total = t if total is None else total * t
    return total


def _pool(x: torch.Tensor, a: PoolingAttrs, plan: _PoolPlan) -> torch.Tensor:
    nsp = x.ndim - 2
    kind, kernel, stride = a.pool_type, plan.kernel, plan.stride
    if plan.native:
        pad, ceil = plan.pad, plan.ceil
        if kind == "max":
            return _MAX[nsp](x, kernel, stride, pad, 1, ceil)
        if kind == "avg":
            return _AVG[nsp](x, kernel, stride, pad, ceil, a.count_include_pad is not False)
        if kind == "sum":
            return _sum_pool(x, kernel, stride, pad, ceil)
        return _lp_root(_sum_pool(x.pow(a.p_value), kernel, stride, pad, ceil), a.p_value)
    if kind == "max":
        fill = torch.finfo(x.dtype).min if x.dtype.is_floating_point else torch.iinfo(x.dtype).min
        return _MAX[nsp](F.pad(x, plan.widths, value=fill), kernel, stride)
    if kind == "lp":
        return _lp_root(_sum_pool(F.pad(x.pow(a.p_value), plan.widths), kernel, stride), a.p_value)
    total = _sum_pool(F.pad(x, plan.widths), kernel, stride)
    return total if kind == "sum" else total / _divisor(plan.counts, total)


@register("Pooling", attrs=PoolingAttrs, aliases=("pooling",), batch=BatchRule(axis=0))
def pooling(data, *, a: PoolingAttrs):
    """Max, average, sum or Lp pooling over 1, 2 or 3 spatial axes.

    Shapes (NCHW): ``data`` (N, C, H, W) → (N, C, oh, ow), with ``oh`` given by
    ``pooling_convention`` (see the module docstring); ``global_pool=True`` pools each
    whole feature map to size 1 (``kernel``, ``stride`` and ``pad`` ignored).
    Channels-last layouts (``NWC``, ``NHWC``, ``NDHWC``) pool the middle axes.
    ``count_include_pad`` (default True) only matters for ``avg``; ``cudnn_off`` is ignored.

    Example::

        >>> mx.nd.Pooling(mx.nd.ones((1, 1, 5, 5)), kernel=(2, 2), stride=(2, 2), pooling_convention="full").shape
        (1, 1, 3, 3)
    """
    plan = _pool_plan(a, data.shape)
    x = data.movedim(-1, 1) if plan.last else data
    y = _global_pool(x, a) if a.global_pool else _pool(x, a, plan)
    return y.movedim(1, -1) if plan.last else y


class PoolingV1Attrs(Attrs):
    kernel: Shape = ()
    pool_type: Literal["avg", "max", "sum"] = "max"
    global_pool: bool = False
    pooling_convention: Literal["full", "valid"] = "valid"
    stride: Shape = ()
    pad: Shape = ()


@functools.lru_cache(maxsize=1024)
def _v1_as_v2(a: PoolingV1Attrs) -> PoolingAttrs:
    return PoolingAttrs(kernel=a.kernel, pool_type="sum" if a.pool_type == "avg" else a.pool_type,
                        global_pool=a.global_pool, pooling_convention=a.pooling_convention, stride=a.stride,
                        pad=a.pad)


@register("Pooling_v1", attrs=PoolingV1Attrs, batch=BatchRule(axis=0))
def pooling_v1(data, *, a: PoolingV1Attrs):
    """MXNet's legacy pooling: as ``Pooling``, except that ``avg`` always divides by the
    whole kernel area, also for windows that overhang the input (``full`` convention).

    Shapes: as ``Pooling`` with channels-first data.

    Example::

        >>> mx.nd.Pooling_v1(mx.nd.ones((1, 1, 4, 4)), kernel=(3, 3), stride=(2, 2),
        ...                  pool_type="avg", pooling_convention="full").asnumpy()[0, 0].tolist()
        [[1.0, 0.6666666865348816], [0.6666666865348816, 0.4444444477558136]]
    """
    y = pooling(data, a=_v1_as_v2(a))
    if a.pool_type != "avg":
        return y
    return y / math.prod(data.shape[2:] if a.global_pool else a.kernel)


# --------------------------------------------------------------------------- UpSampling

class UpSamplingAttrs(Attrs):
    scale: int
    num_filter: int = 0
    sample_type: Literal["bilinear", "nearest"] = dataclasses.field(kw_only=True)  # required, as in MXNet
    multi_input_mode: Literal["concat", "sum"] = "concat"
    num_args: int = 1
    workspace: int = 512


def _nearest(x: torch.Tensor, scale: int) -> torch.Tensor:
    n, c, h, w = x.shape
    return x[:, :, :, None, :, None].expand(n, c, h, scale, w, scale).reshape(n, c, h * scale, w * scale)


def _upsample_nearest(data, a: UpSamplingAttrs):
    if a.num_args != len(data):
        raise GluonicValueError(
            f"Operator UpSampling: num_args={a.num_args} but {len(data)} input(s) were given. "
            f"Received: {len(data)} input(s)"
        )
    oh, ow = data[0].shape[2] * a.scale, data[0].shape[3] * a.scale
    outs = []
    for i, x in enumerate(data):
        h, w = x.shape[2], x.shape[3]
        if h == 0 or w == 0 or oh % h or ow % w or oh // h != ow // w:
            raise GluonicValueError(
                f"Operator UpSampling: input {i} cannot be scaled by a whole factor to the output size "
                f"({oh}, {ow}) set by input 0 and scale={a.scale}. Received: data[{i}]{_shape(x)}"
            )
        outs.append(x if oh == h else _nearest(x, oh // h))
    if len(outs) == 1:
        return outs[0]
    if a.multi_input_mode == "concat":
        return torch.cat(outs, dim=1)
    if any(o.shape[1] != outs[0].shape[1] for o in outs):
        raise GluonicValueError(
            f"Operator UpSampling: multi_input_mode='sum' needs the same number of channels in every input. "
            f"Received: {', '.join(f'data[{i}]{_shape(x)}' for i, x in enumerate(data))}"
        )
    total = outs[0]
    for o in outs[1:]:
        total = total + o
    return total


def _upsample_bilinear(data, a: UpSamplingAttrs):
    if len(data) != 2:
        raise GluonicValueError(
            f"Operator UpSampling: sample_type='bilinear' takes two inputs, data and weight. "
            f"Received: {len(data)} input(s)"
        )
    x, weight = data
    s = a.scale
    k = 2 * s - s % 2
    channels = x.shape[1]
    if a.num_filter != channels or weight.shape != (channels, 1, k, k):
        raise GluonicValueError(
            f"Operator UpSampling: bilinear upsampling of {channels} channels by {s} needs num_filter={channels} "
            f"and a weight of shape ({channels}, 1, {k}, {k}). Received: num_filter={a.num_filter}, "
            f"weight{_shape(weight)}"
        )
    return F.conv_transpose2d(x, weight, None, s, math.ceil((s - 1) / 2), 0, channels)


@register("UpSampling", attrs=UpSamplingAttrs, num_args="num_args")
def upsampling(*data, a: UpSamplingAttrs):
    """Upsample NCHW images by an integer ``scale``.

    ``nearest``: each input (N, C_i, h_i, w_i) is repeated up to the size of the first
    input times ``scale``; the results are concatenated on channels (``concat``) or
    added (``sum``). ``bilinear``: inputs ``data`` (N, C, H, W) and ``weight``
    (C, 1, k, k) with ``k = 2*scale - scale % 2`` give (N, C, H*scale, W*scale) by a
    grouped transposed convolution (stride ``scale``, pad ``ceil((scale-1)/2)``), as in
    MXNet; ``num_filter`` must equal C.

    Example::

        >>> mx.nd.UpSampling(mx.nd.ones((1, 3, 2, 2)), scale=2, sample_type="nearest").shape
        (1, 3, 4, 4)
    """
    if not data:
        raise GluonicValueError("Operator UpSampling: at least one input is required. Received: no inputs")
    if a.scale < 1:
        raise GluonicValueError(f"Operator UpSampling: scale must be >= 1. Received: scale={a.scale}")
    for i, x in enumerate(data):
        if x.ndim != 4:
            raise GluonicValueError(
                f"Operator UpSampling: inputs must be 4-D (batch, channel, height, width). Received: data[{i}]{_shape(x)}"
            )
    if a.sample_type == "nearest":
        return _upsample_nearest(data, a)
    return _upsample_bilinear(data, a)
