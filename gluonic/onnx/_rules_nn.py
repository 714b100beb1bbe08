"""ONNX conversions: layers (Convolution, Deconvolution, FullyConnected, Pooling, normalizations,
activations, softmax family, Dropout, Embedding, UpSampling) and the loss outputs at inference."""
from __future__ import annotations

import math

import numpy as np

from ._graph import NodeContext, onnx_rule


def _check_layout(ctx: NodeContext) -> None:
    layout = getattr(ctx.attrs, "layout", None)
    if layout is not None and not (layout.startswith("NC") and len(layout) == ctx.rank(0)):
        raise ctx.fail(f"only channels-first layouts (NCW, NCHW, NCDHW) export to ONNX. Received: layout={layout}")


def _spatial(values, n: int, default: int) -> list[int]:
    values = tuple(values or ())
    return list(values) if values else [default] * n


# ---------------------------------------------------------------------- convolutions
@onnx_rule("Convolution", "Convolution_v1")
def _convolution(ctx: NodeContext):
    a = ctx.attrs
    _check_layout(ctx)
    n = len(a.kernel)
    pad = _spatial(a.pad, n, 0)
    bias = None if a.no_bias else ctx.input("bias")
    return ctx.op("Conv", ctx.x, ctx.input("weight"), bias, kernel_shape=list(a.kernel),
                  strides=_spatial(a.stride, n, 1), dilations=_spatial(a.dilate, n, 1), pads=pad + pad,
                  group=int(a.num_group))


