"""Signatures, output metadata and batched execution of recorded calls.

A group of calls with one signature runs as: concatenate each batched input along the batch
axis → one call (the op's torch implementation, or the block itself) → split each output
back by the calls' sizes. Inputs an op's batch rule marks ``unbatched`` (weights) must be
the same array in every call of a group and are passed once. Under ``autograd.record()``
the concatenation and the split are recorded too, so gradients reach every sample.
"""
from __future__ import annotations

import torch

from .. import _dtype, _state
from ..base import MXNetError
from ..gluon.block import _flatten, _regroup
from ..ndarray.ndarray import _wrap
from ..ops.infer import infer

_OP_META: dict = {}
_BLOCK_META: dict = {}


# ---------------------------------------------------------------------- ops
def op_signature(op, attrs, shapes: tuple, dtypes: tuple):
    """``(out_meta, template, unbatched_positions, n)`` of an op call, cached per (op, attrs, shapes, dtypes).

    ``out_meta`` lists the outputs' (shape, torch dtype) (meta-tensor inference); ``template`` is
    the batching signature without the identities of the unbatched inputs, None when the call
    cannot batch with others; ``n`` is its size along the batch axis.
    """
    key = (op, attrs, shapes, dtypes)
    sig = _OP_META.get(key)
    if sig is None:
        np_dtypes = [None if d is None else _dtype.from_torch(d) for d in dtypes]
        out_meta = [(tuple(s), _dtype.to_torch(d)) for s, d in infer(op, list(shapes), np_dtypes, attrs)]
        sig = (out_meta, *_op_template(op, attrs, shapes, dtypes, out_meta))
        if len(_OP_META) < 65536:
            _OP_META[key] = sig
    return sig


def _op_template(op, attrs, shapes, dtypes, out_meta):
    rule = op.batch_rule
    if rule is None or rule.axis is None:
        return None, (), 0
    if rule.when is not None:
        try:
            if not rule.when(attrs, shapes):
                return None, (), 0
        except Exception:  # noqa: BLE001 - undecidable: run the call on its own
            return None, (), 0
    axis, unbatched = rule.axis, rule.unbatched
    n = None
    parts, same = [], []
    for i, (s, d) in enumerate(zip(shapes, dtypes)):
        if s is None:
            parts.append(None)
        elif i in unbatched:
            parts.append("same")
            same.append(i)
        else:
            if len(s) <= axis or (n is not None and s[axis] != n):
                return None, (), 0
            n = s[axis]
            parts.append((s[:axis] + s[axis + 1:], d))
    if not n or any(len(s) <= axis or s[axis] != n for s, _ in out_meta):
        return None, (), 0
    return (op, attrs, tuple(parts)), tuple(same), n


def _run_op_group(group) -> None:
    first = group[0]
    op, attrs = first.target, first.attrs
    if len(group) == 1:
        outs = _call_impl(op, [_tensor(x) for x in first.inputs], attrs)
        _assign(first, outs)
        return
    axis, unbatched = op.batch_rule.axis, op.batch_rule.unbatched
    tensors = []
    for i, x in enumerate(first.inputs):
        if x is None or i in unbatched:
            tensors.append(None if x is None else _tensor(x))
        else:
            tensors.append(torch.cat([_tensor(c.inputs[i]) for c in group], dim=axis))
    outs = _call_impl(op, tensors, attrs)
    sizes = [c.n for c in group]
    pieces = [o.split(sizes, dim=axis) for o in outs]
    for j, c in enumerate(group):
        _assign(c, [p[j] for p in pieces])


def _call_impl(op, tensors, attrs) -> list[torch.Tensor]:
    out = op.impl(*tensors, a=attrs) if attrs is not None else op.impl(*tensors)
    return [out] if isinstance(out, torch.Tensor) else list(out)


# ---------------------------------------------------------------------- blocks
def block_signature(block, fmt_key: str, fmt, shapes: tuple, dtypes: tuple):
    """``(out_meta, out_fmt, template, n)`` of a block call, traced once per signature; None if untraceable."""
    key = (id(block), fmt_key, shapes, dtypes)
    sig = _BLOCK_META.get(key)
    if sig is None:
        meta = _trace_block(block, fmt, shapes, dtypes)
        sig = (*meta, *_block_template(block, fmt_key, shapes, dtypes, meta[0])) if meta else False
        _BLOCK_META[key] = sig
    return sig or None


