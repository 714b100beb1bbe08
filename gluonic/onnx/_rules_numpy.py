"""ONNX conversions of the NumPy-interface operators (``_npi_*``, ``_np_*``, ``_npx_*``) that
gluon code records in NumPy mode (``npx.set_np()``): arithmetic with NumPy's type promotion,
unary math, reductions, shape manipulation, joins and products.

Most reuse the legacy-operator builders; outputs are cast to the dtype gluonic's type
inference gives (NumPy's rules: ``true_divide`` of ints is float, comparisons are bool).
"""
from __future__ import annotations

import math

import numpy as np

from . import _rules_elemwise as ew
from . import _rules_shape as sh
from ._graph import NodeContext, onnx_rule


def _common(ctx: NodeContext, a: str, b: str) -> np.dtype:
    return np.result_type(ctx.dtype(a), ctx.dtype(b))


def _np_binary(build, arith: bool = True):
    def rule(ctx: NodeContext):
        a, b = ctx.inputs
        dt = ctx.out_dtypes[0] if arith else _common(ctx, a, b)
        y = build(ctx, ctx.cast(a, dt), ctx.cast(b, dt))
        ctx._note(y, None, dt if arith else np.bool_)
        return ctx.cast(y, ctx.out_dtypes[0])

    return rule


def _np_scalar(build, reverse: bool = False, arith: bool = True):
    def rule(ctx: NodeContext):
        dt = ctx.out_dtypes[0] if arith else ctx.dtype(0)
        x = ctx.cast(ctx.x, dt)
        s = ctx.scalar(ctx.attrs.scalar, like=dt)
        y = build(ctx, s, x) if reverse else build(ctx, x, s)
        ctx._note(y, None, dt if arith else np.bool_)
        return ctx.cast(y, ctx.out_dtypes[0])

    return rule


def _floor_div(ctx, a, b):
    q = ctx.op("Div", a, b)
    return ctx.op("Floor", q) if np.issubdtype(ctx.dtype(a), np.floating) else _int_floor_div(ctx, a, b, q)


def _int_floor_div(ctx, a, b, q):
    """Integer floor division (ONNX's Div truncates): subtract 1 where the remainder's sign differs."""
    r = ctx.op("Sub", a, ctx.op("Mul", q, b))
    fix = ctx.op("And", ctx.op("Not", ctx.op("Equal", r, ctx.scalar(0, like=a))),
                 ctx.op("Less", ctx.op("Mul", r, b), ctx.scalar(0, like=a)))
    return ctx.op("Sub", q, ctx.op("Cast", fix, to=ew._tensor_type(ctx.dtype(a))))


def _fmod(ctx, a, b):
    if np.issubdtype(ctx.dtype(a), np.floating):
        return ctx.op("Mod", a, b, fmod=1)
    return ctx.op("Sub", a, ctx.op("Mul", ctx.op("Div", a, b), b))  # C's %: Div truncates


def _arctan2(ctx, y, x):
    """atan2 from Atan and the quadrant (ONNX has no Atan2)."""
    base = ctx.op("Atan", ctx.op("Div", y, x))
    pi = ctx.scalar(math.pi, like=y)
    zero = ctx.scalar(0.0, like=y)
    x_neg = ctx.op("Less", x, zero)
    y_neg = ctx.op("Less", y, zero)
    shift = ctx.op("Where", x_neg, ctx.op("Where", y_neg, ctx.op("Neg", pi), pi), zero)
    return ctx.op("Add", base, shift)


def _copysign(ctx, a, b):
    neg = ctx.op("Or", ctx.op("Less", b, ctx.scalar(0.0, like=b)),
                 ctx.op("And", ctx.op("Equal", b, ctx.scalar(0.0, like=b)),
                        ctx.op("Less", ctx.op("Reciprocal", b), ctx.scalar(0.0, like=b))))
    mag = ctx.op("Abs", a)
    return ctx.op("Where", neg, ctx.op("Neg", mag), mag)


