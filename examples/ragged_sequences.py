"""Ragged sequences with folding: an LSTM cell looped over each sentence, one sentence at a time.

    python -m examples.ragged_sequences [--no-fold] [--epochs 5]

No padding, no masks: ``encode`` runs the cell over exactly the sentence's tokens. Inside
``gluonic.fold.batching()`` the cell calls of all sentences are batched step by step (every
sentence's step t joins one call), and sentences that have ended simply drop out.

The task is synthetic and needs the whole sentence: a sentence of 3–20 digit tokens is
labelled with the number of its tokens above 4, modulo 3.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import gluonic as mx
from gluonic import autograd, fold, gluon, nd
from gluonic.gluon import nn, rnn


class SentenceClassifier(gluon.Block):
    """Embedding → LSTMCell over the tokens of one sentence → Dense on the last hidden state."""

    def __init__(self, vocab=10, embed=16, hidden=32, classes=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        with self.name_scope():
            self.embed = nn.Embedding(vocab, embed)
            self.cell = rnn.LSTMCell(hidden, input_size=embed)
            self.out = nn.Dense(classes, in_units=hidden)
        self._zero = None

    def forward(self, tokens):
        if self._zero is None:
            self._zero = nd.zeros((1, self.hidden))
        states = [self._zero, self._zero]
        for token in tokens:
            h, states = self.cell(self.embed(nd.array([token])), states)
        return self.out(h)


def make_data(n: int, seed: int = 0):
    rng = np.random.RandomState(seed)
    sentences = [list(rng.randint(0, 10, size=rng.randint(3, 21))) for _ in range(n)]
    labels = [sum(t > 4 for t in s) % 3 for s in sentences]
    return sentences, labels


def batch_loss(net, sentences, labels, loss_fn):
    losses = [loss_fn(net(s), nd.array([y])) for s, y in zip(sentences, labels)]
    return nd.add_n(*losses) if len(losses) > 1 else losses[0]


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--no-fold", dest="fold", action="store_false")
    args = p.parse_args(argv)
    mx.random.seed(0)
    sentences, labels = make_data(args.samples)
    net = SentenceClassifier()
    net.initialize(mx.init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.01})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    history = []
    for epoch in range(args.epochs):
        total, start = 0.0, time.perf_counter()
        for b in range(0, len(sentences), args.batch):
            with fold.batching(enabled=args.fold):
                with autograd.record():
                    loss = batch_loss(net, sentences[b:b + args.batch], labels[b:b + args.batch], loss_fn)
                loss.backward()
                total += float(loss.asscalar())
            trainer.step(args.batch)
        history.append(total / len(sentences))
        print(f"epoch {epoch}: loss {history[-1]:.3f} ({len(sentences) / (time.perf_counter() - start):.0f} "
              f"sentences/s, {'folded' if args.fold else 'one by one'})")
    return {"losses": history}


if __name__ == "__main__":
    main()
