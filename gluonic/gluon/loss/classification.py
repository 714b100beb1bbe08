"""Classification losses: binary and softmax cross entropy, KL divergence, hinge and logistic losses."""
from __future__ import annotations

from ...base import GluonicValueError
from ._base import Loss, _apply_weighting, _batch_mean, _reshape_like

__all__ = ["SigmoidBinaryCrossEntropyLoss", "SigmoidBCELoss", "SoftmaxCrossEntropyLoss", "SoftmaxCELoss",
           "KLDivLoss", "HingeLoss", "SquaredHingeLoss", "LogisticLoss"]


def _softplus_neg_abs(F, x):
    """log(1 + exp(-|x|)), the stable tail of the log-sum-exp."""
    return F.Activation(-F.abs(x), act_type="softrelu")


class SigmoidBinaryCrossEntropyLoss(Loss):
    r"""Binary cross entropy on sigmoid probabilities (alias ``SigmoidBCELoss``).

    .. math:: L = -\sum_i pos\_weight \cdot label_i \log p_i + (1 - label_i) \log(1 - p_i),
              \quad p = \sigma(pred) \text{ (or } pred \text{ itself with from\_sigmoid)}

    averaged over every axis but ``batch_axis``. From logits it uses the stable form
    ``max(x, 0) - x z + log(1 + exp(-|x|))``; from probabilities it adds 1e-12 inside the logs.

    Parameters
    ----------
    from_sigmoid : bool, default False
        Whether ``pred`` already holds probabilities.
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred`` of any shape; ``label`` in [0, 1] with as many elements; optional
    ``sample_weight`` broadcastable to pred's shape; optional ``pos_weight`` broadcastable
    to it (one weight per class, e.g. (1, 10) for pred (64, 10)). Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> round(loss.SigmoidBCELoss()(nd.array([[0.]]), nd.array([[1.]])).asscalar(), 4)
    0.6931
    """

    def __init__(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    def hybrid_forward(self, F, pred, label, sample_weight=None, pos_weight=None):
        label = _reshape_like(F, label, pred)
        if not self._from_sigmoid:
            if pos_weight is None:
                loss = F.relu(pred) - pred * label + _softplus_neg_abs(F, pred)
            else:
                # x - x z + (1 + (pos_weight - 1) z) * (log(1 + exp(-|x|)) + max(-x, 0))
                log_weight = 1 + F.broadcast_mul(pos_weight - 1, label)
                loss = pred - pred * label + log_weight * (_softplus_neg_abs(F, pred) + F.relu(-pred))
        else:
            eps = 1e-12
            positive = F.log(pred + eps) * label
            if pos_weight is not None:
                positive = F.broadcast_mul(positive, pos_weight)
            loss = -(positive + F.log(1. - pred + eps) * (1. - label))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class SoftmaxCrossEntropyLoss(Loss):
    r"""Softmax cross entropy (alias ``SoftmaxCELoss``).

    With ``sparse_label`` (default) ``label`` holds class indices and
    :math:`L = -\log \mathrm{softmax}(pred)_{label}`; otherwise ``label`` holds a
    distribution shaped like ``pred`` and :math:`L = -\sum_j label_j \log \mathrm{softmax}(pred)_j`.
    The result is averaged over every axis but ``batch_axis``.

    Parameters
    ----------
    axis : int, default -1
        The class axis.
    sparse_label : bool, default True
        Whether ``label`` holds class indices (pred's shape without ``axis``).
    from_logits : bool, default False
        Whether ``pred`` already holds log probabilities (skips the log_softmax).
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred``; ``label`` (indices: pred's shape without ``axis``, e.g. (1, 2, 4) for
    pred (1, 2, 3, 4) and axis=2; or a distribution: pred's shape); optional
    ``sample_weight`` broadcastable to the label's shape with ``axis`` kept as 1.
    Output: (batch_size,). Out-of-range indices are clipped (as MXNet's ``pick``).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> round(loss.SoftmaxCELoss()(nd.array([[0., 0., 0., 0.]]), nd.array([2])).asscalar(), 4)
    1.3863
    """

    def __init__(self, axis=-1, sparse_label=True, from_logits=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._axis = axis
        self._sparse_label = sparse_label
        self._from_logits = from_logits

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        if self._sparse_label:
            loss = -F.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            label = _reshape_like(F, label, pred)
            loss = -F.sum(pred * label, axis=self._axis, keepdims=True)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class KLDivLoss(Loss):
    r"""Kullback-Leibler divergence :math:`L = \sum_i label_i (\log(label_i) - pred_i)`.

    ``pred`` holds log probabilities (``from_logits=True``, default) or unnormalized
    scores that get a ``log_softmax`` along ``axis``. ``1e-12`` is added inside the log.
    The result is summed (not averaged, as MXNet 1.9) over every axis but ``batch_axis``.

    Parameters
    ----------
    from_logits : bool, default True
        Whether ``pred`` already holds log probabilities.
    axis : int, default -1
        The axis of the softmax (only with ``from_logits=False``).
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred``; ``label`` (probabilities, broadcastable to pred); optional
    ``sample_weight``. Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> p = nd.array([[0.5, 0.5]])
    >>> round(loss.KLDivLoss()(nd.log(p), p).asscalar(), 6)
    0.0
    """

    def __init__(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._axis = axis

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        loss = label * (F.log(label + 1e-12) - pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return F.sum(loss, axis=self._batch_axis, exclude=True)


class HingeLoss(Loss):
    r"""SVM hinge loss :math:`L = \max(0, margin - pred \cdot label)`, averaged.

    Parameters
    ----------
    margin : float, default 1
        The margin.
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred``; ``label`` of -1/1 values with as many elements; optional
    ``sample_weight``. Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.HingeLoss()(nd.array([[0.5, 2]]), nd.array([[1, -1]])).asnumpy().tolist()
    [1.75]
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.relu(self._margin - pred * label)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class SquaredHingeLoss(Loss):
    r"""Soft-margin SVM loss :math:`L = \max(0, margin - pred \cdot label)^2`, averaged.

    Parameters
    ----------
    margin : float, default 1
        The margin.
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred``; ``label`` of -1/1 values with as many elements; optional
    ``sample_weight``. Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.SquaredHingeLoss()(nd.array([[0.5, 2]]), nd.array([[1, -1]])).asnumpy().tolist()
    [4.625]
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        loss = F.square(F.relu(self._margin - pred * label))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class LogisticLoss(Loss):
    r"""Logistic loss :math:`L = \log(1 + \exp(-pred \cdot label))` for binary labels, averaged.

    Parameters
    ----------
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.
    label_format : {'signed', 'binary'}, default 'signed'
        Labels are -1/1 (``signed``) or 0/1 (``binary``).

    Inputs: ``pred``; ``label`` with as many elements; optional ``sample_weight``.
    Output: (batch_size,).

    Raises
    ------
    GluonicValueError
        For a ``label_format`` other than 'signed' or 'binary'.

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> round(loss.LogisticLoss()(nd.array([[0.]]), nd.array([[-1.]])).asscalar(), 4)
    0.6931
    """

    def __init__(self, weight=None, batch_axis=0, label_format="signed", **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._label_format = label_format
        if label_format not in ("signed", "binary"):
            raise GluonicValueError(
                f"LogisticLoss: label_format can only be 'signed' or 'binary'. Received: {label_format!r}")

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        if self._label_format == "signed":
            label = (label + 1.0) / 2.0  # -1/1 -> 0/1
        loss = F.relu(pred) - pred * label + _softplus_neg_abs(F, pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)
