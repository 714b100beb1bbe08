"""``gluon.Trainer``: applies an optimizer to a set of Parameters (MXNet 1.9 semantics).

Example
-------
>>> import gluonic as mx
>>> net = mx.gluon.nn.Dense(1, in_units=2)
>>> net.initialize(mx.init.One())
>>> trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
>>> with mx.autograd.record():
...     loss = net(mx.nd.ones((4, 2))).sum()
>>> loss.backward()
>>> trainer.step(4)
>>> net.weight.data().asnumpy()
array([[0.9, 0.9]], dtype=float32)
"""
from __future__ import annotations

import os
import warnings

import torch

from .. import autograd
from .. import kvstore as kvs
from .. import optimizer as opt
from .._files import write_atomic
from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import _wrap
from .parameter import Parameter, ParameterDict

__all__ = ["Trainer"]


class Trainer:
    """Updates Parameters with an optimizer.

    Parameters
    ----------
    params : ParameterDict, dict or list of Parameter
    optimizer : str or Optimizer
        Name (``'sgd'``, ``'adam'``, ...) or instance.
    optimizer_params : dict
        Arguments of the optimizer (``learning_rate``, ``wd``, ...).
    kvstore : str, KVStore or None
        How gradients are reduced before the update. ``'device'`` (default) or ``'local'``
        sum the gradients of parameters living on several contexts (no kvstore is used
        with one context). ``'dist_sync'`` (and the other ``dist_*`` names, or a store made
        by ``mx.kv.create``) also sums them across the workers of a job started with
        ``gluonic-launch``: parameters are broadcast from rank 0 when the Trainer is
        created (deferred ones at the first step), and gradients are all-reduced in
        buckets, one collective per bucket.
    compression_params : dict, optional
        Gradient compression of the kvstore (``{'type': '2bit', 'threshold': 0.5}``).
    update_on_kvstore : bool or None
        Accepted with MXNet's rules (``dist_async`` needs True; stores that only reduce,
        ``horovod``/``byteps``, refuse True). gluonic's kvstores all-reduce, so the update
        always runs here on every worker with the reduced gradients: the result is the one
        MXNet computes either way, and ``allreduce_grads()``/``update()`` work with both.

    With a distributed kvstore, gradients are summed over workers as in MXNet, and
    ``step(batch_size)`` divides by ``batch_size``: pass the global batch
    (``per_worker_batch * kv.num_workers``) to get exactly the update of one worker
    processing the whole batch (passing the per-worker batch multiplies the effective
    learning rate by the number of workers, as in MXNet).
    """

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device", compression_params=None,
                 update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = list(params.values())
        if not isinstance(params, (list, tuple)):
            raise GluonicValueError(
                f"First argument must be a list or dict of Parameters, got {type(params)}. Received: "
                f"{type(params).__name__}")
        self._params: list[Parameter] = []
        self._param2idx: dict[str, int] = {}
        seen: set[int] = set()
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise GluonicValueError(
                    f"First argument must be a list or dict of Parameters, got list of {type(param)}.")
            if id(param) in seen:
                raise GluonicValueError(f"Parameter '{param.name}' appears more than once in the list of Parameters")
            seen.add(id(param))
            self._param2idx[param.name] = i
            self._params.append(param)
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        optimizer_params = optimizer_params or {}
        self._init_optimizer(optimizer, optimizer_params)
        self._scale = self._optimizer.rescale_grad
        self._kvstore, self._update_on_kvstore = self._create_kvstore(kvstore, update_on_kvstore)
        self._distributed = self._kvstore is not None and self._kvstore.num_workers > 1
        self._params_to_init = list(self._params)
        self._init_params(deferred_ok=True)
        for param in self._params:  # only once everything above succeeded
            param._set_trainer(self)

    def _create_kvstore(self, kvstore, update_on_kvstore):
        """The kvstore to reduce gradients with (None: nothing to reduce) and update_on_kvstore."""
        if isinstance(kvstore, str):
            name = kvstore.lower()
            if name not in kvs.LOCAL_TYPES + kvs.DIST_TYPES:
                kvs.create(name)  # raises the error naming the valid types
            local_only = name in kvs.LOCAL_TYPES
            kv = None if local_only and len(self._contexts) <= 1 else kvs.create(name)
        elif kvstore is None or isinstance(kvstore, kvs.KVStore):
            kv = kvstore
        else:
            raise GluonicTypeError(f"kvstore must be a KVStore, a str or None. Received: {type(kvstore).__name__}")
        if kv is None:
            if self._compression_params is not None:
                raise GluonicValueError(
                    "Gradient compression needs a kvstore ('device' with several contexts, or a 'dist_*' one). "
                    f"Received: compression_params={self._compression_params!r}")
            return None, None
        update = bool(int(os.environ.get("MXNET_UPDATE_ON_KVSTORE", "1")))
        if "async" in kv.type:
            if update_on_kvstore is False:
                raise GluonicValueError("Please set update_on_kvstore=True when training in async mode. "
                                        "Received: update_on_kvstore=False")
            update = True
        if update_on_kvstore is not None:
            update = bool(update_on_kvstore)
        if update and not kv.is_capable(kvs.KVStore.OPTIMIZER):
            if update_on_kvstore:
                raise GluonicValueError(f"Please set update_on_kvstore=False when training with the '{kv.type}' "
                                        "kvstore. Received: update_on_kvstore=True")
            update = False
        if self._compression_params is not None:
            kv.set_gradient_compression(self._compression_params)
        return kv, update

    def _init_params(self, deferred_ok: bool = False) -> None:
        """Broadcast rank 0's values of the parameters not yet synchronized (to every context too)."""
        if self._kvstore is None or not self._params_to_init:
            return
        ready = [p for p in self._params_to_init if p._data is not None]
        self._params_to_init = [p for p in self._params_to_init if p._data is None]
        if not ready:
            return
        arrays = [p.list_data() for p in ready]
        local = None if deferred_ok else [a[0]._tensor.clone() for a in arrays]
        self._kvstore._broadcast_inplace(arrays)
        if local is not None:
            differ = [p.name for p, a, t in zip(ready, arrays, local) if not torch.equal(a[0]._tensor, t)]
            if differ:
                warnings.warn(
                    f"Worker {self._kvstore.rank}: the values of {', '.join(differ)} (initialized at the first "
                    "forward pass) differed from rank 0's; the first gradients were computed with this worker's "
                    "values before rank 0's replaced them. Seed every worker alike (mx.random.seed) or give the "
                    "layers their input sizes so that the Trainer broadcasts at creation.", UserWarning,
                    stacklevel=3)

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise GluonicValueError(
                    f"All Parameters must be initialized on the same set of contexts, but Parameter {param.name} is "
                    f"initialized on {ctx} while previous Parameters are initialized on {contexts}.")
            contexts = ctx
        return contexts or []

    def _init_optimizer(self, optimizer, optimizer_params: dict) -> None:
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise GluonicValueError(
                    "optimizer_params must be None if optimizer is an instance of Optimizer instead of str")
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        elif isinstance(optimizer, str):
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        else:
            raise GluonicTypeError(f"optimizer must be a name or an Optimizer. Received: {type(optimizer).__name__}")
        self._updaters = [opt.get_updater(self._optimizer) for _ in self._contexts]

    # ------------------------------------------------------------------ properties
    @property
    def learning_rate(self) -> float:
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        return self._optimizer

    def set_learning_rate(self, lr: float) -> None:
        """Set a new learning rate (not allowed with an lr_scheduler, as in MXNet)."""
        self._optimizer.set_learning_rate(lr)

    # ------------------------------------------------------------------ steps
    def step(self, batch_size: int, ignore_stale_grad: bool = False) -> None:
        """One update: gradients are scaled by ``1/batch_size``, reduced across contexts and applied."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self) -> None:
        """Sum gradients across contexts (for a manual ``allreduce_grads`` + ``update``)."""
        self._allreduce_grads()

    def update(self, batch_size: int, ignore_stale_grad: bool = False) -> None:
        """Apply the update with already reduced gradients (after :meth:`allreduce_grads`)."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _allreduce_grads(self) -> None:
        """Sum the gradients over contexts and workers, agreeing on which ones are fresh.

        A copy whose gradient was not written since the last step (a branch this worker or
        context did not run) contributes zero, and the parameter counts as fresh everywhere
        if any copy was: the update is then the one of a single process that ran the whole
        batch, and the copies stay identical.
        """
        if self._kvstore is None:
            return
        self._init_params()
        keys, grads, params, fresh = [], [], [], []
        with torch.no_grad():
            for i, param in enumerate(self._params):
                if param.grad_req == "null":
                    continue
                flags = [autograd.is_fresh(d) for d in param.list_data()]
                glist = param.list_grad()
                if param.grad_req == "write":
                    for flag, g in zip(flags, glist):
                        if not flag:
                            g._tensor.zero_()
                keys.append(i)
                grads.append(glist)
                params.append(param)
                fresh.append(sum(flags))
        if not keys:
            return
        first = grads[0][0]
        counts = _wrap(torch.tensor(fresh, dtype=torch.float32, device=first._tensor.device), first._ctx)
        self._kvstore._allreduce_inplace(keys + [None], grads + [[counts]])  # key None: never compressed
        for param, count in zip(params, counts._tensor.tolist()):
            if count > 0:
                for d in param.list_data():
                    autograd._mark_fresh(d._tensor)

    def _update(self, ignore_stale_grad: bool = False) -> None:
        if self._contexts != self._check_contexts():
            self._contexts = self._check_contexts()
            self._updaters = [self._updaters[0]] + [opt.get_updater(self._optimizer)
                                                    for _ in self._contexts[1:]]
        per_ctx = [([], [], []) for _ in self._contexts]
        for i, param in enumerate(self._params):
            if param.grad_req == "null":
                continue
            datas = param.list_data()
            stale = [not autograd.is_fresh(d) for d in datas]
            if any(stale) and not ignore_stale_grad:
                ctx = datas[stale.index(True)].context
                raise UserWarning(
                    f"Gradient of Parameter `{param.name}` on context {ctx} has not been updated by backward since "
                    "last `step`. This could mean a bug in your model that made it only use a subset of the "
                    "Parameters (Blocks) for this iteration. If you are intentionally only using a subset, call "
                    "step with ignore_stale_grad=True to suppress this warning and skip updating of Parameters "
                    "with stale gradient")
            for c, (data, grad) in enumerate(zip(datas, param.list_grad())):
                if autograd.is_fresh(data):
                    per_ctx[c][0].append(i)
                    per_ctx[c][1].append(grad)
                    per_ctx[c][2].append(data)
        for updater, (indices, grads, weights) in zip(self._updaters, per_ctx):
            if indices:
                updater(indices, grads, weights)
        for param in self._params:
            if param.grad_req != "null":
                for data in param.list_data():
                    autograd.clear_fresh(data)

    # ------------------------------------------------------------------ states
    def save_states(self, fname: str) -> None:
        """Save the optimizer states (and settings) so training resumes exactly."""
        write_atomic(fname, self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname: str) -> None:
        """Load states written by :meth:`save_states`."""
        with open(fname, "rb") as f:
            data = f.read()
        for updater in self._updaters:
            updater.set_states(data)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))
