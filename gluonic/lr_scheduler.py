"""``mx.lr_scheduler``: learning rate as a function of the update count (MXNet 1.9's schedulers).

A scheduler is called with ``num_update`` (the largest number of updates applied to any
weight) and returns the learning rate. All support a warm-up phase of ``warmup_steps``
updates, ``'linear'`` from ``warmup_begin_lr`` to ``base_lr`` or ``'constant'`` at
``warmup_begin_lr``.

>>> from gluonic.lr_scheduler import FactorScheduler
>>> s = FactorScheduler(step=2, factor=0.5, base_lr=1.0)
>>> [s(n) for n in range(1, 7)]
[1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
"""
from __future__ import annotations

import logging
from math import cos, pi

from .base import GluonicTypeError, GluonicValueError

__all__ = ["LRScheduler", "FactorScheduler", "MultiFactorScheduler", "PolyScheduler", "CosineScheduler"]


class LRScheduler:
    """Base class of learning-rate schedulers.

    Parameters
    ----------
    base_lr : float, default 0.01
        The learning rate after warm-up (where the decay starts).
    warmup_steps : int, default 0
        Number of warm-up updates.
    warmup_begin_lr : float, default 0
        The learning rate at update 0 of the warm-up.
    warmup_mode : {'linear', 'constant'}
        ``'linear'`` rises in equal steps to ``base_lr``; ``'constant'`` stays at
        ``warmup_begin_lr``.
    """

    def __init__(self, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        self.base_lr = base_lr
        if not isinstance(warmup_steps, int):
            raise GluonicTypeError(f"warmup_steps must be an int. Received: {warmup_steps!r}")
        self.warmup_steps = warmup_steps
        self.warmup_final_lr = base_lr
        self.warmup_begin_lr = warmup_begin_lr
        if self.warmup_begin_lr > self.warmup_final_lr:
            raise GluonicValueError(f"Base lr has to be higher than warmup_begin_lr. Received: base_lr={base_lr}, "
                                    f"warmup_begin_lr={warmup_begin_lr}")
        if self.warmup_steps < 0:
            raise GluonicValueError(f"Warmup steps has to be positive or 0. Received: {warmup_steps}")
        if warmup_mode not in ("linear", "constant"):
            raise GluonicValueError(f"Supports only linear and constant modes of warmup. Received: {warmup_mode!r}")
        self.warmup_mode = warmup_mode

    def get_warmup_lr(self, num_update: int) -> float:
        """The learning rate at ``num_update < warmup_steps``."""
        if num_update >= self.warmup_steps:
            raise GluonicValueError(f"get_warmup_lr is for updates below warmup_steps={self.warmup_steps}. "
                                    f"Received: {num_update}")
        if self.warmup_mode == "linear":
            increase = (self.warmup_final_lr - self.warmup_begin_lr) * float(num_update) / float(self.warmup_steps)
            return self.warmup_begin_lr + increase
        return self.warmup_begin_lr

    def __call__(self, num_update: int) -> float:
        """The learning rate after ``num_update`` updates."""
        raise NotImplementedError("must override this")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_lr={self.base_lr})"


