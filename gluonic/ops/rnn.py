"""The fused recurrent operator ``RNN`` (vanilla ReLU/tanh RNN, LSTM, GRU) and ``_rnn_param_concat``.

MXNet packs every weight of a fused RNN into one 1-D ``parameters`` vector: first the
weights of each layer and direction (layer-major, forward before backward), each as the
i2h matrix (G*H, in) then the h2h matrix (G*H, H) — with ``projection_size`` P the h2h
matrix is (G*H, P), followed by the h2r projection (P, H) — then all the biases in the same
order (i2h bias (G*H,), h2h bias (G*H,)). G is the number of gates: 1 for rnn_relu/rnn_tanh,
4 for lstm (order i, f, g, o), 3 for gru (order r, z, n; the h2h bias of n sits inside the
reset product, as in cuDNN). Gate orders equal torch's, so the vector is sliced into views
and handed to torch's fused kernels unchanged.
"""
from __future__ import annotations

import dataclasses
import warnings
from typing import Literal

import torch

from .._state import is_training
from ..base import GluonicTypeError, GluonicValueError
from ..random import generator
from .attrs import Attrs
from .registry import register

__all__ = ["RNNAttrs", "RNNParamConcatAttrs", "rnn_param_size", "GATES"]

GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}


class RNNAttrs(Attrs):
    state_size: int
    num_layers: int
    bidirectional: bool = False
    mode: Literal["gru", "lstm", "rnn_relu", "rnn_tanh"] = dataclasses.field(kw_only=True)
    p: float = 0.0
    state_outputs: bool = False
    projection_size: int | None = None
    lstm_state_clip_min: float | None = None
    lstm_state_clip_max: float | None = None
    lstm_state_clip_nan: bool = False
    use_sequence_length: bool = False


def rnn_param_size(mode: str, input_size: int, state_size: int, num_layers: int, bidirectional: bool = False,
                   projection_size: int | None = None) -> int:
    """Length of MXNet's packed ``parameters`` vector for these sizes."""
    g, d, h = GATES[mode], 2 if bidirectional else 1, state_size
    rec = projection_size or h
    size = 0
    for layer in range(num_layers):
        in_sz = input_size if layer == 0 else d * rec
        size += d * (g * h * (in_sz + rec) + 2 * g * h + (rec * h if projection_size else 0))
    return size


def _num_outputs(a: RNNAttrs) -> int:
    if not a.state_outputs:
        return 1
    return 3 if a.mode == "lstm" else 2


def _check(a: RNNAttrs, data, params, state, state_cell, seq_len) -> None:
    """Validate shapes and attributes (shared by the implementation and the shape rule)."""
    def err(msg: str) -> GluonicValueError:
        shapes = ", ".join(f"{n}{tuple(s)}" for n, s in (("data", data), ("parameters", params), ("state", state),
                                                         ("state_cell", state_cell), ("sequence_length", seq_len))
                           if s is not None)
        return GluonicValueError(f"Operator RNN: {msg}. Received: {shapes} with mode='{a.mode}', "
                                 f"state_size={a.state_size}, num_layers={a.num_layers}, "
                                 f"bidirectional={a.bidirectional}, projection_size={a.projection_size}")

    if a.state_size <= 0 or a.num_layers <= 0:
        raise err("state_size and num_layers must be positive")
    if not 0.0 <= a.p < 1.0:
        raise err(f"p must be in [0, 1), got p={a.p}")
    if len(data) != 3:
        raise err("data must be 3-D (sequence length, batch, features), layout TNC")
    d = 2 if a.bidirectional else 1
    rec = a.projection_size or a.state_size
    if a.projection_size is not None:
        if a.mode != "lstm":
            raise err("projection_size is supported only with mode='lstm'")
        if not 0 < a.projection_size < a.state_size:
            raise err("projection_size must be positive and smaller than state_size")
    if (a.lstm_state_clip_min is None) != (a.lstm_state_clip_max is None):
        raise err("lstm_state_clip_min and lstm_state_clip_max must be given together")
    if a.lstm_state_clip_min is not None and a.mode != "lstm":
        raise err("lstm_state_clip_min/max apply only to mode='lstm'")
    expect = rnn_param_size(a.mode, data[2], a.state_size, a.num_layers, a.bidirectional, a.projection_size)
    if len(params) != 1 or params[0] != expect:
        raise err(f"parameters must be a 1-D vector of {expect} elements for these sizes")
    if tuple(state) != (a.num_layers * d, data[1], rec):
        raise err(f"state must have shape {(a.num_layers * d, data[1], rec)} (layers*directions, batch, "
                  f"{'projection_size' if a.projection_size else 'state_size'})")
    if a.mode == "lstm":
        if state_cell is None:
            raise err("mode='lstm' needs the state_cell input (the initial cell state)")
        if tuple(state_cell) != (a.num_layers * d, data[1], a.state_size):
            raise err(f"state_cell must have shape {(a.num_layers * d, data[1], a.state_size)}")
    elif state_cell is not None:
        raise err("state_cell is an input of mode='lstm' only")
    if a.use_sequence_length:
        if seq_len is None:
            raise err("use_sequence_length=True needs the sequence_length input")
        if tuple(seq_len) != (data[1],):
            raise err(f"sequence_length must have shape ({data[1]},), one length per batch element")
    elif seq_len is not None:
        raise err("the sequence_length input needs use_sequence_length=True")


