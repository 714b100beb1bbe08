"""MXNet's ``mx.test_utils`` helpers, with the same names, signatures and default tolerances.

``check_numeric_gradient``, ``check_symbolic_forward`` and ``check_symbolic_backward``
accept a Symbol (once the symbolic API is loaded) or, as a gluonic extension, any
Python callable taking NDArrays and returning NDArray(s).
"""
from __future__ import annotations

import contextlib
import numbers
import os
import random as _pyrandom
from collections.abc import Callable
from typing import Any

import numpy as np

from . import autograd
from .base import MXNetError
from .context import Context, current_context
from .context import _default_context as _ctx_var

__all__ = [
    "default_context",
    "set_default_context",
    "default_dtype",
    "default_rtols",
    "default_atols",
    "get_rtol",
    "get_atol",
    "get_etol",
    "get_tolerance",
    "effective_dtype",
    "almost_equal",
    "assert_almost_equal",
    "assert_almost_equal_ignore_nan",
    "assert_allclose",
    "same",
    "same_array",
    "rand_ndarray",
    "rand_shape_nd",
    "rand_shape_2d",
    "rand_shape_3d",
    "random_arrays",
    "check_numeric_gradient",
    "check_symbolic_forward",
    "check_symbolic_backward",
    "assert_exception",
    "environment",
    "use_np",
    "list_gpus",
    "retry",
]

from .util import use_np  # noqa: E402


def default_context() -> Context:
    """The context tests run on: the current default context (see ``set_default_context``)."""
    return current_context()


def set_default_context(ctx: Context) -> None:
    """Set the default context for tests (and for new arrays)."""
    _ctx_var.set(ctx)


def default_dtype():
    return np.float32


def default_rtols() -> dict:
    return {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-5,
            np.dtype(np.bool_): 0, np.dtype(np.int8): 0, np.dtype(np.uint8): 0, np.dtype(np.int32): 0,
            np.dtype(np.uint32): 0, np.dtype(np.int64): 0, np.dtype(np.uint64): 0}


def default_atols() -> dict:
    return {np.dtype(np.float16): 1e-1, np.dtype(np.float32): 1e-3, np.dtype(np.float64): 1e-20,
            np.dtype(np.bool_): 0, np.dtype(np.int8): 0, np.dtype(np.uint8): 0, np.dtype(np.int32): 0,
            np.dtype(np.uint32): 0, np.dtype(np.int64): 0, np.dtype(np.uint64): 0}


def get_rtol(rtol=None, dtype=np.dtype(np.float64)):
    return default_rtols()[np.dtype(dtype)] if rtol is None else rtol


def get_atol(atol=None, dtype=np.dtype(np.float64)):
    return default_atols()[np.dtype(dtype)] if atol is None else atol


def get_etol(etol=None):
    return 0 if etol is None else etol


def effective_dtype(dat) -> np.dtype:
    """The dtype whose tolerances apply to ``dat``."""
    return np.dtype(getattr(dat, "dtype", np.float64))


def get_tolerance(dat, tol, default_tol):
    if isinstance(tol, numbers.Number):
        return tol
    dtype = effective_dtype(dat)
    return (tol or {}).get(dtype, default_tol[dtype])


def _np(a) -> np.ndarray:
    return a.asnumpy() if hasattr(a, "asnumpy") else np.asarray(a)


def _tols(a, b, rtol, atol):
    def pick(tol, defaults):
        if isinstance(tol, numbers.Number):
            return tol
        return max(get_tolerance(a, tol, defaults), get_tolerance(b, tol, defaults))

    return pick(rtol, default_rtols()), pick(atol, default_atols())


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True) -> bool:
    """Whether ``|a - b| <= atol + rtol * |b|`` everywhere."""
    rtol, atol = _tols(a, b, rtol, atol)
    a, b = _np(a), _np(b)
    if not use_broadcast and a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def assert_almost_equal(a, b, rtol=None, atol=None, names=("a", "b"), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)) -> None:
    """Assert two arrays (NumPy or NDArray) are almost equal; the message shows the worst mismatches."""
    rtol, atol = _tols(a, b, rtol, atol)
    a, b = _np(a), _np(b)
    if not use_broadcast and a.shape != b.shape:
        raise AssertionError(f"Shape mismatch: {names[0]}{a.shape} vs {names[1]}{b.shape}")
    if a.dtype == np.bool_ and b.dtype == np.bool_:
        np.testing.assert_equal(a, b)
        return
    if np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return
    a64, b64 = np.broadcast_arrays(a.astype(np.float64), b.astype(np.float64))
    err = np.abs(a64 - b64) / (atol + rtol * np.abs(b64))
    err = np.where(np.isnan(err), np.inf, err)
    worst = np.argsort(err, axis=None)[::-1][: mismatches[0]]
    lines = [
        f"  {names[0]}[{tuple(int(d) for d in np.unravel_index(i, a64.shape))}]={float(a64.flat[i])!r}  "
        f"{names[1]}={float(b64.flat[i])!r}  "
        f"error={err.flat[i]:.3g}"
        for i in worst
        if err.flat[i] > 1
    ]
    raise AssertionError(
        f"Arrays {names[0]} and {names[1]} differ beyond rtol={rtol:g}, atol={atol:g} "
        f"({int((err > 1).sum())} of {err.size} elements). Worst:\n" + "\n".join(lines)
    )


