"""The inference pass (BatchNorm folding, conv+add+relu fusion) computes what the traced graph computes."""
import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.compile.passes import optimize_for_inference
from gluonic.gluon import nn


def _randomize(net, seed=0):
    """Non-trivial BatchNorm statistics and affine parameters (defaults would make BN the identity)."""
    rng = np.random.RandomState(seed)
    for name, p in net.collect_params().items():
        lo, hi = (0.5, 2.0) if name.endswith(("running_var", "gamma")) else (-0.5, 0.5)
        if name.endswith(("running_mean", "running_var", "gamma", "beta")):
            p.set_data(mx.nd.array(rng.uniform(lo, hi, size=p.shape)))


def _both(net, *xs, monkeypatch):
    """(optimized, unoptimized) hybridized outputs in predict mode, and the optimized graph's source."""
    net.hybridize()
    fast = net(*xs)
    graph = next(iter(net._cached_graphs.values()))
    source = graph.inference.source if graph.inference is not None else ""
    with monkeypatch.context() as m:
        m.setenv("GLUONIC_INFERENCE_PASSES", "0")
        net.hybridize()
        slow = net(*xs)
        assert next(iter(net._cached_graphs.values())).inference is None
    net.hybridize()
    return fast, slow, source


def _close(a, b, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=rtol, atol=atol)


def _x(*shape, seed=1, dtype="float32"):
    return mx.nd.array(np.random.RandomState(seed).randn(*shape), dtype=dtype)


def _conv_bn_relu(bias=False, scale=True, use_global_stats=False, groups=1, channels=8, cin=4, **conv):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(channels, 3, padding=1, use_bias=bias, in_channels=cin, groups=groups, **conv),
            nn.BatchNorm(in_channels=channels, scale=scale, use_global_stats=use_global_stats),
            nn.Activation("relu"))
    net.initialize(mx.init.Xavier())
    _randomize(net)
    return net


class Residual(nn.HybridBlock):
    """ResNet v1 basic block: conv-BN-relu-conv-BN, plus a conv-BN (or identity) shortcut, then relu."""

    def __init__(self, cin, cout, stride, act="relu", **kwargs):
        super().__init__(**kwargs)
        self.body = nn.HybridSequential()
        self.body.add(nn.Conv2D(cout, 3, stride, 1, use_bias=False, in_channels=cin), nn.BatchNorm(in_channels=cout),
                      nn.Activation("relu"), nn.Conv2D(cout, 3, 1, 1, use_bias=False, in_channels=cout),
                      nn.BatchNorm(in_channels=cout))
        self.down = None
        if cin != cout or stride != 1:
            self.down = nn.HybridSequential()
            self.down.add(nn.Conv2D(cout, 1, stride, use_bias=False, in_channels=cin), nn.BatchNorm(in_channels=cout))
        self.act = act

    def hybrid_forward(self, F, x):
        shortcut = x if self.down is None else self.down(x)
        return F.Activation(self.body(x) + shortcut, act_type=self.act)


def _resnet(act="relu"):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 3, 1, 1, use_bias=False, in_channels=3), nn.BatchNorm(in_channels=8), nn.Activation("relu"),
            nn.MaxPool2D(2), Residual(8, 8, 1, act), Residual(8, 16, 2, act), nn.GlobalAvgPool2D(), nn.Flatten(),
            nn.Dropout(0.5), nn.Dense(5, in_units=16))
    net.initialize(mx.init.Xavier())
    _randomize(net)
    return net


def test_conv_bn_relu_folds_into_one_call(monkeypatch):
    net = _conv_bn_relu()
    x = _x(2, 4, 9, 9)
    eager = net(x)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "_conv_bn_relu_0(" in source and "BatchNorm" not in source and "Activation" not in source
    _close(fast, slow)
    _close(fast, eager)
    assert fast.shape == (2, 8, 9, 9) and fast.dtype == np.float32
    assert fast._tensor.is_contiguous()


