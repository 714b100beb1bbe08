"""ONNX conversions: elementwise arithmetic (tensor and scalar), unary math, comparisons,
clip/where/Cast, reductions, and products (dot, batch_dot, linalg_gemm2)."""
from __future__ import annotations

import math

import numpy as np

from ..ops.reduce import reduce_axes
from ._graph import NodeContext, onnx_rule


def _is_float(dt) -> bool:
    return np.issubdtype(np.dtype(dt), np.floating)


# ---------------------------------------------------------------------- binary (tensor, tensor)
def _float_mod(ctx: NodeContext, a: str, b: str) -> str:
    """Python/NumPy ``a mod b`` (the sign of the divisor), MXNet's mod for floats and ints."""
    if not _is_float(ctx.dtype(a)):
        return ctx.op("Mod", a, b, fmod=0)
    q = ctx.op("Floor", ctx.op("Div", a, b))
    return ctx.op("Sub", a, ctx.op("Mul", q, b))


def _hypot(ctx, a, b):
    return ctx.op("Sqrt", ctx.op("Add", ctx.op("Mul", a, a), ctx.op("Mul", b, b)))


def _compare(onnx_op):
    def build(ctx, a, b):
        out = ctx.op(onnx_op, a, b) if onnx_op != "NotEqual" else ctx.op("Not", ctx.op("Equal", a, b))
        return ctx.cast(_as_bool_out(ctx, out), ctx.out_dtypes[0])

    return build


def _as_bool_out(ctx, out):
    ctx._note(out, None, np.bool_)
    return out


def _logical(onnx_op):
    def build(ctx, a, b):
        ab, bb = ctx.cast(a, np.bool_), ctx.cast(b, np.bool_)
        return ctx.cast(_as_bool_out(ctx, ctx.op(onnx_op, ab, bb)), ctx.out_dtypes[0])

    return build


def _simple(onnx_op):
    def build(ctx, a, b):
        return ctx.op(onnx_op, a, b)

    return build


_BINARY = {
    "add": _simple("Add"), "sub": _simple("Sub"), "mul": _simple("Mul"), "div": _simple("Div"),
    "mod": _float_mod, "power": _simple("Pow"), "maximum": _simple("Max"), "minimum": _simple("Min"),
    "hypot": _hypot, "equal": _compare("Equal"), "not_equal": _compare("NotEqual"),
    "greater": _compare("Greater"), "greater_equal": _compare("GreaterOrEqual"), "lesser": _compare("Less"),
    "lesser_equal": _compare("LessOrEqual"), "logical_and": _logical("And"), "logical_or": _logical("Or"),
    "logical_xor": _logical("Xor"),
}
_ELEMWISE_NAMES = {"add": ("elemwise_add", "_plus", "_Plus", "_add"), "sub": ("elemwise_sub", "_minus", "_sub"),
                   "mul": ("elemwise_mul", "_mul"), "div": ("elemwise_div", "_div"), "mod": ("_mod",),
                   "power": ("_power",), "maximum": ("_maximum",), "minimum": ("_minimum",), "hypot": ("_hypot",)}


def _binary_rule(build):
    def rule(ctx: NodeContext):
        a, b = ctx.inputs
        if ctx.dtype(a) != ctx.dtype(b) and ctx.value(b) is not None:
            b = ctx.cast(b, ctx.dtype(a))
        return build(ctx, a, b)

    return rule


for _key, _build in _BINARY.items():
    onnx_rule(f"broadcast_{_key}", *_ELEMWISE_NAMES.get(_key, (f"_{_key}",)))(_binary_rule(_build))


# ---------------------------------------------------------------------- binary with a scalar
def _scalar_rule(key: str, reverse: bool = False):
    build = _BINARY[key]

    def rule(ctx: NodeContext):
        x = ctx.x
        s = ctx.scalar(ctx.attrs.scalar, like=x)
        return build(ctx, s, x) if reverse else build(ctx, x, s)

    return rule


