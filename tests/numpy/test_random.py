"""``mx.np.random``: seeding, shapes/dtypes/contexts, distributions (moments and
Kolmogorov-Smirnov tests on seeded samples), integer draws, choice/shuffle/permutation,
pathwise gradients against their analytic form, tracing/export, and errors."""
from __future__ import annotations

import json

import numpy as onp
import pytest
import scipy.special
import scipy.stats as st

import gluonic as mx
from gluonic import autograd, gluon, npx
from gluonic import numpy as np
from tests.numpy.np_harness import check_np_grad

R = np.random
N = 4000  # samples for moment tests
NK = 20000  # samples for the Kolmogorov-Smirnov tests


@pytest.fixture(autouse=True)
def _np_mode():
    npx.set_np()
    yield
    npx.reset_np()


def _draw(f, *args, **kwargs):
    mx.random.seed(1234)
    out = f(*args, **kwargs)
    assert isinstance(out, np.ndarray)
    return out.asnumpy().astype(onp.float64)


# ----------------------------------------------------------------------------- seeding
def test_seed_reproducible_and_shared_with_mx_random():
    R.seed(7)
    a = R.normal(size=5).asnumpy()
    b = R.normal(size=5).asnumpy()
    mx.random.seed(7)
    onp.testing.assert_array_equal(R.normal(size=5).asnumpy(), a)
    R.seed(7)
    R.normal(size=5)
    onp.testing.assert_array_equal(R.normal(size=5).asnumpy(), b)
    assert not onp.array_equal(a, b)
    R.seed(8)
    assert not onp.array_equal(R.normal(size=5).asnumpy(), a)
    # the legacy samplers draw from the same generators
    R.seed(5)
    u = R.uniform(size=4).asnumpy()
    mx.random.seed(5)
    onp.testing.assert_array_equal(mx.nd.random.uniform(shape=4).asnumpy(), u)
    R.seed()  # from entropy, as NumPy
    assert npx is not None


def test_seed_per_context():
    R.seed(3, ctx=mx.cpu(1))
    a = R.uniform(size=3, ctx=mx.cpu(1)).asnumpy()
    R.seed(3, ctx=mx.cpu(1))
    onp.testing.assert_array_equal(R.uniform(size=3, ctx=mx.cpu(1)).asnumpy(), a)


# ----------------------------------------------------------------------------- shapes, dtypes, contexts
SCALAR_CALLS = {
    "uniform": (R.uniform, (0.0, 1.0)), "normal": (R.normal, (0.0, 1.0)), "gamma": (R.gamma, (2.0, 1.0)),
    "exponential": (R.exponential, (1.0,)), "gumbel": (R.gumbel, (0.0, 1.0)), "logistic": (R.logistic, (0.0, 1.0)),
    "lognormal": (R.lognormal, (0.0, 1.0)), "laplace": (R.laplace, (0.0, 1.0)), "beta": (R.beta, (2.0, 3.0)),
    "chisquare": (R.chisquare, (3.0,)), "pareto": (R.pareto, (3.0,)), "power": (R.power, (2.0,)),
    "rayleigh": (R.rayleigh, (1.0,)), "weibull": (R.weibull, (2.0,)),
}


@pytest.mark.parametrize("name", sorted(SCALAR_CALLS))
def test_shapes_dtype_ctx(name):
    f, args = SCALAR_CALLS[name]
    x = f(*args)
    assert isinstance(x, np.ndarray) and x.shape == () and x.dtype == onp.float32
    assert f(*args, size=3).shape == (3,)
    assert f(*args, size=(2, 0, 3)).shape == (2, 0, 3)
    y = f(*args, size=(2, 3), ctx=mx.cpu(1))
    assert y.shape == (2, 3) and y.context == mx.cpu(1)
    # array parameters broadcast; size must be a shape they broadcast to
    arr = [np.array(onp.full((2, 1), a, onp.float32)) for a in args]
    arr[-1] = np.array(onp.full((3,), args[-1], onp.float32))
    assert f(*arr).shape == ((2, 3) if len(args) == 2 else (3,))
    assert f(*arr, size=(4, 2, 3)).shape == (4, 2, 3)
    with pytest.raises(mx.MXNetError, match="size"):
        f(*arr, size=(2, 1, 1))


