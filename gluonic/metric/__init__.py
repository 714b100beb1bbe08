"""``mx.metric``: MXNet 1.9's online evaluation metrics.

Each metric accumulates over batches with ``update(labels, preds)`` (arrays or lists of
arrays: NDArrays, NumPy arrays or torch tensors) and reports ``get() -> (name, value)``.
``create`` builds metrics from names (``'acc'``, ``'ce'``, ``'top_k_accuracy'``, ...),
lists, config dicts or functions.

>>> acc = mx.metric.create('acc')
>>> acc.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
>>> acc.get()
('accuracy', 0.6666666666666666)
"""
from .base import (
    Caffe,
    CompositeEvalMetric,
    CustomMetric,
    EvalMetric,
    Loss,
    MetricError,
    Torch,
    alias,
    check_label_shapes,
    create,
    np,
    register,
)
from .classification import F1, MCC, PCC, Accuracy, TopKAccuracy
from .probability import CrossEntropy, NegativeLogLikelihood, Perplexity
from .regression import MAE, MSE, RMSE, PearsonCorrelation

__all__ = [
    "EvalMetric",
    "CompositeEvalMetric",
    "Accuracy",
    "TopKAccuracy",
    "F1",
    "MCC",
    "PCC",
    "Perplexity",
    "MAE",
    "MSE",
    "RMSE",
    "CrossEntropy",
    "NegativeLogLikelihood",
    "PearsonCorrelation",
    "Loss",
    "Torch",
    "Caffe",
    "CustomMetric",
    "MetricError",
    "check_label_shapes",
    "create",
    "register",
    "alias",
    "np",
]
