"""Fused recurrent layers ``gluon.rnn.RNN``/``LSTM``/``GRU``: vs unrolled cells, vs real MXNet 1.9.1
(golden files from ``tests/golden/make_golden_rnn_layer.py``), hybridize/export, names and shapes."""
from __future__ import annotations

import os
import sys
import tempfile

import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.gluon import rnn

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "..", "golden")
sys.path.insert(0, GOLDEN)
sys.path.insert(0, os.path.join(HERE, ".."))
from hybrid_harness import check_hybrid  # noqa: E402
from make_golden_rnn_layer import CASES  # noqa: E402

MODES = {"rnn_relu": (rnn.RNN, dict(activation="relu"), rnn.RNNCell, dict(activation="relu")),
         "rnn_tanh": (rnn.RNN, dict(activation="tanh"), rnn.RNNCell, dict(activation="tanh")),
         "lstm": (rnn.LSTM, {}, rnn.LSTMCell, {}),
         "gru": (rnn.GRU, {}, rnn.GRUCell, {})}


def _cell_stack(mode, hidden, num_layers, bidirectional, input_size):
    _, _, cell_cls, cell_kw = MODES[mode]
    stack = rnn.HybridSequentialRNNCell(prefix="stack_")
    with stack.name_scope():
        ni = input_size
        for i in range(num_layers):
            if bidirectional:
                stack.add(rnn.BidirectionalCell(cell_cls(hidden, input_size=ni, prefix=f"l{i}_", **cell_kw),
                                                cell_cls(hidden, input_size=ni, prefix=f"r{i}_", **cell_kw)))
            else:
                stack.add(cell_cls(hidden, input_size=ni, prefix=f"l{i}_", **cell_kw))
            ni = hidden * (2 if bidirectional else 1)
    return stack


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("num_layers,bidirectional,layout", [(1, False, "TNC"), (2, True, "NTC"), (2, False, "NTC"),
                                                             (1, True, "TNC")])
