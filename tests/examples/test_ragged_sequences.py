"""The ragged-sequence example: folding an LSTM-cell loop equals the unfolded loop, and it trains."""
from __future__ import annotations

import numpy as np

import gluonic as mx
from examples.ragged_sequences import SentenceClassifier, batch_loss, main, make_data
from gluonic import autograd, fold, gluon


def _run(net, sentences, labels, enabled):
    with fold.batching(enabled=enabled) as scope:
        with autograd.record():
            loss = batch_loss(net, sentences, labels, gluon.loss.SoftmaxCrossEntropyLoss())
        loss.backward()
        value = float(loss.asscalar())
    return value, {k: p.grad().asnumpy().copy() for k, p in net.collect_params().items()}, scope.stats


def test_folded_loop_equals_unfolded():
    sentences, labels = make_data(12, seed=4)
    mx.random.seed(0)
    net = SentenceClassifier(hidden=8, embed=4)
    net.initialize(mx.init.Xavier())
    want, want_grads, _ = _run(net, sentences, labels, enabled=False)
    got, got_grads, stats = _run(net, sentences, labels, enabled=True)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    for k in want_grads:
        np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)
    assert stats.groups < stats.calls / 4  # steps of different sentences ran together


def test_training_lowers_the_loss():
    losses = main(["--samples", "300", "--epochs", "3", "--batch", "50"])["losses"]
    assert losses[-1] < losses[0]