@onnx_rule("Deconvolution")
def _deconvolution(ctx: NodeContext):
    a = ctx.attrs
    _check_layout(ctx)
    n = len(a.kernel)
    pad = _spatial(a.pad, n, 0)
    adj = _spatial(a.adj, n, 0)
    stride, dilate = _spatial(a.stride, n, 1), _spatial(a.dilate, n, 1)
    if a.target_shape and any(a.target_shape):
        # MXNet derives padding from the requested output size: do the same arithmetic here.
        in_sp = ctx.shape(0)[2:]
        if any(d is None for d in in_sp):
            raise ctx.fail("target_shape needs static spatial input dimensions")
        pad, adj = [], []
        for d, k, s, dl, t in zip(in_sp, a.kernel, stride, dilate, a.target_shape):
            total = s * (d - 1) + dl * (k - 1) + 1 - t
            adj.append(total % 2)
            pad.append((total + 1) // 2)
    bias = None if a.no_bias else ctx.input("bias")
    return ctx.op("ConvTranspose", ctx.x, ctx.input("weight"), bias, kernel_shape=list(a.kernel), strides=stride,
                  dilations=dilate, pads=pad + pad, output_padding=adj, group=int(a.num_group))


# ---------------------------------------------------------------------- dense
@onnx_rule("FullyConnected")
def _fully_connected(ctx: NodeContext):
    a = ctx.attrs
    x, w = ctx.x, ctx.input("weight")
    bias = None if a.no_bias else ctx.input("bias")
    if bias is not None and ctx.dtype(bias) != ctx.dtype(x):
        bias = ctx.cast(bias, ctx.dtype(x))
    if a.flatten:
        if ctx.rank(x) != 2:
            x = ctx.op("Flatten", x, axis=1)
        return ctx.op("Gemm", x, w, bias, transB=1)
    wv = ctx.value(w)
    wt = ctx.const(np.ascontiguousarray(wv.T)) if wv is not None else ctx.transpose(w, [1, 0])
    y = ctx.op("MatMul", x, wt)
    return y if bias is None else ctx.op("Add", y, bias)


@onnx_rule("Embedding")
def _embedding(ctx: NodeContext):
    idx = ctx.cast(ctx.x, np.int64)
    idx = ctx.op("Clip", idx, ctx.const(np.int64(0)), ctx.const(np.int64(ctx.attrs.input_dim - 1)))
    return ctx.op("Gather", ctx.input("weight"), idx, axis=0)


# ---------------------------------------------------------------------- activations
_ACT = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus", "softsign": "Softsign"}


@onnx_rule("Activation")
def _activation(ctx: NodeContext):
    return ctx.op(_ACT[ctx.attrs.act_type], ctx.x)


def _gelu(ctx: NodeContext, x: str) -> str:
    """x * Φ(x) with the exact (erf) normal CDF, as MXNet."""
    e = ctx.op("Erf", ctx.op("Mul", x, ctx.scalar(1.0 / math.sqrt(2.0))))
    return ctx.op("Mul", ctx.op("Mul", x, ctx.scalar(0.5)), ctx.op("Add", e, ctx.scalar(1.0)))


@onnx_rule("LeakyReLU")
def _leaky_relu(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    kind = a.act_type
    if kind == "leaky":
        return ctx.op("LeakyRelu", x, alpha=float(a.slope))
    if kind == "rrelu":  # inference: the mean of the random slopes; the second output (slopes drawn) is 0
        y = ctx.op("LeakyRelu", x, alpha=float(a.lower_bound + a.upper_bound) / 2)
        zeros = ctx.op("Expand", ctx.scalar(0.0, like=x), ctx.shape_of(x))
        return [y, zeros]
    if kind == "elu":
        return ctx.op("Elu", x, alpha=float(a.slope))
    if kind == "selu":
        return ctx.op("Selu", x, alpha=1.6732632423543772, gamma=1.0507009873554805)
    if kind == "gelu":
        return _gelu(ctx, x)
    # prelu: one slope per channel (data's axis 1), or a single slope
    g = ctx.input("gamma")
    r = ctx.rank(x)
    gv = ctx.value(g)
    if gv is not None:
        slope = gv.astype(ctx.dtype(x))
        if slope.size > 1 and r > 2:
            slope = slope.reshape((-1,) + (1,) * (r - 2))
        elif slope.size == 1:
            slope = slope.reshape(())
        g = ctx.const(slope)
    else:
        g = ctx.cast(g, ctx.dtype(x))
        if r > 2:
            g = ctx.unsqueeze(g, list(range(1, r - 1)))
    return ctx.op("PRelu", x, g)


@onnx_rule("Dropout")
def _dropout(ctx: NodeContext):  # inference: identity (mode='always' is dropped too)
    return ctx.op("Identity", ctx.x)


@onnx_rule("Flatten", "flatten")
def _flatten(ctx: NodeContext):
    return ctx.op("Flatten", ctx.x, axis=1)


# ---------------------------------------------------------------------- softmax family
def _temperature(ctx: NodeContext, x: str) -> str:
    t = getattr(ctx.attrs, "temperature", None)
    return x if t is None or t == 1.0 else ctx.op("Div", x, ctx.scalar(t))


def _softmax_rule(onnx_op: str, negate: bool = False):
    def rule(ctx: NodeContext):
        a = ctx.attrs
        if getattr(a, "use_length", False):
            raise ctx.fail("use_length=True has no ONNX conversion")
        x = ctx.x
        if negate:
            x = ctx.op("Neg", x)
        y = ctx.op(onnx_op, _temperature(ctx, x), axis=int(a.axis))
        return ctx.cast(y, ctx.out_dtypes[0])

    return rule


onnx_rule("softmax")(_softmax_rule("Softmax"))
onnx_rule("log_softmax")(_softmax_rule("LogSoftmax"))
onnx_rule("softmin")(_softmax_rule("Softmax", negate=True))


def _softmax_flat(ctx: NodeContext, x: str) -> str:
    """Softmax over everything but the first axis (MXNet's instance softmax)."""
    if ctx.rank(x) == 2:
        return ctx.op("Softmax", x, axis=1)
    y = ctx.op("Softmax", ctx.op("Flatten", x, axis=1), axis=1)
    return ctx.reshape(y, ctx.shape_of(x))


@onnx_rule("SoftmaxActivation")
def _softmax_activation(ctx: NodeContext):
    return ctx.op("Softmax", ctx.x, axis=1 if ctx.attrs.mode == "channel" else -1)


@onnx_rule("SoftmaxOutput", "Softmax")
def _softmax_output(ctx: NodeContext):  # inference: the softmax only; the label is not used
    a = ctx.attrs
    if a.multi_output:
        return ctx.op("Softmax", ctx.x, axis=1)
    if a.preserve_shape:
        return ctx.op("Softmax", ctx.x, axis=-1)
    return _softmax_flat(ctx, ctx.x)


onnx_rule("LinearRegressionOutput", "MAERegressionOutput")(lambda ctx: ctx.op("Identity", ctx.x))
onnx_rule("LogisticRegressionOutput")(lambda ctx: ctx.op("Sigmoid", ctx.x))


# ---------------------------------------------------------------------- pooling
def _torch_ceil_size(n: int, k: int, s: int, p: int) -> int:
    o = -(-(n + 2 * p - k) // s) + 1
    return o - 1 if (o - 1) * s >= n + p else o


@onnx_rule("Pooling", "Pooling_v1")
def _pooling(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    _check_layout(ctx)
    r = ctx.rank(x)
    kind = a.pool_type
    if a.global_pool:
        if kind == "max":
            return ctx.op("GlobalMaxPool", x)
        if kind == "avg":
            return ctx.op("GlobalAveragePool", x)
        if kind == "sum":
            return ctx.reduce("ReduceSum", x, list(range(2, r)), True)
        return ctx.op("GlobalLpPool", x, p=int(a.p_value))
    n = len(a.kernel)
    kernel = list(a.kernel)
    stride, pad = _spatial(a.stride, n, 1), _spatial(a.pad, n, 0)
    pads = pad + pad
    attrs: dict = {"kernel_shape": kernel, "strides": stride}
    conv = a.pooling_convention
    in_sp, out_sp = ctx.shape(0)[2:], (ctx.out_shapes[0] or ())[2:]
    static = len(out_sp) == n and all(d is not None for d in in_sp) and all(d is not None for d in out_sp)
    if conv == "same":  # windows at 0, stride, ... clipped at the end: all the padding goes after
        if static:
            attrs["pads"] = [0] * n + [max((o - 1) * s + k - d, 0) for o, d, k, s in zip(out_sp, in_sp, kernel, stride)]
        else:
            attrs["auto_pad"] = "SAME_UPPER"
        if kind == "avg":
            return ctx.op("AveragePool", x, count_include_pad=0, **attrs)
    else:
        attrs["pads"] = pads
        if conv == "full":
            attrs["ceil_mode"] = 1
            if static:
                onnx_sp = [_torch_ceil_size(d, k, s, p) for d, k, s, p in zip(in_sp, kernel, stride, pad)]
                if onnx_sp != list(out_sp):  # MXNet keeps a last window that starts in the padding
                    extra = [(o - 1) * s + k - (d + 2 * p) for o, d, k, s, p in zip(out_sp, in_sp, kernel, stride, pad)]
                    attrs["ceil_mode"] = 0
                    attrs["pads"] = pad + [p + e for p, e in zip(pad, extra)]
    if kind == "max":
        return ctx.op("MaxPool", x, **attrs)
    if kind == "lp":
        return ctx.op("LpPool", x, p=int(a.p_value), **attrs)
    cip = getattr(a, "count_include_pad", None)
    include = True if cip is None else bool(cip)
    if kind == "sum":
        y = ctx.op("AveragePool", x, count_include_pad=1, **attrs)
        return ctx.op("Mul", y, ctx.scalar(float(np.prod(kernel))))
    return ctx.op("AveragePool", x, count_include_pad=int(include), **attrs)


@onnx_rule("UpSampling")
def _upsampling(ctx: NodeContext):
    a = ctx.attrs
    if a.sample_type != "nearest":
        raise ctx.fail("only sample_type='nearest' is supported (bilinear UpSampling is a learned deconvolution)")
    outs, first = [], None
    for i, x in enumerate(ctx.inputs):
        r = ctx.rank(x)
        if i == 0:
            scales = [1.0, 1.0] + [float(a.scale)] * (r - 2)
            y = ctx.op("Resize", x, "", ctx.const(np.asarray(scales, np.float32)), mode="nearest",
                       coordinate_transformation_mode="asymmetric", nearest_mode="floor")
            first = y
        else:  # every input is upsampled to the first output's spatial size
            spatial = ctx.op("Slice", ctx.shape_of(first), ctx.ints([2]), ctx.ints([r]))
            sizes = ctx.concat_ints([ctx.dims(x, 0, 2), spatial])
            y = ctx.op("Resize", x, "", "", sizes, mode="nearest", coordinate_transformation_mode="asymmetric",
                       nearest_mode="floor")
        outs.append(y)
    if len(outs) == 1:
        return outs[0]
    if a.multi_input_mode == "sum":
        return ctx.op("Sum", *outs)
    return ctx.op("Concat", *outs, axis=1)


# ---------------------------------------------------------------------- normalization
def _param(ctx: NodeContext, name: str, dtype) -> str:
    """Input ``name`` cast to ``dtype`` (folded when the value is known)."""
    p = ctx.input(name)
    v = ctx.value(p)
    if v is not None:
        return ctx.const(v.astype(dtype))
    return ctx.cast(p, dtype)


def _bcast(ctx: NodeContext, p: str, rank: int, axis: int) -> str:
    """A (C,) parameter shaped to broadcast along ``axis`` of a rank-``rank`` tensor."""
    trailing = rank - 1 - axis
    if trailing == 0:
        return p
    v = ctx.value(p)
    if v is not None:
        return ctx.const(v.reshape((-1,) + (1,) * trailing))
    return ctx.unsqueeze(p, list(range(1, trailing + 1)))


def _normalize(ctx: NodeContext, x: str, axes, eps: float) -> tuple[str, str, str]:
    """(normalized x, mean, var) over ``axes`` (kept)."""
    mean = ctx.reduce("ReduceMean", x, axes, True)
    d = ctx.op("Sub", x, mean)
    var = ctx.reduce("ReduceMean", ctx.op("Mul", d, d), axes, True)
    y = ctx.op("Div", d, ctx.op("Sqrt", ctx.op("Add", var, ctx.scalar(eps, like=x))))
    return y, mean, var


@onnx_rule("BatchNorm", "BatchNorm_v1")
def _batch_norm(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    dt = ctx.dtype(x)
    r = ctx.rank(x)
    axis = a.axis % r
    gamma = ctx.input("gamma")
    if a.fix_gamma:
        gv = ctx.value(gamma)
        gamma = (ctx.const(np.ones(gv.shape, dt)) if gv is not None
                 else ctx.op("Expand", ctx.scalar(1.0, like=x), ctx.shape_of(gamma)))
    else:
        gamma = _param(ctx, "gamma", dt)
    beta, mean, var = (_param(ctx, k, dt) for k in ("beta", "moving_mean", "moving_var"))
    if axis == 1 and r >= 2:
        y = ctx.op("BatchNormalization", x, ctx.cast(gamma, dt), beta, mean, var, epsilon=float(a.eps))
    else:
        inv = ctx.op("Div", gamma, ctx.op("Sqrt", ctx.op("Add", var, ctx.scalar(a.eps, like=x))))
        shift = ctx.op("Sub", beta, ctx.op("Mul", mean, inv))
        y = ctx.op("Add", ctx.op("Mul", x, _bcast(ctx, inv, r, axis)), _bcast(ctx, shift, r, axis))
    if ctx.node.num_outputs() == 3:  # as MXNet: the mean and the inverse standard deviation used
        invstd = ctx.op("Reciprocal", ctx.op("Sqrt", ctx.op("Add", var, ctx.scalar(a.eps, like=x))))
        return [y, ctx.op("Identity", mean), invstd]
    return y


@onnx_rule("LayerNorm")
def _layer_norm(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    r = ctx.rank(x)
    axis = a.axis % r
    dt = ctx.dtype(x)
    gamma, beta = _param(ctx, "gamma", dt), _param(ctx, "beta", dt)
    if a.output_mean_var:
        raise ctx.fail("output_mean_var=True has no ONNX conversion")
    if axis == r - 1 and ctx.opset >= 17:
        return ctx.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=float(a.eps))
    y, _, _ = _normalize(ctx, x, [axis], a.eps)
    return ctx.op("Add", ctx.op("Mul", y, _bcast(ctx, gamma, r, axis)), _bcast(ctx, beta, r, axis))


@onnx_rule("InstanceNorm")
def _instance_norm(ctx: NodeContext):
    dt = ctx.dtype(0)
    return ctx.op("InstanceNormalization", ctx.x, _param(ctx, "gamma", dt), _param(ctx, "beta", dt),
                  epsilon=float(ctx.attrs.eps))


@onnx_rule("GroupNorm")
def _group_norm(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    if a.output_mean_var:
        raise ctx.fail("output_mean_var=True has no ONNX conversion")
    dt = ctx.dtype(x)
    g = int(a.num_groups)
    xg = ctx.reshape(x, [0, g, -1])
    y, _, _ = _normalize(ctx, xg, [2], a.eps)
    gamma, beta = _param(ctx, "gamma", dt), _param(ctx, "beta", dt)
    y = ctx.op("Add", ctx.op("Mul", y, _bcast(ctx, gamma, 3, 1)), _bcast(ctx, beta, 3, 1))
    return ctx.reshape(y, ctx.shape_of(x))


@onnx_rule("L2Normalization")
def _l2_normalization(ctx: NodeContext):
    a, x = ctx.attrs, ctx.x
    r = ctx.rank(x)
    axes = {"instance": list(range(1, r)), "channel": [1], "spatial": list(range(2, r))}[a.mode]
    ss = ctx.reduce("ReduceSum", ctx.op("Mul", x, x), axes, True)
    return ctx.op("Div", x, ctx.op("Sqrt", ctx.op("Add", ss, ctx.scalar(a.eps, like=x))))


@onnx_rule("LRN")
def _lrn(ctx: NodeContext):
    a = ctx.attrs
    return ctx.op("LRN", ctx.x, alpha=float(a.alpha), beta=float(a.beta), bias=float(a.knorm), size=int(a.nsize))
