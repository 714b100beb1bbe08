"""Less common rules: DCASGD, SGLD, LBSGD and the ``Test`` optimizer (MXNet 1.9's formulas)."""
from __future__ import annotations

import logging
import math
import warnings

import numpy as np
import torch

from ..ndarray.ndarray import NDArray, _wrap
from ..random import generator
from . import _multi as M
from .adaptive import scaled_grad
from .optimizer import Optimizer, is_low_precision, kernel_clip, register, zeros_like
from .sgd import sgd_step

__all__ = ["DCASGD", "SGLD", "LBSGD", "Test"]


@register
class DCASGD(Optimizer):
    """Delay-compensated asynchronous SGD (MXNet's ``DCASGD``).

    With ``g = clip(rescale_grad * grad, clip_gradient)`` and the previous weight ``w_prev``::

        step = -lr * (g + wd * weight + lamda * g * g * (weight - w_prev))
        mom = momentum * mom + step          (step alone without momentum)
        w_prev = weight;   weight = weight + mom

    MXNet 1.9 fails with ``momentum > 0`` (it tests an array for truth); gluonic applies
    the momentum as documented.
    """

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.weight_previous = {}
        self.lamda = lamda

    def create_state(self, index, weight: NDArray):
        mom = None if self.momentum == 0.0 else zeros_like(weight)
        return (mom, weight.copy())  # momentum, previous weight

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        w = weight._tensor
        mom, prev = state
        with M.no_grad():
            g = scaled_grad(grad._tensor, self.rescale_grad, self.clip_gradient)
            step = torch.mul(g, self.lamda).mul_(g).mul_(torch.sub(w, prev._tensor))
            step.add_(torch.add(g, w * wd) if wd else g).mul_(-lr)
            if mom is not None:
                step = mom._tensor.mul_(self.momentum).add_(step)
            prev._tensor.copy_(w)
            w.add_(step)


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics (MXNet's ``SGLD``).

    With ``g = clip(rescale_grad * grad, clip_gradient)``::

        weight = weight - lr / 2 * (g + wd * weight) + N(0, sqrt(lr))

    The noise is drawn from the weight context's generator (``mx.random.seed`` makes it
    reproducible; the numbers differ from MXNet's generator).
    """

    def create_state(self, index, weight: NDArray):
        return None

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        w = weight._tensor
        with M.no_grad():
            g = scaled_grad(grad._tensor, self.rescale_grad, self.clip_gradient)
            if wd:
                g.add_(w * wd)
            w.add_(g.mul_(-lr / 2))
            noise = torch.normal(0.0, math.sqrt(lr), tuple(w.shape), generator=generator(weight._ctx),
                                 dtype=w.dtype, device=w.device)
            w.add_(noise)


@register
class Test(Optimizer):
    """MXNet's ``Test`` optimizer: ``weight += rescale_grad * grad``; the state copies the weight."""

    def create_state(self, index, weight: NDArray):
        return zeros_like(weight)

    def update(self, index, weight, grad, state) -> None:
        with M.no_grad():
            weight._tensor.add_(grad._tensor * self.rescale_grad)
            state._tensor.copy_(weight._tensor)


@register
class LBSGD(Optimizer):
    """Large-batch SGD with warm-up (MXNet's ``LBSGD``).

    Gradients are accumulated over ``batch_scale`` calls; then their mean updates the weight
    with SGD (momentum) at ``lr * mult``, where ``mult`` warms up from 1 to ``batch_scale``
    over ``warmup_epochs * updates_per_epoch`` updates (``'linear'``, ``'power2'``,
    ``'sqrt'``), or is the clipped LARS ratio ``sqrt(|w|² / (|g|² + wd |w|²))`` for
    ``warmup_strategy='lars'``. Unlike MXNet, the accumulated gradient is a copy (MXNet
    keeps a reference to the gradient array, which the next backward overwrites).
    """

    def __init__(self, momentum=0.0, multi_precision=False, warmup_strategy="linear", warmup_epochs=5,
                 batch_scale=1, updates_per_epoch=32, begin_epoch=0, num_epochs=60, **kwargs):
        super().__init__(**kwargs)
        logging.info("Running Large-Batch SGD Algorithm")
        logging.info("(Batch_scale=%f, warmup_epochs=%d, warmup_strategy=%s, updates_per_epoch=%d)",
                     batch_scale, warmup_epochs, warmup_strategy, updates_per_epoch)
        self.momentum = momentum
        self.multi_precision = multi_precision
        self.warmup_strategy = warmup_strategy
        self.warmup_epochs = warmup_epochs
        self.batch_scale = batch_scale
        self.updates_per_epoch = updates_per_epoch
        self.init_updates = begin_epoch * updates_per_epoch
        self.num_epochs = num_epochs
        self.lbmult = 1
        self.cumgrads = {}
        self.adaptive = False
        self.admult = 1

    def create_state(self, index, weight: NDArray):
        if self.multi_precision and is_low_precision(weight):
            master = weight.astype(np.float32)
            mom = zeros_like(master) if self.momentum != 0.0 else None
            return (mom, master)
        if weight._tensor.dtype == torch.float16 and not self.multi_precision:
            warnings.warn("Accumulating with float16 in optimizer can lead to poor accuracy or slow convergence. "
                          "Consider using multi_precision=True option of the SGD optimizer", stacklevel=2)
        return zeros_like(weight) if self.momentum != 0.0 else None

    def _get_lbmult(self, nup: int) -> float:
        nwup = self.warmup_epochs * self.updates_per_epoch
        maxmult = float(self.batch_scale)
        if nup >= nwup:
            return maxmult
        if nwup <= 1:
            return 1.0
        if self.warmup_strategy == "linear":
            return 1.0 + (maxmult - 1) * nup / nwup
        if self.warmup_strategy == "power2":
            return 1.0 + (maxmult - 1) * (nup * nup) / (nwup * nwup)
        if self.warmup_strategy == "sqrt":
            return 1.0 + (maxmult - 1) * math.sqrt(float(nup) / nwup)
        return 1.0

    def _get_lars(self, weight: torch.Tensor, g: torch.Tensor, wd: float) -> float:
        w2 = float(weight.square().sum())
        g2 = float(g.square().sum())
        return min(max(math.sqrt(w2 / (g2 + wd * w2 + 1e-18)), 0.01), 100.0)

    def _cumulate_gradient(self, grad: NDArray, index) -> dict:
        cgrad = self.cumgrads.get(index)
        if cgrad and cgrad["num_cums"] > 0:
            cum, num = cgrad["cum_grad"], cgrad["num_cums"] + 1
            cum = grad.copy() if isinstance(cum, int) else _wrap(cum._tensor + grad._tensor, grad._ctx)
        else:
            cum, num = grad.copy(), self.init_updates + 1
        self.cumgrads[index] = {"cum_grad": cum, "num_cums": num}
        return self.cumgrads[index]

    def update(self, index, weight, grad, state) -> None:
        lr, wd = self._get_lr(index), self._get_wd(index)
        self._update_count(index)
        cgrad = self._cumulate_gradient(grad, index)
        if cgrad["num_cums"] % self.batch_scale != 0:
            return  # MXNet applies sgd_update with lr=0 here: no change
        with M.no_grad():
            g = cgrad["cum_grad"]._tensor / self.batch_scale
            if self.warmup_strategy == "lars":
                mult = self._get_lars(weight._tensor, g, wd)
            else:
                mult = self._get_lbmult(cgrad["num_cums"])
            lr = lr * mult
            momentum = self.momentum if self.momentum > 0 else 0.0
            clip = kernel_clip(self.clip_gradient)
            if isinstance(state, (list, tuple)):
                mom, master = state
                ws = [master._tensor]
                sgd_step(ws, [g], None if mom is None else [mom._tensor], lr, wd, momentum, self.rescale_grad, clip)
                weight._tensor.copy_(master._tensor)
            else:
                sgd_step([weight._tensor], [g], None if state is None else [state._tensor], lr, wd, momentum,
                         self.rescale_grad, clip)
        self.cumgrads[index]["cum_grad"] = 0
