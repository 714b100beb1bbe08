"""Recorded calls, their signatures, and batched execution.

A group of calls with one signature runs as one call: each batched input is *gathered*
from the buffers that earlier groups produced (a slice when the rows are already in order,
else one ``index_select``), the op's torch implementation or the block runs once, and each
output stays one batched buffer; a call's results are a row range of it. Inputs an op's batch
rule marks ``unbatched`` (weights) must be the same array in every call of a group and are
passed once. Under ``autograd.record()`` the gathers are recorded too, so gradients reach
every sample — with a handful of autograd nodes per group rather than one per sample.
"""
from __future__ import annotations

import numpy as np
import torch

from .. import _dtype, _state
from ..base import GluonicValueError, MXNetError
from ..compile.cached_op import hybridize_enabled
from ..gluon.block import _flatten, _regroup
from ..ndarray.ndarray import NDArray, _wrap_as
from ..numpy._array import ndarray as _np_ndarray
from ..ops.infer import infer
from ._lazy import LAZY_CLASSES as _LAZY
from ._lazy import LazyNpArray as _LazyNpArray

_OP_META: dict = {}


class Call:
    """One recorded call: an op, a block, or an unbatchable Python function on a tensor.

    After it ran, ``bufs`` are its group's output buffers, batched along ``axis`` (None: the
    buffers are exactly this call's outputs), and its rows start at ``off``.
    """

    __slots__ = ("kind", "target", "attrs", "inputs", "fmt", "out_fmt", "key", "depth", "mark", "outs", "modes", "n",
                 "axis", "ctx", "waiting", "users", "bufs", "off", "extra", "cls")

    def __init__(self, kind, target, attrs, inputs, fmt, key, modes, n, axis, ctx, cls, producers, depth):
        self.kind, self.target, self.attrs, self.inputs, self.fmt = kind, target, attrs, inputs, fmt
        self.key, self.modes, self.n, self.axis, self.ctx = key, modes, n, axis, ctx
        self.cls = cls  # the class of its lazy results (LazyNpArray in NumPy mode)
        self.waiting = len(producers)  # calls it waits for (the agenda's dependency count)
        self.depth = depth + 1  # 1 + the deepest call it depends on
        self.mark = (self.depth, key)  # which later group it belongs to, as its producers' consumer
        self.out_fmt = 0
        self.users: list[Call] = []
        self.bufs = None
        self.off = 0
        self.extra = None  # {consumer mark: (bufs, off)}: copies of the rows for other consumers

    def view(self, index: int) -> torch.Tensor:
        """This call's output ``index`` (a view of its group's buffer)."""
        buf = self.bufs[index]
        if self.axis is None:
            return buf
        return buf.narrow(self.axis, self.off, self.n)


# ---------------------------------------------------------------------- signatures
_TEMPLATES: dict = {}  # batching template -> a small int (cheap to hash in per-call keys)


def _intern(template) -> int:
    tid = _TEMPLATES.get(template)
    if tid is None:
        tid = _TEMPLATES[template] = len(_TEMPLATES)
    return tid


def op_signature(op, attrs, metas: tuple):
    """``(out_meta, template, unbatched_positions, n, axis)`` of an op call, cached per (op, attrs, metas).

    ``metas`` are the inputs' (shape, torch dtype) (None for an absent input); ``out_meta`` lists
    the outputs' (meta-tensor inference); ``template`` is an int naming the batching signature
    (without the identities of the unbatched inputs), None when the call cannot batch with
    others; ``n`` is its size along the batch axis ``axis``.
    """
    key = (op, attrs, metas)
    sig = _OP_META.get(key)
    if sig is None:
        shapes = [None if m is None else m[0] for m in metas]
        np_dtypes = [None if m is None else _dtype.from_torch(m[1]) for m in metas]
        out_meta = [(tuple(s), _dtype.to_torch(d)) for s, d in infer(op, shapes, np_dtypes, attrs)]
        sig = (out_meta, *_op_template(op, attrs, metas, out_meta))
        if len(_OP_META) < 65536:
            _OP_META[key] = sig
    return sig


def _op_template(op, attrs, metas, out_meta):
    rule = op.batch_rule
    if rule is None or rule.axis is None:
        return None, (), 0, None
    if rule.when is not None:
        try:
            if not rule.when(attrs, tuple(None if m is None else m[0] for m in metas)):
                return None, (), 0, None
        except Exception:  # noqa: BLE001 - undecidable: run the call on its own
            return None, (), 0, None
    axis, unbatched = rule.axis, rule.unbatched
    n = None
    parts, same = [], []
    for i, m in enumerate(metas):
        if m is None:
            parts.append(None)
            continue
        s, d = m
        if i in unbatched:
            parts.append("same")
            same.append(i)
        else:
            if len(s) <= axis or (n is not None and s[axis] != n):
                return None, (), 0, None
            n = s[axis]
            parts.append((s[:axis] + s[axis + 1:], d))
    if not n or any(len(s) <= axis or s[axis] != n for s, _ in out_meta):
        return None, (), 0, None
    return _intern((op, attrs, tuple(parts))), tuple(same), n, axis


