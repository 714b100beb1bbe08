"""Models, data and training steps shared by the distributed workers and the single-process references."""
from typing import NamedTuple

import numpy as np

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.gluon import nn

STEPS = 4  # training steps of every run
CKPT = 2  # rank 0 checkpoints after this many steps
B = 4  # samples per worker and step


class Case(NamedTuple):
    name: str
    arch: str
    optimizer: str
    opt_params: tuple
    update_on_kvstore: bool | None


CASES = (
    Case("mlp_sgd", "mlp", "sgd", (("learning_rate", 0.1), ("momentum", 0.9), ("wd", 1e-3)), None),
    Case("mlp_adam", "mlp", "adam", (("learning_rate", 0.01),), False),
    Case("bn_sgd", "bn", "sgd", (("learning_rate", 0.1), ("momentum", 0.9)), True),
    Case("bn_adam", "bn", "adam", (("learning_rate", 0.01),), None),
)


def build(case: Case, seed: int, ctx=None):
    mx.random.seed(seed)
    net = nn.HybridSequential(prefix="net_")
    with net.name_scope():
        if case.arch == "mlp":
            net.add(nn.Dense(16, activation="relu", in_units=8), nn.Dense(4, in_units=16))
        else:
            net.add(nn.Conv2D(4, 3, padding=1, in_channels=1), nn.BatchNorm(in_channels=4), nn.Activation("relu"),
                    nn.Flatten(), nn.Dense(3, in_units=4 * 6 * 6))
    net.initialize(mx.init.Xavier(), ctx=ctx)
    if case.arch == "bn":
        net.hybridize()
    return net


def batch(case: Case, step: int, num_workers: int):
    """The global batch of ``step``: ``num_workers * B`` samples; worker r takes the r-th contiguous slice."""
    rng = np.random.RandomState(1000 + step)
    n = num_workers * B
    shape = (n, 8) if case.arch == "mlp" else (n, 1, 6, 6)
    classes = 4 if case.arch == "mlp" else 3
    return rng.randn(*shape).astype(np.float32), rng.randint(0, classes, n).astype(np.float32)


def shard(a: np.ndarray, rank: int, num_workers: int) -> np.ndarray:
    size = len(a) // num_workers
    return a[rank * size:(rank + 1) * size]


def train_step(net, trainer, x, y, batch_size: int, ctxs=None) -> None:
    """Forward and backward on ``x`` (split over ``ctxs`` when given), then ``trainer.step(batch_size)``."""
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    ctxs = ctxs or [mx.cpu()]
    xs, ys = gluon.utils.split_and_load(x, ctxs), gluon.utils.split_and_load(y, ctxs)
    with autograd.record():
        losses = [loss_fn(net(a), b) for a, b in zip(xs, ys)]
    autograd.backward(losses)
    trainer.step(batch_size)


class TwoBranch(gluon.Block):
    """``a(x) + b(x)``, or ``a(x)`` alone: a worker that skips ``b`` leaves its gradient stale."""

    def __init__(self):
        super().__init__(prefix="branch_")
        with self.name_scope():
            self.a = nn.Dense(4, in_units=8)
            self.b = nn.Dense(4, in_units=8)

    def forward(self, x, use_b=True):
        return self.a(x) + self.b(x) if use_b else self.a(x)


def build_branch(seed: int):
    mx.random.seed(seed)
    net = TwoBranch()
    net.initialize(mx.init.Xavier())
    return net


def branch_step(net, trainer, shards, batch_size: int) -> None:
    """``shards``: (x, y, use_b) per worker (the reference runs them all in one process)."""
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    with autograd.record():
        losses = [loss_fn(net(mx.nd.array(x), use_b), mx.nd.array(y)) for x, y, use_b in shards]
    autograd.backward(losses)
    trainer.step(batch_size)


def compression_grad(rank: int, step: int) -> np.ndarray:
    return np.array([0.3, -0.6, 0.9, 0.1], np.float32) * (rank + 1) * (step + 1) / 2


def module_run(kv, rank: int, num_workers: int, seed: int) -> dict:
    """``mx.mod.Module`` (an MLP ending in SoftmaxOutput, SGD with momentum) for STEPS steps on this worker's
    shard of each global batch (``kv`` None: one process, the whole batch). Returns the parameters."""
    data = mx.sym.var("data")
    net = mx.sym.FullyConnected(data, num_hidden=16, name="fc1")
    net = mx.sym.Activation(net, act_type="relu")
    net = mx.sym.FullyConnected(net, num_hidden=4, name="fc2")
    net = mx.sym.SoftmaxOutput(net, name="softmax")
    n = B if kv is not None else B * num_workers
    mod = mx.mod.Module(net)
    mod.bind(data_shapes=[("data", (n, 8))], label_shapes=[("softmax_label", (n,))])
    mx.random.seed(seed)
    mod.init_params(mx.init.Xavier())
    mod.init_optimizer(kvstore=kv, optimizer="sgd", optimizer_params={"learning_rate": 0.1, "momentum": 0.9})
    case = CASES[0]
    for step in range(STEPS):
        x, y = batch(case, step, num_workers)
        if kv is not None:
            x, y = shard(x, rank, num_workers), shard(y, rank, num_workers)
        mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
        mod.update()
    args, _ = mod.get_params()
    return {name: v.asnumpy() for name, v in args.items()}
