"""Random sampling operators of MXNet's NumPy interface: ``_npi_uniform``, ``_npi_normal``,
``_npi_gamma``, ``_npi_exponential``, ``_npi_choice``, ``_npi_shuffle``, ... (the ops behind
``mx.np.random`` and ``mx.npx.random``).

Distribution parameters arrive either as attributes (Python numbers) or as array inputs:
an attribute left ``None`` is taken from the next input, in order (MXNet's convention, so
``_npi_normal(x, loc=None, scale=1.0)`` draws around ``x``). The output has shape ``size``
(which the parameter arrays must broadcast to, as in NumPy), or the parameters' broadcast
shape when ``size`` is None (``()`` for scalars). The ``_n`` variants prepend ``size``
instead: output ``size + broadcast(parameter shapes)``.

Draws come from the ``torch.Generator`` of the context (:func:`gluonic.random.generator`):
the device of the parameter arrays, or the ``ctx`` attribute (empty: the current context),
so ``mx.random.seed`` makes every op reproducible.

Continuous samples are differentiable functions of their parameter arrays (pathwise gradients:
``loc + scale * z`` for the normal, ``low + (high - low) * u`` for the uniform, implicit ones
for the gamma). MXNet returned zeros for the uniform, gamma and power. Discrete samples
(bernoulli, randint, choice, multinomial) carry no gradient.

Parameters are validated as NumPy does (``scale >= 0``, ``a > 0``, ...), arrays too (as MXNet).
"""
from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable

import torch

from .. import _dtype
from ..base import GluonicValueError
from ..context import as_context, current_context
from ..random import generator
from .attrs import Attrs, DType, Floats, Shape
from .random import RandintAttrs
from .registry import register

_FLOATS = (torch.float16, torch.float32, torch.float64, torch.bfloat16)
_parse_ctx = functools.lru_cache(maxsize=64)(as_context)


def _fail(op: str, what: str, **received) -> None:
    got = ", ".join(f"{k}={v!r}" for k, v in received.items())
    raise GluonicValueError(f"Operator {op}: {what}. Received: {got}")


def _place(a, tensors) -> tuple[torch.device, torch.Generator]:
    """Device and generator: the parameter arrays', else the ``ctx`` attribute's (empty: current)."""
    if tensors:
        device = tensors[0].device
        return device, generator(device)
    ctx_attr = getattr(a, "ctx", "")
    ctx = _parse_ctx(ctx_attr) if ctx_attr else current_context()
    return ctx.torch_device, generator(ctx)


def _float_out(op: str, dtype) -> torch.dtype:
    if dtype is None:
        return torch.float32
    t = _dtype.to_torch(dtype)
    if t not in _FLOATS:
        _fail(op, "dtype must be one of 'float16', 'float32', 'float64' (or 'bfloat16')", dtype=dtype)
    return t


def _work(dtype: torch.dtype) -> torch.dtype:
    return torch.float64 if dtype == torch.float64 else torch.float32


def _broadcast(*shapes) -> tuple[int, ...] | None:
    """NumPy's broadcast of ``shapes`` (None when they do not broadcast)."""
    if len(shapes) == 1:
        return tuple(shapes[0])
    ndim = max(len(s) for s in shapes)
    out = []
    for i in range(-ndim, 0):
        dims = {s[i] for s in shapes if len(s) >= -i} - {1}
        if len(dims) > 1:
            return None
        out.append(dims.pop() if dims else 1)
    return tuple(out)


def out_shape(op: str, param_shapes, size, prepend: bool = False) -> tuple[int, ...]:
    """The output shape for parameters of ``param_shapes`` and the ``size`` attribute.

    NumPy's rule: the parameters broadcast together, and to ``size`` when it is given (the
    result is ``size`` itself). ``prepend`` (the ``_n`` ops): ``size + broadcast shape``.
    """
    shape = _broadcast(*param_shapes) if param_shapes else ()
    if shape is None:
        _fail(op, "the parameter arrays do not broadcast together", shapes=[tuple(s) for s in param_shapes])
    if size is None:
        return shape
    size = tuple(size)
    if any(d is None or d < 0 for d in size):
        _fail(op, "size must be non-negative integers", size=size)
    if prepend:
        return size + shape
    if shape and _broadcast(size, shape) != size:
        _fail(op, f"size {size} is not compatible with the parameters' broadcast shape {shape}", size=size)
    return size


