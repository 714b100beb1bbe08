"""Datasets: indexable collections of samples, and their lazy views.

A dataset has ``__getitem__(i)`` and ``__len__``. ``transform``, ``transform_first``,
``filter``, ``shard``, ``take`` and ``sample`` return new datasets that view the
original (nothing is copied, except by ``transform(fn, lazy=False)``).

Example
-------
>>> from gluonic.gluon.data import ArrayDataset
>>> ds = ArrayDataset(np.arange(6, dtype='float32').reshape(3, 2), [0, 1, 0])
>>> x, y = ds[1]
>>> x.tolist(), y
([2.0, 3.0], 1)
>>> doubled = ds.transform_first(lambda x: x * 2)
>>> doubled[1][0].tolist()
[4.0, 6.0]
>>> len(ds.filter(lambda sample: sample[1] == 0))
2
"""
from __future__ import annotations

from collections.abc import Callable

from ...ndarray.ndarray import NDArray
from ._errors import check, check_type
from .sampler import FilterSampler, Sampler, SequentialSampler

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset"]


class Dataset:
    """Abstract dataset: subclasses define ``__getitem__(idx)`` and ``__len__()``.

    A list, a NumPy array or an NDArray can be used wherever a dataset is expected.
    """

    def __getitem__(self, idx):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def filter(self, fn: Callable) -> Dataset:
        """A dataset of the samples for which ``fn(sample)`` is true.

        ``fn`` runs on every sample once, now. On a lazily transformed dataset it sees the
        transformed samples, and the transform runs again whenever a sample is read later.
        """
        return _SampledDataset(self, FilterSampler(fn, self))

    def shard(self, num_shards: int, index: int) -> Dataset:
        """The ``index``-th of ``num_shards`` contiguous, near-equal parts of this dataset.

        The first ``len % num_shards`` shards have one more sample. For distributed
        training, shard before shuffling so each worker sees a distinct subset.

        >>> [list(SimpleDataset(list(range(5))).shard(2, i)) for i in range(2)]
        [[0, 1, 2], [3, 4]]
        """
        check(index < num_shards, f"Shard index of out bound: {index} out of {num_shards}")
        check(num_shards > 0, "Number of shards must be greater than 0")
        check(index >= 0, "Index must be non-negative")
        length = len(self)
        shard_len, rest = divmod(length, num_shards)
        start = shard_len * index + min(index, rest)
        end = start + shard_len + (index < rest)
        return _SampledDataset(self, SequentialSampler(end - start, start))

    def take(self, count: int | None) -> Dataset:
        """A dataset of the first ``count`` samples (all of them if ``count`` is None or larger)."""
        if count is None or count > len(self):
            count = len(self)
        check(count >= 0, f"count must be non-negative, given {count}")
        return _SampledDataset(self, SequentialSampler(count))

    def sample(self, sampler: Sampler) -> Dataset:
        """A dataset of the samples at the indices ``sampler`` yields (drawn once, now)."""
        check_type(isinstance(sampler, Sampler),
                   f"Invalid sampler type: {type(sampler)}. Expected gluon.data.Sampler instead.")
        return _SampledDataset(self, sampler)

    def transform(self, fn: Callable, lazy: bool = True) -> Dataset:
        """A dataset whose samples are ``fn(sample)`` (``fn(*sample)`` for tuple samples).

        Parameters
        ----------
        fn : callable
            The transform.
        lazy : bool, default True
            If True, ``fn`` runs each time a sample is read (random augmentations differ
            per epoch). If False, every sample is transformed now and stored.
        """
        trans = _LazyTransformDataset(self, fn)
        if lazy:
            return trans
        return SimpleDataset([trans[i] for i in range(len(trans))])

    def transform_first(self, fn: Callable, lazy: bool = True) -> Dataset:
        """Like :meth:`transform`, applied to the first element of each sample only (the data, not the label)."""
        return self.transform(_TransformFirstClosure(fn), lazy)

    def __iter__(self):
        # Bounded by len(): a __getitem__ that never raises IndexError cannot loop forever.
        for i in range(len(self)):
            yield self[i]


class SimpleDataset(Dataset):
    """A dataset over any object with ``len()`` and ``[]`` (a list, an array).

    >>> SimpleDataset([3, 4, 5])[1]
    4
    """

    def __init__(self, data):
        self._data = data

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, idx):
        return self._data[idx]


class _LazyTransformDataset(Dataset):
    """``fn`` applied to each sample on access (tuple samples are unpacked into arguments)."""

    def __init__(self, data, fn: Callable):
        self._data = data
        self._fn = fn

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, idx):
        item = self._data[idx]
        if isinstance(item, tuple):
            return self._fn(*item)
        return self._fn(item)


class _TransformFirstClosure:
    """``fn`` on the first element of a sample; a class, not a closure, so it pickles (spawned workers)."""

    def __init__(self, fn: Callable):
        self._fn = fn

    def __call__(self, x, *args):
        if args:
            return (self._fn(x),) + args
        return self._fn(x)


class _FilteredDataset(Dataset):
    """The samples of ``dataset`` for which ``fn(sample)`` is true (indices computed once)."""

    def __init__(self, dataset, fn: Callable):
        self._dataset = dataset
        self._indices = [i for i in range(len(dataset)) if fn(dataset[i])]

    def __len__(self) -> int:
        return len(self._indices)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]


class _SampledDataset(Dataset):
    """The samples of ``dataset`` at the indices a sampler yields (drawn once, at construction)."""

    def __init__(self, dataset, sampler: Sampler):
        self._dataset = dataset
        self._sampler = sampler
        self._indices = list(iter(sampler))

    def __len__(self) -> int:
        return len(self._indices)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]


class ArrayDataset(Dataset):
    """Zips dataset-like objects (NDArrays, NumPy arrays, lists, datasets) into samples.

    The ``i``-th sample is ``(x1[i], x2[i], ...)``, or ``x1[i]`` for a single input.
    1-D NDArrays are converted to NumPy first, so their items are scalars (as in MXNet).

    Raises
    ------
    DataAssertionError (an AssertionError and a ValueError)
        If no input is given or the inputs' lengths differ. (MXNet's message names the
        wrong array with an index one too high; this one names the right one.)

    >>> ds = ArrayDataset(mx.nd.array([1, 2, 3]), [[0, 1], [2, 3], [4, 5]])
    >>> ds[2]
    (3.0, [4, 5])
    """

    def __init__(self, *args):
        check(len(args) > 0, "Needs at least 1 arrays")
        self._length = len(args[0])
        self._data = []
        for i, data in enumerate(args):
            check(len(data) == self._length,
                  f"All arrays must have the same length; array[0] has length {self._length} "
                  f"while array[{i}] has {len(data)}.")
            if isinstance(data, NDArray) and data.ndim == 1:
                data = data.asnumpy()
            self._data.append(data)

    def __getitem__(self, idx):
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(data[idx] for data in self._data)

    def __len__(self) -> int:
        return self._length
