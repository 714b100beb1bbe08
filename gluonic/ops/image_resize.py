"""Image resizing with OpenCV's ``cv::resize`` semantics (MXNet's image ops call OpenCV).

:func:`resize_hwc` resizes the two axes before the last one of a ``(..., H, W, C)`` tensor
(an image or a batch of images). The interpolation codes are OpenCV's:

====  ===============  ==================================================================
code  name             sampling
====  ===============  ==================================================================
0     INTER_NEAREST    source pixel ``floor(dst * src_size / dst_size)``
1     INTER_LINEAR     2 taps, half-pixel centres, borders replicated
2     INTER_CUBIC      4 taps, Keys kernel with ``a = -0.75``
3     INTER_AREA       pixel-area averaging when shrinking both axes, else linear-like
4     INTER_LANCZOS4   8 taps, windowed sinc
====  ===============  ==================================================================

Every method is separable: per axis, each output position reads ``K`` source positions
(clamped to the image: OpenCV replicates the border) with fixed weights. The tables are
computed once per ``(src, dst, method)`` and cached. Float images are interpolated in
float32 (float64 for float64 input), like OpenCV, and match MXNet to float rounding. For
uint8 images OpenCV uses 11-bit fixed-point weights and the rounding of its x86 SIMD
kernels; gluonic reproduces both, and its results equal MXNet 1.9.1's pixel for pixel.
Other integer dtypes are interpolated in float64, rounded and clipped to the dtype range.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import torch

__all__ = ["resize_hwc", "INTERP_NAMES"]

INTERP_NAMES = {0: "nearest", 1: "linear", 2: "cubic", 3: "area", 4: "lanczos4"}
_TAPS = {1: 2, 2: 4, 3: 2, 4: 8}
_COEF_SCALE = 2048  # OpenCV's INTER_RESIZE_COEF_SCALE (11 fractional bits)
_F32_EPS = float(np.finfo(np.float32).eps)


def _cubic_weights(t: float) -> list[float]:
    """Keys cubic convolution weights (``a = -0.75``) for taps at -1, 0, 1, 2 from offset ``t``
    (computed in float32, as OpenCV does)."""
    t = np.float32(t)
    a = np.float32(-0.75)
    w0 = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a
    w1 = ((a + 2) * t - (a + 3)) * t * t + 1
    w2 = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1
    return [w0, w1, w2, 1 - w0 - w1 - w2]


def _lanczos4_weights(t: float) -> list[float]:
    """Lanczos (a = 4) weights for taps at -3..4 from offset ``t``, normalised to sum 1."""
    if t < _F32_EPS:
        return [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    weights = []
    for i in range(8):
        d = float(np.float32(t) + np.float32(3 - i))
        weights.append(np.float32(4 * math.sin(math.pi * d) * math.sin(math.pi * d / 4) / (math.pi * d) ** 2))
    inv = np.float32(1) / np.float32(sum(weights))
    return [float(np.float32(w) * inv) for w in weights]


@functools.lru_cache(maxsize=256)
def _interp_table(src: int, dst: int, interp: int, area_mode: bool, vertical: bool = False
                  ) -> tuple[np.ndarray, np.ndarray]:
    """``(index (dst, K) int64, weight (dst, K) float32)`` for one axis (methods 0, 1, 2, 4 and
    area when enlarging).

    Linear positions outside the image snap to the border pixel horizontally; vertically
    OpenCV keeps the extrapolating weights on clamped rows (same sum, different fixed-point
    rounding), and so does this table.
    """
    inv_scale = dst / src
    scale = 1.0 / inv_scale
    if interp == 0:
        index = np.array([[min(int(math.floor(d * scale)), src - 1)] for d in range(dst)], dtype=np.int64)
        return index, np.ones((dst, 1), np.float32)
    k = _TAPS[interp]
    half = k // 2
    clamp_edges = interp in (1, 3) and not vertical
    index = np.empty((dst, k), np.int64)
    weight = np.empty((dst, k), np.float32)
    for d in range(dst):
        if area_mode:
            s = int(math.floor(d * scale))
            t = float(np.float32((d + 1) - (s + 1) * inv_scale))
            t = 0.0 if t <= 0 else float(np.float32(t - math.floor(t)))
        else:
            f = float(np.float32((d + 0.5) * scale - 0.5))
            s = int(math.floor(f))
            t = float(np.float32(f - s))
        if clamp_edges and s < 0:
            s, t = 0, 0.0
        if clamp_edges and s >= src - 1:
            s, t = src - 1, 0.0
        if interp == 2:
            w = [float(v) for v in _cubic_weights(t)]
        elif interp == 4:
            w = _lanczos4_weights(t)
        else:
            w = [1.0 - t, t]
        for j in range(k):
            index[d, j] = min(max(s - half + 1 + j, 0), src - 1)
            weight[d, j] = w[j]
    return index, weight


@functools.lru_cache(maxsize=256)
def _area_table(src: int, dst: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-area weights for shrinking one axis: each output cell averages the source
    pixels it covers, partially covered pixels weighted by the covered fraction."""
    scale = src / dst
    rows = []
    for d in range(dst):
        start, end = d * scale, d * scale + scale
        cell = min(scale, src - start)
        first, last = int(math.ceil(start)), min(int(math.floor(end)), src - 1)
        first = min(first, last)
        taps = []
        if first - start > 1e-3:
            taps.append((first - 1, (first - start) / cell))
        taps.extend((s, 1.0 / cell) for s in range(first, last))
        if end - last > 1e-3:
            taps.append((last, min(end - last, 1.0, cell) / cell))
        rows.append(taps)
    k = max(len(t) for t in rows)
    index = np.zeros((dst, k), np.int64)
    weight = np.zeros((dst, k), np.float32)
    for d, taps in enumerate(rows):
        for j, (s, w) in enumerate(taps):
            index[d, j], weight[d, j] = s, w
    return index, weight


