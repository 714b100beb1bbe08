"""MXNet 1.9's legacy data-iterator protocol (``mx.io``): the pieces ``mx.mod.Module`` reads.

``DataDesc`` names and shapes one input, ``DataBatch`` carries one batch, ``DataIter`` is
the protocol (``reset``/``next``/``iter_next``/``getdata``/``getlabel``/``getpad``/
``getindex`` plus ``batch_size``, ``provide_data``, ``provide_label``), and ``ResizeIter``
and ``PrefetchingIter`` wrap other iterators. ``NDArrayIter`` lives in ``ndarray_iter``.

MXNet's other C++ iterators (``MXDataIter``, ``LibSVMIter``, ``ImageDetRecordIter``...)
are not provided; referring to them raises :class:`IteratorNotSupported` with a way out.

>>> import numpy as np, gluonic.io as io
>>> it = io.NDArrayIter(np.zeros((10, 2)), np.arange(10), batch_size=4)
>>> [b.pad for b in it]
[0, 0, 2]
>>> it.provide_data
[DataDesc[data,(4, 2),<class 'numpy.float32'>,NCHW]]
"""
from __future__ import annotations

import threading
from collections import namedtuple

import numpy as np

from ..base import GluonicTypeError, GluonicValueError, MXNetError

__all__ = [
    "DataDesc",
    "DataBatch",
    "DataIter",
    "ResizeIter",
    "PrefetchingIter",
    "MXDataIter",
    "IteratorNotSupported",
    "CPP_ITERATORS",
    "LibSVMIter",
    "ImageRecordIter_v1",
    "ImageRecordUInt8Iter",
    "ImageRecordUInt8Iter_v1",
    "ImageRecordInt8Iter",
    "ImageDetRecordIter",
]


class DataDesc(namedtuple("DataDesc", ["name", "shape"])):
    """Name, shape, dtype and layout of one data or label input (MXNet: ``mx.io.DataDesc``).

    A ``(name, shape)`` namedtuple (so it compares equal to, and unpacks like, the plain
    tuple) with ``dtype`` and ``layout`` as extra attributes. ``layout`` says what the
    axes mean; the position of ``'N'`` is the batch axis.

    >>> d = DataDesc('data', (32, 3, 224, 224))
    >>> d
    DataDesc[data,(32, 3, 224, 224),<class 'numpy.float32'>,NCHW]
    >>> d == ('data', (32, 3, 224, 224)), DataDesc.get_batch_axis('TNC')
    (True, 1)
    """

    def __new__(cls, name, shape, dtype=np.float32, layout="NCHW"):
        desc = super().__new__(cls, name, shape)
        desc.dtype = dtype
        desc.layout = layout
        return desc

    def __repr__(self) -> str:
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"

    def _replace(self, **changes) -> DataDesc:
        # namedtuple's _replace bypasses __new__ and would drop dtype/layout (MXNet's does).
        fields = {"name": self.name, "shape": self.shape, "dtype": self.dtype, "layout": self.layout}
        unknown = set(changes) - set(fields)
        if unknown:
            raise GluonicValueError(f"DataDesc._replace: unknown fields. Received: {sorted(unknown)}")
        fields.update(changes)
        return DataDesc(**fields)

    @staticmethod
    def get_batch_axis(layout: str | None) -> int:
        """The batch axis of ``layout``: the index of ``'N'``, 0 for None, -1 if there is none."""
        if layout is None:
            return 0
        return layout.find("N")

    @staticmethod
    def get_list(shapes, types) -> list[DataDesc]:
        """``DataDesc`` list from ``[(name, shape), ...]`` and optional ``[(name, dtype), ...]``."""
        if types is None:
            return [DataDesc(name, shape) for name, shape in shapes]
        dtypes = dict(types)
        return [DataDesc(name, shape, dtypes[name]) for name, shape in shapes]


