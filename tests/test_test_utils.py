"""gluonic.test_utils mirrors MXNet's helpers (names, signatures, default tolerances)."""
import inspect

import numpy as np
import pytest

import gluonic as mx
from gluonic import test_utils as tu


def test_signatures_match_mxnet():
    # signatures observed on MXNet 1.9.1's mxnet.test_utils
    expected = {
        "assert_almost_equal": ["a", "b", "rtol", "atol", "names", "equal_nan", "use_broadcast", "mismatches"],
        "almost_equal": ["a", "b", "rtol", "atol", "equal_nan", "use_broadcast"],
        "rand_ndarray": ["shape", "stype", "density", "dtype", "modifier_func", "shuffle_csr_indices",
                         "distribution", "ctx"],
        "check_numeric_gradient": ["sym", "location", "aux_states", "numeric_eps", "rtol", "atol", "grad_nodes",
                                   "use_forward_train", "ctx", "grad_stype_dict", "dtype"],
        "rand_shape_nd": ["num_dim", "dim", "allow_zero_size"],
        "get_rtol": ["rtol", "dtype"],
    }
    for name, params in expected.items():
        assert list(inspect.signature(getattr(tu, name)).parameters) == params, name


def test_default_tolerances():
    assert tu.get_rtol() == 1e-5 and tu.get_atol() == 1e-20
    assert tu.get_rtol(None, np.dtype(np.float16)) == 1e-2
    assert tu.default_atols()[np.dtype(np.float32)] == 1e-3


def test_assert_almost_equal_reports_worst_elements():
    a = np.array([1.0, 2.0, 3.0])
    tu.assert_almost_equal(a, a + 1e-9)
    tu.assert_almost_equal(mx.nd.array(a), a)
    with pytest.raises(AssertionError, match=r"a\[\(1,\)\]=2.0"):
        tu.assert_almost_equal(a, np.array([1.0, 2.5, 3.0]))
    assert tu.almost_equal(a, a) and not tu.almost_equal(a, a + 1)
    assert tu.same(a, a.copy()) and not tu.same(a, a + 1)
    tu.assert_allclose(mx.nd.array(a), a)


def test_random_helpers():
    s = tu.rand_shape_nd(3, dim=4)
    assert len(s) == 3 and all(1 <= d <= 4 for d in s)
    assert len(tu.rand_shape_2d()) == 2 and len(tu.rand_shape_3d()) == 3
    x = tu.rand_ndarray((2, 3))
    assert x.shape == (2, 3) and x.dtype == np.float32
    a, b = tu.random_arrays((2,), (3, 1))
    assert a.shape == (2,) and b.shape == (3, 1)
    assert tu.random_arrays((4,)).shape == (4,)


def test_check_numeric_gradient_on_a_callable():
    tu.check_numeric_gradient(lambda x, y: x * y + x * x, [np.random.rand(3), np.random.rand(3)],
                              dtype=np.float64)

    class Wrong(mx.autograd.Function):
        def forward(self, x):
            return x * x

        def backward(self, dy):
            return dy * 3  # wrong

    with pytest.raises(AssertionError):
        tu.check_numeric_gradient(lambda x: Wrong()(x), [np.random.rand(3) + 1], dtype=np.float64)


def test_check_symbolic_forward_backward_on_callable():
    loc = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    tu.check_symbolic_forward(lambda x, y: x * y, loc, [np.array([3.0, 8.0])])
    grads = tu.check_symbolic_backward(lambda x, y: x * y, loc, [np.ones(2)], [loc[1], loc[0]])
    assert grads[0].tolist() == [3.0, 4.0]


def test_environment_and_assert_exception():
    import os

    with tu.environment("GLUONIC_ENV_T", "7"):
        assert os.environ["GLUONIC_ENV_T"] == "7"
    assert "GLUONIC_ENV_T" not in os.environ
    with tu.environment({"GLUONIC_ENV_T": "1"}):
        assert os.environ["GLUONIC_ENV_T"] == "1"
    tu.assert_exception(lambda: 1 / 0, ZeroDivisionError)
    with pytest.raises(AssertionError):
        tu.assert_exception(lambda: 1, ZeroDivisionError)
    assert tu.default_context() == mx.cpu() and tu.default_dtype() is np.float32
