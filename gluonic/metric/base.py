"""The metric protocol (:class:`EvalMetric`), the metric registry, and the generic metrics.

Every metric keeps two running sums: a *local* one (``sum_metric`` / ``num_inst``), which
``reset_local`` clears — typically once per logging interval — and a *global* one
(``global_sum_metric`` / ``global_num_inst``), which only ``reset`` clears — typically
once per epoch. ``get()`` reports the local value, ``get_global()`` the global one.
"""
from __future__ import annotations

import json
import warnings
from collections import OrderedDict

import numpy
import torch

from ..base import GluonicValueError, numeric_types, string_types
from ..ndarray.ndarray import NDArray

__all__ = [
    "MetricError",
    "EvalMetric",
    "CompositeEvalMetric",
    "CustomMetric",
    "Loss",
    "Torch",
    "Caffe",
    "check_label_shapes",
    "create",
    "register",
    "alias",
    "np",
]


class MetricError(GluonicValueError, AssertionError):
    """Invalid metric input or argument.

    Raised where MXNet used a bare ``assert``; catching ``ValueError`` or
    ``AssertionError`` both work.
    """


# --------------------------------------------------------------------------- arrays
_ARRAY_TYPES = (NDArray, numpy.ndarray, torch.Tensor)


def _is_array(x) -> bool:
    return isinstance(x, _ARRAY_TYPES)


def _as_list(x):
    """A single array becomes a one-element list; lists and tuples pass through."""
    return [x] if _is_array(x) else x


def _numpy(x) -> numpy.ndarray:
    """Host copy of an NDArray / tensor, or the NumPy array itself."""
    if isinstance(x, NDArray):
        return x.asnumpy()
    if isinstance(x, torch.Tensor):
        t = x.detach()
        return (t.float() if t.dtype == torch.bfloat16 else t).cpu().numpy()
    return numpy.asarray(x)


def _torch(x) -> torch.Tensor:
    """The tensor behind an NDArray, or a tensor viewing a NumPy array."""
    if isinstance(x, NDArray):
        return x.as_torch().detach()
    if isinstance(x, torch.Tensor):
        return x.detach()
    return torch.from_numpy(numpy.ascontiguousarray(x))


def _shape(x) -> tuple:
    return tuple(x.shape) if hasattr(x, "shape") else numpy.shape(x)