class DataBatch:
    """One batch from a data iterator (MXNet: ``mx.io.DataBatch``).

    Parameters
    ----------
    data : list of NDArray
        One array per data input, ``batch_size`` examples each (along the batch axis).
    label : list of NDArray, optional
        One array per label input.
    pad : int, optional
        How many examples at the end of the batch are filler (not part of the epoch);
        prediction drops them.
    index : numpy.ndarray, optional
        Indices of the examples in the batch.
    bucket_key : optional
        The bucket key (BucketingModule).
    provide_data, provide_label : list of DataDesc, optional
        Descriptions of ``data`` / ``label`` when they differ from the iterator's.
    """

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None, provide_data=None,
                 provide_label=None):
        if data is not None and not isinstance(data, (list, tuple)):
            raise GluonicTypeError(f"DataBatch: data must be a list of NDArrays. Received: {type(data).__name__}")
        if label is not None and not isinstance(label, (list, tuple)):
            raise GluonicTypeError(f"DataBatch: label must be a list of NDArrays. Received: {type(label).__name__}")
        self.data = data
        self.label = label
        self.pad = pad
        self.index = index
        self.bucket_key = bucket_key
        self.provide_data = provide_data
        self.provide_label = provide_label

    def __str__(self) -> str:
        data_shapes = [d.shape for d in self.data]
        label_shapes = [x.shape for x in self.label] if self.label else None
        return f"{type(self).__name__}: data shapes: {data_shapes} label shapes: {label_shapes}"


class DataIter:
    """Base class of MXNet's data iterators (MXNet: ``mx.io.DataIter``).

    A Python iterator of :class:`DataBatch`; ``reset()`` starts the next epoch. Subclasses
    implement ``iter_next`` (advance, return whether a batch is there) and ``getdata``,
    ``getlabel``, ``getpad`` (and optionally ``getindex``) for the current batch, or
    override ``next`` directly. They also provide ``provide_data`` and ``provide_label``
    (lists of :class:`DataDesc`), which ``Module.fit`` binds with; as in MXNet the base
    class does not define them.

    Parameters
    ----------
    batch_size : int, default 0
        Examples per batch.
    """

    def __init__(self, batch_size: int = 0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def reset(self) -> None:
        """Go back to the start of the data (the next epoch)."""

    def next(self) -> DataBatch:
        """The next batch. Raises ``StopIteration`` at the end of the epoch."""
        if self.iter_next():
            return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(), index=self.getindex())
        raise StopIteration

    def __next__(self) -> DataBatch:
        return self.next()

    def iter_next(self) -> bool:
        """Move to the next batch; return whether there is one."""

    def getdata(self):
        """The data arrays of the current batch (list of NDArray)."""

    def getlabel(self):
        """The label arrays of the current batch (list of NDArray)."""

    def getindex(self):
        """The example indices of the current batch (numpy array), or None."""
        return None

    def getpad(self):
        """The number of filler examples at the end of the current batch."""


class _BatchBackedIter(DataIter):
    """An iterator whose getters read ``self.current_batch`` (the batch ``iter_next`` fetched)."""

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class ResizeIter(_BatchBackedIter):
    """Present ``data_iter`` as an epoch of exactly ``size`` batches (MXNet: ``mx.io.ResizeIter``).

    When ``data_iter`` runs out before ``size`` batches it is reset and continues.

    Parameters
    ----------
    data_iter : DataIter
        The iterator to resize.
    size : int
        Batches per epoch.
    reset_internal : bool, default True
        Whether ``reset()`` also resets ``data_iter`` (False: the next epoch continues
        where this one stopped).

    >>> import numpy as np, gluonic.io as io
    >>> it = io.ResizeIter(io.NDArrayIter(np.ones((100, 10)), batch_size=25), 2)
    >>> [b.data[0].shape for b in it]
    [(25, 10), (25, 10)]
    """

    def __init__(self, data_iter: DataIter, size: int, reset_internal: bool = True):
        super().__init__()
        self.data_iter = data_iter
        self.size = size
        self.reset_internal = reset_internal
        self.cur = 0
        self.current_batch = None
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label
        self.batch_size = data_iter.batch_size
        if hasattr(data_iter, "default_bucket_key"):
            self.default_bucket_key = data_iter.default_bucket_key

    def reset(self) -> None:
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self) -> bool:
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True



