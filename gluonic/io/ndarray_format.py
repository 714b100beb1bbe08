"""MXNet 1.x's NDArray file format (``nd.save``/``nd.load``, ``.params`` files), read and written.

The pure format: bytes in, NumPy arrays out (and back), with no NDArray in sight; the
two torch helpers at the end convert one stored array to and from a ``torch.Tensor``.
See ``docs/file_formats.md`` for the byte layout.

Reading never unpickles anything and never trusts a count: every declared size is
checked against the bytes that remain before anything is allocated, and every problem
raises :class:`~gluonic.base.FileFormatError` naming the file, the byte offset, what was
expected there and what was found.

Example
-------
>>> import numpy as np
>>> buf = to_bytes([StoredArray(np.arange(3, dtype=np.float32), "float32")], ["w"])
>>> f = read_bytes(buf)
>>> f.names, f.arrays[0].data
(['w'], array([0., 1., 2.], dtype=float32))
"""
from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterable, Sequence
from typing import BinaryIO, NamedTuple, NoReturn

import numpy as np
import torch

from .._files import write_atomic
from ..base import FileFormatError, GluonicTypeError, GluonicValueError

__all__ = [
    "LIST_MAGIC",
    "V1_MAGIC",
    "V2_MAGIC",
    "V3_MAGIC",
    "DTYPE_CODES",
    "StoredArray",
    "NDArrayFile",
    "read_file",
    "read_bytes",
    "read_stream",
    "write_file",
    "write_stream",
    "to_bytes",
    "tensor_to_stored",
    "stored_to_tensor",
]

LIST_MAGIC = 0x112  #: uint64 at the start of every NDArray list file
V1_MAGIC = 0xF993FAC8  #: array with int64 dims, no storage type (MXNet ≤ 0.11)
V2_MAGIC = 0xF993FAC9  #: array with storage type (MXNet's default)
V3_MAGIC = 0xF993FACA  #: V2 written under NumPy shape semantics (0-d and zero-size shapes are real)

#: MXNet (mshadow) dtype code -> (name, NumPy dtype of the stored bytes). bfloat16 is held
#: as its uint16 bit patterns; bool as one byte per element.
DTYPE_CODES: dict[int, tuple[str, np.dtype]] = {
    0: ("float32", np.dtype("<f4")),
    1: ("float64", np.dtype("<f8")),
    2: ("float16", np.dtype("<f2")),
    3: ("uint8", np.dtype("u1")),
    4: ("int32", np.dtype("<i4")),
    5: ("int8", np.dtype("i1")),
    6: ("int64", np.dtype("<i8")),
    7: ("bool", np.dtype("u1")),
    12: ("bfloat16", np.dtype("<u2")),
}
_NAME_CODES = {name: code for code, (name, _) in DTYPE_CODES.items()}
#: codes mshadow defines that no gluonic array can hold
_UNSUPPORTED_CODES = {8: "int16", 9: "uint16", 10: "uint32", 11: "uint64"}
_INDEX_CODES = (3, 4, 5, 6)  # integer dtypes allowed for sparse indices
_DEV_TYPES = {1: "cpu", 2: "gpu", 3: "cpu_pinned", 5: "cpu_shared"}
_STYPES = {0: "default", 1: "row_sparse", 2: "csr"}
_MAX_NDIM = 64
_MAX_ELEMENTS = 1 << 48  # bound on the product of the non-zero dims (zero-size shapes too)
#: Sparse arrays are loaded dense; refuse dense forms larger than this many bytes (a
#: tiny file could otherwise declare a huge shape). Raise it for big embedding tables.
SPARSE_DENSE_LIMIT = 1 << 30


class StoredArray(NamedTuple):
    """One array of an NDArray file.

    ``data`` is a NumPy array of the stored shape (dense, little-endian; for
    ``dtype='bfloat16'`` it holds uint16 bit patterns), or ``None`` for an uninitialized
    MXNet array (one saved with no shape). ``dev_type``/``dev_id`` are the saved context
    (1 cpu, 2 gpu, 3 cpu_pinned, 5 cpu_shared). ``stype`` is the storage type as stored;
    sparse arrays are converted to dense ``data`` when read. ``version`` is the array
    record's format: 0 (no magic), 1, 2 or 3.
    """

    data: np.ndarray | None
    dtype: str
    dev_type: int = 1
    dev_id: int = 0
    stype: str = "default"
    version: int = 2

    @property
    def shape(self) -> tuple[int, ...] | None:
        return None if self.data is None else tuple(self.data.shape)


