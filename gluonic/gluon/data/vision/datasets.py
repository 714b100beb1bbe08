"""Vision data sets: MNIST, Fashion-MNIST, CIFAR-10/100 from their standard files, and
images from folders, list files and RecordIO files (MXNet 1.9's ``gluon.data.vision``).

gluonic never downloads. The standard-file data sets read from ``root`` (default
``$MXNET_HOME/datasets/<name>``, see :func:`gluonic.base.data_dir`); a missing file raises
:class:`DatasetNotFoundError` listing every file expected and the directory to put
them in, and a corrupt or truncated file raises :class:`gluonic.base.FileFormatError`
naming it. Samples are ``(image, label)``: the image a uint8 NDArray ``(H, W, C)``, the
label a ``numpy.int32`` (as MXNet).

Example
-------
>>> from gluonic.gluon.data.vision import MNIST, transforms
>>> train = MNIST(train=True).transform_first(transforms.ToTensor())   # doctest: +SKIP
"""
from __future__ import annotations

import os
import tarfile
import warnings
import zlib
from numbers import Number

import numpy as np

from .... import ndarray as nd
from ....base import FileFormatError, GluonicTypeError, GluonicValueError, MXNetError, data_dir
from ....io.mnist_csv_iter import read_idx
from ....ndarray.ndarray import in_mode
from ..dataset import Dataset
from ..record_dataset import RecordFileDataset

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageRecordDataset", "ImageFolderDataset",
           "ImageListDataset", "DatasetNotFoundError"]


# Default roots, computed at import as in MXNet ($MXNET_HOME/datasets/<name>).
_ROOT_MNIST = os.path.join(data_dir(), "datasets", "mnist")
_ROOT_FASHION_MNIST = os.path.join(data_dir(), "datasets", "fashion-mnist")
_ROOT_CIFAR10 = os.path.join(data_dir(), "datasets", "cifar10")
_ROOT_CIFAR100 = os.path.join(data_dir(), "datasets", "cifar100")


class DatasetNotFoundError(MXNetError, FileNotFoundError):
    """A data set's files are not where they were looked for (gluonic does not download)."""


class _StandardDataset(Dataset):
    """A data set held in memory: ``_data`` (uint8 NDArray, N x H x W x C) and ``_label``
    (int32 NumPy array), read from standard files under ``root`` by ``_get_data``."""

    _name = ""
    _home = ""

    def __init__(self, root, transform):
        self._transform = transform
        self._data = None
        self._label = None
        self._root = os.path.expanduser(root)
        self._get_data()

    def __getitem__(self, idx):
        data = in_mode(self._data[idx])  # mx.np.ndarray in NumPy mode
        if self._transform is not None:
            return self._transform(data, self._label[idx])
        return data, self._label[idx]

    def __len__(self) -> int:
        return len(self._label)

    def _get_data(self) -> None:
        raise NotImplementedError

    def _missing(self, expected: list[str], note: str = "") -> DatasetNotFoundError:
        listed = "\n".join(f"  {name}" for name in expected)
        return DatasetNotFoundError(
            f"{type(self).__name__}: data set files not found (gluonic does not download data sets). Put these "
            f"files in {self._root} (or pass root=<directory that holds them>):\n{listed}\n{note}"
            f"They are available from {self._home}. Received: root={self._root!r}")