def _shape_rule(shapes, dtypes, a: RNNAttrs):
    data, params, state, state_cell, seq_len = (list(shapes) + [None] * 5)[:5]
    _check(a, data, params, state, state_cell, seq_len)
    d = 2 if a.bidirectional else 1
    rec = a.projection_size or a.state_size
    dt = dtypes[0]
    out = [((data[0], data[1], d * rec), dt)]
    if a.state_outputs:
        out.append(((a.num_layers * d, data[1], rec), dt))
        if a.mode == "lstm":
            out.append(((a.num_layers * d, data[1], a.state_size), dt))
    return out


def _unpack(params: torch.Tensor, a: RNNAttrs, input_size: int) -> list[list[torch.Tensor]]:
    """Views of the packed vector: per (layer, direction) [w_ih, w_hh, b_ih, b_hh(, w_hr)] in torch's order."""
    g, d, h = GATES[a.mode], 2 if a.bidirectional else 1, a.state_size
    rec = a.projection_size or h
    groups, pos = [], 0

    def take(*shape):
        nonlocal pos
        n = 1
        for s in shape:
            n *= s
        t = params[pos:pos + n].view(*shape)
        pos += n
        return t

    for layer in range(a.num_layers):
        in_sz = input_size if layer == 0 else d * rec
        for _ in range(d):
            w_ih, w_hh = take(g * h, in_sz), take(g * h, rec)
            w_hr = take(rec, h) if a.projection_size else None
            groups.append([w_ih, w_hh, w_hr])
    for grp in groups:
        b_ih, b_hh = take(g * h), take(g * h)
        w_hr = grp.pop()
        grp += [b_ih, b_hh] + ([w_hr] if w_hr is not None else [])
    return groups


def _run_fused(mode, x, hx, cx, flat, num_layers, bidirectional, proj):
    """torch's fused kernel over ``num_layers`` layers; returns (out, h_n, c_n or None).

    The kernel's ``train`` flag is set whenever a gradient will flow: cuDNN keeps what its
    backward needs only in training mode (dropout between layers is applied by the caller).
    The weights are views of MXNet's one parameter vector, in MXNet's order; cuDNN copies
    them into its own layout on each call (and would warn that it does, every time).
    """
    train = torch.is_grad_enabled() and any(t is not None and t.requires_grad for t in (x, hx, cx, *flat))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="RNN module weights are not part of single contiguous")
        if mode == "lstm":
            if proj:  # "LSTM with projections is not supported with oneDNN": harmless
                warnings.simplefilter("ignore", UserWarning)
            out, h, c = torch._VF.lstm(x, (hx, cx), flat, True, num_layers, 0.0, train, bidirectional, False)
            return out, h, c
        fn = torch._VF.gru if mode == "gru" else torch._VF.rnn_tanh if mode == "rnn_tanh" else torch._VF.rnn_relu
        out, h = fn(x, hx, flat, True, num_layers, 0.0, train, bidirectional, False)
    return out, h, None


