"""Adam and its family: Adam, AdamW, Adamax, Nadam, LAMB and FTML (MXNet 1.9's update rules).

Adam and AdamW update many weights at once with ``torch._foreach_*`` kernels
(:meth:`~gluonic.optimizer.Optimizer.update_multi`); a single update runs the same code on
one-element lists, so both give identical numbers.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from ..ndarray.ndarray import NDArray
from . import _multi as M
from .optimizer import Optimizer, aggregation_size, f32, is_low_precision, kernel_clip, register, zeros_like
from .sgd import group_positions

__all__ = ["Adam", "AdamW", "Adamax", "Nadam", "LAMB", "FTML"]

_F = np.float32


def _prepared_grads(ws, gs, rescale: float, wd: float, clip: float | None):
    """``clip(rescale*g + wd*w)`` and whether those tensors are new (ours to overwrite).

    Float16 grads of float32 master weights are upcast first. The gradients are returned
    as they are when there is nothing to do, and new tensors are allocated only once
    (fresh CPU allocations cost more than the arithmetic).
    """
    if gs[0].dtype != ws[0].dtype:
        gs = [g.to(ws[0].dtype) for g in gs]
        if rescale != 1:
            M.mul_(gs, rescale)
    elif rescale != 1:
        gs = M.mul(gs, rescale)
    elif wd:  # g * 1 is g: fold the weight decay into the one new tensor
        gs = M.add(gs, ws, alpha=wd)
        wd = 0.0
    elif clip is not None:
        gs = M.clamp_min(gs, -clip)
    else:
        return gs, False
    if wd:
        M.add_(gs, ws, alpha=wd)
    if clip is not None:
        M.clamp_(gs, -clip, clip)
    return gs, True


def _moments(gs, means, variances, beta1: float, beta2: float) -> None:
    M.mul_(means, beta1)
    M.add_(means, gs, alpha=float(_F(1) - _F(beta1)))
    M.mul_(variances, beta2)
    M.addcmul_(variances, gs, gs, value=float(_F(1) - _F(beta2)))


def _denominators(gs, own: bool, variances, epsilon: float):
    """``sqrt(v) + epsilon``, written into the prepared-gradient tensors when they are ours."""
    if own:
        M.copy_(gs, variances)
        M.sqrt_(gs)
        denom = gs
    else:
        denom = M.sqrt(variances)
    M.add_scalar_(denom, epsilon)
    return denom


def adam_step(ws, gs, means, variances, lr, wd, beta1, beta2, epsilon, rescale, clip) -> None:
    """MXNet's adam_update on lists: ``g = clip(rescale*grad + wd*w)``, moments, then
    ``w -= lr * m / (sqrt(v) + epsilon)`` (``lr`` already bias-corrected by the caller)."""
    gs, own = _prepared_grads(ws, gs, f32(rescale), f32(wd), clip)
    _moments(gs, means, variances, f32(beta1), f32(beta2))
    denom = _denominators(gs, own, variances, f32(epsilon))
    M.addcdiv_(ws, means, denom, value=-f32(lr))


def adamw_step(ws, gs, means, variances, eta, wd, beta1, beta2, epsilon, rescale, clip) -> None:
    """MXNet's contrib adamw_update with ``lr=1``: ``g = clip(rescale*grad)``, moments, then
    ``w -= eta * (m / (sqrt(v) + epsilon) + wd * w)``."""
    gs, own = _prepared_grads(ws, gs, f32(rescale), 0.0, clip)
    _moments(gs, means, variances, f32(beta1), f32(beta2))
    step = M.div(means, _denominators(gs, own, variances, f32(epsilon)))
    if wd:
        M.add_(step, ws, alpha=f32(wd))
    M.add_(ws, step, alpha=-f32(eta))


class _AdamLike(Optimizer):
    """Shared driver: per-index learning rates, float32 master copies, grouped fused updates."""

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight))  # mean, variance

    def _lr_for(self, index, lr: float) -> float:
        return lr

    def update(self, index, weight, grad, state) -> None:
        self._run([index], [weight], [grad], [state], False)

    def update_multi_precision(self, index, weight, grad, state) -> None:
        mp = self.multi_precision and is_low_precision(weight) and isinstance(state[1], (tuple, list))
        self._run([index], [weight], [grad], [state], mp)

    def update_multi(self, indices, weights, grads, states) -> None:
        """Update all weights (one dtype) with fused ``torch._foreach_*`` kernels."""
        mp = self.multi_precision and is_low_precision(weights[0]) and isinstance(states[0][1], (tuple, list))
        self._run(list(indices), list(weights), list(grads), list(states), mp)

    def _run(self, indices, weights, grads, states, mp: bool) -> None:
        self._update_count(indices)
        lrs = [self._lr_for(i, lr) for i, lr in zip(indices, self._get_lrs(indices))]
        wds = self._get_wds(indices)
        if not self._should_update():
            return
        clip = kernel_clip(self.clip_gradient)
        keys = [(w._tensor.device, w._tensor.dtype, lr, wd) for w, lr, wd in zip(weights, lrs, wds)]
        with M.no_grad():
            for group in group_positions(keys):
                inner = [states[p][1] if mp else states[p] for p in group]
                ws = [(states[p][0] if mp else weights[p])._tensor for p in group]
                self._step(ws, [grads[p]._tensor for p in group], [s[0]._tensor for s in inner],
                           [s[1]._tensor for s in inner], lrs[group[0]], wds[group[0]], self.beta1, self.beta2,
                           self.epsilon, self.rescale_grad, clip)
                if mp:
                    for p, w32 in zip(group, ws):
                        weights[p]._tensor.copy_(w32)

    def _should_update(self) -> bool:
        return True


@register
class Adam(_AdamLike):
    """The Adam optimizer (MXNet's ``Adam``).

    At step ``t`` of a weight, with ``g = clip(rescale_grad * grad + wd * weight, clip_gradient)``::

        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
        weight = weight - lr_t * m / (sqrt(v) + epsilon)

    Note that weight decay is added to the gradient (L2 regularization), as in MXNet;
    see :class:`AdamW` for decoupled weight decay. ``lazy_update`` concerns sparse
    gradients only and is ignored.

    >>> import gluonic as mx
    >>> adam = mx.optimizer.Adam(learning_rate=0.1)
    >>> w, g = mx.nd.ones((2,)), mx.nd.array([1., -1.])
    >>> adam.update(0, w, g, adam.create_state(0, w))
    >>> w.asnumpy().round(4)
    array([0.9, 1.1], dtype=float32)
    """

    _step = staticmethod(adam_step)

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lazy_update = lazy_update

    def _lr_for(self, index, lr: float) -> float:
        t = self._index_update_count[index]
        return lr * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)


@register
class AdamW(_AdamLike):
    """Adam with decoupled weight decay (Loshchilov & Hutter).

    MXNet 1.9 has no AdamW optimizer class, only the ``contrib.adamw_update`` kernel;
    this is MXNet 2.0's ``AdamW`` on that kernel. With ``g = clip(rescale_grad * grad)``::

        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        eta = lr * sqrt(1 - beta2**t) / (1 - beta1**t)     (lr when correct_bias=False)
        weight = weight - eta * (m / (sqrt(v) + epsilon) + wd * weight)

    As in the kernel, a non-finite or zero ``rescale_grad`` skips the update.
    ``use_fused_step`` is accepted for MXNet 2.0 compatibility (always fused).
    """

    _step = staticmethod(adamw_step)

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6, correct_bias=True,
                 use_fused_step=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.correct_bias = correct_bias
        self.use_fused_step = use_fused_step

    def _lr_for(self, index, lr: float) -> float:
        if not self.correct_bias:
            return lr
        t = self._index_update_count[index]
        return lr * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)

    def _should_update(self) -> bool:
        r = float(self.rescale_grad)
        return math.isfinite(r) and r != 0


def _rescaled(grad: torch.Tensor, weight: torch.Tensor, rescale, wd, clip) -> torch.Tensor:
    """``clip(grad * rescale + wd * weight)`` as MXNet's NDArray code computes it (new tensor)."""
    g = grad * rescale
    if wd:
        g.add_(weight * wd)
    if clip is not None:
        g.clamp_(-clip, clip)
    return g


@register
class Adamax(Optimizer):
    """AdaMax, Adam with the infinity norm (MXNet's ``Adamax``).

    With ``g = clip(rescale_grad * grad + wd * weight, clip_gradient)`` at step ``t``::

        m = beta1 * m + (1 - beta1) * g
        u = maximum(beta2 * u, |g|)
        weight = weight - lr / (1 - beta1**t) * m / u
    """

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight))  # mean, infinity norm

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        lr /= 1.0 - self.beta1 ** self._index_update_count[index]
        w, (m, u) = weight._tensor, (s._tensor for s in state)
        with M.no_grad():
            g = _rescaled(grad._tensor, w, self.rescale_grad, wd, self.clip_gradient)
            m.mul_(self.beta1).add_(g * (1.0 - self.beta1))
            torch.maximum(u * self.beta2, g.abs_(), out=u)
            w.sub_(torch.mul(m, lr).div_(u))


