"""Write the MXNet 1.9.1 golden values for the optimizer and lr_scheduler tests.

Run with a Python that has mxnet==1.9.1 (and numpy<1.24), from the repository root:
    /path/to/mxnet-python tests/optimizer/make_golden.py
Writes ``tests/optimizer/golden.params`` (NDArray file) with keys
``w<i>`` / ``g<i>:<step>`` (shared initial weights and gradients), ``<case>:w<i>:<step>``
(weights after each step) and ``<case>:st<i>:<k>`` (final state arrays, nested tuples
flattened in order, ``None`` skipped); and ``tests/optimizer/lr_scheduler_golden.json``
(learning rates per update count).
"""
import json
import math
import os
import sys

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import CASES, SCHEDULER_UPDATES, SCHEDULERS, SHAPES, STEPS  # noqa: E402


def flatten(state):
    if state is None:
        return []
    if isinstance(state, mx.nd.NDArray):
        return [state]
    return [a for s in state for a in flatten(s)]


class AdamWDriver:
    """MXNet 2.0's AdamW optimizer step on MXNet 1.9.1's contrib.adamw_update kernel."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6, correct_bias=True, wd=0.0,
                 rescale_grad=1.0, clip_gradient=None):
        self.lr, self.beta1, self.beta2, self.epsilon = learning_rate, beta1, beta2, epsilon
        self.correct_bias, self.wd, self.rescale_grad, self.clip = correct_bias, wd, rescale_grad, clip_gradient
        self.counts, self.states = {}, {}

    def __call__(self, i, g, w):
        if i not in self.states:
            self.states[i] = (mx.nd.zeros(w.shape, dtype=w.dtype), mx.nd.zeros(w.shape, dtype=w.dtype))
        t = self.counts[i] = self.counts.get(i, 0) + 1
        eta = self.lr
        if self.correct_bias:
            eta *= math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        mean, var = self.states[i]
        mx.nd.contrib.adamw_update(w, g, mean, var, mx.nd.array([self.rescale_grad]), lr=1.0, eta=eta, wd=self.wd,
                                   beta1=self.beta1, beta2=self.beta2, epsilon=self.epsilon,
                                   clip_gradient=self.clip if self.clip else -1, out=w)


def main():
    rng = np.random.RandomState(20240601)
    init = [(rng.standard_normal(s) * 0.5).astype(np.float32) for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in SHAPES] for _ in range(STEPS)]
    out = {f"w{i}": mx.nd.array(a) for i, a in enumerate(init)}
    out.update({f"g{i}:{k}": mx.nd.array(g) for k, gs in enumerate(grads) for i, g in enumerate(gs)})
    for case, name, kwargs, opts in CASES:
        kwargs = dict(kwargs)
        if "scheduler" in opts:
            cls, skw = opts["scheduler"]
            kwargs["lr_scheduler"] = getattr(mx.lr_scheduler, cls)(**skw)
        if "idx2name" in opts:
            kwargs["param_idx2name"] = opts["idx2name"]
        dtype = opts.get("dtype", "float32")
        params = opts.get("params", list(range(len(SHAPES))))
        if name == "adamw":
            updater = AdamWDriver(**kwargs)
        else:
            opt = mx.optimizer.create(name, **kwargs)
            if "lr_mult" in opts:
                opt.set_lr_mult(opts["lr_mult"])
            if "wd_mult" in opts:
                opt.set_wd_mult(opts["wd_mult"])
            updater = mx.optimizer.get_updater(opt)
        weights = {i: mx.nd.array(init[i], dtype=dtype) for i in params}
        for k in range(STEPS):
            gs = {i: mx.nd.array(grads[k][i], dtype=dtype) for i in params}
            if opts.get("call") == "list":
                updater(list(params), [gs[i] for i in params], [weights[i] for i in params])
            else:
                for i in params:
                    updater(i, gs[i], weights[i])
            for i in params:
                out[f"{case}:w{i}:{k}"] = weights[i].copy()
        for i in params:
            for j, a in enumerate(flatten(updater.states[i])):
                out[f"{case}:st{i}:{j}"] = a.copy()
    mx.nd.save(os.path.join(HERE, "golden.params"), out)

    lrs = {}
    for case, cls, kw in SCHEDULERS:
        sched = getattr(mx.lr_scheduler, cls)(**kw)
        lrs[case] = [sched(n) for n in SCHEDULER_UPDATES]
    with open(os.path.join(HERE, "lr_scheduler_golden.json"), "w") as f:
        json.dump(lrs, f, indent=1)
        f.write("\n")
    print(f"wrote {len(out)} arrays and {len(lrs)} schedules")


if __name__ == "__main__":
    main()
