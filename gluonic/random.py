"""``mx.random``: seeding, the per-context random generators, and the samplers.

Every context has its own ``torch.Generator``: ``cpu(i)`` a CPU generator each, ``gpu(i)``
a CUDA generator on ``cuda:i``, created on first use. Random ops (``nd.random.*``,
Dropout, ...) draw from the generator of the context they run on, obtained with
:func:`generator`.

Like MXNet, gluonic is deterministic without any call to :func:`seed`: generators start
from seed 0. ``seed(s)`` reseeds every context, each with a value derived from ``s`` and
its device id (so ``cpu(0)`` and ``cpu(1)`` give different streams), and also torch's own
global generators. ``seed(s, ctx=c)`` seeds only ``c``, with ``s`` itself: two devices of
one kind seeded that way give identical streams.

The samplers (``uniform``, ``normal``, ``randn``, ``randint``, ``exponential``, ``gamma``,
``poisson``, ``negative_binomial``, ``generalized_negative_binomial``, ``multinomial``,
``shuffle``) are those of :mod:`gluonic.ndarray.random`, re-exported here.

Example
-------
>>> import gluonic as mx
>>> mx.random.seed(42)
>>> a = mx.nd.random.uniform(shape=(2,))
>>> mx.random.seed(42)
>>> b = mx.nd.random.uniform(shape=(2,))   # the same numbers as a
>>> mx.random.seed(42, ctx=mx.cpu(1))      # only cpu(1)'s generator
"""
from __future__ import annotations

import os
import threading
from typing import Any

import torch

from .base import GluonicValueError, integer_types
from .context import Context, as_context, current_context

# Re-exported lazily from gluonic.ndarray.random (see __getattr__ below).
_SAMPLERS = (
    "uniform",
    "normal",
    "randn",
    "randint",
    "exponential",
    "gamma",
    "poisson",
    "negative_binomial",
    "generalized_negative_binomial",
    "multinomial",
    "shuffle",
)
__all__ = ["seed", "generator", *_SAMPLERS]

_MASK64 = (1 << 64) - 1
_DEVICE_STRIDE = 0x9E3779B97F4A7C15  # spreads the per-device seeds of one seed_state apart

_lock = threading.Lock()
_generators: dict[tuple[str, int], torch.Generator] = {}
_global_seed = 0


def _forget_gpu_generators() -> None:
    """In a forked child (a DataLoader worker): the parent's CUDA is unusable there, so are its generators."""
    for key in [k for k in _generators if k[0] == "gpu"]:
        del _generators[key]


os.register_at_fork(after_in_child=_forget_gpu_generators)


def _key(ctx: Context) -> tuple[str, int]:
    # cpu, cpu_pinned and cpu_shared memory of one id share a generator, as they share a device.
    return ("gpu" if ctx.device_type == "gpu" else "cpu", ctx.device_id)


def _derived_seed(seed_state: int, device_id: int) -> int:
    """The seed ``seed(seed_state)`` gives the device with id ``device_id`` (device 0: ``seed_state``)."""
    return (seed_state + device_id * _DEVICE_STRIDE) & _MASK64


def generator(ctx: Context | str | torch.device | None = None) -> torch.Generator:
    """The ``torch.Generator`` of a context, created on first use.

    ``ctx`` is a Context, ``"cpu(1)"``, ``None`` (the current context), or a
    ``torch.device`` (for op implementations that see only tensors: the current context
    when it lives on that device, so ``cpu(1)`` arrays draw from ``cpu(1)``'s generator
    inside ``with mx.cpu(1):``, else the device's own context).

    Ops that draw random numbers pass it to torch (``torch.rand(..., generator=g)``),
    so :func:`seed` makes them reproducible.

    >>> import gluonic as mx
    >>> mx.random.generator(mx.cpu()).device
    device(type='cpu')
    """
    if ctx is None:
        ctx = current_context()
    elif isinstance(ctx, torch.device):
        cur = current_context()
        ctx = cur if cur.torch_device == ctx else as_context(ctx)
    elif not isinstance(ctx, Context):
        ctx = as_context(ctx)
    key = _key(ctx)
    gen = _generators.get(key)
    if gen is None:
        with _lock:
            gen = _generators.get(key)
            if gen is None:
                gen = torch.Generator(device=ctx.torch_device)
                gen.manual_seed(_derived_seed(_global_seed, ctx.device_id))
                _generators[key] = gen
    return gen


def seed(seed_state: int, ctx: Context | str = "all") -> None:
    """Seed the random number generators (MXNet's ``mx.random.seed``).

    Parameters
    ----------
    seed_state : int
        The seed. Any Python integer (taken modulo 2**64).
    ctx : Context or "all"
        ``"all"`` (default) seeds every context, each with a value derived from
        ``seed_state`` and its device id, and torch's global generators (so code that
        uses torch's default generator is reproducible too). A context seeds only that
        context's generator, with ``seed_state`` itself.

    Raises
    ------
    ValueError
        If ``seed_state`` is not an integer.

    Example
    -------
    >>> import gluonic as mx
    >>> mx.random.seed(7, ctx=mx.cpu(1))
    >>> x = mx.nd.random.normal(shape=(3,), ctx=mx.cpu(1))
    """
    global _global_seed
    if isinstance(seed_state, bool) or not isinstance(seed_state, integer_types):
        # MXNet raises ValueError here; GluonicValueError is one.
        raise GluonicValueError(f"seed_state must be int. Received: {seed_state!r} ({type(seed_state).__name__})")
    seed_state = int(seed_state) & _MASK64
    if isinstance(ctx, str) and ctx == "all":
        with _lock:
            _global_seed = seed_state
            for (_kind, device_id), gen in _generators.items():
                gen.manual_seed(_derived_seed(seed_state, device_id))
        torch.manual_seed(seed_state)
        return
    generator(ctx).manual_seed(seed_state)


def __getattr__(name: str) -> Any:
    # The samplers live in gluonic.ndarray.random; importing it here lazily keeps this module
    # importable by op definitions while the ndarray package is still initialising.
    if name in _SAMPLERS:
        from .ndarray import random as _nd_random

        return getattr(_nd_random, name)
    raise AttributeError(f"module 'gluonic.random' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SAMPLERS))