for _key, _names in {
    "add": ("_plus_scalar",), "sub": ("_minus_scalar",), "mul": ("_mul_scalar",), "div": ("_div_scalar",),
    "mod": ("_mod_scalar",), "power": ("_power_scalar",), "maximum": ("_maximum_scalar",),
    "minimum": ("_minimum_scalar",), "hypot": ("_hypot_scalar",), "equal": ("_equal_scalar",),
    "not_equal": ("_not_equal_scalar",), "greater": ("_greater_scalar",),
    "greater_equal": ("_greater_equal_scalar",), "lesser": ("_lesser_scalar",),
    "lesser_equal": ("_lesser_equal_scalar",), "logical_and": ("_logical_and_scalar",),
    "logical_or": ("_logical_or_scalar",), "logical_xor": ("_logical_xor_scalar",),
}.items():
    onnx_rule(*_names)(_scalar_rule(_key))
for _key, _name in (("sub", "_rminus_scalar"), ("div", "_rdiv_scalar"), ("mod", "_rmod_scalar"),
                    ("power", "_rpower_scalar")):
    onnx_rule(_name)(_scalar_rule(_key, reverse=True))


@onnx_rule("add_n", "ElementWiseSum")
def _add_n(ctx: NodeContext):
    return ctx.inputs[0] if len(ctx.inputs) == 1 else ctx.op("Sum", *ctx.inputs)


# ---------------------------------------------------------------------- unary
_UNARY_DIRECT = {
    "abs": "Abs", "floor": "Floor", "ceil": "Ceil", "exp": "Exp", "log": "Log", "sqrt": "Sqrt",
    "reciprocal": "Reciprocal", "negative": "Neg", "sin": "Sin", "cos": "Cos", "tan": "Tan", "arcsin": "Asin",
    "arccos": "Acos", "arctan": "Atan", "sinh": "Sinh", "cosh": "Cosh", "tanh": "Tanh", "arcsinh": "Asinh",
    "arccosh": "Acosh", "arctanh": "Atanh", "sigmoid": "Sigmoid", "relu": "Relu", "softsign": "Softsign",
    "erf": "Erf", "sign": "Sign",
}
for _mx, _ox in _UNARY_DIRECT.items():
    onnx_rule(_mx)(lambda ctx, _ox=_ox: ctx.op(_ox, ctx.x))


def _trunc(ctx: NodeContext, x: str) -> str:
    return ctx.op("Mul", ctx.op("Sign", x), ctx.op("Floor", ctx.op("Abs", x)))


@onnx_rule("trunc", "fix")
def _trunc_rule(ctx):
    return _trunc(ctx, ctx.x) if _is_float(ctx.dtype(0)) else ctx.op("Identity", ctx.x)


@onnx_rule("round")
def _round(ctx):  # half away from zero (ONNX Round is half to even)
    x = ctx.x
    if not _is_float(ctx.dtype(0)):
        return ctx.op("Identity", x)
    up = ctx.op("Floor", ctx.op("Add", ctx.op("Abs", x), ctx.scalar(0.5)))
    return ctx.op("Mul", ctx.op("Sign", x), up)


@onnx_rule("rint")
def _rint(ctx):  # MXNet's rint rounds ties down: ceil(x - 0.5)
    x = ctx.x
    if not _is_float(ctx.dtype(0)):
        return ctx.op("Identity", x)
    return ctx.op("Ceil", ctx.op("Sub", x, ctx.scalar(0.5)))


def _mul_const(c: float):
    return lambda ctx: ctx.op("Mul", ctx.x, ctx.scalar(c))


onnx_rule("degrees")(_mul_const(180.0 / math.pi))
onnx_rule("radians")(_mul_const(math.pi / 180.0))
onnx_rule("log10")(lambda ctx: ctx.op("Div", ctx.op("Log", ctx.x), ctx.scalar(math.log(10.0))))
onnx_rule("log2")(lambda ctx: ctx.op("Div", ctx.op("Log", ctx.x), ctx.scalar(math.log(2.0))))
onnx_rule("log1p")(lambda ctx: ctx.op("Log", ctx.op("Add", ctx.x, ctx.scalar(1.0))))
onnx_rule("expm1")(lambda ctx: ctx.op("Sub", ctx.op("Exp", ctx.x), ctx.scalar(1.0)))
onnx_rule("rsqrt")(lambda ctx: ctx.op("Reciprocal", ctx.op("Sqrt", ctx.x)))
onnx_rule("square")(lambda ctx: ctx.op("Mul", ctx.x, ctx.x))


