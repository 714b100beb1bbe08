"""The fold scope: records block and op calls on per-sample values, runs them batched when forced.

Recording a call costs a signature, a cached shape inference and a few list appends. When a
value is needed the scheduler (:mod:`._schedule`) picks groups of ready calls with the same
signature and :mod:`._execute` runs each group as one call on concatenated inputs.
"""
from __future__ import annotations

import os
import sys
import time

import torch

from .. import _state
from ..base import GluonicValueError
from ..gluon.block import _flatten, _regroup
from ..ndarray.ndarray import NDArray, _op, _torch_index, invoke
from . import _execute, _schedule
from ._lazy import LazyArray, new_lazy

_GLUONIC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


class Call:
    """One recorded call: an op, a block, or an unbatchable Python function on tensors."""

    __slots__ = ("kind", "target", "attrs", "inputs", "fmt", "out_fmt", "key", "depth", "outs", "modes", "where",
                 "n", "waiting", "users", "done")

    def __init__(self, kind, target, attrs, inputs, fmt, key, depth, modes, where, n):
        self.kind, self.target, self.attrs, self.inputs, self.fmt = kind, target, attrs, inputs, fmt
        self.key, self.depth, self.modes, self.where, self.n = key, depth, modes, where, n
        self.outs: list[LazyArray] = []
        self.out_fmt = 0
        self.waiting = 0
        self.users: list[Call] = []
        self.done = False


class Stats:
    """Counters of a scope: calls recorded, groups run, time spent recording and scheduling."""

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
        self.stats = Stats()
        self._unique = 0

    # ------------------------------------------------------------------ recording
    def _modes(self):
        return (_state.recording.get(), _state.training.get())

    def _unbatchable_key(self):
        self._unique += 1
        return ("unbatchable", self._unique)

    def _input_id(self, x):
        """What makes two inputs "identical" for reuse: the producing call, or the array itself;
        small constant arrays (word ids, zero states) count as identical when their values are."""
        if x is None:
            return None
        if x.__class__ is LazyArray and not x._ready():
            return (id(x._node), x._index)
        t = x._tensor
        if t.numel() <= 64 and not t.requires_grad and t.device.type == "cpu":
            return (t.dtype, tuple(t.shape), t.numpy().tobytes() if t.dtype != torch.bfloat16 else id(t))
        return id(t)

    def _add(self, call: Call, out_meta, ctx, cse_key) -> list[LazyArray]:
        depth = 0
        producers: list = []
        for x in call.inputs:
            if x is not None and x.__class__ is LazyArray:
                node = x._node
                if node is not None and node not in producers:  # pending: an edge for the agenda
                    producers.append(node)
                    node.users.append(call)
                    if node.depth > depth:
                        depth = node.depth
        call.waiting = len(producers)
        call.depth = depth + 1
        call.outs = [new_lazy(self, call, i, s, d, ctx) for i, (s, d) in enumerate(out_meta)]
        self.pending.append(call)
        self.stats.calls += 1
        if cse_key is not None:
            self.cse[cse_key] = call
        return call.outs

    def record_op(self, op, inputs, attrs):
        """Record ``op(*inputs)``; returns its lazy output(s) (a list for multi-output ops)."""
        inputs = list(inputs)
        modes = (_state.recording.get(), _state.training.get())
        ids = tuple([self._input_id(x) for x in inputs])
        cse_key = (op, attrs, modes, ids)
        hit = self.cse.get(cse_key)
        if hit is not None:
            self.stats.reused += 1
            return hit.outs if len(hit.outs) > 1 else hit.outs[0]
        shapes = tuple([None if x is None else x.shape for x in inputs])
        dtypes = tuple([None if x is None else _dtype_of(x) for x in inputs])
        out_meta, template, same, n = _execute.op_signature(op, attrs, shapes, dtypes)
        if template is None:
            key = self._unbatchable_key()
        else:
            key = (template, modes, tuple([ids[i] for i in same])) if same else (template, modes)
        ctx = next(x._ctx for x in inputs if x is not None)
        call = Call("op", op, attrs, inputs, None, key, 0, modes, _user_frame(), n)
        outs = self._add(call, out_meta, ctx, cse_key)
        return outs if len(outs) > 1 else outs[0]

    def record_block(self, block, args):
        """Record ``block(*args)``: the whole block batches with other calls of it."""
        flat, fmt = _flatten(list(args), "input")
        fmt_key = fmt if isinstance(fmt, int) else repr(fmt)
        modes = (_state.recording.get(), _state.training.get())
        ids = tuple([self._input_id(x) for x in flat])
        cse_key = (id(block), fmt_key, modes, ids)
        hit = self.cse.get(cse_key)
        if hit is not None:
            self.stats.reused += 1
            return _regroup(list(hit.outs), hit.out_fmt)[0]
        shapes = tuple([None if x is None else x.shape for x in flat])
        dtypes = tuple([None if x is None else _dtype_of(x) for x in flat])
        sig = _execute.block_signature(block, fmt_key, fmt, shapes, dtypes)
        if sig is None:  # the block cannot be traced: run it now, unbatched
            return self.run_now(block, args)
        out_meta, out_fmt, template, n = sig
        key = self._unbatchable_key() if template is None else (template, modes)
        ctx = next((x._ctx for x in flat if x is not None), None)
        call = Call("block", block, None, flat, fmt, key, 0, modes, _user_frame(), n)
        call.out_fmt = out_fmt
        outs = self._add(call, out_meta, ctx, cse_key)
        return _regroup(list(outs), out_fmt)[0]

    def record_getitem(self, x: LazyArray, key):
        """``x[key]``: recorded as an unbatchable call (runs on its own when its input is ready)."""
        try:
            shape = tuple(torch.empty(x.shape, device="meta")[_meta_key(key)].shape)
        except Exception:  # noqa: BLE001 - let the eager path raise its own error
            return NDArray.__getitem__(x, key)
        call = Call("fn", lambda t: t[_torch_index(key, t.device)], None, [x], None, self._unbatchable_key(), 0,
                    self._modes(), _user_frame(), 0)
        return self._add(call, [(shape, x._dtype_t)], x._ctx, None)[0]

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
        self.stats.flushes += 1
        t0 = time.perf_counter()
        with _suspended():
            for group in _schedule.STRATEGIES[self.strategy](pending):
                t1 = time.perf_counter()
                _execute.run_group(group)
                self.stats.execute_s += time.perf_counter() - t1
                self.stats.groups += 1
        self.stats.schedule_s += time.perf_counter() - t0


def _dtype_of(x):
    return x._dtype_t if x.__class__ is LazyArray else x._tensor.dtype


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
