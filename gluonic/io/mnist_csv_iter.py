"""``mx.io.MNISTIter`` and ``mx.io.CSVIter``: MXNet's C++ file iterators, in Python.

Both match MXNet 1.9.1 batch for batch (checked against it in
``tests/io/test_mnist_csv_iter.py``), including MNISTIter's shuffled order (a C++
``std::shuffle`` over ``std::mt19937(seed)``, reproduced here) and CSVIter's round-robin
last batch, whose overflow the next epoch skips. Where MXNet leaves a batch's padding
undefined (``CSVIter(round_batch=False)``) gluonic pads with the first examples.
:func:`read_idx` reads the IDX files of MNIST (also used by ``gluon.data.vision.MNIST``).
"""
from __future__ import annotations

import gzip
import logging
import os
import struct
import zlib

import numpy as np

from ..base import FileFormatError, GluonicValueError, MXNetError
from ..ndarray.ndarray import array
from .data_iter import DataBatch, DataDesc, DataIter

__all__ = ["MNISTIter", "CSVIter", "read_idx"]

_log = logging.getLogger(__name__)


class DataFileNotFoundError(MXNetError, FileNotFoundError):
    """A data file given to an iterator does not exist."""


def _read_bytes(path: str, what: str) -> bytes:
    """The bytes of ``path``, gunzipped when the file is gzip (by its magic bytes)."""
    if not os.path.isfile(path):
        raise DataFileNotFoundError(f"{what}: file not found. Received: {path!r}")
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise FileFormatError(f"{path}: corrupt or truncated gzip file ({e}). Received: {len(raw)} bytes") from None


def read_idx(path: str, ndim: int, what: str = "read_idx") -> np.ndarray:
    """An IDX file of unsigned bytes with ``ndim`` axes (gzipped or not) as a uint8 array.

    Raises FileFormatError naming the file when the magic number, the sizes or the
    length of the data do not fit.
    """
    raw = _read_bytes(path, what)
    head = 4 + 4 * ndim
    if len(raw) < head:
        raise FileFormatError(f"{path}: truncated IDX file (no complete header). Received: {len(raw)} bytes")
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != 0x0800 + ndim:
        raise FileFormatError(f"{path}: not an IDX file of {ndim}-D unsigned bytes (magic 0x{0x0800 + ndim:08x}). "
                              f"Received: magic 0x{magic:08x}")
    shape = struct.unpack(f">{ndim}I", raw[4:head])
    size = int(np.prod(shape))
    if len(raw) - head != size:
        state = "truncated" if len(raw) - head < size else "extra bytes at the end"
        raise FileFormatError(f"{path}: the header announces shape {shape} ({size} bytes of data). Received: "
                              f"{len(raw) - head} bytes of data ({state})")
    return np.frombuffer(raw, dtype=np.uint8, offset=head).reshape(shape)


def _cxx_shuffle(n: int, seed: int) -> np.ndarray:
    """The permutation ``std::shuffle(0..n-1, std::mt19937(seed))`` gives with libstdc++
    (Fisher-Yates from the front; ``uniform_int_distribution`` by rejection and division)."""
    rs = np.random.RandomState(seed & 0xFFFFFFFF)  # integer seeding = mt19937's init_genrand
    buf = rs.randint(0, 2**32, size=max(n, 16), dtype=np.uint32).tolist()
    pos = 0
    order = list(range(n))
    for i in range(1, n):
        span = i + 1
        scaling = 0xFFFFFFFF // span
        limit = span * scaling
        while True:
            if pos == len(buf):
                buf, pos = rs.randint(0, 2**32, size=1024, dtype=np.uint32).tolist(), 0
            r = buf[pos]
            pos += 1
            if r < limit:
                break
        j = r // scaling
        order[i], order[j] = order[j], order[i]
    return np.array(order, dtype=np.int64)


def _out_dtype(dtype, what: str):
    if dtype is None or dtype == "None":
        return np.float32
    try:
        return np.dtype(dtype).type
    except TypeError:
        raise GluonicValueError(f"{what}: unknown dtype. Received: dtype={dtype!r}") from None


