"""``Module``: a Symbol bound to executors, trained with an optimizer (MXNet 1.9's ``mx.mod.Module``).

Classic MXNet 1.x training scripts run unchanged:

>>> import numpy as np, gluonic as mx
>>> from gluonic.module import Module
>>> net = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=2, name='fc1')
>>> net = mx.sym.SoftmaxOutput(net, name='softmax')
>>> x = np.random.RandomState(0).randn(40, 3).astype('float32'); y = (x[:, 0] > 0).astype('float32')
>>> train = mx.io.NDArrayIter(x, y, batch_size=10, shuffle=True)
>>> mod = Module(net, context=mx.cpu())
>>> mod.fit(train, optimizer_params={'learning_rate': 0.5}, num_epoch=20)
>>> mod.score(train, 'acc')[0][1] > 0.9
True

Unlike MXNet there is no KVStore between devices: with a list of contexts the batch is
split over them, the gradients summed and the optimizer run once, then the new weights
copied to every device (what MXNet's ``'local'``/``'device'`` kvstores compute).
Distributed kvstores (``'dist_sync'`` and the other ``mx.kv`` names) sum the gradients over the
worker processes (see docs/distributed.md); parameters start from rank 0's values.
"""
from __future__ import annotations

import logging
import warnings

import torch

from .. import optimizer as opt
from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..context import Context, cpu
from ..initializer import InitDesc, Uniform
from ..io import DataDesc
from ..model import load_checkpoint
from ..ndarray.ndarray import NDArray, _wrap
from .base_module import BaseModule, ModuleStateError, _check_input_names, _parse_data_desc, _require
from .executor_group import ExecutorGroup

__all__ = ["Module", "ModuleParamError"]


class ModuleParamError(MXNetError):
    """A parameter missing from ``arg_params``/``aux_params`` (a RuntimeError, as MXNet raises)."""


def _kvstore_kind(kvstore) -> str | None:
    """The type name of ``kvstore`` (a name, a KVStore or None)."""
    if kvstore is None:
        return None
    kind = kvstore if isinstance(kvstore, str) else getattr(kvstore, "type", None)
    if not isinstance(kind, str):
        raise GluonicTypeError(f"kvstore must be KVStore, str or None. Received: {type(kvstore).__name__}")
    return kind.lower()


def _distributed_store(kvstore):
    """The distributed KVStore ``kvstore`` asks for (created from its name), or None for local aggregation."""
    from .. import kvstore as kv

    kind = _kvstore_kind(kvstore)
    if kind is None or kind not in kv.DIST_TYPES:
        return None
    return kvstore if not isinstance(kvstore, str) else kv.create(kind)


