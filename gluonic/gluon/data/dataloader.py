"""``DataLoader``: mini-batches from a dataset, in the main process, in threads or in worker processes.

Example
-------
>>> from gluonic.gluon.data import ArrayDataset, DataLoader
>>> ds = ArrayDataset(np.arange(10, dtype='float32').reshape(5, 2), np.arange(5))
>>> [(x.shape, y.asnumpy().tolist()) for x, y in DataLoader(ds, batch_size=2)]
[((2, 2), [0, 1]), ((2, 2), [2, 3]), ((1, 2), [4])]

With ``num_workers > 0``, batches are computed by worker processes (see ``_workers``):
they arrive in order, through shared memory, and a failing worker raises an error in the
main process instead of hanging it.
"""
from __future__ import annotations

import concurrent.futures
import queue
import threading
import weakref
from collections import deque
from collections.abc import Callable

import torch

from ...base import GluonicValueError
from ...context import Context, cpu, cpu_pinned
from ...ndarray.ndarray import NDArray, _wrap_as
from . import sampler as _sampler
from ._errors import DataLoaderTimeoutError, DataLoaderWorkerError, check, rebuild_exception
from ._shm import unpack
from ._workers import WorkerPool
from .batchify import default_batchify_fn, default_mp_batchify_fn

__all__ = ["DataLoader", "DataLoaderWorkerError", "DataLoaderTimeoutError", "default_batchify_fn",
           "default_mp_batchify_fn"]


def _pin(batch, ctx: Context):
    """Move the NDArrays of a batch into pinned memory (a real copy only when CUDA is available)."""
    if isinstance(batch, NDArray):
        t = batch._tensor
        if torch.cuda.is_available() and t.device.type == "cpu":
            t = t.pin_memory()
        return _wrap_as(batch.__class__, t, ctx)
    if isinstance(batch, (list, tuple)):
        items = [_pin(x, ctx) for x in batch]
        return type(batch)(*items) if hasattr(batch, "_fields") else type(batch)(items)
    if isinstance(batch, dict):
        return type(batch)((k, _pin(v, ctx)) for k, v in batch.items())
    return batch


class _LoaderIter:
    """Base of the iterators: ``len``, exhaustion (and ``auto_reload``), explicit ``shutdown``."""

    def __init__(self, loader: DataLoader):
        self._batch_sampler = loader._batch_sampler
        self._loader_ref = weakref.ref(loader)
        self._done = False

    def __iter__(self):
        return self

    def __len__(self) -> int:
        return len(self._batch_sampler)

    def _exhausted(self):
        self._done = True
        self.shutdown()
        loader = self._loader_ref()
        if loader is not None and loader.auto_reload and loader._iter is None:
            loader.refresh()
        raise StopIteration

    def shutdown(self) -> None:
        """Stop the workers now (also done at the end, on errors and when the iterator is collected)."""


class _SameProcessIter(_LoaderIter):
    def __init__(self, loader: DataLoader):
        super().__init__(loader)
        self._dataset = loader._dataset
        self._batchify_fn = loader._batchify_fn
        self._pin_ctx = cpu_pinned(loader._pin_device_id) if loader._pin_memory else None
        self._indices = None

    def __next__(self):
        if self._done:
            raise StopIteration
        if self._indices is None:
            self._indices = iter(self._batch_sampler)
        batch = next(self._indices, None)
        if batch is None:
            self._exhausted()
        with cpu():  # batches are made on the CPU in every mode (worker threads and processes too)
            ret = self._batchify_fn([self._dataset[i] for i in batch])
        return _pin(ret, self._pin_ctx) if self._pin_ctx is not None else ret


class _ThreadPool:
    """Daemon threads running ``fn(indices)`` for queued futures (they never block interpreter exit)."""

    def __init__(self, fn: Callable, num_threads: int):
        self._tasks: queue.SimpleQueue = queue.SimpleQueue()
        self._fn = fn
        self._threads = [threading.Thread(target=self._run, daemon=True, name=f"gluonic-dataloader-thread-{i}")
                         for i in range(num_threads)]
        for t in self._threads:
            t.start()

    def _run(self):
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, indices = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._fn(indices))
            except BaseException as e:  # noqa: B036 - handed to the consumer
                future.set_exception(e)

    def submit(self, indices) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._tasks.put((future, indices))
        return future

    def shutdown(self):
        for _ in self._threads:
            self._tasks.put(None)