class _Prefetcher:
    """One background thread that fetches the next batch of one iterator on request.

    The consumer sets ``wanted`` to ask for a batch and waits on ``ready``; the worker
    stores the batch (None at the end of the epoch, or the exception it raised) in
    ``batch`` and sets ``ready``. Between a ``ready`` and the next ``wanted`` the worker is
    idle, so the consumer may reset the iterator safely.
    """

    def __init__(self, data_iter: DataIter):
        self.data_iter = data_iter
        self.wanted = threading.Event()
        self.ready = threading.Event()
        self.batch = None
        self.error = None
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True, name="gluonic-PrefetchingIter")
        self.thread.start()
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            if not self.running:
                return
            try:
                self.batch, self.error = self.data_iter.next(), None
            except StopIteration:
                self.batch, self.error = None, None
            except BaseException as e:  # handed to the consumer, which re-raises it
                self.batch, self.error = None, e
            self.ready.set()

    def take(self):
        """Wait for the fetched batch (None at the end of the epoch); re-raise a worker error."""
        self.ready.wait()
        if self.error is not None:
            error, self.error = self.error, None
            self.ready.clear()
            self.wanted.set()  # the next call retries instead of hanging
            raise error
        return self.batch

    def request(self) -> None:
        self.ready.clear()
        self.wanted.set()

    def stop(self) -> None:
        self.running = False
        self.wanted.set()
        if self.thread is not threading.current_thread():
            self.thread.join(timeout=5.0)


class PrefetchingIter(_BatchBackedIter):
    """Fetch the next batch of one or more iterators in background threads (MXNet: ``mx.io.PrefetchingIter``).

    Each batch joins the batches of all ``iters`` (their data lists, then their label
    lists, in order); all iterators must give the same number of batches with the same
    ``pad``. One batch per iterator is fetched ahead, starting at construction.

    Parameters
    ----------
    iters : DataIter or list of DataIter
        The iterators to prefetch from.
    rename_data : list of dict, optional
        For the i-th iterator, ``{old_name: new_name}`` for every entry of its
        ``provide_data``.
    rename_label : list of dict, optional
        The same for ``provide_label``.

    Unlike MXNet, an error raised by an inner iterator is re-raised by ``next()`` (MXNet's
    thread dies and ``next()`` hangs), and renamed descriptions keep their layout.

    >>> import numpy as np, gluonic.io as io
    >>> a = io.NDArrayIter({'data': np.ones((100, 10))}, batch_size=25)
    >>> b = io.NDArrayIter({'data': np.ones((100, 10))}, batch_size=25)
    >>> it = io.PrefetchingIter([a, b], rename_data=[{'data': 'data_1'}, {'data': 'data_2'}])
    >>> [d.name for d in it.provide_data], len(list(it))
    (['data_1', 'data_2'], 4)
    """

    def __init__(self, iters, rename_data=None, rename_label=None):
        super().__init__()
        if not isinstance(iters, (list, tuple)):
            iters = [iters]
        if not iters:
            raise GluonicValueError("PrefetchingIter: needs at least one iterator. Received: an empty list")
        self.iters = list(iters)
        self.n_iter = len(self.iters)
        self.rename_data = rename_data
        self.rename_label = rename_label
        self.batch_size = self.provide_data[0][1][0]
        self.current_batch = None
        self._workers = [_Prefetcher(it) for it in self.iters]

    def __del__(self):
        for worker in getattr(self, "_workers", ()):
            worker.stop()

    @staticmethod
    def _renamed(descs_per_iter, renames):
        if renames is None:
            return [d for descs in descs_per_iter for d in descs]
        out = []
        for rename, descs in zip(renames, descs_per_iter):
            for d in descs:
                if isinstance(d, DataDesc):
                    out.append(DataDesc(rename[d.name], d.shape, d.dtype, d.layout))
                else:
                    out.append(DataDesc(rename[d[0]], *d[1:]))
        return out

    @property
    def provide_data(self):
        return self._renamed([it.provide_data for it in self.iters], self.rename_data)

    @property
    def provide_label(self):
        return self._renamed([it.provide_label for it in self.iters], self.rename_label)

    def reset(self) -> None:
        for worker in self._workers:
            worker.ready.wait()  # the worker is idle once its batch is ready
        for it in self.iters:
            it.reset()
        for worker in self._workers:
            worker.request()

    def iter_next(self) -> bool:
        batches = [worker.take() for worker in self._workers]
        if batches[0] is None:
            if any(b is not None for b in batches):
                raise GluonicValueError("PrefetchingIter: the iterators gave different numbers of batches. "
                                        "Received: the first one ended before the others")
            return False
        if any(b is None for b in batches) or any(b.pad != batches[0].pad for b in batches):
            raise GluonicValueError("PrefetchingIter: the iterators' batches do not line up. Received: pads "
                                    f"{[None if b is None else b.pad for b in batches]}")
        self.current_batch = DataBatch(
            [d for b in batches for d in b.data],
            [x for b in batches for x in (b.label or [])],
            batches[0].pad,
            batches[0].index,
            provide_data=self.provide_data,
            provide_label=self.provide_label,
        )
        for worker in self._workers:
            worker.request()
        return True

    def next(self) -> DataBatch:
        if self.iter_next():
            return self.current_batch
        raise StopIteration



