"""The operator registry: every operator is defined once, here, and used everywhere.

An :class:`Op` carries an MXNet name (plus aliases), a typed attribute schema, one torch
implementation, and optional rules for shape inference, dynamic batching (fold) and ONNX
export. ``nd.<op>``, ``sym.<op>`` and ``F.<op>`` are all built from these entries.

Defining an op::

    class FullyConnectedAttrs(Attrs):
        num_hidden: int
        no_bias: bool = False
        flatten: bool = True

    @register("FullyConnected", attrs=FullyConnectedAttrs, aliases=("fully_connected",))
    def fully_connected(data, weight, bias=None, *, a: FullyConnectedAttrs):
        ...

The implementation's positional parameters are the op's inputs, in MXNet's order; a
parameter defaulting to ``None`` is an optional input; ``*data`` makes the op variadic.
Attributes arrive as the keyword-only ``a``.
"""
from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from ..base import GluonicValueError
from .attrs import Attrs

__all__ = ["Op", "register", "get", "find", "all_ops", "BatchRule"]


@dataclasses.dataclass(frozen=True)
class BatchRule:
    """How fold batches independent calls of an op.

    ``axis``: inputs and outputs are concatenated/split along this axis (``None``: the
    op cannot be batched and runs call by call). ``unbatched``: indices of inputs that
    must be identical across a batch (weights), passed once.
    """

    axis: int | None = 0
    unbatched: tuple[int, ...] = ()
    #: Optional ``when(attrs, input_shapes) -> bool``: batchable only for these attributes
    #: (``sum(axis=1)`` batches along axis 0, ``sum(axis=0)`` does not).
    when: Callable[[Any, Any], bool] | None = None


@dataclasses.dataclass(eq=False)
class Op:
    """One registered operator (see the module docstring)."""

    name: str
    impl: Callable[..., Any]
    attrs: type[Attrs] | None
    inputs: tuple[str, ...]
    optional_inputs: frozenset[str]
    variadic: bool
    aliases: tuple[str, ...] = ()
    aux_inputs: tuple[str, ...] = ()
    num_outputs: int | Callable[[Any], int] = 1
    output_names: tuple[str, ...] = ("output",)
    shape_rule: Callable[..., Any] | None = None
    batch_rule: BatchRule | None = None
    onnx: Callable[..., Any] | None = None
    differentiable: bool = True
    num_args_attr: str | None = None
    infer_inputs: Callable[..., Any] | None = None
    doc: str = ""
    _attr_cache: dict = dataclasses.field(default_factory=dict, repr=False)

    def parse_attrs(self, kwargs: dict[str, Any]) -> Attrs | None:
        """Parsed attributes for ``kwargs`` (cached per distinct hashable set of values)."""
        if self.attrs is None:
            if kwargs:
                raise GluonicValueError(
                    f"Operator {self.name} takes no arguments besides its inputs "
                    f"({', '.join(self.inputs) or 'none'}). Received: {sorted(kwargs)}"
                )
            return None
        try:
            key = tuple(kwargs.items())
            hit = self._attr_cache.get(key)
        except TypeError:  # an unhashable value (a list): parse without caching
            return self.attrs.parse(self.name, kwargs)
        if hit is None:
            hit = self.attrs.parse(self.name, kwargs)
            if len(self._attr_cache) < 4096:
                self._attr_cache[key] = hit
        return hit

    def count_outputs(self, attrs: Attrs | None) -> int:
        n = self.num_outputs
        return n(attrs) if callable(n) else n

    def __repr__(self) -> str:
        return f"<Op {self.name}>"


_REGISTRY: dict[str, Op] = {}
_OPS: list[Op] = []


def register(
    name: str,
    *,
    attrs: type[Attrs] | None = None,
    aliases: tuple[str, ...] = (),
    aux: tuple[str, ...] = (),
    num_outputs: int | Callable[[Any], int] = 1,
    output_names: tuple[str, ...] = ("output",),
    shape_rule: Callable[..., Any] | None = None,
    batch: BatchRule | None = None,
    onnx: Callable[..., Any] | None = None,
    differentiable: bool = True,
    num_args: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a torch implementation as operator ``name`` (see module docstring).

    ``aux`` names inputs that are auxiliary states the op updates in place
    (BatchNorm's moving statistics). ``num_args`` names the attribute in which MXNet
    stores the number of variadic inputs (``concat``'s ``num_args``).
    """

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        params = inspect.signature(fn).parameters.values()
        inputs, optional, variadic = [], set(), False
        for p in params:
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                inputs.append(p.name)
                if p.default is None:
                    optional.add(p.name)
            elif p.kind is p.VAR_POSITIONAL:
                inputs.append(p.name)
                variadic = True
        op = Op(
            name=name,
            impl=fn,
            attrs=attrs,
            inputs=tuple(inputs),
            optional_inputs=frozenset(optional),
            variadic=variadic,
            aliases=tuple(aliases),
            aux_inputs=tuple(aux),
            num_outputs=num_outputs,
            output_names=tuple(output_names),
            shape_rule=shape_rule,
            batch_rule=batch,
            onnx=onnx,
            differentiable=differentiable,
            num_args_attr=num_args,
            doc=inspect.cleandoc(fn.__doc__ or ""),
        )
        for key in (name, *aliases):
            if key in _REGISTRY:
                raise ValueError(f"operator name {key!r} registered twice")
            _REGISTRY[key] = op
        _OPS.append(op)
        fn.op = op
        return fn

    return deco


def add_aliases(name: str, *aliases: str) -> Op:
    """Make an existing operator answer to more names (``_npx_relu`` for ``relu``: MXNet's NumPy
    front end records the legacy operators under ``_npx_*`` names in its symbol files)."""
    op = get(name)
    for key in aliases:
        if key in _REGISTRY:
            raise ValueError(f"operator name {key!r} registered twice")
        _REGISTRY[key] = op
    op.aliases = op.aliases + tuple(aliases)
    return op


def get(name: str) -> Op:
    """The op registered under ``name`` or one of its aliases."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise GluonicValueError(f"Operator {name!r} is not registered in gluonic. Received: {name!r}") from None


def find(name: str) -> Op | None:
    return _REGISTRY.get(name)


def all_ops() -> Iterator[Op]:
    """Every registered op, once each (aliases not repeated)."""
    return iter(list(_OPS))


def all_names() -> list[str]:
    """Every registered name including aliases."""
    return list(_REGISTRY)