class FactorScheduler(LRScheduler):
    """Multiply the learning rate by ``factor`` every ``step`` updates::

        base_lr * factor ** floor((num_update - 1) / step)    (never below stop_factor_lr)

    The rate changes after update ``step``, ``2*step``, ... . Like MXNet's, this scheduler
    keeps state (``count``, ``base_lr``) and assumes ``num_update`` does not decrease.
    """

    def __init__(self, step, factor=1, stop_factor_lr=1e-8, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if step < 1:
            raise GluonicValueError(f"Schedule step must be greater or equal than 1 round. Received: {step}")
        if factor > 1.0:
            raise GluonicValueError(f"Factor must be no more than 1 to make lr reduce. Received: {factor}")
        self.step = step
        self.factor = factor
        self.stop_factor_lr = stop_factor_lr
        self.count = 0

    def __call__(self, num_update: int) -> float:
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while num_update > self.count + self.step:  # a loop: training may resume at a later update
            self.count += self.step
            self.base_lr *= self.factor
            if self.base_lr < self.stop_factor_lr:
                self.base_lr = self.stop_factor_lr
                logging.info("Update[%d]: now learning rate arrived at %0.5e, will not change in the future",
                             num_update, self.base_lr)
            else:
                logging.info("Update[%d]: Change learning rate to %0.5e", num_update, self.base_lr)
        return self.base_lr


class MultiFactorScheduler(LRScheduler):
    """Multiply the learning rate by ``factor`` after each update count in ``step``.

    With ``step = [s1, s2, ...]`` (increasing), the rate is ``base_lr`` up to update
    ``s1``, ``base_lr * factor`` up to ``s2``, and so on.

    >>> s = MultiFactorScheduler(step=[2, 4], factor=0.1, base_lr=1.0)
    >>> [round(s(n), 6) for n in range(1, 6)]
    [1.0, 1.0, 0.1, 0.1, 0.01]
    """

    def __init__(self, step, factor=1, base_lr=0.01, warmup_steps=0, warmup_begin_lr=0, warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        if not isinstance(step, list) or len(step) < 1:
            raise GluonicValueError(f"step must be a non-empty list of update counts. Received: {step!r}")
        for i, s in enumerate(step):
            if i != 0 and step[i] <= step[i - 1]:
                raise GluonicValueError(f"Schedule step must be an increasing integer list. Received: {step}")
            if s < 1:
                raise GluonicValueError(f"Schedule step must be greater or equal than 1 round. Received: {step}")
        if factor > 1.0:
            raise GluonicValueError(f"Factor must be no more than 1 to make lr reduce. Received: {factor}")
        self.step = step
        self.cur_step_ind = 0
        self.factor = factor
        self.count = 0

    def __call__(self, num_update: int) -> float:
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        while self.cur_step_ind <= len(self.step) - 1:
            if num_update > self.step[self.cur_step_ind]:
                self.count = self.step[self.cur_step_ind]
                self.cur_step_ind += 1
                self.base_lr *= self.factor
                logging.info("Update[%d]: Change learning rate to %0.5e", num_update, self.base_lr)
            else:
                return self.base_lr
        return self.base_lr


def _check_max_update(max_update) -> None:
    if not isinstance(max_update, int):
        raise GluonicTypeError(f"max_update must be an int. Received: {max_update!r}")
    if max_update < 1:
        raise GluonicValueError(f"maximum number of updates must be strictly positive. Received: {max_update}")


class PolyScheduler(LRScheduler):
    """Polynomial decay from ``base_lr`` to ``final_lr`` over ``max_update`` updates::

        final_lr + (base_lr - final_lr) * (1 - (num_update - warmup_steps) / (max_update - warmup_steps)) ** pwr

    then ``final_lr`` after ``max_update``.
    """

    def __init__(self, max_update, base_lr=0.01, pwr=2, final_lr=0, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        _check_max_update(max_update)
        self.power = pwr
        self.base_lr_orig = self.base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = self.max_update - self.warmup_steps

    def __call__(self, num_update: int) -> float:
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            frac = 1 - float(num_update - self.warmup_steps) / float(self.max_steps)
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * pow(frac, self.power)
        return self.base_lr


class CosineScheduler(LRScheduler):
    """Cosine decay from ``base_lr`` to ``final_lr`` over ``max_update`` updates::

        final_lr + (base_lr - final_lr) * (1 + cos(pi * (num_update - warmup_steps) / (max_update - warmup_steps))) / 2

    then ``final_lr`` after ``max_update``.

    >>> s = CosineScheduler(max_update=10, base_lr=1.0)
    >>> s(0), round(s(5), 6), s(10)
    (1.0, 0.5, 0.0)
    """

    def __init__(self, max_update, base_lr=0.01, final_lr=0, warmup_steps=0, warmup_begin_lr=0,
                 warmup_mode="linear"):
        super().__init__(base_lr, warmup_steps, warmup_begin_lr, warmup_mode)
        _check_max_update(max_update)
        self.base_lr_orig = base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.max_steps = self.max_update - self.warmup_steps

    def __call__(self, num_update: int) -> float:
        if num_update < self.warmup_steps:
            return self.get_warmup_lr(num_update)
        if num_update <= self.max_update:
            angle = pi * (num_update - self.warmup_steps) / self.max_steps
            self.base_lr = self.final_lr + (self.base_lr_orig - self.final_lr) * (1 + cos(angle)) / 2
        return self.base_lr
