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
import tempfile

from .. import autograd
from .. import optimizer as opt
from ..base import GluonicTypeError, GluonicValueError
from .parameter import Parameter, ParameterDict

__all__ = ["Trainer"]

_KVSTORES = (None, "local", "device", "local_update_cpu", "local_allreduce_cpu", "local_allreduce_device")


class Trainer:
    """Updates Parameters with an optimizer.

    Parameters
    ----------
    params : ParameterDict, dict or list of Parameter
    optimizer : str or Optimizer
        Name (``'sgd'``, ``'adam'``, ...) or instance.
    optimizer_params : dict
        Arguments of the optimizer (``learning_rate``, ``wd``, ...).
    kvstore : str or None
        ``'device'`` (default) or ``'local'``: gradients of parameters living on several
        contexts are summed across them before the update (distributed kvstores come
        with ``gluonic.kvstore``).
    update_on_kvstore : bool or None
        Accepted for MXNet compatibility; in one process updates always run locally,
        which gives the same result.
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
        if kvstore not in _KVSTORES and not hasattr(kvstore, "pushpull"):
            raise GluonicValueError(
                f"kvstore '{kvstore}' is not available in one process; use 'device', 'local' or None "
                "(distributed kvstores are created with mx.kv.create).")
        if compression_params is not None:
            raise GluonicValueError("Gradient compression needs a distributed kvstore. Received: "
                                    f"compression_params={compression_params!r}")
        self._kvstore = kvstore
        self._update_on_kvstore = update_on_kvstore
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        optimizer_params = optimizer_params or {}
        self._init_optimizer(optimizer, optimizer_params)
        self._scale = self._optimizer.rescale_grad
        for param in self._params:  # only once everything above succeeded
            param._set_trainer(self)

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
        if len(self._contexts) <= 1:
            return
        for param in self._params:
            if param.grad_req == "null":
                continue
            grads = param.list_grad()
            total = grads[0].copy()
            for g in grads[1:]:
                total += g.as_in_context(total.context)
            for g in grads:
                g[:] = total.as_in_context(g.context)

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
        data = self._updaters[0].get_states(dump_optimizer=True)
        directory = os.path.dirname(os.path.abspath(fname))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".states")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, fname)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def load_states(self, fname: str) -> None:
        """Load states written by :meth:`save_states`."""
        with open(fname, "rb") as f:
            data = f.read()
        for updater in self._updaters:
            updater.set_states(data)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))
