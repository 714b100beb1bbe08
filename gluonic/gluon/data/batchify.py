"""Batchify functions: how a list of samples becomes one batch.

``default_batchify_fn`` is what a DataLoader uses without ``batchify_fn``: it stacks
NDArrays, turns NumPy arrays and numbers into one NDArray (keeping their dtype: Python
ints give int64, floats float64, as in MXNet), and batchifies each field of tuple samples
separately, returning a list. The composable functions (``Stack``, ``Pad``, ``Tuple`` /
``Group``, ``List``, ``Dict``) are those of MXNet 2.0's ``gluon.data.batchify`` and
GluonNLP, returning NDArrays.

Inside DataLoader worker processes, these functions allocate their outputs directly in the
shared memory that carries the batch to the main process (no copy).

Example
-------
>>> from gluonic.gluon.data import batchify
>>> fn = batchify.Tuple(batchify.Pad(pad_val=-1, ret_length=True), batchify.Stack())
>>> (tokens, lengths), labels = fn([([1, 2, 3], 0), ([4], 1)])
>>> tokens.asnumpy().tolist(), lengths.asnumpy().tolist(), labels.asnumpy().tolist()
([[1, 2, 3], [4, -1, -1]], [3, 1], [0, 1])
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import torch

from ...base import GluonicIndexError, GluonicTypeError, GluonicValueError
from ...context import Context, current_context
from ...ndarray.ndarray import NDArray, _wrap_as, mode_array_class
from . import _shm
from ._errors import check, check_type

__all__ = ["default_batchify_fn", "default_mp_batchify_fn", "Stack", "Pad", "Tuple", "Group", "List", "AsList",
           "Dict"]

_SHARED = Context("cpu_shared", 0)


def _torch_dtype(np_dtype: np.dtype, who: str) -> torch.dtype:
    try:
        return torch.from_numpy(np.empty(0, dtype=np_dtype)).dtype
    except TypeError:
        raise GluonicTypeError(
            f"{who}: samples of dtype {np_dtype} cannot be batched into an NDArray"
            + ("; use batchify.List() to keep them as a list" if np_dtype.kind in "OUSV" else "")
            + f". Received: dtype {np_dtype}") from None


def _place(t: torch.Tensor, ctx: Context | None) -> NDArray:
    if ctx is None:
        ctx = current_context()
    if t.device != ctx.torch_device:
        t = t.to(ctx.torch_device)
    return _wrap_as(mode_array_class(), t, ctx)  # mx.np.ndarray in NumPy mode


def _check_same_shapes(shapes: Sequence[tuple], who: str) -> None:
    first = shapes[0]
    for i, s in enumerate(shapes):
        if s != first:
            raise GluonicValueError(
                f"{who}: cannot stack samples of different shapes: sample 0 has shape {first} and sample {i} "
                f"has shape {s}. Use batchify.Pad() to pad them to one length, or batchify.List() to keep a list. "
                f"Received: {len(shapes)} samples")


def _stack_tensors(tensors: list[torch.Tensor], who: str) -> torch.Tensor:
    _check_same_shapes([tuple(t.shape) for t in tensors], who)
    first = tensors[0]
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1:
        raise GluonicTypeError(f"{who}: cannot stack samples of different dtypes. Received: {sorted(map(str, dtypes))}")
    with torch.no_grad():
        if all(t.device.type == "cpu" for t in tensors):
            out = _shm.empty((len(tensors), *first.shape), first.dtype)
            return torch.stack(tensors, out=out)
        return torch.stack(tensors)


def _array_from_numpy(a: np.ndarray, who: str) -> torch.Tensor:
    out = _shm.empty(a.shape, _torch_dtype(a.dtype, who))
    if out.numel():
        out.numpy()[...] = a
    return out


def _stack(data: Sequence, ctx: Context | None, who: str) -> NDArray:
    """Stack the samples of one field: NDArrays/tensors with torch, anything else through NumPy."""
    first = data[0]
    if isinstance(first, (NDArray, torch.Tensor)):
        tensors = [x._tensor if isinstance(x, NDArray) else x if isinstance(x, torch.Tensor)
                   else torch.as_tensor(np.asarray(x)) for x in data]
        if ctx is None and isinstance(first, NDArray):
            ctx = first.context
        return _place(_stack_tensors(tensors, who), ctx)
    if isinstance(first, np.ndarray) and all(isinstance(x, np.ndarray) for x in data):
        _check_same_shapes([x.shape for x in data], who)
        out = _shm.empty((len(data), *first.shape), _torch_dtype(np.result_type(*data), who))
        if out.numel():
            np.stack(data, out=out.numpy())
        return _place(out, ctx)
    try:
        a = np.asarray(data)
    except ValueError as e:  # ragged nested lists
        raise GluonicValueError(
            f"{who}: cannot stack samples of different shapes ({e}). Use batchify.Pad() or batchify.List(). "
            f"Received: {len(data)} samples, the first {first!r:.60}") from None
    if a.dtype.hasobject:
        raise GluonicTypeError(
            f"{who}: cannot batch samples of type {type(first).__name__} into an NDArray; use batchify.List() to keep "
            f"them as a list, or batchify.Dict()/Tuple() for structured samples. Received: {first!r:.60}")
    return _place(_array_from_numpy(a, who), ctx)


def _batchify(data: Sequence, ctx: Context | None, who: str):
    if len(data) == 0:
        raise GluonicIndexError(f"{who}: received an empty list of samples; a batch needs at least one. Received: []")
    first = data[0]
    if isinstance(first, tuple):
        n = len(first)
        for i, x in enumerate(data):
            if not isinstance(x, tuple) or len(x) != n:
                raise GluonicValueError(
                    f"{who}: every sample must be a tuple of {n} fields like sample 0. Received: sample {i} = {x!r:.60}")
        return [_batchify(field, ctx, who) for field in zip(*data)]
    return _stack(data, ctx, who)


def default_batchify_fn(data: Sequence):
    """Collate samples into a batch (MXNet's default).

    NDArrays are stacked along a new axis 0; NumPy arrays, numbers and nested lists become
    one NDArray of their NumPy dtype; tuple samples give a list with one batch per field
    (recursively).

    Raises
    ------
    ValueError
        If samples of one field have different shapes (MXNet: an unhelpful KeyError).
    TypeError
        If samples cannot form an array (strings, dicts): use ``batchify.List``/``Dict``.

    >>> from gluonic.gluon.data.batchify import default_batchify_fn
    >>> x, y = default_batchify_fn([(mx.nd.ones((2,)), 1), (mx.nd.zeros((2,)), 0)])
    >>> x.shape, y.dtype
    ((2, 2), <class 'numpy.int64'>)
    """
    return _batchify(data, None, "default_batchify_fn")


def default_mp_batchify_fn(data: Sequence):
    """:func:`default_batchify_fn` with results in shared memory (context ``cpu_shared(0)``), as MXNet's.

    DataLoader workers need not use it: every batchify function's output reaches the main
    process through shared memory.
    """
    return _batchify(data, _SHARED, "default_mp_batchify_fn")


class Stack:
    """Stack samples (arrays or numbers of one shape) along a new first axis.

    Parameters
    ----------
    use_shared_mem : bool, default False
        Put the result in context ``cpu_shared(0)``.

    >>> Stack()([np.array([1, 2]), np.array([3, 4])]).asnumpy().tolist()
    [[1, 2], [3, 4]]
    """

    def __init__(self, use_shared_mem: bool = False):
        self._ctx = _SHARED if use_shared_mem else None

    def __call__(self, data: Sequence) -> NDArray:
        check(len(data) > 0, "Stack: received an empty list of samples")
        return _stack(data, self._ctx, "Stack")

    def __repr__(self) -> str:
        return "Stack()"


class Pad:
    """Pad samples along ``axis`` to the longest one (rounded up to ``round_to``), then stack.

    Parameters
    ----------
    axis : int, default 0
        The sample axis to pad (negative counts from the end). Other axes must agree.
    pad_val : number, default 0
        The padding value.
    ret_length : bool, default False
        Also return the original lengths, an int32 NDArray of shape ``(N,)``.
    dtype : str or numpy dtype, optional
        The output dtype; default: that of the first sample.
    round_to : int, optional
        Round the padded length up to a multiple of this.

    Shapes: samples ``(..., L_i, ...)`` (``L_i`` at ``axis``) give ``(N, ..., L, ...)``.

    >>> Pad(axis=0, pad_val=0, round_to=4)([[1, 2, 3], [4, 5]]).asnumpy().tolist()
    [[1, 2, 3, 0], [4, 5, 0, 0]]
    """

    def __init__(self, axis: int = 0, pad_val=0, ret_length: bool = False, dtype=None, round_to: int | None = None):
        check_type(isinstance(axis, int), f"Pad: axis must be an int. Received: {axis!r}")
        check(round_to is None or round_to >= 1, f"Pad: round_to must be a positive int. Received: {round_to!r}")
        self._axis = axis
        self._pad_val = 0 if pad_val is None else pad_val
        self._ret_length = ret_length
        self._dtype = None if dtype is None else np.dtype(dtype)
        self._round_to = round_to

    def __call__(self, data: Sequence):
        check(len(data) > 0, "Pad: received an empty list of samples")
        tensors = [x._tensor if isinstance(x, NDArray) else x if isinstance(x, torch.Tensor)
                   else torch.from_numpy(np.ascontiguousarray(np.asarray(x))) for x in data]
        ndim = tensors[0].dim()
        if not -ndim <= self._axis < ndim:
            raise GluonicIndexError(
                f"Pad: axis {self._axis} is out of range for samples with {ndim} dimension(s). "
                f"Received: shape {tuple(tensors[0].shape)}")
        axis = self._axis % ndim
        lengths = [t.shape[axis] if t.dim() == ndim else -1 for t in tensors]
        rest = [tuple(t.shape[:axis]) + tuple(t.shape[axis + 1:]) for t in tensors]
        for i, t in enumerate(tensors):
            if t.dim() != ndim or rest[i] != rest[0]:
                raise GluonicValueError(
                    f"Pad: samples must agree on every axis except axis {self._axis}; sample 0 has shape "
                    f"{tuple(tensors[0].shape)} and sample {i} has shape {tuple(t.shape)}. Received: {len(data)} samples")
        size = max(lengths)
        if self._round_to:
            size = self._round_to * math.ceil(size / self._round_to)
        shape = list(tensors[0].shape)
        shape[axis] = size
        dtype = _torch_dtype(self._dtype, "Pad") if self._dtype is not None else tensors[0].dtype
        with torch.no_grad():
            out = _shm.empty((len(tensors), *shape), dtype)
            out.fill_(self._pad_val)
            for i, t in enumerate(tensors):
                out[i].narrow(axis, 0, lengths[i]).copy_(t)
        ctx = data[0].context if isinstance(data[0], NDArray) else None
        padded = _place(out, ctx)
        if not self._ret_length:
            return padded
        lens = _shm.empty((len(lengths),), torch.int32)
        lens.copy_(torch.tensor(lengths, dtype=torch.int32))
        return padded, _place(lens, ctx)

    def __repr__(self) -> str:
        return f"Pad(axis={self._axis}, pad_val={self._pad_val}, ret_length={self._ret_length})"


class Tuple:
    """Apply one batchify function per field of tuple samples; returns a tuple.

    ``Tuple(f1, f2)`` or ``Tuple([f1, f2])``: field ``i`` of every sample goes to ``fi``.

    >>> Tuple(Stack(), List())([(1, 'a'), (2, 'b')])[1]
    ['a', 'b']
    """

    def __init__(self, fn, *args):
        if isinstance(fn, (list, tuple)):
            check(len(args) == 0,
                  f"Input pattern not understood. The input of {type(self).__name__} can be "
                  f"{type(self).__name__}(A, B, C) or {type(self).__name__}([A, B, C]) or "
                  f"{type(self).__name__}((A, B, C)). Received fn={fn}, args={args}")
            self._fn = tuple(fn)
        else:
            self._fn = (fn,) + args
        for i, f in enumerate(self._fn):
            check_type(callable(f), f"Batchify functions must be callable! type(fn[{i}]) = {type(f)}")

    def __call__(self, data: Sequence) -> tuple:
        n = len(self._fn)
        for x in data:
            check(len(x) == n, f"The number of attributes in each data sample should contain {n} elements")
        return tuple(f([x[i] for x in data]) for i, f in enumerate(self._fn))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._fn))})"


class Group(Tuple):
    """MXNet 2.0's name for :class:`Tuple`."""


class List:
    """Keep the samples as a Python list (no stacking).

    >>> List()([np.ones(2), np.ones(3)])[1].shape
    (3,)
    """

    def __call__(self, data: Sequence) -> list:
        return list(data)

    def __repr__(self) -> str:
        return "List()"


AsList = List  # MXNet 2.0's name


class Dict:
    """Apply one batchify function per key of dict samples; returns a dict.

    >>> out = Dict({'x': Stack(), 'n': List()})([{'x': 1, 'n': 'a'}, {'x': 2, 'n': 'b'}])
    >>> out['x'].asnumpy().tolist(), out['n']
    ([1, 2], ['a', 'b'])
    """

    def __init__(self, fn_dict: dict[str, Callable]):
        check_type(isinstance(fn_dict, dict), f"Dict: expected a dict of batchify functions. Received: {type(fn_dict)}")
        for k, f in fn_dict.items():
            check_type(callable(f), f"Batchify functions must be callable! type(fn[{k!r}]) = {type(f)}")
        self._fn_dict = fn_dict

    def __call__(self, data: Sequence) -> dict:
        return {k: f([x[k] for x in data]) for k, f in self._fn_dict.items()}

    def __repr__(self) -> str:
        return f"Dict({self._fn_dict!r})"