_NP_BINARY = {
    "add": (ew._simple("Add"), True), "subtract": (ew._simple("Sub"), True), "multiply": (ew._simple("Mul"), True),
    "true_divide": (ew._simple("Div"), True), "floor_divide": (_floor_div, True), "mod": (ew._float_mod, True),
    "fmod": (_fmod, True), "power": (ew._simple("Pow"), True), "float_power": (ew._simple("Pow"), True),
    "maximum": (ew._simple("Max"), True), "minimum": (ew._simple("Min"), True), "fmax": (ew._simple("Max"), True),
    "fmin": (ew._simple("Min"), True), "hypot": (ew._hypot, True), "arctan2": (_arctan2, True),
    "copysign": (_copysign, True), "bitwise_and": (ew._simple("BitwiseAnd"), True),
    "bitwise_or": (ew._simple("BitwiseOr"), True), "bitwise_xor": (ew._simple("BitwiseXor"), True),
    "equal": (ew._simple("Equal"), False), "not_equal": (lambda c, a, b: c.op("Not", c.op("Equal", a, b)), False),
    "less": (ew._simple("Less"), False), "less_equal": (ew._simple("LessOrEqual"), False),
    "greater": (ew._simple("Greater"), False), "greater_equal": (ew._simple("GreaterOrEqual"), False),
    "logical_and": (lambda c, a, b: c.op("And", c.cast(a, np.bool_), c.cast(b, np.bool_)), False),
    "logical_or": (lambda c, a, b: c.op("Or", c.cast(a, np.bool_), c.cast(b, np.bool_)), False),
    "logical_xor": (lambda c, a, b: c.op("Xor", c.cast(a, np.bool_), c.cast(b, np.bool_)), False),
}
_REVERSIBLE = {"subtract", "true_divide", "floor_divide", "mod", "fmod", "power", "float_power", "arctan2",
               "copysign"}
for _k, (_b, _arith) in _NP_BINARY.items():
    onnx_rule(f"_npi_{_k}")(_np_binary(_b, _arith))
    onnx_rule(f"_npi_{_k}_scalar")(_np_scalar(_b, arith=_arith))
    if _k in _REVERSIBLE:
        onnx_rule(f"_npi_r{_k}_scalar")(_np_scalar(_b, reverse=True, arith=_arith))


# ---------------------------------------------------------------------- unary
def _np_unary(build):
    def rule(ctx: NodeContext):
        dt = ctx.out_dtypes[0]
        x = ctx.cast(ctx.x, dt) if np.issubdtype(dt, np.floating) else ctx.x
        return ctx.cast(build(ctx, x), dt)

    return rule


_NP_UNARY = {
    "negative": "Neg", "absolute": "Abs", "fabs": "Abs", "sign": "Sign", "reciprocal": "Reciprocal",
    "sqrt": "Sqrt", "exp": "Exp", "log": "Log", "sin": "Sin", "cos": "Cos", "tan": "Tan", "arcsin": "Asin",
    "arccos": "Acos", "arctan": "Atan", "sinh": "Sinh", "cosh": "Cosh", "tanh": "Tanh", "arcsinh": "Asinh",
    "arccosh": "Acosh", "arctanh": "Atanh", "floor": "Floor", "ceil": "Ceil", "bitwise_not": "BitwiseNot",
    "isnan": "IsNaN",
}
for _k, _o in _NP_UNARY.items():
    onnx_rule(f"_npi_{_k}")(_np_unary(lambda ctx, x, _o=_o: ctx.op(_o, x)))
onnx_rule("_npi_positive", "_np_copy")(lambda ctx: ctx.op("Identity", ctx.x))
onnx_rule("_npi_square")(_np_unary(lambda ctx, x: ctx.op("Mul", x, x)))
onnx_rule("_npi_cbrt")(_np_unary(lambda ctx, x: ctx.op("Mul", ctx.op("Sign", x), ctx.op(
    "Pow", ctx.op("Abs", x), ctx.scalar(1.0 / 3.0, like=x)))))
