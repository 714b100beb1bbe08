"""The shared operator test harness.

``check_op`` runs one registered op through gluonic's public ``nd`` function and checks,
in one call:
  1. forward output(s) against a NumPy/SciPy reference;
  2. the inputs were not modified;
  3. inferred output shapes/dtypes (meta-tensor rule) equal the actual ones;
  4. gradients from autograd against central finite differences in float64.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.ops import registry
from gluonic.ops.infer import infer


def _nd_function(op_name: str):
    for space in (mx.nd, mx.nd._internal, mx.nd.random, mx.nd.linalg, mx.nd.contrib):
        fn = getattr(space, op_name, None)
        if fn is not None:
            return fn
    raise AssertionError(f"no nd function named {op_name}")


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def run(op_name: str, inputs: Sequence[np.ndarray | None], attrs: dict | None = None):
    """Run ``nd.<op_name>`` on NumPy inputs; return a list of NDArray outputs."""
    fn = _nd_function(op_name)
    nd_inputs = [None if a is None else mx.nd.array(a, dtype=a.dtype) for a in inputs]
    return _as_list(fn(*nd_inputs, **(attrs or {})))


def check_op(
    op_name: str,
    inputs: Sequence[np.ndarray | None],
    reference: Callable[..., np.ndarray | tuple],
    attrs: dict | None = None,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    grad: bool | Sequence[int] = True,
    grad_rtol: float = 1e-4,
    grad_atol: float = 1e-6,
    eps: float = 1e-6,
    check_dtype: bool = True,
    check_infer: bool = True,
    train_mode: bool | None = None,
    check_symbolic: bool = True,
) -> list[np.ndarray]:
    """Check ``nd.<op_name>(*inputs, **attrs)`` end to end (see module docstring).

    ``inputs`` are NumPy arrays (None for an absent optional input) used with their own
    dtypes for the forward check. ``reference(*inputs)`` returns the expected output(s).
    ``grad``: True checks every floating input; a sequence of indices checks those;
    False skips the gradient check (non-differentiable ops). Gradients are checked
    in float64 on copies of the floating inputs.
    ``check_symbolic`` also builds the op as a symbol graph, round-trips it through MXNet's
    JSON, compiles it (what hybridize runs) and compares with the eager result.
    ``train_mode`` runs every evaluation (forward, gradients, finite differences) in
    training (True) or prediction (False) mode, for ops that behave differently there
    (BatchNorm, Dropout); None keeps the caller's mode.
    Returns the forward outputs as NumPy arrays.
    """
    attrs = dict(attrs or {})
    originals = [None if a is None else a.copy() for a in inputs]
    if train_mode is None:
        train_mode = mx.autograd.is_training()
    mx.random.seed(0)
    with mx.autograd.train_mode() if train_mode else mx.autograd.predict_mode():
        outs = run(op_name, inputs, attrs)
    expected = _as_list(reference(*[None if a is None else a.copy() for a in inputs]))
    assert len(outs) >= len(expected), f"{op_name}: {len(outs)} outputs, reference gave {len(expected)}"
    results = []
    for i, (o, e) in enumerate(zip(outs, expected)):
        got = o.asnumpy()
        e = np.asarray(e)
        assert got.shape == e.shape, f"{op_name} output {i}: shape {got.shape} != reference {e.shape}"
        if check_dtype:
            assert got.dtype == e.dtype, f"{op_name} output {i}: dtype {got.dtype} != reference {e.dtype}"
        np.testing.assert_allclose(got.astype(np.float64), e.astype(np.float64), rtol=rtol, atol=atol,
                                   err_msg=f"{op_name} output {i}")
        results.append(got)
    for a, b in zip(inputs, originals):
        if a is not None:
            np.testing.assert_array_equal(a, b, err_msg=f"{op_name} modified its input")

    op = registry.get(op_name)
    if check_symbolic:
        _check_symbolic(op_name, inputs, attrs, results, train_mode, rtol, atol)
    if check_infer:
        parsed = op.parse_attrs(_attr_kwargs(op, inputs, attrs))
        inferred = infer(op, [None if a is None else a.shape for a in inputs],
                         [None if a is None else a.dtype for a in inputs], parsed)
        for i, ((shape, dtype), o) in enumerate(zip(inferred, outs)):
            assert shape == o.shape, f"{op_name} output {i}: inferred shape {shape} != actual {o.shape}"
            assert np.dtype(dtype) == np.dtype(o.dtype), f"{op_name} output {i}: inferred dtype {dtype} != {o.dtype}"

    if grad:
        idx = [i for i, a in enumerate(inputs) if a is not None and np.issubdtype(a.dtype, np.floating)]
        if grad is not True:
            idx = list(grad)
        check_grad(op_name, inputs, attrs, idx, rtol=grad_rtol, atol=grad_atol, eps=eps, train_mode=train_mode)
    return results


def _sym_function(op_name: str):
    for space in (mx.sym, mx.sym._internal):
        fn = getattr(space, op_name, None)
        if fn is not None:
            return fn
    raise AssertionError(f"no sym function named {op_name}")


def _check_symbolic(op_name, inputs, attrs, eager_results, train_mode, rtol, atol):
    """The op as a graph: composed, JSON round-tripped, compiled; must equal the eager run."""
    from gluonic.compile import compile_symbol

    names = [f"in{i}" for i in range(len(inputs))]
    present = [n for n, a in zip(names, inputs) if a is not None]
    variables = [None if a is None else mx.sym.var(n) for n, a in zip(names, inputs)]
    sym = _sym_function(op_name)(*variables, **attrs)
    sym = mx.sym.load_json(sym.tojson())
    order = sym.list_inputs()
    assert set(order) <= set(present), f"{op_name}: graph inputs {order} vs given {present}"
    by_name = {n: torch.from_numpy(np.array(a)) for n, a in zip(names, inputs) if a is not None}
    graph = compile_symbol(sym, order)
    mx.random.seed(0)
    with mx.autograd.train_mode() if train_mode else mx.autograd.predict_mode():
        outs = graph(*[by_name[n] for n in order])
    for i, (got, want) in enumerate(zip(outs, eager_results)):
        got = got.cpu()
        got = got.float().numpy() if got.dtype == torch.bfloat16 else got.numpy()
        np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol, atol=atol,
                                   err_msg=f"{op_name} output {i}: compiled graph vs eager")


def _attr_kwargs(op, inputs, attrs):
    kwargs = dict(attrs)
    if op.variadic and op.num_args_attr and op.num_args_attr not in kwargs:
        kwargs[op.num_args_attr] = len(inputs)
    return kwargs


def check_grad(op_name, inputs, attrs, idx, *, rtol=1e-4, atol=1e-6, eps=1e-6, seed=0, train_mode=None):
    """Autograd gradients of ``sum(out * w)`` (random ``w``) vs central differences, float64."""
    rng = np.random.RandomState(seed)
    if train_mode is None:
        train_mode = mx.autograd.is_training()
    inputs64 = [None if a is None else (a.astype(np.float64) if np.issubdtype(a.dtype, np.floating) else a)
                for a in inputs]
    with mx.autograd.pause(train_mode=train_mode):
        outs = run(op_name, inputs64, attrs)
    weights = [rng.uniform(0.5, 1.5, size=o.shape) for o in outs]

    def objective(arrays):
        with mx.autograd.pause(train_mode=train_mode):
            ys = run(op_name, arrays, attrs)
        return sum(float((y.asnumpy().astype(np.float64) * w).sum()) for y, w in zip(ys, weights)
                   if np.issubdtype(y.dtype, np.floating))

    nd_inputs = [None if a is None else mx.nd.array(a, dtype=a.dtype) for a in inputs64]
    for i in idx:
        nd_inputs[i].attach_grad()
    fn = _nd_function(op_name)
    with mx.autograd.record(train_mode=train_mode):
        ys = _as_list(fn(*nd_inputs, **attrs))
    float_ys = [(y, w) for y, w in zip(ys, weights) if np.issubdtype(y.dtype, np.floating)]
    mx.autograd.backward([y for y, _ in float_ys], [mx.nd.array(w, dtype=y.dtype) for y, w in float_ys])
    for i in idx:
        analytic = nd_inputs[i].grad.asnumpy()
        numeric = finite_difference(objective, inputs64, i, eps)
        np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol,
                                   err_msg=f"{op_name}: gradient of input {i}")


def finite_difference(objective, arrays, i: int, eps: float) -> np.ndarray:
    """Central differences of scalar ``objective(arrays)`` with respect to ``arrays[i]`` (changed in place, restored)."""
    numeric = np.zeros_like(arrays[i])
    flat = arrays[i].reshape(-1)
    for j in range(flat.size):
        saved = flat[j]
        flat[j] = saved + eps
        plus = objective(arrays)
        flat[j] = saved - eps
        minus = objective(arrays)
        flat[j] = saved
        numeric.reshape(-1)[j] = (plus - minus) / (2 * eps)
    return numeric


def check_op_error(op_name: str, inputs: Sequence[np.ndarray | None], attrs: dict | None = None,
                   match: str | None = None, error=mx.MXNetError):
    """Assert that the op rejects these inputs/attrs with a gluonic error (message matching ``match``)."""
    with pytest.raises(error, match=match):
        run(op_name, inputs, attrs)


__all__ = ["check_op", "check_op_error", "check_grad", "finite_difference", "run", "torch"]
