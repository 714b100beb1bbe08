"""``NDArrayIter``: batches over in-memory arrays (MXNet: ``mx.io.NDArrayIter``).

Batches, pads, shuffling (``np.random``) and the three ``last_batch_handle`` modes match
MXNet 1.9.1 batch for batch; see the class docstring for the few places where gluonic
does better than MXNet.
"""
from __future__ import annotations

import numpy as np
import torch

from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import NDArray, array, from_torch
from .data_iter import DataBatch, DataDesc, DataIter

__all__ = ["NDArrayIter"]

_MODES = ("pad", "discard", "roll_over")


def _as_sources(data, allow_empty: bool, default_name: str, what: str) -> list[tuple[str, NDArray]]:
    """``data`` (array, list/tuple or dict of arrays) as ``[(name, NDArray), ...]`` sorted by name.

    One array is named ``default_name``; a list of several gets ``_0_<default_name>``,
    ``_1_<default_name>``...; NumPy and other array-likes become float32 NDArrays.
    """
    if data is None:
        data = []
    if isinstance(data, (np.ndarray, NDArray, torch.Tensor)):
        data = [data]
    if isinstance(data, (list, tuple)):
        if len(data) == 1:
            data = {default_name: data[0]}
        else:
            data = {f"_{i}_{default_name}": d for i, d in enumerate(data)}
    if not isinstance(data, dict):
        raise GluonicTypeError(
            f"NDArrayIter: {what} must be an NDArray or numpy.ndarray, a list of them, or a dict of them. "
            f"Received: {type(data).__name__}"
        )
    if not data and not allow_empty:
        raise GluonicValueError(f"NDArrayIter: {what} must not be empty. Received: {data!r}")
    sources = []
    for name, value in data.items():
        if isinstance(value, (int, float, np.generic)) or getattr(value, "ndim", 1) == 0:
            raise GluonicValueError(
                f"NDArrayIter: {what} '{name}' is a scalar; a list is read as several inputs, so pass one "
                "array (e.g. np.array(values)) for a single input. Received: shape ()"
            )
        if not isinstance(value, NDArray):
            if hasattr(value, "tocsr") or getattr(value, "stype", "default") != "default":
                raise GluonicTypeError(
                    f"NDArrayIter: sparse {what} is not supported by gluonic; pass a dense array. "
                    f"Received: {type(value).__name__} for '{name}'"
                )
            try:
                value = array(value)
            except (TypeError, ValueError) as e:
                raise GluonicTypeError(
                    f"NDArrayIter: {what} '{name}' must be an NDArray or numpy.ndarray. "
                    f"Received: {type(value).__name__} ({e})"
                ) from None
        sources.append((name, value))
    return sorted(sources, key=lambda item: item[0])