@pytest.mark.parametrize("onednn", ["1", "0"])
@pytest.mark.parametrize("kw", [dict(bias=True), dict(scale=False), dict(use_global_stats=True),
                                dict(groups=4, channels=8, cin=4), dict(strides=2, dilation=2)])
def test_conv_bn_variants(kw, onednn, monkeypatch):
    monkeypatch.setenv("GLUONIC_ONEDNN_CONV", onednn)
    net = _conv_bn_relu(**kw)
    x = _x(1, 4, 11, 11, seed=2)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "_conv_bn_relu_0(" in source
    _close(fast, slow)


@pytest.mark.parametrize("onednn", ["1", "0"])
def test_residual_net_add_and_relu_fuse(onednn, monkeypatch):
    monkeypatch.setenv("GLUONIC_ONEDNN_CONV", onednn)
    net = _resnet()
    x = _x(3, 3, 16, 16)
    eager = net(x)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert source.count("_add_relu_") == 2 and "BatchNorm" not in source and "Dropout" not in source
    assert "elemwise_add" not in source
    _close(fast, slow)
    _close(fast, eager)


@pytest.mark.parametrize("onednn", ["1", "0"])
def test_residual_with_other_activation(onednn, monkeypatch):
    monkeypatch.setenv("GLUONIC_ONEDNN_CONV", onednn)
    net = _resnet(act="tanh")
    x = _x(1, 3, 12, 12)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "_add_tanh_" in source
    _close(fast, slow)


def test_float64_folds_without_onednn(monkeypatch):
    net = _resnet()
    net.cast("float64")
    x = _x(1, 3, 12, 12, dtype="float64")
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "_conv_bn_relu_0" in source and fast.dtype == np.float64
    _close(fast, slow, rtol=1e-10, atol=1e-12)


def test_bn_not_after_conv_stays(monkeypatch):
    net = nn.HybridSequential()
    net.add(nn.BatchNorm(in_channels=4), nn.Conv2D(6, 3, in_channels=4), nn.Activation("relu"))
    net.initialize()
    _randomize(net)
    x = _x(2, 4, 7, 7)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "BatchNorm(" in source and "_conv_relu_0(" in source
    _close(fast, slow)


