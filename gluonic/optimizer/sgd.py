"""SGD and its relatives: SGD (with momentum), ccSGD, NAG, Signum and LARS.

The update rules are MXNet 1.9's kernels, term for term (``lr``, ``wd`` and the other
hyper-parameters are rounded to float32 as MXNet's kernels receive them). Note that
MXNet stores the *negative* momentum for SGD (``mom = momentum*mom - lr*grad``,
``weight += mom``); gluonic's states hold the same values.
"""
from __future__ import annotations

import numpy as np
import torch

from ..ndarray.ndarray import NDArray
from . import _multi as M
from .optimizer import Optimizer, aggregation_size, f32, is_low_precision, kernel_clip, register, tensor, zeros_like

__all__ = ["SGD", "ccSGD", "NAG", "Signum", "LARS"]

_F = np.float32


def _scaled_grads(gs, rescale: float, clip: float | None, upcast: bool):
    """``clip(rescale * g)`` as new tensors (float32 when ``upcast``), or ``None`` when the
    rescale can be folded into the update's scalar (no clipping)."""
    if clip is None:
        return None
    if upcast:
        gs = [g.float() for g in gs]
        M.mul_(gs, rescale)
    else:
        gs = M.mul(gs, rescale)
    M.clamp_(gs, -clip, clip)
    return gs


def sgd_step(ws, gs, moms, lr, wd, momentum, rescale, clip):
    """MXNet's multi_sgd(_mom)_update on lists of tensors sharing ``lr`` and ``wd``.

    With momentum: ``mom = momentum*mom - lr*wd*w - lr*clip(rescale*g); w += mom``.
    Without: ``w = (1 - lr*wd)*w - lr*clip(rescale*g)``. ``ws``/``moms`` are float32 master
    copies when the grads are float16 (mixed precision).
    """
    lr, wd, rescale = f32(lr), f32(wd), f32(rescale)
    upcast = gs[0].dtype != ws[0].dtype
    scaled = _scaled_grads(gs, rescale, clip, upcast)
    if scaled is None:
        scaled, alpha = ([g.float() for g in gs] if upcast else gs), -float(_F(lr) * _F(rescale))
    else:
        alpha = -lr
    lrwd = float(_F(lr) * _F(wd))
    if moms is not None:
        M.mul_(moms, momentum)
        if lrwd:
            M.add_(moms, ws, alpha=-lrwd)
        M.add_(moms, scaled, alpha=alpha)
        M.add_(ws, moms)
    else:
        if lrwd:
            M.mul_(ws, float(_F(1) - _F(lrwd)))
        M.add_(ws, scaled, alpha=alpha)


def nag_step(ws, gs, moms, lr, wd, momentum, rescale, clip):
    """MXNet's nag_mom_update: ``mom' = momentum*mom``, ``d = clip(rescale*g) + wd*w``,
    ``w_new = w - mom' + (momentum+1)*(mom' - lr*d)``, ``mom = mom' - lr*d_new``.

    MXNet's kernel writes the weight in place before computing the new momentum, so the
    weight decay term of the stored momentum uses the *new* weight; gluonic does the same.
    """
    lr, wd, rescale = f32(lr), f32(wd), f32(rescale)
    if gs[0].dtype != ws[0].dtype:
        gs = [g.float() for g in gs]
        M.mul_(gs, rescale)
    else:
        gs = M.mul(gs, rescale)
    if clip is not None:
        M.clamp_(gs, -clip, clip)
    M.mul_(moms, momentum)
    if wd:
        new_moms = M.add(moms, M.add(gs, ws, alpha=wd), alpha=-lr)
        M.sub_(ws, moms)
        M.add_(ws, new_moms, alpha=float(_F(momentum) + _F(1)))
        M.add_(gs, ws, alpha=wd)
        M.add_(moms, gs, alpha=-lr)
    else:
        M.sub_(ws, moms)
        M.add_(moms, gs, alpha=-lr)
        M.add_(ws, moms, alpha=float(_F(momentum) + _F(1)))


def group_positions(keys) -> list[list[int]]:
    """Positions of equal keys, grouped, in first-seen order."""
    if len(keys) == 1:
        return [[0]]
    groups: dict = {}
    for pos, k in enumerate(keys):
        groups.setdefault(k, []).append(pos)
    return list(groups.values())


