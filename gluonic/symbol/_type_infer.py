"""Dtype inference over a Symbol graph (what ``Symbol.infer_type`` and ``simple_bind`` use).

Like MXNet, types flow both ways until nothing changes:

- forward: an op whose input dtypes (and shapes) are known gets its output dtypes from the
  registry's meta-tensor rule (:func:`gluonic.ops.infer.infer`), so ``Cast``, ``one_hot``,
  ``shape_array``, ``argsort`` ... give what the implementation gives. Without shapes, the
  output takes the op's ``dtype`` attribute where it names the output type, else the
  dtype of its data input;
- inputs: an unknown input of an op takes the dtype of the op's known inputs
  (``FullyConnected``'s weight follows float64 data), except BatchNorm's parameters (float32
  for float16/bfloat16 data, as MXNet), Embedding's weight (its ``dtype`` attribute) and
  index inputs (``take``'s ``indices``: float32, MXNet's default);
- backward: an unknown input of an op that keeps its dtype (no ``dtype`` attribute, no
  index role) takes the op's output dtype (``relu(a) + b`` with ``b`` float64 makes ``a`` float64).

Inputs still unknown at the end are float32 (MXNet's default type).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from ..base import MXNetError
from ..ops.infer import infer

__all__ = ["infer_types"]

Key = tuple  # (id(node), output index)

# Inputs that carry indices or lengths: they do not share the data's dtype.
_INDEX_INPUTS: dict[str, frozenset[str]] = {
    "take": frozenset({"indices"}),
    "pick": frozenset({"index"}),
    "gather_nd": frozenset({"indices"}),
    "scatter_nd": frozenset({"indices"}),
    "one_hot": frozenset({"indices"}),
    "Embedding": frozenset({"data"}),
    "SequenceMask": frozenset({"sequence_length"}),
    "SequenceLast": frozenset({"sequence_length"}),
    "SequenceReverse": frozenset({"sequence_length"}),
    "softmax": frozenset({"length"}),
    "CTCLoss": frozenset({"label", "data_lengths", "label_lengths"}),
    "where": frozenset({"condition"}),
}
# Parameters kept in float32 when the data is half precision (MXNet's BatchNorm rule).
_FLOAT32_FOR_HALF: dict[str, frozenset[str]] = {
    name: frozenset({"gamma", "beta", "moving_mean", "moving_var"}) for name in ("BatchNorm", "_contrib_SyncBatchNorm")
}
_HALF = (np.float16, _dtype.bfloat16)
_INT64_OUT = frozenset({"shape_array", "size_array"})


def _input_names(node) -> list[str]:
    op = node.op
    if op.variadic:
        return [op.inputs[0]] * len(node.inputs)
    return list(node.present) if node.present is not None else list(op.inputs[: len(node.inputs)])


def _attr_dtype(node):
    """The output dtype named by the op's ``dtype`` attribute, if it names one."""
    d = getattr(node.attrs, "dtype", None) if node.attrs is not None else None
    if not isinstance(d, str) or d == "None":
        return None
    if node.op.name == "topk" and getattr(node.attrs, "ret_typ", "indices") != "indices":
        return None
    return _dtype.np_dtype(d) if d == "bfloat16" else np.dtype(d).type


def _keeps_dtype(node) -> bool:
    return node.op.name not in _INT64_OUT and _attr_dtype(node) is None and node.op.name != "Cast"


def _proposal(node, name: str, known: list[tuple[str, Any]]):
    """The dtype an unknown input ``name`` of ``node`` takes, from the node's known inputs."""
    op_name = node.op.name
    if name in _INDEX_INPUTS.get(op_name, ()):
        return np.float32
    if op_name == "Embedding" and name == "weight":
        return _attr_dtype(node) or np.float32
    data = [t for nm, t in known if nm not in _INDEX_INPUTS.get(op_name, ())]
    if not data:
        return None
    ref = data[0]
    if name in _FLOAT32_FOR_HALF.get(op_name, ()):
        first = dict(known).get("data")
        if first is not None:
            return np.float32 if any(first is h for h in _HALF) else first
        return ref
    return ref


