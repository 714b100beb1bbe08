"""Writing files so that a crash never leaves half a file: a temporary file in the same folder, then a rename."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import BinaryIO


def write_atomic(path: str | os.PathLike, content: bytes | str | Callable[[BinaryIO], None]) -> None:
    """Write ``content`` (bytes, text as UTF-8, or a function writing to a binary file) to ``path`` atomically.

    The data goes to a new temporary file next to ``path`` (through symlinks, to the real
    file's folder), is flushed to disk, and replaces ``path`` in one rename. A failure leaves
    any previous file at ``path`` untouched and no temporary file behind.
    """
    path = os.path.realpath(os.fspath(path))
    folder, base = os.path.split(path)
    tmp = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
