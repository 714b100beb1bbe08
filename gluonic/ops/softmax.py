"""The softmax family and MXNet's loss-style output layers.

- ``softmax``, ``log_softmax``, ``softmin``, ``SoftmaxActivation``: normalized
  exponentials along an axis, differentiated by torch autograd.
- ``SoftmaxOutput`` and ``Linear/Logistic/MAERegressionOutput``: MXNet's "output layers".
  Their forward pass is a prediction (softmax, identity, sigmoid); their backward pass
  ignores the incoming gradient and writes the gradient of a loss against ``label``
  (``softmax - onehot(label)``, ``prediction - label``, …). They are implemented as
  ``torch.autograd.Function`` subclasses for that reason.
- ``softmax_cross_entropy`` (summed cross-entropy, shape (1,)) and ``smooth_l1``.
"""
from __future__ import annotations

import math
from typing import Literal

import torch

from ..base import GluonicIndexError, GluonicTypeError, GluonicValueError
from .activation import require_float
from .attrs import Attrs, DType
from .registry import BatchRule, register

__all__ = ["SoftmaxAttrs", "SoftmaxOutputAttrs", "RegressionOutputAttrs"]

_TORCH_FLOAT = {"float16": torch.float16, "float32": torch.float32, "float64": torch.float64,
                "bfloat16": torch.bfloat16}


def _dt(t: torch.Tensor | torch.dtype) -> str:
    return str(t if isinstance(t, torch.dtype) else t.dtype).replace("torch.", "")


def _norm_axis(op_name: str, axis: int, ndim: int) -> int:
    if not -ndim <= axis < max(ndim, 1):
        raise GluonicIndexError(
            f"Operator {op_name}: axis {axis} is out of range for {ndim}-D data (valid: "
            f"[-{ndim}, {ndim - 1}]). Received: axis={axis}"
        )
    return axis % ndim if ndim else 0


# ------------------------------------------------------------------------ softmax family
class SoftmaxAttrs(Attrs):
    axis: int = -1
    temperature: float | None = None
    dtype: DType | None = None
    use_length: bool | None = False


def _output_dtype(op_name: str, data: torch.Tensor, dtype: str | None) -> torch.dtype:
    if dtype is None:
        return data.dtype
    if dtype not in _TORCH_FLOAT:
        raise GluonicTypeError(
            f"Operator {op_name}: dtype must be a floating-point type (float16, float32, float64). "
            f"Received: dtype='{dtype}'"
        )
    return _TORCH_FLOAT[dtype]


def _length_mask(data: torch.Tensor, length: torch.Tensor, axis: int) -> torch.Tensor:
    """Boolean mask, True where the position along ``axis`` is below ``length``."""
    expected = tuple(data.shape[:axis] + data.shape[axis + 1:])
    if length.dtype.is_floating_point or length.dtype == torch.bool:
        raise GluonicTypeError(
            f"Operator softmax: length must have an integer dtype. Received: length {_dt(length)}"
        )
    if tuple(length.shape) != expected:
        raise GluonicValueError(
            f"Operator softmax: length must have the shape of data without axis {axis}, "
            f"{expected}. Received: data{tuple(data.shape)}, length{tuple(length.shape)}"
        )
    view = [1] * data.dim()
    view[axis] = data.shape[axis]
    positions = torch.arange(data.shape[axis], device=data.device).reshape(view)
    return positions < length.unsqueeze(axis)


def _softmax_like(op_name, data, length, a: SoftmaxAttrs, kind: str):
    require_float(op_name, data)
    axis = _norm_axis(op_name, a.axis, data.dim())
    out_dtype = _output_dtype(op_name, data, a.dtype)
    x = data.to(torch.promote_types(data.dtype, out_dtype))
    if a.temperature is not None and a.temperature != 1.0:
        x = x / a.temperature
    if kind == "softmin":
        x = -x
    if length is not None and not a.use_length:
        raise GluonicValueError(
            f"Operator {op_name}: a length input was given but use_length is False; pass "
            "use_length=True to mask positions at or beyond length. Received: use_length=False"
        )
    if a.use_length:
        if length is None:
            detail = ("needs the length input" if kind == "softmax"
                      else "does not take a length input in MXNet 1.9 (only softmax does)")
            raise GluonicValueError(f"Operator {op_name}: use_length=True {detail}. Received: no length")
        mask = _length_mask(data, length, axis)
        x = x.masked_fill(~mask, torch.finfo(x.dtype).min)
        out = torch.softmax(x, axis).masked_fill(~mask, 0)
    elif kind == "log_softmax":
        out = torch.log_softmax(x, axis)
    else:
        out = torch.softmax(x, axis)
    return out.to(out_dtype)


