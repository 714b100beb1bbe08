"""Samplers: the order in which a DataLoader visits a dataset, and how it forms batches.

A sampler is an iterable of indices with a length. ``BatchSampler`` groups another
sampler's indices into lists (mini-batches).

Example
-------
>>> from gluonic.gluon.data import BatchSampler, SequentialSampler
>>> list(BatchSampler(SequentialSampler(7), 3, 'keep'))
[[0, 1, 2], [3, 4, 5], [6]]
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ._errors import check

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "FilterSampler", "BatchSampler", "IntervalSampler"]

_LAST_BATCH = ("keep", "discard", "rollover")


def check_last_batch(last_batch) -> None:
    """MXNet's error for an unknown ``last_batch`` mode (a ValueError)."""
    if last_batch not in _LAST_BATCH:
        from ...base import GluonicValueError

        raise GluonicValueError(
            f"last_batch must be one of 'keep', 'discard', or 'rollover', but got {last_batch}")


class Sampler:
    """Base class of samplers: subclasses define ``__iter__`` (indices) and ``__len__``."""

    def __iter__(self) -> Iterator:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """Indices ``start, start+1, ..., start+length-1`` in order.

    Parameters
    ----------
    length : int
        Number of indices.
    start : int, default 0
        The first index.

    >>> list(SequentialSampler(3, start=2))
    [2, 3, 4]
    """

    def __init__(self, length: int, start: int = 0):
        self._length = length
        self._start = start

    def __iter__(self) -> Iterator[int]:
        return iter(range(self._start, self._start + self._length))

    def __len__(self) -> int:
        return self._length


class RandomSampler(Sampler):
    """A random permutation of ``[0, length)``, new at each iteration.

    Draws from NumPy's global generator (``np.random.shuffle``), as MXNet does, so
    ``np.random.seed`` makes the order reproducible. Indices are NumPy integers.

    >>> np.random.seed(0); sorted(RandomSampler(4)) == [0, 1, 2, 3]
    True
    """

    def __init__(self, length: int):
        self._length = length

    def __iter__(self) -> Iterator:
        indices = np.arange(self._length)
        np.random.shuffle(indices)
        return iter(indices)

    def __len__(self) -> int:
        return self._length


class FilterSampler(Sampler):
    """The indices of the samples of ``dataset`` for which ``fn(sample)`` is true.

    ``fn`` is evaluated on every sample once, at construction.

    >>> list(FilterSampler(lambda x: x % 2 == 0, [5, 6, 7, 8]))
    [1, 3]
    """

    def __init__(self, fn: Callable, dataset):
        self._fn = fn
        self._dataset = dataset
        self._indices = [i for i in range(len(dataset)) if fn(dataset[i])]

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices)

    def __len__(self) -> int:
        return len(self._indices)


class BatchSampler(Sampler):
    """Groups the indices of ``sampler`` into lists of ``batch_size``.

    Parameters
    ----------
    sampler : Sampler
        The source of indices.
    batch_size : int
        Size of a mini-batch.
    last_batch : {'keep', 'discard', 'rollover'}, default 'keep'
        What to do with an incomplete last batch: ``'keep'`` yields it (shorter),
        ``'discard'`` drops it, ``'rollover'`` keeps its indices and puts them first in the
        next iteration's first batch.

    Unlike MXNet, an unknown ``last_batch`` raises at construction (same message), not at
    the end of the first epoch.

    >>> list(BatchSampler(SequentialSampler(5), 2, 'discard'))
    [[0, 1], [2, 3]]
    >>> s = BatchSampler(SequentialSampler(5), 2, 'rollover')
    >>> list(s), list(s)
    ([[0, 1], [2, 3]], [[4, 0], [1, 2], [3, 4]])
    """

    def __init__(self, sampler, batch_size: int, last_batch: str = "keep"):
        check_last_batch(last_batch)
        self._sampler = sampler
        self._batch_size = batch_size
        self._last_batch = last_batch
        self._prev: list = []

    def __iter__(self) -> Iterator[list]:
        batch, self._prev = self._prev, []
        size = self._batch_size
        for i in self._sampler:
            batch.append(i)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            if self._last_batch == "keep":
                yield batch
            elif self._last_batch == "rollover":
                self._prev = batch

    def __len__(self) -> int:
        if self._last_batch == "keep":
            return (len(self._sampler) + self._batch_size - 1) // self._batch_size
        if self._last_batch == "discard":
            return len(self._sampler) // self._batch_size
        return (len(self._prev) + len(self._sampler)) // self._batch_size


class IntervalSampler(Sampler):
    """Indices of ``[0, length)`` at a fixed ``interval``: ``0, k, 2k, ..., 1, k+1, ...``.

    MXNet's ``gluon.contrib.data.IntervalSampler``.

    Parameters
    ----------
    length : int
        Number of items.
    interval : int
        Step between two consecutive indices (``<= length``).
    rollover : bool, default True
        Start again from the first skipped item after reaching the end, until every item
        was visited. If False, stop at the end (only ``0, k, 2k, ...``).

    ``len()`` is the number of indices yielded; MXNet returns ``length`` even when
    ``rollover=False`` yields fewer.

    >>> list(IntervalSampler(7, 3))
    [0, 3, 6, 1, 4, 2, 5]
    >>> list(IntervalSampler(7, 3, rollover=False))
    [0, 3, 6]
    """

    def __init__(self, length: int, interval: int, rollover: bool = True):
        check(interval <= length, f"Interval {interval} must be smaller than or equal to length {length}")
        check(interval > 0, f"Interval must be positive, given {interval}")
        self._length = length
        self._interval = interval
        self._rollover = rollover

    def __iter__(self) -> Iterator[int]:
        for i in range(self._interval if self._rollover else 1):
            yield from range(i, self._length, self._interval)

    def __len__(self) -> int:
        if self._rollover:
            return self._length
        return len(range(0, self._length, self._interval))
