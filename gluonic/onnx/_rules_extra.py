"""ONNX conversions of less common operators: image preprocessing (``ToTensor``, ``Normalize``),
``linalg_gemm``, ``smooth_l1``, NaN-aware reductions, ``arange_like``, and NumPy-interface
extras (``tril``/``triu``, ``roll``, ``nan_to_num``, ``atleast_*``, ``ldexp``, ``heaviside``,
``isclose``, ``diff``, ``around``, ``tensordot``, ``norm``)."""
from __future__ import annotations

import numpy as np

from . import _rules_shape as sh
from ._graph import NodeContext, onnx_rule


# ---------------------------------------------------------------------- image preprocessing
@onnx_rule("_image_to_tensor")
def _to_tensor(ctx: NodeContext):
    r = ctx.rank(0)
    perm = [0, 3, 1, 2] if r == 4 else [2, 0, 1]
    x = ctx.cast(ctx.transpose(ctx.x, perm), np.float32)
    return ctx.op("Div", x, ctx.scalar(255.0, like=np.dtype(np.float32)))


@onnx_rule("_image_normalize")
def _normalize(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    c = ctx.shape(0)[-3]
    if c is None:
        raise ctx.fail("the channel axis must have a static size")

    def per_channel(v):
        v = tuple(v) * c if len(v) == 1 else tuple(v)[:c]
        return np.asarray(v, np.float32).reshape(-1, 1, 1)

    dt = ctx.dtype(0)
    work = x if np.issubdtype(dt, np.floating) else ctx.cast(x, np.float32)
    wdt = ctx.dtype(work)
    y = ctx.op("Div", ctx.op("Sub", work, ctx.const(per_channel(a.mean).astype(wdt))),
               ctx.const(per_channel(a.std).astype(wdt)))
    if not np.issubdtype(dt, np.floating):
        y = ctx.op("Mul", ctx.op("Sign", y), ctx.op("Floor", ctx.op("Abs", y)))
    return ctx.cast(y, dt)


# ---------------------------------------------------------------------- linear algebra, losses
def _t_last2(ctx, x):
    r = ctx.rank(x)
    return ctx.transpose(x, list(range(r - 2)) + [r - 1, r - 2])


@onnx_rule("_linalg_gemm", "linalg_gemm")
def _gemm(ctx: NodeContext):
    a_, b_, c = ctx.inputs
    at = ctx.attrs
    if at.axis not in (-2, ctx.rank(a_) - 2):
        raise ctx.fail(f"only the default axis=-2 is supported. Received: axis={at.axis}")
    a = _t_last2(ctx, a_) if at.transpose_a else a_
    b = _t_last2(ctx, b_) if at.transpose_b else b_
    ab = ctx.op("Mul", ctx.op("MatMul", a, b), ctx.scalar(at.alpha, like=a_))
    return ctx.op("Add", ab, ctx.op("Mul", c, ctx.scalar(at.beta, like=a_)))


@onnx_rule("smooth_l1")
def _smooth_l1(ctx: NodeContext):
    """0.5 * (sigma * x)^2 where |x| < 1 / sigma^2, else |x| - 0.5 / sigma^2."""
    x = ctx.x
    s2 = float(ctx.attrs.scalar) ** 2
    ax = ctx.op("Abs", x)
    small = ctx.op("Less", ax, ctx.scalar(1.0 / s2, like=x))
    quad = ctx.op("Mul", ctx.op("Mul", x, x), ctx.scalar(0.5 * s2, like=x))
    lin = ctx.op("Sub", ax, ctx.scalar(0.5 / s2, like=x))
    return ctx.op("Where", small, quad, lin)


def _nan_reduce(onnx_op: str, fill: float):
    from ._rules_elemwise import _axes

    def rule(ctx: NodeContext):
        a, x = ctx.attrs, ctx.x
        x = ctx.op("Where", ctx.op("IsNaN", x), ctx.scalar(fill, like=x), x)
        axes = _axes(ctx, a.axis, a.exclude)
        y = ctx.reduce(onnx_op, x, axes, a.keepdims)
        if not a.keepdims and len(axes) == ctx.rank(0):
            y = ctx.reshape(y, [1])
        return y

    return rule


onnx_rule("nansum")(_nan_reduce("ReduceSum", 0.0))
onnx_rule("nanprod")(_nan_reduce("ReduceProd", 1.0))


@onnx_rule("_contrib_arange_like")
def _arange_like(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    dt = ctx.out_dtypes[0]
    n = ctx.op("Size", x, dtype=np.int64) if a.axis is None else ctx.squeeze(ctx.dim(x, a.axis), [0])
    count = ctx.op("Div", n, ctx.const(np.int64(a.repeat))) if a.repeat != 1 else n
    idx = ctx.cast(ctx.op("Range", ctx.const(np.int64(0)), count, ctx.const(np.int64(1)), dtype=np.int64), dt)
    y = ctx.op("Add", ctx.op("Mul", idx, ctx.scalar(a.step, like=dt)), ctx.scalar(a.start, like=dt))
    if a.repeat != 1:
        y = ctx.reshape(ctx.op("Tile", ctx.unsqueeze(y, [1]), ctx.ints([1, a.repeat])), [-1])
    if a.axis is None:
        y = ctx.reshape(y, ctx.shape_of(x))
    return y


# ---------------------------------------------------------------------- NumPy-interface extras
onnx_rule("_npi_tril")(lambda ctx: ctx.op("Trilu", ctx.x, ctx.const(np.int64(ctx.attrs.k)), upper=0))
onnx_rule("_npi_triu")(lambda ctx: ctx.op("Trilu", ctx.x, ctx.const(np.int64(ctx.attrs.k)), upper=1))


@onnx_rule("_np_roll")
def _np_roll(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    if a.shift is None:
        return ctx.op("Identity", x)
    shifts = (a.shift,) if isinstance(a.shift, int) else tuple(a.shift)
    if a.axis is None:
        flat = ctx.reshape(x, [-1], out_shape=(None,))
        return ctx.reshape(_roll_axis(ctx, flat, shifts[0], 0), ctx.shape_of(x))
    axes = (a.axis,) if isinstance(a.axis, int) else tuple(a.axis)
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    y = x
    for s, ax in zip(shifts, axes):
        y = _roll_axis(ctx, y, s, ax % ctx.rank(0))
    return y


def _roll_axis(ctx, x, shift, axis):
    """Roll along ``axis``: the last ``shift`` (mod size) entries move to the front."""
    big = np.iinfo(np.int64).max
    n = ctx.shape(x)[axis] if x in ctx._shapes else None
    if n is not None:
        s = shift % n
        if s == 0:
            return x
        start = ctx.ints([n - s])
    else:  # the size is known only at run time
        nd = ctx.dim(x, axis)
        start = ctx.op("Sub", nd, ctx.op("Mod", ctx.ints([shift]), nd, fmod=0))
    tail = ctx.op("Slice", x, start, ctx.ints([big]), ctx.ints([axis]))
    head = ctx.op("Slice", x, ctx.ints([0]), start, ctx.ints([axis]))
    return ctx.op("Concat", tail, head, axis=axis)


@onnx_rule("_npi_nan_to_num")
def _nan_to_num(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    dt = ctx.dtype(0)
    if not np.issubdtype(dt, np.floating):
        return ctx.op("Identity", x)
    info = np.finfo(dt)
    y = ctx.op("Where", ctx.op("IsNaN", x), ctx.scalar(a.nan, like=x), x)
    pos = info.max if a.posinf is None else a.posinf
    neg = info.min if a.neginf is None else a.neginf
    y = ctx.op("Where", ctx.op("IsInf", y, detect_negative=0), ctx.scalar(pos, like=x), y)
    return ctx.op("Where", ctx.op("IsInf", y, detect_positive=0), ctx.scalar(neg, like=x), y)


def _atleast(n: int):
    def rule(ctx: NodeContext):
        outs = []
        for x in ctx.inputs:
            r = ctx.rank(x)
            if r >= n:
                outs.append(ctx.op("Identity", x))
            elif n == 3 and r == 2:
                outs.append(ctx.unsqueeze(x, [0, 3]))
            elif n == 3 and r == 1:
                outs.append(ctx.unsqueeze(x, [0, 2]))
            else:
                outs.append(ctx.reshape(x, [1] * (n - max(r, 1)) + [-1]))
        return outs

    return rule


onnx_rule("_np_atleast_1d")(_atleast(1))
onnx_rule("_np_atleast_2d")(_atleast(2))
onnx_rule("_np_atleast_3d")(_atleast(3))


@onnx_rule("_npi_ldexp")
def _ldexp(ctx: NodeContext):
    a, b = ctx.inputs
    dt = ctx.out_dtypes[0]
    return ctx.op("Mul", ctx.cast(a, dt), ctx.op("Pow", ctx.scalar(2.0, like=dt), ctx.cast(b, dt)))


@onnx_rule("_npi_heaviside")
def _heaviside(ctx: NodeContext):
    a, b = ctx.inputs
    dt = ctx.out_dtypes[0]
    a, b = ctx.cast(a, dt), ctx.cast(b, dt)
    zero = ctx.scalar(0.0, like=dt)
    pos = ctx.op("Where", ctx.op("Greater", a, zero), ctx.scalar(1.0, like=dt), zero)
    return ctx.op("Where", ctx.op("Equal", a, zero), b, pos)


@onnx_rule("_npi_isclose")
def _isclose(ctx: NodeContext):
    at = ctx.attrs
    a, b = ctx.inputs
    dt = np.result_type(ctx.dtype(a), ctx.dtype(b), np.float32)
    a, b = ctx.cast(a, dt), ctx.cast(b, dt)
    tol = ctx.op("Add", ctx.scalar(at.atol, like=dt), ctx.op("Mul", ctx.scalar(at.rtol, like=dt), ctx.op("Abs", b)))
    close = ctx.op("LessOrEqual", ctx.op("Abs", ctx.op("Sub", a, b)), tol)
    close = ctx.op("Or", close, ctx.op("Equal", a, b))  # equal infinities
    if at.equal_nan:
        close = ctx.op("Or", close, ctx.op("And", ctx.op("IsNaN", a), ctx.op("IsNaN", b)))
    return close


@onnx_rule("_npi_diff")
def _diff(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    axis = a.axis % ctx.rank(0)
    big = np.iinfo(np.int64).max
    for _ in range(a.n):
        x = ctx.op("Sub", sh._slice(ctx, x, [1], [big], [axis], [1]), sh._slice(ctx, x, [0], [-1], [axis], [1]))
    return x


@onnx_rule("_npi_around")
def _around(ctx: NodeContext):
    x = ctx.x
    if not np.issubdtype(ctx.dtype(0), np.floating):
        return ctx.op("Identity", x)
    d = int(ctx.attrs.decimals)
    if d == 0:
        return ctx.op("Round", x)
    f = ctx.scalar(10.0 ** d, like=x)
    return ctx.op("Div", ctx.op("Round", ctx.op("Mul", x, f)), f)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _tensordot(ctx: NodeContext, a_axes, b_axes):
    a, b = ctx.inputs
    ra, rb = ctx.rank(a), ctx.rank(b)
    a_axes = [x % ra for x in a_axes]
    b_axes = [x % rb for x in b_axes]
    la = list(_LETTERS[:ra])
    lb = list(_LETTERS[ra:ra + rb])
    for i, j in zip(a_axes, b_axes):
        lb[j] = la[i]
    out = [la[i] for i in range(ra) if i not in a_axes] + [lb[j] for j in range(rb) if j not in b_axes]
    return ctx.op("Einsum", a, b, equation=f"{''.join(la)},{''.join(lb)}->{''.join(out)}")


@onnx_rule("_npi_tensordot_int_axes")
def _tensordot_int(ctx: NodeContext):
    n = int(ctx.attrs.axes)
    ra = ctx.rank(0)
    return _tensordot(ctx, list(range(ra - n, ra)), list(range(n)))


@onnx_rule("_npi_tensordot")
def _tensordot_axes(ctx: NodeContext):
    a = ctx.attrs
    aa = (a.a_axes_summed,) if isinstance(a.a_axes_summed, int) else tuple(a.a_axes_summed)
    bb = (a.b_axes_summed,) if isinstance(a.b_axes_summed, int) else tuple(a.b_axes_summed)
    return _tensordot(ctx, aa, bb)


@onnx_rule("_npi_norm")
def _np_norm(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    r = ctx.rank(0)
    axes = list(range(r)) if a.axis is None else [ax % r for ax in ((a.axis,) if isinstance(a.axis, int) else a.axis)]
    ord_ = a.ord
    vector = len(axes) == 1
    if ord_ in (None, 2.0, 2) and (vector or a.axis is None) or (ord_ == "fro" if isinstance(ord_, str) else False):
        y = ctx.reduce("ReduceL2", x, axes, a.keepdims)
    elif ord_ in (1, 1.0) and vector:
        y = ctx.reduce("ReduceL1", x, axes, a.keepdims)
    elif ord_ == float("inf") and vector:
        y = ctx.reduce("ReduceMax", ctx.op("Abs", x), axes, a.keepdims)
    else:
        raise ctx.fail(f"ord={ord_} over axes {tuple(axes)} has no ONNX conversion")
    return ctx.cast(y, ctx.out_dtypes[0])


# ---------------------------------------------------------------------- indexing extras, losses
@onnx_rule("_copyto")
def _copyto(ctx: NodeContext):
    return ctx.op("Identity", ctx.x)


@onnx_rule("scatter_nd")
def _scatter_nd(ctx: NodeContext):
    data, idx = ctx.inputs
    r = ctx.rank(idx)
    i = ctx.transpose(ctx.cast(idx, np.int64), list(range(1, r)) + [0])  # MXNet puts the index tuple first
    zeros = ctx.const(np.zeros(tuple(ctx.attrs.shape), dtype=ctx.dtype(data)))
    return ctx.op("ScatterND", zeros, i, data)


@onnx_rule("diag")
def _diag(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    s = ctx.shape(0)
    k = int(a.k)
    if any(d is None for d in s) or len(s) > 2 or (len(s) == 2 and (a.axis1 % 2, a.axis2 % 2) != (0, 1)):
        raise ctx.fail("only 1-D and 2-D inputs of static shape (default axes) are supported")
    if len(s) == 2:
        rows = range(max(0, -k), min(s[0], s[1] - k))
        idx = np.asarray([[i, i + k] for i in rows], dtype=np.int64).reshape(-1, 2)
        return ctx.op("GatherND", x, ctx.const(idx))
    n = s[0] + abs(k)
    idx = np.asarray([[i + max(0, -k), i + max(0, k)] for i in range(s[0])], dtype=np.int64)
    return ctx.op("ScatterND", ctx.const(np.zeros((n, n), ctx.dtype(0))), ctx.const(idx), x)


@onnx_rule("softmax_cross_entropy")
def _softmax_cross_entropy(ctx: NodeContext):
    data, label = ctx.inputs
    logp = ctx.op("LogSoftmax", data, axis=-1)
    picked = ctx.op("GatherElements", logp, ctx.unsqueeze(ctx.cast(label, np.int64), [1]), axis=1)
    return ctx.op("Neg", ctx.reshape(ctx.reduce("ReduceSum", picked, None, False), [1]))