def _softmax_keeps_axis0(a, shapes) -> bool:
    ndim = len(shapes[0])
    return ndim > 1 and a.axis % ndim != 0 and not a.use_length


_SOFTMAX_BATCH = BatchRule(axis=0, when=_softmax_keeps_axis0)


@register("softmax", attrs=SoftmaxAttrs, batch=_SOFTMAX_BATCH)
def softmax(data, length=None, *, a: SoftmaxAttrs):
    """Softmax along ``axis``: exp(x / T) / sum(exp(x / T)) with T = ``temperature`` (default 1).

    With ``use_length=True`` the integer input ``length`` (the shape of ``data`` without
    ``axis``) masks positions at or beyond it: they get probability 0, and a length of 0
    gives a slice of zeros. ``dtype`` selects a floating output dtype (computed in the
    wider of the input and output types).

    Shapes: ``data`` (any) → same shape.

    Example
    -------
    >>> x = mx.nd.array([[0.0, 0.0, 5.0], [1.0, 1.0, 1.0]])
    >>> mx.nd.softmax(x, mx.nd.array([2, 0], dtype="int32"), use_length=True).asnumpy()
    array([[0.5, 0.5, 0. ],
           [0. , 0. , 0. ]], dtype=float32)
    """
    return _softmax_like("softmax", data, length, a, "softmax")


@register("log_softmax", attrs=SoftmaxAttrs, batch=_SOFTMAX_BATCH)
def log_softmax(data, *, a: SoftmaxAttrs):
    """Logarithm of the softmax along ``axis`` (computed stably; see ``softmax``).

    MXNet 1.9's ``log_softmax`` has no ``length`` input, so ``use_length=True`` is rejected.

    Shapes: ``data`` (any) → same shape.

    Example
    -------
    >>> mx.nd.log_softmax(mx.nd.array([0.0, 0.0])).asnumpy().round(3)
    array([-0.693, -0.693], dtype=float32)
    """
    return _softmax_like("log_softmax", data, None, a, "log_softmax")


@register("softmin", attrs=SoftmaxAttrs)
def softmin(data, *, a: SoftmaxAttrs):
    """Softmin along ``axis``: the softmax of ``-data / temperature``.

    Shapes: ``data`` (any) → same shape.

    Example
    -------
    >>> mx.nd.softmin(mx.nd.array([0.0, 1.0])).asnumpy().round(3)
    array([0.731, 0.269], dtype=float32)
    """
    return _softmax_like("softmin", data, None, a, "softmin")


class SoftmaxActivationAttrs(Attrs):
    mode: Literal["channel", "instance"] = "instance"


@register("SoftmaxActivation", attrs=SoftmaxActivationAttrs)
def softmax_activation(data, *, a: SoftmaxActivationAttrs):
    """Softmax over the last axis (``mode='instance'``) or over axis 1 (``mode='channel'``).

    Deprecated in MXNet in favour of ``softmax``. Channel mode needs at least 2-D data
    (MXNet 1.9 insists on 3-D; 2-D is accepted here since axis 1 exists).

    Shapes: ``data`` (N, C, …) → same shape.

    Example
    -------
    >>> mx.nd.SoftmaxActivation(mx.nd.ones((1, 2, 1)), mode="channel").asnumpy()
    array([[[0.5],
            [0.5]]], dtype=float32)
    """
    require_float("SoftmaxActivation", data)
    if a.mode == "channel":
        if data.dim() < 2:
            raise GluonicValueError(
                "Operator SoftmaxActivation: mode='channel' needs data with at least 2 dimensions "
                f"(N, C, ...). Received: data{tuple(data.shape)}"
            )
        return torch.softmax(data, 1)
    return torch.softmax(data, -1)