class _MomentumRule(Optimizer):
    """Shared driver of SGD and NAG: list-aware updates, fp16 master copies as ``(mom, weight32)``."""

    _step = staticmethod(sgd_step)
    _step_without_momentum = staticmethod(sgd_step)

    def create_state(self, index, weight: NDArray):
        return zeros_like(weight) if self.momentum != 0.0 else None

    def create_state_multi_precision(self, index, weight: NDArray):
        if self.multi_precision and is_low_precision(weight):
            master = weight.astype(np.float32)
            return (self.create_state(index, master), master)
        return super().create_state_multi_precision(index, weight)

    def update(self, index, weight, grad, state) -> None:
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state) -> None:
        w0 = weight[0] if isinstance(index, (list, tuple)) else weight
        mp = self.multi_precision and is_low_precision(w0) and isinstance(
            state[0] if isinstance(index, (list, tuple)) else state, (tuple, list))
        self._update_impl(index, weight, grad, state, multi_precision=mp)

    def update_multi(self, indices, weights, grads, states) -> None:
        """Update all weights with fused ``torch._foreach_*`` kernels (identical results)."""
        self.update_multi_precision(list(indices), list(weights), list(grads), list(states))

    def _lrs_wds(self, indices):
        self._update_count(indices)
        return self._get_lrs(indices), self._get_wds(indices)

    def _update_impl(self, indices, weights, grads, states, multi_precision: bool) -> None:
        if not isinstance(indices, (list, tuple)):
            indices, weights, grads, states = [indices], [weights], [grads], [states]
        lrs, wds = self._lrs_wds(indices)
        self._apply(weights, grads, states, lrs, wds, multi_precision, self._momentum_value())

    def _momentum_value(self) -> float:
        return f32(self.momentum) if self.momentum > 0 else 0.0

    def _apply(self, weights, grads, states, lrs, wds, multi_precision, momentum) -> None:
        clip, rescale = kernel_clip(self.clip_gradient), self.rescale_grad
        keys = [(w._tensor.device, w._tensor.dtype, lr, wd) for w, lr, wd in zip(weights, lrs, wds)]
        with M.no_grad():
            for group in group_positions(keys):
                gs = [grads[p]._tensor for p in group]
                if multi_precision:
                    ws = [states[p][1]._tensor for p in group]
                    moms = [tensor(states[p][0]) for p in group]
                else:
                    ws = [weights[p]._tensor for p in group]
                    moms = [tensor(states[p]) for p in group]
                lr, wd = lrs[group[0]], wds[group[0]]
                if moms[0] is not None:
                    self._step(ws, gs, moms, lr, wd, momentum, rescale, clip)
                else:
                    self._step_without_momentum(ws, gs, None, lr, wd, momentum, rescale, clip)
                if multi_precision:
                    for p, w32 in zip(group, ws):
                        weights[p]._tensor.copy_(w32)


@register
class SGD(_MomentumRule):
    """Stochastic gradient descent with momentum and weight decay (MXNet's ``SGD``).

    Updates, with ``g = clip(rescale_grad * grad, clip_gradient)``::

        state  = momentum * state - lr * wd * weight - lr * g     (momentum > 0)
        weight = weight + state
        weight = (1 - lr * wd) * weight - lr * g                  (no momentum)

    Parameters
    ----------
    momentum : float, default 0.0
    lazy_update : bool, default True
        Only meaningful for sparse gradients, which gluonic stores dense: ignored.
    multi_precision : bool, default False
        float16 weights are updated through a float32 master copy; the state is then
        ``(momentum_float32 or None, weight_float32)``.

    Weights are updated together by :meth:`update_multi` with ``torch._foreach_*`` kernels.

    >>> import gluonic as mx
    >>> sgd = mx.optimizer.SGD(learning_rate=0.1, momentum=0.9)
    >>> w, g = mx.nd.ones((2,)), mx.nd.ones((2,))
    >>> st = sgd.create_state(0, w)
    >>> sgd.update(0, w, g, st); sgd.update(0, w, g, st)
    >>> w.asnumpy()
    array([0.71, 0.71], dtype=float32)
    """

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update
        self.aggregate_num = aggregation_size("4")


@register
class ccSGD(SGD):  # noqa: N801  (MXNet's name)
    """[DEPRECATED] The same as :class:`SGD`; kept for MXNet compatibility."""


@register
class NAG(_MomentumRule):
    """Nesterov accelerated gradient (MXNet's ``NAG``).

    With ``d = clip(rescale_grad * grad, clip_gradient) + wd * weight``::

        state  = momentum * state
        weight = weight - state + (momentum + 1) * (state - lr * d)
        state  = state - lr * d

    Without momentum it is plain SGD: ``weight = (1 - lr*wd)*weight - lr*clip(rescale*grad)``.
    ``multi_precision`` keeps ``(momentum, weight_float32)`` for float16 weights.
    """

    _step = staticmethod(nag_step)

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum


