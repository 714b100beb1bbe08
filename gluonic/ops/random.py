"""Random sampling operators: ``_random_*`` (scalar parameters), ``_random_*_like``,
``_sample_*`` (array parameters), ``_sample_multinomial`` and ``_shuffle``.

Every op draws from the ``torch.Generator`` of its context (:func:`gluonic.random.generator`),
so ``mx.random.seed`` makes results reproducible.

- ``_random_X(params..., shape, ctx, dtype)`` has no inputs: ``ctx`` (``"cpu(0)"``, empty =
  current context) chooses the device and generator. ``shape`` is required.
- ``_random_X_like(data, params...)`` draws an array of ``data``'s shape, dtype and context.
- ``_sample_X(param arrays..., shape, dtype)`` draws ``shape`` samples for each element of
  the (equally shaped) parameter arrays: output shape ``param.shape + shape``.

Output dtypes are float16/32/64 (float32 by default; bfloat16 is accepted too). Counts
(poisson, negative binomial) are returned as floats, as in MXNet. Sampling ops have no
gradient (MXNet returns zeros): outputs never join the autograd graph, except the
log-probabilities of ``_sample_multinomial(get_prob=True)`` and the permuted data of
``_shuffle``.

Scalar parameters are validated as in MXNet (``scale > 0``, ...), with some additions
MXNet lacked (``0 < p <= 1`` for the negative binomial, ``low < high`` for randint, which
crashed MXNet when equal). Parameter arrays are not validated, as in MXNet; negative
Poisson rates give 0 (as in MXNet) instead of an error.
"""
from __future__ import annotations

import functools
import math

import torch

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError
from ..context import as_context, current_context
from ..random import generator
from ..util import is_np_shape
from .attrs import Attrs, DType, Shape
from .registry import register

_FLOATS = ("float16", "float32", "float64", "bfloat16")


# ----------------------------------------------------------------------------- helpers
def _require(ok: bool, op: str, what: str, **received) -> None:
    if not ok:
        got = ", ".join(f"{k}={v!r}" for k, v in received.items())
        raise GluonicValueError(f"Operator {op}: {what}. Received: {got}")


def _float_dtype(op: str, dtype: str | None) -> torch.dtype:
    if dtype is None:
        return torch.float32
    _require(dtype in _FLOATS, op, "dtype must be one of 'float16', 'float32', 'float64' (or 'bfloat16')",
             dtype=dtype)
    return _dtype.to_torch(dtype)


def _checked_shape(op: str, shape) -> tuple[int, ...]:
    if shape == () and is_np_shape():  # NumPy-shape graphs (MXNet's np mode) record scalars as shape ()
        return ()
    if not shape or min(shape) < 0:
        _require(bool(shape), op, "the output shape is required (pass shape=(...))", shape=shape)
        _require(False, op, "shape dimensions must be non-negative", shape=shape)
    return shape


_parse_ctx = functools.lru_cache(maxsize=64)(as_context)


def _fresh(op: str, a) -> tuple:
    """(shape, dtype, device, generator) of a ``_random_X`` op without inputs."""
    ctx = _parse_ctx(a.ctx) if a.ctx else current_context()
    return _checked_shape(op, a.shape), _float_dtype(op, a.dtype), ctx.torch_device, generator(ctx)


def _like(op: str, data: torch.Tensor) -> tuple:
    """(shape, dtype, device, generator) of a ``_random_X_like`` op."""
    if not data.dtype.is_floating_point:
        raise GluonicTypeError(
            f"Operator {op}: data must have a floating-point dtype (the samples take its dtype). "
            f"Received: data{tuple(data.shape)} {str(data.dtype).replace('torch.', '')}"
        )
    return tuple(data.shape), data.dtype, data.device, generator(data.device)


def _params(op: str, a, *params: torch.Tensor) -> tuple:
    """Parameter arrays of a ``_sample_X`` op, reshaped to broadcast against the output
    (``param.shape + (1,) * len(shape)``) and detached, then (shape, dtype, device, generator)."""
    first = params[0]
    for name, p in zip(("second", "third"), params[1:]):
        if p.shape != first.shape:
            raise GluonicValueError(
                f"Operator {op}: all parameter arrays must have the same shape. "
                f"Received: first {tuple(first.shape)}, {name} {tuple(p.shape)}"
            )
    shape = tuple(a.shape or ())
    _require(all(d >= 0 for d in shape), op, "shape dimensions must be non-negative", shape=shape)
    dtype = _float_dtype(op, a.dtype)
    work = dtype if dtype in (torch.float32, torch.float64) else torch.float32
    view = tuple(first.shape) + (1,) * len(shape)
    out = [p.detach().to(work).reshape(view) for p in params]
    return (*out, (tuple(first.shape) + shape, dtype, first.device, generator(first.device)))