# ------------------------------------------------------------------------ SoftmaxOutput
class SoftmaxOutputAttrs(Attrs):
    grad_scale: float = 1.0
    ignore_label: float = -1.0
    multi_output: bool = False
    use_ignore: bool = False
    preserve_shape: bool = False
    normalization: Literal["batch", "null", "valid"] = "null"
    out_grad: bool = False
    smooth_alpha: float = 0.0


def _softmax_output_layout(data: torch.Tensor, label: torch.Tensor, a: SoftmaxOutputAttrs):
    """``((N, K, S), probabilistic)``: data seen as N rows of K classes at S positions."""
    shape = tuple(data.shape)
    if data.dim() == 0:
        raise GluonicValueError("Operator SoftmaxOutput: data must have at least 1 dimension. Received: data()")
    if a.multi_output:
        if data.dim() < 2:
            raise GluonicValueError(
                f"Operator SoftmaxOutput: multi_output=True needs data (N, C, ...). Received: data{shape}"
            )
        n, k, s = shape[0], shape[1], math.prod(shape[2:])
        expected = f"{(n,) + shape[2:]} or {(n, s)}"
        index_ok = label.dim() >= 1 and label.shape[0] == n and label.numel() == n * s
    elif a.preserve_shape:
        n, k, s = math.prod(shape[:-1]), shape[-1], 1
        expected = f"{shape[:-1]}"
        index_ok = tuple(label.shape) == shape[:-1] or (label.dim() == 1 and label.numel() == n)
    else:
        n = shape[0] if data.dim() >= 2 else 1
        k, s = math.prod(shape) // n if n else 0, 1
        expected = f"({n},)"
        index_ok = label.dim() <= 1 and label.numel() == n
    if tuple(label.shape) == shape:
        return (n, k, s), True
    if not index_ok:
        hint = ""
        if not (a.multi_output or a.preserve_shape) and data.dim() > 2:
            hint = (" (the softmax runs over all of data.shape[1:]; for per-position labels pass "
                    "multi_output=True for classes on axis 1 or preserve_shape=True for classes on the last axis)")
        raise GluonicValueError(
            f"Operator SoftmaxOutput: label must have shape {expected} (class indices) or the shape of data "
            f"(probabilities){hint}. Received: data{shape}, label{tuple(label.shape)}"
        )
    return (n, k, s), False


class _SoftmaxOutputFn(torch.autograd.Function):
    """Softmax forward; backward writes (softmax - target) scaled as MXNet does."""

    @staticmethod
    def forward(ctx, data, label, a, layout, probabilistic):
        out = torch.softmax(data.reshape(layout), 1).reshape(data.shape)
        ctx.save_for_backward(out, label)
        ctx.a, ctx.layout, ctx.probabilistic = a, layout, probabilistic
        return out

    @staticmethod
    def backward(ctx, grad_out):
        out, label = ctx.saved_tensors
        return _softmax_output_grad(out, label, grad_out, ctx.a, ctx.layout, ctx.probabilistic), None, None, None, None


def _softmax_output_grad(out, label, grad_out, a: SoftmaxOutputAttrs, layout, probabilistic):
    n, k, s = layout
    p = out.reshape(layout)
    if probabilistic:  # MXNet applies grad_scale but no normalization, ignoring or smoothing
        g = (p - label.reshape(layout).to(p.dtype)) * a.grad_scale
    else:
        lab = label.reshape(n, s)
        classes = torch.arange(k, device=p.device).reshape(1, k, 1)
        onehot = classes == lab.to(torch.int64).unsqueeze(1)
        target = onehot.to(p.dtype)
        if a.smooth_alpha:
            off = a.smooth_alpha / max(k - 1, 1)
            target = target * (1.0 - a.smooth_alpha - off) + off
        g = p - target
        valid = lab.to(torch.float64) != a.ignore_label
        if a.use_ignore:
            g = g * valid.unsqueeze(1).to(p.dtype)
        scale = a.grad_scale
        if a.normalization == "valid":
            g = g / valid.sum().clamp(min=1).to(p.dtype)
        elif a.normalization == "batch":
            scale /= n * (s if a.multi_output else 1)
        elif a.multi_output:
            scale /= s
        g = g * scale
    if a.out_grad:
        g = g * grad_out.reshape(layout)
    return g.reshape(out.shape)


