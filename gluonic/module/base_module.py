"""``BaseModule``: MXNet 1.9's module protocol and the loops built on it (``fit``, ``score``, ``predict``).

A module moves through four states, each needed by the next: created (knows its
``data_names`` and ``output_names``), bound (``bind``: shapes known, memory allocated),
parameters initialized (``init_params`` / ``set_params``), optimizer installed
(``init_optimizer``). Subclasses implement the intermediate API (``bind``, ``forward``,
``backward``, ``update``, ``get_outputs``, ``update_metric``, parameters); the high-level
loops here only use that API, as in MXNet.

>>> import gluonic as mx
>>> from gluonic.module import Module
>>> net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3, name='fc'), name='softmax')
>>> mod = Module(net)
>>> mod.data_names, mod.output_names
(['data'], ['softmax_output'])
"""
from __future__ import annotations

import logging
import time
import warnings

import numpy as np

from .. import metric
from .. import ndarray as nd
from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..context import cpu
from ..initializer import Uniform
from ..io import DataBatch, DataDesc, DataIter
from ..model import BatchEndParam
from ..ndarray.ndarray import NDArray

__all__ = ["BaseModule", "BatchEndParam", "ModuleStateError"]


class ModuleStateError(MXNetError, AssertionError):
    """A module method called in the wrong state (before ``bind``, ``init_params`` or ``init_optimizer``).

    MXNet raises a bare ``AssertionError`` here; this is one too (and an ``MXNetError``),
    with a message saying which step is missing.
    """


def _as_list(obj) -> list:
    return list(obj) if isinstance(obj, (list, tuple)) else [obj]


def _require(module: BaseModule, method: str, *, binded: bool = True, params: bool = False,
             optimizer: bool = False) -> None:
    """Raise :class:`ModuleStateError` unless the module has reached the states ``method`` needs."""
    missing = []
    if binded and not module.binded:
        missing.append("bind()")
    if params and not module.params_initialized:
        missing.append("init_params()")
    if optimizer and not module.optimizer_initialized:
        missing.append("init_optimizer()")
    if missing:
        raise ModuleStateError(
            f"{type(module).__name__}.{method}: call {' and '.join(missing)} first (fit() does all three). "
            f"Received: binded={module.binded}, params_initialized={module.params_initialized}, "
            f"optimizer_initialized={module.optimizer_initialized}")


def _check_input_names(symbol, names, typename: str, throw: bool) -> None:
    """Check that every name in ``names`` is an argument of ``symbol``; raise or warn otherwise."""
    args = symbol.list_arguments()
    for name in names:
        if name in args:
            continue
        candidates = [a for a in args if not a.endswith(("_weight", "_bias", "_gamma", "_beta"))]
        msg = (f"You created Module with Module(..., {typename}_names={names}) but input with name '{name}' is not "
               f"found in symbol.list_arguments(). Did you mean one of:\n\t" + "\n\t".join(candidates))
        if throw:
            raise GluonicValueError(msg)
        warnings.warn(msg, stacklevel=3)


def _check_names_match(names, shapes, kind: str, throw: bool) -> None:
    actual = [d[0] for d in shapes]
    if sorted(names) != sorted(actual):
        msg = (f"Data provided by {kind}_shapes don't match names specified by {kind}_names "
               f"({shapes} vs. {names})")
        if throw:
            raise GluonicValueError(msg)
        warnings.warn(msg, stacklevel=4)


def _as_desc(x) -> DataDesc:
    if isinstance(x, DataDesc):
        return x
    if not isinstance(x, (list, tuple)) or len(x) < 2:
        raise GluonicTypeError(f"Shapes must be DataDesc objects or (name, shape) pairs. Received: {x!r}")
    return DataDesc(x[0], tuple(x[1]), *x[2:])


