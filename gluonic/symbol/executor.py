"""``Executor``: a Symbol bound to arrays (MXNet's ``sym.bind`` / ``sym.simple_bind``).

An executor holds one array per argument (``arg_arrays``), per argument gradient
(``grad_arrays``, ``None`` where no gradient is kept) and per auxiliary state
(``aux_arrays``). ``forward`` runs the graph through the reference interpreter
(:func:`gluonic.symbol.evaluate.run`), recording with ``autograd`` when some argument
wants a gradient; ``backward`` sends head gradients back, and the gradients land in
``grad_arrays`` following each argument's ``grad_req`` (``'write'``, ``'add'``, ``'null'``).
BatchNorm's moving statistics in ``aux_arrays`` are updated in place by a training forward.

Example
-------
>>> import gluonic as mx
>>> a, b = mx.sym.var("a"), mx.sym.var("b")
>>> ex = (2 * a + b).bind(mx.cpu(), {"a": mx.nd.array([1, 2]), "b": mx.nd.array([2, 3])},
...                       args_grad={"a": mx.nd.zeros(2), "b": mx.nd.zeros(2)})
>>> ex.forward(is_train=True)[0].asnumpy()
array([4., 7.], dtype=float32)
>>> ex.backward(mx.nd.ones(2))
>>> ex.grad_dict["a"].asnumpy()
array([2., 2.], dtype=float32)
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

from .. import _dtype, autograd
from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ..context import Context
from ..ndarray.ndarray import NDArray, _wrap
from ._type_infer import as_type, entry_shapes, infer_types
from .evaluate import run
from .symbol import Symbol, _is_known

__all__ = ["Executor", "bind", "simple_bind"]

_GRAD_REQS = ("null", "write", "add")
# Heads whose backward needs no gradient from above (MXNet's loss layers, and BlockGrad).
_LOSS_OPS = frozenset({
    "SoftmaxOutput", "LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput",
    "SVMOutput", "MakeLoss", "make_loss", "BlockGrad",
})


class Executor:
    """A bound graph: run it with :meth:`forward`, differentiate it with :meth:`backward`.

    Create executors with :meth:`Symbol.bind` or :meth:`Symbol.simple_bind`, not directly.

    Attributes
    ----------
    arg_arrays, grad_arrays, aux_arrays : list of NDArray
        In ``list_arguments()`` / ``list_auxiliary_states()`` order; ``grad_arrays`` holds
        ``None`` for arguments without a gradient.
    outputs : list of NDArray
        The results of the last forward pass. The same NDArray objects are refilled by
        each forward, so a reference kept before ``forward`` sees the new values, as in MXNet.
    """

    def __init__(self, symbol: Symbol, ctx: Context, arg_arrays: list, grad_arrays: list, aux_arrays: list,
                 grad_req, reqs: list[str], group2ctx=None):
        self._symbol = symbol
        self._arg_names = symbol.list_arguments()
        self._aux_names = symbol.list_auxiliary_states()
        self._ctx = ctx
        self._grad_req = grad_req
        self._group2ctx = group2ctx
        self.arg_arrays = arg_arrays
        self.grad_arrays = grad_arrays
        self.aux_arrays = aux_arrays
        self._reqs = [r if g is not None else "null" for r, g in zip(reqs, grad_arrays)]
        self._monitor: tuple[Callable, bool] | None = None
        self._recorded = False
        self._dicts: dict[str, dict] = {}
        self.outputs = self._allocate_outputs()
        for arr, grad, req in zip(self.arg_arrays, self.grad_arrays, self._reqs):
            if req != "null":
                autograd.mark_variables([arr], [grad], [req])

    def _allocate_outputs(self) -> list[NDArray]:
        arg_names, aux_names = self._arg_names, self._aux_names
        shapes = {n: a.shape for n, a in zip(arg_names, self.arg_arrays)}
        shapes.update({n: a.shape for n, a in zip(aux_names, self.aux_arrays)})
        types = {n: a.dtype for n, a in zip(arg_names, self.arg_arrays)}
        types.update({n: a.dtype for n, a in zip(aux_names, self.aux_arrays)})
        _, out_shapes, _, complete = _checked_shapes(self._symbol, shapes)
        if not complete:
            return []
        nodes = self._symbol._nodes()
        all_types = infer_types(nodes, types, entry_shapes(self._symbol, shapes))
        out_types = [all_types[(id(n), i)] for n, i in self._symbol._outputs]
        return [_zeros(s, t, self._ctx) for s, t in zip(out_shapes, out_types)]

    # ------------------------------------------------------------------ running
    def forward(self, is_train: bool = False, **kwargs) -> list[NDArray]:
        """Compute the outputs; ``kwargs`` first copy new values into arguments by name.

        ``is_train`` selects training behaviour (Dropout active, BatchNorm on batch
        statistics and updating its moving statistics).

        Raises
        ------
        TypeError
            For an argument name the symbol does not have.
        ValueError
            For a value whose shape differs from the bound argument's.
        """
        if kwargs:
            arg_dict = self.arg_dict
            for name, value in kwargs.items():
                if not isinstance(value, (NDArray, np.ndarray)):
                    raise GluonicValueError(
                        f"Executor.forward: keyword arguments must be NDArrays or numpy arrays. "
                        f"Received: {name}={type(value).__name__}")
                if name not in arg_dict:
                    raise GluonicTypeError(
                        f"Unknown argument {name}; the symbol's arguments are {list(arg_dict)}. Received: {name}=...")
                dst = arg_dict[name]
                if tuple(dst.shape) != tuple(value.shape):
                    raise GluonicValueError(
                        f"Shape not match! Argument {name}, need: {dst.shape}, received: {tuple(value.shape)}")
                src = value._tensor if isinstance(value, NDArray) else torch.from_numpy(np.ascontiguousarray(value))
                dst._assign(src.to(device=dst._tensor.device, dtype=dst._tensor.dtype))
        values = dict(zip(self._arg_names, self.arg_arrays))
        values.update(zip(self._aux_names, self.aux_arrays))
        need_grad = any(r != "null" for r in self._reqs)
        scope = autograd.record(train_mode=is_train) if need_grad else autograd.pause(train_mode=is_train)
        with scope:
            results = self._run_monitored(values) if self._monitor is not None else run(self._symbol, values)
        if len(self.outputs) != len(results):
            self.outputs = [_wrap(r._tensor, r._ctx) for r in results]
        else:
            for out, r in zip(self.outputs, results):
                out._tensor, out._ctx = r._tensor, r._ctx
        self._recorded = need_grad
        return self.outputs

    def _run_monitored(self, values: dict) -> list[NDArray]:
        callback, monitor_all = self._monitor
        internals = self._symbol.get_internals()
        computed = dict(zip(((id(n), i) for n, i in internals._outputs), run(internals, values)))
        for n in self._symbol._nodes():
            if n.op is None:
                continue
            if monitor_all:
                names = ([f"arg{i}" for i in range(len(n.inputs))] if n.op.variadic
                         else list(n.present or n.op.inputs))
                for (c, i), nm in zip(n.inputs, names):
                    callback(f"{n.name}_{nm}", computed[(id(c), i)])
            for i in range(n.num_outputs()):
                callback(n.output_name(i), computed[(id(n), i)])
        return [computed[(id(n), i)] for n, i in self._symbol._outputs]

    def backward(self, out_grads=None, is_train: bool = True) -> None:
        """Send ``out_grads`` (one per output; NDArray, list, or dict by output name) back.

        Outputs that are loss layers (``SoftmaxOutput``, ``MakeLoss``, the regression
        outputs, ``BlockGrad``) need no head gradient; others do, as in MXNet. Gradients
        go to ``grad_arrays``: overwritten for ``'write'``, accumulated for ``'add'``.
        Calling backward twice after one forward accumulates twice with ``'add'``, as in MXNet.
        """
        if all(r == "null" for r in self._reqs):
            return
        if not self._recorded:
            raise GluonicValueError("Executor.backward needs a forward pass first. Received: backward() before "
                                    "forward()")
        if out_grads is None:
            out_grads = []
        elif isinstance(out_grads, NDArray):
            out_grads = [out_grads]
        elif isinstance(out_grads, dict):
            out_grads = [out_grads.get(k) for k in self._symbol.list_outputs()]
        out_grads = list(out_grads)
        for g in out_grads:
            if g is not None and not isinstance(g, NDArray):
                raise GluonicTypeError(f"Executor.backward: out_grads must be NDArrays. Received: {type(g).__name__}")
        heads, head_grads = [], []
        for k, (out, (node, _)) in enumerate(zip(self.outputs, self._symbol._outputs)):
            g = out_grads[k] if k < len(out_grads) else None
            if not out._tensor.requires_grad:
                continue
            if g is None:
                if node.op is None or node.op.name not in _LOSS_OPS:
                    raise GluonicValueError(
                        f"Executor.backward: output {k} ('{self._symbol.list_outputs()[k]}') is not a loss layer, "
                        "so its head gradient is required: pass backward(out_grads=[...]) or end the graph with "
                        f"MakeLoss. Received: {len(out_grads)} out_grads for {len(self.outputs)} outputs")
                g = _wrap(torch.ones_like(out._tensor), out._ctx)
            elif tuple(g.shape) != tuple(out.shape):
                raise GluonicValueError(
                    f"Executor.backward: head gradient {k} must have the output's shape {out.shape}. "
                    f"Received: {g.shape}")
            heads.append(out)
            head_grads.append(g)
        with torch.no_grad():
            for grad, req in zip(self.grad_arrays, self._reqs):
                if req == "write":  # MXNet writes zeros for arguments the heads do not depend on
                    grad._tensor.zero_()
        if heads:
            autograd.backward(heads, head_grads, retain_graph=True)

    # ------------------------------------------------------------------ named views
    def _named(self, key: str, names: list[str], arrays: list) -> dict:
        if key not in self._dicts:
            if len(set(names)) != len(names):
                raise GluonicValueError(f"Duplicate names detected, {names}")
            self._dicts[key] = dict(zip(names, arrays))
        return self._dicts[key]

    @property
    def arg_dict(self) -> dict[str, NDArray]:
        """``{argument name: array}``."""
        return self._named("arg", self._arg_names, self.arg_arrays)

    @property
    def grad_dict(self) -> dict[str, NDArray | None]:
        """``{argument name: gradient array or None}``."""
        return self._named("grad", self._arg_names, self.grad_arrays)

    @property
    def aux_dict(self) -> dict[str, NDArray]:
        """``{auxiliary state name: array}``."""
        return self._named("aux", self._aux_names, self.aux_arrays)

    @property
    def output_dict(self) -> dict[str, NDArray]:
        """``{output name: array}`` (``'fc1_output'``)."""
        names = self._symbol.list_outputs()
        if len(set(names)) != len(names):
            raise GluonicValueError(f"Duplicate names detected, {names}")
        return dict(zip(names, self.outputs))

    # ------------------------------------------------------------------ parameters and shapes
    def copy_params_from(self, arg_params: dict, aux_params: dict | None = None,
                         allow_extra_params: bool = False) -> None:
        """Copy ``arg_params``/``aux_params`` (name → NDArray) into the bound arrays (cast to their dtypes).

        Raises ValueError for a name the executor lacks unless ``allow_extra_params``.
        """
        for params, table, kind in ((arg_params, self.arg_dict, "arguments"),
                                    (aux_params or {}, self.aux_dict, "auxiliary states")):
            for name, array in params.items():
                if name not in table:
                    if allow_extra_params:
                        continue
                    raise GluonicValueError(f'Find name "{name}" that is not in the {kind}. Received: '
                                            f"{name}; the executor's {kind} are {list(table)}")
                dst = table[name]
                if tuple(array.shape) != tuple(dst.shape):
                    raise GluonicValueError(f"copy_params_from: '{name}' has shape {dst.shape} in the executor. "
                                            f"Received: shape {tuple(array.shape)}")
                dst._assign(array._tensor.to(device=dst._tensor.device, dtype=dst._tensor.dtype))

    def reshape(self, partial_shaping: bool = False, allow_up_sizing: bool = False, **kwargs) -> Executor:
        """A new executor for new input shapes, sharing memory with this one.

        Arrays that shrink become views of the old memory; arrays that grow need
        ``allow_up_sizing=True`` (new memory); arrays whose shape changes without being
        named in ``kwargs`` need ``partial_shaping=True``. Don't run both executors at once.

        >>> # ex2 = ex.reshape(data=(16, 100))   # a smaller batch, same weights
        """
        names, aux_names = self._arg_names, self._aux_names
        arg_shapes, _, aux_shapes, complete = _checked_shapes(self._symbol, {k: tuple(v) for k, v in kwargs.items()})
        if not complete:
            unknown = [n for n, s in zip(names, arg_shapes) if not _is_known(s)]
            raise GluonicValueError(f"Executor.reshape: cannot infer the shapes of {unknown}; give them as keyword "
                                    f"arguments. Received: {kwargs}")
        args, grads = [], []
        for name, arr, grad, shape in zip(names, self.arg_arrays, self.grad_arrays, arg_shapes):
            args.append(_resized("arg", name, arr, shape, name in kwargs, partial_shaping, allow_up_sizing, self._ctx))
            grads.append(None if grad is None else _resized("grad", name, grad, shape, True, True, True, self._ctx))
        aux = [_resized("aux", name, arr, shape, name in kwargs, partial_shaping, allow_up_sizing, self._ctx)
               for name, arr, shape in zip(aux_names, self.aux_arrays, aux_shapes)]
        ex = Executor(self._symbol, self._ctx, args, grads, aux, self._grad_req, self._reqs, self._group2ctx)
        ex._monitor = self._monitor
        return ex

    # ------------------------------------------------------------------ inspection
    def set_monitor_callback(self, callback: Callable, monitor_all: bool = False) -> None:
        """Call ``callback(name, array)`` for every op output on each forward (``'fc1_output'``).

        With ``monitor_all=True``, op inputs are reported too (``'fc1_data'``, ``'fc1_weight'``).
        Unlike MXNet, ``array`` is an NDArray rather than a raw handle.
        """
        self._monitor = (callback, bool(monitor_all))

    def debug_str(self) -> str:
        """A text listing of the bound graph: outputs, variables, and each op with its inputs and attributes."""
        nodes = self._symbol._nodes()
        lines = ["Symbol Outputs:"]
        lines += [f"\toutput[{k}]={n.name}({i})" for k, (n, i) in enumerate(self._symbol._outputs)]
        for n in nodes:
            if n.op is None:
                lines.append(f"Variable:{n.name}")
                continue
            lines += ["-" * 20, f"Op:{n.op.name}, Name={n.name}", "Inputs:"]
            for k, (c, i) in enumerate(n.inputs):
                lines.append(f"\targ[{k}]={c.name}({i})" + (" version=0" if c.op is None else ""))
            if n.raw_attrs:
                lines.append("Attrs:")
                lines += [f"\t{k}={v}" for k, v in sorted(n.raw_attrs.items())]
        nbytes = sum(a._tensor.numel() * a._tensor.element_size()
                     for a in [*self.arg_arrays, *self.aux_arrays, *self.outputs, *self.grad_arrays] if a is not None)
        lines.append(f"Total {nbytes >> 20} MB allocated")
        return "\n".join(lines) + "\n"

    def get_optimized_symbol(self) -> Symbol:
        """The bound symbol (gluonic runs it as written)."""
        return self._symbol


# ---------------------------------------------------------------------- helpers
def _zeros(shape, dtype, ctx: Context) -> NDArray:
    return _wrap(torch.zeros(tuple(shape), dtype=_dtype.to_torch(dtype), device=ctx.torch_device), ctx)


def _checked_shapes(sym: Symbol, shapes: dict):
    """``sym._infer_shape`` with errors that name the argument whose shape disagrees with the others."""
    try:
        return sym._infer_shape((), shapes)
    except MXNetError as e:
        culprit = _diagnose(sym, shapes)
        if culprit is None:
            raise
        name, expected, received = culprit
        raise GluonicValueError(f"Shape of argument '{name}' does not match the graph: expected {expected} "
                                f"from the other inputs, received {received}. ({e})") from None


def _diagnose(sym: Symbol, shapes: dict):
    """The first input whose given shape differs from what the other inputs imply, if one does."""
    arg_names, aux_names = sym.list_arguments(), sym.list_auxiliary_states()
    for name in [n for n in arg_names + aux_names if n in shapes]:
        others = {k: v for k, v in shapes.items() if k != name}
        try:
            arg, _, aux, _ = sym._infer_shape((), others)
        except MXNetError:
            continue
        inferred = dict(zip(arg_names, arg))
        inferred.update(zip(aux_names, aux))
        if _is_known(inferred.get(name)) and tuple(inferred[name]) != tuple(shapes[name]):
            return name, tuple(inferred[name]), tuple(shapes[name])
    return None


def _resized(kind: str, name: str, arr: NDArray, shape, named: bool, partial: bool, up: bool, ctx) -> NDArray:
    shape = tuple(shape)
    if tuple(arr.shape) == shape:
        return arr
    if not (named or partial):
        raise GluonicValueError(
            f"Executor.reshape: the shape of unspecified array {kind}:{name} changes from {arr.shape} to {shape}, "
            "so the new executor would not share it with the old one. If this is intended, pass "
            f"partial_shaping=True. Received: reshape({kind} shapes for {name!r} not given)")
    size = math.prod(shape)
    if size > arr.size:
        if not up:
            raise GluonicValueError(
                f"Executor.reshape: new shape of {kind}: {name} {shape} is larger than the original {arr.shape}. "
                "Making a big executor first and then down sizing it is more efficient; to allocate new arrays "
                "pass allow_up_sizing=True.")
        return _zeros(shape, arr.dtype, ctx)
    return _wrap(arr._tensor.detach().reshape(-1)[:size].view(shape), arr._ctx)


def _as_list(kind: str, values, names: list[str], allow_missing: bool) -> list:
    if isinstance(values, dict):
        out = []
        for n in names:
            if n in values:
                out.append(values[n])
            elif allow_missing:
                out.append(None)
            else:
                raise GluonicValueError(f"key `{n}` is missing in `{kind}`. Received: keys {sorted(values)}; "
                                        f"the symbol needs {names}")
    elif isinstance(values, (list, tuple)):
        if len(values) != len(names):
            raise GluonicValueError(f"Length of {kind} does not match the number of arguments {names}. "
                                    f"Received: {len(values)} arrays")
        out = list(values)
    else:
        raise GluonicTypeError(f"Only accept list of NDArrays or dict of str to NDArray for `{kind}`. "
                               f"Received: {type(values).__name__}")
    for n, v in zip(names, out):
        if v is not None and not isinstance(v, NDArray):
            raise GluonicTypeError(f"`{kind}` must hold NDArrays. Received: {n}={type(v).__name__}")
    return out


def _reqs(grad_req, names: list[str]) -> list[str]:
    if isinstance(grad_req, str):
        reqs = [grad_req] * len(names)
    elif isinstance(grad_req, (list, tuple)):
        if len(grad_req) != len(names):
            raise GluonicValueError(f"grad_req list must have one entry per argument {names}. "
                                    f"Received: {len(grad_req)} entries")
        reqs = list(grad_req)
    elif isinstance(grad_req, dict):
        reqs = [grad_req.get(n, "null") for n in names]
    else:
        raise GluonicTypeError(f"grad_req must be a str, list or dict. Received: {type(grad_req).__name__}")
    for r in reqs:
        if r not in _GRAD_REQS:
            raise GluonicValueError(f"grad_req must be in {list(_GRAD_REQS)}. Received: {r!r}")
    return reqs


def _check_ctx(ctx) -> Context:
    if not isinstance(ctx, Context):
        raise GluonicTypeError(f"Context type error: ctx must be an mx.Context such as mx.cpu(). Received: {ctx!r}")
    return ctx


def bind(sym: Symbol, ctx: Context, args, args_grad=None, grad_req="write", aux_states=None, group2ctx=None,
         shared_exec=None) -> Executor:
    """:meth:`Symbol.bind`: an executor over the given arrays (used as they are, not copied)."""
    ctx = _check_ctx(ctx)
    names, aux_names = sym.list_arguments(), sym.list_auxiliary_states()
    arg_arrays = _as_list("args", args, names, False)
    grad_arrays = [None] * len(names) if args_grad is None else _as_list("args_grad", args_grad, names,
                                                                        isinstance(args_grad, dict))
    aux_arrays = _as_list("aux_states", aux_states if aux_states is not None else [], aux_names, False)
    for n, g, a in zip(names, grad_arrays, arg_arrays):
        if g is not None and tuple(g.shape) != tuple(a.shape):
            raise GluonicValueError(f"Shape of args_grad for argument '{n}' must match the argument: expected "
                                    f"{a.shape}, received {g.shape}")
    return Executor(sym, ctx, arg_arrays, grad_arrays, aux_arrays, grad_req, _reqs(grad_req, names), group2ctx)


def simple_bind(sym: Symbol, ctx: Context, grad_req="write", type_dict=None, stype_dict=None, group2ctx=None,
                shared_arg_names=None, shared_exec=None, shared_buffer=None, **kwargs) -> Executor:
    """:meth:`Symbol.simple_bind`: allocate zero arrays from input shapes (``kwargs``) and dtypes (``type_dict``)."""
    ctx = _check_ctx(ctx)
    names, aux_names = sym.list_arguments(), sym.list_auxiliary_states()
    shapes = {k: tuple(v) for k, v in kwargs.items()}
    arg_shapes, _, aux_shapes, complete = _checked_shapes(sym, shapes)
    if not complete:
        unknown = [n for n, s in zip(names + aux_names, arg_shapes + aux_shapes) if not _is_known(s)]
        raise GluonicValueError(
            f"simple_bind cannot decide the shapes of {unknown}; give them as keyword arguments, e.g. "
            f"simple_bind(ctx, {unknown[0]}=(...)). Received: shapes for {sorted(shapes)}")
    known_types = {k: as_type(v) for k, v in (type_dict or {}).items()}
    types = infer_types(sym._nodes(), known_types, entry_shapes(sym, shapes))
    var_types = {n.name: types[(id(n), 0)] for n in sym._nodes() if n.op is None}
    reqs = _reqs(grad_req, names)
    shared = set(shared_arg_names or ()) if shared_exec is not None else set()
    args, grads = [], []
    for name, shape, req in zip(names, arg_shapes, reqs):
        dtype = var_types[name]
        if name in shared and name in shared_exec.arg_dict and shared_exec.arg_dict[name].shape == shape:
            args.append(shared_exec.arg_dict[name])
            grads.append(shared_exec.grad_dict.get(name) if req != "null" else None)
            continue
        if shared_buffer is not None and name not in shared:
            arr = shared_buffer.get(name)
            if arr is None or arr.size < math.prod(shape) or arr.dtype != dtype:
                arr = shared_buffer[name] = _zeros(shape, dtype, ctx)
            elif arr.shape != shape:
                arr = _wrap(arr._tensor.detach().reshape(-1)[:math.prod(shape)].view(shape), arr._ctx)
            args.append(arr)
        else:
            args.append(_zeros(shape, dtype, ctx))
        floating = dtype is _dtype.bfloat16 or np.dtype(dtype).kind == "f"
        grads.append(_zeros(shape, dtype, ctx) if req != "null" and floating else None)
    aux = []
    for name, shape in zip(aux_names, aux_shapes):
        if name in shared and name in shared_exec.aux_dict and shared_exec.aux_dict[name].shape == shape:
            aux.append(shared_exec.aux_dict[name])
        else:
            aux.append(_zeros(shape, var_types[name], ctx))
    return Executor(sym, ctx, args, grads, aux, grad_req, reqs, group2ctx)
