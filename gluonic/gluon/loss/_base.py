"""The ``Loss`` base block and the helpers every loss shares."""
from __future__ import annotations

import numbers

import numpy as np

from ...base import GluonicTypeError
from ..block import HybridBlock

__all__ = ["Loss"]


def _apply_weighting(F, loss, weight=None, sample_weight=None):
    """``loss`` times ``sample_weight`` (broadcast) and times the scalar ``weight``.

    ``sample_weight`` must broadcast to ``loss``'s shape: for a loss of shape (64, 10),
    (64, 1) weighs each sample. ``None`` for either leaves the loss unweighted by it.
    """
    if sample_weight is not None:
        loss = F.broadcast_mul(loss, sample_weight)
    if weight is not None:
        if not isinstance(weight, (numbers.Number, np.generic)) or isinstance(weight, complex):
            raise GluonicTypeError(f"Loss weight must be a number (or None). Received: {weight!r}")
        loss = loss * weight
    return loss


def _reshape_like(F, x, y):
    """``x`` reshaped to ``y``'s shape (same number of elements)."""
    return F.reshape_like(x, y)


def _batch_mean(F, loss, batch_axis: int):
    """Mean over every axis but ``batch_axis``: shape (batch_size,)."""
    return F.mean(loss, axis=batch_axis, exclude=True)


class Loss(HybridBlock):
    """Base class of losses: a ``HybridBlock`` with a scalar ``weight`` and a ``batch_axis``.

    Parameters
    ----------
    weight : float or None
        Global scalar weight multiplied into the loss.
    batch_axis : int
        The axis that indexes samples; most losses average over all other axes.
    """

    def __init__(self, weight, batch_axis, **kwargs):
        super().__init__(**kwargs)
        self._weight = weight
        self._batch_axis = batch_axis

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(batch_axis={self._batch_axis}, w={self._weight})"

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Override to compute the loss with ``F`` (``mx.nd`` or ``mx.sym``)."""
        raise NotImplementedError
