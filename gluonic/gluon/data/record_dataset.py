"""``gluon.data.RecordFileDataset``: the raw records of a RecordIO file, by position."""
from __future__ import annotations

import os

from ... import recordio
from ...base import GluonicIndexError
from .dataset import Dataset

__all__ = ["RecordFileDataset"]


class RecordFileDataset(Dataset):
    """The records of a ``.rec`` file as a dataset of ``bytes`` (MXNet: ``gluon.data.RecordFileDataset``).

    Parameters
    ----------
    filename : str
        Path of the ``.rec`` file. Its index must sit beside it, with the extension
        ``.idx`` (``data.rec`` -> ``data.idx``).

    ``ds[i]`` is the ``i``-th record of the index (in index order), as written; use
    ``mx.recordio.unpack`` / ``unpack_img`` on image records. ``len(ds)`` is the number of
    index entries. DataLoader workers reopen the file in their own process.

    >>> import os, tempfile, gluonic as mx
    >>> d = tempfile.mkdtemp()
    >>> w = mx.recordio.MXIndexedRecordIO(os.path.join(d, 'x.idx'), os.path.join(d, 'x.rec'), 'w')
    >>> for i in range(3):
    ...     w.write_idx(i, b'sample %d' % i)
    >>> w.close()
    >>> ds = RecordFileDataset(os.path.join(d, 'x.rec'))
    >>> len(ds), ds[1], ds[-1]
    (3, b'sample 1', b'sample 2')
    """

    def __init__(self, filename):
        self.filename = os.fspath(filename)
        self.idx_file = os.path.splitext(self.filename)[0] + ".idx"
        self._record = recordio.MXIndexedRecordIO(self.idx_file, self.filename, "r")

    def __getitem__(self, idx) -> bytes:
        try:
            key = self._record.keys[idx]
        except IndexError:
            raise GluonicIndexError(f"RecordFileDataset: index out of range for '{self.filename}' "
                                    f"({len(self)} records). Received: {idx}") from None
        return self._record.read_idx(key)

    def __len__(self) -> int:
        return len(self._record.keys)