class MNISTIter(DataIter):
    """Batches of MNIST images from its IDX files (MXNet: ``mx.io.MNISTIter``).

    Data batches are float32 ``(batch_size, 1, rows, cols)`` (``flat``:
    ``(batch_size, rows * cols)``) with pixels divided by 256, as MXNet; labels are float32
    ``(batch_size,)``. The last incomplete batch of an epoch is dropped. The order is
    shuffled once, at construction (not per epoch), exactly as MXNet shuffles it.

    Parameters
    ----------
    image, label : str
        The IDX image and label files (raw or gzipped).
    batch_size : int, default 128
    shuffle : bool, default True
        MXNet's default (gluonic keeps it).
    flat : bool, default False
    seed : int, default 0
        Seed of the shuffle.
    silent : bool, default False
        When False, logs the number of images loaded (``logging`` at INFO level).
    num_parts, part_index : int, default 1, 0
        Read only part ``part_index`` of ``num_parts`` equal contiguous parts (for
        distributed training); the shuffle applies within the part.
    prefetch_buffer, ctx : accepted for compatibility; unused.
    dtype : str, optional
        Output dtype of data and labels (default float32).

    Example
    -------
    >>> it = mx.io.MNISTIter(image='train-images-idx3-ubyte', label='train-labels-idx1-ubyte',
    ...                      batch_size=100)                                    # doctest: +SKIP
    >>> batch = it.next(); batch.data[0].shape                                 # doctest: +SKIP
    (100, 1, 28, 28)
    """

    def __init__(self, image="./train-images-idx3-ubyte", label="./train-labels-idx1-ubyte", batch_size=128,
                 shuffle=True, flat=False, seed=0, silent=False, num_parts=1, part_index=0, prefetch_buffer=4,
                 ctx="gpu", dtype=None, data_name="data", label_name="softmax_label"):
        super().__init__(batch_size)
        if batch_size <= 0:
            raise GluonicValueError(f"MNISTIter: batch_size must be > 0. Received: {batch_size}")
        if num_parts < 1 or not 0 <= part_index < num_parts:
            raise GluonicValueError(f"MNISTIter: need num_parts >= 1 and 0 <= part_index < num_parts. "
                                    f"Received: num_parts={num_parts}, part_index={part_index}")
        images = read_idx(image, 3, "MNISTIter")
        labels = read_idx(label, 1, "MNISTIter")
        if len(images) != len(labels):
            raise FileFormatError(f"MNISTIter: {image} holds {len(images)} images but {label} holds {len(labels)} "
                                  f"labels. Received: {len(images)} != {len(labels)}")
        n = len(images)
        start, end = n * part_index // num_parts, n * (part_index + 1) // num_parts
        index = np.arange(start, end)
        if shuffle:
            index = index[_cxx_shuffle(len(index), seed)]
        if len(index) < batch_size:
            raise GluonicValueError(f"MNISTIter: batch_size is larger than the number of images ({len(index)}), so "
                                    f"there is no complete batch. Received: batch_size={batch_size}")
        dtype = _out_dtype(dtype, "MNISTIter")
        rows, cols = images.shape[1:]
        pixels = images[index].astype(np.float32) * np.float32(1 / 256)
        self._data = pixels.reshape(len(index), rows * cols) if flat else pixels.reshape(len(index), 1, rows, cols)
        self._data = self._data.astype(dtype, copy=False)
        self._label = labels[index].astype(dtype)
        self._index = index
        self._cursor = 0
        self._names = (data_name, label_name)
        if not silent:
            _log.info("MNISTIter: load %d images, shuffle=%d, shape=%s", len(index), int(shuffle),
                      (batch_size,) + self._data.shape[1:])

    @property
    def provide_data(self) -> list[DataDesc]:
        return [DataDesc(self._names[0], (self.batch_size,) + self._data.shape[1:], self._data.dtype.type)]

    @property
    def provide_label(self) -> list[DataDesc]:
        return [DataDesc(self._names[1], (self.batch_size,), self._label.dtype.type)]

    def reset(self) -> None:
        self._cursor = 0

    def next(self) -> DataBatch:
        lo, hi = self._cursor, self._cursor + self.batch_size
        if hi > len(self._index):
            raise StopIteration
        self._cursor = hi
        return DataBatch(data=[array(self._data[lo:hi], dtype=self._data.dtype)],
                         label=[array(self._label[lo:hi], dtype=self._label.dtype)], pad=0,
                         index=self._index[lo:hi].copy(), provide_data=self.provide_data,
                         provide_label=self.provide_label)


