"""``mx.runtime.Features()``: what this build supports, as torch reports it.

>>> import gluonic as mx
>>> feats = mx.runtime.Features()
>>> isinstance(feats.is_enabled("CUDA"), bool)
True
"""
from __future__ import annotations

import collections
import importlib.util

import torch

from .base import GluonicValueError

__all__ = ["Feature", "Features", "feature_list"]


class Feature(collections.namedtuple("Feature", ["name", "enabled"])):
    """One compile-time feature and whether it is enabled."""

    def __repr__(self) -> str:
        return ("✔ " if self.enabled else "✖ ") + self.name


def _probe() -> dict[str, bool]:
    dist = torch.distributed.is_available()
    return {
        "CUDA": torch.backends.cuda.is_built() and torch.cuda.is_available(),
        "CUDNN": bool(torch.backends.cudnn.is_available()),
        "NCCL": bool(dist and torch.distributed.is_nccl_available()),
        "CUDA_RTC": torch.cuda.is_available(),
        "TENSORRT": False,
        "OPENMP": bool(torch.backends.openmp.is_available()),
        "BLAS_MKL": bool(torch.backends.mkl.is_available()),
        "BLAS_OPEN": not torch.backends.mkl.is_available(),
        "LAPACK": bool(getattr(torch._C, "has_lapack", True)),
        "MKLDNN": bool(torch.backends.mkldnn.is_available()),
        "ONEDNN": bool(torch.backends.mkldnn.is_available()),
        "OPENCV": False,
        "DIST_KVSTORE": bool(dist),
        "GLOO": bool(dist and torch.distributed.is_gloo_available()),
        "INT64_TENSOR_SIZE": True,
        "SIGNAL_HANDLER": False,
        "DEBUG": False,
        "TORCH_COMPILE": hasattr(torch, "compile"),
        "ONNX": importlib.util.find_spec("onnx") is not None,
        "PROFILER": True,
        "F16C": True,
    }


def feature_list() -> list[Feature]:
    """All features with their state."""
    return [Feature(k, v) for k, v in _probe().items()]


class Features(collections.OrderedDict):
    """Mapping of feature name → :class:`Feature` (MXNet's ``mx.runtime.Features``)."""

    def __init__(self):
        super().__init__((f.name, f) for f in feature_list())

    def __repr__(self) -> str:
        return str(list(self.values()))

    def is_enabled(self, feature_name: str) -> bool:
        """Whether ``feature_name`` (e.g. ``'CUDA'``) is enabled. Unknown names raise."""
        name = feature_name.upper()
        if name not in self:
            raise GluonicValueError(
                f"Feature '{feature_name}' is unknown; known features: {', '.join(self)}. Received: {feature_name!r}"
            )
        return self[name].enabled