def _run_clipped(x, hx, cx, groups, a: RNNAttrs, lengths=None):
    """One LSTM layer with the cell state clipped to [min, max] after every step (a per-step loop: torch's
    fused kernels cannot clip). With ``lengths``, steps past an element's length keep its state and output 0."""
    lo, hi = a.lstm_state_clip_min, a.lstm_state_clip_max
    outs, hs, cs = [], [], []
    for k, grp in enumerate(groups):
        w_ih, w_hh, b_ih, b_hh = grp[:4]
        w_hr = grp[4] if len(grp) > 4 else None
        h, c = hx[k], cx[k]
        xs = x if k == 0 or lengths is None else _reverse_valid(x, lengths)
        gi = torch.nn.functional.linear(xs, w_ih, b_ih)
        seq = [None] * x.shape[0]
        steps = range(x.shape[0]) if k == 0 or lengths is not None else range(x.shape[0] - 1, -1, -1)
        for t in steps:
            i, f, g, o = (gi[t] + torch.nn.functional.linear(h, w_hh, b_hh)).chunk(4, dim=-1)
            c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            if a.lstm_state_clip_nan:
                c2 = torch.nan_to_num(c2, nan=hi)  # clip_nan: a NaN cell state becomes the upper bound
            c2 = c2.clamp(lo, hi)
            h2 = torch.sigmoid(o) * torch.tanh(c2)
            if w_hr is not None:
                h2 = h2 @ w_hr.t()
            if lengths is None:
                h, c, seq[t] = h2, c2, h2
            else:
                keep = (t < lengths.to(x.device)).to(x.dtype).unsqueeze(-1)
                h, c, seq[t] = keep * h2 + (1 - keep) * h, keep * c2 + (1 - keep) * c, keep * h2
        out = torch.stack(seq)
        outs.append(out if k == 0 or lengths is None else _reverse_valid(out, lengths))
        hs.append(h)
        cs.append(c)
    return torch.cat(outs, dim=-1), torch.stack(hs), torch.stack(cs)


