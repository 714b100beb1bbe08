"""The optimizer base class, registry, Updater, state save/load and the fused multi-tensor path."""
import types
import warnings

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic import lr_scheduler
from gluonic import optimizer as opt
from gluonic.base import FileFormatError, GluonicTypeError, MXNetError


# ----------------------------------------------------------------------------- registry
def test_create_is_case_insensitive_and_passes_kwargs():
    o = opt.create("AdAm", learning_rate=0.1, beta1=0.5)
    assert isinstance(o, opt.Adam) and o.lr == 0.1 and o.beta1 == 0.5
    assert opt.Optimizer.create_optimizer("sgd").__class__ is opt.SGD
    assert opt.Optimizer.opt_registry["nag"] is opt.NAG
    assert opt.Optimizer.opt_registry["groupadagrad"] is opt.contrib.GroupAdaGrad
    assert opt.contrib.AdamW is opt.AdamW


def test_unknown_optimizer_lists_known_ones():
    with pytest.raises(ValueError, match="Cannot find optimizer 'adamm'.*adam, adamax") as e:
        opt.create("adamm")
    assert isinstance(e.value, MXNetError)


def test_register_custom_optimizer_and_override_warning():
    @opt.register
    class MyRule(opt.Optimizer):
        def update(self, index, weight, grad, state):
            weight[:] = weight - self._get_lr(index) * grad

    try:
        o = opt.create("myrule", learning_rate=0.5)
        w = mx.nd.ones((2,))
        opt.get_updater(o)(0, mx.nd.ones((2,)), w)
        np.testing.assert_allclose(w.asnumpy(), [0.5, 0.5])
        with pytest.warns(UserWarning, match="overriding"):
            opt.Optimizer.register(type("MyRule", (opt.Optimizer,), {}))
    finally:
        del opt.Optimizer.opt_registry["myrule"]


# ----------------------------------------------------------------------------- lr, wd, counts
def test_learning_rate_defaults_and_scheduler():
    assert opt.SGD().learning_rate == 0.01
    assert opt.Adam().learning_rate == 0.001
    assert opt.Ftrl().learning_rate == 0.1
    sched = lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=1.0)
    o = opt.SGD(lr_scheduler=sched)
    assert o.learning_rate == 1.0
    o.num_update = 3
    assert o.learning_rate == 0.25
    with pytest.raises(UserWarning, match="LRScheduler"):
        o.set_learning_rate(0.1)
    with pytest.warns(UserWarning, match="overwritten"):
        opt.SGD(learning_rate=0.3, lr_scheduler=lr_scheduler.FactorScheduler(step=1, base_lr=1.0))
    o = opt.SGD(learning_rate=0.2)
    o.set_learning_rate(0.7)
    assert o.learning_rate == 0.7


def test_wd_mult_naming_rule_and_multipliers():
    names = {0: "fc_weight", 1: "fc_bias", 2: "bn_gamma", 3: "bn_beta", 4: "emb"}
    o = opt.SGD(learning_rate=1.0, wd=0.1, param_idx2name=names)
    assert [o._get_wd(i) for i in range(5)] == [0.1, 0.0, 0.1, 0.0, 0.0]
    o.set_lr_mult({"fc_weight": 0.5, 2: 3.0})
    o.set_wd_mult({"fc_bias": 2.0})
    assert [o._get_lr(i) for i in range(3)] == [0.5, 1.0, 3.0]
    assert o._get_wd(1) == pytest.approx(0.2)
    assert o._get_wd(9) == 0.1  # unnamed index: the plain wd
    lars = opt.LARS(wd=0.1, param_idx2name=names)
    assert [lars._get_wd(i) for i in range(5)] == [0.1, 0.0, 0.0, 0.0, 0.0]
    with pytest.raises(TypeError):
        opt.SGD(param_idx2name=[1, 2])


def test_param_dict_multipliers_take_precedence():
    p = types.SimpleNamespace(lr_mult=0.1, wd_mult=0.0)
    o = opt.SGD(learning_rate=2.0, wd=0.5, param_dict={0: p})
    o.set_lr_mult({0: 5.0})
    assert o._get_lr(0) == pytest.approx(0.2) and o._get_wd(0) == 0.0
    assert "param_dict" not in o.__getstate__()


def test_update_counts_per_index_and_device():
    o = opt.SGD(begin_num_update=10)
    o._update_count(0)
    o._update_count([0, 1])
    assert o._index_update_count == {0: 12, 1: 11} and o.num_update == 12
    o._set_current_context(1)
    o._update_count(0)
    assert o._index_update_count == {0: 11} and o.num_update == 12
    o._set_current_context(0)
    assert o._index_update_count[0] == 12