def _read_csv(path: str, width: int, what: str, kind: str) -> np.ndarray:
    files = [path]
    if os.path.isdir(path):
        files = [os.path.join(path, f) for f in sorted(os.listdir(path)) if not f.startswith(".")]
    elif not os.path.isfile(path):
        raise DataFileNotFoundError(f"CSVIter: {kind} file not found. Received: {path!r}")
    parts = []
    for f in files:
        try:
            rows = np.loadtxt(f, delimiter=",", dtype=np.float32, ndmin=2)
        except ValueError as e:
            raise FileFormatError(f"{f}: not a CSV file of numbers ({e}). Received: {kind} file {f!r}") from None
        if rows.size and rows.shape[1] != width:
            raise FileFormatError(f"{f}: each row must hold {width} values ({what}). Received: "
                                  f"rows of {rows.shape[1]} values")
        parts.append(rows.reshape(-1, width))
    data = np.concatenate(parts) if parts else np.zeros((0, width), np.float32)
    if len(data) == 0:
        raise FileFormatError(f"CSVIter: the {kind} file holds no rows. Received: {path!r}")
    return data


class CSVIter(DataIter):
    """Batches of examples read from CSV files (MXNet: ``mx.io.CSVIter``).

    Each row of ``data_csv`` is one example of shape ``data_shape`` (and each row of
    ``label_csv`` its label). Batches are float32 ``(batch_size,) + data_shape`` and
    labels ``(batch_size,)`` (``label_shape`` (1,)) or ``(batch_size,) + label_shape``.

    With ``round_batch`` (default) the last batch of an epoch is completed with examples
    from the start (``pad`` counts them) and the next epoch begins after them, so every
    example is seen equally often. Without it, the last batch is padded with the first
    examples (MXNet leaves that padding undefined) and every epoch starts at the beginning.

    Parameters
    ----------
    data_csv : str
        A CSV file, or a directory whose files are read in sorted order.
    data_shape : tuple of int
    label_csv : str, optional
        Labels; without one, all labels are 0.
    label_shape : tuple of int, default (1,)
    batch_size : int
    round_batch : bool, default True
    prefetch_buffer, ctx : accepted for compatibility; unused.
    dtype : str, optional
        Output dtype of data and labels (default float32).
    """

    def __init__(self, data_csv, data_shape, label_csv=None, label_shape=(1,), batch_size=None, round_batch=True,
                 prefetch_buffer=4, ctx="gpu", dtype=None, data_name="data", label_name="softmax_label"):
        if batch_size is None or batch_size <= 0:
            raise GluonicValueError(f"CSVIter: batch_size is required and must be > 0. Received: {batch_size}")
        super().__init__(batch_size)
        data_shape = (data_shape,) if isinstance(data_shape, int) else tuple(data_shape)
        label_shape = (label_shape,) if isinstance(label_shape, int) else tuple(label_shape)
        dtype = _out_dtype(dtype, "CSVIter")
        width = int(np.prod(data_shape))
        data = _read_csv(data_csv, width, f"data_shape {data_shape}", "data")
        label_width = int(np.prod(label_shape))
        if label_csv is None or label_csv == "NULL":
            label = np.zeros((len(data), label_width), np.float32)
        else:
            label = _read_csv(label_csv, label_width, f"label_shape {label_shape}", "label")
            if len(label) != len(data):
                raise FileFormatError(f"CSVIter: {data_csv} holds {len(data)} rows but {label_csv} holds "
                                      f"{len(label)}. Received: {len(data)} != {len(label)}")
        self._label_shape = () if label_shape == (1,) else label_shape
        self._data = data.reshape((len(data),) + data_shape).astype(dtype, copy=False)
        self._label = label.reshape((len(label),) + self._label_shape).astype(dtype, copy=False)
        self._round = bool(round_batch)
        self._names = (data_name, label_name)
        self._head = 0  # first example of the current epoch
        self._cursor = 0
        self._done = False

    @property
    def provide_data(self) -> list[DataDesc]:
        return [DataDesc(self._names[0], (self.batch_size,) + self._data.shape[1:], self._data.dtype.type)]

    @property
    def provide_label(self) -> list[DataDesc]:
        return [DataDesc(self._names[1], (self.batch_size,) + self._label_shape, self._label.dtype.type)]

    def reset(self) -> None:
        self._cursor = self._head
        self._done = False

    def next(self) -> DataBatch:
        n, bs = len(self._data), self.batch_size
        if self._done or self._cursor >= n:
            raise StopIteration
        index = np.arange(self._cursor, self._cursor + bs)
        pad = max(0, self._cursor + bs - n)
        if pad:
            self._done = True
            if self._round:
                index %= n
                self._head = pad % n
            else:
                index[bs - pad:] = np.arange(pad) % n
        elif self._cursor + bs == n:
            self._done = True
            self._head = 0 if self._round else self._head
        self._cursor += bs
        return DataBatch(data=[array(self._data[index], dtype=self._data.dtype)],
                         label=[array(self._label[index], dtype=self._label.dtype)], pad=pad, index=index,
                         provide_data=self.provide_data, provide_label=self.provide_label)
