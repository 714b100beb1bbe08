"""``nd.random``: random sampling (MXNet's ``mx.nd.random``).

The samplers take scalar or NDArray parameters and dispatch once: scalars run the
``_random_X`` op (``shape`` samples on ``ctx``), NDArrays run ``_sample_X`` (``shape``
samples per parameter element, output ``param.shape + shape``, on the parameters'
context). ``*_like`` functions draw arrays shaped like their input. Generators are per
context and seeded with ``mx.random.seed``.

Example
-------
>>> import gluonic as mx
>>> mx.nd.random.uniform(0, 1, shape=(2, 3)).shape
(2, 3)
>>> mx.nd.random.normal(mx.nd.array([0, 10]), mx.nd.array([1, 1]), shape=4).shape
(2, 4)
"""
from __future__ import annotations

from typing import Any

import torch

from ..base import GluonicTypeError, GluonicValueError, numeric_types
from ._namespace import functions as _functions
from .ndarray import NDArray

globals().update(_functions("random"))  # every generated op; the samplers below replace some

_internal = _functions("_internal")
_generated = _functions("random")
uniform_like = _generated["uniform_like"]
normal_like = _generated["normal_like"]
gamma_like = _generated["gamma_like"]
exponential_like = _generated["exponential_like"]
poisson_like = _generated["poisson_like"]
negative_binomial_like = _generated["negative_binomial_like"]
generalized_negative_binomial_like = _generated["generalized_negative_binomial_like"]

__all__ = [
    "uniform",
    "normal",
    "randn",
    "poisson",
    "exponential",
    "gamma",
    "multinomial",
    "negative_binomial",
    "generalized_negative_binomial",
    "shuffle",
    "randint",
    "uniform_like",
    "normal_like",
    "gamma_like",
    "exponential_like",
    "poisson_like",
    "negative_binomial_like",
    "generalized_negative_binomial_like",
]


class _NullType:
    """MXNet's ``_Null``: an argument the caller did not give."""

    def __repr__(self) -> str:
        return "_Null"


_Null = _NullType()


def _is_array(x: Any) -> bool:
    return isinstance(x, NDArray) or getattr(x, "_is_symbol", False)


def _draw(random_op: str, sample_op: str | None, params: list, shape, dtype, ctx, out, kwargs: dict):
    """Run ``random_op`` for scalar parameters or ``sample_op`` for array parameters."""
    kind = "array" if _is_array(params[0]) else "number" if isinstance(params[0], numeric_types) else None
    if kind is None:
        raise GluonicValueError(
            f"Distribution parameters must be either NDArray or numbers. Received: {type(params[0]).__name__}"
        )
    for p in params[1:]:
        if _is_array(p) if kind == "array" else isinstance(p, numeric_types):
            continue
        raise GluonicTypeError(
            f"Distribution parameters must all have the same type (all numbers or all NDArrays). "
            f"Received: {', '.join(type(q).__name__ for q in params)}"
        )
    if dtype is not _Null:
        kwargs["dtype"] = dtype
    elif isinstance(out, NDArray):  # draw in out's dtype when the op can
        t = out._tensor.dtype
        if t in (torch.int32, torch.int64) if random_op == "_random_randint" else t.is_floating_point:
            kwargs["dtype"] = t
    if kind == "array":
        if sample_op is None:
            raise GluonicTypeError(f"{random_op[8:]} needs integer low and high. Received: NDArray parameters")
        if shape is not _Null:
            kwargs["shape"] = shape
        return _internal[sample_op](*params, out=out, **kwargs)
    if ctx is None and out is not None:
        ctx = out.context
    if ctx is not None:  # else the op's empty ctx: the current context
        kwargs["ctx"] = ctx
    if shape is _Null:
        shape = out.shape if out is not None else (1,)
    return _internal[random_op](*params, shape=shape, out=out, **kwargs)