def _parse_data_desc(data_names, label_names, data_shapes, label_shapes):
    """``data_shapes``/``label_shapes`` as DataDesc lists, checked against the module's names."""
    data_shapes = [_as_desc(x) for x in data_shapes]
    _check_names_match(data_names, data_shapes, "data", True)
    if label_shapes is not None:
        label_shapes = [_as_desc(x) for x in label_shapes]
        _check_names_match(label_names, label_shapes, "label", False)
    else:
        _check_names_match(label_names, [], "label", False)
    return data_shapes, label_shapes


def _call_all(callbacks, *args) -> None:
    for cb in _as_list(callbacks):
        cb(*args)


class BaseModule:
    """The base class of modules (MXNet's ``mx.module.BaseModule``).

    Parameters
    ----------
    logger : logging.Logger or the logging module, default ``logging``
        Where ``fit`` reports (``Epoch[0] Train-accuracy=0.900000``).

    Attributes
    ----------
    binded, for_training, inputs_need_grad, params_initialized, optimizer_initialized : bool
        The module's state.
    """

    def __init__(self, logger=logging):
        self.logger = logger
        self.binded = False
        self.for_training = False
        self.inputs_need_grad = False
        self.params_initialized = False
        self.optimizer_initialized = False
        self._symbol = None
        self._total_exec_bytes = 0

    # ------------------------------------------------------------------ high-level API
    def forward_backward(self, data_batch) -> None:
        """``forward(data_batch, is_train=True)`` then ``backward()``."""
        self.forward(data_batch, is_train=True)
        self.backward()

    def score(self, eval_data, eval_metric, num_batch=None, batch_end_callback=None, score_end_callback=None,
              reset=True, epoch=0, sparse_row_id_fn=None):
        """Run prediction over ``eval_data`` and evaluate ``eval_metric``; returns ``[(name, value), ...]``.

        Parameters
        ----------
        eval_data : DataIter
        eval_metric : EvalMetric, str, or list of them (``'acc'``, ``['acc', 'ce']``)
        num_batch : int, optional
            Stop after this many batches (default: the whole iterator).
        batch_end_callback, score_end_callback : callable or list, optional
            Called with a :class:`BatchEndParam` after each batch / at the end.
        reset : bool
            Reset ``eval_data`` first.
        epoch : int
            Passed to the callbacks.

        >>> # mod.score(val_iter, ['acc', 'ce'])  ->  [('accuracy', 0.93), ('cross-entropy', 0.21)]
        """
        _require(self, "score", params=True)
        if reset:
            eval_data.reset()
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        eval_metric.reset()
        actual_num_batch = 0
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
            self.forward(eval_batch, is_train=False)
            if isinstance(eval_batch, list):
                self.update_metric(eval_metric, [eb.label for eb in eval_batch], pre_sliced=True)
            else:
                self.update_metric(eval_metric, eval_batch.label)
            if batch_end_callback is not None:
                params = BatchEndParam(epoch=epoch, nbatch=nbatch, eval_metric=eval_metric, locals=locals())
                _call_all(batch_end_callback, params)
            actual_num_batch += 1
        if score_end_callback:
            params = BatchEndParam(epoch=epoch, nbatch=actual_num_batch, eval_metric=eval_metric, locals=locals())
            _call_all(score_end_callback, params)
        return eval_metric.get_name_value()

    def iter_predict(self, eval_data, num_batch=None, reset=True, sparse_row_id_fn=None):
        """Yield ``(outputs, nbatch, batch)`` per batch, the padding removed from the outputs.

        >>> # for outputs, i, batch in mod.iter_predict(val_iter): ...
        """
        _require(self, "iter_predict", params=True)
        if reset:
            eval_data.reset()
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
            self.forward(eval_batch, is_train=False)
            pad = eval_batch.pad or 0
            outputs = [out[0:out.shape[0] - pad] for out in self.get_outputs()]
            yield outputs, nbatch, eval_batch

    def predict(self, eval_data, num_batch=None, merge_batches=True, reset=True, always_output_list=False,
                sparse_row_id_fn=None):
        """Run prediction over ``eval_data`` and collect the outputs (padding removed).

        With ``merge_batches`` (default) the result is one array per output, the batches
        concatenated, and a single output is returned bare unless ``always_output_list``.
        Otherwise it is ``[[out1_batch1, out2_batch1], [out1_batch2, ...], ...]``.
        ``eval_data`` may also be one NDArray or NumPy array (a single batch of the first
        data input); unlike MXNet, that batch runs in prediction mode (``is_train=False``)
        even on a module bound for training.

        >>> # probs = mod.predict(val_iter)    # NDArray (num_examples, num_classes)
        """
        _require(self, "predict", params=True)
        if isinstance(eval_data, (NDArray, np.ndarray)):
            if isinstance(eval_data, np.ndarray):
                eval_data = nd.array(eval_data)
            self.forward(DataBatch([eval_data]), is_train=False)
            return self.get_outputs()[0]
        if not isinstance(eval_data, DataIter):
            raise GluonicValueError("eval_data must be of type NDArray or DataIter. "
                                    f"Received: {type(eval_data).__name__}")
        if reset:
            eval_data.reset()
        output_list = []
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.prepare(eval_batch, sparse_row_id_fn=sparse_row_id_fn)
            self.forward(eval_batch, is_train=False)
            pad = eval_batch.pad or 0
            output_list.append([out[0:out.shape[0] - pad].copy() for out in self.get_outputs()])
        if not output_list or not merge_batches:
            return output_list
        num_outputs = len(output_list[0])
        if any(len(out) != num_outputs for out in output_list):
            raise GluonicValueError("Cannot merge batches, as num of outputs is not the same in mini-batches. "
                                    "Maybe bucketing is used? Pass merge_batches=False. Received: "
                                    f"{sorted({len(out) for out in output_list})} outputs")
        merged = [nd.concatenate([out[i] for out in output_list]) for i in range(num_outputs)]
        if num_outputs == 1 and not always_output_list:
            return merged[0]
        return merged

    def fit(self, train_data, eval_data=None, eval_metric="acc", epoch_end_callback=None, batch_end_callback=None,
            kvstore="local", optimizer="sgd", optimizer_params=(("learning_rate", 0.01),), eval_end_callback=None,
            eval_batch_end_callback=None, initializer=Uniform(0.01), arg_params=None, aux_params=None,  # noqa: B008
            allow_missing=False, force_rebind=False, force_init=False, begin_epoch=0, num_epoch=None,
            validation_metric=None, monitor=None, sparse_row_id_fn=None) -> None:
        """Train the module: bind, initialize, install the optimizer, then run ``num_epoch`` epochs.

        Each epoch resets ``eval_metric``, runs forward/backward/update and the metric on
        every batch (calling ``batch_end_callback`` with a :class:`BatchEndParam`), logs
        ``Epoch[k] Train-<metric>=<value>`` and ``Epoch[k] Time cost=<seconds>``, calls
        ``epoch_end_callback(epoch, symbol, arg_params, aux_params)``, then scores
        ``eval_data`` with ``validation_metric`` (default: ``eval_metric``) and logs
        ``Epoch[k] Validation-<metric>=<value>``.

        Parameters
        ----------
        train_data : DataIter
        eval_data : DataIter, optional
        eval_metric : str or EvalMetric, default 'acc'
        epoch_end_callback, batch_end_callback, eval_end_callback, eval_batch_end_callback : callable or list
        kvstore : str, default 'local'
        optimizer : str or Optimizer, default 'sgd'
        optimizer_params : dict or pairs, default ``(('learning_rate', 0.01),)``
        initializer : Initializer, default ``Uniform(0.01)``
            For parameters not given in ``arg_params``/``aux_params``.
        arg_params, aux_params : dict, optional
            Starting values (e.g. from ``mx.model.load_checkpoint``).
        allow_missing, force_rebind, force_init : bool
            Passed to ``init_params`` / ``bind``.
        begin_epoch, num_epoch : int
            Epochs ``begin_epoch .. num_epoch-1`` run; ``num_epoch`` is required.
        validation_metric : str or EvalMetric, optional
        monitor : Monitor, optional
            Installed on the executors; ``tic()``/``toc_print()`` around each batch.

        >>> # mod.fit(train_iter, eval_data=val_iter, optimizer='sgd',
        >>> #         optimizer_params={'learning_rate': 0.1}, eval_metric='acc', num_epoch=10)
        """
        if num_epoch is None:
            raise ModuleStateError("please specify number of epochs. Received: num_epoch=None")
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label, for_training=True,
                  force_rebind=force_rebind)
        if monitor is not None:
            self.install_monitor(monitor)
        self.init_params(initializer=initializer, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer, optimizer_params=optimizer_params)
        if validation_metric is None:
            validation_metric = eval_metric
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)

        for epoch in range(begin_epoch, num_epoch):
            tic = time.time()
            eval_metric.reset()
            nbatch = 0
            data_iter = iter(train_data)
            try:
                next_data_batch = next(data_iter)
            except StopIteration:
                raise GluonicValueError(f"fit: train_data gave no batch in epoch {epoch}; was it reset? "
                                        "Received: an exhausted iterator") from None
            end_of_batch = False
            while not end_of_batch:
                data_batch = next_data_batch
                if monitor is not None:
                    monitor.tic()
                self.forward_backward(data_batch)
                self.update()
                if isinstance(data_batch, list):
                    self.update_metric(eval_metric, [db.label for db in data_batch], pre_sliced=True)
                else:
                    self.update_metric(eval_metric, data_batch.label)
                try:
                    next_data_batch = next(data_iter)
                    self.prepare(next_data_batch, sparse_row_id_fn=sparse_row_id_fn)
                except StopIteration:
                    end_of_batch = True
                if monitor is not None:
                    monitor.toc_print()
                if end_of_batch:
                    eval_name_vals = eval_metric.get_global_name_value()
                if batch_end_callback is not None:
                    params = BatchEndParam(epoch=epoch, nbatch=nbatch, eval_metric=eval_metric, locals=locals())
                    _call_all(batch_end_callback, params)
                nbatch += 1

            for name, val in eval_name_vals:
                self.logger.info("Epoch[%d] Train-%s=%f", epoch, name, val)
            self.logger.info("Epoch[%d] Time cost=%.3f", epoch, time.time() - tic)

            # sync aux params across devices (and from the devices to the CPU copies)
            arg_params, aux_params = self.get_params()
            self.set_params(arg_params, aux_params)
            if epoch_end_callback is not None:
                _call_all(epoch_end_callback, epoch, self.symbol, arg_params, aux_params)
            if eval_data is not None:
                res = self.score(eval_data, validation_metric, score_end_callback=eval_end_callback,
                                 batch_end_callback=eval_batch_end_callback, epoch=epoch)
                for name, val in res:
                    self.logger.info("Epoch[%d] Validation-%s=%f", epoch, name, val)
            train_data.reset()

    # ------------------------------------------------------------------ parameters
    def get_params(self):
        """``(arg_params, aux_params)``: dicts of name to NDArray, copies on the CPU."""
        raise NotImplementedError()

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,  # noqa: B008
                    allow_missing=False, force_init=False, allow_extra=False) -> None:
        """Initialize the parameters and auxiliary states (see :meth:`Module.init_params`)."""
        raise NotImplementedError()

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True, allow_extra=False) -> None:
        """Assign parameter and auxiliary-state values (``init_params`` without an initializer)."""
        self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init, allow_extra=allow_extra)

    def save_params(self, fname: str) -> None:
        """Save the parameters to ``fname`` in MXNet's format, keys ``arg:<name>`` / ``aux:<name>``."""
        arg_params, aux_params = self.get_params()
        save_dict = {f"arg:{k}": v.as_in_context(cpu()) for k, v in arg_params.items()}
        save_dict.update({f"aux:{k}": v.as_in_context(cpu()) for k, v in aux_params.items()})
        nd.save(fname, save_dict)

    def load_params(self, fname: str) -> None:
        """Load parameters saved by :meth:`save_params` (or MXNet) and ``set_params`` them.

        Raises
        ------
        ValueError
            If a key lacks the ``arg:``/``aux:`` prefix.
        """
        save_dict = nd.load(fname)
        if not isinstance(save_dict, dict):
            raise GluonicValueError(f"Invalid param file {fname}: it holds unnamed arrays. Received: a list of "
                                    f"{len(save_dict)} arrays")
        arg_params, aux_params = {}, {}
        for k, value in save_dict.items():
            kind, _, name = k.partition(":")
            if kind == "arg" and name:
                arg_params[name] = value
            elif kind == "aux" and name:
                aux_params[name] = value
            else:
                raise GluonicValueError(f"Invalid param file {fname}: keys must be 'arg:<name>' or 'aux:<name>'. "
                                        f"Received: key {k!r}")
        self.set_params(arg_params, aux_params)

    def get_states(self, merge_multi_context=True):
        """The state arrays (``state_names``); none for a module without states."""
        _require(self, "get_states", params=True)
        if merge_multi_context:
            raise GluonicValueError("get_states: merge_multi_context=True is not supported. "
                                    "Received: merge_multi_context=True")
        return []

    def set_states(self, states=None, value=None) -> None:
        """Set the state arrays (``state_names``) from ``states`` or a scalar ``value``."""
        _require(self, "set_states", params=True)
        if states or value:
            raise GluonicValueError("set_states: this module has no states. Received: states or value")

    def install_monitor(self, mon) -> None:
        """Install a ``Monitor`` on every executor."""
        raise NotImplementedError()

    def prepare(self, data_batch, sparse_row_id_fn=None) -> None:
        """Prepare for ``data_batch`` (bucket switch, row-sparse pulls); nothing for plain modules."""
        if sparse_row_id_fn is not None:
            warnings.warn(UserWarning("sparse_row_id_fn is not invoked for BaseModule."), stacklevel=2)

    # ------------------------------------------------------------------ intermediate API
    def forward(self, data_batch, is_train=None) -> None:
        """Forward computation on a :class:`DataBatch` (``is_train`` defaults to ``for_training``)."""
        raise NotImplementedError()

    def backward(self, out_grads=None) -> None:
        """Backward computation (``out_grads`` needed only for outputs that are not loss layers)."""
        raise NotImplementedError()

    def get_outputs(self, merge_multi_context=True):
        """The outputs of the last forward computation."""
        raise NotImplementedError()

    def get_input_grads(self, merge_multi_context=True):
        """Gradients with respect to the data inputs (bind with ``inputs_need_grad=True``)."""
        raise NotImplementedError()

    def update(self) -> None:
        """Update the parameters with the installed optimizer and the last gradients."""
        raise NotImplementedError()

    def update_metric(self, eval_metric, labels, pre_sliced=False) -> None:
        """Accumulate ``eval_metric`` on the last outputs against ``labels``."""
        raise NotImplementedError()

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False, force_rebind=False,
             shared_module=None, grad_req="write") -> None:
        """Allocate memory for the given input shapes (see :meth:`Module.bind`)."""
        raise NotImplementedError()

    def init_optimizer(self, kvstore="local", optimizer="sgd", optimizer_params=(("learning_rate", 0.01),),
                       force_init=False) -> None:
        """Install the optimizer (see :meth:`Module.init_optimizer`)."""
        raise NotImplementedError()

    # ------------------------------------------------------------------ properties
    @property
    def symbol(self):
        """The symbol the module runs."""
        return self._symbol

    @property
    def data_names(self) -> list[str]:
        raise NotImplementedError()

    @property
    def output_names(self) -> list[str]:
        raise NotImplementedError()

    @property
    def data_shapes(self) -> list[DataDesc]:
        raise NotImplementedError()

    @property
    def label_shapes(self) -> list[DataDesc] | None:
        raise NotImplementedError()

    @property
    def output_shapes(self) -> list[tuple[str, tuple]]:
        raise NotImplementedError()