def _work(dtype: torch.dtype) -> torch.dtype:
    """Precision in which gamma/Poisson draws are made for output ``dtype``."""
    return torch.float64 if dtype == torch.float64 else torch.float32


# ----------------------------------------------------------------------------- samplers
# Parameters are Python floats or tensors broadcastable to ``shape``.
def _affine(x: torch.Tensor, scale, shift, dtype: torch.dtype) -> torch.Tensor:
    """``x * scale + shift`` in ``dtype``: in place for scalar parameters (the common, fast case)."""
    if isinstance(scale, torch.Tensor) or isinstance(shift, torch.Tensor):
        return (x * scale + shift).to(dtype)
    if scale != 1:
        x.mul_(scale)
    if shift != 0:
        x.add_(shift)
    return x if x.dtype == dtype else x.to(dtype)


def _uniform(low, high, shape, dtype, device, gen):
    return _affine(torch.rand(shape, dtype=dtype, device=device, generator=gen), high - low, low, dtype)


def _normal(loc, scale, shape, dtype, device, gen):
    return _affine(torch.randn(shape, dtype=dtype, device=device, generator=gen), scale, loc, dtype)


def _standard_gamma(alpha, shape, work, device, gen):
    alpha = torch.as_tensor(alpha, dtype=work, device=device).expand(shape).contiguous()
    draw = torch._standard_gamma(alpha, generator=gen)
    return torch.where(alpha > 0, draw, 0.0)  # MXNet: a zero shape gives exactly 0


def _gamma(alpha, beta, shape, dtype, device, gen):
    return (_standard_gamma(alpha, shape, _work(dtype), device, gen) * beta).to(dtype)


def _exponential(lam, shape, dtype, device, gen):
    e = torch.empty(shape, dtype=_work(dtype), device=device).exponential_(generator=gen)
    return _affine(e, 1 / lam, 0, dtype)


def _poisson_counts(rate, shape, work, device, gen):
    rate = torch.as_tensor(rate, dtype=work, device=device).expand(shape).clamp_min(0)
    return torch.poisson(rate, generator=gen)


def _poisson(lam, shape, dtype, device, gen):
    return _poisson_counts(lam, shape, _work(dtype), device, gen).to(dtype)


def _negative_binomial(k, p, shape, dtype, device, gen):
    """Failures before the ``k``-th success (success probability ``p``): a gamma-Poisson mixture."""
    work = _work(dtype)
    rate = _standard_gamma(k, shape, work, device, gen) * ((1 - p) / p)
    return _poisson_counts(rate, shape, work, device, gen).to(dtype)


def _generalized_negative_binomial(mu, alpha, shape, dtype, device, gen):
    """Mean ``mu``, variance ``mu + alpha * mu**2``; ``alpha == 0`` is Poisson(``mu``)."""
    work = _work(dtype)
    mu = torch.as_tensor(mu, dtype=work, device=device)
    alpha = torch.as_tensor(alpha, dtype=work, device=device)
    positive = alpha > 0
    safe = torch.where(positive, alpha, 1.0)
    mixed = _standard_gamma(1 / safe, shape, work, device, gen) * (safe * mu)
    rate = torch.where(positive, mixed, mu)
    return _poisson_counts(rate, shape, work, device, gen).to(dtype)


# ----------------------------------------------------------------------------- shape rules
def _fresh_rule(op: str):
    def rule(shapes, dtypes, a):
        return [(_checked_shape(op, a.shape), _dtype.from_torch(_float_dtype(op, a.dtype)))]

    return rule


def _like_rule(op: str):
    def rule(shapes, dtypes, a):
        dtype = _dtype.to_torch(dtypes[0])
        if not dtype.is_floating_point:
            raise GluonicTypeError(f"Operator {op}: data must have a floating-point dtype. Received: {dtypes[0]}")
        return [(tuple(shapes[0]), _dtype.from_torch(dtype))]

    return rule


def _sample_rule(op: str):
    def rule(shapes, dtypes, a):
        for s in shapes[1:]:
            _require(tuple(s) == tuple(shapes[0]), op, "all parameter arrays must have the same shape",
                     shapes=[tuple(x) for x in shapes])
        return [(tuple(shapes[0]) + tuple(a.shape or ()), _dtype.from_torch(_float_dtype(op, a.dtype)))]

    return rule


