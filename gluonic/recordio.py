"""MXNet's RecordIO format (``mx.recordio``): sequential and indexed record files.

A ``.rec`` file is a sequence of records. Each record is stored as one or more parts,
each part being::

    uint32 magic = 0xced7230a        (little-endian)
    uint32 lrec  = cflag << 29 | length
    length bytes of data, then zero bytes up to a multiple of 4

``cflag`` is 0 for a record stored whole. A record whose data contains the magic number
at a 4-byte-aligned offset is split there (the magic itself is not stored): its parts
have ``cflag`` 1 (first), 2 (middle) and 3 (last), and a reader puts the magic back
between them. A ``.idx`` file maps keys to the byte offsets of records, one
``key<TAB>offset`` line per record. Files written here are byte-identical to MXNet's.

``pack``/``unpack`` add the 24-byte image-record header (``IRHeader``: flag, label, id,
id2) that ``im2rec`` and ``ImageRecordIter`` use; ``pack_img``/``unpack_img`` encode and
decode the image with Pillow (MXNet uses OpenCV's ``cv2``), in OpenCV's BGR channel order.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), 'tmp.rec')
>>> with MXRecordIO(path, 'w') as w:
...     for i in range(3):
...         w.write(b'record_%d' % i)
>>> r = MXRecordIO(path, 'r')
>>> [r.read() for _ in range(4)]
[b'record_0', b'record_1', b'record_2', None]
>>> header, payload = unpack(pack(IRHeader(0, 4.0, 7, 0), b'jpeg bytes'))
>>> header, payload
(HEADER(flag=0, label=4.0, id=7, id2=0), b'jpeg bytes')
"""
from __future__ import annotations

import numbers
import os
import struct
from collections import namedtuple

import numpy as np

from .base import FileFormatError, GluonicTypeError, GluonicValueError, MXNetError

__all__ = ["MXRecordIO", "MXIndexedRecordIO", "IRHeader", "pack", "unpack", "pack_img", "unpack_img",
           "RecordIOFileError", "RecordKeyError"]

_MAGIC = 0xCED7230A
_MAGIC_BYTES = struct.pack("<I", _MAGIC)
_MAX_LENGTH = (1 << 29) - 1
_HEAD = struct.Struct("<II")


class RecordIOFileError(MXNetError, OSError):
    """A record file could not be opened (missing, unreadable, a directory...)."""