onnx_rule("_npi_exp2")(_np_unary(lambda ctx, x: ctx.op("Pow", ctx.scalar(2.0, like=x), x)))
onnx_rule("_npi_expm1")(_np_unary(lambda ctx, x: ctx.op("Sub", ctx.op("Exp", x), ctx.scalar(1.0, like=x))))
onnx_rule("_npi_log1p")(_np_unary(lambda ctx, x: ctx.op("Log", ctx.op("Add", x, ctx.scalar(1.0, like=x)))))
onnx_rule("_npi_log2")(_np_unary(lambda ctx, x: ctx.op("Div", ctx.op("Log", x), ctx.scalar(math.log(2), like=x))))
onnx_rule("_npi_log10")(_np_unary(lambda ctx, x: ctx.op("Div", ctx.op("Log", x), ctx.scalar(math.log(10), like=x))))
onnx_rule("_npi_degrees")(_np_unary(lambda ctx, x: ctx.op("Mul", x, ctx.scalar(180 / math.pi, like=x))))
onnx_rule("_npi_radians")(_np_unary(lambda ctx, x: ctx.op("Mul", x, ctx.scalar(math.pi / 180, like=x))))
onnx_rule("_npi_rint")(_np_unary(lambda ctx, x: ctx.op("Round", x)))  # NumPy: half to even, as ONNX
onnx_rule("_npi_fix", "_npi_trunc")(_np_unary(lambda ctx, x: ew._trunc(ctx, x)))
onnx_rule("_npi_isinf")(lambda ctx: ctx.op("IsInf", ctx.x))
onnx_rule("_npi_isposinf")(lambda ctx: ctx.op("IsInf", ctx.x, detect_negative=0))
onnx_rule("_npi_isneginf")(lambda ctx: ctx.op("IsInf", ctx.x, detect_positive=0))
onnx_rule("_npi_isfinite")(lambda ctx: ctx.op("Not", ctx.op("Or", ctx.op("IsInf", ctx.x), ctx.op("IsNaN", ctx.x))))
onnx_rule("_npi_logical_not")(lambda ctx: ctx.op("Not", ctx.cast(ctx.x, np.bool_)))


@onnx_rule("_npi_clip")
def _np_clip(ctx):
    a = ctx.attrs
    lo = None if a.a_min is None else ctx.scalar(a.a_min, like=0)
    hi = None if a.a_max is None else ctx.scalar(a.a_max, like=0)
    return ctx.op("Clip", ctx.x, lo, hi)


@onnx_rule("_npi_where")
def _np_where(ctx):
    c, x, y = ctx.inputs
    dt = ctx.out_dtypes[0]
    return ctx.op("Where", ctx.cast(c, np.bool_), ctx.cast(x, dt), ctx.cast(y, dt))


@onnx_rule("_npi_where_lscalar", "_npi_where_rscalar")
def _np_where_scalar(ctx):
    c, x = ctx.inputs
    s = ctx.scalar(ctx.attrs.scalar, like=x)
    ins = (x, s) if ctx.op_name == "_npi_where_rscalar" else (s, x)
    return ctx.op("Where", ctx.cast(c, np.bool_), *ins)


@onnx_rule("_npi_where_scalar2")
def _np_where_scalar2(ctx):
    dt = ctx.out_dtypes[0]
    return ctx.op("Where", ctx.cast(ctx.x, np.bool_), ctx.scalar(ctx.attrs.x, like=dt), ctx.scalar(ctx.attrs.y, like=dt))


# ---------------------------------------------------------------------- reductions (NumPy keeps 0-d results)
def _np_axes(ctx, axis):
    r = ctx.rank(0)
    if axis is None:
        return list(range(r))
    axis = (axis,) if isinstance(axis, int) else axis
    return sorted(a % r for a in axis)


def _np_reduce(onnx_op: str, cast_first: bool = True):
    def rule(ctx):
        a = ctx.attrs
        dt = ctx.out_dtypes[0]
        x = ctx.cast(ctx.x, dt) if cast_first else ctx.x
        if getattr(a, "initial", None) is not None:
            raise ctx.fail("initial= has no ONNX conversion")
        axes = _np_axes(ctx, a.axis)
        if not axes:
            return ctx.cast(ctx.op("Identity", x), dt)
        return ctx.cast(ctx.reduce(onnx_op, x, axes, a.keepdims), dt)

    return rule