# ----------------------------------------------------------------------------- distributions
@dataclasses.dataclass(frozen=True)
class _Dist:
    """A distribution: its parameter names (MXNet's attribute names), their constraints
    (``">=0"`` or ``">0"``), and ``draw(params, shape, work_dtype, device, gen)``."""

    fn: str
    params: tuple[str, ...]
    limits: dict
    draw: Callable
    prepend: bool = False


def _std_exponential(shape, work, device, gen):
    return torch.empty(shape, dtype=work, device=device).exponential_(generator=gen)


def _open_uniform(shape, work, device, gen):
    """Uniform on (0, 1): never exactly 0, so logs stay finite."""
    return torch.rand(shape, dtype=work, device=device, generator=gen).clamp_min_(torch.finfo(work).tiny)


def _std_gamma(alpha, shape, work, device, gen):
    alpha = torch.as_tensor(alpha, dtype=work, device=device).expand(shape).contiguous()
    draw = torch._standard_gamma(alpha, generator=gen)
    return torch.where(alpha > 0, draw, 0.0)  # a zero shape gives exactly 0, as in NumPy


def _affine(x: torch.Tensor, shift, scale) -> torch.Tensor:
    """``shift + scale * x``: in place on the fresh draw ``x`` for number parameters (the common case)."""
    if isinstance(shift, torch.Tensor) or isinstance(scale, torch.Tensor):
        return shift + scale * x
    return x.mul_(scale).add_(shift) if scale != 1 or shift != 0 else x


def _uniform(p, shape, work, device, gen):
    low, high = p
    return _affine(torch.rand(shape, dtype=work, device=device, generator=gen), low, high - low)


def _normal(p, shape, work, device, gen):
    loc, scale = p
    return _affine(torch.randn(shape, dtype=work, device=device, generator=gen), loc, scale)


def _gamma(p, shape, work, device, gen):
    k, scale = p
    return _std_gamma(k, shape, work, device, gen) * scale


def _gumbel(p, shape, work, device, gen):
    loc, scale = p
    return loc - scale * torch.log(_std_exponential(shape, work, device, gen))


def _logistic(p, shape, work, device, gen):
    loc, scale = p
    u = _open_uniform(shape, work, device, gen)
    return loc + scale * (torch.log(u) - torch.log1p(-u))


def _exponential(p, shape, work, device, gen):
    return p[0] * _std_exponential(shape, work, device, gen)


def _rayleigh(p, shape, work, device, gen):
    return p[0] * torch.sqrt(2 * _std_exponential(shape, work, device, gen))


def _weibull(p, shape, work, device, gen):
    a = torch.as_tensor(p[0], dtype=work, device=device)
    e = _std_exponential(shape, work, device, gen)
    return torch.where(a > 0, e ** (1 / torch.where(a > 0, a, 1.0)), 0.0)  # a = 0 gives 0, as in NumPy


def _pareto(p, shape, work, device, gen):
    return torch.expm1(_std_exponential(shape, work, device, gen) / p[0])


def _power(p, shape, work, device, gen):
    return (-torch.expm1(-_std_exponential(shape, work, device, gen))) ** (1 / p[0])