class SharedConvOutput(nn.HybridBlock):
    """The convolution's output feeds BatchNorm and also the sum: folding would lose it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = nn.Conv2D(4, 3, padding=1, in_channels=4)
        self.bn = nn.BatchNorm(in_channels=4)

    def hybrid_forward(self, F, x):
        y = self.conv(x)
        return F.relu(self.bn(y) + y)


def test_conv_output_used_elsewhere_is_not_folded(monkeypatch):
    net = SharedConvOutput()
    net.initialize()
    _randomize(net)
    x = _x(2, 4, 6, 6)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "BatchNorm(" in source and "_conv_bn" not in source
    _close(fast, slow)


class ConvAsOutput(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = nn.Conv2D(4, 1, in_channels=3)
        self.bn = nn.BatchNorm(in_channels=4)

    def hybrid_forward(self, F, x):
        y = self.conv(x)
        return self.bn(y), y


def test_conv_output_that_is_a_graph_output_is_not_folded(monkeypatch):
    net = ConvAsOutput()
    net.initialize()
    _randomize(net)
    x = _x(1, 3, 5, 5)
    (f0, f1), (s0, s1), source = _both(net, x, monkeypatch=monkeypatch)
    assert "BatchNorm(" in source
    _close(f0, s0)
    _close(f1, s1)


def test_dense_bn_relu_folds(monkeypatch):
    net = nn.HybridSequential()
    net.add(nn.Dense(6, in_units=5), nn.BatchNorm(in_channels=6), nn.Activation("relu"), nn.Dense(3, in_units=6))
    net.initialize()
    _randomize(net)
    x = _x(4, 5)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert "_fc_bn_relu_0(" in source and source.count("FullyConnected(") == 1
    _close(fast, slow)


def test_training_mode_does_not_fold(monkeypatch):
    net = _conv_bn_relu()
    twin = _conv_bn_relu()
    for mine, theirs in zip(net.collect_params().values(), twin.collect_params().values()):
        theirs.set_data(mine.data().copy())
    x = _x(2, 4, 6, 6)
    net.hybridize()
    with monkeypatch.context() as m:
        m.setenv("GLUONIC_INFERENCE_PASSES", "0")
        twin.hybridize()
    with mx.autograd.train_mode():
        a, b = net(x), twin(x)
    assert all(g.inference is None for g in net._cached_graphs.values())
    _close(a, b)
    running = [p for n, p in net.collect_params().items() if n.endswith("running_mean")][0]
    twin_running = [p for n, p in twin.collect_params().items() if n.endswith("running_mean")][0]
    _close(running.data(), twin_running.data())  # batch statistics were used and the moving ones updated
    _close(net(x), twin(x))  # and predict mode (folded) sees the updated statistics


def test_record_uses_the_unfolded_graph_and_gradients_flow(monkeypatch):
    net = _conv_bn_relu(bias=True)
    x = _x(2, 4, 6, 6)
    net.hybridize()
    net(x)  # predict-mode graph with its folded twin
    with mx.autograd.record(train_mode=False):
        y = net(x)
    y.backward()
    grads = {n: p.grad().asnumpy().copy() for n, p in net.collect_params().items() if p.grad_req != "null"}
    with monkeypatch.context() as m:
        m.setenv("GLUONIC_INFERENCE_PASSES", "0")
        net.hybridize()
        with mx.autograd.record(train_mode=False):
            y0 = net(x)
        y0.backward()
    _close(y, y0)
    for n, p in net.collect_params().items():
        if p.grad_req != "null":
            assert np.abs(grads[n]).sum() > 0, n
            np.testing.assert_allclose(grads[n], p.grad().asnumpy(), rtol=1e-4, atol=1e-5)


def _eager(net, x, monkeypatch):
    with monkeypatch.context() as m:
        m.setenv("GLUONIC_HYBRIDIZE", "0")  # runs hybrid_forward eagerly; the compiled graphs stay cached
        return net(x)


@pytest.mark.parametrize("onednn", ["1", "0"])
def test_parameter_updates_between_calls_are_seen(onednn, monkeypatch):
    monkeypatch.setenv("GLUONIC_ONEDNN_CONV", onednn)
    net = _resnet()
    x = _x(2, 3, 12, 12)
    net.hybridize()
    net(x)
    graph = next(iter(net._cached_graphs.values()))
    assert graph.inference is not None
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    params = net.collect_params()
    conv_w = [p for n, p in params.items() if n.endswith("weight") and p.data().ndim == 4][1]
    var = [p for n, p in params.items() if n.endswith("running_var")][-1]
    gamma = [p for n, p in params.items() if n.endswith("gamma")][2]
    updates = [
        lambda: conv_w.set_data(conv_w.data() * 2),
        lambda: var.data().__setitem__(slice(None), var.data() * 3),
        lambda: gamma.data().__imul__(-1),
    ]
    for update in updates:
        before = net(x).asnumpy()
        update()
        after = net(x)
        assert list(net._cached_graphs.values()) == [graph]
        assert not np.allclose(before, after.asnumpy(), rtol=1e-3, atol=1e-4)
        _close(after, _eager(net, x, monkeypatch))
    for _ in range(2):
        with mx.autograd.record():
            loss = (net(x) ** 2).sum()
        loss.backward()
        trainer.step(2)
        _close(net(x), _eager(net, x, monkeypatch))


def test_new_signature_gets_its_own_fold(monkeypatch):
    net = _resnet()
    for shape in [(1, 3, 12, 12), (4, 3, 16, 16)]:
        fast, slow, _ = _both(net, _x(*shape), monkeypatch=monkeypatch)
        _close(fast, slow)


def test_graph_without_anything_to_fuse_is_left_alone():
    x = mx.sym.var("x")
    assert optimize_for_inference(mx.sym.relu(x * 2), ["x"]) is None


def test_dropout_and_identity_are_dropped():
    x = mx.sym.var("x")
    y = mx.sym.identity(mx.sym.Dropout(mx.sym.relu(x), p=0.3))
    g = optimize_for_inference(y, ["x"])
    assert "Dropout" not in g.source and "_copy" not in g.source
    t = torch.randn(3, 4)
    torch.testing.assert_close(g.fn(t)[0], torch.relu(t))
    always = mx.sym.Dropout(x, p=0.3, mode="always")
    assert optimize_for_inference(always, ["x"]) is None


def test_channels_last_layout_is_left_alone(monkeypatch):
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, layout="NHWC", in_channels=3), nn.BatchNorm(axis=3, in_channels=4))
    net.initialize()
    _randomize(net)
    fast, slow, source = _both(net, _x(1, 5, 5, 3), monkeypatch=monkeypatch)
    assert source == "" or "BatchNorm(" in source
    _close(fast, slow)


def test_onednn_disabled_uses_plain_conv(monkeypatch):
    net = _resnet()
    x = _x(1, 3, 12, 12)
    with torch.backends.mkldnn.flags(enabled=False):
        fast, slow, _ = _both(net, x, monkeypatch=monkeypatch)
    _close(fast, slow)


def test_a_packed_kernel_that_onednn_refuses_falls_back_to_the_plain_one(monkeypatch):
    """Seen on a Sapphire Rapids CPU: oneDNN's packed convolution raised "could not create a memory"."""
    from gluonic.compile import passes

    def refuse(self, x, other):
        raise RuntimeError("could not create a memory")

    monkeypatch.setattr(passes._Unit, "_packed", refuse)
    net = _resnet()
    fast, slow, _ = _both(net, _x(2, 3, 12, 12), monkeypatch=monkeypatch)
    _close(fast, slow)


