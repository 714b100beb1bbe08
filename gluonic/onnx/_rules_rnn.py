"""ONNX conversion of the fused ``RNN`` operator (LSTM, GRU, vanilla RNN with tanh or ReLU).

MXNet packs all weights in one vector (see :mod:`gluonic.ops.rnn`): per layer and direction
the i2h (G*H, in) and h2h (G*H, H) matrices, then all biases. Each layer becomes one ONNX
``LSTM``/``GRU``/``RNN`` node (both directions at once when bidirectional), with the gate
blocks reordered: MXNet's LSTM gates are (i, f, g, o), ONNX's (i, o, f, c); MXNet's GRU
gates (r, z, n), ONNX's (z, r, h) with ``linear_before_reset=1`` (the reset gate multiplies
the h2h product including its bias, as in cuDNN and MXNet). The packed vector must be known
at export time (a parameter, or computed from parameters, as gluon's RNN layers do).
"""
from __future__ import annotations

import numpy as np

from ..ops.rnn import GATES
from ._graph import NodeContext, onnx_rule

_ONNX_OP = {"lstm": "LSTM", "gru": "GRU", "rnn_tanh": "RNN", "rnn_relu": "RNN"}
# For each ONNX gate block, the index of the MXNet gate block that fills it.
_GATE_ORDER = {"lstm": [0, 3, 1, 2], "gru": [1, 0, 2], "rnn_tanh": [0], "rnn_relu": [0]}


def _reorder(w: np.ndarray, mode: str, h: int) -> np.ndarray:
    blocks = [w[k * h:(k + 1) * h] for k in range(GATES[mode])]
    return np.concatenate([blocks[k] for k in _GATE_ORDER[mode]], axis=0)


def _unpack(flat: np.ndarray, mode: str, input_size: int, h: int, layers: int, dirs: int):
    """Per layer: (W [dirs, G*H, in], R [dirs, G*H, H], B [dirs, 2*G*H]) in ONNX's gate order."""
    g = GATES[mode]
    pos = 0
    weights = []
    for layer in range(layers):
        in_sz = input_size if layer == 0 else dirs * h
        per_dir = []
        for _ in range(dirs):
            w = flat[pos:pos + g * h * in_sz].reshape(g * h, in_sz)
            pos += g * h * in_sz
            r = flat[pos:pos + g * h * h].reshape(g * h, h)
            pos += g * h * h
            per_dir.append((w, r))
        weights.append(per_dir)
    out = []
    for layer in range(layers):
        ws, rs, bs = [], [], []
        for d in range(dirs):
            bw = flat[pos:pos + g * h]
            pos += g * h
            br = flat[pos:pos + g * h]
            pos += g * h
            w, r = weights[layer][d]
            ws.append(_reorder(w, mode, h))
            rs.append(_reorder(r, mode, h))
            bs.append(np.concatenate([_reorder(bw, mode, h), _reorder(br, mode, h)]))
        out.append((np.stack(ws), np.stack(rs), np.stack(bs)))
    return out


def _nonzero_state(ctx: NodeContext, name: str | None) -> str | None:
    """``name``, or None for a constant all-zero state (ONNX's default; keeps the batch size free)."""
    if name is None:
        return None
    v = ctx.value(name)
    return None if v is not None and not v.any() else name


@onnx_rule("RNN")
def _rnn(ctx: NodeContext):
    a = ctx.attrs
    mode, h, layers = a.mode, int(a.state_size), int(a.num_layers)
    dirs = 2 if a.bidirectional else 1
    if a.projection_size is not None:
        raise ctx.fail("projection_size has no ONNX conversion")
    if a.lstm_state_clip_min is not None:
        raise ctx.fail("lstm_state_clip_min/max have no ONNX equivalent")
    flat = ctx.value(ctx.input("parameters"))
    if flat is None:
        raise ctx.fail("the packed parameters must be known at export time (pass them in params)")
    x = ctx.x
    dt = ctx.dtype(x)
    input_size = ctx.shape(x)[2]
    packed = _unpack(flat.astype(dt), mode, input_size, h, layers, dirs)
    state, cell = (_nonzero_state(ctx, ctx.input(k)) for k in ("state", "state_cell"))
    seq = ctx.input("sequence_length")
    seq = ctx.cast(seq, np.int32) if (seq is not None and a.use_sequence_length) else None
    direction = "bidirectional" if dirs == 2 else "forward"
    attrs = {"hidden_size": h, "direction": direction}
    if mode == "gru":
        attrs["linear_before_reset"] = 1
    elif mode in ("rnn_tanh", "rnn_relu"):
        attrs["activations"] = ["Tanh" if mode == "rnn_tanh" else "Relu"] * dirs
    hs, cs = [], []
    y = x
    for layer, (w, r, b) in enumerate(packed):
        lo, hi = layer * dirs, (layer + 1) * dirs
        h0 = ctx.op("Slice", state, ctx.ints([lo]), ctx.ints([hi]), ctx.ints([0])) if state is not None else None
        ins = [y, ctx.const(w), ctx.const(r), ctx.const(b), seq, h0]
        if mode == "lstm":
            c0 = ctx.op("Slice", cell, ctx.ints([lo]), ctx.ints([hi]), ctx.ints([0])) if cell is not None else None
            ins.append(c0)
            outs = ctx.op("LSTM", *ins, outputs=3, **attrs)
            cs.append(outs[2])
        else:
            outs = ctx.op(_ONNX_OP[mode], *ins, outputs=2, **attrs)
        hs.append(outs[1])
        # Y: (T, dirs, N, H) -> (T, N, dirs*H)
        y = ctx.op("Reshape", ctx.op("Transpose", outs[0], perm=[0, 2, 1, 3]), ctx.ints([0, 0, -1]), dtype=dt)
    if not a.state_outputs:
        return y
    hy = hs[0] if len(hs) == 1 else ctx.op("Concat", *hs, axis=0)
    if mode != "lstm":
        return [y, hy]
    cy = cs[0] if len(cs) == 1 else ctx.op("Concat", *cs, axis=0)
    return [y, hy, cy]
