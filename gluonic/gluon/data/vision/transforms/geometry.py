"""Geometric transforms: resizing, cropping, flipping and rotating images.

Images are ``(H, W, C)`` NDArrays (or ``(N, H, W, C)`` batches, where noted), except
``Rotate``/``RandomRotation`` which take float32 tensors ``(C, H, W)`` / ``(N, C, H, W)``
as MXNet's do. ``interpolation`` codes are OpenCV's: 0 nearest, 1 bilinear, 2 bicubic,
3 area, 4 Lanczos; the crops also take 9 (area to shrink, bicubic to enlarge, else
bilinear) and 10 (one of 0-4 at random), as MXNet's ``mx.image`` helpers do.
"""
from __future__ import annotations

import math
from numbers import Number

import numpy as np
import torch

from ..... import ndarray as nd
from .....base import GluonicTypeError, GluonicValueError
from .....ndarray.ndarray import NDArray, from_torch
from ....block import Block, HybridBlock
from ._random import draw_int, draw_uniform

__all__ = ["Resize", "CenterCrop", "CropResize", "RandomResizedCrop", "RandomCrop", "RandomFlipLeftRight",
           "RandomFlipTopBottom", "Rotate", "RandomRotation"]


def _pair(size) -> tuple[int, int]:
    return (size, size) if isinstance(size, Number) else tuple(size)


def _hw(x: NDArray, what: str) -> tuple[int, int]:
    if x.ndim not in (3, 4):
        raise GluonicValueError(f"{what}: expected an image (H, W, C) or a batch (N, H, W, C). Received: shape {x.shape}")
    return x.shape[-3], x.shape[-2]