def _fresh_op(name: str, attrs: type[Attrs], aliases: tuple[str, ...] = ()):
    return register(name, attrs=attrs, aliases=aliases, shape_rule=_fresh_rule(name), differentiable=False)


def _like_op(name: str, attrs: type[Attrs]):
    return register(name, attrs=attrs, shape_rule=_like_rule(name), differentiable=False)


def _sample_op(name: str):
    return register(name, attrs=SampleAttrs, aliases=(name[1:],), shape_rule=_sample_rule(name),
                    differentiable=False)


# ----------------------------------------------------------------------------- attributes
class UniformAttrs(Attrs):
    low: float = 0.0
    high: float = 1.0
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class NormalAttrs(Attrs):
    loc: float = 0.0
    scale: float = 1.0
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class GammaAttrs(Attrs):
    alpha: float = 1.0
    beta: float = 1.0
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class ExponentialAttrs(Attrs):
    lam: float = 1.0
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class PoissonAttrs(ExponentialAttrs):
    pass


class NegativeBinomialAttrs(Attrs):
    k: int = 1
    p: float = 1.0
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class GeneralizedNegativeBinomialAttrs(Attrs):
    mu: float = 1.0
    alpha: float = 1.0
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class RandintAttrs(Attrs):
    low: int
    high: int
    shape: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class UniformLikeAttrs(Attrs):
    low: float = 0.0
    high: float = 1.0


class NormalLikeAttrs(Attrs):
    loc: float = 0.0
    scale: float = 1.0


class GammaLikeAttrs(Attrs):
    alpha: float = 1.0
    beta: float = 1.0


class RateLikeAttrs(Attrs):
    lam: float = 1.0


class NegativeBinomialLikeAttrs(Attrs):
    k: int = 1
    p: float = 1.0


class GeneralizedNegativeBinomialLikeAttrs(Attrs):
    mu: float = 1.0
    alpha: float = 1.0


class SampleAttrs(Attrs):
    shape: Shape = ()
    dtype: DType | None = None


class MultinomialAttrs(Attrs):
    shape: Shape = ()
    get_prob: bool = False
    dtype: DType = "int32"


# ----------------------------------------------------------------------------- parameter checks
def _check_uniform(op, a):
    _require(a.low <= a.high, op, "low must be less than or equal to high", low=a.low, high=a.high)


def _check_normal(op, a):
    _require(a.scale > 0, op, "scale (the standard deviation) must be positive", scale=a.scale)


def _check_gamma(op, a):
    _require(a.alpha > 0 and a.beta > 0, op, "alpha and beta must be positive", alpha=a.alpha, beta=a.beta)


def _check_exponential(op, a):
    _require(a.lam > 0, op, "lam (the rate) must be positive", lam=a.lam)


def _check_poisson(op, a):
    _require(a.lam >= 0, op, "lam (the rate) must be non-negative", lam=a.lam)


def _check_negative_binomial(op, a):
    _require(a.k >= 0, op, "k must be non-negative", k=a.k)
    _require(0 < a.p <= 1, op, "p (the success probability) must be in (0, 1]", p=a.p)


def _check_generalized_negative_binomial(op, a):
    _require(a.mu >= 0 and a.alpha >= 0, op, "mu and alpha must be non-negative", mu=a.mu, alpha=a.alpha)


# ----------------------------------------------------------------------------- _random_X
@_fresh_op("_random_uniform", UniformAttrs, aliases=("uniform", "random_uniform"))
def random_uniform(*, a: UniformAttrs):
    """Samples from the uniform distribution on [low, high).

    Output: an array of ``shape`` (required), ``dtype`` (float32 default) on ``ctx``.

    >>> mx.nd.random_uniform(low=-1, high=1, shape=(2, 3)).shape
    (2, 3)
    """
    _check_uniform("_random_uniform", a)
    return _uniform(a.low, a.high, *_fresh("_random_uniform", a))


@_fresh_op("_random_normal", NormalAttrs, aliases=("normal", "random_normal"))
def random_normal(*, a: NormalAttrs):
    """Samples from the normal distribution with mean ``loc`` and standard deviation ``scale``.

    >>> mx.nd.random_normal(loc=0, scale=1, shape=(2,)).shape
    (2,)
    """
    _check_normal("_random_normal", a)
    return _normal(a.loc, a.scale, *_fresh("_random_normal", a))