def _cbrt(ctx):
    x = ctx.x
    return ctx.op("Mul", ctx.op("Sign", x), ctx.op("Pow", ctx.op("Abs", x), ctx.scalar(1.0 / 3.0)))


onnx_rule("cbrt")(_cbrt)
onnx_rule("rcbrt")(lambda ctx: ctx.op("Reciprocal", _cbrt(ctx)))


@onnx_rule("hard_sigmoid")
def _hard_sigmoid(ctx):
    return ctx.op("HardSigmoid", ctx.x, alpha=float(ctx.attrs.alpha), beta=float(ctx.attrs.beta))


@onnx_rule("logical_not")
def _logical_not(ctx):
    return ctx.cast(_as_bool_out(ctx, ctx.op("Not", ctx.cast(ctx.x, np.bool_))), ctx.out_dtypes[0])


@onnx_rule("_copy", "identity", "BlockGrad", "stop_gradient", "make_loss", "MakeLoss")
def _identity(ctx):
    return ctx.op("Identity", ctx.x)


@onnx_rule("clip")
def _clip(ctx):
    a = ctx.attrs
    return ctx.op("Clip", ctx.x, ctx.scalar(a.a_min), ctx.scalar(a.a_max))


@onnx_rule("where")
def _where(ctx):
    cond, x, y = ctx.inputs
    c = ctx.cast(cond, np.bool_)
    if ctx.rank(cond) == 1 and ctx.rank(x) > 1:
        c = ctx.unsqueeze(c, list(range(1, ctx.rank(x))))
    return ctx.op("Where", c, x, y)


@onnx_rule("Cast", "cast", "amp_cast")
def _cast(ctx):
    return ctx.op("Cast", ctx.x, to=_tensor_type(ctx.out_dtypes[0]))


def _tensor_type(dt):
    from ._dtypes import np_to_onnx

    return np_to_onnx(dt)


def _fill_like(value: float):
    def rule(ctx):
        c = ctx.const(np.asarray([value], dtype=ctx.out_dtypes[0]))
        return ctx.op("Expand", c, ctx.shape_of(ctx.x))

    return rule


onnx_rule("zeros_like")(_fill_like(0.0))
onnx_rule("ones_like")(_fill_like(1.0))


# ---------------------------------------------------------------------- reductions
def _axes(ctx: NodeContext, axis, exclude=False):
    r = ctx.rank(0)
    if isinstance(axis, int):
        axis = (axis,)
    return reduce_axes(ctx.op_name, (2,) * r, axis, exclude)


def _reduce_rule(onnx_op: str):
    def rule(ctx: NodeContext):
        a = ctx.attrs
        axes = _axes(ctx, a.axis, getattr(a, "exclude", False))
        x = ctx.x
        if not axes:
            return ctx.op("Identity", x)
        y = ctx.reduce(onnx_op, x, axes, a.keepdims)
        if not a.keepdims and len(axes) == ctx.rank(0):
            y = ctx.reshape(y, [1])
        return y

    return rule


for _mx, _ox in (("sum", "ReduceSum"), ("mean", "ReduceMean"), ("prod", "ReduceProd"), ("max", "ReduceMax"),
                 ("min", "ReduceMin")):
    onnx_rule(_mx)(_reduce_rule(_ox))


