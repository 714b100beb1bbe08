"""MXNet's `base` module: error classes, type tuples and small shared helpers.

Every gluonic error derives from :class:`MXNetError` (a ``RuntimeError``, as in MXNet),
and most also from the builtin that fits (``ValueError``, ``TypeError``, ``IndexError``),
so code written for MXNet that catches either keeps working.
"""
from __future__ import annotations

import os

import numpy as np

__all__ = [
    "MXNetError",
    "GluonicValueError",
    "GluonicTypeError",
    "GluonicIndexError",
    "FileFormatError",
    "NotImplementedForSymbol",
    "numeric_types",
    "integer_types",
    "string_types",
    "mx_real_t",
    "data_dir",
]


class MXNetError(RuntimeError):
    """Base class of every error gluonic raises (MXNet's name, kept for compatibility)."""


class GluonicValueError(MXNetError, ValueError):
    """A value (shape, attribute, argument) is not acceptable."""


class GluonicTypeError(MXNetError, TypeError):
    """An argument has the wrong type or dtype."""


class GluonicIndexError(MXNetError, IndexError):
    """An index or axis is out of range."""


class FileFormatError(MXNetError, ValueError):
    """A file is not in the expected MXNet format: corrupt, truncated or foreign."""


class NotImplementedForSymbol(MXNetError, NotImplementedError):
    """An NDArray-only feature was used on a Symbol."""

    def __init__(self, function, alias=None, *args):
        name = getattr(function, "__name__", str(function))
        self.function = name
        self.alias = alias
        self.args = tuple(str(type(a)) for a in args)
        msg = f"Function {name}"
        if alias:
            msg += f" (namely operator '{alias}')"
        msg += " is not implemented for Symbol and only available in NDArray."
        super().__init__(msg)


numeric_types = (float, int, np.generic)
integer_types = (int, np.integer)
string_types = (str,)
mx_real_t = np.float32


def data_dir() -> str:
    """Directory for data sets and pretrained models: ``$MXNET_HOME`` or ``~/.mxnet``."""
    return os.environ.get("MXNET_HOME", os.path.join(os.path.expanduser("~"), ".mxnet"))