def assert_almost_equal_ignore_nan(a, b, rtol=None, atol=None, names=("a", "b")) -> None:
    a, b = np.copy(_np(a)), np.copy(_np(b))
    nan = np.logical_or(np.isnan(a), np.isnan(b))
    a[nan] = 0
    b[nan] = 0
    assert_almost_equal(a, b, rtol, atol, names)


def assert_allclose(a, b, rtol=1e-07, atol=0, equal_nan=True) -> None:
    """NumPy's ``assert_allclose`` on NumPy arrays or NDArrays."""
    np.testing.assert_allclose(_np(a), _np(b), rtol=rtol, atol=atol, equal_nan=equal_nan)


def same(a, b) -> bool:
    """Whether two arrays are exactly equal."""
    return bool(np.array_equal(_np(a), _np(b)))


def same_array(array1, array2) -> bool:
    """Whether two NDArrays share memory (a write to one shows in the other)."""
    t1, t2 = array1.as_torch(), array2.as_torch()
    return t1.untyped_storage().data_ptr() == t2.untyped_storage().data_ptr()


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False) -> tuple[int, int]:
    low = 0 if allow_zero_size else 1
    return _pyrandom.randint(low, dim0), _pyrandom.randint(low, dim1)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False) -> tuple[int, int, int]:
    low = 0 if allow_zero_size else 1
    return _pyrandom.randint(low, dim0), _pyrandom.randint(low, dim1), _pyrandom.randint(low, dim2)


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False) -> tuple[int, ...]:
    low = 0 if allow_zero_size else 1
    return tuple(np.random.randint(low, dim + 1, size=num_dim).tolist())