@register("SoftmaxOutput", attrs=SoftmaxOutputAttrs, aliases=("Softmax",))
def softmax_output(data, label, *, a: SoftmaxOutputAttrs):
    """Softmax in the forward pass; the cross-entropy gradient against ``label`` in the backward pass.

    Forward: ``softmax`` over axis 1 (``multi_output``), over the last axis
    (``preserve_shape``), or by default over all of ``data.shape[1:]`` flattened.

    Backward (the incoming gradient is ignored unless ``out_grad``)::

        grad = (softmax - target) * grad_scale / norm

    ``target`` is the one-hot encoding of the class indices in ``label`` (labels outside
    [0, K) give a zero row), smoothed with ``smooth_alpha`` (the gold class gets
    1 - alpha, the others alpha / (K - 1)). With ``use_ignore`` positions whose label is
    ``ignore_label`` get zero gradient. ``norm``: ``'null'`` 1 (with ``multi_output``,
    the number of positions per sample), ``'batch'`` the number of rows (times positions
    with ``multi_output``), ``'valid'`` the number of labels != ``ignore_label``.
    A ``label`` of the same shape as ``data`` holds class probabilities: then
    ``grad = (softmax - label) * grad_scale``.

    ``label`` may have any numeric dtype (MXNet requires the dtype of ``data``).
    Where MXNet 1.9 is wrong, this follows its documentation: ``out_grad=True``
    multiplies by the incoming gradient (MXNet 1.9 multiplies by the softmax output), and
    ``smooth_alpha`` also applies with ``multi_output`` (MXNet 1.9 ignores it there).

    Shapes: default: ``data`` (N, …), ``label`` (N,); ``multi_output``: ``data``
    (N, C, d1, …), ``label`` (N, d1, …) or (N, d1*…); ``preserve_shape``: ``data``
    (…, C), ``label`` (…). Output: the shape of ``data``.

    Example
    -------
    >>> x, y = mx.nd.zeros((2, 2)), mx.nd.array([1, 0])
    >>> x.attach_grad()
    >>> with mx.autograd.record():
    ...     p = mx.nd.SoftmaxOutput(x, y, normalization="batch")
    >>> p.backward()
    >>> x.grad.asnumpy()  # (p - onehot(y)) / 2
    array([[ 0.25, -0.25],
           [-0.25,  0.25]], dtype=float32)
    """
    require_float("SoftmaxOutput", data)
    layout, probabilistic = _softmax_output_layout(data, label, a)
    return _SoftmaxOutputFn.apply(data, label, a, layout, probabilistic)


# ------------------------------------------------------------------------ regression outputs
class RegressionOutputAttrs(Attrs):
    grad_scale: float = 1.0


class _RegressionFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, data, label, a, kind):
        out = torch.sigmoid(data) if kind == "logistic" else data.clone()
        ctx.save_for_backward(out, label)
        ctx.a, ctx.kind = a, kind
        return out

    @staticmethod
    def backward(ctx, grad_out):
        out, label = ctx.saved_tensors
        diff = out - label.reshape(out.shape).to(out.dtype)
        if ctx.kind == "mae":
            diff = torch.sign(diff)
        per_row = label.numel() // label.shape[0] if label.dim() else 1
        return diff * (ctx.a.grad_scale / max(per_row, 1)), None, None, None


