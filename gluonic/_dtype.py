"""Dtype conversions between NumPy (what MXNet's API speaks), torch and MXNet's type codes.

MXNet reports ``x.dtype`` as a NumPy scalar type (``numpy.float32``). bfloat16 has no
NumPy type; like MXNet 1.9 we name it with the structured dtype ``bfloat16`` below.
"""
from __future__ import annotations

import numpy as np
import torch

from .base import GluonicTypeError

__all__ = ["bfloat16", "np_dtype", "name", "to_torch", "from_torch", "MX_TYPE_CODE", "MX_CODE_TYPE"]

#: MXNet 1.9's name for bfloat16 in NumPy terms.
bfloat16 = np.dtype([("bfloat16", np.uint16)])

_NP_TO_TORCH = {
    np.dtype(np.float32): torch.float32,
    np.dtype(np.float64): torch.float64,
    np.dtype(np.float16): torch.float16,
    np.dtype(np.uint8): torch.uint8,
    np.dtype(np.int8): torch.int8,
    np.dtype(np.int32): torch.int32,
    np.dtype(np.int64): torch.int64,
    np.dtype(np.bool_): torch.bool,
    bfloat16: torch.bfloat16,
}
_TORCH_TO_NP = {v: k for k, v in _NP_TO_TORCH.items()}
_TORCH_TO_NP_TYPE = {t: (d if d is bfloat16 else d.type) for t, d in _TORCH_TO_NP.items()}

#: MXNet's dtype codes as written in ``.params`` files.
MX_TYPE_CODE = {
    torch.float32: 0,
    torch.float64: 1,
    torch.float16: 2,
    torch.uint8: 3,
    torch.int32: 4,
    torch.int8: 5,
    torch.int64: 6,
    torch.bool: 7,
    torch.bfloat16: 12,
}
MX_CODE_TYPE = {v: k for k, v in MX_TYPE_CODE.items()}

_NAMES = {"bfloat16": bfloat16, "bool": np.dtype(np.bool_)}


def np_dtype(dtype) -> np.dtype:
    """Normalize a dtype given as str, NumPy type/dtype or torch dtype to a ``np.dtype``."""
    if isinstance(dtype, np.dtype) and dtype in _NP_TO_TORCH:
        return dtype
    if isinstance(dtype, torch.dtype):
        try:
            return _TORCH_TO_NP[dtype]
        except KeyError:
            pass
    else:
        try:
            d = _NAMES[dtype] if isinstance(dtype, str) and dtype in _NAMES else np.dtype(dtype)
            if d in _NP_TO_TORCH:
                return d
        except TypeError:
            pass
    raise GluonicTypeError(
        "Unsupported dtype; gluonic supports float16, float32, float64, bfloat16, "
        f"uint8, int8, int32, int64 and bool. Received: {dtype!r}"
    )


def name(dtype) -> str:
    """The name MXNet writes for a dtype (``'float32'``, ``'int64'``, ``'bfloat16'``), from any spelling."""
    d = np_dtype(dtype)
    return "bfloat16" if d.names else d.name


def to_torch(dtype) -> torch.dtype:
    """The torch dtype for any dtype spelling (``None`` is float32, MXNet's default)."""
    if dtype is None:
        return torch.float32
    if isinstance(dtype, torch.dtype) and dtype in _TORCH_TO_NP:
        return dtype
    return _NP_TO_TORCH[np_dtype(dtype)]


def from_torch(dtype: torch.dtype):
    """The NumPy scalar type MXNet reports for a torch dtype (``numpy.float32``)."""
    try:
        return _TORCH_TO_NP_TYPE[dtype]
    except KeyError:
        raise GluonicTypeError(f"Unsupported torch dtype. Received: {dtype}") from None


def is_float(dtype: torch.dtype) -> bool:
    return dtype.is_floating_point