@_fresh_op("_random_gamma", GammaAttrs, aliases=("random_gamma",))
def random_gamma(*, a: GammaAttrs):
    """Samples from the gamma distribution with shape ``alpha`` and scale ``beta`` (mean alpha*beta).

    >>> mx.nd.random_gamma(alpha=2, beta=3, shape=(4,)).shape
    (4,)
    """
    _check_gamma("_random_gamma", a)
    return _gamma(a.alpha, a.beta, *_fresh("_random_gamma", a))


@_fresh_op("_random_exponential", ExponentialAttrs, aliases=("random_exponential",))
def random_exponential(*, a: ExponentialAttrs):
    """Samples from the exponential distribution with rate ``lam`` (mean 1/lam).

    >>> mx.nd.random_exponential(lam=2, shape=(4,)).shape
    (4,)
    """
    _check_exponential("_random_exponential", a)
    return _exponential(a.lam, *_fresh("_random_exponential", a))


@_fresh_op("_random_poisson", PoissonAttrs, aliases=("random_poisson",))
def random_poisson(*, a: PoissonAttrs):
    """Samples from the Poisson distribution with rate ``lam``; counts as floats.

    >>> mx.nd.random_poisson(lam=4, shape=(4,)).dtype
    <class 'numpy.float32'>
    """
    _check_poisson("_random_poisson", a)
    return _poisson(a.lam, *_fresh("_random_poisson", a))


@_fresh_op("_random_negative_binomial", NegativeBinomialAttrs, aliases=("random_negative_binomial",))
def random_negative_binomial(*, a: NegativeBinomialAttrs):
    """Samples the number of failures before the ``k``-th success, success probability ``p``.

    >>> mx.nd.random_negative_binomial(k=3, p=0.4, shape=(4,)).shape
    (4,)
    """
    _check_negative_binomial("_random_negative_binomial", a)
    return _negative_binomial(a.k, a.p, *_fresh("_random_negative_binomial", a))


@_fresh_op("_random_generalized_negative_binomial", GeneralizedNegativeBinomialAttrs,
           aliases=("random_generalized_negative_binomial",))
def random_generalized_negative_binomial(*, a: GeneralizedNegativeBinomialAttrs):
    """Samples from the negative binomial with mean ``mu`` and dispersion ``alpha``
    (variance ``mu + alpha * mu**2``; ``alpha = 0`` is Poisson).

    >>> mx.nd.random_generalized_negative_binomial(mu=2, alpha=0.5, shape=(4,)).shape
    (4,)
    """
    _check_generalized_negative_binomial("_random_generalized_negative_binomial", a)
    return _generalized_negative_binomial(a.mu, a.alpha, *_fresh("_random_generalized_negative_binomial", a))


def _randint_rule(shapes, dtypes, a):
    return [(_checked_shape("_random_randint", a.shape), _dtype.from_torch(_int_dtype(a.dtype)))]


def _int_dtype(dtype: str | None) -> torch.dtype:
    _require(dtype in (None, "int32", "int64"), "_random_randint", "dtype must be 'int32' or 'int64'", dtype=dtype)
    return torch.int64 if dtype == "int64" else torch.int32


@register("_random_randint", attrs=RandintAttrs, aliases=("random_randint",), shape_rule=_randint_rule,
          differentiable=False)
def random_randint(*, a: RandintAttrs):
    """Samples integers uniformly from [low, high); ``dtype`` int32 (default) or int64.

    >>> mx.nd.random_randint(low=0, high=10, shape=(3,)).dtype
    <class 'numpy.int32'>
    """
    op = "_random_randint"
    dtype = _int_dtype(a.dtype)
    _require(a.low < a.high, op, "low must be less than high", low=a.low, high=a.high)
    info = torch.iinfo(dtype)
    _require(info.min <= a.low and a.high - 1 <= info.max, op,
             f"low and high - 1 must fit in {str(dtype).replace('torch.', '')}; use dtype='int64'",
             low=a.low, high=a.high)
    ctx = _parse_ctx(a.ctx) if a.ctx else current_context()
    return torch.randint(a.low, a.high, _checked_shape(op, a.shape), dtype=dtype, device=ctx.torch_device,
                         generator=generator(ctx))


# ----------------------------------------------------------------------------- _random_X_like
@_like_op("_random_uniform_like", UniformLikeAttrs)
def random_uniform_like(data, *, a: UniformLikeAttrs):
    """Uniform samples on [low, high) with the shape, dtype and context of ``data``."""
    _check_uniform("_random_uniform_like", a)
    return _uniform(a.low, a.high, *_like("_random_uniform_like", data))


