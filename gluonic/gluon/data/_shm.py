"""Batches through shared memory: how a worker process hands arrays to the main process.

A worker builds each batch's arrays inside one anonymous shared-memory file (a Linux
``memfd``; an unlinked temporary file elsewhere), the *arena*. Batchify functions that
allocate through :func:`empty` (``default_batchify_fn``, ``Stack``, ``Pad``) write their
output there directly; any other array in the batch is copied in when the batch is
packed. The worker then sends a small message (the batch's structure, with each array
replaced by ``(offset, shape, dtype)``) and the arena's file descriptor (``SCM_RIGHTS``)
over a Unix socket; the main process maps the file and wraps the regions as tensors,
without copying. The file has no name, so nothing is left behind in ``/dev/shm`` when a
process dies, whichever one.
"""
from __future__ import annotations

import array
import mmap
import os
import pickle
import socket
import struct
import tempfile

import numpy as np
import torch

from ...context import Context, cpu
from ...ndarray.ndarray import NDArray, _wrap_as, mode_array_class

__all__ = ["Arena", "empty", "set_arena", "pack", "unpack", "send_msg", "recv_msg", "map_arena"]

_PAGE = mmap.ALLOCATIONGRANULARITY
_ALIGN = 64


def _new_file() -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("gluonic-batch", os.MFD_CLOEXEC)
    fd, path = tempfile.mkstemp(prefix="gluonic-batch-")
    os.unlink(path)
    return fd


