"""Colour transforms on RGB images ``(H, W, C)`` with values in [0, 255] (1 or 3 channels;
a batch ``(N, H, W, C)`` draws for each image on its own).

uint8 images stay uint8 (results clipped to 0-255 and truncated, as MXNet does); float
images are not clipped. Draws come from ``mx.random`` (seed with ``mx.random.seed``).
"""
from __future__ import annotations

from ....block import HybridBlock

__all__ = ["RandomBrightness", "RandomContrast", "RandomSaturation", "RandomHue", "RandomColorJitter",
           "RandomLighting", "RandomGray"]


class _RandomEnhance(HybridBlock):
    _op = ""

    def __init__(self, amount):
        super().__init__()
        self._args = (max(0, 1 - amount), 1 + amount)

    def hybrid_forward(self, F, x):
        return getattr(F._internal, self._op)(x, min_factor=self._args[0], max_factor=self._args[1])


class RandomBrightness(_RandomEnhance):
    """Scale the pixels by a factor drawn from ``[max(0, 1 - brightness), 1 + brightness]``.

    >>> from gluonic.gluon.data.vision import transforms
    >>> transforms.RandomBrightness(0.0)(mx.nd.full((1, 1, 3), 10)).asnumpy().ravel().tolist()
    [10.0, 10.0, 10.0]
    """

    _op = "_image_random_brightness"

    def __init__(self, brightness):
        super().__init__(brightness)


class RandomContrast(_RandomEnhance):
    """Blend with the mean gray level, ``x * f + (1 - f) * mean(gray)``, ``f`` drawn from
    ``[max(0, 1 - contrast), 1 + contrast]``."""

    _op = "_image_random_contrast"

    def __init__(self, contrast):
        super().__init__(contrast)


class RandomSaturation(_RandomEnhance):
    """Blend each pixel with its gray level, ``x * f + (1 - f) * gray``, ``f`` drawn from
    ``[max(0, 1 - saturation), 1 + saturation]`` (gray = 0.299 R + 0.587 G + 0.114 B;
    MXNet 1.9 used 0.114 B alone, a bug)."""

    _op = "_image_random_saturation"

    def __init__(self, saturation):
        super().__init__(saturation)


class RandomHue(_RandomEnhance):
    """Turn the hue by ``(f - 1) * 360`` degrees, ``f`` drawn from ``[max(0, 1 - hue), 1 + hue]``."""

    _op = "_image_random_hue"

    def __init__(self, hue):
        super().__init__(hue)


class RandomColorJitter(HybridBlock):
    """Jitter brightness, contrast, saturation and hue (amounts as in the single
    transforms; 0 skips one), applied in a random order.

    Parameters
    ----------
    brightness, contrast, saturation, hue : float, default 0
    """

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self._args = (brightness, contrast, saturation, hue)

    def hybrid_forward(self, F, x):
        b, c, s, h = self._args
        return F._internal._image_random_color_jitter(x, brightness=b, contrast=c, saturation=s, hue=h)


class RandomLighting(HybridBlock):
    """Add AlexNet-style PCA lighting noise with strength ``alpha`` (the standard deviation
    of the per-channel coefficients)."""

    def __init__(self, alpha):
        super().__init__()
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F._internal._image_random_lighting(x, alpha_std=self._alpha)


class RandomGray(HybridBlock):
    """Convert to gray with probability ``p`` (MXNet 2's ``RandomGray``).

    Inputs: RGB ``(H, W, 3)`` or ``(N, H, W, 3)``. The output is float32 of the same
    shape; each channel of a grayed image holds ``0.2989 R + 0.587 G + 0.114 B`` (MXNet 2
    filled the channels with differently weighted sums, a bug). One draw per call (a
    batch is grayed or kept as a whole).
    """

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def hybrid_forward(self, F, x):
        x = F.cast(x, "float32")
        r = F.slice_axis(x, axis=-1, begin=0, end=1)
        g = F.slice_axis(x, axis=-1, begin=1, end=2)
        b = F.slice_axis(x, axis=-1, begin=2, end=3)
        gray = F.broadcast_like(r * 0.2989 + g * 0.587 + b * 0.114, x)
        # one U(0, 1) draw of shape (1,), on the input's device
        keep = F._internal._random_uniform_like(F.sum(r), low=0.0, high=1.0) > self.p
        return F.broadcast_add(F.broadcast_mul(keep, x), F.broadcast_mul(1 - keep, gray))
