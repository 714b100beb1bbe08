"""``mx.autograd``: record computations and differentiate them, on torch autograd.

Outside :func:`record` nothing is recorded. A variable's gradient buffer follows its
``grad_req``: ``'write'`` overwrites it on every backward pass, ``'add'`` accumulates,
``'null'`` keeps none.

Example
-------
>>> import gluonic as mx
>>> x = mx.nd.array([1.0, 2.0, 3.0])
>>> x.attach_grad()
>>> with mx.autograd.record():
...     y = (x * x).sum()
>>> y.backward()
>>> x.grad.asnumpy()
array([2., 4., 6.], dtype=float32)
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence

import torch

from . import _state
from ._state import is_recording, is_training
from .base import GluonicTypeError, GluonicValueError

__all__ = [
    "record",
    "pause",
    "train_mode",
    "predict_mode",
    "is_recording",
    "is_training",
    "set_recording",
    "set_training",
    "mark_variables",
    "backward",
    "grad",
    "get_symbol",
    "Function",
]


class _Scope:
    """Context manager that sets recording/training modes and torch's grad mode together."""

    __slots__ = ("_recording", "_training", "_tokens", "_grad_prev")

    def __init__(self, recording: bool | None, training: bool | None):
        self._recording = recording
        self._training = training
        self._tokens = None
        self._grad_prev = None

    def __enter__(self):
        rec = self._recording
        self._tokens = (
            _state.recording.set(rec) if rec is not None else None,
            _state.training.set(self._training) if self._training is not None else None,
        )
        if rec is not None:
            self._grad_prev = torch.is_grad_enabled()
            torch.set_grad_enabled(rec)
        return self

    def __exit__(self, *exc):
        rec_token, train_token = self._tokens
        if rec_token is not None:
            _state.recording.reset(rec_token)
            torch.set_grad_enabled(self._grad_prev)
        if train_token is not None:
            _state.training.reset(train_token)


def record(train_mode: bool = True) -> _Scope:
    """Record operations in this scope for :func:`backward` (``train_mode`` sets training mode)."""
    return _Scope(True, train_mode)


def pause(train_mode: bool = False) -> _Scope:
    """Stop recording in this scope (``train_mode`` sets training mode)."""
    return _Scope(False, train_mode)


def train_mode() -> _Scope:
    """Training mode (Dropout active, BatchNorm uses batch statistics) without changing recording."""
    return _Scope(None, True)


def predict_mode() -> _Scope:
    """Prediction mode without changing recording."""
    return _Scope(None, False)


def set_recording(is_recording: bool) -> bool:  # noqa: F811 - MXNet's name
    """Set the recording state; returns the previous one."""
    prev = _state.recording.get()
    _state.recording.set(bool(is_recording))
    torch.set_grad_enabled(bool(is_recording))
    return prev


def set_training(train_mode: bool) -> bool:  # noqa: F811 - MXNet's name
    """Set the training state; returns the previous one."""
    prev = _state.training.get()
    _state.training.set(bool(train_mode))
    return prev


# ----------------------------------------------------------------------- variables
def _write_hook(tensor_ref):
    """Before each accumulation into ``.grad``, clear it: grad_req='write' semantics."""

    def hook(g):
        t = tensor_ref()
        if t is not None and t.grad is not None:
            t.grad.zero_()
        return g

    return hook


def _mark_fresh(t) -> None:
    """Record that a backward pass wrote this variable's gradient (Trainer's stale-gradient check)."""
    t._fresh_grad = True


def is_fresh(x) -> bool:
    """Whether a backward pass wrote ``x``'s gradient since :func:`clear_fresh` was called."""
    return getattr(x._tensor, "_fresh_grad", False)


def clear_fresh(x) -> None:
    x._tensor._fresh_grad = False