_NONNEG, _POS = ">=0", ">0"
_DISTS = {
    "_npi_uniform": _Dist("uniform", ("low", "high"), {}, _uniform),
    "_npi_uniform_n": _Dist("uniform_n", ("low", "high"), {}, _uniform, prepend=True),
    "_npi_normal": _Dist("normal", ("loc", "scale"), {"scale": _NONNEG}, _normal),
    "_npi_normal_n": _Dist("normal_n", ("loc", "scale"), {"scale": _NONNEG}, _normal, prepend=True),
    "_npi_gamma": _Dist("gamma", ("shape", "scale"), {"shape": _NONNEG, "scale": _NONNEG}, _gamma),
    "_npi_gumbel": _Dist("gumbel", ("loc", "scale"), {"scale": _NONNEG}, _gumbel),
    "_npi_logistic": _Dist("logistic", ("loc", "scale"), {"scale": _NONNEG}, _logistic),
    "_npi_exponential": _Dist("exponential", ("scale",), {"scale": _NONNEG}, _exponential),
    "_npi_rayleigh": _Dist("rayleigh", ("scale",), {"scale": _NONNEG}, _rayleigh),
    "_npi_weibull": _Dist("weibull", ("a",), {"a": _NONNEG}, _weibull),
    "_npi_pareto": _Dist("pareto", ("a",), {"a": _POS}, _pareto),
    "_npi_powerd": _Dist("power", ("a",), {"a": _POS}, _power),
}


def _gather(op: str, d: _Dist, a, inputs) -> list:
    """Parameter values in order: the attribute, or the next array input where it is None."""
    arrays = iter([t for t in inputs if t is not None])
    values = []
    for name in d.params:
        v = getattr(a, name)
        if v is None:
            v = next(arrays, None)
            if v is None:
                _fail(op, f"parameter '{name}' is None but no array input is left to take it from",
                      **{name: None})
        values.append(v)
    if next(arrays, None) is not None:
        _fail(op, "more array inputs than parameters set to None", **{n: getattr(a, n) for n in d.params})
    return values


def _check_limits(op: str, d: _Dist, values) -> None:
    for name, v in zip(d.params, values):
        limit = d.limits.get(name)
        if limit is None:
            continue
        if isinstance(v, torch.Tensor):
            if v.is_meta or v.numel() == 0:
                continue
            low = v.detach().min()
            bad = bool(low <= 0) if limit == _POS else bool(low < 0)
            v = float(low)
        else:
            bad = v <= 0 if limit == _POS else v < 0
        if bad:
            what = "positive" if limit == _POS else "non-negative"
            _fail(op, f"{name} must be {what} (np.random.{d.fn})", **{name: v})


def _count_arrays(op: str, d: _Dist, a, shapes) -> list:
    present = [tuple(s) for s in shapes if s is not None]
    wanted = sum(getattr(a, n) is None for n in d.params)
    if len(present) != wanted:
        _fail(op, f"{wanted} parameter(s) set to None need as many array inputs", arrays=len(present))
    return present


def _sample(op: str, d: _Dist, a, inputs):
    values = _gather(op, d, a, inputs)
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    shape = out_shape(op, [t.shape for t in tensors], a.size, d.prepend)
    dtype = _float_out(op, getattr(a, "dtype", None))
    work = _work(dtype)
    device, gen = _place(a, tensors)
    _check_limits(op, d, values)
    params = [v.to(device=device, dtype=work) if isinstance(v, torch.Tensor) else v for v in values]
    return d.draw(params, shape, work, device, gen).to(dtype)


def _dist_rule(op: str, d: _Dist):
    def rule(shapes, dtypes, a):
        present = _count_arrays(op, d, a, shapes)
        out = out_shape(op, present, a.size, d.prepend)
        return [(out, _dtype.from_torch(_float_out(op, getattr(a, "dtype", None))))]

    return rule


def _register_dist(op: str, attrs: type[Attrs], doc: str) -> None:
    d = _DISTS[op]
    if len(d.params) == 2:
        def impl(input1=None, input2=None, *, a):
            return _sample(op, d, a, (input1, input2))
    else:
        def impl(input1=None, *, a):
            return _sample(op, d, a, (input1,))
    impl.__name__ = impl.__qualname__ = op.lstrip("_")
    impl.__doc__ = doc
    register(op, attrs=attrs, shape_rule=_dist_rule(op, d))(impl)


