"""What a hybridized block runs: trace once per input signature, compile, replay.

A small state machine (tinygrad's JIT, Gluon's CachedOp): the first call with a new
signature (input shapes, dtypes, devices, nesting, train/predict mode) traces
``hybrid_forward`` with Symbols, compiles the graph to Python over torch calls
(optionally through ``torch.compile``) and caches it; later calls replay it. Autograd
records through the replay, so ``record()``/``backward()`` work unchanged.
"""
from __future__ import annotations

import os
from typing import Any

import torch

from .._state import recording, training
from ..base import GluonicValueError
from ..ndarray.ndarray import _wrap, _wrap_as
from .codegen import CompiledGraph, compile_symbol
from .passes import inference_passes_enabled, optimize_for_inference

__all__ = ["CachedGraph", "hybridize_enabled"]

_set_grad_enabled = torch._C._set_grad_enabled
_is_grad_enabled = torch._C.is_grad_enabled


def hybridize_enabled() -> bool:
    """False when ``GLUONIC_HYBRIDIZE=0`` (run hybridized blocks eagerly, for debugging)."""
    return os.environ.get("GLUONIC_HYBRIDIZE", "1") != "0"


def signature(flat: list, fmt) -> tuple:
    """Cache key of one call: what each input is (shape, dtype, device), nesting, mode."""
    parts = []
    for a in flat:
        if a is None:
            parts.append(None)
        else:
            t = a._tensor
            parts.append((tuple(t.shape), t.dtype, t.device))
    return tuple(parts), repr(fmt), training.get()


class CachedGraph:
    """One traced and compiled graph of a block, for one input signature."""

    def __init__(self, block, present: list, fmt, backend: str | None, backend_opts: dict | None = None,
                 shapes: list | None = None):
        inputs, out, out_fmt = block._graph_for(present, fmt, shapes)
        self.out_fmt = out_fmt
        self.data_names = [i.name for i in inputs]
        params = block.collect_params()
        by_name = {p.name: p for p in params.values()}
        graph_inputs = out.list_inputs()
        unknown = [n for n in graph_inputs if n not in by_name and n not in self.data_names]
        if unknown:
            raise GluonicValueError(
                f"HybridBlock '{block.name}': the traced graph uses variables {unknown} that are neither inputs "
                "nor Parameters of the block. Create Symbols only from the inputs of hybrid_forward and "
                "Parameters registered on the block.")
        self.params = [by_name[n] for n in graph_inputs if n not in self.data_names]
        self.graph: CompiledGraph = compile_symbol(out, self.data_names + [p.name for p in self.params])
        self.symbol = out
        self.fn = self.graph.fn
        if backend:
            self.fn = torch.compile(self.graph.fn, backend=backend, **(backend_opts or {}))
        # Predict-mode graphs also get a BatchNorm-folded, fused twin for calls outside record().
        self.inference: CompiledGraph | None = None
        if not backend and not training.get() and inference_passes_enabled():
            self.inference = optimize_for_inference(out, self.graph.inputs)

    @property
    def source(self) -> str:
        return self.graph.source

    def __call__(self, flat: list, ctx) -> Any:
        tensors = [a._tensor for a in flat if a is not None]
        tensors += [p.data(ctx)._tensor for p in self.params]
        if self.inference is not None and not recording.get():
            prev = _is_grad_enabled()
            _set_grad_enabled(False)
            try:
                outs = self.inference.fn(*tensors)
            finally:
                _set_grad_enabled(prev)
        elif not recording.get() and _any_requires_grad(tensors):
            prev = _is_grad_enabled()
            _set_grad_enabled(False)
            try:
                outs = self.fn(*tensors)
            finally:
                _set_grad_enabled(prev)
        else:
            outs = self.fn(*tensors)
        cls = next((a._out_cls or a.__class__ for a in flat if a is not None), None)  # np in → np out
        wrapped = []
        seen: list = []
        for r in outs:
            # Results never alias inputs, parameters or each other; a view of a graph-internal
            # tensor (the decoder's reshape of its matmul) is handed out without a copy.
            if r._base is not None or seen:
                base = _storage_owner(r)
                if _is_one_of(base, seen) or any(base is _storage_owner(t) for t in tensors):
                    r = r.clone()
                seen.append(_storage_owner(r))
            elif _is_one_of(r, tensors):
                r = r.clone()
            else:
                seen.append(r)
            wrapped.append(_wrap(r, ctx) if cls is None else _wrap_as(cls, r, ctx))
        if self.out_fmt == 0:
            return wrapped[0]
        return _regroup(wrapped, self.out_fmt)[0]


def _any_requires_grad(tensors) -> bool:
    for t in tensors:
        if t.requires_grad:
            return True
    return False


def _storage_owner(t):
    return t._base if t._base is not None else t


def _is_one_of(r, tensors) -> bool:
    for t in tensors:
        if r is t:
            return True
    return False


def _regroup(args, fmt):
    from ..gluon.block import _regroup as regroup

    return regroup(args, fmt)