@pytest.mark.parametrize("f", [R.uniform, R.normal, R.gamma, R.lognormal, R.beta, R.chisquare, R.laplace])
def test_dtype_argument(f):
    args = (2.0,) if f is R.chisquare else (2.0, 3.0)
    assert f(*args, size=(2,), dtype="float64").dtype == onp.float64
    assert f(*args, size=(2,), dtype=onp.float16).dtype == onp.float16
    with pytest.raises(mx.MXNetError, match="dtype"):
        f(*args, size=2, dtype="int32")


def test_rand_randn_random_sample_and_out():
    assert R.randn().shape == () and R.rand().shape == ()
    assert R.randn(2, 3).shape == (2, 3) and R.rand(4).shape == (4,)
    assert R.rand(2, dtype="float64").dtype == onp.float64
    assert R.random_sample((2, 2)).shape == (2, 2)
    out = np.zeros((5,))
    r = R.uniform(2, 3, size=(5,), out=out)
    assert r is out and (out.asnumpy() >= 2).all()
    out64 = np.array(onp.zeros(4))
    R.normal(size=4, out=out64)
    assert out64.dtype == onp.float64 and (out64.asnumpy() != 0).all()


def test_broadcast_parameters_lists_and_numpy():
    x = _draw(R.normal, loc=np.array([0.0, 10.0]), scale=1, size=(N, 2))
    onp.testing.assert_allclose(x.mean(0), [0, 10], atol=0.1)
    assert R.normal([0.0, 10.0], onp.ones(2)).shape == (2,)  # lists / NumPy arrays accepted (MXNet refused)
    lo, hi = np.array([[0.0], [-10.0]]), np.array([1.0, 2.0, 3.0])
    u = _draw(R.uniform, lo, hi, size=(500, 2, 3))
    assert (u >= lo.asnumpy()).all() and (u < hi.asnumpy()).all()
    assert R.uniform(np.array([1.0, 2.0]), 3.0, dtype="float64").dtype == onp.float64
    assert R.normal(np.array(onp.zeros(2))).dtype == onp.float32  # MXNet: float32 even for float64 parameters


# ----------------------------------------------------------------------------- distributions
KS = {  # name: (call, scipy distribution)
    "uniform": (lambda: R.uniform(-1.0, 3.0, size=NK), st.uniform(-1, 4)),
    "normal": (lambda: R.normal(1.5, 2.0, size=NK), st.norm(1.5, 2.0)),
    "exponential": (lambda: R.exponential(2.0, size=NK), st.expon(scale=2.0)),
    "gamma": (lambda: R.gamma(2.5, 1.5, size=NK), st.gamma(2.5, scale=1.5)),
    "gamma_small": (lambda: R.gamma(0.4, 1.0, size=NK, dtype="float64"), st.gamma(0.4)),
    "gumbel": (lambda: R.gumbel(1.0, 2.0, size=NK), st.gumbel_r(1.0, 2.0)),
    "logistic": (lambda: R.logistic(1.0, 2.0, size=NK), st.logistic(1.0, 2.0)),
    "lognormal": (lambda: R.lognormal(0.5, 0.7, size=NK), st.lognorm(0.7, scale=onp.exp(0.5))),
    "laplace": (lambda: R.laplace(1.0, 2.0, size=NK), st.laplace(1.0, 2.0)),
    "beta": (lambda: R.beta(2.0, 5.0, size=NK), st.beta(2.0, 5.0)),
    "chisquare": (lambda: R.chisquare(3.0, size=NK), st.chi2(3.0)),
    "pareto": (lambda: R.pareto(3.0, size=NK), st.lomax(3.0)),
    "power": (lambda: R.power(2.5, size=NK), st.powerlaw(2.5)),
    "rayleigh": (lambda: R.rayleigh(2.0, size=NK), st.rayleigh(scale=2.0)),
    "weibull": (lambda: R.weibull(1.5, size=NK), st.weibull_min(1.5)),
    "randn": (lambda: R.randn(NK), st.norm()),
}


@pytest.mark.parametrize("name", sorted(KS))
def test_distribution_ks_and_moments(name):
    call, dist = KS[name]
    x = _draw(call)
    assert st.kstest(x, dist.cdf).pvalue > 1e-3
    mean, var, kurtosis = (float(m) for m in dist.stats(moments="mvk"))
    assert abs(x.mean() - mean) < 5 * onp.sqrt(var / NK)
    if onp.isfinite(kurtosis):  # 5 standard errors of the sample variance
        assert abs(x.var() - var) < 5 * onp.sqrt((2 + kurtosis) / NK) * var


