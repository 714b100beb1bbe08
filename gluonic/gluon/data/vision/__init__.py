"""``gluon.data.vision``: vision data sets and image transforms (MXNet 1.9).

- data sets: :class:`MNIST`, :class:`FashionMNIST`, :class:`CIFAR10`, :class:`CIFAR100`
  (from their standard files; gluonic does not download), :class:`ImageFolderDataset`,
  :class:`ImageListDataset`, :class:`ImageRecordDataset`;
- :mod:`~gluonic.gluon.data.vision.transforms`: ``ToTensor``, ``Normalize``, ``Resize``,
  crops, flips, colour jitter... as Blocks.
"""
from . import datasets, transforms
from .datasets import (
    CIFAR10,
    CIFAR100,
    MNIST,
    DatasetNotFoundError,
    FashionMNIST,
    ImageFolderDataset,
    ImageListDataset,
    ImageRecordDataset,
)

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageRecordDataset", "ImageFolderDataset",
           "ImageListDataset", "DatasetNotFoundError", "datasets", "transforms"]