# ----------------------------------------------------------------------------- multi precision
@pytest.mark.parametrize("name", ["sgd", "nag", "adam", "rmsprop", "lamb", "adamw"])
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_multi_precision_keeps_a_float32_master(name, dtype):
    kwargs = {"momentum": 0.9} if name in ("sgd", "nag") else {}
    o = opt.create(name, learning_rate=0.01, multi_precision=True, **kwargs)
    ref = opt.create(name, learning_rate=0.01, **kwargs)
    rng = np.random.RandomState(0)
    w0 = rng.standard_normal((5, 3)).astype(np.float32)
    w, w32 = mx.nd.array(w0).astype(dtype), mx.nd.array(w0).astype(dtype).astype("float32")
    up, up32 = opt.get_updater(o), opt.get_updater(ref)
    for _ in range(3):
        g = mx.nd.array(rng.standard_normal((5, 3)).astype(np.float32)).astype(dtype)
        up(0, g, w)
        up32(0, g.astype("float32"), w32)
    st = up.states[0]
    masters = [a for a in (st if isinstance(st, tuple) else ()) if isinstance(a, mx.nd.NDArray)
               and a.shape == (5, 3) and a.dtype == np.float32]
    assert w.dtype == np.dtype(dtype) if dtype == "float16" else w.as_torch().dtype == torch.bfloat16
    assert any(np.array_equal(m.asnumpy(), w32.asnumpy()) for m in masters), "the master copy follows float32"
    np.testing.assert_array_equal(w.astype("float32").asnumpy(), w32.astype(dtype).astype("float32").asnumpy())


def test_float16_without_multi_precision_warns():
    with pytest.warns(UserWarning, match="multi_precision"):
        opt.Adam().create_state_multi_precision(0, mx.nd.ones((2,), dtype="float16"))


