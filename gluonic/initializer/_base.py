"""The initializer protocol: InitDesc, the Initializer base class, name dispatch, the registry."""
from __future__ import annotations

import json
import logging
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from ..base import GluonicTypeError, GluonicValueError, numeric_types
from ..context import current_context
from ..ndarray.ndarray import NDArray
from ..random import generator

__all__ = ["InitDesc", "Initializer", "register", "alias", "create"]


class InitDesc(str):
    """A parameter's name, with the attributes that steer its initialization.

    Parameters
    ----------
    name : str
        The parameter's name (``dense0_weight``); the initializer dispatches on its suffix.
    attrs : dict of str to str, optional
        Attributes of the variable; ``'__init__'`` names the parameter's own initializer.
    global_init : Initializer, optional
        The initializer to fall back to (set by the first initializer that sees it).

    >>> d = mx.init.InitDesc('conv0_weight', {'__init__': 'zeros'})
    >>> d, d.attrs
    ('conv0_weight', {'__init__': 'zeros'})
    """

    def __new__(cls, name: str, attrs: dict | None = None, global_init: Initializer | None = None):
        ret = super().__new__(cls, name)
        ret.attrs = attrs or {}
        ret.global_init = global_init
        return ret


# ----------------------------------------------------------------------------- writing into arrays
def _write(arr, value) -> None:
    """Fill ``arr`` in place with ``value`` (a tensor, NDArray, NumPy array or number), broadcast."""
    if isinstance(arr, NDArray):
        if isinstance(value, NDArray):
            value = value.as_torch()
        elif not isinstance(value, (torch.Tensor, *numeric_types)):
            value = torch.as_tensor(np.asarray(value))
        arr._assign(value)
    else:
        arr[:] = value.cpu().numpy() if isinstance(value, torch.Tensor) else value


def _where(arr) -> tuple[tuple[int, ...], torch.dtype, torch.device, Any]:
    """(shape, dtype, device, context) of the array to fill."""
    if isinstance(arr, NDArray):
        t = arr.as_torch()
        return tuple(t.shape), t.dtype, t.device, arr.context
    ctx = getattr(arr, "context", None) or current_context()
    return tuple(arr.shape), torch.float32, torch.device("cpu"), ctx


def _draw(who: str, name, arr, kind: str, scale: float, shape=None) -> torch.Tensor:
    """Samples for ``arr``: ``kind`` 'uniform' on [-scale, scale), 'normal' with std ``scale``.

    Same stream as ``nd.random.uniform(-scale, scale)`` / ``nd.random.normal(0, scale)`` on
    ``arr``'s context. ``shape`` overrides ``arr``'s shape (the draw is then in float32).
    """
    arr_shape, dtype, device, ctx = _where(arr)
    if shape is None:
        if not dtype.is_floating_point:
            raise GluonicTypeError(
                f"{who}: cannot fill parameter {str(name)!r} with random values: it needs a floating-point "
                f"dtype (float16, float32, float64). Received: dtype {str(dtype).replace('torch.', '')}"
            )
        shape = arr_shape
    draw_dtype = torch.float64 if dtype == torch.float64 and shape == arr_shape else torch.float32
    gen = generator(ctx)
    if kind == "uniform":
        out = torch.rand(shape, dtype=draw_dtype, device=device, generator=gen)
        return out.mul_(2 * scale).add_(-scale)
    return torch.randn(shape, dtype=draw_dtype, device=device, generator=gen).mul_(scale)


# ----------------------------------------------------------------------------- registry
_REGISTRY: dict[str, type] = {}


def _register(klass: type, name: str | None = None) -> type:
    if not (isinstance(klass, type) and issubclass(klass, Initializer)):
        raise GluonicTypeError(f"Can only register subclasses of mx.init.Initializer. Received: {klass!r}")
    name = (name or klass.__name__).lower()
    old = _REGISTRY.get(name)
    if old is not None and old is not klass:
        warnings.warn(
            f"New initializer {klass.__module__}.{klass.__name__} registered with name {name} is overriding "
            f"existing initializer {old.__module__}.{old.__name__}",
            UserWarning,
            stacklevel=3,
        )
    _REGISTRY[name] = klass
    return klass


def register(klass: type) -> type:
    """Register an Initializer subclass under its lower-cased class name (a class decorator).

    >>> @mx.init.register
    ... class Halves(mx.init.Initializer):
    ...     def _init_weight(self, name, arr):
    ...         arr[:] = 0.5
    >>> type(mx.init.create('halves')).__name__
    'Halves'
    """
    return _register(klass)


def alias(*aliases: str) -> Callable[[type], type]:
    """A class decorator registering an Initializer subclass under extra names.

    >>> @mx.init.alias('mine')
    ... class MyInit(mx.init.Zero):
    ...     pass
    >>> type(mx.init.create('mine')).__name__
    'MyInit'
    """

    def reg(klass: type) -> type:
        for name in aliases:
            _register(klass, name)
        return klass

    return reg