def _taps(x: torch.Tensor, axis: int, index: np.ndarray) -> list[torch.Tensor]:
    """For each tap ``k``, ``x`` indexed along ``axis`` (from the end) by ``index[:, k]``."""
    dim = x.dim() + axis
    return [x.index_select(dim, torch.from_numpy(np.ascontiguousarray(index[:, k])).to(x.device))
            for k in range(index.shape[1])]


def _column(weight, k: int, axis: int) -> torch.Tensor:
    """Weights of tap ``k``, shaped to broadcast along ``axis`` (from the end)."""
    return weight[:, k].reshape((-1,) + (1,) * (-axis - 1))


def _apply(x: torch.Tensor, axis: int, index: np.ndarray, weight: torch.Tensor) -> torch.Tensor:
    """Weighted sum of the taps along ``axis`` (counted from the end), accumulated tap by tap
    in OpenCV's order."""
    out = None
    for k, tap in enumerate(_taps(x, axis, index)):
        term = tap * _column(weight, k, axis)
        out = term if out is None else out.add_(term)
    return out


def _fixed(weight: np.ndarray) -> np.ndarray:
    return np.round(weight.astype(np.float64) * _COEF_SCALE).astype(np.int64)


def _resize_uint8(x: torch.Tensor, tables_x, tables_y, interp: int) -> torch.Tensor:
    """OpenCV's fixed-point path for 8-bit images (integer horizontal pass, then vertical)."""
    (ix, wx), (iy, wy) = tables_x, tables_y
    bx = torch.from_numpy(_fixed(wx)).to(x.device, torch.int32)
    by = torch.from_numpy(_fixed(wy)).to(x.device)
    rows = _apply(x.to(torch.int32), -2, ix, bx)  # (..., H, ow, C) scaled by 2048
    taps = _taps(rows, -3, iy)  # each (..., oh, ow, C)
    if interp in (1, 3):  # OpenCV's SIMD rounding: ((S >> 4) * b >> 16) summed, then (+2) >> 2
        # (weights are >= 0, so S >> 4 <= 255 * 2048 / 16 fits OpenCV's int16 lanes: no saturation)
        b = by.to(torch.int32)
        acc = None
        for k, t in enumerate(taps):
            term = t.bitwise_right_shift_(4).mul_(_column(b, k, -3)).bitwise_right_shift_(16)
            acc = term if acc is None else acc.add_(term)
        return acc.add_(2).bitwise_right_shift_(2).to(torch.uint8)
    elif interp == 2:  # vectorised float accumulation, rounded half to even
        b = by.to(torch.float32) * (1.0 / (_COEF_SCALE * _COEF_SCALE))
        out = torch.round(sum(t.to(torch.float32) * _column(b, k, -3) for k, t in enumerate(taps)))
    else:  # Lanczos: exact fixed point, (sum + 2**21) >> 22
        acc = sum(t.to(torch.int64) * _column(by, k, -3) for k, t in enumerate(taps))
        out = (acc + (1 << 21)) >> 22
    return out.clamp_(0, 255).to(torch.uint8)


