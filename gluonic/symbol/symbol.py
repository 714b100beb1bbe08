"""``Symbol``: a graph of registered ops, built by calling ``sym.<op>`` on Symbols.

This module holds the graph core: variables, composition, listing arguments/outputs,
internals, attributes, and shape/dtype inference (forward through each op's meta-tensor
rule, backward through its ``infer_inputs`` rule, as MXNet infers FullyConnected weights
from the data). Serialization, executors and compilation build on it.

Example
-------
>>> import gluonic as mx
>>> data = mx.sym.var("data")
>>> net = mx.sym.FullyConnected(data, num_hidden=10, name="fc1")
>>> net.list_arguments()
['data', 'fc1_weight', 'fc1_bias']
>>> net.infer_shape(data=(4, 20))[0]
[(4, 20), (10, 20), (10,)]
"""
from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .. import _dtype
from .. import name as _name
from ..base import GluonicTypeError, GluonicValueError, MXNetError, NotImplementedForSymbol, numeric_types
from ..ops import registry
from ..ops.attrs import format_attr
from ..ops.infer import infer

__all__ = ["Symbol", "var", "Variable", "Group"]


class _Node:
    """One graph node: a variable (``op is None``) or an op applied to (node, output index) pairs."""

    __slots__ = ("op", "name", "attrs", "raw_attrs", "inputs", "present", "user_attrs", "is_aux")

    def __init__(self, op, name: str, attrs=None, raw_attrs=None, inputs=(), present=None, user_attrs=None,
                 is_aux=False):
        self.op = op
        self.name = name
        self.attrs = attrs  # parsed Attrs
        self.raw_attrs = dict(raw_attrs or {})  # the attributes as given, MXNet's strings (what JSON stores)
        self.inputs: list[tuple[_Node, int]] = list(inputs)
        self.present = present  # names of the op's inputs that are connected (absent optional ones left out)
        self.user_attrs: dict[str, str] = dict(user_attrs or {})
        self.is_aux = is_aux

    def num_outputs(self) -> int:
        return 1 if self.op is None else self.op.count_outputs(self.attrs)

    def output_name(self, i: int) -> str:
        if self.op is None:
            return self.name
        names = self.op.output_names
        n = self.num_outputs()
        if n == 1:
            return f"{self.name}_{names[0] if names else 'output'}"
        label = names[i] if i < len(names) else f"output{i}"
        return f"{self.name}_{label}"