def _attach(x, grad_req: str, grad_buffer) -> None:
    if grad_req not in ("write", "add", "null"):
        raise GluonicValueError(f"grad_req must be 'write', 'add' or 'null'. Received: {grad_req!r}")
    t = x._tensor.detach()
    x._grad_req = grad_req
    if grad_req == "null":
        x._tensor = t
        return
    if not (t.dtype.is_floating_point or t.dtype.is_complex):
        raise GluonicTypeError(
            f"attach_grad needs a floating-point array to differentiate. Received: dtype {x.dtype.__name__}"
        )
    t.requires_grad_(True)
    if grad_buffer is None:
        t.grad = torch.zeros_like(t)
    else:
        if tuple(grad_buffer.shape) != tuple(t.shape):
            raise GluonicValueError(
                f"mark_variables: gradient buffer shape {tuple(grad_buffer.shape)} does not match the "
                f"variable. Received: variable shape {tuple(t.shape)}"
            )
        t.grad = grad_buffer._tensor.detach()
    if grad_req == "write":
        t.register_hook(_write_hook(weakref.ref(t)))
    t.register_post_accumulate_grad_hook(_mark_fresh)
    x._tensor = t


def mark_variables(variables, gradients, grad_reqs: str | Sequence[str] = "write") -> None:
    """Mark NDArrays as variables whose gradients go into the given ``gradients`` buffers."""
    from .ndarray import NDArray

    if isinstance(variables, NDArray):
        variables, gradients = [variables], [gradients]
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    if not (len(variables) == len(gradients) == len(grad_reqs)):
        raise GluonicValueError(
            f"mark_variables: variables, gradients and grad_reqs must have equal lengths. "
            f"Received: {len(variables)}, {len(gradients)}, {len(grad_reqs)}"
        )
    for v, g, req in zip(variables, gradients, grad_reqs):
        _attach(v, req, g)


# ----------------------------------------------------------------------- differentiation
def _heads_and_grads(heads, head_grads):
    from .ndarray import NDArray

    if isinstance(heads, NDArray):
        heads = [heads]
        if head_grads is not None and isinstance(head_grads, NDArray):
            head_grads = [head_grads]
    heads = list(heads)
    if head_grads is None:
        head_grads = [None] * len(heads)
    head_grads = list(head_grads)
    if len(head_grads) != len(heads):
        raise GluonicValueError(
            f"head_grads must have one entry per head. Received: {len(heads)} heads, {len(head_grads)} head_grads"
        )
    tensors, grads = [], []
    for h, g in zip(heads, head_grads):
        t = h._tensor
        if not t.requires_grad:
            raise GluonicValueError(
                "Cannot differentiate node because it is not in a computational graph. You need to set "
                "is_recording to true or use autograd.record() to save computational graphs for backward. "
                f"Received: a head of shape {tuple(t.shape)} that was computed outside record() or from "
                "arrays without attach_grad()"
            )
        tensors.append(t)
        grads.append(torch.ones_like(t) if g is None else g._tensor.to(t.device, t.dtype))  # a head grad may sit elsewhere
    return tensors, grads


def backward(heads, head_grads=None, retain_graph: bool = False, train_mode: bool = True) -> None:
    """Compute gradients of ``heads`` w.r.t. the marked variables (into their ``.grad``).

    ``head_grads`` default to ones. ``train_mode`` is accepted for MXNet compatibility;
    the backward pass always differentiates what was recorded.
    """
    tensors, grads = _heads_and_grads(heads, head_grads)
    with torch.enable_grad() if retain_graph else torch.no_grad():
        torch.autograd.backward(tensors, grads, retain_graph=retain_graph)


