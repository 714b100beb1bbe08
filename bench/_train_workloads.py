"""Train-step workloads written once against MXNet's Gluon API (``mx`` is gluonic or mxnet)."""
import numpy as np


def mlp(mx):
    net = mx.gluon.nn.HybridSequential()
    with net.name_scope():
        net.add(mx.gluon.nn.Dense(512, activation="relu"), mx.gluon.nn.Dense(512, activation="relu"),
                mx.gluon.nn.Dense(10))
    return net, (128, 784)


def lenet(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(20, kernel_size=5, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
                nn.Conv2D(50, kernel_size=5, activation="relu"), nn.MaxPool2D(pool_size=2, strides=2),
                nn.Flatten(), nn.Dense(500, activation="relu"), nn.Dense(10))
    return net, (64, 1, 28, 28)


WORKLOADS = {"MLP 784-512-512-10 b128": mlp, "LeNet b64": lenet}


def make_step(mx, name, hybridize=False):
    """A zero-argument function running one training step of workload ``name``."""
    net, shape = WORKLOADS[name](mx)
    net.initialize(mx.init.Xavier())
    if hybridize:
        net.hybridize()
    rng = np.random.RandomState(0)
    x = mx.nd.array(rng.rand(*shape).astype("float32"))
    y = mx.nd.array(rng.randint(0, 10, size=shape[0]).astype("float32"))
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01, "momentum": 0.9})

    def step():
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(shape[0])
        loss.wait_to_read()

    return step
