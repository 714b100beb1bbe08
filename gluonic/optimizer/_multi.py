"""List-of-tensor arithmetic for the fused update rules: ``torch._foreach_*`` kernels for
several tensors, the plain tensor op for one (cheaper to launch; on CPU the foreach ops
run exactly these per-tensor ops, so both give the same bits).

Names follow the torch ops: a trailing ``_`` writes into the first list; without it new
tensors are returned.
"""
from __future__ import annotations

import contextlib

import torch

_NULL = contextlib.nullcontext()


def no_grad():
    """``torch.no_grad()``, or a free no-op context when grad mode is already off."""
    return torch.no_grad() if torch.is_grad_enabled() else _NULL


def mul(xs, s):
    return [xs[0] * s] if len(xs) == 1 else torch._foreach_mul(xs, s)


def mul_(xs, s) -> None:
    if len(xs) == 1:
        xs[0].mul_(s)
    else:
        torch._foreach_mul_(xs, s)


def add(xs, ys, alpha):
    return [torch.add(xs[0], ys[0], alpha=alpha)] if len(xs) == 1 else torch._foreach_add(xs, ys, alpha=alpha)


def add_(xs, ys, alpha=1.0) -> None:
    if len(xs) == 1:
        xs[0].add_(ys[0], alpha=alpha)
    else:
        torch._foreach_add_(xs, ys, alpha=alpha)


def add_scalar_(xs, s) -> None:
    if len(xs) == 1:
        xs[0].add_(s)
    else:
        torch._foreach_add_(xs, s)


def sub_(xs, ys) -> None:
    if len(xs) == 1:
        xs[0].sub_(ys[0])
    else:
        torch._foreach_sub_(xs, ys)


def clamp_min(xs, lo):
    return [xs[0].clamp_min(lo)] if len(xs) == 1 else torch._foreach_clamp_min(xs, lo)


def clamp_(xs, lo, hi) -> None:
    if len(xs) == 1:
        xs[0].clamp_min_(lo).clamp_max_(hi)
    else:
        torch._foreach_clamp_min_(xs, lo)
        torch._foreach_clamp_max_(xs, hi)


def addcmul_(xs, a, b, value) -> None:
    if len(xs) == 1:
        xs[0].addcmul_(a[0], b[0], value=value)
    else:
        torch._foreach_addcmul_(xs, a, b, value=value)


def addcdiv_(xs, a, b, value) -> None:
    if len(xs) == 1:
        xs[0].addcdiv_(a[0], b[0], value=value)
    else:
        torch._foreach_addcdiv_(xs, a, b, value=value)


def sqrt(xs):
    return [xs[0].sqrt()] if len(xs) == 1 else torch._foreach_sqrt(xs)


def sqrt_(xs) -> None:
    if len(xs) == 1:
        xs[0].sqrt_()
    else:
        torch._foreach_sqrt_(xs)


def copy_(xs, ys) -> None:
    if len(xs) == 1:
        xs[0].copy_(ys[0])
    else:
        torch._foreach_copy_(xs, ys)


def div(xs, ys):
    return [xs[0] / ys[0]] if len(xs) == 1 else torch._foreach_div(xs, ys)
