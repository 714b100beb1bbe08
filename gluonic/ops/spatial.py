"""Spatial transformer ops (MXNet 1.9): ``GridGenerator``, ``BilinearSampler``, ``SpatialTransformer``.

A sampling grid has shape (N, 2, H, W): channel 0 holds the source x, channel 1 the source y,
both normalized to [-1, 1] (-1 is the first pixel's center, 1 the last one's). Sampling is
bilinear with zeros outside the input. In PyTorch terms: ``affine_grid`` and ``grid_sample``
with ``align_corners=True`` and the grid's channels last (values checked against MXNet
1.9.1: the ``spatial_*`` golden op cases).
"""
from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F

from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .registry import register


class GridGeneratorAttrs(Attrs):
    transform_type: Literal["affine", "warp"]
    target_shape: Shape = (0, 0)


def _affine_grid(op: str, theta: torch.Tensor, target_shape) -> torch.Tensor:
    if theta.dim() != 2 or theta.shape[1] != 6:
        raise GluonicValueError(f"Operator {op}: an affine transform is given as (N, 6) data (the 2 x 3 matrix, row "
                                f"by row). Received: shape {tuple(theta.shape)}")
    if len(target_shape) != 2 or min(target_shape) <= 0:
        raise GluonicValueError(f"Operator {op}: target_shape must be the output (H, W). Received: {tuple(target_shape)}")
    h, w = target_shape
    grid = F.affine_grid(theta.reshape(-1, 2, 3), [theta.shape[0], 1, h, w], align_corners=True)
    return grid.permute(0, 3, 1, 2)


@register("GridGenerator", attrs=GridGeneratorAttrs)
def grid_generator(data, *, a: GridGeneratorAttrs):
    """A sampling grid for :func:`bilinear_sampler`.

    ``affine``: data (N, 6) is a 2 x 3 matrix per sample mapping output coordinates to input
    ones (both normalized); output (N, 2, H, W) with ``(H, W) = target_shape``. ``warp``: data
    (N, 2, H, W) is an optical flow in pixels (x, then y); the grid is each pixel moved by it.

    >>> theta = mx.nd.array([[1.0, 0, 0, 0, 1.0, 0]])  # the identity
    >>> mx.nd.GridGenerator(theta, transform_type="affine", target_shape=(2, 3))[0, 0].asnumpy().tolist()
    [[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]
    """
    if a.transform_type == "affine":
        return _affine_grid("GridGenerator", data, a.target_shape)
    if data.dim() != 4 or data.shape[1] != 2:
        raise GluonicValueError("Operator GridGenerator: a warp is given as an (N, 2, H, W) flow. "
                                f"Received: shape {tuple(data.shape)}")
    h, w = data.shape[-2:]
    ys = torch.arange(h, dtype=data.dtype, device=data.device).reshape(h, 1)
    xs = torch.arange(w, dtype=data.dtype, device=data.device).reshape(1, w)
    gx = (xs + data[:, 0]) / max((w - 1) / 2, 1e-12) - 1
    gy = (ys + data[:, 1]) / max((h - 1) / 2, 1e-12) - 1
    return torch.stack([gx, gy], dim=1)


def _sample(op: str, data: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    if data.dim() != 4 or grid.dim() != 4 or grid.shape[1] != 2 or grid.shape[0] != data.shape[0]:
        raise GluonicValueError(f"Operator {op}: data must be (N, C, H, W) and grid (N, 2, h, w). "
                                f"Received: data{tuple(data.shape)}, grid{tuple(grid.shape)}")
    return F.grid_sample(data, grid.permute(0, 2, 3, 1).to(data.dtype), mode="bilinear", padding_mode="zeros",
                         align_corners=True)


class BilinearSamplerAttrs(Attrs):
    cudnn_off: bool | None = None


@register("BilinearSampler", attrs=BilinearSamplerAttrs)
def bilinear_sampler(data, grid, *, a: BilinearSamplerAttrs):
    """``data`` sampled bilinearly at ``grid`` (zeros outside): (N, C, H, W), (N, 2, h, w) -> (N, C, h, w).

    ``cudnn_off`` is accepted for MXNet compatibility.

    >>> data = mx.nd.arange(6).reshape((1, 1, 2, 3))
    >>> grid = mx.nd.GridGenerator(mx.nd.array([[1.0, 0, 0, 0, 1.0, 0]]), transform_type="affine",
    ...                            target_shape=(2, 3))
    >>> mx.nd.BilinearSampler(data, grid)[0, 0].asnumpy().tolist()
    [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    """
    return _sample("BilinearSampler", data, grid)


class SpatialTransformerAttrs(Attrs):
    target_shape: Shape = (0, 0)
    transform_type: Literal["affine"] = "affine"
    sampler_type: Literal["bilinear"] = "bilinear"
    cudnn_off: bool | None = None


@register("SpatialTransformer", attrs=SpatialTransformerAttrs)
def spatial_transformer(data, loc, *, a: SpatialTransformerAttrs):
    """``BilinearSampler(data, GridGenerator(loc, "affine", target_shape))``: (N, C, H, W), loc (N, 6)
    -> (N, C, *target_shape).

    >>> mx.nd.SpatialTransformer(mx.nd.ones((1, 2, 4, 4)), mx.nd.array([[1.0, 0, 0, 0, 1.0, 0]]),
    ...                          target_shape=(3, 3)).shape
    (1, 2, 3, 3)
    """
    grid = _affine_grid("SpatialTransformer", loc.reshape(loc.shape[0], -1), a.target_shape)
    return _sample("SpatialTransformer", data, grid)
