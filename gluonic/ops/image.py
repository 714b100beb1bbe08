"""Image operators (MXNet's ``mx.nd.image.*``): ``to_tensor``, ``normalize``, ``resize``,
``crop``, flips, and the random colour augmentations behind ``gluon.data.vision.transforms``.

Images are ``(H, W, C)`` arrays (``to_tensor`` and ``normalize`` aside); every op also
takes a batch ``(N, H, W, C)``, where the random ops draw independently for each image.
Colour ops read channels as RGB and accept 1 or 3 channels. Integer results are clipped
to the dtype's range and truncated, as MXNet's saturating cast does (uint8: 0-255);
float results are not clipped. Random ops draw from the context's generator
(:func:`gluonic.random.generator`), so ``mx.random.seed`` makes them reproducible.

Where gluonic differs from MXNet 1.9.1 (MXNet's behaviour there is a bug):

- flips and colour ops take ``(N, H, W, C)`` batches (MXNet: 3-D only);
- ``random_saturation`` blends with the luma ``0.299 R + 0.587 G + 0.114 B`` (MXNet uses
  ``0.114 B`` alone, which darkens images);
- ``random_hue``/``adjust_lighting``/``random_lighting`` leave 1-channel images unchanged,
  and ``random_color_jitter`` with all amounts 0 returns the input (MXNet returns zeros);
- ``normalize`` accepts any number of channels and a ``mean``/``std`` longer than the
  channel count (its default, 4 values, fails on 3 channels in MXNet);
- ``random_flip_*`` take ``p`` (the flip probability, as in MXNet 2), and the flips write
  the middle column/row of odd-sized images (MXNet leaves it uninitialized).
"""
from __future__ import annotations

import functools

import torch

from ..base import GluonicTypeError, GluonicValueError
from ..random import generator
from .attrs import Attrs, Floats, Shape
from .image_resize import INTERP_NAMES, resize_hwc
from .registry import register

__all__ = ["resize_hwc"]

_LUMA = (0.299, 0.587, 0.114)
# AlexNet's PCA of ImageNet RGB pixels: eigenvalues and eigenvectors (columns).
_EIGVAL = (55.46, 4.794, 1.148)
_EIGVEC = ((-0.5675, 0.7192, 0.4009), (-0.5808, -0.0045, -0.8140), (-0.5836, -0.6948, 0.4203))


def _fail(op: str, what: str, received: str) -> GluonicValueError:
    return GluonicValueError(f"Operator _image_{op}: {what}. Received: {received}")


def _check_image(op: str, data: torch.Tensor, rgb: bool = False, layout: str = "(H, W, C)") -> None:
    if data.dim() not in (3, 4):
        raise _fail(op, f"data must be an image {layout} or a batch (N, {layout[1:]}",
                    f"data{tuple(data.shape)}")
    if rgb and data.shape[-1] not in (1, 3):
        raise _fail(op, "the last axis must hold 1 (gray) or 3 (RGB) channels", f"data{tuple(data.shape)}")


