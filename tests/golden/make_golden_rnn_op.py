"""Golden values for the fused ``RNN`` operator, from real MXNet 1.9.1.

Run with MXNet's interpreter: ``/work/mxvenv/bin/python tests/golden/make_golden_rnn_op.py``.
Writes ``tests/golden/rnn_op/<case>.npz`` holding the inputs (data, packed parameters, states),
the attributes and MXNet's outputs, and ``gluon_lstm-symbol.json``/``-0000.params`` (a hybridized
fused ``gluon.rnn.LSTM`` exported by MXNet) with its input/output in ``gluon_lstm_io.npz``. The module also holds a NumPy cell-by-cell reference of the
op (``reference``) that the tests import; the generator checks it against MXNet first.
"""
from __future__ import annotations

import json
import os

import numpy as np

GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}

# name: (mode, T, N, C, H, num_layers, bidirectional, state_outputs, projection_size)
CASES = {
    "lstm_proj_2l_bi": ("lstm", 3, 2, 4, 5, 2, True, True, 2),
    "lstm_2l_bi": ("lstm", 3, 2, 4, 3, 2, True, True, None),
    "gru_2l_bi": ("gru", 3, 2, 4, 3, 2, True, True, None),
    "rnn_tanh_1l": ("rnn_tanh", 4, 2, 3, 5, 1, False, True, None),
    "rnn_relu_2l": ("rnn_relu", 3, 2, 3, 4, 2, False, False, None),
}


def param_size(mode, input_size, hidden, num_layers, bidirectional, proj=None):
    g, d, rec = GATES[mode], 2 if bidirectional else 1, proj or hidden
    size = 0
    for layer in range(num_layers):
        in_sz = input_size if layer == 0 else d * rec
        size += d * (g * hidden * (in_sz + rec) + 2 * g * hidden + (rec * hidden if proj else 0))
    return size