def block_signature(block, fmt_key, fmt, metas: tuple):
    """``(out_meta, out_fmt, template, n)`` of a block call, traced once per signature; None if untraceable."""
    # Cached on the block itself (cleared with its cached graphs): a global cache keyed by
    # id(block) handed a dead block's shapes to a new block that reused its id.
    cache = block.__dict__.get("_fold_signatures")
    if cache is None:
        cache = block.__dict__["_fold_signatures"] = {}
    key = (fmt_key, metas)
    sig = cache.get(key)
    if sig is None:
        shapes = tuple(None if m is None else m[0] for m in metas)
        dtypes = tuple(None if m is None else m[1] for m in metas)
        meta = _trace_block(block, fmt, shapes, dtypes)
        sig = (*meta, *_block_template(block, fmt_key, metas, meta[0])) if meta else False
        cache[key] = sig
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
    if out_fmt.__class__ is list and all(f == 0 for f in out_fmt):
        out_fmt = _FLAT  # a plain list of arrays (the common case; regrouping it is a copy)
    return [(tuple(s), _dtype.to_torch(t)) for s, t in zip(out_shapes, out_types)], out_fmt


_FLAT = "flat"


def _block_template(block, fmt_key, metas, out_meta):
    n = None
    parts = []
    for m in metas:
        if m is None:
            parts.append(None)
            continue
        s, d = m
        if not s or (n is not None and s[0] != n):
            return None, 0
        n = s[0]
        parts.append((s[1:], d))
    if not n or any(not s or s[0] != n for s, _ in out_meta):
        return None, 0
    return _intern((id(block), fmt_key, tuple(parts))), n


# ---------------------------------------------------------------------- gathering inputs
def gather(items, axis: int, device, consumers=None) -> torch.Tensor:
    """The inputs ``items`` (one per call of a group) stacked along ``axis``.

    Results of earlier groups are rows of those groups' buffers. The rows taken from each buffer
    are a slice when consecutive, else one ``index_select``; several buffers' rows are
    concatenated (and put back in item order with one more ``index_select`` when the items
    alternate between buffers). Constants of a group become one tensor. ``consumers`` (the
    calls reading ``items``, in order) pick the copy of a result that was laid out for them (see
    :func:`_set_outputs_by_consumer`).
    """
    first = items[0]
    if first.__class__ in _LAZY and first._const is not None and all(
            x.__class__ in _LAZY and x._const is not None for x in items):
        return torch.from_numpy(np.concatenate([x._const for x in items], axis=axis)).to(device)
    where: dict = {}  # id(buffer) -> its number in parts
    parts: list = []  # the source buffers, in order of first use
    local: list = []  # per row taken, in item order: its row in its source
    seq: list = []  # per row taken: the number of its source
    find, add_local, add_seq, lazy = where.get, local.append, seq.append, _LAZY
    for j, x in enumerate(items):
        node = x._node if x.__class__ in lazy else None
        if node is not None and node.bufs is not None and (node.axis is None or node.axis == axis):
            extra = node.extra
            if extra is not None and consumers is not None:
                bufs, start = extra.get(consumers[j].mark, (node.bufs, node.off))
            else:
                bufs, start = node.bufs, node.off
            buf = bufs[x._index]
            n = x._meta[0][axis]
        else:
            buf = x._tensor
            start = 0
            n = buf.shape[axis]
        k = find(id(buf))
        if k is None:
            k = where[id(buf)] = len(parts)
            parts.append(buf)
        if n == 1:
            add_local(start)
            add_seq(k)
        else:
            local.extend(range(start, start + n))
            seq.extend([k] * n)
    if len(parts) == 1:
        return _take(parts[0], local, axis)
    return _gather_rows(parts, seq, local, axis)


def _gather_rows(parts, seq, local, axis):
    """Rows ``local[i]`` of ``parts[seq[i]]``, in order, along ``axis``."""
    count = len(seq)
    bases, total = [], 0
    for p in parts:
        bases.append(total)
        total += p.shape[axis]
    if torch.is_grad_enabled() and total <= 4 * count:
        # Sources mostly read (chunks laid out for this group): one concatenation and one
        # index_select, whose backward is a single scatter into the concatenated gradient.
        rows = [bases[k] + r for k, r in zip(seq, local)]
        if count == total and rows == list(range(total)):
            return torch.cat(parts, dim=axis)
        return torch.cat(parts, dim=axis).index_select(axis, _index(rows, parts[0].device))
    # Few rows of big sources: take each source's rows, then restore the item order if needed.
    grouped = all(a <= b for a, b in zip(seq, seq[1:]))
    order = range(count) if grouped else sorted(range(count), key=seq.__getitem__)
    picks: list = [[] for _ in parts]
    for i in order:
        picks[seq[i]].append(local[i])
    out = torch.cat([_take(p, rows, axis) for p, rows in zip(parts, picks)], dim=axis)
    if grouped:
        return out
    inverse = [0] * count
    for pos, i in enumerate(order):
        inverse[i] = pos
    return out.index_select(axis, _index(inverse, out.device))


