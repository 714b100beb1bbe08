"""Contrib optimizers (MXNet's ``mx.optimizer.contrib``): GroupAdaGrad, and AdamW.

MXNet 1.9 ships AdamW only as the ``contrib.adamw_update`` kernel; gluonic's
:class:`~gluonic.optimizer.AdamW` (registered as ``'adamw'``) is re-exported here too.
"""
from __future__ import annotations

import torch

from ..base import GluonicValueError
from ..ndarray.ndarray import NDArray, _wrap
from . import _multi as M
from .adam import AdamW
from .adaptive import scaled_grad
from .optimizer import Optimizer, register

__all__ = ["GroupAdaGrad", "AdamW"]


@register
class GroupAdaGrad(Optimizer):
    """AdaGrad with one learning rate per row of a 2-D weight (MXNet's ``contrib.GroupAdaGrad``).

    With ``g = clip(rescale_grad * grad, clip_gradient)``::

        history = history + mean(g**2, axis=1, keepdims=True)      # shape (rows, 1)
        weight = weight - lr * g / sqrt(history + eps)

    Weight decay is not supported.
    """

    def __init__(self, eps=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight: NDArray):
        if weight.ndim != 2:
            raise GluonicValueError(f"GroupAdaGrad needs 2-D weights. Received: shape {weight.shape}")
        t = weight._tensor
        return _wrap(torch.zeros((t.shape[0], 1), dtype=t.dtype, device=t.device), weight._ctx)

    def update(self, index, weight, grad, state) -> None:
        self._update_count(index)
        lr, wd = self._get_lr(index), self._get_wd(index)
        if wd != 0:
            raise GluonicValueError(f"Weight decay is not supported for GroupAdaGrad. Received: wd={wd}")
        w, h = weight._tensor, state._tensor
        with M.no_grad():
            g = scaled_grad(grad._tensor, self.rescale_grad, self.clip_gradient)
            h.add_(g.square().mean(dim=1, keepdim=True))
            w.sub_(g.mul_(lr).div_(torch.add(h, self.float_stable_eps).sqrt_()))