def _resize_area_shrink(x: torch.Tensor, oh: int, ow: int) -> torch.Tensor:
    h, w = x.shape[-3], x.shape[-2]
    sy, sx = h / oh, w / ow
    work = torch.float64 if x.dtype == torch.float64 else torch.float32
    if sx == round(sx) and sy == round(sy):  # OpenCV's fast path: whole blocks
        ky, kx = round(sy), round(sx)
        blocks = x.reshape(*x.shape[:-3], oh, ky, ow, kx, x.shape[-1])
        if x.dtype == torch.uint8 and kx * ky == 4:
            return ((blocks.to(torch.int32).sum(dim=(-4, -2)) + 2) >> 2).to(torch.uint8)
        out = blocks.to(torch.float64).sum(dim=(-4, -2)).to(work) * (1.0 / (kx * ky))
    else:
        ix, wx = _area_table(w, ow)
        iy, wy = _area_table(h, oh)
        rows = _apply(x.to(work), -2, ix, torch.from_numpy(wx).to(x.device, work))
        out = _apply(rows, -3, iy, torch.from_numpy(wy).to(x.device, work))
    return _cast_back(out, x.dtype)


def _cast_back(out: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    if dtype.is_floating_point:
        return out.to(dtype)
    info = torch.iinfo(dtype)
    return torch.round(out).clamp(info.min, info.max).to(dtype)


def resize_hwc(x: torch.Tensor, height: int, width: int, interp: int = 1) -> torch.Tensor:
    """Resize ``x`` of shape ``(..., H, W, C)`` to ``(..., height, width, C)`` like ``cv::resize``.

    ``interp`` is an OpenCV code 0-4 (see the module docstring). Same size: a copy.
    Differentiable for floating-point input.
    """
    h, w = x.shape[-3], x.shape[-2]
    if (h, w) == (height, width):
        return x.clone()
    if interp == 0:
        ix, _ = _interp_table(w, width, 0, False)
        iy, _ = _interp_table(h, height, 0, False)
        out = x.index_select(x.dim() - 2, torch.from_numpy(ix[:, 0]).to(x.device))
        return out.index_select(x.dim() - 3, torch.from_numpy(iy[:, 0]).to(x.device))
    if interp == 3 and h >= height and w >= width:
        return _resize_area_shrink(x, height, width)
    area_mode = interp == 3
    tables_x = _interp_table(w, width, interp, area_mode)
    tables_y = _interp_table(h, height, interp, area_mode, vertical=True)
    if x.dtype == torch.uint8:
        return _resize_uint8(x, tables_x, tables_y, interp)
    work = torch.float64 if x.dtype in (torch.float64, torch.int32, torch.int64) else torch.float32
    (ix, wx), (iy, wy) = tables_x, tables_y
    rows = _apply(x.to(work), -2, ix, torch.from_numpy(wx).to(x.device, work))
    out = _apply(rows, -3, iy, torch.from_numpy(wy).to(x.device, work))
    return _cast_back(out, x.dtype)