class Module(BaseModule):
    """A Symbol with its parameters, executors and optimizer (MXNet's ``mx.mod.Module``).

    Parameters
    ----------
    symbol : Symbol
        The network, usually ending in a loss layer such as ``SoftmaxOutput``.
    data_names : sequence of str, default ``('data',)``
        The symbol's data inputs (names of ``DataBatch.data`` in order).
    label_names : sequence of str or None, default ``('softmax_label',)``
        Label inputs; a name the symbol lacks only warns (as in MXNet).
    logger : default ``logging``
    context : Context or list of Context, default ``cpu()``
        With several contexts each batch is split over them (``work_load_list`` weights).
    work_load_list : list of numbers, optional
    fixed_param_names : list of str, optional
        Parameters that get no gradient and are never updated.
    state_names : list of str, optional
        Inputs that are neither data nor label nor parameters; set with :meth:`set_states`.
    group2ctxs : optional
        ``ctx_group`` attribute to context mapping, passed to the executors.
    compression_params : dict, optional
        Gradient compression (accepted for compatibility; gluonic does not compress).

    Raises
    ------
    ValueError
        If a data, state or fixed parameter name is not an argument of ``symbol``.
    """

    def __init__(self, symbol, data_names=("data",), label_names=("softmax_label",), logger=logging,
                 context=cpu(), work_load_list=None, fixed_param_names=None, state_names=None,  # noqa: B008
                 group2ctxs=None, compression_params=None):
        super().__init__(logger=logger)
        contexts = [context] if isinstance(context, Context) else list(context)
        if not contexts or not all(isinstance(c, Context) for c in contexts):
            raise GluonicTypeError(f"Module: context must be a Context or a list of them. Received: {context!r}")
        self._context = contexts
        if work_load_list is None:
            work_load_list = [1] * len(contexts)
        if len(work_load_list) != len(contexts):
            raise GluonicValueError(f"work_load_list needs one entry per context ({len(contexts)}). "
                                    f"Received: {work_load_list}")
        self._work_load_list = work_load_list
        self._group2ctxs = group2ctxs
        self._symbol = symbol
        data_names = list(data_names) if data_names is not None else []
        label_names = list(label_names) if label_names is not None else []
        state_names = list(state_names) if state_names is not None else []
        fixed_param_names = list(fixed_param_names) if fixed_param_names is not None else []
        _check_input_names(symbol, data_names, "data", True)
        _check_input_names(symbol, label_names, "label", False)
        _check_input_names(symbol, state_names, "state", True)
        _check_input_names(symbol, fixed_param_names, "fixed_param", True)
        input_names = data_names + label_names + state_names
        self._param_names = [x for x in symbol.list_arguments() if x not in input_names]
        self._fixed_param_names = fixed_param_names
        self._aux_names = symbol.list_auxiliary_states()
        self._data_names = data_names
        self._label_names = label_names
        self._state_names = state_names
        self._output_names = symbol.list_outputs()
        self._arg_params: dict | None = None
        self._aux_params: dict | None = None
        self._params_dirty = False
        self._compression_params = compression_params
        self._optimizer = None
        self._kvstore = None
        self._update_on_kvstore = None
        self._updater = None
        self._preload_opt_states = None
        self._grad_req = None
        self._exec_group: ExecutorGroup | None = None
        self._data_shapes = None
        self._label_shapes = None

    # ------------------------------------------------------------------ checkpoints
    @staticmethod
    def load(prefix: str, epoch: int, load_optimizer_states: bool = False, **kwargs) -> Module:
        """A module from ``prefix-symbol.json`` and ``prefix-%04d.params`` (files of MXNet or gluonic).

        ``kwargs`` go to the constructor (``data_names``, ``label_names``, ``context``...).
        The parameters are set when the module is bound. With ``load_optimizer_states``,
        ``prefix-%04d.states`` (written by gluonic's :meth:`save_checkpoint`) is loaded by
        ``init_optimizer``; MXNet's ``.states`` files are Python pickles and do not load.

        >>> # mod = Module.load('mlp', 3); mod.bind(val_iter.provide_data, val_iter.provide_label)
        """
        sym, args, auxs = load_checkpoint(prefix, epoch)
        mod = Module(symbol=sym, **kwargs)
        mod._arg_params = args
        mod._aux_params = auxs
        mod.params_initialized = True
        if load_optimizer_states:
            mod._preload_opt_states = f"{prefix}-{epoch:04d}.states"
        return mod

    def save_checkpoint(self, prefix: str, epoch: int, save_optimizer_states: bool = False,
                        remove_amp_cast: bool = True) -> None:
        """Write ``prefix-symbol.json``, ``prefix-%04d.params`` (and ``prefix-%04d.states``)."""
        self._symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
        param_name = f"{prefix}-{epoch:04d}.params"
        self.save_params(param_name)
        logging.info('Saved checkpoint to "%s"', param_name)
        if save_optimizer_states:
            state_name = f"{prefix}-{epoch:04d}.states"
            self.save_optimizer_states(state_name)
            logging.info('Saved optimizer state to "%s"', state_name)

    # ------------------------------------------------------------------ properties
    @property
    def data_names(self) -> list[str]:
        """Names of the data inputs."""
        return self._data_names

    @property
    def label_names(self) -> list[str]:
        """Names of the label inputs."""
        return self._label_names

    @property
    def output_names(self) -> list[str]:
        """Names of the outputs (``symbol.list_outputs()``)."""
        return self._output_names

    @property
    def data_shapes(self) -> list[DataDesc]:
        """The bound data shapes, as DataDesc."""
        _require(self, "data_shapes")
        return self._data_shapes

    @property
    def label_shapes(self) -> list[DataDesc] | None:
        """The bound label shapes (None when bound without labels)."""
        _require(self, "label_shapes")
        return self._label_shapes

    @property
    def output_shapes(self) -> list[tuple[str, tuple]]:
        """``[(output name, shape), ...]`` for the bound batch size."""
        _require(self, "output_shapes")
        return self._exec_group.get_output_shapes()

    # ------------------------------------------------------------------ parameters
    def get_params(self) -> tuple[dict, dict]:
        """``(arg_params, aux_params)``: the module's CPU copies, refreshed from the devices when stale."""
        _require(self, "get_params", binded=False, params=True)
        if self._params_dirty:
            self._sync_params_from_devices()
        return self._arg_params, self._aux_params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,  # noqa: B008
                    allow_missing=False, force_init=False, allow_extra=False) -> None:
        """Initialize parameters and auxiliary states, in sorted name order.

        Parameters
        ----------
        initializer : Initializer, default ``Uniform(0.01)``
            Fills parameters absent from ``arg_params``/``aux_params`` (called with an
            ``InitDesc`` carrying the variable's attributes, so ``__init__`` attributes apply).
        arg_params, aux_params : dict of str to NDArray, optional
            Values to copy (cast to the bound dtype). Extra names are ignored.
        allow_missing : bool
            Allow names missing from the given dicts (they are initialized instead).
        force_init : bool
            Re-initialize even if already initialized (otherwise a warning and no-op).
        allow_extra : bool
            Accepted for MXNet compatibility.

        Raises
        ------
        RuntimeError
            ``'<name> is not presented'`` for a missing parameter without ``allow_missing``.
        """
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. init_params call ignored.",
                          stacklevel=2)
            return
        if not self.binded:
            raise ModuleStateError("call bind before initializing the parameters. Received: binded=False")
        attrs = self._symbol.attr_dict()

        def fill(name: str, arr: NDArray, given: dict | None, kind: str) -> None:
            desc = InitDesc(name, attrs.get(name, None))
            if given is not None and name in given:
                src = given[name]
                if src is arr:
                    return
                src_t = src._tensor if isinstance(src, NDArray) else torch.as_tensor(src)
                if tuple(src_t.shape) != tuple(arr.shape):
                    raise GluonicValueError(f"init_params: {kind} '{name}' has shape {arr.shape} in the module. "
                                            f"Received: shape {tuple(src_t.shape)}")
                arr._assign(src_t.detach())
                return
            if given is not None and not allow_missing:
                hint = (" (an input of the symbol that is not in data_names/label_names/state_names counts as a "
                        "parameter: name it there, or pass allow_missing=True)") if kind == "parameter" else ""
                raise ModuleParamError(f"{name} is not presented{hint}")
            if initializer is None:
                if given is None:
                    raise ModuleParamError(f"set_params: no value for {kind} '{name}' and no initializer. "
                                           "Received: arg_params/aux_params=None")
                return
            initializer(desc, arr)

        for name, arr in sorted(self._arg_params.items()):
            fill(name, arr, arg_params, "parameter")
        for name, arr in sorted(self._aux_params.items()):
            fill(name, arr, aux_params, "auxiliary state")
        self.params_initialized = True
        self._params_dirty = False
        self._exec_group.set_params(self._arg_params, self._aux_params, allow_extra=allow_extra)

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True, allow_extra=False) -> None:
        """Assign parameter values (``init_params`` with no initializer).

        With ``allow_missing=True`` the given values go straight to the devices and
        names the module lacks are rejected unless ``allow_extra``.

        >>> # sym, args, auxs = mx.model.load_checkpoint('mlp', 3); mod.set_params(args, auxs)
        """
        if not allow_missing:
            self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                             allow_missing=allow_missing, force_init=force_init, allow_extra=allow_extra)
            return
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. set_params call ignored.",
                          stacklevel=2)
            return
        _require(self, "set_params")
        self._exec_group.set_params(arg_params or {}, aux_params or {}, allow_extra=allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    def _sync_params_from_devices(self) -> None:
        """Refresh the CPU copies from the executors (after ``update``)."""
        self._exec_group.get_params(self._arg_params, self._aux_params)
        self._params_dirty = False

    # ------------------------------------------------------------------ binding
    def _reset_bind(self) -> None:
        if self.binded and self.params_initialized and self._params_dirty:
            self._sync_params_from_devices()  # MXNet drops updates made since the last sync here
        self.binded = False
        self._exec_group = None
        self._data_shapes = None
        self._label_shapes = None

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False, force_rebind=False,
             shared_module=None, grad_req="write") -> None:
        """Bind executors for the given input shapes (memory for arguments, gradients, outputs).

        Parameters
        ----------
        data_shapes : list of DataDesc or (name, shape)
            Usually ``train_iter.provide_data``.
        label_shapes : list of DataDesc or (name, shape), optional
            Usually ``train_iter.provide_label``.
        for_training : bool, default True
            Allocate gradients (``backward`` needs it).
        inputs_need_grad : bool, default False
            Also compute gradients for the data inputs (:meth:`get_input_grads`).
        force_rebind : bool, default False
            Rebind even if bound (otherwise a warning and no-op).
        shared_module : Module, optional
            Share parameters (and the optimizer) with this bound module.
        grad_req : str, list or dict, default 'write'
            ``'write'``, ``'add'`` or ``'null'``, globally or per argument.
        """
        if force_rebind:
            self._reset_bind()
        if self.binded:
            self.logger.warning("Already bound, ignoring bind()")
            return
        if not for_training and inputs_need_grad:
            raise GluonicValueError("bind: inputs_need_grad=True needs for_training=True. "
                                    "Received: for_training=False, inputs_need_grad=True")
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self._grad_req = grad_req
        self._data_shapes, self._label_shapes = _parse_data_desc(self.data_names, self.label_names, data_shapes,
                                                                 label_shapes)
        shared_group = None
        if shared_module is not None:
            if not (isinstance(shared_module, Module) and shared_module.binded and shared_module.params_initialized):
                raise ModuleStateError("bind: shared_module must be a bound Module with initialized parameters. "
                                       f"Received: {type(shared_module).__name__}")
            shared_group = shared_module._exec_group
        self._exec_group = ExecutorGroup(
            self._symbol, self._context, self._work_load_list, self._data_shapes, self._label_shapes,
            self._param_names, for_training, inputs_need_grad, shared_group, logger=self.logger,
            fixed_param_names=self._fixed_param_names, grad_req=grad_req, group2ctxs=self._group2ctxs,
            state_names=self._state_names)
        if shared_module is not None:
            self.params_initialized = True
            self._arg_params = shared_module._arg_params
            self._aux_params = shared_module._aux_params
        elif self.params_initialized:
            self._exec_group.set_params(self._arg_params, self._aux_params)
        else:
            group = self._exec_group
            self._arg_params = {n: _cpu_zeros(block[0]) for n, block in zip(self._param_names, group.param_arrays)}
            self._aux_params = {n: _cpu_zeros(block[0]) for n, block in zip(self._aux_names, group.aux_arrays)}
        if shared_module is not None and shared_module.optimizer_initialized:
            self.borrow_optimizer(shared_module)
        self.binded = True

    def reshape(self, data_shapes, label_shapes=None) -> None:
        """Rebind for new input shapes (another batch size, image size...) keeping the parameters."""
        _require(self, "reshape")
        self._data_shapes, self._label_shapes = _parse_data_desc(self.data_names, self.label_names, data_shapes,
                                                                 label_shapes)
        self._exec_group.reshape(self._data_shapes, self._label_shapes)

    # ------------------------------------------------------------------ optimizer
    def init_optimizer(self, kvstore="local", optimizer="sgd", optimizer_params=(("learning_rate", 0.01),),
                       force_init=False) -> None:
        """Install the optimizer.

        ``optimizer`` is a name (created with ``optimizer_params`` plus
        ``rescale_grad=1/batch_size`` unless given, ``sym`` and ``param_idx2name``) or an
        :class:`~gluonic.optimizer.Optimizer` (a warning if its ``rescale_grad`` is not
        ``1/batch_size``, or ``1/(batch_size * num_workers)`` with a distributed store). ``kvstore``
        is ``'local'``, ``'device'``, a distributed name such as ``'dist_sync'``, a KVStore, or None.
        """
        _require(self, "init_optimizer", params=True)
        if self.optimizer_initialized and not force_init:
            self.logger.warning("optimizer already initialized, ignoring...")
            return
        if self._params_dirty:
            self._sync_params_from_devices()
        dist = _distributed_store(kvstore)
        self._kvstore = dist if dist is not None else (
            kvstore if _kvstore_kind(kvstore) is not None and len(self._context) > 1 else None)
        batch_size = self._exec_group.batch_size
        if dist is not None and "_async" not in dist.type:
            batch_size *= dist.num_workers  # gradients are summed over the workers' batches
            # every worker starts from rank 0's parameters (MXNet: kvstore.init + pull)
            dist._broadcast_inplace([list(arrays) for arrays in self._exec_group.param_arrays])
        rescale_grad = 1.0 / batch_size
        idx2name = dict(enumerate(self._exec_group.param_names))
        if isinstance(optimizer, str):
            optimizer_params = dict(optimizer_params)
            optimizer_params.setdefault("rescale_grad", rescale_grad)
            optimizer = opt.create(optimizer, sym=self.symbol, param_idx2name=idx2name, **optimizer_params)
        else:
            if not isinstance(optimizer, opt.Optimizer):
                raise GluonicTypeError(f"optimizer must be a name or an Optimizer. Received: {type(optimizer).__name__}")
            if optimizer.rescale_grad != rescale_grad:
                warnings.warn("Optimizer created manually outside Module but rescale_grad is not normalized to "
                              f"1.0/batch_size/num_workers ({optimizer.rescale_grad} vs. {rescale_grad}). "
                              "Is this intended?", stacklevel=2)
            if not optimizer.idx2name:
                optimizer.idx2name = idx2name.copy()
        self._optimizer = optimizer
        self._update_on_kvstore = False
        self._updater = opt.get_updater(optimizer)
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def borrow_optimizer(self, shared_module: Module) -> None:
        """Use ``shared_module``'s optimizer and updater (bucketing)."""
        _require(shared_module, "borrow_optimizer", binded=False, optimizer=True)
        self._optimizer = shared_module._optimizer
        self._kvstore = shared_module._kvstore
        self._update_on_kvstore = shared_module._update_on_kvstore
        self._updater = shared_module._updater
        self.optimizer_initialized = True

    def save_optimizer_states(self, fname: str) -> None:
        """Write the updater's states (momentum, moments...) to ``fname`` (gluonic's format, no pickle)."""
        _require(self, "save_optimizer_states", binded=False, optimizer=True)
        with open(fname, "wb") as f:
            f.write(self._updater.get_states())

    def load_optimizer_states(self, fname: str) -> None:
        """Load states written by :meth:`save_optimizer_states`."""
        _require(self, "load_optimizer_states", binded=False, optimizer=True)
        with open(fname, "rb") as f:
            self._updater.set_states(f.read())

    # ------------------------------------------------------------------ computation
    def forward(self, data_batch, is_train=None) -> None:
        """Forward computation on ``data_batch``; a batch of another shape reshapes the module first.

        A last batch smaller than the bound batch size runs as is (MXNet's reshape); the
        next full batch goes back to the executors bound first.
        """
        _require(self, "forward", params=True)
        curr = tuple(d.shape for d in self._data_shapes)
        if isinstance(data_batch, list):
            if not data_batch:
                raise GluonicValueError("Module.forward: encountered empty data batch. Received: []")
            new = []
            for i in range(len(data_batch[0].data)):
                shape = tuple(data_batch[0].data[i].shape)
                if any(tuple(db.data[i].shape) != shape for db in data_batch):
                    raise GluonicValueError("All data batches in a list need to have the same shape. Received: "
                                            f"{[tuple(db.data[i].shape) for db in data_batch]}")
                new.append((len(data_batch) * shape[0],) + shape[1:])
            new = tuple(new)
        else:
            if data_batch.data is None:
                raise GluonicTypeError("Module.forward: the batch has no data. Received: data=None")
            new = tuple(tuple(d.shape) for d in data_batch.data)
        if curr != new:
            if getattr(data_batch, "provide_data", None):
                new_dshape = data_batch.provide_data
            else:
                new_dshape = [DataDesc(d.name, s, d.dtype, d.layout) for d, s in zip(self._data_shapes, new)]
            if getattr(data_batch, "provide_label", None):
                new_lshape = data_batch.provide_label
            elif getattr(data_batch, "label", None) and self._label_shapes:
                new_lshape = [DataDesc(d.name, tuple(x.shape), d.dtype, d.layout)
                              for d, x in zip(self._label_shapes, data_batch.label)]
            else:  # MXNet fails here ("Shape of unspecified arg: softmax_label changed"): resize the labels
                new_lshape = _resized_labels(self._label_shapes, self._data_shapes, new)
            self.reshape(new_dshape, new_lshape)
        self._exec_group.forward(data_batch, is_train)

    def backward(self, out_grads=None) -> None:
        """Backward computation; ``out_grads`` (one per output) only for outputs that are not loss layers."""
        _require(self, "backward", params=True)
        self._exec_group.backward(out_grads=out_grads)

    def update(self) -> None:
        """Apply the optimizer to every parameter that has a gradient (fixed parameters have none)."""
        _require(self, "update", params=True, optimizer=True)
        self._params_dirty = True
        group = self._exec_group
        if not group.for_training:
            raise ModuleStateError("Module.update: the module is bound with for_training=False, so there are no "
                                   "gradients. Received: for_training=False")
        indices, grads, weights = [], [], []
        for index, (arg_list, grad_list) in enumerate(zip(group.param_arrays, group.grad_arrays)):
            if grad_list[0] is None:
                continue
            if len(grad_list) == 1:
                grad = grad_list[0]
            else:  # what a local kvstore does: sum the devices' gradients, update once, broadcast
                dev = arg_list[0]._tensor.device
                grad = _wrap(sum(g._tensor.to(dev) for g in grad_list), arg_list[0]._ctx)
            indices.append(index)
            grads.append(grad)
            weights.append(arg_list[0])
        if indices and getattr(self._kvstore, "num_workers", 1) > 1:  # sum over the workers (bucketed allreduce)
            self._kvstore._allreduce_inplace(indices, [[g] for g in grads])
        if indices:
            self._updater(indices, grads, weights)
        with torch.no_grad():
            for index in indices:
                arg_list = group.param_arrays[index]
                for w in arg_list[1:]:
                    w._assign(arg_list[0]._tensor.to(w._tensor.device))

    def get_outputs(self, merge_multi_context=True):
        """Outputs of the last forward: ``[out1, out2]`` (merged over devices) or ``[[out1_dev1, ...], ...]``."""
        _require(self, "get_outputs", params=True)
        return self._exec_group.get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        """Gradients of the data inputs from the last backward (bind with ``inputs_need_grad=True``)."""
        _require(self, "get_input_grads", params=True)
        if not self.inputs_need_grad:
            raise ModuleStateError("get_input_grads: bind with inputs_need_grad=True to compute input gradients. "
                                   "Received: inputs_need_grad=False")
        return self._exec_group.get_input_grads(merge_multi_context=merge_multi_context)

    def get_states(self, merge_multi_context=True):
        """The state arrays (``state_names``), per device: ``[[state1_dev1, ...], ...]``."""
        _require(self, "get_states", params=True)
        return self._exec_group.get_states(merge_multi_context=merge_multi_context)

    def set_states(self, states=None, value=None) -> None:
        """Set the state arrays from ``[[state1_dev1, ...], ...]`` or fill them with ``value``."""
        _require(self, "set_states", params=True)
        self._exec_group.set_states(states, value)

    def update_metric(self, eval_metric, labels, pre_sliced=False) -> None:
        """Accumulate ``eval_metric`` on the last outputs against ``labels`` (usually ``batch.label``)."""
        _require(self, "update_metric")
        self._exec_group.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon) -> None:
        """Install a ``Monitor`` on every executor."""
        _require(self, "install_monitor")
        self._exec_group.install_monitor(mon)

    def prepare(self, data_batch, sparse_row_id_fn=None) -> None:
        """Nothing to prepare without row-sparse parameters; warns if ``sparse_row_id_fn`` is given."""
        _require(self, "prepare")
        if sparse_row_id_fn is not None:
            warnings.warn(UserWarning("Parameters are not updated in the KVStore. No need to call sparse_row_id_fn."),
                          stacklevel=2)


def _cpu_zeros(like: NDArray) -> NDArray:
    return _wrap(torch.zeros(tuple(like.shape), dtype=like._tensor.dtype), cpu())


def _resized_labels(label_shapes, data_shapes, new_data_shapes):
    """The bound label shapes with their batch axis set to the new batch size (None if unbound or unknown)."""
    if not label_shapes:
        return None
    batch = None
    for d, shape in zip(data_shapes, new_data_shapes):
        axis = DataDesc.get_batch_axis(d.layout)
        if axis >= 0:
            batch = shape[axis]
            break
    if batch is None:
        return None
    out = []
    for d in label_shapes:
        shape, axis = list(d.shape), DataDesc.get_batch_axis(d.layout)
        if axis >= 0:
            shape[axis] = batch
        out.append(DataDesc(d.name, tuple(shape), d.dtype, d.layout))
    return out