def _trace_block(block, fmt, shapes, dtypes):
    present = [s is not None for s in shapes]
    try:
        _, out, out_fmt = block._graph_for(present, fmt, list(shapes))
        names = ["data"] if len(present) == 1 else [f"data{i}" for i in range(len(present))]
        known = {n: s for n, s in zip(names, shapes) if s is not None}
        graph_inputs = set(out.list_inputs())
        known = {k: v for k, v in known.items() if k in graph_inputs}
        typed = {k: _dtype.from_torch(d) for k, d, s in zip(names, dtypes, shapes) if s is not None and k in known}
        _, out_shapes, _ = out.infer_shape(**known)
        _, out_types, _ = out.infer_type(**typed)
    except (MXNetError, AttributeError, TypeError, ValueError):
        return False
    if out_shapes is None or any(s is None for s in out_shapes):
        return False
    return [(tuple(s), _dtype.to_torch(t)) for s, t in zip(out_shapes, out_types)], out_fmt


def _block_template(block, fmt_key, shapes, dtypes, out_meta):
    n = None
    parts = []
    for s, d in zip(shapes, dtypes):
        if s is None:
            parts.append(None)
            continue
        if not s or (n is not None and s[0] != n):
            return None, 0
        n = s[0]
        parts.append((s[1:], d))
    if not n or any(not s or s[0] != n for s, _ in out_meta):
        return None, 0
    return (id(block), fmt_key, tuple(parts)), n


def _run_block_group(group) -> None:
    first = group[0]
    block, ctx = first.target, next((x._ctx for x in first.inputs if x is not None), None)
    if len(group) == 1:
        flat = [None if x is None else _wrap(_tensor(x), ctx) for x in first.inputs]
    else:
        flat = [None if x is None else _wrap(torch.cat([_tensor(c.inputs[i]) for c in group], dim=0), ctx)
                for i, x in enumerate(first.inputs)]
    args, _ = _regroup(flat, first.fmt)
    out = block(*args)
    outs, _ = _flatten(out, "output")
    tensors = [o._tensor for o in outs]
    if len(group) == 1:
        _assign(first, tensors)
        return
    sizes = [c.n for c in group]
    pieces = [t.split(sizes, dim=0) for t in tensors]
    for j, c in enumerate(group):
        _assign(c, [p[j] for p in pieces])


# ---------------------------------------------------------------------- running
def run_group(group) -> None:
    """Run a group of calls with one signature (one call when they cannot batch)."""
    first = group[0]
    recording, training = first.modes
    r_token, t_token = _state.recording.set(recording), _state.training.set(training)
    prev_grad = torch.is_grad_enabled()
    torch.set_grad_enabled(recording)
    try:
        if first.kind == "op":
            _run_op_group(group)
        elif first.kind == "block":
            _run_block_group(group)
        else:
            for c in group:
                _assign(c, [c.target(_tensor(c.inputs[0]))])
    except Exception as e:  # noqa: BLE001 - re-raised naming the user's line
        raise _located(group, e) from e
    finally:
        torch.set_grad_enabled(prev_grad)
        _state.recording.reset(r_token)
        _state.training.reset(t_token)
    for c in group:
        c.done = True


def _tensor(x) -> torch.Tensor:
    return x._tensor


def _assign(call, tensors) -> None:
    for lazy, t in zip(call.outs, tensors):
        lazy._tensor = t
        lazy._node = None  # a computed value: no longer tied to its call (breaks the call <-> value cycle)


def _located(group, err: Exception) -> Exception:
    """The error of a batched call, naming where the (first) call was recorded in the user's code."""
    from ..base import GluonicValueError

    file, line, func = group[0].where
    what = group[0].target.name if group[0].kind != "fn" else "indexing"
    extra = f" (batched with {len(group) - 1} similar calls)" if len(group) > 1 else ""
    message = f"{err} — in the folded call of {what} recorded at {file}:{line} (in {func}){extra}"
    try:
        return type(err)(message) if isinstance(err, MXNetError) else GluonicValueError(message)
    except TypeError:  # an error class whose constructor takes other arguments
        return GluonicValueError(message)


__all__ = ["op_signature", "block_signature", "run_group"]