def create(*args, **kwargs) -> Initializer:
    """Build an initializer from a name, a ``dumps()`` string, a dict, or an instance.

    ``create('xavier', magnitude=2)``, ``create('["normal", {"sigma": 0.5}]')``,
    ``create({'initializer': 'normal', 'sigma': 0.5})``, ``create(initializer='one')``; an
    Initializer instance is returned as is. Names are case-insensitive.

    Raises
    ------
    ValueError
        The name is not registered (the message lists the registered names).
    TypeError
        The argument is neither a string, a dict nor an Initializer.

    >>> mx.init.create('Xavier', 'gaussian').dumps()
    '["xavier", {"rnd_type": "gaussian", "factor_type": "avg", "magnitude": 3}]'
    """
    if args:
        name, args = args[0], args[1:]
    elif "initializer" in kwargs:
        name = kwargs.pop("initializer")
    else:
        raise GluonicTypeError(f"create() needs the initializer as first argument. Received: kwargs {kwargs!r}")
    if isinstance(name, Initializer):
        if args or kwargs:
            raise GluonicValueError(
                "create(): the initializer is already an instance; further arguments are invalid. "
                f"Received: {type(name).__name__} instance with args {args!r}, kwargs {kwargs!r}"
            )
        return name
    if isinstance(name, dict):
        return create(**name, **kwargs) if not args else create(name["initializer"], *args, **kwargs)
    if not isinstance(name, str):
        raise GluonicTypeError(
            "An initializer must be an Initializer instance, a registered name or a dumps() string. "
            f"Received: {type(name).__name__} {name!r:.80}"
        )
    text = name.strip()
    if text.startswith(("[", "{")):
        if args or kwargs:
            raise GluonicValueError(f"create(): a JSON description takes no further arguments. Received: {name!r}")
        spec = json.loads(text)
        return create(spec[0], **spec[1]) if isinstance(spec, list) else create(**spec)
    klass = _REGISTRY.get(name.lower())
    if klass is None:
        raise GluonicValueError(
            f"Initializer {name!r} is not registered (register custom ones with mx.init.register). "
            f"Registered: {', '.join(sorted(_REGISTRY))}. Received: {name!r}"
        )
    return klass(*args, **kwargs)


# ----------------------------------------------------------------------------- base class
def _norm_stat(x) -> str:
    """Default verbose statistic: ``norm(x) / sqrt(size)``."""
    t = x.as_torch() if isinstance(x, NDArray) else torch.as_tensor(np.asarray(x))
    return str(np.float32(t.detach().double().norm().item() / math.sqrt(max(t.numel(), 1))))


