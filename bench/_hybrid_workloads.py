"""hybridize benchmark workloads, written once against MXNet's Gluon API (``mx`` is gluonic or mxnet)."""
import numpy as np


def mlp(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(512, activation="relu"), nn.Dense(512, activation="relu"), nn.Dense(10))
    return net, (784,)


def lenet(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(20, kernel_size=5, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
                nn.Conv2D(50, kernel_size=5, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
                nn.Flatten(), nn.Dense(500, activation="relu"), nn.Dense(10))
    return net, (1, 28, 28)


def resnet18(mx):
    """ResNet-18 v1 as in MXNet's model zoo (7x7 stem, max pool, 4 stages), 10 classes."""
    nn = mx.gluon.nn

    class BasicBlock(mx.gluon.HybridBlock):
        def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
            super().__init__(**kwargs)
            self.body = nn.HybridSequential(prefix="")
            self.body.add(nn.Conv2D(channels, 3, stride, 1, use_bias=False, in_channels=in_channels),
                          nn.BatchNorm(), nn.Activation("relu"),
                          nn.Conv2D(channels, 3, 1, 1, use_bias=False, in_channels=channels), nn.BatchNorm())
            if downsample:
                self.downsample = nn.HybridSequential(prefix="")
                self.downsample.add(nn.Conv2D(channels, 1, stride, use_bias=False, in_channels=in_channels),
                                    nn.BatchNorm())
            else:
                self.downsample = None

        def hybrid_forward(self, F, x):
            residual = x if self.downsample is None else self.downsample(x)
            return F.Activation(self.body(x) + residual, act_type="relu")

    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(64, 7, 2, 3, use_bias=False), nn.BatchNorm(), nn.Activation("relu"), nn.MaxPool2D(3, 2, 1))
        in_ch = 64
        for i, ch in enumerate([64, 128, 256, 512]):
            stride = 1 if i == 0 else 2
            net.add(BasicBlock(ch, stride, ch != in_ch, in_channels=in_ch), BasicBlock(ch, 1, False, in_channels=ch))
            in_ch = ch
        net.add(nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(10))
    return net, (3, 32, 32)


WORKLOADS = {"MLP": (mlp, [1, 128]), "LeNet": (lenet, [64]), "ResNet-18": (resnet18, [32])}


def make(mx, name, batch, hybridize=False, backend=None, train=True, ctx=None):
    """A zero-argument function running one train step (or one inference) of ``name`` (on ``ctx``)."""
    build, _ = WORKLOADS[name]
    net, shape = build(mx)
    net.initialize(mx.init.Xavier(), ctx=ctx)
    if hybridize:
        net.hybridize(**({"backend": backend} if backend else {}))
    rng = np.random.RandomState(0)
    x = mx.nd.array(rng.rand(batch, *shape).astype("float32"), ctx=ctx)
    y = mx.nd.array(rng.randint(0, 10, size=batch).astype("float32"), ctx=ctx)
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01, "momentum": 0.9})

    def step():
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(batch)
        loss.wait_to_read()

    def infer():
        net(x).wait_to_read()

    return step if train else infer
