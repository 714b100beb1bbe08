"""``gluon.data.vision.transforms``: image transforms as Blocks (MXNet 1.9, plus MXNet 2's
``HybridCompose``, ``RandomCrop``, ``RandomGray`` and the flips' ``p``).

Deterministic and colour transforms are HybridBlocks over the ``nd.image`` operators
(``ToTensor``, ``Normalize``, ``Resize``, ``CropResize``, the flips, the colour jitters);
those that choose crops or angles in Python are Blocks (``CenterCrop``,
``RandomResizedCrop``, ``RandomCrop``, ``Rotate``, ``RandomRotation``). Random
decisions use ``mx.random``'s generators, so ``mx.random.seed`` reproduces them.

Example
-------
>>> from gluonic.gluon.data.vision import transforms
>>> t = transforms.Compose([transforms.Resize(40), transforms.CenterCrop(32),
...                         transforms.ToTensor(), transforms.Normalize(0.5, 0.25)])
>>> t(mx.nd.zeros((50, 60, 3), dtype='uint8')).shape
(3, 32, 32)
"""
from .basic import Cast, Compose, HybridCompose, Normalize, RandomApply, ToTensor
from .color import (
    RandomBrightness,
    RandomColorJitter,
    RandomContrast,
    RandomGray,
    RandomHue,
    RandomLighting,
    RandomSaturation,
)
from .geometry import (
    CenterCrop,
    CropResize,
    RandomCrop,
    RandomFlipLeftRight,
    RandomFlipTopBottom,
    RandomResizedCrop,
    RandomRotation,
    Resize,
    Rotate,
)

__all__ = ["Compose", "HybridCompose", "RandomApply", "Cast", "ToTensor", "Normalize", "Resize", "CenterCrop",
           "CropResize", "RandomResizedCrop", "RandomCrop", "RandomFlipLeftRight", "RandomFlipTopBottom", "Rotate",
           "RandomRotation", "RandomBrightness", "RandomContrast", "RandomSaturation", "RandomHue",
           "RandomColorJitter", "RandomLighting", "RandomGray"]
