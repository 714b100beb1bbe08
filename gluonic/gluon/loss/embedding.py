"""Metric-learning losses: ``TripletLoss``, ``CosineEmbeddingLoss``, ``SDMLLoss``."""
from __future__ import annotations

from ._base import Loss, _apply_weighting, _reshape_like
from .classification import KLDivLoss

__all__ = ["TripletLoss", "CosineEmbeddingLoss", "SDMLLoss"]


class TripletLoss(Loss):
    r"""Triplet loss: :math:`L = \max(\Vert positive - pred \Vert^2 - \Vert negative - pred \Vert^2 + margin, 0)`.

    The squared distances are summed over every axis but ``batch_axis``.

    Parameters
    ----------
    margin : float, default 1
        Margin of separation between the positive and the negative pair.
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``pred``, ``positive``, ``negative`` with equal numbers of elements (reshaped
    like pred). Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> loss.TripletLoss()(nd.array([[0, 0]]), nd.array([[1, 0]]), nd.array([[0, 1]])).asnumpy().tolist()
    [1.0]
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, positive, negative):
        positive = _reshape_like(F, positive, pred)
        negative = _reshape_like(F, negative, pred)
        loss = F.sum(F.square(positive - pred) - F.square(negative - pred), axis=self._batch_axis, exclude=True)
        loss = F.relu(loss + self._margin)
        return _apply_weighting(F, loss, self._weight, None)


class CosineEmbeddingLoss(Loss):
    r"""Cosine embedding loss: pulls pairs labelled 1 together, pushes pairs labelled -1 apart.

    .. math:: L = \begin{cases} 1 - \cos(input1, input2) & label = 1 \\
              \max(0, \cos(input1, input2) - margin) & label = -1 \end{cases}

    with the cosine taken along the last axis (norms floored at 1e-12).

    Parameters
    ----------
    weight : float or None
        Global scalar weight.
    batch_axis : int, default 0
        Kept for the common signature (unused, as in MXNet).
    margin : float, default 0
        Cosine similarity below which dissimilar pairs cost nothing.

    Inputs: ``input1``, ``input2`` (batch_size, dim) with equal numbers of elements;
    ``label`` (batch_size,) of 1/-1; optional ``sample_weight`` broadcastable to
    (batch_size, 1). Output: (batch_size, 1) — not averaged, as MXNet 1.9.

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> x = nd.array([[1, 0], [1, 0]])
    >>> out = loss.CosineEmbeddingLoss()(x, nd.array([[0, 1], [1, 1]]), nd.array([1, -1]))
    >>> out.asnumpy().astype("float64").round(4).tolist()
    [[1.0], [0.7071]]
    """

    def __init__(self, weight=None, batch_axis=0, margin=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, input1, input2, label, sample_weight=None):
        input1 = _reshape_like(F, input1, input2)
        label = F.reshape(label, shape=(-1, 1))
        cos_sim = self._cosine_similarity(F, input1, input2)
        similar = label == 1
        dissimilar = label == -1
        loss = (1 - cos_sim) * similar + F.relu(dissimilar * (cos_sim - self._margin))
        return _apply_weighting(F, loss, self._weight, sample_weight)

    def _cosine_similarity(self, F, x, y, axis=-1):
        """Cosine similarity of x and y along ``axis``, shaped (-1, 1)."""
        x_norm = F.reshape(F.norm(x, axis=axis), shape=(-1, 1))
        y_norm = F.reshape(F.norm(y, axis=axis), shape=(-1, 1))
        x_dot_y = F.reshape(F.sum(x * y, axis=axis), shape=(-1, 1))
        return x_dot_y / F._internal._maximum_scalar(x_norm * y_norm, scalar=1e-12)


class SDMLLoss(Loss):
    r"""Batchwise Smoothed Deep Metric Learning loss (Bonadiman et al., 2019, arXiv:1905.12786).

    ``x1[i]`` and ``x2[i]`` form a positive pair; every other row of the batch serves as a
    negative. The loss is the KL divergence between ``softmax(-distances)`` (squared
    euclidean distances of each x1 row to every x2 row) and smoothed one-hot labels:
    ``1 - smoothing_parameter`` on the diagonal, ``smoothing_parameter / (batch_size - 1)``
    elsewhere. Unlike MXNet's, this block is symbol-safe (no ``.shape`` reads).

    Parameters
    ----------
    smoothing_parameter : float, default 0.3
        Probability mass spread over the negatives; below 1.
    weight : float or None, default 1.
        Global scalar weight (note: MXNet stores it but does not apply it; neither does gluonic).
    batch_axis : int, default 0
        The axis that indexes samples.

    Inputs: ``x1``, ``x2`` of shape (batch_size, dim), batch_size >= 2.
    Output: (batch_size,).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> x = nd.array([[0, 0], [1, 0]])
    >>> loss.SDMLLoss()(x, x).asnumpy().astype("float64").round(5).tolist()
    [0.0024, 0.0024]
    """

    def __init__(self, smoothing_parameter=0.3, weight=1., batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self.kl_loss = KLDivLoss(from_logits=True)
        self.smoothing_parameter = smoothing_parameter

    def _compute_distances(self, F, x1, x2):
        """Squared euclidean distance of every x1 row to every x2 row: (batch_size, batch_size)."""
        diffs = F.broadcast_sub(F.expand_dims(x1, axis=1), F.expand_dims(x2, axis=0))
        return F.sum(F.square(diffs), axis=2)

    def _compute_labels(self, F, distances):
        """Smoothed identity matrix shaped like ``distances``."""
        gold = F.diag(F.ones_like(F.sum(distances, axis=1)))
        negatives = F.sum(F.ones_like(distances), axis=1, keepdims=True) - 1
        return gold * (1 - self.smoothing_parameter) + F.broadcast_div(
            (1 - gold) * self.smoothing_parameter, negatives)

    def hybrid_forward(self, F, x1, x2):
        distances = self._compute_distances(F, x1, x2)
        labels = F.stop_gradient(self._compute_labels(F, distances))
        log_probabilities = F.log_softmax(-distances, axis=1)
        return self.kl_loss(log_probabilities, labels)