# ----------------------------------------------------------------------------- attributes
class UniformAttrs(Attrs):
    low: float | None = None
    high: float | None = None
    size: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class NormalAttrs(Attrs):
    loc: float | None = None
    scale: float | None = None
    size: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class GammaAttrs(Attrs):
    shape: float | None = None
    scale: float | None = None
    size: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None


class LocScaleAttrs(Attrs):
    loc: float | None = None
    scale: float | None = None
    size: Shape | None = None
    ctx: str | None = ""


class ScaleAttrs(Attrs):
    scale: float | None = 1.0
    size: Shape | None = None
    ctx: str | None = ""


class ShapeParamAttrs(Attrs):
    a: float | None = None
    size: Shape | None = None
    ctx: str | None = ""


class PowerdAttrs(Attrs):
    a: float | None = None
    size: Shape | None = None


_SUMMARIES = {  # op: (attributes, docstring summary)
    "_npi_uniform": (UniformAttrs, "Uniform samples on [low, high) (``np.random.uniform``); "
                                   "gradients d/dlow = 1 - u, d/dhigh = u (MXNet: zeros)."),
    "_npi_uniform_n": (UniformAttrs, "Uniform samples, ``size`` prepended to the parameters' shape "
                                     "(``npx.random.uniform_n``)."),
    "_npi_normal": (NormalAttrs, "Normal samples, mean ``loc``, standard deviation ``scale`` (``np.random.normal``); "
                                 "gradients d/dloc = 1, d/dscale = z."),
    "_npi_normal_n": (NormalAttrs, "Normal samples, ``size`` prepended to the parameters' shape "
                                   "(``npx.random.normal_n``)."),
    "_npi_gamma": (GammaAttrs, "Gamma samples, shape ``shape``, scale ``scale`` (``np.random.gamma``); implicit "
                               "reparameterization gradients."),
    "_npi_gumbel": (LocScaleAttrs, "Gumbel samples loc - scale * log(-log(u)) (``np.random.gumbel``)."),
    "_npi_logistic": (LocScaleAttrs, "Logistic samples loc + scale * log(u / (1 - u)) (``np.random.logistic``)."),
    "_npi_exponential": (ScaleAttrs, "Exponential samples with mean ``scale`` (``np.random.exponential``)."),
    "_npi_rayleigh": (ScaleAttrs, "Rayleigh samples with mode ``scale`` (``np.random.rayleigh``)."),
    "_npi_weibull": (ShapeParamAttrs, "Weibull samples (-log(1 - u)) ** (1 / a) (``np.random.weibull``)."),
    "_npi_pareto": (ShapeParamAttrs, "Pareto II (Lomax) samples with shape ``a``, as NumPy's (``np.random.pareto``)."),
    "_npi_powerd": (PowerdAttrs, "Power-distribution samples u ** (1 / a) on [0, 1] (``np.random.power``; "
                                 "``_npi_power`` is arithmetic)."),
}

for _op, (_attrs, _summary) in _SUMMARIES.items():
    _register_dist(_op, _attrs, f"""{_summary}

Parameters given as attributes are numbers; one left None comes from the next array input.
Output: shape ``size`` (the parameters broadcast to it) or the parameters' broadcast shape;
float32 unless ``dtype``. Seeded by ``mx.random.seed``.

>>> mx.nd._internal.{_op}({", ".join(f"{p}=1.0" for p in _DISTS[_op].params)}, size=(2, 3)).shape
(2, 3)
""")
del _op, _attrs, _summary


# ----------------------------------------------------------------------------- bernoulli
class BernoulliAttrs(Attrs):
    prob: float | None = None
    logit: float | None = None
    size: Shape | None = None
    ctx: str | None = ""
    dtype: DType | None = None
    is_logit: bool = False


def _bernoulli_dtype(op: str, dtype) -> torch.dtype:
    if dtype is None:
        return torch.float32
    t = _dtype.to_torch(dtype)
    if t.is_complex:
        _fail(op, "dtype must be a real or bool dtype", dtype=dtype)
    return t