@register
class Nadam(Optimizer):
    """Adam with Nesterov momentum (MXNet's ``Nadam``).

    With ``g = clip(rescale_grad * grad + wd * weight, clip_gradient)`` at step ``t``::

        mu_t   = beta1 * (1 - 0.5 * 0.96**(t * schedule_decay))
        mu_t1  = beta1 * (1 - 0.5 * 0.96**((t + 1) * schedule_decay))
        m_schedule = m_schedule * mu_t
        m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g**2
        m_bar = (1 - mu_t) * g / (1 - m_schedule) + mu_t1 * m / (1 - m_schedule * mu_t1)
        weight = weight - lr * m_bar / (sqrt(v / (1 - beta2**t)) + epsilon)

    As in MXNet, ``m_schedule`` is one number shared by all weights (each update of any
    weight advances it), so it decays once per weight per step.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.schedule_decay = schedule_decay
        self.m_schedule = 1.0

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight))  # mean, variance

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        t = self._index_update_count[index]
        mu_t = self.beta1 * (1.0 - 0.5 * (pow(0.96, t * self.schedule_decay)))
        mu_t1 = self.beta1 * (1.0 - 0.5 * (pow(0.96, (t + 1) * self.schedule_decay)))
        self.m_schedule = self.m_schedule * mu_t
        m_schedule_next = self.m_schedule * mu_t1
        w, (m, v) = weight._tensor, (s._tensor for s in state)
        with M.no_grad():
            g = _rescaled(grad._tensor, w, self.rescale_grad, wd, self.clip_gradient)
            m.mul_(self.beta1).add_(g * (1.0 - self.beta1))
            v.mul_(self.beta2).add_(torch.mul(g, 1.0 - self.beta2).mul_(g))
            m_bar = torch.div(g, 1.0 - self.m_schedule).mul_(1.0 - mu_t)
            m_bar.add_(torch.div(m, 1.0 - m_schedule_next).mul_(mu_t1))
            denom = torch.div(v, 1.0 - pow(self.beta2, t)).sqrt_().add_(self.epsilon)
            w.sub_(m_bar.mul_(lr).div_(denom))


@register
class LAMB(Optimizer):
    """Layer-wise adaptive moments (MXNet's ``LAMB``).

    With ``g = clip(rescale_grad * grad, clip_gradient)`` at step ``t``::

        m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g**2
        r = m_hat / (sqrt(v_hat) + epsilon) + wd * weight   (m_hat = m / (1 - beta1**t), likewise
                                                              v_hat; plain m, v without bias_correction)
        r1 = clip(|weight|, lower_bound, upper_bound);  r2 = |r|
        weight = weight - lr * (r1 / r2 if r1 > 0 and r2 > 0 else 1) * r
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6, lower_bound=None,
                 upper_bound=None, bias_correction=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound
        self.bias_correction = bias_correction
        self.aggregate_num = max(1, min(45, aggregation_size("45")))

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight))  # mean, variance

    def update(self, index, weight, grad, state) -> None:
        self._update_impl(index, weight, grad, state, False)

    def update_multi_precision(self, index, weight, grad, state) -> None:
        w0 = weight[0] if isinstance(index, (list, tuple)) else weight
        self._update_impl(index, weight, grad, state, self.multi_precision and is_low_precision(w0))

    def _update_impl(self, indices, weights, grads, states, mp: bool) -> None:
        if not isinstance(indices, (list, tuple)):
            indices, weights, grads, states = [indices], [weights], [grads], [states]
        with M.no_grad():
            for index, weight, grad, state in zip(indices, weights, grads, states):
                self._update_count(index)
                lr, wd = self._get_lr(index), self._get_wd(index)
                t = self._index_update_count[index]
                if mp:
                    w = state[0]._tensor
                    m, v = (s._tensor for s in state[1])
                else:
                    w = weight._tensor
                    m, v = (s._tensor for s in state)
                self._step(w, grad._tensor, m, v, f32(lr), f32(wd), t)
                if mp:
                    weight._tensor.copy_(w)

    def _step(self, w, g, m, v, lr, wd, t) -> None:
        clip = kernel_clip(self.clip_gradient)
        g = g.to(w.dtype) * f32(self.rescale_grad)
        if clip is not None:
            g.clamp_(-clip, clip)
        b1, b2 = f32(self.beta1), f32(self.beta2)
        m.mul_(b1).add_(g * float(_F(1) - _F(b1)))
        v.mul_(b2).add_(torch.mul(g, float(_F(1) - _F(b2))).mul_(g))
        if self.bias_correction:
            r = torch.div(m, 1.0 - b1 ** t).div_(torch.div(v, 1 - b2 ** t).sqrt_().add_(f32(self.epsilon)))
        else:
            r = torch.div(m, v.sqrt().add_(f32(self.epsilon)))
        if wd:
            r.add_(w * wd)
        r1, r2 = w.norm(), r.norm()
        if self.lower_bound:
            r1 = r1.clamp(min=self.lower_bound)
        if self.upper_bound:
            r1 = r1.clamp(max=self.upper_bound)
        scale = torch.where((r1 == 0) | (r2 == 0), torch.ones_like(r1), r1 / r2) * lr
        w.sub_(r.mul_(scale))


