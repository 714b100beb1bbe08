"""The ONNX graph builder that conversion rules write into, and the ``onnx_rule`` decorator.

A conversion rule is a function ``rule(ctx) -> str | list[str]`` attached to a registry
entry (``registry.get("Flatten").onnx = rule``; :func:`onnx_rule` does it for the op and
all its aliases). ``ctx`` is a :class:`NodeContext`: the node's name, parsed attributes,
the ONNX names of its inputs with their (partly known) shapes, dtypes and constant
values, and methods that add ONNX nodes and constants. The rule returns the ONNX names
of the op's outputs, in MXNet's output order.

Shapes seen by rules hold ``None`` for dimensions that vary at run time (the batch axis
of a ``dynamic=True`` export); a rule that needs such a dimension reads it from the graph
(``ctx.dim(x, axis)``) instead of baking a number in.

Example::

    @onnx_rule("Flatten")
    def _flatten(ctx):
        return ctx.op("Flatten", ctx.x, axis=1)
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..base import GluonicValueError
from ..ops import registry

__all__ = ["onnx_rule", "GraphBuilder", "NodeContext", "OnnxExportError"]

OnnxExportError = GluonicValueError


def onnx_rule(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach the decorated conversion to the registry entries ``names`` (aliases included).

    Names that gluonic does not register are skipped, so rules can cover optional ops.
    """

    def deco(fn):
        for n in names:
            op = registry.find(n)
            if op is not None:
                op.onnx = fn
        return fn

    return deco


def _onnx():
    from . import _require_onnx

    return _require_onnx()


class GraphBuilder:
    """Collects ONNX nodes, initializers and the constant values known at export time."""

    def __init__(self, opset: int):
        self.opset = opset
        self.nodes: list = []
        self.initializers: dict[str, np.ndarray] = {}  # ONNX name -> value (params, constants, folded)
        self._names: set[str] = set()
        self._const_cache: dict[tuple, str] = {}

    def fresh(self, hint: str) -> str:
        """A tensor/node name not used yet, based on ``hint``."""
        hint = hint or "t"
        name, k = hint, 0
        while name in self._names:
            k += 1
            name = f"{hint}_{k}"
        self._names.add(name)
        return name

    def reserve(self, name: str) -> None:
        self._names.add(name)

    def add_node(self, op_type: str, inputs: Sequence[str], outputs: Sequence[str], name: str, **attrs) -> None:
        helper = _onnx().helper
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(helper.make_node(op_type, list(inputs), list(outputs), name=name, **attrs))

    def const(self, value, dtype=None, hint: str = "const") -> str:
        """An initializer holding ``value`` (deduplicated for small constants)."""
        arr = np.asarray(value, dtype=dtype)
        key = None
        if arr.size <= 16:
            key = (arr.dtype.str, arr.shape, arr.tobytes())
            hit = self._const_cache.get(key)
            if hit is not None:
                return hit
        name = self.fresh(hint)
        self.initializers[name] = arr
        if key is not None:
            self._const_cache[key] = name
        return name

    def value(self, name: str) -> np.ndarray | None:
        return self.initializers.get(name)


