"""Hybridized blocks inside a fold scope: one compiled graph runs groups of every size."""
from __future__ import annotations

import os
import sys

import numpy as np

import gluonic as mx
from gluonic import autograd, fold, gluon, nd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from treelstm_model import TreeLSTM, labels, random_tree  # noqa: E402


def _loss_and_grads(net, trees, ys, enabled):
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    with fold.batching(enabled=enabled):
        with autograd.record():
            total = nd.add_n(*[loss_fn(net(t), nd.array([y])) for t, y in zip(trees, ys)])
        total.backward()
        value = total.asscalar()
    grads = {k.split("_", 1)[1]: p.grad().asnumpy().copy() for k, p in net.collect_params().items()}
    return value, grads


def test_hybridized_tree_lstm_folded_equals_plain_unfolded():
    rng = np.random.RandomState(3)
    trees = [random_tree(rng, int(rng.randint(1, 12))) for _ in range(12)]
    ys = labels(rng, len(trees))
    results = []
    for hybridized, enabled in ((False, False), (True, True)):
        mx.random.seed(7)
        net = TreeLSTM()
        net.initialize(mx.init.Xavier())
        if hybridized:
            net.hybridize()
        results.append(_loss_and_grads(net, trees, ys, enabled))
    (want, want_grads), (got, got_grads) = results
    np.testing.assert_allclose(got, want, rtol=1e-5)
    assert want_grads.keys() == got_grads.keys()
    for k in want_grads:
        np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)
    # Every block ran its groups through one graph per signature: none was compiled per group size.
    for block in (net.iou, net.forget, net.out):
        assert block.__dict__.get("_fold_graphs"), block.name
        assert all(g is not None for g in block._fold_graphs.values()), block.name
        assert not block._cached_graphs, block.name


def test_one_graph_for_groups_of_several_sizes():
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize()
    net.hybridize()
    for n in (2, 5, 9):
        xs = [nd.random.uniform(shape=(1, 4)) for _ in range(n)]
        want = np.concatenate([net(x).asnumpy() for x in xs])  # unbatched: compiles the (1, 4) signature
        with fold.batching():
            got = np.concatenate([y.asnumpy() for y in [net(x) for x in xs]])
        np.testing.assert_allclose(got, want, rtol=1e-6)
    assert len(net._fold_graphs) == 1
    assert len(net._cached_graphs) == 1  # only the unbatched calls' signature


class _ReadsBatchSize(gluon.HybridBlock):
    """NumPy-mode code that reads the batch size while tracing: its graph depends on it."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.dense = gluon.nn.Dense(2, in_units=6)

    def forward(self, x):
        return self.dense(x.reshape(x.shape[0], -1))


def test_a_graph_that_depends_on_the_batch_size_is_not_reused():
    from gluonic import npx

    npx.set_np()
    net = _ReadsBatchSize()
    net.initialize()
    net.hybridize()
    xs = [mx.np.array(np.random.RandomState(i).rand(1, 2, 3).astype("float32")) for i in range(4)]
    want = np.concatenate([net(x).asnumpy() for x in xs])
    with fold.batching() as scope:
        got = np.concatenate([y.asnumpy() for y in [net(x) for x in xs]])
    np.testing.assert_allclose(got, want, rtol=1e-5)  # a batched product may round differently (AVX-512)
    assert scope.stats.groups == 1
    assert list(net._fold_graphs.values()) == [None]  # the block is called (and compiles per size) instead


def test_blocks_with_hooks_are_called_so_hooks_run():
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize()
    net.hybridize()
    seen = []
    net.register_forward_hook(lambda block, args, out: seen.append(out.shape))
    with fold.batching():
        ys = [net(nd.random.uniform(shape=(1, 4))) for _ in range(5)]
        ys[0].asnumpy()
    assert seen == [(5, 3)]


class _Pairs(gluon.HybridBlock):
    """Inputs whose batch sizes differ: its calls cannot batch (each runs on its own)."""

    def hybrid_forward(self, F, x, y, z=None):
        out = F.broadcast_add(F.sum(x, axis=0, keepdims=True), F.sum(y, axis=0, keepdims=True))
        return out if z is None else F.broadcast_add(out, F.sum(z, axis=0, keepdims=True))


def test_unbatchable_calls_of_a_hybridized_block_with_other_arguments():
    net = _Pairs()
    net.initialize()
    net.hybridize()
    x, y, z = nd.ones((1, 3)), nd.ones((2, 3)), nd.ones((3, 3))
    with fold.batching():
        two, three = net(x, y), net(x, y, z)
        got = [two.asnumpy(), three.asnumpy()]
    np.testing.assert_allclose(got[0], np.full((1, 3), 3.0))
    np.testing.assert_allclose(got[1], np.full((1, 3), 6.0))