class _ParallelIter(_LoaderIter):
    """Keeps ``prefetch`` batches in flight on a pool; returns them in order."""

    def __init__(self, loader: DataLoader):
        super().__init__(loader)
        self._loader_args = (loader._dataset, loader._batchify_fn, loader._num_workers, loader._timeout)
        self._prefetch = loader._prefetch
        self._pin = loader._pin_memory
        self._ctx = cpu_pinned(loader._pin_device_id) if loader._pin_memory else cpu()
        self._pool = None
        self._finalizer = None
        self._indices = None
        self._sent = 0
        self._pending: deque = deque()
        if loader.auto_reload:  # MXNet prefetches as soon as the iterator exists
            self._start()

    def _new_pool(self):
        raise NotImplementedError

    def _start(self):
        self._indices = iter(self._batch_sampler)
        self._pool = self._new_pool()
        self._finalizer = weakref.finalize(self, self._pool.shutdown)
        for _ in range(self._prefetch):
            self._push_next()

    def _push_next(self):
        indices = next(self._indices, None)
        if indices is None:
            return
        self._submit(self._sent, indices)
        self._sent += 1

    def __next__(self):
        if self._done:
            raise StopIteration
        try:
            if self._pool is None:
                self._start()
            self._push_next()
            if not self._pending:
                self._exhausted()
            return self._receive()
        except StopIteration:
            raise
        except BaseException:  # errors, Ctrl-C: no worker outlives the iteration (a traceback keeps `self`)
            self.shutdown()
            raise

    def shutdown(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        self._done = True


class _ThreadIter(_ParallelIter):
    def _new_pool(self):
        dataset, batchify_fn, num_workers, _ = self._loader_args
        return _ThreadPool(lambda indices: batchify_fn([dataset[i] for i in indices]), num_workers)

    def _submit(self, batch_idx, indices):
        self._pending.append((batch_idx, self._pool.submit(indices)))

    def _receive(self):
        batch_idx, future = self._pending.popleft()
        timeout = self._loader_args[3]
        try:
            batch = future.result(timeout)
        except concurrent.futures.TimeoutError:
            raise DataLoaderTimeoutError(
                f"DataLoader thread did not deliver batch {batch_idx} within timeout={timeout} s. A slow dataset or "
                f"transform needs a larger `timeout`. Received: timeout={timeout}") from None
        return _pin(batch, self._ctx) if self._pin else batch


class _ProcessIter(_ParallelIter):
    def _new_pool(self):
        from ...random import generator

        dataset, batchify_fn, num_workers, timeout = self._loader_args
        seed = int(torch.randint(0, 2**62, (), generator=generator(cpu())))
        return WorkerPool(dataset, batchify_fn, num_workers, timeout, seed)

    def _submit(self, batch_idx, indices):
        worker_id = batch_idx % len(self._pool.workers)
        self._pool.send(worker_id, batch_idx, indices)
        self._pending.append((batch_idx, worker_id))

    def _receive(self):
        batch_idx, worker_id = self._pending.popleft()
        ok, payload, mm = self._pool.receive(worker_id, batch_idx)
        if not ok:  # like MXNet, an error ends the iteration (__next__ stops the workers)
            raise rebuild_exception(payload, worker_id, self._pool.workers[worker_id].proc.pid)
        return unpack(payload, mm, self._ctx, self._pin and torch.cuda.is_available())


class DataLoader:
    """Loads data from a dataset and returns mini-batches (MXNet 1.9's ``gluon.data.DataLoader``).

    Parameters
    ----------
    dataset : Dataset
        The source; NumPy arrays, NDArrays and lists work too.
    batch_size : int
        Size of a mini-batch (required unless ``batch_sampler`` is given).
    shuffle : bool, default False
        Visit samples in a new random order each epoch (``np.random``). Not with ``sampler``.
    sampler : Sampler, optional
        The order of the samples. Not with ``shuffle``.
    last_batch : {'keep', 'discard', 'rollover'}, default 'keep'
        The incomplete last batch is returned, dropped, or completed at the next epoch.
    batch_sampler : Sampler, optional
        Yields lists of indices; excludes ``batch_size``, ``shuffle``, ``sampler`` and ``last_batch``.
    batchify_fn : callable, optional
        Merges a list of samples into a batch; default :func:`default_batchify_fn`.
    num_workers : int, default 0
        Number of worker processes (0: load in the main process; negative counts as 0).
    pin_memory : bool, default False
        Return batches in context ``cpu_pinned(pin_device_id)``, page-locked when CUDA is
        available (a faster copy to the GPU); without CUDA, only the context changes.
    pin_device_id : int, default 0
        The GPU the pinned memory is for.
    prefetch : int, optional
        Batches computed ahead by the workers; default ``2 * num_workers``.
    thread_pool : bool, default False
        Use ``num_workers`` threads instead of processes (no pickling, shares the GIL).
    timeout : float, default 120
        Seconds to wait for one batch from a worker before raising ``DataLoaderTimeoutError``.
    auto_reload : bool, default False
        Start the workers for the next epoch when an epoch ends (and at construction).
    try_nopython : None
        Accepted for MXNet 2.0 code; has no effect.

    Worker processes (``num_workers > 0``, ``thread_pool=False``) are started for each
    epoch's iterator and stopped when it is exhausted, broken out of, garbage collected or
    fails. Each computes whole batches; batches come back in order through shared memory
    as NDArrays in ``cpu(0)`` (MXNet says ``cpu_shared(0)``). Workers are forked on Linux
    (unless CUDA is initialized: then spawned, and the dataset and ``batchify_fn`` must
    pickle); each gets its own seed for ``random``, ``np.random`` and ``mx.random``.

    Raises
    ------
    ValueError
        For inconsistent arguments (MXNet's messages).
    DataLoaderWorkerError
        When a worker process dies (killed, crashed): at once, naming it and its exit code.
    DataLoaderTimeoutError
        When a worker takes longer than ``timeout`` for a batch.

    An exception raised in a worker is re-raised in the main process with its type and the
    worker's original traceback in the message. Any error ends the iteration and stops the
    workers (as in MXNet, which terminates its pool).
    """

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None, last_batch=None, batch_sampler=None,
                 batchify_fn=None, num_workers=0, pin_memory=False, pin_device_id=0, prefetch=None,
                 thread_pool=False, timeout=120, auto_reload=False, try_nopython=None):
        self._iter = None
        check(timeout > 0, f"timeout must be positive, given {timeout}")
        self._dataset = dataset
        self._pin_memory = pin_memory
        self._pin_device_id = pin_device_id
        self._thread_pool = thread_pool
        self._timeout = timeout
        if batch_sampler is None:
            if batch_size is None:
                raise GluonicValueError("batch_size must be specified unless batch_sampler is specified")
            if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
                raise GluonicValueError(f"batch_size must be a positive integer. Received: {batch_size!r}")
            if sampler is None:
                n = len(dataset)
                sampler = _sampler.RandomSampler(n) if shuffle else _sampler.SequentialSampler(n)
            elif shuffle:
                raise GluonicValueError("shuffle must not be specified if sampler is specified")
            batch_sampler = _sampler.BatchSampler(sampler, batch_size, last_batch if last_batch else "keep")
        elif batch_size is not None or shuffle or sampler is not None or last_batch is not None:
            raise GluonicValueError(
                "batch_size, shuffle, sampler and last_batch must not be specified if batch_sampler is specified.")
        self._batch_sampler = batch_sampler
        self._num_workers = num_workers if num_workers >= 0 else 0
        self._prefetch = max(0, int(prefetch) if prefetch is not None else 2 * self._num_workers)
        if batchify_fn is None:
            batchify_fn = default_mp_batchify_fn if self._num_workers > 0 and not thread_pool else default_batchify_fn
        self._batchify_fn = batchify_fn
        self.auto_reload = auto_reload
        if auto_reload:
            self.refresh()

    def __iter__(self):
        if self._iter is None:
            self.refresh()
        it, self._iter = self._iter, None  # an iterator is used once
        return it

    def __len__(self) -> int:
        return len(self._batch_sampler)

    def refresh(self) -> None:
        """Create the next epoch's iterator now (with ``num_workers > 0``: start prefetching)."""
        if self._num_workers == 0:
            self._iter = _SameProcessIter(self)
        elif self._thread_pool:
            self._iter = _ThreadIter(self)
        else:
            self._iter = _ProcessIter(self)

    def clean(self) -> None:
        """Drop a prefetched iterator (its workers stop); the next ``iter()`` starts afresh."""
        it, self._iter = self._iter, None
        if it is not None:
            it.shutdown()