onnx_rule("_np_sum")(_np_reduce("ReduceSum"))
onnx_rule("_npi_mean")(_np_reduce("ReduceMean"))
onnx_rule("_np_prod")(_np_reduce("ReduceProd"))
onnx_rule("_np_max", "_np_amax")(_np_reduce("ReduceMax"))
onnx_rule("_np_min", "_np_amin")(_np_reduce("ReduceMin"))


def _np_bool_reduce(onnx_op):
    def rule(ctx):
        a = ctx.attrs
        b = ctx.cast(ctx.cast(ctx.x, np.bool_), np.int32)
        y = ctx.reduce(onnx_op, b, _np_axes(ctx, a.axis), a.keepdims)
        return ctx.cast(y, np.bool_)

    return rule


onnx_rule("_np_any")(_np_bool_reduce("ReduceMax"))
onnx_rule("_np_all")(_np_bool_reduce("ReduceMin"))


def _np_moments(std: bool):
    def rule(ctx):
        a = ctx.attrs
        dt = ctx.out_dtypes[0]
        x = ctx.cast(ctx.x, dt)
        axes = _np_axes(ctx, a.axis)
        mean = ctx.reduce("ReduceMean", x, axes, True)
        d = ctx.op("Sub", x, mean)
        ss = ctx.reduce("ReduceSum", ctx.op("Mul", d, d), axes, a.keepdims)
        n = ctx.cast(ctx.reduce("ReduceProd", ctx.op("Gather", ctx.shape_of(x), ctx.ints(axes)), [0], False), dt)
        var = ctx.op("Div", ss, ctx.op("Sub", n, ctx.scalar(a.ddof, like=dt)))
        return ctx.op("Sqrt", var) if std else var

    return rule


onnx_rule("_npi_var")(_np_moments(False))
onnx_rule("_npi_std")(_np_moments(True))


onnx_rule("_npi_argmax")(ew.arg_rule("ArgMax", flat_keepdims=0))
onnx_rule("_npi_argmin")(ew.arg_rule("ArgMin", flat_keepdims=0))


@onnx_rule("_np_cumsum")
def _np_cumsum(ctx):
    a = ctx.attrs
    dt = ctx.out_dtypes[0]
    x = ctx.cast(ctx.x, dt)
    if a.axis is None:
        return ctx.op("CumSum", ctx.reshape(x, [-1]), ctx.const(np.int64(0)))
    return ctx.op("CumSum", x, ctx.const(np.int64(a.axis)))


# ---------------------------------------------------------------------- shapes
def _np_newshape(ctx, codes):
    """NumPy reshape: -1 inferred, every other entry literal (0 is a real zero-size axis)."""
    codes = (codes,) if isinstance(codes, int) else tuple(codes)
    return ctx.op("Reshape", ctx.x, ctx.ints(codes), allowzero=1)


@onnx_rule("_np_reshape")
def _np_reshape(ctx):
    return _np_newshape(ctx, ctx.attrs.newshape)