@register
class FTML(Optimizer):
    """Follow the moving leader (MXNet's ``FTML``).

    With ``g = clip(rescale_grad * grad + wd * weight, clip_gradient)`` at step ``t``::

        v = beta2 * v + (1 - beta2) * g**2
        d_t = (1 - beta1**t) / lr * (sqrt(v / (1 - beta2**t)) + epsilon)
        z = beta1 * z + (1 - beta1) * g - (d_t - beta1 * d) * weight
        d = d_t;   weight = -z / d_t
    """

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon

    def create_state(self, index, weight: NDArray):
        return (zeros_like(weight), zeros_like(weight), zeros_like(weight))  # d, v, z

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = _F(self._get_lr(index)), _F(self._get_wd(index))
        t = _F(self._index_update_count[index])
        b1, b2 = _F(self.beta1), _F(self.beta2)
        w = weight._tensor
        d, v, z = (s._tensor for s in state)
        with M.no_grad():
            g = grad._tensor * f32(self.rescale_grad)
            if wd:
                g.add_(w * float(wd))
            clip = kernel_clip(self.clip_gradient)
            if clip is not None:
                g.clamp_(-clip, clip)
            v.mul_(float(b2)).add_(g.square().mul_(float(_F(1) - b2)))
            d_t = torch.div(v, float(_F(1) - b2 ** t)).sqrt_().add_(f32(self.epsilon))
            d_t.mul_(float((_F(1) - b1 ** t) / lr))
            z.mul_(float(b1)).add_(g.mul_(float(_F(1) - b1)))
            z.sub_(torch.sub(d_t, d * float(b1)).mul_(w))
            d.copy_(d_t)
            torch.div(z, d_t, out=w).neg_()
