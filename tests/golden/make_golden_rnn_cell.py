"""Write golden files for ``gluon.rnn`` cells with real MXNet 1.9.1.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_rnn_cell.py

For every case of ``rnn_cell/rnn_cell_cases.py`` it builds the cell, sets seeded parameter
values, saves them to ``rnn_cell/<case>.params``, unrolls it under ``autograd.record`` and
backpropagates a seeded head gradient through the outputs. ``rnn_cell/data.nd`` holds per
case: ``<case>:x``, ``<case>:y`` (outputs, stacked along the time axis when a list),
``<case>:state<i>``, ``<case>:head``, ``<case>:dx`` and ``<case>:grad:<param>``.
"""
from __future__ import annotations

import os
import sys
import zlib

import numpy as np

# oneDNN's blocked weight layouts make save_parameters fail after a convolution ("IsDefaultData")
os.environ.setdefault("MXNET_MKLDNN_ENABLED", "0")
os.environ.setdefault("MXNET_ONEDNN_ENABLED", "0")

try:
    import mxnet as mx
except ImportError:  # imported under gluonic's Python: nothing to run
    mx = None

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "rnn_cell")
sys.path.insert(0, OUT)
from rnn_cell_cases import CASES, build  # noqa: E402


def run_case(case, expr, shape, layout, merge, valid, store):
    from mxnet.gluon import rnn
    from mxnet.gluon.contrib import rnn as crnn

    rng = np.random.RandomState(zlib.crc32(case.encode()))
    cell = build(expr, rnn, crnn)
    cell.initialize()
    x = mx.nd.array(rng.standard_normal(shape).astype(np.float32))
    length = shape[layout.find("T")]
    vl = None if valid is None else mx.nd.array(valid)
    cell.unroll(length, x, layout=layout, merge_outputs=True, valid_length=vl)
    params = cell._collect_params_with_prefix()
    for name in sorted(params):
        params[name].set_data(mx.nd.array(rng.uniform(-0.5, 0.5, params[name].shape).astype(np.float32)))
    cell.save_parameters(os.path.join(OUT, f"{case}.params"))
    x.attach_grad()
    with mx.autograd.record():
        out, states = cell.unroll(length, x, layout=layout, merge_outputs=merge, valid_length=vl)
        y = out if isinstance(out, mx.nd.NDArray) else mx.nd.stack(*out, axis=layout.find("T"))
    head = mx.nd.array(rng.standard_normal(y.shape).astype(np.float32))
    y.backward(head)
    store[f"{case}:x"] = x
    store[f"{case}:y"] = y
    store[f"{case}:head"] = head
    store[f"{case}:dx"] = x.grad
    for i, s in enumerate(states):
        store[f"{case}:state{i}"] = s
    for name, p in params.items():
        store[f"{case}:grad:{name}"] = p.grad()


def main():
    store = {}
    for case, spec in CASES.items():
        run_case(case, *spec, store)
    mx.nd.save(os.path.join(OUT, "data.nd"), store)


if __name__ == "__main__" and mx is not None:
    main()
