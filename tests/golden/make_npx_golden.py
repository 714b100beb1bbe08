"""Golden files for tests/numpy/test_npx.py, written by REAL MXNet 1.9.1 in NumPy mode.

Run with the MXNet venv:  /work/mxvenv/bin/python tests/golden/make_npx_golden.py
Writes tests/golden/npx/: net-symbol.json, net-0000.params (an exported np-mode
HybridBlock built from npx operators), input.npy and output.npy; arrays_dict.npx and
arrays_list.npx (npx.save of a dict and of a list, 0-d and integer arrays included).
"""
import os

import mxnet as mx
import numpy as onp
from mxnet import gluon, npx
from mxnet.gluon import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npx")


class Net(gluon.HybridBlock):
    """conv -> batch_norm -> relu -> pooling -> reshape(-2, -1) -> dense -> leaky_relu -> layer_norm -> ..."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.conv = nn.Conv2D(4, kernel_size=3, padding=1)
            self.bn = nn.BatchNorm()
            self.dense = nn.Dense(6)
            self.gamma = self.params.get("ln_gamma", shape=(6,), init=mx.init.Uniform(1.0))
            self.beta = self.params.get("ln_beta", shape=(6,), init=mx.init.Uniform(1.0))

    def hybrid_forward(self, F, x, gamma, beta):
        y = self.bn(self.conv(x))
        y = F.npx.relu(y)
        y = F.npx.pooling(y, kernel=(2, 2), stride=(2, 2), pool_type="avg")
        y = F.npx.reshape(y, (-2, -1))
        y = self.dense(y)
        y = F.npx.leaky_relu(y, slope=0.1)
        y = F.npx.layer_norm(y, gamma, beta, axis=-1)
        y = F.npx.sigmoid(y)
        y = F.npx.batch_flatten(y)
        y = F.npx.erf(y)
        return F.npx.log_softmax(y, axis=-1)


def main():
    os.makedirs(OUT, exist_ok=True)
    npx.set_np()
    mx.random.seed(7)
    onp.random.seed(7)
    net = Net()
    net.initialize(mx.init.Xavier())
    x = onp.random.uniform(-1, 1, size=(2, 3, 6, 6)).astype("float32")
    net(mx.np.array(x))  # deferred init
    # non-trivial running statistics for the BatchNorm layer
    net.bn.running_mean.set_data(mx.np.array(onp.random.uniform(-0.2, 0.2, size=(4,)).astype("float32")))
    net.bn.running_var.set_data(mx.np.array(onp.random.uniform(0.5, 1.5, size=(4,)).astype("float32")))
    net.hybridize()
    y = net(mx.np.array(x))
    net.export(os.path.join(OUT, "net"), epoch=0)
    onp.save(os.path.join(OUT, "input.npy"), x)
    onp.save(os.path.join(OUT, "output.npy"), y.asnumpy())
    arrays = {"w": onp.arange(6, dtype="float32").reshape(2, 3), "s": onp.array(2.5, dtype="float64"),
              "i": onp.array([[1, -2]], dtype="int32"), "e": onp.zeros((0, 3), dtype="float32")}
    npx.save(os.path.join(OUT, "arrays_dict.npx"), {k: mx.np.array(v, dtype=v.dtype) for k, v in arrays.items()})
    npx.save(os.path.join(OUT, "arrays_list.npx"), [mx.np.array(arrays[k], dtype=arrays[k].dtype) for k in "wsi"])
    print("wrote", sorted(os.listdir(OUT)), "output shape", y.shape)


if __name__ == "__main__":
    main()
