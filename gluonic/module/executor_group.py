"""The executors behind a :class:`~gluonic.module.Module`: one per context, each on a slice of the batch.

With one context (the usual case) there is one executor and the batch goes to it whole.
With several, the batch is split along each input's batch axis (the ``'N'`` of its
``DataDesc.layout``) in proportion to ``work_load_list``, as MXNet's
``DataParallelExecutorGroup`` does; outputs and input gradients are concatenated back.
Parameters are shared by name between executors bound for different shapes (``reshape``).
"""
from __future__ import annotations

import logging
from collections import OrderedDict

import torch

from .. import _dtype
from ..base import GluonicTypeError, GluonicValueError
from ..context import Context, cpu
from ..io import DataDesc
from ..ndarray.ndarray import NDArray, _wrap

__all__ = ["ExecutorGroup", "split_input_slice"]


def split_input_slice(batch_size: int, work_load_list: list) -> list[slice]:
    """Split ``range(batch_size)`` into one slice per device, sized in proportion to the workloads (rounded as MXNet rounds).

    >>> split_input_slice(10, [1, 1, 2])
    [slice(0, 2, None), slice(2, 4, None), slice(4, 10, None)]
    """
    total = float(sum(work_load_list))
    sizes = [round(w * batch_size / total) for w in work_load_list]
    sizes[-1] += batch_size - sum(sizes)
    slices, begin = [], 0
    for n in sizes:
        end = min(begin + int(n), batch_size)
        if begin >= end:
            raise GluonicValueError(
                f"Too many slices: splitting a batch of {batch_size} over {len(work_load_list)} contexts leaves "
                f"some of them empty. Received: batch_size={batch_size}, work_load_list={work_load_list}")
        slices.append(slice(begin, end))
        begin = end
    return slices


def _as_tensor(x) -> torch.Tensor:
    if isinstance(x, NDArray):
        return x._tensor
    if isinstance(x, torch.Tensor):
        return x
    return torch.as_tensor(x)


def _copy_into(dst: NDArray, src, what: str) -> None:
    t = _as_tensor(src)
    if tuple(t.shape) != tuple(dst.shape):
        raise GluonicValueError(f"Module: {what} must have shape {dst.shape}. Received: shape {tuple(t.shape)}")
    dst._assign(t.detach())


def _grad_reqs(grad_req, arg_names, param_names, data_names, fixed, inputs_need_grad) -> dict[str, str]:
    """Per-argument grad_req: parameters get ``grad_req`` (``'null'`` if fixed), data only with ``inputs_need_grad``."""
    if isinstance(grad_req, (list, tuple)):
        if len(grad_req) != len(arg_names):
            raise GluonicValueError(f"grad_req list must have one entry per argument {arg_names}. "
                                    f"Received: {len(grad_req)} entries")
        return dict(zip(arg_names, grad_req))
    if not isinstance(grad_req, (str, dict)):
        raise GluonicValueError(f"grad_req must be one of str, list, tuple, or dict. Received: {grad_req!r}")
    default = grad_req if isinstance(grad_req, str) else "write"
    reqs = {}
    for k in arg_names:
        if k in param_names:
            reqs[k] = "null" if k in fixed else default
        elif k in data_names:
            reqs[k] = default if inputs_need_grad else "null"
        else:
            reqs[k] = "null"
    if isinstance(grad_req, dict):
        reqs.update(grad_req)
    return reqs


