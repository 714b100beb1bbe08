"""Convolution operators: ``Convolution`` and ``Deconvolution`` (1-D, 2-D and 3-D).

The number of spatial axes comes from the length of ``kernel``. Layouts are MXNet's:
channels-first (``NCW``/``NCHW``/``NCDHW``, the default) or channels-last
(``NWC``/``NHWC``/``NDHWC``, computed here on CPU too, by viewing the data as
channels-first; torch then runs its channels-last kernels). Weights follow the data
layout as in MXNet: ``Convolution`` weight (num_filter, C/num_group, *kernel), or
(num_filter, *kernel, C/num_group) channels-last; ``Deconvolution`` weight
(C, num_filter/num_group, *kernel), or (C, *kernel, num_filter/num_group).
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Literal, NamedTuple

import torch.nn.functional as F

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .dense import _check_bias
from .registry import BatchRule, register

_LAYOUTS = {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}
Layout = Literal["NCW", "NCHW", "NCDHW", "NWC", "NHWC", "NDHWC"]
CudnnTune = Literal["fastest", "limited_workspace", "off"]


def spatial(op: str, name: str, value: tuple, nsp: int, default: int, minimum: int) -> tuple[int, ...]:
    """An attribute with one entry per spatial axis (empty means ``default`` everywhere)."""
    if not value:
        return (default,) * nsp
    if len(value) != nsp:
        raise GluonicValueError(
            f"Operator {op}: {name} must have one entry per spatial axis ({nsp}, the length of kernel). "
            f"Received: {name}={value}"
        )
    if any(v < minimum for v in value):
        raise GluonicValueError(f"Operator {op}: every entry of {name} must be >= {minimum}. Received: {name}={value}")
    return tuple(value)


def channels_last(op: str, layout: str | None, nsp: int) -> bool:
    """Whether ``layout`` puts channels last; raises when it does not fit ``nsp`` spatial axes."""
    if layout is None:
        return False
    if layout not in _LAYOUTS.get(nsp, ()):
        raise GluonicValueError(
            f"Operator {op}: layout {layout} does not fit {nsp} spatial axes; use one of "
            f"{', '.join(_LAYOUTS.get(nsp, ()))}. Received: layout={layout}"
        )
    return layout.endswith("C")


def check_ndim(op: str, dshape, nsp: int, layout: str | None) -> None:
    if len(dshape) != nsp + 2:
        lay = layout or _LAYOUTS[nsp][0]
        raise GluonicValueError(
            f"Operator {op}: a kernel with {nsp} axes needs {nsp + 2}-D data ({lay}). Received: data{tuple(dshape)}"
        )


class _ConvPlan(NamedTuple):
    """Everything a (de)convolution call needs beyond its tensors, validated once per signature."""

    nsp: int
    stride: tuple[int, ...]
    dilate: tuple[int, ...]
    pad: tuple[int, ...]
    last: bool
    adj: tuple[int, ...] = ()
    crop: tuple[int, ...] = ()  # Deconvolution: spatial axes to cut by one element on the left


def _base_plan(op: str, a, dshape, wshape, bshape, weight_shape_of, what: str) -> _ConvPlan:
    nsp = len(a.kernel)
    if nsp not in _LAYOUTS:
        raise GluonicValueError(f"Operator {op}: kernel must have 1, 2 or 3 entries. Received: kernel={a.kernel}")
    if any(k < 1 for k in a.kernel):
        raise GluonicValueError(f"Operator {op}: every kernel entry must be >= 1. Received: kernel={a.kernel}")
    if a.num_group < 1 or a.num_filter % a.num_group:
        raise GluonicValueError(
            f"Operator {op}: num_filter must be a multiple of num_group >= 1. "
            f"Received: num_filter={a.num_filter}, num_group={a.num_group}"
        )
    plan = _ConvPlan(
        nsp,
        spatial(op, "stride", a.stride, nsp, 1, 1),
        spatial(op, "dilate", a.dilate, nsp, 1, 1),
        spatial(op, "pad", a.pad, nsp, 0, 0),
        channels_last(op, a.layout, nsp),
    )
    check_ndim(op, dshape, nsp, a.layout)
    channels = dshape[-1] if plan.last else dshape[1]
    expected = weight_shape_of(channels)
    if plan.last:
        expected = (expected[0], *expected[2:], expected[1])
    if channels % a.num_group or tuple(wshape) != expected:
        raise GluonicValueError(
            f"Operator {op}: expected weight of shape {expected} ({what}) for data{tuple(dshape)} "
            f"with num_group={a.num_group}. Received: weight{tuple(wshape)}"
        )
    _check_bias(op, bshape, a.no_bias, a.num_filter, "num_filter")
    return plan


def _shape_of(t):
    return None if t is None else t.shape


_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


# --------------------------------------------------------------------------- Convolution

class ConvolutionAttrs(Attrs):
    kernel: Shape
    stride: Shape = ()
    dilate: Shape = ()
    pad: Shape = ()
    num_filter: int = dataclasses.field(kw_only=True)
    num_group: int = 1
    workspace: int = 1024
    no_bias: bool = False
    cudnn_tune: CudnnTune | None = None
    cudnn_off: bool = False
    layout: Layout | None = None


@register("Convolution", attrs=ConvolutionAttrs, aliases=("convolution", "Convolution_v1"),
          batch=BatchRule(axis=0, unbatched=(1, 2)))
def convolution(data, weight, bias=None, *, a: ConvolutionAttrs):
    """N-D convolution (cross-correlation) with stride, dilation, zero padding and groups.

    Shapes (NCHW): ``data`` (N, C, H, W), ``weight`` (num_filter, C/num_group, kh, kw),
    ``bias`` (num_filter,) unless ``no_bias`` → (N, num_filter, oh, ow) with
    ``oh = (H + 2*pad - dilate*(kh-1) - 1) // stride + 1``. 1-D and 3-D alike; channels-last
    layouts permute data, weight and output accordingly. ``workspace``, ``cudnn_tune``
    and ``cudnn_off`` are accepted and ignored.

    Example::

        >>> mx.nd.Convolution(mx.nd.ones((1, 2, 5, 5)), mx.nd.ones((4, 2, 3, 3)), mx.nd.zeros((4,)),
        ...                kernel=(3, 3), num_filter=4, pad=(1, 1)).shape
        (1, 4, 5, 5)
    """
    plan = _conv_plan(a, data.shape, weight.shape, _shape_of(bias))
    if plan.last:
        y = _CONV[plan.nsp](data.movedim(-1, 1), weight.movedim(-1, 1), bias, plan.stride, plan.pad, plan.dilate,
                            a.num_group)
        return y.movedim(1, -1)
    return _CONV[plan.nsp](data, weight, bias, plan.stride, plan.pad, plan.dilate, a.num_group)


@functools.lru_cache(maxsize=4096)
def _conv_plan(a: ConvolutionAttrs, dshape, wshape, bshape) -> _ConvPlan:
    plan = _base_plan("Convolution", a, dshape, wshape, bshape,
                      lambda c: (a.num_filter, c // a.num_group, *a.kernel), "num_filter, channels/num_group, *kernel")
    sizes = dshape[1:-1] if plan.last else dshape[2:]
    for i, n in enumerate(sizes):
        k = plan.dilate[i] * (a.kernel[i] - 1) + 1
        if k > n + 2 * plan.pad[i]:
            raise GluonicValueError(
                f"Operator Convolution: the (dilated) kernel size {k} exceeds the padded input size "
                f"{n + 2 * plan.pad[i]} on spatial axis {i}. Received: data{tuple(dshape)}, kernel={a.kernel}, "
                f"dilate={plan.dilate}, pad={plan.pad}"
            )
    return plan


# --------------------------------------------------------------------------- Deconvolution

class DeconvolutionAttrs(Attrs):
    kernel: Shape
    stride: Shape = ()
    dilate: Shape = ()
    pad: Shape = ()
    adj: Shape = ()
    target_shape: Shape = ()
    num_filter: int = dataclasses.field(kw_only=True)
    num_group: int = 1
    workspace: int = 512
    no_bias: bool = True
    cudnn_tune: CudnnTune | None = None
    cudnn_off: bool = False
    layout: Layout | None = None


@functools.lru_cache(maxsize=4096)
def _deconv_plan(a: DeconvolutionAttrs, dshape, wshape, bshape) -> _ConvPlan:
    """The plan, with MXNet's ``target_shape`` rule turned into padding, output padding and crops."""
    plan = _base_plan("Deconvolution", a, dshape, wshape, bshape,
                      lambda c: (c, a.num_filter // a.num_group, *a.kernel), "channels, num_filter/num_group, *kernel")
    nsp = plan.nsp
    adj = spatial("Deconvolution", "adj", a.adj, nsp, 0, 0)
    target = spatial("Deconvolution", "target_shape", a.target_shape, nsp, 0, 0)
    pads, adjs, crops = [], [], []
    for i, n in enumerate(dshape[1:-1] if plan.last else dshape[2:]):
        s, d, k = plan.stride[i], plan.dilate[i], a.kernel[i]
        full = (n - 1) * s + d * (k - 1) + 1
        if target[i]:
            # MXNet's rule: pad = ceil(total/2), adj = total % 2 (the pad and adj attributes are ignored)
            total = full - target[i]
            if total < 0:
                raise GluonicValueError(
                    f"Operator Deconvolution: target_shape is larger than the largest reachable output size "
                    f"{full} on spatial axis {i}. Received: data{tuple(dshape)}, target_shape={a.target_shape}"
                )
            p, o = (total + 1) // 2, total % 2
            if o >= max(s, d):  # torch cannot express it as output padding: crop by hand
                pads.append(p - 1)
                adjs.append(0)
                crops.append(i)
            else:
                pads.append(p)
                adjs.append(o)
            continue
        p, o = plan.pad[i], adj[i]
        if o >= max(s, d):
            raise GluonicValueError(
                f"Operator Deconvolution: adj must be smaller than stride (or dilate). "
                f"Received: adj={a.adj}, stride={plan.stride}, dilate={plan.dilate}"
            )
        if full - 2 * p + o <= 0:
            raise GluonicValueError(
                f"Operator Deconvolution: pad {p} leaves no output on spatial axis {i} (size {full - 2 * p + o}). "
                f"Received: data{tuple(dshape)}, kernel={a.kernel}, stride={plan.stride}, pad={plan.pad}"
            )
        pads.append(p)
        adjs.append(o)
    return plan._replace(pad=tuple(pads), adj=tuple(adjs), crop=tuple(crops))


@register("Deconvolution", attrs=DeconvolutionAttrs, aliases=("deconvolution",),
          batch=BatchRule(axis=0, unbatched=(1, 2)))
def deconvolution(data, weight, bias=None, *, a: DeconvolutionAttrs):
    """Transposed convolution (the gradient of ``Convolution`` with respect to its data).

    Shapes (NCHW): ``data`` (N, C, H, W), ``weight`` (C, num_filter/num_group, kh, kw),
    ``bias`` (num_filter,) only with ``no_bias=False`` (MXNet's default is
    ``no_bias=True``) → (N, num_filter, oh, ow) with
    ``oh = (H-1)*stride - 2*pad + dilate*(kh-1) + 1 + adj``. With ``target_shape``,
    ``pad`` and ``adj`` are ignored and chosen as MXNet does (``total = full - target``,
    ``pad = ceil(total/2)``, ``adj = total % 2``). A ``target_shape`` entry of 0 leaves
    that axis to ``pad``/``adj``. Where MXNet rejects an odd ``total`` with stride 1,
    gluonic crops the extra element.

    Example::

        >>> mx.nd.Deconvolution(mx.nd.ones((1, 2, 5, 5)), mx.nd.ones((2, 3, 4, 4)), kernel=(4, 4),
        ...                  stride=(2, 2), pad=(1, 1), num_filter=3).shape
        (1, 3, 10, 10)
    """
    plan = _deconv_plan(a, data.shape, weight.shape, _shape_of(bias))
    x, w = (data.movedim(-1, 1), weight.movedim(-1, 1)) if plan.last else (data, weight)
    y = _CONV_T[plan.nsp](x, w, bias, plan.stride, plan.pad, plan.adj, a.num_group, plan.dilate)
    for i in plan.crop:
        y = y.narrow(2 + i, 1, y.shape[2 + i] - 1)
    return y.movedim(1, -1) if plan.last else y
