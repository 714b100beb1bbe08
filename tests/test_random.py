"""mx.random: seeding and per-context generators, the random ops, the nd.random samplers."""
import inspect

import numpy as np
import pytest
import scipy.stats as st
import torch

import gluonic as mx
import gluonic.random as mxrandom
from gluonic.ops import registry
from gluonic.ops.infer import infer
from tests.ops.harness import check_op, check_op_error

nd = mx.nd
N = 100_000


def _np(x):
    return x.asnumpy()


def _close_moments(x, mean, var, rtol=0.03):
    """Sample mean and variance within ``rtol`` (relative to the std for the mean)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    assert abs(x.mean() - mean) <= rtol * max(np.sqrt(var), 1e-12) * 2, (x.mean(), mean)
    assert abs(x.var() - var) <= rtol * 2 * var, (x.var(), var)


# ----------------------------------------------------------------------------- seeding, generators
def _draws():
    """One draw of every sampler, as NumPy arrays."""
    p = nd.array([[0.2, 0.3, 0.5]])
    return [
        _np(nd.random.uniform(shape=5)),
        _np(nd.random.normal(shape=5)),
        _np(nd.random.gamma(2, 1, shape=5)),
        _np(nd.random.exponential(2, shape=5)),
        _np(nd.random.poisson(3, shape=5)),
        _np(nd.random.negative_binomial(3, 0.4, shape=5)),
        _np(nd.random.generalized_negative_binomial(3, 0.4, shape=5)),
        _np(nd.random.randint(0, 1000, shape=5)),
        _np(nd.random.multinomial(p, shape=5)),
        _np(nd.random.shuffle(nd.array(np.arange(10)))),
        _np(nd.random.normal(nd.array([0.0, 1.0]), nd.array([1.0, 2.0]), shape=3)),
        _np(nd.random.uniform_like(nd.zeros((2, 3)))),
    ]


def test_same_seed_same_numbers():
    mx.random.seed(123)
    a = _draws()
    mx.random.seed(123)
    b = _draws()
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    mx.random.seed(124)
    c = _draws()
    assert not np.array_equal(a[0], c[0]) and not np.array_equal(a[1], c[1])


def test_consecutive_draws_differ():
    mx.random.seed(0)
    assert not np.array_equal(_np(nd.random.uniform(shape=10)), _np(nd.random.uniform(shape=10)))


def test_generator_per_context():
    g0, g1 = mxrandom.generator(mx.cpu(0)), mxrandom.generator(mx.cpu(1))
    assert g0 is not g1
    assert mxrandom.generator(mx.cpu(0)) is g0
    assert mxrandom.generator("cpu(1)") is g1
    assert mxrandom.generator(mx.cpu_pinned(0)) is g0  # same device, same generator
    with mx.cpu(1):
        assert mxrandom.generator() is g1
        assert mxrandom.generator(torch.device("cpu")) is g1  # the current context when on that device
    assert mxrandom.generator(torch.device("cpu")) is g0


def test_seed_all_gives_each_device_its_own_stream():
    mx.random.seed(7)
    a = _np(nd.random.uniform(shape=6, ctx=mx.cpu(0)))
    b = _np(nd.random.uniform(shape=6, ctx=mx.cpu(1)))
    assert not np.array_equal(a, b)
    mx.random.seed(7)
    np.testing.assert_array_equal(_np(nd.random.uniform(shape=6, ctx=mx.cpu(1))), b)
    np.testing.assert_array_equal(_np(nd.random.uniform(shape=6, ctx=mx.cpu(0))), a)


def test_seed_one_context():
    # Seeding with ctx gives that context the stream of the seed itself, whatever the device id.
    mx.random.seed(5, ctx=mx.cpu(0))
    a = _np(nd.random.normal(shape=6, ctx=mx.cpu(0)))
    mx.random.seed(5, ctx=mx.cpu(3))
    b = _np(nd.random.normal(shape=6, ctx=mx.cpu(3)))
    np.testing.assert_array_equal(a, b)
    # ... and leaves the other contexts alone.
    mx.random.seed(9)
    first = _np(nd.random.uniform(shape=4))
    mx.random.seed(9)
    mx.random.seed(1, ctx=mx.cpu(2))
    np.testing.assert_array_equal(_np(nd.random.uniform(shape=4)), first)
    # seed(s) equals seed(s, ctx=cpu(0)) on cpu(0)
    mx.random.seed(11)
    c = _np(nd.random.uniform(shape=4))
    mx.random.seed(11, ctx="cpu(0)")
    np.testing.assert_array_equal(_np(nd.random.uniform(shape=4)), c)


def test_sample_ops_use_generator_of_current_cpu_context():
    x = nd.array([0.0, 1.0], ctx=mx.cpu(1))
    mx.random.seed(3, ctx=mx.cpu(1))
    with mx.cpu(1):
        a = _np(nd.random.normal(x, x + 1, shape=3))
    mx.random.seed(3, ctx=mx.cpu(1))
    with mx.cpu(1):
        b = _np(nd.random.normal(x, x + 1, shape=3))
    np.testing.assert_array_equal(a, b)


def test_seed_also_seeds_torch():
    mx.random.seed(42)
    a = torch.rand(3)
    mx.random.seed(42)
    assert torch.equal(torch.rand(3), a)


def test_seed_large_and_negative():
    for s in (-1, 2**40, 2**64 + 5):
        mx.random.seed(s)
        a = _np(nd.random.uniform(shape=3))
        mx.random.seed(s)
        np.testing.assert_array_equal(_np(nd.random.uniform(shape=3)), a)


@pytest.mark.parametrize("bad", [1.5, "1", None, True])
def test_seed_rejects_non_integers(bad):
    with pytest.raises(ValueError, match="seed_state must be int"):
        mx.random.seed(bad)
    with pytest.raises(mx.MXNetError):
        mx.random.seed(bad)


def test_module_reexports():
    for name in ("uniform", "normal", "randn", "randint", "exponential", "gamma", "poisson",
                 "negative_binomial", "generalized_negative_binomial", "multinomial", "shuffle"):
        assert getattr(mx.random, name) is getattr(nd.random, name)
        assert name in dir(mx.random) and name in mxrandom.__all__
    assert mx.random.uniform(shape=(2,)).shape == (2,)
    with pytest.raises(AttributeError):
        mx.random.no_such_sampler  # noqa: B018


@pytest.mark.gpu
def test_gpu_generators_and_reproducibility():
    g = mxrandom.generator(mx.gpu(0))
    assert g.device.type == "cuda"
    mx.random.seed(8)
    a = nd.random.normal(shape=(4,), ctx=mx.gpu(0))
    assert a.context == mx.gpu(0)
    mx.random.seed(8)
    np.testing.assert_array_equal(_np(nd.random.normal(shape=(4,), ctx=mx.gpu(0))), _np(a))
    x = nd.array([1.0, 2.0], ctx=mx.gpu(0))
    assert nd.random.poisson(x, shape=3).context == mx.gpu(0)
    assert nd.random.multinomial(nd.array([[0.5, 0.5]], ctx=mx.gpu(0))).context == mx.gpu(0)


# ----------------------------------------------------------------------------- op registrations
def test_op_names_aliases_and_attr_order():
    expect = {
        "_random_uniform": ["low", "high", "shape", "ctx", "dtype"],
        "_random_normal": ["loc", "scale", "shape", "ctx", "dtype"],
        "_random_gamma": ["alpha", "beta", "shape", "ctx", "dtype"],
        "_random_exponential": ["lam", "shape", "ctx", "dtype"],
        "_random_poisson": ["lam", "shape", "ctx", "dtype"],
        "_random_negative_binomial": ["k", "p", "shape", "ctx", "dtype"],
        "_random_generalized_negative_binomial": ["mu", "alpha", "shape", "ctx", "dtype"],
        "_random_randint": ["low", "high", "shape", "ctx", "dtype"],
        "_sample_uniform": ["low", "high", "shape", "dtype"],
        "_sample_normal": ["mu", "sigma", "shape", "dtype"],
        "_sample_gamma": ["alpha", "beta", "shape", "dtype"],
        "_sample_exponential": ["lam", "shape", "dtype"],
        "_sample_poisson": ["lam", "shape", "dtype"],
        "_sample_negative_binomial": ["k", "p", "shape", "dtype"],
        "_sample_generalized_negative_binomial": ["mu", "alpha", "shape", "dtype"],
        "_sample_multinomial": ["data", "shape", "get_prob", "dtype"],
        "_shuffle": ["data"],
        "_random_uniform_like": ["data", "low", "high"],
        "_random_normal_like": ["data", "loc", "scale"],
        "_random_gamma_like": ["data", "alpha", "beta"],
        "_random_exponential_like": ["data", "lam"],
        "_random_poisson_like": ["data", "lam"],
        "_random_negative_binomial_like": ["data", "k", "p"],
        "_random_generalized_negative_binomial_like": ["data", "mu", "alpha"],
    }
    for name, params in expect.items():
        sig = inspect.signature(getattr(nd._internal, name))
        assert [p for p in sig.parameters if p not in ("out", "name")] == params, name
    for alias, name in [("uniform", "_random_uniform"), ("random_uniform", "_random_uniform"),
                        ("normal", "_random_normal"), ("random_randint", "_random_randint"),
                        ("sample_normal", "_sample_normal"), ("sample_multinomial", "_sample_multinomial"),
                        ("shuffle", "_shuffle"), ("random_poisson", "_random_poisson")]:
        assert registry.get(alias) is registry.get(name)
    assert nd.random_uniform(0, 1, (2, 3)).shape == (2, 3)  # attributes positionally, MXNet's order
    assert nd.sample_normal(nd.zeros(2), nd.ones(2), (3,)).shape == (2, 3)
    assert nd.shuffle(nd.zeros(3)).shape == (3,)


def test_attrs_parse_mxnet_strings():
    op = registry.get("_random_uniform")
    a = op.parse_attrs({"low": "-1", "high": "2.5", "shape": "(2, 3)", "ctx": "cpu(1)", "dtype": "float64"})
    out = nd.random_uniform(low="-1", high="2.5", shape="(2, 3)", ctx="cpu(1)", dtype="float64")
    assert (a.low, a.high, a.shape) == (-1.0, 2.5, (2, 3))
    assert out.shape == (2, 3) and out.dtype == np.float64 and out.context == mx.cpu(1)
    assert registry.get("_random_randint").parse_attrs({"low": "0", "high": "5", "shape": "4"}).shape == (4,)


def test_deterministic_cases_with_harness():
    check_op("_random_uniform", [], lambda: np.full((2, 3), 2.0, np.float32),
             {"low": 2, "high": 2, "shape": (2, 3)}, grad=False)
    check_op("_random_poisson", [], lambda: np.zeros((4,), np.float64),
             {"lam": 0, "shape": 4, "dtype": "float64"}, grad=False)
    check_op("_random_negative_binomial", [], lambda: np.zeros((3,), np.float32), {"k": 2, "p": 1.0, "shape": 3},
             grad=False)
    check_op("_random_randint", [], lambda: np.full((2, 2), 7, np.int64),
             {"low": 7, "high": 8, "shape": (2, 2), "dtype": "int64"}, grad=False)
    lo = np.array([1.0, -2.0], np.float64)
    check_op("_sample_uniform", [lo, lo.copy()], lambda a, b: np.repeat(a[:, None], 3, 1).astype(np.float32),
             {"shape": (3,)}, grad=False)
    check_op("_sample_poisson", [np.zeros((2, 2), np.float32)], lambda a: np.zeros((2, 2, 5), np.float16),
             {"shape": 5, "dtype": "float16"}, grad=False)
    check_op("_random_uniform_like", [np.zeros((2, 3), np.float64)], lambda d: np.full((2, 3), 4.0),
             {"low": 4, "high": 4}, grad=False)
    one_hot = np.array([[0, 1, 0], [0, 0, 1.0]], np.float32)
    check_op("_sample_multinomial", [one_hot], lambda p: (np.array([[1, 1], [2, 2]], np.int32),
                                                          np.zeros((2, 2), np.float32)),
             {"shape": 2, "get_prob": True}, grad=False)
    check_op("_sample_multinomial", [np.array([0.0, 0, 1], np.float64)], lambda p: np.array([2.0]),
             {"dtype": "float64"}, grad=False)


@pytest.mark.parametrize("name, attrs, shape, dtype", [
    ("_random_normal", {"shape": (2, 3)}, (2, 3), np.float32),
    ("_random_gamma", {"shape": 4, "dtype": "float64"}, (4,), np.float64),
    ("_random_exponential", {"shape": (1, 2), "dtype": "float16"}, (1, 2), np.float16),
    ("_random_generalized_negative_binomial", {"shape": (0, 3)}, (0, 3), np.float32),
    ("_random_randint", {"low": -3, "high": 3, "shape": (5,)}, (5,), np.int32),
])
def test_infer_matches_actual(name, attrs, shape, dtype):
    op = registry.get(name)
    out = getattr(nd._internal, name)(**attrs)
    ((ishape, idtype),) = infer(op, [], [], op.parse_attrs(attrs))
    assert out.shape == ishape == shape
    assert out.dtype == np.dtype(idtype) == dtype


def test_infer_sample_multinomial_like_shuffle():
    def inferred(name, shapes, dtypes, attrs):
        op = registry.get(name)
        return infer(op, shapes, [np.dtype(d) for d in dtypes], op.parse_attrs(attrs))

    assert inferred("_sample_gamma", [(2, 3), (2, 3)], ["float64"] * 2, {"shape": (4,)}) == [((2, 3, 4), np.float32)]
    assert inferred("_sample_multinomial", [(5, 3)], ["float32"], {"shape": 2, "get_prob": True}) == [
        ((5, 2), np.int32), ((5, 2), np.float32)]
    assert inferred("_sample_multinomial", [(3,)], ["float32"], {}) == [((1,), np.int32)]
    assert inferred("_random_normal_like", [(2, 2)], ["float16"], {}) == [((2, 2), np.float16)]
    assert inferred("_shuffle", [(4, 2)], ["int32"], {}) == [((4, 2), np.int32)]
    with pytest.raises(mx.MXNetError, match="same shape"):
        inferred("_sample_normal", [(2,), (3,)], ["float32"] * 2, {})
    with pytest.raises(mx.MXNetError, match="shape is required"):
        inferred("_random_uniform", [], [], {})


# ----------------------------------------------------------------------------- shapes, dtypes, contexts
def test_scalar_samplers_shapes_dtypes_ctx():
    assert nd.random.uniform().shape == (1,)  # MXNet's default shape
    assert nd.random.normal(shape=3).shape == (3,)
    assert nd.random.gamma(shape=[2, 3]).shape == (2, 3)
    x = nd.random.poisson(2, shape=(2, 2), dtype="float64", ctx=mx.cpu(2))
    assert x.dtype == np.float64 and x.context == mx.cpu(2)
    with mx.cpu(3):
        assert nd.random.exponential(shape=2).context == mx.cpu(3)
    assert nd.random.randint(0, 10).dtype == np.int32
    assert nd.random.randint(0, 10, shape=(2,), dtype="int64").dtype == np.int64
    assert nd.random.randn().shape == (1,)
    assert nd.random.randn(2, 3, dtype="float16").dtype == np.float16
    assert nd.random.randn(4, loc=nd.zeros(2), scale=nd.ones(2)).shape == (2, 4)
    assert nd.random.uniform(shape=2, dtype=np.float64).dtype == np.float64
    assert nd.random.normal(shape=2, dtype="bfloat16").shape == (2,)


def test_out_argument():
    out = nd.zeros((2, 3))
    r = nd.random.uniform(2, 3, out=out)
    assert r is out
    v = _np(out)
    assert ((v >= 2) & (v < 3)).all()
    out64 = nd.zeros((4,), dtype="float64")
    nd.random.normal(nd.zeros(2), nd.ones(2), shape=2, out=nd.zeros((2, 2)))
    nd.random.normal(out=out64)
    assert out64.dtype == np.float64 and np.all(_np(out64) != 0)
    out_i64 = nd.zeros((3,), dtype="int64")
    nd.random.randint(2**40, 2**40 + 5, out=out_i64)  # drawn as int64, as out's dtype
    assert (_np(out_i64) >= 2**40).all()
    out_bf16 = nd.zeros((3,), dtype="bfloat16")
    nd.random.uniform(1, 2, out=out_bf16)
    assert (_np(out_bf16) >= 1).all()
    out_ctx = nd.zeros((3,), ctx=mx.cpu(1))
    nd.random.poisson(3, out=out_ctx)
    assert out_ctx.context == mx.cpu(1)


def test_sample_samplers_shapes_dtypes():
    low = nd.array([[0.0, 1.0], [2.0, 3.0]], dtype="float64")
    high = low + 1
    assert nd.random.uniform(low, high).shape == (2, 2)
    y = nd.random.uniform(low, high, shape=(3, 4))
    assert y.shape == (2, 2, 3, 4) and y.dtype == np.float32  # float32 unless dtype says otherwise
    v = _np(y)
    assert ((v >= _np(low)[..., None, None]) & (v < _np(high)[..., None, None])).all()
    assert nd.random.gamma(low + 1, high, shape=2, dtype="float64").dtype == np.float64
    assert nd.random.exponential(nd.ones(3), shape=2).shape == (3, 2)
    assert nd.random.poisson(nd.ones((1,), ctx=mx.cpu(1)), shape=2).context == mx.cpu(1)
    assert nd.random.negative_binomial(nd.ones(2), nd.ones(2) * 0.5, shape=5).shape == (2, 5)
    assert nd.random.generalized_negative_binomial(nd.ones(2), nd.zeros(2), shape=5).shape == (2, 5)
    assert nd.random.uniform(nd.array([0, 1], dtype="int32"), nd.array([1, 2], dtype="int32")).dtype == np.float32


def test_like_ops():
    d = nd.ones((2, 3), dtype="float64", ctx=mx.cpu(1))
    for f in (nd.random.uniform_like, nd.random.normal_like, nd.random.gamma_like, nd.random.exponential_like,
              nd.random.poisson_like, nd.random.negative_binomial_like, nd.random.generalized_negative_binomial_like):
        r = f(d)
        assert r.shape == (2, 3) and r.dtype == np.float64 and r.context == mx.cpu(1), f.__name__
    v = _np(nd.random.uniform_like(nd.zeros((1000,)), low=-2, high=-1))
    assert v.min() >= -2 and v.max() < -1
    assert np.all(_np(nd.random.negative_binomial_like(nd.zeros(5))) == 0)  # p = 1: no failures


def test_multinomial_shapes_and_dtypes():
    p = nd.array([[0.1, 0.9], [0.5, 0.5], [1.0, 0.0]])
    assert nd.random.multinomial(p).shape == (3,)
    s = nd.random.multinomial(p, shape=(2, 4))
    assert s.shape == (3, 2, 4) and s.dtype == np.int32
    assert np.all(_np(s)[2] == 0)
    assert nd.random.multinomial(nd.array([0.2, 0.8])).shape == (1,)
    assert nd.random.multinomial(nd.array([0.2, 0.8]), shape=5).shape == (5,)
    for dt in ("uint8", "float16", "float64", "int64"):
        assert nd.random.multinomial(p, dtype=dt).dtype == np.dtype(dt)
    s, lp = nd.random.multinomial(nd.array([[0.25, 0.75]], dtype="float64"), shape=6, get_prob=True)
    assert lp.dtype == np.float64
    np.testing.assert_allclose(_np(lp), np.log(np.array([0.25, 0.75])[_np(s)]))
    assert nd.random.multinomial(nd.array([[0.5, 0.5]], dtype="float16"), shape=3).shape == (1, 3)


def test_shuffle():
    x = nd.array(np.arange(20).reshape(10, 2))
    mx.random.seed(1)
    y = _np(nd.random.shuffle(x))
    assert not np.array_equal(y, _np(x))
    np.testing.assert_array_equal(np.sort(y[:, 0]), np.arange(0, 20, 2))
    np.testing.assert_array_equal(y[:, 1], y[:, 0] + 1)  # rows stay whole
    z = nd.random.shuffle(nd.array(np.arange(5), dtype="int64"))
    assert z.dtype == np.int64 and sorted(_np(z).tolist()) == list(range(5))
    assert nd.random.shuffle(nd.zeros((0, 3))).shape == (0, 3)


# ----------------------------------------------------------------------------- statistics
def test_continuous_distributions_ks():
    mx.random.seed(2024)
    cases = [
        (nd.random.uniform(-1, 3, shape=N), "uniform", (-1, 4)),
        (nd.random.normal(2, 0.5, shape=N), "norm", (2, 0.5)),
        (nd.random.gamma(2.5, 3, shape=N), "gamma", (2.5, 0, 3)),
        (nd.random.gamma(0.3, 1, shape=N, dtype="float64"), "gamma", (0.3, 0, 1)),
        (nd.random.exponential(4, shape=N), "expon", (0, 4)),
        (nd.random.randn(N, loc=-1, scale=3), "norm", (-1, 3)),
    ]
    for samples, dist, args in cases:
        cdf = getattr(st, dist)(*args).cdf  # a frozen cdf: newer SciPy mis-passes args to some named ones
        assert st.kstest(_np(samples).astype(np.float64), cdf).pvalue > 1e-3, dist


def test_discrete_distributions_moments():
    mx.random.seed(2025)
    _close_moments(_np(nd.random.poisson(4.5, shape=N)), 4.5, 4.5)
    k, p = 3, 0.4
    _close_moments(_np(nd.random.negative_binomial(k, p, shape=N)), k * (1 - p) / p, k * (1 - p) / p**2)
    mu, alpha = 3.0, 0.4
    _close_moments(_np(nd.random.generalized_negative_binomial(mu, alpha, shape=N)), mu, mu + alpha * mu**2)
    _close_moments(_np(nd.random.generalized_negative_binomial(mu, 0.0, shape=N)), mu, mu)  # alpha=0: Poisson
    r = _np(nd.random.randint(-3, 7, shape=N))
    assert r.min() == -3 and r.max() == 6
    assert st.chisquare(np.bincount(r + 3)).pvalue > 1e-3
    # whole distributions: chi-square over the values 0..11 and the tail
    _chisquare_counts(nd.random.poisson(4.5, shape=N), st.poisson(4.5))
    _chisquare_counts(nd.random.negative_binomial(k, p, shape=N), st.nbinom(k, p))
    _chisquare_counts(nd.random.generalized_negative_binomial(mu, alpha, shape=N),
                      st.nbinom(1 / alpha, 1 / (1 + alpha * mu)))


def _chisquare_counts(samples, dist, bins=12):
    x = _np(samples).astype(np.int64)
    counts = np.bincount(np.minimum(x, bins), minlength=bins + 1)
    expected = np.append(dist.pmf(np.arange(bins)), dist.sf(bins - 1)) * x.size
    assert st.chisquare(counts, expected).pvalue > 1e-3


def test_sample_ops_statistics_per_parameter():
    mx.random.seed(2026)
    mu, sigma = nd.array([-5.0, 0.0, 5.0]), nd.array([0.5, 1.0, 2.0])
    x = _np(nd.random.normal(mu, sigma, shape=N // 4))
    np.testing.assert_allclose(x.mean(1), [-5, 0, 5], atol=0.05)
    np.testing.assert_allclose(x.std(1), [0.5, 1, 2], rtol=0.02)
    a, b = nd.array([1.0, 4.0]), nd.array([2.0, 0.5])
    g = _np(nd.random.gamma(a, b, shape=N // 4))
    np.testing.assert_allclose(g.mean(1), [2.0, 2.0], rtol=0.03)
    e = _np(nd.random.exponential(nd.array([0.5, 2.0]), shape=N // 4))
    np.testing.assert_allclose(e.mean(1), [0.5, 2.0], rtol=0.03)  # exponential takes the scale
    lam = _np(nd.random.poisson(nd.array([0.0, 1.0, 10.0, -1.0]), shape=N // 4))
    np.testing.assert_allclose(lam.mean(1), [0, 1, 10, 0], atol=0.1)
    u = _np(nd.random.uniform(nd.array([0.0, 10.0]), nd.array([1.0, 30.0]), shape=N // 4))
    np.testing.assert_allclose(u.mean(1), [0.5, 20], rtol=0.02)
    gnb = _np(nd.random.generalized_negative_binomial(nd.array([2.0, 2.0]), nd.array([0.0, 1.0]), shape=N // 4))
    np.testing.assert_allclose(gnb.mean(1), [2, 2], rtol=0.05)
    np.testing.assert_allclose(gnb.var(1), [2, 6], rtol=0.08)
    nb = _np(nd.random.negative_binomial(nd.array([2.0, 5.0]), nd.array([0.5, 0.25]), shape=N // 4))
    np.testing.assert_allclose(nb.mean(1), [2, 15], rtol=0.05)


def test_multinomial_frequencies():
    mx.random.seed(2027)
    probs = np.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.0, 0.0, 0.3]])
    s = _np(nd.random.multinomial(nd.array(probs), shape=N // 4))
    for row, p in zip(s, probs):
        counts = np.bincount(row, minlength=4)
        keep = p > 0
        assert counts[~keep].sum() == 0
        assert st.chisquare(counts[keep], p[keep] * row.size).pvalue > 1e-3


# ----------------------------------------------------------------------------- gradients
def test_multinomial_get_prob_gradient():
    p = nd.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    p.attach_grad()
    with mx.autograd.record():
        s, lp = nd.random.multinomial(p, shape=4, get_prob=True)
    head = nd.array(np.arange(8, dtype=np.float32).reshape(2, 4))
    lp.backward(head)
    idx, w, pn = _np(s), _np(head), _np(p)
    expected = np.zeros_like(pn)
    for i in range(2):
        for j in range(4):
            expected[i, idx[i, j]] += w[i, j] / pn[i, idx[i, j]]
    np.testing.assert_allclose(_np(p.grad), expected, rtol=1e-6)


def test_samples_carry_no_gradient():
    # MXNet's samplers have zero gradient: y = sample(mu); d(sum(y * mu))/dmu = y.
    mu, sigma = nd.array([0.5, 1.0]), nd.array([1.0, 2.0])
    mu.attach_grad()
    sigma.attach_grad()
    with mx.autograd.record():
        y = nd.random.normal(mu, sigma, shape=(2,))
        z = (y * mu).sum()  # y: (2, 2), mu broadcast along the last axis
    z.backward()
    np.testing.assert_allclose(_np(mu.grad), _np(y).sum(0), rtol=1e-6)
    np.testing.assert_array_equal(_np(sigma.grad), [0, 0])
    d = nd.array([1.0, 2.0])
    d.attach_grad()
    with mx.autograd.record():
        r = nd.random.uniform_like(d) * d
    r.backward()
    np.testing.assert_allclose(_np(d.grad), _np(r) / _np(d), rtol=1e-6)


def test_shuffle_gradient_is_permuted_back():
    x = nd.array(np.arange(6, dtype=np.float32).reshape(3, 2))
    x.attach_grad()
    with mx.autograd.record():
        y = nd.random.shuffle(x)
    w = np.arange(6, dtype=np.float32).reshape(3, 2) * 10
    y.backward(nd.array(w))
    perm = _np(y)[:, 0].astype(int) // 2
    expected = np.zeros_like(w)
    expected[perm] = w
    np.testing.assert_array_equal(_np(x.grad), expected)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("name, attrs, match", [
    ("_random_uniform", {"low": 2, "high": 1, "shape": 2}, "low must be less than or equal to high"),
    ("_random_uniform", {"shape": 2, "dtype": "int32"}, "dtype must be one of"),
    ("_random_uniform", {}, "shape is required"),
    ("_random_uniform", {"shape": (2, -1)}, "non-negative"),
    ("_random_normal", {"scale": 0, "shape": 2}, "scale .* must be positive"),
    ("_random_gamma", {"alpha": -1, "shape": 2}, "alpha and beta must be positive"),
    ("_random_exponential", {"lam": 0, "shape": 2}, "lam .* must be positive"),
    ("_random_poisson", {"lam": -1, "shape": 2}, "non-negative"),
    ("_random_negative_binomial", {"k": -1, "shape": 2}, "k must be non-negative"),
    ("_random_negative_binomial", {"p": 0, "shape": 2}, r"p .* must be in \(0, 1\]"),
    ("_random_negative_binomial", {"p": 1.5, "shape": 2}, r"p .* must be in \(0, 1\]"),
    ("_random_generalized_negative_binomial", {"mu": -1, "shape": 2}, "mu and alpha must be non-negative"),
    ("_random_randint", {"low": 5, "high": 5, "shape": 2}, "low must be less than high"),
    ("_random_randint", {"low": 10, "high": 0, "shape": 2}, "low must be less than high"),
    ("_random_randint", {"low": 0, "high": 10, "shape": 2, "dtype": "float32"}, "dtype must be 'int32' or 'int64'"),
    ("_random_randint", {"low": 0, "high": 2**40, "shape": 2}, "must fit in int32"),
    ("_random_randint", {"low": 0.5, "high": 3, "shape": 2}, "invalid value for argument 'low'"),
    ("_random_randint", {"shape": 2}, "required argument 'low' is missing"),
    ("_random_uniform", {"shape": 2, "ctx": "tpu(0)"}, "Cannot interpret"),
])
def test_scalar_op_errors(name, attrs, match):
    check_op_error(name, [], attrs, match=match)


def test_array_op_errors():
    check_op_error("_sample_normal", [np.zeros(2, np.float32), np.ones(3, np.float32)], {}, match="same shape")
    check_op_error("_sample_poisson", [np.ones(2, np.float32)], {"dtype": "int32"}, match="dtype must be one of")
    check_op_error("_random_uniform_like", [np.ones(2, np.int32)], {}, match="floating-point")
    check_op_error("_sample_multinomial", [np.ones((2, 2), np.float32) / 2], {"dtype": "int8"},
                   match="dtype must be one of")
    check_op_error("_sample_multinomial", [np.array([[-1.0, 2.0]], np.float32)], {}, match="_sample_multinomial")


def test_sampler_argument_errors():
    with pytest.raises(TypeError, match="same type"):
        nd.random.uniform(nd.array([0.0]), 1)
    with pytest.raises(ValueError, match="either NDArray or numbers"):
        nd.random.normal("a", 1)
    with pytest.raises(ValueError, match="scale .* must be positive"):
        nd.random.exponential(0)
    with pytest.raises(ValueError, match="either NDArray or numbers"):
        nd.random.exponential("2")
    with pytest.raises(TypeError, match="integer low and high"):
        nd.random.randint(nd.array([0]), nd.array([5]))
    with pytest.raises(mx.MXNetError, match="low must be less than high"):
        nd.random.randint(3, 3)
    with pytest.raises(mx.MXNetError, match="cannot find argument 'bogus'"):
        nd.random.uniform(shape=2, bogus=1)
