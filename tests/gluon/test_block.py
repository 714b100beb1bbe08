"""Block / HybridBlock semantics: naming, registration, deferred init, save/load, hooks, summary."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import gluon
from gluonic.gluon import nn


def _fresh():
    return mx.name.NameManager()


def test_names_like_mxnet():
    with _fresh():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4, activation="relu"), nn.Dense(2))
        d = nn.Dense(3)
    assert list(net.collect_params().keys()) == [
        "hybridsequential0_dense0_weight", "hybridsequential0_dense0_bias",
        "hybridsequential0_dense1_weight", "hybridsequential0_dense1_bias"]
    assert d.name == "dense0" and d.prefix == "dense0_"
    assert repr(net) == ("HybridSequential(\n  (0): Dense(None -> 4, Activation(relu))\n"
                         "  (1): Dense(None -> 2, linear)\n)")


def test_deferred_init_by_symbolic_inference():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(8, activation="relu"), nn.Dense(2))
    net.initialize()
    out = net(mx.nd.ones((4, 5)))
    assert out.shape == (4, 2) and net[0].weight.shape == (8, 5) and net[1].weight.shape == (2, 8)
    assert repr(net[0]) == "Dense(5 -> 8, Activation(relu))"


class _Custom(gluon.HybridBlock):
    """A user block with its own deferred parameter, used through F.FullyConnected."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.w = self.params.get("weight", shape=(3, 0), allow_deferred_init=True)

    def hybrid_forward(self, F, x, w):
        return F.FullyConnected(x, w, num_hidden=3, no_bias=True) * 2


def test_custom_block_deferred_param():
    b = _Custom()
    b.initialize(mx.init.One())
    y = b(mx.nd.ones((2, 4)))
    assert b.w.shape == (3, 4) and y.asnumpy().tolist() == [[8.0] * 3] * 2


def test_params_sharing():
    a = nn.Dense(3, in_units=2)
    b = nn.Dense(3, in_units=2, params=a.collect_params())
    a.initialize()
    assert b.weight is a.weight
    x = mx.nd.ones((1, 2))
    assert np.allclose(a(x).asnumpy(), b(x).asnumpy())


def test_collect_params_select_and_setattr():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, in_units=2), nn.Dense(2, in_units=4))
    sel = net.collect_params(".*weight")
    assert all(k.endswith("weight") for k in sel.keys()) and len(sel) == 2
    net.collect_params().setattr("lr_mult", 0.5)
    assert all(p.lr_mult == 0.5 for p in net.collect_params().values())


def test_child_registration_and_type_checks():
    class Net(gluon.Block):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.fc = nn.Dense(2, in_units=3)

        def forward(self, x):
            return self.fc(x)

    n = Net()
    assert list(n._children) == ["fc"]
    with pytest.raises(TypeError, match="Changing attribute type"):
        n.fc = 3
    hs = nn.HybridSequential()
    with pytest.raises(ValueError, match="Children of HybridBlock must also be HybridBlock"):
        hs.add(nn.Sequential())


def test_save_load_parameters_structural_names(tmp_path):
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, in_units=2), nn.Dense(2, in_units=4))
    net.initialize()
    f = str(tmp_path / "net.params")
    net.save_parameters(f)
    assert sorted(mx.nd.load(f)) == ["0.bias", "0.weight", "1.bias", "1.weight"]
    other = nn.HybridSequential()
    with other.name_scope():
        other.add(nn.Dense(4), nn.Dense(2))
    other.load_parameters(f)  # fills the deferred shapes from the file
    x = mx.nd.ones((3, 2))
    assert np.allclose(net(x).asnumpy(), other(x).asnumpy())


def test_load_parameters_lists_every_problem(tmp_path):
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, in_units=2))
    net.initialize()
    f = str(tmp_path / "a.params")
    net.save_parameters(f)
    bigger = nn.HybridSequential()
    with bigger.name_scope():
        bigger.add(nn.Dense(4, in_units=2, use_bias=False), nn.Dense(2, in_units=4))
    with pytest.raises(ValueError) as e:
        bigger.load_parameters(f)
    msg = str(e.value)
    assert "1.weight" in msg and "1.bias" in msg and "0.bias" in msg and f in msg
    bigger.load_parameters(f, allow_missing=True, ignore_extra=True)


def test_legacy_save_params_roundtrip(tmp_path):
    with _fresh():
        net = nn.Dense(2, in_units=3)
    net.initialize()
    f = str(tmp_path / "legacy.params")
    with pytest.warns(UserWarning):
        net.save_params(f)
    assert sorted(mx.nd.load(f)) == ["bias", "weight"]
    with _fresh():
        other = nn.Dense(2, in_units=3)
    other.load_parameters(f)
    assert np.allclose(other.weight.data().asnumpy(), net.weight.data().asnumpy())


def test_hooks_apply_cast():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    seen = []
    h1 = net.register_forward_pre_hook(lambda b, inp: seen.append(("pre", inp[0].shape)))
    h2 = net.register_forward_hook(lambda b, inp, out: seen.append(("post", out.shape)))
    net(mx.nd.ones((4, 3)))
    h1.detach()
    h2.detach()
    net(mx.nd.ones((4, 3)))
    assert seen == [("pre", (4, 3)), ("post", (4, 2))]
    names = []
    net.apply(lambda b: names.append(b.name))
    assert names == [net.name]
    net.cast("float64")
    assert net.weight.data().dtype == np.float64


def test_summary_prints_mxnet_table(capsys):
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation="relu", in_units=3), nn.Dense(2, in_units=4))
    net.initialize()
    net.summary(mx.nd.ones((2, 3)))
    out = capsys.readouterr().out
    assert "Dense-2" in out and "Activation-1" in out and "Total params: 26" in out


def test_forward_rejects_non_array():
    net = nn.Dense(2, in_units=3)
    net.initialize()
    with pytest.raises(TypeError, match="either Symbol or NDArray"):
        net([1, 2, 3])


def test_symbolic_call_builds_graph():
    with _fresh():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4, activation="relu"), nn.Dense(2))
    out = net(mx.sym.var("data"))
    assert out.list_arguments() == ["data", "hybridsequential0_dense0_weight", "hybridsequential0_dense0_bias",
                                    "hybridsequential0_dense1_weight", "hybridsequential0_dense1_bias"]
    assert out.name == "hybridsequential0_dense1_fwd"