def _topo(heads: Sequence[tuple[_Node, int]]) -> list[_Node]:
    """Nodes reachable from ``heads`` in topological order (inputs first, DFS order like MXNet)."""
    order: list[_Node] = []
    seen: set[int] = set()
    stack = [(n, False) for n, _ in reversed(heads)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child, _ in reversed(node.inputs):
            if id(child) not in seen:
                stack.append((child, False))
    return order


class Symbol:
    """A symbolic graph with one or more outputs (MXNet's ``mx.sym.Symbol``)."""

    __slots__ = ("_outputs",)
    _is_symbol = True
    __array_priority__ = 1000.0

    def __init__(self, outputs: Sequence[tuple[_Node, int]]):
        self._outputs = list(outputs)

    # ------------------------------------------------------------------ identity
    @property
    def name(self) -> str | None:
        if len(self._outputs) != 1:
            return None
        return self._outputs[0][0].name

    def __repr__(self) -> str:
        if len(self._outputs) == 1:
            return f"<Symbol {self.name}>"
        return f"<Symbol group [{', '.join(n.name for n, _ in self._outputs)}]>"

    def __iter__(self) -> Iterator[Symbol]:
        return (self.__class__([o]) for o in self._outputs)

    def __len__(self) -> int:
        return len(self._outputs)

    def __getitem__(self, index) -> Symbol:
        if isinstance(index, str):
            names = self.list_outputs()
            matches = [i for i, n in enumerate(names) if n == index]
            if not matches:
                raise GluonicValueError(f"Cannot find output that matches name '{index}'. Received: outputs {names}")
            if len(matches) > 1:
                raise GluonicValueError(f"There are multiple outputs with name '{index}'")
            index = matches[0]
        if isinstance(index, slice):
            return self.__class__(self._outputs[index])
        if not isinstance(index, int):
            raise GluonicTypeError(f"Symbol index must be an int, slice or output name. Received: {index!r}")
        if index >= len(self._outputs) or index < -len(self._outputs):
            raise IndexError(f"Symbol has {len(self._outputs)} outputs. Received: index {index}")
        return self.__class__([self._outputs[index]])

    def __copy__(self) -> Symbol:
        return self.__class__(list(self._outputs))

    def __deepcopy__(self, memo) -> Symbol:
        return self.__copy__()

    # ------------------------------------------------------------------ listing
    def _nodes(self) -> list[_Node]:
        return _topo(self._outputs)

    def list_arguments(self) -> list[str]:
        """Names of the input variables that are not auxiliary states, in graph order."""
        return [n.name for n in self._nodes() if n.op is None and not n.is_aux]

    def list_auxiliary_states(self) -> list[str]:
        """Names of auxiliary states (BatchNorm's moving_mean/moving_var)."""
        return [n.name for n in self._nodes() if n.op is None and n.is_aux]

    def list_inputs(self) -> list[str]:
        """All input variables: arguments and auxiliary states."""
        return [n.name for n in self._nodes() if n.op is None]

    def list_outputs(self) -> list[str]:
        return [n.output_name(i) for n, i in self._outputs]

    def get_internals(self) -> Symbol:
        """A group of every output of every node (``net.get_internals()['fc1_output']``)."""
        outs = []
        for n in self._nodes():
            outs.extend((n, i) for i in range(n.num_outputs()))
        return Symbol(outs)

    def get_children(self) -> Symbol | None:
        """The inputs of this (single-output) symbol's node, grouped; None for a variable."""
        node = self._outputs[0][0]
        return Symbol(node.inputs) if node.inputs else None

    # ------------------------------------------------------------------ attributes
    def attr(self, key: str) -> str | None:
        node = self._outputs[0][0]
        if key in node.user_attrs:
            return node.user_attrs[key]
        return node.raw_attrs.get(key)

    def list_attr(self, recursive: bool = False) -> dict[str, str]:
        if recursive:
            raise GluonicValueError("Symbol.list_attr with recursive=True is removed; use attr_dict() instead.")
        node = self._outputs[0][0]
        return {**{k: format_attr(v) if not isinstance(v, str) else v for k, v in node.raw_attrs.items()},
                **node.user_attrs}

    def attr_dict(self) -> dict[str, dict[str, str]]:
        """``{node name: {attribute: value}}`` for every node that has attributes."""
        out = {}
        for n in self._nodes():
            attrs = {**{k: v if isinstance(v, str) else format_attr(v) for k, v in n.raw_attrs.items()},
                     **n.user_attrs}
            if attrs:
                out[n.name] = attrs
        return out

    def _set_attr(self, **kwargs) -> None:
        node = self._outputs[0][0]
        for k, v in kwargs.items():
            if not isinstance(v, str):
                raise GluonicValueError(f"Set Attr only accepts string values. Received: {k}={v!r}")
            node.user_attrs[k] = v

    # ------------------------------------------------------------------ inference
    def infer_shape(self, *args, **kwargs):
        """``(arg_shapes, out_shapes, aux_shapes)`` from known input shapes; Nones if undecidable."""
        arg, out, aux, complete = self._infer_shape(args, kwargs)
        if not complete:
            unknown = [n for n, s in zip(self.list_arguments(), arg) if not _is_known(s)]
            warnings.warn(f"Cannot decide shape for the following arguments (0s in shape means unknown "
                          f"dimensions). Consider providing them as input: {unknown}", stacklevel=2)
            return None, None, None
        return arg, out, aux

    def infer_shape_partial(self, *args, **kwargs):
        """Like :meth:`infer_shape` but returns what could be inferred (unknown dims as 0, () if nothing)."""
        arg, out, aux, _ = self._infer_shape(args, kwargs)
        return ([s or () for s in arg], [s or () for s in out], [s or () for s in aux])

    def _infer_shape(self, args, kwargs):
        nodes = self._nodes()
        known = self._seed_inputs(nodes, args, kwargs, "__shape__", _parse_shape)
        shapes: dict[tuple[int, int], tuple | None] = {}
        for n in nodes:
            if n.op is None:
                shapes[(id(n), 0)] = known.get(n.name)
        for _ in range(8):  # forward passes with backward completion; nets converge in 1-2, fused RNNs in 4
            changed = False
            for n in nodes:
                if n.op is None:
                    continue
                in_shapes = [shapes.get((id(c), i)) for c, i in n.inputs]
                if n.op.infer_inputs is not None and not all(_is_known(s) for s in in_shapes):
                    out_shapes = [shapes.get((id(n), i)) for i in range(n.num_outputs())]
                    completed = n.op.infer_inputs(in_shapes, n.attrs, out_shapes)
                    for (c, i), old, new in zip(n.inputs, in_shapes, completed):
                        if new is not None and not _is_known(old) and _is_known(new):
                            shapes[(id(c), i)] = tuple(new)
                            changed = True
                    in_shapes = [shapes.get((id(c), i)) for c, i in n.inputs]
                if all(_is_known(s) for s in in_shapes) and (id(n), 0) not in shapes:
                    dtypes = [np.float32] * len(in_shapes)
                    try:
                        outs = infer(n.op, _with_absent(n, in_shapes), _with_absent(n, dtypes), n.attrs)
                    except MXNetError as e:
                        raise GluonicValueError(f"Error in operator {n.name}: {e}") from None
                    for i, (s, _) in enumerate(outs):
                        shapes[(id(n), i)] = s
                    changed = True
            if not changed:
                break
        arg = [shapes.get((id(n), 0)) for n in nodes if n.op is None and not n.is_aux]
        aux = [shapes.get((id(n), 0)) for n in nodes if n.op is None and n.is_aux]
        out = [shapes.get((id(n), i)) for n, i in self._outputs]
        complete = all(_is_known(s) for s in arg + aux + out)
        return arg, out, aux, complete

    def infer_type(self, *args, **kwargs):
        """``(arg_types, out_types, aux_types)`` from known input dtypes.

        Dtypes propagate forward through each op's meta-tensor rule (where shapes are known
        from ``__shape__`` attributes) and backward to unknown inputs, as MXNet's type
        inference does (see :mod:`gluonic.symbol._type_infer`). Inputs that stay undecided
        default to float32, where MXNet returned ``(None, None, None)``.
        """
        from ._type_infer import as_type, entry_shapes, infer_types

        nodes = self._nodes()
        args = tuple(None if v is None else as_type(v) for v in args)
        kwargs = {k: None if v is None else as_type(v) for k, v in kwargs.items()}
        known = self._seed_inputs(nodes, args, kwargs, "__dtype__", as_type)
        types = infer_types(nodes, known, entry_shapes(self, {}))
        arg = [types[(id(n), 0)] for n in nodes if n.op is None and not n.is_aux]
        aux = [types[(id(n), 0)] for n in nodes if n.op is None and n.is_aux]
        out = [types[(id(n), i)] for n, i in self._outputs]
        return arg, out, aux

    def _seed_inputs(self, nodes, args, kwargs, attr_key, parse) -> dict[str, Any]:
        inputs = [n for n in nodes if n.op is None]
        known: dict[str, Any] = {}
        for n in inputs:
            if attr_key in n.user_attrs:
                known[n.name] = parse(n.user_attrs[attr_key])
        if args:
            names = [n.name for n in inputs if not n.is_aux]
            if len(args) > len(names):
                raise GluonicValueError(f"Too many positional arguments: the symbol has inputs {names}. "
                                        f"Received: {len(args)} values")
            known.update({k: v for k, v in zip(names, args) if v is not None})
        names = {n.name for n in inputs}
        for k, v in kwargs.items():
            if k not in names:
                raise GluonicValueError(f"Unknown input '{k}'; the symbol's inputs are {sorted(names)}. "
                                        f"Received: {k}={v!r}")
            if v is not None:
                known[k] = parse(v) if isinstance(v, str) else (tuple(v) if attr_key == "__shape__" else v)
        return known

    # ------------------------------------------------------------------ serialization and evaluation
    def tojson(self) -> str:
        """MXNet's JSON text of the graph."""
        from .serialize import tojson

        return tojson(self)

    def save(self, fname: str, remove_amp_cast: bool = True) -> None:
        """Write the graph to ``fname`` in MXNet's ``-symbol.json`` format."""
        from .serialize import save

        save(self, fname, remove_amp_cast)

    def eval(self, ctx=None, **kwargs):
        """Evaluate the graph on NDArrays given by input name; returns a list of NDArrays."""
        from .evaluate import run

        values = {k: v if ctx is None else v.as_in_context(ctx) for k, v in kwargs.items()}
        return run(self, values)

    # ------------------------------------------------------------------ NDArray-only features
    def asnumpy(self):
        raise NotImplementedForSymbol(self.asnumpy, None)

    def asscalar(self):
        raise NotImplementedForSymbol(self.asscalar, None)

    @property
    def shape(self):
        raise NotImplementedForSymbol(Symbol.shape, None)

    def __bool__(self):
        raise NotImplementedForSymbol(self.__bool__, "bool")

    # ------------------------------------------------------------------ operators
    def __add__(self, o):
        return _arith(self, o, "elemwise_add", "_plus_scalar")

    def __radd__(self, o):
        return _arith(self, o, None, "_plus_scalar")

    def __sub__(self, o):
        return _arith(self, o, "elemwise_sub", "_minus_scalar")

    def __rsub__(self, o):
        return _arith(self, o, None, "_rminus_scalar")

    def __mul__(self, o):
        return _arith(self, o, "elemwise_mul", "_mul_scalar")

    def __rmul__(self, o):
        return _arith(self, o, None, "_mul_scalar")

    def __truediv__(self, o):
        return _arith(self, o, "elemwise_div", "_div_scalar")

    def __rtruediv__(self, o):
        return _arith(self, o, None, "_rdiv_scalar")

    def __mod__(self, o):
        return _arith(self, o, "_mod", "_mod_scalar")

    def __rmod__(self, o):
        return _arith(self, o, None, "_rmod_scalar")

    def __pow__(self, o):
        return _arith(self, o, "_power", "_power_scalar")

    def __rpow__(self, o):
        return _arith(self, o, None, "_rpower_scalar")

    def __neg__(self):
        return _arith(self, -1.0, None, "_mul_scalar")  # as MXNet writes -x (a _mulscalar node)

    def __eq__(self, o):
        return _arith(self, o, "_equal", "_equal_scalar")

    def __ne__(self, o):
        return _arith(self, o, "_not_equal", "_not_equal_scalar")

    def __gt__(self, o):
        return _arith(self, o, "_greater", "_greater_scalar")

    def __ge__(self, o):
        return _arith(self, o, "_greater_equal", "_greater_equal_scalar")

    def __lt__(self, o):
        return _arith(self, o, "_lesser", "_lesser_scalar")

    def __le__(self, o):
        return _arith(self, o, "_lesser_equal", "_lesser_equal_scalar")

    __hash__ = object.__hash__

    def reshape(self, *shape, **kwargs) -> Symbol:
        if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
            shape = tuple(shape[0])
        if shape:
            kwargs["shape"] = shape
        return _apply("Reshape", [self], kwargs)

    # ------------------------------------------------------------------ executors (symbol/executor.py)
    def bind(self, ctx, args, args_grad=None, grad_req="write", aux_states=None, group2ctx=None, shared_exec=None):
        """An :class:`~gluonic.symbol.executor.Executor` over ``args`` (list in ``list_arguments()`` order, or dict).

        ``args_grad`` (list or dict; a dict may name only some arguments) receives the
        gradients; ``grad_req`` is ``'write'``/``'add'``/``'null'`` or a list/dict of them.
        The arrays are used as they are (not copied). ``group2ctx`` is accepted and ignored
        (one device per executor).

        >>> # ex = net.bind(mx.cpu(), {"data": x, "fc1_weight": w, "fc1_bias": b})
        """
        from .executor import bind

        return bind(self, ctx, args, args_grad, grad_req, aux_states, group2ctx, shared_exec)

    def simple_bind(self, ctx, grad_req="write", type_dict=None, stype_dict=None, group2ctx=None,
                    shared_arg_names=None, shared_exec=None, shared_buffer=None, **kwargs):
        """An executor with zero arrays allocated from input shapes (``data=(32, 784)``) and dtypes (``type_dict``).

        Missing shapes and dtypes are inferred. Storage types (``stype_dict``) are accepted
        but arrays are dense. ``shared_exec`` + ``shared_arg_names`` reuse another
        executor's arrays of the same shape; ``shared_buffer`` (name → NDArray) is reused
        for other arguments where large enough and filled with new allocations otherwise.

        >>> # ex = net.simple_bind(mx.cpu(), data=(32, 784))
        """
        from .executor import simple_bind

        return simple_bind(self, ctx, grad_req, type_dict, stype_dict, group2ctx, shared_arg_names, shared_exec,
                           shared_buffer, **kwargs)


# The node names MXNet gives arithmetic written with Python operators (``a + b`` is ``_plus0``,
# ``a * 2`` is ``_mulscalar0``): exported files then name their nodes as MXNet's do.
_ARITH_NAMES = {
    "elemwise_add": "_plus", "elemwise_sub": "_minus", "elemwise_mul": "_mul", "elemwise_div": "_div",
    "_plus_scalar": "_plusscalar", "_minus_scalar": "_minusscalar", "_rminus_scalar": "_rminusscalar",
    "_mul_scalar": "_mulscalar", "_div_scalar": "_divscalar", "_rdiv_scalar": "_rdivscalar",
    "_mod_scalar": "_modscalar", "_rmod_scalar": "_rmodscalar", "_power_scalar": "_powerscalar",
}


def _arith(lhs: Symbol, rhs, sym_op: str | None, scalar_op: str) -> Symbol:
    if isinstance(rhs, Symbol) and sym_op is not None:
        return _apply(sym_op, [lhs, rhs], {}, hint=_ARITH_NAMES.get(sym_op))
    if isinstance(rhs, numeric_types):
        return _apply(scalar_op, [lhs], {"scalar": float(rhs)}, hint=_ARITH_NAMES.get(scalar_op))
    raise GluonicTypeError(f"Symbol arithmetic takes a Symbol or a number. Received: {type(rhs).__name__}")


def _apply(op_name: str, inputs: list, attr_kwargs: dict, name: str | None = None, hint: str | None = None) -> Symbol:
    from ._compose import compose

    return compose(registry.get(op_name), inputs, attr_kwargs, name, hint)


def _is_known(shape) -> bool:
    return shape is not None and all(d > 0 for d in shape)


def _with_absent(node: _Node, values: list) -> list:
    """Pad with None for optional inputs absent from the node (e.g. no bias)."""
    if node.op.variadic or node.present is None:
        return values
    it = iter(values)
    return [next(it) if nm in node.present else None for nm in node.op.inputs]


def _parse_shape(s) -> tuple:
    if isinstance(s, str):
        import ast

        v = ast.literal_eval(s)
        s = tuple(v) if isinstance(v, (list, tuple)) else (v,)
    # NumPy-shape files (MXNet np mode) mark an unknown dimension with -1 where legacy files use 0.
    return tuple(0 if d is not None and d < 0 else d for d in s)


def _parse_dtype(s):
    if isinstance(s, str) and s.strip().isdigit():  # MXNet stores __dtype__ as its type code
        return _dtype.from_torch(_dtype.MX_CODE_TYPE[int(s)])
    return _dtype.from_torch(_dtype.to_torch(s))  # bfloat16 keeps its structured dtype


def var(name: str, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None, stype=None,
        **kwargs) -> Symbol:
    """A variable (an input of the graph) named ``name``.

    ``shape`` may contain 0 for unknown dimensions; ``init`` is an Initializer or name.
    """
    if not isinstance(name, str):
        raise GluonicTypeError(f"Expect a string for variable `name`. Received: {name!r}")
    user = dict(attr or {})
    if shape is not None:
        user["__shape__"] = str(tuple(shape))
    if lr_mult is not None:
        user["__lr_mult__"] = str(lr_mult)
    if wd_mult is not None:
        user["__wd_mult__"] = str(wd_mult)
    if dtype is not None:
        d = _dtype.np_dtype(dtype)
        user["__dtype__"] = str(_dtype.MX_TYPE_CODE[_dtype.to_torch(d)])
    if init is not None:
        user["__init__"] = init if isinstance(init, str) else init.dumps()
    if stype is not None and stype != "default":
        user["__storage_type__"] = stype
    for k, v in kwargs.items():
        if k.startswith("__") and k.endswith("__"):
            user[k] = str(v)
        else:
            raise GluonicValueError(f"Attribute name={k} is not supported. Additional attributes must start "
                                    "and end with double underscores, e.g, __yourattr__")
    return Symbol([(_Node(None, name, user_attrs=user), 0)])


Variable = var


def Group(symbols: Sequence[Symbol]) -> Symbol:  # noqa: N802 (MXNet's name)
    """One symbol whose outputs are the outputs of ``symbols``."""
    if not symbols or any(not isinstance(s, Symbol) for s in symbols):
        raise GluonicTypeError(f"Expected a list of symbols as input. Received: {symbols!r}")
    outs = []
    for s in symbols:
        outs.extend(s._outputs)
    return Symbol(outs)


def substitute(sym: Symbol, mapping: dict[str, Symbol]) -> Symbol:
    """A copy of ``sym`` with the input variables named in ``mapping`` replaced by those symbols."""
    for name, value in mapping.items():
        if len(value._outputs) != 1:
            raise GluonicValueError(f"substitute: '{name}' must be replaced by a single-output symbol")
    swapped_vars: dict[int, tuple[_Node, int]] = {}
    copies: dict[int, _Node] = {}

    def entry(node: _Node, i: int) -> tuple[_Node, int]:
        if id(node) in swapped_vars:
            return swapped_vars[id(node)]
        return (copies.get(id(node), node), i)

    for n in sym._nodes():
        if n.op is None:
            if n.name in mapping:
                swapped_vars[id(n)] = mapping[n.name]._outputs[0]
            continue
        inputs = [entry(c, i) for c, i in n.inputs]
        if any(new[0] is not old for new, (old, _) in zip(inputs, n.inputs)):
            copies[id(n)] = _Node(n.op, n.name, n.attrs, n.raw_attrs, inputs, n.present, n.user_attrs, n.is_aux)
    return Symbol([entry(n, i) for n, i in sym._outputs])


def _name_for(op, name: str | None, hint: str | None = None) -> str:
    return _name.current().get(name, hint or op.name.lower())