def test_inductor_backend_keeps_the_plain_graph():
    net = _conv_bn_relu()
    net.hybridize(backend="eager")
    net(_x(1, 4, 5, 5))
    assert all(g.inference is None for g in net._cached_graphs.values())


class Pointwise(nn.HybridBlock):
    """MobileNet's pattern: 3×3 conv-BN-relu, then 1×1 convs (with a residual add) on its channels-last output."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stem = nn.HybridSequential()
        self.stem.add(nn.Conv2D(8, 3, padding=1, use_bias=False, in_channels=3), nn.BatchNorm(in_channels=8),
                      nn.Activation("relu"))
        self.pw1 = nn.HybridSequential()
        self.pw1.add(nn.Conv2D(8, 1, in_channels=8), nn.BatchNorm(in_channels=8), nn.Activation("relu"))
        self.pw2 = nn.HybridSequential()
        self.pw2.add(nn.Conv2D(8, 1, use_bias=False, in_channels=8), nn.BatchNorm(in_channels=8))

    def hybrid_forward(self, F, x):
        y = self.stem(x)
        return F.relu(self.pw2(self.pw1(y)) + y)


@pytest.mark.parametrize("matmul_max", [1 << 17, 0])
def test_pointwise_convolutions(matmul_max, monkeypatch):
    from gluonic.compile import passes

    monkeypatch.setattr(passes, "_MATMUL_MAX", matmul_max)
    net = Pointwise()
    net.initialize(mx.init.Xavier())
    _randomize(net)
    x = _x(2, 3, 6, 6)
    eager = net(x)
    fast, slow, source = _both(net, x, monkeypatch=monkeypatch)
    assert source.count("_conv_bn") == 3 and "_add_relu" in source
    _close(fast, slow)
    _close(fast, eager)
