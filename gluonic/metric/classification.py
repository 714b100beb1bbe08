"""Classification metrics: Accuracy, TopKAccuracy, F1, MCC, PCC."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy
import torch

from ..base import GluonicValueError
from ..ndarray.ndarray import NDArray
from .base import EvalMetric, MetricError, _numpy, _py, alias, check_label_shapes, register

__all__ = ["Accuracy", "TopKAccuracy", "F1", "MCC", "PCC"]


def _argmax(x, axis: int) -> numpy.ndarray:
    """Argmax on the array's own device (first maximal index), returned on the host."""
    if isinstance(x, (NDArray, torch.Tensor)):
        t = x.as_torch() if isinstance(x, NDArray) else x
        return torch.argmax(t.detach(), dim=axis).cpu().numpy()
    return numpy.argmax(numpy.asarray(x), axis=axis)


@register
@alias("acc")
class Accuracy(EvalMetric):
    """Fraction of correct predictions.

    Predictions are class indices (same shape as the labels; cast to int32) or scores
    over classes along ``axis`` (argmax taken). Labels and predictions are flattened, so
    sequence outputs ``(batch, classes, time)`` with labels ``(batch, time)`` work.

    Parameters
    ----------
    axis : int, default 1
        The class axis of score predictions.
    name, output_names, label_names : as :class:`EvalMetric`

    >>> acc = Accuracy()
    >>> acc.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> acc.get()
    ('accuracy', 0.6666666666666666)
    """

    def __init__(self, axis=1, name="accuracy", output_names=None, label_names=None):
        super().__init__(
            name, axis=axis, output_names=output_names, label_names=label_names, has_global_stats=True
        )
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            if tuple(pred.shape) != tuple(label.shape):
                pred = _argmax(pred, self.axis)
            pred = _numpy(pred).astype("int32").ravel()
            label = _numpy(label).astype("int32").ravel()
            check_label_shapes(label, pred)
            self._add(int((pred == label).sum()), len(pred))


@register
@alias("top_k_accuracy", "top_k_acc")
class TopKAccuracy(EvalMetric):
    """Fraction of samples whose label is among the ``top_k`` highest-scored classes.

    Predictions: ``(batch, classes)`` scores; labels: ``(batch,)``. The name gets the
    suffix ``_<top_k>``.

    Parameters
    ----------
    top_k : int
        Must be > 1 (use :class:`Accuracy` for 1).
    name, output_names, label_names : as :class:`EvalMetric`

    Raises
    ------
    MetricError
        If ``top_k <= 1`` or predictions have more than 2 dimensions.

    Differences from MXNet: ``top_k`` larger than the number of classes counts every
    sample as correct (MXNet raised from NumPy); ``get_config()`` stores the name
    without the suffix so that ``create(**config)`` round-trips it.

    >>> m = TopKAccuracy(top_k=2)
    >>> m.update([mx.nd.array([2, 0])], [mx.nd.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]])])
    >>> m.get()
    ('top_k_accuracy_2', 0.5)
    """

    def __init__(self, top_k=1, name="top_k_accuracy", output_names=None, label_names=None):
        super().__init__(
            name, top_k=top_k, output_names=output_names, label_names=label_names, has_global_stats=True
        )
        if top_k <= 1:
            raise MetricError("Please use Accuracy if top_k is no more than 1")
        self.top_k = top_k
        self._base_name = self.name
        self.name += f"_{top_k}"

    def get_config(self):
        config = super().get_config()
        config["name"] = self._base_name
        return config

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            if len(pred.shape) > 2:
                raise MetricError(f"Predictions should be no more than 2 dims. Received: shape {tuple(pred.shape)}")
            scores = _numpy(pred).astype("float32")
            label = _numpy(label).astype("int32").ravel()
            k = min(self.top_k, scores.shape[-1])
            top = numpy.argpartition(scores, -k, axis=-1)
            check_label_shapes(label, top)
            if top.ndim == 1:  # MXNet's behaviour for 1-d scores: compare indices elementwise
                correct = (top == label).sum()
            else:
                correct = (top[:, -k:] == label[:, None]).sum()
            self._add(int(correct), top.shape[0])


