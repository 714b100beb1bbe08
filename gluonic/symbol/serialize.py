"""MXNet's symbol JSON: ``tojson``/``fromjson``, ``save``/``load`` (``-symbol.json`` files).

Layout (MXNet 1.x / NNVM): ``nodes`` (each ``op`` — ``"null"`` for variables — ``name``,
``attrs`` as strings, ``inputs`` as ``[node, output, version]``), ``arg_nodes``,
``node_row_ptr``, ``heads``, and ``attrs.mxnet_version``. Files from older MXNet versions
that store attributes under ``param`` or ``attr`` are read too.
"""
from __future__ import annotations

import json

from .._files import write_atomic
from ..base import FileFormatError, GluonicValueError, MXNetError
from ..ops import registry
from ._compose import _OPTIONAL_PRESENT
from .symbol import Symbol, _Node

__all__ = ["tojson", "fromjson", "save", "load", "load_json"]

MXNET_VERSION = 10901


def tojson(sym: Symbol) -> str:
    """The graph as MXNet's JSON text."""
    nodes = sym._nodes()
    index = {id(n): i for i, n in enumerate(nodes)}
    out_nodes, arg_nodes, row_ptr = [], [], [0]
    for i, n in enumerate(nodes):
        entry: dict = {"op": "null" if n.op is None else n.op.name, "name": n.name}
        attrs = dict(n.user_attrs) if n.op is None else {**n.raw_attrs, **n.user_attrs}
        if attrs:
            entry["attrs"] = {k: str(v) for k, v in sorted(attrs.items())}
        entry["inputs"] = [[index[id(c)], k, 1 if c.op is None and c.is_aux else 0] for c, k in n.inputs]
        out_nodes.append(entry)
        if n.op is None:
            arg_nodes.append(i)
        row_ptr.append(row_ptr[-1] + n.num_outputs())
    doc = {
        "nodes": out_nodes,
        "arg_nodes": arg_nodes,
        "node_row_ptr": row_ptr,
        "heads": [[index[id(n)], k, 0] for n, k in sym._outputs],
        "attrs": {"mxnet_version": ["int", MXNET_VERSION]},
    }
    if _np_mode(sym):  # as MXNet writes graphs traced in NumPy mode
        doc["attrs"]["is_np_shape"] = ["int", 1]
    return json.dumps(doc, indent=2)


def _np_mode(sym: Symbol) -> bool:
    from ..util import is_np_shape
    from .numpy import _Symbol

    return isinstance(sym, _Symbol) or is_np_shape()


def _split_attrs(raw: dict) -> tuple[dict, dict]:
    """Operator attributes vs hidden ``__key__`` attributes (layout hints, lr_mult, ...)."""
    op_attrs, hidden = {}, {}
    for k, v in raw.items():
        (hidden if k.startswith("__") and k.endswith("__") else op_attrs)[k] = v
    return op_attrs, hidden


def fromjson(text: str, source: str = "<json>") -> Symbol:
    """Build a Symbol from MXNet's JSON text; ``source`` names the file in errors."""
    try:
        doc = json.loads(text)
        nodes_doc = doc["nodes"]
        heads = doc["heads"]
    except (ValueError, KeyError, TypeError) as e:
        raise FileFormatError(f"'{source}' is not an MXNet symbol JSON file: {e}") from None
    nodes: list[_Node] = []
    for i, nd_ in enumerate(nodes_doc):
        try:
            op_name, name = nd_["op"], nd_["name"]
            raw = dict(nd_.get("attrs") or nd_.get("attr") or {})
            raw.update(nd_.get("param") or {})
            inputs = [(nodes[e[0]], int(e[1])) for e in nd_.get("inputs", [])]
        except (KeyError, TypeError, IndexError, ValueError) as e:
            raise FileFormatError(f"'{source}': node {i} is malformed ({e}). Received: {nd_!r:.200}") from None
        if op_name == "null":
            nodes.append(_Node(None, name, user_attrs={k: str(v) for k, v in raw.items()}))
            continue
        op = registry.find(op_name)
        if op is None:
            raise GluonicValueError(
                f"'{source}': node '{name}' uses operator '{op_name}', which gluonic does not implement. "
                f"Received: op={op_name!r}")
        op_attrs, hidden = _split_attrs(raw)
        try:
            attrs = op.parse_attrs(op_attrs)
        except MXNetError as e:
            raise type(e)(f"'{source}': node '{name}' ({op_name}): {e}") from None
        present = None
        if not op.variadic:
            wanted = [nm for nm in op.inputs
                      if nm not in op.optional_inputs or _OPTIONAL_PRESENT.get(nm, lambda a: False)(attrs)]
            present = tuple(wanted if len(wanted) == len(inputs) else op.inputs[: len(inputs)])
            for (c, _), nm in zip(inputs, present):
                if nm in op.aux_inputs and c.op is None:
                    c.is_aux = True
        nodes.append(_Node(op, name, attrs, op_attrs, inputs, present, hidden))
    try:
        outputs = [(nodes[h[0]], int(h[1])) for h in heads]
    except (IndexError, TypeError, ValueError) as e:
        raise FileFormatError(f"'{source}': bad heads entry ({e})") from None
    return Symbol(outputs)


def save(sym: Symbol, fname: str, remove_amp_cast: bool = True) -> None:
    """Write ``sym`` to ``fname`` (atomically: a temp file renamed into place)."""
    write_atomic(fname, tojson(sym))


def load(fname: str) -> Symbol:
    """Read a ``-symbol.json`` file written by MXNet (or by :func:`save`)."""
    try:
        with open(fname) as f:
            text = f.read()
    except UnicodeDecodeError:
        raise FileFormatError(f"'{fname}' is not a text (JSON) file") from None
    return fromjson(text, fname)


def load_json(json_str: str) -> Symbol:
    """MXNet's ``sym.load_json``: a Symbol from JSON text."""
    return fromjson(json_str)
