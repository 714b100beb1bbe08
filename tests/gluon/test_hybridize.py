"""Every gluon.nn layer: imperative == hybridized == exported-and-reimported."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.base import MXNetError
from gluonic.gluon import nn
from gluonic.gluon.contrib import nn as cnn

from .hybrid_harness import check_hybrid

R = np.random.RandomState(0)


def _x(*shape):
    return R.standard_normal(shape).astype(np.float32)


def _seq(*layers):
    def make():
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(*[f() for f in layers])
        return net

    return make


LAYERS = {
    "Dense": (_seq(lambda: nn.Dense(5, activation="relu"), lambda: nn.Dense(3)), [_x(4, 6)]),
    "Dense-noflatten": (_seq(lambda: nn.Dense(3, flatten=False, use_bias=False)), [_x(2, 3, 4)]),
    "Dropout": (_seq(lambda: nn.Dense(4), lambda: nn.Dropout(0.5)), [_x(3, 4)]),
    "BatchNorm": (_seq(lambda: nn.Conv2D(3, 3), lambda: nn.BatchNorm()), [_x(2, 2, 5, 5)]),
    "BatchNorm-axis-1": (_seq(lambda: nn.Dense(4, flatten=False), lambda: nn.BatchNorm(axis=-1)), [_x(3, 2, 4)]),
    "LayerNorm": (_seq(lambda: nn.Dense(4), lambda: nn.LayerNorm()), [_x(3, 5)]),
    "InstanceNorm": (_seq(lambda: nn.Conv1D(4, 3), lambda: nn.InstanceNorm()), [_x(2, 3, 7)]),
    "GroupNorm": (_seq(lambda: nn.Conv2D(4, 1), lambda: nn.GroupNorm(num_groups=2)), [_x(2, 2, 3, 3)]),
    "Embedding": (_seq(lambda: nn.Embedding(10, 4)), [R.randint(0, 10, (2, 3)).astype(np.float32)]),
    "Flatten": (_seq(lambda: nn.Conv2D(2, 2), lambda: nn.Flatten()), [_x(2, 1, 4, 4)]),
    "HybridLambda": (_seq(lambda: nn.HybridLambda(lambda F, x: F.relu(x) * 2)), [_x(3, 3)]),
    "Activations": (_seq(lambda: nn.Dense(6), lambda: nn.LeakyReLU(0.1), lambda: nn.ELU(), lambda: nn.SELU(),
                         lambda: nn.GELU(), lambda: nn.Swish(), lambda: nn.SiLU(), lambda: nn.PReLU(),
                         lambda: nn.Activation("tanh")), [_x(3, 4)]),
    "Conv1D": (_seq(lambda: nn.Conv1D(3, 3, strides=2, padding=1)), [_x(2, 2, 9)]),
    "Conv2D-groups": (_seq(lambda: nn.Conv2D(4, 3, groups=2, dilation=2)), [_x(1, 4, 7, 7)]),
    "Conv3D": (_seq(lambda: nn.Conv3D(2, 2)), [_x(1, 1, 3, 4, 4)]),
    "ConvTranspose": (_seq(lambda: nn.Conv1DTranspose(2, 3, strides=2), lambda: nn.Conv2DTranspose(2, 2)),
                      [_x(1, 3, 4)]) if False else (_seq(lambda: nn.Conv2DTranspose(3, 3, strides=2,
                                                                                       output_padding=1)),
                                                    [_x(1, 2, 4, 4)]),
    "Conv3DTranspose": (_seq(lambda: nn.Conv3DTranspose(2, 2)), [_x(1, 1, 2, 3, 3)]),
    "Pools": (_seq(lambda: nn.MaxPool2D(3, 2, ceil_mode=True), lambda: nn.AvgPool2D(2, padding=1),
                   lambda: nn.GlobalAvgPool2D()), [_x(2, 2, 9, 9)]),
    "Pools1D3D": (_seq(lambda: nn.MaxPool1D(2), lambda: nn.GlobalMaxPool1D()), [_x(2, 3, 8)]),
    "GlobalPool3D": (_seq(lambda: nn.AvgPool3D(2), lambda: nn.GlobalMaxPool3D()), [_x(1, 2, 4, 4, 4)]),
    "ReflectionPad2D": (_seq(lambda: nn.ReflectionPad2D(1)), [_x(1, 2, 3, 3)]),
    "Identity": (_seq(lambda: nn.Dense(3), lambda: cnn.Identity()), [_x(2, 2)]),
    "HybridConcurrent": (lambda: _concurrent(), [_x(2, 4)]),
    "PixelShuffle2D": (_seq(lambda: nn.Conv2D(8, 1), lambda: cnn.PixelShuffle2D(2)), [_x(1, 2, 3, 3)]),
}


def _concurrent():
    net = cnn.HybridConcurrent(axis=1)
    with net.name_scope():
        net.add(nn.Dense(3), nn.Dense(2), cnn.Identity())
    return net


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_hybrid_equals_imperative_and_export(name):
    make, inputs = LAYERS[name]
    check_hybrid(make, *inputs)


def test_predict_mode_and_retrace_on_new_shape():
    make, inputs = LAYERS["BatchNorm"]
    check_hybrid(make, *inputs, train=False)
    net = make()
    net.initialize()
    net.hybridize()
    net(mx.nd.ones((2, 2, 5, 5)))
    net(mx.nd.ones((3, 2, 5, 5)))
    with autograd.train_mode():
        net(mx.nd.ones((3, 2, 5, 5)))
    assert len(net.cached_graph_source()) == 3


def test_batchnorm_running_stats_update_when_hybridized():
    net = nn.BatchNorm(in_channels=2)
    net.initialize()
    net.hybridize()
    x = mx.nd.array(_x(8, 2) * 3 + 1)
    with autograd.record():
        net(x)
    assert not np.allclose(net.running_mean.data().asnumpy(), 0)


class _ValueBranch(gluon.HybridBlock):
    def hybrid_forward(self, F, x):
        if x.sum() > 0:
            return x
        return -x


def test_value_dependent_control_flow_error_names_block_and_line():
    b = _ValueBranch()
    b.initialize()
    b(mx.nd.ones((2,)))  # fine imperatively
    b.hybridize()
    with pytest.raises(MXNetError, match=r"_valuebranch0' cannot be hybridized.*test_hybridize.py:\d+"):
        b(mx.nd.ones((2,)))


def test_gluonic_hybridize_env_forces_eager(monkeypatch):
    monkeypatch.setenv("GLUONIC_HYBRIDIZE", "0")
    net = nn.Dense(2, in_units=2)
    net.initialize()
    net.hybridize()
    net(mx.nd.ones((1, 2)))
    assert net.cached_graph_source() == []


def test_training_loop_hybridized_matches_imperative():
    data = _x(16, 5)

    def run(hybrid):
        mx.random.seed(3)
        with mx.name.NameManager():
            net = _seq(lambda: nn.Dense(8, activation="relu"), lambda: nn.BatchNorm(), lambda: nn.Dense(3))()
        net.initialize(mx.init.Xavier())
        if hybrid:
            net.hybridize()
        trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        x, y = mx.nd.array(data), mx.nd.array(np.arange(16) % 3)
        for _ in range(5):
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(16)
        return net(x).asnumpy()

    np.testing.assert_allclose(run(False), run(True), rtol=1e-5, atol=1e-6)


class _PlainForward(gluon.HybridBlock):
    """A HybridBlock written with plain NDArray code in forward (no hybrid_forward)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.fc = nn.Dense(4)
            self.scale = self.params.get("scale", shape=(4,), init=mx.init.Constant(0.5))

    def forward(self, x):
        return mx.nd.broadcast_mul(mx.nd.relu(self.fc(x)), self.scale.data()) + 1


def test_plain_forward_block_hybridizes_and_exports():
    check_hybrid(_PlainForward, _x(3, 5))