def test_fused_equals_unrolled_cells(mode, num_layers, bidirectional, layout):
    rng = np.random.RandomState(num_layers * 10 + bidirectional + len(mode))
    layer_cls, layer_kw, _, _ = MODES[mode]
    hidden, in_size, T, N = 3, 4, 4, 2
    layer = layer_cls(hidden, num_layers, layout=layout, bidirectional=bidirectional, prefix="fused_", **layer_kw)
    layer.initialize()
    stack = _cell_stack(mode, hidden, num_layers, bidirectional, in_size)
    stack.initialize()
    x_np = rng.standard_normal((T, N, in_size) if layout == "TNC" else (N, T, in_size))
    layer(mx.nd.array(x_np))  # finish deferred init
    lp, sp = layer.collect_params(), stack.collect_params()
    for name, p in lp.items():
        val = rng.uniform(-0.6, 0.6, p.shape)
        p.set_data(mx.nd.array(val))
        sp["stack_" + name[len("fused_"):]].set_data(mx.nd.array(val))
    states_np = [rng.standard_normal(info["shape"]) for info in layer.state_info(N)]
    head_np = rng.standard_normal((T, N, hidden * (1 + bidirectional)) if layout == "TNC"
                                  else (N, T, hidden * (1 + bidirectional)))

    def run(fused):
        x = mx.nd.array(x_np)
        x.attach_grad()
        states = [mx.nd.array(s) for s in states_np]
        with autograd.record():
            if fused:
                out, new = layer(x, states)
            else:
                # the stack takes per-layer (and per-direction) states: split the fused ones
                begin = []
                for i in range(num_layers * (1 + bidirectional)):
                    begin += [s[i] for s in states]
                out, new = stack.unroll(T, x, begin_state=begin, layout=layout, merge_outputs=True)
                new = [mx.nd.stack(*new[k::len(states)], axis=0) for k in range(len(states))]
        out.backward(mx.nd.array(head_np))
        grads = {k.split("_", 1)[1]: p.grad().asnumpy() for k, p in (lp if fused else sp).items()}
        return out.asnumpy(), [s.asnumpy() for s in new], x.grad.asnumpy(), grads

    a, b = run(True), run(False)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-5, atol=1e-6)
    for s, t in zip(a[1], b[1]):
        np.testing.assert_allclose(s, t, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(a[2], b[2], rtol=1e-5, atol=1e-6)
    assert a[3].keys() == b[3].keys()
    for k in a[3]:
        np.testing.assert_allclose(a[3][k], b[3][k], rtol=1e-5, atol=1e-6, err_msg=k)


@pytest.mark.parametrize("case", list(CASES))
def test_golden_mxnet(case):
    cls, kwargs, shape, with_states = CASES[case]
    data = mx.nd.load(os.path.join(GOLDEN, "rnn_layer", "data.nd"))
    layer = getattr(rnn, cls)(prefix=case + "_", **kwargs)  # deferred input size
    layer.load_parameters(os.path.join(GOLDEN, "rnn_layer", case + ".params"))
    x = data[f"{case}:x"].copy()
    x.attach_grad()
    states = [data[f"{case}:state{i}"] for i in range(2) if f"{case}:state{i}" in data] if with_states else None
    train = f"{case}:dx" in data
    with autograd.record():
        out = layer(x, states) if with_states else layer(x)
        y = out[0] if with_states else out
    np.testing.assert_allclose(y.asnumpy(), data[f"{case}:y"].asnumpy(), rtol=1e-5, atol=1e-6)
    if with_states:
        assert len(out[1]) == len(states)
        for i, s in enumerate(out[1]):
            np.testing.assert_allclose(s.asnumpy(), data[f"{case}:out_state{i}"].asnumpy(), rtol=1e-5, atol=1e-6)
    if train:
        y.backward(data[f"{case}:head"])
        np.testing.assert_allclose(x.grad.asnumpy(), data[f"{case}:dx"].asnumpy(), rtol=1e-4, atol=1e-5)
        for name, p in layer.collect_params().items():
            np.testing.assert_allclose(p.grad().asnumpy(), data[f"{case}:grad:{name[len(case) + 1:]}"].asnumpy(),
                                       rtol=1e-4, atol=1e-5, err_msg=name)


def test_param_names_shapes_vs_mxnet():
    layer = rnn.LSTM(4, 2, bidirectional=True, input_size=3, projection_size=2, prefix="lstm0_")
    want = [("l0_i2h_weight", (16, 3)), ("l0_h2h_weight", (16, 2)), ("l0_i2h_bias", (16,)), ("l0_h2h_bias", (16,)),
            ("l0_h2r_weight", (2, 4)), ("r0_i2h_weight", (16, 3)), ("r0_h2h_weight", (16, 2)), ("r0_i2h_bias", (16,)),
            ("r0_h2h_bias", (16,)), ("r0_h2r_weight", (2, 4)), ("l1_i2h_weight", (16, 4)), ("l1_h2h_weight", (16, 2)),
            ("l1_i2h_bias", (16,)), ("l1_h2h_bias", (16,)), ("l1_h2r_weight", (2, 4)), ("r1_i2h_weight", (16, 4)),
            ("r1_h2h_weight", (16, 2)), ("r1_i2h_bias", (16,)), ("r1_h2h_bias", (16,)), ("r1_h2r_weight", (2, 4))]
    assert [(k, v.shape) for k, v in layer.collect_params().items()] == [("lstm0_" + k, s) for k, s in want]
    assert list(layer._reg_params) == [k for k, _ in want]
    assert layer.state_info(5) == [{"shape": (4, 5, 2), "__layout__": "LNC", "dtype": "float32"},
                                   {"shape": (4, 5, 4), "__layout__": "LNC", "dtype": "float32"}]
    assert repr(layer) == "LSTM(3 -> 4, TNC, num_layers=2, bidirectional)"
    assert repr(rnn.GRU(5, layout="NTC", dropout=0.5, bidirectional=True)) == \
        "GRU(None -> 5, NTC, dropout=0.5, bidirectional)"
    assert repr(rnn.RNN(5, activation="tanh")) == "RNN(None -> 5, TNC)"
    gru = rnn.GRU(5, input_size=2, prefix="g_")
    assert [(k, v.shape) for k, v in gru.collect_params().items()] == [
        ("g_l0_i2h_weight", (15, 2)), ("g_l0_h2h_weight", (15, 5)), ("g_l0_i2h_bias", (15,)), ("g_l0_h2h_bias", (15,))]
    # structural names written by save_parameters (MXNet 1.9's unfused names)
    assert list(gru._collect_params_with_prefix())[:2] == ["_unfused.0.i2h_weight", "_unfused.0.h2h_weight"]
    assert list(layer._collect_params_with_prefix())[:1] == ["_unfused.0.l_cell.i2h_weight"]


def test_deferred_init_and_begin_state():
    layer = rnn.LSTM(3, 2, layout="NTC", bidirectional=True)
    layer.initialize()
    x = mx.nd.ones((2, 5, 7))
    y = layer(x)
    assert y.shape == (2, 5, 6)
    assert layer.l0_i2h_weight.shape == (12, 7) and layer.r0_i2h_weight.shape == (12, 7)
    assert layer.l1_i2h_weight.shape == (12, 6)
    states = layer.begin_state(batch_size=2)
    assert [s.shape for s in states] == [(4, 2, 3), (4, 2, 3)]
    out, new = layer(x, states)
    assert out.shape == (2, 5, 6) and [s.shape for s in new] == [(4, 2, 3), (4, 2, 3)]
    with pytest.raises(mx.base.MXNetError, match="Invalid recurrent state shape"):
        layer(x, [mx.nd.zeros((4, 3, 3)), mx.nd.zeros((4, 3, 3))])


@pytest.mark.parametrize("make", [lambda: rnn.LSTM(8, 2, bidirectional=True, projection_size=3),
                                  lambda: rnn.GRU(5, 2, layout="NTC"), lambda: rnn.RNN(4, 1, bidirectional=True)])
def test_symbolic_infer_shape_of_bare_layer(make):
    # RNN infers the packed vector from data; _rnn_param_concat and Reshape carry it back to each
    # gate's weight, so a layer called on a bare Symbol gets every parameter shape, as in MXNet.
    layer = make()
    out = layer(mx.sym.var("data"))
    args, outs, _ = out.infer_shape(data=(5, 3, 4))
    shapes = dict(zip(out.list_arguments(), args))
    layer.initialize()
    layer(mx.nd.ones((5, 3, 4)))
    for name, p in layer.collect_params().items():
        assert shapes[name] == p.shape, name
    assert outs[0] == layer(mx.nd.ones((5, 3, 4))).shape


def test_lstm_state_clip():
    # MXNet 1.9's CPU kernel silently ignores the clip (cuDNN honours it); gluonic always clips.
    rng = np.random.RandomState(5)
    x = mx.nd.array(rng.standard_normal((4, 2, 3)) * 3)
    weights = {}
    outs = []
    for lo, hi in [(None, None), (-100.0, 100.0), (-0.2, 0.3)]:
        layer = rnn.LSTM(3, input_size=3, state_clip_min=lo, state_clip_max=hi, prefix="clip_")
        layer.initialize()
        for k, p in layer.collect_params().items():
            p.set_data(mx.nd.array(weights.setdefault(k, rng.uniform(-1, 1, p.shape))))
        out, (h, c) = layer(x, layer.begin_state(2))
        outs.append((out.asnumpy(), c.asnumpy()))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-6)
    assert outs[0][1].max() > 0.3 or outs[0][1].min() < -0.2
    assert outs[2][1].max() <= 0.3 + 1e-7 and outs[2][1].min() >= -0.2 - 1e-7
    assert not np.allclose(outs[0][0], outs[2][0])


