"""Every optimizer against 5 steps recorded from real MXNet 1.9.1 (``make_golden.py``).

The same weights and gradients go through gluonic's Updater with the same settings
(rescale_grad, clip_gradient, wd, lr/wd multipliers, schedulers, float16 master copies);
weights after each step and the final states must match MXNet's.
"""
import os
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic import lr_scheduler
from gluonic import optimizer as opt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import CASES, SHAPES, STEPS  # noqa: E402

# float32 results agree with MXNet's CPU kernels to a few ulps (torch fuses some
# multiply-adds and sums in another order); float16 weights to one float16 ulp.
TOL = {"float32": dict(rtol=2e-6, atol=2e-7), "float16": dict(rtol=1e-3, atol=1e-3)}


@pytest.fixture(scope="module")
def golden():
    return mx.nd.load(os.path.join(HERE, "golden.params"))


def flatten(state):
    if state is None:
        return []
    if isinstance(state, mx.nd.NDArray):
        return [state]
    return [a for s in state for a in flatten(s)]


def make_updater(name, kwargs, opts):
    kwargs = dict(kwargs)
    if "scheduler" in opts:
        cls, skw = opts["scheduler"]
        kwargs["lr_scheduler"] = getattr(lr_scheduler, cls)(**skw)
    if "idx2name" in opts:
        kwargs["param_idx2name"] = opts["idx2name"]
    o = opt.create(name, **kwargs)
    if "lr_mult" in opts:
        o.set_lr_mult(opts["lr_mult"])
    if "wd_mult" in opts:
        o.set_wd_mult(opts["wd_mult"])
    return opt.get_updater(o)


def run_case(golden, name, kwargs, opts, call=None):
    """Weights after each step and the updater, driven as make_golden.py drives MXNet."""
    dtype = opts.get("dtype", "float32")
    params = opts.get("params", list(range(len(SHAPES))))
    updater = make_updater(name, kwargs, opts)
    weights = {i: golden[f"w{i}"].astype(dtype) for i in params}
    history = []
    for k in range(STEPS):
        gs = {i: golden[f"g{i}:{k}"].astype(dtype) for i in params}
        if (call or opts.get("call")) == "list":
            updater(list(params), [gs[i] for i in params], [weights[i] for i in params])
        else:
            for i in params:
                updater(i, gs[i], weights[i])
        history.append({i: weights[i].asnumpy() for i in params})
    return history, updater


@pytest.mark.parametrize("case,name,kwargs,opts", CASES, ids=[c[0] for c in CASES])
def test_matches_mxnet(golden, case, name, kwargs, opts):
    history, updater = run_case(golden, name, kwargs, opts)
    tol = TOL[opts.get("dtype", "float32")]
    for k, weights in enumerate(history):
        for i, w in weights.items():
            np.testing.assert_allclose(w, golden[f"{case}:w{i}:{k}"].asnumpy(), **tol,
                                       err_msg=f"{case}: weight {i} after step {k + 1}")
    for i in history[0]:
        ours = flatten(updater.states[i])
        theirs = [golden[f"{case}:st{i}:{j}"] for j in range(len(ours)) if f"{case}:st{i}:{j}" in golden]
        assert len(ours) == len(theirs) and f"{case}:st{i}:{len(ours)}" not in golden, f"{case}: state layout"
        for j, (a, b) in enumerate(zip(ours, theirs)):
            assert a.dtype == b.dtype, f"{case}: state {i}/{j} dtype"
            np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=2e-5, atol=2e-6,
                                       err_msg=f"{case}: state {i}/{j}")


@pytest.mark.parametrize("case,name,kwargs,opts", [c for c in CASES if c[3].get("call") != "list"],
                         ids=[c[0] for c in CASES if c[3].get("call") != "list"])
def test_list_call_equals_single_calls(golden, case, name, kwargs, opts):
    """One updater call with all weights (fused kernels) gives the numbers of one call each."""
    if name in ("lars", "lamb"):
        pytest.skip("MXNet's aggregated LARS/LAMB differ from their one-weight path (checked against MXNet above)")
    single, _ = run_case(golden, name, kwargs, opts, call="single")
    multi, _ = run_case(golden, name, kwargs, opts, call="list")
    for a, b in zip(single, multi):
        for i in a:
            np.testing.assert_array_equal(a[i], b[i], err_msg=f"{case}: weight {i}")
