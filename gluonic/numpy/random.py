"""``mx.np.random``: NumPy's random sampling functions, on the per-context generators of
:mod:`gluonic.random` (``np.random.seed(n)`` and ``mx.random.seed(n)`` are the same state).

MXNet's conventions: ``dtype`` defaults to float32 (also for float64 parameter arrays),
``ctx=`` places the samples, ``size=None`` with number parameters gives a 0-d array, and
``randint``/``choice`` return int64. Parameters are numbers or arrays (``mx.np.ndarray``,
and also lists or NumPy arrays, which MXNet refused); arrays broadcast as in NumPy:
``normal(loc=np.array([0, 10]), scale=1)`` has shape (2,), and ``size`` must be a shape
they broadcast to. With array parameters the functions also trace inside hybridized
blocks, and the samples are differentiable with respect to them (pathwise gradients).

>>> from gluonic import np
>>> np.random.seed(0)
>>> np.random.normal(loc=np.array([0., 10.]), scale=1, size=(3, 2)).shape
(3, 2)
>>> np.random.randint(10, size=4).dtype
dtype('int64')
"""
from __future__ import annotations

import operator
import os

import numpy as onp

from .. import _dtype
from .. import random as _mx_random
from ..base import GluonicTypeError, GluonicValueError
from ..context import as_context
from ..ndarray.ndarray import NDArray
from ._core import as_array, call, is_scalar, is_symbol

__all__ = ["seed", "uniform", "normal", "randn", "rand", "random_sample", "randint", "choice", "shuffle",
           "permutation", "multinomial", "multivariate_normal", "exponential", "gamma", "beta", "chisquare", "gumbel",
           "logistic", "lognormal", "laplace", "pareto", "power", "rayleigh", "weibull"]
# npx.random's functions are defined here too (same machinery): bernoulli, uniform_n, normal_n.

_FLOAT_NAMES = ("float16", "float32", "float64", "bfloat16")


# ----------------------------------------------------------------------------- argument handling
def _size(fn: str, size) -> tuple[int, ...] | None:
    """``size`` as a tuple of ints (None, and ``()`` as in MXNet, stay None)."""
    if size is None:
        return None
    if isinstance(size, (int, onp.integer)) and not isinstance(size, (bool, onp.bool_)):
        size = (int(size),)
    elif isinstance(size, (tuple, list)) and all(
            isinstance(d, (int, onp.integer)) and not isinstance(d, (bool, onp.bool_)) for d in size):
        size = tuple(int(d) for d in size)
    else:
        raise GluonicTypeError(f"np.random.{fn}: size must be an int or a tuple of ints. Received: size={size!r}")
    if any(d < 0 for d in size):
        raise GluonicValueError(f"np.random.{fn}: size must be non-negative. Received: size={size}")
    return size or None


def _float_dtype(fn: str, dtype, out=None) -> str:
    if dtype is None:
        if isinstance(out, NDArray) and onp.dtype(out.dtype).name in _FLOAT_NAMES:
            return onp.dtype(out.dtype).name
        return "float32"
    try:
        name = _dtype.name(dtype)
    except (TypeError, ValueError, KeyError):
        name = None
    if name not in _FLOAT_NAMES:
        raise GluonicTypeError(f"np.random.{fn}: dtype must be 'float16', 'float32' or 'float64'. "
                               f"Received: dtype={dtype!r}")
    return name


def _param(fn: str, name: str, v):
    """A number stays a number (an attribute); arrays, lists and NumPy arrays become array inputs."""
    if is_symbol(v) or isinstance(v, NDArray):
        return v
    if is_scalar(v):
        if isinstance(v, complex):
            raise GluonicTypeError(f"np.random.{fn}: {name} must be real. Received: {name}={v!r}")
        return float(v)
    try:
        return as_array(v)
    except (TypeError, ValueError):  # GluonicTypeError, and torch's for strings
        raise GluonicTypeError(f"np.random.{fn}: {name} must be a number or an array. "
                               f"Received: {name} of type {type(v).__name__}") from None


def _run(op: str, inputs: list, ctx, out, attrs: dict):
    """Call ``op``: array inputs decide where it runs (or record into a graph); else ``ctx``."""
    if inputs:
        return call(op, inputs, out=out, **attrs)
    if ctx is None and isinstance(out, NDArray):
        ctx = out.context
    if ctx is None:
        return call(op, inputs, out=out, **attrs)
    with as_context(ctx):
        return call(op, inputs, out=out, **attrs)


