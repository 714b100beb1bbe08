"""Composition and tensor conversion: ``Compose``, ``HybridCompose``, ``RandomApply``,
``Cast``, ``ToTensor``, ``Normalize``."""
from __future__ import annotations

from .....base import GluonicValueError
from ....block import HybridBlock
from ....nn import HybridSequential, Sequential
from ._random import draw_uniform

__all__ = ["Compose", "HybridCompose", "RandomApply", "Cast", "ToTensor", "Normalize"]


class Compose(Sequential):
    """Apply a list of transforms one after the other.

    Consecutive HybridBlocks are grouped into a hybridized ``HybridSequential``, as in
    MXNet (a single one is added as is).

    Parameters
    ----------
    transforms : list of Blocks
        The transforms, applied in order. The list is not modified.

    Inputs: the input of the first transform. Output: the output of the last one.

    Example
    -------
    >>> from gluonic.gluon.data.vision import transforms
    >>> t = transforms.Compose([transforms.Resize(32), transforms.ToTensor()])
    >>> t(mx.nd.zeros((64, 48, 3), dtype='uint8')).shape
    (3, 32, 32)
    """

    def __init__(self, transforms):
        super().__init__()
        run: list[HybridBlock] = []
        for t in [*transforms, None]:
            if isinstance(t, HybridBlock):
                run.append(t)
                continue
            if len(run) == 1:
                self.add(run[0])
            elif len(run) > 1:
                group = HybridSequential()
                group.add(*run)
                group.hybridize()
                self.add(group)
            run = []
            if t is not None:
                self.add(t)


class HybridCompose(HybridSequential):
    """Compose HybridBlock transforms into one hybridized block (MXNet 2's ``HybridCompose``).

    Raises
    ------
    ValueError
        A transform is not a HybridBlock (use :class:`Compose` for those).
    """

    def __init__(self, transforms):
        super().__init__()
        for t in transforms:
            if not isinstance(t, HybridBlock):
                raise GluonicValueError(
                    f"HybridCompose: every transform must be a HybridBlock; use Compose for the others. "
                    f"Received: {type(t).__name__}")
            self.add(t)
        self.hybridize()


class RandomApply(Sequential):
    """Apply ``transforms`` with probability ``p``, else return the input unchanged.

    Parameters
    ----------
    transforms : Block
        The transform (a Compose for several).
    p : float, default 0.5
        Probability of applying it (drawn from ``mx.random``'s generator).
    """

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, x):
        if self.p < draw_uniform(x):
            return x
        return self.transforms(x)


class Cast(HybridBlock):
    """Cast the input to ``dtype``.

    Inputs: ``data`` of any shape and dtype. Output: same shape, dtype ``dtype``.

    >>> from gluonic.gluon.data.vision import transforms
    >>> transforms.Cast('float16')(mx.nd.ones((2,), dtype='uint8')).dtype
    <class 'numpy.float16'>
    """

    def __init__(self, dtype="float32"):
        super().__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        return F.cast(x, self._dtype)


class ToTensor(HybridBlock):
    """Convert an image ``(H, W, C)`` (or batch ``(N, H, W, C)``) with values in [0, 255]
    to a float32 tensor ``(C, H, W)`` (``(N, C, H, W)``) with values in [0, 1].

    >>> from gluonic.gluon.data.vision import transforms
    >>> transforms.ToTensor()(mx.nd.zeros((4, 2, 3), dtype='uint8')).shape
    (3, 4, 2)
    """

    def __init__(self):
        super().__init__()

    def hybrid_forward(self, F, x):
        return F._internal._image_to_tensor(x)


class Normalize(HybridBlock):
    """Normalize a tensor ``(C, H, W)`` or ``(N, C, H, W)`` per channel:
    ``out[c] = (x[c] - mean[c]) / std[c]``.

    Parameters
    ----------
    mean : float or tuple of floats, default 0.0
        One value for every channel, or one per channel.
    std : float or tuple of floats, default 1.0

    >>> from gluonic.gluon.data.vision import transforms
    >>> t = transforms.Normalize(mean=(0, 1, 2), std=(1, 2, 4))
    >>> t(mx.nd.ones((3, 1, 1))).asnumpy().ravel().tolist()
    [1.0, 0.0, -0.25]
    """

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean = mean
        self._std = std

    def hybrid_forward(self, F, x):
        return F._internal._image_normalize(x, mean=self._mean, std=self._std)

