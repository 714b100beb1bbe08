"""``mx.io.ImageRecordIter``: batches of augmented images from a RecordIO file (MXNet 1.9).

A Python re-implementation of MXNet's C++ ``ImageRecordIter`` (``iter_image_recordio_2``
with the default augmenter): the same parameters, reading order, crop and resize rules,
normalization ``(pixel - mean) * scale / std``, RGB ``(C, H, W)`` output and
``round_batch`` behaviour. Images are decoded with Pillow and resized with OpenCV's
rules (``gluonic.image``), by ``preprocess_threads`` threads.

>>> import gluonic as mx
>>> it = mx.io.ImageRecordIter(path_imgrec='data.rec', data_shape=(3, 224, 224),
...                            batch_size=32, resize=256, rand_crop=True, rand_mirror=True,
...                            mean_r=123.68, mean_g=116.78, mean_b=103.94)  # doctest: +SKIP
"""
from __future__ import annotations

import os
import struct
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .. import recordio
from ..base import FileFormatError, GluonicValueError
from ..image import _codec, _resize
from .data_iter import DataBatch, DataDesc, DataIter

__all__ = ["ImageRecordIter"]

_DTYPES = {None: np.float32, "float32": np.float32, "float16": np.float16, "float64": np.float64,
           "uint8": np.uint8, "int8": np.int8}

# Options of MXNet's iterator that this one does not implement, with their defaults.
_UNSUPPORTED = {"max_rotate_angle": 0, "max_shear_ratio": 0.0, "rotate": -1, "max_random_scale": 1.0,
                "min_random_scale": 1.0, "max_img_size": 1e10, "min_img_size": 0.0, "random_h": 0, "random_s": 0,
                "random_l": 0, "mean_img": "", "aug_seq": "aug_default"}
# Accepted and ignored: they tune MXNet's C++ pipeline, not the results.
_IGNORED = ("verbose", "device_id", "shuffle_chunk_size", "shuffle_chunk_seed", "prefetch_buffer", "ctx")

_PCA_EIGVEC = np.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140], [-0.5836, -0.6948, 0.4203]])


def _scan_offsets(path: str) -> list[int]:
    """Byte offsets of the records of a ``.rec`` file, read from the part headers only."""
    offsets = []
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        pos = 0
        start = None
        while pos < size:
            head = f.read(8)
            if len(head) < 8:
                raise FileFormatError(f"ImageRecordIter: '{path}' is not a valid RecordIO file: truncated record "
                                      f"header at byte offset {pos}")
            magic, lrec = struct.unpack("<II", head)
            if magic != 0xCED7230A:
                raise FileFormatError(f"ImageRecordIter: '{path}' is not a valid RecordIO file: expected the magic "
                                      f"number 0xced7230a, found 0x{magic:08x} at byte offset {pos}")
            cflag, length = lrec >> 29, lrec & ((1 << 29) - 1)
            if cflag in (0, 1):
                start = pos
            if cflag in (0, 3):
                offsets.append(start)
            end = pos + 8 + length + (-length % 4)
            if end > size:
                raise FileFormatError(f"ImageRecordIter: '{path}' is not a valid RecordIO file: truncated record: "
                                      f"{length} bytes announced, {size - pos - 8} present at byte offset {pos}")
            pos = end
            f.seek(pos)
    return offsets


def _interp(code: int, old_w: int, old_h: int, new_w: int, new_h: int, rng) -> int:
    if code == 9:
        if new_w > old_w and new_h > old_h:
            return 2
        return 3 if new_w < old_w and new_h < old_h else 1
    if code == 10:
        return int(rng.randint(0, 5))
    return code