# ----------------------------------------------------------------------------- MNIST
class MNIST(_StandardDataset):
    """MNIST handwritten digits (http://yann.lecun.com/exdb/mnist), read from its IDX files.

    Each sample is ``(image, label)``: a uint8 NDArray ``(28, 28, 1)`` and a ``numpy.int32``.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/mnist
        Directory holding ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
        ``t10k-images-idx3-ubyte.gz`` and ``t10k-labels-idx1-ubyte.gz`` (gzipped or not).
    train : bool, default True
        The training set (60,000 images) or the test set (10,000).
    transform : callable, default None
        ``transform(data, label) -> sample`` applied to each sample, e.g.
        ``lambda data, label: (data.astype(np.float32) / 255, label)``.

    Raises
    ------
    DatasetNotFoundError
        A file is missing (a FileNotFoundError): the message lists the files and directory.
    FileFormatError
        A file is corrupt or truncated.
    """

    _name = "mnist"
    _home = "http://yann.lecun.com/exdb/mnist (gzipped IDX files)"

    def __init__(self, root=_ROOT_MNIST, train=True, transform=None):
        self._train = train
        self._files = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                       False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
        super().__init__(root, transform)

    def _find(self, stem: str) -> str | None:
        for name in (stem + ".gz", stem):
            path = os.path.join(self._root, name)
            if os.path.isfile(path):
                return path
        return None

    def _get_data(self) -> None:
        images_stem, labels_stem = self._files[bool(self._train)]
        images_path, labels_path = self._find(images_stem), self._find(labels_stem)
        if images_path is None or labels_path is None:
            expected = [name + ".gz" for files in self._files.values() for name in files]
            raise self._missing(expected, "(Uncompressed files without .gz are read too.)\n")
        label = read_idx(labels_path, 1, type(self).__name__).astype(np.int32)
        data = read_idx(images_path, 3, type(self).__name__)
        if len(data) != len(label):
            raise FileFormatError(f"{images_path} holds {len(data)} images but {labels_path} holds "
                                  f"{len(label)} labels. Received: {len(data)} != {len(label)}")
        self._data = nd.array(data[..., None], dtype=np.uint8)
        self._label = label


class FashionMNIST(MNIST):
    """Fashion-MNIST (https://github.com/zalandoresearch/fashion-mnist), a drop-in
    replacement of MNIST with images of clothes: same files, same format.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/fashion-mnist
    train : bool, default True
    transform : callable, default None
    """

    _name = "fashion-mnist"
    _home = "https://github.com/zalandoresearch/fashion-mnist (gzipped IDX files)"

    def __init__(self, root=_ROOT_FASHION_MNIST, train=True, transform=None):
        super().__init__(root, train, transform)


