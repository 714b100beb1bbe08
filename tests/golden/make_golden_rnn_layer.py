"""Write golden files for the fused ``gluon.rnn`` layers (RNN, LSTM, GRU) with real MXNet 1.9.1.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_rnn_layer.py

For every case of ``CASES`` it builds the layer (prefix ``<case>_``), initializes every
parameter uniformly in [-0.5, 0.5] (seeded), saves them to ``rnn_layer/<case>.params``
(``save_parameters``), runs a seeded input (and given initial states, when the case has
them) under ``autograd.record`` and backpropagates a seeded head gradient through the
output. ``rnn_layer/data.nd`` holds per case: ``<case>:x``, ``<case>:state<i>`` (given
states), ``<case>:y``, ``<case>:out_state<i>``, ``<case>:head``, ``<case>:dx`` and
``<case>:grad:<param>`` (param names without the prefix; no gradients for projection cases,
which MXNet cannot train on CPU).
"""
from __future__ import annotations

import os
import zlib

import numpy as np

try:
    import mxnet as mx
except ImportError:  # imported under gluonic's Python: nothing to run
    mx = None

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "rnn_layer")

# No state-clip case: MXNet 1.9's CPU kernel ignores lstm_state_clip_* (only cuDNN clips).
# name: (class, constructor kwargs, input shape, given states?)
CASES = {
    "rnn_relu": ("RNN", dict(hidden_size=4, num_layers=2), (3, 2, 5), False),
    "rnn_tanh_bi_ntc": ("RNN", dict(hidden_size=3, activation="tanh", bidirectional=True, layout="NTC"),
                        (2, 4, 3), True),
    "lstm": ("LSTM", dict(hidden_size=4), (3, 2, 5), True),
    "lstm_bi2": ("LSTM", dict(hidden_size=3, num_layers=2, bidirectional=True), (4, 2, 3), False),
    "lstm_proj_bi": ("LSTM", dict(hidden_size=4, projection_size=2, bidirectional=True, layout="NTC"),
                     (2, 3, 3), True),
    "gru": ("GRU", dict(hidden_size=4, num_layers=2), (3, 2, 5), True),
    "gru_bi_ntc": ("GRU", dict(hidden_size=3, bidirectional=True, layout="NTC"), (2, 3, 4), False),
}


def main():
    from mxnet import autograd
    from mxnet.gluon import rnn

    store = {}
    for case, (cls, kwargs, shape, with_states) in CASES.items():
        rng = np.random.RandomState(zlib.crc32(case.encode()))
        layer = getattr(rnn, cls)(prefix=case + "_", input_size=shape[2], **kwargs)
        layer.initialize()
        for p in layer.collect_params().values():
            p.set_data(mx.nd.array(rng.uniform(-0.5, 0.5, p.shape)))
        layer.save_parameters(os.path.join(OUT, case + ".params"))
        x = mx.nd.array(rng.standard_normal(shape))
        x.attach_grad()
        store[f"{case}:x"] = x.copy()
        batch = shape[layer._layout.find("N")]
        states = None
        if with_states:
            states = [mx.nd.array(rng.standard_normal(info["shape"])) for info in layer.state_info(batch)]
            for i, s in enumerate(states):
                store[f"{case}:state{i}"] = s
        train = not kwargs.get("projection_size")  # MXNet has no CPU backward for LSTM projection
        with autograd.record() if train else autograd.pause():
            out = layer(x, states) if with_states else layer(x)
            y = out[0] if with_states else out
        head = mx.nd.array(rng.standard_normal(y.shape))
        if train:
            y.backward(head)
        store[f"{case}:y"] = y
        if with_states:
            for i, s in enumerate(out[1]):
                store[f"{case}:out_state{i}"] = s
        store[f"{case}:head"] = head
        if train:
            store[f"{case}:dx"] = x.grad
            for name, p in layer.collect_params().items():
                store[f"{case}:grad:{name[len(case) + 1:]}"] = p.grad()
    mx.nd.save(os.path.join(OUT, "data.nd"), store)


if __name__ == "__main__":
    main()
