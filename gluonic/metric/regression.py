"""Regression metrics: MAE, MSE, RMSE, PearsonCorrelation."""
from __future__ import annotations

import numpy

from ..base import GluonicValueError
from .base import EvalMetric, MetricError, _numpy, _py, alias, check_label_shapes, register

__all__ = ["MAE", "MSE", "RMSE", "PearsonCorrelation"]


def _differences(labels, preds):
    """Yield ``label - pred`` per array pair, 1-d arrays taken as columns ``(n, 1)`` (NumPy broadcasting)."""
    labels, preds = check_label_shapes(labels, preds, True)
    for label, pred in zip(labels, preds):
        label, pred = _numpy(label), _numpy(pred)
        if label.ndim == 1:
            label = label.reshape(label.shape[0], 1)
        if pred.ndim == 1:
            pred = pred.reshape(pred.shape[0], 1)
        try:
            yield label - pred
        except ValueError:
            raise GluonicValueError(
                f"Shape of labels {label.shape} does not match shape of predictions {pred.shape}"
            ) from None


class _MeanPerBatch(EvalMetric):
    """A per-array score averaged over arrays (each ``update`` array counts once, whatever its size)."""

    def __init__(self, name, output_names, label_names):
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)

    @staticmethod
    def _score(diff: numpy.ndarray):
        raise NotImplementedError

    def update(self, labels, preds):
        for diff in _differences(labels, preds):
            self._add(float(self._score(diff)), 1)


@register
class MAE(_MeanPerBatch):
    """Mean absolute error ``mean(|label - pred|)``, averaged over the arrays given to ``update``.

    >>> mae = MAE()
    >>> mae.update([mx.nd.array([2.5, 0.0, 2, 8])], [mx.nd.array([3, -0.5, 2, 7])])
    >>> mae.get()
    ('mae', 0.5)
    """

    def __init__(self, name="mae", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _score(diff):
        return numpy.abs(diff).mean()


@register
class MSE(_MeanPerBatch):
    """Mean squared error ``mean((label - pred)**2)``, averaged over the arrays given to ``update``.

    >>> mse = MSE()
    >>> mse.update([mx.nd.array([2.5, 0.0, 2, 8])], [mx.nd.array([3, -0.5, 2, 7])])
    >>> mse.get()
    ('mse', 0.375)
    """

    def __init__(self, name="mse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _score(diff):
        return (diff**2.0).mean()


@register
class RMSE(_MeanPerBatch):
    """Root mean squared error, computed per array then averaged over the arrays given to ``update``.

    >>> rmse = RMSE()
    >>> rmse.update([mx.nd.array([2.5, 0.0, 2, 8])], [mx.nd.array([3, -0.5, 2, 7])])
    >>> round(rmse.get()[1], 6)
    0.612372
    """

    def __init__(self, name="rmse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _score(diff):
        return numpy.sqrt((diff**2.0).mean())


class _Moments:
    """Running count, means, sums of squared deviations and co-moment (Welford, batched)."""

    def __init__(self):
        self.count = 0
        self.mean_l = self.mean_p = 0.0
        self.sse_l = self.sse_p = 0.0
        self.cov = 0.0

    @staticmethod
    def _merge(values, count, mean, sse):
        count += len(values)
        delta = values - mean
        mean += numpy.sum(delta / count)
        sse += numpy.sum(delta * (values - mean))
        return count, mean, sse

    def update(self, label, pred):
        _, self.mean_l, self.sse_l = self._merge(label, self.count, self.mean_l, self.sse_l)
        self.cov += numpy.sum((label - self.mean_l) * (pred - self.mean_p))  # new label mean, old pred mean
        self.count, self.mean_p, self.sse_p = self._merge(pred, self.count, self.mean_p, self.sse_p)

    def corr(self) -> float:
        n = self.count
        with numpy.errstate(divide="ignore", invalid="ignore"):
            return _py(self.cov / ((n - 1) * numpy.sqrt(self.sse_p / (n - 1)) * numpy.sqrt(self.sse_l / (n - 1))))


@register
@alias("pearsonr")
class PearsonCorrelation(EvalMetric):
    """Pearson correlation between labels and predictions (flattened; shapes must match).

    Parameters
    ----------
    name, output_names, label_names : as :class:`EvalMetric`
    average : {'macro', 'micro'}, default 'macro'
        'macro': mean of the correlation of each array; 'micro': one correlation over
        all values seen (streamed, numerically stable).

    Differences from MXNet: with 'micro', ``get_global()`` returns the correlation
    over all values since ``reset`` and ``reset_local`` restarts the local one (MXNet
    returned 0.0 and ignored ``reset_local``); ``get_config()`` records ``average``.

    >>> pr = PearsonCorrelation()
    >>> pr.update([mx.nd.array([[1, 0], [0, 1], [0, 1]])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> round(pr.get()[1], 6)
    0.421637
    """

    def __init__(self, name="pearsonr", output_names=None, label_names=None, average="macro"):
        if average not in ("macro", "micro"):
            raise MetricError(f"average must be 'macro' or 'micro'. Received: {average!r}")
        self.average = average
        super().__init__(
            name, average=average, output_names=output_names, label_names=label_names, has_global_stats=True
        )

    def reset(self):
        super().reset()
        self._local, self._global = _Moments(), _Moments()

    def reset_local(self):
        super().reset_local()
        self._local = _Moments()

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            label = _numpy(label).ravel().astype(numpy.float64)
            pred = _numpy(pred).ravel().astype(numpy.float64)
            if self.average == "macro":
                self._add(numpy.corrcoef(pred, label)[0, 1], 1)
            else:
                self._local.update(label, pred)
                self._global.update(label, pred)
                self._add(0.0, 1)

    def get(self):
        if self.average == "macro" or self.num_inst == 0:
            return super().get()
        return (self.name, self._local.corr())

    def get_global(self):
        if self.average == "macro" or self.global_num_inst == 0:
            return super().get_global()
        return (self.name, self._global.corr())