# --------------------------------------------------------------------------- binary counts
@dataclass
class _Counts:
    """Confusion counts of a binary classifier (positive class = 1)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def add(self, tp, fp, fn, tn):
        self.tp += tp
        self.fp += fp
        self.fn += fn
        self.tn += tn

    def fscore(self) -> float:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else 0.0
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)

    def mcc(self) -> float:
        """Matthews correlation; zero factors of the denominator count as 1."""
        if not self.total:
            return 0.0
        tp, fp, fn, tn = float(self.tp), float(self.fp), float(self.fn), float(self.tn)
        denom = 1.0
        for term in (tp + fp, tp + fn, tn + fp, tn + fn):
            if term != 0.0:
                denom *= term
        return (tp * tn - fp * fn) / math.sqrt(denom)


def _binary_counts(label, pred, owner: str):
    pred = _numpy(pred)
    label = _numpy(label).astype("int32").ravel()
    if pred.ndim != 2:
        raise MetricError(
            f"{owner} expects predictions of shape (batch_size, num_classes). Received: shape {pred.shape}"
        )
    check_label_shapes(label, pred)
    if len(numpy.unique(label)) > 2:
        raise GluonicValueError(f"{owner} currently only supports binary classification.")
    pred_pos = numpy.argmax(pred, axis=1) == 1
    label_pos = label == 1
    return (
        int(numpy.sum(pred_pos & label_pos)),
        int(numpy.sum(pred_pos & ~label_pos)),
        int(numpy.sum(~pred_pos & label_pos)),
        int(numpy.sum(~pred_pos & ~label_pos)),
    )


class _BinaryMetric(EvalMetric):
    """F1 / MCC: confusion counts per update call, averaged over calls ('macro') or pooled ('micro')."""

    def __init__(self, name, output_names, label_names, average):
        if average not in ("macro", "micro"):
            raise MetricError(f"average must be 'macro' or 'micro'. Received: {average!r}")
        self.average = average
        self._local, self._global = _Counts(), _Counts()
        super().__init__(
            name, average=average, output_names=output_names, label_names=label_names, has_global_stats=True
        )

    def _score(self, counts: _Counts) -> float:
        raise NotImplementedError

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            counts = _binary_counts(label, pred, type(self).__name__)
            self._local.add(*counts)
            self._global.add(*counts)
        if self.average == "macro":
            self._add(self._score(self._local), 1)
            self._local, self._global = _Counts(), _Counts()
        else:
            self.sum_metric = self._score(self._local) * self._local.total
            self.global_sum_metric = self._score(self._global) * self._global.total
            self.num_inst = self._local.total
            self.global_num_inst = self._global.total

    def reset(self):
        super().reset()
        self._local, self._global = _Counts(), _Counts()

    def reset_local(self):
        super().reset_local()
        self._local = _Counts()


@register
class F1(_BinaryMetric):
    """F1 score of a binary classifier: ``2 * precision * recall / (precision + recall)``.

    Predictions: ``(batch, 2)`` scores (argmax is the predicted class); labels 0/1.

    Parameters
    ----------
    name, output_names, label_names : as :class:`EvalMetric`
    average : {'macro', 'micro'}, default 'macro'
        'macro': mean of the F1 of each ``update`` call; 'micro': one F1 over all samples.

    Raises
    ------
    ValueError
        If the labels have more than two distinct values.

    >>> f1 = F1()
    >>> f1.update([mx.nd.array([0., 1., 1.])], [mx.nd.array([[0.3, 0.7], [0., 1.], [0.4, 0.6]])])
    >>> f1.get()
    ('f1', 0.8)
    """

    def __init__(self, name="f1", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)

    def _score(self, counts):
        return counts.fscore()


@register
class MCC(_BinaryMetric):
    """Matthews correlation coefficient of a binary classifier.

    ``(TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``, zero factors of the
    denominator replaced by 1. Inputs and ``average`` as :class:`F1`.

    >>> mcc = MCC()
    >>> mcc.update([mx.nd.array([0, 1, 1, 0])], [mx.nd.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]])])
    >>> round(mcc.get()[1], 6)
    0.57735
    """

    def __init__(self, name="mcc", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)

    def _score(self, counts):
        return counts.mcc()


@register
class PCC(EvalMetric):
    """Multiclass Matthews correlation (Pearson correlation of the confusion matrix).

    Predictions: class indices (same shape as labels) or ``(batch, classes)`` scores.
    The confusion matrix grows with the largest class seen. NaN when all labels or all
    predictions are one class.

    >>> pcc = PCC()
    >>> pcc.update([mx.nd.array([0, 1, 1, 0])], [mx.nd.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]])])
    >>> round(pcc.get()[1], 6)
    0.57735
    """

    def __init__(self, name="pcc", output_names=None, label_names=None, has_global_stats=True):
        self.k = 2
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=has_global_stats)

    def _grow(self, inc):
        pad = ((0, inc), (0, inc))
        self.lcm = numpy.pad(self.lcm, pad, "constant")
        self.gcm = numpy.pad(self.gcm, pad, "constant")
        self.k += inc

    @staticmethod
    def _calc_mcc(cmat):
        n = cmat.sum()
        x, y = cmat.sum(axis=1), cmat.sum(axis=0)
        cov_xx = numpy.sum(x * (n - x))
        cov_yy = numpy.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float("nan")
        cov_xy = numpy.sum(cmat.diagonal() * n - x * y)
        return _py(cov_xy / (cov_xx * cov_yy) ** 0.5)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label = _numpy(label).astype("int32")
            pred = _numpy(pred)
            pred = pred.argmax(axis=1) if pred.shape != label.shape else pred.astype("int32")
            label, pred = label.ravel(), pred.ravel()
            n = int(max(pred.max(), label.max()))
            if n >= self.k:
                self._grow(n + 1 - self.k)
            batch = numpy.zeros((self.k, self.k))
            numpy.add.at(batch, (pred, label), 1)
            self.lcm += batch
            self.gcm += batch
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        return self._calc_mcc(self.lcm) * self.num_inst

    @property
    def global_sum_metric(self):
        return self._calc_mcc(self.gcm) * self.global_num_inst

    def reset(self):
        self.global_num_inst = 0
        self.gcm = numpy.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        self.num_inst = 0
        self.lcm = numpy.zeros((self.k, self.k))
