"""MXNet's ``_npx_*`` operator names, and the few ``npx`` operators that exist only in NumPy mode.

MXNet 1.9's NumPy front end (``mx.npx``) mostly re-exposes the legacy operators under
``_npx_*`` names (``_npx_fully_connected`` is ``FullyConnected``); those names are
aliases here, so a symbol file that spells them loads. Five ``_npx_*`` operators are
distinct in MXNet and are defined here: ``_npx_relu`` and ``_npx_sigmoid`` (the same
maths as ``relu``/``sigmoid``, aliased), ``_npx_reshape`` (NumPy-mode reshape codes
-1..-6), ``_npx_nonzero`` and ``_npx_constraint_check``; ``_contrib_arange_like``
(``_npx_arange_like``) is defined here too.

Not provided (MXNet has them, gluonic has no legacy op for them yet):
``_npx_multibox_detection``, ``_npx_multibox_prior``, ``_npx_multibox_target``,
``_npx_roi_pooling``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from .. import _dtype
from ..base import GluonicValueError
from .attrs import Attrs, Shape
from .registry import add_aliases, find, register

# legacy op -> its _npx_* names (MXNet 1.9.1's list, from MXListAllOpNames)
_ALIASES = {
    "Activation": "_npx_activation",
    "batch_dot": "_npx_batch_dot",
    "Flatten": "_npx_batch_flatten",
    "BatchNorm": "_npx_batch_norm",
    "Cast": "_npx_cast",
    "Convolution": "_npx_convolution",
    "Deconvolution": "_npx_deconvolution",
    "Dropout": "_npx_dropout",
    "Embedding": "_npx_embedding",
    "erf": "_npx_erf",
    "erfinv": "_npx_erfinv",
    "FullyConnected": "_npx_fully_connected",
    "gamma": "_npx_gamma",
    "gammaln": "_npx_gammaln",
    "gather_nd": "_npx_gather_nd",
    "LayerNorm": "_npx_layer_norm",
    "LeakyReLU": "_npx_leaky_relu",
    "log_softmax": "_npx_log_softmax",
    "one_hot": "_npx_one_hot",
    "pick": "_npx_pick",
    "Pooling": "_npx_pooling",
    "reshape_like": "_npx_reshape_like",
    "RNN": "_npx_rnn",
    "SequenceMask": "_npx_sequence_mask",
    "shape_array": "_npx_shape_array",
    "slice": "_npx_slice",
    "smooth_l1": "_npx_smooth_l1",
    "softmax": "_npx_softmax",
    "topk": "_npx_topk",
    # _npx_relu / _npx_sigmoid are separate ops in MXNet with the same maths and no attributes
    "relu": "_npx_relu",
    "sigmoid": "_npx_sigmoid",
    # npx.image: _npx__image_X is _image_X
    **{f"_image_{n}": f"_npx__image_{n}" for n in (
        "adjust_lighting", "crop", "flip_left_right", "flip_top_bottom", "normalize", "random_brightness",
        "random_color_jitter", "random_contrast", "random_flip_left_right", "random_flip_top_bottom", "random_hue",
        "random_lighting", "random_saturation", "resize", "to_tensor")},
}

MISSING = ("_npx_multibox_detection", "_npx_multibox_prior", "_npx_multibox_target", "_npx_roi_pooling")


def _add_all() -> None:
    for legacy, alias in _ALIASES.items():
        if find(alias) is None and find(legacy) is not None:  # some families declare their alias themselves
            add_aliases(legacy, alias)


# ------------------------------------------------------------------------------ _npx_reshape
class NpxReshapeAttrs(Attrs):
    newshape: Shape
    reverse: bool = False
    order: str = "C"


def npx_reshape_shape(src: Sequence[int], newshape: Sequence[int], reverse: bool = False,
                      op: str = "_npx_reshape") -> tuple[int, ...]:
    """The output shape of ``npx.reshape`` for input shape ``src`` and codes ``newshape``.

    Codes (left to right, or right to left with ``reverse=True``); each consumes input
    dimensions as noted:

    - ``d >= 0``: a dimension of size ``d`` (consumes one);
    - ``-1``: inferred from the remaining size, at most one (consumes one);
    - ``-2``: copy the next input dimension;
    - ``-3``: drop the next input dimension, which must be 1;
    - ``-4``: copy all remaining input dimensions;
    - ``-5``: the product of the next two input dimensions;
    - ``-6, d1, d2``: split the next input dimension into ``d1 * d2`` (one may be -1).

    >>> npx_reshape_shape((8, 3, 3, 3, 4, 4), (-6, 2, -1, -4))
    (2, 4, 3, 3, 3, 4, 4)
    """
    src0, codes0 = tuple(src), tuple(newshape)

    def fail(why: str):
        raise GluonicValueError(f"Operator {op}: cannot reshape an array of shape {src0} into {codes0}"
                                f"{' (reverse=True)' if reverse else ''}: {why}. Received: shape {src0}, "
                                f"newshape={codes0}")

    src = src0[::-1] if reverse else src0
    codes = codes0[::-1] if reverse else codes0
    out: list[int] = []
    unknown = None  # position of the -1 in out
    j = 0  # next input dimension

    def next_dim(what: str) -> int:
        nonlocal j
        if j >= len(src):
            fail(f"{what} has no input dimension left")
        j += 1
        return src[j - 1]

    i = 0
    while i < len(codes):
        c = codes[i]
        if c < -6:
            fail(f"{c} is not a code (sizes are >= 0, codes -1 to -6)")
        if c >= 0:
            out.append(c)
            j += 1
        elif c == -1:
            if unknown is not None:
                fail("only one dimension can be -1")
            unknown = len(out)
            out.append(-1)
            j += 1
        elif c == -2:
            out.append(next_dim("-2"))
        elif c == -3:
            if next_dim("-3") != 1:
                fail(f"-3 drops an input dimension of size 1, not {src[j - 1]}")
        elif c == -4:
            out.extend(src[j:])
            j = len(src)
        elif c == -5:
            if j + 1 >= len(src):
                fail("-5 needs two input dimensions left")
            out.append(src[j] * src[j + 1])
            j += 2
        else:  # -6 d1 d2
            if i + 2 >= len(codes):
                fail("-6 must be followed by two sizes")
            d0 = next_dim("-6")
            d1, d2 = codes[i + 1], codes[i + 2]
            if d1 == -1 and d2 == -1 or (-1 in (d1, d2) and unknown is not None):
                fail("only one dimension can be -1")
            if d1 < -1 or d2 < -1:
                fail("the sizes after -6 must be >= 0 or -1")
            if d1 == -1:
                d1 = d0 // d2 if d2 else -1
            elif d2 == -1:
                d2 = d0 // d1 if d1 else -1
            if d1 < 0 or d2 < 0 or d1 * d2 != d0:
                fail(f"{codes[i + 1]} * {codes[i + 2]} does not split input dimension {d0}")
            out += [d1, d2]
            i += 2
        i += 1
    size = math.prod(src)
    if unknown is not None:
        known = math.prod(d for k, d in enumerate(out) if k != unknown)
        if known == 0 or size % known:
            fail("the -1 dimension cannot be inferred")
        out[unknown] = size // known
    if math.prod(out) != size:
        fail(f"the element count would change from {size} to {math.prod(out)}")
    return tuple(out[::-1] if reverse else out)


def _reshape_rule(shapes, dtypes, a: NpxReshapeAttrs):
    return [(npx_reshape_shape(shapes[0], a.newshape, a.reverse), dtypes[0])]


@register("_npx_reshape", attrs=NpxReshapeAttrs, shape_rule=_reshape_rule)
def npx_reshape(data, *, a: NpxReshapeAttrs):
    """``data`` (a copy) in shape ``npx_reshape_shape(data.shape, newshape, reverse)``.

    NumPy mode's reshape codes -1..-6, not the legacy ``Reshape`` codes (see
    :func:`npx_reshape_shape`). MXNet names the input ``a``; it is ``data`` here (``a``
    is the attributes' keyword). Only ``order='C'`` is supported, as in MXNet.

    Example: ``_npx_reshape(ones((2, 3, 8)), newshape=(-2, -2, 2, -1))`` has shape (2, 3, 2, 4).
    """
    if a.order != "C":
        raise GluonicValueError(f"Operator _npx_reshape: only order='C' is supported. Received: order={a.order!r}")
    return data.reshape(npx_reshape_shape(tuple(data.shape), a.newshape, a.reverse))


# ------------------------------------------------------------------------------ _npx_nonzero
def _nonzero_rule(shapes, dtypes, a):
    raise GluonicValueError("Operator _npx_nonzero: the output shape depends on the values (the number of nonzero "
                            f"elements) and cannot be inferred. Received: input shape {tuple(shapes[0])}")


@register("_npx_nonzero", shape_rule=_nonzero_rule, differentiable=False)
def npx_nonzero(x):
    """Indices of the nonzero elements of ``x``, one row per element: int64 of shape (N, x.ndim).

    A 0-d input counts as shape (1,) (as in MXNet): the result is (1, 1) or (0, 1).
    The output shape depends on the data (eager use; no shape inference).

    Example: ``_npx_nonzero([[1, 0], [0, 2]]) = [[0, 0], [1, 1]]``
    """
    if x.dim() == 0:
        x = x.reshape(1)
    return torch.nonzero(x).to(torch.int64)


# ------------------------------------------------------------------------------ _npx_constraint_check
class ConstraintCheckAttrs(Attrs):
    msg: str = "Constraint violated."


def _constraint_rule(shapes, dtypes, a):
    return [((), _dtype.from_torch(torch.bool))]


@register("_npx_constraint_check", attrs=ConstraintCheckAttrs, shape_rule=_constraint_rule, differentiable=False)
def npx_constraint_check(input, *, a: ConstraintCheckAttrs):  # noqa: A002 - MXNet's input name
    """``True`` (a 0-d bool array) when every element of ``input`` is true; raises ``ValueError(msg)`` otherwise.

    Multiply a value by the result to keep the check in a traced graph.

    Example: ``_npx_constraint_check(x > 0, msg="x must be positive")``
    """
    if input.device.type != "meta" and not bool(input.all()):
        raise GluonicValueError(f"{a.msg} (npx.constraint_check). Received: an array of shape {tuple(input.shape)} "
                                "with a false element")
    return torch.ones((), dtype=torch.bool, device=input.device)


# ------------------------------------------------------------------------------ _contrib_arange_like
class ArangeLikeAttrs(Attrs):
    start: float = 0.0
    step: float = 1.0
    repeat: int = 1
    ctx: str = ""
    axis: int | None = None


@register("_contrib_arange_like", attrs=ArangeLikeAttrs, aliases=("_npx_arange_like",), differentiable=False)
def arange_like(data, *, a: ArangeLikeAttrs):
    """``start, start + step, ...`` (each value ``repeat`` times) shaped like ``data`` (dtype of ``data``),
    or, with ``axis``, a 1-d array as long as ``data.shape[axis]``. For integer dtypes ``start``
    and ``step`` are truncated first (as in MXNet).

    Example: ``arange_like(ones((2, 3)), start=1)`` is ``[[1, 2, 3], [4, 5, 6]]``;
    ``arange_like(ones((2, 3)), axis=-1)`` is ``[0, 1, 2]``.
    """
    if a.repeat < 1:
        raise GluonicValueError(f"Operator _contrib_arange_like: repeat must be positive. Received: repeat={a.repeat}")
    if a.axis is None:
        shape = tuple(data.shape)
    else:
        from .shape import normalize_axis

        shape = (data.shape[normalize_axis("_contrib_arange_like", a.axis, data.dim(), shape=data.shape)],)
    start, step = a.start, a.step
    if not data.dtype.is_floating_point:  # integer outputs: start and step are truncated first, as in MXNet
        start, step = math.trunc(start), math.trunc(step)
    idx = torch.arange(math.prod(shape), dtype=torch.float64, device=data.device)
    values = start + step * torch.div(idx, a.repeat, rounding_mode="floor")
    return values.to(data.dtype).reshape(shape)


_add_all()
