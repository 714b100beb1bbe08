"""The fused ``RNN`` operator and ``_rnn_param_concat``: NumPy cell-by-cell references, gradients,
symbolic graphs, shape inference, and golden outputs of real MXNet 1.9.1 (tests/golden/rnn_op)."""
from __future__ import annotations

import glob
import json
import os
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic.ops.rnn import rnn_param_size

from .harness import check_op, check_op_error, run

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
from make_golden_rnn_op import make_inputs, param_size, reference  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "rnn_op")


def _case(mode, T=2, N=2, C=2, H=2, L=1, bi=False, proj=None, seed=0, dtype=np.float64):
    return list(make_inputs(mode, T, N, C, H, L, bi, seed, proj, dtype))


def _ref(**attrs):
    return lambda data, params, state, cell=None: reference(data, params, state, cell, **attrs)


@pytest.mark.parametrize("mode", ["rnn_relu", "rnn_tanh", "lstm", "gru"])
@pytest.mark.parametrize("layers,bi", [(1, False), (2, False), (1, True), (2, True)])
def test_rnn_modes_forward_symbolic(mode, layers, bi):
    for so in (False, True):
        inputs = _case(mode, T=3, N=2, C=3, H=4, L=layers, bi=bi, dtype=np.float32)
        if mode != "lstm":
            inputs = inputs[:3]
        attrs = dict(state_size=4, num_layers=layers, bidirectional=bi, mode=mode, state_outputs=so)
        outs = check_op("RNN", inputs, _ref(**attrs), attrs, rtol=1e-5, atol=1e-6, grad=False)
        assert len(outs) == (1 if not so else 3 if mode == "lstm" else 2)


@pytest.mark.parametrize("mode", ["rnn_relu", "rnn_tanh", "lstm", "gru"])
@pytest.mark.parametrize("layers,bi", [(1, False), (2, True)])
def test_rnn_gradients(mode, layers, bi):
    inputs = _case(mode, L=layers, bi=bi, seed=3)
    if mode != "lstm":
        inputs = inputs[:3]
    attrs = dict(state_size=2, num_layers=layers, bidirectional=bi, mode=mode, state_outputs=True)
    check_op("RNN", inputs, _ref(**attrs), attrs, rtol=1e-10, atol=1e-12, grad_rtol=1e-5, grad_atol=1e-7,
             check_symbolic=False)


def test_rnn_float64_dtype_and_state_cast():
    data, params, state, cell = _case("lstm", seed=1)
    outs = run("RNN", [data, params, state, cell], dict(state_size=2, num_layers=1, mode="lstm"))
    assert outs[0].dtype == np.float64


def test_lstm_projection():
    inputs = _case("lstm", T=3, N=2, C=3, H=4, L=2, bi=True, proj=2, seed=5)
    attrs = dict(state_size=4, num_layers=2, bidirectional=True, mode="lstm", state_outputs=True, projection_size=2)
    outs = check_op("RNN", inputs, _ref(**attrs), attrs, rtol=1e-10, atol=1e-12, grad=[0, 1, 2, 3])
    assert outs[0].shape == (3, 2, 4) and outs[1].shape == (4, 2, 2) and outs[2].shape == (4, 2, 4)


def test_lstm_state_clip():
    inputs = _case("lstm", T=4, N=2, C=2, H=3, L=2, bi=True, seed=2)
    inputs[3] *= 3.0  # start outside the clip range
    attrs = dict(state_size=3, num_layers=2, bidirectional=True, mode="lstm", state_outputs=True,
                 lstm_state_clip_min=-0.3, lstm_state_clip_max=0.4)
    ref_attrs = {k: v for k, v in attrs.items() if not k.startswith("lstm_state")}
    outs = check_op("RNN", inputs, _ref(clip=(-0.3, 0.4), **ref_attrs), attrs, rtol=1e-10, atol=1e-12)
    assert outs[2].min() >= -0.3 and outs[2].max() <= 0.4
    unclipped = run("RNN", inputs, ref_attrs)
    assert not np.allclose(unclipped[2].asnumpy(), outs[2])


def test_lstm_state_clip_with_projection_and_lengths():
    T, N, H = 3, 2, 3
    inputs = _case("lstm", T=T, N=N, C=2, H=H, L=1, bi=True, proj=2, seed=9)
    inputs[3] *= 3.0
    lengths = np.array([1, 3], dtype=np.float64)
    attrs = dict(state_size=H, num_layers=1, bidirectional=True, mode="lstm", state_outputs=True, projection_size=2,
                 lstm_state_clip_min=-0.5, lstm_state_clip_max=0.5, use_sequence_length=True)
    ref_attrs = dict(state_size=H, num_layers=1, bidirectional=True, mode="lstm", state_outputs=True,
                     projection_size=2, clip=(-0.5, 0.5))

    def ref(data, params, state, cell, seq):
        outs = [np.zeros((T, N, 4)), np.zeros_like(state), np.zeros_like(cell)]
        for n in range(N):
            k = int(seq[n])
            r = reference(data[:k, n:n + 1], params, state[:, n:n + 1], cell[:, n:n + 1], **ref_attrs)
            outs[0][:k, n] = r[0][:, 0]
            outs[1][:, n], outs[2][:, n] = r[1][:, 0], r[2][:, 0]
        return tuple(outs)

    check_op("RNN", inputs + [lengths], ref, attrs, rtol=1e-10, atol=1e-12, grad=[0, 1])


