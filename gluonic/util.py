"""MXNet's ``mx.util`` helpers: environment variables, GPU queries and NumPy-semantics switches.

gluonic always uses NumPy shape semantics internally (zero-dim and zero-size arrays are
ordinary); the ``np_shape``/``np_array`` switches are kept so MXNet code that toggles them
runs, and report the state that was set.
"""
from __future__ import annotations

import contextvars
import functools
import os
from collections.abc import Callable

from .context import num_gpus

__all__ = [
    "makedirs",
    "get_gpu_count",
    "get_gpu_memory",
    "getenv",
    "setenv",
    "is_np_shape",
    "set_np_shape",
    "np_shape",
    "use_np_shape",
    "is_np_array",
    "np_array",
    "use_np_array",
    "set_np",
    "reset_np",
    "use_np",
]

_np_shape: contextvars.ContextVar[bool] = contextvars.ContextVar("gluonic_np_shape", default=False)
_np_array: contextvars.ContextVar[bool] = contextvars.ContextVar("gluonic_np_array", default=False)


def makedirs(d: str) -> None:
    """Create directory ``d`` and its parents if missing."""
    os.makedirs(os.path.expanduser(d), exist_ok=True)


def get_gpu_count() -> int:
    """Number of visible GPUs."""
    return num_gpus()


def get_gpu_memory(gpu_dev_id: int) -> tuple[int, int]:
    """(free, total) bytes of memory on GPU ``gpu_dev_id``."""
    import torch

    return torch.cuda.mem_get_info(gpu_dev_id)


def getenv(name: str) -> str | None:
    """Value of environment variable ``name`` (None when unset)."""
    return os.environ.get(name)


def setenv(name: str, value: str | None) -> None:
    """Set (or with ``None`` unset) environment variable ``name``."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = str(value)


def is_np_shape() -> bool:
    """Whether NumPy shape semantics were switched on (see module docstring)."""
    return _np_shape.get()


def set_np_shape(active: bool) -> bool:
    """Switch NumPy shape semantics; returns the previous state."""
    prev = _np_shape.get()
    _np_shape.set(bool(active))
    return prev


class _Switch:
    def __init__(self, var: contextvars.ContextVar[bool], active: bool):
        self._var, self._active, self._token = var, active, None

    def __enter__(self):
        self._token = self._var.set(self._active)
        return self

    def __exit__(self, *exc):
        self._var.reset(self._token)

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with _Switch(self._var, self._active):
                return func(*args, **kwargs)

        return wrapper


def np_shape(active: bool = True) -> _Switch:
    """Context manager / decorator turning NumPy shape semantics on or off."""
    return _Switch(_np_shape, active)


def use_np_shape(func: Callable) -> Callable:
    """Decorator running ``func`` (or every method of a class) with NumPy shape semantics."""
    return _decorate(func, np_shape(True))


def is_np_array() -> bool:
    return _np_array.get()


def np_array(active: bool = True) -> _Switch:
    return _Switch(_np_array, active)


def use_np_array(func: Callable) -> Callable:
    return _decorate(func, np_array(True))


def set_np(shape: bool = True, array: bool = True, dtype: bool = False) -> None:
    """Turn on NumPy semantics (MXNet's ``npx.set_np``); array semantics need shape semantics."""
    if array and not shape:
        raise ValueError("NumPy Shape semantics is required in using NumPy array semantics.")
    _np_shape.set(bool(shape))
    _np_array.set(bool(array))


def reset_np() -> None:
    """Turn NumPy semantics off again."""
    set_np(False, False)


def use_np(func: Callable) -> Callable:
    """Decorator for functions and classes written for MXNet's NumPy semantics."""
    return _decorate(_decorate(func, np_shape(True)), np_array(True))


def _decorate(obj, switch: _Switch):
    if isinstance(obj, type):
        for name, attr in list(vars(obj).items()):
            if callable(attr) and not name.startswith("__"):
                setattr(obj, name, switch(attr))
        return obj
    return switch(obj)