@_like_op("_random_normal_like", NormalLikeAttrs)
def random_normal_like(data, *, a: NormalLikeAttrs):
    """Normal samples with the shape, dtype and context of ``data``."""
    _check_normal("_random_normal_like", a)
    return _normal(a.loc, a.scale, *_like("_random_normal_like", data))


@_like_op("_random_gamma_like", GammaLikeAttrs)
def random_gamma_like(data, *, a: GammaLikeAttrs):
    """Gamma samples with the shape, dtype and context of ``data``."""
    _check_gamma("_random_gamma_like", a)
    return _gamma(a.alpha, a.beta, *_like("_random_gamma_like", data))


@_like_op("_random_exponential_like", RateLikeAttrs)
def random_exponential_like(data, *, a: RateLikeAttrs):
    """Exponential samples with the shape, dtype and context of ``data``."""
    _check_exponential("_random_exponential_like", a)
    return _exponential(a.lam, *_like("_random_exponential_like", data))


@_like_op("_random_poisson_like", RateLikeAttrs)
def random_poisson_like(data, *, a: RateLikeAttrs):
    """Poisson samples with the shape, dtype and context of ``data``."""
    _check_poisson("_random_poisson_like", a)
    return _poisson(a.lam, *_like("_random_poisson_like", data))


@_like_op("_random_negative_binomial_like", NegativeBinomialLikeAttrs)
def random_negative_binomial_like(data, *, a: NegativeBinomialLikeAttrs):
    """Negative binomial samples with the shape, dtype and context of ``data``."""
    _check_negative_binomial("_random_negative_binomial_like", a)
    return _negative_binomial(a.k, a.p, *_like("_random_negative_binomial_like", data))


@_like_op("_random_generalized_negative_binomial_like", GeneralizedNegativeBinomialLikeAttrs)
def random_generalized_negative_binomial_like(data, *, a: GeneralizedNegativeBinomialLikeAttrs):
    """Generalized negative binomial samples with the shape, dtype and context of ``data``."""
    _check_generalized_negative_binomial("_random_generalized_negative_binomial_like", a)
    return _generalized_negative_binomial(a.mu, a.alpha, *_like("_random_generalized_negative_binomial_like", data))


# ----------------------------------------------------------------------------- _sample_X
@_sample_op("_sample_uniform")
def sample_uniform(low, high, *, a: SampleAttrs):
    """``shape`` uniform samples on [low[i], high[i]) per element: output ``low.shape + shape``.

    >>> lo, hi = mx.nd.array([0, 10]), mx.nd.array([1, 20])
    >>> mx.nd.sample_uniform(lo, hi, shape=(3,)).shape
    (2, 3)
    """
    *ps, rest = _params("_sample_uniform", a, low, high)
    return _uniform(*ps, *rest)


@_sample_op("_sample_normal")
def sample_normal(mu, sigma, *, a: SampleAttrs):
    """``shape`` normal samples per (mu[i], sigma[i]) pair: output ``mu.shape + shape``."""
    *ps, rest = _params("_sample_normal", a, mu, sigma)
    return _normal(*ps, *rest)


@_sample_op("_sample_gamma")
def sample_gamma(alpha, beta, *, a: SampleAttrs):
    """``shape`` gamma samples per (alpha[i], beta[i]) (shape, scale) pair: output ``alpha.shape + shape``."""
    *ps, rest = _params("_sample_gamma", a, alpha, beta)
    return _gamma(*ps, *rest)


@_sample_op("_sample_exponential")
def sample_exponential(lam, *, a: SampleAttrs):
    """``shape`` exponential samples per rate lam[i]: output ``lam.shape + shape``."""
    *ps, rest = _params("_sample_exponential", a, lam)
    return _exponential(*ps, *rest)


@_sample_op("_sample_poisson")
def sample_poisson(lam, *, a: SampleAttrs):
    """``shape`` Poisson samples per rate lam[i] (negative rates give 0): output ``lam.shape + shape``."""
    *ps, rest = _params("_sample_poisson", a, lam)
    return _poisson(*ps, *rest)


@_sample_op("_sample_negative_binomial")
def sample_negative_binomial(k, p, *, a: SampleAttrs):
    """``shape`` negative binomial samples per (k[i], p[i]) pair: output ``k.shape + shape``."""
    *ps, rest = _params("_sample_negative_binomial", a, k, p)
    return _negative_binomial(*ps, *rest)