def _draw(fn: str, op: str, params: dict, size, ctx=None, out=None, **attrs):
    """Run the distribution op ``op``: number parameters as attributes, arrays as inputs (the
    attribute then reads "None", as MXNet records it)."""
    inputs = []
    for name, v in params.items():
        v = _param(fn, name, v)
        if isinstance(v, float):
            attrs[name] = v
        else:
            inputs.append(v)
            attrs[name] = "None"
    size = _size(fn, size)
    attrs["size"] = "None" if size is None else size  # written out: MXNet requires it in symbol files
    return _run(op, inputs, ctx, out, attrs)


# ----------------------------------------------------------------------------- seeding
def seed(seed=None, ctx="all") -> None:
    """Seed the random generators: the same state as ``mx.random.seed`` (and ``npx.random.seed``).

    ``seed=None`` seeds from the operating system's entropy, as NumPy does. ``ctx``: "all"
    (default) or one context, as in :func:`gluonic.random.seed`.

    >>> np.random.seed(42); a = np.random.uniform(size=3)
    >>> mx.random.seed(42); b = np.random.uniform(size=3)   # equal to a
    """
    if seed is None:
        seed = int.from_bytes(os.urandom(8), "little")
    _mx_random.seed(seed, ctx=ctx)


# ----------------------------------------------------------------------------- uniform / normal
def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples from the uniform distribution on [low, high).

    ``low``/``high``: numbers or arrays (broadcast). Output: shape ``size`` or the
    parameters' broadcast shape (``()`` for numbers), dtype float32 unless ``dtype``.

    >>> np.random.uniform(-1, 1, size=(2, 3)).shape
    (2, 3)
    """
    return _draw("uniform", "_npi_uniform", {"low": low, "high": high}, size, ctx, out,
                 dtype=_float_dtype("uniform", dtype, out))


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples from the normal distribution with mean ``loc`` and standard deviation ``scale`` (>= 0).

    Output: shape ``size`` or the parameters' broadcast shape. Differentiable with respect
    to array parameters (``loc + scale * z``).

    >>> np.random.normal(np.array([0., 10.]), 1).shape
    (2,)
    """
    return _draw("normal", "_npi_normal", {"loc": loc, "scale": scale}, size, ctx, out,
                 dtype=_float_dtype("normal", dtype, out))


def _shape_args(fn: str, size: tuple) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return size


def randn(*size, **kwargs):
    """Standard normal samples of shape ``size`` given positionally (``randn()``: a 0-d array).

    Keywords: ``dtype``, ``ctx``, ``out``.

    >>> np.random.randn(2, 3).shape
    (2, 3)
    """
    return normal(0.0, 1.0, size=_shape_args("randn", size), **kwargs)


def rand(*size, **kwargs):
    """Uniform samples on [0, 1) of shape ``size`` given positionally (``rand()``: a 0-d array).

    >>> np.random.rand(2, 3).shape
    (2, 3)
    """
    return uniform(0.0, 1.0, size=_shape_args("rand", size), **kwargs)


def random_sample(size=None, dtype=None, ctx=None, out=None):
    """Uniform samples on [0, 1) (NumPy's ``random_sample``).

    >>> np.random.random_sample((2,)).shape
    (2,)
    """
    return uniform(0.0, 1.0, size=size, dtype=dtype, ctx=ctx, out=out)