def _take(src: torch.Tensor, rows: list, axis: int) -> torch.Tensor:
    """``src``'s ``rows`` along ``axis``: itself, a slice when they are consecutive, else an ``index_select``."""
    r0, count = rows[0], len(rows)
    if rows[-1] - r0 == count - 1 and (count < 3 or rows == list(range(r0, r0 + count))):
        return src if r0 == 0 and count == src.shape[axis] else src.narrow(axis, r0, count)
    return src.index_select(axis, _index(rows, src.device))


def _index(rows, device) -> torch.Tensor:
    t = torch.from_numpy(np.asarray(rows, dtype=np.int64))
    return t if device.type == "cpu" else t.to(device)


# ---------------------------------------------------------------------- running groups
def _by_consumer(group):
    """``(calls in buffer order, chunks, copies)``: the group's calls bucketed by who will read their
    results, the (depth, signature) of each call's first user, so that the calls one later group
    reads sit next to each other in the output buffers. ``copies`` are ``(mark, call)`` for the
    results that other consumers read too."""
    chunks: dict = {}  # consumer mark -> [calls]
    copies: list = []
    for c in group:
        users = c.users
        if users:
            mark = users[0].mark
            if len(users) > 1:
                seen = {mark}
                for u in users[1:]:
                    other = u.mark
                    if other not in seen:
                        seen.add(other)
                        copies.append((other, c))
        else:
            mark = None
        calls = chunks.get(mark)
        if calls is None:
            chunks[mark] = [c]
        else:
            calls.append(c)
    ordered = group if len(chunks) == 1 else [c for calls in chunks.values() for c in calls]
    return ordered, chunks, copies


def _set_outputs(group, tensors, axis) -> None:
    """Give each call its rows of the group's outputs, in the group's order (one buffer per output)."""
    if len(group) == 1:
        c = group[0]
        c.bufs, c.off, c.axis = tensors, 0, None
        return
    off = 0
    for c in group:
        c.bufs, c.off, c.axis = tensors, off, axis
        off += c.n


def _set_outputs_by_consumer(group, chunks, copies, tensors, axis) -> None:
    """Give each call its rows of the group's outputs, laid out for the backward pass.

    ``group``, ``chunks`` and ``copies`` come from :func:`_by_consumer`. The outputs are split into
    chunks, one per consumer: a later group then gathers from chunks of about its own size, so
    the backward pass of its gather fills and accumulates gradients of that size rather than of
    the whole buffer. A result read by several consumers (a shared subtree, a reused lookup) is
    copied into each one's chunk. Without autograd none of this pays off, and
    :func:`_set_outputs` is used instead.
    """
    if len(chunks) == 1 and not copies:
        return _set_outputs(group, tensors, axis)
    if copies:  # lay the rows out per consumer, copying the shared ones
        start, offsets = 0, {}
        for c in group:
            offsets[c] = start
            start += c.n
        for mark, c in copies:
            chunks.setdefault(mark, []).append(c)
        rows = [r for calls in chunks.values() for c in calls for r in range(offsets[c], offsets[c] + c.n)]
        index = _index(rows, tensors[0].device)
        tensors = [t.index_select(axis, index) for t in tensors]
    sizes = [sum(c.n for c in calls) for calls in chunks.values()]
    pieces = list(zip(*[t.split(sizes, dim=axis) for t in tensors]))
    for (mark, calls), bufs in zip(chunks.items(), pieces):
        off = 0
        for c in calls:
            if c.bufs is None:
                c.bufs, c.off, c.axis = bufs, off, axis
            else:
                if c.extra is None:
                    c.extra = {}
                c.extra[mark] = (bufs, off)
            off += c.n


def _run_op_group(group) -> None:
    first = group[0]
    op, attrs = first.target, first.attrs
    if len(group) == 1:
        outs = _call_impl(op, [None if x is None else x._tensor for x in first.inputs], attrs)
        _set_outputs(group, outs, None)
        return
    axis, unbatched = op.batch_rule.axis, op.batch_rule.unbatched
    device = first.ctx.torch_device
    group, consumers, set_outputs = _layout(group)
    tensors = []
    for i, column in enumerate(zip(*[c.inputs for c in group])):
        x = column[0]
        if x is None or i in unbatched:
            tensors.append(None if x is None else x._tensor)
        else:
            tensors.append(gather(column, axis, device, consumers))
    set_outputs(group, _call_impl(op, tensors, attrs), axis)


