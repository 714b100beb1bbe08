"""Random draws for the transforms that decide in Python (crops, rotations, RandomApply).

They use the generator of the input's context (:func:`gluonic.random.generator`), so
``mx.random.seed`` makes a transform pipeline reproducible (MXNet used Python's and
NumPy's global generators here).
"""
from __future__ import annotations

import torch

from .....context import current_context
from .....random import generator


def _gen(x) -> torch.Generator:
    ctx = getattr(x, "context", None) or current_context()
    return generator(ctx)


def draw_uniform(x, low: float = 0.0, high: float = 1.0, n: int | None = None):
    """One float (or a list of ``n``) from U(low, high)."""
    gen = _gen(x)
    u = torch.rand(1 if n is None else n, generator=gen, device=gen.device, dtype=torch.float64)
    values = (u * (high - low) + low).tolist()
    return values[0] if n is None else values


def draw_int(x, low: int, high: int) -> int:
    """One integer from ``low`` to ``high`` inclusive."""
    gen = _gen(x)
    return int(torch.randint(low, high + 1, (1,), generator=gen, device=gen.device).item())
