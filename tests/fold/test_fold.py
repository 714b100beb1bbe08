"""Folding: the batched program equals the unbatched one (outputs, losses, parameter gradients)."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, fold, gluon, nd
from gluonic.fold import LazyArray

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from treelstm_model import Node, TreeLSTM, labels, random_tree  # noqa: E402


def _grads(net):
    return {k: p.grad().asnumpy().copy() for k, p in net.collect_params().items() if p.grad_req != "null"}


def _tree_loss_and_grads(net, trees, ys, enabled, strategy="agenda"):
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    with fold.batching(enabled=enabled, strategy=strategy) as scope:
        with autograd.record():
            losses = [loss_fn(net(t), nd.array([y])) for t, y in zip(trees, ys)]
            total = nd.add_n(*losses) if len(losses) > 1 else losses[0]
        total.backward()
        value = total.asscalar()
    return value, _grads(net), scope.stats


@pytest.fixture
def net():
    mx.random.seed(1)
    net = TreeLSTM()
    net.initialize(mx.init.Xavier())
    return net


@pytest.mark.parametrize("strategy", ["agenda", "depth"])
@pytest.mark.parametrize("shape", ["random", "chain", "bushy", "mixed"])
def test_tree_lstm_folded_equals_unfolded(net, strategy, shape):
    rng = np.random.RandomState(0)
    shapes = ["random", "chain", "bushy"] if shape == "mixed" else [shape]
    trees = [random_tree(rng, int(rng.randint(1, 15)), shape=shapes[i % len(shapes)]) for i in range(12)]
    ys = labels(rng, len(trees))
    want_loss, want_grads, _ = _tree_loss_and_grads(net, trees, ys, enabled=False)
    got_loss, got_grads, stats = _tree_loss_and_grads(net, trees, ys, enabled=True, strategy=strategy)
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-5)
    for k in want_grads:
        np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)
    assert stats.groups < stats.calls / 3, stats  # really batched


def test_shared_subtrees_are_computed_once(net):
    rng = np.random.RandomState(1)
    shared = random_tree(rng, 6)
    trees = [Node(1, [shared, random_tree(rng, 3)]), Node(2, [shared]), shared]
    ys = labels(rng, 3)
    want_loss, want_grads, _ = _tree_loss_and_grads(net, trees, ys, enabled=False)
    got_loss, got_grads, stats = _tree_loss_and_grads(net, trees, ys, enabled=True)
    np.testing.assert_allclose(got_loss, want_loss, rtol=1e-5)
    for k in want_grads:
        np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)
    assert stats.reused > 0


def test_trainer_step_unchanged(net):
    rng = np.random.RandomState(2)
    trees = [random_tree(rng, int(rng.randint(2, 10))) for _ in range(6)]
    ys = labels(rng, 6)
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.5})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    before = None
    for _ in range(15):
        with fold.batching():
            with autograd.record():
                total = nd.add_n(*[loss_fn(net(t), nd.array([y])) for t, y in zip(trees, ys)])
            total.backward()
            value = float(total.asscalar())
        trainer.step(len(trees))
        before = value if before is None else before
    assert value < 0.7 * before


def test_mixed_shapes_are_not_batched_together():
    a, b = gluon.nn.Dense(2, in_units=3), gluon.nn.Dense(2, in_units=5)
    a.initialize()
    b.initialize()
    xs = [nd.random.uniform(shape=(1, 3)), nd.random.uniform(shape=(2, 3)), nd.random.uniform(shape=(1, 5))]
    want = [a(xs[0]).asnumpy(), a(xs[1]).asnumpy(), b(xs[2]).asnumpy()]
    with fold.batching() as scope:
        outs = [a(xs[0]), a(xs[1]), b(xs[2])]
        wide = [nd.concat(o, o, dim=1) for o in outs]  # op batches per shape too
        got = [o.asnumpy() for o in outs]
        got_wide = [w.asnumpy() for w in wide]
    for g, w, gw in zip(got, want, got_wide):
        np.testing.assert_allclose(g, w, rtol=1e-6)
        np.testing.assert_allclose(gw, np.concatenate([w, w], axis=1), rtol=1e-6)
    # a on (1+2) rows; b on its own (other weights, other width); one concat for all three
    # outputs, whose shapes agree except along the batch axis
    assert scope.stats.groups == 3


def test_ops_without_batching_rule_run_one_by_one():
    xs = [nd.array(np.arange(6).reshape(2, 3) + i) for i in range(4)]
    with fold.batching():
        ys = [nd.relu(x * 1) for x in xs]
        sums = [y.sum(axis=0) for y in ys]     # reduce: no batch rule
        firsts = [y[0] for y in ys]            # indexing: recorded, unbatched
        got = [s.asnumpy() for s in sums] + [f.asnumpy() for f in firsts]
    want = [np.maximum(x.asnumpy(), 0).sum(axis=0) for x in xs] + [x.asnumpy()[0] for x in xs]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w)


def test_nested_blocks_batch_as_a_whole():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(4, in_units=3, activation="tanh"), gluon.nn.Dense(2, in_units=4))
    net.initialize()
    xs = [nd.random.uniform(shape=(1, 3)) for _ in range(5)]
    want = [net(x).asnumpy() for x in xs]
    with fold.batching() as scope:
        got = [y.asnumpy() for y in [net(x) for x in xs]]
    np.testing.assert_allclose(np.concatenate(got), np.concatenate(want), rtol=1e-6)
    assert scope.stats.groups == 1


def test_hybridized_blocks_fold():
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize()
    net.hybridize()
    xs = [nd.random.uniform(shape=(1, 4)) for _ in range(6)]
    want = np.concatenate([net(x).asnumpy() for x in xs])
    with fold.batching() as scope:
        got = np.concatenate([y.asnumpy() for y in [net(x) for x in xs]])
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert scope.stats.groups == 1


def test_values_are_lazy_until_forced():
    net = gluon.nn.Dense(2, in_units=2)
    net.initialize()
    with fold.batching() as scope:
        y = net(nd.ones((1, 2)))
        assert isinstance(y, LazyArray) and y.shape == (1, 2) and not y._ready()
        z = (y + 1) * 2
        assert scope.stats.groups == 0
        float(z.sum().asscalar())
        assert y._ready() and z._ready()
    assert isinstance(z.asnumpy(), np.ndarray)


def test_eager_twin_by_argument_and_environment(monkeypatch):
    net = gluon.nn.Dense(2, in_units=2)
    net.initialize()
    with fold.batching(enabled=False) as scope:
        y = net(nd.ones((1, 2)))
        assert not isinstance(y, LazyArray)
    assert scope.stats.calls == 0
    monkeypatch.setenv("GLUONIC_FOLD", "0")
    with fold.batching():
        assert not isinstance(net(nd.ones((1, 2))), LazyArray)


def test_errors_point_at_the_users_line():
    scale = gluon.nn.HybridLambda(lambda F, x: x * 1)
    good, bad = nd.array([[0.2, 0.8]]), nd.array([[-1.0, 2.0]])  # a negative probability fails only when run
    with pytest.raises(mx.MXNetError, match=r"recorded at .*test_fold\.py:\d+"):
        with fold.batching():
            draws = [nd.random.multinomial(scale(p)) for p in (good, bad)]  # the line named in the error
            draws[0].asnumpy()


def test_unbatchable_op_results_feed_batched_calls():
    dense = gluon.nn.Dense(2, in_units=3)
    dense.initialize()
    xs = [nd.random.uniform(shape=(2, 3)) for _ in range(3)]
    double = gluon.nn.HybridLambda(lambda F, x: x * 2)
    want = [dense(nd.sum(double(x), axis=0, keepdims=True)).asnumpy() for x in xs]
    with fold.batching() as scope:
        got = [dense(nd.sum(double(x), axis=0, keepdims=True)) for x in xs]  # sum over the batch axis: unbatchable
        got = [g.asnumpy() for g in got]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6)
    assert scope.stats.groups == 5  # one double, three sums, one Dense