class ExecutorGroup:
    """Executors for a list of contexts, fed slices of each batch (MXNet's ``DataParallelExecutorGroup``)."""

    def __init__(self, symbol, contexts: list[Context], workload: list, data_shapes: list[DataDesc],
                 label_shapes: list[DataDesc] | None, param_names: list[str], for_training: bool,
                 inputs_need_grad: bool, shared_group: ExecutorGroup | None = None, logger=logging,
                 fixed_param_names=None, grad_req="write", state_names=None, group2ctxs=None):
        self.symbol = symbol
        self.contexts = contexts
        self.workload = workload
        self.param_names = param_names
        self.arg_names = symbol.list_arguments()
        self.aux_names = symbol.list_auxiliary_states()
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.logger = logger
        self.fixed_param_names = list(fixed_param_names or [])
        self.state_names = list(state_names or [])
        self.group2ctxs = _group2ctxs(group2ctxs, len(contexts))
        self.grad_req = _grad_reqs("null" if not for_training else grad_req, self.arg_names, param_names,
                                   [d.name for d in data_shapes], self.fixed_param_names, inputs_need_grad)
        self.shared_data_arrays = (shared_group.shared_data_arrays if shared_group is not None
                                   else [{} for _ in contexts])
        self.output_names = symbol.list_outputs()
        self.output_layouts = [DataDesc.get_batch_axis(symbol[i].attr("__layout__"))
                               for i in range(len(self.output_names))]
        self.execs: list = []
        self._default_execs: list | None = None
        self.batch_size: int | None = None
        self.slices: list[slice] = []
        self.bind_exec(data_shapes, label_shapes, shared_group)

    # ------------------------------------------------------------------ binding
    def _decide_slices(self, shapes: list[DataDesc]) -> list[int]:
        axes = [DataDesc.get_batch_axis(d.layout) for d in shapes]
        for d, axis in zip(shapes, axes):
            if axis == -1:
                continue
            size = d.shape[axis]
            if self.batch_size is None:
                self.batch_size = size
                self.slices = split_input_slice(size, self.workload)
            elif size != self.batch_size:
                raise GluonicValueError(f"all data must have the same batch size: batch_size = {self.batch_size}, "
                                        f"but {d.name} has shape {d.shape}")
        return axes

    def _sliced(self, shapes: list[DataDesc], i: int, axes: list[int]) -> list[DataDesc]:
        out = []
        for d, axis in zip(shapes, axes):
            shape = list(d.shape)
            if axis >= 0:
                shape[axis] = self.slices[i].stop - self.slices[i].start
            out.append(DataDesc(d.name, tuple(shape), d.dtype, d.layout))
        return out

    def bind_exec(self, data_shapes, label_shapes, shared_group=None, reshape: bool = False) -> None:
        self.batch_size = None
        self.data_layouts = self._decide_slices(data_shapes)
        self.label_layouts = self._decide_slices(label_shapes) if label_shapes is not None else []
        for i in range(len(self.contexts)):
            shapes = self._sliced(data_shapes, i, self.data_layouts)
            if label_shapes is not None:
                shapes += self._sliced(label_shapes, i, self.label_layouts)
            if reshape:
                self.execs[i] = self._default_execs[i].reshape(allow_up_sizing=True,
                                                               **{d.name: d.shape for d in shapes})
            else:
                self.execs.append(self._bind_ith(i, shapes, shared_group))
        self.data_shapes = data_shapes
        self.label_shapes = label_shapes
        self.data_names = [d.name for d in data_shapes]
        self.label_names = [d.name for d in label_shapes] if label_shapes is not None else []
        self._collect_arrays()

    def _bind_ith(self, i: int, shapes: list[DataDesc], shared_group):
        attrs = self.symbol.attr_dict()
        types = {}
        for d in shapes:
            code = attrs.get(d.name, {}).get("__dtype__")
            types[d.name] = _dtype.MX_CODE_TYPE[int(code)] if code not in (None, "-1") else d.dtype
        return self.symbol.simple_bind(
            ctx=self.contexts[i], grad_req=self.grad_req, type_dict=types, shared_arg_names=self.param_names,
            shared_exec=None if shared_group is None else shared_group.execs[i], group2ctx=self.group2ctxs[i],
            shared_buffer=self.shared_data_arrays[i], **{d.name: d.shape for d in shapes})

    def _collect_arrays(self) -> None:
        names, execs = self.arg_names, self.execs
        self.data_arrays = [[e.arg_dict[n] for e in execs] for n in self.data_names]
        self.label_arrays = [[e.arg_dict[n] for e in execs] for n in self.label_names]
        self.state_arrays = [[e.arg_dict[n] for e in execs] for n in self.state_names]
        self.param_arrays = [[e.arg_arrays[i] for e in execs] for i, n in enumerate(names) if n in self.param_names]
        self.grad_arrays = ([[e.grad_arrays[i] for e in execs] for i, n in enumerate(names) if n in self.param_names]
                            if self.for_training else None)
        self.input_grad_arrays = ([[e.grad_arrays[names.index(n)] for e in execs] for n in self.data_names
                                   if n in names] if self.inputs_need_grad else None)
        self.aux_arrays = [[e.aux_arrays[i] for e in execs] for i in range(len(self.aux_names))]

    def reshape(self, data_shapes, label_shapes) -> None:
        """Rebind for new input shapes, sharing parameters with the executors bound first."""
        if data_shapes == self.data_shapes and label_shapes == self.label_shapes:
            return
        if self._default_execs is None:
            self._default_execs = list(self.execs)
        self.bind_exec(data_shapes, label_shapes, reshape=True)

    # ------------------------------------------------------------------ parameters
    def set_params(self, arg_params: dict, aux_params: dict, allow_extra: bool = False) -> None:
        for e in self.execs:
            e.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)

    def get_params(self, arg_params: dict, aux_params: dict) -> None:
        """Copy the device values (averaged over devices) into the CPU arrays of ``arg_params``/``aux_params``."""
        with torch.no_grad():
            for names, blocks, out in ((self.param_names, self.param_arrays, arg_params),
                                       (self.aux_names, self.aux_arrays, aux_params)):
                for name, block in zip(names, blocks):
                    dst = out[name]
                    mean = block[0]._tensor if len(block) == 1 else \
                        sum(w._tensor.to(dst._tensor.device) for w in block) / len(block)
                    dst._assign(mean.to(device=dst._tensor.device, dtype=dst._tensor.dtype))

    # ------------------------------------------------------------------ running
    def _load(self, sources, targets, axes, what: str) -> None:
        if len(sources) < len(targets):
            raise GluonicValueError(f"Module: the batch has {len(sources)} {what} arrays, the module is bound with "
                                    f"{len(targets)}. Received: {len(sources)} arrays")
        for src, dsts, axis in zip(sources, targets, axes):
            if isinstance(src, (list, tuple)):  # pre-sliced, one per device
                for s, d in zip(src, dsts):
                    _copy_into(d, s, what)
                continue
            t = _as_tensor(src)
            for sl, dst in zip(self.slices, dsts):
                piece = t if axis < 0 or (sl.start == 0 and sl.stop == t.shape[axis]) else \
                    t.narrow(axis, sl.start, sl.stop - sl.start)
                _copy_into(dst, piece, what)

    def forward(self, data_batch, is_train: bool | None = None) -> None:
        if isinstance(data_batch, list):
            data = [[b.data[i] for b in data_batch] for i in range(len(self.data_arrays))]
            labels = [[b.label[i] for b in data_batch] for i in range(len(self.label_arrays))] \
                if data_batch and data_batch[0].label else None
        else:
            data, labels = data_batch.data, data_batch.label
        if data is None:
            raise GluonicTypeError("Module.forward: the batch has no data. Received: data=None")
        self._load(data, self.data_arrays, self.data_layouts, "data")
        if self.label_arrays and labels:
            self._load(labels, self.label_arrays, self.label_layouts, "label")
        if is_train is None:
            is_train = self.for_training
        for e in self.execs:
            e.forward(is_train=is_train)

    def backward(self, out_grads=None) -> None:
        if not self.for_training:
            raise _state_error("Module.backward: re-bind with for_training=True to run backward. "
                               "Received: a module bound with for_training=False")
        if out_grads is None:
            out_grads = []
        elif isinstance(out_grads, NDArray):
            out_grads = [out_grads]
        for i, (e, sl) in enumerate(zip(self.execs, self.slices)):
            mine = []
            for g, axis in zip(out_grads, self.output_layouts):
                t = g._tensor
                if axis >= 0 and len(self.execs) > 1:
                    t = t.narrow(axis, sl.start, sl.stop - sl.start)
                mine.append(_wrap(t.to(self.contexts[i].torch_device), self.contexts[i]))
            e.backward(out_grads=mine)

    def get_output_shapes(self) -> list[tuple[str, tuple]]:
        shapes = []
        for name, out, axis in zip(self.output_names, self.execs[0].outputs, self.output_layouts):
            shape = list(out.shape)
            if axis >= 0:
                shape[axis] = self.batch_size
            shapes.append((name, tuple(shape)))
        return shapes

    def _merge(self, per_output: list[list[NDArray]], axes: list[int]) -> list[NDArray]:
        merged = []
        for arrays, axis in zip(per_output, axes):
            if axis < 0 or len(arrays) == 1:
                merged.append(arrays[0])
            else:
                dev = arrays[0]._tensor.device
                merged.append(_wrap(torch.cat([a._tensor.detach().to(dev) for a in arrays], dim=axis),
                                    arrays[0]._ctx))
        return merged

    def get_outputs(self, merge_multi_context: bool = True, begin: int = 0, end: int | None = None):
        end = len(self.output_names) if end is None else end
        outputs = [[e.outputs[i] for e in self.execs] for i in range(begin, end)]
        return self._merge(outputs, self.output_layouts[begin:end]) if merge_multi_context else outputs

    def get_input_grads(self, merge_multi_context: bool = True):
        if merge_multi_context:
            return self._merge(self.input_grad_arrays, self.data_layouts)
        return self.input_grad_arrays

    def get_states(self, merge_multi_context: bool = True):
        if merge_multi_context:
            raise GluonicValueError("merge_multi_context=True is not supported for get_states yet. "
                                    "Received: merge_multi_context=True")
        return self.state_arrays

    def set_states(self, states=None, value=None) -> None:
        if (states is None) == (value is None):
            raise GluonicValueError("set_states: give exactly one of states and value. "
                                    f"Received: states={'given' if states is not None else None}, value={value}")
        for k, dsts in enumerate(self.state_arrays):
            for j, dst in enumerate(dsts):
                if states is not None:
                    _copy_into(dst, states[k][j], f"state '{self.state_names[k]}'")
                else:
                    dst[:] = value

    def update_metric(self, eval_metric, labels, pre_sliced: bool = False) -> None:
        for k, (e, sl) in enumerate(zip(self.execs, self.slices)):
            if pre_sliced:
                mine = labels[k]
            else:
                mine = []
                for label, axis in zip(labels, self.label_layouts or [0] * len(labels)):
                    if axis >= 0 and len(self.execs) > 1:
                        t = _as_tensor(label).narrow(axis, sl.start, sl.stop - sl.start)
                        label = _wrap(t, label._ctx if isinstance(label, NDArray) else cpu())
                    mine.append(label)
            names = self.label_names or [f"label{i}" for i in range(len(mine))]
            eval_metric.update_dict(OrderedDict(zip(names, mine)), OrderedDict(zip(self.output_names, e.outputs)))

    def install_monitor(self, mon) -> None:
        for e in self.execs:
            mon.install(e)


def _state_error(message: str):
    from .base_module import ModuleStateError

    return ModuleStateError(message)


def _group2ctxs(group2ctxs, n: int) -> list:
    """One ``{ctx_group: Context}`` (or None) per device from MXNet's three accepted forms."""
    if group2ctxs is None:
        return [None] * n
    if isinstance(group2ctxs, list):
        if len(group2ctxs) != n:
            raise GluonicValueError(f"length of group2ctxs should be {n}. Received: {len(group2ctxs)}")
        return group2ctxs
    if isinstance(group2ctxs, dict):
        out: list[dict] = [{} for _ in range(n)]
        for group, ctxs in group2ctxs.items():
            ctxs = [ctxs] * n if isinstance(ctxs, Context) else list(ctxs)
            if len(ctxs) == 1:
                ctxs = ctxs * n
            if len(ctxs) != n:
                raise GluonicValueError(f"length of group2ctxs[{group}] should be {n} or 1. Received: {len(ctxs)}")
            for i in range(n):
                out[i][group] = ctxs[i]
        return out
    raise GluonicTypeError("group2ctxs should be list of dict of str to context, or dict of str to context or "
                           f"list of context. Received: {type(group2ctxs).__name__}")