def _fallback_outputs(node, in_types: list) -> list:
    """Output dtypes when shapes are unknown (no meta inference possible)."""
    n = node.num_outputs()
    if node.op.name in _INT64_OUT:
        return [np.int64] * n
    fixed = _attr_dtype(node)
    if fixed is not None:
        return [fixed] * n
    names = _input_names(node)
    if node.op.name == "Embedding" and "weight" in names:
        return [in_types[names.index("weight")]] * n
    if node.op.name == "topk" and getattr(node.attrs, "ret_typ", "") == "both":
        return [in_types[0], _dtype.np_dtype(node.attrs.dtype).type]
    return [in_types[0] if in_types else np.float32] * n


def _outputs(node, in_types: list, shapes: dict[Key, Any]) -> list:
    from .symbol import _is_known, _with_absent

    in_shapes = [shapes.get((id(c), i)) for c, i in node.inputs]
    if all(_is_known(s) for s in in_shapes):
        try:
            outs = infer(node.op, _with_absent(node, in_shapes), _with_absent(node, in_types), node.attrs)
            return [t for _, t in outs]
        except (MXNetError, KeyError, TypeError):
            pass  # an op whose meta rule rejects this dtype mix: fall back to the simple rule
    return _fallback_outputs(node, in_types)


def infer_types(nodes: list, known: dict[str, Any], shapes: dict[Key, Any]) -> dict[Key, Any]:
    """``{(id(node), output): numpy type}`` for every entry of ``nodes`` (topological order).

    ``known`` maps variable names to dtypes; ``shapes`` maps entries to known shapes (may be
    empty), used to run each op's meta-tensor rule.
    """
    types: dict[Key, Any] = {}
    for n in nodes:
        if n.op is None and n.name in known:
            types[(id(n), 0)] = known[n.name]
    ops = [n for n in nodes if n.op is not None]
    for _ in range(len(ops) + 2):  # each round decides at least one entry or stops
        changed = _forward(ops, types, shapes, final=False)
        changed |= _backward(ops, types)
        if not changed:
            break
    for n in nodes:
        if n.op is None:
            types.setdefault((id(n), 0), np.float32)
    _forward(ops, types, shapes, final=True)
    return types


def _forward(ops, types, shapes, final: bool) -> bool:
    changed = False
    for n in ops:
        keys = [(id(c), i) for c, i in n.inputs]
        names = _input_names(n)
        known = [(nm, types[k]) for nm, k in zip(names, keys) if k in types]
        for k, nm in zip(keys, names):
            if k not in types:  # a variable, or a hint for an undecided op output (recomputed at the end)
                t = _proposal(n, nm, known)
                if t is not None:
                    types[k] = t
                    changed = True
        if all(k in types for k in keys) and (final or (id(n), 0) not in types):
            outs = _outputs(n, [types[k] for k in keys], shapes)
            for i, t in enumerate(outs):
                if types.get((id(n), i)) is not t:
                    types[(id(n), i)] = t
                    changed = True
    return changed


def _backward(ops, types) -> bool:
    changed = False
    for n in reversed(ops):
        out = types.get((id(n), 0))
        if out is None or not _keeps_dtype(n):
            continue
        for (c, i), nm in zip(n.inputs, _input_names(n)):
            k = (id(c), i)
            if k in types or nm in _INDEX_INPUTS.get(n.op.name, ()):
                continue
            if nm in _FLOAT32_FOR_HALF.get(n.op.name, ()) or (n.op.name == "Embedding" and nm == "weight"):
                continue
            types[k] = out
            changed = True
    return changed


def entry_shapes(sym, shape_kwargs: dict) -> dict[Key, Any]:
    """Shapes of every node output that shape inference decides (``{}`` if it fails)."""
    internals = sym.get_internals()
    try:
        _, outs, _, _ = internals._infer_shape((), shape_kwargs)
    except MXNetError:
        return {}
    return {(id(n), i): s for (n, i), s in zip(internals._outputs, outs)}


def as_type(v):
    """A dtype spelling (name, NumPy/torch dtype, MXNet type code string) as the type MXNet reports."""
    if isinstance(v, str) and v.strip().isdigit():
        return _dtype.from_torch(_dtype.MX_CODE_TYPE[int(v)])
    d = _dtype.np_dtype(v)
    return d if d == _dtype.bfloat16 else d.type
