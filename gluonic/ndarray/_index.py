"""Reading and writing ``t[idx]`` for NDArray and ``mx.np.ndarray`` indexing.

``idx`` is what ``ndarray._torch_index`` made of the user's key. On a GPU, integer index
arrays are bounds-checked on the host first: on the CPU torch raises ``IndexError`` for an
out-of-range index, but on a GPU the same index is a device-side assert, which poisons the
process's CUDA context instead of raising. (MXNet's GPU kernels read out of bounds.)
"""
from __future__ import annotations

import torch

from .._state import recording


def read_index(t: torch.Tensor, idx) -> torch.Tensor:
    """``t[idx]``; raises ``IndexError`` for an out-of-range index array on every device."""
    if t.is_cuda:
        _check_index_arrays(t.shape, idx)
    return t[idx]


def write_index(t: torch.Tensor, idx, v) -> None:
    """``t[idx] = v`` in place: recorded by autograd inside ``record()`` unless ``t`` is a leaf variable."""
    if t.is_cuda:
        _check_index_arrays(t.shape, idx)
    if recording.get() and not (t.is_leaf and t.requires_grad):
        t[idx] = v
    else:
        with torch.no_grad():
            t[idx] = v


def _check_index_arrays(shape, idx) -> None:
    items = idx if isinstance(idx, tuple) else (idx,)
    if not any(isinstance(k, torch.Tensor) and k.dtype != torch.bool for k in items):
        return
    used = sum(k.ndim if isinstance(k, torch.Tensor) and k.dtype == torch.bool else 1
               for k in items if k is not None and k is not Ellipsis)
    axis = 0
    for k in items:
        if k is None:
            continue
        if k is Ellipsis:
            axis += len(shape) - used
            continue
        if isinstance(k, torch.Tensor) and k.dtype == torch.bool:
            axis += k.ndim
            continue
        if isinstance(k, torch.Tensor) and k.numel() and axis < len(shape):
            n = shape[axis]
            bad = (k < -n) | (k >= n)
            if bool(bad.any()):
                raise IndexError(f"index {int(k[bad][0])} is out of bounds for axis {axis} with size {n}")
        axis += 1