@pytest.mark.parametrize("mode,bi", [("gru", True), ("lstm", False), ("rnn_tanh", True)])
def test_sequence_length(mode, bi):
    T, N, H, L = 4, 3, 2, 2
    inputs = _case(mode, T=T, N=N, C=2, H=H, L=L, bi=bi, seed=4)
    if mode != "lstm":
        inputs = inputs[:3] + [None]
    lengths = np.array([4, 1, 2], dtype=np.float64)
    attrs = dict(state_size=H, num_layers=L, bidirectional=bi, mode=mode, state_outputs=True,
                 use_sequence_length=True)
    ref_attrs = {k: v for k, v in attrs.items() if k != "use_sequence_length"}

    def ref(data, params, state, cell, seq):
        outs = [np.zeros((T, N, (2 if bi else 1) * H)), np.zeros_like(state)]
        if mode == "lstm":
            outs.append(np.zeros_like(cell))
        for n in range(N):
            k = int(seq[n])
            r = reference(data[:k, n:n + 1], params, state[:, n:n + 1],
                          None if cell is None else cell[:, n:n + 1], **ref_attrs)
            outs[0][:k, n] = r[0][:, 0]
            for j in range(1, len(outs)):
                outs[j][:, n] = r[j][:, 0]
        return tuple(outs)

    check_op("RNN", inputs + [lengths], ref, attrs, rtol=1e-10, atol=1e-12, grad=[0, 1, 2])


def test_dropout_between_layers():
    data, params, state, cell = _case("lstm", T=3, N=4, C=3, H=5, L=3, seed=6, dtype=np.float32)
    attrs = dict(state_size=5, num_layers=3, mode="lstm", p=0.5)
    args = [mx.nd.array(a) for a in (data, params, state, cell)]
    plain = mx.nd.RNN(*args, **{**attrs, "p": 0.0}).asnumpy()
    # prediction mode: no dropout
    np.testing.assert_allclose(mx.nd.RNN(*args, **attrs).asnumpy(), plain, rtol=1e-6)
    with mx.autograd.train_mode():
        mx.random.seed(1)
        a = mx.nd.RNN(*args, **attrs).asnumpy()
        mx.random.seed(1)
        b = mx.nd.RNN(*args, **attrs).asnumpy()
    np.testing.assert_array_equal(a, b)  # seeded: reproducible
    assert not np.allclose(a, plain)


@pytest.mark.parametrize("path", sorted(set(glob.glob(os.path.join(GOLDEN, "*.npz")))
                                         - {os.path.join(GOLDEN, "gluon_lstm_io.npz")}), ids=os.path.basename)
def test_golden_mxnet(path):
    z = np.load(path)
    attrs = json.loads(str(z["attrs"]))
    names = ["data", "parameters", "state"] + (["state_cell"] if "state_cell" in z else [])
    outs = run("RNN", [z[n] for n in names], attrs)
    expected = [z[k] for k in sorted(k for k in z.files if k.startswith("out"))]
    assert len(outs) == len(expected)
    for o, e in zip(outs, expected):
        np.testing.assert_allclose(o.asnumpy(), e, rtol=1e-5, atol=1e-6)


def test_golden_files_exist():
    assert len(glob.glob(os.path.join(GOLDEN, "*.npz"))) >= 6


@pytest.mark.parametrize("hybridize", [False, True])
def test_golden_mxnet_exported_fused_lstm(hybridize):
    """A fused gluon.rnn.LSTM exported by MXNet 1.9.1 (Reshape, _rnn_param_concat, RNN) imports and matches."""
    io = np.load(os.path.join(GOLDEN, "gluon_lstm_io.npz"))
    blk = mx.gluon.SymbolBlock.imports(os.path.join(GOLDEN, "gluon_lstm-symbol.json"), ["data0", "data1", "data2"],
                                       os.path.join(GOLDEN, "gluon_lstm-0000.params"))
    if hybridize:
        blk.hybridize()
    zeros = mx.nd.zeros((4, 2, 3))
    y = blk(mx.nd.array(io["x"]), zeros, zeros)
    np.testing.assert_allclose(y.asnumpy(), io["y"], rtol=1e-5, atol=1e-6)


def test_param_size_matches_reference():
    for mode in ("lstm", "gru", "rnn_tanh"):
        for L, bi in ((1, False), (3, True)):
            assert rnn_param_size(mode, 7, 5, L, bi) == param_size(mode, 7, 5, L, bi)
    assert rnn_param_size("lstm", 7, 5, 2, True, 3) == param_size("lstm", 7, 5, 2, True, 3)