class NodeContext:
    """What a conversion rule sees of one MXNet node (see the module docstring).

    Attributes: ``name`` (the MXNet node name), ``op_name``, ``attrs`` (parsed), ``inputs``
    (ONNX names of the connected inputs, in order), ``input_names`` (their MXNet input names),
    ``in_shapes``/``in_dtypes``, ``out_shapes``/``out_dtypes``, ``opset``.
    """

    def __init__(self, g: GraphBuilder, node, inputs, in_shapes, in_dtypes, out_shapes, out_dtypes):
        self.g = g
        self.node = node
        self.name = node.name
        self.op_name = node.op.name
        self.attrs = node.attrs
        self.inputs: list[str] = list(inputs)
        if node.op.variadic or node.present is None:
            self.input_names = tuple(node.op.inputs[: len(inputs)]) if not node.op.variadic else ()
        else:
            self.input_names = tuple(node.present)
        self.in_shapes = list(in_shapes)
        self.in_dtypes = list(in_dtypes)
        self.out_shapes = list(out_shapes)
        self.out_dtypes = list(out_dtypes)
        self.opset = g.opset
        self._shapes: dict[str, tuple] = dict(zip(self.inputs, self.in_shapes))
        self._dtypes: dict[str, np.dtype] = dict(zip(self.inputs, self.in_dtypes))

    # ------------------------------------------------------------------ inputs
    @property
    def x(self) -> str:
        """The first input (``data``)."""
        return self.inputs[0]

    def input(self, mx_name: str) -> str | None:
        """The ONNX name of the MXNet input ``mx_name`` (``'bias'``), or None if not connected."""
        if mx_name in self.input_names:
            return self.inputs[self.input_names.index(mx_name)]
        return None

    def shape(self, x: str | int) -> tuple:
        """Shape of ``x`` (an ONNX name or input index): ints, ``None`` for run-time dimensions."""
        if isinstance(x, int):
            return self.in_shapes[x]
        if x in self._shapes:
            return self._shapes[x]
        raise GluonicValueError(f"ONNX export: internal error, no shape recorded for '{x}' in node '{self.name}'")

    def rank(self, x: str | int) -> int:
        return len(self.shape(x))

    def dtype(self, x: str | int) -> np.dtype:
        if isinstance(x, int):
            return np.dtype(self.in_dtypes[x])
        return np.dtype(self._dtypes.get(x, self.in_dtypes[0] if self.in_dtypes else np.float32))

    def value(self, x: str | int) -> np.ndarray | None:
        """The constant value of ``x`` if it is known at export time (a parameter), else None."""
        if isinstance(x, int):
            x = self.inputs[x]
        return self.g.value(x)

    def _note(self, name: str, shape, dtype) -> None:
        if shape is not None:
            self._shapes[name] = tuple(shape)
        if dtype is not None:
            self._dtypes[name] = np.dtype(dtype)

    # ------------------------------------------------------------------ building
    def op(self, op_type: str, *inputs: str | None, outputs: int = 1, shape=None, dtype=None, **attrs):
        """Add an ONNX node; returns its output name (a list when ``outputs > 1``).

        ``shape``/``dtype`` may record what the rule knows of the (first) output, for later
        ``ctx.shape(...)`` calls (``dtype`` may be a list, one per output; outputs without
        a recorded dtype are taken to have the first input's). Trailing ``None`` inputs are
        dropped; inner ones become "".
        """
        ins = list(inputs)
        while ins and ins[-1] is None:
            ins.pop()
        ins = ["" if i is None else i for i in ins]
        node_name = self.g.fresh(f"{self.name}/{op_type}")
        outs = [self.g.fresh(f"{node_name}:{k}") for k in range(outputs)]
        self.g.add_node(op_type, ins, outs, node_name, **attrs)
        if isinstance(dtype, (list, tuple)):
            for o, dt in zip(outs, dtype):
                self._note(o, None, dt)
            dtype = None
        elif dtype is None and op_type in _OUTPUT_TYPES:
            for o in outs:
                self._dtypes[o] = np.dtype(_OUTPUT_TYPES[op_type])
        elif dtype is None and op_type == "Cast":
            from ._dtypes import onnx_to_np

            self._dtypes[outs[0]] = onnx_to_np(attrs["to"])
        elif dtype is None and ins and ins[0] in self._dtypes:  # most ONNX ops keep their first input's type
            for o in outs:
                self._dtypes[o] = self._dtypes[ins[0]]
        self._note(outs[0], shape, dtype)
        return outs if outputs > 1 else outs[0]

    def const(self, value, dtype=None, hint: str | None = None) -> str:
        """A constant tensor (an initializer); ``dtype`` defaults to ``value``'s."""
        name = self.g.const(value, dtype, hint or f"{self.name}/const")
        arr = self.g.value(name)
        self._note(name, arr.shape, arr.dtype)
        return name

    def ints(self, values: Sequence[int]) -> str:
        """A 1-D int64 constant (for shapes, axes, pads given as inputs)."""
        return self.const(np.asarray(list(values), dtype=np.int64).reshape(-1), hint=f"{self.name}/ints")

    def scalar(self, v: float, like: str | int | np.dtype = 0) -> str:
        """A 0-d constant in the dtype of ``like`` (an input name/index, or a dtype)."""
        dt = like if isinstance(like, np.dtype) else self.dtype(like)
        return self.const(np.asarray(v, dtype=dt))

    def cast(self, x: str, dtype) -> str:
        dt = np.dtype(dtype)
        if self.dtype(x) == dt:
            return x
        return self.op("Cast", x, to=tensor_type(dt), dtype=dt, shape=self._shapes.get(x))

    # ------------------------------------------------------------------ helpers used by many rules
    def shape_of(self, x: str) -> str:
        """Run-time shape of ``x`` (int64 1-D)."""
        return self.op("Shape", x, dtype=np.int64, shape=(self.rank(x),) if x in self._shapes else None)

    def dim(self, x: str, axis: int) -> str:
        """Dimension ``axis`` of ``x`` as a 1-element int64 tensor (a constant when known statically)."""
        r = self.rank(x)
        axis = axis % r
        d = self.shape(x)[axis]
        if d is not None:
            return self.ints([d])
        return self.op("Slice", self.shape_of(x), self.ints([axis]), self.ints([axis + 1]), dtype=np.int64, shape=(1,))

    def dims(self, x: str, start: int, stop: int | None = None) -> str:
        """Dimensions ``start:stop`` of ``x`` (int64 1-D), constant when all are known."""
        r = self.rank(x)
        stop = r if stop is None else stop
        start, stop = max(0, start % r if start < 0 else start), stop % r if stop < 0 else min(stop, r)
        known = self.shape(x)[start:stop]
        if all(d is not None for d in known):
            return self.ints(known)
        return self.op("Slice", self.shape_of(x), self.ints([start]), self.ints([stop]), dtype=np.int64,
                       shape=(stop - start,))

    def concat_ints(self, parts: Sequence[str]) -> str:
        """Concatenate 1-D int64 tensors (folded to one constant when all parts are constants)."""
        vals = [self.value(p) for p in parts]
        if all(v is not None for v in vals):
            return self.ints(np.concatenate([v.reshape(-1) for v in vals]) if vals else [])
        if len(parts) == 1:
            return parts[0]
        return self.op("Concat", *parts, axis=0, dtype=np.int64)

    def reshape(self, x: str, shape: str | Sequence[int], out_shape=None) -> str:
        s = shape if isinstance(shape, str) else self.ints(shape)
        return self.op("Reshape", x, s, dtype=self.dtype(x), shape=out_shape)

    def unsqueeze(self, x: str, axes: Sequence[int], out_shape=None) -> str:
        return self.op("Unsqueeze", x, self.ints(axes), dtype=self.dtype(x), shape=out_shape)

    def squeeze(self, x: str, axes: Sequence[int] | None = None, out_shape=None) -> str:
        return self.op("Squeeze", x, None if axes is None else self.ints(axes), dtype=self.dtype(x),
                       shape=out_shape)

    def transpose(self, x: str, perm: Sequence[int]) -> str:
        s = self._shapes.get(x)
        out = None if s is None else tuple(s[p] for p in perm)
        return self.op("Transpose", x, perm=list(perm), dtype=self.dtype(x), shape=out)

    def reduce(self, op_type: str, x: str, axes: Sequence[int] | None, keepdims: bool, out_shape=None) -> str:
        """``Reduce*`` over ``axes`` (all when None), handling the opset-13 vs 18 axes input."""
        axes_as_input = op_type == "ReduceSum" or self.opset >= 18
        kw = {"keepdims": int(keepdims)}
        if axes is None:
            return self.op(op_type, x, dtype=self.dtype(x), shape=out_shape, **kw)
        if axes_as_input:
            return self.op(op_type, x, self.ints(axes), dtype=self.dtype(x), shape=out_shape, **kw)
        return self.op(op_type, x, axes=list(axes), dtype=self.dtype(x), shape=out_shape, **kw)

    def fail(self, what: str) -> GluonicValueError:
        """An error naming this node, to raise from a rule for unsupported attribute values."""
        return GluonicValueError(f"ONNX export: operator '{self.op_name}' (node '{self.name}'): {what}")


_BOOL_OPS = ("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN",
             "IsInf")
_OUTPUT_TYPES = {**dict.fromkeys(_BOOL_OPS, np.bool_), "Shape": np.int64, "Size": np.int64, "ArgMax": np.int64,
                 "ArgMin": np.int64, "NonZero": np.int64}


def tensor_type(dtype) -> int:
    """The ONNX TensorProto element type of a NumPy dtype."""
    from ._dtypes import np_to_onnx

    return np_to_onnx(dtype)
