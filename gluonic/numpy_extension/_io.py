"""``npx.save`` / ``npx.load``: ``mx.np`` arrays in MXNet's ``nd.save`` binary format."""
from __future__ import annotations

import os

from ..base import GluonicTypeError
from ..ndarray.ndarray import NDArray
from ..ndarray.utils import load as _nd_load
from ..ndarray.utils import save as _nd_save
from ..numpy._core import as_array
from ..util import np_shape

__all__ = ["save", "load"]


def save(file: str | os.PathLike, arr) -> None:
    """Save an np array, a list of np arrays or a dict of str to np array to ``file``.

    The file is what MXNet's ``npx.save`` writes (``nd.save`` records under NumPy shape
    semantics, 0-d arrays included); ``npx.load`` and MXNet's ``npx.load`` read it back.
    Unlike MXNet, this works without ``npx.set_np()`` too.

    >>> from gluonic import np, npx
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "x.npx")
    >>> npx.save(path, {"w": np.ones((2, 3))})
    >>> npx.load(path)["w"].shape
    (2, 3)
    """
    if isinstance(arr, NDArray):
        arr = [arr]
    if isinstance(arr, dict):
        bad = [k for k, v in arr.items() if not isinstance(k, str) or not isinstance(v, NDArray)]
    elif isinstance(arr, (list, tuple)):
        arr, bad = list(arr), [i for i, v in enumerate(arr) if not isinstance(v, NDArray)]
    else:
        raise GluonicTypeError("npx.save: arr must be an ndarray, a list of ndarrays or a dict of str to ndarray. "
                               f"Received: {type(arr).__name__}")
    if bad:
        raise GluonicTypeError("npx.save: only a dict of str to ndarray or a list of ndarrays can be saved. "
                               f"Received: a bad entry at {bad[0]!r}")
    with np_shape(True):
        _nd_save(file, arr)


def load(file: str | os.PathLike):
    """Load arrays saved by ``npx.save`` or ``nd.save`` (gluonic or MXNet) as ``mx.np`` arrays.

    Returns a list of np arrays, or a dict of str to np array when the file has names.
    """
    if not isinstance(file, (str, os.PathLike)):
        raise GluonicTypeError(f"npx.load: file must be a path. Received: {type(file).__name__}")
    with np_shape(True):
        data = _nd_load(file)
    if isinstance(data, dict):
        return {k: as_array(v) for k, v in data.items()}
    return [as_array(v) for v in data]