# ----------------------------------------------------------------------------- integers and choices
def _int(fn: str, name: str, v) -> int:
    try:
        return operator.index(v)
    except TypeError:
        if isinstance(v, (float, onp.floating)) and float(v).is_integer():
            return int(v)
        raise GluonicTypeError(f"np.random.{fn}: {name} must be an integer. Received: {name}={v!r}") from None


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None):
    """Integers drawn uniformly from [low, high) (from [0, low) when ``high`` is None).

    Output: shape ``size`` (``()`` by default), dtype int64 unless ``dtype`` (an integer dtype).

    Raises ``ValueError`` when ``low >= high``.

    >>> int(np.random.randint(3, 4))
    3
    """
    if high is None:
        low, high = 0, low
    low, high = _int("randint", "low", low), _int("randint", "high", high)
    if low >= high:
        raise GluonicValueError(f"np.random.randint: low must be less than high. Received: low={low}, high={high}")
    try:
        name = "int64" if dtype is None else _dtype.np_dtype(dtype).name
    except (TypeError, ValueError, KeyError):
        name = str(dtype)
    if name not in ("int8", "uint8", "int16", "int32", "int64"):
        raise GluonicTypeError(f"np.random.randint: dtype must be an integer dtype. Received: dtype={dtype!r}")
    attrs = {"low": low, "high": high, "dtype": name}
    size = _size("randint", size)
    if size is not None:
        attrs["shape"] = size
    return _run("_npi_random_randint", [], ctx, out, attrs)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None):
    """Random samples from ``range(a)`` (``a`` an int) or from the rows of array ``a``.

    ``p``: probabilities (1-D, one per choice, summing to 1); ``replace=False`` draws
    without repeats. Output: shape ``size`` (``()`` by default) plus ``a``'s trailing axes;
    int64 for an int ``a``, else ``a``'s dtype. MXNet's extension: ``a`` may have more
    than one axis (rows are chosen).

    >>> sorted(np.random.choice(5, 5, replace=False).tolist())
    [0, 1, 2, 3, 4]
    """
    inputs = []
    attrs = {"replace": bool(replace), "weighted": p is not None}
    population = None
    if is_scalar(a):
        attrs["a"] = _int("choice", "a", a)
    else:
        population = a if is_symbol(a) or isinstance(a, NDArray) else as_array(a)
        if not is_symbol(population) and population.ndim == 0:
            raise GluonicValueError("np.random.choice: a must be an int or an array with at least one axis. "
                                    "Received: a 0-d array")
        inputs.append(population)
        attrs["a"] = "None"
    if p is not None:
        inputs.append(p if is_symbol(p) or isinstance(p, NDArray) else as_array(p, dtype="float64"))
    size = _size("choice", size)
    attrs["size"] = "None" if size is None else size
    if population is None:
        return _run("_npi_choice", inputs, ctx, out, attrs)
    indices = call("_npi_choice", inputs, **attrs)
    return call("take", [population, indices], out=out, axis=0)


def shuffle(x) -> None:
    """Shuffle ``x`` in place along its first axis (rows keep their contents). Returns None.

    >>> x = np.arange(6).reshape(3, 2); np.random.shuffle(x)
    """
    if is_symbol(x):
        raise GluonicTypeError("np.random.shuffle: a traced symbol cannot be shuffled in place; inside a hybridized "
                               "block use x = np.random.permutation(x). Received: a Symbol")
    if not isinstance(x, NDArray):
        raise GluonicTypeError(f"np.random.shuffle: x must be an mx.np.ndarray (it is shuffled in place). "
                               f"Received: {type(x).__name__}")
    call("_npi_shuffle", [x], out=x)


def permutation(x):
    """A random permutation: of ``range(x)`` for an int (int64), else a shuffled copy of array ``x``
    (along its first axis).

    >>> sorted(np.random.permutation(4).tolist())
    [0, 1, 2, 3]
    """
    if is_scalar(x):
        n = _int("permutation", "x", x)
        if n < 0:
            raise GluonicValueError(f"np.random.permutation: x must be non-negative. Received: x={n}")
        return call("_npi_choice", [], a=n, size=(n,), replace=False, weighted=False)
    x = x if is_symbol(x) or isinstance(x, NDArray) else as_array(x)
    return call("_npi_shuffle", [x])


def multinomial(n, pvals, size=None):
    """Counts of ``n`` experiments over ``len(pvals)`` outcomes: int64 of shape ``size + (k,)``.

    ``pvals``: probabilities (a list or a 1-D array); the last one is taken as
    ``1 - sum(pvals[:-1])``, as in NumPy.

    >>> np.random.multinomial(10, [0.0, 1.0]).tolist()
    [0, 10]
    """
    n = _int("multinomial", "n", n)
    if n < 0:
        raise GluonicValueError(f"np.random.multinomial: n must be non-negative. Received: n={n}")
    attrs = {"n": n}
    size = _size("multinomial", size)
    if size is not None:
        attrs["size"] = size
    if is_symbol(pvals) or isinstance(pvals, NDArray):
        return call("_npi_multinomial", [pvals], **attrs)
    values = onp.asarray(pvals, dtype=onp.float64)
    if values.ndim != 1:
        raise GluonicValueError(f"np.random.multinomial: pvals must be 1-D. Received: shape {values.shape}")
    return call("_npi_multinomial", [], pvals=tuple(values.tolist()), **attrs)


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):
    """Samples from the multivariate normal ``N(mean, cov)``: shape ``size + (k,)``, float32 (eager only).

    ``cov`` must be symmetric positive definite (a Cholesky factor is used).

    >>> np.random.multivariate_normal(np.zeros(2), np.eye(2), size=3).shape
    (3, 2)
    """
    if check_valid is not None or tol is not None:
        raise GluonicValueError("np.random.multivariate_normal: check_valid and tol are not supported. "
                                f"Received: check_valid={check_valid!r}, tol={tol!r}")
    mean, cov = as_array(mean), as_array(cov)
    k = mean.shape[-1] if mean.ndim else 0
    if mean.ndim != 1 or cov.shape != (k, k):
        raise GluonicValueError(f"np.random.multivariate_normal: mean must be 1-D (k,) and cov (k, k). "
                                f"Received: mean {mean.shape}, cov {cov.shape}")
    size = _size("multivariate_normal", size) or ()
    z = normal(0.0, 1.0, size=size + (k,), dtype=mean.dtype if mean.dtype.name in _FLOAT_NAMES else None,
               ctx=mean.context)
    chol = call("_npi_cholesky", [cov.astype(z.dtype)])
    return call("_npi_add", [call("_npi_matmul", [z, call("_np_transpose", [chol], axes=(1, 0))]),
                             mean.astype(z.dtype)])


