"""``NDArray``: a thin, mutable wrapper over a ``torch.Tensor`` with MXNet semantics.

Example
-------
>>> import gluonic as mx
>>> x = mx.nd.array([[1, 2], [3, 4]])
>>> (x * 2 + 1).asnumpy()
array([[3., 5.],
       [7., 9.]], dtype=float32)
>>> x[:, 1] = 0
>>> x.sum().asscalar()
4.0
"""
from __future__ import annotations

import numpy as np
import torch

from .. import _dtype
from .._state import fold_scope, recording
from ..base import GluonicIndexError, GluonicTypeError, GluonicValueError, numeric_types
from ..context import Context, as_context
from ..ops import registry as _registry
from ..util import _np_array, _np_shape
from ._index import read_index, write_index
from ._invoke import context_of, op_error, run_impl

__all__ = ["NDArray", "array", "from_torch", "waitall", "invoke"]

_new = object.__new__


def _wrap(t: torch.Tensor, ctx: Context) -> NDArray:
    """Wrap a tensor without copying (the hot path: no checks)."""
    x = _new(NDArray)
    x._tensor = t
    x._ctx = ctx
    return x


def _wrap_as(cls, t: torch.Tensor, ctx: Context):
    """Wrap a tensor as ``cls`` (NDArray or a subclass such as ``mx.np.ndarray``) without copying."""
    x = _new(cls)
    x._tensor = t
    x._ctx = ctx
    return x


def mode_array_class() -> type:
    """The array type that data pipelines produce: ``mx.np.ndarray`` in NumPy mode, else NDArray."""
    if _np_array.get():
        from ..numpy import ndarray

        return ndarray
    return NDArray


def in_mode(x):
    """``x`` (an NDArray) as the array type of the current mode (no copy)."""
    cls = mode_array_class()
    return x if x.__class__ is cls or not isinstance(x, NDArray) else _wrap_as(cls, x._tensor, x._ctx)


def invoke(op, inputs, attrs, out=None):
    """Run registered ``op`` on NDArrays ``inputs`` (None for absent optional inputs).

    Returns an NDArray, or a list of NDArrays for multi-output ops; writes into ``out``
    (an NDArray or list of them) when given, and returns it.
    """
    scope = fold_scope[0]
    if scope is not None and out is None and _any_lazy(inputs):
        return scope.record_op(op, inputs, attrs)
    tensors = []
    ctx = None
    cls = NDArray
    for x in inputs:
        if isinstance(x, NDArray):
            tensors.append(x._tensor)
            if ctx is None:
                ctx = x._ctx
                cls = x._out_cls or x.__class__
        elif x is None:
            tensors.append(None)
        else:
            raise GluonicTypeError(f"Operator {op.name}: inputs must be NDArrays. Received: {type(x).__name__}")
    if ctx is None:
        ctx = context_of(inputs, attrs)
    return run_wrapped(op, tensors, ctx, attrs, out, cls)


def run_wrapped(op, tensors, ctx, attrs, out=None, cls=None):
    """Run ``op`` on tensors and wrap the result(s) as NDArrays on ``ctx`` (or write ``out``).

    ``cls`` is the array class of the results: that of the first input array (so legacy
    operators applied to ``mx.np.ndarray`` inputs return ``mx.np.ndarray``), NDArray by default.
    """
    result = run_impl(op, tensors, attrs)
    if result.__class__ is torch.Tensor or isinstance(result, torch.Tensor):
        if _aliases_input(result, tensors):
            result = result.clone()  # operators return new arrays in MXNet, never views of their inputs
        if out is None:
            x = _new(cls or NDArray)
            x._tensor = result
            x._ctx = ctx
            return x
        return _write_out(op, out, result)
    result = [r.clone() if _aliases_input(r, tensors) else r for r in result]
    if out is None:
        return [_wrap_as(cls or NDArray, r, ctx) for r in result]
    outs = out if isinstance(out, (list, tuple)) else [out]
    for o, r in zip(outs, result):
        _write_out(op, o, r)
    return out