@register
class Signum(Optimizer):
    """SIGN momentUM (MXNet's ``Signum``); without momentum, signSGD.

    With ``g = clip(rescale_grad * grad, clip_gradient)``::

        state  = momentum * state - (1 - momentum) * (wd * weight + g)
        weight = (1 - lr * wd_lh) * weight + lr * sign(state)
        weight = (1 - lr * wd) * weight - lr * sign(grad)          (momentum = 0)

    ``wd_lh`` is decoupled weight decay (Loshchilov & Hutter).
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight: NDArray):
        return zeros_like(weight) if self.momentum != 0.0 else None

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = f32(self._get_lr(index)), f32(self._get_wd(index))
        w, g = weight._tensor, grad._tensor
        with M.no_grad():
            if state is None:
                if wd:
                    w.mul_(float(_F(1) - _F(lr) * _F(wd)))
                w.sub_(torch.sign(g), alpha=lr)
                return
            m = f32(self.momentum) if self.momentum > 0 else 0.0
            one_m = _F(1) - _F(m)
            clip, rescale = kernel_clip(self.clip_gradient), f32(self.rescale_grad)
            mom = state._tensor
            mom.mul_(m)
            if wd:
                mom.add_(w, alpha=-float(one_m * _F(wd)))
            if clip is None:
                mom.add_(g, alpha=-float(one_m * _F(rescale)))
            else:
                mom.sub_(torch.mul(g, rescale).clamp_(-clip, clip), alpha=float(one_m))
            if self.wd_lh:
                w.mul_(float(_F(1) - _F(lr) * _F(self.wd_lh)))
            w.add_(torch.sign(mom), alpha=lr)


@register
class LARS(_MomentumRule):
    """Layer-wise adaptive rate scaling (MXNet's ``LARS``): SGD whose learning rate is scaled
    per layer, except for biases and BatchNorm parameters (names ending in ``gamma``,
    ``beta`` or ``bias``)::

        lr_layer = lr * eta * |w| / (|g| * rescale_grad + wd * |w| + eps)   (|w|, |g| > 0)

    then the SGD update with ``lr_layer``. With ``momentum_correction`` the momentum is
    scaled by ``lr_now / lr_before`` when a scheduler changes the rate. Only names ending
    in ``_weight`` keep weight decay when ``param_idx2name`` is given.
    """

    def __init__(self, momentum=0.0, lazy_update=True, eta=0.001, eps=0, momentum_correction=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.momentum_correction = momentum_correction
        self.lazy_update = lazy_update
        self.aggregate_num = aggregation_size("4")
        self.eta = eta
        self.eps = eps
        self.skip = 0
        self.last_lr = None
        self.cur_lr = None

    def update_multi(self, indices, weights, grads, states) -> None:
        """Chunks of ``aggregate_num`` weights, as MXNet's updater calls LARS (the momentum
        correction applies once per call)."""
        Optimizer.update_multi(self, indices, weights, grads, states)

    def _get_lrs(self, indices):
        if self.cur_lr is not None:
            self.last_lr = self.cur_lr
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        if self.cur_lr is None:
            self.last_lr = lr
        self.cur_lr = lr
        return super()._get_lrs(indices)

    def set_wd_mult(self, args_wd_mult):
        self.wd_mult = {n: 0.0 for n in self.idx2name.values() if not n.endswith("_weight")}
        if self.sym_info:
            attr, arg_names = self.sym_info
            for name in arg_names:
                if name in attr and "__wd_mult__" in attr[name]:
                    self.wd_mult[name] = float(attr[name]["__wd_mult__"])
        self.wd_mult.update(args_wd_mult)

    def _momentum_value(self) -> float:
        if self.momentum <= 0:
            return 0.0
        if self.momentum_correction and self.last_lr != 0:
            return f32(self.momentum * (self.cur_lr / self.last_lr))
        return f32(self.momentum)

    def _update_impl(self, indices, weights, grads, states, multi_precision: bool) -> None:
        if not isinstance(indices, (list, tuple)):
            indices, weights, grads, states = [indices], [weights], [grads], [states]
        lrs, wds = self._lrs_wds(indices)
        momentum = self._momentum_value()
        names = [self.idx2name.get(i, str(i)) for i in indices]
        scaled = [p for p, n in enumerate(names) if not n.endswith(("gamma", "beta", "bias"))]
        if scaled:
            with M.no_grad():
                sums = torch.stack([torch.stack([weights[p]._tensor.float().square().sum(),
                                                 grads[p]._tensor.float().square().sum()]).cpu() for p in scaled])
            for p, (w_sq, g_sq) in zip(scaled, sums.numpy().astype(np.float32)):
                w_norm = np.sqrt(w_sq)
                if w_norm > 0 and g_sq > 0:
                    den = np.sqrt(g_sq) * _F(self.rescale_grad) + _F(wds[p]) * w_norm + _F(self.eps)
                    lrs[p] = float(_F(lrs[p]) * _F(self.eta) * w_norm / den)
        self._apply(weights, grads, states, lrs, wds, multi_precision, momentum)