def random_arrays(*shapes):
    """Float32 standard-normal NumPy arrays of the given shapes (one array for one shape)."""
    arrays = [np.array(np.random.randn(), dtype=default_dtype()) if len(s) == 0
              else np.random.randn(*s).astype(default_dtype()) for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def rand_ndarray(shape, stype="default", density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A random dense NDArray (uniform in [0, 1)); sparse storage types are not supported."""
    from .base import GluonicValueError
    from .ndarray import array

    if stype != "default":
        raise GluonicValueError(f"rand_ndarray: only stype='default' is supported. Received: {stype!r}")
    data = np.random.uniform(size=shape).astype(dtype or default_dtype())
    if modifier_func is not None:
        data = modifier_func(data)
    return array(data, ctx=ctx or default_context(), dtype=dtype or default_dtype())


def _as_callable(sym) -> Callable:
    if getattr(sym, "_is_symbol", False):
        from . import symbol as _symbol  # available once the symbolic API exists

        return _symbol.as_function(sym)
    if callable(sym):
        return sym
    raise MXNetError(f"Expected a Symbol or a callable on NDArrays. Received: {type(sym).__name__}")


def _location_arrays(location, dtype, ctx) -> list:
    from .ndarray import array

    values = location.values() if isinstance(location, dict) else location
    return [array(_np(v), ctx=ctx, dtype=dtype) for v in values]


def _outputs(result) -> list:
    return list(result) if isinstance(result, (list, tuple)) else [result]


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None, atol=None,
                           grad_nodes=None, use_forward_train=True, ctx=None, grad_stype_dict=None,
                           dtype=default_dtype()):
    """Compare autograd gradients with central finite differences.

    ``sym`` is a Symbol or a callable on NDArrays; ``location`` the input values (a list,
    or a dict for a Symbol's arguments). ``grad_nodes`` selects inputs (indices or names).
    """
    fn = _as_callable(sym)
    ctx = ctx or default_context()
    dtype = np.dtype(dtype)
    eps = numeric_eps if numeric_eps is not None else (1e-4 if dtype == np.float64 else 1e-3)
    rtol = get_rtol(rtol, dtype) if rtol is not None or dtype != np.float32 else 1e-2
    atol = get_atol(atol, dtype) if atol is not None or dtype != np.float32 else 1e-4
    names = list(location.keys()) if isinstance(location, dict) else list(range(len(location)))
    wanted = names if grad_nodes is None else list(grad_nodes)
    base = [np.ascontiguousarray(_np(v), dtype=dtype) for v in (location.values() if isinstance(location, dict) else location)]
    rng = np.random.RandomState(0)

    def forward(values, record):
        from .ndarray import array

        args = [array(v, ctx=ctx, dtype=dtype) for v in values]
        if record:
            for i, n in enumerate(names):
                if n in wanted:
                    args[i].attach_grad()
            with autograd.record(train_mode=use_forward_train):
                outs = _outputs(fn(*args))
            return args, outs
        with autograd.pause(train_mode=use_forward_train):
            return args, _outputs(fn(*args))

    args, outs = forward(base, True)
    heads = [rng.normal(0, 1, size=o.shape).astype(dtype) for o in outs]
    from .ndarray import array

    autograd.backward(outs, [array(h, ctx=ctx, dtype=o.dtype) for h, o in zip(heads, outs)])
    for i, n in enumerate(names):
        if n not in wanted:
            continue
        analytic = args[i].grad.asnumpy()
        numeric = np.zeros_like(base[i], dtype=np.float64)
        flat = base[i].reshape(-1)
        for j in range(flat.size):
            saved = flat[j]
            vals = []
            for delta in (eps / 2, -eps / 2):
                flat[j] = saved + delta
                _, o = forward(base, False)
                vals.append(sum(float((x.asnumpy().astype(np.float64) * h).sum()) for x, h in zip(o, heads)))
            flat[j] = saved
            numeric.reshape(-1)[j] = (vals[0] - vals[1]) / eps
        assert_almost_equal(analytic, numeric.astype(analytic.dtype), rtol, atol,
                            names=(f"autograd grad of {n}", f"numeric grad of {n}"))


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None, ctx=None,
                           equal_nan=False, dtype=default_dtype()):
    """Run ``sym`` on ``location`` and compare its outputs with ``expected``; returns the outputs."""
    fn = _as_callable(sym)
    args = _location_arrays(location, dtype, ctx or default_context())
    outs = _outputs(fn(*args))
    expected = list(expected.values()) if isinstance(expected, dict) else list(expected)
    for i, (o, e) in enumerate(zip(outs, expected)):
        assert_almost_equal(o, e, rtol, atol, names=(f"output[{i}]", f"expected[{i}]"), equal_nan=equal_nan)
    return [o.asnumpy() for o in outs]


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None, aux_states=None,
                            grad_req="write", ctx=None, grad_stypes=None, equal_nan=False, dtype=default_dtype()):
    """Backpropagate ``out_grads`` through ``sym`` and compare input gradients with ``expected``."""
    from .ndarray import array

    fn = _as_callable(sym)
    ctx = ctx or default_context()
    args = _location_arrays(location, dtype, ctx)
    names = list(location.keys()) if isinstance(location, dict) else list(range(len(args)))
    for a in args:
        a.attach_grad(grad_req if isinstance(grad_req, str) else "write")
    with autograd.record():
        outs = _outputs(fn(*args))
    autograd.backward(outs, [array(_np(g), ctx=ctx, dtype=o.dtype) for g, o in zip(out_grads, outs)])
    exp = expected if isinstance(expected, dict) else dict(zip(names, expected))
    grads = {}
    for n, a in zip(names, args):
        grads[n] = a.grad.asnumpy()
        if n in exp and exp[n] is not None:
            assert_almost_equal(grads[n], exp[n], rtol, atol, names=(f"grad of {n}", "expected"), equal_nan=equal_nan)
    return grads


def assert_exception(f: Callable, exception_type, *args, **kwargs) -> None:
    """Assert that ``f(*args, **kwargs)`` raises ``exception_type``."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError(f"{getattr(f, '__name__', f)} did not raise {exception_type.__name__}")


@contextlib.contextmanager
def environment(*args):
    """Temporarily set environment variables: ``environment('NAME', 'value')`` or ``environment({...})``."""
    if len(args) == 2:
        updates: dict[str, Any] = {args[0]: args[1]}
    elif len(args) == 1 and isinstance(args[0], dict):
        updates = dict(args[0])
    else:
        raise MXNetError(f"environment() takes (name, value) or a dict. Received: {args!r}")
    saved = {k: os.environ.get(k) for k in updates}
    try:
        for k, v in updates.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = str(v)
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def list_gpus() -> list[int]:
    from .context import num_gpus

    return list(range(num_gpus()))


def retry(n: int):
    """Decorator: retry a flaky test up to ``n`` times."""

    def deco(f):
        def wrapper(*a, **k):
            for i in range(n):
                try:
                    return f(*a, **k)
                except AssertionError:
                    if i == n - 1:
                        raise

        wrapper.__name__ = f.__name__
        return wrapper

    return deco


