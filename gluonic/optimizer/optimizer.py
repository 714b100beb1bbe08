"""The optimizer base class, the registry, and the :class:`Updater` that kvstores and Trainers call.

MXNet 1.9's ``mx.optimizer`` contract: an optimizer turns ``(index, weight, grad, state)``
into an in-place update of ``weight``; per-parameter learning rates and weight decays come
from ``lr_mult``/``wd_mult`` (``param_dict`` of Gluon Parameters, ``set_lr_mult``, or symbol
attributes); ``num_update`` counts updates for the learning-rate scheduler.

Updates run on the torch tensors inside the NDArrays, under ``torch.no_grad()``. Rules
with a multi-tensor form (SGD, NAG, Adam, AdamW) implement :meth:`Optimizer.update_multi`
with ``torch._foreach_*`` kernels; their one-tensor :meth:`~Optimizer.update` is the same
code on one-element lists, so both paths give bit-identical results.

Example
-------
>>> import gluonic as mx
>>> from gluonic import optimizer as opt
>>> sgd = opt.create("sgd", learning_rate=0.1, momentum=0.9)
>>> w, g = mx.nd.ones((2,)), mx.nd.ones((2,))
>>> updater = opt.get_updater(sgd)
>>> updater(0, g, w)
>>> w.asnumpy()
array([0.9, 0.9], dtype=float32)
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import torch

from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import NDArray, _wrap
from . import _multi as M

__all__ = ["Optimizer", "Updater", "create", "get_updater", "register"]

#: Weight dtypes that ``multi_precision=True`` trains through a float32 master copy.
#: MXNet does this for float16 only; gluonic also for bfloat16.
LOW_PRECISION = (torch.float16, torch.bfloat16)

_F32 = np.float32


def f32(x) -> float:
    """``x`` rounded to float32, as MXNet's kernels receive their float parameters."""
    return float(_F32(x))


def kernel_clip(clip_gradient) -> float | None:
    """The clip bound a fused MXNet kernel applies: the Python side passes it only when
    truthy, and the kernel ignores negative bounds."""
    if not clip_gradient or clip_gradient < 0:
        return None
    return f32(clip_gradient)


def tensor(x):
    """The torch tensor inside an NDArray (``None`` stays ``None``)."""
    return None if x is None else x._tensor


def zeros_like(weight: NDArray, dtype: torch.dtype | None = None) -> NDArray:
    """A zero state array shaped and placed like ``weight``."""
    t = weight._tensor
    return _wrap(torch.zeros(t.shape, dtype=dtype or t.dtype, device=t.device), weight._ctx)


def is_low_precision(weight: NDArray) -> bool:
    return weight._tensor.dtype in LOW_PRECISION