@onnx_rule("_npx_reshape", "_npi_reshape")
def _npx_reshape(ctx):
    """npx.reshape: -1 inferred, -2 copy, -3 drop a size-1 axis, -4 copy the rest, -5 merge two, -6 split."""
    a, x = ctx.attrs, ctx.x
    codes = (a.newshape,) if isinstance(a.newshape, int) else tuple(a.newshape)
    if a.reverse:
        out = ctx.out_shapes[0]
        if out is not None and all(d is not None for d in out):
            return ctx.reshape(x, list(out))
        raise ctx.fail("reverse=True needs static shapes")
    r = ctx.rank(0)
    dims, i, j = [], 0, 0
    while i < len(codes):
        c = codes[i]
        if c == -1:
            dims.append(ctx.ints([-1]))
            j += 1
        elif c == -2:
            dims.append(ctx.dim(x, j))
            j += 1
        elif c == -3:
            j += 1
        elif c == -4:
            dims.extend(ctx.dim(x, k) for k in range(j, r))
            j = r
        elif c == -5:
            dims.append(sh._mul_dims(ctx, ctx.dim(x, j), ctx.dim(x, j + 1)))
            j += 2
        elif c == -6:
            d0, d1 = codes[i + 1], codes[i + 2]
            i += 2
            whole = ctx.dim(x, j)
            j += 1
            if -1 in (d0, d1):
                known = d1 if d0 == -1 else d0
                other = ctx.op("Div", whole, ctx.ints([known]), dtype=np.int64, shape=(1,))
                dims.extend([other, ctx.ints([d1])] if d0 == -1 else [ctx.ints([d0]), other])
            else:
                dims.extend([ctx.ints([d0]), ctx.ints([d1])])
        else:
            dims.append(ctx.ints([c]))
            j += 1
        i += 1
    return ctx.reshape(x, ctx.concat_ints(dims))


@onnx_rule("_np_transpose")
def _np_transpose(ctx):
    r = ctx.rank(0)
    axes = ctx.attrs.axes
    perm = [a % r for a in axes] if axes else list(range(r - 1, -1, -1))
    return ctx.transpose(ctx.x, perm)


onnx_rule("_npi_swapaxes")(sh._swapaxis)