class Initializer:
    """Base class of the initializers: ``init(desc, arr)`` fills ``arr`` in place.

    Subclasses implement ``_init_weight(name, arr)`` and may override ``_init_bias``,
    ``_init_gamma``, ``_init_beta`` (and the other ``_init_*`` hooks). Register them
    with :func:`register` to create them by name. Constructor keyword arguments are kept
    in ``_kwargs``; :meth:`dumps` serializes them.
    """

    _kwargs: dict = {}
    _verbose = False
    _print_func = None

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose: bool = False, print_func: Callable | None = None) -> Initializer:
        """Log (``logging.info``) a statistic of each initialized array; returns self.

        ``print_func(arr) -> str`` computes it; default ``norm(arr) / sqrt(arr.size)``.
        """
        self._verbose = verbose
        self._print_func = print_func if print_func is not None else _norm_stat
        return self

    def _verbose_print(self, desc, init, arr) -> None:
        if self._verbose and self._print_func:
            logging.info("Initialized %s as %s: %s", desc, init, self._print_func(arr))

    def dumps(self) -> str:
        """This initializer as a JSON string that :func:`create` turns back into it.

        >>> mx.init.Xavier(factor_type='in', magnitude=2.34).dumps()
        '["xavier", {"rnd_type": "uniform", "factor_type": "in", "magnitude": 2.34}]'
        """
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, desc, arr) -> None:
        """Fill ``arr`` in place for the parameter ``desc`` (an InitDesc; a plain str is the
        deprecated legacy protocol, which also recognises ``upsampling*`` and ``stn_loc*``)."""
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        init = desc.attrs.get("__init__", "")
        if init:
            create(init)._init_weight(desc, arr)
            self._verbose_print(desc, init, arr)
            return
        for suffix, method in _DISPATCH:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    def _legacy_init(self, name, arr) -> None:
        """MXNet's older ``init(str, arr)`` protocol (deprecated)."""
        warnings.warn(
            "Calling an initializer with init(str, NDArray) is deprecated; "
            "use init(mx.init.InitDesc(...), NDArray) instead.",
            DeprecationWarning,
            stacklevel=3,
        )
        if not isinstance(name, str):
            raise GluonicTypeError(f"Initializer: name must be a string. Received: {type(name).__name__} {name!r}")
        if not isinstance(arr, NDArray):
            raise GluonicTypeError(f"Initializer: arr must be an NDArray. Received: {type(arr).__name__}")
        if name.startswith("upsampling"):
            self._init_bilinear(name, arr)
        elif name.startswith("stn_loc") and name.endswith("weight"):
            self._init_zero(name, arr)
        elif name.startswith("stn_loc") and name.endswith("bias"):
            self._init_loc_bias(name, arr)
        else:
            for suffix, method in _LEGACY_DISPATCH:
                if name.endswith(suffix):
                    getattr(self, method)(name, arr)
                    self._verbose_print(name, suffix, arr)
                    return
            self._init_default(name, arr)

    # -- hooks (MXNet's names) ---------------------------------------------------------------
    def _init_bilinear(self, _, arr) -> None:
        shape = tuple(arr.shape)
        if len(shape) < 4:
            raise GluonicValueError(
                f"Bilinear: the weight must have 4 dimensions (channels_out, channels_in, height, width). "
                f"Received: shape {shape}"
            )
        # MXNet's formula, over the flat index i: x = i % width, y = (i // width) % height.
        i = torch.arange(math.prod(shape), dtype=torch.float64)
        f = math.ceil(shape[3] / 2.0)
        c = (2 * f - 1 - f % 2) / (2.0 * f)
        x = torch.remainder(i, shape[3])
        y = torch.remainder(torch.div(i, shape[3], rounding_mode="floor"), shape[2])
        weight = (1 - (x / f - c).abs()) * (1 - (y / f - c).abs())
        _write(arr, weight.float().reshape(shape))

    def _init_loc_bias(self, _, arr) -> None:
        if tuple(arr.shape) != (6,):
            raise GluonicValueError(f"The stn_loc bias must have shape (6,). Received: shape {tuple(arr.shape)}")
        _write(arr, torch.tensor([1.0, 0, 0, 0, 1.0, 0]))

    def _init_zero(self, _, arr) -> None:
        _write(arr, 0.0)

    def _init_one(self, _, arr) -> None:
        _write(arr, 1.0)

    def _init_bias(self, _, arr) -> None:
        _write(arr, 0.0)

    def _init_quantized_bias(self, _, arr) -> None:
        _write(arr, 0)

    def _init_gamma(self, _, arr) -> None:
        _write(arr, 1.0)

    def _init_beta(self, _, arr) -> None:
        _write(arr, 0.0)

    def _init_weight(self, name, arr) -> None:
        raise NotImplementedError(
            f"{type(self).__name__} must override _init_weight(name, arr) to initialize weights. "
            f"Received: parameter {str(name)!r}"
        )

    def _init_quantized_weight(self, _, arr) -> None:
        # MXNet drew a single int for the whole array (a bug); here each element gets its own.
        shape, _dtype, device, ctx = _where(arr)
        _write(arr, torch.randint(-127, 127, shape, generator=generator(ctx), device=device, dtype=torch.int32))

    def _init_default(self, name, _) -> None:
        raise GluonicValueError(
            f"Unknown initialization pattern for {str(name)}. Default initialization is limited to names "
            'ending in "weight", "bias", "gamma" (1.0), "beta" (0.0), "min" (0.0), "max" (1.0), and '
            "moving/running mean (0.0) and var (1.0); give the parameter its own initializer with "
            "Parameter(init=mx.init.*) or mx.sym.Variable(init=mx.init.*). "
            f"Received: parameter name {str(name)!r}"
        )

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = None  # equal by value, as in MXNet (which made initializers unhashable too)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs.items())
        return f"{type(self).__name__}({args})"


# MXNet's order for InitDesc names, then gluonic's additions (names MXNet rejected).
_DISPATCH = (
    ("weight", "_init_weight"),
    ("bias", "_init_bias"),
    ("gamma", "_init_gamma"),
    ("beta", "_init_beta"),
    ("min", "_init_zero"),
    ("max", "_init_one"),
    ("weight_quantize", "_init_quantized_weight"),
    ("bias_quantize", "_init_quantized_bias"),
    ("moving_mean", "_init_zero"),
    ("running_mean", "_init_zero"),
    ("moving_var", "_init_one"),
    ("running_var", "_init_one"),
    ("moving_inv_var", "_init_zero"),
    ("moving_avg", "_init_zero"),
)
# MXNet's order for legacy string names (plus running_mean/var).
_LEGACY_DISPATCH = (
    ("bias", "_init_bias"),
    ("gamma", "_init_gamma"),
    ("beta", "_init_beta"),
    ("weight", "_init_weight"),
    ("moving_mean", "_init_zero"),
    ("moving_var", "_init_one"),
    ("moving_inv_var", "_init_zero"),
    ("moving_avg", "_init_zero"),
    ("running_mean", "_init_zero"),
    ("running_var", "_init_one"),
    ("min", "_init_zero"),
    ("max", "_init_one"),
)


