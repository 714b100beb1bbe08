"""The fold scope: records block and op calls on per-sample values, runs them batched when forced.

Recording is the hot path (a Tree-LSTM records ~160 calls per tree), so it does the least it
can: one pass over the inputs (identity for reuse, shape, dtype, pending producers), a cached
signature lookup, one ``Call`` and its lazy outputs. When a value is needed the scheduler
(:mod:`._schedule`) picks groups of ready calls with the same signature and :mod:`._execute`
runs each group as one call on gathered inputs.
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np
import torch

from .. import _state
from ..base import GluonicValueError
from ..gluon.block import _flatten, _regroup
from ..ndarray.ndarray import NDArray, _op, _torch_index, invoke
from ..numpy._array import ndarray as _np_ndarray
from ..util import is_np_array
from . import _execute, _schedule
from ._execute import Call
from ._lazy import LAZY_CLASSES, LazyArray, LazyNpArray, constant_identity, new_constant, new_lazy

_GLUONIC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_recording, _training = _state.recording.get, _state.training.get

_INTERNAL: dict = {}


def _user_frame() -> tuple[str, int, str]:
    """(file, line, function) of the innermost caller outside gluonic: where a recorded call came from."""
    f = sys._getframe(2)
    while f is not None:
        code = f.f_code
        internal = _INTERNAL.get(code)
        if internal is None:
            internal = _INTERNAL[code] = code.co_filename.startswith(_GLUONIC_DIR)
        if not internal:
            return (code.co_filename, f.f_lineno, code.co_name)
        f = f.f_back
    return ("?", 0, "")


class Stats:
    """Counters of a scope: calls recorded, groups run, time spent scheduling and executing."""

    def __init__(self):
        self.calls = self.groups = self.flushes = self.reused = 0
        self.schedule_s = self.execute_s = 0.0

    def __repr__(self) -> str:
        avg = self.calls / self.groups if self.groups else 0.0
        return (f"fold.Stats(calls={self.calls}, groups={self.groups} (avg batch {avg:.1f}), reused={self.reused}, "
                f"flushes={self.flushes}, schedule={self.schedule_s * 1e3:.1f} ms, execute={self.execute_s * 1e3:.1f} ms)")


class Scope:
    """Records calls while active (see :func:`gluonic.fold.batching`)."""

    def __init__(self, strategy: str = "agenda"):
        if strategy not in _schedule.STRATEGIES:
            raise GluonicValueError(f"fold.batching: strategy must be one of {sorted(_schedule.STRATEGIES)}. "
                                    f"Received: {strategy!r}")
        self.strategy = strategy
        self.pending: list[Call] = []
        self.cse: dict = {}
        self.where: dict = {}  # signature -> the user's line that first recorded a call with it (for errors)
        self.stats = Stats()
        self._unique = 0

    # ------------------------------------------------------------------ recording
    def _scan(self, inputs):
        """One pass over a call's inputs: (identities, metas, pending producers, depth, context, lazy class).

        A meta is an input's (shape, torch dtype); a producer is a call that has not run yet. The
        context and the class of the results (NumPy-mode or not) come from the first array input.
        """
        ids, metas, producers = [], [], []
        depth = 0
        first = None
        for x in inputs:
            if x.__class__ in LAZY_CLASSES:
                ids.append(x._cid)
                metas.append(x._meta)
                node = x._node
                if node is not None and node.bufs is None and node not in producers:
                    producers.append(node)
                    if node.depth > depth:
                        depth = node.depth
            elif x is None:
                ids.append(None)
                metas.append(None)
                continue
            else:
                t = x._tensor
                ids.append(_concrete_id(t))
                metas.append((tuple(t.shape), t.dtype))
            if first is None:
                first = x
        if first is None:
            return tuple(ids), tuple(metas), producers, depth, None, LazyArray
        cls = LazyNpArray if isinstance(first, _np_ndarray) else LazyArray
        return tuple(ids), tuple(metas), producers, depth, first._ctx, cls

    def _add(self, call: Call, out_meta, producers) -> list[LazyArray]:
        for node in producers:  # dependency edges for the agenda
            node.users.append(call)
        ctx, cls = call.ctx, call.cls
        if len(out_meta) == 1:
            outs = call.outs = [new_lazy(self, call, 0, out_meta[0], ctx, cls)]
        elif len(out_meta) == 2:  # (h, c) of a cell
            outs = call.outs = [new_lazy(self, call, 0, out_meta[0], ctx, cls),
                                new_lazy(self, call, 1, out_meta[1], ctx, cls)]
        else:
            outs = call.outs = [new_lazy(self, call, i, m, ctx, cls) for i, m in enumerate(out_meta)]
        self.pending.append(call)
        if call.key not in self.where:
            self.where[call.key] = _user_frame()
        return outs

    def _unbatchable_key(self):
        self._unique += 1
        return ("unbatchable", self._unique)

    def record_op(self, op, inputs, attrs):
        """Record ``op(*inputs)``; returns its lazy output(s) (a list for multi-output ops)."""
        modes = (_recording(), _training())
        ids, metas, producers, depth, ctx, cls = self._scan(inputs)
        cse_key = (op, attrs, modes, ids)
        hit = self.cse.get(cse_key)
        if hit is not None:
            self.stats.reused += 1
            return hit.outs if len(hit.outs) > 1 else hit.outs[0]
        out_meta, template, same, n, axis = _execute.op_signature(op, attrs, metas)
        if template is None:
            key = self._unbatchable_key()
        elif same:
            key = (template, modes, ctx._torch_device, tuple([ids[i] for i in same]))
        else:
            key = (template, modes, ctx._torch_device)
        call = Call("op", op, attrs, inputs, None, key, modes, n, axis, ctx, cls, producers, depth)
        outs = self._add(call, out_meta, producers)
        self.cse[cse_key] = call
        return outs if len(outs) > 1 else outs[0]

    def record_block(self, block, args):
        """Record ``block(*args)``: the whole block batches with other calls of it."""
        flat, fmt, fmt_key = _flat_args(args)
        modes = (_recording(), _training())
        ids, metas, producers, depth, ctx, _ = self._scan(flat)
        cse_key = (id(block), fmt_key, modes, ids)
        hit = self.cse.get(cse_key)
        if hit is not None:
            self.stats.reused += 1
            return _block_result(hit.outs, hit.out_fmt)
        sig = _execute.block_signature(block, fmt_key, fmt, metas)
        if sig is None:  # the block cannot be traced: run it now, unbatched
            return self.run_now(block, args)
        out_meta, out_fmt, template, n = sig
        key = self._unbatchable_key() if template is None else (template, modes, ctx._torch_device)
        cls = LazyNpArray if is_np_array() else LazyArray  # blocks give NumPy arrays in NumPy mode
        call = Call("block", block, None, flat, fmt, key, modes, n, 0, ctx, cls, producers, depth)
        call.out_fmt = out_fmt
        outs = self._add(call, out_meta, producers)
        self.cse[cse_key] = call
        return _block_result(outs, out_fmt)

    def record_getitem(self, x: LazyArray, key):
        """``x[key]``: recorded as an unbatchable call (runs on its own when its input is ready)."""
        try:
            shape = tuple(torch.empty(x.shape, device="meta")[_meta_key(key)].shape)
        except Exception:  # noqa: BLE001 - let the eager path raise its own error
            return super(LazyArray, x).__getitem__(key)  # NDArray or mx.np.ndarray indexing, on the value
        _, _, producers, depth, _, _ = self._scan([x])
        call = Call("fn", lambda t: t[_torch_index(key, t.device)], None, [x], None, self._unbatchable_key(),
                    (_recording(), _training()), 0, None, x._ctx, x.__class__, producers, depth)
        return self._add(call, [(shape, x._meta[1])], producers)[0]

    def constant(self, data, ctx, dtype):
        """``nd.array(data)`` of small Python data inside the scope: a constant, or None (build it now)."""
        if data.__class__ is list and len(data) == 1 and dtype is None and data[0].__class__ is int:
            hit = _ID_CONSTANTS.get(data[0])  # nd.array([word_id]): the commonest by far
            if hit is None:
                value = np.array(data, dtype=np.float32)
                hit = (value, constant_identity(value))
                if len(_ID_CONSTANTS) < _ID_CONSTANTS_MAX:
                    _ID_CONSTANTS[data[0]] = hit
            return new_constant(self, hit[0], ctx, hit[1])
        if isinstance(data, NDArray) or isinstance(data, torch.Tensor):
            return None
        try:
            value = np.array(data, dtype=np.float32 if dtype is None else dtype)
        except (TypeError, ValueError):
            return None
        if value.size > 4096 or value.dtype == object or value.dtype.char not in _CONST_DTYPES:
            return None
        return new_constant(self, value, ctx)

    def run_now(self, block, args):
        """Run a block eagerly, outside the scope (its inputs are forced)."""
        with _suspended():
            return block(*args)

    def binary(self, a, b, tensor_op: str, scalar_op: str):
        """``a <op> b`` of NDArray arithmetic while the scope is active."""
        if isinstance(b, NDArray):
            if a._out_cls is not None or b._out_cls is not None:  # a lazy operand: record directly
                return self.record_op(_op(tensor_op), (a, b), None)
            return invoke(_op(tensor_op), (a, b), None)
        op = _op(scalar_op)
        attrs = _SCALAR_ATTRS.get((scalar_op, b))
        if attrs is None:
            attrs = _SCALAR_ATTRS[(scalar_op, b)] = op.parse_attrs({"scalar": b})
            if len(_SCALAR_ATTRS) > 4096:
                _SCALAR_ATTRS.clear()
        if a.__class__ in LAZY_CLASSES:
            return self.record_op(op, (a,), attrs)
        return invoke(op, (a,), attrs)

    # ------------------------------------------------------------------ running
    def force(self, x: LazyArray) -> None:
        """Make ``x`` available: run everything pending."""
        self.flush()
        if not x._ready():
            raise GluonicValueError("fold: a lazy value was read but its call did not run (was it recorded in a "
                                    "scope that was already closed with an error?)")

    def flush(self) -> None:
        if not self.pending:
            return
        pending, self.pending, self.cse = self.pending, [], {}
        where, self.where = self.where, {}
        self.stats.flushes += 1
        self.stats.calls += len(pending)
        t0 = time.perf_counter()
        execute = 0.0
        groups = 0
        with _suspended():
            for group in _schedule.STRATEGIES[self.strategy](pending):
                t1 = time.perf_counter()
                _execute.run_group(group, where)
                execute += time.perf_counter() - t1
                groups += 1
        self.stats.groups += groups
        self.stats.execute_s += execute
        self.stats.schedule_s += time.perf_counter() - t0 - execute

    def discard(self) -> None:
        """Drop everything pending (the scope is left with an error)."""
        self.pending, self.cse, self.where = [], {}, {}


_FMTS: dict = {}


def _flat_args(args):
    """``(flat inputs, format, format key)`` of a block call's arguments.

    Arrays and one level of lists of arrays (a node's children) are handled here, cheaply;
    anything deeper goes through Gluon's general ``_flatten``.
    """
    flat, lengths = [], []
    for a in args:
        if isinstance(a, NDArray):
            flat.append(a)
            lengths.append(-1)
        elif a.__class__ is list or a.__class__ is tuple:
            for b in a:
                if not isinstance(b, NDArray):
                    break
            else:
                flat.extend(a)
                lengths.append(len(a))
                continue
            break
        else:
            break
    else:
        key = tuple(lengths)
        fmt = _FMTS.get(key)
        if fmt is None:
            if len(key) == 1 and key[0] == -1:
                fmt = 0
            else:
                fmt = [0 if n == -1 else [0] * n for n in key]
            _FMTS[key] = fmt
        return flat, fmt, key
    flat, fmt = _flatten(list(args), "input")
    return flat, fmt, repr(fmt)


def _block_result(outs, out_fmt):
    """A block's lazy outputs in the structure its graph returns (one array, a list, nested lists)."""
    if out_fmt == 0:
        return outs[0]
    if out_fmt is _execute._FLAT:
        return list(outs)
    return _regroup(list(outs), out_fmt)[0]


def _concrete_id(t: torch.Tensor):
    """What makes a concrete input identical to another: small constants (zero states) by value."""
    if t.numel() <= 64 and not t.requires_grad and t.device.type == "cpu" and t.dtype != torch.bfloat16:
        return (t.dtype, tuple(t.shape), t.numpy().tobytes())
    return id(t)


_CONST_DTYPES = frozenset("efdbBhHiIlLq?")
_ID_CONSTANTS: dict = {}  # int -> (float32 array [i], its constant_identity), for nd.array([i]) inside a scope
_ID_CONSTANTS_MAX = 1 << 20


def _meta_key(key):
    if isinstance(key, tuple):
        return tuple(_meta_key(k) for k in key)
    if isinstance(key, NDArray):
        raise TypeError("array index")
    return key


_SCALAR_ATTRS: dict = {}


class _suspended:  # noqa: N801 - a context manager
    """Run with the scope's hooks off (batched execution, eager fallbacks)."""

    def __enter__(self):
        self._saved = _state.fold_scope[0]
        _state.fold_scope[0] = None

    def __exit__(self, *exc):
        _state.fold_scope[0] = self._saved