def uniform(low=0, high=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the uniform distribution on [low, high).

    Parameters
    ----------
    low, high : float or NDArray
        Bounds. NDArrays (of equal shape) give ``shape`` samples per element.
    shape : int or tuple of ints, optional
        Samples to draw: output ``shape`` for scalar bounds (default (1,)), and
        ``low.shape + shape`` for NDArray bounds.
    dtype : {'float16', 'float32', 'float64'}, optional
        Output dtype (float32 by default).
    ctx : Context, optional
        Output context for scalar bounds (current context by default).
    out : NDArray, optional
        Where to write the samples.

    >>> mx.nd.random.uniform(-1, 1, shape=(2,)).shape
    (2,)
    """
    return _draw("_random_uniform", "_sample_uniform", [low, high], shape, dtype, ctx, out, kwargs)


def normal(loc=0, scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the normal distribution with mean ``loc`` and standard deviation ``scale``.

    Parameters as :func:`uniform`.

    >>> mx.nd.random.normal(0, 1, shape=(2, 2)).shape
    (2, 2)
    """
    return _draw("_random_normal", "_sample_normal", [loc, scale], shape, dtype, ctx, out, kwargs)


def randn(*shape, **kwargs):
    """Samples from the normal distribution, the shape given positionally.

    Keyword arguments: ``loc`` (0), ``scale`` (1), ``dtype``, ``ctx``, ``out``. ``randn()``
    draws one sample (MXNet failed on it).

    >>> mx.nd.random.randn(2, 3, loc=5, scale=1).shape
    (2, 3)
    """
    loc = kwargs.pop("loc", 0)
    scale = kwargs.pop("scale", 1)
    dtype = kwargs.pop("dtype", _Null)
    ctx = kwargs.pop("ctx", None)
    out = kwargs.pop("out", None)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return _draw("_random_normal", "_sample_normal", [loc, scale], shape or _Null, dtype, ctx, out, kwargs)


def poisson(lam=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the Poisson distribution with rate ``lam`` (counts as floats).

    >>> mx.nd.random.poisson(4, shape=(3,)).dtype
    <class 'numpy.float32'>
    """
    return _draw("_random_poisson", "_sample_poisson", [lam], shape, dtype, ctx, out, kwargs)


def exponential(scale=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the exponential distribution with scale ``scale`` (mean ``scale``,
    rate ``1/scale``).

    >>> mx.nd.random.exponential(2.0, shape=(3,)).shape
    (3,)
    """
    if isinstance(scale, numeric_types) and not scale > 0:
        raise GluonicValueError(f"exponential: scale (the mean) must be positive. Received: scale={scale!r}")
    lam = 1.0 / scale if isinstance(scale, numeric_types) or _is_array(scale) else scale
    return _draw("_random_exponential", "_sample_exponential", [lam], shape, dtype, ctx, out, kwargs)


def gamma(alpha=1, beta=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the gamma distribution with shape ``alpha`` and scale ``beta``
    (mean ``alpha * beta``).

    >>> mx.nd.random.gamma(9, 0.5, shape=(2,)).shape
    (2,)
    """
    return _draw("_random_gamma", "_sample_gamma", [alpha, beta], shape, dtype, ctx, out, kwargs)


def negative_binomial(k=1, p=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples the number of failures before the ``k``-th success, success probability ``p``.

    >>> mx.nd.random.negative_binomial(10, 0.5, shape=(2,)).shape
    (2,)
    """
    return _draw("_random_negative_binomial", "_sample_negative_binomial", [k, p], shape, dtype, ctx, out, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples from the negative binomial with mean ``mu`` and dispersion ``alpha``
    (variance ``mu + alpha * mu**2``).

    >>> mx.nd.random.generalized_negative_binomial(10, 0.5, shape=(2,)).shape
    (2,)
    """
    return _draw("_random_generalized_negative_binomial", "_sample_generalized_negative_binomial",
                 [mu, alpha], shape, dtype, ctx, out, kwargs)


def randint(low, high, shape=_Null, dtype=_Null, ctx=None, out=None, **kwargs):
    """Samples integers uniformly from [low, high).

    Parameters
    ----------
    low, high : int
        Bounds; ``low < high``.
    shape : int or tuple of ints, optional
        Output shape ((1,) by default).
    dtype : {'int32', 'int64'}, optional
        int32 by default.

    >>> mx.nd.random.randint(-10, 10, shape=(2,)).dtype
    <class 'numpy.int32'>
    """
    return _draw("_random_randint", None, [low, high], shape, dtype, ctx, out, kwargs)


def multinomial(data, shape=_Null, get_prob=False, out=None, dtype="int32", **kwargs):
    """Samples category indices from the distributions in ``data``'s last axis.

    Parameters
    ----------
    data : NDArray
        (..., k) probabilities (each row summing to 1).
    shape : int or tuple of ints, optional
        Samples per distribution: output ``data.shape[:-1] + shape``.
    get_prob : bool
        Also return ``log(data[..., index])`` (differentiable), for policy gradients.
    dtype : str
        Dtype of the indices (int32 by default).

    Returns
    -------
    NDArray, or [indices, log_probabilities] with ``get_prob=True``.

    >>> mx.nd.random.multinomial(mx.nd.array([[0.0, 1.0]]), shape=2).asnumpy().tolist()
    [[1, 1]]
    """
    if shape is not _Null:
        kwargs["shape"] = shape
    return _internal["_sample_multinomial"](data, get_prob=get_prob, dtype=dtype, out=out, **kwargs)


def shuffle(data, **kwargs):
    """Randomly permutes ``data`` along its first axis.

    >>> sorted(mx.nd.random.shuffle(mx.nd.array([1, 2, 3])).asnumpy().tolist())
    [1.0, 2.0, 3.0]
    """
    return _internal["_shuffle"](data, **kwargs)
