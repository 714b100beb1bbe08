"""Write golden files for the non-convolutional ``gluon.nn`` layers with real MXNet 1.9.1.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_nn_basic.py

For every case of ``tests/golden/nn_basic/nn_basic_cases.py`` it builds the layer, sets
seeded parameter values, saves them with ``save_parameters`` to ``nn_basic/<case>.params``
(layers with parameters only),
then runs the layer (train or predict mode) under ``autograd.record`` and backpropagates a
seeded head gradient. ``nn_basic/data.nd`` holds, per case: ``<case>:x`` (input),
``<case>:y`` (output), ``<case>:head`` (head gradient), ``<case>:dx`` (input gradient),
``<case>:grad:<param>`` (parameter gradients) and ``<case>:after:<param>`` (parameter
values afterwards: BatchNorm's running statistics change in training).
"""
from __future__ import annotations

import os
import sys
import zlib

import numpy as np

try:
    import mxnet as mx
except ImportError:  # imported under gluonic's Python: nothing to run
    mx = None

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "nn_basic")
sys.path.insert(0, OUT)
from nn_basic_cases import CASES, build, input_value, param_value  # noqa: E402


def run_case(case: str, expr: str, spec, mode: str, store: dict) -> None:
    from mxnet.gluon import nn
    from mxnet.gluon.contrib import nn as cnn

    rng = np.random.RandomState(zlib.crc32(case.encode()))
    layer = build(expr, nn, cnn)
    layer.initialize()
    x = mx.nd.array(input_value(spec, rng))
    with mx.autograd.predict_mode():
        layer(x)  # finish deferred initialization; predict mode changes no statistics
    params = layer._collect_params_with_prefix()
    for name in sorted(params):
        p = params[name]
        p.set_data(mx.nd.array(param_value(name, p.shape, rng)))
    if params:
        layer.save_parameters(os.path.join(OUT, f"{case}.params"))
    differentiable_input = spec[1] == "randn"
    if differentiable_input:
        x.attach_grad()
    with mx.autograd.record(train_mode=mode == "train"):
        y = layer(x)
    head = mx.nd.array(rng.normal(0, 1, size=y.shape).astype(np.float32))
    y.backward(head)
    store[f"{case}:x"] = x.copy()
    store[f"{case}:y"] = y.copy()
    store[f"{case}:head"] = head
    if differentiable_input:
        store[f"{case}:dx"] = x.grad.copy()
    for name, p in params.items():
        if p.grad_req != "null":
            store[f"{case}:grad:{name}"] = p.grad().copy()
        store[f"{case}:after:{name}"] = p.data().copy()


def main() -> None:
    assert mx is not None and mx.__version__ == "1.9.1", "run this with MXNet 1.9.1's Python"
    store: dict = {}
    for case, expr, spec, mode in CASES:
        run_case(case, expr, spec, mode, store)
    mx.nd.save(os.path.join(OUT, "data.nd"), store)
    print(f"wrote {len(CASES)} cases, {len(store)} arrays to {OUT}")


if __name__ == "__main__":
    main()
