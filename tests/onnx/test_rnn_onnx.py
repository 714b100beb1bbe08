"""gluon.rnn layers (the fused RNN operator) export to ONNX and agree with gluonic in onnxruntime."""
import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

import gluonic as mx  # noqa: E402
from gluonic.gluon import nn, rnn  # noqa: E402

from .onnx_harness import check_block, check_symbol  # noqa: E402

RNG = np.random.default_rng(1)


def _randomize(block):
    block.initialize(mx.init.Uniform(0.5))
    return block


@pytest.mark.parametrize("cls", [rnn.LSTM, rnn.GRU, "rnn_tanh", "rnn_relu"])
@pytest.mark.parametrize("layers,bidir", [(1, False), (2, True)])
def test_rnn_layer_with_states(cls, layers, bidir):
    if isinstance(cls, str):
        layer = rnn.RNN(4, num_layers=layers, bidirectional=bidir, activation=cls[4:], input_size=3)
    else:
        layer = cls(4, num_layers=layers, bidirectional=bidir, input_size=3)
    _randomize(layer)
    # random biases too (Uniform init covers weights; biases start at zero)
    for p in layer.collect_params().values():
        p.set_data(mx.nd.array(RNG.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    x = RNG.standard_normal((5, 1, 3)).astype(np.float32)
    states = [s.asnumpy() + RNG.standard_normal(s.shape).astype(np.float32)
              for s in layer.begin_state(batch_size=1)]
    check_block(layer, x, states, batch_axes=[1] + [1] * len(states))


@pytest.mark.parametrize("cls", [rnn.LSTM, rnn.GRU])
def test_rnn_layer_default_states_ntc(cls):
    class Net(mx.gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.rnn = cls(6, layout="NTC", num_layers=2, input_size=3)
                self.fc = nn.Dense(2, flatten=False)

        def hybrid_forward(self, F, x):
            return self.fc(self.rnn(x))

    net = Net()
    _randomize(net)
    x = RNG.standard_normal((1, 4, 3)).astype(np.float32)
    check_block(net, x)


def test_rnn_symbol_state_outputs_and_seq_len():
    data, params = mx.sym.var("data"), mx.sym.var("params")
    h0, c0, lens = mx.sym.var("h0"), mx.sym.var("c0"), mx.sym.var("lens")
    out = mx.sym.RNN(data, params, h0, c0, lens, state_size=3, num_layers=1, mode="lstm", state_outputs=True,
                     use_sequence_length=True, name="lstm")
    n = 4 * 3 * (2 + 3) + 2 * 4 * 3
    p = {"params": RNG.uniform(-1, 1, (n,)).astype(np.float32)}
    inputs = {"data": RNG.standard_normal((5, 2, 2)).astype(np.float32),
              "h0": RNG.standard_normal((1, 2, 3)).astype(np.float32),
              "c0": RNG.standard_normal((1, 2, 3)).astype(np.float32),
              "lens": np.array([5, 3], np.float32)}
    got = check_symbol(out, p, inputs, atol=1e-5)
    assert len(got) == 3
    import onnx

    model = mx.onnx.export_onnx_model(out, {k: mx.nd.array(v) for k, v in p.items()},
                                      [v.shape for v in inputs.values()])
    assert [o.name for o in model.graph.output] == ["lstm", "lstm1", "lstm2"]  # MXNet's exporter's names
    onnx.checker.check_model(model)


def _cells():
    return {
        "rnn": lambda: rnn.RNNCell(4, input_size=3),
        "lstm": lambda: rnn.LSTMCell(4, input_size=3),
        "gru": lambda: rnn.GRUCell(4, input_size=3),
        "stack_residual_dropout": lambda: _stack(),
        "bidirectional": lambda: rnn.BidirectionalCell(rnn.LSTMCell(3, input_size=3), rnn.GRUCell(3, input_size=3)),
        "zoneout": lambda: rnn.ZoneoutCell(rnn.LSTMCell(4, input_size=3), zoneout_outputs=0.2, zoneout_states=0.1),
    }


def _stack():
    cell = rnn.HybridSequentialRNNCell()
    cell.add(rnn.LSTMCell(3, input_size=3))
    cell.add(rnn.DropoutCell(0.3))
    cell.add(rnn.ResidualCell(rnn.GRUCell(3, input_size=3)))
    return cell


class _Unrolled(mx.gluon.HybridBlock):
    def __init__(self, cell, length):
        super().__init__()
        self.length = length
        with self.name_scope():
            self.cell = cell

    def hybrid_forward(self, F, x):
        out, _ = self.cell.unroll(self.length, x, layout="NTC", merge_outputs=True)
        return out


@pytest.mark.parametrize("name", sorted(_cells()))
def test_unrolled_cells(name):
    net = _Unrolled(_cells()[name](), 4)
    _randomize(net)
    x = RNG.standard_normal((1, 4, 3)).astype(np.float32)
    check_block(net, x)
