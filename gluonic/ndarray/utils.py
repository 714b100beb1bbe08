"""``nd.save``, ``nd.load`` and ``nd.load_frombuffer``: NDArrays in MXNet 1.x's binary format.

Files are byte-compatible with MXNet 1.9.1 both ways (layout: ``docs/file_formats.md``).
Loading never uses pickle.

Example
-------
>>> import os, tempfile
>>> import gluonic as mx
>>> path = os.path.join(tempfile.mkdtemp(), "arrays.nd")
>>> mx.nd.save(path, {"w": mx.nd.array([[1, 2, 3], [4, 5, 6]]), "b": mx.nd.array([0.5])})
>>> {k: v.shape for k, v in mx.nd.load(path).items()}
{'w': (2, 3), 'b': (1,)}
>>> with open(path, "rb") as f:
...     mx.nd.load_frombuffer(f.read())["b"].asnumpy()
array([0.5], dtype=float32)
"""
from __future__ import annotations

import os

import torch

from ..base import GluonicTypeError, GluonicValueError, string_types
from ..context import Context, cpu
from ..io import ndarray_format as fmt
from ..util import is_np_shape
from .ndarray import NDArray, from_torch

__all__ = ["save", "load", "load_frombuffer", "load_arrays", "load_context"]


def save(fname: str | os.PathLike, data: NDArray | list | dict) -> None:
    """Save an NDArray, a list of NDArrays or a dict of str to NDArray to ``fname``.

    Writes MXNet's format, byte for byte what MXNet 1.9.1 writes for the same arrays:
    V2 array records, or V3 records (MXNet's layout under NumPy shape semantics) inside
    ``mx.util.np_shape(True)`` and for any file that holds a 0-d array. MXNet loads V3
    files only under ``np_shape(True)``; gluonic loads both. (Without NumPy semantics
    MXNet writes a 0-d array as a V2 record it cannot load back; gluonic reads such
    files but does not write them.) The file is written to a temporary file in the same
    folder and renamed, so a failure never leaves a half-written file at ``fname``.

    Parameters
    ----------
    fname : str or path-like
        Where to write.
    data : NDArray, list of NDArray, or dict of str to NDArray
        The arrays. A bare NDArray is saved as a one-element list.

    Raises
    ------
    TypeError
        A dict key is not a str, or a value or list element is not an NDArray.
    ValueError
        ``data`` is none of the accepted containers.
    """
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        bad = [k for k, v in data.items() if not isinstance(k, string_types) or not isinstance(v, NDArray)]
        if bad:
            raise GluonicTypeError(f"nd.save: a dict must map str to NDArray. Received: key {bad[0]!r} -> "
                                   f"{type(data[bad[0]]).__name__}")
        names, arrays = list(data.keys()), list(data.values())
    elif isinstance(data, list):
        bad = [type(v).__name__ for v in data if not isinstance(v, NDArray)]
        if bad:
            raise GluonicTypeError(f"nd.save: a list must hold only NDArrays. Received: an element of type {bad[0]}")
        names, arrays = [], data
    else:
        raise GluonicValueError("nd.save: data must be an NDArray, a list of NDArrays or a dict of str to NDArray. "
                                f"Received: {type(data).__name__}")
    stored = [fmt.tensor_to_stored(a._tensor, a._ctx.device_typeid, a._ctx.device_id) for a in arrays]
    fmt.write_file(_path(fname), stored, names, np_shape=True if is_np_shape() else None)


def load(fname: str | os.PathLike) -> list[NDArray] | dict[str, NDArray]:
    """Load arrays saved with ``nd.save`` (by gluonic or MXNet), or a ``.params`` file.

    Returns a list for a list save and a dict for a dict save (an empty dict saves as an
    empty list, as in MXNet). Arrays load on ``cpu(0)``, except arrays saved from a GPU,
    which load on that GPU when torch sees it (else on ``cpu(0)``). Sparse arrays load
    dense. An array MXNet saved uninitialized (without a shape) loads as ``None``.

    Raises
    ------
    FileFormatError
        The file is corrupt, truncated or not an NDArray file; the message names the file,
        the byte offset and what was expected there.
    """
    return _unpack(fmt.read_file(_path(fname)))


def load_frombuffer(buf: bytes | bytearray | memoryview) -> list[NDArray] | dict[str, NDArray]:
    """Load arrays from the bytes of an NDArray file; returns what :func:`load` returns."""
    return _unpack(fmt.read_bytes(buf))


def load_arrays(source: str | os.PathLike | bytes | bytearray | memoryview) -> tuple[list[str], list[NDArray | None]]:
    """Names (``[]`` for a list save) and arrays of an NDArray file, in file order.

    For loaders of ``.params`` files that need the order or duplicate names that the
    dict of :func:`load` loses. ``source`` is a path or the file's bytes.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        parsed = fmt.read_bytes(source)
    else:
        parsed = fmt.read_file(_path(source))
    return list(parsed.names), [_to_ndarray(a) for a in parsed.arrays]


def _path(fname) -> str:
    if isinstance(fname, (str, os.PathLike)):
        return os.fspath(fname)
    raise GluonicTypeError(f"fname must be a str or a path. Received: {type(fname).__name__}")


def _unpack(parsed: fmt.NDArrayFile) -> list[NDArray | None] | dict[str, NDArray | None]:
    arrays = [_to_ndarray(a) for a in parsed.arrays]
    if not parsed.names:
        return arrays
    return dict(zip(parsed.names, arrays))


def load_context(dev_type: int, dev_id: int) -> Context:
    """Where MXNet puts an array saved from context ``(dev_type, dev_id)`` when loading it.

    CPU-side contexts (cpu, cpu_pinned, cpu_shared, any id) load on ``cpu(0)``. A GPU
    context loads on that GPU if torch sees it; MXNet fails when the GPU id is beyond the
    visible devices, gluonic falls back to ``cpu(0)``, as MXNet does without any GPU.
    """
    if dev_type == 2 and torch.cuda.is_available() and dev_id < torch.cuda.device_count():
        return Context("gpu", dev_id)
    return cpu(0)


def _to_ndarray(a: fmt.StoredArray) -> NDArray | None:
    if a.data is None:
        return None
    ctx = load_context(a.dev_type, a.dev_id)
    t = fmt.stored_to_tensor(a)
    if ctx.device_type == "gpu":
        t = t.to(ctx.torch_device)
    return from_torch(t, ctx)