class ImageRecordIter(DataIter):
    """Iterate over a RecordIO file of images, with augmentation (MXNet: ``mx.io.ImageRecordIter``).

    Parameters (the main ones; all of MXNet's are accepted)
    ----------
    path_imgrec : str
        The ``.rec`` file (records packed with ``recordio.pack``/``im2rec``).
    data_shape : tuple of int
        ``(C, H, W)`` of one output image; C is 1 (grayscale), 3 (RGB) or 4 (RGBA).
    batch_size : int
        Images per batch.
    path_imgidx : str, optional
        The ``.idx`` file (otherwise the record offsets are found by scanning the file).
    path_imglist : str, optional
        A ``.lst`` file whose labels (by record id) replace the records' labels.
    label_width : int, default 1
        Labels per image: the label batch is ``(batch_size,)`` or ``(batch_size, label_width)``.
    shuffle : bool, default False
        Shuffle the records at every pass, with a generator seeded by ``seed``.
    round_batch : bool, default True
        Fill the last batch from the start of the data (``batch.pad`` counts the filler);
        as in MXNet, the next epoch then starts after the records already used.
        False: the last batch is zero-padded.
    num_parts, part_index : int
        Read the ``part_index``-th of ``num_parts`` contiguous parts.
    resize : int, default -1
        Resize the shorter edge to this first.
    rand_crop : bool
        Random instead of center crop. An image smaller than ``data_shape`` is first
        enlarged (keeping its aspect ratio) to cover it.
    random_resized_crop : bool
        Crop a random area in ``[min_random_area, max_random_area]`` with aspect ratio in
        ``[min_aspect_ratio, max_aspect_ratio]``, resized to ``data_shape``.
    max_crop_size, min_crop_size : int
        Crop a random square size in this range, resized to ``data_shape``.
    rand_mirror, mirror : bool
        Flip left-right with probability 0.5 / always.
    brightness, contrast, saturation, pca_noise : float
        Color jitter and PCA lighting noise.
    pad, fill_value : int
        Border added before cropping, and its value.
    inter_method : int, default 1
        Interpolation code (see ``mx.image.imresize``).
    mean_r, mean_g, mean_b, mean_a, std_r, std_g, std_b, std_a, scale : float
        Output ``(pixel - mean) * scale / std``.
    max_random_contrast, max_random_illumination : float
        Random contrast factor and offset applied with the normalization.
    dtype : {None, 'float32', 'float16', 'float64', 'uint8', 'int8'}
        Output dtype; uint8 keeps raw pixels, int8 gives ``pixel - round(mean)`` saturated.
    seed, seed_aug : int
        Seeds of the shuffling and of the augmentations (``seed_aug``: per-record seeds,
        reproducible whatever the threading).
    preprocess_threads : int, default 4
        Decoding threads.
    data_name, label_name : str
        Names in ``provide_data`` / ``provide_label``.

    Rotation, shear, random scale and aspect (outside ``random_resized_crop``), image
    size limits, HSL jitter and ``mean_img`` raise ``GluonicValueError``. Random draws
    use NumPy, so shuffled orders and random crops differ from MXNet's C++ generator.
    """

    def __init__(self, path_imgrec="", data_shape=None, batch_size=None, path_imglist="", path_imgidx="",
                 label_width=1, preprocess_threads=4, num_parts=1, part_index=0, shuffle=False, seed=0,
                 seed_aug=None, round_batch=True, dtype=None, resize=-1, rand_crop=False, random_resized_crop=False,
                 max_aspect_ratio=0.0, min_aspect_ratio=None, max_crop_size=-1, min_crop_size=-1,
                 max_random_area=1.0, min_random_area=1.0, brightness=0.0, contrast=0.0, saturation=0.0,
                 pca_noise=0.0, fill_value=255, inter_method=1, pad=0, mirror=False, rand_mirror=False, mean_r=0.0,
                 mean_g=0.0, mean_b=0.0, mean_a=0.0, std_r=1.0, std_g=1.0, std_b=1.0, std_a=1.0, scale=1.0,
                 max_random_contrast=0.0, max_random_illumination=0.0, data_name="data", label_name="softmax_label",
                 **kwargs):
        if not path_imgrec:
            raise GluonicValueError("ImageRecordIter: path_imgrec is required. Received: ''")
        if data_shape is None or len(tuple(data_shape)) != 3 or tuple(data_shape)[0] not in (1, 3, 4):
            raise GluonicValueError(f"ImageRecordIter: data_shape must be (C, H, W) with C in 1, 3, 4. "
                                    f"Received: {data_shape}")
        if batch_size is None or int(batch_size) <= 0:
            raise GluonicValueError(f"ImageRecordIter: batch_size must be a positive int. Received: {batch_size}")
        for name, value in kwargs.items():
            if name in _UNSUPPORTED:
                if value != _UNSUPPORTED[name]:
                    raise GluonicValueError(f"ImageRecordIter: option {name} is not supported by gluonic. Received: "
                                            f"{name}={value!r}; use mx.image.ImageIter with custom augmenters")
            elif name not in _IGNORED:
                raise GluonicValueError(f"ImageRecordIter: unknown option. Received: {name}={value!r}")
        if dtype not in _DTYPES:
            raise GluonicValueError(f"ImageRecordIter: dtype must be one of {list(_DTYPES)}. Received: {dtype!r}")
        if inter_method not in (0, 1, 2, 3, 4, 9, 10):
            raise GluonicValueError(f"ImageRecordIter: invalid inter_method; valid values are 0-4, 9, 10. "
                                    f"Received: {inter_method}")
        if random_resized_crop and (rand_crop or max_crop_size != -1 or min_crop_size != -1):
            raise GluonicValueError("ImageRecordIter: random_resized_crop conflicts with rand_crop, min_crop_size "
                                    "and max_crop_size. Received: more than one of them")
        if min_aspect_ratio is None:
            max_aspect_ratio, min_aspect_ratio = 1 + max_aspect_ratio, 1 - max_aspect_ratio
        if not random_resized_crop and (max_aspect_ratio, min_aspect_ratio) != (1.0, 1.0):
            raise GluonicValueError("ImageRecordIter: aspect-ratio jitter outside random_resized_crop (an affine "
                                    "warp in MXNet) is not supported by gluonic. Received: max_aspect_ratio="
                                    f"{max_aspect_ratio}, min_aspect_ratio={min_aspect_ratio}")
        super().__init__(int(batch_size))
        self.path_imgrec = os.fspath(path_imgrec)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.label_width = int(label_width)
        self.dtype = _DTYPES[dtype]
        self.shuffle = bool(shuffle)
        self.round_batch = bool(round_batch)
        self.seed_aug = seed_aug
        self._aug = dict(resize=resize, rand_crop=rand_crop, random_resized_crop=random_resized_crop,
                         aspect=(min_aspect_ratio, max_aspect_ratio), area=(min_random_area, max_random_area),
                         crop_size=(min_crop_size, max_crop_size), brightness=brightness, contrast=contrast,
                         saturation=saturation, pca_noise=pca_noise, fill_value=fill_value,
                         inter_method=inter_method, pad=pad)
        self._norm = dict(mirror=mirror, rand_mirror=rand_mirror, mean=np.array([mean_r, mean_g, mean_b, mean_a]),
                          std=np.array([std_r, std_g, std_b, std_a]), scale=scale, contrast=max_random_contrast,
                          illumination=max_random_illumination)
        if self.data_shape[0] == 1:
            self._norm["mean"], self._norm["std"] = self._norm["mean"][:1], self._norm["std"][:1]

        if path_imgidx:
            self._record = recordio.MXIndexedRecordIO(path_imgidx, self.path_imgrec, "r")
            offsets = [self._record.idx[k] for k in self._record.keys]
        else:
            self._record = recordio.MXRecordIO(self.path_imgrec, "r")
            offsets = _scan_offsets(self.path_imgrec)
        if not 0 <= part_index < num_parts:
            raise GluonicValueError(f"ImageRecordIter: part_index must be in [0, num_parts). "
                                    f"Received: part_index={part_index}, num_parts={num_parts}")
        n = len(offsets)
        self._offsets = offsets[n * part_index // num_parts:n * (part_index + 1) // num_parts]
        if not self._offsets:
            raise GluonicValueError(f"ImageRecordIter: no records to read in '{self.path_imgrec}' "
                                    f"(part {part_index} of {num_parts}). Received: {n} records")
        self._labels = self._read_imglist(path_imglist) if path_imglist else None
        self._rng = np.random.RandomState(seed)
        self._threads = max(1, int(preprocess_threads))
        self._pool = ThreadPoolExecutor(self._threads) if self._threads > 1 else None
        label_shape = (self.batch_size,) if self.label_width == 1 else (self.batch_size, self.label_width)
        self.provide_data = [DataDesc(data_name, (self.batch_size,) + self.data_shape, self.dtype)]
        self.provide_label = [DataDesc(label_name, label_shape, np.float32)]
        self._order = self._new_pass()
        self._pos = 0
        self._overflow = False
        self._batch = None

    @staticmethod
    def _read_imglist(path: str) -> dict:
        labels = {}
        with open(path) as f:
            for lineno, line in enumerate(f, 1):
                fields = line.strip().split("\t")
                if fields == [""]:
                    continue
                try:
                    labels[int(fields[0])] = np.array([float(v) for v in fields[1:-1]], dtype=np.float32)
                except (ValueError, IndexError) as e:
                    raise GluonicValueError(f"ImageRecordIter: line {lineno} of '{path}' should be "
                                            f"'index<TAB>label(s)<TAB>path'. Received: {line.rstrip()!r}") from e
        return labels

    def _new_pass(self) -> np.ndarray:
        order = np.arange(len(self._offsets))
        if self.shuffle:
            self._rng.shuffle(order)
        return order

    # ------------------------------------------------------------------ iteration

    def reset(self) -> None:
        """Start the next epoch (after a wrapped last batch, it continues where that batch stopped)."""
        if self.round_batch and self._overflow:
            self._overflow = False  # the wrapped batch already started the next pass
            return
        self._order = self._new_pass()
        self._pos = 0

    def iter_next(self) -> bool:
        if self._overflow or self._pos >= len(self._order):
            return False
        take = list(self._order[self._pos:self._pos + self.batch_size])
        self._pos += len(take)
        pad = self.batch_size - len(take)
        if pad and self.round_batch:
            while len(take) < self.batch_size:
                self._order = self._new_pass()
                more = list(self._order[:self.batch_size - len(take)])
                take += more
                self._pos = len(more)
            self._overflow = True
        self._batch = self._load(take, pad)
        return True

    def next(self) -> DataBatch:
        if self.iter_next():
            return self._batch
        raise StopIteration

    def getdata(self):
        return self._batch.data

    def getlabel(self):
        return self._batch.label

    def getpad(self):
        return self._batch.pad

    def getindex(self):
        return self._batch.index

    def __del__(self):
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(wait=False)

    # ------------------------------------------------------------------ one batch

    def _load(self, positions, pad: int) -> DataBatch:
        import torch

        from ..context import current_context
        from ..ndarray.ndarray import from_torch

        records = []
        for p in positions:
            self._record._file.seek(self._offsets[p])
            records.append(self._record._read_record())
        if self.seed_aug is not None:
            seeds = [int(self.seed_aug) + int(p) for p in positions]
        else:
            seeds = list(self._rng.randint(0, 2**31 - 1, size=len(records)))
        work = list(zip(records, seeds))
        results = list(self._pool.map(self._process, work)) if self._pool else [self._process(w) for w in work]
        data = np.zeros((self.batch_size,) + self.data_shape, dtype=self.dtype)
        label = np.zeros((self.batch_size, self.label_width), dtype=np.float32)
        index = np.zeros(self.batch_size, dtype=np.uint64)
        for i, (chw, lab, rid) in enumerate(results):
            data[i], label[i], index[i] = chw, lab, rid
        if self.label_width == 1:
            label = label[:, 0]
        ctx = current_context()
        return DataBatch([from_torch(torch.from_numpy(data), ctx)], [from_torch(torch.from_numpy(label), ctx)],
                         pad=pad, index=index, provide_data=self.provide_data, provide_label=self.provide_label)

    def _process(self, item):
        record, seed = item
        rng = np.random.RandomState(seed)
        header, payload = recordio.unpack(record)
        rid = header.id
        if self._labels is not None:
            if rid not in self._labels:
                raise GluonicValueError(f"ImageRecordIter: record id {rid} is not in the image list. "
                                        f"Received: a record of '{self.path_imgrec}' with id {rid}")
            lab = self._labels[rid]
        elif header.flag > 0:
            lab = np.asarray(header.label, dtype=np.float32)
        else:
            lab = np.array([header.label], dtype=np.float32)
        if lab.size != self.label_width:
            raise GluonicValueError(f"ImageRecordIter: record {rid} has {lab.size} label(s) but label_width is "
                                    f"{self.label_width}. Received: label {lab.tolist()}")
        where = f"ImageRecordIter('{self.path_imgrec}', record id {rid})"
        channels = self.data_shape[0]
        if channels == 4:
            img = _codec.decode_cv(payload, -1, where)
            if img.ndim != 3 or img.shape[2] != 4:
                raise GluonicValueError(f"{where}: expected an image with 4 channels. Received: shape {img.shape}")
            img = img[..., [2, 1, 0, 3]]
        else:
            img = _codec.decode(payload, 1 if channels == 3 else 0, True, where)
        img = self._augment(img, rng)
        return self._normalize(img, rng), lab, rid

    def _resize(self, img, w, h, rng, ref=None):
        old_h, old_w = (ref or img.shape[:2])
        code = _interp(self._aug["inter_method"], old_w, old_h, w, h, rng)
        return _resize.resize(img, int(w), int(h), code)

    def _augment(self, img: np.ndarray, rng) -> np.ndarray:
        a = self._aug
        _, out_h, out_w = self.data_shape
        if a["resize"] != -1:
            rows, cols = img.shape[:2]
            r = a["resize"]
            new_h, new_w = (r * rows // cols, r) if rows > cols else (r, r * cols // rows)
            img = self._resize(img, new_w, new_h, rng)
        if a["pad"] > 0:
            p = a["pad"]
            img = np.pad(img, [(p, p), (p, p), (0, 0)], mode="constant", constant_values=a["fill_value"])
        cropped = False
        if a["random_resized_crop"]:
            (min_area, max_area), (min_ratio, max_ratio) = a["area"], a["aspect"]
            if (min_area, max_area, min_ratio, max_ratio) != (1.0, 1.0, 1.0, 1.0):
                rows, cols = img.shape[:2]
                for _ in range(10):
                    target = rows * cols * rng.uniform(min_area, max_area)
                    ratio = rng.uniform(min_ratio, max_ratio)
                    y_area = int(round(np.sqrt(target / ratio)))
                    x_area = int(round(np.sqrt(target * ratio)))
                    if rng.uniform() > 0.5:
                        y_area, x_area = x_area, y_area
                    if y_area <= rows and x_area <= cols:
                        y0 = rng.randint(0, rows - y_area + 1)
                        x0 = rng.randint(0, cols - x_area + 1)
                        roi = img[y0:y0 + y_area, x0:x0 + x_area]
                        img = self._resize(roi, out_w, out_h, rng)
                        cropped = True
                        break
        elif a["crop_size"] != (-1, -1):
            lo, hi = a["crop_size"]
            rows, cols = img.shape[:2]
            if not (cols >= hi and rows >= hi and hi >= lo):
                raise GluonicValueError(f"ImageRecordIter: image size {(rows, cols)} is smaller than max_crop_size "
                                        f"(or min_crop_size > max_crop_size). Received: crop sizes {(lo, hi)}")
            size = rng.randint(lo, hi + 1)
            y, x = rows - size, cols - size
            if a["rand_crop"]:
                y, x = rng.randint(0, y + 1), rng.randint(0, x + 1)
            else:
                y, x = y // 2, x // 2
            img = self._resize(img[y:y + size, x:x + size], out_w, out_h, rng)
            cropped = True
        if not cropped:
            rows, cols = img.shape[:2]
            ref = (rows, cols)
            if rows < out_h:  # enlarge to cover the output, keeping the aspect ratio (as MXNet)
                img = self._resize(img, int(np.float32(out_h) / np.float32(rows) * np.float32(cols)), out_h, rng, ref)
            rows, cols = img.shape[:2]
            if cols < out_w:
                img = self._resize(img, out_w, int(np.float32(out_w) / np.float32(cols) * np.float32(rows)), rng, ref)
            rows, cols = img.shape[:2]
            y, x = rows - out_h, cols - out_w
            if a["rand_crop"]:
                y, x = rng.randint(0, y + 1), rng.randint(0, x + 1)
            else:
                y, x = y // 2, x // 2
            img = img[y:y + out_h, x:x + out_w]
        if a["brightness"] > 0 or a["contrast"] > 0 or a["saturation"] > 0:
            img = self._color_jitter(img, rng)
        if a["pca_noise"] > 0 and img.shape[2] >= 3:
            alpha = rng.normal(0, a["pca_noise"], size=3)
            shift = (_PCA_EIGVEC @ alpha).astype(np.int32)  # MXNet adds eigvec @ alpha, truncated
            img = img.copy()
            img[..., :3] = np.clip(img[..., :3].astype(np.int32) + shift, 0, 255)
        return img

    def _color_jitter(self, img: np.ndarray, rng) -> np.ndarray:
        a = self._aug
        alpha_b = 1.0 + rng.uniform(-a["brightness"], a["brightness"])
        alpha_c = 1.0 + rng.uniform(-a["contrast"], a["contrast"])
        alpha_s = 1.0 + rng.uniform(-a["saturation"], a["saturation"])
        x = img.astype(np.float32)
        for op in rng.permutation(3):
            gray = x[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32) if x.shape[2] >= 3 else x[..., 0]
            if op == 0:
                x = x * alpha_b
            elif op == 1:
                x = x * alpha_c + (1 - alpha_c) * gray.mean()
            else:
                x = x * alpha_s + (1 - alpha_s) * gray[..., None]
            x = np.clip(np.rint(x), 0, 255)  # each OpenCV step saturates to uint8
        return x.astype(np.uint8)

    def _normalize(self, img: np.ndarray, rng) -> np.ndarray:
        n = self._norm
        c = img.shape[2]
        mirrored = (n["rand_mirror"] and rng.uniform() < 0.5) or n["mirror"]
        if mirrored:
            img = img[:, ::-1]
        chw = np.ascontiguousarray(img.transpose(2, 0, 1))
        if self.dtype == np.uint8:
            return chw
        if self.dtype == np.int8:
            mean = np.round(n["mean"][:c]).astype(np.int16)[:, None, None]
            return np.clip(chw.astype(np.int16) - mean, -128, 127).astype(np.int8)
        contrast = (rng.uniform() * n["contrast"] * 2 - n["contrast"] + 1) * n["scale"]
        illumination = (rng.uniform() * n["illumination"] * 2 - n["illumination"]) * n["scale"]
        mult = (np.float32(contrast) / n["std"][:c].astype(np.float32))[:, None, None]
        bias = (np.float32(illumination) / n["std"][:c].astype(np.float32))[:, None, None]
        mean = n["mean"][:c].astype(np.float32)[:, None, None]
        return ((chw.astype(np.float32) - mean) * mult + bias).astype(self.dtype)
