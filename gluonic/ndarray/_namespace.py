"""Builds the ``nd`` namespaces (``nd``, ``nd.op``, ``nd._internal``, ``nd.random``,
``nd.linalg``, ``nd.contrib``, ``nd.image``) from the op registry, the way MXNet names them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._state import fold_scope
from ..ops import registry
from ..ops.signature import check_required, make_function
from .ndarray import NDArray, invoke, run_wrapped

# MXNet's name prefixes and the submodule each lands in ("" = top level as well).
_PREFIXES = {
    "_contrib_": ("contrib", None),
    "_linalg_": ("linalg", "linalg_"),
    "_random_": ("random", "random_"),
    "_sample_": ("random", "sample_"),
    "_image_": ("image", None),
    "_npi_": ("_internal", None),
}

_symbol_invoke: list[Callable[..., Any]] = []


def set_symbol_invoke(fn: Callable[..., Any]) -> None:
    """Hook for the symbol package: ops called on Symbols build graph nodes."""
    _symbol_invoke[:] = [fn]


def _is_symbolic(inputs) -> bool:
    for x in inputs:
        if getattr(x, "_is_symbol", False):
            return True
        if isinstance(x, (list, tuple)) and any(getattr(y, "_is_symbol", False) for y in x):
            return True
    return False


def nd_invoke(op, inputs, attr_kwargs, out, name):
    """Frontend invoke for ``nd.*`` functions: eager on NDArrays, graph nodes on Symbols."""
    has_none = other = False
    for x in inputs:
        if x.__class__ is not NDArray:
            if x is None:
                has_none = True
            else:
                other = True
    if other and _symbol_invoke and _is_symbolic(inputs):
        return _symbol_invoke[0](op, inputs, attr_kwargs, out, name)
    attrs = op.parse_attrs(attr_kwargs) if attr_kwargs or op.attrs is not None else None
    if has_none:
        check_required(op, inputs, attrs)
    return invoke(op, inputs, attrs, out)


def make_nd_function(op, name: str, module: str) -> Callable:
    """The ``nd`` function of ``op``: a short path for the common call (NDArray inputs
    given positionally, attributes by keyword), the general path for everything else."""
    general = make_function(op, name, nd_invoke, module)
    n_inputs = -1 if op.variadic or not op.inputs else len(op.inputs)  # -1: always the general path
    input_names = frozenset(op.inputs)
    parse = op.parse_attrs
    has_attrs = op.attrs is not None

    def function(*args, out=None, name=None, **kwargs):
        if len(args) == n_inputs and out is None and (has_attrs or not kwargs):
            tensors = _exact_tensors(args)
            if tensors is not None and input_names.isdisjoint(kwargs):
                return run_wrapped(op, tensors, args[0]._ctx, parse(kwargs) if has_attrs else None)
            scope = fold_scope[0]
            if scope is not None and input_names.isdisjoint(kwargs) and all(isinstance(x, NDArray) for x in args):
                return scope.record_op(op, args, parse(kwargs) if has_attrs else None)  # lazy inputs (fold)
        return general(*args, out=out, name=name, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = module
    function.__doc__ = general.__doc__
    function.__signature__ = general.__signature__
    function.op = op
    return function


def _exact_tensors(args):
    """The tensors of ``args`` when every one is exactly an NDArray, else None."""
    tensors = []
    for x in args:
        if x.__class__ is not NDArray:
            return None
        tensors.append(x._tensor)
    return tensors


def build(module_name: str, factory: Callable = None) -> dict[str, dict[str, Callable]]:
    """``{"top": {name: function}, "random": {...}, ...}`` for every registered op name.

    ``factory(op, public_name, module)`` makes one function (default: the ``nd`` one);
    ``sym`` builds its namespaces with the same routing and its own factory.
    """
    factory = factory or make_nd_function
    top: dict[str, Any] = {}
    subs: dict[str, dict[str, Any]] = {k: {} for k in ("op", "_internal", "random", "linalg", "contrib", "image")}
    for name in registry.all_names():
        op = registry.get(name)
        for prefix, (sub, top_prefix) in _PREFIXES.items():
            if name.startswith(prefix):
                short = name[len(prefix):]
                subs[sub][short] = factory(op, short, f"{module_name}.{sub}")
                subs["_internal"][name] = factory(op, name, f"{module_name}._internal")
                if top_prefix:
                    top[top_prefix + short] = factory(op, top_prefix + short, module_name)
                break
        else:
            fn = factory(op, name, module_name if not name.startswith("_") else f"{module_name}._internal")
            if name.startswith("_"):
                subs["_internal"][name] = fn
            else:
                top[name] = fn
                subs["op"][name] = fn
    return {"top": top, **subs}


_CACHE: dict[str, dict[str, Callable]] = {}


def functions(sub: str) -> dict[str, Callable]:
    """The generated ``nd`` functions of one namespace (``"top"``, ``"random"``, …), built once."""
    if not _CACHE:
        _CACHE.update(build("gluonic.ndarray"))
    return _CACHE[sub]