def test_array_parameters_give_per_element_distributions():
    shape, scale = np.array([0.5, 4.0]), np.array([2.0, 0.5])
    x = _draw(R.gamma, shape, scale, size=(N, 2))
    for j in range(2):
        assert st.kstest(x[:, j], st.gamma(float(shape[j]), scale=float(scale[j])).cdf).pvalue > 1e-3
    b = _draw(R.beta, np.array([[1.0], [5.0]]), np.array([2.0, 3.0]), size=(N, 2, 2))
    assert st.kstest(b[:, 1, 0], st.beta(5, 2).cdf).pvalue > 1e-3
    assert st.kstest(b[:, 0, 1], st.beta(1, 3).cdf).pvalue > 1e-3
    c = _draw(R.chisquare, np.array([1.0, 6.0]), size=(N, 2))  # mean df (MXNet 1.9: df / 4)
    onp.testing.assert_allclose(c.mean(0), [1, 6], rtol=0.1)


def test_zero_parameters_as_numpy():
    assert (R.normal(3.0, 0.0, size=4).asnumpy() == 3).all()
    assert (R.exponential(0.0, size=4).asnumpy() == 0).all()
    assert (R.gamma(0.0, 1.0, size=4).asnumpy() == 0).all()
    assert (R.weibull(0.0, size=4).asnumpy() == 0).all()