def _bernoulli_param(a, inputs):
    given = a.logit if a.is_logit else a.prob
    return given if given is not None else inputs[0]


def _bernoulli_rule(shapes, dtypes, a):
    present = [tuple(s) for s in shapes if s is not None]
    return [(out_shape("_npi_bernoulli", present, a.size), _dtype.from_torch(_bernoulli_dtype("_npi_bernoulli",
                                                                                                a.dtype)))]


@register("_npi_bernoulli", attrs=BernoulliAttrs, shape_rule=_bernoulli_rule, differentiable=False)
def npi_bernoulli(input1=None, *, a: BernoulliAttrs):
    """Bernoulli samples (1 with probability ``prob``, or ``sigmoid(logit)`` with ``is_logit``).

    ``prob``/``logit`` is a number, or None to take it from the array input. Output: shape
    ``size`` (or the parameter's shape), dtype ``dtype`` (float32 default; bool and ints too).
    No gradient. ``mx.npx.random.bernoulli``.

    >>> mx.nd._internal._npi_bernoulli(prob=1.0, size=(2,)).asnumpy().tolist()
    [1.0, 1.0]
    """
    op = "_npi_bernoulli"
    p = _bernoulli_param(a, (input1,))
    if p is None:
        _fail(op, "prob (or logit with is_logit=True) must be a number or an array input", prob=a.prob, logit=a.logit)
    tensors = [p] if isinstance(p, torch.Tensor) else []
    shape = out_shape(op, [t.shape for t in tensors], a.size)
    dtype = _bernoulli_dtype(op, a.dtype)
    device, gen = _place(a, tensors)
    if isinstance(p, torch.Tensor):
        p = p.detach().to(device=device, dtype=torch.float64 if p.dtype == torch.float64 else torch.float32)
        if a.is_logit:
            p = torch.sigmoid(p)
        elif not p.is_meta and p.numel() and bool(((p < 0) | (p > 1)).any()):
            _fail(op, "prob must lie in [0, 1] (npx.random.bernoulli)", prob_min=float(p.min()), prob_max=float(p.max()))
    elif a.is_logit:
        p = 1 / (1 + math.exp(-p)) if p > -700 else 0.0
    elif not 0 <= p <= 1:
        _fail(op, "prob must lie in [0, 1] (npx.random.bernoulli)", prob=p)
    u = torch.rand(shape, dtype=p.dtype if isinstance(p, torch.Tensor) else torch.float32, device=device,
                   generator=gen)
    return (u < p).to(dtype)


# ----------------------------------------------------------------------------- randint
# The op's attributes are those of the legacy _random_randint (RandintAttrs, imported above).


def _randint_dtype(op: str, dtype) -> torch.dtype:
    t = torch.int32 if dtype is None else _dtype.to_torch(dtype)
    if t not in (torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64):
        _fail(op, "dtype must be an integer dtype ('int32', 'int64', ...)", dtype=dtype)
    return t


def _randint_rule(shapes, dtypes, a):
    shape = out_shape("_npi_random_randint", [], a.shape)
    return [(shape, _dtype.from_torch(_randint_dtype("_npi_random_randint", a.dtype)))]


@register("_npi_random_randint", attrs=RandintAttrs, shape_rule=_randint_rule, differentiable=False)
def npi_random_randint(*, a: RandintAttrs):
    """Integers drawn uniformly from [low, high) (``mx.np.random.randint``).

    Output: shape ``shape`` (``()`` by default: one number), dtype ``dtype`` (int32 when
    None, as MXNet's op; ``np.random.randint`` asks for int64). ``low < high`` is required
    (MXNet crashed on ``low == high``).

    >>> mx.nd._internal._npi_random_randint(low=0, high=3, shape=(4,), dtype='int64').shape
    (4,)
    """
    op = "_npi_random_randint"
    dtype = _randint_dtype(op, a.dtype)
    if not a.low < a.high:
        _fail(op, "low must be less than high (np.random.randint)", low=a.low, high=a.high)
    info = torch.iinfo(dtype)
    if a.low < info.min or a.high - 1 > info.max:
        _fail(op, f"low and high - 1 must fit in {str(dtype).replace('torch.', '')}", low=a.low, high=a.high)
    device, gen = _place(a, [])
    return torch.randint(a.low, a.high, out_shape(op, [], a.shape), dtype=dtype, device=device, generator=gen)