class Arena:
    """One batch's shared-memory file; regions are allocated at page-aligned offsets."""

    def __init__(self):
        self.fd: int | None = None
        self.size = 0
        self._blocks: dict[int, tuple[int, int]] = {}  # data_ptr -> (offset, nbytes)

    def alloc(self, shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
        """An uninitialized CPU tensor living in this arena."""
        nbytes = int(np.prod(shape, dtype=np.int64)) * torch.empty((), dtype=dtype).element_size()
        if nbytes == 0:
            return torch.empty(shape, dtype=dtype)
        if self.fd is None:
            self.fd = _new_file()
        offset = self.size
        self.size = -(-(offset + nbytes) // _PAGE) * _PAGE
        os.ftruncate(self.fd, self.size)
        mm = mmap.mmap(self.fd, nbytes, offset=offset)
        t = torch.frombuffer(mm, dtype=torch.uint8).view(dtype).view(shape)
        self._blocks[t.data_ptr()] = (offset, nbytes)
        return t

    def locate(self, t: torch.Tensor) -> int | None:
        """The arena offset of ``t`` if it is exactly one whole region of this arena, else None."""
        block = self._blocks.get(t.data_ptr())
        if block is None or not t.is_contiguous() or t.numel() * t.element_size() != block[1]:
            return None
        return block[0]

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self._blocks.clear()


_current: Arena | None = None


def set_arena(arena: Arena | None) -> None:
    """Make ``arena`` the target of :func:`empty` (worker processes, while batchifying)."""
    global _current
    _current = arena


def empty(shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    """An uninitialized CPU tensor: in the current batch's shared memory inside a worker, else ordinary."""
    if _current is not None:
        return _current.alloc(tuple(shape), dtype)
    return torch.empty(shape, dtype=dtype)


# ----------------------------------------------------------------------------- packing
# A packed batch is the batch with every array leaf replaced by a descriptor tuple:
#   ("nd" | "pt" | "np", offset, shape, dtype-name)    an array in the arena
# Lists, tuples (and named tuples) and dicts keep their structure; other leaves are pickled.
_ARRAY_TAGS = ("nd", "pt", "np")


class _Leaf(tuple):
    """Marks a descriptor inside the packed structure (a plain tuple is user data)."""


def _tensor_into(arena: Arena, t: torch.Tensor) -> tuple[int, tuple, torch.dtype]:
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    offset = arena.locate(t)
    if offset is None:
        out = arena.alloc(tuple(t.shape), t.dtype)
        out.copy_(t)
        offset = arena.locate(out) if out.numel() else -1
    return offset, tuple(t.shape), t.dtype


def pack(obj, arena: Arena):
    """Replace the arrays in ``obj`` with descriptors of their place in ``arena`` (copying when needed)."""
    if isinstance(obj, NDArray):
        offset, shape, dtype = _tensor_into(arena, obj._tensor)
        return _Leaf(("nd", offset, shape, str(dtype).replace("torch.", "")))
    if isinstance(obj, torch.Tensor):
        offset, shape, dtype = _tensor_into(arena, obj)
        return _Leaf(("pt", offset, shape, str(dtype).replace("torch.", "")))
    if isinstance(obj, np.ndarray) and obj.dtype.hasobject is False and obj.dtype.kind in "biufc":
        if obj.size == 0:
            return _Leaf(("np", -1, obj.shape, obj.dtype.str))
        out = arena.alloc((obj.nbytes,), torch.uint8)
        out.numpy().view(obj.dtype).reshape(obj.shape)[...] = obj
        return _Leaf(("np", arena.locate(out), obj.shape, obj.dtype.str))
    if isinstance(obj, list):
        return [pack(x, arena) for x in obj]
    if isinstance(obj, tuple):
        items = [pack(x, arena) for x in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    if isinstance(obj, dict):
        return type(obj)((k, pack(v, arena)) for k, v in obj.items())
    return obj


def unpack(obj, mm: mmap.mmap | None, ctx: Context | None = None, pin: bool = False):
    """Rebuild a packed batch over the main process's mapping ``mm`` of the arena (no copy)."""
    if isinstance(obj, _Leaf):
        tag, offset, shape, dtype = obj
        if tag == "np":
            dt = np.dtype(dtype)
            if offset < 0:
                return np.empty(shape, dtype=dt)
            count = int(np.prod(shape, dtype=np.int64))
            return np.frombuffer(mm, dtype=dt, count=count, offset=offset).reshape(shape)
        tdtype = getattr(torch, dtype)
        if offset < 0:
            t = torch.empty(shape, dtype=tdtype)
        else:
            nbytes = int(np.prod(shape, dtype=np.int64)) * torch.empty((), dtype=tdtype).element_size()
            t = torch.frombuffer(mm, dtype=torch.uint8, count=nbytes, offset=offset).view(tdtype).view(shape)
        if pin:
            t = t.pin_memory()
        if tag != "nd":
            return t
        return _wrap_as(mode_array_class(), t, ctx if ctx is not None else cpu())
    if isinstance(obj, list):
        return [unpack(x, mm, ctx, pin) for x in obj]
    if isinstance(obj, tuple):
        items = [unpack(x, mm, ctx, pin) for x in obj]
        return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
    if isinstance(obj, dict):
        return type(obj)((k, unpack(v, mm, ctx, pin)) for k, v in obj.items())
    return obj


# ----------------------------------------------------------------------------- transport
# One message: a 12-byte header (payload length, number of descriptors) sent with the
# descriptors attached (SCM_RIGHTS), then the pickled payload, all on one Unix stream socket.
_HEADER = struct.Struct("!QI")


def send_msg(sock: socket.socket, obj, fd: int | None = None) -> None:
    """Send ``obj`` (pickled) and optionally a file descriptor over ``sock``."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    header = _HEADER.pack(len(data), 0 if fd is None else 1)
    if fd is None:
        sock.sendall(header + data)
        return
    sent = sock.sendmsg([header + data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))])
    if sent < len(header) + len(data):
        sock.sendall((header + data)[sent:])


def _recv_exact(sock: socket.socket, n: int, into: bytearray) -> None:
    view = memoryview(into)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:], n - got)
        if k == 0:
            raise EOFError("the peer closed the connection in the middle of a message")
        got += k


def recv_msg(sock: socket.socket) -> tuple[object, int | None]:
    """Receive what :func:`send_msg` sent: ``(obj, fd or None)``. Raises EOFError if the peer is gone."""
    fds = array.array("i")
    msg, anc, _flags, _addr = sock.recvmsg(_HEADER.size, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    try:
        if not msg:
            raise EOFError("the peer closed the connection")
        header = bytearray(_HEADER.size)
        header[: len(msg)] = msg
        if len(msg) < _HEADER.size:
            _recv_exact(sock, _HEADER.size - len(msg), memoryview(header)[len(msg):])
        length, nfds = _HEADER.unpack(header)
        data = bytearray(length)
        _recv_exact(sock, length, data)
        if nfds != len(fds):
            raise EOFError(f"expected {nfds} file descriptor(s) with the message, received {len(fds)}")
        obj = pickle.loads(data)
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return obj, (fds[0] if fds else None)


def map_arena(fd: int | None, size: int) -> mmap.mmap | None:
    """Map a received arena (and close the descriptor: the mapping keeps the memory)."""
    if fd is None:
        return None
    try:
        return mmap.mmap(fd, size) if size else None
    finally:
        os.close(fd)