class NDArrayIter(DataIter):
    """Iterate over NDArrays or NumPy arrays in batches (MXNet: ``mx.io.NDArrayIter``).

    Parameters
    ----------
    data : array, list of arrays or dict of name to array
        The inputs. One array is named ``data_name``; a list of several is named
        ``_0_<data_name>``, ``_1_<data_name>``, ...; a dict gives the names. Inputs are
        ordered by name. NumPy arrays (and lists) become float32 NDArrays, as in MXNet;
        NDArrays keep their dtype and context.
    label : same kinds as ``data``, optional
        The labels (named after ``label_name``).
    batch_size : int, default 1
    shuffle : bool, default False
        Reshuffle at every ``reset()`` (and once at construction) with
        ``np.random.shuffle``, so ``np.random.seed`` reproduces MXNet's order.
    last_batch_handle : {'pad', 'discard', 'roll_over'}, default 'pad'
        What to do when ``batch_size`` does not divide the number of examples:
        ``'pad'`` fills the last batch with examples from the start (``batch.pad`` says
        how many); ``'discard'`` drops the incomplete batch; ``'roll_over'`` carries the
        remaining examples over to the first batch of the next epoch (for training;
        that batch reports the carried count as ``pad``, as MXNet does).
    data_name, label_name : str
        Names of a single data / label input.
    layout : str, default 'NCHW'
        Axis layout of the inputs; the position of ``'N'`` is the batch axis.

    Each batch holds fresh arrays (writing into them does not change the source). The
    examples are the rows along the batch axis; ``provide_data``/``provide_label``
    describe one batch.

    Differences from MXNet 1.9.1, where MXNet is wrong or silent:

    - a ``layout`` whose batch axis is not the first is honoured everywhere (MXNet counts
      and shuffles along axis 0 but slices along the batch axis);
    - shuffling keeps the dtype of NDArray inputs (MXNet turns them into float32);
    - an unknown ``last_batch_handle`` (e.g. ``'rollover'``), ``batch_size < 1``, an input
      with fewer examples than the first one, and ``'roll_over'`` with a batch larger than
      the carried plus all examples raise clear errors;
    - a tuple of arrays is accepted like a list.

    Sparse (CSR) inputs and ``h5py`` datasets are not supported.

    >>> import numpy as np, gluonic.io as io
    >>> it = io.NDArrayIter(np.arange(10).reshape(5, 2), np.arange(5), batch_size=2)
    >>> [(b.data[0][:, 0].asnumpy().tolist(), b.pad) for b in it]
    [([0.0, 2.0], 0), ([4.0, 6.0], 0), ([8.0, 0.0], 1)]
    >>> it.provide_label
    [DataDesc[softmax_label,(2,),<class 'numpy.float32'>,NCHW]]
    """

    def __init__(self, data, label=None, batch_size: int = 1, shuffle: bool = False, last_batch_handle: str = "pad",
                 data_name: str = "data", label_name: str = "softmax_label", layout: str = "NCHW"):
        super().__init__(batch_size)
        if last_batch_handle not in _MODES:
            raise GluonicValueError(
                f"NDArrayIter: last_batch_handle must be one of {_MODES}. Received: {last_batch_handle!r}"
            )
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
            raise GluonicValueError(f"NDArrayIter: batch_size must be a positive integer. Received: {batch_size!r}")
        if not isinstance(layout, str) or "N" not in layout:
            raise GluonicValueError(f"NDArrayIter: layout must name the batch axis with 'N'. Received: {layout!r}")
        self.layout = layout
        self._axis = layout.find("N")
        self.data = _as_sources(data, False, data_name, "data")
        self.label = _as_sources(label, True, label_name, "label")
        self.num_data = self._check_sizes()
        self.idx = np.arange(self.num_data)
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.batch_size = int(batch_size)
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None
        self.reset()
        self.data_list = [v for _, v in self.data] + [v for _, v in self.label]
        self.num_source = len(self.data_list)

    def _check_sizes(self) -> int:
        axis = self._axis
        for name, value in self.data + self.label:
            if value.ndim <= axis:
                raise GluonicValueError(
                    f"NDArrayIter: input '{name}' has no batch axis {axis} (layout {self.layout}). "
                    f"Received: shape {value.shape}"
                )
        num = self.data[0][1].shape[axis]
        short = [(n, v.shape) for n, v in self.data + self.label if v.shape[axis] < num]
        if short:
            raise GluonicValueError(
                f"NDArrayIter: every input needs {num} examples along axis {axis} (as many as "
                f"'{self.data[0][0]}'). Received: {short}"
            )
        return num

    # ------------------------------------------------------------------ description
    def _describe(self, sources) -> list[DataDesc]:
        descs = []
        for name, value in sources:
            shape = list(value.shape)
            shape[self._axis] = self.batch_size
            descs.append(DataDesc(name, tuple(shape), value.dtype, layout=self.layout))
        return descs

    @property
    def provide_data(self) -> list[DataDesc]:
        """Name, batch shape, dtype and layout of each data input."""
        return self._describe(self.data)

    @property
    def provide_label(self) -> list[DataDesc]:
        """Name, batch shape, dtype and layout of each label input."""
        return self._describe(self.label)

    # ------------------------------------------------------------------ epochs
    def _rolls_over(self) -> bool:
        """Whether the cursor stands on an incomplete last batch that 'roll_over' carries on."""
        n = self.num_data
        return self.last_batch_handle == "roll_over" and max(0, n - self.batch_size + 1) <= self.cursor < n

    def hard_reset(self) -> None:
        """Start over from the first example, dropping anything carried over ('roll_over')."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = None
        self._cache_label = None

    def reset(self) -> None:
        """Start the next epoch (reshuffling if ``shuffle``); 'roll_over' carries the incomplete batch."""
        if self._rolls_over():
            # the examples left over, in the order of the epoch that just ended
            self._cache_data = self._rows(self.data, self.cursor, self.num_data)
            self._cache_label = self._rows(self.label, self.cursor, self.num_data)
            self.cursor -= self.num_data + self.batch_size
        else:
            self._cache_data = None
            self._cache_label = None
            self.cursor = -self.batch_size
        if self.shuffle:
            self._shuffle_data()

    def _shuffle_data(self) -> None:
        # As MXNet: shuffle the persistent index in place, then reorder the current data by it.
        np.random.shuffle(self.idx)
        self.data = self._reordered(self.data)
        self.label = self._reordered(self.label)

    def _reordered(self, sources):
        out = []
        with torch.no_grad():
            for name, value in sources:
                t = value.as_torch().detach()
                index = torch.as_tensor(self.idx, device=t.device)
                out.append((name, from_torch(t.index_select(self._axis, index), value.context)))
        return out

    # ------------------------------------------------------------------ batches
    def iter_next(self) -> bool:
        """Advance the cursor by one batch; return whether any example is left there."""
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self) -> DataBatch:
        """The next batch; ``StopIteration`` at the end of the epoch (before an incomplete
        batch in 'discard' and 'roll_over' modes)."""
        if not self.iter_next():
            raise StopIteration
        if self.last_batch_handle != "pad" and self.cursor >= 0 and self.cursor + self.batch_size > self.num_data:
            raise StopIteration  # an incomplete batch: 'roll_over' carries it at reset()
        return DataBatch(data=self.getdata(), label=self.getlabel(), pad=self.getpad(), index=None)

    def getdata(self) -> list[NDArray]:
        """The data arrays of the current batch."""
        return self._batchify(self.data, self._cache_data)

    def getlabel(self) -> list[NDArray]:
        """The label arrays of the current batch (empty list without labels)."""
        return self._batchify(self.label, self._cache_label)

    def getpad(self) -> int:
        """Filler examples in the current batch ('pad'), or the carried count ('roll_over')."""
        bs, n = self.batch_size, self.num_data
        if self.last_batch_handle == "pad" and self.cursor + bs > n:
            return self.cursor + bs - n
        if self.last_batch_handle == "roll_over" and -bs < self.cursor < 0:
            return -self.cursor
        return 0

    def _rows(self, sources, start: int, end: int) -> list[torch.Tensor]:
        """Examples ``start:end`` of each source as tensors (views)."""
        return [value.as_torch().detach().narrow(self._axis, start, end - start) for _, value in sources]

    def _batchify(self, sources, cache) -> list[NDArray]:
        bs, n, cursor, axis = self.batch_size, self.num_data, self.cursor, self._axis
        if cursor >= n:
            raise GluonicValueError("NDArrayIter: the epoch is over; call reset() to start the next one. "
                                    f"Received: cursor {cursor} of {n} examples")
        with torch.no_grad():
            if self.last_batch_handle == "roll_over" and -bs < cursor < 0:
                if cache is None:
                    raise GluonicValueError("NDArrayIter: no carried-over examples for the first batch of this "
                                            "epoch; use reset() to move between epochs. "
                                            f"Received: cursor {cursor}")
                end = cursor + bs
                if end > n:
                    raise GluonicValueError(
                        f"NDArrayIter: 'roll_over' cannot fill a batch of {bs} with {-cursor} carried and {n} "
                        f"examples; use last_batch_handle='pad' or a smaller batch_size. Received: batch_size {bs}"
                    )
                tensors = [torch.cat([c, t], dim=axis) for c, t in zip(cache, self._rows(sources, 0, end))]
            elif self.last_batch_handle == "pad" and cursor + bs > n:
                # the tail, then examples from the start again (wrapping as often as needed)
                tensors = []
                for _, value in sources:
                    t = value.as_torch().detach()
                    index = torch.arange(cursor, cursor + bs, device=t.device) % n
                    tensors.append(t.index_select(axis, index))
            elif cursor < 0:
                raise GluonicValueError("NDArrayIter: no current batch; call next() or iter_next() first. "
                                        f"Received: cursor {cursor}")
            else:
                tensors = [t.clone(memory_format=torch.contiguous_format)
                           for t in self._rows(sources, cursor, min(cursor + bs, n))]
        return [from_torch(t, value.context) for t, (_, value) in zip(tensors, sources)]