# ----------------------------------------------------------------------------- choice
class ChoiceAttrs(Attrs):
    a: int | None = None
    size: Shape | None = None
    ctx: str | None = ""
    replace: bool = True
    weighted: bool = False


def _choice_rule(shapes, dtypes, a):
    return [(out_shape("_npi_choice", [], a.size), "int64")]


def _check_p(op: str, p: torch.Tensor, n: int) -> None:
    if p.dim() != 1 or p.shape[0] != n:
        _fail(op, f"p must be a 1-D array with one probability per choice ({n})", p_shape=tuple(p.shape))
    if p.is_meta or n == 0:
        return
    tol = math.sqrt(torch.finfo(p.dtype).eps)
    if bool((p < 0).any()):
        _fail(op, "probabilities must be non-negative (np.random.choice)", p_min=float(p.min()))
    total = float(p.sum())
    if abs(total - 1) > tol:
        _fail(op, "probabilities must sum to 1 (np.random.choice)", p_sum=total)


@register("_npi_choice", attrs=ChoiceAttrs, shape_rule=_choice_rule, differentiable=False)
def npi_choice(input1=None, input2=None, *, a: ChoiceAttrs):
    """Indices drawn from range(n) (``mx.np.random.choice``): int64 of shape ``size`` (``()`` by default).

    ``n`` is the attribute ``a``, or (``a=None``) the length of the first input, the
    population array (``np.random.choice`` then takes its rows). With ``weighted=True``
    the next input holds the probabilities ``p`` (1-D, length n, summing to 1). Without
    replacement, indices do not repeat (size <= n, or <= the non-zero p's).

    >>> mx.nd._internal._npi_choice(a=5, size=(5,), replace=False).asnumpy().tolist()  # doctest: +SKIP
    [3, 0, 4, 1, 2]
    """
    op = "_npi_choice"
    inputs = [t for t in (input1, input2) if t is not None]
    if a.a is None:
        if not inputs or inputs[0].dim() == 0:
            _fail(op, "a must be a positive integer or an array with at least one axis", a=None)
        n = inputs.pop(0).shape[0]
    else:
        n = a.a
    p = inputs.pop(0) if a.weighted and inputs else None
    if a.weighted and p is None:
        _fail(op, "weighted=True needs the probabilities as an array input", weighted=True)
    shape = out_shape(op, [], a.size)
    count = math.prod(shape)
    device, gen = _place(a, [p] if p is not None else [t for t in (input1,) if t is not None])
    if count == 0:
        return torch.zeros(shape, dtype=torch.int64, device=device)
    if n <= 0:
        _fail(op, "a must be greater than 0 unless no samples are taken (np.random.choice)", a=n, size=shape)
    if not a.replace and count > n:
        _fail(op, "cannot take a larger sample than the population when replace=False (np.random.choice)",
              a=n, size=shape)
    if p is None:
        if a.replace:
            return torch.randint(0, n, shape, dtype=torch.int64, device=device, generator=gen)
        return torch.randperm(n, dtype=torch.int64, device=device, generator=gen)[:count].reshape(shape)
    p = p.detach()
    p = p.to(torch.float64 if p.dtype == torch.float64 else torch.float32).to(device)
    _check_p(op, p, n)
    if not a.replace and not p.is_meta and int((p > 0).sum()) < count:
        _fail(op, "fewer non-zero entries in p than size when replace=False (np.random.choice)", size=shape)
    idx = torch.multinomial(p, count, replacement=a.replace, generator=gen)
    return idx.reshape(shape)