class RecordKeyError(MXNetError, KeyError):
    """``MXIndexedRecordIO.read_idx``/``seek`` got a key that is not in the index."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else ""


def _as_bytes(buf, where: str) -> bytes | memoryview:
    if isinstance(buf, (bytes, bytearray, memoryview)):
        return buf
    if isinstance(buf, np.ndarray):
        return buf.tobytes()
    raise GluonicTypeError(f"{where}: expects a bytes-like record (bytes, bytearray, memoryview, numpy array). "
                           f"Received: {type(buf).__name__}" + (" (encode str with .encode())" if isinstance(buf, str)
                                                                else ""))


def _encode_record(buf) -> bytes:
    """The bytes MXNet writes for one record: its parts, split at aligned magic numbers."""
    length = len(buf)
    if length > _MAX_LENGTH:
        raise GluonicValueError(f"MXRecordIO.write: a record must be shorter than 2**29 bytes. Received: {length} bytes")
    view = bytes(buf)
    out = []
    start = 0  # first byte of the current part
    pos = view.find(_MAGIC_BYTES)
    while pos != -1:
        if pos % 4 == 0:
            cflag = 1 if start == 0 else 2
            out += [_HEAD.pack(_MAGIC, cflag << 29 | (pos - start)), view[start:pos]]
            start = pos + 4
            pos = view.find(_MAGIC_BYTES, start)
        else:
            pos = view.find(_MAGIC_BYTES, pos + 1)
    cflag = 3 if start != 0 else 0
    out += [_HEAD.pack(_MAGIC, cflag << 29 | (length - start)), view[start:]]
    out.append(b"\0" * (-length % 4))
    return b"".join(out)


def _open(path: str, mode: str, what: str):
    try:
        return open(path, mode)
    except OSError as e:
        raise RecordIOFileError(f"{what}: cannot open '{path}' for {'writing' if 'w' in mode else 'reading'}. "
                                f"Received: {e.strerror or e}") from e


class MXRecordIO:
    """Read or write a RecordIO file sequentially (MXNet: ``mx.recordio.MXRecordIO``).

    Parameters
    ----------
    uri : str or os.PathLike
        Path of the ``.rec`` file.
    flag : {'r', 'w'}
        ``'r'`` to read, ``'w'`` to write (the file is truncated).

    ``read()`` returns the next record as ``bytes`` (None at the end of the file);
    ``write(buf)`` appends one. Usable as a context manager (closes on exit). A corrupt
    or truncated file raises :class:`~gluonic.base.FileFormatError` naming the file and
    the byte offset. As in MXNet, a reader opened in one process cannot ``read()`` in
    another (the file position would be shared after ``fork``): call ``reset()`` there
    (``MXIndexedRecordIO.read_idx`` reopens by itself).
    """

    def __init__(self, uri, flag: str):
        self.uri = os.fspath(uri)
        self.flag = flag
        self.pid = None
        self.is_open = False
        self.writable = flag == "w"
        self._file = None
        self.open()

    def open(self) -> None:
        """Open the file (called by the constructor and ``reset``)."""
        if self.flag == "w":
            self._file = _open(self.uri, "wb", type(self).__name__)
            self.writable = True
        elif self.flag == "r":
            self._file = _open(self.uri, "rb", type(self).__name__)
            self.writable = False
        else:
            raise GluonicValueError(f"{type(self).__name__}: flag must be 'r' or 'w'. Received: {self.flag!r}")
        self.pid = os.getpid()
        self.is_open = True

    def close(self) -> None:
        """Close the file (a writer's data is flushed). Closing twice is harmless."""
        if not self.is_open:
            return
        self._file.close()
        self._file = None
        self.is_open = False
        self.pid = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_file"] = None
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)
        if self.is_open:
            self.is_open = False
            if self.writable:
                raise GluonicValueError(f"{type(self).__name__}: a writer cannot be pickled while open. "
                                        f"Received: '{self.uri}' opened with 'w'")
            self.open()

    def _check_open(self, op: str) -> None:
        if not self.is_open:
            raise GluonicValueError(f"{type(self).__name__}.{op}: the file '{self.uri}' is closed. "
                                    "Received: a call after close(); call open() or reset() first")

    def _check_pid(self, allow_reset: bool = False) -> None:
        if self.pid != os.getpid():
            if allow_reset:
                self.reset()
            else:
                raise MXNetError(f"{type(self).__name__}: forbidden operation in multiple processes: '{self.uri}' "
                                 "was opened in another process; call reset() in this one first")

    def reset(self) -> None:
        """Go back to the first record (reopens the file; a writer truncates it)."""
        self.close()
        self.open()

    def tell(self) -> int:
        """The current byte offset: where the next record will be written (or read)."""
        self._check_open("tell")
        return self._file.tell()

    def write(self, buf) -> None:
        """Append one record (bytes-like)."""
        self._check_open("write")
        if not self.writable:
            raise GluonicValueError(f"{type(self).__name__}.write: '{self.uri}' is opened for reading. "
                                    "Received: a write on a reader (open it with flag='w')")
        self._check_pid(allow_reset=False)
        self._file.write(_encode_record(_as_bytes(buf, f"{type(self).__name__}.write")))

    def read(self) -> bytes | None:
        """The next record, or None at the end of the file."""
        self._check_open("read")
        if self.writable:
            raise GluonicValueError(f"{type(self).__name__}.read: '{self.uri}' is opened for writing. "
                                    "Received: a read on a writer (open it with flag='r')")
        self._check_pid(allow_reset=False)
        return self._read_record()

    def _corrupt(self, offset: int, what: str) -> FileFormatError:
        return FileFormatError(f"{type(self).__name__}: '{self.uri}' is not a valid RecordIO file: {what} "
                               f"at byte offset {offset}")

    def _read_record(self) -> bytes | None:
        f = self._file
        start = f.tell()
        parts = []
        while True:
            offset = f.tell()
            head = f.read(8)
            if not head and not parts:
                return None
            if len(head) < 8:
                raise self._corrupt(offset, f"truncated record header ({len(head)} of 8 bytes"
                                    + (", inside a record split in parts" if parts else "") + ")")
            magic, lrec = _HEAD.unpack(head)
            if magic != _MAGIC:
                raise self._corrupt(offset, f"expected the magic number 0xced7230a, found 0x{magic:08x}")
            cflag, length = lrec >> 29, lrec & _MAX_LENGTH
            if (cflag in (2, 3)) != bool(parts):
                raise self._corrupt(offset, f"record part with continuation flag {cflag} out of order "
                                    f"(record starting at offset {start})")
            padded = length + (-length % 4)
            data = f.read(padded)
            if len(data) < padded:
                raise self._corrupt(offset, f"truncated record: {length} bytes announced, {len(data)} present")
            parts.append(data[:length])
            if cflag in (0, 3):
                return _MAGIC_BYTES.join(parts)

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"<{type(self).__name__} '{self.uri}' flag={self.flag!r} {state}>"


