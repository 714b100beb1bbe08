"""Operators against outputs and gradients recorded from real MXNet 1.9.1.

The golden file is written by ``tests/golden/make_golden_ops.py`` (run with a Python that
has mxnet 1.9.1); the cases live in ``tests/golden/op_cases.py``.
"""
import os
import sys

import numpy as np
import pytest

import gluonic as mx

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
sys.path.insert(0, GOLDEN)
from op_cases import CASES, resolve  # noqa: E402

# Cases where MXNet 1.9.1's gradient is wrong; gluonic's is checked against finite
# differences in tests/ops instead.
MXNET_GRADIENT_BUGS = {
    # MXNet's SELU backward uses lambda * (y + alpha) for x < 0; the derivative is lambda * alpha * exp(x).
    "leaky_selu",
}


@pytest.fixture(scope="module")
def golden():
    return mx.nd.load(os.path.join(GOLDEN, "ops.params"))


@pytest.mark.parametrize("case,fn_name,specs,attrs", CASES, ids=[c[0] for c in CASES])
def test_matches_mxnet(golden, case, fn_name, specs, attrs):
    inputs = [golden[f"{case}:in{j}"].copy() for j in range(len(specs))]
    float_idx = [j for j in range(len(specs)) if f"{case}:grad{j}" in golden]
    for j in float_idx:
        inputs[j].attach_grad()
    fn = resolve(mx.nd, fn_name)
    with mx.autograd.record() if float_idx else mx.autograd.train_mode():
        res = fn(*inputs, **attrs)
    res = res if isinstance(res, (list, tuple)) else [res]
    n_out = len([k for k in golden if k.startswith(f"{case}:out")])
    assert len(res) >= n_out
    for j in range(n_out):
        expected = golden[f"{case}:out{j}"].asnumpy()
        got = res[j].asnumpy()
        assert got.shape == expected.shape, f"output {j}: shape {got.shape} vs MXNet {expected.shape}"
        assert got.dtype == expected.dtype, f"output {j}: dtype {got.dtype} vs MXNet {expected.dtype}"
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5, err_msg=f"{case} output {j}")
    if float_idx and case not in MXNET_GRADIENT_BUGS:
        mx.autograd.backward(res[:n_out], [golden[f"{case}:head{j}"] for j in range(n_out)])
        for j in float_idx:
            np.testing.assert_allclose(inputs[j].grad.asnumpy(), golden[f"{case}:grad{j}"].asnumpy(),
                                       rtol=1e-4, atol=1e-5, err_msg=f"{case} gradient of input {j}")