def _layout(group):
    """``(group, consumers, output setter)``: with autograd recording, the group's rows are ordered
    and chunked by consumer (cheaper backward); without, they stay as recorded (cheaper forward)."""
    if group[0].modes[0]:
        ordered, chunks, copies = _by_consumer(group)
        return ordered, ordered, lambda g, tensors, axis: _set_outputs_by_consumer(g, chunks, copies, tensors, axis)
    return group, None, _set_outputs


def _call_impl(op, tensors, attrs) -> list[torch.Tensor]:
    out = op.impl(*tensors, a=attrs) if attrs is not None else op.impl(*tensors)
    return [out] if isinstance(out, torch.Tensor) else list(out)


def _run_block_group(group) -> None:
    first = group[0]
    block, ctx = first.target, first.ctx
    cls = _np_ndarray if first.cls is _LazyNpArray else NDArray

    def wrap(t, ctx):
        return _wrap_as(cls, t, ctx)

    set_outputs = _set_outputs
    if len(group) == 1:
        flat = [None if x is None else wrap(x._tensor, ctx) for x in first.inputs]
    else:
        device = ctx.torch_device
        group, consumers, set_outputs = _layout(group)
        flat = [None if column[0] is None else wrap(gather(column, 0, device, consumers), ctx)
                for column in zip(*[c.inputs for c in group])]
    graph = _batched_graph(block, first, flat, ctx)
    if graph is not None:
        out = graph(flat, ctx)
    else:
        out = block(*(_regroup(flat, first.fmt)[0] if first.fmt != 0 else flat))
    outs, _ = _flatten(out, "output")
    set_outputs(group, [o._tensor for o in outs], 0)


_MISSING = object()


def _batched_graph(block, first, flat, ctx):
    """A hybridized block's compiled graph that runs a group of any size, or None (call the block).

    A hybridized block would otherwise trace and compile once per group size. The graph is traced
    at the per-sample shapes and at twice the batch; only when both traces agree (the code does not
    read the batch size) is one graph used for every size. Blocks with hooks keep being called, so
    their hooks run. Cached on the block per signature and train/predict mode.
    """
    template = first.key[0]  # an int for batchable calls; unbatchable ones run alone, called as usual
    if (template.__class__ is not int or not getattr(block, "_active", False) or block._forward_pre_hooks
            or block._forward_hooks):
        return None
    graphs = block.__dict__.get("_fold_graphs")
    if graphs is None:
        graphs = block.__dict__["_fold_graphs"] = {}
    key = (template, first.modes[1])
    graph = graphs.get(key, _MISSING)
    if graph is _MISSING:
        graph = graphs[key] = _compile_batched(block, first, flat, ctx)
    return graph


def _compile_batched(block, first, flat, ctx):
    if not hybridize_enabled():
        return None
    present = [x is not None for x in first.inputs]
    shapes = [None if x is None else tuple(x.shape) for x in first.inputs]
    doubled = [None if s is None else (2 * s[0], *s[1:]) for s in shapes]
    try:
        one = block._graph_for(present, first.fmt, shapes)[1].tojson()
        two = block._graph_for(present, first.fmt, doubled)[1].tojson()
    except (MXNetError, AttributeError, TypeError, ValueError):
        return None
    if one != two:
        return None
    return block._compile(flat, first.fmt, ctx, shapes, backend=None)


def run_group(group, where: dict) -> None:
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
                _set_outputs([c], [c.target(c.inputs[0]._tensor)], None)
    except Exception as e:  # noqa: BLE001 - re-raised naming the user's line
        raise _located(group, where.get(first.key, ("?", 0, "")), e) from e
    finally:
        torch.set_grad_enabled(prev_grad)
        _state.recording.reset(r_token)
        _state.training.reset(t_token)
    for c in group:  # the values live in the buffers now; drop the links (no reference cycles)
        c.inputs = c.outs = None


def _located(group, where, err: Exception) -> Exception:
    """The error of a batched call, naming where (a) call of the group was recorded in the user's code."""
    file, line, func = where
    what = group[0].target.name if group[0].kind != "fn" else "indexing"
    extra = f" (batched with {len(group) - 1} similar calls)" if len(group) > 1 else ""
    message = f"{err} — in the folded call of {what} recorded at {file}:{line} (in {func}){extra}"
    try:
        return type(err)(message) if isinstance(err, MXNetError) else GluonicValueError(message)
    except TypeError:  # an error class whose constructor takes other arguments
        return GluonicValueError(message)

__all__ = ["Call", "op_signature", "block_signature", "run_group", "gather"]