# ----------------------------------------------------------------------------- multinomial
class MultinomialAttrs(Attrs):
    n: int
    pvals: Floats | None = None
    size: Shape | None = None


def _multinomial_k(op: str, a, shapes) -> int:
    present = [tuple(s) for s in shapes if s is not None]
    if present:
        if len(present[0]) != 1:
            _fail(op, "pvals must be 1-D", pvals_shape=present[0])
        return present[0][0]
    if a.pvals is None:
        _fail(op, "pvals must be given (the attribute or an array input)", pvals=None)
    return len(a.pvals)


def _multinomial_rule(shapes, dtypes, a):
    op = "_npi_multinomial"
    return [(out_shape(op, [], a.size) + (_multinomial_k(op, a, shapes),), "int64")]


@register("_npi_multinomial", attrs=MultinomialAttrs, shape_rule=_multinomial_rule, differentiable=False)
def npi_multinomial(data=None, *, a: MultinomialAttrs):
    """Counts of ``n`` draws over ``k`` categories (``mx.np.random.multinomial``).

    ``pvals``: the attribute (k floats) or the input array (k,). As in NumPy, the last
    category takes the remaining probability ``1 - sum(pvals[:-1])``. Output: int64 of
    shape ``size + (k,)``, each row summing to ``n``.

    >>> mx.nd._internal._npi_multinomial(n=4, pvals=(0.0, 1.0), size=(2,)).asnumpy().tolist()
    [[0, 4], [0, 4]]
    """
    op = "_npi_multinomial"
    k = _multinomial_k(op, a, [None if data is None else data.shape])
    if a.n < 0:
        _fail(op, "n must be non-negative (np.random.multinomial)", n=a.n)
    device, gen = _place(a, [data] if data is not None else [])
    p = data.detach().to(torch.float64) if data is not None else torch.tensor(a.pvals, dtype=torch.float64)
    p = p.to(device)
    shape = out_shape(op, [], a.size)
    m = math.prod(shape)
    if not p.is_meta and k:
        if bool(((p < 0) | (p > 1) | torch.isnan(p)).any()):
            _fail(op, "pvals must lie in [0, 1] (np.random.multinomial)", pvals=p.tolist()[:8])
        head = float(p[:-1].sum())
        if head > 1 + (1e-12 if data is None or data.dtype == torch.float64 else 1e-6):
            _fail(op, "sum(pvals[:-1]) must not exceed 1 (np.random.multinomial)", sum_head=head)
    counts = torch.zeros((m, k), dtype=torch.float64, device=device)
    remaining = torch.full((m,), float(a.n), dtype=torch.float64, device=device)
    probs, left = p.tolist(), 1.0
    for i in range(k - 1):  # conditional binomials: exact for any n, memory O(m * k)
        q = min(max(probs[i] / left, 0.0), 1.0) if left > 0 else 0.0
        counts[:, i] = torch.binomial(remaining, torch.full_like(remaining, q), generator=gen)
        remaining = remaining - counts[:, i]
        left -= probs[i]
    if k:
        counts[:, k - 1] = remaining
    return counts.to(torch.int64).reshape(shape + (k,))


# ----------------------------------------------------------------------------- shuffle
def _same_rule(shapes, dtypes, a):
    return [(tuple(shapes[0]), dtypes[0])]


@register("_npi_shuffle", shape_rule=_same_rule)
def npi_shuffle(data):
    """``data`` with its first axis randomly permuted (``mx.np.random.shuffle`` writes it back in place).

    The gradient is the output gradient permuted back.

    >>> sorted(mx.nd._internal._npi_shuffle(mx.nd.array([1, 2, 3])).asnumpy().tolist())
    [1.0, 2.0, 3.0]
    """
    if data.dim() == 0:
        _fail("_npi_shuffle", "data must have at least one axis (np.random.shuffle)", shape=())
    perm = torch.randperm(data.shape[0], generator=generator(data.device), device=data.device)
    return data[perm]
