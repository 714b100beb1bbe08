"""Python signatures for registered ops: how ``nd.op(*args, **kwargs)`` maps to inputs and attributes.

Shared by every frontend (``nd``, ``sym``, ``F``), so MXNet call styles work the same
everywhere: inputs positionally or by name (``data=x``), then attributes positionally in
MXNet's order or by keyword (``nd.clip(x, 0, 1)``, ``nd.clip(x, a_min=0, a_max=1)``).
"""
from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

from ..base import GluonicTypeError, GluonicValueError
from .attrs import format_attr
from .registry import Op

__all__ = ["split_args", "make_function"]


def split_args(op: Op, args: tuple, kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Split a call's arguments into the op's inputs (None where absent) and attribute kwargs."""
    inputs = op.inputs
    if op.variadic:
        given = list(args)
        if inputs[0] in kwargs:
            extra = kwargs.pop(inputs[0])
            given.extend(extra if isinstance(extra, (list, tuple)) else [extra])
        if len(given) == 1 and isinstance(given[0], (list, tuple)):
            given = list(given[0])
        if op.num_args_attr and op.num_args_attr not in kwargs:
            kwargs[op.num_args_attr] = len(given)
        return given, kwargs
    n = len(inputs)
    given = list(args[:n])
    if len(args) > n:
        fields = list(op.attrs._fields) if op.attrs is not None else []
        extra = args[n:]
        if len(extra) > len(fields):
            raise GluonicTypeError(
                f"Operator {op.name} takes {n} input(s) ({', '.join(inputs)}) and {len(fields)} "
                f"attribute(s). Received: {len(args)} positional arguments"
            )
        for field, value in zip(fields, extra):
            if field in kwargs:
                raise GluonicTypeError(f"Operator {op.name}: got multiple values for argument '{field}'")
            kwargs[field] = value
    given.extend([None] * (n - len(given)))
    for i, nm in enumerate(inputs):
        if nm in kwargs:
            if given[i] is not None:
                raise GluonicTypeError(f"Operator {op.name}: got multiple values for input '{nm}'")
            given[i] = kwargs.pop(nm)
    return given, kwargs


def check_required(op: Op, inputs: list[Any], attrs) -> None:
    """Raise when a required input is missing (``bias`` is optional only with ``no_bias``)."""
    if op.variadic:
        return
    for nm, x in zip(op.inputs, inputs):
        if x is None and nm not in op.optional_inputs:
            raise GluonicValueError(
                f"Operator {op.name}: required input '{nm}' is missing. Inputs: {', '.join(op.inputs)}. "
                f"Received: {[n for n, v in zip(op.inputs, inputs) if v is not None]}"
            )


def make_function(op: Op, name: str, invoke: Callable[..., Any], module: str) -> Callable[..., Any]:
    """Build the public Python function for ``op`` (a real function, with docstring and signature).

    ``invoke(op, inputs, attr_kwargs, out, name)`` does the work (eager or symbolic).
    """

    n_inputs = -1 if op.variadic else len(op.inputs)

    def function(*args, out=None, name=None, **kwargs):
        if len(args) == n_inputs and not kwargs:
            return invoke(op, args, kwargs, out, name)
        inputs, attr_kwargs = split_args(op, args, kwargs)
        return invoke(op, inputs, attr_kwargs, out, name)

    function.__name__ = name
    function.__qualname__ = name
    function.__module__ = module
    function.__doc__ = make_doc(op, name)
    function.__signature__ = make_signature(op)
    function.op = op
    return function


def make_signature(op: Op) -> inspect.Signature:
    P = inspect.Parameter
    params = []
    if op.variadic:
        params.append(P(op.inputs[0], P.VAR_POSITIONAL))
    else:
        params += [P(nm, P.POSITIONAL_OR_KEYWORD, default=None) for nm in op.inputs]
    if op.attrs is not None:
        kind = P.KEYWORD_ONLY if op.variadic else P.POSITIONAL_OR_KEYWORD
        for field, (_parser, default, _n) in op.attrs._fields.items():
            params.append(P(field, kind, default=None if default is dataclasses.MISSING else default))
    params += [P("out", P.KEYWORD_ONLY, default=None), P("name", P.KEYWORD_ONLY, default=None)]
    return inspect.Signature(params)


def make_doc(op: Op, name: str) -> str:
    lines = [op.doc or f"The {op.name} operator."]
    if name != op.name:
        lines.append(f"\n(Alias of ``{op.name}``.)")
    lines += ["", "Parameters", "----------"]
    if op.variadic:
        lines += [f"*{op.inputs[0]} : NDArray or Symbol", "    The inputs."]
    for nm in op.inputs if not op.variadic else ():
        opt = ", optional" if nm in op.optional_inputs else ""
        lines += [f"{nm} : NDArray or Symbol{opt}", f"    Input '{nm}'."]
    if op.attrs is not None:
        for f in dataclasses.fields(op.attrs):
            if f.default is dataclasses.MISSING:
                lines.append(f"{f.name} : {_type_name(f.type)}, required")
            else:
                lines.append(f"{f.name} : {_type_name(f.type)}, optional, default={format_attr(f.default)}")
    lines += [
        "out : NDArray, optional",
        "    Where to write the result.",
        "name : str, optional",
        "    Name of the resulting symbol (symbolic calls only).",
        "",
        "Returns",
        "-------",
        "NDArray or list of NDArrays (Symbol when called on Symbols)",
    ]
    return "\n".join(lines)


def _type_name(tp) -> str:
    return str(tp).replace("typing.", "")
