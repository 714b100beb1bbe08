"""Every golden op case run as a symbol graph: composed, serialized to MXNet JSON and back,
compiled, and compared with real MXNet 1.9.1's outputs and gradients."""
import os
import sys

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.compile import compile_symbol

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "golden")
sys.path.insert(0, GOLDEN)
from op_cases import CASES, resolve  # noqa: E402

from tests.test_golden_ops import MXNET_GRADIENT_BUGS  # noqa: E402


@pytest.fixture(scope="module")
def golden():
    return mx.nd.load(os.path.join(GOLDEN, "ops.params"))


@pytest.mark.parametrize("roundtrip", [False, True], ids=["composed", "json"])
@pytest.mark.parametrize("case,fn_name,specs,attrs", CASES, ids=[c[0] for c in CASES])
def test_symbolic_matches_mxnet(golden, case, fn_name, specs, attrs, roundtrip):
    names = [f"in{j}" for j in range(len(specs))]
    sym = resolve(mx.sym, fn_name)(*[mx.sym.var(n) for n in names], **attrs)
    if roundtrip:
        sym = mx.sym.load_json(sym.tojson())
    n_out = len([k for k in golden if k.startswith(f"{case}:out")])
    graph = compile_symbol(sym, sym.list_inputs())
    values = {n: golden[f"{case}:in{j}"].as_torch().clone() for j, n in enumerate(names)}
    float_idx = [j for j in range(len(specs)) if f"{case}:grad{j}" in golden]
    for j in float_idx:
        values[names[j]].requires_grad_(True)
    with mx.autograd.train_mode(), torch.enable_grad():
        outs = graph(*[values[n] for n in sym.list_inputs()])
    for j in range(n_out):
        np.testing.assert_allclose(outs[j].detach().numpy(), golden[f"{case}:out{j}"].asnumpy(),
                                   rtol=1e-4, atol=1e-5, err_msg=f"{case} output {j}")
    if float_idx and case not in MXNET_GRADIENT_BUGS:
        heads = [golden[f"{case}:head{j}"].as_torch() for j in range(n_out)]
        torch.autograd.backward(list(outs[:n_out]), heads)
        for j in float_idx:
            grad = values[names[j]].grad  # None for auxiliary states: their gradient is zero
            grad = torch.zeros_like(values[names[j]]) if grad is None else grad
            np.testing.assert_allclose(grad.numpy(), golden[f"{case}:grad{j}"].asnumpy(),
                                       rtol=1e-4, atol=1e-5, err_msg=f"{case} gradient of input {j}")


@pytest.mark.parametrize("case,fn_name,specs,attrs", CASES, ids=[c[0] for c in CASES])
def test_infer_shape_matches_execution(golden, case, fn_name, specs, attrs):
    names = [f"in{j}" for j in range(len(specs))]
    sym = resolve(mx.sym, fn_name)(*[mx.sym.var(n) for n in names], **attrs)
    shapes = {n: golden[f"{case}:in{j}"].shape for j, n in enumerate(names)}
    _, out_shapes, _ = sym.infer_shape(**shapes)
    n_out = len([k for k in golden if k.startswith(f"{case}:out")])
    assert [tuple(s) for s in out_shapes[:n_out]] == [golden[f"{case}:out{j}"].shape for j in range(n_out)]


def test_creation_and_scalar_helpers():
    x = mx.sym.var("x")
    # Symbol '+' is elemwise (same shapes) in MXNet; broadcasting needs broadcast_add
    out = mx.sym.broadcast_add(mx.sym.maximum(x, 0.5) + mx.sym.ones((2, 3)) * 2, mx.sym.arange(3)) + mx.sym.power(2, x)
    graph = compile_symbol(out, ["x"])
    xv = np.random.rand(2, 3).astype(np.float32)
    got = graph(torch.from_numpy(xv))[0].numpy()
    np.testing.assert_allclose(got, np.maximum(xv, 0.5) + 2 + np.arange(3) + 2 ** xv, rtol=1e-6)
    assert "_c" in graph.source  # the creation ops were folded into constants
    z = mx.sym.zeros((2,)) + mx.sym.full((2,), 3) + mx.sym.linspace(0, 1, 2)
    np.testing.assert_allclose(compile_symbol(z, [])()[0].numpy(), [3, 4])
    np.testing.assert_allclose(compile_symbol(mx.sym.eye(2, k=1), [])()[0].numpy(), [[0, 1], [0, 0]])


def test_elemwise_infers_the_other_input_shape_like_mxnet():
    d, s = mx.sym.var("data"), mx.sym.var("state")
    arg_shapes, out_shapes, _ = (d + s).infer_shape(data=(1, 3))
    assert arg_shapes == [(1, 3), (1, 3)] and out_shapes == [(1, 3)]
