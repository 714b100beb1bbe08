"""gluon.Trainer: updates, contexts, stale gradients, states; a classic Gluon script runs unchanged."""
import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.gluon import nn


def _net(ctx=None, seed=0):
    mx.random.seed(seed)
    net = nn.HybridSequential(prefix="net_")
    with net.name_scope():
        net.add(nn.Dense(8, activation="relu", in_units=4), nn.Dense(3, in_units=8))
    net.initialize(mx.init.Xavier(), ctx=ctx)
    return net


def _batch(n=6, seed=1):
    rng = np.random.RandomState(seed)
    return rng.rand(n, 4).astype(np.float32), rng.randint(0, 3, n).astype(np.float32)


def _train(net, trainer, x, y, ctxs, steps=3):
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    xs = gluon.utils.split_and_load(x, ctxs)
    ys = gluon.utils.split_and_load(y, ctxs)
    for _ in range(steps):
        with autograd.record():
            losses = [loss_fn(net(a), b) for a, b in zip(xs, ys)]
        for loss in losses:
            loss.backward()
        trainer.step(len(x))


def test_sgd_step_matches_formula():
    net = nn.Dense(1, in_units=2)
    net.initialize(mx.init.One())
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "wd": 0.01})
    with autograd.record():
        loss = net(mx.nd.ones((4, 2))).sum()
    loss.backward()
    trainer.step(4)
    # grad of the weight = 4 (sum over the batch) / 4 (batch) = 1; w -= lr * (g + wd * w)
    np.testing.assert_allclose(net.weight.data().asnumpy(), [[1 - 0.1 * (1 + 0.01)] * 2], rtol=1e-6)
    assert trainer.learning_rate == 0.1
    trainer.set_learning_rate(0.5)
    assert trainer.learning_rate == 0.5


def test_two_contexts_equal_one_context_with_the_whole_batch():
    x, y = _batch()
    one = _net()
    _train(one, gluon.Trainer(one.collect_params(), "sgd", {"learning_rate": 0.5, "momentum": 0.9}),
           x, y, [mx.cpu(0)])
    two = _net(ctx=[mx.cpu(0), mx.cpu(1)])
    _train(two, gluon.Trainer(two.collect_params(), "sgd", {"learning_rate": 0.5, "momentum": 0.9}),
           x, y, [mx.cpu(0), mx.cpu(1)])
    for p1, p2 in zip(one.collect_params().values(), two.collect_params().values()):
        np.testing.assert_allclose(p1.data().asnumpy(), p2.data(mx.cpu(1)).asnumpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(p2.data(mx.cpu(0)).asnumpy(), p2.data(mx.cpu(1)).asnumpy())


def test_stale_gradient_raises_like_mxnet():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(2, in_units=2), nn.Dense(2, in_units=2))
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    with autograd.record():
        out = net[0](mx.nd.ones((1, 2))).sum()  # the second layer is not used
    out.backward()
    with pytest.raises(UserWarning, match="has not been updated by backward since last `step`"):
        trainer.step(1)
    before = net[1].weight.data().asnumpy()
    trainer.step(1, ignore_stale_grad=True)
    np.testing.assert_array_equal(net[1].weight.data().asnumpy(), before)


def test_save_load_states_resume_bit_identical(tmp_path):
    x, y = _batch()
    ref = _net()
    ref_trainer = gluon.Trainer(ref.collect_params(), "adam", {"learning_rate": 0.01})
    _train(ref, ref_trainer, x, y, [mx.cpu()], steps=4)

    net = _net()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
    _train(net, trainer, x, y, [mx.cpu()], steps=2)
    trainer.save_states(str(tmp_path / "t.states"))
    net.save_parameters(str(tmp_path / "n.params"))
    resumed = _net(seed=5)
    resumed.load_parameters(str(tmp_path / "n.params"))
    trainer2 = gluon.Trainer(resumed.collect_params(), "adam", {"learning_rate": 0.01})
    trainer2.load_states(str(tmp_path / "t.states"))
    _train(resumed, trainer2, x, y, [mx.cpu()], steps=2)
    for a, b in zip(ref.collect_params().values(), resumed.collect_params().values()):
        np.testing.assert_array_equal(a.data().asnumpy(), b.data().asnumpy())


def test_argument_errors():
    net = nn.Dense(1, in_units=1)
    net.initialize()
    with pytest.raises(ValueError, match="list or dict of Parameters"):
        gluon.Trainer(3, "sgd")
    with pytest.raises(ValueError, match="optimizer_params must be None"):
        gluon.Trainer(net.collect_params(), mx.optimizer.SGD(), {"learning_rate": 1})
    p = gluon.Parameter("x", shape=(1,))
    p.initialize(ctx=mx.cpu(1))
    with pytest.raises(ValueError, match="same set of contexts"):
        gluon.Trainer([net.weight, p], "sgd")


def test_classic_gluon_script_runs_unchanged():
    """The canonical MXNet 1.x Gluon training loop on synthetic data, verbatim API."""
    mx.random.seed(42)
    np.random.seed(42)
    X = np.random.randn(512, 10).astype("float32")
    true_w = np.random.randn(10, 2).astype("float32")
    Y = (X @ true_w).argmax(axis=1).astype("float32")
    train_data = mx.gluon.data.DataLoader(mx.gluon.data.ArrayDataset(X, Y), batch_size=32, shuffle=True) \
        if hasattr(mx.gluon, "data") else None
    if train_data is None:  # gluon.data arrives with the data issue; iterate by hand meanwhile
        train_data = [(mx.nd.array(X[i:i + 32]), mx.nd.array(Y[i:i + 32])) for i in range(0, 512, 32)]

    net = mx.gluon.nn.Sequential()
    with net.name_scope():
        net.add(mx.gluon.nn.Dense(16, activation="relu"))
        net.add(mx.gluon.nn.Dense(2))
    net.initialize(mx.init.Xavier(magnitude=2.24), ctx=mx.cpu())
    softmax_cross_entropy = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
    metric = mx.metric.Accuracy()
    for _epoch in range(5):
        metric.reset()
        for data, label in train_data:
            data = data.as_in_context(mx.cpu())
            label = label.as_in_context(mx.cpu())
            with mx.autograd.record():
                output = net(data)
                loss = softmax_cross_entropy(output, label)
            loss.backward()
            trainer.step(data.shape[0])
            metric.update([label], [output])
    name, acc = metric.get()
    assert name == "accuracy" and acc > 0.9