def _aliases_input(r: torch.Tensor, tensors) -> bool:
    """Whether ``r`` shares memory with one of ``tensors`` (a view of an op-internal tensor does not)."""
    base = r._base
    if base is None:
        for t in tensors:
            if r is t or (t is not None and t._base is r):
                return True
        return False
    for t in tensors:
        if t is not None and (base is t or base is t._base):
            return True
    return False


def _write_out(op, out, result: torch.Tensor):
    if not isinstance(out, NDArray):
        raise GluonicTypeError(f"Operator {op.name}: out= must be an NDArray. Received: {type(out).__name__}")
    if out.shape != tuple(result.shape):
        raise GluonicValueError(
            f"Operator {op.name}: out= has shape {out.shape} but the result has shape "
            f"{tuple(result.shape)}. Received: out{out.shape}"
        )
    out._assign(result)
    return out


_OP_CACHE: dict = {}


def _op(name: str):
    op = _OP_CACHE.get(name)
    if op is None:
        op = _OP_CACHE[name] = _registry.get(name)
    return op


def from_torch(t: torch.Tensor, ctx: Context | None = None) -> NDArray:
    """Wrap a torch tensor as an NDArray sharing its memory."""
    return _wrap(t, ctx if ctx is not None else as_context(t.device))


def _any_lazy(inputs) -> bool:
    for x in inputs:
        if getattr(x, "_node", None) is not None:
            return True
    return False


def _binary(self, other, tensor_op: str, scalar_op: str):
    """``self <op> other``: the broadcast op for arrays, the scalar op (keeping dtype) for numbers."""
    if fold_scope[0] is not None:
        return fold_scope[0].binary(self, other, tensor_op, scalar_op)
    if isinstance(other, NDArray):
        t1, t2 = self._tensor, other._tensor
        op = _op(tensor_op)
        if recording.get() or not (t1.requires_grad or t2.requires_grad):
            try:
                r = op.impl(t1, t2)
            except (RuntimeError, ValueError, TypeError) as e:
                raise op_error(op, e, (t1, t2)) from e
        else:
            r = run_impl(op, (t1, t2), None)
        x = _new(self._out_cls or self.__class__)
        x._tensor = r
        x._ctx = self._ctx
        return x
    if isinstance(other, numeric_types):
        op = _op(scalar_op)
        return invoke(op, (self,), op.parse_attrs({"scalar": other}))
    return NotImplemented


def _rbinary(self, other, scalar_op: str):
    if isinstance(other, numeric_types):
        op = _op(scalar_op)
        return invoke(op, (self,), op.parse_attrs({"scalar": other}))
    return NotImplemented


def _inplace(self, result):
    if result is NotImplemented:
        return result
    self._assign(result._tensor)
    return self