def unpack(params, mode, input_size, hidden, num_layers, bidirectional, proj=None):
    """Split MXNet's packed vector: every (layer, direction)'s i2h, h2h (and h2r) weights, then the biases.

    Returns per (layer, direction) [wi, wh, wr or None, bi, bh].
    """
    g, d, rec = GATES[mode], 2 if bidirectional else 1, proj or hidden
    weights, pos = [], 0
    for layer in range(num_layers):
        in_sz = input_size if layer == 0 else d * rec
        for _ in range(d):
            wi = params[pos:pos + g * hidden * in_sz].reshape(g * hidden, in_sz)
            pos += wi.size
            wh = params[pos:pos + g * hidden * rec].reshape(g * hidden, rec)
            pos += wh.size
            wr = None
            if proj:
                wr = params[pos:pos + rec * hidden].reshape(rec, hidden)
                pos += wr.size
            weights.append([wi, wh, wr])
    for k in range(num_layers * d):
        bi = params[pos:pos + g * hidden]
        pos += g * hidden
        bh = params[pos:pos + g * hidden]
        pos += g * hidden
        weights[k] += [bi, bh]
    assert pos == params.size
    return weights


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _cell(mode, x, h, c, wi, wh, wr, bi, bh, clip=None):
    gi = x @ wi.T + bi
    gh = h @ wh.T + bh
    if mode == "rnn_tanh":
        return np.tanh(gi + gh), c
    if mode == "rnn_relu":
        return np.maximum(gi + gh, 0), c
    if mode == "lstm":
        i, f, g, o = np.split(gi + gh, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        if clip is not None:
            c = np.clip(c, *clip)
        h = _sigmoid(o) * np.tanh(c)
        return (h if wr is None else h @ wr.T), c
    ir, iz, in_ = np.split(gi, 3, axis=-1)
    hr, hz, hn = np.split(gh, 3, axis=-1)
    r, z = _sigmoid(ir + hr), _sigmoid(iz + hz)
    n = np.tanh(in_ + r * hn)
    return (1 - z) * n + z * h, c


def reference(data, params, state, state_cell=None, *, mode, state_size, num_layers, bidirectional=False,
              state_outputs=False, projection_size=None, clip=None):
    """NumPy RNN over TNC ``data``; returns ``out`` or ``(out, hy[, cy])`` like MXNet."""
    d = 2 if bidirectional else 1
    weights = unpack(params, mode, data.shape[2], state_size, num_layers, bidirectional, projection_size)
    x, hys, cys = data, [], []
    for layer in range(num_layers):
        outs = []
        for k in range(d):
            idx = layer * d + k
            h = state[idx]
            c = state_cell[idx] if state_cell is not None else None
            steps = range(x.shape[0]) if k == 0 else range(x.shape[0] - 1, -1, -1)
            seq = [None] * x.shape[0]
            for t in steps:
                h, c = _cell(mode, x[t], h, c, *weights[idx], clip=clip)
                seq[t] = h
            outs.append(np.stack(seq))
            hys.append(h)
            cys.append(c)
        x = np.concatenate(outs, axis=-1)
    x = x.astype(data.dtype)
    if not state_outputs:
        return x
    res = (x, np.stack(hys).astype(data.dtype))
    if mode == "lstm":
        res += (np.stack(cys).astype(data.dtype),)
    return res


def make_inputs(mode, T, N, C, H, L, bi, seed, proj=None, dtype=np.float32):
    rng = np.random.RandomState(seed)
    d = 2 if bi else 1
    data = rng.uniform(-1, 1, (T, N, C)).astype(dtype)
    params = rng.uniform(-0.5, 0.5, param_size(mode, C, H, L, bi, proj)).astype(dtype)
    state = rng.uniform(-1, 1, (L * d, N, proj or H)).astype(dtype)
    cell = rng.uniform(-1, 1, (L * d, N, H)).astype(dtype) if mode == "lstm" else None
    return data, params, state, cell


def main():
    import mxnet as mx

    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn_op")
    os.makedirs(out_dir, exist_ok=True)
    for seed, (name, (mode, T, N, C, H, L, bi, so, proj)) in enumerate(sorted(CASES.items())):
        data, params, state, cell = make_inputs(mode, T, N, C, H, L, bi, seed, proj)
        attrs = dict(mode=mode, state_size=H, num_layers=L, bidirectional=bi, state_outputs=so)
        if proj:
            attrs["projection_size"] = proj
        args = [mx.nd.array(data), mx.nd.array(params), mx.nd.array(state)]
        if cell is not None:
            args.append(mx.nd.array(cell))
        outs = mx.nd.RNN(*args, **attrs)
        outs = [o.asnumpy() for o in (outs if isinstance(outs, list) else [outs])]
        ref = reference(data, params, state, cell, **attrs)
        ref = list(ref) if isinstance(ref, tuple) else [ref]
        assert len(ref) == len(outs), (name, len(ref), len(outs))
        for o, r in zip(outs, ref):
            np.testing.assert_allclose(o, r, rtol=1e-4, atol=1e-5, err_msg=name)
        arrays = {"data": data, "parameters": params, "state": state}
        if cell is not None:
            arrays["state_cell"] = cell
        for i, o in enumerate(outs):
            arrays[f"out{i}"] = o
        np.savez(os.path.join(out_dir, f"{name}.npz"), attrs=json.dumps(attrs), **arrays)
        print(name, [o.shape for o in outs])
    # A hybridized Gluon fused LSTM exported by MXNet: Reshape + _rnn_param_concat feeding RNN.
    mx.random.seed(0)
    net = mx.gluon.rnn.LSTM(3, num_layers=2, bidirectional=True, input_size=4, prefix="lstm0_")
    net.initialize(mx.init.Uniform(0.5))
    net.hybridize()
    x = mx.nd.array(np.random.RandomState(42).uniform(-1, 1, (5, 2, 4)).astype(np.float32))
    y = net(x)
    net.export(os.path.join(out_dir, "gluon_lstm"))
    np.savez(os.path.join(out_dir, "gluon_lstm_io.npz"), x=x.asnumpy(), y=y.asnumpy())


if __name__ == "__main__":
    main()