@onnx_rule("norm")
def _norm(ctx):
    a = ctx.attrs
    if a.ord not in (1, 2):
        raise ctx.fail(f"only ord=1 and ord=2 have ONNX equivalents. Received: ord={a.ord}")
    axes = _axes(ctx, a.axis)
    y = ctx.reduce("ReduceL1" if a.ord == 1 else "ReduceL2", ctx.x, axes, a.keepdims)
    if not a.keepdims and len(axes) == ctx.rank(0):
        y = ctx.reshape(y, [1])
    return ctx.cast(y, ctx.out_dtypes[0])


def arg_rule(onnx_op: str, flat_keepdims: int = 1):
    """argmax/argmin: over the flattened array when ``axis`` is None (legacy ops keep a (1,) result,
    NumPy's give a 0-d one: ``flat_keepdims=0``)."""
    def rule(ctx):
        a = ctx.attrs
        x = ctx.x
        if a.axis is None:
            y = ctx.op(onnx_op, ctx.reshape(x, [-1]), axis=0, keepdims=flat_keepdims, dtype=np.int64)
            if a.keepdims:
                y = ctx.reshape(y, [1] * ctx.rank(0))
        else:
            y = ctx.op(onnx_op, x, axis=int(a.axis), keepdims=int(a.keepdims), dtype=np.int64)
        return ctx.cast(y, ctx.out_dtypes[0])

    return rule


onnx_rule("argmax")(arg_rule("ArgMax"))
onnx_rule("argmin")(arg_rule("ArgMin"))


@onnx_rule("argmax_channel")
def _argmax_channel(ctx):
    y = ctx.op("ArgMax", ctx.x, axis=-1, keepdims=0, dtype=np.int64)
    return ctx.cast(y, ctx.out_dtypes[0])


# ---------------------------------------------------------------------- products
def _reverse_perm(r: int) -> list[int]:
    return list(range(r - 1, -1, -1))


@onnx_rule("dot")
def _dot(ctx):
    a_, b_ = ctx.inputs
    ta, tb = ctx.attrs.transpose_a, ctx.attrs.transpose_b
    ra, rb = ctx.rank(a_), ctx.rank(b_)
    a = ctx.transpose(a_, _reverse_perm(ra)) if ta and ra > 1 else a_
    b = ctx.transpose(b_, _reverse_perm(rb)) if tb and rb > 1 else b_
    if ra == 1 and rb == 1:
        return ctx.reshape(ctx.op("MatMul", a, b), [1])
    if ra <= 2 and rb <= 2:
        return ctx.op("MatMul", a, b)
    # N-D: contract a's last axis with b's first, as MXNet (not NumPy's matmul broadcasting)
    a2 = ctx.op("Flatten", a, axis=ra - 1)
    b2 = ctx.op("Flatten", b, axis=1)
    y = ctx.op("MatMul", a2, b2)
    shape = ctx.concat_ints([ctx.dims(a, 0, ra - 1), ctx.dims(b, 1)])
    return ctx.reshape(y, shape)


@onnx_rule("batch_dot")
def _batch_dot(ctx):
    a, b = ctx.inputs
    if ctx.attrs.transpose_a:
        r = ctx.rank(a)
        a = ctx.transpose(a, list(range(r - 2)) + [r - 1, r - 2])
    if ctx.attrs.transpose_b:
        r = ctx.rank(b)
        b = ctx.transpose(b, list(range(r - 2)) + [r - 1, r - 2])
    return ctx.op("MatMul", a, b)


@onnx_rule("_linalg_gemm2", "linalg_gemm2")
def _gemm2(ctx):
    a, b = ctx.inputs
    at = ctx.attrs
    if getattr(at, "axis", -2) not in (-2, ctx.rank(a) - 2):
        raise ctx.fail(f"only the default axis=-2 is supported. Received: axis={at.axis}")
    if at.transpose_a:
        r = ctx.rank(a)
        a = ctx.transpose(a, list(range(r - 2)) + [r - 1, r - 2])
    if at.transpose_b:
        r = ctx.rank(b)
        b = ctx.transpose(b, list(range(r - 2)) + [r - 1, r - 2])
    y = ctx.op("MatMul", a, b)
    return y if at.alpha == 1.0 else ctx.op("Mul", y, ctx.scalar(at.alpha, like=0))