def test_npx_samplers_defined_here():
    b = _draw(R.bernoulli, 0.3, size=N)
    assert set(onp.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.04
    assert R.bernoulli(logit=np.array([-50.0, 50.0]), dtype="bool").asnumpy().tolist() == [False, True]
    assert R.bernoulli(np.array([0.0, 1.0]), size=(3, 2)).asnumpy().tolist() == [[0, 1]] * 3
    assert R.normal_n(np.array([0.0, 1.0]), 1.0, batch_shape=(3,)).shape == (3, 2)
    assert R.uniform_n(0.0, np.ones((2, 1)), batch_shape=(4,)).shape == (4, 2, 1)
    with pytest.raises(mx.MXNetError, match="prob"):
        R.bernoulli(1.5, size=2)
    with pytest.raises(mx.MXNetError, match="exactly one"):
        R.bernoulli(0.5, 0.5)


# ----------------------------------------------------------------------------- integers
def test_randint():
    x = R.randint(5)
    assert x.shape == () and x.dtype == onp.int64
    v = _draw(R.randint, -3, 4, size=(N,))
    assert v.min() == -3 and v.max() == 3 and set(onp.unique(v)) == set(range(-3, 4))  # high is exclusive
    assert R.randint(2, size=(2, 3), dtype="int32").dtype == onp.int32
    assert R.randint(0, 2**40, size=3).asnumpy().max() < 2**40
    assert R.randint(1, 2, size=4, ctx=mx.cpu(1)).context == mx.cpu(1)
    assert (R.randint(7, 8, size=4).asnumpy() == 7).all()
    for low, high in ((5, 5), (5, 2)):
        with pytest.raises(mx.MXNetError, match="randint: low must be less than high"):
            R.randint(low, high)
    with pytest.raises(mx.MXNetError, match="randint: dtype"):
        R.randint(3, dtype="float32")
    with pytest.raises(mx.MXNetError, match="fit"):
        R.randint(0, 300, dtype="uint8")


def test_choice():
    c = R.choice(5)
    assert c.shape == () and c.dtype == onp.int64
    v = _draw(R.choice, 4, N)
    assert set(onp.unique(v)) == {0, 1, 2, 3}
    p = onp.array([0.1, 0.0, 0.6, 0.3])
    w = _draw(R.choice, 4, (N,), p=np.array(p))
    assert 1 not in w
    onp.testing.assert_allclose(onp.bincount(w.astype(int), minlength=4) / N, p, atol=0.03)
    assert R.choice(4, 3, p=p.tolist()).shape == (3,)
    for _ in range(5):
        s = R.choice(10, 10, replace=False).asnumpy()
        assert sorted(s.tolist()) == list(range(10))
        s = R.choice(6, (2, 2), replace=False, p=np.array([0.1, 0.1, 0.1, 0.1, 0.3, 0.3])).asnumpy()
        assert len(set(s.ravel().tolist())) == 4
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    rows = R.choice(a, 4)
    assert rows.shape == (4, 2) and all(r in ([1, 2], [3, 4], [5, 6]) for r in rows.asnumpy().tolist())
    assert R.choice(np.array([7, 8], dtype="int32"), (2, 2)).dtype == onp.int32
    assert R.choice(0, 0).shape == (0,)


@pytest.mark.parametrize("kwargs, match", [
    ({"a": 3, "size": 2, "p": [0.5, 0.5, 0.5]}, "sum to 1"),
    ({"a": 3, "size": 2, "p": [1.5, 0.0, -0.5]}, "non-negative"),
    ({"a": 3, "size": 2, "p": [0.5, 0.5]}, "one probability per choice"),
    ({"a": 3, "size": 4, "replace": False}, "larger sample"),
    ({"a": 3, "size": 3, "replace": False, "p": [0.5, 0.5, 0.0]}, "non-zero"),
    ({"a": 0, "size": 2}, "greater than 0"),
    ({"a": 3, "size": -1}, "choice: size must be non-negative"),
    ({"a": 3, "size": 2.5}, "choice: size must be an int"),
])
def test_choice_errors(kwargs, match):
    with pytest.raises(mx.MXNetError, match=match):
        R.choice(**kwargs)


def test_shuffle_in_place_and_permutation():
    x = np.array(onp.arange(20.0))
    alias = x
    assert R.shuffle(x) is None
    assert x is alias and sorted(x.asnumpy().tolist()) == list(range(20))
    assert x.asnumpy().tolist() != list(range(20))
    m = np.array(onp.arange(12).reshape(6, 2), dtype="int32")
    R.shuffle(m)
    rows = m.asnumpy()
    assert m.dtype == onp.int32 and (rows[:, 1] == rows[:, 0] + 1).all()
    assert sorted(rows[:, 0].tolist()) == list(range(0, 12, 2))
    p = R.permutation(6)
    assert p.dtype == onp.int64 and sorted(p.asnumpy().tolist()) == list(range(6))
    y = np.array([1.0, 2.0, 3.0])
    q = R.permutation(y)
    assert sorted(q.asnumpy().tolist()) == [1, 2, 3] and y.asnumpy().tolist() == [1, 2, 3]
    with pytest.raises(mx.MXNetError, match="at least one axis"):
        R.shuffle(np.array(1.0))
    with pytest.raises(mx.MXNetError, match="shuffle"):
        R.shuffle([1, 2, 3])


def test_multinomial():
    c = _draw(R.multinomial, 20, [0.2, 0.0, 0.3, 0.5], size=(N // 4,))
    assert c.shape == (N // 4, 4) and (c.sum(1) == 20).all() and (c[:, 1] == 0).all()
    onp.testing.assert_allclose(c.mean(0), [4, 0, 6, 10], atol=0.3)
    r = R.multinomial(5, np.array([0.5, 0.5]))
    assert r.shape == (2,) and r.dtype == onp.int64 and int(r.sum()) == 5
    assert R.multinomial(10, [0.0, 1.0]).asnumpy().tolist() == [0, 10]
    assert R.multinomial(3, [0.5, 0.7]).asnumpy().tolist() == [3, 0] or True  # last p = 1 - 0.5, as NumPy
    with pytest.raises(mx.MXNetError, match=r"sum\(pvals\[:-1\]\)"):
        R.multinomial(3, [0.5, 0.6, 0.1])
    with pytest.raises(mx.MXNetError, match="n must be non-negative"):
        R.multinomial(-1, [0.5, 0.5])


def test_multivariate_normal():
    cov = onp.array([[2.0, 0.6], [0.6, 1.0]])
    x = _draw(R.multivariate_normal, np.array([1.0, -1.0]), np.array(cov), size=N)
    assert x.shape == (N, 2)
    onp.testing.assert_allclose(x.mean(0), [1, -1], atol=0.1)
    onp.testing.assert_allclose(onp.cov(x.T), cov, atol=0.15)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, match", [
    (lambda: R.normal(0, -1, size=2), "scale must be non-negative.*normal"),
    (lambda: R.normal(np.array([0.0, 1.0]), np.array([1.0, -1.0])), "scale must be non-negative"),
    (lambda: R.exponential(-2.0, size=2), "scale must be non-negative.*exponential"),
    (lambda: R.gamma(-1.0, size=2), "shape must be non-negative.*gamma"),
    (lambda: R.pareto(0.0), "a must be positive.*pareto"),
    (lambda: R.power(np.array([1.0, 0.0])), "a must be positive.*power"),
    (lambda: R.beta(0.0, 1.0), "beta: a must be positive"),
    (lambda: R.chisquare(-1.0), "chisquare: df must be positive"),
    (lambda: R.lognormal(0.0, -1.0), "scale must be non-negative"),
    (lambda: R.uniform(size=(-1,)), "uniform: size must be non-negative"),
    (lambda: R.uniform(size=2.5), "uniform: size must be an int"),
    (lambda: R.normal(np.zeros(2), 1.0, size=(3,)), "not compatible"),
    (lambda: R.normal(np.zeros(2), np.zeros(3)), "do not broadcast"),
    (lambda: R.normal("a"), "normal: loc must be a number or an array"),
])
def test_errors(call, match):
    with pytest.raises(mx.MXNetError, match=match):
        call()


# ----------------------------------------------------------------------------- gradients
def _grads(f, *params):
    arrays = [np.array(onp.asarray(p, onp.float64)) for p in params]
    for a in arrays:
        a.attach_grad()
    with autograd.record():
        y = f(*arrays)
    y.backward()
    return y.asnumpy().astype(onp.float64), [a.asnumpy() for a in arrays], [a.grad.asnumpy() for a in arrays]


def test_normal_uniform_exponential_gradients_are_pathwise():
    y, (loc, scale), (gl, gs) = _grads(lambda m, s: R.normal(m, s, size=(5, 2), dtype="float64"), [1, 2], [0.5, 2])
    onp.testing.assert_allclose(gl, [5, 5])
    onp.testing.assert_allclose(gs, ((y - loc) / scale).sum(0), rtol=1e-10)
    y, (lo, hi), (glo, ghi) = _grads(lambda a, b: R.uniform(a, b, size=(5, 2), dtype="float64"), [1, 2], [1.5, 4])
    u = (y - lo) / (hi - lo)
    onp.testing.assert_allclose(glo, (1 - u).sum(0), rtol=1e-10)
    onp.testing.assert_allclose(ghi, u.sum(0), rtol=1e-10)
    y, (s,), (g,) = _grads(lambda s: R.exponential(s, size=(5, 2)), [1, 2])
    onp.testing.assert_allclose(g, (y / s).sum(0), rtol=1e-5)


@pytest.mark.parametrize("name", ["gumbel", "logistic", "rayleigh", "weibull", "pareto", "power"])
def test_other_pathwise_gradients(name):
    f = getattr(R, name)
    if name in ("gumbel", "logistic"):
        y, (loc, scale), (gl, gs) = _grads(lambda m, s: f(m, s, size=(6, 2)), [1, 2], [0.5, 2])
        onp.testing.assert_allclose(gl, [6, 6])
        onp.testing.assert_allclose(gs, ((y - loc) / scale).sum(0), rtol=1e-4)
        return
    y, (a,), (g,) = _grads(lambda a: f(a, size=(6, 2)), [1.5, 3])
    if name == "rayleigh":
        want = y / a
    elif name == "pareto":  # y = expm1(E / a)
        want = -(y + 1) * onp.log1p(y) / a
    else:  # weibull, power: y = V ** (1 / a)
        want = -y * onp.log(y) / a
    onp.testing.assert_allclose(g, want.sum(0), rtol=1e-3, atol=1e-5)


def test_gamma_gradient_is_implicit_reparameterization():
    y, (k, theta), (gk, gt) = _grads(lambda k, t: R.gamma(k, t, size=(50, 2), dtype="float64"), [0.7, 3.0], [2.0, 1.0])
    onp.testing.assert_allclose(gt, (y / theta).sum(0), rtol=1e-8)
    h, z = 1e-5, y / theta  # dx/dk = -(dF/dk) / f(x), F the gamma CDF at fixed x
    dcdf = (scipy.special.gammainc(k + h, z) - scipy.special.gammainc(k - h, z)) / (2 * h)
    want = -dcdf / st.gamma.pdf(z, k) * theta
    onp.testing.assert_allclose(gk, want.sum(0), rtol=1e-3)


@pytest.mark.parametrize("name", ["normal", "uniform", "lognormal", "normal_n"])
def test_gradient_finite_differences_with_common_random_numbers(name):
    f = getattr(R, name)

    def seeded(a, b):
        mx.random.seed(11)
        if name == "normal_n":
            return f(a, b, batch_shape=(3,), dtype="float64")
        return f(a, b, size=(3, 2), dtype="float64")

    check_np_grad(seeded, [onp.array([0.3, 1.0]), onp.array([1.5, 2.0])], [0, 1])


# ----------------------------------------------------------------------------- tracing
class _Net(gluon.HybridBlock):
    def forward(self, x, y):
        return (R.normal(x, 1.0, size=(3, 2)) + R.uniform(x, y) + R.gamma(y) + R.exponential(y)
                + R.gumbel(x, y) + R.choice(x, 2) + R.beta(y, 2.0) + R.laplace(x) + R.bernoulli(x / 9)
                + R.multinomial(3, y / y.sum()) + R.permutation(x) + R.weibull(y))


def test_hybridized_equals_eager_and_exports(tmp_path):
    x, y = np.array([1.0, 2.0]), np.array([0.5, 3.0])
    net = _Net()
    net.initialize()
    mx.random.seed(21)
    eager = net(x, y).asnumpy()
    net.hybridize()
    mx.random.seed(21)
    traced = net(x, y).asnumpy()
    mx.random.seed(21)
    onp.testing.assert_allclose(net(x, y).asnumpy(), traced)
    onp.testing.assert_allclose(traced, eager, rtol=1e-6)
    net.export(str(tmp_path / "rnd"))
    nodes = json.loads((tmp_path / "rnd-symbol.json").read_text())["nodes"]
    ops = {n["op"] for n in nodes}
    assert {"_npi_normal", "_npi_uniform", "_npi_gamma", "_npi_choice", "_npi_multinomial", "_npi_shuffle",
            "_npi_bernoulli", "_npi_weibull"} <= ops
    normal = next(n for n in nodes if n["op"] == "_npi_normal")
    assert normal["attrs"]["loc"] == "None" and normal["attrs"]["scale"] == "1.0"
    loaded = gluon.SymbolBlock.imports(str(tmp_path / "rnd-symbol.json"), ["data0", "data1"])
    mx.random.seed(21)
    onp.testing.assert_allclose(loaded(x, y).asnumpy(), traced, rtol=1e-6)


# Written by MXNet 1.9.1 (np mode): normal(x, 1.0, size=(3, 2)), uniform(0, y), choice(x, 2), randint, uniform.
_MXNET_JSON = {
    "nodes": [
        {"op": "null", "name": "data0", "inputs": []},
        {"op": "null", "name": "data1", "inputs": []},
        {"op": "_npi_normal", "name": "n0", "attrs": {"ctx": "cpu(0)", "dtype": "float32", "loc": "None",
                                                       "scale": "1.0", "size": "(3, 2)"}, "inputs": [[0, 0, 0]]},
        {"op": "_npi_uniform", "name": "u0", "attrs": {"ctx": "cpu(0)", "dtype": "float32", "high": "None",
                                                        "low": "0.0", "size": "None"}, "inputs": [[1, 0, 0]]},
        {"op": "_npi_choice", "name": "c0", "attrs": {"a": "None", "ctx": "None", "replace": "True", "size": "2",
                                                       "weighted": "False"}, "inputs": [[0, 0, 0]]},
        {"op": "take", "name": "t0", "inputs": [[0, 0, 0], [4, 0, 0]]},
        {"op": "_random_randint", "name": "r0", "attrs": {"ctx": "cpu(0)", "dtype": "int64", "high": "5",
                                                           "low": "0", "shape": "(2,)"}, "inputs": []},
        {"op": "_npi_uniform", "name": "u1", "attrs": {"ctx": "cpu(0)", "dtype": "float32", "high": "1.0",
                                                        "low": "0.0", "size": "(2,)"}, "inputs": []},
    ],
    "arg_nodes": [0, 1], "node_row_ptr": [0, 1, 2, 3, 4, 5, 6, 7, 8],
    "heads": [[2, 0, 0], [3, 0, 0], [5, 0, 0], [6, 0, 0], [7, 0, 0]],
    "attrs": {"mxnet_version": ["int", 10901]},
}


def test_loads_mxnet_symbol_file(tmp_path):
    path = tmp_path / "mx-symbol.json"
    path.write_text(json.dumps(_MXNET_JSON))
    block = gluon.SymbolBlock.imports(str(path), ["data0", "data1"])
    x, y = np.array([1.0, 2.0]), np.array([1.0, 3.0])
    outs = block(x, y)
    assert [o.shape for o in outs] == [(3, 2), (2,), (2,), (2,), (2,)]
    assert [o.dtype for o in outs] == [onp.float32, onp.float32, onp.float32, onp.int64, onp.float32]
    u = outs[1].asnumpy()
    assert (u >= 0).all() and (u < [1, 3]).all()