class NDArray:
    """An n-dimensional array on a context (MXNet: ``mx.nd.NDArray``).

    Wraps a ``torch.Tensor``; operations run on torch kernels. Arithmetic broadcasts
    like MXNet's ``broadcast_*`` ops; operations with Python scalars keep the array's
    dtype; comparisons return the input's dtype (0/1), as in MXNet.
    """

    __slots__ = ("_tensor", "_ctx", "_grad_req", "__weakref__")
    __array_priority__ = 1000.0
    _is_symbol = False
    #: The class of arrays computed from this one (None: its own class; fold's LazyArray: NDArray).
    _out_cls = None

    def __init__(self, data, ctx: Context | None = None, dtype=None):
        t = _to_tensor(data, dtype, ctx)
        self._tensor = t
        self._ctx = as_context(ctx) if ctx is not None else as_context(t.device)

    # ----------------------------------------------------------------- properties
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._tensor.shape)

    @property
    def dtype(self):
        return _dtype.from_torch(self._tensor.dtype)

    @property
    def size(self) -> int:
        return self._tensor.numel()

    @property
    def ndim(self) -> int:
        return self._tensor.dim()

    @property
    def context(self) -> Context:
        return self._ctx

    ctx = context

    @property
    def stype(self) -> str:
        return "default"

    @property
    def T(self) -> NDArray:
        return _wrap_as(self._out_cls or self.__class__, self._tensor.permute(*reversed(range(self._tensor.dim()))), self._ctx)

    @property
    def handle(self):
        return None

    @property
    def writable(self) -> bool:
        return True

    # ----------------------------------------------------------------- conversion
    def as_torch(self) -> torch.Tensor:
        """The underlying torch tensor (shares memory; autograd history kept)."""
        return self._tensor

    def asnumpy(self) -> np.ndarray:
        """A NumPy copy of the data (blocks until computed)."""
        t = self._tensor.detach()
        if t.dtype == torch.bfloat16:
            t = t.float()
        return t.cpu().numpy().copy()

    def __array__(self, dtype=None, copy=None):
        a = self.asnumpy()
        return a.astype(dtype) if dtype is not None else a

    def asscalar(self):
        """The single element as a NumPy scalar. Raises if ``size != 1``."""
        if self.size != 1:
            raise GluonicValueError(
                f"The current array is not a scalar: asscalar() needs size 1. Received: shape {self.shape}"
            )
        return self.asnumpy().reshape(-1)[0]

    def item(self):
        """The single element as a Python number."""
        return self.asscalar().item()

    def astype(self, dtype, copy: bool = True) -> NDArray:
        """A copy cast to ``dtype`` (``copy=False`` returns self when already that dtype)."""
        target = _dtype.to_torch(dtype)
        if not copy and target == self._tensor.dtype:
            return self
        op = _op("Cast")
        return invoke(op, (self,), op.parse_attrs({"dtype": dtype}))

    def copy(self) -> NDArray:
        """A deep copy on the same context."""
        return self.copyto(self._ctx)

    def copyto(self, other: NDArray | Context) -> NDArray:
        """Copy into ``other`` (an NDArray of the same shape) or onto a context."""
        if isinstance(other, NDArray):
            if other is self:
                return other
            if other.shape != self.shape:
                raise GluonicValueError(
                    f"copyto: shape mismatch, the target has shape {other.shape}. Received: source shape {self.shape}"
                )
            other._assign(self._tensor)
            return other
        ctx = as_context(other)
        t = self._tensor.to(ctx.torch_device, copy=True)
        if not recording.get():
            t = t.detach()
        return _wrap_as(self._out_cls or self.__class__, t, ctx)

    def as_in_context(self, context: Context) -> NDArray:
        """This array if already on ``context``, else a copy there."""
        ctx = as_context(context)
        if ctx == self._ctx:
            return self
        return self.copyto(ctx)

    as_in_ctx = as_in_context

    def tostype(self, stype: str) -> NDArray:
        if stype != "default":
            raise GluonicValueError(
                f"Sparse storage is not supported by gluonic; only 'default' (dense). Received: stype={stype!r}"
            )
        return self.copy()

    def wait_to_read(self) -> None:
        """Block until the array's value is computed (synchronizes the GPU stream)."""
        if self._tensor.is_cuda:
            torch.cuda.current_stream(self._tensor.device).synchronize()

    wait_to_write = wait_to_read

    # ----------------------------------------------------------------- autograd
    def attach_grad(self, grad_req: str = "write", stype: str | None = None) -> None:
        """Make this array a variable whose gradient is kept in ``self.grad``.

        ``grad_req`` is ``'write'`` (each backward overwrites), ``'add'`` (accumulates)
        or ``'null'`` (no gradient).
        """
        from ..autograd import _attach

        _attach(self, grad_req, None)

    @property
    def grad(self) -> NDArray | None:
        g = self._tensor.grad
        return None if g is None else _wrap_as(self._out_cls or self.__class__, g, self._ctx)

    def detach(self) -> NDArray:
        """The same data, cut from the autograd graph."""
        return _wrap_as(self._out_cls or self.__class__, self._tensor.detach(), self._ctx)

    def backward(self, out_grad: NDArray | None = None, retain_graph: bool = False, train_mode: bool = True):
        """Backpropagate from this array (``out_grad`` defaults to ones)."""
        from ..autograd import backward

        backward([self], None if out_grad is None else [out_grad], retain_graph, train_mode)

    # ----------------------------------------------------------------- mutation
    def _assign(self, value: torch.Tensor) -> None:
        """Write ``value`` into this array's memory (``x[:] = value``)."""
        t = self._tensor
        if recording.get() and not (t.is_leaf and t.requires_grad):
            t.copy_(value)
        else:
            with torch.no_grad():
                t.copy_(value)

    def __setitem__(self, key, value) -> None:
        t = self._tensor
        if isinstance(value, NDArray):
            v = value._tensor
        elif isinstance(value, numeric_types):
            v = value
        else:
            v = torch.as_tensor(np.asarray(value), dtype=t.dtype, device=t.device)
        if isinstance(key, slice) and key == slice(None):
            key = Ellipsis
        idx = _torch_index(key, t.device)
        try:
            write_index(t, idx, v)
        except (IndexError, RuntimeError) as e:
            raise GluonicIndexError(
                f"NDArray.__setitem__: cannot assign to index {key!r} of an array of shape {self.shape}: {e}. "
                f"Received: value of shape {getattr(value, 'shape', ())}"
            ) from None

    def __getitem__(self, key) -> NDArray:
        t = self._tensor
        idx = _torch_index(key, t.device)
        try:
            r = read_index(t, idx)
        except (IndexError, RuntimeError) as e:
            raise GluonicIndexError(
                f"NDArray.__getitem__: index {key!r} is invalid for an array of shape {self.shape}: {e}. "
                f"Received: {key!r}"
            ) from None
        # MXNet returns a view only where the selection is contiguous in memory.
        if r._base is not None and not r.is_contiguous():
            r = r.clone()
        # Without NumPy shape semantics MXNet has no 0-d results: x[1, 2] has shape (1,).
        if r.dim() == 0 and t.dim() != 0 and not _np_shape.get():
            r = r.reshape(1)
        return _wrap_as(self._out_cls or self.__class__, r, self._ctx)

    # ----------------------------------------------------------------- python protocol
    def __len__(self) -> int:
        if self._tensor.dim() == 0:
            raise TypeError("len() of a 0-d NDArray")
        return self._tensor.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        n = self.size
        if n == 0:
            return False
        if n == 1:
            return bool(self._tensor.reshape(()).item())
        raise GluonicValueError(
            "The truth value of an NDArray with more than one element is ambiguous. "
            f"Received: shape {self.shape}"
        )

    def __float__(self) -> float:
        return float(self.asscalar())

    def __int__(self) -> int:
        return int(self.asscalar())

    def __index__(self) -> int:
        if self._tensor.dtype.is_floating_point:
            raise TypeError("only integer NDArrays can be used as an index")
        return int(self.asscalar())

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        shape = "x".join(str(d) for d in self.shape) if self.ndim else ""
        body = str(self.asnumpy())
        return f"\n{body}\n<{type(self).__name__} {shape} @{self._ctx}>"

    def __getstate__(self):
        return {"data": self.asnumpy(), "ctx": str(self._ctx), "dtype": str(self._tensor.dtype)}

    def __setstate__(self, state):
        dtype = getattr(torch, state["dtype"].replace("torch.", ""))
        self._ctx = as_context(state["ctx"])
        self._tensor = torch.from_numpy(state["data"]).to(dtype=dtype, device=self._ctx.torch_device)

    def __reduce__(self):
        return (_rebuild, (self.__getstate__(), self._out_cls or self.__class__))

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, o):
        return _binary(self, o, "broadcast_add", "_plus_scalar")

    def __radd__(self, o):
        return _rbinary(self, o, "_plus_scalar")

    def __sub__(self, o):
        return _binary(self, o, "broadcast_sub", "_minus_scalar")

    def __rsub__(self, o):
        return _rbinary(self, o, "_rminus_scalar")

    def __mul__(self, o):
        return _binary(self, o, "broadcast_mul", "_mul_scalar")

    def __rmul__(self, o):
        return _rbinary(self, o, "_mul_scalar")

    def __truediv__(self, o):
        return _binary(self, o, "broadcast_div", "_div_scalar")

    def __rtruediv__(self, o):
        return _rbinary(self, o, "_rdiv_scalar")

    __div__ = __truediv__
    __rdiv__ = __rtruediv__

    def __floordiv__(self, o):
        return _binary(self, o, "_npi_floor_divide", "_npi_floor_divide_scalar")

    def __mod__(self, o):
        return _binary(self, o, "broadcast_mod", "_mod_scalar")

    def __rmod__(self, o):
        return _rbinary(self, o, "_rmod_scalar")

    def __pow__(self, o):
        return _binary(self, o, "broadcast_power", "_power_scalar")

    def __rpow__(self, o):
        return _rbinary(self, o, "_rpower_scalar")

    def __neg__(self):
        return invoke(_op("negative"), (self,), None)

    def __pos__(self):
        return self

    def __abs__(self):
        return invoke(_op("abs"), (self,), None)

    def __eq__(self, o):
        return _binary(self, o, "broadcast_equal", "_equal_scalar")

    def __ne__(self, o):
        return _binary(self, o, "broadcast_not_equal", "_not_equal_scalar")

    def __gt__(self, o):
        return _binary(self, o, "broadcast_greater", "_greater_scalar")

    def __ge__(self, o):
        return _binary(self, o, "broadcast_greater_equal", "_greater_equal_scalar")

    def __lt__(self, o):
        return _binary(self, o, "broadcast_lesser", "_lesser_scalar")

    def __le__(self, o):
        return _binary(self, o, "broadcast_lesser_equal", "_lesser_equal_scalar")

    def __iadd__(self, o):
        return _inplace(self, self.__add__(o))

    def __isub__(self, o):
        return _inplace(self, self.__sub__(o))

    def __imul__(self, o):
        return _inplace(self, self.__mul__(o))

    def __itruediv__(self, o):
        return _inplace(self, self.__truediv__(o))

    __idiv__ = __itruediv__

    def __imod__(self, o):
        return _inplace(self, self.__mod__(o))

    def __ipow__(self, o):
        return _inplace(self, self.__pow__(o))

    # ----------------------------------------------------------------- shape helpers
    def reshape(self, *shape, **kwargs) -> NDArray:
        """A view with a new shape; MXNet's special codes (0, -1, -2, -3, -4) and ``reverse=True`` apply.

        ``x.reshape(2, -1)``, ``x.reshape((2, -1))`` and ``x.reshape(shape=(2, -1))`` all work.
        """
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        if shape and not kwargs and _is_plain_shape(shape):
            try:  # sizes and a single -1 mean the same in torch: the short path
                r = self._tensor.reshape(shape)
                if r.requires_grad and not recording.get():
                    r = r.detach()
                return _wrap_as(self._out_cls or self.__class__, r, self._ctx)
            except RuntimeError:
                pass  # the Reshape op below reports the error MXNet-style
        if shape:
            kwargs["shape"] = shape
        op = _op("Reshape")
        # Unlike the Reshape operator, the method returns a view sharing memory (as in MXNet).
        return _wrap_as(self._out_cls or self.__class__, run_impl(op, (self._tensor,), op.parse_attrs(kwargs)), self._ctx)

    def zeros_like(self) -> NDArray:
        return _wrap_as(self._out_cls or self.__class__, torch.zeros_like(self._tensor.detach()), self._ctx)

    def ones_like(self) -> NDArray:
        return _wrap_as(self._out_cls or self.__class__, torch.ones_like(self._tensor.detach()), self._ctx)


