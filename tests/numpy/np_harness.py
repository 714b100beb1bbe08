"""The ``mx.np`` function test harness: one call checks a function against NumPy itself.

``check_np(name_or_fn, reference, inputs, **kwargs)`` runs ``mx.np.<name>(*inputs, **kwargs)``
and checks, in one call:
  1. values, dtype and shape against ``reference(*numpy_inputs, **kwargs)`` (NumPy/SciPy);
  2. the inputs were not modified;
  3. the same call traced with np symbols (as inside a hybridized block), JSON round-tripped
     and compiled, gives the eager result (``symbolic=False`` to skip: data-dependent shapes);
  4. with ``grad=True`` (or a list of input positions), autograd gradients of
     ``sum(out * w)`` against float64 central finite differences.
Array inputs are NumPy arrays; anything else (scalars, shapes) is passed through unchanged.
``dtype`` compares NumPy's result dtype unless ``check_dtype=False`` or ``expect_dtype=`` is given
(MXNet defaults differ from NumPy in documented places: float32 for lists and floats).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as onp
import pytest
import torch

import gluonic as mx
from gluonic import autograd
from gluonic import numpy as np

from ..ops.harness import finite_difference


def _fn(name_or_fn):
    if callable(name_or_fn):
        return name_or_fn
    obj = np
    for part in name_or_fn.split("."):
        obj = getattr(obj, part)
    return obj


def _to_mx(a):
    if isinstance(a, onp.ndarray):
        return np.array(a, dtype=a.dtype)
    return a


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def check_np(name_or_fn, reference: Callable, inputs: Sequence, *, grad=False, rtol=1e-5, atol=1e-6,
             check_dtype=True, expect_dtype=None, symbolic=True, grad_rtol=1e-4, grad_atol=1e-6, **kwargs):
    """Check one ``mx.np`` call against NumPy (see the module docstring). Returns the gluonic result."""
    fn = _fn(name_or_fn)
    label = getattr(fn, "__name__", str(name_or_fn))
    saved = [a.copy() if isinstance(a, onp.ndarray) else a for a in inputs]
    got = fn(*[_to_mx(a) for a in inputs], **kwargs)
    want = reference(*[a.copy() if isinstance(a, onp.ndarray) else a for a in inputs], **kwargs)
    gots, wants = _as_list(got), _as_list(want)
    assert len(gots) == len(wants), f"{label}: {len(gots)} outputs, NumPy gives {len(wants)}"
    for i, (g, w) in enumerate(zip(gots, wants)):
        assert isinstance(g, np.ndarray), f"{label} output {i}: got {type(g).__name__}, not mx.np.ndarray"
        w = onp.asarray(w)
        assert g.shape == w.shape, f"{label} output {i}: shape {g.shape}, NumPy {w.shape}"
        if expect_dtype is not None:
            assert g.dtype == onp.dtype(expect_dtype), f"{label} output {i}: dtype {g.dtype}, expected {expect_dtype}"
        elif check_dtype:
            assert g.dtype == w.dtype, f"{label} output {i}: dtype {g.dtype}, NumPy {w.dtype}"
        onp.testing.assert_allclose(g.asnumpy().astype(onp.float64) if g.dtype != onp.bool_ else g.asnumpy(),
                                    w.astype(onp.float64) if w.dtype != onp.bool_ else w, rtol=rtol, atol=atol,
                                    err_msg=f"{label} output {i}")
    for a, s in zip(inputs, saved):
        if isinstance(a, onp.ndarray):
            onp.testing.assert_array_equal(a, s, err_msg=f"{label} modified its input")
    if symbolic:
        _check_symbolic(fn, label, inputs, kwargs, gots, rtol, atol)
    if grad:
        idx = [i for i, a in enumerate(inputs) if isinstance(a, onp.ndarray)] if grad is True else list(grad)
        check_np_grad(fn, inputs, idx, rtol=grad_rtol, atol=grad_atol, **kwargs)
    return got


def _check_symbolic(fn, label, inputs, kwargs, eager, rtol, atol):
    """The call traced on np symbols, JSON round-tripped, compiled: must equal the eager run."""
    from gluonic.compile import compile_symbol
    from gluonic.symbol.numpy import _Symbol, as_np_symbol

    names = [f"in{i}" for i in range(len(inputs))]
    args = [as_np_symbol(mx.sym.var(n)) if isinstance(a, onp.ndarray) else a for n, a in zip(names, inputs)]
    out = fn(*args, **kwargs)
    outs = _as_list(out)
    assert all(isinstance(o, _Symbol) for o in outs), f"{label}: tracing returned {[type(o) for o in outs]}"
    sym = mx.sym.Group(outs) if len(outs) > 1 else outs[0]
    sym = mx.sym.load_json(sym.tojson())
    order = sym.list_inputs()
    by_name = {n: torch.from_numpy(onp.array(a)) for n, a in zip(names, inputs) if isinstance(a, onp.ndarray)}
    graph = compile_symbol(sym, order)
    results = graph(*[by_name[n] for n in order])
    for i, (r, e) in enumerate(zip(results, eager)):
        r = r.float().numpy() if r.dtype == torch.bfloat16 else r.numpy()
        assert r.shape == e.shape, f"{label} output {i}: compiled shape {r.shape} vs eager {e.shape}"
        onp.testing.assert_allclose(r.astype(onp.float64), e.asnumpy().astype(onp.float64), rtol=rtol, atol=atol,
                                    err_msg=f"{label} output {i}: compiled graph vs eager")


def check_np_grad(name_or_fn, inputs: Sequence, idx: Sequence[int], *, rtol=1e-4, atol=1e-6, eps=1e-6, seed=0,
                  **kwargs):
    """Autograd gradient of ``sum(out * w)`` w.r.t. ``inputs[idx]`` vs central differences in float64."""
    fn = _fn(name_or_fn)
    rng = onp.random.RandomState(seed)
    inputs64 = [a.astype(onp.float64) if isinstance(a, onp.ndarray) and onp.issubdtype(a.dtype, onp.floating)
                else a for a in inputs]
    outs = [o.asnumpy() for o in _as_list(fn(*[_to_mx(a) for a in inputs64], **kwargs))]
    weights = [rng.uniform(0.5, 1.5, size=o.shape) for o in outs]

    def objective(arrays):
        ys = _as_list(fn(*[_to_mx(a) for a in arrays], **kwargs))
        return sum(float((y.asnumpy().astype(onp.float64) * w).sum()) for y, w in zip(ys, weights)
                   if onp.issubdtype(y.dtype, onp.floating))

    mx_inputs = [_to_mx(a) for a in inputs64]
    for i in idx:
        mx_inputs[i].attach_grad()
    with autograd.record():
        ys = _as_list(fn(*mx_inputs, **kwargs))
        total = None
        for y, w in zip(ys, weights):
            if onp.issubdtype(y.dtype, onp.floating):
                term = (y.as_nd_ndarray() * mx.nd.array(w, dtype=y.dtype)).sum()  # legacy ops: independent of np
                total = term if total is None else total + term
    total.backward()
    for i in idx:
        analytic = mx_inputs[i].grad.asnumpy()
        numeric = finite_difference(objective, inputs64, i, eps)
        onp.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")


def check_np_error(name_or_fn, inputs: Sequence, match: str | None = None, error=mx.MXNetError, **kwargs):
    """Assert the call raises a gluonic error (message matching ``match``)."""
    with pytest.raises(error, match=match):
        _fn(name_or_fn)(*[_to_mx(a) for a in inputs], **kwargs)


__all__ = ["check_np", "check_np_grad", "check_np_error"]