@_sample_op("_sample_generalized_negative_binomial")
def sample_generalized_negative_binomial(mu, alpha, *, a: SampleAttrs):
    """``shape`` generalized negative binomial samples per (mu[i], alpha[i]) pair."""
    *ps, rest = _params("_sample_generalized_negative_binomial", a, mu, alpha)
    return _generalized_negative_binomial(*ps, *rest)


# ----------------------------------------------------------------------------- multinomial, shuffle
_MULTINOMIAL_DTYPES = ("float16", "float32", "float64", "int32", "int64", "uint8")


def _multinomial_shape(data_shape, a) -> tuple[int, ...]:
    op = "_sample_multinomial"
    _require(len(data_shape) >= 1, op, "data must have at least one axis (the categories)",
             data_shape=tuple(data_shape))
    _require(a.dtype in _MULTINOMIAL_DTYPES, op, f"dtype must be one of {list(_MULTINOMIAL_DTYPES)}",
             dtype=a.dtype)
    return (tuple(data_shape[:-1]) + tuple(a.shape)) or (1,)


def _multinomial_rule(shapes, dtypes, a):
    out = [(_multinomial_shape(shapes[0], a), _dtype.from_torch(_dtype.to_torch(a.dtype)))]
    if a.get_prob:
        out.append((out[0][0], _dtype.from_torch(_dtype.to_torch(dtypes[0]))))
    return out


@register("_sample_multinomial", attrs=MultinomialAttrs, aliases=("sample_multinomial",),
          num_outputs=lambda a: 2 if a.get_prob else 1, output_names=("output0", "output1"),
          shape_rule=_multinomial_rule)
def sample_multinomial(data, *, a: MultinomialAttrs):
    """Category indices drawn from the distributions in ``data``'s last axis.

    ``data``: (..., k) probabilities. Output: indices of shape ``data.shape[:-1] + shape``
    ((1,) when that is empty), dtype ``dtype`` (int32 default). With ``get_prob=True`` a
    second output holds ``log(data[..., index])``, differentiable with respect to
    ``data`` (REINFORCE-style gradients). Rows need not sum to 1 for the draw (they are
    normalized), but ``get_prob`` reports the unnormalized ``log(data)`` as MXNet does.

    >>> p = mx.nd.array([[0.0, 1.0], [1.0, 0.0]])
    >>> mx.nd.sample_multinomial(p, shape=(3,)).asnumpy().tolist()
    [[1, 1, 1], [0, 0, 0]]
    """
    out_shape = _multinomial_shape(data.shape, a)
    k = data.shape[-1]
    rows = data.detach().reshape(-1, k)
    count = math.prod(a.shape)
    if rows.shape[0] == 0 or count == 0:
        index = torch.zeros((rows.shape[0], count), dtype=torch.int64, device=data.device)
    else:
        probs = rows if rows.dtype in (torch.float32, torch.float64) else rows.float()
        # Checked here, not left to torch: on a GPU a bad row is a device-side assert, not an error.
        if not probs.is_meta and not bool((torch.isfinite(probs) & (probs >= 0)).all() and (probs.sum(1) > 0).all()):
            raise GluonicValueError(
                "Operator _sample_multinomial: every row of data must hold finite, non-negative probabilities "
                f"with a positive sum. Received: data of shape {tuple(data.shape)} with min {probs.min().item():g}")
        index = torch.multinomial(probs, count, replacement=True, generator=generator(data.device))
    samples = index.reshape(out_shape).to(_dtype.to_torch(a.dtype))
    if not a.get_prob:
        return samples
    log_prob = torch.log(torch.gather(data.reshape(-1, k), 1, index)).reshape(out_shape)
    return samples, log_prob


def _same_rule(shapes, dtypes, a):
    return [(tuple(shapes[0]), _dtype.from_torch(_dtype.to_torch(dtypes[0])))]


@register("_shuffle", aliases=("shuffle",), shape_rule=_same_rule)
def shuffle(data):
    """Randomly permutes ``data`` along its first axis (rows keep their contents).

    Unlike MXNet (which refuses to differentiate it), the gradient is the output
    gradient permuted back.

    >>> mx.nd.shuffle(mx.nd.arange(4)).sort().asnumpy().tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    if data.dim() == 0:
        return data.clone()
    perm = torch.randperm(data.shape[0], generator=generator(data.device), device=data.device)
    return data[perm]
