"""mx.init: name dispatch, registry/create/dumps, every initializer's values or statistics.

Golden values (dumps strings, Bilinear kernels, FusedRNN layouts, LSTMBias) come from
real MXNet 1.9.1; statistics are checked against the formulas with fixed seeds.
"""
import inspect
import itertools
import json
import logging
import math

import numpy as np
import pytest

import gluonic as mx
import gluonic.initializer as init
from gluonic.base import GluonicTypeError, GluonicValueError, MXNetError
from gluonic.initializer import _base

nd = mx.nd
D = init.InitDesc


def _fill(initializer, name, shape, dtype="float32"):
    arr = nd.zeros(shape, dtype=dtype)
    initializer(D(name), arr)
    return arr.asnumpy()


@pytest.fixture
def registry(monkeypatch):
    """A private copy of the registry, so tests that register classes leave no trace."""
    monkeypatch.setattr(_base, "_REGISTRY", dict(_base._REGISTRY))
    return _base._REGISTRY


# ----------------------------------------------------------------------------- API surface
MXNET_SIGNATURES = {
    "Uniform": "(scale=0.07)",
    "Normal": "(sigma=0.01)",
    "Zero": "()",
    "One": "()",
    "Constant": "(value)",
    "Xavier": "(rnd_type='uniform', factor_type='avg', magnitude=3)",
    "MSRAPrelu": "(factor_type='avg', slope=0.25)",
    "Orthogonal": "(scale=1.414, rand_type='uniform')",
    "Bilinear": "()",
    "LSTMBias": "(forget_bias=1.0)",
    "FusedRNN": "(init, num_hidden, num_layers, mode, bidirectional=False, forget_bias=1.0)",
    "Mixed": "(patterns, initializers)",
    "Load": "(param, default_init=None, verbose=False)",
    "InitDesc": "(name, attrs=None, global_init=None)",
}


@pytest.mark.parametrize("cls", sorted(MXNET_SIGNATURES))
def test_signatures_match_mxnet(cls):
    sig = inspect.signature(getattr(init, cls))
    plain = sig.replace(parameters=[p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()])
    assert str(plain) == MXNET_SIGNATURES[cls]


def test_registered_names_match_mxnet():
    mxnet_names = {"bilinear": init.Bilinear, "constant": init.Constant, "fusedrnn": init.FusedRNN,
                   "lstmbias": init.LSTMBias, "msraprelu": init.MSRAPrelu, "normal": init.Normal, "one": init.One,
                   "ones": init.One, "orthogonal": init.Orthogonal, "uniform": init.Uniform, "xavier": init.Xavier,
                   "zero": init.Zero, "zeros": init.Zero}
    for name, cls in mxnet_names.items():
        assert _base._REGISTRY[name] is cls
    assert "mixed" not in _base._REGISTRY and "load" not in _base._REGISTRY  # not registered in MXNet either


DUMPS_GOLDEN = [  # (gluonic initializer, MXNet 1.9.1's dumps())
    (init.Uniform(), '["uniform", {"scale": 0.07}]'),
    (init.Normal(0.5), '["normal", {"sigma": 0.5}]'),
    (init.Zero(), '["zero", {}]'),
    (init.One(), '["one", {}]'),
    (init.Constant(2.5), '["constant", {"value": 2.5}]'),
    (init.Xavier(factor_type="in", magnitude=2.34),
     '["xavier", {"rnd_type": "uniform", "factor_type": "in", "magnitude": 2.34}]'),
    (init.MSRAPrelu("out", 0.1), '["msraprelu", {"factor_type": "out", "slope": 0.1}]'),
    (init.Orthogonal(rand_type="normal"), '["orthogonal", {"scale": 1.414, "rand_type": "normal"}]'),
    (init.Bilinear(), '["bilinear", {}]'),
    (init.LSTMBias(0.5), '["lstmbias", {"forget_bias": 0.5}]'),
    (init.FusedRNN(init.Xavier(), 4, 2, "gru", True),
     '["fusedrnn", {"init": "[\\"xavier\\", {\\"rnd_type\\": \\"uniform\\", \\"factor_type\\": \\"avg\\", '
     '\\"magnitude\\": 3}]", "num_hidden": 4, "num_layers": 2, "mode": "gru", "bidirectional": true, '
     '"forget_bias": 1.0}]'),
    (init.FusedRNN(None, 4, 1, "lstm"),
     '["fusedrnn", {"init": null, "num_hidden": 4, "num_layers": 1, "mode": "lstm", "bidirectional": false, '
     '"forget_bias": 1.0}]'),
    (init.Constant(nd.array([[1, 2]])), '["constant", {"value": [[1.0, 2.0]]}]'),
]


