"""gluon.Parameter / ParameterDict / Constant semantics (MXNet 1.9)."""
import warnings

import numpy as np
import pytest

import gluonic as mx
from gluonic import gluon
from gluonic.base import MXNetError


def test_initialize_data_grad():
    p = gluon.Parameter("weight", shape=(2, 3))
    p.initialize(mx.init.One(), ctx=[mx.cpu(0), mx.cpu(1)])
    assert [d.context for d in p.list_data()] == [mx.cpu(0), mx.cpu(1)]
    assert p.data(mx.cpu(1)).asnumpy().sum() == 6
    assert p.list_ctx() == [mx.cpu(0), mx.cpu(1)]
    assert p.grad(mx.cpu(0)).shape == (2, 3)
    with pytest.raises(ValueError, match="was not initialized on context cpu\\(2\\)"):
        p.data(mx.cpu(2))


def test_repr_and_shape_merge():
    p = gluon.Parameter("w", shape=(3, 0))
    assert repr(p) == "Parameter w (shape=(3, 0), dtype=<class 'numpy.float32'>)"
    p.shape = (3, 5)
    assert p.shape == (3, 5)
    with pytest.raises(ValueError, match="incompatible"):
        p.shape = (4, 5)
    with mx.util.np_shape(True):
        assert gluon.Parameter("v", shape=(2, 0)).shape == (2, -1)


def test_deferred_and_uninitialized_errors_use_mxnet_text():
    p = gluon.Parameter("dense0_weight", shape=(3, 0), allow_deferred_init=True)
    with pytest.raises(MXNetError, match="has not been initialized. Note that you should initialize"):
        p.data()
    p.initialize()
    with pytest.raises(gluon.DeferredInitializationError, match="initialization was deferred"):
        p.data()
    q = gluon.Parameter("w", shape=(3, 0))
    with pytest.raises(ValueError, match="invalid shape"):
        q.initialize()


def test_already_initialized_warns_and_force_reinit():
    p = gluon.Parameter("w", shape=(2,))
    p.initialize(mx.init.Zero())
    with pytest.warns(UserWarning, match="already initialized"):
        p.initialize()
    p.initialize(mx.init.One(), force_reinit=True)
    assert p.data().asnumpy().tolist() == [1, 1]


def test_grad_req_and_zero_grad():
    p = gluon.Parameter("w", shape=(2,))
    p.initialize(mx.init.One())
    with mx.autograd.record():
        y = p.data() * 3
    y.backward()
    assert p.grad().asnumpy().tolist() == [3, 3]
    p.zero_grad()
    assert p.grad().asnumpy().tolist() == [0, 0]
    p.grad_req = "null"
    with pytest.raises(ValueError, match="grad_req='null'"):
        p.grad()
    p.grad_req = "add"
    for _ in range(2):
        with mx.autograd.record():
            y = p.data() * 2
        y.backward()
    assert p.grad().asnumpy().tolist() == [4, 4]
    with pytest.raises(ValueError, match="grad_req must be one of"):
        p.grad_req = "sometimes"


def test_non_differentiable_forces_null():
    p = gluon.Parameter("running_mean", shape=(2,), differentiable=False)
    assert p.grad_req == "null"


def test_set_data_cast_reset_ctx():
    p = gluon.Parameter("w", shape=(2,))
    p.initialize(mx.init.Zero())
    p.set_data(mx.nd.array([1.0, 2.0]))
    assert p.data().asnumpy().tolist() == [1, 2]
    p.cast("float64")
    assert p.data().dtype == np.float64 and p.grad().dtype == np.float64
    p.reset_ctx([mx.cpu(1), mx.cpu(2)])
    assert p.list_ctx() == [mx.cpu(1), mx.cpu(2)] and p.data(mx.cpu(2)).asnumpy().tolist() == [1, 2]


def test_constant():
    c = gluon.Constant("const", [[1, 2], [3, 4]])
    assert c.grad_req == "null"
    c.initialize()
    assert c.data().asnumpy().tolist() == [[1, 2], [3, 4]]
    with pytest.warns(UserWarning):
        c.grad_req = "write"
    assert c.grad_req == "null"


def test_parameter_dict_get_shares_and_checks():
    pd = gluon.ParameterDict("net_")
    w = pd.get("w", shape=(2, 0))
    assert pd.get("w", shape=(2, 3)) is w and w.shape == (2, 3)
    with pytest.raises(ValueError, match="desired attribute does not match"):
        pd.get("w", lr_mult=2.0)
    shared = gluon.ParameterDict("net_", shared=pd)
    assert shared.get("w") is w
    assert "net_w" in pd and list(pd.keys()) == ["net_w"]
    assert repr(pd) == "net_ (\n  Parameter net_w (shape=(2, 3), dtype=<class 'numpy.float32'>)\n)"
    c = pd.get_constant("c", [1, 2])
    assert isinstance(c, gluon.Constant)


def test_parameter_dict_save_load_and_errors(tmp_path):
    pd = gluon.ParameterDict("net_")
    pd.get("a", shape=(2,))
    pd.get("b", shape=(3,))
    pd.initialize(mx.init.One())
    f = str(tmp_path / "p.params")
    pd.save(f, strip_prefix="net_")
    assert sorted(mx.nd.load(f)) == ["a", "b"]
    other = gluon.ParameterDict("net_")
    other.get("a", shape=(2,))
    other.get("c", shape=(1,))
    with pytest.raises(ValueError) as e:
        other.load(f, restore_prefix="net_")
    msg = str(e.value)
    assert "missing in the file (1): net_c" in msg and "in the file but not in the model (1): net_b" in msg
    other.load(f, restore_prefix="net_", allow_missing=True, ignore_extra=True)
    assert other["net_a"].data().asnumpy().tolist() == [1, 1]
    with pytest.raises(ValueError, match="does not start with"):
        pd.save(f, strip_prefix="zzz")


def test_load_dtype_mismatch_and_cast(tmp_path):
    pd = gluon.ParameterDict("")
    pd.get("w", shape=(2,), dtype="float64")
    pd.initialize(mx.init.One())
    f = str(tmp_path / "w.params")
    pd.save(f)
    other = gluon.ParameterDict("")
    other.get("w", shape=(2,))
    with pytest.raises(TypeError, match="dtype incompatible"):
        other.load(f)
    other.load(f, cast_dtype=True)
    assert other["w"].data().dtype == np.float32
    warnings.simplefilter("default")