# ---------------------------------------------------------------- MXNet's C++ iterators

class IteratorNotSupported(MXNetError, NotImplementedError):
    """One of MXNet's C++ data iterators was used; gluonic does not provide them."""


_ALTERNATIVE = (
    "Load the data into NumPy arrays and use mx.io.NDArrayIter, or use mx.gluon.data "
    "(Dataset + DataLoader)."
)

#: MXNet's C++ iterators (``mx.io.<name>``) and a hint for each.
CPP_ITERATORS = {
    "LibSVMIter": "Read the file with sklearn.datasets.load_svmlight_file, then use mx.io.NDArrayIter "
                  "on dense arrays.",
    "ImageRecordIter_v1": "Use mx.gluon.data.vision.ImageRecordDataset with a DataLoader.",
    "ImageRecordUInt8Iter": "Use mx.gluon.data.vision.ImageRecordDataset with a DataLoader.",
    "ImageRecordUInt8Iter_v1": "Use mx.gluon.data.vision.ImageRecordDataset with a DataLoader.",
    "ImageRecordInt8Iter": "Use mx.gluon.data.vision.ImageRecordDataset with a DataLoader.",
    "ImageDetRecordIter": "Use mx.gluon.data.vision.ImageRecordDataset with a DataLoader.",
}


def _not_supported(name: str) -> IteratorNotSupported:
    hint = CPP_ITERATORS.get(name, _ALTERNATIVE)
    return IteratorNotSupported(
        f"mx.io.{name} is one of MXNet's C++ data iterators, which gluonic does not provide. {hint}"
    )


class MXDataIter(DataIter):
    """MXNet's wrapper of a C++ data iterator: not available in gluonic.

    The class exists so that ``isinstance(x, mx.io.MXDataIter)`` keeps working (it is
    always False); constructing one raises :class:`IteratorNotSupported`.
    """

    def __init__(self, handle=None, data_name="data", label_name="softmax_label", **kwargs):
        raise _not_supported("MXDataIter")


def _make_stub(name: str):
    def creator(*args, **kwargs):
        raise _not_supported(name)

    creator.__name__ = creator.__qualname__ = name
    creator.__doc__ = f"MXNet's C++ ``{name}``: not available in gluonic (raises IteratorNotSupported)."
    return creator


LibSVMIter = _make_stub("LibSVMIter")
ImageRecordIter_v1 = _make_stub("ImageRecordIter_v1")
ImageRecordUInt8Iter = _make_stub("ImageRecordUInt8Iter")
ImageRecordUInt8Iter_v1 = _make_stub("ImageRecordUInt8Iter_v1")
ImageRecordInt8Iter = _make_stub("ImageRecordInt8Iter")
ImageDetRecordIter = _make_stub("ImageDetRecordIter")
