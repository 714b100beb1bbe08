"""NumPy dtype <-> ONNX ``TensorProto`` element type (the enum values are fixed by the ONNX spec)."""
from __future__ import annotations

import numpy as np

from ..base import GluonicValueError

_NP_TO_ONNX = {
    np.dtype(np.float32): 1,
    np.dtype(np.uint8): 2,
    np.dtype(np.int8): 3,
    np.dtype(np.uint16): 4,
    np.dtype(np.int16): 5,
    np.dtype(np.int32): 6,
    np.dtype(np.int64): 7,
    np.dtype(np.bool_): 9,
    np.dtype(np.float16): 10,
    np.dtype(np.float64): 11,
    np.dtype(np.uint32): 12,
    np.dtype(np.uint64): 13,
}
_ONNX_TO_NP = {v: k for k, v in _NP_TO_ONNX.items()}


def np_to_onnx(dtype) -> int:
    try:
        return _NP_TO_ONNX[np.dtype(dtype)]
    except (KeyError, TypeError):
        raise GluonicValueError(f"ONNX export: dtype {dtype!r} has no ONNX equivalent supported by gluonic. "
                                f"Received: {dtype!r}") from None


def onnx_to_np(code: int) -> np.dtype:
    return _ONNX_TO_NP[code]
