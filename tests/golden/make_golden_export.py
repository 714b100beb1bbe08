"""Export a small CNN with real MXNet 1.9.1 into tests/golden/export/ (symbol JSON, params, data).

Run with a Python that has mxnet: /path/to/mxnet-python tests/golden/make_golden_export.py
The network touches the layers users' exported models contain: Conv2D, BatchNorm,
Activation, LeakyReLU, MaxPool (ceil mode), AvgPool, Flatten, Dropout, Dense, Concat.
"""
import os

import mxnet as mx
import numpy as np
from mxnet.gluon import nn

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "export")


def build():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(6, kernel_size=3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True),
                nn.Conv2D(8, kernel_size=3, strides=1), nn.LeakyReLU(0.1),
                nn.AvgPool2D(pool_size=2), nn.Flatten(), nn.Dropout(0.5), nn.Dense(10, activation="tanh"),
                nn.Dense(4))
    return net


def main():
    mx.random.seed(0)
    np.random.seed(0)
    net = build()
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = mx.nd.array(np.random.rand(2, 3, 9, 9).astype("float32"))
    with mx.autograd.record():  # one training-mode pass so BatchNorm's running stats are not trivial
        net(x)
    y = net(x)
    os.makedirs(HERE, exist_ok=True)
    net.export(os.path.join(HERE, "cnn"), epoch=3)
    mx.nd.save(os.path.join(HERE, "cnn-io.nd"), {"x": x, "y": y})
    print("exported; output", y.shape)


if __name__ == "__main__":
    main()
