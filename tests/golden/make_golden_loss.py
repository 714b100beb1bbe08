"""Write tests/golden/loss/loss.params with real MXNet 1.9.1: inputs, outputs and gradients of gluon losses.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_loss.py

The cases live in ``tests/golden/loss/loss_cases.py``. Keys: ``<case>:in<i>`` (absent
for None inputs), ``<case>:out``, ``<case>:head``, ``<case>:grad<i>``; gradients are
those of ``sum(out * head)`` in training mode.
"""
import os
import sys

import numpy as np

try:
    import mxnet as mx
except ImportError:  # imported under gluonic's Python (pytest's doctest collection): nothing to run
    mx = None

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loss")


def main():
    sys.path.insert(0, HERE)
    from loss_cases import CASES, make_input

    out = {}
    for i, (case, cls, kwargs, specs, grad) in enumerate(CASES):
        rng = np.random.RandomState(2000 + i)
        arrays = [None if s is None else make_input(rng, s, np) for s in specs]
        inputs = [None if a is None else mx.nd.array(a, dtype=a.dtype) for a in arrays]
        for j in grad:
            inputs[j].attach_grad()
        block = getattr(mx.gluon.loss, cls)(**kwargs)
        with mx.autograd.record() if grad else mx.autograd.train_mode():
            res = block(*inputs)
        head = mx.nd.array(rng.standard_normal(res.shape), dtype=res.dtype)
        if grad:
            res.backward(head)
        for j, a in enumerate(arrays):
            if a is not None:
                out[f"{case}:in{j}"] = mx.nd.array(a, dtype=a.dtype)
        out[f"{case}:out"] = res
        out[f"{case}:head"] = head
        for j in grad:
            out[f"{case}:grad{j}"] = inputs[j].grad
    mx.nd.save(os.path.join(HERE, "loss.params"), out)
    print(f"wrote {len(CASES)} cases to {os.path.join(HERE, 'loss.params')}")


if __name__ == "__main__" and mx is not None:
    main()
