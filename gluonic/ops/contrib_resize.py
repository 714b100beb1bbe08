"""MXNet's contrib resizing ops for NCHW images: ``AdaptiveAvgPooling2D`` and ``BilinearResize2D``.

Both equal PyTorch's ``adaptive_avg_pool2d`` and bilinear ``interpolate`` (checked against
MXNet 1.9.1's outputs and gradients, the ``contrib_*`` golden op cases); what is MXNet's
own is how the output size is given.
"""
from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .registry import register


def _nchw(op: str, data: torch.Tensor) -> None:
    if data.dim() != 4:
        raise GluonicValueError(f"Operator {op}: data must be 4-D (N, C, H, W). Received: shape {tuple(data.shape)}")


class AdaptivePoolAttrs(Attrs):
    output_size: Shape = ()


@register("_contrib_AdaptiveAvgPooling2D", attrs=AdaptivePoolAttrs)
def contrib_adaptive_avg_pooling2d(data, *, a: AdaptivePoolAttrs):
    """Average pooling to a fixed output size: (N, C, H, W) -> (N, C, h, w).

    ``output_size``: ``(h, w)``, one int for a square output, or empty (default) for 1 x 1.
    Output cell ``i`` averages input rows ``floor(i H / h)`` to ``ceil((i + 1) H / h)`` (and
    likewise for columns), so the windows may overlap.

    >>> mx.nd.contrib.AdaptiveAvgPooling2D(mx.nd.ones((1, 2, 5, 7)), output_size=(2, 3)).shape
    (1, 2, 2, 3)
    """
    _nchw("_contrib_AdaptiveAvgPooling2D", data)
    size = tuple(a.output_size)
    if len(size) > 2 or any(s <= 0 for s in size):
        raise GluonicValueError(f"Operator _contrib_AdaptiveAvgPooling2D: output_size must be one or two positive "
                                f"ints (or empty for 1 x 1). Received: output_size={size}")
    size = (1, 1) if not size else size * 2 if len(size) == 1 else size
    return F.adaptive_avg_pool2d(data, size)


class BilinearResizeAttrs(Attrs):
    height: int = 1
    width: int = 1
    scale_height: float | None = None
    scale_width: float | None = None
    mode: Literal["like", "odd_scale", "size", "to_even_down", "to_even_up", "to_odd_down", "to_odd_up"] = "size"
    align_corners: bool = True


def _resized(n: int, mode: str, size: int, scale: float | None) -> int:
    """One output side of BilinearResize2D from the input side ``n``."""
    if mode == "size":
        return int(n * scale) if scale is not None else size
    if mode == "odd_scale":
        if scale is None:
            raise GluonicValueError("Operator _contrib_BilinearResize2D: mode='odd_scale' needs scale_height and "
                                    "scale_width. Received: no scale")
        return int((n - 1) * scale) + 1 if n % 2 else int(n * scale)
    even = n % 2 == 0
    return {"to_even_down": n if even else n - 1, "to_even_up": n if even else n + 1,
            "to_odd_down": n - 1 if even else n, "to_odd_up": n + 1 if even else n}[mode]


@register("_contrib_BilinearResize2D", attrs=BilinearResizeAttrs)
def contrib_bilinear_resize2d(data, like=None, *, a: BilinearResizeAttrs):
    """Bilinear resizing of (N, C, H, W) images to (N, C, h, w).

    ``mode`` picks the output size: ``"size"`` (default) ``height``/``width``, or the input
    size times ``scale_height``/``scale_width`` (rounded down) when given; ``"like"`` the
    last two axes of ``like``; ``"odd_scale"`` ``(H - 1) * scale + 1`` for odd sides;
    ``"to_even_down"``/``"to_even_up"``/``"to_odd_down"``/``"to_odd_up"`` the nearest even
    or odd size. ``align_corners`` (default True, as in MXNet) maps the corner pixels onto
    each other.

    >>> mx.nd.contrib.BilinearResize2D(mx.nd.ones((1, 1, 5, 7)), height=8, width=4).shape
    (1, 1, 8, 4)
    >>> mx.nd.contrib.BilinearResize2D(mx.nd.ones((1, 1, 5, 7)), scale_height=2.0, scale_width=2.0,
    ...                                mode="odd_scale").shape
    (1, 1, 9, 13)
    """
    op = "_contrib_BilinearResize2D"
    _nchw(op, data)
    h, w = data.shape[-2:]
    if a.mode == "like":
        if like is None or like.dim() < 2:
            raise GluonicValueError(f"Operator {op}: mode='like' needs a second input with the target size in its "
                                    f"last two axes. Received: {None if like is None else tuple(like.shape)}")
        size = tuple(like.shape[-2:])
    else:
        size = (_resized(h, a.mode, a.height, a.scale_height), _resized(w, a.mode, a.width, a.scale_width))
    if min(size) <= 0:
        raise GluonicValueError(f"Operator {op}: the output size must be positive. Received: {size} from input "
                                f"{tuple(data.shape)}, mode={a.mode!r}")
    return F.interpolate(data, size=size, mode="bilinear", align_corners=a.align_corners)


contrib_bilinear_resize2d.op.inputs = ("data", "like")