# ----------------------------------------------------------------------------- more distributions
def exponential(scale=1.0, size=None, ctx=None, out=None):
    """Samples from the exponential distribution with mean ``scale`` (>= 0). Float32.

    >>> np.random.exponential(2.0, size=(3,)).shape
    (3,)
    """
    return _draw("exponential", "_npi_exponential", {"scale": scale}, size, ctx, out)


def gamma(shape, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples from the gamma distribution with shape ``shape`` and scale ``scale`` (mean shape * scale).

    >>> np.random.gamma(2.0, 3.0, size=(4,)).shape
    (4,)
    """
    if size is None and isinstance(out, NDArray):
        size = out.shape
    return _draw("gamma", "_npi_gamma", {"shape": shape, "scale": scale}, size, ctx, out,
                 dtype=_float_dtype("gamma", dtype, out))


def _ones_like(x):
    return call("ones_like", [x])


def beta(a, b, size=None, dtype=None, ctx=None):
    """Samples from the beta distribution: X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b), drawn in float64.

    ``a``, ``b`` > 0. Output dtype float32 unless ``dtype``.

    >>> np.random.beta(2.0, 3.0, size=(4,)).shape
    (4,)
    """
    dtype = _float_dtype("beta", dtype)
    a, b = _param("beta", "a", a), _param("beta", "b", b)
    for name, v in (("a", a), ("b", b)):
        if isinstance(v, float) and not v > 0:
            raise GluonicValueError(f"np.random.beta: {name} must be positive. Received: {name}={v}")
    # each gamma draw gets the full broadcast shape (a scale array of ones shaped like the other parameter)
    x = gamma(a, 1.0 if isinstance(b, float) else _ones_like(b), size=size, dtype="float64", ctx=ctx)
    y = gamma(b, 1.0 if isinstance(a, float) else _ones_like(a), size=size, dtype="float64", ctx=ctx)
    ratio = call("_npi_true_divide", [x, call("_npi_add", [x, y])])
    return call("Cast", [ratio], dtype=dtype)


def chisquare(df, size=None, dtype=None, ctx=None):
    """Samples from the chi-square distribution with ``df`` (> 0) degrees of freedom: Gamma(df / 2, scale 2).

    (MXNet 1.9 used scale 1/2, giving a mean of df / 4; gluonic's mean is df.)

    >>> np.random.chisquare(3.0, size=(2,)).shape
    (2,)
    """
    df = _param("chisquare", "df", df)
    if isinstance(df, float):
        if not df > 0:
            raise GluonicValueError(f"np.random.chisquare: df must be positive. Received: df={df}")
        half = df / 2
    else:
        half = call("_npi_true_divide_scalar", [df], scalar=2.0, is_int=False)
    return gamma(half, 2.0, size=size, dtype=dtype, ctx=ctx)


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Samples from the Gumbel distribution with location ``loc`` and scale ``scale`` (>= 0). Float32.

    >>> np.random.gumbel(0.0, 1.0, size=(3,)).shape
    (3,)
    """
    return _draw("gumbel", "_npi_gumbel", {"loc": loc, "scale": scale}, size, ctx, out)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Samples from the logistic distribution with location ``loc`` and scale ``scale`` (>= 0). Float32.

    >>> np.random.logistic(0.0, 1.0, size=(3,)).shape
    (3,)
    """
    return _draw("logistic", "_npi_logistic", {"loc": loc, "scale": scale}, size, ctx, out)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):
    """``exp`` of normal samples with mean ``mean`` and standard deviation ``sigma`` (>= 0).

    >>> np.random.lognormal(0.0, 1.0, size=(3,)).shape
    (3,)
    """
    z = _draw("lognormal", "_npi_normal", {"loc": mean, "scale": sigma}, size, ctx, None,
              dtype=_float_dtype("lognormal", dtype, out))
    return call("_npi_exp", [z], out=out)


def laplace(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples from the Laplace (double exponential) distribution: loc + (E1 - E2), E1, E2 ~ Exp(scale).

    Not in MXNet 1.9 (NumPy's function). Float32 unless ``dtype``.

    >>> np.random.laplace(0.0, 1.0, size=(3,)).shape
    (3,)
    """
    dtype = _float_dtype("laplace", dtype, out)
    loc, scale = _param("laplace", "loc", loc), _param("laplace", "scale", scale)
    if not isinstance(loc, float):  # the exponential draws get loc's shape too
        spread = _ones_like(loc)
        scale = call("_npi_multiply_scalar", [spread], scalar=scale, is_int=False) if isinstance(scale, float) \
            else call("_npi_multiply", [scale, spread])
    e1 = exponential(scale, size=size, ctx=ctx)
    e2 = exponential(scale, size=size, ctx=ctx)
    diff = call("_npi_subtract", [e1, e2])
    diff = call("_npi_add_scalar", [diff], scalar=loc, is_int=False) if isinstance(loc, float) \
        else call("_npi_add", [diff, loc])
    return call("Cast", [diff], out=out, dtype=dtype)


def pareto(a, size=None, ctx=None, out=None):
    """Samples from the Pareto II (Lomax) distribution with shape ``a`` (> 0), as NumPy's ``pareto``. Float32.

    >>> np.random.pareto(3.0, size=(3,)).shape
    (3,)
    """
    return _draw("pareto", "_npi_pareto", {"a": a}, size, ctx, out)


def power(a, size=None, ctx=None, out=None):
    """Samples in [0, 1] from the power distribution with exponent ``a - 1`` (``a`` > 0). Float32.

    >>> np.random.power(3.0, size=(3,)).shape
    (3,)
    """
    return _draw("power", "_npi_powerd", {"a": a}, size, ctx, out)


def rayleigh(scale=1.0, size=None, ctx=None, out=None):
    """Samples from the Rayleigh distribution with mode ``scale`` (>= 0). Float32.

    >>> np.random.rayleigh(2.0, size=(3,)).shape
    (3,)
    """
    return _draw("rayleigh", "_npi_rayleigh", {"scale": scale}, size, ctx, out)


def weibull(a, size=None, ctx=None, out=None):
    """Samples from the standard Weibull distribution with shape ``a`` (>= 0). Float32.

    >>> np.random.weibull(2.0, size=(3,)).shape
    (3,)
    """
    return _draw("weibull", "_npi_weibull", {"a": a}, size, ctx, out)


# ----------------------------------------------------------------------------- npx.random's samplers
def bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None):
    """Bernoulli samples: 1 with probability ``prob`` (or ``sigmoid(logit)``) (``mx.npx.random.bernoulli``).

    Exactly one of ``prob``/``logit``. Output dtype float32 unless ``dtype`` (bool, ints too).

    >>> from gluonic import npx
    >>> npx.random.bernoulli(1.0, size=(2,)).tolist()
    [1.0, 1.0]
    """
    if (prob is None) == (logit is None):
        raise GluonicValueError(f"npx.random.bernoulli: give exactly one of prob and logit. "
                                f"Received: prob={prob!r}, logit={logit!r}")
    name = "logit" if prob is None else "prob"
    dtype = "float32" if dtype is None else _dtype.np_dtype(dtype).name
    other = "prob" if name == "logit" else "logit"
    return _draw("bernoulli", "_npi_bernoulli", {name: prob if logit is None else logit}, size, ctx, out,
                 is_logit=prob is None, dtype=dtype, **{other: "None"})


def uniform_n(low=0.0, high=1.0, batch_shape=None, dtype=None, ctx=None):
    """Uniform samples of shape ``batch_shape + broadcast(low, high).shape`` (``mx.npx.random.uniform_n``)."""
    return _draw("uniform_n", "_npi_uniform_n", {"low": low, "high": high}, batch_shape, ctx,
                 dtype=_float_dtype("uniform_n", dtype))


def normal_n(loc=0.0, scale=1.0, batch_shape=None, dtype=None, ctx=None):
    """Normal samples of shape ``batch_shape + broadcast(loc, scale).shape`` (``mx.npx.random.normal_n``)."""
    return _draw("normal_n", "_npi_normal_n", {"loc": loc, "scale": scale}, batch_shape, ctx,
                 dtype=_float_dtype("normal_n", dtype))


