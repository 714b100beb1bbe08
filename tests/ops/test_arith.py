"""Binary arithmetic/comparison ops (broadcast_*, elemwise_*, _*_scalar) against NumPy."""
import numpy as np
import pytest

from gluonic.ops import registry

from .harness import check_op, check_op_error

rng = np.random.RandomState(0)


def _pos(*shape):
    return rng.uniform(0.5, 2.0, size=shape).astype(np.float32)


def _cmp(fn):
    return lambda x, y: fn(x, y).astype(x.dtype)


# broadcast op -> (elemwise twin, NumPy reference, differentiable)
BINARY = {
    "broadcast_add": ("elemwise_add", np.add, True),
    "broadcast_sub": ("elemwise_sub", np.subtract, True),
    "broadcast_mul": ("elemwise_mul", np.multiply, True),
    "broadcast_div": ("elemwise_div", np.divide, True),
    "broadcast_mod": ("_mod", np.mod, True),
    "broadcast_power": ("_power", np.power, True),
    "broadcast_maximum": ("_maximum", np.maximum, True),
    "broadcast_minimum": ("_minimum", np.minimum, True),
    "broadcast_hypot": ("_hypot", np.hypot, True),
    "broadcast_equal": ("_equal", _cmp(np.equal), False),
    "broadcast_not_equal": ("_not_equal", _cmp(np.not_equal), False),
    "broadcast_greater": ("_greater", _cmp(np.greater), False),
    "broadcast_greater_equal": ("_greater_equal", _cmp(np.greater_equal), False),
    "broadcast_lesser": ("_lesser", _cmp(np.less), False),
    "broadcast_lesser_equal": ("_lesser_equal", _cmp(np.less_equal), False),
    "broadcast_logical_and": ("_logical_and", _cmp(np.logical_and), False),
    "broadcast_logical_or": ("_logical_or", _cmp(np.logical_or), False),
    "broadcast_logical_xor": ("_logical_xor", _cmp(np.logical_xor), False),
}


@pytest.mark.parametrize("name", list(BINARY))
def test_broadcast(name):
    _, ref, diff = BINARY[name]
    a, b = _pos(2, 1, 3), _pos(1, 4, 3)
    if not diff:
        b[0, 0, 0] = a[0, 0, 0]  # a tie, for the comparisons
    check_op(name, [a, b], ref, grad=diff, rtol=1e-5)


@pytest.mark.parametrize("name", list(BINARY))
def test_elemwise(name):
    twin, ref, diff = BINARY[name]
    a, b = _pos(3, 4), _pos(3, 4)
    check_op(twin, [a, b], ref, grad=diff, rtol=1e-5)
    check_op_error(twin, [a, _pos(1, 4)], match="same shape")


SCALAR = {
    "_plus_scalar": lambda x, s: x + s,
    "_minus_scalar": lambda x, s: x - s,
    "_rminus_scalar": lambda x, s: s - x,
    "_mul_scalar": lambda x, s: x * s,
    "_div_scalar": lambda x, s: x / s,
    "_rdiv_scalar": lambda x, s: s / x,
    "_mod_scalar": lambda x, s: np.mod(x, s),
    "_rmod_scalar": lambda x, s: np.mod(s, x),
    "_power_scalar": lambda x, s: x ** s,
    "_rpower_scalar": lambda x, s: s ** x,
    "_maximum_scalar": np.maximum,
    "_minimum_scalar": np.minimum,
    "_hypot_scalar": np.hypot,
    "_equal_scalar": _cmp(np.equal),
    "_not_equal_scalar": _cmp(np.not_equal),
    "_greater_scalar": _cmp(np.greater),
    "_greater_equal_scalar": _cmp(np.greater_equal),
    "_lesser_scalar": _cmp(np.less),
    "_lesser_equal_scalar": _cmp(np.less_equal),
    "_logical_and_scalar": _cmp(np.logical_and),
    "_logical_or_scalar": _cmp(np.logical_or),
    "_logical_xor_scalar": _cmp(np.logical_xor),
}


@pytest.mark.parametrize("name", list(SCALAR))
def test_scalar_float(name):
    x = _pos(2, 3)
    s = 1.25
    diff = not any(k in name for k in ("equal", "greater", "lesser", "logical"))
    check_op(name, [x], lambda a: np.asarray(SCALAR[name](a, np.float32(s)), dtype=np.float32),
             {"scalar": s}, grad=diff, rtol=1e-5)


@pytest.mark.parametrize("name", ["_plus_scalar", "_minus_scalar", "_mul_scalar", "_div_scalar", "_mod_scalar",
                                  "_greater_scalar", "_maximum_scalar"])
def test_scalar_int_casts_scalar_first(name):
    x = np.array([1, 2, 3, -5, 7], dtype=np.int32)
    s = 2.7  # MXNet casts to int32 first: 2
    ref = {"_div_scalar": lambda a, s: np.trunc(a / s).astype(np.int32)}.get(name, SCALAR[name])
    check_op(name, [x], lambda a: np.asarray(ref(a, np.int32(2))).astype(np.int32), {"scalar": s}, grad=False)


def test_every_registered_op_is_named_in_a_test():
    """A guard: each op (or one of its aliases) appears in some test file."""
    import glob
    import os
    import re

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = "".join(open(f).read() for f in glob.glob(os.path.join(here, "**", "*.py"), recursive=True))
    missing = [op.name for op in registry.all_ops()
               if not any(re.search(r"['\".]" + re.escape(n) + r"\b", text) for n in (op.name, *op.aliases))]
    assert not missing, f"ops without a test: {missing}"
