"""Read, decode, resize and crop images (``mx.image``, MXNet 1.9), on Pillow and NumPy.

Images are ``(H, W, C)`` NDArrays, uint8 after decoding, RGB by default, as in MXNet.
Decoding uses Pillow and gives the pixels MXNet's OpenCV gives (JPEG, PNG); resizing
follows OpenCV's sampling rules (see ``_resize``). Interpolation codes are OpenCV's:
0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 Lanczos, 9 auto (bicubic to enlarge, area to
shrink, bilinear otherwise), 10 random. Random functions draw from Python's ``random``
module, in the same order as MXNet, so ``random.seed(s)`` gives MXNet's crops.

>>> import numpy as np, gluonic as mx
>>> img = mx.nd.array(np.arange(48 * 64 * 3).reshape(48, 64, 3) % 256, dtype='uint8')
>>> mx.image.resize_short(img, 24).shape
(24, 32, 3)
>>> crop, rect = mx.image.center_crop(img, (32, 32))
>>> crop.shape, rect
((32, 32, 3), (16, 8, 32, 32))
"""
from __future__ import annotations

import os
import random
from numbers import Number

import numpy as np
import torch

from .. import ndarray as nd
from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..context import current_context
from ..ndarray.ndarray import NDArray, from_torch, in_mode
from . import _codec, _resize

__all__ = [
    "imread",
    "imdecode",
    "imresize",
    "scale_down",
    "copyMakeBorder",
    "resize_short",
    "fixed_crop",
    "random_crop",
    "center_crop",
    "color_normalize",
    "random_size_crop",
    "imrotate",
    "random_rotate",
    "ImageFileError",
]


class ImageFileError(MXNetError, OSError):
    """An image file could not be opened."""


def _to_nd(arr: np.ndarray, ctx=None, out: NDArray | None = None) -> NDArray:
    arr = np.ascontiguousarray(arr)
    if not arr.flags.writeable:
        arr = arr.copy()
    tensor = torch.from_numpy(arr)
    if out is not None:
        if tuple(out.shape) != arr.shape:
            raise GluonicValueError(f"mx.image: out has the wrong shape. Received: out {out.shape}, "
                                    f"result {arr.shape}")
        out[:] = from_torch(tensor, out.context)
        return out
    return in_mode(from_torch(tensor, ctx or current_context()))  # mx.np.ndarray in NumPy mode


def _as_numpy(src, where: str) -> np.ndarray:
    if isinstance(src, NDArray):
        return src.asnumpy()
    if isinstance(src, np.ndarray):
        return src
    raise GluonicTypeError(f"{where}: src must be an NDArray (H, W, C). Received: {type(src).__name__}")


def imread(filename, flag: int = 1, to_rgb: bool = True, out: NDArray | None = None) -> NDArray:
    """Read and decode an image file (MXNet: ``mx.image.imread``).

    Parameters
    ----------
    filename : str
        Path of the image.
    flag : {0, 1}, default 1
        1: three-channel color output, 0: one-channel grayscale output.
    to_rgb : bool, default True
        RGB channel order (MXNet's default); False gives OpenCV's BGR.
    out : NDArray, optional
        Where to write the result.

    Returns
    -------
    NDArray
        ``(H, W, 3)`` or ``(H, W, 1)`` uint8.
    """
    try:
        with open(os.fspath(filename), "rb") as f:
            buf = f.read()
    except OSError as e:
        raise ImageFileError(f"mx.image.imread: cannot open '{filename}'. Received: {e.strerror or e}") from e
    return _to_nd(_codec.decode(buf, flag, bool(to_rgb), where=f"imread('{filename}')"), out=out)


def imdecode(buf, flag: int = 1, to_rgb: bool = True, out: NDArray | None = None) -> NDArray:
    """Decode an encoded image (JPEG, PNG, ...) to an NDArray (MXNet: ``mx.image.imdecode``).

    Parameters
    ----------
    buf : bytes, bytearray, numpy.ndarray or NDArray (uint8)
        The encoded image.
    flag : {0, 1}, default 1
        1: ``(H, W, 3)`` color, 0: ``(H, W, 1)`` grayscale.
    to_rgb : bool, default True
        RGB order (False: BGR, OpenCV's order).
    out : NDArray, optional
        Where to write the result.

    Raises ``GluonicValueError`` for data that is not a decodable image.
    """
    if isinstance(buf, NDArray):
        buf = buf.asnumpy().astype(np.uint8)
    elif not isinstance(buf, (bytes, bytearray, np.ndarray)):
        raise GluonicTypeError("mx.image.imdecode: buf must be of type bytes, bytearray or numpy.ndarray "
                               f"(encode a str to bytes first). Received: {type(buf).__name__}")
    return _to_nd(_codec.decode(buf, flag, bool(to_rgb)), out=out)


