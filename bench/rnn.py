"""LSTM language-model train step: gluonic (imperative, hybridized) vs PyTorch nn.LSTM (vs MXNet 1.9.1).

Usage:
    python bench/rnn.py [--mxnet-python PATH]

Workload (MXNet's word-language-model shape): vocabulary 10,000, embedding and hidden 256,
2 LSTM layers, sequence 35, batch 32, a Dense decoder over the vocabulary, softmax
cross-entropy, SGD. The Gluon model is written once (``make`` below) for gluonic and MXNet.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

_HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, HIDDEN, LAYERS, SEQ, BATCH = 10000, 256, 2, 35, 32


def make(mx, hybridize=False):
    """One train step of the LSTM LM, written against MXNet's Gluon API (``mx`` is gluonic or mxnet)."""
    import numpy as np

    gluon = mx.gluon

    class LM(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.embed = gluon.nn.Embedding(VOCAB, HIDDEN)
                self.lstm = gluon.rnn.LSTM(HIDDEN, num_layers=LAYERS, input_size=HIDDEN)
                self.decoder = gluon.nn.Dense(VOCAB, flatten=False, in_units=HIDDEN)

        def hybrid_forward(self, F, x):
            return self.decoder(self.lstm(self.embed(x)))

    net = LM()
    net.initialize(mx.init.Xavier())
    if hybridize:
        net.hybridize()
    rng = np.random.RandomState(0)
    x = mx.nd.array(rng.randint(0, VOCAB, size=(SEQ, BATCH)).astype("float32"))
    y = mx.nd.array(rng.randint(0, VOCAB, size=(SEQ, BATCH)).astype("float32"))
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})

    def step():
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(BATCH)
        loss.wait_to_read()

    return step


def _torch_step():
    import torch
    from torch import nn

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB, HIDDEN)
            self.lstm = nn.LSTM(HIDDEN, HIDDEN, LAYERS)
            self.decoder = nn.Linear(HIDDEN, VOCAB)

        def forward(self, x):
            return self.decoder(self.lstm(self.embed(x))[0])

    net = LM()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    x = torch.randint(0, VOCAB, (SEQ, BATCH))
    y = torch.randint(0, VOCAB, (SEQ, BATCH))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(net(x).reshape(-1, VOCAB), y.reshape(-1)).backward()
        opt.step()

    return step


_MXNET_RUNNER = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import mxnet as mx
    from _timing import best_ms
    from rnn import make
    print(json.dumps([best_ms(make(mx), rounds=3, min_time=2), best_ms(make(mx, True), rounds=3, min_time=2)]))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet-python", help="a Python interpreter with mxnet 1.9.1 installed")
    args = parser.parse_args()

    import gluonic as mx

    sys.path.insert(0, _HERE)
    from _timing import best_ms

    mxnet = None
    if args.mxnet_python:
        proc = subprocess.run([args.mxnet_python, "-c", _MXNET_RUNNER, _HERE], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"MXNet run failed:\n{proc.stderr[-2000:]}")
        mxnet = json.loads(proc.stdout.strip().splitlines()[-1])
    ours = best_ms(make(mx), rounds=3, min_time=2)
    hybrid = best_ms(make(mx, True), rounds=3, min_time=2)
    theirs = best_ms(_torch_step(), rounds=3, min_time=2)
    print(f"LSTM LM train step (vocab {VOCAB}, hidden {HIDDEN}, {LAYERS} layers, seq {SEQ}, batch {BATCH}), "
          "ms, best of 3 rounds")
    head = ["gluonic", "gluonic hybrid", "torch nn.LSTM", "hybrid/torch"] + (["mxnet", "mxnet hybrid"] if mxnet
                                                                          else [])
    cells = [ours, hybrid, theirs, hybrid / theirs] + (mxnet or [])
    print(" | ".join(f"{h:>15}" for h in head))
    print(" | ".join(f"{c:15.2f}" for c in cells))


if __name__ == "__main__":
    main()
