"""Regression losses: ``L1Loss``, ``L2Loss``, ``HuberLoss``, ``PoissonNLLLoss``."""
from __future__ import annotations

import math

from ._base import Loss, _apply_weighting, _batch_mean, _reshape_like

__all__ = ["L1Loss", "L2Loss", "HuberLoss", "PoissonNLLLoss"]


class L2Loss(Loss):
    r"""Half the mean squared error: :math:`L = \frac{1}{2} \sum_i (label_i - pred_i)^2`, averaged.

    Parameters
    ----------
    weight : float or None, default 1.
        Global scalar weight (``None`` counts as 1; MXNet fails on it).
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred`` of any shape; ``label`` with as many elements (reshaped like pred);
    optional ``sample_weight`` broadcastable to pred's shape ((64, 1) for pred (64, 10)).
    Output: (batch_size,), the mean over every other axis.

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.L2Loss()(nd.array([[1, 2]]), nd.array([[0, 0]])).asnumpy().tolist()
    [1.25]
    """

    def __init__(self, weight=1., batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.square(label - pred)
        half = 0.5 if self._weight is None else self._weight / 2
        loss = _apply_weighting(F, loss, half, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class L1Loss(Loss):
    r"""Mean absolute error: :math:`L = \sum_i |label_i - pred_i|`, averaged.

    Parameters
    ----------
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred`` of any shape; ``label`` with as many elements; optional
    ``sample_weight`` broadcastable to pred's shape. Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.L1Loss()(nd.array([[1, -3]]), nd.array([[0, 0]])).asnumpy().tolist()
    [2.0]
    """

    def __init__(self, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.abs(label - pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class HuberLoss(Loss):
    r"""Smoothed L1 loss: quadratic for errors below ``rho``, linear above, averaged.

    .. math:: L = \sum_i \begin{cases} \frac{1}{2 \rho} (label_i - pred_i)^2 & |label_i - pred_i| \le \rho \\
              |label_i - pred_i| - \frac{\rho}{2} & \text{otherwise} \end{cases}

    Parameters
    ----------
    rho : float, default 1
        Threshold between the quadratic and the linear part.
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred``, ``label`` (as many elements), optional ``sample_weight``.
    Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.HuberLoss()(nd.array([[0.5, 3]]), nd.array([[0, 0]])).asnumpy().tolist()
    [1.3125]
    """

    def __init__(self, rho=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.abs(label - pred)
        loss = F.where(loss > self._rho, loss - 0.5 * self._rho, (0.5 / self._rho) * F.square(loss))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class PoissonNLLLoss(Loss):
    r"""Negative log likelihood of ``target`` under a Poisson distribution of rate ``pred``.

    With ``from_logits=True`` (pred is the log rate) :math:`L = e^{pred} - target \cdot pred`;
    otherwise :math:`L = pred - target \cdot \log(pred + \epsilon)`. ``compute_full`` adds
    Stirling's approximation of :math:`\log(target!)`,
    :math:`target \log(target) - target + \frac{1}{2}\log(2 \pi\, target)`, for targets above 1.

    Parameters
    ----------
    weight : float or None
        Global scalar weight.
    from_logits : bool, default True
        Whether ``pred`` is the log of the rate.
    batch_axis : int, default 0
        Kept for the common signature; the loss is averaged over everything.
    compute_full : bool, default False
        Add the Stirling term. (MXNet returns NaN when a target is 0; gluonic adds 0 there.)

    Inputs: ``pred``, ``target`` (as many elements), optional ``sample_weight``, and
    ``epsilon`` (default 1e-08). Output: shape (1,), the mean over all elements (as MXNet).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.PoissonNLLLoss()(nd.array([[0, 0]]), nd.array([[1, 2]])).asnumpy().tolist()
    [1.0]
    """

    def __init__(self, weight=None, from_logits=True, batch_axis=0, compute_full=False, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._compute_full = compute_full

    def hybrid_forward(self, F, pred, target, sample_weight=None, epsilon=1e-08):
        target = _reshape_like(F, target, pred)
        if self._from_logits:
            loss = F.exp(pred) - target * pred
        else:
            loss = pred - target * F.log(pred + epsilon)
        if self._compute_full:
            above_one = target > 1
            safe = F.where(above_one, target, F.ones_like(target))  # no log(0) even in the unused branch
            stirling = safe * F.log(safe) - safe + 0.5 * F.log(2 * safe * math.pi)
            loss = loss + F.where(above_one, stirling, F.zeros_like(stirling))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return F.mean(loss)
