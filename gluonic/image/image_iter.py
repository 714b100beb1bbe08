"""``mx.image.ImageIter``: batches of augmented images from a ``.rec`` file or image files.

The Python image iterator of MXNet 1.9, with the same reading order, shuffling (Python's
``random.shuffle``), partitioning, augmenters and ``last_batch_handle`` modes.
"""
from __future__ import annotations

import os
import random

from .. import ndarray as nd
from .. import recordio
from ..base import GluonicValueError, numeric_types
from ..io.data_iter import DataBatch, DataIter
from .augment import CreateAugmenter
from .image import imdecode

__all__ = ["ImageIter"]

_LABEL_DTYPES = ("int32", "float32", "int64", "float64")


class ImageIter(DataIter):
    """Image data iterator with augmentation (MXNet: ``mx.image.ImageIter``).

    Reads a RecordIO file (``path_imgrec``, with ``path_imgidx`` for shuffling and
    partitions) or image files listed in ``path_imglist`` / ``imglist`` under ``path_root``.
    Each image is decoded (RGB, uint8), run through ``aug_list`` (default
    ``CreateAugmenter(data_shape, **kwargs)``) and transposed to ``(C, H, W)``.

    Parameters
    ----------
    batch_size : int
        Images per batch.
    data_shape : tuple of int
        ``(3, H, W)``: the augmenters must produce ``(H, W, 3)`` images.
    label_width : int, default 1
        Labels per image; the label batch is ``(batch_size,)`` for 1, else
        ``(batch_size, label_width)``.
    path_imgrec, path_imgidx : str, optional
        The ``.rec`` file and its ``.idx`` index.
    path_imglist : str, optional
        A ``.lst`` file: ``index<TAB>label(s)<TAB>relative path`` per line. With a ``.rec``
        file, its labels replace the records' labels.
    imglist : list, optional
        ``[label(s), path]`` items, instead of ``path_imglist``.
    path_root : str, optional
        Folder the image paths are relative to.
    shuffle : bool, default False
        Shuffle (``random.shuffle``) at every reset; needs an index or a list.
    part_index, num_parts : int
        Read only the ``part_index``-th of ``num_parts`` equal parts.
    aug_list : list of Augmenter, optional
        Augmenters; default ``CreateAugmenter(data_shape, **kwargs)``.
    data_name, label_name : str
        Names in ``provide_data`` / ``provide_label``.
    dtype : str, default 'float32'
        Dtype of the labels read from a list.
    last_batch_handle : {'pad', 'discard', 'roll_over'}
        'pad' fills the last batch from the start of the data (``batch.pad`` says how
        many), 'discard' drops it, 'roll_over' carries it into the next epoch.
    **kwargs
        Passed to ``CreateAugmenter`` (``resize``, ``rand_crop``, ``rand_mirror``, ``mean``...).

    Batches hold float32 ``(batch_size, 3, H, W)`` data. A record that cannot be decoded
    raises ``GluonicValueError`` naming its index (or file name).
    """

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None, path_imglist=None, path_root=None,
                 path_imgidx=None, shuffle=False, part_index=0, num_parts=1, aug_list=None, imglist=None,
                 data_name="data", label_name="softmax_label", dtype="float32", last_batch_handle="pad", **kwargs):
        super().__init__()
        if not (path_imgrec or path_imglist or isinstance(imglist, list)):
            raise GluonicValueError("ImageIter: give path_imgrec, path_imglist or imglist. Received: none of them")
        if dtype not in _LABEL_DTYPES:
            raise GluonicValueError(f"ImageIter: label dtype must be one of {_LABEL_DTYPES}. Received: {dtype!r}")
        if last_batch_handle not in ("pad", "discard", "roll_over"):
            raise GluonicValueError("ImageIter: last_batch_handle must be 'pad', 'discard' or 'roll_over'. "
                                    f"Received: {last_batch_handle!r}")
        if path_imgrec:
            if path_imgidx:
                self.imgrec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, "r")
                self.imgidx = list(self.imgrec.keys)
            else:
                self.imgrec = recordio.MXRecordIO(path_imgrec, "r")
                self.imgidx = None
        else:
            self.imgrec = None

        imgkeys = None
        if path_imglist:
            self.imglist, imgkeys = self._read_list(path_imglist, dtype)
        elif isinstance(imglist, list):
            result, imgkeys = {}, []
            for index, img in enumerate(imglist, 1):
                key = str(index)
                if len(img) > 2:
                    label = nd.array(img[:-1], dtype=dtype)
                elif isinstance(img[0], numeric_types):
                    label = nd.array([img[0]], dtype=dtype)
                else:
                    label = nd.array(img[0], dtype=dtype)
                result[key] = (label, img[-1])
                imgkeys.append(key)
            self.imglist = result
        else:
            self.imglist = None
        self.path_root = path_root

        self.check_data_shape(data_shape)
        data_shape = tuple(data_shape)
        self.provide_data = [(data_name, (batch_size,) + data_shape)]
        if label_width > 1:
            self.provide_label = [(label_name, (batch_size, label_width))]
        else:
            self.provide_label = [(label_name, (batch_size,))]
        self.batch_size = batch_size
        self.data_shape = data_shape
        self.label_width = label_width
        self.shuffle = shuffle
        if self.imgrec is None:
            self.seq = imgkeys
        elif shuffle or num_parts > 1 or path_imgidx:
            if self.imgidx is None:
                raise GluonicValueError("ImageIter: shuffle and num_parts > 1 need the record index. "
                                        "Received: path_imgrec without path_imgidx")
            self.seq = self.imgidx
        else:
            self.seq = None
        if num_parts > 1:
            if not 0 <= part_index < num_parts:
                raise GluonicValueError(f"ImageIter: part_index must be in [0, num_parts). "
                                        f"Received: part_index={part_index}, num_parts={num_parts}")
            n = len(self.seq) // num_parts
            self.seq = self.seq[part_index * n:(part_index + 1) * n]
        self.auglist = CreateAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.cur = 0
        self._allow_read = True
        self.last_batch_handle = last_batch_handle
        self.num_image = len(self.seq) if self.seq is not None else None
        self._cache_data = None
        self._cache_label = None
        self._cache_idx = None
        self.reset()

    @staticmethod
    def _read_list(path, dtype):
        imglist, keys = {}, []
        with open(path) as fin:
            for lineno, line in enumerate(fin, 1):
                fields = line.strip().split("\t")
                if fields == [""]:
                    continue
                if len(fields) < 3:
                    raise GluonicValueError(f"ImageIter: line {lineno} of '{path}' should be "
                                            f"'index<TAB>label(s)<TAB>path'. Received: {line.rstrip()!r}")
                key = int(fields[0])
                imglist[key] = (nd.array([float(v) for v in fields[1:-1]], dtype=dtype), fields[-1])
                keys.append(key)
        return imglist, keys

    def reset(self):
        """Start the next epoch (reshuffles when ``shuffle``)."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.last_batch_handle != "roll_over" or self._cache_data is None:
            if self.imgrec is not None:
                self.imgrec.reset()
            self.cur = 0
            self._allow_read = True

    def hard_reset(self):
        """Start the next epoch and drop rolled-over images."""
        if self.seq is not None and self.shuffle:
            random.shuffle(self.seq)
        if self.imgrec is not None:
            self.imgrec.reset()
        self.cur = 0
        self._allow_read = True
        self._cache_data = None
        self._cache_label = None
        self._cache_idx = None

    def next_sample(self):
        """The next ``(label, encoded image bytes)``; raises StopIteration at the end."""
        if self._allow_read is False:
            raise StopIteration
        if self.seq is not None:
            if self.cur < self.num_image:
                idx = self.seq[self.cur]
            else:
                if self.last_batch_handle != "discard":
                    self.cur = 0
                raise StopIteration
            self.cur += 1
            if self.imgrec is not None:
                header, img = recordio.unpack(self.imgrec.read_idx(idx))
                if self.imglist is None:
                    return header.label, img
                return self.imglist[idx][0], img
            label, fname = self.imglist[idx]
            return label, self.read_image(fname)
        s = self.imgrec.read()
        if s is None:
            if self.last_batch_handle != "discard":
                self.imgrec.reset()
            raise StopIteration
        header, img = recordio.unpack(s)
        return header.label, img

    def _batchify(self, batch_data, batch_label, start=0):
        i = start
        try:
            while i < self.batch_size:
                label, s = self.next_sample()
                data = self.imdecode(s)
                try:
                    self.check_valid_image(data)
                except RuntimeError:
                    continue
                data = self.augmentation_transform(data)
                batch_data[i] = self.postprocess_data(data)
                batch_label[i] = label
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def next(self):
        """The next :class:`~gluonic.io.DataBatch`."""
        c, h, w = self.data_shape
        if self._cache_data is not None:
            batch_data, batch_label, i = self._cache_data, self._cache_label, self._cache_idx
        else:
            batch_data = nd.zeros((self.batch_size, c, h, w))
            batch_label = nd.zeros(self.provide_label[0][1])
            i = self._batchify(batch_data, batch_label)
        pad = self.batch_size - i
        if pad != 0:
            if self.last_batch_handle == "discard":
                raise StopIteration
            if self.last_batch_handle == "roll_over" and self._cache_data is None:
                self._cache_data, self._cache_label, self._cache_idx = batch_data, batch_label, i
                raise StopIteration
            self._batchify(batch_data, batch_label, i)
            if self.last_batch_handle == "pad":
                self._allow_read = False
            else:
                self._cache_data = self._cache_label = self._cache_idx = None
        return DataBatch([batch_data], [batch_label], pad=pad)

    def check_data_shape(self, data_shape):
        """Require ``(3, H, W)``."""
        if not len(data_shape) == 3:
            raise GluonicValueError(f"ImageIter: data_shape should have length 3, with dimensions CxHxW. "
                                    f"Received: {data_shape}")
        if not data_shape[0] == 3:
            raise GluonicValueError(f"ImageIter: this iterator expects inputs to have 3 channels. "
                                    f"Received: data_shape {data_shape}")

    def check_valid_image(self, data):
        """Raise RuntimeError for an empty image (it is skipped)."""
        if len(data[0].shape) == 0:
            raise RuntimeError("Data shape is wrong")

    def imdecode(self, s):
        """Decode one image; the error names the image that could not be decoded."""
        try:
            return imdecode(s)
        except Exception as e:
            if self.seq is not None:
                idx = self.seq[(self.cur % self.num_image) - 1]
            else:
                idx = self.cur - 1
            where = f"filename: {self.imglist[idx][1]}" if self.imglist is not None else f"index: {idx}"
            raise GluonicValueError(f"ImageIter: broken image {where}. Received: {e}") from e

    def read_image(self, fname):
        """The bytes of image file ``fname`` (relative to ``path_root``)."""
        with open(os.path.join(self.path_root or "", fname), "rb") as fin:
            return fin.read()

    def augmentation_transform(self, data):
        """Apply the augmenters in order."""
        for aug in self.auglist:
            data = aug(data)
        return data

    def postprocess_data(self, datum):
        """``(H, W, C)`` -> ``(C, H, W)``."""
        return nd.transpose(datum, axes=(2, 0, 1))