def _def_regression(name: str, kind: str, forward: str, grad: str, example: str):
    def impl(data, label, *, a: RegressionOutputAttrs):
        require_float(name, data)
        shape, lshape = tuple(data.shape), tuple(label.shape)
        if lshape != shape and not (data.dim() and label.dim() and lshape[0] == shape[0]
                                    and label.numel() == data.numel()):
            raise GluonicValueError(
                f"Operator {name}: label must have the shape of data, or its number of elements with the same "
                f"first dimension. Received: data{shape}, label{lshape}"
            )
        return _RegressionFn.apply(data, label, a, kind)

    impl.__doc__ = (
        f"{forward} in the forward pass; in the backward pass the gradient of a regression loss.\n\n"
        f"Backward (the incoming gradient is ignored): ``grad = {grad} * grad_scale / M`` with M the\n"
        "number of label elements per sample (``label.size / label.shape[0]``).\n\n"
        "Shapes: ``data`` (N, …), ``label`` the shape of ``data`` (or (N,) for data (N, 1)) →\n"
        "the shape of ``data``. ``label`` may have any numeric dtype.\n\n"
        "Example\n-------\n"
        f">>> mx.nd.{name}(mx.nd.array([[0.0]]), mx.nd.array([1.0])).asnumpy()\n"
        f"array([[{example}]], dtype=float32)\n"
    )
    register(name, attrs=RegressionOutputAttrs, batch=BatchRule(axis=0))(impl)


_def_regression("LinearRegressionOutput", "linear", "Identity", "(data - label)", "0.")
_def_regression("LogisticRegressionOutput", "logistic", "Sigmoid", "(sigmoid(data) - label)", "0.5")
_def_regression("MAERegressionOutput", "mae", "Identity", "sign(data - label)", "0.")


# ------------------------------------------------------------------------ losses
@register("softmax_cross_entropy")
def softmax_cross_entropy(data, label):
    """Cross-entropy of ``softmax(data)`` against class indices, summed over the batch.

    ``loss = -sum_i log(softmax(data[i])[label[i]])``. Labels are truncated to integers;
    labels outside [0, K) contribute 0 (MXNet reads out of bounds). No gradient flows
    to ``label``.

    Shapes: ``data`` (N, K), ``label`` (N,) of any numeric dtype → (1,) in the dtype of ``data``.

    Example
    -------
    >>> mx.nd.softmax_cross_entropy(mx.nd.array([[0.0, 0.0]]), mx.nd.array([1])).asnumpy().round(3)
    array([0.693], dtype=float32)
    """
    require_float("softmax_cross_entropy", data)
    if data.dim() != 2 or label.dim() != 1 or label.shape[0] != data.shape[0]:
        raise GluonicValueError(
            "Operator softmax_cross_entropy: expected data (N, K) and label (N,). "
            f"Received: data{tuple(data.shape)}, label{tuple(label.shape)}"
        )
    k = data.shape[1]
    idx = label.detach().to(torch.int64)
    inside = (idx >= 0) & (idx < k)
    picked = torch.log_softmax(data, 1).gather(1, idx.clamp(0, max(k - 1, 0)).unsqueeze(1)).squeeze(1)
    return -(picked * inside.to(data.dtype)).sum().reshape(1)


class SmoothL1Attrs(Attrs):
    scalar: float = 1.0


@register("smooth_l1", attrs=SmoothL1Attrs, batch=BatchRule(axis=0))
def smooth_l1(data, *, a: SmoothL1Attrs):
    """Smooth L1 (Huber-like) function, elementwise, with σ = ``scalar``::

        f(x) = 0.5 * (σ x)²      if |x| < 1 / σ²
               |x| - 0.5 / σ²    otherwise

    Integer inputs are computed in float64 and truncated back, as MXNet does.

    Shapes: ``data`` (any) → same shape and dtype.

    Example
    -------
    >>> mx.nd.smooth_l1(mx.nd.array([0.5, 2.0]), scalar=1.0).asnumpy()
    array([0.125, 1.5  ], dtype=float32)
    """
    x = data if data.dtype.is_floating_point else data.to(torch.float64)
    sigma2 = a.scalar * a.scalar
    absx = x.abs()
    y = torch.where(absx < 1.0 / sigma2, 0.5 * sigma2 * x * x, absx - 0.5 / sigma2)
    return y if y.dtype == data.dtype else y.to(data.dtype)