def _saturate(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """MXNet's saturate_cast: integer outputs clipped to the dtype range, then truncated."""
    if dtype.is_floating_point:
        return x.to(dtype)
    info = torch.iinfo(dtype)
    return x.clamp(info.min, info.max).trunc().to(dtype)


def _work(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype in (torch.float32, torch.float64) else x.to(torch.float32)


def _uniform(x: torch.Tensor, n: int, low: float, high: float) -> torch.Tensor:
    """``n`` draws from U(low, high) on ``x``'s device, from its context's generator."""
    u = torch.rand(n, generator=generator(x.device), device=x.device, dtype=torch.float32)
    return u * (high - low) + low


def _per_image(x: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
    """One factor per image, shaped to broadcast against an image (3-D) or a batch (4-D)."""
    return values.reshape(-1, 1, 1, 1) if x.dim() == 4 else values.reshape(1, 1, 1)


def _n_images(x: torch.Tensor) -> int:
    return x.shape[0] if x.dim() == 4 else 1


# ----------------------------------------------------------------------------- tensors
@register("_image_to_tensor")
def to_tensor(data):
    """Convert an image ``(H, W, C)`` or batch ``(N, H, W, C)`` with values in [0, 255] to a
    float32 tensor ``(C, H, W)`` / ``(N, C, H, W)`` with values in [0, 1].

    >>> img = mx.nd.array([[[0, 255]]], dtype='uint8')     # (1, 1, 2)
    >>> mx.nd.image.to_tensor(img).asnumpy().ravel().tolist()
    [0.0, 1.0]
    """
    _check_image("to_tensor", data)
    return data.movedim(-1, -3).to(torch.float32) / 255.0


class NormalizeAttrs(Attrs):
    mean: Floats = (0.0, 0.0, 0.0, 0.0)
    std: Floats = (1.0, 1.0, 1.0, 1.0)


@functools.lru_cache(maxsize=64)
def _channel_values(values: tuple, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """Per-channel constants shaped (C, 1, 1), cached (they never change)."""
    return torch.tensor(values, dtype=dtype, device=device).reshape(-1, 1, 1)


def _per_channel(op: str, name: str, values: tuple, channels: int, shape) -> tuple:
    if len(values) == 1:
        return values * channels
    if len(values) < channels:
        raise _fail(op, f"{name} must have 1 value or one per channel ({channels})",
                    f"{name}={values} for data{shape}")
    return values[:channels]


@register("_image_normalize", attrs=NormalizeAttrs)
def normalize(data, *, a: NormalizeAttrs):
    """Normalize a tensor ``(C, H, W)`` or ``(N, C, H, W)`` per channel: ``(x - mean[c]) / std[c]``.

    ``mean``/``std``: one value for all channels or one per channel. The output has the
    input's dtype (integer inputs are computed in float32 and truncated).

    >>> x = mx.nd.ones((3, 1, 1))
    >>> mx.nd.image.normalize(x, mean=(0, 1, 2), std=(2, 2, 2)).asnumpy().ravel().tolist()
    [0.5, 0.0, -0.5]
    """
    _check_image("normalize", data, layout="(C, H, W)")
    channels = data.shape[-3]
    mean = _per_channel("normalize", "mean", a.mean, channels, tuple(data.shape))
    std = _per_channel("normalize", "std", a.std, channels, tuple(data.shape))
    if any(s == 0 for s in std):
        raise _fail("normalize", "std must not be 0", f"std={a.std}")
    x = _work(data)
    if len(set(mean)) == 1 and len(set(std)) == 1:  # one value for all channels: scalar arithmetic
        out = (x - mean[0]) / std[0]
    else:
        out = (x - _channel_values(mean, x.dtype, x.device)) / _channel_values(std, x.dtype, x.device)
    return out.to(data.dtype) if data.dtype.is_floating_point else out.trunc().to(data.dtype)


# ----------------------------------------------------------------------------- geometry
class ResizeAttrs(Attrs):
    size: Shape = ()
    keep_ratio: bool = False
    interp: int = 1


def resized_hw(h: int, w: int, size: tuple, keep_ratio: bool, op: str = "resize") -> tuple[int, int]:
    """Output (height, width) of ``resize``: ``size`` is ``(w, h)`` or one value; with
    ``keep_ratio`` one value sets the short edge (the long one scaled, rounded down)."""
    if len(size) not in (1, 2) or min(size) <= 0:
        raise _fail(op, "size must be (width, height) or one value, all > 0", f"size={size}")
    if len(size) == 2:
        return size[1], size[0]
    s = size[0]
    if not keep_ratio:
        return s, s
    return (h * s // w, s) if h > w else (s, w * s // h)


@register("_image_resize", attrs=ResizeAttrs)
def resize(data, *, a: ResizeAttrs):
    """Resize an image ``(H, W, C)`` or batch ``(N, H, W, C)`` (OpenCV's ``cv::resize``).

    ``size``: ``(width, height)``, or one value for a square (or, with ``keep_ratio``,
    the short edge). ``interp``: 0 nearest, 1 bilinear (default), 2 bicubic, 3 area,
    4 Lanczos. Output dtype = input dtype. See :mod:`gluonic.ops.image_resize`.

    >>> img = mx.nd.zeros((4, 6, 3), dtype='uint8')
    >>> mx.nd.image.resize(img, (3, 2)).shape
    (2, 3, 3)
    >>> mx.nd.image.resize(img, 2, keep_ratio=True).shape
    (2, 3, 3)
    """
    _check_image("resize", data)
    if a.interp not in INTERP_NAMES:
        raise _fail("resize", "interp must be 0 (nearest), 1 (linear), 2 (cubic), 3 (area) or 4 (lanczos)",
                    f"interp={a.interp}")
    if data.dtype == torch.bool:
        raise GluonicTypeError("Operator _image_resize: boolean images cannot be interpolated. Received: bool")
    h, w = resized_hw(data.shape[-3], data.shape[-2], a.size, a.keep_ratio)
    return resize_hwc(data, h, w, a.interp)


class CropAttrs(Attrs):
    x: int
    y: int
    width: int
    height: int


@register("_image_crop", attrs=CropAttrs)
def crop(data, *, a: CropAttrs):
    """Crop the area ``[y, y + height) x [x, x + width)`` of an image ``(H, W, C)`` or batch.

    >>> img = mx.nd.arange(12).reshape((2, 2, 3))
    >>> mx.nd.image.crop(img, 1, 0, 1, 2).shape
    (2, 1, 3)
    """
    _check_image("crop", data)
    h, w = data.shape[-3], data.shape[-2]
    if a.x < 0 or a.y < 0 or a.width <= 0 or a.height <= 0 or a.x + a.width > w or a.y + a.height > h:
        raise _fail("crop", f"the area must lie inside the {h}x{w} image (and be non-empty)",
                    f"x={a.x}, y={a.y}, width={a.width}, height={a.height}, data{tuple(data.shape)}")
    return data[..., a.y:a.y + a.height, a.x:a.x + a.width, :].clone()


@register("_image_flip_left_right")
def flip_left_right(data):
    """Mirror an image ``(H, W, C)`` or batch horizontally (reverse the width axis)."""
    _check_image("flip_left_right", data)
    return data.flip(-2)


@register("_image_flip_top_bottom")
def flip_top_bottom(data):
    """Mirror an image ``(H, W, C)`` or batch vertically (reverse the height axis)."""
    _check_image("flip_top_bottom", data)
    return data.flip(-3)


class RandomFlipAttrs(Attrs):
    p: float = 0.5


def _random_flip(op: str, data: torch.Tensor, p: float, axis: int) -> torch.Tensor:
    _check_image(op, data)
    if not 0.0 <= p <= 1.0:
        raise _fail(op, "p must be in [0, 1]", f"p={p}")
    flip = _uniform(data, _n_images(data), 0.0, 1.0) < p
    return torch.where(_per_image(data, flip), data.flip(axis), data)


@register("_image_random_flip_left_right", attrs=RandomFlipAttrs)
def random_flip_left_right(data, *, a: RandomFlipAttrs):
    """Mirror an image horizontally with probability ``p`` (each image of a batch on its own)."""
    return _random_flip("random_flip_left_right", data, a.p, -2)


@register("_image_random_flip_top_bottom", attrs=RandomFlipAttrs)
def random_flip_top_bottom(data, *, a: RandomFlipAttrs):
    """Mirror an image vertically with probability ``p`` (each image of a batch on its own)."""
    return _random_flip("random_flip_top_bottom", data, a.p, -3)


# ----------------------------------------------------------------------------- colour
def _gray(x: torch.Tensor) -> torch.Tensor:
    """Luma ``(..., H, W, 1)`` of float RGB (or the channel itself for gray images)."""
    if x.shape[-1] == 1:
        return x
    r, g, b = x.unbind(-1)
    return (_LUMA[0] * r + _LUMA[1] * g + _LUMA[2] * b).unsqueeze(-1)


def _brightness(x: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    return x * _per_image(x, alpha)


def _contrast(x: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    mean = _gray(x).mean(dim=(-3, -2, -1), keepdim=True)
    alpha = _per_image(x, alpha)
    return x * alpha + (1 - alpha) * mean


def _saturation(x: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    if x.shape[-1] == 1:
        return x
    alpha = _per_image(x, alpha)
    return x * alpha + (1 - alpha) * _gray(x)


# For each of the 6 hue sectors: which of (p2, p1, rising, falling) is R, G and B.
_SECTORS = ((0, 3, 1), (2, 0, 1), (1, 0, 3), (1, 2, 0), (3, 1, 0), (0, 1, 2))


def _hue(x: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Rotate the hue of RGB values in [0, 255] by ``shift`` turns (HLS space, as MXNet)."""
    if x.shape[-1] == 1:
        return x
    rgb = x / 255.0
    r, g, b = rgb.unbind(-1)
    vmax, vmin = rgb.amax(-1), rgb.amin(-1)
    diff = vmax - vmin
    light = (vmax + vmin) * 0.5
    chroma = diff > torch.finfo(torch.float32).eps
    safe = torch.where(chroma, diff, torch.ones_like(diff))
    sat = torch.where(light < 0.5, diff / (vmax + vmin).clamp_min(1e-12), diff / (2.0 - vmax - vmin).clamp_min(1e-12))
    sat = torch.where(chroma, sat, torch.zeros_like(sat))
    hue = torch.where(vmax == r, (g - b) * 60.0 / safe,
                      torch.where(vmax == g, (b - r) * 60.0 / safe + 120.0, (r - g) * 60.0 / safe + 240.0))
    hue = torch.where(chroma, hue, torch.zeros_like(hue))
    hue = hue + _per_image(x, shift).squeeze(-1) * 360.0
    sector_f = torch.remainder(hue / 60.0, 6.0)
    sector = sector_f.floor().clamp(0, 5)
    frac = sector_f - sector
    p2 = torch.where(light <= 0.5, light * (1 + sat), light + sat - light * sat)
    p1 = 2 * light - p2
    table = torch.stack([p2, p1, p1 + (p2 - p1) * (1 - frac), p1 + (p2 - p1) * frac], dim=-1)
    pick = torch.tensor(_SECTORS, device=x.device)[sector.long()]  # (..., 3)
    out = torch.gather(table, -1, pick)
    out = torch.where((sat != 0).unsqueeze(-1), out, light.unsqueeze(-1).expand_as(out))
    return out * 255.0


def _lighting(x: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """Add the AlexNet PCA noise ``eigvec @ (alpha * eigval)``; ``alpha`` is ``(n, 3)``."""
    if x.shape[-1] == 1:
        return x
    eig = torch.tensor(_EIGVEC, dtype=x.dtype, device=x.device) * torch.tensor(_EIGVAL, dtype=x.dtype,
                                                                                 device=x.device)
    shift = alpha.to(x.dtype) @ eig.T  # (n, 3)
    return x + (shift.reshape(-1, 1, 1, 3) if x.dim() == 4 else shift.reshape(1, 1, 3))


class RandomEnhanceAttrs(Attrs):
    min_factor: float
    max_factor: float


def _factors(op: str, data: torch.Tensor, a: RandomEnhanceAttrs) -> torch.Tensor:
    _check_image(op, data, rgb=True)
    if a.min_factor < 0 or a.max_factor < a.min_factor:
        raise _fail(op, "factors must satisfy 0 <= min_factor <= max_factor",
                    f"min_factor={a.min_factor}, max_factor={a.max_factor}")
    return _uniform(data, _n_images(data), a.min_factor, a.max_factor)


def _enhance(op: str, data: torch.Tensor, a: RandomEnhanceAttrs, fn) -> torch.Tensor:
    alpha = _factors(op, data, a)
    return _saturate(fn(_work(data), alpha), data.dtype)


@register("_image_random_brightness", attrs=RandomEnhanceAttrs)
def random_brightness(data, *, a: RandomEnhanceAttrs):
    """Scale the pixels by a factor drawn from U(min_factor, max_factor).

    >>> x = mx.nd.full((1, 1, 3), 100)
    >>> mx.nd.image.random_brightness(x, 1.5, 1.5).asnumpy().ravel().tolist()
    [150.0, 150.0, 150.0]
    """
    return _enhance("random_brightness", data, a, _brightness)


@register("_image_random_contrast", attrs=RandomEnhanceAttrs)
def random_contrast(data, *, a: RandomEnhanceAttrs):
    """Blend with the image's mean luma, ``x * f + (1 - f) * mean(gray)``, ``f`` drawn from
    U(min_factor, max_factor) (luma = 0.299 R + 0.587 G + 0.114 B)."""
    return _enhance("random_contrast", data, a, _contrast)


@register("_image_random_saturation", attrs=RandomEnhanceAttrs)
def random_saturation(data, *, a: RandomEnhanceAttrs):
    """Blend each pixel with its luma, ``x * f + (1 - f) * gray``, ``f`` drawn from
    U(min_factor, max_factor); gray images are returned unchanged."""
    return _enhance("random_saturation", data, a, _saturation)


@register("_image_random_hue", attrs=RandomEnhanceAttrs)
def random_hue(data, *, a: RandomEnhanceAttrs):
    """Rotate the hue (HLS space) by ``f * 360`` degrees, ``f`` drawn from
    U(min_factor, max_factor): factor 1 keeps the colours, 1.1 turns them by 36 degrees."""
    return _enhance("random_hue", data, a, _hue)


def _same_shape(shapes, dtypes, attrs):
    return [(tuple(shapes[0]), dtypes[0])]


class RandomColorJitterAttrs(Attrs):
    brightness: float
    contrast: float
    saturation: float
    hue: float


@register("_image_random_color_jitter", attrs=RandomColorJitterAttrs, shape_rule=_same_shape)
def random_color_jitter(data, *, a: RandomColorJitterAttrs):
    """Apply brightness, contrast, saturation and hue jitter in a random order.

    Each amount ``v > 0`` draws a factor ``1 + U(-v, v)`` (hue: a shift of ``U(-v, v)``
    turns); amounts of 0 skip that step. Integer images saturate after each step.
    """
    _check_image("random_color_jitter", data, rgb=True)
    amounts = (a.brightness, a.contrast, a.saturation, a.hue)
    if min(amounts) < 0:
        raise _fail("random_color_jitter", "amounts must be >= 0",
                    f"brightness={a.brightness}, contrast={a.contrast}, saturation={a.saturation}, hue={a.hue}")
    steps = (_brightness, _contrast, _saturation, _hue)
    gen = generator(data.device)
    images = data.unsqueeze(0) if data.dim() == 3 else data
    outs = []
    for image in images.unbind(0):
        x = image
        for k in torch.randperm(4, generator=gen, device=data.device).tolist():
            v = amounts[k]
            if v > 0:
                draw = _uniform(data, 1, -v, v)
                x = _saturate(steps[k](_work(x), draw if k == 3 else 1 + draw), data.dtype)
        outs.append(x if x is not image else image.clone())
    out = torch.stack(outs)
    return out if data.dim() == 4 else out[0]


class AdjustLightingAttrs(Attrs):
    alpha: Floats


@register("_image_adjust_lighting", attrs=AdjustLightingAttrs)
def adjust_lighting(data, *, a: AdjustLightingAttrs):
    """Add AlexNet-style PCA lighting noise with the given ``alpha`` (3 values, R, G, B)
    to RGB values in [0, 255]."""
    _check_image("adjust_lighting", data, rgb=True)
    if len(a.alpha) != 3:
        raise _fail("adjust_lighting", "alpha must have 3 values", f"alpha={a.alpha}")
    x = _work(data)
    alpha = torch.tensor(a.alpha, dtype=x.dtype, device=x.device).reshape(1, 3)
    return _saturate(_lighting(x, alpha.expand(_n_images(data), 3)), data.dtype)


class RandomLightingAttrs(Attrs):
    alpha_std: float = 0.05


@register("_image_random_lighting", attrs=RandomLightingAttrs)
def random_lighting(data, *, a: RandomLightingAttrs):
    """PCA lighting noise (AlexNet) with ``alpha ~ N(0, alpha_std)`` per channel and image."""
    _check_image("random_lighting", data, rgb=True)
    if a.alpha_std < 0:
        raise _fail("random_lighting", "alpha_std must be >= 0", f"alpha_std={a.alpha_std}")
    x = _work(data)
    alpha = torch.randn((_n_images(data), 3), generator=generator(data.device), device=data.device) * a.alpha_std
    return _saturate(_lighting(x, alpha), data.dtype)