@pytest.mark.parametrize("initializer,expected", DUMPS_GOLDEN, ids=[e for _, e in DUMPS_GOLDEN])
def test_dumps_matches_mxnet_and_round_trips(initializer, expected):
    assert initializer.dumps() == expected
    again = init.create(expected)
    assert type(again) is type(initializer) and again.dumps() == expected


def test_create_forms():
    assert init.create("Xavier", "gaussian").dumps() == \
        '["xavier", {"rnd_type": "gaussian", "factor_type": "avg", "magnitude": 3}]'
    assert init.create(initializer="Xavier", magnitude=2).magnitude == 2.0
    assert init.create({"initializer": "normal", "sigma": 2}).sigma == 2
    assert init.create('{"initializer": "normal", "sigma": 2}').sigma == 2
    assert init.create('["Normal", {"sigma": 2}]').sigma == 2
    assert isinstance(init.create("ZEROS"), init.Zero) and isinstance(init.create("ones"), init.One)
    x = init.Xavier()
    assert init.create(x) is x
    with pytest.raises(GluonicValueError, match="already an instance"):
        init.create(x, magnitude=2)
    with pytest.raises(GluonicValueError, match=r"'nope' is not registered.*Registered: bilinear, constant.*Received"):
        init.create("nope")
    with pytest.raises(GluonicTypeError, match="Received: int 3"):
        init.create(3)


