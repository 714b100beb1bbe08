"""Devices: ``mx.cpu()``, ``mx.gpu(i)``, the default context, and how they map to torch.

A :class:`Context` names where arrays live. ``cpu(i)`` for any ``i`` runs on torch's
CPU device (several CPU contexts exist so data-parallel code can be tested without
GPUs); ``gpu(i)`` is ``cuda:i``.

float32 on a GPU means float32: PyTorch lets cuDNN run float32 convolutions in
TensorFloat-32 (a 10-bit mantissa, errors around 1e-3), which would make a model's GPU
outputs differ from its CPU and MXNet outputs. gluonic turns that off when imported;
``GLUONIC_ALLOW_TF32=1`` keeps TF32 (for convolutions and matrix products) for speed.

Example
-------
>>> import gluonic as mx
>>> with mx.cpu(0):
...     mx.current_context()
cpu(0)
"""
from __future__ import annotations

import contextvars
import os
import re

import torch

from .base import GluonicValueError

__all__ = ["Context", "cpu", "gpu", "cpu_pinned", "num_gpus", "current_context", "gpu_memory_info"]


def _set_float32_precision() -> None:
    allow = os.environ.get("GLUONIC_ALLOW_TF32", "0") not in ("0", "")
    torch.backends.cudnn.allow_tf32 = allow
    torch.backends.cuda.matmul.allow_tf32 = allow


_set_float32_precision()

_DEVICE_TYPES = {1: "cpu", 2: "gpu", 3: "cpu_pinned", 5: "cpu_shared"}
_DEVICE_TYPE_IDS = {name: code for code, name in _DEVICE_TYPES.items()}


class Context:
    """A device context (MXNet: ``mx.Context``).

    Parameters
    ----------
    device_type : str or Context
        ``'cpu'``, ``'gpu'``, ``'cpu_pinned'`` or ``'cpu_shared'``.
    device_id : int
        Index of the device.
    """

    __slots__ = ("device_type", "device_id", "_torch_device", "_tokens")

    def __init__(self, device_type: str | Context, device_id: int = 0):
        if isinstance(device_type, Context):
            device_type, device_id = device_type.device_type, device_type.device_id
        if device_type not in _DEVICE_TYPE_IDS:
            raise GluonicValueError(
                f"Unknown device type {device_type!r}; expected one of "
                f"{sorted(_DEVICE_TYPE_IDS)}. Received: {device_type!r}"
            )
        self.device_type = device_type
        self.device_id = int(device_id)
        if device_type == "gpu":
            self._torch_device = torch.device("cuda", self.device_id)
        else:
            self._torch_device = torch.device("cpu")
        self._tokens: list = []

    @property
    def device_typeid(self) -> int:
        return _DEVICE_TYPE_IDS[self.device_type]

    @property
    def torch_device(self) -> torch.device:
        """The torch device this context runs on."""
        return self._torch_device

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, Context)
            and self.device_type == other.device_type
            and self.device_id == other.device_id
        )

    def __hash__(self) -> int:
        return hash((self.device_type, self.device_id))

    def __repr__(self) -> str:
        return f"{self.device_type}({self.device_id})"

    __str__ = __repr__

    def __enter__(self) -> Context:
        self._tokens.append(_default_context.set(self))
        return self

    def __exit__(self, *exc) -> None:
        _default_context.reset(self._tokens.pop())

    def empty_cache(self) -> None:
        """Release cached GPU memory (no-op on CPU)."""
        if self.device_type == "gpu":
            torch.cuda.empty_cache()


def cpu(device_id: int = 0) -> Context:
    """CPU context. ``cpu(i)`` for ``i > 0`` is a distinct context on the same CPU."""
    return Context("cpu", device_id)


def cpu_pinned(device_id: int = 0) -> Context:
    """Pinned (page-locked) CPU memory context."""
    return Context("cpu_pinned", device_id)


def gpu(device_id: int = 0) -> Context:
    """GPU context ``gpu(i)``, backed by torch's ``cuda:i``."""
    return Context("gpu", device_id)


def num_gpus() -> int:
    """Number of GPUs torch can see."""
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def gpu_memory_info(device_id: int = 0) -> tuple[int, int]:
    """(free, total) bytes of GPU memory on ``gpu(device_id)``."""
    return torch.cuda.mem_get_info(device_id)


_default_context: contextvars.ContextVar[Context] = contextvars.ContextVar(
    "gluonic_default_context", default=Context("cpu", 0)  # noqa: B039 (used as a value)
)


def current_context() -> Context:
    """The default context (set with ``with mx.gpu(0): ...``)."""
    return _default_context.get()


_CTX_RE = re.compile(r"^\s*(cpu|gpu|cpu_pinned|cpu_shared)\s*\(\s*(\d+)\s*\)\s*$")


def as_context(ctx: Context | str | torch.device | None) -> Context:
    """Normalize ``None`` (current context), a Context, ``'cpu(0)'`` or a torch device."""
    if ctx is None:
        return _default_context.get()
    if isinstance(ctx, Context):
        return ctx
    if isinstance(ctx, torch.device):
        return Context("gpu", ctx.index or 0) if ctx.type == "cuda" else Context("cpu", 0)
    if isinstance(ctx, str):
        m = _CTX_RE.match(ctx)
        if m:
            return Context(m.group(1), int(m.group(2)))
        if ctx in _DEVICE_TYPE_IDS:
            return Context(ctx, 0)
    raise GluonicValueError(f"Cannot interpret {ctx!r} as a context; use mx.cpu() or mx.gpu(i). Received: {ctx!r}")
