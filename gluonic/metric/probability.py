"""Metrics over predicted class probabilities: CrossEntropy, NegativeLogLikelihood, Perplexity."""
from __future__ import annotations

import math

import numpy
import torch

from .base import EvalMetric, MetricError, _numpy, _torch, alias, check_label_shapes, register

__all__ = ["CrossEntropy", "NegativeLogLikelihood", "Perplexity"]


class _PickedLogLoss(EvalMetric):
    """Mean of ``-log(pred[i, label[i]] + eps)`` over samples (computed in the predictions' dtype)."""

    def __init__(self, eps, name, output_names, label_names):
        super().__init__(
            name, eps=eps, output_names=output_names, label_names=label_names, has_global_stats=True
        )
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label = _numpy(label).ravel()
            pred = _numpy(pred)
            n = label.shape[0]
            if pred.ndim != 2 or pred.shape[0] != n:
                raise MetricError(
                    f"{type(self).__name__} expects predictions of shape (batch_size, num_classes) and "
                    f"batch_size labels. Received: labels {label.shape}, predictions {pred.shape}"
                )
            prob = pred[numpy.arange(n, dtype=numpy.int64), label.astype(numpy.int64)]
            self._add(float((-numpy.log(prob + self.eps)).sum()), n)


@register
@alias("ce")
class CrossEntropy(_PickedLogLoss):
    """Cross entropy: mean over samples of ``-log(p[label] + eps)``.

    Predictions: ``(batch, classes)`` probabilities; labels: ``(batch,)`` class indices.

    Parameters
    ----------
    eps : float, default 1e-12
        Added to the probability before the log.
    name, output_names, label_names : as :class:`EvalMetric`

    >>> ce = CrossEntropy()
    >>> ce.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> round(ce.get()[1], 6)
    0.571599
    """

    def __init__(self, eps=1e-12, name="cross-entropy", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("nll_loss")
class NegativeLogLikelihood(_PickedLogLoss):
    """Negative log-likelihood: mean over samples of ``-log(p[label] + eps)``; as :class:`CrossEntropy`.

    >>> nll = NegativeLogLikelihood()
    >>> nll.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> nll.get()[0]
    'nll-loss'
    """

    def __init__(self, eps=1e-12, name="nll-loss", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
class Perplexity(EvalMetric):
    """Perplexity: ``exp(mean over tokens of -log p[label])``, ``p`` clipped below at 1e-10.

    Predictions: probabilities with the classes on ``axis``; labels: the remaining shape
    (or that many elements). Labels outside ``[0, classes)`` are clipped, as MXNet's
    ``pick`` does; tokens equal to ``ignore_label`` are left out.

    Parameters
    ----------
    ignore_label : int or None
        Label value to ignore (MXNet's documentation suggests -1); None keeps every token.
    axis : int, default -1
        The class axis of the predictions.
    name, output_names, label_names : as :class:`EvalMetric`

    Differences from MXNet: predictions with more than two dimensions work (MXNet
    failed in ``pick``); the size check uses ``axis`` (MXNet used the last axis);
    ``get_config()`` also records ``axis``.

    >>> perp = Perplexity(ignore_label=None)
    >>> perp.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> round(perp.get()[1], 6)
    1.771098
    """

    def __init__(self, ignore_label, axis=-1, name="perplexity", output_names=None, label_names=None):
        super().__init__(
            name,
            ignore_label=ignore_label,
            axis=axis,
            output_names=output_names,
            label_names=label_names,
            has_global_stats=True,
        )
        self.ignore_label = ignore_label
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        loss = 0.0
        num = 0
        with torch.no_grad():
            for label, pred in zip(labels, preds):
                pred = _torch(pred)
                label = _torch(label).to(pred.device)
                if not pred.is_floating_point():
                    pred = pred.float()
                axis = self.axis % pred.dim()
                classes = pred.shape[axis]
                if label.numel() * classes != pred.numel():
                    raise MetricError(f"shape mismatch: {tuple(label.shape)} vs. {tuple(pred.shape)}")
                label = label.reshape(pred.shape[:axis] + pred.shape[axis + 1:])
                index = label.to(torch.int64).clamp(0, classes - 1)
                prob = torch.gather(pred, axis, index.unsqueeze(axis)).squeeze(axis)
                if self.ignore_label is not None:
                    ignore = (label == self.ignore_label).to(prob.dtype)
                    num -= ignore.sum().item()
                    prob = prob * (1 - ignore) + ignore
                loss -= torch.log(torch.clamp_min(prob, 1e-10)).sum().item()
                num += prob.numel()
        self._add(loss, num)

    def get(self):
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))