def grad(heads, variables, head_grads=None, retain_graph: bool | None = None,
         create_graph: bool = False, train_mode: bool = True):
    """Gradients of ``heads`` w.r.t. ``variables``, returned (not stored in ``.grad``).

    With ``create_graph=True`` the result is itself recorded, so higher-order gradients
    work (call inside ``record()``).

    Returns
    -------
    NDArray or list of NDArrays, matching ``variables``.
    """
    from .ndarray import NDArray
    from .ndarray.ndarray import _wrap

    single = isinstance(variables, NDArray)
    var_list = [variables] if single else list(variables)
    tensors, grads = _heads_and_grads(heads, head_grads)
    if retain_graph is None:
        retain_graph = create_graph
    for v in var_list:
        if not v._tensor.requires_grad:
            raise GluonicValueError(
                "autograd.grad: every variable must have been marked with attach_grad() before record(). "
                f"Received: a variable of shape {v.shape} without a gradient"
            )
    with torch.enable_grad():
        gs = torch.autograd.grad(tensors, [v._tensor for v in var_list], grads,
                                 retain_graph=retain_graph, create_graph=create_graph, allow_unused=True)
    out = [_wrap(torch.zeros_like(v._tensor) if g is None else g, v._ctx) for g, v in zip(gs, var_list)]
    return out[0] if single else out


def get_symbol(x):
    """MXNet returned the recorded graph as a Symbol; gluonic records with torch and cannot."""
    raise GluonicValueError(
        "autograd.get_symbol is not supported: gluonic records with torch autograd. "
        "Use a HybridBlock and export() to obtain a symbol graph."
    )


# ----------------------------------------------------------------------- custom functions
class Function:
    """A differentiable function with a custom backward (MXNet's ``autograd.Function``).

    Subclass and define ``forward(self, *inputs)`` and ``backward(self, *output_grads)``
    on NDArrays; call ``save_for_backward`` in forward to keep arrays for backward.

    >>> class Sigmoid(mx.autograd.Function):
    ...     def forward(self, x):
    ...         y = 1 / (1 + mx.nd.exp(-x))
    ...         self.save_for_backward(y)
    ...         return y
    ...     def backward(self, dy):
    ...         y, = self.saved_tensors
    ...         return dy * y * (1 - y)
    """

    def __init__(self):
        self._saved = ()

    def save_for_backward(self, *args) -> None:
        self._saved = args

    @property
    def saved_tensors(self):
        return self._saved

    def forward(self, *inputs):
        raise NotImplementedError

    def backward(self, *output_grads):
        raise NotImplementedError

    def __call__(self, *inputs):
        from .ndarray import NDArray

        for x in inputs:
            if not isinstance(x, NDArray):
                raise GluonicTypeError(
                    f"{type(self).__name__}: inputs must be NDArrays. Received: {type(x).__name__}"
                )
        outs = _FunctionBridge.apply(self, *[x._tensor for x in inputs])
        from .ndarray.ndarray import _wrap

        ctx = inputs[0]._ctx if inputs else None
        if isinstance(outs, torch.Tensor):
            return _wrap(outs, ctx)
        return tuple(_wrap(o, ctx) for o in outs) if len(outs) > 1 else _wrap(outs[0], ctx)


class _FunctionBridge(torch.autograd.Function):
    """Runs a gluonic :class:`Function` as a torch autograd function."""

    @staticmethod
    def forward(ctx, fn: Function, *tensors):
        from .context import as_context
        from .ndarray.ndarray import _wrap

        ctx.fn = fn
        ctx.n_inputs = len(tensors)
        with pause(train_mode=is_training()):
            outs = fn.forward(*[_wrap(t, as_context(t.device)) for t in tensors])
        single = not isinstance(outs, (list, tuple))
        ctx.single = single
        outs = [outs] if single else list(outs)
        return tuple(o._tensor for o in outs) if not single else outs[0]._tensor

    @staticmethod
    def backward(ctx, *grads):
        from .context import as_context
        from .ndarray.ndarray import _wrap

        fn = ctx.fn
        with pause():
            gin = fn.backward(*[_wrap(g.contiguous(), as_context(g.device)) for g in grads])
        gin = [gin] if not isinstance(gin, (list, tuple)) else list(gin)
        if len(gin) != ctx.n_inputs:
            raise GluonicValueError(
                f"{type(fn).__name__}.backward must return one gradient per input. "
                f"Received: {len(gin)} for {ctx.n_inputs} inputs"
            )
        return (None, *[None if g is None else g._tensor for g in gin])
