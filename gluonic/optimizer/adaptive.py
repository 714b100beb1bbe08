"""Per-coordinate adaptive rules: AdaGrad, AdaDelta, RMSProp and Ftrl (MXNet 1.9's formulas).

Their states are created in the weight's dtype (MXNet creates them float32 whatever the
weight, and then fails on float64 weights).
"""
from __future__ import annotations

import numpy as np
import torch

from ..ndarray.ndarray import NDArray
from . import _multi as M
from .optimizer import Optimizer, f32, kernel_clip, register, zeros_like

__all__ = ["AdaGrad", "AdaDelta", "RMSProp", "Ftrl"]

_F = np.float32


def scaled_grad(grad: torch.Tensor, rescale, clip) -> torch.Tensor:
    """``clip(grad * rescale)`` as a new tensor (MXNet's Python rules clip whenever
    ``clip_gradient is not None``)."""
    g = grad * rescale
    if clip is not None:
        g.clamp_(-clip, clip)
    return g


@register
class AdaGrad(Optimizer):
    """AdaGrad (MXNet's ``AdaGrad``).

    With ``g = clip(rescale_grad * grad, clip_gradient)``::

        history = history + g**2
        weight = weight - lr * (g / sqrt(history + eps) + wd * weight)

    Parameters
    ----------
    eps : float, default 1e-7
        Added inside the square root (stored as ``float_stable_eps``, as in MXNet).
    """

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight: NDArray):
        return zeros_like(weight)  # history

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        w, h = weight._tensor, state._tensor
        with M.no_grad():
            g = scaled_grad(grad._tensor, self.rescale_grad, self.clip_gradient)
            h.add_(g.square())
            g.div_(torch.add(h, self.float_stable_eps).sqrt_())
            if wd:
                g.add_(w * wd)
            w.add_(g.mul_(-lr))


@register
class AdaDelta(Optimizer):
    """AdaDelta (MXNet's ``AdaDelta``).

    With ``g = clip(rescale_grad * grad, clip_gradient)``::

        acc_g = rho * acc_g + (1 - rho) * g**2
        delta = sqrt(acc_delta + epsilon) / sqrt(acc_g + epsilon) * g
        acc_delta = rho * acc_delta + (1 - rho) * delta**2
        weight = weight - (delta + wd * weight)

    As in MXNet 1.9 the learning rate is not used. Unlike MXNet, the gradient array is
    not modified (MXNet rescales it in place).
    """

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight))  # accumulated g, accumulated delta

    def update(self, index, weight, grad, state) -> None:
        wd = self._get_wd(index)
        self._update_count(index)
        w = weight._tensor
        acc_g, acc_delta = (s._tensor for s in state)
        rho, eps = self.rho, self.epsilon
        with M.no_grad():
            g = scaled_grad(grad._tensor, self.rescale_grad, self.clip_gradient)
            acc_g.mul_(rho).add_(torch.mul(g, 1.0 - rho).mul_(g))
            delta = torch.add(acc_delta, eps).sqrt_().div_(torch.add(acc_g, eps).sqrt_()).mul_(g)
            acc_delta.mul_(rho).add_(torch.mul(delta, 1.0 - rho).mul_(delta))
            if wd:
                delta.add_(w * wd)
            w.sub_(delta)


@register
class RMSProp(Optimizer):
    """RMSProp (MXNet's ``RMSProp``): Tieleman & Hinton's, or Graves' centered version.

    With ``g = clip(rescale_grad * grad + wd * weight, clip_gradient)``::

        n = (1 - gamma1) * g**2 + gamma1 * n
        weight = weight - lr * g / sqrt(n + epsilon)                     (centered=False)

        n = (1 - gamma1) * g**2 + gamma1 * n;  gbar = (1 - gamma1) * g + gamma1 * gbar
        delta = gamma2 * delta - lr * g / sqrt(n - gbar**2 + epsilon)
        weight = weight + delta                                           (centered=True)

    then ``weight`` is clipped to ``[-clip_weights, clip_weights]`` if ``clip_weights`` is set.
    The state is ``(n,)`` or ``(n, gbar, delta)``.
    """

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8, centered=False,
                 clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1 = gamma1
        self.gamma2 = gamma2
        self.centered = centered
        self.epsilon = epsilon
        self.clip_weights = clip_weights

    def create_state(self, index, weight: NDArray):
        if self.centered:
            return (zeros_like(weight), zeros_like(weight), zeros_like(weight))  # n, g, delta
        return (zeros_like(weight),)  # n

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = f32(self._get_lr(index)), f32(self._get_wd(index))
        g1, eps = f32(self.gamma1), f32(self.epsilon)
        one_g1 = float(_F(1) - _F(g1))
        w = weight._tensor
        with M.no_grad():
            g = grad._tensor * f32(self.rescale_grad)
            if wd:
                g.add_(w * wd)
            clip = kernel_clip(self.clip_gradient)
            if clip is not None:
                g.clamp_(-clip, clip)
            if not self.centered:
                n = state[0]._tensor
                n.mul_(g1).add_(g.square().mul_(one_g1))
                w.sub_(g.div_(torch.add(n, eps).sqrt_()).mul_(lr))
            else:
                n, gbar, delta = (s._tensor for s in state)
                n.mul_(g1).add_(torch.mul(g, one_g1).mul_(g))
                gbar.mul_(g1).add_(g * one_g1)
                den = torch.sub(n, gbar * gbar).add_(eps).sqrt_()
                delta.mul_(f32(self.gamma2)).sub_(g.mul_(lr).div_(den))
                w.add_(delta)
            cw = kernel_clip(self.clip_weights)
            if cw is not None:
                w.clamp_(-cw, cw)


@register
class Ftrl(Optimizer):
    """Follow the regularized leader, FTRL-proximal (MXNet's ``Ftrl``).

    With ``g = clip(rescale_grad * grad, clip_gradient)``::

        z = z + g - (sqrt(n + g**2) - sqrt(n)) * weight / lr
        n = n + g**2
        weight = (sign(z) * lamda1 - z) / ((beta + sqrt(n)) / lr + wd) * (|z| > lamda1)

    Parameters
    ----------
    lamda1 : float, default 0.01
        L1 regularization coefficient.
    learning_rate : float, default 0.1
    beta : float, default 1
    """

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(**kwargs)
        self.lamda1 = lamda1
        self.beta = beta
        self.lr = learning_rate

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight))  # z, n

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        wd, lr = f32(self._get_wd(index)), f32(self._get_lr(index))
        lamda1 = f32(self.lamda1)
        w = weight._tensor
        z, n = (s._tensor for s in state)
        with M.no_grad():
            g = grad._tensor * f32(self.rescale_grad)
            clip = kernel_clip(self.clip_gradient)
            if clip is not None:
                g.clamp_(-clip, clip)
            g_sq = g.square()
            sigma = torch.add(n, g_sq).sqrt_().sub_(n.sqrt()).mul_(w).div_(lr)
            z.add_(g.sub_(sigma))
            n.add_(g_sq)
            num = torch.sign(z).mul_(lamda1).sub_(z)
            den = n.sqrt().add_(f32(self.beta)).div_(lr).add_(wd)
            w.copy_(num.div_(den).mul_(z.abs() > lamda1))
