"""ONNX conversions: shapes and indexing (Reshape with MXNet's special codes, transpose, slicing,
take/pick/one_hot, tile/repeat/Pad, split/concat/stack, sort/topk, sequence ops).

Dimensions that vary at run time are read from the graph (``Shape``), so a model exported
with ``dynamic=True`` keeps working for other batch sizes.
"""
from __future__ import annotations

import numpy as np

from ._graph import NodeContext, onnx_rule

_INT_MAX = np.iinfo(np.int64).max
_INT_MIN = np.iinfo(np.int64).min


# ---------------------------------------------------------------------- Reshape
def _mul_dims(ctx: NodeContext, a: str, b: str) -> str:
    va, vb = ctx.value(a), ctx.value(b)
    if va is not None and vb is not None:
        return ctx.ints([int(va[0]) * int(vb[0])])
    return ctx.op("Mul", a, b, dtype=np.int64, shape=(1,))


def _reshape_dims(ctx: NodeContext, x: str, codes, nsrc: int, src_dim) -> list[str]:
    """Output dimensions (1-element int64 tensors; -1 left to ONNX) of MXNet's Reshape codes."""
    out: list[str] = []
    i = j = 0
    codes = list(codes)
    while i < len(codes):
        c = codes[i]
        if c == 0:
            out.append(src_dim(j))
            j += 1
        elif c == -1:
            out.append(ctx.ints([-1]))
            j += 1
        elif c == -2:
            out.extend(src_dim(k) for k in range(j, nsrc))
            j = nsrc
        elif c == -3:
            out.append(_mul_dims(ctx, src_dim(j), src_dim(j + 1)))
            j += 2
        elif c == -4:
            d0, d1 = codes[i + 1], codes[i + 2]
            i += 2
            whole = src_dim(j)
            j += 1
            if d0 == -1 or d1 == -1:
                known = d1 if d0 == -1 else d0
                wv = ctx.value(whole)
                other = (ctx.ints([int(wv[0]) // known]) if wv is not None
                         else ctx.op("Div", whole, ctx.ints([known]), dtype=np.int64, shape=(1,)))
                out.extend([other, ctx.ints([d1])] if d0 == -1 else [ctx.ints([d0]), other])
            else:
                out.extend([ctx.ints([d0]), ctx.ints([d1])])
        else:
            out.append(ctx.ints([c]))
            j += 1
        i += 1
    return out


@onnx_rule("Reshape", "reshape")
def _reshape(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    codes = tuple(a.shape) or tuple(a.target_shape)
    r = ctx.rank(x)
    if not a.shape and a.target_shape:
        raise ctx.fail("the legacy target_shape attribute is not supported; use shape")
    if a.reverse:
        out_shape = ctx.out_shapes[0]
        if out_shape is not None and all(d is not None for d in out_shape):
            return ctx.reshape(x, list(out_shape))
        if -4 in codes:
            raise ctx.fail("reverse=True with -4 needs static shapes")
        dims = _reshape_dims(ctx, x, codes[::-1], r, lambda k: ctx.dim(x, r - 1 - k))[::-1]
    else:
        dims = _reshape_dims(ctx, x, codes, r, lambda k: ctx.dim(x, k))
    return ctx.reshape(x, ctx.concat_ints(dims))


@onnx_rule("reshape_like")
def _reshape_like(ctx: NodeContext):
    a = ctx.attrs
    lhs, rhs = ctx.inputs
    if any(v is not None for v in (a.lhs_begin, a.lhs_end, a.rhs_begin, a.rhs_end)):
        rl, rr = ctx.rank(lhs), ctx.rank(rhs)
        lb, le = a.lhs_begin or 0, rl if a.lhs_end is None else a.lhs_end
        rb, re_ = a.rhs_begin or 0, rr if a.rhs_end is None else a.rhs_end
        lb, le, rb, re_ = lb % (rl + 1), le % (rl + 1), rb % (rr + 1), re_ % (rr + 1)
        parts = [ctx.dims(lhs, 0, lb) if lb else None, ctx.dims(rhs, rb, re_) if re_ > rb else None,
                 ctx.dims(lhs, le) if le < rl else None]
        return ctx.reshape(lhs, ctx.concat_ints([p for p in parts if p is not None]))
    return ctx.reshape(lhs, ctx.shape_of(rhs))


@onnx_rule("transpose")
def _transpose(ctx: NodeContext):
    axes = tuple(ctx.attrs.axes)
    r = ctx.rank(0)
    perm = [ax % r for ax in axes] if axes else list(range(r - 1, -1, -1))
    return ctx.transpose(ctx.x, perm)


@onnx_rule("SwapAxis", "swapaxes")
def _swapaxis(ctx: NodeContext):
    r = ctx.rank(0)
    perm = list(range(r))
    d1, d2 = ctx.attrs.dim1 % r, ctx.attrs.dim2 % r
    perm[d1], perm[d2] = perm[d2], perm[d1]
    return ctx.transpose(ctx.x, perm)


@onnx_rule("expand_dims")
def _expand_dims(ctx: NodeContext):
    r = ctx.rank(0)
    ax = ctx.attrs.axis
    return ctx.unsqueeze(ctx.x, [ax if ax >= 0 else ax + r + 1])


@onnx_rule("squeeze")
def _squeeze(ctx: NodeContext):
    axis = ctx.attrs.axis
    if axis is None:
        s = ctx.shape(0)
        if all(d is not None for d in s):
            axes = [k for k, d in enumerate(s) if d == 1]
            if len(axes) == len(s):  # MXNet keeps one axis: squeezing (1, 1) gives (1,)
                return ctx.reshape(ctx.x, [1])
            return ctx.squeeze(ctx.x, axes) if axes else ctx.op("Identity", ctx.x)
        return ctx.squeeze(ctx.x)
    axes = [axis] if isinstance(axis, int) else list(axis)
    return ctx.squeeze(ctx.x, axes)


@onnx_rule("broadcast_to")
def _broadcast_to(ctx: NodeContext):
    shape = [1 if d == 0 else d for d in ctx.attrs.shape]  # 0 keeps the input's size; Expand keeps it for 1
    return ctx.op("Expand", ctx.x, ctx.ints(shape))


@onnx_rule("broadcast_axis", "broadcast_axes")
def _broadcast_axis(ctx: NodeContext):
    r = ctx.rank(0)
    shape = [1] * r
    axes, sizes = ctx.attrs.axis, ctx.attrs.size
    axes = (axes,) if isinstance(axes, int) else axes
    sizes = (sizes,) if isinstance(sizes, int) else sizes
    for ax, sz in zip(axes, sizes):
        shape[ax % r] = sz
    return ctx.op("Expand", ctx.x, ctx.ints(shape))


@onnx_rule("broadcast_like")
def _broadcast_like(ctx: NodeContext):
    a = ctx.attrs
    lhs, rhs = ctx.inputs
    if a.lhs_axes is None and a.rhs_axes is None:
        return ctx.op("Expand", lhs, ctx.shape_of(rhs))
    rl = ctx.rank(lhs)
    parts = [ctx.ints([1])] * rl
    for la, ra in zip(a.lhs_axes, a.rhs_axes):
        parts[la % rl] = ctx.dim(rhs, ra)
    return ctx.op("Expand", lhs, ctx.concat_ints(parts))


@onnx_rule("shape_array")
def _shape_array(ctx: NodeContext):
    return ctx.cast(ctx.shape_of(ctx.x), ctx.out_dtypes[0])


@onnx_rule("size_array")
def _size_array(ctx: NodeContext):
    return ctx.cast(ctx.reshape(ctx.op("Size", ctx.x, dtype=np.int64), [1]), ctx.out_dtypes[0])


# ---------------------------------------------------------------------- slicing
def _slice(ctx, x, starts, ends, axes, steps):
    return ctx.op("Slice", x, ctx.ints(starts), ctx.ints(ends), ctx.ints(axes), ctx.ints(steps))


@onnx_rule("slice", "crop")
def _slice_rule(ctx: NodeContext):
    a = ctx.attrs
    starts, ends, axes, steps = [], [], [], []
    step_t = tuple(a.step) if a.step else ()
    for ax, (b, e) in enumerate(zip(a.begin, a.end)):
        s = step_t[ax] if ax < len(step_t) and step_t[ax] is not None else 1
        if b is None and e is None and s == 1:
            continue
        if s > 0:
            starts.append(0 if b is None else b)
            ends.append(_INT_MAX if e is None else e)
        else:
            starts.append(_INT_MAX if b is None else b)
            ends.append(_INT_MIN if e is None else e)
        axes.append(ax)
        steps.append(s)
    if not axes:
        return ctx.op("Identity", ctx.x)
    return _slice(ctx, ctx.x, starts, ends, axes, steps)


@onnx_rule("slice_axis")
def _slice_axis(ctx: NodeContext):
    a = ctx.attrs
    end = _INT_MAX if a.end is None else a.end
    return _slice(ctx, ctx.x, [a.begin], [end], [a.axis], [1])


@onnx_rule("slice_like")
def _slice_like(ctx: NodeContext):
    x, like = ctx.inputs
    axes = list(ctx.attrs.axes) or list(range(min(ctx.rank(x), ctx.rank(like))))
    r = ctx.rank(like)
    ends = ctx.concat_ints([ctx.dim(like, ax % r) for ax in axes])
    return ctx.op("Slice", x, ctx.ints([0] * len(axes)), ends, ctx.ints([ax % ctx.rank(x) for ax in axes]))


@onnx_rule("reverse", "flip")
def _reverse(ctx: NodeContext):
    axes = ctx.attrs.axis
    axes = [axes] if isinstance(axes, int) else list(axes)
    n = len(axes)
    return _slice(ctx, ctx.x, [-1] * n, [_INT_MIN] * n, axes, [-1] * n)


# ---------------------------------------------------------------------- indexing
def _index(ctx: NodeContext, idx: str, data: str, axis: int, mode: str) -> str:
    """Indices as int64 made valid for ``data``'s ``axis`` ('clip' or 'wrap', as MXNet)."""
    idx = ctx.cast(idx, np.int64)
    n = ctx.squeeze(ctx.dim(data, axis), [0])
    if mode == "wrap":
        return ctx.op("Mod", idx, n, fmod=0)
    return ctx.op("Clip", idx, ctx.const(np.int64(0)), ctx.op("Sub", n, ctx.const(np.int64(1))))


@onnx_rule("take")
def _take(ctx: NodeContext):
    data, idx = ctx.inputs
    axis = ctx.attrs.axis % ctx.rank(data)
    return ctx.op("Gather", data, _index(ctx, idx, data, axis, ctx.attrs.mode), axis=axis)


@onnx_rule("pick", "choose_element_0index")
def _pick(ctx: NodeContext):
    data, idx = ctx.inputs
    a = ctx.attrs
    r = ctx.rank(data)
    axis = (-1 if a.axis is None else a.axis) % r
    i = _index(ctx, idx, data, axis, a.mode)
    if ctx.rank(idx) == r - 1:
        i = ctx.unsqueeze(i, [axis])
    y = ctx.op("GatherElements", data, i, axis=axis)
    return y if a.keepdims else ctx.squeeze(y, [axis])


@onnx_rule("one_hot")
def _one_hot(ctx: NodeContext):
    a = ctx.attrs
    dt = ctx.out_dtypes[0]
    values = ctx.const(np.asarray([a.off_value, a.on_value], dtype=dt))
    return ctx.op("OneHot", ctx.cast(ctx.x, np.int64), ctx.ints([a.depth]), values, axis=-1)


@onnx_rule("gather_nd")
def _gather_nd(ctx: NodeContext):
    data, idx = ctx.inputs
    r = ctx.rank(idx)
    i = ctx.transpose(ctx.cast(idx, np.int64), list(range(1, r)) + [0])  # MXNet puts the index tuple first
    return ctx.op("GatherND", data, i)


# ---------------------------------------------------------------------- tile, repeat, pad
@onnx_rule("tile")
def _tile(ctx: NodeContext):
    reps = list(ctx.attrs.reps)
    x, r = ctx.x, ctx.rank(0)
    if len(reps) > r:
        x = ctx.unsqueeze(x, list(range(len(reps) - r)))
    reps = [1] * (r - len(reps)) + reps
    return ctx.op("Tile", x, ctx.ints(reps))


@onnx_rule("repeat")
def _repeat(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    rep = int(a.repeats)
    if a.axis is None:
        y = ctx.op("Tile", ctx.reshape(x, [-1, 1]), ctx.ints([1, rep]))
        return ctx.reshape(y, [-1])
    r = ctx.rank(0)
    axis = a.axis % r
    y = ctx.op("Tile", ctx.unsqueeze(x, [axis + 1]), ctx.ints([1] * (axis + 1) + [rep] + [1] * (r - axis - 1)))
    parts = [ctx.dims(x, 0, axis) if axis else None, _mul_dims(ctx, ctx.dim(x, axis), ctx.ints([rep])),
             ctx.dims(x, axis + 1) if axis + 1 < r else None]
    return ctx.reshape(y, ctx.concat_ints([p for p in parts if p is not None]))


@onnx_rule("Pad", "pad")
def _pad(ctx: NodeContext):
    a = ctx.attrs
    w = list(a.pad_width)
    pads = w[0::2] + w[1::2]
    value = ctx.scalar(a.constant_value, like=0)
    return ctx.op("Pad", ctx.x, ctx.ints(pads), value if a.mode == "constant" else None, mode=a.mode)


# ---------------------------------------------------------------------- split, concat, stack
@onnx_rule("SliceChannel", "split")
def _split(ctx: NodeContext):
    a = ctx.attrs
    n = int(a.num_outputs)
    axis = a.axis % ctx.rank(0)
    if n == 1:
        outs = [ctx.op("Identity", ctx.x)]
    elif ctx.opset >= 18:
        outs = ctx.op("Split", ctx.x, outputs=n, axis=axis, num_outputs=n)
    else:
        outs = ctx.op("Split", ctx.x, outputs=n, axis=axis)
    if a.squeeze_axis:
        outs = [ctx.squeeze(o, [axis]) for o in outs]
    return outs


@onnx_rule("Concat", "concat")
def _concat(ctx: NodeContext):
    return ctx.op("Concat", *ctx.inputs, axis=int(ctx.attrs.dim))


@onnx_rule("_rnn_param_concat")
def _rnn_param_concat(ctx: NodeContext):
    return ctx.op("Concat", *ctx.inputs, axis=int(ctx.attrs.dim))


@onnx_rule("stack")
def _stack(ctx: NodeContext):
    r = ctx.rank(0)
    axis = ctx.attrs.axis % (r + 1)
    return ctx.op("Concat", *[ctx.unsqueeze(x, [axis]) for x in ctx.inputs], axis=axis)


@onnx_rule("depth_to_space")
def _depth_to_space(ctx: NodeContext):
    return ctx.op("DepthToSpace", ctx.x, blocksize=int(ctx.attrs.block_size), mode="DCR")


@onnx_rule("space_to_depth")
def _space_to_depth(ctx: NodeContext):
    return ctx.op("SpaceToDepth", ctx.x, blocksize=int(ctx.attrs.block_size))


# ---------------------------------------------------------------------- sorting
def _topk(ctx: NodeContext, axis: int, k: int | None, ascend: bool, x: str | None = None):
    x = x or ctx.x
    axis = axis % ctx.rank(x)
    kk = ctx.dim(x, axis) if k is None or k < 1 else ctx.ints([k])
    return ctx.op("TopK", x, kk, outputs=2, axis=axis, largest=int(not ascend), sorted=1,
                  dtype=[ctx.dtype(x), np.int64])


@onnx_rule("topk")
def _topk_rule(ctx: NodeContext):
    a = ctx.attrs
    axis = -1 if a.axis is None else a.axis
    x = ctx.x
    if a.axis is None:
        x = ctx.reshape(x, [-1], out_shape=(None,))
    values, indices = _topk(ctx, axis, a.k, a.is_ascend, x)
    idx = ctx.cast(indices, a.dtype) if a.ret_typ != "value" else indices
    if a.ret_typ == "value":
        return values
    if a.ret_typ == "indices":
        return idx
    if a.ret_typ == "both":
        return [values, idx]
    raise ctx.fail("ret_typ='mask' has no ONNX conversion")


@onnx_rule("sort")
def _sort(ctx: NodeContext):
    return _topk(ctx, ctx.attrs.axis if ctx.attrs.axis is not None else -1, None, ctx.attrs.is_ascend)[0]


@onnx_rule("argsort")
def _argsort(ctx: NodeContext):
    a = ctx.attrs
    _, idx = _topk(ctx, a.axis if a.axis is not None else -1, None, a.is_ascend)
    return ctx.cast(idx, a.dtype)


# ---------------------------------------------------------------------- sequences (time-major, axis 0 or 1)
def _seq_mask(ctx: NodeContext, lengths: str, axis: int) -> str:
    """Bool mask (T, B) (axis 0) or (B, T) (axis 1): position < length."""
    x = ctx.x
    t = ctx.squeeze(ctx.dim(x, axis), [0])
    steps = ctx.op("Range", ctx.const(np.int64(0)), t, ctx.const(np.int64(1)), dtype=np.int64)
    lens = ctx.cast(lengths, np.int64)
    if axis == 0:
        return ctx.op("Less", ctx.unsqueeze(steps, [1]), ctx.unsqueeze(lens, [0]))
    return ctx.op("Less", ctx.unsqueeze(steps, [0]), ctx.unsqueeze(lens, [1]))


@onnx_rule("SequenceMask")
def _sequence_mask(ctx: NodeContext):
    a = ctx.attrs
    if not a.use_sequence_length:
        return ctx.op("Identity", ctx.x)
    m = _seq_mask(ctx, ctx.inputs[1], a.axis)
    r = ctx.rank(0)
    if r > 2:
        m = ctx.unsqueeze(m, list(range(2, r)))
    return ctx.op("Where", m, ctx.x, ctx.scalar(a.value, like=0))


@onnx_rule("SequenceLast")
def _sequence_last(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    if not a.use_sequence_length:
        return ctx.squeeze(_slice(ctx, x, [-1], [_INT_MAX], [a.axis], [1]), [a.axis])
    last = ctx.op("Sub", ctx.cast(ctx.inputs[1], np.int64), ctx.const(np.int64(1)))  # (B,)
    xb = x if a.axis == 1 else ctx.transpose(x, [1, 0] + list(range(2, ctx.rank(0))))  # (B, T, ...)
    r = ctx.rank(0)
    idx = ctx.unsqueeze(last, list(range(1, r)))  # (B, 1, 1...)
    shape = ctx.concat_ints([ctx.dim(xb, 0), ctx.ints([1]), ctx.dims(xb, 2)])
    idx = ctx.op("Expand", idx, shape)
    return ctx.squeeze(ctx.op("GatherElements", xb, idx, axis=1), [1])


@onnx_rule("SequenceReverse")
def _sequence_reverse(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    if a.axis != 0:
        raise ctx.fail(f"only axis=0 is supported. Received: axis={a.axis}")
    if not a.use_sequence_length:
        return _slice(ctx, x, [-1], [_INT_MIN], [0], [-1])
    lens = ctx.cast(ctx.inputs[1], np.int64)
    return ctx.op("ReverseSequence", x, lens, batch_axis=1, time_axis=0)