def _is_plain_shape(shape) -> bool:
    minus_one = 0
    for d in shape:
        if d.__class__ is not int or d < -1 or d == 0:
            return False
        minus_one += d == -1
    return minus_one <= 1


def _rebuild(state, cls=None) -> NDArray:
    x = _new(cls or NDArray)
    x.__setstate__(state)
    return x


def _torch_index(key, device):
    """Convert an MXNet index (ints, slices, None, Ellipsis, NDArrays, lists, arrays) for torch."""
    if isinstance(key, tuple):
        return tuple(_torch_index_item(k, device) for k in key)
    return _torch_index_item(key, device)


def _torch_index_item(k, device):
    if isinstance(k, NDArray):
        t = k._tensor
        return t if t.dtype == torch.bool else t.long()
    if isinstance(k, (list, np.ndarray)):
        a = np.asarray(k)
        if a.dtype == np.bool_:
            return torch.as_tensor(a, device=device)
        return torch.as_tensor(a.astype(np.int64), device=device)
    if isinstance(k, np.integer):
        return int(k)
    if isinstance(k, (int, slice)) or k is None or k is Ellipsis:
        return k
    if isinstance(k, torch.Tensor):
        return k
    raise GluonicIndexError(
        "NDArray indices must be ints, slices, None, Ellipsis, lists, NumPy arrays or NDArrays. "
        f"Received: {type(k).__name__}"
    )