class Optimizer:
    """The base class of all optimizers (MXNet's ``mx.optimizer.Optimizer``).

    Parameters
    ----------
    rescale_grad : float, default 1.0
        Gradients are multiplied by this first (often ``1/batch_size``).
    param_idx2name : dict of int to str, optional
        Parameter names by index. Parameters whose names end neither in ``_weight`` nor in
        ``_gamma`` then get a weight decay multiplier of 0 (see :meth:`set_wd_mult`).
    wd : float, default 0.0
        Weight decay (L2 penalty) coefficient.
    clip_gradient : float, optional
        Clip the rescaled gradient to ``[-clip_gradient, clip_gradient]``.
    learning_rate : float, optional
        Initial learning rate; overrides ``lr_scheduler.base_lr``. Defaults to 0.01 when
        there is no scheduler.
    lr_scheduler : LRScheduler, optional
        Computes the learning rate from ``num_update``.
    sym : Symbol, optional
        Its ``__lr_mult__``/``__wd_mult__`` attributes set per-name multipliers.
    begin_num_update : int, default 0
        The update count to start from.
    multi_precision : bool, default False
        Train float16 (and bfloat16) weights through a float32 master copy.
    param_dict : dict of int to Parameter, optional
        Gluon Parameters by index; their ``lr_mult``/``wd_mult`` take precedence.

    Subclasses implement :meth:`create_state` and :meth:`update` and register with
    :func:`register` to be found by :func:`create`.
    """

    #: Registered optimizer classes by lower-case class name.
    opt_registry: dict[str, type] = {}

    def __init__(self, rescale_grad=1.0, param_idx2name=None, wd=0.0, clip_gradient=None, learning_rate=None,
                 lr_scheduler=None, sym=None, begin_num_update=0, multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None and lr_scheduler.base_lr != learning_rate:
            warnings.warn("learning rate from ``lr_scheduler`` has been overwritten by ``learning_rate`` in "
                          "optimizer.", UserWarning, stacklevel=2)
            lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult: dict = {}
        self.wd_mult: dict = {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts: dict = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise GluonicTypeError("param_idx2name should be a dict of param indexes to names. "
                                   f"Received: {type(param_idx2name).__name__}")
        self.idx2name = param_idx2name.copy()
        self.sym_info = (sym.attr_dict(), sym.list_arguments()) if sym is not None else ()
        self.param_dict = param_dict if param_dict else {}
        self.allow_np_array = False
        self.set_lr_mult({})
        self.set_wd_mult({})

    # ----------------------------------------------------------------- registry
    @staticmethod
    def register(klass: type) -> type:
        """Register an optimizer class under its lower-case name (a decorator)."""
        if not isinstance(klass, type):
            raise GluonicTypeError(f"register expects a class. Received: {klass!r}")
        name = klass.__name__.lower()
        old = Optimizer.opt_registry.get(name)
        if old is not None and old is not klass:
            warnings.warn(f"WARNING: New optimizer {klass.__module__}.{klass.__name__} is overriding existing "
                          f"optimizer {old.__module__}.{old.__name__}", stacklevel=2)
        Optimizer.opt_registry[name] = klass
        return klass

    @staticmethod
    def create_optimizer(name: str, **kwargs) -> Optimizer:
        """An instance of the optimizer registered as ``name`` (case-insensitive).

        >>> type(Optimizer.create_optimizer('adam', learning_rate=0.1)).__name__
        'Adam'
        """
        klass = Optimizer.opt_registry.get(str(name).lower())
        if klass is None:
            raise GluonicValueError(f"Cannot find optimizer {name!r}. Known optimizers: "
                                    f"{', '.join(sorted(Optimizer.opt_registry))}. Received: {name!r}")
        return klass(**kwargs)

    # ----------------------------------------------------------------- learning rate
    @property
    def learning_rate(self) -> float:
        """The current learning rate (from the scheduler at ``num_update`` if there is one)."""
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def set_learning_rate(self, lr: float) -> None:
        """Set the learning rate; not allowed when a scheduler drives it."""
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been defined. Note that set_learning_rate "
                              "can mutate the value of the learning rate of the optimizer only when the "
                              "LRScheduler of the optimizer is undefined.")
        self.lr = lr

    def set_lr_scale(self, args_lrscale):  # noqa: ARG002
        """[DEPRECATED] Use :meth:`set_lr_mult`."""
        raise DeprecationWarning

    def set_lr_mult(self, args_lr_mult: dict) -> None:
        """Set learning-rate multipliers by parameter name (or index).

        Symbol attributes ``__lr_mult__`` (when ``sym`` was given) come first, then
        ``args_lr_mult``. Gluon Parameters in ``param_dict`` take precedence over both.
        """
        self.lr_mult = {}
        if self.sym_info:
            attr, arg_names = self.sym_info
            for name in arg_names:
                if name in attr and "__lr_mult__" in attr[name]:
                    self.lr_mult[name] = float(attr[name]["__lr_mult__"])
        self.lr_mult.update(args_lr_mult)

    def set_wd_mult(self, args_wd_mult: dict) -> None:
        """Set weight-decay multipliers by parameter name (or index).

        Every name in ``param_idx2name`` that ends neither in ``_weight`` nor in ``_gamma``
        (biases, BatchNorm's beta, ...) gets multiplier 0; then symbol ``__wd_mult__``
        attributes, then ``args_wd_mult``.
        """
        self.wd_mult = {}
        for n in self.idx2name.values():
            if not (n.endswith("_weight") or n.endswith("_gamma")):
                self.wd_mult[n] = 0.0
        if self.sym_info:
            attr, arg_names = self.sym_info
            for name in arg_names:
                if name in attr and "__wd_mult__" in attr[name]:
                    self.wd_mult[name] = float(attr[name]["__wd_mult__"])
        self.wd_mult.update(args_wd_mult)

    # ----------------------------------------------------------------- counts, lr, wd
    def _set_current_context(self, device_id: int) -> None:
        """Switch the per-index update counts to those of device ``device_id``."""
        if device_id not in self._all_index_update_counts:
            self._all_index_update_counts[device_id] = {}
        self._index_update_count = self._all_index_update_counts[device_id]

    def _update_count(self, index) -> None:
        """Count one update of ``index`` (an index or a list of them); advance ``num_update``."""
        counts = self._index_update_count
        for idx in index if isinstance(index, (list, tuple)) else (index,):
            c = counts.get(idx, self.begin_num_update) + 1
            counts[idx] = c
            if c > self.num_update:
                self.num_update = c

    def _get_lrs(self, indices) -> list[float]:
        lr = self.lr_scheduler(self.num_update) if self.lr_scheduler is not None else self.lr
        out = []
        for index in indices:
            if index in self.param_dict:
                out.append(lr * self.param_dict[index].lr_mult)
            elif index in self.lr_mult:
                out.append(lr * self.lr_mult[index])
            elif index in self.idx2name:
                out.append(lr * self.lr_mult.get(self.idx2name[index], 1.0))
            else:
                out.append(lr)
        return out

    def _get_lr(self, index) -> float:
        """The learning rate of ``index``: the current rate times its ``lr_mult``."""
        return self._get_lrs([index])[0]

    def _get_wds(self, indices) -> list[float]:
        out = []
        for index in indices:
            if index in self.param_dict:
                out.append(self.wd * self.param_dict[index].wd_mult)
            elif index in self.wd_mult:
                out.append(self.wd * self.wd_mult[index])
            elif index in self.idx2name:
                out.append(self.wd * self.wd_mult.get(self.idx2name[index], 1.0))
            else:
                out.append(self.wd)
        return out

    def _get_wd(self, index) -> float:
        """The weight decay of ``index``: ``wd`` times its ``wd_mult``."""
        return self._get_wds([index])[0]

    # ----------------------------------------------------------------- states and updates
    def create_state(self, index, weight: NDArray):
        """The auxiliary state of one weight (momentum, moments, ...); ``None`` if none."""
        return None

    def create_state_multi_precision(self, index, weight: NDArray):
        """:meth:`create_state`, plus a float32 master copy for low-precision weights.

        With ``multi_precision`` and a float16/bfloat16 weight the state is
        ``(weight_float32, create_state(index, weight_float32))``.
        """
        if self.multi_precision and is_low_precision(weight):
            master = weight.astype(np.float32)
            return (master, self.create_state(index, master))
        if weight._tensor.dtype == torch.float16 and not self.multi_precision:
            warnings.warn("Accumulating with float16 in optimizer can lead to poor accuracy or slow convergence. "
                          "Consider using multi_precision=True option of the optimizer", stacklevel=2)
        return self.create_state(index, weight)

    def update(self, index, weight: NDArray, grad: NDArray, state) -> None:
        """Update ``weight`` in place from ``grad`` and ``state``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement update()")

    def update_multi_precision(self, index, weight: NDArray, grad: NDArray, state) -> None:
        """:meth:`update`, through the float32 master copy when there is one."""
        if self.multi_precision and is_low_precision(weight) and isinstance(state, (tuple, list)):
            master, inner = state
            grad32 = _wrap(grad._tensor.float(), grad._ctx)
            self.update(index, master, grad32, inner)
            with M.no_grad():
                weight._tensor.copy_(master._tensor)
        else:
            self.update(index, weight, grad, state)

    def update_multi(self, indices, weights, grads, states) -> None:
        """Update several weights (lists, one dtype) in one call.

        Rules with fused multi-tensor kernels override this; the default applies
        :meth:`update_multi_precision` the way MXNet's updater does: in chunks of
        ``aggregate_num`` for rules that aggregate (LARS, LAMB), else one by one.
        """
        n = self.aggregate_num
        if n > 0 and type(self).update_multi_precision is not Optimizer.update_multi_precision:
            for s in range(0, len(indices), n):
                self.update_multi_precision(list(indices[s:s + n]), list(weights[s:s + n]),
                                            list(grads[s:s + n]), list(states[s:s + n]))
        else:
            for i, w, g, st in zip(indices, weights, grads, states):
                self.update_multi_precision(i, w, g, st)

    # ----------------------------------------------------------------- pickling
    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("param_dict", None)  # set again by the Trainer
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


register = Optimizer.register
create = Optimizer.create_optimizer


def aggregation_size(default: str) -> int:
    """``MXNET_OPTIMIZER_AGGREGATION_SIZE`` (how many weights one fused call takes in MXNet)."""
    return int(os.getenv("MXNET_OPTIMIZER_AGGREGATION_SIZE", default))


class Updater:
    """Applies an optimizer to ``(index, grad, weight)``, creating and keeping the states.

    Called by kvstores and by ``gluon.Trainer``. ``index``, ``grad`` and ``weight`` may be
    lists; weights of one dtype are then updated together through
    :meth:`Optimizer.update_multi` (fused kernels where the rule has them).

    States are saved with :meth:`get_states` as bytes in gluonic's own format (an NDArray
    file with a JSON header; no pickle), and restored with :meth:`set_states`.
    """

    def __init__(self, optimizer: Optimizer):
        self.optimizer = optimizer
        self.states: dict = {}
        self.states_synced: dict = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def __call__(self, index, grad, weight) -> None:
        if isinstance(index, (list, tuple)):
            indices, grads, weights = list(index), list(grad), list(weight)
        else:
            indices, grads, weights = [index], [grad], [weight]
        opt = self.optimizer
        if weights:
            opt._set_current_context(weights[0]._ctx.device_id)
        states = self.states
        for i, idx in enumerate(indices):
            if isinstance(idx, bytes):
                idx = indices[i] = idx.decode()
            if idx not in states:
                states[idx] = opt.create_state_multi_precision(idx, weights[i])
                self.states_synced[idx] = True
            elif not self.states_synced[idx]:
                states[idx] = self.sync_state_context(states[idx], weights[i].context)
                self.states_synced[idx] = True
        if len(indices) == 1:
            opt.update_multi_precision(indices[0], weights[0], grads[0], states[indices[0]])
            return
        by_dtype: dict = {}
        for i, w, g in zip(indices, weights, grads):
            by_dtype.setdefault(w._tensor.dtype, []).append((i, w, g))
        for group in by_dtype.values():
            idx, ws, gs = zip(*group)
            opt.update_multi(list(idx), list(ws), list(gs), [states[i] for i in idx])

    def sync_state_context(self, state, context):
        """``state`` with every array moved to ``context``."""
        if isinstance(state, NDArray):
            return state.as_in_context(context)
        if isinstance(state, (tuple, list)):
            synced = [self.sync_state_context(s, context) for s in state]
            return tuple(synced) if isinstance(state, tuple) else synced
        return state

    def get_states(self, dump_optimizer: bool = False) -> bytes:
        """The states as bytes (with the optimizer's settings and counts if ``dump_optimizer``)."""
        from ._serialize import dump_states

        return dump_states(self.states, self.optimizer if dump_optimizer else None)

    def set_states(self, states: bytes) -> None:
        """Restore states from :meth:`get_states` bytes (and the optimizer, if it was dumped)."""
        from ._serialize import load_states

        loaded, optimizer = load_states(states)
        self.states = loaded
        if optimizer is not None:
            self.optimizer = optimizer
        self.states_synced = dict.fromkeys(self.states, False)


def get_updater(optimizer: Optimizer) -> Updater:
    """An :class:`Updater` for ``optimizer`` (the closure that kvstores call)."""
    return Updater(optimizer)
