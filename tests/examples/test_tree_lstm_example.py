"""The Tree-LSTM example: the models fold (== unfolded) and ListOps training beats the majority class."""
from __future__ import annotations

import numpy as np

import gluonic as mx
from examples.tree_lstm.listops import generate_listops, parse_listops
from examples.tree_lstm.model import BinaryTreeLSTM, ChildSumTreeLSTM
from examples.tree_lstm.train import main
from examples.tree_lstm.trees import Vocab, random_trees
from gluonic import autograd, fold, gluon, nd


def _loss_and_grads(net, trees, labels, enabled):
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    with fold.batching(enabled=enabled):
        with autograd.record():
            loss = nd.add_n(*[loss_fn(net(t), nd.array([y])) for t, y in zip(trees, labels)])
        loss.backward()
        value = float(loss.asscalar())
    return value, {k: p.grad().asnumpy().copy() for k, p in net.collect_params().items()}


def test_both_models_fold_exactly():
    trees = random_trees(10, min_nodes=3, max_nodes=15, vocab_size=30, seed=3)
    labels = [t.label for t in trees]
    for make in (ChildSumTreeLSTM, BinaryTreeLSTM):
        mx.random.seed(0)
        net = make(vocab_size=30, embed=6, hidden=5, classes=5)
        net.initialize(mx.init.Xavier())
        want, want_grads = _loss_and_grads(net, trees, labels, enabled=False)
        got, got_grads = _loss_and_grads(net, trees, labels, enabled=True)
        np.testing.assert_allclose(got, want, rtol=1e-5)
        for k in want_grads:
            np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)


def test_listops_trees_encode():
    trees = [parse_listops(e) for e, _ in generate_listops(5, seed=1)]
    vocab = Vocab.from_trees(trees)
    net = ChildSumTreeLSTM(vocab_size=len(vocab), embed=4, hidden=3, classes=10)
    net.initialize()
    with fold.batching():
        scores = [net(vocab.encode(t)) for t in trees]
        assert nd.concat(*scores, dim=0).shape == (5, 10)


def test_listops_training_beats_the_majority_class():
    result = main(["--samples", "600", "--epochs", "3", "--hidden", "32", "--embed", "16", "--max-nodes", "15",
                   "--lr", "0.02"])
    assert result["dev_acc"] > result["majority"] + 0.1, result