def test_infer_shape_completes_parameters_and_states():
    data = mx.sym.var("data")
    out = mx.sym.RNN(data, mx.sym.var("w"), mx.sym.var("h"), mx.sym.var("c"), state_size=4, num_layers=2,
                     bidirectional=True, mode="lstm", state_outputs=True)
    arg_shapes, out_shapes, _ = out.infer_shape(data=(5, 3, 6))
    shapes = dict(zip(out.list_arguments(), arg_shapes))
    assert shapes["w"] == (rnn_param_size("lstm", 6, 4, 2, True),)
    assert shapes["h"] == (4, 3, 4) and shapes["c"] == (4, 3, 4)
    assert out_shapes == [(5, 3, 8), (4, 3, 4), (4, 3, 4)]


def test_rnn_errors():
    data, params, state, cell = _case("lstm", dtype=np.float32)
    base = dict(state_size=2, num_layers=1, mode="lstm")
    check_op_error("RNN", [data, params[:-1], state, cell], base, match="parameters must be a 1-D vector of")
    check_op_error("RNN", [data, params, state], base, match="needs the state_cell input")
    check_op_error("RNN", [data, params, state[:, :1], cell], base, match="state must have shape")
    check_op_error("RNN", [data, params, state, cell], {**base, "lstm_state_clip_min": 0.0},
                   match="must be given together")
    check_op_error("RNN", [data, params, state, cell], {**base, "use_sequence_length": True},
                   match="needs the sequence_length input")
    check_op_error("RNN", [data, params, state, cell], {**base, "mode": "lstmx"}, match="mode")
    check_op_error("RNN", [data, params, state, cell], dict(num_layers=1, mode="lstm"), match="state_size")
    g = _case("gru", dtype=np.float32)
    check_op_error("RNN", g[:3], dict(state_size=2, num_layers=1, mode="gru", projection_size=1),
                   match="projection_size is supported only")


def test_rnn_attrs_positional_order():
    import inspect

    params = list(inspect.signature(mx.nd.RNN).parameters)
    assert params[:16] == ["data", "parameters", "state", "state_cell", "sequence_length", "state_size",
                           "num_layers", "bidirectional", "mode", "p", "state_outputs", "projection_size",
                           "lstm_state_clip_min", "lstm_state_clip_max", "lstm_state_clip_nan",
                           "use_sequence_length"]


def test_rnn_param_concat():
    rng = np.random.RandomState(0)
    a, b, c = rng.rand(6), rng.rand(3), rng.rand(4)
    check_op("_rnn_param_concat", [a, b, c], lambda *x: np.concatenate(x), dict(num_args=3, dim=0))
    x, y = rng.rand(2, 3), rng.rand(2, 1)
    check_op("_rnn_param_concat", [x, y], lambda *t: np.concatenate(t, axis=1), dict(num_args=2))
    check_op_error("_rnn_param_concat", [a, x], dict(num_args=2, dim=0), match="same number of dimensions")


def test_fused_graph_with_param_concat_matches_reference():
    """What an exported fused Gluon LSTM computes: per-gate arrays joined by _rnn_param_concat feed RNN."""
    data, params, state, cell = _case("lstm", T=3, N=2, C=3, H=2, L=1, seed=8, dtype=np.float32)
    g = 4 * 2
    pieces = [params[:g * 3].reshape(g, 3), params[g * 3:g * 5].reshape(g, 2), params[g * 5:g * 6],
              params[g * 6:]]
    names = ["i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias"]
    flat = [mx.sym.reshape(mx.sym.var(n), shape=(-1,)) for n in names]
    packed = mx.sym._internal._rnn_param_concat(*flat, num_args=4, dim=0)
    out = mx.sym.RNN(mx.sym.var("data"), packed, mx.sym.var("h"), mx.sym.var("c"), state_size=2, num_layers=1,
                     mode="lstm")
    out = mx.sym.load_json(out.tojson())
    feed = dict(zip(names, pieces), data=data, h=state, c=cell)
    ex = out.bind(mx.cpu(), {k: mx.nd.array(v) for k, v in feed.items()})
    got = ex.forward()[0].asnumpy()
    np.testing.assert_allclose(got, reference(data, params, state, cell, mode="lstm", state_size=2, num_layers=1),
                               rtol=1e-5, atol=1e-6)


def test_dropout_compiled_graph_matches_eager_and_backprops():
    from .harness import _check_symbolic

    inputs = _case("gru", T=3, N=2, C=3, H=4, L=2, bi=True, seed=7, dtype=np.float32)[:3]
    attrs = dict(state_size=4, num_layers=2, bidirectional=True, mode="gru", p=0.4)
    mx.random.seed(0)
    with mx.autograd.train_mode():
        eager = run("RNN", inputs, attrs)[0].asnumpy()
    _check_symbolic("RNN", inputs, attrs, [eager], True, 1e-6, 1e-7)
    args = [mx.nd.array(a) for a in inputs]
    args[1].attach_grad()
    with mx.autograd.record():
        y = mx.nd.RNN(*args, **attrs)
    y.backward()
    assert np.isfinite(args[1].grad.asnumpy()).all() and np.abs(args[1].grad.asnumpy()).sum() > 0