def _to_tensor(data, dtype, ctx) -> torch.Tensor:
    device = as_context(ctx).torch_device if ctx is not None else None
    if isinstance(data, NDArray):
        t = data._tensor.detach()
        target = _dtype.to_torch(dtype) if dtype is not None else t.dtype
        return t.to(device=device or t.device, dtype=target, copy=True)
    if isinstance(data, torch.Tensor):
        target = _dtype.to_torch(dtype) if dtype is not None else data.dtype
        return data.detach().to(device=device or data.device, dtype=target, copy=True)
    if isinstance(data, np.ndarray):
        if data.dtype.names:
            raise GluonicTypeError("Cannot build an NDArray from a structured NumPy array; pass float32 data")
        target = _dtype.to_torch(dtype if dtype is not None else np.float32)  # MXNet 1.9: float32 default
        return torch.from_numpy(np.array(data, order="C")).to(device=device or "cpu", dtype=target, copy=True)
    try:
        a = np.asarray(data, dtype=None)
    except (ValueError, TypeError) as e:
        raise GluonicTypeError(f"Cannot convert to an NDArray: {e}. Received: {type(data).__name__}") from None
    if a.dtype == object:
        raise GluonicTypeError(f"Cannot convert to an NDArray (ragged or non-numeric data). Received: {data!r:.80}")
    target = _dtype.to_torch(dtype if dtype is not None else np.float32)
    return torch.from_numpy(np.array(a, order="C")).to(device=device or "cpu", dtype=target)


def array(source_array, ctx: Context | None = None, dtype=None) -> NDArray:
    """Create an NDArray from any array-like (MXNet: ``mx.nd.array``).

    The dtype defaults to the source's dtype for NDArrays and to float32 for everything
    else, NumPy arrays included (as MXNet 1.9 does).

    >>> mx.nd.array([1, 2, 3]).dtype
    <class 'numpy.float32'>
    """
    ctx = as_context(ctx)
    scope = fold_scope[0]
    if scope is not None:  # inside fold.batching(): small Python data becomes a batched constant
        const = scope.constant(source_array, ctx, dtype)
        if const is not None:
            return const
    return _wrap(_to_tensor(source_array, dtype, ctx), ctx)


def waitall() -> None:
    """Block until all pending computation finished (synchronizes CUDA)."""
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()