class _FlatStates(gluon.HybridBlock):
    """Returns ``(out, state)`` flat (the harness compares flat outputs)."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.layer = layer

    def hybrid_forward(self, F, x, h):
        out, states = self.layer(x, h)
        return out, states[0]


@pytest.mark.parametrize("make,with_state", [
    (lambda: rnn.LSTM(3, 2, bidirectional=True, input_size=4), False),
    (lambda: _FlatStates(rnn.GRU(3, layout="NTC", input_size=4)), True),
    (lambda: rnn.RNN(3, activation="tanh"), False),
])
def test_hybridize_export(make, with_state):
    rng = np.random.RandomState(3)
    x = rng.standard_normal((3, 2, 4)).astype("float32")
    if with_state:
        check_hybrid(make, x, rng.standard_normal((1, 3, 3)).astype("float32"), rtol=1e-5, atol=1e-5)
    else:
        # called without states, the layer still feeds zero states to its graph (as MXNet 1.9 does), so the
        # exported graph has inputs data0 (x), data1... (states): check that export by hand below
        check_hybrid(make, x, rtol=1e-5, atol=1e-5, export=False)
        layer = make()
        layer.initialize()
        layer.hybridize()
        want = layer(mx.nd.array(x))
        with tempfile.TemporaryDirectory() as tmp:
            sym_file, params_file = layer.export(os.path.join(tmp, "m"))
            names = ["data0"] + [f"data{i + 1}" for i in range(len(layer.state_info()))]
            back = gluon.SymbolBlock.imports(sym_file, names, params_file)
            states = layer.begin_state(batch_size=2)
            got = back(mx.nd.array(x), *states)
        got = got[0] if isinstance(got, (list, tuple)) else got
        np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)


def test_dropout_between_layers():
    rng = np.random.RandomState(9)
    x = mx.nd.array(rng.standard_normal((4, 2, 3)))
    plain = rnn.GRU(5, 2, input_size=3, prefix="d_")
    drop = rnn.GRU(5, 2, input_size=3, dropout=0.5, prefix="d_")
    for layer in (plain, drop):
        layer.initialize()
    for k, p in plain.collect_params().items():
        val = rng.uniform(-0.5, 0.5, p.shape)
        p.set_data(mx.nd.array(val))
        drop.collect_params()[k].set_data(mx.nd.array(val))
    np.testing.assert_allclose(drop(x).asnumpy(), plain(x).asnumpy(), rtol=1e-6)  # inference: no dropout
    with autograd.record():
        y = drop(x)
    assert not np.allclose(y.asnumpy(), plain(x).asnumpy())