# ----------------------------------------------------------------------------- CIFAR
class CIFAR10(_StandardDataset):
    """CIFAR-10 (https://www.cs.toronto.edu/~kriz/cifar.html), read from its binary batches.

    Each sample is ``(image, label)``: a uint8 NDArray ``(32, 32, 3)`` and a ``numpy.int32``.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar10
        Directory holding ``data_batch_1.bin`` ... ``data_batch_5.bin`` and
        ``test_batch.bin``, directly or in ``cifar-10-batches-bin/``; or only the archive
        ``cifar-10-binary.tar.gz``, which is then extracted there.
    train : bool, default True
    transform : callable, default None
        ``transform(data, label) -> sample``.

    Raises
    ------
    DatasetNotFoundError, FileFormatError
    """

    _name = "cifar10"
    _home = "https://www.cs.toronto.edu/~kriz/cifar.html (the binary version)"
    _archive = "cifar-10-binary.tar.gz"
    _subdir = "cifar-10-batches-bin"
    _label_bytes = 1

    def __init__(self, root=_ROOT_CIFAR10, train=True, transform=None):
        self._train = train
        self._train_files = [f"data_batch_{i}.bin" for i in range(1, 6)]
        self._test_files = ["test_batch.bin"]
        super().__init__(root, transform)

    def _label_column(self) -> int:
        return 0

    def _locate(self, names: list[str]) -> list[str] | None:
        for folder in (self._root, os.path.join(self._root, self._subdir)):
            paths = [os.path.join(folder, n) for n in names]
            if all(os.path.isfile(p) for p in paths):
                return paths
        return None

    def _extract(self) -> None:
        archive = os.path.join(self._root, self._archive)
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(self._root, filter="data")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
            raise FileFormatError(f"{archive}: cannot extract the archive: corrupt or truncated ({e}). "
                                  f"Received: {os.path.getsize(archive)} bytes") from None

    def _read_batch(self, path: str) -> tuple[np.ndarray, np.ndarray]:
        record = self._label_bytes + 3072
        with open(path, "rb") as f:
            raw = f.read()
        if len(raw) == 0 or len(raw) % record:
            raise FileFormatError(f"{path}: not a CIFAR binary batch: its size must be a positive multiple of "
                                  f"{record} bytes ({self._label_bytes} label byte(s) + 3072 pixels per image). "
                                  f"Received: {len(raw)} bytes")
        rows = np.frombuffer(raw, dtype=np.uint8).reshape(-1, record)
        images = rows[:, self._label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return images, rows[:, self._label_column()].astype(np.int32)

    def _get_data(self) -> None:
        names = self._train_files if self._train else self._test_files
        paths = self._locate(names)
        if paths is None and os.path.isfile(os.path.join(self._root, self._archive)):
            self._extract()
            paths = self._locate(names)
        if paths is None:
            expected = self._train_files + self._test_files
            raise self._missing(expected, f"(Or in its subdirectory {self._subdir}/, or only the archive "
                                          f"{self._archive} there, which gluonic extracts.)\n")
        batches = [self._read_batch(p) for p in paths]
        data = np.concatenate([b[0] for b in batches])
        self._data = nd.array(data, dtype=np.uint8)
        self._label = np.concatenate([b[1] for b in batches])


class CIFAR100(CIFAR10):
    """CIFAR-100 (https://www.cs.toronto.edu/~kriz/cifar.html), read from its binary files.

    Each sample is ``(image, label)``: a uint8 NDArray ``(32, 32, 3)`` and a ``numpy.int32``.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar100
        Directory holding ``train.bin`` and ``test.bin``, directly or in
        ``cifar-100-binary/``; or only the archive ``cifar-100-binary.tar.gz``.
    fine_label : bool, default False
        The 100 fine classes, or the 20 coarse super-classes.
    train : bool, default True
    transform : callable, default None
    """

    _name = "cifar100"
    _archive = "cifar-100-binary.tar.gz"
    _subdir = "cifar-100-binary"
    _label_bytes = 2

    def __init__(self, root=_ROOT_CIFAR100, fine_label=False, train=True,
                 transform=None):
        self._train = train
        self._fine_label = fine_label
        self._train_files = ["train.bin"]
        self._test_files = ["test.bin"]
        _StandardDataset.__init__(self, root, transform)

    def _label_column(self) -> int:
        return 1 if self._fine_label else 0


# ----------------------------------------------------------------------------- image files
def _image_module():
    from .... import image

    return image


class ImageRecordDataset(RecordFileDataset):
    """Images and labels from a RecordIO file (``.rec`` with its ``.idx`` index), as written
    by ``im2rec`` or ``mx.recordio.pack_img``.

    Each sample is ``(image, label)``: the decoded uint8 NDArray ``(H, W, C)`` and the
    record header's label (a float, or a float32 NumPy array for multi-label records).

    Parameters
    ----------
    filename : str
        Path to the ``.rec`` file; the index is the same path ending in ``.idx``.
    flag : {0, 1}, default 1
        0: decode to gray ``(H, W, 1)``; 1: to RGB ``(H, W, 3)``.
    transform : callable, default None
        ``transform(data, label) -> sample``.
    """

    def __init__(self, filename, flag=1, transform=None):
        super().__init__(filename)
        self._flag = flag
        self._transform = transform

    def __getitem__(self, idx):
        from .... import recordio

        header, img = recordio.unpack(super().__getitem__(idx))
        data = _image_module().imdecode(img, self._flag)
        if self._transform is not None:
            return self._transform(data, header.label)
        return data, header.label


class ImageFolderDataset(Dataset):
    """Images stored in one folder per class::

        root/car/0001.jpg
        root/car/xxxa.jpg
        root/bus/123.jpg

    Each sample is ``(image, label)``: a uint8 NDArray ``(H, W, C)`` and the int index of
    its folder in ``synsets``. Only ``.jpg``, ``.jpeg`` and ``.png`` files are read (others
    are skipped with a warning).

    Parameters
    ----------
    root : str
        The directory holding the class folders.
    flag : {0, 1}, default 1
        0: gray images ``(H, W, 1)``; 1: RGB ``(H, W, 3)``.
    transform : callable, default None
        ``transform(data, label) -> sample``.

    Attributes
    ----------
    synsets : list of str
        Class names, sorted; ``synsets[i]`` is the name of label ``i``.
    items : list of (str, int)
        Every image as ``(filename, label)``.
    """

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._transform = transform
        self._exts = [".jpg", ".jpeg", ".png"]
        if not os.path.isdir(self._root):
            raise DatasetNotFoundError(f"ImageFolderDataset: root is not a directory. Received: {self._root!r}")
        self._list_images(self._root)

    def _list_images(self, root: str) -> None:
        self.synsets = []
        self.items = []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn(f"Ignoring {path}, which is not a directory.", stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn(f"Ignoring {filename} of type {ext}. Only support {', '.join(self._exts)}",
                                  stacklevel=3)
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        img = _image_module().imread(self.items[idx][0], self._flag)
        label = self.items[idx][1]
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self) -> int:
        return len(self.items)


def _label_array(values) -> nd.NDArray:
    return nd.array(np.asarray(values, dtype=np.float32).reshape(-1))


class ImageListDataset(Dataset):
    """Images listed with their labels (MXNet 2's ``ImageListDataset``).

    Each sample is ``(image, label)``: a uint8 NDArray ``(H, W, C)`` and a float32 NDArray
    of the label(s), shape ``(k,)``.

    Parameters
    ----------
    root : str, default '.'
        Directory the image paths (and a ``.lst`` file name) are relative to.
    imglist : str or list
        A ``.lst`` file (``im2rec`` format: ``index<TAB>label(s)<TAB>path`` per line), or a
        list of entries ``[label, path]``, ``[[labels...], path]`` or ``[label1, ..., path]``.
    flag : {0, 1}, default 1
        0: gray images; 1: RGB.
    """

    def __init__(self, root=".", imglist=None, flag=1):
        self._root = os.path.expanduser(root)
        self._flag = flag
        self._exts = [".jpg", ".jpeg", ".png"]
        self._imglist: dict = {}
        self._imgkeys: list = []
        if isinstance(imglist, str):
            self._read_lst(os.path.join(self._root, imglist))
        elif isinstance(imglist, (list, tuple)):
            for i, entry in enumerate(imglist):
                if not isinstance(entry, (list, tuple)) or len(entry) < 2 or not isinstance(entry[-1], str):
                    raise GluonicValueError(f"ImageListDataset: entry {i} of imglist must be [label(s)..., path]. "
                                            f"Received: {entry!r}")
                labels = entry[0] if len(entry) == 2 and not isinstance(entry[0], Number) else entry[:-1]
                self._add(str(i + 1), labels, entry[-1])
        else:
            raise GluonicTypeError(f"ImageListDataset: imglist must be a .lst file name or a list of "
                                   f"[label(s)..., path] entries. Received: {type(imglist).__name__}")

    def _add(self, key, labels, path: str) -> None:
        self._imglist[key] = (_label_array(labels), path)
        self._imgkeys.append(key)

    def _read_lst(self, fname: str) -> None:
        if not os.path.isfile(fname):
            raise DatasetNotFoundError(f"ImageListDataset: list file not found. Received: {fname!r}")
        with open(fname) as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                fields = line.rstrip("\n").split("\t")
                try:
                    key, labels = int(fields[0]), [float(v) for v in fields[1:-1]]
                except ValueError:
                    labels = None
                if labels is None or len(fields) < 3:
                    raise FileFormatError(f"{fname}:{n}: expected 'index<TAB>label(s)<TAB>path'. "
                                          f"Received: {line.rstrip()!r}")
                self._add(key, labels, fields[-1])

    def __len__(self) -> int:
        return len(self._imgkeys)

    def __getitem__(self, idx):
        label, path = self._imglist[self._imgkeys[idx]]
        img = _image_module().imread(os.path.join(self._root, path), self._flag)
        return img, label