def _interp_method(interp: int, x, sizes: tuple[int, int, int, int]) -> int:
    """Resolve MXNet's automatic (9) and random (10) interpolation codes for (oh, ow, nh, nw)."""
    if interp == 9:
        oh, ow, nh, nw = sizes
        if nh > oh and nw > ow:
            return 2
        if nh < oh and nw < ow:
            return 3
        return 1
    if interp == 10:
        return draw_int(x, 0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise GluonicValueError(f"Unknown interpolation method. Received: interp={interp}")
    return interp


def _scale_down(src_size: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """Largest ``(w, h)`` of ``size``'s aspect ratio that fits in ``src_size`` (unchanged if it fits)."""
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def fixed_crop(x: NDArray, x0: int, y0: int, w: int, h: int, size=None, interp: int = 1) -> NDArray:
    """Crop ``w x h`` at ``(x0, y0)``, then resize to ``size = (w, h)`` if given and different."""
    out = nd._internal._image_crop(x, x=x0, y=y0, width=w, height=h)
    if size is not None and (w, h) != tuple(size):
        method = _interp_method(interp, x, (h, w, size[1], size[0]))
        out = nd._internal._image_resize(out, size=tuple(size), interp=method)
    return out


def center_crop(x: NDArray, size, interp: int = 1) -> NDArray:
    """Crop the centre of ``x`` to ``size = (w, h)``, shrinking the crop to fit and resizing."""
    h, w = _hw(x, "CenterCrop")
    new_w, new_h = _scale_down((w, h), size)
    x0, y0 = int((w - new_w) / 2), int((h - new_h) / 2)
    return fixed_crop(x, x0, y0, new_w, new_h, size, interp)


class Resize(HybridBlock):
    """Resize an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` to ``size``.

    Parameters
    ----------
    size : int or tuple of (W, H)
        The output size. One int: a square, or with ``keep_ratio`` the short edge.
    keep_ratio : bool, default False
        With an int ``size``, resize the short edge to ``size`` and keep the aspect ratio.
    interpolation : int, default 1
        OpenCV code (module docstring).

    >>> from gluonic.gluon.data.vision import transforms
    >>> transforms.Resize((100, 50))(mx.nd.zeros((224, 224, 3), dtype='uint8')).shape
    (50, 100, 3)
    """

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._keep = keep_ratio
        self._size = size
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        return F._internal._image_resize(x, size=self._size, keep_ratio=self._keep, interp=self._interpolation)


class CropResize(HybridBlock):
    """Crop the area ``width x height`` at ``(x, y)``, then optionally resize it to ``size``.

    Inputs: ``(H, W, C)`` or ``(N, H, W, C)``. ``interpolation`` None means bilinear.

    >>> from gluonic.gluon.data.vision import transforms
    >>> t = transforms.CropResize(x=0, y=0, width=100, height=100, size=(50, 50))
    >>> t(mx.nd.zeros((224, 224, 3), dtype='uint8')).shape
    (50, 50, 3)
    """

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super().__init__()
        self._x = x
        self._y = y
        self._width = width
        self._height = height
        self._size = size
        self._interpolation = interpolation

    def hybrid_forward(self, F, x):
        out = F._internal._image_crop(x, x=self._x, y=self._y, width=self._width, height=self._height)
        if self._size:
            interp = 1 if self._interpolation is None else self._interpolation
            out = F._internal._image_resize(out, size=self._size, keep_ratio=False, interp=interp)
        return out


class CenterCrop(Block):
    """Crop the centre of an image to ``size``; a crop larger than the image is shrunk to
    the largest one of the same aspect ratio that fits, then resized up to ``size``.

    Parameters
    ----------
    size : int or tuple of (W, H)
    interpolation : int, default 1

    Inputs: ``(H, W, C)`` or ``(N, H, W, C)``. Output: ``(size[1], size[0], C)``.

    >>> from gluonic.gluon.data.vision import transforms
    >>> transforms.CenterCrop((100, 50))(mx.nd.zeros((232, 348, 3), dtype='uint8')).shape
    (50, 100, 3)
    """

    def __init__(self, size, interpolation=1):
        super().__init__()
        self._args = (_pair(size), interpolation)

    def forward(self, x):
        return center_crop(x, *self._args)


class RandomResizedCrop(Block):
    """Crop a random area (fraction ``scale`` of the image, aspect ratio in ``ratio``) and
    resize it to ``size``; after 10 failed draws, a centre crop.

    Parameters
    ----------
    size : int or tuple of (W, H)
    scale : tuple of two floats, default (0.08, 1.0)
        Range of the cropped area, as a fraction of the image area.
    ratio : tuple of two floats, default (3/4, 4/3)
        Range of the crop's aspect ratio (width / height), drawn log-uniformly.
    interpolation : int, default 1

    Inputs: ``(H, W, C)`` (or a batch, cropped alike). Draws come from ``mx.random``.
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0), interpolation=1):
        super().__init__()
        self._args = (_pair(size), scale, ratio, interpolation)

    def forward(self, x):
        size, area, ratio, interp = self._args
        h, w = _hw(x, "RandomResizedCrop")
        if isinstance(area, Number):
            area = (area, 1.0)
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = draw_uniform(x, area[0], area[1]) * h * w
            new_ratio = math.exp(draw_uniform(x, *log_ratio))
            new_w = int(round(math.sqrt(target_area * new_ratio)))
            new_h = int(round(math.sqrt(target_area / new_ratio)))
            if 0 < new_w <= w and 0 < new_h <= h:
                x0 = draw_int(x, 0, w - new_w)
                y0 = draw_int(x, 0, h - new_h)
                return fixed_crop(x, x0, y0, new_w, new_h, size, interp)
        return center_crop(x, size, interp)


class RandomCrop(Block):
    """Crop a random ``size`` area, after optional padding (MXNet 2's ``RandomCrop``).

    An image smaller than ``size`` gives the largest crop of that aspect ratio, resized up.

    Parameters
    ----------
    size : int or tuple of (W, H)
    pad : int or tuple of 4 ints, optional
        Padding added before cropping: an int pads all four sides; a tuple is
        ``(top, bottom, left, right)``.
    pad_value : int, default 0
    interpolation : int, default 1

    Inputs: ``(H, W, C)`` or ``(N, H, W, C)``. Output: ``(size[1], size[0], C)``.

    >>> from gluonic.gluon.data.vision import transforms
    >>> transforms.RandomCrop(32, pad=4)(mx.nd.zeros((32, 32, 3), dtype='uint8')).shape
    (32, 32, 3)
    """

    def __init__(self, size, pad=None, pad_value=0, interpolation=1):
        super().__init__()
        self._size = _pair(size)
        if isinstance(pad, Number):
            pad = (pad, pad, pad, pad)
        elif pad is not None:
            pad = tuple(pad)
            if len(pad) != 4 or min(pad) < 0:
                raise GluonicValueError(f"RandomCrop: pad must be an int or (top, bottom, left, right) >= 0. "
                                        f"Received: pad={pad}")
        self._pad = pad
        self._pad_value = pad_value
        self._interpolation = interpolation

    def forward(self, x):
        _hw(x, "RandomCrop")
        if self._pad:
            top, bottom, left, right = self._pad
            t = x.as_torch()
            t = torch.nn.functional.pad(t.movedim(-1, -3), (left, right, top, bottom), value=self._pad_value)
            x = from_torch(t.movedim(-3, -1).contiguous(), x.context)
        h, w = x.shape[-3], x.shape[-2]
        new_w, new_h = _scale_down((w, h), self._size)
        x0 = draw_int(x, 0, w - new_w)
        y0 = draw_int(x, 0, h - new_h)
        return fixed_crop(x, x0, y0, new_w, new_h, self._size, self._interpolation)


class _RandomFlip(HybridBlock):
    _op = ""
    _always = ""

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def hybrid_forward(self, F, x):
        if self.p <= 0:
            return F.identity(x)
        if self.p >= 1:
            return getattr(F._internal, self._always)(x)
        return getattr(F._internal, self._op)(x, p=self.p)


class RandomFlipLeftRight(_RandomFlip):
    """Mirror an image ``(H, W, C)`` horizontally with probability ``p`` (default 0.5).

    A batch ``(N, H, W, C)`` flips each image on its own (MXNet accepts only 3-D input).
    """

    _op = "_image_random_flip_left_right"
    _always = "_image_flip_left_right"


class RandomFlipTopBottom(_RandomFlip):
    """Mirror an image ``(H, W, C)`` vertically with probability ``p`` (default 0.5)."""

    _op = "_image_random_flip_top_bottom"
    _always = "_image_flip_top_bottom"


def imrotate(src: NDArray, rotation_degrees, zoom_in: bool = False, zoom_out: bool = False) -> NDArray:
    """Rotate float32 ``(C, H, W)`` or ``(N, C, H, W)`` images counter-clockwise about their
    centre (bilinear, zeros outside), as ``mx.image.imrotate``.

    ``rotation_degrees``: a number, or for a batch one angle per image. ``zoom_in`` scales
    so that no padding shows; ``zoom_out`` so that the whole image stays visible.
    """
    if zoom_in and zoom_out:
        raise GluonicValueError("imrotate: zoom_in and zoom_out cannot both be True. Received: both True")
    if src.dtype != np.float32:
        raise GluonicTypeError(f"imrotate: only float32 images are supported; apply it after ToTensor. "
                               f"Received: {np.dtype(src.dtype).name}")
    t = src.as_torch()
    single = t.dim() == 3
    if single:
        if not isinstance(rotation_degrees, Number):
            raise GluonicTypeError("imrotate: a single image needs one scalar angle. "
                                   f"Received: {type(rotation_degrees).__name__}")
        t = t.unsqueeze(0)
    elif t.dim() != 4:
        raise GluonicValueError(f"imrotate: expected (C, H, W) or (N, C, H, W). Received: shape {src.shape}")
    n, _, h, w = t.shape
    if h < 2 or w < 2:
        raise GluonicValueError(f"imrotate: the image must be at least 2x2. Received: shape {src.shape}")
    if isinstance(rotation_degrees, Number):
        angles = torch.full((n,), float(rotation_degrees), dtype=torch.float32)
    else:
        angles = torch.as_tensor(np.asarray(rotation_degrees.asnumpy() if isinstance(rotation_degrees, NDArray)
                                            else rotation_degrees, dtype=np.float32)).reshape(-1)
        if angles.numel() != n:
            raise GluonicValueError(f"imrotate: one angle per image is needed. Received: {angles.numel()} angles "
                                    f"for {n} images")
    rad = (angles * (math.pi / 180)).to(t.device).reshape(n, 1, 1)
    hs, ws = (h - 1) / 2, (w - 1) / 2
    ys = (torch.arange(h, dtype=torch.float32, device=t.device) - hs).reshape(1, h, 1)
    xs = (torch.arange(w, dtype=torch.float32, device=t.device) - ws).reshape(1, 1, w)
    cos, sin = torch.cos(rad), torch.sin(rad)
    gx = (xs * cos - ys * sin) / ws
    gy = (xs * sin + ys * cos) / hs
    if zoom_in or zoom_out:
        rho, corner = math.hypot(h, w), math.atan(h / w)
        turn = rad.abs()
        max_x = torch.maximum((rho * torch.cos(corner + turn)).abs(), (rho * torch.cos(corner - turn)).abs())
        max_y = torch.maximum((rho * torch.sin(corner + turn)).abs(), (rho * torch.sin(corner - turn)).abs())
        if zoom_out:
            scale = torch.maximum(max_x / w, max_y / h)
        else:
            scale = torch.minimum(w / max_x, h / max_y)
        gx, gy = gx * scale, gy * scale
    grid = torch.stack([gx, gy], dim=-1)
    out = torch.nn.functional.grid_sample(t, grid.to(t.dtype), mode="bilinear", padding_mode="zeros",
                                          align_corners=True)
    return from_torch(out[0] if single else out, src.context)


class Rotate(Block):
    """Rotate a float32 tensor ``(C, H, W)`` or ``(N, C, H, W)`` by ``rotation_degrees``
    (counter-clockwise), keeping its shape; see :func:`imrotate` for ``zoom_in``/``zoom_out``.

    Raises
    ------
    TypeError
        The input is not float32 (apply it after ``ToTensor``).
    """

    def __init__(self, rotation_degrees, zoom_in=False, zoom_out=False):
        super().__init__()
        self._args = (rotation_degrees, zoom_in, zoom_out)

    def forward(self, x):
        return imrotate(x, *self._args)


class RandomRotation(Block):
    """Rotate a float32 tensor ``(C, H, W)`` or ``(N, C, H, W)`` by an angle drawn from
    U(angle_limits), with probability ``rotate_with_proba`` (each image of a batch gets
    its own angle).

    Parameters
    ----------
    angle_limits : tuple of 2 floats
        ``(lower, upper)`` in degrees, ``lower < upper``.
    zoom_in, zoom_out : bool, default False
    rotate_with_proba : float, default 1.0
    """

    def __init__(self, angle_limits, zoom_in=False, zoom_out=False, rotate_with_proba=1.0):
        super().__init__()
        lower, upper = angle_limits
        if lower >= upper:
            raise GluonicValueError(f"RandomRotation: angle_limits must be an ordered tuple (lower < upper). "
                                    f"Received: {angle_limits}")
        if not 0 <= rotate_with_proba <= 1:
            raise GluonicValueError(f"RandomRotation: rotate_with_proba must be in [0, 1]. "
                                    f"Received: {rotate_with_proba}")
        self._args = (angle_limits, zoom_in, zoom_out)
        self._rotate_with_proba = rotate_with_proba

    def forward(self, x):
        if draw_uniform(x) > self._rotate_with_proba:
            return x
        (lower, upper), zoom_in, zoom_out = self._args
        if x.ndim == 3:
            angle = draw_uniform(x, lower, upper)
        else:
            angle = draw_uniform(x, lower, upper, n=x.shape[0])
        return imrotate(x, angle, zoom_in, zoom_out)
