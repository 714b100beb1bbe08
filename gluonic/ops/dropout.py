"""``Dropout``: random zeroing of activations in training, identity in prediction."""
from __future__ import annotations

from typing import Literal

import torch

from .._state import is_training
from ..base import GluonicIndexError, GluonicTypeError, GluonicValueError
from ..random import generator
from .attrs import Attrs, Shape
from .registry import BatchRule, register

__all__ = ["DropoutAttrs"]


class DropoutAttrs(Attrs):
    p: float = 0.5
    mode: Literal["always", "training"] = "training"
    axes: Shape = ()
    cudnn_off: bool | None = False


@register("Dropout", attrs=DropoutAttrs, aliases=("dropout",), batch=BatchRule(axis=0))
def dropout(data, *, a: DropoutAttrs):
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p).

    Active in training mode (``autograd.record()``, ``autograd.train_mode()``), or always
    with ``mode='always'``; otherwise returns a copy of ``data``. ``axes`` shares one
    random mask across the listed axes (variational dropout): for ``data`` (N, T, C) and
    ``axes=(1,)`` each sequence drops the same channels at every step. ``cudnn_off`` is
    accepted and ignored.

    Differences from MXNet 1.9 (which it otherwise matches): ``p=1`` gives zeros instead
    of NaN, and negative ``axes`` count from the end instead of failing.

    Shapes: ``data`` (any) → same shape and dtype (floating point only).

    Example
    -------
    >>> with mx.autograd.train_mode():
    ...     y = mx.nd.Dropout(mx.nd.ones((2, 4)), p=0.5)
    >>> set(y.asnumpy().ravel().tolist()) <= {0.0, 2.0}
    True
    """
    if not data.dtype.is_floating_point:
        raise GluonicTypeError(
            "Operator Dropout: input 'data' must have a floating-point dtype; cast it with "
            f".astype('float32'). Received: {str(data.dtype).replace('torch.', '')}"
        )
    p = a.p
    if not 0.0 <= p <= 1.0:
        raise GluonicValueError(f"Operator Dropout: p must be in [0, 1]. Received: p={p}")
    ndim = data.dim()
    mask_shape = list(data.shape)
    for ax in a.axes:
        if not -ndim <= ax < ndim:
            raise GluonicIndexError(
                f"Operator Dropout: axes must be in [-{ndim}, {ndim}) for {ndim}-D data. "
                f"Received: axes={a.axes}, data{tuple(data.shape)}"
            )
        mask_shape[ax % ndim] = 1
    if (a.mode == "training" and not is_training()) or p == 0.0:
        return data.clone()
    if p == 1.0:
        return data * torch.zeros(mask_shape, dtype=data.dtype, device=data.device)
    keep = 1.0 - p
    mask = torch.empty(mask_shape, dtype=data.dtype, device=data.device)
    mask.bernoulli_(keep, generator=generator(data.device)).div_(keep)
    return data * mask