class MXIndexedRecordIO(MXRecordIO):
    """A RecordIO file with an index, for random access (MXNet: ``mx.recordio.MXIndexedRecordIO``).

    Parameters
    ----------
    idx_path : str or os.PathLike
        Path of the ``.idx`` file (``key<TAB>offset`` per line).
    uri : str or os.PathLike
        Path of the ``.rec`` file.
    flag : {'r', 'w'}
        ``'r'`` to read, ``'w'`` to write both files.
    key_type : type, default int
        Type the keys are converted to.

    ``keys`` lists the keys in file order, ``idx`` maps them to offsets.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> w = MXIndexedRecordIO(os.path.join(d, 'a.idx'), os.path.join(d, 'a.rec'), 'w')
    >>> for i in range(5):
    ...     w.write_idx(i, b'record_%d' % i)
    >>> w.close()
    >>> r = MXIndexedRecordIO(os.path.join(d, 'a.idx'), os.path.join(d, 'a.rec'), 'r')
    >>> r.read_idx(3), r.keys
    (b'record_3', [0, 1, 2, 3, 4])
    """

    def __init__(self, idx_path, uri, flag: str, key_type=int):
        self.idx_path = os.fspath(idx_path)
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        super().__init__(uri, flag)

    def open(self) -> None:
        super().open()
        self.idx = {}
        self.keys = []
        if self.writable:
            self.fidx = _open(self.idx_path, "w", type(self).__name__)
            return
        self.fidx = _open(self.idx_path, "r", type(self).__name__)
        for lineno, line in enumerate(self.fidx, 1):
            fields = line.strip().split("\t")
            if fields == [""]:
                continue
            try:
                key, offset = self.key_type(fields[0]), int(fields[1])
            except (ValueError, IndexError) as e:
                raise FileFormatError(f"MXIndexedRecordIO: '{self.idx_path}' is not a valid index file: line "
                                      f"{lineno} should be 'key<TAB>offset'. Received: {line.rstrip()!r}") from e
            self.idx[key] = offset
            self.keys.append(key)

    def close(self) -> None:
        if not self.is_open:
            return
        super().close()
        if self.fidx is not None:
            self.fidx.close()
            self.fidx = None

    def __getstate__(self):
        state = super().__getstate__()
        state["fidx"] = None
        return state

    def seek(self, idx) -> None:
        """Move the reader to the record with key ``idx``."""
        self._check_open("seek")
        if self.writable:
            raise GluonicValueError(f"MXIndexedRecordIO.seek: '{self.uri}' is opened for writing. "
                                    "Received: a seek on a writer")
        self._check_pid(allow_reset=True)
        try:
            pos = self.idx[idx]
        except KeyError:
            raise RecordKeyError(f"MXIndexedRecordIO: key {idx!r} is not in the index '{self.idx_path}' "
                                 f"({len(self.keys)} keys). Received: {idx!r}") from None
        self._file.seek(pos)

    def read_idx(self, idx) -> bytes:
        """The record with key ``idx``."""
        self.seek(idx)
        record = self.read()
        if record is None:
            raise self._corrupt(self.idx[idx], f"the index '{self.idx_path}' points past the end of the file "
                                f"(key {idx!r})")
        return record

    def write_idx(self, idx, buf) -> None:
        """Append record ``buf`` under key ``idx`` (converted with ``key_type``)."""
        key = self.key_type(idx)
        pos = self.tell()
        self.write(buf)
        self.fidx.write(f"{key}\t{pos}\n")
        self.idx[key] = pos
        self.keys.append(key)


