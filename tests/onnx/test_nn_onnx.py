"""gluon.nn layers export to ONNX and agree with gluonic in onnxruntime (batch 1 and dynamic batch)."""
import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

import gluonic as mx  # noqa: E402
from gluonic.gluon import nn  # noqa: E402

from .onnx_harness import check_block  # noqa: E402

RNG = np.random.default_rng(0)


def _x(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def _net(*layers, init=True):
    net = nn.HybridSequential()
    with net.name_scope():
        for layer in layers:
            net.add(layer)
    if init:
        net.initialize(mx.init.Normal(0.5))
    return net


def _randomize_bn(net):
    for name, p in net.collect_params().items():
        if name.endswith(("running_mean", "moving_mean")):
            p.set_data(mx.nd.array(RNG.standard_normal(p.shape).astype(np.float32) * 0.3))
        elif name.endswith(("running_var", "moving_var")):
            p.set_data(mx.nd.array(RNG.uniform(0.5, 2.0, p.shape).astype(np.float32)))
        elif name.endswith(("gamma", "beta")):
            p.set_data(mx.nd.array(RNG.standard_normal(p.shape).astype(np.float32)))


LAYERS = {
    "dense": (lambda: [nn.Dense(7, activation="relu"), nn.Dense(3)], (1, 5)),
    "dense_nobias_3d": (lambda: [nn.Dense(4, use_bias=False, flatten=False)], (1, 3, 5)),
    "dense_flatten_4d": (lambda: [nn.Dense(4)], (1, 2, 3, 4)),
    "conv2d": (lambda: [nn.Conv2D(4, 3, padding=1, strides=2)], (1, 3, 9, 9)),
    "conv2d_groups_dilate": (lambda: [nn.Conv2D(6, 3, padding=2, dilation=2, groups=3, use_bias=False)],
                             (1, 3, 8, 8)),
    "conv1d": (lambda: [nn.Conv1D(4, 3)], (1, 2, 10)),
    "conv3d": (lambda: [nn.Conv3D(2, 2, strides=2)], (1, 2, 4, 4, 4)),
    "conv2d_transpose": (lambda: [nn.Conv2DTranspose(3, 3, strides=2, padding=1, output_padding=1)], (1, 2, 5, 5)),
    "conv1d_transpose": (lambda: [nn.Conv1DTranspose(3, 4, strides=2, use_bias=True)], (1, 2, 5)),
    "conv3d_transpose": (lambda: [nn.Conv3DTranspose(2, 2, strides=2, groups=2, in_channels=2)], (1, 2, 3, 3, 3)),
    "maxpool": (lambda: [nn.MaxPool2D(3, 2, padding=1)], (1, 2, 9, 9)),
    "maxpool_ceil": (lambda: [nn.MaxPool2D(3, 2, ceil_mode=True)], (1, 2, 8, 8)),
    "avgpool": (lambda: [nn.AvgPool2D(3, 2, padding=1)], (1, 2, 9, 9)),
    "avgpool_nopad_count": (lambda: [nn.AvgPool2D(3, 2, padding=1, count_include_pad=False)], (1, 2, 9, 9)),
    "avgpool_ceil": (lambda: [nn.AvgPool2D(2, 2, ceil_mode=True)], (1, 2, 7, 7)),
    "pool1d": (lambda: [nn.MaxPool1D(2), nn.AvgPool1D(2)], (1, 2, 9)),
    "pool3d": (lambda: [nn.MaxPool3D(2), nn.AvgPool3D(2)], (1, 2, 4, 4, 4)),
    "global_pools": (lambda: [nn.GlobalMaxPool2D(), nn.GlobalAvgPool2D()], (1, 3, 5, 5)),
    "global_pools_1d_3d": (lambda: [nn.GlobalAvgPool1D()], (1, 3, 5)),
    "global_max_3d": (lambda: [nn.GlobalMaxPool3D()], (1, 3, 2, 3, 4)),
    "batchnorm": (lambda: [nn.BatchNorm()], (1, 3, 4, 4)),
    "batchnorm_gamma": (lambda: [nn.BatchNorm(scale=True, center=True, epsilon=1e-3)], (1, 3, 4)),
    "batchnorm_axis": (lambda: [nn.BatchNorm(axis=-1)], (1, 4, 3)),
    "batchnorm_relu": (lambda: [nn.BatchNormReLU()], (1, 3, 4, 4)),
    "layernorm": (lambda: [nn.LayerNorm()], (1, 3, 6)),
    "layernorm_axis": (lambda: [nn.LayerNorm(axis=1)], (1, 3, 6)),
    "instancenorm": (lambda: [nn.InstanceNorm()], (1, 3, 4, 4)),
    "groupnorm": (lambda: [nn.GroupNorm(num_groups=2)], (1, 4, 3, 3)),
    "activations": (lambda: [nn.Activation("relu"), nn.Activation("sigmoid"), nn.Activation("tanh"),
                             nn.Activation("softrelu"), nn.Activation("softsign")], (1, 6)),
    "leaky": (lambda: [nn.LeakyReLU(0.1)], (1, 6)),
    "prelu": (lambda: [nn.Conv2D(4, 1), nn.PReLU(in_channels=4)], (1, 3, 3, 3)),
    "prelu_2d": (lambda: [nn.PReLU()], (1, 6)),
    "elu_selu_gelu": (lambda: [nn.ELU(0.7), nn.SELU(), nn.GELU()], (1, 6)),
    "swish_silu": (lambda: [nn.Swish(1.5), nn.SiLU()], (1, 6)),
    "dropout_flatten": (lambda: [nn.Dropout(0.5), nn.Flatten(), nn.Dense(2)], (1, 2, 3, 2)),
    "identity": (lambda: [nn.Identity()], (1, 4)),
    "reflection_pad": (lambda: [nn.ReflectionPad2D(2)], (1, 2, 4, 4)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer(name):
    make, shape = LAYERS[name]
    net = _net(*make())
    x = _x(*shape)
    net(mx.nd.array(x))  # finish deferred initialization
    _randomize_bn(net)
    check_block(net, x)


def test_embedding():
    net = _net(nn.Embedding(10, 4))
    x = RNG.integers(0, 10, (1, 5)).astype(np.float32)
    check_block(net, x)


def test_lambda_ops():
    net = _net(nn.HybridLambda(lambda F, x: F.softmax(F.relu(x) * 2 + 1, axis=1)),
               nn.HybridLambda(lambda F, x: F.log_softmax(x, axis=-1)))
    check_block(net, _x(1, 3, 4))


class _Branches(mx.gluon.HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.a = nn.Conv2D(4, 3, padding=1)
            self.b = nn.Conv2D(4, 1)
            self.fc = nn.Dense(3)

    def hybrid_forward(self, F, x):
        y = F.concat(self.a(x), self.b(x), dim=1)
        y = y + F.clip(y, 0, 6)
        y = F.Pooling(y, kernel=(2, 2), pool_type="max", stride=(2, 2))
        return self.fc(y), F.mean(y, axis=(2, 3))


def test_two_outputs_and_concat():
    net = _Branches()
    net.initialize(mx.init.Xavier())
    check_block(net, _x(1, 3, 6, 6))


def test_opset_13_and_18():
    net = _net(nn.Dense(4), nn.LayerNorm(), nn.Dense(2))
    x = _x(1, 5)
    check_block(net, x, opset_version=13)
    check_block(net, x, opset_version=18)


def test_float64_input():
    net = _net(nn.Dense(3))
    net.cast("float64")
    check_block(net, _x(1, 4, dtype=np.float64))


def test_image_transforms():
    from gluonic.gluon.data.vision import transforms

    net = _net(transforms.ToTensor(), transforms.Normalize((0.5, 0.4, 0.3), (0.2, 0.3, 0.4)))
    x = RNG.integers(0, 256, (1, 5, 6, 3)).astype(np.uint8)
    check_block(net, x)


@pytest.mark.parametrize("cls", ["PixelShuffle1D", "PixelShuffle2D", "PixelShuffle3D", "HybridConcurrent",
                                 "SyncBatchNorm"])
def test_contrib_layers(cls):
    from gluonic.gluon.contrib import nn as cnn

    shapes = {"PixelShuffle1D": (1, 4, 3), "PixelShuffle2D": (1, 8, 2, 3), "PixelShuffle3D": (1, 8, 2, 2, 2),
              "HybridConcurrent": (1, 3, 4), "SyncBatchNorm": (1, 3, 4, 4)}
    if cls.startswith("PixelShuffle"):
        layer = getattr(cnn, cls)(2)
    elif cls == "HybridConcurrent":
        layer = cnn.HybridConcurrent(axis=1)
        layer.add(nn.Conv1D(2, 1), nn.Conv1D(3, 1), cnn.Identity())
    else:
        layer = cnn.SyncBatchNorm(num_devices=1)
    net = _net(layer)
    x = _x(*shapes[cls])
    net(mx.nd.array(x))
    _randomize_bn(net)
    check_block(net, x)


def test_float16_model():
    net = _net(nn.Conv2D(4, 3), nn.BatchNorm(), nn.Activation("relu"), nn.MaxPool2D(), nn.Dense(3))
    x = _x(1, 2, 6, 6)
    net(mx.nd.array(x))
    _randomize_bn(net)
    net.cast("float16")
    check_block(net, x.astype(np.float16), rtol=1e-2, atol=1e-2)