# ----------------------------------------------------------------------------- fused path
@pytest.mark.parametrize("name,kwargs", [
    ("sgd", {"momentum": 0.9, "wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}),
    ("sgd", {"wd": 0.01}),
    ("nag", {"momentum": 0.9, "wd": 0.01, "clip_gradient": 0.3}),
    ("adam", {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}),
    ("adamw", {"wd": 0.01}),
    ("sgd", {"momentum": 0.9, "multi_precision": True, "wd": 0.01}),
    ("adam", {"multi_precision": True, "wd": 0.01}),
])
def test_update_multi_equals_single_updates(name, kwargs):
    """Fused updates of many weights, with mixed lr/wd multipliers, equal one-by-one updates bit for bit."""
    rng = np.random.RandomState(1)
    dtype = "float16" if kwargs.get("multi_precision") else "float32"
    shapes = [(4, 3), (7,), (2, 2, 2), (1,), (5, 5)]
    init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(3)]
    results = []
    for fused in (False, True):
        o = opt.create(name, learning_rate=0.1, **kwargs)
        o.set_lr_mult({1: 0.5, 3: 2.0})
        o.set_wd_mult({2: 0.0})
        ws = [mx.nd.array(a).astype(dtype) for a in init]
        states = [o.create_state_multi_precision(i, w) for i, w in enumerate(ws)]
        for step in grads:
            gs = [mx.nd.array(a).astype(dtype) for a in step]
            if fused:
                o.update_multi(list(range(len(ws))), ws, gs, states)
            else:
                for i, (w, g) in enumerate(zip(ws, gs)):
                    o.update_multi_precision(i, w, g, states[i])
        results.append([w.asnumpy() for w in ws])
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_updater_groups_by_dtype():
    o = opt.SGD(learning_rate=0.1, momentum=0.9)
    up = opt.get_updater(o)
    ws = [mx.nd.ones((2,)), mx.nd.ones((2,), dtype="float64"), mx.nd.ones((3,))]
    gs = [mx.nd.ones((2,)), mx.nd.ones((2,), dtype="float64"), mx.nd.ones((3,))]
    up([0, 1, 2], gs, ws)
    for w in ws:
        np.testing.assert_allclose(w.asnumpy(), 0.9)
    assert ws[1].dtype == np.float64 and set(up.states) == {0, 1, 2}


def test_updater_decodes_bytes_indices():
    up = opt.get_updater(opt.SGD())
    up(b"w", mx.nd.ones((1,)), mx.nd.ones((1,)))
    assert "w" in up.states


# ----------------------------------------------------------------------------- states
def _trained_updater(name, **kwargs):
    up = opt.get_updater(opt.create(name, **kwargs))
    rng = np.random.RandomState(2)
    ws = {0: mx.nd.array(rng.standard_normal((3, 2))), "b": mx.nd.array(rng.standard_normal((4,)))}
    for _ in range(2):
        for k, w in ws.items():
            up(k, mx.nd.array(rng.standard_normal(w.shape)), w)
    return up, ws


@pytest.mark.parametrize("name,kwargs", [
    ("sgd", {"momentum": 0.9}), ("sgd", {}), ("adam", {}), ("rmsprop", {"centered": True}), ("dcasgd", {}),
    ("nadam", {}), ("ftml", {}), ("lars", {"momentum": 0.9}),
])
def test_states_round_trip_exactly(name, kwargs):
    up, ws = _trained_updater(name, **kwargs)
    blob = up.get_states()
    assert isinstance(blob, bytes)
    other = opt.get_updater(opt.create(name, **kwargs))
    other.set_states(blob)
    assert set(other.states) == set(up.states)

    def same(a, b):
        if a is None or b is None:
            assert a is b
        elif isinstance(a, mx.nd.NDArray):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
        else:
            assert type(a) is type(b) and len(a) == len(b)
            for x, y in zip(a, b):
                same(x, y)

    for k in up.states:
        same(up.states[k], other.states[k])
    other.set_states(up.get_states(dump_optimizer=True))  # counts, m_schedule, ... too
    g = mx.nd.ones((4,))
    w1, w2 = ws["b"].copy(), ws["b"].copy()
    up("b", g, w1)
    other("b", g, w2)
    np.testing.assert_array_equal(w1.asnumpy(), w2.asnumpy())


def test_states_with_optimizer_and_scheduler_round_trip():
    sched = lr_scheduler.MultiFactorScheduler(step=[1, 3], factor=0.5, base_lr=0.1)
    up, ws = _trained_updater("adam", learning_rate=0.1, lr_scheduler=sched, wd=0.01, clip_gradient=float("inf"),
                              param_idx2name={0: "x_weight"}, multi_precision=True)
    up.optimizer.set_lr_mult({0: 0.5})
    blob = up.get_states(dump_optimizer=True)
    other = opt.get_updater(opt.SGD())
    other.set_states(blob)
    o, p = up.optimizer, other.optimizer
    assert type(p) is opt.Adam and p is not o
    state_o, state_p = o.__getstate__(), p.__getstate__()
    assert state_o.keys() == state_p.keys()
    for k in state_o:
        if k != "lr_scheduler":
            assert state_o[k] == state_p[k], k
    assert type(p.lr_scheduler) is lr_scheduler.MultiFactorScheduler
    assert vars(p.lr_scheduler) == vars(o.lr_scheduler)
    assert p.param_dict == {} and p.learning_rate == o.learning_rate
    w1, w2 = ws[0].copy(), ws[0].copy()
    up(0, mx.nd.ones((3, 2)), w1)
    other(0, mx.nd.ones((3, 2)), w2)
    np.testing.assert_array_equal(w1.asnumpy(), w2.asnumpy())


def test_states_are_synced_to_the_weight_context():
    up, ws = _trained_updater("sgd", momentum=0.9)
    other = opt.get_updater(opt.SGD(momentum=0.9))
    other.set_states(up.get_states())
    assert other.states_synced == {0: False, "b": False}
    other(0, mx.nd.ones((3, 2), ctx=mx.cpu(1)), mx.nd.ones((3, 2), ctx=mx.cpu(1)))
    assert other.states[0].context == mx.cpu(1) and other.states_synced[0]


def test_set_states_rejects_foreign_bytes():
    up = opt.get_updater(opt.SGD())
    with pytest.raises(FileFormatError):
        up.set_states(b"\x80\x04garbage")
    buf = mx.nd.ones((1,))
    import io
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "x.nd")
    mx.nd.save(path, {"w": buf})
    with open(path, "rb") as f, pytest.raises(FileFormatError, match="not gluonic optimizer states"):
        up.set_states(f.read())
    with pytest.raises(GluonicTypeError):
        up.set_states(io.BytesIO(b""))


def test_get_states_rejects_unsupported_attributes():
    up, _ = _trained_updater("sgd")
    up.optimizer.callback = lambda: None
    with pytest.raises(TypeError, match=r"optimizer\.callback"):
        up.get_states(dump_optimizer=True)
    up.get_states()  # without the optimizer: fine


def test_no_pickle_in_states():
    up, _ = _trained_updater("adam")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        blob = up.get_states(dump_optimizer=True)
    assert b"__gluonic_states__" in blob and b"\x80\x04" not in blob[:2]
