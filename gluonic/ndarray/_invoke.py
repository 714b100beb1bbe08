"""Eager execution of a registered op: run the torch impl with MXNet's recording rules.

``NDArray``-level wrapping lives in ``ndarray.py`` (``invoke``); this module holds what
does not need the NDArray type.

This is the imperative hot path; it is kept short. Outside ``autograd.record()`` nothing
is recorded: when an input carries ``requires_grad`` the op runs under
``torch.no_grad()``, so a computation made outside ``record()`` never joins a graph.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from .._state import recording
from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..context import Context, as_context, current_context
from ..ops.registry import Op

_set_grad_enabled = torch._C._set_grad_enabled
_is_grad_enabled = torch._C.is_grad_enabled


def run_impl(op: Op, tensors: Sequence[Any], attrs) -> Any:
    """Call ``op``'s torch implementation with MXNet's recording semantics and clear errors.

    Outside ``record()``, an op on arrays that require grad runs with torch's grad mode
    off (set directly: ``torch.no_grad()`` costs microseconds per op).
    """
    impl = op.impl
    try:
        if not recording.get():
            for t in tensors:
                if t is not None and t.requires_grad:
                    prev = _is_grad_enabled()
                    _set_grad_enabled(False)
                    try:
                        return impl(*tensors, a=attrs) if attrs is not None else impl(*tensors)
                    finally:
                        _set_grad_enabled(prev)
        return impl(*tensors, a=attrs) if attrs is not None else impl(*tensors)
    except MXNetError:
        raise
    except (RuntimeError, ValueError, IndexError, TypeError) as e:
        raise op_error(op, e, tensors) from e


def op_error(op: Op, err: Exception, tensors: Sequence[Any]) -> MXNetError:
    """Turn a torch error into a gluonic error naming the op and the inputs received."""
    received = ", ".join(
        f"{name}{tuple(t.shape)} {str(t.dtype).replace('torch.', '')}"
        for name, t in zip(_input_labels(op, len(tensors)), tensors)
        if t is not None
    )
    msg = f"Operator {op.name}: {err}. Received: {received or 'no inputs'}"
    cls = GluonicTypeError if isinstance(err, TypeError) else GluonicValueError
    return cls(msg)


def _input_labels(op: Op, n: int) -> list[str]:
    if op.variadic:
        return [f"{op.inputs[0]}[{i}]" for i in range(n)]
    return list(op.inputs[:n])


def context_of(inputs: Sequence[Any], attrs) -> Context:
    """Context of an op's result: its first input's, else the ``ctx`` attribute, else default."""
    for x in inputs:
        if x is not None:
            return x._ctx
    ctx = getattr(attrs, "ctx", None)
    return as_context(ctx) if ctx else current_context()
