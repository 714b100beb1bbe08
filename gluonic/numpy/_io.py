"""Text input: ``genfromtxt`` (NumPy's reader, returning an ``mx.np.ndarray``)."""
from __future__ import annotations

import os

import numpy as onp

from ..base import MXNetError
from ._core import as_array

__all__ = ["genfromtxt"]


class GluonicFileNotFoundError(MXNetError, FileNotFoundError):
    """A file to read does not exist (also a ``FileNotFoundError``)."""


def genfromtxt(fname, *args, ctx=None, device=None, **kwargs):
    """Load data from a text file (CSV and friends) into an ``mx.np.ndarray`` on ``ctx``.

    A wrapper of ``numpy.genfromtxt``: every NumPy argument works (``delimiter``,
    ``skip_header``, ``usecols``, ``dtype``, ``filling_values``, ...). The result keeps the
    dtype NumPy reads (float64 by default, as in MXNet); structured dtypes (``dtype=None``
    on mixed columns, ``names=True``) are not supported by ``mx.np.ndarray``.

    Shapes: (rows, columns), or (n,) for a single row or column.
    Example: ``np.genfromtxt('data.csv', delimiter=',', skip_header=1)``.

    Raises
    ------
    GluonicFileNotFoundError (a ``FileNotFoundError``) when ``fname`` names a missing file.
    """
    if isinstance(fname, (str, os.PathLike)) and not os.path.exists(fname) and "://" not in str(fname):
        raise GluonicFileNotFoundError(f"np.genfromtxt: no such file: {os.fspath(fname)!r}. Received: fname="
                                       f"{os.fspath(fname)!r}")
    c = ctx if ctx is not None else device
    data = onp.genfromtxt(fname, *args, **kwargs)
    return as_array(data, ctx=c)