def _interp(interp: int, sizes=()) -> int:
    """Resolve codes 9 (auto) and 10 (random) to 0-4, as MXNet's ``_get_interp_method``."""
    if interp == 9:
        if sizes:
            oh, ow, nh, nw = sizes
            if nh > oh and nw > ow:
                return 2
            if nh < oh and nw < ow:
                return 3
            return 1
        return 2
    if interp == 10:
        return random.randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise GluonicValueError(f"mx.image: unknown interpolation method; use 0-4, 9 or 10. Received: {interp}")
    return interp


def imresize(src: NDArray, w: int, h: int, interp: int = 1, out: NDArray | None = None) -> NDArray:
    """Resize an ``(H, W, C)`` image to ``(h, w, C)`` (MXNet: ``mx.image.imresize``).

    ``interp``: 0 nearest, 1 bilinear (default), 2 bicubic, 3 area, 4 Lanczos. Results
    match MXNet's OpenCV resize (bicubic may differ by 1 in a few pixels). Keeps the dtype.
    """
    arr = _as_numpy(src, "mx.image.imresize")
    w, h = int(w), int(h)
    if w <= 0 or h <= 0:
        raise GluonicValueError(f"mx.image.imresize: the size must be positive. Received: w={w}, h={h}")
    if arr.ndim not in (2, 3):
        raise GluonicValueError(f"mx.image.imresize: src must be (H, W, C). Received: shape {arr.shape}")
    interp = _interp(interp, (arr.shape[0], arr.shape[1], h, w))
    squeeze = arr.ndim == 2
    res = _resize.resize(arr[..., None] if squeeze else arr, w, h, interp)
    return _to_nd(res[..., 0] if squeeze else res, getattr(src, "context", None), out)


def scale_down(src_size, size) -> tuple[int, int]:
    """Shrink the crop ``size`` (w, h) to fit in ``src_size`` (w, h), keeping its aspect ratio.

    >>> scale_down((640, 480), (720, 120))
    (640, 106)
    """
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


_BORDER_MODES = {0: "constant", 1: "symmetric", 2: "reflect", 3: "edge", 4: "wrap"}


def copyMakeBorder(src: NDArray, top: int, bot: int, left: int, right: int, type: int = 0,  # noqa: A002
                   value: float = 0.0, values=(), out: NDArray | None = None) -> NDArray:
    """Pad an image's borders (MXNet: ``mx.image.copyMakeBorder``).

    ``type``: 0 constant (``values`` per channel, or ``value``), 1 reflect (``fedcba|abc``),
    2 reflect-101 (``gfedcb|abc``), 3 replicate, 4 wrap.
    """
    arr = _as_numpy(src, "mx.image.copyMakeBorder")
    if type not in _BORDER_MODES:
        raise GluonicValueError(f"mx.image.copyMakeBorder: type must be 0-4. Received: {type}")
    pad = [(top, bot), (left, right)] + [(0, 0)] * (arr.ndim - 2)
    if type == 0:
        res = np.empty((arr.shape[0] + top + bot, arr.shape[1] + left + right) + arr.shape[2:], dtype=arr.dtype)
        fill = np.zeros(arr.shape[2:] or (1,), dtype=np.float64) + value
        if len(values):
            fill[: len(values)] = values[: fill.shape[0]]
        res[...] = fill.astype(arr.dtype).reshape(arr.shape[2:])
        res[top:top + arr.shape[0], left:left + arr.shape[1]] = arr
    else:
        res = np.pad(arr, pad, mode=_BORDER_MODES[type])
    return _to_nd(res, getattr(src, "context", None), out)


def resize_short(src: NDArray, size: int, interp: int = 2) -> NDArray:
    """Resize so that the shorter edge is ``size``, keeping the aspect ratio (MXNet: ``mx.image.resize_short``).

    The longer edge becomes ``size * long // short`` (floor, as MXNet).
    """
    h, w = src.shape[0], src.shape[1]
    if h > w:
        new_h, new_w = size * h // w, size
    else:
        new_h, new_w = size, size * w // h
    return imresize(src, new_w, new_h, interp=_interp(interp, (h, w, new_h, new_w)))