@onnx_rule("_np_moveaxis")
def _np_moveaxis(ctx):
    r = ctx.rank(0)
    src = ctx.attrs.source
    dst = ctx.attrs.destination
    src = [s % r for s in ((src,) if isinstance(src, int) else src)]
    dst = [d % r for d in ((dst,) if isinstance(dst, int) else dst)]
    order = [k for k in range(r) if k not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return ctx.transpose(ctx.x, order)


@onnx_rule("_npi_expand_dims")
def _np_expand_dims(ctx):
    ax = ctx.attrs.axis
    r = ctx.rank(0)
    return ctx.unsqueeze(ctx.x, [ax if ax >= 0 else ax + r + 1])


@onnx_rule("_np_squeeze")
def _np_squeeze(ctx):
    axis = ctx.attrs.axis
    if axis is None:
        s = ctx.shape(0)
        if all(d is not None for d in s):
            axes = [k for k, d in enumerate(s) if d == 1]
            return ctx.squeeze(ctx.x, axes) if axes else ctx.op("Identity", ctx.x)
        return ctx.squeeze(ctx.x)
    return ctx.squeeze(ctx.x, [axis] if isinstance(axis, int) else list(axis))


@onnx_rule("_npi_broadcast_to")
def _np_broadcast_to(ctx):
    return ctx.op("Expand", ctx.x, ctx.ints([1 if d == -1 else d for d in ctx.attrs.shape]))


@onnx_rule("_npi_concatenate")
def _np_concatenate(ctx):
    a = ctx.attrs
    dt = ctx.out_dtypes[0]
    ins = [ctx.cast(x, dt) for x in ctx.inputs]
    if a.axis is None:
        return ctx.op("Concat", *[ctx.reshape(x, [-1]) for x in ins], axis=0)
    return ctx.op("Concat", *ins, axis=int(a.axis))


@onnx_rule("_npi_stack")
def _np_stack(ctx):
    r = ctx.rank(0)
    axis = ctx.attrs.axis % (r + 1)
    return ctx.op("Concat", *[ctx.unsqueeze(x, [axis]) for x in ctx.inputs], axis=axis)


@onnx_rule("_npi_vstack")
def _np_vstack(ctx):
    ins = [ctx.unsqueeze(x, [0]) if ctx.rank(x) == 1 else x for x in ctx.inputs]
    return ctx.op("Concat", *ins, axis=0)


@onnx_rule("_npi_hstack")
def _np_hstack(ctx):
    return ctx.op("Concat", *ctx.inputs, axis=0 if ctx.rank(0) == 1 else 1)


@onnx_rule("_npi_split", "_split_v2")
def _np_split(ctx):
    a, x = ctx.attrs, ctx.x
    axis = a.axis % ctx.rank(0)
    n = ctx.node.num_outputs()
    if a.sections:
        outs = (ctx.op("Split", x, outputs=n, axis=axis, num_outputs=n) if ctx.opset >= 18
                else ctx.op("Split", x, outputs=n, axis=axis))
    else:
        bounds = list(a.indices)
        outs = []
        for k in range(n):
            start = bounds[k]
            end = bounds[k + 1] if k + 1 < len(bounds) else np.iinfo(np.int64).max
            outs.append(sh._slice(ctx, x, [start], [end], [axis], [1]))
    if n == 1 and not isinstance(outs, list):
        outs = [outs]
    if a.squeeze_axis:
        outs = [ctx.squeeze(o, [axis]) for o in outs]
    return outs


@onnx_rule("_npi_take")
def _np_take(ctx):
    data, idx = ctx.inputs
    if ctx.attrs.axis is None:
        data = ctx.reshape(data, [-1], out_shape=(None,))
        axis = 0
    else:
        axis = ctx.attrs.axis % ctx.rank(0)
    return ctx.op("Gather", data, sh._index(ctx, idx, data, axis, ctx.attrs.mode), axis=axis)


@onnx_rule("_npi_take_along_axis")
def _np_take_along_axis(ctx):
    arr, idx = ctx.inputs
    return ctx.op("GatherElements", arr, ctx.cast(idx, np.int64), axis=int(ctx.attrs.axis))


@onnx_rule("_npi_tile")
def _np_tile(ctx):
    return sh._tile(ctx)


@onnx_rule("_np_repeat")
def _np_repeat(ctx):
    return sh._repeat(ctx)


@onnx_rule("_npi_flip")
def _np_flip(ctx):
    axis = ctx.attrs.axis
    r = ctx.rank(0)
    axes = list(range(r)) if axis is None else ([axis] if isinstance(axis, int) else list(axis))
    n = len(axes)
    return sh._slice(ctx, ctx.x, [-1] * n, [np.iinfo(np.int64).min] * n, axes, [-1] * n)


@onnx_rule("_npi_pad")
def _np_pad(ctx):
    a = ctx.attrs
    w = a.pad_width
    if isinstance(w, str):
        import ast

        w = ast.literal_eval(w)
    w = np.asarray(w, dtype=np.int64).reshape(-1, 2)
    if w.shape[0] == 1:
        w = np.repeat(w, ctx.rank(0), axis=0)
    mode = {"constant": "constant", "edge": "edge", "reflect": "reflect"}.get(a.mode)
    if mode is None:
        raise ctx.fail(f"mode='{a.mode}' has no ONNX conversion")
    pads = list(w[:, 0]) + list(w[:, 1])
    value = ctx.scalar(a.constant_value, like=0) if mode == "constant" else None
    return ctx.op("Pad", ctx.x, ctx.ints(pads), value, mode=mode)


@onnx_rule("_npi_full_like")
def _np_full_like(ctx):
    dt = ctx.out_dtypes[0]
    return ctx.op("Expand", ctx.const(np.asarray([ctx.attrs.fill_value], dtype=dt)), ctx.shape_of(ctx.x))


# ---------------------------------------------------------------------- products
@onnx_rule("_npi_matmul")
def _np_matmul(ctx):
    a, b = ctx.inputs
    dt = ctx.out_dtypes[0]
    return ctx.op("MatMul", ctx.cast(a, dt), ctx.cast(b, dt))


@onnx_rule("_np_dot")
def _np_dot(ctx):
    a, b = ctx.inputs
    ra, rb = ctx.rank(a), ctx.rank(b)
    if ra == 0 or rb == 0:
        return ctx.op("Mul", a, b)
    if rb <= 2:
        return ctx.op("MatMul", a, b)
    raise ctx.fail("dot of an N-D right operand (N > 2) has no ONNX conversion; use matmul or tensordot")


@onnx_rule("_npi_einsum")
def _np_einsum(ctx):
    return ctx.op("Einsum", *ctx.inputs, equation=ctx.attrs.subscripts.replace(" ", ""))
