"""Backward shape rules: complete the unknown shapes of an op's weight-like inputs.

MXNet infers ``weight`` of FullyConnected from ``data`` and ``num_hidden``; Gluon's
deferred initialization and symbolic ``infer_shape`` rely on it. A rule receives the
input shapes (``None`` or a tuple with ``0`` for unknown dimensions) and the parsed
attributes (and the op's output shapes, as far as they are known) and returns the
input shapes it can complete (others unchanged). Output-driven rules (``Reshape``,
``_rnn_param_concat``) let a fused RNN layer's per-gate weights be inferred from the
packed parameter vector that ``RNN`` infers from its data, as in MXNet.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from . import registry

Shapes = list


def _known(shape) -> bool:
    return shape is not None and all(d > 0 for d in shape)


def _fill(shapes: Shapes, i: int, shape: tuple) -> None:
    if i < len(shapes) and not _known(shapes[i]):
        shapes[i] = shape


def _channels_last(layout: str | None) -> bool:
    return bool(layout) and layout[-1] == "C"


def _fully_connected(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    data = shapes[0]
    if _known(data):
        in_units = math.prod(data[1:]) if a.flatten else data[-1]
        _fill(out, 1, (a.num_hidden, in_units))
    _fill(out, 2, (a.num_hidden,))
    return out


def _convolution(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    data = shapes[0]
    if _known(data) if data is not None else False:
        channels = data[-1] if _channels_last(a.layout) else data[1]
        per_group = channels // a.num_group
        if _channels_last(a.layout):
            _fill(out, 1, (a.num_filter, *a.kernel, per_group))
        else:
            _fill(out, 1, (a.num_filter, per_group, *a.kernel))
    _fill(out, 2, (a.num_filter,))
    return out


def _deconvolution(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    data = shapes[0]
    if _known(data):
        channels = data[-1] if _channels_last(a.layout) else data[1]
        if _channels_last(a.layout):
            _fill(out, 1, (channels, *a.kernel, a.num_filter // a.num_group))
        else:
            _fill(out, 1, (channels, a.num_filter // a.num_group, *a.kernel))
    _fill(out, 2, (a.num_filter,))
    return out


def _per_channel(axis_of: Callable, count: int) -> Callable:
    def rule(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
        out = list(shapes)
        data = shapes[0]
        if _known(data):
            c = axis_of(data, a)
            for i in range(1, 1 + count):
                _fill(out, i, (c,))
        return out

    return rule


def _embedding(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    _fill(out, 1, (a.input_dim, a.output_dim))
    return out


def _leaky_relu(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    if a.act_type == "prelu" and len(out) > 1 and _known(shapes[0]) and len(shapes[0]) > 1:
        _fill(out, 1, (shapes[0][1],))
    return out


RULES: dict[str, Callable] = {
    "FullyConnected": _fully_connected,
    "Convolution": _convolution,
    "Deconvolution": _deconvolution,
    "BatchNorm": _per_channel(lambda d, a: d[a.axis], 4),
    "LayerNorm": _per_channel(lambda d, a: d[a.axis], 2),
    "InstanceNorm": _per_channel(lambda d, a: d[1], 2),
    "GroupNorm": _per_channel(lambda d, a: a.num_groups, 2),
    "Embedding": _embedding,
    "LeakyReLU": _leaky_relu,
}

for _name, _rule in RULES.items():
    registry.get(_name).infer_inputs = _rule


# Output layers: the label's shape follows the data (what MXNet infers, so simple_bind needs no label shape).
def _softmax_output_label(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    data = shapes[0]
    if _known(data):
        if a.multi_output:
            _fill(out, 1, (data[0], math.prod(data[2:])))
        elif a.preserve_shape:
            _fill(out, 1, tuple(data[:-1]))
        else:  # the softmax runs over data.shape[1:] flattened: one class index per row
            _fill(out, 1, (data[0],))
    return out


def _same_as_data(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    out = list(shapes)
    if _known(shapes[0]):
        _fill(out, 1, tuple(shapes[0]))
    return out


registry.get("SoftmaxOutput").infer_inputs = _softmax_output_label
for _name in ("LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput"):
    registry.get(_name).infer_inputs = _same_as_data


def _same_shape(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    """elemwise_* ops: an unknown input has the other input's shape (as MXNet infers it)."""
    out = list(shapes)
    known = [s for s in shapes if _known(s)]
    if known:
        for i in range(len(out)):
            _fill(out, i, tuple(known[0]))
    return out


for _op in registry.all_ops():
    if _op.name in ("elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "_mod", "_power", "_maximum",
                    "_minimum", "_hypot", "_equal", "_not_equal", "_greater", "_greater_equal", "_lesser",
                    "_lesser_equal", "_logical_and", "_logical_or", "_logical_xor"):
        _op.infer_inputs = _same_shape


def _rnn(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    """RNN: the packed parameters vector and the initial states follow data (T, N, I) and the attrs."""
    from .rnn import rnn_param_size

    out = list(shapes)
    data = shapes[0]
    if _known(data) and len(data) == 3:
        d = 2 if a.bidirectional else 1
        rec = a.projection_size or a.state_size
        _fill(out, 1, (rnn_param_size(a.mode, data[2], a.state_size, a.num_layers, a.bidirectional,
                                      a.projection_size),))
        _fill(out, 2, (a.num_layers * d, data[1], rec))
        if a.mode == "lstm":
            _fill(out, 3, (a.num_layers * d, data[1], a.state_size))
        if a.use_sequence_length:
            _fill(out, 4, (data[1],))
    return out


registry.get("RNN").infer_inputs = _rnn


def _reshape_back(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    """Reshape: an input with one unknown dimension takes it from the known output size."""
    out = list(shapes)
    data = shapes[0] if shapes else None
    if outs and _known(outs[0]) and data is not None and sum(d == 0 for d in data) == 1:
        rest = math.prod(d for d in data if d > 0)
        total = math.prod(outs[0])
        if rest and total % rest == 0:
            out[0] = tuple(total // rest if d == 0 else d for d in data)
    return out


def _rnn_param_concat(shapes: Sequence, a, outs: Sequence = ()) -> Shapes:
    """_rnn_param_concat of 1-D pieces: the unknown pieces share what the known total leaves, equally.

    (The unknown pieces of a fused layer are the first layer's ``i2h`` weights, one per direction,
    which have equal sizes.)
    """
    out = list(shapes)
    if not outs or not _known(outs[0]) or len(outs[0]) != 1:
        return out
    unknown = [i for i, s in enumerate(shapes) if not _known(s)]
    if not unknown or any(s is not None and len(s) != 1 for s in shapes):
        return out
    left = outs[0][0] - sum(s[0] for s in shapes if _known(s))
    if left > 0 and left % len(unknown) == 0:
        for i in unknown:
            out[i] = (left // len(unknown),)
    return out


registry.get("Reshape").infer_inputs = _reshape_back
registry.get("_rnn_param_concat").infer_inputs = _rnn_param_concat
