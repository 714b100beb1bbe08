"""``mx.image``: image decoding, resizing, augmentation and ``ImageIter`` (MXNet 1.9).

Decoding uses Pillow (installed with the ``test``/``examples`` extras, imported on first
use); the pixels match MXNet's OpenCV for JPEG and PNG, and resizing follows OpenCV's
sampling rules. See ``docs/data.md``.
"""
from . import augment, image, image_iter
from .augment import (
    Augmenter,
    BrightnessJitterAug,
    CastAug,
    CenterCropAug,
    ColorJitterAug,
    ColorNormalizeAug,
    ContrastJitterAug,
    CreateAugmenter,
    ForceResizeAug,
    HorizontalFlipAug,
    HueJitterAug,
    LightingAug,
    RandomCropAug,
    RandomGrayAug,
    RandomOrderAug,
    RandomSizedCropAug,
    ResizeAug,
    SaturationJitterAug,
    SequentialAug,
)
from .image import (
    ImageFileError,
    center_crop,
    color_normalize,
    copyMakeBorder,
    fixed_crop,
    imdecode,
    imread,
    imresize,
    imrotate,
    random_crop,
    random_rotate,
    random_size_crop,
    resize_short,
    scale_down,
)
from .image_iter import ImageIter

__all__ = [
    "Augmenter", "BrightnessJitterAug", "CastAug", "CenterCropAug", "ColorJitterAug", "ColorNormalizeAug",
    "ContrastJitterAug", "CreateAugmenter", "ForceResizeAug", "HorizontalFlipAug", "HueJitterAug", "LightingAug",
    "RandomCropAug", "RandomGrayAug", "RandomOrderAug", "RandomSizedCropAug", "ResizeAug", "SaturationJitterAug",
    "SequentialAug", "ImageFileError", "center_crop", "color_normalize", "copyMakeBorder", "fixed_crop",
    "imdecode", "imread", "imresize", "imrotate", "random_crop", "random_rotate", "random_size_crop",
    "resize_short", "scale_down", "ImageIter", "image", "augment", "image_iter",
]