IRHeader = namedtuple("HEADER", ["flag", "label", "id", "id2"])
IRHeader.__doc__ = """Header of an image record (MXNet: ``mx.recordio.IRHeader``).

Fields: ``flag`` (0, or the number of labels when ``label`` is an array), ``label``
(a float, or an array of float32), ``id`` (the record's id, uint64), ``id2`` (high bits
of the id, usually 0).
"""

_IR_FORMAT = struct.Struct("<IfQQ")
_IR_SIZE = _IR_FORMAT.size


def pack(header, s) -> bytes:
    """Prefix ``s`` with an image-record header (MXNet: ``mx.recordio.pack``).

    A scalar ``header.label`` is stored in the header (flag set to 0); an array label is
    stored as float32 values after the header, with ``flag`` set to its size.

    >>> len(pack(IRHeader(0, [1, 2, 3], 5, 0), b'data'))
    40
    """
    header = IRHeader(*header)
    s = bytes(_as_bytes(s, "recordio.pack"))
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
    else:
        label = np.asarray(header.label, dtype=np.float32)
        header = header._replace(flag=label.size, label=0)
        s = label.tobytes() + s
    try:
        return _IR_FORMAT.pack(*header) + s
    except struct.error as e:
        raise GluonicValueError(f"recordio.pack: invalid header field. Received: {header} ({e})") from e


def unpack(s) -> tuple:
    """Split an image record into its ``IRHeader`` and payload (MXNet: ``mx.recordio.unpack``).

    An array label (``flag > 0``) comes back as a float32 NumPy array.
    """
    s = bytes(_as_bytes(s, "recordio.unpack"))
    if len(s) < _IR_SIZE:
        raise GluonicValueError(f"recordio.unpack: a record starts with a {_IR_SIZE}-byte IRHeader. "
                                f"Received: {len(s)} bytes")
    header = IRHeader(*_IR_FORMAT.unpack_from(s))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        if len(s) < 4 * header.flag:
            raise GluonicValueError(f"recordio.unpack: the header announces {header.flag} float32 labels "
                                    f"({4 * header.flag} bytes). Received: {len(s)} bytes after the header")
        header = header._replace(label=np.frombuffer(s, np.float32, header.flag))
        s = s[header.flag * 4:]
    return header, s


def unpack_img(s, iscolor: int = -1) -> tuple:
    """Unpack an image record into its header and a decoded image (MXNet: ``mx.recordio.unpack_img``).

    Parameters
    ----------
    s : bytes
        A record, as returned by ``read``.
    iscolor : int, default -1
        OpenCV's ``imdecode`` flag: -1 keeps the stored channels, 0 gives a grayscale
        image, 1 a 3-channel color image.

    Returns
    -------
    (IRHeader, numpy.ndarray)
        The image is uint8 in OpenCV's layout: ``(H, W)`` for grayscale, ``(H, W, 3)``
        BGR or ``(H, W, 4)`` BGRA for color.
    """
    from .image import _codec

    header, s = unpack(s)
    return header, _codec.decode_cv(s, iscolor, "recordio.unpack_img")


def pack_img(header, img, quality: int = 95, img_fmt: str = ".jpg") -> bytes:
    """Encode an image and pack it with ``header`` (MXNet: ``mx.recordio.pack_img``).

    Parameters
    ----------
    header : IRHeader
        The record header.
    img : numpy.ndarray
        uint8 image in OpenCV's layout: ``(H, W)``, ``(H, W, 1)``, BGR ``(H, W, 3)`` or
        BGRA ``(H, W, 4)``.
    quality : int, default 95
        JPEG quality (1-100), or PNG compression level (0-9).
    img_fmt : str, default '.jpg'
        ``'.jpg'``/``'.jpeg'`` or ``'.png'``.

    The bytes are Pillow's encoding, so they differ from OpenCV's; the decoded pixels of a
    PNG are identical, those of a JPEG close.
    """
    from .image import _codec

    return pack(header, _codec.encode_cv(img, img_fmt, quality, "recordio.pack_img"))
