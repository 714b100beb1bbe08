"""``gluon.rnn`` cells: NumPy step references, unroll semantics, real-MXNet goldens, hybridize."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.gluon import rnn
from gluonic.gluon.contrib import rnn as crnn
from tests.gluon.hybrid_harness import check_hybrid

GOLDEN = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "golden", "rnn_cell")
sys.path.insert(0, GOLDEN)
from rnn_cell_cases import CASES, build  # noqa: E402


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _params(cell):
    return {k: p.data().asnumpy().astype(np.float64) for k, p in cell._collect_params_with_prefix().items()}


def _np_step(kind, x, states, p, activation="tanh"):
    i2h = x @ p["i2h_weight"].T + p["i2h_bias"]
    h2h = states[0] @ p["h2h_weight"].T + p["h2h_bias"]
    if kind == "rnn":
        h = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0), "sigmoid": _sig}[activation](i2h + h2h)
        return h, [h]
    if kind == "lstm":
        i, f, g, o = np.split(i2h + h2h, 4, axis=1)
        c = _sig(f) * states[1] + _sig(i) * np.tanh(g)
        h = _sig(o) * np.tanh(c)
        return h, [h, c]
    ir, iz, ic = np.split(i2h, 3, axis=1)
    hr, hz, hc = np.split(h2h, 3, axis=1)
    r, z = _sig(ir + hr), _sig(iz + hz)
    h = (1 - z) * np.tanh(ic + r * hc) + z * states[0]
    return h, [h]


def _make(kind, hidden, **kw):
    return {"rnn": rnn.RNNCell, "lstm": rnn.LSTMCell, "gru": rnn.GRUCell}[kind](hidden, **kw)


# --------------------------------------------------------------------------- single steps vs NumPy
@pytest.mark.parametrize("kind,act", [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "sigmoid"), ("lstm", None),
                                      ("gru", None)])
def test_step_matches_numpy(kind, act):
    rng = np.random.RandomState(0)
    cell = _make(kind, 4, **({"activation": act} if act else {}))
    cell.initialize(mx.init.Uniform(0.5))
    x = rng.standard_normal((3, 5)).astype(np.float32)
    states = [rng.standard_normal((3, 4)).astype(np.float32) for _ in cell.state_info()]
    out, new = cell(mx.nd.array(x), [mx.nd.array(s) for s in states])
    ref, ref_states = _np_step(kind, x.astype(np.float64), [s.astype(np.float64) for s in states], _params(cell),
                               act or "tanh")
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-5, atol=1e-5)
    assert len(new) == len(ref_states)
    for a, b in zip(new, ref_states):
        np.testing.assert_allclose(a.asnumpy(), b, rtol=1e-5, atol=1e-5)


def _np_unroll(kind, xs_ntc, p, hidden, valid=None):
    n, t, _ = xs_ntc.shape
    states = [np.zeros((n, hidden))] * (2 if kind == "lstm" else 1)
    outs, all_states = [], []
    for i in range(t):
        o, states = _np_step(kind, xs_ntc[:, i], states, p)
        outs.append(o)
        all_states.append(states)
    outs = np.stack(outs, axis=1)
    if valid is None:
        return outs, states
    mask = np.arange(t)[None, :, None] < np.asarray(valid)[:, None, None]
    last = [np.stack([all_states[v - 1][k][b] for b, v in enumerate(valid)]) for k in range(len(states))]
    return outs * mask, last


# --------------------------------------------------------------------------- unroll semantics
@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("layout", ["NTC", "TNC"])
@pytest.mark.parametrize("merge", [True, False, None])
@pytest.mark.parametrize("valid", [None, [2, 4, 1]])
def test_unroll_matches_numpy(kind, layout, merge, valid):
    rng = np.random.RandomState(1)
    cell = _make(kind, 3)
    cell.initialize(mx.init.Uniform(0.5))
    x = rng.standard_normal((3, 4, 2)).astype(np.float32)
    xin = x if layout == "NTC" else x.transpose(1, 0, 2)
    vl = None if valid is None else mx.nd.array(valid)
    out, states = cell.unroll(4, mx.nd.array(xin), layout=layout, merge_outputs=merge, valid_length=vl)
    ref, ref_states = _np_unroll(kind, x.astype(np.float64), _params(cell), 3, valid)
    if merge is False or (merge is None and valid is None):  # None keeps the steps a list, as MXNet
        assert isinstance(out, list) and len(out) == 4
        out = np.stack([o.asnumpy() for o in out], axis=1)
        assert out.shape[0] == 3
    else:  # with valid_length, None gives a tensor (MXNet masks the stacked outputs)
        assert isinstance(out, mx.nd.NDArray)
        out = out.asnumpy()
        if layout == "TNC":
            out = out.transpose(1, 0, 2)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    for a, b in zip(states, ref_states):
        np.testing.assert_allclose(a.asnumpy(), b, rtol=1e-5, atol=1e-5)


def test_unroll_list_inputs():
    rng = np.random.RandomState(2)
    cell = rnn.GRUCell(3)
    cell.initialize()
    x = rng.standard_normal((2, 5, 4)).astype(np.float32)
    steps = [mx.nd.array(x[:, i]) for i in range(5)]
    out_list, _ = cell.unroll(5, steps)
    assert isinstance(out_list, list) and len(out_list) == 5
    merged, _ = cell.unroll(5, steps, merge_outputs=True)
    assert merged.shape == (2, 5, 3)
    ref, _ = cell.unroll(5, mx.nd.array(x), merge_outputs=True)
    np.testing.assert_allclose(merged.asnumpy(), ref.asnumpy(), rtol=1e-6)
    merged_tnc, _ = cell.unroll(5, steps, layout="TNC", merge_outputs=True)
    assert merged_tnc.shape == (5, 2, 3)
    with pytest.raises(mx.base.MXNetError):
        cell.unroll(4, steps)


def test_begin_state_and_state_info():
    cell = rnn.LSTMCell(6, input_size=2)
    assert cell.state_info(3) == [{"shape": (3, 6), "__layout__": "NC"}] * 2
    states = cell.begin_state(batch_size=3)
    assert [s.shape for s in states] == [(3, 6), (3, 6)]
    assert all((s.asnumpy() == 0).all() for s in states)
    ones = cell.begin_state(batch_size=2, func=mx.nd.ones, dtype="float64")
    assert ones[0].dtype == np.float64 and (ones[1].asnumpy() == 1).all()
    bi = rnn.BidirectionalCell(rnn.LSTMCell(2), rnn.GRUCell(3))
    assert [s.shape for s in bi.begin_state(batch_size=4)] == [(4, 2), (4, 2), (4, 3)]
    seq = rnn.SequentialRNNCell()
    seq.add(rnn.RNNCell(2))
    seq.add(rnn.DropoutCell(0.2))
    seq.add(rnn.LSTMCell(3))
    assert len(seq.state_info()) == 3 and len(seq) == 3 and isinstance(seq[2], rnn.LSTMCell)


def test_param_names_shapes_repr_match_mxnet():
    with mx.name.NameManager():
        seq = rnn.SequentialRNNCell()
        seq.add(rnn.LSTMCell(2))
        seq.add(rnn.ResidualCell(rnn.GRUCell(2)))
        cell = rnn.RNNCell(4, input_size=3)
    # from MXNet 1.9.1: collect_params() of the same construction
    assert {k: v.shape for k, v in seq.collect_params().items()} == {
        "lstm0_i2h_weight": (8, 0), "lstm0_h2h_weight": (8, 2), "lstm0_i2h_bias": (8,), "lstm0_h2h_bias": (8,),
        "gru0_i2h_weight": (6, 0), "gru0_h2h_weight": (6, 2), "gru0_i2h_bias": (6,), "gru0_h2h_bias": (6,)}
    assert repr(seq) == "SequentialRNNCell(\n(0): LSTMCell(None -> 8)\n(1): ResidualCell(GRUCell(None -> 6))\n)"
    assert repr(cell) == "RNNCell(3 -> 4, tanh)"
    assert repr(rnn.ZoneoutCell(rnn.GRUCell(3), 0.1, 0.2)) == "ZoneoutCell(p_out=0.1, p_state=0.2, GRUCell(None -> 9))"
    assert repr(rnn.DropoutCell(0.5)) == "DropoutCell(rate=0.5, axes=())"
    bi = rnn.BidirectionalCell(rnn.LSTMCell(2), rnn.LSTMCell(2))
    assert repr(bi) == "BidirectionalCell(forward=LSTMCell(None -> 8), backward=LSTMCell(None -> 8))"


def test_errors():
    bi = rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2))
    with pytest.raises(NotImplementedError):
        bi(mx.nd.ones((1, 2)), bi.begin_state(batch_size=1))
    base = rnn.RNNCell(2)
    rnn.ZoneoutCell(base, 0.5)
    with pytest.raises(mx.base.MXNetError):
        base.begin_state(batch_size=1)
    with pytest.raises(mx.base.MXNetError):
        rnn.ResidualCell(base)  # already modified


# --------------------------------------------------------------------------- modifier cells
def test_residual_dropout_zoneout():
    rng = np.random.RandomState(3)
    x = mx.nd.array(rng.standard_normal((2, 3, 4)).astype(np.float32))
    base = rnn.GRUCell(4)
    res = rnn.ResidualCell(base)
    res.initialize()
    out, _ = res.unroll(3, x, merge_outputs=True)
    base._modified = False
    plain, _ = base.unroll(3, x, merge_outputs=True)
    np.testing.assert_allclose(out.asnumpy(), plain.asnumpy() + x.asnumpy(), rtol=1e-6, atol=1e-6)
    drop = rnn.DropoutCell(0.5)
    y, st = drop.unroll(3, x, merge_outputs=True)
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())  # predict mode: identity
    with autograd.record():
        y, _ = drop.unroll(3, x, merge_outputs=True)
    kept = y.asnumpy() != 0
    np.testing.assert_allclose(y.asnumpy()[kept], 2 * x.asnumpy()[kept], rtol=1e-6)
    assert 0 < kept.mean() < 1
    zone = rnn.ZoneoutCell(rnn.RNNCell(4), zoneout_outputs=0.5, zoneout_states=0.5)
    zone.initialize()
    ref, _ = zone.unroll(3, x, merge_outputs=True)  # predict mode: no zoneout
    zone.base_cell._modified = False
    plain, _ = zone.base_cell.unroll(3, x, merge_outputs=True)
    zone.base_cell._modified = True
    np.testing.assert_allclose(ref.asnumpy(), plain.asnumpy(), rtol=1e-6)
    with autograd.record():
        zout, _ = zone.unroll(3, x, merge_outputs=True)
    z = zout.asnumpy()
    assert (z[:, 0][z[:, 0] != 0] == plain.asnumpy()[:, 0][z[:, 0] != 0]).all()  # step 0: new value or zero


# --------------------------------------------------------------------------- golden: real MXNet 1.9.1
@pytest.fixture(scope="module")
def golden():
    return mx.nd.load(os.path.join(GOLDEN, "data.nd"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_mxnet(golden, case):
    expr, shape, layout, merge, valid = CASES[case]
    cell = build(expr, rnn, crnn)
    cell.load_parameters(os.path.join(GOLDEN, f"{case}.params"))
    x = golden[f"{case}:x"].copy()
    x.attach_grad()
    vl = None if valid is None else mx.nd.array(valid)
    with autograd.record():
        out, states = cell.unroll(shape[layout.find("T")], x, layout=layout, merge_outputs=merge, valid_length=vl)
        y = out if isinstance(out, mx.nd.NDArray) else mx.nd.stack(*out, axis=layout.find("T"))
    y.backward(golden[f"{case}:head"])
    np.testing.assert_allclose(y.asnumpy(), golden[f"{case}:y"].asnumpy(), rtol=1e-5, atol=1e-5)
    n_states = len([k for k in golden if k.startswith(f"{case}:state")])
    assert len(states) == n_states
    for i, s in enumerate(states):
        np.testing.assert_allclose(s.asnumpy(), golden[f"{case}:state{i}"].asnumpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(x.grad.asnumpy(), golden[f"{case}:dx"].asnumpy(), rtol=1e-4, atol=1e-5)
    params = cell._collect_params_with_prefix()
    grads = {k.split(":", 2)[2] for k in golden if k.startswith(f"{case}:grad:")}
    assert grads == set(params)
    for name in grads:
        np.testing.assert_allclose(params[name].grad().asnumpy(), golden[f"{case}:grad:{name}"].asnumpy(),
                                   rtol=1e-4, atol=1e-5, err_msg=name)


# --------------------------------------------------------------------------- hybridize
class _Unrolled(gluon.HybridBlock):
    def __init__(self, make_cell, length, layout, valid, **kwargs):
        super().__init__(**kwargs)
        self._length, self._layout, self._valid = length, layout, valid
        with self.name_scope():
            self.cell = make_cell()

    def hybrid_forward(self, F, x, valid_length=None):
        out, states = self.cell.unroll(self._length, x, layout=self._layout, merge_outputs=True,
                                       valid_length=valid_length)
        return [out] + list(states)


@pytest.mark.parametrize("expr,layout,valid", [
    ("rnn.LSTMCell(3)", "NTC", False),
    ("rnn.GRUCell(3)", "TNC", True),
    ("rnn.RNNCell(3, activation='relu')", "NTC", True),
    ("rnn.BidirectionalCell(rnn.LSTMCell(2), rnn.GRUCell(3))", "NTC", True),
    ("seq(rnn.HybridSequentialRNNCell(), rnn.LSTMCell(3), rnn.ResidualCell(rnn.GRUCell(3)))", "TNC", False),
])
def test_hybridized_unroll_equals_imperative(expr, layout, valid):
    rng = np.random.RandomState(4)
    x = rng.standard_normal((2, 4, 3) if layout == "NTC" else (4, 2, 3)).astype(np.float32)
    inputs = [x] + ([np.array([3, 1], np.float32)] if valid else [])
    check_hybrid(lambda: _Unrolled(lambda: build(expr, rnn, crnn), 4, layout, valid), *inputs, rtol=1e-5, atol=1e-5)


def test_hybridized_cell_step():
    rng = np.random.RandomState(5)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    h = rng.standard_normal((2, 4)).astype(np.float32)
    c = rng.standard_normal((2, 4)).astype(np.float32)
    cell = rnn.LSTMCell(4)
    cell.initialize()
    eager_out, eager_states = cell(mx.nd.array(x), [mx.nd.array(h), mx.nd.array(c)])
    cell.hybridize()
    out, states = cell(mx.nd.array(x), [mx.nd.array(h), mx.nd.array(c)])
    assert cell.cached_graph_source()
    np.testing.assert_allclose(out.asnumpy(), eager_out.asnumpy(), rtol=1e-6)
    for a, b in zip(states, eager_states):
        np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6)


# --------------------------------------------------------------------------- gluon.contrib.rnn
def test_contrib_param_shapes_state_info_repr_match_mxnet():
    # expected values printed by MXNet 1.9.1 for the same constructions
    with mx.name.NameManager():
        cases = [
            (crnn.Conv1DGRUCell((2, 7), 3, 3, 5, i2h_pad=1, conv_layout="NCW"), "Conv1DGRUCell(2 -> 9, tanh, NCW)",
             {"conv_gru0_i2h_weight": (9, 2, 3), "conv_gru0_h2h_weight": (9, 3, 5), "conv_gru0_i2h_bias": (9,),
              "conv_gru0_h2h_bias": (9,)}, [(2, 3, 7)], "NCW"),
            (crnn.Conv3DRNNCell((2, 4, 4, 4), 3, 3, 3, activation="relu"), "Conv3DRNNCell(2 -> 3, relu, NCDHW)",
             {"conv_rnn0_i2h_weight": (3, 2, 3, 3, 3), "conv_rnn0_h2h_weight": (3, 3, 3, 3, 3),
              "conv_rnn0_i2h_bias": (3,), "conv_rnn0_h2h_bias": (3,)}, [(2, 3, 2, 2, 2)], "NCDHW"),
            (crnn.LSTMPCell(5, 3), "LSTMPCell(None -> 20 -> 3)",
             {"lstmp0_i2h_weight": (20, 0), "lstmp0_h2h_weight": (20, 3), "lstmp0_h2r_weight": (3, 5),
              "lstmp0_i2h_bias": (20,), "lstmp0_h2h_bias": (20,)}, [(2, 3), (2, 5)], "NC"),
            (crnn.Conv2DLSTMCell((6, 6, 2), 3, 3, 3, conv_layout="NHWC"), "Conv2DLSTMCell(2 -> 12, tanh, NHWC)",
             {"conv_lstm0_i2h_weight": (12, 3, 3, 2), "conv_lstm0_h2h_weight": (12, 3, 3, 3),
              "conv_lstm0_i2h_bias": (12,), "conv_lstm0_h2h_bias": (12,)}, [(2, 4, 4, 3)] * 2, "NHWC"),
        ]
    for cell, text, shapes, states, layout in cases:
        assert repr(cell) == text
        assert {k: v.shape for k, v in cell.collect_params().items()} == shapes
        assert cell.state_info(2) == [{"shape": s, "__layout__": layout} for s in states]
    with pytest.raises(mx.base.MXNetError):
        crnn.Conv2DRNNCell((2, 5, 5), 2, 3, 2)  # even h2h kernel
    with pytest.raises(mx.base.MXNetError):
        crnn.Conv2DRNNCell((2, 5, 5), 2, (3, 3, 3), 3)


def test_conv1d_rnn_step_matches_numpy():
    rng = np.random.RandomState(6)
    cell = crnn.Conv1DRNNCell((2, 6), 3, 3, 3, i2h_pad=1)
    cell.initialize(mx.init.Uniform(0.5))
    x = rng.standard_normal((2, 2, 6)).astype(np.float32)
    h = rng.standard_normal((2, 3, 6)).astype(np.float32)
    out, _ = cell(mx.nd.array(x), [mx.nd.array(h)])
    p = _params(cell)

    def conv(a, w, b):  # 'same' 1-D correlation, pad 1
        a = np.pad(a.astype(np.float64), ((0, 0), (0, 0), (1, 1)))
        cols = np.stack([a[:, :, i:i + 3] for i in range(a.shape[2] - 2)], axis=2)  # (N, C, W, K)
        return np.einsum("ncwk,ock->now", cols, w) + b[None, :, None]

    ref = np.tanh(conv(x, p["i2h_weight"], p["i2h_bias"]) + conv(h, p["h2h_weight"], p["h2h_bias"]))
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-5, atol=1e-5)


def test_variational_dropout_masks_shared_over_time():
    rng = np.random.RandomState(7)
    x = mx.nd.array(rng.uniform(1, 2, (4, 6, 5)).astype(np.float32))
    ident = crnn.VariationalDropoutCell(rnn.DropoutCell(0.0), drop_inputs=0.5)
    y, _ = ident.unroll(6, x, merge_outputs=True)
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())  # predict mode: no dropout
    with autograd.record():
        y, _ = ident.unroll(6, x, merge_outputs=True)
    kept = y.asnumpy() != 0
    assert (kept == kept[:, :1]).all() and 0 < kept.mean() < 1  # same mask at every step
    np.testing.assert_allclose(y.asnumpy()[kept], 2 * x.asnumpy()[kept], rtol=1e-6)
    # with state dropout the cell steps; masks are drawn once and kept until reset()
    cell = crnn.VariationalDropoutCell(rnn.RNNCell(3), drop_inputs=0.5, drop_states=0.5, drop_outputs=0.5)
    cell.initialize()
    assert repr(cell) == "VariationalDropoutCell(p_out = 0.5, p_state = 0.5)"
    with autograd.record():
        out, _ = cell.unroll(6, x, merge_outputs=False)
        masks = cell.drop_inputs_mask, cell.drop_states_mask, cell.drop_outputs_mask
        out2, _ = cell(x[:, 0], cell.begin_state(batch_size=4))
    assert (cell.drop_inputs_mask, cell.drop_states_mask, cell.drop_outputs_mask) == masks
    zero = np.stack([o.asnumpy() == 0 for o in out], axis=1)
    assert (zero == zero[:, :1]).all()
    cell.reset()
    assert cell.drop_inputs_mask is None


@pytest.mark.parametrize("expr,shape", [
    ("crnn.Conv2DLSTMCell((2, 5, 5), 2, (3, 3), (3, 3), i2h_pad=(1, 1))", (2, 3, 2, 5, 5)),
    ("crnn.Conv1DGRUCell((2, 6), 3, 3, 3)", (2, 3, 2, 6)),
    ("crnn.LSTMPCell(4, 2)", (2, 3, 3)),
])
def test_contrib_hybridized_unroll_equals_imperative(expr, shape):
    x = np.random.RandomState(8).standard_normal(shape).astype(np.float32)
    check_hybrid(lambda: _Unrolled(lambda: build(expr, rnn, crnn), 3, "NTC", False), x, rtol=1e-5, atol=1e-5)
