"""``mx.io``: MXNet's binary formats and its legacy data iterators.

``ndarray_format`` reads and writes NDArray files (``nd.save``/``nd.load``, ``.params``).
The data iterators (``NDArrayIter``, ``DataBatch``, ``DataDesc``, ``DataIter``,
``ResizeIter``, ``PrefetchingIter``) load on first use: ``gluonic.ndarray`` imports
``ndarray_format`` from here while it is itself being imported, so this ``__init__``
must not import anything that needs NDArray.
"""
from __future__ import annotations

import importlib

from . import ndarray_format

_LAZY = {
    "NDArrayIter": "ndarray_iter",
    "ndarray_iter": None,
    "ImageRecordIter": "image_record_iter",
    "image_record_iter": None,
    "data_iter": None,
    "mnist_csv_iter": None,
    "MNISTIter": "mnist_csv_iter",
    "CSVIter": "mnist_csv_iter",
    **{
        name: "data_iter"
        for name in (
            "DataDesc", "DataBatch", "DataIter", "ResizeIter", "PrefetchingIter", "MXDataIter",
            "IteratorNotSupported", "LibSVMIter",
            "ImageRecordIter_v1", "ImageRecordUInt8Iter", "ImageRecordUInt8Iter_v1", "ImageRecordInt8Iter",
            "ImageDetRecordIter",
        )
    },
}

__all__ = ["ndarray_format", "NDArrayIter", "DataDesc", "DataBatch", "DataIter", "ResizeIter", "PrefetchingIter",
           "MXDataIter"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'gluonic.io' has no attribute '{name}'")
    module_name = _LAZY[name]
    if module_name is None:  # a submodule itself
        return importlib.import_module(f"{__name__}.{name}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    value = module if name == "io" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