def fixed_crop(src: NDArray, x0: int, y0: int, w: int, h: int, size=None, interp: int = 2) -> NDArray:
    """Crop ``src[y0:y0+h, x0:x0+w]``, then resize to ``size`` (w, h) if given (MXNet: ``mx.image.fixed_crop``)."""
    out = src[y0:y0 + h, x0:x0 + w]
    if size is not None and (w, h) != tuple(size):
        sizes = (h, w, size[1], size[0])
        out = imresize(out, *size, interp=_interp(interp, sizes))
    return out


def random_crop(src: NDArray, size, interp: int = 2) -> tuple[NDArray, tuple]:
    """Crop a random ``size`` (w, h) region (MXNet: ``mx.image.random_crop``).

    A crop larger than the image is scaled down to fit (``scale_down``), then the result
    is resized to ``size``. Returns the crop and ``(x0, y0, w, h)`` in the source.
    """
    h, w = src.shape[0], src.shape[1]
    new_w, new_h = scale_down((w, h), size)
    x0 = random.randint(0, w - new_w)
    y0 = random.randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def center_crop(src: NDArray, size, interp: int = 2) -> tuple[NDArray, tuple]:
    """Crop the central ``size`` (w, h) region (MXNet: ``mx.image.center_crop``).

    Returns the crop (resized to ``size`` if the image was smaller) and ``(x0, y0, w, h)``.
    """
    h, w = src.shape[0], src.shape[1]
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src: NDArray, mean, std=None) -> NDArray:
    """``(src - mean) / std``, in place on ``src`` as in MXNet (MXNet: ``mx.image.color_normalize``).

    NDArray ``mean``/``std`` are used on ``src``'s context (an augmenter built under one
    default context still works on images decoded to the CPU)."""
    if mean is not None:
        src -= mean.as_in_context(src.context) if isinstance(mean, NDArray) else mean
    if std is not None:
        src /= std.as_in_context(src.context) if isinstance(std, NDArray) else std
    return src


def random_size_crop(src: NDArray, size, area, ratio, interp: int = 2, **kwargs) -> tuple[NDArray, tuple]:
    """Crop a region of random area and aspect ratio, resized to ``size`` (MXNet: ``mx.image.random_size_crop``).

    ``area``: minimum fraction of the image area (float) or a ``(min, max)`` range;
    ``ratio``: ``(min, max)`` aspect ratio (w/h), sampled log-uniformly. Falls back to
    ``center_crop`` after 10 failed draws.
    """
    h, w = src.shape[0], src.shape[1]
    src_area = h * w
    if "min_area" in kwargs:
        area = kwargs.pop("min_area")
    if kwargs:
        raise GluonicTypeError(f"random_size_crop: unexpected keyword arguments. Received: {sorted(kwargs)}")
    if isinstance(area, Number):
        area = (area, 1.0)
    for _ in range(10):
        target_area = random.uniform(area[0], area[1]) * src_area
        log_ratio = (np.log(ratio[0]), np.log(ratio[1]))
        new_ratio = np.exp(random.uniform(*log_ratio))
        new_w = int(round(np.sqrt(target_area * new_ratio)))
        new_h = int(round(np.sqrt(target_area / new_ratio)))
        if new_w <= w and new_h <= h:
            x0 = random.randint(0, w - new_w)
            y0 = random.randint(0, h - new_h)
            return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def imrotate(src: NDArray, rotation_degrees, zoom_in: bool = False, zoom_out: bool = False) -> NDArray:
    """Rotate float32 ``(C, H, W)`` image(s) or an ``(N, C, H, W)`` batch about the centre (MXNet: ``mx.image.imrotate``).

    ``rotation_degrees``: a number, or one angle per image (NDArray or sequence) for a
    batch. ``zoom_in`` scales so no padding shows; ``zoom_out`` so the whole image fits.
    Bilinear sampling; outside pixels are 0. (One implementation, shared with
    ``gluon.data.vision.transforms.Rotate``.)
    """
    from ..gluon.data.vision.transforms.geometry import imrotate as _imrotate

    return _imrotate(src, rotation_degrees, zoom_in, zoom_out)


def random_rotate(src: NDArray, angle_limits, zoom_in: bool = False, zoom_out: bool = False) -> NDArray:
    """Rotate by angle(s) drawn uniformly from ``angle_limits`` with ``np.random`` (MXNet: ``mx.image.random_rotate``)."""
    if src.ndim == 3:
        degrees = np.random.uniform(*angle_limits)
    else:
        degrees = nd.array(np.random.uniform(*angle_limits, size=src.shape[0]))
    return imrotate(src, degrees, zoom_in=zoom_in, zoom_out=zoom_out)