def test_register_and_alias(registry):
    @init.register
    @init.alias("halfs", "HALVES_ALIAS")
    class Halves(init.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = 0.5

    for name in ("halves", "halfs", "halves_alias", "Halves"):
        assert isinstance(init.create(name), Halves)
    assert (_fill(init.create("halfs"), "fc_weight", (2,)) == 0.5).all()
    assert init.create("halves").dumps() == '["halves", {}]'
    with pytest.warns(UserWarning, match="overriding existing initializer"):
        init.alias("halves")(init.Zero)
    with pytest.raises(GluonicTypeError, match="subclasses of mx.init.Initializer"):
        init.register(dict)


def test_equality_and_repr():
    assert init.Xavier() == init.Xavier("uniform", "avg", 3)
    assert init.Xavier() != init.Xavier("gaussian")
    assert init.Uniform(0.1) != init.Normal(0.1)
    with pytest.raises(TypeError):
        hash(init.Uniform())  # unhashable, as in MXNet (equality is by value)
    assert repr(init.Xavier(magnitude=2)) == "Xavier(rnd_type='uniform', factor_type='avg', magnitude=2)"
    d = D("conv0_weight")
    assert isinstance(d, str) and d == "conv0_weight" and d.attrs == {} and d.global_init is None


# ----------------------------------------------------------------------------- dispatch on names
@pytest.mark.parametrize("name,expected", [
    ("fc_bias", 0.0), ("bn_gamma", 1.0), ("bn_beta", 0.0), ("q_min", 0.0), ("q_max", 1.0),
    ("bn_moving_mean", 0.0), ("bn_running_mean", 0.0), ("bn_moving_var", 1.0), ("bn_running_var", 1.0),
    ("bn_moving_inv_var", 0.0), ("x_moving_avg", 0.0), ("fc_bias_quantize", 0.0),
])
def test_name_dispatch_constants(name, expected):
    arr = nd.full((2, 3), 7.0)
    init.Uniform()(D(name), arr)
    np.testing.assert_array_equal(arr.asnumpy(), np.full((2, 3), expected, np.float32))


def test_name_dispatch_weight_and_unknown():
    w = _fill(init.Uniform(0.5), "fc_weight", (50,))
    assert np.abs(w).max() <= 0.5 and len(np.unique(w)) == 50
    q = nd.zeros((100,), dtype="int8")
    init.Uniform()(D("fc_weight_quantize"), q)
    assert q.dtype == np.int8 and -127 <= q.asnumpy().min() < 0 < q.asnumpy().max() < 127
    with pytest.raises(GluonicValueError, match=r"Unknown initialization pattern for foo\. .*Received: parameter "
                                                r"name 'foo'") as e:
        init.Uniform()(D("foo"), nd.zeros((2,)))
    assert isinstance(e.value, ValueError) and isinstance(e.value, MXNetError)
    with pytest.raises(NotImplementedError, match="must override _init_weight"):
        init.Initializer()(D("fc_weight"), nd.zeros((2,)))


@pytest.mark.parametrize("own", ["ones", '["constant", {"value": 3}]', init.Constant(3.0)])
def test_own_init_attr_takes_precedence(own):
    arr = nd.zeros((2, 2))
    d = D("bn_running_mean", {"__init__": own})
    glob = init.Uniform()
    glob(d, arr)
    assert d.global_init is glob
    expected = 1.0 if own == "ones" else 3.0
    np.testing.assert_array_equal(arr.asnumpy(), np.full((2, 2), expected, np.float32))


def test_own_init_lstmbias_matches_mxnet():
    arr = nd.zeros((12,))
    init.Xavier()(D("x_bias", {"__init__": init.LSTMBias(2.5).dumps()}), arr)
    np.testing.assert_array_equal(arr.asnumpy(), [0, 0, 0, 2.5, 2.5, 2.5, 0, 0, 0, 0, 0, 0])


def test_legacy_string_names():
    with pytest.warns(DeprecationWarning, match="deprecated"):
        a = nd.zeros((6,))
        init.Uniform()("stn_loc_bias", a)
    np.testing.assert_array_equal(a.asnumpy(), [1, 0, 0, 0, 1, 0])  # MXNet's values
    with pytest.warns(DeprecationWarning):
        a = nd.zeros((1, 1, 2, 2))
        init.Uniform()("upsampling0_weight", a)
        b = nd.ones((2,))
        init.Uniform()("bn_moving_mean", b)
        c = nd.zeros((2,))
        init.Uniform()("bn_moving_var", c)
    np.testing.assert_array_equal(a.asnumpy().ravel(), [1, 0, 0, 0])
    assert b.asnumpy().tolist() == [0, 0] and c.asnumpy().tolist() == [1, 1]
    with pytest.warns(DeprecationWarning), pytest.raises(GluonicTypeError, match="arr must be an NDArray"):
        init.Uniform()("w_weight", np.zeros(2))


def test_fills_in_place_even_with_grad_attached():
    w = nd.zeros((3, 4))
    w.attach_grad()
    t = w.as_torch()
    with mx.autograd.record():
        init.One()(D("w_weight"), w)
    assert w.as_torch() is t and (w.asnumpy() == 1).all()


# ----------------------------------------------------------------------------- deterministic initializers
def test_zero_one_constant():
    assert (_fill(init.Zero(), "w_weight", (2, 3)) == 0).all()
    assert (_fill(init.One(), "w_weight", (2, 3), "int32") == 1).all()
    np.testing.assert_array_equal(_fill(init.Constant(-1.5), "w_weight", (2,), "float64"), [-1.5, -1.5])
    np.testing.assert_array_equal(_fill(init.Constant(nd.array([1, 2, 3])), "w_weight", (2, 3)), [[1, 2, 3]] * 2)
    np.testing.assert_array_equal(_fill(init.Constant(np.eye(2)), "w_weight", (2, 2)), np.eye(2))
    with pytest.raises(GluonicValueError, match=r"value of shape \(3,\) cannot fill parameter 'w_weight'"):
        _fill(init.Constant(nd.array([1, 2, 3])), "w_weight", (2, 2))


BILINEAR_1x2x3x5 = [  # MXNet 1.9.1: Bilinear() on shape (1, 2, 3, 5), one channel (both are equal)
    [1 / 9, 2 / 9, 3 / 9, 2 / 9, 1 / 9],
    [2 / 9, 4 / 9, 6 / 9, 4 / 9, 2 / 9],
    [3 / 9, 6 / 9, 1.0, 6 / 9, 3 / 9],
]
BILINEAR_4x4 = [[0.0625, 0.1875, 0.1875, 0.0625], [0.1875, 0.5625, 0.5625, 0.1875],
                [0.1875, 0.5625, 0.5625, 0.1875], [0.0625, 0.1875, 0.1875, 0.0625]]


def _bilinear_reference(shape):
    f = math.ceil(shape[3] / 2)
    c = (2 * f - 1 - f % 2) / (2 * f)
    out = np.zeros(shape, np.float32)
    for idx in np.ndindex(*shape):
        y, x = idx[2], idx[3]
        out[idx] = (1 - abs(x / f - c)) * (1 - abs(y / f - c))
    return out


def test_bilinear_matches_mxnet():
    np.testing.assert_allclose(_fill(init.Bilinear(), "up_weight", (1, 2, 3, 5)), [[BILINEAR_1x2x3x5] * 2], rtol=1e-6)
    np.testing.assert_allclose(_fill(init.Bilinear(), "up_weight", (2, 1, 4, 4)), [[BILINEAR_4x4]] * 2, rtol=1e-6)
    for shape in [(3, 2, 6, 6), (1, 1, 5, 3), (2, 2, 1, 1)]:
        np.testing.assert_allclose(_fill(init.Bilinear(), "up_weight", shape), _bilinear_reference(shape), rtol=1e-6)
    with pytest.raises(GluonicValueError, match="4 dimensions"):
        _fill(init.Bilinear(), "up_weight", (4, 4))


def test_lstm_bias():
    np.testing.assert_array_equal(_fill(init.LSTMBias(), "x_weight", (8,)), [0, 0, 1, 1, 0, 0, 0, 0])


# ----------------------------------------------------------------------------- random initializers
def _moments_close(x, mean, std):
    """Sample mean and std within 5 standard errors (std's error bounded by the uniform's kurtosis)."""
    x = np.asarray(x, np.float64).ravel()
    tol = 5 * std / math.sqrt(x.size)
    assert abs(x.mean() - mean) <= tol, (x.mean(), mean)
    assert abs(x.std() - std) <= tol, (x.std(), std)


def test_uniform_and_normal_statistics():
    u = _fill(init.Uniform(0.3), "w_weight", (200, 250))
    assert np.abs(u).max() <= 0.3 and np.abs(u).max() > 0.299
    _moments_close(u, 0.0, 0.3 / math.sqrt(3))
    _moments_close(_fill(init.Uniform(), "w_weight", (200, 250)), 0.0, 0.07 / math.sqrt(3))
    _moments_close(_fill(init.Normal(2.0), "w_weight", (200, 250)), 0.0, 2.0)
    _moments_close(_fill(init.Normal(), "w_weight", (200, 250), "float64"), 0.0, 0.01)


def test_same_stream_as_nd_random_and_reproducible():
    mx.random.seed(3)
    a = _fill(init.Uniform(0.5), "w_weight", (4, 5))
    mx.random.seed(3)
    np.testing.assert_allclose(a, nd.random.uniform(-0.5, 0.5, shape=(4, 5)).asnumpy(), rtol=1e-6, atol=1e-7)
    mx.random.seed(3)
    b = _fill(init.Normal(2.0), "w_weight", (4, 5))
    mx.random.seed(3)
    np.testing.assert_allclose(b, nd.random.normal(0, 2.0, shape=(4, 5)).asnumpy(), rtol=1e-6)
    for make in (init.Xavier, init.MSRAPrelu, init.Orthogonal):
        mx.random.seed(11)
        first = _fill(make(), "w_weight", (6, 4))
        mx.random.seed(11)
        np.testing.assert_array_equal(first, _fill(make(), "w_weight", (6, 4)))
        assert not np.array_equal(first, _fill(make(), "w_weight", (6, 4)))


def test_random_dtypes():
    mx.random.seed(5)
    f32 = _fill(init.Uniform(3), "w_weight", (2, 3))
    mx.random.seed(5)
    f16 = _fill(init.Uniform(3), "w_weight", (2, 3), "float16")
    np.testing.assert_array_equal(f16, f32.astype(np.float16))  # float32 draws, rounded
    assert _fill(init.Normal(), "w_weight", (2,), "float64").dtype == np.float64
    with pytest.raises(GluonicTypeError, match=r"floating-point dtype.*Received: dtype int32"):
        _fill(init.Uniform(), "w_weight", (2,), "int32")


def _fans(shape):
    hw = int(np.prod(shape[2:]))
    return shape[1] * hw, shape[0] * hw


@pytest.mark.parametrize("shape", [(300, 200), (64, 32, 3, 3), (16, 8, 2, 3, 4)])
@pytest.mark.parametrize("factor_type", ["avg", "in", "out"])
def test_xavier_scale(shape, factor_type):
    fan_in, fan_out = _fans(shape)
    factor = {"avg": (fan_in + fan_out) / 2, "in": fan_in, "out": fan_out}[factor_type]
    scale = math.sqrt(2.5 / factor)
    u = _fill(init.Xavier("uniform", factor_type, 2.5), "w_weight", shape)
    assert np.abs(u).max() <= scale * (1 + 1e-6) and np.abs(u).max() > 0.99 * scale
    _moments_close(u, 0.0, scale / math.sqrt(3))
    _moments_close(_fill(init.Xavier("gaussian", factor_type, 2.5), "w_weight", shape), 0.0, scale)


@pytest.mark.parametrize("slope", [0.25, 0.0])
def test_msra_prelu_scale(slope):
    shape = (64, 32, 3, 3)
    fan_in, fan_out = _fans(shape)
    std = math.sqrt(2.0 / (1 + slope**2) / fan_in)
    _moments_close(_fill(init.MSRAPrelu("in", slope), "conv_weight", shape), 0.0, std)
    _moments_close(_fill(init.MSRAPrelu(), "conv_weight", shape), 0.0,
                   math.sqrt(2.0 / (1 + 0.25**2) / ((fan_in + fan_out) / 2)))


def test_xavier_errors():
    with pytest.raises(GluonicValueError, match="cannot be applied to vector fc_weight. It requires at least 2D"):
        _fill(init.Xavier(), "fc_weight", (3,))
    with pytest.raises(GluonicValueError, match="rnd_type must be 'uniform' or 'gaussian'. Received: 'normal'"):
        init.Xavier(rnd_type="normal")
    with pytest.raises(GluonicValueError, match="factor_type"):
        init.MSRAPrelu(factor_type="fan")
    assert _fill(init.Xavier(), "w_weight", (0, 3)).shape == (0, 3)


@pytest.mark.parametrize("shape", [(4, 9), (9, 4), (5, 5), (6, 2, 3, 3), (3, 1)])
@pytest.mark.parametrize("rand_type", ["uniform", "normal"])
def test_orthogonal(shape, rand_type):
    w = _fill(init.Orthogonal(scale=2.0, rand_type=rand_type), "w_weight", shape).reshape(shape[0], -1)
    w = w.astype(np.float64) / 2.0
    gram = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w  # orthonormal rows (wide) or columns (tall)
    np.testing.assert_allclose(gram, np.eye(min(w.shape)), atol=1e-5)
    with pytest.raises(GluonicValueError, match="rand_type"):
        init.Orthogonal(rand_type="gaussian")


# ----------------------------------------------------------------------------- FusedRNN
class _Counter(init.Initializer):
    """Weights get 1, 2, 3, ... and biases -k, in call order (to see the layout)."""

    def __init__(self):
        super().__init__()
        self.k = 0

    def _init_weight(self, _, arr):
        self.k += 1
        arr[:] = self.k

    def _init_bias(self, _, arr):
        self.k += 1
        arr[:] = -self.k


def _rle(a):
    return [(float(v), len(list(g))) for v, g in itertools.groupby(a.ravel().tolist())]


def _lstm_golden():
    # MXNet 1.9.1: h=2, 2 layers, bidirectional, input 3, forget_bias=7
    weights = [(float(k), 6) for k in range(1, 5)] + [(float(k), 4) for k in range(5, 9)]
    weights += [(float(k), 6) for k in range(9, 13)] + [(float(k), 4) for k in range(13, 17)]
    for base in (17, 25):
        weights += [(float(k), 8) for k in range(base, base + 4)] + [(float(k), 4) for k in range(base + 4, base + 8)]
    biases, k = [], 33
    for _ in range(8):  # layer x direction x (i2h, h2h): gates i, f (forget_bias), c, o
        biases += [(-float(k), 2), (7.0, 2), (-float(k + 1), 2), (-float(k + 2), 2)]
        k += 3
    return weights + biases


FUSED_GOLDEN = [
    (("lstm", 2, 2, True, 3), _lstm_golden()),
    (("gru", 3, 1, False, 2), [(1.0, 6), (2.0, 6), (3.0, 6), (4.0, 9), (5.0, 9), (6.0, 9), (-7.0, 3), (-8.0, 3),
                               (-9.0, 3), (-10.0, 3), (-11.0, 3), (-12.0, 3)]),
    (("rnn_tanh", 2, 2, False, 1), [(1.0, 2), (2.0, 4), (3.0, 4), (4.0, 4), (-5.0, 2), (-6.0, 2), (-7.0, 2),
                                    (-8.0, 2)]),
]


@pytest.mark.parametrize("config,golden", FUSED_GOLDEN, ids=[c[0][0] for c in FUSED_GOLDEN])
def test_fused_rnn_layout_matches_mxnet(config, golden):
    mode, h, layers, bi, n_in = config
    b, m = (2 if bi else 1), {"lstm": 4, "gru": 3}.get(mode, 1)
    total = (n_in + h + 2) * h * m * b + (layers - 1) * m * h * (h + b * h + 2) * b
    arr = nd.zeros((total,))
    fused = init.FusedRNN(_Counter(), h, layers, mode, bi, forget_bias=7.0)
    init.Zero()(D("lstm_parameters", {"__init__": fused}), arr)
    assert _rle(arr.asnumpy()) == golden


def test_fused_rnn_global_init_and_errors():
    arr = nd.zeros((4 * 2 * (3 + 2 + 2),))
    glob = init.One()
    glob(D("rnn_parameters", {"__init__": init.FusedRNN(None, 2, 1, "lstm", forget_bias=3.0).dumps()}), arr)
    a = arr.asnumpy()
    assert (a[:40] == 1).all() and a[40:].tolist() == [0, 0, 3, 3, 0, 0, 0, 0] * 2
    with pytest.raises(GluonicValueError, match="fits no input size"):
        init.Zero()(D("p", {"__init__": init.FusedRNN("one", 2, 1, "lstm")}), nd.zeros((7,)))
    with pytest.raises(GluonicValueError, match="mode must be one of"):
        init.FusedRNN(None, 2, 1, "LSTM")


# ----------------------------------------------------------------------------- Mixed, Load
def test_mixed():
    mixed = init.Mixed(["dense", ".*conv", ".*"], [init.One(), "zeros", init.Constant(5)])
    # The first pattern matching (re.match) wins; the chosen initializer then dispatches on the name.
    for name, expected in [("dense0_weight", 1.0), ("net_conv0_weight", 0.0), ("fc_weight", 5.0), ("fc_bias", 0.0),
                           ("bn_gamma", 1.0), ("x_dense_weight", 5.0)]:
        arr = nd.full((2,), 9.0)
        mixed(D(name), arr)
        assert arr.asnumpy().tolist() == [expected] * 2, name
    assert init.create(mixed) is mixed
    with pytest.raises(GluonicValueError, match=r"'fc_weight' did not match any pattern.*Received: patterns"):
        init.Mixed(["bias"], [init.Zero()])(D("fc_weight"), nd.zeros((2,)))
    with pytest.raises(GluonicValueError, match="same length"):
        init.Mixed(["a", "b"], [init.Zero()])
    with pytest.raises(GluonicTypeError, match="cannot be serialized"):
        mixed.dumps()


def test_load(tmp_path):
    params = {"arg:fc_weight": nd.array([[1, 2], [3, 4]]), "aux:bn_moving_var": nd.array([5, 6]), "b_bias": nd.ones(3)}
    fname = str(tmp_path / "p.params")
    nd.save(fname, params)
    for source in (params, fname):
        loader = init.Load(source, default_init=init.Constant(9))
        assert sorted(loader.param) == ["b_bias", "bn_moving_var", "fc_weight"]
        w, v, other = nd.zeros((2, 2)), nd.zeros((2,)), nd.zeros((2,))
        loader(D("fc_weight"), w)
        loader(D("bn_moving_var"), v)
        loader(D("other_weight"), other)
        assert w.asnumpy().tolist() == [[1, 2], [3, 4]] and v.asnumpy().tolist() == [5, 6]
        assert other.asnumpy().tolist() == [9, 9]
    with pytest.raises(GluonicValueError, match=r"Shape mismatch, target \(3, 3\) vs loaded \(2, 2\)"):
        loader(D("fc_weight"), nd.zeros((3, 3)))
    with pytest.raises(GluonicValueError, match=r"Cannot initialize x_weight.*Received: loaded names \[b_bias"):
        init.Load(params)(D("x_weight"), nd.zeros((2,)))
    with pytest.raises(GluonicTypeError, match="Received: list"):
        init.Load([nd.ones(2)])


def test_verbose_logging(caplog):
    caplog.set_level(logging.INFO)
    init.One().set_verbosity(True)(D("fc_weight"), nd.ones((4,)))
    assert "Initialized fc_weight as weight: 1.0" in caplog.text
    init.Zero().set_verbosity(True, print_func=lambda a: "custom")(D("fc_bias"), nd.ones((4,)))
    assert "Initialized fc_bias as bias: custom" in caplog.text
    init.Load({"w": nd.ones(2)}, verbose=True)(D("w"), nd.zeros((2,)))
    assert "Initialized w by loading" in caplog.text
    assert json.loads(init.Uniform().set_verbosity(True).dumps()) == ["uniform", {"scale": 0.07}]
