"""Write tests/golden/ops.params with real MXNet 1.9.1: inputs, outputs and gradients per case.

Run with a Python that has mxnet==1.9.1 (and numpy<1.24):
    /path/to/mxnet-python tests/golden/make_golden_ops.py
Keys: ``<case>:in<i>``, ``<case>:head<j>``, ``<case>:out<j>``, ``<case>:grad<i>``.
Training mode is on (BatchNorm uses batch statistics); gradients of float inputs are those
of ``sum(out_j * head_j)``.
"""
import os
import sys

import mxnet as mx
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from op_cases import CASES, resolve  # noqa: E402


def make_input(rng, shape, dtype, kind):
    if kind == "randn":
        a = rng.standard_normal(shape)
    elif kind == "rand":
        a = rng.uniform(0, 1, shape)
    elif kind == "pos":
        a = rng.uniform(0.5, 2.0, shape)
    elif kind == "spd":
        m = rng.uniform(-1.0, 1.0, shape)
        a = m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])
    elif kind in ("tril", "triu"):
        m = rng.uniform(-1.0, 1.0, shape) + 2 * shape[-1] * np.eye(shape[-1])
        a = np.tril(m) if kind == "tril" else np.triu(m)
    else:
        _, low, high = kind
        a = rng.randint(low, high, size=shape)
    return a.astype(dtype)


def main():
    out = {}
    for i, (case, fn_name, specs, attrs) in enumerate(CASES):
        rng = np.random.RandomState(1000 + i)
        arrays = [make_input(rng, *spec) for spec in specs]
        inputs = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
        float_idx = [j for j, (_, _, kind) in enumerate(specs) if not isinstance(kind, tuple)]
        # MXNet 1.9.1 cannot record topk (used by sort): its backward node loses the axis attr.
        differentiable = fn_name not in ("argmax", "one_hot", "topk", "sort") and bool(float_idx)
        if differentiable:
            for j in float_idx:
                inputs[j].attach_grad()
        fn = resolve(mx.nd, fn_name)
        try:
            with mx.autograd.record() if differentiable else mx.autograd.train_mode():
                res = fn(*inputs, **attrs)
        except mx.base.MXNetError:
            print(f"case {case} failed in MXNet", file=sys.stderr)
            raise
        res = res if isinstance(res, (list, tuple)) else [res]
        heads = [mx.nd.array(rng.standard_normal(r.shape).astype(np.float32)) for r in res]
        if differentiable:
            mx.autograd.backward(res, heads)
        for j, a in enumerate(arrays):
            out[f"{case}:in{j}"] = mx.nd.array(a, dtype=a.dtype)
        for j, (r, h) in enumerate(zip(res, heads)):
            out[f"{case}:out{j}"] = r
            out[f"{case}:head{j}"] = h
        if differentiable:
            for j in float_idx:
                out[f"{case}:grad{j}"] = inputs[j].grad
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.params")
    mx.nd.save(path, out)
    print(f"wrote {len(out)} arrays for {len(CASES)} cases to {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
