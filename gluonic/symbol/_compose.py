"""Building graph nodes: what ``sym.<op>(...)`` (and ``F.<op>`` in hybrid_forward) does.

Like MXNet, inputs that are not given become variables named ``<node>_<input>``
(``fc1_weight``); an optional input such as ``bias`` is created only when the attributes
ask for it (``no_bias=False``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..base import GluonicTypeError, GluonicValueError
from ..ops.attrs import format_attr
from .symbol import Symbol, _name_for, _Node, var

# Optional inputs and the attribute that makes them present (MXNet's FListInputNames).
_OPTIONAL_PRESENT: dict[str, Callable[[Any], bool]] = {
    "bias": lambda a: not getattr(a, "no_bias", True),
    "gamma": lambda a: getattr(a, "act_type", None) == "prelu",
    "length": lambda a: bool(getattr(a, "use_length", False)),
    "sequence_length": lambda a: bool(getattr(a, "use_sequence_length", False)),
}


def _entry(op_name: str, input_name: str, x) -> tuple[_Node, int]:
    if not isinstance(x, Symbol):
        raise GluonicTypeError(
            f"Operator {op_name}: input '{input_name}' must be a Symbol when composing a graph. "
            f"Received: {type(x).__name__}")
    if len(x._outputs) != 1:
        raise GluonicValueError(
            f"Operator {op_name}: input '{input_name}' is a grouped symbol with {len(x._outputs)} outputs; "
            "pick one with symbol[i]")
    return x._outputs[0]


def compose(op, inputs, attr_kwargs: dict, name: str | None = None, hint: str | None = None) -> Symbol:
    """A new node applying ``op`` to ``inputs`` (Symbols, None for absent) with ``attr_kwargs``."""
    attr_kwargs = dict(attr_kwargs)
    user_attrs = attr_kwargs.pop("attr", None) or {}
    attrs = op.parse_attrs(attr_kwargs)
    node_name = _name_for(op, name, hint)
    entries, present = [], []
    if op.variadic:
        entries = [_entry(op.name, f"{op.inputs[0]}[{i}]", x) for i, x in enumerate(inputs)]
    else:
        for nm, x in zip(op.inputs, inputs):
            if x is None:
                if nm in op.optional_inputs and not _OPTIONAL_PRESENT.get(nm, lambda a: False)(attrs):
                    continue
                x = var(f"{node_name}_{nm}")
            entry = _entry(op.name, nm, x)
            if nm in op.aux_inputs and entry[0].op is None:
                entry[0].is_aux = True
            entries.append(entry)
            present.append(nm)
    raw = {k: v if isinstance(v, str) else format_attr(v) for k, v in attr_kwargs.items()}
    node = _Node(op, node_name, attrs, raw, entries, None if op.variadic else tuple(present),
                 {k: str(v) for k, v in user_attrs.items()})
    n_out = node.num_outputs()
    # The result's class follows the first symbolic input (np-mode ``_Symbol`` stays ``_Symbol``).
    cls = next((x.__class__ for x in inputs if isinstance(x, Symbol)), Symbol)
    return cls([(node, i) for i in range(n_out)])


def symbol_invoke(op, inputs, attr_kwargs, out, name):
    """Frontend invoke for ``sym.*`` functions (and ``nd.*`` called on Symbols)."""
    if out is not None:
        raise GluonicValueError(f"Operator {op.name}: out= is not supported for Symbols")
    return compose(op, inputs, attr_kwargs, name)
