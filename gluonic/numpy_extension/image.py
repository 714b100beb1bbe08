"""``npx.image``: the image operators on ``mx.np`` arrays (MXNet's ``_npx__image_*``, the ``_image_*`` ops).

Images are (H, W, C) or batches (N, H, W, C), uint8 or float; ``to_tensor`` turns them
into float32 (C, H, W) in [0, 1]. The random ones draw from gluonic's generator
(``mx.random.seed``). np symbols record nodes, as everywhere in ``npx``.

>>> from gluonic import np, npx
>>> img = np.ones((4, 6, 3), dtype="uint8")
>>> npx.image.to_tensor(img).shape
(3, 4, 6)
"""
from __future__ import annotations

from ._call import run

__all__ = ["to_tensor", "normalize", "resize", "crop", "flip_left_right", "flip_top_bottom",
           "random_flip_left_right", "random_flip_top_bottom", "random_brightness", "random_contrast",
           "random_saturation", "random_hue", "random_color_jitter", "adjust_lighting", "random_lighting"]


def to_tensor(data, out=None, name=None):
    """(H, W, C) or (N, H, W, C) with values in [0, 255] → float32 (C, H, W) / (N, C, H, W) in [0, 1]."""
    return run("_image_to_tensor", [data], out)


def normalize(data, mean=None, std=None, out=None, name=None):
    """``(data - mean) / std`` per channel of a (C, H, W) or (N, C, H, W) tensor (defaults 0 and 1)."""
    return run("_image_normalize", [data], out, mean=mean, std=std)


def resize(data, size=None, keep_ratio=False, interp=1, out=None, name=None):
    """Resize (H, W, C) / (N, H, W, C) images to ``size`` = (width, height) or one int (``keep_ratio``:
    the shorter side). ``interp``: OpenCV's code (1 bilinear)."""
    return run("_image_resize", [data], out, size=size, keep_ratio=keep_ratio, interp=interp)


def crop(data, x=None, y=None, width=None, height=None, out=None, name=None):
    """The ``width`` x ``height`` region with top-left corner (``x``, ``y``) of (H, W, C) / (N, H, W, C) images."""
    return run("_image_crop", [data], out, x=x, y=y, width=width, height=height)


def flip_left_right(data, out=None, name=None):
    """Mirror (H, W, C) / (N, H, W, C) images horizontally."""
    return run("_image_flip_left_right", [data], out)


def flip_top_bottom(data, out=None, name=None):
    """Mirror (H, W, C) / (N, H, W, C) images vertically."""
    return run("_image_flip_top_bottom", [data], out)


def random_flip_left_right(data, out=None, name=None):
    """Mirror horizontally with probability 0.5."""
    return run("_image_random_flip_left_right", [data], out)


def random_flip_top_bottom(data, out=None, name=None):
    """Mirror vertically with probability 0.5."""
    return run("_image_random_flip_top_bottom", [data], out)


def random_brightness(data, min_factor=None, max_factor=None, out=None, name=None):
    """Scale brightness by a factor drawn from [min_factor, max_factor]."""
    return run("_image_random_brightness", [data], out, min_factor=min_factor, max_factor=max_factor)


def random_contrast(data, min_factor=None, max_factor=None, out=None, name=None):
    """Scale contrast by a factor drawn from [min_factor, max_factor]."""
    return run("_image_random_contrast", [data], out, min_factor=min_factor, max_factor=max_factor)


def random_saturation(data, min_factor=None, max_factor=None, out=None, name=None):
    """Scale saturation by a factor drawn from [min_factor, max_factor]."""
    return run("_image_random_saturation", [data], out, min_factor=min_factor, max_factor=max_factor)


def random_hue(data, min_factor=None, max_factor=None, out=None, name=None):
    """Rotate hue by a factor drawn from [min_factor, max_factor]."""
    return run("_image_random_hue", [data], out, min_factor=min_factor, max_factor=max_factor)


def random_color_jitter(data, brightness=None, contrast=None, saturation=None, hue=None, out=None, name=None):
    """Random brightness, contrast, saturation and hue changes (each factor from [1 - v, 1 + v])."""
    return run("_image_random_color_jitter", [data], out, brightness=brightness, contrast=contrast,
               saturation=saturation, hue=hue)


def adjust_lighting(data, alpha=None, out=None, name=None):
    """AlexNet-style PCA lighting noise with the given 3 ``alpha`` weights."""
    return run("_image_adjust_lighting", [data], out, alpha=alpha)


def random_lighting(data, alpha_std=0.05, out=None, name=None):
    """AlexNet-style PCA lighting noise with weights drawn from N(0, alpha_std)."""
    return run("_image_random_lighting", [data], out, alpha_std=alpha_std)