def _py(x):
    """NumPy scalars as Python numbers, so ``get()`` prints like MXNet's under NumPy 1.x."""
    return x.item() if isinstance(x, numpy.generic) else x


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Check that labels and predictions agree in length (or in shape).

    Parameters
    ----------
    labels, preds : NDArray, NumPy array, or list of them
    wrap : bool
        If True, a single array is returned wrapped in a list.
    shape : bool
        If True compare ``.shape``, otherwise ``len()``.

    Raises
    ------
    ValueError
        "Shape of labels A does not match shape of predictions B" (MXNet's text).

    Unlike MXNet, with ``wrap=True`` a single array paired with a list is wrapped before
    the lengths are compared (MXNet compared the array's first dimension to the list's
    length and failed).

    >>> check_label_shapes([1, 2], [3, 4, 5])
    Traceback (most recent call last):
    ...
    gluonic.base.GluonicValueError: Shape of labels 2 does not match shape of predictions 3
    """
    if shape:
        label_shape, pred_shape = _shape(labels), _shape(preds)
    else:
        if wrap and _is_array(labels) != _is_array(preds):
            labels, preds = _as_list(labels), _as_list(preds)
        label_shape, pred_shape = len(labels), len(preds)
    if label_shape != pred_shape:
        raise GluonicValueError(f"Shape of labels {label_shape} does not match shape of predictions {pred_shape}")
    if wrap:
        labels, preds = _as_list(labels), _as_list(preds)
    return labels, preds


# --------------------------------------------------------------------------- base class
class EvalMetric:
    """Base class of all evaluation metrics.

    Subclasses implement ``update(labels, preds)``; most add to the running sums with
    ``self._add(value, count)``. ``get()`` returns ``(name, sum_metric / num_inst)``.

    Parameters
    ----------
    name : str
        Name shown by ``get()``.
    output_names, label_names : list of str or None
        Which entries of the dicts given to ``update_dict`` to use (default: all).
    **kwargs
        Constructor arguments recorded for ``get_config``; ``has_global_stats=True``
        means the subclass maintains the global sums (otherwise ``get_global`` = ``get``).
    """

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop("has_global_stats", False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        """The constructor arguments, such that ``metric.create(**config)`` rebuilds the metric."""
        config = self._kwargs.copy()
        config.update(
            {
                "metric": self.__class__.__name__,
                "name": self.name,
                "output_names": self.output_names,
                "label_names": self.label_names,
            }
        )
        return config

    def update_dict(self, label, pred):
        """Update with dicts name → array, picking ``label_names`` / ``output_names``."""
        pred = [pred[n] for n in self.output_names] if self.output_names is not None else list(pred.values())
        label = [label[n] for n in self.label_names] if self.label_names is not None else list(label.values())
        self.update(label, pred)

    def update(self, labels, preds):
        """Add a batch: ``labels`` and ``preds`` are arrays or lists of arrays."""
        raise NotImplementedError()

    def reset(self):
        """Clear the local and the global running sums."""
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        """Clear only the local running sums."""
        self.num_inst = 0
        self.sum_metric = 0.0

    def _add(self, value, count):
        value, count = _py(value), _py(count)
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def get(self):
        """``(name, value)`` of the local statistics; the value is NaN before any update."""
        if self.num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.sum_metric / self.num_inst)

    def get_global(self):
        """``(name, value)`` of the global statistics (since the last ``reset``)."""
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float("nan"))
        return (self.name, self.global_sum_metric / self.global_num_inst)

    def get_name_value(self):
        """``get()`` as a list of ``(name, value)`` pairs."""
        return _zip_pairs(*self.get())

    def get_global_name_value(self):
        """``get_global()`` as a list of ``(name, value)`` pairs."""
        if not self._has_global_stats:
            return self.get_name_value()
        return _zip_pairs(*self.get_global())


def _zip_pairs(name, value):
    names = name if isinstance(name, list) else [name]
    values = value if isinstance(value, list) else [value]
    return list(zip(names, values))


# --------------------------------------------------------------------------- registry
_REGISTRY: dict[str, type] = {}


def register(klass, name=None):
    """Register an :class:`EvalMetric` subclass under ``name`` (default: its class name), lowercased."""
    if not (isinstance(klass, type) and issubclass(klass, EvalMetric)):
        raise MetricError(f"Can only register subclass of EvalMetric. Received: {klass!r}")
    name = (klass.__name__ if name is None else name).lower()
    old = _REGISTRY.get(name)
    if old is not None and old is not klass:
        warnings.warn(
            f"New metric {klass.__module__}.{klass.__name__} registered with name {name} is overriding "
            f"existing metric {old.__module__}.{old.__name__}",
            UserWarning,
            stacklevel=2,
        )
    _REGISTRY[name] = klass
    return klass


def alias(*aliases):
    """Class decorator registering the class under extra names: ``@alias('acc')``."""

    def decorate(klass):
        for name in aliases:
            register(klass, name)
        return klass

    return decorate


def _create(*args, **kwargs):
    """Build a registered metric from a name, a config dict, a JSON string or an instance."""
    if args:
        name, args = args[0], args[1:]
    else:
        name = kwargs.pop("metric")
    if isinstance(name, EvalMetric):
        if args or kwargs:
            raise MetricError("metric is already an instance. Additional arguments are invalid")
        return name
    if isinstance(name, dict):
        return _create(**name)
    if not isinstance(name, string_types):
        raise MetricError(f"metric must be of string type. Received: {type(name).__name__}")
    if name.startswith("["):
        if args or kwargs:
            raise MetricError("A JSON metric spec takes no further arguments")
        name, kwargs = json.loads(name)
        return _create(name, **kwargs)
    if name.startswith("{"):
        if args or kwargs:
            raise MetricError("A JSON metric spec takes no further arguments")
        return _create(**json.loads(name))
    klass = _REGISTRY.get(name.lower())
    if klass is None:
        raise MetricError(f"{name.lower()} is not registered. Please register with metric.register first")
    return klass(*args, **kwargs)


def create(metric, *args, **kwargs):
    """Create a metric from a name, an instance, a list of them, or a function.

    Parameters
    ----------
    metric : str, EvalMetric, list, dict or callable
        A registered name (``'acc'``, ``'ce'``, ``'top_k_accuracy'``, ...), an instance
        (returned as is), a config dict from ``get_config``, a list (→
        :class:`CompositeEvalMetric` of each element created with the same arguments), or
        ``feval(label, pred)`` (→ :class:`CustomMetric`).
    *args, **kwargs
        Constructor arguments.

    >>> create('top_k_accuracy', top_k=5).name
    'top_k_accuracy_5'
    >>> create(['acc', 'rmse']).get()
    (['accuracy', 'rmse'], [nan, nan])
    """
    if callable(metric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    return _create(metric, *args, **kwargs)


# --------------------------------------------------------------------------- generic metrics
@register
@alias("composite")
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; ``get()`` returns ``([names], [values])``.

    Parameters
    ----------
    metrics : list of EvalMetric or names, optional
    name, output_names, label_names : as :class:`EvalMetric`

    >>> m = CompositeEvalMetric(['acc', 'f1'])
    >>> m.update([mx.nd.array([0, 1, 1])], [mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])])
    >>> m.get()
    (['accuracy', 'f1'], [0.6666666666666666, 0.8])
    """

    def __init__(self, metrics=None, name="composite", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)
        self.metrics = [create(m) for m in (metrics or [])]

    def add(self, metric):
        """Append a child metric (an instance, or anything :func:`create` accepts)."""
        self.metrics.append(create(metric))

    def get_metric(self, index):
        """The child metric at ``index``.

        Raises ``ValueError`` when out of range (MXNet returned the error instead of raising it).
        """
        try:
            return self.metrics[index]
        except IndexError:
            raise GluonicValueError(
                f"Metric index {index} is out of range 0 and {len(self.metrics)}"
            ) from None

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict((k, v) for k, v in labels.items() if k in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict((k, v) for k, v in preds.items() if k in self.output_names)
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        for metric in getattr(self, "metrics", ()):  # called by __init__ before children exist
            metric.reset()

    def reset_local(self):
        for metric in self.metrics:
            metric.reset_local()

    def _collect(self, getter):
        names, values = [], []
        for metric in self.metrics:
            name, value = getter(metric)
            names.extend([name] if isinstance(name, string_types) else name)
            values.extend([value] if isinstance(value, numeric_types) else value)
        return (names, values)

    def get(self):
        return self._collect(lambda m: m.get())

    def get_global(self):
        return self._collect(lambda m: m.get_global())

    def get_config(self):
        config = super().get_config()
        config["metrics"] = [m.get_config() for m in self.metrics]
        return config


@register
class CustomMetric(EvalMetric):
    """A metric from a function ``feval(label, pred)`` over NumPy arrays, called per array pair.

    ``feval`` returns a number (averaged over calls) or a tuple ``(sum_metric, num_inst)``.

    Parameters
    ----------
    feval : callable(label, pred)
    name : str, optional
        Default: ``feval.__name__``, written ``custom(<lambda>)`` for lambdas.
    allow_extra_outputs : bool
        If True, ``preds`` may have more entries than ``labels`` (e.g. RNN states); the
        extra ones are ignored.

    >>> m = CustomMetric(lambda label, pred: (label + pred).mean())
    >>> m.update([mx.nd.array([2.5, 0.0, 2, 8])], [mx.nd.array([3, -0.5, 2, 7])])
    >>> m.get()
    ('custom(<lambda>)', 6.0)
    """

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None, label_names=None):
        if name is None:
            name = getattr(feval, "__name__", type(feval).__name__)
            if "<" in name:
                name = f"custom({name})"
        super().__init__(
            name,
            feval=feval,
            allow_extra_outputs=allow_extra_outputs,
            output_names=output_names,
            label_names=label_names,
            has_global_stats=True,
        )
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if self._allow_extra_outputs:
            labels, preds = _as_list(labels), _as_list(preds)
        else:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            result = self._feval(_numpy(label), _numpy(pred))
            if isinstance(result, tuple):
                self._add(*result)
            else:
                self._add(result, 1)

    def get_config(self):
        raise NotImplementedError("CustomMetric cannot be serialized")


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """A :class:`CustomMetric` from a function of NumPy arrays ``numpy_feval(label, pred)``.

    >>> def mean_abs(label, pred):
    ...     return abs(label - pred).mean()
    >>> m = mx.metric.np(mean_abs)
    >>> m.update([mx.nd.array([1, 2])], [mx.nd.array([1, 4])])
    >>> m.get()
    ('mean_abs', 1.0)
    """

    def feval(label, pred):
        return numpy_feval(label, pred)

    feval.__name__ = getattr(numpy_feval, "__name__", type(numpy_feval).__name__)
    return CustomMetric(feval, name, allow_extra_outputs)


@register
class Loss(EvalMetric):
    """Mean of the given loss values: ``update(_, preds)`` adds ``sum(pred)`` and ``pred.size``.

    Labels are ignored.

    >>> m = Loss()
    >>> m.update(None, [mx.nd.array([1, 2]), mx.nd.array([6])])
    >>> m.get()
    ('loss', 3.0)
    """

    def __init__(self, name="loss", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names, has_global_stats=True)

    def update(self, labels, preds):
        for pred in _as_list(preds):
            t = _torch(pred)
            self._add(t.sum().item(), t.numel())


@register
class Torch(Loss):
    """:class:`Loss` named ``'torch'`` (MXNet's dummy metric for torch criterions)."""

    def __init__(self, name="torch", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)


@register
class Caffe(Loss):
    """:class:`Loss` named ``'caffe'`` (MXNet's dummy metric for caffe criterions)."""

    def __init__(self, name="caffe", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names)