def _reverse_valid(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each batch element's first ``length`` steps of ``x`` (T, N, C), keeping the padding in place."""
    T = x.shape[0]
    steps = torch.arange(T, device=x.device).unsqueeze(1)
    lens = lengths.to(x.device).long().unsqueeze(0)
    idx = torch.where(steps < lens, lens - 1 - steps, steps)  # (T, N)
    return torch.gather(x, 0, idx.unsqueeze(-1).expand_as(x))


def _run_layer_seq(mode, x, hx, cx, grp_fw, grp_bw, lengths):
    """One layer with per-element lengths: steps past a length leave the state unchanged and output zeros."""
    dirs = [(grp_fw, x)] + ([(grp_bw, _reverse_valid(x, lengths))] if grp_bw is not None else [])
    outs, hs, cs = [], [], []
    steps = torch.arange(x.shape[0], device=x.device)
    lens = lengths.to(x.device)
    for k, (grp, xs) in enumerate(dirs):
        h, c = hx[k:k + 1], (cx[k:k + 1] if cx is not None else None)
        seq = []
        for t in range(xs.shape[0]):
            o, h2, c2 = _run_fused(mode, xs[t:t + 1], h, c, grp, 1, False, None)
            keep = (steps[t] < lens).to(x.dtype).view(1, -1, 1)
            h = keep * h2 + (1 - keep) * h
            if c is not None:
                c = keep * c2 + (1 - keep) * c
            seq.append(o * keep)
        out = torch.cat(seq)
        outs.append(out if k == 0 else _reverse_valid(out, lengths))
        hs.append(h)
        cs.append(c)
    return torch.cat(outs, dim=-1), torch.cat(hs), (torch.cat(cs) if cx is not None else None)


@register("RNN", attrs=RNNAttrs, num_outputs=_num_outputs, output_names=("output", "state_output", "statecell_output"),
          shape_rule=_shape_rule)
def rnn(data, parameters, state, state_cell=None, sequence_length=None, *, a: RNNAttrs):
    """Fused multi-layer (bi)directional RNN, LSTM or GRU over a TNC sequence, weights packed in one vector.

    ``mode``: ``rnn_relu``/``rnn_tanh`` h' = act(W_i x + b_i + W_h h + b_h); ``lstm`` (gates i, f, g, o);
    ``gru`` (gates r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn))). ``parameters`` is MXNet's
    packed vector (see the module docstring; :func:`rnn_param_size` gives its length). ``p`` applies
    dropout to the outputs of every layer but the last, in training mode. ``state_outputs=True`` also
    returns the final hidden state (and cell state for LSTM). ``projection_size`` (LSTM only) projects
    the hidden state to P features (torch's fused proj_size kernel). ``lstm_state_clip_min/max`` clip
    the LSTM cell state after every step (a per-step loop, slower than the fused kernel; MXNet 1.9
    ignores the clip on CPU, gluonic applies it everywhere). ``use_sequence_length`` with
    ``sequence_length`` (N,) runs each batch element for its own length: later outputs are zero,
    the final states are those at the last valid step, the backward direction starts there (a per-step
    loop; MXNet 1.9 implements this with cuDNN only and silently ignores the lengths on CPU).

    Shapes: data (T, N, I); state (L*D, N, H or P); state_cell (L*D, N, H) →
    out (T, N, D*H or D*P)[, hy (L*D, N, H or P)[, cy (L*D, N, H)]], with D = 2 if bidirectional.

    Example
    -------
    >>> x = mx.nd.ones((5, 2, 3))  # T=5, N=2, I=3; GRU, H=4: 3*4*(3+4) weights + 2*3*4 biases
    >>> w = mx.nd.ones((108,)) * 0.1
    >>> mx.nd.RNN(x, w, mx.nd.zeros((1, 2, 4)), state_size=4, num_layers=1, mode='gru').shape
    (5, 2, 4)
    """
    if not data.dtype.is_floating_point:
        raise GluonicTypeError("Operator RNN: input 'data' must have a floating-point dtype. "
                               f"Received: {str(data.dtype).replace('torch.', '')}")
    _check(a, tuple(data.shape), tuple(parameters.shape), tuple(state.shape),
           None if state_cell is None else tuple(state_cell.shape),
           None if sequence_length is None else tuple(sequence_length.shape))
    dt = data.dtype
    params = parameters.to(dt)
    state = state.to(dt)
    state_cell = state_cell.to(dt) if state_cell is not None else None
    groups = _unpack(params, a, data.shape[2])
    d = 2 if a.bidirectional else 1
    drop = a.p > 0 and a.num_layers > 1 and is_training()
    clip = a.lstm_state_clip_min is not None
    seq = sequence_length if a.use_sequence_length else None
    if seq is not None:
        seq = seq.to(torch.long)
    if not drop and not clip and seq is None:
        flat = [t for grp in groups for t in grp]
        out, hy, cy = _run_fused(a.mode, data, state, state_cell, flat, a.num_layers, a.bidirectional,
                                 a.projection_size)
    else:  # layer by layer: dropout between layers uses gluonic's generator; clip and lengths need loops
        x, hys, cys = data, [], []
        for layer in range(a.num_layers):
            if layer > 0 and drop:
                keep = 1.0 - a.p
                mask = torch.empty_like(x).bernoulli_(keep, generator=generator(x.device)).div_(keep)
                x = x * mask
            sl = slice(layer * d, (layer + 1) * d)
            lgroups = groups[sl]
            hx = state[sl]
            cx = state_cell[sl] if state_cell is not None else None
            if clip:
                x, h, c = _run_clipped(x, hx, cx, lgroups, a, seq)
            elif seq is not None:
                x, h, c = _run_layer_seq(a.mode, x, hx, cx, lgroups[0], lgroups[1] if d == 2 else None, seq)
            else:
                flat = [t for grp in lgroups for t in grp]
                x, h, c = _run_fused(a.mode, x, hx, cx, flat, 1, a.bidirectional, a.projection_size)
            hys.append(h)
            cys.append(c)
        out, hy = x, torch.cat(hys)
        cy = torch.cat(cys) if state_cell is not None else None
    if not a.state_outputs:
        return out
    return (out, hy, cy) if a.mode == "lstm" else (out, hy)


class RNNParamConcatAttrs(Attrs):
    num_args: int
    dim: int = 1


@register("_rnn_param_concat", attrs=RNNParamConcatAttrs, num_args="num_args")
def rnn_param_concat(*data, a: RNNParamConcatAttrs):
    """Concatenate the inputs along ``dim`` (MXNet's ``concat`` under the name its fused-RNN graphs use).

    Gluon's fused ``rnn.LSTM``/``GRU``/``RNN`` layers flatten each weight and bias to 1-D and join them
    with ``dim=0`` into the packed ``parameters`` vector of ``RNN``.

    Shapes: (a,), (b,), … with dim=0 → (a + b + …,); in general as ``concat``.

    Example
    -------
    >>> mx.nd._internal._rnn_param_concat(mx.nd.ones((4,)), mx.nd.zeros((3,)), num_args=2, dim=0).shape
    (7,)
    """
    if len(data) != a.num_args:
        raise GluonicValueError(f"Operator _rnn_param_concat: num_args={a.num_args} but {len(data)} inputs given. "
                                f"Received: {[tuple(t.shape) for t in data]}")
    nd = data[0].dim() if data else 0
    if not data or not -nd <= a.dim < nd or any(t.dim() != nd for t in data):
        raise GluonicValueError(f"Operator _rnn_param_concat: the inputs must have the same number of dimensions and "
                                f"dim must be in [-{nd}, {nd}). Received: dim={a.dim}, "
                                f"{[tuple(t.shape) for t in data]}")
    return torch.cat(data, dim=a.dim)