class NDArrayFile(NamedTuple):
    """The arrays of a file in file order, and their names (``[]`` for a list save)."""

    arrays: list[StoredArray]
    names: list[str]

    def items(self) -> list[tuple[str | None, StoredArray]]:
        """``(name, array)`` pairs in file order; names are ``None`` for a list save."""
        names = self.names or [None] * len(self.arrays)
        return list(zip(names, self.arrays))


# ----------------------------------------------------------------------------- reading
class _Reader:
    """Bounded little-endian reads from a seekable binary stream, with precise errors."""

    def __init__(self, stream: BinaryIO, size: int, source: str):
        self.stream, self.size, self.source = stream, size, source
        self.pos = 0

    @property
    def left(self) -> int:
        return self.size - self.pos

    def fail(self, expected: str, received: str, at: int | None = None) -> NoReturn:
        at = self.pos if at is None else at
        err = FileFormatError(
            f"{self.source} is not a valid MXNet NDArray file: at byte {at}, expected {expected}. "
            f"Received: {received}."
        )
        err.source, err.offset = self.source, at
        raise err

    def need(self, n: int, what: str) -> None:
        if n > self.left:
            self.fail(f"{what} ({n} bytes)", f"only {self.left} bytes left (truncated file?)")

    def read(self, n: int, what: str) -> bytes:
        self.need(n, what)
        b = self.stream.read(n)
        if len(b) != n:
            self.fail(f"{what} ({n} bytes)", f"{len(b)} bytes (the file changed while reading?)")
        self.pos += n
        return b

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt), what))

    def peek(self, n: int) -> bytes:
        b = self.stream.read(min(n, self.left))
        self.stream.seek(self.pos)
        return b

    def array(self, dtype: np.dtype, count: int, what: str) -> np.ndarray:
        self.need(count * dtype.itemsize, what)
        out = np.empty(count, dtype)
        got = self.stream.readinto(memoryview(out.reshape(-1).view(np.uint8)))
        if got != out.nbytes:
            self.fail(f"{what} ({out.nbytes} bytes)", f"{got} bytes (the file changed while reading?)")
        self.pos += out.nbytes
        return out

    def string(self, what: str) -> str:
        at = self.pos
        (n,) = self.unpack("<Q", f"the byte length of {what}")
        raw = self.read(n, what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail(f"{what} in UTF-8", f"invalid byte at position {e.start}: {raw[:40]!r}", at + 8)


def read_file(path: str | os.PathLike) -> NDArrayFile:
    """Read an NDArray file (``nd.save`` output or a ``.params`` file) from disk.

    Raises
    ------
    FileFormatError
        The file is not a valid NDArray file (corrupt, truncated or foreign).
    OSError
        The file cannot be opened.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        return read_stream(f, os.fstat(f.fileno()).st_size, source=f"File '{path}'")


def read_bytes(buf: bytes | bytearray | memoryview, source: str = "The buffer") -> NDArrayFile:
    """Read an NDArray file held in memory (``nd.load_frombuffer``)."""
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise GluonicTypeError(f"load_frombuffer expects bytes, bytearray or memoryview. Received: {type(buf).__name__}")
    data = buf if isinstance(buf, bytes) else bytes(buf)
    return read_stream(io.BytesIO(data), len(data), source=source)


def read_stream(stream: BinaryIO, size: int, source: str = "The stream") -> NDArrayFile:
    """Read an NDArray file of ``size`` bytes from a seekable binary stream at its start.

    ``source`` names the data in error messages (``"File 'x.params'"``). Bytes after
    the name list are ignored, as MXNet does.
    """
    r = _Reader(stream, size, source)
    (magic,) = r.unpack("<Q", "the file magic 0x112")
    if magic != LIST_MAGIC:
        r.fail("the file magic 0x112 (uint64) of an MXNet NDArray list file", f"{magic:#x}", 0)
    r.unpack("<Q", "the reserved header field")
    at = r.pos
    (count,) = r.unpack("<Q", "the number of arrays")
    if count * 4 + 8 > r.left:  # each array takes at least 4 bytes, the name count 8
        r.fail("a number of arrays that fits in the file", f"{count} arrays in {r.left} bytes", at)
    arrays = [_read_array(r, i) for i in range(count)]
    at = r.pos
    (n_names,) = r.unpack("<Q", "the number of names")
    if n_names not in (0, count):
        r.fail(f"0 names (a list save) or {count} names (one per array)", f"{n_names} names", at)
    names = [r.string(f"the name of array {i}") for i in range(n_names)]
    return NDArrayFile(arrays, names)


def _read_shape(r: _Reader, version: int, what: str) -> tuple[int, ...] | None:
    """An MXNet TShape: int32 ndim then int64 dims (uint32 both in version 0).

    Returns ``None`` for an unknown shape (ndim -1 or a dim -1, V3 only).
    """
    at = r.pos
    if version == 0:
        (ndim,) = r.unpack("<I", f"the ndim of {what}")
    else:
        (ndim,) = r.unpack("<i", f"the ndim of {what}")
    if version == 3 and ndim == -1:
        return None
    if not 0 <= ndim <= _MAX_NDIM:
        r.fail(f"the ndim of {what} in [0, {_MAX_NDIM}]", str(ndim), at)
    at = r.pos
    dims = r.unpack(f"<{ndim}{'I' if version == 0 else 'q'}", f"the {ndim} dims of {what}")
    if version == 3 and -1 in dims:
        return None
    if any(d < 0 for d in dims):
        r.fail(f"non-negative dims for {what}", str(dims), at)
    if _count(max(d, 1) for d in dims) > _MAX_ELEMENTS:
        r.fail(f"a plausible shape for {what} (at most 2**48 elements, counting zero dims as 1)", str(dims), at)
    return dims


def _count(shape: Iterable[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _looks_like_data(r: _Reader) -> bool:
    """After ``ndim == 0`` in a V0-V2 record: does a context and a dtype follow?

    MXNet writes ndim 0 both for an uninitialized array (nothing follows) and, without
    NumPy shape semantics, for a 0-d array (context, dtype and one element follow).
    """
    head = r.peek(12)
    if len(head) < 12:
        return False
    dev_type, dev_id, code = struct.unpack("<iii", head)
    return dev_type in _DEV_TYPES and 0 <= dev_id < 1 << 16 and (code in DTYPE_CODES or code in _UNSUPPORTED_CODES)


def _read_dtype(r: _Reader, what: str, allowed: Sequence[int] | None = None) -> int:
    at = r.pos
    (code,) = r.unpack("<i", f"the dtype code of {what}")
    if code in _UNSUPPORTED_CODES:
        r.fail(f"a dtype gluonic supports for {what}", f"{_UNSUPPORTED_CODES[code]} (code {code})", at)
    if code not in DTYPE_CODES or (allowed is not None and code not in allowed):
        choices = sorted(allowed if allowed is not None else DTYPE_CODES)
        r.fail(f"a dtype code of {what} in {choices}", str(code), at)
    return code


def _read_array(r: _Reader, i: int) -> StoredArray:
    what = f"array {i}"
    start = r.pos
    (magic,) = r.unpack("<I", f"the magic number of {what}")
    stype, sshape = 0, None
    if magic in (V2_MAGIC, V3_MAGIC):
        version = 2 if magic == V2_MAGIC else 3
        at = r.pos
        (stype,) = r.unpack("<i", f"the storage type of {what}")
        if stype not in _STYPES:
            r.fail(f"a storage type of {what} in {sorted(_STYPES)} (default, row_sparse, csr)", str(stype), at)
        if stype:
            sshape = _read_shape(r, version, f"the storage shape of {what}")
            if sshape is None:
                r.fail(f"a known storage shape for sparse {what}", "an unknown shape", at + 4)
    elif magic == V1_MAGIC:
        version = 1
    elif magic <= _MAX_NDIM:  # version 0 has no magic: the word is the ndim
        version = 0
        r.stream.seek(start)
        r.pos = start
    else:
        r.fail(f"the magic number of {what} (0xF993FAC9, 0xF993FACA or 0xF993FAC8)", f"{magic:#010x}", start)
    shape = _read_shape(r, version, what)
    if shape is None or (shape == () and version != 3 and not _looks_like_data(r)):
        return StoredArray(None, "float32", stype=_STYPES[stype], version=version)

    at = r.pos
    dev_type, dev_id = r.unpack("<ii", f"the context (dev_type, dev_id) of {what}")
    if dev_type not in _DEV_TYPES or dev_id < 0:
        r.fail(f"a context of {what} with dev_type in {sorted(_DEV_TYPES)} and dev_id >= 0",
               f"({dev_type}, {dev_id})", at)
    code = _read_dtype(r, what)
    name, dtype = DTYPE_CODES[code]

    aux = []
    for k in range(len(_AUX_NAMES[stype])):
        aux_what = f"the {_AUX_NAMES[stype][k]} of {what}"
        aux_code = _read_dtype(r, aux_what, _INDEX_CODES)
        aux_shape = _read_shape(r, version, aux_what)
        if aux_shape is None:
            r.fail(f"a known shape for {aux_what}", "an unknown shape")
        aux.append((aux_what, DTYPE_CODES[aux_code][1], aux_shape))

    stored_shape = sshape if stype else shape
    at = r.pos
    data = r.array(dtype, _count(stored_shape), f"the {name} data of {what}, shape {stored_shape}")
    data = data.reshape(stored_shape)
    if name == "bool":
        data = data.astype(bool)  # any non-zero byte is True
    if stype:
        aux_data = [r.array(dt, _count(s), f"{w}, shape {s}").reshape(s) for w, dt, s in aux]
        data = _densify(r, what, _STYPES[stype], shape, data, aux_data, at)
    return StoredArray(data, name, dev_type, dev_id, _STYPES[stype], version)


_AUX_NAMES = {0: (), 1: ("row indices",), 2: ("indptr", "column indices")}


def _densify(r: _Reader, what: str, stype: str, shape, values, aux, at: int) -> np.ndarray:
    """Dense form of a row_sparse or csr array, after checking its indices."""
    nbytes = _count(shape) * values.dtype.itemsize
    if nbytes > SPARSE_DENSE_LIMIT:
        r.fail(f"a sparse {what} whose dense form fits in SPARSE_DENSE_LIMIT={SPARSE_DENSE_LIMIT} bytes",
               f"shape {shape} ({nbytes} bytes dense)", at)
    dense = np.zeros(shape, values.dtype)
    if stype == "row_sparse":
        (rows,) = aux
        if len(shape) == 0 or values.shape[1:] != tuple(shape[1:]) or rows.shape != values.shape[:1]:
            r.fail(f"row_sparse {what}: values of shape (k,) + {tuple(shape[1:])} and k row indices",
                   f"values {values.shape}, indices {rows.shape}", at)
        if rows.size and (rows.min() < 0 or rows.max() >= shape[0]):
            r.fail(f"row indices of {what} in [0, {shape[0]})", f"{rows.min()}..{rows.max()}", at)
        dense[rows] = values
        return dense
    indptr, cols = aux
    if len(shape) != 2 or values.ndim != 1 or indptr.shape != (shape[0] + 1,) or cols.shape != values.shape:
        r.fail(f"csr {what}: a 2-d shape, {shape[0] + 1 if shape else '?'} indptr and one column per value",
               f"shape {shape}, values {values.shape}, indptr {indptr.shape}, columns {cols.shape}", at)
    if indptr[0] != 0 or indptr[-1] != values.size or np.any(np.diff(indptr) < 0):
        r.fail(f"a non-decreasing indptr of {what} from 0 to {values.size}", str(indptr[:8]), at)
    if cols.size and (cols.min() < 0 or cols.max() >= shape[1]):
        r.fail(f"column indices of {what} in [0, {shape[1]})", f"{cols.min()}..{cols.max()}", at)
    dense[np.repeat(np.arange(shape[0]), np.diff(indptr)), cols] = values
    return dense


# ----------------------------------------------------------------------------- writing
def _version_for(arrays: Sequence[StoredArray], np_shape: bool | None) -> int:
    if np_shape is None:  # V2 is what MXNet reads by default; only 0-d arrays need V3
        np_shape = any(a.data is not None and a.data.ndim == 0 for a in arrays)
    return 3 if np_shape else 2


def write_stream(
    stream: BinaryIO, arrays: Sequence[StoredArray], names: Sequence[str] | None = None, np_shape: bool | None = None
) -> None:
    """Write arrays (and names, or none for a list save) in MXNet's format.

    ``np_shape`` picks the array records: ``False`` writes V2 records for all arrays,
    byte for byte what MXNet 1.9.1 writes by default (including its unloadable V2 form of
    0-d arrays); ``True`` writes V3 records, what MXNet writes under NumPy shape
    semantics; ``None`` (default) writes V3 only if some array is 0-d, so that MXNet can
    load every file gluonic writes (with ``np_shape(True)`` for V3 files).
    """
    names = list(names or [])
    if names and len(names) != len(arrays):
        raise GluonicValueError(f"Expected one name per array ({len(arrays)}). Received: {len(names)} names")
    version = _version_for(arrays, np_shape)
    stream.write(struct.pack("<QQQ", LIST_MAGIC, 0, len(arrays)))
    for a in arrays:
        _write_array(stream, a, version)
    stream.write(struct.pack("<Q", len(names)))
    for name in names:
        if not isinstance(name, str):
            raise GluonicTypeError(f"Array names must be str. Received: {name!r}")
        raw = name.encode("utf-8")
        stream.write(struct.pack("<Q", len(raw)))
        stream.write(raw)


def _write_array(stream: BinaryIO, a: StoredArray, version: int) -> None:
    if a.data is None or a.stype != "default":
        raise GluonicValueError(f"Only dense, initialized arrays can be written. Received: stype={a.stype!r}, "
                                f"data={'None' if a.data is None else a.data.shape}")
    if a.dtype not in _NAME_CODES:
        raise GluonicTypeError(f"Cannot write dtype {a.dtype!r}; expected one of {sorted(_NAME_CODES)}")
    code = _NAME_CODES[a.dtype]
    data = np.asarray(a.data, dtype=bool if a.dtype == "bool" else DTYPE_CODES[code][1], order="C")  # keeps 0-d
    stream.write(struct.pack("<Iii", V3_MAGIC if version == 3 else V2_MAGIC, 0, data.ndim))
    stream.write(struct.pack(f"<{data.ndim}q", *data.shape))
    stream.write(struct.pack("<iii", a.dev_type, a.dev_id, code))
    stream.write(data.reshape(-1).view(np.uint8))


def to_bytes(arrays: Sequence[StoredArray], names: Sequence[str] | None = None, np_shape: bool | None = None) -> bytes:
    """The file :func:`write_stream` writes, as bytes (``nd.save`` to memory)."""
    out = io.BytesIO()
    write_stream(out, arrays, names, np_shape)
    return out.getvalue()


def write_file(
    path: str | os.PathLike, arrays: Sequence[StoredArray], names: Sequence[str] | None = None,
    np_shape: bool | None = None,
) -> None:
    """Write an NDArray file atomically: a temporary file in the same folder, then a rename.

    A failure leaves any previous file at ``path`` untouched and no temporary file behind.
    """
    write_atomic(path, lambda f: write_stream(f, arrays, names, np_shape))  # through symlinks, as MXNet does


# ----------------------------------------------------------------------------- torch
def stored_to_tensor(a: StoredArray) -> torch.Tensor:
    """A CPU tensor sharing the stored data (bfloat16 reinterpreted bit for bit)."""
    if a.data is None:
        raise GluonicValueError("The stored array is uninitialized (saved without a shape); it has no data")
    if a.dtype == "bfloat16":
        return torch.from_numpy(a.data.view(np.int16)).view(torch.bfloat16)
    return torch.from_numpy(a.data)


_TORCH_NAMES = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16", torch.uint8: "uint8",
    torch.int32: "int32", torch.int8: "int8", torch.int64: "int64", torch.bool: "bool", torch.bfloat16: "bfloat16",
}


def tensor_to_stored(t: torch.Tensor, dev_type: int = 1, dev_id: int = 0) -> StoredArray:
    """A :class:`StoredArray` holding a CPU copy of ``t`` (detached, contiguous)."""
    try:
        name = _TORCH_NAMES[t.dtype]
    except KeyError:
        raise GluonicTypeError(f"Cannot save a tensor of dtype {t.dtype} in MXNet's format; "
                               f"supported: {', '.join(_TORCH_NAMES.values())}") from None
    t = t.detach().cpu().contiguous()
    data = t.view(torch.int16).numpy().view(np.uint16) if name == "bfloat16" else t.numpy()
    return StoredArray(data, name, dev_type, dev_id)
